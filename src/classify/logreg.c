/*
 * logreg.c: logistic regression (logreg.h): the objective and its
 * gradient over standardised rows, the fit by L-BFGS, probabilities,
 * the stored state and `show`.
 *
 * The objective is evaluated in fixed chunks of CHUNK rows, each with its
 * own partial loss and gradient, summed in chunk order: the threads take
 * chunks as they come, yet the sums (so the model's bits) are the same
 * for every thread count.
 */
#include "classify/logreg.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/mem.h"
#include "classify/lbfgs.h"

#include "base/banned.h"

#define CHUNK 8192
#define MAX_THREADS 64

const struct store_kind logreg_kind = { "logreg", 0, 1, 1 };

struct logreg {
    int nclass, p, nw;
    double *coef;   /* nw x p, the data's units */
    double *icpt;   /* nw */
    double *mean;   /* p: the standardisation */
    double *scale;  /* p */
    double c, tol;
    int max_iter, iter, converged;
};

void
logreg_status(const void *model, int *iter, int *converged)
{
    const struct logreg *m = model;
    *iter = m->iter;
    *converged = m->converged;
}

void
logreg_coef(const void *model, int *nw, const double **coef, const double **intercept)
{
    const struct logreg *m = model;
    *nw = m->nw;
    *coef = m->coef;
    *intercept = m->icpt;
}

void
logreg_scores(const void *model, const double *row, double *scores)
{
    const struct logreg *m = model;
    for (int k = 0; k < m->nw; k++) {
        double s = m->icpt[k];
        const double *w = m->coef + (size_t)k * m->p;
        for (int j = 0; j < m->p; j++)
            s += w[j] * row[j];
        scores[k] = s;
    }
}

static void
logreg_release(void *model)
{
    struct logreg *m = model;
    if (!m)
        return;
    free(m->coef);
    free(m->icpt);
    free(m->mean);
    free(m->scale);
    free(m);
}

/* --- the objective ---------------------------------------------------------- */

struct problem {
    const double *z;   /* n x p standardised */
    const int *y;
    size_t n;
    int p, nw;
    double inv_c;
    size_t nchunk;
    double *part;      /* nchunk x (1 + nw * (p + 1)): loss, then the gradient */
    const double *w;   /* the point being evaluated */
    atomic_size_t next;
    int threads;
};

