# The rest of issue 20 against a real PostgreSQL 15 server, started here
# on a loopback port as an unprivileged user (exit 77, a skip, without one):
# - SQL typed at the prompt that names pg.TABLE runs on the server and says
#   so; its answer equals the same SQL over the local copy; a write and a
#   local table in it are refused clearly;
# - explain rfm|series|sessions|sample|rules pg.TABLE ... shows the SQL the
#   command sends, the very text the real run reports, and the server's
#   plan, without running it: no table is written and the server saw no
#   such query (pg_stat_database's transaction count moves by EXPLAIN only);
# - sample pg.orders draws on the server: n= rows, or frac= x rows rounded
#   as the local sample rounds, each an order of the log, the same rows
#   for the same seed;
# - rules pg.events tid= item= gathers one row per basket on the server and
#   gives the local rules' itemsets and rules row for row;
# - Tab completes pg.TABLE after a command and after FROM pg. in SQL.
set -u
Q=$QUARRY
T=${QUARRY_TMP:-/tmp}/pg_push
mkdir -p "$T"
fail() { echo "pg_push: $*"; exit 1; }
. tests/sh/pg_server.inc
pg_sample one

# 1. SQL at the prompt: on the server, said so, the local answer
sum="SELECT count(*) AS n, count(DISTINCT customer_id) AS c, sum(CASE WHEN amount > 100 THEN 1 ELSE 0 END) AS big"
"$Q" --format=csv --keep-going -c "$ATT" -c "$LO" -c "$sum FROM pg.orders" -c "$sum FROM orders" \
    -c "DELETE FROM pg.orders" -c "load sample-data/orders.csv as here" \
    -c "SELECT count(*) FROM pg.orders o JOIN here l USING (order_id)" > "$T/out" 2>&1
grep -q '^ran on PostgreSQL (pg, read-only): SELECT count(\*) AS n, .* FROM "public"."orders"$' "$T/out" ||
    { cat "$T/out"; fail "SQL naming pg.orders did not run remotely, or did not say so"; }
[ "$(grep -c '^69788,4850,13660$' "$T/out")" = 2 ] || { cat "$T/out"; fail "remote SQL differs from local"; }
grep -q "^error: only queries (SELECT, WITH, VALUES, TABLE) run on PostgreSQL, and 'pg.orders' is remote" \
    "$T/out" || { cat "$T/out"; fail "a remote DELETE not refused"; }
grep -q '^error: the server refused the query: .*relation "here" does not exist' "$T/out" ||
    { cat "$T/out"; fail "a local table in remote SQL: no clear error"; }
grep -q 'a local table is not there: load pg.orders as T to join the two here$' "$T/out" || fail "no hint for a local table"
[ "$(pg_sql one "COPY (SELECT count(*) FROM orders) TO STDOUT")" = 69788 ] || fail "the DELETE ran"

# 2. explain: the SQL the run sends, the plan, nothing run or written
xacts() { pg_sql one "COPY (SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'postgres') TO STDOUT"; }
for c in "rfm pg.orders customer=customer_id date=ts amount=amount asof=2024-06-30" \
         "series pg.orders date=ts value=amount period=month" \
         "sessions pg.events user=customer_id time=ts event=event gap=1h" \
         "rules pg.events tid=customer_id item=product minsup=0.05"; do
    w=${c%% *}
    "$Q" --format=csv -c "$ATT" -c "explain $c as x" -c "tables" -c "$c as y" > "$T/out" 2>&1 ||
        { cat "$T/out"; fail "explain $c"; }
    shown=$(sed -n "s/^$w would send this query to PostgreSQL (nothing ran, nothing written): //p" "$T/out")
    ran=$(sed -n "s/^$w: [a-z ]*\(pushed down to\|gathered on\) PostgreSQL ([^)]*): //p" "$T/out")
    [ -n "$shown" ] && [ "$shown" = "$ran" ] || { cat "$T/out"; fail "explain $w: not the SQL the run sends"; }
    grep -q '^QUERY PLAN$' "$T/out" || fail "explain $w: no plan"
    sed -n '/^name,/,/^$/p' "$T/out" | grep -q '^x' && fail "explain $w wrote a table"
done
# the server ran nothing but the EXPLAIN: rfm's query on slow orders would take minutes
pg_sql one "CREATE VIEW slow AS SELECT o.* FROM orders o, LATERAL (SELECT pg_sleep(0.01 + 0 * o.order_id)) s" >/dev/null
"$Q" -c "$ATT" -c "explain rfm pg.slow customer=customer_id date=ts amount=amount as r" \
    -c "tables" > "$T/out" 2>&1 || { cat "$T/out"; fail "explain over a slow view"; }
grep -q '^rfm would send' "$T/out" || fail "explain rfm over a view"
grep -q '^pg.slow ' "$T/out" || fail "tables after explain"
grep -q '^r ' "$T/out" && fail "explain rfm wrote its table"
"$Q" --keep-going -c "$ATT" -c "$LO" -c "explain rfm orders customer=customer_id date=ts amount=amount" \
    -c "explain describe pg.orders" > "$T/out" 2>&1
