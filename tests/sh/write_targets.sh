# Where save, export, history save and plot files write (issue 14): through
# a symbolic link to its target (the link stays a link); a device or FIFO
# is never replaced by a file (save refuses it; export, history and plots
# write it in place, so export t /dev/stdout works); save keeps the file it
# replaces as .bak; a temporary left by a killed save is removed by the
# next save once it is stale (its writer gone, over a minute old), and
# only ours.
set -u
Q=$QUARRY
T=$QUARRY_TMP/targets
mkdir -p "$T/real"
fail() { echo "write_targets: $*"; exit 1; }
mk="CREATE TABLE t(a INTEGER, b TEXT); INSERT INTO t VALUES (1, 'x'), (2, 'y');"

# 1. save through a link: the link stays, its target gets the workspace, the old one is .bak.
"$Q" -c "$mk save $T/real/w.qdb" >/dev/null 2>&1 || fail "first save"
ln -s real/w.qdb "$T/link.qdb"
"$Q" "$T/link.qdb" -c "INSERT INTO t VALUES (3, 'z'); save" > "$T/out" 2>&1 ||
    fail "save through the link: $(cat "$T/out")"
[ -L "$T/link.qdb" ] || fail "the link was replaced by a file"
"$Q" "$T/real/w.qdb" -c "SELECT count(*) FROM t" | tail -1 | grep -q '^ *3$' ||
    fail "the link's target was not written"
"$Q" "$T/real/w.qdb.bak" -c "SELECT count(*) FROM t" | tail -1 | grep -q '^ *2$' ||
    fail "the previous workspace was not kept as .bak"
ls -a "$T" "$T/real" | grep -q 'tmp-' && fail "a temporary was left: $(ls -a "$T/real")"

# 2. save onto a device or FIFO is refused and the device stays a device.
out=$("$Q" -c "$mk save /dev/null" 2>&1) && fail "save /dev/null succeeded"
echo "$out" | grep -q "error: '/dev/null' is a device; only a regular file can be written here" ||
    fail "save /dev/null message: $out"
[ -c /dev/null ] || fail "/dev/null is no longer a device"
mkfifo "$T/fifo"
out=$("$Q" -c "$mk save $T/fifo" 2>&1) && fail "save to a FIFO succeeded"
echo "$out" | grep -q "is a FIFO; only a regular file" || fail "save to a FIFO message: $out"
[ -p "$T/fifo" ] || fail "the FIFO was replaced"

# 3. export to /dev/stdout, to a FIFO that is read, to a link; none replaced.
"$Q" -c "$mk export t /dev/stdout" > "$T/stdout" 2>&1 || fail "export /dev/stdout: $(cat "$T/stdout")"
printf '2 rows changed\na,b\n1,x\n2,y\nwrote 2 rows of '"'"'t'"'"' to /dev/stdout\n' > "$T/want"
cmp -s "$T/stdout" "$T/want" || fail "export /dev/stdout wrote: $(cat "$T/stdout")"
cat "$T/fifo" > "$T/from_fifo" &
reader=$!
"$Q" -c "$mk export t $T/fifo" >/dev/null 2>&1 || fail "export to a read FIFO"
wait $reader
printf 'a,b\n1,x\n2,y\n' | cmp -s - "$T/from_fifo" || fail "the FIFO carried: $(cat "$T/from_fifo")"
out=$("$Q" -c "$mk export t $T/fifo" 2>&1) && fail "export to a FIFO nobody reads succeeded"
echo "$out" | grep -q "no program is reading the FIFO" || fail "unread FIFO message: $out"
ln -s real/data.csv "$T/data.csv"
"$Q" -c "$mk export t $T/data.csv" >/dev/null 2>&1 || fail "export through a link"
[ -L "$T/data.csv" ] && [ -f "$T/real/data.csv" ] || fail "export replaced the link"
printf 'a,b\n1,x\n2,y\n' | cmp -s - "$T/real/data.csv" || fail "export through a link wrote elsewhere"

# 4. history save through a link; plot files and scripts through links.
touch "$T/real/s.qry"
ln -s real/s.qry "$T/s.qry"
"$Q" -c "$mk history save $T/s.qry" >/dev/null 2>&1 || fail "history save through a link"
[ -L "$T/s.qry" ] && grep -q "^INSERT INTO t" "$T/real/s.qry" || fail "history save replaced the link"
if command -v gnuplot >/dev/null; then
    ln -s real/p.svg "$T/p.svg"
    ln -s real/p.gp "$T/p.gp"
    "$Q" -c "$mk plot scatter t x=a y=a to=$T/p.svg script=$T/p.gp" > "$T/out" 2>&1 ||
        fail "plot through links: $(cat "$T/out")"
    [ -L "$T/p.svg" ] && grep -q '<svg' "$T/real/p.svg" || fail "the plot replaced its link"
    [ -L "$T/p.gp" ] && grep -q 'set terminal' "$T/real/p.gp" || fail "the script replaced its link"
fi

# 5. A save killed half-way leaves its temporary; the next save removes it
# once it is stale (aged here, as a minute passing would), and leaves
# alone temporaries that are not ours or whose writer lives.
"$Q" -c "$mk save $T/k.qdb" >/dev/null 2>&1 || fail "save k.qdb"
QUARRY_FAULT=save-midway "$Q" -c "open $T/k.qdb; DELETE FROM t; save $T/k.qdb" >/dev/null 2>&1
left=$(ls "$T" | grep '^k\.qdb\.tmp-[0-9]*-......$')
[ -n "$left" ] || fail "the killed save left no temporary to clean: $(ls "$T")"
touch -d '2 minutes ago' "$T/$left"
touch -d '2 minutes ago' "$T/k.qdb.tmp-$$-AbCdEf" "$T/k.qdb.tmp-zzz" "$T/other.qdb.tmp-1-AbCdEf"
"$Q" "$T/k.qdb" -c "save" >/dev/null 2>&1 || fail "the next save"
[ -e "$T/$left" ] && fail "the stale temporary $left was not removed"
for keep in "k.qdb.tmp-$$-AbCdEf" k.qdb.tmp-zzz other.qdb.tmp-1-AbCdEf; do
    [ -e "$T/$keep" ] || fail "$keep was removed, and it is not a stale temporary of k.qdb"
done
"$Q" "$T/k.qdb" -c "SELECT count(*) FROM t" | tail -1 | grep -q '^ *2$' || fail "k.qdb lost rows"
exit 0
