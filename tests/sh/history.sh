# history save writes the session's successful statements as a script that
# quarry -f replays to the same catalog (undo included); failed statements
# and history itself are left out.
set -u
Q=$QUARRY
T=$QUARRY_TMP/hist
mkdir -p "$T"
fail() { echo "history: $*"; exit 1; }
dump='SELECT name, sql FROM sqlite_schema ORDER BY name; SELECT * FROM t ORDER BY a;'
"$Q" --keep-going -c "CREATE TABLE t(a INTEGER, b TEXT);
INSERT INTO t VALUES (1, 'one'), (2, 'two');
nosuch command
CREATE TABLE u AS SELECT a * 10 AS a10 FROM t;
DELETE FROM t WHERE a = 1;
undo
rename u as v
set seed=7
history save $T/s.qry
$dump" > "$T/live" 2>/dev/null
[ -f "$T/s.qry" ] || fail "no script written"
grep -q nosuch "$T/s.qry" && fail "a failed statement was saved"
grep -q '^history' "$T/s.qry" && fail "history itself was saved"
grep -q '^undo$' "$T/s.qry" || fail "undo missing from the script"
"$Q" -c "$(cat "$T/s.qry"); $dump" > "$T/replay" 2>/dev/null || fail "replay failed"
# Compare only the dump (the last lines of each run).
tail -8 "$T/live" > "$T/a"; tail -8 "$T/replay" > "$T/b"
diff -u "$T/a" "$T/b" || fail "replay differs"
"$Q" -f "$T/s.qry" > /dev/null 2>&1 || fail "quarry -f on the saved script failed"
grep -q "^1  one" "$T/b" || fail "undo was not replayed: $(cat "$T/b")"
exit 0
