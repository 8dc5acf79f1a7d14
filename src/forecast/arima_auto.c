/*
 * arima_auto.c: the stepwise AICc search of R's auto.arima (Hyndman and
 * Khandakar 2008, forecast 8.x with stepwise=TRUE) over arima_fit's exact
 * likelihood fits (arima.h): d from KPSS tests, D from the seasonal
 * strength of a classical decomposition (R's default seasonal.test="seas"
 * measures the strength on an STL decomposition; this uses the moving
 * average one statsmodels' seasonal_decompose makes, with R's threshold
 * 0.64), the four starting models, then +-1 moves in auto.arima's order.
 */
#include "forecast/arima.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

#include "base/banned.h"

double
arima_kpss(const double *x, long long n, int lags)
{
    double mean = 0, s = 0, eta = 0, s2 = 0;
    for (long long i = 0; i < n; i++)
        mean += x[i];
    mean /= (double)n;
    for (long long i = 0; i < n; i++) {
        s += x[i] - mean;
        eta += s * s;
        s2 += (x[i] - mean) * (x[i] - mean);
    }
    eta /= (double)n * (double)n;
    for (int l = 1; l <= lags && l < n; l++) {
        double c = 0;
        for (long long i = l; i < n; i++)
            c += (x[i] - mean) * (x[i - l] - mean);
        s2 += 2 * (1 - (double)l / (lags + 1)) * c;
    }
    s2 /= (double)n;
    return eta / s2;
}

static int
is_constant(const double *x, long long n)
{
    for (long long i = 1; i < n; i++)
        if (x[i] != x[0])
            return 0;
    return 1;
}

int
arima_ndiffs(const double *x, long long n)
{
    double *w = malloc((size_t)(n > 0 ? n : 1) * sizeof(double));
    if (!w)
        return 0;
    memcpy(w, x, (size_t)n * sizeof(double));
    int d = 0;
    while (d < 2 && n > 2 && !is_constant(w, n)) {
        if (arima_kpss(w, n, (int)(3 * sqrt((double)n) / 13)) <= 0.463)
            break;
        for (long long i = 1; i < n; i++)
            w[i - 1] = w[i] - w[i - 1];
        n--;
        d++;
    }
    free(w);
    return d;
}

double
arima_seasonal_strength(const double *y, long long n, int m)
{
    if (m < 2 || n < 2 * (long long)m)
        return NAN;
    double *tr = malloc((size_t)n * 2 * sizeof(double));
    double *avg = calloc((size_t)m, sizeof(double));
    long long *cnt = calloc((size_t)m, sizeof(long long));
    double res = NAN;
    if (!tr || !avg || !cnt)
        goto out;
    double *de = tr + n;
    int half = m / 2;
    for (long long i = 0; i < n; i++) {
        tr[i] = NAN;
        if (i < half || i + half >= n)
            continue;
        double s = 0;
        if (m % 2 == 0) {
            s = 0.5 * (y[i - half] + y[i + half]);
            for (int j = -half + 1; j < half; j++)
                s += y[i + j];
        } else {
            for (int j = -half; j <= half; j++)
                s += y[i + j];
        }
        tr[i] = s / m;
    }
    for (long long i = 0; i < n; i++) {
        de[i] = y[i] - tr[i];
        if (!isnan(de[i])) {
            avg[i % m] += de[i];
            cnt[i % m]++;
        }
    }
    double am = 0;
    for (int j = 0; j < m; j++) {
        avg[j] = cnt[j] ? avg[j] / (double)cnt[j] : 0;
        am += avg[j];
    }
    am /= m;
    /* variances of the remainder and of season + remainder (ddof cancels) */
    double sr = 0, ssr = 0, s1 = 0, ss1 = 0;
    long long k = 0;
    for (long long i = 0; i < n; i++) {
        if (isnan(de[i]))
            continue;
        double season = avg[i % m] - am, rem = de[i] - season;
        sr += rem;
        ssr += rem * rem;
        s1 += de[i];
        ss1 += de[i] * de[i];
        k++;
    }
    double vr = ssr - sr * sr / (double)k, v1 = ss1 - s1 * s1 / (double)k;
    res = v1 > 0 ? fmax(0, 1 - vr / v1) : 0;
out:
    free(tr);
    free(avg);
    free(cnt);
    return res;
}

