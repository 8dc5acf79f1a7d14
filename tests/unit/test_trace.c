/*
 * test_trace.c: the teaching traces (trace kmeans, apriori, dbscan,
 * split) against examples worked by hand.
 *
 * k-means: the textbook exercise of eight points A1 (2,10), A2 (2,5),
 * A3 (8,4), B1 (5,8), B2 (7,5), B3 (6,4), C1 (1,2), C2 (4,9), starting
 * from A1, B1 and C1 (Han and Kamber's exercise; worked in many course
 * notes). By hand: iteration 1 gives {A1} {A3 B1 B2 B3 C2} {A2 C1},
 * centres (2,10) (6,6) (1.5,3.5), inertia 0 + 32 + 5 = 37; iteration 2
 * moves C2 to cluster 1: centres (3,9.5) (6.5,5.25) (1.5,3.5), inertia
 * 2.5 + 15.75 + 5 = 23.25; iteration 3 moves B1 to cluster 1: centres
 * (11/3,9) (7,13/3) (1.5,3.5), inertia 20/3 + 8/3 + 5 = 43/3; iteration
 * 4 moves nothing: converged.
 *
 * Apriori: Han, Kamber and Pei, table 6.1 (AllElectronics, 9
 * transactions), min count 2: C1 5 frequent; C2 10 candidates, 6 frequent;
 * C3 6 joined, 4 pruned, the 2 counted frequent; C4 {I1,I2,I3,I5} pruned
 * ({I2,I3,I5} is not frequent).
 *
 * DBSCAN: 1-D rows 0, 1, 10, 2, 11, 50, 3.4 with eps 1.5, minpts 3: rows
 * 1 and 3 (values 1 and 2) are core; the cluster starts at row 1, pushes
 * rows 0 and 3, pops 3 (last pushed), which pushes 6, then 6 and 0 are
 * border: order 1, 3, 6, 0; rows 2, 4, 5 noise.
 *
 * Gini: classes A A B B B (gini 1 - 0.4^2 - 0.6^2 = 0.48) over x = 1..5:
 * x <= 1.5 weighted 0.3, <= 2.5 0 (best, gain 0.48), <= 3.5 4/15,
 * <= 4.5 0.4; over codes 0 1 0 1 2: = 0 and = 1 weighted 7/15, = 2 0.4.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "classify/gini_trace.h"
#include "cluster/dbscan_trace.h"
#include "cluster/kmeans_trace.h"
#include "rules/apriori_trace.h"
#include "base/qerr.h"
#include "base/banned.h"

static void
test_kmeans(void)
{
    const double x[16] = {2, 2, 8, 5, 7, 6, 1, 4, 10, 5, 4, 8, 5, 4, 2, 9};
    const double start[6] = {2, 10, 5, 8, 1, 2};
    struct kmeans_trace t = {0};
    struct qerr err = QERR_INIT;
    CHECK_OK(kmeans_trace_run(x, 8, 2, 8, 3, start, 20, &t, &err), err);
    CHECK_INT(t.n_iter, 4);
    CHECK_INT(t.converged, 1);
    const double want[4][6] = {{2, 10, 6, 6, 1.5, 3.5},
                               {3, 9.5, 6.5, 5.25, 1.5, 3.5},
                               {11.0 / 3, 9, 7, 13.0 / 3, 1.5, 3.5},
                               {11.0 / 3, 9, 7, 13.0 / 3, 1.5, 3.5}};
    const double inertia[4] = {37, 23.25, 43.0 / 3, 43.0 / 3};
    const long long moved[4] = {8, 1, 1, 0};
    for (int s = 0; s < 4 && s < t.n_iter; s++) {
        for (int c = 0; c < 3; c++)
            for (int q = 0; q < 2; q++)
                CHECK_NEAR(kmeans_trace_centre(&t, s + 1, c)[q], want[s][c * 2 + q], 1e-12);
        CHECK_NEAR(t.inertia[s], inertia[s], 1e-9);
        CHECK_INT(t.moved[s], moved[s]);
    }
    /* iteration 1: A1 alone, A2 and C1 together; iteration 3: B1 with A1 and C2 */
    const int32_t lab1[8] = {0, 2, 1, 1, 1, 1, 2, 1}, lab3[8] = {0, 2, 1, 0, 1, 1, 2, 0};
    for (int i = 0; i < 8 && t.n_iter >= 3; i++) {
        CHECK_INT(t.labels[i], lab1[i]);
        CHECK_INT(t.labels[16 + i], lab3[i]);
    }
    CHECK_NEAR(t.shift[0], sqrt(5), 1e-12); /* B1's centre (5,8) -> (6,6) */
    kmeans_trace_release(&t);
    /* maxiter=2 stops before convergence */
    CHECK_OK(kmeans_trace_run(x, 8, 2, 8, 3, start, 2, &t, &err), err);
    CHECK_INT(t.n_iter, 2);
    CHECK_INT(t.converged, 0);
    kmeans_trace_release(&t);
    CHECK(kmeans_trace_run(x, 8, 2, 8, 9, start, 2, &t, &err) < 0);
    CHECK_INT(err.code, QE_ARG);
    qerr_clear(&err);
    kmeans_trace_release(&t);
}

