#!/bin/sh
# bench/sections/rfm.sh: `rfm` over an N-row order log (default 5,000,000 rows,
# bench/gen_orders.py) against the same result by hand-written SQL in the
# sqlite3 shell (bench/rfm.sql) and by pandas (bench/rfm_pandas.py).
#
# Per tool, RUNS rounds (default 3), the tools in turn each round:
#   - the RFM step alone, on the loaded table: quarry --timing of the rfm
#     statement (reading the table into a frame included), sqlite3 .timer of
#     the CREATE TABLE r AS ... statement, pandas perf_counter around the
#     step from the DataFrame (date parsing included, as in the others);
#   - load: quarry's `load`, sqlite3's `.import` into a typed table,
#     pandas.read_csv;
#   - the whole process (wall) and its peak RSS (GNU time).
# Then it checks that the three results agree (customers, sums of
# recency, frequency, monetary and each score, customers per segment) and
# prints a markdown section: `sh bench/section.sh rfm` puts it in
# bench/RESULTS.md (make bench runs it with the other sections).
#
# Environment: N, RUNS, QB_DIR (data, default /tmp/quarry-bench), QUARRY
# (default ./quarry of this checkout), PYTHON (default /usr/bin/python3).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(dirname "$here")
QB=${QB_DIR:-/tmp/quarry-bench}; export QB_DIR="$QB"
N=${N:-5000000}
RUNS=${RUNS:-3}
PY=${PYTHON:-/usr/bin/python3}
Q=${QUARRY:-$root/quarry}
O=$QB/rfm-out
TIME=/usr/bin/time
die() { echo "bench/rfm: $*" >&2; exit 1; }
[ -x "$Q" ] || die "no quarry binary at $Q (run: make quarry)"
command -v sqlite3 >/dev/null || die "sqlite3 not found"
[ -x $TIME ] || die "$TIME (GNU time) not found: apt-get install time"
"$PY" -c "import pandas" 2>/dev/null || die "$PY cannot import pandas"
rm -rf "$O"; mkdir -p "$O"

F=$("$PY" "$here/gen_orders.py" "$N")
CHECK="SELECT 'check n=' || count(*) || ' recency=' || sum(recency) || ' frequency=' || sum(frequency) || ' monetary=' || printf('%.2f', sum(monetary)) || ' r=' || sum(r_score) || ' f=' || sum(f_score) || ' m=' || sum(m_score) || ' segments=' || (SELECT group_concat(segment || ':' || k, ',') FROM (SELECT segment, count(*) AS k FROM r GROUP BY segment ORDER BY segment)) FROM r"
QSTMT="load $F as o; rfm o customer=customer_id date=ts amount=amount as r; $CHECK"
{ echo "CREATE TABLE o (order_id INTEGER, customer_id INTEGER, ts TEXT, amount REAL);"
  echo "CREATE TEMP TABLE _clk(t0 REAL); INSERT INTO _clk VALUES(julianday('now'));"
  echo ".import --csv --skip 1 $F o"
  echo "SELECT 'load_s', (julianday('now') - t0) * 86400 FROM _clk;"
  echo ".timer on"
  cat "$here/rfm.sql"
  echo ".timer off"
  echo "$CHECK;"; } > "$O/rfm_sqlite.sql"

echo "== rfm over $N orders ($F): quarry, sqlite3, pandas in turn, $RUNS rounds" >&2
echo "== load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (2 shared cores)" >&2
# Paired rounds through the shared harness (bench/pair.py): the three tools
# in turn each round, the order rotating, outlier rounds repeated; each
# round's output goes where the report below reads it. pandas' whole process
# on the 5M orders is checked against its range on this Xeon (bench/PEER-RANGES.md).
set --
[ "$N" = 5000000 ] && set -- --expect "pandas=6.99-8.31@Intel(R) Xeon(R) Processor"
"$PY" "$here/pair.py" run "$O/pair.json" "$RUNS" \
    "quarry=$Q --timing --format=tsv -c \"$QSTMT\"" \
    "sqlite3=sqlite3 -batch :memory: < $O/rfm_sqlite.sql" \
    "pandas=$PY $here/rfm_pandas.py $F 1" "$@"
"$PY" - "$O/pair.json" "$O" <<'PYEOF'
import json, sys
res = json.load(open(sys.argv[1]))
for i, g in enumerate(res["rounds"], 1):
    for tool, k in (("quarry", "q"), ("sqlite3", "s"), ("pandas", "p")):
        open(f"{sys.argv[2]}/{k}{i}.out", "w").write(g[tool]["out"])
        open(f"{sys.argv[2]}/{k}{i}.rss", "w").write(f"{int(g[tool]['rss_mib'] * 1024)} {g[tool]['wall']:.3f}\n")
PYEOF
echo "== load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

"$PY" - "$O" "$RUNS" "$N" "$here" <<'PYEOF'
import json, re, statistics, subprocess, sys
O, runs, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
sys.path.insert(0, sys.argv[4])
import pair
res = json.load(open(f"{O}/pair.json"))
runs = len(res["rounds"])

def rss(p):
    kb, wall = open(p).read().split()[-2:]
    return int(kb) / 1024, float(wall)

def med(xs):
    return statistics.median(xs), min(xs), max(xs)

