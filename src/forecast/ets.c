/*
 * ets.c: simple, Holt and Holt-Winters exponential smoothing as
 * statsmodels' ExponentialSmoothing (holtwinters/model.py) runs them,
 * with the same recursions (Hyndman and Athanasopoulos, section 8.3):
 *
 *   fitted  yhat(t) = (l + phi b) + s(t-m)      (additive season)
 *                   = (l + phi b) * s(t-m)      (multiplicative)
 *   level   l(t) = alpha (y - s) + (1 - alpha)(l + phi b)      (y / s when mul)
 *   trend   b(t) = beta (l(t) - l(t-1)) + (1 - beta) phi b(t-1)
 *   season  s(t) = gamma (y - l - phi b) + (1 - gamma) s(t-m)  (y / (l + phi b) when mul)
 *
 * and its bounds: 0 < alpha < 1, 0 <= beta <= alpha, 0 <= gamma <= 1 -
 * alpha, 0.8 <= phi <= 0.995. Fitting follows statsmodels 0.13.5's fit():
 * the initial states start from its initialization_method='heuristic'
 * (its 'simple' states on a series too short for that; on one season
 * and a bit, which statsmodels refuses, the first season about its mean
 * and no trend), the free smoothing parameters start from the best point
 * of a small grid refined by a bounded Nelder-Mead (optim.c) in the unit
 * box statsmodels maps onto the constraints (beta = u alpha, gamma = u
 * (1 - alpha)); then the smoothing parameters and the initial states
 * together minimise the sum of squared one-step errors (L-BFGS,
 * classify/lbfgs.h, over a logistic map of the box). When every
 * smoothing parameter is given, nothing is fitted and the heuristic
 * states are kept (statsmodels' fit(optimized=False)).
 *
 * One difference from statsmodels: its _predict copies the season state
 * of period n-1 over that of period n-1+m after the last update, so its
 * forecasts at h = m, 2m, ... use the season before y(n)'s update; these
 * use the updated one, as Hyndman and Athanasopoulos' equations do.
 *
 * Intervals: the h-step variance of the additive-error model,
 * sigma2 (1 + sum over j < h of c(j)^2) with c(j) = alpha + alpha beta
 * (phi + ... + phi^j) + gamma [j mod m = 0] (Hyndman et al. 2008, class
 * 1); for a multiplicative season the same, times the season's factor (an
 * approximation).
 */
#include "forecast/forecast.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "classify/lbfgs.h"

#include "base/banned.h"

static const struct store_kind kind_ses = {"forecast_ses", 0, 1, 1};
static const struct store_kind kind_holt = {"forecast_holt", 0, 1, 1};
static const struct store_kind kind_hw = {"forecast_holtwinters", 0, 1, 1};

double
ets_run(const struct ets_spec *sp, const double *y, long long n, const double *par, double l0,
        double b0, const double *s0, double *fitted, double *l, double *b, double *s)
{
    double a = par[0], be = sp->trend ? par[1] : 0, g = sp->m ? par[2] : 0;
    double phi = sp->trend ? (sp->damped ? par[3] : 1.0) : 0;
    int m = sp->m, mul = sp->m && sp->seasonal == FC_MUL;
    double L = l0, B = sp->trend ? b0 : 0, sse = 0;
    if (m)
        memcpy(s, s0, (size_t)m * sizeof(double));
    for (long long i = 0; i < n; i++) {
        double tp = L + phi * B;
        double se = m ? s[i % m] : (mul ? 1 : 0);
        double fit = m ? (mul ? tp * se : tp + se) : tp;
        double e = y[i] - fit;
        sse += e * e;
        if (fitted)
            fitted[i] = fit;
        double Ln = m ? (mul ? a * y[i] / se : a * (y[i] - se)) + (1 - a) * tp
                      : a * y[i] + (1 - a) * tp;
        if (sp->trend)
            B = be * (Ln - L) + (1 - be) * phi * B;
        if (m)
            s[i % m] = mul ? g * y[i] / tp + (1 - g) * se : g * (y[i] - tp) + (1 - g) * se;
        L = Ln;
    }
    *l = L;
    *b = B;
    return sse;
}

