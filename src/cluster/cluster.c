/*
 * cluster.c: cluster_fit, every clustering method behind one call
 * (cluster.h), and the k-means trace it can keep.
 */
#include "cluster/cluster.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/cluster_medoids.h"
#include "cluster/dbscan.h"
#include "base/mem.h"
#include "base/banned.h"

/* Trace rows kept at most: the run goes on untraced past this. */
#define TRACE_MAX_ROWS 5000000

static int
trace_add(void *p, int restart, int iter, const double *centres, const long long *counts,
          int k, int d)
{
    struct cluster_trace *t = p;
    if (t->n + k > TRACE_MAX_ROWS)
        return 0;
    if (t->n + k > t->cap) {
        long long cap = (t->cap + k) * 2;
        double **arr[4] = {&t->restart, &t->iter, &t->cluster, &t->count};
        for (int a = 0; a < 4; a++) {
            double *v = realloc(*arr[a], sizeof(double) * (size_t)cap);
            if (!v)
                return t->failed = 1;
            *arr[a] = v;
        }
        double *c = malloc(sizeof(double) * (size_t)cap * (size_t)d);
        if (!c)
            return t->failed = 1;
        for (int q = 0; q < d && t->c; q++)
            memcpy(c + (long long)q * cap, t->c + (long long)q * t->cap,
                   sizeof(double) * (size_t)t->n);
        free(t->c);
        t->c = c;
        t->cap = cap;
    }
    for (int j = 0; j < k; j++, t->n++) {
        t->restart[t->n] = restart + 1;
        t->iter[t->n] = iter;
        t->cluster[t->n] = j;
        t->count[t->n] = (double)counts[j];
        for (int q = 0; q < d; q++)
            t->c[(long long)q * t->cap + t->n] = centres[(long long)j * d + q];
    }
    return 0;
}

static int
fit_dbscan(const double *x, long long n, int d, long long ld, const struct cluster_opts *o,
           struct cluster_result *r, struct qerr *err)
{
    struct dbscan_opts dopts = {.eps = o->eps, .minpts = o->minpts, .progress = o->progress,
                                .pctx = o->pctx};
    if (!o->has_eps) {
        if (dbscan_suggest_eps(x, n, d, ld, o->minpts, o->seed, o->progress, o->pctx,
                               &dopts.eps, err) < 0)
            return -1;
        r->eps_suggested = 1;
    }
    r->eps = dopts.eps;
    r->labels = mem_alloc((size_t)n, sizeof(int32_t), "dbscan", "labels", err);
    if (!r->labels)
        return -1;
    struct dbscan_result dr;
    if (dbscan_fit(x, n, d, ld, &dopts, r->labels, &dr, err) < 0)
        return -1;
    r->k = dr.n_clusters;
    r->n_noise = dr.n_noise;
    r->n_core = dr.n_core;
    return 0;
}

static int
fit_hierarchical(const double *x, long long n, int d, long long ld, const struct cluster_opts *o,
                 struct cluster_result *r, struct qerr *err)
{
    /* the distance matrix, n (n - 1) / 2 doubles, against the memory budget (mem.h) */
    if (mem_budget_fits(mem_mul((size_t)n, (size_t)(n > 1 ? n - 1 : 0)) / 2, sizeof(double),
                        "hierarchical clustering", "distances", err) < 0)
        return -1;
    if (n > CLUSTER_HIER_MAX_ROWS)
        return qerr_set(err, QE_NOMEM, "hierarchical clustering of %lld rows needs %.0f MiB of "
                                       "distances (limit %d rows); sample the table or use "
                                       "method=kmeans",
                        n, hier_bytes(n) / 1048576.0, CLUSTER_HIER_MAX_ROWS);
    r->merges = mem_alloc((size_t)(n > 1 ? n - 1 : 1), sizeof *r->merges, "hierarchical",
                          "merges", err);
    r->labels = r->merges ? mem_alloc((size_t)n, sizeof(int32_t), "hierarchical", "labels", err)
                          : NULL;
    if (!r->labels)
        return -1;
    if (hier_fit(x, n, d, ld, o->linkage, r->merges, o->progress, o->pctx, err) < 0)
        return -1;
    r->k = o->k;
    if (o->has_height) { /* keep the merges at or below the height */
        long long kept = 0;
        while (kept < n - 1 && r->merges[kept].height <= o->height)
            kept++;
        r->k = (int)(n - kept);
    }
    if (hier_cut(r->merges, n, r->k, r->labels, &r->cut_height, err) < 0)
        return -1;
    if (!o->trace) {
        free(r->merges);
        r->merges = NULL;
    }
    return 0;
}

