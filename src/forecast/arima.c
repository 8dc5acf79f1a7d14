/*
 * arima.c: seasonal ARIMA by exact maximum likelihood (arima.h): the
 * state-space form SARIMAX builds, its Kalman filter, the parameter
 * transforms, the fit and the forecasts.
 *
 * The central structure is struct ssm: the system matrices of one
 * parameter vector. The transition T is sparse (the companion column,
 * the superdiagonal and the differencing blocks: about 2k nonzeros for k
 * states), so T P T' is taken in O(k^2) as a list of (row, col, value).
 */
#include "forecast/arima.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "classify/lbfgs.h"
#include "forecast/forecast.h"

#include "base/banned.h"

#define DIFFUSE_VAR 1e6 /* SARIMAX's initial_variance */

struct nz {
    int i, j;
    double v;
};

/* The system of one parameter vector; arrays are owned. */
struct ssm {
    int k, kd, r;       /* states, differencing states, ARMA states */
    int n_nz, n_z;      /* nonzeros of T, of Z */
    struct nz *t;       /* T */
    int *zi;            /* the states Z picks (each with weight 1) */
    double *rsel;       /* R (k) */
    double c;           /* the state intercept at state kd */
    double sigma2;
    double *a0, *p0;    /* initial mean (k), covariance (k x k) */
};

int
arima_n_par(const struct arima_spec *sp)
{
    return sp->constant + sp->p + sp->q + sp->P + sp->Q + 1;
}

static int
seasonal(const struct arima_spec *sp)
{
    return sp->P > 0 || sp->D > 0 || sp->Q > 0;
}

int
arima_check(const struct arima_spec *sp, long long n, struct qerr *err)
{
    if (sp->p < 0 || sp->q < 0 || sp->p > ARIMA_MAX_P || sp->q > ARIMA_MAX_P)
        return qerr_set(err, QE_ARG, "ARIMA orders p and q go from 0 to %d", ARIMA_MAX_P);
    if (sp->d < 0 || sp->d > 2)
        return qerr_set(err, QE_ARG, "ARIMA differencing d goes from 0 to 2");
    if (sp->P < 0 || sp->Q < 0 || sp->P > ARIMA_MAX_SP || sp->Q > ARIMA_MAX_SP)
        return qerr_set(err, QE_ARG, "seasonal orders P and Q go from 0 to %d", ARIMA_MAX_SP);
    if (sp->D < 0 || sp->D > 1)
        return qerr_set(err, QE_ARG, "seasonal differencing D is 0 or 1");
    if (seasonal(sp) && sp->m < 2)
        return qerr_set(err, QE_ARG, "a seasonal part (sorder) needs a season of 2 or more "
                        "periods (season=N)");
    int m = seasonal(sp) ? sp->m : 0;
    long long kd = sp->d + (long long)sp->D * m;
    long long r = sp->p + (long long)m * sp->P;
    if (sp->q + (long long)m * sp->Q + 1 > r)
        r = sp->q + (long long)m * sp->Q + 1;
    if (kd + r > ARIMA_MAX_STATES)
        return qerr_set(err, QE_ARG, "ARIMA%s needs %lld states, more than %d: lower the "
                        "seasonal orders", "", kd + r, ARIMA_MAX_STATES);
    long long need = kd + arima_n_par(sp) + 3;
    long long lags = (long long)m * (sp->P > sp->Q ? sp->P : sp->Q) + kd;
    if (m > 0 && n <= lags)
        return qerr_set(err, QE_DATA, "the series has %lld values: too short for a season of "
                        "%d with these seasonal orders (it needs more than %lld)", n, m, lags);
    if (n < need)
        return qerr_set(err, QE_DATA, "the series has %lld values: too few for this ARIMA "
                        "(%d parameters after %lld differences need at least %lld)", n,
                        arima_n_par(sp), kd, need);
    return 0;
}

