# Every demo (fast=yes, plain mode) in one session: the figures each prints
# are checked here against what the sample's planted truth implies (the
# thresholds live in this script, so re-blessing tests/transcripts/demo_*.out
# cannot lower them), then `history save` of that session is replayed by
# quarry -f in a fresh process and every table of the two catalogs must be
# identical, row for row (sqlite3's .dump of both workspaces).
set -u
Q=$QUARRY
T=$QUARRY_TMP/demo_replay
mkdir -p "$T"
fail() { echo "demo_replay: $*"; exit 1; }

"$Q" -c "demo segments-forecast fast=yes" -c "demo behaviour fast=yes" \
    -c "demo purchase fast=yes" -c "demo survey fast=yes" -c "demo marketing fast=yes" \
    -c "history save $T/script.qry" -c "save $T/live.qry.db" > "$T/live.out" 2>&1 ||
    fail "the demos failed: $(grep -m3 '^error' "$T/live.out")"
for d in segments-forecast behaviour purchase survey marketing; do
    grep -q "^demo $d done" "$T/live.out" || fail "demo $d did not finish"
done
grep -q '^demo ' "$T/script.qry" && fail "demo itself was saved in the script"
n=$(grep -c -v '^#' "$T/script.qry")
[ "$n" -eq 117 ] || fail "the script holds $n statements, not the 117 of the steps (33+21+14+21+24, and E's 4 timed rows)"

"$Q" -f "$T/script.qry" -c "save $T/replay.qry.db" > "$T/replay.out" 2>&1 ||
    fail "the replay failed: $(grep -m3 '^error' "$T/replay.out")"
# Every table, row for row, the models and transforms included; only the
# times things were made may differ (quarry_meta, and the created column of
# quarry_models and quarry_transforms).
dump() {
    sqlite3 "$1" "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                  AND name <> 'quarry_meta' ORDER BY name" |
        while read -r t; do
            echo "== $t"
            case $t in
            quarry_models | quarry_transforms)
                sqlite3 "$1" "SELECT name, kind, source, cols, summary, hex(state) FROM $t ORDER BY name" ;;
            *) sqlite3 "$1" ".dump '$t'" ;;
            esac
        done
}
dump "$T/live.qry.db" > "$T/live.dump"
dump "$T/replay.qry.db" > "$T/replay.dump"
nt=$(grep -c '^== ' "$T/live.dump")
[ "$nt" -ge 70 ] || fail "only $nt tables in the live catalog"
cmp -s "$T/live.dump" "$T/replay.dump" ||
    fail "the replayed catalog differs: $(diff "$T/live.dump" "$T/replay.dump" | head -5)"

q() { sqlite3 "$T/live.qry.db" "$1"; }
check() { # check NAME SQL-that-returns-1
    [ "$(q "$2")" = 1 ] || fail "$1 ($(q "${3:-SELECT 0}"))"
}
# A: five planted segments, so k=5 puts at least 95% of the customers in
# their cluster's commonest segment, and the five clusters name five
# different segments; naive Bayes learns the segment (5 classes, chance
# 0.3) to at least 90% on the test rows; the pooled R of the CNN forecast is
# at least 0.9, as the four segments' planted levels differ several-fold.
check "A: k=5 purity under 0.95" \
    "SELECT sum(n) >= 0.95 * 5000 FROM (SELECT max(c) AS n FROM (SELECT k5, truth, count(*) AS c FROM sf_seg GROUP BY 1, 2) GROUP BY k5)"
check "A: the k=5 clusters do not name 5 segments" "SELECT count(DISTINCT segment) = 5 FROM sf_names"
acc=$(awk '/^sf_nb \(nb\) on .* where split/ { on = 1 } on && $1 == "accuracy" { print $2; exit }' "$T/live.out")
awk -v a="${acc:-0}" 'BEGIN { exit !(a >= 0.9) }' || fail "A: naive Bayes test accuracy ${acc:-none}, under 0.9"
R="(count(*) * sum(actual * predicted) - sum(actual) * sum(predicted)) / sqrt((count(*) * sum(actual * actual) - sum(actual) * sum(actual)) * (count(*) * sum(predicted * predicted) - sum(predicted) * sum(predicted)))"
check "A: the CNN's R under 0.9" "SELECT $R >= 0.9 FROM sf_hold" "SELECT $R FROM sf_hold"
# B: the sessions rule types about 94% of users as planted
# (sessions_sample.qry); a user's most similar user by cosine shares the
# planted type more often than chance (the commonest type's share); the
# clustering error ends under 20%, and the wavelet network's accuracy (100
# less the mean relative error over 4 weeks of about 400 Poisson purchases)
# is at least 80%.
check "B: typed as planted under 90%" \
    "SELECT avg(u.behaviour = CASE t.behaviour WHEN 'preference' THEN 'preference-driven' ELSE t.behaviour END) >= 0.9 FROM bh_users u JOIN bh_truth t USING (customer_id)"
