/*
 * outliers.c: finding and clipping outliers (outliers.h).
 */
#include "prep/outliers.h"

#include <math.h>

#include "base/tick.h"
#include "base/banned.h"

int
outliers_find(const struct frame *f, const int *cols, int n, enum prep_outlier rule, double k,
              int (*progress)(void *, double), void *pctx, struct outliers_col *out,
              unsigned char *hit, long long *n_hit, struct qerr *err)
{
    struct tick tk;
    tick_init(&tk, progress, pctx);
    int need = rule == PREP_IQR_RULE ? PREP_NEED_QUANTILES
               : rule == PREP_MAD_RULE ? PREP_NEED_MAD
                                       : 0;
    for (long long r = 0; r < f->n_rows; r++)
        hit[r] = 0;
    for (int c = 0; c < n; c++) {
        int j = cols[c];
        struct prep_stats s;
        struct outliers_col *o = &out[c];
        if (prep_stats(frame_col(f, j), f->mask[j], f->n_rows, need, progress, pctx, &s,
                       err) < 0 ||
            prep_outlier_bounds(rule, &s, k, f->names[j], &o->lo, &o->hi, err) < 0)
            return -1;
        const double *x = frame_col(f, j);
        o->below = o->above = 0;
        for (long long r = 0; r < f->n_rows; r++) {
            if (tick_row(&tk, r, f->n_rows))
                return tick_fail(err);
            o->below += x[r] < o->lo;
            o->above += x[r] > o->hi;
            hit[r] |= x[r] < o->lo || x[r] > o->hi;
        }
    }
    *n_hit = 0;
    for (long long r = 0; r < f->n_rows; r++)
        *n_hit += hit[r];
    return 0;
}

long long
outliers_clip(const double *x, long long n, const struct outliers_col *b, double *y, int *whole)
{
    long long moved = 0;
    *whole = 1;
    for (long long r = 0; r < n; r++) {
        y[r] = x[r] < b->lo ? b->lo : x[r] > b->hi ? b->hi : x[r];
        moved += y[r] != x[r] && !isnan(x[r]);
        *whole &= isnan(y[r]) || y[r] == floor(y[r]);
    }
    return moved;
}
