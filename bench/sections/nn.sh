#!/bin/sh
# bench/sections/nn.sh: the neural forecasters' networks of issue 17 on
# quarry's NN core (src/nn, bench/nn_forecast_time.c) against the same
# networks in PyTorch (bench/nn_forecast_torch.py, float32, CPU), in paired
# rounds (bench/pair.py): mlp, method A's cnn (5 conv1d x 128 filters,
# kernel 3), lstm (hidden 32), each on 10,000 windows of 12 values, batch
# 64, Adam, EPOCHS (3) epochs a process, THREADS (2) threads each, and
# PyTorch on 1 thread beside (where its 2-thread OpenMP spinning shows). For
# the cnn a further run gives quarry in double precision beside the
# float32 forecast uses. Prints a markdown section (bench/section.sh
# nn puts it in bench/RESULTS.md).
#   sh bench/section.sh nn [mlp cnn lstm]
# Environment: QB_DIR (default /tmp/quarry-bench), ROUNDS (3), EPOCHS (3),
# THREADS (2), PYTHON; REUSE=1 renders the rounds files of an earlier run.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/harness.sh"
QB=${QB_DIR:-/tmp/quarry-bench}
O=$QB/bench-out
mkdir -p "$O"
PY=${PYTHON:-/usr/bin/python3}
R=${ROUNDS:-3}
E=${EPOCHS:-3}
TH=${THREADS:-2}
kinds=${*:-mlp cnn lstm}
echo "## Neural forecasters' training (issue 17): quarry's NN core against PyTorch"
echo
if [ "${REUSE:-0}" = 1 ]; then
    echo "Rendered from the rounds files of an earlier run (its machine and load: the lines under each table)."
else
    echo "$(bench_machine) at the start. OpenBLAS core type: ${OPENBLAS_CORETYPE:-chosen at first use by src/base/blas_dl.c (unset)}"
fi
echo "(quarry's network products run in its own AVX-512/AVX2 kernels, src/nn/nn_gemm.c, not OpenBLAS)."
echo
echo "bench/nn_forecast_time.c against bench/nn_forecast_torch.py: 10,000 windows of 12 values of"
echo "one noisy multi-seasonal series, next value as target, MSE, Adam lr 0.001, batch 64 (157"
echo "batches an epoch); $E epochs a process, $TH threads each (torch.set_num_threads; PyTorch also on 1), $R paired"
echo "rounds after a warm-up, order alternating. The figures are the processes' own per-epoch"
echo "medians (sec_per_epoch wall, cpu_per_epoch every thread), so start-up is not counted."
echo
echo "| network | quarry sec/epoch | PyTorch sec/epoch | **wall ratio** (range) | quarry CPU s/epoch | PyTorch CPU s/epoch | CPU ratio (range) | goal <= 0.33x, this run |"
echo "|---|---|---|---|---|---|---|---|"
[ "${REUSE:-0}" = 1 ] || bench_cc "$O/nn_forecast_time" "$here/nn_forecast_time.c"
for k in $kinds; do
    extra=""
    [ "$k" = cnn ] && extra="quarry_double=$O/nn_forecast_time cnn $E $TH double"
    if [ "${REUSE:-0}" != 1 ]; then
        # shellcheck disable=SC2086
        "$PY" "$here/pair.py" run "$O/nn_$k.json" "$R" "quarry=$O/nn_forecast_time $k $E $TH" \
            "pytorch=$PY $here/nn_forecast_torch.py $k $E $TH" \
            "pytorch_1t=OMP_NUM_THREADS=1 $PY $here/nn_forecast_torch.py $k $E 1" ${extra:+"$extra"} >&2
    fi
    "$PY" - "$O/nn_$k.json" "$here" "$k" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[2])
import pair
res, k = json.load(open(sys.argv[1])), sys.argv[3]
w = pair.summary(res, "quarry", "pytorch", "sec_per_epoch")
c = pair.summary(res, "quarry", "pytorch", "cpu_per_epoch")
met = "met" if w["ratio"] <= 0.33 else "**not met**"
print(f"| {k} | {w['a']:.3f} | {w['b']:.3f} | **{w['ratio']:.2f}x** ({w['lo']:.2f}-{w['hi']:.2f}) "
      f"| {c['a']:.3f} | {c['b']:.3f} | {c['ratio']:.2f}x ({c['lo']:.2f}-{c['hi']:.2f}) | {met} |")
if "pytorch_1t" in res["meta"]["tools"]:
    w1 = pair.summary(res, "quarry", "pytorch_1t", "sec_per_epoch")
    c1 = pair.summary(res, "quarry", "pytorch_1t", "cpu_per_epoch")
    print(f"| {k}, against PyTorch on 1 thread | {w1['a']:.3f} | {w1['b']:.3f} | {w1['ratio']:.2f}x ({w1['lo']:.2f}-{w1['hi']:.2f}) "
          f"| {c1['a']:.3f} | {c1['b']:.3f} | {c1['ratio']:.2f}x ({c1['lo']:.2f}-{c1['hi']:.2f}) | |")
if "quarry_double" in res["meta"]["tools"]:
    d = pair.summary(res, "quarry_double", "pytorch", "sec_per_epoch")
    dc = pair.summary(res, "quarry_double", "pytorch", "cpu_per_epoch")
    print(f"| {k}, quarry in double | {d['a']:.3f} | {d['b']:.3f} | {d['ratio']:.2f}x ({d['lo']:.2f}-{d['hi']:.2f}) "
          f"| {dc['a']:.3f} | {dc['b']:.3f} | {dc['ratio']:.2f}x ({dc['lo']:.2f}-{dc['hi']:.2f}) | |")
open(sys.argv[1] + ".machine", "w").write(pair.machine_line(res))
PY
done
echo
for k in $kinds; do
    echo "- $k: $(cat "$O/nn_$k.json.machine")."
done
echo
echo "Command: \`sh bench/section.sh nn\` (ROUNDS=$R, EPOCHS=$E, THREADS=$TH)."