/* statsmodels' _initialization_simple. */
static int
initial_simple(const struct ets_spec *sp, const double *y, long long n, double *l0, double *b0,
               double *s0)
{
    int m = sp->m;
    *b0 = 0;
    if (!m) {
        *l0 = y[0];
        if (sp->trend)
            *b0 = y[1] - y[0];
        return 1;
    }
    double lv = 0, tr = 0;
    for (int j = 0; j < m; j++)
        lv += y[j];
    lv /= m;
    /* under two seasons (statsmodels refuses them): no trend to start from */
    for (int j = 0; j < m && n >= 2 * m; j++)
        tr += (y[m + j] - y[j]) / m;
    *l0 = lv;
    if (sp->trend)
        *b0 = tr / m;
    for (int j = 0; j < m; j++)
        s0[j] = sp->seasonal == FC_MUL ? y[j] / lv : y[j] - lv;
    return 1;
}

int
ets_initial(const struct ets_spec *sp, const double *y, long long n, double *l0, double *b0,
            double *s0)
{
    int m = sp->m;
    long long min_obs = 10 + (m ? 2 * (m / 2) : 0);
    if (n < 10 || (m && (n < 2 * m || n < min_obs)))
        return initial_simple(sp, y, n, l0, b0, s0);
    const double *src = y;
    double *tr = NULL;
    long long ntr = n;
    if (m) {
        long long k = n / m < 5 ? n / m : 5;
        long long kmin = (min_obs + m - 1) / m;
        if (k < kmin)
            k = kmin;
        long long len = k * m < n ? k * m : n;
        tr = malloc((size_t)len * sizeof(*tr));
        double *sum = calloc((size_t)m, sizeof(double));
        long long *cnt = calloc((size_t)m, sizeof(long long));
        if (!tr || !sum || !cnt) {
            free(tr);
            free(sum);
            free(cnt);
            return initial_simple(sp, y, n, l0, b0, s0);
        }
        /* centred moving average (2 x m when m is even), as pandas' rolling(center) */
        ntr = 0;
        long long h = m / 2;
        for (long long i = 0; i < len; i++) {
            double t = NAN;
            if (m % 2 == 0 && i - h >= 0 && i + h < len) {
                double a = 0;
                for (long long j = i - h; j <= i + h; j++)
                    a += (j == i - h || j == i + h) ? y[j] / 2 : y[j];
                t = a / m;
            } else if (m % 2 == 1 && i - h >= 0 && i + h < len) {
                double a = 0;
                for (long long j = i - h; j <= i + h; j++)
                    a += y[j];
                t = a / m;
            }
            if (!isnan(t)) {
                double d = sp->seasonal == FC_MUL ? y[i] / t : y[i] - t;
                sum[i % m] += d;
                cnt[i % m]++;
                tr[ntr++] = t;
            }
        }
        double mean = 0;
        for (int j = 0; j < m; j++) {
            s0[j] = sum[j] / (double)cnt[j];
            mean += s0[j] / m;
        }
        for (int j = 0; j < m; j++)
            s0[j] = sp->seasonal == FC_MUL ? s0[j] / mean : s0[j] - mean;
        free(sum);
        free(cnt);
        src = tr;
    }
    /* least squares line through (1..10, src[0..10)): level at 0, slope */
    double sx = 55, sxx = 385, sy = 0, sxy = 0;
    for (int i = 0; i < 10; i++) {
        sy += src[i];
        sxy += (i + 1) * src[i];
    }
    double slope = (10 * sxy - sx * sy) / (10 * sxx - sx * sx);
    *l0 = (sy - slope * sx) / 10;
    *b0 = sp->trend ? slope : 0;
    free(tr);
    (void)ntr;
    return 0;
}

/* The objective of a fit: the free parameters in the unit box mapped onto the bounds. */
struct job {
    const struct ets_spec *sp;
    const double *y;
    long long n;
    const struct fc_opts *o;
    int free_[4];     /* which of alpha, beta, gamma, phi are free */
    double l0, b0, *s0, *s;
};

static void
unpack(const struct job *j, const double *u, double *par)
{
    const double eps = sqrt(DBL_EPSILON);
    const struct fc_opts *o = j->o;
    int k = 0;
    par[0] = j->free_[0] ? eps + u[k++] * (1 - 2 * eps) : o->alpha;
    par[1] = j->free_[1] ? u[k++] * par[0] : j->sp->trend ? o->beta : 0;
    par[2] = j->free_[2] ? u[k++] * (1 - par[0]) : j->sp->m ? o->gamma : 0;
    par[3] = j->free_[3] ? u[k++] : j->sp->damped ? o->phi : 1;
}

