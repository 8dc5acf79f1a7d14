"""A user x item log for bench/sections/recommend.sh: 100,000 users x 10,000
items (by default), seeded (numpy PCG64, seed 16).

Each user has 1 + Poisson(9) distinct items (mean 10, so about a million
pairs), drawn without replacement with Zipf-like weights 1 / rank^0.8, so a
few items are in many baskets and most are rare (as in a shop's log);
a tenth of the pairs is written twice (repeats count once). Rows are
shuffled.

  gen_reclog.py [USERS [ITEMS]]   writes $QB_DIR/data/reclog_USERS_ITEMS.csv
                                   (user,item integer codes; made once)
"""
import os
import sys

import numpy as np

QB = os.environ.get("QB_DIR", "/tmp/quarry-bench")
DATA = os.path.join(QB, "data")


def main():
    n_users = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    n_items = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    path = os.path.join(DATA, f"reclog_{n_users}_{n_items}.csv")
    if os.path.exists(path):
        print(path)
        return
    os.makedirs(DATA, exist_ok=True)
    rng = np.random.Generator(np.random.PCG64(16))
    w = 1.0 / np.arange(1, n_items + 1) ** 0.8
    cdf = np.cumsum(w / w.sum())
    deg = 1 + rng.poisson(9, n_users)
    users, items = [], []
    for u in range(n_users):
        got = set()
        while len(got) < deg[u]:
            got.update(np.searchsorted(cdf, rng.random(deg[u] - len(got) + 2)).tolist())
        got = sorted(got)[: deg[u]] if len(got) > deg[u] else sorted(got)
        users.extend([u] * len(got))
        items.extend(got)
    users = np.array(users)
    items = np.minimum(np.array(items), n_items - 1)
    rep = rng.random(len(users)) < 0.1
    users = np.concatenate([users, users[rep]])
    items = np.concatenate([items, items[rep]])
    order = rng.permutation(len(users))
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("user,item\n")
        np.savetxt(f, np.column_stack([users[order], items[order]]), fmt="%d", delimiter=",")
    os.replace(tmp, path)
    print(path)


if __name__ == "__main__":
    main()
