# A demo's steps reach the crash journal (autosave, ui/recover_set.c).
# Each step runs as if typed and adds its own history line (demo itself is
# not recorded), so each step that changed the catalog is journalled, one
# record per step; before, only a statement that added exactly one history
# line was journalled, and a demo's steps reached the journal only through
# a snapshot (none is due after a few seconds), so a crash lost them.
# quarry plays demo survey (plain mode, autosave on) from a FIFO, is killed
# with SIGKILL after it is done, and --recover must replay every step from
# the empty catalog: every table equal to an uncrashed run's (the times
# things were made aside). Then a demo that stops at a failed step: the
# steps before it stay done, so they are journalled too.
set -u
Q=$QUARRY
T=$QUARRY_TMP/recover_demo
R=$T/recover
rm -rf "$T"
mkdir -p "$T"
export QUARRY_RECOVERY_DIR="$R" QUARRY_HISTORY=/dev/null LC_ALL=C.UTF-8
fail() { echo "recover_demo: $*"; exit 1; }

feed_start() { # quarry reading statements from a FIFO; QP is its pid
    rm -f "$T/fifo" "$T/feed.out"
    mkfifo "$T/fifo"
    "$Q" --keep-going < "$T/fifo" > "$T/feed.out" 2>&1 &
    QP=$!
    exec 3> "$T/fifo"
}
feed() { printf '%s\n' "$1" >&3; }
feed_wait() { # feed_wait PATTERN: until quarry's output holds it
    n=1200
    while ! grep -Eq -- "$1" "$T/feed.out" && [ $n -gt 0 ]; do sleep 0.05; n=$((n - 1)); done
    grep -Eq -- "$1" "$T/feed.out" || fail "no '$1' from quarry: $(tail -5 "$T/feed.out")"
}
feed_kill() { kill -9 "$QP"; wait "$QP" 2>/dev/null; exec 3>&-; }

# Every table, row for row; only the times things were made may differ.
dump() {
    sqlite3 "$1" "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                  AND name <> 'quarry_meta' ORDER BY name" |
        while read -r t; do
            echo "== $t"
            case $t in
            quarry_models | quarry_transforms)
                sqlite3 "$1" "SELECT name, kind, source, cols, summary, hex(state) FROM $t ORDER BY name" ;;
            *) sqlite3 "$1" ".dump '$t'" ;;
            esac
        done
}

# 1. demo survey run through, then SIGKILL
feed_start
feed 'set autosave=on'
feed 'demo survey fast=yes'
feed_wait '^demo survey done'
feed_kill
"$Q" --recover -c "save $T/rec.qdb" > "$T/got" 2>"$T/err" || fail "--recover: $(cat "$T/err")"
# The 16 of the survey's 21 steps that change the catalog: the four loads,
# sessions, rfm, CREATE sv_feat, sample, normalize, cluster, the two
# crosstabs (sv_kt, sv_100_crosstab), cluster dbscan, the two rules, CREATE
# sv_bought; not the plot, the three SELECTs and evalrec (set is not counted).
# Replaying them would take as long as the demo did: under a heavy load,
# over 10 seconds, and then a snapshot holds them instead (snapshot_due).
grep -Eq 'recovered from (an empty catalog, 16|a snapshot, 0) statements replayed' "$T/err" ||
    fail "the demo's steps were not journalled: $(cat "$T/err")"
"$Q" -c "demo survey fast=yes" -c "save $T/ref.qdb" > "$T/ref.out" 2>&1 ||
    fail "the reference run: $(tail -3 "$T/ref.out")"
dump "$T/rec.qdb" > "$T/rec.dump"
dump "$T/ref.qdb" > "$T/ref.dump"
[ "$(grep -c '^== sv_' "$T/ref.dump")" -ge 10 ] || fail "the reference holds too few sv_ tables"
cmp -s "$T/ref.dump" "$T/rec.dump" ||
    fail "the recovered catalog differs: $(diff "$T/ref.dump" "$T/rec.dump" | head -5)"

# 2. a demo stopped by a failed step (its data folder lacks the third
# file): its first two steps stay done and are recovered.
rm -rf "$R"
mkdir -p "$T/part"
cp sample-data/orders.csv sample-data/events.csv "$T/part/"
feed_start
feed 'set autosave=on'
feed "demo marketing fast=yes data=$T/part"
feed_wait 'demo marketing stopped at step 3 of'
feed 'SELECT 1 AS still_here;'
feed_wait '^ *1$'
feed_kill
"$Q" --recover -c tables > "$T/got2" 2>"$T/err2" || fail "--recover 2: $(cat "$T/err2")"
grep -Eq 'recovered from (an empty catalog, 2|a snapshot, 0) statements replayed' "$T/err2" ||
    fail "the steps before the failed one: $(cat "$T/err2")"
grep -q '^mk_orders ' "$T/got2" && grep -q '^mk_events ' "$T/got2" ||
    fail "the loads before the failed step were lost: $(cat "$T/got2")"
exit 0
