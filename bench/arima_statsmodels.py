#!/usr/bin/python3
"""bench/arima_statsmodels.py CSV ORDER [SORDER]: statsmodels' side of
bench/sections/arima.sh: SARIMAX(y[:-6], order, seasonal_order (season 12)).fit(disp=0)
and get_forecast(12) for every series of CSV in a loop (statsmodels' defaults, as
a user calls it); prints fit=WALL fitcpu=CPU for the loop alone (imports and the
read left out)."""
import sys
import time
import warnings

import pandas as pd
from statsmodels.tsa.statespace.sarimax import SARIMAX

warnings.simplefilter("ignore")
path, order = sys.argv[1], tuple(int(v) for v in sys.argv[2].split(","))
sorder = tuple(int(v) for v in sys.argv[3].split(",")) + (12,) if len(sys.argv) > 3 else (0, 0, 0, 0)
d = pd.read_csv(path)
groups = [g["value"].to_numpy() for _, g in d.groupby("series", sort=True)]
t0, c0 = time.perf_counter(), time.process_time()
for y in groups:
    r = SARIMAX(y[:-6], order=order, seasonal_order=sorder).fit(disp=0)
    r.get_forecast(12)
print(f"fit={time.perf_counter() - t0:.4f} fitcpu={time.process_time() - c0:.4f}")