/* Monahan's map of n unconstrained values to a stationary AR polynomial (SARIMAX's). */
static void
constrain(const double *u, int n, double *out)
{
    double y[ARIMA_MAX_P + 1][ARIMA_MAX_P + 1];
    for (int k = 0; k < n; k++) {
        double r = u[k] / sqrt(1 + u[k] * u[k]);
        for (int i = 0; i < k; i++)
            y[k][i] = y[k - 1][i] + r * y[k - 1][k - i - 1];
        y[k][k] = r;
    }
    for (int i = 0; i < n; i++)
        out[i] = -y[n - 1][i];
}

/* Its inverse; 0, or -1 when the polynomial is not stationary. */
static int
unconstrain(const double *c, int n, double *out)
{
    double y[ARIMA_MAX_P + 1][ARIMA_MAX_P + 1];
    for (int i = 0; i < n; i++)
        y[n - 1][i] = -c[i];
    for (int k = n - 1; k > 0; k--) {
        double d = 1 - y[k][k] * y[k][k];
        if (!(d > 0))
            return -1;
        for (int i = 0; i < k; i++)
            y[k - 1][i] = (y[k][i] - y[k][k] * y[k][k - i - 1]) / d;
    }
    for (int i = 0; i < n; i++) {
        double r = y[i][i];
        if (!(fabs(r) < 1))
            return -1;
        out[i] = r / sqrt(1 - r * r);
    }
    return 0;
}

/* The reduced polynomials' lag coefficients: T's first column and R's tail. */
static void
reduced(const struct arima_spec *sp, const double *par, double *phi, int nphi, double *theta,
        int ntheta)
{
    int m = sp->m, k = sp->constant;
    const double *ar = par + k, *ma = ar + sp->p, *sar = ma + sp->q, *sma = sar + sp->P;
    memset(phi, 0, (size_t)nphi * sizeof(*phi));
    memset(theta, 0, (size_t)ntheta * sizeof(*theta));
    /* (1 - sum ar L^i)(1 - sum sar L^jm) = 1 - sum phi L^l */
    for (int i = 0; i <= sp->p; i++)
        for (int j = 0; j <= sp->P; j++) {
            if (i == 0 && j == 0)
                continue;
            double a = i ? -ar[i - 1] : 1, s = j ? -sar[j - 1] : 1;
            phi[i + j * m - 1] -= a * s;
        }
    for (int i = 0; i <= sp->q; i++)
        for (int j = 0; j <= sp->Q; j++) {
            if (i == 0 && j == 0)
                continue;
            double a = i ? ma[i - 1] : 1, s = j ? sma[j - 1] : 1;
            theta[i + j * m - 1] += a * s;
        }
}

static void
ssm_release(struct ssm *s)
{
    free(s->t);
    free(s->zi);
    free(s->rsel);
    free(s->a0);
    free(s->p0);
    memset(s, 0, sizeof(*s));
}

/* P = T P T' + Q for the dense r x r ARMA block, by doubling: P = sum T^j Q T'^j. */
static int
lyapunov(int r, const double *tm, const double *q, double *p)
{
    size_t rr = (size_t)r * (size_t)r;
    double *a = malloc(rr * sizeof(double)), *w = malloc(rr * sizeof(double)),
           *w2 = malloc(rr * sizeof(double));
    int rc = -1;
    if (!a || !w || !w2)
        goto out;
    memcpy(a, tm, rr * sizeof(double));
    memcpy(p, q, rr * sizeof(double));
    for (int it = 0; it < 200; it++) {
        /* p += a p a' */
        double amax = 0, pmax = 0, add = 0;
        for (int i = 0; i < r; i++)
            for (int j = 0; j < r; j++) {
                double s = 0;
                for (int l = 0; l < r; l++)
                    s += a[i * r + l] * p[l * r + j];
                w[i * r + j] = s;
            }
        for (int i = 0; i < r; i++)
            for (int j = 0; j < r; j++) {
                double s = 0;
                for (int l = 0; l < r; l++)
                    s += w[i * r + l] * a[j * r + l];
                w2[i * r + j] = s;
            }
        for (size_t i = 0; i < rr; i++) {
            p[i] += w2[i];
            add = fmax(add, fabs(w2[i]));
            pmax = fmax(pmax, fabs(p[i]));
        }
        /* a = a a */
        for (int i = 0; i < r; i++)
            for (int j = 0; j < r; j++) {
                double s = 0;
                for (int l = 0; l < r; l++)
                    s += a[i * r + l] * a[l * r + j];
                w[i * r + j] = s;
            }
        memcpy(a, w, rr * sizeof(double));
        for (size_t i = 0; i < rr; i++)
            amax = fmax(amax, fabs(a[i]));
        if (!isfinite(pmax))
            goto out;
        if (amax == 0 || add <= 1e-18 * pmax) {
            rc = 0;
            goto out;
        }
    }
out:
    free(a);
    free(w);
    free(w2);
    return rc;
}

