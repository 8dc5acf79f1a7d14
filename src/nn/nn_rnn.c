/*
 * nn_rnn.c: the recurrent layers, simple (Elman) RNN, LSTM and GRU, with
 * backpropagation through time (equations in nn.h).
 *
 * Layout. Per step t the batch's [x_t, h_{t-1}] rows are gathered into
 * z[t] ([T][B][F+H] in the cache). For rnn and lstm the input part of
 * every step's pre-activations (bias + x_t Wx, all four gates) is one gemm
 * over the B*T rows before the recurrence; a step then adds h_{t-1} Wh in
 * one gemm of its B rows by Wh (H x 4H) (the same sums in the same order
 * as one gemm of z[t] by W). Backward, a step's dh_{t-1} = da Wh^T and
 * dx_t = da Wx^T are two gemms of its rows (dx written in place, stride
 * T*F). The pre-activation gradients of every step are kept ([T][B][G] in
 * work), so the weight gradient is one gemm over all steps at the end:
 * dW = z^T da over the T*B rows.
 *
 * Threads (l->threads, from nn_set_threads): the examples are independent
 * through the recurrence, so thread k runs whole sequences of its share of
 * the batch rows [i0, i1), forward and backward, with no step-by-step
 * synchronisation; the weight gradient's rows and the bias's columns are
 * then shared out. Each value is summed in one fixed order (a gemm's row
 * does not depend on the rows beside it), so results do not depend on the
 * thread count.
 */
#include <math.h>
#include <pthread.h>
#include <string.h>

#include "base/banned.h"
#include "nn/nn_layer.h"

#ifdef __clang__
#define HOT __attribute__((target_clones("avx512f", "avx2", "default")))
#else /* GCC: -O3's vectoriser for these loops */
#define HOT __attribute__((optimize("O3"), target_clones("avx512f", "avx2", "default")))
#endif

/* Gate blocks per kind: rnn 1, lstm 4 (i f g o), gru 3 (r z n). */
static int
gates(const struct nn_layer *l)
{
    return l->kind == NN_LSTM ? 4 : l->kind == NN_GRU ? 3 : 1;
}

/*
 * Cache layout (doubles): z [T][B][F+H]; a [T][B][G*H] (activated gates,
 * for rnn h itself); lstm: c [T][B][H], tanh c [T][B][H]; gru: h W_hn + b_hn
 * [T][B][H]. Work: da [T][B][G*H] (forward: bias + x Wx of every step,
 * [B][T][G*H]), a scratch of [B][zp] (forward: the rows of h; gru's h Wh +
 * bh and h), dh [B][H], dc [B][H], gru: dah [B][3H]; W^T [G*H][zp] (so a
 * step's da W^T runs in nn_gemm's kernel; its rows padded to zp, F+H
 * rounded up to 8, with zeros).
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

/* The work of one thread: rows [i0, i1) of the batch, or of W for the weights. */
struct rnn_job {
    struct nn_layer *l;
    const double *p, *x;
    double *g, *dx;
    int b, i0, i1;
};

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

