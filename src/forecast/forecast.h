/*
 * forecast.h: the contract every forecaster of src/forecast/ keeps.
 *
 * A forecaster learns from one regular series y[0..n) (no missing value:
 * the command refuses a series with one) and predicts the h values that
 * follow it, with lower and upper bounds of a central interval at a level.
 * The command (`forecast`, commands/cmd_forecast.c) never sees a method's
 * insides: it calls fit per group, predict, and keeps the fitted state in
 * the model store through save and load. Each method is one const struct
 * fc_method listed in fc_methods[] (forecast.c); a method that is not
 * built yet (the neural ones of issue 17) is listed with fit == NULL, so
 * the command can say so.
 *
 * The classical methods share one fitted state, struct fc_fit (a few
 * parameters, the final states and the residual variance): they save and
 * load it with fc_fit_save / fc_fit_load. A neural method keeps its own
 * state behind the same void pointer and its own save and load.
 *
 * Conventions:
 *  - fit never keeps pointers into y; allocations go through base/mem.h;
 *    a long fit calls tick (t may be NULL) and returns its error.
 *  - predict writes h means; lower and upper (either may be NULL) get the
 *    bounds of the central interval at level (0 < level < 1), or NaN when
 *    the method has none.
 *  - Errors: QE_ARG for an option the series cannot take (a season longer
 *    than half the series), QE_DATA for a series too short, QE_NUMERIC
 *    for a multiplicative season on values <= 0.
 */
#ifndef QUARRY_FORECAST_H
#define QUARRY_FORECAST_H

#include <stddef.h>

#include "base/buf.h"
#include "base/qerr.h"
#include "base/tick.h"
#include "data/store.h"

enum fc_seasonal { FC_ADD, FC_MUL };

struct fc_nn_opts;

/* Every method's options; fc_opts_default sets them all. */
struct fc_opts {
    int season;              /* period m (>= 2), or 0 for none (snaive needs one) */
    enum fc_seasonal seasonal; /* holtwinters: FC_ADD */
    int damped;              /* holt, holtwinters: damped trend, 0 */
    /* Fixed smoothing parameters (NaN: fitted by least squares). */
    double alpha, beta, gamma, phi;
    double theta;            /* theta: 2 */
    /* arima (arima_method.c): orders p,d,q and P,D,Q, and the constant (1 or 0);
       -1: not given (no order: the stepwise search chooses all three) */
    int order[3], sorder[3], constant;
    const struct fc_nn_opts *nn; /* the neural methods' options (fc_nn.h); NULL: defaults */
    /* regressors of the fitting window, row-major n x kx (methods with predict_x) */
    const double *x;
    int kx;
};

/* Set every option to its default (see above). */
void fc_opts_default(struct fc_opts *o);

/* The fitted state of a classical method (every array owned). */
struct fc_fit {
    const struct fc_method *me; /* the method that fitted it */
    int m;             /* season used, 0 for none */
    int seasonal;      /* enum fc_seasonal */
    int damped;
    long long n;       /* length of the series fitted */
    double par[6];     /* alpha, beta, gamma, phi, theta, extra (drift slope, mean, theta b0) */
    double level, trend; /* final states (naive: last value) */
    double *season;    /* m values: the seasonal state, or the last m values (snaive) */
    double sigma2;     /* mean squared one-step residual in the fitting window */
    double sse;        /* sum of squared one-step residuals */
    long long n_resid; /* residuals behind sigma2 */
    double init[3];    /* initial level, trend (ets), alpha (theta's SES) */
};

/* One forecasting method. Every function sets err and returns -1 on failure. */
struct fc_method {
    const char *name;                /* "naive", "holtwinters", ... */
    const struct store_kind *kind;   /* the model store kind its state is kept as */
    const char *what;                /* a few words for messages and `models` */
    int needs_season;                /* 1: fails without a season (snaive, holtwinters) */
    /* Fit y[0..n) into *model; NULL: not built yet. */
    int (*fit)(const double *y, long long n, const struct fc_opts *o, struct tick *t,
               void **model, struct qerr *err);
    /* h means, and the bounds at level into lower/upper (each may be NULL). */
    int (*predict)(const void *model, int h, double level, double *mean, double *lower,
                   double *upper, struct qerr *err);
    /* With regressors: as predict, x holding the h periods' regressors (row-major h x the
       kx fitted); NULL: the method takes none (fit is then never given any). */
    int (*predict_x)(const void *model, int h, const double *x, double level, double *mean,
                     double *lower, double *upper, struct qerr *err);
    /* Append the state to b; read it back. */
    int (*save)(const void *model, struct buf *b, struct qerr *err);
    int (*load)(struct store_reader *r, void **model, struct qerr *err);
    /* One line on the fitted parameters ("alpha=0.31 beta=0.02 ..."). */
    void (*describe)(const void *model, struct buf *out);
    void (*release)(void *model);
};

