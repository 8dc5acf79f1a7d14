/*
 * arima_method.c: seasonal ARIMA as a forecasting method (forecast.h's
 * struct fc_method, listed in methods.c): orders given (opts order,
 * sorder, constant) are fitted by arima_fit, otherwise the stepwise
 * search arima_auto chooses them; the fitted state (the parameters and
 * the filter's last predicted state and covariance) is kept in the model
 * store as kind forecast_arima.
 */
#include "forecast/forecast.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "forecast/arima.h"

#include "base/banned.h"

/* version 2 adds the regressors' coefficients; version 1 had none */
static const struct store_kind kind_arima = {"forecast_arima", 0, 2, 1};

static int
fit_arima(const double *y, long long n, const struct fc_opts *o, struct tick *t, void **model,
          struct qerr *err)
{
    struct arima_model *mo = NULL;
    *model = NULL;
    int m = o->season > 1 ? o->season : 0;
    if (o->order[0] < 0) {
        if (o->sorder[0] >= 0 || o->constant >= 0)
            return qerr_set(err, QE_ARG, "sorder= and constant= go with order=p,d,q; without "
                            "order= the stepwise search chooses them all");
        if (arima_auto_x(y, n, o->x, o->kx, m, t, &mo, err) < 0)
            return -1;
    } else {
        struct arima_spec sp = {o->order[0], o->order[1], o->order[2], 0, 0, 0, m,
                                o->constant > 0};
        if (o->sorder[0] >= 0) {
            sp.P = o->sorder[0];
            sp.D = o->sorder[1];
            sp.Q = o->sorder[2];
            if (m < 2 && (sp.P || sp.D || sp.Q))
                return qerr_set(err, QE_ARG, "sorder=%d,%d,%d needs a season: give season=N "
                                "(12 for months)", sp.P, sp.D, sp.Q);
        }
        if (arima_fit_x(&sp, y, n, o->x, o->kx, t, &mo, err) < 0)
            return -1;
    }
    *model = mo;
    return 0;
}

static int
predict_arima(const void *model, int h, double level, double *mean, double *lower, double *upper,
              struct qerr *err)
{
    const struct arima_model *mo = model;
    if (mo->kx)
        return qerr_set(err, QE_ARG, "this ARIMA has %d regressor%s: its forecasts need their "
                        "future values (forecast TABLE ... exog= with rows for the periods "
                        "ahead)", mo->kx, mo->kx == 1 ? "" : "s");
    arima_forecast(model, h, level, mean, lower, upper);
    return 0;
}

/* The forecasts of the ARIMA errors plus x' beta for the h periods' regressors x. */
static int
predict_x_arima(const void *model, int h, const double *x, double level, double *mean,
                double *lower, double *upper, struct qerr *err)
{
    const struct arima_model *mo = model;
    arima_forecast(mo, h, level, mean, lower, upper);
    for (int i = 0; i < h; i++) {
        double e = 0;
        for (int j = 0; j < mo->kx; j++)
            e += x[(size_t)i * mo->kx + j] * mo->beta[j];
        mean[i] += e;
        if (lower)
            lower[i] += e;
        if (upper)
            upper[i] += e;
    }
    (void)err;
    return 0;
}

static int
save_arima(const void *model, struct buf *b, struct qerr *err)
{
    (void)err;
    const struct arima_model *mo = model;
    const struct arima_spec *sp = &mo->sp;
    int64_t spec[] = {sp->p, sp->d, sp->q, sp->P, sp->D, sp->Q, sp->m, sp->constant};
    for (int i = 0; i < 8; i++)
        store_add_i64(b, spec[i]);
    store_add_f64s(b, mo->par, (size_t)mo->k_par);
    store_add_f64(b, mo->loglike);
    store_add_f64(b, mo->aicc);
    store_add_i64(b, mo->n);
    store_add_i64(b, mo->n_eff);
    store_add_i64(b, mo->converged);
    store_add_i64(b, mo->searched);
    store_add_i64(b, mo->n_models);
    store_add_f64(b, mo->strength);
    store_add_i64(b, mo->k_states);
    store_add_f64s(b, mo->a, (size_t)mo->k_states);
    store_add_f64s(b, mo->P, (size_t)mo->k_states * (size_t)mo->k_states);
    store_add_i64(b, mo->kx);
    store_add_f64s(b, mo->beta, (size_t)mo->kx);
    return 0;
}