static double
objective(const double *u, void *ctx)
{
    struct job *j = ctx;
    double par[4], l, b;
    unpack(j, u, par);
    double v = ets_run(j->sp, j->y, j->n, par, j->l0, j->b0, j->s0, NULL, &l, &b, j->s);
    return isfinite(v) ? v : HUGE_VAL;
}

/*
 * The second stage, as statsmodels' fit: the free smoothing parameters
 * and the initial states together, by L-BFGS over z (u = lo + (hi - lo)
 * / (1 + e^-z)) with central-difference gradients. Keeps the better of
 * the two stages.
 */
struct job2 {
    struct job *j;
    int k, nx;
    const double *lo, *hi;
    double *s0, *s; /* grad2's room: the batch's initial and running seasons */
};

/* The points of one gradient at most: 2 x 32 parameters + 1. */
#define ETS_BATCH 65

static void
unpack2(const struct job2 *q, const double *x, double *u)
{
    for (int i = 0; i < q->k; i++)
        u[i] = q->lo[i] + (q->hi[i] - q->lo[i]) / (1 + exp(-x[i]));
    int p = q->k;
    q->j->l0 = x[p++];
    if (q->j->sp->trend)
        q->j->b0 = x[p++];
    for (int i = 0; i < q->j->sp->m; i++)
        q->j->s0[i] = x[p++];
}

static double
value2(struct job2 *q, const double *x)
{
    double u[4];
    unpack2(q, x, u);
    return objective(u, q->j);
}

/*
 * K runs of ets_run at once, their SSEs into sse: run k has the
 * parameters par[4k..4k+3] and the initial states l0[k], b0[k] and
 * s0[k m ..]; s is room for m x K seasonal states. The runs are
 * interleaved, one period of every run after the other, so the processor
 * overlaps their dependency chains (one run alone waits on each step's
 * latency); each run does ets_run's operations in ets_run's order, so
 * every SSE has ets_run's bits.
 */
static void
ets_run_batch(const struct ets_spec *sp, const double *y, long long n, int K, const double *par,
              const double *l0, const double *b0, const double *s0, double *s, double *sse)
{
    double a[ETS_BATCH], be[ETS_BATCH], g[ETS_BATCH], phi[ETS_BATCH], L[ETS_BATCH], B[ETS_BATCH];
    int m = sp->m, mul = sp->m && sp->seasonal == FC_MUL, trend = sp->trend;
    for (int k = 0; k < K; k++) {
        a[k] = par[4 * k];
        be[k] = trend ? par[4 * k + 1] : 0;
        g[k] = m ? par[4 * k + 2] : 0;
        phi[k] = trend ? (sp->damped ? par[4 * k + 3] : 1.0) : 0;
        L[k] = l0[k];
        B[k] = trend ? b0[k] : 0;
        sse[k] = 0;
        for (int j = 0; j < m; j++)
            s[(size_t)j * K + k] = s0[(size_t)k * m + j];
    }
    for (long long i = 0, j = 0; i < n; i++, j = m && j + 1 == m ? 0 : j + 1) {
        const double yi = y[i];
        double *sj = m ? s + j * K : NULL;
        if (m && !mul) { /* additive season: the common case, without the other branches */
            for (int k = 0; k < K; k++) {
                double tp = L[k] + phi[k] * B[k];
                double se = sj[k];
                double e = yi - (tp + se);
                sse[k] += e * e;
                double Ln = a[k] * (yi - se) + (1 - a[k]) * tp;
                if (trend)
                    B[k] = be[k] * (Ln - L[k]) + (1 - be[k]) * phi[k] * B[k];
                sj[k] = g[k] * (yi - tp) + (1 - g[k]) * se;
                L[k] = Ln;
            }
            continue;
        }
        for (int k = 0; k < K; k++) {
            double tp = L[k] + phi[k] * B[k];
            double se = m ? sj[k] : (mul ? 1 : 0);
            double fit = m ? (mul ? tp * se : tp + se) : tp;
            double e = yi - fit;
            sse[k] += e * e;
            double Ln = m ? (mul ? a[k] * yi / se : a[k] * (yi - se)) + (1 - a[k]) * tp
                          : a[k] * yi + (1 - a[k]) * tp;
            if (trend)
                B[k] = be[k] * (Ln - L[k]) + (1 - be[k]) * phi[k] * B[k];
            if (m)
                sj[k] = mul ? g[k] * yi / tp + (1 - g[k]) * se : g[k] * (yi - tp) + (1 - g[k]) * se;
            L[k] = Ln;
        }
    }
}

