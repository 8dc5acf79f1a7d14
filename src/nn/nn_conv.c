/*
 * nn_conv.c: the 1-D convolution (im2col + gemm), pooling and dropout
 * layers (equations in nn.h).
 *
 * The convolution's three products per batch (forward y = col W, the
 * weight gradient col^T d, the input's dcol = d W^T) are one gemm each
 * over all b*T' rows, in nn_gemm.c's kernel (W^T is written out once a
 * pass, so no product goes to a BLAS).
 *
 * Float32 (l->f32, nn_set_float32): the im2col rows, W, the output, the
 * gradients by it and dcol are floats, and so are the values passed
 * between two float convolutions in a row (relu or identity): the first
 * reads its double input, the last writes its double output, and between
 * them nothing is converted (l->fprev, l->fnext, set by nn.c). The bias's
 * gradient is summed in double; the parameters and their gradients stay
 * double. The float passes split the batch's examples (the weight
 * gradient: its rows) over l->threads threads (nn_par_run, on the net's
 * pool l->pool); every value is computed in the same order for any split,
 * so the results do not depend on the thread count. A float convolution
 * of kernel 3 over 16 or more channels (nn_wino_fits) does its products by
 * Winograd's F(6,3) instead of im2col (nn_wino.c, its own buffers after
 * dout and out); the activations, conversions and bias are this file's.
 *
 * Buffers (doubles; the float path's arrays packed into them as floats):
 *   cache  col [rows][kc]                    (f32: colf, the same floats)
 *   work   d [rows][F], dcol [rows][kc], W^T [F][kc]
 *          f32: dout [rows][F] (in d's place: the gradient by the output,
 *          written by the next float convolution or converted from
 *          l->dout, then by the pre-activation in place), then after d:
 *          out [rows][F] (the activated output), dcol [rows][kc], W
 *          [kc][F], W^T or the weight gradient [F][kc]
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "base/banned.h"
#include "base/hot.h"
#include "nn/nn_layer.h"

HOT static void
conv_to_float(float *restrict o, const double *restrict v, size_t n)
{
    for (size_t k = 0; k < n; k++)
        o[k] = (float)v[k];
}

/* o = v (float into double). */
HOT static void
conv_to_double(double *restrict o, const float *restrict v, size_t n)
{
    for (size_t k = 0; k < n; k++)
        o[k] = v[k];
}

/* o += v (float into double). */
HOT static void
conv_add_float(double *restrict o, const float *restrict v, size_t n)
{
    for (size_t k = 0; k < n; k++)
        o[k] += v[k];
}

/* o += v (floats). */
HOT static void
conv_add_ff(float *restrict o, const float *restrict v, size_t n)
{
    for (size_t k = 0; k < n; k++)
        o[k] += v[k];
}

/* v = max(v, 0) in place. */
HOT static void
conv_relu_f(float *restrict v, size_t n)
{
    for (size_t k = 0; k < n; k++)
        v[k] = v[k] > 0 ? v[k] : 0;
}

/* d = d relu'(y) in place (relu), else d as it is (identity). */
HOT static void
conv_relu_mask(float *restrict d, const float *restrict y, size_t n, int relu)
{
    if (relu)
        for (size_t k = 0; k < n; k++)
            d[k] = y[k] > 0 ? d[k] : 0;
}

/* d = dy act'(y) as floats, from the double dy and output y. */
HOT static void
conv_grad_in(float *restrict d, const double *restrict dy, const double *restrict y, size_t n,
        int act)
{
    for (size_t k = 0; k < n; k++) {
        double v = dy[k], yk = y[k];
        if (act == NN_RELU)
            v = yk > 0 ? v : 0;
        else if (act == NN_TANH)
            v *= 1 - yk * yk;
        else if (act == NN_SIGMOID)
            v *= yk * (1 - yk);
        d[k] = (float)v;
    }
}

/* v where y > 0, else +0.0: a bit mask, not a branch (relu's gradient). */
static inline float
where_positive(float v, float y)
{
    uint32_t b;
    memcpy(&b, &v, sizeof b);
    b &= -(uint32_t)(y > 0);
    memcpy(&v, &b, sizeof b);
    return v;
}

