#!/bin/sh
# bench/sections/forecast.sh: Holt-Winters against statsmodels (issue 17):
# 1,000 series of 48 months (trend, a 12-month season and noise, seeded),
# each fitted on its first 42 months and forecast 12 ahead (the 6 held out
# and 6 beyond). quarry: one `forecast ... model=holtwinters season=12`
# statement over all series (bench/hw_quarry.sh: the statement's own time
# from --timing), on 1 thread (the fit per series) and on 2 (threads=2:
# two series at once); statsmodels 0.13: ExponentialSmoothing(trend='add',
# seasonal='add', seasonal_periods=12, initialization_method='heuristic')
# .fit() and forecast(12) in a loop (bench/hw_statsmodels.py: the loop's
# own time). Paired rounds through bench/pair.py (the three in turn, the
# order rotating, a warm-up round not counted); ratios are medians of the
# per-round ratios of the in-process seconds (fit) and CPU seconds
# (fitcpu), with their range. Prints a markdown section.
# Environment: QB_DIR (data, default /tmp/quarry-bench), QUARRY, PYTHON,
# ROUNDS (5), FORECAST_SERIES (1000).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(dirname "$here")
QB=${QB_DIR:-/tmp/quarry-bench}
O=$QB/bench-out
Q=${QUARRY:-$root/quarry}
PY=${PYTHON:-/usr/bin/python3}
ROUNDS=${ROUNDS:-${RUNS:-5}}
NS=${FORECAST_SERIES:-1000}
mkdir -p "$QB" "$O"
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
out=$O/forecast_hw_$NS.json
QUARRY=$Q "$PY" "$here/pair.py" run "$out" "$ROUNDS" \
    "quarry1=sh $here/hw_quarry.sh $csv 1" \
    "quarry2=sh $here/hw_quarry.sh $csv 2" \
    "statsmodels=$PY $here/hw_statsmodels.py $csv" >&2
"$PY" - "$out" "$here" "$NS" <<'PY'
import json, sys
path, here, ns = sys.argv[1], sys.argv[2], int(sys.argv[3])
sys.path.insert(0, here)
import pair
res = json.load(open(path))
r = res["rounds"][0]
rows = {k: int(pair.value(r[k], "rows")) for k in ("quarry1", "quarry2", "statsmodels")}
w1 = pair.summary(res, "quarry1", "statsmodels", "fit")
c1 = pair.summary(res, "quarry1", "statsmodels", "fitcpu")
w2 = pair.summary(res, "quarry2", "statsmodels", "fit")
c2 = pair.summary(res, "quarry2", "statsmodels", "fitcpu")
print("## forecast (issue 17): Holt-Winters against statsmodels")
print()
print(f"{ns:,} series of 48 months (trend, a 12-month season, noise), each fitted on 42 and "
      "forecast 12 ahead (additive trend and season of 12). quarry: one `forecast ... "
      "model=holtwinters season=12` statement over all series (its own time, --timing), with "
      "threads=1 and threads=2 (two series fitted at once; the same output to the bit, "
      "tests/unit/test_fcrun_threads.c); statsmodels 0.13 ExponentialSmoothing("
      "initialization_method='heuristic').fit() + forecast(12) in a loop (the loop's time; "
      "bench/hw_statsmodels.py). Paired rounds (bench/pair.py, the three in turn, the order "
      "rotating, a warm-up round not counted); ratios are medians of the per-round ratios, with "
      f"their range. Rows written: quarry {rows['quarry1']:,}, statsmodels {rows['statsmodels']:,} "
      "(values fitted + forecast).")
print()
print("| | seconds (CPU s) | series per second | / statsmodels, seconds | / statsmodels, CPU seconds | CPU ms per series |")
print("|---|---|---|---|---|---|")
print(f"| quarry, threads=1 | {w1['a']:.3f} ({c1['a']:.3f}) | {ns / w1['a']:,.0f} | "
      f"{w1['ratio']:.3f}x ({w1['lo']:.3f}-{w1['hi']:.3f}) | {c1['ratio']:.3f}x ({c1['lo']:.3f}-{c1['hi']:.3f}) | {1000 * c1['a'] / ns:.2f} |")
print(f"| quarry, threads=2 | {w2['a']:.3f} ({c2['a']:.3f}) | {ns / w2['a']:,.0f} | "
      f"{w2['ratio']:.3f}x ({w2['lo']:.3f}-{w2['hi']:.3f}) | {c2['ratio']:.3f}x ({c2['lo']:.3f}-{c2['hi']:.3f}) | {1000 * c2['a'] / ns:.2f} |")
print(f"| statsmodels 0.13, a loop | {w1['b']:.3f} ({c1['b']:.3f}) | {ns / w1['b']:,.0f} | | | {1000 * c1['b'] / ns:.2f} |")
print()
goal = c1["ratio"] <= 0.1 and w1["ratio"] <= 0.1
print(f"Goal (issue 17): Holt-Winters fit per series <= 0.1x statsmodels': threads=1, "
      f"{w1['ratio']:.3f}x on seconds and {c1['ratio']:.3f}x on CPU seconds: "
      + ("**met**." if goal else "**met on CPU seconds only**." if c1["ratio"] <= 0.1
         else "**not met**."))
print()
print(pair.machine_line(res))
print()
print("Command: `sh bench/section.sh forecast` (`ROUNDS=N`, `FORECAST_SERIES=N`).")
PY
