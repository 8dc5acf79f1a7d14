/*
 * tree_build.c: growing one CART tree from presorted feature lists (the
 * method is described in tree_int.h), and the fitted tree's walk and
 * importances.
 *
 * The central structure is the p sorted lists of struct tree_entry, m
 * entries each: a node owns the same range [start, end) of every list,
 * holding its rows in that feature's order. A split marks each row's side
 * (goes_left, by row) and partitions every list's range stably, left rows
 * first, so each child again owns one range of every list, still sorted.
 */
#include "classify/tree_int.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

#include "base/banned.h"

/* scikit-learn's FEATURE_THRESHOLD: values closer than this are one value. */
#define TREE_FEATURE_THRESHOLD 1e-7

/* --- the presort ------------------------------------------------------------ */

#define RADIX_BITS 11
#define RADIX_SIZE (1u << RADIX_BITS)
#define RADIX_PASSES 6 /* 66 bits >= 64 */

/* The double's bits as an unsigned key in the same order; NaN above all. */
static inline uint64_t
sort_key(double v)
{
    if (isnan(v))
        return UINT64_MAX;
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return (u & 0x8000000000000000ull) ? ~u : (u | 0x8000000000000000ull);
}

int
tree_presort(const double *x, size_t n, size_t p, const int *y, struct tick *t,
             struct tree_entry **sorted, struct qerr *err)
{
    int rc = -1;
    uint64_t *k1 = NULL, *k2 = NULL;
    int32_t *r1 = NULL, *r2 = NULL;
    size_t *hist = NULL;
    struct tree_entry *out = NULL;
    *sorted = NULL;
    k1 = mem_alloc(n, sizeof *k1, "tree", "sort keys", err);
    k2 = mem_alloc(n, sizeof *k2, "tree", "sort keys", err);
    r1 = mem_alloc(n, sizeof *r1, "tree", "sort keys", err);
    r2 = mem_alloc(n, sizeof *r2, "tree", "sort keys", err);
    hist = xcalloc((size_t)RADIX_PASSES * RADIX_SIZE, sizeof *hist);
    out = mem_alloc(mem_mul(n, p), sizeof *out, "tree", "sorted values", err);
    if (!k1 || !k2 || !r1 || !r2 || !out)
        goto out;
    for (size_t j = 0; j < p; j++) {
        if (t && tick(t, 0.1 * (double)j / (double)p)) {
            rc = tick_fail(err);
            goto out;
        }
        memset(hist, 0, sizeof *hist * RADIX_PASSES * RADIX_SIZE);
        for (size_t i = 0; i < n; i++) {
            uint64_t k = sort_key(x[i * p + j]);
            k1[i] = k;
            r1[i] = (int32_t)i;
            for (int d = 0; d < RADIX_PASSES; d++)
                hist[(size_t)d * RADIX_SIZE + ((k >> (d * RADIX_BITS)) & (RADIX_SIZE - 1))]++;
        }
        for (int d = 0; d < RADIX_PASSES && n > 0; d++) {
            size_t *h = hist + (size_t)d * RADIX_SIZE;
            if (h[(k1[0] >> (d * RADIX_BITS)) & (RADIX_SIZE - 1)] == n)
                continue; /* every key has this digit: the pass would move nothing */
            size_t sum = 0;
            for (size_t b = 0; b < RADIX_SIZE; b++) {
                size_t c = h[b];
                h[b] = sum;
                sum += c;
            }
            for (size_t i = 0; i < n; i++) {
                size_t to = h[(k1[i] >> (d * RADIX_BITS)) & (RADIX_SIZE - 1)]++;
                k2[to] = k1[i];
                r2[to] = r1[i];
            }
            uint64_t *tk = k1;
            k1 = k2;
            k2 = tk;
            int32_t *tr = r1;
            r1 = r2;
            r2 = tr;
        }
        struct tree_entry *o = out + j * n;
        for (size_t i = 0; i < n; i++)
            o[i] = (struct tree_entry){x[(size_t)r1[i] * p + j], r1[i], y[r1[i]]};
    }
    *sorted = out;
    out = NULL;
    rc = 0;
out:
    free(k1);
    free(k2);
    free(r1);
    free(r2);
    free(hist);
    free(out);
    return rc;
}

