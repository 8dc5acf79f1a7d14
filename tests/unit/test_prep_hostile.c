/*
 * test_prep_hostile.c: the preparation statistics (src/prep/prep.h) on
 * the numbers issue 14's hostile tester used: values near +-1e308, whose
 * sums, squares and differences overflow, and infinities.
 *
 * Plan (every expected value by hand):
 *   1. prep_stats of {1e308, -1e308, 1.5e308, -1.5e308, 1e308, -1e308}:
 *      mean 0 (it was -inf), sd sqrt(8.5e616 / 5) = 1.30384e308 (it was
 *      0), median 0 (the midpoint of -1e308 and 1e308; it was inf), MAD
 *      1e308; a constant column at 1e308: mean 1e308, sd 0
 *   2. infinities: {inf, -inf, 1, 2, 3, 4}: n_inf 2, mean NaN, sd NaN,
 *      min -inf, max inf, median 2.5; {inf, 1, 2}: mean inf; quantiles
 *      next to an infinity are that infinity, not NaN
 *   3. prep_norm_fit refuses infinities and a max - min past the largest
 *      double (QE_DATA), and z-scores of the values in 1. are x / sd;
 *      applying and inverting stay finite where the answer is (a mean of
 *      1.36e308 and x = -1.7e308: x - mean is -inf, the z-score is not)
 *   4. outlier bounds: the z-score rule refuses infinities; IQR past the
 *      largest double gives +-inf bounds (nothing is that far), not NaN
 */
#include <math.h>
#include <string.h>

#include "check.h"
#include "base/qerr.h"
#include "prep/prep.h"
#include "base/banned.h"

static void
test_huge(void)
{
    const double x[6] = {1e308, -1e308, 1.5e308, -1.5e308, 1e308, -1e308};
    struct prep_stats s;
    CHECK_INT(prep_stats(x, NULL, 6, PREP_NEED_ALL, NULL, NULL, &s, NULL), 0);
    CHECK_INT(s.n, 6);
    CHECK_INT(s.n_inf, 0);
    CHECK(fabs(s.mean) < 1e292); /* 0, up to rounding of 1e308-sized terms */
    CHECK_NEAR(s.sd / (sqrt(1.7) * 1e308), 1, 1e-12); /* sqrt(8.5e616 / 5) */
    CHECK(s.median == 0);
    CHECK_NEAR(s.q1 / -1e308, 1, 1e-15);
    CHECK_NEAR(s.mad / 1e308, 1, 1e-15);
    const double c[3] = {1e308, 1e308, 1e308};
    CHECK_INT(prep_stats(c, NULL, 3, 0, NULL, NULL, &s, NULL), 0);
    CHECK(s.mean == 1e308);
    CHECK(s.sd == 0);
}

static void
test_infinities(void)
{
    const double x[6] = {INFINITY, -INFINITY, 1, 2, 3, 4};
    struct prep_stats s;
    CHECK_INT(prep_stats(x, NULL, 6, PREP_NEED_ALL, NULL, NULL, &s, NULL), 0);
    CHECK_INT(s.n, 6);
    CHECK_INT(s.n_inf, 2);
    CHECK(isnan(s.mean));
    CHECK(isnan(s.sd));
    CHECK(s.min == -INFINITY && s.max == INFINITY);
    CHECK(s.fmin == 1 && s.fmax == 4); /* the finite ones, where describe's histogram spans */
    CHECK(s.median == 2.5);
    const double y[3] = {INFINITY, 1, 2};
    CHECK_INT(prep_stats(y, NULL, 3, PREP_NEED_QUANTILES, NULL, NULL, &s, NULL), 0);
    CHECK(s.mean == INFINITY);
    CHECK(s.q3 == INFINITY); /* between 2 and inf: inf (a + (b - a) f was NaN) */
    const double sorted[2] = {-INFINITY, 5};
    CHECK(prep_quantile_sorted(sorted, 2, 0.5) == -INFINITY);
    const double wide[2] = {-1.5e308, 1.5e308};
    CHECK(prep_quantile_sorted(wide, 2, 0.5) == 0);
}

