/*
 * kmeans_iter.c: quarry's k-means engine on the peer bench's blobs, timed
 * the way bench/sections/kmeans.sh times scikit-learn: a fit of 21 Lloyd iterations
 * and a fit of 1 from the same initial centres, tol 0; marginal seconds per
 * iteration = (t21 - t1) / 20, median of RUNS pairs after a warm-up.
 *
 *   kmeans_iter X.npy INIT.npy THREADS [RUNS] [GEMM]
 *
 * X is float64 C order (n x d); it is copied once into a column-major
 * block with ld = n rounded up to 8, as a frame holds it. GEMM: -1 the
 * engine's choice (default), 0 fused loop, 1 dgemm. Also used for the
 * fused-vs-GEMM crossover (bench/sections/kmeans.sh gemm): with X "synth:N:D:K" it
 * makes N x D uniform data and K initial centres from a fixed seed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

#include "cluster/kmeans.h"
#include "base/rng.h"

int
main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: kmeans_iter X.npy|synth:N:D:K INIT.npy THREADS [RUNS] [GEMM]\n");
        return 2;
    }
    long long n, d, k, dk;
    double *xr, *init;
    if (strncmp(argv[1], "synth:", 6) == 0) {
        n = strtoll(argv[1] + 6, NULL, 10);
        d = strtoll(strchr(argv[1] + 6, ':') + 1, NULL, 10);
        k = strtoll(strrchr(argv[1], ':') + 1, NULL, 10);
        struct rng r;
        rng_init(&r, 1);
        xr = malloc(sizeof(double) * (size_t)(n * d));
        init = malloc(sizeof(double) * (size_t)(k * d));
        for (long long i = 0; i < n * d; i++)
            xr[i] = rng_uniform(&r);
        memcpy(init, xr, sizeof(double) * (size_t)(k * d));
        dk = d;
    } else {
        xr = bench_npy(argv[1], &n, &d);
        init = bench_npy(argv[2], &k, &dk);
    }
    if (!xr || !init || dk != d) {
        fprintf(stderr, "cannot read the data\n");
        return 1;
    }
    int threads = atoi(argv[3]), runs = argc > 4 ? atoi(argv[4]) : 5;
    int gemm = argc > 5 ? atoi(argv[5]) : -1;
    long long ld;
    double *x = bench_colmajor(xr, n, d, &ld);
    free(xr);
    struct kmeans_opts o;
    kmeans_opts_init(&o);
    o.init = KMEANS_INIT_GIVEN;
    o.centres0 = init;
    o.k = (int)k;
    o.tol = 0;
    o.threads = threads;
    o.gemm = gemm;
    double marg[64], fit21[64], inertia = 0;
    int iters = 0;
    if (runs > 64)
        runs = 64;
    for (int r = -1; r < runs; r++) {
        struct kmeans_result res;
        struct qerr e = QERR_INIT;
        double t[2];
        for (int w = 0; w < 2; w++) {
            o.maxiter = w == 0 ? 21 : 1;
            double t0 = bench_now();
            if (kmeans_fit(x, n, (int)d, ld, &o, &res, &e) < 0) {
                fprintf(stderr, "%s\n", e.msg);
                return 1;
            }
            t[w] = bench_now() - t0;
            if (w == 0) {
                inertia = res.objective;
                iters = res.n_iter;
            }
            kmeans_result_release(&res);
        }
        if (r >= 0) {
            marg[r] = (t[0] - t[1]) / 20;
            fit21[r] = t[0];
        }
    }
    double mmed = bench_median(marg, runs), fmed = bench_median(fit21, runs);
    printf("kmeans_quarry_%dt N=%lld d=%lld k=%lld gemm=%d iters=%d "
           "marginal_sec_per_iter=%.5f (min %.5f max %.5f) fit21_s=%.4f inertia=%.6e runs=%d\n",
           threads, n, d, k, gemm, iters, mmed, marg[0], marg[runs - 1], fmed, inertia, runs);
    free(x);
    free(init);
    return 0;
}
