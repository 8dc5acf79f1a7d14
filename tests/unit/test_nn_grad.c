/*
 * test_nn_grad.c: every layer's and loss's backward pass of src/nn against
 * central finite differences, in double: each parameter's and each input
 * value's gradient within 1e-6 relative of the central difference
 * (fourth order, see numeric()), on small random shapes, for several seeds.
 *
 * Relative error: |a - n| / max(|a|, |n|), with gradients whose size is
 * below 1e-5 compared absolutely (within 1e-11): finite differences
 * carry rounding of about 1e-16 / h there.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "nn/nn.h"
#include "nn/nn_layer.h"
#include "nn/nn_train.h"

#define B 3
#define H_STEP 1e-4

static double worst; /* worst relative error seen by the last check */

static double
loss_at(struct nn_net *net, const double *x, const double *y, enum nn_loss kind,
        const struct rng *r0)
{
    net->rng = *r0; /* the same dropout mask every time */
    const double *yh = nn_forward(net, x, B, 1);
    return nn_loss(kind, yh, y, B, nn_out_size(net), NULL);
}

/*
 * The loss's derivative by *w, the central difference of fourth order:
 * (L(w-2h) - 8 L(w-h) + 8 L(w+h) - L(w+2h)) / 12h, h = 1e-4 (truncation
 * about h^4, rounding about 1e-16 / h: both far below 1e-6 relative).
 */
static double
numeric(struct nn_net *net, double *w, const double *x, const double *y, enum nn_loss kind,
        const struct rng *r0)
{
    double keep = *w, f[4], off[4] = { -2, -1, 1, 2 };
    for (int k = 0; k < 4; k++) {
        *w = keep + off[k] * H_STEP;
        f[k] = loss_at(net, x, y, kind, r0);
    }
    *w = keep;
    return (f[0] - 8 * f[1] + 8 * f[2] - f[3]) / (12 * H_STEP);
}

static int
close_enough(double a, double n)
{
    double m = fmax(fabs(a), fabs(n));
    double rel = m < 1e-5 ? 0 : fabs(a - n) / m;
    if (rel > worst)
        worst = rel;
    return m < 1e-5 ? fabs(a - n) <= 1e-11 : rel <= 1e-6;
}

/* Check net's gradients (parameters and input) for loss kind; returns failures. */
static int
gradcheck(struct nn_net *net, enum nn_loss kind, unsigned seed, const char *name)
{
    struct rng r;
    rng_init(&r, seed * 7919u + 1);
    int in = net->in_t * net->in_f, out = nn_out_size(net), bad = 0;
    double x[B * 64], y[B * 64], dy[B * 64], dxa[B * 64];
    for (int i = 0; i < B * in; i++)
        x[i] = 2 * rng_uniform(&r) - 1;
    for (int i = 0; i < B; i++) {
        int hot = (int)rng_below(&r, (uint64_t)out);
        for (int j = 0; j < out; j++) {
            double u = rng_uniform(&r);
            y[i * out + j] = kind == NN_CCE ? (j == hot) : kind == NN_BCE ? (u > 0.5) : 2 * u - 1;
        }
    }
    struct rng r0 = net->rng;
    net->rng = r0;
    const double *yh = nn_forward(net, x, B, 1);
    nn_loss(kind, yh, y, B, out, dy);
    nn_backward(net, x, dy);
    double *ga = malloc(net->np * sizeof(double));
    memcpy(ga, net->g, net->np * sizeof(double));
    memcpy(dxa, net->dx, (size_t)B * in * sizeof(double));
    worst = 0;
    for (size_t i = 0; i < net->np; i++) {
        double num = numeric(net, &net->p[i], x, y, kind, &r0);
        if (!close_enough(ga[i], num) && bad++ < 3)
            fprintf(stderr, "%s seed %u: parameter %zu: backward %.12g, numeric %.12g\n", name,
                    seed, i, ga[i], num);
    }
    for (int i = 0; i < B * in; i++) {
        double num = numeric(net, &x[i], x, y, kind, &r0);
        if (!close_enough(dxa[i], num) && bad++ < 3)
            fprintf(stderr, "%s seed %u: input %d: backward %.12g, numeric %.12g\n", name, seed,
                    i, dxa[i], num);
    }
    free(ga);
    return bad;
}

enum arch {
    A_DENSE, A_RELU, A_MAE, A_BCE, A_CCE, A_CONV, A_CONV_AVG, A_DROPOUT, A_RNN, A_LSTM,
    A_LSTM_LAST, A_GRU, A_MEXHAT, A_MORLET, A_COUNT
};

static const char *arch_name[] = { "dense tanh/sigmoid", "dense relu", "mae", "bce", "cce",
                                   "conv1d+maxpool", "conv1d+avgpool", "dropout", "rnn",
                                   "lstm", "lstm last step", "gru", "wavelet mexhat",
                                   "wavelet morlet" };

