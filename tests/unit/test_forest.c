/*
 * test_forest.c: the random forest (classify/forest.h).
 *
 * Plan:
 *   1. scikit-learn's RandomForestClassifier (100 trees, sqrt features;
 *      tests/oracles/tree.py): on the same 10 stratified folds of iris,
 *      wine and breast cancer, the mean accuracy within 1.5 points
 *   2. planted truth, by gini and by entropy: the class is x1 > 0 and
 *      four features are noise;
 *      the out-of-bag accuracy is at least 0.95 and x1 takes at least
 *      0.8 of the importance, which sums to 1; with x1 left out the
 *      out-of-bag accuracy falls to chance (within 0.4..0.6)
 *   3. the thread count changes nothing: 1, 2 and 3 threads give the same
 *      probabilities, out-of-bag accuracy and importances, bit for bit;
 *      another seed gives another forest
 *   4. missing values: rows with NaN are fitted and predicted, every row's
 *      probabilities summing to 1
 *   5. a cancel from the progress callback stops every thread:
 *      QE_INTERRUPT, nothing leaked
 *   6. trace: the votes counted from the trees, the mean equal to proba
 *   7. save/load: the same bits; every truncation a QE_DATA error; every
 *      flipped byte an error or a state that still predicts
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "base/rng.h"
#include "classify/forest.h"
#include "classify/tree_int.h"
#include "tree_fixture.h"

struct fixture {
    size_t n, p;
    double *x;
    int *y, *fold;
    double mean;
};

static int
fixture_read(const char *path, struct fixture *f)
{
    memset(f, 0, sizeof *f);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return -1;
    int ok = tree_fixture_xy(fp, &f->n, &f->p, &f->x, &f->y);
    f->fold = calloc(f->n + 1, sizeof *f->fold);
    size_t n2;
    ok = ok && fscanf(fp, " folds %zu", &n2) == 1 && n2 == f->n;
    for (size_t i = 0; ok && i < f->n; i++)
        ok = fscanf(fp, "%d", &f->fold[i]) == 1;
    int na;
    ok = ok && fscanf(fp, " acc %d", &na) == 1;
    for (int i = 0; ok && i < na; i++) {
        double a;
        ok = fscanf(fp, "%lf", &a) == 1;
    }
    ok = ok && fscanf(fp, " mean %lf", &f->mean) == 1;
    fclose(fp);
    return ok ? 0 : -1;
}

static int
argmax(const double *v, int n)
{
    int b = 0;
    for (int k = 1; k < n; k++)
        if (v[k] > v[b])
            b = k;
    return b;
}

static void *
fit(const struct cls_data *d, const struct cls_opts *o)
{
    struct qerr err = QERR_INIT;
    void *m = NULL;
    CHECK_OK(cls_forest.fit(d, o, NULL, &m, &err), err);
    qerr_clear(&err);
    return m;
}

static void
test_sklearn(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "tests/data/tree_forest_%s.txt", name);
    struct fixture f;
    int rc = fixture_read(path, &f);
    CHECK_INT(rc, 0);
    int nclass = 0;
    for (size_t i = 0; rc == 0 && i < f.n; i++)
        if (f.y[i] + 1 > nclass)
            nclass = f.y[i] + 1;
    double *xtr = calloc(f.n * f.p + 1, sizeof *xtr), *xte = calloc(f.n * f.p + 1, sizeof *xte);
    double *pr = calloc(f.n * (size_t)(nclass + 1), sizeof *pr);
    int *ytr = calloc(f.n + 1, sizeof *ytr), *yte = calloc(f.n + 1, sizeof *yte);
    double sum = 0;
    for (int k = 0; rc == 0 && k < 10; k++) {
        size_t ntr = 0, nte = 0;
        for (size_t i = 0; i < f.n; i++) {
            if (f.fold[i] == k) {
                memcpy(xte + nte * f.p, f.x + i * f.p, f.p * sizeof *xte);
                yte[nte++] = f.y[i];
            } else {
                memcpy(xtr + ntr * f.p, f.x + i * f.p, f.p * sizeof *xtr);
                ytr[ntr++] = f.y[i];
            }
        }
        struct cls_opts o;
        cls_opts_default(&o);
        o.seed = (uint64_t)k;
        o.threads = 2;
        struct cls_data d = {.x = xtr, .n = ntr, .p = f.p, .y = ytr, .nclass = nclass};
        void *m = fit(&d, &o);
        struct cls_data q = {.x = xte, .n = nte, .p = f.p, .nclass = nclass};
        struct qerr err = QERR_INIT;
        CHECK_OK(cls_forest.proba(m, &q, pr, &err), err);
        size_t ok = 0;
        for (size_t i = 0; i < nte; i++)
            ok += argmax(pr + i * (size_t)nclass, nclass) == yte[i];
        sum += (double)ok / (double)nte;
        cls_forest.release(m);
    }
    fprintf(stderr, "forest %s: 10-fold accuracy %.4f, scikit-learn %.4f\n", name, sum / 10,
            f.mean);
    CHECK_NEAR(sum / 10, f.mean, 0.015);
    free(xtr);
    free(xte);
    free(pr);
    free(ytr);
    free(yte);
    free(f.x);
    free(f.y);
    free(f.fold);
}

/* n rows of 5 features, uniform in [-1, 1); the class is x1 > 0. */
static void
planted(size_t n, double *x, int *y, uint64_t seed)
{
    struct rng r;
    rng_init(&r, seed);
    for (size_t i = 0; i < n; i++) {
        for (int j = 0; j < 5; j++)
            x[i * 5 + j] = rng_uniform(&r) * 2 - 1;
        y[i] = x[i * 5] > 0;
    }
}

