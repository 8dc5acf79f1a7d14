/*
 * cluster_hier.c: agglomerative clustering by the nearest-neighbour chain
 * with Lance-Williams updates (see cluster_hier.h); the structure is
 * SciPy's nn_chain (scipy/cluster/_hierarchy.pyx) written anew in C.
 * Central structure: the condensed matrix D of cluster "slots": the
 * cluster made by merging the ones in slots x < y lives on in slot y.
 */
#include "cluster/cluster_hier.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/tick.h"
#include "base/banned.h"

double
hier_bytes(long long n)
{
    return (double)n * (double)(n - 1) / 2 * sizeof(double);
}

/* Index of (i, j), i != j, in the condensed matrix. */
static inline size_t
cidx(long long n, long long i, long long j)
{
    if (i > j) {
        long long t = i;
        i = j;
        j = t;
    }
    return (size_t)(n * i - i * (i + 1) / 2 + (j - i - 1));
}

static double
lance_williams(enum hier_linkage link, double d_xi, double d_yi, double d_xy, double sx,
               double sy, double si)
{
    switch (link) {
    case HIER_SINGLE:
        return d_xi < d_yi ? d_xi : d_yi;
    case HIER_COMPLETE:
        return d_xi > d_yi ? d_xi : d_yi;
    case HIER_AVERAGE:
        {
            double r = (sx * d_xi + sy * d_yi) / (sx + sy);
            /* sx * d_xi overflows for distances near DBL_MAX: weigh first there */
            return isfinite(r) ? r : d_xi * (sx / (sx + sy)) + d_yi * (sy / (sx + sy));
        }
    case HIER_WARD:
        break;
    }
    double t = 1.0 / (sx + sy + si);
    /*
     * Squares of distances above about 1.3e154 overflow: work in units of
     * the largest of the three there (the same formula, scaled).
     */
    double m = fmax(fmax(d_xi, d_yi), d_xy);
    if (m > 1e150) {
        d_xi /= m;
        d_yi /= m;
        d_xy /= m;
        return m * sqrt((si + sx) * t * d_xi * d_xi + (si + sy) * t * d_yi * d_yi -
                        si * t * d_xy * d_xy);
    }
    return sqrt((si + sx) * t * d_xi * d_xi + (si + sy) * t * d_yi * d_yi - si * t * d_xy * d_xy);
}

static int
cmp_merge(const void *a, const void *b)
{
    const struct hier_merge *u = a, *v = b;
    if (u->height != v->height)
        return u->height < v->height ? -1 : 1;
    return 0;
}

/*
 * The distance of rows i and j computed in units of their largest
 * difference, for values whose squares overflow (above about 1.3e154).
 * Infinite only when the distance itself is beyond DBL_MAX.
 */
static double
dist_scaled(const double *x, long long i, long long j, int d, long long ld)
{
    double m = 0, s = 0;
    for (int q = 0; q < d; q++)
        m = fmax(m, fabs(x[(long long)q * ld + i] - x[(long long)q * ld + j]));
    if (!isfinite(m) || m == 0)
        return m;
    for (int q = 0; q < d; q++) {
        double v = (x[(long long)q * ld + i] - x[(long long)q * ld + j]) / m;
        s += v * v;
    }
    return sqrt(s) * m;
}

