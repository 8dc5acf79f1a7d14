/*
 * cluster_medoids.h: k-medoids with PAM-style swaps for any Minkowski
 * distance (p >= 1: p = 1 Manhattan, p = 2 Euclidean).
 *
 * Data as in kmeans.h (n x d, column-major, leading dimension ld, no NaN).
 * The centres are k of the rows (medoids); the objective is the sum over
 * rows of the distance to the nearest medoid. Start: k-means++ rows (D^2
 * sampling, seeded). Then swap passes in the style of FasterPAM (Schubert
 * and Rousseeuw, 2019): for each non-medoid row x, one O(n) scan gives the
 * change of the objective for swapping x with every medoid, using each
 * row's nearest and second-nearest medoid distances; the best swap is made
 * at once if it lowers the objective by more than 1e-12 of it. A pass with
 * no swap ends the search (a local optimum of the swap neighbourhood, as
 * PAM's), or maxiter passes. Each pass costs O(n^2 d): the caller keeps n
 * at most KMEDOIDS_MAX_ROWS. Distances of values whose squares overflow or
 * underflow are taken in a power-of-two unit (cluster_scale.h).
 */
#ifndef QUARRY_CLUSTER_MEDOIDS_H
#define QUARRY_CLUSTER_MEDOIDS_H

#include <stdint.h>

#include "base/qerr.h"

#define KMEDOIDS_MAX_ROWS 20000

struct kmedoids_opts {
    int k;
    double p;          /* Minkowski order, >= 1 */
    int maxiter;       /* swap passes at most */
    uint64_t seed;
    int (*progress)(void *pctx, double fraction); /* nonzero cancels */
    void *pctx;
};

struct kmedoids_result {
    long long *medoids;  /* k row numbers */
    int32_t *labels;     /* n: index of the nearest medoid */
    double objective;    /* sum of distances to the nearest medoid */
    int passes;
    long long swaps;
    int converged;
};

/*
 * Fills res (release with kmedoids_result_release, also after a failure).
 * QE_ARG for k, n or p out of range, QE_DATA for a value that is not
 * finite, QE_NOMEM, QE_INTERRUPT when progress cancels. An objective
 * beyond the largest double is +inf; the medoids and labels stand.
 */
int kmedoids_fit(const double *x, long long n, int d, long long ld, const struct kmedoids_opts *o,
                 struct kmedoids_result *res, struct qerr *err);
void kmedoids_result_release(struct kmedoids_result *r);

/* The Minkowski distance of order p between rows i and j (inf only beyond the largest double). */
double kmedoids_distance(const double *x, int d, long long ld, long long i, long long j,
                         double p);

#endif
