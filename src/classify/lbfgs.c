/*
 * lbfgs.c: limited-memory BFGS with the More-Thuente line search, as
 * SciPy's L-BFGS-B runs without bounds (lbfgs.h says what it follows).
 *
 * The line search is MINPACK-2's dcsrch and dcstep (More and Thuente,
 * "Line search algorithms with guaranteed sufficient decrease", ACM TOMS
 * 20, 1994), written as a loop that calls the objective itself.
 */
#include "classify/lbfgs.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

#include "base/banned.h"

void
lbfgs_opts_default(struct lbfgs_opts *o)
{
    o->m = 10;
    o->max_iter = 100;
    o->maxls = 20;
    o->gtol = 1e-5;
    o->ftol = 1e7 * DBL_EPSILON;
}

static double
max3(double a, double b, double c)
{
    return fmax(a, fmax(b, c));
}

/*
 * dcstep: a safeguarded step for the line search from the interval
 * [stx, sty] (values fx, fy and derivatives dx, dy) and the trial stp
 * (fp, dp); updates the interval and *stp.
 */
static void
dcstep(double *stx, double *fx, double *dx, double *sty, double *fy, double *dy, double *stp,
       double fp, double dp, int *brackt, double stpmin, double stpmax)
{
    double sgnd = dp * (*dx / fabs(*dx));
    double stpf, stpc, stpq, theta, s, gamma, p, q, r;

    if (fp > *fx) {
        theta = 3.0 * (*fx - fp) / (*stp - *stx) + *dx + dp;
        s = max3(fabs(theta), fabs(*dx), fabs(dp));
        gamma = s * sqrt((theta / s) * (theta / s) - (*dx / s) * (dp / s));
        if (*stp < *stx)
            gamma = -gamma;
        p = (gamma - *dx) + theta;
        q = ((gamma - *dx) + gamma) + dp;
        r = p / q;
        stpc = *stx + r * (*stp - *stx);
        stpq = *stx + ((*dx / ((*fx - fp) / (*stp - *stx) + *dx)) / 2.0) * (*stp - *stx);
        if (fabs(stpc - *stx) < fabs(stpq - *stx))
            stpf = stpc;
        else
            stpf = stpc + (stpq - stpc) / 2.0;
        *brackt = 1;
    } else if (sgnd < 0.0) {
        theta = 3.0 * (*fx - fp) / (*stp - *stx) + *dx + dp;
        s = max3(fabs(theta), fabs(*dx), fabs(dp));
        gamma = s * sqrt((theta / s) * (theta / s) - (*dx / s) * (dp / s));
        if (*stp > *stx)
            gamma = -gamma;
        p = (gamma - dp) + theta;
        q = ((gamma - dp) + gamma) + *dx;
        r = p / q;
        stpc = *stp + r * (*stx - *stp);
        stpq = *stp + (dp / (dp - *dx)) * (*stx - *stp);
        if (fabs(stpc - *stp) > fabs(stpq - *stp))
            stpf = stpc;
        else
            stpf = stpq;
        *brackt = 1;
    } else if (fabs(dp) < fabs(*dx)) {
        theta = 3.0 * (*fx - fp) / (*stp - *stx) + *dx + dp;
        s = max3(fabs(theta), fabs(*dx), fabs(dp));
        gamma = s * sqrt(fmax(0.0, (theta / s) * (theta / s) - (*dx / s) * (dp / s)));
        if (*stp > *stx)
            gamma = -gamma;
        p = (gamma - dp) + theta;
        q = (gamma + (*dx - dp)) + gamma;
        r = p / q;
        if (r < 0.0 && gamma != 0.0)
            stpc = *stp + r * (*stx - *stp);
        else if (*stp > *stx)
            stpc = stpmax;
        else
            stpc = stpmin;
        stpq = *stp + (dp / (dp - *dx)) * (*stx - *stp);
        if (*brackt) {
            if (fabs(stpc - *stp) < fabs(stpq - *stp))
                stpf = stpc;
            else
                stpf = stpq;
            if (*stp > *stx)
                stpf = fmin(*stp + 0.66 * (*sty - *stp), stpf);
            else
                stpf = fmax(*stp + 0.66 * (*sty - *stp), stpf);
        } else {
            if (fabs(stpc - *stp) > fabs(stpq - *stp))
                stpf = stpc;
            else
                stpf = stpq;
            stpf = fmin(stpmax, stpf);
            stpf = fmax(stpmin, stpf);
        }
    } else {
        if (*brackt) {
            theta = 3.0 * (fp - *fy) / (*sty - *stp) + *dy + dp;
            s = max3(fabs(theta), fabs(*dy), fabs(dp));
            gamma = s * sqrt((theta / s) * (theta / s) - (*dy / s) * (dp / s));
            if (*stp > *sty)
                gamma = -gamma;
            p = (gamma - dp) + theta;
            q = ((gamma - dp) + gamma) + *dy;
            r = p / q;
            stpc = *stp + r * (*sty - *stp);
            stpf = stpc;
        } else if (*stp > *stx) {
            stpf = stpmax;
        } else {
            stpf = stpmin;
        }
    }
    if (fp > *fx) {
        *sty = *stp;
        *fy = fp;
        *dy = dp;
    } else {
        if (sgnd < 0.0) {
            *sty = *stx;
            *fy = *fx;
            *dy = *dx;
        }
        *stx = *stp;
        *fx = fp;
        *dx = dp;
    }
    *stp = stpf;
}

