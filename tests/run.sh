#!/bin/sh
# Run every test: unit programs (tests/unit), transcripts (tests/transcripts),
# shell tests (tests/sh), fuzz targets (tests/fuzz, built by make test into
# build/fuzz). Usage: tests/run.sh QUARRY_BINARY
# TESTS=PATTERN (a shell case pattern, e.g. TESTS='*load*') runs only the
# tests whose name matches; make test runs them all.
# Ends with the line "N passed, N failed" (", N skipped" when a shell test
# exited 77: it cannot run here, e.g. no PostgreSQL; its reason is printed);
# exit status 1 on any failure.
# Unit programs count each check; a transcript, shell test or fuzz target
# counts as one.
Q=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
export QUARRY="$Q" QUARRY_HISTORY=/dev/null LC_ALL=C.UTF-8
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# A fixed clock for what records when it was made (the model store's created column).
export SOURCE_DATE_EPOCH=1735689600
pass=0 fail=0 skipped=0
# want NAME: true when TESTS is unset or NAME matches it.
want() { case "$1" in ${TESTS:-*}) return 0;; esac; return 1; }
tmp=$(mktemp -d /tmp/quarry-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
export QUARRY_TMP="$tmp"
# Crash-recovery sets (autosave) go here, never into the home's state folder.
export QUARRY_RECOVERY_DIR="$tmp/recover"

# unit tests
for t in build/asan/tests/unit/test_*; do
    [ -x "$t" ] || continue
    want "$(basename "$t")" || continue
    out=$("$t" 2>"$tmp/unit.err"); rc=$?
    line=$(printf '%s\n' "$out" | grep -E '[0-9]+ passed, [0-9]+ failed' | tail -1)
    p=$(printf '%s' "$line" | sed -E 's/.* ([0-9]+) passed.*/\1/')
    f=$(printf '%s' "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
    [ -n "$p" ] || p=0
    [ -n "$f" ] || f=0
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    pass=$((pass + p)); fail=$((fail + f))
    if [ "$f" -ne 0 ]; then
        echo "FAIL unit $(basename "$t") (exit $rc)"; cat "$tmp/unit.err"
    else
        echo "ok   unit $(basename "$t"): $p checks"
    fi
done

# transcripts: NAME.qry through quarry -f, compared with NAME.out
for qry in tests/transcripts/*.qry; do
    name=${qry%.qry}
    want "$(basename "$name")" || continue
    [ -f "$name.out" ] || { echo "FAIL transcript $qry: no $(basename "$name").out"; fail=$((fail + 1)); continue; }
    # A first line "# flags: ..." gives extra options (e.g. --echo).
    flags=$(sed -n '1s/^# flags: //p' "$qry")
    (cd "$top" && "$Q" $flags --keep-going -f "$qry" >"$tmp/actual" 2>&1)
    if diff -u "$name.out" "$tmp/actual" >"$tmp/diff"; then
        pass=$((pass + 1)); echo "ok   transcript $(basename "$name")"
    else
        fail=$((fail + 1)); echo "FAIL transcript $(basename "$name")"; head -40 "$tmp/diff"
    fi
done

# shell tests
for sh in tests/sh/*.sh; do
    [ -f "$sh" ] || continue
    want "$(basename "$sh" .sh)" || continue
    sh "$sh" >"$tmp/sh.out" 2>&1; rc=$?
    if [ "$rc" -eq 0 ]; then
        pass=$((pass + 1)); echo "ok   $(basename "$sh" .sh)"
    elif [ "$rc" -eq 77 ]; then
        # exit 77: the test cannot run here (no PostgreSQL): said, counted apart, never a pass
        skipped=$((skipped + 1))
        echo "skip $(basename "$sh" .sh): $(sed -n 's/^skip: //p' "$tmp/sh.out" | tail -1)"
    else
        fail=$((fail + 1)); echo "FAIL $(basename "$sh" .sh)"; tail -30 "$tmp/sh.out"
    fi
done

# fuzz targets: replay the corpus, then fuzz for FUZZ_TEST_SECONDS (default 3).
# A crash, leak, undefined behaviour or failed check keeps its input in
# build/fuzz/findings-NAME/. Not built (no clang): said, not counted.
for src in tests/fuzz/fuzz_*.c; do
    n=$(basename "$src" .c)
    want "$n" || continue
    bin=build/fuzz/$n
    if [ ! -x "$bin" ]; then
        echo "skip fuzz $n: not built (needs clang and libclang-rt-14-dev; make test builds it)"
        continue
    fi
    mkdir -p "$tmp/$n/new"
    if "$bin" -max_total_time="${FUZZ_TEST_SECONDS:-3}" -timeout=20 \
        -artifact_prefix="$tmp/$n/" "$tmp/$n/new" "tests/fuzz/corpus/$n" >"$tmp/$n/log" 2>&1; then
        pass=$((pass + 1))
        echo "ok   fuzz $n: $(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$tmp/$n/log") runs"
    else
        fail=$((fail + 1))
        mkdir -p "build/fuzz/findings-$n"
        for f in "$tmp/$n"/crash-* "$tmp/$n"/leak-* "$tmp/$n"/timeout-* "$tmp/$n"/oom-*; do
            [ -f "$f" ] && cp "$f" "build/fuzz/findings-$n/"
        done
        echo "FAIL fuzz $n (inputs in build/fuzz/findings-$n; rerun one: $bin FILE)"
        grep -v '^#\|^INFO\|^\s*NEW_FUNC' "$tmp/$n/log" | tail -40
    fi
done

if [ "$skipped" -gt 0 ]; then
    echo "$pass passed, $fail failed, $skipped skipped"
else
    echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
