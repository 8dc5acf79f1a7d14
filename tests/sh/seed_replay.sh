# A random command run without seed= draws a fresh seed, records it in the
# history, and the saved script replays to the same rows (split, sample).
set -u
Q=$QUARRY
T=$QUARRY_TMP/seed
mkdir -p "$T"
fail() { echo "seed_replay: $*"; exit 1; }
dump='SELECT group_concat(i || split) FROM s; SELECT group_concat(i) FROM s2;'
"$Q" -c "CREATE TABLE s (i INTEGER);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 50) INSERT INTO s SELECT i FROM c;
split s
sample s n=7 as s2
history save $T/s.qry
$dump" > "$T/live" 2>/dev/null || fail "the session failed"
grep -q '^split s seed=[0-9][0-9]*$' "$T/s.qry" || fail "split's seed not recorded: $(cat "$T/s.qry")"
grep -q '^sample s n=7 as s2 seed=[0-9][0-9]*$' "$T/s.qry" || fail "sample's seed not recorded"
"$Q" -c "$(cat "$T/s.qry"); $dump" > "$T/replay" 2>/dev/null || fail "replay failed"
tail -6 "$T/live" > "$T/a"; tail -6 "$T/replay" > "$T/b"
diff -u "$T/a" "$T/b" || fail "replay differs"
exit 0
