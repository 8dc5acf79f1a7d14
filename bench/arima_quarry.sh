#!/bin/sh
# bench/arima_quarry.sh CSV ORDER [SORDER]: quarry's side of bench/sections/arima.sh:
# one forecast statement, ARIMA with the given orders on every series of CSV
# (fitted on all but the last 6 months, 6 beyond); prints fit=WALL fitcpu=CPU,
# the statement's own seconds from --timing (user + system for CPU).
set -eu
Q=${QUARRY:-./quarry}
csv=$1 order=$2 sorder=${3:-}
extra=""
[ -n "$sorder" ] && extra="sorder=$sorder season=12"
"$Q" --timing -c "load $csv as t; forecast t date=period value=value by=series model=arima order=$order $extra holdout=6 horizon=6" 2>&1 |
    awk '/^time: real/ { l = $0 }
         /^error/ { print; bad = 1 }
         END { if (bad || l == "") exit 1
               n = split(l, w, " "); gsub("s", "", w[3]); gsub("s", "", w[5]); gsub("s", "", w[7])
               printf "fit=%s fitcpu=%.4f\n", w[3], w[5] + w[7] }'
