/*
 * nn.c: building a network, its flat parameters and buffers, the forward
 * and backward passes over the stack, the dense layer and activations.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/banned.h"
#include "base/mem.h"
#include "nn/nn.h"
#include "nn/nn_layer.h"

void
nn_net_init(struct nn_net *net, int in_t, int in_f)
{
    memset(net, 0, sizeof *net);
    net->in_t = in_t;
    net->in_f = in_f;
    net->threads = 1;
}

/* The next layer, its input shape set from the previous one; NULL when full. */
static struct nn_layer *
next_layer(struct nn_net *net, enum nn_kind kind, struct qerr *err)
{
    if (net->nl >= NN_MAX_LAYERS) {
        qerr_set(err, QE_ARG, "a network holds at most %d layers", NN_MAX_LAYERS);
        return NULL;
    }
    if (net->p) {
        qerr_set(err, QE_INTERNAL, "nn: layer added after nn_net_alloc");
        return NULL;
    }
    struct nn_layer *l = &net->L[net->nl];
    memset(l, 0, sizeof *l);
    l->kind = kind;
    l->in_t = net->nl ? net->L[net->nl - 1].out_t : net->in_t;
    l->in_f = net->nl ? net->L[net->nl - 1].out_f : net->in_f;
    if (l->in_t < 1 || l->in_f < 1) {
        qerr_set(err, QE_ARG, "a layer's input must have at least one step and one feature");
        return NULL;
    }
    return l;
}

static int
positive(int n, const char *what, struct qerr *err)
{
    if (n >= 1 && n <= 1000000)
        return 0;
    return qerr_set(err, QE_ARG, "%s must be between 1 and 1000000, not %d", what, n);
}

int
nn_add_dense(struct nn_net *net, int units, enum nn_act act, struct qerr *err)
{
    struct nn_layer *l = next_layer(net, NN_DENSE, err);
    if (!l || positive(units, "units", err) < 0)
        return -1;
    l->units = units;
    l->act = act;
    l->out_t = 1;
    l->out_f = units;
    net->nl++;
    return 0;
}

int
nn_add_conv1d(struct nn_net *net, int filters, int kernel, int same, enum nn_act act,
              struct qerr *err)
{
    struct nn_layer *l = next_layer(net, NN_CONV1D, err);
    if (!l || positive(filters, "filters", err) < 0 || positive(kernel, "kernel", err) < 0)
        return -1;
    if (!same && kernel > l->in_t)
        return qerr_set(err, QE_ARG, "kernel %d is longer than the %d steps it reads", kernel,
                        l->in_t);
    l->units = filters;
    l->k = kernel;
    l->same = same != 0;
    l->act = act;
    l->out_t = same ? l->in_t : l->in_t - kernel + 1;
    l->out_f = filters;
    net->nl++;
    return 0;
}

void
nn_set_threads(struct nn_net *net, int threads)
{
    int t = threads < 1 ? 1 : threads > NN_MAX_THREADS ? NN_MAX_THREADS : threads;
    if (t != net->threads) { /* the next threaded pass starts workers for t */
        nn_pool_free(net->pool);
        net->pool = NULL;
    }
    net->threads = t;
}

void
nn_set_float32(struct nn_net *net, int on)
{
    for (int i = 0; i < net->nl; i++) {
        enum nn_kind k = net->L[i].kind;
        if (k == NN_CONV1D || k == NN_RNN || k == NN_LSTM || k == NN_GRU)
            net->L[i].f32 = on != 0;
    }
}

int
nn_add_pool(struct nn_net *net, int size, int average, struct qerr *err)
{
    struct nn_layer *l = next_layer(net, NN_POOL, err);
    if (!l || positive(size, "pool size", err) < 0)
        return -1;
    if (size > l->in_t)
        return qerr_set(err, QE_ARG, "pool size %d is longer than the %d steps it reads", size,
                        l->in_t);
    l->k = size;
    l->same = average != 0;
    l->out_t = l->in_t / size;
    l->out_f = l->in_f;
    net->nl++;
    return 0;
}

int
nn_add_dropout(struct nn_net *net, double rate, struct qerr *err)
{
    struct nn_layer *l = next_layer(net, NN_DROPOUT, err);
    if (!l)
        return -1;
    if (!(rate >= 0 && rate < 1))
        return qerr_set(err, QE_ARG, "dropout must be at least 0 and below 1, not %g", rate);
    l->rate = rate;
    l->out_t = l->in_t;
    l->out_f = l->in_f;
    net->nl++;
    return 0;
}

