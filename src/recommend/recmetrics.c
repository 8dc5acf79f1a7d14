/*
 * recmetrics.c: the hold-out split and the top-N metrics (recmetrics.h).
 */
#include "recommend/recmetrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/rng.h"

#include "base/banned.h"

/* A pair of one user: its time, its last row, and whether it is held out. */
struct pair {
    double time;
    long long row;
};

/* pair a is later than pair b: a later time, or the same time and a later row */
static int
later(const struct pair *a, const struct pair *b)
{
    if (a->time != b->time)
        return a->time > b->time;
    return a->row > b->row;
}

static int
cmp_later_first(const void *x, const void *y)
{
    const struct pair *a = *(const struct pair *const *)x, *b = *(const struct pair *const *)y;
    return later(a, b) ? -1 : later(b, a) ? 1 : 0;
}

/* Index of item i in u's sorted list of m. */
static long long
pair_at(const struct recmat *m, int u, int i)
{
    long long lo = m->uptr[u], hi = m->uptr[u + 1];
    while (lo < hi) {
        long long mid = lo + (hi - lo) / 2;
        if (m->uitem[mid] < i)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Mark the h pairs of user u to hold out in test[] (positions in all's uitem). */
static int
choose(const struct recmat *all, int u, int h, int random, struct pair *pr, struct rng *rng,
       unsigned char *test, struct qerr *err)
{
    long long a = all->uptr[u], d = all->uptr[u + 1] - a;
    if (random) {
        /* partial Fisher-Yates over the positions */
        long long *pos = mem_alloc((size_t)d, sizeof *pos, "evalrec", "items", err);
        if (!pos)
            return -1;
        for (long long k = 0; k < d; k++)
            pos[k] = a + k;
        for (int k = 0; k < h; k++) {
            long long j = k + (long long)rng_below(rng, (uint64_t)(d - k));
            long long tmp = pos[k];
            pos[k] = pos[j];
            pos[j] = tmp;
            test[pos[k]] = 1;
        }
        free(pos);
        return 0;
    }
    const struct pair **ord = mem_alloc((size_t)d, sizeof *ord, "evalrec", "items", err);
    if (!ord)
        return -1;
    for (long long k = 0; k < d; k++)
        ord[k] = &pr[a + k];
    qsort(ord, (size_t)d, sizeof *ord, cmp_later_first);
    for (int k = 0; k < h; k++)
        test[ord[k] - pr] = 1;
    free(ord);
    return 0;
}

int
rec_holdout(const int32_t *user, const int32_t *item, const double *time, long long n_rows,
            int n_users, int n_items, double share, uint64_t seed, struct recmat *train,
            struct recmat *test, struct tick *t, struct qerr *err)
{
    struct recmat all = {0};
    struct pair *pr = NULL;
    int32_t *pu = NULL;
    unsigned char *held = NULL, *kept = NULL;
    int rc = -1;
    memset(train, 0, sizeof *train);
    memset(test, 0, sizeof *test);
    if (recmat_build(&all, user, item, n_rows, n_users, n_items, NULL, t, err) < 0)
        goto out;
    pr = mem_alloc((size_t)all.nnz, sizeof *pr, "evalrec", "user-item pairs", err);
    pu = mem_alloc((size_t)all.nnz, sizeof *pu, "evalrec", "user-item pairs", err);
    held = mem_calloc((size_t)all.nnz, 1, "evalrec", "user-item pairs", err);
    kept = mem_alloc((size_t)all.nnz, 1, "evalrec", "user-item pairs", err);
    if (!pr || !pu || !held || !kept)
        goto out;
    for (long long k = 0; k < all.nnz; k++)
        pr[k] = (struct pair){-INFINITY, -1};
    for (long long r = 0; r < n_rows; r++) {
        if (tick_row(t, r, n_rows)) {
            tick_fail(err);
            goto out;
        }
        if (user[r] < 0 || item[r] < 0)
            continue;
        struct pair *p = &pr[pair_at(&all, user[r], item[r])];
        double tr = time && !isnan(time[r]) ? time[r] : -INFINITY;
        if (tr > p->time || (tr == p->time && r > p->row))
            *p = (struct pair){tr, r};
    }
    struct rng rng;
    rng_init(&rng, seed);
    for (int u = 0; u < n_users; u++) {
        long long d = all.uptr[u + 1] - all.uptr[u];
        for (long long k = all.uptr[u]; k < all.uptr[u + 1]; k++)
            pu[k] = u;
        if (d < 2)
            continue;
        long long h = 1;
        if (share > 0) {
            h = (long long)floor(share * (double)d + 0.5);
            h = h < 1 ? 1 : h > d - 1 ? d - 1 : h;
        }
        if (choose(&all, u, (int)h, share > 0 && !time, pr, &rng, held, err) < 0)
            goto out;
    }
    for (long long k = 0; k < all.nnz; k++)
        kept[k] = !held[k];
    if (recmat_build(train, pu, all.uitem, all.nnz, n_users, n_items, kept, t, err) < 0 ||
        recmat_build(test, pu, all.uitem, all.nnz, n_users, n_items, held, t, err) < 0)
        goto out;
    rc = 0;
out:
    if (rc < 0) {
        recmat_release(train);
        recmat_release(test);
    }
    recmat_release(&all);
    free(pr);
    free(pu);
    free(held);
    free(kept);
    return rc;
}

/*
 * Pairs recur across lists (popular items are in most of them), so with
 * few items every cosine is computed once into a dense items x items
 * cache (NaN = not yet); with many, each pair is merged afresh.
 */
#define COS_CACHE_ITEMS 2048

static double
cached_cosine(const struct recmat *m, double *cache, int i, int j)
{
    if (!cache)
        return recmat_cosine(m, i, j);
    double *c = &cache[(long long)(i < j ? i : j) * m->n_items + (i < j ? j : i)];
    if (isnan(*c))
        *c = recmat_cosine(m, i, j);
    return *c;
}

int
rec_evaluate(const struct rec_lists *l, const struct recmat *test, const struct recmat *train,
             int n_catalogue, struct rec_metrics *out, struct tick *t, struct qerr *err)
{
    memset(out, 0, sizeof *out);
    unsigned char *shown = mem_calloc((size_t)(n_catalogue > 0 ? n_catalogue : 1), 1,
                                      "evalrec", "items", err);
    if (!shown)
        return -1;
    double *cache = NULL;
    if (train->n_items <= COS_CACHE_ITEMS) {
        size_t cells = mem_mul((size_t)train->n_items, (size_t)train->n_items);
        cache = mem_alloc(cells ? cells : 1, sizeof *cache, "evalrec", "item pairs", err);
        if (!cache) {
            free(shown);
            return -1;
        }
        for (size_t k = 0; k < cells; k++)
            cache[k] = NAN;
    }
    double sp = 0, sr = 0, sh = 0, sap = 0, sdiv = 0;
    int n = l->n, nu = 0, ndiv = 0;
    long long n_shown = 0;
    for (int u = 0; u < l->n_users; u++) {
        if (tick(t, (double)u / l->n_users)) {
            free(shown);
            free(cache);
            return tick_fail(err);
        }
        long long nt = test->uptr[u + 1] - test->uptr[u];
        if (nt == 0)
            continue;
        nu++;
        const int32_t *li = l->item + (long long)u * n;
        int len = rec_list_len(l, u), hits = 0;
        double ap = 0;
        for (int k = 0; k < len; k++) {
            if (!shown[li[k]]) {
                shown[li[k]] = 1;
                n_shown++;
            }
            if (recmat_has(test, u, li[k])) {
                hits++;
                ap += (double)hits / (k + 1);
            }
        }
        sp += (double)hits / n;
        sr += (double)hits / (double)nt;
        sh += hits > 0;
        sap += ap / (double)(nt < n ? nt : n);
        if (len >= 2) {
            double sc = 0;
            for (int a = 0; a < len; a++)
                for (int b = a + 1; b < len; b++)
                    sc += cached_cosine(train, cache, li[a], li[b]);
            sdiv += 1 - sc / (len * (len - 1) / 2.0);
            ndiv++;
        }
    }
    free(shown);
    free(cache);
    if (nu == 0)
        return qerr_set(err, QE_DATA, "no user holds out an item: every user has a single "
                        "item, so there is nothing to evaluate against");
    out->n_users = nu;
    out->precision = sp / nu;
    out->recall = sr / nu;
    out->hit_rate = sh / nu;
    out->map = sap / nu;
    out->coverage = n_catalogue > 0 ? (double)n_shown / n_catalogue : 0;
    out->diversity = ndiv ? sdiv / ndiv : NAN;
    out->n_div_lists = ndiv;
    return 0;
}
