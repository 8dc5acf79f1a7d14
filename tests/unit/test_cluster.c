/*
 * test_cluster.c: k-means, k-medians, spherical k-means and the quality
 * indices, against scikit-learn fixtures and hand-computed values.
 *
 * Plan:
 *   1. fixtures (tests/data/cluster_*.txt, written by
 *      tests/oracles/kmeans_sklearn.py): from sklearn's initial centres,
 *      the same labels, iteration count and inertia (1e-9 relative) on
 *      blobs, ties-and-duplicates and elongated data, with 1 and 2
 *      threads, fused loop and GEMM, and each assignment kernel the CPU
 *      runs (test_kmeans_pass.c compares the kernels bit for bit);
 *      silhouette, Davies-Bouldin, Calinski-Harabasz, ARI, NMI and purity
 *      of sklearn's labels
 *   2. hand-computed indices on four points
 *   3. k-medians and spherical k-means on small sets, by hand
 *   4. k-means++ and restarts: reproducible for a seed and thread count,
 *      errors for bad k, the rng
 *   5. elbow's knee (cluster_knee) on hand-computed curves, including
 *      how it moves with the range of k
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cluster/cluster_hier.h"
#include "cluster/cluster_medoids.h"
#include "cluster/cluster_quality.h"
#include "cluster/dbscan.h"
#include "cluster/kmeans.h"
#include "base/rng.h"

#define REL(a, e) (fabs((a) - (e)) <= 1e-9 * (fabs(e) > 1 ? fabs(e) : 1))
#define CHECK_REL(a, e) CHECK_NEAR((a), (e), 1e-9 * (fabs(e) > 1 ? fabs(e) : 1))

/* ---- fixtures ---------------------------------------------------------- */

struct section {
    char name[16];
    int rows, cols;
    double *v; /* row-major */
};

struct fixture {
    struct section s[32];
    int n;
};

static int
fixture_read(const char *path, struct fixture *f)
{
    memset(f, 0, sizeof *f);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return -1;
    while (f->n < 32) {
        struct section *s = &f->s[f->n];
        if (fscanf(fp, "%15s %d %d", s->name, &s->rows, &s->cols) != 3)
            break;
        s->v = malloc(sizeof(double) * (size_t)s->rows * (size_t)s->cols);
        for (int i = 0; i < s->rows * s->cols; i++)
            if (fscanf(fp, "%lf", &s->v[i]) != 1)
                s->v[i] = NAN;
        f->n++;
    }
    fclose(fp);
    return 0;
}

static const struct section *
sec(const struct fixture *f, const char *name)
{
    for (int i = 0; i < f->n; i++)
        if (strcmp(f->s[i].name, name) == 0)
            return &f->s[i];
    fprintf(stderr, "fixture section '%s' missing\n", name);
    return NULL;
}

static void
fixture_free(struct fixture *f)
{
    for (int i = 0; i < f->n; i++)
        free(f->s[i].v);
}

/*
 * dbscan_suggest_eps by its definition, brute force: each row's distance to
 * its minpts-th nearest row (itself first), sorted; the knee is the point
 * farthest below the chord, both axes scaled to [0, 1]; a knee at 0 gives
 * the largest distance (all rows: n is under the 10,000 above which the
 * engine samples).
 */
static double
ref_eps(const double *x, long long n, int d, long long ld, int minpts)
{
    double *kd = malloc(sizeof(double) * (size_t)n), *dist = malloc(sizeof(double) * (size_t)n);
    for (long long i = 0; i < n; i++) {
        for (long long j = 0; j < n; j++) {
            double s2 = 0;
            for (int q = 0; q < d; q++) {
                double t = x[q * ld + i] - x[q * ld + j];
                s2 += t * t;
            }
            dist[j] = sqrt(s2);
        }
        /* minpts passes of selection: the minpts-th smallest */
        for (int m = 0; m < minpts; m++)
            for (long long j = m + 1; j < n; j++)
                if (dist[j] < dist[m]) {
                    double t = dist[m];
                    dist[m] = dist[j];
                    dist[j] = t;
                }
        kd[i] = dist[minpts - 1];
    }
    for (long long i = 1; i < n; i++) /* insertion sort */
        for (long long j = i; j > 0 && kd[j] < kd[j - 1]; j--) {
            double t = kd[j];
            kd[j] = kd[j - 1];
            kd[j - 1] = t;
        }
    double lo = kd[0], hi = kd[n - 1], gap = -1, eps = kd[n - 1];
    for (long long i = 0; i < n && hi > lo; i++) {
        double u = (double)i / (double)(n - 1), v = (kd[i] - lo) / (hi - lo);
        if (u - v > gap) {
            gap = u - v;
            eps = kd[i];
        }
    }
    if (eps <= 0) /* a knee among duplicate rows: the largest distance, else 1 */
        eps = hi > 0 ? hi : 1.0;
    free(kd);
    free(dist);
    return eps;
}

