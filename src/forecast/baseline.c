/*
 * baseline.c: the four baselines of Hyndman and Athanasopoulos
 * (Forecasting: Principles and Practice, section 5.2), with the analytic
 * intervals of its section 5.5 from the residual variance sigma2 (the
 * mean squared one-step residual over the fitting window):
 *
 *   naive   y(T+h) = y(T)                      sd = s sqrt(h)
 *   snaive  y(T+h) = y(T+h-m(k+1))             sd = s sqrt(k+1), k = (h-1) div m
 *   drift   y(T+h) = y(T) + h (y(T)-y(1))/(T-1) sd = s sqrt(h (1 + h/(T-1)))
 *   mean    y(T+h) = mean of y                 sd = s sqrt(1 + 1/T)
 */
#include "forecast/forecast.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/banned.h"

enum { B_NAIVE, B_SNAIVE, B_DRIFT, B_MEAN };

static const struct store_kind kind_naive = {"forecast_naive", 0, 1, 1};
static const struct store_kind kind_snaive = {"forecast_snaive", 0, 1, 1};
static const struct store_kind kind_drift = {"forecast_drift", 0, 1, 1};
static const struct store_kind kind_mean = {"forecast_mean", 0, 1, 1};

static int
fit_base(int which, const struct fc_method *me, const double *y, long long n,
         const struct fc_opts *o, void **model, struct qerr *err)
{
    *model = NULL;
    int m = which == B_SNAIVE ? o->season : 0;
    if (which == B_SNAIVE && m < 2)
        return qerr_set(err, QE_ARG, "snaive needs a season of 2 or more (season=N or "
                        "season=auto)");
    long long need = which == B_SNAIVE ? m + 1 : which == B_MEAN ? 1 : 2;
    if (n < need)
        return qerr_set(err, QE_DATA, "%s needs at least %lld values to fit, the series has "
                        "%lld", me->name, need, n);
    struct fc_fit *f = fc_fit_new(me, m, err);
    if (!f)
        return -1;
    f->n = n;
    double ss = 0;
    long long nr = 0;
    switch (which) {
    case B_NAIVE:
        f->level = y[n - 1];
        for (long long i = 1; i < n; i++, nr++)
            ss += (y[i] - y[i - 1]) * (y[i] - y[i - 1]);
        break;
    case B_SNAIVE:
        memcpy(f->season, y + n - m, (size_t)m * sizeof(double));
        for (long long i = m; i < n; i++, nr++)
            ss += (y[i] - y[i - m]) * (y[i] - y[i - m]);
        break;
    case B_DRIFT: {
        double slope = (y[n - 1] - y[0]) / (double)(n - 1);
        f->level = y[n - 1];
        f->par[5] = slope;
        for (long long i = 1; i < n; i++, nr++) {
            double e = y[i] - y[i - 1] - slope;
            ss += e * e;
        }
        break;
    }
    case B_MEAN: {
        double s = 0;
        for (long long i = 0; i < n; i++)
            s += y[i];
        f->level = s / (double)n;
        for (long long i = 0; i < n; i++, nr++)
            ss += (y[i] - f->level) * (y[i] - f->level);
        break;
    }
    }
    f->sse = ss;
    f->n_resid = nr;
    f->sigma2 = nr > 0 ? ss / (double)nr : NAN;
    *model = f;
    return 0;
}

static int
predict_base(const void *model, int h, double level, double *mean, double *lower,
             double *upper, struct qerr *err)
{
    (void)err;
    const struct fc_fit *f = model;
    int which = -1;
    const char *name = f->me->name;
    which = strcmp(name, "naive") == 0    ? B_NAIVE
            : strcmp(name, "snaive") == 0 ? B_SNAIVE
            : strcmp(name, "drift") == 0  ? B_DRIFT
                                          : B_MEAN;
    double z = fc_norm_ppf(0.5 + level / 2), s = sqrt(f->sigma2), T = (double)f->n;
    for (int k = 1; k <= h; k++) {
        double mu, sd;
        switch (which) {
        case B_NAIVE:
            mu = f->level;
            sd = s * sqrt((double)k);
            break;
        case B_SNAIVE:
            mu = f->season[(k - 1) % f->m];
            sd = s * sqrt((double)((k - 1) / f->m + 1));
            break;
        case B_DRIFT:
            mu = f->level + k * f->par[5];
            sd = s * sqrt(k * (1 + k / (T - 1)));
            break;
        default:
            mu = f->level;
            sd = s * sqrt(1 + 1 / T);
            break;
        }
        mean[k - 1] = mu;
        if (lower)
            lower[k - 1] = isfinite(sd) ? mu - z * sd : NAN;
        if (upper)
            upper[k - 1] = isfinite(sd) ? mu + z * sd : NAN;
    }
    return 0;
}

static void
describe_base(const void *model, struct buf *out)
{
    const struct fc_fit *f = model;
    const char *name = f->me->name;
    if (strcmp(name, "drift") == 0)
        buf_addf(out, "drift %.6g per period", f->par[5]);
    else if (strcmp(name, "mean") == 0)
        buf_addf(out, "mean %.6g", f->level);
    else if (strcmp(name, "snaive") == 0)
        buf_addf(out, "season %d", f->m);
    else
        buf_addf(out, "last value %.6g", f->level);
    buf_addf(out, ", residual sd %.6g", sqrt(f->sigma2));
}

#define BASE_FIT(fn, which, me)                                                                 \
    static int fn(const double *y, long long n, const struct fc_opts *o, struct tick *t,     \
                  void **model, struct qerr *err)                                             \
    {                                                                                         \
        (void)t;                                                                              \
        return fit_base(which, &me, y, n, o, model, err);                                     \
    }
BASE_FIT(fit_naive, B_NAIVE, fc_naive)
BASE_FIT(fit_snaive, B_SNAIVE, fc_snaive)
BASE_FIT(fit_drift, B_DRIFT, fc_drift)
BASE_FIT(fit_mean, B_MEAN, fc_mean)

#define BASE_LOAD(fn, me)                                                                      \
    static int fn(struct store_reader *r, void **model, struct qerr *err)                     \
    {                                                                                         \
        return fc_fit_load(&me, r, model, err);                                               \
    }
BASE_LOAD(load_naive, fc_naive)
BASE_LOAD(load_snaive, fc_snaive)
BASE_LOAD(load_drift, fc_drift)
BASE_LOAD(load_mean, fc_mean)

#define BASE_METHOD(v, n, k, w, s, fn, ld)                                                         \
    const struct fc_method v = {.name = n, .kind = &k, .what = w, .needs_season = s,           \
                                .fit = fn, .predict = predict_base, .save = fc_fit_save,       \
                                .load = ld, .describe = describe_base,                \
                                .release = fc_fit_release}
BASE_METHOD(fc_naive, "naive", kind_naive, "the last value", 0, fit_naive, load_naive);
BASE_METHOD(fc_snaive, "snaive", kind_snaive, "the value one season back", 1, fit_snaive,
            load_snaive);
BASE_METHOD(fc_drift, "drift", kind_drift, "the last value plus the mean change", 0, fit_drift,
            load_drift);
BASE_METHOD(fc_mean, "mean", kind_mean, "the mean", 0, fit_mean, load_mean);
