/*
 * test_prep.c: the arithmetic of preprocessing against hand-computed
 * values (statistics, outlier bounds, transforms and their inverses),
 * scikit-learn's KNNImputer (tests/oracles/knn_impute.py made
 * tests/data/knn_expected.h) and a calendar's worth of date layouts.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "prep/prep.h"
#include "prep/prep_par.h"

#include "../data/knn_expected.h"

static void
test_stats(void)
{
    /* 1 2 3 4 100 and a NaN: mean 22, sd sqrt(sum (x-22)^2 / 4) */
    double x[] = {4, NAN, 1, 100, 3, 2};
    struct prep_stats s;
    CHECK_INT(prep_stats(x, NULL, 6, PREP_NEED_ALL, NULL, NULL, &s, NULL), 0);
    CHECK_INT(s.n, 5);
    CHECK_NEAR(s.mean, 22, 1e-12);
    double ss = 18 * 18 + 19 * 19 + 20 * 20 + 21 * 21 + 78 * 78;
    CHECK_NEAR(s.sd, sqrt(ss / 4), 1e-12);
    CHECK_NEAR(s.min, 1, 0);
    CHECK_NEAR(s.max, 100, 0);
    CHECK_NEAR(s.median, 3, 0);
    CHECK_NEAR(s.q1, 2, 0); /* rank (5-1)/4 = 1 */
    CHECK_NEAR(s.q3, 4, 0);
    CHECK_NEAR(s.mad, 1, 0); /* |x-3| = 1 2 0 1 97 -> median 1 */
    CHECK_NEAR(s.mode, 1, 0); /* all once: the smallest */

    /* interpolation: 4 values, q1 at rank 0.75 */
    double y[] = {10, 20, 30, 40};
    unsigned char mask[] = {0, 0, 0, 0};
    CHECK_INT(prep_stats(y, mask, 4, PREP_NEED_ALL, NULL, NULL, &s, NULL), 0);
    CHECK_NEAR(s.q1, 17.5, 1e-12);
    CHECK_NEAR(s.median, 25, 1e-12);
    CHECK_NEAR(s.q3, 32.5, 1e-12);

    double z[] = {5, 7, 5, 7, 9};
    unsigned char m2[] = {0, 0, 0, 0, 1}; /* the 9 is masked */
    CHECK_INT(prep_stats(z, m2, 5, PREP_NEED_ALL, NULL, NULL, &s, NULL), 0);
    CHECK_INT(s.n, 4);
    CHECK_NEAR(s.mode, 5, 0); /* 5 and 7 twice each: the smaller */
    CHECK_NEAR(s.max, 7, 0);

    CHECK_INT(prep_stats(z, NULL, 0, PREP_NEED_ALL, NULL, NULL, &s, NULL), 0);
    CHECK_INT(s.n, 0);
    CHECK(isnan(s.mean));

    double one[] = {3.5};
    CHECK_INT(prep_stats(one, NULL, 1, PREP_NEED_ALL, NULL, NULL, &s, NULL), 0);
    CHECK(isnan(s.sd)); /* undefined for one value, never 0 */
    CHECK_NEAR(s.q1, 3.5, 0);
}

