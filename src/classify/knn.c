/*
 * knn.c: k nearest neighbours (knn.h): the model keeps the training rows;
 * prediction is a brute-force search by blocks.
 *
 * The search, for a block of QB query rows against a block of TB training
 * rows: G = Q T' by one dgemm on rows less the training mean, so the
 * approximate squared distance is |q|^2 + |t|^2 - 2 G. Each query keeps
 * a max-heap of its k best (exact squared distance, row number) pairs; a
 * training row goes through the exact computation, sum_l (q_l - t_l)^2 on
 * the rows as given, only when its approximate distance, less a bound on
 * the rounding of the fast formula (SLACK (|q|^2 + |t|^2)), is not above
 * the heap's worst: rows that cannot enter are skipped without their
 * exact distance being needed, and the rows chosen are the exact k
 * nearest, ties going to the lower row number (the blocks come in row
 * order and a row enters only when strictly nearer than the worst kept).
 * Query blocks go to the threads; each query's answer depends on its own
 * block only, so the bits are the same for every thread count.
 */
#include "classify/knn.h"

#include <cblas.h>
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/mem.h"

#include "base/banned.h"

#define QB 64
#define TB 2048
#define MAX_THREADS 64
#define KD_MAXP 10   /* a k-d tree up to this many features */
#define KD_MINN 256  /* and from this many training rows */
#define KD_LEAF 30   /* rows in a leaf at most (scikit-learn's leaf_size) */

/*
 * The k-d tree: node i covers the rows ord[lo..hi) of the tree's order
 * (xs holds them in that order, a copy of x's rows), inside the box
 * bmin..bmax (p values each); an inner node splits its rows at the median
 * of the feature of widest spread into left and right. A search visits
 * the nearer child first and skips a node only when its box is strictly
 * farther than the k-th best: the box distance is computed as the exact
 * distances are (per feature, in feature order), and rounding is
 * monotone, so it never exceeds the computed distance of a row inside,
 * and the rows chosen (ties to the lower row number) are the brute
 * force's, bit for bit.
 */
struct kdnode {
    size_t lo, hi;
    int left, right; /* -1 for a leaf */
    int dim;         /* an inner node: the feature split on, at value split */
    double split;
};

struct kdtree {
    int p, nnode;
    double *xs;      /* n x p in tree order */
    int *ord;        /* n: the training row of each */
    struct kdnode *node;
    double *bmin, *bmax; /* nnode x p */
};

const struct store_kind knn_kind = { "knn", 0, 1, 1 };

struct knn {
    int nclass, p, k, threads;
    enum cls_weights weights;
    size_t n;
    double *x;     /* n x p, the training rows as given */
    int *y;        /* n */
    /* derived from x at fit and load, not stored */
    double *mean;  /* p */
    double *xc;    /* n x p, x less mean */
    double *tn;    /* n: (1 - slack) |xc_i|^2 */
    double slack;
    struct kdtree *tree; /* p <= KD_MAXP: the k-d tree searched instead */
};

void
knn_params(const void *model, int *k, enum cls_weights *weights, size_t *n_train)
{
    const struct knn *m = model;
    *k = m->k;
    *weights = m->weights;
    *n_train = m->n;
}

static void underive(struct knn *m);

static void
knn_release(void *model)
{
    struct knn *m = model;
    if (!m)
        return;
    free(m->x);
    free(m->y);
    underive(m);
    free(m);
}

/* --- the k-d tree ------------------------------------------------------------- */

/* Put the row of rank `mid` by feature j in place within ord[lo..hi) (three-way quickselect). */
static void
kd_select(const double *x, int p, int *ord, size_t lo, size_t hi, size_t mid, int j)
{
    while (hi - lo > 1) {
        double a = x[(size_t)ord[lo] * p + j], b = x[(size_t)ord[(lo + hi) / 2] * p + j];
        double c = x[(size_t)ord[hi - 1] * p + j];
        double piv = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
        size_t lt = lo, i = lo, gt = hi;
        while (i < gt) {
            double v = x[(size_t)ord[i] * p + j];
            int t = ord[i];
            if (v < piv) {
                ord[i++] = ord[lt];
                ord[lt++] = t;
            } else if (v > piv) {
                ord[i] = ord[--gt];
                ord[gt] = t;
            } else {
                i++;
            }
        }
        if (mid < lt)
            hi = lt;
        else if (mid >= gt)
            lo = gt;
        else
            return;
    }
}