size_t
tree_bag(const struct tree_entry *sorted, size_t n, size_t p, const int *w,
         struct tree_entry *work)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        m += w[i] > 0;
    for (size_t j = 0; j < p; j++) {
        const struct tree_entry *s = sorted + j * n;
        struct tree_entry *o = work + j * m;
        for (size_t i = 0, k = 0; i < n; i++)
            if (w[s[i].row] > 0)
                o[k++] = s[i];
    }
    return m;
}

/* --- the builder ------------------------------------------------------------ */

struct builder {
    struct tree_entry *e;   /* p lists of m */
    struct tree_entry *tmp; /* m: the right rows while partitioning */
    size_t m, n, p;
    int nclass;
    const int *w;
    const struct tree_params *tp;
    int max_features;
    struct rng *rng;
    unsigned char *goes_left; /* by row */
    double *xlogx;            /* entropy: c ln c for c = 0..total weight */
    size_t xlogx_n;
    double *cnt, *cm, *cl;    /* nclass each: the node's, its non-missing rows', the left's */
    int *feat;                /* p: the feature order */
    struct tree out;
    size_t cap;
};

struct split {
    int feature;
    size_t pos;      /* the last left entry among the non-missing ones, from start */
    double threshold;
    double score;    /* the weighted impurity decrease on the non-missing rows */
    double wl, wr;   /* non-missing weight each side */
};

static inline double
row_weight(const struct builder *b, int32_t row)
{
    return b->w ? (double)b->w[row] : 1.0;
}

/* c ln c (0 for 0): from the table for the integer weights builders see. */
static inline double
xlx(const struct builder *b, double c)
{
    size_t i = (size_t)c;
    if ((double)i == c && i < b->xlogx_n)
        return b->xlogx[i];
    return c > 0 ? c * log(c) : 0.0;
}

/* The impurity of counts c (total w): gini, or entropy in bits. */
static double
impurity(const struct builder *b, const double *c, double w)
{
    if (w <= 0)
        return 0.0;
    if (b->tp->criterion == CLS_ENTROPY) {
        double h = 0;
        for (int k = 0; k < b->nclass; k++)
            if (c[k] > 0) {
                double q = c[k] / w;
                h -= q * log2(q);
            }
        return h;
    }
    double sq = 0;
    for (int k = 0; k < b->nclass; k++)
        sq += c[k] * c[k];
    return 1.0 - sq / (w * w);
}

/*
 * The best split of feature f's range [start, end) into *best, when it
 * beats best->score. Returns 1 when the feature is constant there (it
 * then does not count as tried), else 0.
 */
