# Running out of memory is an error, not a death (issue 12).
# 1. Injected failures (QUARRY_FAULT=oom:WHO:N, src/base/fault.h) in rfm,
#    the group-bys (series by=, sessions) and a frame read: the statement
#    fails with "error: out of memory: WHO needs N MiB|KiB for ...", quarry
#    -c exits 1, and the catalog is what it was (tables and a count, before
#    and after, in the same session).
# 2. A failed small allocation reaches the front end's handler: one line
#    on stderr, exit status 1, no sanitizer report, no core.
# 3. The release build under ulimit -v 300 MiB: a frame of 305 MiB and a
#    distance matrix of 1.5 GiB give errors, and the session goes on.
set -u
Q=$QUARRY
T=$QUARRY_TMP/oom
mkdir -p "$T"
fail() { echo "oom: $*"; exit 1; }

make_o="CREATE TABLE o AS WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c
  WHERE i < 3000) SELECT i % 250 AS cust, date('2024-01-01', '+' || (i % 200) || ' days') AS d,
  datetime('2024-01-01', '+' || (i * 7) || ' minutes') AS ts, (i % 97) * 1.5 AS amt,
  CASE i % 4 WHEN 0 THEN 'cart' WHEN 1 THEN 'purchase' ELSE 'view' END AS ev FROM c;"
state="tables; SELECT count(*) AS n, sum(amt) AS s FROM o"

# run WHO N STATEMENT: the statement under the Nth failure for WHO, with
# the catalog's state printed before and after it
run() {
    QUARRY_FAULT=oom:$1:$2 "$Q" --keep-going \
        -c "$make_o $state; SELECT 'cut here' AS mark; $3; SELECT 'cut here' AS mark; $state" \
        >"$T/out" 2>"$T/err"
    rc=$?
    [ $rc -eq 1 ] || fail "$1:$2: exit status $rc, not 1 ($(cat "$T/err"))"
    grep -q "^error: out of memory: $1 needs [0-9.]* [KM]iB for [0-9]* .*; use fewer rows or" \
        "$T/err" || fail "$1:$2 '$3': no out-of-memory error: $(cat "$T/err")"
    # seg0: the state before (and the mark's header), seg1: the statement, seg2: the state after
    rm -f "$T"/seg*
    awk -v d="$T" '$0 == "cut here" { n++; next } { print > (d "/seg" n + 0) }' "$T/out"
    head -n -2 "$T/seg0" >"$T/before"
    grep -q '^o  *3000 ' "$T/before" || fail "$1:$2: no table o before: $(cat "$T/out")"
    cmp -s "$T/before" "$T/seg2" ||
        fail "$1:$2: the catalog changed: $(diff "$T/before" "$T/seg2")"
}
rfm="rfm o customer=cust date=d amount=amt as r"
run rfm 1 "$rfm"
run rfm 9 "$rfm"
run frame 1 "$rfm"          # o was made by SQL: the first frame is rfm's read
run frame 2 "$rfm"
run groups 1 "$rfm"
run groups 1 "series o date=d value=amt by=cust as s"
run series 4 "series o date=d value=amt by=cust as s"
run groups 2 "sessions o user=cust time=ts event=ev as u"
run sessions 5 "sessions o user=cust time=ts event=ev as u"

# Without the fault the same statements work and add their tables.
"$Q" -c "$make_o $rfm; series o date=d value=amt by=cust as s; \
sessions o user=cust time=ts event=ev as u; tables" >"$T/ok" 2>&1 || fail "no fault: $(cat "$T/ok")"
for t in r s u; do grep -q "^$t " "$T/ok" || fail "no fault: no table $t: $(cat "$T/ok")"; done

# A small allocation: the front end's handler, not a crash.
QUARRY_FAULT=oom:buf:300 "$Q" -c "$make_o $rfm; tables" >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 1 ] || fail "buf: exit status $rc, not 1 ($(cat "$T/err"))"
[ "$(wc -l <"$T/err")" -eq 1 ] && grep -q '^quarry: out of memory (' "$T/err" ||
    fail "buf: stderr is not one out-of-memory line: $(cat "$T/err")"

# The release build under a real limit. Only the release build: the
# sanitizers reserve terabytes of address space. Built here if need be.
top=$(cd "$(dirname "$0")/../.." && pwd)
if ! (cd "$top" && make -s -q quarry 2>/dev/null); then
    (cd "$top" && make -s -j2 quarry >"$T/build" 2>&1) || {
        echo "oom: skipped the ulimit part: the release build failed"; exit 0; }
fi
R=$top/quarry
cols=$(seq 1 40 | sed 's/.*/(i * &) % 100 AS c&/' | paste -sd, -)
clist=$(seq 1 40 | sed 's/^/c/' | paste -sd, -)
make_w="CREATE TABLE w AS WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s
  WHERE i < 1000000) SELECT $cols FROM s;
CREATE TABLE h AS WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s
  WHERE i < 20000) SELECT i * 0.5 AS x, (i * 7) % 13 AS y FROM s;"
# one BLAS thread: OpenBLAS reserves 128 MiB per thread at start-up
(
    ulimit -v 307200
    export OPENBLAS_NUM_THREADS=1
    "$R" --keep-going -c "$make_w cluster w cols=$clist k=3;
cluster h cols=x,y method=hierarchical k=2; tables; SELECT count(*) AS n, sum(c40) AS s FROM w"
) >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 1 ] || fail "ulimit: exit status $rc, not 1: $(cat "$T/err" "$T/out")"
# 1,000,000 rows x 40 doubles = 305.2 MiB, over the whole limit
grep -q '^error: out of memory: frame needs 305.2 MiB for 40000000 values' "$T/err" ||
    fail "ulimit: no error for the frame: $(cat "$T/err")"
# 20,000 x 19,999 / 2 distances of 8 bytes = 1525.8 MiB
grep -q '^error: out of memory: hierarchical clustering needs 1525.8 MiB for 199990000 distances' \
    "$T/err" || fail "ulimit: no error for the distance matrix: $(cat "$T/err")"
[ "$(grep -c '^error:' "$T/err")" -eq 2 ] || fail "ulimit: other errors: $(cat "$T/err")"
# the session went on: both tables there, unchanged
grep -q '^w  *1000000  *40$' "$T/out" && grep -q '^h  *20000  *2$' "$T/out" ||
    fail "ulimit: tables after the errors: $(cat "$T/out")"
grep -q '^1000000  *40000000$' "$T/out" || fail "ulimit: count after the errors: $(cat "$T/out")"
exit 0
