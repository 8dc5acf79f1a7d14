/*
 * test_svm.c: the linear SVM (classify/svm.h).
 *
 * Plan:
 *   1. fixtures (tests/data/linear_*.txt, tests/oracles/linear.py): on
 *      standardised breast cancer (binary), iris and wine (one-vs-rest),
 *      the decision values are within 1e-4 of scikit-learn's
 *      LinearSVC(loss='hinge', dual=True, tol=1e-8), and so are the
 *      coefficients; for two seeds (another order of the rows)
 *   2. probabilities are the documented map of the scores: 1/(1+e^-f)
 *      with two classes, the softmax of the scores with more
 *   3. by hand: two rows x = 3 (class 0), 5 (class 1), c = 0.1: the
 *      standardised problem is symmetric, b = 0 and w = 2c = 0.2, so the
 *      score is 0.2 (x - 4); with c = 10 the margin binds: w = 1
 *      trace of x = 4.5 and 3.5 by hand: z = +-0.5, bias 0, score +-0.5 w
 *   4. max_iter=1 reports not converged; one class; bad c refused
 *   5. save, load, same probabilities; every truncated state is QE_DATA
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "classify/linear.h"
#include "classify/svm.h"
#include "linear_fixture.h"

static void
test_fixture(const char *name)
{
    struct lfix f;
    CHECK_INT(lfix_read(name, &f), 0);
    struct ldata ld;
    ldata_init(&ld, &f);
    const struct lsec *dec = lfix_sec(&f, "svm_dec"), *coef = lfix_sec(&f, "svm_coef"),
                      *icpt = lfix_sec(&f, "svm_icpt");
    for (uint64_t seed = 1; seed <= 2; seed++) {
        struct cls_opts o;
        cls_opts_default(&o);
        o.c = 1.0;
        o.tol = 1e-8;
        o.max_iter = 1000000;
        o.seed = seed;
        void *m = NULL;
        struct qerr e = QERR_INIT;
        CHECK_OK(cls_svm.fit(&ld.d, &o, NULL, &m, &e), e);
        if (!m)
            continue;
        int nw, it, conv;
        const double *w, *b;
        linear_coef(m, &nw, &w, &b);
        linear_status(m, &it, &conv);
        CHECK_INT(conv, 1);
        CHECK_INT(nw, coef->rows);
        CHECK_INT(dec->cols, nw);
        double worst = 0, wc = 0, s[16];
        for (size_t i = 0; i < ld.d.n; i++) {
            linear_scores(m, ld.d.x + i * ld.d.p, s);
            for (int k = 0; k < nw; k++)
                worst = fmax(worst, fabs(s[k] - dec->v[i * (size_t)nw + k]));
        }
        for (int k = 0; k < nw; k++) {
            for (size_t q = 0; q < ld.d.p; q++)
                wc = fmax(wc, fabs(w[k * ld.d.p + q] - coef->v[k * ld.d.p + q]));
            wc = fmax(wc, fabs(b[k] - icpt->v[k]));
        }
        if (getenv("SHOW_WORST"))
            fprintf(stderr, "%s seed %d: %d passes, scores differ by %g, coefficients by %g\n",
                    name, (int)seed, it, worst, wc);
        CHECK_NEAR(worst, 0, 1e-4);
        CHECK_NEAR(wc, 0, 1e-4);
        /* the probabilities are the documented map of the scores */
        int K = ld.d.nclass;
        double *pr = malloc(sizeof(double) * ld.d.n * (size_t)K), pw = 0;
        CHECK_OK(cls_svm.proba(m, &ld.d, pr, &e), e);
        for (size_t i = 0; i < ld.d.n; i++) {
            linear_scores(m, ld.d.x + i * ld.d.p, s);
            double want[16], sum = 0;
            if (nw == 1) {
                want[1] = 1.0 / (1.0 + exp(-s[0]));
                want[0] = 1.0 - want[1];
            } else {
                for (int k = 0; k < K; k++)
                    sum += want[k] = exp(s[k]);
                for (int k = 0; k < K; k++)
                    want[k] /= sum;
            }
            for (int k = 0; k < K; k++)
                pw = fmax(pw, fabs(pr[i * (size_t)K + k] - want[k]));
        }
        CHECK_NEAR(pw, 0, 1e-12);
        if (seed == 1)
            CHECK_INT(lfix_roundtrip(&cls_svm, m, &ld.d), 0);
        free(pr);
        cls_svm.release(m);
        qerr_clear(&e);
    }
    free(ld.y);
    lfix_free(&f);
}

