# Nothing lost on a crash (autosave, ui/recover*.c). quarry is killed with
# SIGKILL during a long command (in the TUI), during a save (the
# save-midway fault) and during a snapshot; the next start offers the
# unsaved session (the TUI asks, plain mode says how), and the recovered
# catalog equals the state after the last completed statement: the tables
# and a checksum of each, worked out by hand below and compared with the
# same statements run without a crash. Also: a snapshot then a journal,
# an undo the journal replays and one it cannot, a loaded file that
# changed since (the replay stops there and the set stays), and a clean
# quit or set autosave=off removes the set.
. tests/tui/lib.sh
Q=$QUARRY
R=$QUARRY_RECOVERY_DIR
sets() { ls "$R" 2>/dev/null | wc -l; }

# start_raw ENV ARGS: quarry in the tmux session without waiting for a prompt
start_raw() {
    # a second session keeps the server up while this one is replaced
    tmux has-session -t keepalive 2>/dev/null || tmux new-session -d -s keepalive 'sleep 600'
    tmux kill-session -t "$SESSION" 2>/dev/null
    tmux new-session -d -s "$SESSION" -x 110 -y 30 \
        "cd '$PWD' && env $1 QUARRY_HISTORY='$QUARRY_HISTORY' QUARRY_RECOVERY_DIR='$R' ASAN_OPTIONS='$ASAN_OPTIONS:log_path=$T/asan' '$Q' $2; $exit_line; sleep 60"
}
# the pid of quarry in the tmux session (the child of the pane's shell)
qpid() { ps -o pid= --ppid "$(tmux display -p -t "$SESSION" '#{pane_pid}')" | tr -d ' '; }

awk 'BEGIN { print "x,y"; for (i = 1; i <= 200; i++) print i "," 2 * i }' > "$T/pts.csv"
mk_a='CREATE TABLE a AS WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 1000) SELECT i AS x FROM c;'
dump="tables; SELECT count(*), sum(x) FROM a; SELECT count(*), sum(x), sum(y), sum(cluster) FROM pts"

# --- 1. kill -9 during a long command, in the TUI --------------------------
start 110 30
enter "$mk_a"
wait_after '^quarry> CREATE TABLE a' 'rows changed|^quarry>' 10
enter "load $T/pts.csv as pts"
wait_after '^quarry> load ' 'loaded 200 rows' 10 || fail "load"
enter 'UPDATE a SET x = x * 2 WHERE x <= 10;'
wait_after '^quarry> UPDATE' '10 rows changed' || fail "update"
enter 'cluster pts cols=x,y k=2 seed=7'
wait_after '^quarry> cluster' 'labels in pts.cluster' 20 || fail "cluster"
enter 'DELETE FROM a WHERE x > 900;'
wait_after '^quarry> DELETE' '100 rows changed' || fail "delete"
enter 'undo'
wait_after '^quarry> undo' 'undid: DELETE' || fail "undo"
[ "$(sets)" -eq 1 ] || fail "one recovery set while the TUI runs: $(ls "$R")"
enter 'CREATE TABLE big AS WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 300000000) SELECT i FROM c;'
wait_after '^quarry> CREATE TABLE big' 'running' 10 || fail "no long command"
sleep 0.5
kill -9 "$(qpid)"
wait_for 'QUARRY-EXIT-137' 10 || fail "kill -9"
# Six statements changed the catalog: CREATE a, load, UPDATE, cluster, DELETE, undo.
start_raw "" ""
wait_for 'recover the unsaved session from [0-9-]+ [0-9:]+ \(6 statements\)\? \(y/N\)' 10 ||
    fail "no recovery question"
