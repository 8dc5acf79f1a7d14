/*
 * cluster_quality.c: internal and external clustering indices (see
 * cluster_quality.h). The silhouette, the only O(n^2) index, works on a
 * compact row-major copy of the rows it uses, split across threads; each
 * row's value lands in its own slot and the slots are summed in row order,
 * so the result does not depend on the thread count.
 */
#include "cluster/cluster_quality.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/cluster_scale.h"
#include "base/mem.h"
#include "base/rng.h"
#include "base/tick.h"
#include "base/banned.h"

/*
 * The silhouette's rows, copied column-major and sorted by label, so that
 * cluster c is the contiguous range [start[c], start[c + 1]) and its
 * distance sum is one loop over 8-point vectors (GCC/clang vector
 * extensions, as in kmeans.c) with no scatter.
 */
typedef double vd __attribute__((vector_size(64)));
typedef double vdu __attribute__((vector_size(64), aligned(8)));

struct sil {
    const double *a;       /* d columns of m8 values (padded with the first row) */
    const int32_t *lab;    /* m labels, sorted */
    const long long *start; /* k + 1 range starts */
    int d, k;
    long long m, m8;
    atomic_llong *next;    /* the next row no thread has taken: rows go SIL_ROWS at a time */
    atomic_int *stop;      /* set when the fit is cancelled: every thread stops */
    struct tick *tk;       /* the calling thread's part only: progress, by the clock */
    double *s;             /* m silhouette values */
    double *dsum;          /* k scratch */
};

/*
 * Rows a thread takes at a time: a few milliseconds of work (each row is
 * m distances), so the calling thread, which alone may call progress,
 * sees a cancel soon and never waits long for the others at the end.
 */
#define SIL_ROWS 8

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && \
    !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#define HOT __attribute__((target_clones("avx512f", "fma", "default")))
#else
#define HOT
#endif

/* Sum of Euclidean distances from point p to points [j0, j1) of a. */
HOT static double
range_sum(const struct sil *sp, const double *p, long long j0, long long j1)
{
    double tot = 0;
    long long j = j0;
    for (; j + 8 <= j1; j += 8) {
        vd acc = {0};
        for (int q = 0; q < sp->d; q++) {
            vd v = *(const vdu *)(sp->a + (long long)q * sp->m8 + j) - p[q];
            acc += v * v;
        }
        for (int l = 0; l < 8; l++)
            tot += sqrt(acc[l]);
    }
    for (; j < j1; j++) {
        double acc = 0;
        for (int q = 0; q < sp->d; q++) {
            double v = sp->a[(long long)q * sp->m8 + j] - p[q];
            acc += v * v;
        }
        tot += sqrt(acc);
    }
    return tot;
}

static void *
sil_run(void *arg)
{
    struct sil *sp = arg;
    int d = sp->d;
    double p[d > 0 ? d : 1];
    for (long long i = 0, end = 0;; i++) {
        if (i == end) { /* the next SIL_ROWS rows */
            if (sp->tk && tick(sp->tk, (double)i / (double)sp->m))
                atomic_store(sp->stop, 1);
            if (atomic_load(sp->stop))
                break;
            i = atomic_fetch_add(sp->next, SIL_ROWS);
            if (i >= sp->m)
                break;
            end = i + SIL_ROWS < sp->m ? i + SIL_ROWS : sp->m;
        }
        for (int q = 0; q < d; q++)
            p[q] = sp->a[(long long)q * sp->m8 + i];
        for (int c = 0; c < sp->k; c++)
            sp->dsum[c] = range_sum(sp, p, sp->start[c], sp->start[c + 1]);
        int li = sp->lab[i];
        long long ni = sp->start[li + 1] - sp->start[li];
        if (ni <= 1) {
            sp->s[i] = 0;
            continue;
        }
        double a = sp->dsum[li] / (double)(ni - 1), b = INFINITY;
        for (int c = 0; c < sp->k; c++) {
            long long nc = sp->start[c + 1] - sp->start[c];
            if (c != li && nc > 0 && sp->dsum[c] / (double)nc < b)
                b = sp->dsum[c] / (double)nc;
        }
        double mx = a > b ? a : b;
        sp->s[i] = mx > 0 ? (b - a) / mx : 0;
    }
    return NULL;
}

