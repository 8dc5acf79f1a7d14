/*
 * dbscan.c: DBSCAN and the k-distance eps suggestion over a k-d tree (see
 * dbscan.h).
 *
 * Central structure: struct kdtree, an implicit tree over a permutation of
 * the rows. Node i covers perm[lo, hi); its children split that range at
 * the median of the widest coordinate. Each node stores its bounding box,
 * so a query skips a node whose box is farther than the radius (or than
 * the current k-th distance). The rows are copied row-major in tree order
 * so a leaf's points sit together in memory.
 */
#include "cluster/dbscan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/rng.h"
#include "base/banned.h"

#define LEAF 16

struct kdnode {
    long long lo, hi;   /* rows perm[lo..hi) */
    int left, right;    /* children, -1 for a leaf */
};

struct kdtree {
    int d;
    long long n;
    double *pts;        /* n x d row-major, in tree order */
    long long *perm;    /* tree position -> row */
    struct kdnode *node;
    double *box;        /* per node: d minima then d maxima */
    int n_nodes, cap;
};

static void
kd_free(struct kdtree *t)
{
    free(t->pts);
    free(t->perm);
    free(t->node);
    free(t->box);
}

/* Partition perm[lo, hi) so the m-th is in place by coordinate q (quickselect). */
static void
kd_select(const double *x, long long ld, int q, long long *perm, long long lo, long long hi,
          long long m)
{
    const double *xq = x + (long long)q * ld;
    hi--;
    while (lo < hi) {
        double piv = xq[perm[(lo + hi) / 2]];
        long long i = lo, j = hi;
        while (i <= j) {
            while (xq[perm[i]] < piv)
                i++;
            while (xq[perm[j]] > piv)
                j--;
            if (i <= j) {
                long long t = perm[i];
                perm[i++] = perm[j];
                perm[j--] = t;
            }
        }
        if (m <= j)
            hi = j;
        else if (m >= i)
            lo = i;
        else
            return;
    }
}

static int
kd_build_node(struct kdtree *t, const double *x, long long ld, long long lo, long long hi)
{
    if (t->n_nodes == t->cap)
        return -1; /* cannot happen: cap is sized for the tree */
    int id = t->n_nodes++;
    int d = t->d;
    t->node[id] = (struct kdnode){lo, hi, -1, -1};
    double *mn = t->box + (long long)id * 2 * d, *mx = mn + d;
    for (int q = 0; q < d; q++) {
        mn[q] = INFINITY;
        mx[q] = -INFINITY;
        for (long long i = lo; i < hi; i++) {
            double v = x[(long long)q * ld + t->perm[i]];
            mn[q] = v < mn[q] ? v : mn[q];
            mx[q] = v > mx[q] ? v : mx[q];
        }
    }
    if (hi - lo <= LEAF)
        return id;
    int wq = 0;
    for (int q = 1; q < d; q++)
        if (mx[q] - mn[q] > mx[wq] - mn[wq])
            wq = q;
    if (!(mx[wq] > mn[wq]))
        return id; /* all points equal: one leaf, however many */
    long long mid = lo + (hi - lo) / 2;
    kd_select(x, ld, wq, t->perm, lo, hi, mid);
    int l = kd_build_node(t, x, ld, lo, mid);
    int r = kd_build_node(t, x, ld, mid, hi);
    t->node[id].left = l;
    t->node[id].right = r;
    return id;
}

static int
kd_build(struct kdtree *t, const double *x, long long n, int d, long long ld, struct qerr *err)
{
    memset(t, 0, sizeof *t);
    t->d = d;
    t->n = n;
    t->cap = (int)(n / 2 + 16); /* leaves hold > LEAF/2 rows: under n/4 nodes */
    const char *who = "k-d tree";
    size_t un = (size_t)(n > 0 ? n : 0);
    t->pts = mem_alloc(mem_mul(un, (size_t)d), sizeof(double), who, "row values", err);
    t->perm = mem_alloc(un, sizeof(long long), who, "rows", err);
    t->node = mem_alloc((size_t)t->cap, sizeof(struct kdnode), who, "nodes", err);
    t->box = mem_alloc(mem_mul(2 * (size_t)d, (size_t)t->cap), sizeof(double), who,
                       "node bounds", err);
    if (!t->pts || !t->perm || !t->node || !t->box) {
        kd_free(t);
        return -1;
    }
    for (long long i = 0; i < n; i++)
        t->perm[i] = i;
    if (n > 0)
        kd_build_node(t, x, ld, 0, n);
    for (long long i = 0; i < n; i++)
        for (int q = 0; q < d; q++)
            t->pts[i * d + q] = x[(long long)q * ld + t->perm[i]];
    return 0;
}

/* Squared distance from p to node id's box. */
static double
box_dist2(const struct kdtree *t, int id, const double *p)
{
    const double *mn = t->box + (long long)id * 2 * t->d, *mx = mn + t->d;
    double s = 0;
    for (int q = 0; q < t->d; q++) {
        double v = p[q] < mn[q] ? mn[q] - p[q] : p[q] > mx[q] ? p[q] - mx[q] : 0;
        s += v * v;
    }
    return s;
}