/* Union-find with path halving. */
static long long
uf_find(long long *parent, long long i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

int
hier_fit(const double *x, long long n, int d, long long ld, enum hier_linkage link,
         struct hier_merge *merges, int (*progress)(void *, double), void *pctx,
         struct qerr *err)
{
    if (n < 1)
        return qerr_set(err, QE_ARG, "no rows to cluster");
    int rc = -1;
    const char *who = "hierarchical clustering";
    size_t un = (size_t)n, pairs = n > 1 ? mem_mul(un, un - 1) : 2;
    if (pairs != SIZE_MAX)
        pairs /= 2;
    double *D = mem_alloc(pairs, sizeof(double), who, "distances between rows", err);
    long long *size = mem_alloc(un, sizeof(long long), who, "rows", err);
    long long *chain = mem_alloc(un, sizeof(long long), who, "rows", err);
    long long *next = mem_alloc(un + 1, sizeof(long long), who, "rows", err); /* active slots */
    long long *prev = mem_alloc(un + 1, sizeof(long long), who, "rows", err);
    long long *parent = mem_alloc(2 * un, sizeof(long long), who, "tree nodes", err);
    long long *id = mem_alloc(un, sizeof(long long), who, "rows", err);
    struct tick tk;
    tick_init(&tk, progress, pctx);
    if (!D || !size || !chain || !next || !prev || !parent || !id)
        goto out;
    for (long long i = 0; i < n; i++) {
        /* progress by the clock (tick.h): a row of distances, a merge, a step of the sort */
        if (tick(&tk, 0.25 * (1 - (double)(n - i) * (n - i) / ((double)n * n))))
            goto cancel;
        for (long long j = i + 1; j < n; j++) {
            double s = 0;
            for (int q = 0; q < d; q++) {
                double v = x[(long long)q * ld + i] - x[(long long)q * ld + j];
                s += v * v;
            }
            double dist = sqrt(s);
            if (!isfinite(dist))
                dist = dist_scaled(x, i, j, d, ld);
            if (!isfinite(dist)) {
                qerr_set(err, QE_DATA, "the distance between rows %lld and %lld is too large to "
                         "hold in a double (values near 1e308)", i + 1, j + 1);
                qerr_hint(err, "rescale the columns first (normalize TABLE cols=...), or leave "
                               "such rows out");
                goto out;
            }
            D[cidx(n, i, j)] = dist;
        }
    }
    /* Active slots as a doubly linked list; the head is slot n (a sentinel). */
    for (long long i = 0; i < n; i++) {
        size[i] = 1;
        next[i] = i + 1 < n ? i + 1 : n;
        prev[i] = i > 0 ? i - 1 : n;
    }
    next[n] = 0;
    prev[n] = n - 1;
    long long len = 0;
    for (long long m = 0; m < n - 1; m++) {
        if (len == 0)
            chain[len++] = next[n];
        long long xs, ys;
        double cur;
        for (;;) {
            xs = chain[len - 1];
            ys = len >= 2 ? chain[len - 2] : -1;
            cur = ys >= 0 ? D[cidx(n, xs, ys)] : INFINITY;
            for (long long i = next[n]; i != n; i = next[i]) {
                if (i == xs)
                    continue;
                double v = D[cidx(n, xs, i)];
                if (ys < 0 || v < cur) {
                    cur = v;
                    ys = i;
                }
            }
            if (len >= 2 && ys == chain[len - 2])
                break;
            chain[len++] = ys;
        }
        len -= 2;
        if (xs > ys) {
            long long t = xs;
            xs = ys;
            ys = t;
        }
        merges[m] = (struct hier_merge){.a = xs, .b = ys, .height = cur,
                                        .size = size[xs] + size[ys]};
        /* xs leaves; ys holds the merged cluster. */
        next[prev[xs]] = next[xs];
        prev[next[xs]] = prev[xs];
        for (long long i = next[n]; i != n; i = next[i]) {
            if (i == ys)
                continue;
            D[cidx(n, i, ys)] = lance_williams(link, D[cidx(n, i, xs)], D[cidx(n, i, ys)], cur,
                                               (double)size[xs], (double)size[ys],
                                               (double)size[i]);
        }
        size[ys] += size[xs];
        if (tick(&tk, 0.25 + 0.7 * (double)m / (double)n))
            goto cancel;
    }
    /* Sort by height (stable, as SciPy's), then name clusters: slot -> current id. */
    for (long long m = 1; m < n - 1; m++) { /* insertion sort keeps equal heights in order */
        if (tick(&tk, 0.95 + 0.05 * (double)m / (double)n))
            goto cancel;
        if (cmp_merge(&merges[m - 1], &merges[m]) <= 0)
            continue;
        struct hier_merge t = merges[m];
        long long j = m;
        while (j > 0 && cmp_merge(&merges[j - 1], &t) > 0) {
            merges[j] = merges[j - 1];
            j--;
        }
        merges[j] = t;
    }
    /* Slots to SciPy ids: a union-find over rows, each root knowing its cluster id. */
    for (long long i = 0; i < n; i++) {
        parent[i] = i;
        id[i] = i;
    }
    for (long long m = 0; m < n - 1; m++) {
        long long ra = uf_find(parent, merges[m].a), rb = uf_find(parent, merges[m].b);
        long long ia = id[ra], ib = id[rb];
        merges[m].a = ia < ib ? ia : ib;
        merges[m].b = ia < ib ? ib : ia;
        parent[ra] = rb;
        id[rb] = n + m;
    }
    rc = 0;
    goto out;
cancel:
    tick_fail(err);
out:
    free(D);
    free(size);
    free(chain);
    free(next);
    free(prev);
    free(parent);
    free(id);
    return rc;
}

int
hier_cut(const struct hier_merge *merges, long long n, int k, int32_t *labels, double *height,
         struct qerr *err)
{
    long long *parent = mem_alloc(2 * (size_t)n, sizeof(long long), "cut", "tree nodes", err);
    long long *lab = mem_alloc(2 * (size_t)n, sizeof(long long), "cut", "tree nodes", err);
    double h = 0;
    if (!parent || !lab) {
        free(parent);
        free(lab);
        return -1;
    }
    for (long long i = 0; i < 2 * n; i++) {
        parent[i] = i;
        lab[i] = -1;
    }
    for (long long m = 0; m < n - k; m++) {
        parent[merges[m].a] = n + m;
        parent[merges[m].b] = n + m;
        h = merges[m].height;
    }
    int32_t next_label = 0;
    for (long long i = 0; i < n; i++) {
        long long r = i;
        while (parent[r] != r) {
            parent[r] = parent[parent[r]];
            r = parent[r];
        }
        if (lab[r] < 0)
            lab[r] = next_label++;
        labels[i] = (int32_t)lab[r];
    }
    free(parent);
    free(lab);
    if (height)
        *height = h;
    return 0;
}
