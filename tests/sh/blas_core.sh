# The OpenBLAS core restart (issue 18, ui/main.c restart_with_env): quarry
# started without OPENBLAS_CORETYPE, on a CPU whose AVX-512 or AVX2 the
# core OpenBLAS chose does not use, runs with the variable set to the
# better core (what test_blas_core finds for this machine, checked there
# against OpenBLAS itself); a variable the user set is kept as given;
# QUARRY_BLAS_CORE=keep and QUARRY_NO_REEXEC=1 leave OpenBLAS's choice.
# And no OpenBLAS thread runs (spins) before BLAS is used.
# The running process's environment is read from /proc while quarry waits
# on a script from a FIFO.
set -u
Q=$QUARRY
T=$QUARRY_TMP/blas_core
mkdir -p "$T"
fail() { echo "blas_core: $*"; exit 1; }
top=$(cd "$(dirname "$0")/../.." && pwd)
[ -r /proc/self/environ ] || { echo "blas_core: skipped: no /proc"; exit 0; }
U=$top/build/asan/tests/unit/test_blas_core
[ -x "$U" ] || { echo "blas_core: skipped: $U not built"; exit 0; }
want=$(env -u OPENBLAS_CORETYPE "$U" | sed -n 's/.*better here: //p')
[ -n "$want" ] || fail "test_blas_core said nothing about this machine"
[ "$want" = "(none)" ] && want=

# core_of ENV...: the OPENBLAS_CORETYPE quarry runs with, started with ENV.
core_of() {
    rm -f "$T/fifo"; mkfifo "$T/fifo"
    env -u OPENBLAS_CORETYPE "$@" "$Q" -f "$T/fifo" > "$T/out" 2>&1 &
    pid=$!
    exec 9> "$T/fifo"          # quarry has opened the script: it is past start-up
    tr '\0' '\n' < /proc/$pid/environ | sed -n 's/^OPENBLAS_CORETYPE=//p'
    echo "SELECT 'done';" >&9
    exec 9>&-
    wait $pid || fail "quarry ($*) failed: $(cat "$T/out")"
    grep -q done "$T/out" || fail "quarry ($*) did not run the script: $(cat "$T/out")"
}

got=$(core_of)
[ "$got" = "$want" ] || fail "default start runs OPENBLAS_CORETYPE='$got', expected '$want'"
got=$(core_of OPENBLAS_CORETYPE=Haswell)
[ "$got" = Haswell ] || fail "a user's OPENBLAS_CORETYPE=Haswell became '$got'"
got=$(core_of QUARRY_BLAS_CORE=keep)
[ -z "$got" ] || fail "QUARRY_BLAS_CORE=keep still set OPENBLAS_CORETYPE=$got"
got=$(core_of QUARRY_NO_REEXEC=1)
[ -z "$got" ] || fail "QUARRY_NO_REEXEC=1 still set OPENBLAS_CORETYPE=$got"

# No OpenBLAS thread runs before BLAS is used (ui/main.c, blas_thread_shutdown_): quarry
# waiting on its script has one thread; OpenBLAS alone starts one more a further core.
rm -f "$T/fifo"; mkfifo "$T/fifo"
"$Q" -f "$T/fifo" > "$T/out" 2>&1 &
pid=$!
exec 9> "$T/fifo"              # quarry has opened the script: it is past start-up
n=$(ls /proc/$pid/task | wc -l)
echo "SELECT 'done';" >&9
exec 9>&-
wait $pid || fail "quarry failed: $(cat "$T/out")"
[ "$n" -eq 1 ] || fail "quarry waiting on its script runs $n threads, not 1 (OpenBLAS's?)"
echo "blas_core: ok (this machine: '${want:-no change}')"
