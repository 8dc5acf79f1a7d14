/*
 * rfm.c: RFM in one pass over the orders (per-customer last day, count,
 * sum), then one sort per score. The segment grid is the widely used
 * R x F map of RFM marketing practice (11 named cells).
 */
#include "prep/rfm.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/datetime.h"
#include "base/mem.h"
#include "base/banned.h"

/* The bits of v as an unsigned key in v's order (-0.0 as 0.0; no NaN comes here). */
static inline uint64_t
order_key(double v)
{
    uint64_t u;
    if (v == 0)
        v = 0; /* -0.0 ties with 0.0, as < and == see them */
    memcpy(&u, &v, sizeof(u));
    return u >> 63 ? ~u : u | (1ULL << 63);
}

/*
 * idx[k]: the index of the k-th smallest of x[0..n), ties in index order:
 * a stable LSD radix sort of the values' bits, a byte a pass, skipping the
 * bytes every key shares (whole days and counts differ in two or three).
 * Ticks t between passes.
 */
static int
rank_order(const double *x, int n, int *idx, struct tick *t, struct qerr *err)
{
    uint64_t *key = mem_alloc((size_t)n * 2, sizeof(*key), "rfm", "customers to rank", err);
    int *idx2 = key ? mem_alloc((size_t)n, sizeof(*idx2), "rfm", "customers to rank", err) : NULL;
    size_t(*count)[256] = idx2 ? mem_calloc(8, sizeof(*count), "rfm", "customers to rank", err)
                                : NULL;
    int rc = -1;
    if (!count)
        goto out;
    uint64_t *key2 = key + n;
    for (int i = 0; i < n; i++) {
        uint64_t k = key[i] = order_key(x[i]);
        idx[i] = i;
        for (int b = 0; b < 8; b++)
            count[b][(k >> (8 * b)) & 0xff]++;
    }
    for (int b = 0; b < 8; b++) {
        size_t *c = count[b], sum = 0;
        if (c[(key[0] >> (8 * b)) & 0xff] == (size_t)n)
            continue; /* every key has this byte: the pass would change nothing */
        if (tick(t, b / 8.0)) {
            tick_fail(err);
            goto out;
        }
        for (int v = 0; v < 256; v++) {
            size_t k = c[v];
            c[v] = sum;
            sum += k;
        }
        for (int i = 0; i < n; i++) {
            size_t at = c[(key[i] >> (8 * b)) & 0xff]++;
            key2[at] = key[i];
            idx2[at] = idx[i];
        }
        memcpy(key, key2, (size_t)n * sizeof(*key));
        memcpy(idx, idx2, (size_t)n * sizeof(*idx));
    }
    rc = 0;
out:
    free(key);
    free(idx2);
    free(count);
    return rc;
}

int
rfm_scores(const double *x, int n, int q, int reverse, double *score, struct tick *t,
           struct qerr *err)
{
    if (n <= 0)
        return 0;
    if (n == 1) {
        score[0] = (q + 2) / 2;
        return 0;
    }
    int *r = mem_alloc((size_t)n, sizeof(*r), "rfm", "customers to rank", err);
    if (!r || rank_order(x, n, r, t, err) < 0) {
        free(r);
        return -1;
    }
    for (int k = 0; k < n; k++) {
        /* smallest s with q k <= s (n - 1), k the 0-based rank; at least 1 */
        long long s = ((long long)q * k + (n - 2)) / (n - 1);
        if (s < 1)
            s = 1;
        score[r[k]] = (double)(reverse ? q + 1 - s : s);
    }
    free(r);
    return 0;
}

const char *
rfm_segment(int r, int f, int q)
{
    if (q != 5) {
        r = (5 * r + q - 1) / q;
        f = (5 * f + q - 1) / q;
    }
    if (r >= 5)
        return f >= 4 ? "champions" : f >= 2 ? "potential loyalists" : "new customers";
    if (r == 4)
        return f >= 4 ? "loyal customers" : f >= 2 ? "potential loyalists" : "promising";
    if (r == 3)
        return f >= 4 ? "loyal customers" : f == 3 ? "need attention" : "about to sleep";
    if (f >= 5)
        return "can't lose them";
    if (f >= 3)
        return "at risk";
    return r == 2 ? "hibernating" : "lost";
}

