/*
 * test_logreg.c: logistic regression (classify/logreg.h) and its L-BFGS.
 *
 * Plan:
 *   1. fixtures (tests/data/linear_*.txt, tests/oracles/linear.py): on
 *      standardised iris (multinomial), wine (multinomial) and breast
 *      cancer (binary), for c = 1 and 0.05, the coefficients and
 *      intercepts equal scikit-learn's LogisticRegression(solver='lbfgs',
 *      tol=1e-10) to 1e-5, the probabilities to 1e-6, and the iteration
 *      count is scikit-learn's (its L-BFGS-B stops on the relative
 *      decrease of the objective, and so does ours)
 *   2. the same model for 1 and 3 threads, bit for bit
 *   3. units: fitting 10 x + 5 gives coefficients / 10 and the same
 *      probabilities (features are standardised inside the fit)
 *   4. max_iter=1 reports not converged after 1 iteration; one class
 *      always predicts it; bad c is refused
 *   5. save, load, same probabilities; every truncated state is QE_DATA
 *   6. L-BFGS alone on the Rosenbrock function reaches (1, 1)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "classify/lbfgs.h"
#include "classify/linear.h"
#include "classify/logreg.h"
#include "linear_fixture.h"

static void
test_fixture(const char *name)
{
    struct lfix f;
    CHECK_INT(lfix_read(name, &f), 0);
    struct ldata ld;
    ldata_init(&ld, &f);
    const struct lsec *cs = lfix_sec(&f, "lr_C");
    for (int j = 0; cs && j < cs->cols; j++) {
        char s1[32], s2[32], s3[32], s4[32];
        snprintf(s1, sizeof s1, "lr_coef_%d", j);
        snprintf(s2, sizeof s2, "lr_icpt_%d", j);
        snprintf(s3, sizeof s3, "lr_prob_%d", j);
        snprintf(s4, sizeof s4, "lr_iter_%d", j);
        const struct lsec *coef = lfix_sec(&f, s1), *icpt = lfix_sec(&f, s2),
                          *prob = lfix_sec(&f, s3), *iter = lfix_sec(&f, s4);
        struct cls_opts o;
        cls_opts_default(&o);
        o.c = cs->v[j];
        o.tol = 1e-10;
        o.max_iter = 100000;
        void *m = NULL;
        struct qerr e = QERR_INIT;
        CHECK_OK(cls_logreg.fit(&ld.d, &o, NULL, &m, &e), e);
        if (!m)
            continue;
        int nw, it, conv;
        const double *w, *b;
        linear_coef(m, &nw, &w, &b);
        linear_status(m, &it, &conv);
        CHECK_INT(nw, coef->rows);
        CHECK_INT(it, (int)iter->v[0]);
        CHECK_INT(conv, 1);
        double worst = 0;
        for (int k = 0; k < nw; k++) {
            for (size_t q = 0; q < ld.d.p; q++) {
                double dv = fabs(w[k * ld.d.p + q] - coef->v[k * coef->cols + q]);
                worst = dv > worst ? dv : worst;
            }
            worst = fmax(worst, fabs(b[k] - icpt->v[k]));
        }
        if (getenv("SHOW_WORST") || worst > 1e-5)
            fprintf(stderr, "%s c=%g: coefficients differ by %g\n", name, o.c, worst);
        CHECK(worst <= 1e-5);
        size_t cells = ld.d.n * (size_t)ld.d.nclass;
        double *pr = malloc(sizeof(double) * cells);
        CHECK_OK(cls_logreg.proba(m, &ld.d, pr, &e), e);
        double pw = 0;
        for (size_t i = 0; i < cells; i++)
            pw = fmax(pw, fabs(pr[i] - prob->v[i]));
        CHECK_NEAR(pw, 0, 1e-6);
        /* the same bits on 1 and 3 threads */
        for (int th = 1; th <= 3; th += 2) {
            o.threads = th;
            void *m2 = NULL;
            CHECK_OK(cls_logreg.fit(&ld.d, &o, NULL, &m2, &e), e);
            int nw2;
            const double *w2, *b2;
            linear_coef(m2, &nw2, &w2, &b2);
            CHECK(memcmp(w2, w, sizeof(double) * (size_t)nw * ld.d.p) == 0);
            CHECK(memcmp(b2, b, sizeof(double) * (size_t)nw) == 0);
            cls_logreg.release(m2);
        }
        CHECK_INT(lfix_roundtrip(&cls_logreg, m, &ld.d), 0);
        free(pr);
        cls_logreg.release(m);
        qerr_clear(&e);
    }
    free(ld.y);
    lfix_free(&f);
}

