/*
 * plot_data.c: the numbers behind figures: cells and bars aggregated,
 * histogram bins, the least squares line and r, seeded row sampling and
 * the dendrogram layout.
 */
#include "plot/plot.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/tick.h"
#include "base/banned.h"

int
plot_aggregate(const int *cx, const int *cy, long long n, int nx, int ny, const double *z,
               enum plot_agg agg, double *out, struct qerr *err)
{
    long long cells = (long long)nx * ny;
    double *cnt = mem_calloc((size_t)cells, sizeof *cnt, "plot", "cells", err);
    if (!cnt)
        return -1;
    for (long long k = 0; k < cells; k++)
        out[k] = NAN;
    int is_count = agg == PLOT_AGG_COUNT || !z;
    int extreme = agg == PLOT_AGG_MIN || agg == PLOT_AGG_MAX;
    for (long long i = 0; i < n; i++) {
        if (cx[i] < 0 || cy[i] < 0)
            continue;
        long long k = (long long)cy[i] * nx + cx[i];
        double v = is_count ? 1 : z[i];
        if (!isfinite(v))
            continue;
        if (isnan(out[k]))
            out[k] = extreme ? v : 0;
        if (agg == PLOT_AGG_MIN)
            out[k] = fmin(out[k], v);
        else if (agg == PLOT_AGG_MAX)
            out[k] = fmax(out[k], v);
        else
            out[k] += v;
        cnt[k] += 1;
    }
    if (agg == PLOT_AGG_AVG && z)
        for (long long k = 0; k < cells; k++)
            if (cnt[k] > 0)
                out[k] /= cnt[k];
    free(cnt);
    return 0;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int
plot_hist_bins(const double *x, long long n, int bins, int (*progress)(void *, double),
               void *pctx, double *lo, double *width, int *n_bins, struct qerr *err)
{
    long long m = 0;
    double *v = mem_alloc((size_t)(n > 0 ? n : 0), sizeof *v, "plot", "values to bin", err);
    if (!v)
        return -1;
    struct tick tk;
    tick_init(&tk, progress, pctx);
    for (long long i = 0; i < n; i++) {
        if (tick_row(&tk, i, n)) { /* fresh memory: the first touch of a page costs */
            free(v);
            return tick_fail(err);
        }
        if (isfinite(x[i]))
            v[m++] = x[i];
    }
    if (m == 0) {
        free(v);
        return qerr_set(err, QE_DATA, "no numbers to make a histogram of");
    }
    if (tick_sort(v, (size_t)m, sizeof *v, cmp_double, &tk, "plot", err) < 0) {
        free(v);
        return -1;
    }
    double min = v[0], max = v[m - 1];
    if (bins <= 0) {
        /*
         * Freedman-Diaconis: width 2 IQR / n^(1/3) (Freedman and
         * Diaconis 1981); Sturges' log2(n) + 1 bins when the IQR is 0.
         */
        double q1 = v[(long long)((double)(m - 1) * 0.25)];
        double q3 = v[(long long)((double)(m - 1) * 0.75)];
        double w = 2.0 * (q3 - q1) / cbrt((double)m);
        if (w > 0 && max > min)
            bins = (int)ceil((max - min) / w);
        else
            bins = (int)ceil(log2((double)m)) + 1;
        if (bins < 1)
            bins = 1;
        /* Long tails make the rule ask for hundreds of bins; past 50 nobody reads them. */
        if (bins > 50)
            bins = 50;
    }
    if (bins > 200)
        bins = 200;
    free(v);
    if (!(max > min)) {
        /* One value: one bin of width 1 centred on it. */
        *lo = min - 0.5;
        *width = 1;
        *n_bins = 1;
        return 0;
    }
    *lo = min;
    *width = (max - min) / bins;
    *n_bins = bins;
    return 0;
}

void
plot_hist_count(const double *x, long long n, double lo, double width, int n_bins,
                double *counts)
{
    memset(counts, 0, (size_t)n_bins * sizeof *counts);
    for (long long i = 0; i < n; i++) {
        if (!isfinite(x[i]))
            continue;
        double f = floor((x[i] - lo) / width);
        /* The maximum belongs to the last bin, as numpy puts it. */
        long long b = f < 0 ? -1 : f >= n_bins ? (x[i] <= lo + width * n_bins * (1 + 1e-12)
                                                      ? n_bins - 1 : n_bins)
                                               : (long long)f;
        if (b >= 0 && b < n_bins)
            counts[b] += 1;
    }
}

int
plot_fit_line(const double *x, const double *y, long long n, double *a, double *b, double *r,
              struct qerr *err)
{
    double mx = 0, my = 0;
    long long m = 0;
    for (long long i = 0; i < n; i++) {
        if (isfinite(x[i]) && isfinite(y[i])) {
            mx += x[i];
            my += y[i];
            m++;
        }
    }
    if (m < 2)
        return qerr_set(err, QE_DATA, "a fitted line needs at least two rows with both values, "
                                      "not %lld", m);
    mx /= (double)m;
    my /= (double)m;
    /* Centred sums (two passes): no cancellation when the means are large. */
    double sxx = 0, syy = 0, sxy = 0;
    for (long long i = 0; i < n; i++) {
        if (isfinite(x[i]) && isfinite(y[i])) {
            double dx = x[i] - mx, dy = y[i] - my;
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
        }
    }
    if (!(sxx > 0))
        return qerr_set(err, QE_DATA, "a fitted line needs x to vary; every x is %g", mx);
    *b = sxy / sxx;
    *a = my - *b * mx;
    *r = syy > 0 ? sxy / sqrt(sxx * syy) : 0;
    return 0;
}

static unsigned long long
splitmix(unsigned long long *s)
{
    unsigned long long z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void
plot_sample_rows(long long n, long long k, unsigned long long seed, long long *idx)
{
    /* Algorithm S (Knuth, TAOCP 3.4.2): row t is taken with probability (k - m) / (n - t). */
    unsigned long long s = seed;
    long long m = 0;
    for (long long t = 0; t < n && m < k; t++) {
        double u = (double)(splitmix(&s) >> 11) * 0x1.0p-53;
        if ((double)(n - t) * u < (double)(k - m))
            idx[m++] = t;
    }
}

/* Post-order walk from the root, placing leaves left to right; iterative, no deep recursion. */
int
plot_dendrogram(const double *left, const double *right, const double *height,
                long long n_merges, double **px, double **py, long long *n_points,
                long long *order, struct qerr *err)
{
    long long n_leaves = n_merges + 1, total = 2 * n_merges + 1;
    const char *what = "dendrogram nodes";
    double *xpos = mem_alloc((size_t)total, sizeof *xpos, "plot", what, err);
    double *ypos = mem_calloc((size_t)total, sizeof *ypos, "plot", what, err);
    long long *kid = mem_alloc(2 * (size_t)n_merges, sizeof *kid, "plot", what, err);
    char *used = mem_calloc((size_t)total, 1, "plot", what, err);
    long long *stack = mem_alloc(2 * (size_t)total, sizeof *stack, "plot", what, err);
    int rc = xpos && ypos && kid && used && stack ? 0 : -1;
    *px = *py = NULL;
    for (long long i = 0; i < n_merges && rc == 0; i++) {
        double ids[2] = {left[i], right[i]};
        for (int c = 0; c < 2; c++) {
            double id = ids[c];
            if (!(id >= 0 && id < (double)(n_leaves + i)) || id != floor(id)) {
                rc = qerr_set(err, QE_DATA, "merge %lld joins cluster %g, which does not exist "
                                            "yet (ids run from 0 to %lld: leaves first, then "
                                            "one per merge)",
                              i + 1, id, n_leaves + i - 1);
                break;
            }
            if (used[(long long)id]++) {
                rc = qerr_set(err, QE_DATA, "merge %lld joins cluster %g, which was already "
                                            "merged", i + 1, id);
                break;
            }
            kid[2 * i + c] = (long long)id;
        }
        ypos[n_leaves + i] = isfinite(height[i]) ? height[i] : 0;
    }
    for (long long id = 0; rc == 0 && id < total - 1; id++)
        if (!used[id])
            rc = qerr_set(err, QE_DATA, "cluster %lld is never merged: the merges do not form "
                                        "one tree", id);
    double *xs = NULL, *ys = NULL;
    if (rc == 0) {
        xs = mem_alloc((size_t)n_merges * 9 + 1, sizeof *xs, "plot", what, err);
        ys = mem_alloc((size_t)n_merges * 9 + 1, sizeof *ys, "plot", what, err);
        rc = xs && ys ? 0 : -1;
    }
    if (rc == 0) {
        /* Leaves get x = 0, 1, 2... in the order a depth-first walk meets them. */
        long long sp = 0, next_x = 0, np = 0;
        stack[sp++] = total - 1;
        stack[sp++] = 0;
        while (sp > 0) {
            long long state = stack[--sp], node = stack[--sp];
            if (node < n_leaves) {
                order[next_x] = node;
                xpos[node] = (double)next_x++;
                continue;
            }
            long long m = node - n_leaves;
            if (state == 0) {
                stack[sp++] = node;
                stack[sp++] = 1;
                stack[sp++] = kid[2 * m + 1];
                stack[sp++] = 0;
                stack[sp++] = kid[2 * m];
                stack[sp++] = 0;
                continue;
            }
            long long a = kid[2 * m], b = kid[2 * m + 1];
            xpos[node] = (xpos[a] + xpos[b]) / 2;
            /* A cap: down to child a, across, down to child b; then a break. */
            double seg[4][2] = {{xpos[a], ypos[a]}, {xpos[a], ypos[node]},
                                {xpos[b], ypos[node]}, {xpos[b], ypos[b]}};
            for (int k = 0; k < 4; k++) {
                xs[np] = seg[k][0];
                ys[np++] = seg[k][1];
            }
            xs[np] = NAN;
            ys[np++] = NAN;
        }
        *px = xs;
        *py = ys;
        xs = ys = NULL;
        *n_points = np;
        if (n_merges == 0)
            order[0] = 0;
    }
    free(xs);
    free(ys);
    free(xpos);
    free(ypos);
    free(kid);
    free(used);
    free(stack);
    return rc;
}
