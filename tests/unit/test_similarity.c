/*
 * test_similarity.c: similarity_top (src/prep/similarity.c, blocked gemm
 * over normalised rows) against the definitions computed pair by pair
 * (similarity_pair) by brute force, on 600 random rows (three blocks of
 * 256, so pairs within and across blocks), for each method: every row's
 * top 5 hold the brute-force best similarities (within 1e-12) in order;
 * and hand cases: cosine of (1,0) and (1,1) is 1/sqrt2, pearson of
 * (1,2,3) and (3,2,1) is -1, jaccard of {x,z} and {x,y,z} is 2/3.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "base/rng.h"
#include "prep/similarity.h"

#define N 600
#define P 7
#define K 5

static int
cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

static void
check_method(enum similarity_method m, const double *x)
{
    struct similarity_out o;
    struct qerr err = QERR_INIT;
    CHECK_OK(similarity_top(x, N, P, m, K, NULL, NULL, &o, &err), err);
    CHECK_INT(o.n, (long long)N * K);
    double *all = malloc(N * sizeof(double));
    int bad = 0;
    for (int i = 0; i < N; i++) {
        int n = 0;
        for (int j = 0; j < N; j++)
            if (j != i) {
                double s = similarity_pair(x + i * P, x + j * P, P, m);
                if (!isnan(s))
                    all[n++] = s;
            }
        qsort(all, (size_t)n, sizeof *all, cmp_desc);
        for (int q = 0; q < K; q++) {
            long long r = (long long)i * K + q;
            double want = similarity_pair(x + i * P, x + o.b[r] * P, P, m);
            if ((o.a[r] != i || o.rank[r] != q + 1 || fabs(o.sim[r] - all[q]) > 1e-12 ||
                 fabs(o.sim[r] - want) > 1e-12) && bad++ < 3)
                fprintf(stderr, "method %d row %d rank %d: %.15g (pair %.15g), want %.15g\n",
                        (int)m, i, q + 1, o.sim[r], want, all[q]);
        }
    }
    CHECK_INT(bad, 0);
    free(all);
    similarity_out_release(&o);
}

int
main(void)
{
    double a[2] = {1, 0}, b[2] = {1, 1}, u[3] = {1, 2, 3}, v[3] = {3, 2, 1};
    double s[3] = {1, 0, 1}, t[3] = {1, 2, 3}, z[3] = {0, 0, 0};
    CHECK_NEAR(similarity_pair(a, b, 2, SIMILARITY_COSINE), 1 / sqrt(2.0), 1e-15);
    CHECK_NEAR(similarity_pair(u, v, 3, SIMILARITY_PEARSON), -1, 1e-15);
    CHECK_NEAR(similarity_pair(s, t, 3, SIMILARITY_JACCARD), 2.0 / 3, 1e-15);
    CHECK(isnan(similarity_pair(z, t, 3, SIMILARITY_COSINE)));
    CHECK(isnan(similarity_pair(z, z, 3, SIMILARITY_JACCARD)));
    double *x = malloc(N * P * sizeof(double));
    struct rng r;
    rng_init(&r, 5);
    for (int i = 0; i < N * P; i++) /* counts 0..4, as behaviour vectors are */
        x[i] = (double)rng_below(&r, 5);
    check_method(SIMILARITY_COSINE, x);
    check_method(SIMILARITY_PEARSON, x);
    for (int i = 0; i < N * P; i++) /* sparse for jaccard */
        x[i] = rng_uniform(&r) < 0.4;
    check_method(SIMILARITY_JACCARD, x);
    free(x);
    struct similarity_out o;
    struct qerr err = QERR_INIT;
    CHECK_INT(similarity_top(a, 1, 2, SIMILARITY_COSINE, 0, NULL, NULL, &o, &err), -1);
    qerr_clear(&err);
    return check_done("test_similarity");
}
