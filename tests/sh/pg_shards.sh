# A sharded PostgreSQL 15 (issue 20): a coordinator and two shards, each
# started here on a loopback port as an unprivileged user (one initdb,
# three copies); without PostgreSQL the test exits 77 and tests/run.sh
# prints it as a skip. On the coordinator the order and event logs are
# tables partitioned by hash of customer_id whose two partitions are
# postgres_fdw foreign tables on the shards, with
# enable_partitionwise_aggregate on; the sample data is copied in through
# the coordinator (rows routed to the shards).
# - rfm, series and sessions over pg.orders and pg.events (pushed down:
#   the same plain SQL as against one server) equal the local commands
#   over the same CSVs, row for row; the shards do hold the rows;
# - over a timestamp column rfm's grouping runs on the shards themselves
#   (partition-wise aggregation sent whole by postgres_fdw: the plan shows
#   an aggregate on each shard's table, the shards working at once:
#   async_capable), with the same rows as local; so does rfm's over the
#   text dates (each text tested by one regular expression on the shard),
#   and series' per-day partial sums over a timestamp column, which the
#   coordinator adds into periods; sessions says that its window runs on
#   the coordinator;
# - a connection terminated mid-query (pg_terminate_backend), a wrong
#   password, a server that is not there and a shard that is gone each
#   fail with a clear error and the catalog unchanged.
set -u
Q=$QUARRY
T=${QUARRY_TMP:-/tmp}/pg_shards
mkdir -p "$T"
fail() { echo "pg_shards: $*"; exit 1; }
. tests/sh/pg_server.inc
[ -f /usr/share/postgresql/15/extension/postgres_fdw.control ] ||
    skip "postgres_fdw is not installed (it ships in Debian's postgresql-15)"
pg_start coord
pg_start s1
pg_start s2
P=$(pg_port coord)
cp sample-data/orders.csv sample-data/events.csv "$PGTOP/"; chmod 644 "$PGTOP/"*.csv
ORD="order_id integer, customer_id integer, ts text, amount double precision"
EVT="customer_id integer, ts text, event text, product text"
# range partitions by customer_id, the rows without one in a default partition on s1;
# each shard copies its own rows from the CSV (COPY through the coordinator would
# send them one at a time)
for tb in orders events; do
    cols=$ORD; [ $tb = events ] && cols=$EVT
    pg_sql s1 "CREATE TABLE ${tb}_s1($cols); CREATE TABLE ${tb}_none($cols);
      COPY ${tb}_s1 FROM '$PGTOP/$tb.csv' CSV HEADER WHERE customer_id < 2500;
      COPY ${tb}_none FROM '$PGTOP/$tb.csv' CSV HEADER WHERE customer_id IS NULL; ANALYZE;" \
        >/dev/null || fail "setting up shard s1"
    pg_sql s2 "CREATE TABLE ${tb}_s2($cols);
      COPY ${tb}_s2 FROM '$PGTOP/$tb.csv' CSV HEADER WHERE customer_id >= 2500; ANALYZE;" \
        >/dev/null || fail "setting up shard s2"
done
pg_sql coord "CREATE EXTENSION postgres_fdw;
  ALTER DATABASE postgres SET enable_partitionwise_aggregate = on;
  CREATE TABLE orders($ORD) PARTITION BY RANGE (customer_id);
  CREATE TABLE events($EVT) PARTITION BY RANGE (customer_id);" >/dev/null ||
    fail "setting up the coordinator"
for s in s1 s2; do
    pg_sql coord "CREATE SERVER $s FOREIGN DATA WRAPPER postgres_fdw
        OPTIONS (host '127.0.0.1', port '$(pg_port $s)', dbname 'postgres', use_remote_estimate 'true',
                 async_capable 'true');
      CREATE USER MAPPING FOR PUBLIC SERVER $s OPTIONS (user 'quarry', password 'sekret');" \
        >/dev/null || fail "attaching shard $s"