q = {"load": [], "cold": [], "cpu": [], "wall": [], "rss": []}
s = {"load": [], "rfm": [], "cpu": [], "wall": [], "rss": []}
p = {"load": [], "rfm": [], "cpu": [], "wall": [], "rss": []}
checks = {}
for i in range(1, runs + 1):
    out = open(f"{O}/q{i}.out").read()
    t = [float(x) for x in re.findall(r"^time: real ([0-9.]+)s", out, re.M)]
    q["load"].append(t[0]); q["cold"].append(t[1])
    c = re.findall(r"^time: real [0-9.]+s user ([0-9.]+)s sys ([0-9.]+)s", out, re.M)[1]
    q["cpu"].append(float(c[0]) + float(c[1]))
    checks["quarry"] = re.search(r"^check .*$", out, re.M).group(0)
    m, w = rss(f"{O}/q{i}.rss"); q["rss"].append(m); q["wall"].append(w)
    out = open(f"{O}/s{i}.out").read()
    s["load"].append(float(re.search(r"load_s\|([0-9.]+)", out).group(1)))
    s["rfm"].append(sum(float(x) for x in re.findall(r"Run Time: real ([0-9.]+)", out)))
    s["cpu"].append(sum(float(a) + float(b) for a, b in
                        re.findall(r"Run Time: real [0-9.]+ user ([0-9.]+) sys ([0-9.]+)", out)))
    checks["sqlite3"] = re.search(r"^check .*$", out, re.M).group(0)
    m, w = rss(f"{O}/s{i}.rss"); s["rss"].append(m); s["wall"].append(w)
    out = open(f"{O}/p{i}.out").read()
    p["load"].append(float(re.search(r"read_s=([0-9.]+)", out).group(1)))
    p["rfm"].append(float(re.search(r"rfm_s=([0-9.]+)", out).group(1)))
    p["cpu"].append(float(re.search(r"cpu_s=([0-9.]+)", out).group(1)))
    checks["pandas"] = re.search(r"^check .*$", out, re.M).group(0)
    m, w = rss(f"{O}/p{i}.rss"); p["rss"].append(m); p["wall"].append(w)

def f(xs, d=2):
    a, lo, hi = med(xs)
    return f"{a:.{d}f} ({lo:.{d}f}-{hi:.{d}f})"

same = len(set(checks.values())) == 1
rp = med([a / b for a, b in zip(q["cold"], p["rfm"])])
rs = med([a / b for a, b in zip(q["cold"], s["rfm"])])
cp = med([a / b for a, b in zip(q["cpu"], p["cpu"])])
cs = med([a / b for a, b in zip(q["cpu"], s["cpu"])])
qc, sc, pc = med(q["cold"])[0], med(s["rfm"])[0], med(p["rfm"])[0]
qu, su, pu = med(q["cpu"])[0], med(s["cpu"])[0], med(p["cpu"])[0]
load = open("/proc/loadavg").read().split()[0]
host = subprocess.run(["sh", "-c", "lscpu | sed -n 's/^Model name: *//p' | head -1"],
                      capture_output=True, text=True).stdout.strip()
vers = subprocess.run(["sh", "-c", "sqlite3 --version | cut -d' ' -f1; /usr/bin/python3 -c 'import pandas; print(pandas.__version__)'"],
                      capture_output=True, text=True).stdout.split()
lines = [
    f"## rfm over a {n:,}-row order log (bench/sections/rfm.sh)",
    "",
    f"`sh bench/section.sh rfm` (N={n}, RUNS={runs}); {host}, 2 cores shared with other work; "
    f"SQLite {vers[0]}, pandas {vers[1]}; run {subprocess.run(['date', '-u', '+%Y-%m-%d %H:%M UTC'], capture_output=True, text=True).stdout.strip()}. "
    f"Seconds, median of {runs} paired rounds (min-max) through bench/pair.py; the three tools in turn each round, the order rotating.",
    "",
    "| step | quarry | sqlite3 shell (bench/rfm.sql) | pandas (bench/rfm_pandas.py) |",
    "|---|---|---|---|",
    f"| RFM on the loaded table | {f(q['cold'])} (frame read included) | {f(s['rfm'])} | {f(p['rfm'])} |",
    f"| RFM on the loaded table, CPU (user + sys) | {f(q['cpu'])} | {f(s['cpu'])} | {f(p['cpu'])} |",
    f"| load the CSV | {f(q['load'])} (`load`, type inference) | {f(s['load'])} (`.import`, typed table) | {f(p['load'])} (`read_csv`) |",
    f"| whole process, wall | {f(q['wall'])} | {f(s['wall'])} | {f(p['wall'])} |",
    f"| peak RSS, MiB | {f(q['rss'], 0)} | {f(s['rss'], 0)} | {f(p['rss'], 0)} |",
    "",
    f"Machine: {pair.machine_line(res)}.",
    "",
    f"RFM step, median of per-round ratios (range): quarry / pandas = **{rp[0]:.2f}** ({rp[1]:.2f}-{rp[2]:.2f}), "
    f"CPU {cp[0]:.2f}; quarry / sqlite3 = {rs[0]:.2f} ({rs[1]:.2f}-{rs[2]:.2f}), CPU {cs[0]:.2f}. "
    f"Goal (issue 18): <= 0.5 against pandas: {'met' if rp[0] <= 0.5 else '**not met**'}. "
    f"The same result from all three: {'yes' if same else 'NO'} (`{checks['quarry']}`"
    + ("" if same else f"; sqlite3 `{checks['sqlite3']}`; pandas `{checks['pandas']}`") + ").",
    "",
    "quarry's cold time includes reading the table into a frame (the data path: "
    "customer, amount and the timestamps taken from the column table's arrays with no SQL, "
    "the timestamps parsed as they are read, frame.h FRAME_TIMES), the "
    "computation, writing the result table and the per-segment summary it prints. "
    "sqlite3 runs the query of bench/rfm.sql inside one `CREATE TABLE r AS`; pandas times "
    "`to_datetime`, `groupby`, `rank`/`qcut` and the segment grid on the DataFrame.",
]
print("\n".join(lines))
PYEOF
cat "$here/sections/rfm_history.md"
