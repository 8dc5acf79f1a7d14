/*
 * kmeans.c: Lloyd iterations for k-means, k-medians and spherical k-means
 * (see kmeans.h), with k-means++ seeding.
 *
 * Central structure: struct work, a fit's buffers; each iteration runs one
 * assignment-and-accumulate pass (kmeans_pass.h) over the rows, split
 * across threads into contiguous ranges with private sums, reduced in part
 * order.
 */
#include "cluster/kmeans.h"

#include <cblas.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/cluster_scale.h"
#include "cluster/kmeans_pass.h"
#include "base/mem.h"
#include "base/rng.h"
#include "base/banned.h"


void
kmeans_opts_init(struct kmeans_opts *o)
{
    memset(o, 0, sizeof *o);
    o->method = KMEANS_MEANS;
    o->init = KMEANS_INIT_KMPP;
    o->k = 4;
    o->restarts = 10;
    o->maxiter = 300;
    o->tol = 1e-6;
    o->threads = 1;
    o->gemm = -1;
}

int
kmeans_kernel_supported(enum kmeans_kernel kernel)
{
    return kmeans_pass_kernel_ok(kernel);
}

void
kmeans_result_release(struct kmeans_result *r)
{
    free(r->labels);
    free(r->centres);
    free(r->counts);
    memset(r, 0, sizeof *r);
}

/* --- helpers -------------------------------------------------------------- */

double
kmeans_inertia(const double *x, long long n, int d, long long ld, const int32_t *labels,
               const double *centres)
{
    double tot = 0;
    for (long long i = 0; i < n; i++) {
        const double *c = centres + (long long)labels[i] * d;
        double s = 0;
        for (int q = 0; q < d; q++) {
            double v = x[(long long)q * ld + i] - c[q];
            s += v * v;
        }
        tot += s;
    }
    return tot;
}

static double
sqdist_row(const double *x, long long ld, int d, long long i, const double *c)
{
    double s = 0;
    for (int q = 0; q < d; q++) {
        double v = x[(long long)q * ld + i] - c[q];
        s += v * v;
    }
    return s;
}

int
kmeans_plusplus(const double *x, long long n, int d, long long ld, int k, uint64_t seed,
                double *centres, long long *rows, struct qerr *err)
{
    if (k < 1 || k > n)
        return qerr_set(err, QE_ARG, "k=%d needs between 1 and %lld rows", k, n);
    int e;
    if (cluster_scale_exp(x, n, d, ld, NULL, "k-means++ seeding", &e, err) < 0)
        return -1;
    double *dmin = mem_alloc((size_t)n, sizeof(double), "k-means++", "rows", err);
    if (!dmin)
        return -1;
    double s = ldexp(1.0, -e); /* squared distances in units of 2^e: finite (cluster_scale.h) */
    struct rng r;
    rng_init(&r, seed);
    long long pick = (long long)rng_below(&r, (uint64_t)n);
    for (int c = 0; c < k; c++) {
        if (c > 0) {
            double tot = 0;
            for (long long i = 0; i < n; i++)
                tot += dmin[i];
            if (tot > 0) {
                double u = rng_uniform(&r) * tot, run = 0;
                pick = -1;
                for (long long i = 0; i < n; i++) {
                    run += dmin[i];
                    if (dmin[i] > 0 && run > u) {
                        pick = i;
                        break;
                    }
                }
                if (pick < 0) /* rounding at the end of the scan: the last positive row */
                    for (long long i = n - 1; i >= 0 && pick < 0; i--)
                        if (dmin[i] > 0)
                            pick = i;
            } else {
                pick = (long long)rng_below(&r, (uint64_t)n);
            }
        }
        if (rows)
            rows[c] = pick;
        double *cc = centres + (long long)c * d;
        for (int q = 0; q < d; q++)
            cc[q] = x[(long long)q * ld + pick];
        for (long long i = 0; i < n; i++) {
            double v = 0;
            for (int q = 0; q < d; q++) {
                double t = x[(long long)q * ld + i] * s - cc[q] * s;
                v += t * t;
            }
            if (c == 0 || v < dmin[i])
                dmin[i] = v;
        }
    }
    free(dmin);
    return 0;
}

