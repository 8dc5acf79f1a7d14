/*
 * test_cluster_hostile.c: the clustering engine on the inputs issue 14's
 * hostile tester used: values near 1e308 and 1e-300, infinities, and a
 * DBSCAN over many identical rows.
 *
 * Plan (every expected value by hand or planted):
 *   1. k-means on 1e200-scale data: the issue's five rows with k=3 have an
 *      inertia of about 1e398: the fit gives the right pairs and an
 *      objective of +inf (it returned inf with every row in one cluster,
 *      then stopped with QE_NUMERIC); rows -1e200, 0, 1e200
 *      with k=3 give three clusters, the rows as centres, inertia 0 (it
 *      put all three in cluster 0); the same squares as
 *      test_kmeans_pass.c's at 1e-200 scale (squared distances underflow
 *      to 0) are found exactly; cosine rows at 1e200 split by direction
 *      (they became zero rows); an infinity is QE_DATA.
 *   2. k-medoids at 1e200: rows 1e200, 1.1e200, -1e200, -1.2e200, k=2:
 *      pairs, sum of distances 3e199 (every distance was inf).
 *   3. cluster indices at 2^530 +- 2^500 (squares overflow, inertia does
 *      not): inertia 2^1000, silhouette, Davies-Bouldin and
 *      Calinski-Harabasz by hand (they were NaN, 0 and inf); tight
 *      clusters at +-1e200: inertia 0, silhouette 1; the issue's five rows
 *      under hierarchical's labels: inertia NaN with a note "inertia
 *      (about 10^398)", the ratios computed (it was an error, and inf before);
 *      an infinity in a labelled row is QE_DATA, in a noise row ignored.
 *   4. DBSCAN: 20,000 identical rows and 3 far ones: one cluster and 3
 *      noise rows, each row pushed at most once (it was pushed once per
 *      core neighbour: about n^2 / 2 pushes); two interleaved dense
 *      points; a cancel at the first progress call of either pass ends
 *      the fit with QE_INTERRUPT before any push (the old check ran every
 *      4096 expansions); the memory limit; 1e200-scale rows with eps
 *      3e199 (every distance was inf and eps^2 too, so all one cluster).
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "base/mem.h"
#include "cluster/cluster.h"
#include "cluster/cluster_medoids.h"
#include "cluster/cluster_quality.h"
#include "cluster/dbscan.h"
#include "cluster/kmeans.h"
#include "base/qerr.h"
#include "base/banned.h"

/* The issue's rows: (1e200,0), (1.1e200,0), (-1e200,0), (-1.2e200,1), (0,0); column-major. */
static const double issue_rows[10] = {1e200, 1.1e200, -1e200, -1.2e200, 0, 0, 0, 0, 1, 0};

/* Whether labels a and b make the same partition of n rows. */
static int
same_partition(const int32_t *a, const int32_t *b, int n)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            if ((a[i] == a[j]) != (b[i] == b[j]))
                return 0;
    return 1;
}

static void
test_kmeans_huge(void)
{
    struct kmeans_opts o;
    struct kmeans_result r;
    struct qerr e = QERR_INIT;
    kmeans_opts_init(&o);
    o.k = 3;
    o.seed = 1;
    CHECK_INT(kmeans_fit(issue_rows, 5, 2, 5, &o, &r, &e), 0);
    CHECK(isinf(r.objective) && r.objective > 0);
    const int32_t pairs[5] = {0, 0, 1, 1, 2}; /* +-1e200 pairs and 0: 2.5e398 is the least */
    CHECK(same_partition(r.labels, pairs, 5));
    kmeans_result_release(&r);
    qerr_clear(&e);

    /* three rows 1e200 apart: three clusters, inertia exactly 0 */
    const double x3[3] = {-1e200, 0, 1e200};
    for (int init = 0; init < 2; init++) {
        kmeans_opts_init(&o);
        o.k = 3;
        o.seed = 2;
        o.init = init ? KMEANS_INIT_RANDOM : KMEANS_INIT_KMPP;
        CHECK_INT(kmeans_fit(x3, 3, 1, 3, &o, &r, &e), 0);
        CHECK(r.labels && r.labels[0] != r.labels[1] && r.labels[1] != r.labels[2] &&
              r.labels[0] != r.labels[2]);
        CHECK(r.objective == 0);
        for (int i = 0; r.labels && i < 3; i++)
            CHECK(r.centres[r.labels[i]] == x3[i]);
        kmeans_result_release(&r);
        qerr_clear(&e);
    }
}