static int
cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Selection gives the same quantiles as sorting, with runs of ties and sorted input. */
static void
test_selection(void)
{
    unsigned long long r = 12345;
    for (int trial = 0; trial < 240; trial++) {
        /* small sizes, then a few past the clock's block (TICK_ROWS) */
        int n = trial < 232 ? 1 + trial * 7 % 301 : 70000 + trial * 1013;
        double *v = malloc(sizeof(double) * (size_t)n), *w = malloc(sizeof(double) * (size_t)n);
        for (int i = 0; i < n; i++) {
            r = r * 6364136223846793005ULL + 1442695040888963407ULL;
            int kind = trial % 4; /* few distinct values, sorted, spread, reversed */
            v[i] = kind == 0   ? (double)(r >> 60)
                   : kind == 1 ? i
                   : kind == 2 ? (double)(r >> 11)
                               : (double)(n - i / 3);
        }
        memcpy(w, v, sizeof(double) * (size_t)n);
        qsort(w, (size_t)n, sizeof(double), cmp_d);
        struct prep_stats s;
        CHECK_INT(prep_stats(v, NULL, n, PREP_NEED_ALL, NULL, NULL, &s, NULL), 0);
        CHECK_NEAR(s.q1, prep_quantile_sorted(w, n, 0.25), 0);
        CHECK_NEAR(s.median, prep_quantile_sorted(w, n, 0.5), 0);
        CHECK_NEAR(s.q3, prep_quantile_sorted(w, n, 0.75), 0);
        for (int i = 0; i < n; i++)
            w[i] = fabs(w[i] - s.median);
        qsort(w, (size_t)n, sizeof(double), cmp_d);
        CHECK_NEAR(s.mad, prep_quantile_sorted(w, n, 0.5), 0);
        free(v);
        free(w);
    }
}

/*
 * The median alone (PREP_NEED_MEDIAN, as clean's fill asks for it) is
 * selected among the values inside a bracket taken from a sample, with
 * no copy of the column: it must equal the median of the sorted values
 * for every layout, including those the sample misjudges (a period equal
 * to the sample's stride, nearly all values equal, the median between two
 * runs), with NaN and masked rows skipped, infinities counted, and
 * PREP_NO_MOMENTS leaving the mean and sd NaN and the rest the same.
 */
static void
test_median_bracket(void)
{
    unsigned long long r = 777;
    for (int trial = 0; trial < 28; trial++) {
        long long n = 70000 + (trial % 2) + 1000 * (trial / 7); /* odd and even, past 16 * 4096 */
        double *v = malloc(sizeof(double) * (size_t)n), *w = malloc(sizeof(double) * (size_t)n);
        unsigned char *mask = calloc((size_t)n, 1);
        long long stride = n / 4096, m = 0;
        for (long long i = 0; i < n; i++) {
            r = r * 6364136223846793005ULL + 1442695040888963407ULL;
            switch (trial % 7) {
            case 0: v[i] = (double)(r >> 11); break;                          /* spread */
            case 1: v[i] = (double)i; break;                                  /* sorted */
            case 2: v[i] = (double)(r >> 62); break;                          /* four values */
            case 3: v[i] = i % stride == stride / 2 ? 1e9 + i : (double)(r >> 40); break; /* the
                     * sample sees only the largest: the bracket misses, full selection */
            case 4: v[i] = i < n / 2 ? 1.0 : 2.0; break;                      /* two runs */
            case 5: v[i] = (r >> 60) == 0 ? NAN : (r >> 61) == 1 ? INFINITY : (double)(r >> 30);
                    mask[i] = (r >> 58) == 7; break;                          /* NaN, inf, masked */
            default: v[i] = (r >> 63) ? -0.0 : (double)((r >> 20) % 3) - 1; break; /* -1, 0, 1 */
            }
            if (!mask[i] && !isnan(v[i]))
                w[m++] = v[i];
        }
        qsort(w, (size_t)m, sizeof(double), cmp_d);
        struct prep_stats a, b;
        CHECK_INT(prep_stats(v, mask, n, PREP_NEED_MEDIAN, NULL, NULL, &a, NULL), 0);
        CHECK_INT(a.n, m);
        CHECK_NEAR(a.median, prep_quantile_sorted(w, m, 0.5), 0);
        CHECK_INT(prep_stats(v, mask, n, PREP_NEED_MEDIAN | PREP_NO_MOMENTS, NULL, NULL, &b, NULL),
                  0);
        CHECK_NEAR(b.median, a.median, 0);
        CHECK(isnan(b.mean) && isnan(b.sd));
        CHECK(b.n == a.n && b.n_inf == a.n_inf && b.min == a.min && b.max == a.max &&
              b.fmax == a.fmax);
        free(v);
        free(w);
        free(mask);
    }
}

