# bench/harness.sh: sourced by bench/sections/*.sh (`. "$here/harness.sh"`).
#
#   bench_cc OUT SRC   builds the in-process bench program SRC (which
#                      includes bench/harness.h) into OUT against the
#                      release build's engine and command objects (make
#                      quarry first, here) and SQLite; OpenBLAS is loaded
#                      on first use (src/base/blas_dl.h), as in quarry
#   bench_machine      one line: CPU model, cores, load average
#
# Peer comparisons run through bench/pair.py (paired rounds, alternating
# order, outlier checks; see its header).
bench_root=$(cd "$(dirname "${here:?set here to bench/ before sourcing harness.sh}")" && pwd)

# the release objects of the sources there are now (an object whose source
# was renamed or removed would be linked twice over)
bench_objs() {
    for o in "$bench_root"/build/rel/src/*/*.o "$bench_root"/build/rel/commands/*.o; do
        c=${o#"$bench_root"/build/rel/}
        [ -f "$bench_root/${c%.o}.c" ] && echo "$o"
    done
}

bench_cc() {
    make -s -C "$bench_root" quarry >&2
    cc -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -g \
        $(pkg-config --cflags openblas) -I"$bench_root/src" "$2" \
        $(bench_objs) \
        -o "$1" $(pkg-config --libs sqlite3 readline ncursesw zlib 2>/dev/null) \
        -lm -lpthread
}

bench_machine() {
    "${PYTHON:-/usr/bin/python3}" "$bench_root/bench/pair.py" machine
}
