/*
 * test_kmeans_pass.c: the k-means assignment kernels (kmeans_pass.h)
 * against the plain scalar reference, through kmeans_fit with a forced
 * kernel.
 *
 * Plan:
 *   1. ties by hand: a point halfway between two centres and a point on
 *      two equal centres go to the lower centre, in every kernel
 *   2. every kernel the CPU runs against KMEANS_KERNEL_SCALAR on seeded
 *      data: small-integer grids (exact ties, duplicate rows, duplicate
 *      centres, so empty clusters) and continuous values; d = 1..8 and 11
 *      (the per-point loop), k = 1..9 and 300, row counts that leave partial
 *      vectors and blocks, 1 and 3 threads, 1 to 3 iterations (with and
 *      without the final labels-only pass), plus the cosine method: labels,
 *      counts, centres and objective must be bit-identical
 *   3. the thread count does not change a bit: 1, 2 and 3 threads on rows
 *      enough for several chunks, for k-means (vector kernel, scalar
 *      kernel, GEMM), k-medians and spherical k-means
 *   4. data far from the origin (issue 14): three unit squares 10 apart at
 *      1e9 and -3e9, planted, in every kernel, the GEMM path, 1 and 2
 *      threads, given and k-means++ starts: the groups found exactly,
 *      centres at the squares' middles, inertia 6 by hand. Before the
 *      kernels shifted the data by the column means, ||c||^2 - 2 c.x
 *      cancelled at ||c||^2 ~ 1e19 and mixed the groups.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cluster/kmeans.h"
#include "base/rng.h"

static const enum kmeans_kernel kernels[] = {KMEANS_KERNEL_VECTOR, KMEANS_KERNEL_AVX2,
                                             KMEANS_KERNEL_AVX512};
#define N_KERNELS (int)(sizeof kernels / sizeof kernels[0])

/* Keeps the counts of the first assignment. */
static int
first_counts(void *tctx, int restart, int iter, const double *centres, const long long *counts,
             int k, int d)
{
    if (iter == 1)
        memcpy(tctx, counts, sizeof(long long) * (size_t)k);
    return 0;
}

static void
test_ties_by_hand(void)
{
    /* 1-D, one assignment from the given centres, seen through the trace:
     * centres 0, 2 and points 1, 2: the point 1 is halfway, so centre 0 (counts 1, 1);
     * centres 0, 2, 2 and points 0, 2, 2: the points 2 sit on centres 1 and 2 (counts 1, 2, 0). */
    double x2[8] = {1, 2}, x3[8] = {0, 2, 2};
    double c2[2] = {0, 2}, c3[3] = {0, 2, 2};
    for (int v = -1; v < N_KERNELS; v++) {
        enum kmeans_kernel kn = v < 0 ? KMEANS_KERNEL_SCALAR : kernels[v];
        if (!kmeans_kernel_supported(kn))
            continue;
        for (int k = 2; k <= 3; k++) {
            long long counts[3] = {-1, -1, -1};
            struct kmeans_opts o;
            kmeans_opts_init(&o);
            o.init = KMEANS_INIT_GIVEN;
            o.centres0 = k == 2 ? c2 : c3;
            o.k = k;
            o.maxiter = 1;
            o.kernel = kn;
            o.trace = first_counts;
            o.tctx = counts;
            struct kmeans_result r;
            struct qerr e = QERR_INIT;
            CHECK_OK(kmeans_fit(k == 2 ? x2 : x3, k, 1, 8, &o, &r, &e), e);
            CHECK_INT(counts[0], 1);
            CHECK_INT(counts[1], k == 2 ? 1 : 2);
            if (k == 3)
                CHECK_INT(counts[2], 0);
            kmeans_result_release(&r);
            qerr_clear(&e);
        }
    }
}

/* Fit x with kernel kn; 0 when the kernel does not run here. */
static int
fit_with(const double *x, long long n, int d, long long ld, const struct kmeans_opts *o0,
         enum kmeans_kernel kn, struct kmeans_result *r)
{
    struct kmeans_opts o = *o0;
    o.kernel = kn;
    if (!kmeans_kernel_supported(kn))
        return 0;
    struct qerr e = QERR_INIT;
    int rc = kmeans_fit(x, n, d, ld, &o, r, &e);
    CHECK_INT(rc, 0);
    if (rc < 0)
        fprintf(stderr, "kmeans_fit: %s\n", e.msg);
    qerr_clear(&e);
    return rc == 0;
}

