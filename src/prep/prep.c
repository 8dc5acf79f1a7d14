/*
 * prep.c: statistics, fills, outlier bounds and normalisation (prep.h).
 * Dates are in prep_date.c.
 */
#include "prep/prep.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/tick.h"

#include "base/banned.h"

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double
prep_quantile_sorted(const double *v, long long n, double p)
{
    if (n <= 0)
        return NAN;
    double pos = (double)(n - 1) * p;
    long long k = (long long)floor(pos);
    if (k >= n - 1)
        return v[n - 1];
    return v[k] + (v[k + 1] - v[k]) * (pos - (double)k);
}

/* Swap helper for selection. */
static inline void
swap_d(double *a, double *b)
{
    double t = *a;
    *a = *b;
    *b = t;
}

/*
 * Put the k-th smallest of v[lo..hi] at v[k], smaller ones before it and
 * larger ones after, within [lo, hi] (Hoare's selection: a median-of-three
 * pivot and Hoare's two-pointer partition, which stops on values equal to
 * the pivot, so runs of equal values split evenly and a sorted column
 * costs no swaps). *scanned counts the values visited, of about 2 * total
 * in all, for the clock. Nonzero, v then in some order, when t stops it.
 */
static int
select_kth(double *v, long long lo, long long hi, long long k, long long total,
           long long *scanned, struct tick *t)
{
    while (hi > lo) {
        long long mid = lo + (hi - lo) / 2;
        if (v[mid] < v[lo])
            swap_d(&v[mid], &v[lo]);
        if (v[hi] < v[lo])
            swap_d(&v[hi], &v[lo]);
        if (v[hi] < v[mid])
            swap_d(&v[hi], &v[mid]);
        if (hi - lo < 3) /* three or fewer values: now in order */
            return 0;
        double p = v[mid];
        long long i = lo, j = hi;
        /* v[lo] <= p <= v[hi]: each inner scan stops at one of them at worst */
        while (i <= j) {
            while (v[i] < p)
                i++;
            while (v[j] > p)
                j--;
            if (i <= j) {
                swap_d(&v[i], &v[j]);
                i++;
                j--;
            }
        }
        /* now v[lo..j] <= p, v[j+1..i-1] == p, v[i..hi] >= p */
        long long before = *scanned;
        *scanned += hi - lo + 1;
        if ((before ^ *scanned) & ~(long long)(TICK_ROWS - 1) || hi - lo >= TICK_ROWS)
            if (tick(t, (double)*scanned / (double)(2 * total)))
                return 1;
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return 0;
    }
    return 0;
}

/*
 * The p-quantile of v[0..n) by linear interpolation, selecting within
 * v[lo..hi], which must hold ranks lo..hi (nothing before lo larger,
 * nothing after hi smaller) and the quantile's rank k; above is the value
 * of rank hi + 1, used when k + 1 > hi. Leaves rank k at v[k]; *rank = k.
 * Nonzero when t stops it.
 */
static int
quantile_in(double *v, long long n, long long lo, long long hi, double above, double p,
            long long *scanned, struct tick *t, double *q, long long *rank)
{
    double pos = (double)(n - 1) * p;
    long long k = (long long)floor(pos);
    *rank = k;
    if (select_kth(v, lo, hi, k, n, scanned, t))
        return 1;
    if (k >= n - 1 || pos == (double)k) {
        *q = v[k];
        return 0;
    }
    double next = k + 1 <= hi ? v[k + 1] : above; /* the value of rank k + 1 */
    for (long long i = k + 2; i <= hi; i++)
        if (v[i] < next)
            next = v[i];
    *q = v[k] + (next - v[k]) * (pos - (double)k);
    return 0;
}

/* The p-quantile of v[0..n) (reordered), by selection, into *q; nonzero when t stops it. */
static int
quantile_select(double *v, long long n, double p, struct tick *t, double *q)
{
    long long scanned = 0, k;
    return quantile_in(v, n, 0, n - 1, NAN, p, &scanned, t, q, &k);
}

/*
 * The median and, when quartiles is set, the lower and upper quartiles of
 * v[0..n) (reordered). The quartiles are selected within the halves the
 * median's selection leaves (the upper quartile's rank is at least the
 * median's, the lower's at most), so the three cost about two selections
 * of the whole instead of three. Nonzero when t stops it.
 */
