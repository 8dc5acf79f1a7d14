/*
 * test_tree.c: the decision tree (classify/tree.h, tree_int.h).
 *
 * Plan:
 *   1. a tree derived by hand on 10 rows (worked below): its rules as
 *      `show` prints them, each node, the probabilities; the same tree by
 *      entropy; maxdepth=1, minleaf=2 (a tie, to the lower feature) and
 *      minsplit=11 (the root alone)
 *   2. missing values: a split chosen on the rows that have the feature,
 *      the rows without it sent to the heavier child, at fit and predict
 *   3. edge cases: one class; every row the same; rows on the wrong
 *      count of features at predict time; show of a tree of thousands of
 *      nodes stops after 400 rule lines and says how many nodes it left out
 *   3b. the root's split on 300 random small tables with repeated and
 *      missing values equals a brute-force search (ties skipped)
 *   4. scikit-learn's DecisionTreeClassifier (tests/oracles/tree.py) on
 *      breast cancer and generated rows, gini and entropy: the same nodes
 *      (feature, threshold, children, rows) and the same predictions
 *   5. save/load: the same probabilities bit for bit and the names; every
 *      truncation and every flipped byte is a QE_DATA error or a state
 *      that still predicts rows that sum to 1, never a crash
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "base/rng.h"
#include "classify/tree.h"
#include "classify/tree_int.h"
#include "tree_fixture.h"

/*
 * The hand table. Classes 4 x 0, 6 x 1; root gini 1 - .4^2 - .6^2 = 0.48.
 * Weighted impurity n_l g_l + n_r g_r of the cuts on a (left k rows,
 * classes in a's order 0 0 0 1 0 1 1 1 1 1):
 *   k=3: 0 + 7(1 - (1+36)/49) = 1.714;  k=4: 1.5 + 1.667 = 3.167;
 *   k=5: 5(1 - (16+1)/25) + 0 = 1.6 (the best);  k=6: 2.667
 * and on b (classes in b's order 1 1 0 1 0 1 0 0 1 1) none below 4. So
 * a <= 5.5 (midpoint of 5 and 6); the right is pure (5 x 1). The left's
 * rows (b = 5 3 8 1 7, classes 0 0 0 1 0) split perfectly at b <= 2
 * (between 1 and 3): 1 row of class 1 left, 4 of class 0 right. Entropy
 * picks the same cuts (a k=5: 5 H(.2) = 3.61 against k=3: 7 H(1/7) =
 * 4.14; then the perfect cut on b).
 */
static const double hand_x[] = {1, 5, 2, 3, 3, 8, 4, 1, 5, 7, 6, 2, 7, 6, 8, 4, 9, 9, 10, 10};
static const int hand_y[] = {0, 0, 0, 1, 0, 1, 1, 1, 1, 1};
static const char *const hand_names[] = {"a", "b"};

static struct cls_data
data_of(const double *x, size_t n, size_t p, const int *y, int nclass)
{
    return (struct cls_data){.x = x, .n = n, .p = p, .y = y, .nclass = nclass,
                             .names = NULL};
}

static void *
fit(const struct cls_data *d, const struct cls_opts *o)
{
    struct qerr err = QERR_INIT;
    void *m = NULL;
    CHECK_OK(cls_tree.fit(d, o, NULL, &m, &err), err);
    qerr_clear(&err);
    return m;
}

static char *
show(const void *m)
{
    struct buf b = BUF_INIT;
    struct qerr err = QERR_INIT;
    CHECK_OK(cls_tree.show(m, NULL, &b, &err), err);
    qerr_clear(&err);
    return buf_detach(&b);
}

