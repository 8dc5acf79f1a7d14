/*
 * assoc.c: rules from itemsets: every antecedent of each itemset as a bit
 * mask, the counts of both sides found in the itemset index, the five
 * measures, the thresholds, and the order.
 */
#include "rules/assoc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/banned.h"

int
assoc_side(const struct fim_sets *s, const struct assoc_rule *r, int want_ante, int32_t *items)
{
    const int32_t *it = s->items + s->off[r->set];
    int k = fim_size(s, r->set), n = 0;
    for (int i = 0; i < k; i++)
        if (((r->ante >> i) & 1u) == (unsigned)want_ante)
            items[n++] = it[i];
    return n;
}

static int
by_lift(const void *a, const void *b)
{
    const struct assoc_rule *x = a, *y = b;
    if (x->lift != y->lift)
        return x->lift > y->lift ? -1 : 1;
    if (x->confidence != y->confidence)
        return x->confidence > y->confidence ? -1 : 1;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    if (x->set != y->set)
        return x->set < y->set ? -1 : 1;
    return (x->ante > y->ante) - (x->ante < y->ante);
}

int
assoc_rules(const struct fim_sets *s, long long n_trans, const struct assoc_opts *o,
            struct assoc_rule **out, long long *n_out, struct qerr *err)
{
    struct fim_index ix = {0};
    struct assoc_rule *r = NULL;
    int rc = -1;
    long long splits = 0, n = 0;
    *out = NULL;
    *n_out = 0;
    for (long long i = 0; i < s->n; i++) {
        int k = fim_size(s, i);
        if (k >= 2 && (!o->keep || o->keep[i]))
            splits += o->target >= 0 ? 1 : (1LL << k) - 2;
    }
    if (mem_budget_fits((size_t)splits, sizeof *r, "rules", "rules", err) < 0)
        return -1;
    r = mem_alloc((size_t)splits + 1, sizeof *r, "rules", "rules", err);
    if (!r || fim_index_init(&ix, s, err) < 0)
        goto out;
    int32_t a[32], c[32];
    double N = (double)n_trans;
    for (long long i = 0; i < s->n; i++) {
        int k = fim_size(s, i);
        if (k < 2 || (o->keep && !o->keep[i]))
            continue;
        if (tick_row(o->tick, i, s->n)) {
            tick_fail(err);
            goto out;
        }
        const int32_t *it = s->items + s->off[i];
        uint32_t full = (uint32_t)((1ULL << k) - 1), m0 = 1, m1 = full - 1;
        if (o->target >= 0) {
            int at = -1;
            for (int j = 0; j < k; j++)
                if (it[j] == o->target)
                    at = j;
            if (at < 0)
                continue;
            m0 = m1 = full & ~(1u << at);
        }
        for (uint32_t m = m0; m <= m1; m++) {
            struct assoc_rule x = {.set = i, .ante = m, .count = s->count[i]};
            int na = assoc_side(s, &x, 1, a), nc = assoc_side(s, &x, 0, c);
            long long pa = fim_index_find(&ix, a, na), pc = fim_index_find(&ix, c, nc);
            if (pa < 0 || pc < 0)
                continue; /* not from fim_mine: a subset is missing */
            x.ante_count = s->count[pa];
            x.cons_count = s->count[pc];
            x.support = (double)x.count / N;
            x.confidence = (double)x.count / (double)x.ante_count;
            x.lift = (double)x.count * N / ((double)x.ante_count * (double)x.cons_count);
            x.leverage = x.support - ((double)x.ante_count / N) * ((double)x.cons_count / N);
            x.conviction = x.count == x.ante_count
                               ? NAN
                               : (N - (double)x.cons_count) * (double)x.ante_count /
                                     (N * (double)(x.ante_count - x.count));
            if (x.confidence >= o->minconf && (o->minlift <= 0 || x.lift >= o->minlift))
                r[n++] = x;
        }
    }
    qsort(r, (size_t)n, sizeof *r, by_lift);
    *out = r;
    *n_out = n;
    r = NULL;
    rc = 0;
out:
    fim_index_release(&ix);
    free(r);
    return rc;
}
