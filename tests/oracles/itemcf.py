#!/usr/bin/python3
"""Oracle fixtures for quarry's item CF (src/recommend/itemcf.c), from scikit-learn.

Run once with Debian's python (scikit-learn 1.2.1):
    /usr/bin/python3 tests/oracles/itemcf.py
It writes tests/data/itemcf_log.csv and tests/data/itemcf_top.txt; `make test`
only reads them (tests/unit/test_itemcf.c) and never needs sklearn.

The log: 300 users x 40 items, seeded; each user draws 1..12 items with
popularity skew (Zipf-like weights), and some rows are repeated, so the
binary matrix X (repeats count once) is what both sides must build.

itemcf_log.csv: "user,item" rows (integer codes; repeats kept).
itemcf_top.txt: sections, each a header line "NAME ROWS COLS" and ROWS lines:
  cosine  every pair i < j with a nonzero cosine: i, j, cos
          (sklearn.metrics.pairwise.cosine_similarity(X.T))
  top     for every user with a list: user, rank, item, score, tie
          where score = (X S)[user, item], S the cosine matrix with a zero
          diagonal, items the user has excluded, the 5 best by score
          descending, ties by the lower item; tie = 1 when the score is
          within 1e-9 of a neighbouring rank's (the order there is
          floating-point noise, so the test checks the score only).
"""
import os

import numpy as np
import scipy.sparse as sp
from sklearn.metrics.pairwise import cosine_similarity

N_USERS, N_ITEMS, N = 300, 40, 5
here = os.path.dirname(os.path.abspath(__file__))
data = os.path.join(here, "..", "data")

rng = np.random.default_rng(16)
w = 1.0 / np.arange(1, N_ITEMS + 1) ** 0.8
w /= w.sum()
rows = []
for u in range(N_USERS):
    k = rng.integers(1, 13)
    items = rng.choice(N_ITEMS, size=k, replace=False, p=w)
    for i in items:
        rows.append((u, int(i)))
        if rng.random() < 0.1:
            rows.append((u, int(i)))  # a repeat: counts once
order = rng.permutation(len(rows))
rows = [rows[k] for k in order]

with open(os.path.join(data, "itemcf_log.csv"), "w") as f:
    f.write("user,item\n")
    for u, i in rows:
        f.write(f"{u},{i}\n")

X = sp.csr_matrix((np.ones(len(rows)), ([r[0] for r in rows], [r[1] for r in rows])),
                  shape=(N_USERS, N_ITEMS))
X.data[:] = 1.0  # binary: duplicates were summed by the constructor
S = cosine_similarity(X.T, dense_output=True)
np.fill_diagonal(S, 0.0)
scores = np.asarray(X @ S)

cos_rows = [(i, j, S[i, j]) for i in range(N_ITEMS) for j in range(i + 1, N_ITEMS)
            if S[i, j] != 0]
top_rows = []
Xd = X.toarray()
for u in range(N_USERS):
    cand = [(-scores[u, j], j) for j in range(N_ITEMS) if Xd[u, j] == 0 and scores[u, j] > 0]
    cand.sort()
    best = cand[:N]
    for r, (s, j) in enumerate(best):
        near = [c for c in cand if abs(-c[0] + s) < 1e-9 and c[1] != j]
        top_rows.append((u, r + 1, j, -s, 1 if near else 0))

with open(os.path.join(data, "itemcf_top.txt"), "w") as f:
    f.write(f"cosine {len(cos_rows)} 3\n")
    for i, j, c in cos_rows:
        f.write(f"{i} {j} {c!r}\n")
    f.write(f"top {len(top_rows)} 5\n")
    for u, r, j, s, t in top_rows:
        f.write(f"{u} {r} {j} {s!r} {t}\n")
print(f"{len(rows)} rows, {X.nnz} pairs, {len(cos_rows)} cosines, {len(top_rows)} list rows")
