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
#include "prep/vcount.h"

#include "base/banned.h"


/*
 * The point a fraction f (0 < f < 1) of the way from a to b (a <= b), as
 * numpy's linear interpolation gives it, without overflowing when b - a
 * is beyond the largest double (a near -1e308, b near 1e308), and at an
 * infinite end that end (numpy's a + (b - a) f gives NaN there).
 */
static double
lerp(double a, double b, double f)
{
    if (a == b || isinf(a) || isinf(b))
        return isinf(a) ? a : isinf(b) ? b : a;
    double d = b - a;
    return isfinite(d) ? a + d * f : a * (1 - f) + b * f;
}

int
prep_unit_exp(double big)
{
    int e = 0;
    if (big > 0x1p500 || (big > 0 && big < 0x1p-500))
        frexp(big, &e);
    return e;
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
    return pos == (double)k ? v[k] : lerp(v[k], v[k + 1], pos - (double)k);
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
    *q = lerp(v[k], next, pos - (double)k);
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
        *q1 = pos == (double)k1 || km + 1 >= n ? vk : lerp(vk, vnext, pos - (double)k1);
        return 0;
    }
    return quantile_in(v, n, 0, km - 1, vk, 0.25, &scanned, t, q1, &k);
}

/* Ascending doubles, for qsort (no NaN here). */
static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Rows a pass over x takes between ticks (tick_row's stride): its inner loop is plain. */
#define STATS_BLOCK TICK_ROWS

/*
 * The p-quantile (0 < p < 1) of the m values of x[0..n_rows) present (not
 * masked, not NaN), as quantile_select gives it, into *q, without copying
 * or reordering them (Floyd and Rivest's idea): values from a sample
 * bracket the ranks wanted, one pass counts the values below the bracket
 * and keeps those inside it (a few percent), and the selection runs on
 * those. 1 when answered; 0 when the bracket missed (values ordered
 * against the sample's stride, or too many equal to its ends): the caller
 * then selects over all of them. -1 when t stops it.
 */
static int
quantile_bracket(const double *x, const unsigned char *mask, long long n_rows, long long m,
                 double p, struct tick *t, double *q)
{
    enum { SAMPLE = 4096, MARGIN = 5 * 32 }; /* 5 sd of a sample quantile's rank */
    if (m < 16 * SAMPLE)
        return 0;
    double *smp = malloc(SAMPLE * sizeof(*smp));
    if (!smp)
        return 0;
    long long ns = 0, stride = n_rows / SAMPLE;
    for (long long r = stride / 2; r < n_rows && ns < SAMPLE; r += stride)
        if (!(mask && mask[r]) && !isnan(x[r]))
            smp[ns++] = x[r];
    if (ns < SAMPLE / 2) {
        free(smp);
        return 0;
    }
    qsort(smp, (size_t)ns, sizeof(*smp), cmp_double);
    double pos = (double)(m - 1) * p;
    long long k = (long long)floor(pos);
    long long at = (long long)((double)k / (double)m * (double)ns);
    long long a = at - MARGIN, b = at + MARGIN;
    double lo = a < 0 ? -INFINITY : smp[a], hi = b >= ns ? INFINITY : smp[b];
    free(smp);
    /* the values inside [lo, hi]: about 2 MARGIN / ns of them; room for twice that */
    long long cap = (long long)((double)m * 4.0 * MARGIN / (double)ns) + 1024, nb = 0, below = 0;
    double *in = malloc((size_t)(cap + 1) * sizeof(*in));
    if (!in)
        return 0;
    int over = 0;
    for (long long blk = 0; blk < n_rows && !over; blk += STATS_BLOCK) {
        if (tick(t, (double)blk / (double)(2 * n_rows))) {
            free(in);
            return -1;
        }
        long long e = blk + STATS_BLOCK < n_rows ? blk + STATS_BLOCK : n_rows;
        for (long long i = blk; i < e; i++) {
            double v = x[i];
            int ok = !(mask && mask[i]); /* a NaN compares false both ways: not counted */
            below += ok & (v < lo);
            in[nb] = v;
            nb += ok & (v >= lo) & (v <= hi);
            if (nb == cap) {
                over = 1;
                break;
            }
        }
    }
    long long kk = k - below; /* rank k within the bracket */
    int hit = !over && kk >= 0 && kk + 1 < nb;
    if (hit) {
        long long scanned = 0, r;
        /* in[] holds ranks below .. below + nb - 1 of the m values: select within it */
        hit = select_kth(in, 0, nb - 1, kk, nb, &scanned, NULL) == 0;
        if (hit) {
            if (pos == (double)k) {
                *q = in[kk];
            } else {
                double next = in[kk + 1];
                for (r = kk + 2; r < nb; r++)
                    if (in[r] < next)
                        next = in[r];
                *q = lerp(in[kk], next, pos - (double)k);
            }
        }
    }
    free(in);
    return hit;
}

/*
 * The mean and sd of prep_stats (its comment says how) into s, from the
 * values present: n_pinf and n_ninf infinities among s->n, the finite ones
 * summed in units of 2^e. Nonzero when t stops it.
 */
static int
moments(const double *x, const unsigned char *mask, long long n_rows, long long n_pinf,
        long long n_ninf, int e, struct tick *t, struct prep_stats *s)
{
    long long n = s->n, nf = n - s->n_inf; /* the finite values */
    double sc = ldexp(1.0, -e);
    double shift = 0, sum = 0, mean = 0;
    long long first = 0;
    while (first < n_rows && ((mask && mask[first]) || !isfinite(x[first])))
        first++;
    if (nf > 0)
        shift = x[first] * sc;
    for (long long blk = first; blk < n_rows && nf > 0; blk += STATS_BLOCK) {
        if (tick(t, (double)(n_rows + blk) / (double)(3 * n_rows)))
            return 1;
        long long end = blk + STATS_BLOCK < n_rows ? blk + STATS_BLOCK : n_rows;
        for (long long i = blk; i < end; i++) {
            double v = x[i];
            if ((mask && mask[i]) || !isfinite(v))
                continue;
            sum += v * sc - shift;
        }
    }
    if (nf > 0)
        mean = shift + sum / (double)nf;
    double ss = 0, sd = 0;
    for (long long blk = 0; blk < n_rows && nf > 1; blk += STATS_BLOCK) {
        if (tick(t, (double)(2 * n_rows + blk) / (double)(3 * n_rows)))
            return 1;
        long long end = blk + STATS_BLOCK < n_rows ? blk + STATS_BLOCK : n_rows;
        for (long long i = blk; i < end; i++) {
            if (!((mask && mask[i]) || !isfinite(x[i]))) {
                double d = x[i] * sc - mean;
                ss += d * d;
                sd += d;
            }
        }
    }
    /* with infinities: the mean is that infinity, or undefined for both signs; sd undefined */
    s->mean = n_pinf && n_ninf ? NAN : n_pinf ? INFINITY : n_ninf ? -INFINITY : ldexp(mean, e);
    if (n > 1 && !s->n_inf) {
        double var = (ss - sd * sd / (double)nf) / (double)(nf - 1);
        s->sd = ldexp(sqrt(var > 0 ? var : 0), e);
    }
    return 0;
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
     * Golub & LeVeque, 1983). Values past 2^500 (about 3e150), whose
     * squares or differences overflow, are summed in units of 2^e that
     * put the largest in [0.5, 1): exact, and the mean and sd come back
     * by multiplying by 2^e (as cluster_scale.h does). Infinities are
     * counted apart (n_inf): min and max see them, the sums do not.
     * Each pass reads the clock once a block of rows, so that its inner
     * loop is a plain loop over the block.
     */
    long long n = 0, n_pinf = 0, n_ninf = 0;
    double big = 0, mn = INFINITY, mx = -INFINITY, fmn = INFINITY, fmx = -INFINITY;
    struct tick tk;
    tick_init(&tk, progress, pctx);
    for (long long blk = 0; blk < n_rows; blk += STATS_BLOCK) {
        if (tick(&tk, (double)blk / (double)(3 * n_rows)))
            return tick_fail(err);
        long long e = blk + STATS_BLOCK < n_rows ? blk + STATS_BLOCK : n_rows;
        /* without branches: a NaN (a masked value is one here) is no min or max */
        if (!mask) {
            for (long long i = blk; i < e; i++) {
                double v = x[i];
                n += v == v;
                mn = v < mn ? v : mn;
                mx = v > mx ? v : mx;
                n_pinf += fabs(v) == INFINITY;
            }
        } else {
            for (long long i = blk; i < e; i++) {
                double v = mask[i] ? NAN : x[i];
                n += v == v;
                mn = v < mn ? v : mn;
                mx = v > mx ? v : mx;
                n_pinf += fabs(v) == INFINITY;
            }
        }
    }
    if (n_pinf) { /* infinities of either sign so far: count them apart */
        n_pinf = 0;
        for (long long i = 0; i < n_rows; i++)
            if (!(mask && mask[i]) && isinf(x[i]))
                *(x[i] > 0 ? &n_pinf : &n_ninf) += 1;
    }
    if (n_pinf + n_ninf == 0) {
        fmn = mn;
        fmx = mx;
        big = fabs(mn) > fabs(mx) ? fabs(mn) : fabs(mx);
    } else {
        for (long long i = 0; i < n_rows; i++) { /* the finite values' range */
            double v = x[i];
            if ((mask && mask[i]) || !isfinite(v))
                continue;
            big = fabs(v) > big ? fabs(v) : big;
            fmn = v < fmn ? v : fmn;
            fmx = v > fmx ? v : fmx;
        }
    }
    int e = prep_unit_exp(big);
    double sc = ldexp(1.0, -e);
    s->n = n;
    s->n_inf = n_pinf + n_ninf;
    s->mean = s->sd = s->min = s->max = s->q1 = s->median = s->q3 = s->mad = s->mode = NAN;
    s->fmin = s->fmax = NAN;
    if (n == 0)
        return 0;
    s->min = mn;
    s->max = mx;
    if (fmn <= fmx)
        s->fmin = fmn, s->fmax = fmx;
    if (!(need & PREP_NO_MOMENTS) && moments(x, mask, n_rows, n_pinf, n_ninf, e, &tk, s))
        return tick_fail(err);
    need &= ~PREP_NO_MOMENTS;
    if (!(need & (PREP_NEED_MEDIAN | PREP_NEED_QUANTILES | PREP_NEED_MAD | PREP_NEED_MODE)))
        return 0;
    if (need == PREP_NEED_MEDIAN) { /* the median alone: no copy of the values */
        int got = quantile_bracket(x, mask, n_rows, n, 0.5, &tk, &s->median);
        if (got < 0)
            return tick_fail(err);
        if (got)
            return 0;
    }
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
        /* The mode: counted in a hash table (vcount.h), the smallest on ties. */
        struct vcount h;
        vcount_init(&h, "statistics");
        long long c;
        for (long long i = 0; i < n && !stop; i++) {
            if (vcount_add(&h, v[i], &c, err) < 0) {
                vcount_release(&h);
                free(v);
                return -1;
            }
            stop = tick_row(&tk, i, n);
        }
        if (h.mode_n)
            s->mode = h.mode;
        vcount_release(&h);
    }
    if (!stop && (need & PREP_NEED_MAD)) {
        /* in units of 2^e, so 1e308 - (-1e308) does not overflow */
        for (long long i = 0; i < n; i++)
            v[i] = fabs(v[i] * sc - s->median * sc);
        stop = quantile_select(v, n, 0.5, &tk, &s->mad);
        s->mad = ldexp(s->mad, e);
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
    /*
     * Infinities have no distance and no mean (scikit-learn's KNNImputer
     * refuses them too). Values past 2^500 are compared in units of 2^e
     * (a common power of two: the same neighbours, no overflow).
     */
    double big = 0;
    for (int c = -1; c < n_feat; c++) {
        int j = c < 0 ? target : feat[c];
        const double *x = frame_col(f, j);
        for (long long i = 0; i < n; i++) {
            if (isinf(x[i]))
                return qerr_set(err, QE_DATA, "missing=knn needs finite numbers, and column "
                                "'%s' holds %g (rowid %lld)", f->names[j], x[i],
                                (long long)f->rowid[i]);
            if (fabs(x[i]) > big) /* NaN is not */
                big = fabs(x[i]);
        }
    }
    int e = prep_unit_exp(big);
    double sc = ldexp(1.0, -e);
    long long *donor = mem_alloc((size_t)n, sizeof(long long), "knn", "rows", err);
    if (!donor)
        return -1;
    double sum = 0;
    for (long long i = 0; i < n; i++)
        if (!isnan(t[i])) {
            donor[n_donors++] = i;
            sum += t[i] * sc;
        }
    if (n_donors < k) {
        free(donor);
        return qerr_set(err, QE_ARG,
                        "column '%s' has %lld value%s, fewer than k=%d neighbours to fill from",
                        f->names[target], n_donors, n_donors == 1 ? "" : "s", k);
    }
    double mean = ldexp(sum / (double)n_donors, e);
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
                d += (a * sc - b * sc) * (a * sc - b * sc);
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
                s += t[best[j].row] * sc;
            out[i] = ldexp(s / k, e);
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
        if (s->n_inf > 0) {
            qerr_set(err, QE_DATA, "column '%s' holds %lld infinite value%s (inf or -inf): its "
                     "mean and sd are undefined, so the z-score rule cannot be used", col,
                     s->n_inf, s->n_inf == 1 ? "" : "s");
            qerr_hint(err, "use method=iqr or method=mad, which flag the infinities");
            return -1;
        }
        double sd = s->n > 1 ? s->sd : 0; /* one value (sd undefined) is no outlier */
        *lo = s->mean - k * sd;
        *hi = s->mean + k * sd;
        return 0;
    }
    case PREP_IQR_RULE:
        /* q3 - q1 past the largest double makes the bounds +-inf: nothing is that far */
        *lo = s->q1 - k * (s->q3 - s->q1);
        *hi = s->q3 + k * (s->q3 - s->q1);
        if (isnan(*lo) || isnan(*hi)) { /* a quartile is infinite */
            qerr_set(err, QE_DATA, "column '%s': a quartile is infinite (a quarter of its values "
                     "are inf or -inf), so the IQR is undefined", col);
            qerr_hint(err, "use method=mad, or make the infinities missing first");
            return -1;
        }
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
        if (isnan(*lo) || isnan(*hi)) { /* half the values infinite */
            qerr_set(err, QE_DATA, "column '%s': half its values are inf or -inf, so the MAD is "
                     "undefined", col);
            qerr_hint(err, "make the infinities missing first");
            return -1;
        }
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
    if (s->n_inf > 0) {
        qerr_set(err, QE_DATA, "column '%s' holds %lld infinite value%s (inf or -inf): %s "
                 "scaling needs finite numbers", col, s->n_inf, s->n_inf == 1 ? "" : "s",
                 prep_norm_name(method));
        qerr_hint(err, "make them missing first: UPDATE TABLE SET \"%s\" = NULL WHERE "
                  "abs(\"%s\") = 9e999", col, col);
        return -1;
    }
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
        break;
    case PREP_ZSCORE:
        if (!(s->sd > 0)) {
            qerr_set(err, QE_ARG, "column '%s' has zero variance (%s): z-scores would divide "
                     "by zero", col, s->n < 2 ? "fewer than two values" : "every value equal");
            qerr_hint(err, "leave it out of cols=, or drop it");
            return -1;
        }
        p->center = s->mean;
        p->scale = s->sd;
        break;
    case PREP_ROBUST:
        if (!(s->q3 > s->q1)) {
            qerr_set(err, QE_ARG, "column '%s' has an interquartile range of 0: robust "
                     "scaling would divide by zero", col);
            qerr_hint(err, "use method=minmax or method=zscore for this column");
            return -1;
        }
        p->center = s->median;
        p->scale = s->q3 - s->q1;
        break;
    case PREP_LOG:
        if (!(s->min > -1)) {
            qerr_set(err, QE_ARG, "column '%s' has values <= -1 (min %g): ln(1 + x) is not "
                     "defined there", col, s->min);
            qerr_hint(err, "use method=zscore, or shift the column with derive first");
            return -1;
        }
        p->scale = 1;
        return 0;
    default:
        return qerr_set(err, QE_INTERNAL, "unknown method");
    }
    if (!isfinite(p->scale)) { /* max - min or q3 - q1 past the largest double */
        qerr_set(err, QE_DATA, "column '%s' spans more than the largest double (%g to %g): "
                 "its %s scale cannot be held", col, s->min, s->max, prep_norm_name(method));
        qerr_hint(err, "use method=zscore, or scale the column down first (derive)");
        return -1;
    }
    return 0;
}
