/*
 * summary.h: one definition of every summary statistic, on frames, for
 * describe (per column), profile and cluster's per-cluster table (per
 * group). The numbers come out as plain structs; commands format them.
 *
 * Definitions, the same everywhere (the arithmetic is prep_stats'):
 *   count     values present: in a numeric column the numbers; NULL is
 *             missing; text in a numeric column that is not a number is
 *             neither (n_nonnum), and takes part in no statistic.
 *   mean      sum of x over n, the sums taken from the first value
 *             (a shift): exact for a constant column.
 *   sd        the SAMPLE standard deviation, divisor n - 1 (pandas'
 *             describe, R's sd), from deviations from the mean with the
 *             corrected two-pass sum (Chan, Golub & LeVeque, 1983):
 *             1e8 + {0.1, 0.2, 0.3} gives 0.1, a constant column exactly
 *             0. With fewer than two values it is undefined: NaN (NULL in
 *             a table), never 0.
 *   quantiles linear interpolation between the two nearest ranks at
 *             position (n-1)p (numpy's default, pandas' describe), found
 *             by selection, not a sort.
 *   histogram SUMMARY_BINS equal-width bins from min to max: x falls in
 *             bin floor((x - min) / width), the maximum in the last.
 *   distinct  numbers compare by value (1 and 1.0 are one), text byte by
 *             byte.
 *   top       the most frequent values, most frequent first; equal counts
 *             go to the value that sorts first (byte order; in an untyped
 *             column numbers come before text, by value).
 *
 * A column is numeric when the frame holds it as numbers (declared
 * INTEGER or REAL), or when it is untyped (CATALOG_OTHER: NUMERIC, no
 * type, ...) and every value present reads as a number.
 *
 * The functions that pass over the rows report to progress(pctx,
 * fraction) by the clock (tick.h; NULL: no reports) and fail with
 * QE_INTERRUPT when it cancels.
 */
#ifndef QUARRY_SUMMARY_H
#define QUARRY_SUMMARY_H

#include <stdint.h>

#include "data/frame.h"
#include "base/qerr.h"

enum { SUMMARY_BINS = 8, SUMMARY_TOP = 3 };

/* What summary_column computes beyond counts, mean, sd, min and max. */
enum {
    SUMMARY_QUANTILES = 1 << 0, /* q1, median, q3 (numbers) */
    SUMMARY_DISTINCT = 1 << 1,  /* n_distinct */
    SUMMARY_HIST = 1 << 2,      /* hist (numbers) */
    SUMMARY_TOPS = 1 << 3,      /* top, top_count (text) */
    SUMMARY_ALL = 15,
};

struct summary_col {
    int numeric;           /* statistics of numbers (1) or of text values (0) */
    long long n;           /* values present */
    long long n_missing;   /* NULL cells (per group: every cell without a value) */
    long long n_nonnum;    /* numeric column: text cells that are not numbers */
    long long n_distinct;  /* SUMMARY_DISTINCT; else -1 */
    double mean, sd;       /* numbers; NaN when n == 0, sd NaN when n < 2 */
    double min, max;       /* numbers; NaN when n == 0 */
    double q1, median, q3; /* SUMMARY_QUANTILES; else NaN */
    long long hist[SUMMARY_BINS]; /* SUMMARY_HIST: counts per bin */
    /*
     * The frame level holding the minimum and the maximum: for text, and
     * for numbers read from an untyped column's text (a caller can show
     * them as written); -1 otherwise or when n == 0.
     */
    int min_level, max_level;
    int n_top;                        /* text with SUMMARY_TOPS: up to SUMMARY_TOP */
    int top[SUMMARY_TOP];             /* levels, most frequent first */
    long long top_count[SUMMARY_TOP];
};

/* 1 if column j of f is summarised as numbers (see above). */
int summary_is_numeric(const struct frame *f, int j);

/*
 * Summarise column j of f (all rows). need: SUMMARY_* flags. Fails only
 * when out of memory (QE_NOMEM) or cancelled (QE_INTERRUPT). O(rows): a
 * pass or two, a selection for the quantiles and a hash set for distinct
 * numbers.
 */
int summary_column(const struct frame *f, int j, int need, int (*progress)(void *, double),
                   void *pctx, struct summary_col *s, struct qerr *err);

/* Rows in groups, in the order a profile shows them. */
struct summary_groups {
    int n_groups;
    long long n;           /* rows in some group */
    int32_t *of_row;       /* per frame row: its group, or -1 (left out) */
    long long *size;       /* rows per group */
    /* The key of each group, as a result column (named by the caller). */
    enum catalog_kind key_decl;
    double *key_num;       /* n_groups numbers (NaN: the missing key), or NULL */
    const char **key_text; /* n_groups strings (NULL: the missing key), borrowed from f */
};

/*
 * Group every row of f by the value of column by: a group per distinct
 * value, ascending (numbers by value, text byte by byte, an untyped
 * column's numbers first), and one group of the rows missing by first,
 * when there are any (text in a numeric key column counts as missing).
 * Text keys borrow f's levels: keep f until summary_groups_release. An
 * untyped key whose values are all numbers gets number keys, declared
 * INTEGER when all are whole, else REAL.
 */
int summary_groups_by(const struct frame *f, int by, int (*progress)(void *, double),
                      void *pctx, struct summary_groups *g, struct qerr *err);

/*
 * Groups from labels 0..k-1 given to n rows of f (rows[i] is the frame
 * row of label i, or rows NULL when they are rows 0..n-1): one group per
 * label, empty ones too, keyed by the label; label -1 (noise), when
 * present, is a group of its own first. Rows without a label are left out.
 */
int summary_groups_labels(const struct frame *f, const long long *rows, long long n,
                          const int32_t *labels, int k, struct summary_groups *g,
                          struct qerr *err);
void summary_groups_release(struct summary_groups *g);

/*
 * Column j summarised per group: out[g] for each of the n_groups groups,
 * with n, n_missing, mean, sd, min and max (numbers) or the most frequent
 * value, n_top 0 or 1 (text; the tie rule as above). Rows left out of
 * every group are skipped.
 */
int summary_by_group(const struct frame *f, int j, const struct summary_groups *g,
                     int (*progress)(void *, double), void *pctx, struct summary_col *out,
                     struct qerr *err);

/*
 * A value as summary tables keep it: six significant digits, and never
 * fewer than four decimals (so 100000000.2 stays, 0.000123456 too).
 */
double summary_round(double v);

/*
 * A profile as table columns, ready for frame_write_new. Every profile
 * has this one shape: the group key (named key), size, share (size over
 * the rows in groups, to four decimals), then for each column cols[c] of f
 * in order: NAME_centre (only when centres is given: centres[g * n_cols +
 * c], NaN for none), NAME_mean and NAME_sd for numbers, or NAME_top for
 * text. Means, sds and centres are rounded by summary_round; NaN is NULL.
 * The table owns its arrays (text values are borrowed from f: keep it and
 * g until the table is released).
 */
struct summary_table {
    long long n_rows;
    int n_cols;
    struct frame_out *cols;
    char **names;   /* owned column names */
    double **num;   /* owned number columns (NULL for text ones) */
    const char ***text; /* owned arrays of borrowed strings */
};
int summary_profile(const struct frame *f, const struct summary_groups *g, const char *key,
                    const int *cols, int n_cols, const double *centres,
                    int (*progress)(void *, double), void *pctx, struct summary_table *t,
                    struct qerr *err);
void summary_table_release(struct summary_table *t);

#endif
