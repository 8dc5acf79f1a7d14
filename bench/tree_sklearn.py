#!/usr/bin/python3
"""scikit-learn's DecisionTreeClassifier / RandomForestClassifier on the rows
of bench/tree_data.py, timed in-process as bench/tree_time.c times quarry
(fit only, wall clock, the data already in memory as float64; scikit-learn
converts it to float32 inside fit, which is counted, as it is part of fit).

  tree_sklearn.py PREFIX N tree|forest THREADS [TREES]
"""
import sys
import time

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.tree import DecisionTreeClassifier

prefix, n, what, threads = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
trees = int(sys.argv[5]) if len(sys.argv) > 5 else 100
X = np.fromfile(prefix + ".f64", dtype=np.float64).reshape(n, 8)
y = np.fromfile(prefix + ".i32", dtype=np.int32)
if what == "tree":
    clf = DecisionTreeClassifier(max_depth=10, random_state=0)
else:
    clf = RandomForestClassifier(n_estimators=trees, max_depth=10, max_features="sqrt",
                                 n_jobs=threads, random_state=0, oob_score=True)
t0 = time.perf_counter()
clf.fit(X, y)
t1 = time.perf_counter()
pred = clf.predict(X)
t2 = time.perf_counter()
line = "%s_sklearn fit_sec=%.4f predict_sec=%.4f train_acc=%.5f" % (
    what, t1 - t0, t2 - t1, (pred == y).mean())
if what == "forest":
    line += " oob=%.5f" % clf.oob_score_
print(line)
