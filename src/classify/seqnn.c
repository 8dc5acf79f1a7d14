/*
 * seqnn.c: the rnn, lstm and gru classifiers (seqnn.h): three methods of
 * the classification contract sharing one implementation; the network is
 * src/nn/'s (embedding, recurrent layers, dense) and its training
 * nn_train.h's (cross-entropy, Adam, early stopping).
 */
#include "classify/seqnn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/mem.h"
#include "base/rng.h"
#include "nn/nn.h"
#include "nn/nn_train.h"

#include "base/banned.h"

const struct store_kind rnn_kind = {"rnn", 0, 1, 1};
const struct store_kind lstm_kind = {"lstm", 0, 1, 1};
const struct store_kind gru_kind = {"gru", 0, 1, 1};

#define MAX_VOCAB 1000000
#define MAX_T 100000

struct seqnn {
    int cell;            /* NN_RNN, NN_LSTM or NN_GRU */
    int nclass, T, vocab, embed, hidden, layers;
    int *idx;            /* T feature indices, in sequence order */
    size_t p;            /* the features the model was fitted on */
    size_t np;
    double *params;
    double weight[2 * 64]; /* class weights (first min(nclass, 128)) */
    int classweights, epochs, batch, patience, ran, best_epoch, n_val;
    double lr, train_loss, val_loss;
};

int
seqnn_position(const char *name)
{
    if (!name || strncmp(name, "seq_", 4) != 0 || !name[4])
        return -1;
    long v = 0;
    for (const char *s = name + 4; *s; s++) {
        if (*s < '0' || *s > '9' || v > 100000000)
            return -1;
        v = v * 10 + (*s - '0');
    }
    return (int)v;
}

static void
seqnn_release(void *model)
{
    struct seqnn *m = model;
    if (!m)
        return;
    free(m->idx);
    free(m->params);
    free(m);
}

/*
 * The network of m for batches of up to b examples (parameters initialised
 * from seed), its recurrent layers in float32 on threads threads (0: the
 * machine's cores; the results do not depend on it, nn.h).
 */
static int
build(const struct seqnn *m, int b, unsigned long long seed, int threads, struct nn_net *net,
      struct qerr *err)
{
    nn_net_init(net, m->T, 1);
    if (threads <= 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        threads = cores > 0 ? (int)cores : 1;
    }
    nn_set_threads(net, threads);
    int rc = nn_add_embed(net, m->vocab, m->embed, err);
    for (int l = 0; rc == 0 && l < m->layers; l++) {
        int every = l < m->layers - 1;
        rc = m->cell == NN_LSTM  ? nn_add_lstm(net, m->hidden, every, err)
             : m->cell == NN_GRU ? nn_add_gru(net, m->hidden, every, err)
                                 : nn_add_rnn(net, m->hidden, every, err);
    }
    if (rc == 0)
        rc = nn_add_dense(net, m->nclass, NN_IDENTITY, err);
    /* the recurrent layers in float32: about twice as fast (nn.h) */
    nn_set_float32(net, 1);
    if (rc == 0)
        rc = nn_net_alloc(net, b, seed, err);
    return rc;
}

/* The sequence features of d, sorted by position, into m->idx. */
static int
find_sequence(const struct cls_data *d, const char *name, struct seqnn *m, struct qerr *err)
{
    m->idx = mem_alloc(d->p + 1, sizeof *m->idx, name, "features", err);
    if (!m->idx)
        return -1;
    m->T = 0;
    for (size_t j = 0; d->names && j < d->p; j++)
        if (seqnn_position(d->names[j]) >= 0)
            m->idx[m->T++] = (int)j;
    /* insertion sort by position (the table order is already sorted) */
    for (int a = 1; a < m->T; a++)
        for (int b = a; b > 0 && seqnn_position(d->names[m->idx[b - 1]]) >
                                     seqnn_position(d->names[m->idx[b]]); b--) {
            int tmp = m->idx[b];
            m->idx[b] = m->idx[b - 1];
            m->idx[b - 1] = tmp;
        }
    if (m->T == 0)
        return qerr_set(err, QE_ARG, "%s reads an event sequence, the columns seq_01, seq_02, "
                                     "... that sequences writes; the features hold none", name);
    if (m->T > MAX_T)
        return qerr_set(err, QE_ARG, "%s reads at most %d sequence steps, not %d", name, MAX_T,
                        m->T);
    return 0;
}

/* The sequences of d's n rows as [n][T] codes. */
static double *
sequences_of(const struct seqnn *m, const struct cls_data *d, const char *name,
             struct qerr *err)
{
    double *x = mem_alloc(mem_mul(d->n, (size_t)m->T) + 1, sizeof *x, name, "sequences", err);
    if (!x)
        return NULL;
    for (size_t i = 0; i < d->n; i++)
        for (int t = 0; t < m->T; t++) {
            double v = d->x[i * d->p + (size_t)m->idx[t]];
            x[i * (size_t)m->T + (size_t)t] = isnan(v) ? 0 : v;
        }
    return x;
}