static void
chunk_eval(struct problem *pb, size_t ch)
{
    int p = pb->p, nw = pb->nw, np = p + 1;
    double *out = pb->part + ch * (size_t)(1 + nw * np);
    double *g = out + 1, loss = 0;
    memset(out, 0, sizeof(double) * (size_t)(1 + nw * np));
    size_t lo = ch * CHUNK, hi = lo + CHUNK < pb->n ? lo + CHUNK : pb->n;
    const double *w = pb->w;
    if (nw == 1) {
        /*
         * 4 rows at a time: four independent dot products, and one update
         * of each gradient sum per 4 rows, so the additions overlap. The
         * loss's log(1 + e) terms are summed as the log of their product
         * over 16 rows (each factor in (1, 2], so the product stays under
         * 2^16): one log call per 16 rows instead of 16, which took a third
         * of the fit; the product's rounding (16 ulps at most) is far
         * below what the line search and the stopping tests can see.
         */
        size_t i = lo;
        double prod = 1.0;
        int in_prod = 0;
        for (; i + 4 <= hi; i += 4) {
            const double *z0 = pb->z + i * (size_t)p, *z1 = z0 + p, *z2 = z1 + p, *z3 = z2 + p;
            double r[4] = { w[p], w[p], w[p], w[p] }, res[4];
            for (int j = 0; j < p; j++) {
                r[0] += w[j] * z0[j];
                r[1] += w[j] * z1[j];
                r[2] += w[j] * z2[j];
                r[3] += w[j] * z3[j];
            }
            for (int a = 0; a < 4; a++) {
                double yi = pb->y[i + a] == 1 ? 1.0 : 0.0;
                double ex = exp(-fabs(r[a])), inv = 1.0 / (1.0 + ex);
                loss += (r[a] > 0 ? r[a] : 0.0) - yi * r[a];
                prod *= 1.0 + ex;
                res[a] = (r[a] > 0 ? inv : ex * inv) - yi;
            }
            if (++in_prod == 4) {
                loss += log(prod);
                prod = 1.0;
                in_prod = 0;
            }
            for (int j = 0; j < p; j++)
                g[j] += (res[0] * z0[j] + res[1] * z1[j]) + (res[2] * z2[j] + res[3] * z3[j]);
            g[p] += (res[0] + res[1]) + (res[2] + res[3]);
        }
        if (in_prod)
            loss += log(prod);
        for (; i < hi; i++) {
            const double *zi = pb->z + i * (size_t)p;
            double r = w[p];
            for (int j = 0; j < p; j++)
                r += w[j] * zi[j];
            double yi = pb->y[i] == 1 ? 1.0 : 0.0;
            /* one exp and one log: ex = exp(-|r|) serves both (log(1 + ex) is
             * within an ulp of 1 absolutely, all a sum of losses needs, and
             * costs half what log1p does) */
            double ex = exp(-fabs(r)), inv = 1.0 / (1.0 + ex);
            loss += (r > 0 ? r : 0.0) + log(1.0 + ex) - yi * r;
            double res = (r > 0 ? inv : ex * inv) - yi;
            for (int j = 0; j < p; j++)
                g[j] += res * zi[j];
            g[p] += res;
        }
    } else {
        double raw[256];
        for (size_t i = lo; i < hi; i++) {
            const double *zi = pb->z + i * (size_t)p;
            double mx = -INFINITY;
            for (int k = 0; k < nw; k++) {
                const double *wk = w + (size_t)k * np;
                double r = wk[p];
                for (int j = 0; j < p; j++)
                    r += wk[j] * zi[j];
                raw[k] = r;
                if (r > mx)
                    mx = r;
            }
            double sum = 0;
            for (int k = 0; k < nw; k++)
                sum += exp(raw[k] - mx);
            double lse = mx + log(sum);
            loss += lse - raw[pb->y[i]];
            for (int k = 0; k < nw; k++) {
                double res = exp(raw[k] - lse) - (pb->y[i] == k ? 1.0 : 0.0);
                double *gk = g + (size_t)k * np;
                for (int j = 0; j < p; j++)
                    gk[j] += res * zi[j];
                gk[p] += res;
            }
        }
    }
    out[0] = loss;
}

static void *
worker(void *arg)
{
    struct problem *pb = arg;
    for (;;) {
        size_t ch = atomic_fetch_add(&pb->next, 1);
        if (ch >= pb->nchunk)
            break;
        chunk_eval(pb, ch);
    }
    return NULL;
}

static int
objective(void *ctx, const double *w, double *f, double *g, struct qerr *err)
{
    struct problem *pb = ctx;
    int np = pb->p + 1, len = pb->nw * np;
    pb->w = w;
    atomic_store(&pb->next, 0);
    pthread_t th[MAX_THREADS];
    int started = 0;
    for (int t = 1; t < pb->threads; t++) {
        if (pthread_create(&th[started], NULL, worker, pb) != 0)
            break;
        started++;
    }
    worker(pb);
    for (int t = 0; t < started; t++)
        pthread_join(th[t], NULL);
    double loss = 0;
    memset(g, 0, sizeof(double) * (size_t)len);
    for (size_t ch = 0; ch < pb->nchunk; ch++) {
        const double *part = pb->part + ch * (size_t)(1 + len);
        loss += part[0];
        for (int e = 0; e < len; e++)
            g[e] += part[1 + e];
    }
    double pen = 0;
    for (int k = 0; k < pb->nw; k++)
        for (int j = 0; j < pb->p; j++) {
            double v = w[(size_t)k * np + j];
            pen += v * v;
            g[(size_t)k * np + j] += v * pb->inv_c;
        }
    *f = loss + 0.5 * pb->inv_c * pen;
    (void)err;
    return 0;
}

