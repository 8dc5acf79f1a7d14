/*
 * forest.c: the random forest method (cls_forest; forest.h says what it
 * computes). The features are sorted once (tree_presort) and shared, read
 * only, by the worker threads; each worker takes the next tree number,
 * draws that tree's bootstrap counts from the tree's own stream, copies
 * the in-bag rows' entries out of the shared lists (tree_bag) and grows
 * the tree (tree_build). Which thread grew a tree changes nothing in it.
 * The out-of-bag vote and prediction run over row ranges in parallel,
 * each row summing its trees in tree order, so their bits do not depend
 * on the thread count either.
 */
#include "classify/forest.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "classify/tree_int.h"

#include "base/banned.h"

const struct store_kind forest_kind = {
    .name = "forest",
    .is_transform = 0,
    .version = 1,
    .min_version = 1,
};

#define FOREST_MAX_TREES 100000
#define FOREST_MAX_CLASSES 1000000
#define FOREST_MAX_FEATURES 100000000
/* Rows per piece of parallel prediction. */
#define FOREST_CHUNK 512
/* Spaces the trees' seeds (the golden ratio in 64 bits, as splitmix64). */
#define FOREST_STREAM 0x9E3779B97F4A7C15ull

struct forest_model {
    int nclass;
    size_t p;
    int ntrees;
    struct tree *trees;
    enum cls_criterion criterion;
    int maxdepth, minleaf, minsplit, features;
    uint64_t seed;
    int threads;          /* for predict: the fit's option (0 after load: the cores) */
    double oob;           /* NaN when no row was out of bag */
    long long oob_rows;
    long long n_rows;     /* training rows */
    double *importance;   /* p */
    char **names;         /* p, or NULL */
    size_t n_names;
};

const struct tree *
forest_model_tree(const void *model, int k, int *n_trees, enum cls_criterion *crit)
{
    const struct forest_model *m = model;
    *n_trees = m->ntrees;
    *crit = m->criterion;
    return k >= 0 && k < m->ntrees ? &m->trees[k] : NULL;
}

double
forest_oob_accuracy_rows(const void *model, long long *rows)
{
    const struct forest_model *m = model;
    if (rows)
        *rows = m->oob_rows;
    return m->oob;
}

double
forest_oob_accuracy(const void *model)
{
    return forest_oob_accuracy_rows(model, NULL);
}

const double *
forest_importance(const void *model, size_t *p)
{
    const struct forest_model *m = model;
    *p = m->p;
    return m->importance;
}

static void
fm_release(void *model)
{
    struct forest_model *m = model;
    if (!m)
        return;
    for (int i = 0; m->trees && i < m->ntrees; i++)
        tree_release(&m->trees[i]);
    free(m->trees);
    free(m->importance);
    tree_names_free(m->names, m->n_names);
    free(m);
}

/* --- growing the trees, in parallel ------------------------------------------------ */

struct grow_job {
    const struct tree_entry *sorted;
    size_t n, p;
    int nclass, ntrees;
    struct tree_params tp;
    uint64_t seed;
    struct tree *trees;
    uint64_t *inbag;      /* ntrees x words bits: row i in tree t's sample */
    size_t words;
    struct tick *t;       /* the calling thread's, for worker 0 */
    atomic_int next, done, stop;
};

struct grow_worker {
    struct grow_job *job;
    int is_main;
    int fail_tree;        /* the tree whose growing failed, or -1 */
    struct qerr err;
};

/* An integer uniform in [0, n), by the high half of a 64 x 64-bit product (Lemire). */
static inline size_t
draw_below(struct rng *r, size_t n)
{
    return (size_t)(((unsigned __int128)rng_next(r) * n) >> 64);
}

