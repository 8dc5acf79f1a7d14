/*
 * nn_rnn.c: the recurrent layers, simple (Elman) RNN, LSTM and GRU, with
 * backpropagation through time (equations in nn.h).
 *
 * Layout. Per step t the batch's [x_t, h_{t-1}] rows are gathered into
 * z[t] ([T][B][F+H] in the cache), so a step's pre-activations are one
 * gemm of z[t] by W. The pre-activation gradients of every step are kept
 * ([T][B][G] in work), so the weight gradient is one gemm over all steps
 * at the end: dW = z^T da over the T*B rows.
 */
#include <math.h>
#include <string.h>

#include "base/banned.h"
#include "nn/nn_layer.h"

#define HOT __attribute__((target_clones("avx512f", "avx2", "default")))

/* Gate blocks per kind: rnn 1, lstm 4 (i f g o), gru 3 (r z n). */
static int
gates(const struct nn_layer *l)
{
    return l->kind == NN_LSTM ? 4 : l->kind == NN_GRU ? 3 : 1;
}

/*
 * Cache layout (doubles): z [T][B][F+H]; a [T][B][G*H] (activated gates,
 * for rnn h itself); lstm: c [T][B][H], tanh c [T][B][H]; gru: h W_hn + b_hn
 * [T][B][H]. Work: da [T][B][G*H], dz [B][F+H], dh [B][H], dc [B][H],
 * gru: dah [B][3H]; W^T [G*H][zp] (so a step's dz = da W^T runs in
 * nn_gemm's kernel; dz and W^T rows padded to zp, F+H rounded up to 8, with
 * zeros, so every column is in vectors).
 */
struct nn_sizes
nn_rnn_sizes(const struct nn_layer *l, int b)
{
    struct nn_sizes s;
    size_t T = (size_t)l->in_t, F = (size_t)l->in_f, H = (size_t)l->units, B = (size_t)b;
    size_t G = (size_t)gates(l);
    s.np = (F + H) * G * H + G * H;
    if (l->kind == NN_GRU)
        s.np += G * H; /* the separate hidden bias b_h */
    s.cache = T * B * (F + H) + T * B * G * H + 2 * T * B * H;
    size_t zp = (F + H + 7) / 8 * 8; /* W^T's rows and dz padded to vectors */
    s.work = T * B * G * H + B * zp + 2 * B * H + B * G * H + zp * G * H;
    return s;
}

void
nn_rnn_init(const struct nn_layer *l, double *p, struct rng *r)
{
    nn_uniform(r, p, nn_rnn_sizes(l, 1).np, 1.0 / sqrt((double)l->units));
}

/* Gather [x_t, h_{t-1}] of every example into z[t]; h_{-1} = 0. */
static void
gather_x(const struct nn_layer *l, const double *x, double *z, int b, int t)
{
    int F = l->in_f, H = l->units, T = l->in_t, zw = F + H;
    for (int i = 0; i < b; i++) {
        double *zr = z + (size_t)i * zw;
        memcpy(zr, x + ((size_t)i * T + t) * F, (size_t)F * sizeof(double));
        if (t == 0)
            memset(zr + F, 0, (size_t)H * sizeof(double));
    }
}

/* h_t of example i goes to the output and to z[t+1]'s h part. */
static void
put_h(struct nn_layer *l, double *z, int b, int t, int i, const double *h)
{
    int F = l->in_f, H = l->units, T = l->in_t, zw = F + H;
    if (t + 1 < T)
        memcpy(z + (size_t)b * zw + (size_t)i * zw + F, h, (size_t)H * sizeof(double));
    if (l->same)
        memcpy(l->out + ((size_t)i * T + t) * H, h, (size_t)H * sizeof(double));
    else if (t == T - 1)
        memcpy(l->out + (size_t)i * H, h, (size_t)H * sizeof(double));
}

