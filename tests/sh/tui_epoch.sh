# Long training says where it is (issue 17: "long work shows progress
# (epoch, loss)"): while a network trains, the status bar gives the epoch
# of the total and the losses beside the bar (tick_note -> cmd_ctx
# progress_text -> the TUI's status line); Ctrl-C then stops it with the
# best weights so far kept.
. tests/tui/lib.sh
start 130 30 --init sample-data/load.qry
enter 'series orders date=ts value=amount period=day as ds'
wait_after '^quarry> series' '^quarry>' 30 || fail "series"
enter 'forecast ds date=period value=amount model=lstm epochs=3000 patience=0 hidden=64'
wait_for '^ running .* epoch [0-9]+/3000, loss [0-9.e+-]+, validation [0-9.e+-]+ ' 60 ||
    fail "no epoch and losses in the status bar"
keys C-c
wait_for 'kept its best weights so far' 60 || fail "Ctrl-C while training"
# the words go with the statement: the next one's bar has none
enter 'SELECT count(*) AS n FROM ds;'
wait_after '^quarry> SELECT' '^ *731$' 20 || fail "statement after"
screen | grep -q 'epoch [0-9]*/3000' && fail "the status bar still shows the epoch"
# a sequence classifier's training says the same (nn_fit's note, issue 17)
enter 'load sample-data/events.csv'
wait_after '^quarry> load sample-data/events' '^quarry>' 30 || fail "load events"
enter 'sequences events user=customer_id time=ts event=event item=product horizon=30d window=60d maxlen=20 holdout=yes as s'
wait_after '^quarry> sequences' '^quarry>' 60 || fail "sequences"
enter 'train s target=label model=lstm embed=8 hidden=16 epochs=3000 patience=5000 seed=1 as m_lstm'
wait_for '^ running .* epoch [0-9]+/3000, loss [0-9.e+-]+, validation [0-9.e+-]+ ' 60 ||
    fail "no epoch and losses in the status bar while a sequence classifier trains"
keys C-c
wait_for '[Ii]nterrupted' 60 || fail "Ctrl-C while a classifier trains"
enter quit
wait_for 'Quit without saving\? \(y/N\)' || fail "unsaved-changes question"
type_text 'y'
wait_for 'QUARRY-EXIT-0' || fail "quit"
asan_clean