static void
test_bounds(void)
{
    struct qerr err = QERR_INIT;
    double x[] = {1, 2, 3, 4, 100};
    struct prep_stats s;
    double lo, hi;
    CHECK_INT(prep_stats(x, NULL, 5, PREP_NEED_ALL, NULL, NULL, &s, NULL), 0);
    CHECK_INT(prep_outlier_bounds(PREP_IQR_RULE, &s, 1.5, "x", &lo, &hi, &err), 0);
    CHECK_NEAR(lo, 2 - 1.5 * 2, 1e-12);
    CHECK_NEAR(hi, 4 + 1.5 * 2, 1e-12);
    CHECK_INT(prep_outlier_bounds(PREP_ZSCORE_RULE, &s, 1, "x", &lo, &hi, &err), 0);
    CHECK_NEAR(hi, 22 + s.sd, 1e-12);
    CHECK_INT(prep_outlier_bounds(PREP_MAD_RULE, &s, 3, "x", &lo, &hi, &err), 0);
    CHECK_NEAR(lo, 3 - 3 * 1.4826, 1e-12);
    CHECK_NEAR(hi, 3 + 3 * 1.4826, 1e-12);
    /* more than half equal: MAD 0 is refused, with a way out */
    double y[] = {5, 5, 5, 6, 9};
    CHECK_INT(prep_stats(y, NULL, 5, PREP_NEED_ALL, NULL, NULL, &s, NULL), 0);
    CHECK_INT(prep_outlier_bounds(PREP_MAD_RULE, &s, 3, "y", &lo, &hi, &err), -1);
    CHECK_HAS(err.msg, "MAD is 0");
    qerr_clear(&err);
}

