#!/bin/sh
# Regenerate the COMMANDS section of man/quarry.1 from quarry's own help, so
# the manual and the command table cannot drift apart (tests/sh/man.sh
# checks that the committed page is what this script makes).
#   man/commands.sh ./quarry > /tmp/quarry.1 && mv /tmp/quarry.1 man/quarry.1
set -eu
Q=${1:-./quarry}
page=$(dirname "$0")/quarry.1
# (a long list of choices may break after each |: \: is an invisible break point)
roffesc() { sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e "s/^\\([.']\\)/\\\\\\&\\1/" \
    -e '/^ *[a-z0-9]*\(|[a-z0-9]*\)\{6,\}\.$/s/|/|\\:/g'; }
sed -n '1,/^\.\\" BEGIN COMMANDS/p' "$page"
"$Q" --plain -c help | awk '
    /^[a-z]+$/ { fam = $1; next }
    /^  [a-z]+ / && fam != "" && !seen[$1]++ { print fam, $1 }' |
while read -r fam name; do
    if [ "$fam" != "${last:-}" ]; then
        printf '.SS "%s"\n' "$(echo "$fam" | sed 's/./\U&/')"
        last=$fam
    fi
    "$Q" --plain -c "help $name" | roffesc | awk '
        function flush() { if (para != "") print para; para = "" }
        NR == 1 { printf ".TP\n.B \"%s\"\n", $0; next }
        /^$/ { next }
        /^arguments:$/ { flush(); mode = "args"; print ".RS"; next }
        /^example:$/ { flush(); if (mode == "args") print ".RE"; mode = "ex"; next }
        mode == "" { sub(/^ +/, ""); para = para (para != "" ? " " : "") $0; next }
        mode == "args" && /^  [^ ]/ {
            flush(); line = substr($0, 3); key = line; sub(/ .*/, "", key)
            if (key == "as") { key = "as NAME" }
            rest = substr(line, length(key) + 1); sub(/^ +/, "", rest)
            printf ".TP\n.B %s\n", key; para = rest; next }
        mode == "args" { sub(/^ +/, ""); para = para " " $0; next }
        mode == "ex" && /^[a-z]/ { mode = ""; printf ".TP\n.B \"%s\"\n", $0; next }
        mode == "ex" { sub(/^ +/, ""); printf ".IP\nExample:\n.B %s\n", $0; next }
        END { flush() }'
done
sed -n '/^\.\\" END COMMANDS/,$p' "$page"
