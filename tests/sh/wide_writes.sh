# Writing past SQLite's 2000 columns (issue 14): cluster, derive, outliers,
# split and normalize on a 2000-column table used to run and then fail
# with SQLite's own "too many columns on sqlite_altertab_t" or "too many
# columns in result set". Each is refused now, before the work, naming
# the limit and what to do, and the table is unchanged; at 1999 columns
# an added column still fits (2000), and a rewrite of 2000 is refused.
set -u
Q=$QUARRY
T=$QUARRY_TMP/wide
mkdir -p "$T"
fail() { echo "wide_writes: $*"; exit 1; }
awk -v n=2000 'BEGIN { for (r = 0; r <= 12; r++) { line = "";
    for (c = 0; c < n; c++) line = line (c ? "," : "") (r ? (r * 7 + c) % 10 : "c" c);
    print line } }' > "$T/w2000.csv"
cut -d, -f1-1999 "$T/w2000.csv" > "$T/w1999.csv"
sum="SELECT count(*) AS ncol FROM pragma_table_info('t'); SELECT sum(c0), sum(c1), total(c1998) FROM t; tables"

before=$("$Q" -c "load $T/w2000.csv as t; $sum" 2>&1)
for stmt in "cluster t cols=c0,c1 k=2 seed=1" "cluster t cols=c0,c1 k=2 seed=1 as u" \
            "derive t z=c0+1" "outliers t cols=c0" "split t" "normalize t cols=c0" \
            "normalize t cols=c0 as u"; do
    out=$("$Q" --keep-going -c "load $T/w2000.csv as t; $stmt; $sum" 2>&1)
    echo "$out" | grep -q "at most \(2000 columns\|1999\)" ||
        fail "$stmt: no clear error about the limit: $(echo "$out" | grep error)"
    echo "$out" | grep -q "too many columns" && fail "$stmt: SQLite's own message: $out"
    echo "$out" | grep -q "DROP COLUMN" || fail "$stmt: no hint of what to do: $out"
    [ "$(echo "$out" | sed -n '/^ncol$/,$p')" = "$(echo "$before" | sed -n '/^ncol$/,$p')" ] ||
        fail "$stmt: the catalog changed: $out"
done
# the cluster refusal comes before the work: no quality table was printed
out=$("$Q" -c "load $T/w2000.csv as t; cluster t cols=c0,c1 k=2 seed=1" 2>&1)
echo "$out" | grep -q "silhouette" && fail "cluster worked before it was refused: $out"
out=$("$Q" -c "load $T/w2000.csv as t; normalize t cols=c0" 2>&1)
echo "$out" | grep -q "minmax" && fail "normalize showed parameters it did not apply: $out"

# 1999 columns: one added column fits (2000 columns), and then a rewrite does not
out=$("$Q" -c "load $T/w1999.csv as t; cluster t cols=c0,c1 k=2 seed=1; derive t z=c0+1;
    SELECT count(*) AS ncol FROM pragma_table_info('t')" 2>&1)
echo "$out" | grep -q "^error: 't' has 2000 columns and derive adds 1" ||
    fail "1999 + cluster + derive: $out"
out=$("$Q" -c "load $T/w1999.csv as t; derive t z=c0+1; SELECT count(*) AS ncol FROM pragma_table_info('t')" 2>&1)
echo "$out" | tail -1 | grep -q "^ *2000$" || fail "1999 + derive did not make 2000 columns: $out"
exit 0
