/*
 * split.c: parts and random subsets of rows (split.h).
 */
#include "prep/split.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/rng.h"
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

void
split_apportion(long long total, const double *ratio, int n, long long *out)
{
    double share[SPLIT_MAX_PARTS];
    for (int i = 0; i < n; i++)
        share[i] = (double)total * ratio[i];
    largest_remainder(share, n, total, out);
}

/* Label rows idx[0..m) in order: the first share to part 0, and so on. */
static void
cut(const long long *idx, long long m, const double *ratio, int n_parts, signed char *part)
{
    long long cnt[SPLIT_MAX_PARTS], i = 0;
    split_apportion(m, ratio, n_parts, cnt);
    for (int p = 0; p < n_parts; p++)
        for (long long c = 0; c < cnt[p]; c++)
            part[idx[i++]] = (signed char)p;
}

int
split_random(long long n, const int32_t *strata, int n_strata, const double *ratio,
             int n_parts, uint64_t seed, signed char *part, struct qerr *err)
{
    long long *idx = mem_alloc((size_t)n, sizeof(long long), "split", "rows", err);
    if (!idx)
        return -1;
    struct rng rng;
    rng_init(&rng, seed);
    /* Each stratum (one without strata; missing keys form their own) apart. */
    for (int g = strata ? -1 : 0; g < (strata ? n_strata : 1); g++) {
        long long m = 0;
        for (long long r = 0; r < n; r++)
            if (!strata || strata[r] == g)
                idx[m++] = r;
        for (long long i = m - 1; i > 0; i--) {
            long long j = (long long)rng_below(&rng, (uint64_t)i + 1);
            long long t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        cut(idx, m, ratio, n_parts, part);
    }
    free(idx);
    return 0;
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
split_ordered(const struct frame *f, int j, const double *ratio, int n_parts, signed char *part,
              struct qerr *err)
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
    /* Text (ISO dates) orders by its sorted levels, numbers by value. */
    if (L > 0 && groups_level_order(f->levels[j], L, ord, rank, err) < 0)
        goto out;
    const double *x = f->kind[j] == FRAME_TEXT ? NULL : frame_col(f, j);
    for (long long r = 0; r < n; r++)
        k[r] = (struct keyed){x ? x[r] : rank[f->code[j][r]], r};
    qsort(k, (size_t)n, sizeof *k, cmp_keyed);
    for (long long r = 0; r < n; r++)
        idx[r] = k[r].row;
    cut(idx, n, ratio, n_parts, part);
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
             unsigned char *keep, struct qerr *err)
{
    int n_g = strata ? n_strata + 1 : 1; /* group 0: missing keys */
    long long *idx = mem_alloc((size_t)n, sizeof *idx, "sample", "rows", err);
    long long *size = idx ? mem_calloc((size_t)n_g, sizeof *size, "sample", "strata", err) : NULL;
    long long *take = size ? mem_calloc((size_t)n_g, sizeof *take, "sample", "strata", err) : NULL;
    double *share = take ? mem_calloc((size_t)n_g, sizeof *share, "sample", "strata", err) : NULL;
    if (!share) {
        free(idx);
        free(size);
        free(take);
        return -1;
    }
    memset(keep, 0, (size_t)n);
    for (long long r = 0; r < n; r++)
        size[strata ? strata[r] + 1 : 0]++;
    /* Proportional allocation: the groups' shares of want, by largest remainder. */
    for (int g = 0; g < n_g; g++)
        share[g] = n ? (double)want * (double)size[g] / (double)n : 0;
    largest_remainder(share, n_g, want, take);
    struct rng rng;
    rng_init(&rng, seed);
    for (int g = 0; g < n_g; g++) {
        long long m = 0;
        for (long long r = 0; r < n; r++)
            if ((strata ? strata[r] + 1 : 0) == g)
                idx[m++] = r;
        /* A partial Fisher-Yates shuffle draws take[g] of the m rows. */
        for (long long i = 0; i < take[g] && i < m; i++) {
            long long j = i + (long long)rng_below(&rng, (uint64_t)(m - i));
            long long t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
            keep[idx[i]] = 1;
        }
    }
    free(idx);
    free(size);
    free(take);
    free(share);
    return 0;
}