/* Forward over examples [i0, i1): every step of their sequences. */
static void
forward_rows(struct rnn_job *jb)
{
    struct nn_layer *l = jb->l;
    const double *p = jb->p, *x = jb->x;
    int F = l->in_f, H = l->units, T = l->in_t, G = gates(l), zw = F + H, gh = G * H;
    size_t B = (size_t)jb->b, i0 = (size_t)jb->i0, i1 = (size_t)jb->i1, m = i1 - i0;
    double *zall = l->cache, *aall = zall + (size_t)T * B * zw;
    double *call = aall + (size_t)T * B * gh, *tall = call + (size_t)T * B * H;
    const double *bias = p + (size_t)zw * gh, *wh = p + (size_t)F * gh;
    double *xa = l->work;                            /* [B][T][gh]: bias + x_t Wx */
    double *scratch = l->work + (size_t)T * B * gh; /* the dz region, free forward */
    if (m == 0)
        return;
    if (l->kind != NN_GRU) {
        for (size_t r = i0 * T; r < i1 * T; r++)
            memcpy(xa + r * gh, bias, (size_t)gh * sizeof(double));
        nn_gemm(0, 0, (int)(m * T), gh, F, x + i0 * T * F, F, p, gh, 1.0, xa + i0 * T * gh, gh);
    }
    for (int t = 0; t < T; t++) {
        double *z = zall + (size_t)t * B * zw, *a = aall + (size_t)t * B * gh;
        for (size_t i = i0; i < i1; i++) {
            double *zr = z + i * zw;
            memcpy(zr, x + (i * T + t) * F, (size_t)F * sizeof(double));
            if (t == 0)
                memset(zr + F, 0, (size_t)H * sizeof(double));
        }
        if (l->kind == NN_GRU) {
            /* a = x Wx + bx on the r z n blocks; ah = h Wh + bh in scratch */
            const double *bh = bias + gh;
            double *ah = scratch, *h = scratch + B * gh + i0 * H;
            for (size_t i = i0; i < i1; i++) {
                memcpy(a + i * gh, bias, (size_t)gh * sizeof(double));
                memcpy(ah + i * gh, bh, (size_t)gh * sizeof(double));
            }
            nn_gemm(0, 0, (int)m, gh, F, z + i0 * zw, zw, p, gh, 1.0, a + i0 * gh, gh);
            nn_gemm(0, 0, (int)m, gh, H, z + i0 * zw + F, zw, wh, gh, 1.0, ah + i0 * gh, gh);
            double *hn = call + (size_t)t * B * H;
            for (size_t i = i0; i < i1; i++) {
                double *ai = a + i * gh, *ahi = ah + i * gh, *hp = z + i * zw + F;
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
                put_h(l, z, (int)B, t, (int)i, h);
            }
            continue;
        }
        for (size_t i = i0; i < i1; i++)
            memcpy(a + i * gh, xa + (i * T + t) * gh, (size_t)gh * sizeof(double));
        nn_gemm(0, 0, (int)m, gh, H, z + i0 * zw + F, zw, wh, gh, 1.0, a + i0 * gh, gh);
        if (l->kind == NN_RNN) {
            nn_tanh(a + i0 * gh, m * H);
            for (size_t i = i0; i < i1; i++)
                put_h(l, z, (int)B, t, (int)i, a + i * gh);
            continue;
        }
        double *c = call + (size_t)t * B * H, *tc = tall + (size_t)t * B * H;
        const double *cp = t ? c - B * H : NULL;
        for (size_t i = i0; i < i1; i++) {
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
        nn_tanh(tc + i0 * H, m * H);
        double *h = scratch + i0 * H;
        for (size_t i = i0; i < i1; i++) {
            const double *ai = a + i * gh, *tci = tc + i * H;
            for (int j = 0; j < H; j++)
                h[j] = ai[3 * H + j] * tci[j];
            put_h(l, z, (int)B, t, (int)i, h);
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

/* The loss's gradient by h_t coming from the output, added into dh (rows i0..i1). */
static void
add_dout(const struct nn_layer *l, double *dh, int i0, int i1, int t)
{
    int H = l->units, T = l->in_t;
    for (int i = i0; i < i1; i++) {
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

/* Backward through time over examples [i0, i1). */
static void
backward_rows(struct rnn_job *jb)
{
    struct nn_layer *l = jb->l;
    double *dx = jb->dx;
    int F = l->in_f, H = l->units, T = l->in_t, G = gates(l), zw = F + H, gh = G * H;
    size_t B = (size_t)jb->b, i0 = (size_t)jb->i0, i1 = (size_t)jb->i1, m = i1 - i0;
    double *zall = l->cache, *aall = zall + (size_t)T * B * zw;
    double *call = aall + (size_t)T * B * gh, *tall = call + (size_t)T * B * H;
    int zp = (zw + 7) / 8 * 8;
    double *daall = l->work, *dz = daall + (size_t)T * B * gh;
    double *dh = dz + B * zp, *dc = dh + B * H, *dah = dc + B * H, *wt = dah + B * gh;
    if (m == 0)
        return;
    memset(dh + i0 * H, 0, m * H * sizeof(double));
    memset(dc + i0 * H, 0, m * H * sizeof(double));
    if (l->kind == NN_LSTM) /* c_{-1} = 0, [B][H] (the GRU's dah rows are [B][3H]) */
        memset(dah + i0 * H, 0, m * H * sizeof(double));
    for (int t = T - 1; t >= 0; t--) {
        double *z = zall + (size_t)t * B * zw, *a = aall + (size_t)t * B * gh;
        double *da = daall + (size_t)t * B * gh;
        add_dout(l, dh, (int)i0, (int)i1, t);
        if (l->kind == NN_RNN) {
            for (size_t k = i0 * H; k < i1 * H; k++)
                da[k] = dh[k] * (1 - a[k] * a[k]);
        } else if (l->kind == NN_LSTM) {
            for (size_t i = i0; i < i1; i++)
                lstm_gates_back(a + i * gh, tall + ((size_t)t * B + i) * H,
                                t ? call + ((size_t)(t - 1) * B + i) * H : dah + i * H,
                                dh + i * H, dc + i * H, da + i * gh, H);
        } else {
            const double *hn = call + (size_t)t * B * H;
            for (size_t i = i0; i < i1; i++) {
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
            nn_gemm(0, 0, (int)m, H, gh, dah + i0 * gh, gh, wt + F, zp, 1.0, dh + i0 * H, H);
            if (dx)
                nn_gemm(0, 0, (int)m, F, gh, da + i0 * gh, gh, wt, zp, 0.0,
                        dx + (i0 * T + t) * F, T * F);
            /* keep dah for the Wh gradient: store it over a (no longer needed) */
            memcpy(a + i0 * gh, dah + i0 * gh, m * gh * sizeof(double));
            continue;
        }
        /* dh_{t-1} = da Wh^T, dx_t = da Wx^T (W^T's rows hold Wx^T then Wh^T) */
        nn_gemm(0, 0, (int)m, H, gh, da + i0 * gh, gh, wt + F, zp, 0.0, dh + i0 * H, H);
        if (dx)
            nn_gemm(0, 0, (int)m, F, gh, da + i0 * gh, gh, wt, zp, 0.0, dx + (i0 * T + t) * F,
                    T * F);
    }
}

/* s[j] = the sum over r < rows of v[r * ld + j], j < n, in row order. */
HOT static void
col_sums(double *restrict s, const double *restrict v, size_t rows, int ld, int n)
{
    for (int j = 0; j < n; j++)
        s[j] = 0;
    for (size_t r = 0; r < rows; r++)
        for (int j = 0; j < n; j++)
            s[j] += v[r * ld + j];
}

/* Rows [i0, i1) of the weight gradient dW = z^T da and columns of the bias's. */
static void
weights_rows(struct rnn_job *jb)
{
    struct nn_layer *l = jb->l;
    double *g = jb->g;
    int F = l->in_f, H = l->units, T = l->in_t, G = gates(l), zw = F + H, gh = G * H;
    size_t rows = (size_t)T * jb->b;
    double *zall = l->cache, *aall = zall + rows * zw, *daall = l->work;
    double *gb = g + (size_t)zw * gh;
    int r0 = jb->i0, r1 = jb->i1;
    /* GRU: Wh's rows (from F on) pair h with dah, kept over a */
    int split = l->kind == NN_GRU ? F : zw;
    int e0 = r1 < split ? r1 : split, s1 = r0 > split ? r0 : split;
    if (e0 > r0)
        nn_gemm(1, 0, e0 - r0, gh, (int)rows, zall + r0, zw, daall, gh, 0.0, g + (size_t)r0 * gh,
                gh);
    if (r1 > s1)
        nn_gemm(1, 0, r1 - s1, gh, (int)rows, zall + s1, zw, aall, gh, 0.0, g + (size_t)s1 * gh,
                gh);
    /* the bias columns [c0, c1), split as the rows are */
    int c0 = (int)((long long)gh * r0 / zw), c1 = (int)((long long)gh * r1 / zw);
    if (r1 == zw)
        c1 = gh;
    col_sums(gb + c0, daall + c0, rows, gh, c1 - c0);
    if (l->kind == NN_GRU)
        col_sums(gb + gh + c0, aall + c0, rows, gh, c1 - c0);
}

static void *
job_forward(void *a)
{
    forward_rows(a);
    return NULL;
}

static void *
job_backward(void *a)
{
    backward_rows(a);
    return NULL;
}

static void *
job_weights(void *a)
{
    weights_rows(a);
    return NULL;
}

/*
 * Run fn over n rows split in l->threads parts (thread 0 here, the others
 * started; one that cannot start runs here after), then wait for all.
 */
static void
split_run(struct rnn_job *proto, int n, void *(*fn)(void *))
{
    struct rnn_job jobs[NN_MAX_THREADS];
    pthread_t th[NN_MAX_THREADS];
    int started[NN_MAX_THREADS] = { 0 };
    int nt = proto->l->threads < 1 ? 1 : proto->l->threads;
    if (nt > NN_MAX_THREADS)
        nt = NN_MAX_THREADS;
    if (nt > n)
        nt = n > 0 ? n : 1;
    for (int k = 0; k < nt; k++) {
        jobs[k] = *proto;
        jobs[k].i0 = (int)((long long)n * k / nt);
        jobs[k].i1 = (int)((long long)n * (k + 1) / nt);
    }
    for (int k = 1; k < nt; k++)
        started[k] = pthread_create(&th[k], NULL, fn, &jobs[k]) == 0;
    fn(&jobs[0]);
    for (int k = 1; k < nt; k++) {
        if (started[k])
            pthread_join(th[k], NULL);
        else
            fn(&jobs[k]);
    }
}

void
nn_rnn_forward(struct nn_layer *l, const double *p, const double *x, int b)
{
    struct rnn_job jb = { .l = l, .p = p, .x = x, .b = b };
    split_run(&jb, b, job_forward);
}

void
nn_rnn_backward(struct nn_layer *l, const double *p, double *g, const double *x, double *dx,
                int b)
{
    int F = l->in_f, H = l->units, G = gates(l), zw = F + H, gh = G * H;
    size_t B = (size_t)b;
    int zp = (zw + 7) / 8 * 8;
    double *wt = l->work + (size_t)l->in_t * B * gh + B * zp + 2 * B * H + B * gh;
    /* W^T (Wx^T then Wh^T in each row; the GRU's W holds Wx and Wh alike) */
    memset(wt, 0, (size_t)gh * zp * sizeof(double));
    for (int r = 0; r < zw; r++)
        for (int j = 0; j < gh; j++)
            wt[(size_t)j * zp + r] = p[(size_t)r * gh + j];
    struct rnn_job jb = { .l = l, .p = p, .x = x, .g = g, .dx = dx, .b = b };
    split_run(&jb, b, job_backward);
    split_run(&jb, zw, job_weights);
}
