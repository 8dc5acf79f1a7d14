/*
 * split.c: parts and random subsets of rows (split.h).
 */
#include "prep/split.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/rng.h"
#include "base/tick.h"
#include "prep/groups.h"
#include "base/banned.h"

/*
 * out[i] = floor(share[i]), then one more for the largest remainders (the
 * first of equal ones) until the parts sum to total; share is used up.
 */
static void
largest_remainder(double *share, int n, long long total, long long *out)
{
    long long given = 0;
    for (int i = 0; i < n; i++) {
        out[i] = (long long)floor(share[i]);
        share[i] -= (double)out[i];
        given += out[i];
    }
    while (given < total) {
        int best = 0;
        for (int i = 1; i < n; i++)
            if (share[i] > share[best])
                best = i;
        out[best]++;
        share[best] = -1;
        given++;
    }
}

struct remainder {
    double r;
    int i;
};

/* Larger remainders first; the first of equal ones first (as largest_remainder picks). */
static int
cmp_remainder(const void *a, const void *b)
{
    const struct remainder *x = a, *y = b;
    if (x->r != y->r)
        return x->r > y->r ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/*
 * largest_remainder for many groups (strata): each group gets at most one
 * more (the remainders are below 1, and so is their shortfall per group),
 * so the extra ones go to the first total - given groups in order of
 * remainder: a sort, not a search per unit. -1 with err set when t stops
 * it or the sort's buffer does not fit.
 */
static int
largest_remainder_many(double *share, int n, long long total, long long *out, struct tick *t,
                       const char *who, struct qerr *err)
{
    struct remainder *r = mem_alloc((size_t)(n > 0 ? n : 1), sizeof *r, who, "strata", err);
    if (!r)
        return -1;
    long long given = 0;
    for (int i = 0; i < n; i++) {
        out[i] = (long long)floor(share[i]);
        r[i] = (struct remainder){share[i] - (double)out[i], i};
        given += out[i];
    }
    if (tick_sort(r, (size_t)n, sizeof *r, cmp_remainder, t, who, err) < 0) {
        free(r);
        return -1;
    }
    for (int k = 0; given < total && k < n; k++, given++)
        out[r[k].i]++;
    free(r);
    return 0;
}

void
split_apportion(long long total, const double *ratio, int n, long long *out)
{
    double share[SPLIT_MAX_PARTS];
    for (int i = 0; i < n; i++)
        share[i] = (double)total * ratio[i];
    largest_remainder(share, n, total, out);
}

/*
 * Label rows idx[0..m) in order: the first share to part 0, and so on.
 * Nonzero when t stops it.
 */
static int
cut(const long long *idx, long long m, const double *ratio, int n_parts, signed char *part,
    struct tick *t)
{
    long long cnt[SPLIT_MAX_PARTS], i = 0;
    split_apportion(m, ratio, n_parts, cnt);
    for (int p = 0; p < n_parts; p++)
        for (long long c = 0; c < cnt[p]; c++) {
            if (tick_row(t, i, m))
                return 1;
            part[idx[i++]] = (signed char)p;
        }
    return 0;
}

/*
 * The rows of each group, in row order, one group after another: group g
 * (0 .. n_g - 1, group[r] + shift for row r, or 0 for every row when group
 * is NULL) is idx[first[g] .. first[g + 1]) (first: n_g + 1 slots). A
 * counting sort: one pass to count, one to place, however many groups.
 */
static int
bucket(long long n, const int32_t *group, int shift, int n_g, long long *idx, long long *first,
       struct tick *t)
{
    memset(first, 0, (size_t)(n_g + 1) * sizeof *first);
    for (long long r = 0; r < n; r++) {
        if (tick_row(t, r, 2 * n))
            return -1;
        first[(group ? group[r] + shift : 0) + 1]++;
    }
    for (int g = 0; g < n_g; g++)
        first[g + 1] += first[g];
    for (long long r = 0; r < n; r++) {
        if (tick_row(t, n + r, 2 * n))
            return -1;
        idx[first[group ? group[r] + shift : 0]++] = r;
    }
    /* placing moved each first[g] to the start of group g + 1: move them back */
    for (int g = n_g; g > 0; g--)
        first[g] = first[g - 1];
    first[0] = 0;
    return 0;
}

int
split_random(long long n, const int32_t *strata, int n_strata, const double *ratio,
             int n_parts, uint64_t seed, int (*progress)(void *, double), void *pctx,
             signed char *part, struct qerr *err)
{
    /* Each stratum (one without strata; missing keys, -1, form their own) apart. */
    int n_g = strata ? n_strata + 1 : 1, rc = -1;
    long long *idx = mem_alloc((size_t)n, sizeof(long long), "split", "rows", err);
    long long *first = idx ? mem_alloc((size_t)n_g + 1, sizeof *first, "split", "strata", err)
                           : NULL;
    struct tick tk;
    tick_init(&tk, progress, pctx);
    if (!first)
        goto out;
    if (bucket(n, strata, 1, n_g, idx, first, &tk) < 0)
        goto cancel;
    struct rng rng;
    rng_init(&rng, seed);
    for (int g = 0; g < n_g; g++) {
        long long *s = idx + first[g], m = first[g + 1] - first[g];
        for (long long i = m - 1; i > 0; i--) {
            if (tick_row(&tk, i, m))
                goto cancel;
            long long j = (long long)rng_below(&rng, (uint64_t)i + 1);
            long long t = s[i];
            s[i] = s[j];
            s[j] = t;
        }
        if (cut(s, m, ratio, n_parts, part, &tk))
            goto cancel;
    }
    rc = 0;
    goto out;
cancel:
    tick_fail(err);
out:
    free(idx);
    free(first);
    return rc;
}

struct keyed {
    double key;
    long long row;
};

static int
cmp_keyed(const void *a, const void *b)
{
    const struct keyed *p = a, *q = b;
    if (p->key != q->key)
        return (p->key > q->key) - (p->key < q->key);
    return (p->row > q->row) - (p->row < q->row);
}

int
split_ordered(const struct frame *f, int j, const double *ratio, int n_parts,
              int (*progress)(void *, double), void *pctx, signed char *part, struct qerr *err)
{
    long long n = f->n_rows;
    if (f->n_missing[j])
        return qerr_set(err, QE_ARG, "%lld rows have no value in '%s' to order them by",
                        f->n_missing[j], f->names[j]);
    int L = f->kind[j] == FRAME_TEXT ? f->n_levels[j] : 0;
    struct keyed *k = NULL;
    long long *idx = NULL;
    int *ord = NULL, *rank = NULL, rc = -1;
    if (!(k = mem_alloc((size_t)n, sizeof *k, "split", "rows", err)) ||
        !(idx = mem_alloc((size_t)n, sizeof *idx, "split", "rows", err)) ||
        !(ord = mem_alloc((size_t)L, sizeof *ord, "split", "categories", err)) ||
        !(rank = mem_alloc((size_t)L, sizeof *rank, "split", "categories", err)))
        goto out;
    struct tick tk;
    tick_init(&tk, progress, pctx);
    /* Text (ISO dates) orders by its sorted levels, numbers by value. */
    if (L > 0 && groups_level_order(f->levels[j], L, ord, rank, &tk, err) < 0)
        goto out;
    const double *x = f->kind[j] == FRAME_TEXT ? NULL : frame_col(f, j);
    for (long long r = 0; r < n; r++) {
        /* fresh memory: the first touch of its pages costs as much as the work */
        if (tick_row(&tk, r, n)) {
            tick_fail(err);
            goto out;
        }
        k[r] = (struct keyed){x ? x[r] : rank[f->code[j][r]], r};
    }
    if (tick_sort(k, (size_t)n, sizeof *k, cmp_keyed, &tk, "split", err) < 0)
        goto out;
    for (long long r = 0; r < n; r++) {
        if (tick_row(&tk, r, n)) {
            tick_fail(err);
            goto out;
        }
        idx[r] = k[r].row;
    }
    if (cut(idx, n, ratio, n_parts, part, &tk)) {
        tick_fail(err);
        goto out;
    }
    rc = 0;
out:
    free(k);
    free(idx);
    free(ord);
    free(rank);
    return rc;
}

int
split_sample(long long n, const int32_t *strata, int n_strata, long long want, uint64_t seed,
             int (*progress)(void *, double), void *pctx, unsigned char *keep, struct qerr *err)
{
    int n_g = strata ? n_strata + 1 : 1; /* group 0: missing keys */
    int rc = -1;
    long long *idx = mem_alloc((size_t)n, sizeof *idx, "sample", "rows", err);
    long long *first = idx ? mem_alloc((size_t)n_g + 1, sizeof *first, "sample", "strata", err)
                           : NULL;
    long long *take = first ? mem_calloc((size_t)n_g, sizeof *take, "sample", "strata", err)
                            : NULL;
    double *share = take ? mem_calloc((size_t)n_g, sizeof *share, "sample", "strata", err) : NULL;
    struct tick tk;
    tick_init(&tk, progress, pctx);
    if (!share)
        goto out;
    memset(keep, 0, (size_t)n);
    if (bucket(n, strata, 1, n_g, idx, first, &tk) < 0)
        goto cancel;
    /* Proportional allocation: the groups' shares of want, by largest remainder. */
    for (int g = 0; g < n_g; g++)
        share[g] = n ? (double)want * (double)(first[g + 1] - first[g]) / (double)n : 0;
    if (largest_remainder_many(share, n_g, want, take, &tk, "sample", err) < 0)
        goto out;
    struct rng rng;
    rng_init(&rng, seed);
    for (int g = 0; g < n_g; g++) {
        long long *s = idx + first[g], m = first[g + 1] - first[g];
        /* A partial Fisher-Yates shuffle draws take[g] of the m rows. */
        for (long long i = 0; i < take[g] && i < m; i++) {
            if (tick_row(&tk, i, take[g]))
                goto cancel;
            long long j = i + (long long)rng_below(&rng, (uint64_t)(m - i));
            long long t = s[i];
            s[i] = s[j];
            s[j] = t;
            keep[s[i]] = 1;
        }
    }
    rc = 0;
    goto out;
cancel:
    tick_fail(err);
out:
    free(idx);
    free(first);
    free(take);
    free(share);
    return rc;
}
