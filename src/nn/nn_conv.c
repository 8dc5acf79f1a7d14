/*
 * nn_conv.c: the 1-D convolution (im2col + gemm), pooling and dropout
 * layers (equations in nn.h).
 *
 * The convolution's three products per batch (forward y = col W, the
 * weight gradient col^T d, the input's dcol = d W^T) are one gemm each
 * over all b*T' rows, in nn_gemm.c's kernel (W^T is written out once a
 * pass, so no product goes to a BLAS). With l->f32 (nn_set_float32) the
 * im2col rows, W and d are rounded to float32 and the products run in
 * float32 (twice the lanes); the layer's output, its gradients and the
 * parameters stay double, so only the products' roundings change.
 *
 * Buffers (doubles; a float path's arrays packed into them as floats):
 *   cache  col [rows][kc]                    (f32: colf, the same floats)
 *   work   d [rows][F], dcol [rows][kc], W^T [F][kc]
 *          f32 after d: outf/df [rows][F], dcolf [rows][kc], Wf [kc][F],
 *          WfT or the weight gradient [F][kc]
 */
#include <math.h>
#include <string.h>

#include "base/banned.h"
#include "nn/nn_layer.h"

/* The conversion loops, vectorised for the CPU found at run time. */
#ifdef __clang__
#define HOT __attribute__((target_clones("avx512f", "avx2", "default")))
#else /* GCC: -O3's vectoriser for these loops */
#define HOT __attribute__((optimize("O3"), target_clones("avx512f", "avx2", "default")))
#endif

HOT static void
to_float(float *restrict o, const double *restrict v, size_t n)
{
    for (size_t k = 0; k < n; k++)
        o[k] = (float)v[k];
}

/* o = v, or max(v, 0) with relu. */
HOT static void
to_double(double *restrict o, const float *restrict v, size_t n, int relu)
{
    if (relu)
        for (size_t k = 0; k < n; k++)
            o[k] = v[k] > 0 ? v[k] : 0;
    else
        for (size_t k = 0; k < n; k++)
            o[k] = v[k];
}

/* o += v (float into double). */
HOT static void
add_float(double *restrict o, const float *restrict v, size_t n)
{
    for (size_t k = 0; k < n; k++)
        o[k] += v[k];
}

/* One row: d = dy relu'(y) as float into df, added into the bias gradient gb. */
HOT static void
relu_back(const double *restrict dy, const double *restrict y, double *restrict gb,
          float *restrict df, int F)
{
    for (int f = 0; f < F; f++) {
        double v = y[f] > 0 ? dy[f] : 0;
        gb[f] += v;
        df[f] = (float)v;
    }
}

