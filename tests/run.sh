#!/bin/sh
# Run every test: unit programs (tests/unit), transcripts (tests/transcripts),
# shell tests (tests/sh), fuzz targets (tests/fuzz, built by make test into
# build/fuzz). Usage: tests/run.sh QUARRY_BINARY
# TESTS=PATTERN (a shell case pattern, e.g. TESTS='*load*') runs only the
# tests whose name matches; make test runs them all.
# JOBS=N runs N tests at once (default: the processors this machine has,
# at most 4); each test gets its own temporary folder. A test's lines are
# printed when it ends, so the order is the order they finish in; a test
# that took 20 s or more says so. Tests start longest first, by the times
# of the last run (kept in build/test-times).
# Ends with the line "N passed, N failed" (", N skipped" when a shell test
# exited 77: it cannot run here, e.g. no PostgreSQL; its reason is printed);
# exit status 1 on any failure.
# Unit programs count each check; a transcript, shell test or fuzz target
# counts as one.

# one IDX KIND PATH: run one test in its own folder $tmp/IDX, print its lines,
# write "PASS FAIL SKIP" to $tmp/IDX/res.
one() {
    d=$tmp/$1; kind=$2; t=$3
    mkdir -p "$d/recover"
    export QUARRY_TMP="$d" QUARRY_RECOVERY_DIR="$d/recover"
    start=$(date +%s)
    p=0 f=0 s=0
    case $kind in
    unit)
        out=$("$t" 2>"$d/unit.err"); rc=$?
        line=$(printf '%s\n' "$out" | grep -E '[0-9]+ passed, [0-9]+ failed' | tail -1)
        p=$(printf '%s' "$line" | sed -E 's/.* ([0-9]+) passed.*/\1/')
        f=$(printf '%s' "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
        [ -n "$p" ] || p=0
        [ -n "$f" ] || f=0
        if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
        if [ "$f" -ne 0 ]; then
            { echo "FAIL unit $(basename "$t") (exit $rc)"; cat "$d/unit.err"; } >"$d/log"
        else
            echo "ok   unit $(basename "$t"): $p checks" >"$d/log"
        fi ;;
    transcript)
        # NAME.qry through quarry -f, compared with NAME.out; a first line
        # "# flags: ..." gives extra options (e.g. --echo).
        name=${t%.qry}
        if [ ! -f "$name.out" ]; then
            f=1; echo "FAIL transcript $t: no $(basename "$name").out" >"$d/log"
        else
            flags=$(sed -n '1s/^# flags: //p' "$t")
            "$Q" $flags --keep-going -f "$t" >"$d/actual" 2>&1
            if diff -u "$name.out" "$d/actual" >"$d/diff"; then
                p=1; echo "ok   transcript $(basename "$name")" >"$d/log"
            else
                f=1; { echo "FAIL transcript $(basename "$name")"; head -40 "$d/diff"; } >"$d/log"
            fi
        fi ;;
    sh)
        sh "$t" >"$d/sh.out" 2>&1; rc=$?
        if [ "$rc" -eq 0 ]; then
            p=1; echo "ok   $(basename "$t" .sh)" >"$d/log"
        elif [ "$rc" -eq 77 ]; then
            # exit 77: the test cannot run here (no PostgreSQL): said, counted apart, never a pass
            s=1; echo "skip $(basename "$t" .sh): $(sed -n 's/^skip: //p' "$d/sh.out" | tail -1)" >"$d/log"
        else
            # the test's own FAIL: lines first (a TUI test's screen dump after
            # them can be longer than the tail), then the end of its output
            f=1; { echo "FAIL $(basename "$t" .sh)"; grep '^FAIL' "$d/sh.out" | head -5
                   tail -30 "$d/sh.out"; } >"$d/log"
        fi ;;
    fuzz)
        # replay the corpus, then fuzz for FUZZ_TEST_SECONDS (default 3). A
        # crash, leak, undefined behaviour or failed check keeps its input in
        # build/fuzz/findings-NAME/.
        n=$(basename "$t" .c); bin=build/fuzz/$n
        mkdir -p "$d/new"
        if "$bin" -max_total_time="${FUZZ_TEST_SECONDS:-3}" -timeout=20 \
            -artifact_prefix="$d/" "$d/new" "tests/fuzz/corpus/$n" >"$d/fuzz.log" 2>&1; then
            p=1; echo "ok   fuzz $n: $(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$d/fuzz.log") runs" >"$d/log"
        else
            f=1
            mkdir -p "build/fuzz/findings-$n"
            for x in "$d"/crash-* "$d"/leak-* "$d"/timeout-* "$d"/oom-*; do
                [ -f "$x" ] && cp "$x" "build/fuzz/findings-$n/"
            done
            { echo "FAIL fuzz $n (inputs in build/fuzz/findings-$n; rerun one: $bin FILE)"
              grep -v '^#\|^INFO\|^\s*NEW_FUNC' "$d/fuzz.log" | tail -40; } >"$d/log"
        fi ;;
    esac
    secs=$(( $(date +%s) - start ))
    if [ "$secs" -ge 20 ]; then
        sed -i "1s/\$/ ($secs s)/" "$d/log"
    fi
    echo "$p $f $s" >"$d/res"
    echo "$t $secs" >"$d/secs"
    cat "$d/log"
}

