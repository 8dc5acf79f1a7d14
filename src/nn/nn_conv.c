/*
 * nn_conv.c: the 1-D convolution (im2col + gemm), pooling and dropout
 * layers (equations in nn.h).
 */
#include <math.h>
#include <string.h>

#include "base/banned.h"
#include "nn/nn_layer.h"

struct nn_sizes
nn_conv_sizes(const struct nn_layer *l, int b)
{
    struct nn_sizes s = { 0, 0, 0 };
    size_t rows = (size_t)b * l->out_t;
    switch (l->kind) {
    case NN_CONV1D:
        s.np = (size_t)l->k * l->in_f * l->units + l->units;
        s.cache = rows * l->k * l->in_f;
        s.work = rows * l->units + rows * l->k * l->in_f;
        break;
    case NN_POOL:
        s.cache = rows * l->out_f;
        break;
    default: /* dropout */
        s.cache = (size_t)b * l->in_t * l->in_f;
        break;
    }
    return s;
}

void
nn_conv_init(const struct nn_layer *l, double *p, struct rng *r)
{
    if (l->kind != NN_CONV1D)
        return;
    size_t fan_in = (size_t)l->k * l->in_f, fan_out = (size_t)l->k * l->units;
    double a = l->act == NN_RELU ? sqrt(6.0 / (double)fan_in)
                                 : sqrt(6.0 / (double)(fan_in + fan_out));
    nn_uniform(r, p, fan_in * l->units, a);
    memset(p + fan_in * l->units, 0, (size_t)l->units * sizeof(double));
}

static void
conv_forward(struct nn_layer *l, const double *p, const double *x, int b)
{
    int T = l->in_t, C = l->in_f, Tp = l->out_t, F = l->units, K = l->k;
    int l0 = l->same ? (K - 1) / 2 : 0, kc = K * C;
    double *col = l->cache;
    for (int i = 0; i < b; i++)
        for (int t = 0; t < Tp; t++) {
            double *row = col + ((size_t)i * Tp + t) * kc;
            for (int j = 0; j < K; j++) {
                int s = t + j - l0;
                if (s < 0 || s >= T)
                    memset(row + (size_t)j * C, 0, (size_t)C * sizeof(double));
                else
                    memcpy(row + (size_t)j * C, x + ((size_t)i * T + s) * C,
                           (size_t)C * sizeof(double));
            }
        }
    size_t rows = (size_t)b * Tp;
    const double *bias = p + (size_t)kc * F;
    for (size_t r = 0; r < rows; r++)
        memcpy(l->out + r * F, bias, (size_t)F * sizeof(double));
    nn_gemm(0, 0, (int)rows, F, kc, col, kc, p, F, 1.0, l->out, F);
    nn_act_apply(l->act, l->out, rows * F);
}

static void
conv_backward(struct nn_layer *l, const double *p, double *g, double *dx, int b)
{
    int T = l->in_t, C = l->in_f, Tp = l->out_t, F = l->units, K = l->k;
    int l0 = l->same ? (K - 1) / 2 : 0, kc = K * C;
    size_t rows = (size_t)b * Tp;
    double *d = l->work, *dcol = l->work + rows * F;
    memcpy(d, l->dout, rows * F * sizeof(double));
    nn_act_grad(l->act, l->out, d, rows * F);
    nn_gemm(1, 0, kc, F, (int)rows, l->cache, kc, d, F, 0.0, g, F);
    double *gb = g + (size_t)kc * F;
    memset(gb, 0, (size_t)F * sizeof(double));
    for (size_t r = 0; r < rows; r++)
        for (int f = 0; f < F; f++)
            gb[f] += d[r * F + f];
    if (!dx)
        return;
    nn_gemm(0, 1, (int)rows, kc, F, d, F, p, F, 0.0, dcol, kc);
    memset(dx, 0, (size_t)b * T * C * sizeof(double));
    for (int i = 0; i < b; i++)
        for (int t = 0; t < Tp; t++) {
            const double *row = dcol + ((size_t)i * Tp + t) * kc;
            for (int j = 0; j < K; j++) {
                int s = t + j - l0;
                if (s < 0 || s >= T)
                    continue;
                double *dxs = dx + ((size_t)i * T + s) * C;
                for (int c = 0; c < C; c++)
                    dxs[c] += row[(size_t)j * C + c];
            }
        }
}

static void
pool_forward(struct nn_layer *l, const double *x, int b)
{
    int T = l->in_t, F = l->in_f, Tp = l->out_t, K = l->k;
    for (int i = 0; i < b; i++)
        for (int t = 0; t < Tp; t++)
            for (int f = 0; f < F; f++) {
                const double *xs = x + ((size_t)i * T + (size_t)t * K) * F + f;
                size_t o = ((size_t)i * Tp + t) * F + f;
                if (l->same) {
                    double s = 0;
                    for (int j = 0; j < K; j++)
                        s += xs[(size_t)j * F];
                    l->out[o] = s / K;
                } else {
                    int best = 0;
                    for (int j = 1; j < K; j++)
                        if (xs[(size_t)j * F] > xs[(size_t)best * F])
                            best = j;
                    l->out[o] = xs[(size_t)best * F];
                    l->cache[o] = best;
                }
            }
}

static void
pool_backward(struct nn_layer *l, double *dx, int b)
{
    int T = l->in_t, F = l->in_f, Tp = l->out_t, K = l->k;
    if (!dx)
        return;
    memset(dx, 0, (size_t)b * T * F * sizeof(double));
    for (int i = 0; i < b; i++)
        for (int t = 0; t < Tp; t++)
            for (int f = 0; f < F; f++) {
                double *ds = dx + ((size_t)i * T + (size_t)t * K) * F + f;
                size_t o = ((size_t)i * Tp + t) * F + f;
                if (l->same)
                    for (int j = 0; j < K; j++)
                        ds[(size_t)j * F] = l->dout[o] / K;
                else
                    ds[(size_t)l->cache[o] * F] = l->dout[o];
            }
}

static void
dropout_forward(struct nn_layer *l, const double *x, int b, int training, struct rng *r)
{
    size_t n = (size_t)b * l->in_t * l->in_f;
    double keep = 1.0 - l->rate;
    for (size_t i = 0; i < n; i++) {
        double m = 1.0;
        if (training && l->rate > 0)
            m = rng_uniform(r) < keep ? 1.0 / keep : 0.0;
        l->cache[i] = m;
        l->out[i] = x[i] * m;
    }
}

void
nn_conv_forward(struct nn_layer *l, const double *p, const double *x, int b, int training,
                struct rng *r)
{
    if (l->kind == NN_CONV1D)
        conv_forward(l, p, x, b);
    else if (l->kind == NN_POOL)
        pool_forward(l, x, b);
    else
        dropout_forward(l, x, b, training, r);
}

void
nn_conv_backward(struct nn_layer *l, const double *p, double *g, const double *x, double *dx,
                 int b)
{
    if (l->kind == NN_CONV1D) {
        conv_backward(l, p, g, dx, b);
    } else if (l->kind == NN_POOL) {
        pool_backward(l, dx, b);
    } else if (dx) {
        size_t n = (size_t)b * l->in_t * l->in_f;
        for (size_t i = 0; i < n; i++)
            dx[i] = l->dout[i] * l->cache[i];
    }
}