static void
test_hand(void)
{
    struct cls_opts o;
    cls_opts_default(&o);
    struct cls_data d = data_of(hand_x, 10, 2, hand_y, 2);
    d.names = hand_names;
    void *m = fit(&d, &o);
    char *s = show(m);
    CHECK_STR(s, "decision tree (CART): criterion gini, maxdepth unlimited, minleaf 1, "
                 "minsplit 2\n"
                 "5 nodes, 3 leaves, depth 2, 10 training rows, 2 features, 2 classes\n"
                 "importance (mean decrease in gini): a 0.6667, b 0.3333\n"
                 "if a <= 5.5  (gini 0.4800, 10 rows: 4 6; missing go left)\n"
                 "    if b <= 2  (gini 0.3200, 5 rows: 4 1; missing go right)\n"
                 "        class 1  (1 row: 0 1; gini 0.0000)\n"
                 "    else\n"
                 "        class 0  (4 rows: 4 0; gini 0.0000)\n"
                 "else\n"
                 "    class 1  (5 rows: 0 5; gini 0.0000)\n");
    free(s);
    /*
     * Importance: the root's decrease 10(.48) - 5(.32) - 0 = 3.2 on a, the
     * left's 5(.32) = 1.6 on b; shares 2/3 and 1/3.
     */
    double imp[2];
    tree_model_importance(m, imp);
    CHECK_NEAR(imp[0], 2.0 / 3.0, 1e-15);
    CHECK_NEAR(imp[1], 1.0 / 3.0, 1e-15);
    const struct tree *t = tree_model_tree(m);
    CHECK_INT(t->n_nodes, 5);
    CHECK_INT(t->nodes[0].feature, 0);
    CHECK_NEAR(t->nodes[0].threshold, 5.5, 0);
    CHECK_NEAR(t->nodes[0].impurity, 0.48, 1e-15);
    CHECK_INT(t->nodes[0].left, 1);
    CHECK_INT(t->nodes[0].right, 4);
    CHECK_INT(t->nodes[1].feature, 1);
    CHECK_NEAR(t->nodes[1].threshold, 2.0, 0);
    CHECK_NEAR(t->nodes[1].impurity, 0.32, 1e-15);
    CHECK_INT(t->nodes[1].left, 2);
    CHECK_INT(t->nodes[1].right, 3);
    CHECK_INT(t->nodes[2].n, 1);
    CHECK_INT(t->nodes[3].n, 4);
    CHECK_INT(t->nodes[4].n, 5);
    /* the leaves are pure: every training row gets its class with probability 1 */
    double pr[20];
    struct qerr err = QERR_INIT;
    CHECK_OK(cls_tree.proba(m, &d, pr, &err), err);
    for (int i = 0; i < 10; i++)
        CHECK_NEAR(pr[i * 2 + hand_y[i]], 1.0, 0);
    /* the trace of row 4 (a = 4, b = 1) */
    struct buf b = BUF_INIT;
    tree_trace(m, hand_x + 6, NULL, &b);
    CHECK_STR(b.data, "a = 4 <= 5.5 (gini 0.4800): left\n"
                      "b = 1 <= 2 (gini 0.3200): left\n"
                      "leaf: class 1 (1 row: 0 1)\n");
    buf_release(&b);
    cls_tree.release(m);

    /* entropy: the same cuts; root entropy H(.4) = 0.97095 bits, left H(.2) = 0.72193 */
    o.criterion = CLS_ENTROPY;
    m = fit(&d, &o);
    t = tree_model_tree(m);
    CHECK_INT(t->n_nodes, 5);
    CHECK_NEAR(t->nodes[0].threshold, 5.5, 0);
    CHECK_NEAR(t->nodes[0].impurity, 0.97095059445466858, 1e-14);
    CHECK_INT(t->nodes[1].feature, 1);
    CHECK_NEAR(t->nodes[1].impurity, 0.72192809488736231, 1e-14);
    cls_tree.release(m);

    /* maxdepth=1: the root's cut only; the left leaf holds 4 x 0 and 1 x 1 */
    cls_opts_default(&o);
    o.maxdepth = 1;
    m = fit(&d, &o);
    t = tree_model_tree(m);
    CHECK_INT(t->n_nodes, 3);
    CHECK_OK(cls_tree.proba(m, &d, pr, &err), err);
    CHECK_NEAR(pr[0], 0.8, 1e-15);
    CHECK_NEAR(pr[1], 0.2, 1e-15);
    CHECK_NEAR(pr[19], 1.0, 0);
    cls_tree.release(m);

    /*
     * minleaf=2: the root cut stands (5 and 5). In the left node the cut
     * b <= 2 leaves 1 row: refused. a <= 3.5 (3 x 0 | 1, 0: weighted 1.0)
     * and b <= 4 (rows b = 1, 3: 1, 0 | 0 0 0: 1.0) tie; the lower
     * feature wins. Both children then have under 2 x minleaf rows or are
     * pure.
     */
    o.maxdepth = 0;
    o.minleaf = 2;
    m = fit(&d, &o);
    t = tree_model_tree(m);
    CHECK_INT(t->n_nodes, 5);
    CHECK_INT(t->nodes[1].feature, 0);
    CHECK_NEAR(t->nodes[1].threshold, 3.5, 0);
    CHECK_INT(t->nodes[2].n, 3);
    CHECK_INT(t->nodes[3].n, 2);
    cls_tree.release(m);

    /* minsplit=11: 10 rows cannot be split; the root predicts the shares .4, .6 */
    o.minleaf = 1;
    o.minsplit = 11;
    m = fit(&d, &o);
    CHECK_INT(tree_model_tree(m)->n_nodes, 1);
    CHECK_OK(cls_tree.proba(m, &d, pr, &err), err);
    CHECK_NEAR(pr[0], 0.4, 1e-15);
    CHECK_NEAR(pr[1], 0.6, 1e-15);
    cls_tree.release(m);
    qerr_clear(&err);
}

