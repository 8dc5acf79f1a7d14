/*
 * wavenet.c: the wavelet-network classifier (wavenet.h), one method of the
 * classification contract; the network is src/nn/'s (a wavelet layer, a
 * dense layer) and each epoch nn_fit's (cross-entropy, Adam), one epoch at
 * a time so that the training accuracy can be taken after each.
 */
#include "classify/wavenet.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "nn/nn.h"
#include "nn/nn_train.h"

#include "base/banned.h"

const struct store_kind wavelet_kind = {"wavelet", 0, 1, 1};

#define MAX_UNITS 4096
#define MAX_EPOCHS 100000

struct wavenet {
    int nclass, hidden, epochs, batch, ran;
    size_t p;          /* features */
    double lr;
    double *mean, *sd; /* p each: the standardisation */
    size_t np;
    double *params;
    double *loss, *acc; /* ran each: per epoch */
};

static void
wavenet_release(void *model)
{
    struct wavenet *m = model;
    if (!m)
        return;
    free(m->mean);
    free(m->sd);
    free(m->params);
    free(m->loss);
    free(m->acc);
    free(m);
}

/* The network of m for batches of up to b rows, initialised from seed. */
static int
build(const struct wavenet *m, int b, unsigned long long seed, struct nn_net *net,
      struct qerr *err)
{
    nn_net_init(net, 1, (int)m->p);
    if (nn_add_wavelet(net, m->hidden, NN_MEXHAT, err) < 0 ||
        nn_add_dense(net, m->nclass, NN_IDENTITY, err) < 0)
        return -1;
    return nn_net_alloc(net, b, seed, err);
}

/* d's rows standardised by m into a new n x p array. */
static double *
standardised(const struct wavenet *m, const struct cls_data *d, struct qerr *err)
{
    double *z = mem_alloc(mem_mul(d->n, m->p) + 1, sizeof *z, "wavelet", "rows", err);
    if (!z)
        return NULL;
    for (size_t i = 0; i < d->n; i++)
        for (size_t j = 0; j < m->p; j++) {
            double v = d->x[i * d->p + j];
            z[i * m->p + j] = m->sd[j] > 0 ? (v - m->mean[j]) / m->sd[j] : 0;
        }
    return z;
}

/* The training rows' mean and sd (n-1) per feature into m. */
static int
fit_scale(struct wavenet *m, const struct cls_data *d, struct qerr *err)
{
    m->mean = mem_calloc(m->p + 1, sizeof *m->mean, "wavelet", "means", err);
    m->sd = mem_calloc(m->p + 1, sizeof *m->sd, "wavelet", "sds", err);
    if (!m->mean || !m->sd)
        return -1;
    for (size_t j = 0; j < m->p; j++) {
        double s = 0, ss = 0;
        for (size_t i = 0; i < d->n; i++)
            s += d->x[i * d->p + j];
        m->mean[j] = s / (double)d->n;
        for (size_t i = 0; i < d->n; i++) {
            double e = d->x[i * d->p + j] - m->mean[j];
            ss += e * e;
        }
        m->sd[j] = d->n > 1 ? sqrt(ss / (double)(d->n - 1)) : 0;
    }
    return 0;
}

/* The share of the n rows z whose largest output is their class y. */
static int
accuracy(struct nn_net *net, const double *z, const int *y, size_t n, int k, double *out,
         double *acc, struct qerr *err)
{
    if (nn_predict(net, z, (int)n, out, NULL, err) < 0)
        return -1;
    size_t right = 0;
    for (size_t i = 0; i < n; i++) {
        const double *o = out + i * (size_t)k;
        int best = 0;
        for (int c = 1; c < k; c++)
            best = o[c] > o[best] ? c : best;
        right += best == y[i];
    }
    *acc = (double)right / (double)n;
    return 0;
}

