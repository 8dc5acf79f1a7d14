/*
 * kmeans.h: partition clustering on a column-major block of doubles.
 *
 * The data is n rows x d columns, column j at x + j * ld (a frame's numeric
 * block, docs/DESIGN.md "The data path"); it must hold no NaN. Centres are k x d,
 * row-major (centre c, coordinate q at centres[c * d + q]).
 *
 * Methods, each a Lloyd iteration (assign every point to its nearest
 * centre, then recompute each centre from its points) until the labels stop
 * changing, the centres move less than tol, or maxiter:
 *   KMEANS_MEANS    squared Euclidean distance, centre = mean (k-means);
 *                   objective (inertia) = sum of squared distances.
 *   KMEANS_MEDIANS  Manhattan distance, centre = coordinate median (k-medians,
 *                   the mean of the two middle values for an even count);
 *                   objective = sum of L1 distances.
 *   KMEANS_COSINE   spherical k-means: rows scaled to unit length, centre =
 *                   the normalised mean, nearest = largest cosine; objective
 *                   = sum of (1 - cosine). Zero rows stay zero (cosine 0).
 *
 * Convergence follows scikit-learn's Lloyd so results can be compared to
 * it: stop when an assignment leaves every label as it was, or when the
 * sum over centres of the squared shift is <= tol * (mean of the columns'
 * variances); if the loop ended without a label-stable pass, one more
 * assignment makes labels match the final centres. An empty cluster takes
 * the point farthest from its centre (largest distance first, lowest row
 * on ties) as its new centre; that point's label is not changed until the
 * next assignment, as in scikit-learn.
 *
 * Extreme values (issue 14): the passes work on x less the column means
 * (kmeans_pass.h), so data far from 0 (epoch seconds) keeps its small
 * differences; data whose squared distances would overflow or underflow
 * a double is fitted in units of a power of two (cluster_scale.h) and the
 * centres and objective are given back in the data's units.
 *
 * The assignment pass for KMEANS_MEANS and KMEANS_COSINE is one fused
 * streaming loop (kmeans_pass.h): for 8 points at a time (SIMD lanes =
 * points, the column-major block needs no transpose) it forms ||c||^2 -
 * 2 x.c for each centre (||x||^2 is common to all centres), keeps a
 * branch-free argmin, then adds each point to its centre's running sums,
 * so the data is read once per iteration and no n x k distance matrix
 * exists. The rows are cut into chunks (by n, k and d alone) with their own
 * sums; threads take the next chunk as they finish one, and the chunks are
 * added in order: results are reproducible for a given seed, whatever the
 * thread count, and the same on every CPU (no fused multiply-add; see enum
 * kmeans_kernel).
 *
 * GEMM: when k * d >= KMEANS_GEMM_KD, a thread computes its block's
 * distances with cblas_dgemm (256 points at a time, OpenBLAS held to one
 * thread per call while the fit runs) instead of the fused loop, then does
 * the same argmin and sums. The bound is measured (bench/sections/kmeans.sh gemm,
 * bench/RESULTS.md section 5; 100,000 rows, 1 thread, ms per iteration,
 * fused / GEMM): d=8 k=8 2.5 / 7.2; d=16 k=64 6.6 / 25; d=64 k=64 19 / 34;
 * d=64 k=128 56 / 69; d=128 k=128 147 / 94 (a busy shared VM: +-30 %).
 * The fused loop for d > 8 reads each point once per centre coordinate
 * from L1 and has no register blocking across centres, so from k * d =
 * 16384 dgemm's blocking wins; below it the fused loop does. (d <= 8 keeps
 * the points in registers, far from the crossover: d=8 k=8 is now ~0.4 ms
 * fused with AVX-512.)
 */
#ifndef QUARRY_KMEANS_H
#define QUARRY_KMEANS_H

#include <stdint.h>

#include "base/qerr.h"

#define KMEANS_GEMM_KD 16384

enum kmeans_method { KMEANS_MEANS, KMEANS_MEDIANS, KMEANS_COSINE };

