# bench/growth.gp: the growth plot of bench/run.sh (called by report.py):
#   gnuplot -e "dat='growth.dat'; pub='published.dat'; out='growth.png'" growth.gp
# growth.dat columns: rows, then quarry/sqlite3 pairs of load, group-by,
# lookup without index, per-key indexed lookup (seconds).
set terminal pngcairo enhanced size 1000,760 font "sans,11"
set output out
set logscale xy
set format x "10^{%L}"
set format y "10^{%L}"
set xlabel "rows"
set ylabel "seconds (log)"
set title "quarry vs sqlite3 shell: time against rows (log-log)"
set grid xtics ytics mxtics mytics lc rgb "#dddddd"
set bmargin at screen 0.26
set key at screen 0.5,0.185 center top vertical maxrows 5 box width 2 spacing 1.1
set xrange [2e4:6e7]
set yrange [1e-7:1e2]
c1 = "#1f77b4"; c2 = "#d62728"; c3 = "#2ca02c"; c4 = "#9467bd"
# quarry in the key's left column, sqlite3 in the right one
plot dat u 1:2 w lp lw 2 pt 7 lc rgb c1 t "load, quarry", \
     dat u 1:4 w lp lw 2 pt 5 lc rgb c2 t "group-by, quarry", \
     dat u 1:6 w lp lw 2 pt 9 lc rgb c3 t "lookup no index, quarry", \
     dat u 1:8 w lp lw 2 pt 13 lc rgb c4 t "lookup indexed (per key), quarry", \
     pub index 0 u 1:2 w lp lw 1 pt 2 dt 3 lc rgb "#888888" t "published query time, fast store (METHODS E)", \
     dat u 1:3 w lp lw 2 pt 6 dt 2 lc rgb c1 t "load, sqlite3", \
     dat u 1:5 w lp lw 2 pt 4 dt 2 lc rgb c2 t "group-by, sqlite3", \
     dat u 1:7 w lp lw 2 pt 8 dt 2 lc rgb c3 t "lookup no index, sqlite3", \
     dat u 1:9 w lp lw 2 pt 12 dt 2 lc rgb c4 t "lookup indexed (per key), sqlite3", \
     pub index 1 u 1:2 w lp lw 1 pt 3 dt 3 lc rgb "#555555" t "published query time, slow store (METHODS E)"
