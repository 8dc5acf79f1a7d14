# At the full-screen prompt, save over a file that is not a workspace and
# export over a workspace ask first (y/N), as open and quit do: n leaves
# the file byte for byte and says "not done"; y writes it (save keeping
# the old file as .bak) and the history records the statement with
# replace=yes, so a replay does what was done. Scripts and plain mode
# refuse instead (tests/sh/replace_files.sh).
. tests/tui/lib.sh
printf 'a,b\n1,x\n' > "$T/data.csv"
cp "$T/data.csv" "$T/data.orig"
"$QUARRY" -c "CREATE TABLE w(x INTEGER); save $T/w.qdb" > /dev/null || fail "making the workspace"
cp "$T/w.qdb" "$T/w.orig"
start 120 30
enter 'CREATE TABLE t(a INTEGER, b TEXT); INSERT INTO t VALUES (1, '"'x'"');'
wait_for '1 row changed' || fail "setup"

enter "save $T/data.csv"
wait_after "^quarry> save $T/data.csv$" "data\.csv' is not a quarry workspace \(it is not an SQLite" ||
    fail "save over a CSV did not say why"
wait_for '^Replace data\.csv\? \(y/N\)' || fail "save over a CSV did not ask"
type_text 'n'
wait_after "^quarry> save $T/data.csv$" '^not done$' || fail "n should say save was not done"
cmp -s "$T/data.csv" "$T/data.orig" || fail "n changed the CSV"
[ -e "$T/data.csv.bak" ] && fail "n left a .bak"

enter "save $T/data.csv"
wait_for '^Replace data\.csv\? \(y/N\)' || fail "save did not ask again"
type_text 'y'
wait_for "saved the catalog to $T/data.csv" || fail "y should save"
[ "$(head -c 15 "$T/data.csv")" = "SQLite format 3" ] || fail "y wrote no workspace"
cmp -s "$T/data.csv.bak" "$T/data.orig" || fail "the CSV was not kept as .bak"

enter "export t $T/w.qdb format=csv"
wait_after "^quarry> export t $T/w.qdb format=csv$" "w\.qdb' is a quarry workspace \(an SQLite database\)" ||
    fail "export over a workspace did not say why"
wait_for '^Replace w\.qdb\? \(y/N\)' || fail "export over a workspace did not ask"
type_text 'n'
wait_after "^quarry> export t $T/w.qdb format=csv$" '^not done$' || fail "n should say not done"
cmp -s "$T/w.qdb" "$T/w.orig" || fail "n changed the workspace"
enter "export t $T/w.qdb format=csv"
wait_for '^Replace w\.qdb\? \(y/N\)' || fail "export did not ask again"
type_text 'y'
wait_for "wrote 1 row of 't' to $T/w.qdb" || fail "y should export"
printf 'a,b\n1,x\n' | cmp -s - "$T/w.qdb" || fail "y wrote: $(cat "$T/w.qdb")"

# The history holds what was done, with replace=yes, and not the questions.
enter 'history'
wait_after '^quarry> history$' 'export t' || fail "history"
h=$(screen | awk '/^quarry> history$/ { on = 1 } on')
echo "$h" | grep -q "ok  *save $T/data.csv replace=yes$" || fail "save not recorded with replace=yes"
echo "$h" | grep -q "ok  *export t $T/w.qdb format=csv replace=yes$" ||
    fail "export not recorded with replace=yes"
[ "$(echo "$h" | grep -c "save $T/data.csv")" = 1 ] || fail "a question was recorded"
asan_clean
exit 0
