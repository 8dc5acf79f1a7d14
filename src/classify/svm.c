/*
 * svm.c: the linear SVM (svm.h): LIBLINEAR's dual coordinate descent for
 * the L2-regularised hinge loss (solve_l2r_l1l2_svc with L1LOSS, Hsieh,
 * Chang, Lin, Keerthi and Sundararajan, "A dual coordinate descent method
 * for large-scale linear SVM", ICML 2008), one machine per class past
 * two, probabilities, the stored state and `show`.
 *
 * The dual: min over 0 <= alpha_i <= c of 0.5 a'Qa - sum a_i, with
 * Q_ij = y_i y_j z_i.z_j and z_i the standardised row with a constant 1
 * appended (the bias); w = sum_i alpha_i y_i z_i is kept up to date so a
 * coordinate's gradient, G = y_i w.z_i - 1, costs one dot product.
 */
#include "classify/svm.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/rng.h"

#include "base/banned.h"

const struct store_kind svm_kind = { "svm", 0, 1, 1 };

struct svm {
    int nclass, p, nw;
    double *coef;   /* nw x p, the data's units */
    double *icpt;   /* nw */
    double *mean;   /* p: the standardisation */
    double *scale;  /* p */
    double c, tol;
    int max_iter, iter, converged;
};

void
svm_status(const void *model, int *iter, int *converged)
{
    const struct svm *m = model;
    *iter = m->iter;
    *converged = m->converged;
}

void
svm_coef(const void *model, int *nw, const double **coef, const double **intercept)
{
    const struct svm *m = model;
    *nw = m->nw;
    *coef = m->coef;
    *intercept = m->icpt;
}

void
svm_scores(const void *model, const double *row, double *scores)
{
    const struct svm *m = model;
    for (int k = 0; k < m->nw; k++) {
        double s = m->icpt[k];
        const double *w = m->coef + (size_t)k * m->p;
        for (int j = 0; j < m->p; j++)
            s += w[j] * row[j];
        scores[k] = s;
    }
}

static void
svm_release(void *model)
{
    struct svm *m = model;
    if (!m)
        return;
    free(m->coef);
    free(m->icpt);
    free(m->mean);
    free(m->scale);
    free(m);
}

/*
 * One machine: rows of class pos are +1, the others -1. z is n x (p + 1)
 * (the constant last), qd the squared norms, w (p + 1) the result.
 * *iter passes; returns 1 when it converged, 0 when not, -1 on cancel.
 */
static int
solve(const double *z, const double *qd, const int *y, size_t n, int np, int pos,
      double c, double eps, int max_iter, struct rng *rng, size_t *index, double *alpha,
      double *w, int *iter, struct tick *t)
{
    double pgmax_old = INFINITY, pgmin_old = -INFINITY;
    size_t active = n;
    memset(w, 0, sizeof(double) * (size_t)np);
    for (size_t i = 0; i < n; i++) {
        alpha[i] = 0;
        index[i] = i;
    }
    *iter = 0;
    while (*iter < max_iter) {
        if (tick(t, -1.0))
            return -1;
        double pgmax_new = -INFINITY, pgmin_new = INFINITY;
        for (size_t i = 0; i < active; i++) {
            size_t j = i + (size_t)rng_below(rng, active - i);
            size_t tmp = index[i];
            index[i] = index[j];
            index[j] = tmp;
        }
        for (size_t s = 0; s < active; s++) {
            size_t i = index[s];
            double yi = y[i] == pos ? 1.0 : -1.0;
            const double *zi = z + i * (size_t)np;
            double g = 0;
            for (int j = 0; j < np; j++)
                g += w[j] * zi[j];
            g = yi * g - 1.0;
            double pg = 0;
            if (alpha[i] == 0) {
                if (g > pgmax_old) {
                    active--;
                    index[s] = index[active];
                    index[active] = i;
                    s--;
                    continue;
                } else if (g < 0) {
                    pg = g;
                }
            } else if (alpha[i] == c) {
                if (g < pgmin_old) {
                    active--;
                    index[s] = index[active];
                    index[active] = i;
                    s--;
                    continue;
                } else if (g > 0) {
                    pg = g;
                }
            } else {
                pg = g;
            }
            pgmax_new = fmax(pgmax_new, pg);
            pgmin_new = fmin(pgmin_new, pg);
            if (fabs(pg) > 1.0e-12) {
                double old = alpha[i];
                alpha[i] = fmin(fmax(alpha[i] - g / qd[i], 0.0), c);
                double dlt = (alpha[i] - old) * yi;
                for (int j = 0; j < np; j++)
                    w[j] += dlt * zi[j];
            }
        }
        (*iter)++;
        if (pgmax_new - pgmin_new <= eps) {
            if (active == n)
                return 1;
            active = n; /* check every row once more before stopping */
            pgmax_old = INFINITY;
            pgmin_old = -INFINITY;
            continue;
        }
        pgmax_old = pgmax_new <= 0 ? INFINITY : pgmax_new;
        pgmin_old = pgmin_new >= 0 ? -INFINITY : pgmin_new;
    }
    return 0;
}