/*
 * The objective and its central-difference gradient: the 2 nx + 1 points
 * in one ets_run_batch (the same values as value2 at each, so the same
 * gradient to the bit; j's states are left at the last point's, as
 * value2 leaves them).
 */
static int
grad2(void *ctx, const double *x, double *f, double *g, struct qerr *err)
{
    (void)err;
    struct job2 *q = ctx;
    struct job *j = q->j;
    int K = 2 * q->nx + 1, m = j->sp->m;
    double xx[32], u[4], par[4 * ETS_BATCH], l0[ETS_BATCH], b0[ETS_BATCH], v[ETS_BATCH],
        h[32];
    memcpy(xx, x, (size_t)q->nx * sizeof(double));
    for (int p = 0; p < K; p++) {
        int i = (p - 1) / 2;
        if (p > 0) {
            h[i] = 1e-6 * fmax(1, fabs(x[i]));
            xx[i] = p % 2 ? x[i] + h[i] : x[i] - h[i];
        }
        unpack2(q, xx, u);
        unpack(j, u, par + 4 * p);
        l0[p] = j->l0;
        b0[p] = j->b0;
        if (m)
            memcpy(q->s0 + (size_t)p * m, j->s0, (size_t)m * sizeof(double));
        if (p > 0 && p % 2 == 0)
            xx[i] = x[i];
    }
    ets_run_batch(j->sp, j->y, j->n, K, par, l0, b0, q->s0, q->s, v);
    for (int p = 0; p < K; p++)
        v[p] = isfinite(v[p]) ? v[p] : HUGE_VAL;
    *f = v[0];
    for (int i = 0; i < q->nx; i++)
        g[i] = (v[2 * i + 1] - v[2 * i + 2]) / (2 * h[i]);
    if (!isfinite(*f))
        *f = HUGE_VAL;
    return 0;
}

static void
refine(struct job *j, int k, const double *lo, const double *hi, double *u)
{
    int m = j->sp->m;
    struct job2 q = {j, k, k + 1 + (j->sp->trend ? 1 : 0) + m, lo, hi, NULL, NULL};
    if (q.nx > 32)
        return;
    double *room = NULL;
    if (m) {
        room = malloc(2 * (size_t)ETS_BATCH * (size_t)m * sizeof(double));
        if (!room)
            return; /* (the first stage's fit stands) */
        q.s0 = room;
        q.s = room + (size_t)ETS_BATCH * m;
    }
    double x[32], keep[32], s0[64];
    double best = objective(u, j);
    for (int i = 0; i < k; i++) {
        double v = (u[i] - lo[i]) / (hi[i] - lo[i]);
        v = fmin(fmax(v, 1e-4), 1 - 1e-4);
        x[i] = log(v / (1 - v));
    }
    int p = k;
    x[p++] = j->l0;
    if (j->sp->trend)
        x[p++] = j->b0;
    for (int i = 0; i < m; i++)
        x[p++] = j->s0[i];
    memcpy(keep, x, sizeof x);
    if (m)
        memcpy(s0, j->s0, (size_t)m * sizeof(double));
    double l0 = j->l0, b0 = j->b0;
    struct lbfgs_opts o;
    lbfgs_opts_default(&o);
    o.max_iter = 500;
    o.gtol = 1e-9;
    o.ftol = 1e-14;
    struct lbfgs_result r;
    struct qerr e = QERR_INIT;
    if (lbfgs_minimize((size_t)q.nx, x, grad2, &q, &o, NULL, &r, &e) == 0 &&
        value2(&q, x) < best) {
        unpack2(&q, x, u);
        qerr_clear(&e);
        /* a parameter the sigmoid only approaches: try it on its bound */
        for (int i = 0; i < k; i++) {
            double v = objective(u, j), keep_u = u[i];
            double w = (u[i] - lo[i]) / (hi[i] - lo[i]);
            if (w < 1e-3 || w > 1 - 1e-3) {
                u[i] = w < 0.5 ? lo[i] : hi[i];
                if (!(objective(u, j) < v))
                    u[i] = keep_u;
            }
        }
        free(room);
        return;
    }
    qerr_clear(&e);
    j->l0 = l0;
    j->b0 = b0;
    if (m)
        memcpy(j->s0, s0, (size_t)m * sizeof(double));
    free(room);
}

