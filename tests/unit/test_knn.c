/*
 * test_knn.c: k nearest neighbours (classify/knn.h).
 *
 * Plan:
 *   1. fixtures (tests/data/linear_*.txt, tests/oracles/linear.py): on
 *      standardised iris and wine, training on the rows whose number is
 *      not 1 mod 3, the predictions and probabilities for the other rows,
 *      and for the training rows themselves (each at distance 0), equal
 *      scikit-learn's KNeighborsClassifier(algorithm='brute') for k = 1,
 *      5, 15 with uniform and distance weights, by brute force and by
 *      the k-d tree (to 1e-12; a training
 *      row asked about itself with distance weights to 1e-6, see there)
 *   2. ties by hand (checked against scikit-learn 1.2.1 too): rows x = 1
 *      (class 0), -1 (1), 1 (1), 3 (0), the query 0: k=1 takes row 0, k=2
 *      rows 0 and 1 (0.5 each, predicting class 0), k=3 rows 0, 1, 2
 *      (1/3, 2/3); the query 1 with distance weights: rows 0 and 2 at
 *      distance 0 alone vote (0.5, 0.5)
 *   3. against a plain search (every distance, sorted by distance then
 *      row) on a 4 x 4 x 4 integer grid with repeats, where most
 *      distances tie, for k = 1, 7, 40, 1 or 3 threads, brute force and
 *      k-d tree; the same grid
 *      moved by 1e9 gives the same neighbours (the fast formula's
 *      cancellation never decides); reals 1e6 + u in [0, 1) likewise
 *   4. trace by hand (test_trace): the neighbours, distances, weights, votes
 *   5. save, load, same probabilities; every truncated state is QE_DATA;
 *      k larger than the training rows is refused; show
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "classify/knn.h"
#include "linear_fixture.h"

static void
test_fixture(const char *name)
{
    struct lfix f;
    CHECK_INT(lfix_read(name, &f), 0);
    struct ldata ld;
    ldata_init(&ld, &f);
    const struct lsec *tr = lfix_sec(&f, "knn_train");
    size_t p = ld.d.p, ntr = (size_t)tr->rows, nte = ld.d.n - ntr;
    double *xtr = malloc(sizeof(double) * ntr * p), *xte = malloc(sizeof(double) * nte * p);
    int *ytr = malloc(sizeof(int) * ntr);
    size_t a = 0, b = 0;
    for (size_t i = 0; i < ld.d.n; i++) {
        if (i % 3 != 1) {
            memcpy(xtr + a * p, ld.d.x + i * p, sizeof(double) * p);
            CHECK_INT((int)tr->v[a], (int)i);
            ytr[a++] = ld.y[i];
        } else {
            memcpy(xte + b++ * p, ld.d.x + i * p, sizeof(double) * p);
        }
    }
    struct cls_data dtr = { xtr, ntr, p, ytr, ld.d.nclass, NULL, NULL, NULL };
    struct cls_data dte = { xte, nte, p, NULL, ld.d.nclass, NULL, NULL, NULL };
    int K = ld.d.nclass;
    double *pr = malloc(sizeof(double) * ntr * (size_t)K);
    const int ks[3] = { 1, 5, 15 };
    for (int ki = 0; ki < 3; ki++) {
        for (int wi = 0; wi < 2; wi++) {
            struct cls_opts o;
            cls_opts_default(&o);
            o.k = ks[ki];
            o.weights = wi ? CLS_DISTANCE : CLS_UNIFORM;
            void *m = NULL;
            struct qerr e = QERR_INIT;
            CHECK_OK(cls_knn.fit(&dtr, &o, NULL, &m, &e), e);
            for (int v = 0; v < 4; v++) {
                int self = v % 2;
                if (v % 2 == 0)
                    CHECK_OK(knn_set_search(m, v < 2 ? KNN_BRUTE : KNN_TREE, &e), e);
                const struct cls_data *q = self ? &dtr : &dte;
                char s1[64], s2[64];
                snprintf(s1, sizeof s1, "knn_%s%d_%s_pred", self ? "self_" : "", ks[ki],
                         wi ? "distance" : "uniform");
                snprintf(s2, sizeof s2, "knn_%s%d_%s_prob", self ? "self_" : "", ks[ki],
                         wi ? "distance" : "uniform");
                const struct lsec *want = lfix_sec(&f, s1), *wprob = lfix_sec(&f, s2);
                CHECK_OK(cls_knn.proba(m, q, pr, &e), e);
                int wrong = 0;
                double pw = 0;
                for (size_t i = 0; i < q->n; i++) {
                    int best = 0;
                    for (int c = 1; c < K; c++)
                        best = pr[i * K + c] > pr[i * K + best] ? c : best;
                    wrong += best != (int)want->v[i];
                    for (int c = 0; c < K; c++)
                        pw = fmax(pw, fabs(pr[i * K + c] - wprob->v[i * K + c]));
                }
                /*
                 * A training row asked about itself: scikit-learn's brute
                 * distance, sqrt(|a|^2 - 2ab + |b|^2), leaves 15 of iris's
                 * 100 self-distances at up to 4e-8 instead of 0, so its
                 * 1/d weights make them win by about 1e8 to 1, where ours
                 * (exact, 0) win alone: the same predictions, probabilities
                 * within 1e-6.
                 */
                double tol = self && wi ? 1e-6 : 1e-12;
                if (wrong || pw > tol)
                    fprintf(stderr, "%s %s (%s): %d predictions differ, probabilities by %g\n",
                            name, s1, v < 2 ? "brute" : "tree", wrong, pw);
                CHECK_INT(wrong, 0);
                CHECK_NEAR(pw, 0, tol);
            }
            if (ki == 1)
                CHECK_INT(lfix_roundtrip(&cls_knn, m, &dte), 0);
            cls_knn.release(m);
        }
    }
    free(pr);
    free(xtr);
    free(xte);
    free(ytr);
    free(ld.y);
    lfix_free(&f);
}

