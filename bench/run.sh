#!/bin/sh
# bench/run.sh: quarry's benchmarks (`make bench` runs this after building
# quarry and installing the peers: hyperfine, sqlite3, python3-pandas).
#
# 1. CSV ingest, 1,000,000 rows x 10 columns: the peer bench's sales_1m.csv
#    (research/perf-baselines.md section 4).  quarry's `load` (type inference
#    over the whole file) against the sqlite3 shell's `.import --csv` into
#    :memory: with a typed table (as peer-bench/ingest_sqlite.sh does) and
#    against pandas.read_csv (whole process: python + import + read_csv).
#    Whole commands timed with hyperfine, the three run in turn, round by
#    round (the order rotates each round); ratios are medians of the
#    per-round ratios.  Plus pandas' in-process read time, each command's
#    peak RSS, and a check that quarry loaded the same rows, values and
#    storage types as the typed sqlite3 import.
# 2. Growth (docs/METHODS.md E, query time against data volume): load, a GROUP BY
#    aggregate, a point lookup by key (no index; then after CREATE INDEX,
#    single and a batch of 100,000 keys) and peak RSS at 40k, 400k, 4M and 10M
#    rows; quarry (--timing, one process per run) beside the sqlite3 shell
#    (.timer on), in turn.
# Then it prints the tables, draws bench/growth.png (gnuplot, log-log) and
# rewrites bench/RESULTS.md (bench/report.py).
#
# Environment:
#   QB_DIR      data and outputs (default /tmp/quarry-bench); data sets are
#               made once and reused, outputs go to $QB_DIR/bench-out
#   QUARRY      the binary (default: ./quarry of this checkout)
#   RUNS        rounds of the 1M load comparison (default 5, after 1 warm-up)
#   SIZES       growth sizes (default "40000 400000 4000000 10000000")
#   BIG=1       add 40,000,000 rows (2.6 GB CSV; several minutes more)
#   PYTHON      interpreter that has pandas (default /usr/bin/python3)
#   PEER_BENCH  the peer bench (default /work/shared/peer-bench); its
#               gen_data.py makes sales_1m.csv when present, else
#               bench/gen_sales.py (a verbatim copy, byte-identical output)
#   (No wait for a quiet machine: the first process after an idle pause
#   pays extra first-touch page faults, so a wait penalises whichever tool
#   runs first; the tools alternate instead, and each section reports the
#   machine's load. Issue 18.)
#   NO_RESULTS=1  print the results but leave bench/RESULTS.md and
#               bench/growth.png alone
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
QB=${QB_DIR:-/tmp/quarry-bench}; export QB_DIR="$QB"
D=$QB/data; O=$QB/bench-out
PY=${PYTHON:-/usr/bin/python3}
Q=${QUARRY:-$root/quarry}
RUNS=${RUNS:-5}
SIZES=${SIZES:-"40000 400000 4000000 10000000"}
[ "${BIG:-0}" = 1 ] && SIZES="$SIZES 40000000"
PEER=${PEER_BENCH:-/work/shared/peer-bench}
TIME=/usr/bin/time

die() { echo "bench: $*" >&2; exit 1; }
case "$QB$Q$PY" in *[[:space:]\'\"]*) die "QB_DIR, QUARRY and PYTHON must not hold spaces or quotes";; esac
[ -x "$Q" ] || die "no quarry binary at $Q (run: make quarry)"
for t in hyperfine sqlite3 "$PY"; do
    command -v "$t" >/dev/null || die "$t not found (run: make bench-deps)"
done
[ -x $TIME ] || die "$TIME (GNU time, Debian package time) not found: apt-get install time"
"$PY" -c "import pandas" 2>/dev/null || die "$PY cannot import pandas (apt-get install python3-pandas)"
mkdir -p "$D"
rm -rf "$O"; mkdir -p "$O"

# mark NAME: wall clock, machine busy jiffies (/proc/stat) and the CPU time of
# this script's children, so report.py can tell how much CPU OTHER work took.
mark() {
    busy=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9; exit}' /proc/stat)
    times > "$O/.times"                    # in this shell: a $(times) would see no children
    kids=$(awk 'NR==2{ s=0; for(i=1;i<=2;i++){ split($i,a,"m"); s+=a[1]*60+a[2] } print s }' "$O/.times")
    echo "$1 $(date +%s.%N) $busy $kids $(cut -d' ' -f1-3 /proc/loadavg)" >> "$O/marks"
}
say() { echo "== $*" >&2; }

