/*
 * arima.h: seasonal ARIMA, fitted by exact Gaussian maximum likelihood
 * through the Kalman filter on the state-space form statsmodels' SARIMAX
 * builds (0.13.5, with its defaults), and chosen by a stepwise AICc search
 * as R's auto.arima (Hyndman and Khandakar 2008).
 *
 * The model: phi(L) Phi(L^m) (1 - L)^d (1 - L^m)^D y(t) = c + theta(L)
 * Theta(L^m) e(t), e ~ N(0, sigma2). The state holds the d + D m
 * differencing states (statsmodels' "T^*" blocks) and the ARMA part in
 * Harvey's form, r = max(p + mP, q + mQ + 1) states. SARIMAX's defaults,
 * which these follow:
 *  - no constant unless asked (trend=None; c enters the first ARMA state);
 *  - enforce_stationarity and enforce_invertibility: the AR and MA
 *    polynomials are kept stationary and invertible by Monahan's (1984)
 *    map from partial autocorrelations (constrain_stationary_univariate);
 *  - concentrate_scale=False: sigma2 is a parameter of the likelihood;
 *  - the differencing states start approximately diffuse (variance 1e6,
 *    mean 0) and the first d + D m log-likelihood terms are left out
 *    (loglikelihood_burn); the ARMA states start from their stationary
 *    mean and covariance (the discrete Lyapunov equation).
 * Parameters are ordered as SARIMAX orders them: const, ar(1..p),
 * ma(1..q), sar(1..P), sma(1..Q), sigma2.
 */
#ifndef QUARRY_ARIMA_H
#define QUARRY_ARIMA_H

#include "base/buf.h"
#include "base/qerr.h"
#include "base/tick.h"

#define ARIMA_MAX_P 10     /* p and q */
#define ARIMA_MAX_SP 4     /* P and Q */
#define ARIMA_MAX_STATES 400
#define ARIMA_MAX_PAR (1 + 2 * ARIMA_MAX_P + 2 * ARIMA_MAX_SP + 1)
#define ARIMA_MAX_X 16     /* regressors */

struct arima_spec {
    int p, d, q;       /* 0 <= p, q <= ARIMA_MAX_P; 0 <= d <= 2 */
    int P, D, Q, m;    /* P, Q <= ARIMA_MAX_SP, D <= 1; m >= 2 when any of them is > 0 */
    int constant;      /* 1: the intercept c */
};

/* A fitted model (arima_fit, arima_auto); arima_free releases it. */
struct arima_model {
    struct arima_spec sp;
    int k_par;
    double par[ARIMA_MAX_PAR]; /* const, ar, ma, sar, sma, sigma2 */
    double loglike, aicc;
    long long n, n_eff;        /* values fitted; those past the burn */
    int converged;             /* the optimiser stopped on its tolerance */
    int k_states;
    double *a, *P;             /* the predicted state and covariance after y(n-1) */
    /* set by arima_auto: models fitted, the seasonal strength (NaN: not tested) */
    int searched, n_models;
    double strength;
    /* regression with ARIMA errors (arima_fit_x): y(t) = x(t)' beta + u(t), u the ARIMA */
    int kx;
    double beta[ARIMA_MAX_X];
};

/* The number of parameters of sp (sigma2 included). */
int arima_n_par(const struct arima_spec *sp);

/*
 * Whether sp can be fitted to n values: QE_ARG for orders out of range or
 * a seasonal part without m >= 2, QE_DATA for a series too short (fewer
 * than the parameters + 3 values left after differencing, or shorter
 * than the seasonal lags need).
 */
int arima_check(const struct arima_spec *sp, long long n, struct qerr *err);

/*
 * The exact log-likelihood of y[0..n) under sp with parameters par (in
 * SARIMAX's order, already constrained). QE_NUMERIC when the AR part is
 * not stationary or the filter breaks down.
 */
int arima_loglike(const struct arima_spec *sp, const double *par, const double *y, long long n,
                  double *ll, struct qerr *err);

/*
 * Fit sp to y[0..n) by maximum likelihood: L-BFGS (classify/lbfgs.h) with
 * central-difference gradients over the unconstrained parameters
 * SARIMAX optimises (the transforms above; sigma2 as a square), from
 * zero ARMA parameters, the mean of the differenced series and its
 * variance, restarted once from the optimum. t may be NULL. Errors: those
 * of arima_check, QE_DATA for a value that is not finite or a series
 * constant after differencing, QE_NUMERIC when no finite likelihood is
 * found.
 */
