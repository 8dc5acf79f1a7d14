/*
 * test_nn_fast.c: the NN core's fast paths against its plain ones:
 *  - nn_sgemm (float32) against the triple loop in double, every edge of
 *    its blocks, both A layouts;
 *  - the convolution with float32 products (nn_set_float32) against the
 *    same network in double: outputs, parameter and input gradients agree
 *    to float32's rounding (1e-4 of the largest value), and are not equal
 *    (the float path did run);
 *  - the recurrent layers split over 2, 3 and 8 threads (nn_set_threads)
 *    give the one-thread outputs and gradients to the last bit, for rnn,
 *    lstm (last step and every step, under an embedding) and gru, on odd
 *    batch sizes; the gradient checks of test_nn_grad run threaded too.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "nn/nn.h"
#include "nn/nn_layer.h"
#include "nn/nn_train.h"

static void
test_sgemm(void)
{
    static const int shapes[][3] = { { 64, 128, 33 }, { 33, 128, 384 }, { 768, 128, 3 },
                                     { 1, 1, 1 },     { 9, 17, 5 },     { 13, 40, 7 },
                                     { 8, 32, 3 },    { 3, 31, 2 } };
    struct rng r;
    rng_init(&r, 5);
    int bad = 0;
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
        for (int ta = 0; ta < 2; ta++)
            for (int bi = 0; bi < 2; bi++) {
                int M = shapes[s][0], N = shapes[s][1], K = shapes[s][2];
                float beta = bi ? 1.0f : 0.0f;
                float *a = malloc((size_t)M * K * sizeof(float));
                float *b = malloc((size_t)K * N * sizeof(float));
                float *c = malloc((size_t)M * N * sizeof(float));
                double *want = malloc((size_t)M * N * sizeof(double));
                for (int i = 0; i < M * K; i++)
                    a[i] = (float)(2 * rng_uniform(&r) - 1);
                for (int i = 0; i < K * N; i++)
                    b[i] = (float)(2 * rng_uniform(&r) - 1);
                for (int i = 0; i < M * N; i++)
                    c[i] = (float)(2 * rng_uniform(&r) - 1);
                for (int i = 0; i < M; i++)
                    for (int j = 0; j < N; j++) {
                        double v = beta * c[i * N + j];
                        for (int k = 0; k < K; k++)
                            v += (double)(ta ? a[k * M + i] : a[i * K + k]) * b[k * N + j];
                        want[i * N + j] = v;
                    }
                nn_sgemm(ta, M, N, K, a, ta ? M : K, b, N, beta, c, N);
                for (int i = 0; i < M * N; i++)
                    if (fabs(c[i] - want[i]) > 2e-7 * (K + 1) && bad++ < 3)
                        fprintf(stderr, "sgemm %dx%dx%d ta %d beta %g: [%d] %.9g, want %.9g\n", M,
                                N, K, ta, beta, i, c[i], want[i]);
                free(a);
                free(b);
                free(c);
                free(want);
            }
    CHECK_INT(bad, 0);
}

/* The largest |v| over n values. */
static double
amax(const double *v, size_t n)
{
    double m = 0;
    for (size_t i = 0; i < n; i++)
        m = fmax(m, fabs(v[i]));
    return m;
}

/* The largest |a - b| over n values, relative to the largest |b|. */
static double
reldiff(const double *a, const double *b, size_t n)
{
    double d = 0;
    for (size_t i = 0; i < n; i++)
        d = fmax(d, fabs(a[i] - b[i]));
    return d / fmax(amax(b, n), 1e-300);
}

/* One forward and backward pass of net on x (b examples); out, g, dx copied out. */
static void
pass(struct nn_net *net, const double *x, int b, double *out, double *g, double *dx)
{
    int k = nn_out_size(net), in = net->in_t * net->in_f;
    const double *yh = nn_forward(net, x, b, 1);
    memcpy(out, yh, (size_t)b * k * sizeof(double));
    double *dy = malloc((size_t)b * k * sizeof(double));
    for (int i = 0; i < b * k; i++)
        dy[i] = sin(1.0 + i); /* any fixed gradient by the output */
    nn_backward(net, x, dy);
    memcpy(g, net->g, net->np * sizeof(double));
    memcpy(dx, net->dx, (size_t)b * in * sizeof(double));
    free(dy);
}

/* Method A's network at a small size: conv1d x 3 (16 filters, relu and tanh) -> dense. */
static void
conv_net(struct nn_net *net, int f32, struct qerr *err)
{
    nn_net_init(net, 12, 1);
    nn_add_conv1d(net, 16, 3, 1, NN_RELU, err);
    nn_add_conv1d(net, 16, 3, 1, NN_RELU, err);
    nn_add_conv1d(net, 8, 2, 0, NN_TANH, err);
    nn_add_dense(net, 1, NN_IDENTITY, err);
    nn_set_float32(net, f32);
    nn_net_alloc(net, 9, 4, err);
}