int
cluster_silhouette(const double *x, int d, long long ld, const int32_t *labels, int k,
                   const long long *rows, long long m, int threads,
                   int (*progress)(void *, double), void *pctx, double *res, struct qerr *err)
{
    int rc = -1;
    *res = NAN;
    long long m8 = (m + 7) / 8 * 8;
    const char *who = "silhouette";
    size_t um = (size_t)(m > 0 ? m : 0), uk = (size_t)k;
    double *a = mem_alloc(mem_mul((size_t)(m8 > 0 ? m8 : 8), (size_t)d), sizeof(double), who,
                          "row values", err);
    int32_t *lab = mem_alloc(um, sizeof(int32_t), who, "rows", err);
    long long *start = mem_calloc(uk + 2, sizeof(long long), who, "clusters", err);
    long long *fill = mem_calloc(uk + 1, sizeof(long long), who, "clusters", err);
    double *s = mem_alloc(um, sizeof(double), who, "rows", err);
    int nt = threads < 1 ? 1 : threads > 16 ? 16 : threads;
    double *dsum = mem_alloc(mem_mul(uk, (size_t)nt), sizeof(double), who, "cluster sums", err);
    if (!a || !lab || !start || !fill || !s || !dsum)
        goto out;
    rc = 0;
    if (m < 1)
        goto out;
    /* Counting sort by label. */
    for (long long i = 0; i < m; i++)
        start[labels[rows ? rows[i] : i] + 1]++;
    int used = 0;
    for (int c = 0; c < k; c++) {
        used += start[c + 1] > 0;
        start[c + 1] += start[c];
        fill[c] = start[c];
    }
    if (used < 2 || used > m - 1)
        goto out; /* undefined, as in scikit-learn (which raises) */
    for (long long i = 0; i < m; i++) {
        long long r = rows ? rows[i] : i;
        long long at = fill[labels[r]]++;
        lab[at] = labels[r];
        for (int q = 0; q < d; q++)
            a[(long long)q * m8 + at] = x[(long long)q * ld + r];
    }
    for (long long i = m; i < m8; i++)
        for (int q = 0; q < d; q++)
            a[(long long)q * m8 + i] = a[(long long)q * m8];
    /* The silhouette is a ratio of distances: the same in units of 2^e (cluster_scale.h). */
    int e;
    if (cluster_scale_exp(a, m8, d, m8, NULL, "the silhouette", &e, err) < 0) {
        rc = -1;
        goto out;
    }
    for (long long i = 0; e && i < m8 * d; i++)
        a[i] = ldexp(a[i], -e);
    struct sil parts[16];
    pthread_t th[16];
    int started[16] = {0};
    atomic_llong next = 0;
    atomic_int stop = 0;
    struct tick tk;
    tick_init(&tk, progress, pctx);
    for (int t = 0; t < nt; t++) {
        parts[t] = (struct sil){.a = a, .lab = lab, .start = start, .d = d, .k = k, .m = m,
                                .m8 = m8, .next = &next, .stop = &stop, .tk = t ? NULL : &tk,
                                .s = s, .dsum = dsum + (long long)t * k};
        if (t > 0)
            started[t] = pthread_create(&th[t], NULL, sil_run, &parts[t]) == 0;
    }
    sil_run(&parts[0]); /* takes the rows of any thread that did not start */
    for (int t = 1; t < nt; t++)
        if (started[t])
            pthread_join(th[t], NULL);
    if (atomic_load(&stop)) {
        rc = tick_fail(err);
        goto out;
    }
    double tot = 0;
    for (long long i = 0; i < m; i++)
        tot += s[i];
    *res = tot / (double)m;
out:
    free(a);
    free(lab);
    free(start);
    free(fill);
    free(s);
    free(dsum);
    return rc;
}

void
cluster_quality_note(struct cluster_quality *q, const char *what, double lg)
{
    size_t len = strlen(q->note);
    if (len + 1 >= sizeof q->note)
        return;
    char size[48] = "";
    if (isfinite(lg))
        snprintf(size, sizeof size, " (about 10^%.0f)", floor(lg));
    snprintf(q->note + len, sizeof q->note - len, "%s%s%s", len ? "; " : "", what, size);
}

