# plot through the real gnuplot: PNG, SVG and PDF files of the asked size
# that are valid (PNG signature and IHDR; SVG parses as XML; PDF header);
# inline output fits the width; a CSV whose header and values hold gnuplot
# injection strings is plotted and nothing runs; a saved script re-makes
# the figure on its own; sample=N is repeatable with its seed; and the
# failures: no gnuplot (the apt-get line, other commands still work), no
# display for window=yes (or no window terminal), a gnuplot that hangs
# (killed at the time limit), a gnuplot that fails (its message is shown).
set -u
Q=$QUARRY
T=$QUARRY_TMP/plot
mkdir -p "$T"
fail() { echo "plot: $*"; exit 1; }
command -v gnuplot >/dev/null || fail "gnuplot is not installed (make deps installs it)"

pts="CREATE TABLE p AS WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 500)
  SELECT i AS x, (i * 37) % 101 AS y, CASE WHEN i % 3 = 0 THEN 'a' ELSE 'b' END AS g FROM c;"

# 1. PNG: signature, then IHDR width and height (big-endian at bytes 16 and 20).
"$Q" -c "$pts plot scatter p x=x y=y color=g to=$T/a.png size=640x480" > "$T/out" 2>&1 ||
    fail "png: $(cat "$T/out")"
