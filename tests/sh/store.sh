# The model store in workspace files: a state BLOB damaged behind quarry's
# back (a flipped byte, cut short, not a BLOB) is a clear error that names
# the transform and the remedy, which works; a workspace saved before the
# store (quarry_transforms with a row per column) is read as it is and
# rewritten into the store's layout on the first change.
set -u
Q=$QUARRY
T=$QUARRY_TMP/store
mkdir -p "$T"
fail() { echo "store: $*"; exit 1; }
command -v sqlite3 >/dev/null || fail "the sqlite3 shell is needed (apt-get install sqlite3)"

"$Q" -c "CREATE TABLE n (x REAL); INSERT INTO n VALUES (1), (2), (4), (100);
normalize n cols=x as n1; save $T/good.qdb" >/dev/null 2>"$T/err" || fail "setup: $(cat "$T/err")"
[ "$(sqlite3 "$T/good.qdb" "SELECT kind, hex(substr(state, 1, 4)) FROM quarry_transforms")" = \
  "normalize|51535441" ] || fail "the state should start with the magic QSTA"
# x = 1 2 4 100 scaled with n1's (x - 1) / 99 * 2 - 1: 50.5 -> 0
out=$("$Q" "$T/good.qdb" -c "CREATE TABLE m (x REAL); INSERT INTO m VALUES (50.5);
normalize m using=n1; SELECT x FROM m" 2>&1) || fail "intact workspace: $out"
[ "$(echo "$out" | tail -1)" = "0.0" ] || fail "intact workspace: $out"

# corrupt COPY SQL: a copy of good.qdb with SQL run on it by the sqlite3 shell
corrupt() { cp "$T/good.qdb" "$T/$1.qdb" && sqlite3 "$T/$1.qdb" "$2" || fail "sqlite3 $1"; }
# A byte flipped in the last number of the payload.
# (|| makes text of blobs, byte for byte; CAST takes it back to a BLOB.)
corrupt flip "UPDATE quarry_transforms SET state = CAST(substr(state, 1, length(state) - 4) ||
  CASE substr(state, length(state) - 3, 1) WHEN x'00' THEN x'01' ELSE x'00' END ||
  substr(state, length(state) - 2) AS BLOB)"
corrupt cut "UPDATE quarry_transforms SET state = substr(state, 1, 20)"
corrupt text "UPDATE quarry_transforms SET state = 'hello'"
for c in flip:"its checksum does not match" cut:"its state is cut short" \
         text:"its state is not a BLOB"; do
    name=${c%%:*} want=${c#*:}
    "$Q" "$T/$name.qdb" -c "normalize n using=n1 as back" >"$T/out" 2>"$T/err"
    [ $? -eq 1 ] || fail "$name: using a damaged transform should fail"
    grep -q "^error: transform 'n1' is damaged: $want" "$T/err" || fail "$name: $(cat "$T/err")"
    grep -q "^drop model n1 and fit it again" "$T/err" || fail "$name: no remedy: $(cat "$T/err")"
    out=$("$Q" "$T/$name.qdb" -c models 2>&1) || fail "$name: models should list a damaged one"
    echo "$out" | grep -q "n1 .*DAMAGED" || fail "$name: models: $out"
    echo "$out" | grep -q "transform 'n1' is damaged: $want" || fail "$name: models: $out"
    # the remedy works
    out=$("$Q" "$T/$name.qdb" -c "drop model n1; drop n1; normalize n cols=x as n1; models" 2>&1) ||
        fail "$name: drop model and fit again: $out"
    echo "$out" | grep -q DAMAGED && fail "$name: still damaged after the remedy: $out"
done

# A workspace saved before the store: quarry_transforms with a row per column.
sqlite3 "$T/old.qdb" "CREATE TABLE n (x REAL, y REAL);
INSERT INTO n VALUES (1, 10), (2, 20), (4, 40), (100, 30);
CREATE TABLE quarry_transforms (transform TEXT, col TEXT, method TEXT, center REAL,
  scale REAL, lo REAL, hi REAL);
INSERT INTO quarry_transforms VALUES ('n1', 'x', 'minmax', 1.0, 99.0, -1.0, 1.0),
  ('n1', 'y', 'zscore', 25.0, 10.0, -1.0, 1.0), ('nz', 'x', 'zscore', 26.75, 48.8, -1.0, 1.0);" ||
    fail "sqlite3 old.qdb"
out=$("$Q" "$T/old.qdb" -c models 2>&1) || fail "old layout: models: $out"
old="^normalize +n1 +NULL +x,y +NULL +minmax, zscore \(saved by an older quarry\)$"
echo "$out" | grep -Eq "$old" || fail "old layout: models: $out"
# using= reads it without rewriting it: y = (x - 25) / 10
out=$("$Q" "$T/old.qdb" -c "normalize n using=n1 as s; SELECT x, y FROM s WHERE rowid = 2;
SELECT count(*) FROM pragma_table_info('quarry_transforms')" 2>&1) || fail "old layout: $out"
echo "$out" | grep -Eq "^ *-0\.97979797979798 +-0\.5$" || fail "old layout using=: $out"
[ "$(echo "$out" | tail -1 | tr -d ' ')" = 7 ] || fail "reading should leave the old table: $out"
# the first change rewrites it; the old transforms keep working after save and open
"$Q" "$T/old.qdb" -c "normalize n cols=y method=log as nl; save $T/new.qdb" >/dev/null 2>&1 ||
    fail "old layout: a new fit"
rows=$(sqlite3 "$T/new.qdb" "SELECT name, kind, cols FROM quarry_transforms ORDER BY name")
[ "$(echo "$rows" | tr '\n' ' ')" = "n1|normalize|x,y nl|normalize|y nz|normalize|x " ] ||
    fail "rewritten layout: $rows"
out=$("$Q" "$T/new.qdb" -c "normalize n using=nz as z; SELECT round(x, 6) FROM z WHERE rowid = 1" \
    2>&1) || fail "rewritten: $out"
[ "$(echo "$out" | tail -1 | tr -d ' ')" = "-0.527664" ] || fail "rewritten nz: $out"
# A damaged old-layout row is a clear error too.
sqlite3 "$T/old.qdb" "UPDATE quarry_transforms SET center = 'abc' WHERE transform = 'nz'"
"$Q" "$T/old.qdb" -c "normalize n using=nz as z" >/dev/null 2>"$T/err"
grep -q "^error: transform 'nz' is damaged: row 1 of its old layout holds the wrong type in" \
    "$T/err" || fail "damaged old layout: $(cat "$T/err")"
exit 0
