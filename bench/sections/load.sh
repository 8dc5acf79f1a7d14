#!/bin/sh
# bench/sections/load.sh: loading 1,000,000 rows x 10 columns (the peer
# bench's sales_1m.csv, 64 MB) as whole processes, paired through
# bench/pair.py: quarry `load` against pandas (python3 + import pandas +
# read_csv) and against the sqlite3 shell's `.import --csv` into a typed
# :memory: table, the three in turn each round, the order rotating, each
# peer checked against its expected range (research/perf-baselines.md).
# Prints a markdown section (bench/section.sh load puts it in RESULTS.md).
# Environment: QB_DIR (data, default /tmp/quarry-bench), QUARRY, PYTHON,
# RUNS (7).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(dirname "$here")
QB=${QB_DIR:-/tmp/quarry-bench}
Q=${QUARRY:-$root/quarry}
PY=${PYTHON:-/usr/bin/python3}
RUNS=${RUNS:-7}
D=$QB/data; F=$D/sales_1m.csv
mkdir -p "$D"
[ -f "$F" ] && [ -f "$D/sales_schema.sql" ] || QB_DIR=$QB "$PY" /work/shared/peer-bench/gen_data.py ingest >&2
tmp=$(mktemp -d /tmp/quarry-load.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
{ cat "$D/sales_schema.sql"; echo ".import --csv --skip 1 $F sales"
  echo "SELECT count(*) FROM sales;"; } > "$tmp/import.sql"
"$PY" "$here/pair.py" run "$tmp/pair.json" "$RUNS" \
    "quarry=$Q -c 'load $F as sales; SELECT count(*) FROM sales'" \
    "pandas=$PY -c \"import pandas as pd; print(len(pd.read_csv('$F')))\"" \
    "sqlite3=sqlite3 :memory: < $tmp/import.sql" \
    "rows=$Q -c 'set columns=off; load $F as sales; SELECT count(*) FROM sales'" \
    --expect "pandas=1.04-1.16@AMD EPYC" --expect "sqlite3=1.55-1.70@AMD EPYC" \
    --expect "pandas=1.25-1.41@Intel(R) Xeon(R) Processor" --expect "sqlite3=2.04-2.53@Intel(R) Xeon(R) Processor"
"$PY" - "$tmp/pair.json" "$here" <<'PY'
import json, sys
path, here = sys.argv[1:]
sys.path.insert(0, here)
import pair
res = json.load(open(path))
p = pair.summary(res, "quarry", "pandas")
s = pair.summary(res, "quarry", "sqlite3")
c = pair.summary(res, "rows", "pandas")
cq = pair.summary(res, "quarry", "rows")
n = {t: res["rounds"][0][t]["out"].split()[-1] for t in ("quarry", "pandas", "sqlite3", "rows")}
print("## Loading 1,000,000 rows x 10 columns (bench/sections/load.sh)")
print()
print(f"sales_1m.csv (64 MB, the peer bench's), whole processes; run {res['meta']['date']}. "
      f"Machine: {pair.machine_line(res)}. {pair.expect_note(res, 'pandas')}; "
      f"{pair.expect_note(res, 'sqlite3')}.")
print()
print("| tool | wall s (median) | cpu s (median) | peak RSS MiB | rows |")
print("|---|---|---|---|---|")
print(f"| quarry `load` (a column table, the default) | {p['a']:.2f} | {p['a_cpu']:.2f} | {p['a_rss']:.0f} | {n['quarry']} |")
print(f"| pandas read_csv, whole process | {p['b']:.2f} | {p['b_cpu']:.2f} | {p['b_rss']:.0f} | {n['pandas']} |")
print(f"| sqlite3 `.import --csv`, typed, :memory: | {s['b']:.2f} | {s['b_cpu']:.2f} | {s['b_rss']:.0f} | {n['sqlite3']} |")
print(f"| quarry `load` into an ordinary SQLite table (`set columns=off`) | {c['a']:.2f} | {c['a_cpu']:.2f} | {c['a_rss']:.0f} | {n['rows']} |")
print()
print("| ratio (median of per-round ratios, range) | wall | cpu | goal | met |")
print("|---|---|---|---|---|")
for name, x, goal in (("quarry / pandas", p, 0.35), ("quarry / sqlite3", s, 0.3),
                      ("ordinary table / pandas", c, 0.35)):
    print(f"| {name} | **{x['ratio']:.2f}** ({x['lo']:.2f}-{x['hi']:.2f}) | {x['cpu']:.2f} | <= {goal} | "
          f"{'met' if x['ratio'] <= goal else '**not met**'} |")
print()
print(f"Column table against the ordinary table, same rounds: wall {cq['ratio']:.2f} "
      f"({cq['lo']:.2f}-{cq['hi']:.2f}), cpu {cq['cpu']:.2f} (issue 18: `load` writes the "
      "column arrays directly, no ordinary table converted after).")
print()
print("Command: `sh bench/section.sh load` (RUNS=7 rounds after a warm-up).")
PY
