#!/bin/sh
# bench/sections/forecast.sh: Holt-Winters against statsmodels (issue 17):
# 1,000 series of 48 months (trend, a 12-month season and noise, seeded),
# each fitted on its first 42 months and forecast 12 ahead (the 6 held out
# and 6 beyond). quarry: one `forecast ... model=holtwinters season=12`
# statement over all series (--timing gives the statement's own time);
# statsmodels 0.13: ExponentialSmoothing(trend='add', seasonal='add',
# seasonal_periods=12, initialization_method='heuristic').fit() and
# forecast(12) in a loop (the loop's own time, imports left out). One
# process each, the tools alternating within each round (order flipped
# every round); figures are medians of the per-round ratios, with their
# range (wall and CPU: user + system), and the series per second. Prints a markdown section.
# Environment: QB_DIR (data, default /tmp/quarry-bench), QUARRY, PYTHON, RUNS (5).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(dirname "$here")
QB=${QB_DIR:-/tmp/quarry-bench}
Q=${QUARRY:-$root/quarry}
PY=${PYTHON:-/usr/bin/python3}
RUNS=${RUNS:-5}
NS=${FORECAST_SERIES:-1000}
mkdir -p "$QB"
csv=$QB/forecast_${NS}x48.csv
[ -s "$csv" ] || "$PY" - "$csv" "$NS" <<'PY'
import sys, numpy as np
path, ns = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(17)
with open(path, "w") as f:
    f.write("series,period,value\n")
    for s in range(ns):
        base, slope, amp = rng.uniform(50, 150), rng.uniform(-0.5, 1.5), rng.uniform(5, 30)
        for t in range(48):
            y = base + slope * t + amp * np.sin(2 * np.pi * t / 12 + s % 7) + rng.normal(0, 3)
            f.write(f"s{s:04d},{2020 + t // 12}-{t % 12 + 1:02d}-01,{y:.4f}\n")
PY
tmp=$(mktemp -d /tmp/quarry-forecast.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/sm.py" <<'PY'
import sys, time, warnings
import numpy as np, pandas as pd
from statsmodels.tsa.holtwinters import ExponentialSmoothing
warnings.simplefilter("ignore")
d = pd.read_csv(sys.argv[1])
groups = [g["value"].to_numpy() for _, g in d.groupby("series", sort=True)]
t0, c0 = time.perf_counter(), time.process_time()
for y in groups:
    r = ExponentialSmoothing(y[:42], trend="add", seasonal="add", seasonal_periods=12,
                             initialization_method="heuristic").fit()
    r.forecast(12)
print(f"loop {time.perf_counter() - t0:.4f} {time.process_time() - c0:.4f}")
PY
i=0
while [ $i -le "$RUNS" ]; do   # round 0 is a warm-up
    for tool in q p; do
        if [ $((i % 2)) = 1 ]; then tool=$([ $tool = q ] && echo p || echo q); fi
        if [ $tool = q ]; then
            "$Q" --timing -c "load $csv as t; forecast t date=period value=value by=series model=holtwinters season=12 holdout=6 horizon=6" > "$tmp/q.out" 2>&1
            step=$(grep '^time: real' "$tmp/q.out" | tail -1 |
                   sed 's/^time: real \([0-9.]*\)s user \([0-9.]*\)s sys \([0-9.]*\)s.*/\1 \2 \3/' |
                   awk '{print $1, $2 + $3}')
        else
            "$PY" "$tmp/sm.py" "$csv" > "$tmp/p.out" 2>/dev/null
            step=$(sed -n 's/^loop \([0-9.]*\) \([0-9.]*\)/\1 \2/p' "$tmp/p.out")
        fi
        [ $i -gt 0 ] && echo "$i $tool $step" >> "$tmp/rounds"
    done
    i=$((i + 1))
done
cpu=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)
load=$(cut -d' ' -f1 /proc/loadavg)
"$PY" - "$tmp" "$RUNS" "$NS" "$cpu" "$load" <<'PY'
import statistics as st, sys
tmp, runs, ns, cpu, load = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
rows = [l.split() for l in open(f"{tmp}/rounds")]
t = {(int(a), b): float(c) for a, b, c, d in rows}
c = {(int(a), b): float(d) for a, b, c, d in rows}
R = range(1, runs + 1)
r = [t[(i, "q")] / t[(i, "p")] for i in R]
rc = [c[(i, "q")] / c[(i, "p")] for i in R]
q, p = st.median(t[(i, "q")] for i in R), st.median(t[(i, "p")] for i in R)
qc, pc = st.median(c[(i, "q")] for i in R), st.median(c[(i, "p")] for i in R)
print("## forecast (issue 17): Holt-Winters against statsmodels")
print()
print(f"{ns:,} series of 48 months, each fitted on 42 and forecast 12 ahead (additive trend and "
      "season of 12). quarry: one `forecast ... model=holtwinters season=12` statement (its own "
      "time, --timing); statsmodels 0.13 ExponentialSmoothing(initialization_method='heuristic')"
      ".fit() + forecast(12) in a loop (the loop's time). "
      f"{runs} rounds after a warm-up, alternating, order flipped each round.")
print()
print("| | quarry | statsmodels | ratio (median, range) |")
print("|---|---|---|---|")
print(f"| seconds for all series | {q:.3f} | {p:.3f} | {st.median(r):.3f}x ({min(r):.3f}-{max(r):.3f}) |")
print(f"| CPU seconds for all series | {qc:.3f} | {pc:.3f} | {st.median(rc):.3f}x ({min(rc):.3f}-{max(rc):.3f}) |")
print(f"| CPU milliseconds per series fit | {1000 * qc / ns:.3f} | {1000 * pc / ns:.3f} | |")
print(f"| series per second | {ns / q:,.0f} | {ns / p:,.0f} | |")
print()
print(f"CPU: {cpu}; load average at the end {load} (the machine was shared).")
PY