/* Whether every root of 1 - sum a[i] z^(i+1) lies outside radius (a step-down test). */
static int
roots_outside(const double *a, int n, double radius)
{
    while (n > 0 && fabs(a[n - 1]) <= 1e-8)
        n--;
    if (n == 0)
        return 1;
    double *b = malloc((size_t)n * 2 * sizeof(double));
    if (!b)
        return 0;
    double *b2 = b + n, sc = 1;
    for (int i = 0; i < n; i++) {
        sc *= radius;
        b[i] = a[i] * sc;
    }
    int ok = 1;
    for (int len = n; len > 0 && ok; len--) {
        double r = b[len - 1];
        if (!(fabs(r) < 1)) {
            ok = 0;
            break;
        }
        for (int i = 0; i + 1 < len; i++)
            b2[i] = (b[i] + r * b[len - 2 - i]) / (1 - r * r);
        memcpy(b, b2, (size_t)(len > 1 ? len - 1 : 0) * sizeof(double));
    }
    free(b);
    return ok;
}

/* R's myarima test: no AR or MA root of the full polynomials within 1.01. */
static int
roots_ok(const struct arima_model *mo)
{
    const struct arima_spec *sp = &mo->sp;
    int m = sp->m, np = sp->p + m * sp->P, nq = sp->q + m * sp->Q;
    double *phi = calloc((size_t)np + 1, sizeof(double)),
           *th = calloc((size_t)nq + 1, sizeof(double));
    int ok = 0;
    if (!phi || !th)
        goto out;
    const double *ar = mo->par + sp->constant, *ma = ar + sp->p, *sar = ma + sp->q,
                 *sma = sar + sp->P;
    for (int i = 0; i <= sp->p; i++)
        for (int j = 0; j <= sp->P; j++)
            if (i || j)
                phi[i + j * m - 1] -= (i ? -ar[i - 1] : 1) * (j ? -sar[j - 1] : 1);
    for (int i = 0; i <= sp->q; i++)
        for (int j = 0; j <= sp->Q; j++)
            if (i || j)
                th[i + j * m - 1] -= (i ? ma[i - 1] : 1) * (j ? sma[j - 1] : 1);
    ok = roots_outside(phi, np, 1.01) && roots_outside(th, nq, 1.01);
out:
    free(phi);
    free(th);
    return ok;
}

#define MAX_MODELS 94

struct search {
    const double *y;
    long long n;
    struct tick *t;
    struct arima_spec base; /* d, D, m */
    struct arima_spec tried[MAX_MODELS];
    int n_tried;
    double best_ic;
    struct arima_model *best;
    const double *x; /* regressors, n x kx */
    int kx;
};

static int
tried(const struct search *s, int p, int q, int P, int Q, int c)
{
    for (int i = 0; i < s->n_tried; i++) {
        const struct arima_spec *x = &s->tried[i];
        if (x->p == p && x->q == q && x->P == P && x->Q == Q && x->constant == c)
            return 1;
    }
    return 0;
}

/*
 * Fit (p, q, P, Q, c) once: 1 when it beats the best so far, 0 when not
 * (or already tried, or it cannot be fitted), -1 on a cancel or no memory.
 */
static int
try_model(struct search *s, int p, int q, int P, int Q, int c, struct qerr *err)
{
    if (tried(s, p, q, P, Q, c) || s->n_tried >= MAX_MODELS)
        return 0;
    struct arima_spec sp = s->base;
    sp.p = p;
    sp.q = q;
    sp.P = P;
    sp.Q = Q;
    sp.constant = c;
    s->tried[s->n_tried++] = sp;
    struct arima_model *mo = NULL;
    struct qerr e = QERR_INIT;
    if (arima_fit_x(&sp, s->y, s->n, s->x, s->kx, s->t, &mo, &e) < 0) {
        int fatal = e.code == QE_INTERRUPT || e.code == QE_NOMEM;
        if (fatal) {
            qerr_set(err, e.code, "%s", e.msg ? e.msg : "arima search stopped");
            qerr_clear(&e);
            return -1;
        }
        qerr_clear(&e);
        return 0;
    }
    double ic = roots_ok(mo) ? mo->aicc : INFINITY;
    if (ic < s->best_ic) {
        arima_free(s->best);
        s->best = mo;
        s->best_ic = ic;
        return 1;
    }
    arima_free(mo);
    return 0;
}

int
arima_auto(const double *y, long long n, int m, struct tick *t, struct arima_model **out,
           struct qerr *err)
{
    return arima_auto_x(y, n, NULL, 0, m, t, out, err);
}

