# The COMMANDS section of man/quarry.1 is what man/commands.sh makes from
# the command table's help, and the page renders without warnings.
set -eu
man/commands.sh "$QUARRY" > "$QUARRY_TMP/quarry.1"
diff -u man/quarry.1 "$QUARRY_TMP/quarry.1"
if command -v groff >/dev/null 2>&1; then
    warn=$(groff -man -Tutf8 -ww -z man/quarry.1 2>&1 || true)
    [ -z "$warn" ] || { echo "groff: $warn"; exit 1; }
fi
