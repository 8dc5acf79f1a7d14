# Classification claims a transcript cannot hold (the thresholds live
# here, so re-blessing a .out cannot lower them):
#  1. on the sample shop (tests/transcripts/classify_sample.qry's
#     pipeline), naive Bayes trained on split's train rows predicts who
#     buys in December 2024 on the test rows at least 10 points above
#     always answering the commonest class; the accuracy is counted here
#     in SQL from the predicted column, apart from evaluate's code, and
#     evaluate must agree;
#  2. a model trained, saved in a workspace and opened by a new process
#     predicts the same probabilities bit for bit (REAL columns compared
#     with =, and their hex);
#  3. a model's state damaged in the workspace is an error naming the model;
#  4. plot roc writes a PNG (naive Bayes tells wine class 0 from the rest
#     almost perfectly on its training rows: AUC above 0.99).
set -u
Q=$QUARRY
T=$QUARRY_TMP/classify
mkdir -p "$T"
fail() { echo "classify: $*"; exit 1; }
command -v sqlite3 >/dev/null || fail "the sqlite3 shell is needed (apt-get install sqlite3)"

# 1. The margin over the majority baseline.
grep -v -e '^#' -e '^SELECT ' -e '^show ' -e '^compare ' -e '^evaluate ' \
    tests/transcripts/classify_sample.qry > "$T/pipeline.qry"
grep -q '^predict buy_nb buyers' "$T/pipeline.qry" || fail "classify_sample.qry no longer predicts"
out=$("$Q" -f "$T/pipeline.qry" -c "set format=csv" \
    -c "SELECT sum(predicted = buys) * 1.0 / count(*), max(sum(buys = 'yes'), sum(buys = 'no')) * 1.0 / count(*) FROM buyers WHERE split = 'test';" \
    -c "evaluate buy_nb buyers where='split = ''test'''" 2>&1) || fail "pipeline: $(echo "$out" | tail -5)"
line=$(echo "$out" | grep -A1 '^sum(predicted' | tail -1)
acc=${line%%,*} base=${line#*,}
awk -v a="$acc" -v b="$base" 'BEGIN { exit !(a >= b + 0.10) }' ||
    fail "accuracy $acc is not 10 points above the majority baseline $base"
eval_acc=$(echo "$out" | grep '^accuracy,' | cut -d, -f2)
awk -v a="$acc" -v e="$eval_acc" 'BEGIN { d = a - e; exit !(d < 0.00005 && d > -0.00005) }' ||
    fail "evaluate says accuracy $eval_acc, the predictions $acc"

# 2. Saved, opened by a new process, the same bits.
"$Q" -c "load tests/data/wine.csv as wine" \
    -c "CREATE TABLE w AS SELECT * FROM wine;" \
    -c "train w target=class model=nb as wine_nb" \
    -c "predict wine_nb w prob=yes into=p1" -c "save $T/w.qdb" >"$T/out" 2>&1 ||
    fail "train and save: $(tail -5 "$T/out")"
"$Q" "$T/w.qdb" -c "predict wine_nb w prob=yes into=p2" -c "save $T/w.qdb replace=yes" \
    >"$T/out" 2>&1 || fail "open and predict: $(tail -5 "$T/out")"
same=$(sqlite3 "$T/w.qdb" "SELECT count(*) FROM w WHERE p1 = p2 AND p1_0 = p2_0 AND p1_1 = p2_1
  AND p1_2 = p2_2 AND hex(p1_1) = hex(p2_1)")
[ "$same" = 178 ] || fail "only $same of 178 rows predicted the same after open"
diff=$(sqlite3 "$T/w.qdb" "SELECT count(*) FROM w WHERE p1 <> class")
[ "$diff" -lt 10 ] || fail "$diff of 178 wine rows mispredicted on the training data"

# 3. A damaged state names the model and the remedy.
cp "$T/w.qdb" "$T/cut.qdb"
sqlite3 "$T/cut.qdb" "UPDATE quarry_models SET state = substr(state, 1, length(state) - 30)" ||
    fail "sqlite3 cut"
"$Q" "$T/cut.qdb" -c "predict wine_nb w into=p3" >"$T/out" 2>"$T/err" && fail "a cut state predicted"
grep -q "^error: model 'wine_nb' is damaged" "$T/err" || fail "cut: $(cat "$T/err")"
grep -q "drop model wine_nb and fit it again" "$T/err" || fail "cut: no remedy: $(cat "$T/err")"
# 4. plot roc writes a PNG of the predictions' curve.
"$Q" "$T/w.qdb" -c "CREATE TABLE two AS SELECT class = 0 AS first, p1_0 FROM w;" \
    -c "plot roc two x=p1_0 y=first positive=1 to=$T/roc.png" >"$T/out" 2>&1 ||
    fail "plot roc: $(cat "$T/out")"
[ "$(head -c 4 "$T/roc.png" | od -An -c | tr -d ' ')" = "211PNG" ] || fail "roc.png is not a PNG"
grep -q "^ROC AUC 0.99[0-9][0-9]: p1_0 ranks a random '1' row" "$T/out" ||
    fail "plot roc on wine class 0: $(cat "$T/out")"
echo "classify: ok"