static void
test_norm(void)
{
    struct qerr err = QERR_INIT;
    struct prep_stats s;
    struct prep_norm_params p;
    double x[] = {2, 4, 6, 10};
    CHECK_INT(prep_stats(x, NULL, 4, PREP_NEED_ALL, NULL, NULL, &s, NULL), 0);
    CHECK_INT(prep_norm_fit(PREP_MINMAX, &s, -1, 1, "x", &p, &err), 0);
    CHECK_NEAR(prep_norm_apply(&p, 2), -1, 1e-15);
    CHECK_NEAR(prep_norm_apply(&p, 10), 1, 1e-15);
    CHECK_NEAR(prep_norm_apply(&p, 6), 0, 1e-15);
    CHECK_NEAR(prep_norm_apply(&p, 4), -0.5, 1e-15);
    CHECK_NEAR(prep_norm_invert(&p, -0.5), 4, 1e-14);
    CHECK_INT(prep_norm_fit(PREP_MINMAX, &s, 0, 1, "x", &p, &err), 0);
    CHECK_NEAR(prep_norm_apply(&p, 4), 0.25, 1e-15);
    /* z-score: mean 5.5, sd sqrt((12.25 + 2.25 + 0.25 + 20.25) / 3) */
    CHECK_INT(prep_norm_fit(PREP_ZSCORE, &s, 0, 0, "x", &p, &err), 0);
    double sd = sqrt(35.0 / 3);
    CHECK_NEAR(prep_norm_apply(&p, 10), 4.5 / sd, 1e-14);
    CHECK_NEAR(prep_norm_invert(&p, prep_norm_apply(&p, 7.25)), 7.25, 1e-13);
    /* robust: median 5, IQR q3 - q1 = 7 - 3.5 */
    CHECK_INT(prep_norm_fit(PREP_ROBUST, &s, 0, 0, "x", &p, &err), 0);
    CHECK_NEAR(prep_norm_apply(&p, 12), 2, 1e-14);
    CHECK_INT(prep_norm_fit(PREP_LOG, &s, 0, 0, "x", &p, &err), 0);
    CHECK_NEAR(prep_norm_apply(&p, M_E - 1), 1, 1e-15);
    CHECK_NEAR(prep_norm_invert(&p, 2), exp(2) - 1, 1e-13);

    /* constant columns and other impossible fits say why */
    double c[] = {3, 3, 3};
    CHECK_INT(prep_stats(c, NULL, 3, PREP_NEED_ALL, NULL, NULL, &s, NULL), 0);
    CHECK_INT(prep_norm_fit(PREP_MINMAX, &s, -1, 1, "c", &p, &err), -1);
    CHECK_HAS(err.msg, "constant");
    qerr_clear(&err);
    CHECK_INT(prep_norm_fit(PREP_ZSCORE, &s, 0, 0, "c", &p, &err), -1);
    CHECK_HAS(err.msg, "zero variance");
    qerr_clear(&err);
    CHECK_INT(prep_norm_fit(PREP_ROBUST, &s, 0, 0, "c", &p, &err), -1);
    qerr_clear(&err);
    double neg[] = {-2, 0};
    CHECK_INT(prep_stats(neg, NULL, 2, PREP_NEED_ALL, NULL, NULL, &s, NULL), 0);
    CHECK_INT(prep_norm_fit(PREP_LOG, &s, 0, 0, "n", &p, &err), -1);
    qerr_clear(&err);
    CHECK_INT(prep_norm_fit(PREP_MINMAX, &s, 1, 1, "n", &p, &err), -1);
    qerr_clear(&err);

    /* a whole column (prep_norm_column): the values prep_norm_apply and prep_norm_invert give,
     * bit for bit, NaN kept, also past the largest double's half (ratio's other way) */
    double col[] = {2, NAN, -1e308, 1e308, 4, -0.0, 7.25, 1e-300}, y[8];
    struct prep_norm_params ps[] = {
        {.method = PREP_MINMAX, .center = -1e308, .scale = 1.5e308, .lo = -1, .hi = 1},
        {.method = PREP_ZSCORE, .center = 5.5, .scale = 3.1},
        {.method = PREP_ROBUST, .center = 1e308, .scale = 2},
        {.method = PREP_LOG, .scale = 1},
    };
    for (int m = 0; m < 4; m++)
        for (int inv = 0; inv < 2; inv++) {
            long long bad = prep_norm_column(&ps[m], inv, col, y, 8), first = -1;
            for (int i = 0; i < 8; i++) {
                double want = isnan(col[i]) ? NAN
                              : inv         ? prep_norm_invert(&ps[m], col[i])
                                            : prep_norm_apply(&ps[m], col[i]);
                CHECK(memcmp(&want, &y[i], sizeof want) == 0 || (isnan(want) && isnan(y[i])));
                if (first < 0 && !isnan(col[i]) && !isfinite(want))
                    first = i;
            }
            CHECK_INT(bad, first);
        }
    CHECK_INT(prep_norm_column(&ps[3], 0, col, y, 8), 2); /* log1p(-1e308) */

    /*
     * Long columns, through the vector loop and its tail: the same bits as
     * prep_norm_apply, and the first row that is not finite, with an odd
     * value (an x - c that overflows, an infinity, a y that overflows)
     * planted at the start, inside, at a vector's edge and at the end.
     */
    enum { LONG = 1003 };
    double *lx = malloc(LONG * sizeof(double)), *ly = malloc(LONG * sizeof(double));
    struct prep_norm_params lp[] = {
        {.method = PREP_MINMAX, .center = -3.5, .scale = 71.25, .lo = -1, .hi = 1},
        {.method = PREP_ZSCORE, .center = 12.125, .scale = 3.1},
        {.method = PREP_ZSCORE, .center = 0, .scale = 1e-300}, /* y overflows past 1e8 */
        {.method = PREP_MINMAX, .center = -1e308, .scale = 1.5e308, .lo = 0, .hi = 1},
    };
    const long long at[] = {-1, 0, 7, 8, 16, 500, LONG - 1};
    const double odd[] = {1e308, -1e308, INFINITY, 1e9};
    for (int m = 0; m < 4; m++)
        for (int a = 0; a < 7; a++)
            for (int o = 0; o < 4; o++) {
                unsigned long long r = 88172645463325252ULL;
                for (long long i = 0; i < LONG; i++) {
                    r ^= r << 13, r ^= r >> 7, r ^= r << 17;
                    lx[i] = i % 17 == 5 ? NAN : (double)(r % 100000) / 1000 - 50;
                }
                if (at[a] >= 0)
                    lx[at[a]] = odd[o];
                long long bad = prep_norm_column(&lp[m], 0, lx, ly, LONG), first = -1;
                int same = 1;
                for (long long i = 0; i < LONG; i++) {
                    double want = isnan(lx[i]) ? NAN : prep_norm_apply(&lp[m], lx[i]);
                    same &= memcmp(&want, &ly[i], sizeof want) == 0 ||
                            (isnan(want) && isnan(ly[i]));
                    if (first < 0 && !isnan(lx[i]) && !isfinite(want))
                        first = i;
                }
                CHECK(same);
                CHECK_INT(bad, first);
            }
    free(lx);
    free(ly);
}