static int
quartiles_select(double *v, long long n, int quartiles, struct tick *t, double *q1, double *med,
                 double *q3)
{
    long long scanned = 0, km, k;
    if (quantile_in(v, n, 0, n - 1, NAN, 0.5, &scanned, t, med, &km))
        return 1;
    if (!quartiles)
        return 0;
    double vk = v[km], vnext = NAN;
    for (long long i = km + 1; i < n; i++) /* the value of rank km + 1 */
        if (i == km + 1 || v[i] < vnext)
            vnext = v[i];
    if (quantile_in(v, n, km, n - 1, NAN, 0.75, &scanned, t, q3, &k))
        return 1;
    /* v[0..km) still holds ranks 0..km-1, whatever the upper selection moved */
    double pos = (double)(n - 1) * 0.25;
    long long k1 = (long long)floor(pos);
    if (k1 >= km) { /* two values or fewer: rank k1 is the median's */
        *q1 = pos == (double)k1 || km + 1 >= n ? vk : vk + (vnext - vk) * (pos - (double)k1);
        return 0;
    }
    return quantile_in(v, n, 0, km - 1, vk, 0.25, &scanned, t, q1, &k);
}

int
prep_stats(const double *x, const unsigned char *mask, long long n_rows, int need,
           int (*progress)(void *, double), void *pctx, struct prep_stats *s,
           struct qerr *err)
{
    /*
     * Sums are taken from the first value present (a shift): the mean is
     * then exact for a constant column, whose sd comes out exactly 0, and
     * a large offset (1e8 + 0.1, 0.2, 0.3) costs no precision. The second
     * pass sums squared deviations from the mean, corrected by the
     * deviations' own sum (the "corrected two-pass" algorithm of Chan,
     * Golub & LeVeque, 1983).
     */
    long long n = 0;
    double shift = 0, sum = 0, mn = INFINITY, mx = -INFINITY;
    struct tick tk;
    tick_init(&tk, progress, pctx);
    for (long long i = 0; i < n_rows; i++) {
        if (tick_row(&tk, i, n_rows))
            return tick_fail(err);
        double v = x[i];
        if ((mask && mask[i]) || isnan(v))
            continue;
        if (n++ == 0)
            shift = v;
        sum += v - shift;
        mn = v < mn ? v : mn;
        mx = v > mx ? v : mx;
    }
    s->n = n;
    s->mean = s->sd = s->min = s->max = s->q1 = s->median = s->q3 = s->mad = s->mode = NAN;
    if (n == 0)
        return 0;
    s->mean = shift + sum / (double)n;
    s->min = mn;
    s->max = mx;
    double ss = 0, sd = 0;
    for (long long i = 0; i < n_rows; i++) {
        if (tick_row(&tk, i, n_rows))
            return tick_fail(err);
        if (!((mask && mask[i]) || isnan(x[i]))) {
            double d = x[i] - s->mean;
            ss += d * d;
            sd += d;
        }
    }
    if (n > 1) {
        double var = (ss - sd * sd / (double)n) / (double)(n - 1);
        s->sd = sqrt(var > 0 ? var : 0);
    }
    if (!(need & (PREP_NEED_MEDIAN | PREP_NEED_QUANTILES | PREP_NEED_MAD | PREP_NEED_MODE)))
        return 0;
    double *v = mem_alloc((size_t)n, sizeof(double), "statistics", "values to sort", err);
    if (!v)
        return -1;
    long long m = 0;
    for (long long i = 0; i < n_rows; i++)
        if (!((mask && mask[i]) || isnan(x[i])))
            v[m++] = x[i];
    int stop = 0;
    if (need & (PREP_NEED_MEDIAN | PREP_NEED_QUANTILES | PREP_NEED_MAD))
        stop = quartiles_select(v, n, (need & PREP_NEED_QUANTILES) != 0, &tk, &s->q1,
                                &s->median, &s->q3);
    if (!stop && (need & PREP_NEED_MODE)) {
        /* The mode: the longest run of equal sorted values, the first on ties. */
        if (tick_sort(v, (size_t)n, sizeof(double), cmp_double, &tk, "statistics", err) < 0) {
            free(v);
            return -1;
        }
        long long best = 0, run = 0;
        for (long long i = 0; i < n; i++) {
            run = (i > 0 && v[i] == v[i - 1]) ? run + 1 : 1;
            if (run > best) {
                best = run;
                s->mode = v[i];
            }
        }
    }
    if (!stop && (need & PREP_NEED_MAD)) {
        for (long long i = 0; i < n; i++)
            v[i] = fabs(v[i] - s->median);
        stop = quantile_select(v, n, 0.5, &tk, &s->mad);
    }
    free(v);
    return stop ? tick_fail(err) : 0;
}

