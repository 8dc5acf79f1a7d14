"""pandas peer for bench/sections/rfm.sh: the rfm command's result with pandas.

read_csv is timed apart (quarry's load, sqlite3's .import); the RFM step
is timed from the DataFrame: parse ts (ISO, invalid -> NaT), drop rows
without a customer, date or amount, groupby customer (last day, count,
sum), recency from the day after the last order, scores by
qcut(rank(method='first')) (recency labels reversed), the segment grid.
One warm-up, then RUNS timed calls, median.

  rfm_pandas.py FILE [RUNS]
Prints: pandas_rfm read_s=... rfm_s=MED min=A max=B cpu_s=C runs=R
        check <the same checksum line as the SQL and quarry queries>
"""
import statistics
import sys
import time

import numpy as np
import pandas as pd


def rfm(df, q=5):
    ts = pd.to_datetime(df["ts"], format="%Y-%m-%dT%H:%M:%S", errors="coerce")
    d = pd.DataFrame({"c": df["customer_id"], "day": ts.dt.normalize(), "a": df["amount"]})
    d = d.dropna()
    g = d.groupby("c").agg(last=("day", "max"), frequency=("day", "size"),
                           monetary=("a", "sum"))
    asof = g["last"].max() + pd.Timedelta(days=1)
    g["recency"] = (asof - g["last"]).dt.days
    g["r_score"] = pd.qcut(g["recency"].rank(method="first"), q,
                           labels=list(range(q, 0, -1))).astype(int)
    g["f_score"] = pd.qcut(g["frequency"].rank(method="first"), q,
                           labels=list(range(1, q + 1))).astype(int)
    g["m_score"] = pd.qcut(g["monetary"].rank(method="first"), q,
                           labels=list(range(1, q + 1))).astype(int)
    r, f = g["r_score"], g["f_score"]
    g["segment"] = np.select(
        [(r == 5) & (f >= 4), (r >= 3) & (f >= 4), (r >= 4) & (f >= 2), r == 5, r == 4,
         (r == 3) & (f == 3), r == 3, f == 5, f >= 3, r == 2],
        ["champions", "loyal customers", "potential loyalists", "new customers", "promising",
         "need attention", "about to sleep", "can't lose them", "at risk", "hibernating"],
        "lost")
    return g.drop(columns="last")


def check(g):
    seg = g["segment"].value_counts().sort_index()
    return ("check n=%d recency=%d frequency=%d monetary=%.2f r=%d f=%d m=%d segments=%s" %
            (len(g), g["recency"].sum(), g["frequency"].sum(), g["monetary"].sum(),
             g["r_score"].sum(), g["f_score"].sum(), g["m_score"].sum(),
             ",".join(f"{k}:{v}" for k, v in seg.items())))


def main():
    path = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    t0 = time.perf_counter()
    df = pd.read_csv(path)
    read_s = time.perf_counter() - t0
    ts, cs, g = [], [], None
    for i in range(runs + 1):
        t0, c0 = time.perf_counter(), time.process_time()
        g = rfm(df)
        t, c = time.perf_counter() - t0, time.process_time() - c0
        if i:
            ts.append(t)
            cs.append(c)
    print(f"pandas_rfm read_s={read_s:.3f} rfm_s={statistics.median(ts):.3f} "
          f"min={min(ts):.3f} max={max(ts):.3f} cpu_s={statistics.median(cs):.3f} runs={runs}")
    print(check(g))


if __name__ == "__main__":
    main()