done
for tb in orders events; do
    pg_sql coord "CREATE FOREIGN TABLE ${tb}_s1 PARTITION OF $tb FOR VALUES FROM (MINVALUE) TO (2500)
        SERVER s1 OPTIONS (table_name '${tb}_s1');
      CREATE FOREIGN TABLE ${tb}_none PARTITION OF $tb DEFAULT SERVER s1 OPTIONS (table_name '${tb}_none');
      CREATE FOREIGN TABLE ${tb}_s2 PARTITION OF $tb FOR VALUES FROM (2500) TO (MAXVALUE)
        SERVER s2 OPTIONS (table_name '${tb}_s2');" >/dev/null || fail "partitioning $tb"
done
for s in s1 s2; do
    n=$(pg_sql $s "COPY (SELECT count(*) FROM orders_$s) TO STDOUT")
    [ "$n" -gt 30000 ] || fail "shard $s holds $n orders"
done
[ "$(pg_sql coord "COPY (SELECT count(*) FROM orders) TO STDOUT")" = 69788 ] ||
    fail "the coordinator does not see every order"
pg_sql coord "ANALYZE" >/dev/null 2>&1 # warns that the default partitions are foreign
# the coordinator plans rfm's grouping per partition and sends it to the shards
CI="host=127.0.0.1 port=$P user=quarry password=sekret dbname=postgres"
ATT="attach postgres '$CI' as pg"

# 1. rfm, series, sessions remote = local, row for row
LO="load sample-data/orders.csv as orders"
LE="load sample-data/events.csv as events"
pg_same "$LO" "rfm orders customer=customer_id date=ts amount=amount" \
    "customer_id, recency, frequency, printf('%.6f', monetary), r_score, f_score, m_score, segment" \
    customer_id 4000
pg_same "$LO" "rfm orders customer=customer_id date=ts amount=amount asof=2024-06-30 scores=4" \
    "customer_id, recency, frequency, printf('%.6f', monetary), r_score, f_score, m_score, segment" \
    customer_id 4000
pg_same "$LO" "series orders date=ts value=amount period=month" "period, printf('%.6f', amount)" period 23
pg_same "$LO" "series orders date=ts value=amount by=customer_id period=quarter agg=mean" \
    "customer_id, period, printf('%.6f', amount)" "customer_id, period" 38000
pg_same "$LE" "sessions events user=customer_id time=ts event=event" "*" customer_id 4900
grep -q "^pg.events is sharded, and the shards cannot run this query's window" "$T/out" ||
    fail "sessions on shards: no word that the coordinator runs the window"
pg_same "$LE" "series events date=ts value=event agg=count by=product period=week" \
    "product, period, event" "product, period" 1000
# rfm over the text dates: the shards test each text (one regular expression) and group
"$Q" -c "$ATT" -c "explain rfm pg.orders customer=customer_id date=ts amount=amount asof=2024-06-30 as r" \
    > "$T/out" 2>&1 || { cat "$T/out"; fail "explain rfm pg.orders"; }
[ "$(grep -A1 '^ *->  Async Foreign Scan' "$T/out" | grep -c 'Relations: Aggregate on (orders_s[12] ')" = 2 ] ||
    { cat "$T/out"; fail "the shards do not aggregate rfm's text-dated orders"; }

# 1b. a timestamp column: the shards aggregate, only one row per customer each comes to the
# coordinator (the plan's "Aggregate on" each shard's table), and rfm still equals the local one
# over the same rows (loaded from the coordinator; unparseable dates NULL on the shards)
for s in s1 s2; do
    pg_sql $s "CREATE FUNCTION try_ts(text) RETURNS timestamp LANGUAGE plpgsql AS
        \$\$ BEGIN RETURN \$1::timestamp; EXCEPTION WHEN others THEN RETURN NULL; END \$\$;
      CREATE TABLE ordt_$s AS SELECT order_id, customer_id, try_ts(ts) AS ts, amount FROM orders_$s;
      ANALYZE;" >/dev/null || fail "timestamp orders on $s"
