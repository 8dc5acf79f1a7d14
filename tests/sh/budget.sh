# The memory budget holds (issue 14): under ulimit -v 1 GiB and with
# set memory=64 (MiB), three commands whose data needs more fail with the
# budget's error, not a death, and the session goes on with its tables as
# they were:
#   hierarchical clustering of 50,000 rows: 50,000 x 49,999 / 2 distances
#     of 8 bytes = 9536.6 MiB, more than the whole ulimit: fewer rows is
#     the only advice;
#   a frame of 1,000,000 rows x 40 columns: 40,000,000 doubles, 305.2 MiB;
#   rfm over 1,000,000 orders of 400,000 customers: each of its arrays
#     fits, together they do not (the budget counts what is held);
# then, back at the default budget (half of ulimit -v: 512 MiB), the same
# rfm runs. Only the release build: the sanitizers reserve terabytes of
# address space. Built here if need be.
set -u
T=$QUARRY_TMP/budget
mkdir -p "$T"
fail() { echo "budget: $*"; exit 1; }
top=$(cd "$(dirname "$0")/../.." && pwd)
if ! (cd "$top" && make -s -q quarry 2>/dev/null); then
    (cd "$top" && make -s -j2 quarry >"$T/build" 2>&1) || {
        echo "budget: skipped: the release build failed"; exit 0; }
fi
R=$top/quarry
cols=$(seq 1 40 | sed 's/.*/(i * &) % 100 AS c&/' | paste -sd, -)
clist=$(seq 1 40 | sed 's/^/c/' | paste -sd, -)
rfm="rfm o customer=cust date=d amount=amt as r"
state="tables; SELECT count(*) AS n, sum(c40) AS s FROM w"
(
    ulimit -v 1048576
    export OPENBLAS_NUM_THREADS=1 # OpenBLAS reserves 128 MiB per thread at start-up
    "$R" --keep-going -c "
CREATE TABLE w AS WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s
  WHERE i < 1000000) SELECT $cols FROM s;
CREATE TABLE h AS WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s
  WHERE i < 50000) SELECT i * 0.5 AS x, (i * 7) % 13 AS y FROM s;
CREATE TABLE o (cust INTEGER, d DATE_TEXT, amt REAL);
INSERT INTO o WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 1000000)
  SELECT i % 400000, date('2020-01-01', '+' || (i % 1000) || ' days'), (i % 97) * 1.5 FROM c;
$state; SELECT 'cut here' AS mark;
set memory=64;
cluster h cols=x,y method=hierarchical k=2;
cluster w cols=$clist k=3;
$rfm;
SELECT 'cut here' AS mark; $state; SELECT 'cut here' AS mark;
set memory=0; $rfm; SELECT count(*) AS customers FROM r"
) >"$T/out" 2>"$T/err"
rc=$?
# errors (and --keep-going) give 1; a death would be 128 + its signal
[ $rc -eq 1 ] || fail "exit status $rc, not 1: $(cat "$T/err" "$T/out")"
grep -q '^error: out of memory: hierarchical clustering needs 9536.6 MiB for 1249975000 distances, over set memory=64 MiB (.* in use); use fewer rows (ulimit -v allows 1024 MiB)$' \
    "$T/err" || fail "no budget error for the distance matrix: $(cat "$T/err")"
grep -q '^error: out of memory: frame needs 305.2 MiB for 40000000 values, over set memory=64 MiB (.* in use); set memory=[0-9]* or more, or use fewer rows$' \
    "$T/err" || fail "no budget error for the frame: $(cat "$T/err")"
grep -q '^error: out of memory: rfm needs [0-9.]* MiB for 400000 .*, over set memory=64 MiB (.* in use); set memory=[0-9]* or more, or use fewer rows$' \
    "$T/err" || fail "no budget error for rfm: $(cat "$T/err")"
[ "$(grep -c '^error:' "$T/err")" -eq 3 ] || fail "other errors: $(cat "$T/err")"
# the advice is a setting that would hold what was asked: the frame's 305.2 MiB at least
advised=$(sed -n 's/^error: out of memory: frame needs .* set memory=\([0-9]*\) or more.*/\1/p' "$T/err")
[ "$advised" -ge 306 ] || fail "set memory=$advised advised for a frame of 305.2 MiB"
# the state before the errors and after them is the same
awk -v d="$T" '$0 == "cut here" { n++; next } { print > (d "/seg" n + 0) }' "$T/out"
grep -q '^w  *1000000  *40$' "$T/seg0" || fail "no table w before: $(cat "$T/out")"
head -n -2 "$T/seg0" | grep -v 'rows changed$' >"$T/before"
head -n -2 "$T/seg2" >"$T/after"
cmp -s "$T/before" "$T/after" || fail "the catalog changed: $(diff "$T/before" "$T/after")"
grep -q '^1000000  *40000000$' "$T/after" || fail "w's count and sum after: $(cat "$T/after")"
# at the default budget the same rfm runs: 400,000 customers
grep -q '^rfm: 400000 customers from 1000000 orders into .r.' "$T/seg3" &&
    grep -q '^ *400000$' "$T/seg3" || fail "rfm at the default budget: $(cat "$T/seg3" "$T/err")"
exit 0
