/*
 * test_forecast.c: the classical forecasters (forecast/forecast.h).
 *
 * Plan:
 *   1. naive, snaive, drift, mean on a hand series: exact means and the
 *      analytic interval widths of Hyndman and Athanasopoulos 5.5
 *   2. fixtures (tests/data/forecast_oracle.txt, tests/oracles/forecast.py,
 *      statsmodels 0.13.5) on 120 months of co2: Holt-Winters (additive
 *      and multiplicative season, damped or not) with fixed parameters
 *      and heuristic initial states: initial states, fitted values and 18
 *      forecasts equal ExponentialSmoothing's to 1e-8; SES and Holt too
 *   3. fitted parameters: SSE no worse than statsmodels' fit (+1e-9 rel.)
 *   4. Theta equals ThetaModel's forecast (seasonal and not) to 1e-6, and
 *      a hand example without a season
 *   5. the season found from the autocorrelation of a monthly series is 12
 *   6. metrics on hand values; save, load, the same forecast
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "keyed_fixture.h"
#include "forecast/forecast.h"

static void *
fit(const struct fc_method *m, const double *y, long long n, const struct fc_opts *o)
{
    void *model = NULL;
    struct qerr e = QERR_INIT;
    CHECK_OK(m->fit(y, n, o, NULL, &model, &e), e);
    qerr_clear(&e);
    return model;
}

static void
test_baselines(void)
{
    const double y[] = {10, 12, 11, 15, 13, 14, 18, 17};
    struct fc_opts o;
    fc_opts_default(&o);
    double mu[6], lo[6], hi[6];
    struct qerr e = QERR_INIT;
    double z = fc_norm_ppf(0.95);
    CHECK_NEAR(z, 1.6448536269514722, 1e-12);

    void *m = fit(&fc_naive, y, 8, &o);
    CHECK_OK(fc_naive.predict(m, 3, 0.9, mu, lo, hi, &e), e);
    /* residuals 2 -1 4 -2 1 4 -1: sigma2 = 43 / 7 */
    for (int k = 0; k < 3; k++) {
        CHECK_NEAR(mu[k], 17, 0);
        CHECK_NEAR(hi[k] - mu[k], z * sqrt(43.0 / 7 * (k + 1)), 1e-12);
    }
    fc_naive.release(m);

    o.season = 4;
    m = fit(&fc_snaive, y, 8, &o);
    CHECK_OK(fc_snaive.predict(m, 6, 0.9, mu, lo, hi, &e), e);
    const double sn[] = {13, 14, 18, 17, 13, 14};
    /* residuals 3 2 7 2: sigma2 = 66 / 4 */
    for (int k = 0; k < 6; k++) {
        CHECK_NEAR(mu[k], sn[k], 0);
        CHECK_NEAR(mu[k] - lo[k], z * sqrt(66.0 / 4 * (k / 4 + 1)), 1e-12);
    }
    fc_snaive.release(m);
    o.season = 0;
    CHECK(fc_snaive.fit(y, 8, &o, NULL, &m, &e) < 0);
    CHECK_INT(e.code, QE_ARG);
    qerr_clear(&e);

    m = fit(&fc_drift, y, 8, &o);
    CHECK_OK(fc_drift.predict(m, 2, 0.9, mu, lo, hi, &e), e);
    CHECK_NEAR(mu[0], 18, 1e-12); /* 17 + (17 - 10) / 7 */
    CHECK_NEAR(mu[1], 19, 1e-12);
    /* residuals minus the drift 1: 1 -2 3 -3 0 3 -2, sigma2 = 36 / 7 */
    CHECK_NEAR(hi[1] - mu[1], z * sqrt(36.0 / 7 * 2 * (1 + 2.0 / 7)), 1e-12);
    fc_drift.release(m);

    m = fit(&fc_mean, y, 8, &o);
    CHECK_OK(fc_mean.predict(m, 1, 0.9, mu, lo, hi, &e), e);
    CHECK_NEAR(mu[0], 13.75, 1e-12);
    /* sum of squares about 13.75 = 55.5 over 8 values */
    CHECK_NEAR(hi[0] - mu[0], z * sqrt(55.5 / 8 * (1 + 1.0 / 8)), 1e-12);
    fc_mean.release(m);
}

/* got against want to tol (relative above 1); skip_m > 0 skips every skip_m-th value. */
static void
check_series_skip(const double *got, const struct fx *want, double tol, int skip_m)
{
    int bad = 0;
    for (int i = 0; i < want->n; i++)
        if (!(skip_m > 0 && (i + 1) % skip_m == 0) &&
            !(fabs(got[i] - want->v[i]) <= tol * fmax(1, fabs(want->v[i]))))
            bad++;
    if (bad)
        fprintf(stderr, "%s: %d of %d values differ (first: got %.17g, want %.17g)\n",
                want->key, bad, want->n, got[0], want->v[0]);
    CHECK_INT(bad, 0);
}

static void
check_series(const double *got, const struct fx *want, double tol)
{
    check_series_skip(got, want, tol, 0);
}

