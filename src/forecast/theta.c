/*
 * theta.c: the Theta method (Assimakopoulos and Nikolopoulos 2000) as
 * statsmodels' ThetaModel fits it (Hyndman and Billah 2003), without MLE:
 *
 *  1. with a season m >= 2: the seasonality test of ThetaModel (lag-m
 *     autocorrelation, n r(m)^2 / sum over k < m of r(k)^2 > 2.7055, the
 *     10% point of chi2(1)); when seasonal, the series is divided by the
 *     multiplicative indices of a classical decomposition (2 x m centred
 *     moving average; additive when a value is <= 0 or an index is)
 *  2. b0: the slope of the least-squares line through (t, x(t)), t = 0..n-1
 *  3. simple exponential smoothing from the level x(0), alpha minimising
 *     the squared one-step errors (statsmodels' state-space MLE with the
 *     scale concentrated out), final level l(n)
 *  4. xhat(n+h) = l(n) + (1 - 1/theta) b0 (h - 1 + 1/alpha - (1-alpha)^n / alpha),
 *     seasonalised again with index (n + h - 1) mod m
 *
 * Interval: ThetaModel's variance sigma2 (1 + (h-1)(1 + (alpha-1)^2)),
 * sigma2 the mean squared one-step SES residual.
 */
#include "forecast/forecast.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

#include "base/banned.h"

static const struct store_kind kind_theta = {"forecast_theta", 0, 1, 1};

struct ses_job {
    const double *x;
    long long n;
};

static double
ses_sse(const double *u, void *ctx)
{
    const struct ses_job *j = ctx;
    double a = u[0], l = j->x[0], s = 0;
    for (long long i = 0; i < j->n; i++) {
        double e = j->x[i] - l;
        s += e * e;
        l += a * e;
    }
    return s;
}

/* Whether ThetaModel's test finds a season m in y. */
static int
seasonal_test(const double *y, long long n, int m)
{
    double mean = 0, c0 = 0, den = 0, rm = 0;
    for (long long i = 0; i < n; i++)
        mean += y[i];
    mean /= (double)n;
    for (long long i = 0; i < n; i++)
        c0 += (y[i] - mean) * (y[i] - mean);
    if (!(c0 > 0))
        return 0;
    for (int k = 0; k <= m; k++) {
        double s = 0;
        for (long long i = k; i < n; i++)
            s += (y[i] - mean) * (y[i - k] - mean);
        double r = s / c0;
        if (k < m)
            den += r * r;
        else
            rm = r;
    }
    return (double)n * rm * rm / den > 2.705543454095404;
}

/* statsmodels' seasonal_decompose indices (mul or add) of y into idx[0..m). */
static int
decompose(const double *y, long long n, int m, int mul, double *idx)
{
    double sum[m > 0 ? m : 1];
    long long cnt[m > 0 ? m : 1];
    memset(sum, 0, sizeof sum);
    memset(cnt, 0, sizeof cnt);
    long long h = m / 2;
    for (long long i = h; i + h < n; i++) {
        double a = 0;
        if (m % 2 == 0)
            for (long long j = i - h; j <= i + h; j++)
                a += (j == i - h || j == i + h) ? y[j] / 2 : y[j];
        else
            for (long long j = i - h; j <= i + h; j++)
                a += y[j];
        double t = a / m;
        sum[i % m] += mul ? y[i] / t : y[i] - t;
        cnt[i % m]++;
    }
    double mean = 0;
    for (int j = 0; j < m; j++) {
        if (!cnt[j])
            return -1;
        idx[j] = sum[j] / (double)cnt[j];
        mean += idx[j] / m;
    }
    for (int j = 0; j < m; j++)
        idx[j] = mul ? idx[j] / mean : idx[j] - mean;
    return 0;
}