static void
test_kmeans_tiny(void)
{
    /* unit squares 10 apart, times 1e-200: squared distances near 1e-400 underflow to 0 */
    enum { N = 12, LD = 16 };
    double x[2 * LD];
    int32_t want[N];
    for (int i = 0; i < N; i++) {
        int g = i / 4;
        x[i] = (10 * g + (i % 2)) * 1e-200;
        x[LD + i] = ((g == 2 ? 5 : 0) + (i / 2) % 2) * 1e-200;
        want[i] = g;
    }
    struct kmeans_opts o;
    kmeans_opts_init(&o);
    o.k = 3;
    o.seed = 3;
    struct kmeans_result r;
    struct qerr e = QERR_INIT;
    CHECK_INT(kmeans_fit(x, N, 2, LD, &o, &r, &e), 0);
    CHECK(r.labels && same_partition(r.labels, want, N));
    for (int i = 0; r.labels && i < N; i += 4) /* the squares' middles */
        CHECK_NEAR(r.centres[r.labels[i] * 2] / 1e-200, 10 * (i / 4) + 0.5, 1e-9);
    kmeans_result_release(&r);
    qerr_clear(&e);
}

static void
test_kmeans_cosine_and_inf(void)
{
    /* directions (1, 0) and (0, 1) at 1e200 and beyond: two clusters, 1 - cos = 0 */
    const double x[8] = {1e200, 3e200, 0, 0, 0, 0, 2e200, 1.5e308};
    const int32_t want[4] = {0, 0, 1, 1};
    struct kmeans_opts o;
    kmeans_opts_init(&o);
    o.method = KMEANS_COSINE;
    o.k = 2;
    o.seed = 4;
    struct kmeans_result r;
    struct qerr e = QERR_INIT;
    CHECK_INT(kmeans_fit(x, 4, 2, 4, &o, &r, &e), 0);
    CHECK(r.labels && same_partition(r.labels, want, 4));
    CHECK_NEAR(r.objective, 0, 1e-12);
    kmeans_result_release(&r);
    qerr_clear(&e);

    const double xi[4] = {1, 2, INFINITY, 3};
    kmeans_opts_init(&o);
    o.k = 2;
    CHECK_INT(kmeans_fit(xi, 4, 1, 4, &o, &r, &e), -1);
    CHECK_INT(e.code, QE_DATA);
    CHECK(e.msg && strstr(e.msg, "row 3"));
    kmeans_result_release(&r);
    qerr_clear(&e);
}

static void
test_kmedoids_huge(void)
{
    const double x[4] = {1e200, 1.1e200, -1e200, -1.2e200};
    const int32_t want[4] = {0, 0, 1, 1};
    struct kmedoids_opts o = {.k = 2, .p = 2, .maxiter = 10, .seed = 5};
    struct kmedoids_result r;
    struct qerr e = QERR_INIT;
    CHECK_INT(kmedoids_fit(x, 4, 1, 4, &o, &r, &e), 0);
    CHECK(r.labels && same_partition(r.labels, want, 4));
    CHECK_NEAR(r.objective / 3e199, 1, 1e-12); /* 0.1e200 + 0.2e200, whichever medoids */
    kmedoids_result_release(&r);
    qerr_clear(&e);
    CHECK_NEAR(kmedoids_distance(x, 1, 4, 0, 3, 2) / 2.2e200, 1, 1e-13);
}