int
prep_mode_code(const int32_t *code, long long n_rows, char *const *levels, int n_levels,
               int *mode, struct qerr *err)
{
    long long *count = mem_calloc((size_t)n_levels + 1, sizeof(long long), "statistics",
                                  "distinct values", err);
    if (!count)
        return -1;
    for (long long i = 0; i < n_rows; i++)
        if (code[i] >= 0)
            count[code[i]]++;
    int best = -1;
    for (int l = 0; l < n_levels; l++) {
        if (count[l] == 0)
            continue;
        if (best < 0 || count[l] > count[best] ||
            (count[l] == count[best] && strcmp(levels[l], levels[best]) < 0))
            best = l;
    }
    free(count);
    *mode = best;
    return 0;
}

/* --- k nearest neighbours ----------------------------------------------------- */

struct nb {
    double d;
    long long row;
};

/* Insert (d, row) into the k best so far (sorted by distance, then row). */
static void
nb_offer(struct nb *best, int *n_best, int k, double d, long long row)
{
    if (*n_best == k && !(d < best[k - 1].d))
        return;
    int i = *n_best < k ? (*n_best)++ : k - 1;
    while (i > 0 && d < best[i - 1].d) {
        best[i] = best[i - 1];
        i--;
    }
    best[i].d = d;
    best[i].row = row;
}

int
prep_knn_fill(const struct frame *f, int target, const int *feat, int n_feat, int k,
              double *out, int (*progress)(void *, double), void *pctx, struct qerr *err)
{
    const double *t = frame_col(f, target);
    long long n = f->n_rows, n_donors = 0;
    long long *donor = mem_alloc((size_t)n, sizeof(long long), "knn", "rows", err);
    if (!donor)
        return -1;
    double sum = 0;
    for (long long i = 0; i < n; i++)
        if (!isnan(t[i])) {
            donor[n_donors++] = i;
            sum += t[i];
        }
    if (n_donors < k) {
        free(donor);
        return qerr_set(err, QE_ARG,
                        "column '%s' has %lld value%s, fewer than k=%d neighbours to fill from",
                        f->names[target], n_donors, n_donors == 1 ? "" : "s", k);
    }
    double mean = sum / (double)n_donors;
    struct nb *best = mem_alloc((size_t)k, sizeof(*best), "knn", "neighbours", err);
    if (!best) {
        free(donor);
        return -1;
    }
    struct tick tk;
    tick_init(&tk, progress, pctx);
    for (long long i = 0; i < n; i++) {
        out[i] = t[i];
        if (!isnan(t[i]))
            continue;
        /* a clock read per missing row: each costs a pass over every donor */
        if (tick(&tk, (double)i / (double)n)) {
            free(best);
            free(donor);
            return tick_fail(err);
        }
        int n_best = 0;
        for (long long di = 0; di < n_donors; di++) {
            long long r = donor[di];
            double d = 0;
            int present = 0;
            for (int c = 0; c < n_feat; c++) {
                double a = frame_col(f, feat[c])[i], b = frame_col(f, feat[c])[r];
                if (isnan(a) || isnan(b))
                    continue;
                d += (a - b) * (a - b);
                present++;
            }
            if (present == 0)
                continue;
            nb_offer(best, &n_best, k, sqrt(d * (double)n_feat / (double)present), r);
        }
        if (n_best < k) {
            out[i] = mean; /* no comparable neighbours: KNNImputer's fallback */
        } else {
            double s = 0;
            for (int j = 0; j < k; j++)
                s += t[best[j].row];
            out[i] = s / k;
        }
    }
    free(best);
    free(donor);
    return 0;
}

/* --- outliers and normalisation ---------------------------------------------- */

