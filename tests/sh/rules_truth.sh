# rules against independently known answers, as numbers a re-bless cannot
# move: (1) on Weka's supermarket.arff (4627 baskets; tests/data, gzipped)
# the frequent itemsets at 10% support, per size, number and total count
# equal tests/data/fim_supermarket_10.txt, written by the independent
# counter tests/oracles/fim.py, for each of the four methods; (2) on the
# sample shop's order lines the planted bundles (sample-data/
# truth_bundles.csv) are the top rules by lift: the first 20 rules name
# bundle products only, no rule mixes two bundles, and each anchor's best
# rule has a member of its own bundle as the consequent.
set -u
Q=$QUARRY
T=$QUARRY_TMP/rules_truth
mkdir -p "$T"
fail() { echo "rules_truth: $*"; exit 1; }

gunzip -c tests/data/supermarket.arff.gz > "$T/supermarket.arff" || fail "gunzip"
grep -v '^#' tests/data/fim_supermarket_10.txt > "$T/want"
for m in fpgrowth apriori eclat declat; do
    "$Q" -c "load $T/supermarket.arff as sm" \
        -c "rules sm minsup=0.1 maxlen=30 minconf=0.9 method=$m" \
        -c "CREATE TABLE per AS SELECT size, count(*) AS n, sum(count) AS total FROM sm_rules_itemsets GROUP BY size ORDER BY size" \
        -c "export per $T/per_$m.csv" > "$T/out_$m" 2>&1 || fail "$m failed: $(tail -3 "$T/out_$m")"
    tail -n +2 "$T/per_$m.csv" | tr ',' ' ' > "$T/got_$m"
    cmp -s "$T/got_$m" "$T/want" ||
        fail "$m on supermarket: got $(tr '\n' ';' < "$T/got_$m") want $(tr '\n' ';' < "$T/want")"
done

"$Q" -c "load sample-data/order_items.csv as oi" -c "load sample-data/truth_bundles.csv as truth" \
    -c "rules oi tid=order_id item=product minsup=0.002 minconf=0.5 as shop" \
    -c "CREATE TABLE chk AS SELECT (SELECT min(rule) FROM shop_items WHERE item NOT IN (SELECT product FROM truth)) AS first_outside, (SELECT count(*) FROM shop_items i JOIN truth a ON a.product = i.item JOIN shop_items j ON j.rule = i.rule JOIN truth b ON b.product = j.item WHERE a.bundle <> b.bundle) AS mixed, (SELECT count(*) FROM truth t WHERE t.role = 'anchor' AND EXISTS (SELECT 1 FROM shop_items c JOIN truth m ON m.product = c.item AND m.bundle = t.bundle AND m.role = 'member' WHERE c.side = 'consequent' AND c.rule = (SELECT min(rule) FROM shop WHERE antecedent = t.product))) AS anchors_ok" \
    -c "export chk $T/chk.csv" > "$T/out_shop" 2>&1 || fail "shop failed: $(tail -3 "$T/out_shop")"
set -- $(tail -n 1 "$T/chk.csv" | tr ',' ' ')
[ "$1" -gt 20 ] || fail "a rule among the top 20 by lift names a product outside the bundles (rule $1)"
[ "$2" -eq 0 ] || fail "$2 rule items mix two bundles"
[ "$3" -eq 5 ] || fail "only $3 of 5 anchors have their own members as best consequent"
exit 0
