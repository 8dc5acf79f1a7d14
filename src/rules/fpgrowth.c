/*
 * fpgrowth.c: FP-Growth. A tree (struct fpt) holds transactions as paths
 * of local item labels in ascending order (ascending label = more
 * frequent first, so shared prefixes merge); each item's nodes are
 * chained from head[item]. Mining an item walks its chain up to the
 * root to count the items that occur with it, then builds the tree of
 * those paths restricted to the frequent ones (the conditional tree) and
 * mines it with the item added to the prefix. A tree that is a single
 * path gives every combination of its nodes at once. One tree per depth
 * is kept and reused, so the recursion allocates only as trees grow.
 * Paths are inserted in lexicographic order (the transactions sorted
 * once; each conditional base's paths sorted before its tree is built),
 * so a node's child to follow is always its newest: no sibling search.
 */
#include "rules/fpgrowth.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/banned.h"

struct fpt {
    int n, cap;          /* nodes; node 0 is the root */
    int32_t *item, *parent, *child, *sib, *next;
    long long *cnt;
    int m;               /* items (local labels 0..m) */
    int32_t *head;       /* first node of each item, -1 none */
    long long *isup;     /* support of each item in this tree */
    int32_t *lab;        /* local label -> global rank */
    /* scratch for building the next tree from this one */
    long long *sc;
    int32_t *map, *path;
};

/* A path to insert: items ascending, and its count. */
struct fpath {
    const int32_t *items;
    int len;
    long long cnt;
};

/* Lexicographic order, so paths sharing a prefix come together. */
static int
by_path(const void *a, const void *b)
{
    const struct fpath *x = a, *y = b;
    int n = x->len < y->len ? x->len : y->len;
    for (int i = 0; i < n; i++)
        if (x->items[i] != y->items[i])
            return x->items[i] < y->items[i] ? -1 : 1;
    return (x->len > y->len) - (x->len < y->len);
}

struct fpg {
    const struct fim_ranked *r;
    struct fim_opts *o;
    struct fim_emit *e;
    struct fpt *tree;    /* one per depth */
    int32_t *prefix;
    struct qerr *err;
    /* the paths of one conditional base, sorted before insertion */
    struct fpath *paths;
    long long cap_paths;
    int32_t *pbuf;
    long long cap_pbuf;
};

static int
fpt_alloc(struct fpt *t, int n_items, struct qerr *err)
{
    size_t m = (size_t)n_items + 1;
    t->head = mem_alloc(m, sizeof *t->head, "rules", "tree items", err);
    t->isup = mem_alloc(m, sizeof *t->isup, "rules", "tree items", err);
    t->lab = mem_alloc(m, sizeof *t->lab, "rules", "tree items", err);
    t->sc = mem_alloc(m, sizeof *t->sc, "rules", "tree items", err);
    t->map = mem_alloc(m, sizeof *t->map, "rules", "tree items", err);
    t->path = mem_alloc(m, sizeof *t->path, "rules", "tree items", err);
    return t->head && t->isup && t->lab && t->sc && t->map && t->path ? 0 : -1;
}

static void
fpt_free(struct fpt *t)
{
    free(t->item), free(t->parent), free(t->child), free(t->sib), free(t->next);
    free(t->cnt), free(t->head), free(t->isup), free(t->lab), free(t->sc), free(t->map);
    free(t->path);
}

/* Empty t (the root alone) for m items. */
static int
fpt_reset(struct fpt *t, int m, struct qerr *err)
{
    if (t->cap < 1) {
        int cap = 1024;
        if (!(t->item = mem_alloc((size_t)cap, sizeof *t->item, "rules", "tree nodes", err)) ||
            !(t->parent = mem_alloc((size_t)cap, sizeof *t->parent, "rules", "tree nodes",
                                    err)) ||
            !(t->child = mem_alloc((size_t)cap, sizeof *t->child, "rules", "tree nodes", err)) ||
            !(t->sib = mem_alloc((size_t)cap, sizeof *t->sib, "rules", "tree nodes", err)) ||
            !(t->next = mem_alloc((size_t)cap, sizeof *t->next, "rules", "tree nodes", err)) ||
            !(t->cnt = mem_alloc((size_t)cap, sizeof *t->cnt, "rules", "tree nodes", err)))
            return -1;
        t->cap = cap;
    }
    t->n = 1;
    t->item[0] = -1;
    t->parent[0] = -1;
    t->child[0] = -1;
    t->sib[0] = -1;
    t->cnt[0] = 0;
    t->m = m;
    for (int i = 0; i < m; i++)
        t->head[i] = -1;
    return 0;
}