/* Squared distance from p to the farthest corner of node id's box. */
static double
box_far2(const struct kdtree *t, int id, const double *p)
{
    const double *mn = t->box + (long long)id * 2 * t->d, *mx = mn + t->d;
    double s = 0;
    for (int q = 0; q < t->d; q++) {
        double a = fabs(p[q] - mn[q]), b = fabs(p[q] - mx[q]);
        double v = a > b ? a : b;
        s += v * v;
    }
    return s;
}

/* The node lies inside the ball, with a margin so rounding cannot disagree
 * with the exact test sqrt(sum) <= eps for any of its points. */
static int
box_inside(const struct kdtree *t, int id, const double *p, double eps)
{
    return box_far2(t, id, p) <= eps * eps * (1 - 1e-12);
}

/* Rows within eps of p, counted. */
static long long
kd_count(const struct kdtree *t, int id, const double *p, double eps)
{
    if (box_dist2(t, id, p) > eps * eps * (1 + 1e-12) + 1e-300)
        return 0;
    const struct kdnode *nd = &t->node[id];
    if (box_inside(t, id, p, eps))
        return nd->hi - nd->lo;
    if (nd->left < 0) {
        long long c = 0;
        for (long long i = nd->lo; i < nd->hi; i++) {
            const double *y = t->pts + i * t->d;
            double s = 0;
            for (int q = 0; q < t->d; q++)
                s += (p[q] - y[q]) * (p[q] - y[q]);
            c += sqrt(s) <= eps;
        }
        return c;
    }
    return kd_count(t, nd->left, p, eps) + kd_count(t, nd->right, p, eps);
}

/* A growable list of row numbers. */
struct ilist {
    long long *v;
    long long n, cap;
    struct qerr *err; /* where a failure to grow is reported */
};