static void *
grow_run(void *arg)
{
    struct grow_worker *wk = arg;
    struct grow_job *job = wk->job;
    size_t n = job->n, p = job->p;
    int *w = mem_alloc(n, sizeof *w, "forest", "bootstrap counts", &wk->err);
    struct tree_entry *work = mem_alloc(mem_mul(n, p), sizeof *work, "forest", "sorted values",
                                        &wk->err);
    if (!w || !work) {
        atomic_store(&job->stop, 1);
        wk->fail_tree = 0;
        goto out;
    }
    int ti;
    while ((ti = atomic_fetch_add(&job->next, 1)) < job->ntrees) {
        if (atomic_load(&job->stop))
            break;
        struct rng r;
        rng_init(&r, job->seed + FOREST_STREAM * (uint64_t)(ti + 1));
        memset(w, 0, n * sizeof *w);
        for (size_t i = 0; i < n; i++)
            w[draw_below(&r, n)]++;
        uint64_t *bits = job->inbag + (size_t)ti * job->words;
        for (size_t i = 0; i < n; i++)
            if (w[i])
                bits[i >> 6] |= 1ull << (i & 63);
        size_t m = tree_bag(job->sorted, n, p, w, work);
        struct tree_params tp = job->tp;
        if (wk->is_main) {
            double done = (double)atomic_load(&job->done);
            tp.progress_base = 0.1 + 0.85 * done / job->ntrees;
            tp.progress_span = 0.85 / job->ntrees;
        }
        if (tree_build(work, m, n, p, job->nclass, w, &tp, &r, wk->is_main ? job->t : NULL,
                       &job->stop, &job->trees[ti], &wk->err) < 0) {
            wk->fail_tree = ti;
            atomic_store(&job->stop, 1);
            break;
        }
        atomic_fetch_add(&job->done, 1);
    }
out:
    free(w);
    free(work);
    return NULL;
}

/* Grow the job's trees on nt threads (the caller's among them); 0 or -1 with err set. */
static int
grow_all(struct grow_job *job, int nt, struct qerr *err)
{
    struct grow_worker *wk = xcalloc((size_t)nt, sizeof *wk);
    pthread_t *th = xcalloc((size_t)nt, sizeof *th);
    int *started = xcalloc((size_t)nt, sizeof *started);
    for (int i = 0; i < nt; i++) {
        wk[i] = (struct grow_worker){.job = job, .is_main = i == 0, .fail_tree = -1};
        qerr_init(&wk[i].err);
    }
    for (int i = 1; i < nt; i++)
        started[i] = pthread_create(&th[i], NULL, grow_run, &wk[i]) == 0;
    grow_run(&wk[0]); /* a thread that did not start leaves its trees to the others */
    for (int i = 1; i < nt; i++)
        if (started[i])
            pthread_join(th[i], NULL);
    /* report the real failure before the interruptions it caused, the lowest tree first */
    int pick = -1;
    for (int i = 0; i < nt; i++) {
        if (wk[i].fail_tree < 0)
            continue;
        if (pick < 0 || (wk[pick].err.code == QE_INTERRUPT && wk[i].err.code != QE_INTERRUPT) ||
            ((wk[pick].err.code == QE_INTERRUPT) == (wk[i].err.code == QE_INTERRUPT) &&
             wk[i].fail_tree < wk[pick].fail_tree))
            pick = i;
    }
    int rc = 0;
    if (pick >= 0) {
        rc = qerr_set(err, wk[pick].err.code, "%s", wk[pick].err.msg ? wk[pick].err.msg : "");
        if (wk[pick].err.hint)
            qerr_hint(err, "%s", wk[pick].err.hint);
    }
    for (int i = 0; i < nt; i++)
        qerr_clear(&wk[i].err);
    free(wk);
    free(th);
    free(started);
    return rc;
}

/* --- voting over rows, in parallel ------------------------------------------------ */

struct vote_job {
    const struct forest_model *m;
    const double *x;      /* n x p */
    size_t n;
    double *out;          /* n x nclass, or NULL for the out-of-bag count */
    const uint64_t *inbag;
    size_t words;
    const int *y;
    atomic_size_t next;
};

struct vote_worker {
    struct vote_job *job;
    double *acc;          /* nclass */
    long long correct, counted;
};