void
rfm_out_release(struct rfm_out *o)
{
    free(o->cust);
    free(o->recency);
    free(o->frequency);
    free(o->monetary);
    free(o->r_score);
    free(o->f_score);
    free(o->m_score);
    free(o->segment);
    memset(o, 0, sizeof(*o));
}

/* One customer's running figures (rfm_compute). */
struct acc {
    double last;      /* the latest order's time */
    double sum, comp; /* the amounts' total and its compensation */
    long long count;  /* orders counted */
};

int
rfm_compute(const struct rfm_in *in, struct rfm_out *o, struct qerr *err)
{
    memset(o, 0, sizeof(*o));
    size_t nc = (size_t)in->n_cust + 1;
    /* a customer's figures in one 32-byte line: the rows come in any customer order */
    void *block = mem_calloc(nc + 1, sizeof(struct acc), "rfm", "customers' totals", err);
    struct acc *a = (struct acc *)(((uintptr_t)block + 31) & ~(uintptr_t)31);
    unsigned char *seen = mem_calloc(nc, 1, "rfm", "customer flags", err);
    double max_t = -INFINITY;
    /* orders from the day after asof on are ignored; days are taken per customer at the end */
    double end = in->has_asof ? (double)(in->asof_day + 1) * DATETIME_DAY : INFINITY;
    int rc = -1;
    struct tick tk;
    tick_init(&tk, in->progress, in->pctx);
    if (!block || !seen)
        goto out;

    for (long long r = 0; r < in->n_rows; r++) {
        if (tick_row(&tk, r, in->n_rows)) {
            tick_fail(err);
            goto out;
        }
        int32_t c = in->cust[r];
        if (c < 0) {
            o->n_no_customer++;
            continue;
        }
        seen[c] = 1;
        if (isnan(in->t[r])) {
            o->n_bad_date++;
            continue;
        }
        if (isnan(in->amount[r])) {
            o->n_no_amount++;
            continue;
        }
        if (isinf(in->amount[r])) { /* a total or a score of inf says nothing */
            qerr_set(err, QE_DATA, "the amount of row %lld is %g: rfm needs finite amounts", r + 1,
                     in->amount[r]);
            qerr_hint(err, "make such amounts missing first (UPDATE TABLE SET COL = NULL WHERE "
                      "abs(COL) = 9e999); their rows are then skipped");
            goto out;
        }
        double t = in->t[r];
        if (t >= end) {
            o->n_after_asof++;
            continue;
        }
        struct acc *ac = &a[c];
        if (ac->count == 0 || t > ac->last)
            ac->last = t;
        ac->count++;
        /* Neumaier's compensated sum: the total does not hang on the rows' order, so
           equal totals rank as ties (and a server's exact sum, remote/rfm_push.h, agrees) */
        double x = in->amount[r], y = ac->sum + x;
        ac->comp += fabs(ac->sum) >= fabs(x) ? (ac->sum - y) + x : (x - y) + ac->sum;
        ac->sum = y;
        if (t > max_t)
            max_t = t;
        o->n_orders++;
    }
    rc = 0;
    if (o->n_orders == 0) {
        rc = qerr_set(err, QE_DATA,
                      "no order can be counted (rows without a customer: %lld, without a "
                      "date: %lld, without an amount: %lld, after the as-of date: %lld)",
                      o->n_no_customer, o->n_bad_date, o->n_no_amount, o->n_after_asof);
        goto out;
    }
    o->asof_day = in->has_asof ? in->asof_day : datetime_day_of(max_t) + 1;
    for (int c = 0; c < in->n_cust; c++) {
        o->n += a[c].count > 0;
        o->n_cust_dropped += seen[c] && a[c].count == 0;
    }
    size_t n = (size_t)o->n;
    const char *what = "customers' results";
    if (!(o->cust = mem_alloc(n, sizeof(*o->cust), "rfm", what, err)) ||
        !(o->recency = mem_alloc(n, sizeof(double), "rfm", what, err)) ||
        !(o->frequency = mem_alloc(n, sizeof(double), "rfm", what, err)) ||
        !(o->monetary = mem_alloc(n, sizeof(double), "rfm", what, err)) ||
        !(o->r_score = mem_alloc(n, sizeof(double), "rfm", what, err)) ||
        !(o->f_score = mem_alloc(n, sizeof(double), "rfm", what, err)) ||
        !(o->m_score = mem_alloc(n, sizeof(double), "rfm", what, err)) ||
        !(o->segment = mem_alloc(n, sizeof(*o->segment), "rfm", what, err))) {
        rc = -1;
        goto out;
    }
    int k = 0;
    for (int c = 0; c < in->n_cust; c++) {
        if (a[c].count == 0)
            continue;
        o->cust[k] = c;
        o->recency[k] = (double)(o->asof_day - datetime_day_of(a[c].last));
        o->frequency[k] = (double)a[c].count;
        o->monetary[k] = a[c].sum + a[c].comp;
        if (!isfinite(o->monetary[k])) {
            rc = qerr_set(err, QE_DATA, "a customer's total amount is past the largest double "
                          "(1.8e+308): monetary cannot be held");
            qerr_hint(err, "scale the amounts down first (derive, e.g. amount / 1e6)");
            goto out;
        }
        k++;
    }
    /* recency ranked ascending, then reversed: the most recent get the top score */
    if (rfm_scores(o->recency, o->n, in->scores, 1, o->r_score, &tk, err) < 0 ||
        rfm_scores(o->frequency, o->n, in->scores, 0, o->f_score, &tk, err) < 0 ||
        rfm_scores(o->monetary, o->n, in->scores, 0, o->m_score, &tk, err) < 0) {
        rc = -1;
        goto out;
    }
    for (int i = 0; i < o->n; i++)
        o->segment[i] = rfm_segment((int)o->r_score[i], (int)o->f_score[i], in->scores);
out:
    free(block);
    free(seen);
    if (rc < 0)
        rfm_out_release(o);
    return rc;
}