/* Build the system of sp at par (constrained) for the filter. */
static int
ssm_build(const struct arima_spec *sp, const double *par, struct ssm *s, struct qerr *err)
{
    memset(s, 0, sizeof(*s));
    int m = seasonal(sp) ? sp->m : 0;
    int np = sp->p + m * sp->P, nq = sp->q + m * sp->Q;
    s->kd = sp->d + sp->D * m;
    s->r = np > nq + 1 ? np : nq + 1;
    s->k = s->kd + s->r;
    int k = s->k, kd = s->kd, r = s->r;
    s->t = mem_alloc((size_t)(3 * k + 2 * sp->d + 4), sizeof(struct nz), "arima", "the system",
                     err);
    s->zi = mem_alloc((size_t)(sp->d + sp->D + 1), sizeof(int), "arima", "the system", err);
    s->rsel = mem_calloc((size_t)k, sizeof(double), "arima", "the system", err);
    s->a0 = mem_calloc((size_t)k, sizeof(double), "arima", "the system", err);
    s->p0 = mem_calloc((size_t)k * (size_t)k, sizeof(double), "arima", "the system", err);
    double *phi = mem_calloc((size_t)np + 1, sizeof(double), "arima", "the system", err);
    double *theta = mem_calloc((size_t)nq + 1, sizeof(double), "arima", "the system", err);
    double *tm = mem_calloc((size_t)r * (size_t)r, 2 * sizeof(double), "arima", "the system", err);
    if (!s->t || !s->zi || !s->rsel || !s->a0 || !s->p0 || !phi || !theta || !tm) {
        free(phi);
        free(theta);
        free(tm);
        ssm_release(s);
        return -1;
    }
    reduced(sp, par, phi, np + 1, theta, nq + 1);
    s->c = sp->constant ? par[0] : 0;
    s->sigma2 = par[arima_n_par(sp) - 1];
    int nn = 0;
#define PUT(I, J, V) (s->t[nn++] = (struct nz){(I), (J), (V)})
    /* the differencing blocks (SARIMAX's initial_transition) */
    for (int i = 0; i < sp->d; i++) {
        for (int j = i; j < sp->d; j++)
            PUT(i, j, 1);
        if (sp->D)
            PUT(i, sp->d + m - 1, 1);
        PUT(i, kd, 1);
    }
    if (sp->D) {
        int st = sp->d;
        PUT(st, st + m - 1, 1);
        for (int i = 0; i + 1 < m; i++)
            PUT(st + i + 1, st + i, 1);
        PUT(st, kd, 1);
    }
    /* the ARMA block in Harvey's form */
    for (int i = 0; i < r; i++) {
        if (i < np && phi[i] != 0)
            PUT(kd + i, kd, phi[i]);
        if (i + 1 < r)
            PUT(kd + i, kd + i + 1, 1);
    }
#undef PUT
    s->n_nz = nn;
    for (int i = 0; i < sp->d; i++)
        s->zi[s->n_z++] = i;
    if (sp->D)
        s->zi[s->n_z++] = sp->d + m - 1;
    s->zi[s->n_z++] = kd;
    s->rsel[kd] = 1;
    for (int i = 1; i < r; i++)
        s->rsel[kd + i] = i - 1 < nq ? theta[i - 1] : 0;
    /* initial states: diffuse differencing, stationary ARMA */
    for (int i = 0; i < kd; i++)
        s->p0[(size_t)i * k + i] = DIFFUSE_VAR;
    double *q = tm + (size_t)r * r;
    for (int i = 0; i < r; i++) {
        if (i < np)
            tm[i * r] = phi[i];
        if (i + 1 < r)
            tm[i * r + i + 1] = 1;
        for (int j = 0; j < r; j++)
            q[i * r + j] = s->rsel[kd + i] * s->rsel[kd + j] * s->sigma2;
    }
    double sphi = 0;
    for (int i = 0; i < np; i++)
        sphi += phi[i];
    double *pst = malloc((size_t)r * r * sizeof(double));
    int rc = pst ? lyapunov(r, tm, q, pst) : -1;
    if (rc == 0) {
        for (int i = 0; i < r; i++)
            for (int j = 0; j < r; j++)
                s->p0[(size_t)(kd + i) * k + kd + j] = pst[i * r + j];
        double mu = s->c / (1 - sphi);
        for (int i = 0; i < r; i++) {
            double t = 0;
            for (int j = i; j < np; j++)
                t += phi[j];
            s->a0[kd + i] = i == 0 ? mu : mu * t;
        }
    }
    free(pst);
    free(phi);
    free(theta);
    free(tm);
    if (rc < 0) {
        ssm_release(s);
        return qerr_set(err, QE_NUMERIC, "the AR part is not stationary: no initial state");
    }
    return 0;
}