static int
kd_build(struct kdtree *t, const double *x, size_t lo, size_t hi)
{
    int p = t->p, id = t->nnode++;
    struct kdnode *nd = &t->node[id];
    double *mn = t->bmin + (size_t)id * p, *mx = t->bmax + (size_t)id * p;
    nd->lo = lo;
    nd->hi = hi;
    nd->left = nd->right = -1;
    for (int j = 0; j < p; j++) {
        mn[j] = INFINITY;
        mx[j] = -INFINITY;
    }
    for (size_t i = lo; i < hi; i++)
        for (int j = 0; j < p; j++) {
            double v = x[(size_t)t->ord[i] * p + j];
            mn[j] = v < mn[j] ? v : mn[j];
            mx[j] = v > mx[j] ? v : mx[j];
        }
    if (hi - lo <= KD_LEAF)
        return id;
    int best = 0;
    for (int j = 1; j < p; j++)
        if (mx[j] - mn[j] > mx[best] - mn[best])
            best = j;
    if (!(mx[best] - mn[best] > 0))
        return id; /* every row alike: one leaf */
    size_t mid = lo + (hi - lo) / 2;
    kd_select(x, p, t->ord, lo, hi, mid, best);
    t->node[id].dim = best;
    t->node[id].split = x[(size_t)t->ord[mid] * p + best];
    int l = kd_build(t, x, lo, mid);
    int r = kd_build(t, x, mid, hi);
    t->node[id].left = l;
    t->node[id].right = r;
    return id;
}

static int
kd_new(struct knn *m, struct qerr *err)
{
    size_t n = m->n, cap = 4 * (n / KD_LEAF + 1);
    int p = m->p;
    struct kdtree *t = xcalloc(1, sizeof *t);
    m->tree = t;
    t->p = p;
    t->xs = mem_alloc(mem_mul(n, (size_t)p), sizeof(double), "knn", "tree values", err);
    t->ord = mem_alloc(n, sizeof(int), "knn", "tree rows", err);
    t->node = mem_alloc(cap, sizeof(struct kdnode), "knn", "tree nodes", err);
    t->bmin = mem_alloc(mem_mul(cap, (size_t)p), sizeof(double), "knn", "tree boxes", err);
    t->bmax = mem_alloc(mem_mul(cap, (size_t)p), sizeof(double), "knn", "tree boxes", err);
    if (!t->xs || !t->ord || !t->node || !t->bmin || !t->bmax)
        return -1;
    for (size_t i = 0; i < n; i++)
        t->ord[i] = (int)i;
    kd_build(t, m->x, 0, n);
    for (size_t i = 0; i < n; i++)
        memcpy(t->xs + i * (size_t)p, m->x + (size_t)t->ord[i] * p, sizeof(double) * (size_t)p);
    return 0;
}

/*
 * The squared distance from q to node id's box, as exact distances are
 * computed, or as soon as the sum passes worst, a partial sum above it
 * (the terms are not negative and rounding is monotone).
 */
static double
kd_box(const struct kdtree *t, int id, const double *q, double worst)
{
    const double *mn = t->bmin + (size_t)id * t->p, *mx = t->bmax + (size_t)id * t->p;
    double d2 = 0;
    for (int j = 0; j < t->p; j++) {
        double v = q[j] < mn[j] ? q[j] - mn[j] : q[j] > mx[j] ? q[j] - mx[j] : 0.0;
        d2 += v * v;
        if (d2 > worst)
            break;
    }
    return d2;
}

static void
underive(struct knn *m)
{
    free(m->mean);
    free(m->xc);
    free(m->tn);
    m->mean = m->xc = m->tn = NULL;
    if (m->tree) {
        free(m->tree->xs);
        free(m->tree->ord);
        free(m->tree->node);
        free(m->tree->bmin);
        free(m->tree->bmax);
        free(m->tree);
        m->tree = NULL;
    }
}

