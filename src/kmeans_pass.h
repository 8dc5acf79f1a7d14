/*
 * kmeans_pass.h: one assignment-and-accumulate pass of a Lloyd iteration,
 * internal to kmeans.c (see kmeans.h for the method and the GEMM choice).
 *
 * A pass reads every row once: nearest centre, label written back (with a
 * count of changed labels), and, when accumulating, the row added to its
 * centre's running sums. Threads take contiguous row ranges (whole blocks
 * of 64 rows) with private sums and counts; kmeans_pass_reduce adds them
 * in part order, so results are reproducible for a thread count.
 *
 * Kernels (enum kmeans_kernel, kmeans.h): for squared Euclidean assignment
 * with d <= 8 the vector kernel keeps 8 points' coordinates in registers
 * (lanes = points; the column-major block needs no transpose), forms
 * ||c||^2 - 2 x.c for each centre with broadcast centre coordinates, keeps
 * a branch-free argmin (strict <, so ties go to the lowest centre), then
 * transposes the 8 x 8 block so each point's row is one vector added to
 * its centre's sums. Every variant (portable, AVX2, AVX-512) does the same
 * IEEE operations in the same order with no fused multiply-add, so labels
 * and sums are bit-identical across them and the scalar reference. Wider
 * data, Manhattan distance and the GEMM path use per-point loops.
 */
#ifndef QUARRY_KMEANS_PASS_H
#define QUARRY_KMEANS_PASS_H

#include <stdint.h>

#include "kmeans.h"

struct kmeans_pass {
    const double *x;
    long long n, ld;
    int d, k;
    const double *c;    /* centres, k x d */
    double *c2;         /* -2 * centres, k x d */
    double *cn;         /* ||c||^2 */
    int32_t *labels;
    int gemm;
    int accumulate;     /* 0: labels only (the final E-step) */
    int l1;             /* Manhattan assignment (k-medians), no sums */
    enum kmeans_kernel kernel; /* resolved: never KMEANS_KERNEL_AUTO */
};

/* A thread's share; sums and counts are private copies (layout in kmeans_pass.c). */
struct kmeans_pass_part {
    struct kmeans_pass *p;
    long long r0, r1;   /* rows [r0, r1) */
    double *sums;
    long long *counts;
    long long changed;
    double *tmp;        /* scratch */
};

/*
 * Allocate a part's sums, counts and scratch for k centres of d
 * coordinates, each on its own cache lines (the parts are written by
 * different threads); -1 when out of memory. Release with
 * kmeans_pass_part_release, also after a failure.
 */
int kmeans_pass_part_alloc(struct kmeans_pass_part *pp, int k, int d);
void kmeans_pass_part_release(struct kmeans_pass_part *pp);

/* The fastest kernel this CPU runs; whether it runs kernel at all. */
enum kmeans_kernel kmeans_pass_kernel_best(void);
int kmeans_pass_kernel_ok(enum kmeans_kernel kernel);

/*
 * Run a pass over all rows with nt parts (parts[t].r0/r1 set by the
 * caller, parts[t].p = p). Recomputes p->c2 and p->cn from p->c first.
 */
void kmeans_pass_all(struct kmeans_pass *p, struct kmeans_pass_part *parts, int nt);

/* Sum the parts' sums (k x d, row-major) and counts; returns the changed labels. */
long long kmeans_pass_reduce(const struct kmeans_pass *p, const struct kmeans_pass_part *parts,
                             int nt, double *sums, long long *counts);

#endif