static const struct fc_method *
method_of(const struct ets_spec *sp)
{
    return sp->m ? &fc_holtwinters : sp->trend ? &fc_holt : &fc_ses;
}

static int
fit_ets(const struct ets_spec *sp, const double *y, long long n, const struct fc_opts *o,
        void **model, struct qerr *err)
{
    *model = NULL;
    const char *name = method_of(sp)->name;
    int m = sp->m;
    if (m == 1 || (m && n < m + 3))
        return qerr_set(err, QE_DATA, "%s with season %d needs at least a season and 3 "
                        "values (%d) to fit, the series has %lld", name, m, m + 3, n);
    if (n < (sp->trend ? 3 : 2))
        return qerr_set(err, QE_DATA, "%s needs at least %d values to fit, the series has %lld",
                        name, sp->trend ? 3 : 2, n);
    if (m && sp->seasonal == FC_MUL)
        for (long long i = 0; i < n; i++)
            if (!(y[i] > 0))
                return qerr_set(err, QE_NUMERIC, "a multiplicative season needs values above "
                                "0; value %lld of the series is %g (use seasonal=add)",
                                i + 1, y[i]);
    const double checks[] = {o->alpha, o->beta, o->gamma};
    for (int i = 0; i < 3; i++)
        if (!isnan(checks[i]) && !(checks[i] >= 0 && checks[i] <= 1))
            return qerr_set(err, QE_ARG, "smoothing parameters lie in [0, 1]; %s is %g",
                            i == 0 ? "alpha" : i == 1 ? "beta" : "gamma", checks[i]);
    if (!isnan(o->phi) && !(o->phi > 0 && o->phi <= 1))
        return qerr_set(err, QE_ARG, "phi lies in (0, 1]; it is %g", o->phi);
    struct fc_fit *f = fc_fit_new(method_of(sp), m, err);
    if (!f)
        return -1;
    struct job j = {.sp = sp, .y = y, .n = n, .o = o};
    double *s0 = NULL;
    if (m) {
        s0 = mem_alloc(2 * (size_t)m, sizeof(double), "forecast", "seasonal states", err);
        if (!s0) {
            fc_fit_release(f);
            return -1;
        }
    }
    j.s0 = s0;
    j.s = s0 ? s0 + m : NULL;
    int simple = ets_initial(sp, y, n, &j.l0, &j.b0, s0);
    j.free_[0] = isnan(o->alpha);
    j.free_[1] = sp->trend && isnan(o->beta);
    j.free_[2] = m && isnan(o->gamma);
    j.free_[3] = sp->damped && isnan(o->phi);
    double lo[4], hi[4], u[4];
    int k = 0;
    for (int i = 0; i < 4; i++)
        if (j.free_[i]) {
            lo[k] = i == 3 ? 0.8 : 0;
            hi[k] = i == 3 ? 0.995 : 1;
            k++;
        }
    if (k > 0) {
        /* the best point of a grid, then the minimiser */
        static const double grid[] = {0.1, 0.3, 0.5, 0.7, 0.9};
        double best = HUGE_VAL, t[4];
        int total = 1;
        for (int i = 0; i < k; i++)
            total *= 5;
        for (int c = 0; c < total; c++) {
            int r = c;
            for (int i = 0; i < k; i++, r /= 5)
                t[i] = lo[i] + grid[r % 5] * (hi[i] - lo[i]);
            double v = objective(t, &j);
            if (v < best) {
                best = v;
                memcpy(u, t, sizeof t);
            }
        }
        fc_minimize(objective, &j, k, lo, hi, u);
        refine(&j, k, lo, hi, u);
    }
    double par[4];
    unpack(&j, u, par);
    f->seasonal = sp->seasonal;
    f->damped = sp->damped;
    f->n = n;
    memcpy(f->par, par, sizeof par);
    f->sse = ets_run(sp, y, n, par, j.l0, j.b0, s0, NULL, &f->level, &f->trend, f->season);
    f->n_resid = n;
    f->sigma2 = f->sse / (double)n;
    f->init[0] = j.l0;
    f->init[1] = j.b0;
    f->init[2] = simple;
    free(s0);
    *model = f;
    return 0;
}