/* What the search needs: the k-d tree, or the centred copy and its norms. */
static int
derive(struct knn *m, enum knn_search how, struct qerr *err)
{
    size_t n = m->n;
    int p = m->p;
    if (how == KNN_TREE || (how == KNN_AUTO && p <= KD_MAXP && n >= KD_MINN))
        return kd_new(m, err);
    m->mean = mem_calloc((size_t)p + 1, sizeof(double), "knn", "feature means", err);
    m->xc = mem_alloc(mem_mul(n, (size_t)p) + 1, sizeof(double), "knn", "training values", err);
    m->tn = mem_alloc(n + 1, sizeof(double), "knn", "row norms", err);
    if (!m->mean || !m->xc || !m->tn)
        return -1;
    for (size_t i = 0; i < n; i++)
        for (int j = 0; j < p; j++)
            m->mean[j] += m->x[i * (size_t)p + j];
    for (int j = 0; j < p; j++)
        m->mean[j] /= (double)(n ? n : 1);
    /* a bound on the rounding of |q|^2 + |t|^2 - 2 q.t, generous (see the file comment) */
    m->slack = 4.0 * (p + 4) * DBL_EPSILON;
    for (size_t i = 0; i < n; i++) {
        double s = 0;
        for (int j = 0; j < p; j++) {
            double v = m->x[i * (size_t)p + j] - m->mean[j];
            m->xc[i * (size_t)p + j] = v;
            s += v * v;
        }
        m->tn[i] = (1.0 - m->slack) * s;
    }
    return 0;
}

int
knn_set_search(void *model, enum knn_search how, struct qerr *err)
{
    struct knn *m = model;
    underive(m);
    return derive(m, how, err);
}

static int
knn_fit(const struct cls_data *d, const struct cls_opts *o, struct tick *t, void **model,
        struct qerr *err)
{
    *model = NULL;
    if (d->n == 0)
        return qerr_set(err, QE_ARG, "knn needs at least one training row");
    if (o->k < 1)
        return qerr_set(err, QE_ARG, "k must be at least 1, not %d", o->k);
    if ((size_t)o->k > d->n)
        return qerr_set(err, QE_ARG, "k=%d needs at least %d training rows; there are %zu",
                        o->k, o->k, d->n);
    if (d->nclass < 1)
        return qerr_set(err, QE_ARG, "knn needs at least one class");
    struct knn *m = xcalloc(1, sizeof *m);
    m->nclass = d->nclass;
    m->p = (int)d->p;
    m->k = o->k;
    m->weights = o->weights;
    m->threads = o->threads < 0 ? 0 : o->threads > MAX_THREADS ? MAX_THREADS : o->threads;
    m->n = d->n;
    m->x = mem_alloc(mem_mul(d->n, d->p) + 1, sizeof(double), "knn", "training values", err);
    m->y = mem_alloc(d->n, sizeof(int), "knn", "training labels", err);
    if (!m->x || !m->y)
        goto fail;
    memcpy(m->x, d->x, sizeof(double) * d->n * d->p);
    memcpy(m->y, d->y, sizeof(int) * d->n);
    if (derive(m, KNN_AUTO, err) < 0)
        goto fail;
    (void)t;
    *model = m;
    return 0;
fail:
    knn_release(m);
    return -1;
}

/* --- the search ----------------------------------------------------------------- */

struct job {
    const struct knn *m;
    const double *x;   /* queries, n x p */
    size_t n;
    int *idx;          /* n x k */
    double *dist;      /* n x k, or NULL */
    atomic_size_t next;
};

/* Worker scratch. */
struct scratch {
    double *q;    /* QB x p centred queries */
    double *qn;   /* QB */
    double *g;    /* QB x TB */
    double *hd;   /* QB x k heap distances */
    int *hi;      /* QB x k heap rows */
    int *hn;      /* QB heap sizes */
};

/* (d1, i1) after (d2, i2): the max-heap's order. */
static int
worse(double d1, int i1, double d2, int i2)
{
    return d1 > d2 || (d1 == d2 && i1 > i2);
}

