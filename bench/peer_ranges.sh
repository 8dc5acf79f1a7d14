#!/bin/sh
# bench/peer_ranges.sh: each peer's expected wall time on the machine this
# runs on, for bench/pair.py's outlier check (issue 18: a peer run far slower
# than its expected range is flagged and the round repeated).
# research/perf-baselines.md gives the ranges on an AMD EPYC (Zen 4); the
# sessions also run on an Intel Xeon, where the peers are slower, so the
# 1.3x-of-median check was all that applied there. Run this on a quiet
# machine (nothing else busy): each peer command of the sections runs alone,
# one warm-up then RUNS timed runs in a row; it prints a markdown table of
# min, median and max wall seconds and the range to give the sections
# (min x 0.95 to the median's upper quartile x 1.05), for bench/PEER-RANGES.md.
# Environment: QB_DIR (default /tmp/quarry-bench), PYTHON, RUNS (default 5).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
QB=${QB_DIR:-/tmp/quarry-bench}
PY=${PYTHON:-/usr/bin/python3}
RUNS=${RUNS:-5}
D=$QB/data
tmp=$(mktemp -d /tmp/quarry-ranges.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
sales=$D/sales_1m.csv
[ -f "$sales" ] || { echo "bench/peer_ranges: no $sales (run bench/sections/load.sh once)" >&2; exit 1; }
prep=$D/prep_1m.csv
[ -f "$prep" ] || "$PY" "$here/gen_prep.py" 1000000 "$prep"
blobs=$D/blobs_1000000x8.csv
{ cat "$D/sales_schema.sql"; echo ".import --csv --skip 1 $sales sales"
  echo "SELECT count(*) FROM sales;"; } > "$tmp/import.sql"
set -- \
    "pandas load (load.sh)|$PY -c \"import pandas as pd; print(len(pd.read_csv('$sales')))\"" \
    "sqlite3 .import (load.sh)|sqlite3 :memory: < $tmp/import.sql" \
    "pandas prep (prep.sh)|$PY $here/prep_pandas.py $prep"
[ -f "$blobs" ] && set -- "$@" \
    "pandas + scikit-learn k-means pipeline (kmeans.sh)|$PY $here/kmeans_sklearn.py pipeline $blobs 2"
orders=$D/orders_5000000.csv
[ -f "$orders" ] && set -- "$@" "pandas RFM, 5M orders (rfm.sh)|$PY $here/rfm_pandas.py $orders 1"
echo "## Peer ranges on this machine (bench/peer_ranges.sh)"
echo
echo "CPU $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load average at start $(cut -d' ' -f1-3 /proc/loadavg); $RUNS runs each after a warm-up, $(date -u '+%Y-%m-%d %H:%M UTC')."
echo
echo "| peer command | min s | median s | max s | range given to pair.py |"
echo "|---|---|---|---|---|"
for spec in "$@"; do
    name=${spec%%|*}
    cmd=${spec#*|}
    sh -c "$cmd" > /dev/null 2>&1
    : > "$tmp/t"
    i=0
    while [ $i -lt "$RUNS" ]; do
        "$PY" -c 'import subprocess, sys, time
t = time.perf_counter(); subprocess.run(["sh", "-c", sys.argv[1]], stdout=subprocess.DEVNULL, check=True)
print(f"{time.perf_counter() - t:.3f}")' "$cmd" >> "$tmp/t"
        i=$((i + 1))
    done
    "$PY" - "$tmp/t" "$name" <<'PY'
import statistics as st, sys
xs = sorted(float(l) for l in open(sys.argv[1]))
q3 = xs[(3 * len(xs)) // 4]
print(f"| {sys.argv[2]} | {xs[0]:.2f} | {st.median(xs):.2f} | {xs[-1]:.2f} | "
      f"{xs[0] * 0.95:.2f}-{q3 * 1.05:.2f} |")
PY
done
echo
echo "Load average at end: $(cut -d' ' -f1-3 /proc/loadavg)."