static void
test_apriori(void)
{
    /* I1..I5 as codes 0..4; T100..T900 */
    const int32_t items[] = {0, 1, 4, 1, 3, 1, 2, 0, 1, 3, 0, 2, 1, 2, 0, 2, 0, 1, 2, 4, 0, 1, 2};
    const long long off[] = {0, 3, 5, 7, 10, 12, 14, 16, 20, 23};
    struct apriori_trace t = {0};
    struct qerr err = QERR_INIT;
    CHECK_OK(apriori_trace_run(items, off, 9, 5, 2, 10, &t, &err), err);
    long long per[5][3] = {{0}}; /* level: frequent, infrequent, pruned */
    for (long long i = 0; i < t.n; i++)
        per[t.level[i]][t.fate[i]]++;
    CHECK_INT(per[1][APRIORI_FREQUENT], 5);
    CHECK_INT(per[2][APRIORI_FREQUENT], 6);
    CHECK_INT(per[2][APRIORI_INFREQUENT], 4);
    CHECK_INT(per[3][APRIORI_FREQUENT], 2);
    CHECK_INT(per[3][APRIORI_PRUNED], 4);
    CHECK_INT(per[3][APRIORI_INFREQUENT], 0);
    CHECK_INT(per[4][APRIORI_PRUNED], 1);
    CHECK_INT(t.n, 5 + 10 + 6 + 1);
    /* counts of level 1 (I1:6 I2:7 I3:6 I4:2 I5:2) and {I1,I2,I5}:2 */
    const long long c1[5] = {6, 7, 6, 2, 2};
    for (int i = 0; i < 5; i++)
        CHECK_INT(t.count[i], c1[i]);
    /* the C3 candidates in join order; {I1,I3,I5} pruned by {I3,I5} (drop I1, position 0) */
    const int32_t c3[6][3] = {{0, 1, 2}, {0, 1, 4}, {0, 2, 4}, {1, 2, 3}, {1, 2, 4}, {1, 3, 4}};
    for (int c = 0; c < 6; c++)
        CHECK(memcmp(t.items + t.off[15 + c], c3[c], sizeof c3[c]) == 0);
    CHECK_INT(t.count[16], 2);
    CHECK_INT(t.drop[17], 0);
    CHECK_INT(t.fate[21], APRIORI_PRUNED);
    CHECK_INT(t.drop[21], 0); /* {I1,I2,I3,I5} less I1 is {I2,I3,I5} */
    apriori_trace_release(&t);
}

static void
test_dbscan(void)
{
    const double x[7] = {0, 1, 10, 2, 11, 50, 3.4};
    struct dbscan_trace t = {0};
    struct qerr err = QERR_INIT;
    CHECK_OK(dbscan_trace_run(x, 7, 1, 7, 1.5, 3, &t, &err), err);
    CHECK_INT(t.n_clusters, 1);
    CHECK_INT(t.n_labelled, 4);
    const long long order[7] = {1, 3, 6, 0, 2, 4, 5}, from[7] = {1, -1, -1, 1, -1, -1, 3};
    const int32_t label[7] = {0, 0, -1, 0, -1, -1, 0};
    const int role[7] = {DBSCAN_BORDER, DBSCAN_CORE, DBSCAN_NOISE, DBSCAN_CORE, DBSCAN_NOISE,
                         DBSCAN_NOISE, DBSCAN_BORDER};
    for (int i = 0; i < 7; i++) {
        CHECK_INT(t.order[i], order[i]);
        CHECK_INT(t.from[i], from[i]);
        CHECK_INT(t.label[i], label[i]);
        CHECK_INT(t.role[i], role[i]);
    }
    CHECK_INT(t.neighbours[1], 3);
    CHECK_INT(t.neighbours[5], 1);
    dbscan_trace_release(&t);
}

static void
test_gini(void)
{
    const int y[5] = {0, 0, 1, 1, 1}, code[5] = {0, 1, 0, 1, 2};
    const double x[5] = {1, 2, 3, 4, 5};
    struct gini_feature f[2] = {{.x = x}, {.code = code, .n_codes = 3}};
    struct gini_trace t = {0};
    struct qerr err = QERR_INIT;
    CHECK_OK(gini_trace_run(y, 5, 2, f, 2, &t, &err), err);
    CHECK_NEAR(t.gini, 0.48, 1e-12);
    CHECK_INT(t.n_splits, 7);
    const double w[7] = {0.3, 0, 4.0 / 15, 0.4, 7.0 / 15, 7.0 / 15, 0.4};
    const double thr[4] = {1.5, 2.5, 3.5, 4.5};
    for (int s = 0; s < 7 && s < t.n_splits; s++) {
        CHECK_NEAR(t.splits[s].weighted, w[s], 1e-12);
        CHECK_NEAR(t.splits[s].gain, 0.48 - w[s], 1e-12);
        if (s < 4)
            CHECK_NEAR(t.splits[s].threshold, thr[s], 0);
        else
            CHECK_INT(t.splits[s].code, s - 4);
    }
    CHECK_INT(t.splits[2].n_left, 3);
    CHECK_NEAR(t.splits[2].gini_left, 4.0 / 9, 1e-12);
    CHECK_INT(t.best, 1);
    gini_trace_release(&t);
}

int
main(void)
{
    test_kmeans();
    test_apriori();
    test_dbscan();
    test_gini();
    return check_done("trace");
}