type_text y; keys Enter
wait_for 'recovered from an empty catalog, 6 statements replayed' 30 || fail "recovery"
wait_for '^quarry>' 10 || fail "no prompt after recovery"
enter "save $T/rec1.qdb"
wait_after '^quarry> save' 'saved the catalog' 10 || fail "save"
enter quit
wait_for 'QUARRY-EXIT-0' 10 || fail "quit"
[ "$(sets)" -eq 0 ] || fail "a clean quit leaves no recovery set: $(ls "$R")"
# By hand: a = 1..1000 with 1..10 doubled: sum 500500 + 55 = 500555; the
# DELETE was undone. pts: sum x = 200*201/2 = 20100, sum y = 40200; y = 2x,
# so k=2 splits 1..100 from 101..200 and one cluster (label 1) has 100 rows.
"$Q" "$T/rec1.qdb" -c "$dump" > "$T/got1" 2>&1 || fail "open rec1: $(cat "$T/got1")"
grep -Eq '^ *1000 +500555$' "$T/got1" || fail "a after recovery: $(cat "$T/got1")"
grep -Eq '^ *200 +20100 +40200 +100$' "$T/got1" || fail "pts after recovery: $(cat "$T/got1")"
grep -Eq '^pts_clusters +2 +7$' "$T/got1" || fail "pts_clusters: $(cat "$T/got1")"
grep -q '^big' "$T/got1" && fail "the killed statement's table exists"
"$Q" -c "$mk_a load $T/pts.csv as pts; UPDATE a SET x = x * 2 WHERE x <= 10; cluster pts cols=x,y k=2 seed=7; DELETE FROM a WHERE x > 900; undo; save $T/ref1.qdb" > /dev/null 2>&1 ||
    fail "reference run"
"$Q" "$T/ref1.qdb" -c "$dump" 2>&1 | tail -n +2 > "$T/ref1"
tail -n +2 "$T/got1" | diff -u "$T/ref1" - || fail "recovered catalog differs from the uncrashed run"

# --- 2. kill during a save; plain mode says how; quarry --recover -----------
cp "$T/rec1.qdb" "$T/keep.qdb"
start_raw "QUARRY_FAULT=save-midway" "'$T/rec1.qdb'"
wait_for '^quarry>' 10 || fail "no prompt (workspace)"
enter 'INSERT INTO a VALUES (7);'
wait_after '^quarry> INSERT' '1 row changed' || fail "insert"
enter 'DROP TABLE pts_clusters;'
wait_after '^quarry> DROP' '^quarry>' || fail "drop"
enter 'save'
wait_for 'QUARRY-EXIT-137' 10 || fail "the save-midway fault did not kill the save"
cmp -s "$T/rec1.qdb" "$T/keep.qdb" || fail "a killed save changed the workspace"
# plain mode at a terminal: one line, and the statements run (no question)
start_raw "" "-c 'SELECT 40 + 2 AS answer'"
wait_for 'QUARRY-EXIT-0' 10 || fail "plain mode blocked"
screen | grep -q 'unsaved session from .* (2 statements) can be restored: quarry --recover$' ||
    fail "plain mode hint"
screen | grep -Eq '^ *42$' || fail "plain mode ran nothing"
"$Q" --recover -c "$dump; save $T/rec2.qdb" > "$T/got2" 2>"$T/err2" || fail "--recover: $(cat "$T/err2")"
grep -q 'recovered from a snapshot, 2 statements replayed' "$T/err2" || fail "--recover said: $(cat "$T/err2")"
# a gains the row 7: 1001 rows, 500562
grep -Eq '^ *1001 +500562$' "$T/got2" || fail "a after the killed save: $(cat "$T/got2")"
grep -q '^pts_clusters' "$T/got2" && fail "the dropped table came back"
"$Q" "$T/keep.qdb" -c "INSERT INTO a VALUES (7); DROP TABLE pts_clusters; save $T/ref2.qdb" \
    > /dev/null 2>&1 || fail "reference run 2"
"$Q" "$T/ref2.qdb" -c "$dump" 2>&1 | tail -n +2 > "$T/ref2"
"$Q" "$T/rec2.qdb" -c "$dump" 2>&1 | tail -n +2 | diff -u "$T/ref2" - ||
    fail "recovered after the killed save differs from the uncrashed run"
[ "$(sets)" -eq 0 ] || fail "a saved recovery leaves no set: $(ls "$R")"
"$Q" --recover -c tables > "$T/out" 2>&1 && fail "--recover with nothing to recover succeeded"
grep -q 'no unsaved session to recover' "$T/out" || fail "--recover message: $(cat "$T/out")"

