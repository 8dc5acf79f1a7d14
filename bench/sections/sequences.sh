#!/bin/sh
# bench/sections/sequences.sh: issue 19's two workloads in paired rounds
# (bench/pair.py), printed as a markdown section (bench/section.sh
# sequences puts it in bench/RESULTS.md):
#  lstm    the LSTM classifier's network, 100,000 sequences x 50 tokens,
#          embed 16, hidden 32, batch 128 (bench/seqnn_time.c) against the
#          same network in PyTorch (bench/seqnn_torch.py, float32), both on
#          THREADS (2) threads (and PyTorch on 1 thread beside, where
#          its 2-thread OpenMP spinning shows), EPOCHS (1) epoch(s) a process, of SEQS
#          (100,000) sequences (fewer: a part of an epoch, when a busy
#          machine makes PyTorch's whole epoch take too long);
#  events  `sequences` over 5,000,000 events (bench/gen_events.py) against
#          pandas doing the same cut and labels (bench/sequences_pandas.py):
#          whole processes (load + cut against read_csv + cut), with the
#          step's own time and each process's peak RSS.
#   sh bench/section.sh sequences [lstm|events|both]    (both)
# Environment: QB_DIR (default /tmp/quarry-bench), ROUNDS (3), EPOCHS (1),
# THREADS (2), SEQS (100000), PYTHON; REUSE=1 renders the rounds files of an earlier run.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/harness.sh"
QB=${QB_DIR:-/tmp/quarry-bench}
O=$QB/bench-out
mkdir -p "$O"
PY=${PYTHON:-/usr/bin/python3}
R=${ROUNDS:-3}
E=${EPOCHS:-1}
TH=${THREADS:-2}
SEQS=${SEQS:-100000}
part=${1:-both}
echo "## sequences and the LSTM classifier (issue 19)"
echo
if [ "${REUSE:-0}" = 1 ]; then
    echo "Rendered from the rounds files of an earlier run (its machine and load: the lines under each table)."
else
    echo "$(bench_machine) at the start. OpenBLAS core type: ${OPENBLAS_CORETYPE:-chosen at first use by src/base/blas_dl.c (unset)}."
fi
if [ "$part" != events ]; then
    [ "${REUSE:-0}" = 1 ] || bench_cc "$O/seqnn_time" "$here/seqnn_time.c"
    [ "${REUSE:-0}" = 1 ] || "$PY" "$here/pair.py" run "$O/seqnn.json" "$R" \
        "quarry=$O/seqnn_time $E $TH $SEQS" "pytorch=$PY $here/seqnn_torch.py $E $TH float32 $SEQS" \
        "pytorch_1t=OMP_NUM_THREADS=1 $PY $here/seqnn_torch.py $E 1 float32 $SEQS" >&2
    "$PY" - "$O/seqnn.json" "$here" "$E" "$TH" <<'PY'
import sys
sys.path.insert(0, sys.argv[2])
import pair
res = __import__("json").load(open(sys.argv[1]))
e, th = sys.argv[3], sys.argv[4]
w = pair.summary(res, "quarry", "pytorch", "sec_per_epoch")
c = pair.summary(res, "quarry", "pytorch", "cpu_per_epoch")
import re
seqs = int(re.search(r"seqs=(\d+)", res["rounds"][0]["quarry"]["out"]).group(1))
part = "" if seqs == 100000 else f" (a process trains {seqs:,} of the epoch's 100,000 sequences, {-(-seqs // 128)} batches: 'sec/epoch' below is the time of that part)"
print(f"\n### LSTM classifier: 100,000 sequences x 50, embed 16, hidden 32, batch 128; {th} threads, {e} epoch(s) a process{part}\n")
print("| | quarry (src/nn) | PyTorch 1.13 (float32) | quarry / PyTorch (median of rounds, range) |")
print("|---|---|---|---|")
print(f"| sec/epoch wall | {w['a']:.2f} | {w['b']:.2f} | **{w['ratio']:.2f}x** ({w['lo']:.2f}-{w['hi']:.2f}) |")
print(f"| CPU sec/epoch (every thread) | {c['a']:.2f} | {c['b']:.2f} | **{c['ratio']:.2f}x** ({c['lo']:.2f}-{c['hi']:.2f}) |")
print(f"| peak RSS MiB | {w['a_rss']:.0f} | {w['b_rss']:.0f} | |")
if "pytorch_1t" in res["meta"]["tools"]:
    w1 = pair.summary(res, "quarry", "pytorch_1t", "sec_per_epoch")
    c1 = pair.summary(res, "quarry", "pytorch_1t", "cpu_per_epoch")
    print(f"| against PyTorch on 1 thread: sec/epoch wall | {w1['a']:.2f} | {w1['b']:.2f} | **{w1['ratio']:.2f}x** ({w1['lo']:.2f}-{w1['hi']:.2f}) |")
    print(f"| against PyTorch on 1 thread: CPU sec/epoch | {c1['a']:.2f} | {c1['b']:.2f} | **{c1['ratio']:.2f}x** ({c1['lo']:.2f}-{c1['hi']:.2f}) |")