static int
seqnn_fit(int cell, const char *name, const struct cls_data *d, const struct cls_opts *o,
          struct tick *t, void **model, struct qerr *err)
{
    struct seqnn *m = mem_calloc(1, sizeof *m, name, "model", err);
    double *x = NULL, *y = NULL, *xs = NULL, *ys = NULL;
    size_t *order = NULL;
    struct nn_net net = {0};
    int rc = -1;
    *model = NULL;
    if (!m)
        return -1;
    m->cell = cell;
    m->nclass = d->nclass;
    m->p = d->p;
    m->embed = o->embed;
    m->hidden = o->hidden;
    m->layers = o->layers;
    m->epochs = o->epochs;
    m->batch = o->batch;
    m->lr = o->lr;
    m->patience = o->patience;
    m->classweights = o->classweights;
    if (d->nclass > 128) {
        qerr_set(err, QE_ARG, "%s predicts at most 128 classes, not %d", name, d->nclass);
        goto out;
    }
    if (d->n == 0) {
        qerr_set(err, QE_DATA, "%s has no rows to learn from", name);
        goto out;
    }
    if (find_sequence(d, name, m, err) < 0 || !(x = sequences_of(m, d, name, err)))
        goto out;
    size_t n = d->n, T = (size_t)m->T, k = (size_t)d->nclass;
    double vmax = 0;
    for (size_t i = 0; i < n * T; i++) {
        if (x[i] < 0 || x[i] != floor(x[i]) || x[i] >= MAX_VOCAB) {
            qerr_set(err, QE_DATA, "%s reads token codes, whole numbers 0 .. %d; a sequence "
                                   "holds %g", name, MAX_VOCAB - 1, x[i]);
            goto out;
        }
        vmax = x[i] > vmax ? x[i] : vmax;
    }
    m->vocab = (int)vmax + 1;
    /* class weights */
    double count[128] = {0};
    for (size_t i = 0; i < n; i++)
        count[d->y[i]]++;
    for (size_t c = 0; c < k; c++)
        m->weight[c] = m->classweights && count[c] > 0 ? (double)n / ((double)k * count[c]) : 1;
    /* a seeded shuffle; the last share validates */
    order = mem_alloc(n + 1, sizeof *order, name, "rows", err);
    xs = mem_alloc(mem_mul(n, T) + 1, sizeof *xs, name, "sequences", err);
    ys = mem_calloc(mem_mul(n, k) + 1, sizeof *ys, name, "targets", err);
    if (!order || !xs || !ys)
        goto out;
    struct rng r;
    rng_init(&r, o->seed ^ 0x5e91u);
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)rng_below(&r, i), tmp = order[i - 1];
        order[i - 1] = order[j];
        order[j] = tmp;
    }
    for (size_t i = 0; i < n; i++) {
        memcpy(xs + i * T, x + order[i] * T, T * sizeof *xs);
        int c = d->y[order[i]];
        ys[i * k + (size_t)c] = m->weight[c];
    }
    size_t nval = m->patience > 0 && n >= 20 ? (n / 10 > 0 ? n / 10 : 1) : 0;
    m->n_val = (int)nval;
    int batch = m->batch < (int)(n - nval) ? m->batch : (int)(n - nval);
    if (build(m, batch > 0 ? batch : 1, o->seed, o->threads, &net, err) < 0)
        goto out;
    struct nn_fit_opts fo = {.epochs = m->epochs, .batch = batch, .loss = NN_CCE,
                             .seed = o->seed + 1, .patience = nval ? m->patience : 0,
                             .xval = nval ? xs + (n - nval) * T : NULL,
                             .yval = nval ? ys + (n - nval) * k : NULL, .nval = (int)nval,
                             .note = 1};
    nn_optim_default(&fo.opt, NN_ADAM);
    fo.opt.lr = m->lr;
    double *tl = mem_alloc((size_t)m->epochs + 1, sizeof *tl, name, "losses", err);
    double *vl = mem_alloc((size_t)m->epochs + 1, sizeof *vl, name, "losses", err);
    if (!tl || !vl) {
        free(tl);
        free(vl);
        goto out;
    }
    int ran = 0;
    if (k > 1 &&
        nn_fit(&net, xs, ys, (int)(n - nval), &fo, tl, vl, &ran, t, err) < 0) {
        free(tl);
        free(vl);
        goto out;
    }
    m->ran = ran;
    m->train_loss = ran ? tl[ran - 1] : NAN;
    m->val_loss = NAN;
    m->best_epoch = ran;
    for (int e = 0; nval && e < ran; e++)
        if (isnan(m->val_loss) || vl[e] < m->val_loss) {
            m->val_loss = vl[e];
            m->best_epoch = e + 1;
        }
    free(tl);
    free(vl);
    m->np = net.np;
    m->params = mem_alloc(net.np + 1, sizeof *m->params, name, "parameters", err);
    if (!m->params)
        goto out;
    memcpy(m->params, net.p, net.np * sizeof *m->params);
    *model = m;
    m = NULL;
    rc = 0;
