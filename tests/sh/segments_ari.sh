# Clustering recovers the planted customer segments: ARI >= 0.9 against
# sample-data/truth_segments.csv. The pipeline is tests/transcripts/segments.qry
# (its statements, without the elbow, the display queries and the profile),
# so a better feature set there is tested here too. The threshold lives in
# this script, not in segments.out, so re-blessing the transcript cannot
# lower it. The ARI is computed here in awk from the contingency table of
# the exported labels against the truth file (Hubert and Arabie 1985), apart
# from quarry's clustering and scoring code; score's own ARI must agree.
set -u
Q=$QUARRY
T=$QUARRY_TMP/segments_ari
mkdir -p "$T"
fail() { echo "segments_ari: $*"; exit 1; }

grep -v -e '^#' -e '^elbow ' -e '^SELECT ' -e '^profile ' -e '^score ' \
    tests/transcripts/segments.qry > "$T/pipeline.qry"
grep -q '^cluster shop ' "$T/pipeline.qry" || fail "segments.qry no longer clusters 'shop'"
"$Q" -f "$T/pipeline.qry" -c "export shop $T/shop.csv" \
    -c "score shop label=cluster truth=truth" > "$T/out" 2>&1 ||
    fail "the pipeline failed: $(tail -5 "$T/out")"

# Labels by customer from the export, truth from the generator's file.
awk -F, '
NR == FNR {
    if (FNR == 1) { for (i = 1; i <= NF; i++) col[$i] = i; next }
    label[$(col["customer_id"])] = $(col["cluster"]); next
}
FNR == 1 { for (i = 1; i <= NF; i++) tcol[$i] = i; next }
{
    id = $(tcol["customer_id"]); s = $(tcol["segment"])
    if (!(id in label) || label[id] == "") { missing++; next }
    n++; cell[label[id] SUBSEP s]++; a[label[id]]++; b[s]++
}
function c2(x) { return x * (x - 1) / 2 }
END {
    for (k in cell) sij += c2(cell[k])
    for (k in a) { sa += c2(a[k]); na++ }
    for (k in b) { sb += c2(b[k]); nb++ }
    expect = sa * sb / c2(n)
    printf "%d %d %d %d %.6f\n", n, missing + 0, na, nb, (sij - expect) / ((sa + sb) / 2 - expect)
}' "$T/shop.csv" sample-data/truth_segments.csv > "$T/ari" || fail "awk failed"
read -r n missing n_labels n_truth ari < "$T/ari"
echo "rows $n, missing $missing, labels $n_labels, planted segments $n_truth, ARI $ari"
[ "$n" -eq 5000 ] && [ "$missing" -eq 0 ] || fail "expected 5000 labelled customers: $(cat "$T/ari")"
[ "$n_labels" -eq 5 ] && [ "$n_truth" -eq 5 ] || fail "expected 5 labels and 5 segments: $(cat "$T/ari")"
awk -v a="$ari" 'BEGIN { exit !(a >= 0.9) }' || fail "ARI $ari against the planted segments is below 0.9"
# score's ARI (4 decimals) is the same number
got=$(awk '$1 == "ari" { print $2 }' "$T/out")
[ -n "$got" ] || fail "no ari line from score: $(tail -8 "$T/out")"
awk -v a="$ari" -v g="$got" 'BEGIN { d = a - g; exit !(d < 0.00005 && d > -0.00005) }' ||
    fail "score says ARI $got, the contingency table says $ari"
exit 0
