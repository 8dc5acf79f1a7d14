# save then open gives identical tables; a save killed half-way leaves the
# previous workspace intact; a workspace holding a trigger or a view that
# calls a function is refused and the catalog is left as it was; so are a
# generated column, a virtual table, a FIFO and a device (issue 14). A
# WAL-mode workspace opens without leaving -wal and -shm files beside it
# and is saved in rollback mode; one whose log holds changes is refused.
set -u
Q=$QUARRY
T=$QUARRY_TMP/ws
mkdir -p "$T"
fail() { echo "workspace: $*"; exit 1; }
dump='SELECT name, sql FROM sqlite_schema ORDER BY name; SELECT * FROM a ORDER BY rowid; SELECT count(*), sum(x), sum(length(y)) FROM big'
make_sql="CREATE TABLE a(id INTEGER, name TEXT, d DATE_TEXT, v REAL);
INSERT INTO a VALUES (1, 'Zoë', '2024-02-29', 0.1), (2, NULL, NULL, -3.5e-7), (3, 'x''y', '2023-01-01', 1e300);
CREATE TABLE big AS WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 200000)
  SELECT i AS x, printf('row %d', i) AS y FROM c;"

"$Q" -c "$make_sql save $T/w.qdb; $dump" > "$T/before" 2>&1 || fail "save: $(cat "$T/before")"
"$Q" "$T/w.qdb" -c "$dump" > "$T/after" 2>&1 || fail "open: $(cat "$T/after")"
tail -n +2 "$T/after" > "$T/after2"   # drop the 'opened ...' line
grep -v -e '^saved' -e 'rows changed' "$T/before" > "$T/before2"
diff -u "$T/before2" "$T/after2" || fail "tables differ after save and open"
"$Q" -c "open $T/w.qdb; SELECT count(*) FROM big" | tail -1 | grep -q '^ *200000$' || fail "open command"

# A save killed half-way through writing leaves the old file intact.
cp "$T/w.qdb" "$T/w.orig"
QUARRY_FAULT=save-midway "$Q" -c "open $T/w.qdb; DELETE FROM big; save $T/w.qdb" >/dev/null 2>&1
[ $? -ne 0 ] || fail "the fault injection did not kill the save"
cmp -s "$T/w.qdb" "$T/w.orig" || fail "a killed save damaged the workspace"
"$Q" -c "open $T/w.qdb; SELECT count(*) FROM big" | tail -1 | grep -q '^ *200000$' || fail "old workspace unreadable"

# Hostile workspaces: a trigger, and a view calling a function.
rm -f "$T/trig.qdb" "$T/view.qdb"
sqlite3 "$T/trig.qdb" "CREATE TABLE t(a); CREATE TABLE log(x); CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES (load_extension('/tmp/evil')); END;"
sqlite3 "$T/view.qdb" "CREATE TABLE t(a); CREATE VIEW v AS SELECT load_extension('/tmp/evil') FROM t;"
for f in trig view; do
    out=$("$Q" --keep-going -c "CREATE TABLE mine(z); open $T/$f.qdb; tables" 2>&1)
    [ $? -eq 1 ] || fail "$f.qdb was not refused"
    echo "$out" | grep -q "refusing '$T/$f.qdb': it holds a" || fail "$f.qdb message: $out"
    echo "$out" | grep -q '^mine ' || fail "catalog changed after refusing $f.qdb: $out"
done
# A damaged file is refused too.
printf 'SQLite format 3\000garbage' > "$T/bad.qdb"
"$Q" -c "open $T/bad.qdb" 2>&1 | grep -q "error:" || fail "damaged file accepted"
# Saving to a directory fails clearly.
"$Q" -c "save $T" 2>&1 | grep -q "is a directory" || fail "save to a directory"
# Deleted data does not survive in a saved file: the catalog frees pages
# without zeroing them (secure_delete FAST, for speed), and save zeroes
# every free page. The marker is in dropped and deleted rows only.
"$Q" -c "CREATE TABLE keep (v TEXT); INSERT INTO keep VALUES ('kept-value');
CREATE TABLE secret AS WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 20000)
  SELECT i, 'SeCrEt-' || i AS s FROM c;
