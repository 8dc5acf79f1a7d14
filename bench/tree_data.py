#!/usr/bin/python3
"""Rows for the tree and forest benchmarks (bench/tree_bench.sh): N x 8
float64 features (normal, different scales) and 3 classes from a noisy
linear score, written raw (X.f64 row-major, y.i32) so quarry's driver
(bench/tree_time.c) and scikit-learn (bench/tree_sklearn.py) read the same
rows.  usage: tree_data.py N PREFIX"""
import sys

import numpy as np

n = int(sys.argv[1])
rng = np.random.RandomState(42)
X = rng.normal(size=(n, 8)) * np.array([1.0, 2.0, 0.5, 3.0, 1.0, 1.5, 4.0, 0.2])
score = X[:, 0] + 0.5 * X[:, 1] - 0.3 * X[:, 3] + 0.8 * X[:, 7] * X[:, 2] + \
    rng.normal(scale=0.8, size=n)
y = np.digitize(score, [-0.8, 0.8]).astype(np.int32)
np.ascontiguousarray(X, dtype=np.float64).tofile(sys.argv[2] + ".f64")
y.tofile(sys.argv[2] + ".i32")