static void *
vote_run(void *arg)
{
    struct vote_worker *wk = arg;
    struct vote_job *job = wk->job;
    const struct forest_model *m = job->m;
    size_t c = (size_t)m->nclass, lo;
    while ((lo = atomic_fetch_add(&job->next, FOREST_CHUNK)) < job->n) {
        size_t hi = lo + FOREST_CHUNK < job->n ? lo + FOREST_CHUNK : job->n;
        for (size_t i = lo; i < hi; i++) {
            const double *row = job->x + i * m->p;
            memset(wk->acc, 0, c * sizeof *wk->acc);
            int voters = 0;
            for (int t = 0; t < m->ntrees; t++) {
                if (job->inbag && (job->inbag[(size_t)t * job->words + (i >> 6)] >> (i & 63)) & 1)
                    continue;
                const struct tree *tr = &m->trees[t];
                size_t leaf = tree_leaf(tr, row);
                const double *v = tr->value + leaf * c;
                double w = tr->nodes[leaf].weight;
                for (size_t k = 0; k < c; k++)
                    wk->acc[k] += v[k] / w;
                voters++;
            }
            if (job->out) {
                for (size_t k = 0; k < c; k++)
                    job->out[i * c + k] = wk->acc[k] / m->ntrees;
            } else if (voters) {
                size_t best = 0;
                for (size_t k = 1; k < c; k++)
                    if (wk->acc[k] > wk->acc[best])
                        best = k;
                wk->counted++;
                wk->correct += (int)best == job->y[i];
            }
        }
    }
    return NULL;
}

static void
vote_all(struct vote_job *job, int nt, long long *correct, long long *counted)
{
    if ((size_t)nt > job->n / FOREST_CHUNK + 1)
        nt = (int)(job->n / FOREST_CHUNK + 1);
    struct vote_worker *wk = xcalloc((size_t)nt, sizeof *wk);
    pthread_t *th = xcalloc((size_t)nt, sizeof *th);
    int *started = xcalloc((size_t)nt, sizeof *started);
    for (int i = 0; i < nt; i++)
        wk[i] = (struct vote_worker){.job = job,
                                     .acc = xcalloc((size_t)job->m->nclass, sizeof(double))};
    for (int i = 1; i < nt; i++)
        started[i] = pthread_create(&th[i], NULL, vote_run, &wk[i]) == 0;
    vote_run(&wk[0]);
    long long cr = 0, cn = 0;
    for (int i = 0; i < nt; i++) {
        if (i > 0 && started[i])
            pthread_join(th[i], NULL);
        cr += wk[i].correct;
        cn += wk[i].counted;
        free(wk[i].acc);
    }
    if (correct)
        *correct = cr;
    if (counted)
        *counted = cn;
    free(wk);
    free(th);
    free(started);
}

/* --- the method ------------------------------------------------------------------- */

