#!/usr/bin/python3
"""Reference answers for quarry's Gaussian naive Bayes (tests/unit/test_nb.c).

Run once with Debian's python3-sklearn: /usr/bin/python3 tests/oracles/nb.py
It writes tests/data/wine.csv (scikit-learn's copy of the UCI wine data;
iris is tests/data/iris.csv already) and tests/data/nb_expected.h: for each
case the features, the classes, which rows trained the model, and
GaussianNB's predictions and class probabilities for every row.
"""
import numpy as np
import pandas as pd
import sklearn
from sklearn.datasets import load_wine
from sklearn.naive_bayes import GaussianNB

wine = load_wine(as_frame=True).frame
wine = wine.rename(columns={"target": "class", "od280/od315_of_diluted_wines": "od280_od315"})
wine.to_csv("tests/data/wine.csv", index=False)
iris = pd.read_csv("tests/data/iris.csv")

cases = [
    # name, frame, target, train rows, GaussianNB options
    ("iris_all", iris, "species", None, {}),
    ("iris_priors", iris, "species", None, {"priors": [0.5, 0.3, 0.2]}),
    ("wine_part", wine, "class", "part", {}),
    ("wine_smooth", wine, "class", None, {"var_smoothing": 1e-3}),
]

out = ["/* GaussianNB, scikit-learn %s (tests/oracles/nb.py) */" % sklearn.__version__]
for name, df, target, rows, opts in cases:
    X = df.drop(columns=[target]).to_numpy(dtype=float)
    y = df[target].to_numpy(dtype=int)
    n, p = X.shape
    train = np.ones(n, dtype=int) if rows is None else (np.arange(n) % 3 != 0).astype(int)
    m = GaussianNB(**opts).fit(X[train == 1], y[train == 1])
    proba = m.predict_proba(X)
    pred = m.predict(X)
    k = proba.shape[1]
    out.append("#define %s_N %d\n#define %s_P %d\n#define %s_K %d" % (name, n, name, p, name, k))
    out.append("static const double %s_x[] = {" % name)
    out += ["    %s," % ", ".join(repr(float(v)) for v in row) for row in X]
    out.append("};")
    out.append("static const int %s_y[] = {%s};" % (name, ", ".join(str(v) for v in y)))
    out.append("static const int %s_train[] = {%s};" % (name, ", ".join(str(v) for v in train)))
    out.append("static const int %s_pred[] = {%s};" % (name, ", ".join(str(v) for v in pred)))
    out.append("static const double %s_proba[] = {" % name)
    out += ["    %s," % ", ".join(repr(float(v)) for v in row) for row in proba]
    out.append("};")
    pri = opts.get("priors")
    out.append("static const double %s_priors[] = {%s};" %
               (name, ", ".join(repr(float(v)) for v in pri) if pri else "0"))
    out.append("static const double %s_var_smoothing = %r;" % (name, opts.get("var_smoothing", 1e-9)))
open("tests/data/nb_expected.h", "w").write("\n".join(out) + "\n")