# --- plain sessions fed through a FIFO, killed with SIGKILL -----------------
feed_start() { # feed_start [ENV...]: quarry reading statements from a FIFO; QP is its pid
    rm -f "$T/fifo" "$T/feed.out"
    mkfifo "$T/fifo"
    env "$@" "$Q" --keep-going < "$T/fifo" > "$T/feed.out" 2>&1 &
    QP=$!
    exec 3> "$T/fifo"
}
feed() { printf '%s\n' "$1" >&3; }
feed_wait() { # feed_wait PATTERN: until quarry's output holds it
    n=200
    while ! grep -Eq -- "$1" "$T/feed.out" && [ $n -gt 0 ]; do sleep 0.05; n=$((n - 1)); done
    grep -Eq -- "$1" "$T/feed.out" || { cat "$T/feed.out"; fail "no '$1' from quarry"; }
}
feed_kill() { kill -9 "$QP"; wait "$QP" 2>/dev/null; exec 3>&-; }

# 3. A snapshot (SQL calling random() is not replayed but snapshotted), then
# a journal on it with an undo it replays.
feed_start
feed 'set autosave=on'
feed 'CREATE TABLE s AS SELECT 1 AS v;'
feed 'INSERT INTO s VALUES (abs(random()) % 1 + 10);'
feed 'INSERT INTO s VALUES (100);'
feed 'INSERT INTO s VALUES (1000);'
feed 'undo'
feed 'INSERT INTO s VALUES (5000);'
feed 'SELECT count(*) AS n FROM s;'
feed_wait '^ *4$'
feed_kill
"$Q" --recover -c 'SELECT count(*), sum(v) FROM s; save' > "$T/got3" 2>"$T/err3"
grep -q 'recovered from a snapshot, 4 statements replayed' "$T/err3" || fail "snapshot + journal: $(cat "$T/err3")"
# s = 1, 10, 100, 5000 (1000 undone): 4 rows, 5111
grep -Eq '^ *4 +5111$' "$T/got3" || fail "s after recovery: $(cat "$T/got3") $(cat "$T/err3")"
grep -q 'save needs a file name' "$T/err3" || fail "a recovered session without a workspace has none"

# 4. An undo of a statement before the snapshot cannot be replayed: it is
# snapshotted. u = 1 (10 undone), then 7.
rm -rf "$R"
feed_start
feed 'set autosave=on'
feed 'CREATE TABLE u AS SELECT 1 AS v;'
feed 'INSERT INTO u VALUES (abs(random()) % 1 + 10);'
feed 'undo'
feed 'INSERT INTO u VALUES (7);'
feed 'SELECT sum(v) AS total FROM u;'
feed_wait '^ *8$'
feed_kill
"$Q" --recover -c 'SELECT count(*), sum(v) FROM u' > "$T/got4" 2>"$T/err4"
grep -Eq '^ *2 +8$' "$T/got4" || fail "undo past the snapshot: $(cat "$T/got4") $(cat "$T/err4")"

# 5. Killed in the middle of writing a snapshot (every statement snapshots
# with QUARRY_SNAPSHOT_SECS=0): the journal still has the statement.
rm -rf "$R"
printf 'set autosave=on\nCREATE TABLE w AS SELECT 3 AS v;\n' > "$T/w.qry"
QUARRY_FAULT=save-midway QUARRY_SNAPSHOT_SECS=0 "$Q" -f "$T/w.qry" > "$T/out" 2>&1 &
wait $! 2>/dev/null
[ $? -eq 137 ] || fail "the snapshot was not killed: $(cat "$T/out")"
"$Q" --recover -c 'SELECT sum(v) FROM w' > "$T/got5" 2>"$T/err5"
grep -Eq '^ *3$' "$T/got5" || fail "killed snapshot: $(cat "$T/got5") $(cat "$T/err5")"

