/*
 * nb.c: naive Bayes, Gaussian for numeric features and categorical with
 * Laplace smoothing for level-coded ones (formulas in nb.h). The model is
 * per class: the log prior; per numeric feature the mean and the
 * smoothed variance; per categorical feature the log probability of each
 * level. Fit is one pass for the counts and means and one for the
 * variances; predict is one pass per row, the rows in blocks shared by
 * the machine's cores (each row's answer is its own, so the bits are the
 * same on any number of threads).
 */
#include "classify/nb.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/mem.h"

#include "base/banned.h"

const struct store_kind nb_kind = {.name = "nb", .is_transform = 0, .version = 1,
                                   .min_version = 1};

struct nb_model {
    int k;
    size_t p;
    double alpha, var_smoothing, epsilon;
    double *log_prior;      /* k */
    double *count;          /* k training rows per class */
    unsigned char *cat;     /* p: 1 = categorical */
    int *levels;            /* p: levels of a categorical feature, 0 for numeric */
    size_t *off;            /* p: where feature j's levels start in a class's row of logp */
    size_t total;           /* levels over all categorical features */
    double *mean, *var;     /* k x p (numeric features; var smoothed) */
    double *logp;           /* k x total: log P(level | class) */
};

static void
nb_release(void *model)
{
    struct nb_model *m = model;
    if (!m)
        return;
    free(m->log_prior);
    free(m->count);
    free(m->cat);
    free(m->levels);
    free(m->off);
    free(m->mean);
    free(m->var);
    free(m->logp);
    free(m);
}

/* Allocate the arrays of a model of k classes, p features and total levels. */
static struct nb_model *
nb_alloc(int k, size_t p, size_t total, struct qerr *err)
{
    struct nb_model *m = mem_calloc(1, sizeof *m, "nb", "models", err);
    if (!m)
        return NULL;
    m->k = k;
    m->p = p;
    m->total = total;
    size_t kp = mem_mul((size_t)k, p), kt = mem_mul((size_t)k, total);
    m->log_prior = mem_calloc((size_t)k, sizeof(double), "nb", "classes", err);
    m->count = mem_calloc((size_t)k, sizeof(double), "nb", "classes", err);
    m->cat = mem_calloc(p, 1, "nb", "features", err);
    m->levels = mem_calloc(p, sizeof(int), "nb", "features", err);
    m->off = mem_calloc(p, sizeof(size_t), "nb", "features", err);
    m->mean = mem_calloc(kp, sizeof(double), "nb", "class means", err);
    m->var = mem_calloc(kp, sizeof(double), "nb", "class variances", err);
    m->logp = mem_calloc(kt, sizeof(double), "nb", "level probabilities", err);
    if (!m->log_prior || !m->count || !m->cat || !m->levels || !m->off || !m->mean ||
        !m->var || !m->logp) {
        nb_release(m);
        return NULL;
    }
    return m;
}

/* The priors: given (checked) or the training shares. */
static int
set_priors(struct nb_model *m, const struct cls_opts *o, double n, struct qerr *err)
{
    double sum = 0;
    for (int c = 0; c < m->k; c++) {
        double v = o->priors ? o->priors[c] : m->count[c] / n;
        if (!(v >= 0))
            return qerr_set(err, QE_ARG, "prior %d is %g; priors are shares in [0, 1]", c + 1,
                            v);
        sum += v;
        m->log_prior[c] = log(v);
    }
    if (o->priors && fabs(sum - 1) > 1e-6)
        return qerr_set(err, QE_ARG, "the priors add up to %g; they must add up to 1", sum);
    return 0;
}

/*
 * Means and variances of the numeric features per class: one pass for the
 * sums, one for the squared deviations (two passes, as numpy's var, keep
 * the digits a sum of squares would lose). The variance over all rows,
 * for epsilon, follows from the classes' by the law of total variance:
 * N var = sum over classes of (n_c var_c + n_c (mean_c - mean)^2).
 */
