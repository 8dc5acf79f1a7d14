"""sales_1m.csv for bench/run.sh when the peer bench is not on this machine.

A verbatim copy of the `ingest` set of the peer bench's generator
(/work/shared/peer-bench/gen_data.py, `gen_data.py ingest`): same seed,
same code, so it writes the byte-identical file (md5
ef5d16708ed73e8e688791e48b12e447) and quarry's figures stay comparable
with research/perf-baselines.md section 4.  run.sh prefers the peer bench's
own gen_data.py when it is present.

  gen_sales.py [--force]     writes $QB_DIR/data/sales_1m.csv, sales_schema.sql
"""
import os
import sys

import numpy as np

QB = os.environ.get("QB_DIR", "/tmp/quarry-bench")
DATA = os.path.join(QB, "data")


def have(paths, force):
    if force:
        return False
    return all(os.path.exists(os.path.join(DATA, p)) for p in paths)


def atomic_write(name, writer):
    """writer(f) writes to a temporary file that is renamed into place."""
    path = os.path.join(DATA, name)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        writer(f)
    os.replace(tmp, path)


# ------------------------------------------------------------ CSV ingest
def ingest(force):
    """1,000,000 rows x 10 columns: 3 ints, 3 floats, 4 strings (one of the
    category names holds a comma, so RFC 4180 quoting is exercised)."""
    name = "sales_1m.csv"
    if have([name, "sales_schema.sql"], force):
        return
    n = 1_000_000
    rng = np.random.default_rng(4)
    cats = np.array(["Books, Music & Film", "Electronics", "Home", "Garden",
                     "Toys", "Grocery", "Beauty", "Health", "Sports",
                     "Automotive", "Baby", "Pets", "Office", "Tools",
                     "Clothing", "Shoes", "Jewelry", "Watches", "Luggage",
                     "Software", "Games", "Crafts", "Outdoor", "Kitchen"])
    ctry = np.array([a + b for a in "ABCDEFGH" for b in "XYZUV"])
    day0 = np.datetime64("2023-01-01")
    cols = {
        "order_id": np.arange(1, n + 1),
        "customer_id": rng.integers(1, 50_001, n),
        "quantity": rng.integers(1, 21, n),
        "unit_price": np.round(rng.lognormal(3.0, 1.0, n), 2),
        "discount": np.round(rng.uniform(0, 0.5, n), 3),
        "rating": np.round(rng.uniform(1, 5, n), 1),
        "category": cats[rng.integers(0, len(cats), n)],
        "country": ctry[rng.integers(0, len(ctry), n)],
        "sku": np.char.add("SKU-", np.char.zfill(
            rng.integers(0, 1_000_000, n).astype(str), 6)),
        "order_date": (day0 + rng.integers(0, 730, n)).astype(str),
    }
    cols_txt = dict(cols)
    cols_txt["category"] = np.where(       # RFC 4180: quote fields with a comma
        np.char.find(cols["category"], ",") >= 0,
        np.char.add(np.char.add('"', cols["category"]), '"'), cols["category"])

    def write(f):
        f.write(",".join(cols) + "\n")
        step = 100_000
        for s in range(0, n, step):
            parts = [cols_txt["order_id"][s:s+step].astype(str),
                     cols_txt["customer_id"][s:s+step].astype(str),
                     cols_txt["quantity"][s:s+step].astype(str),
                     np.char.mod("%.2f", cols_txt["unit_price"][s:s+step]),
                     np.char.mod("%.3f", cols_txt["discount"][s:s+step]),
                     np.char.mod("%.1f", cols_txt["rating"][s:s+step]),
                     cols_txt["category"][s:s+step],
                     cols_txt["country"][s:s+step],
                     cols_txt["sku"][s:s+step],
                     cols_txt["order_date"][s:s+step]]
            lines = parts[0]
            for p in parts[1:]:
                lines = np.char.add(np.char.add(lines, ","), p)
            f.write("\n".join(lines.tolist()) + "\n")
    atomic_write(name, write)
    schema = ("CREATE TABLE sales(order_id INTEGER, customer_id INTEGER, "
              "quantity INTEGER, unit_price REAL, discount REAL, rating REAL, "
              "category TEXT, country TEXT, sku TEXT, order_date TEXT);\n")
    atomic_write("sales_schema.sql", lambda f: f.write(schema))
    print(f"wrote {name}", file=sys.stderr)


if __name__ == "__main__":
    os.makedirs(DATA, exist_ok=True)
    ingest("--force" in sys.argv[1:])
