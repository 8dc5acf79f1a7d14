# report and plot trace through the real gnuplot: a session of a few
# statements, a k-means trace drawn as frames (FILE_0.png .. FILE_4.png for
# the textbook exercise's start and 4 iterations) and an inline scatter,
# then report FILE.md and FILE.html: each statement is in the document in
# order, its table (cut to 20 rows, with the count of the rest), its error,
# a text cell with HTML in it escaped (<b> never reaches the page as a
# tag), one PNG beside it per figure (5 frames + 1 scatter = 6, each a
# real PNG), and an existing file refused without replace=yes. FILE.md's
# figures are FILE_md_figN.png, FILE.html's FILE_html_figN.png, so both are
# written without replace=yes; a figure name a user's file holds is refused.
set -u
Q=$QUARRY
T=$QUARRY_TMP/report
mkdir -p "$T"
fail() { echo "report: $*"; exit 1; }
command -v gnuplot >/dev/null || fail "gnuplot is not installed (make deps installs it)"
png() { [ "$(od -An -tx1 -N8 "$1" | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "$1 is not a PNG"; }

cat > "$T/s.qry" <<SQL
CREATE TABLE pts(name TEXT, x REAL, y REAL);
INSERT INTO pts VALUES ('A1',2,10),('A2',2,5),('A3',8,4),('B1',5,8),('B2',7,5),('B3',6,4),('C1',1,2),('C2',4,9);
CREATE TABLE big AS WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 30) SELECT i, '<b>&' || i AS tag FROM c;
SELECT * FROM big;
trace kmeans pts cols=x,y start=1,4,7 as km
plot trace km to=$T/frames.png size=400x300
plot scatter pts x=x y=y size=60x15
nosuch statement
report $T/r.md
report $T/r.html
SQL
"$Q" --keep-going -f "$T/s.qry" > "$T/out" 2>&1
for s in 0 1 2 3 4; do png "$T/frames_$s.png"; done
[ -e "$T/frames_5.png" ] && fail "a sixth frame for 4 iterations"
grep -q "^wrote 5 frames, $T/frames_0.png (the start) to $T/frames_4.png (400x300 png)$" "$T/out" ||
    fail "frames message: $(cat "$T/out")"
grep -q "^wrote $T/r.md: 8 statements, 6 figures ($T/r_md_fig1.png to $T/r_md_fig6.png)$" "$T/out" ||
    fail "md message: $(cat "$T/out")"
grep -q "^wrote $T/r.html: 8 statements, 6 figures ($T/r_html_fig1.png to $T/r_html_fig6.png)$" \
    "$T/out" || fail "html message: $(cat "$T/out")"
for k in 1 2 3 4 5 6; do png "$T/r_md_fig$k.png"; png "$T/r_html_fig$k.png"; done
[ -e "$T/r_md_fig7.png" ] && fail "a seventh figure"
[ -e "$T/r_fig1.png" ] && fail "a figure without its document's extension"

md=$T/r.md
# every statement, in order
prev=0
for s in 'CREATE TABLE pts' 'INSERT INTO pts' 'CREATE TABLE big' 'SELECT \* FROM big' \
         'trace kmeans pts' 'plot trace km' 'plot scatter pts' 'nosuch statement'; do
    n=$(grep -n "^$s" "$md" | head -1 | cut -d: -f1)
    [ -n "$n" ] && [ "$n" -gt "$prev" ] || fail "'$s' missing or out of order in r.md"
    prev=$n
done
grep -q '^report' "$md" && fail "the report statement is in its own report"
# the table cut to 20 rows, and said so; the trace's summary; the error; the figures
[ "$(grep -c '^| [0-9]* | \\<b>&' "$md")" = 20 ] || fail "r.md: not 20 rows of big"
grep -q '^\*(the first 20 rows of 30)\*$' "$md" || fail "r.md: no count of the rows left out"
grep -q '^iteration 3: 1 moved, inertia 14.3333; centres (3.66667, 9) (7, 4.33333) (1.5, 3.5)$' \
    "$md" || fail "r.md: no trace summary"
grep -q "^error: unknown command 'nosuch'" "$md" || fail "r.md: no error"
[ "$(grep -c '^!\[figure [1-6]\](r_md_fig[1-6].png)$' "$md")" = 6 ] || fail "r.md: not 6 figure links"

html=$T/r.html
grep -q '<td>&lt;b&gt;&amp;1</td>' "$html" || fail "r.html: the cell is not escaped"
grep -q '<b>' "$html" && fail "r.html: raw <b> from the data"
grep -q '<img src="r_html_fig6.png" alt="figure 6">' "$html" || fail "r.html: no figure 6"
grep -q '<pre class="error">error: unknown command' "$html" || fail "r.html: no error"
[ "$(grep -c '<pre class="stmt">' "$html")" = 8 ] || fail "r.html: not 8 statements"

# an existing report is refused, and the refusal says what to type
echo 'report '"$T"'/r.md' > "$T/again.qry"
"$Q" -f "$T/again.qry" > "$T/out2" 2>&1 && fail "overwrote r.md"
grep -q "to replace it, type: report $T/r.md replace=yes" "$T/out2" || fail "refusal: $(cat "$T/out2")"
# a user's file under a figure's name is never written over
printf 'mine' > "$T/u_md_fig1.png"
printf 'CREATE TABLE p(x REAL, y REAL);\nINSERT INTO p VALUES (1,2),(3,4);\nplot scatter p x=x y=y size=60x15\nreport %s/u.md\n' "$T" > "$T/u.qry"
"$Q" -f "$T/u.qry" > "$T/out3" 2>&1 && fail "wrote over the user's u_md_fig1.png"
grep -q "'$T/u_md_fig1.png' exists already" "$T/out3" || fail "user file refusal: $(cat "$T/out3")"
[ "$(cat "$T/u_md_fig1.png")" = mine ] || fail "u_md_fig1.png changed"
[ -e "$T/u.md" ] && fail "u.md written though its figure was refused"

# a demo's report: each step as a statement of its own with its figures, the
# demo statement itself left out (marketing: 24 steps; 4 plots; the INSERT
# that keeps a timed step's seconds is not a step of its own)
"$Q" -c "demo marketing fast=yes" -c "report $T/d.md" > "$T/demo.out" 2>&1 ||
    fail "demo + report: $(tail -3 "$T/demo.out")"
grep -q '24 statements, 4 figures' "$T/demo.out" || fail "demo report: $(tail -1 "$T/demo.out")"
[ "$(grep -c '^## [0-9]*$' "$T/d.md")" = 24 ] || fail "d.md: not 24 statements"
grep -q '^demo' "$T/d.md" && fail "d.md: the demo statement is in its report"
grep -q '^load sample-data/orders.csv as mk_orders$' "$T/d.md" || fail "d.md: no first step"
[ "$(grep -c '^!\[figure [1-4]\](d_md_fig[1-4].png)$' "$T/d.md")" = 4 ] || fail "d.md: not 4 figure links"
for i in 1 2 3 4; do png "$T/d_md_fig$i.png"; done
echo ok
