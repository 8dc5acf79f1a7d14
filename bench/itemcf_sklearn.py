"""Item CF top-N for every user with scikit-learn, the comparison for
bench/sections/recommend.sh: read the (user, item) CSV with pandas, build
the binary sparse matrix X (scipy CSR; repeats count once), S =
sklearn.metrics.pairwise.cosine_similarity(X.T, dense_output=False) with its
diagonal zeroed, then scores = X S in chunks of users, each chunk made
dense, the user's own items set to -inf and the N best taken with
argpartition (ties in no particular order). Prints the step times:
"read R cosine C top T" and the number of pairs in S.

  itemcf_sklearn.py CSV [N]
"""
import sys
import time

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.metrics.pairwise import cosine_similarity


def main():
    path = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    t0 = time.perf_counter()
    df = pd.read_csv(path)
    u = df["user"].to_numpy()
    i = df["item"].to_numpy()
    X = sp.csr_matrix((np.ones(len(u)), (u, i)))
    X.data[:] = 1.0
    t1 = time.perf_counter()
    S = cosine_similarity(X.T, dense_output=False).tocsr()
    S.setdiag(0)
    S.eliminate_zeros()
    t2 = time.perf_counter()
    top = np.empty((X.shape[0], n), dtype=np.int64)
    chunk = 2000
    for a in range(0, X.shape[0], chunk):
        Xc = X[a:a + chunk]
        sc = (Xc @ S).toarray()
        sc[Xc.nonzero()] = -np.inf
        part = np.argpartition(-sc, n, axis=1)[:, :n]
        order = np.argsort(-np.take_along_axis(sc, part, axis=1), axis=1)
        top[a:a + chunk] = np.take_along_axis(part, order, axis=1)
    t3 = time.perf_counter()
    print(f"read {t1 - t0:.3f} cosine {t2 - t1:.3f} top {t3 - t2:.3f} pairs {S.nnz}")


if __name__ == "__main__":
    main()
