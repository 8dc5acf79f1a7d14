/*
 * metrics.c: classification scores (metrics.h): the confusion matrix and
 * what follows from it, the binary ranking scores, the log loss and the
 * corrected resampled t-test.
 */
#include "classify/metrics.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/tick.h"

#include "base/banned.h"

void
metrics_release(struct metrics *m)
{
    free(m->confusion);
    free(m->support);
    free(m->precision);
    free(m->recall);
    free(m->f1);
    memset(m, 0, sizeof *m);
}

/* A row of a ranking: its score and whether it is positive. */
struct ranked {
    double s;
    unsigned char pos;
};

/* Scores in descending order. */
static int
cmp_desc(const void *a, const void *b)
{
    double x = ((const struct ranked *)a)->s, y = ((const struct ranked *)b)->s;
    return (x < y) - (x > y);
}

static struct ranked *
ranked_sorted(const unsigned char *is_pos, const double *score, size_t n, struct qerr *err)
{
    struct ranked *r = mem_alloc(n, sizeof *r, "metrics", "scores", err);
    if (!r)
        return NULL;
    for (size_t i = 0; i < n; i++)
        r[i] = (struct ranked){score[i], is_pos[i] ? 1 : 0};
    if (tick_sort(r, n, sizeof *r, cmp_desc, NULL, "metrics", err) < 0) {
        free(r);
        return NULL;
    }
    return r;
}

int
metrics_roc_auc(const unsigned char *is_pos, const double *score, size_t n, double *auc,
                struct qerr *err)
{
    struct ranked *r = ranked_sorted(is_pos, score, n, err);
    if (!r)
        return -1;
    /*
     * Ranks ascend with the score: the i-th of n in descending order has
     * rank n - i; a run of ties [i, j) shares the mean of its ranks.
     */
    double rank_sum = 0, np = 0;
    size_t i = 0;
    while (i < n) {
        size_t j = i + 1;
        while (j < n && r[j].s == r[i].s)
            j++;
        double mean_rank = ((double)(n - i) + (double)(n - j + 1)) / 2.0;
        for (size_t q = i; q < j; q++)
            if (r[q].pos) {
                rank_sum += mean_rank;
                np += 1;
            }
        i = j;
    }
    double nn = (double)n - np;
    *auc = np > 0 && nn > 0 ? (rank_sum - np * (np + 1) / 2.0) / (np * nn) : NAN;
    free(r);
    return 0;
}

int
metrics_average_precision(const unsigned char *is_pos, const double *score, size_t n,
                          double *ap, struct qerr *err)
{
    struct ranked *r = ranked_sorted(is_pos, score, n, err);
    if (!r)
        return -1;
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += r[i].pos;
    double tp = 0, fp = 0, prev_recall = 0, sum = 0;
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && r[j].s == r[i].s) {
            tp += r[j].pos;
            fp += !r[j].pos;
            j++;
        }
        double recall = total > 0 ? tp / total : 0;
        sum += (recall - prev_recall) * (tp / (tp + fp));
        prev_recall = recall;
        i = j;
    }
    *ap = total > 0 ? sum : NAN;
    free(r);
    return 0;
}