/* P = T P T' + sigma2 R R' (w: k x k scratch). */
static void
predict_cov(const struct ssm *s, double *p, double *w)
{
    int k = s->k;
    size_t kk = (size_t)k * k;
    memset(w, 0, kk * sizeof(double));
    for (int e = 0; e < s->n_nz; e++) { /* w = T p */
        const struct nz *z = &s->t[e];
        const double *src = p + (size_t)z->j * k;
        double *dst = w + (size_t)z->i * k;
        for (int c = 0; c < k; c++)
            dst[c] += z->v * src[c];
    }
    /* p = w T' = (T w')' = T w' since the result is symmetric: rows of w' (w's
       columns), so both passes run along rows */
    for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++)
            p[(size_t)j * k + i] = w[(size_t)i * k + j];
    memcpy(w, p, kk * sizeof(double));
    memset(p, 0, kk * sizeof(double));
    for (int e = 0; e < s->n_nz; e++) {
        const struct nz *z = &s->t[e];
        const double *src = w + (size_t)z->j * k;
        double *dst = p + (size_t)z->i * k;
        for (int c = 0; c < k; c++)
            dst[c] += z->v * src[c];
    }
    for (int i = s->kd; i < k; i++)
        if (s->rsel[i] != 0)
            for (int j = s->kd; j < k; j++)
                p[(size_t)i * k + j] += s->sigma2 * s->rsel[i] * s->rsel[j];
}

static void
predict_mean(const struct ssm *s, double *a, double *w)
{
    memset(w, 0, (size_t)s->k * sizeof(double));
    for (int e = 0; e < s->n_nz; e++)
        w[s->t[e].i] += s->t[e].v * a[s->t[e].j];
    memcpy(a, w, (size_t)s->k * sizeof(double));
    a[s->kd] += s->c;
}

/*
 * Filter y[0..n) through s: the log-likelihood past burn into *ll; a and
 * p (may be NULL) get the predicted state and covariance after the last value.
 */
