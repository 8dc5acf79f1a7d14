/*
 * dbscan_time.c: quarry's DBSCAN engine on an n x 2 float64 .npy (C order),
 * median wall seconds of RUNS fits after a warm-up, and the cluster and
 * noise counts (bench/sections/kmeans.sh dbscan).
 *
 *   dbscan_time X.npy EPS MINPTS [RUNS] [LABELS.npy]
 *
 * With LABELS.npy (scikit-learn's labels, int64), also counts the rows whose
 * label differs (quarry numbers clusters as scikit-learn does).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

#include "cluster/dbscan.h"

int
main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: dbscan_time X.npy EPS MINPTS [RUNS]\n");
        return 2;
    }
    long long n, d, ld;
    double *xr = bench_npy(argv[1], &n, &d);
    if (!xr)
        bench_die("cannot read %s", argv[1]);
    double *x = bench_colmajor(xr, n, d, &ld);
    free(xr);
    int runs = argc > 4 ? atoi(argv[4]) : 5;
    runs = runs < 1 ? 1 : runs > 64 ? 64 : runs;
    struct dbscan_opts o = {.eps = strtod(argv[2], NULL), .minpts = atoi(argv[3])};
    int32_t *lab = malloc(sizeof(int32_t) * (size_t)n);
    double t[64];
    struct dbscan_result r;
    for (int i = -1; i < runs; i++) {
        struct qerr e = QERR_INIT;
        double t0 = bench_now();
        if (dbscan_fit(x, n, (int)d, ld, &o, lab, &r, &e) < 0) {
            fprintf(stderr, "%s\n", e.msg);
            return 1;
        }
        if (i >= 0)
            t[i] = bench_now() - t0;
    }
    double sorted[64];
    memcpy(sorted, t, sizeof(double) * (size_t)runs);
    double med = bench_median(sorted, runs);
    long long differ = -1, *ref = argc > 5 ? bench_npy_i64(argv[5], n) : NULL;
    if (ref) {
        differ = 0;
        for (long long i = 0; i < n; i++)
            differ += ref[i] != lab[i];
        free(ref);
    }
    printf("dbscan_quarry N=%lld d=%lld eps=%g minpts=%d fit_s=%.4f (min %.4f max %.4f) "
           "clusters=%d noise=%lld labels_differing_from_sklearn=%lld\n",
           n, d, o.eps, o.minpts, med, sorted[0], sorted[runs - 1], r.n_clusters, r.n_noise,
           differ);
    return 0;
}