static int
fit_numeric(struct nb_model *m, const struct cls_data *d, const struct cls_opts *o,
            struct tick *t, struct qerr *err)
{
    size_t p = d->p, k = (size_t)d->nclass;
    int rc = -1;
    double *nn = mem_calloc(k * p + 3 * p, sizeof(double), "nb", "counts", err);
    if (!nn)
        return -1;
    double *an = nn + k * p, *amean = an + p, *avar = amean + p;
    for (size_t i = 0; i < d->n; i++) {
        if (tick_row(t, (long long)i, 2 * (long long)d->n)) {
            tick_fail(err);
            goto out;
        }
        const double *x = d->x + i * p;
        double *sum = m->mean + (size_t)d->y[i] * p, *cnt = nn + (size_t)d->y[i] * p;
        for (size_t j = 0; j < p; j++)
            if (!isnan(x[j])) {
                sum[j] += x[j];
                cnt[j] += 1;
            }
    }
    for (size_t q = 0; q < k * p; q++) {
        amean[q % p] += m->mean[q];
        an[q % p] += nn[q];
    }
    for (size_t j = 0; j < p; j++)
        amean[j] = an[j] > 0 ? amean[j] / an[j] : 0;
    for (size_t q = 0; q < k * p; q++)
        m->mean[q] = nn[q] > 0 ? m->mean[q] / nn[q] : amean[q % p];
    for (size_t i = 0; i < d->n; i++) {
        if (tick_row(t, (long long)(d->n + i), 2 * (long long)d->n)) {
            tick_fail(err);
            goto out;
        }
        const double *x = d->x + i * p, *mu = m->mean + (size_t)d->y[i] * p;
        double *ss = m->var + (size_t)d->y[i] * p;
        for (size_t j = 0; j < p; j++)
            if (!isnan(x[j])) {
                double e = x[j] - mu[j];
                ss[j] += e * e;
            }
    }
    for (size_t q = 0; q < k * p; q++) {
        double dm = m->mean[q] - amean[q % p];
        avar[q % p] += m->var[q] + nn[q] * dm * dm;
    }
    double vmax = 0;
    for (size_t j = 0; j < p; j++) {
        avar[j] = an[j] > 0 ? avar[j] / an[j] : 0;
        if (!m->cat[j] && avar[j] > vmax)
            vmax = avar[j];
    }
    m->epsilon = o->var_smoothing * vmax;
    /* A constant feature in every class would divide by zero: the smallest normal instead. */
    double eps = m->epsilon > 0 ? m->epsilon : 2.2250738585072014e-308;
    for (size_t q = 0; q < k * p; q++) {
        if (m->cat[q % p]) {
            m->mean[q] = m->var[q] = 0; /* level codes: their counts are fit_categorical's */
            continue;
        }
        m->var[q] = (nn[q] > 0 ? m->var[q] / nn[q] : avar[q % p]) + eps;
    }
    rc = 0;
out:
    free(nn);
    return rc;
}

/* Level counts of the categorical features per class, then their smoothed logs. */
static int
fit_categorical(struct nb_model *m, const struct cls_data *d, const struct cls_opts *o,
                struct qerr *err)
{
    size_t p = d->p, k = (size_t)d->nclass, T = m->total;
    if (T == 0)
        return 0; /* no categorical feature: no pass over the rows */
    double *nc = mem_calloc(k * p, sizeof(double), "nb", "counts", err);
    if (!nc)
        return -1;
    for (size_t i = 0; i < d->n; i++) {
        const double *x = d->x + i * p;
        size_t c = (size_t)d->y[i];
        for (size_t j = 0; j < p; j++)
            if (m->cat[j] && !isnan(x[j]) && x[j] >= 0 && x[j] < m->levels[j]) {
                m->logp[c * T + m->off[j] + (size_t)x[j]] += 1;
                nc[c * p + j] += 1;
            }
    }
    for (size_t c = 0; c < k; c++)
        for (size_t j = 0; j < p; j++) {
            if (!m->cat[j])
                continue;
            double den = nc[c * p + j] + o->alpha * m->levels[j];
            for (int l = 0; l < m->levels[j]; l++) {
                double *v = &m->logp[c * T + m->off[j] + (size_t)l];
                *v = log((*v + o->alpha) / den);
            }
        }
    free(nc);
    return 0;
}