static int
thread_count(int asked)
{
    if (asked > 0)
        return asked < MAX_THREADS ? asked : MAX_THREADS;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n < MAX_THREADS ? (int)n : MAX_THREADS;
}

/* --- fit ---------------------------------------------------------------------- */

static int
logreg_fit(const struct cls_data *d, const struct cls_opts *o, struct tick *t, void **model,
           struct qerr *err)
{
    int rc = -1;
    struct logreg *m = NULL;
    double *z = NULL, *w = NULL;
    struct problem pb;
    memset(&pb, 0, sizeof pb);
    *model = NULL;
    if (d->n == 0)
        return qerr_set(err, QE_ARG, "logreg needs at least one training row");
    if (d->nclass < 1 || d->nclass > 256)
        return qerr_set(err, QE_ARG, "logreg takes 1 to 256 classes, not %d", d->nclass);
    if (!(o->c > 0) || !isfinite(o->c))
        return qerr_set(err, QE_ARG, "c must be a positive number, not %g", o->c);
    size_t n = d->n;
    int p = (int)d->p;
    m = xcalloc(1, sizeof *m);
    m->nclass = d->nclass;
    m->p = p;
    m->nw = d->nclass == 1 ? 0 : d->nclass == 2 ? 1 : d->nclass;
    m->c = o->c;
    m->tol = o->tol;
    m->max_iter = o->max_iter > 0 ? o->max_iter : 100;
    int nw = m->nw, np = p + 1;
    m->coef = mem_calloc(mem_mul((size_t)nw, (size_t)p), sizeof(double), "logreg",
                         "coefficients", err);
    m->icpt = mem_calloc((size_t)nw, sizeof(double), "logreg", "intercepts", err);
    m->mean = mem_calloc((size_t)p, sizeof(double), "logreg", "feature means", err);
    m->scale = mem_calloc((size_t)p, sizeof(double), "logreg", "feature scales", err);
    if (!m->coef || !m->icpt || !m->mean || !m->scale)
        goto out;
    /* standardise: mean, then the population sd from the deviations */
    for (size_t i = 0; i < n; i++)
        for (int j = 0; j < p; j++)
            m->mean[j] += d->x[i * (size_t)p + j];
    for (int j = 0; j < p; j++)
        m->mean[j] /= (double)n;
    for (size_t i = 0; i < n; i++)
        for (int j = 0; j < p; j++) {
            double v = d->x[i * (size_t)p + j] - m->mean[j];
            m->scale[j] += v * v;
        }
    for (int j = 0; j < p; j++) {
        m->scale[j] = sqrt(m->scale[j] / (double)n);
        if (!(m->scale[j] > 0) || !isfinite(m->scale[j]))
            m->scale[j] = 1.0;
    }
    if (nw == 0) {
        m->converged = 1;
        goto done;
    }
    z = mem_alloc(mem_mul(n, (size_t)p), sizeof(double), "logreg", "standardised values", err);
    if (!z)
        goto out;
    for (size_t i = 0; i < n; i++) {
        if (tick_row(t, (long long)i, (long long)n)) {
            tick_fail(err);
            goto out;
        }
        for (int j = 0; j < p; j++)
            z[i * (size_t)p + j] = (d->x[i * (size_t)p + j] - m->mean[j]) / m->scale[j];
    }
    pb.z = z;
    pb.y = d->y;
    pb.n = n;
    pb.p = p;
    pb.nw = nw;
    pb.inv_c = 1.0 / o->c;
    pb.nchunk = (n + CHUNK - 1) / CHUNK;
    pb.threads = thread_count(o->threads);
    if ((size_t)pb.threads > pb.nchunk)
        pb.threads = (int)pb.nchunk;
    pb.part = mem_alloc(mem_mul(pb.nchunk, (size_t)(1 + nw * np)), sizeof(double), "logreg",
                        "partial sums", err);
    w = mem_calloc(mem_mul((size_t)nw, (size_t)np), sizeof(double), "logreg", "coefficients",
                   err);
    if (!pb.part || !w)
        goto out;
    struct lbfgs_opts lo;
    lbfgs_opts_default(&lo);
    lo.max_iter = m->max_iter;
    lo.gtol = o->tol;
    struct lbfgs_result res;
    if (lbfgs_minimize((size_t)nw * np, w, objective, &pb, &lo, t, &res, err) < 0)
        goto out;
    m->iter = res.iter;
    m->converged = res.stop == LBFGS_GTOL || res.stop == LBFGS_FTOL;
    /* back to the data's units: w_j / s_j, and b - sum_j w_j m_j / s_j */
    for (int k = 0; k < nw; k++) {
        double b = w[(size_t)k * np + p];
        for (int j = 0; j < p; j++) {
            double beta = w[(size_t)k * np + j] / m->scale[j];
            m->coef[(size_t)k * p + j] = beta;
            b -= beta * m->mean[j];
        }
        m->icpt[k] = b;
    }
done:
    *model = m;
    m = NULL;
    rc = 0;
out:
    logreg_release(m);
    free(z);
    free(w);
    free(pb.part);
    return rc;
}

