# House rules a compiler can check (STYLE.md section 1 and 3): the engine
# (src/) includes no curses, readline, commands/ or ui/ headers and never
# prints or exits; commands/ includes no ui/ headers; every header compiles
# on its own; banned.h is included by every .c file.
set -u
fail=0
bad=$(grep -lE '^#include *[<"](n?curses|ncursesw/|readline/|cmd\.h|render\.h)' src/*.[ch])
[ -z "$bad" ] || { echo "src/ includes a front-end header: $bad"; fail=1; }
bad=$(grep -lE '^#include *[<"](n?curses|ncursesw/|readline/|render\.h)' commands/*.[ch])
[ -z "$bad" ] || { echo "commands/ includes a front-end header: $bad"; fail=1; }
# The engine never prints to the terminal or exits (buf.c's out-of-memory
# abort is the one documented exception).
bad=$(grep -nE '\b(printf|puts|exit|_exit)\(|fprintf\(std(out|err)' src/*.c commands/*.c | grep -v '^src/buf.c')
[ -z "$bad" ] || { echo "printing or exiting below ui/:"; echo "$bad"; fail=1; }
for c in src/*.c commands/*.c ui/*.c; do
    grep -q '#include "banned.h"' "$c" || { echo "$c does not include banned.h"; fail=1; }
done
cflags="-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra -Werror -Isrc -Icommands -Iui"
for h in src/*.h commands/*.h ui/*.h; do
    printf '#include "%s"\n' "$(basename "$h")" | cc $cflags -fsyntax-only -x c - 2>&1 | head -3 |
        grep . && { echo "header $h does not compile on its own"; fail=1; }
done
for f in src/*.[ch] commands/*.[ch] ui/*.[ch]; do
    n=$(wc -l < "$f")
    [ "$n" -le 900 ] || { echo "$f has $n lines; split it by concern (STYLE.md: about 800)"; fail=1; }
done
exit $fail
