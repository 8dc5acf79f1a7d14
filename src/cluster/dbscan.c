/*
 * dbscan.c: DBSCAN and the k-distance eps suggestion over a k-d tree (see
 * dbscan.h).
 *
 * Central structure: struct kdtree, an implicit tree over a permutation of
 * the rows. Node i covers perm[lo, hi); its children split that range at
 * the median of the widest coordinate. Each node stores its bounding box,
 * so a query skips a node whose box is farther than the radius (or than
 * the current k-th distance). The rows are copied row-major in tree order
 * so a leaf's points sit together in memory, in the unit of
 * cluster_scale.h (boxes too: the tree's order does not change with it).
 */
#include "cluster/dbscan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/cluster_scale.h"
#include "base/mem.h"
#include "base/rng.h"
#include "base/tick.h"
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
    double s;           /* pts and box are the data times s = 2^-e (cluster_scale.h) */
    int e;
};

static void
kd_free(struct kdtree *t)
{
    free(t->pts);
    free(t->perm);
    free(t->node);
    free(t->box);
}

/*
 * Partition perm[lo, hi) so the m-th is in place by coordinate q
 * (quickselect); each partition pass asks tk first.
 */
static void
kd_select(const double *x, long long ld, int q, long long *perm, long long lo, long long hi,
          long long m, struct tick *tk)
{
    const double *xq = x + (long long)q * ld;
    hi--;
    while (lo < hi) {
        if (tick(tk, -1))
            return;
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

/* Node id of rows perm[lo, hi), built; -1 when tk stops the build. */
static int
kd_build_node(struct kdtree *t, const double *x, long long ld, long long lo, long long hi,
              struct tick *tk)
{
    if (t->n_nodes == t->cap || tick(tk, (double)t->n_nodes / (double)t->cap))
        return -1; /* cap is sized for the tree: only a cancel stops here */
    int id = t->n_nodes++;
    int d = t->d;
    t->node[id] = (struct kdnode){lo, hi, -1, -1};
    double *mn = t->box + (long long)id * 2 * d, *mx = mn + d;
    for (int q = 0; q < d; q++) {
        mn[q] = INFINITY;
        mx[q] = -INFINITY;
        for (long long i = lo; i < hi; i++) {
            if (tick_row(tk, i - lo + 1, 0)) /* from the first row on: the root scans them all */
                return -1;
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
    kd_select(x, ld, wq, t->perm, lo, hi, mid, tk);
    int l = kd_build_node(t, x, ld, lo, mid, tk);
    int r = l < 0 ? -1 : kd_build_node(t, x, ld, mid, hi, tk);
    if (r < 0)
        return -1;
    t->node[id].left = l;
    t->node[id].right = r;
    return id;
}

/* Nodes in the tree of n rows: leaves hold > LEAF/2 rows, so under n/4 nodes. */
static long long
kd_cap(long long n)
{
    return n / 2 + 16;
}

/* Build the tree of x's n rows, asking tk as it goes (QE_INTERRUPT when it stops). */
static int
kd_build(struct kdtree *t, const double *x, long long n, int d, long long ld, const char *what,
         struct tick *tk, struct qerr *err)
{
    memset(t, 0, sizeof *t);
    if (cluster_scale_exp(x, n, d, ld, NULL, what, &t->e, err) < 0)
        return -1;
    t->s = ldexp(1.0, -t->e);
    t->d = d;
    t->n = n;
    t->cap = (int)kd_cap(n);
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
    if (n > 0 && kd_build_node(t, x, ld, 0, n, tk) < 0) {
        kd_free(t);
        return tick_fail(err);
    }
    for (long long i = 0; i < n; i++) {
        if (tick_row(tk, i, n)) {
            kd_free(t);
            return tick_fail(err);
        }
        for (int q = 0; q < d; q++)
            t->pts[i * d + q] = x[(long long)q * ld + t->perm[i]] * t->s;
    }
    for (long long e = 0; e < 2LL * d * t->n_nodes; e++)
        t->box[e] *= t->s;
    return 0;
}

/* Row i of x in the tree's unit. */
static void
kd_point(const struct kdtree *t, const double *x, long long ld, long long i, double *p)
{
    for (int q = 0; q < t->d; q++)
        p[q] = x[(long long)q * ld + i] * t->s;
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

/*
 * Rows within eps of p, counted up to need: the walk stops as soon as the
 * count reaches need (DBSCAN only asks whether a row has at least minpts
 * neighbours), so the result is min(true count, need) or a little above
 * need when a whole box is taken at once. *tested counts the rows whose
 * distance was computed.
 */
static long long
kd_count(const struct kdtree *t, int id, const double *p, double eps, long long need,
         long long *tested)
{
    if (need <= 0 || box_dist2(t, id, p) > eps * eps * (1 + 1e-12) + 1e-300)
        return 0;
    const struct kdnode *nd = &t->node[id];
    if (box_inside(t, id, p, eps))
        return nd->hi - nd->lo;
    if (nd->left < 0) {
        long long c = 0;
        for (long long i = nd->lo; i < nd->hi && c < need; i++) {
            const double *y = t->pts + i * t->d;
            double s = 0;
            for (int q = 0; q < t->d; q++)
                s += (p[q] - y[q]) * (p[q] - y[q]);
            c += sqrt(s) <= eps;
            (*tested)++;
        }
        return c;
    }
    long long c = kd_count(t, nd->left, p, eps, need, tested);
    return c + kd_count(t, nd->right, p, eps, need - c, tested);
}

/* One cluster's growth (dbscan_fit, pass 2). */
struct expand {
    const struct kdtree *t;
    int32_t *labels;
    const long long *cnt;   /* neighbours of each row, itself included, counted up to minpts */
    long long minpts;
    double eps;             /* in the tree's unit */
    int32_t label;
    long long *stack, sn;   /* core rows still to expand: each goes on once */
    long long pushes;
    unsigned char *done;    /* per node: every row has a label, so queries skip it */
};

/*
 * Give every unlabelled row within eps of p (sqrt of the squared distance
 * <= eps, as scikit-learn) the cluster's label, and put the core ones on
 * the stack. A row is labelled at most once, so it is pushed at most once.
 */
static void
kd_expand(struct expand *ex, int id, const double *p)
{
    const struct kdtree *t = ex->t;
    /* a little slack so rounding in the box test never drops a point at exactly eps */
    if (ex->done[id] || box_dist2(t, id, p) > ex->eps * ex->eps * (1 + 1e-12) + 1e-300)
        return;
    const struct kdnode *nd = &t->node[id];
    int inside = box_inside(t, id, p, ex->eps);
    if (inside || nd->left < 0) {
        int all = 1;
        for (long long i = nd->lo; i < nd->hi; i++) {
            long long r = t->perm[i];
            if (ex->labels[r] != -1)
                continue;
            if (!inside) {
                const double *y = t->pts + i * t->d;
                double s = 0;
                for (int q = 0; q < t->d; q++)
                    s += (p[q] - y[q]) * (p[q] - y[q]);
                if (!(sqrt(s) <= ex->eps)) {
                    all = 0;
                    continue;
                }
            }
            ex->labels[r] = ex->label;
            if (ex->cnt[r] >= ex->minpts) {
                ex->stack[ex->sn++] = r;
                ex->pushes++;
            }
        }
        ex->done[id] = (unsigned char)all;
        return;
    }
    kd_expand(ex, nd->left, p);
    kd_expand(ex, nd->right, p);
    ex->done[id] = ex->done[nd->left] && ex->done[nd->right];
}

double
dbscan_bytes(long long n, int d)
{
    double rows = (double)(n > 0 ? n : 1), nodes = (double)kd_cap(n);
    /* points, perm, neighbour counts, stack; per node: bounds, box, done flag */
    return rows * (8.0 * d + 8 + 8 + 8) + nodes * (sizeof(struct kdnode) + 16.0 * d + 1);
}

int
dbscan_fit(const double *x, long long n, int d, long long ld, const struct dbscan_opts *o,
           int32_t *labels, struct dbscan_result *res, struct qerr *err)
{
    memset(res, 0, sizeof *res);
    if (!(o->eps > 0))
        return qerr_set(err, QE_ARG, "eps must be above 0");
    /* the whole need at once (k-d tree, neighbour counts, expansion stack), per row */
    long long rows = n > 0 ? n : 1;
    if (mem_budget_fits((size_t)rows, (size_t)ceil(dbscan_bytes(n, d) / (double)rows), "DBSCAN",
                        "rows", err) < 0)
        return -1;
    struct kdtree t;
    struct tick tk;
    tick_init(&tk, o->progress, o->pctx);
    if (kd_build(&t, x, n, d, ld, "DBSCAN", &tk, err) < 0)
        return -1;
    int rc = -1;
    double p[d > 0 ? d : 1], eps = o->eps * t.s;
    struct expand ex = {.t = &t, .labels = labels, .minpts = o->minpts, .eps = eps};
    /* Pass 1: neighbour counts up to minpts, all the core test needs (whole
     * boxes inside the ball count at once). */
    long long *cnt = mem_alloc((size_t)(n > 0 ? n : 0), sizeof(long long), "dbscan", "rows", err);
    if (!cnt)
        goto out;
    if (tick_now(&tk, 0))
        goto cancel;
    for (long long i = 0; i < n; i++) {
        kd_point(&t, x, ld, i, p);
        cnt[i] = kd_count(&t, 0, p, eps, o->minpts, &res->tested);
        labels[i] = -1;
        res->n_core += cnt[i] >= o->minpts;
        if (tick(&tk, 0.5 * (double)i / (double)n))
            goto cancel;
    }
    /* Pass 2: grow clusters from core rows in row order (scikit-learn's
     * dbscan_inner), each to the end before the next starts, so a border
     * row joins the first cluster that reaches it. */
    ex.cnt = cnt;
    ex.stack = mem_alloc((size_t)res->n_core, sizeof(long long), "dbscan", "core rows", err);
    ex.done = mem_calloc((size_t)t.cap, 1, "k-d tree", "nodes", err);
    if (!ex.stack || !ex.done)
        goto out;
    if (tick_now(&tk, 0.5))
        goto cancel;
    long long expanded = 0;
    for (long long i = 0; i < n; i++) {
        if (labels[i] != -1 || cnt[i] < o->minpts)
            continue;
        labels[i] = ex.label;
        ex.stack[ex.sn++] = i;
        ex.pushes++;
        while (ex.sn > 0) {
            kd_point(&t, x, ld, ex.stack[--ex.sn], p);
            kd_expand(&ex, 0, p);
            expanded++;
            if (tick(&tk, 0.5 + 0.5 * (double)expanded / (double)res->n_core))
                goto cancel;
        }
        ex.label++;
    }
    res->n_clusters = ex.label;
    for (long long i = 0; i < n; i++)
        res->n_noise += labels[i] < 0;
    rc = 0;
    goto out;
cancel:
    tick_fail(err);
out:
    res->pushes = ex.pushes;
    free(cnt);
    free(ex.stack);
    free(ex.done);
    kd_free(&t);
    return rc;
}

/* k nearest distances (squared), kept sorted ascending in best[0..k). */
static void
kd_knn(const struct kdtree *t, int id, const double *p, int k, double *best)
{
    /* k rows at distance 0 already: nothing is nearer (many identical rows share one leaf) */
    if (best[k - 1] == 0 || box_dist2(t, id, p) > best[k - 1])
        return;
    const struct kdnode *nd = &t->node[id];
    if (nd->left < 0) {
        for (long long i = nd->lo; i < nd->hi && best[k - 1] > 0; i++) {
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
                   uint64_t seed, int (*progress)(void *, double), void *pctx, double *eps,
                   struct qerr *err)
{
    if (minpts < 1 || minpts > n)
        return qerr_set(err, QE_ARG, "minpts=%d needs between 1 and %lld rows", minpts, n);
    struct kdtree t;
    struct tick tk;
    tick_init(&tk, progress, pctx);
    if (kd_build(&t, x, n, d, ld, "DBSCAN", &tk, err) < 0)
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
        /* a clock read per query: one may visit many leaves */
        if (tick(&tk, (double)i / (double)m)) {
            tick_fail(err);
            goto out;
        }
        kd_point(&t, x, ld, rows[i], p);
        for (int j = 0; j < minpts; j++)
            best[j] = INFINITY;
        kd_knn(&t, 0, p, minpts, best);
        kd[i] = sqrt(best[minpts - 1]);
    }
    if (tick_sort(kd, (size_t)m, sizeof(double), cmp_double, &tk, "the k-distance curve",
                  err) < 0)
        goto out;
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
    /* back from the tree's unit */
    *eps = kd[at] > 0 ? ldexp(kd[at], t.e) : (hi > 0 ? ldexp(hi, t.e) : 1.0);
    if (!isfinite(*eps)) {
        qerr_set(err, QE_NUMERIC, "values too large for DBSCAN: the distances between rows pass "
                                  "the largest double (1.8e+308)");
        qerr_hint(err, "rescale the columns first (normalize TABLE cols=...)");
        goto out;
    }
    rc = 0;
out:
    free(kd);
    free(best);
    free(rows);
    kd_free(&t);
    return rc;
}