static int
scan_feature(struct builder *b, int f, size_t start, size_t end, double wnode,
             struct split *best)
{
    const struct tree_entry *s = b->e + (size_t)f * b->m + start;
    size_t len = end - start, nm = len;
    int nclass = b->nclass, entropy = b->tp->criterion == CLS_ENTROPY;
    size_t minleaf = (size_t)b->tp->minleaf;
    while (nm > 0 && isnan(s[nm - 1].v))
        nm--;
    if (nm == 0 || s[nm - 1].v <= s[0].v + TREE_FEATURE_THRESHOLD)
        return 1;
    double *cm = b->cm, *cl = b->cl;
    memcpy(cm, b->cnt, sizeof *cm * (size_t)nclass);
    double wnm = wnode;
    for (size_t i = nm; i < len; i++) {
        double ww = row_weight(b, s[i].row);
        cm[s[i].y] -= ww;
        wnm -= ww;
    }
    if (nm < 2 * minleaf)
        return 0;
    memset(cl, 0, sizeof *cl * (size_t)nclass);
    double wl = 0, wr = wnm, parent;
    double sql = 0, sqr = 0;
    if (entropy) {
        parent = xlx(b, wnm);
        for (int k = 0; k < nclass; k++)
            parent -= xlx(b, cm[k]);
    } else {
        for (int k = 0; k < nclass; k++)
            sqr += cm[k] * cm[k];
        parent = sqr / wnm;
    }
    for (size_t i = 0; i + 1 < nm; i++) {
        int k = s[i].y;
        double ww = row_weight(b, s[i].row);
        double ol = cl[k], orr = cm[k] - ol;
        /* Weights are whole numbers, so these sums of squares stay exact. */
        sql += ww * (2 * ol + ww);
        sqr -= ww * (2 * orr - ww);
        cl[k] = ol + ww;
        wl += ww;
        wr -= ww;
        if (s[i + 1].v <= s[i].v + TREE_FEATURE_THRESHOLD)
            continue;
        if (i + 1 < minleaf)
            continue;
        if (nm - (i + 1) < minleaf)
            break;
        double score;
        if (entropy) {
            double hl = xlx(b, wl), hr = xlx(b, wr);
            for (int c = 0; c < nclass; c++) {
                hl -= xlx(b, cl[c]);
                hr -= xlx(b, cm[c] - cl[c]);
            }
            score = parent - hl - hr;
        } else {
            score = sql / wl + sqr / wr - parent;
        }
        if (score > best->score) {
            best->score = score;
            best->feature = f;
            best->pos = i;
            best->wl = wl;
            best->wr = wr;
            /* scikit-learn's midpoint, halves first (no overflow), never the upper value */
            double thr = s[i].v / 2.0 + s[i + 1].v / 2.0;
            if (thr == s[i + 1].v || isinf(thr))
                thr = s[i].v;
            best->threshold = thr;
        }
    }
    return 0;
}

/* The best split of the node [start, end) over the features tried; feature -1 if none. */
static void
find_split(struct builder *b, size_t start, size_t end, double wnode, struct split *best)
{
    size_t p = b->p;
    best->feature = -1;
    best->score = -INFINITY;
    int all = b->max_features <= 0 || (size_t)b->max_features >= p;
    int tried = 0;
    for (size_t i = 0; i < p; i++) {
        int f;
        if (all) {
            f = (int)i;
        } else {
            /* a Fisher-Yates draw, one feature at a time */
            size_t j = i + (size_t)rng_below(b->rng, p - i);
            int tf = b->feat[i];
            b->feat[i] = b->feat[j];
            b->feat[j] = tf;
            f = b->feat[i];
        }
        if (scan_feature(b, f, start, end, wnode, best))
            continue;
        if (!all && ++tried >= b->max_features)
            break;
    }
}

/* Partition every list's range [start, end) stably by goes_left; nl rows go left. */
static void
partition(struct builder *b, size_t start, size_t end, size_t nl)
{
    for (size_t j = 0; j < b->p; j++) {
        struct tree_entry *s = b->e + j * b->m + start;
        size_t len = end - start, l = 0, r = 0;
        for (size_t i = 0; i < len; i++) {
            if (b->goes_left[s[i].row])
                s[l++] = s[i];
            else
                b->tmp[r++] = s[i];
        }
        memcpy(s + nl, b->tmp, sizeof *s * r);
    }
}

static int
new_node(struct builder *b, struct qerr *err)
{
    if (b->out.n_nodes == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        struct tree_node *nodes =
            mem_realloc(b->out.nodes, cap, sizeof *nodes, "tree", "nodes", err);
        if (!nodes)
            return -1;
        b->out.nodes = nodes;
        double *value = mem_realloc(b->out.value, mem_mul(cap, (size_t)b->nclass),
                                    sizeof *value, "tree", "node counts", err);
        if (!value)
            return -1;
        b->out.value = value;
        b->cap = cap;
    }
    return (int)b->out.n_nodes++;
}

