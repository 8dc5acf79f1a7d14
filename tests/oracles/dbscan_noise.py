#!/usr/bin/python3
"""Reference answers for DBSCAN's quality indices with and without its noise
(tests/transcripts/dbscan_noise.qry).

Run with Debian's python3-sklearn: /usr/bin/python3 tests/oracles/dbscan_noise.py
tests/data/iris.csv is scikit-learn's own iris.csv (sklearn/datasets/data)
with its first line, "150,4,setosa,versicolor,virginica", replaced by a
header. quarry's value column leaves the noise rows out; its with_noise
column counts them as one more cluster, which is what scikit-learn's scores
of DBSCAN's labels_ are.
"""
import numpy as np
from sklearn.cluster import DBSCAN
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score

X = np.loadtxt("tests/data/iris.csv", delimiter=",", skiprows=1, usecols=(0, 1, 2, 3))
labels = DBSCAN(eps=0.5, min_samples=5).fit(X).labels_
kept = labels >= 0
print("scikit-learn %s: %d clusters, %d noise rows" % (
    __import__("sklearn").__version__, labels.max() + 1, (~kept).sum()))
for name, f in (("silhouette", silhouette_score), ("davies_bouldin", davies_bouldin_score),
                ("calinski_harabasz", calinski_harabasz_score)):
    print("%-18s without noise %.6g, with noise %.6g" % (
        name, f(X[kept], labels[kept]), f(X, labels)))
inertia = sum(((X[labels == c] - X[labels == c].mean(axis=0)) ** 2).sum()
              for c in range(labels.max() + 1))
print("inertia without noise %.6g" % inertia)
