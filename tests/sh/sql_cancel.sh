# Ctrl-C during a user SQL write (issue 14), in plain mode at a terminal:
# a long UPDATE stops at once (each row costs about 0.2 ms, so it would
# run for tens of seconds; without the cancel triggers of dispatch.c
# Ctrl-C was ignored until its end, since SQLite's interrupt would roll
# back every undo level); an INSERT ... SELECT stops at its first inserted
# row. Each says "interrupted; the catalog is unchanged" and leaves the
# data and the undo history as they were: the table's sum is the
# hand-computed one, undo still reverts the statements before, and no
# cancel trigger is left behind.
. tests/tui/lib.sh
start 120 40 --plain
enter 'CREATE TABLE keep(x INTEGER); INSERT INTO keep VALUES (1);'
wait_for '1 row changed' || fail "setup"
# 200000 rows, v = i % 7: the sum is 28571 x 21 + 1 + 2 + 3 = 599997
enter 'CREATE TABLE big AS WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 200000) SELECT i, i % 7 AS v FROM c;'
wait_after '^quarry> CREATE TABLE big' '^quarry> *$' 30 || fail "making big"
enter 'UPDATE big SET v = v + length(hex(zeroblob(100000 + i % 2))) - 200000 - (i % 2) * 2 + 1;'
sleep 1
keys C-c
wait_after '^quarry> UPDATE big' 'error: interrupted; the catalog is unchanged' 15 ||
    fail "the UPDATE was not cancelled"
enter 'CREATE TABLE copy(i INTEGER, v INTEGER);'
wait_after '^quarry> CREATE TABLE copy' '^quarry> *$' 10 || fail "making copy"
# INSERT ... SELECT into a table with a trigger computes its SELECT first (SQLite
# materializes it), so the cancel lands at the first inserted row: 20000 rows of it here
enter 'INSERT INTO copy SELECT i, v + length(hex(zeroblob(50000 + i % 2))) FROM big WHERE i <= 20000;'
sleep 1
keys C-c
wait_after '^quarry> INSERT INTO copy' 'error: interrupted; the catalog is unchanged' 60 ||
    fail "the INSERT ... SELECT was not cancelled"
enter 'SELECT count(*) AS n, sum(v) AS s, (SELECT count(*) FROM copy) AS c, (SELECT count(*) FROM sqlite_temp_master) AS trig FROM big;'
wait_after '^quarry> SELECT count' '^ *200000 +599997 +0 +0$' 10 ||
    fail "the data changed, or a cancel trigger was left"
enter 'undo'
wait_after '^quarry> undo' 'undid: CREATE TABLE copy' 10 || fail "undo history lost"
enter 'undo'
wait_after '^quarry> undo' 'undid: CREATE TABLE big' 10 || fail "undo history lost"
enter 'tables'
wait_after '^quarry> tables' '^keep +1 +1$' 10 || fail "tables after undo"
enter 'quit'
asan_clean
