#!/bin/sh
# bench/sections/arima.sh: seasonal ARIMA with given orders against
# statsmodels' SARIMAX (issue 17): N series of 48 months (trend, a 12-month
# season and noise, seeded; the generator of bench/sections/forecast.sh),
# each fitted on its first 42 months by exact maximum likelihood and
# forecast 12 ahead. Two models: ARIMA(1,1,1) and the airline model
# (0,1,1)(0,1,1)[12]. quarry: one `forecast ... model=arima order=...`
# statement over every series (bench/arima_quarry.sh: the statement's own
# time from --timing); statsmodels 0.13.5: SARIMAX(...).fit(disp=0) and
# get_forecast(12) in a loop (bench/arima_statsmodels.py: the loop's own
# time). Paired rounds through bench/pair.py (the tools in turn, the
# order alternating); the figures are the medians of the per-round ratios
# of the in-process seconds (--field fit) and of their CPU seconds (--field
# fitcpu), with their range. Prints a markdown section.
# Environment: QB_DIR (default /tmp/quarry-bench), QUARRY, PYTHON,
# ROUNDS (5), ARIMA_SERIES (200).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(dirname "$here")
QB=${QB_DIR:-/tmp/quarry-bench}
O=$QB/bench-out
Q=${QUARRY:-$root/quarry}
PY=${PYTHON:-/usr/bin/python3}
ROUNDS=${ROUNDS:-5}
NS=${ARIMA_SERIES:-200}
mkdir -p "$QB" "$O"
csv=$QB/arima_${NS}x48.csv
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
echo "## ARIMA (issue 17): seasonal ARIMA against statsmodels' SARIMAX"
echo
echo "$NS series of 48 months (bench/sections/forecast.sh's generator: trend, a 12-month season, noise), each fitted on 42 by exact maximum likelihood and forecast 12 ahead. quarry: one \`forecast ... model=arima order=...\` statement over all series (its own time, --timing); statsmodels 0.13.5: \`SARIMAX(y, order, seasonal_order).fit(disp=0)\` + \`get_forecast(12)\` in a loop (the loop's time). Paired rounds (bench/pair.py, the order alternating, a warm-up round not counted); ratios are medians of the per-round ratios, with their range."
echo
echo "| model | quarry s (CPU s) | statsmodels s (CPU s) | quarry / statsmodels, seconds | CPU seconds | ms CPU per series: quarry, statsmodels |"
echo "|---|---|---|---|---|---|"
for case in "1,1,1:" "0,1,1:0,1,1"; do
    order=${case%%:*} sorder=${case#*:}
    name="($order)"; [ -n "$sorder" ] && name="($order)($sorder)[12]"
    out=$O/arima_$(echo "$order$sorder" | tr -d ,).json
    QUARRY=$Q "$PY" "$here/pair.py" run "$out" "$ROUNDS" \
        "quarry=sh $here/arima_quarry.sh $csv $order $sorder" \
        "statsmodels=$PY $here/arima_statsmodels.py $csv $order $sorder" >&2
    "$PY" - "$out" "$here" "$name" "$NS" <<'PY'
import json, sys
path, here, name, ns = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
sys.path.insert(0, here)
import pair
res = json.load(open(path))
w = pair.summary(res, "quarry", "statsmodels", "fit")
c = pair.summary(res, "quarry", "statsmodels", "fitcpu")
print(f"| ARIMA{name} | {w['a']:.2f} ({c['a']:.2f}) | {w['b']:.2f} ({c['b']:.2f}) | "
      f"{w['ratio']:.3f}x ({w['lo']:.3f}-{w['hi']:.3f}) | {c['ratio']:.3f}x ({c['lo']:.3f}-{c['hi']:.3f}) | "
      f"{1000 * c['a'] / ns:.1f}, {1000 * c['b'] / ns:.1f} |")
PY
done
echo
"$PY" - "$O/arima_111.json" "$here" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[2])
import pair
res = json.load(open(sys.argv[1]))
print(pair.machine_line(res) if hasattr(pair, "machine_line") else "")
PY
echo
echo "Command: \`sh bench/section.sh arima\` (\`ROUNDS=N\`, \`ARIMA_SERIES=N\`)."