static void
heap_down(double *hd, int *hi, int n, int at)
{
    for (;;) {
        int l = 2 * at + 1, r = l + 1, top = at;
        if (l < n && worse(hd[l], hi[l], hd[top], hi[top]))
            top = l;
        if (r < n && worse(hd[r], hi[r], hd[top], hi[top]))
            top = r;
        if (top == at)
            return;
        double td = hd[at];
        int ti = hi[at];
        hd[at] = hd[top];
        hi[at] = hi[top];
        hd[top] = td;
        hi[top] = ti;
        at = top;
    }
}

static void
heap_push(double *hd, int *hi, int *n, int k, double d, int i)
{
    if (*n < k) {
        int at = (*n)++;
        hd[at] = d;
        hi[at] = i;
        while (at > 0) {
            int up = (at - 1) / 2;
            if (!worse(hd[at], hi[at], hd[up], hi[up]))
                break;
            double td = hd[at];
            int ti = hi[at];
            hd[at] = hd[up];
            hi[at] = hi[up];
            hd[up] = td;
            hi[up] = ti;
            at = up;
        }
        return;
    }
    if (!worse(hd[0], hi[0], d, i))
        return;
    hd[0] = d;
    hi[0] = i;
    heap_down(hd, hi, k, 0);
}

static void
kd_visit(const struct kdtree *t, int id, const double *q, int k, double *hd, int *hi, int *hn)
{
    const struct kdnode *nd = &t->node[id];
    if (*hn == k && kd_box(t, id, q, hd[0]) > hd[0])
        return;
    if (nd->left < 0) {
        int p = t->p;
        for (size_t i = nd->lo; i < nd->hi; i++) {
            const double *xt = t->xs + i * (size_t)p;
            double d2 = 0;
            for (int l = 0; l < p; l++) {
                double v = q[l] - xt[l];
                d2 += v * v;
            }
            if (*hn < k || d2 <= hd[0])
                heap_push(hd, hi, hn, k, d2, t->ord[i]);
        }
        return;
    }
    int near = q[nd->dim] < nd->split ? nd->left : nd->right;
    kd_visit(t, near, q, k, hd, hi, hn);
    kd_visit(t, near == nd->left ? nd->right : nd->left, q, k, hd, hi, hn);
}

static void
search_block(const struct job *jb, struct scratch *s, size_t q0, size_t qb)
{
    const struct knn *m = jb->m;
    int p = m->p, k = m->k;
    if (m->tree) {
        for (size_t a = 0; a < qb; a++) {
            s->hn[a] = 0;
            kd_visit(m->tree, 0, jb->x + (q0 + a) * (size_t)p, k, s->hd + a * (size_t)k,
                     s->hi + a * (size_t)k, &s->hn[a]);
        }
        goto sorted;
    }
    for (size_t a = 0; a < qb; a++) {
        const double *xq = jb->x + (q0 + a) * (size_t)p;
        double sum = 0;
        for (int j = 0; j < p; j++) {
            double v = xq[j] - m->mean[j];
            s->q[a * (size_t)p + j] = v;
            sum += v * v;
        }
        s->qn[a] = (1.0 - m->slack) * sum;
        s->hn[a] = 0;
    }
    for (size_t t0 = 0; t0 < m->n; t0 += TB) {
        size_t tb = m->n - t0 < TB ? m->n - t0 : TB;
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)qb, (int)tb, p, 2.0, s->q, p,
                    m->xc + t0 * (size_t)p, p, 0.0, s->g, (int)tb);
        for (size_t a = 0; a < qb; a++) {
            const double *xq = jb->x + (q0 + a) * (size_t)p, *ga = s->g + a * tb;
            double *hd = s->hd + a * (size_t)k;
            int *hi = s->hi + a * (size_t)k, *hn = &s->hn[a];
            double thr = *hn < k ? INFINITY : hd[0] - s->qn[a];
            const double *tn = m->tn + t0;
            for (size_t j = 0; j < tb; j++) {
                if (tn[j] - ga[j] > thr)
                    continue;
                const double *xt = m->x + (t0 + j) * (size_t)p;
                double d2 = 0;
                for (int l = 0; l < p; l++) {
                    double v = xq[l] - xt[l];
                    d2 += v * v;
                }
                heap_push(hd, hi, hn, k, d2, (int)(t0 + j));
                if (*hn == k)
                    thr = hd[0] - s->qn[a];
            }
        }
    }