static void
test_ties(void)
{
    double x[4] = { 1, -1, 1, 3 };
    int y[4] = { 0, 1, 1, 0 };
    struct cls_data d = { x, 4, 1, y, 2, NULL, NULL, NULL };
    double q0 = 0, q1 = 1, pr[2];
    struct cls_data dq0 = { &q0, 1, 1, NULL, 2, NULL, NULL, NULL };
    struct cls_data dq1 = { &q1, 1, 1, NULL, 2, NULL, NULL, NULL };
    struct qerr e = QERR_INIT;
    const double want[3][2] = { { 1, 0 }, { 0.5, 0.5 }, { 1.0 / 3, 2.0 / 3 } };
    for (int k = 1; k <= 3; k++) {
        struct cls_opts o;
        cls_opts_default(&o);
        o.k = k;
        void *m = NULL;
        CHECK_OK(cls_knn.fit(&d, &o, NULL, &m, &e), e);
        int idx[3];
        double dist[3];
        CHECK_OK(knn_neighbors(m, &q0, 1, 1, idx, dist, &e), e);
        for (int j = 0; j < k; j++) {
            CHECK_INT(idx[j], j);
            CHECK_NEAR(dist[j], 1.0, 0);
        }
        CHECK_OK(cls_knn.proba(m, &dq0, pr, &e), e);
        CHECK_NEAR(pr[0], want[k - 1][0], 1e-15);
        CHECK_NEAR(pr[1], want[k - 1][1], 1e-15);
        cls_knn.release(m);
    }
    struct cls_opts o;
    cls_opts_default(&o);
    o.k = 3;
    o.weights = CLS_DISTANCE;
    void *m = NULL;
    CHECK_OK(cls_knn.fit(&d, &o, NULL, &m, &e), e);
    int idx[3];
    CHECK_OK(knn_neighbors(m, &q1, 1, 1, idx, NULL, &e), e);
    CHECK_INT(idx[0], 0);
    CHECK_INT(idx[1], 2);
    CHECK_INT(idx[2], 1);
    CHECK_OK(cls_knn.proba(m, &dq1, pr, &e), e);
    CHECK_NEAR(pr[0], 0.5, 0);
    CHECK_NEAR(pr[1], 0.5, 0);
    struct buf out;
    buf_init(&out);
    const char *names[] = { "x" };
    CHECK_OK(cls_knn.show(m, names, &out, &e), e);
    CHECK_HAS(out.data, "k=3, distance (1/d) weights");
    CHECK_HAS(out.data, "4 training rows x 1 feature, 2 classes");
    buf_release(&out);
    cls_knn.release(m);
    /* more threads than the search uses: kept as its most, saved and loaded */
    o.threads = 1000;
    m = NULL;
    CHECK_OK(cls_knn.fit(&d, &o, NULL, &m, &e), e);
    CHECK_INT(lfix_roundtrip(&cls_knn, m, &dq0), 0);
    cls_knn.release(m);
    /* k larger than the training rows */
    o.k = 5;
    m = NULL;
    CHECK_INT(cls_knn.fit(&d, &o, NULL, &m, &e), -1);
    CHECK_INT(e.code, QE_ARG);
    CHECK_HAS(e.msg, "k=5 needs at least 5 training rows; there are 4");
    qerr_clear(&e);
}