/* The indices of labels, negative labels left out (cluster_quality_compute without noise). */
static int
quality_of(const double *x, long long n, int d, long long ld, const int32_t *labels, int k,
           uint64_t seed, int threads, int (*progress)(void *, double), void *pctx,
           struct cluster_quality *q, struct qerr *err)
{
    int rc = -1;
    memset(q, 0, sizeof *q);
    q->silhouette = q->davies_bouldin = q->calinski_harabasz = NAN;
    const char *who = "cluster indices";
    double *cent = mem_calloc(mem_mul((size_t)k, (size_t)d), sizeof(double), who,
                              "centre values", err);
    long long *size = mem_calloc((size_t)k + 1, sizeof(long long), who, "clusters", err);
    double *intra = mem_calloc((size_t)k + 1, sizeof(double), who, "clusters", err);
    double *mean = mem_calloc((size_t)d, sizeof(double), who, "columns", err);
    long long *rows = NULL;
    if (!cent || !size || !intra || !mean)
        goto out;
    /* Every sum below in units of 2^e (cluster_scale.h); inertia is given back in the data's. */
    int e;
    if (cluster_scale_exp(x, n, d, ld, labels, "the cluster indices", &e, err) < 0)
        goto out;
    double sc = ldexp(1.0, -e);
    struct tick tk;
    tick_init(&tk, progress, pctx);
    for (long long i = 0; i < n; i++) {
        if (tick_row(&tk, i, 2 * n))
            goto cancel;
        if (labels[i] < 0)
            continue;
        size[labels[i]]++;
        q->n_used++;
        for (int c = 0; c < d; c++) {
            double v = x[(long long)c * ld + i] * sc;
            cent[(long long)labels[i] * d + c] += v;
            mean[c] += v;
        }
    }
    for (int j = 0; j < k; j++)
        if (size[j] > 0) {
            q->k_used++;
            for (int c = 0; c < d; c++)
                cent[(long long)j * d + c] /= (double)size[j];
        }
    long long nu = q->n_used;
    for (int c = 0; c < d && nu > 0; c++)
        mean[c] /= (double)nu;
    /* Within sums of squares and mean distance to the centroid. */
    for (long long i = 0; i < n; i++) {
        if (tick_row(&tk, n + i, 2 * n))
            goto cancel;
        if (labels[i] < 0)
            continue;
        const double *cc = cent + (long long)labels[i] * d;
        double s = 0;
        for (int c = 0; c < d; c++) {
            double v = x[(long long)c * ld + i] * sc - cc[c];
            s += v * v;
        }
        q->inertia += s;
        intra[labels[i]] += sqrt(s);
    }
    double inertia = q->inertia; /* in units of 2^e, for the ratios */
    q->inertia = ldexp(inertia, 2 * e);
    if (!isfinite(q->inertia)) {
        q->inertia = NAN;
        cluster_quality_note(q, "inertia", log10(inertia) + 2 * e * log10(2.0));
    }
    int kk = q->k_used;
    if (kk >= 2 && kk <= nu - 1) {
        double between = 0;
        for (int j = 0; j < k; j++) {
            if (size[j] == 0)
                continue;
            double s = 0;
            for (int c = 0; c < d; c++)
                s += (cent[(long long)j * d + c] - mean[c]) * (cent[(long long)j * d + c] - mean[c]);
            between += (double)size[j] * s;
        }
        q->calinski_harabasz = inertia == 0
                                   ? 1.0
                                   : between * (double)(nu - kk) / (inertia * (double)(kk - 1));
        if (!isfinite(q->calinski_harabasz)) {
            q->calinski_harabasz = NAN;
            cluster_quality_note(q, "calinski_harabasz",
                                 log10(between) + log10((double)(nu - kk)) - log10(inertia) -
                                     log10((double)(kk - 1)));
        }
        int all_zero = 1; /* scikit-learn's tolerances, in the data's units */
        for (int j = 0; j < k; j++)
            if (size[j] > 0) {
                intra[j] /= (double)size[j];
                all_zero &= ldexp(intra[j], e) < 1e-8;
            }
        double db = 0;
        int any_apart = 0;
        for (int i = 0; i < k; i++) {
            if (size[i] == 0)
                continue;
            double worst = 0;
            for (int j = 0; j < k; j++) {
                if (j == i || size[j] == 0)
                    continue;
                double s = 0;
                for (int c = 0; c < d; c++) {
                    double v = cent[(long long)i * d + c] - cent[(long long)j * d + c];
                    s += v * v;
                }
                s = sqrt(s);
                any_apart |= ldexp(s, e) >= 1e-8;
                double r = s > 0 ? (intra[i] + intra[j]) / s : 0; /* s == 0: infinite distance */
                worst = r > worst ? r : worst;
            }
            db += worst;
        }
        q->davies_bouldin = all_zero || !any_apart ? 0.0 : db / kk;
        if (tick_now(&tk, -1))
            goto cancel;
        /* Silhouette: every labelled row, or a seeded sample of them. */
        long long m = nu < CLUSTER_SILHOUETTE_MAX ? nu : CLUSTER_SILHOUETTE_MAX;
        rows = mem_alloc((size_t)nu, sizeof(long long), "silhouette", "rows", err);
        if (!rows)
            goto out;
        long long u = 0;
        for (long long i = 0; i < n; i++)
            if (labels[i] >= 0)
                rows[u++] = i;
        if (m < nu) { /* partial Fisher-Yates: the first m slots are the sample */
            struct rng r;
            rng_init(&r, seed);
            for (long long i = 0; i < m; i++) {
                long long j = i + (long long)rng_below(&r, (uint64_t)(nu - i));
                long long t = rows[i];
                rows[i] = rows[j];
                rows[j] = t;
            }
        }
        q->silhouette_rows = m;
        if (cluster_silhouette(x, d, ld, labels, k, rows, m, threads, progress, pctx,
                               &q->silhouette, err) < 0)
            goto out;
    }
    rc = 0;
    goto out;
cancel:
    tick_fail(err);
out:
    free(cent);
    free(size);
    free(intra);
    free(mean);
    free(rows);
    return rc;
}