int
metrics_roc_curve(const unsigned char *is_pos, const double *score, size_t n, double **fpr,
                  double **tpr, size_t *n_points, struct qerr *err)
{
    *fpr = *tpr = NULL;
    *n_points = 0;
    struct ranked *r = ranked_sorted(is_pos, score, n, err);
    if (!r)
        return -1;
    double np = 0;
    for (size_t i = 0; i < n; i++)
        np += r[i].pos;
    double nn = (double)n - np;
    if (np == 0 || nn == 0) {
        free(r);
        return qerr_set(err, QE_DATA, "a ROC curve needs rows of both classes; there are %.0f "
                                      "positive and %.0f negative", np, nn);
    }
    double *x = mem_alloc(n + 2, sizeof *x, "metrics", "curve points", err);
    double *y = mem_alloc(n + 2, sizeof *y, "metrics", "curve points", err);
    if (!x || !y) {
        free(x);
        free(y);
        free(r);
        return -1;
    }
    size_t k = 0, i = 0;
    double tp = 0, fp = 0;
    x[k] = y[k] = 0;
    k++;
    while (i < n) {
        size_t j = i;
        while (j < n && r[j].s == r[i].s) {
            tp += r[j].pos;
            fp += !r[j].pos;
            j++;
        }
        x[k] = fp / nn;
        y[k++] = tp / np;
        i = j;
    }
    free(r);
    *fpr = x;
    *tpr = y;
    *n_points = k;
    return 0;
}

double
metrics_log_loss(const int *y, const double *proba, size_t n, int k)
{
    const double eps = DBL_EPSILON;
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        const double *p = proba + i * (size_t)k;
        double tot = 0, mine = 0;
        for (int c = 0; c < k; c++) {
            double v = p[c] < eps ? eps : p[c] > 1 - eps ? 1 - eps : p[c];
            tot += v;
            if (c == y[i])
                mine = v;
        }
        sum += -log(mine / tot);
    }
    return n ? sum / (double)n : NAN;
}

/* Precision, recall and F1 per class and their means, from the confusion matrix. */
static void
per_class(struct metrics *m)
{
    int k = m->k;
    double n = (double)m->n;
    long long diag = 0;
    int present = 0;
    double bal = 0, chance = 0;
    for (int c = 0; c < k; c++) {
        long long tp = m->confusion[c * k + c], pred = 0;
        for (int r = 0; r < k; r++)
            pred += m->confusion[r * k + c];
        diag += tp;
        m->precision[c] = pred ? (double)tp / (double)pred : 0;
        m->recall[c] = m->support[c] ? (double)tp / (double)m->support[c] : 0;
        double pr = m->precision[c] + m->recall[c];
        m->f1[c] = pr > 0 ? 2 * m->precision[c] * m->recall[c] / pr : 0;
        if (m->support[c]) {
            bal += m->recall[c];
            present++;
        }
        chance += n > 0 ? ((double)m->support[c] / n) * ((double)pred / n) : 0;
        m->macro_precision += m->precision[c] / k;
        m->macro_recall += m->recall[c] / k;
        m->macro_f1 += m->f1[c] / k;
        if (n > 0) {
            double w = (double)m->support[c] / n;
            m->weighted_precision += w * m->precision[c];
            m->weighted_recall += w * m->recall[c];
            m->weighted_f1 += w * m->f1[c];
        }
    }
    m->accuracy = n > 0 ? (double)diag / n : NAN;
    m->balanced_accuracy = present ? bal / present : NAN;
    m->kappa = chance < 1 ? (m->accuracy - chance) / (1 - chance) : NAN;
}

/* ROC AUC and PR AUC of the positive class's probability. */
static int
binary_scores(const int *y, const double *proba, size_t n, struct metrics *m, struct qerr *err)
{
    unsigned char *pos = mem_alloc(n, 1, "metrics", "rows", err);
    double *s = mem_alloc(n, sizeof *s, "metrics", "scores", err);
    int rc = -1;
    if (!pos || !s)
        goto out;
    for (size_t i = 0; i < n; i++) {
        pos[i] = y[i] == m->positive;
        s[i] = proba[i * 2 + (size_t)m->positive];
    }
    if (metrics_roc_auc(pos, s, n, &m->roc_auc, err) < 0 ||
        metrics_average_precision(pos, s, n, &m->pr_auc, err) < 0)
        goto out;
    rc = 0;
out:
    free(pos);
    free(s);
    return rc;
}