static void
test_hand(void)
{
    double x[2] = { 3.0, 5.0 };
    int y[2] = { 0, 1 };
    struct cls_data d = { x, 2, 1, y, 2, NULL, NULL, NULL };
    const double cs[2] = { 0.1, 10.0 }, ws[2] = { 0.2, 1.0 };
    for (int t = 0; t < 2; t++) {
        struct cls_opts o;
        cls_opts_default(&o);
        o.c = cs[t];
        o.tol = 1e-12;
        void *m = NULL;
        struct qerr e = QERR_INIT;
        CHECK_OK(cls_svm.fit(&d, &o, NULL, &m, &e), e);
        int nw;
        const double *w, *b;
        linear_coef(m, &nw, &w, &b);
        CHECK_INT(nw, 1);
        CHECK_NEAR(w[0], ws[t], 1e-12);
        CHECK_NEAR(b[0], -4.0 * ws[t], 1e-12);
        double pr[4];
        CHECK_OK(cls_svm.proba(m, &d, pr, &e), e);
        CHECK_NEAR(pr[1], 1.0 / (1.0 + exp(ws[t])), 1e-12);
        CHECK_NEAR(pr[3], 1.0 / (1.0 + exp(-ws[t])), 1e-12);
        struct buf out;
        buf_init(&out);
        const char *names[] = { "spend" };
        CHECK_OK(cls_svm.show(m, names, &out, &e), e);
        CHECK_HAS(out.data, "converged in");
        CHECK_HAS(out.data, "spend ");
        CHECK_HAS(out.data, "1 / (1 + exp(-score))");
        buf_release(&out);
        /*
         * trace of x = 4.5: mean 4, sd 1, so z = 0.5; the weight in
         * standardised units is w x sd = w, the bias b + w x 4 = 0, the
         * term and the score 0.5 w (0.1 for c = 0.1, 0.5 for c = 10): class 1.
         */
        double q = 4.5;
        buf_init(&out);
        cls_svm.trace(m, &q, names, &out);
        char want[160];
        snprintf(want, sizeof want, "  %-18s%12.6g%12.6g%12.6g%12.6g%12.6g%14.8g\n", "spend", 4.5,
                 4.0, 1.0, 0.5, ws[t], 0.5 * ws[t]);
        CHECK_HAS(out.data, want);
        CHECK_HAS(out.data, "  bias 0\n");
        snprintf(want, sizeof want, "  score %.6g\n", 0.5 * ws[t]);
        CHECK_HAS(out.data, want);
        CHECK_HAS(out.data, "decision: score > 0, so class 1");
        q = 3.5; /* z = -0.5: the score -0.5 w, class 0 */
        buf_release(&out);
        buf_init(&out);
        cls_svm.trace(m, &q, names, &out);
        snprintf(want, sizeof want, "  score %.6g\n", -0.5 * ws[t]);
        CHECK_HAS(out.data, want);
        CHECK_HAS(out.data, "decision: score <= 0, so class 0");
        buf_release(&out);
        cls_svm.release(m);
    }
}

static void
test_edges(void)
{
    struct lfix f;
    CHECK_INT(lfix_read("iris", &f), 0);
    struct ldata ld;
    ldata_init(&ld, &f);
    struct cls_opts o;
    cls_opts_default(&o);
    o.max_iter = 1;
    o.tol = 1e-8;
    void *m = NULL;
    struct qerr e = QERR_INIT;
    CHECK_OK(cls_svm.fit(&ld.d, &o, NULL, &m, &e), e);
    int it, conv;
    linear_status(m, &it, &conv);
    CHECK_INT(it, 1);
    CHECK_INT(conv, 0);
    struct buf out;
    buf_init(&out);
    CHECK_OK(cls_svm.show(m, NULL, &out, &e), e);
    CHECK_HAS(out.data, "did not converge in 1 pass ");
    CHECK_HAS(out.data, "one-vs-rest");
    CHECK_HAS(out.data, "softmax");
    buf_release(&out);
    cls_svm.release(m);
    int *y0 = calloc(ld.d.n, sizeof(int));
    struct cls_data d1 = ld.d;
    d1.y = y0;
    d1.nclass = 1;
    cls_opts_default(&o);
    m = NULL;
    CHECK_OK(cls_svm.fit(&d1, &o, NULL, &m, &e), e);
    double pr[2];
    d1.n = 2;
    CHECK_OK(cls_svm.proba(m, &d1, pr, &e), e);
    CHECK_NEAR(pr[0] + pr[1], 2.0, 0);
    CHECK_INT(lfix_roundtrip(&cls_svm, m, &d1), 0);
    cls_svm.release(m);
    free(y0);
    o.c = -1;
    m = NULL;
    CHECK_INT(cls_svm.fit(&ld.d, &o, NULL, &m, &e), -1);
    CHECK_INT(e.code, QE_ARG);
    qerr_clear(&e);
    free(ld.y);
    lfix_free(&f);
}

int
main(void)
{
    test_fixture("cancer");
    test_fixture("iris");
    test_fixture("wine");
    test_hand();
    test_edges();
    return check_done("test_svm");
}