static int
cmp_double(const void *a, const void *b)
{
    double u = *(const double *)a, v = *(const double *)b;
    return (u > v) - (u < v);
}

/* Quickselect: the m-th smallest of v[0..n) (v is reordered). */
static double
select_kth(double *v, long long n, long long m)
{
    long long lo = 0, hi = n - 1;
    while (hi - lo > 16) {
        double a = v[lo], b = v[(lo + hi) / 2], c = v[hi];
        double piv = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
        long long i = lo, j = hi;
        while (i <= j) {
            while (v[i] < piv)
                i++;
            while (v[j] > piv)
                j--;
            if (i <= j) {
                double t = v[i];
                v[i++] = v[j];
                v[j--] = t;
            }
        }
        if (m <= j)
            hi = j;
        else if (m >= i)
            lo = i;
        else
            return v[m];
    }
    qsort(v + lo, (size_t)(hi - lo + 1), sizeof(double), cmp_double);
    return v[m];
}

/* Coordinate medians of each cluster into c (k x d); empty clusters keep theirs. */
static void
update_medians(const double *x, long long n, int d, long long ld, int k, const int32_t *labels,
               const long long *counts, double *c, double *buf, long long *start)
{
    start[0] = 0;
    for (int j = 0; j < k; j++)
        start[j + 1] = start[j] + counts[j];
    long long *fill = start + k + 1;
    for (int q = 0; q < d; q++) {
        for (int j = 0; j < k; j++)
            fill[j] = start[j];
        const double *xq = x + (long long)q * ld;
        for (long long i = 0; i < n; i++)
            buf[fill[labels[i]]++] = xq[i];
        for (int j = 0; j < k; j++) {
            long long m = counts[j];
            if (m == 0)
                continue;
            double *v = buf + start[j];
            double hi = select_kth(v, m, m / 2);
            if (m % 2 == 0) {
                double lo = v[0];
                for (long long i = 1; i < m / 2; i++)
                    lo = v[i] > lo ? v[i] : lo; /* the largest of the lower half */
                hi = (lo + hi) / 2;
            }
            c[(long long)j * d + q] = hi;
        }
    }
}

/*
 * The data's scale for tol: mean over columns of the column variance; the
 * column means go to mu, the origin of the assignment passes.
 */
static double
mean_variance(const double *x, long long n, int d, long long ld, double *mu_out)
{
    double tot = 0;
    for (int q = 0; q < d; q++) {
        const double *xq = x + (long long)q * ld;
        double mu = 0, s = 0;
        for (long long i = 0; i < n; i++)
            mu += xq[i];
        mu /= (double)n;
        mu_out[q] = mu;
        for (long long i = 0; i < n; i++)
            s += (xq[i] - mu) * (xq[i] - mu);
        tot += s / (double)n;
    }
    return d ? tot / d : 0;
}

static double
point_cost(const double *x, long long ld, int d, long long i, const double *c, int l1)
{
    if (!l1)
        return sqdist_row(x, ld, d, i, c);
    double s = 0;
    for (int q = 0; q < d; q++)
        s += fabs(x[(long long)q * ld + i] - c[q]);
    return s;
}

/* Objective of labels and centres for the method (x already normalised for cosine). */
static double
objective(const double *x, long long n, int d, long long ld, const int32_t *lab,
          const double *c, enum kmeans_method m)
{
    if (m == KMEANS_MEANS)
        return kmeans_inertia(x, n, d, ld, lab, c);
    double tot = 0;
    for (long long i = 0; i < n; i++) {
        const double *cc = c + (long long)lab[i] * d;
        if (m == KMEANS_MEDIANS) {
            tot += point_cost(x, ld, d, i, cc, 1);
        } else {
            double dot = 0;
            for (int q = 0; q < d; q++)
                dot += x[(long long)q * ld + i] * cc[q];
            tot += 1.0 - dot;
        }
    }
    return tot;
}