static int
nb_fit(const struct cls_data *d, const struct cls_opts *o, struct tick *t, void **model,
       struct qerr *err)
{
    *model = NULL;
    if (d->n == 0 || d->nclass < 1)
        return qerr_set(err, QE_DATA, "naive Bayes needs at least one training row");
    size_t total = 0;
    for (size_t j = 0; j < d->p; j++)
        if (d->categorical && d->categorical[j])
            total += (size_t)(d->levels[j] > 0 ? d->levels[j] : 0);
    struct nb_model *m = nb_alloc(d->nclass, d->p, total, err);
    if (!m)
        return -1;
    m->alpha = o->alpha;
    m->var_smoothing = o->var_smoothing;
    size_t off = 0;
    for (size_t j = 0; j < d->p; j++) {
        m->cat[j] = d->categorical && d->categorical[j];
        m->levels[j] = m->cat[j] && d->levels[j] > 0 ? d->levels[j] : 0;
        m->off[j] = off;
        off += (size_t)m->levels[j];
    }
    for (size_t i = 0; i < d->n; i++)
        m->count[d->y[i]] += 1;
    if (set_priors(m, o, (double)d->n, err) < 0 || fit_numeric(m, d, o, t, err) < 0 ||
        fit_categorical(m, d, o, err) < 0) {
        nb_release(m);
        return -1;
    }
    *model = m;
    return 0;
}

/* The log likelihood of class c for row x, any feature missing or categorical. */
static double
jll_general(const struct nb_model *m, const double *x, size_t c, const double *lognorm,
            const double *ivar)
{
    size_t p = m->p, T = m->total;
    double s = m->log_prior[c], quad = 0;
    for (size_t j = 0; j < p; j++) {
        double v = x[j];
        if (isnan(v))
            continue;
        if (m->cat[j]) {
            if (v >= 0 && v < m->levels[j])
                s += m->logp[c * T + m->off[j] + (size_t)v];
        } else {
            double e = v - m->mean[c * p + j];
            s += lognorm[c * p + j];
            quad += e * e * ivar[c * p + j];
        }
    }
    return s - 0.5 * quad;
}

/* The per-class terms predict reads, made once from the model. */
struct nb_terms {
    const struct nb_model *m;
    const double *lognorm, *ivar, *cst, *mu_t, *iv_t;
    int anycat;
    const double *x;
    double *out;
    size_t n;
    atomic_size_t next;  /* the next block of rows a thread takes */
};

#define NB_BLOCK 4096
#define NB_MAX_THREADS 16

/* Rows lo..hi: their probabilities into out; qd is k doubles of scratch. */
static void
proba_rows(const struct nb_terms *tm, size_t lo, size_t hi, double *qd)
{
    const struct nb_model *m = tm->m;
    size_t p = m->p, k = (size_t)m->k;
    for (size_t i = lo; i < hi; i++) {
        const double *x = tm->x + i * p;
        double *jll = tm->out + i * k, top = -INFINITY;
        int plain = !tm->anycat;
        for (size_t j = 0; plain && j < p; j++)
            plain = !isnan(x[j]);
        if (plain) {
            /*
             * The common row, every feature numeric and present: one pass
             * over the features, each class its own sum (the same order of
             * additions as one class at a time, so the same bits), which
             * the compiler runs several classes to an instruction.
             */
            for (size_t c = 0; c < k; c++)
                qd[c] = 0;
            for (size_t j = 0; j < p; j++) {
                const double xj = x[j], *mu = tm->mu_t + j * k, *iv = tm->iv_t + j * k;
                for (size_t c = 0; c < k; c++) {
                    double e = xj - mu[c];
                    qd[c] += e * e * iv[c];
                }
            }
            for (size_t c = 0; c < k; c++)
                jll[c] = tm->cst[c] - 0.5 * qd[c];
        } else {
            for (size_t c = 0; c < k; c++)
                jll[c] = jll_general(m, x, c, tm->lognorm, tm->ivar);
        }
        for (size_t c = 0; c < k; c++)
            if (jll[c] > top)
                top = jll[c];
        /*
         * exp(jll - logsumexp(jll)), as scikit-learn computes it: the same
         * roundings give the same ties among probabilities near 0 and 1,
         * which the ranking scores (ROC and PR AUC) depend on.
         */
        double sum = 0;
        for (size_t c = 0; c < k; c++)
            sum += exp(jll[c] - top);
        double lse = top + log(sum);
        for (size_t c = 0; c < k; c++)
            jll[c] = exp(jll[c] - lse);
    }
}