static enum nn_loss
build(struct nn_net *net, enum arch a, unsigned seed, struct qerr *err)
{
    enum nn_loss kind = NN_MSE;
    int rc = 0;
    switch (a) {
    case A_DENSE:
        nn_net_init(net, 1, 4);
        rc |= nn_add_dense(net, 5, NN_TANH, err);
        rc |= nn_add_dense(net, 3, NN_SIGMOID, err);
        rc |= nn_add_dense(net, 2, NN_IDENTITY, err);
        break;
    case A_RELU:
        nn_net_init(net, 2, 3);
        rc |= nn_add_dense(net, 6, NN_RELU, err);
        rc |= nn_add_dense(net, 2, NN_IDENTITY, err);
        break;
    case A_MAE:
    case A_BCE:
    case A_CCE:
        kind = a == A_MAE ? NN_MAE : a == A_BCE ? NN_BCE : NN_CCE;
        nn_net_init(net, 1, 4);
        rc |= nn_add_dense(net, 5, NN_TANH, err);
        rc |= nn_add_dense(net, 3, NN_IDENTITY, err);
        break;
    case A_CONV:
        nn_net_init(net, 7, 2);
        rc |= nn_add_conv1d(net, 3, 3, 1, NN_RELU, err);
        rc |= nn_add_conv1d(net, 4, 2, 0, NN_TANH, err);
        rc |= nn_add_pool(net, 2, 0, err);
        rc |= nn_add_dense(net, 2, NN_IDENTITY, err);
        break;
    case A_CONV_AVG:
        nn_net_init(net, 6, 2);
        rc |= nn_add_conv1d(net, 3, 4, 1, NN_SIGMOID, err);
        rc |= nn_add_pool(net, 3, 1, err);
        rc |= nn_add_dense(net, 1, NN_IDENTITY, err);
        break;
    case A_DROPOUT:
        nn_net_init(net, 1, 4);
        rc |= nn_add_dense(net, 8, NN_TANH, err);
        rc |= nn_add_dropout(net, 0.4, err);
        rc |= nn_add_dense(net, 2, NN_IDENTITY, err);
        break;
    case A_RNN:
        nn_net_init(net, 4, 2);
        rc |= nn_add_rnn(net, 3, 1, err);
        rc |= nn_add_dense(net, 2, NN_IDENTITY, err);
        break;
    case A_LSTM:
        nn_net_init(net, 4, 2);
        rc |= nn_add_lstm(net, 3, 1, err);
        rc |= nn_add_dense(net, 2, NN_IDENTITY, err);
        break;
    case A_LSTM_LAST:
        nn_net_init(net, 5, 1);
        rc |= nn_add_lstm(net, 3, 1, err);
        rc |= nn_add_lstm(net, 2, 0, err);
        rc |= nn_add_dense(net, 1, NN_IDENTITY, err);
        break;
    case A_GRU:
        nn_net_init(net, 4, 2);
        rc |= nn_add_gru(net, 3, 1, err);
        rc |= nn_add_gru(net, 2, 0, err);
        rc |= nn_add_dense(net, 2, NN_IDENTITY, err);
        break;
    case A_MEXHAT:
    case A_MORLET:
        nn_net_init(net, 1, 3);
        rc |= nn_add_wavelet(net, 4, a == A_MEXHAT ? NN_MEXHAT : NN_MORLET, err);
        rc |= nn_add_dense(net, 2, NN_IDENTITY, err);
        break;
    default:
        break;
    }
    rc |= nn_net_alloc(net, B, seed, err);
    CHECK(rc == 0);
    return kind;
}

static void
test_layers(void)
{
    for (int a = 0; a < A_COUNT; a++) {
        double w = 0;
        for (unsigned seed = 1; seed <= 3; seed++) {
            struct nn_net net;
            struct qerr err = QERR_INIT;
            enum nn_loss kind = build(&net, (enum arch)a, seed, &err);
            nn_set_threads(&net, (int)seed); /* recurrent layers on 1, 2, 3 threads */
            if (qerr_failed(&err)) {
                fprintf(stderr, "%s: %s\n", arch_name[a], err.msg);
                qerr_clear(&err);
            }
            CHECK_INT(gradcheck(&net, kind, seed, arch_name[a]), 0);
            w = fmax(w, worst);
            nn_net_free(&net);
        }
        printf("  %-20s worst relative error %.2e\n", arch_name[a], w);
    }
}