static void
compare_kernels(const double *x, long long n, int d, long long ld, const struct kmeans_opts *o,
                const char *what)
{
    struct kmeans_result ref;
    if (!fit_with(x, n, d, ld, o, KMEANS_KERNEL_SCALAR, &ref))
        return;
    for (int v = 0; v < N_KERNELS; v++) {
        struct kmeans_result r;
        if (!fit_with(x, n, d, ld, o, kernels[v], &r))
            continue;
        long long lab = 0, cnt = 0, cen = 0;
        for (long long i = 0; i < n; i++)
            lab += r.labels[i] != ref.labels[i];
        for (int j = 0; j < o->k; j++)
            cnt += r.counts[j] != ref.counts[j];
        for (int e = 0; e < o->k * d; e++)
            cen += memcmp(&r.centres[e], &ref.centres[e], sizeof(double)) != 0;
        int same = lab == 0 && cnt == 0 && cen == 0 && r.n_iter == ref.n_iter &&
                   memcmp(&r.objective, &ref.objective, sizeof(double)) == 0;
        if (!same)
            fprintf(stderr,
                    "%s kernel %d n=%lld d=%d k=%d threads=%d maxiter=%d: %lld labels, "
                    "%lld counts, %lld centre values differ; objective %.17g vs %.17g\n",
                    what, (int)kernels[v], n, d, o->k, o->threads, o->maxiter, lab, cnt, cen,
                    r.objective, ref.objective);
        CHECK(same);
        kmeans_result_release(&r);
    }
    kmeans_result_release(&ref);
}

static void
test_against_scalar(void)
{
    static const int dims[] = {1, 2, 3, 5, 7, 8, 11};
    static const long long rows[] = {9, 64, 203, 1000};
    struct rng g;
    rng_init(&g, 20261123);
    for (int di = 0; di < (int)(sizeof dims / sizeof dims[0]); di++) {
        for (int ri = 0; ri < (int)(sizeof rows / sizeof rows[0]); ri++) {
            for (int grid = 0; grid < 2; grid++) {
                int d = dims[di];
                long long n = rows[ri], ld = (n + 7) / 8 * 8 + 8 * grid; /* ld past n too */
                double *x = malloc(sizeof(double) * (size_t)(ld * d));
                for (long long e = 0; e < ld * d; e++)
                    x[e] = NAN; /* padding must never be read */
                for (long long i = 0; i < n; i++) {
                    /* grid: values 0..3, many exact ties; every 5th row repeats the last */
                    long long src = grid && i % 5 == 4 ? i - 1 : i;
                    for (int q = 0; q < d; q++)
                        x[(long long)q * ld + i] =
                            src != i ? x[(long long)q * ld + src]
                            : grid   ? (double)rng_below(&g, 4)
                                     : rng_uniform(&g) * 10 - 5;
                }
                int k = 1 + (int)rng_below(&g, 9);
                if (n == 1000 && !grid && (d == 3 || d == 8 || d == 11))
                    k = 300; /* many centres: long loops over them, most clusters tiny */
                if (k > n)
                    k = (int)n;
                double *c0 = malloc(sizeof(double) * (size_t)(k * d));
                for (int j = 0; j < k; j++) {
                    /* rows as centres; on the grid centre j repeats centre j-1 now and then */
                    long long row = (long long)rng_below(&g, (uint64_t)n);
                    if (grid && j > 0 && j % 3 == 0)
                        row = -1;
                    for (int q = 0; q < d; q++)
                        c0[j * d + q] = row < 0 ? c0[(j - 1) * d + q] : x[(long long)q * ld + row];
                }
                struct kmeans_opts o;
                kmeans_opts_init(&o);
                o.init = KMEANS_INIT_GIVEN;
                o.centres0 = c0;
                o.k = k;
                o.tol = 0;
                for (int threads = 1; threads <= 3; threads += 2)
                    for (int it = 1; it <= 3; it++) {
                        o.threads = threads;
                        o.maxiter = it;
                        o.method = KMEANS_MEANS;
                        compare_kernels(x, n, d, ld, &o, grid ? "grid" : "uniform");
                        if (it == 2) {
                            o.method = KMEANS_COSINE;
                            compare_kernels(x, n, d, ld, &o, grid ? "grid cosine" : "cosine");
                        }
                    }
                free(c0);
                free(x);
            }
        }
    }
}