void
nn_rnn_forward(struct nn_layer *l, const double *p, const double *x, int b)
{
    int F = l->in_f, H = l->units, T = l->in_t, G = gates(l), zw = F + H, gh = G * H;
    size_t B = (size_t)b;
    double *zall = l->cache, *aall = zall + (size_t)T * B * zw;
    double *call = aall + (size_t)T * B * gh, *tall = call + (size_t)T * B * H;
    const double *bias = p + (size_t)zw * gh;
    double *hbuf = l->work; /* one row of h, for put_h */
    for (int t = 0; t < T; t++) {
        double *z = zall + (size_t)t * B * zw, *a = aall + (size_t)t * B * gh;
        gather_x(l, x, z, b, t);
        if (l->kind == NN_GRU) {
            /* a = x Wx + bx on the r z n blocks; ah = h Wh + bh in work */
            const double *wh = p + (size_t)F * gh, *bh = bias + gh;
            double *ah = l->work + (size_t)T * B * gh;
            for (size_t i = 0; i < B; i++) {
                memcpy(a + i * gh, bias, (size_t)gh * sizeof(double));
                memcpy(ah + i * gh, bh, (size_t)gh * sizeof(double));
            }
            nn_gemm(0, 0, b, gh, F, z, zw, p, gh, 1.0, a, gh);
            nn_gemm(0, 0, b, gh, H, z + F, zw, wh, gh, 1.0, ah, gh);
            double *hn = call + (size_t)t * B * H;
            for (size_t i = 0; i < B; i++) {
                double *ai = a + i * gh, *ahi = ah + i * gh, *hp = z + i * zw + F;
                double *h = hbuf + (size_t)T * B * gh + B * (size_t)gh; /* scratch row */
                for (int j = 0; j < 2 * H; j++)
                    ai[j] += ahi[j];
                nn_sigmoid(ai, 2 * (size_t)H); /* r, u */
                for (int j = 0; j < H; j++) {
                    hn[i * H + j] = ahi[2 * H + j];
                    ai[2 * H + j] += ai[j] * ahi[2 * H + j];
                }
                nn_tanh(ai + 2 * H, (size_t)H); /* n */
                for (int j = 0; j < H; j++) {
                    double u = ai[H + j];
                    h[j] = (1 - u) * ai[2 * H + j] + u * hp[j];
                }
                put_h(l, z, b, t, (int)i, h);
            }
            continue;
        }
        for (size_t i = 0; i < B; i++)
            memcpy(a + i * gh, bias, (size_t)gh * sizeof(double));
        nn_gemm(0, 0, b, gh, zw, z, zw, p, gh, 1.0, a, gh);
        if (l->kind == NN_RNN) {
            nn_tanh(a, B * H);
            for (size_t i = 0; i < B; i++)
                put_h(l, z, b, t, (int)i, a + i * gh);
            continue;
        }
        double *c = call + (size_t)t * B * H, *tc = tall + (size_t)t * B * H;
        const double *cp = t ? c - B * H : NULL;
        for (size_t i = 0; i < B; i++) {
            double *ai = a + i * gh;
            nn_sigmoid(ai, 2 * (size_t)H);     /* i, f */
            nn_tanh(ai + 2 * H, (size_t)H);    /* g */
            nn_sigmoid(ai + 3 * H, (size_t)H); /* o */
            for (int j = 0; j < H; j++) {
                double cv = ai[j] * ai[2 * H + j] + (cp ? ai[H + j] * cp[i * H + j] : 0.0);
                c[i * H + j] = cv;
                tc[i * H + j] = cv;
            }
        }
        nn_tanh(tc, B * H);
        for (size_t i = 0; i < B; i++) {
            const double *ai = a + i * gh, *tci = tc + i * H;
            double *h = hbuf;
            for (int j = 0; j < H; j++)
                h[j] = ai[3 * H + j] * tci[j];
            put_h(l, z, b, t, (int)i, h);
        }
    }
}

/*
 * One example's LSTM step backward: a its gates (i f g o), tc tanh(c_t),
 * cp c_{t-1}; dh the gradient by h_t; dc by c_t from step t+1 in, by
 * c_{t-1} out; da the gradient by the pre-activations.
 */
HOT static void
lstm_gates_back(const double *restrict a, const double *restrict tc, const double *restrict cp,
                const double *restrict dh, double *restrict dc, double *restrict da, int H)
{
    for (int j = 0; j < H; j++) {
        double ig = a[j], fg = a[H + j], gg = a[2 * H + j], og = a[3 * H + j];
        double th = tc[j], dhk = dh[j];
        double dck = dc[j] + dhk * og * (1 - th * th);
        da[j] = dck * gg * ig * (1 - ig);
        da[H + j] = dck * cp[j] * fg * (1 - fg);
        da[2 * H + j] = dck * ig * (1 - gg * gg);
        da[3 * H + j] = dhk * th * og * (1 - og);
        dc[j] = dck * fg;
    }
}

/* The loss's gradient by h_t coming from the output, added into dh. */
static void
add_dout(const struct nn_layer *l, double *dh, int b, int t)
{
    int H = l->units, T = l->in_t;
    for (int i = 0; i < b; i++) {
        const double *d = NULL;
        if (l->same)
            d = l->dout + ((size_t)i * T + t) * H;
        else if (t == T - 1)
            d = l->dout + (size_t)i * H;
        if (d)
            for (int j = 0; j < H; j++)
                dh[(size_t)i * H + j] += d[j];
    }
}

