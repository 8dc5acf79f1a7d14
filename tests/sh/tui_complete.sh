# Tab completion: a command, a key of the command, a table, a column of the
# table named earlier (also inside a comma list), SQL names; and history
# recalled after a restart.
. tests/tui/lib.sh
start 100 30 --init sample-data/load.qry
type_text 'hel'; keys Tab
wait_for 'quarry> help$' || fail "command completion: $(prompt_line)"
[ "$(cursor_x)" -eq 13 ] || fail "a space should follow the completed command"
keys C-u
type_text 'he'; keys Tab
wait_for '^head +help' || fail "ambiguous completion should list head and help"
keys C-u
type_text 'head ord'; keys Tab
wait_for 'quarry> head order' || fail "table completion"
type_text 's n'; keys Tab
wait_for 'quarry> head orders n=$' || fail "key completion: $(prompt_line)"
keys C-u
type_text 'SELECT amo'; keys Tab
wait_for 'quarry> SELECT amount' || fail "SQL column completion: $(prompt_line)"
keys C-u
enter 'SELECT sum(amount)'
# the continuation prompt first: keys typed before it may race the line's handling
wait_for '^   \.\.\.> *$' || fail "no continuation prompt: $(prompt_line)"
type_text 'FROM ord'; keys Tab
wait_for '^   \.\.\.> FROM order' || fail "table completion on a continuation line: $(prompt_line)"
type_text 's WHERE amo'; keys Tab
wait_for '\.\.\.> FROM orders WHERE amount' || fail "column completion on a continuation line"
keys C-c
enter 'SELECT count(*) AS n FROM customers;'
wait_for '^5000$' || fail "statement"
enter 'quit'
wait_for 'QUARRY-EXIT-0' || fail "quit"
start 100 30
keys Up
wait_for 'quarry> quit' || fail "history: Up should recall quit"
keys Up
wait_for 'quarry> SELECT count\(\*\) AS n FROM customers;' || fail "history after restart"
keys C-u
enter 'quit'
asan_clean