static int
fit_kmedoids(const double *x, long long n, int d, long long ld, const struct cluster_opts *o,
             struct cluster_result *r, struct qerr *err)
{
    struct kmedoids_opts mo = {.k = o->k, .maxiter = o->maxiter, .seed = o->seed,
                               .progress = o->progress, .pctx = o->pctx};
    mo.p = o->distance == CLUSTER_MANHATTAN ? 1 : o->distance == CLUSTER_MINKOWSKI ? o->p : 2;
    struct kmedoids_result kmd = {0};
    int rc = kmedoids_fit(x, n, d, ld, &mo, &kmd, err);
    r->labels = kmd.labels;
    r->medoids = kmd.medoids;
    if (rc < 0)
        return -1;
    r->k = o->k;
    r->centres = mem_alloc(mem_mul((size_t)o->k, (size_t)d), sizeof(double), "kmedoids",
                           "centre coordinates", err);
    if (!r->centres)
        return -1;
    for (int j = 0; j < o->k; j++)
        for (int q = 0; q < d; q++)
            r->centres[(long long)j * d + q] = x[(long long)q * ld + kmd.medoids[j]];
    r->objective_value = kmd.objective;
    r->objective = "sum_distance";
    r->passes = kmd.passes;
    r->swaps = kmd.swaps;
    r->converged = kmd.converged;
    r->p = mo.p;
    return 0;
}

static int
fit_kmeans(const double *x, long long n, int d, long long ld, const struct cluster_opts *o,
           struct cluster_result *r, struct qerr *err)
{
    struct kmeans_opts ko;
    kmeans_opts_init(&ko);
    ko.method = o->method == CLUSTER_KMEDIANS || o->distance == CLUSTER_MANHATTAN ? KMEANS_MEDIANS
                : o->distance == CLUSTER_COSINE                                 ? KMEANS_COSINE
                                                                                : KMEANS_MEANS;
    ko.init = o->init;
    ko.k = o->k;
    ko.restarts = o->restarts;
    ko.maxiter = o->maxiter;
    ko.tol = o->tol;
    ko.seed = o->seed;
    ko.threads = o->threads > 0 ? o->threads : 1;
    ko.progress = o->progress;
    ko.pctx = o->pctx;
    if (o->trace) {
        r->trace.d = d;
        ko.trace = trace_add;
        ko.tctx = &r->trace;
    }
    struct kmeans_result km = {0};
    if (kmeans_fit(x, n, d, ld, &ko, &km, err) < 0) {
        kmeans_result_release(&km);
        return -1;
    }
    if (r->trace.failed) {
        kmeans_result_release(&km);
        return qerr_set(err, QE_NOMEM, "out of memory for the trace; run without trace=yes");
    }
    r->labels = km.labels;
    km.labels = NULL;
    if (ko.method != KMEANS_MEANS) { /* a mean centre is the mean: the profile shows it */
        r->centres = km.centres;
        km.centres = NULL;
    }
    r->k = o->k;
    r->variant = ko.method;
    r->objective_value = km.objective;
    r->objective = ko.method == KMEANS_MEDIANS  ? "sum_l1"
                   : ko.method == KMEANS_COSINE ? "sum_1_minus_cos"
                                                : "inertia";
    r->n_iter = km.n_iter;
    r->converged = km.converged;
    r->restarts = ko.init == KMEANS_INIT_FIRST ? 1 : ko.restarts;
    kmeans_result_release(&km);
    return 0;
}