static void
test_threads(void)
{
    long long n = 30011, ld = n + 5;
    struct rng g;
    rng_init(&g, 7);
    for (int d = 3; d <= 11; d += 8) {
        double *x = malloc(sizeof(double) * (size_t)(ld * d));
        for (long long e = 0; e < ld * d; e++)
            x[e] = rng_uniform(&g) * 4 + (double)(e % 5);
        for (int mode = 0; mode < 5; mode++) {
            struct kmeans_opts o;
            kmeans_opts_init(&o);
            o.init = KMEANS_INIT_KMPP;
            o.restarts = 2;
            o.seed = 99;
            o.k = 6;
            o.maxiter = 5;
            o.tol = 0;
            o.kernel = mode == 1 ? KMEANS_KERNEL_SCALAR : KMEANS_KERNEL_AUTO;
            o.gemm = mode == 2;
            o.method = mode == 3 ? KMEANS_MEDIANS : mode == 4 ? KMEANS_COSINE : KMEANS_MEANS;
            struct kmeans_result r[3];
            struct qerr e = QERR_INIT;
            for (int t = 0; t < 3; t++) {
                o.threads = t + 1;
                CHECK_OK(kmeans_fit(x, n, d, ld, &o, &r[t], &e), e);
            }
            for (int t = 1; t < 3; t++) {
                int same = memcmp(r[t].labels, r[0].labels, sizeof(int32_t) * (size_t)n) == 0 &&
                           memcmp(r[t].centres, r[0].centres, sizeof(double) * (size_t)(6 * d)) ==
                               0 &&
                           memcmp(&r[t].objective, &r[0].objective, sizeof(double)) == 0;
                if (!same)
                    fprintf(stderr, "d=%d mode %d: %d threads differ from 1\n", d, mode, t + 1);
                CHECK(same);
            }
            for (int t = 0; t < 3; t++)
                kmeans_result_release(&r[t]);
            qerr_clear(&e);
        }
        free(x);
    }
}

static void
test_offset(void)
{
    /* Column a: 1e9 + {0, 1} x {0, 10, 20}; column b: -3e9 + {0, 1} (+ 5 for the third). */
    enum { N = 12, LD = 16 };
    double x[2 * LD];
    for (int i = 0; i < N; i++) {
        int g = i / 4;
        x[i] = 1e9 + 10 * g + (i % 2);
        x[LD + i] = -3e9 + (g == 2 ? 5 : 0) + (i / 2) % 2;
    }
    const double mid[3][2] = {{1e9 + 0.5, -3e9 + 0.5}, {1e9 + 10.5, -3e9 + 0.5},
                              {1e9 + 20.5, -3e9 + 5.5}};
    double c0[6] = {x[0], x[LD], x[4], x[LD + 4], x[8], x[LD + 8]}; /* a corner of each square */
    for (int v = -2; v < N_KERNELS; v++) {
        enum kmeans_kernel kn = v < 0 ? KMEANS_KERNEL_SCALAR : kernels[v];
        for (int variant = 0; variant < 4; variant++) {
            struct kmeans_opts o;
            kmeans_opts_init(&o);
            o.k = 3;
            o.seed = 5;
            o.threads = 1 + variant % 2;
            o.gemm = v == -2; /* -2: the GEMM path */
            if (variant < 2) {
                o.init = KMEANS_INIT_GIVEN;
                o.centres0 = c0;
            }
            struct kmeans_result r;
            if (!fit_with(x, N, 2, LD, &o, kn, &r))
                continue;
            long long wrong = 0;
            for (int i = 0; i < N; i++) /* same group, same label; other group, other label */
                for (int j = 0; j < N; j++)
                    wrong += (r.labels[i] == r.labels[j]) != (i / 4 == j / 4);
            if (wrong)
                fprintf(stderr, "offset: kernel %d variant %d gemm %d: %lld pairs wrong\n",
                        (int)kn, variant, o.gemm, wrong);
            CHECK_INT(wrong, 0);
            CHECK_NEAR(r.objective, 6.0, 1e-9);
            for (int i = 0; i < N; i += 4)
                for (int q = 0; q < 2; q++)
                    CHECK_NEAR(r.centres[r.labels[i] * 2 + q], mid[i / 4][q], 1e-6);
            if (variant < 2) /* from the given corners: group g is cluster g */
                for (int i = 0; i < N; i++)
                    CHECK_INT(r.labels[i], i / 4);
            kmeans_result_release(&r);
        }
    }
}

int
main(void)
{
    test_ties_by_hand();
    test_against_scalar();
    test_threads();
    test_offset();
    return check_done("test_kmeans_pass");
}
