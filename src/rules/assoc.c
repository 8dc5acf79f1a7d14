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

/* The rules found so far, and what making one needs. */
struct gen {
    const struct fim_sets *s;
    const struct fim_index *ix;
    const struct assoc_opts *o;
    double N;
    struct assoc_rule *r;
    long long n, cap;
    uint32_t *h, *c;      /* consequent masks: this level's, the next level's candidates */
    long long cap_h, cap_c;
    struct qerr *err;
};

/* Room for n masks in *m (capacity *cap). */
static int
mask_room(uint32_t **m, long long *cap, long long n, struct qerr *err)
{
    if (n <= *cap)
        return 0;
    long long want = *cap ? *cap : 64;
    while (want < n)
        want *= 2;
    uint32_t *p = mem_realloc(*m, (size_t)want, sizeof *p, "rules", "rule heads", err);
    if (!p)
        return -1;
    *m = p;
    *cap = want;
    return 0;
}

/*
 * The rule of itemset i (its k items it) whose antecedent is the items of
 * mask ante: appended when it passes both thresholds. *pass says whether
 * its confidence reaches minconf, which decides whether larger
 * consequents are worth trying. -1 only when out of memory.
 */
static int
try_split(struct gen *g, long long i, const int32_t *it, int k, uint32_t ante, int *pass)
{
    int32_t a[32], c[32];
    int na = 0, nc = 0;
    *pass = 0;
    for (int j = 0; j < k; j++)
        if ((ante >> j) & 1u)
            a[na++] = it[j];
        else
            c[nc++] = it[j];
    long long pa = fim_index_find(g->ix, a, na);
    if (pa < 0)
        return 0; /* not from fim_mine: a subset is missing */
    const struct fim_sets *s = g->s;
    struct assoc_rule x = {.set = i, .ante = ante, .count = s->count[i],
                           .ante_count = s->count[pa]};
    x.confidence = (double)x.count / (double)x.ante_count;
    if (x.confidence < g->o->minconf)
        return 0;
    *pass = 1;
    long long pc = fim_index_find(g->ix, c, nc);
    if (pc < 0)
        return 0;
    double N = g->N;
    x.cons_count = s->count[pc];
    x.support = (double)x.count / N;
    x.lift = (double)x.count * N / ((double)x.ante_count * (double)x.cons_count);
    if (g->o->minlift > 0 && x.lift < g->o->minlift)
        return 0;
    x.leverage = x.support - ((double)x.ante_count / N) * ((double)x.cons_count / N);
    x.conviction = x.count == x.ante_count
                       ? NAN
                       : (N - (double)x.cons_count) * (double)x.ante_count /
                             (N * (double)(x.ante_count - x.count));
    if (g->n == g->cap) {
        long long want = g->cap ? 2 * g->cap : 1024;
        struct assoc_rule *p = mem_realloc(g->r, (size_t)want, sizeof *p, "rules", "rules",
                                           g->err);
        if (!p)
            return -1;
        g->r = p;
        g->cap = want;
    }
    g->r[g->n++] = x;
    return 0;
}

static int
cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static int
has_mask(const uint32_t *h, long long n, uint32_t m)
{
    long long lo = 0, hi = n - 1;
    while (lo <= hi) {
        long long mid = lo + (hi - lo) / 2;
        if (h[mid] < m)
            lo = mid + 1;
        else if (h[mid] > m)
            hi = mid - 1;
        else
            return 1;
    }
    return 0;
}

/*
 * Every rule of itemset i (k >= 2 items), consequents by growing size as
 * Agrawal and Srikant's ap-genrules: confidence n(Z) / n(Z \ Y) can only
 * fall as the consequent Y grows, so a consequent of m + 1 items is tried
 * only when each of its m-item parts passed minconf. The rules found are
 * those of every split that passes: only splits that cannot are skipped.
 */
static int
itemset_rules(struct gen *g, long long i)
{
    const struct fim_sets *s = g->s;
    const int32_t *it = s->items + s->off[i];
    int k = fim_size(s, i), pass;
    uint32_t full = (uint32_t)((1ULL << k) - 1);
    if (g->o->target >= 0) {
        for (int j = 0; j < k; j++)
            if (it[j] == g->o->target)
                return try_split(g, i, it, k, full & ~(1u << j), &pass);
        return 0;
    }
    long long nh = 0;
    if (mask_room(&g->h, &g->cap_h, k, g->err) < 0)
        return -1;
    for (int j = 0; j < k; j++) {
        if (try_split(g, i, it, k, full & ~(1u << j), &pass) < 0)
            return -1;
        if (pass)
            g->h[nh++] = 1u << j; /* ascending */
    }
    for (int m = 1; nh > 1 && m + 1 < k; m++) {
        long long nc = 0;
        if (mask_room(&g->c, &g->cap_c, nh * (nh - 1) / 2, g->err) < 0)
            return -1;
        for (long long a = 0; a < nh; a++)
            for (long long b = a + 1; b < nh; b++) {
                uint32_t u = g->h[a] | g->h[b];
                if (__builtin_popcount(u) == m + 1)
                    g->c[nc++] = u;
            }
        qsort(g->c, (size_t)nc, sizeof *g->c, cmp_u32);
        long long w = 0;
        for (long long a = 0; a < nc; a++) {
            uint32_t u = g->c[a];
            if (w && g->c[w - 1] == u)
                continue;
            int all = 1;
            for (uint32_t bits = u; bits && all; bits &= bits - 1)
                all = has_mask(g->h, nh, u & ~(bits & -bits));
            if (all)
                g->c[w++] = u;
        }
        if (mask_room(&g->h, &g->cap_h, w, g->err) < 0)
            return -1;
        nh = 0;
        for (long long a = 0; a < w; a++) {
            if (try_split(g, i, it, k, full & ~g->c[a], &pass) < 0)
                return -1;
            if (pass)
                g->h[nh++] = g->c[a]; /* ascending, as c */
        }
    }
    return 0;
}

int
assoc_rules(const struct fim_sets *s, long long n_trans, const struct assoc_opts *o,
            struct assoc_rule **out, long long *n_out, struct qerr *err)
{
    struct fim_index ix = {0};
    struct gen g = {.s = s, .ix = &ix, .o = o, .N = (double)n_trans, .err = err};
    int rc = -1;
    *out = NULL;
    *n_out = 0;
    if (fim_index_init(&ix, s, err) < 0)
        goto out;
    for (long long i = 0; i < s->n; i++) {
        if (fim_size(s, i) < 2 || (o->keep && !o->keep[i]))
            continue;
        if (tick_row(o->tick, i, s->n)) {
            tick_fail(err);
            goto out;
        }
        if (itemset_rules(&g, i) < 0)
            goto out;
    }
    if (g.n)
        qsort(g.r, (size_t)g.n, sizeof *g.r, by_lift);
    *out = g.r ? g.r : mem_alloc(1, sizeof *g.r, "rules", "rules", err);
    if (!*out)
        goto out;
    *n_out = g.n;
    g.r = NULL;
    rc = 0;
out:
    fim_index_release(&ix);
    free(g.r);
    free(g.h);
    free(g.c);
    return rc;
}
