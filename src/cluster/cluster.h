/*
 * cluster.h: one entry point for every clustering method the `cluster`
 * command offers: k-means and its variants (kmeans.h), k-medoids
 * (cluster_medoids.h), DBSCAN (dbscan.h) and agglomerative clustering
 * (cluster_hier.h), followed by the quality indices (cluster_quality.h).
 *
 * cluster_fit checks what depends on the data and on combinations of
 * options (k against the complete rows, the distance a method takes, the
 * rows hierarchical clustering can hold), runs the method, and returns
 * the labels (0..k-1, DBSCAN's noise -1), the centres where a centre is
 * not the mean of its rows, the objective the method minimised, the
 * quality indices, and what the method reports (iterations, medoids, the
 * eps used, the merge table, the k-means trace).
 */
#ifndef QUARRY_CLUSTER_H
#define QUARRY_CLUSTER_H

#include <stdint.h>

#include "base/qerr.h"
#include "cluster/cluster_hier.h"
#include "cluster/cluster_quality.h"
#include "cluster/kmeans.h"

enum cluster_method {
    CLUSTER_KMEANS,
    CLUSTER_KMEDIANS,
    CLUSTER_KMEDOIDS,
    CLUSTER_DBSCAN,
    CLUSTER_HIERARCHICAL,
};

enum cluster_distance {
    CLUSTER_EUCLIDEAN,
    CLUSTER_MANHATTAN,
    CLUSTER_MINKOWSKI,
    CLUSTER_COSINE,
};

/* Rows hierarchical clustering takes at most (its distances are n^2 / 2 doubles). */
#define CLUSTER_HIER_MAX_ROWS 20000

struct cluster_opts {
    enum cluster_method method;
    /*
     * kmeans with manhattan is k-medians and with cosine spherical
     * k-means; kmeans with minkowski runs k-medoids; kmedoids takes
     * euclidean (p = 2), manhattan (p = 1) or minkowski (p).
     */
    enum cluster_distance distance;
    double p;
    int k;                 /* not read by dbscan, nor by hierarchical with has_height */
    enum kmeans_init init;
    int restarts, maxiter;
    double tol;
    uint64_t seed;         /* starts, eps sampling and the silhouette sample */
    int threads;
    int has_eps;           /* dbscan: eps given; else taken from the k-distance knee */
    double eps;
    int minpts;
    enum hier_linkage linkage;
    int has_height;        /* hierarchical: cut at height instead of into k clusters */
    double height;
    int trace;             /* kmeans: keep every iteration; hierarchical: the merges */
    int (*progress)(void *pctx, double fraction); /* nonzero cancels */
    void *pctx;
};

/* Every iteration of a traced k-means run: n rows of (restart, iteration, cluster, count, centre). */
struct cluster_trace {
    int d;
    long long n, cap;
    double *restart, *iter, *cluster, *count;
    double *c;             /* d columns of cap values: the centre's coordinates */
    int failed;            /* ran out of memory (the fit went on untraced) */
};

struct cluster_result {
    enum cluster_method method; /* the method that ran (kmeans with minkowski: kmedoids) */
    int k;                 /* clusters found (dbscan) or made (hierarchical cut) */
    int32_t *labels;       /* n labels, 0..k-1; -1 for dbscan's noise */
    double *centres;       /* k x d row-major where a centre is not the mean; else NULL */
    const char *objective; /* the name of what the method minimised: inertia, sum_l1, ... */
    double objective_value;
    struct cluster_quality quality;
    /* kmeans, kmedians and cosine */
    enum kmeans_method variant;
    int n_iter, converged, restarts;
    /* kmedoids */
    long long *medoids;    /* k row numbers of x */
    double p;              /* the Minkowski order used */
    int passes;
    long long swaps;
    /* dbscan */
    double eps;
    int eps_suggested;     /* eps came from the knee, not from the options */
    long long n_noise, n_core;
    /* hierarchical */
    double cut_height;     /* the height of the last merge kept */
    struct hier_merge *merges; /* n - 1 merges when traced, else NULL */
    struct cluster_trace trace; /* kmeans with trace */
};

/*
 * Cluster the n rows of x (n x d, column-major, leading dimension ld, no
 * missing values) as o says. Fails with QE_ARG for a k above n or a
 * distance the method does not take, QE_NOMEM when hierarchical
 * clustering would need more than CLUSTER_HIER_MAX_ROWS rows or its
 * distance matrix does not fit the memory budget (mem.h), and with the
 * methods' own errors. out belongs to the
 * caller: release it with cluster_result_release, also after a failure.
 */
int cluster_fit(const double *x, long long n, int d, long long ld, const struct cluster_opts *o,
                struct cluster_result *out, struct qerr *err);
/*
 * cluster_fit's checks of the options against n complete rows, alone (a
 * distance the method does not take, k above n), so a caller can refuse
 * a statement before a long fit; QE_ARG, or 0.
 */
int cluster_check(long long n, const struct cluster_opts *o, struct qerr *err);
void cluster_result_release(struct cluster_result *r);

/*
 * k-means (k-means++ starts, o->restarts of them, o->seed, o->threads,
 * o->progress) for each k from k0 to k1 <= n: inertia[i] and
 * silhouette[i] of k = k0 + i (NaN for k = 1). Errors are kmeans_fit's
 * and cluster_quality_compute's, and QE_NUMERIC when an inertia is beyond
 * the largest double (the curve would be all NULL).
 */
int cluster_elbow(const double *x, long long n, int d, long long ld, int k0, int k1,
                  const struct cluster_opts *o, double *inertia, double *silhouette,
                  struct qerr *err);

#endif