int
cluster_check(long long n, const struct cluster_opts *o, struct qerr *err)
{
    int medoids = o->method == CLUSTER_KMEDOIDS ||
                  (o->method == CLUSTER_KMEANS && o->distance == CLUSTER_MINKOWSKI);
    if (medoids && o->distance == CLUSTER_COSINE)
        return qerr_set(err, QE_ARG, "kmedoids takes a Minkowski distance (euclidean, manhattan "
                                     "or minkowski with p=); for cosine use method=kmeans "
                                     "distance=cosine");
    if (!medoids && o->distance == CLUSTER_MINKOWSKI)
        return qerr_set(err, QE_ARG, "distance=minkowski needs method=kmedoids (medoids work "
                                     "for any p)");
    /* The one check of k against the data; the kernels' own guards never fire from here. */
    int uses_k = o->method != CLUSTER_DBSCAN &&
                 !(o->method == CLUSTER_HIERARCHICAL && o->has_height);
    if (uses_k && o->k > n)
        return qerr_set(err, QE_ARG, "k=%d is more than the %lld complete rows; give a smaller k",
                        o->k, n);
    return 0;
}

int
cluster_fit(const double *x, long long n, int d, long long ld, const struct cluster_opts *o,
            struct cluster_result *out, struct qerr *err)
{
    memset(out, 0, sizeof *out);
    out->objective = "inertia";
    if (cluster_check(n, o, err) < 0)
        return -1;
    int medoids = o->method == CLUSTER_KMEDOIDS ||
                  (o->method == CLUSTER_KMEANS && o->distance == CLUSTER_MINKOWSKI);
    out->method = medoids ? CLUSTER_KMEDOIDS : o->method;
    int rc = out->method == CLUSTER_DBSCAN         ? fit_dbscan(x, n, d, ld, o, out, err)
             : out->method == CLUSTER_HIERARCHICAL ? fit_hierarchical(x, n, d, ld, o, out, err)
             : medoids                             ? fit_kmedoids(x, n, d, ld, o, out, err)
                                                   : fit_kmeans(x, n, d, ld, o, out, err);
    if (rc < 0)
        return -1;
    if (cluster_quality_compute(x, n, d, ld, out->labels, out->k > 0 ? out->k : 1, o->seed,
                                o->threads, o->progress, o->pctx, &out->quality, err) < 0)
        return -1;
    /* an objective beyond the largest double (data near 1e154 and up): NULL and a note */
    if (!isfinite(out->objective_value) && strcmp(out->objective, "inertia") != 0)
        cluster_quality_note(&out->quality, out->objective, NAN);
    if (!isfinite(out->objective_value))
        out->objective_value = NAN;
    return 0;
}

void
cluster_result_release(struct cluster_result *r)
{
    free(r->labels);
    free(r->centres);
    free(r->medoids);
    free(r->merges);
    free(r->trace.restart);
    free(r->trace.iter);
    free(r->trace.cluster);
    free(r->trace.count);
    free(r->trace.c);
    memset(r, 0, sizeof *r);
}

int
cluster_elbow(const double *x, long long n, int d, long long ld, int k0, int k1,
              const struct cluster_opts *o, double *inertia, double *silhouette,
              struct qerr *err)
{
    for (int k = k0; k <= k1; k++) {
        struct kmeans_opts ko;
        kmeans_opts_init(&ko);
        ko.k = k;
        ko.restarts = o->restarts;
        ko.seed = o->seed;
        ko.threads = o->threads > 0 ? o->threads : 1;
        ko.progress = o->progress;
        ko.pctx = o->pctx;
        struct kmeans_result km = {0};
        struct cluster_quality q;
        int rc = kmeans_fit(x, n, d, ld, &ko, &km, err);
        if (rc == 0)
            rc = cluster_quality_compute(x, n, d, ld, km.labels, k, o->seed, ko.threads,
                                         o->progress, o->pctx, &q, err);
        if (rc == 0 && !isfinite(km.objective))
            /* the curve is the inertia: without it there is nothing to show */
            rc = qerr_set(err, QE_NUMERIC, "values too large for elbow: the inertia at k=%d is "
                          "beyond the largest double (1.8e+308)", k);
        if (rc < 0 && err->code == QE_NUMERIC && !err->hint)
            qerr_hint(err, "rescale the columns first (normalize TABLE cols=...)");
        if (rc == 0) {
            inertia[k - k0] = km.objective;
            silhouette[k - k0] = q.silhouette;
        }
        kmeans_result_release(&km);
        if (rc < 0)
            return -1;
    }
    return 0;
}