static void
test_quality_huge(void)
{
    /* A = 2^530 (3.5e159), S = 2^500; rows A, A + S, -A, -A - S in clusters 0 0 1 1 */
    const double A = 0x1p530, S = 0x1p500, a = 0x1p30; /* a = A / S */
    const double x[4] = {A, A + S, -A, -A - S};
    const int32_t lab[4] = {0, 0, 1, 1};
    struct cluster_quality q;
    struct qerr e = QERR_INIT;
    CHECK_INT(cluster_quality_compute(x, 4, 1, 4, lab, 2, 1, 1, NULL, NULL, &q, &e), 0);
    /* inertia: 4 (S/2)^2; silhouette: point A has a = S, b = 2A + S/2, point A + S has
     * b = 2A + 3S/2; Davies-Bouldin: (S/2 + S/2) / (2A + S); Calinski-Harabasz:
     * B (n - k) / (W (k - 1)) with B = 4 (A + S/2)^2, W = S^2 */
    CHECK(q.inertia == 0x1p1000);
    CHECK_NEAR(q.silhouette, 1 - (1 / (2 * a + 0.5) + 1 / (2 * a + 1.5)) / 2, 1e-13);
    CHECK_NEAR(q.davies_bouldin * (2 * a + 1), 1, 1e-12);
    CHECK_NEAR(q.calinski_harabasz / (8 * (a + 0.5) * (a + 0.5)), 1, 1e-12);
    qerr_clear(&e);

    /* tight clusters at +-1e200 and 0: inertia 0, silhouette 1 */
    const double t[6] = {1e200, 1e200, -1e200, -1e200, 0, 0};
    const int32_t tl[6] = {0, 0, 1, 1, 2, 2};
    CHECK_INT(cluster_quality_compute(t, 6, 1, 6, tl, 3, 1, 1, NULL, NULL, &q, &e), 0);
    CHECK(q.inertia == 0);
    CHECK(q.silhouette == 1.0);
    qerr_clear(&e);

    /* the issue's rows, hierarchical's clusters: an inertia of about 1e398 */
    const int32_t hl[5] = {0, 0, 1, 1, 2};
    CHECK_INT(cluster_quality_compute(issue_rows, 5, 2, 5, hl, 3, 1, 1, NULL, NULL, &q, &e), 0);
    CHECK(isnan(q.inertia));
    CHECK_STR(q.note, "inertia (about 10^398)");
    /* the ratios are scale-free: in units of 2^664 they are those of the rows / 1e200 */
    const double small[10] = {1, 1.1, -1, -1.2, 0, 0, 0, 0, 1e-200, 0};
    struct cluster_quality qs;
    CHECK_INT(cluster_quality_compute(small, 5, 2, 5, hl, 3, 1, 1, NULL, NULL, &qs, &e), 0);
    CHECK_NEAR(q.silhouette, qs.silhouette, 1e-12);
    CHECK_NEAR(q.davies_bouldin, qs.davies_bouldin, 1e-12);
    CHECK_NEAR(q.calinski_harabasz / qs.calinski_harabasz, 1, 1e-12);
    CHECK_STR(qs.note, "");
    qerr_clear(&e);

    /* an infinity: an error in a labelled row, nothing in a noise row */
    const double xi[5] = {0, 1, 10, 11, -INFINITY};
    const int32_t li[5] = {0, 0, 1, 1, -1}, lj[5] = {0, 0, 1, 1, 1};
    CHECK_INT(cluster_quality_compute(xi, 5, 1, 5, li, 2, 1, 1, NULL, NULL, &q, &e), 0);
    CHECK_NEAR(q.inertia, 1.0, 1e-12);
    CHECK_INT(q.n_noise, 1);
    CHECK(isnan(q.silhouette_noise)); /* with the infinite row as a cluster: undefined */
    CHECK_INT(cluster_quality_compute(xi, 5, 1, 5, lj, 2, 1, 1, NULL, NULL, &q, &e), -1);
    CHECK_INT(e.code, QE_DATA);
    qerr_clear(&e);
}

/* Cancels at the first call of the pass it is set for (0: counting, 1: growing). */
struct cancel {
    int pass, calls, calls_in_pass;
};

static int
cancel_at(void *ctx, double fraction)
{
    struct cancel *c = ctx;
    c->calls++;
    int in = fraction >= 0.5 ? 1 : 0;
    if (in == c->pass)
        c->calls_in_pass++;
    return in == c->pass;
}

