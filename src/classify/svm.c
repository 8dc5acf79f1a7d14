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
#include "classify/linear.h"

#include "base/banned.h"

const struct store_kind svm_kind = { "svm", 0, 1, 1 };

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
    struct linear *m = NULL;
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
    m = linear_new(d, o, 1000, "svm", err);
    if (!m)
        goto out;
    int nw = m->nw;
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
        linear_set_weights(m, k, w);
    }
done:
    *model = m;
    m = NULL;
    rc = 0;
out:
    linear_release(m);
    free(z);
    free(qd);
    free(alpha);
    free(index);
    free(w);
    return rc;
}

static int
svm_save(const void *model, struct buf *b, struct qerr *err)
{
    linear_save(model, b);
    (void)err;
    return 0;
}

static int
svm_load(struct store_reader *r, void **model, struct qerr *err)
{
    struct linear *m = NULL;
    int rc = linear_load(r, INT32_MAX, "machines", "pass", &m, err);
    *model = m;
    return rc;
}

static int
svm_show(const void *model, const char *const *names, struct buf *out, struct qerr *err)
{
    const struct linear *m = model;
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
    linear_show_table(m, names, out);
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
    const struct linear *m = model;
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
    .proba = linear_proba,
    .save = svm_save,
    .load = svm_load,
    .show = svm_show,
    .release = linear_release,
    .trace = svm_trace,
};