static int
predict_ets(const void *model, int h, double level, double *mean, double *lower, double *upper,
            struct qerr *err)
{
    (void)err;
    const struct fc_fit *f = model;
    int m = f->m, trend = strcmp(f->me->name, "ses") != 0;
    double a = f->par[0], be = f->par[1], g = m ? f->par[2] : 0;
    double phi = f->damped ? f->par[3] : 1;
    double z = fc_norm_ppf(0.5 + level / 2), var = 1, phis = 0, cj_trend = 0;
    for (int k = 1; k <= h; k++) {
        phis += pow(phi, k);
        double tp = f->level + (trend ? phis * f->trend : 0);
        double se = m ? f->season[(f->n + k - 1) % m] : 0;
        double mu = m ? (f->seasonal == FC_MUL ? tp * se : tp + se) : tp;
        double sd = sqrt(f->sigma2 * var) * (m && f->seasonal == FC_MUL ? se : 1);
        mean[k - 1] = mu;
        if (lower)
            lower[k - 1] = mu - z * sd;
        if (upper)
            upper[k - 1] = mu + z * sd;
        /* c(k) for the next step's variance */
        cj_trend += trend ? pow(phi, k) : 0;
        double c = a + a * be * cj_trend + (m && k % m == 0 ? g : 0);
        var += c * c;
    }
    return 0;
}

static void
describe_ets(const void *model, struct buf *out)
{
    const struct fc_fit *f = model;
    int trend = strcmp(f->me->name, "ses") != 0;
    buf_addf(out, "alpha=%.6g", f->par[0]);
    if (trend)
        buf_addf(out, " beta=%.6g", f->par[1]);
    if (f->m)
        buf_addf(out, " gamma=%.6g", f->par[2]);
    if (f->damped)
        buf_addf(out, " phi=%.6g", f->par[3]);
    if (f->m)
        buf_addf(out, " season=%d %s", f->m, f->seasonal == FC_MUL ? "mul" : "add");
    buf_addf(out, " sse=%.6g", f->sse);
}

static int
fit_ses(const double *y, long long n, const struct fc_opts *o, struct tick *t, void **model,
        struct qerr *err)
{
    (void)t;
    struct ets_spec sp = {0, 0, FC_ADD, 0};
    return fit_ets(&sp, y, n, o, model, err);
}

static int
fit_holt(const double *y, long long n, const struct fc_opts *o, struct tick *t, void **model,
         struct qerr *err)
{
    (void)t;
    struct ets_spec sp = {1, 0, FC_ADD, o->damped};
    return fit_ets(&sp, y, n, o, model, err);
}

static int
fit_hw(const double *y, long long n, const struct fc_opts *o, struct tick *t, void **model,
       struct qerr *err)
{
    (void)t;
    if (o->season < 2)
        return qerr_set(err, QE_ARG, "holtwinters needs a season of 2 or more (season=N or "
                        "season=auto)");
    struct ets_spec sp = {1, o->season, (int)o->seasonal, o->damped};
    return fit_ets(&sp, y, n, o, model, err);
}

#define ETS_LOAD(fn, me)                                                                       \
    static int fn(struct store_reader *r, void **model, struct qerr *err)                     \
    {                                                                                         \
        return fc_fit_load(&me, r, model, err);                                               \
    }
ETS_LOAD(load_ses, fc_ses)
ETS_LOAD(load_holt, fc_holt)
ETS_LOAD(load_hw, fc_holtwinters)

#define ETS_METHOD(v, n, k, w, s, fn, ld)                                                          \
    const struct fc_method v = {.name = n, .kind = &k, .what = w, .needs_season = s,           \
                                .fit = fn, .predict = predict_ets, .save = fc_fit_save,        \
                                .load = ld, .describe = describe_ets,                 \
                                .release = fc_fit_release}
ETS_METHOD(fc_ses, "ses", kind_ses, "simple exponential smoothing", 0, fit_ses, load_ses);
ETS_METHOD(fc_holt, "holt", kind_holt, "Holt's linear trend", 0, fit_holt, load_holt);
ETS_METHOD(fc_holtwinters, "holtwinters", kind_hw, "Holt-Winters", 1, fit_hw, load_hw);