/* The plain search: every squared distance, the k smallest by (distance, row). */
static void
plain(const double *xt, size_t n, const double *q, int p, int k, int *idx)
{
    double best_d[64];
    for (int j = 0; j < k; j++)
        best_d[j] = INFINITY, idx[j] = -1;
    for (size_t i = 0; i < n; i++) {
        double d2 = 0;
        for (int l = 0; l < p; l++)
            d2 += (q[l] - xt[i * p + l]) * (q[l] - xt[i * p + l]);
        int at = k;
        while (at > 0 && d2 < best_d[at - 1])
            at--;
        if (at == k)
            continue;
        for (int j = k - 1; j > at; j--)
            best_d[j] = best_d[j - 1], idx[j] = idx[j - 1];
        best_d[at] = d2;
        idx[at] = (int)i;
    }
}

static void
test_grid(void)
{
    /* 300 training rows on a 4 x 4 x 4 grid (so repeats), 200 queries on it too */
    size_t n = 300, nq = 200;
    int p = 3;
    double *xt = malloc(sizeof(double) * n * 3), *xq = malloc(sizeof(double) * nq * 3);
    double *xt2 = malloc(sizeof(double) * n * 3), *xq2 = malloc(sizeof(double) * nq * 3);
    int *y = malloc(sizeof(int) * n);
    unsigned s = 12345;
    for (size_t i = 0; i < n * 3; i++) {
        s = s * 1103515245u + 12345u;
        xt[i] = (double)((s >> 16) % 4);
        xt2[i] = xt[i] + 1e9;
    }
    for (size_t i = 0; i < nq * 3; i++) {
        s = s * 1103515245u + 12345u;
        xq[i] = (double)((s >> 16) % 4);
        xq2[i] = xq[i] + 1e9;
    }
    for (size_t i = 0; i < n; i++)
        y[i] = (int)(i % 3);
    const int ks[3] = { 1, 7, 40 };
    int *got = malloc(sizeof(int) * nq * 40), *got2 = malloc(sizeof(int) * nq * 40);
    int want[64];
    for (int ki = 0; ki < 3; ki++) {
        for (int th = 1; th <= 3; th += 2) {
            struct cls_opts o;
            cls_opts_default(&o);
            o.k = ks[ki];
            o.threads = th;
            struct cls_data d = { xt, n, 3, y, 3, NULL, NULL, NULL }, d2 = d;
            d2.x = xt2;
            void *m = NULL, *m2 = NULL;
            struct qerr e = QERR_INIT;
            CHECK_OK(cls_knn.fit(&d, &o, NULL, &m, &e), e);
            CHECK_OK(cls_knn.fit(&d2, &o, NULL, &m2, &e), e);
            for (int how = KNN_BRUTE; how <= KNN_TREE; how++) {
                CHECK_OK(knn_set_search(m, (enum knn_search)how, &e), e);
                CHECK_OK(knn_set_search(m2, (enum knn_search)how, &e), e);
                CHECK_OK(knn_neighbors(m, xq, nq, 3, got, NULL, &e), e);
                CHECK_OK(knn_neighbors(m2, xq2, nq, 3, got2, NULL, &e), e);
                int bad = 0, bad2 = 0;
                for (size_t i = 0; i < nq; i++) {
                    plain(xt, n, xq + i * 3, p, ks[ki], want);
                    for (int j = 0; j < ks[ki]; j++) {
                        bad += got[i * ks[ki] + j] != want[j];
                        bad2 += got2[i * ks[ki] + j] != want[j];
                    }
                }
                CHECK_INT(bad, 0);
                CHECK_INT(bad2, 0);
            }
            cls_knn.release(m);
            cls_knn.release(m2);
        }
    }
    free(got);
    free(got2);
    free(xt);
    free(xq);
    free(xt2);
    free(xq2);
    free(y);
}