static void
test_planted(enum cls_criterion crit)
{
    enum { N = 400 };
    static double x[N * 5], x4[N * 4];
    static int y[N];
    planted(N, x, y, 11);
    struct cls_opts o;
    cls_opts_default(&o);
    o.threads = 2;
    o.criterion = crit;
    const char *const names[] = {"signal", "n1", "n2", "n3", "n4"};
    struct cls_data d = {.x = x, .n = N, .p = 5, .y = y, .nclass = 2, .names = names};
    void *m = fit(&d, &o);
    long long rows;
    double oob = forest_oob_accuracy_rows(m, &rows);
    CHECK(oob >= 0.95);
    /* a row is out of 100 samples' bags with probability 1 - (1 - .37)^100: all of them */
    CHECK_INT(rows, N);
    size_t p;
    const double *imp = forest_importance(m, &p);
    CHECK_INT(p, 5);
    CHECK(imp[0] >= 0.8);
    CHECK_NEAR(imp[0] + imp[1] + imp[2] + imp[3] + imp[4], 1.0, 1e-12);
    struct buf b = BUF_INIT;
    struct qerr err = QERR_INIT;
    CHECK_OK(cls_forest.show(m, NULL, &b, &err), err);
    CHECK_HAS(b.data, crit == CLS_GINI ? "random forest: 100 trees (CART, criterion gini, "
                                         "maxdepth unlimited"
                                       : "random forest: 100 trees (CART, criterion entropy, "
                                         "maxdepth unlimited");
    CHECK_HAS(b.data, "2 of 5 features tried per split");
    CHECK_HAS(b.data, crit == CLS_GINI ? "feature importance (mean decrease in gini):\n  signal "
                                       : "feature importance (mean decrease in entropy):\n"
                                         "  signal ");
    buf_release(&b);
    cls_forest.release(m);
    /* the signal left out: nothing to learn */
    for (size_t i = 0; i < N; i++)
        memcpy(x4 + i * 4, x + i * 5 + 1, 4 * sizeof *x4);
    struct cls_data d4 = {.x = x4, .n = N, .p = 4, .y = y, .nclass = 2};
    m = fit(&d4, &o);
    oob = forest_oob_accuracy(m);
    CHECK(oob > 0.4 && oob < 0.6);
    cls_forest.release(m);
}