static int
ilist_push(struct ilist *l, long long x)
{
    if (l->n == l->cap) {
        long long cap = l->cap ? l->cap * 2 : 64;
        long long *v = mem_realloc(l->v, (size_t)cap, sizeof(long long), "dbscan",
                                   "neighbours (a smaller eps finds fewer)", l->err);
        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = x;
    return 0;
}

/* Rows within eps of p (sqrt of the squared distance <= eps, as scikit-learn). */
static int
kd_radius(const struct kdtree *t, int id, const double *p, double eps, struct ilist *out)
{
    /* a little slack so rounding in the box test never drops a point at exactly eps */
    if (box_dist2(t, id, p) > eps * eps * (1 + 1e-12) + 1e-300)
        return 0;
    const struct kdnode *nd = &t->node[id];
    if (box_inside(t, id, p, eps)) {
        for (long long i = nd->lo; i < nd->hi; i++)
            if (ilist_push(out, t->perm[i]) < 0)
                return -1;
        return 0;
    }
    if (nd->left < 0) {
        for (long long i = nd->lo; i < nd->hi; i++) {
            const double *y = t->pts + i * t->d;
            double s = 0;
            for (int q = 0; q < t->d; q++)
                s += (p[q] - y[q]) * (p[q] - y[q]);
            if (sqrt(s) <= eps && ilist_push(out, t->perm[i]) < 0)
                return -1;
        }
        return 0;
    }
    if (kd_radius(t, nd->left, p, eps, out) < 0)
        return -1;
    return kd_radius(t, nd->right, p, eps, out);
}

int
dbscan_fit(const double *x, long long n, int d, long long ld, const struct dbscan_opts *o,
           int32_t *labels, struct dbscan_result *res, struct qerr *err)
{
    memset(res, 0, sizeof *res);
    if (!(o->eps > 0))
        return qerr_set(err, QE_ARG, "eps must be above 0");
    struct kdtree t;
    if (kd_build(&t, x, n, d, ld, err) < 0)
        return -1;
    int rc = -1;
    double p[d > 0 ? d : 1];
    /* Pass 1: neighbour counts (whole boxes inside the ball count at once). */
    long long *cnt = mem_alloc((size_t)(n > 0 ? n : 0), sizeof(long long), "dbscan", "rows", err);
    struct ilist nb = {.err = err}, stack = {.err = err};
    if (!cnt)
        goto out;
    for (long long i = 0; i < n; i++) {
        for (int q = 0; q < d; q++)
            p[q] = x[(long long)q * ld + i];
        cnt[i] = kd_count(&t, 0, p, o->eps);
        labels[i] = -1;
        res->n_core += cnt[i] >= o->minpts;
        if ((i & 4095) == 4095 && o->progress && o->progress(o->pctx, 0.5 * (double)i / n)) {
            qerr_set(err, QE_INTERRUPT, "interrupted");
            goto out;
        }
    }
    /* Pass 2: grow clusters from core rows in row order (scikit-learn's
     * dbscan_inner); each core row's neighbours are listed once, when it is
     * labelled, so memory stays O(n) however dense the data. */
    int32_t label = 0;
    long long done = 0;
    for (long long i = 0; i < n; i++) {
        if (labels[i] != -1 || cnt[i] < o->minpts)
            continue;
        long long cur = i;
        stack.n = 0;
        for (;;) {
            if (labels[cur] == -1) {
                labels[cur] = label;
                if (cnt[cur] >= o->minpts) {
                    for (int q = 0; q < d; q++)
                        p[q] = x[(long long)q * ld + cur];
                    nb.n = 0;
                    if (kd_radius(&t, 0, p, o->eps, &nb) < 0)
                        goto out;
                    for (long long e = 0; e < nb.n; e++)
                        if (labels[nb.v[e]] == -1 && ilist_push(&stack, nb.v[e]) < 0)
                            goto out;
                    if ((++done & 4095) == 0 && o->progress &&
                        o->progress(o->pctx, 0.5 + 0.5 * (double)done / (double)res->n_core)) {
                        qerr_set(err, QE_INTERRUPT, "interrupted");
                        goto out;
                    }
                }
            }
            if (stack.n == 0)
                break;
            cur = stack.v[--stack.n];
        }
        label++;
    }
    res->n_clusters = label;
    for (long long i = 0; i < n; i++)
        res->n_noise += labels[i] < 0;
    rc = 0;
out:
    free(cnt);
    free(nb.v);
    free(stack.v);
    kd_free(&t);
    return rc;
}

/* k nearest distances (squared), kept sorted ascending in best[0..k). */
static void
kd_knn(const struct kdtree *t, int id, const double *p, int k, double *best)
{
    if (box_dist2(t, id, p) > best[k - 1])
        return;
    const struct kdnode *nd = &t->node[id];
    if (nd->left < 0) {
        for (long long i = nd->lo; i < nd->hi; i++) {
            const double *y = t->pts + i * t->d;
            double s = 0;
            for (int q = 0; q < t->d; q++)
                s += (p[q] - y[q]) * (p[q] - y[q]);
            if (s < best[k - 1]) {
                int j = k - 1;
                while (j > 0 && best[j - 1] > s) {
                    best[j] = best[j - 1];
                    j--;
                }
                best[j] = s;
            }
        }
        return;
    }
    /* nearer child first */
    int a = nd->left, b = nd->right;
    if (box_dist2(t, b, p) < box_dist2(t, a, p)) {
        a = nd->right;
        b = nd->left;
    }
    kd_knn(t, a, p, k, best);
    kd_knn(t, b, p, k, best);
}

static int
cmp_double(const void *a, const void *b)
{
    double u = *(const double *)a, v = *(const double *)b;
    return (u > v) - (u < v);
}

int
dbscan_suggest_eps(const double *x, long long n, int d, long long ld, int minpts,
                   uint64_t seed, double *eps, struct qerr *err)
{
    if (minpts < 1 || minpts > n)
        return qerr_set(err, QE_ARG, "minpts=%d needs between 1 and %lld rows", minpts, n);
    struct kdtree t;
    if (kd_build(&t, x, n, d, ld, err) < 0)
        return -1;
    long long m = n < 10000 ? n : 10000;
    const char *who = "the k-distance curve";
    double *kd = mem_alloc((size_t)m, sizeof(double), who, "rows", err);
    double *best = mem_alloc((size_t)minpts, sizeof(double), who, "neighbours", err);
    long long *rows = mem_alloc((size_t)n, sizeof(long long), who, "rows", err);
    double p[d > 0 ? d : 1];
    int rc = -1;
    if (!kd || !best || !rows)
        goto out;
    for (long long i = 0; i < n; i++)
        rows[i] = i;
    if (m < n) {
        struct rng r;
        rng_init(&r, seed);
        for (long long i = 0; i < m; i++) {
            long long j = i + (long long)rng_below(&r, (uint64_t)(n - i)), tmp = rows[i];
            rows[i] = rows[j];
            rows[j] = tmp;
        }
    }
    for (long long i = 0; i < m; i++) {
        for (int q = 0; q < d; q++)
            p[q] = x[(long long)q * ld + rows[i]];
        for (int j = 0; j < minpts; j++)
            best[j] = INFINITY;
        kd_knn(&t, 0, p, minpts, best);
        kd[i] = sqrt(best[minpts - 1]);
    }
    qsort(kd, (size_t)m, sizeof(double), cmp_double);
    /* Knee of the increasing curve: farthest below the chord, axes scaled to [0, 1]. */
    double lo = kd[0], hi = kd[m - 1], gap = -1;
    long long at = m - 1;
    for (long long i = 0; i < m && hi > lo; i++) {
        double u = m > 1 ? (double)i / (double)(m - 1) : 0, v = (kd[i] - lo) / (hi - lo);
        if (u - v > gap) {
            gap = u - v;
            at = i;
        }
    }
    *eps = kd[at] > 0 ? kd[at] : (hi > 0 ? hi : 1.0);
    rc = 0;
out:
    free(kd);
    free(best);
    free(rows);
    kd_free(&t);
    return rc;
}
