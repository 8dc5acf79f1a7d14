/*
 * kmeans_pass.h: one assignment-and-accumulate pass of a Lloyd iteration,
 * internal to kmeans.c (see kmeans.h for the method and the GEMM choice).
 *
 * A pass reads every row once: nearest centre, label written back (with a
 * count of changed labels), and, when accumulating, the row added to its
 * centre's running sums. The rows are cut into chunks of whole 64-row
 * blocks, each with its own sums; threads take the next chunk as they
 * finish one (a core slowed by other work takes fewer), and
 * kmeans_pass_reduce adds the chunks in chunk order, so the results do not
 * depend on the thread count or the schedule.
 *
 * Origin: every kernel works on x - o, o a point near the data (kmeans.c
 * passes the column means), so the expanded form below compares
 * ||c - o||^2 - 2 (c - o).(x - o), the same ranking as ||x - c||^2 in exact
 * arithmetic. Without the shift the two terms are of the size of ||c||^2
 * and cancel: epoch seconds (1.7e9) ten seconds apart gave ||c||^2 about
 * 3e18, whose rounding (512) swamps the differences (about 100). The shift
 * is one subtraction per coordinate as the kernel loads a point, and the
 * running sums hold x - o too (kmeans_pass_reduce returns them so).
 *
 * Kernels (enum kmeans_kernel, kmeans.h): for squared Euclidean assignment
 * with d <= 8 the vector kernel keeps 8 points' coordinates in registers
 * (lanes = points; the column-major block needs no transpose), forms
 * ||c||^2 - 2 x.c (both shifted) for each centre with broadcast centres, keeps
 * a branch-free argmin (strict <, so ties go to the lowest centre), then
 * transposes the 8 x 8 block so each point's row is one vector added to
 * its centre's sums. Every variant (portable, AVX2, AVX-512) does the same
 * IEEE operations in the same order with no fused multiply-add, so labels
 * and sums are bit-identical across them and the scalar reference. Wider
 * data and the GEMM path copy each block, shifted, into scratch and use
 * per-point loops; Manhattan distance (no cancellation) reads x as it is.
 */
#ifndef QUARRY_KMEANS_PASS_H
#define QUARRY_KMEANS_PASS_H

#include <stdint.h>

#include "cluster/kmeans.h"

struct kmeans_pass {
    const double *x;
    long long n, ld;
    int d, k;
    const double *o;    /* origin, d values (see above) */
    const double *c;    /* centres, k x d */
    double *c2;         /* -2 * (centres - o), k x d */
    double *cn;         /* ||c - o||^2 */
    int32_t *labels;
    int gemm;
    int accumulate;     /* 0: labels only (the final E-step) */
    int l1;             /* Manhattan assignment (k-medians), no sums */
    enum kmeans_kernel kernel; /* resolved: never KMEANS_KERNEL_AUTO */
};

/* A chunk of rows [r0, r1) with its own sums and counts (layout in kmeans_pass.c). */
struct kmeans_pass_chunk {
    long long r0, r1;
    double *sums;
    long long *counts;
};

/* The buffers of the passes over one data set. */
struct kmeans_pass_bufs {
    int n_chunks;
    int nt;             /* threads: at most the number of chunks */
    struct kmeans_pass_chunk *chunks;
    double **tmp;       /* a scratch block per thread */
};

/*
 * Cut n rows into chunks (how many depends on n, k and d only: at least
 * 4096 rows each, at most 64 of them, their sums within 32 MiB) and
 * allocate their sums, each on its own cache lines, and scratch for nt
 * threads; -1 when out of memory. Release with kmeans_pass_bufs_release,
 * also after a failure.
 */
int kmeans_pass_bufs_init(struct kmeans_pass_bufs *b, long long n, int k, int d, int nt);
void kmeans_pass_bufs_release(struct kmeans_pass_bufs *b);

/* The fastest kernel this CPU runs; whether it runs kernel at all. */
enum kmeans_kernel kmeans_pass_kernel_best(void);
int kmeans_pass_kernel_ok(enum kmeans_kernel kernel);

/*
 * Run a pass over all rows with b->nt threads, each taking the next chunk
 * until none is left. Recomputes p->c2 and p->cn from p->c and p->o first. Returns
 * the number of labels that changed.
 */
long long kmeans_pass_all(struct kmeans_pass *p, struct kmeans_pass_bufs *b);

/* Add the chunks' sums of x - o (k x d, row-major) and counts, in chunk order. */
void kmeans_pass_reduce(const struct kmeans_pass *p, const struct kmeans_pass_bufs *b,
                        double *sums, long long *counts);

#endif