static int
fm_fit(const struct cls_data *d, const struct cls_opts *o, struct tick *t, void **model,
       struct qerr *err)
{
    int rc = -1;
    struct tree_entry *sorted = NULL;
    uint64_t *inbag = NULL;
    struct forest_model *m = NULL;
    *model = NULL;
    if (tree_check_fit(d, o, err) < 0)
        return -1;
    if (o->trees < 1 || o->trees > FOREST_MAX_TREES)
        return qerr_set(err, QE_ARG, "trees=%d is outside 1..%d", o->trees, FOREST_MAX_TREES);
    if (o->features < -1)
        return qerr_set(err, QE_ARG, "features=%d: give a count, 0 for sqrt or -1 for all",
                        o->features);
    m = xcalloc(1, sizeof *m);
    m->nclass = d->nclass;
    m->p = d->p;
    m->ntrees = o->trees;
    m->criterion = o->criterion;
    m->maxdepth = o->maxdepth;
    m->minleaf = o->minleaf;
    m->minsplit = o->minsplit;
    m->seed = o->seed;
    m->threads = o->threads;
    m->n_rows = (long long)d->n;
    m->features = o->features == 0 ? (int)floor(sqrt((double)d->p)) : o->features;
    if (m->features < 1 || (size_t)m->features > d->p)
        m->features = d->p ? (int)d->p : 1;
    m->trees = xcalloc((size_t)m->ntrees, sizeof *m->trees);
    m->importance = xcalloc(d->p ? d->p : 1, sizeof *m->importance);
    m->names = tree_names_dup(d->names, d->p);
    m->n_names = d->p;
    size_t words = (d->n + 63) / 64;
    inbag = mem_calloc(mem_mul(words, (size_t)m->ntrees), sizeof *inbag, "forest",
                       "in-bag marks", err);
    if (!inbag || tree_presort(d->x, d->n, d->p, d->y, t, &sorted, err) < 0)
        goto out;
    struct grow_job job = {.sorted = sorted, .n = d->n, .p = d->p, .nclass = d->nclass,
                           .ntrees = m->ntrees, .seed = o->seed, .trees = m->trees,
                           .inbag = inbag, .words = words, .t = t};
    job.tp = (struct tree_params){.criterion = o->criterion, .maxdepth = o->maxdepth,
                                  .minleaf = o->minleaf, .minsplit = o->minsplit,
                                  .max_features = m->features};
    atomic_init(&job.next, 0);
    atomic_init(&job.done, 0);
    atomic_init(&job.stop, 0);
    int nt = tree_threads(o->threads);
    if (nt > m->ntrees)
        nt = m->ntrees;
    if (grow_all(&job, nt, err) < 0)
        goto out;
    free(sorted);
    sorted = NULL;
    if (t && tick_now(t, 0.95)) {
        tick_fail(err);
        goto out;
    }
    struct vote_job vj = {.m = m, .x = d->x, .n = d->n, .inbag = inbag, .words = words,
                          .y = d->y};
    atomic_init(&vj.next, 0);
    long long correct, counted;
    vote_all(&vj, tree_threads(o->threads), &correct, &counted);
    m->oob_rows = counted;
    m->oob = counted ? (double)correct / (double)counted : NAN;
    double sum = 0;
    for (int i = 0; i < m->ntrees; i++)
        tree_importance_add(&m->trees[i], m->importance);
    for (size_t j = 0; j < m->p; j++)
        sum += m->importance[j];
    for (size_t j = 0; sum > 0 && j < m->p; j++)
        m->importance[j] /= sum;
    *model = m;
    m = NULL;
    rc = 0;
out:
    free(sorted);
    free(inbag);
    fm_release(m);
    return rc;
}

static int
fm_proba(const void *model, const struct cls_data *d, double *out, struct qerr *err)
{
    const struct forest_model *m = model;
    if (d->p != m->p)
        return qerr_set(err, QE_ARG, "the forest was fitted on %zu features, not %zu", m->p,
                        d->p);
    struct vote_job vj = {.m = m, .x = d->x, .n = d->n, .out = out};
    atomic_init(&vj.next, 0);
    vote_all(&vj, tree_threads(m->threads), NULL, NULL);
    return 0;
}

static int
fm_save(const void *model, struct buf *b, struct qerr *err)
{
    const struct forest_model *m = model;
    store_add_i64(b, m->nclass);
    store_add_i64(b, (int64_t)m->p);
    store_add_i64(b, m->ntrees);
    store_add_i64(b, m->criterion);
    store_add_i64(b, m->maxdepth);
    store_add_i64(b, m->minleaf);
    store_add_i64(b, m->minsplit);
    store_add_i64(b, m->features);
    store_add_i64(b, (int64_t)m->seed);
    store_add_i64(b, m->oob_rows);
    store_add_i64(b, m->n_rows);
    store_add_f64(b, m->oob);
    store_add_f64s(b, m->importance, m->p);
    tree_names_encode(b, m->names, m->p);
    for (int i = 0; i < m->ntrees; i++)
        tree_encode(&m->trees[i], b);
    return 0;
}