/*
 * Whether labels (k clusters) is a cut at k of some single-linkage tree,
 * when equal heights make several trees valid: the last k - 1 merges, all
 * at height h or above, are undone, so rows closer than h share a cluster,
 * and each cluster is connected by steps of at most h.
 */
static int
single_cut_valid(const double *x, long long n, int d, long long ld, const int32_t *labels,
                 int k, double h)
{
    int ok = 1, used[64] = {0};
    long long *stack = malloc(sizeof(long long) * (size_t)n);
    char *seen = calloc((size_t)n, 1);
    for (long long i = 0; i < n; i++) {
        if (labels[i] < 0 || labels[i] >= k || k > 64)
            ok = 0;
        else
            used[labels[i]] = 1;
    }
    for (int c = 0; c < k && ok; c++)
        ok = used[c];
    for (long long i = 0; i < n && ok; i++) {
        for (long long j = i + 1; j < n && ok; j++) {
            double s2 = 0;
            for (int q = 0; q < d; q++)
                s2 += (x[q * ld + i] - x[q * ld + j]) * (x[q * ld + i] - x[q * ld + j]);
            ok = sqrt(s2) >= h || labels[i] == labels[j];
        }
    }
    /* connectivity: a search from each cluster's first row reaches all of it */
    for (int c = 0; c < k && ok; c++) {
        long long first = 0, top = 0, reached = 0, size = 0;
        while (labels[first] != c)
            first++;
        for (long long i = 0; i < n; i++)
            size += labels[i] == c;
        seen[first] = 1;
        stack[top++] = first;
        while (top > 0) {
            long long i = stack[--top];
            reached++;
            for (long long j = 0; j < n; j++) {
                if (seen[j] || labels[j] != c)
                    continue;
                double s2 = 0;
                for (int q = 0; q < d; q++)
                    s2 += (x[q * ld + i] - x[q * ld + j]) * (x[q * ld + i] - x[q * ld + j]);
                if (sqrt(s2) <= h) {
                    seen[j] = 1;
                    stack[top++] = j;
                }
            }
        }
        ok = reached == size;
    }
    free(stack);
    free(seen);
    return ok;
}

/* Column-major copy with ld rounded up to 8 and NaN padding (like a frame). */
static double *
colmajor(const struct section *s, long long *ld)
{
    *ld = (s->rows + 7) / 8 * 8;
    double *x = malloc(sizeof(double) * (size_t)*ld * (size_t)s->cols);
    for (long long i = 0; i < *ld * s->cols; i++)
        x[i] = NAN;
    for (int i = 0; i < s->rows; i++)
        for (int q = 0; q < s->cols; q++)
            x[(long long)q * *ld + i] = s->v[i * s->cols + q];
    return x;
}

