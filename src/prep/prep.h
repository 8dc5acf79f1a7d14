/*
 * prep.h: the arithmetic of preprocessing, on frame columns: summary
 * statistics, the values that fill missing cells (mean, median, mode,
 * k nearest neighbours), outlier bounds, normalisation transforms and
 * their inverses, and mixed-format date parsing.
 *
 * Conventions, the same as `describe` shows: quantiles interpolate
 * linearly between the two nearest ranks at position (n-1)p (numpy's and
 * pandas' default); the standard deviation is the sample one (n-1); the
 * MAD is the median absolute deviation from the median, unscaled.
 */
#ifndef QUARRY_PREP_H
#define QUARRY_PREP_H

#include <stdint.h>

#include "data/frame.h"
#include "base/qerr.h"

struct prep_stats {
    long long n;       /* values present */
    long long n_inf;   /* of them +-inf */
    /*
     * sd with n-1; NaN when n < 2 or with an infinity (undefined). The
     * mean of values with +inf is +inf, with -inf -inf, with both NaN.
     * Both are right for finite values up to the largest double (summed
     * in scaled units); sd is inf only past the largest double.
     */
    double mean, sd;
    double min, max;
    double fmin, fmax; /* of the finite values (NaN when there is none) */
    double q1, median, q3;
    double mad;
    double mode;       /* most frequent value; the smallest of equally frequent ones */
};

/* What prep_stats computes beyond n, mean, sd, min and max (O(n)). */
enum {
    PREP_NEED_QUANTILES = 1 << 0, /* q1, median, q3: by selection, O(n) */
    PREP_NEED_MAD = 1 << 1,       /* median and MAD */
    PREP_NEED_MODE = 1 << 2,      /* the mode: counted in a hash table (vcount.h), O(n) */
    PREP_NEED_MEDIAN = 1 << 3,    /* the median alone */
    PREP_NEED_ALL = 15,
    PREP_NO_MOMENTS = 1 << 4,     /* mean and sd not wanted: left NaN, two passes saved */
};
/*
 * Statistics of the n_rows values of x, skipping NaN and those masked
 * (mask may be NULL). Fields not asked for by need are NaN. Reports to
 * progress(pctx, fraction) by the clock (tick.h; NULL: no reports). Fails
 * (QE_NOMEM) when the copy that quantiles, MAD and the mode read (or the
 * mode's counts) does not fit in memory, QE_INTERRUPT when progress cancels.
 */
int prep_stats(const double *x, const unsigned char *mask, long long n_rows, int need,
               int (*progress)(void *, double), void *pctx, struct prep_stats *s,
               struct qerr *err);
/*
 * The exponent e of the unit 2^e that puts big, the largest |value|, in
 * [0.5, 1) when it is past 2^500 or below 2^-500 (so squares and sums stay
 * finite and normal), else 0. Multiplying by 2^-e is exact.
 */
int prep_unit_exp(double big);
/* The p-quantile of n sorted values. */
double prep_quantile_sorted(const double *v, long long n, double p);
/*
 * The most frequent code of a text column into *mode (-1 when all are
 * NULL); equally frequent levels resolve to the one that sorts first.
 * Fails (QE_NOMEM) when a count per level does not fit in memory.
 */
int prep_mode_code(const int32_t *code, long long n_rows, char *const *levels, int n_levels,
                   int *mode, struct qerr *err);

/*
 * k-nearest-neighbour fill of column target of f, as scikit-learn's
 * KNNImputer does it: for each row missing target, the k rows that have
 * target and are nearest by the NaN-aware Euclidean distance over the
 * feature columns (sqrt(d / present * total), on the coordinates present
 * in both rows); the fill is the mean of their target values. Rows whose
 * features are all missing, or that share no coordinate with any donor,
 * take the column mean. out receives the filled column (n_rows values).
 * Each missing row costs a pass over the donors: progress(pctx, fraction)
 * is asked by the clock before each (tick.h). Fails with a message when
 * fewer than k rows have target, QE_NOMEM when the list of those rows
 * does not fit in memory, QE_INTERRUPT when progress cancels.
 */
int prep_knn_fill(const struct frame *f, int target, const int *feat, int n_feat, int k,
                  double *out, int (*progress)(void *, double), void *pctx, struct qerr *err);

enum prep_outlier { PREP_IQR_RULE, PREP_ZSCORE_RULE, PREP_MAD_RULE };
/*
 * Bounds outside which a value is an outlier: mean +- k sd, [q1 - k iqr,
 * q3 + k iqr], or median +- k * 1.4826 * MAD. A MAD of 0 is an error.
 * A single value (sd undefined) gets the bounds [mean, mean].
 */
int prep_outlier_bounds(enum prep_outlier rule, const struct prep_stats *s, double k,
                        const char *col, double *lo, double *hi, struct qerr *err);

