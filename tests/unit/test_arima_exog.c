/*
 * test_arima_exog.c: regression with ARIMA errors (forecast/arima.h
 * arima_fit_x, the arima method's exog) against statsmodels 0.13.5's
 * SARIMAX(exog=) (fixtures tests/data/arima_exog_oracle.txt, written once
 * by tests/oracles/arima_exog.py) on macrodata: log consumption on log
 * income (ARIMA(1,1,0), and (0,1,1)(1,0,0)[4]), inflation on
 * unemployment and the T-bill rate (ARIMA(1,0,1) with a constant).
 *
 * Plan:
 *   1. the log-likelihood of y - X beta at SARIMAX's fixed parameters
 *      equals SARIMAX's loglike to 1e-9 relative
 *   2. the fit: coefficients (beta and the ARIMA part) equal SARIMAX's to
 *      1e-4, the log-likelihood to 1e-6 and AICc (which counts beta);
 *      where SARIMAX stops short (its optimiser reports no convergence)
 *      ours reaches at least its likelihood
 *   3. through the forecasting method (fc_arima, opts x and predict_x):
 *      8 forecasts with the future regressors and their 90% bounds equal
 *      SARIMAX's get_forecast(exog=) to 1e-4 relative
 *   4. hostility: a regressor constant after differencing, two collinear
 *      regressors: clear errors; a stored model with regressors refuses
 *      to forecast without them
 *   5. (no regressors) a season on fewer than two seasons, as SARIMAX fits
 *      it: ARIMA(0,0,0)(0,1,0)[12] with a constant on 18 months of co2,
 *      its constant, sigma2, likelihood and 6 forecasts to 1e-4
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "keyed_fixture.h"
#include "forecast/arima.h"
#include "forecast/forecast.h"

#define CHECK_REL(actual, expected, tol) \
    CHECK_NEAR((actual), (expected), (tol) * fmax(1, fabs(expected)))

#define H 8

struct xcase {
    const char *name;
    struct arima_spec sp;
    int kx;
    int short_stop; /* SARIMAX's fit reports no convergence: compare likelihoods */
};

static const struct xcase cases[] = {
    {"cons110", {1, 1, 0, 0, 0, 0, 0, 0}, 1, 0},
    {"infl101c", {1, 0, 1, 0, 0, 0, 0, 1}, 2, 0},
    {"cons011s", {0, 1, 1, 1, 0, 0, 4, 0}, 1, 0},
};

/* SARIMAX's parameter vector (const, beta, arima..., sigma2) split into ours. */
static void
split(const struct xcase *c, const double *sm, double *par, double *beta)
{
    int o = 0, k = 0;
    if (c->sp.constant)
        par[k++] = sm[o++];
    for (int j = 0; j < c->kx; j++)
        beta[j] = sm[o++];
    for (int j = 0; j < arima_n_par(&c->sp) - c->sp.constant; j++)
        par[k++] = sm[o++];
}