static void
test_loss_values(void)
{
    /* hand-computed: mse of (1,2) vs (0,0) = 2.5; mae = 1.5 */
    double yh[2] = { 1, 2 }, y0[2] = { 0, 0 };
    CHECK_NEAR(nn_loss(NN_MSE, yh, y0, 1, 2, NULL), 2.5, 1e-15);
    CHECK_NEAR(nn_loss(NN_MAE, yh, y0, 2, 1, NULL), 1.5, 1e-15);
    /* bce of logit 0 is log 2 whatever the label; of logit 800, label 0: 800 (no overflow) */
    double z[2] = { 0, 800 }, t[2] = { 1, 0 };
    CHECK_NEAR(nn_loss(NN_BCE, z, t, 2, 1, NULL), (log(2.0) + 800) / 2, 1e-12);
    /* cce of logits (0, log 3) with class 1: -log(3/4) */
    double c[2] = { 0, log(3.0) }, oh[2] = { 0, 1 };
    CHECK_NEAR(nn_loss(NN_CCE, c, oh, 1, 2, NULL), -log(0.75), 1e-15);
    double big[2] = { 1000, -1000 }, oh0[2] = { 1, 0 }, d[2];
    CHECK_NEAR(nn_loss(NN_CCE, big, oh0, 1, 2, d), 0, 1e-15);
    CHECK(isfinite(d[0]) && isfinite(d[1]));
}

/* The vectorised exp, sigmoid and tanh against libm, saturating cleanly. */
static void
test_math(void)
{
    double worst_exp = 0, worst_s = 0, worst_t = 0, xs[7], xt[7];
    for (int i = -7000; i <= 7000; i++) {
        double x = i / 10.0 + 0.0123;
        worst_exp = fmax(worst_exp, fabs(nn_exp(x) / exp(x) - 1));
    }
    for (int i = -2000; i <= 2000; i += 7) {
        double x = i / 100.0;
        for (int k = 0; k < 7; k++)
            xs[k] = xt[k] = x + k * 0.001;
        nn_sigmoid(xs, 7); /* 7: one vector of four and a tail of three */
        nn_tanh(xt, 7);
        for (int k = 0; k < 7; k++) {
            double v = x + k * 0.001;
            worst_s = fmax(worst_s, fabs(xs[k] - 1 / (1 + exp(-v))));
            worst_t = fmax(worst_t, fabs(xt[k] - tanh(v)));
        }
    }
    CHECK(worst_exp < 1e-15);
    CHECK(worst_s < 1e-15);
    CHECK(worst_t < 1e-15);
    double ext[4] = { -1e308, 1e308, -800, 800 };
    nn_tanh(ext, 4);
    CHECK_NEAR(ext[0], -1, 0);
    CHECK_NEAR(ext[1], 1, 0);
    CHECK_NEAR(ext[3], 1, 0);
    printf("  exp, sigmoid, tanh: worst errors %.1e relative, %.1e, %.1e absolute\n", worst_exp,
           worst_s, worst_t);
}

/* nn_gemm against the triple loop, every edge of its blocks, both A layouts, three betas. */
static void
test_gemm(void)
{
    static const int shapes[][3] = { { 64, 128, 33 }, { 33, 128, 768 }, { 64, 40, 128 },
                                     { 1, 1, 1 },     { 9, 17, 5 },     { 13, 23, 7 },
                                     { 8, 16, 3 },    { 3, 31, 2 } };
    struct rng r;
    rng_init(&r, 3);
    int bad = 0;
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
        for (int ta = 0; ta < 2; ta++)
            for (int bi = 0; bi < 3; bi++) {
                int M = shapes[s][0], N = shapes[s][1], K = shapes[s][2];
                double beta = bi == 0 ? 0.0 : bi == 1 ? 1.0 : 0.5;
                double *a = malloc((size_t)M * K * sizeof(double));
                double *b = malloc((size_t)K * N * sizeof(double));
                double *c = malloc((size_t)M * N * sizeof(double));
                double *want = malloc((size_t)M * N * sizeof(double));
                for (int i = 0; i < M * K; i++)
                    a[i] = 2 * rng_uniform(&r) - 1;
                for (int i = 0; i < K * N; i++)
                    b[i] = 2 * rng_uniform(&r) - 1;
                for (int i = 0; i < M * N; i++)
                    c[i] = 2 * rng_uniform(&r) - 1;
                for (int i = 0; i < M; i++)
                    for (int j = 0; j < N; j++) {
                        double v = beta * c[i * N + j];
                        for (int k = 0; k < K; k++)
                            v += (ta ? a[k * M + i] : a[i * K + k]) * b[k * N + j];
                        want[i * N + j] = v;
                    }
                nn_gemm(ta, 0, M, N, K, a, ta ? M : K, b, N, beta, c, N);
                for (int i = 0; i < M * N; i++)
                    if (fabs(c[i] - want[i]) > 1e-12 * (K + 1) && bad++ < 3)
                        fprintf(stderr, "gemm %dx%dx%d ta %d beta %g: [%d] %.17g, want %.17g\n",
                                M, N, K, ta, beta, i, c[i], want[i]);
                free(a);
                free(b);
                free(c);
                free(want);
            }
    CHECK_INT(bad, 0);
}

int
main(void)
{
    test_math();
    test_gemm();
    test_loss_values();
    test_layers();
    return check_done("test_nn_grad");
}
