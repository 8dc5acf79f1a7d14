# Ctrl-C cancels a long command and leaves the catalog unchanged; Ctrl-C at
# the prompt drops the line and never quits; Ctrl-D asks before leaving
# unsaved work, and n keeps the session.
. tests/tui/lib.sh
start 100 30
enter 'CREATE TABLE keep(x INTEGER); INSERT INTO keep VALUES (1);'
wait_for '1 row changed' || fail "setup"
awk 'BEGIN { print "id,amount,label"; for (i = 1; i <= 3000000; i++) printf "%d,%d.5,row %d\n", i, i % 977, i }' > "$T/big.csv"
enter "load $T/big.csv as big"
wait_for 'running.*%' 10 || fail "no progress bar"
keys C-c
wait_for 'interrupted; the catalog is unchanged' 20 || fail "cancel"
enter 'WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 300000000) SELECT count(*) FROM c;'
wait_for 'running' 5 || fail "no running status for SQL"
keys C-c
# The cancelled load printed the same words: only a line below this
# statement counts.
wait_after '^quarry> WITH RECURSIVE' 'error: interrupted' 10 || fail "cancel SQL"
enter 'tables'
wait_for '^keep +1 +1$' || fail "tables after cancel"
screen | grep -q '^big ' && fail "big exists after cancel"
type_text 'half typed'
wait_for 'quarry> half typed$' || fail "typed text not on the prompt"
keys C-c
# Ctrl-C drops the line: wait (bounded, the machine may be busy) until the
# prompt no longer holds it.
n=100
while prompt_line | grep -q 'half typed' && [ "$n" -gt 0 ]; do sleep 0.05; n=$((n - 1)); done
prompt_line | grep -q 'half typed' && fail "Ctrl-C should drop the line"
keys C-c
wait_for 'Ctrl-D or quit leaves' || fail "hint after Ctrl-C at an empty prompt"
keys C-d
wait_for 'Quit without saving\? \(y/N\)' || fail "unsaved-changes question"
type_text 'n'
wait_for 'quarry>$' || fail "n should keep the session"
screen | grep -q QUARRY-EXIT && fail "quit after n"
keys C-d
wait_for 'Quit without saving' || fail "question again"
type_text 'y'
wait_for 'QUARRY-EXIT-0' || fail "y should quit"
asan_clean
