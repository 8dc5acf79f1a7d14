/*
 * test_nb.c: naive Bayes (src/classify/nb.c) against scikit-learn and a
 * hand-computed categorical example.
 *
 * Plan:
 *   1. GaussianNB on iris (all rows; given priors) and wine (trained on
 *      two rows in three; var_smoothing=1e-3): every probability within
 *      1e-9 and every prediction equal (tests/data/nb_expected.h, written
 *      by tests/oracles/nb.py)
 *   2. categorical: one feature, levels a/b/c, alpha 1; class 0 holds
 *      a a b, class 1 holds c c c b (priors 3/7, 4/7):
 *        P(a|0) = (2+1)/(3+3) = 1/2, P(a|1) = (0+1)/(4+3) = 1/7
 *      so for x = a: 3/7 * 1/2 = 3/14 against 4/7 * 1/7 = 4/49,
 *      P(0|a) = (3/14) / (3/14 + 4/49) = 21/29
 *      a missing or unseen feature leaves the priors: P(0) = 3/7
 *   3. save then load gives the same bits (every case above too); a
 *      state cut short is QE_DATA
 *   4. predict (classes only) names proba's first largest on every row
 *      above, on rows near a tie (two classes whose means differ in the
 *      last digits), on exact ties (the first class) and missing values;
 *      the fit over many rows (blocks merged on the cores) gives the
 *      probabilities of the two-pass means and variances to 1e-10
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "classify/nb.h"

#include "../data/nb_expected.h" /* tests/oracles/nb.py */

static void
gaussian_case(const char *name, const double *x, const int *y, const int *train,
              const int *pred, const double *proba, size_t n, size_t p, int k,
              const double *priors, double vs)
{
    double *xt = malloc(n * p * sizeof *xt);
    int *yt = malloc(n * sizeof *yt);
    size_t nt = 0;
    for (size_t i = 0; i < n; i++)
        if (train[i]) {
            memcpy(xt + nt * p, x + i * p, p * sizeof *xt);
            yt[nt++] = y[i];
        }
    struct cls_data d = {.x = xt, .n = nt, .p = p, .y = yt, .nclass = k};
    struct cls_opts o;
    cls_opts_default(&o);
    o.var_smoothing = vs;
    o.priors = priors[0] > 0 ? priors : NULL;
    struct qerr err = {0};
    void *m = NULL;
    CHECK_OK(cls_nb.fit(&d, &o, NULL, &m, &err), err);
    double *out = malloc(n * (size_t)k * sizeof *out);
    struct cls_data q = {.x = x, .n = n, .p = p, .nclass = k};
    CHECK_OK(cls_nb.proba(m, &q, out, &err), err);
    double worst = 0;
    int wrong = 0;
    for (size_t i = 0; i < n; i++) {
        int best = 0;
        for (int c = 0; c < k; c++) {
            double e = fabs(out[i * (size_t)k + (size_t)c] - proba[i * (size_t)k + (size_t)c]);
            worst = e > worst ? e : worst;
            if (out[i * (size_t)k + (size_t)c] > out[i * (size_t)k + (size_t)best])
                best = c;
        }
        wrong += best != pred[i];
    }
    fprintf(stderr, "%s: largest difference %.3g\n", name, worst);
    CHECK_NEAR(worst, 0, 1e-9);
    CHECK_INT(wrong, 0);
    int *lab = malloc(n * sizeof *lab);
    CHECK_OK(cls_nb.predict(m, &q, lab, &err), err);
    for (size_t i = 0; i < n; i++)
        wrong += lab[i] != pred[i];
    CHECK_INT(wrong, 0);
    free(lab);
    /* Saved and loaded, the same bits. */
    struct buf b = BUF_INIT;
    CHECK_OK(cls_nb.save(m, &b, &err), err);
    struct store_reader r;
    store_reader_init(&r, b.data, b.len, 1, "model 'm'", "m");
    void *m2 = NULL;
    double *out2 = malloc(n * (size_t)k * sizeof *out2);
    CHECK_OK(cls_nb.load(&r, &m2, &err), err);
    CHECK_OK(cls_nb.proba(m2, &q, out2, &err), err);
    CHECK(memcmp(out, out2, n * (size_t)k * sizeof *out) == 0);
    store_reader_release(&r);
    buf_release(&b);
    cls_nb.release(m2);
    free(out2);
    cls_nb.release(m);
    free(out);
    free(xt);
    free(yt);
}

