"""pandas peer for bench/run.sh: pandas.read_csv of one CSV, timed
in-process (interpreter start-up and `import pandas` excluded), the same
measurement as the peer bench's ingest_pandas.py: one warm-up call, then
RUNS timed calls, median.

  pandas_read.py FILE [RUNS]
Prints one line:
  pandas_read rows=N cols=C read_s=MED min=A max=B runs=R dtypes=iiifffOOOO
"""
import statistics
import sys
import time

import pandas as pd


def main():
    path = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    ts, df = [], None
    for r in range(runs + 1):                       # run 0 is a warm-up
        t0 = time.perf_counter()
        df = pd.read_csv(path)
        t = time.perf_counter() - t0
        if r:
            ts.append(t)
    print(f"pandas_read rows={len(df)} cols={df.shape[1]} "
          f"read_s={statistics.median(ts):.4f} min={min(ts):.4f} "
          f"max={max(ts):.4f} runs={runs} "
          f"dtypes={''.join(str(t)[0] for t in df.dtypes)}")


if __name__ == "__main__":
    main()
