#!/bin/sh
# bench/sections/pipeline.sh: load a CSV, train, predict into a column as
# one quarry process against one pandas + scikit-learn process (issue 15);
# prints a markdown section (bench/section.sh pipeline puts it in
# bench/RESULTS.md). Environment: QB_DIR (default /tmp/quarry-bench),
# ROUNDS (5), ROWS (1000000), PYTHON.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(dirname "$here")
QB=${QB_DIR:-/tmp/quarry-bench}
PY=${PYTHON:-/usr/bin/python3}
mkdir -p "$QB/data"
make -s -C "$root" quarry >&2
"$PY" "$here/pipeline_sklearn.py" "$root/quarry" "$QB/data" "${ROUNDS:-5}" "${ROWS:-1000000}"
