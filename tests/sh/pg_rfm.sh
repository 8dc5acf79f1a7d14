# PostgreSQL remote tables against a real PostgreSQL 15 server (issue 20),
# started here on a loopback port as an unprivileged user; without one the
# test exits 77 and tests/run.sh prints it as a skip.
# - rfm over the remote order log (pushed down: one query, one row per
#   customer back) equals rfm over the same CSV loaded locally, row for
#   row, with the default as-of day and with asof=/scores=;
# - series and sessions over the remote order and event logs (pushed down:
#   one row per cell or per user back) equal the local commands row for
#   row (sums compared to 6 decimals: the server adds in another order);
#   so do rfm, series and sessions over texts at every edge of the date
#   rules (year 0000, February 29, 24:00, :60);
# - load pg.orders copies every row (count and sum as the local load);
# - a wrong password, a server that is not there, a connection terminated
#   mid-query (pg_terminate_backend from another session) and Ctrl-C
#   (SIGINT, cancelled on the server) each fail clearly with the catalog
#   unchanged (the list of tables before and after; Ctrl-C ends a -c run);
#   no password reaches the history.
set -u
Q=$QUARRY
T=${QUARRY_TMP:-/tmp}/pg_rfm
mkdir -p "$T"
fail() { echo "pg_rfm: $*"; exit 1; }
. tests/sh/pg_server.inc
pg_sample one "CREATE VIEW slow_orders AS SELECT o.* FROM orders o,
    LATERAL (SELECT pg_sleep(0.002 + 0 * o.order_id)) s;"
cols="customer_id, recency, frequency, printf('%.6f', monetary), r_score, f_score, m_score, segment"

# 1. rfm remote = rfm local, row for row
for opts in "" "asof=2024-06-30 scores=4"; do
    "$Q" --format=csv -c "$ATT" -c "load sample-data/orders.csv as orders" \
        -c "rfm orders customer=customer_id date=ts amount=amount $opts as rl" \
        -c "rfm pg.orders customer=customer_id date=ts amount=amount $opts as rr" \
        -c "SELECT $cols FROM rl ORDER BY customer_id" \
        -c "SELECT 'MARK' AS m" \
        -c "SELECT $cols FROM rr ORDER BY customer_id" > "$T/out" 2>&1 ||
        { cat "$T/out"; fail "rfm run ($opts)"; }
    grep -q '^rfm: pushed down to PostgreSQL' "$T/out" || fail "the remote rfm was not pushed down"
    rm -f "$T/l" "$T/r"
    awk '/^m$/{s=1} /^customer_id,/{h++} h==1&&!s{print > "'"$T"'/l"} h==2{print > "'"$T"'/r"}' "$T/out"
    n=$(grep -c . "$T/l"); [ -f "$T/r" ] || fail "no remote rows"
    [ "$n" -gt 4000 ] || fail "too few local rfm rows ($n)"
    cmp -s "$T/l" "$T/r" || { diff "$T/l" "$T/r" | head; fail "remote rfm differs from local ($opts)"; }
    # the skip counts agree too
    [ "$(grep '^skipped' "$T/out" | sed 's/ (e.g.[^)]*)//' | sort -u | wc -l)" = 1 ] ||
        fail "the skipped rows differ: $(grep '^skipped' "$T/out")"
done

# 1b. series and sessions remote = local, row for row
pg_same "$LO" "series orders date=ts value=amount period=month" "period, printf('%.6f', amount)" period 24
pg_same "$LO" "series orders date=ts value=amount by=customer_id period=week agg=mean fill=null" \
    "customer_id, period, printf('%.6f', amount)" "customer_id, period" 500000
pg_same "$LO" "series orders date=ts value=order_id period=day agg=count" "period, order_id" period 731
pg_same "$LE" "series events date=ts value=event by=product period=quarter agg=count" \
    "product, period, event" "product, period" 100
pg_same "$LE" "sessions events user=customer_id time=ts event=event" "*" customer_id 4989
pg_same "$LE" "sessions events user=customer_id time=ts event=event gap=2h" "*" customer_id 4989
# the server's reading of a text date against quarry's own: every day of 0000-13-32 in years
# around the leap rules (0000 is 1 BC, a leap year, as quarry reads it), times in and out of range
pg_sql one "CREATE TABLE edge AS SELECT (m * 33 + d) % 97 AS customer_id, y || '-' || lpad(m::text, 2, '0')
    || '-' || lpad(d::text, 2, '0') || x AS ts, 1.0::float8 AS amount, 'view' AS event
  FROM unnest(ARRAY['0000','0001','0004','0100','1900','2000','2023','2024','2100']) y,
    generate_series(0, 13) m, generate_series(0, 32) d,
    unnest(ARRAY['','T23:59:59','T24:00','T10:60',' 12:30:60','T12:30:59.5Z','Z','T1:00','x']) x;
  ANALYZE edge;" >/dev/null || fail "edge dates"
