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
 * Fit reads the rows once, in blocks small enough to stay in the cache:
 * per block and class, the sums, then the squared deviations from the
 * block's means (two passes over the block in cache, as numpy's var, keep
 * the digits a sum of squares would lose); blocks then merge by Chan,
 * Golub and LeVeque's pairwise update. The rows fall in NB_SEGMENTS fixed
 * ranges whatever the threads, merged in order at the end: the same bits
 * on any number of cores.
 */
#define NB_SEGMENTS 16
#define NB_BLOCK 4096      /* predict: rows a thread takes at a time */
#define NB_MAX_THREADS 16

/* Count, mean and sum of squared deviations per class and feature (k x p each). */
struct nb_acc {
    double *cnt, *mean, *m2;
};

/* Fold b into a: Chan et al.'s update of count, mean and squared deviations. */
static void
acc_merge(struct nb_acc *a, const struct nb_acc *b, size_t kp)
{
    for (size_t q = 0; q < kp; q++) {
        double nb = b->cnt[q], na = a->cnt[q];
        if (nb == 0)
            continue;
        if (na == 0) {
            a->cnt[q] = nb;
            a->mean[q] = b->mean[q];
            a->m2[q] = b->m2[q];
            continue;
        }
        double n = na + nb, dm = b->mean[q] - a->mean[q];
        a->mean[q] += dm * (nb / n);
        a->m2[q] += b->m2[q] + dm * dm * (na * nb / n);
        a->cnt[q] = n;
    }
}

struct nb_fit_job {
    const struct cls_data *d;
    size_t k, block;
    struct nb_acc *seg;        /* NB_SEGMENTS accumulators */
    atomic_int next, stop;
};

/* One thread's job, scratch (4 k p doubles) and tick (the calling thread's only). */
struct nb_fit_worker {
    struct nb_fit_job *job;
    double *scratch;
    struct tick *t;
};

/* Rows lo..hi into b (zeroed here); nan is k x p of scratch. */
static void
fit_block(const struct cls_data *d, size_t k, size_t lo, size_t hi, struct nb_acc *b,
          double *nan)
{
    size_t p = d->p, kp = k * p;
    memset(b->cnt, 0, kp * sizeof(double));
    memset(b->mean, 0, kp * sizeof(double));
    memset(b->m2, 0, kp * sizeof(double));
    memset(nan, 0, kp * sizeof(double));
    /* Rows per class, less the missing values: one store per value in the common case. */
    for (size_t i = lo; i < hi; i++) {
        const double *x = d->x + i * p;
        size_t c = (size_t)d->y[i] * p;
        b->cnt[c] += 1;
        for (size_t j = 0; j < p; j++) {
            if (isnan(x[j]))
                nan[c + j] += 1;
            else
                b->mean[c + j] += x[j];
        }
    }
    for (size_t q = 0; q < kp; q++) {
        double n = b->cnt[q - q % p] - nan[q];
        b->mean[q] = n > 0 ? b->mean[q] / n : 0;
    }
    for (size_t q = 0; q < kp; q++)
        if (q % p) /* the class's row count, kept in its first feature's cell so far */
            b->cnt[q] = b->cnt[q - q % p];
    for (size_t q = 0; q < kp; q++)
        b->cnt[q] -= nan[q];
    for (size_t i = lo; i < hi; i++) {
        const double *x = d->x + i * p;
        size_t c = (size_t)d->y[i] * p;
        for (size_t j = 0; j < p; j++)
            if (!isnan(x[j])) {
                double e = x[j] - b->mean[c + j];
                b->m2[c + j] += e * e;
            }
    }
}

/* A thread's share: whole segments as they come, each its blocks in order. */
static void *
fit_worker(void *arg)
{
    struct nb_fit_worker *w = arg;
    struct nb_fit_job *job = w->job;
    const struct cls_data *d = job->d;
    size_t kp = job->k * d->p;
    struct nb_acc b = {w->scratch, w->scratch + kp, w->scratch + 2 * kp};
    int g;
    while ((g = atomic_fetch_add(&job->next, 1)) < NB_SEGMENTS) {
        size_t lo = d->n * (size_t)g / NB_SEGMENTS, hi = d->n * (size_t)(g + 1) / NB_SEGMENTS;
        for (size_t at = lo; at < hi; at += job->block) {
            if (atomic_load(&job->stop))
                return NULL;
            if (w->t && tick(w->t, (double)at / (double)d->n)) {
                atomic_store(&job->stop, 1);
                return NULL;
            }
            fit_block(d, job->k, at, at + job->block < hi ? at + job->block : hi, &b,
                      w->scratch + 3 * kp);
            acc_merge(&job->seg[g], &b, kp);
        }
    }
    return NULL;
}

/*
 * Means and variances of the numeric features per class (above). The
 * variance over all rows, for epsilon, follows from the classes' by the
 * law of total variance: N var = sum over classes of (n_c var_c + n_c
 * (mean_c - mean)^2).
 */
