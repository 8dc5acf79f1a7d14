# A remote query's result loaded (issue 20: "load NAME.table as T copies a
# remote table or query result"), against a real PostgreSQL 15 server
# started here on a loopback port as an unprivileged user (exit 77, a
# skip, without one):
# - CREATE TABLE t AS SELECT ... FROM pg.TABLE ... typed at the prompt runs
#   the query on the server (read-only, said so) and copies its rows into
#   the local table t: the same rows as the same statement over the local
#   copy; load 'SELECT ... FROM pg.TABLE ...' as t does the same;
# - as a load: a table that exists is refused (IF NOT EXISTS leaves it),
#   a result over set memory is refused first with PostgreSQL's estimate,
#   a query the server refuses, and Ctrl-C (cancelled on the server), leave
#   the catalog unchanged; undo takes the table back;
# - local SQL whose alias is the attached NAME (FROM orders pg ...
#   pg.customer_id) stays local.
set -u
Q=$QUARRY
T=${QUARRY_TMP:-/tmp}/pg_query
mkdir -p "$T"
fail() { echo "pg_query: $*"; exit 1; }
. tests/sh/pg_server.inc
pg_sample one
list="(SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_schema ORDER BY 1))"

# 1. CREATE TABLE AS and load 'QUERY': the rows of the query run here over the local copy
agg="SELECT customer_id, count(*) AS n, sum(amount) AS total FROM"
"$Q" --format=csv -c "$ATT" -c "$LO" -c "$LE" \
    -c "CREATE TABLE r AS $agg pg.orders WHERE amount > 20 GROUP BY customer_id" \
    -c "CREATE TABLE l AS $agg orders WHERE amount > 20 GROUP BY customer_id" \
    -c "load 'SELECT * FROM pg.events WHERE event = ''purchase''' as pr" \
    -c "SELECT 'diff', (SELECT count(*) FROM r), (SELECT count(*) FROM (SELECT customer_id, n, printf('%.6f', total) FROM l EXCEPT SELECT customer_id, n, printf('%.6f', total) FROM r)), (SELECT count(*) FROM (SELECT customer_id, n, printf('%.6f', total) FROM r EXCEPT SELECT customer_id, n, printf('%.6f', total) FROM l))" \
    -c "SELECT 'types', typeof(customer_id), typeof(n), typeof(total) FROM r WHERE customer_id = 3658" \
    -c "SELECT 'purchases', (SELECT count(*) FROM pr), (SELECT count(*) FROM events WHERE event = 'purchase'), (SELECT count(*) FROM (SELECT * FROM pr EXCEPT SELECT * FROM events WHERE event = 'purchase'))" \
    > "$T/out" 2>&1 || { cat "$T/out"; fail "CREATE TABLE AS / load 'QUERY'"; }
grep -q "^loaded [0-9]* rows x 3 columns into 'r' (PostgreSQL's estimate was [0-9]*), the query run on PostgreSQL (pg, read-only): SELECT customer_id, .* FROM \"public\".\"orders\" WHERE amount > 20 GROUP BY customer_id$" \
    "$T/out" || { cat "$T/out"; fail "CREATE TABLE AS did not load from the server, or did not say so"; }
grep -Eq '^diff,4[0-9]{3},0,0$' "$T/out" || { grep '^diff' "$T/out"; fail "CREATE TABLE AS: remote rows differ from local"; }
grep -q '^types,integer,integer,real$' "$T/out" || { grep '^types' "$T/out"; fail "column types"; }
grep -Eq '^purchases,([1-9][0-9]+),\1,0$' "$T/out" || { grep '^purchases' "$T/out"; fail "load 'QUERY' rows"; }

# 2. a load's rules: exists, IF NOT EXISTS, memory, a refused query, undo
"$Q" --format=csv --keep-going -c "$ATT" -c "$LO" -c "SELECT 'before:' || $list AS x" \
    -c "CREATE TABLE orders AS SELECT * FROM pg.orders" \
    -c "CREATE TABLE IF NOT EXISTS orders AS SELECT * FROM pg.orders" \
    -c "set memory=1" -c "CREATE TABLE big AS SELECT a.* FROM pg.events a, pg.events b WHERE a.customer_id = b.customer_id" \
    -c "set memory=512" -c "CREATE TABLE bad AS SELECT nosuch FROM pg.orders" \
    -c "load 'SELECT * FROM pg.events' as ev" -c "load 'SELECT * FROM pg.events'" \
    -c "SELECT 'after:' || $list AS x" -c "CREATE TABLE e2 AS SELECT * FROM pg.events LIMIT 10" \
    -c "undo" -c "SELECT 'undone:' || $list AS x" > "$T/out" 2>&1
