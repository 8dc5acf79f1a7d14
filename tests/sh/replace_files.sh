# save and export never replace a file of another kind without being told
# (issue 13: `save data.csv` replaced the source CSV with a database,
# `export t big.qdb` replaced a workspace with a CSV, `export t o.json`
# and `o.parquet` wrote CSV under those names):
# 1. save over a CSV, an SQLite database of another program, and export
#    over a workspace are refused in -c, -f and piped input, the file
#    byte for byte as it was; the refusal gives the statement to type,
#    and typing exactly that (quoted path with a space and a quote
#    included) replaces it, save keeping the old file as .bak
# 2. what is still replaced without a word: save over a workspace, an
#    empty file, nothing; export over a CSV
# 3. export writes JSON and JSON Lines for real: Python's strict parser
#    (NaN and Infinity refused, bytes decoded as strict UTF-8) reads the
#    same rows as --format json prints for the table, reals equal to
#    Python's own arithmetic, infinities null, NUL kept, a byte that is
#    not UTF-8 as U+FFFD
# 4. an extension export does not write is refused with the list, and
#    nothing is written; format= writes it anyway
set -u
Q=$QUARRY
T=$QUARRY_TMP/replace_files
mkdir -p "$T"
fail() { echo "replace_files: $*"; exit 1; }
PY=/usr/bin/python3
mk="CREATE TABLE t(a INTEGER, b TEXT); INSERT INTO t VALUES (1, 'x'), (2, 'y');"

# 1. Refusals, in every non-interactive input, and the typed way through.
printf 'a,b\n1,x\n' > "$T/data.csv"
cp "$T/data.csv" "$T/data.orig"
out=$("$Q" -c "$mk save $T/data.csv" 2>&1) && fail "save over a CSV succeeded (-c)"
echo "$out" | grep -q "error: '$T/data.csv' is not a quarry workspace (it is not an SQLite database); save would replace it with a workspace" ||
    fail "save over a CSV message: $out"
printf '%s\nsave %s\n' "$mk" "$T/data.csv" > "$T/s.qry"
"$Q" -f "$T/s.qry" > "$T/out" 2>&1 && fail "save over a CSV succeeded (-f)"
printf '%s\nsave %s\n' "$mk" "$T/data.csv" | "$Q" > "$T/out" 2>&1 && fail "save over a CSV succeeded (stdin)"
cmp -s "$T/data.csv" "$T/data.orig" || fail "the refused save changed the CSV"
[ -e "$T/data.csv.bak" ] && fail "a refused save left a .bak"
typed=$(echo "$out" | sed -n 's/^to replace it, type: \(.*\) (the old file is kept as .*\.bak).*/\1/p')
[ "$typed" = "save $T/data.csv replace=yes" ] || fail "the statement to type: '$typed' in: $out"
"$Q" -c "$mk $typed" > "$T/out" 2>&1 || fail "the typed statement: $(cat "$T/out")"
"$Q" "$T/data.csv" -c "SELECT count(*) FROM t" 2>&1 | tail -1 | grep -q '^ *2$' ||
    fail "save replace=yes wrote no workspace"
cmp -s "$T/data.csv.bak" "$T/data.orig" || fail "the CSV was not kept as .bak"

