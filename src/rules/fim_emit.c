/*
 * fim_emit.c: the ranked database the miners share and the recording of
 * each frequent itemset they find.
 */
#include "rules/fim_emit.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/mem.h"
#include "base/banned.h"

struct rank_item {
    long long support;
    int32_t code;
};

static int
by_support(const void *a, const void *b)
{
    const struct rank_item *x = a, *y = b;
    if (x->support != y->support)
        return x->support > y->support ? -1 : 1;
    return (x->code > y->code) - (x->code < y->code);
}

int
fim_ranked_init(struct fim_ranked *r, const struct fim_db *db, long long minsup,
                struct tick *t, struct qerr *err)
{
    int rc = -1, ni = db->n_items;
    memset(r, 0, sizeof *r);
    long long *sup = mem_calloc((size_t)ni + 1, sizeof *sup, "rules", "items", err);
    int32_t *rank = mem_alloc((size_t)ni + 1, sizeof *rank, "rules", "items", err);
    struct rank_item *ri = mem_alloc((size_t)ni + 1, sizeof *ri, "rules", "items", err);
    if (!sup || !rank || !ri)
        goto out;
    long long total = db->off[db->n_trans];
    for (long long i = 0; i < total; i++)
        sup[db->items[i]]++;
    int n = 0;
    for (int c = 0; c < ni; c++)
        if (sup[c] >= minsup)
            ri[n++] = (struct rank_item){sup[c], c};
    qsort(ri, (size_t)n, sizeof *ri, by_support);
    for (int c = 0; c < ni; c++)
        rank[c] = -1;
    r->n = n;
    r->n_all = ni;
    r->n_trans = db->n_trans;
    r->rank_code = mem_alloc((size_t)n + 1, sizeof *r->rank_code, "rules", "items", err);
    r->support = mem_alloc((size_t)n + 1, sizeof *r->support, "rules", "items", err);
    r->off = mem_alloc((size_t)db->n_trans + 1, sizeof *r->off, "rules", "transactions", err);
    if (!r->rank_code || !r->support || !r->off)
        goto out;
    long long kept = 0;
    for (int i = 0; i < n; i++) {
        r->rank_code[i] = ri[i].code;
        r->support[i] = ri[i].support;
        rank[ri[i].code] = i;
        kept += ri[i].support;
    }
    r->items = mem_alloc((size_t)kept + 1, sizeof *r->items, "rules", "items", err);
    if (!r->items)
        goto out;
    long long w = 0;
    for (long long tr = 0; tr < db->n_trans; tr++) {
        if (tick_row(t, tr, db->n_trans)) {
            tick_fail(err);
            goto out;
        }
        r->off[tr] = w;
        for (long long i = db->off[tr]; i < db->off[tr + 1]; i++)
            if (rank[db->items[i]] >= 0)
                r->items[w++] = rank[db->items[i]];
        fim_sort_i32(r->items + r->off[tr], w - r->off[tr]);
    }
    r->off[db->n_trans] = w;
    rc = 0;
out:
    free(sup);
    free(rank);
    free(ri);
    if (rc < 0)
        fim_ranked_release(r);
    return rc;
}

void
fim_ranked_release(struct fim_ranked *r)
{
    free(r->rank_code);
    free(r->support);
    free(r->off);
    free(r->items);
    free(r->pairs);
    memset(r, 0, sizeof *r);
}

int
fim_emit_set(struct fim_emit *e, const int32_t *ranks, int k, long long count,
             struct qerr *err)
{
    struct fim_sets *s = e->out;
    if (e->o->limit > 0 && s->n >= e->o->limit)
        return qerr_set(err, QE_ARG,
                        "more than %lld frequent itemsets at minsup=%lld of %lld "
                        "transactions (counting stopped there)",
                        e->o->limit, e->o->minsup, e->r->n_trans);
    if (s->n + 1 >= s->cap) {
        long long cap = s->cap ? 2 * s->cap : 1024;
        long long *o = mem_realloc(s->off, (size_t)cap + 1, sizeof *o, "rules", "itemsets",
                                   err);
        if (!o)
            return -1;
        s->off = o;
        long long *c = mem_realloc(s->count, (size_t)cap, sizeof *c, "rules", "itemsets", err);
        if (!c)
            return -1;
        s->count = c;
        if (s->cap == 0)
            s->off[0] = 0;
        s->cap = cap;
    }
    long long at = s->off[s->n];
    if (at + k > s->cap_items) {
        long long cap = s->cap_items ? 2 * s->cap_items : 4096;
        while (cap < at + k)
            cap *= 2;
        int32_t *it = mem_realloc(s->items, (size_t)cap, sizeof *it, "rules", "itemsets", err);
        if (!it)
            return -1;
        s->items = it;
        s->cap_items = cap;
    }
    int32_t *d = s->items + at;
    for (int i = 0; i < k; i++) { /* insertion sort by code: k is small */
        int32_t c = e->r->rank_code[ranks[i]];
        int j = i;
        for (; j > 0 && d[j - 1] > c; j--)
            d[j] = d[j - 1];
        d[j] = c;
    }
    s->count[s->n] = count;
    s->off[++s->n] = at + k;
    return 0;
}
