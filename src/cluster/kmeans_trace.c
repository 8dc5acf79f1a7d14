/*
 * kmeans_trace.c: k-means step by step (kmeans_trace.h): the plain
 * Lloyd iteration, every step kept.
 */
#include "cluster/kmeans_trace.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/banned.h"

static double
dist2(const double *x, long long i, long long ld, int d, const double *c)
{
    double s = 0;
    for (int q = 0; q < d; q++) {
        double v = x[i + q * ld] - c[q];
        s += v * v;
    }
    return s;
}

/* The iteration: assign (labels at lab, sizes at sz) from centres c0; new centres into c1. */
static long long
step(const double *x, long long n, int d, long long ld, int k, const double *c0, double *c1,
     int32_t *lab, const int32_t *prev, long long *sz)
{
    long long moved = 0;
    memset(sz, 0, sizeof *sz * (size_t)k);
    memset(c1, 0, sizeof *c1 * (size_t)k * (size_t)d);
    for (long long i = 0; i < n; i++) {
        int best = 0;
        double bd = dist2(x, i, ld, d, c0);
        for (int c = 1; c < k; c++) {
            double v = dist2(x, i, ld, d, c0 + (size_t)c * (size_t)d);
            if (v < bd) {
                bd = v;
                best = c;
            }
        }
        lab[i] = best;
        moved += !prev || prev[i] != best;
        sz[best]++;
        for (int q = 0; q < d; q++)
            c1[(size_t)best * (size_t)d + (size_t)q] += x[i + q * ld];
    }
    for (int c = 0; c < k; c++)
        for (int q = 0; q < d; q++) {
            double *v = &c1[(size_t)c * (size_t)d + (size_t)q];
            *v = sz[c] ? *v / (double)sz[c] : c0[(size_t)c * (size_t)d + (size_t)q];
        }
    return moved;
}

int
kmeans_trace_run(const double *x, long long n, int d, long long ld, int k,
                 const double *start, int maxiter, struct kmeans_trace *t, struct qerr *err)
{
    if (k < 1 || k > n)
        return qerr_set(err, QE_ARG, "k must be from 1 to the number of rows (%lld), not %d",
                        n, k);
    if (maxiter < 1)
        return qerr_set(err, QE_ARG, "maxiter must be at least 1, not %d", maxiter);
    if ((long long)maxiter * n > KMEANS_TRACE_MAX_CELLS)
        return qerr_set(err, QE_ARG, "a trace keeps every point of every iteration: %lld rows "
                        "x %d iterations is more than %lld; sample the table first, or lower "
                        "maxiter", n, maxiter, KMEANS_TRACE_MAX_CELLS);
    for (int q = 0; q < d; q++)
        for (long long i = 0; i < n; i++)
            if (!isfinite(x[i + q * ld]))
                return qerr_set(err, QE_DATA, "row %lld holds a value that is not finite", i + 1);
    size_t kd = (size_t)k * (size_t)d;
    t->k = k;
    t->d = d;
    t->n = n;
    t->centres = mem_alloc((size_t)(maxiter + 1), kd * sizeof(double), "trace", "centres", err);
    t->sizes = mem_alloc((size_t)maxiter, (size_t)k * sizeof(long long), "trace", "sizes", err);
    t->labels = mem_alloc((size_t)maxiter, (size_t)n * sizeof(int32_t), "trace", "labels", err);
    t->moved = mem_alloc((size_t)maxiter, sizeof(long long), "trace", "iterations", err);
    t->inertia = mem_alloc((size_t)maxiter, sizeof(double), "trace", "iterations", err);
    t->shift = mem_alloc((size_t)maxiter, sizeof(double), "trace", "iterations", err);
    if (!t->centres || !t->sizes || !t->labels || !t->moved || !t->inertia || !t->shift)
        return -1;
    memcpy(t->centres, start, kd * sizeof(double));
    for (int it = 0; it < maxiter; it++) {
        const double *c0 = t->centres + (size_t)it * kd;
        double *c1 = t->centres + (size_t)(it + 1) * kd;
        int32_t *lab = t->labels + (size_t)it * (size_t)n;
        const int32_t *prev = it ? lab - n : NULL;
        t->moved[it] = step(x, n, d, ld, k, c0, c1, lab, prev, t->sizes + (size_t)it * (size_t)k);
        double in = 0, sh = 0;
        for (long long i = 0; i < n; i++)
            in += dist2(x, i, ld, d, c1 + (size_t)lab[i] * (size_t)d);
        for (int c = 0; c < k; c++) {
            double s = 0;
            for (int q = 0; q < d; q++) {
                double v = c1[(size_t)c * (size_t)d + (size_t)q] -
                           c0[(size_t)c * (size_t)d + (size_t)q];
                s += v * v;
            }
            sh = fmax(sh, sqrt(s));
        }
        t->inertia[it] = in;
        t->shift[it] = sh;
        t->n_iter = it + 1;
        if (it > 0 && t->moved[it] == 0) {
            t->converged = 1;
            break;
        }
    }
    return 0;
}

void
kmeans_trace_release(struct kmeans_trace *t)
{
    free(t->centres);
    free(t->sizes);
    free(t->labels);
    free(t->moved);
    free(t->inertia);
    free(t->shift);
    memset(t, 0, sizeof *t);
}
