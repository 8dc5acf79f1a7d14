/*
 * arima_exog.c: the regressors of a regression with ARIMA errors (arima.h,
 * arima_fit_x): the starting coefficients by least squares on the
 * differenced series, as SARIMAX's start_params, and the residual y - X beta;
 * and the differencing both use (arima.c calls here, never the reverse).
 */
#include "forecast/arima.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

#include "base/banned.h"

long long
arima_difference(const struct arima_spec *sp, const double *y, long long n, double *w)
{
    memcpy(w, y, (size_t)n * sizeof(double));
    long long len = n;
    if (sp->D) {
        for (long long i = sp->m; i < len; i++)
            w[i - sp->m] = w[i] - w[i - sp->m];
        len -= sp->m;
    }
    for (int k = 0; k < sp->d; k++) {
        for (long long i = 1; i < len; i++)
            w[i - 1] = w[i] - w[i - 1];
        len -= 1;
    }
    return len;
}

void
arima_exog_resid(const double *y, long long n, const double *x, int kx, const double *beta,
                 double *out)
{
    for (long long t = 0; t < n; t++) {
        double v = y[t];
        for (int j = 0; j < kx; j++)
            v -= x[t * kx + j] * beta[j];
        out[t] = v;
    }
}

/* Solve a x = b in place for the kx x kx symmetric a by Cholesky; -1 when not positive. */
static int
cholesky_solve(double *a, double *b, int k)
{
    for (int j = 0; j < k; j++) {
        double d = a[j * k + j];
        for (int l = 0; l < j; l++)
            d -= a[j * k + l] * a[j * k + l];
        if (!(d > 1e-12 * fabs(a[j * k + j])) || !(d > 0))
            return -1;
        a[j * k + j] = sqrt(d);
        for (int i = j + 1; i < k; i++) {
            double v = a[i * k + j];
            for (int l = 0; l < j; l++)
                v -= a[i * k + l] * a[j * k + l];
            a[i * k + j] = v / a[j * k + j];
        }
    }
    for (int i = 0; i < k; i++) {
        for (int l = 0; l < i; l++)
            b[i] -= a[i * k + l] * b[l];
        b[i] /= a[i * k + i];
    }
    for (int i = k - 1; i >= 0; i--) {
        for (int l = i + 1; l < k; l++)
            b[i] -= a[l * k + i] * b[l];
        b[i] /= a[i * k + i];
    }
    return 0;
}

int
arima_exog_start(const struct arima_spec *sp, const double *y, long long n, const double *x,
                 int kx, double *b0, double *bs, struct qerr *err)
{
    double *w = mem_alloc((size_t)n, (size_t)(kx + 2) * sizeof(double), "arima",
                          "the differenced regressors", err);
    if (!w)
        return -1;
    double *col = w + n, *dx = col + n; /* dx: kx differenced columns, each n long */
    long long len = arima_difference(sp, y, n, w);
    for (int j = 0; j < kx; j++) {
        for (long long t = 0; t < n; t++)
            col[t] = x[t * kx + j];
        arima_difference(sp, col, n, dx + (size_t)j * n);
    }
    double a[ARIMA_MAX_X * ARIMA_MAX_X], sy = 0, my = 0;
    int rc = 0;
    for (long long t = 0; t < len; t++)
        my += w[t] / (double)len;
    for (long long t = 0; t < len; t++)
        sy += (w[t] - my) * (w[t] - my);
    sy = sqrt(sy / (double)len);
    for (int i = 0; i < kx; i++) {
        const double *xi = dx + (size_t)i * n;
        double s = 0, m = 0, v = 0;
        for (long long t = 0; t < len; t++) {
            s += xi[t] * w[t];
            m += xi[t] / (double)len;
        }
        b0[i] = s;
        for (long long t = 0; t < len; t++)
            v += (xi[t] - m) * (xi[t] - m);
        v = sqrt(v / (double)len);
        bs[i] = v > 0 && sy > 0 ? sy / v : 1;
        for (int j = 0; j <= i; j++) {
            const double *xj = dx + (size_t)j * n;
            double c = 0;
            for (long long t = 0; t < len; t++)
                c += xi[t] * xj[t];
            a[i * kx + j] = a[j * kx + i] = c;
        }
    }
    if (len <= kx || cholesky_solve(a, b0, kx) < 0)
        rc = qerr_set(err, QE_DATA, "the regressors are collinear or constant after %d "
                      "difference%s and %d seasonal one%s: ARIMA cannot tell their "
                      "coefficients apart", sp->d, sp->d == 1 ? "" : "s", sp->D,
                      sp->D == 1 ? "" : "s");
    free(w);
    return rc;
}
