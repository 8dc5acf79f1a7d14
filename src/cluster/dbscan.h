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
 * row's neighbours, a second lists them only for core rows as the clusters
 * grow, so memory is O(n) however dense the data: nothing n x n, and no
 * stored neighbour lists.
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
};

/* Label every row (labels: n slots, 0..n_clusters-1 or -1 for noise). */
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
 */
int dbscan_suggest_eps(const double *x, long long n, int d, long long ld, int minpts,
                       uint64_t seed, double *eps, struct qerr *err);

#endif