int
cluster_quality_compute(const double *x, long long n, int d, long long ld,
                        const int32_t *labels, int k, uint64_t seed, int threads,
                        int (*progress)(void *, double), void *pctx, struct cluster_quality *q,
                        struct qerr *err)
{
    if (quality_of(x, n, d, ld, labels, k, seed, threads, progress, pctx, q, err) < 0)
        return -1;
    q->n_noise = n - q->n_used;
    q->silhouette_noise = q->davies_bouldin_noise = q->calinski_harabasz_noise = NAN;
    if (q->n_noise == 0)
        return 0;
    /* Again with the noise as cluster k, as scikit-learn scores labels_ that hold -1. */
    int32_t *all = mem_alloc((size_t)n, sizeof *all, "cluster indices", "labels", err);
    if (!all)
        return -1;
    for (long long i = 0; i < n; i++)
        all[i] = labels[i] < 0 ? k : labels[i];
    /*
     * A noise row may hold what no labelled row may (a value that is not
     * finite, or far enough out to overflow the sums): then the with-noise
     * indices are undefined, NaN, and the clustering stands.
     */
    struct cluster_quality qn;
    struct qerr e2 = QERR_INIT;
    int rc = quality_of(x, n, d, ld, all, k + 1, seed, threads, progress, pctx, &qn, &e2);
    free(all);
    if (rc < 0 && (e2.code == QE_DATA || e2.code == QE_NUMERIC)) {
        qerr_clear(&e2);
        return 0;
    }
    if (rc < 0) {
        qerr_set(err, e2.code, "%s", e2.msg ? e2.msg : "cluster indices failed");
        if (e2.hint)
            qerr_hint(err, "%s", e2.hint);
        qerr_clear(&e2);
        return -1;
    }
    q->silhouette_noise = qn.silhouette;
    q->davies_bouldin_noise = qn.davies_bouldin;
    q->calinski_harabasz_noise = qn.calinski_harabasz;
    q->silhouette_noise_rows = qn.silhouette_rows;
    return 0;
}

/* Entropy of counts (natural log), as scikit-learn's entropy(). */
static double
entropy(const long long *c, int n, long long tot)
{
    double h = 0;
    for (int i = 0; i < n; i++)
        if (c[i] > 0)
            h -= ((double)c[i] / (double)tot) * (log((double)c[i]) - log((double)tot));
    return h;
}

