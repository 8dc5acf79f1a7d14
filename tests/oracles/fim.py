#!/usr/bin/python3
"""fim.py: an independent frequent-itemset counter for the rules tests.

Reads an ARFF market basket (Weka's supermarket.arff, gzipped or not) the
way quarry's one-hot reading is documented to: a nominal attribute whose
values are all true/false words (t, true, yes, y, 1 / f, false, no, n, 0)
is one item, present when true ('?' is missing: not bought); any other
nominal attribute gives an item NAME=VALUE per value. Then counts every
itemset of at least ceil(minsup * N) transactions by depth-first search
over transaction bitsets (Python integers): a set's count is the popcount
of the AND of its items' bitsets. No code is shared with quarry.

Prints, per itemset size, the number of frequent itemsets and the sum of
their counts:  SIZE N_ITEMSETS SUM_OF_COUNTS

  /usr/bin/python3 tests/oracles/fim.py tests/data/supermarket.arff.gz 0.1 \\
      > tests/data/fim_supermarket_10.txt
"""
import gzip
import math
import re
import sys

TRUE = {"t", "true", "yes", "y", "1"}
FALSE = {"f", "false", "no", "n", "0"}


def read_arff(path):
    opener = gzip.open if path.endswith(".gz") else open
    attrs, rows, data = [], [], False
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("%"):
                continue
            if data:
                rows.append([v.strip().strip("'") for v in line.split(",")])
                continue
            low = line.lower()
            if low.startswith("@attribute"):
                m = re.match(r"@attribute\s+('([^']*)'|(\S+))\s+\{([^}]*)\}", line, re.I)
                name = m.group(2) if m.group(2) is not None else m.group(3)
                values = [v.strip().strip("'") for v in m.group(4).split(",")]
                attrs.append((name, values))
            elif low.startswith("@data"):
                data = True
    return attrs, rows


def transactions(attrs, rows):
    items = {}
    baskets = []
    for row in rows:
        basket = set()
        for (name, values), v in zip(attrs, row):
            if v == "?":
                continue
            boolean = all(x.lower() in TRUE | FALSE for x in values)
            if boolean:
                if v.lower() in TRUE:
                    basket.add(name)
            else:
                basket.add(name + "=" + v)
        baskets.append(basket)
    return baskets


def main():
    path, minsup = sys.argv[1], float(sys.argv[2])
    maxlen = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    baskets = transactions(*read_arff(path))
    n = len(baskets)
    need = max(1, math.ceil(minsup * n - 1e-9))
    bits = {}
    for t, b in enumerate(baskets):
        for it in b:
            bits[it] = bits.get(it, 0) | (1 << t)
    freq = sorted(it for it, bs in bits.items() if bin(bs).count("1") >= need)
    per = {}

    def grow(prefix_bits, size, start):
        for i in range(start, len(freq)):
            bs = prefix_bits & bits[freq[i]]
            c = bin(bs).count("1")
            if c < need:
                continue
            k = size + 1
            cnt, tot = per.get(k, (0, 0))
            per[k] = (cnt + 1, tot + c)
            if k < maxlen:
                grow(bs, k, i + 1)

    grow((1 << n) - 1, 0, 0)
    print(f"# {path.split('/')[-1]}: {n} transactions, minsup {minsup} = count {need}")
    for k in sorted(per):
        print(k, per[k][0], per[k][1])


if __name__ == "__main__":
    main()
