# Hostile files for load that are too big to commit or need a live process
# (issue 14); the small ones are in tests/transcripts/hostile_load.qry.
# 1. a 100 MB field loads whole; 100,000 and 2001 columns are an error
#    before any table is made (2000 load)
# 2. a file cut short while it loads: an error saying so (it was SIGBUS,
#    and the unsaved catalog was lost), the session goes on
# 3. a FIFO nobody writes to, and a big load: Ctrl-C (SIGINT) ends either
#    within a second; a FIFO and a pipe with data load; an endless pipe
#    stops at its bound with an error
set -u
Q=$QUARRY
T=$QUARRY_TMP/hostile_load
mkdir -p "$T"
fail() { echo "hostile_load: $*"; exit 1; }
ms() { echo $(( $(date +%s%N) / 1000000 )); }

# ---- 1. a 100 MB field; too many columns
{ printf 'id,blob\n1,'; head -c 104857600 /dev/zero | tr '\0' 'x'; printf '\n2,short\n'; } \
    > "$T/field.csv"
"$Q" -c "load $T/field.csv as f; SELECT id, length(blob) AS len, substr(blob, 1, 3) AS head \
FROM f" > "$T/out" 2>&1 || fail "100 MB field: $(head -c 600 "$T/out")"
grep -q '^ *1  104857600  xxx$' "$T/out" || fail "100 MB field: $(head -c 600 "$T/out")"
grep -q '^ *2          5  sho$' "$T/out" || fail "100 MB field, row 2: $(head -c 600 "$T/out")"
rm -f "$T/field.csv"

# wide N: a header c1..cN and one row 0..N-1
wide() {
    awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++) printf "%sc%d", (i > 1 ? "," : ""), i;
        print ""; for (i = 1; i <= n; i++) printf "%s%d", (i > 1 ? "," : ""), i - 1; print "" }'
}
for n in 100000 2001; do
    wide $n > "$T/wide.csv"
    t0=$(ms)
    "$Q" --keep-going -c "CREATE TABLE keep(x); load $T/wide.csv as w; tables" > "$T/out" 2>&1
    [ $? -eq 1 ] || fail "$n columns: exit status not 1: $(head -c 400 "$T/out")"
    echo "  $n columns refused in $(( $(ms) - t0 )) ms (printed, not asserted)"
    grep -q "^error: '$T/wide.csv' has $n columns, more than the 2000 a table can hold; cut" \
        "$T/out" || fail "$n columns: $(head -c 400 "$T/out")"
    grep -q '^w ' "$T/out" && fail "$n columns: a table was made"
    grep -q '^keep ' "$T/out" || fail "$n columns: the session did not go on"
done
wide 2000 > "$T/wide.csv"
"$Q" -c "load $T/wide.csv as w; SELECT c1, c2000 FROM w" > "$T/out" 2>&1 ||
    fail "2000 columns: $(head -c 400 "$T/out")"
grep -q '^ *0   *1999$' "$T/out" || fail "2000 columns: $(tail -3 "$T/out")"

# ---- 2. cut short while it loads
awk 'BEGIN { print "k,v,s"; for (i = 0; i < 2000000; i++) printf "%d,%d,row %d\n", i, 3 * i, i }' \
    > "$T/big.csv"
cp "$T/big.csv" "$T/shrink.csv"
"$Q" --keep-going -c "CREATE TABLE keep(x); load $T/shrink.csv as t; tables" > "$T/out" 2>&1 &
pid=$!
# cut it once the load has the file (open or mapped), not after a guess of time
i=0
while [ $i -lt 200 ] && ! { ls -l /proc/$pid/fd 2>/dev/null; cat /proc/$pid/maps 2>/dev/null; } |
        grep -q shrink.csv; do
    sleep 0.05
    i=$((i + 1))
done
truncate -s 1000 "$T/shrink.csv"
wait $pid
rc=$?
[ $rc -eq 1 ] || fail "cut short: exit status $rc, not 1 (a crash is 135): $(cat "$T/out")"
grep -q "^error: '$T/shrink.csv' changed while it was loading" "$T/out" ||
    fail "cut short: $(cat "$T/out")"
grep -q '^keep ' "$T/out" || fail "cut short: the session did not go on: $(cat "$T/out")"
grep -q '^t ' "$T/out" && fail "cut short: a table was left: $(cat "$T/out")"

# ---- 3. Ctrl-C, FIFOs and pipes
# interrupt PID: SIGINT to it, which must exit (status 130, "interrupted"); the delay is printed
interrupt() {
    t0=$(ms)
    kill -INT "$1"
    wait "$1"
    rc=$?
    took=$(( $(ms) - t0 ))
    [ $rc -eq 130 ] || fail "$2: exit status $rc after Ctrl-C, not 130: $(cat "$T/out")"
    echo "  $2: Ctrl-C took $took ms (printed, not asserted)"
    grep -q '^error: interrupted' "$T/out" || fail "$2: $(cat "$T/out")"
}
# holds PID FILE: wait (20 s at most) until the load holds the file. A
# Ctrl-C before quarry's handler is in place (a background job starts with
# SIGINT ignored, and quarry may restart itself once at start-up,
# ui/main.c) is lost, and a fixed sleep is too short on a busy machine (a
# silent FIFO then waited forever).
holds() {
    i=0
    while [ $i -lt 400 ] && ! { ls -l /proc/$1/fd 2>/dev/null; cat /proc/$1/maps 2>/dev/null; } |
            grep -q "$2"; do
        sleep 0.05; i=$((i + 1))
    done
}
rm -f "$T/fifo"
mkfifo "$T/fifo"
"$Q" -c "load $T/fifo as f" > "$T/out" 2>&1 &
pid=$!
holds $pid "$T/fifo"
interrupt $pid "a silent FIFO"
"$Q" -c "load $T/big.csv as b" > "$T/out" 2>&1 &
pid=$!
holds $pid "$T/big.csv"
interrupt $pid "a big load"

printf 'a,b\n1,2\n3,4\n' > "$T/fifo" &
"$Q" -c "load $T/fifo as f; SELECT sum(a) AS a, sum(b) AS b FROM f" > "$T/out" 2>&1 ||
    fail "FIFO: $(cat "$T/out")"
grep -q '^4  6$' "$T/out" || fail "FIFO: $(cat "$T/out")"
wait
printf 'a,b\n5,6\n' | "$Q" -c "load /dev/stdin as s; SELECT a + b AS ab FROM s" > "$T/out" 2>&1 ||
    fail "a pipe: $(cat "$T/out")"
grep -q '^11$' "$T/out" || fail "a pipe: $(cat "$T/out")"
yes 1,2 | "$Q" --keep-going -c "set memory=64; load /dev/stdin as s; tables" > "$T/out" 2>&1
grep -q "^error: '/dev/stdin' is a stream (a pipe or FIFO) of more than 16 MiB, the most" \
    "$T/out" || fail "an endless pipe: $(cat "$T/out")"
grep -q '^s ' "$T/out" && fail "an endless pipe: a table was made"
rm -f "$T/fifo" "$T/big.csv" "$T/shrink.csv"
exit 0