static int
add_recurrent(struct nn_net *net, enum nn_kind kind, int hidden, int every_step,
              struct qerr *err)
{
    struct nn_layer *l = next_layer(net, kind, err);
    if (!l || positive(hidden, "hidden", err) < 0)
        return -1;
    l->units = hidden;
    l->same = every_step != 0;
    l->out_t = every_step ? l->in_t : 1;
    l->out_f = hidden;
    net->nl++;
    return 0;
}

int
nn_add_rnn(struct nn_net *net, int hidden, int every_step, struct qerr *err)
{
    return add_recurrent(net, NN_RNN, hidden, every_step, err);
}

int
nn_add_lstm(struct nn_net *net, int hidden, int every_step, struct qerr *err)
{
    return add_recurrent(net, NN_LSTM, hidden, every_step, err);
}

int
nn_add_gru(struct nn_net *net, int hidden, int every_step, struct qerr *err)
{
    return add_recurrent(net, NN_GRU, hidden, every_step, err);
}

int
nn_add_wavelet(struct nn_net *net, int units, enum nn_wave psi, struct qerr *err)
{
    struct nn_layer *l = next_layer(net, NN_WAVELET, err);
    if (!l || positive(units, "units", err) < 0)
        return -1;
    l->units = units;
    l->act = psi;
    l->out_t = 1;
    l->out_f = units;
    net->nl++;
    return 0;
}

int
nn_add_embed(struct nn_net *net, int vocab, int dim, struct qerr *err)
{
    struct nn_layer *l = next_layer(net, NN_EMBED, err);
    if (!l || positive(vocab, "vocabulary", err) < 0 || positive(dim, "embed", err) < 0)
        return -1;
    if (l->in_f != 1)
        return qerr_set(err, QE_ARG, "an embedding reads one code per step, not %d features",
                        l->in_f);
    l->k = vocab;
    l->units = dim;
    l->out_t = l->in_t;
    l->out_f = dim;
    net->nl++;
    return 0;
}

static struct nn_sizes
dense_sizes(const struct nn_layer *l, int b)
{
    struct nn_sizes s = { 0, 0, 0 };
    s.np = (size_t)l->in_t * l->in_f * l->units + l->units;
    s.work = (size_t)b * l->units;
    return s;
}

static struct nn_sizes
layer_sizes(const struct nn_layer *l, int b)
{
    switch (l->kind) {
    case NN_DENSE:
        return dense_sizes(l, b);
    case NN_CONV1D:
    case NN_POOL:
    case NN_DROPOUT:
        return nn_conv_sizes(l, b);
    case NN_RNN:
    case NN_LSTM:
    case NN_GRU:
        return nn_rnn_sizes(l, b);
    case NN_WAVELET:
        return nn_wavelet_sizes(l, b);
    case NN_EMBED:
        return nn_embed_sizes(l, b);
    }
    struct nn_sizes none = { 0, 0, 0 };
    return none;
}

static void
dense_init(const struct nn_layer *l, double *p, struct rng *r)
{
    size_t k = (size_t)l->in_t * l->in_f, u = (size_t)l->units;
    double a = l->act == NN_RELU ? sqrt(6.0 / (double)k) : sqrt(6.0 / (double)(k + u));
    nn_uniform(r, p, k * u, a);
    memset(p + k * u, 0, u * sizeof *p);
}