static int
svm_fit(const struct cls_data *d, const struct cls_opts *o, struct tick *t, void **model,
        struct qerr *err)
{
    int rc = -1;
    struct svm *m = NULL;
    double *z = NULL, *qd = NULL, *alpha = NULL, *w = NULL;
    size_t *index = NULL;
    *model = NULL;
    if (d->n == 0)
        return qerr_set(err, QE_ARG, "svm needs at least one training row");
    if (d->nclass < 1)
        return qerr_set(err, QE_ARG, "svm needs at least one class");
    if (!(o->c > 0) || !isfinite(o->c))
        return qerr_set(err, QE_ARG, "c must be a positive number, not %g", o->c);
    if (!(o->tol > 0))
        return qerr_set(err, QE_ARG, "tol must be a positive number, not %g", o->tol);
    size_t n = d->n;
    int p = (int)d->p, np = p + 1;
    m = xcalloc(1, sizeof *m);
    m->nclass = d->nclass;
    m->p = p;
    m->nw = d->nclass == 1 ? 0 : d->nclass == 2 ? 1 : d->nclass;
    m->c = o->c;
    m->tol = o->tol;
    m->max_iter = o->max_iter > 0 ? o->max_iter : 1000;
    int nw = m->nw;
    m->coef = mem_calloc(mem_mul((size_t)nw, (size_t)p), sizeof(double), "svm", "coefficients",
                         err);
    m->icpt = mem_calloc((size_t)nw, sizeof(double), "svm", "intercepts", err);
    m->mean = mem_calloc((size_t)p, sizeof(double), "svm", "feature means", err);
    m->scale = mem_calloc((size_t)p, sizeof(double), "svm", "feature scales", err);
    if (!m->coef || !m->icpt || !m->mean || !m->scale)
        goto out;
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
    m->converged = 1;
    if (nw == 0)
        goto done;
    z = mem_alloc(mem_mul(n, (size_t)np), sizeof(double), "svm", "standardised values", err);
    qd = mem_alloc(n, sizeof(double), "svm", "row norms", err);
    alpha = mem_alloc(n, sizeof(double), "svm", "dual variables", err);
    index = mem_alloc(n, sizeof(size_t), "svm", "row indices", err);
    w = mem_alloc((size_t)np, sizeof(double), "svm", "weights", err);
    if (!z || !qd || !alpha || !index || !w)
        goto out;
    for (size_t i = 0; i < n; i++) {
        double *zi = z + i * (size_t)np, s = 0;
        for (int j = 0; j < p; j++) {
            zi[j] = (d->x[i * (size_t)p + j] - m->mean[j]) / m->scale[j];
            s += zi[j] * zi[j];
        }
        zi[p] = 1.0;
        qd[i] = s + 1.0;
    }
    struct rng rng;
    rng_init(&rng, o->seed);
    for (int k = 0; k < nw; k++) {
        int it = 0, pos = nw == 1 ? 1 : k;
        int conv = solve(z, qd, d->y, n, np, pos, o->c, o->tol, m->max_iter, &rng, index,
                         alpha, w, &it, t);
        if (conv < 0) {
            tick_fail(err);
            goto out;
        }
        m->converged &= conv;
        m->iter = it > m->iter ? it : m->iter;
        double b = w[p];
        for (int j = 0; j < p; j++) {
            double beta = w[j] / m->scale[j];
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
    svm_release(m);
    free(z);
    free(qd);
    free(alpha);
    free(index);
    free(w);
    return rc;
}

static int
svm_proba(const void *model, const struct cls_data *d, double *out, struct qerr *err)
{
    const struct svm *m = model;
    int K = m->nclass, p = m->p;
    if ((int)d->p != p)
        return qerr_set(err, QE_ARG, "the model was fitted on %d features, not %zu", p, d->p);
    double *s = xmalloc(sizeof(double) * (size_t)(m->nw + 1));
    for (size_t i = 0; i < d->n; i++) {
        double *o = out + i * (size_t)K;
        if (m->nw == 0) {
            o[0] = 1.0;
            continue;
        }
        svm_scores(m, d->x + i * (size_t)p, s);
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
    free(s);
    return 0;
}

static int
svm_save(const void *model, struct buf *b, struct qerr *err)
{
    const struct svm *m = model;
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
svm_load(struct store_reader *r, void **model, struct qerr *err)
{
    struct svm *m = xcalloc(1, sizeof *m);
    int64_t nclass, p, nw, max_iter = 0, iter = 0, conv = 0;
    *model = NULL;
    if (store_read_count(r, 0, INT32_MAX, &nclass, err) < 0 ||
        store_read_count(r, 16, INT32_MAX, &p, err) < 0 ||
        store_read_count(r, 8, INT32_MAX, &nw, err) < 0)
        goto fail;
    if (nclass < 1 || nw != (nclass == 1 ? 0 : nclass == 2 ? 1 : nclass)) {
        store_read_fail(r, err, "%lld machines do not fit %lld classes", (long long)nw,
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
        store_read_fail(r, err, "its pass count %lld of %lld is impossible", (long long)iter,
                        (long long)max_iter);
        goto fail;
    }
    m->max_iter = (int)max_iter;
    m->iter = (int)iter;
    m->converged = (int)conv;
    *model = m;
    return 0;
fail:
    svm_release(m);
    return -1;
}

static int
svm_show(const void *model, const char *const *names, struct buf *out, struct qerr *err)
{
    const struct svm *m = model;
    buf_addf(out, "linear SVM, hinge loss, c=%g (%s, %d class%s)\n", m->c,
             m->nw == 1 ? "binary" : m->nw == 0 ? "one class" : "one-vs-rest", m->nclass,
             m->nclass == 1 ? "" : "es");
    if (m->nw == 0) {
        buf_adds(out, "one class: every row is predicted as it\n");
        return 0;
    }
    buf_addf(out, "dual coordinate descent %s in %d pass%s (tol %g, max_iter %d)\n",
             m->converged ? "converged" : "did not converge", m->iter,
             m->iter == 1 ? "" : "es", m->tol, m->max_iter);
    buf_adds(out, "features standardised inside the fit; coefficients in the data's units\n");
    buf_adds(out, "probabilities: ");
    buf_adds(out, m->nw == 1 ? "1 / (1 + exp(-score)) of class 1 (a monotone map, "
                               "not calibrated)\n"
                             : "softmax of the per-class scores (a monotone map, "
                               "not calibrated)\n");
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
        size_t at = out->len;
        if (names && names[j])
            buf_adds(out, names[j]);
        else
            buf_addf(out, "x%d", j + 1);
        while (out->len < at + 16)
            buf_addc(out, ' ');
        buf_addc(out, ' ');
        for (int k = 0; k < m->nw; k++)
            buf_addf(out, "%14.6g", m->coef[(size_t)k * m->p + j]);
        buf_addc(out, '\n');
    }
    (void)err;
    return 0;
}

/*
 * One row's scores in the units the machine was fitted in: each feature
 * standardised, z_j = (x_j - mean_j) / sd_j, times its weight there, w_j
 * sd_j (the data-unit coefficient times the sd), plus the bias b +
 * sum_j coef_j mean_j; then the decision.
 */
static void
svm_trace(const void *model, const double *row, const char *const *names, struct buf *out)
{
    const struct svm *m = model;
    if (m->nw == 0) {
        buf_adds(out, "one class: every row is predicted as it\n");
        return;
    }
    double *score = xmalloc((size_t)m->nw * sizeof *score);
    buf_adds(out, "standardised: z = (x - mean) / sd, each feature as in the fit\n");
    for (int k = 0; k < m->nw; k++) {
        const double *w = m->coef + (size_t)k * m->p;
        double bias = m->icpt[k];
        for (int j = 0; j < m->p; j++)
            bias += w[j] * m->mean[j];
        if (m->nw == 1)
            buf_adds(out, "score of class 1 against class 0:\n");
        else
            buf_addf(out, "score of class %d against the rest:\n", k);
        buf_addf(out, "  %-18s%12s%12s%12s%12s%12s%14s\n", "feature", "x", "mean", "sd", "z",
                 "weight", "weight x z");
        double s = bias;
        for (int j = 0; j < m->p; j++) {
            double z = (row[j] - m->mean[j]) / m->scale[j], wz = w[j] * m->scale[j];
            s += wz * z;
            size_t at = out->len;
            buf_adds(out, "  ");
            if (names && names[j])
                buf_adds(out, names[j]);
            else
                buf_addf(out, "x%d", j + 1);
            size_t len = out->len - at;
            buf_addn(out, ' ', len < 20 ? 20 - len : 1);
            buf_addf(out, "%12.6g%12.6g%12.6g%12.6g%12.6g%14.8g\n", row[j], m->mean[j],
                     m->scale[j], z, wz, wz * z);
        }
        buf_addf(out, "  bias %.6g\n  score %.6g\n", bias, s);
        score[k] = s;
    }
    if (m->nw == 1) {
        buf_addf(out, "decision: score %s 0, so class %d; P(class 1) = 1 / (1 + exp(-score))\n",
                 score[0] > 0 ? ">" : "<=", score[0] > 0 ? 1 : 0);
    } else {
        int best = 0;
        for (int k = 1; k < m->nw; k++)
            best = score[k] > score[best] ? k : best;
        buf_addf(out, "decision: the largest score, class %d; P(class k) = exp(score k) / sum "
                      "of exp(scores)\n", best);
    }
    free(score);
}

const struct cls_method cls_svm = {
    .name = "svm",
    .kind = &svm_kind,
    .takes_missing = 0,
    .takes_categorical = 0,
    .fit = svm_fit,
    .proba = svm_proba,
    .save = svm_save,
    .load = svm_load,
    .show = svm_show,
    .release = svm_release,
    .trace = svm_trace,
};