static void
test_fixture(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "tests/data/cluster_%s.txt", name);
    struct fixture f;
    CHECK_INT(fixture_read(path, &f), 0);
    const struct section *xs = sec(&f, "x"), *init = sec(&f, "init"), *lab = sec(&f, "labels"),
                         *km = sec(&f, "kmeans"), *cen = sec(&f, "centres"),
                         *qual = sec(&f, "quality"), *truth = sec(&f, "truth"),
                         *score = sec(&f, "score"), *dbp = sec(&f, "dbscan"),
                         *dbl = sec(&f, "dblabels");
    if (!xs || !init || !lab || !km || !cen || !qual || !truth || !score || !dbp || !dbl) {
        CHECK(0);
        fixture_free(&f);
        return;
    }
    long long ld, n = xs->rows;
    int d = xs->cols, k = init->rows;
    double *x = colmajor(xs, &ld);
    /* variants 0-3: threads 1, 2 x fused, GEMM; 4-11: threads 1, 2 x each forced kernel */
    for (int variant = 0; variant < 12; variant++) {
        struct kmeans_opts o;
        kmeans_opts_init(&o);
        o.init = KMEANS_INIT_GIVEN;
        o.centres0 = init->v;
        o.k = k;
        o.tol = 0;
        o.threads = 1 + variant % 2;
        o.gemm = variant < 4 ? variant / 2 : 0;
        o.kernel = variant < 4 ? KMEANS_KERNEL_AUTO : (enum kmeans_kernel)(1 + (variant - 4) / 2);
        if (!kmeans_kernel_supported(o.kernel))
            continue;
        struct kmeans_result r;
        struct qerr e = QERR_INIT;
        CHECK_OK(kmeans_fit(x, n, d, ld, &o, &r, &e), e);
        long long diff = 0;
        for (long long i = 0; i < n; i++)
            diff += r.labels[i] != (int32_t)lab->v[i];
        if (diff)
            fprintf(stderr, "%s variant %d: %lld labels differ from sklearn\n", name, variant,
                    diff);
        CHECK_INT(diff, 0);
        CHECK_REL(r.objective, km->v[0]);
        CHECK_INT(r.n_iter, (int)km->v[1]);
        for (int e2 = 0; e2 < k * d; e2++)
            CHECK_NEAR(r.centres[e2], cen->v[e2], 1e-9 * (1 + fabs(cen->v[e2])));
        kmeans_result_release(&r);
        qerr_clear(&e);
    }
    /* Internal indices of sklearn's labels. */
    int32_t *l = malloc(sizeof(int32_t) * (size_t)n), *t = malloc(sizeof(int32_t) * (size_t)n);
    int kt = 0;
    for (long long i = 0; i < n; i++) {
        l[i] = (int32_t)lab->v[i];
        t[i] = (int32_t)truth->v[i];
        kt = t[i] + 1 > kt ? t[i] + 1 : kt;
    }
    struct cluster_quality q;
    struct qerr e = QERR_INIT;
    CHECK_OK(cluster_quality_compute(x, n, d, ld, l, k, 1, 2, NULL, NULL, &q, &e), e);
    CHECK_REL(q.inertia, km->v[0]);
    CHECK_REL(q.silhouette, qual->v[0]);
    CHECK_REL(q.davies_bouldin, qual->v[1]);
    CHECK_REL(q.calinski_harabasz, qual->v[2]);
    CHECK_INT(q.silhouette_rows, n);
    struct cluster_agreement ag;
    CHECK_OK(cluster_agreement(l, k, t, kt, n, &ag, &e), e);
    CHECK_REL(ag.ari, score->v[0]);
    CHECK_REL(ag.nmi, score->v[1]);
    CHECK_REL(ag.purity, score->v[2]);
    /* DBSCAN: the same labels as sklearn (same numbering, not only up to renaming). */
    struct dbscan_opts dopt = {.eps = dbp->v[0], .minpts = (int)dbp->v[1]};
    struct dbscan_result dr;
    CHECK_OK(dbscan_fit(x, n, d, ld, &dopt, l, &dr, &e), e);
    long long ddiff = 0, noise = 0;
    for (long long i = 0; i < n; i++) {
        ddiff += l[i] != (int32_t)dbl->v[i];
        noise += dbl->v[i] < 0;
    }
    if (ddiff)
        fprintf(stderr, "%s: %lld DBSCAN labels differ from sklearn\n", name, ddiff);
    CHECK_INT(ddiff, 0);
    CHECK_INT(dr.n_noise, noise);
    double eps = 0;
    CHECK_OK(dbscan_suggest_eps(x, n, d, ld, dopt.minpts, 1, NULL, NULL, &eps, &e), e);
    CHECK_NEAR(eps, ref_eps(x, n, d, ld, dopt.minpts), 1e-12 * (1 + eps));
    /* Hierarchical: SciPy's heights and sizes; the cut at k is fcluster's up to renaming. */
    static const char *const links[4] = {"ward", "complete", "average", "single"};
    struct hier_merge *hm = malloc(sizeof *hm * (size_t)(n - 1));
    for (int li = 0; li < 4; li++) {
        char nm[32];
        snprintf(nm, sizeof nm, "hier_%s", links[li]);
        const struct section *z = sec(&f, nm);
        snprintf(nm, sizeof nm, "cut_%s", links[li]);
        const struct section *cut = sec(&f, nm);
        if (!z || !cut) {
            CHECK(0);
            continue;
        }
        CHECK_OK(hier_fit(x, n, d, ld, (enum hier_linkage)li, hm, NULL, NULL, &e), e);
        int hbad = 0, idbad = 0;
        for (long long m = 0; m < n - 1; m++) {
            const double *zr = z->v + m * 4;
            hbad += !REL(hm[m].height, zr[2]);
            idbad += hm[m].a != (long long)zr[0] || hm[m].b != (long long)zr[1] ||
                     hm[m].size != (long long)zr[3];
        }
        if (hbad || (idbad && strcmp(name, "ties") != 0))
            fprintf(stderr, "%s %s: %d heights, %d merges differ from SciPy\n", name, links[li],
                    hbad, idbad);
        CHECK_INT(hbad, 0);
        /* Equal heights (duplicate rows) may merge in another order: ids only where unique. */
        if (strcmp(name, "ties") != 0)
            CHECK_INT(idbad, 0);
        CHECK_INT(hier_cut(hm, n, k, l, NULL, &e), 0);
        int32_t *c = malloc(sizeof(int32_t) * (size_t)n);
        for (long long i = 0; i < n; i++)
            c[i] = (int32_t)cut->v[i];
        struct cluster_agreement hag;
        CHECK_OK(cluster_agreement(l, k, c, k, n, &hag, &e), e);
        /*
         * Except: single linkage on the integer grid joins everything at height 1, so which
         * two of those equal merges the cut at k=3 undoes is a tie (SciPy builds single
         * linkage from a minimum spanning tree, which orders the ties differently). There
         * the cut must be one that some order of the ties gives, at SciPy's height.
         */
        if (strcmp(name, "ties") == 0 && li == HIER_SINGLE) {
            double h = z->v[(n - k) * 4 + 2];
            CHECK_NEAR(h, 1.0, 0); /* the grid's spacing: the tie this case is about */
            CHECK_INT(single_cut_valid(x, n, d, ld, l, k, h), 1);
        } else {
            CHECK_NEAR(hag.ari, 1.0, 0);
        }
        free(c);
    }
    free(hm);
    free(l);
    free(t);
    free(x);
    fixture_free(&f);
}

