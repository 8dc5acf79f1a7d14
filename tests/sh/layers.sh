# House rules a compiler can check (docs/STYLE.md sections 1 and 3).
# The layering itself is enforced by the compiler: the Makefile gives src/
# only its own include path, commands/ src/ and its own, ui/ all three, so
# an include across the line does not build. This test checks that the
# Makefile says so, that no file reaches around it with a relative path,
# that the engine never prints or exits, that every header compiles on its
# own with its layer's include path, and that banned.h is included by
# every .c file.
set -u
fail=0
want() { grep -qxF "$1" Makefile || { echo "Makefile: expected the line '$1'"; fail=1; }; }
want 'INC_src      := -Isrc'
want 'INC_commands := -Isrc -Icommands'
want 'INC_ui       := -Isrc -Icommands -Iui'
grep -q '(layer)' Makefile || { echo "Makefile: CFLAGS_ALL does not use the layer's include path"; fail=1; }
bad=$(grep -rlE '^#include *"\.\./' src commands ui)
[ -z "$bad" ] || { echo "an include reaches around the include path: $bad"; fail=1; }
bad=$(grep -rlE '^#include *[<"](n?curses|ncursesw/|readline/)' src commands)
[ -z "$bad" ] || { echo "curses or readline below ui/: $bad"; fail=1; }
# The engine never prints to the terminal, exits or aborts (out of memory
# is an error, or the front end's handler: buf_set_oom_handler).
bad=$(grep -rnE '\b(printf|puts|exit|_exit|abort)\(|fprintf\(std(out|err)' src commands \
      --include='*.c')
[ -z "$bad" ] || { echo "printing or exiting below ui/:"; echo "$bad"; fail=1; }
for c in $(find src commands ui -name '*.c'); do
    grep -q '#include "base/banned.h"' "$c" || { echo "$c does not include banned.h"; fail=1; }
done
cflags="-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra -Werror $(pkg-config --cflags openblas libpq 2>/dev/null)"
for h in $(find src commands ui -name '*.h'); do
    case $h in
    src/*) inc="-Isrc" ;;
    commands/*) inc="-Isrc -Icommands" ;;
    *) inc="-Isrc -Icommands -Iui" ;;
    esac
    printf '#include "%s"\n' "$h" | cc $cflags $inc -I. -fsyntax-only -x c - 2>&1 | head -3 |
        grep . && { echo "header $h does not compile on its own"; fail=1; }
done
# No name commands/ defines shares a prefix with an engine module (a
# module is a src/ file: prep.c, plot.c, ...), so a stack trace or a grep
# says which layer a name is in: function definitions, file-scope
# variables and arrays, macros, struct and enum definitions.
mods=$(find src -name '*.c' | xargs -n1 basename | sed 's/\.c$//' | sort -u | paste -sd'|')
MODS=$(echo "$mods" | tr 'a-z' 'A-Z')
bad=$(grep -nE "^(static )?(const )?((struct|enum) [a-z_]+ |[a-z_]+ \**)?\**($mods)_[a-z0-9_]+ *(\(|\[|=|;)" commands/*.c;
      grep -nE "^($mods)_[a-z0-9_]+\(|^(struct|enum) ($mods)_[a-z0-9_]+ *\{|#define ($MODS)_" commands/*.[ch])
[ -z "$bad" ] || { echo "a name in commands/ shares a prefix with an engine module:"; echo "$bad"; fail=1; }
for f in $(find src commands ui -name '*.[ch]'); do
    n=$(wc -l < "$f")
    [ "$n" -le 900 ] || { echo "$f has $n lines; split it by concern (docs/STYLE.md: about 800)"; fail=1; }
done
exit $fail
