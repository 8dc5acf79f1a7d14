#!/bin/sh
# bench/sections/linear.sh: logistic regression and k-NN against
# scikit-learn (issue 15); prints a markdown section (bench/section.sh
# linear puts it in bench/RESULTS.md).
#
#   sh bench/section.sh linear
#
# Builds bench/linear_time.c against the release objects (make quarry
# first), then runs bench/linear_sklearn.py, which makes the data once in
# $QB_DIR/data and runs the two tools in turn, ROUNDS paired rounds.
# Environment: QB_DIR (default /tmp/quarry-bench), ROUNDS (5), THREADS (2),
# PYTHON (/usr/bin/python3).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(dirname "$here")
QB=${QB_DIR:-/tmp/quarry-bench}
D=$QB/data; O=$QB/bench-out
PY=${PYTHON:-/usr/bin/python3}
mkdir -p "$D" "$O"
. "$here/harness.sh"
bench_cc "$O/linear_time" "$here/linear_time.c"
"$PY" "$here/linear_sklearn.py" "$O/linear_time" "$D" "${ROUNDS:-5}" "${THREADS:-2}"
echo
echo "Load average at the end (2 cores, shared): $(cut -d' ' -f1-3 /proc/loadavg)."
