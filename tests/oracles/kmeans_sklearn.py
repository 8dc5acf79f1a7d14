#!/usr/bin/python3
"""Oracle fixtures for quarry's clustering tests, from scikit-learn.

Run once with Debian's python (scikit-learn 1.2.1):
    /usr/bin/python3 tests/oracles/kmeans_sklearn.py
It writes tests/data/cluster_NAME.txt for each data set; `make test` only
reads those files and never needs sklearn.

File format: sections, each a header line "NAME ROWS COLS" followed by ROWS
lines of COLS numbers (repr, so doubles round-trip exactly):
  x        the data, n x d
  init     the initial centres given to KMeans, k x d
  labels   sklearn KMeans(init=init, n_init=1, algorithm='lloyd',
           max_iter=300, tol=0).labels_, n x 1
  kmeans   inertia_, n_iter_ (1 x 2)
  centres  cluster_centers_, k x d
  quality  silhouette_score, davies_bouldin_score, calinski_harabasz_score
           of those labels (1 x 3)
  truth    the generating labels, n x 1
  score    adjusted_rand_score, normalized_mutual_info_score (arithmetic),
           purity of labels against truth (1 x 3)
  dbscan   eps, min_samples (1 x 2)
  dblabels sklearn DBSCAN(eps, min_samples).labels_, n x 1
  hier_L   scipy linkage(X, method=L) for L in ward, complete, average,
           single: (n-1) x 4, (a, b, height, size)
  cut_L    fcluster(that, k, criterion='maxclust') - 1, n x 1
and tests/data/cluster_NAME.csv, the data with its truth column, for
transcripts.
"""
import os

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.cluster import DBSCAN, KMeans
from sklearn.metrics import (adjusted_rand_score, calinski_harabasz_score,
                             davies_bouldin_score, normalized_mutual_info_score,
                             silhouette_score)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")


def purity(labels, truth):
    tot = 0
    for c in np.unique(labels):
        _, counts = np.unique(truth[labels == c], return_counts=True)
        tot += counts.max()
    return tot / len(labels)


def section(f, name, a):
    a = np.atleast_2d(np.asarray(a, dtype=float))
    if a.shape[0] == 1 and (name in ("labels", "truth", "dblabels") or name.startswith("cut_")):
        a = a.T
    f.write(f"{name} {a.shape[0]} {a.shape[1]}\n")
    for row in a:
        f.write(" ".join(repr(float(v)) for v in row) + "\n")


def write(name, X, init, truth, eps, minpts):
    km = KMeans(n_clusters=init.shape[0], init=init, n_init=1, algorithm="lloyd",
                max_iter=300, tol=0.0).fit(X)
    lab = km.labels_
    db = DBSCAN(eps=eps, min_samples=minpts).fit(X).labels_
    with open(os.path.join(OUT, f"cluster_{name}.txt"), "w") as f:
        section(f, "x", X)
        section(f, "init", init)
        section(f, "labels", lab)
        section(f, "kmeans", [[km.inertia_, km.n_iter_]])
        section(f, "centres", km.cluster_centers_)
        section(f, "quality", [[silhouette_score(X, lab), davies_bouldin_score(X, lab),
                                calinski_harabasz_score(X, lab)]])
        section(f, "truth", truth)
        section(f, "score", [[adjusted_rand_score(truth, lab),
                              normalized_mutual_info_score(truth, lab), purity(lab, truth)]])
        section(f, "dbscan", [[eps, minpts]])
        section(f, "dblabels", db)
        for method in ("ward", "complete", "average", "single"):
            Z = linkage(X, method=method)
            section(f, f"hier_{method}", Z)
            section(f, f"cut_{method}", fcluster(Z, init.shape[0], criterion="maxclust") - 1)
    with open(os.path.join(OUT, f"cluster_{name}.csv"), "w") as f:
        f.write(",".join(f"x{q}" for q in range(X.shape[1])) + ",truth\n")
        for row, t in zip(X, truth):
            f.write(",".join(repr(float(v)) for v in row) + f",{int(t)}\n")
    print(f"cluster_{name}: n={len(X)} iters={km.n_iter_} inertia={km.inertia_!r} "
          f"dbscan clusters={len(set(db)) - (-1 in db)} noise={(db == -1).sum()}")


def main():
    rng = np.random.default_rng(20261123)
    # 1. Gaussian blobs, 3-D, 4 centres, values rounded to 6 decimals.
    k, d, n = 4, 3, 400
    centres = rng.uniform(-5, 5, size=(k, d))
    truth = rng.integers(0, k, size=n)
    X = np.round(centres[truth] + rng.normal(0, 1.0, size=(n, d)), 6)
    init = X[rng.choice(n, size=k, replace=False)]
    write("blobs", X, init, truth, 0.8, 5)
    # 2. Ties and duplicates: integer points on a small grid, each with its
    # mirror image so the column means are exactly 0 (sklearn centres X
    # first; an exact mean keeps every tie exact), many points repeated,
    # and starting centres at integer points so first-pass distances tie.
    base = rng.integers(-3, 4, size=(60, 2)).astype(float)
    base = np.vstack([base, base[:20], base[:20]])          # duplicates
    X = np.vstack([base, -base])
    truth = (X[:, 0] > 0).astype(int) + 2 * (X[:, 1] > 0).astype(int)
    init = np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 2.0]])   # (1,0) ties 0 and 1, ...
    write("ties", X, init, truth, 1.0, 4)
    # 3. Two elongated groups, 5-D: k=5 from rows 0..4.
    n, d = 300, 5
    truth = (np.arange(n) % 2)
    X = np.round(rng.normal(0, 1, size=(n, d)) * [4, 1, 1, 0.5, 0.5] + truth[:, None] * 3, 6)
    init = X[:5].copy()
    write("long", X, init, truth, 1.2, 6)


if __name__ == "__main__":
    main()