static void
test_dbscan_duplicates(void)
{
    /* 20,000 rows at (1, 2), then 3 far rows; or two points (0,0) and (10,10) by turns */
    enum { N = 20003 };
    double *x = malloc(sizeof(double) * 2 * N);
    int32_t *lab = malloc(sizeof(int32_t) * N);
    for (int twin = 0; twin < 2; twin++) {
        for (int i = 0; i < N; i++) {
            double v = twin ? 10.0 * (i % 2) : 1;
            x[i] = i < N - 3 ? v : 100.0 * (i - N + 4);
            x[N + i] = i < N - 3 ? (twin ? v : 2) : -50;
        }
        struct dbscan_opts o = {.eps = 0.1, .minpts = 5};
        struct dbscan_result r;
        struct qerr e = QERR_INIT;
        CHECK_INT(dbscan_fit(x, N, 2, N, &o, lab, &r, &e), 0);
        long long wrong = 0;
        for (int i = 0; i < N; i++)
            wrong += lab[i] != (i >= N - 3 ? -1 : twin ? i % 2 : 0);
        CHECK_INT(wrong, 0);
        CHECK_INT(r.n_clusters, 1 + twin);
        CHECK_INT(r.n_noise, 3);
        CHECK_INT(r.n_core, N - 3);
        CHECK_INT(r.pushes, N - 3); /* each core row once */
        qerr_clear(&e);
    }

    /* cancel at the first call of the counting pass, then of the growing pass */
    for (int pass = 0; pass < 2; pass++) {
        struct cancel c = {.pass = pass};
        struct dbscan_opts o = {.eps = 0.1, .minpts = 5, .progress = cancel_at, .pctx = &c};
        struct dbscan_result r;
        struct qerr e = QERR_INIT;
        CHECK_INT(dbscan_fit(x, N, 2, N, &o, lab, &r, &e), -1);
        CHECK_INT(e.code, QE_INTERRUPT);
        CHECK_INT(c.calls_in_pass, 1);
        if (pass == 0)
            CHECK_INT(c.calls, 1);
        CHECK_INT(r.pushes, 0);
        qerr_clear(&e);
    }

    /*
     * the memory budget (mem.h): a budget under what the fit needs is
     * refused before anything is built, with the size; one with room runs
     */
    double need = dbscan_bytes(N, 2);
    CHECK(need < 200.0 * N); /* O(n): about 150 bytes a row of 2 columns */
    struct dbscan_opts o = {.eps = 0.1, .minpts = 5};
    struct dbscan_result r;
    struct qerr e = QERR_INIT;
    mem_budget_set(1); /* 1 MiB, under the 1.3 MiB needed */
    CHECK_INT(dbscan_fit(x, N, 2, N, &o, lab, &r, &e), -1);
    CHECK_INT(e.code, QE_NOMEM);
    CHECK_HAS(e.msg, "out of memory: DBSCAN needs ");
    CHECK_HAS(e.msg, " MiB for 20003 rows, over set memory=1 MiB (");
    double said = e.msg ? strtod(e.msg + strlen("out of memory: DBSCAN needs "), NULL) : 0;
    CHECK_NEAR(said, need / 1048576.0, 0.06); /* the whole need, to the 0.1 MiB printed */
    qerr_clear(&e);
    mem_budget_set((long long)(mem_budget_held() >> 20) + 4);
    CHECK_INT(dbscan_fit(x, N, 2, N, &o, lab, &r, &e), 0);
    qerr_clear(&e);
    mem_budget_set(0);
    free(x);
    free(lab);
}

static void
test_dbscan_huge(void)
{
    /* rows 0, 1 are 1e199 apart, rows 2, 3 about 2e199; row 4 is 1e200 from any */
    int32_t lab[5];
    struct dbscan_opts o = {.eps = 3e199, .minpts = 2};
    struct dbscan_result r;
    struct qerr e = QERR_INIT;
    CHECK_INT(dbscan_fit(issue_rows, 5, 2, 5, &o, lab, &r, &e), 0);
    CHECK_INT(lab[0], 0);
    CHECK_INT(lab[1], 0);
    CHECK_INT(lab[2], 1);
    CHECK_INT(lab[3], 1);
    CHECK_INT(lab[4], -1);
    qerr_clear(&e);
    /* minpts 2: each row's nearest other row; the knee is finite and in the data's units */
    double eps = 0;
    CHECK_INT(dbscan_suggest_eps(issue_rows, 5, 2, 5, 2, 1, NULL, NULL, &eps, &e), 0);
    CHECK(eps >= 1e199 && eps <= 1.2e200);
    qerr_clear(&e);
    const double xi[3] = {0, NAN, 1};
    CHECK_INT(dbscan_fit(xi, 3, 1, 3, &o, lab, &r, &e), -1);
    CHECK_INT(e.code, QE_DATA);
    qerr_clear(&e);
}

/*
 * cluster_fit past the largest double: k-medians (k=1) of rows +-1.7e308
 * has a median of 0 and an L1 sum of 3.4e308, an inertia of 5.78e616:
 * both NULL (NaN) with the note, every row labelled 0 (it stopped the
 * statement with QE_NUMERIC).
 */
static void
test_fit_beyond_double(void)
{
    const double x[2] = {1.7e308, -1.7e308};
    struct cluster_opts o = {.method = CLUSTER_KMEDIANS, .k = 1, .restarts = 1, .maxiter = 20,
                             .seed = 1, .threads = 1};
    struct cluster_result r;
    struct qerr e = QERR_INIT;
    CHECK_INT(cluster_fit(x, 2, 1, 2, &o, &r, &e), 0);
    CHECK_STR(r.objective, "sum_l1");
    CHECK(isnan(r.objective_value));
    CHECK(isnan(r.quality.inertia));
    CHECK_STR(r.quality.note, "inertia (about 10^616); sum_l1");
    CHECK(r.labels && r.labels[0] == 0 && r.labels[1] == 0);
    cluster_result_release(&r);
    qerr_clear(&e);
}

int
main(void)
{
    test_kmeans_huge();
    test_kmeans_tiny();
    test_kmeans_cosine_and_inf();
    test_kmedoids_huge();
    test_quality_huge();
    test_fit_beyond_double();
    test_dbscan_duplicates();
    test_dbscan_huge();
    return check_done("test_cluster_hostile");
}
