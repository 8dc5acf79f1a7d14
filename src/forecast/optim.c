/*
 * optim.c: a small bounded minimiser for the smoothing parameters:
 * Nelder-Mead (reflection 1, expansion 2, contraction 1/2, shrink 1/2)
 * with every trial point projected into the box, restarted from the best
 * vertex with a fresh simplex until a restart gains nothing.
 */
#include "forecast/forecast.h"

#include <math.h>
#include <string.h>

#include "base/banned.h"

#define KMAX 8

static void
project(int k, const double *lo, const double *hi, double *x)
{
    for (int i = 0; i < k; i++)
        x[i] = x[i] < lo[i] ? lo[i] : x[i] > hi[i] ? hi[i] : x[i];
}

/* One Nelder-Mead run from x (updated); returns the best value. */
static double
nm_run(double (*f)(const double *, void *), void *ctx, int k, const double *lo,
       const double *hi, double *x, double step)
{
    double v[KMAX + 1][KMAX], fv[KMAX + 1];
    for (int j = 0; j <= k; j++) {
        memcpy(v[j], x, (size_t)k * sizeof(double));
        if (j > 0) {
            double d = step * (hi[j - 1] - lo[j - 1]);
            v[j][j - 1] += v[j][j - 1] + d <= hi[j - 1] ? d : -d;
        }
        project(k, lo, hi, v[j]);
        fv[j] = f(v[j], ctx);
    }
    for (int it = 0; it < 400 * k; it++) {
        /* order: best first */
        for (int a = 1; a <= k; a++)
            for (int b = a; b > 0 && fv[b] < fv[b - 1]; b--) {
                double t = fv[b];
                fv[b] = fv[b - 1];
                fv[b - 1] = t;
                double tv[KMAX];
                memcpy(tv, v[b], sizeof tv);
                memcpy(v[b], v[b - 1], sizeof tv);
                memcpy(v[b - 1], tv, sizeof tv);
            }
        double spread = 0;
        for (int j = 1; j <= k; j++)
            for (int i = 0; i < k; i++)
                spread = fmax(spread, fabs(v[j][i] - v[0][i]));
        if (spread < 1e-10 && fabs(fv[k] - fv[0]) <= 1e-14 * (fabs(fv[0]) + 1e-300))
            break;
        if (spread < 1e-12)
            break;
        double c[KMAX] = {0}, xr[KMAX], xe[KMAX], xc[KMAX];
        for (int j = 0; j < k; j++)
            for (int i = 0; i < k; i++)
                c[i] += v[j][i] / k;
        for (int i = 0; i < k; i++)
            xr[i] = c[i] + (c[i] - v[k][i]);
        project(k, lo, hi, xr);
        double fr = f(xr, ctx);
        if (fr < fv[0]) {
            for (int i = 0; i < k; i++)
                xe[i] = c[i] + 2 * (c[i] - v[k][i]);
            project(k, lo, hi, xe);
            double fe = f(xe, ctx);
            if (fe < fr) {
                memcpy(v[k], xe, sizeof xe);
                fv[k] = fe;
            } else {
                memcpy(v[k], xr, sizeof xr);
                fv[k] = fr;
            }
            continue;
        }
        if (fr < fv[k - 1]) {
            memcpy(v[k], xr, sizeof xr);
            fv[k] = fr;
            continue;
        }
        const double *from = fr < fv[k] ? xr : v[k];
        for (int i = 0; i < k; i++)
            xc[i] = c[i] + 0.5 * (from[i] - c[i]);
        double fc = f(xc, ctx);
        if (fc < fmin(fr, fv[k])) {
            memcpy(v[k], xc, sizeof xc);
            fv[k] = fc;
            continue;
        }
        for (int j = 1; j <= k; j++) {
            for (int i = 0; i < k; i++)
                v[j][i] = v[0][i] + 0.5 * (v[j][i] - v[0][i]);
            fv[j] = f(v[j], ctx);
        }
    }
    int best = 0;
    for (int j = 1; j <= k; j++)
        if (fv[j] < fv[best])
            best = j;
    memcpy(x, v[best], (size_t)k * sizeof(double));
    return fv[best];
}

double
fc_minimize(double (*f)(const double *x, void *ctx), void *ctx, int k, const double *lo,
            const double *hi, double *x)
{
    project(k, lo, hi, x);
    double best = f(x, ctx);
    double step = 0.1;
    for (int r = 0; r < 30; r++) {
        double y[KMAX];
        memcpy(y, x, (size_t)k * sizeof(double));
        double v = nm_run(f, ctx, k, lo, hi, y, step);
        if (v < best) {
            int gain = best - v > 1e-10 * fabs(best);
            memcpy(x, y, (size_t)k * sizeof(double));
            best = v;
            if (!gain && r > 0)
                break;
        } else if (r > 0) {
            break;
        }
        step = step > 0.02 ? step / 2 : step;
    }
    return best;
}
