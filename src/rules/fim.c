/*
 * fim.c: the mining driver (rank the items, count the pairs for the
 * bound, run a miner, sort its itemsets), the closed and maximal
 * filters, and the index that finds an itemset by its items.
 */
#include "rules/fim.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/mem.h"
#include "rules/apriori.h"
#include "rules/eclat.h"
#include "rules/fpgrowth.h"
#include "base/banned.h"

/* Bytes a found itemset takes, about: offset, count, a few items. */
#define SET_BYTES (2 * sizeof(long long) + 3 * sizeof(int32_t))

/*
 * The frequent pairs of r, or -1 when there are too many items to count
 * them (-2 on an error); the counts stay in r->pairs for Eclat.
 */
static long long
count_pairs(struct fim_ranked *r, long long minsup, struct tick *t, struct qerr *err)
{
    long long n = r->n;
    if (n > FIM_PAIR_ITEMS || n < 2)
        return n < 2 ? 0 : -1;
    /* pair (i < j) at i * (2n - i - 1) / 2 + (j - i - 1) */
    size_t np = (size_t)(n * (n - 1) / 2);
    int32_t *c = mem_calloc(np, sizeof *c, "rules", "item pairs", err);
    if (!c)
        return -2;
    for (long long tr = 0; tr < r->n_trans; tr++) {
        if (tick_row(t, tr, r->n_trans)) {
            free(c);
            tick_fail(err);
            return -2;
        }
        const int32_t *it = r->items + r->off[tr];
        long long len = r->off[tr + 1] - r->off[tr];
        for (long long a = 0; a < len; a++) {
            long long i = it[a];
            int32_t *row = c + i * (2 * n - i - 1) / 2 - i - 1;
            for (long long b = a + 1; b < len; b++)
                row[it[b]]++;
        }
    }
    long long k = 0;
    for (size_t p = 0; p < np; p++)
        k += c[p] >= minsup;
    r->pairs = c;
    return k;
}

struct set_ref {
    const int32_t *items;
    int k;
    long long i;
};

static int
by_size_items(const void *a, const void *b)
{
    const struct set_ref *x = a, *y = b;
    if (x->k != y->k)
        return x->k < y->k ? -1 : 1;
    for (int i = 0; i < x->k; i++)
        if (x->items[i] != y->items[i])
            return x->items[i] < y->items[i] ? -1 : 1;
    return 0;
}

/* Put s's itemsets in order of size, then codes. */
static int
sort_sets(struct fim_sets *s, struct qerr *err)
{
    int rc = -1;
    struct set_ref *ref = mem_alloc((size_t)s->n + 1, sizeof *ref, "rules", "itemsets", err);
    int32_t *items = mem_alloc((size_t)s->off[s->n] + 1, sizeof *items, "rules", "itemsets",
                               err);
    long long *count = mem_alloc((size_t)s->n + 1, sizeof *count, "rules", "itemsets", err);
    if (!ref || !items || !count)
        goto out;
    for (long long i = 0; i < s->n; i++)
        ref[i] = (struct set_ref){s->items + s->off[i], fim_size(s, i), i};
    qsort(ref, (size_t)s->n, sizeof *ref, by_size_items);
    long long w = 0;
    for (long long i = 0; i < s->n; i++) {
        memcpy(items + w, ref[i].items, (size_t)ref[i].k * sizeof *items);
        count[i] = s->count[ref[i].i];
        s->off[i] = w;
        w += ref[i].k;
    }
    s->off[s->n] = w;
    free(s->items);
    free(s->count);
    s->items = items;
    s->count = count;
    s->cap_items = w + 1;
    s->cap = s->n + 1;
    items = NULL;
    count = NULL;
    rc = 0;
out:
    free(ref);
    free(items);
    free(count);
    return rc;
}

