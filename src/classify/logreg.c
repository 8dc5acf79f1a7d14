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
#include "classify/linear.h"

#include "base/banned.h"

#define CHUNK 8192
#define MAX_THREADS 64

const struct store_kind logreg_kind = { "logreg", 0, 1, 1 };

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
    struct linear *m = NULL;
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
    m = linear_new(d, o, 100, "logreg", err);
    if (!m)
        goto out;
    int nw = m->nw, np = p + 1;
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
    for (int k = 0; k < nw; k++)
        linear_set_weights(m, k, w + (size_t)k * np);
done:
    *model = m;
    m = NULL;
    rc = 0;
out:
    linear_release(m);
    free(z);
    free(w);
    free(pb.part);
    return rc;
}

/* --- state -------------------------------------------------------------------- */

static int
logreg_save(const void *model, struct buf *b, struct qerr *err)
{
    linear_save(model, b);
    (void)err;
    return 0;
}

static int
logreg_load(struct store_reader *r, void **model, struct qerr *err)
{
    struct linear *m = NULL;
    int rc = linear_load(r, 256, "score vectors", "iteration", &m, err);
    *model = m;
    return rc;
}

/* --- show --------------------------------------------------------------------- */

static int
logreg_show(const void *model, const char *const *names, struct buf *out, struct qerr *err)
{
    const struct linear *m = model;
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
    linear_show_table(m, names, out);
    (void)err;
    return 0;
}

/*
 * trace: each linear score as its terms, intercept + sum of coefficient x
 * value in the data's units (the model's internal standardisation is folded
 * into the coefficients, as show gives them); proba turns the scores into
 * probabilities (a logistic of the one score for two classes, a softmax
 * over the classes' scores for more).
 */
static void
logreg_trace(const void *model, const double *row, const char *const *names, struct buf *out)
{
    const struct linear *m = model;
    if (m->nw == 0) {
        buf_adds(out, "one class: its probability is 1\n");
        return;
    }
    for (int k = 0; k < m->nw; k++) {
        const double *w = m->coef + (size_t)k * m->p;
        double s = m->icpt[k];
        if (m->nw == 1)
            buf_adds(out, "score of class 1 against class 0 (logit):\n");
        else
            buf_addf(out, "score of class %d:\n", k);
        buf_addf(out, "  intercept %28.10g\n", m->icpt[k]);
        for (int j = 0; j < m->p; j++) {
            double t = w[j] * row[j];
            s += t;
            if (names && names[j])
                buf_addf(out, "  %-20s %12.6g x %12.6g = %.10g\n", names[j], w[j], row[j], t);
            else
                buf_addf(out, "  feature %-12d %12.6g x %12.6g = %.10g\n", j + 1, w[j], row[j], t);
        }
        buf_addf(out, "  sum %.10g\n", s);
    }
    if (m->nw == 1)
        buf_adds(out, "P(class 1) = 1 / (1 + exp(-score))\n");
    else
        buf_adds(out, "P(class k) = exp(score k) / sum over classes of exp(score)\n");
}

const struct cls_method cls_logreg = {
    .name = "logreg",
    .kind = &logreg_kind,
    .takes_missing = 0,
    .takes_categorical = 0,
    .fit = logreg_fit,
    .proba = linear_proba,
    .save = logreg_save,
    .load = logreg_load,
    .show = logreg_show,
    .release = linear_release,
    .trace = logreg_trace,
};