static void
test_norm(void)
{
    struct prep_stats s;
    struct prep_norm_params p;
    struct qerr e = QERR_INIT;
    const double inf[3] = {1, INFINITY, 2};
    CHECK_INT(prep_stats(inf, NULL, 3, PREP_NEED_ALL, NULL, NULL, &s, NULL), 0);
    for (int m = PREP_MINMAX; m <= PREP_LOG; m++) {
        CHECK_INT(prep_norm_fit((enum prep_norm)m, &s, -1, 1, "c", &p, &e), -1);
        CHECK_INT(e.code, QE_DATA);
        CHECK_HAS(e.msg, "infinite");
        qerr_clear(&e);
    }
    const double x[6] = {1e308, -1e308, 1.5e308, -1.5e308, 1e308, -1e308};
    CHECK_INT(prep_stats(x, NULL, 6, PREP_NEED_ALL, NULL, NULL, &s, NULL), 0);
    CHECK_INT(prep_norm_fit(PREP_MINMAX, &s, -1, 1, "c", &p, &e), -1);
    CHECK_INT(e.code, QE_DATA);
    CHECK_HAS(e.msg, "spans more than the largest double");
    qerr_clear(&e);
    CHECK_INT(prep_norm_fit(PREP_ZSCORE, &s, -1, 1, "c", &p, &e), 0);
    CHECK_NEAR(prep_norm_apply(&p, 1.5e308), 1.5e308 / s.sd, 1e-12);
    CHECK_NEAR(prep_norm_invert(&p, prep_norm_apply(&p, -1.5e308)) / -1.5e308, 1, 1e-12);
    /* nine rows at 1.7e308 and one at -1.7e308: mean 1.36e308, sd 1.0752e308 */
    double y[10];
    for (int i = 0; i < 9; i++)
        y[i] = 1.7e308;
    y[9] = -1.7e308;
    CHECK_INT(prep_stats(y, NULL, 10, 0, NULL, NULL, &s, NULL), 0);
    CHECK_NEAR(s.mean / 1.36e308, 1, 1e-12);
    /* deviations 0.34e308 (nine) and -3.06e308: (9 x 0.1156 + 9.3636) / 9 = 1.156 */
    CHECK_NEAR(s.sd / (sqrt(1.156) * 1e308), 1, 1e-12);
    CHECK_INT(prep_norm_fit(PREP_ZSCORE, &s, -1, 1, "c", &p, &e), 0);
    double z = prep_norm_apply(&p, -1.7e308); /* (-1.7 - 1.36) / sd: x - mean was -inf */
    CHECK(isfinite(z));
    CHECK_NEAR(z, -3.06 / (s.sd / 1e308), 1e-12);
    CHECK_NEAR(prep_norm_invert(&p, z) / -1.7e308, 1, 1e-12);
    qerr_clear(&e);
}

static void
test_outlier_bounds(void)
{
    struct prep_stats s;
    struct qerr e = QERR_INIT;
    double lo, hi;
    const double inf[8] = {1, INFINITY, 2, 3, 4, 5, 6, 7};
    CHECK_INT(prep_stats(inf, NULL, 8, PREP_NEED_ALL, NULL, NULL, &s, NULL), 0);
    CHECK_INT(prep_outlier_bounds(PREP_ZSCORE_RULE, &s, 3, "c", &lo, &hi, &e), -1);
    CHECK_INT(e.code, QE_DATA);
    qerr_clear(&e);
    CHECK_INT(prep_outlier_bounds(PREP_IQR_RULE, &s, 1.5, "c", &lo, &hi, &e), 0);
    CHECK_NEAR(lo, 2.75 - 1.5 * 3.5, 1e-12); /* q1 2.75, q3 6.25: the inf is flagged */
    CHECK_NEAR(hi, 6.25 + 1.5 * 3.5, 1e-12);
    const double x[4] = {1e308, -1e308, 1.5e308, -1.5e308};
    CHECK_INT(prep_stats(x, NULL, 4, PREP_NEED_ALL, NULL, NULL, &s, NULL), 0);
    CHECK_INT(prep_outlier_bounds(PREP_IQR_RULE, &s, 1.5, "c", &lo, &hi, &e), 0);
    CHECK(lo == -INFINITY && hi == INFINITY);
    qerr_clear(&e);
}

int
main(void)
{
    test_huge();
    test_infinities();
    test_norm();
    test_outlier_bounds();
    return check_done("test_prep_hostile");
}
