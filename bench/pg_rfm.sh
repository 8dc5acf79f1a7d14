#!/bin/sh
# bench/pg_rfm.sh: issue 20's benchmark. A 20,000,000-row order log
# (N), generated on the servers by one formula (the same rows everywhere:
# customer, timestamp and amount are hashes of the order number), lives
#   - on a sharded PostgreSQL 15: a coordinator whose table is partitioned by
#     customer into two postgres_fdw foreign tables, one on each of two shard
#     servers (enable_partitionwise_aggregate on; async_capable, so the two
#     shards work at once), and
#   - on one PostgreSQL 15 server,
# each started here on loopback ports (tests/sh/pg_server.inc). Paired rounds
# (bench/pair.py, RUNS rounds after a warm-up) time, as whole quarry processes:
#   sharded  rfm c.orders ... pushed down to the coordinator (the shards group)
#   one      rfm o.orders ... pushed down to the single server
#   pull     load o.orders as t, then rfm t ... here (the table pulled whole)
# and one extra run of each measures the bytes that crossed the loopback
# interface (/sys/class/net/lo/statistics/rx_bytes; other work on lo adds
# to it, so the machine's lo traffic with nothing of ours running is
# measured alongside). The three results are checked equal (customers and
# sums of recency, frequency, monetary and the scores).
# Environment: N (20000000), RUNS (2), QUARRY, OUT (/tmp/quarry-bench/pg);
# CMD=series times series ... period=month instead of rfm (each shard sends
# its per-day partial sums); DATES=text stores the timestamps as ISO 8601
# text (rfm's shards then test each text with one regular expression);
# OLD=/path/to/quarry adds a case "old": that binary's sharded run (an
# earlier push-down against this one, on the same servers).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
N=${N:-20000000}
RUNS=${RUNS:-2}
CMD=${CMD:-rfm}
DATES=${DATES:-timestamp}
Q=${QUARRY:-$root/quarry}
OUT=${OUT:-/tmp/quarry-bench/pg}
mkdir -p "$OUT"
cd "$root"
. tests/sh/pg_server.inc
for s in coord s1 s2 one; do pg_start $s; done
half=$((N / 100 / 2))  # customers: N / 100 in all, half on each shard
TS="TIMESTAMP '2023-01-01' + ((g * 104729) % 63072000) * INTERVAL '1 second'"
TSTYPE=timestamp
[ "$DATES" = text ] && { TS="to_char($TS, 'YYYY-MM-DD\"T\"HH24:MI:SS')"; TSTYPE=text; }
ROW="SELECT g AS order_id, (g * 7919) % $((N / 100)) + 1 AS customer_id,
    $TS AS ts,
    ((g * 2654435761) % 100000) / 100.0::float8 AS amount FROM generate_series(1::bigint, $N) g"
COLS="order_id bigint, customer_id bigint, ts $TSTYPE, amount double precision"
t0=$(date +%s)
pg_sql s1 "CREATE TABLE orders_s1 AS SELECT * FROM ($ROW) r WHERE customer_id <= $half; ANALYZE;" >/dev/null &
pg_sql s2 "CREATE TABLE orders_s2 AS SELECT * FROM ($ROW) r WHERE customer_id > $half; ANALYZE;" >/dev/null &
pg_sql one "CREATE TABLE orders AS $ROW; ANALYZE;" >/dev/null &
wait
pg_sql coord "CREATE EXTENSION postgres_fdw;
  ALTER DATABASE postgres SET enable_partitionwise_aggregate = on;
  CREATE TABLE orders($COLS) PARTITION BY RANGE (customer_id);" >/dev/null