/* ---- hand-computed ------------------------------------------------------ */

static void
test_tiny_indices(void)
{
    /* 1-D points 0, 2, 10, 12 in clusters {0,2} and {10,12}. */
    double x[8] = {0, 2, 10, 12, NAN, NAN, NAN, NAN};
    int32_t l[4] = {0, 0, 1, 1};
    struct cluster_quality q;
    struct qerr e = QERR_INIT;
    CHECK_OK(cluster_quality_compute(x, 4, 1, 8, l, 2, 1, 1, NULL, NULL, &q, &e), e);
    CHECK_NEAR(q.inertia, 4.0, 1e-12);
    CHECK_NEAR(q.silhouette, (9.0 / 11 + 7.0 / 9) / 2, 1e-12);
    CHECK_NEAR(q.davies_bouldin, 0.2, 1e-12);
    CHECK_NEAR(q.calinski_harabasz, 50.0, 1e-12);
    /* Noise (-1) is left out: the same numbers with an extra noisy row. */
    double x2[8] = {0, 2, 100, 10, 12, NAN, NAN, NAN};
    int32_t l2[5] = {0, 0, -1, 1, 1};
    CHECK_OK(cluster_quality_compute(x2, 5, 1, 8, l2, 2, 1, 1, NULL, NULL, &q, &e), e);
    CHECK_NEAR(q.silhouette, (9.0 / 11 + 7.0 / 9) / 2, 1e-12);
    CHECK_INT(q.n_used, 4);
    CHECK_INT(q.n_noise, 1);
    /* No noise: no with-noise indices. */
    CHECK_OK(cluster_quality_compute(x, 4, 1, 8, l, 2, 1, 1, NULL, NULL, &q, &e), e);
    CHECK_INT(q.n_noise, 0);
    CHECK(isnan(q.silhouette_noise) && isnan(q.davies_bouldin_noise) &&
          isnan(q.calinski_harabasz_noise));
    /*
     * With the noise as one more cluster, as scikit-learn scores DBSCAN's
     * labels_, by hand: 1-D 0, 1 | 10, 11 | noise 5.
     * Left out: s = 9.5/10.5, 8.5/9.5, 8.5/9.5, 9.5/10.5; DB = (0.5 + 0.5) / 10
     * = 0.1; CH = (B = 2 * 25 + 2 * 25 = 100) / 1 * (4 - 2) / (2 - 1) = 200.
     * As a cluster (mean 5.4): s = (5-1)/5, (4-1)/4, (5-1)/5, (6-1)/6 and 0 for the
     * noise row alone: mean 0.636667; B = 2 * 4.9^2 + 2 * 5.1^2 + 0.4^2 = 100.2,
     * W = 1, CH = 100.2 / 2 * (5 - 3) = 100.2; DB: worst ratios 0.5/4.5, 0.1 and
     * 0.5/4.5 (noise against A), mean 0.107407.
     */
    double x4[8] = {0, 1, 5, 10, 11, NAN, NAN, NAN};
    int32_t l4[5] = {0, 0, -1, 1, 1};
    CHECK_OK(cluster_quality_compute(x4, 5, 1, 8, l4, 2, 1, 1, NULL, NULL, &q, &e), e);
    CHECK_INT(q.n_noise, 1);
    CHECK_INT(q.n_used, 4);
    CHECK_NEAR(q.silhouette, (9.5 / 10.5 + 8.5 / 9.5) / 2, 1e-12);
    CHECK_NEAR(q.davies_bouldin, 0.1, 1e-12);
    CHECK_NEAR(q.calinski_harabasz, 200, 1e-9);
    CHECK_NEAR(q.silhouette_noise, (0.8 + 0.75 + 0.8 + 5.0 / 6 + 0) / 5, 1e-12);
    CHECK_NEAR(q.davies_bouldin_noise, (0.5 / 4.5 + 0.1 + 0.5 / 4.5) / 3, 1e-12);
    CHECK_NEAR(q.calinski_harabasz_noise, 100.2, 1e-9);
    CHECK_INT(q.silhouette_noise_rows, 5);
    /* One cluster: undefined indices are NaN, not an error. */
    int32_t l3[4] = {0, 0, 0, 0};
    CHECK_OK(cluster_quality_compute(x, 4, 1, 8, l3, 1, 1, 1, NULL, NULL, &q, &e), e);
    CHECK(isnan(q.silhouette));
    /* Agreement: a renaming is perfect; a split is not. */
    int32_t a[6] = {0, 0, 1, 1, 2, 2}, b[6] = {2, 2, 0, 0, 1, 1}, c[6] = {0, 0, 0, 1, 1, 1};
    struct cluster_agreement ag;
    CHECK_OK(cluster_agreement(a, 3, b, 3, 6, &ag, &e), e);
    CHECK_NEAR(ag.ari, 1.0, 1e-12);
    CHECK_NEAR(ag.nmi, 1.0, 1e-12);
    CHECK_NEAR(ag.purity, 1.0, 1e-12);
    CHECK_OK(cluster_agreement(a, 3, c, 2, 6, &ag, &e), e);
    /* pairs: same-same tp=2, ss=8: ARI = 2(tp tn - fn fp)/(...) by hand = 0.2424... */
    CHECK_NEAR(ag.ari, 8.0 / 33.0, 1e-12);
    CHECK_NEAR(ag.purity, 5.0 / 6.0, 1e-12);
    /*
     * DBSCAN's suggested eps, by hand: 1-D 0, 1, 2, 4, 7, 100 and minpts=2 (the row itself,
     * then its nearest): sorted distances 1, 1, 1, 2, 3, 93. Scaled to [0, 1] the points sit
     * 0, .2, .4, .589, .778 and 0 below the chord: the knee is the fifth, eps = 3.
     */
    double y[8] = {0, 1, 2, 4, 7, 100, NAN, NAN};
    double eps = 0;
    CHECK_OK(dbscan_suggest_eps(y, 6, 1, 8, 2, 1, NULL, NULL, &eps, &e), e);
    CHECK_NEAR(eps, 3.0, 0);
}