static void
test_hw_fixed(void)
{
    const struct fx *y = fx("y");
    static const char *tags[] = {"add_n", "add_d", "mul_n", "mul_d"};
    for (int t = 0; t < 4; t++) {
        struct ets_spec sp = {1, 12, t >= 2 ? FC_MUL : FC_ADD, t % 2};
        double l0, b0, s0[12], fitted[MAXV], l, b, s[12], key[80];
        CHECK_INT(ets_initial(&sp, y->v, y->n, &l0, &b0, s0), 0);
        char k[64];
        snprintf(k, sizeof k, "hw_%s_init", tags[t]);
        double init[2] = {l0, b0};
        check_series(init, fx(k), 1e-10);
        snprintf(k, sizeof k, "hw_%s_seas", tags[t]);
        check_series(s0, fx(k), 1e-10);
        double par[4] = {0.4, 0.05, 0.3, 0.9};
        double sse = ets_run(&sp, y->v, y->n, par, l0, b0, s0, fitted, &l, &b, s);
        snprintf(k, sizeof k, "hw_%s_fitted", tags[t]);
        check_series(fitted, fx(k), 1e-8);
        snprintf(k, sizeof k, "hw_%s_sse", tags[t]);
        CHECK_NEAR(sse, fx(k)->v[0], 1e-8);
        /* the forecasts, through the method with the same fixed parameters */
        struct fc_opts o;
        fc_opts_default(&o);
        o.season = 12;
        o.seasonal = sp.seasonal;
        o.damped = sp.damped;
        o.alpha = 0.4;
        o.beta = 0.05;
        o.gamma = 0.3;
        o.phi = 0.9;
        void *m = fit(&fc_holtwinters, y->v, y->n, &o);
        struct qerr e = QERR_INIT;
        CHECK_OK(fc_holtwinters.predict(m, 18, 0.9, key, NULL, NULL, &e), e);
        /*
         * statsmodels 0.13.5's _predict copies s[nobs-1] over s[nobs+m-1]
         * after its last update, so its forecasts at h = m, 2m, ... use
         * the season from before the last value's update; ours keep the
         * updated one (Hyndman's equations), so those are not compared.
         */
        snprintf(k, sizeof k, "hw_%s_fcast", tags[t]);
        check_series_skip(key, fx(k), 1e-8, 12);
        fc_holtwinters.release(m);

        /* fitted parameters: no worse than statsmodels */
        o.alpha = o.beta = o.gamma = o.phi = NAN;
        m = fit(&fc_holtwinters, y->v, y->n, &o);
        snprintf(k, sizeof k, "hwfit_%s_sse", tags[t]);
        double want = fx(k)->v[0];
        const struct fc_fit *f = m;
        if (!(f->sse <= want * (1 + 1e-9)))
            fprintf(stderr, "hw %s: fitted sse %.12g, statsmodels %.12g\n", tags[t], f->sse,
                    want);
        CHECK(f->sse <= want * (1 + 1e-9));
        fc_holtwinters.release(m);
    }
}

static void
test_ses_holt(void)
{
    const struct fx *y = fx("y");
    double mu[18], fitted[MAXV], l, b;
    struct qerr e = QERR_INIT;
    for (int trend = 0; trend <= 1; trend++) {
        struct ets_spec sp = {trend, 0, FC_ADD, 0};
        double l0, b0, par[4] = {0.6, 0.1, 0, 1};
        ets_initial(&sp, y->v, y->n, &l0, &b0, NULL);
        ets_run(&sp, y->v, y->n, par, l0, b0, NULL, fitted, &l, &b, NULL);
        check_series(fitted, fx(trend ? "holt_fitted" : "ses_fitted"), 1e-8);
        struct fc_opts o;
        fc_opts_default(&o);
        o.alpha = 0.6;
        o.beta = 0.1;
        const struct fc_method *me = trend ? &fc_holt : &fc_ses;
        void *m = fit(me, y->v, y->n, &o);
        CHECK_OK(me->predict(m, 18, 0.9, mu, NULL, NULL, &e), e);
        check_series(mu, fx(trend ? "holt_fcast" : "ses_fcast"), 1e-8);
        me->release(m);
        o.alpha = o.beta = NAN;
        m = fit(me, y->v, y->n, &o);
        double want = fx(trend ? "holtfit_sse" : "sesfit_sse")->v[0];
        CHECK(((const struct fc_fit *)m)->sse <= want * (1 + 1e-9));
        me->release(m);
    }
}