struct pending {
    size_t start, end;
    int depth;
    int parent;  /* -1 for the root */
    int is_left;
};

static int
grow(struct builder *b, struct tick *t, atomic_int *stop, struct qerr *err)
{
    int rc = -1, nclass = b->nclass;
    size_t cap = 64, top = 0, done = 0;
    struct pending *st = xmalloc(cap * sizeof *st);
    const struct tree_params *tp = b->tp;
    st[top++] = (struct pending){0, b->m, 0, -1, 0};
    while (top > 0) {
        struct pending q = st[--top];
        if (stop && atomic_load_explicit(stop, memory_order_relaxed)) {
            tick_fail(err);
            goto out;
        }
        double frac = b->m ? (double)done / (double)b->m : 0.0;
        if (t && tick(t, tp->progress_base + tp->progress_span * frac)) {
            tick_fail(err);
            goto out;
        }
        int id = new_node(b, err);
        if (id < 0)
            goto out;
        if (q.parent >= 0) {
            if (q.is_left)
                b->out.nodes[q.parent].left = id;
            else
                b->out.nodes[q.parent].right = id;
        }
        /* the node's counts, from the first list */
        double *cnt = b->cnt, wnode = 0;
        memset(cnt, 0, sizeof *cnt * (size_t)nclass);
        const struct tree_entry *s0 = b->e + q.start;
        size_t len = q.end - q.start;
        for (size_t i = 0; i < len; i++) {
            double ww = row_weight(b, s0[i].row);
            cnt[s0[i].y] += ww;
            wnode += ww;
        }
        struct tree_node *nd = &b->out.nodes[id];
        *nd = (struct tree_node){.threshold = 0, .impurity = impurity(b, cnt, wnode),
                                 .weight = wnode, .n = (int64_t)len, .feature = -1,
                                 .left = -1, .right = -1, .missing_left = 0};
        memcpy(b->out.value + (size_t)id * (size_t)nclass, cnt, sizeof *cnt * (size_t)nclass);
        int leaf = (tp->maxdepth > 0 && q.depth >= tp->maxdepth) ||
                   len < (size_t)tp->minsplit || len < 2 * (size_t)tp->minleaf ||
                   nd->impurity <= DBL_EPSILON;
        struct split sp;
        if (!leaf) {
            find_split(b, q.start, q.end, wnode, &sp);
            leaf = sp.feature < 0;
        }
        if (leaf) {
            done += len;
            continue;
        }
        /* mark the sides: the non-missing rows by the threshold, the rest the heavier way */
        const struct tree_entry *sf = b->e + (size_t)sp.feature * b->m + q.start;
        int ml = sp.wl >= sp.wr;
        size_t nl = 0;
        for (size_t i = 0; i < len; i++) {
            int left = isnan(sf[i].v) ? ml : i <= sp.pos;
            b->goes_left[sf[i].row] = (unsigned char)left;
            nl += (size_t)left;
        }
        nd = &b->out.nodes[id];
        nd->feature = sp.feature;
        nd->threshold = sp.threshold;
        nd->missing_left = ml;
        partition(b, q.start, q.end, nl);
        if (top + 2 > cap) {
            cap *= 2;
            st = xrealloc(st, cap * sizeof *st);
        }
        /* the right child is pushed first so the left is made next (pre-order) */
        st[top++] = (struct pending){q.start + nl, q.end, q.depth + 1, id, 0};
        st[top++] = (struct pending){q.start, q.start + nl, q.depth + 1, id, 1};
    }
    rc = 0;
out:
    free(st);
    return rc;
}