static int
fm_load(struct store_reader *r, void **model, struct qerr *err)
{
    int64_t v[11];
    *model = NULL;
    for (int k = 0; k < 11; k++)
        store_read_i64(r, &v[k], err);
    if (r->failed)
        return -1;
    if (v[0] < 1 || v[0] > FOREST_MAX_CLASSES || v[1] < 0 || v[1] > FOREST_MAX_FEATURES ||
        v[2] < 1 || v[2] > FOREST_MAX_TREES || (v[3] != CLS_GINI && v[3] != CLS_ENTROPY) ||
        v[4] < 0 || v[4] > INT32_MAX || v[5] < 1 || v[5] > INT32_MAX || v[6] < 2 ||
        v[6] > INT32_MAX || v[7] < 1 || v[7] > (v[1] > 0 ? v[1] : 1) || v[10] < 1 ||
        v[9] < 0 || v[9] > v[10])
        return store_read_fail(r, err, "its header holds an impossible value");
    /* every tree takes at least a count and one node of 8 + nclass numbers */
    if ((uint64_t)v[2] > (r->len - r->pos) / (8 * (9 + (uint64_t)v[0])))
        return store_read_fail(r, err, "%lld trees need more than the %zu bytes left",
                               (long long)v[2], r->len - r->pos);
    if ((uint64_t)v[1] > (r->len - r->pos) / 8)
        return store_read_fail(r, err, "%lld importances need more than the bytes left",
                               (long long)v[1]);
    struct forest_model *m = xcalloc(1, sizeof *m);
    m->nclass = (int)v[0];
    m->p = (size_t)v[1];
    m->criterion = (enum cls_criterion)v[3];
    m->maxdepth = (int)v[4];
    m->minleaf = (int)v[5];
    m->minsplit = (int)v[6];
    m->features = (int)v[7];
    m->seed = (uint64_t)v[8];
    m->oob_rows = v[9];
    m->n_rows = v[10];
    m->importance = xcalloc(m->p ? m->p : 1, sizeof *m->importance);
    m->trees = xcalloc((size_t)v[2], sizeof *m->trees);
    store_read_f64(r, &m->oob, err);
    store_read_f64s(r, m->importance, m->p, err);
    if (r->failed)
        goto fail;
    if (!(isnan(m->oob) || (m->oob >= 0 && m->oob <= 1))) {
        store_read_fail(r, err, "its out-of-bag accuracy is %g", m->oob);
        goto fail;
    }
    for (size_t j = 0; j < m->p; j++)
        if (!(m->importance[j] >= 0 && m->importance[j] <= 1)) {
            store_read_fail(r, err, "feature %zu has the importance %g", j + 1,
                            m->importance[j]);
            goto fail;
        }
    if (tree_names_decode(r, m->p, &m->names, err) < 0)
        goto fail;
    m->n_names = m->p;
    for (int i = 0; i < (int)v[2]; i++) {
        if (tree_decode(r, m->nclass, m->p, &m->trees[i], err) < 0)
            goto fail;
        m->ntrees = i + 1;
    }
    if (store_read_end(r, err) < 0)
        goto fail;
    *model = m;
    return 0;
fail:
    fm_release(m);
    return -1;
}

/* Feature j's name: the names given, those kept at fit, or xJ. */
static void
add_name(struct buf *out, const char *const *names, size_t j)
{
    if (names && names[j])
        buf_adds(out, names[j]);
    else
        buf_addf(out, "x%zu", j + 1);
}

static int
fm_show(const void *model, const char *const *names, struct buf *out, struct qerr *err)
{
    const struct forest_model *m = model;
    if (!names)
        names = (const char *const *)m->names;
    size_t nodes = 0;
    int depth = 0;
    for (int i = 0; i < m->ntrees; i++) {
        int dd = tree_depth(&m->trees[i], NULL);
        nodes += m->trees[i].n_nodes;
        if (dd > depth)
            depth = dd;
    }
    buf_addf(out, "random forest: %d trees (CART, criterion %s, maxdepth ", m->ntrees,
             tree_criterion_name(m->criterion));
    if (m->maxdepth)
        buf_addf(out, "%d", m->maxdepth);
    else
        buf_adds(out, "unlimited");
    buf_addf(out, ", minleaf %d, minsplit %d), %d of %zu features tried per split, seed %llu\n",
             m->minleaf, m->minsplit, m->features, m->p, (unsigned long long)m->seed);
    buf_addf(out, "%lld training rows, %d classes; %.1f nodes a tree on average, depth %d at "
             "most\n", m->n_rows, m->nclass, (double)nodes / m->ntrees, depth);
    if (isnan(m->oob))
        buf_adds(out, "out-of-bag accuracy: none (no row was left out of a sample)\n");
    else
        buf_addf(out, "out-of-bag accuracy: %.4f (%lld rows out of bag at least once)\n", m->oob,
                 m->oob_rows);
    buf_addf(out, "feature importance (mean decrease in %s):\n",
             tree_criterion_name(m->criterion));
    size_t *ord = xmalloc((m->p ? m->p : 1) * sizeof *ord);
    for (size_t j = 0; j < m->p; j++)
        ord[j] = j;
    for (size_t a = 1; a < m->p; a++) /* insertion sort: largest first, ties by position */
        for (size_t b = a; b > 0 && m->importance[ord[b]] > m->importance[ord[b - 1]]; b--) {
            size_t tmp = ord[b];
            ord[b] = ord[b - 1];
            ord[b - 1] = tmp;
        }
    for (size_t j = 0; j < m->p; j++) {
        buf_adds(out, "  ");
        size_t at = out->len;
        add_name(out, names, ord[j]);
        size_t w = out->len - at;
        buf_addn(out, ' ', w < 20 ? 20 - w : 1);
        buf_addf(out, "%.4f\n", m->importance[ord[j]]);
    }
    free(ord);
    return 0;
}