done
pg_sql coord "CREATE TABLE ordt(order_id integer, customer_id integer, ts timestamp,
    amount double precision) PARTITION BY RANGE (customer_id);
  CREATE FOREIGN TABLE ordt_s1 PARTITION OF ordt FOR VALUES FROM (MINVALUE) TO (2500)
    SERVER s1 OPTIONS (table_name 'ordt_s1');
  CREATE FOREIGN TABLE ordt_s2 PARTITION OF ordt FOR VALUES FROM (2500) TO (MAXVALUE)
    SERVER s2 OPTIONS (table_name 'ordt_s2'); ANALYZE ordt;" >/dev/null || fail "partitioning ordt"
"$Q" -c "$ATT" -c "explain rfm pg.ordt customer=customer_id date=ts amount=amount asof=2024-06-30 as r" \
    > "$T/out" 2>&1 || { cat "$T/out"; fail "explain rfm pg.ordt"; }
[ "$(grep -A1 '^ *->  Async Foreign Scan' "$T/out" | grep -c 'Relations: Aggregate on (ordt_s[12] ')" = 2 ] ||
    { cat "$T/out"; fail "the shards do not aggregate rfm's orders"; }
for o in "" "asof=2024-06-30 scores=4"; do
    pg_same "load pg.ordt as ordt" "rfm ordt customer=customer_id date=ts amount=amount $o" \
        "customer_id, recency, frequency, printf('%.6f', monetary), r_score, f_score, m_score, segment" \
        customer_id 4000
done
# the shards' test of a text date against quarry's own reading of it: every day of 0000-13-32
# in years around the leap rules, with times in and out of range, as rfm and series here read
# them (the local copy is loaded from the coordinator, so both see the same texts)
YRS="'0000','0001','0004','0100','0400','1600','1700','1900','1996','1999','2000','2023','2024','2100','2400','9999'"
SUF="'','T00:00','T23:59:59','T24:00','T10:60',' 12:30:60','T12:30:59.5Z','Z','T1:00','T19:59:00Z',' 20:00:00.','x'"
for s in s1 s2; do
    lo=0; [ $s = s2 ] && lo=50
    pg_sql $s "CREATE TABLE edge_$s AS SELECT (m * 33 + d) % 50 + $lo AS customer_id,
        y || '-' || lpad(m::text, 2, '0') || '-' || lpad(d::text, 2, '0') || x AS ts, 1.0::float8 AS amount
      FROM unnest(ARRAY[$YRS]) y, generate_series(0, 13) m, generate_series(0, 32) d, unnest(ARRAY[$SUF]) x;
      ANALYZE;" >/dev/null || fail "edge dates on $s"
done
pg_sql coord "CREATE TABLE edge(customer_id integer, ts text, amount double precision)
    PARTITION BY RANGE (customer_id);
  CREATE FOREIGN TABLE edge_s1 PARTITION OF edge FOR VALUES FROM (MINVALUE) TO (50)
    SERVER s1 OPTIONS (table_name 'edge_s1');
  CREATE FOREIGN TABLE edge_s2 PARTITION OF edge FOR VALUES FROM (50) TO (MAXVALUE)
    SERVER s2 OPTIONS (table_name 'edge_s2'); ANALYZE edge;" >/dev/null || fail "partitioning edge"
pg_same "load pg.edge as edge" "rfm edge customer=customer_id date=ts amount=amount asof=2024-02-29" \
    "customer_id, recency, frequency, monetary, r_score, f_score, m_score, segment" customer_id 99
grep -q '^skipped .* with no parseable date' "$T/out" || fail "edge dates: none skipped"
pg_same "load pg.edge as edge" "series edge date=ts value=amount period=day agg=count" "period, amount" period 1000
# series: each shard groups its rows by day (a partial aggregate), the coordinator sums
# the days into periods; the same rows as local
"$Q" -c "$ATT" -c "explain series pg.ordt date=ts value=amount by=customer_id period=quarter as r" \
    > "$T/out" 2>&1 || { cat "$T/out"; fail "explain series pg.ordt"; }
