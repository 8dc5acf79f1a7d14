/*
 * cluster_quality.h: how good a clustering is, with the data (internal
 * indices) or against known classes (external indices).
 *
 * Data is a column-major block (n x d, leading dimension ld, no NaN) as in
 * kmeans.h; labels are int32 in 0..k-1, and a negative label (DBSCAN's
 * noise, -1) leaves the row out of every internal index; when there are
 * such rows, the silhouette, Davies-Bouldin and Calinski-Harabasz are
 * also given with them counted as one more cluster, which is what
 * scikit-learn's scores of DBSCAN's labels_ are (silhouette_score(X,
 * labels_) takes -1 for a label like any other). Each index
 * follows scikit-learn's definition (1.2), edge cases included, so the
 * numbers can be checked against it:
 *   silhouette        mean over rows of (b - a) / max(a, b), a = mean
 *                     Euclidean distance to the rest of the row's cluster,
 *                     b = smallest mean distance to another cluster; 0 for
 *                     a row alone in its cluster. O(n^2 d): above
 *                     CLUSTER_SILHOUETTE_MAX rows it is computed on a
 *                     seeded sample of that many rows (the caller says so).
 *   Davies-Bouldin    mean over clusters of max over others of
 *                     (s_i + s_j) / ||c_i - c_j||, s = mean distance to the
 *                     centroid; lower is better.
 *   Calinski-Harabasz (B / (k - 1)) / (W / (n - k)), between- and
 *                     within-cluster sums of squares; higher is better.
 *   ARI               adjusted Rand index (Hubert and Arabie).
 *   NMI               mutual information / arithmetic mean of the entropies.
 *   purity            share of rows in their cluster's most common class.
 *
 * Values whose squares overflow or underflow a double (near 1e154 and
 * beyond, or below 1e-154) are summed in a power-of-two unit
 * (cluster_scale.h): the ratios do not change, and inertia comes back in
 * the data's units. An index beyond the largest double is an error, never
 * an inf: the inertia of clusters spread wider than about 1e154, say.
 */
#ifndef QUARRY_CLUSTER_QUALITY_H
#define QUARRY_CLUSTER_QUALITY_H

#include <stdint.h>

#include "base/qerr.h"

#define CLUSTER_SILHOUETTE_MAX 10000

struct cluster_quality {
    double inertia;       /* within-cluster sum of squares to the centroids */
    double silhouette;    /* NaN when undefined (fewer than 2 or more than n-1 clusters) */
    double davies_bouldin;
    double calinski_harabasz;
    long long silhouette_rows; /* rows the silhouette used (a sample above the limit) */
    long long n_used;     /* rows with a label >= 0 */
    int k_used;           /* non-empty clusters */
    /*
     * The rows with a negative label (noise), left out of the indices
     * above. When there are any: the same indices with them counted as
     * one more cluster (scikit-learn's scores of DBSCAN's labels_), NaN
     * when undefined (also when a noise row is not finite or overflows
     * the sums); when there are none, all three are NaN.
     */
    long long n_noise;
    double silhouette_noise, davies_bouldin_noise, calinski_harabasz_noise;
    long long silhouette_noise_rows; /* rows that silhouette used (a sample above the limit) */
    /*
     * Empty, or the indices (and the method's objective, cluster.c) that
     * are beyond the largest double and so NaN here, with their size:
     * "inertia (about 10^398), calinski_harabasz (about 10^320)".
     */
    char note[320];
};

/*
 * All internal indices of labels (0..k-1, negative = left out, and given
 * again with those rows as one more cluster). seed picks the silhouette
 * sample; threads share the silhouette's rows.
 * progress/cancel as in kmeans.h. An inertia or Calinski-Harabasz index
 * beyond the largest double is NaN, with q->note saying so (the labels
 * stand; the other indices are ratios, computed in units of
 * cluster_scale.h). QE_DATA when a labelled row holds a
 * value that is not finite; QE_NOMEM when the per-cluster sums
 * or the silhouette's rows do not fit in memory; QE_INTERRUPT.
 */
/*
 * Add to q->note that the index `what` is beyond the largest double,
 * about 10^lg (lg not finite: the size is left out).
 */
void cluster_quality_note(struct cluster_quality *q, const char *what, double lg);

int cluster_quality_compute(const double *x, long long n, int d, long long ld,
                            const int32_t *labels, int k, uint64_t seed, int threads,
                            int (*progress)(void *, double), void *pctx,
                            struct cluster_quality *q, struct qerr *err);

/*
 * Silhouette of the rows listed in rows[0..m) (all rows when rows is NULL,
 * m = n) into *res: NaN when undefined (fewer than two clusters, or every
 * row its own). Fails (QE_NOMEM) when the copy of the m rows does not fit,
 * QE_DATA when a value is not finite, QE_INTERRUPT when progress cancels
 * (it is called from the calling thread only, by the clock: tick.h).
 * Values whose squares overflow or underflow are compared in a
 * power-of-two unit (cluster_scale.h).
 */
int cluster_silhouette(const double *x, int d, long long ld, const int32_t *labels, int k,
                       const long long *rows, long long m, int threads,
                       int (*progress)(void *, double), void *pctx, double *res,
                       struct qerr *err);

struct cluster_agreement {
    double ari, nmi, purity;
    int n_labels, n_truth; /* distinct values on each side */
};

/* Compare two labellings given as dense codes (a in 0..ka-1, b in 0..kb-1), n rows. */
int cluster_agreement(const int32_t *a, int ka, const int32_t *b, int kb, long long n,
                      struct cluster_agreement *out, struct qerr *err);

/*
 * Match b's clusters (0..kb-1) to a's (0..ka-1) by overlap, greedily: the
 * largest cell of the a x b table first, each side used once (rows with a
 * negative label on either side are not counted). map[j] (kb entries) is
 * the a cluster that b's cluster j matched, or -1. QE_NOMEM when the
 * table does not fit.
 */
int cluster_match(const int32_t *a, int ka, const int32_t *b, int kb, long long n, int *map,
                  struct qerr *err);

/*
 * Index of the knee of a decreasing curve (xs, ys), n points: the point
 * farthest below the chord from the first to the last point, both axes
 * scaled to [0, 1]. This is the maximum of Kneedle's difference curve
 * (Satopaa, Albrecht, Irwin and Raghavan 2011) without its smoothing and
 * online threshold; like Kneedle it depends on the range: a range cut
 * short moves the knee left. 0 when n < 3.
 */
int cluster_knee(const double *xs, const double *ys, int n);

#endif
