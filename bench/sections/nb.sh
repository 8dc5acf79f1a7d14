#!/bin/sh
# bench/sections/nb.sh: Gaussian naive Bayes fit + predict against
# scikit-learn (issue 15); prints a markdown section (bench/section.sh nb
# puts it in bench/RESULTS.md). Builds bench/linear_time.c against the
# release objects (make quarry first), then runs bench/nb_sklearn.py.
# Environment: QB_DIR (default /tmp/quarry-bench), ROUNDS (7), PYTHON.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(dirname "$here")
QB=${QB_DIR:-/tmp/quarry-bench}
D=$QB/data; O=$QB/bench-out
PY=${PYTHON:-/usr/bin/python3}
mkdir -p "$D" "$O"
make -s -C "$root" quarry >&2
cc -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -g \
    $(pkg-config --cflags openblas) -I"$root/src" "$here/linear_time.c" \
    "$root"/build/rel/src/*/*.o -o "$O/linear_time" \
    $(pkg-config --libs sqlite3 zlib) -lm -lpthread
"$PY" "$here/nb_sklearn.py" "$O/linear_time" "$D" "${ROUNDS:-7}"
