# Ctrl-C during a user SQL write (issue 14), in plain mode at a terminal
# and in the TUI: a long UPDATE, DELETE, INSERT ... SELECT (with and
# without a WITH before it) and CREATE TABLE ... AS SELECT stop at once (a row of
# the UPDATE costs about 0.1 ms, of the others about 1 ms, so each would
# run for many seconds past the 20 s allowed; SQLite's own
# interrupt would roll back every undo level, so without the rewrite of
# commands/sql_cancel.h Ctrl-C was ignored until the end, except by an
# UPDATE's cancel trigger). Each says "interrupted; the catalog is
# unchanged" and leaves the data and the undo history as they were: the
# table's sum is the hand-computed one, the target table is empty, the
# table being created does not exist, undo still reverts the statements
# before, and no cancel trigger is left behind. The delay from Ctrl-C to
# the message is printed, not asserted.
. tests/tui/lib.sh

now() { date +%s%N; }
# started TEXT: the line was taken (Enter reached quarry): the cursor's line
# no longer ends the typed text. A Ctrl-C before that would only clear the
# line being typed, which a busy machine made happen once.
started() {
    end=$(printf '%s' "$1" | tail -c 12)
    n=400
    while [ "$n" -gt 0 ]; do
        prompt_line | grep -qF -- "$end" || return 0
        sleep 0.05
        n=$((n - 1))
    done
    return 1
}
# cancel MARKER STATEMENT WHAT: type it, Ctrl-C a second after it started,
# wait for the message
cancel() {
    enter "$2"
    started "$2" || fail "the $3 was not taken"
    sleep 1
    t0=$(now)
    keys C-c
    wait_after "$1" 'error: interrupted; the catalog is unchanged' 20 ||
        fail "the $3 was not cancelled"
    echo "  $3: interrupted $(( ($(now) - t0) / 1000000 )) ms after Ctrl-C (screen polled every 50 ms)"
}

# check: big as made, copy empty, no c2, no trigger left
check() {
    enter 'SELECT count(*) AS n, sum(v) AS s, (SELECT count(*) FROM copy) AS c, (SELECT count(*) FROM sqlite_temp_master) AS trig, (SELECT count(*) FROM sqlite_schema WHERE name = '"'c2'"') AS c2 FROM big;'
    wait_after '^quarry> SELECT count' '^ *200000 +599997 +0 +0 +0$' 10 ||
        fail "$1: the data changed, a table was left or a cancel trigger was left"
}

session() {
    enter 'CREATE TABLE keep(x INTEGER); INSERT INTO keep VALUES (1);'
    wait_for '1 row changed' || fail "setup"
    # 200000 rows, v = i % 7: the sum is 28571 x 21 + 1 + 2 + 3 = 599997
    enter 'CREATE TABLE big AS WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 200000) SELECT i, i % 7 AS v FROM c;'
    wait_after '^quarry> CREATE TABLE big' '^quarry> *$' 30 || fail "making big"
    enter 'CREATE TABLE copy(i INTEGER, v INTEGER);'
    wait_after '^quarry> CREATE TABLE copy' '^quarry> *$' 10 || fail "making copy"
    cancel '^quarry> UPDATE big' \
        'UPDATE big SET v = v + length(hex(zeroblob(100000 + i % 2))) - 200000 - (i % 2) * 2 + 1;' UPDATE
    check UPDATE
    cancel '^quarry> DELETE FROM big' \
        'DELETE FROM big WHERE length(hex(zeroblob(1000000 + i % 2))) > 0;' DELETE
    check DELETE
    cancel '^quarry> INSERT INTO copy' \
        'INSERT INTO copy SELECT i, v + length(hex(zeroblob(1000000 + i % 2))) FROM big;' "INSERT ... SELECT"
    check "INSERT ... SELECT"
    cancel '^quarry> WITH s AS' \
        'WITH s AS (SELECT i, v FROM big) INSERT INTO copy (i, v) SELECT i, v + length(hex(zeroblob(1000000 + i % 2))) FROM s ORDER BY i DESC;' "WITH ... INSERT ... SELECT"
    check "WITH ... INSERT ... SELECT"
    cancel '^quarry> CREATE TABLE c2' \
        'CREATE TABLE c2 AS SELECT i, v + length(hex(zeroblob(1000000 + i % 2))) AS w FROM big; -- a comment' "CREATE TABLE ... AS SELECT"
    check "CREATE TABLE ... AS SELECT"
    enter 'undo'
    wait_after '^quarry> undo' 'undid: CREATE TABLE copy' 10 || fail "undo history lost"
    enter 'undo'
    wait_after '^quarry> undo' 'undid: CREATE TABLE big' 10 || fail "undo history lost"
    enter 'tables'
    wait_after '^quarry> tables' '^keep +1 +1$' 10 || fail "tables after undo"
    enter 'quit'
}

echo "  plain mode:"
start 120 40 --plain
session
asan_clean
echo "  the TUI:"
start 120 40
session
wait_for 'Quit without saving\? \(y/N\)' || fail "unsaved-changes question"
type_text 'y'
wait_for 'QUARRY-EXIT-0' || fail "y should quit"
asan_clean
