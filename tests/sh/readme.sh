# The README's worked session is the transcript tests/transcripts/readme.out
# (which the transcript test checks against quarry's real output).
set -eu
awk '/^## A worked session/ { on = 1 } on && /^```text$/ { inblock = 1; next }
     inblock && /^```$/ { exit } inblock { print }' README.md > "$QUARRY_TMP/readme.block"
diff -u tests/transcripts/readme.out "$QUARRY_TMP/readme.block"

# Every later example starts where `make run` starts (sample-data/load.qry
# run first) and must print what the README shows: its statements (after
# `quarry> `, continued after `   ...> `) run in a fresh quarry, in a
# scratch folder (the files they write land there), and the output from
# the block's first statement on is compared with the block.
top=$PWD
cd "$QUARRY_TMP"
ln -sf "$top/sample-data" sample-data
awk '/^## A worked session/ { seen = 1 } /^```text$/ { n++; inblock = 1; next }
     inblock && /^```$/ { inblock = 0; next }
     inblock && n > 1 { print > ("readme_block" n ".txt") }' "$top/README.md"
n=0
for b in readme_block*.txt; do
    n=$((n + 1))
    sed -n 's/^quarry> //p; s/^   \.\.\.> //p' "$b" > "$b.qry"
    env -u COLUMNS LC_ALL=C.UTF-8 QUARRY_HISTORY=/dev/null "$QUARRY" --echo \
        -f sample-data/load.qry -f "$b.qry" > "$b.all" 2>&1 || true
    awk -v first="quarry> $(head -1 "$b.qry")" 'index($0, first) == 1 { on = 1 } on' \
        "$b.all" > "$b.got"
    diff -u "$b" "$b.got" || { echo "readme: the README's example $b differs from what quarry prints"; exit 1; }
done
[ "$n" -ge 3 ] || { echo "readme: found $n examples after the worked session, expected 3"; exit 1; }
