# exog= for the neural forecasters against planted truth
# (tests/data/exog_planted.csv, tests/oracles/exog_planted.py): two monthly
# series driven by a regressor x drawn independently each month, group a
# y = 3x + e and group b y = 50 - 2x + e (e: sd 0.1), the last 6 months of
# each with x and no y. For every network (lags=3, seed=1; cnn 3 layers of 32 filters):
#  - the holdout RMSE with exog=x is under 0.3x the RMSE without (the
#    series' own past says nothing of x; seen 0.02-0.17x);
#  - the future uses the given x: raising x by 2 in a's and b's first
#    future month moves that month's forecast by 3 x 2 = +6 and -2 x 2 = -4
#    (within 30%), and leaves every earlier prediction as it was (the fit
#    never sees the future rows);
#  - a model with regressors continued without their future, and a missing
#    future regressor, are refused with ARIMA's messages.
set -u
Q=$QUARRY
T=$QUARRY_TMP/forecast_exog
mkdir -p "$T"
fail() { echo "forecast_exog: $*"; exit 1; }

run() { # run NAME statements...: quarry in csv mode over a fresh catalog
    name=$1
    shift
    "$Q" --format=csv "$@" > "$T/$name.out" 2>&1 || fail "$name failed: $(tail -5 "$T/$name.out")"
}

for m in mlp cnn rnn lstm gru wavelet; do
    rm -f "$T"/*.csv
    o="lags=3 seed=1"
    [ $m = cnn ] && o="$o layers=3 filters=32" # method A's 5 x 128 is slow under ASan
    run "$m" -c "load tests/data/exog_planted.csv as ex" \
        -c "CREATE TABLE ex0 AS SELECT * FROM ex WHERE y IS NOT NULL" \
        -c "forecast ex0 date=period value=y by=grp model=$m holdout=12 $o as f0" \
        -c "forecast ex date=period value=y by=grp model=$m holdout=12 $o exog=x as f1" \
        -c "UPDATE ex SET x = x + 2 WHERE period = '2020-01-01'" \
        -c "forecast ex date=period value=y by=grp model=$m holdout=12 $o exog=x as f2" \
        -c "export f0 $T/f0.csv" -c "export f1 $T/f1.csv" -c "export f2 $T/f2.csv"
    # the holdout RMSE of each run
    rmse() {
        awk -F, 'FNR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        $(c["part"]) == "holdout" { d = $(c["error"]); s += d * d; n++ }
        END { if (n != 24) exit 1; printf "%.6f\n", sqrt(s / n) }' "$1"
    }
    r0=$(rmse "$T/f0.csv") || fail "$m: no 24 holdout rows without exog"
    r1=$(rmse "$T/f1.csv") || fail "$m: no 24 holdout rows with exog"
    echo "$m: holdout RMSE without exog $r0, with exog=x $r1"
    awk -v a="$r1" -v b="$r0" 'BEGIN { exit !(a <= 0.3 * b) }' ||
        fail "$m: RMSE with exog $r1 is not under 0.3 x the $r0 without"
    # the forecast moves with the future x, and nothing before it
    moved=$(awk -F, 'FNR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    NR == FNR { p[$(c["grp"]), $(c["period"])] = $(c["predicted"]); next }
    {
        k = $(c["grp"]) SUBSEP $(c["period"]); q = $(c["predicted"])
        if ($(c["period"]) < "2020-01-01" && p[k] != q) { print "changed", $(c["grp"]), $(c["period"]); exit }
        if ($(c["period"]) == "2020-01-01") d[$(c["grp"])] = q - p[k]
    }
    END { printf "%.6f %.6f\n", d["a"], d["b"] }' "$T/f1.csv" "$T/f2.csv")
    set -- $moved
    [ "$1" != changed ] || fail "$m: x of 2020-01 changed the earlier prediction of $2 $3"
    echo "$m: x + 2 in 2020-01 moved a's forecast by $1 (planted +6), b's by $2 (planted -4)"
    awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= 4.2 && a <= 7.8 && b <= -2.8 && b >= -5.2) }' ||
        fail "$m: the forecast moved by $1 and $2, not about +6 and -4"
done

# refusals, as ARIMA's: continuing without the future; a future regressor missing
"$Q" -c "load tests/data/exog_planted.csv as ex" \
    -c "forecast ex date=period value=y by=grp model=gru lags=3 epochs=5 exog=x as fx" \
    -c "forecast fx horizon=3" > "$T/cont.out" 2>&1 && fail "continuing fx without its regressors ran"
grep -q "this gru network has 1 regressor: its forecasts need their future values" "$T/cont.out" ||
    fail "continuing without regressors: $(tail -3 "$T/cont.out")"
"$Q" -c "load tests/data/exog_planted.csv as ex" \
    -c "UPDATE ex SET x = NULL WHERE grp = 'b' AND period = '2020-03-01'" \
    -c "forecast ex date=period value=y by=grp model=mlp lags=3 epochs=5 exog=x" > "$T/miss.out" 2>&1 &&
    fail "a missing future regressor was accepted"
grep -q "regressor 1 of group 'b' is missing in period 243; exog= needs every regressor" "$T/miss.out" ||
    fail "a missing future regressor: $(tail -3 "$T/miss.out")"
echo "forecast_exog: ok"
