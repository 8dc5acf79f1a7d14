# I/O failures injected into load and the catalog (issue 14; QUARRY_FAULT,
# src/base/fault.h): a read that fails with EIO at the first or a later
# read of a CSV, an ARFF and a pipe, and a catalog that fills up
# (SQLITE_FULL) during load and derive. Each is a clear error; every
# table is as it was (compared by exporting each before and after), and
# the undo history is whole: undo still reverts the statement before.
# (A full catalog during a load used to roll back every unsaved change,
# undo levels and all, since the insert had no statement journal.)
set -u
Q=$QUARRY
T=$QUARRY_TMP/io_faults
mkdir -p "$T"
fail() { echo "io_faults: $*"; exit 1; }
awk 'BEGIN { print "k,v,s"; for (i = 0; i < 60000; i++) print i "," 3 * i ",row " i }' > "$T/big.csv"
setup="CREATE TABLE s(a INTEGER, b TEXT); INSERT INTO s VALUES (1, 'x'), (2, 'y'); derive s c=a*10"
state="tables; export s /dev/stdout"
after="undo; $state"

# what the catalog holds without any fault, and after undo
want=$("$Q" -c "$setup; $state" 2>&1 | sed -n '/^name/,$p')
want_undo=$("$Q" -c "$setup; $after" 2>&1 | sed -n '/^undid/,$p')
[ -n "$want" ] && [ -n "$want_undo" ] || fail "no reference state"

check() { # $1: what, $2: fault, $3: the failing statement, $4: the message wanted; stdin for it
    out=$(QUARRY_FAULT=$2 "$Q" --keep-going -c "$setup; $3; $state; $after" 2>&1)
    echo "$out" | grep -q "^error: .*$4" || fail "$1: no clear error ($4): $out"
    [ "$(echo "$out" | awk '/^undid/ { exit } /^name/ { on = 1 } on')" = "$want" ] ||
        fail "$1: the catalog changed: $out"
    [ "$(echo "$out" | sed -n '/^undid/,$p')" = "$want_undo" ] ||
        fail "$1: the undo history changed: $out"
}
check "CSV, first read" read:1 "load $T/big.csv as t" "cannot read '$T/big.csv': Input/output error"
check "CSV, third read" read:3 "load $T/big.csv as t" "cannot read '$T/big.csv': Input/output error"
check "ARFF, first read" read:1 "load tests/data/weather.arff as w" "Input/output error"
check "pipe, first read" read:1 "load /dev/stdin as p" "Input/output error" < "$T/big.csv"
check "pipe, third read" read:3 "load /dev/stdin as p" "Input/output error" < "$T/big.csv"
# (SQLite's pages fill: an ordinary table; a column table's rows are in memory, oom.sh)
check "catalog full in load" full:40 "set columns=off; load $T/big.csv as t" "cannot insert into 't': database or disk is full"
check "catalog full in derive" full:40 "derive s z=zeroblob(400000)" "database or disk is full"

# A user INSERT ... SELECT: it had no statement journal, so SQLite rolled back the whole
# transaction (every unsaved change and undo level) and the user was told so. Its SELECT is
# now wrapped for Ctrl-C (commands/sql_cancel.h), whose function call gives the statement a
# journal: it fails alone, and the tables and undo stay.
out=$(QUARRY_FAULT=full:40 "$Q" --keep-going -c "$setup; CREATE TABLE u(i);
    INSERT INTO u WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 200000) SELECT i FROM c;
    tables; undo; tables" 2>&1)
echo "$out" | grep -q "^error: database or disk is full" || fail "INSERT ... SELECT: no error: $out"
echo "$out" | grep -q "rolled back the whole transaction" && fail "INSERT ... SELECT lost the transaction: $out"
[ "$(echo "$out" | awk '/^(s|u) / { print $1, $2, $3 }' | tr '\n' ' ')" = "s 2 3 u 0 1 s 2 3 " ] ||
    fail "INSERT ... SELECT: the tables or undo changed: $out"
echo "$out" | grep -q "^undid: CREATE TABLE u" || fail "INSERT ... SELECT: undo lost: $out"

# the faults are real: the same statements without them work
out=$("$Q" -c "$setup; load $T/big.csv as t; derive s z=zeroblob(400000); SELECT count(*) AS n FROM t" 2>&1)
echo "$out" | tail -1 | grep -q "^ *60000$" || fail "without faults: $out"
exit 0