static void
test_medians_cosine(void)
{
    /* k-medians: an outlier moves a mean, not a median. */
    double x[16] = {0, 1, 2, 100, 50, 51, 52, 53, /* column 0 */
                    0, 0, 0, 0, 0, 0, 0, 0};
    struct kmeans_opts o;
    kmeans_opts_init(&o);
    o.method = KMEANS_MEDIANS;
    o.k = 2;
    o.init = KMEANS_INIT_GIVEN;
    double c0[4] = {0, 0, 50, 0};
    o.centres0 = c0;
    struct kmeans_result r;
    struct qerr e = QERR_INIT;
    CHECK_OK(kmeans_fit(x, 8, 2, 8, &o, &r, &e), e);
    /* {0,1,2} median 1; {100,50,51,52,53} median 52. */
    CHECK_NEAR(r.centres[0], 1.0, 0);
    CHECK_NEAR(r.centres[2], 52.0, 0);
    CHECK_NEAR(r.objective, 1 + 0 + 1 + 48 + 2 + 1 + 0 + 1, 1e-12);
    kmeans_result_release(&r);
    /* Even count: the mean of the two middle values. */
    double y[8] = {0, 1, 3, 10, NAN, NAN, NAN, NAN};
    o.k = 1;
    double c1[1] = {0};
    o.centres0 = c1;
    CHECK_OK(kmeans_fit(y, 4, 1, 8, &o, &r, &e), e);
    CHECK_NEAR(r.centres[0], 2.0, 0);
    kmeans_result_release(&r);
    /* Spherical: direction, not length, decides. */
    double z[16] = {1, 10, 0, 0, 0.1, 5, NAN, NAN, /* x */
                    0, 1, 1, 20, 2, 0, NAN, NAN};  /* y */
    kmeans_opts_init(&o);
    o.method = KMEANS_COSINE;
    o.k = 2;
    o.init = KMEANS_INIT_FIRST;
    CHECK_OK(kmeans_fit(z, 6, 2, 8, &o, &r, &e), e);
    int32_t want[6] = {0, 0, 1, 1, 1, 0};
    for (int i = 0; i < 6; i++)
        CHECK_INT(r.labels[i], want[i]);
    CHECK_NEAR(r.centres[0] * r.centres[0] + r.centres[1] * r.centres[1], 1, 1e-12);
    kmeans_result_release(&r);
}