/* --- predict ------------------------------------------------------------------ */

static int
logreg_proba(const void *model, const struct cls_data *d, double *out, struct qerr *err)
{
    const struct logreg *m = model;
    int K = m->nclass, p = m->p;
    if ((int)d->p != p)
        return qerr_set(err, QE_ARG, "the model was fitted on %d features, not %zu", p, d->p);
    double s[256];
    for (size_t i = 0; i < d->n; i++) {
        double *o = out + i * (size_t)K;
        if (m->nw == 0) {
            o[0] = 1.0;
            continue;
        }
        logreg_scores(m, d->x + i * (size_t)p, s);
        if (m->nw == 1) {
            double p1 = 1.0 / (1.0 + exp(-s[0]));
            o[0] = 1.0 - p1;
            o[1] = p1;
            continue;
        }
        double mx = s[0], sum = 0;
        for (int k = 1; k < K; k++)
            mx = s[k] > mx ? s[k] : mx;
        for (int k = 0; k < K; k++) {
            o[k] = exp(s[k] - mx);
            sum += o[k];
        }
        for (int k = 0; k < K; k++)
            o[k] /= sum;
    }
    return 0;
}

/* --- state -------------------------------------------------------------------- */

static int
logreg_save(const void *model, struct buf *b, struct qerr *err)
{
    const struct logreg *m = model;
    store_add_i64(b, m->nclass);
    store_add_i64(b, m->p);
    store_add_i64(b, m->nw);
    store_add_f64s(b, m->coef, (size_t)m->nw * m->p);
    store_add_f64s(b, m->icpt, (size_t)m->nw);
    store_add_f64s(b, m->mean, (size_t)m->p);
    store_add_f64s(b, m->scale, (size_t)m->p);
    store_add_f64(b, m->c);
    store_add_f64(b, m->tol);
    store_add_i64(b, m->max_iter);
    store_add_i64(b, m->iter);
    store_add_i64(b, m->converged);
    (void)err;
    return 0;
}

