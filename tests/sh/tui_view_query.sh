# view SELECT ... and the grid's search, sort and frequency table (issue 13):
# a plain SELECT in the TUI shows a screenful and says how to see the rest;
# view pages a query's 100,000 rows; reals show as the table format shows
# them (i * 0.1 for i = 3 is 0.30000000000000004 in 17 digits, 0.3 in 15);
# a search puts the cursor on the matching cell, cell by cell on repeat; a
# sort puts it on the first row; F counts a column's values (counted by
# hand below) in a grid of its own that q closes. Plain mode prints all.
. tests/tui/lib.sh

# Plain mode: every row of a query, as a script means it.
n=$("$QUARRY" -c "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 500) SELECT i FROM c;" | wc -l)
[ "$n" -eq 502 ] || { echo "FAIL: plain mode printed $n lines, not a header, a rule and 500 rows"; exit 1; }

start 100 30
enter "CREATE TABLE big AS WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 300000) SELECT i AS id, i * 0.1 AS amt, 'name ' || i AS name FROM c;"
wait_for 'in memory.*\| 1 table \|' 30 || fail "setup"
enter 'SELECT * FROM big;'
wait_after '^quarry> SELECT \* FROM big;' '^[0-9]+ more rows \(300000 in all\); to page through them: view SELECT \* FROM big$' 20 \
    || fail "a plain SELECT should show a screenful and how to view the rest"
screen | grep -q '300000 rows' || fail "the status bar counts every row"
screen | grep -q 'name 30 *$' && fail "more than a screenful shown"

# The statement it suggests works as typed (here a WITH query over two lines).
enter 'WITH t AS (SELECT id FROM big WHERE id <= 40)'
enter 'SELECT id * 2 AS twice FROM t;'
wait_after '^   \.\.\.> SELECT id \* 2' '^[0-9]+ more rows \(40 in all\)' || fail "a WITH query is cut too"
# (the line wraps to the pane at a word boundary: join it again)
suggested=$(screen | awk '/more rows \(40 in all\)/ { f = 1 } /^ in memory/ { f = 0 } f' \
    | tr '\n' ' ' | sed 's/^.*to page through them: //; s/ *$//')
[ "$suggested" = "view WITH t AS (SELECT id FROM big WHERE id <= 40) SELECT id * 2 AS twice FROM t" ] \
    || fail "the suggested statement: '$suggested'"
enter "$suggested"
wait_for '^ row 1 of 40 +col 1/1 twice' || fail "the suggested view statement opens the grid"
keys q
wait_for 'quarry>' || fail "q"
# A PRAGMA's rows are not cut (view could not page them): its hundreds of
# rows fill the pane, with no line about more.
enter "PRAGMA function_list;"
wait_for '[0-9]{3} rows \|' || fail "PRAGMA function_list"
screen | grep -q 'more rows (' && fail "a PRAGMA's rows should not be cut"

enter 'view SELECT id, amt, name FROM big WHERE id % 3 = 0;'
wait_for '^ row 1 of 100,000 +col 1/3 id' 20 || fail "view SELECT should open the grid on the query"
screen | grep -Eq '^ +3 +0\.3 +name 3 *$' || fail "a real should show 15 digits at most (0.3)"
keys G
wait_for '^ row 100,000 of 100,000' || fail "G to the last row"
screen | grep -q 'name 300000' || fail "last row"
# Sort: the cursor goes to the first row.
keys g j j j j l
wait_for '^ row 5 of 100,000 +col 2/3 amt' || fail "cursor moves"
keys s
wait_for '^ row 1 of 100,000 +col 2/3 amt.*sorted by amt asc' || fail "after a sort the cursor is on row 1"
keys j j s
wait_for '^ row 1 of 100,000 +col 2/3 amt.*sorted by amt desc' || fail "descending, row 1"
screen | sed -n 2p | grep -q 'name 300000' || fail "descending order"
# Search from amt: rows 300000, 299997, ...; "2999" is in row 2's id, then
# its amt (29999.7), then its name, then row 3's id.
keys /
type_text '2999'
keys Enter
wait_for '^ row 2 of 100,000 +col 1/3 id' || fail "search should put the cursor on the id cell of row 2"
keys n
wait_for '^ row 2 of 100,000 +col 2/3 amt' || fail "n: the next matching cell of the same row"
keys n
wait_for '^ row 2 of 100,000 +col 3/3 name' || fail "n: then the name"
keys n
wait_for '^ row 3 of 100,000 +col 1/3 id' || fail "n: then the next row"
keys N
wait_for '^ row 2 of 100,000 +col 3/3 name' || fail "N goes back a cell"
keys q
wait_for 'quarry>' || fail "q leaves the grid"

# F: g over the ids 1..10 is 1 2 3 0 1 2 3 0 1 2, so 1 and 2 three times
# (share 0.3) and 0 and 3 twice (0.2), by count, then value.
enter 'view SELECT id % 4 AS g, id FROM big WHERE id <= 10'
wait_for '^ row 1 of 10 +col 1/2 g' || fail "the small query"
keys F
wait_for 'frequencies of g \| row 1 of 4 +col 1/3 value' || fail "F opens the frequency table"
screen | grep -Eq '^ +value +count +share' || fail "frequency header"
got=$(screen | sed -n '2,5p' | tr -s ' ' | sed 's/ $//' | tr '\n' '|')
[ "$got" = " 1 3 0.3| 2 3 0.3| 0 2 0.2| 3 2 0.2|" ] || fail "frequencies: got '$got'"
keys q
wait_for '^ row 1 of 10 +col 1/2 g' || fail "q closes the frequency table, back to the query"
keys q
wait_for 'quarry>' || fail "q leaves the grid"
# A query view refuses what is not a query, and says SQLite's error.
enter 'view SELECT nope FROM big'
wait_after '^quarry> view SELECT nope' '^error: no such column: nope' || fail "bad query"
# Ctrl-C stops a query that takes long to count (a billion rows), back to
# the prompt with a line saying so. Ctrl-C is sent until that line shows:
# one sent before the count starts cancels nothing.
enter 'view WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 1000000000) SELECT i FROM c'
tries=0 # (not n: wait_for counts with n)
until screen | grep -q '^error: interrupted'; do
    tries=$((tries + 1))
    [ "$tries" -le 30 ] || fail "Ctrl-C should stop counting the query"
    keys C-c
    wait_for '^error: interrupted' 1
done
enter 'SELECT 6 * 7;'
wait_after '^quarry> SELECT 6' '^ *42$' || fail "the prompt works after a cancelled view"
enter 'quit'
asan_clean