static void
test_missing(void)
{
    /*
     * Row 3's b is missing. The root still cuts a <= 5.5 (a has no gaps;
     * 5 rows each side, so a missing a goes left, the tie's side). In the
     * left node b's rows are 5 3 1 7 (classes 0 0 1 0): b <= 2 takes
     * decrease 4(1 - 10/16) = 1.5 on them, above a's best, 1.6 - 1.0 = 0.6
     * over 5 rows; its left has 1 row, its right 3, so the missing row
     * goes right, which then holds 4 rows of class 0.
     */
    double x[20];
    memcpy(x, hand_x, sizeof x);
    x[5] = NAN;
    struct cls_opts o;
    cls_opts_default(&o);
    struct cls_data d = data_of(x, 10, 2, hand_y, 2);
    void *m = fit(&d, &o);
    const struct tree *t = tree_model_tree(m);
    CHECK_INT(t->n_nodes, 5);
    CHECK_INT(t->nodes[0].missing_left, 1);
    CHECK_INT(t->nodes[1].feature, 1);
    CHECK_NEAR(t->nodes[1].threshold, 2.0, 0);
    CHECK_INT(t->nodes[1].missing_left, 0);
    CHECK_INT(t->nodes[3].n, 4);
    CHECK_NEAR(t->value[3 * 2 + 0], 4, 0);
    /* predict: (2, NaN) goes left then right: class 0; (NaN, 1) left then left: class 1 */
    double q[] = {2, NAN, NAN, 1, NAN, NAN, 8, NAN};
    double pr[8];
    struct qerr err = QERR_INIT;
    struct cls_data dq = data_of(q, 4, 2, NULL, 2);
    CHECK_OK(cls_tree.proba(m, &dq, pr, &err), err);
    CHECK_NEAR(pr[0], 1.0, 0);
    CHECK_NEAR(pr[3], 1.0, 0);
    CHECK_NEAR(pr[4], 1.0, 0); /* all missing: left, right: the 4 rows of class 0 */
    CHECK_NEAR(pr[7], 1.0, 0); /* a = 8: the pure right */
    cls_tree.release(m);
    qerr_clear(&err);
}

static void
test_edges(void)
{
    struct cls_opts o;
    cls_opts_default(&o);
    struct qerr err = QERR_INIT;
    /* one class */
    int y0[10] = {0};
    struct cls_data d = data_of(hand_x, 10, 2, y0, 1);
    void *m = fit(&d, &o);
    double pr[20];
    CHECK_INT(tree_model_tree(m)->n_nodes, 1);
    CHECK_OK(cls_tree.proba(m, &d, pr, &err), err);
    CHECK_NEAR(pr[9], 1.0, 0);
    cls_tree.release(m);
    /* every row the same: nothing to cut */
    double same[20];
    for (int i = 0; i < 20; i++)
        same[i] = 3.0;
    d = data_of(same, 10, 2, hand_y, 2);
    m = fit(&d, &o);
    CHECK_INT(tree_model_tree(m)->n_nodes, 1);
    /* the wrong number of features at predict time */
    struct cls_data d3 = data_of(same, 2, 3, NULL, 2);
    CHECK_INT(cls_tree.proba(m, &d3, pr, &err), -1);
    CHECK_INT(err.code, QE_ARG);
    qerr_clear(&err);
    cls_tree.release(m);
    /* no rows, a class out of range */
    d = data_of(hand_x, 0, 2, hand_y, 2);
    CHECK_INT(cls_tree.fit(&d, &o, NULL, &m, &err), -1);
    CHECK_INT(err.code, QE_ARG);
    qerr_clear(&err);
    int ybad[10] = {0, 1, 2};
    d = data_of(hand_x, 10, 2, ybad, 2);
    CHECK_INT(cls_tree.fit(&d, &o, NULL, &m, &err), -1);
    CHECK_INT(err.code, QE_ARG);
    qerr_clear(&err);
}