int
arima_auto_x(const double *y, long long n, const double *x, int kx, int m, struct tick *t,
             struct arima_model **out, struct qerr *err)
{
    *out = NULL;
    for (long long i = 0; i < n; i++)
        if (!isfinite(y[i]))
            return qerr_set(err, QE_DATA, "value %lld of the series is not a finite number", i + 1);
    if (n < 4)
        return qerr_set(err, QE_DATA, "the series has %lld value%s: too few for ARIMA", n,
                        n == 1 ? "" : "s");
    if (is_constant(y, n))
        return qerr_set(err, QE_DATA, "the series is constant (every value is %g): ARIMA has "
                        "nothing to model (model=naive forecasts it)", y[0]);
    struct search *s = mem_calloc(1, sizeof(*s), "arima", "the search", err);
    if (!s)
        return -1;
    double *w = mem_alloc((size_t)n, 2 * sizeof(double), "arima", "the search", err);
    double b0[ARIMA_MAX_X], bs[ARIMA_MAX_X];
    struct arima_spec none = {0};
    if (!w || (kx && arima_exog_start(&none, y, n, x, kx, b0, bs, err) < 0)) {
        free(w);
        free(s);
        return -1;
    }
    s->y = y;
    s->n = n;
    s->t = t;
    s->x = x;
    s->kx = kx;
    s->best_ic = INFINITY;
    if (kx) { /* the orders are chosen on the residuals of the regression, as auto.arima */
        arima_exog_resid(y, n, x, kx, b0, w + n);
        y = w + n;
    }
    double strength = m >= 2 ? arima_seasonal_strength(y, n, m) : NAN;
    int seas = m >= 2 && !isnan(strength);
    int D = seas && strength > 0.64;
    long long len = n;
    memcpy(w, y, (size_t)n * sizeof(double));
    if (D) {
        for (long long i = m; i < n; i++)
            w[i - m] = y[i] - y[i - m];
        len = n - m;
    }
    int d = arima_ndiffs(w, len);
    free(w);
    s->base = (struct arima_spec){.d = d, .D = D, .m = seas ? m : 0};
    int maxp = 5, maxq = 5, maxP = seas ? 2 : 0, maxQ = seas ? 2 : 0;
    int c = d + D <= 1, allow = c;
    int p = 2, q = 2, P = seas, Q = seas, rc = 0;
    /* the starting models, each taken when it improves */
    if ((rc = try_model(s, 2, 2, P, Q, c, err)) < 0)
        goto out;
    if ((rc = try_model(s, 0, 0, 0, 0, c, err)) < 0)
        goto out;
    if (rc)
        p = q = P = Q = 0;
    if ((rc = try_model(s, 1, 0, seas, 0, c, err)) < 0)
        goto out;
    if (rc) {
        p = 1, q = 0, P = seas, Q = 0;
    }
    if ((rc = try_model(s, 0, 1, 0, seas, c, err)) < 0)
        goto out;
    if (rc) {
        p = 0, q = 1, P = 0, Q = seas;
    }
    if (c) {
        if ((rc = try_model(s, 0, 0, 0, 0, 0, err)) < 0)
            goto out;
        if (rc) {
            p = q = P = Q = 0;
            c = 0;
        }
    }
    static const int moves[16][4] = {
        {0, 0, -1, 0}, {0, 0, 0, -1}, {0, 0, 1, 0}, {0, 0, 0, 1}, {0, 0, -1, -1},
        {0, 0, -1, 1}, {0, 0, 1, -1}, {0, 0, 1, 1}, {-1, 0, 0, 0}, {0, -1, 0, 0},
        {1, 0, 0, 0}, {0, 1, 0, 0}, {-1, -1, 0, 0}, {-1, 1, 0, 0}, {1, -1, 0, 0}, {1, 1, 0, 0},
    };
    int improved = 1;
    while (improved && s->n_tried < MAX_MODELS) {
        improved = 0;
        for (int i = 0; i < 16 && !improved; i++) {
            int np = p + moves[i][0], nq = q + moves[i][1], nP = P + moves[i][2],
                nQ = Q + moves[i][3];
            if (np < 0 || np > maxp || nq < 0 || nq > maxq || nP < 0 || nP > maxP || nQ < 0 ||
                nQ > maxQ)
                continue;
            if ((rc = try_model(s, np, nq, nP, nQ, c, err)) < 0)
                goto out;
            if (rc) {
                p = np, q = nq, P = nP, Q = nQ;
                improved = 1;
            }
        }
        if (!improved && allow) {
            if ((rc = try_model(s, p, q, P, Q, !c, err)) < 0)
                goto out;
            if (rc) {
                c = !c;
                improved = 1;
            }
        }
    }
    rc = 0;
out:
    if (rc == 0 && !s->best)
        rc = qerr_set(err, QE_NUMERIC, "no ARIMA model could be fitted to the series "
                      "(%d tried)", s->n_tried);
    if (rc == 0) {
        s->best->searched = 1;
        s->best->n_models = s->n_tried;
        s->best->strength = strength;
        *out = s->best;
        s->best = NULL;
    }
    arima_free(s->best);
    free(s);
    return rc < 0 ? -1 : 0;
}