sorted:
    /* heap to sorted order, nearest first: pop the worst into the last place */
    for (size_t a = 0; a < qb; a++) {
        double *hd = s->hd + a * (size_t)k;
        int *hi = s->hi + a * (size_t)k, n = s->hn[a];
        while (n > 1) {
            double td = hd[0];
            int ti = hi[0];
            hd[0] = hd[n - 1];
            hi[0] = hi[n - 1];
            hd[n - 1] = td;
            hi[n - 1] = ti;
            n--;
            heap_down(hd, hi, n, 0);
        }
        size_t row = q0 + a;
        memcpy(jb->idx + row * (size_t)k, hi, sizeof(int) * (size_t)k);
        if (jb->dist)
            for (int j = 0; j < k; j++)
                jb->dist[row * (size_t)k + j] = sqrt(hd[j]);
    }
}

static void *
worker(void *arg)
{
    struct job *jb = arg;
    const struct knn *m = jb->m;
    struct scratch s;
    size_t k = (size_t)m->k, p = (size_t)m->p;
    s.q = malloc(sizeof(double) * (QB * p + 1));
    s.qn = malloc(sizeof(double) * QB);
    s.g = malloc(sizeof(double) * (m->tree ? 1 : QB * TB));
    s.hd = malloc(sizeof(double) * QB * k);
    s.hi = malloc(sizeof(int) * QB * k);
    s.hn = malloc(sizeof(int) * QB);
    if (!s.q || !s.qn || !s.g || !s.hd || !s.hi || !s.hn)
        goto out; /* another thread (or the caller's) takes the blocks */
    for (;;) {
        size_t b = atomic_fetch_add(&jb->next, 1), q0 = b * QB;
        if (q0 >= jb->n)
            break;
        search_block(jb, &s, q0, jb->n - q0 < QB ? jb->n - q0 : QB);
    }
out:
    free(s.q);
    free(s.qn);
    free(s.g);
    free(s.hd);
    free(s.hi);
    free(s.hn);
    return NULL;
}

int
knn_neighbors(const void *model, const double *x, size_t n, size_t p, int *idx, double *dist,
              struct qerr *err)
{
    const struct knn *m = model;
    if ((int)p != m->p)
        return qerr_set(err, QE_ARG, "the model was fitted on %d features, not %zu", m->p, p);
    size_t per = sizeof(double) * ((size_t)QB * (p + (size_t)TB + 2 * (size_t)m->k + 2));
    int nt = m->threads > 0 ? m->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
    size_t blocks = (n + QB - 1) / QB;
    nt = nt < 1 ? 1 : nt > MAX_THREADS ? MAX_THREADS : nt;
    if ((size_t)nt > blocks)
        nt = blocks ? (int)blocks : 1;
    if (mem_budget_fits((size_t)nt, per, "knn", "search buffers", err) < 0)
        return -1;
    struct job jb = { m, x, n, idx, dist, 0 };
#ifdef OPENBLAS_VERSION
    int blas_threads = openblas_get_num_threads();
    if (blas_threads > 1)
        openblas_set_num_threads(1);
#endif
    pthread_t th[MAX_THREADS];
    int started = 0;
    for (int t = 1; t < nt; t++) {
        if (pthread_create(&th[started], NULL, worker, &jb) != 0)
            break;
        started++;
    }
    worker(&jb);
    for (int t = 0; t < started; t++)
        pthread_join(th[t], NULL);
#ifdef OPENBLAS_VERSION
    if (blas_threads > 1)
        openblas_set_num_threads(blas_threads);
#endif
    if (atomic_load(&jb.next) * QB < n) /* every worker failed to get its buffers */
        return qerr_set(err, QE_NOMEM, "out of memory for the knn search buffers");
    return 0;
}

