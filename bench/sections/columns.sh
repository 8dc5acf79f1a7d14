#!/bin/sh
# bench/sections/columns.sh: GROUP BY over N rows (default 10,000,000) in an
# ordinary SQLite table and in the same rows as a column table
# (src/data/coltab.h, docs/COLUMNS.md), in-process, in turn, the order
# alternating (bench/coltab_group.c). Prints a markdown section
# (bench/section.sh columns puts it in RESULTS.md).
# Environment: N (10000000), ROUNDS (5), QB_DIR (outputs), PYTHON; FROM=FILE
# reports a run of bench/coltab_group already made instead of running it.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
QB=${QB_DIR:-/tmp/quarry-bench}; O=$QB/bench-out
N=${N:-10000000}; ROUNDS=${ROUNDS:-5}
mkdir -p "$O"
. "$here/harness.sh"
bench_cc "$O/coltab_group" "$here/coltab_group.c"
m0=$(bench_machine)
if [ -n "${FROM:-}" ]; then cp "$FROM" "$O/coltab_group.txt"   # a run already made
else "$O/coltab_group" "$N" "$ROUNDS" > "$O/coltab_group.txt"; fi
m1=$(bench_machine)
cat "$O/coltab_group.txt" >&2
line=$(grep '^group_by' "$O/coltab_group.txt")
field() { echo "$line" | sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
r=$(field columns_over_ordinary)
echo "## Column tables: GROUP BY over $N rows (bench/sections/columns.sh)"
echo
echo "\`SELECT category, count(*), round(avg(unit_price), 6), sum(quantity) FROM t GROUP BY category\` (8 groups), in one process: an ordinary table and the same rows as a column table (docs/COLUMNS.md), in turn, $ROUNDS rounds after a warm-up, the order alternating; both give the same answer ($(field same_answer)). $(head -1 "$O/coltab_group.txt")."
echo
echo "| table | seconds (median) |"
echo "|---|---|"
echo "| ordinary SQLite table | $(field ordinary_s) |"
echo "| column table | $(field columns_s) |"
echo
awk -v r="$r" -v rg="$(echo "$line" | sed -n 's/.*columns_over_ordinary=[^ ]* (\([^)]*\)).*/\1/p')" 'BEGIN { printf "column / ordinary, median of per-round ratios: **%.2f** (%s). Goal: no slower (<= 1.0): %s.\n\n", r, rg, (r <= 1.0 ? "met" : "**not met**") }'
if [ -n "${FROM:-}" ]; then
    echo "Machine when this section was written (the run itself was earlier, from $FROM): $m0. Read the range: a wide one means other work came and went between the two tables."
else
    echo "Machine at start: $m0; at end: $m1 (2 shared cores: wall times are stretched alike for both tables, which run in the same process in turn; a wide range means other work came and went)."
fi
echo
echo "Command: \`sh bench/section.sh columns\` (N=$N ROUNDS=$ROUNDS)."