pg_same "load pg.edge as edge" "rfm edge customer=customer_id date=ts amount=amount asof=2024-02-29" \
    "customer_id, recency, frequency, monetary, r_score, f_score, m_score, segment" customer_id 90
pg_same "load pg.edge as edge" "series edge date=ts value=amount period=day agg=count" "period, amount" period 3000
pg_same "load pg.edge as edge" "sessions edge user=customer_id time=ts event=event gap=1d" "*" customer_id 90

# 2. tables, describe, head, load
"$Q" -c "$ATT" -c "tables" -c "describe pg.orders" -c "head pg.orders n=2" \
    -c "load pg.orders as o2" -c "load sample-data/orders.csv as orders" \
    -c "SELECT (SELECT count(*) || ' ' || round(sum(amount), 2) FROM o2) = (SELECT count(*) || ' ' || round(sum(amount), 2) FROM orders) AS same" \
    > "$T/out" 2>&1 || { cat "$T/out"; fail "tables/describe/head/load"; }
grep -Eq '^pg\.orders +~69788 +4$' "$T/out" || fail "tables lacks pg.orders with its estimate"
grep -Eq '^pg\.slow_orders ' "$T/out" || fail "tables lacks the view"
grep -q 'about 69788 rows' "$T/out" || fail "describe"
grep -Eq '^ +100002 +1550 +2023-01-01T00:55:04 +136.99$' "$T/out" || fail "head"
grep -q 'loaded 69788 rows x 4 columns from pg.orders' "$T/out" || fail "load"
grep -Eq '^ +1$' "$T/out" || fail "the loaded table differs from the local load"

# 2b. export T pg.table: COPY out and load back gives the same rows (reals bit for bit, text
# with a tab, a newline and a backslash, '' apart from NULL); an existing remote table is refused without replace=yes
"$Q" --keep-going -c "$ATT" -c "load sample-data/orders.csv as orders" \
    -c "rfm orders customer=customer_id date=ts amount=amount as seg" \
    -c "UPDATE seg SET segment = 'a' || char(9) || 'b\\c' || char(10) || 'd' WHERE customer_id = 1" \
    -c "UPDATE seg SET segment = '' WHERE customer_id = 2" -c "UPDATE seg SET segment = NULL WHERE customer_id = 3" \
    -c "export seg pg.seg" -c "export seg pg.seg" -c "UPDATE seg SET recency = recency + 1" \
    -c "export seg pg.seg replace=yes" -c "load pg.seg as back" \
    -c "SELECT 'diff:' || count(*) AS d FROM (SELECT * FROM seg EXCEPT SELECT * FROM back)" \
    -c "SELECT 'rows:' || count(*) AS d FROM back" > "$T/out" 2>&1
grep -q "^wrote 4841 rows of 'seg' to PostgreSQL as public.seg (COPY)" "$T/out" || { cat "$T/out"; fail "export"; }
grep -q '^error: the server has a table public.seg already' "$T/out" || fail "export over a remote table not refused"
grep -q '^to replace it, type: export seg pg.seg replace=yes' "$T/out" || fail "export refusal without the hint"
grep -Eq '^ *diff:0$' "$T/out" || { cat "$T/out"; fail "exported rows came back different"; }
grep -Eq '^ *rows:4841$' "$T/out" || fail "exported rows missing"
[ "$(pg_sql one "COPY (SELECT count(*) FROM seg WHERE customer_id = 2 AND segment = '' UNION ALL SELECT count(*) FROM seg WHERE customer_id = 3 AND segment IS NULL) TO STDOUT" | tr '\n' ,)" = 1,1, ] ||
    fail "'' and NULL did not reach the server apart"
[ "$(pg_sql one "COPY (SELECT segment FROM seg WHERE customer_id = 1) TO STDOUT")" = 'a\tb\\c\nd' ] ||
    fail "the server holds another text: $(pg_sql one "COPY (SELECT segment FROM seg WHERE customer_id = 1) TO STDOUT")"

