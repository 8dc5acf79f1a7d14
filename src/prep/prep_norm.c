/*
 * prep_norm.c: applying and inverting a normalisation (prep.h: prep_norm_apply,
 * prep_norm_invert, prep_norm_column); prep_norm_fit, in prep.c, fits one.
 */
#include "prep/prep.h"

#include <float.h>
#include <math.h>

#include "base/banned.h"
#include "base/hot.h"

/* (x - c) / s, also when x - c is past the largest double and the quotient is not */
static double
ratio(double x, double c, double s)
{
    double d = x - c;
    return isfinite(d) || !isfinite(x) ? d / s : x / s - c / s;
}

/* c + y s, also when y s is past the largest double and the sum is not */
static double
affine(double c, double y, double s)
{
    double m = y * s;
    return isfinite(m) || !isfinite(y) ? c + m : 2 * (c / 2 + y * (s / 2));
}

double
prep_norm_apply(const struct prep_norm_params *p, double x)
{
    switch (p->method) {
    case PREP_MINMAX:
        return p->lo + ratio(x, p->center, p->scale) * (p->hi - p->lo);
    case PREP_ZSCORE:
    case PREP_ROBUST:
        return ratio(x, p->center, p->scale);
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
        return affine(p->center, (y - p->lo) / (p->hi - p->lo), p->scale);
    case PREP_ZSCORE:
    case PREP_ROBUST:
        return affine(p->center, y, p->scale);
    case PREP_LOG:
        return expm1(y);
    }
    return NAN;
}

/*
 * The loops below are plain element-wise arithmetic, HOT (base/hot.h):
 * the same operations in the same order on each element whichever vector
 * unit runs them, so the same bits.
 */

/*
 * y[i] = lo + (x[i] - c) / sc * w (minmax) or (x[i] - c) / sc, ratio's
 * usual way, with no branch (a NaN stays NaN). Nonzero when some x[i] - c
 * is not finite, or a number x[i] gave a y[i] that is not: then the
 * caller looks at each element.
 */
HOT static int
ratio_fast(const double *restrict x, double *restrict y, long long n, double c, double sc,
           double lo, double w, int minmax)
{
    int odd = 0;
    if (minmax)
        for (long long i = 0; i < n; i++) {
            double d = x[i] - c, v = lo + d / sc * w;
            y[i] = v;
            odd |= (fabs(d) > DBL_MAX) | ((x[i] == x[i]) & !(fabs(v) <= DBL_MAX));
        }
    else
        for (long long i = 0; i < n; i++) {
            double d = x[i] - c, v = d / sc;
            y[i] = v;
            odd |= (fabs(d) > DBL_MAX) | ((x[i] == x[i]) & !(fabs(v) <= DBL_MAX));
        }
    return odd;
}

long long
prep_norm_column(const struct prep_norm_params *p, int invert, const double *restrict x,
                 double *restrict y, long long n)
{
    double c = p->center, sc = p->scale, lo = p->lo, w = p->hi - p->lo;
    int minmax = p->method == PREP_MINMAX;
    if (!invert && (minmax || p->method == PREP_ZSCORE || p->method == PREP_ROBUST)) {
        /* ratio's usual way, (x - c) / s, with no branch (a NaN stays NaN); then its other
         * way where x - c overflowed and x did not */
        if (!ratio_fast(x, y, n, c, sc, lo, w, minmax))
            return -1; /* no x - c overflowed, every number gave a finite y */
        for (long long i = 0; i < n; i++)
            if (isinf(x[i] - c) && isfinite(x[i]))
                y[i] = minmax ? lo + ratio(x[i], c, sc) * w : ratio(x[i], c, sc);
    } else {
        for (long long i = 0; i < n; i++)
            y[i] = isnan(x[i])  ? NAN
                   : invert     ? prep_norm_invert(p, x[i])
                                : prep_norm_apply(p, x[i]);
    }
    for (long long i = 0; i < n; i++)
        if (!isnan(x[i]) && !isfinite(y[i]))
            return i;
    return -1;
}
