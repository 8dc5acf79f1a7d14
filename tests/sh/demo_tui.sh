# demo in the TUI (tmux): one step per Enter, each step in the history as
# typed; any other key stops; fast=yes runs straight through. The marketing
# demo (24 steps, no network) keeps it quick.
. tests/tui/lib.sh
start 140 40
enter 'demo marketing'
wait_for '^\[marketing 1/24\]' 30 || fail "step 1 did not run"
wait_for 'Enter: step 2 of 24' 30 || fail "no question for step 2"
screen | grep -q '^\[marketing 2/24\]' && fail "step 2 ran before Enter"
keys Enter
wait_for '^\[marketing 2/24\]' 30 || fail "Enter did not run step 2"
wait_for 'Enter: step 3 of 24' 30 || fail "no question for step 3"
keys Enter
wait_for '^\[marketing 3/24\]' 30 || fail "Enter did not run step 3"
wait_for 'Enter: step 4 of 24' 30 || fail "no question for step 4"
type_text 'x'
wait_for '^not done$' || fail "another key should stop the demo"
screen | grep -q '^\[marketing 4/24\]' && fail "step 4 ran after x"
# The three steps are in the history as typed (and demo itself, not saved).
enter 'history save '"$T"'/s.qry'
wait_for 'wrote 3 statements' 15 || fail "history save should hold the 3 steps"
[ "$(grep -c '^load ' "$T/s.qry")" = 3 ] || fail "the script: $(cat "$T/s.qry")"
# undo takes the last step back; the demo goes on from step 3 by step=.
enter 'undo'
wait_after '^quarry> undo$' '^undid: load sample-data/truth_monthly.csv as mk_planted' ||
    fail "undo should take step 3 back"
enter 'demo marketing step=3'
wait_after '^quarry> demo marketing step=3$' '^\[marketing 3/24\]' 30 || fail "step=3"
wait_for 'Enter: step 4 of 24' 30 || fail "no question after step=3"
type_text 'q'
wait_for '^not done$' || fail "q should stop"
enter 'quit'
wait_for 'Quit without saving' 10 && type_text 'y'
wait_for 'QUARRY-EXIT-0' || fail "quit"
asan_clean
# fast=yes runs straight through (a fresh start, so the prefix is free).
start 140 40
enter 'demo marketing fast=yes'
wait_for '^demo marketing done: 24 steps' 60 || fail "fast=yes did not run through"
screen | grep -q 'Enter: step' && fail "fast=yes asked"
enter 'quit'
wait_for 'Quit without saving' 10 && type_text 'y'
wait_for 'QUARRY-EXIT-0' || fail "quit"
asan_clean
exit 0