struct nn_sizes
nn_conv_sizes(const struct nn_layer *l, int b)
{
    struct nn_sizes s = { 0, 0, 0 };
    size_t rows = (size_t)b * l->out_t;
    switch (l->kind) {
    case NN_CONV1D:
        s.np = (size_t)l->k * l->in_f * l->units + l->units;
        s.cache = rows * l->k * l->in_f;
        s.work = 2 * rows * l->units + rows * l->k * l->in_f + 2 * (size_t)l->k * l->in_f * l->units;
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

/* Row t of example i of the im2col matrix (kc = K*C values), in T_ (double or float). */
#define IM2COL(T_, col)                                                                   \
    for (int i = 0; i < b; i++)                                                           \
        for (int t = 0; t < Tp; t++) {                                                    \
            T_ *row = (col) + ((size_t)i * Tp + t) * kc;                                  \
            for (int j = 0; j < K; j++) {                                                 \
                int s = t + j - l0;                                               \
                T_ *rj = row + (size_t)j * C;                                             \
                if (s < 0 || s >= T) {                                                    \
                    memset(rj, 0, (size_t)C * sizeof(T_));                                \
                    continue;                                                             \
                }                                                                         \
                const double *xs = x + ((size_t)i * T + s) * C;                           \
                if (sizeof(T_) == sizeof(float))                                          \
                    to_float((float *)rj, xs, (size_t)C);                                 \
                else                                                                      \
                    memcpy(rj, xs, (size_t)C * sizeof(double));                           \
            }                                                                             \
        }

/* dx += col2im(dcol), dcol in T_. */
#define COL2IM(T_, dcol)                                                                  \
    do {                                                                                  \
        memset(dx, 0, (size_t)b * T * C * sizeof(double));                                \
        for (int i = 0; i < b; i++)                                                       \
            for (int t = 0; t < Tp; t++) {                                                \
                const T_ *row = (dcol) + ((size_t)i * Tp + t) * kc;                       \
                for (int j = 0; j < K; j++) {                                             \
                    int s = t + j - l0;                                                   \
                    if (s < 0 || s >= T)                                                  \
                        continue;                                                         \
                    double *dxs = dx + ((size_t)i * T + s) * C;                           \
                    if (sizeof(T_) == sizeof(float))                                      \
                        add_float(dxs, (const float *)row + (size_t)j * C, (size_t)C);    \
                    else                                                                  \
                        for (int c = 0; c < C; c++)                                       \
                            dxs[c] += row[(size_t)j * C + c];                             \
                }                                                                         \
            }                                                                             \
    } while (0)

static void
conv_forward(struct nn_layer *l, const double *p, const double *x, int b)
{
    int T = l->in_t, C = l->in_f, Tp = l->out_t, F = l->units, K = l->k;
    int l0 = l->same ? (K - 1) / 2 : 0, kc = K * C;
    size_t rows = (size_t)b * Tp;
    const double *bias = p + (size_t)kc * F;
    if (l->f32) {
        float *colf = (float *)l->cache;
        float *outf = (float *)(l->work + rows * F);
        float *wf = outf + rows * F + rows * kc;
        IM2COL(float, colf)
        to_float(wf, p, (size_t)kc * F);
        for (size_t r = 0; r < rows; r++)
            for (int f = 0; f < F; f++)
                outf[r * F + f] = (float)bias[f];
        nn_sgemm(0, (int)rows, F, kc, colf, kc, wf, F, 1.0f, outf, F);
        to_double(l->out, outf, rows * F, l->act == NN_RELU);
        if (l->act == NN_RELU) /* done in the same pass */
            return;
    } else {
        double *col = l->cache;
        IM2COL(double, col)
        for (size_t r = 0; r < rows; r++)
            memcpy(l->out + r * F, bias, (size_t)F * sizeof(double));
        nn_gemm(0, 0, (int)rows, F, kc, col, kc, p, F, 1.0, l->out, F);
    }
    nn_act_apply(l->act, l->out, rows * F);
}

static void
conv_backward(struct nn_layer *l, const double *p, double *g, double *dx, int b)
{
    int T = l->in_t, C = l->in_f, Tp = l->out_t, F = l->units, K = l->k;
    int l0 = l->same ? (K - 1) / 2 : 0, kc = K * C;
    size_t rows = (size_t)b * Tp;
    double *d = l->work, *gb = g + (size_t)kc * F;
    float *df = (float *)(l->work + rows * F);
    memset(gb, 0, (size_t)F * sizeof(double));
    if (l->f32 && l->act == NN_RELU) {
        /* d = dout relu'(y), its float copy and the bias gradient in one pass */
        for (size_t r = 0; r < rows; r++)
            relu_back(l->dout + r * F, l->out + r * F, gb, df + r * F, F);
    } else {
        memcpy(d, l->dout, rows * F * sizeof(double));
        nn_act_grad(l->act, l->out, d, rows * F);
        for (size_t r = 0; r < rows; r++)
            for (int f = 0; f < F; f++)
                gb[f] += d[r * F + f];
        if (l->f32)
            to_float(df, d, rows * F);
    }
    if (l->f32) {
        float *dcolf = df + rows * F, *wf = dcolf + rows * kc, *wt = wf + (size_t)kc * F;
        if (dx) {
            for (int r = 0; r < kc; r++)
                for (int f = 0; f < F; f++)
                    wt[(size_t)f * kc + r] = wf[(size_t)r * F + f];
            nn_sgemm(0, (int)rows, kc, F, df, F, wt, kc, 0.0f, dcolf, kc);
            COL2IM(float, dcolf);
        }
        nn_sgemm(1, kc, F, (int)rows, (const float *)l->cache, kc, df, F, 0.0f, wt, F);
        to_double(g, wt, (size_t)kc * F, 0);
        return;
    }
    nn_gemm(1, 0, kc, F, (int)rows, l->cache, kc, d, F, 0.0, g, F);
    if (!dx)
        return;
    double *dcol = l->work + rows * F, *wt = dcol + rows * kc;
    for (int r = 0; r < kc; r++)
        for (int f = 0; f < F; f++)
            wt[(size_t)f * kc + r] = p[(size_t)r * F + f];
    nn_gemm(0, 0, (int)rows, kc, F, d, F, wt, kc, 0.0, dcol, kc);
    COL2IM(double, dcol);
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
