/*
 * cluster_medoids.c: k-medoids by eager PAM-style swaps (see
 * cluster_medoids.h). Per row it keeps the nearest medoid (near), the
 * distance to it (dn) and to the second nearest (ds); removal[m] is what
 * the objective gains if medoid m goes and its rows fall back to their
 * second nearest.
 */
#include "cluster/cluster_medoids.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/cluster_scale.h"
#include "cluster/kmeans.h"
#include "base/mem.h"
#include "base/banned.h"

/* The distance of rows i and j with every value times sc (a power of two, cluster_scale.h). */
static double
mdist(const double *x, int d, long long ld, long long i, long long j, double p, double sc)
{
    double s = 0;
    if (p == 1) {
        for (int q = 0; q < d; q++)
            s += fabs(x[(long long)q * ld + i] * sc - x[(long long)q * ld + j] * sc);
        return s;
    }
    if (p == 2) {
        for (int q = 0; q < d; q++) {
            double v = x[(long long)q * ld + i] * sc - x[(long long)q * ld + j] * sc;
            s += v * v;
        }
        return sqrt(s);
    }
    for (int q = 0; q < d; q++)
        s += pow(fabs(x[(long long)q * ld + i] * sc - x[(long long)q * ld + j] * sc), p);
    return pow(s, 1.0 / p);
}

double
kmedoids_distance(const double *x, int d, long long ld, long long i, long long j, double p)
{
    double v = mdist(x, d, ld, i, j, p, 1.0);
    if (isfinite(v))
        return v;
    /* Overflow on the way (squares past 1e308): again with the largest |value| below 1. */
    double mx = 0;
    for (int q = 0; q < d; q++) {
        double a = fabs(x[(long long)q * ld + i]), b = fabs(x[(long long)q * ld + j]);
        mx = a > mx ? a : mx;
        mx = b > mx ? b : mx;
    }
    int e;
    if (!isfinite(mx))
        return v;
    frexp(mx, &e);
    return ldexp(mdist(x, d, ld, i, j, p, ldexp(1.0, -e)), e);
}

void
kmedoids_result_release(struct kmedoids_result *r)
{
    free(r->medoids);
    free(r->labels);
    memset(r, 0, sizeof *r);
}

struct state {
    const double *x;
    long long n, ld;
    int d, k;
    double p;
    double sc;          /* distances in units of 2^e, sc = 2^-e (cluster_scale.h) */
    long long *med;
    int32_t *near;
    double *dn, *ds, *removal, *delta;
};

/* Nearest and second-nearest medoid of every row, and the removal losses. */
static double
assign_all(struct state *s)
{
    double tot = 0;
    memset(s->removal, 0, sizeof(double) * (size_t)s->k);
    for (long long o = 0; o < s->n; o++) {
        double b1 = INFINITY, b2 = INFINITY;
        int m1 = 0;
        for (int m = 0; m < s->k; m++) {
            double v = mdist(s->x, s->d, s->ld, o, s->med[m], s->p, s->sc);
            if (v < b1) {
                b2 = b1;
                b1 = v;
                m1 = m;
            } else if (v < b2) {
                b2 = v;
            }
        }
        s->near[o] = m1;
        s->dn[o] = b1;
        s->ds[o] = b2;
        if (s->k > 1)
            s->removal[m1] += b2 - b1;
        tot += b1;
    }
    return tot;
}

int
kmedoids_fit(const double *x, long long n, int d, long long ld, const struct kmedoids_opts *o,
             struct kmedoids_result *res, struct qerr *err)
{
    memset(res, 0, sizeof *res);
    int k = o->k, rc = -1;
    if (k < 1 || k > n)
        return qerr_set(err, QE_ARG, "k=%d needs between 1 and %lld rows; give a smaller k", k,
                        n);
    if (n > KMEDOIDS_MAX_ROWS)
        return qerr_set(err, QE_ARG, "k-medoids compares every pair of rows: %lld rows is over "
                                     "its limit of %d; sample the table first or use "
                                     "method=kmeans",
                        n, KMEDOIDS_MAX_ROWS);
    if (!(o->p >= 1))
        return qerr_set(err, QE_ARG, "the Minkowski order p must be at least 1, not %g", o->p);
    struct state s = {.x = x, .n = n, .ld = ld, .d = d, .k = k, .p = o->p};
    const char *who = "k-medoids";
    size_t un = (size_t)n, uk = (size_t)k;
    res->medoids = s.med = mem_alloc(uk, sizeof(long long), who, "medoids", err);
    res->labels = s.near = mem_alloc(un, sizeof(int32_t), who, "rows", err);
    s.dn = mem_alloc(un, sizeof(double), who, "rows", err);
    s.ds = mem_alloc(un, sizeof(double), who, "rows", err);
    s.removal = mem_alloc(uk, sizeof(double), who, "medoids", err);
    s.delta = mem_alloc(uk, sizeof(double), who, "medoids", err);
    double *cen = mem_alloc(mem_mul(uk, (size_t)d), sizeof(double), who, "centre values", err);
    unsigned char *is_med = mem_calloc(un, 1, who, "rows", err);
    if (!s.med || !s.near || !s.dn || !s.ds || !s.removal || !s.delta || !cen || !is_med)
        goto out;
    int e;
    if (cluster_scale_exp(x, n, d, ld, NULL, "k-medoids", &e, err) < 0 ||
        kmeans_plusplus(x, n, d, ld, k, o->seed, cen, s.med, err) < 0)
        goto out;
    s.sc = ldexp(1.0, -e);
    for (int m = 0; m < k; m++)
        is_med[s.med[m]] = 1;
    double td = assign_all(&s);
    int pass;
    for (pass = 0; pass < o->maxiter; pass++) {
        long long swaps = 0;
        for (long long c = 0; c < n; c++) {
            if (is_med[c])
                continue;
            memcpy(s.delta, s.removal, sizeof(double) * (size_t)k);
            double acc = 0;
            for (long long r = 0; r < n; r++) {
                double v = mdist(x, d, ld, r, c, s.p, s.sc);
                if (k == 1) { /* no second medoid: every row moves to c */
                    acc += v - s.dn[r];
                    continue;
                }
                if (v < s.dn[r]) {
                    acc += v - s.dn[r];
                    s.delta[s.near[r]] += s.dn[r] - s.ds[r];
                } else if (v < s.ds[r]) {
                    s.delta[s.near[r]] += v - s.ds[r];
                }
            }
            int best = 0;
            for (int m = 1; m < k; m++)
                if (s.delta[m] < s.delta[best])
                    best = m;
            double change = s.delta[best] + acc;
            if (change < -1e-12 * (td > 0 ? td : 1)) {
                is_med[s.med[best]] = 0;
                s.med[best] = c;
                is_med[c] = 1;
                td = assign_all(&s);
                swaps++;
            }
            if ((c & 255) == 255 && o->progress &&
                o->progress(o->pctx, (pass + (double)c / n) / o->maxiter)) {
                qerr_set(err, QE_INTERRUPT, "interrupted");
                goto out;
            }
        }
        res->swaps += swaps;
        if (swaps == 0) {
            res->converged = 1;
            break;
        }
    }
    res->passes = pass < o->maxiter ? pass + 1 : o->maxiter;
    res->objective = ldexp(td, e);
    /* beyond the largest double it is +inf: the labels stand, cluster.c says so */
    rc = 0;
out:
    free(s.dn);
    free(s.ds);
    free(s.removal);
    free(s.delta);
    free(cen);
    free(is_med);
    return rc;
}
