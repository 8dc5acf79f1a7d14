#!/usr/bin/python3
"""Oracle fixtures for quarry's decision tree and random forest tests.

Run once from the top of the checkout with /usr/bin/python3 (scikit-learn
1.2.1); writes tests/data/tree_*.txt, which tests/unit/test_tree.c and
tests/unit/test_forest.c read. make test never runs this.

  tree_cancer.txt   breast cancer, DecisionTreeClassifier(entropy, max_depth=2,
                    min_samples_leaf=5): every node's split and every
                    training row's predicted class (deeper trees on its 30
                    correlated features meet ties)
  tree_blobs.txt    2,000 generated rows x 6 features, 3 classes,
                    DecisionTreeClassifier(gini, max_depth=5,
                    min_samples_leaf=5): the same
  tree_blobs_entropy.txt
                    the same rows, (entropy, max_depth=5, min_samples_leaf=3,
                    min_samples_split=10)
  tree_forest_{iris,wine,cancer}.txt
                    RandomForestClassifier(100 trees, sqrt features,
                    random_state=0) accuracy on each of 10 stratified folds
                    (the folds are written too)

scikit-learn computes on float32 features, so the values are rounded to
float32 first and written with 9 significant digits: quarry reads the same
numbers back. A tree is only a fair comparison where no two splits tie
(scikit-learn then picks by its random feature order): for every internal
node this script recomputes every candidate split by brute force, checks
that the best is unique by a clear margin and is the one scikit-learn took,
and refuses to write the fixture otherwise.
"""
import numpy as np
from sklearn.datasets import load_breast_cancer, load_iris, load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import StratifiedKFold
from sklearn.tree import DecisionTreeClassifier

OUT = "tests/data/"


def f32(x):
    return np.asarray(x, dtype=np.float32).astype(np.float64)


def impurity_sum(counts, criterion):
    """Weighted impurity n * imp of a node with these class counts."""
    n = counts.sum()
    if n == 0:
        return 0.0
    q = counts / n
    if criterion == "gini":
        return n * (1.0 - (q * q).sum())
    q = q[q > 0]
    return n * -(q * np.log2(q)).sum()


def check_no_ties(clf, X, y, criterion, minleaf):
    t = clf.tree_
    k = int(y.max()) + 1
    node_rows = {0: np.arange(len(y))}
    for node in range(t.node_count):
        rows = node_rows[node]
        if t.children_left[node] == -1:
            continue
        cands = []
        parent = impurity_sum(np.bincount(y[rows], minlength=k), criterion)
        for f in range(X.shape[1]):
            v = X[rows, f]
            order = np.argsort(v, kind="stable")
            vs, ys = v[order], y[rows][order]
            for i in range(len(vs) - 1):
                if vs[i + 1] <= vs[i] + 1e-7:
                    continue
                if i + 1 < minleaf or len(vs) - i - 1 < minleaf:
                    continue
                left = np.bincount(ys[: i + 1], minlength=k)
                right = np.bincount(ys[i + 1:], minlength=k)
                dec = parent - impurity_sum(left, criterion) - impurity_sum(right, criterion)
                thr = vs[i] / 2.0 + vs[i + 1] / 2.0
                cands.append((dec, f, thr))
        cands.sort(key=lambda c: -c[0])
        best = cands[0]
        assert best[1] == t.feature[node] and best[2] == t.threshold[node], (node, best)
        if len(cands) > 1:
            assert best[0] - cands[1][0] > 1e-9 * max(1.0, abs(best[0])), \
                ("tie at node", node, best, cands[1])
        f, thr = t.feature[node], t.threshold[node]
        go_left = X[rows, f] <= thr
        node_rows[t.children_left[node]] = rows[go_left]
        node_rows[t.children_right[node]] = rows[~go_left]


def write_xy(fh, X, y):
    fh.write("x %d %d\n" % X.shape)
    for row in X:
        fh.write(" ".join("%.9g" % v for v in row) + "\n")
    fh.write("y %d\n" % len(y))
    fh.write(" ".join(str(int(v)) for v in y) + "\n")


def tree_fixture(name, X, y, criterion, max_depth, minleaf, minsplit):
    clf = DecisionTreeClassifier(criterion=criterion, max_depth=max_depth,
                                 min_samples_leaf=minleaf, min_samples_split=minsplit,
                                 random_state=0)
    clf.fit(X, y)
    check_no_ties(clf, X, y, criterion, minleaf)
    t = clf.tree_
    with open(OUT + "tree_%s.txt" % name, "w") as fh:
        write_xy(fh, X, y)
        fh.write("params %s %d %d %d\n" % (criterion, max_depth, minleaf, minsplit))
        fh.write("nodes %d\n" % t.node_count)
        for i in range(t.node_count):
            fh.write("%d %.17g %d %d %d\n" % (t.feature[i] if t.children_left[i] != -1 else -1,
                                              t.threshold[i], t.children_left[i],
                                              t.children_right[i], t.n_node_samples[i]))
        pred = clf.predict(X)
        fh.write("pred %d\n" % len(pred))
        fh.write(" ".join(str(int(v)) for v in pred) + "\n")
    print(name, "nodes", t.node_count, "train accuracy", (pred == y).mean())


def forest_fixture(name, X, y):
    folds = np.zeros(len(y), dtype=int)
    skf = StratifiedKFold(n_splits=10, shuffle=True, random_state=0)
    accs = []
    for k, (tr, te) in enumerate(skf.split(X, y)):
        folds[te] = k
        rf = RandomForestClassifier(n_estimators=100, max_features="sqrt", random_state=0,
                                    n_jobs=2)
        rf.fit(X[tr], y[tr])
        accs.append((rf.predict(X[te]) == y[te]).mean())
    with open(OUT + "tree_forest_%s.txt" % name, "w") as fh:
        write_xy(fh, X, y)
        fh.write("folds %d\n" % len(y))
        fh.write(" ".join(str(v) for v in folds) + "\n")
        fh.write("acc %d\n" % len(accs))
        fh.write(" ".join("%.17g" % a for a in accs) + "\n")
        fh.write("mean %.17g\n" % np.mean(accs))
    print(name, "forest 10-fold accuracy", np.mean(accs))


def blobs():
    rng = np.random.RandomState(7)
    n = 2000
    X = rng.normal(size=(n, 6)) * np.array([1.0, 2.0, 0.5, 3.0, 1.0, 1.5])
    score = X[:, 0] + 0.5 * X[:, 1] - X[:, 3] * 0.3 + rng.normal(scale=0.7, size=n)
    y = np.digitize(score, [-0.8, 0.8])
    return f32(X), y


def main():
    bc = load_breast_cancer()
    Xc, yc = f32(bc.data), bc.target
    tree_fixture("cancer", Xc, yc, "entropy", 2, 5, 2)
    Xb, yb = blobs()
    tree_fixture("blobs", Xb, yb, "gini", 5, 5, 2)
    tree_fixture("blobs_entropy", Xb, yb, "entropy", 5, 3, 10)
    for name, ds in (("iris", load_iris()), ("wine", load_wine()), ("cancer", bc)):
        forest_fixture(name, f32(ds.data), ds.target)


if __name__ == "__main__":
    main()
