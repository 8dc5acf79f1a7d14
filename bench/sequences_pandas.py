"""sequences_pandas.py: what `sequences EVENTS user=customer_id time=ts
event=event item=product until=2024-12-24 horizon=7d window=30d maxlen=50`
computes, in pandas: per user with an event in the 30 days before the cut,
the counts per kind, events, distinct items, active days, recency and
tenure (days), the label (a purchase within 7 days after the cut) and the
last 50 tokens (1 + kind + 5 x gap bucket, left-padded with 0). The
behaviour type (sessions' rule), which quarry also computes, is not
reproduced here.

  /usr/bin/python3 bench/sequences_pandas.py EVENTS.csv

Prints read_s (read_csv) and cut_s (the rest: timestamps parsed, the cut),
and the rows and positives for a check against quarry's.
"""
import sys
import time

import numpy as np
import pandas as pd

t0 = time.perf_counter()
df = pd.read_csv(sys.argv[1], dtype={"event": "category", "product": "category"})
t1 = time.perf_counter()
cut = pd.Timestamp("2024-12-24")
window, horizon, maxlen = pd.Timedelta(days=30), pd.Timedelta(days=7), 50
df["t"] = pd.to_datetime(df["ts"], format="%Y-%m-%dT%H:%M:%S")
df = df.sort_values(["customer_id", "t"], kind="stable")
kinds = {"view": 0, "cart": 1, "wishlist": 2, "purchase": 3}
df["k"] = df["event"].map(kinds).astype("int64")
before = df[df["t"] < cut]
gap = before.groupby("customer_id")["t"].diff().dt.total_seconds()
bucket = np.select([gap <= 3600, gap <= 86400, gap <= 7 * 86400], [0, 1, 2], 3)
before = before.assign(tok=1 + before["k"] + 5 * bucket)
win = before[before["t"] >= cut - window]
g = win.groupby("customer_id")
out = pd.DataFrame({"events": g.size()})
counts = win.groupby(["customer_id", "k"]).size().unstack(fill_value=0)
for name, k in kinds.items():
    out[name + "s"] = counts[k] if k in counts else 0
out["items"] = g["product"].nunique()
out["active_days"] = win.assign(d=win["t"].dt.floor("D")).groupby("customer_id")["d"].nunique()
gb = before.groupby("customer_id")["t"]
out["recency_days"] = (cut - gb.max()).dt.total_seconds() / 86400
out["tenure_days"] = (cut - gb.min()).dt.total_seconds() / 86400
after = df[(df["t"] >= cut) & (df["t"] < cut + horizon) & (df["k"] == 3)]
out["label"] = out.index.isin(after["customer_id"].unique()).astype(int)
last = win.groupby("customer_id").tail(maxlen)
pos = maxlen - 1 - last.groupby("customer_id").cumcount(ascending=False)
seq = pd.DataFrame({"u": last["customer_id"].values, "pos": pos.values,
                    "tok": last["tok"].values}).pivot(index="u", columns="pos", values="tok")
seq = seq.reindex(columns=range(maxlen)).fillna(0).astype(int)
out = out.join(seq)
t2 = time.perf_counter()
print("sequences_pandas read_s=%.2f cut_s=%.2f rows=%d positives=%d" %
      (t1 - t0, t2 - t1, len(out), out["label"].sum()))