/* prep_par_columns's job for test_par: column j's sum of squares, its thread's stop. */
struct par_test {
    long long rows;
    int done[64];
    double out[64];
    int stopped[64];
};

static void
par_job(void *arg, int j, int (*progress)(void *, double), void *pctx)
{
    struct par_test *t = arg;
    double s = 0;
    for (long long i = 0; i < t->rows; i++)
        s += (double)((i * 7 + j) % 1000) * (double)((i * 7 + j) % 1000);
    t->out[j] = s;
    t->stopped[j] = progress(pctx, 0.5) != 0;
    __atomic_add_fetch(&t->done[j], 1, __ATOMIC_RELAXED);
}

static int
par_never(void *p, double f)
{
    (void)p;
    (void)f;
    return 0;
}

static int
par_cancel(void *p, double f)
{
    (void)p;
    (void)f;
    return 1;
}

/* prep_par_columns: every column once, the same values on 1 and 4 threads; a cancel reaches
 * the jobs after it */
static void
test_par(void)
{
    static struct par_test one, four, stop;
    one.rows = four.rows = stop.rows = 20000;
    prep_par_columns(37, 1, par_job, &one, par_never, NULL);
    prep_par_columns(37, 4, par_job, &four, par_never, NULL);
    int same = 1, once = 1;
    for (int j = 0; j < 37; j++) {
        same &= one.out[j] == four.out[j] && !one.stopped[j] && !four.stopped[j];
        once &= one.done[j] == 1 && four.done[j] == 1;
    }
    CHECK(same);
    CHECK(once);
    CHECK_INT(four.done[37], 0);
    prep_par_columns(5, 1, par_job, &stop, par_cancel, NULL);
    for (int j = 0; j < 5; j++)
        CHECK(stop.done[j] == 1 && stop.stopped[j]);
    prep_par_columns(0, 4, par_job, &stop, par_never, NULL); /* no column: nothing runs */
    CHECK_INT(stop.done[0], 1);
}

