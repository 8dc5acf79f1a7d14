# Ctrl-C lands within 100 ms everywhere (issue 14). quarry -c runs a long
# command on a table of 2,000,000 rows made here; SIGINT comes a set time
# after the command starts (at each of the CANCEL_AT points, seconds), and
# the delay from the signal to the process's exit is measured with
# date +%s%N. Each interrupted run must end with exit status 130 (the stop
# rule of plain mode) and "interrupted" on stderr, within CANCEL_MAX_MS
# (1000: generous, a loaded machine must not make this flaky; the engine
# reports every 20 ms, src/base/tick.h). A run the command finished before
# the signal is not timed, but each command must be caught at least once
# (a command that beats every signal gets one more at 0.05 s; then the
# table is too small to test it). The delays are printed: the median per
# command, and all of them.
#   CANCEL_AT="0.2 0.4 0.6 0.9 1.3" sh tests/sh/cancel.sh   (more samples)
# Only the release build: the sanitizers' own exit work (the leak check of
# a big heap) is not what is measured. Built here if need be.
set -u
T=$QUARRY_TMP/cancel
mkdir -p "$T"
fail() { echo "cancel: $*"; exit 1; }
top=$(cd "$(dirname "$0")/../.." && pwd)
if ! (cd "$top" && make -s -q quarry 2>/dev/null); then
    (cd "$top" && make -s -j2 quarry >"$T/build" 2>&1) || {
        echo "cancel: skipped: the release build failed"; exit 0; }
fi
R=$top/quarry
AT=${CANCEL_AT:-0.5}
MAX=${CANCEL_MAX_MS:-1000}
export OPENBLAS_NUM_THREADS=1

# o: orders with customers, dates, timestamps, amounts, events, two
# measures, a label and a column with gaps; h: 8000 rows for hierarchical
# clustering (its distance matrix is n^2 / 2).
"$R" -c "CREATE TABLE o (cust INTEGER, d DATE_TEXT, ts TIMESTAMP_TEXT, amt REAL, ev TEXT,
  x REAL, y REAL, lab TEXT, m REAL);
INSERT INTO o WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 2000000)
  SELECT i % 40000, date('2020-01-01', '+' || (i % 1500) || ' days'),
  datetime('2023-01-01', '+' || (i * 7) || ' minutes'), (i % 97) * 1.5 + (i % 13),
  CASE i % 4 WHEN 0 THEN 'cart' WHEN 1 THEN 'purchase' ELSE 'view' END,
  ((i * 7919) % 10007) / 100.0, ((i * 104729) % 10009) / 100.0 + (i % 3) * 50,
  'g' || (i % 3), CASE WHEN i % 10 = 0 THEN NULL ELSE (i % 1000) * 0.1 END FROM c;
CREATE TABLE h AS SELECT x, y FROM o WHERE rowid % 250 = 0;
save $T/big.qws" >"$T/make.out" 2>&1 || fail "making the table: $(cat "$T/make.out")"

now() { date +%s%N; }

# one CMD DELAY: run CMD after opening the workspace, SIGINT DELAY seconds
# after it starts; prints the delay in ms, or "done" when it finished first
one() {
    rm -f "$T/out" "$T/err"
    "$R" -c "open $T/big.qws; SELECT 'go' AS mark; $1" >"$T/out" 2>"$T/err" &
    pid=$!
    # the mark is flushed when the open is done: the command starts then
    n=0
    while ! grep -q '^go' "$T/out" 2>/dev/null; do
        kill -0 $pid 2>/dev/null || break
        n=$((n + 1)); [ $n -lt 6000 ] || { kill -9 $pid; fail "'$1': no start"; }
        sleep 0.01
    done
    sleep "$2"
    t0=$(now)
    kill -INT $pid 2>/dev/null
    wait $pid
    rc=$?
    t1=$(now)
    if [ $rc -eq 0 ]; then
        echo done
        return
    fi
    [ $rc -eq 130 ] || fail "'$1' at ${2}s: exit status $rc, not 130: $(cat "$T/err")"
    grep -q 'interrupted' "$T/err" || fail "'$1' at ${2}s: no 'interrupted': $(cat "$T/err")"
    echo $(((t1 - t0) / 1000000))
}

median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

report=""
while IFS='|' read -r name cmd; do
    [ -n "$name" ] || continue
    got=""
    for at in $AT; do
        ms=$(one "$cmd" "$at") || { echo "$ms"; exit 1; }
        [ "$ms" = done ] && continue
        # over the bound once: a busy moment (other tests beside) gets one
        # more try; twice over is a failure
        if [ "$ms" -ge "$MAX" ]; then
            echo "  '$cmd' at ${at}s: $ms ms, over $MAX: once more"
            ms=$(one "$cmd" "$at") || { echo "$ms"; exit 1; }
            [ "$ms" = done ] && continue
        fi
        [ "$ms" -lt "$MAX" ] || fail "'$cmd' at ${at}s: $ms ms from SIGINT to exit, over $MAX (twice)"
        got="$got $ms"
    done
    if [ -z "$got" ]; then
        ms=$(one "$cmd" 0.05) || { echo "$ms"; exit 1; }
        [ "$ms" = done ] || [ "$ms" -lt "$MAX" ] ||
            fail "'$cmd' at 0.05s: $ms ms from SIGINT to exit, over $MAX"
        [ "$ms" = done ] || got=" $ms"
    fi
    [ -n "$got" ] || fail "'$cmd' finished before every signal: the table is too small to test it"
    line=$(printf '%-22s median %4s ms  (%s)' "$name" "$(echo $got | median)" "$(echo $got)")
    report="$report$line
"
done <<EOF
describe|describe o
profile|profile o by=lab
rfm|rfm o customer=cust date=d amount=amt as r
series|series o date=d value=amt by=cust as s
sessions|sessions o user=cust time=ts event=ev as u
crosstab|crosstab o rows=cust cols=lab value=amt agg=sum as ct
clean median|clean o cols=m missing=median as c1
clean dedupe|clean o dedupe=yes as c2
clean dates|clean o dates=ts as c3
outliers|outliers o cols=amt,x method=iqr as c4
normalize|normalize o cols=amt,x,y method=robust as c5
split by time|split o by=time:ts as c6
sample stratified|sample o frac=0.5 stratify=ts seed=1 as c7
cluster kmeans|cluster o cols=x,y k=4 seed=1 as c8
cluster dbscan|cluster o cols=x,y method=dbscan as c9
cluster hierarchical|cluster h cols=x,y method=hierarchical k=3 as c10
elbow|elbow o cols=x,y k=2..4 seed=1
plot hist|plot hist o col=amt to=$T/h.png
EOF
printf 'cancel: SIGINT to exit, per command (signals at %s s):\n%s' "$AT" "$report"
exit 0
