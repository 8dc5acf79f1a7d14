/*
 * forecast.c: the fitted state the classical methods share (and its
 * store layout), the normal quantile and the season found from the
 * autocorrelation. The list of methods is methods.c.
 */
#include "forecast/forecast.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

#include "base/banned.h"

void
fc_opts_default(struct fc_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->seasonal = FC_ADD;
    o->alpha = o->beta = o->gamma = o->phi = NAN;
    o->theta = 2.0;
    for (int i = 0; i < 3; i++)
        o->order[i] = o->sorder[i] = -1;
    o->constant = -1;
}

struct fc_fit *
fc_fit_new(const struct fc_method *me, int m, struct qerr *err)
{
    struct fc_fit *f = mem_calloc(1, sizeof(*f), "forecast", "a fitted model", err);
    if (!f)
        return NULL;
    f->me = me;
    f->m = m;
    for (int i = 0; i < 6; i++)
        f->par[i] = NAN;
    if (m > 0) {
        f->season = mem_calloc((size_t)m, sizeof(double), "forecast", "seasonal states", err);
        if (!f->season) {
            free(f);
            return NULL;
        }
    }
    return f;
}

void
fc_fit_release(void *model)
{
    struct fc_fit *f = model;
    if (!f)
        return;
    free(f->season);
    free(f);
}

int
fc_fit_save(const void *model, struct buf *b, struct qerr *err)
{
    (void)err;
    const struct fc_fit *f = model;
    store_add_str(b, f->me->name);
    store_add_i64(b, f->m);
    store_add_i64(b, f->seasonal);
    store_add_i64(b, f->damped);
    store_add_i64(b, f->n);
    store_add_f64s(b, f->par, 6);
    store_add_f64(b, f->level);
    store_add_f64(b, f->trend);
    store_add_f64s(b, f->season, (size_t)f->m);
    store_add_f64(b, f->sigma2);
    store_add_f64(b, f->sse);
    store_add_i64(b, f->n_resid);
    store_add_f64s(b, f->init, 3);
    return 0;
}

int
fc_fit_load(const struct fc_method *me, struct store_reader *r, void **model,
            struct qerr *err)
{
    char *name = NULL;
    int64_t m, seasonal, damped, n, nres;
    *model = NULL;
    if (store_read_str(r, &name, err) < 0)
        return -1;
    int same = strcmp(name, me->name) == 0;
    free(name);
    if (store_read_i64(r, &m, err) < 0 || store_read_i64(r, &seasonal, err) < 0 ||
        store_read_i64(r, &damped, err) < 0 || store_read_i64(r, &n, err) < 0)
        return -1;
    if (!same || m < 0 || m > 100000 || (size_t)m * 8 > r->len - r->pos)
        return qerr_set(err, QE_DATA, "%s: the forecaster's state is damaged (drop model %s "
                        "and fit it again)", r->what, r->name);
    struct fc_fit *f = fc_fit_new(me, (int)m, err);
    if (!f)
        return -1;
    f->seasonal = (int)seasonal;
    f->damped = (int)damped;
    f->n = n;
    if (store_read_f64s(r, f->par, 6, err) < 0 || store_read_f64(r, &f->level, err) < 0 ||
        store_read_f64(r, &f->trend, err) < 0 ||
        store_read_f64s(r, f->season, (size_t)m, err) < 0 ||
        store_read_f64(r, &f->sigma2, err) < 0 || store_read_f64(r, &f->sse, err) < 0 ||
        store_read_i64(r, &nres, err) < 0 || store_read_f64s(r, f->init, 3, err) < 0) {
        fc_fit_release(f);
        return -1;
    }
    f->n_resid = nres;
    *model = f;
    return 0;
}

/* Acklam's inverse normal, one Halley step on erfc for full precision. */
double
fc_norm_ppf(double p)
{
    static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                               -2.759285104469687e+02, 1.383577518672690e+02,
                               -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                               -1.556989798598866e+02, 6.680131188771972e+01,
                               -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                               -2.400758277161838e+00, -2.549732539343734e+00,
                               4.374664141464968e+00, 2.938163982698783e+00};
    static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                               2.445134137142996e+00, 3.754408661907416e+00};
    if (!(p > 0 && p < 1))
        return NAN;
    double q, x;
    if (p < 0.02425) {
        q = sqrt(-2 * log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else if (p > 1 - 0.02425) {
        q = sqrt(-2 * log(1 - p));
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else {
        q = p - 0.5;
        double r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
    double e = 0.5 * erfc(-x / sqrt(2)) - p;
    double u = e * sqrt(2 * M_PI) * exp(x * x / 2);
    return x - u / (1 + x * u / 2);
}

int
fc_season_detect(const double *y, long long n, double *acf_at)
{
    if (acf_at)
        *acf_at = NAN;
    if (n < 8)
        return 0;
    /* the residuals of the least-squares line through (i, y[i]) */
    double *z = malloc((size_t)n * sizeof(*z));
    long long maxlag = n / 2;
    double *r = malloc((size_t)(maxlag + 2) * sizeof(*r));
    if (!z || !r) {
        free(z);
        free(r);
        return 0;
    }
    double tm = (double)(n - 1) / 2, ym = 0, sxy = 0, sxx = 0, c0 = 0;
    for (long long i = 0; i < n; i++)
        ym += y[i];
    ym /= (double)n;
    for (long long i = 0; i < n; i++) {
        sxy += ((double)i - tm) * (y[i] - ym);
        sxx += ((double)i - tm) * ((double)i - tm);
    }
    for (long long i = 0; i < n; i++) {
        z[i] = y[i] - ym - sxy / sxx * ((double)i - tm);
        c0 += z[i] * z[i];
    }
    for (long long k = 0; k <= maxlag + 1 && k < n; k++) {
        double s = 0;
        for (long long i = k; i < n; i++)
            s += z[i] * z[i - k];
        r[k] = c0 > 0 ? s / c0 : 0;
    }
    free(z);
    int best = 0;
    double bestv = 2 / sqrt((double)n);
    for (long long k = 2; k <= maxlag && k + 1 < n; k++)
        if (r[k] > bestv && r[k] >= r[k - 1] && r[k] >= r[k + 1]) {
            best = (int)k;
            bestv = r[k];
        }
    if (acf_at && best)
        *acf_at = bestv;
    free(r);
    return best;
}