static void
test_knn(void)
{
    struct qerr err = QERR_INIT;
    struct catalog *cat = NULL;
    struct frame *f = NULL;
    CHECK_INT(catalog_open(&cat, &err), 0);
    sqlite3_exec(catalog_db(cat),
                 "CREATE TABLE m (a REAL, b REAL, c REAL); INSERT INTO m VALUES "
                 "(1, 2, NULL), (3, NULL, 6), (NULL, 8, 9), (2, 2.5, 3), (10, 11, 12), "
                 "(4, 5, NULL), (5.5, 1, 2);",
                 NULL, NULL, NULL);
    CHECK_INT(frame_read(cat, "m", NULL, 0, 0, NULL, NULL, &f, &err), 0);
    for (int j = 0; f && j < 3; j++) {
        int feat[2], n = 0;
        for (int c = 0; c < 3; c++)
            if (c != j)
                feat[n++] = c;
        double out[7];
        CHECK_INT(prep_knn_fill(f, j, feat, 2, 2, out, NULL, NULL, &err), 0);
        for (int r = 0; r < 7; r++)
            CHECK_NEAR(out[r], knn_expected[r][j], 1e-12);
    }
    int feat[2] = {0, 1};
    double out[7];
    CHECK_INT(prep_knn_fill(f, 2, feat, 2, 6, out, NULL, NULL, &err), -1); /* 5 donors */
    CHECK_HAS(err.msg, "fewer than k=6");
    qerr_clear(&err);
    frame_release(f);
    catalog_free(cat);
}