/* A tree of noise grows thousands of nodes; show stops after 400 rule lines and says so. */
static void
test_show_cap(void)
{
    enum { N = 3000 };
    static double x[N * 2];
    static int y[N];
    struct rng r;
    rng_init(&r, 4);
    for (int i = 0; i < N; i++) {
        x[2 * i] = rng_uniform(&r);
        x[2 * i + 1] = rng_uniform(&r);
        y[i] = (int)rng_below(&r, 2);
    }
    struct cls_opts o;
    cls_opts_default(&o);
    struct cls_data d = data_of(x, N, 2, y, 2);
    void *m = fit(&d, &o);
    CHECK(tree_model_tree(m)->n_nodes > 1000);
    char *s = show(m);
    int lines = 0;
    for (const char *c = s; *c; c++)
        lines += *c == '\n';
    CHECK_INT(lines, 3 + 400 + 1);
    CHECK_HAS(s, "more nodes not shown\n");
    free(s);
    cls_tree.release(m);
}

/*
 * The root's split against brute force on random small tables with
 * repeated values and missing ones: every cut between two distinct values
 * of a feature's present rows, the decrease n I - n_l I_l - n_r I_r over
 * those rows (gini), the largest taken when it beats the next by a clear
 * margin (tables with a tie are skipped, and counted); the missing rows
 * follow the larger side.
 */
static double
gini_sum(const double *c, int k)
{
    double n = 0, sq = 0;
    for (int i = 0; i < k; i++) {
        n += c[i];
        sq += c[i] * c[i];
    }
    return n > 0 ? n - sq / n : 0;
}

static void
test_brute_root(void)
{
    enum { N = 24, P = 3, K = 3 };
    struct rng r;
    rng_init(&r, 77);
    int tested = 0, agree = 0;
    for (int rep = 0; rep < 300; rep++) {
        double x[N * P];
        int y[N];
        for (int i = 0; i < N; i++) {
            y[i] = (int)rng_below(&r, K);
            for (int j = 0; j < P; j++)
                x[i * P + j] = rng_below(&r, 6) == 0 ? NAN : (double)rng_below(&r, 8) * 0.5;
        }
        double best = -1, second = -1, bthr = 0, bwl = 0, bwr = 0;
        int bf = -1;
        for (int f = 0; f < P; f++) {
            for (int c = 0; c < 8; c++) { /* cut between value c/2 and the next value present */
                double v = c * 0.5, next = INFINITY;
                double cl[K] = {0}, cr[K] = {0};
                int present = 0;
                for (int i = 0; i < N; i++) {
                    double a = x[i * P + f];
                    if (isnan(a))
                        continue;
                    present |= a == v;
                    if (a <= v)
                        cl[y[i]]++;
                    else
                        cr[y[i]]++;
                    if (a > v && a < next)
                        next = a;
                }
                double wl = cl[0] + cl[1] + cl[2], wr = cr[0] + cr[1] + cr[2];
                if (!present || wl < 1 || wr < 1 || isinf(next))
                    continue;
                double cm[K] = {cl[0] + cr[0], cl[1] + cr[1], cl[2] + cr[2]};
                double dec = gini_sum(cm, K) - gini_sum(cl, K) - gini_sum(cr, K);
                if (dec > best) {
                    second = best;
                    best = dec;
                    bf = f;
                    bthr = v / 2.0 + next / 2.0;
                    bwl = wl;
                    bwr = wr;
                } else if (dec > second) {
                    second = dec;
                }
            }
        }
        double cnt[K] = {0};
        for (int i = 0; i < N; i++)
            cnt[y[i]]++;
        if (bf < 0 || best - second < 1e-9 || gini_sum(cnt, K) <= 1e-12)
            continue;
        tested++;
        struct cls_opts o;
        cls_opts_default(&o);
        o.maxdepth = 1;
        struct cls_data d = data_of(x, N, P, y, K);
        void *m = fit(&d, &o);
        const struct tree *t = tree_model_tree(m);
        int ml = bwl >= bwr, nmiss = 0;
        for (int i = 0; i < N; i++)
            nmiss += isnan(x[i * P + bf]);
        int ok = t->n_nodes == 3 && t->nodes[0].feature == bf && t->nodes[0].threshold == bthr &&
                 t->nodes[0].missing_left == ml &&
                 t->nodes[1].n == (int64_t)bwl + (ml ? nmiss : 0) &&
                 t->nodes[2].n == (int64_t)bwr + (ml ? 0 : nmiss);
        if (!ok)
            fprintf(stderr, "table %d: feature %d <= %g (missing %s), brute force %d <= %g (%s)\n",
                    rep, t->nodes[0].feature, t->nodes[0].threshold,
                    t->nodes[0].missing_left ? "left" : "right", bf, bthr, ml ? "left" : "right");
        agree += ok;
        cls_tree.release(m);
    }
    CHECK(tested >= 250);
    CHECK_INT(agree, tested);
}