static int
wavenet_fit(const struct cls_data *d, const struct cls_opts *o, struct tick *t, void **model,
            struct qerr *err)
{
    struct wavenet *m = mem_calloc(1, sizeof *m, "wavelet", "model", err);
    double *z = NULL, *y = NULL, *out = NULL;
    struct nn_net net = {0};
    int rc = -1;
    *model = NULL;
    if (!m)
        return -1;
    m->nclass = d->nclass;
    m->p = d->p;
    m->hidden = o->hidden;
    m->epochs = o->epochs;
    m->batch = o->batch;
    m->lr = o->lr;
    if (d->n == 0 || d->p == 0) {
        qerr_set(err, QE_DATA, "wavelet has %s to learn from", d->n ? "no features" : "no rows");
        goto out;
    }
    if (m->hidden < 1 || m->hidden > MAX_UNITS || m->epochs < 1 || m->epochs > MAX_EPOCHS ||
        m->batch < 1 || !(m->lr > 0)) {
        qerr_set(err, QE_ARG, "wavelet needs 1 to %d hidden units, 1 to %d epochs, a batch "
                              "and a positive lr", MAX_UNITS, MAX_EPOCHS);
        goto out;
    }
    size_t n = d->n, k = (size_t)d->nclass;
    int batch = m->batch < (int)n ? m->batch : (int)n;
    m->loss = mem_calloc((size_t)m->epochs + 1, sizeof *m->loss, "wavelet", "losses", err);
    m->acc = mem_calloc((size_t)m->epochs + 1, sizeof *m->acc, "wavelet", "accuracies", err);
    if (!m->loss || !m->acc || fit_scale(m, d, err) < 0 || !(z = standardised(m, d, err)))
        goto out;
    y = mem_calloc(mem_mul(n, k) + 1, sizeof *y, "wavelet", "targets", err);
    out = mem_alloc(mem_mul(n, k) + 1, sizeof *out, "wavelet", "outputs", err);
    if (!y || !out || build(m, batch, o->seed, &net, err) < 0)
        goto out;
    for (size_t i = 0; i < n; i++)
        y[i * k + (size_t)d->y[i]] = 1;
    struct nn_fit_opts fo = {.epochs = 1, .batch = batch, .loss = NN_CCE};
    nn_optim_default(&fo.opt, NN_ADAM);
    fo.opt.lr = m->lr;
    for (int e = 0; k > 1 && e < m->epochs; e++) {
        int ran = 0;
        fo.seed = o->seed + 1 + (unsigned long long)e; /* each epoch's own order */
        if (nn_fit(&net, z, y, (int)n, &fo, &m->loss[e], NULL, &ran, t, err) < 0 ||
            accuracy(&net, z, d->y, n, (int)k, out, &m->acc[e], err) < 0)
            goto out;
        m->ran = e + 1;
    }
    m->np = net.np;
    m->params = mem_alloc(net.np + 1, sizeof *m->params, "wavelet", "parameters", err);
    if (!m->params)
        goto out;
    memcpy(m->params, net.p, net.np * sizeof *m->params);
    *model = m;
    m = NULL;
    rc = 0;
out:
    nn_net_free(&net);
    wavenet_release(m);
    free(z);
    free(y);
    free(out);
    return rc;
}

static int
wavenet_proba(const void *model, const struct cls_data *d, double *out, struct qerr *err)
{
    const struct wavenet *m = model;
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
    double *z = standardised(m, d, err);
    int rc = -1, b = n < 256 ? (int)n : 256;
    if (!z || build(m, b, 0, &net, err) < 0)
        goto out;
    memcpy(net.p, m->params, m->np * sizeof *net.p);
    if (nn_predict(&net, z, (int)n, out, NULL, err) < 0)
        goto out;
    for (size_t i = 0; i < n; i++) {
        double *v = out + i * k, mx = v[0], s = 0;
        for (size_t c = 1; c < k; c++)
            mx = v[c] > mx ? v[c] : mx;
        for (size_t c = 0; c < k; c++)
            s += (v[c] = exp(v[c] - mx));
        for (size_t c = 0; c < k; c++)
            v[c] /= s;
    }
    rc = 0;
out:
    nn_net_free(&net);
    free(z);
    return rc;
}

static int
wavenet_save(const void *model, struct buf *b, struct qerr *err)
{
    const struct wavenet *m = model;
    int64_t ints[] = {m->nclass, (int64_t)m->p, m->hidden, m->epochs, m->batch, m->ran};
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
        store_add_i64(b, ints[i]);
    store_add_f64(b, m->lr);
    store_add_f64s(b, m->mean, m->p);
    store_add_f64s(b, m->sd, m->p);
    store_add_f64s(b, m->loss, (size_t)m->ran);
    store_add_f64s(b, m->acc, (size_t)m->ran);
    store_add_net_params(b, m->params, m->np);
    (void)err;
    return 0;
}

