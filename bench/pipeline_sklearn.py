"""The pipeline a user waits for (issue 15): load a CSV, train, predict
into a column, as one quarry process against one pandas + scikit-learn
process doing the same.

  pipeline_sklearn.py QUARRY DATA_DIR [ROUNDS] [ROWS]

Data: ROWS (default 1,000,000) rows of 8 numeric features and a class
(yes/no) in a CSV, made once (seeded numpy). For each model, logreg and
tree (maxdepth=10), ROUNDS paired rounds (default 5), the two processes
in turn, the order alternating; wall seconds of the whole process
(start-up, imports and reading the file included), and its CPU seconds
(the child's user + system). Prints a markdown section.

quarry:  quarry -c 'load F.csv as t' -c 'train t target=y model=M as m'
                -c 'predict m t into=pred'
pandas:  python3 -c 'import pandas, sklearn; df = read_csv(F); fit on the
         8 columns; df["pred"] = predict(...)'
"""
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import cpu_model, stat_busy, cores_busy, loadavg, ratio_line, peer_check  # noqa: E402

PY = sys.executable
# pandas whole process + read_csv of a 1M-row file: 1.04-1.16 s on a quiet
# machine (research/perf-baselines.md); LogisticRegression fit on 1M x 8:
# 0.46-0.51 s (wave2-baselines.md section 1).
EXPECTED_LOGREG = (1.5, 2.5)

SK = {
    "logreg": "from sklearn.linear_model import LogisticRegression as M; kw = {}",
    "tree": "from sklearn.tree import DecisionTreeClassifier as M; kw = {'max_depth': 10}",
}
QOPT = {"logreg": "model=logreg", "tree": "model=tree maxdepth=10"}


def make(path, rows):
    if os.path.exists(path):
        return
    rng = np.random.default_rng(15)
    p = 8
    x = rng.normal(size=(rows, p)) @ (np.eye(p) + 0.3 * rng.normal(size=(p, p)))
    w = rng.normal(size=p)
    y = rng.random(rows) < 1 / (1 + np.exp(-(x @ w + 0.5)))
    with open(path + ".tmp", "w") as f:
        f.write(",".join(f"x{j + 1}" for j in range(p)) + ",y\n")
        for i in range(0, rows, 100_000):
            blk = x[i:i + 100_000]
            lab = np.where(y[i:i + 100_000], "yes", "no")
            f.write("".join(",".join(f"{v:.6f}" for v in row) + "," + l + "\n"
                            for row, l in zip(blk, lab)))
    os.replace(path + ".tmp", path)


def timed(cmd, env):
    """Wall and CPU seconds of one child process, and its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, out.stdout + out.stderr


def main():
    quarry, d = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    rows = int(sys.argv[4]) if len(sys.argv) > 4 else 1_000_000
    os.makedirs(d, exist_ok=True)
    csv = os.path.join(d, f"pipeline_{rows}.csv")
    make(csv, rows)
    tmp = tempfile.mkdtemp(prefix="quarry-pipeline.")
    env = dict(os.environ, QUARRY_HISTORY="/dev/null", QUARRY_RECOVERY_DIR=tmp + "/recover",
               OPENBLAS_NUM_THREADS="2", OMP_NUM_THREADS="2")
    res = {k: {"q": [], "s": [], "qc": [], "sc": []} for k in SK}
    outs = {}
    load0, st0, t_start = loadavg(), stat_busy(), time.time()
    for r in range(rounds):
        for model in SK:
            qcmd = [quarry, "-c", f"load {csv} as t", "-c",
                    f"train t target=y cols=x1,x2,x3,x4,x5,x6,x7,x8 {QOPT[model]} as m",
                    "-c", "predict m t into=pred", "-c",
                    "SELECT count(*) FROM t WHERE pred = y"]
            scode = ("import pandas as pd; " + SK[model] + "; "
                     f"df = pd.read_csv({csv!r}); c = [f'x{{j}}' for j in range(1, 9)]; "
                     "m = M(**kw).fit(df[c], df['y']); df['pred'] = m.predict(df[c]); "
                     "print(int((df['pred'] == df['y']).sum()))")
            for who in ((0, 1) if r % 2 == 0 else (1, 0)):
                if who == 0:
                    w, c, o = timed(qcmd, env)
                    res[model]["q"].append(w)
                    res[model]["qc"].append(c)
                    outs["q_" + model] = o
                else:
                    w, c, o = timed([PY, "-c", scode], env)
                    res[model]["s"].append(w)
                    res[model]["sc"].append(c)
                    outs["s_" + model] = o
    busy = cores_busy(st0, stat_busy(), os.cpu_count())
    print("## The pipeline a user waits for: load, train, predict into a column "
          "(bench/sections/pipeline.sh)")
    print()
    print(f"CPU: {cpu_model()}, {os.cpu_count()} cores seen. {rows:,} rows x 8 numeric "
          "features + a yes/no class in a CSV "
          f"({os.path.getsize(csv) / 1e6:.0f} MB). One quarry process (`quarry -c 'load' -c "
          "'train' -c 'predict into=pred'`, then a count of the right predictions) against "
          "one Python process (import pandas and scikit-learn, read_csv, fit, predict into "
          f"a column, the same count). {rounds} paired rounds per model, the two in turn, "
          "the order alternating; whole processes, start-up included.")
    print()
    print("| model | quarry s, median (min-max) | pandas + scikit-learn s, median (min-max) "
          "| ratio, median of per-round ratios (range) | CPU s quarry / Python (median) "
          "| goal <= 0.5x |")
    print("|---|---|---|---|---|---|")
    meds = {}
    for model in SK:
        q, s = res[model]["q"], res[model]["s"]
        med, lo, hi = ratio_line(q, s)
        meds[model] = med
        print(f"| {model}{' (maxdepth=10)' if model == 'tree' else ''} | "
              f"{statistics.median(q):.2f} ({min(q):.2f}-{max(q):.2f}) | "
              f"{statistics.median(s):.2f} ({min(s):.2f}-{max(s):.2f}) | **{med:.2f}x** "
              f"({lo:.2f}-{hi:.2f}) | {statistics.median(res[model]['qc']):.2f} / "
              f"{statistics.median(res[model]['sc']):.2f} | "
              f"{'met' if med <= 0.5 else 'not met'} |")
    print()
    for model in SK:
        qn = outs["q_" + model].strip().splitlines()
        print(f"{model}: right predictions, quarry `{qn[-1].strip() if qn else '?'}`, "
              f"scikit-learn `{outs['s_' + model].strip()}`.")
    sm = statistics.median(res["logreg"]["s"])
    print()
    if rows == 1_000_000:
        print(peer_check(sm, EXPECTED_LOGREG[0], EXPECTED_LOGREG[1],
                         "the pandas + scikit-learn logreg process (read_csv whole process "
                         "1.04-1.16 s, research/perf-baselines.md; LogisticRegression fit "
                         "0.46-0.51 s, wave2-baselines.md section 1; plus the import of "
                         "scikit-learn and the predict)"))
    print(f"Machine load: load average {load0} at the start, {loadavg()} at the end; "
          f"{busy:.2f} of {os.cpu_count()} cores busy on average over the "
          f"{time.time() - t_start:.0f} s of the section (/proc/stat, this section included).")
    print()
    print("Command: `sh bench/section.sh pipeline` (ROUNDS=5 ROWS=1000000).")


if __name__ == "__main__":
    main()