static int
fpt_grow(struct fpt *t, struct qerr *err)
{
    int cap = t->cap * 2;
    void *p;
#define GROW(f)                                                                        \
    if (!(p = mem_realloc(t->f, (size_t)cap, sizeof *t->f, "rules", "tree nodes", err))) \
        return -1;                                                                     \
    t->f = p;
    GROW(item) GROW(parent) GROW(child) GROW(sib) GROW(next) GROW(cnt)
#undef GROW
    t->cap = cap;
    return 0;
}

/*
 * Add the path items[0..len) (ascending labels) with count c. Paths come
 * in lexicographic order, so the child to follow, if there is one, is
 * the newest child (the head of the list).
 */
static int
fpt_insert(struct fpt *t, const int32_t *items, int len, long long c, struct qerr *err)
{
    int32_t cur = 0;
    for (int i = 0; i < len; i++) {
        int32_t x = items[i], k = t->child[cur];
        if (k >= 0 && t->item[k] != x)
            k = -1;
        if (k < 0) {
            if (t->n == t->cap && fpt_grow(t, err) < 0)
                return -1;
            k = t->n++;
            t->item[k] = x;
            t->parent[k] = cur;
            t->child[k] = -1;
            t->sib[k] = t->child[cur];
            t->child[cur] = k;
            t->next[k] = t->head[x];
            t->head[x] = k;
            t->cnt[k] = 0;
        }
        t->cnt[k] += c;
        cur = k;
    }
    return 0;
}

/* Room in g's path buffers for np paths of used items in all. */
static int
room(struct fpg *g, long long np, long long used)
{
    if (np > g->cap_paths) {
        long long cap = g->cap_paths ? 2 * g->cap_paths : 1024;
        while (cap < np)
            cap *= 2;
        void *p = mem_realloc(g->paths, (size_t)cap, sizeof *g->paths, "rules", "tree paths",
                              g->err);
        if (!p)
            return -1;
        g->paths = p;
        g->cap_paths = cap;
    }
    if (used > g->cap_pbuf) {
        long long cap = g->cap_pbuf ? 2 * g->cap_pbuf : 4096;
        while (cap < used)
            cap *= 2;
        void *p = mem_realloc(g->pbuf, (size_t)cap, sizeof *g->pbuf, "rules", "tree paths",
                              g->err);
        if (!p)
            return -1;
        g->pbuf = p;
        g->cap_pbuf = cap;
    }
    return 0;
}

/* Every combination of the single path's nodes from node k on, after depth items. */
static int
single_path(struct fpg *g, const struct fpt *t, int32_t k, int depth, long long count)
{
    for (; k >= 0; k = t->child[k]) {
        g->prefix[depth] = t->lab[t->item[k]];
        if (fim_emit_set(g->e, g->prefix, depth + 1, t->cnt[k], g->err) < 0)
            return -1;
        if (depth + 1 < g->o->maxlen && single_path(g, t, t->child[k], depth + 1, count) < 0)
            return -1;
    }
    return 0;
}

