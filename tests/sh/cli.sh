# Invocation: --help and --version as GNU tools, exit statuses, -c, -f and
# stdin stopping at the first failure (and --keep-going), scripts read as
# streams (and what is not a text script refused), Ctrl-C exiting 130,
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

# One rule for every input that is not the prompt (-c, -f, stdin): stop at
# the first failure, status 1; --keep-going goes on (status still 1).
c='CREATE TABLE t(a INTEGER); nosuch; INSERT INTO t VALUES (1); SELECT a FROM t'
out=$("$Q" -c "$c" 2>"$T/err")
[ $? -eq 1 ] || fail "-c with a failure should exit 1"
case "$out" in *1*) fail "-c should stop at the first failure: $out" ;; esac
grep -q "^error: unknown command 'nosuch'" "$T/err" || fail "-c error: $(cat "$T/err")"
out=$("$Q" --keep-going -c "$c" 2>/dev/null)
[ $? -eq 1 ] || fail "-c --keep-going with a failure should exit 1"
echo "$out" | grep -q '^1$' || fail "-c --keep-going should go on after a failure: $out"
s='CREATE TABLE t(a INTEGER);\nnosuch\nINSERT INTO t VALUES (1);\nSELECT a FROM t;\n'
out=$(printf "$s" | "$Q" 2>"$T/err"); st=$?
[ $st -eq 1 ] || fail "stdin with a failure should exit 1, not $st"
case "$out" in *1*) fail "stdin should stop at the first failure: $out" ;; esac
grep -q "^error: line 2: unknown command 'nosuch'" "$T/err" || fail "stdin error: $(cat "$T/err")"
out=$(printf "$s" | "$Q" --keep-going 2>/dev/null)
echo "$out" | grep -q '^1$' || fail "stdin --keep-going should go on: $out"

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

# A script is read as a stream (a pipe, a FIFO, /dev/stdin work); a
# directory is refused, a NUL byte (not a text file: /dev/zero) stops it
# with an error, and the exit status says so.
out=$(printf 'SELECT 40+2;\n' | "$Q" -f /dev/stdin 2>&1) || fail "-f /dev/stdin: $out"
echo "$out" | tail -1 | grep -q '^ *42$' || fail "-f /dev/stdin output: $out"
mkfifo "$T/fifo1"
printf 'SELECT 40+3;\n' > "$T/fifo1" &
out=$("$Q" -f "$T/fifo1" 2>&1) || fail "-f FIFO: $out"
echo "$out" | tail -1 | grep -q '^ *43$' || fail "-f FIFO output: $out"
"$Q" -f "$T" > "$T/out" 2>&1; st=$?
[ $st -eq 1 ] || fail "-f DIRECTORY should exit 1, not $st"
grep -q "is a directory, not a script" "$T/out" || fail "-f DIRECTORY message: $(cat "$T/out")"
timeout 20 "$Q" -f /dev/zero > "$T/out" 2>&1; st=$?
[ $st -eq 1 ] || fail "-f /dev/zero should exit 1, not $st"
grep -q "holds a NUL byte: it is not a text script" "$T/out" || fail "-f /dev/zero: $(cat "$T/out")"
printf 'SELECT 1;\nSELECT 2; \000\nSELECT 3;\n' > "$T/nul.qry"
"$Q" --keep-going -f "$T/nul.qry" > "$T/out" 2>&1; st=$?
[ $st -eq 1 ] || fail "a script with a NUL should exit 1, not $st"
grep -q "^error: line 2: '.*nul.qry' holds a NUL byte" "$T/out" || fail "NUL line: $(cat "$T/out")"
grep -q '^[23]$' "$T/out" && fail "statements from the NUL line on ran: $(cat "$T/out")"

# Ctrl-C stops a script, even with --keep-going, and quarry exits 130:
# while it waits for input, and during a statement.
# wait_stopped PID WHAT: wait (at most 20 s) for PID to end; its status in st.
wait_stopped() {
    i=0
    while kill -0 "$1" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
    if kill -0 "$1" 2>/dev/null; then kill -KILL "$1"; wait "$1"; fail "$2: still running after Ctrl-C"; fi
    wait "$1"; st=$?
}
mkfifo "$T/fifo2"
"$Q" --keep-going -f "$T/fifo2" > "$T/out" 2>&1 & pid=$!
exec 3>"$T/fifo2"
printf 'SELECT 40+4;\n' >&3
i=0; until grep -q '^ *44$' "$T/out" || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
kill -INT $pid; wait_stopped $pid "reading a script"
exec 3>&-
[ $st -eq 130 ] || fail "Ctrl-C while reading a script should exit 130, not $st: $(cat "$T/out")"
long='WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c'
"$Q" --keep-going -c "$long; SELECT 45" > "$T/out" 2>&1 & pid=$!
sleep 1; kill -INT $pid; wait_stopped $pid "a long statement"
[ $st -eq 130 ] || fail "Ctrl-C during a statement should exit 130, not $st: $(cat "$T/out")"
grep -q '^ *45$' "$T/out" && fail "the statement after Ctrl-C ran"
grep -q 'interrupted' "$T/out" || fail "Ctrl-C message: $(cat "$T/out")"
exit 0