[ "$(grep -A1 '^ *->  Async Foreign Scan' "$T/out" | grep -c 'Relations: Aggregate on (ordt_s[12])')" = 2 ] ||
    { cat "$T/out"; fail "the shards do not aggregate series' orders"; }
pg_same "load pg.ordt as ordt" "series ordt date=ts value=amount period=month" \
    "period, printf('%.6f', amount)" period 23
pg_same "load pg.ordt as ordt" "series ordt date=ts value=amount by=customer_id period=quarter agg=mean" \
    "customer_id, period, printf('%.6f', amount)" "customer_id, period" 38000

# 2. errors leave the catalog as it was: the table list before and after
check_unchanged() { # $1: quarry's output, $2: what ran
    b=$(sed -n 's/^ *before:\(.*\)$/\1/p' "$1"); a=$(sed -n 's/^ *after:\(.*\)$/\1/p' "$1")
    [ -n "$b" ] && [ "$a" = "$b" ] || { cat "$1"; fail "$2: the catalog changed ($b / $a)"; }
}
list="(SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_schema ORDER BY 1))"
before="SELECT 'before:' || $list AS x;"
after="SELECT 'after:' || $list AS x;"
run() { # $1: attach statement, $2: the statement that fails
    "$Q" --keep-going -c "load sample-data/orders.csv as orders" -c "$before" -c "$1" -c "$2" \
        -c "$after" > "$T/out" 2>&1
}
run "attach postgres 'host=127.0.0.1 port=$P user=quarry password=wr0ngpw dbname=postgres' as pg" \
    "rfm pg.orders customer=customer_id date=ts amount=amount as r"
grep -q 'error: cannot connect to PostgreSQL: .*password authentication failed for user "quarry"' \
    "$T/out" || { cat "$T/out"; fail "wrong password: no clear error"; }
check_unchanged "$T/out" "wrong password"
dead=$((P == 65535 ? P - 1 : P + 1))
run "attach postgres 'host=127.0.0.1 port=$dead user=quarry password=sekret dbname=postgres' as pg" \
    "series pg.orders date=ts value=amount as r"
grep -q "error: cannot connect to PostgreSQL: connection to server at \"127.0.0.1\", port $dead failed" \
    "$T/out" || { cat "$T/out"; fail "no server: no clear error"; }
check_unchanged "$T/out" "no server"

# a connection ended mid-query: the coordinator's backend is terminated while it works
pg_sql coord "CREATE VIEW slow_events AS SELECT e.* FROM events e,
    LATERAL (SELECT pg_sleep(0.001 + 0 * e.customer_id)) s" >/dev/null
"$Q" --keep-going -c "$ATT" -c "load sample-data/orders.csv as orders" -c "$before" \
    -c "sessions pg.slow_events user=customer_id time=ts event=event as s" -c "$after" \
    > "$T/victim" 2>&1 &
vpid=$!
i=0
while [ -z "$(pg_sql coord "COPY (SELECT pid FROM pg_stat_activity WHERE usename = 'quarry' AND state = 'active' AND query LIKE 'WITH%') TO STDOUT" 2>/dev/null)" ]; do
    i=$((i + 1)); [ $i -lt 600 ] || { kill $vpid; fail "the remote query never started"; }
    sleep 0.1
done
pg_sql coord "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'quarry' AND query LIKE 'WITH%'" >/dev/null
wait $vpid
grep -q 'error: the connection to the server was lost mid-query (FATAL:  terminating connection due to administrator command)' "$T/victim" ||
    { cat "$T/victim"; fail "terminated sessions: no clear error"; }
check_unchanged "$T/victim" "terminated sessions"

# a shard that is gone: the coordinator cannot reach it, and says which
as_pg "$PGBIN/pg_ctl" -D "$PGTOP/s2" -m immediate stop >/dev/null 2>&1
run "$ATT" "rfm pg.orders customer=customer_id date=ts amount=amount as r"
grep -q 'error: the server refused the query: .*could not connect to server "s2"' "$T/out" ||
    { cat "$T/out"; fail "a shard gone: no clear error"; }
check_unchanged "$T/out" "a shard gone"
echo "pg_shards: ok"
