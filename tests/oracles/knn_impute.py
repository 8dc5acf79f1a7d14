#!/usr/bin/python3
"""Reference answers for quarry's missing=knn (tests/unit/test_prep.c).

Run once with Debian's python3-sklearn: /usr/bin/python3 tests/oracles/knn_impute.py
It prints a C array of the filled matrix that the unit test compares to;
the input matrix is written out here so both sides use the same data.
"""
import numpy as np
from sklearn.impute import KNNImputer

nan = np.nan
X = np.array([
    [1.0, 2.0, nan],
    [3.0, nan, 6.0],
    [nan, 8.0, 9.0],
    [2.0, 2.5, 3.0],
    [10.0, 11.0, 12.0],
    [4.0, 5.0, nan],
    [5.5, 1.0, 2.0],
])
Y = KNNImputer(n_neighbors=2).fit_transform(X)
print("/* KNNImputer(n_neighbors=2), scikit-learn %s */" % __import__("sklearn").__version__)
print("static const double knn_expected[7][3] = {")
for row in Y:
    print("    {%s}," % ", ".join(repr(float(v)) for v in row))
print("};")
