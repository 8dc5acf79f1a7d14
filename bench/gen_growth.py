"""Growth data for bench/run.sh: CSVs with the column shapes of the peer
bench's sales_1m.csv (gen_data.py ingest: 3 int, 3 float, 4 text columns,
one category with a comma so RFC 4180 quoting occurs, same distributions),
at any row count.

  gen_growth.py N [N ...]    writes $QB_DIR/data/growth_<N>.csv

Deterministic: rows are made in blocks of 250,000, block b from the seed
(4, b), so every file is a prefix of any larger one (the first N rows of the
10M file are the N-row file).  order_id runs 1..N (unique, the lookup key).
Idempotent: a file that exists is kept.  A missing file is cut from a larger
existing one when there is one (same bytes), else generated.
"""
import os
import sys

import numpy as np

QB = os.environ.get("QB_DIR", "/tmp/quarry-bench")
DATA = os.path.join(QB, "data")
BLOCK = 250_000
HEADER = ("order_id,customer_id,quantity,unit_price,discount,rating,"
          "category,country,sku,order_date\n")
CATS = np.array(["Books, Music & Film", "Electronics", "Home", "Garden",
                 "Toys", "Grocery", "Beauty", "Health", "Sports",
                 "Automotive", "Baby", "Pets", "Office", "Tools",
                 "Clothing", "Shoes", "Jewelry", "Watches", "Luggage",
                 "Software", "Games", "Crafts", "Outdoor", "Kitchen"])
CATS_TXT = [f'"{c}"' if "," in c else c for c in CATS]
CTRY = [a + b for a in "ABCDEFGH" for b in "XYZUV"]
DAYS = [str(np.datetime64("2023-01-01") + d) for d in range(730)]


def block(b, n):
    """Rows b*BLOCK+1 .. b*BLOCK+n as CSV text.  A whole block is always
    drawn and the first n rows kept, so a short last block holds the same
    rows as the full block of a larger file."""
    rng = np.random.default_rng([4, b])
    m = BLOCK
    oid = range(b * BLOCK + 1, b * BLOCK + n + 1)    # zip stops after n rows
    cust = rng.integers(1, 50_001, m).tolist()
    qty = rng.integers(1, 21, m).tolist()
    price = np.round(rng.lognormal(3.0, 1.0, m), 2).tolist()
    disc = np.round(rng.uniform(0, 0.5, m), 3).tolist()
    rate = np.round(rng.uniform(1, 5, m), 1).tolist()
    cat = rng.integers(0, len(CATS), m).tolist()
    ctry = rng.integers(0, len(CTRY), m).tolist()
    sku = rng.integers(0, 1_000_000, m).tolist()
    day = rng.integers(0, 730, m).tolist()
    return "".join(
        f"{o},{c},{q},{p:.2f},{d:.3f},{r:.1f},{CATS_TXT[k]},{CTRY[t]},"
        f"SKU-{s:06d},{DAYS[y]}\n"
        for o, c, q, p, d, r, k, t, s, y in
        zip(oid, cust, qty, price, disc, rate, cat, ctry, sku, day))


def path(n):
    return os.path.join(DATA, f"growth_{n}.csv")


def generate(n):
    tmp = path(n) + ".tmp"
    with open(tmp, "w") as f:
        f.write(HEADER)
        for b in range((n + BLOCK - 1) // BLOCK):
            f.write(block(b, min(BLOCK, n - b * BLOCK)))
    os.replace(tmp, path(n))


def cut(n, src):
    tmp = path(n) + ".tmp"
    with open(src) as f, open(tmp, "w") as g:
        for i, line in enumerate(f):
            if i > n:
                break
            g.write(line)
    os.replace(tmp, path(n))


def main():
    sizes = sorted({int(a) for a in sys.argv[1:]}, reverse=True)
    if not sizes:
        sys.exit(__doc__)
    os.makedirs(DATA, exist_ok=True)
    for n in sizes:          # largest first, so smaller ones can be cut
        if os.path.exists(path(n)):
            continue
        bigger = [m for m in sizes if m > n and os.path.exists(path(m))]
        if bigger:
            cut(n, path(min(bigger)))
        else:
            generate(n)
        print(f"wrote {path(n)}", file=sys.stderr)


if __name__ == "__main__":
    main()
