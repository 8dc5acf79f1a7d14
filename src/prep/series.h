/*
 * series.h: regular time series from timestamped rows: per group, one
 * value for every period from the first period in the data to the last
 * (the same span for every group, so groups line up), aggregated by sum,
 * mean or count; periods without a value are filled with 0 or left
 * missing (NaN).
 *
 * Periods are calendar days, ISO weeks (starting Monday), months,
 * quarters (starting January, April, July, October) and years; each is
 * named by its first day.
 */
#ifndef QUARRY_SERIES_H
#define QUARRY_SERIES_H

#include <stdint.h>

#include "base/qerr.h"

enum series_period { SERIES_DAY, SERIES_WEEK, SERIES_MONTH, SERIES_QUARTER, SERIES_YEAR };
enum series_agg { SERIES_SUM, SERIES_MEAN, SERIES_COUNT };

/* The index of the period holding day number `day` (datetime.h). */
long long series_period_of(long long day, enum series_period p);
/* The day number of the first day of period index idx. */
long long series_period_start(long long idx, enum series_period p);

struct series_in {
    long long n_rows;
    const int32_t *group;   /* group id per row, -1 = no group; NULL = one group */
    int n_groups;           /* 1 when group is NULL */
    const double *t;        /* seconds since 1970-01-01, NaN = no usable date */
    const double *value;    /* NaN = missing (not counted by any aggregate) */
    enum series_period period;
    enum series_agg agg;
    int fill_null;          /* empty periods are NaN instead of 0 */
    long long max_cells;    /* refuse more output rows than this */
    int (*progress)(void *pctx, double fraction); /* tick.h; nonzero cancels; may be NULL */
    void *pctx;
};

struct series_out {
    long long n;            /* rows: n_groups * n_periods */
    int32_t *group;         /* group id of each row */
    double *start;          /* first day of each row's period (day number) */
    double *value;
    long long n_periods;
    long long n_used;       /* rows that contributed a value */
    long long n_empty;      /* cells without any value (filled) */
    long long n_no_group, n_bad_date, n_no_value;
};

/*
 * Build the series. Fails with QE_DATA when no row has a date and a
 * value, QE_NOMEM when the result would exceed max_cells rows (the
 * message gives both numbers) or when its arrays do not fit in memory,
 * QE_INTERRUPT when in->progress cancels. The caller releases out.
 */
int series_build(const struct series_in *in, struct series_out *out, struct qerr *err);
void series_out_release(struct series_out *out);

#endif
