# Helpers for the TUI tests: quarry in a detached tmux session of a fixed
# size, keys typed with send-keys, the screen read with capture-pane.
# Each test sources this file, then calls start, keys/type, wait_for, ...
set -u
T=$QUARRY_TMP/tui-$$
mkdir -p "$T"
SESSION=quarry-test-$$
# A tmux server of this test's own (-L): tests run side by side (two
# checkouts, or make test while another runs) never share or stop each
# other's server.
# Each start gets a new server (SOCK): killing a server's last session
# stops it, and a new session asked of a server that is stopping fails.
SOCK=$SESSION-0
tmux() { command tmux -L "$SOCK" "$@"; }
export QUARRY_HISTORY="$T/history"
# Autosave (on in the TUI) keeps its recovery sets here, never in the home.
export QUARRY_RECOVERY_DIR="$T/recover"
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color

cleanup() { tmux kill-server 2>/dev/null; }
trap cleanup EXIT

fail() {
    echo "FAIL: $*"
    echo "--- screen ---"
    screen
    exit 1
}

# The shell line after quarry in the pane: QUARRY-EXIT-status at the start
# of a line of its own. A quarry killed in curses leaves the terminal raw
# (a newline does not return the carriage), so without stty sane the marker
# starts where the shell's long "Killed ..." line ended and may wrap.
exit_line='rc=$?; stty sane 2>/dev/null; printf "\\r\\nQUARRY-EXIT-%s\\n" $rc'

# start [W H] [quarry arguments...]
start() {
    w=$1 h=$2
    shift 2
    tmux kill-server 2>/dev/null
    SOCK=$SESSION-$(( ${SOCK##*-} + 1 ))
    tmux new-session -d -s "$SESSION" -x "$w" -y "$h" \
        "cd '$PWD' && QUARRY_HISTORY='$QUARRY_HISTORY' QUARRY_RECOVERY_DIR='$QUARRY_RECOVERY_DIR' ASAN_OPTIONS='$ASAN_OPTIONS:log_path=$T/asan' '$QUARRY' $*; $exit_line; sleep 60"
    wait_for 'quarry>' 10 || fail "no prompt"
}

screen() { tmux capture-pane -p -t "$SESSION"; }

# type TEXT: literal keys (a trailing ; is escaped for tmux)
type_text() { tmux send-keys -t "$SESSION" -l "$(printf '%s' "$1" | sed 's/;$/\\;/')"; }
keys() { tmux send-keys -t "$SESSION" "$@"; }
enter() { type_text "$1"; keys Enter; }

# wait_for PATTERN [SECONDS]: until the screen matches (grep -E); 15 s by
# default, generous because a busy machine (CI, or other tests beside)
# slows an ASan build, and a match returns at once
wait_for() {
    n=$(( ${2:-15} * 20 ))
    while [ "$n" -gt 0 ]; do
        screen | grep -Eq -- "$1" && return 0
        sleep 0.05
        n=$((n - 1))
    done
    return 1
}

# wait_after MARKER PATTERN [SECONDS]: until a line matching PATTERN appears
# below the last line matching MARKER (both grep -E). For output that an
# earlier command may already have put on the screen: pass the echoed
# statement as MARKER, so only what this statement printed can match.
wait_after() {
    n=$(( ${3:-15} * 20 ))
    while [ "$n" -gt 0 ]; do
        screen | M=$1 P=$2 awk '$0 ~ ENVIRON["M"] { seen = 1; hit = 0; next }
            seen && $0 ~ ENVIRON["P"] { hit = 1 } END { exit !hit }' && return 0
        sleep 0.05
        n=$((n - 1))
    done
    return 1
}

# The line the cursor is on (the prompt line).
prompt_line() { screen | sed -n "$(( $(tmux display -p -t "$SESSION" '#{cursor_y}') + 1 ))p"; }

asan_clean() {
    if ls "$T"/asan* >/dev/null 2>&1; then
        cat "$T"/asan*
        fail "sanitizer report"
    fi
}

cursor_x() { tmux display -p -t "$SESSION" '#{cursor_x}'; }