/* --- the driver ----------------------------------------------------------- */

struct work {
    const double *x;
    long long n, ld;
    int d, k, nt;
    const struct kmeans_opts *o;
    double tol_abs;
    int32_t *labels;
    double *origin;     /* the column means (kmeans_pass.h) */
    int scale_exp;      /* w->x is the data times 2^-scale_exp (cluster_scale.h) */
    double *c, *cnew, *c2, *cn, *sums, *dist, *ctrace;
    long long *counts, *start;
    double *medbuf;
    struct kmeans_pass_bufs bufs;
    enum kmeans_kernel kernel;
};

/* Give each empty cluster the farthest point from its centre (see kmeans.h). */
static void
relocate_empty(struct work *w, double *sums, long long *counts, int l1)
{
    int d = w->d;
    long long n = w->n;
    int n_empty = 0;
    for (int j = 0; j < w->k; j++)
        n_empty += counts[j] == 0;
    if (n_empty == 0)
        return;
    double *dist = w->dist;
    for (long long i = 0; i < n; i++)
        dist[i] = point_cost(w->x, w->ld, d, i, w->c + (long long)w->labels[i] * d, l1);
    for (int j = 0; j < w->k; j++) {
        if (counts[j] != 0)
            continue;
        long long far = 0;
        for (long long i = 1; i < n; i++)
            if (dist[i] > dist[far])
                far = i;
        dist[far] = -1; /* taken */
        if (l1) { /* k-medians: the point is the centre; medians skip empty clusters */
            for (int q = 0; q < d; q++)
                w->cnew[(long long)j * d + q] = w->x[(long long)q * w->ld + far];
            continue;
        }
        int old = w->labels[far];
        for (int q = 0; q < d; q++) { /* the sums hold x - o (kmeans_pass.h) */
            double v = w->x[(long long)q * w->ld + far] - w->origin[q];
            sums[(long long)old * d + q] -= v;
            sums[(long long)j * d + q] = v;
        }
        counts[old]--;
        counts[j] = 1;
    }
}

/* Whether the passes compute distances with dgemm (see KMEANS_GEMM_KD). */
static int
uses_gemm(const struct kmeans_opts *o, int d)
{
    if (o->method == KMEANS_MEDIANS)
        return 0;
    return o->gemm > 0 || (o->gemm < 0 && (long long)o->k * d >= KMEANS_GEMM_KD);
}

