/*
 * nn_rnn.c: the recurrent layers, simple (Elman) RNN, LSTM and GRU, with
 * backpropagation through time (equations in nn.h).
 *
 * Layout. Per step t the batch's [x_t, h_{t-1}] rows are gathered into
 * z[t] ([T][B][F+H] in the cache), and the step's pre-activations are one
 * gemm of its B rows by W ((F+H) x G*H, Wx over Wh) onto the bias (the
 * GRU: x Wx and h Wh apart). Backward, a step's dh_{t-1} = da Wh^T and
 * dx_t = da Wx^T are two gemms of its rows. The pre-activation gradients
 * of every step are kept ([T][B][G*H] in work), so the weight gradient is
 * one gemm over all steps at the end: dW = z^T da over the T*B rows.
 *
 * Precision. The passes are written once (nn_rnn_tmpl.h) and built twice:
 * in double, and in float32 for a layer with l->f32 (nn_set_float32): then
 * the caches, the work, W (a float copy made each pass) and every product
 * are float32, while the layer's input, output, gradients and parameters
 * stay double (the weight gradient is made in float, the bias's summed in
 * double).
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
#include "base/hot.h"
#include "nn/nn_layer.h"

/* Gate blocks per kind: rnn 1, lstm 4 (i f g o), gru 3 (r z n). */
static int
rnn_gates(const struct nn_layer *l)
{
    return l->kind == NN_LSTM ? 4 : l->kind == NN_GRU ? 3 : 1;
}

/*
 * Cache layout (in the pass's numbers, double or float; a float layout
 * takes the first half of the doubles allocated): z [T][B][F+H]; a
 * [T][B][G*H] (activated gates, for rnn h itself; lstm i f g o, each H
 * wide); lstm: c [T][B][H], tanh c [T][B][H]; gru: h W_hn + b_hn [T][B][H].
 * Work: da [T][B][G*H], a scratch of [B][zp] (forward: the rows of h; gru's
 * h Wh + bh and h; backward: dx_t's rows), dh [B][H], dc [B][H], gru: dah
 * [B][3H]; W^T [G*H][zp] (so a step's da W^T runs in nn_gemm's kernel; its
 * rows padded to zp, F+H rounded up to 8, with zeros); then (float path)
 * W and the weight gradient, np floats each.
 */
struct nn_sizes
nn_rnn_sizes(const struct nn_layer *l, int b)
{
    struct nn_sizes s;
    size_t T = (size_t)l->in_t, F = (size_t)l->in_f, H = (size_t)l->units, B = (size_t)b;
    size_t G = (size_t)rnn_gates(l);
    s.np = (F + H) * G * H + G * H;
    if (l->kind == NN_GRU)
        s.np += G * H; /* the separate hidden bias b_h */
    s.cache = T * B * (F + H) + T * B * G * H + 2 * T * B * H;
    size_t zp = (F + H + 7) / 8 * 8; /* W^T's rows and dz padded to vectors */
    s.work = T * B * G * H + B * zp + 2 * B * H + B * G * H + zp * G * H;
    s.work += s.np; /* the float path: W and its gradient as floats after the rest */
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
    const void *w; /* W, then the bias(es), in the pass's precision */
    const double *x;
    double *g, *dx;
    void *gw;      /* the weight gradient in the pass's precision (g itself in double) */
    int b, i0, i1;
};

#define RT double
#define RN(name) name##_d
#define RGEMM(ta, M, N, K, A, lda, B, ldb, beta, C, ldc)                                     \
    nn_gemm(ta, 0, M, N, K, A, lda, B, ldb, beta, C, ldc)
#define RSIGM nn_sigmoid
#define RTANH nn_tanh
#include "nn/nn_rnn_tmpl.h"
#undef RT
#undef RN
#undef RGEMM
#undef RSIGM
#undef RTANH

#define RT float
#define RN(name) name##_f
#define RGEMM nn_sgemm
#define RSIGM nn_sigmoidf
#define RTANH nn_tanhf
#include "nn/nn_rnn_tmpl.h"
#undef RT
#undef RN
#undef RGEMM
#undef RSIGM
#undef RTANH

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

/* The float path's W copy and weight gradient: after the work's double layout, in floats. */
static float *
float_w(const struct nn_layer *l, int b)
{
    size_t T = (size_t)l->in_t, H = (size_t)l->units, B = (size_t)b, gh = rnn_gates(l) * H;
    size_t zp = ((size_t)l->in_f + H + 7) / 8 * 8;
    return (float *)l->work + T * B * gh + B * zp + 2 * B * H + B * gh + zp * gh;
}

/* The parameters in the pass's precision: p itself, or its float copy. */
static const void *
pass_w(const struct nn_layer *l, const double *p, int b)
{
    if (!l->f32)
        return p;
    float *wf = float_w(l, b);
    size_t np = nn_rnn_sizes(l, 1).np;
    for (size_t k = 0; k < np; k++)
        wf[k] = (float)p[k];
    return wf;
}

void
nn_rnn_forward(struct nn_layer *l, const double *p, const double *x, int b)
{
    struct rnn_job jb = { .l = l, .w = pass_w(l, p, b), .x = x, .b = b };
    split_run(&jb, b, l->f32 ? job_forward_f : job_forward_d);
}

void
nn_rnn_backward(struct nn_layer *l, const double *p, double *g, const double *x, double *dx,
                int b)
{
    int F = l->in_f, H = l->units, G = rnn_gates(l), zw = F + H, gh = G * H;
    size_t B = (size_t)b, wo = (size_t)l->in_t * B * gh + B * ((zw + 7) / 8 * 8) + 2 * B * H + B * gh;
    int zp = (zw + 7) / 8 * 8;
    struct rnn_job jb = { .l = l, .w = pass_w(l, p, b), .x = x, .g = g, .dx = dx, .b = b };
    /* W^T (Wx^T then Wh^T in each row; the GRU's W holds Wx and Wh alike) */
    if (l->f32) {
        jb.gw = float_w(l, b) + nn_rnn_sizes(l, 1).np;
        transpose_f(jb.w, (float *)l->work + wo, zw, gh, zp);
        split_run(&jb, b, job_backward_f);
        split_run(&jb, zw, job_weights_f);
    } else {
        jb.gw = g;
        transpose_d(p, l->work + wo, zw, gh, zp);
        split_run(&jb, b, job_backward_d);
        split_run(&jb, zw, job_weights_d);
    }
}
