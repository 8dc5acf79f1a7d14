#!/bin/sh
# bench/section.sh NAME [ARGS]: run bench/sections/NAME.sh [ARGS], which prints one
# markdown section of results, and put it in bench/RESULTS.md between the
# markers <!-- section NAME --> and <!-- /section NAME --> (replacing an
# earlier run's, or appending). NO_RESULTS=1 prints it only.
# bench/run.sh (make bench) runs every section after its own.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
name=$1
shift                    # the rest goes to the section's script (e.g. kmeans algo pipeline)
script=$here/sections/$name.sh
[ -f "$script" ] || { echo "bench: no section $script" >&2; exit 1; }
out=$(mktemp /tmp/quarry-section.XXXXXX)
trap 'rm -f "$out"' EXIT
sh "$script" "$@" > "$out"
cat "$out"
[ "${NO_RESULTS:-0}" = 1 ] && exit 0
"${PYTHON:-/usr/bin/python3}" - "$here/RESULTS.md" "$name" "$out" <<'PY'
import os, sys
path, name, new = sys.argv[1], sys.argv[2], open(sys.argv[3]).read().rstrip("\n")
begin, end = f"<!-- section {name} -->", f"<!-- /section {name} -->"
text = open(path).read() if os.path.exists(path) else ""
block = f"{begin}\n{new}\n{end}"
if begin in text and end in text:
    a = text.index(begin)
    b = text.index(end) + len(end)
    text = text[:a] + block + text[b:]
else:
    text = text.rstrip("\n") + "\n\n" + block + "\n"
open(path + ".tmp", "w").write(text)
os.replace(path + ".tmp", path)
print(f"wrote the '{name}' section of {path}", file=sys.stderr)
PY