static int
kalman(const struct ssm *s, const double *y, long long n, int burn, double *ll, double *a_out,
       double *p_out, struct qerr *err)
{
    int k = s->k;
    size_t kk = (size_t)k * k;
    double *a = malloc((size_t)k * 3 * sizeof(double)), *p = malloc(kk * 3 * sizeof(double));
    if (!a || !p) {
        free(a);
        free(p);
        return qerr_set(err, QE_NOMEM, "arima: out of memory for the Kalman filter");
    }
    double *pz = a + k, *wa = pz + k, *w = p + kk, *prev = w + kk;
    memcpy(a, s->a0, (size_t)k * sizeof(double));
    memcpy(p, s->p0, kk * sizeof(double));
    double sum = 0, f = 0;
    int rc = 0, steady = 0;
    for (long long t = 0; t < n; t++) {
        double v = y[t];
        for (int j = 0; j < s->n_z; j++)
            v -= a[s->zi[j]];
        if (steady) {
            /* the covariance has converged: the gain and F stay as they are */
            sum += -0.5 * (log(2 * M_PI) + log(f) + v * v / f);
            double g = v / f;
            for (int i = 0; i < k; i++)
                a[i] += pz[i] * g;
            predict_mean(s, a, wa);
            continue;
        }
        f = 0;
        for (int i = 0; i < k; i++) {
            double acc = 0;
            for (int j = 0; j < s->n_z; j++)
                acc += p[(size_t)i * k + s->zi[j]];
            pz[i] = acc;
        }
        for (int j = 0; j < s->n_z; j++)
            f += pz[s->zi[j]];
        if (!(f > 0) || !isfinite(f)) {
            rc = qerr_set(err, QE_NUMERIC, "the Kalman filter broke down at value %lld "
                          "(forecast variance %g)", t + 1, f);
            break;
        }
        if (t >= burn)
            sum += -0.5 * (log(2 * M_PI) + log(f) + v * v / f);
        double g = v / f;
        for (int i = 0; i < k; i++)
            a[i] += pz[i] * g;
        for (int i = 0; i < k; i++) {
            double pi = pz[i] / f;
            double *row = p + (size_t)i * k;
            for (int j = 0; j < k; j++)
                row[j] -= pi * pz[j];
        }
        predict_mean(s, a, wa);
        memcpy(prev, p, kk * sizeof(double));
        predict_cov(s, p, w);
        /* steady state, as statsmodels' filter finds it (there: a sum of squared
           changes under 1e-19); here every change under 1e-15 of the largest entry */
        if (t >= burn) {
            double dmax = 0, pmax = 0;
            for (size_t i = 0; i < kk; i++) { /* (not fmax: a call each, a fifth of a fit) */
                double d = fabs(p[i] - prev[i]), pv = fabs(p[i]);
                dmax = d > dmax ? d : dmax;
                pmax = pv > pmax ? pv : pmax;
            }
            steady = dmax <= 1e-15 * pmax;
        }
    }
    *ll = sum;
    if (rc == 0 && a_out)
        memcpy(a_out, a, (size_t)k * sizeof(double));
    if (rc == 0 && p_out)
        memcpy(p_out, p, kk * sizeof(double));
    free(a);
    free(p);
    return rc;
}

int
arima_loglike(const struct arima_spec *sp, const double *par, const double *y, long long n,
              double *ll, struct qerr *err)
{
    struct ssm s;
    if (ssm_build(sp, par, &s, err) < 0)
        return -1;
    int rc = kalman(&s, y, n, s.kd, ll, NULL, NULL, err);
    ssm_release(&s);
    return rc;
}

/* --- the fit ----------------------------------------------------------------- */

struct job {
    const struct arima_spec *sp;
    const double *y;
    long long n;
    double sscale, cscale; /* sigma2 = sscale u^2, c = cscale u phi(1) */
    struct tick *t;
    /* regressors (kx of them, x row-major n x kx): beta = b0 + bs u past the ARMA part */
    const double *x;
    int kx;
    const double *b0, *bs;
    double *resid;         /* n: y - x beta */
};