int
metrics_compute(const int *y, const int *pred, const double *proba, size_t n, int k,
                int positive, struct metrics *m, struct qerr *err)
{
    memset(m, 0, sizeof *m);
    m->k = k;
    m->n = (long long)n;
    m->positive = k == 2 ? (positive >= 0 && positive < 2 ? positive : 1) : -1;
    m->roc_auc = m->pr_auc = m->log_loss = NAN;
    size_t kk = (size_t)k;
    m->confusion = mem_calloc(kk * kk, sizeof *m->confusion, "metrics", "cells", err);
    m->support = mem_calloc(kk, sizeof *m->support, "metrics", "classes", err);
    m->precision = mem_calloc(kk, sizeof(double), "metrics", "classes", err);
    m->recall = mem_calloc(kk, sizeof(double), "metrics", "classes", err);
    m->f1 = mem_calloc(kk, sizeof(double), "metrics", "classes", err);
    if (!m->confusion || !m->support || !m->precision || !m->recall || !m->f1)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        if (y[i] < 0 || y[i] >= k || pred[i] < 0 || pred[i] >= k) {
            qerr_set(err, QE_ARG, "class index out of range at row %zu (%d classes)", i, k);
            goto fail;
        }
        m->confusion[(size_t)y[i] * kk + (size_t)pred[i]]++;
        m->support[y[i]]++;
    }
    per_class(m);
    if (proba) {
        m->log_loss = metrics_log_loss(y, proba, n, k);
        if (k == 2 && binary_scores(y, proba, n, m, err) < 0)
            goto fail;
    }
    return 0;
fail:
    metrics_release(m);
    return -1;
}

/* The continued fraction of the incomplete beta function (modified Lentz). */
static double
beta_cf(double a, double b, double x)
{
    const double tiny = 1e-300;
    double qab = a + b, qap = a + 1, qam = a - 1, c = 1, d = 1 - qab * x / qap;
    if (fabs(d) < tiny)
        d = tiny;
    d = 1 / d;
    double h = d;
    for (int m = 1; m <= 300; m++) {
        int m2 = 2 * m;
        double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1 + aa * d;
        if (fabs(d) < tiny)
            d = tiny;
        c = 1 + aa / c;
        if (fabs(c) < tiny)
            c = tiny;
        d = 1 / d;
        h *= d * c;
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1 + aa * d;
        if (fabs(d) < tiny)
            d = tiny;
        c = 1 + aa / c;
        if (fabs(c) < tiny)
            c = tiny;
        d = 1 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1) < 1e-15)
            break;
    }
    return h;
}

/* The regularised incomplete beta function I_x(a, b). */
static double
beta_inc(double a, double b, double x)
{
    if (x <= 0)
        return 0;
    if (x >= 1)
        return 1;
    double lbt = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log(1 - x);
    if (x < (a + 1) / (a + b + 2))
        return exp(lbt) * beta_cf(a, b, x) / a;
    return 1 - exp(lbt) * beta_cf(b, a, 1 - x) / b;
}

double
metrics_t_two_sided(double t, double df)
{
    if (isnan(t) || df <= 0)
        return NAN;
    if (isinf(t))
        return 0;
    return beta_inc(df / 2, 0.5, df / (df + t * t));
}

void
metrics_ttest_corrected(const double *a, const double *b, int n, double test_train_ratio,
                        double *t, double *p)
{
    *t = *p = NAN;
    if (n < 2)
        return;
    double mean = 0, ss = 0;
    for (int i = 0; i < n; i++)
        mean += (a[i] - b[i]) / n;
    for (int i = 0; i < n; i++) {
        double d = a[i] - b[i] - mean;
        ss += d * d;
    }
    double var = ss / (n - 1);
    if (var <= 0) {
        *t = mean == 0 ? 0 : mean > 0 ? INFINITY : -INFINITY;
        *p = mean == 0 ? 1 : 0;
        return;
    }
    *t = mean / sqrt((1.0 / n + test_train_ratio) * var);
    *p = metrics_t_two_sided(*t, n - 1);
}