int
fim_mine(const struct fim_db *db, struct fim_opts *o, struct fim_sets *out, struct qerr *err)
{
    struct fim_ranked r;
    int rc = -1;
    o->n_levels = 0;
    if (fim_ranked_init(&r, db, o->minsup, o->tick, err) < 0)
        return -1;
    out->n_freq_items = r.n;
    out->n_freq_pairs = o->maxlen >= 2 ? count_pairs(&r, o->minsup, o->tick, err) : 0;
    if (out->n_freq_pairs < -1)
        goto out;
    if (o->method != FIM_ECLAT && o->method != FIM_DECLAT) {
        free(r.pairs); /* only Eclat uses them */
        r.pairs = NULL;
    }
    long long bound = r.n + (out->n_freq_pairs > 0 ? out->n_freq_pairs : 0);
    if (o->limit > 0 && bound > o->limit) {
        qerr_set(err, QE_ARG,
                 "at least %lld frequent itemsets at minsup=%lld of %lld transactions "
                 "(%d items and %lld pairs), over the limit of %lld",
                 bound, o->minsup, r.n_trans, r.n, out->n_freq_pairs, o->limit);
        goto out;
    }
    if (mem_budget_fits((size_t)bound, SET_BYTES, "rules", "frequent itemsets", err) < 0)
        goto out;
    struct fim_emit e = {.r = &r, .o = o, .out = out};
    if (o->method == FIM_APRIORI)
        rc = apriori_mine(&r, o, &e, err);
    else if (o->method == FIM_ECLAT || o->method == FIM_DECLAT)
        rc = eclat_mine(&r, o, &e, o->method == FIM_DECLAT, err);
    else
        rc = fpgrowth_mine(&r, o, &e, err);
    if (rc == 0 && out->n == 0 && !out->off) {
        out->off = mem_calloc(1, sizeof *out->off, "rules", "itemsets", err);
        rc = out->off ? 0 : -1;
    }
    if (rc == 0)
        rc = sort_sets(out, err);
out:
    if (rc < 0 && err->code == QE_ARG)
        qerr_hint(err, "raise minsup or lower maxlen (maxlen=%d now), or say force=yes",
                  o->maxlen);
    fim_ranked_release(&r);
    return rc;
}

/* --- the index ------------------------------------------------------------------- */

static uint64_t
set_hash(const int32_t *items, int k)
{
    uint64_t h = 0x9e3779b97f4a7c15ull ^ (uint64_t)k;
    for (int i = 0; i < k; i++)
        h = (h ^ (uint32_t)items[i]) * 0x100000001b3ull + (h >> 29);
    return h;
}

int
fim_index_init(struct fim_index *ix, const struct fim_sets *s, struct qerr *err)
{
    ix->s = s;
    ix->cap = 16;
    while (ix->cap < 2 * s->n)
        ix->cap *= 2;
    ix->slot = mem_alloc((size_t)ix->cap, sizeof *ix->slot, "rules", "itemset index", err);
    if (!ix->slot)
        return -1;
    memset(ix->slot, 0xff, (size_t)ix->cap * sizeof *ix->slot);
    for (long long i = 0; i < s->n; i++) {
        uint64_t h = set_hash(s->items + s->off[i], fim_size(s, i)) & (uint64_t)(ix->cap - 1);
        while (ix->slot[h] >= 0)
            h = (h + 1) & (uint64_t)(ix->cap - 1);
        ix->slot[h] = i;
    }
    return 0;
}

long long
fim_index_find(const struct fim_index *ix, const int32_t *items, int k)
{
    const struct fim_sets *s = ix->s;
    uint64_t h = set_hash(items, k) & (uint64_t)(ix->cap - 1);
    for (; ix->slot[h] >= 0; h = (h + 1) & (uint64_t)(ix->cap - 1)) {
        long long i = ix->slot[h];
        if (fim_size(s, i) == k &&
            memcmp(s->items + s->off[i], items, (size_t)k * sizeof *items) == 0)
            return i;
    }
    return -1;
}

void
fim_index_release(struct fim_index *ix)
{
    free(ix->slot);
    memset(ix, 0, sizeof *ix);
}

/* --- closed and maximal ------------------------------------------------------------ */

int
fim_filter(const struct fim_sets *s, enum fim_filter which, unsigned char *keep,
           struct qerr *err)
{
    memset(keep, 1, (size_t)s->n);
    if (which == FIM_ALL)
        return 0;
    struct fim_index ix;
    if (fim_index_init(&ix, s, err) < 0)
        return -1;
    int32_t sub[64];
    for (long long i = 0; i < s->n; i++) {
        int k = fim_size(s, i);
        if (k < 2)
            continue;
        const int32_t *it = s->items + s->off[i];
        for (int drop = 0; drop < k; drop++) {
            int w = 0;
            for (int j = 0; j < k; j++)
                if (j != drop)
                    sub[w++] = it[j];
            long long p = fim_index_find(&ix, sub, k - 1);
            if (p < 0)
                continue; /* cannot happen: every subset of a frequent set is frequent */
            if (which == FIM_MAXIMAL || s->count[p] == s->count[i])
                keep[p] = 0;
        }
    }
    fim_index_release(&ix);
    return 0;
}

void
fim_sets_release(struct fim_sets *s)
{
    free(s->off);
    free(s->items);
    free(s->count);
    memset(s, 0, sizeof *s);
}
