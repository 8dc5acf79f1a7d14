#!/usr/bin/python3
"""Reference answers for quarry's classification metrics (tests/unit/test_metrics.c).

Run once with Debian's python3-sklearn: /usr/bin/python3 tests/oracles/metrics.py
It writes tests/data/metrics_expected.h: 200 seeded rows of three classes
(true and predicted) with probabilities rounded to two decimals, so that
many scores tie, and scikit-learn's scores of them: accuracy, balanced
accuracy, kappa, macro and weighted precision/recall/F1, log loss; and of
class 2 against the rest, ROC AUC and average precision.
"""
import numpy as np
import sklearn
from sklearn import metrics as M

rng = np.random.default_rng(15)
n, k = 200, 3
y = rng.integers(0, k, n)
raw = rng.random((n, k)) + np.eye(k)[y] * rng.random(n)[:, None]
raw[:7, 0] = 0.0  # a few zero probabilities: the log loss clips them
proba = np.round(raw / raw.sum(axis=1, keepdims=True), 2)
proba[:, 2] = np.round(1 - proba[:, 0] - proba[:, 1], 2)
pred = proba.argmax(axis=1)
pos = (y == 2).astype(int)
vals = {
    "accuracy": M.accuracy_score(y, pred),
    "balanced_accuracy": M.balanced_accuracy_score(y, pred),
    "kappa": M.cohen_kappa_score(y, pred),
    "macro_precision": M.precision_score(y, pred, average="macro", zero_division=0),
    "macro_recall": M.recall_score(y, pred, average="macro", zero_division=0),
    "macro_f1": M.f1_score(y, pred, average="macro", zero_division=0),
    "weighted_precision": M.precision_score(y, pred, average="weighted", zero_division=0),
    "weighted_recall": M.recall_score(y, pred, average="weighted", zero_division=0),
    "weighted_f1": M.f1_score(y, pred, average="weighted", zero_division=0),
    "log_loss": M.log_loss(y, proba, labels=[0, 1, 2]),
    "roc_auc_2": M.roc_auc_score(pos, proba[:, 2]),
    "ap_2": M.average_precision_score(pos, proba[:, 2]),
}
out = ["/* scikit-learn %s (tests/oracles/metrics.py) */" % sklearn.__version__,
       "#define ORACLE_N %d" % n,
       "static const int oracle_y[] = {%s};" % ", ".join(str(v) for v in y),
       "static const int oracle_pred[] = {%s};" % ", ".join(str(v) for v in pred),
       "static const double oracle_proba[] = {"]
out += ["    %s," % ", ".join(repr(float(v)) for v in row) for row in proba]
out.append("};")
for key, v in vals.items():
    out.append("static const double oracle_%s = %r;" % (key, float(v)))
open("tests/data/metrics_expected.h", "w").write("\n".join(out) + "\n")
