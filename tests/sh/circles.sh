# No two files of a folder of src/ call each other in a circle (docs/STYLE.md
# section 1: "a folder's files never include each other in a circle"):
# A calls B and B calls A, directly or through others. The calls are read
# from the objects make test has built (build/asan): a file calls another
# when it uses a symbol the other defines. tsort finds the circles.
set -u
objs=build/asan/src
[ -d "$objs" ] || { echo "no $objs: run make test"; exit 1; }
fail=0
tmp=$(mktemp -d /tmp/quarry-circles.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
for dir in "$objs"/*/; do
    : > "$tmp/defs"
    for o in "$dir"*.o; do
        nm --defined-only "$o" | awk -v f="$(basename "$o" .o)" '$2 ~ /^[TDBR]$/ { print $3, f }'
    done | sort > "$tmp/defs"
    for o in "$dir"*.o; do
        f=$(basename "$o" .o)
        echo "$f $f" # every file is a node, called or not
        nm --undefined-only "$o" | awk '{ print $2 }' | sort |
            join - "$tmp/defs" | awk -v f="$f" '$2 != f { print f, $2 }'
    done | sort -u > "$tmp/edges"
    if ! tsort "$tmp/edges" > /dev/null 2> "$tmp/loop"; then
        echo "files of src/$(basename "$dir")/ call each other in a circle:"
        grep -v 'input contains a loop' "$tmp/loop" | sed 's/^tsort: /  /'
        fail=1
    fi
done
exit $fail
