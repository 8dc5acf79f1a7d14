#!/usr/bin/python3
"""bench/hw_statsmodels.py CSV: statsmodels' side of bench/sections/forecast.sh:
ExponentialSmoothing(y[:-6], trend='add', seasonal='add', seasonal_periods=12,
initialization_method='heuristic').fit() and forecast(12) for every series of
CSV in a loop (statsmodels' defaults otherwise, as a user calls it); prints
fit=WALL fitcpu=CPU for the loop alone (imports and the read left out) and
rows=N, the values fitted and forecast (quarry's rows)."""
import sys
import time
import warnings

import pandas as pd
from statsmodels.tsa.holtwinters import ExponentialSmoothing

warnings.simplefilter("ignore")
d = pd.read_csv(sys.argv[1])
groups = [g["value"].to_numpy() for _, g in d.groupby("series", sort=True)]
rows = 0
t0, c0 = time.perf_counter(), time.process_time()
for y in groups:
    r = ExponentialSmoothing(y[:-6], trend="add", seasonal="add", seasonal_periods=12,
                             initialization_method="heuristic").fit()
    f = r.forecast(12)
    rows += len(y) - 6 + len(f)
print(f"fit={time.perf_counter() - t0:.4f} fitcpu={time.process_time() - c0:.4f} rows={rows}")