/* A thread's share: blocks of rows as they come (each row's answer is its own: any order). */
static void *
proba_worker(void *arg)
{
    struct nb_terms *tm = arg;
    double qd[256];
    double *scratch = tm->m->k <= 256 ? qd : malloc(sizeof(double) * (size_t)tm->m->k);
    if (!scratch)
        return NULL;
    size_t lo;
    while ((lo = atomic_fetch_add(&tm->next, NB_BLOCK)) < tm->n)
        proba_rows(tm, lo, lo + NB_BLOCK < tm->n ? lo + NB_BLOCK : tm->n, scratch);
    if (scratch != qd)
        free(scratch);
    return NULL;
}

static int
nb_proba(const void *model, const struct cls_data *d, double *out, struct qerr *err)
{
    const struct nb_model *m = model;
    size_t p = m->p, k = (size_t)m->k;
    if (d->p != p)
        return qerr_set(err, QE_ARG, "the model has %zu features, the rows %zu", p, d->p);
    /* Per class and feature: -0.5 log(2 pi var) and 1/var; per class their constant sum. */
    double *lognorm = mem_alloc(4 * k * p + 2 * k + 1, sizeof(double), "nb", "terms", err);
    if (!lognorm)
        return -1;
    double *ivar = lognorm + k * p, *cst = ivar + k * p, *qd = cst + k;
    /* The means and 1/var by feature, then class: the inner loop runs over classes. */
    double *mu_t = qd + k, *iv_t = mu_t + k * p;
    int anycat = 0;
    for (size_t q = 0; q < k * p; q++) {
        int cat = m->cat[q % p];
        anycat |= cat;
        lognorm[q] = cat ? 0 : -0.5 * log(2 * M_PI * m->var[q]);
        ivar[q] = cat ? 0 : 1 / m->var[q];
    }
    for (size_t c = 0; c < k; c++) {
        cst[c] = m->log_prior[c];
        for (size_t j = 0; j < p; j++) {
            cst[c] += lognorm[c * p + j];
            mu_t[j * k + c] = m->mean[c * p + j];
            iv_t[j * k + c] = ivar[c * p + j];
        }
    }
    struct nb_terms tm = {.m = m, .lognorm = lognorm, .ivar = ivar, .cst = cst, .mu_t = mu_t,
                          .iv_t = iv_t, .anycat = anycat, .x = d->x, .out = out, .n = d->n};
    atomic_init(&tm.next, 0);
    /* Threads for many rows (the machine's cores, at most 16); the calling thread works too. */
    long cores = d->n >= 8 * NB_BLOCK ? sysconf(_SC_NPROCESSORS_ONLN) : 1;
    int nt = cores < 1 ? 1 : cores > NB_MAX_THREADS ? NB_MAX_THREADS : (int)cores, started = 0;
    pthread_t th[NB_MAX_THREADS];
    for (int t = 1; t < nt; t++)
        if (pthread_create(&th[started], NULL, proba_worker, &tm) == 0)
            started++;
    /* The calling thread's scratch is qd, so it never fails to take its share. */
    size_t lo;
    while ((lo = atomic_fetch_add(&tm.next, NB_BLOCK)) < tm.n)
        proba_rows(&tm, lo, lo + NB_BLOCK < tm.n ? lo + NB_BLOCK : tm.n, qd);
    for (int t = 0; t < started; t++)
        pthread_join(th[t], NULL);
    free(lognorm);
    return 0;
}