/* The regression coefficients of the unconstrained x (k ARMA parameters first). */
static void
to_beta(const struct job *j, const double *x, int k, double *beta)
{
    for (int i = 0; i < j->kx; i++)
        beta[i] = j->b0[i] + j->bs[i] * x[k + i];
}

/* phi(1) Phi(1): 1 minus the sum of the reduced AR coefficients. */
static double
phi_one(const struct arima_spec *sp, const double *par)
{
    double a = 1, b = 1;
    for (int i = 0; i < sp->p; i++)
        a -= par[sp->constant + i];
    for (int i = 0; i < sp->P; i++)
        b -= par[sp->constant + sp->p + sp->q + i];
    return a * b;
}

/* The constrained parameters of the unconstrained x. */
static void
to_par(const struct job *j, const double *x, double *par)
{
    const struct arima_spec *sp = j->sp;
    int o = sp->constant;
    constrain(x + o, sp->p, par + o);
    o += sp->p;
    constrain(x + o, sp->q, par + o);
    for (int i = 0; i < sp->q; i++)
        par[o + i] = -par[o + i];
    o += sp->q;
    constrain(x + o, sp->P, par + o);
    o += sp->P;
    constrain(x + o, sp->Q, par + o);
    for (int i = 0; i < sp->Q; i++)
        par[o + i] = -par[o + i];
    o += sp->Q;
    par[o] = j->sscale * x[o] * x[o];
    /* the constant through the mean of the differenced series, c = mean phi(1), which
       takes the ridge between c and the AR coefficients out of the search */
    if (sp->constant)
        par[0] = j->cscale * x[0] * phi_one(sp, par);
}

/* The unconstrained x of par; -1 when a polynomial is outside the region. */
static int
from_par(const struct job *j, const double *par, double *x)
{
    const struct arima_spec *sp = j->sp;
    double neg[ARIMA_MAX_P];
    int o = sp->constant;
    if (sp->constant)
        x[0] = par[0] / phi_one(sp, par) / j->cscale;
    if (unconstrain(par + o, sp->p, x + o) < 0)
        return -1;
    o += sp->p;
    for (int i = 0; i < sp->q; i++)
        neg[i] = -par[o + i];
    if (unconstrain(neg, sp->q, x + o) < 0)
        return -1;
    o += sp->q;
    if (unconstrain(par + o, sp->P, x + o) < 0)
        return -1;
    o += sp->P;
    for (int i = 0; i < sp->Q; i++)
        neg[i] = -par[o + i];
    if (unconstrain(neg, sp->Q, x + o) < 0)
        return -1;
    o += sp->Q;
    x[o] = sqrt(par[o] / j->sscale);
    return 0;
}

/* -loglike / n at x (a huge value where the filter fails). */
static double
objective(const struct job *j, const double *x)
{
    double par[ARIMA_MAX_PAR], ll, beta[ARIMA_MAX_X];
    struct qerr e = QERR_INIT;
    to_par(j, x, par);
    const double *y = j->y;
    if (j->kx) {
        to_beta(j, x, arima_n_par(j->sp), beta);
        arima_exog_resid(j->y, j->n, j->x, j->kx, beta, j->resid);
        y = j->resid;
    }
    int rc = arima_loglike(j->sp, par, y, j->n, &ll, &e);
    qerr_clear(&e);
    if (rc < 0 || !isfinite(ll))
        return 1e100;
    return -ll / (double)j->n;
}

