#!/bin/sh
# bench/hw_quarry.sh CSV [THREADS]: quarry's side of bench/sections/forecast.sh:
# one forecast statement, Holt-Winters (additive trend and season of 12) on
# every series of CSV, fitted on all but the last 6 months, 6 beyond, on
# THREADS threads (default 1: the series one after another); prints
# fit=WALL fitcpu=CPU, the statement's own seconds from --timing (user +
# system for CPU), and rows=N, the forecast rows written.
set -eu
Q=${QUARRY:-./quarry}
csv=$1 threads=${2:-1}
"$Q" --timing -c "load $csv as t; forecast t date=period value=value by=series model=holtwinters season=12 holdout=6 horizon=6 threads=$threads" 2>&1 |
    awk '/^time: real/ { l = $0 }
         /^forecast: / { rows = $0; sub(/.* predicted beyond; /, "", rows); sub(/ rows.*/, "", rows) }
         /^error/ { print; bad = 1 }
         END { if (bad || l == "") exit 1
               n = split(l, w, " "); gsub("s", "", w[3]); gsub("s", "", w[5]); gsub("s", "", w[7])
               printf "fit=%s fitcpu=%.4f rows=%s\n", w[3], w[5] + w[7], rows }'