# 6. A loaded file that changed: the replay stops before its load, says so,
# and the set stays; with the file back as it was, the recovery is whole.
rm -rf "$R"
cp -p "$T/pts.csv" "$T/pts.orig"
feed_start
feed 'set autosave=on'
feed 'CREATE TABLE first AS SELECT 1 AS z;'
feed "load $T/pts.csv as p1"
feed 'CREATE TABLE after AS SELECT 2 AS z;'
feed 'tables'
feed_wait '^after '
feed_kill
echo '201,402' >> "$T/pts.csv"
"$Q" --recover -c tables > "$T/got6" 2>"$T/err6"
grep -q "the replay stops before 'load $T/pts.csv as p1': '$T/pts.csv' has changed" "$T/err6" ||
    fail "changed file: $(cat "$T/err6")"
grep -q '^first ' "$T/got6" || fail "the statement before the load: $(cat "$T/got6")"
grep -Eq '^(p1|after) ' "$T/got6" && fail "statements after the changed load ran"
[ "$(sets)" -eq 1 ] || fail "a stopped replay keeps its set (and only it): $(ls "$R")"
cp -p "$T/pts.orig" "$T/pts.csv"
"$Q" --recover -c "SELECT (SELECT sum(x) FROM p1) + (SELECT z FROM after)" > "$T/got6" 2>"$T/err6"
grep -Eq '^ *20102$' "$T/got6" || fail "with the file back: $(cat "$T/got6") $(cat "$T/err6")"

# 7. set autosave=off removes the set; show lists the setting; a clean end
# removes it too.
rm -rf "$R"
printf 'set autosave=on\nshow\nCREATE TABLE k(x);\n' | "$Q" > "$T/out" 2>&1
grep -Eq '^autosave +on ' "$T/out" || fail "show autosave: $(cat "$T/out")"
"$Q" -c 'set autosave=maybe' 2>&1 | grep -q "autosave must be on or off, not 'maybe'" ||
    fail "a bad autosave value"
[ "$(sets)" -eq 0 ] || fail "a clean end leaves no set"
feed_start
feed 'set autosave=on'
feed_wait 'journal is in'
[ "$(sets)" -eq 1 ] || fail "autosave=on makes a set"
feed 'set autosave=off'
feed_wait 'journal in .* is removed'
[ "$(sets)" -eq 0 ] || fail "autosave=off removes the set"
feed_kill
# 8. Column tables (issue 18): a snapshot writes a column table's rows (the
# backup of pages holds none) and the recovery brings it back as a column
# table; the session's table stays one after the snapshot. SQL calling
# random() is snapshotted, the DELETE after it journaled. By hand: x = 1..200
# with 1..10 doubled (20155), y = 2x (40200); the row (1000, 0) added; the
# row x = 200 (y = 400) deleted: 200 rows, 20955, 39800.
rm -rf "$R"
feed_start QUARRY_COLUMNS=on
feed 'set autosave=on'
feed "load $T/pts.csv as p"
feed 'UPDATE p SET x = x * 2 WHERE x <= 10;'
feed 'INSERT INTO p VALUES (abs(random()) % 1 + 1000, 0);'
feed 'DELETE FROM p WHERE y = 400;'
feed "SELECT substr(sql, 1, 20) AS kind FROM sqlite_schema WHERE name = 'p';"
feed_wait 'CREATE VIRTUAL TABLE'
feed_kill
QUARRY_COLUMNS=on "$Q" --recover -c "SELECT substr(sql, 1, 20) AS kind FROM sqlite_schema WHERE name = 'p'; SELECT count(*), sum(x), sum(y) FROM p; undo; SELECT count(*), sum(x), sum(y) FROM p" > "$T/got8" 2>"$T/err8"
grep -q 'recovered from a snapshot, 1 statement replayed' "$T/err8" || fail "columns: $(cat "$T/err8")"
grep -q '^CREATE VIRTUAL TABLE' "$T/got8" || fail "not a column table after recovery: $(cat "$T/got8")"
grep -Eq '^ *200 +20955 +39800$' "$T/got8" || fail "p after recovery: $(cat "$T/got8") $(cat "$T/err8")"
# the replayed DELETE is undone: the snapshot's 201 rows, 21155, 40200
grep -Eq '^ *201 +21155 +40200$' "$T/got8" || fail "undo after recovery: $(cat "$T/got8")"

asan_clean