static void
test_seeding(void)
{
    struct fixture f;
    CHECK_INT(fixture_read("tests/data/cluster_blobs.txt", &f), 0);
    const struct section *xs = sec(&f, "x");
    long long ld, n = xs->rows;
    double *x = colmajor(xs, &ld);
    struct kmeans_opts o;
    kmeans_opts_init(&o);
    o.k = 4;
    o.seed = 42;
    o.restarts = 3;
    struct kmeans_result a, b, c;
    struct qerr e = QERR_INIT;
    CHECK_OK(kmeans_fit(x, n, xs->cols, ld, &o, &a, &e), e);
    CHECK_OK(kmeans_fit(x, n, xs->cols, ld, &o, &b, &e), e);
    o.threads = 2;
    CHECK_OK(kmeans_fit(x, n, xs->cols, ld, &o, &c, &e), e);
    CHECK(memcmp(a.labels, b.labels, sizeof(int32_t) * (size_t)n) == 0);
    CHECK_NEAR(a.objective, b.objective, 0);
    CHECK(memcmp(a.labels, c.labels, sizeof(int32_t) * (size_t)n) == 0);
    CHECK_REL(c.objective, a.objective);
    long long tot = 0;
    for (int j = 0; j < 4; j++)
        tot += a.counts[j];
    CHECK_INT(tot, n);
    kmeans_result_release(&a);
    kmeans_result_release(&b);
    kmeans_result_release(&c);
    /* k-means++ picks distinct rows on data with distinct points. */
    double cen[12];
    long long rows[4];
    CHECK_OK(kmeans_plusplus(x, n, 3, ld, 4, 7, cen, rows, &e), e);
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < i; j++)
            CHECK(rows[i] != rows[j]);
    /* init=random: k distinct rows. */
    o.init = KMEANS_INIT_RANDOM;
    o.threads = 1;
    CHECK_OK(kmeans_fit(x, n, xs->cols, ld, &o, &a, &e), e);
    kmeans_result_release(&a);
    /* Bad k. */
    o.k = 0;
    CHECK(kmeans_fit(x, n, xs->cols, ld, &o, &a, &e) < 0);
    CHECK_INT(e.code, QE_ARG);
    kmeans_result_release(&a);
    qerr_clear(&e);
    o.k = (int)n + 1;
    CHECK(kmeans_fit(x, n, xs->cols, ld, &o, &a, &e) < 0);
    kmeans_result_release(&a);
    qerr_clear(&e);
    free(x);
    fixture_free(&f);
    /* The rng: the same seed, the same stream; below() stays below. */
    struct rng r1, r2;
    rng_init(&r1, 5);
    rng_init(&r2, 5);
    int same = 1, below = 1;
    for (int i = 0; i < 1000; i++)
        same &= rng_next(&r1) == rng_next(&r2);
    for (int i = 0; i < 1000; i++) {
        below &= rng_below(&r1, 7) < 7;
        double u = rng_uniform(&r1);
        below &= u >= 0 && u < 1;
    }
    CHECK(same);
    CHECK(below);
}

