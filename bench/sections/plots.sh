#!/bin/sh
# bench/sections/plots.sh: plots (issue 7), printed as a markdown section
# (bench/section.sh plots puts it in RESULTS.md; make bench runs it).
#
# 1. A 100,000-point scatter coloured by cluster (8 clusters) to an 800x600
#    PNG, whole processes: quarry (load the CSV, plot scatter ... color=c
#    to=FILE.png: gnuplot pngcairo) against /usr/bin/python3 with
#    matplotlib (bench/plot_mpl.py: numpy reads the CSV, one scatter per
#    cluster, Agg). hyperfine, the two in turn; goal: quarry/matplotlib
#    <= 0.5.
# 2. An inline plot of a 10,000-row table (plot scatter at 120x40 in the
#    dumb terminal), timed inside quarry (--timing: the statement alone,
#    what the user waits for at the prompt), RUNS times.
# Environment: QUARRY (default ./quarry), RUNS (default 10), PYTHON (default
# /usr/bin/python3), QB_DIR (data and outputs in $QB_DIR/plot, default
# /tmp/quarry-bench).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
Q=${QUARRY:-$(dirname "$here")/quarry}
PY=${PYTHON:-/usr/bin/python3}
RUNS=${RUNS:-10}
D=${QB_DIR:-/tmp/quarry-bench}/plot
mkdir -p "$D"
command -v hyperfine >/dev/null || { echo "plot_bench: hyperfine not found" >&2; exit 1; }
"$PY" -c "import matplotlib" 2>/dev/null ||
    { echo "plot_bench: $PY has no matplotlib (apt-get install python3-matplotlib)" >&2; exit 1; }

# 100,000 points in 8 Gaussian-ish clusters (a fixed LCG: the same file every time).
[ -s "$D/pts100k.csv" ] || awk 'BEGIN {
    s = 12345; print "x,y,c"
    for (i = 0; i < 100000; i++) {
        c = i % 8
        u = 0; v = 0
        for (k = 0; k < 4; k++) { s = (s * 1103515245 + 12345) % 2147483648; u += s / 2147483648
                                  s = (s * 1103515245 + 12345) % 2147483648; v += s / 2147483648 }
        printf "%.4f,%.4f,%d\n", (c % 4) * 3 + u - 2, int(c / 4) * 3 + v - 2, c
    }
}' > "$D/pts100k.csv"
head -10001 "$D/pts100k.csv" > "$D/pts10k.csv"

load0=$(cut -d' ' -f1 /proc/loadavg)
hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$D/scatter.json" \
    -n quarry "$Q -c 'load $D/pts100k.csv as pts; plot scatter pts x=x y=y color=c to=$D/q.png'" \
    -n matplotlib "$PY $here/plot_mpl.py $D/pts100k.csv $D/m.png" > "$D/hyperfine.txt"

# Inline: the plot statement's own time from --timing, RUNS runs.
: > "$D/inline.txt"
i=0
while [ $i -lt "$RUNS" ]; do
    COLUMNS=120 LINES=42 "$Q" --timing \
        -c "load $D/pts10k.csv as t; plot scatter t x=x y=y color=c" \
        2>&1 | grep '^time:' | tail -1 | sed 's/.*real \([0-9.]*\)s.*/\1/' >> "$D/inline.txt"
    i=$((i + 1))
done

load1=$(cut -d' ' -f1 /proc/loadavg)
"$PY" - "$D" "$RUNS" "$load0" "$load1" <<'PY'
import json, statistics, sys
d, runs, load0, load1 = sys.argv[1:5]
r = {x["command"]: x for x in json.load(open(f"{d}/scatter.json"))["results"]}
q, m = r["quarry"], r["matplotlib"]
ratio = q["median"] / m["median"]
cpu = lambda x: (x["user"] + x["system"]) * 1000  # hyperfine: means, children included
cratio = cpu(q) / cpu(m)
inl = sorted(float(l) * 1000 for l in open(f"{d}/inline.txt") if l.strip())
print("## Plots (bench/sections/plots.sh)")
print()
print("| measure | quarry | matplotlib | ratio | goal | met |")
print("|---|---|---|---|---|---|")
print(f"| 100,000-point scatter coloured by 8 clusters to an 800x600 PNG, whole process, "
      f"median of {runs} (min, max) | {q['median']*1000:.0f} ms ({q['min']*1000:.0f}, "
      f"{q['max']*1000:.0f}) | {m['median']*1000:.0f} ms ({m['min']*1000:.0f}, "
      f"{m['max']*1000:.0f}) | {ratio:.2f} | <= 0.5 | {'yes' if ratio <= 0.5 else 'NO'} |")
print(f"| inline plot scatter of a 10,000-row table at 120x40 (dumb terminal), the statement "
      f"alone (--timing), median of {len(inl)} (min, max) | {statistics.median(inl):.0f} ms "
      f"({inl[0]:.0f}, {inl[-1]:.0f}) | | | no noticeable delay | "
      f"{'yes' if statistics.median(inl) < 100 else 'NO'} |")
print(f"| the same scatter, CPU time (user + system, mean, child processes included) | "
      f"{cpu(q):.0f} ms | {cpu(m):.0f} ms | {cratio:.2f} | <= 0.5 | "
      f"{'yes' if cratio <= 0.5 else 'NO'} |")
print()
print(f"Machine load (1-minute average, 2 cores) before and after: {load0}, {load1}; other "
      "work on this shared VM inflates wall times, CPU times less so.")
print()
print("quarry's process includes loading the CSV (type inference) into the catalog, reading the "
      "columns, writing the gnuplot script with the data inline and gnuplot drawing it (libgd's "
      "png terminal: over 20,000 points quarry leaves cairo, whose antialiased points cost 4x); "
      "matplotlib's includes starting Python, importing numpy and matplotlib, numpy.genfromtxt "
      "and the Agg render.")
print()
print("Command: `sh bench/section.sh plots` (part of `make bench`; `NO_RESULTS=1` prints "
      "only).")
PY