/* What a line search needs: the problem, the start point and direction, scratch. */
struct search {
    size_t n;
    lbfgs_fn fn;
    void *ctx;
    const double *x0, *d;
    double *x, *g; /* the trial point and its gradient */
    double f;      /* f at x */
    int nfev;
};

static double
dot(const double *a, const double *b, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

/* Evaluate at x0 + stp * d (x0 itself when stp == 0 is never asked). */
static int
search_eval(struct search *s, double stp, double *gd, struct qerr *err)
{
    for (size_t i = 0; i < s->n; i++)
        s->x[i] = stp == 1.0 ? s->x0[i] + s->d[i] : stp * s->d[i] + s->x0[i];
    if (s->fn(s->ctx, s->x, &s->f, s->g, err) < 0)
        return -1;
    s->nfev++;
    *gd = dot(s->g, s->d, s->n);
    return 0;
}

/*
 * dcsrch from f0 and gd0 (< 0) at step 0, first trial stp: 1 with s->x,
 * s->g, s->f at the accepted point; 0 when it failed (maxls trials, or a
 * value that is not finite); -1 on an error of fn.
 */
static int
line_search(struct search *s, double f0, double gd0, double stp, int maxls, double *step,
            struct qerr *err)
{
    const double ftol = 1e-3, gtol = 0.9, xtol = 0.1, stpmin = 0.0, stpmax = 1e10;
    const double xtrapl = 1.1, xtrapu = 4.0;
    int brackt = 0, stage = 1;
    double finit = f0, ginit = gd0, gtest = ftol * ginit;
    double width = stpmax - stpmin, width1 = width / 0.5;
    double stx = 0, fx = finit, gx = ginit, sty = 0, fy = finit, gy = ginit;
    double stmin = 0, stmax = stp + xtrapu * stp;

    for (int trial = 0; trial < maxls; trial++) {
        double f, g;
        if (search_eval(s, stp, &g, err) < 0)
            return -1;
        f = s->f;
        if (!isfinite(f) || !isfinite(g))
            return 0;
        double ftest = finit + stp * gtest;
        if (stage == 1 && f <= ftest && g >= 0.0)
            stage = 2;
        int warn = (brackt && (stp <= stmin || stp >= stmax)) ||
                   (brackt && stmax - stmin <= xtol * stmax) ||
                   (stp == stpmax && f <= ftest && g <= gtest) ||
                   (stp == stpmin && (f > ftest || g >= gtest));
        if (f <= ftest && fabs(g) <= gtol * (-ginit)) {
            *step = stp;
            return 1;
        }
        if (warn) {
            /* dcsrch's warnings end the search at this step, as L-BFGS-B takes it */
            *step = stp;
            return 1;
        }
        if (stage == 1 && f <= fx && f > ftest) {
            double fm = f - stp * gtest, fxm = fx - stx * gtest, fym = fy - sty * gtest;
            double gm = g - gtest, gxm = gx - gtest, gym = gy - gtest;
            dcstep(&stx, &fxm, &gxm, &sty, &fym, &gym, &stp, fm, gm, &brackt, stmin, stmax);
            fx = fxm + stx * gtest;
            fy = fym + sty * gtest;
            gx = gxm + gtest;
            gy = gym + gtest;
        } else {
            dcstep(&stx, &fx, &gx, &sty, &fy, &gy, &stp, f, g, &brackt, stmin, stmax);
        }
        if (brackt) {
            if (fabs(sty - stx) >= 0.66 * width1)
                stp = stx + 0.5 * (sty - stx);
            width1 = width;
            width = fabs(sty - stx);
            stmin = fmin(stx, sty);
            stmax = fmax(stx, sty);
        } else {
            stmin = stp + xtrapl * (stp - stx);
            stmax = stp + xtrapu * (stp - stx);
        }
        stp = fmax(stp, stpmin);
        stp = fmin(stp, stpmax);
        if ((brackt && (stp <= stmin || stp >= stmax)) ||
            (brackt && stmax - stmin <= xtol * stmax))
            stp = stx;
    }
    return 0;
}

int
lbfgs_minimize(size_t n, double *x, lbfgs_fn fn, void *ctx, const struct lbfgs_opts *o,
               struct tick *t, struct lbfgs_result *res, struct qerr *err)
{
    int rc = -1, m = o->m < 1 ? 1 : o->m;
    double *mem = NULL;
    memset(res, 0, sizeof *res);
    size_t need = mem_mul(n, (size_t)(2 * m + 5));
    mem = mem_alloc(need, sizeof(double), "lbfgs", "optimiser values", err);
    if (!mem)
        return -1;
    double *S = mem, *Y = S + (size_t)m * n, *g = Y + (size_t)m * n, *d = g + n;
    double *xt = d + n, *gt = xt + n, *x0 = gt + n;
    double rho[64], alpha[64]; /* m <= 64 */
    if (m > 64)
        m = 64;
    int col = 0, head = 0; /* pairs held, index of the oldest */
    double f;

    if (fn(ctx, x, &f, g, err) < 0)
        goto out;
    res->nfev = 1;
    if (!isfinite(f)) {
        qerr_set(err, QE_NUMERIC, "the objective is not finite at the start");
        goto out;
    }
    double gmax = 0;
    for (size_t i = 0; i < n; i++)
        gmax = fmax(gmax, fabs(g[i]));
    res->stop = LBFGS_MAXITER;
    if (gmax <= o->gtol) {
        res->stop = LBFGS_GTOL;
        goto done;
    }
    int restarted = 0;
    while (res->iter < o->max_iter) {
        if (tick(t, (double)res->iter / o->max_iter)) {
            tick_fail(err);
            goto out;
        }
        /* d = -H g, two loops over the pairs, newest first */
        for (size_t i = 0; i < n; i++)
            d[i] = -g[i];
        for (int k = col - 1; k >= 0; k--) {
            int j = (head + k) % m;
            alpha[j] = rho[j] * dot(S + (size_t)j * n, d, n);
            for (size_t i = 0; i < n; i++)
                d[i] -= alpha[j] * Y[(size_t)j * n + i];
        }
        if (col > 0) {
            int j = (head + col - 1) % m;
            const double *yj = Y + (size_t)j * n;
            double gamma = (1.0 / rho[j]) / dot(yj, yj, n);
            for (size_t i = 0; i < n; i++)
                d[i] *= gamma;
        }
        for (int k = 0; k < col; k++) {
            int j = (head + k) % m;
            double b = rho[j] * dot(Y + (size_t)j * n, d, n);
            for (size_t i = 0; i < n; i++)
                d[i] += S[(size_t)j * n + i] * (alpha[j] - b);
        }
        double gd = dot(g, d, n);
        double stp = 1.0, step = 0;
        if (res->iter == 0 && col == 0 && !restarted)
            stp = fmin(1.0 / sqrt(dot(d, d, n)), 1e10);
        int ok = 0;
        memcpy(x0, x, n * sizeof *x);
        struct search s = { n, fn, ctx, x0, d, xt, gt, 0, 0 };
        if (gd < 0) {
            ok = line_search(&s, f, gd, stp, o->maxls, &step, err);
            res->nfev += s.nfev;
            if (ok < 0)
                goto out;
        }
        if (!ok) {
            if (col == 0) { /* along -g already: nothing lowers f */
                res->stop = LBFGS_LINE;
                break;
            }
            col = 0; /* drop the memory, restart along -g */
            head = 0;
            restarted = 1;
            continue;
        }
        res->iter++;
        double fold = f, gdold = gd;
        double gdnew = dot(gt, d, n);
        /* the new pair, unless its curvature is not positive enough */
        double dr = (gdnew - gdold) * step, ddum = -gdold * step;
        int j = col < m ? (head + col) % m : head;
        if (dr > DBL_EPSILON * ddum) {
            double *sj = S + (size_t)j * n, *yj = Y + (size_t)j * n;
            for (size_t i = 0; i < n; i++) {
                sj[i] = xt[i] - x[i];
                yj[i] = gt[i] - g[i];
            }
            rho[j] = 1.0 / dot(sj, yj, n);
            if (col < m)
                col++;
            else
                head = (head + 1) % m;
        }
        memcpy(x, xt, n * sizeof *x);
        memcpy(g, gt, n * sizeof *g);
        f = s.f;
        gmax = 0;
        for (size_t i = 0; i < n; i++)
            gmax = fmax(gmax, fabs(g[i]));
        if (res->iter >= o->max_iter) {
            res->stop = LBFGS_MAXITER;
            break;
        }
        if (gmax <= o->gtol) {
            res->stop = LBFGS_GTOL;
            break;
        }
        if (fold - f <= o->ftol * max3(fabs(fold), fabs(f), 1.0)) {
            res->stop = LBFGS_FTOL;
            break;
        }
    }
done:
    res->f = f;
    res->gmax = gmax;
    rc = 0;
out:
    free(mem);
    return rc;
}