enum prep_norm { PREP_MINMAX, PREP_ZSCORE, PREP_ROBUST, PREP_LOG };
struct prep_norm_params {
    enum prep_norm method;
    double center, scale; /* y = lo + (x - center) / scale * (hi - lo), or (x - center) / scale */
    double lo, hi;        /* min-max target range */
};
/*
 * Fit a transform to a column. Min-max needs max > min, z-score sd > 0,
 * robust IQR > 0, log all values > -1 (y = ln(1 + x)); QE_ARG otherwise.
 * QE_DATA for a column holding an infinity, or whose max - min (min-max)
 * or IQR (robust) is past the largest double. Applying and inverting
 * stay finite where the result is (1e308 - -1e308 is not formed).
 */
int prep_norm_fit(enum prep_norm method, const struct prep_stats *s, double lo, double hi,
                  const char *col, struct prep_norm_params *p, struct qerr *err);
double prep_norm_apply(const struct prep_norm_params *p, double x);
double prep_norm_invert(const struct prep_norm_params *p, double y);
/*
 * y[i] = prep_norm_apply(p, x[i]) (invert: prep_norm_invert) for i < n, NaN
 * where x[i] is NaN: the same values, one loop a method. Returns the
 * first i where a number x[i] gave no finite y[i], or -1.
 */
long long prep_norm_column(const struct prep_norm_params *p, int invert,
                           const double *restrict x, double *restrict y, long long n);
const char *prep_norm_name(enum prep_norm method);

/* One date read by prep_date_parse. */
struct prep_date {
    char iso[32];  /* YYYY-MM-DD, or YYYY-MM-DDThh:mm:ss[.fraction] when a time was given */
    int has_time;  /* a time of day was given */
    int offset;    /* a nonzero UTC offset was given: iso is the time converted to UTC */
};
/*
 * Parse a date or timestamp written in one of the usual forms: ISO 8601
 * (2024-03-05, 2024-03-05T14:30[:00[.5]][Z|+02:00|+0200|+02]), 2024/03/05,
 * 05.03.2024, 05/03/2024 (day first when dayfirst, else month first),
 * 20240305, 5 Mar 2024, 5-Mar-2024, 5-Mar-24 (a two-digit year after a
 * month name is 1969-2068, as strptime's %y), Mar 5 2024, March 5, 2024,
 * Jan-1-1995, any of them after a weekday (Tue 5 Mar 2024, which must be
 * the date's) and followed by a time; RFC 2822's Tue, 05 Mar 2024
 * 10:00:00 +0000 too. A time may end in a UTC offset (or Z, UTC, GMT):
 * the result is the time in UTC. Fractions of a second are kept, to 9
 * digits. Checks the calendar (no 30 February). A leap second (hh:mm:60)
 * is read as the next minute's :00, carried into the hour, day, month and
 * year, as PostgreSQL reads it. On success fills *d and returns 0; -1
 * when the text is not a valid date.
 */
int prep_date_parse(const char *s, int dayfirst, struct prep_date *d);
/* Examples of values that did not parse, kept by prep_dates_column. */
#define PREP_DATE_EXAMPLES 3

/* A column of dates parsed by prep_dates_column. */
struct prep_dates {
    const char **text;   /* per row: the ISO 8601 text, NULL when missing or unparseable */
    long long n_ok;      /* values parsed */
    long long n_bad;     /* non-missing values that are not dates */
    long long n_changed; /* parsed values whose text changed */
    long long n_offset;  /* values with a UTC offset, converted to UTC */
    int has_time;        /* some value had a time: dates alone became midnight */
    int hint;            /* d/m/y evidence: > 0 day first, < 0 month first, 0 none */
    int dayfirst;        /* how d/m/y was read */
    char *bad[PREP_DATE_EXAMPLES]; /* distinct values that did not parse, in row order */
    int n_examples;
    char **iso;          /* the text per distinct value (text columns) */
    int n_iso;
    char *block;         /* the text per row (numeric columns) */
};
/*
 * Parse column j of f as dates. A text column: each distinct value with
 * prep_date_parse, d/m/y read day first unless the values show month
 * first (prep_date_dayfirst_hint); when any value has a time, dates alone
 * become midnight timestamps. A numeric column: whole numbers written
 * YYYYMMDD (20240305). Missing values stay missing (NULL text) and are
 * not counted. Reports to progress(pctx, fraction) by the clock (tick.h;
 * NULL: no reports); QE_INTERRUPT when it cancels. Release d with
 * prep_dates_release (after a failure too).
 */
int prep_dates_column(const struct frame *f, int j, int (*progress)(void *, double), void *pctx,
                      struct prep_dates *d, struct qerr *err);
void prep_dates_release(struct prep_dates *d);
/*
 * Evidence for day-first in a d/m/y value: 1 if the first number must be
 * a day (> 12), -1 if the second must be (> 12), 0 otherwise.
 */
int prep_date_dayfirst_hint(const char *s);

#endif
