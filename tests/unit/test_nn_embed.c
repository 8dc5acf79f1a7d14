/*
 * test_nn_embed.c: the embedding layer (src/nn/nn_embed.c) against central
 * finite differences, through an LSTM, a GRU and an Elman RNN above it and
 * a dense softmax with cross-entropy on top (the sequence classifiers'
 * network, src/classify/seqnn.c); its lookup by hand; codes out of range.
 * Tolerances as test_nn_grad.c: relative 1e-6, gradients below 1e-5
 * absolutely within 1e-11.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "nn/nn.h"
#include "nn/nn_train.h"

#define B 3
#define T 5
#define V 6
#define D 3
#define H_STEP 1e-4

static double
loss_at(struct nn_net *net, const double *x, const double *y)
{
    const double *yh = nn_forward(net, x, B, 1);
    return nn_loss(NN_CCE, yh, y, B, 2, NULL);
}

static double
numeric(struct nn_net *net, double *w, const double *x, const double *y)
{
    double keep = *w, f[4], off[4] = {-2, -1, 1, 2};
    for (int k = 0; k < 4; k++) {
        *w = keep + off[k] * H_STEP;
        f[k] = loss_at(net, x, y);
    }
    *w = keep;
    return (f[0] - 8 * f[1] + 8 * f[2] - f[3]) / (12 * H_STEP);
}

static int
close_enough(double a, double n)
{
    double m = fmax(fabs(a), fabs(n));
    return m < 1e-5 ? fabs(a - n) <= 1e-11 : fabs(a - n) / m <= 1e-6;
}

/* Every parameter's gradient (the embedding's first) and the input's (zero). */
static void
check_net(enum nn_kind cell, unsigned seed)
{
    struct nn_net net;
    struct qerr err = QERR_INIT;
    nn_net_init(&net, T, 1);
    int rc = nn_add_embed(&net, V, D, &err);
    rc |= cell == NN_LSTM ? nn_add_lstm(&net, 4, 0, &err)
          : cell == NN_GRU ? nn_add_gru(&net, 4, 0, &err) : nn_add_rnn(&net, 4, 0, &err);
    rc |= nn_add_dense(&net, 2, NN_IDENTITY, &err);
    rc |= nn_net_alloc(&net, B, seed, &err);
    CHECK_OK(rc, err);
    struct rng r;
    rng_init(&r, seed);
    double x[B * T], y[B * 2], dy[B * 2];
    /* codes 0..V-2: the last row is never used, so its gradient must be exactly 0 */
    for (int i = 0; i < B * T; i++)
        x[i] = (double)rng_below(&r, V - 1);
    for (int i = 0; i < B; i++) {
        int hot = (int)rng_below(&r, 2);
        y[i * 2] = hot == 0;
        y[i * 2 + 1] = hot == 1;
    }
    const double *yh = nn_forward(&net, x, B, 1);
    nn_loss(NN_CCE, yh, y, B, 2, dy);
    nn_backward(&net, x, dy);
    double *ga = malloc(net.np * sizeof(double));
    memcpy(ga, net.g, net.np * sizeof(double));
    int bad = 0;
    for (size_t i = 0; i < net.np; i++) {
        double num = numeric(&net, &net.p[i], x, y);
        if (!close_enough(ga[i], num) && bad++ < 3)
            fprintf(stderr, "embed+%d seed %u: parameter %zu: backward %.12g, numeric %.12g\n",
                    (int)cell, seed, i, ga[i], num);
    }
    CHECK_INT(bad, 0);
    double unused = 0, used = 0;
    for (int j = 0; j < D; j++) {
        unused += fabs(ga[(V - 1) * D + j]);
        used += fabs(ga[j]) + fabs(ga[D + j]);
    }
    CHECK_NEAR(unused, 0, 0);
    CHECK(used > 0);
    double dx = 0;
    for (int i = 0; i < B * T; i++)
        dx += fabs(net.dx[i]);
    CHECK_NEAR(dx, 0, 0);
    free(ga);
    nn_net_free(&net);
}

/* The lookup by hand: out[t] is the code's row; codes round, clamp, NaN is 0. */
static void
test_lookup(void)
{
    struct nn_net net;
    struct qerr err = QERR_INIT;
    nn_net_init(&net, 4, 1);
    CHECK_OK(nn_add_embed(&net, 3, 2, &err), err);
    CHECK_OK(nn_net_alloc(&net, 1, 1, &err), err);
    for (int i = 0; i < 6; i++)
        net.p[i] = 10 * (i / 2) + i % 2; /* rows (0, 1), (10, 11), (20, 21) */
    double x[4] = {2, 0.9, NAN, 7};
    const double *y = nn_forward(&net, x, 1, 0);
    double want[8] = {20, 21, 10, 11, 0, 1, 20, 21};
    for (int i = 0; i < 8; i++)
        CHECK_NEAR(y[i], want[i], 0);
    CHECK_INT(nn_embed_code(-3, 3), 0);
    nn_net_free(&net);
    /* an embedding needs one feature per step */
    nn_net_init(&net, 4, 2);
    CHECK_INT(nn_add_embed(&net, 3, 2, &err), -1);
    CHECK_HAS(err.msg, "one code per step");
    qerr_clear(&err);
}

int
main(void)
{
    test_lookup();
    for (unsigned seed = 1; seed <= 3; seed++) {
        check_net(NN_LSTM, seed);
        check_net(NN_GRU, seed);
        check_net(NN_RNN, seed);
    }
    return check_done("test_nn_embed");
}
