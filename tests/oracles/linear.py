#!/usr/bin/python3
"""Oracle fixtures for quarry's linear classifiers and k-NN, from scikit-learn.

Run once with Debian's python (scikit-learn 1.2.1):
    /usr/bin/python3 tests/oracles/linear.py
It writes tests/data/linear_NAME.txt for iris, wine and breast cancer;
`make test` (tests/unit/test_logreg.c, test_svm.c, test_knn.c) only reads
those files and never needs sklearn.

Every data set is standardised first (StandardScaler: mean 0, population
sd 1), so the fixtures test the engines on standardised features.

File format: sections, each a header line "NAME ROWS COLS" followed by ROWS
lines of COLS numbers (repr, so doubles round-trip exactly):
  x          the standardised features, n x p
  y          the class index of each row (0..nclass-1), n x 1
  lr_C       C of each logistic fit below (1 x m)
  lr_coef_J  LogisticRegression(solver='lbfgs', C=lr_C[J], tol=1e-10,
             max_iter=100000).coef_ (1 x p binary, nclass x p otherwise)
  lr_icpt_J  its intercept_
  lr_prob_J  its predict_proba(x), n x nclass
  lr_iter_J  its n_iter_ (1 x 1): SciPy's L-BFGS-B stops there on its
             relative-decrease test (ftol 2.2e-9) before tol is reached
  svm_C      C of the LinearSVC fit (1 x 1)
  svm_coef   LinearSVC(loss='hinge', dual=True, tol=1e-8, max_iter=10**7,
             C=svm_C).coef_ (1 x p binary, nclass x p otherwise)
  svm_icpt   its intercept_
  svm_dec    its decision_function(x) (n x 1 binary, n x nclass otherwise)
  knn_train  the row numbers of the k-NN training rows (every row whose
             number is not 1 mod 3), m x 1; the other rows are the queries
  knn_K_W_pred   KNeighborsClassifier(n_neighbors=K, weights=W,
                 algorithm='brute').fit(training rows).predict(queries)
  knn_K_W_prob   its predict_proba(queries)
  knn_self_K_W_pred, _prob   the same model predicting its own training
                 rows (each at distance 0 from itself)
"""
import os

import numpy as np
from sklearn.datasets import load_breast_cancer, load_iris, load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")


def section(f, name, a, column=False):
    a = np.asarray(a, dtype=float)
    if a.ndim == 1:
        a = a.reshape(-1, 1) if column else a.reshape(1, -1)
    f.write(f"{name} {a.shape[0]} {a.shape[1]}\n")
    for row in a:
        f.write(" ".join(repr(float(v)) for v in row) + "\n")


def write(name, X, y):
    X = StandardScaler().fit_transform(X)
    path = os.path.join(OUT, f"linear_{name}.txt")
    with open(path, "w") as f:
        section(f, "x", X)
        section(f, "y", y, column=True)
        cs = [1.0, 0.05]
        section(f, "lr_C", cs)
        for j, c in enumerate(cs):
            lr = LogisticRegression(solver="lbfgs", C=c, tol=1e-10, max_iter=100000)
            lr.fit(X, y)
            section(f, f"lr_coef_{j}", lr.coef_)
            section(f, f"lr_icpt_{j}", lr.intercept_)
            section(f, f"lr_prob_{j}", lr.predict_proba(X))
            section(f, f"lr_iter_{j}", lr.n_iter_)
        svm = LinearSVC(loss="hinge", dual=True, tol=1e-8, max_iter=10**7, C=1.0)
        svm.fit(X, y)
        section(f, "svm_C", [1.0])
        section(f, "svm_coef", svm.coef_)
        section(f, "svm_icpt", svm.intercept_)
        section(f, "svm_dec", svm.decision_function(X), column=True)
        rows = np.arange(len(y))
        tr = rows[rows % 3 != 1]
        te = rows[rows % 3 == 1]
        section(f, "knn_train", tr, column=True)
        for k in (1, 5, 15):
            for w in ("uniform", "distance"):
                m = KNeighborsClassifier(n_neighbors=k, weights=w, algorithm="brute")
                m.fit(X[tr], y[tr])
                section(f, f"knn_{k}_{w}_pred", m.predict(X[te]), column=True)
                section(f, f"knn_{k}_{w}_prob", m.predict_proba(X[te]))
                section(f, f"knn_self_{k}_{w}_pred", m.predict(X[tr]), column=True)
                section(f, f"knn_self_{k}_{w}_prob", m.predict_proba(X[tr]))
    print("wrote", path)


def main():
    for name, loader in (("iris", load_iris), ("wine", load_wine),
                         ("cancer", load_breast_cancer)):
        d = loader()
        write(name, d.data, d.target)


if __name__ == "__main__":
    main()