CREATE TABLE gone AS SELECT * FROM secret;
DROP TABLE secret;
DELETE FROM gone;
save $T/scrub.qdb" > "$T/scrub.out" 2>&1 || fail "scrub save: $(cat "$T/scrub.out")"
grep -q kept-value "$T/scrub.qdb" || fail "the kept row is missing from the file"
if grep -q SeCrEt "$T/scrub.qdb"; then fail "deleted data is in the saved file"; fi
"$Q" "$T/scrub.qdb" -c "SELECT v FROM keep; SELECT count(*) FROM gone; PRAGMA integrity_check" > "$T/scrub.chk" 2>&1 ||
    fail "scrubbed file: $(cat "$T/scrub.chk")"
grep -q '^ *ok$' "$T/scrub.chk" || fail "integrity_check on the scrubbed file: $(cat "$T/scrub.chk")"

# Generated columns (an expression run on every read) and virtual tables are refused too.
rm -f "$T/gen.qdb" "$T/vt.qdb"
sqlite3 "$T/gen.qdb" "CREATE TABLE t(a, b AS (length(zeroblob(a))) VIRTUAL); INSERT INTO t(a) VALUES (1);"
sqlite3 "$T/vt.qdb" "CREATE VIRTUAL TABLE v USING fts5(x);"
for f in gen:"a generated column 't.b'" vt:"a virtual table 'v'"; do
    out=$("$Q" --keep-going -c "CREATE TABLE mine(z); open $T/${f%%:*}.qdb; tables" 2>&1)
    [ $? -eq 1 ] || fail "${f%%:*}.qdb was not refused"
    echo "$out" | grep -q "refusing '$T/${f%%:*}.qdb': it holds ${f#*:}" ||
        fail "${f%%:*}.qdb message: $out"
    echo "$out" | grep -q '^mine ' || fail "catalog changed after refusing ${f%%:*}.qdb: $out"
done
# A FIFO or a device is not a workspace (a FIFO would be waited on forever).
mkfifo "$T/ws.fifo"
out=$(timeout 10 "$Q" -c "open $T/ws.fifo" 2>&1)
[ $? -eq 1 ] && echo "$out" | grep -q "is a FIFO, not a workspace file" || fail "open FIFO: $out"
out=$(timeout 10 "$Q" -c "open /dev/zero" 2>&1)
[ $? -eq 1 ] && echo "$out" | grep -q "is a device, not a workspace file" || fail "open /dev/zero: $out"
# A WAL-mode file (another tool's) opens without leaving -wal/-shm, and is saved in
# rollback mode (header bytes 18 and 19 are 1), so opening the copy leaves none either.
rm -f "$T/wal.qdb"*
sqlite3 "$T/wal.qdb" "PRAGMA journal_mode=WAL; CREATE TABLE t(a); INSERT INTO t VALUES (1), (2);" >/dev/null
[ "$(od -An -tu1 -j18 -N2 "$T/wal.qdb" | tr -s ' ')" = " 2 2" ] || fail "sqlite3 made no WAL file"
"$Q" -c "open $T/wal.qdb; SELECT count(*) FROM t; save $T/wal2.qdb" > "$T/wal.out" 2>&1 ||
    fail "open a WAL workspace: $(cat "$T/wal.out")"
grep -q '^ *2$' "$T/wal.out" || fail "WAL workspace rows: $(cat "$T/wal.out")"
ls "$T" | grep -q -e '-wal$' -e '-shm$' && fail "opening left: $(ls "$T")"
[ "$(od -An -tu1 -j18 -N2 "$T/wal2.qdb" | tr -s ' ')" = " 1 1" ] || fail "saved in WAL mode"
"$Q" "$T/wal2.qdb" -c "SELECT count(*) FROM t" | tail -1 | grep -q '^ *2$' || fail "wal2.qdb rows"
ls "$T" | grep -q -e '-wal$' -e '-shm$' && fail "opening the saved copy left: $(ls "$T")"
# A log holding changes the file lacks: refused, not read without them.
printf 'not empty' > "$T/wal.qdb-wal"
out=$("$Q" -c "open $T/wal.qdb" 2>&1)
[ $? -eq 1 ] && echo "$out" | grep -q "has changes in its write-ahead log" || fail "open with a log: $out"
rm -f "$T/wal.qdb-wal"
exit 0