/* One start from the centres in w->c; sets *n_iter and *conv. */
static int
lloyd(struct work *w, int restart, int *n_iter, int *conv, struct qerr *err)
{
    const struct kmeans_opts *o = w->o;
    int d = w->d, k = w->k;
    int l1 = o->method == KMEANS_MEDIANS;
    struct kmeans_pass p = {.x = w->x, .n = w->n, .ld = w->ld, .d = d, .k = k, .o = w->origin,
                            .c = w->c, .c2 = w->c2, .cn = w->cn, .labels = w->labels,
                            .accumulate = 1, .l1 = l1, .kernel = w->kernel};
    p.gemm = uses_gemm(o, d);
    for (long long i = 0; i < w->n; i++)
        w->labels[i] = -1;
    int strict = 0, it;
    *conv = 0;
    for (it = 0; it < o->maxiter; it++) {
        p.c = w->c;
        long long changed = kmeans_pass_all(&p, &w->bufs);
        kmeans_pass_reduce(&p, &w->bufs, w->sums, w->counts);
        if (o->trace) {
            const double *c = w->c;
            if (w->scale_exp) { /* the caller sees its own units */
                for (long long e = 0; e < (long long)k * d; e++)
                    w->ctrace[e] = ldexp(w->c[e], w->scale_exp);
                c = w->ctrace;
            }
            if (o->trace(o->tctx, restart, it + 1, c, w->counts, k, d))
                return qerr_set(err, QE_INTERRUPT, "interrupted");
        }
        memcpy(w->cnew, w->c, sizeof(double) * (size_t)k * (size_t)d);
        relocate_empty(w, w->sums, w->counts, l1);
        if (l1) {
            update_medians(w->x, w->n, d, w->ld, k, w->labels, w->counts, w->cnew, w->medbuf,
                           w->start);
        } else {
            for (int j = 0; j < k; j++) {
                double *cj = w->cnew + (long long)j * d;
                if (w->counts[j] == 0)
                    continue;
                double nrm = 0;
                for (int q = 0; q < d; q++) {
                    cj[q] = w->origin[q] + w->sums[(long long)j * d + q] / (double)w->counts[j];
                    nrm += cj[q] * cj[q];
                }
                if (o->method == KMEANS_COSINE && nrm > 0) {
                    nrm = sqrt(nrm);
                    for (int q = 0; q < d; q++)
                        cj[q] /= nrm;
                }
            }
        }
        double shift = 0;
        for (long long e = 0; e < (long long)k * d; e++)
            shift += (w->cnew[e] - w->c[e]) * (w->cnew[e] - w->c[e]);
        double *t = w->c;
        w->c = w->cnew;
        w->cnew = t;
        if (it > 0 && changed == 0) {
            strict = 1;
            break;
        }
        if (shift <= w->tol_abs)
            break;
        if (o->progress &&
            o->progress(o->pctx, (restart + (it + 1.0) / o->maxiter) / o->restarts))
            return qerr_set(err, QE_INTERRUPT, "interrupted");
    }
    *n_iter = it < o->maxiter ? it + 1 : o->maxiter;
    *conv = it < o->maxiter;
    if (!strict) { /* labels for the final centres */
        p.c = w->c;
        p.accumulate = 0;
        kmeans_pass_all(&p, &w->bufs);
    }
    return 0;
}

/* Unit rows for the cosine method; a row whose squares overflow or underflow is scaled first. */
static void
unit_rows(const double *x, long long n, int d, long long ld, double *xn)
{
    for (long long i = 0; i < n; i++) {
        double s = 0, m = 0;
        for (int q = 0; q < d; q++)
            s += x[(long long)q * ld + i] * x[(long long)q * ld + i];
        if (s > 0 && isfinite(s) && s >= DBL_MIN) {
            s = 1.0 / sqrt(s);
            for (int q = 0; q < d; q++)
                xn[(long long)q * n + i] = x[(long long)q * ld + i] * s;
            continue;
        }
        for (int q = 0; q < d; q++)
            m = fabs(x[(long long)q * ld + i]) > m ? fabs(x[(long long)q * ld + i]) : m;
        s = 0;
        for (int q = 0; q < d && m > 0; q++)
            s += (x[(long long)q * ld + i] / m) * (x[(long long)q * ld + i] / m);
        s = s > 0 ? sqrt(s) : 1.0;
        for (int q = 0; q < d; q++)
            xn[(long long)q * n + i] = m > 0 ? x[(long long)q * ld + i] / m / s : 0.0;
    }
}

