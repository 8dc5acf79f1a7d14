/*
 * linear.c: the fitted linear model of logreg and svm (linear.h).
 */
#include "classify/linear.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/utf8.h"

#include "base/banned.h"

int
linear_nw(int nclass)
{
    return nclass == 1 ? 0 : nclass == 2 ? 1 : nclass;
}

void
linear_release(void *model)
{
    struct linear *m = model;
    if (!m)
        return;
    free(m->coef);
    free(m->icpt);
    free(m->mean);
    free(m->scale);
    free(m);
}

struct linear *
linear_new(const struct cls_data *d, const struct cls_opts *o, int def_iter, const char *who,
           struct qerr *err)
{
    size_t n = d->n;
    int p = (int)d->p;
    struct linear *m = xcalloc(1, sizeof *m);
    m->nclass = d->nclass;
    m->p = p;
    m->nw = linear_nw(d->nclass);
    m->c = o->c;
    m->tol = o->tol;
    m->max_iter = o->max_iter > 0 ? o->max_iter : def_iter;
    m->coef = mem_calloc(mem_mul((size_t)m->nw, (size_t)p), sizeof(double), who,
                         "coefficients", err);
    m->icpt = mem_calloc((size_t)m->nw, sizeof(double), who, "intercepts", err);
    m->mean = mem_calloc((size_t)p, sizeof(double), who, "feature means", err);
    m->scale = mem_calloc((size_t)p, sizeof(double), who, "feature scales", err);
    if (!m->coef || !m->icpt || !m->mean || !m->scale) {
        linear_release(m);
        return NULL;
    }
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
    return m;
}

void
linear_set_weights(struct linear *m, int k, const double *w)
{
    int p = m->p;
    double b = w[p];
    for (int j = 0; j < p; j++) {
        double beta = w[j] / m->scale[j];
        m->coef[(size_t)k * p + j] = beta;
        b -= beta * m->mean[j];
    }
    m->icpt[k] = b;
}

void
linear_status(const void *model, int *iter, int *converged)
{
    const struct linear *m = model;
    *iter = m->iter;
    *converged = m->converged;
}

void
linear_coef(const void *model, int *nw, const double **coef, const double **intercept)
{
    const struct linear *m = model;
    *nw = m->nw;
    *coef = m->coef;
    *intercept = m->icpt;
}

void
linear_scores(const void *model, const double *row, double *scores)
{
    const struct linear *m = model;
    for (int k = 0; k < m->nw; k++) {
        double s = m->icpt[k];
        const double *w = m->coef + (size_t)k * m->p;
        for (int j = 0; j < m->p; j++)
            s += w[j] * row[j];
        scores[k] = s;
    }
}

int
linear_proba(const void *model, const struct cls_data *d, double *out, struct qerr *err)
{
    const struct linear *m = model;
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
        linear_scores(m, d->x + i * (size_t)p, s);
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

void
linear_save(const struct linear *m, struct buf *b)
{
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
}

int
linear_load(struct store_reader *r, int max_class, const char *vectors, const char *steps,
            struct linear **out, struct qerr *err)
{
    struct linear *m = xcalloc(1, sizeof *m);
    int64_t nclass, p, nw, max_iter = 0, iter = 0, conv = 0;
    *out = NULL;
    if (store_read_count(r, 0, max_class, &nclass, err) < 0 ||
        store_read_count(r, 16, INT32_MAX, &p, err) < 0 ||
        store_read_count(r, 8, max_class, &nw, err) < 0)
        goto fail;
    if (nclass < 1 || nw != linear_nw((int)nclass)) {
        store_read_fail(r, err, "%lld %s do not fit %lld classes", (long long)nw, vectors,
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
        store_read_fail(r, err, "its %s count %lld of %lld is impossible", steps,
                        (long long)iter, (long long)max_iter);
        goto fail;
    }
    m->max_iter = (int)max_iter;
    m->iter = (int)iter;
    m->converged = (int)conv;
    *out = m;
    return 0;
fail:
    linear_release(m);
    return -1;
}

void
linear_show_table(const struct linear *m, const char *const *names, struct buf *out)
{
    /* the name column as wide as its longest name (16 at least), so the numbers align */
    int w = 16;
    for (int j = 0; names && j < m->p; j++)
        if (names[j] && utf8_width(names[j]) > w)
            w = utf8_width(names[j]);
    buf_addn(out, ' ', (size_t)w + 1);
    for (int k = 0; k < m->nw; k++) {
        char head[32];
        snprintf(head, sizeof head, "class %d", m->nw == 1 ? 1 : k);
        buf_addf(out, "%14s", head);
    }
    buf_addc(out, '\n');
    buf_adds(out, "intercept");
    buf_addn(out, ' ', (size_t)w + 1 - 9);
    for (int k = 0; k < m->nw; k++)
        buf_addf(out, "%14.6g", m->icpt[k]);
    buf_addc(out, '\n');
    for (int j = 0; j < m->p; j++) {
        int nw;
        if (names && names[j]) {
            buf_adds(out, names[j]);
            nw = utf8_width(names[j]);
        } else {
            char x[24];
            nw = snprintf(x, sizeof x, "x%d", j + 1);
            buf_adds(out, x);
        }
        buf_addn(out, ' ', (size_t)(w - nw + 1));
        for (int k = 0; k < m->nw; k++)
            buf_addf(out, "%14.6g", m->coef[(size_t)k * m->p + j]);
        buf_addc(out, '\n');
    }
}
