/*
 * series.c: one pass accumulates sum and count per (group, period) cell
 * of a dense grid; a second pass turns cells into values.
 */
#include "prep/series.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/datetime.h"
#include "base/mem.h"
#include "base/tick.h"
#include "base/banned.h"

static long long
floor_div(long long a, long long b)
{
    long long q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

long long
series_period_of(long long day, enum series_period p)
{
    long long y;
    int m, d;
    switch (p) {
    case SERIES_DAY:
        return day;
    case SERIES_WEEK:
        /* day 0 (1970-01-01) is a Thursday; week 0 starts Monday 1969-12-29 */
        return floor_div(day + 3, 7);
    default:
        break;
    }
    datetime_civil(day, &y, &m, &d);
    if (p == SERIES_MONTH)
        return y * 12 + (m - 1);
    if (p == SERIES_QUARTER)
        return y * 4 + (m - 1) / 3;
    return y;
}

long long
series_period_start(long long idx, enum series_period p)
{
    switch (p) {
    case SERIES_DAY:
        return idx;
    case SERIES_WEEK:
        return idx * 7 - 3;
    case SERIES_MONTH:
        return datetime_days(floor_div(idx, 12), (int)(idx - floor_div(idx, 12) * 12) + 1, 1);
    case SERIES_QUARTER:
        return datetime_days(floor_div(idx, 4), (int)(idx - floor_div(idx, 4) * 4) * 3 + 1, 1);
    case SERIES_YEAR:
        return datetime_days(idx, 1, 1);
    }
    return idx;
}

void
series_out_release(struct series_out *o)
{
    free(o->group);
    free(o->start);
    free(o->value);
    memset(o, 0, sizeof(*o));
}

int
series_build(const struct series_in *in, struct series_out *o, struct qerr *err)
{
    memset(o, 0, sizeof(*o));
    long long lo = LLONG_MAX, hi = LLONG_MIN;
    long long *pidx = mem_alloc((size_t)in->n_rows + 1, sizeof(*pidx), "series", "rows", err);
    double *sum = NULL;
    long long *cnt = NULL;
    int rc = -1;
    struct tick tk;
    tick_init(&tk, in->progress, in->pctx);
    if (!pidx)
        goto out;

    for (long long r = 0; r < in->n_rows; r++) {
        if (tick_row(&tk, r, 2 * in->n_rows)) /* the rows twice, then the cells */
            goto cancel;
        pidx[r] = LLONG_MIN;
        if (in->group && in->group[r] < 0) {
            o->n_no_group++;
            continue;
        }
        if (isnan(in->t[r])) {
            o->n_bad_date++;
            continue;
        }
        if (isnan(in->value[r])) {
            o->n_no_value++;
            continue;
        }
        pidx[r] = series_period_of(datetime_day_of(in->t[r]), in->period);
        if (pidx[r] < lo)
            lo = pidx[r];
        if (pidx[r] > hi)
            hi = pidx[r];
        o->n_used++;
    }
    if (o->n_used == 0) {
        qerr_set(err, QE_DATA,
                 "no row has both a date and a value (rows without a date: %lld, without a "
                 "value: %lld, without a group: %lld)",
                 o->n_bad_date, o->n_no_value, o->n_no_group);
        goto out;
    }
    int ng = in->group ? in->n_groups : 1;
    o->n_periods = hi - lo + 1;
    if ((double)o->n_periods * ng > (double)in->max_cells) {
        qerr_set(err, QE_NOMEM,
                 "the series would have %lld periods x %d groups = %.0f rows, over the limit of "
                 "%lld; choose a longer period",
                 o->n_periods, ng, (double)o->n_periods * ng, in->max_cells);
        goto out;
    }
    o->n = o->n_periods * ng;
    sum = mem_calloc((size_t)o->n + 1, sizeof(*sum), "series", "cells", err);
    cnt = mem_calloc((size_t)o->n + 1, sizeof(*cnt), "series", "cells", err);
    if (!sum || !cnt)
        goto out;
    for (long long r = 0; r < in->n_rows; r++) {
        if (tick_row(&tk, in->n_rows + r, 2 * in->n_rows))
            goto cancel;
        if (pidx[r] == LLONG_MIN)
            continue;
        long long cell = (in->group ? in->group[r] : 0) * o->n_periods + (pidx[r] - lo);
        sum[cell] += in->value[r];
        cnt[cell]++;
    }
    o->group = mem_alloc((size_t)o->n + 1, sizeof(*o->group), "series", "result rows", err);
    o->start = mem_alloc((size_t)o->n + 1, sizeof(*o->start), "series", "result rows", err);
    o->value = mem_alloc((size_t)o->n + 1, sizeof(*o->value), "series", "result rows", err);
    if (!o->group || !o->start || !o->value)
        goto out;
    for (long long c = 0; c < o->n; c++) {
        if (tick_row(&tk, c, o->n))
            goto cancel;
        o->group[c] = (int32_t)(c / o->n_periods);
        o->start[c] = (double)series_period_start(lo + c % o->n_periods, in->period);
        if (cnt[c] == 0) {
            o->value[c] = in->fill_null ? NAN : 0;
            o->n_empty++;
        }
        else if (in->agg == SERIES_SUM)
            o->value[c] = sum[c];
        else if (in->agg == SERIES_MEAN)
            o->value[c] = sum[c] / (double)cnt[c];
        else
            o->value[c] = (double)cnt[c];
        if (cnt[c] > 0 && !isfinite(o->value[c])) { /* never an inf written silently */
            qerr_set(err, QE_DATA, "the %s of a period is not a finite number: a value is inf or "
                     "-inf, or the sum passes the largest double (1.8e+308)",
                     in->agg == SERIES_MEAN ? "mean" : "sum");
            qerr_hint(err, "make infinite values missing first, or scale the column down");
            goto out;
        }
    }
    rc = 0;
    goto out;
cancel:
    tick_fail(err);
out:
    free(pidx);
    free(sum);
    free(cnt);
    if (rc < 0)
        series_out_release(o);
    return rc;
}
