# Item CF recovers the planted bundles: for a customer who bought only a
# bundle's anchor, the first m recommendations are exactly the bundle's m
# other members (sample-data/truth_bundles.csv, read here, apart from
# quarry); and item CF beats the popularity baseline on precision@10 in
# evalrec. The pipeline is tests/transcripts/recommend_bundles.qry's first
# statements; the threshold lives here so re-blessing its .out cannot lower it.
set -u
Q=$QUARRY
T=$QUARRY_TMP/recommend_bundles
mkdir -p "$T"
fail() { echo "recommend_bundles: $*"; exit 1; }

grep -e '^load ' -e '^sql create' -e '^sql insert' -e '^recommend ' -e '^rules ' -e '^evalrec ' \
    tests/transcripts/recommend_bundles.qry > "$T/pipeline.qry"
grep -q '^recommend bought ' "$T/pipeline.qry" || fail "the transcript no longer recommends"
"$Q" -f "$T/pipeline.qry" \
    -c "sql create table top as select user, rank, item from recs where user >= 900001;" \
    -c "export top $T/top.csv" > "$T/out" 2>&1 || fail "the pipeline failed: $(tail -5 "$T/out")"

# anchor customer per bundle, in the order the transcript inserts them
awk -F, '
NR == FNR { if (FNR > 1) top[$1, $2] = $3; next }
FNR == 1 { next }
$5 == "anchor" { b++; cust[$1] = 900000 + b; next }
{ want[$1] = want[$1] "|" $2; m[$1]++ }
END {
    for (k in want) {
        got = ""
        for (r = 1; r <= m[k]; r++) got = got "|" top[cust[k], r]
        n = split(want[k], w, "|"); ok = 1
        for (i = 2; i <= n; i++) if (index(got "|", "|" w[i] "|") == 0) ok = 0
        printf "%s %s %s\n", k, ok ? "ok" : "MISS", got
        if (!ok) bad++
    }
    exit bad > 0
}' "$T/top.csv" sample-data/truth_bundles.csv > "$T/check" || fail "$(cat "$T/check")"
[ "$(wc -l < "$T/check")" -eq 5 ] || fail "expected 5 bundles: $(cat "$T/check")"
cat "$T/check"

p_cf=$(awk '$1 == "itemcf" { print $3 }' "$T/out")
p_pop=$(awk '$1 == "popular" { print $3 }' "$T/out")
[ -n "$p_cf" ] && [ -n "$p_pop" ] || fail "no evalrec rows: $(tail -6 "$T/out")"
awk -v a="$p_cf" -v b="$p_pop" 'BEGIN { exit !(a > b) }' ||
    fail "item CF precision@10 $p_cf does not beat popularity $p_pop"
echo "precision@10: itemcf $p_cf, popular $p_pop"
