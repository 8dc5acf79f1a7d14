/*
 * test_arima.c: seasonal ARIMA (forecast/arima.h) against statsmodels
 * 0.13.5's SARIMAX (fixtures tests/data/arima_oracle.txt, written once by
 * tests/oracles/arima.py) on the Nile (100 years) and 120 months of co2.
 *
 * Plan:
 *   1. the log-likelihood at fixed parameters equals SARIMAX's loglike to
 *      1e-9 relative (the state space, the initial states, the burn)
 *   2. per case (ARIMA(1,1,1), (1,0,1)+c, (2,0,0)+c, the airline model
 *      (0,1,1)(0,1,1)12, (1,0,0)(1,1,0)12+c, (1,1,1)(1,1,1)12): fitted
 *      coefficients equal SARIMAX's to 1e-4 (relative for sigma2 and c),
 *      the log-likelihood to 1e-6 relative, AICc, and 12 forecasts with
 *      their 90% bounds to 1e-4 relative
 *   4. the stepwise search picks the orders the oracle's search picks (the
 *      Nile; co2 too with ARIMA_SLOW=1)
 *   5. KPSS and the seasonal strength on hand series
 *   6. hostility: a constant series, a series shorter than its season,
 *      NaN and inf values, orders out of range: clear errors
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "keyed_fixture.h"
#include "forecast/arima.h"

#define CHECK_REL(actual, expected, tol) \
    CHECK_NEAR((actual), (expected), (tol) * fmax(1, fabs(expected)))

struct acase {
    const char *name, *series;
    struct arima_spec sp;
    int flat; /* 1: SARIMAX stops on a flat ridge or at the invertibility boundary */
};

static const struct acase cases[] = {
    {"nile111", "nile", {1, 1, 1, 0, 0, 0, 0, 0}, 0},
    {"nile101c", "nile", {1, 0, 1, 0, 0, 0, 0, 1}, 1},
    {"nile200", "nile", {2, 0, 0, 0, 0, 0, 0, 1}, 0},
    {"co2air", "co2", {0, 1, 1, 0, 1, 1, 12, 0}, 1},
    {"co2s100c", "co2", {1, 0, 0, 1, 1, 0, 12, 1}, 0},
    {"co2s111", "co2", {1, 1, 1, 1, 1, 1, 12, 0}, 1},
};

static void
test_cases(void)
{
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const struct acase *a = &cases[c];
        const struct fx *y = fx(a->series);
        struct qerr e = QERR_INIT;
        double ll = NAN;
        /* 1. the filter at fixed parameters */
        static const double fixed[][5] = {{0.3, -0.7, 20000.0}, {300.0, 0.7, -0.3, 18000.0},
                                          {400.0, 0.4, 0.15, 20000.0}, {-0.3, -0.8, 0.1},
                                          {0.5, 0.9, -0.4, 0.12},
                                          {0.2, -0.5, 0.1, -0.7, 0.1}};
        CHECK_OK(arima_loglike(&a->sp, fixed[c], y->v, y->n, &ll, &e), e);
        qerr_clear(&e);
        CHECK_NEAR(ll, fxk(a->name, "llfix")->v[0], 1e-9 * fabs(fxk(a->name, "llfix")->v[0]));
        /* 2. the fit */
        struct arima_model *mo = NULL;
        CHECK_OK(arima_fit(&a->sp, y->v, y->n, NULL, &mo, &e), e);
        qerr_clear(&e);
        if (!mo)
            continue;
        const struct fx *par = fxk(a->name, "params");
        double llf = fxk(a->name, "llf")->v[0];
        CHECK_INT(mo->k_par, par->n);
        if (a->flat) {
            /* no worse than SARIMAX's optimum (it stops before the top of a flat ridge) */
            CHECK(mo->loglike >= llf - 1e-9 * fabs(llf));
            arima_free(mo);
            continue;
        }
        for (int i = 0; i < par->n && i < mo->k_par; i++) {
            CHECK_REL(mo->par[i], par->v[i], 1e-4);
        }
        CHECK_NEAR(mo->loglike, llf, 1e-6 * fabs(llf));
        CHECK_REL(mo->aicc, fxk(a->name, "aicc")->v[0], 1e-6);
        double mean[12], lo[12], hi[12];
        arima_forecast(mo, 12, 0.9, mean, lo, hi);
        const struct fx *fm = fxk(a->name, "mean"), *fl = fxk(a->name, "lower"),
                        *fu = fxk(a->name, "upper");
        for (int i = 0; i < 12 && i < fm->n; i++) {
            CHECK_REL(mean[i], fm->v[i], 1e-4);
            CHECK_REL(lo[i], fl->v[i], 1e-4);
            CHECK_REL(hi[i], fu->v[i], 1e-4);
        }
        printf("%s: ll %.10g (oracle %.10g), par", a->name, mo->loglike, llf);
        for (int i = 0; i < mo->k_par; i++)
            printf(" %.8g/%.8g", mo->par[i], par->v[i]);
        printf("\n");
        arima_free(mo);
    }
}