/* Sum of distances to the nearest of the medoids med[0..k). */
static double
medoid_cost(const double *x, long long n, int d, long long ld, const long long *med, int k,
            double p)
{
    double tot = 0;
    for (long long i = 0; i < n; i++) {
        double b = INFINITY;
        for (int m = 0; m < k; m++) {
            double v = kmedoids_distance(x, d, ld, i, med[m], p);
            b = v < b ? v : b;
        }
        tot += b;
    }
    return tot;
}

static void
test_medoids(void)
{
    struct fixture f;
    CHECK_INT(fixture_read("tests/data/cluster_blobs.txt", &f), 0);
    const struct section *xs = sec(&f, "x");
    long long ld, n = 120; /* the first 120 rows keep the brute-force checks quick */
    int d = xs->cols;
    double *x = colmajor(xs, &ld);
    static const double ps[3] = {1, 2, 3};
    for (int pi = 0; pi < 3; pi++) {
        for (int k = 1; k <= 4; k += 3) {
            struct kmedoids_opts o = {.k = k, .p = ps[pi], .maxiter = 100, .seed = 3};
            struct kmedoids_result r;
            struct qerr e = QERR_INIT;
            CHECK_OK(kmedoids_fit(x, n, d, ld, &o, &r, &e), e);
            CHECK(r.converged);
            double cost = medoid_cost(x, n, d, ld, r.medoids, k, ps[pi]);
            CHECK_REL(r.objective, cost);
            /* A local optimum: no single swap of a medoid with a row lowers the cost. */
            int better = 0;
            long long med[4];
            for (int m = 0; m < k; m++) {
                memcpy(med, r.medoids, sizeof(long long) * (size_t)k);
                for (long long c = 0; c < n; c++) {
                    med[m] = c;
                    better += medoid_cost(x, n, d, ld, med, k, ps[pi]) < cost * (1 - 1e-12);
                }
            }
            CHECK_INT(better, 0);
            /* Labels name the nearest medoid. */
            int wrong = 0;
            for (long long i = 0; i < n; i++) {
                double dl = kmedoids_distance(x, d, ld, i, r.medoids[r.labels[i]], ps[pi]);
                for (int m = 0; m < k; m++)
                    wrong += kmedoids_distance(x, d, ld, i, r.medoids[m], ps[pi]) < dl;
            }
            CHECK_INT(wrong, 0);
            kmedoids_result_release(&r);
        }
    }
    /* Minkowski p=3 by hand: (1^3 + 2^3)^(1/3) = 9^(1/3). */
    double y[16] = {0, 1, NAN, NAN, NAN, NAN, NAN, NAN, 0, 2, NAN, NAN, NAN, NAN, NAN, NAN};
    CHECK_NEAR(kmedoids_distance(y, 2, 8, 0, 1, 3), cbrt(9.0), 1e-12);
    CHECK_NEAR(kmedoids_distance(y, 2, 8, 0, 1, 1), 3.0, 0);
    struct kmedoids_opts o = {.k = 2, .p = 0.5, .maxiter = 10};
    struct kmedoids_result r;
    struct qerr e = QERR_INIT;
    CHECK(kmedoids_fit(x, n, d, ld, &o, &r, &e) < 0);
    kmedoids_result_release(&r);
    qerr_clear(&e);
    free(x);
    fixture_free(&f);
}