/* Trees whose paths fm_trace prints in full. */
#define TRACE_PATHS 3

/*
 * The trees' votes for one row: each tree's leaf and its class shares,
 * the count of trees whose leaf favours each class (the hard majority),
 * and the mean of the shares, which is what the forest predicts by (the
 * soft vote, as scikit-learn's predict_proba); the first trees' paths.
 */
static void
fm_trace(const void *model, const double *row, const char *const *names, struct buf *out)
{
    const struct forest_model *m = model;
    size_t c = (size_t)m->nclass;
    if (!names)
        names = (const char *const *)m->names;
    double *acc = xcalloc(c, sizeof *acc);
    int *votes = xcalloc(c, sizeof *votes);
    for (int t = 0; t < m->ntrees && t < TRACE_PATHS; t++) {
        buf_addf(out, "tree %d:\n", t + 1);
        size_t at = out->len;
        tree_path(&m->trees[t], m->criterion, row, names, out);
        /* indent the path under its tree */
        struct buf ind = BUF_INIT;
        for (size_t i = at; i < out->len; i++) {
            if (i == at || out->data[i - 1] == '\n')
                buf_adds(&ind, "  ");
            buf_addc(&ind, out->data[i]);
        }
        out->len = at;
        out->data[at] = '\0';
        buf_adds(out, ind.data);
        buf_release(&ind);
    }
    buf_addf(out, "each tree's leaf (class shares of its bootstrap rows):\n");
    for (int t = 0; t < m->ntrees; t++) {
        const struct tree *tr = &m->trees[t];
        size_t leaf = tree_leaf(tr, row);
        const double *v = tr->value + leaf * c;
        double w = tr->nodes[leaf].weight;
        size_t best = 0;
        for (size_t k = 0; k < c; k++) {
            acc[k] += v[k] / w;
            if (v[k] > v[best])
                best = k;
        }
        votes[best]++;
        buf_addf(out, "  tree %3d: class %zu (", t + 1, best);
        for (size_t k = 0; k < c; k++)
            buf_addf(out, "%s%.4g", k ? " " : "", v[k] / w);
        buf_adds(out, ")\n");
    }
    size_t maj = 0, soft = 0;
    for (size_t k = 1; k < c; k++) {
        maj = votes[k] > votes[maj] ? k : maj;
        soft = acc[k] > acc[soft] ? k : soft;
    }
    buf_adds(out, "votes (trees whose leaf favours the class):");
    for (size_t k = 0; k < c; k++)
        buf_addf(out, " class %zu %d%s", k, votes[k], k + 1 < c ? "," : "");
    buf_addf(out, "; majority: class %zu\n", maj);
    buf_addf(out, "mean of the %d trees' shares (what the forest predicts by):", m->ntrees);
    for (size_t k = 0; k < c; k++)
        buf_addf(out, " class %zu %.6g%s", k, acc[k] / m->ntrees, k + 1 < c ? "," : "");
    buf_addf(out, "\n%s\n", maj == soft ? "the majority and the mean agree"
                                         : "the majority and the mean disagree: the mean "
                                           "decides");
    free(acc);
    free(votes);
}

const struct cls_method cls_forest = {
    .name = "forest",
    .kind = &forest_kind,
    .takes_missing = 1,
    .takes_categorical = 0,
    .fit = fm_fit,
    .proba = fm_proba,
    .save = fm_save,
    .load = fm_load,
    .show = fm_show,
    .release = fm_release,
    .trace = fm_trace,
};
