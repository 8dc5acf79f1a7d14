/*
 * test_cluster_fit.c: cluster_fit and cluster_elbow (src/cluster/cluster.h),
 * the one entry point of every clustering method, on four points of one
 * column, 0, 1, 10 and 11, whose answers are worked out by hand.
 *
 * Plan:
 *   1. the checks done once for every method: k above the rows, a
 *      distance the method does not take
 *   2. the method that runs: kmeans with minkowski is k-medoids, kmeans
 *      with manhattan k-medians (whose centres are kept: they are not the
 *      means), plain k-means keeps none
 *   3. dbscan: eps 2, minpts 2 finds {0, 1} and {10, 11}; with a far point
 *      added that point is noise (-1)
 *   4. hierarchical: single linkage merges at heights 1, 1 and 9; a cut at
 *      height 5 leaves 2 clusters
 *   5. elbow: inertia 101 for k = 1 (sum of (x - 5.5)^2), 1 for k = 2, 0
 *      for k = 4; no silhouette for k = 1
 */
#include <math.h>
#include <string.h>

#include "check.h"
#include "cluster/cluster.h"

static const double pts[] = {0, 1, 10, 11, 40};

static struct cluster_opts
opts(enum cluster_method m, int k)
{
    struct cluster_opts o = {.method = m, .distance = CLUSTER_EUCLIDEAN, .p = 3, .k = k,
                             .init = KMEANS_INIT_KMPP, .restarts = 3, .maxiter = 100,
                             .tol = 1e-9, .seed = 1, .threads = 1, .minpts = 2,
                             .linkage = HIER_SINGLE};
    return o;
}

static void
test_checks(void)
{
    struct cluster_result r;
    struct qerr e = QERR_INIT;
    struct cluster_opts o = opts(CLUSTER_KMEANS, 5);
    CHECK_INT(cluster_fit(pts, 4, 1, 4, &o, &r, &e), -1);
    CHECK_STR(e.msg, "k=5 is more than the 4 complete rows; give a smaller k");
    qerr_clear(&e);
    cluster_result_release(&r);
    o = opts(CLUSTER_KMEDOIDS, 2);
    o.distance = CLUSTER_COSINE;
    CHECK_INT(cluster_fit(pts, 4, 1, 4, &o, &r, &e), -1);
    CHECK_INT(e.code, QE_ARG);
    qerr_clear(&e);
    cluster_result_release(&r);
    o = opts(CLUSTER_DBSCAN, 5); /* dbscan takes no k */
    o.has_eps = 1;
    o.eps = 2;
    CHECK_INT(cluster_fit(pts, 4, 1, 4, &o, &r, &e), 0);
    cluster_result_release(&r);
}

static void
test_methods(void)
{
    struct cluster_result r;
    struct qerr e = QERR_INIT;
    struct cluster_opts o = opts(CLUSTER_KMEANS, 2);
    o.distance = CLUSTER_MINKOWSKI;
    CHECK_INT(cluster_fit(pts, 4, 1, 4, &o, &r, &e), 0);
    CHECK_INT(r.method, CLUSTER_KMEDOIDS);
    CHECK_STR(r.objective, "sum_distance");
    CHECK_NEAR(r.objective_value, 2, 1e-12); /* one row per pair is 1 from its medoid */
    CHECK(r.centres != NULL);
    cluster_result_release(&r);
    o = opts(CLUSTER_KMEANS, 2);
    o.distance = CLUSTER_MANHATTAN;
    CHECK_INT(cluster_fit(pts, 4, 1, 4, &o, &r, &e), 0);
    CHECK_INT(r.variant, KMEANS_MEDIANS);
    CHECK(r.centres != NULL);
    cluster_result_release(&r);
    o = opts(CLUSTER_KMEANS, 2);
    CHECK_INT(cluster_fit(pts, 4, 1, 4, &o, &r, &e), 0);
    CHECK_INT(r.variant, KMEANS_MEANS);
    CHECK(r.centres == NULL);
    CHECK_NEAR(r.objective_value, 1, 1e-12);
    CHECK_INT(r.labels[0], r.labels[1]);
    CHECK_INT(r.labels[2], r.labels[3]);
    CHECK(r.labels[0] != r.labels[2]);
    CHECK_NEAR(r.quality.inertia, 1, 1e-12);
    cluster_result_release(&r);
    CHECK_INT(e.code, QE_OK);
}

static void
test_dbscan_hier(void)
{
    struct cluster_result r;
    struct qerr e = QERR_INIT;
    struct cluster_opts o = opts(CLUSTER_DBSCAN, 0);
    o.has_eps = 1;
    o.eps = 2;
    CHECK_INT(cluster_fit(pts, 5, 1, 5, &o, &r, &e), 0);
    CHECK_INT(r.k, 2);
    CHECK_INT(r.n_noise, 1);
    CHECK_INT(r.labels[4], -1);
    CHECK_INT(r.labels[0], r.labels[1]);
    CHECK(!r.eps_suggested);
    cluster_result_release(&r);
    o = opts(CLUSTER_HIERARCHICAL, 3);
    o.has_height = 1;
    o.height = 5;
    o.trace = 1;
    CHECK_INT(cluster_fit(pts, 4, 1, 4, &o, &r, &e), 0);
    CHECK_INT(r.k, 2);
    CHECK(r.merges != NULL);
    CHECK_NEAR(r.merges[0].height, 1, 0);
    CHECK_NEAR(r.merges[1].height, 1, 0);
    CHECK_NEAR(r.merges[2].height, 9, 0);
    CHECK_NEAR(r.cut_height, 1, 0);
    cluster_result_release(&r);
    CHECK_INT(e.code, QE_OK);
}

static void
test_elbow(void)
{
    double inertia[4], sil[4];
    struct qerr e = QERR_INIT;
    struct cluster_opts o = opts(CLUSTER_KMEANS, 0);
    CHECK_INT(cluster_elbow(pts, 4, 1, 4, 1, 4, &o, inertia, sil, &e), 0);
    CHECK_NEAR(inertia[0], 101, 1e-9);
    CHECK_NEAR(inertia[1], 1, 1e-9);
    CHECK_NEAR(inertia[3], 0, 1e-9);
    CHECK(isnan(sil[0]));
    /* 0: a = 1, b = (10 + 11) / 2; 1: a = 1, b = (9 + 10) / 2; and the mirror images */
    CHECK_NEAR(sil[1], (1 - 1 / 10.5 + 1 - 1 / 9.5) / 2, 1e-9);
}

int
main(void)
{
    test_checks();
    test_methods();
    test_dbscan_hier();
    test_elbow();
    return check_done("test_cluster_fit");
}
