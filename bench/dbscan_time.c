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

#include "cluster/dbscan.h"

static double
now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int
cmpd(const void *a, const void *b)
{
    double u = *(const double *)a, v = *(const double *)b;
    return (u > v) - (u < v);
}

int
main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: dbscan_time X.npy EPS MINPTS [RUNS]\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    unsigned char pre[10];
    if (!f || fread(pre, 1, 10, f) != 10) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 1;
    }
    size_t hl = (size_t)pre[8] | ((size_t)pre[9] << 8);
    char *h = calloc(hl + 1, 1);
    if (fread(h, 1, hl, f) != hl)
        return 1;
    char *s = strstr(h, "'shape': (");
    long long n = strtoll(s + 10, &s, 10), d = strtoll(s + 1, NULL, 10);
    double *xr = malloc(sizeof(double) * (size_t)(n * d));
    if (fread(xr, sizeof(double), (size_t)(n * d), f) != (size_t)(n * d))
        return 1;
    fclose(f);
    long long ld = (n + 7) / 8 * 8;
    double *x = malloc(sizeof(double) * (size_t)(ld * d));
    for (long long i = 0; i < n; i++)
        for (long long q = 0; q < d; q++)
            x[q * ld + i] = xr[i * d + q];
    int runs = argc > 4 ? atoi(argv[4]) : 5;
    struct dbscan_opts o = {.eps = strtod(argv[2], NULL), .minpts = atoi(argv[3])};
    int32_t *lab = malloc(sizeof(int32_t) * (size_t)n);
    double t[64];
    struct dbscan_result r;
    for (int i = -1; i < runs && i < 64; i++) {
        struct qerr e = QERR_INIT;
        double t0 = now();
        if (dbscan_fit(x, n, (int)d, ld, &o, lab, &r, &e) < 0) {
            fprintf(stderr, "%s\n", e.msg);
            return 1;
        }
        if (i >= 0)
            t[i] = now() - t0;
    }
    qsort(t, (size_t)runs, sizeof(double), cmpd);
    long long differ = -1;
    if (argc > 5 && (f = fopen(argv[5], "rb")) != NULL) {
        if (fread(pre, 1, 10, f) == 10) {
            hl = (size_t)pre[8] | ((size_t)pre[9] << 8);
            char *h2 = calloc(hl + 1, 1);
            long long *ref = malloc(sizeof(long long) * (size_t)n);
            if (fread(h2, 1, hl, f) == hl && fread(ref, sizeof(long long), (size_t)n, f) ==
                                                 (size_t)n) {
                differ = 0;
                for (long long i = 0; i < n; i++)
                    differ += ref[i] != lab[i];
            }
            free(h2);
            free(ref);
        }
        fclose(f);
    }
    printf("dbscan_quarry N=%lld d=%lld eps=%g minpts=%d fit_s=%.4f (min %.4f max %.4f) "
           "clusters=%d noise=%lld labels_differing_from_sklearn=%lld\n",
           n, d, o.eps, o.minpts, t[runs / 2], t[0], t[runs - 1], r.n_clusters, r.n_noise,
           differ);
    return 0;
}