static int
objective_grad(void *ctx, const double *x, double *f, double *g, struct qerr *err)
{
    struct job *j = ctx;
    int k = arima_n_par(j->sp) + j->kx;
    double xx[ARIMA_MAX_PAR + ARIMA_MAX_X];
    memcpy(xx, x, (size_t)k * sizeof(double));
    *f = objective(j, x);
    for (int i = 0; i < k; i++) {
        double h = 1e-5 * fmax(1, fabs(x[i]));
        xx[i] = x[i] + h;
        double fp = objective(j, xx);
        xx[i] = x[i] - h;
        double fm = objective(j, xx);
        xx[i] = x[i];
        g[i] = (fp - fm) / (2 * h);
        if (!isfinite(g[i]) || fp >= 1e99 || fm >= 1e99)
            g[i] = 0;
    }
    if (tick(j->t, -1))
        return tick_fail(err);
    return 0;
}

int
arima_fit(const struct arima_spec *sp, const double *y, long long n, struct tick *t,
          struct arima_model **out, struct qerr *err)
{
    return arima_fit_x(sp, y, n, NULL, 0, t, out, err);
}

int
arima_fit_x(const struct arima_spec *sp, const double *y, long long n, const double *xr, int kx,
            struct tick *t, struct arima_model **out, struct qerr *err)
{
    *out = NULL;
    if (arima_check(sp, n - kx, err) < 0)
        return -1;
    if (kx < 0 || kx > ARIMA_MAX_X)
        return qerr_set(err, QE_ARG, "ARIMA takes at most %d regressors", ARIMA_MAX_X);
    for (long long i = 0; i < n; i++)
        if (!isfinite(y[i]))
            return qerr_set(err, QE_DATA, "value %lld of the series is not a finite number", i + 1);
    double b0[ARIMA_MAX_X], bs[ARIMA_MAX_X];
    double *w = mem_alloc((size_t)n, 2 * sizeof(double), "arima", "the differenced series", err);
    if (!w)
        return -1;
    double *resid = w + n;
    if (kx && arima_exog_start(sp, y, n, xr, kx, b0, bs, err) < 0) {
        free(w);
        return -1;
    }
    if (kx)
        arima_exog_resid(y, n, xr, kx, b0, resid);
    long long len = arima_difference(sp, kx ? resid : y, n, w);
    double mean = 0, var = 0;
    for (long long i = 0; i < len; i++)
        mean += w[i];
    mean /= (double)len;
    for (long long i = 0; i < len; i++)
        var += (w[i] - mean) * (w[i] - mean);
    var /= (double)len;
    double ms = var + (sp->constant ? 0 : mean * mean);
    if (!(var > 1e-20 * (mean * mean)) || !(var > 0)) {
        free(w);
        return qerr_set(err, QE_DATA, "the series is constant after %d difference%s and %d "
                        "seasonal one%s: nothing is left for ARIMA to model (model=naive or "
                        "drift forecasts it)", sp->d, sp->d == 1 ? "" : "s", sp->D,
                        sp->D == 1 ? "" : "s");
    }
    struct job j = {sp, y, n, ms, sqrt(var) > 0 ? sqrt(var) : 1, t, xr, kx, b0, bs, resid};
    int k = arima_n_par(sp);
    double x[ARIMA_MAX_PAR + ARIMA_MAX_X] = {0}, par[ARIMA_MAX_PAR];
    int rc = -1;
    if (sp->constant)
        x[0] = mean / j.cscale;
    x[k - 1] = 1;
    struct lbfgs_opts o;
    lbfgs_opts_default(&o);
    o.max_iter = 200;
    o.gtol = 1e-7;
    o.ftol = 1e-12;
    struct lbfgs_result res = {0};
    struct arima_model *mo = NULL;
    struct ssm s = {0};
    if (objective(&j, x) >= 1e99) {
        qerr_set(err, QE_NUMERIC, "arima: no finite likelihood at the starting point");
        goto out;
    }
    for (int round = 0; round < 2; round++) {
        if (lbfgs_minimize((size_t)(k + kx), x, objective_grad, &j, &o, t, &res, err) < 0)
            goto out;
        /* restart from the optimum with the parameters mapped back and forth */
        to_par(&j, x, par);
        double x2[ARIMA_MAX_PAR];
        if (from_par(&j, par, x2) == 0)
            memcpy(x, x2, (size_t)k * sizeof(double));
    }
    mo = mem_calloc(1, sizeof(*mo), "arima", "a fitted model", err);
    if (!mo)
        goto out;
    mo->sp = *sp;
    if (!seasonal(sp))
        mo->sp.m = 0;
    mo->k_par = k;
    to_par(&j, x, mo->par);
    mo->kx = kx;
    to_beta(&j, x, k, mo->beta);
    if (kx)
        arima_exog_resid(y, n, xr, kx, mo->beta, resid);
    mo->n = n;
    mo->strength = NAN;
    mo->converged = res.stop == LBFGS_GTOL || res.stop == LBFGS_FTOL;
    if (ssm_build(&mo->sp, mo->par, &s, err) < 0)
        goto out;
    mo->k_states = s.k;
    mo->a = mem_alloc((size_t)s.k, sizeof(double), "arima", "the state", err);
    mo->P = mem_alloc((size_t)s.k * (size_t)s.k, sizeof(double), "arima", "the state", err);
    if (!mo->a || !mo->P ||
        kalman(&s, kx ? resid : y, n, s.kd, &mo->loglike, mo->a, mo->P, err) < 0)
        goto out;
    mo->n_eff = n - s.kd;
    int kt = k + kx;
    double den = (double)(mo->n_eff - kt - 1);
    mo->aicc = -2 * mo->loglike + 2 * kt + (den > 0 ? 2.0 * kt * (kt + 1) / den : INFINITY);
    *out = mo;
    mo = NULL;
    rc = 0;
out:
    ssm_release(&s);
    arima_free(mo);
    free(w);
    return rc;
}