int
cluster_agreement(const int32_t *a, int ka, const int32_t *b, int kb, long long n,
                  struct cluster_agreement *out, struct qerr *err)
{
    memset(out, 0, sizeof *out);
    if (n < 1)
        return qerr_set(err, QE_ARG, "no rows to compare");
    if ((long long)ka * kb > 100000000LL)
        return qerr_set(err, QE_NOMEM, "%d x %d contingency table is too large", ka, kb);
    const char *who = "cluster agreement";
    long long *ct = mem_calloc(mem_mul((size_t)ka, (size_t)kb), sizeof(long long), who,
                               "contingency cells", err);
    long long *na = mem_calloc((size_t)ka, sizeof(long long), who, "labels", err);
    long long *nb = mem_calloc((size_t)kb, sizeof(long long), who, "labels", err);
    if (!ct || !na || !nb) {
        free(ct);
        free(na);
        free(nb);
        return -1;
    }
    for (long long i = 0; i < n; i++) {
        ct[(long long)a[i] * kb + b[i]]++;
        na[a[i]]++;
        nb[b[i]]++;
    }
    for (int i = 0; i < ka; i++)
        out->n_labels += na[i] > 0;
    for (int j = 0; j < kb; j++)
        out->n_truth += nb[j] > 0;
    /* ARI through the pair confusion matrix, as scikit-learn. */
    long double ss = 0, sa = 0, sb = 0, N = (long double)n;
    for (long long e = 0; e < (long long)ka * kb; e++)
        ss += (long double)ct[e] * ct[e];
    for (int i = 0; i < ka; i++)
        sa += (long double)na[i] * na[i];
    for (int j = 0; j < kb; j++)
        sb += (long double)nb[j] * nb[j];
    long double tp = ss - N, fp = sa - ss, fn = sb - ss, tn = N * N - fp - fn - ss;
    if (fn == 0 && fp == 0)
        out->ari = 1.0;
    else
        out->ari = (double)(2.0L * (tp * tn - fn * fp) /
                            ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn)));
    /* NMI, arithmetic normalisation. */
    if ((out->n_labels == 1 && out->n_truth == 1)) {
        out->nmi = 1.0;
    } else {
        double mi = 0, lnN = log((double)n);
        for (int i = 0; i < ka; i++)
            for (int j = 0; j < kb; j++) {
                long long c = ct[(long long)i * kb + j];
                if (c == 0)
                    continue;
                double p = (double)c / (double)n;
                double t = p * (log((double)c) - lnN) +
                           p * (-log((double)na[i] * (double)nb[j]) + lnN + lnN);
                mi += fabs(t) < 2.220446049250313e-16 ? 0 : t;
            }
        mi = mi < 0 ? 0 : mi;
        double norm = (entropy(na, ka, n) + entropy(nb, kb, n)) / 2;
        norm = norm > 2.220446049250313e-16 ? norm : 2.220446049250313e-16;
        out->nmi = mi / norm;
    }
    /* Purity: rows of a's clusters in their most common b class. */
    long long hit = 0;
    for (int i = 0; i < ka; i++) {
        long long best = 0;
        for (int j = 0; j < kb; j++)
            best = ct[(long long)i * kb + j] > best ? ct[(long long)i * kb + j] : best;
        hit += best;
    }
    out->purity = (double)hit / (double)n;
    free(ct);
    free(na);
    free(nb);
    return 0;
}

int
cluster_knee(const double *xs, const double *ys, int n)
{
    if (n < 3)
        return 0;
    double x0 = xs[0], x1 = xs[n - 1], y0 = ys[0], y1 = ys[n - 1];
    double best = -1;
    int at = 0;
    for (int i = 0; i < n; i++) {
        double u = x1 != x0 ? (xs[i] - x0) / (x1 - x0) : 0;
        double v = y1 != y0 ? (ys[i] - y0) / (y1 - y0) : 0; /* 0 at the first, 1 at the last */
        double gap = v - u; /* how far the curve has fallen ahead of the chord */
        if (gap > best) {
            best = gap;
            at = i;
        }
    }
    return at;
}

int
cluster_match(const int32_t *a, int ka, const int32_t *b, int kb, long long n, int *map,
              struct qerr *err)
{
    long long *cell = mem_calloc((size_t)ka * (size_t)kb + 1, sizeof(long long), "cluster",
                                 "the overlap table", err);
    unsigned char *used = cell ? mem_calloc((size_t)ka + 1, 1, "cluster", "the overlap table",
                                            err)
                               : NULL;
    if (!used) {
        free(cell);
        return -1;
    }
    for (long long i = 0; i < n; i++)
        if (a[i] >= 0 && b[i] >= 0 && a[i] < ka && b[i] < kb)
            cell[(long long)a[i] * kb + b[i]]++;
    for (int j = 0; j < kb; j++)
        map[j] = -1;
    for (;;) {
        long long best = 0;
        int bi = -1, bj = -1;
        for (int i = 0; i < ka; i++)
            for (int j = 0; j < kb; j++)
                if (!used[i] && map[j] < 0 && cell[(long long)i * kb + j] > best) {
                    best = cell[(long long)i * kb + j];
                    bi = i;
                    bj = j;
                }
        if (bi < 0)
            break;
        map[bj] = bi;
        used[bi] = 1;
    }
    free(cell);
    free(used);
    return 0;
}
