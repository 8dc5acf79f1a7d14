# Undo keeps a copy of every changed page; past the limit (half of set
# memory) the levels are forgotten with a message, and the data stays.
# Without the limit being reached, undo still works. A dropped column
# table counts too (issue 18).
set -u
Q=$QUARRY
T=$QUARRY_TMP/undo_limit
mkdir -p "$T"
fail() { echo "undo_limit: $*"; exit 1; }
make="CREATE TABLE t AS WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 400000) SELECT i, i * 1.5 AS x FROM c;"
# 400,000 rows of two numbers: each full UPDATE copies about 8 MB of pages,
# over the 4 MB limit of memory=8 on its own, so every one clears undo
"$Q" --keep-going -c "set memory=8; $make UPDATE t SET x = x + 1; UPDATE t SET x = x + 1; undo; SELECT sum(x) FROM t" > "$T/out" 2>&1
[ "$(grep -c '^undo history cleared: it held [0-9]* MB of changed pages, over the limit of 4 MB' "$T/out")" -eq 2 ] ||
    fail "expected a message after each update: $(cat "$T/out")"
grep -q 'nothing to undo' "$T/out" || fail "undo levels were kept past the limit"
# x = 1.5 i + 2 summed over i = 1..400000: both updates stay
grep -q '^ *120001100000.0$' "$T/out" || fail "data changed: $(tail -3 "$T/out")"
# the default limit (a quarter of memory, at least 1 GiB) leaves the level alone
"$Q" -c "$make UPDATE t SET x = x + 1; undo; SELECT sum(x) FROM t" > "$T/out2" 2>&1
grep -q 'undo history cleared' "$T/out2" && fail "cleared under the default limit"
grep -q '^ *120000300000.0$' "$T/out2" || fail "undo did not revert: $(tail -3 "$T/out2")"
# Column tables: normalize of an INTEGER column rebuilds the table and drops
# the old one, whose arrays (about 11 MB here) undo keeps; the bound counts
# them (coltab_dropped_bytes), so the levels are forgotten and the arrays
# freed, and the data stays normalized.
seq 1 400000 | awk 'BEGIN { print "i,x" } { print $1 "," $1 ".5" }' > "$T/big.csv"
"$Q" --keep-going -c "set columns=on; set memory=8; load $T/big.csv as t; normalize t cols=i method=minmax; undo; SELECT count(*), typeof(i), sum(x) FROM t" > "$T/out3" 2>&1
grep -q '^undo history cleared: it held [0-9]* MB of changed pages, over the limit of 4 MB' "$T/out3" ||
    fail "a dropped column table was not counted: $(cat "$T/out3")"
grep -q 'nothing to undo' "$T/out3" || fail "undo levels were kept past the limit (columns)"
grep -q '^ *400000  real  *80000400000.0$' "$T/out3" || fail "data changed (columns): $(tail -3 "$T/out3")"
exit 0
