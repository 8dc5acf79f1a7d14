"""An order log for bench/sections/rfm.sh: N rows (default 5,000,000) of
order_id,customer_id,ts,amount, seeded (numpy PCG64, seed 5).

Customers 1..N/25 (200,000 for 5M rows) order with Zipf-like weights, so
frequencies are skewed and many tie (as in real logs); timestamps are
uniform over 2023-01-01 .. 2024-12-31 to the second, ISO 8601
(YYYY-MM-DDTHH:MM:SS); amounts are log-normal, two decimals. Clean data:
every row has a customer, a valid date and an amount.

  gen_orders.py [N]     writes $QB_DIR/data/orders_N.csv (made once)
"""
import os
import sys

import numpy as np

QB = os.environ.get("QB_DIR", "/tmp/quarry-bench")
DATA = os.path.join(QB, "data")


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000_000
    path = os.path.join(DATA, f"orders_{n}.csv")
    if os.path.exists(path):
        print(path)
        return
    os.makedirs(DATA, exist_ok=True)
    rng = np.random.Generator(np.random.PCG64(5))
    n_cust = max(n // 25, 1)
    w = 1.0 / np.arange(1, n_cust + 1) ** 0.7
    cust = rng.choice(n_cust, size=n, p=w / w.sum()) + 1
    rng.shuffle(perm := np.arange(1, n_cust + 1))
    cust = perm[cust - 1]                       # popular customers spread over the ids
    t0 = np.datetime64("2023-01-01T00:00:00")
    secs = rng.integers(0, 731 * 86400, size=n)
    secs.sort()                                 # a log is in time order
    ts = np.datetime_as_string(t0 + secs.astype("timedelta64[s]"), unit="s")
    cents = np.round(rng.lognormal(3.5, 1.0, size=n) * 100).astype(np.int64) + 1
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("order_id,customer_id,ts,amount\n")
        step = 500_000
        for a in range(0, n, step):
            b = min(a + step, n)
            rows = [f"{100001 + i},{c},{t},{m // 100}.{m % 100:02d}\n"
                    for i, c, t, m in zip(range(a, b), cust[a:b].tolist(), ts[a:b].tolist(),
                                          cents[a:b].tolist())]
            f.write("".join(rows))
    os.rename(tmp, path)
    print(path)


if __name__ == "__main__":
    main()
