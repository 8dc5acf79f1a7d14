#!/usr/bin/python3
"""bench/prep_pandas.py CSV: the preprocessing pipeline of bench/prep.sh in
one pandas process: read_csv, fill missing values with each column's
median, min-max scale every column to [-1, 1], one aggregate. Prints the
in-process seconds of each step (read / fill / scale / aggregate), and for
the fill and scale steps the compute (the statistic) apart from the
write-back (assigning the new columns)."""
import sys
import time

import pandas as pd

t0 = time.perf_counter()
df = pd.read_csv(sys.argv[1])
t1 = time.perf_counter()
med = df.median()
t1c = time.perf_counter()
df = df.fillna(med)
t2 = time.perf_counter()
lo, hi = df.min(), df.max()
t2c = time.perf_counter()
df = -1 + (df - lo) / (hi - lo) * 2
t3 = time.perf_counter()
sel = df[df.c9 > 0]
agg = (round(sel.c0.mean(), 6), round(sel.c5.sum(), 3), len(sel))
t4 = time.perf_counter()
print("result", *agg)
print("read %.3f fill %.3f (median %.3f, fillna %.3f) scale %.3f (min/max %.3f, apply %.3f) "
      "aggregate %.3f" % (t1 - t0, t2 - t1, t1c - t1, t2 - t1c, t3 - t2, t2c - t2, t3 - t2c,
                          t4 - t3))
