# The TUI: the prompt, a tables result in the pane, the status bar, F1
# help, scrollback with PgUp/End, and a resize to 100x30 and back.
. tests/tui/lib.sh
start 80 24 --init sample-data/load.qry
wait_for '^orders +69788 +4$' 20 || fail "init script output"
screen | grep -q 'F1 help' || fail "status bar"
screen | grep -Eq 'in memory \| 4 tables' || fail "status bar tables"
enter 'tables'
# The start-up script printed the same line: only a line below the echoed
# statement counts.
wait_after '^quarry> tables$' '^orders +69788 +4$' || fail "tables result"
enter 'describe orders'
wait_after '^quarry> describe orders$' '^amount +real' || fail "describe"
keys F1
wait_for '^  help +help \[COMMAND\]' || fail "F1 help"
keys PPage
wait_for 'scrolled up' || fail "PgUp"
keys End
sleep 0.2
screen | grep -q 'scrolled up' && fail "End should return to the bottom"
# The mouse wheel (SGR reports, as terminals send them) scrolls too.
type_text "$(printf '\033[<64;10;5M')"
wait_for 'scrolled up 3 ' || fail "mouse wheel up"
type_text "$(printf '\033[<65;10;5M')"
sleep 0.2
screen | grep -q 'scrolled up' && fail "mouse wheel down"
type_text 'abc'; keys Left Left
type_text 'X'
wait_for 'quarry> aXbc' || fail "arrow keys after mouse support"
keys C-u
tmux resize-window -t "$SESSION" -x 100 -y 30
sleep 0.3
[ "$(screen | wc -l)" -eq 30 ] || fail "not 30 lines after resize"
enter 'SELECT 42 AS answer;'
wait_for '^    42$' || fail "output after resize"
screen | tail -2 | head -1 | grep -q 'F1 help' || fail "status bar placement at 100x30"
tmux resize-window -t "$SESSION" -x 30 -y 8
wait_for 'needs at least 40x10' || fail "too-small message"
tmux resize-window -t "$SESSION" -x 80 -y 24
wait_for 'quarry> ' || fail "prompt after growing again"
[ "$(screen | head -1 | wc -c)" -le 81 ] || fail "line wider than 80 after resize"
enter 'quit'
wait_for 'QUARRY-EXIT-0' || fail "quit"
asan_clean
