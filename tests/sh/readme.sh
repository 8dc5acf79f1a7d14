# The README's worked session is the transcript tests/transcripts/readme.out
# (which the transcript test checks against quarry's real output).
set -eu
awk '/^## A worked session/ { on = 1 } on && /^```text$/ { inblock = 1; next }
     inblock && /^```$/ { exit } inblock { print }' README.md > "$QUARRY_TMP/readme.block"
diff -u tests/transcripts/readme.out "$QUARRY_TMP/readme.block"
