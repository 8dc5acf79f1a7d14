# Forecasting on the sample shop against its planted truth
# (sample-data/truth_monthly.csv, truth.md), with the thresholds here so a
# re-bless of tests/transcripts/forecast_compare.out cannot lower them:
#  - forecast models= (the compare): the best model reaches R >= 0.95 on
#    the 6-month holdout of the monthly value per segment, and its RMSE is
#    within 1.25x of the planted truth's own RMSE there (issue 17); the
#    truth's RMSE is computed here in awk from the exported series;
#  - exog=: ARIMA with the planted expected orders as regressor finds a
#    coefficient (value per expected order) within 5% of each segment's
#    planted mean order amount (truth.md: 208.57, 79.57, 26.48, 320.42).
set -u
Q=$QUARRY
T=$QUARRY_TMP/forecast_truth
mkdir -p "$T"
fail() { echo "forecast_truth: $*"; exit 1; }

"$Q" --format=csv -c "load sample-data/orders.csv" \
    -c "load sample-data/truth_segments.csv as segs" \
    -c "load sample-data/truth_monthly.csv as truth" \
    -c "CREATE TABLE os AS SELECT o.ts, o.amount, s.segment FROM orders o JOIN segs s USING (customer_id)" \
    -c "series os date=ts value=amount by=segment as monthly" \
    -c "set seed=1" \
    -c "forecast monthly date=period value=amount by=segment models=snaive,holtwinters,theta,arima season=12 as cmp" \
    -c "export cmp $T/cmp.csv" -c "export monthly $T/monthly.csv" \
    -c "CREATE TABLE mx AS SELECT m.segment, m.period, m.amount, t.expected_orders * t.customers AS orders_exp FROM monthly m JOIN truth t ON t.segment = m.segment AND t.month = m.period WHERE m.segment <> 'dormant'" \
    -c "forecast mx date=period value=amount by=segment model=arima order=1,0,0 exog=orders_exp as fx" \
    > "$T/out" 2>&1 || fail "the pipeline failed: $(tail -5 "$T/out")"

# the truth's holdout RMSE (2024-07..12, every segment) from the exported series
truth=$(awk -F, '
NR == FNR { if (FNR > 1) want[$1 SUBSEP $2] = $3 * $5; next }
FNR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
$(c["period"]) >= "2024-07-01" {
    k = $(c["segment"]) SUBSEP $(c["period"]); d = $(c["amount"]) - want[k]; s += d * d; n++
}
END { if (n != 30) exit 1; printf "%.6f\n", sqrt(s / n) }' sample-data/truth_monthly.csv "$T/monthly.csv") ||
    fail "expected 30 holdout values in the exported series"
best=$(awk -F, 'FNR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
$(c["rank"]) == 1 { print $(c["model"]), $(c["rmse"]), $(c["r"]) }' "$T/cmp.csv")
set -- $best
model=${1:-} rmse=${2:-} r=${3:-}
echo "best $model: RMSE $rmse, R $r; the planted truth's RMSE $truth"
[ -n "$rmse" ] || fail "no rank 1 in the compare table: $(head -3 "$T/cmp.csv")"
awk -v r="$r" 'BEGIN { exit !(r >= 0.95) }' || fail "best model $model has R $r < 0.95"
awk -v a="$rmse" -v t="$truth" 'BEGIN { exit !(a <= 1.25 * t) }' ||
    fail "best model $model: RMSE $rmse is over 1.25 x the truth's $truth"

# exog=: the coefficient per segment against the planted mean amount
for pair in champions:208.57 loyal:79.57 bargain_hunters:26.48 big_spenders:320.42; do
    seg=${pair%%:*} want=${pair#*:}
    got=$(sed -n "s/^\"*$seg: ARIMA.* x1=\([-0-9.e+]*\).*/\1/p" "$T/out")
    [ -n "$got" ] || fail "no x1 for $seg in: $(grep ARIMA "$T/out")"
    echo "$seg: value per expected order $got, planted mean amount $want"
    awk -v g="$got" -v w="$want" 'BEGIN { d = (g - w) / w; exit !(d < 0.05 && d > -0.05) }' ||
        fail "$seg: coefficient $got is not within 5% of $want"
done
echo "forecast_truth: ok"