check "B: the nearest user shares the type no more often than chance" \
    "SELECT (SELECT avg(a.behaviour = b.behaviour) FROM bh_sim s JOIN bh_truth a ON a.customer_id = s.customer_id JOIN bh_truth b ON b.customer_id = s.neighbour) > (SELECT max(c) FROM (SELECT 1.0 * count(*) / (SELECT count(*) FROM bh_truth) AS c FROM bh_truth GROUP BY behaviour))"
check "B: final clustering error 20% or more" \
    "SELECT clustering_error_pct < 20 FROM bh_iter ORDER BY iteration DESC LIMIT 1"
check "B: the wavelet network types under 94% of the held-out users" \
    "SELECT avg(predicted = planted) >= 0.94 FROM bh_z WHERE split = 'test'" \
    "SELECT avg(predicted = planted) FROM bh_z WHERE split = 'test'"
# C: a user's past activity predicts next month's purchase (the planted
# Poisson rates), so every model beats the majority baseline on the test month.
check "C: a model at or below the majority baseline" \
    "SELECT min(acc) > (SELECT 1 - avg(label) FROM pu_seq WHERE split = 'test') FROM (SELECT avg(p = label) AS acc FROM pu_held GROUP BY model)"
# D: Apriori and FP-Growth find the same itemsets with the same counts; the
# ten rules with the highest lift hold only planted bundle products
# (sample-data/truth.md); item CF beats popularity on precision@10.
check "D: Apriori and FP-Growth differ" \
    "SELECT (SELECT count(*) FROM sv_apriori_itemsets) = (SELECT count(*) FROM sv_fpgrowth_itemsets a JOIN sv_apriori_itemsets f USING (itemset) WHERE a.count = f.count)"
check "D: a top-10 rule holds a product of no bundle" \
    "SELECT count(*) = 0 FROM sv_apriori_items WHERE rule <= 10 AND item NOT IN ('Camping tent', 'Sleeping bag', 'Camping lantern', 'Espresso machine', 'Coffee beans 1kg', 'Smartphone X', 'Phone case', 'Screen protector', 'Pasta 500g', 'Tomato sauce', 'Parmesan 200g', 'Yoga mat', 'Yoga block')"
prec=$(awk '/^itemcf / { i = $3 } /^popular / { p = $3 } END { print i + 0, p + 0 }' "$T/live.out")
awk -v ip="$prec" 'BEGIN { split(ip, v, " "); exit !(v[1] > v[2] && v[1] > 0) }' ||
    fail "D: item CF precision@10 not above popularity ($prec)"
# E: the transacted group is every user with a purchase event, counted
# here from the log; 2024's payment grows on 2023's as the planted expected
# payment does (truth_monthly.csv), within 3 percentage points.
check "E: transacted is not the users with a purchase" \
    "SELECT customers = (SELECT count(DISTINCT customer_id) FROM mk_events WHERE event = 'purchase') FROM mk_groups WHERE customer_group = 'transacted'"
check "E: the yearly growth is off the planted one by 3 points or more" \
    "SELECT abs((SELECT sum(payment) FROM mk_trend WHERE period LIKE '2024%') / (SELECT sum(payment) FROM mk_trend WHERE period LIKE '2023%') - (SELECT sum(planted_payment) FROM mk_plan WHERE period LIKE '2024%') / (SELECT sum(planted_payment) FROM mk_plan WHERE period LIKE '2023%')) < 0.03" \
    "SELECT (SELECT sum(payment) FROM mk_trend WHERE period LIKE '2024%') / (SELECT sum(payment) FROM mk_trend WHERE period LIKE '2023%'), (SELECT sum(planted_payment) FROM mk_plan WHERE period LIKE '2024%') / (SELECT sum(planted_payment) FROM mk_plan WHERE period LIKE '2023%')"
check "E: mk_volume lacks a timed row per volume" \
    "SELECT count(*) = 4 AND count(DISTINCT rows) = 4 AND min(seconds) > 0 FROM mk_volume WHERE store = 'quarry (this run)'"
exit 0
