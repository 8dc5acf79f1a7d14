/*
 * series_push.h: series pushed down to PostgreSQL. One plain SQL query
 * groups the dated rows by group (by=) and period on the server: the sum
 * and count of the values in each (group, period) cell, and the rows
 * skipped for each reason with the rules of prep/series.h (no group, no
 * usable date, no value, in that order); only one row per cell comes
 * back. The dense grid (every group x every period, empty cells filled)
 * is then built here by series_build itself, one input row per cell, so
 * the result equals the local series row for row. Groups come back in
 * ascending key order (numbers numerically, text by byte order:
 * COLLATE "C"), as groups.h numbers them locally.
 */
#ifndef QUARRY_SERIES_PUSH_H
#define QUARRY_SERIES_PUSH_H

#include <stdint.h>

#include "base/qerr.h"
#include "prep/series.h"

/* The remote table and what series was asked. */
struct series_push {
    const char *relation;   /* "schema"."table", quoted */
    const char *date, *value, *by; /* column names, unquoted; by may be NULL */
    int by_kind;            /* pg_oid_kind-like: 0 text, 1 integer, 2 real */
    int date_is_text;       /* ISO 8601 text (rfm_push_time); else a date or timestamp */
    int value_is_number;    /* else only agg=count: non-NULL values count */
    enum series_period period;
    enum series_agg agg;
    char *const *leaves;    /* a sharded table's foreign partitions (pg_leaves), or NULL */
    int n_leaves;
};

/*
 * The query, malloc'd. Over a sharded table (n_leaves) each partition is
 * grouped by group and day on its own, in SQL that postgres_fdw sends whole
 * to the shard (rfm_push_day), and the coordinator sums those partial cells
 * into the periods: the same six columns, the same rows.
 */
char *series_push_sql(const struct series_push *p);

/* The cells as they come back. */
struct series_push_acc {
    enum series_agg agg;    /* set before the first row */
    long long n, cap;       /* cells with a value */
    int32_t *group;
    double *t, *value;      /* the period's first second; the cell's value as agg says */
    int n_groups, gcap;
    char **key;             /* group keys as text, ascending (by= only) */
    long long n_used, n_no_group, n_bad_date, n_no_value;
};

/* Take one row of series_push_sql's result (6 columns). QE_DATA on a malformed row. */
int series_push_row(struct series_push_acc *a, const struct series_push *p, int n,
                    const char *const *vals, struct qerr *err);
void series_push_acc_release(struct series_push_acc *a);

/*
 * Fill in (series_in) from a's cells; in->period, fill_null, max_cells
 * and progress are the caller's. series_build(in) then gives the local
 * series' grid; series_push_counts copies the row counts into its out.
 */
void series_push_input(const struct series_push_acc *a, const struct series_push *p,
                       struct series_in *in);
void series_push_counts(const struct series_push_acc *a, struct series_out *o);

#endif