int
nn_net_alloc(struct nn_net *net, int max_batch, unsigned long long seed, struct qerr *err)
{
    if (net->nl < 1)
        return qerr_set(err, QE_ARG, "a network needs at least one layer");
    if (positive(max_batch, "batch", err) < 0)
        return -1;
    net->max_batch = max_batch;
    size_t np = 0;
    for (int i = 0; i < net->nl; i++) {
        net->L[i].poff = np;
        net->L[i].np = layer_sizes(&net->L[i], max_batch).np;
        np += net->L[i].np;
    }
    net->np = np;
    net->p = mem_alloc(np ? 4 * np : 1, sizeof(double), "nn", "parameters", err);
    if (!net->p)
        return -1;
    net->g = net->p + np;
    net->m = net->g + np;
    net->v = net->m + np;
    memset(net->g, 0, 3 * np * sizeof(double));
    size_t in = (size_t)net->in_t * net->in_f;
    net->dx = mem_alloc(mem_mul(max_batch, in), sizeof(double), "nn", "input gradients", err);
    if (!net->dx)
        return -1;
    for (int i = 0; i < net->nl; i++) {
        struct nn_layer *l = &net->L[i];
        struct nn_sizes s = layer_sizes(l, max_batch);
        size_t out = mem_mul(max_batch, (size_t)l->out_t * l->out_f);
        l->out = mem_alloc(out, 2 * sizeof(double), "nn", "activations", err);
        l->cache = mem_alloc(s.cache ? s.cache : 1, sizeof(double), "nn", "layer caches", err);
        l->work = mem_alloc(s.work ? s.work : 1, sizeof(double), "nn", "layer scratch", err);
        if (!l->out || !l->cache || !l->work)
            return -1;
        l->dout = l->out + out;
    }
    rng_init(&net->rng, seed);
    for (int i = 0; i < net->nl; i++) {
        struct nn_layer *l = &net->L[i];
        double *p = net->p + l->poff;
        switch (l->kind) {
        case NN_DENSE:
            dense_init(l, p, &net->rng);
            break;
        case NN_CONV1D:
        case NN_POOL:
        case NN_DROPOUT:
            nn_conv_init(l, p, &net->rng);
            break;
        case NN_RNN:
        case NN_LSTM:
        case NN_GRU:
            nn_rnn_init(l, p, &net->rng);
            break;
        case NN_WAVELET:
            nn_wavelet_init(l, p, &net->rng);
            break;
        case NN_EMBED:
            nn_embed_init(l, p, &net->rng);
            break;
        }
    }
    return 0;
}

void
nn_net_free(struct nn_net *net)
{
    nn_pool_free(net->pool);
    free(net->p);
    free(net->dx);
    for (int i = 0; i < net->nl; i++) {
        free(net->L[i].out);
        free(net->L[i].cache);
        free(net->L[i].work);
    }
    int in_t = net->in_t, in_f = net->in_f;
    nn_net_init(net, in_t, in_f);
}

int
nn_out_size(const struct nn_net *net)
{
    const struct nn_layer *l = &net->L[net->nl - 1];
    return l->out_t * l->out_f;
}

/*
 * A dense layer's passes in parts: the forward by examples, the backward
 * by rows of the weight gradient and by examples of the input's (nn_gemm
 * gives a value the same bits whichever rows share its call). A dense
 * layer right after a chain of float32 convolutions runs its parts in the
 * chain's pool jobs (struct nn_chain_tail), not on one thread between.
 */
struct dense_job {
    struct nn_layer *l;
    const double *p, *x, *d;
    double *g, *dx;
    int b;
};

/* y = act(x W + b) for examples [i0, i1): x [b][k], W [k][u] row-major, then b [u]. */
static void
dense_fwd_rows(void *arg, int i0, int i1)
{
    struct dense_job *j = arg;
    struct nn_layer *l = j->l;
    int k = l->in_t * l->in_f, u = l->units;
    const double *w = j->p, *bias = j->p + (size_t)k * u;
    double *o = l->out + (size_t)i0 * u;
    for (int i = i0; i < i1; i++)
        memcpy(l->out + (size_t)i * u, bias, (size_t)u * sizeof(double));
    nn_gemm(0, 0, i1 - i0, u, k, j->x + (size_t)i0 * k, k, w, u, 1.0, o, u);
    nn_act_apply(l->act, o, (size_t)(i1 - i0) * u);
}

/*
 * Part w of parts of the backward products: rows of the weight gradient,
 * then the input's gradient for the examples a chain's part w takes
 * (nn_conv.c's split). CBLAS (u > 1) may sum otherwise for other row
 * counts, so with j->dx NULL the caller finds that one whole.
 */
static void
dense_bwd_part(void *arg, int w, int parts)
{
    struct dense_job *j = arg;
    struct nn_layer *l = j->l;
    int k = l->in_t * l->in_f, u = l->units;
    int nk = parts < k ? parts : k, nb = parts < j->b ? parts : j->b;
    if (w < nk) {
        int r0 = (int)((long long)k * w / nk), r1 = (int)((long long)k * (w + 1) / nk);
        nn_gemm(1, 0, r1 - r0, u, j->b, j->x + r0, k, j->d, u, 0.0, j->g + (size_t)r0 * u, u);
    }
    if (j->dx && w < nb) {
        int i0 = (int)((long long)j->b * w / nb), i1 = (int)((long long)j->b * (w + 1) / nb);
        nn_gemm(0, 1, i1 - i0, k, u, j->d + (size_t)i0 * u, u, j->p, u, 0.0,
                j->dx + (size_t)i0 * k, k);
    }
}

