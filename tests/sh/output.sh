# What plain mode prints: the machine formats stay parsable whatever the
# data holds (infinities, NUL, bytes that are not UTF-8, separators, quotes,
# CR/LF), and no control character from data or a message reaches the
# terminal raw.
set -u
Q=$QUARRY
T=$QUARRY_TMP/output
mkdir -p "$T"
fail() { echo "output: $*"; exit 1; }
PY=/usr/bin/python3
esc=$(printf '\033')

# JSON: strict RFC 8259 (Python's parser with NaN/Infinity refused, on the
# bytes decoded strictly as UTF-8); infinities are null, a NUL is kept as
# \u0000, a byte that is not UTF-8 is U+FFFD.
"$Q" --format json -c "SELECT 1e999 AS pinf, -1e999 AS ninf, 'a' || char(0) || 'b' AS nul,
  CAST(x'ff41' AS TEXT) AS bad, 0.1 + 0.2 AS r, 'q\"\\' || char(13, 10, 9, 27) AS ctl" \
    > "$T/j" 2>"$T/err" || fail "json run: $(cat "$T/err")"
$PY - "$T/j" <<'EOF' || fail "json: $(cat "$T/j")"
import json, sys
def refuse(c):
    raise ValueError("non-standard constant " + c)
rows = json.loads(open(sys.argv[1], "rb").read().decode("utf-8"), parse_constant=refuse)
r = rows[0]
assert r["pinf"] is None and r["ninf"] is None, r
assert r["nul"] == "a\x00b", repr(r["nul"])
assert r["bad"] == "\ufffdA", repr(r["bad"])
assert r["r"] == 0.30000000000000004, r["r"]   # full precision kept
assert r["ctl"] == 'q"\\\r\n\t\x1b', repr(r["ctl"])
EOF

# CSV (RFC 4180): separators, quotes, CR/LF and a leading space survive a
# round trip through Python's csv reader; '' is "" and NULL is nothing.
"$Q" --format csv -c "SELECT 'a,b' AS c1, 'say \"hi\"' AS c2, 'l1' || char(13, 10) || 'l2' AS c3,
  ' pad' AS c4, '' AS c5, NULL AS c6, 0.1 + 0.2 AS c7" > "$T/c" 2>"$T/err" ||
    fail "csv run: $(cat "$T/err")"
$PY - "$T/c" <<'EOF' || fail "csv: $(cat "$T/c")"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
assert rows[0] == ["c1", "c2", "c3", "c4", "c5", "c6", "c7"], rows[0]
assert rows[1] == ["a,b", 'say "hi"', "l1\r\nl2", " pad", "", "", "0.30000000000000004"], rows[1]
assert len(rows) == 2, rows
EOF
grep -q ',"",,0.30000000000000004$' "$T/c" || fail "csv: '' and NULL not apart: $(cat "$T/c")"

# TSV: one line per row; backslash, tab, LF and CR escaped.
out=$("$Q" --format tsv -c "SELECT 'a\\b' || char(9) || 'c' || char(10) || 'd' || char(13) AS s, 2 AS n" 2>/dev/null)
[ "$out" = "$(printf 's\tn\na\\\\b\\tc\\nd\\r\t2')" ] || fail "tsv: $out"

# Plain mode never sends a control character from data to the terminal: a
# column name from a file carrying an escape sequence, quoted by an error
# message ("did you mean"), comes out escaped, as do a C1 CSI and a byte
# that is not UTF-8 in a table cell.
printf 'amount\033[31m,b\n1,2\n3,4\n' > "$T/esc.csv"
"$Q" -c "load $T/esc.csv as t; cluster t cols=amount k=2" > "$T/out" 2> "$T/err"
grep -q "did you mean 'amount^\[\[31m'" "$T/err" || fail "escaped name missing: $(cat -v "$T/err")"
if grep -q "$esc" "$T/err" "$T/out"; then fail "raw ESC printed: $(cat -v "$T/err")"; fi
"$Q" -c "SELECT char(155) || '31m' AS c1, CAST(x'9b' AS TEXT) AS c2, 'x' || char(27) || ']0;t' || char(7) AS c3" \
    > "$T/out" 2>&1
grep -q '^\\x9b31m  ' "$T/out" || fail "C1 not escaped: $(cat -v "$T/out")"
$PY -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$T/out" || fail "invalid UTF-8 printed"
grep -q 'x^\[\]0;t^G' "$T/out" || fail "OSC not escaped: $(cat -v "$T/out")"
if grep -q "$esc" "$T/out"; then fail "raw ESC in a table: $(cat -v "$T/out")"; fi
exit 0