static void
test_gaussian(void)
{
    gaussian_case("iris_all", iris_all_x, iris_all_y, iris_all_train, iris_all_pred,
                  iris_all_proba, iris_all_N, iris_all_P, iris_all_K, iris_all_priors,
                  iris_all_var_smoothing);
    gaussian_case("iris_priors", iris_priors_x, iris_priors_y, iris_priors_train,
                  iris_priors_pred, iris_priors_proba, iris_priors_N, iris_priors_P,
                  iris_priors_K, iris_priors_priors, iris_priors_var_smoothing);
    gaussian_case("wine_part", wine_part_x, wine_part_y, wine_part_train, wine_part_pred,
                  wine_part_proba, wine_part_N, wine_part_P, wine_part_K, wine_part_priors,
                  wine_part_var_smoothing);
    gaussian_case("wine_smooth", wine_smooth_x, wine_smooth_y, wine_smooth_train,
                  wine_smooth_pred, wine_smooth_proba, wine_smooth_N, wine_smooth_P,
                  wine_smooth_K, wine_smooth_priors, wine_smooth_var_smoothing);
}

static void
test_categorical(void)
{
    /* levels a=0, b=1, c=2 */
    double x[] = {0, 0, 1, 2, 2, 2, 1};
    int y[] = {0, 0, 0, 1, 1, 1, 1};
    unsigned char cat[] = {1};
    int levels[] = {3};
    struct cls_data d = {.x = x, .n = 7, .p = 1, .y = y, .nclass = 2, .categorical = cat,
                         .levels = levels};
    struct cls_opts o;
    cls_opts_default(&o);
    struct qerr err = {0};
    void *m = NULL;
    CHECK_OK(cls_nb.fit(&d, &o, NULL, &m, &err), err);
    double q[] = {0, NAN, 7}, out[6];
    struct cls_data dq = {.x = q, .n = 3, .p = 1, .nclass = 2, .categorical = cat,
                          .levels = levels};
    CHECK_OK(cls_nb.proba(m, &dq, out, &err), err);
    CHECK_NEAR(out[0], 21.0 / 29, 1e-15);
    CHECK_NEAR(out[1], 8.0 / 29, 1e-15);
    CHECK_NEAR(out[2], 3.0 / 7, 1e-15); /* missing: the prior */
    CHECK_NEAR(out[4], 3.0 / 7, 1e-15); /* unseen level 7: the prior */
    /* trace: x = a, log P(a | 0) = ln 1/2, log P(a | 1) = ln 1/7; sums ln 3/14, ln 4/49. */
    struct buf tr = BUF_INIT;
    static const char *const nm[] = {"level"};
    cls_nb.trace(m, q, nm, &tr);
    CHECK_HAS(tr.data, "-0.693147");
    CHECK_HAS(tr.data, "-1.94591");
    CHECK_HAS(tr.data, "-1.54045"); /* ln 3/14 */
    CHECK_HAS(tr.data, "-2.50553"); /* ln 4/49 */
    buf_release(&tr);
    /* Save, load: the same bits. */
    struct buf b = BUF_INIT;
    CHECK_OK(cls_nb.save(m, &b, &err), err);
    struct store_reader r;
    store_reader_init(&r, b.data, b.len, 1, "model 'm'", "m");
    void *m2 = NULL;
    CHECK_OK(cls_nb.load(&r, &m2, &err), err);
    CHECK_OK(store_read_end(&r, &err), err);
    store_reader_release(&r);
    double out2[6];
    CHECK_OK(cls_nb.proba(m2, &dq, out2, &err), err);
    CHECK(memcmp(out, out2, sizeof out) == 0);
    /* Cut short: a data error, not a crash. */
    for (size_t cut = 0; cut < b.len; cut += 7) {
        store_reader_init(&r, b.data, cut, 1, "model 'm'", "m");
        void *m3 = NULL;
        struct qerr e2 = {0};
        int rc = cls_nb.load(&r, &m3, &e2);
        CHECK(rc < 0 && e2.code == QE_DATA && m3 == NULL);
        qerr_clear(&e2);
        store_reader_release(&r);
    }
    buf_release(&b);
    cls_nb.release(m);
    cls_nb.release(m2);
    /* The lookup finds it. */
    CHECK_PTR(cls_method_find("nb"), &cls_nb);
}

/* predict's class against proba's first largest, row by row: the rows that differ. */
static int
labels_differ(void *m, const struct cls_data *q, int k)
{
    struct qerr err = {0};
    double *out = malloc(q->n * (size_t)k * sizeof *out);
    int *lab = malloc(q->n * sizeof *lab), differ = 0;
    CHECK_OK(cls_nb.proba(m, q, out, &err), err);
    CHECK_OK(cls_nb.predict(m, q, lab, &err), err);
    for (size_t i = 0; i < q->n; i++) {
        int best = 0;
        for (int c = 1; c < k; c++)
            if (out[i * (size_t)k + (size_t)c] > out[i * (size_t)k + (size_t)best])
                best = c;
        differ += lab[i] != best;
    }
    free(out);
    free(lab);
    return differ;
}

