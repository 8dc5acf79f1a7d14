#!/bin/sh
# bench/sections/sequences.sh: issue 19's two workloads, printed as a
# markdown section (bench/section.sh sequences puts it in RESULTS.md):
#  1. the LSTM classifier's network, 100,000 sequences x 50 tokens, embed
#     16, hidden 32, batch 128 (bench/seqnn_time.c) against the same
#     network in PyTorch (bench/seqnn_torch.py, float32), 1 and 2 threads;
#  2. `sequences` over 5,000,000 events (bench/gen_events.py) against
#     pandas doing the same cut and labels (bench/sequences_pandas.py),
#     in ROUNDS paired rounds (quarry then pandas, each a fresh process).
# Environment: QB_DIR (default /tmp/quarry-bench), EPOCHS (1), ROUNDS (1).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(dirname "$here")
QB=${QB_DIR:-/tmp/quarry-bench}
O=$QB/bench-out
mkdir -p "$O"
PY=${PYTHON:-/usr/bin/python3}
[ -f "$root/build/rel/src/nn/nn.o" ] || (cd "$root" && make quarry >&2)
cc -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -g \
    $(pkg-config --cflags openblas) -I"$root/src" "$here/seqnn_time.c" \
    "$root"/build/rel/src/nn/*.o "$root"/build/rel/src/base/*.o -o "$O/seqnn_time" \
    $(pkg-config --libs sqlite3 openblas) -lm -lpthread
E=${EPOCHS:-1}
R=${ROUNDS:-1}
cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
field() { echo "$1" | sed -n "s/.* $2=\([0-9.]*\).*/\1/p"; }
load0=$(cut -d' ' -f1-3 /proc/loadavg)
q1=$("$O/seqnn_time" "$E" 1)
q2=$("$O/seqnn_time" "$E" 2)
t1=$("$PY" "$here/seqnn_torch.py" "$E" 1 2>/dev/null || echo "torch unavailable")
t2=$("$PY" "$here/seqnn_torch.py" "$E" 2 2>/dev/null || echo "torch unavailable")
echo "## sequences and the LSTM classifier (issue 19)"
echo
echo "CPU: $cpu, 2 cores, shared (load average $load0 before)."
echo
echo "### LSTM classifier: 100,000 sequences x 50, embed 16, hidden 32, batch 128, $E epoch(s)"
echo
echo "| tool | threads | sec/epoch wall | CPU sec/epoch | final loss |"
echo "|---|---|---|---|---|"
echo "| quarry (src/nn, double) | 1 | $(field "$q1" sec_per_epoch) | $(field "$q1" cpu_per_epoch) | $(field "$q1" final_loss) |"
echo "| quarry (src/nn, double) | 2 | $(field "$q2" sec_per_epoch) | $(field "$q2" cpu_per_epoch) | $(field "$q2" final_loss) |"
echo "| PyTorch (float32) | 1 | $(field "$t1" sec_per_epoch) | $(field "$t1" cpu_per_epoch) | $(field "$t1" final_loss) |"
echo "| PyTorch (float32) | 2 | $(field "$t2" sec_per_epoch) | $(field "$t2" cpu_per_epoch) | $(field "$t2" final_loss) |"
echo
csv=$("$PY" "$here/gen_events.py")
cat > "$O/seq.qry" <<QRY
set timer=on
load $csv as events
sequences events user=customer_id time=ts event=event item=product until=2024-12-24 horizon=7d window=30d maxlen=50 as s
QRY
echo "### sequences over 5,000,000 events (${R} paired round(s))"
echo
echo "| round | quarry step wall s | quarry step CPU s | quarry peak RSS MB (load + cut) | pandas cut wall s | pandas peak RSS MB (read + cut) | rows (quarry / pandas) |"
echo "|---|---|---|---|---|---|---|"
i=1
while [ "$i" -le "$R" ]; do
    qo=$(QUARRY_RECOVERY_DIR="$O/recover" /usr/bin/time -v "$root/quarry" -f "$O/seq.qry" 2>&1)
    step=$(echo "$qo" | grep -A2 '^sequences:' | sed -n 's/^time: real \([0-9.]*\)s user \([0-9.]*\)s sys \([0-9.]*\)s.*/\1 \2 \3/p')
    qrows=$(echo "$qo" | sed -n 's/^sequences: \([0-9]*\) rows.*/\1/p')
    qrss=$(echo "$qo" | sed -n 's/.*Maximum resident set size (kbytes): //p')
    po=$(/usr/bin/time -v "$PY" "$here/sequences_pandas.py" "$csv" 2>&1)
    pcut=$(echo "$po" | sed -n 's/.*cut_s=\([0-9.]*\).*/\1/p')
    prows=$(echo "$po" | sed -n 's/.* rows=\([0-9]*\).*/\1/p')
    prss=$(echo "$po" | sed -n 's/.*Maximum resident set size (kbytes): //p')
    set -- $step
    echo "| $i | $1 | $(echo "$2 + $3" | bc) | $((qrss / 1024)) | $pcut | $((prss / 1024)) | $qrows / $prows |"
    i=$((i + 1))
done
echo
echo "(load average $(cut -d' ' -f1-3 /proc/loadavg) after)"