static int
logreg_load(struct store_reader *r, void **model, struct qerr *err)
{
    struct logreg *m = xcalloc(1, sizeof *m);
    int64_t nclass, p, nw, max_iter = 0, iter = 0, conv = 0;
    *model = NULL;
    if (store_read_count(r, 0, 256, &nclass, err) < 0 ||
        store_read_count(r, 16, INT32_MAX, &p, err) < 0 ||
        store_read_count(r, 8, 256, &nw, err) < 0)
        goto fail;
    if (nclass < 1 || nw != (nclass == 1 ? 0 : nclass == 2 ? 1 : nclass)) {
        store_read_fail(r, err, "%lld score vectors do not fit %lld classes", (long long)nw,
                        (long long)nclass);
        goto fail;
    }
    if ((uint64_t)nw * (uint64_t)p > (r->len - r->pos) / 8) {
        store_read_fail(r, err, "%lld x %lld coefficients need more than the bytes left",
                        (long long)nw, (long long)p);
        goto fail;
    }
    m->nclass = (int)nclass;
    m->p = (int)p;
    m->nw = (int)nw;
    m->coef = xcalloc((size_t)(nw * p) + 1, sizeof(double));
    m->icpt = xcalloc((size_t)nw + 1, sizeof(double));
    m->mean = xcalloc((size_t)p + 1, sizeof(double));
    m->scale = xcalloc((size_t)p + 1, sizeof(double));
    if (store_read_f64s(r, m->coef, (size_t)(nw * p), err) < 0 ||
        store_read_f64s(r, m->icpt, (size_t)nw, err) < 0 ||
        store_read_f64s(r, m->mean, (size_t)p, err) < 0 ||
        store_read_f64s(r, m->scale, (size_t)p, err) < 0 ||
        store_read_f64(r, &m->c, err) < 0 || store_read_f64(r, &m->tol, err) < 0 ||
        store_read_i64(r, &max_iter, err) < 0 || store_read_i64(r, &iter, err) < 0 ||
        store_read_i64(r, &conv, err) < 0 || store_read_end(r, err) < 0)
        goto fail;
    if (max_iter < 1 || max_iter > INT32_MAX || iter < 0 || iter > max_iter ||
        (conv != 0 && conv != 1)) {
        store_read_fail(r, err, "its iteration count %lld of %lld is impossible",
                        (long long)iter, (long long)max_iter);
        goto fail;
    }
    m->max_iter = (int)max_iter;
    m->iter = (int)iter;
    m->converged = (int)conv;
    *model = m;
    return 0;
fail:
    logreg_release(m);
    return -1;
}

/* --- show --------------------------------------------------------------------- */

static void
add_name(struct buf *out, const char *const *names, int j)
{
    size_t at = out->len;
    if (names && names[j])
        buf_adds(out, names[j]);
    else
        buf_addf(out, "x%d", j + 1);
    while (out->len < at + 16)
        buf_addc(out, ' ');
    buf_addc(out, ' ');
}

static int
logreg_show(const void *model, const char *const *names, struct buf *out, struct qerr *err)
{
    const struct logreg *m = model;
    buf_addf(out, "logistic regression (%s, %d class%s), L2 penalty c=%g\n",
             m->nw == 1 ? "binary" : m->nw == 0 ? "one class" : "multinomial", m->nclass,
             m->nclass == 1 ? "" : "es", m->c);
    if (m->nw == 0) {
        buf_adds(out, "one class: every row is predicted as it\n");
        return 0;
    }
    buf_addf(out, "L-BFGS %s in %d iteration%s (tol %g, max_iter %d)\n",
             m->converged ? "converged" : "did not converge", m->iter, m->iter == 1 ? "" : "s",
             m->tol, m->max_iter);
    buf_adds(out, "features standardised inside the fit; coefficients in the data's units\n");
    if (m->nw == 1)
        buf_adds(out, "the score is the log-odds of class 1 against class 0\n");
    buf_addn(out, ' ', 17);
    for (int k = 0; k < m->nw; k++) {
        char head[32];
        snprintf(head, sizeof head, "class %d", m->nw == 1 ? 1 : k);
        buf_addf(out, "%14s", head);
    }
    buf_addc(out, '\n');
    buf_adds(out, "intercept        ");
    for (int k = 0; k < m->nw; k++)
        buf_addf(out, "%14.6g", m->icpt[k]);
    buf_addc(out, '\n');
    for (int j = 0; j < m->p; j++) {
        add_name(out, names, j);
        for (int k = 0; k < m->nw; k++)
            buf_addf(out, "%14.6g", m->coef[(size_t)k * m->p + j]);
        buf_addc(out, '\n');
    }
    (void)err;
    return 0;
}

const struct cls_method cls_logreg = {
    .name = "logreg",
    .kind = &logreg_kind,
    .takes_missing = 0,
    .takes_categorical = 0,
    .fit = logreg_fit,
    .proba = logreg_proba,
    .save = logreg_save,
    .load = logreg_load,
    .show = logreg_show,
    .release = logreg_release,
};
