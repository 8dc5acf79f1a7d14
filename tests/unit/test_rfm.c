/*
 * test_rfm.c: RFM on a hand-computed order log of three customers with
 * skipped rows of every kind; quantile scores against pandas'
 * qcut(rank(method='first')) worked by hand; the segment grid; a lone
 * customer; an as-of date that cuts orders; 5000 scores with ties,
 * signs, both zeros and extreme magnitudes against the definition.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "base/datetime.h"
#include "prep/rfm.h"

static double
at(int y, int m, int d)
{
    return (double)datetime_days(y, m, d) * 86400 + 3600 * 10;
}

static void
test_scores(void)
{
    double s[10];
    /* n = 3, q = 5: rank k gets ceil(5k / 2) = 1, 3, 5 (qcut edges 1, 1.4, ..., 3) */
    const double x3[] = {7, 1, 6};
    CHECK_INT(rfm_scores(x3, 3, 5, 0, s, NULL, NULL), 0);
    CHECK_INT(s[0], 5);
    CHECK_INT(s[1], 1);
    CHECK_INT(s[2], 3);
    CHECK_INT(rfm_scores(x3, 3, 5, 1, s, NULL, NULL), 0);
    CHECK_INT(s[0], 1);
    CHECK_INT(s[1], 5);
    /* ties in order of appearance: 1 (i1), 1 (i3), 2 (i0), 2 (i2); q = 2 */
    const double xt[] = {2, 1, 2, 1};
    CHECK_INT(rfm_scores(xt, 4, 2, 0, s, NULL, NULL), 0);
    CHECK_INT(s[0], 2);
    CHECK_INT(s[1], 1);
    CHECK_INT(s[2], 2);
    CHECK_INT(s[3], 1);
    /* n = 10, q = 5: two ranks a bin (qcut edges 1, 2.8, 4.6, 6.4, 8.2, 10) */
    const double x10[] = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
    CHECK_INT(rfm_scores(x10, 10, 5, 0, s, NULL, NULL), 0);
    CHECK_INT(s[9], 1);
    CHECK_INT(s[8], 1);
    CHECK_INT(s[7], 2);
    CHECK_INT(s[6], 2);
    CHECK_INT(s[5], 3);
    CHECK_INT(s[4], 3);
    CHECK_INT(s[1], 5);
    CHECK_INT(s[0], 5);
    /* all equal: still spread by order of appearance */
    const double xe[] = {4, 4, 4, 4, 4};
    CHECK_INT(rfm_scores(xe, 5, 5, 0, s, NULL, NULL), 0);
    CHECK_INT(s[0], 1);
    CHECK_INT(s[4], 5);
    const double x1[] = {42};
    CHECK_INT(rfm_scores(x1, 1, 5, 0, s, NULL, NULL), 0);
    CHECK_INT(s[0], 3);
    CHECK_INT(rfm_scores(x1, 1, 4, 0, s, NULL, NULL), 0);
    CHECK_INT(s[0], 3);
}

/* By value, ties by index: rank(method='first'). */
static const double *rank_x;

static int
cmp_first(const void *a, const void *b)
{
    int i = *(const int *)a, j = *(const int *)b;
    if (rank_x[i] != rank_x[j])
        return rank_x[i] < rank_x[j] ? -1 : 1;
    return (i > j) - (i < j);
}

/*
 * Scores of 5000 values with many ties, negatives, fractions, huge and
 * tiny magnitudes and both zeros (equal, so tied by index) against the
 * definition worked directly: sort (value, index), the k-th gets the
 * smallest s with q k <= s (n - 1).
 */
static void
test_scores_many(void)
{
    enum { N = 5000 };
    static const double pool[] = {0.0, -0.0, 1, -1, 2.5, -2.5, 1e300, -1e300, 1e-300,
                                  -1e-300, 3, 365, 7.25, 1e15, 42};
    double *x = malloc(N * sizeof(double)), *s = malloc(N * sizeof(double));
    int *order = malloc(N * sizeof(int));
    unsigned long long r = 88172645463325252ULL;
    for (int i = 0; i < N; i++) {
        r ^= r << 13, r ^= r >> 7, r ^= r << 17;
        x[i] = i % 7 == 0 ? (double)(r % 1000) / 8 - 60 : pool[r % 15];
        order[i] = i;
    }
    rank_x = x;
    qsort(order, N, sizeof(int), cmp_first);
    for (int q = 3; q <= 5; q += 2) {
        for (int rev = 0; rev < 2; rev++) {
            CHECK_INT(rfm_scores(x, N, q, rev, s, NULL, NULL), 0);
            int bad = 0;
            for (int k = 0; k < N; k++) {
                long long sc = ((long long)q * k + (N - 2)) / (N - 1);
                if (sc < 1)
                    sc = 1;
                bad += s[order[k]] != (double)(rev ? q + 1 - sc : sc);
            }
            CHECK_INT(bad, 0);
        }
    }
    free(x);
    free(s);
    free(order);
}