/* --- the scikit-learn fixtures ---------------------------------------------------- */

struct fixture {
    size_t n, p;
    double *x;
    int *y, *pred;
    char crit[16];
    int maxdepth, minleaf, minsplit;
    int n_nodes;
    int *feature, *left, *right, *rows;
    double *thr;
};

static int
fixture_read(const char *path, struct fixture *f)
{
    memset(f, 0, sizeof *f);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return -1;
    int ok = tree_fixture_xy(fp, &f->n, &f->p, &f->x, &f->y);
    f->pred = calloc(f->n + 1, sizeof *f->pred);
    size_t n2;
    ok = ok && fscanf(fp, " params %15s %d %d %d", f->crit, &f->maxdepth, &f->minleaf,
                      &f->minsplit) == 4;
    ok = ok && fscanf(fp, " nodes %d", &f->n_nodes) == 1 && f->n_nodes > 0;
    if (ok) {
        f->feature = calloc((size_t)f->n_nodes, sizeof(int));
        f->left = calloc((size_t)f->n_nodes, sizeof(int));
        f->right = calloc((size_t)f->n_nodes, sizeof(int));
        f->rows = calloc((size_t)f->n_nodes, sizeof(int));
        f->thr = calloc((size_t)f->n_nodes, sizeof(double));
    }
    for (int i = 0; ok && i < f->n_nodes; i++)
        ok = fscanf(fp, "%d %lf %d %d %d", &f->feature[i], &f->thr[i], &f->left[i],
                    &f->right[i], &f->rows[i]) == 5;
    ok = ok && fscanf(fp, " pred %zu", &n2) == 1 && n2 == f->n;
    for (size_t i = 0; ok && i < f->n; i++)
        ok = fscanf(fp, "%d", &f->pred[i]) == 1;
    fclose(fp);
    return ok ? 0 : -1;
}

static void
fixture_free(struct fixture *f)
{
    free(f->x);
    free(f->y);
    free(f->pred);
    free(f->feature);
    free(f->left);
    free(f->right);
    free(f->rows);
    free(f->thr);
}

static void
test_sklearn(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "tests/data/tree_%s.txt", name);
    struct fixture f;
    int rc = fixture_read(path, &f);
    CHECK_INT(rc, 0);
    if (rc < 0) {
        fixture_free(&f);
        return;
    }
    int nclass = 0;
    for (size_t i = 0; i < f.n; i++)
        if (f.y[i] + 1 > nclass)
            nclass = f.y[i] + 1;
    struct cls_opts o;
    cls_opts_default(&o);
    o.criterion = strcmp(f.crit, "entropy") == 0 ? CLS_ENTROPY : CLS_GINI;
    o.maxdepth = f.maxdepth;
    o.minleaf = f.minleaf;
    o.minsplit = f.minsplit;
    struct cls_data d = data_of(f.x, f.n, f.p, f.y, nclass);
    void *m = fit(&d, &o);
    const struct tree *t = tree_model_tree(m);
    CHECK_INT(t->n_nodes, f.n_nodes);
    int same = 1;
    for (int i = 0; i < f.n_nodes && (size_t)i < t->n_nodes; i++) {
        const struct tree_node *nd = &t->nodes[i];
        if (nd->feature != f.feature[i] || nd->left != f.left[i] || nd->right != f.right[i] ||
            nd->n != f.rows[i] || (nd->feature >= 0 && nd->threshold != f.thr[i])) {
            fprintf(stderr, "%s node %d: feature %d thr %.17g (%d %d, %lld rows), "
                    "scikit-learn %d %.17g (%d %d, %d rows)\n", name, i, nd->feature,
                    nd->threshold, nd->left, nd->right, (long long)nd->n, f.feature[i],
                    f.thr[i], f.left[i], f.right[i], f.rows[i]);
            same = 0;
        }
    }
    CHECK(same);
    double *pr = calloc(f.n * (size_t)nclass, sizeof *pr);
    struct qerr err = QERR_INIT;
    CHECK_OK(cls_tree.proba(m, &d, pr, &err), err);
    size_t agree = 0;
    for (size_t i = 0; i < f.n; i++) {
        int best = 0;
        for (int k = 1; k < nclass; k++)
            if (pr[i * (size_t)nclass + k] > pr[i * (size_t)nclass + best])
                best = k;
        agree += best == f.pred[i];
    }
    CHECK_INT(agree, f.n);
    free(pr);
    cls_tree.release(m);
    fixture_free(&f);
}