# ---------------------------------------------------------------- meta
{
    echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
    echo "cpu_family=$(lscpu | sed -n 's/^CPU family: *//p' | head -1)"
    echo "cpu_model=$(lscpu | sed -n 's/^Model: *//p' | head -1)"
    echo "cpus=$(nproc)"
    echo "cores=$(lscpu | sed -n 's/^Core(s) per socket: *//p' | head -1)"
    echo "threads_per_core=$(lscpu | sed -n 's/^Thread(s) per core: *//p' | head -1)"
    echo "mem=$(free -g | awk '/^Mem:/{print $2}') GiB"
    echo "kernel=$(uname -r)"
    echo "quarry=$("$Q" --version | tr '\n' ' ')"
    echo "sqlite3=$(sqlite3 --version | cut -d' ' -f1-2)"
    echo "pandas=$("$PY" -c 'import pandas; print(pandas.__version__)')"
    echo "python=$("$PY" -c 'import sys; print(sys.version.split()[0])')"
    echo "hyperfine=$(hyperfine --version | cut -d' ' -f2)"
    echo "quarry_bin=$Q"
    echo "qb_dir=$QB"
    echo "runs=$RUNS"
    echo "sizes=$SIZES"
} > "$O/meta"
echo "waited_quiet_s=0" >> "$O/meta"
t_start=$(date +%s)
say "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (2 cores shared: other work skews timings)"
mark start

# ---------------------------------------------------------------- data
F1=$D/sales_1m.csv
if [ ! -f "$F1" ] || [ ! -f "$D/sales_schema.sql" ]; then
    say "making $F1"
    if [ -f "$PEER/gen_data.py" ]; then "$PY" "$PEER/gen_data.py" ingest
    else "$PY" "$here/gen_sales.py"; fi
fi
echo "sales_1m_md5=$(md5sum < "$F1" | cut -d' ' -f1)" >> "$O/meta"
say "growth data: $SIZES rows (made once; the 10M file takes ~30 s)"
# shellcheck disable=SC2086
"$PY" "$here/gen_growth.py" $SIZES
SCHEMA="order_id INTEGER, customer_id INTEGER, quantity INTEGER, unit_price REAL, discount REAL, rating REAL, category TEXT, country TEXT, sku TEXT, order_date TEXT"
mark data

# ---------------------------------------------------------------- 1. load, 1M
say "1. load 1,000,000 x 10: quarry vs sqlite3 .import vs pandas.read_csv ($RUNS rounds + 1 warm-up)"
{ cat "$D/sales_schema.sql"
  echo ".import --csv --skip 1 $F1 sales"
  echo "SELECT count(*) FROM sales;"; } > "$O/ingest_mem_typed.sql"
QCMD="$Q -c 'load $F1 as sales; SELECT count(*) FROM sales'"
SCMD="sqlite3 :memory: < $O/ingest_mem_typed.sql"
PCMD="$PY -c \"import pandas as pd; print(len(pd.read_csv('$F1')))\""
echo "$QCMD" > "$O/cmd_quarry"; echo "$SCMD" > "$O/cmd_sqlite3"; echo "$PCMD" > "$O/cmd_pandas"

# Same rows, values and storage types in quarry as in the typed sqlite3 import?
CHK="SELECT 'types', group_concat(name || ':' || type, ' ') FROM pragma_table_info('sales');
SELECT 'sums', count(*), sum(order_id), sum(customer_id), sum(quantity), printf('%.2f', sum(unit_price)), printf('%.3f', sum(discount)), printf('%.1f', sum(rating)), count(DISTINCT category), sum(length(category)), count(DISTINCT country), count(DISTINCT sku), min(order_date), max(order_date) FROM sales;
SELECT 'typed', count(*) FROM sales WHERE typeof(order_id)='integer' AND typeof(customer_id)='integer' AND typeof(quantity)='integer' AND typeof(unit_price)='real' AND typeof(discount)='real' AND typeof(rating)='real' AND typeof(category)='text' AND typeof(country)='text' AND typeof(sku)='text' AND typeof(order_date)='text';
SELECT 'quoted', count(*) FROM sales WHERE category = 'Books, Music & Film'"
"$Q" --format=tsv -c "load $F1 as sales; $CHK" > "$O/check_quarry.out" 2> "$O/check_quarry.err" \
    || die "quarry failed on $F1: $(cat "$O/check_quarry.err")"
{ cat "$D/sales_schema.sql"; echo ".import --csv --skip 1 $F1 sales"; echo ".mode tabs"
  echo "$CHK;"; } | sqlite3 :memory: > "$O/check_sqlite3.out"