grep -q "^wrote $T/a.png (640x480 png)$" "$T/out" || fail "png message: $(cat "$T/out")"
[ "$(od -An -tx1 -N8 "$T/a.png" | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "png signature"
[ "$(od -An -j12 -N4 -c "$T/a.png" | tr -d ' \n')" = IHDR ] || fail "png IHDR"
w=$(od -An -j16 -N4 -tu1 "$T/a.png" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
h=$(od -An -j20 -N4 -tu1 "$T/a.png" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
[ "$w" = 640 ] && [ "$h" = 480 ] || fail "png is ${w}x$h, not 640x480"
ls "$T" | grep -q 'tmp-' && fail "a temporary file was left: $(ls "$T")"

# 2. SVG parses as XML and has the asked size; 3. PDF starts with its header.
"$Q" -c "$pts plot hist p col=y by=g to=$T/b.svg size=500x300; plot line p x=x y=y to=$T/c.pdf" \
    > "$T/out" 2>&1 || fail "svg/pdf: $(cat "$T/out")"
/usr/bin/python3 -c '
import sys, xml.dom.minidom
svg = xml.dom.minidom.parse(sys.argv[1]).documentElement
assert svg.tagName == "svg", svg.tagName
assert (svg.getAttribute("width"), svg.getAttribute("height")) == ("500", "300"), \
    (svg.getAttribute("width"), svg.getAttribute("height"))
' "$T/b.svg" || fail "svg is not valid XML of 500x300"
[ "$(head -c 5 "$T/c.pdf")" = "%PDF-" ] || fail "pdf header"

# 4. Inline plots fit the width: $COLUMNS in plain mode, or size=.
for cols in 40 80 132; do
    COLUMNS=$cols "$Q" -c "$pts plot scatter p x=x y=y color=g; plot heatmap p x=g y=g z=y" \
        > "$T/inline" 2>&1 || fail "inline at $cols: $(cat "$T/inline")"
    long=$(awk -v w="$cols" 'length($0) > w' "$T/inline" | head -1)
    [ -z "$long" ] || fail "inline line longer than $cols: '$long'"
    [ "$(wc -l < "$T/inline")" -ge 10 ] || fail "inline plot at $cols is too short"
done
"$Q" -c "$pts plot bar p x=g size=30x12" | awk 'length($0) > 30 { bad = 1 } END { exit bad }' ||
    fail "size=30x12 gives lines longer than 30"

# 5. Injection: column names, category values, labels and title that run
# commands if gnuplot ever reads them outside a single-quoted literal.
M=$T/pwned
{
    printf '%s,%s,%s,%s\n' "\"\`touch $M-1\`\"" "\"a\"\" . system(\"\"touch $M-2\"\") . \"\"b\"" \
        "\"c'; system('touch $M-3'); '\"" "\"g\"\"; system(\"\"touch $M-4\"\"); #\""
    printf '1,2,"`touch %s-5`","x\n!touch %s-6"\n' "$M" "$M"
    printf '2,3,"a\\'"'"'; system(""touch %s-7""); #","@m ${x} ^_"\n' "$M"
    printf '3,5,"x"" . system(""touch %s-8"") . ""y","EODx"\n' "$M"
} > "$T/evil.csv"
x="'\`touch $M-1\`'"
y="'a\" . system(\"touch $M-2\") . \"b'"
lab="'c''; system(''touch $M-3''); '''"
col="'g\"; system(\"touch $M-4\"); #'"
title="'t\`touch $M-9\`''; system(''touch $M-10''); '''"
cat > "$T/evil.qry" <<EOF
load $T/evil.csv as evil
plot scatter evil x=$x y=$y color=$col labels=$lab title=$title to=$T/evil.svg
plot scatter evil x=$x y=$y labels=$lab size=60x15
plot bar evil x=$lab y=$y
plot line evil x=$x y=$y by=$col
plot hist evil col=$y by=$lab
plot heatmap evil x=$lab y=$col z=$x to=$T/evil.png
EOF
"$Q" --keep-going -f "$T/evil.qry" > "$T/out" 2>&1 ||
    fail "plotting the evil table: $(cat "$T/out")"
ls "$T" | grep -q pwned && fail "gnuplot ran an injected command: $(ls "$T" | grep pwned)"
/usr/bin/python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' \
    "$T/evil.svg" || fail "evil.svg is not valid XML"
grep -q "touch $M-1" "$T/evil.svg" || fail "the column name is not shown literally in the svg"

# 6. script=FILE.gp is self-contained: gnuplot alone re-makes the figure.
( cd "$T" && "$Q" -c "$pts plot corr p x=x y=y to=re.png script=re.gp" > "$T/out" 2>&1 ) ||
    fail "script=: $(cat "$T/out")"
grep -q "^wrote the gnuplot script re.gp$" "$T/out" || fail "script message: $(cat "$T/out")"
rm -f "$T/re.png"
( cd "$T" && gnuplot -d re.gp ) || fail "gnuplot cannot run the saved script"
[ "$(od -An -tx1 -N4 "$T/re.png" | tr -d ' \n')" = 89504e47 ] || fail "saved script made no png"

# 7. sample=N with a seed gives the same rows; the title says so; without a
# seed, the history records the one drawn.
"$Q" -c "$pts plot scatter p x=x y=y sample=50 seed=7 script=$T/s1.gp size=60x20" > "$T/s1" 2>&1
"$Q" -c "$pts plot scatter p x=x y=y sample=50 seed=7 script=$T/s2.gp size=60x20" > /dev/null 2>&1
grep -v '^\$d0 << \|^QD' "$T/s1.gp" > "$T/s1.data"
grep -v '^\$d0 << \|^QD' "$T/s2.gp" > "$T/s2.data"
cmp -s "$T/s1.data" "$T/s2.data" || fail "the same seed drew different rows"
[ "$(grep -c '^[0-9]' "$T/s1.gp")" = 50 ] || fail "sample=50 did not plot 50 points"
grep -q "sample of 50 of 500 rows" "$T/s1" || fail "the title does not tell the sample"
"$Q" -c "$pts plot scatter p x=x y=y sample=5 size=40x12; history" 2>&1 |
    grep -Eq 'plot scatter p x=x y=y sample=5 size=40x12 seed=[0-9]+$' ||
    fail "the drawn seed is not in the history"

# 8. No gnuplot: a clear error with the apt-get line; everything else works.
QUARRY_GNUPLOT=/nonexistent/gnuplot "$Q" --keep-going -c "$pts plot scatter p x=x y=y; describe p" \
    > "$T/out" 2> "$T/err"
[ $? -eq 1 ] || fail "a missing gnuplot should fail the plot"
grep -q "sudo apt-get install -y gnuplot-nox" "$T/err" || fail "no apt-get line: $(cat "$T/err")"
grep -q "^p: 500 rows, 3 columns" "$T/out" || fail "describe after a failed plot: $(cat "$T/out")"
env PATH=/nonexistent "$Q" -c "$pts plot scatter p x=x y=y" > /dev/null 2> "$T/err"
grep -q "gnuplot is not installed" "$T/err" || fail "PATH without gnuplot: $(cat "$T/err")"

# 9. window=yes without a display.
env -u DISPLAY "$Q" -c "$pts plot scatter p x=x y=y window=yes" > /dev/null 2> "$T/err"
grep -q "window=yes needs a display" "$T/err" || fail "window without display: $(cat "$T/err")"

# With a display but a gnuplot without window terminals (gnuplot-nox): say so.
case " $(gnuplot -d -e 'print GPVAL_TERMINALS' 2>&1) " in
*" qt "* | *" wxt "* | *" x11 "*) ;;
*)
    DISPLAY=:99 "$Q" -c "$pts plot scatter p x=x y=y window=yes" > /dev/null 2> "$T/err"
    grep -q "this gnuplot cannot open a window" "$T/err" || fail "no window terminal: $(cat "$T/err")"
    ;;
esac

# 10. A gnuplot that hangs is killed at the time limit; one that fails is reported.
printf '#!/bin/sh\nexec sleep 30\n' > "$T/hang"
printf '#!/bin/sh\necho "\\"plot.gp\\" line 4: undefined variable: zz" >&2\nexit 1\n' > "$T/bad"
chmod +x "$T/hang" "$T/bad"
start=$(date +%s)
QUARRY_GNUPLOT=$T/hang QUARRY_PLOT_TIMEOUT=1 "$Q" -c "$pts plot scatter p x=x y=y" \
    > /dev/null 2> "$T/err"
[ $(($(date +%s) - start)) -le 10 ] || fail "a hanging gnuplot was not stopped"
grep -q "did not finish within 1 s" "$T/err" || fail "timeout message: $(cat "$T/err")"
QUARRY_GNUPLOT=$T/bad "$Q" -c "$pts plot scatter p x=x y=y" > /dev/null 2> "$T/err"
grep -q "gnuplot failed: undefined variable: zz (script line 4: " "$T/err" ||
    fail "gnuplot error message: $(cat "$T/err")"
exit 0