static int
cmp_segment_row(const void *a, const void *b)
{
    const struct rfm_segment_row *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return strcmp(x->segment, y->segment);
}

int
rfm_segments(const struct rfm_out *o, struct rfm_segment_row **rows, int *n, struct qerr *err)
{
    /* sums of r_score and f_score ride in score until the division */
    double *f_sum = NULL;
    struct rfm_segment_row *r = NULL;
    int m = 0;
    *rows = NULL;
    *n = 0;
    /* at most one row per segment name; there are few, so a linear search */
    r = mem_calloc((size_t)(o->n ? o->n : 1), sizeof *r, "rfm", "segments", err);
    f_sum = mem_calloc((size_t)(o->n ? o->n : 1), sizeof *f_sum, "rfm", "segments", err);
    if (!r || !f_sum) {
        free(r);
        free(f_sum);
        return -1;
    }
    for (int i = 0; i < o->n; i++) {
        int s = 0;
        /* the names are rfm_segment's static strings: the same name, the same pointer */
        while (s < m && r[s].segment != o->segment[i] && strcmp(r[s].segment, o->segment[i]))
            s++;
        if (s == m)
            r[m++].segment = o->segment[i];
        r[s].customers++;
        r[s].recency += o->recency[i];
        r[s].frequency += o->frequency[i];
        r[s].monetary += o->monetary[i];
        r[s].score += o->r_score[i];
        f_sum[s] += o->f_score[i];
    }
    for (int s = 0; s < m; s++) {
        double c = r[s].customers;
        r[s].recency /= c;
        r[s].frequency /= c;
        r[s].monetary /= c;
        if (!isfinite(r[s].monetary)) { /* totals near 1e308 summed past it: mean of quotients */
            r[s].monetary = 0;
            for (int i = 0; i < o->n; i++)
                if (!strcmp(r[s].segment, o->segment[i]))
                    r[s].monetary += o->monetary[i] / c;
        }
        r[s].score = r[s].score / c + f_sum[s] / c;
    }
    free(f_sum);
    qsort(r, (size_t)m, sizeof *r, cmp_segment_row);
    *rows = r;
    *n = m;
    return 0;
}