int arima_fit(const struct arima_spec *sp, const double *y, long long n, struct tick *t,
              struct arima_model **out, struct qerr *err);

/*
 * Regression with ARIMA errors, as SARIMAX(endog, exog, order=...) with its
 * defaults (mle_regression): y(t) = x(t)' beta + u(t), u(t) following sp,
 * the kx coefficients beta found with the ARIMA parameters by maximising
 * the exact likelihood of y - X beta; x is row-major n x kx. beta starts
 * from least squares on the differenced series (arima_exog_start). SARIMAX
 * orders its parameters const, beta, ar, ...: ours keeps beta apart in
 * mo->beta (par holds the ARIMA part alone); AICc counts both. kx = 0 is
 * arima_fit. Errors: arima_fit's, QE_DATA for regressors collinear (or
 * constant) after differencing.
 */
int arima_fit_x(const struct arima_spec *sp, const double *y, long long n, const double *x,
                int kx, struct tick *t, struct arima_model **out, struct qerr *err);

/* --- regressors and differencing (arima_exog.c) ---------------------------- */

/* (1 - L)^d (1 - L^m)^D of y[0..n) into w (room for n); returns how many. */
long long arima_difference(const struct arima_spec *sp, const double *y, long long n, double *w);

/*
 * Starting coefficients b0[0..kx) by least squares of the differenced y on
 * the differenced columns of x (row-major n x kx), and a scale bs[j] per
 * coefficient (sd of differenced y over sd of differenced x_j). QE_DATA
 * when the differenced columns are collinear or one is constant.
 */
int arima_exog_start(const struct arima_spec *sp, const double *y, long long n, const double *x,
                     int kx, double *b0, double *bs, struct qerr *err);

/* out[t] = y[t] - x(t)' beta for t in [0, n). */
void arima_exog_resid(const double *y, long long n, const double *x, int kx, const double *beta,
                      double *out);

/*
 * The h forecasts after the fitted series and the bounds of the central
 * interval at level from the state-space forecast variance (lower, upper
 * may be NULL). With regressors (mo->kx > 0) these are of u(t): add x(t)' beta.
 */
void arima_forecast(const struct arima_model *mo, int h, double level, double *mean,
                    double *lower, double *upper);

/* "ARIMA(1,1,1)(0,1,1)[12] with drift" into out. */
void arima_name(const struct arima_spec *sp, struct buf *out);

void arima_free(struct arima_model *mo);

/* --- the stepwise search (arima_auto.c) ------------------------------------ */

/*
 * The KPSS level-stationarity statistic of x[0..n) with `lags`
 * Bartlett-weighted autocovariances (Kwiatkowski et al. 1992).
 */
double arima_kpss(const double *x, long long n, int lags);

/*
 * d as R's ndiffs(test="kpss"): difference while the KPSS statistic with
 * trunc(3 sqrt(n) / 13) lags exceeds 0.463 (5%), at most 2 times.
 */
int arima_ndiffs(const double *x, long long n);

/*
 * The seasonal strength of y[0..n) at period m from a classical additive
 * decomposition (centred 2 x m moving average, seasonal means about their
 * mean): max(0, 1 - var(remainder) / var(season + remainder)); NaN when n < 2m.
 */
double arima_seasonal_strength(const double *y, long long n, int m);

/*
 * Choose and fit a model for y[0..n) with season m (0 or 1: none) by the
 * stepwise AICc search of auto.arima: D = 1 when the seasonal strength
 * is over 0.64 (n >= 2m), d by arima_ndiffs on the seasonally differenced
 * series; starting models (2,d,2)(1,D,1), (0,d,0)(0,D,0), (1,d,0)(1,D,0),
 * (0,d,1)(0,D,1) (and the null model without constant), then +-1 moves
 * of P, Q, p, q in auto.arima's order, and the constant toggled, while
 * one improves; max p, q 5, max P, Q 2, at most 94 models; a constant
 * only when d + D <= 1; a fit with a root of its AR or MA polynomial
 * within 1.01 of the unit circle is refused. The returned model has
 * searched = 1.
 */
int arima_auto(const double *y, long long n, int m, struct tick *t, struct arima_model **out,
               struct qerr *err);

/*
 * arima_auto with regressors x (row-major n x kx), as auto.arima(y, xreg=x):
 * the differencing is chosen on the residuals of y's least-squares fit on
 * x, every candidate is a regression with ARIMA errors (arima_fit_x).
 */
int arima_auto_x(const double *y, long long n, const double *x, int kx, int m, struct tick *t,
                 struct arima_model **out, struct qerr *err);

#endif