static void
test_theta(void)
{
    const struct fx *y = fx("y");
    double mu[18];
    struct qerr e = QERR_INIT;
    for (int s = 0; s < 2; s++) {
        struct fc_opts o;
        fc_opts_default(&o);
        o.season = s ? 12 : 0;
        void *m = fit(&fc_theta, y->v, y->n, &o);
        const struct fc_fit *f = m;
        const struct fx *par = fx(s ? "theta12_par" : "theta1_par");
        CHECK_NEAR(f->par[5], par->v[0], 1e-10);
        CHECK_NEAR(f->par[0], par->v[1], 1e-4);
        CHECK_OK(fc_theta.predict(m, 18, 0.9, mu, NULL, NULL, &e), e);
        check_series(mu, fx(s ? "theta12_fcast" : "theta1_fcast"), 1e-5);
        fc_theta.release(m);
    }
    /*
     * By hand: x = 1 2 4 3 5, alpha 0.5 fixed, theta 2. b0 = 0.9 (slope of
     * the line); SES from 1: levels 1, 1.5, 2.75, 2.875, 3.9375. h = 1:
     * 3.9375 + 0.5 * 0.9 (0 + 2 - 0.5^5 / 0.5) = 3.9375 + 0.45 * 1.9375.
     */
    const double x[] = {1, 2, 4, 3, 5};
    struct fc_opts o;
    fc_opts_default(&o);
    o.alpha = 0.5;
    void *m = fit(&fc_theta, x, 5, &o);
    CHECK_OK(fc_theta.predict(m, 2, 0.9, mu, NULL, NULL, &e), e);
    CHECK_NEAR(mu[0], 3.9375 + 0.45 * 1.9375, 1e-12);
    CHECK_NEAR(mu[1], 3.9375 + 0.45 * 2.9375, 1e-12);
    fc_theta.release(m);
}

static void
test_season_metrics_store(void)
{
    const struct fx *y = fx("y");
    CHECK_INT(fc_season_detect(y->v, y->n, NULL), 12);
    double flat[40];
    for (int i = 0; i < 40; i++)
        flat[i] = i * 0.5;
    CHECK_INT(fc_season_detect(flat, 40, NULL), 0);

    const double a[] = {100, 200, 300, 400}, p[] = {110, 190, 330, 400};
    struct fc_metrics mt;
    fc_metrics(a, p, 4, 20, &mt);
    CHECK_INT(mt.n, 4);
    CHECK_NEAR(mt.mae, 12.5, 1e-12);
    CHECK_NEAR(mt.rmse, sqrt((100 + 100 + 900) / 4.0), 1e-12);
    CHECK_NEAR(mt.mape, (10 + 5 + 10 + 0) / 4.0, 1e-12);
    CHECK_NEAR(mt.smape, (200 * 10 / 210.0 + 200 * 10 / 390.0 + 200 * 30 / 630.0) / 4, 1e-12);
    CHECK_NEAR(mt.mase, 12.5 / 20, 1e-12);
    CHECK_NEAR(mt.maxrel, 10, 1e-12);
    /* r: a centred -150 -50 50 150, p centred -147.5 -67.5 72.5 142.5 */
    double sab = 150 * 147.5 + 50 * 67.5 + 50 * 72.5 + 150 * 142.5;
    double saa = 2 * (150 * 150 + 50 * 50);
    double spp = 147.5 * 147.5 + 67.5 * 67.5 + 72.5 * 72.5 + 142.5 * 142.5;
    CHECK_NEAR(mt.r, sab / sqrt(saa * spp), 1e-12);
    const double yy[] = {1, 3, 2, 6};
    CHECK_NEAR(fc_mase_scale(yy, 4, 1), (2 + 1 + 4) / 3.0, 1e-12);

    /* save, load, the same forecast; a cut state is refused */
    struct fc_opts o;
    fc_opts_default(&o);
    o.season = 12;
    void *m = fit(&fc_holtwinters, y->v, y->n, &o);
    struct buf b = BUF_INIT;
    struct qerr e = QERR_INIT;
    CHECK_OK(fc_holtwinters.save(m, &b, &e), e);
    struct store_reader r;
    store_reader_init(&r, b.data, b.len, 1, "model 't'", "t");
    void *m2 = NULL;
    CHECK_OK(fc_holtwinters.load(&r, &m2, &e), e);
    store_reader_release(&r);
    double f1[6], f2[6];
    fc_holtwinters.predict(m, 6, 0.9, f1, NULL, NULL, &e);
    if (m2) {
        fc_holtwinters.predict(m2, 6, 0.9, f2, NULL, NULL, &e);
        CHECK(memcmp(f1, f2, sizeof f1) == 0);
    }
    store_reader_init(&r, b.data, b.len - 9, 1, "model 't'", "t");
    void *m3 = NULL;
    CHECK(fc_holtwinters.load(&r, &m3, &e) < 0);
    CHECK_INT(e.code, QE_DATA);
    CHECK(m3 == NULL);
    qerr_clear(&e);
    store_reader_release(&r);
    buf_release(&b);
    fc_holtwinters.release(m);
    fc_holtwinters.release(m2);
    CHECK(fc_method_find("lstm") != NULL && fc_method_find("lstm")->fit != NULL);
}

int
main(void)
{
    fx_read("tests/data/forecast_oracle.txt");
    test_baselines();
    test_hw_fixed();
    test_ses_holt();
    test_theta();
    test_season_metrics_store();
    return check_done("test_forecast");
}