/*
 * The backward pass's part before the products: d, the gradient by the
 * pre-activations (in l->work), and the bias's gradient; j's fields for
 * dense_bwd_part (dx NULL where dense_bwd_whole finds it: u > 1).
 */
static void
dense_bwd_begin(struct dense_job *j, struct nn_layer *l, const double *p, double *g,
                const double *x, double *dx, int b)
{
    int k = l->in_t * l->in_f, u = l->units;
    double *d = l->work;
    memcpy(d, l->dout, (size_t)b * u * sizeof(double));
    nn_act_grad(l->act, l->out, d, (size_t)b * u);
    double *gb = g + (size_t)k * u;
    memset(gb, 0, (size_t)u * sizeof(double));
    for (int i = 0; i < b; i++)
        for (int jj = 0; jj < u; jj++)
            gb[jj] += d[(size_t)i * u + jj];
    *j = (struct dense_job){ .l = l, .p = p, .x = x, .d = d, .g = g, .dx = u == 1 ? dx : NULL,
                             .b = b };
}

/* A dense layer of one unit: its input's gradient is the outer product d p^T. */
static int
u_one(const struct nn_layer *l)
{
    return l->units == 1;
}

/* The input's gradient where the parts do not find it (u > 1), whole (before or after them). */
static void
dense_bwd_whole(const struct dense_job *j, double *dx)
{
    struct nn_layer *l = j->l;
    int k = l->in_t * l->in_f, u = l->units;
    if (dx && !j->dx)
        nn_gemm(0, 1, j->b, k, u, j->d, u, j->p, u, 0.0, dx, k);
}

static void
dense_forward(struct nn_layer *l, const double *p, const double *x, int b)
{
    struct dense_job j = { .l = l, .p = p, .x = x, .b = b };
    dense_fwd_rows(&j, 0, b);
}

static void
dense_backward(struct nn_layer *l, const double *p, double *g, const double *x, double *dx,
               int b)
{
    struct dense_job j;
    dense_bwd_begin(&j, l, p, g, x, dx, b);
    dense_bwd_part(&j, 0, 1);
    dense_bwd_whole(&j, dx);
}

/* A float32 convolution whose output can pass to the next as floats (relu or identity). */
static int
float_conv(const struct nn_layer *l)
{
    return l->kind == NN_CONV1D && l->f32 && (l->act == NN_RELU || l->act == NN_IDENTITY);
}

/* Link consecutive float32 convolutions, so their values pass as floats (nn_conv.c). */
static void
link_float_convs(struct nn_net *net)
{
    for (int i = 0; i < net->nl; i++) {
        struct nn_layer *l = &net->L[i];
        int prev = i > 0 && float_conv(&net->L[i - 1]) && float_conv(l);
        l->fprev = prev ? &net->L[i - 1] : NULL;
        l->fnext = i + 1 < net->nl && float_conv(l) && float_conv(&net->L[i + 1]);
    }
}

/* Whether a layer runs on the net's pool: a float32 convolution. */
static int
has_float_conv(const struct nn_net *net)
{
    for (int i = 0; i < net->nl; i++)
        if (net->L[i].kind == NN_CONV1D && net->L[i].f32)
            return 1;
    return 0;
}