int
prep_outlier_bounds(enum prep_outlier rule, const struct prep_stats *s, double k,
                    const char *col, double *lo, double *hi, struct qerr *err)
{
    if (s->n == 0)
        return qerr_set(err, QE_ARG, "column '%s' has no numeric values", col);
    switch (rule) {
    case PREP_ZSCORE_RULE: {
        double sd = s->n > 1 ? s->sd : 0; /* one value (sd undefined) is no outlier */
        *lo = s->mean - k * sd;
        *hi = s->mean + k * sd;
        return 0;
    }
    case PREP_IQR_RULE:
        *lo = s->q1 - k * (s->q3 - s->q1);
        *hi = s->q3 + k * (s->q3 - s->q1);
        return 0;
    case PREP_MAD_RULE:
        if (!(s->mad > 0) && s->max > s->min) {
            qerr_set(err, QE_ARG,
                     "column '%s': the MAD is 0 (at least half the values equal %g), so "
                     "every other value would be an outlier",
                     col, s->median);
            qerr_hint(err, "use method=iqr or method=zscore for this column");
            return -1;
        }
        *lo = s->median - k * 1.4826 * s->mad;
        *hi = s->median + k * 1.4826 * s->mad;
        return 0;
    }
    return qerr_set(err, QE_INTERNAL, "unknown outlier rule");
}

const char *
prep_norm_name(enum prep_norm method)
{
    static const char *const names[] = {"minmax", "zscore", "robust", "log"};
    return names[method];
}

int
prep_norm_fit(enum prep_norm method, const struct prep_stats *s, double lo, double hi,
              const char *col, struct prep_norm_params *p, struct qerr *err)
{
    memset(p, 0, sizeof(*p));
    p->method = method;
    p->lo = lo;
    p->hi = hi;
    if (s->n == 0)
        return qerr_set(err, QE_ARG, "column '%s' has no numeric values to fit", col);
    switch (method) {
    case PREP_MINMAX:
        if (!(hi > lo))
            return qerr_set(err, QE_ARG, "range=%g,%g: the upper end must be above the lower",
                            lo, hi);
        if (!(s->max > s->min)) {
            qerr_set(err, QE_ARG, "column '%s' is constant (every value is %g): min-max "
                     "scaling would divide by zero", col, s->min);
            qerr_hint(err, "leave it out of cols=, or drop it");
            return -1;
        }
        p->center = s->min;
        p->scale = s->max - s->min;
        return 0;
    case PREP_ZSCORE:
        if (!(s->sd > 0)) {
            qerr_set(err, QE_ARG, "column '%s' has zero variance (%s): z-scores would divide "
                     "by zero", col, s->n < 2 ? "fewer than two values" : "every value equal");
            qerr_hint(err, "leave it out of cols=, or drop it");
            return -1;
        }
        p->center = s->mean;
        p->scale = s->sd;
        return 0;
    case PREP_ROBUST:
        if (!(s->q3 > s->q1)) {
            qerr_set(err, QE_ARG, "column '%s' has an interquartile range of 0: robust "
                     "scaling would divide by zero", col);
            qerr_hint(err, "use method=minmax or method=zscore for this column");
            return -1;
        }
        p->center = s->median;
        p->scale = s->q3 - s->q1;
        return 0;
    case PREP_LOG:
        if (!(s->min > -1)) {
            qerr_set(err, QE_ARG, "column '%s' has values <= -1 (min %g): ln(1 + x) is not "
                     "defined there", col, s->min);
            qerr_hint(err, "use method=zscore, or shift the column with derive first");
            return -1;
        }
        p->scale = 1;
        return 0;
    }
    return qerr_set(err, QE_INTERNAL, "unknown method");
}

double
prep_norm_apply(const struct prep_norm_params *p, double x)
{
    switch (p->method) {
    case PREP_MINMAX:
        return p->lo + (x - p->center) / p->scale * (p->hi - p->lo);
    case PREP_ZSCORE:
    case PREP_ROBUST:
        return (x - p->center) / p->scale;
    case PREP_LOG:
        return x > -1 ? log1p(x) : NAN;
    }
    return NAN;
}

double
prep_norm_invert(const struct prep_norm_params *p, double y)
{
    switch (p->method) {
    case PREP_MINMAX:
        return p->center + (y - p->lo) / (p->hi - p->lo) * p->scale;
    case PREP_ZSCORE:
    case PREP_ROBUST:
        return p->center + y * p->scale;
    case PREP_LOG:
        return expm1(y);
    }
    return NAN;
}
