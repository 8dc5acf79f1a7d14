# What a shell user types for a data file works (issue 13):
# 1. ~ and ~/x.csv are the home folder (HOME), also in save and export;
#    a quoted path with a space, a backslash-escaped one, and a double
#    quote or a ';' escaped inside a name
# 2. quarry data.csv (and .json, .csv.gz, a pipe) loads the file and goes
#    on, as VisiData does; a workspace still
#    opens as before; a missing data file is an error (exit 1) that runs
#    nothing after it; a missing .qdb is an error as before
set -u
Q=$QUARRY
T=$QUARRY_TMP/load_paths
rm -rf "$T"
mkdir -p "$T/home/sub dir"
fail() { echo "load_paths: $*"; exit 1; }
printf 'a,b\n1,2\n3,4\n' > "$T/home/x.csv"
printf 'k\n7\n' > "$T/home/sub dir/y z.csv"
printf 'q\n5\n' > "$T/home/we\"ird;name.csv"

# 1. ~, quotes and escapes: a+b over x.csv is 1+2+3+4 = 10
out=$(HOME="$T/home" "$Q" -c 'load ~/x.csv; SELECT sum(a + b) AS s FROM x' 2>&1) ||
    fail "load ~/x.csv: $out"
echo "$out" | tail -1 | grep -q '^ *10$' || fail "~/x.csv sum: $out"
out=$(HOME="$T/home/" "$Q" -c 'load ~/x.csv as t2; export t2 ~/out.csv' 2>&1) ||
    fail "HOME with a slash: $out"
cmp -s "$T/home/out.csv" "$T/home/x.csv" || fail "export ~/out.csv did not write the home folder"
out=$(HOME="$T/home" "$Q" -c 'load "~/sub dir/y z.csv"; SELECT k FROM y_z' 2>&1) ||
    fail "double quotes: $out"
echo "$out" | tail -1 | grep -q '^ *7$' || fail "\"~/sub dir/y z.csv\": $out"
out=$(HOME="$T/home" "$Q" -c 'load ~/sub\ dir/y\ z.csv as e; SELECT k FROM e' 2>&1) ||
    fail "backslash: $out"
echo "$out" | tail -1 | grep -q '^ *7$' || fail "~/sub\\ dir/y\\ z.csv: $out"
out=$(HOME="$T/home" "$Q" -c 'load "~/we\"ird;name.csv" as w1' -c 'load ~/we\"ird\;name.csv as w2' \
    -c 'SELECT q FROM w1 UNION ALL SELECT q FROM w2' 2>&1) || fail "escaped quote and ';': $out"
[ "$(echo "$out" | tail -2 | tr -d ' \n')" = "55" ] || fail "escaped quote and ';': $out"
# a value in double quotes that is never closed is an error, as with '
out=$("$Q" -c 'load "x.csv' 2>&1) && fail "an unclosed double quote loaded"
echo "$out" | grep -q 'unterminated quote; close it with "' || fail "unclosed quote: $out"

# 2. quarry FILE
cd "$T/home"
out=$("$Q" x.csv -c 'SELECT sum(a) AS s FROM x' 2>&1) || fail "quarry x.csv: $out"
echo "$out" | head -1 | grep -q "^loaded 2 rows, 2 columns into 'x'" || fail "quarry x.csv: $out"
echo "$out" | tail -1 | grep -q '^ *4$' || fail "quarry x.csv sum: $out"
printf '[{"n": 1}, {"n": 2}]' > "$T/home/j.json"
gzip -n -c x.csv > "$T/home/z.csv.gz"
out=$("$Q" j.json -c 'SELECT sum(n) FROM j' 2>&1) || fail "quarry j.json: $out"
echo "$out" | tail -1 | grep -q '^ *3$' || fail "quarry j.json: $out"
out=$("$Q" z.csv.gz -c 'SELECT sum(b) FROM z' 2>&1) || fail "quarry z.csv.gz: $out"
echo "$out" | tail -1 | grep -q '^ *6$' || fail "quarry z.csv.gz: $out"
out=$(printf 'p\n9\n' | "$Q" /dev/stdin -c 'SELECT p FROM stdin' 2>&1) || fail "quarry /dev/stdin: $out"
echo "$out" | tail -1 | grep -q '^ *9$' || fail "quarry /dev/stdin: $out"
# a workspace opens as before
"$Q" -c "load x.csv; save $T/home/w.qdb" > /dev/null 2>&1 || fail "save a workspace"
out=$("$Q" w.qdb -c 'SELECT sum(a) FROM x' 2>&1) || fail "quarry w.qdb: $out"
echo "$out" | head -1 | grep -q "^opened" || fail "quarry w.qdb did not open it: $out"
# a missing data file: an error, exit 1, nothing after it runs
out=$("$Q" missing.csv -c 'SELECT 42' 2>&1)
[ $? -eq 1 ] || fail "quarry missing.csv: exit status not 1: $out"
echo "$out" | grep -q "file 'missing.csv' does not exist" || fail "quarry missing.csv: $out"
echo "$out" | grep -q 42 && fail "quarry missing.csv ran the statement after it: $out"
out=$("$Q" missing.qdb -c 'SELECT 42' 2>&1)
[ $? -eq 1 ] || fail "quarry missing.qdb: exit status not 1: $out"
echo "$out" | grep -q "cannot open 'missing.qdb'" || fail "quarry missing.qdb: $out"
exit 0