static void
test_conv_float32(void)
{
    enum { BT = 9 };
    struct nn_net nd, nf;
    struct qerr err = QERR_INIT;
    conv_net(&nd, 0, &err);
    conv_net(&nf, 1, &err);
    CHECK(!qerr_failed(&err));
    CHECK_INT((int)nd.np, (int)nf.np);
    double x[BT * 12], od[BT], of[BT], dxd[BT * 12], dxf[BT * 12];
    double *gd = malloc(nd.np * sizeof(double)), *gf = malloc(nd.np * sizeof(double));
    struct rng r;
    rng_init(&r, 8);
    for (int i = 0; i < BT * 12; i++)
        x[i] = 2 * rng_uniform(&r) - 1;
    pass(&nd, x, BT, od, gd, dxd);
    pass(&nf, x, BT, of, gf, dxf);
    double eo = reldiff(of, od, BT), eg = reldiff(gf, gd, nd.np), ex = reldiff(dxf, dxd, BT * 12);
    printf("  conv1d float32 against double: outputs %.1e, parameter gradients %.1e, input "
           "gradients %.1e (relative to the largest)\n",
           eo, eg, ex);
    CHECK(eo < 1e-4 && eg < 1e-4 && ex < 1e-4);
    CHECK(eo > 0 || eg > 0); /* the float32 products did run */
    free(gd);
    free(gf);
    nn_net_free(&nd);
    nn_net_free(&nf);
}

enum rec { R_RNN, R_LSTM, R_LSTM_EMBED, R_GRU, R_COUNT };

static const char *rec_name[] = { "rnn", "lstm (2 layers)", "embed + lstm", "gru (2 layers)" };

static void
rec_net(struct nn_net *net, enum rec a, int threads, int maxb, struct qerr *err)
{
    switch (a) {
    case R_RNN:
        nn_net_init(net, 6, 3);
        nn_add_rnn(net, 5, 0, err);
        break;
    case R_LSTM:
        nn_net_init(net, 7, 2);
        nn_add_lstm(net, 9, 1, err);
        nn_add_lstm(net, 4, 0, err);
        break;
    case R_LSTM_EMBED:
        nn_net_init(net, 8, 1);
        nn_add_embed(net, 11, 5, err);
        nn_add_lstm(net, 16, 0, err);
        break;
    default:
        nn_net_init(net, 5, 2);
        nn_add_gru(net, 6, 1, err);
        nn_add_gru(net, 3, 0, err);
        break;
    }
    nn_add_dense(net, 2, NN_IDENTITY, err);
    nn_set_threads(net, threads);
    nn_net_alloc(net, maxb, 6, err);
}

static void
test_threads(void)
{
    static const int batches[] = { 1, 2, 7, 13 };
    static const int threads[] = { 2, 3, 8 };
    int bad = 0;
    for (int a = 0; a < R_COUNT; a++)
        for (size_t bi = 0; bi < sizeof batches / sizeof batches[0]; bi++) {
            int b = batches[bi];
            struct nn_net one;
            struct qerr err = QERR_INIT;
            rec_net(&one, (enum rec)a, 1, 13, &err);
            CHECK(!qerr_failed(&err));
            int in = one.in_t * one.in_f;
            double *x = malloc((size_t)b * in * sizeof(double));
            struct rng r;
            rng_init(&r, 9 + (unsigned)b);
            for (int i = 0; i < b * in; i++)
                x[i] = a == R_LSTM_EMBED ? (double)rng_below(&r, 11) : 2 * rng_uniform(&r) - 1;
            double o1[13 * 2], ot[13 * 2];
            double *g1 = malloc(one.np * sizeof(double)), *gt = malloc(one.np * sizeof(double));
            double *d1 = malloc((size_t)b * in * sizeof(double));
            double *dt = malloc((size_t)b * in * sizeof(double));
            pass(&one, x, b, o1, g1, d1);
            for (size_t ti = 0; ti < sizeof threads / sizeof threads[0]; ti++) {
                struct nn_net many;
                rec_net(&many, (enum rec)a, threads[ti], 13, &err);
                pass(&many, x, b, ot, gt, dt);
                if ((memcmp(o1, ot, (size_t)b * 2 * sizeof(double)) != 0 ||
                     memcmp(g1, gt, one.np * sizeof(double)) != 0 ||
                     memcmp(d1, dt, (size_t)b * in * sizeof(double)) != 0) &&
                    bad++ < 3)
                    fprintf(stderr, "%s, batch %d: %d threads differ from one\n", rec_name[a], b,
                            threads[ti]);
                nn_net_free(&many);
            }
            free(x);
            free(g1);
            free(gt);
            free(d1);
            free(dt);
            nn_net_free(&one);
        }
    CHECK_INT(bad, 0);
    printf("  recurrent layers on 2, 3 and 8 threads: the one-thread results to the bit\n");
}

int
main(void)
{
    test_sgemm();
    test_conv_float32();
    test_threads();
    return check_done("test_nn_fast");
}