static int
knn_proba(const void *model, const struct cls_data *d, double *out, struct qerr *err)
{
    const struct knn *m = model;
    int k = m->k, K = m->nclass, rc = -1;
    int *idx = mem_alloc(mem_mul(d->n, (size_t)k) + 1, sizeof(int), "knn", "neighbours", err);
    double *dist = mem_alloc(mem_mul(d->n, (size_t)k) + 1, sizeof(double), "knn",
                             "neighbour distances", err);
    if (!idx || !dist)
        goto out;
    if (knn_neighbors(m, d->x, d->n, d->p, idx, dist, err) < 0)
        goto out;
    for (size_t i = 0; i < d->n; i++) {
        double *o = out + i * (size_t)K, sum = 0;
        const int *ni = idx + i * (size_t)k;
        const double *di = dist + i * (size_t)k;
        int zero = 0;
        for (int c = 0; c < K; c++)
            o[c] = 0;
        if (m->weights == CLS_DISTANCE)
            for (int j = 0; j < k; j++)
                zero |= di[j] == 0;
        for (int j = 0; j < k; j++) {
            double w = 1.0;
            if (m->weights == CLS_DISTANCE)
                w = zero ? (di[j] == 0 ? 1.0 : 0.0) : 1.0 / di[j];
            o[m->y[ni[j]]] += w;
        }
        for (int c = 0; c < K; c++)
            sum += o[c];
        for (int c = 0; c < K; c++)
            o[c] /= sum;
    }
    rc = 0;
out:
    free(idx);
    free(dist);
    return rc;
}

/* --- state ---------------------------------------------------------------------- */

static int
knn_save(const void *model, struct buf *b, struct qerr *err)
{
    const struct knn *m = model;
    store_add_i64(b, m->nclass);
    store_add_i64(b, m->p);
    store_add_i64(b, m->k);
    store_add_i64(b, m->weights == CLS_DISTANCE);
    store_add_i64(b, m->threads);
    store_add_i64(b, (int64_t)m->n);
    store_add_f64s(b, m->x, m->n * (size_t)m->p);
    for (size_t i = 0; i < m->n; i++)
        store_add_i64(b, m->y[i]);
    (void)err;
    return 0;
}

static int
knn_load(struct store_reader *r, void **model, struct qerr *err)
{
    struct knn *m = xcalloc(1, sizeof *m);
    int64_t nclass, p, k, wd, threads, n;
    *model = NULL;
    if (store_read_count(r, 0, INT32_MAX, &nclass, err) < 0 ||
        store_read_count(r, 0, INT32_MAX, &p, err) < 0 ||
        store_read_count(r, 0, INT32_MAX, &k, err) < 0 ||
        store_read_count(r, 0, 1, &wd, err) < 0 ||
        store_read_count(r, 0, MAX_THREADS, &threads, err) < 0 ||
        store_read_count(r, 8 * (size_t)(p + 1), INT32_MAX, &n, err) < 0)
        goto fail;
    if (nclass < 1 || k < 1 || k > n) {
        store_read_fail(r, err, "k=%lld does not fit %lld training rows and %lld classes",
                        (long long)k, (long long)n, (long long)nclass);
        goto fail;
    }
    m->nclass = (int)nclass;
    m->p = (int)p;
    m->k = (int)k;
    m->weights = wd ? CLS_DISTANCE : CLS_UNIFORM;
    m->threads = (int)threads;
    m->n = (size_t)n;
    m->x = mem_alloc((size_t)(n * p) + 1, sizeof(double), "knn", "training values", err);
    m->y = mem_alloc((size_t)n + 1, sizeof(int), "knn", "training labels", err);
    if (!m->x || !m->y || store_read_f64s(r, m->x, (size_t)(n * p), err) < 0)
        goto fail;
    for (int64_t i = 0; i < n; i++) {
        int64_t v;
        if (store_read_i64(r, &v, err) < 0)
            goto fail;
        if (v < 0 || v >= nclass) {
            store_read_fail(r, err, "a training label %lld is outside 0..%lld", (long long)v,
                            (long long)nclass - 1);
            goto fail;
        }
        m->y[i] = (int)v;
    }
    if (store_read_end(r, err) < 0 || derive(m, KNN_AUTO, err) < 0)
        goto fail;
    *model = m;
    return 0;
fail:
    knn_release(m);
    return -1;
}