# Peak RSS of exactly the timed commands, one run each.
for tool in quarry sqlite3 pandas; do
    $TIME -f '%M %e' -o "$O/rss_$tool" sh -c "$(cat "$O/cmd_$tool")" > /dev/null
done

hyperfine --runs 1 --style none --export-json "$O/load_warmup.json" \
    -n quarry "$QCMD" -n sqlite3 "$SCMD" -n pandas "$PCMD" > /dev/null
i=1
while [ "$i" -le "$RUNS" ]; do
    case $((i % 3)) in
        1) hyperfine --runs 1 --style none --export-json "$O/load_round$i.json" \
               -n quarry "$QCMD" -n sqlite3 "$SCMD" -n pandas "$PCMD" > /dev/null ;;
        2) hyperfine --runs 1 --style none --export-json "$O/load_round$i.json" \
               -n sqlite3 "$SCMD" -n pandas "$PCMD" -n quarry "$QCMD" > /dev/null ;;
        0) hyperfine --runs 1 --style none --export-json "$O/load_round$i.json" \
               -n pandas "$PCMD" -n quarry "$QCMD" -n sqlite3 "$SCMD" > /dev/null ;;
    esac
    i=$((i + 1))
done
"$PY" "$here/pandas_read.py" "$F1" "$RUNS" > "$O/pandas_read.out"
mark load

# ---------------------------------------------------------------- 2. growth
NKEYS=100000                               # indexed lookups in the batch statement
echo "nkeys=$NKEYS" >> "$O/meta"
GROUP="SELECT category, count(*), avg(unit_price) FROM t GROUP BY category"
INDEX="CREATE INDEX t_order_id ON t(order_id)"
for n in $SIZES; do
    F=$D/growth_$n.csv
    k=$((n / 2 + 1))                       # the key looked up (order_id = 1..n)
    LOOK="SELECT * FROM t WHERE order_id = $k"
    BATCH="WITH RECURSIVE k(v) AS (SELECT 0 UNION ALL SELECT v + 1 FROM k WHERE v < $((NKEYS - 1))) SELECT 'batch', count(*), sum(t.quantity) FROM k CROSS JOIN t ON t.order_id = (v * 7919) % $n + 1"
    echo "load $F as t; $GROUP; $LOOK; $INDEX; $LOOK; $BATCH; SELECT 'check', count(*) FROM t" \
        > "$O/growth_${n}.qry"
    { echo "CREATE TABLE t($SCHEMA);"
      echo "CREATE TEMP TABLE _clk(t0 REAL); INSERT INTO _clk VALUES(julianday('now'));"
      echo ".import --csv --skip 1 $F t"
      echo "SELECT 'load_s', (julianday('now') - t0) * 86400 FROM _clk;"
      echo ".timer on"
      echo "$GROUP;"; echo "$LOOK;"; echo "$INDEX;"; echo "$LOOK;"; echo "$BATCH;"
      echo ".timer off"
      echo "SELECT 'check', count(*) FROM t;"; } > "$O/growth_${n}.sql"
    if [ "$n" -le 400000 ]; then r=5; elif [ "$n" -le 10000000 ]; then r=3; else r=1; fi
    say "2. growth $n rows: quarry and sqlite3 in turn, $r runs each"
    j=1
    while [ "$j" -le "$r" ]; do
        $TIME -f '%M %e' -o "$O/g_quarry_${n}_$j.rss" \
            "$Q" --timing --format=tsv -c "$(cat "$O/growth_${n}.qry")" \
            > "$O/g_quarry_${n}_$j.out" 2> "$O/g_quarry_${n}_$j.err" \
            || die "quarry failed at $n rows: $(tail -3 "$O/g_quarry_${n}_$j.err")"
        $TIME -f '%M %e' -o "$O/g_sqlite3_${n}_$j.rss" \
            sqlite3 -batch -separator '	' :memory: < "$O/growth_${n}.sql" \
            > "$O/g_sqlite3_${n}_$j.out" 2> "$O/g_sqlite3_${n}_$j.err" \
            || die "sqlite3 failed at $n rows: $(tail -3 "$O/g_sqlite3_${n}_$j.err")"
        j=$((j + 1))
    done
    mark "growth_$n"