/* --- save and load ----------------------------------------------------------------- */

static void
test_store(void)
{
    double x[20];
    memcpy(x, hand_x, sizeof x);
    x[5] = NAN;
    struct cls_opts o;
    cls_opts_default(&o);
    struct cls_data d = data_of(x, 10, 2, hand_y, 2);
    d.names = hand_names;
    o.maxdepth = 1; /* a leaf with mixed shares, so the probabilities are not all 0 or 1 */
    void *m = fit(&d, &o);
    struct buf b = BUF_INIT;
    struct qerr err = QERR_INIT;
    CHECK_OK(cls_tree.save(m, &b, &err), err);
    struct store_reader r;
    store_reader_init(&r, b.data, b.len, 1, "model 't'", "t");
    void *m2 = NULL;
    CHECK_OK(cls_tree.load(&r, &m2, &err), err);
    store_reader_release(&r);
    double p1[20], p2[20];
    CHECK_OK(cls_tree.proba(m, &d, p1, &err), err);
    if (m2) {
        CHECK_OK(cls_tree.proba(m2, &d, p2, &err), err);
        CHECK_INT(memcmp(p1, p2, sizeof p1), 0);
        char *s1 = show(m), *s2 = show(m2);
        CHECK_STR(s2, s1);
        CHECK_HAS(s2, "if a <= 5.5");
        free(s1);
        free(s2);
        cls_tree.release(m2);
    }
    /* every truncation fails as damaged data */
    int trunc_ok = 1;
    for (size_t len = 0; len < b.len; len++) {
        store_reader_init(&r, b.data, len, 1, "model 't'", "t");
        m2 = NULL;
        if (cls_tree.load(&r, &m2, &err) != -1 || err.code != QE_DATA || m2) {
            fprintf(stderr, "truncated to %zu bytes: not a QE_DATA error\n", len);
            trunc_ok = 0;
            cls_tree.release(m2);
        }
        qerr_clear(&err);
        store_reader_release(&r);
    }
    CHECK(trunc_ok);
    /* every byte flipped: an error, or a state that still gives rows summing to 1 */
    int flip_ok = 1, failed = 0;
    char *copy = malloc(b.len);
    for (size_t i = 0; i < b.len; i++) {
        memcpy(copy, b.data, b.len);
        copy[i] ^= (char)0xA5;
        store_reader_init(&r, copy, b.len, 1, "model 't'", "t");
        m2 = NULL;
        if (cls_tree.load(&r, &m2, &err) < 0) {
            failed++;
            flip_ok &= err.code == QE_DATA && m2 == NULL;
        } else {
            double q[20];
            if (cls_tree.proba(m2, &d, q, &err) == 0)
                for (int k = 0; k < 10; k++)
                    flip_ok &= fabs(q[2 * k] + q[2 * k + 1] - 1.0) < 1e-9;
            cls_tree.release(m2);
        }
        qerr_clear(&err);
        store_reader_release(&r);
    }
    free(copy);
    CHECK(flip_ok);
    CHECK(failed > (int)b.len / 2);
    buf_release(&b);
    cls_tree.release(m);
}

int
main(void)
{
    test_hand();
    test_missing();
    test_edges();
    test_show_cap();
    test_brute_root();
    test_sklearn("cancer");
    test_sklearn("blobs");
    test_sklearn("blobs_entropy");
    test_store();
    return check_done("test_tree");
}