static int
nb_save(const void *model, struct buf *b, struct qerr *err)
{
    const struct nb_model *m = model;
    size_t kp = (size_t)m->k * m->p;
    store_add_i64(b, m->k);
    store_add_i64(b, (int64_t)m->p);
    store_add_f64(b, m->alpha);
    store_add_f64(b, m->var_smoothing);
    store_add_f64(b, m->epsilon);
    for (size_t j = 0; j < m->p; j++)
        store_add_i64(b, m->cat[j] ? m->levels[j] : -1);
    store_add_f64s(b, m->log_prior, (size_t)m->k);
    store_add_f64s(b, m->count, (size_t)m->k);
    store_add_f64s(b, m->mean, kp);
    store_add_f64s(b, m->var, kp);
    store_add_f64s(b, m->logp, (size_t)m->k * m->total);
    return 0;
}

static int
nb_load(struct store_reader *r, void **model, struct qerr *err)
{
    *model = NULL;
    int64_t k, p;
    if (store_read_count(r, 8, 100000, &k, err) < 0 || store_read_count(r, 8, 1000000, &p, err) < 0)
        return -1;
    if (k < 1)
        return store_read_fail(r, err, "%lld classes", (long long)k);
    double alpha, vs, eps;
    int64_t *lev = mem_alloc((size_t)p + 1, sizeof *lev, "nb", "features", err);
    if (!lev)
        return -1;
    size_t total = 0;
    store_read_f64(r, &alpha, err);
    store_read_f64(r, &vs, err);
    store_read_f64(r, &eps, err);
    for (int64_t j = 0; j < p; j++) {
        if (store_read_i64(r, &lev[j], err) < 0)
            break;
        if (lev[j] < -1 || lev[j] > 10000000) {
            store_read_fail(r, err, "feature %lld has %lld levels", (long long)j,
                            (long long)lev[j]);
            break;
        }
        total += lev[j] > 0 ? (size_t)lev[j] : 0;
    }
    /* Every array must fit in what is left before anything is allocated. */
    size_t need = ((size_t)k * 2 + (size_t)k * (size_t)p * 2 + (size_t)k * total) * 8;
    if (!r->failed && need > r->len - r->pos)
        store_read_fail(r, err, "the state is shorter than its counts say");
    if (r->failed) {
        free(lev);
        return -1;
    }
    struct nb_model *m = nb_alloc((int)k, (size_t)p, total, err);
    if (!m) {
        free(lev);
        return -1;
    }
    m->alpha = alpha;
    m->var_smoothing = vs;
    m->epsilon = eps;
    size_t off = 0;
    for (int64_t j = 0; j < p; j++) {
        m->cat[j] = lev[j] >= 0;
        m->levels[j] = lev[j] > 0 ? (int)lev[j] : 0;
        m->off[j] = off;
        off += (size_t)m->levels[j];
    }
    free(lev);
    size_t kp = (size_t)k * (size_t)p;
    if (store_read_f64s(r, m->log_prior, (size_t)k, err) < 0 ||
        store_read_f64s(r, m->count, (size_t)k, err) < 0 ||
        store_read_f64s(r, m->mean, kp, err) < 0 || store_read_f64s(r, m->var, kp, err) < 0 ||
        store_read_f64s(r, m->logp, (size_t)k * total, err) < 0) {
        nb_release(m);
        return -1;
    }
    *model = m;
    return 0;
}

