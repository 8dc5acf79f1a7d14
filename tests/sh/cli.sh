# Invocation: --help and --version as GNU tools, exit statuses, -f stopping
# at the first failure (and --keep-going), statements piped on stdin,
# --format for machines.
set -u
Q=$QUARRY
T=$QUARRY_TMP/cli
mkdir -p "$T"
fail() { echo "cli: $*"; exit 1; }

"$Q" --help > "$T/help" || fail "--help exits non-zero"
head -1 "$T/help" | grep -q '^Usage: quarry \[OPTION\]' || fail "--help first line: $(head -1 "$T/help")"
"$Q" --version | head -1 | grep -Eq '^quarry [0-9]+\.[0-9]+\.[0-9]+$' || fail "--version"
"$Q" --bogus 2>"$T/err"; [ $? -eq 2 ] || fail "unknown option should exit 2"
grep -q "Try 'quarry --help'" "$T/err" || fail "unknown option message"
"$Q" --format xml -c tables 2>/dev/null; [ $? -eq 2 ] || fail "--format xml should exit 2"

# -c: all statements run; status 1 if any failed
out=$("$Q" -c 'CREATE TABLE t(a INTEGER); nosuch; INSERT INTO t VALUES (1); SELECT a FROM t' 2>"$T/err")
[ $? -eq 1 ] || fail "-c with a failure should exit 1"
echo "$out" | grep -q '^1$' || fail "-c should go on after a failure: $out"

# -f stops at the first failure, reports its line, --keep-going goes on
printf 'CREATE TABLE t(a INTEGER);\n\nnosuch\nINSERT INTO t VALUES (1);\n' > "$T/s.qry"
"$Q" -f "$T/s.qry" > "$T/out" 2> "$T/err"; [ $? -eq 1 ] || fail "-f failure status"
grep -q "^error: line 3: unknown command 'nosuch'" "$T/err" || fail "-f error line: $(cat "$T/err")"
grep -q "row changed" "$T/out" && fail "-f should stop at the first failure"
"$Q" --keep-going -f "$T/s.qry" > "$T/out" 2>/dev/null
grep -q "1 row changed" "$T/out" || fail "--keep-going should go on"

# piped stdin runs in plain mode
out=$(printf 'CREATE TABLE t(a INTEGER, b TEXT);\nINSERT INTO t VALUES (1, %s), (2, NULL);\nSELECT * FROM t;\n' "'x,y'" | "$Q" --format csv 2>/dev/null)
[ "$out" = "$(printf 'a,b\n1,"x,y"\n2,')" ] || fail "csv output: $out"
out=$("$Q" --format json -c "SELECT 1 AS n, 'a\"b' AS s, NULL AS z, 2.5 AS r" 2>/dev/null)
[ "$out" = '[{"n": 1, "s": "a\"b", "z": null, "r": 2.5}]' ] || fail "json output: $out"
out=$("$Q" --format tsv -c "SELECT 'a	b' AS s, 3 AS n" 2>/dev/null)
[ "$out" = "$(printf 's\tn\na\\tb\t3')" ] || fail "tsv output: $out"

# --timing prints a time line per statement
"$Q" --timing -c 'SELECT 1' 2>&1 | grep -Eq '^time: real [0-9.]+s user [0-9.]+s sys [0-9.]+s$' || fail "--timing"
# Several -c and -f run in the order given, in one catalog (as psql does);
# a script that stops at a failure stops the rest, --keep-going goes on.
printf 'INSERT INTO t VALUES (2);\n' > "$T/two.qry"
out=$("$Q" -c 'CREATE TABLE t(a INTEGER)' -f "$T/two.qry" -c 'SELECT group_concat(a) FROM t' 2>&1)
echo "$out" | tail -1 | grep -q '^2$' || fail "-c -f -c in order, one catalog: $out"
printf 'SELECT nosuch;\nSELECT 5;\n' > "$T/bad.qry"
out=$("$Q" -f "$T/bad.qry" -c 'SELECT 6' 2>/dev/null); st=$?
[ $st -eq 1 ] || fail "a failed -f should exit 1, not $st"
case "$out" in *5*|*6*) fail "a stopped -f should stop what follows: $out" ;; esac
out=$("$Q" --keep-going -f "$T/bad.qry" -c 'SELECT 6' 2>/dev/null)
echo "$out" | tail -1 | grep -q '^6$' || fail "--keep-going should run the next -c: $out"
"$Q" -c 'SELECT 1' -f "$T/nonexistent.qry" > "$T/out" 2>&1; st=$?
[ $st -eq 1 ] && ! grep -q '^1$' "$T/out" || fail "a missing -f file should stop before anything runs"
exit 0
