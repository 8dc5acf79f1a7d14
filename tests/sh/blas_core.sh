# OpenBLAS and libpq are loaded on first use (issue 16; src/base/blas_dl.h,
# src/remote/pq_dl.h), not when quarry starts: quarry waiting on its script
# from a FIFO has neither mapped (/proc/PID/maps) and runs one thread (no
# OpenBLAS thread spins); a SELECT maps neither; a similarity (cblas_dgemm)
# maps libopenblas and still not libpq. Which kernels the load chooses is
# checked by test_blas_dl. Without OpenBLAS (QUARRY_BLAS_LIB naming no
# file) similarity gives the same similarities, on plain loops, and the
# user is told so once.
set -u
Q=$QUARRY
T=$QUARRY_TMP/blas_core
mkdir -p "$T"
fail() { echo "blas_core: $*"; exit 1; }
[ -r /proc/self/maps ] || { echo "blas_core: skipped: no /proc"; exit 0; }

# has LIB: is a file named like LIB mapped into quarry ($pid)?
has() { grep -q "$1" /proc/$pid/maps; }
# upto MARK: wait until quarry has printed MARK (it ran every statement before it).
upto() {
    i=0
    until grep -q "$1" "$T/out"; do
        i=$((i + 1))
        [ $i -lt 1200 ] || fail "quarry never printed $1: $(cat "$T/out")"
        kill -0 $pid 2>/dev/null || fail "quarry ended before $1: $(cat "$T/out")"
        sleep 0.1
    done
}

rm -f "$T/fifo"; mkfifo "$T/fifo"
"$Q" -f "$T/fifo" > "$T/out" 2>&1 &
pid=$!
exec 9> "$T/fifo"              # quarry has opened the script: it is past start-up
has libopenblas && fail "quarry maps libopenblas at start-up"
has libpq && fail "quarry maps libpq at start-up"
n=$(ls /proc/$pid/task | wc -l)
[ "$n" -eq 1 ] || fail "quarry waiting on its script runs $n threads, not 1 (OpenBLAS's?)"
cat >&9 <<'EOF'
CREATE TABLE p(id INTEGER, a REAL, b REAL);
INSERT INTO p VALUES (1, 1, 2), (2, 2, 1), (3, 10, 11), (4, 4, 11), (5, 7, 3);
SELECT 'mark' || 1;
EOF
upto mark1
has libopenblas && fail "a SELECT mapped libopenblas"
cat >&9 <<'EOF'
similarity p cols=a,b by=id top=2 as near
SELECT 'mark' || 2;
EOF
upto mark2
has libopenblas || fail "similarity did not map libopenblas"
has libpq && fail "similarity mapped libpq"
exec 9>&-
wait $pid || fail "quarry failed: $(cat "$T/out")"

# The same similarities without OpenBLAS, and one note saying so.
sim="similarity p cols=a,b by=id top=2 as near replace=yes; SELECT id, neighbour, round(similarity, 12) FROM near ORDER BY 1, 2"
setup="CREATE TABLE p(id INTEGER, a REAL, b REAL);
INSERT INTO p VALUES (1, 1, 2), (2, 2, 1), (3, 10, 11), (4, 4, 11), (5, 7, 3)"
"$Q" -c "$setup" -c "$sim" > "$T/with" 2>&1 || fail "similarity failed: $(cat "$T/with")"
QUARRY_BLAS_LIB=/nonexistent/libopenblas.so.0 "$Q" -c "$setup" -c "$sim" -c "$sim" \
    > "$T/without" 2>&1 || fail "similarity without OpenBLAS failed: $(cat "$T/without")"
n=$(grep -c "OpenBLAS could not be loaded (/nonexistent/libopenblas.so.0" "$T/without")
[ "$n" -eq 1 ] || fail "the note on the missing OpenBLAS came $n times, not once: $(cat "$T/without")"
grep -v "OpenBLAS could not be loaded" "$T/without" | head -n "$(wc -l < "$T/with")" > "$T/without1"
cmp -s "$T/with" "$T/without1" || fail "without OpenBLAS the similarities differ: $(diff "$T/with" "$T/without1")"
echo "blas_core: ok"