/* 4. the stepwise search */
static void
test_auto(void)
{
    static const char *const names[] = {"nile", "co2"};
    const int ms[] = {1, 12};
    /* co2's search fits 35 seasonal models (about a minute under ASan on a quiet
       machine): only with ARIMA_SLOW=1 */
    int n_series = getenv("ARIMA_SLOW") ? 2 : 1;
    for (int i = 0; i < n_series; i++) {
        const struct fx *y = fx(names[i]);
        char key[32];
        snprintf(key, sizeof key, "auto_%s", names[i]);
        const struct fx *o = fx(key);
        struct arima_model *mo = NULL;
        struct qerr e = QERR_INIT;
        CHECK_OK(arima_auto(y->v, y->n, ms[i], NULL, &mo, &e), e);
        qerr_clear(&e);
        if (!mo || o->n < 9)
            continue;
        struct buf b = BUF_INIT;
        arima_name(&mo->sp, &b);
        printf("auto %s: %s AICc %.10g after %d models (oracle AICc %.10g, %g models)\n",
               names[i], b.data, mo->aicc, mo->n_models, o->v[7], o->v[8]);
        buf_release(&b);
        const int got[] = {mo->sp.p, mo->sp.d, mo->sp.q, mo->sp.P, mo->sp.D, mo->sp.Q,
                           mo->sp.constant};
        for (int k = 0; k < 7; k++)
            CHECK_INT(got[k], (int)o->v[k]);
        CHECK(mo->searched == 1);
        /* the same path: as many models tried, and the same AICc at the end */
        CHECK_INT(mo->n_models, (int)o->v[8]);
        CHECK_REL(mo->aicc, o->v[7], 1e-6);
        arima_free(mo);
    }
}

/* 5. KPSS and the seasonal strength by hand */
static void
test_tests(void)
{
    const double x[] = {1, 2, 3, 4};
    /* e = -1.5 -0.5 0.5 1.5, partial sums -1.5 -2 -1.5 0: eta = 8.5 / 16;
       s2 = 5 / 4 with no lag, (5 + 2 * 0.5 * 1.25) / 4 with one */
    CHECK_NEAR(arima_kpss(x, 4, 0), 0.53125 / 1.25, 1e-14);
    CHECK_NEAR(arima_kpss(x, 4, 1), 0.53125 / 1.5625, 1e-14);
    double y[96], rw[200], wn[200];
    unsigned long long st = 12345;
    double acc = 0;
    for (int i = 0; i < 200; i++) {
        st = st * 6364136223846793005ULL + 1442695040888963407ULL;
        double u = (double)(st >> 11) / 9007199254740992.0 - 0.5;
        wn[i] = u;
        acc += u;
        rw[i] = acc;
    }
    CHECK_INT(arima_ndiffs(wn, 200), 0);
    CHECK_INT(arima_ndiffs(rw, 200), 1);
    for (int i = 0; i < 96; i++)
        y[i] = (double)(i % 4 == 0) * 3 - (i % 4 == 2) + 0.5 * i;
    /* a season and a straight line: the moving average takes the line, nothing is left */
    CHECK_NEAR(arima_seasonal_strength(y, 96, 4), 1, 1e-12);
    for (int i = 0; i < 96; i++)
        y[i] = 0.5 * i;
    CHECK_NEAR(arima_seasonal_strength(y, 96, 4), 0, 1e-12);
    CHECK(isnan(arima_seasonal_strength(y, 7, 4)));
    for (int i = 0; i < 96; i++)
        y[i] = (i % 4 == 0) + 3 * wn[i];
    double sgt = arima_seasonal_strength(y, 96, 4);
    CHECK(sgt > 0 && sgt < 0.64);
}