/*
 * The assignment kernel for squared Euclidean distance (kmeans_pass.h).
 * AUTO takes the widest the CPU runs; the others exist so tests can run
 * every variant: SCALAR is the plain per-point reference, VECTOR the
 * portable vector code (SSE2 on x86-64), AVX2 and AVX512 the same code
 * compiled for those units (d <= 8 only; wider data uses the per-point
 * loops). All give bit-identical labels and centres.
 */
enum kmeans_kernel {
    KMEANS_KERNEL_AUTO,
    KMEANS_KERNEL_SCALAR,
    KMEANS_KERNEL_VECTOR,
    KMEANS_KERNEL_AVX2,
    KMEANS_KERNEL_AVX512,
};

enum kmeans_init { KMEANS_INIT_KMPP, KMEANS_INIT_RANDOM, KMEANS_INIT_FIRST, KMEANS_INIT_GIVEN };

/* Called after every iteration when set (trace=yes): the centres the
 * assignment used, the counts it produced; a nonzero return cancels. */
typedef int (*kmeans_trace_fn)(void *tctx, int restart, int iter, const double *centres,
                               const long long *counts, int k, int d);

struct kmeans_opts {
    enum kmeans_method method;
    enum kmeans_init init;
    int k;
    int restarts;          /* independent starts, best objective kept (>= 1) */
    int maxiter;
    double tol;            /* relative to the mean column variance, as above */
    uint64_t seed;
    int threads;           /* >= 1 */
    int gemm;              /* -1 choose by KMEANS_GEMM_KD, 0 fused loop, 1 GEMM */
    enum kmeans_kernel kernel; /* AUTO (the default) unless a test forces one */
    const double *centres0; /* KMEANS_INIT_GIVEN: k x d starting centres */
    int (*progress)(void *pctx, double fraction); /* nonzero cancels */
    void *pctx;
    kmeans_trace_fn trace;
    void *tctx;
};

/* Defaults: k-means++, k = 4, 10 restarts, 300 iterations, tol 1e-6, 1 thread. */
void kmeans_opts_init(struct kmeans_opts *o);

/* Whether kernel runs on this CPU (AUTO, SCALAR and VECTOR always do). */
int kmeans_kernel_supported(enum kmeans_kernel kernel);

struct kmeans_result {
    int k, d;
    long long n;
    int32_t *labels;       /* n labels in 0..k-1 */
    double *centres;       /* k x d, row-major */
    long long *counts;     /* k */
    double objective;      /* inertia / L1 sum / sum of 1 - cos, see above */
    int n_iter;            /* iterations of the kept restart */
    int converged;         /* the kept restart stopped before maxiter */
    int best_restart;
};

/*
 * Cluster x (n x d, leading dimension ld >= n). Fills res (release it
 * with kmeans_result_release, also after a failure). Fails with QE_ARG if
 * k < 1 or k > n, QE_DATA for a value that is not finite, QE_NOMEM, or
 * QE_INTERRUPT when progress cancels. An objective beyond the largest
 * double (values near 1e154 and up) is +inf; the labels and centres are
 * right all the same (the fit works in units of cluster_scale.h).
 */
int kmeans_fit(const double *x, long long n, int d, long long ld, const struct kmeans_opts *o,
               struct kmeans_result *res, struct qerr *err);
void kmeans_result_release(struct kmeans_result *r);

/*
 * k-means++ seeding (D^2 sampling: each next centre is a row drawn with
 * probability proportional to its squared distance to the nearest centre
 * chosen so far; uniformly when every distance is zero; distances in a
 * power-of-two unit, cluster_scale.h, so huge values still weigh). Writes
 * k x d centres and, when rows is not NULL, the k chosen row numbers.
 * QE_ARG for k outside 1..n, QE_DATA for a value that is not finite.
 */
int kmeans_plusplus(const double *x, long long n, int d, long long ld, int k, uint64_t seed,
                    double *centres, long long *rows, struct qerr *err);

/* Sum of squared Euclidean distances of each row to its labelled centre. */
double kmeans_inertia(const double *x, long long n, int d, long long ld, const int32_t *labels,
                      const double *centres);

#endif
