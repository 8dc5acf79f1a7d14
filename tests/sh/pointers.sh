# Pointers in comments and documents lead somewhere: every repository path
# that the code's comments, the README, CONTRIBUTING.md and docs/ name
# exists (placeholders in capitals, like tests/unit/test_MODULE.c, and
# globs are skipped; so are the tables of docs/, which name other
# projects' files); no comment cites a document outside the repository
# (the house rules are docs/DESIGN.md, docs/STYLE.md, docs/METHODS.md);
# and a file's opening comment names the file itself.
set -u
fail=0
code=$(find src commands ui tests/unit tests/fuzz tests/tui tests/sh -name '*.[ch]' -o -name '*.sh' |
       sort)
docs="README.md CONTRIBUTING.md $(ls docs/*.md)"
# (not inside a longer path: $(PREFIX)/share/man/man1/quarry.1 is no pointer)
paths='(?<![\w/.$)-])(src|commands|ui|tests|docs|man|bench|sample-data)/[\w./*-]+\.(c|h|sh|py|qry|out|md|csv|txt|1)\b'
{
    grep -noP "$paths" $code Makefile
    for f in $docs; do
        grep -nv '^|' "$f" | grep -oP "^[0-9]+:|$paths" |
            awk -v f="$f" '/:$/ { n = $0; next } { print f ":" n $0 }'
    done
} | while IFS=: read -r f n p; do
    case $p in *[A-Z]*|*'*'*) continue ;; esac
    [ -e "$p" ] || echo "$f:$n: names $p, which does not exist"
done > "$QUARRY_TMP/pointers.bad"
if [ -s "$QUARRY_TMP/pointers.bad" ]; then cat "$QUARRY_TMP/pointers.bad"; fail=1; fi
bad=$(grep -nE '(\.\./)?shared/|research/[a-z-]+\.md|[^/]\b(DESIGN|STYLE|METHODS)\.md' \
          $code Makefile README.md tests/transcripts/*.qry |
      grep -v 'docs/\(DESIGN\|STYLE\|METHODS\)\.md' | grep -v '^tests/sh/pointers.sh:')
[ -z "$bad" ] || { echo "a pointer outside the repository, or without docs/:"; echo "$bad"; fail=1; }
for f in $(find src commands ui tests/unit tests/fuzz -name '*.[ch]'); do
    said=$(sed -n '2s/^ \* \([A-Za-z0-9_]*\.[ch]\):.*/\1/p' "$f")
    [ -z "$said" ] || [ "$said" = "$(basename "$f")" ] ||
        { echo "$f: its opening comment calls it $said"; fail=1; }
done
exit $fail