static void
test_threads(void)
{
    enum { N = 3000 };
    static double x[N * 5];
    static int y[N];
    planted(N, x, y, 5);
    /* some label noise, so trees grow deep and differ */
    for (size_t i = 0; i < N; i += 7)
        y[i] = !y[i];
    static double pr[3][N * 2];
    double oob[3], imp[3][5];
    for (int t = 0; t < 3; t++) {
        struct cls_opts o;
        cls_opts_default(&o);
        o.trees = 20;
        o.seed = 99;
        o.threads = t + 1;
        struct cls_data d = {.x = x, .n = N, .p = 5, .y = y, .nclass = 2};
        void *m = fit(&d, &o);
        struct qerr err = QERR_INIT;
        CHECK_OK(cls_forest.proba(m, &d, pr[t], &err), err);
        oob[t] = forest_oob_accuracy(m);
        size_t p;
        memcpy(imp[t], forest_importance(m, &p), sizeof imp[t]);
        cls_forest.release(m);
    }
    for (int t = 1; t < 3; t++) {
        CHECK_INT(memcmp(pr[t], pr[0], sizeof pr[0]), 0);
        CHECK_NEAR(oob[t], oob[0], 0);
        CHECK_INT(memcmp(imp[t], imp[0], sizeof imp[0]), 0);
    }
    /* another seed: another forest */
    struct cls_opts o;
    cls_opts_default(&o);
    o.trees = 20;
    o.seed = 100;
    struct cls_data d = {.x = x, .n = N, .p = 5, .y = y, .nclass = 2};
    void *m = fit(&d, &o);
    struct qerr err = QERR_INIT;
    CHECK_OK(cls_forest.proba(m, &d, pr[1], &err), err);
    CHECK(memcmp(pr[1], pr[0], sizeof pr[0]) != 0);
    cls_forest.release(m);
}

static void
test_missing(void)
{
    enum { N = 300 };
    static double x[N * 5];
    static int y[N];
    planted(N, x, y, 3);
    for (size_t i = 0; i < N; i += 5)
        x[i * 5 + (i % 5)] = NAN;
    struct cls_opts o;
    cls_opts_default(&o);
    o.trees = 30;
    struct cls_data d = {.x = x, .n = N, .p = 5, .y = y, .nclass = 2};
    void *m = fit(&d, &o);
    static double pr[N * 2];
    struct qerr err = QERR_INIT;
    CHECK_OK(cls_forest.proba(m, &d, pr, &err), err);
    int sums = 1;
    size_t ok = 0;
    for (size_t i = 0; i < N; i++) {
        sums &= fabs(pr[2 * i] + pr[2 * i + 1] - 1) < 1e-12;
        ok += argmax(pr + 2 * i, 2) == y[i];
    }
    CHECK(sums);
    CHECK(ok >= N * 9 / 10);
    cls_forest.release(m);
}

static int
cancel_at(void *ctx, double fraction)
{
    int *calls = ctx;
    return ++*calls >= 2;
}

static void
test_cancel(void)
{
    enum { N = 20000 };
    static double x[N * 5];
    static int y[N];
    planted(N, x, y, 8);
    for (size_t i = 0; i < N; i += 3)
        y[i] = !y[i];
    struct cls_opts o;
    cls_opts_default(&o);
    o.threads = 2;
    o.trees = 200;
    struct cls_data d = {.x = x, .n = N, .p = 5, .y = y, .nclass = 2};
    int calls = 0;
    struct tick t;
    tick_init(&t, cancel_at, &calls);
    struct qerr err = QERR_INIT;
    void *m = NULL;
    CHECK_INT(cls_forest.fit(&d, &o, &t, &m, &err), -1);
    CHECK_INT(err.code, QE_INTERRUPT);
    CHECK_PTR(m, NULL);
    qerr_clear(&err);
}

