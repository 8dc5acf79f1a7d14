/*
 * dbscan.h: density-based clustering (DBSCAN) over a k-d tree.
 *
 * Data as in kmeans.h: n x d, column-major, leading dimension ld, no NaN.
 * Neighbours of a point are the points at Euclidean distance <= eps,
 * itself included; a core point has at least minpts of them. Clusters grow
 * from core points taken in row order, each expanded completely before the
 * next starts; a border point (not core, near a core point) joins the
 * first cluster that reaches it; the rest is noise, label -1. This is
 * scikit-learn's DBSCAN (1.2) step for step, so labels equal its labels.
 *
 * The neighbour search is a k-d tree (median splits, leaves of up to 16
 * rows, pruned by each node's bounding box): O(n log n) to build and about
 * O(log n + m) per query of m neighbours on low-dimensional data; a node
 * whose box lies inside the ball is taken whole. One pass counts every
 * row's neighbours up to minpts (only "at least minpts" is used, so the
 * walk stops there); a second grows the clusters, labelling each row the
 * first time a core row reaches it and putting only core rows on the
 * stack of rows to expand, each once (the labels are the same whatever
 * the order within one cluster). Queries skip nodes whose rows all have
 * a label, so each row is handed out once. Memory is O(n) however dense
 * the data (dbscan_bytes): nothing n x n, no stored neighbour lists. (It
 * was not: each row went on the stack once per core neighbour, and 1M
 * identical rows reached 22.7 GB, issue 14.)
 *
 * Cancel: progress is called as each pass starts and then every TICK_MS
 * of work (tick.h: a coarse clock read before each query, and in the
 * tree's build); a nonzero return ends the fit with QE_INTERRUPT. Values whose squared
 * distances overflow or underflow are compared in a power-of-two unit
 * (cluster_scale.h), eps with them.
 */
#ifndef QUARRY_DBSCAN_H
#define QUARRY_DBSCAN_H

#include <stdint.h>

#include "base/qerr.h"

struct dbscan_opts {
    double eps;
    int minpts;
    int (*progress)(void *pctx, double fraction); /* nonzero cancels */
    void *pctx;
};

struct dbscan_result {
    int n_clusters;
    long long n_noise;
    long long n_core;
    long long pushes;  /* rows put on the expansion stack: at most n_core */
    long long tested;  /* distances computed by the first pass, which stops at minpts */
};

/* Bytes dbscan_fit allocates for n rows of d columns (the tree, counts and stack). */
double dbscan_bytes(long long n, int d);

/*
 * Label every row (labels: n slots, 0..n_clusters-1 or -1 for noise).
 * Fails with QE_ARG for eps <= 0, QE_DATA for a value that is not finite,
 * QE_NOMEM when dbscan_bytes does not fit the memory budget (mem.h's
 * mem_budget_fits: the message gives the size, the budget and what to
 * change) or out of memory,
 * QE_INTERRUPT when progress cancels (res->pushes counts the pushes so
 * far).
 */
int dbscan_fit(const double *x, long long n, int d, long long ld, const struct dbscan_opts *o,
               int32_t *labels, struct dbscan_result *res, struct qerr *err);

/*
 * Suggest eps from the k-distance curve: each row's distance to its
 * minpts-th nearest row (itself counted first, as scikit-learn's
 * NearestNeighbors(n_neighbors=minpts) on the data), sorted; the knee is
 * the point farthest below the chord from the first to the last value,
 * both axes scaled to [0, 1]. A knee at distance 0 (duplicate rows) gives
 * the largest distance instead, or 1 when every distance is 0. Above
 * 10,000 rows a seeded sample of 10,000 rows is queried (against all rows).
 * QE_DATA for a value that is not finite, QE_NUMERIC when the distances
 * pass the largest double, QE_INTERRUPT when progress (called by the
 * clock as the tree is built and the rows queried, tick.h) cancels.
 */
int dbscan_suggest_eps(const double *x, long long n, int d, long long ld, int minpts,
                       uint64_t seed, int (*progress)(void *, double), void *pctx, double *eps,
                       struct qerr *err);

#endif
