"""describe's peer for bench/sections/describe.sh: read a CSV with pandas
and describe every column (describe(include='all'), as an analyst would),
printing the two step times: "read S describe S".

  describe_pandas.py CSV
"""
import sys
import time

import pandas as pd


def main():
    t0 = time.perf_counter()
    df = pd.read_csv(sys.argv[1])
    t1 = time.perf_counter()
    d = df.describe(include="all")
    t2 = time.perf_counter()
    print(f"read {t1 - t0:.4f} describe {t2 - t1:.4f}")
    print(d.to_csv())


if __name__ == "__main__":
    main()
