# The grid viewer on a 1,000,000-row table: opens at once, pages with
# PgDn, jumps to the end, sorts by a column, and q returns to the prompt.
. tests/tui/lib.sh
start 120 30
enter "CREATE TABLE big AS WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 1000000) SELECT i AS id, (i * 7919) % 1000 AS score, 'name ' || i AS name FROM c;"
wait_for 'big' 30 || fail "setup"
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
enter 'SELECT count(*) FROM big;'
wait_for '1000000' || fail "prompt works after the grid"
enter 'quit'
asan_clean
