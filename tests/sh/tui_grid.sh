# The grid viewer on a 1,000,000-row table: opens at once, pages with
# PgDn, jumps to the end, sorts by a column, and q returns to the prompt.
. tests/tui/lib.sh
start 120 30
enter "CREATE TABLE big AS WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 1000000) SELECT i AS id, (i * 7919) % 1000 AS score, 'name ' || i AS name FROM c;"
# The echoed statement holds 'big' and '1000000': wait for the status bar,
# which counts the table only once the statement has finished.
wait_for 'in memory.*\| 1 table \|' 30 || fail "setup"
enter 'view big'
wait_for 'name 1( |$)' 5 || fail "grid did not open"
keys NPage
wait_for 'name 2[0-9]( |$)' || fail "PgDn"
keys End
wait_for 'name 1000000' || fail "End"
keys Home Right
keys s
wait_for 'score.*(asc|▲|↑)' || fail "sort indicator"
enter_q() { keys q; }
enter_q
wait_for 'quarry>$' || fail "q should return to the prompt"
# Enter on an empty prompt after `tables` picks a listed table to view.
enter "CREATE TABLE small(word TEXT); INSERT INTO small VALUES ('alpha'), ('beta');"
enter 'tables'
wait_for '^small +2 +1$' || fail "tables"
keys Enter
wait_for 'choose a table' || fail "Enter should offer the listed tables"
keys Down
keys Enter
wait_for '^ row 1 of 2 +col 1/1 word TEXT' || fail "Enter on the second listed table should view it"
keys q
wait_for "quarry> view 'small'" || fail "the pick runs view"
enter 'SELECT count(*) FROM big;'
wait_after '^quarry> SELECT count' '^ *1000000$' || fail "prompt works after the grid"
enter 'quit'
asan_clean