static int
knn_show(const void *model, const char *const *names, struct buf *out, struct qerr *err)
{
    const struct knn *m = model;
    buf_addf(out, "k nearest neighbours: k=%d, %s weights, Euclidean distance\n", m->k,
             m->weights == CLS_DISTANCE ? "distance (1/d)" : "uniform");
    buf_addf(out, "%zu training rows x %d feature%s, %d class%s, kept in the model\n", m->n,
             m->p, m->p == 1 ? "" : "s", m->nclass, m->nclass == 1 ? "" : "es");
    buf_adds(out, m->tree ? "search: a k-d tree (exact distances)\n"
                          : "search: brute force, BLAS blocks with exact distances for the "
                            "candidates\n");
    if (names && m->p > 0) {
        buf_adds(out, "features:");
        for (int j = 0; j < m->p; j++)
            buf_addf(out, " %s", names[j] ? names[j] : "?");
        buf_addc(out, '\n');
    }
    (void)err;
    return 0;
}

/*
 * The k neighbours of one row: each with its training row, distance,
 * class and weight (and its features when there are few), then each
 * class's vote and share.
 */
static void
knn_trace(const void *model, const double *row, const char *const *names, struct buf *out)
{
    const struct knn *m = model;
    int k = m->k, K = m->nclass;
    int *idx = xmalloc((size_t)k * sizeof *idx);
    double *dist = xmalloc((size_t)k * sizeof *dist), *vote = xcalloc((size_t)K, sizeof *vote);
    struct qerr e = QERR_INIT;
    if (knn_neighbors(m, row, 1, (size_t)m->p, idx, dist, &e) < 0) {
        buf_addf(out, "the neighbour search failed: %s\n", e.msg);
        qerr_clear(&e);
        goto out;
    }
    int zero = 0;
    for (int j = 0; j < k && m->weights == CLS_DISTANCE; j++)
        zero |= dist[j] == 0;
    buf_addf(out, "the %d nearest of %zu training rows (Euclidean distance; weights %s):\n", k,
             m->n, m->weights == CLS_UNIFORM ? "uniform, 1 each"
                   : zero ? "distance, but some sit at 0: they alone vote, 1 each"
                          : "distance, 1/d");
    buf_adds(out, "  rank  training row      distance  class      weight");
    int show_x = m->p <= 6;
    for (int f = 0; show_x && f < m->p; f++) {
        if (names && names[f])
            buf_addf(out, "  %s", names[f]);
        else
            buf_addf(out, "  x%d", f + 1);
    }
    buf_addc(out, '\n');
    for (int j = 0; j < k; j++) {
        double w = 1.0;
        if (m->weights == CLS_DISTANCE)
            w = zero ? (dist[j] == 0 ? 1.0 : 0.0) : 1.0 / dist[j];
        int c = m->y[idx[j]];
        vote[c] += w;
        buf_addf(out, "  %4d  %12d  %12.6g  %5d  %10.6g", j + 1, idx[j] + 1, dist[j], c, w);
        for (int f = 0; show_x && f < m->p; f++)
            buf_addf(out, "  %.6g", m->x[(size_t)idx[j] * m->p + f]);
        buf_addc(out, '\n');
    }
    double sum = 0;
    for (int c = 0; c < K; c++)
        sum += vote[c];
    buf_adds(out, "votes (sum of weights):");
    for (int c = 0; c < K; c++)
        buf_addf(out, " class %d %.6g%s", c, vote[c], c + 1 < K ? "," : "");
    buf_addf(out, "\nP(class) = a class's votes / %.6g, the first largest wins a tie\n", sum);
out:
    free(idx);
    free(dist);
    free(vote);
}

const struct cls_method cls_knn = {
    .name = "knn",
    .kind = &knn_kind,
    .takes_missing = 0,
    .takes_categorical = 0,
    .fit = knn_fit,
    .proba = knn_proba,
    .save = knn_save,
    .load = knn_load,
    .show = knn_show,
    .release = knn_release,
    .trace = knn_trace,
};