/* Real values far from 0 (1e6 + u): the neighbours of a plain search. */
static void
test_offset(void)
{
    size_t n = 400, nq = 100;
    int p = 4, k = 9;
    double *xt = malloc(sizeof(double) * n * p), *xq = malloc(sizeof(double) * nq * p);
    int *y = calloc(n, sizeof(int)), *got = malloc(sizeof(int) * nq * k), want[64];
    unsigned s = 777;
    for (size_t i = 0; i < n * p; i++) {
        s = s * 1103515245u + 12345u;
        xt[i] = 1e6 + (double)(s >> 8) / 16777216.0;
    }
    for (size_t i = 0; i < nq * p; i++) {
        s = s * 1103515245u + 12345u;
        xq[i] = 1e6 + (double)(s >> 8) / 16777216.0;
    }
    struct cls_opts o;
    cls_opts_default(&o);
    o.k = k;
    struct cls_data d = { xt, n, (size_t)p, y, 1, NULL, NULL, NULL };
    void *m = NULL;
    struct qerr e = QERR_INIT;
    CHECK_OK(cls_knn.fit(&d, &o, NULL, &m, &e), e);
    for (int how = KNN_BRUTE; how <= KNN_TREE; how++) {
        CHECK_OK(knn_set_search(m, (enum knn_search)how, &e), e);
        CHECK_OK(knn_neighbors(m, xq, nq, (size_t)p, got, NULL, &e), e);
        int bad = 0;
        for (size_t i = 0; i < nq; i++) {
            plain(xt, n, xq + i * p, p, k, want);
            for (int j = 0; j < k; j++)
                bad += got[i * k + j] != want[j];
        }
        CHECK_INT(bad, 0);
    }
    cls_knn.release(m);
    free(xt);
    free(xq);
    free(y);
    free(got);
}

/*
 * trace by hand: training x = 0, 1, 2, 5, 6 (a a b b b), k = 3, the row
 * 1.6: the nearest are row 3 (x = 2, b, at 0.4), row 2 (1, a, 0.6), row 1
 * (0, a, 1.6). Uniform: a 2 votes, b 1, a wins. Distance: b 1/0.4 = 2.5,
 * a 1/0.6 + 1/1.6 = 2.29167, b wins.
 */
static void
test_trace(void)
{
    double x[5] = { 0, 1, 2, 5, 6 }, q = 1.6;
    int y[5] = { 0, 0, 1, 1, 1 };
    struct cls_data d = { x, 5, 1, y, 2, NULL, NULL, NULL };
    static const char *const names[] = { "spend" };
    for (int wd = 0; wd < 2; wd++) {
        struct cls_opts o;
        cls_opts_default(&o);
        o.k = 3;
        o.weights = wd ? CLS_DISTANCE : CLS_UNIFORM;
        void *m = NULL;
        struct qerr e = QERR_INIT;
        CHECK_OK(cls_knn.fit(&d, &o, NULL, &m, &e), e);
        struct buf b = BUF_INIT;
        cls_knn.trace(m, &q, names, &b);
        CHECK_HAS(b.data, "  rank  training row      distance  class      weight  spend\n");
        CHECK_HAS(b.data, wd ? "     1             3           0.4      1         2.5  2\n"
                             : "     1             3           0.4      1           1  2\n");
        CHECK_HAS(b.data, wd ? "     2             2           0.6      0     1.66667  1\n"
                             : "     2             2           0.6      0           1  1\n");
        CHECK_HAS(b.data, wd ? "     3             1           1.6      0       0.625  0\n"
                             : "     3             1           1.6      0           1  0\n");
        CHECK_HAS(b.data, wd ? "votes (sum of weights): class 0 2.29167, class 1 2.5\n"
                             : "votes (sum of weights): class 0 2, class 1 1\n");
        buf_release(&b);
        cls_knn.release(m);
    }
}

int
main(void)
{
    test_trace();
    test_fixture("iris");
    test_fixture("wine");
    test_ties();
    test_grid();
    test_offset();
    return check_done("test_knn");
}