static void
test_dates(void)
{
    static const struct {
        const char *in;
        int dayfirst;
        const char *out; /* NULL: not a date */
        int offset;      /* a nonzero UTC offset was converted */
    } cases[] = {
        {"2024-03-05", 1, "2024-03-05", 0},
        {"2024-03-05T14:30", 1, "2024-03-05T14:30:00", 0},
        {"2024-03-05 14:30:07.25Z", 1, "2024-03-05T14:30:07.25", 0},
        {"2024-03-05 14:30:07,5", 1, "2024-03-05T14:30:07.5", 0},
        {"2024-03-05 14:30:07.123456789123", 1, "2024-03-05T14:30:07.123456789", 0},
        {"2024-03-05T14:30:07.", 1, NULL, 0}, /* a point without digits */
        /* offsets: the time moves to UTC, across a day, a leap day and a year */
        {"2024-03-05T14:30:00+02:00", 1, "2024-03-05T12:30:00", 1},
        {"2024-03-05T01:30:00+02:00", 1, "2024-03-04T23:30:00", 1},
        {"2024-03-01T01:00+0200", 1, "2024-02-29T23:00:00", 1},
        {"2023-12-31T22:30:00.5-05:00", 1, "2024-01-01T03:30:00.5", 1},
        {"2024-03-05 14:30:00 +05:30", 1, "2024-03-05T09:00:00", 1},
        {"2024-03-05T14:30:00-03", 1, "2024-03-05T17:30:00", 1},
        {"2024-03-05T14:30:00+00:00", 1, "2024-03-05T14:30:00", 0},
        {"2024-03-05 14:30 UTC", 1, "2024-03-05T14:30:00", 0},
        {"2024-03-05T14:30+15:00", 1, NULL, 0}, /* no such offset */
        {"2024-03-05T14:30+2", 1, NULL, 0},
        {"2024-03-05T14:30+02:", 1, NULL, 0},
        {"0001-01-01T00:30+01:00", 1, NULL, 0}, /* before year 1 in UTC */
        {"2024/03/05", 1, "2024-03-05", 0},
        {"05.03.2024", 0, "2024-03-05", 0}, /* dots are always day first */
        {"05/03/2024", 1, "2024-03-05", 0},
        {"05/03/2024", 0, "2024-05-03", 0},
        {"20240305", 1, "2024-03-05", 0},
        {"5 Mar 2024", 1, "2024-03-05", 0},
        {"5-Mar-2024", 1, "2024-03-05", 0},
        {"05/Mar/2024 10:00", 1, "2024-03-05T10:00:00", 0},
        {"5-Mar/2024", 1, NULL, 0},
        /* a two-digit year after a month name: 1969-2068, as strptime's %y
         * (Python: datetime.strptime('31-Dec-68', '%d-%b-%y') is 2068-12-31) */
        {"19-Sep-03", 1, "2003-09-19", 0}, /* matplotlib's msft.csv */
        {"1-Jan-69", 1, "1969-01-01", 0},
        {"31-Dec-68", 1, "2068-12-31", 0},
        {"5-Mar-202", 1, NULL, 0},
        {"5-Mar-2", 1, NULL, 0},
        {"05/03/24", 1, NULL, 0}, /* no month name: which is the year is unclear */
        {"Mar 5 2024", 1, "2024-03-05", 0},
        {"March 5, 2024", 1, "2024-03-05", 0},
        {"Jan-1-1995", 1, "1995-01-01", 0},
        {"Jan/01/1995 23:59", 1, "1995-01-01T23:59:00", 0},
        {"Jan-1 1995", 1, NULL, 0},
        /* 5 March 2024 was a Tuesday, 1 January 1995 a Sunday */
        {"Tue 5 Mar 2024", 1, "2024-03-05", 0},
        {"Tuesday, March 5, 2024", 1, "2024-03-05", 0},
        {"Tue, 05 Mar 2024 10:00:00 +0000", 1, "2024-03-05T10:00:00", 0},
        {"Sun Jan-1-1995", 1, "1995-01-01", 0},
        {"Mon 5 Mar 2024", 1, NULL, 0}, /* not the date's weekday */
        {"Tue5 Mar 2024", 1, NULL, 0},
        {"  2024-02-29 ", 1, "2024-02-29", 0}, /* a leap year */
        {"2023-02-29", 1, NULL, 0},
        {"2023-02-30T14:00:00", 1, NULL, 0},
        {"30/02/2023", 1, NULL, 0},
        {"2100-02-29", 1, NULL, 0}, /* not a leap year */
        {"2000-02-29", 1, "2000-02-29", 0},
        {"last week", 1, NULL, 0},
        {"yesterday", 1, NULL, 0},
        {"2024-13-01", 1, NULL, 0},
        {"2024-03-05T25:00", 1, NULL, 0},
        {"2024-03-05x", 1, NULL, 0},
        {"", 1, NULL, 0},
        {"Mayday 5 2024", 1, NULL, 0},
        /* A leap second is the next minute's :00 (as PostgreSQL reads it), carried along. */
        {"2024-03-05T00:00:60", 1, "2024-03-05T00:01:00", 0},
        {"2016-12-31 23:59:60Z", 1, "2017-01-01T00:00:00", 0},
        {"29/02/2024 23:59:60", 1, "2024-03-01T00:00:00", 0},
        {"2015-06-30T23:59:60.5", 1, "2015-07-01T00:00:00.5", 0}, /* the fraction kept */
        {"2016-12-31T23:59:60+01:00", 1, "2016-12-31T23:00:00", 1}, /* carried, then to UTC */
        {"9999-12-31T23:59:60", 1, NULL, 0}, /* past the years written with four digits */
        {"2024-03-05T00:00:61", 1, NULL, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct prep_date d = {.iso = ""};
        int rc = prep_date_parse(cases[i].in, cases[i].dayfirst, &d);
        if (cases[i].out) {
            CHECK_INT(rc, 0);
            CHECK_STR(d.iso, cases[i].out);
            CHECK_INT(d.has_time, strlen(cases[i].out) > 10);
            CHECK_INT(d.offset, cases[i].offset);
        } else if (rc != -1) {
            check_fail++;
            fprintf(stderr, "date '%s' parsed as '%s', expected no date\n", cases[i].in, d.iso);
        } else {
            check_pass++;
        }
    }
    CHECK_INT(prep_date_dayfirst_hint("25/03/2024"), 1);
    CHECK_INT(prep_date_dayfirst_hint("03/25/2024"), -1);
    CHECK_INT(prep_date_dayfirst_hint("03/04/2024"), 0);
    CHECK_INT(prep_date_dayfirst_hint("2024-03-25"), 0);
}

int
main(void)
{
    test_stats();
    test_selection();
    test_median_bracket();
    test_bounds();
    test_norm();
    test_par();
    test_knn();
    test_dates();
    return check_done("test_prep");
}