for s in s1 s2; do
    lo=MINVALUE; hi=$((half + 1)); [ $s = s2 ] && { lo=$((half + 1)); hi=MAXVALUE; }
    pg_sql coord "CREATE SERVER $s FOREIGN DATA WRAPPER postgres_fdw
        OPTIONS (host '127.0.0.1', port '$(pg_port $s)', dbname 'postgres', use_remote_estimate 'true', fetch_size '10000',
                 async_capable 'true');
      CREATE USER MAPPING FOR PUBLIC SERVER $s OPTIONS (user 'quarry', password 'sekret');
      CREATE FOREIGN TABLE orders_$s PARTITION OF orders FOR VALUES FROM ($lo) TO ($hi)
        SERVER $s OPTIONS (table_name 'orders_$s');" >/dev/null
done
pg_sql coord "ANALYZE orders" >/dev/null
echo "generated $N rows on s1+s2 and on one in $(( $(date +%s) - t0 )) s" | tee "$OUT/gen.txt"
ci() { echo "host=127.0.0.1 port=$(pg_port $1) user=quarry password=sekret dbname=postgres"; }
CHECK="SELECT 'check n=' || count(*) || ' r=' || sum(recency) || ' f=' || sum(frequency) || ' m=' || printf('%.2f', sum(monetary)) || ' s=' || sum(r_score) || '/' || sum(f_score) || '/' || sum(m_score) FROM r"
RFM="customer=customer_id date=ts amount=amount as r"
if [ "$CMD" = series ]; then
    CHECK="SELECT 'check n=' || count(*) || ' a=' || printf('%.2f', sum(amount)) || ' p=' || min(period) || '/' || max(period) FROM r"
    RFM="date=ts value=amount period=month as r"
fi
SH="'$Q' -c \"attach postgres '$(ci coord)' as c\" -c \"$CMD c.orders $RFM\" -c \"$CHECK\""
ONE="'$Q' -c \"attach postgres '$(ci one)' as o\" -c \"$CMD o.orders $RFM\" -c \"$CHECK\""
PULL="'$Q' -c 'set memory=6000' -c \"attach postgres '$(ci one)' as o\" -c 'load o.orders as t' -c \"$CMD t $RFM\" -c \"$CHECK\""
OLDCASE=""
[ -n "${OLD:-}" ] && OLDCASE="old='$OLD' -c \"attach postgres '$(ci coord)' as c\" -c \"$CMD c.orders $RFM\" -c \"$CHECK\""
rx() { cat /sys/class/net/lo/statistics/rx_bytes; }
"$Q" -c "attach postgres '$(ci coord)' as c" -c "explain $CMD c.orders $RFM" > "$OUT/plan.txt" 2>&1
grep -q 'Relations: Aggregate on' "$OUT/plan.txt" || echo "the coordinator does not send the aggregates to the shards"
for t in sharded sharded one pull ${OLD:+old}; do
    eval "cmd=\$$(echo $t | sed 's/sharded/SH/;s/one/ONE/;s/pull/PULL/;s/old/OLDCASE/')"
    cmd=${cmd#old=}
    a=$(rx); s0=$(date +%s.%N); sleep 5; idle=$(( $(rx) - a ))
    a=$(rx); s0=$(date +%s.%N); sh -c "$cmd" > "$OUT/$t.out" 2>&1; b=$(rx); s1=$(date +%s.%N)
    echo "$t: $(( b - a )) bytes over lo in $(echo "$s1 - $s0" | bc) s (lo idle: $idle bytes in 5 s); $(grep '^check\|came back' "$OUT/$t.out" | cut -c1-90 | tr '\n' ' ')" | tee -a "$OUT/bytes.txt"
done
/usr/bin/python3 bench/pair.py run "$OUT/pair.json" "$RUNS" "sharded=$SH" "one=$ONE" "pull=$PULL" ${OLD:+"$OLDCASE"}
/usr/bin/python3 bench/pair.py ratio "$OUT/pair.json" sharded pull
/usr/bin/python3 bench/pair.py ratio "$OUT/pair.json" sharded one
/usr/bin/python3 bench/pair.py ratio "$OUT/pair.json" one pull
[ -n "${OLD:-}" ] && /usr/bin/python3 bench/pair.py ratio "$OUT/pair.json" sharded old
/usr/bin/python3 bench/pair.py machine
