#!/usr/bin/python3
"""bench/gen_prep.py ROWS OUT.csv: ROWS x 10 numeric columns, about 5% of
cells missing (empty), seeded (numpy default_rng(20261123)), for the
preprocessing pipeline benchmark (bench/prep.sh)."""
import sys

import numpy as np

n = int(sys.argv[1])
rng = np.random.default_rng(20261123)
cols = []
for j in range(10):
    if j % 3 == 0:
        v = rng.normal(100 * (j + 1), 15 * (j + 1), n)
    elif j % 3 == 1:
        v = rng.lognormal(3, 1, n)
    else:
        v = rng.integers(0, 1000, n).astype(float)
    cols.append(v)
X = np.column_stack(cols)
X[rng.random(X.shape) < 0.05] = np.nan
with open(sys.argv[2], "w") as f:
    f.write(",".join("c%d" % j for j in range(10)) + "\n")
    for row in X:
        f.write(",".join("" if np.isnan(v) else ("%d" % v if j % 3 == 2 else "%.4f" % v)
                         for j, v in enumerate(row)) + "\n")