static int
mine(struct fpg *g, int depth)
{
    struct fpt *t = &g->tree[depth];
    int single = 1;
    for (int k = 1; k < t->n && single; k++)
        single = t->sib[k] < 0;
    if (single)
        return single_path(g, t, t->child[0], depth, 0);
    for (int i = t->m - 1; i >= 0; i--) {
        if (tick(g->o->tick, -1.0))
            return tick_fail(g->err);
        g->prefix[depth] = t->lab[i];
        if (fim_emit_set(g->e, g->prefix, depth + 1, t->isup[i], g->err) < 0)
            return -1;
        if (depth + 1 >= g->o->maxlen || i == 0)
            continue;
        for (int j = 0; j < i; j++)
            t->sc[j] = 0;
        for (int32_t k = t->head[i]; k >= 0; k = t->next[k])
            for (int32_t p = t->parent[k]; p > 0; p = t->parent[p])
                t->sc[t->item[p]] += t->cnt[k];
        int m = 0;
        for (int j = 0; j < i; j++)
            t->map[j] = t->sc[j] >= g->o->minsup ? m++ : -1;
        if (m == 0)
            continue;
        struct fpt *c = &g->tree[depth + 1];
        if (fpt_reset(c, m, g->err) < 0)
            return -1;
        for (int j = 0; j < i; j++)
            if (t->map[j] >= 0) {
                c->lab[t->map[j]] = t->lab[j];
                c->isup[t->map[j]] = t->sc[j];
            }
        long long np = 0, used = 0;
        for (int32_t k = t->head[i]; k >= 0; k = t->next[k]) {
            int len = 0;
            for (int32_t p = t->parent[k]; p > 0; p = t->parent[p])
                if (t->map[t->item[p]] >= 0)
                    t->path[len++] = t->map[t->item[p]];
            if (!len)
                continue;
            if (room(g, np + 1, used + len) < 0)
                return -1;
            for (int a = 0; a < len; a++)
                g->pbuf[used + a] = t->path[len - 1 - a];
            g->paths[np++] = (struct fpath){(const int32_t *)(intptr_t)used, len, t->cnt[k]};
            used += len;
        }
        for (long long q = 0; q < np; q++)
            g->paths[q].items = g->pbuf + (intptr_t)g->paths[q].items;
        qsort(g->paths, (size_t)np, sizeof *g->paths, by_path);
        for (long long q = 0; q < np; q++)
            if (fpt_insert(c, g->paths[q].items, g->paths[q].len, g->paths[q].cnt, g->err) < 0)
                return -1;
        if (mine(g, depth + 1) < 0)
            return -1;
    }
    return 0;
}

int
fpgrowth_mine(const struct fim_ranked *r, struct fim_opts *o, struct fim_emit *e,
              struct qerr *err)
{
    int rc = -1, depths = o->maxlen < r->n ? o->maxlen : r->n;
    if (r->n == 0)
        return 0;
    struct fpg g = {.r = r, .o = o, .e = e, .err = err};
    g.tree = mem_calloc((size_t)depths, sizeof *g.tree, "rules", "trees", err);
    g.prefix = mem_alloc((size_t)depths, sizeof *g.prefix, "rules", "trees", err);
    if (!g.tree || !g.prefix)
        goto out;
    for (int d = 0; d < depths; d++)
        if (fpt_alloc(&g.tree[d], r->n, err) < 0)
            goto out;
    struct fpt *t = &g.tree[0];
    if (fpt_reset(t, r->n, err) < 0)
        goto out;
    for (int i = 0; i < r->n; i++) {
        t->lab[i] = i;
        t->isup[i] = r->support[i];
    }
    long long np = 0;
    if (room(&g, r->n_trans + 1, 0) < 0)
        goto out;
    for (long long tr = 0; tr < r->n_trans; tr++) {
        int len = (int)(r->off[tr + 1] - r->off[tr]);
        if (len)
            g.paths[np++] = (struct fpath){r->items + r->off[tr], len, 1};
    }
    if (tick_sort(g.paths, (size_t)np, sizeof *g.paths, by_path, o->tick, "rules", err) < 0)
        goto out;
    for (long long q = 0; q < np; q++) {
        if (tick_row(o->tick, q, np)) {
            tick_fail(err);
            goto out;
        }
        if (fpt_insert(t, g.paths[q].items, g.paths[q].len, g.paths[q].cnt, err) < 0)
            goto out;
    }
    rc = mine(&g, 0);
out:
    if (g.tree)
        for (int d = 0; d < depths; d++)
            fpt_free(&g.tree[d]);
    free(g.tree);
    free(g.prefix);
    free(g.paths);
    free(g.pbuf);
    return rc;
}