out:
    nn_net_free(&net);
    seqnn_release(m);
    free(x);
    free(y);
    free(xs);
    free(ys);
    free(order);
    return rc;
}

static int
rnn_fit(const struct cls_data *d, const struct cls_opts *o, struct tick *t, void **model,
        struct qerr *err)
{
    return seqnn_fit(NN_RNN, "rnn", d, o, t, model, err);
}

static int
lstm_fit(const struct cls_data *d, const struct cls_opts *o, struct tick *t, void **model,
         struct qerr *err)
{
    return seqnn_fit(NN_LSTM, "lstm", d, o, t, model, err);
}

static int
gru_fit(const struct cls_data *d, const struct cls_opts *o, struct tick *t, void **model,
        struct qerr *err)
{
    return seqnn_fit(NN_GRU, "gru", d, o, t, model, err);
}

static int
seqnn_proba(const void *model, const struct cls_data *d, double *out, struct qerr *err)
{
    const struct seqnn *m = model;
    size_t n = d->n, k = (size_t)m->nclass;
    if (d->p != m->p)
        return qerr_set(err, QE_ARG, "the model reads %zu features, the rows hold %zu", m->p,
                        d->p);
    if (n == 0)
        return 0;
    if (k == 1) {
        for (size_t i = 0; i < n; i++)
            out[i] = 1;
        return 0;
    }
    struct nn_net net = {0};
    double *x = sequences_of(m, d, "sequence model", err);
    int rc = -1, b = n < 256 ? (int)n : 256;
    if (!x || build(m, b, 0, 0, &net, err) < 0)
        goto out;
    memcpy(net.p, m->params, m->np * sizeof *net.p);
    if (nn_predict(&net, x, (int)n, out, NULL, err) < 0)
        goto out;
    for (size_t i = 0; i < n; i++) {
        double *z = out + i * k, mx = z[0], s = 0;
        for (size_t c = 1; c < k; c++)
            mx = z[c] > mx ? z[c] : mx;
        for (size_t c = 0; c < k; c++)
            s += (z[c] = exp(z[c] - mx));
        for (size_t c = 0; c < k; c++)
            z[c] /= s;
    }
    rc = 0;
out:
    nn_net_free(&net);
    free(x);
    return rc;
}

/* seqnn.h: the network for one example, weights set, and the row's sequence (trace). */
int
seqnn_net_of(const void *model, const double *row, struct nn_net *net, double **seq,
             struct qerr *err)
{
    const struct seqnn *m = model;
    struct cls_data one = {.x = row, .n = 1, .p = m->p};
    if (!(*seq = sequences_of(m, &one, "sequence model", err)) || build(m, 1, 0, 1, net, err) < 0)
        return -1;
    memcpy(net->p, m->params, m->np * sizeof *net->p);
    nn_set_float32(net, 0); /* the trace works in double: its check compares with this pass */
    return 0;
}

static int
seqnn_save(const void *model, struct buf *b, struct qerr *err)
{
    const struct seqnn *m = model;
    int64_t ints[] = {m->cell, m->nclass, (int64_t)m->p, m->T, m->vocab, m->embed, m->hidden,
                      m->layers, m->classweights, m->epochs, m->batch, m->patience, m->ran,
                      m->best_epoch, m->n_val};
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
        store_add_i64(b, ints[i]);
    for (int t = 0; t < m->T; t++)
        store_add_i64(b, m->idx[t]);
    store_add_f64(b, m->lr);
    store_add_f64(b, m->train_loss);
    store_add_f64(b, m->val_loss);
    store_add_f64s(b, m->weight, (size_t)m->nclass);
    store_add_net_params(b, m->params, m->np);
    (void)err;
    return 0;
}