static int
load_arima(struct store_reader *r, void **model, struct qerr *err)
{
    *model = NULL;
    int64_t v[8], n, n_eff, conv, searched, n_models, k;
    for (int i = 0; i < 8; i++)
        if (store_read_i64(r, &v[i], err) < 0)
            return -1;
    struct arima_spec sp = {(int)v[0], (int)v[1], (int)v[2], (int)v[3], (int)v[4], (int)v[5],
                            (int)v[6], (int)v[7]};
    struct qerr e2 = QERR_INIT;
    int bad = arima_check(&sp, LLONG_MAX, &e2) < 0 || (sp.constant != 0 && sp.constant != 1);
    qerr_clear(&e2);
    if (bad)
        return store_read_fail(r, err, "the ARIMA orders are damaged");
    struct arima_model *mo = mem_calloc(1, sizeof(*mo), "arima", "a fitted model", err);
    if (!mo)
        return -1;
    mo->sp = sp;
    mo->k_par = arima_n_par(&sp);
    int rc = -1;
    if (store_read_f64s(r, mo->par, (size_t)mo->k_par, err) < 0 ||
        store_read_f64(r, &mo->loglike, err) < 0 || store_read_f64(r, &mo->aicc, err) < 0 ||
        store_read_i64(r, &n, err) < 0 || store_read_i64(r, &n_eff, err) < 0 ||
        store_read_i64(r, &conv, err) < 0 || store_read_i64(r, &searched, err) < 0 ||
        store_read_i64(r, &n_models, err) < 0 || store_read_f64(r, &mo->strength, err) < 0 ||
        store_read_i64(r, &k, err) < 0)
        goto out;
    if (k < 1 || k > ARIMA_MAX_STATES || (size_t)(k * k + k) * 8 > r->len - r->pos) {
        store_read_fail(r, err, "the ARIMA state is damaged");
        goto out;
    }
    mo->n = n;
    mo->n_eff = n_eff;
    mo->converged = (int)conv;
    mo->searched = (int)searched;
    mo->n_models = (int)n_models;
    mo->k_states = (int)k;
    mo->a = mem_alloc((size_t)k, sizeof(double), "arima", "the state", err);
    mo->P = mem_alloc((size_t)(k * k), sizeof(double), "arima", "the state", err);
    if (!mo->a || !mo->P || store_read_f64s(r, mo->a, (size_t)k, err) < 0 ||
        store_read_f64s(r, mo->P, (size_t)(k * k), err) < 0)
        goto out;
    int64_t kx = 0; /* regressors: a model kept before them has none */
    if (r->version >= 2 && store_read_i64(r, &kx, err) < 0)
        goto out;
    if (kx < 0 || kx > ARIMA_MAX_X) {
        store_read_fail(r, err, "the ARIMA regressors are damaged");
        goto out;
    }
    mo->kx = (int)kx;
    if (store_read_f64s(r, mo->beta, (size_t)kx, err) < 0)
        goto out;
    *model = mo;
    mo = NULL;
    rc = 0;
out:
    arima_free(mo);
    return rc;
}

static void
describe_arima(const void *model, struct buf *out)
{
    const struct arima_model *mo = model;
    const struct arima_spec *sp = &mo->sp;
    arima_name(sp, out);
    buf_addf(out, " AICc=%.6g loglik=%.6g", mo->aicc, mo->loglike);
    static const char *const names[] = {"ar", "ma", "sar", "sma"};
    const int counts[] = {sp->p, sp->q, sp->P, sp->Q};
    int o = 0;
    if (sp->constant)
        buf_addf(out, " c=%.6g", mo->par[o++]);
    for (int g = 0; g < 4; g++)
        for (int i = 0; i < counts[g]; i++)
            buf_addf(out, " %s%d=%.6g", names[g], i + 1, mo->par[o++]);
    for (int i = 0; i < mo->kx; i++)
        buf_addf(out, " x%d=%.6g", i + 1, mo->beta[i]);
    buf_addf(out, " sigma2=%.6g", mo->par[o]);
    if (mo->searched)
        buf_addf(out, " (stepwise search, %d models)", mo->n_models);
}

static void
release_arima(void *model)
{
    arima_free(model);
}

const struct fc_method fc_arima = {
    .name = "arima",
    .kind = &kind_arima,
    .what = "seasonal ARIMA (exact likelihood)",
    .fit = fit_arima,
    .predict = predict_arima,
    .predict_x = predict_x_arima,
    .save = save_arima,
    .load = load_arima,
    .describe = describe_arima,
    .release = release_arima,
};
