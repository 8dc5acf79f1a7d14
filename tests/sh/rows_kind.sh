# Ordinary tables stay tested now that load and the commands make column
# tables by default (issue 18, docs/COLUMNS.md): these transcripts, which
# load, clean, normalize, cluster, classify, join, undo, save and open, run
# again with QUARRY_COLUMNS=off (every table an ordinary SQLite table) and
# must give their .out unchanged. columns_write, rules_columns and
# columns_sql compare the two kinds side by side in every run; make
# test-rows runs the whole suite with columns off.
fail() { echo "FAIL: $*"; exit 1; }
n=0
for t in load hostile_load prep cluster classify_iris clean_keys undo export series_sample \
         recommend_bundles rfm_sample sql workflow; do
    q=tests/transcripts/$t.qry
    [ -f "$q" ] || fail "no $q"
    flags=$(sed -n '1s/^# flags: //p' "$q")
    QUARRY_COLUMNS=off "$QUARRY" $flags --keep-going -f "$q" > "$QUARRY_TMP/$t.actual" 2>&1
    diff -u "tests/transcripts/$t.out" "$QUARRY_TMP/$t.actual" > "$QUARRY_TMP/$t.diff" ||
        { head -30 "$QUARRY_TMP/$t.diff"; fail "$t differs with columns off"; }
    n=$((n + 1))
done
echo "ok: $n transcripts with ordinary tables"
