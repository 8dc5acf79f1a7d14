/*
 * kmeans_trace.h: k-means step by step, for teaching (trace kmeans): every
 * iteration's labels, moves, centres and inertia kept, as a textbook
 * works the algorithm by hand.
 *
 * Lloyd's algorithm, plainly: from k starting centres, each iteration
 * assigns every point to its nearest centre (squared Euclidean distance,
 * the lowest cluster number on a tie), then moves each centre to the mean
 * of its points (a cluster left empty keeps its centre). It stops after
 * the first iteration in which no point changes cluster (the centres then
 * stay where they are: converged), or after maxiter iterations.
 *
 * No shortcuts (no centring, no blocks, no threads): the arithmetic is
 * the book's, so its numbers can be checked by hand. Data as in kmeans.h:
 * n x d, column-major, leading dimension ld, no NaN.
 */
#ifndef QUARRY_KMEANS_TRACE_H
#define QUARRY_KMEANS_TRACE_H

#include <stdint.h>

#include "base/qerr.h"

/* Points x iterations kept at most (the labels of every iteration are stored). */
#define KMEANS_TRACE_MAX_CELLS 5000000LL

struct kmeans_trace {
    int k, d;
    long long n;
    int n_iter;            /* iterations run, >= 1 */
    int converged;         /* the last iteration moved no point */
    double *centres;       /* (n_iter + 1) x k x d: [0] the start, [t] after iteration t */
    long long *sizes;      /* n_iter x k: points in each cluster at iteration t (t - 1) */
    int32_t *labels;       /* n_iter x n: each point's cluster at iteration t (t - 1) */
    long long *moved;      /* n_iter: points whose cluster changed (iteration 1: all n) */
    double *inertia;       /* n_iter: sum of squared distances to the centres after the move */
    double *shift;         /* n_iter: the farthest any centre moved */
};

/*
 * Run k-means on x from the k x d (row-major) centres start, for at most
 * maxiter iterations, keeping every step in t (zeroed by the caller;
 * release it with kmeans_trace_release, also after a failure). Errors:
 * QE_ARG for k outside 1..n, maxiter < 1, or more than
 * KMEANS_TRACE_MAX_CELLS points x iterations; QE_DATA for a value that is
 * not finite; QE_NOMEM.
 */
int kmeans_trace_run(const double *x, long long n, int d, long long ld, int k,
                     const double *start, int maxiter, struct kmeans_trace *t,
                     struct qerr *err);
void kmeans_trace_release(struct kmeans_trace *t);

/* Centre c at step s (0: the start, t: after iteration t). */
static inline const double *
kmeans_trace_centre(const struct kmeans_trace *t, int s, int c)
{
    return t->centres + ((long long)s * t->k + c) * t->d;
}

#endif
