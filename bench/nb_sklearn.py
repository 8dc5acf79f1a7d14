"""Gaussian naive Bayes fit + predict against scikit-learn (issue 15).

  nb_sklearn.py DRIVER DATA_DIR [ROUNDS]

DRIVER is bench/linear_time.c built (bench/sections/nb.sh builds it); its
`nb` mode fits quarry's naive Bayes on 1,000,000 x 8 rows of 8 classes and
predicts every training row (probabilities, then the class), timing both
in-process. scikit-learn: GaussianNB().fit(x, y) then predict(x), timed in
this process. Data: make_classification(1,000,000 x 8, n_informative=6,
n_redundant=2, 8 classes, random_state=1), the research baseline's
(wave2-baselines.md section 1, perf-baselines.md section 5: on a quiet
machine scikit-learn takes 0.68-0.71 s). ROUNDS paired rounds (default 7),
the two in turn, the order alternating. Prints a markdown section.
"""
import os
import statistics
import subprocess
import sys
import time

import numpy as np
from sklearn.datasets import make_classification
from sklearn.naive_bayes import GaussianNB
from threadpoolctl import threadpool_limits

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import cpu_model, stat_busy, cores_busy, loadavg, ratio_line, peer_check  # noqa: E402

EXPECTED = (0.68, 0.72)  # scikit-learn fit + predict, quiet machine, s


def main():
    driver, d = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 7
    os.makedirs(d, exist_ok=True)
    px, py = os.path.join(d, "nb_x.npy"), os.path.join(d, "nb_y.npy")
    if not (os.path.exists(px) and os.path.exists(py)):
        x, y = make_classification(1_000_000, 8, n_informative=6, n_redundant=2, n_classes=8,
                                   random_state=1)
        np.save(px, np.ascontiguousarray(x))
        np.save(py, y.astype(float))
    x, y = np.load(px), np.load(py)
    q, s, qc, sc, qfit = [], [], [], [], []
    acc = {}
    load0, st0, t_start = loadavg(), stat_busy(), time.time()
    with threadpool_limits(limits=2):
        for r in range(rounds):
            for who in ((0, 1) if r % 2 == 0 else (1, 0)):
                if who == 0:
                    out = subprocess.run([driver, "nb", px, py], check=True,
                                         capture_output=True, text=True).stdout
                    f = dict(kv.split("=") for kv in out.split())
                    q.append(float(f["seconds"]))
                    qc.append(float(f["cpu"]))
                    qfit.append(float(f["fit"]))
                    acc["quarry"] = float(f["accuracy"])
                else:
                    t0, c0 = time.perf_counter(), time.process_time()
                    pred = GaussianNB().fit(x, y).predict(x)
                    s.append(time.perf_counter() - t0)
                    sc.append(time.process_time() - c0)
                    acc["sklearn"] = float((pred == y).mean())
    busy = cores_busy(st0, stat_busy(), os.cpu_count())
    med, lo, hi = ratio_line(q, s)
    cmed, clo, chi = ratio_line(qc, sc)
    sm = statistics.median(s)
    print("## Gaussian naive Bayes fit + predict against scikit-learn (bench/sections/nb.sh)")
    print()
    print(f"CPU: {cpu_model()}, {os.cpu_count()} cores seen. 1,000,000 x 8 rows, 8 classes "
          "(make_classification, random_state=1); fit, then predict every training row. "
          f"{rounds} paired rounds, the two in turn, the order alternating; quarry's engine "
          "in-process (bench/linear_time.c nb: its predict runs on the cores, scikit-learn's "
          "is numpy on one; both give the classes only, as `predict` without prob=yes and "
          "scikit-learn's predict do), scikit-learn 1.2.1 GaussianNB in one Python process "
          "(bench/nb_sklearn.py).")
    print()
    print("| | quarry s, median (min-max) | scikit-learn s, median (min-max) | ratio, median "
          "of per-round ratios (range) |")
    print("|---|---|---|---|")
    print(f"| wall | {statistics.median(q):.3f} ({min(q):.3f}-{max(q):.3f}) | {sm:.3f} "
          f"({min(s):.3f}-{max(s):.3f}) | **{med:.3f}x** ({lo:.3f}-{hi:.3f}) |")
    print(f"| CPU (every thread) | {statistics.median(qc):.3f} | {statistics.median(sc):.3f} | "
          f"{cmed:.3f}x ({clo:.3f}-{chi:.3f}) |")
    print()
    print(f"quarry's fit alone: {statistics.median(qfit):.3f} s median. Accuracy on the "
          f"training rows: quarry {acc['quarry']:.4f}, scikit-learn {acc['sklearn']:.4f}.")
    print()
    print(peer_check(sm, EXPECTED[0], EXPECTED[1],
                     "scikit-learn (research/perf-baselines.md section 5)"))
    print(f"Machine load: load average {load0} at the start, {loadavg()} at the end; "
          f"{busy:.2f} of {os.cpu_count()} cores busy on average over the "
          f"{time.time() - t_start:.0f} s of the section (/proc/stat, this section included).")
    print()
    print(f"Goal (issue 15): fit + predict <= 0.1x scikit-learn: "
          f"{'met' if med <= 0.1 else 'not met'} (median wall ratio {med:.3f}x).")
    print()
    print("Command: `sh bench/section.sh nb` (ROUNDS=7).")


if __name__ == "__main__":
    main()