int
tree_build(struct tree_entry *e, size_t m, size_t n, size_t p, int nclass, const int *w,
           const struct tree_params *tp, struct rng *rng, struct tick *t, atomic_int *stop,
           struct tree *out, struct qerr *err)
{
    int rc = -1;
    struct builder b = {.e = e, .m = m, .n = n, .p = p, .nclass = nclass, .w = w, .tp = tp,
                        .max_features = tp->max_features, .rng = rng};
    memset(out, 0, sizeof *out);
    b.out.nclass = nclass;
    b.out.p = p;
    b.tmp = mem_alloc(m, sizeof *b.tmp, "tree", "rows", err);
    b.goes_left = mem_alloc(n, 1, "tree", "rows", err);
    b.cnt = xcalloc((size_t)nclass * 3, sizeof *b.cnt);
    b.cm = b.cnt + nclass;
    b.cl = b.cm + nclass;
    b.feat = xmalloc((p ? p : 1) * sizeof *b.feat);
    for (size_t j = 0; j < p; j++)
        b.feat[j] = (int)j;
    if (!b.tmp || !b.goes_left)
        goto out;
    if (tp->criterion == CLS_ENTROPY) {
        double total = 0;
        for (size_t i = 0; i < m; i++)
            total += w ? (double)w[e[i].row] : 1.0;
        b.xlogx_n = (size_t)total + 1;
        b.xlogx = mem_alloc(b.xlogx_n, sizeof *b.xlogx, "tree", "log table", err);
        if (!b.xlogx)
            goto out;
        b.xlogx[0] = 0;
        for (size_t i = 1; i < b.xlogx_n; i++)
            b.xlogx[i] = (double)i * log((double)i);
    }
    if (grow(&b, t, stop, err) < 0)
        goto out;
    *out = b.out;
    memset(&b.out, 0, sizeof b.out);
    rc = 0;
out:
    tree_release(&b.out);
    free(b.tmp);
    free(b.goes_left);
    free(b.cnt);
    free(b.feat);
    free(b.xlogx);
    return rc;
}

/* --- the fitted tree --------------------------------------------------------- */

void
tree_release(struct tree *t)
{
    free(t->nodes);
    free(t->value);
    memset(t, 0, sizeof *t);
}

size_t
tree_leaf(const struct tree *t, const double *row)
{
    const struct tree_node *nd = t->nodes;
    size_t i = 0;
    while (nd[i].feature >= 0) {
        double v = row[nd[i].feature];
        int left = isnan(v) ? nd[i].missing_left : v <= nd[i].threshold;
        i = (size_t)(left ? nd[i].left : nd[i].right);
    }
    return i;
}

int
tree_importance_add(const struct tree *t, double *imp)
{
    if (t->n_nodes < 2)
        return 0;
    double *acc = xcalloc(t->p ? t->p : 1, sizeof *acc), sum = 0;
    for (size_t i = 0; i < t->n_nodes; i++) {
        const struct tree_node *nd = &t->nodes[i];
        if (nd->feature < 0)
            continue;
        const struct tree_node *l = &t->nodes[nd->left], *r = &t->nodes[nd->right];
        acc[nd->feature] +=
            nd->weight * nd->impurity - l->weight * l->impurity - r->weight * r->impurity;
    }
    for (size_t j = 0; j < t->p; j++) {
        acc[j] /= t->nodes[0].weight;
        sum += acc[j];
    }
    int added = sum > 0;
    if (added)
        for (size_t j = 0; j < t->p; j++)
            imp[j] += acc[j] / sum;
    free(acc);
    return added;
}

int
tree_depth(const struct tree *t, size_t *leaves)
{
    int *depth = xcalloc(t->n_nodes ? t->n_nodes : 1, sizeof *depth), max = 0;
    size_t nl = 0;
    for (size_t i = 0; i < t->n_nodes; i++) {
        const struct tree_node *nd = &t->nodes[i];
        if (depth[i] > max)
            max = depth[i];
        if (nd->feature < 0) {
            nl++;
            continue;
        }
        depth[nd->left] = depth[i] + 1;
        depth[nd->right] = depth[i] + 1;
    }
    free(depth);
    if (leaves)
        *leaves = nl;
    return max;
}

const char *
tree_criterion_name(enum cls_criterion c)
{
    return c == CLS_ENTROPY ? "entropy" : "gini";
}
