/*
 * test_dbscan_minpts.c: DBSCAN's first pass counts a row's neighbours only
 * up to minpts (issue 18), and the labels stay exactly DBSCAN's.
 *
 * Plan:
 *   1. labels against a brute-force DBSCAN written here from the
 *      definition (every pair's distance, full neighbour lists, clusters
 *      grown from core rows in row order as scikit-learn's dbscan_inner),
 *      on seeded blobs with noise in 1, 2 and 3 dimensions, for minpts
 *      from 1 to above the densest neighbourhood: identical labels,
 *      cluster, noise and core counts
 *   2. the walk stops: on 4,000 rows in a small square with eps covering
 *      most of it, the first pass computes fewer than 64 distances a row
 *      (counting every neighbour computes hundreds)
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "cluster/dbscan.h"

static uint64_t lcg = 88172645463325252ULL;

static double
unif(void)
{
    lcg ^= lcg << 13;
    lcg ^= lcg >> 7;
    lcg ^= lcg << 17;
    return (double)(lcg >> 11) / 9007199254740992.0;
}

/* n rows of d columns, column-major: 4 blobs of sd 0.3 and 10% uniform noise. */
static void
make_points(double *x, int n, int d)
{
    for (int i = 0; i < n; i++) {
        int blob = i % 5;
        for (int q = 0; q < d; q++) {
            if (blob == 4) {
                x[(long long)q * n + i] = unif() * 10 - 1;
            } else {
                double g = 0;
                for (int k = 0; k < 12; k++)
                    g += unif();
                x[(long long)q * n + i] = 2.5 * blob + 0.3 * (g - 6) + (q == 1 ? blob % 2 : 0);
            }
        }
    }
}

/* DBSCAN by the definition, O(n^2): labels, and the counts dbscan_fit reports. */
static void
brute_dbscan(const double *x, int n, int d, double eps, int minpts, int32_t *lab,
             int *n_clusters, long long *n_noise, long long *n_core)
{
    int *deg = calloc((size_t)n, sizeof(int));
    int **nb = calloc((size_t)n, sizeof(int *));
    int *stack = malloc(sizeof(int) * (size_t)n * 64);
    long long cap = (long long)n * 64, sn = 0;
    for (int i = 0; i < n; i++) {
        nb[i] = malloc(sizeof(int) * (size_t)n);
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int q = 0; q < d; q++) {
                double v = x[(long long)q * n + i] - x[(long long)q * n + j];
                s += v * v;
            }
            if (sqrt(s) <= eps)
                nb[i][deg[i]++] = j;
        }
    }
    *n_core = 0;
    for (int i = 0; i < n; i++) {
        lab[i] = -1;
        *n_core += deg[i] >= minpts;
    }
    int label = 0;
    for (int i0 = 0; i0 < n; i0++) {
        if (lab[i0] != -1 || deg[i0] < minpts)
            continue;
        int i = i0;
        for (;;) { /* scikit-learn's dbscan_inner */
            if (lab[i] == -1) {
                lab[i] = label;
                if (deg[i] >= minpts)
                    for (int k = 0; k < deg[i]; k++)
                        if (lab[nb[i][k]] == -1 && sn < cap)
                            stack[sn++] = nb[i][k];
            }
            if (sn == 0)
                break;
            i = stack[--sn];
        }
        label++;
    }
    *n_clusters = label;
    *n_noise = 0;
    for (int i = 0; i < n; i++)
        *n_noise += lab[i] < 0;
    for (int i = 0; i < n; i++)
        free(nb[i]);
    free(nb);
    free(deg);
    free(stack);
}

static void
test_labels(void)
{
    enum { N = 1500 };
    double *x = malloc(sizeof(double) * N * 3);
    int32_t *got = malloc(sizeof(int32_t) * N), *want = malloc(sizeof(int32_t) * N);
    static const double eps[] = {0.15, 0.3, 0.6};
    static const int minpts[] = {1, 2, 5, 10, 40, 400};
    for (int d = 1; d <= 3; d++) {
        make_points(x, N, d);
        for (size_t a = 0; a < sizeof eps / sizeof eps[0]; a++)
            for (size_t b = 0; b < sizeof minpts / sizeof minpts[0]; b++) {
                struct dbscan_opts o = {.eps = eps[a], .minpts = minpts[b]};
                struct dbscan_result r;
                struct qerr e = QERR_INIT;
                CHECK_OK(dbscan_fit(x, N, d, N, &o, got, &r, &e), e);
                int nc;
                long long nn, ncore;
                brute_dbscan(x, N, d, eps[a], minpts[b], want, &nc, &nn, &ncore);
                int differ = 0;
                for (int i = 0; i < N; i++)
                    differ += got[i] != want[i];
                if (differ)
                    printf("d=%d eps=%g minpts=%d: %d labels differ\n", d, eps[a], minpts[b],
                           differ);
                CHECK_INT(differ, 0);
                CHECK_INT(r.n_clusters, nc);
                CHECK_INT(r.n_noise, nn);
                CHECK_INT(r.n_core, ncore);
                qerr_clear(&e);
            }
    }
    free(x);
    free(got);
    free(want);
}

static void
test_stops_at_minpts(void)
{
    /* 4,000 rows uniform in [0, 1]^2, eps 0.5: about 1,900 neighbours a row */
    enum { N = 4000 };
    double *x = malloc(sizeof(double) * N * 2);
    int32_t *lab = malloc(sizeof(int32_t) * N);
    for (int i = 0; i < 2 * N; i++)
        x[i] = unif();
    struct dbscan_opts o = {.eps = 0.5, .minpts = 5};
    struct dbscan_result r;
    struct qerr e = QERR_INIT;
    CHECK_OK(dbscan_fit(x, N, 2, N, &o, lab, &r, &e), e);
    CHECK_INT(r.n_clusters, 1);
    CHECK_INT(r.n_core, N);
    CHECK(r.tested > 0);
    CHECK(r.tested < 64LL * N);
    qerr_clear(&e);
    free(x);
    free(lab);
}

int
main(void)
{
    test_labels();
    test_stops_at_minpts();
    return check_done("test_dbscan_minpts");
}
