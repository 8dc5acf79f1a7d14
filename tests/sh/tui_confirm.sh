# open and quit with unsaved work ask first at the prompt, as Ctrl-D does:
# n keeps the session and its work (the rest of the line is dropped), y
# goes ahead. An --init script and plain mode never ask: a script means it.
. tests/tui/lib.sh
"$QUARRY" -c "CREATE TABLE saved(x INTEGER); INSERT INTO saved VALUES (7); save $T/w.qdb" \
    >/dev/null || fail "making the workspace"
printf 'CREATE TABLE early(x INTEGER);\nopen %s\n' "$T/w.qdb" > "$T/init.qry"
start 100 30 --init "$T/init.qry"
# The init script's open went ahead without a question.
wait_for "opened $T/w.qdb: 1 table" 10 || fail "open in the init script asked"
enter 'CREATE TABLE unsaved(x INTEGER); INSERT INTO unsaved VALUES (1);'
wait_for '1 row changed' || fail "setup"
enter "open $T/w.qdb; tables"
wait_for "Open $T/w.qdb without saving them\? \(y/N\)" || fail "open did not ask"
type_text 'n'
wait_after "^quarry> open $T/w.qdb; tables" "^not done$" || fail "n should say open was not done"
enter 'tables'
wait_after '^quarry> tables$' '^unsaved +1 +1$' || fail "n should keep the unsaved table"
# The tables after open on the line waited for the answer: dropped, so one listing only.
[ "$(screen | grep -c '^unsaved ')" = 1 ] || fail "the rest of the line ran"
enter "open $T/w.qdb"
wait_for 'without saving them\? \(y/N\)' || fail "open did not ask again"
type_text 'y'
wait_for "opened $T/w.qdb: 1 table" || fail "y should open"
enter 'tables'
wait_after '^quarry> tables$' '^saved +1 +1$' || fail "the workspace's tables after open"
enter 'history'
wait_after '^quarry> history$' 'open' || fail "history"
# A question is not a statement: the history holds the init script's open and
# the one said yes to, not the two that asked.
[ "$(screen | awk '/^quarry> history$/ { on = 1 } on' | grep -c "ok  *open $T/w.qdb$")" = 2 ] ||
    fail "open recorded when it asked"
# Nothing unsaved after open: quit asks nothing.
enter 'CREATE TABLE more(x INTEGER);'
wait_after '^quarry> CREATE TABLE more' 'quarry>' || true
enter 'quit'
wait_for 'Quit without saving\? \(y/N\)' || fail "quit did not ask"
type_text 'n'
wait_after '^quarry> quit$' '^not done$' || fail "n should keep the session"
screen | grep -q QUARRY-EXIT && fail "quit after n"
enter 'quit'
wait_for 'Quit without saving' || fail "quit did not ask again"
type_text 'y'
wait_for 'QUARRY-EXIT-0' || fail "y should quit"
asan_clean
# Plain mode goes ahead: the script's open replaces the unsaved table.
out=$("$QUARRY" -c "CREATE TABLE unsaved(x INTEGER); open $T/w.qdb; tables")
echo "$out" | grep -q '^saved ' || fail "plain open should go ahead: $out"
echo "$out" | grep -q '^unsaved ' && fail "plain open kept the unsaved table"
exit 0