static void
test_case(const struct xcase *c)
{
    const struct fx *y = fxk(c->name, "y"), *x = fxk(c->name, "x");
    long long n = y->n - H;
    CHECK_INT(x->n, y->n * c->kx);
    struct qerr e = QERR_INIT;
    /* 1. the likelihood at fixed parameters */
    static const double fixed[][6] = {{0.5, 0.2, 0.8}, {1.0, -0.1, 0.5, 0.6, -0.3, 5.0},
                                      {0.3, 0.2, 0.1, 0.9}};
    double par[ARIMA_MAX_PAR], beta[ARIMA_MAX_X], r[512], ll = NAN;
    split(c, fixed[c - cases], par, beta);
    arima_exog_resid(y->v, n, x->v, c->kx, beta, r);
    CHECK_OK(arima_loglike(&c->sp, par, r, n, &ll, &e), e);
    qerr_clear(&e);
    double llfix = fxk(c->name, "llfix")->v[0];
    CHECK_NEAR(ll, llfix, 1e-9 * fabs(llfix));
    /* 2. the fit, through the method as forecast runs it */
    struct fc_opts o;
    fc_opts_default(&o);
    o.order[0] = c->sp.p, o.order[1] = c->sp.d, o.order[2] = c->sp.q;
    if (c->sp.m)
        o.sorder[0] = c->sp.P, o.sorder[1] = c->sp.D, o.sorder[2] = c->sp.Q;
    o.season = c->sp.m;
    o.constant = c->sp.constant;
    o.x = x->v;
    o.kx = c->kx;
    void *model = NULL;
    CHECK_OK(fc_arima.fit(y->v, n, &o, NULL, &model, &e), e);
    qerr_clear(&e);
    if (!model)
        return;
    const struct arima_model *mo = model;
    const struct fx *sm = fxk(c->name, "params");
    double llf = fxk(c->name, "llf")->v[0];
    CHECK_INT(mo->kx, c->kx);
    CHECK_INT(mo->k_par + mo->kx, sm->n);
    split(c, sm->v, par, beta);
    printf("%s: ll %.10g (SARIMAX %.10g), beta", c->name, mo->loglike, llf);
    for (int j = 0; j < c->kx; j++)
        printf(" %.8g/%.8g", mo->beta[j], beta[j]);
    printf(", arima");
    for (int j = 0; j < mo->k_par; j++)
        printf(" %.8g/%.8g", mo->par[j], par[j]);
    printf("\n");
    if (c->short_stop) {
        CHECK(mo->loglike >= llf - 1e-9 * fabs(llf));
    } else {
        for (int j = 0; j < c->kx; j++)
            CHECK_REL(mo->beta[j], beta[j], 1e-4);
        for (int j = 0; j < mo->k_par; j++)
            CHECK_REL(mo->par[j], par[j], 1e-4);
        CHECK_NEAR(mo->loglike, llf, 1e-6 * fabs(llf));
        CHECK_REL(mo->aicc, fxk(c->name, "aicc")->v[0], 1e-6);
        /* 3. forecasts with the future regressors */
        double mean[H], lo[H], hi[H];
        CHECK_OK(fc_arima.predict_x(model, H, x->v + n * c->kx, 0.9, mean, lo, hi, &e), e);
        qerr_clear(&e);
        const struct fx *fm = fxk(c->name, "mean"), *fl = fxk(c->name, "lower"),
                        *fu = fxk(c->name, "upper");
        for (int i = 0; i < H && i < fm->n; i++) {
            CHECK_REL(mean[i], fm->v[i], 1e-4);
            CHECK_REL(lo[i], fl->v[i], 1e-4);
            CHECK_REL(hi[i], fu->v[i], 1e-4);
        }
    }
    /* 4. without the regressors' future values it refuses */
    double m1[1];
    CHECK(fc_arima.predict(model, 1, 0.9, m1, NULL, NULL, &e) < 0);
    CHECK(e.code == QE_ARG && strstr(e.msg, "regressor") != NULL);
    qerr_clear(&e);
    fc_arima.release(model);
}

static void
test_hostile(void)
{
    const struct fx *y = fxk("cons110", "y"), *x = fxk("cons110", "x");
    long long n = 60;
    double xx[2 * 60];
    struct arima_spec sp = {1, 1, 0, 0, 0, 0, 0, 0};
    struct arima_model *mo = NULL;
    struct qerr e = QERR_INIT;
    /* a constant regressor: nothing left after one difference */
    for (long long i = 0; i < n; i++)
        xx[i] = 5;
    CHECK(arima_fit_x(&sp, y->v, n, xx, 1, NULL, &mo, &e) < 0 && !mo);
    CHECK(e.code == QE_DATA && strstr(e.msg, "collinear or constant") != NULL);
    qerr_clear(&e);
    /* two collinear regressors */
    for (long long i = 0; i < n; i++) {
        xx[2 * i] = x->v[i];
        xx[2 * i + 1] = 2 * x->v[i] + 1;
    }
    CHECK(arima_fit_x(&sp, y->v, n, xx, 2, NULL, &mo, &e) < 0 && !mo);
    CHECK(e.code == QE_DATA);
    qerr_clear(&e);
}

static void
test_short_season(void)
{
    const struct fx *y = fx("srw18_y"), *par = fx("srw18_params"), *fm = fx("srw18_mean");
    struct arima_spec sp = {0, 0, 0, 0, 1, 0, 12, 1};
    struct arima_model *mo = NULL;
    struct qerr e = QERR_INIT;
    CHECK_INT(y->n, 18);
    CHECK_OK(arima_fit(&sp, y->v, y->n, NULL, &mo, &e), e);
    qerr_clear(&e);
    if (!mo)
        return;
    CHECK_INT(mo->k_par, par->n);
    for (int i = 0; i < par->n && i < mo->k_par; i++)
        CHECK_REL(mo->par[i], par->v[i], 1e-4);
    double llf = fx("srw18_llf")->v[0], mean[6];
    CHECK_NEAR(mo->loglike, llf, 1e-6 * fabs(llf));
    arima_forecast(mo, 6, 0.9, mean, NULL, NULL);
    for (int i = 0; i < 6 && i < fm->n; i++)
        CHECK_REL(mean[i], fm->v[i], 1e-4);
    arima_free(mo);
}

int
main(void)
{
    fx_read("tests/data/arima_exog_oracle.txt");
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
        test_case(&cases[c]);
    test_hostile();
    test_short_season();
    return check_done("test_arima_exog");
}