static void
test_segments(void)
{
    CHECK_STR(rfm_segment(5, 5, 5), "champions");
    CHECK_STR(rfm_segment(5, 4, 5), "champions");
    CHECK_STR(rfm_segment(4, 4, 5), "loyal customers");
    CHECK_STR(rfm_segment(3, 5, 5), "loyal customers");
    CHECK_STR(rfm_segment(4, 2, 5), "potential loyalists");
    CHECK_STR(rfm_segment(5, 3, 5), "potential loyalists");
    CHECK_STR(rfm_segment(5, 1, 5), "new customers");
    CHECK_STR(rfm_segment(4, 1, 5), "promising");
    CHECK_STR(rfm_segment(3, 3, 5), "need attention");
    CHECK_STR(rfm_segment(3, 2, 5), "about to sleep");
    CHECK_STR(rfm_segment(2, 4, 5), "at risk");
    CHECK_STR(rfm_segment(1, 3, 5), "at risk");
    CHECK_STR(rfm_segment(1, 5, 5), "can't lose them");
    CHECK_STR(rfm_segment(2, 2, 5), "hibernating");
    CHECK_STR(rfm_segment(1, 2, 5), "lost");
    CHECK_STR(rfm_segment(1, 1, 5), "lost");
    /* other scales: ceil(5 s / q) */
    CHECK_STR(rfm_segment(3, 3, 3), "champions");       /* 5, 5 */
    CHECK_STR(rfm_segment(10, 1, 10), "new customers"); /* 5, 1 */
    CHECK_STR(rfm_segment(1, 2, 2), "loyal customers"); /* 3, 5 */
}

static void
test_compute(void)
{
    /*
     * A: 2024-01-01 10, 2024-01-10 20; B: 2024-01-05 5; C: 2024-01-02 100,
     * 01-03 1, 01-04 1; then a row without a customer, one with a bad
     * date and one without an amount (all of customer B).
     */
    const int32_t cust[] = {0, 0, 1, 2, 2, 2, -1, 1, 1};
    const double t[] = {at(2024, 1, 1), at(2024, 1, 10), at(2024, 1, 5), at(2024, 1, 2),
                        at(2024, 1, 3), at(2024, 1, 4), at(2024, 2, 1), NAN, at(2024, 3, 1)};
    const double amount[] = {10, 20, 5, 100, 1, 1, 7, 8, NAN};
    struct rfm_in in = {.n_rows = 9, .cust = cust, .n_cust = 3, .t = t, .amount = amount,
                        .scores = 5};
    struct rfm_out o;
    struct qerr err = QERR_INIT;
    CHECK_INT(rfm_compute(&in, &o, &err), 0);
    CHECK_INT(o.n, 3);
    CHECK_INT(o.n_orders, 6);
    CHECK_INT(o.n_no_customer, 1);
    CHECK_INT(o.n_bad_date, 1);
    CHECK_INT(o.n_no_amount, 1);
    CHECK_INT(o.asof_day, datetime_days(2024, 1, 11)); /* the day after the last order */
    CHECK_INT(o.recency[0], 1);
    CHECK_INT(o.recency[1], 6);
    CHECK_INT(o.recency[2], 7);
    CHECK_INT(o.frequency[0], 2);
    CHECK_INT(o.frequency[1], 1);
    CHECK_INT(o.frequency[2], 3);
    CHECK_NEAR(o.monetary[0], 30, 1e-9);
    CHECK_NEAR(o.monetary[1], 5, 1e-9);
    CHECK_NEAR(o.monetary[2], 102, 1e-9);
    /* recency ranks A, B, C -> bins 1, 3, 5 reversed */
    CHECK_INT(o.r_score[0], 5);
    CHECK_INT(o.r_score[1], 3);
    CHECK_INT(o.r_score[2], 1);
    CHECK_INT(o.f_score[0], 3);
    CHECK_INT(o.f_score[1], 1);
    CHECK_INT(o.f_score[2], 5);
    CHECK_INT(o.m_score[0], 3);
    CHECK_INT(o.m_score[1], 1);
    CHECK_INT(o.m_score[2], 5);
    CHECK_STR(o.segment[0], "potential loyalists");
    CHECK_STR(o.segment[1], "about to sleep");
    CHECK_STR(o.segment[2], "can't lose them");
    rfm_out_release(&o);

    /* as of 2024-01-04: A keeps one order, B none (left out), C all three */
    in.has_asof = 1;
    in.asof_day = datetime_days(2024, 1, 4);
    CHECK_INT(rfm_compute(&in, &o, &err), 0);
    CHECK_INT(o.n, 2);
    CHECK_INT(o.n_after_asof, 2);
    CHECK_INT(o.n_cust_dropped, 1);
    CHECK_INT(o.cust[0], 0);
    CHECK_INT(o.cust[1], 2);
    CHECK_INT(o.recency[0], 3);
    CHECK_INT(o.recency[1], 0);
    CHECK_INT(o.frequency[1], 3);
    rfm_out_release(&o);

    /* one customer, one order: middle scores */
    struct rfm_in one = {.n_rows = 1, .cust = cust, .n_cust = 1, .t = t, .amount = amount,
                         .scores = 5};
    CHECK_INT(rfm_compute(&one, &o, &err), 0);
    CHECK_INT(o.n, 1);
    CHECK_INT(o.recency[0], 1);
    CHECK_INT(o.r_score[0], 3);
    CHECK_STR(o.segment[0], "need attention");
    rfm_out_release(&o);

    /* nothing usable */
    const int32_t none[] = {-1, -1};
    struct rfm_in bad = {.n_rows = 2, .cust = none, .n_cust = 0, .t = t, .amount = amount,
                         .scores = 5};
    CHECK_INT(rfm_compute(&bad, &o, &err), -1);
    CHECK_HAS(err.msg, "rows without a customer: 2,");
    qerr_clear(&err);
}

int
main(void)
{
    test_scores();
    test_scores_many();
    test_segments();
    test_compute();
    return check_done("test_rfm");
}
