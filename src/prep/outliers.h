/*
 * outliers.h: extreme values in numeric columns of a frame, by Tukey's
 * fences, standard scores or the median absolute deviation (the bounds
 * are prep_outlier_bounds', prep.h), and the three things to do with
 * them: flag the rows, clip the values to the bounds, or drop the rows.
 */
#ifndef QUARRY_OUTLIERS_H
#define QUARRY_OUTLIERS_H

#include "base/qerr.h"
#include "data/frame.h"
#include "prep/prep.h"

/* One column's bounds and how many values fell outside them. */
struct outliers_col {
    double lo, hi;
    long long below, above;
};

/*
 * The bounds of columns cols[0..n) of f (numeric) by rule and k into
 * out[0..n), and hit[r] = 1 for each row r (f->n_rows slots) with an
 * outlier in any of them; *n_hit gets their count. Missing values are
 * never outliers. Reports to progress(pctx, fraction) by the clock
 * (tick.h; NULL: no reports). Errors are prep_stats' (QE_INTERRUPT when
 * progress cancels) and prep_outlier_bounds'.
 */
int outliers_find(const struct frame *f, const int *cols, int n, enum prep_outlier rule, double k,
                  int (*progress)(void *, double), void *pctx, struct outliers_col *out,
                  unsigned char *hit, long long *n_hit, struct qerr *err);

/*
 * The n values of x with each outlier moved to the bound it crossed, into
 * y (n slots). Returns how many values moved; *whole is 1 when every value
 * of y is a whole number or missing.
 */
long long outliers_clip(const double *x, long long n, const struct outliers_col *b, double *y,
                        int *whole);

#endif
