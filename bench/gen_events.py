"""An event log for bench/sections/sequences.sh: N events (5,000,000 by
default) of 100,000 users over 2024-07-01 .. 2024-12-31, seeded (numpy
PCG64, seed 19): each event a user (Zipf-like activity), a time (uniform),
a kind (view 0.6, cart 0.18, wishlist 0.07, purchase 0.15) and a product
(one of 2,000). Sorted by time, as a shop's log is.

  gen_events.py [N]   writes $QB_DIR/data/events_N.csv
                      (customer_id,ts,event,product; made once)
"""
import os
import sys

import numpy as np
import pandas as pd

QB = os.environ.get("QB_DIR", "/tmp/quarry-bench")
DATA = os.path.join(QB, "data")


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000_000
    path = os.path.join(DATA, f"events_{n}.csv")
    if os.path.exists(path):
        print(path)
        return
    os.makedirs(DATA, exist_ok=True)
    rng = np.random.Generator(np.random.PCG64(19))
    users = 100_000
    w = 1.0 / np.arange(1, users + 1) ** 0.6
    user = rng.choice(users, size=n, p=w / w.sum()) + 1
    start = pd.Timestamp("2024-07-01").value // 10**9
    end = pd.Timestamp("2025-01-01").value // 10**9
    t = np.sort(rng.integers(start, end, size=n))
    kind = rng.choice(np.array(["view", "cart", "wishlist", "purchase"]), size=n,
                      p=[0.6, 0.18, 0.07, 0.15])
    product = rng.integers(1, 2001, size=n)
    df = pd.DataFrame({"customer_id": user,
                       "ts": pd.to_datetime(t, unit="s").strftime("%Y-%m-%dT%H:%M:%S"),
                       "event": kind, "product": "p" + pd.Series(product).astype(str)})
    df.to_csv(path, index=False)
    print(path)


if __name__ == "__main__":
    main()
