# --plain at a terminal completes with Tab as the full-screen interface does
# (issue 13): the same engine (commands/complete.h) through readline, for
# command names, tables, columns in SQL and a command's keys.
. tests/tui/lib.sh
start 100 20 --plain
enter "CREATE TABLE orders_x(amount REAL, customer INTEGER);"
# the next prompt first: keys typed while a statement runs echo before it
wait_after '^quarry> CREATE' '^quarry>$' || fail "CREATE"
type_text 'desc'
keys Tab
wait_for '^quarry> describe ?$' || fail "Tab should complete the command name"
type_text 'orders_'
keys Tab
wait_for '^quarry> describe orders_x ?$' || fail "Tab should complete the table name"
keys C-u
type_text 'SELECT cus'
keys Tab
wait_for '^quarry> SELECT customer ?$' || fail "Tab should complete a column in SQL"
keys C-u
type_text 'cluster orders_x '
keys Tab Tab
wait_for '^cols= +' || fail "Tab Tab should list the command's keys"
screen | grep -q 'distance= ' || fail "Tab Tab: distance="
keys C-u
enter 'quit'
wait_for 'QUARRY-EXIT-0' || fail "quit"
asan_clean