if [ "${1:-}" = --one ]; then
    shift
    one "$@"
    exit 0
fi

Q=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
export QUARRY="$Q" QUARRY_HISTORY=/dev/null LC_ALL=C.UTF-8
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# A fixed clock for what records when it was made (the model store's created column).
export SOURCE_DATE_EPOCH=1735689600
# want NAME: true when TESTS is unset or NAME matches it.
want() { case "$1" in ${TESTS:-*}) return 0;; esac; return 1; }
tmp=$(mktemp -d /tmp/quarry-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
export tmp Q

# The list: shell tests first (the longest), then transcripts, unit programs
# and fuzz targets, one "KIND PATH" a line.
for t in tests/sh/*.sh; do
    [ -f "$t" ] && want "$(basename "$t" .sh)" && echo "sh $t"
done >"$tmp/list"
for t in tests/transcripts/*.qry; do
    want "$(basename "$t" .qry)" && echo "transcript $t"
done >>"$tmp/list"
for t in build/asan/tests/unit/test_*; do
    [ -x "$t" ] && want "$(basename "$t")" && echo "unit $t"
done >>"$tmp/list"
for t in tests/fuzz/fuzz_*.c; do
    n=$(basename "$t" .c)
    want "$n" || continue
    if [ -x "build/fuzz/$n" ]; then
        echo "fuzz $t"
    else
        echo "skip fuzz $n: not built (needs clang and libclang-rt-14-dev; make test builds it)"
    fi
done >>"$tmp/list"
grep '^skip ' "$tmp/list"

# the longest first, by the times of the last run (build/test-times), so
# that no long test starts last; a test not timed yet goes early
if [ -s build/test-times ]; then
    grep -v '^skip ' "$tmp/list" | awk 'FILENAME != "-" { t[$1] = $2; next }
        { print ($2 in t ? t[$2] : 30), $0 }' build/test-times - |
        sort -s -k1,1nr | cut -d' ' -f2- >"$tmp/sorted"
    { grep '^skip ' "$tmp/list"; cat "$tmp/sorted"; } >"$tmp/list2"
    mv "$tmp/list2" "$tmp/list"
fi

jobs=${JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}
[ "$jobs" -ge 1 ] 2>/dev/null || jobs=1
[ "$jobs" -le 4 ] || jobs=4
grep -v '^skip ' "$tmp/list" | awk '{ print NR, $1, $2 }' |
    xargs -r -n 3 -P "$jobs" sh "$top/tests/run.sh" --one

# keep each test's time for the next run's order
if [ -d build ]; then
    touch build/test-times
    cat "$tmp"/*/secs 2>/dev/null | awk '{ t[$1] = $2 } END { for (k in t) print k, t[k] }' \
        build/test-times - | sort >"$tmp/times" && mv "$tmp/times" build/test-times
fi

pass=0 fail=0 skipped=0
for r in "$tmp"/*/res; do
    [ -f "$r" ] || continue
    read -r p f s <"$r"
    pass=$((pass + p)); fail=$((fail + f)); skipped=$((skipped + s))
done
# a test that ended without writing its result (killed) is a failure
ran=$(ls -d "$tmp"/*/res 2>/dev/null | wc -l)
want_n=$(grep -vc '^skip ' "$tmp/list")
if [ "$ran" -lt "$want_n" ]; then
    echo "FAIL $((want_n - ran)) test(s) ended without a result"
    fail=$((fail + want_n - ran))
fi
if [ "$skipped" -gt 0 ]; then
    echo "$pass passed, $fail failed, $skipped skipped"
else
    echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
