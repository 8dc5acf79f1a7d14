#!/bin/sh
# bench/sections/recommend.sh: item CF top-10 for every user (issue 16)
# against scikit-learn, on the 100,000-user x 10,000-item log of
# bench/gen_reclog.py (about a million distinct pairs, Zipf-like item
# popularity, a tenth of the rows repeated). One process each, the tools
# alternating within each round (order rotated every round): quarry loads
# the CSV and runs `recommend ... n=10` (--timing gives the statement's own
# time, writing the million result rows into the catalog included) with its
# default 100 neighbours per item, and again keeping every neighbour
# (neighbours=10000: the exact X S of scikit-learn); scikit-learn reads the
# CSV with pandas, computes cosine_similarity on the sparse item columns
# and the top 10 of X S per user (bench/itemcf_sklearn.py, which prints its
# step times). Figures are medians of the per-round ratios, with their
# range. Prints a markdown section.
# Environment: QB_DIR (data, default /tmp/quarry-bench), QUARRY, PYTHON, RUNS (3).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(dirname "$here")
QB=${QB_DIR:-/tmp/quarry-bench}
Q=${QUARRY:-$root/quarry}
PY=${PYTHON:-/usr/bin/python3}
RUNS=${RUNS:-3}
csv=$(QB_DIR=$QB "$PY" "$here/gen_reclog.py" 100000 10000)
tmp=$(mktemp -d /tmp/quarry-recommend.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
busy() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9; exit}' /proc/stat; }
b0=$(busy); t0=$(date +%s.%N)
i=0
while [ $i -le "$RUNS" ]; do   # round 0 is a warm-up
    case $((i % 3)) in 0) order="q f p";; 1) order="p q f";; *) order="f p q";; esac
    for tool in $order; do
        case $tool in
        q|f)
            nb=100; [ $tool = f ] && nb=10000
            /usr/bin/time -f "%e %M" -o "$tmp/t" "$Q" --timing -c "load $csv as t" \
                -c "recommend t user=user item=item n=10 neighbours=$nb as r" > "$tmp/q.out" 2>&1
            step=$(grep '^time: real' "$tmp/q.out" | tail -1 | sed 's/^time: real \([0-9.]*\)s.*/\1/')
            ;;
        p)
            /usr/bin/time -f "%e %M" -o "$tmp/t" "$PY" "$here/itemcf_sklearn.py" "$csv" 10 > "$tmp/p.out" 2>/dev/null
            step=$(awk '{ print $4 + $6 }' "$tmp/p.out")
            ;;
        esac
        [ $i -gt 0 ] && echo "$i $tool $(cat "$tmp/t") $step" >> "$tmp/rounds"
    done
    i=$((i + 1))
done
t1=$(date +%s.%N); b1=$(busy)
cpu=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)
skv=$("$PY" -c 'import sklearn, scipy; print(sklearn.__version__, scipy.__version__)')
"$PY" - "$tmp" "$b0" "$b1" "$t0" "$t1" "$RUNS" "$cpu" "$skv" <<'PY'
import statistics as st, sys
tmp, b0, b1, t0, t1, runs, cpu, skv = sys.argv[1], *map(float, sys.argv[2:6]), int(sys.argv[6]), sys.argv[7], sys.argv[8]
rows = [l.split() for l in open(f"{tmp}/rounds")]
wall = {(int(r[0]), r[1]): float(r[2]) for r in rows}
rss = {}
for r in rows:
    rss[r[1]] = max(rss.get(r[1], 0), int(r[3]))
step = {(int(r[0]), r[1]): float(r[4]) for r in rows}
R = range(1, runs + 1)
def med(d, tool): return st.median(d[(i, tool)] for i in R)
def ratio(d, a, b):
    x = [d[(i, a)] / d[(i, b)] for i in R]
    return f"**{st.median(x):.3f}** ({min(x):.3f}-{max(x):.3f})"
other = (b1 - b0) / 100 / (t1 - t0)
sk, sc = skv.split()
print("## recommend (issue 16): item CF top-10 for every user against scikit-learn")
print()
print("100,000 users x 10,000 items (`bench/gen_reclog.py`, seed 16: about 1.0 million distinct pairs, "
      "Zipf-like popularity, a tenth of the rows repeated; 9,694 items occur). One process each: quarry "
      "`load` + `recommend t user=user item=item n=10` (step = the statement, writing its million rows "
      "included) with 100 neighbours per item (the default) and with every neighbour kept "
      "(`neighbours=10000`, the exact scores of X S); scikit-learn reads with pandas, "
      "`cosine_similarity(X.T, dense_output=False)`, then X S in chunks of 2,000 users, own items "
      "masked, `argpartition` for the top 10 (`bench/itemcf_sklearn.py`; step = cosine + top). "
      f"{runs} rounds after a warm-up, the order rotated every round; ratios are medians of the "
      "per-round ratios, with their range; peak RSS is the largest of the rounds.")
print()
print("| | process wall s | step s | peak RSS MiB |")
print("|---|---|---|---|")
print(f"| quarry, 100 neighbours | {med(wall, 'q'):.2f} | {med(step, 'q'):.2f} | {rss['q'] // 1024} |")
print(f"| quarry, every neighbour | {med(wall, 'f'):.2f} | {med(step, 'f'):.2f} | {rss['f'] // 1024} |")
print(f"| scikit-learn {sk} (scipy {sc}) | {med(wall, 'p'):.2f} | {med(step, 'p'):.2f} | {rss['p'] // 1024} |")
print(f"| **quarry 100 / scikit-learn** | {ratio(wall, 'q', 'p')} | {ratio(step, 'q', 'p')} | |")
print(f"| **quarry every / scikit-learn** | {ratio(wall, 'f', 'p')} | {ratio(step, 'f', 'p')} | |")
print()
print("The 100-neighbour lists approximate X S (only each item's 100 largest similarities count); the every-neighbour run computes scikit-learn's scores exactly (`tests/unit/test_itemcf.c` checks them against `cosine_similarity` on a small log), at the memory cost of a fixed slot per item pair. "
      "quarry counts co-occurrences item by item through the user lists (work: the sum over users of "
      "their item count squared) on both cores and scores each user from the kept neighbours only; "
      "scikit-learn's cost is in X S, a sparse product whose rows are dense over the catalogue. "
      f"CPU: {cpu}; {other:.2f} cores busy on average during the rounds (2 cores, shared with other "
      "work on this machine: compare the ratios, not the seconds).")
print()
print("Command: `sh bench/section.sh recommend` (`RUNS=N`).")
PY
