# A reader that leaves (issue 14): `quarry ... | head -1` used to die of
# SIGPIPE, and in the TUI a FIFO or gnuplot that went away killed the
# session and its unsaved catalog. SIGPIPE is ignored now: when standard
# output's reader leaves, quarry stops quietly with status 141 (what cat
# and sqlite3 end with); another output that breaks (a FIFO) is an error
# for that statement only, and the session goes on.
set -u
Q=$QUARRY
T=$QUARRY_TMP/sigpipe
mkdir -p "$T"
fail() { echo "sigpipe: $*"; exit 1; }

# 1. export to standard output read by head -1: quiet, status 141, no signal death.
( "$Q" -c "load sample-data/orders.csv as t; export t /dev/stdout; SELECT 'after'" \
      2>"$T/err1"; echo $? > "$T/rc1" ) | head -1 > "$T/head1"
[ "$(cat "$T/rc1")" = 141 ] || fail "export | head -1 exit status $(cat "$T/rc1"), not 141"
[ -s "$T/err1" ] && fail "export | head -1 printed on stderr: $(cat "$T/err1")"
grep -q "^loaded 69788 rows" "$T/head1" || fail "head -1 read: $(cat "$T/head1")"

# 2. a large SELECT read by head -2: the same.
( "$Q" -c "load sample-data/orders.csv as t; SELECT * FROM t" 2>"$T/err2"; echo $? > "$T/rc2" ) |
    head -2 > /dev/null
[ "$(cat "$T/rc2")" = 141 ] || fail "SELECT | head -2 exit status $(cat "$T/rc2"), not 141"
[ -s "$T/err2" ] && fail "SELECT | head -2 printed on stderr: $(cat "$T/err2")"

# 3. a FIFO whose reader leaves: that export fails with an error, the next statement runs.
mkfifo "$T/fifo"
head -c 10 < "$T/fifo" > /dev/null &
reader=$!
out=$("$Q" --keep-going -c "load sample-data/orders.csv as t; export t $T/fifo; SELECT count(*) AS n FROM t" 2>&1)
rc=$?
wait $reader
[ $rc = 1 ] || fail "export to a closed FIFO: status $rc, not 1: $out"
echo "$out" | grep -q "error: .*Broken pipe" || fail "export to a closed FIFO said: $out"
echo "$out" | grep -q "^69788$" || fail "the statement after the broken FIFO did not run: $out"
exit 0