# 3. errors leave the catalog as it was: the table list before and after
check_unchanged() { # $1: quarry's output, $2: what ran
    b=$(sed -n 's/^ *before:\(.*\)$/\1/p' "$1"); a=$(sed -n 's/^ *after:\(.*\)$/\1/p' "$1")
    [ -n "$b" ] && [ "$a" = "$b" ] || { cat "$1"; fail "$2: the catalog changed ($b / $a)"; }
}
list="(SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_schema ORDER BY 1))"
before="SELECT 'before:' || $list AS x;"
after="SELECT 'after:' || $list AS x;"
"$Q" --keep-going -c "load sample-data/orders.csv as orders" -c "$before" \
    -c "attach postgres 'host=127.0.0.1 port=$P user=quarry password=wr0ngpw dbname=postgres' as pg" \
    -c "$after" -c "history" > "$T/out" 2>&1
grep -q 'error: cannot connect to PostgreSQL: .*password authentication failed for user "quarry"' \
    "$T/out" || { cat "$T/out"; fail "wrong password: no clear error"; }
check_unchanged "$T/out" "wrong password"
grep -q 'password=\*\*\*' "$T/out" || fail "the history does not mask the password"
grep -v '^error\|^  attach' "$T/out" | grep -q wr0ngpw && fail "the password is in the history"

pg_sql one "SELECT 1" >/dev/null
dead=$((P == 65535 ? P - 1 : P + 1))
"$Q" --keep-going -c "load sample-data/orders.csv as orders" -c "$before" \
    -c "attach postgres 'host=127.0.0.1 port=$dead user=quarry password=sekret dbname=postgres' as pg" \
    -c "$after" > "$T/out" 2>&1
grep -q "error: cannot connect to PostgreSQL: connection to server at \"127.0.0.1\", port $dead failed" \
    "$T/out" || { cat "$T/out"; fail "no server: no clear error"; }
check_unchanged "$T/out" "no server"

# 4. terminated mid-query: a second session ends quarry's backend while it streams
# (the data query, not the catalogue look-up before it, which a loaded machine
# can hold long enough to be caught instead)
victim() { # $1: the statement that reads pg.slow_orders; output in $T/victim
    "$Q" --keep-going -c "$ATT" -c "load sample-data/orders.csv as orders" -c "$before" \
        -c "$1" -c "$after" > "$T/victim" 2>&1 &
    vpid=$!
    i=0
    while [ -z "$(pg_sql one "COPY (SELECT pid FROM pg_stat_activity WHERE usename = 'quarry' AND state = 'active' AND query NOT ILIKE '%pg_catalog%' AND query NOT ILIKE '%pg_attribute%') TO STDOUT" 2>/dev/null)" ]; do
        i=$((i + 1)); [ $i -lt 600 ] || { kill $vpid; pg_sql one "SELECT usename, state, left(query, 50) FROM pg_stat_activity"; fail "the remote query never started ($1)"; }
        sleep 0.1
    done
}
victim "load pg.slow_orders as s"
pg_sql one "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'quarry'" >/dev/null
wait $vpid
grep -q 'error: the connection to the server was lost mid-query (FATAL:  terminating connection due to administrator command)' "$T/victim" ||
    { cat "$T/victim"; fail "terminated load: no clear error"; }
check_unchanged "$T/victim" "terminated load"
victim "rfm pg.slow_orders customer=customer_id date=ts amount=amount as r"
pg_sql one "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'quarry'" >/dev/null
wait $vpid
grep -q 'error: the connection to the server was lost mid-query' "$T/victim" ||
    { cat "$T/victim"; fail "terminated rfm: no clear error"; }
check_unchanged "$T/victim" "terminated rfm"

# 5. Ctrl-C (SIGINT) cancels on the server: quarry says so and the query is gone there
victim "rfm pg.slow_orders customer=customer_id date=ts amount=amount as r"
kill -INT $vpid
wait $vpid
grep -q 'error: interrupted; the catalog is unchanged' "$T/victim" ||
    { cat "$T/victim"; fail "SIGINT: not interrupted"; }
grep -q 'after:' "$T/victim" && fail "SIGINT: the statements after the cancelled one ran"
# rfm's query sends nothing until it has grouped every row, so the backend would sleep
# on for about 140 s after quarry hung up; cancelled, it ends at once: wait at most 10 s
i=0
while [ "$(pg_sql one "COPY (SELECT count(*) FROM pg_stat_activity WHERE usename = 'quarry' AND state = 'active') TO STDOUT")" != 0 ]; do
    i=$((i + 1)); [ $i -lt 100 ] || fail "the cancelled query still runs on the server"
    sleep 0.1
done
echo "pg_rfm: ok"