print()
print(pair.machine_line(res) + ".")
met = "met" if w["ratio"] <= 0.33 else "**not met**"
print(f"\nGoal (issue 19): seconds per epoch <= 0.33x PyTorch's CPU run on 2 threads, in this run: {met}, see the reading below (wall {w['ratio']:.2f}x, CPU {c['ratio']:.2f}x).")
PY
fi
if [ "$part" != lstm ]; then
    csv=$("$PY" "$here/gen_events.py")
    cat > "$O/seq.qry" <<QRY
set timer=on
load $csv as events
sequences events user=customer_id time=ts event=event item=product until=2024-12-24 horizon=7d window=30d maxlen=50 as s
QRY
    # a copy of the binary, so a rebuild during the rounds cannot touch it
    if [ "${REUSE:-0}" != 1 ]; then
        make -s -C "$bench_root" quarry >&2
        cp "$bench_root/quarry" "$O/quarry-seq"
        "$PY" "$here/pair.py" run "$O/seqev.json" "$R" \
            "quarry=QUARRY_RECOVERY_DIR=$O/recover $O/quarry-seq -f $O/seq.qry" \
            "pandas=$PY $here/sequences_pandas.py $csv" >&2
    fi
    "$PY" - "$O/seqev.json" "$here" <<'PY'
import json, re, statistics as st, sys
sys.path.insert(0, sys.argv[2])
import pair
res = json.load(open(sys.argv[1]))
def step(out):
    m = re.search(r"^sequences: (\d+) rows.*?\n(?:.*\n)??time: real ([0-9.]+)s user ([0-9.]+)s sys ([0-9.]+)s", out, re.M)
    if not m:
        m2 = re.search(r"^sequences: (\d+) rows", out, re.M)
        t = re.findall(r"time: real ([0-9.]+)s user ([0-9.]+)s sys ([0-9.]+)s", out)
        return (int(m2.group(1)) if m2 else -1, float(t[-1][0]), float(t[-1][1]) + float(t[-1][2]))
    return int(m.group(1)), float(m.group(2)), float(m.group(3)) + float(m.group(4))
qs = [step(g["quarry"]["out"]) for g in res["rounds"]]
ps = [(int(re.search(r"rows=(\d+)", g["pandas"]["out"]).group(1)),
       float(re.search(r"cut_s=([0-9.]+)", g["pandas"]["out"]).group(1))) for g in res["rounds"]]
s = pair.summary(res, "quarry", "pandas")
stepr = [q[1] / p[1] for q, p in zip(qs, ps)]
print("\n### sequences over 5,000,000 events, 100,000 users (bench/gen_events.py)\n")
print("`sequences events user=customer_id time=ts event=event item=product until=2024-12-24 "
      "horizon=7d window=30d maxlen=50` against bench/sequences_pandas.py (the same cut, "
      "counts, labels and last-50 token sequences; pandas does not compute the behaviour "
      "type, which quarry's step also does). Whole processes: quarry loads the CSV and "
      "runs the statement; pandas reads the CSV and cuts.\n")
print("| | quarry | pandas 1.5 | quarry / pandas (median of rounds, range) |")
print("|---|---|---|---|")
print(f"| whole process wall s | {s['a']:.2f} | {s['b']:.2f} | **{s['ratio']:.2f}x** ({s['lo']:.2f}-{s['hi']:.2f}) |")
print(f"| whole process CPU s | {s['a_cpu']:.2f} | {s['b_cpu']:.2f} | {s['cpu']:.2f}x |")
print(f"| the cut alone, wall s (quarry's timer line; pandas' cut_s) | {st.median(q[1] for q in qs):.2f} | {st.median(p[1] for p in ps):.2f} | **{st.median(stepr):.2f}x** ({min(stepr):.2f}-{max(stepr):.2f}) |")
print(f"| quarry's statement CPU s | {st.median(q[2] for q in qs):.2f} | | |")
print(f"| peak RSS MiB (largest round) | {s['a_rss']:.0f} | {s['b_rss']:.0f} | {s['a_rss'] / s['b_rss']:.2f}x |")
print(f"| rows | {qs[0][0]} | {ps[0][0]} | |")
print()
print(pair.machine_line(res) + ".")
print("\nThe issue sets no ratio for this workload: it asks for the time and peak memory beside pandas'.")
PY
fi
echo
echo "Command: \`sh bench/section.sh sequences [lstm|events]\` (ROUNDS=$R, EPOCHS=$E, THREADS=$TH)."