static void
test_labels(void)
{
    struct cls_opts o;
    cls_opts_default(&o);
    o.var_smoothing = 0;
    struct qerr err = {0};
    /* Class 1's values are class 0's plus 2^-51: the same variance, the mean a hair above. */
    double d2 = ldexp(1, -51);
    double x[] = {-1, 1, -1 + d2, 1 + d2, 0, 0};
    int y[] = {0, 0, 1, 1, 2, 2};
    double xq[400];
    for (int i = 0; i < 400; i++)
        xq[i] = (i - 200) * 0.0151; /* from -3.02 to 3.0049 */
    xq[7] = NAN;
    struct cls_data d = {.x = x, .n = 6, .p = 1, .y = y, .nclass = 3};
    void *m = NULL;
    /* class 2 (all zeros) gets the smallest normal as its variance: never near */
    CHECK_OK(cls_nb.fit(&d, &o, NULL, &m, &err), err);
    struct cls_data q = {.x = xq, .n = 400, .p = 1, .nclass = 3};
    CHECK_INT(labels_differ(m, &q, 3), 0);
    cls_nb.release(m);
    /* Exact ties: two classes alike, the first wins. */
    double xt[] = {1, 2, 1, 2};
    int yt[] = {0, 0, 1, 1}, lab[2];
    struct cls_data dt = {.x = xt, .n = 4, .p = 1, .y = yt, .nclass = 2};
    CHECK_OK(cls_nb.fit(&dt, &o, NULL, &m, &err), err);
    struct cls_data qt = {.x = xt, .n = 2, .p = 1, .nclass = 2};
    CHECK_OK(cls_nb.predict(m, &qt, lab, &err), err);
    CHECK(lab[0] == 0 && lab[1] == 0);
    cls_nb.release(m);
    /* Many rows: 3 classes, 2 features (the second missing in every 7th row). */
    size_t n = 100000;
    double *xb = malloc(n * 2 * sizeof *xb), sum[3][2] = {{0}}, cnt[3][2] = {{0}};
    int *yb = malloc(n * sizeof *yb);
    unsigned long long s = 88172645463325252ull;
    for (size_t i = 0; i < n; i++) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        yb[i] = (int)(s % 3);
        xb[2 * i] = 1000 + yb[i] + (double)(s >> 11) * 0x1p-53;
        xb[2 * i + 1] = i % 7 ? yb[i] * 2.0 - (double)((s >> 20) % 1000) / 500 : NAN;
    }
    for (size_t i = 0; i < n; i++)
        for (int j = 0; j < 2; j++)
            if (!isnan(xb[2 * i + j])) {
                sum[yb[i]][j] += xb[2 * i + j];
                cnt[yb[i]][j] += 1;
            }
    struct cls_data db = {.x = xb, .n = n, .p = 2, .y = yb, .nclass = 3};
    CHECK_OK(cls_nb.fit(&db, &o, NULL, &m, &err), err);
    /* The probabilities from the two-pass means and variances, by the formula in nb.h. */
    double mu[3][2], var[3][2], worst = 0, rows[3] = {0};
    for (size_t i = 0; i < n; i++)
        rows[yb[i]] += 1;
    for (int c = 0; c < 3; c++)
        for (int j = 0; j < 2; j++) {
            double ss = 0;
            mu[c][j] = sum[c][j] / cnt[c][j];
            for (size_t i = 0; i < n; i++)
                if (yb[i] == c && !isnan(xb[2 * i + j]))
                    ss += (xb[2 * i + j] - mu[c][j]) * (xb[2 * i + j] - mu[c][j]);
            var[c][j] = ss / cnt[c][j];
        }
    double *pb = malloc(n * 3 * sizeof *pb);
    CHECK_OK(cls_nb.proba(m, &db, pb, &err), err);
    for (size_t i = 0; i < n; i += 97) {
        double jll[3], top = -INFINITY, z = 0;
        for (int c = 0; c < 3; c++) {
            jll[c] = log(rows[c] / (double)n);
            for (int j = 0; j < 2; j++) {
                double v = xb[2 * i + j];
                if (!isnan(v))
                    jll[c] += -0.5 * log(2 * M_PI * var[c][j]) -
                              0.5 * (v - mu[c][j]) * (v - mu[c][j]) / var[c][j];
            }
            top = jll[c] > top ? jll[c] : top;
        }
        for (int c = 0; c < 3; c++)
            z += exp(jll[c] - top);
        for (int c = 0; c < 3; c++) {
            double e = fabs(exp(jll[c] - top) / z - pb[i * 3 + (size_t)c]);
            worst = e > worst ? e : worst;
        }
    }
    CHECK_NEAR(worst, 0, 1e-10);
    free(pb);
    CHECK_INT(labels_differ(m, &db, 3), 0);
    cls_nb.release(m);
    free(xb);
    free(yb);
}

int
main(void)
{
    test_gaussian();
    test_categorical();
    test_labels();
    return check_done("test_nb");
}
