# Help text wraps to the pane at word boundaries instead of being cut at its
# edge (issue 13): help, help CMD and explain X at 60 and at 120 columns.
# The wrapped lines below were laid out by hand at the pane's 59 columns
# (tables and text keep one column spare).
. tests/tui/lib.sh
start 60 120
enter 'help cluster'
wait_after '^quarry> help cluster$' '^example:' || fail "help cluster"
# "  cols       Required. The numeric columns that describe a row (normalise them"
# and its continuations "first if their scales differ). * names every numeric
# column that" and "is not key-like (ids)." flow under "Required.".
screen | grep -qx '  cols       Required. The numeric columns that describe a' || fail "cols, line 1"
screen | grep -qx '             row (normalise them first if their scales' || fail "cols, line 2"
screen | grep -qx '             differ). \* names every numeric column that is' || fail "cols, line 3"
screen | grep -qx '             not key-like (ids).' || fail "cols, line 4"
# "  as NAME    Write ..." hangs under "Write".
screen | grep -qx '  as NAME    Write the result to a new table NAME (never' || fail "as NAME, line 1"
screen | grep -qx '             one that exists).' || fail "as NAME, line 2"
enter 'explain dbscan'
wait_after '^quarry> explain dbscan$' '^Parameters: eps \(a radius\) and minpts\. The neighbourhood of$' \
    || fail "explain wraps"
# No line of the screen reaches the last column (the pane keeps one spare).
screen | awk 'length($0) > 59 { bad = 1 } END { exit bad }' || fail "a line reaches the edge"
# help's list is taller than the screen: its end shows a synopsis wrapped
# under itself and the closing paragraph reflowed.
enter 'help'
wait_for '^a comment\.$' || fail "help list"
screen | grep -qx '  plot        plot KIND TABLE \[x=COL\] \[y=COL\[,COL...\]\]' || fail "plot, line 1"
screen | grep -qx '              \[key=value ...\] \[to=FILE.png|.svg|.pdf\]' || fail "plot, line 2"
screen | grep -qx 'SQL: a statement that starts with SELECT, WITH, CREATE,' || fail "SQL, line 1"

start 120 80
enter 'help cluster'
wait_after '^quarry> help cluster$' '^example:' || fail "help cluster at 120"
# The synopsis (about 300 columns) wraps; its end is on screen, not cut.
screen | grep -q '\[as NAME\]$' || fail "the synopsis should wrap to show its end"
screen | grep -qx '  cols       Required. The numeric columns that describe a row (normalise them' \
    || fail "a line that fits keeps its layout"
enter 'quit'
asan_clean