/* Every method, NULL-terminated, in the order help lists them (methods.c). */
extern const struct fc_method *const fc_methods[];
/* The method called name, or NULL (methods.c). */
const struct fc_method *fc_method_find(const char *name);

/* --- shared by the classical methods (forecast.c) --------------------------- */

/* A zeroed fc_fit of method me, with room for m seasonal values. */
struct fc_fit *fc_fit_new(const struct fc_method *me, int m, struct qerr *err);
void fc_fit_release(void *model);
int fc_fit_save(const void *model, struct buf *b, struct qerr *err);
/* Read a state fc_fit_save wrote for method me (its name must match). */
int fc_fit_load(const struct fc_method *me, struct store_reader *r, void **model,
                struct qerr *err);

/* The standard normal quantile at p (0 < p < 1; Acklam's rational approximation, refined). */
double fc_norm_ppf(double p);

/*
 * The season of y[0..n) from its autocorrelation after a straight line
 * is taken out: the lag in 2..n/2 with the largest autocorrelation that
 * is a local peak above 2/sqrt(n), else 0. *acf_at (may be NULL) gets that autocorrelation.
 */
int fc_season_detect(const double *y, long long n, double *acf_at);

/* --- baselines (baseline.c) ------------------------------------------------- */
extern const struct fc_method fc_naive, fc_snaive, fc_drift, fc_mean;

/* --- exponential smoothing (ets.c) ------------------------------------------ */
extern const struct fc_method fc_ses, fc_holt, fc_holtwinters;

/* The model an ets fit runs: trend (0/1), season m (0 none), seasonal type, damped. */
struct ets_spec {
    int trend, m, seasonal, damped;
};
/*
 * Run the recursions of an exponential smoothing model over y[0..n) with
 * par = alpha, beta, gamma, phi from initial level l0, trend b0 and
 * seasonal states s0[0..m) (s0[j] is the season of y[j]), as statsmodels'
 * ExponentialSmoothing does: fitted (may be NULL) gets the n one-step
 * predictions; the final level, trend and seasons go to *l, *b and s
 * (room for m; s[j] is then the season of y[n + j] when n % m == 0, in
 * general of the period (n + j) with j counted from n modulo m). Returns
 * the sum of squared one-step errors.
 */
double ets_run(const struct ets_spec *sp, const double *y, long long n, const double *par,
               double l0, double b0, const double *s0, double *fitted, double *l, double *b,
               double *s);
/*
 * statsmodels' heuristic initial states (initialization_method='heuristic',
 * Hyndman et al. 2008 section 2.6) of y[0..n): level *l0, trend *b0 and
 * seasons s0[0..m). Needs n >= 10 and, with a season, n >= 2m and n >=
 * 10 + 2 (m / 2); a shorter series gets statsmodels' simple initial
 * states (its fallback for initialization_method='estimated'): returns 1
 * then, 0 for the heuristic.
 */
int ets_initial(const struct ets_spec *sp, const double *y, long long n, double *l0, double *b0,
                double *s0);

/* --- Theta (theta.c) -------------------------------------------------------- */
extern const struct fc_method fc_theta;

/* --- seasonal ARIMA (arima_method.c; the model is arima.h) ------------------ */
extern const struct fc_method fc_arima;

/* --- a bounded minimiser (optim.c) ----------------------------------------- */
/*
 * Minimise f over the box lo <= x <= hi (k <= 8 variables) by Nelder-Mead
 * with every vertex projected into the box, restarted from its best point
 * until a restart no longer improves by 1e-10 relatively. x holds the start
 * and gets the best point; returns the best value.
 */
double fc_minimize(double (*f)(const double *x, void *ctx), void *ctx, int k, const double *lo,
                   const double *hi, double *x);

/* --- metrics (fmetrics.c) --------------------------------------------------- */
struct fc_metrics {
    long long n;     /* pairs compared (both finite) */
    double r;        /* Pearson correlation (NaN when either side is constant) */
    double mae, rmse;
    double mape;     /* percent, over actual != 0 */
    double smape;    /* percent, 200 |a - p| / (|a| + |p|) */
    double mase;     /* MAE over the in-sample MAE of the seasonal naive (naive when m < 2) */
    double maxrel;   /* percent: the largest |a - p| / |a| over actual != 0 */
};
/*
 * The metrics of predictions p against actual a (n pairs; non-finite pairs
 * skipped). scale is MASE's denominator (fc_mase_scale), NaN: MASE NaN.
 */
void fc_metrics(const double *a, const double *p, long long n, double scale,
                struct fc_metrics *out);
/* The mean absolute m-step difference of y[0..n) (m < 1 taken as 1); NaN when n <= m. */
double fc_mase_scale(const double *y, long long n, int m);

#endif