static void
test_store(void)
{
    enum { N = 60 };
    static double x[N * 5];
    static int y[N];
    planted(N, x, y, 21);
    x[7] = NAN;
    struct cls_opts o;
    cls_opts_default(&o);
    o.trees = 3;
    o.maxdepth = 2;
    const char *const names[] = {"a", "b", "c", "d", "e"};
    struct cls_data d = {.x = x, .n = N, .p = 5, .y = y, .nclass = 2, .names = names};
    void *m = fit(&d, &o);
    struct buf b = BUF_INIT;
    struct qerr err = QERR_INIT;
    CHECK_OK(cls_forest.save(m, &b, &err), err);
    struct store_reader r;
    store_reader_init(&r, b.data, b.len, 1, "model 'f'", "f");
    void *m2 = NULL;
    CHECK_OK(cls_forest.load(&r, &m2, &err), err);
    store_reader_release(&r);
    static double p1[N * 2], p2[N * 2];
    CHECK_OK(cls_forest.proba(m, &d, p1, &err), err);
    if (m2) {
        CHECK_OK(cls_forest.proba(m2, &d, p2, &err), err);
        CHECK_INT(memcmp(p1, p2, sizeof p1), 0);
        CHECK_NEAR(forest_oob_accuracy(m2), forest_oob_accuracy(m), 0);
        struct buf s1 = BUF_INIT, s2 = BUF_INIT;
        cls_forest.show(m, NULL, &s1, &err);
        cls_forest.show(m2, NULL, &s2, &err);
        CHECK_STR(s2.data, s1.data);
        buf_release(&s1);
        buf_release(&s2);
        cls_forest.release(m2);
    }
    int trunc_ok = 1;
    for (size_t len = 0; len < b.len; len++) {
        store_reader_init(&r, b.data, len, 1, "model 'f'", "f");
        m2 = NULL;
        if (cls_forest.load(&r, &m2, &err) != -1 || err.code != QE_DATA || m2) {
            fprintf(stderr, "truncated to %zu bytes: not a QE_DATA error\n", len);
            trunc_ok = 0;
            cls_forest.release(m2);
        }
        qerr_clear(&err);
        store_reader_release(&r);
    }
    CHECK(trunc_ok);
    int flip_ok = 1, failed = 0;
    char *copy = malloc(b.len);
    for (size_t i = 0; i < b.len; i++) {
        memcpy(copy, b.data, b.len);
        copy[i] ^= (char)0x5A;
        store_reader_init(&r, copy, b.len, 1, "model 'f'", "f");
        m2 = NULL;
        if (cls_forest.load(&r, &m2, &err) < 0) {
            failed++;
            flip_ok &= err.code == QE_DATA && m2 == NULL;
        } else {
            static double q[N * 2];
            if (cls_forest.proba(m2, &d, q, &err) == 0)
                for (int k = 0; k < N; k++)
                    flip_ok &= fabs(q[2 * k] + q[2 * k + 1] - 1.0) < 1e-9;
            cls_forest.release(m2);
        }
        qerr_clear(&err);
        store_reader_release(&r);
    }
    free(copy);
    CHECK(flip_ok);
    CHECK(failed > (int)b.len / 2);
    buf_release(&b);
    cls_forest.release(m);
}

/*
 * trace: each tree's vote is the class its leaf favours (counted here
 * from the trees themselves, tree_leaf), the majority is the most votes,
 * and the mean of the shares equals the forest's probabilities; the first
 * three trees' paths are written out. Noisy rows (x = 1..8, classes 0 1 1
 * 0 1 0 0 1) so that the trees disagree.
 */
static void
test_trace(void)
{
    double x[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, q = 4.5, pr[2];
    int y[8] = { 0, 1, 1, 0, 1, 0, 0, 1 };
    struct cls_data d = { x, 8, 1, y, 2, NULL, NULL, NULL };
    struct cls_opts o;
    cls_opts_default(&o);
    o.trees = 9;
    o.seed = 5;
    o.threads = 1;
    void *m = fit(&d, &o);
    struct cls_data dq = { &q, 1, 1, NULL, 2, NULL, NULL, NULL };
    struct qerr e = QERR_INIT;
    CHECK_OK(cls_forest.proba(m, &dq, pr, &e), e);
    int votes[2] = { 0, 0 }, n_trees;
    enum cls_criterion crit;
    for (int t = 0; t < 9; t++) {
        const struct tree *tr = forest_model_tree(m, t, &n_trees, &crit);
        size_t leaf = tree_leaf(tr, &q);
        votes[tr->value[leaf * 2 + 1] > tr->value[leaf * 2]]++;
    }
    CHECK(votes[0] > 0 && votes[1] > 0); /* the trees disagree: the count means something */
    struct buf b = BUF_INIT;
    static const char *const names[] = { "spend" };
    cls_forest.trace(m, &q, names, &b);
    char want[200];
    snprintf(want, sizeof want, "votes (trees whose leaf favours the class): class 0 %d, "
                                "class 1 %d; majority: class %d\n",
             votes[0], votes[1], votes[1] > votes[0]);
    CHECK_HAS(b.data, want);
    snprintf(want, sizeof want, "mean of the 9 trees' shares (what the forest predicts by): "
                                "class 0 %.6g, class 1 %.6g\n", pr[0], pr[1]);
    CHECK_HAS(b.data, want);
    CHECK_HAS(b.data, "tree 1:\n  ");
    CHECK_HAS(b.data, "tree 3:\n  ");
    CHECK(strstr(b.data, "tree 4:\n") == NULL);
    CHECK_HAS(b.data, "  tree   9: class ");
    buf_release(&b);
    cls_forest.release(m);
}

int
main(void)
{
    test_trace();
    test_sklearn("iris");
    test_sklearn("wine");
    test_sklearn("cancer");
    test_planted(CLS_GINI);
    test_planted(CLS_ENTROPY);
    test_threads();
    test_missing();
    test_cancel();
    test_store();
    return check_done("test_forest");
}