done
# ---------------------------------------------------------------- 3. diagnosis
# quarry's catalog sets a large page cache (src/data/catalog.c); for an in-memory
# database that only changes how SQLite's sorter works (GROUP BY, CREATE
# INDEX).  Time the sqlite3 shell at 1M rows with its default and with
# quarry's value, in turn, so the effect is measured rather than guessed.
CS=$(grep -o 'cache_size=-*[0-9]*' "$root/src/data/catalog.c" 2>/dev/null | head -1 | cut -d= -f2 || true)
if [ -n "$CS" ]; then
    say "3. sqlite3 shell at 1M rows: GROUP BY and CREATE INDEX with the default cache_size and with quarry's ($CS)"
    echo "cache_size=$CS" >> "$O/meta"
    for cs in default "$CS"; do
        { cat "$D/sales_schema.sql"; echo ".import --csv --skip 1 $F1 sales"
          [ "$cs" = default ] || echo "PRAGMA cache_size=$cs;"
          echo ".timer on"
          echo "SELECT category, count(*), avg(unit_price) FROM sales GROUP BY category;"
          echo "CREATE INDEX s_order_id ON sales(order_id);"; } > "$O/cache_$cs.sql"
    done
    for j in 1 2 3; do
        for cs in default "$CS"; do
            $TIME -f '%M %e' -o "$O/cache_${cs}_$j.rss" sqlite3 :memory: \
                < "$O/cache_$cs.sql" > "$O/cache_${cs}_$j.out"
        done
    done
    mark cache
fi
mark end
t_end=$(date +%s)
echo "elapsed_s=$((t_end - t_start))" >> "$O/meta"
times > "$O/.times"
awk 'NR==2{ s=0; for(i=1;i<=2;i++){ split($i,a,"m"); s+=a[1]*60+a[2] } print "children_cpu_s=" s }' "$O/.times" >> "$O/meta"

# ---------------------------------------------------------------- report
if [ "${NO_RESULTS:-0}" = 1 ]; then
    "$PY" "$here/report.py" "$O"
else
    "$PY" "$here/report.py" "$O" --results "$here/RESULTS.md" --plot "$here/growth.png" \
        --gnuplot "$here/growth.gp"
fi

# ---------------------------------------------------------------- 4. the TUI
# Start to first prompt (empty workspace) and grid PgDn repaint at 200x50 on
# 1,000,000 rows, in a pseudo-terminal (bench/tui_timing.py).
say "4. full-screen interface: start to prompt, grid PgDn at 200x50 on 1M rows"
tui=$("$PY" "$here/tui_timing.py" "$Q" 20)
echo "$tui"
if [ "${NO_RESULTS:-0}" != 1 ]; then
    start=$(echo "$tui" | sed -n 's/.*start_ms=\([^ ]*\) (\([^)]*\)).*/\1 ms (\2)/p')
    pgdn=$(echo "$tui" | sed -n 's/.*pgdn_ms=\([^ ]*\) (\([^)]*\)).*/\1 ms (\2)/p')
    cat >> "$here/RESULTS.md" <<EOT

## 4. Full-screen interface (bench/tui_timing.py, in a pseudo-terminal)

| measure | median (min, max) | goal | met |
|---|---|---|---|
| start to first prompt, empty workspace, 20 runs | $start | < 50 ms | $(echo "$tui" | awk '{ split($1, a, "="); print (a[2] < 50 ? "yes" : "NO") }') |
| grid viewer PgDn at 200x50 on 1,000,000 rows, key to last byte of the repaint, 100 presses | $pgdn | < 10 ms | $(echo "$tui" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^pgdn_ms=/) { split($i, a, "="); print (a[2] < 10 ? "yes" : "NO") } }') |

Command: \`make bench\` (section 4 alone: \`/usr/bin/python3 bench/tui_timing.py ./quarry 20\`).
EOT
fi

# Sections of later capabilities (bench/sections/*.sh), each put in
# RESULTS.md between its markers by bench/section.sh.
for s in "$here"/sections/*.sh; do
    [ -f "$s" ] || continue
    name=$(basename "$s" .sh)
    say "section $name"
    QUARRY=$Q PYTHON=$PY QB_DIR=$QB sh "$here/section.sh" "$name"
done