/* 6. hostile series and orders */
static void
test_hostile(void)
{
    double c[40], y[40];
    for (int i = 0; i < 40; i++) {
        c[i] = 7;
        y[i] = sin(i) + 0.1 * i;
    }
    struct arima_model *mo = NULL;
    struct qerr e = QERR_INIT;
    struct arima_spec ar1 = {1, 0, 0, 0, 0, 0, 0, 1};
    CHECK(arima_fit(&ar1, c, 40, NULL, &mo, &e) < 0 && mo == NULL);
    CHECK_INT(e.code, QE_DATA);
    CHECK_HAS(e.msg, "constant");
    qerr_clear(&e);
    CHECK(arima_auto(c, 40, 12, NULL, &mo, &e) < 0 && mo == NULL);
    CHECK_HAS(e.msg, "constant (every value is 7)");
    qerr_clear(&e);
    struct arima_spec sea = {0, 1, 1, 0, 1, 1, 12, 0};
    CHECK(arima_fit(&sea, y, 10, NULL, &mo, &e) < 0);
    CHECK_INT(e.code, QE_DATA);
    CHECK_HAS(e.msg, "too short for a season of 12");
    qerr_clear(&e);
    /* a series shorter than the season: the search leaves the season out */
    CHECK_OK(arima_auto(y, 10, 12, NULL, &mo, &e), e);
    qerr_clear(&e);
    CHECK(mo && mo->sp.m == 0 && mo->sp.P == 0 && mo->sp.D == 0 && isnan(mo->strength));
    arima_free(mo);
    mo = NULL;
    y[5] = NAN;
    CHECK(arima_fit(&ar1, y, 40, NULL, &mo, &e) < 0);
    CHECK_HAS(e.msg, "value 6 of the series is not a finite number");
    qerr_clear(&e);
    CHECK(arima_auto(y, 40, 0, NULL, &mo, &e) < 0);
    CHECK_HAS(e.msg, "value 6");
    qerr_clear(&e);
    y[5] = INFINITY;
    CHECK(arima_fit(&ar1, y, 40, NULL, &mo, &e) < 0);
    CHECK_INT(e.code, QE_DATA);
    qerr_clear(&e);
    y[5] = 1;
    struct arima_spec bad = {11, 0, 0, 0, 0, 0, 0, 0};
    CHECK(arima_fit(&bad, y, 40, NULL, &mo, &e) < 0);
    CHECK_INT(e.code, QE_ARG);
    qerr_clear(&e);
    struct arima_spec noseason = {1, 0, 0, 1, 0, 0, 0, 0};
    CHECK(arima_fit(&noseason, y, 40, NULL, &mo, &e) < 0);
    CHECK_HAS(e.msg, "needs a season");
    qerr_clear(&e);
}

int
main(void)
{
    fx_read("tests/data/arima_oracle.txt");
    test_cases();
    test_tests();
    test_hostile();
    test_auto();
    return check_done("test_arima");
}