static int
init_centres(struct work *w, uint64_t seed, struct qerr *err)
{
    const struct kmeans_opts *o = w->o;
    int d = w->d, k = w->k;
    switch (o->init) {
    case KMEANS_INIT_GIVEN:
        for (long long e = 0; e < (long long)k * d; e++)
            w->c[e] = ldexp(o->centres0[e], -w->scale_exp);
        if (o->method == KMEANS_COSINE)
            for (int j = 0; j < k; j++) {
                double nrm = 0;
                for (int q = 0; q < d; q++)
                    nrm += w->c[j * d + q] * w->c[j * d + q];
                for (int q = 0; q < d && nrm > 0; q++)
                    w->c[j * d + q] /= sqrt(nrm);
            }
        return 0;
    case KMEANS_INIT_FIRST:
        for (int j = 0; j < k; j++)
            for (int q = 0; q < d; q++)
                w->c[(long long)j * d + q] = w->x[(long long)q * w->ld + j];
        return 0;
    case KMEANS_INIT_RANDOM: {
        /* k distinct rows, uniformly (Floyd's sampling, then in draw order). */
        struct rng r;
        rng_init(&r, seed);
        long long *rows = (long long *)w->start; /* 2k+1 slots, free before the loop */
        for (int j = 0; j < k; j++) {
            long long m = w->n - k + j, v = (long long)rng_below(&r, (uint64_t)m + 1);
            for (int e = 0; e < j; e++)
                if (rows[e] == v) {
                    v = m;
                    break;
                }
            rows[j] = v;
        }
        for (int j = 0; j < k; j++)
            for (int q = 0; q < d; q++)
                w->c[(long long)j * d + q] = w->x[(long long)q * w->ld + rows[j]];
        return 0;
    }
    case KMEANS_INIT_KMPP:
        break;
    }
    return kmeans_plusplus(w->x, w->n, d, w->ld, k, seed, w->c, NULL, err);
}