grep -q "^error: table 'orders' already exists" "$T/out" || { cat "$T/out"; fail "an existing table not refused"; }
grep -q "^table 'orders' exists already: nothing loaded (IF NOT EXISTS)" "$T/out" || fail "IF NOT EXISTS"
grep -q "^error: PostgreSQL estimates the query's result at [0-9]* rows .* over set memory=1 MiB: not loaded" \
    "$T/out" || { cat "$T/out"; fail "a result over set memory not refused first"; }
grep -q '^error: the server refused the query: .*column "nosuch" does not exist' "$T/out" || fail "a refused query"
grep -q "^error: a query's result needs a table name: load 'SELECT \* FROM pg.events' as NAME" "$T/out" ||
    fail "load 'QUERY' without as"
grep -q '^before:orders$' "$T/out" && grep -q '^"after:ev,orders"$' "$T/out" ||
    { cat "$T/out"; fail "the failed statements changed the catalog"; }
grep -q '^"undone:ev,orders"$' "$T/out" || fail "undo did not take the table back"

# 3. Ctrl-C cancels the query on the server; the catalog is unchanged
pg_sql one "CREATE VIEW slow AS SELECT o.* FROM orders o, LATERAL (SELECT pg_sleep(0.01 + 0 * o.order_id)) s" >/dev/null
"$Q" --keep-going -c "$ATT" -c "$LO" -c "SELECT 'before:' || $list AS x" \
    -c "CREATE TABLE s AS SELECT customer_id, count(*) FROM pg.slow GROUP BY 1" \
    -c "SELECT 'after:' || $list AS x" > "$T/victim" 2>&1 &
vpid=$!
i=0
while [ -z "$(pg_sql one "COPY (SELECT pid FROM pg_stat_activity WHERE usename = 'quarry' AND state = 'active' AND query LIKE '%slow%' AND query NOT LIKE 'EXPLAIN%' AND query NOT LIKE '%LIMIT 0') TO STDOUT" 2>/dev/null)" ]; do
    i=$((i + 1)); [ $i -lt 600 ] || { kill $vpid; fail "the remote query never started"; }
    sleep 0.1
done
kill -INT $vpid
wait $vpid
grep -q 'error: interrupted; the catalog is unchanged' "$T/victim" || { cat "$T/victim"; fail "SIGINT: not interrupted"; }
grep -q 'after:' "$T/victim" && fail "SIGINT: the statements after the cancelled one ran"
i=0
while [ "$(pg_sql one "COPY (SELECT count(*) FROM pg_stat_activity WHERE usename = 'quarry' AND state = 'active') TO STDOUT")" != 0 ]; do
    i=$((i + 1)); [ $i -lt 100 ] || fail "the cancelled query still runs on the server"
    sleep 0.1
done

# 4. an alias equal to the attached name in local SQL stays local
"$Q" --format=csv -c "$ATT" -c "$LO" \
    -c "SELECT 'alias', count(DISTINCT pg.customer_id) FROM orders pg" \
    -c "SELECT 'as', pg.amount FROM orders AS pg WHERE pg.order_id = 100002" \
    -c "WITH pg AS (SELECT 7 AS a) SELECT 'with', pg.a FROM pg" \
    -c "SELECT 'remote', count(*) FROM pg.orders o WHERE o.amount > 100" > "$T/out" 2>&1 ||
    { cat "$T/out"; fail "an alias named pg"; }
grep -q '^alias,4850$' "$T/out" || { cat "$T/out"; fail "FROM orders pg: not run here"; }
grep -q '^as,136.99$' "$T/out" && grep -q '^with,7$' "$T/out" || { cat "$T/out"; fail "AS pg / WITH pg: not run here"; }
grep -q '^ran on PostgreSQL (pg, read-only): .*FROM "public"."orders" o WHERE' "$T/out" &&
    grep -q '^remote,13660$' "$T/out" || { cat "$T/out"; fail "pg.orders o no longer remote"; }
[ "$(grep -c '^ran on PostgreSQL' "$T/out")" = 1 ] || fail "a local statement ran remotely"
echo "pg_query: ok"
