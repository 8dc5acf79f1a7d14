# Ctrl-C while a forecasting network trains (issue 17: "the best weights so
# far kept or discarded as the user says"): a gru set to train 100,000
# epochs gets SIGINT 3 s in (an epoch takes milliseconds, so it is past its
# first). interrupt=keep (the default) forecasts with the best weights so
# far and says so; interrupt=discard writes nothing. No time is asserted.
set -u
Q=$QUARRY
T=$QUARRY_TMP/forecast_interrupt
mkdir -p "$T"
fail() { echo "forecast_interrupt: $*"; exit 1; }
for mode in keep discard; do
    "$Q" -c "load tests/data/exog_planted.csv as ex" \
        -c "forecast ex date=period value=y by=grp model=gru lags=3 hidden=8 epochs=100000 patience=0 exog=x interrupt=$mode as fk" \
        > "$T/$mode.out" 2> "$T/$mode.err" &
    pid=$!
    sleep 3
    kill -INT $pid
    wait $pid
    rc=$?
    [ $rc = 130 ] || fail "$mode: exit $rc, not 130: $(tail -3 "$T/$mode.err")"
done
grep -q "interrupted (Ctrl-C) while training a at epoch [0-9]*: kept its best weights so far" \
    "$T/keep.out" || fail "keep: $(tail -5 "$T/keep.out") $(cat "$T/keep.err")"
grep -q "^forecast: gru with 1 regressor on 1 series" "$T/keep.out" ||
    fail "keep: no forecast written: $(tail -5 "$T/keep.out")"
grep -q "^forecast:" "$T/discard.out" && fail "discard: a forecast was written: $(cat "$T/discard.out")"
grep -q "interrupted; the catalog is unchanged" "$T/discard.err" ||
    fail "discard: $(cat "$T/discard.err")"
echo "forecast_interrupt: ok"