static int
seqnn_load(struct store_reader *r, void **model, struct qerr *err)
{
    struct seqnn *m = mem_calloc(1, sizeof *m, "sequence model", "model", err);
    *model = NULL;
    if (!m)
        return -1;
    int64_t v[15];
    int rc = -1;
    for (int i = 0; i < 15; i++)
        if (store_read_i64(r, &v[i], err) < 0)
            goto out;
    if (!(v[0] == NN_RNN || v[0] == NN_LSTM || v[0] == NN_GRU) || v[1] < 1 || v[1] > 128 ||
        v[2] < 1 || v[2] > INT32_MAX || v[3] < 1 || v[3] > MAX_T || v[3] > v[2] || v[4] < 1 ||
        v[4] > MAX_VOCAB || v[5] < 1 || v[5] > 1000000 || v[6] < 1 || v[6] > 1000000 ||
        v[7] < 1 || v[7] > NN_MAX_LAYERS - 2) {
        store_read_fail(r, err, "its network's sizes are impossible");
        goto out;
    }
    m->cell = (int)v[0];
    m->nclass = (int)v[1];
    m->p = (size_t)v[2];
    m->T = (int)v[3];
    m->vocab = (int)v[4];
    m->embed = (int)v[5];
    m->hidden = (int)v[6];
    m->layers = (int)v[7];
    m->classweights = (int)v[8];
    m->epochs = (int)v[9];
    m->batch = (int)v[10];
    m->patience = (int)v[11];
    m->ran = (int)v[12];
    m->best_epoch = (int)v[13];
    m->n_val = (int)v[14];
    m->idx = mem_alloc((size_t)m->T, sizeof *m->idx, "sequence model", "features", err);
    if (!m->idx)
        goto out;
    for (int t = 0; t < m->T; t++) {
        int64_t j;
        if (store_read_i64(r, &j, err) < 0)
            goto out;
        if (j < 0 || j >= v[2]) {
            store_read_fail(r, err, "a sequence step reads feature %lld of %lld", (long long)j,
                            (long long)v[2]);
            goto out;
        }
        m->idx[t] = (int)j;
    }
    if (store_read_f64(r, &m->lr, err) < 0 || store_read_f64(r, &m->train_loss, err) < 0 ||
        store_read_f64(r, &m->val_loss, err) < 0 ||
        store_read_f64s(r, m->weight, (size_t)m->nclass, err) < 0)
        goto out;
    struct nn_net net = {0};
    /* the parameter count the sizes imply */
    if (build(m, 1, 0, 1, &net, err) < 0)
        goto out;
    m->np = net.np;
    nn_net_free(&net);
    if (store_read_net_params(r, m->np, "sequence model", &m->params, err) < 0)
        goto out;
    *model = m;
    m = NULL;
    rc = 0;
out:
    seqnn_release(m);
    return rc;
}

static int
seqnn_show(const void *model, const char *const *names, struct buf *out, struct qerr *err)
{
    const struct seqnn *m = model;
    const char *cell = m->cell == NN_LSTM ? "LSTM" : m->cell == NN_GRU ? "GRU" : "Elman RNN";
    buf_addf(out, "sequence of %d steps (%s .. %s), tokens 0 .. %d\n", m->T,
             names ? names[m->idx[0]] : "?", names ? names[m->idx[m->T - 1]] : "?",
             m->vocab - 1);
    buf_addf(out, "network: embed %d x %d -> %d %s layer%s of %d units -> dense softmax %d "
                  "(%zu parameters)\n",
             m->vocab, m->embed, m->layers, cell, m->layers == 1 ? "" : "s", m->hidden,
             m->nclass, m->np);
    buf_addf(out, "training: Adam lr %g, batch %d, cross-entropy%s; %d epoch%s run of %d", m->lr,
             m->batch, m->classweights ? " with balanced class weights" : "", m->ran,
             m->ran == 1 ? "" : "s", m->epochs);
    if (m->n_val)
        buf_addf(out, "; kept epoch %d, validation loss %.6f on %d held-out rows (patience "
                      "%d)\n",
                 m->best_epoch, m->val_loss, m->n_val, m->patience);
    else
        buf_addf(out, "; no validation share\n");
    if (m->classweights) {
        buf_adds(out, "class weights:");
        for (int c = 0; c < m->nclass; c++)
            buf_addf(out, " %.4f", m->weight[c]);
        buf_adds(out, "\n");
    }
    buf_addf(out, "final training loss %.6f\n", m->train_loss);
    (void)err;
    return 0;
}

#define SEQNN_METHOD(NAME, KIND, FIT)                                                         \
    {                                                                                         \
        .name = NAME, .kind = &KIND, .takes_missing = 1, .takes_categorical = 0, .fit = FIT, \
        .proba = seqnn_proba, .save = seqnn_save, .load = seqnn_load, .show = seqnn_show,    \
        .release = seqnn_release, .trace = NULL, .reads_sequence = 1,                        \
    }

const struct cls_method cls_rnn = SEQNN_METHOD("rnn", rnn_kind, rnn_fit);
const struct cls_method cls_lstm = SEQNN_METHOD("lstm", lstm_kind, lstm_fit);
const struct cls_method cls_gru = SEQNN_METHOD("gru", gru_kind, gru_fit);