grep -q "^error: 'orders' is a local table: rfm over it runs here" "$T/out" || { cat "$T/out"; fail "explain of a local table"; }
grep -q "^error: explain COMMAND TABLE shows the SQL .* describe none" "$T/out" || fail "explain describe"

# 3. sample on the server: the count asked, real orders, the seed's rows again
"$Q" --format=csv --keep-going -c "$ATT" -c "$LO" -c "sample pg.orders n=250 seed=5 as a" \
    -c "sample pg.orders n=250 seed=5 as b" -c "sample pg.orders n=250 seed=6 as c" \
    -c "sample pg.orders frac=0.01 seed=5 as f" -c "sample pg.orders n=70000 as big" \
    -c "SELECT 'counts', (SELECT count(*) FROM a), (SELECT count(DISTINCT order_id) FROM a), (SELECT count(*) FROM f)" \
    -c "SELECT 'real', count(DISTINCT a.rowid) FROM a JOIN orders o ON o.order_id = a.order_id AND o.customer_id IS a.customer_id AND o.ts IS a.ts AND o.amount IS a.amount" \
    -c "SELECT 'same', (SELECT count(*) FROM a JOIN b USING (order_id)), (SELECT count(*) FROM a JOIN c USING (order_id)) < 50" \
    -c "tables" > "$T/out" 2>&1
grep -q '^sample: pushed down to PostgreSQL (250 rows came back): SELECT .* ORDER BY random() LIMIT 250$' \
    "$T/out" || { cat "$T/out"; fail "sample n= not pushed down"; }
grep -q '^counts,250,250,698$' "$T/out" || { cat "$T/out"; fail "sample counts (frac=0.01 of 69788 is 698)"; }
grep -q '^real,250$' "$T/out" || fail "sampled rows that are not orders"
grep -q '^same,250,1$' "$T/out" || { grep '^same' "$T/out"; fail "the same seed did not draw the same rows"; }
grep -q "^error: n=70000 is more than the 69788 rows of pg.orders" "$T/out" || fail "n= over the rows"
grep -q '^big,' "$T/out" && fail "a refused sample left its table"

# 4. rules: baskets gathered on the server = the local rules, row for row
"$Q" --format=csv -c "$ATT" -c "$LE" \
    -c "rules events tid=customer_id item=product minsup=0.05 minconf=0.6 as l" \
    -c "rules pg.events tid=customer_id item=product minsup=0.05 minconf=0.6 as r" \
    -c "SELECT 'baskets', count(*) FROM r_baskets" \
    -c "SELECT 'diff', (SELECT count(*) FROM (SELECT * FROM l EXCEPT SELECT * FROM r)), (SELECT count(*) FROM (SELECT * FROM r EXCEPT SELECT * FROM l)), (SELECT count(*) FROM (SELECT * FROM l_itemsets EXCEPT SELECT * FROM r_itemsets)), (SELECT count(*) FROM l), (SELECT count(*) FROM r_itemsets)" \
    > "$T/out" 2>&1 || { cat "$T/out"; fail "rules"; }
grep -q '^rules: baskets gathered on PostgreSQL (4989 rows came back into r_baskets): SELECT string_agg' \
    "$T/out" || { cat "$T/out"; fail "rules not pushed down"; }
grep -q '^baskets,4989$' "$T/out" || fail "one row per basket"
grep -Eq '^diff,0,0,0,[1-9][0-9]*,[1-9][0-9]*$' "$T/out" || { grep '^diff' "$T/out"; fail "remote rules differ from local"; }

# 5. Tab completes the attached database's tables
if command -v tmux >/dev/null 2>&1; then
    S=pgpush-$$
    tm() { command tmux -L "$S" "$@"; }
    trap 'tm kill-server 2>/dev/null; pg_cleanup' EXIT
    tm new-session -d -x 120 -y 20 "cd '$PWD' && QUARRY_HISTORY='$T/hist' QUARRY_RECOVERY_DIR='$T/rec' '$Q' --plain; sleep 30"
    wait_screen() { i=0; until tm capture-pane -p | grep -q "$1"; do
        i=$((i + 1)); [ $i -lt 100 ] || { tm capture-pane -p; fail "$2"; }; sleep 0.1; done; }
    wait_screen 'quarry>' "no prompt"
    tm send-keys "$ATT" Enter
    wait_screen '^attached PostgreSQL as pg' "attach in the terminal"
    tm send-keys "describe pg.or" Tab
    wait_screen '^quarry> describe pg.orders \?$' "Tab after a command: pg.orders"
    tm send-keys C-u "SELECT * FROM pg.ev" Tab
    wait_screen '^quarry> SELECT \* FROM pg.events \?$' "Tab after FROM pg.: events"
    tm send-keys C-u
fi
echo "pg_push: ok"