# A name with a space and a quote: the statement to type quotes it, and works.
printf 'a\n1\n' > "$T/it's mine.csv"
out=$("$Q" -c "$mk save '$T/it''s mine.csv'" 2>&1) && fail "save over a quoted CSV succeeded"
typed=$(echo "$out" | sed -n 's/^to replace it, type: \(.*\) (the old file is kept as .*\.bak).*/\1/p')
[ "$typed" = "save '$T/it''s mine.csv' replace=yes" ] || fail "quoted statement: '$typed'"
"$Q" -c "$mk $typed" > "$T/out" 2>&1 || fail "the typed quoted statement: $(cat "$T/out")"
[ "$(head -c 15 "$T/it's mine.csv")" = "SQLite format 3" ] || fail "the quoted save wrote nothing"

# Another program's database (an application id set, as a GeoPackage's).
sqlite3 "$T/other.db" "PRAGMA application_id = 1196444487; CREATE TABLE keep(x); INSERT INTO keep VALUES (42)"
cp "$T/other.db" "$T/other.orig"
out=$("$Q" -c "$mk save $T/other.db" 2>&1) && fail "save over another program's database succeeded"
echo "$out" | grep -q "is an SQLite database of another program; save would replace it" ||
    fail "save over another program's database message: $out"
cmp -s "$T/other.db" "$T/other.orig" || fail "the refused save changed the database"

# export over a workspace: refused whatever the extension says, then typed.
"$Q" -c "$mk save $T/w.qdb" > /dev/null 2>&1 || fail "save w.qdb"
cp "$T/w.qdb" "$T/w.orig"
ln -s w.qdb "$T/w.csv"
out=$("$Q" -c "$mk export t $T/w.csv" 2>&1) && fail "export over a workspace succeeded"
echo "$out" | grep -q "error: '$T/w.csv' is a quarry workspace (an SQLite database); export would replace it with an exported table" ||
    fail "export over a workspace message: $out"
out=$("$Q" -c "$mk export t $T/w.qdb format=csv" 2>&1) && fail "export format=csv over a workspace succeeded"
cmp -s "$T/w.qdb" "$T/w.orig" || fail "the refused export changed the workspace"
typed=$(echo "$out" | sed -n 's/^to replace it, type: \(.*\); or export to another file name$/\1/p')
[ "$typed" = "export t $T/w.qdb format=csv replace=yes" ] || fail "export statement: '$typed'"
"$Q" -c "$mk $typed" > "$T/out" 2>&1 || fail "the typed export: $(cat "$T/out")"
printf 'a,b\n1,x\n2,y\n' | cmp -s - "$T/w.qdb" || fail "export replace=yes wrote: $(cat "$T/w.qdb")"

# 2. Replaced as before: a workspace by save, an empty file, a CSV by export.
"$Q" -c "$mk save $T/w2.qdb; INSERT INTO t VALUES (3, 'z'); save $T/w2.qdb" > "$T/out" 2>&1 ||
    fail "save over a workspace: $(cat "$T/out")"
: > "$T/empty.qdb"
"$Q" -c "$mk save $T/empty.qdb" > "$T/out" 2>&1 || fail "save over an empty file: $(cat "$T/out")"
"$Q" -c "$mk export t $T/data2.csv; export t $T/data2.csv" > "$T/out" 2>&1 ||
    fail "export over a CSV: $(cat "$T/out")"

# 3. JSON and JSON Lines, read by Python's strict parser.
vals="CREATE TABLE v(i INTEGER, r REAL, s TEXT);
INSERT INTO v VALUES (1, 1.0 / 3, 'plain'), (-9223372036854775808, 1e999, 'a' || char(0) || 'b'),
  (9223372036854775807, -1e999, CAST(x'ff41' AS TEXT)), (NULL, 0.1 + 0.2, 'q\"\\' || char(13, 10, 9, 27)),
  (0, 5e-324, NULL), (7, 1.7976931348623157e308, 'é€😀'), (8, 2.0 / 3, '');"
"$Q" -c "$vals export v $T/v.json; export v $T/v.jsonl; export v $T/v.ndjson" > "$T/out" 2>&1 ||
    fail "export json: $(cat "$T/out")"
"$Q" --format json -c "$vals SELECT * FROM v" > "$T/v.plain" 2> "$T/err" || fail "--format json: $(cat "$T/err")"
$PY - "$T/v.json" "$T/v.jsonl" "$T/v.ndjson" "$T/v.plain" <<'EOF' || fail "json checks"
import json, sys
def refuse(c):
    raise ValueError("non-standard constant " + c)
def strict(b):
    return json.loads(b.decode("utf-8"), parse_constant=refuse)
arr = strict(open(sys.argv[1], "rb").read())
lines = [strict(l) for l in open(sys.argv[2], "rb").read().split(b"\n") if l]
nd = [strict(l) for l in open(sys.argv[3], "rb").read().split(b"\n") if l]
plain = strict(open(sys.argv[4], "rb").read())
assert arr == lines == nd == plain, (arr, lines, plain)
assert [list(r) for r in arr] == [["i", "r", "s"]] * 7
want = [
    {"i": 1, "r": 1.0 / 3, "s": "plain"},
    {"i": -9223372036854775808, "r": None, "s": "a\x00b"},
    {"i": 9223372036854775807, "r": None, "s": "\ufffdA"},
    {"i": None, "r": 0.1 + 0.2, "s": 'q"\\\r\n\t\x1b'},
    {"i": 0, "r": 5e-324, "s": None},
    {"i": 7, "r": 1.7976931348623157e308, "s": "é€😀"},
    {"i": 8, "r": 2.0 / 3, "s": ""},
]
assert arr == want, arr
assert all(type(r["i"]) is int for r in arr if r["i"] is not None)
EOF

# 4. Extensions export does not write.
for ext in parquet xlsx txt csv.gz; do
    out=$("$Q" -c "$mk export t $T/o.$ext" 2>&1) && fail "export to .$ext succeeded"
    echo "$out" | grep -q "export does not write '\.${ext##*.}' files; it writes CSV (.csv), TSV (.tsv, .tab), JSON (.json) and JSON Lines (.jsonl, .ndjson)" ||
        fail ".$ext message: $out"
    [ -e "$T/o.$ext" ] && fail "export to .$ext wrote a file"
done
"$Q" -c "$mk export t $T/o.parquet format=jsonl" > "$T/out" 2>&1 || fail "format=jsonl: $(cat "$T/out")"
printf '{"a": 1, "b": "x"}\n{"a": 2, "b": "y"}\n' | cmp -s - "$T/o.parquet" ||
    fail "format=jsonl wrote: $(cat "$T/o.parquet")"
exit 0