void
arima_forecast(const struct arima_model *mo, int h, double level, double *mean, double *lower,
               double *upper)
{
    struct ssm s;
    struct qerr e = QERR_INIT;
    int k = mo->k_states;
    size_t kk = (size_t)k * k;
    double *a = malloc(2 * (size_t)k * sizeof(double)), *p = malloc(2 * kk * sizeof(double));
    int ok = a && p && ssm_build(&mo->sp, mo->par, &s, &e) == 0;
    qerr_clear(&e);
    double z = fc_norm_ppf(0.5 + level / 2);
    for (int i = 0; i < h; i++) {
        mean[i] = NAN;
        if (lower)
            lower[i] = NAN;
        if (upper)
            upper[i] = NAN;
    }
    if (ok) {
        memcpy(a, mo->a, (size_t)k * sizeof(double));
        memcpy(p, mo->P, kk * sizeof(double));
        for (int i = 0; i < h; i++) {
            double mu = 0, f = 0;
            for (int j = 0; j < s.n_z; j++)
                mu += a[s.zi[j]];
            for (int j = 0; j < s.n_z; j++)
                for (int l = 0; l < s.n_z; l++)
                    f += p[(size_t)s.zi[j] * k + s.zi[l]];
            mean[i] = mu;
            double sd = sqrt(fmax(f, 0));
            if (lower)
                lower[i] = mu - z * sd;
            if (upper)
                upper[i] = mu + z * sd;
            predict_mean(&s, a, a + k);
            predict_cov(&s, p, p + kk);
        }
        ssm_release(&s);
    }
    free(a);
    free(p);
}

void
arima_name(const struct arima_spec *sp, struct buf *out)
{
    buf_addf(out, "ARIMA(%d,%d,%d)", sp->p, sp->d, sp->q);
    if (seasonal(sp))
        buf_addf(out, "(%d,%d,%d)[%d]", sp->P, sp->D, sp->Q, sp->m);
    if (sp->constant)
        buf_addf(out, sp->d + sp->D == 0 ? " with constant" : " with drift");
}

void
arima_free(struct arima_model *mo)
{
    if (!mo)
        return;
    free(mo->a);
    free(mo->P);
    free(mo);
}