static int
cancel_at_3(void *p, double frac)
{
    (void)frac;
    return ++*(int *)p >= 3;
}

static void
test_cancel(void)
{
    struct fixture f;
    CHECK_INT(fixture_read("tests/data/cluster_long.txt", &f), 0);
    const struct section *xs = sec(&f, "x");
    long long ld;
    double *x = colmajor(xs, &ld);
    struct kmeans_opts o;
    kmeans_opts_init(&o);
    o.k = 5;
    o.tol = 0;
    int calls = 0;
    o.progress = cancel_at_3;
    o.pctx = &calls;
    struct kmeans_result r;
    struct qerr e = QERR_INIT;
    CHECK(kmeans_fit(x, xs->rows, xs->cols, ld, &o, &r, &e) < 0);
    CHECK_INT(e.code, QE_INTERRUPT);
    CHECK_INT(calls, 3);
    kmeans_result_release(&r);
    qerr_clear(&e);
    free(x);
    fixture_free(&f);
}

/*
 * The knee is the point farthest below the chord, both axes scaled to [0, 1]:
 * gap_i = (y_0 - y_i) / (y_0 - y_last) - (x_i - x_0) / (x_last - x_0).
 */
static void
test_knee(void)
{
    /* 9 points in 3 groups of 3, k = 1..4: gaps 0, 0.4404, 0.3306, 0 */
    double k4[] = {1, 2, 3, 4}, in4[] = {548, 127.5, 6, 4.5};
    CHECK_INT(cluster_knee(k4, in4, 4), 1);
    /* a sharp bend at k = 4: gaps 0, 0.3435, 0.5850, 0.4388, 0.2925, 0.1463, 0 */
    double k7[] = {2, 3, 4, 5, 6, 7, 8}, in7[] = {100, 50, 10, 8, 6, 4, 2};
    CHECK_INT(cluster_knee(k7, in7, 7), 2);
    /*
     * The sample shop's curve (tests/transcripts/segments.qry), k = 2..12. Over
     * k = 2..9 the gaps at k = 4 and 5 are 0.4958 and 0.4904; over 2..12 they
     * are 0.5627 and 0.5969: the knee moves from 4 to 5 with the range.
     */
    double ks[] = {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    double shop[] = {12719.1, 6190.14, 4000.96, 2467.89, 2100.76, 1809.21,
                     1679.42, 1564.16, 1483.07, 1386.31, 1289.14};
    CHECK_INT(cluster_knee(ks, shop, 8), 2);
    CHECK_INT(cluster_knee(ks, shop, 11), 3);
    /* a flat curve never falls ahead of the chord; fewer than 3 points: the first */
    double flat[] = {5, 5, 5, 5};
    CHECK_INT(cluster_knee(k4, flat, 4), 0);
    CHECK_INT(cluster_knee(k4, in4, 2), 0);
}

int
main(void)
{
    test_fixture("blobs");
    test_fixture("ties");
    test_fixture("long");
    test_tiny_indices();
    test_medians_cosine();
    test_seeding();
    test_cancel();
    test_medoids();
    test_knee();
    return check_done("test_cluster");
}