static int
nb_show(const void *model, const char *const *names, struct buf *out, struct qerr *err)
{
    const struct nb_model *m = model;
    size_t p = m->p, T = m->total;
    buf_addf(out, "naive Bayes: %d class%s, %zu feature%s; var_smoothing=%g (epsilon %.6g), "
                  "alpha=%g\n",
             m->k, m->k == 1 ? "" : "es", p, p == 1 ? "" : "s", m->var_smoothing, m->epsilon,
             m->alpha);
    for (int c = 0; c < m->k; c++)
        buf_addf(out, "class %d: %.0f training rows, prior %.6g\n", c, m->count[c],
                 exp(m->log_prior[c]));
    for (size_t j = 0; j < p; j++) {
        const char *nm = names ? names[j] : NULL;
        if (nm)
            buf_addf(out, "%s", nm);
        else
            buf_addf(out, "feature %zu", j + 1);
        if (!m->cat[j]) {
            buf_adds(out, " (Gaussian): mean (sd) per class");
            for (int c = 0; c < m->k; c++)
                buf_addf(out, "%s %.6g (%.6g)", c ? "," : "", m->mean[(size_t)c * p + j],
                         sqrt(m->var[(size_t)c * p + j]));
        } else {
            buf_addf(out, " (categorical, %d levels): P(level | class) per class",
                     m->levels[j]);
            for (int c = 0; c < m->k; c++) {
                buf_addf(out, "%s [", c ? "," : "");
                for (int l = 0; l < m->levels[j]; l++)
                    buf_addf(out, "%s%.4g", l ? " " : "",
                             exp(m->logp[(size_t)c * T + m->off[j] + (size_t)l]));
                buf_adds(out, "]");
            }
        }
        buf_adds(out, "\n");
    }
    return 0;
}

/*
 * Each class's terms for one row: the log prior, each present feature's
 * log likelihood and their sum (trace prints the posterior after it), as
 * a table of text.
 */
static void
nb_trace(const void *model, const double *row, const char *const *names, struct buf *out)
{
    const struct nb_model *m = model;
    size_t p = m->p, k = (size_t)m->k, T = m->total;
    double *jll = calloc(k + 1, sizeof *jll);
    if (!jll)
        return;
    buf_adds(out, "naive Bayes: log P(class) + the sum of log P(x_j | class) over the present "
                  "features, then exp and normalise\n");
    buf_addf(out, "%-28s", "term");
    for (size_t c = 0; c < k; c++)
        buf_addf(out, " %12s%zu", "class ", c);
    buf_adds(out, "\n");
    buf_addf(out, "%-28s", "log prior");
    for (size_t c = 0; c < k; c++) {
        jll[c] = m->log_prior[c];
        buf_addf(out, " %13.6g", m->log_prior[c]);
    }
    buf_adds(out, "\n");
    for (size_t j = 0; j < p; j++) {
        struct buf label = BUF_INIT;
        if (names)
            buf_addf(&label, "%s", names[j]);
        else
            buf_addf(&label, "feature %zu", j + 1);
        double v = row[j];
        int skip = isnan(v) || (m->cat[j] && !(v >= 0 && v < m->levels[j]));
        if (m->cat[j] && !isnan(v))
            buf_addf(&label, " = level %g", v);
        else if (!isnan(v))
            buf_addf(&label, " = %g", v);
        buf_addf(out, "%-28s", label.data);
        buf_release(&label);
        for (size_t c = 0; c < k; c++) {
            double t;
            if (skip) {
                buf_addf(out, " %13s", "(left out)");
                continue;
            }
            if (m->cat[j]) {
                t = m->logp[c * T + m->off[j] + (size_t)v];
            } else {
                double e = v - m->mean[c * p + j];
                t = -0.5 * log(2 * M_PI * m->var[c * p + j]) - 0.5 * e * e / m->var[c * p + j];
            }
            jll[c] += t;
            buf_addf(out, " %13.6g", t);
        }
        buf_adds(out, "\n");
    }
    buf_addf(out, "%-28s", "sum");
    for (size_t c = 0; c < k; c++)
        buf_addf(out, " %13.6g", jll[c]);
    buf_adds(out, "\n");
    free(jll);
}

const struct cls_method cls_nb = {
    .name = "nb",
    .kind = &nb_kind,
    .takes_missing = 1,
    .takes_categorical = 1,
    .fit = nb_fit,
    .proba = nb_proba,
    .save = nb_save,
    .load = nb_load,
    .show = nb_show,
    .release = nb_release,
    .trace = nb_trace,
};
