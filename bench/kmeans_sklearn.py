"""k-means peer for bench/sections/kmeans.sh, measured as quarry's bench/kmeans_iter.c is.

  kmeans_sklearn.py algo X.npy INIT.npy THREADS RUNS
      marginal seconds per Lloyd iteration = (fit with 21 iterations - fit
      with 1) / 20, KMeans(init=INIT, n_init=1, tol=0, algorithm='lloyd'),
      threads capped with threadpoolctl; median of RUNS pairs after a warm-up.
  kmeans_sklearn.py make2d X.npy
      100,000 seeded 2-D points: 10 Gaussian blobs and 5 % uniform noise.
  kmeans_sklearn.py dbscan X.npy EPS MINPTS RUNS THREADS
      DBSCAN(eps, min_samples) fit seconds, median of RUNS after a warm-up;
      saves the labels next to X for the comparison with quarry's.
  kmeans_sklearn.py pipeline X.csv THREADS
      one whole process: import, read_csv, KMeans(init=first 8 rows,
      n_init=1, max_iter=20, tol=0) on f0..f7, labels assigned to the
      DataFrame as a column; prints the in-process seconds of each step.
"""
import statistics
import sys
import time

t_start = time.perf_counter()
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402
t_import = time.perf_counter() - t_start


def fit(X, init, iters):
    km = KMeans(n_clusters=init.shape[0], init=init, n_init=1, max_iter=iters, tol=0.0,
                algorithm="lloyd")
    t0 = time.perf_counter()
    km.fit(X)
    return time.perf_counter() - t0, km


def algo(xpath, ipath, threads, runs):
    X = np.load(xpath)
    init = np.load(ipath)
    with threadpool_limits(limits=threads):
        fit(X, init, 21)
        marg, full = [], []
        for _ in range(runs):
            t21, km = fit(X, init, 21)
            t1, _ = fit(X, init, 1)
            marg.append((t21 - t1) / 20)
            full.append(t21)
    print(f"kmeans_sklearn_{threads}t N={X.shape[0]} d={X.shape[1]} k={init.shape[0]} "
          f"iters={km.n_iter_} marginal_sec_per_iter={statistics.median(marg):.5f} "
          f"(min {min(marg):.5f} max {max(marg):.5f}) fit21_s={statistics.median(full):.4f} "
          f"inertia={km.inertia_:.6e} runs={runs}")


def pipeline(csv, threads):
    with threadpool_limits(limits=threads):
        t0 = time.perf_counter()
        df = pd.read_csv(csv)
        t1 = time.perf_counter()
        cols = [f"f{i}" for i in range(8)]
        X = df[cols].to_numpy()
        km = KMeans(n_clusters=8, init=X[:8], n_init=1, max_iter=20, tol=0.0,
                    algorithm="lloyd").fit(X)
        t2 = time.perf_counter()
        df["segment"] = km.labels_
        t3 = time.perf_counter()
    print(f"pipeline_sklearn_{threads}t import_s={t_import:.3f} read_s={t1 - t0:.3f} "
          f"kmeans_s={t2 - t1:.3f} assign_s={t3 - t2:.4f} iters={km.n_iter_} "
          f"inertia={km.inertia_:.6e}")




def dbscan(xpath, eps, minpts, runs):
    from sklearn.cluster import DBSCAN
    X = np.load(xpath)
    ts = []
    for i in range(runs + 1):
        t0 = time.perf_counter()
        lab = DBSCAN(eps=eps, min_samples=minpts).fit(X).labels_
        if i:
            ts.append(time.perf_counter() - t0)
    np.save(xpath.replace(".npy", "_sklearn_labels.npy"), lab)
    print(f"dbscan_sklearn N={X.shape[0]} d={X.shape[1]} eps={eps} minpts={minpts} "
          f"fit_s={statistics.median(ts):.4f} (min {min(ts):.4f} max {max(ts):.4f}) "
          f"clusters={len(set(lab)) - (1 if -1 in lab else 0)} noise={(lab == -1).sum()}")


def make_2d(path):
    rng = np.random.default_rng(20261123)
    n, k = 100_000, 10
    centres = rng.uniform(-10, 10, size=(k, 2))
    y = rng.integers(0, k, size=n)
    X = centres[y] + rng.normal(0, 0.6, size=(n, 2))
    noise = rng.uniform(-12, 12, size=(n // 20, 2))
    X[: n // 20] = noise
    np.save(path, np.round(X, 6))


if __name__ == "__main__":
    if sys.argv[1] == "algo":
        algo(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    elif sys.argv[1] == "pipeline":
        pipeline(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "make2d":
        make_2d(sys.argv[2])
    else:
        with threadpool_limits(limits=int(sys.argv[6])):
            dbscan(sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