static int
wavenet_load(struct store_reader *r, void **model, struct qerr *err)
{
    struct wavenet *m = mem_calloc(1, sizeof *m, "wavelet", "model", err);
    int64_t v[6];
    int rc = -1;
    *model = NULL;
    if (!m)
        return -1;
    for (int i = 0; i < 6; i++)
        if (store_read_i64(r, &v[i], err) < 0)
            goto out;
    if (v[0] < 1 || v[0] > 1000000 || v[1] < 1 || v[1] > 100000000 || v[2] < 1 ||
        v[2] > MAX_UNITS || v[3] < 1 || v[3] > MAX_EPOCHS || v[4] < 1 || v[5] < 0 ||
        v[5] > v[3]) {
        store_read_fail(r, err, "its network's sizes are impossible");
        goto out;
    }
    m->nclass = (int)v[0];
    m->p = (size_t)v[1];
    m->hidden = (int)v[2];
    m->epochs = (int)v[3];
    m->batch = (int)v[4];
    m->ran = (int)v[5];
    m->mean = mem_alloc(m->p, sizeof *m->mean, "wavelet", "means", err);
    m->sd = mem_alloc(m->p, sizeof *m->sd, "wavelet", "sds", err);
    m->loss = mem_calloc((size_t)m->ran + 1, sizeof *m->loss, "wavelet", "losses", err);
    m->acc = mem_calloc((size_t)m->ran + 1, sizeof *m->acc, "wavelet", "accuracies", err);
    if (!m->mean || !m->sd || !m->loss || !m->acc || store_read_f64(r, &m->lr, err) < 0 ||
        store_read_f64s(r, m->mean, m->p, err) < 0 || store_read_f64s(r, m->sd, m->p, err) < 0 ||
        store_read_f64s(r, m->loss, (size_t)m->ran, err) < 0 ||
        store_read_f64s(r, m->acc, (size_t)m->ran, err) < 0)
        goto out;
    struct nn_net net = {0};
    /* the parameter count the sizes imply */
    if (build(m, 1, 0, &net, err) < 0)
        goto out;
    m->np = net.np;
    nn_net_free(&net);
    if (store_read_net_params(r, m->np, "wavelet", &m->params, err) < 0)
        goto out;
    *model = m;
    m = NULL;
    rc = 0;
out:
    wavenet_release(m);
    return rc;
}

static int
wavenet_show(const void *model, const char *const *names, struct buf *out, struct qerr *err)
{
    const struct wavenet *m = model;
    buf_addf(out, "network: %zu z-scored feature%s -> %d Mexican-hat wavelet units (learned "
                  "translation and dilation) -> dense softmax %d (%zu parameters)\n",
             m->p, m->p == 1 ? "" : "s", m->hidden, m->nclass, m->np);
    buf_adds(out, "standardisation (mean, sd):");
    for (size_t j = 0; j < m->p && j < 8; j++) {
        /* a mean that is rounding noise beside the sd reads as 0 */
        double mu = fabs(m->mean[j]) < 1e-12 * m->sd[j] ? 0 : m->mean[j];
        buf_addf(out, " %s %.6g %.6g%s", names ? names[j] : "?", mu, m->sd[j],
                 j + 1 < m->p ? "," : "");
    }
    buf_adds(out, m->p > 8 ? " ...\n" : "\n");
    buf_addf(out, "training: Adam lr %g, batch %d, cross-entropy; %d epoch%s\n", m->lr,
             m->batch, m->ran, m->ran == 1 ? "" : "s");
    if (m->ran)
        buf_addf(out, "final training loss %.6f, training accuracy %.4f (per epoch: "
                      "MODEL_loss)\n",
                 m->loss[m->ran - 1], m->acc[m->ran - 1]);
    (void)err;
    return 0;
}

static int
wavenet_history(const void *model, const double **loss, const double **acc)
{
    const struct wavenet *m = model;
    *loss = m->loss;
    *acc = m->acc;
    return m->ran;
}

const struct cls_method cls_wavelet = {
    .name = "wavelet",
    .kind = &wavelet_kind,
    .takes_missing = 0,
    .takes_categorical = 0,
    .fit = wavenet_fit,
    .proba = wavenet_proba,
    .save = wavenet_save,
    .load = wavenet_load,
    .show = wavenet_show,
    .release = wavenet_release,
    .history = wavenet_history,
    .not_in_compare = 1,
};