/* 10 x + 5: coefficients / 10, the same probabilities. */
static void
test_units(void)
{
    struct lfix f;
    CHECK_INT(lfix_read("iris", &f), 0);
    struct ldata ld;
    ldata_init(&ld, &f);
    size_t cells = ld.d.n * ld.d.p;
    double *x2 = malloc(sizeof(double) * cells);
    for (size_t i = 0; i < cells; i++)
        x2[i] = 10.0 * ld.d.x[i] + 5.0;
    struct cls_data d2 = ld.d;
    d2.x = x2;
    struct cls_opts o;
    cls_opts_default(&o);
    void *m1 = NULL, *m2 = NULL;
    struct qerr e = QERR_INIT;
    CHECK_OK(cls_logreg.fit(&ld.d, &o, NULL, &m1, &e), e);
    CHECK_OK(cls_logreg.fit(&d2, &o, NULL, &m2, &e), e);
    int nw1, nw2;
    const double *w1, *b1, *w2, *b2;
    linear_coef(m1, &nw1, &w1, &b1);
    linear_coef(m2, &nw2, &w2, &b2);
    CHECK_INT(nw2, 3);
    for (int k = 0; k < nw1 * (int)ld.d.p; k++)
        CHECK_NEAR(w2[k], w1[k] / 10.0, 1e-7);
    double *p1 = malloc(sizeof(double) * ld.d.n * 3), *p2 = malloc(sizeof(double) * ld.d.n * 3);
    CHECK_OK(cls_logreg.proba(m1, &ld.d, p1, &e), e);
    CHECK_OK(cls_logreg.proba(m2, &d2, p2, &e), e);
    double worst = 0;
    for (size_t i = 0; i < ld.d.n * 3; i++)
        worst = fmax(worst, fabs(p1[i] - p2[i]));
    CHECK_NEAR(worst, 0, 1e-7);
    struct buf out;
    buf_init(&out);
    const char *names[] = { "sl", "sw", "pl", "pw" };
    CHECK_OK(cls_logreg.show(m2, names, &out, &e), e);
    CHECK_HAS(out.data, "converged in");
    CHECK_HAS(out.data, "multinomial");
    CHECK_HAS(out.data, "intercept");
    CHECK_HAS(out.data, "pw ");
    buf_release(&out);
    free(p1);
    free(p2);
    free(x2);
    cls_logreg.release(m1);
    cls_logreg.release(m2);
    free(ld.y);
    lfix_free(&f);
}

static void
test_edges(void)
{
    struct lfix f;
    CHECK_INT(lfix_read("cancer", &f), 0);
    struct ldata ld;
    ldata_init(&ld, &f);
    struct cls_opts o;
    cls_opts_default(&o);
    o.max_iter = 1;
    void *m = NULL;
    struct qerr e = QERR_INIT;
    CHECK_OK(cls_logreg.fit(&ld.d, &o, NULL, &m, &e), e);
    int it = -1, conv = -1;
    linear_status(m, &it, &conv);
    CHECK_INT(it, 1);
    CHECK_INT(conv, 0);
    struct buf out;
    buf_init(&out);
    CHECK_OK(cls_logreg.show(m, NULL, &out, &e), e);
    CHECK_HAS(out.data, "did not converge in 1 iteration");
    CHECK_HAS(out.data, "x30 ");
    CHECK_HAS(out.data, "binary");
    buf_release(&out);
    cls_logreg.release(m);
    /* one class */
    int *y0 = calloc(ld.d.n, sizeof(int));
    struct cls_data d1 = ld.d;
    d1.y = y0;
    d1.nclass = 1;
    cls_opts_default(&o);
    m = NULL;
    CHECK_OK(cls_logreg.fit(&d1, &o, NULL, &m, &e), e);
    double pr[3];
    d1.n = 3;
    CHECK_OK(cls_logreg.proba(m, &d1, pr, &e), e);
    CHECK_NEAR(pr[0] + pr[1] + pr[2], 3.0, 0);
    CHECK_INT(lfix_roundtrip(&cls_logreg, m, &d1), 0);
    cls_logreg.release(m);
    free(y0);
    /* c must be positive */
    o.c = 0;
    m = NULL;
    CHECK_INT(cls_logreg.fit(&ld.d, &o, NULL, &m, &e), -1);
    CHECK_INT(e.code, QE_ARG);
    CHECK(m == NULL);
    qerr_clear(&e);
    free(ld.y);
    lfix_free(&f);
}

static int
rosenbrock(void *ctx, const double *x, double *f, double *g, struct qerr *err)
{
    double a = 1 - x[0], b = x[1] - x[0] * x[0];
    *f = a * a + 100 * b * b;
    g[0] = -2 * a - 400 * x[0] * b;
    g[1] = 200 * b;
    (void)ctx;
    (void)err;
    return 0;
}

static void
test_rosenbrock(void)
{
    double x[2] = { -1.2, 1.0 };
    struct lbfgs_opts o;
    lbfgs_opts_default(&o);
    o.gtol = 1e-10;
    o.ftol = 0;
    o.max_iter = 1000;
    struct lbfgs_result r;
    struct qerr e = QERR_INIT;
    CHECK_OK(lbfgs_minimize(2, x, rosenbrock, NULL, &o, NULL, &r, &e), e);
    CHECK_INT(r.stop, LBFGS_GTOL);
    CHECK_NEAR(x[0], 1.0, 1e-8);
    CHECK_NEAR(x[1], 1.0, 1e-8);
    CHECK(r.iter < 100);
}

int
main(void)
{
    test_fixture("iris");
    test_fixture("wine");
    test_fixture("cancer");
    test_units();
    test_edges();
    test_rosenbrock();
    return check_done("test_logreg");
}