const double *
nn_forward(struct nn_net *net, const double *x, int b, int training)
{
    net->batch = b;
    net->training = training;
    link_float_convs(net);
    if (net->threads > 1 && !net->pool && has_float_conv(net)) /* NULL: threads per pass */
        net->pool = nn_pool_new(net->threads);
    const double *in = x;
    for (int i = 0; i < net->nl; i++) {
        struct nn_layer *l = &net->L[i];
        const double *p = net->p + l->poff;
        switch (l->kind) {
        case NN_DENSE:
            dense_forward(l, p, in, b);
            break;
        case NN_CONV1D:
        case NN_POOL:
        case NN_DROPOUT:
            if (l->fnext && !l->fprev) { /* a chain of float convolutions, one job a pass */
                int n = 1;
                while (net->L[i + n - 1].fnext)
                    n++;
                for (int k = 0; k < n; k++) {
                    net->L[i + k].threads = net->threads;
                    net->L[i + k].pool = net->pool;
                }
                struct nn_layer *d = i + n < net->nl && net->L[i + n].kind == NN_DENSE
                                         ? &net->L[i + n]
                                         : NULL;
                struct dense_job j = { .l = d, .p = d ? net->p + d->poff : NULL,
                                       .x = net->L[i + n - 1].out, .b = b };
                struct nn_chain_tail tail = { .fwd = dense_fwd_rows, .arg = &j };
                nn_conv_forward_chain(l, n, net->p, in, b, d ? &tail : NULL);
                i += n - (d ? 0 : 1); /* the dense layer done too */
                l = &net->L[i];
                break;
            }
            l->threads = net->threads;
            l->pool = net->pool;
            nn_conv_forward(l, p, in, b, training, &net->rng);
            break;
        case NN_RNN:
        case NN_LSTM:
        case NN_GRU:
            l->threads = net->threads;
            nn_rnn_forward(l, p, in, b);
            break;
        case NN_WAVELET:
            nn_wavelet_forward(l, p, in, b);
            break;
        case NN_EMBED:
            nn_embed_forward(l, p, in, b);
            break;
        }
        in = l->out;
    }
    return in;
}

/* The backward pass of the chain of float convolutions ending at layer e; returns its first. */
static int
backward_chain(struct nn_net *net, int e, const struct nn_chain_tail *tail)
{
    int s = e;
    while (net->L[s].fprev)
        s--;
    for (int k = s; k <= e; k++) {
        net->L[k].threads = net->threads;
        net->L[k].pool = net->pool;
    }
    nn_conv_backward_chain(&net->L[s], e - s + 1, net->p, net->g,
                           s ? net->L[s - 1].dout : net->skip_dx ? NULL : net->dx, net->batch,
                           tail);
    return s;
}

void
nn_backward(struct nn_net *net, const double *x, const double *dy)
{
    int b = net->batch;
    struct nn_layer *last = &net->L[net->nl - 1];
    memcpy(last->dout, dy, (size_t)b * last->out_t * last->out_f * sizeof(double));
    for (int i = net->nl - 1; i >= 0; i--) {
        struct nn_layer *l = &net->L[i];
        const double *in = i ? net->L[i - 1].out : x;
        double *dx = i ? net->L[i - 1].dout : net->skip_dx ? NULL : net->dx;
        const double *p = net->p + l->poff;
        double *g = net->g + l->poff;
        switch (l->kind) {
        case NN_DENSE:
            if (i > 0 && net->L[i - 1].fprev && !net->L[i - 1].fnext) {
                /* a dense layer after a chain: its parts in the chain's first job */
                struct dense_job j;
                dense_bwd_begin(&j, l, p, g, in, dx, b);
                dense_bwd_whole(&j, dx); /* the chain's first job reads it */
                struct nn_layer *e = &net->L[i - 1];
                if (u_one(l)) { /* the last convolution takes its gradient as d p^T */
                    e->dy_d = j.d;
                    e->dy_w = p;
                    j.dx = NULL;
                }
                struct nn_chain_tail tail = { .bwd = dense_bwd_part, .arg = &j };
                i = backward_chain(net, i - 1, &tail);
                e->dy_d = e->dy_w = NULL;
                break;
            }
            dense_backward(l, p, g, in, dx, b);
            break;
        case NN_CONV1D:
        case NN_POOL:
        case NN_DROPOUT:
            if (l->fprev && !l->fnext) { /* the end of a chain of float convolutions */
                i = backward_chain(net, i, NULL);
                break;
            }
            l->threads = net->threads;
            l->pool = net->pool;
            nn_conv_backward(l, p, g, in, dx, b);
            break;
        case NN_RNN:
        case NN_LSTM:
        case NN_GRU:
            l->threads = net->threads;
            nn_rnn_backward(l, p, g, in, dx, b);
            break;
        case NN_WAVELET:
            nn_wavelet_backward(l, p, g, in, dx, b);
            break;
        case NN_EMBED:
            nn_embed_backward(l, p, g, in, dx, b);
            break;
        }
    }
}