void
nn_rnn_backward(struct nn_layer *l, const double *p, double *g, const double *x, double *dx,
                int b)
{
    int F = l->in_f, H = l->units, T = l->in_t, G = gates(l), zw = F + H, gh = G * H;
    size_t B = (size_t)b;
    double *zall = l->cache, *aall = zall + (size_t)T * B * zw;
    double *call = aall + (size_t)T * B * gh, *tall = call + (size_t)T * B * H;
    int zp = (zw + 7) / 8 * 8;
    double *daall = l->work, *dz = daall + (size_t)T * B * gh;
    double *dh = dz + B * zp, *dc = dh + B * H, *dah = dc + B * H, *wt = dah + B * gh;
    if (l->kind != NN_GRU) {
        memset(wt, 0, (size_t)gh * zp * sizeof(double));
        for (int r = 0; r < zw; r++)
            for (int j = 0; j < gh; j++)
                wt[(size_t)j * zp + r] = p[(size_t)r * gh + j];
    }
    memset(dh, 0, B * H * sizeof(double));
    memset(dc, 0, B * H * sizeof(double));
    memset(dah, 0, B * H * sizeof(double)); /* the LSTM's c_{-1} = 0 */
    const double *wh = p + (size_t)F * gh;
    for (int t = T - 1; t >= 0; t--) {
        double *z = zall + (size_t)t * B * zw, *a = aall + (size_t)t * B * gh;
        double *da = daall + (size_t)t * B * gh;
        add_dout(l, dh, b, t);
        if (l->kind == NN_RNN) {
            for (size_t k = 0; k < B * H; k++)
                da[k] = dh[k] * (1 - a[k] * a[k]);
        } else if (l->kind == NN_LSTM) {
            const double *cp = t ? call + (size_t)(t - 1) * B * H : dah;
            for (size_t i = 0; i < B; i++)
                lstm_gates_back(a + i * gh, tall + ((size_t)t * B + i) * H, cp + (t ? i * H : 0),
                                dh + i * H, dc + i * H, da + i * gh, H);
        } else {
            const double *hn = call + (size_t)t * B * H;
            for (size_t i = 0; i < B; i++) {
                const double *ai = a + i * gh, *hp = z + i * zw + F;
                double *di = da + i * gh, *dhi = dah + i * gh;
                for (int j = 0; j < H; j++) {
                    size_t k = i * H + j;
                    double r = ai[j], u = ai[H + j], n = ai[2 * H + j], dhk = dh[k];
                    double dan = dhk * (1 - u) * (1 - n * n);
                    double dar = dan * hn[k] * r * (1 - r);
                    double dau = dhk * (hp[j] - n) * u * (1 - u);
                    di[j] = dhi[j] = dar;
                    di[H + j] = dhi[H + j] = dau;
                    di[2 * H + j] = dan;
                    dhi[2 * H + j] = dan * r;
                    dh[k] = dhk * u; /* the direct path; Wh's added below */
                }
            }
        }
        if (l->kind == NN_GRU) {
            /* dx_t = da Wx^T; dh_{t-1} = dh * u + dah Wh^T */
            nn_gemm(0, 1, b, F, gh, da, gh, p, gh, 0.0, dz, zp);
            nn_gemm(0, 1, b, H, gh, dah, gh, wh, gh, 1.0, dh, H);
            /* keep dah for the Wh gradient: store it over a (no longer needed) */
            memcpy(a, dah, B * gh * sizeof(double));
        } else {
            nn_gemm(0, 0, b, zp, gh, da, gh, wt, zp, 0.0, dz, zp);
            for (size_t i = 0; i < B; i++)
                memcpy(dh + i * H, dz + i * zp + F, (size_t)H * sizeof(double));
        }
        if (dx)
            for (int i = 0; i < b; i++)
                memcpy(dx + ((size_t)i * T + t) * F, dz + (size_t)i * zp,
                       (size_t)F * sizeof(double));
    }
    /* weights and biases over every step at once */
    size_t rows = (size_t)T * B;
    double *gb = g + (size_t)zw * gh;
    if (l->kind == NN_GRU) {
        nn_gemm(1, 0, F, gh, (int)rows, zall, zw, daall, gh, 0.0, g, gh);
        nn_gemm(1, 0, H, gh, (int)rows, zall + F, zw, aall, gh, 0.0, g + (size_t)F * gh, gh);
        memset(gb, 0, 2 * (size_t)gh * sizeof(double));
        for (size_t r = 0; r < rows; r++)
            for (int j = 0; j < gh; j++) {
                gb[j] += daall[r * gh + j];
                gb[gh + j] += aall[r * gh + j];
            }
        return;
    }
    nn_gemm(1, 0, zw, gh, (int)rows, zall, zw, daall, gh, 0.0, g, gh);
    memset(gb, 0, (size_t)gh * sizeof(double));
    for (size_t r = 0; r < rows; r++)
        for (int j = 0; j < gh; j++)
            gb[j] += daall[r * gh + j];
}
