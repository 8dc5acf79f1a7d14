# Hostile names (issue 14): tests/transcripts/hostile_names.qry walks a
# table and columns named with quotes, backquotes, semicolons, spaces and
# $(touch /tmp/pwned) through every command family; here the same file
# runs again, then every plot kind is drawn to a PNG file with those
# names in its titles, labels and keys, and a column named with a
# newline (which the CSV loader takes) is loaded and described. Nothing
# may run: /tmp/pwned must not exist afterwards, and each PNG is a PNG.
set -u
Q=$QUARRY
T=$QUARRY_TMP/hostile_names
mkdir -p "$T"
fail() { echo "hostile_names: $*"; exit 1; }
rm -f /tmp/pwned
"$Q" --keep-going -f tests/transcripts/hostile_names.qry > "$T/out" 2>&1
[ -e /tmp/pwned ] && fail "the transcript ran a command: /tmp/pwned exists"
grep -q "^renamed 't'q\"b\`;s \$(touch /tmp/pwned)' to 'u1'" "$T/out" || fail "the transcript did not run"

N="'t''q\"b\`;s \$(touch /tmp/pwned)'"
mk='CREATE TABLE "t'"'"'q""b`;s $(touch /tmp/pwned)" ("a'"'"'b" REAL, "c""d" REAL, "g h" TEXT, "`id`" INTEGER, "d8" TEXT);
INSERT INTO "t'"'"'q""b`;s $(touch /tmp/pwned)" VALUES (1, 2, '"'"'x'"''"'y'"'"', 1, '"'"'2024-01-01'"'"'), (2, 1, '"'"'z;`w`'"'"', 2, '"'"'2024-01-02'"'"'), (3, 5, '"'"'x'"''"'y'"'"', 3, '"'"'2024-02-03'"'"'), (10, 11, '"'"'$(touch /tmp/pwned)'"'"', 4, '"'"'2024-02-04'"'"'), (11, 12, '"'"'z;`w`'"'"', 5, '"'"'2024-03-05'"'"'), (12, 10, '"'"'$(touch /tmp/pwned)'"'"', 6, '"'"'2024-03-06'"'"');'
"$Q" -c "$mk
cluster $N cols='a''b,c\"d' k=2 seed=1 into='seg''1'
elbow $N cols='a''b,c\"d' k=2..3 seed=1
cluster $N cols='a''b,c\"d' method=hierarchical k=2 trace=yes into='h;1' replace=yes seed=1
plot scatter $N x='a''b' y='c\"d' color='g h' labels='g h' to=$T/scatter.png
plot line $N x=d8 y='a''b,c\"d' to=$T/line.png
plot hist $N col='a''b' by='g h' to=$T/hist.png
plot heatmap $N x='g h' y='\`id\`' z='a''b' values=yes to=$T/heatmap.png
plot bar $N x='g h' to=$T/bar.png
plot loss $N x='\`id\`' y='a''b' to=$T/loss.png
plot corr $N x='a''b' y='c\"d' to=$T/corr.png
plot elbow 't''q\"b\`;s \$(touch /tmp/pwned)_elbow' to=$T/elbow.png
plot dendrogram 't''q\"b\`;s \$(touch /tmp/pwned)_merges' to=$T/dendrogram.png
plot confusion $N x='seg''1' y='\`id\`' to=$T/confusion.png" > "$T/plots" 2>&1 ||
    fail "the plots failed: $(cat "$T/plots")"
for k in scatter line hist heatmap bar loss corr elbow dendrogram confusion; do
    [ "$(head -c 4 "$T/$k.png" | od -An -c | tr -d ' ')" = "211PNG" ] || fail "$k.png is not a PNG"
done
[ -e /tmp/pwned ] && fail "a plot ran a command: /tmp/pwned exists"

# a newline in a column name: the loader keeps it and describe shows it; a statement
# cannot name it across lines (an unterminated quote, said); nothing runs
printf '"a\nb $(touch /tmp/pwned)",`c`\n1,2\n3,4\n' > "$T/nl.csv"
out=$("$Q" -c "load $T/nl.csv as nl; describe nl; plot scatter nl x='a
b \$(touch /tmp/pwned)' y='\`c\`' to=$T/nl.png" 2>&1)
echo "$out" | grep -q "^loaded 2 rows, 2 columns into 'nl'" || fail "newline name: $out"
echo "$out" | grep -qF 'b $(touch /tmp/pwned)  integer' || fail "describe of a newline name: $out"
echo "$out" | grep -q "^error: unterminated quote" || fail "a name across lines: $out"
[ -e /tmp/pwned ] && fail "a newline name ran a command"
exit 0
