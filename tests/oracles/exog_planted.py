#!/usr/bin/python3
"""exog_planted.py: a planted series driven by a regressor, for exog= of the
neural forecasters (tests/sh/forecast_exog.sh, tests/transcripts/forecast_exog.qry).

Run once with /usr/bin/python3 from the repository root; writes
tests/data/exog_planted.csv: group, period, x, y.

Two monthly series of 246 periods from 2000-01: x uniform on [0, 10),
independent from month to month (so the series' own past says nothing of
its next value), and
  group a: y = 3 x + e
  group b: y = 50 - 2 x + e
with e normal, sd 0.1. The last 6 periods of each have x and no y: the
future a forecast with exog= predicts from the given x. The best any model
can do on the observed periods is an RMSE of 0.1 (the noise).
"""
import numpy as np

rng = np.random.default_rng(17)
n, nf = 246, 6
with open("tests/data/exog_planted.csv", "w") as f:
    f.write("grp,period,x,y\n")
    for g, (c, b) in (("a", (0.0, 3.0)), ("b", (50.0, -2.0))):
        x = rng.uniform(0, 10, n)
        e = rng.normal(0, 0.1, n)
        for t in range(n):
            day = "%04d-%02d-01" % (2000 + t // 12, t % 12 + 1)
            y = "" if t >= n - nf else "%.6f" % (c + b * x[t] + e[t])
            f.write("%s,%s,%.6f,%s\n" % (g, day, x[t], y))
