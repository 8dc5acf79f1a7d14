/*
 * rfm_push.h: rfm pushed down to PostgreSQL. One plain SQL query groups
 * the order log by customer on the server (last order time, count and
 * sum of the counted orders, the sum exact in numeric as the local
 * compensated sum is nearly so, whatever the rows' order; and the rows
 * skipped for each reason, with the rules of prep/rfm.h: no customer, no usable date, no amount, after
 * the as-of day, in that order); only one row per customer comes back.
 * Recency, the scores and the segments are then computed here exactly as
 * rfm_compute does (rfm_scores, rfm_segment), customers in ascending key
 * order (numbers numerically, text by byte order: COLLATE "C"), as
 * groups.h numbers them locally.
 */
#ifndef QUARRY_RFM_PUSH_H
#define QUARRY_RFM_PUSH_H

#include "base/buf.h"
#include "base/qerr.h"
#include "prep/rfm.h"

/* The remote order log. */
struct rfm_push {
    const char *relation;   /* "schema"."table", quoted */
    const char *customer, *date, *amount; /* column names, unquoted */
    int cust_kind;          /* pg_oid_kind-like: 0 text, 1 integer, 2 real */
    int date_is_text;       /* the date column holds text: ISO 8601 rows only, others skipped */
    int has_asof;
    long long asof_day;
    int sharded;            /* partitioned over postgres_fdw shards (text dates then tested so) */
};

/*
 * The SQL expression "... AS t, " for a text date column d (quoted): its
 * seconds since 1970 when datetime_parse (base/datetime.h) would accept
 * the text, else NULL, without casting anything that would fail.
 */
void rfm_push_time(struct buf *b, const char *d);
/*
 * The select item "... AS t, " of the time column d (quoted) of a
 * push-down: rfm_push_time's seconds for text (is_text), else the date or
 * timestamp cast to a timestamp, as its seconds since 1970 with seconds.
 */
void rfm_push_time_col(struct buf *b, const char *d, int is_text, int seconds);
/*
 * What follows a key in ORDER BY: COLLATE "C" for a text key (kind 0,
 * pg_oid_kind-like), the byte order quarry's own commands sort text in;
 * "" for numbers.
 */
const char *rfm_push_collate(int kind);
/*
 * The SQL literal (quoted) of a regular expression a text matches exactly
 * when rfm_push_time gives it seconds: one operator a row, which
 * postgres_fdw sends to a shard (a cast from text it does not send).
 */
const char *rfm_push_valid_iso(void);
/* The day number of col (an SQL name), text rfm_push_valid_iso matched, into b. */
void rfm_push_iso_day(struct buf *b, const char *col);

/*
 * A number the server sent as text (v, NULL for SQL NULL) into *x: 0, or
 * -1 when v is NULL, empty or not wholly a number. The push-downs of rfm,
 * series and sessions read their rows with it.
 */
int rfm_push_num(const char *v, double *x);

/* The query, malloc'd. */
char *rfm_push_sql(const struct rfm_push *p);

/* The per-customer rows as they come back. */
struct rfm_push_acc {
    int n, cap;
    char **key;             /* customer keys as text, ascending */
    double *last, *count, *sum;
    long long n_no_customer, n_bad_date, n_no_amount, n_after_asof;
};

/* Take one row of rfm_push_sql's result (7 columns). QE_DATA on a malformed row. */
int rfm_push_row(struct rfm_push_acc *a, int n, const char *const *vals, struct qerr *err);
void rfm_push_acc_release(struct rfm_push_acc *a);

/*
 * Fill o as rfm_compute would from the same orders; o->cust[i] indexes
 * a->key. Errors as rfm_compute's (QE_DATA when no order counts).
 */
int rfm_push_finish(const struct rfm_push_acc *a, const struct rfm_push *p, int scores,
                    struct rfm_out *o, struct qerr *err);

#endif