/*
 * d = dy relu'(y) (relu) or dy as floats, y the float output (out's
 * values). The relu as a mask of the float's bits (0 where y <= 0: +0, as
 * the select gives), which GCC vectorises where it left the select a
 * branch.
 */
HOT static void
conv_grad_relu(float *restrict d, const double *restrict dy, const float *restrict y, size_t n,
        int relu)
{
    if (relu)
        for (size_t k = 0; k < n; k++)
            d[k] = where_positive((float)dy[k], y[k]);
    else
        for (size_t k = 0; k < n; k++)
            d[k] = (float)dy[k];
}

/*
 * The same for dy[k] = a w[k] + 0.0 (a one-unit dense layer's input
 * gradient for one example, nn_gemm's outer product), not written out.
 */
HOT static void
conv_grad_outer(float *restrict d, double a, const double *restrict w, const float *restrict y,
                size_t n, int relu)
{
    if (relu)
        for (size_t k = 0; k < n; k++)
            d[k] = where_positive((float)(a * w[k] + 0.0), y[k]);
    else
        for (size_t k = 0; k < n; k++)
            d[k] = (float)(a * w[k] + 0.0);
}

/* s[j] = the sum over r < rows of v[r * ld + j], j < n, in row order, in double. */
HOT static void
conv_col_sums_f(double *restrict s, const float *restrict v, size_t rows, int ld, int n)
{
    for (int j = 0; j < n; j++)
        s[j] = 0;
    for (size_t r = 0; r < rows; r++)
        for (int j = 0; j < n; j++)
            s[j] += v[r * ld + j];
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
        if (nn_wino_fits(l)) { /* float32 or not: nn_set_float32 may come after the sizes */
            size_t c = nn_wino_cache(l, b), w = nn_wino_work(l, b);
            s.cache = c > s.cache ? c : s.cache;
            s.work = w > s.work ? w : s.work;
        }
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

/* The im2col matrix: row t of example i holds x[t - l0 .. t - l0 + K) (kc = K*C values). */
static void
im2col(const struct nn_layer *l, const double *x, double *col, int b)
{
    int T = l->in_t, C = l->in_f, Tp = l->out_t, K = l->k;
    int l0 = l->same ? (K - 1) / 2 : 0, kc = K * C;
    for (int i = 0; i < b; i++)
        for (int t = 0; t < Tp; t++) {
            double *row = col + ((size_t)i * Tp + t) * kc;
            for (int j = 0; j < K; j++) {
                int s = t + j - l0;
                double *rj = row + (size_t)j * C;
                if (s < 0 || s >= T)
                    memset(rj, 0, (size_t)C * sizeof(double));
                else
                    memcpy(rj, x + ((size_t)i * T + s) * C, (size_t)C * sizeof(double));
            }
        }
}

/* dx = col2im(dcol): each input value gets the sum of the rows that read it. */
static void
col2im(const struct nn_layer *l, const double *dcol, double *dx, int b)
{
    int T = l->in_t, C = l->in_f, Tp = l->out_t, K = l->k;
    int l0 = l->same ? (K - 1) / 2 : 0, kc = K * C;
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

/* The float path's buffers of layer l for a batch of b (the header's layout). */
struct conv_fbufs {
    float *dout, *out, *dcol, *w, *wt;
};

static struct conv_fbufs
fbufs(const struct nn_layer *l, int b)
{
    size_t rows = (size_t)b * l->out_t, kc = (size_t)l->k * l->in_f, F = (size_t)l->units;
    struct conv_fbufs f;
    f.dout = (float *)l->work;
    f.out = (float *)(l->work + rows * F);
    f.dcol = f.out + rows * F;
    f.w = f.dcol + rows * kc;
    f.wt = f.w + kc * F;
    return f;
}

/* One float pass over layer l: its parameters, input, gradients, batch. */
struct conv_pass {
    struct nn_layer *l;
    const double *p, *x;
    double *g, *dx;
    int b;
    int wino; /* the products by Winograd's F(6,3) (nn_wino.c) */
    int ut;   /* weights_part: the transposed transform (backward), not the transform */
};

/* Winograd's weight transform of input channels [k0, k1) (cp->ut: its transpose's filters). */
static void
weights_part(void *arg, int k0, int k1)
{
    struct conv_pass *cp = arg;
    nn_wino_weights(cp->l, cp->p, cp->b, cp->ut, k0, k1);
}

/* Forward over examples [i0, i1): im2col, the product onto the bias, relu. */
static void
fwd_part(void *arg, int i0, int i1)
{
    struct conv_pass *cp = arg;
    struct nn_layer *l = cp->l;
    const double *x = cp->x, *bias = cp->p + (size_t)l->k * l->in_f * l->units;
    int T = l->in_t, C = l->in_f, Tp = l->out_t, F = l->units, K = l->k;
    int l0 = l->same ? (K - 1) / 2 : 0, kc = K * C;
    struct conv_fbufs f = fbufs(l, cp->b);
    const float *xin = l->fprev ? fbufs(l->fprev, cp->b).out : NULL;
    float *colf = (float *)l->cache;
    size_t r0 = (size_t)i0 * Tp, n = (size_t)(i1 - i0) * Tp;
    float *o = f.out + r0 * F;
    if (cp->wino) {
        nn_wino_forward(l, xin, x, bias, cp->b, i0, i1, o, l->act == NN_RELU);
        goto out;
    }
    for (int i = i0; i < i1; i++)
        for (int t = 0; t < Tp; t++) {
            float *row = colf + ((size_t)i * Tp + t) * kc;
            for (int j = 0; j < K; j++) {
                int s = t + j - l0;
                float *rj = row + (size_t)j * C;
                size_t at = ((size_t)i * T + s) * C;
                if (s < 0 || s >= T)
                    memset(rj, 0, (size_t)C * sizeof(float));
                else if (xin)
                    memcpy(rj, xin + at, (size_t)C * sizeof(float));
                else if (C < 16) /* a few features (a series' values): no call a value */
                    for (int c = 0; c < C; c++)
                        rj[c] = (float)x[at + c];
                else
                    conv_to_float(rj, x + at, (size_t)C);
            }
        }
    for (size_t r = 0; r < n; r++)
        for (int k = 0; k < F; k++)
            o[r * F + k] = (float)bias[k];
    nn_sgemm(0, (int)n, F, kc, colf + r0 * kc, kc, f.w, F, 1.0f, o, F);
    if (l->act == NN_RELU)
        conv_relu_f(o, n * F);
out:
    if (!l->fnext)
        conv_to_double(l->out + r0 * F, o, n * F);
}

/*
 * Backward over examples [i0, i1): the gradient by the pre-activations
 * (into f.dout, as floats), then the input's through dcol and col2im, into
 * the previous convolution's float gradient or dx.
 */
static void
bwd_part(void *arg, int i0, int i1)
{
    struct conv_pass *cp = arg;
    struct nn_layer *l = cp->l;
    int T = l->in_t, C = l->in_f, Tp = l->out_t, F = l->units, K = l->k;
    int l0 = l->same ? (K - 1) / 2 : 0, kc = K * C;
    struct conv_fbufs f = fbufs(l, cp->b);
    size_t r0 = (size_t)i0 * Tp, n = (size_t)(i1 - i0) * Tp;
    float *d = f.dout + r0 * F;
    const float *y = f.out + r0 * F, *mask = NULL;
    if (l->fnext && cp->wino && l->act == NN_RELU)
        mask = y; /* relu' in the Winograd pass over d (nn_wino_backward) */
    else if (l->fnext) /* the next convolution wrote the gradient by the output */
        conv_relu_mask(d, y, n * F, l->act == NN_RELU);
    else if (l->dy_d && (l->act == NN_RELU || l->act == NN_IDENTITY)) /* dout = dy_d dy_w^T */
        for (int i = i0; i < i1; i++)
            conv_grad_outer(d + (size_t)(i - i0) * Tp * F, l->dy_d[i], l->dy_w,
                            y + (size_t)(i - i0) * Tp * F, (size_t)Tp * F, l->act == NN_RELU);
    else if (l->act == NN_RELU) /* y: out's values, as floats */
        conv_grad_relu(d, l->dout + r0 * F, y, n * F, 1);
    else if (l->act == NN_IDENTITY)
        conv_grad_relu(d, l->dout + r0 * F, y, n * F, 0);
    else /* out holds the activation of y */
        conv_grad_in(d, l->dout + r0 * F, l->out + r0 * F, n * F, l->act);
    float *dxf = l->fprev ? fbufs(l->fprev, cp->b).dout : NULL;
    double *dx = cp->dx;
    if (cp->wino) {
        nn_wino_backward(l, cp->b, i0, i1, d, mask, dxf, dx);
        return;
    }
    if (!dxf && !dx)
        return;
    float *dcol = f.dcol + r0 * kc;
    nn_sgemm(0, (int)n, kc, F, d, F, f.wt, kc, 0.0f, dcol, kc);
    for (int i = i0; i < i1; i++) {
        size_t at = (size_t)i * T * C;
        if (dxf)
            memset(dxf + at, 0, (size_t)T * C * sizeof(float));
        else
            memset(dx + at, 0, (size_t)T * C * sizeof(double));
        for (int t = 0; t < Tp; t++) {
            const float *row = f.dcol + ((size_t)i * Tp + t) * kc;
            for (int j = 0; j < K; j++) {
                int s = t + j - l0;
                if (s < 0 || s >= T)
                    continue;
                size_t o = ((size_t)i * T + s) * C;
                if (dxf)
                    conv_add_ff(dxf + o, row + (size_t)j * C, (size_t)C);
                else
                    conv_add_float(dx + o, row + (size_t)j * C, (size_t)C);
            }
        }
    }
}

/*
 * Rows [k0, k1) of the weight gradient col^T d (Winograd: its rows of
 * input channels [k0, k1)), and the bias's columns split alike.
 */
static void
wgrad_part(void *arg, int k0, int k1)
{
    struct conv_pass *cp = arg;
    struct nn_layer *l = cp->l;
    int F = l->units, kc = l->k * l->in_f, n = cp->wino ? l->in_f : kc;
    size_t rows = (size_t)cp->b * l->out_t;
    struct conv_fbufs f = fbufs(l, cp->b);
    if (cp->wino)
        nn_wino_wgrad(l, cp->b, k0, k1, cp->g);
    else if (k1 > k0) {
        nn_sgemm(1, k1 - k0, F, (int)rows, (const float *)l->cache + k0, kc, f.dout, F, 0.0f,
                 f.wt + (size_t)k0 * F, F);
        conv_to_double(cp->g + (size_t)k0 * F, f.wt + (size_t)k0 * F, (size_t)(k1 - k0) * F);
    }
    int c0 = (int)((long long)F * k0 / n), c1 = k1 == n ? F : (int)((long long)F * k1 / n);
    conv_col_sums_f(cp->g + (size_t)kc * F + c0, f.dout + c0, rows, F, c1 - c0);
    if (cp->wino && l->adam && k1 > k0) { /* Adam now, then the new weights' transform */
        int C = l->in_f;
        for (int j = 0; j < l->k; j++) {
            size_t o = ((size_t)j * C + k0) * F;
            nn_adam_slice(l->adam, l->poff + o, cp->g + o, (size_t)(k1 - k0) * F);
        }
        nn_adam_slice(l->adam, l->poff + (size_t)kc * F + c0, cp->g + (size_t)kc * F + c0,
                      (size_t)(c1 - c0));
        nn_wino_weights(l, l->adam->p + l->poff, cp->b, 0, k0, k1);
    }
}

static void
conv_forward(struct nn_layer *l, const double *p, const double *x, int b)
{
    int F = l->units, kc = l->k * l->in_f;
    size_t rows = (size_t)b * l->out_t;
    if (l->f32) {
        struct conv_pass cp = { .l = l, .p = p, .x = x, .b = b, .wino = nn_wino_fits(l) };
        if (cp.wino && l->u_batch != b) /* else the last step's update wrote U */
            nn_par_run(l->pool, l->threads, l->in_f, weights_part, &cp);
        l->u_batch = 0; /* used once: other passes overwrite the buffers around them */
        if (!cp.wino)
            conv_to_float(fbufs(l, b).w, p, (size_t)kc * F);
        nn_par_run(l->pool, l->threads, b, fwd_part, &cp);
        if (l->act == NN_RELU || l->act == NN_IDENTITY)
            return;
    } else {
        const double *bias = p + (size_t)kc * F;
        im2col(l, x, l->cache, b);
        for (size_t r = 0; r < rows; r++)
            memcpy(l->out + r * F, bias, (size_t)F * sizeof(double));
        nn_gemm(0, 0, (int)rows, F, kc, l->cache, kc, p, F, 1.0, l->out, F);
    }
    nn_act_apply(l->act, l->out, rows * F);
}

static void
conv_backward(struct nn_layer *l, const double *p, double *g, double *dx, int b)
{
    int F = l->units, kc = l->k * l->in_f;
    size_t rows = (size_t)b * l->out_t;
    if (l->f32) {
        struct conv_pass cp = { .l = l, .p = p, .g = g, .dx = dx, .b = b, .wino = nn_wino_fits(l) };
        struct conv_fbufs f = fbufs(l, b);
        if (cp.wino && (dx || l->fprev)) {
            cp.ut = 1;
            nn_par_run(l->pool, l->threads, F, weights_part, &cp);
        } else if (!cp.wino) {
            for (int r = 0; r < kc; r++)
                for (int k = 0; k < F; k++)
                    f.wt[(size_t)k * kc + r] = f.w[(size_t)r * F + k];
        }
        nn_par_run(l->pool, l->threads, b, bwd_part, &cp);
        nn_par_run(l->pool, l->threads, cp.wino ? l->in_f : kc, wgrad_part, &cp);
        if (cp.wino && l->adam) {
            l->adam_done = 1;
            l->u_batch = b;
        }
        return;
    }
    double *d = l->work, *gb = g + (size_t)kc * F;
    memset(gb, 0, (size_t)F * sizeof(double));
    memcpy(d, l->dout, rows * F * sizeof(double));
    nn_act_grad(l->act, l->out, d, rows * F);
    for (size_t r = 0; r < rows; r++)
        for (int f = 0; f < F; f++)
            gb[f] += d[r * F + f];
    nn_gemm(1, 0, kc, F, (int)rows, l->cache, kc, d, F, 0.0, g, F);
    if (!dx)
        return;
    double *dcol = l->work + rows * F, *wt = dcol + rows * kc;
    for (int r = 0; r < kc; r++)
        for (int f = 0; f < F; f++)
            wt[(size_t)f * kc + r] = p[(size_t)r * F + f];
    nn_gemm(0, 0, (int)rows, kc, F, d, F, wt, kc, 0.0, dcol, kc);
    col2im(l, dcol, dx, b);
}

/*
 * A chain of float convolutions ls[0..n) (n >= 2, each reading the one
 * before as floats: nn.c's fprev/fnext) in one pool job a pass, not one
 * per layer: every pass of a layer on examples [i0, i1) reads only those
 * examples' rows of the layer before (tiles never cross examples), so a
 * thread runs its examples through every layer with no wait between. The
 * backward pass waits once a layer: a layer's weight gradient (split by
 * channel, over the whole batch) needs every example's pass through it,
 * so it runs in the job of the next layer down's backward pass. Each
 * value is what the per-layer jobs compute, in the same order: the same
 * bits. The layer after the chain (tail: nn.c's dense layer) runs its
 * parts in the same jobs: its forward after a part's examples, its
 * backward (the chain's output gradient for a part's examples) at the
 * start of the first backward job.
 */
struct conv_chain {
    struct conv_pass cp[NN_MAX_LAYERS];
    int n, parts;
    int k; /* backward: the layer whose weight gradient this step finds */
    const struct nn_chain_tail *tail;
};

static void
chain_fwd_part(void *arg, int i0, int i1)
{
    struct conv_chain *ch = arg;
    for (int k = 0; k < ch->n; k++)
        fwd_part(&ch->cp[k], i0, i1);
    if (ch->tail)
        ch->tail->fwd(ch->tail->arg, i0, i1);
}

/*
 * Part w of the chain's backward step at layer ch->k: the weight gradient
 * of layer k (its channels split as nn_par_run splits them), then the
 * backward pass of layer k - 1 on part w of the examples (it reads only
 * what layer k's backward pass wrote for those examples); at k = n the
 * tail's part w first.
 */
static void
chain_bwd_part(void *arg, int w0, int w1)
{
    struct conv_chain *ch = arg;
    for (int w = w0; w < w1; w++) {
        if (ch->k == ch->n && ch->tail) /* the next layer's part: its gradient by our output */
            ch->tail->bwd(ch->tail->arg, w, ch->parts);
        if (ch->k < ch->n) {
            struct conv_pass *cp = &ch->cp[ch->k];
            int m = cp->wino ? cp->l->in_f : cp->l->k * cp->l->in_f;
            int nt = ch->parts < m ? ch->parts : m;
            if (w < nt)
                wgrad_part(cp, (int)((long long)m * w / nt), (int)((long long)m * (w + 1) / nt));
        }
        if (ch->k >= 2 && ch->cp[ch->k - 2].wino && (ch->cp[ch->k - 2].dx || ch->cp[ch->k - 2].l->fprev)) {
            /* U^T of layer k - 2 for its backward pass in the next job (its filters split) */
            struct conv_pass *cp = &ch->cp[ch->k - 2];
            int F = cp->l->units, nt = ch->parts < F ? ch->parts : F;
            if (w < nt)
                nn_wino_weights(cp->l, cp->p, cp->b, 1, (int)((long long)F * w / nt),
                                (int)((long long)F * (w + 1) / nt));
        }
        if (ch->k > 0) {
            struct conv_pass *cp = &ch->cp[ch->k - 1];
            int nt = ch->parts < cp->b ? ch->parts : cp->b;
            if (w < nt)
                bwd_part(cp, (int)((long long)cp->b * w / nt),
                         (int)((long long)cp->b * (w + 1) / nt));
        }
    }
}

static int
chain_parts(const struct nn_layer *l)
{
    return l->threads < 1 ? 1 : l->threads > NN_MAX_THREADS ? NN_MAX_THREADS : l->threads;
}

void
nn_conv_forward_chain(struct nn_layer *ls, int n, const double *p, const double *x, int b,
                      const struct nn_chain_tail *tail)
{
    struct conv_chain ch;
    ch.n = n;
    ch.tail = tail;
    for (int k = 0; k < n; k++) {
        struct nn_layer *l = &ls[k];
        struct conv_pass *cp = &ch.cp[k];
        *cp = (struct conv_pass){ .l = l, .p = p + l->poff, .x = k ? NULL : x, .b = b,
                                  .wino = nn_wino_fits(l) };
        if (cp->wino && l->u_batch != b)
            nn_par_run(l->pool, l->threads, l->in_f, weights_part, cp);
        l->u_batch = 0;
        if (!cp->wino)
            conv_to_float(fbufs(l, b).w, cp->p, (size_t)l->k * l->in_f * l->units);
    }
    nn_par_run(ls[0].pool, ls[0].threads, b, chain_fwd_part, &ch);
}

void
nn_conv_backward_chain(struct nn_layer *ls, int n, const double *p, double *g, double *dx,
                       int b, const struct nn_chain_tail *tail)
{
    struct conv_chain ch;
    ch.n = n;
    ch.tail = tail;
    ch.parts = chain_parts(&ls[0]);
    for (int k = 0; k < n; k++) {
        struct nn_layer *l = &ls[k];
        struct conv_pass *cp = &ch.cp[k];
        int F = l->units, kc = l->k * l->in_f;
        *cp = (struct conv_pass){ .l = l, .p = p + l->poff, .g = g + l->poff, .dx = k ? NULL : dx,
                                  .b = b, .wino = nn_wino_fits(l) };
        if (cp->wino && (cp->dx || l->fprev) && k == n - 1) { /* the others: in the jobs */
            cp->ut = 1;
            nn_par_run(l->pool, l->threads, F, weights_part, cp);
        } else if (!cp->wino) {
            struct conv_fbufs f = fbufs(l, b);
            for (int r = 0; r < kc; r++)
                for (int q = 0; q < F; q++)
                    f.wt[(size_t)q * kc + r] = f.w[(size_t)r * F + q];
        }
    }
    for (ch.k = n; ch.k >= 0; ch.k--) /* the last layer's backward pass, then steps */
        nn_par_run(ls[0].pool, ch.parts, ch.parts, chain_bwd_part, &ch);
    for (int k = 0; k < n; k++) {
        struct nn_layer *l = &ls[k];
        if (ch.cp[k].wino && l->adam) {
            l->adam_done = 1;
            l->u_batch = b;
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
