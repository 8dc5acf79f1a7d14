/*
 * cluster_hier.h: agglomerative (hierarchical) clustering.
 *
 * Data as in kmeans.h (n x d, column-major, leading dimension ld, no NaN).
 * Start with every row a cluster; repeatedly merge the two closest
 * clusters, where the distance between clusters A and B is
 *   single    the smallest row-to-row Euclidean distance,
 *   complete  the largest,
 *   average   the mean over all pairs (UPGMA),
 *   ward      sqrt(2 |A||B| / (|A|+|B|)) ||mean A - mean B|| (the rise of the
 *             within-cluster sum of squares, scaled as SciPy's heights).
 * These are the Lance-Williams updates SciPy's linkage() uses; merges are
 * found by the nearest-neighbour chain (O(n^2) time) on a condensed
 * distance matrix (n(n-1)/2 doubles: the caller checks the memory budget
 * with hier_bytes). The merge table is SciPy's: sorted by height, merge i
 * creates cluster n + i from clusters a and b (ids < n are rows).
 */
#ifndef QUARRY_CLUSTER_HIER_H
#define QUARRY_CLUSTER_HIER_H

#include <stdint.h>

#include "base/qerr.h"

enum hier_linkage { HIER_WARD, HIER_COMPLETE, HIER_AVERAGE, HIER_SINGLE };

struct hier_merge {
    long long a, b;  /* the merged clusters, a < b */
    double height;
    long long size;  /* rows in the new cluster */
};

/* Bytes the distance matrix of n rows takes. */
double hier_bytes(long long n);

/*
 * Fill merges[0..n-1) (n >= 1). progress is called by the clock (tick.h)
 * as the distances are computed, the clusters merged and the merges
 * sorted; a nonzero return fails with QE_INTERRUPT. Fails (QE_NOMEM) when
 * the distance matrix does not fit in memory.
 */
int hier_fit(const double *x, long long n, int d, long long ld, enum hier_linkage link,
             struct hier_merge *merges, int (*progress)(void *, double), void *pctx,
             struct qerr *err);

/*
 * Cut the tree into k clusters (1 <= k <= n): undo the last k - 1 merges.
 * Labels are 0..k-1, numbered in the order their first row appears.
 * *height (when not NULL) gets the height of the cut (the last merge
 * kept), 0 if none. Fails (QE_NOMEM) when its 2n-entry tree does not fit.
 */
int hier_cut(const struct hier_merge *merges, long long n, int k, int32_t *labels, double *height,
             struct qerr *err);

#endif