static int
fit_theta(const double *y, long long n, const struct fc_opts *o, struct tick *t, void **model,
          struct qerr *err)
{
    (void)t;
    *model = NULL;
    if (n < 3)
        return qerr_set(err, QE_DATA, "theta needs at least 3 values to fit, the series has "
                        "%lld", n);
    if (!(o->theta >= 1))
        return qerr_set(err, QE_ARG, "theta must be 1 or more; it is %g", o->theta);
    int m = o->season;
    if (m >= 2 && (n < 2 * m || !seasonal_test(y, n, m)))
        m = 0;
    struct fc_fit *f = fc_fit_new(&fc_theta, m > 0 ? m : 0, err);
    if (!f)
        return -1;
    double *x = mem_alloc((size_t)n, sizeof(double), "theta", "the adjusted series", err);
    if (!x) {
        fc_fit_release(f);
        return -1;
    }
    memcpy(x, y, (size_t)n * sizeof(double));
    f->seasonal = FC_MUL;
    if (m) {
        double ymin = y[0];
        for (long long i = 1; i < n; i++)
            ymin = fmin(ymin, y[i]);
        int mul = ymin > 0;
        if (decompose(y, n, m, mul, f->season) == 0 && mul)
            for (int j = 0; j < m; j++)
                if (!(f->season[j] > 0))
                    mul = 0;
        if (!mul)
            decompose(y, n, m, 0, f->season);
        f->seasonal = mul ? FC_MUL : FC_ADD;
        for (long long i = 0; i < n; i++)
            x[i] = mul ? y[i] / f->season[i % m] : y[i] - f->season[i % m];
    }
    double tm = (double)(n - 1) / 2, xm = 0, sxy = 0, sxx = 0;
    for (long long i = 0; i < n; i++)
        xm += x[i];
    xm /= (double)n;
    for (long long i = 0; i < n; i++) {
        sxy += ((double)i - tm) * (x[i] - xm);
        sxx += ((double)i - tm) * ((double)i - tm);
    }
    double b0 = sxy / sxx;
    struct ses_job j = {x, n};
    double u = 0.5, lo = 1e-4, hi = 1 - 1e-4; /* statsmodels' state-space bounds */
    if (!isnan(o->alpha))
        u = o->alpha;
    else
        fc_minimize(ses_sse, &j, 1, &lo, &hi, &u);
    double l = x[0], ss = 0;
    for (long long i = 0; i < n; i++) {
        double e = x[i] - l;
        ss += e * e;
        l += u * e;
    }
    free(x);
    f->n = n;
    f->par[0] = u;
    f->par[4] = o->theta;
    f->par[5] = b0;
    f->level = l;
    f->sse = ss;
    f->n_resid = n;
    f->sigma2 = ss / (double)n;
    *model = f;
    return 0;
}

static int
predict_theta(const void *model, int h, double level, double *mean, double *lower,
              double *upper, struct qerr *err)
{
    (void)err;
    const struct fc_fit *f = model;
    double a = f->par[0], th = f->par[4], b0 = f->par[5];
    double w = th < 4.0 / 2.220446049250313e-16 ? (th - 1) / th : 1.0;
    double z = fc_norm_ppf(0.5 + level / 2);
    for (int k = 1; k <= h; k++) {
        double hh = k - 1;
        if (a > 0)
            hh += 1 / a - pow(1 - a, (double)f->n) / a;
        double mu = w * b0 * hh + f->level, se = f->seasonal == FC_MUL ? 1 : 0;
        if (f->m)
            se = f->season[(f->n + k - 1) % f->m];
        mu = f->seasonal == FC_MUL ? mu * se : mu + se;
        double sd = sqrt(f->sigma2 * (1 + (k - 1) * (1 + (a - 1) * (a - 1))));
        if (f->seasonal == FC_MUL)
            sd *= se;
        mean[k - 1] = mu;
        if (lower)
            lower[k - 1] = mu - z * sd;
        if (upper)
            upper[k - 1] = mu + z * sd;
    }
    return 0;
}

static void
describe_theta(const void *model, struct buf *out)
{
    const struct fc_fit *f = model;
    buf_addf(out, "theta=%.6g alpha=%.6g b0=%.6g", f->par[4], f->par[0], f->par[5]);
    if (f->m)
        buf_addf(out, " season=%d %s", f->m, f->seasonal == FC_MUL ? "mul" : "add");
    else
        buf_addf(out, " no season");
}

static int
load_theta(struct store_reader *r, void **model, struct qerr *err)
{
    return fc_fit_load(&fc_theta, r, model, err);
}

const struct fc_method fc_theta = {
    .name = "theta", .kind = &kind_theta, .what = "the Theta method", .needs_season = 0,
    .fit = fit_theta, .predict = predict_theta, .save = fc_fit_save, .load = load_theta,
    .describe = describe_theta, .release = fc_fit_release};