static int
fit_numeric(struct nb_model *m, const struct cls_data *d, const struct cls_opts *o,
            struct tick *t, struct qerr *err)
{
    size_t p = d->p, k = (size_t)d->nclass, kp = k * p;
    int rc = -1;
    /* Blocks of about 128 KB of rows, and at least a few rows per class cell to merge. */
    size_t block = 16384 / (p ? p : 1);
    block = block < 4 * k ? 4 * k : block < 64 ? 64 : block;
    long cores = d->n >= 4 * block ? sysconf(_SC_NPROCESSORS_ONLN) : 1;
    int nt = cores < 1 ? 1 : cores > NB_MAX_THREADS ? NB_MAX_THREADS : (int)cores, started = 0;
    double *nn = mem_calloc(mem_mul(3 * NB_SEGMENTS + 4 * (size_t)nt + 1, kp) + 3 * p,
                            sizeof(double), "nb", "counts", err);
    if (!nn)
        return -1;
    double *an = nn + kp, *amean = an + p, *avar = amean + p, *segs = avar + p;
    double *scratch = segs + 3 * NB_SEGMENTS * kp;
    struct nb_acc seg[NB_SEGMENTS];
    for (int g = 0; g < NB_SEGMENTS; g++)
        seg[g] = (struct nb_acc){segs + (size_t)g * 3 * kp, segs + (size_t)g * 3 * kp + kp,
                                 segs + (size_t)g * 3 * kp + 2 * kp};
    struct nb_fit_job job = {.d = d, .k = k, .block = block, .seg = seg};
    atomic_init(&job.next, 0);
    atomic_init(&job.stop, 0);
    struct nb_fit_worker wk[NB_MAX_THREADS];
    pthread_t th[NB_MAX_THREADS];
    for (int i = 0; i < nt; i++)
        wk[i] = (struct nb_fit_worker){&job, scratch + (size_t)i * 4 * kp, i == 0 ? t : NULL};
    for (int i = 1; i < nt; i++)
        if (pthread_create(&th[started], NULL, fit_worker, &wk[i]) == 0)
            started++;
    fit_worker(&wk[0]);
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    if (atomic_load(&job.stop)) {
        tick_fail(err);
        goto out;
    }
    for (int g = 1; g < NB_SEGMENTS; g++)
        acc_merge(&seg[0], &seg[g], kp);
    memcpy(nn, seg[0].cnt, kp * sizeof(double));
    memcpy(m->mean, seg[0].mean, kp * sizeof(double));
    memcpy(m->var, seg[0].m2, kp * sizeof(double));
    for (size_t q = 0; q < kp; q++) {
        amean[q % p] += m->mean[q] * nn[q];
        an[q % p] += nn[q];
    }
    for (size_t j = 0; j < p; j++)
        amean[j] = an[j] > 0 ? amean[j] / an[j] : 0;
    for (size_t q = 0; q < kp; q++)
        if (!(nn[q] > 0))
            m->mean[q] = amean[q % p];
    for (size_t q = 0; q < kp; q++) {
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
    for (size_t q = 0; q < kp; q++) {
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
    const double *lognorm, *ivar, *cst;
    const double *mu_t, *iv_t; /* p x kg*4: by feature, then class (padded with 1/var 0) */
    size_t kg;                 /* groups of four classes */
    int anycat;
    const double *x;
    double *out;               /* n x k probabilities, or NULL */
    int *labels;               /* n predicted classes, or NULL */
    size_t n;
    atomic_size_t next;        /* the next block of rows a thread takes */
};

/* Four doubles, no alignment asked of memory (the vector unit's width where there is one). */
typedef double nb_v4 __attribute__((vector_size(32), aligned(8)));

/*
 * qd[c] = the sum over j of (x_j - mean_cj)^2 / var_cj, the classes four
 * at a time: for each class the same additions in the same order as one
 * class at a time, so the same bits on any vector unit.
 */
#if defined(__SANITIZE_THREAD__) /* no multiversioning: its resolvers run before TSan */
#define NB_CLONES
#else
#define NB_CLONES __attribute__((target_clones("avx2", "default")))
#endif
NB_CLONES static void
quad_terms(const double *x, size_t p, size_t kg, const double *mu_t, const double *iv_t,
           double *qd)
{
    for (size_t g = 0; g < kg; g++) {
        nb_v4 s = {0, 0, 0, 0};
        for (size_t j = 0; j < p; j++) {
            nb_v4 mu = *(const nb_v4 *)(mu_t + (j * kg + g) * 4);
            nb_v4 iv = *(const nb_v4 *)(iv_t + (j * kg + g) * 4);
            nb_v4 e = x[j] - mu;
            s += e * e * iv;
        }
        *(nb_v4 *)(qd + g * 4) = s;
    }
}

/*
 * exp(jll - logsumexp(jll)) in place, as scikit-learn computes it: the
 * same roundings give the same ties among probabilities near 0 and 1,
 * which the ranking scores (ROC and PR AUC) depend on.
 */
static void
softmax(double *jll, size_t k)
{
    double top = -INFINITY, sum = 0;
    for (size_t c = 0; c < k; c++)
        if (jll[c] > top)
            top = jll[c];
    for (size_t c = 0; c < k; c++)
        sum += exp(jll[c] - top);
    double lse = top + log(sum);
    for (size_t c = 0; c < k; c++)
        jll[c] = exp(jll[c] - lse);
}

/*
 * The predicted class of a row from its log likelihoods: the first
 * largest, which is the first largest probability too unless an earlier
 * class is within rounding of it (or a value is not finite), when the
 * probabilities decide as model_argmax would (so predict gives the same
 * class with or without prob=yes). jll is overwritten then.
 */
static int
label_of(double *jll, size_t k)
{
    size_t best = 0;
    int odd = isnan(jll[0]);
    for (size_t c = 1; c < k; c++) {
        odd |= isnan(jll[c]);
        if (jll[c] > jll[best])
            best = c;
    }
    double top = jll[best], near = top - 1e-9 * (1 + fabs(top));
    for (size_t c = 0; c < best && !odd; c++)
        odd = jll[c] >= near;
    if (!odd && isfinite(top))
        return (int)best;
    softmax(jll, k);
    best = 0;
    for (size_t c = 1; c < k; c++)
        if (jll[c] > jll[best])
            best = c;
    return (int)best;
}

/* Rows lo..hi: their probabilities or classes; qd is 4 kg + k doubles of scratch. */
static void
proba_rows(const struct nb_terms *tm, size_t lo, size_t hi, double *qd)
{
    const struct nb_model *m = tm->m;
    size_t p = m->p, k = (size_t)m->k;
    for (size_t i = lo; i < hi; i++) {
        const double *x = tm->x + i * p;
        double *jll = tm->out ? tm->out + i * k : qd + 4 * tm->kg;
        int plain = !tm->anycat;
        for (size_t j = 0; plain && j < p; j++)
            plain = !isnan(x[j]);
        if (plain) {
            /* The common row, every feature numeric and present: one pass over it. */
            quad_terms(x, p, tm->kg, tm->mu_t, tm->iv_t, qd);
            for (size_t c = 0; c < k; c++)
                jll[c] = tm->cst[c] - 0.5 * qd[c];
        } else {
            for (size_t c = 0; c < k; c++)
                jll[c] = jll_general(m, x, c, tm->lognorm, tm->ivar);
        }
        if (tm->labels)
            tm->labels[i] = label_of(jll, k);
        else
            softmax(jll, k);
    }
}

/* A thread's share: blocks of rows as they come (each row's answer is its own: any order). */
static void *
proba_worker(void *arg)
{
    struct nb_terms *tm = arg;
    double qd[520];
    size_t need = 4 * tm->kg + (size_t)tm->m->k;
    double *scratch = need <= 520 ? qd : malloc(sizeof(double) * need);
    if (!scratch)
        return NULL;
    size_t lo;
    while ((lo = atomic_fetch_add(&tm->next, NB_BLOCK)) < tm->n)
        proba_rows(tm, lo, lo + NB_BLOCK < tm->n ? lo + NB_BLOCK : tm->n, scratch);
    if (scratch != qd)
        free(scratch);
    return NULL;
}

/* Probabilities into out, or classes into labels (the other NULL), of the rows of d. */
static int
nb_run(const struct nb_model *m, const struct cls_data *d, double *out, int *labels,
       struct qerr *err)
{
    size_t p = m->p, k = (size_t)m->k, kg = (k + 3) / 4;
    if (d->p != p)
        return qerr_set(err, QE_ARG, "the model has %zu features, the rows %zu", p, d->p);
    /* Per class and feature: -0.5 log(2 pi var) and 1/var; per class their constant sum. */
    double *lognorm = mem_calloc(mem_mul(2 * k + 8 * kg, p) + 2 * k + 4 * kg + 1,
                                 sizeof(double), "nb", "terms", err);
    if (!lognorm)
        return -1;
    double *ivar = lognorm + k * p, *cst = ivar + k * p, *qd = cst + k;
    /* The means and 1/var by feature, then class: the vector lanes run over classes. */
    double *mu_t = qd + 4 * kg + k, *iv_t = mu_t + 4 * kg * p;
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
            mu_t[j * 4 * kg + c] = m->mean[c * p + j];
            iv_t[j * 4 * kg + c] = ivar[c * p + j];
        }
    }
    struct nb_terms tm = {.m = m, .lognorm = lognorm, .ivar = ivar, .cst = cst, .mu_t = mu_t,
                          .iv_t = iv_t, .kg = kg, .anycat = anycat, .x = d->x, .out = out,
                          .labels = labels, .n = d->n};
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
nb_proba(const void *model, const struct cls_data *d, double *out, struct qerr *err)
{
    return nb_run(model, d, out, NULL, err);
}

static int
nb_predict(const void *model, const struct cls_data *d, int *out, struct qerr *err)
{
    return nb_run(model, d, NULL, out, err);
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
    .predict = nb_predict,
    .save = nb_save,
    .load = nb_load,
    .show = nb_show,
    .release = nb_release,
    .trace = nb_trace,
};
