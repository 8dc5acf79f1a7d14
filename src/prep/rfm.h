/*
 * rfm.h: recency, frequency and monetary value per customer from an
 * order log, quantile scores and the usual RFM segment names.
 *
 * Input is one row per order: a customer group id (groups.h), a
 * timestamp and an amount. An order counts when it has a customer, a
 * parseable date on or before the as-of day and an amount; every other
 * row is skipped and counted under the first reason that applies.
 *
 * recency   = as-of day - day of the customer's last order (whole days;
 *             an order on the as-of day itself has recency 0)
 * frequency = number of orders
 * monetary  = sum of the amounts (compensated: the same whatever the rows' order)
 * Scores 1..q by quantile of rank, ties broken by customer order: the
 * values are ranked 1..n ascending, equal values in customer order
 * (pandas rank(method='first')), and rank k gets the smallest score s
 * with q (k - 1) <= s (n - 1), i.e. pandas qcut of the ranks into q
 * bins. Recency scores are reversed (q + 1 - s) so that recent = high.
 * With a single customer every score is the middle one, (q + 1) / 2
 * rounded up.
 */
#ifndef QUARRY_RFM_H
#define QUARRY_RFM_H

#include <stdint.h>

#include "base/qerr.h"
#include "base/tick.h"

struct rfm_in {
    long long n_rows;
    const int32_t *cust;   /* group id per row, -1 = no customer */
    int n_cust;            /* number of group ids */
    const double *t;       /* seconds since 1970-01-01, NaN = no usable date */
    const double *amount;  /* NaN = missing */
    int has_asof;
    long long asof_day;    /* day number (datetime.h), used when has_asof */
    int scores;            /* q, 2 .. 10 */
    int (*progress)(void *pctx, double fraction); /* tick.h; nonzero cancels; may be NULL */
    void *pctx;
};

struct rfm_out {
    int n;                 /* customers with at least one counted order */
    int32_t *cust;         /* their group ids, ascending */
    double *recency, *frequency, *monetary;
    double *r_score, *f_score, *m_score;
    const char **segment;  /* static strings */
    long long asof_day;    /* the as-of day used */
    long long n_orders;    /* rows counted */
    long long n_no_customer, n_bad_date, n_no_amount, n_after_asof;
    int n_cust_dropped;    /* customers whose every row was skipped */
};

/*
 * Compute RFM for every customer with a counted order. Without has_asof
 * the as-of day is the day after the last counted order. Fails (QE_DATA)
 * when no row can be counted, QE_NOMEM when the per-customer arrays do
 * not fit, QE_INTERRUPT when in->progress cancels (out is then empty).
 * out is filled and owned by the caller: rfm_out_release frees it.
 */
int rfm_compute(const struct rfm_in *in, struct rfm_out *out, struct qerr *err);
void rfm_out_release(struct rfm_out *out);

/*
 * Quantile scores 1..q of the n values x (see above); reverse gives
 * q + 1 - s. Writes n scores to score, ticking t (tick.h; NULL: none).
 * Fails (QE_NOMEM) when the n-entry ranking does not fit, QE_INTERRUPT
 * when t cancels.
 */
int rfm_scores(const double *x, int n, int q, int reverse, double *score, struct tick *t,
               struct qerr *err);

/*
 * The segment of a customer from recency and frequency scores on a 1..5
 * scale:
 *   R 5, F 4-5: champions           R 3-4, F 4-5: loyal customers
 *   R 4-5, F 2-3: potential loyalists   R 5, F 1: new customers
 *   R 4, F 1: promising             R 3, F 3: need attention
 *   R 3, F 1-2: about to sleep      R 1-2, F 3-4: at risk
 *   R 1-2, F 5: can't lose them     R 2, F 1-2: hibernating
 *   R 1, F 1-2: lost
 * Scores on another scale q are mapped to 1..5 first by ceil(5 s / q).
 */
const char *rfm_segment(int r, int f, int q);

/* One segment's summary (rfm_segments). */
struct rfm_segment_row {
    const char *segment;  /* static, as in rfm_out */
    int customers;
    double recency, frequency, monetary; /* means over its customers */
    double score;         /* mean r_score + mean f_score: the order of the rows */
};

/*
 * The segments of o, one row each with its customer count and the mean
 * recency, frequency and monetary value of its customers, best first:
 * by mean R score plus mean F score, descending, then by name (byte
 * order). Means are plain sums over the customers in o's order divided
 * by the count. *rows is malloc'd (the caller frees it), *n its length.
 * QE_NOMEM when it does not fit.
 */
int rfm_segments(const struct rfm_out *o, struct rfm_segment_row **rows, int *n,
                 struct qerr *err);

#endif