int
kmeans_fit(const double *x, long long n, int d, long long ld, const struct kmeans_opts *o,
           struct kmeans_result *res, struct qerr *err)
{
    memset(res, 0, sizeof *res);
    int k = o->k, rc = -1, blas_threads = 0;
    if (k < 1 || k > n)
        return qerr_set(err, QE_ARG, "k=%d needs between 1 and %lld rows; give a smaller k", k,
                        n);
    if (d < 1)
        return qerr_set(err, QE_ARG, "no columns to cluster");
    if (o->init == KMEANS_INIT_GIVEN && !o->centres0)
        return qerr_set(err, QE_INTERNAL, "init given without centres");
    if (!kmeans_pass_kernel_ok(o->kernel))
        return qerr_set(err, QE_ARG, "k-means kernel %d does not run on this CPU", (int)o->kernel);
    struct work w = {.n = n, .d = d, .k = k, .o = o, .ld = ld, .x = x};
    w.kernel = o->kernel == KMEANS_KERNEL_AUTO ? kmeans_pass_kernel_best() : o->kernel;
    w.nt = o->threads < 1 ? 1 : o->threads;
    if (w.nt > 64)
        w.nt = 64;
    double *xn = NULL;
    size_t kd = mem_mul((size_t)k, (size_t)d), un = (size_t)n, uk = (size_t)k;
    const char *who = "k-means", *rows = "rows", *cells = "centre values";
    res->labels = mem_alloc(un, sizeof(int32_t), who, rows, err);
    res->centres = mem_alloc(kd, sizeof(double), who, cells, err);
    res->counts = mem_calloc(uk, sizeof(long long), who, "clusters", err);
    w.labels = mem_alloc(un, sizeof(int32_t), who, rows, err);
    w.c = mem_alloc(kd, sizeof(double), who, cells, err);
    w.cnew = mem_alloc(kd, sizeof(double), who, cells, err);
    w.c2 = mem_alloc(kd, sizeof(double), who, cells, err);
    w.cn = mem_alloc(uk, sizeof(double), who, "clusters", err);
    w.sums = mem_alloc(kd, sizeof(double), who, cells, err);
    w.counts = mem_alloc(uk, sizeof(long long), who, "clusters", err);
    w.start = mem_alloc(2 * uk + 2, sizeof(long long), who, "clusters", err);
    w.dist = mem_alloc(un, sizeof(double), who, rows, err);
    w.origin = mem_alloc((size_t)d, sizeof(double), who, "columns", err);
    w.ctrace = mem_alloc(kd, sizeof(double), who, cells, err);
    int ok = kmeans_pass_bufs_init(&w.bufs, n, k, d, w.nt) == 0;
    ok = ok && res->labels && res->centres && res->counts && w.labels && w.c && w.cnew && w.c2 &&
         w.cn && w.sums && w.counts && w.start && w.dist && w.origin && w.ctrace;
    if (ok && o->method == KMEANS_MEDIANS)
        ok = (w.medbuf = mem_alloc(un, sizeof(double), who, rows, err)) != NULL;
    /* Values whose squares overflow or underflow: fit x * 2^-scale_exp (cluster_scale.h). */
    if (ok && cluster_scale_exp(x, n, d, ld, NULL, "k-means", &w.scale_exp, err) < 0)
        goto out;
    if (o->method == KMEANS_COSINE) /* unit rows need no scale */
        w.scale_exp = 0;
    if (ok && (o->method == KMEANS_COSINE || w.scale_exp)) {
        /* Unit rows (nearest by Euclidean distance = largest cosine), or the data scaled. */
        xn = mem_alloc(mem_mul(un, (size_t)d), sizeof(double), who, "row values", err);
        ok = xn != NULL;
        if (ok && o->method == KMEANS_COSINE)
            unit_rows(x, n, d, ld, xn);
        for (long long i = 0; ok && w.scale_exp && i < n; i++)
            for (int q = 0; q < d; q++)
                xn[(long long)q * n + i] = ldexp(x[(long long)q * ld + i], -w.scale_exp);
        w.x = xn;
        w.ld = n;
    }
    if (!ok) {
        qerr_set(err, QE_NOMEM, "out of memory for k-means on %lld rows x %d columns", n, d);
        goto out;
    }
    w.tol_abs = o->tol * mean_variance(w.x, n, d, w.ld, w.origin);
    int restarts = o->init == KMEANS_INIT_FIRST || o->init == KMEANS_INIT_GIVEN ? 1 : o->restarts;
#ifdef OPENBLAS_VERSION
    /* Our threads each call dgemm on 256 rows: OpenBLAS must not thread
     * those calls too (measured 2-3x slower); restored below. Only then:
     * setting the count wakes OpenBLAS's idle threads, which spin for a
     * while on the cores our own passes need. */
    if (uses_gemm(o, d)) {
        blas_threads = openblas_get_num_threads();
        if (blas_threads > 1)
            openblas_set_num_threads(1);
    }
#endif
    if (restarts < 1)
        restarts = 1;
    struct rng seeds;
    rng_init(&seeds, o->seed);
    res->objective = INFINITY;
    res->k = k;
    res->d = d;
    res->n = n;
    for (int r = 0; r < restarts; r++) {
        int n_iter = 0, conv = 0;
        if (init_centres(&w, rng_next(&seeds), err) < 0 || lloyd(&w, r, &n_iter, &conv, err) < 0)
            goto out;
        double obj = objective(w.x, n, d, w.ld, w.labels, w.c, o->method);
        if (r == 0 || obj < res->objective) {
            res->objective = obj;
            res->n_iter = n_iter;
            res->converged = conv;
            res->best_restart = r;
            memcpy(res->labels, w.labels, sizeof(int32_t) * (size_t)n);
            memcpy(res->centres, w.c, sizeof(double) * kd);
        }
    }
    memset(res->counts, 0, sizeof(long long) * (size_t)k);
    for (long long i = 0; i < n; i++)
        res->counts[res->labels[i]]++;
    if (w.scale_exp) {
        int pw = o->method == KMEANS_MEANS ? 2 : 1; /* inertia is squared, the L1 sum is not */
        for (size_t e = 0; e < kd; e++)
            res->centres[e] = ldexp(res->centres[e], w.scale_exp);
        /* beyond the largest double it is +inf: the labels stand, cluster.c says so */
        res->objective = ldexp(res->objective, pw * w.scale_exp);
    }
    rc = 0;
out:
#ifdef OPENBLAS_VERSION
    if (blas_threads > 1)
        openblas_set_num_threads(blas_threads);
#endif
    kmeans_pass_bufs_release(&w.bufs);
    free(w.labels);
    free(w.c);
    free(w.cnew);
    free(w.c2);
    free(w.cn);
    free(w.sums);
    free(w.counts);
    free(w.start);
    free(w.dist);
    free(w.medbuf);
    free(w.origin);
    free(w.ctrace);
    free(xn);
    return rc;
}
