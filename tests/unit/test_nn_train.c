/*
 * test_nn_train.c: training with src/nn: planted answers learned, the
 * loss curve reproducible to the bit, an exploding learning rate reported
 * by epoch and never a NaN output, early stopping keeping the best
 * weights, dropout off at prediction.
 *
 * Plan:
 *   1. XOR with a 2-8-1 tanh MLP (binary cross-entropy on logits, Adam):
 *      every point on the right side, loss < 0.05
 *   2. sin(x) on [-pi, pi] with a 1-16-16-1 tanh MLP (MSE, Adam):
 *      MSE < 2e-3 on fresh points (the target's variance is 0.5)
 *   3. an LSTM recalls the first value of a sequence of 8 uniform values
 *      (planted rule; always guessing the mean scores 1/12 = 0.083):
 *      held-out MSE < 0.01
 *   4. the same seed twice: the same loss curve and weights, bit for bit;
 *      another seed: a different curve
 *   5. lr = 10 with SGD on the sine regression: QE_NUMERIC, "at epoch N;
 *      try a lower lr", and nn_predict then writes no NaN
 *   6. early stopping: the weights kept give the smallest validation loss
 *      of the curve; dropout is off in nn_predict
 *   7. a cancel from the progress callback stops nn_fit (QE_INTERRUPT)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "nn/nn.h"
#include "nn/nn_train.h"

static struct nn_fit_opts
adam_opts(int epochs, int batch, double lr, enum nn_loss loss)
{
    struct nn_fit_opts o;
    memset(&o, 0, sizeof o);
    o.epochs = epochs;
    o.batch = batch;
    o.loss = loss;
    nn_optim_default(&o.opt, NN_ADAM);
    o.opt.lr = lr;
    o.seed = 11;
    return o;
}

static void
test_xor(void)
{
    double x[8] = { 0, 0, 0, 1, 1, 0, 1, 1 }, y[4] = { 0, 1, 1, 0 }, yh[4], curve[600];
    struct nn_net net;
    struct qerr err = QERR_INIT;
    nn_net_init(&net, 1, 2);
    CHECK_OK(nn_add_dense(&net, 8, NN_TANH, &err), err);
    CHECK_OK(nn_add_dense(&net, 1, NN_IDENTITY, &err), err);
    CHECK_OK(nn_net_alloc(&net, 4, 3, &err), err);
    struct nn_fit_opts o = adam_opts(600, 4, 0.05, NN_BCE);
    int ran;
    CHECK_OK(nn_fit(&net, x, y, 4, &o, curve, NULL, &ran, NULL, &err), err);
    CHECK_INT(ran, 600);
    CHECK(curve[599] < 0.05);
    CHECK_OK(nn_predict(&net, x, 4, yh, NULL, &err), err);
    for (int i = 0; i < 4; i++)
        CHECK_INT(yh[i] > 0, y[i] > 0.5);
    printf("  xor: loss %.2e after 600 epochs\n", curve[599]);
    nn_net_free(&net);
}

static void
sine_data(double *x, double *y, int n, unsigned seed)
{
    struct rng r;
    rng_init(&r, seed);
    for (int i = 0; i < n; i++) {
        x[i] = (2 * rng_uniform(&r) - 1) * M_PI;
        y[i] = sin(x[i]);
    }
}

static void
sine_net(struct nn_net *net, struct qerr *err)
{
    nn_net_init(net, 1, 1);
    nn_add_dense(net, 16, NN_TANH, err);
    nn_add_dense(net, 16, NN_TANH, err);
    nn_add_dense(net, 1, NN_IDENTITY, err);
    nn_net_alloc(net, 32, 5, err);
}

static void
test_sine(void)
{
    double x[256], y[256], xt[100], yt[100], yh[100], curve[300];
    sine_data(x, y, 256, 1);
    sine_data(xt, yt, 100, 2);
    struct nn_net net;
    struct qerr err = QERR_INIT;
    sine_net(&net, &err);
    struct nn_fit_opts o = adam_opts(300, 32, 0.01, NN_MSE);
    int ran;
    CHECK_OK(nn_fit(&net, x, y, 256, &o, curve, NULL, &ran, NULL, &err), err);
    CHECK_OK(nn_predict(&net, xt, 100, yh, NULL, &err), err);
    double mse = nn_loss(NN_MSE, yh, yt, 100, 1, NULL);
    CHECK(mse < 2e-3);
    printf("  sine: held-out mse %.2e\n", mse);
    nn_net_free(&net);
}

/* Sequences of 8 uniform values; the target is the first. */
static void
recall_data(double *x, double *y, int n, unsigned seed)
{
    struct rng r;
    rng_init(&r, seed);
    for (int i = 0; i < n; i++) {
        for (int t = 0; t < 8; t++)
            x[i * 8 + t] = rng_uniform(&r);
        y[i] = x[i * 8];
    }
}

static void
lstm_net(struct nn_net *net, unsigned seed, struct qerr *err)
{
    nn_net_init(net, 8, 1);
    nn_add_lstm(net, 16, 0, err);
    nn_add_dense(net, 1, NN_IDENTITY, err);
    nn_net_alloc(net, 32, seed, err);
}

static void
test_lstm_recall(void)
{
    enum { N = 1000, M = 200 };
    double *x = malloc(N * 8 * sizeof(double)), y[N], xt[M * 8], yt[M], yh[M], curve[40];
    recall_data(x, y, N, 1);
    recall_data(xt, yt, M, 2);
    struct nn_net net;
    struct qerr err = QERR_INIT;
    lstm_net(&net, 3, &err);
    struct nn_fit_opts o = adam_opts(40, 32, 0.01, NN_MSE);
    int ran;
    CHECK_OK(nn_fit(&net, x, y, N, &o, curve, NULL, &ran, NULL, &err), err);
    CHECK_OK(nn_predict(&net, xt, M, yh, NULL, &err), err);
    double mse = nn_loss(NN_MSE, yh, yt, M, 1, NULL);
    CHECK(mse < 0.01);
    printf("  lstm recall: held-out mse %.2e (guessing the mean: 0.083)\n", mse);
    nn_net_free(&net);
    free(x);
}

static void
test_reproducible(void)
{
    enum { N = 300 };
    double *x = malloc(N * 8 * sizeof(double)), y[N], c[3][10];
    double *w[3] = { 0 };
    recall_data(x, y, N, 4);
    for (int run = 0; run < 3; run++) {
        struct nn_net net;
        struct qerr err = QERR_INIT;
        nn_net_init(&net, 8, 1);
        nn_add_gru(&net, 6, 1, &err);
        nn_add_dropout(&net, 0.2, &err);
        nn_add_lstm(&net, 5, 0, &err);
        nn_add_dense(&net, 1, NN_IDENTITY, &err);
        CHECK_OK(nn_net_alloc(&net, 16, run == 2 ? 8 : 7, &err), err);
        struct nn_fit_opts o = adam_opts(10, 16, 0.01, NN_MSE);
        int ran;
        CHECK_OK(nn_fit(&net, x, y, N, &o, c[run], NULL, &ran, NULL, &err), err);
        w[run] = malloc(net.np * sizeof(double));
        memcpy(w[run], net.p, net.np * sizeof(double));
        CHECK_INT(memcmp(w[run], w[0], net.np * sizeof(double)) == 0, run != 2);
        nn_net_free(&net);
    }
    CHECK_INT(memcmp(c[0], c[1], sizeof c[0]), 0);
    CHECK(memcmp(c[0], c[2], sizeof c[0]) != 0);
    for (int run = 0; run < 3; run++)
        free(w[run]);
    free(x);
}

static void
test_exploding_lr(void)
{
    double x[256], y[256], yh[256], curve[50];
    sine_data(x, y, 256, 1);
    struct nn_net net;
    struct qerr err = QERR_INIT;
    sine_net(&net, &err);
    struct nn_fit_opts o = adam_opts(50, 32, 10, NN_MSE);
    nn_optim_default(&o.opt, NN_SGD);
    o.opt.lr = 10;
    int ran;
    CHECK_INT(nn_fit(&net, x, y, 256, &o, curve, NULL, &ran, NULL, &err), -1);
    CHECK_INT(err.code, QE_NUMERIC);
    CHECK_HAS(err.msg, "at epoch ");
    CHECK_HAS(err.msg, "; try a lower lr");
    CHECK(err.msg && (strstr(err.msg, "loss became NaN") || strstr(err.msg, "loss diverged")));
    CHECK(ran < 50);
    printf("  lr=10: %s\n", err.msg ? err.msg : "(no error)");
    qerr_clear(&err);
    /* whatever the weights hold now, a prediction writes no NaN */
    int rc = nn_predict(&net, x, 256, yh, NULL, &err);
    for (int i = 0; i < 256; i++)
        CHECK(isfinite(yh[i]));
    if (rc < 0)
        CHECK_INT(err.code, QE_NUMERIC);
    qerr_clear(&err);
    /* weights poisoned by hand: the prediction fails and still writes no NaN */
    net.p[0] = NAN;
    CHECK_INT(nn_predict(&net, x, 256, yh, NULL, &err), -1);
    CHECK_INT(err.code, QE_NUMERIC);
    for (int i = 0; i < 256; i++)
        CHECK(isfinite(yh[i]));
    qerr_clear(&err);
    nn_net_free(&net);
}

static void
test_early_stopping_and_dropout(void)
{
    double x[64], y[64], xv[64], yv[64], yh[64], yh2[64], tr[500], va[500];
    sine_data(x, y, 64, 5);
    sine_data(xv, yv, 64, 6);
    for (int i = 0; i < 64; i++)
        y[i] += 0.3 * sin(17 * x[i]); /* noise to overfit, not in validation */
    struct nn_net net;
    struct qerr err = QERR_INIT;
    nn_net_init(&net, 1, 1);
    nn_add_dense(&net, 64, NN_TANH, &err);
    nn_add_dropout(&net, 0.1, &err);
    nn_add_dense(&net, 1, NN_IDENTITY, &err);
    CHECK_OK(nn_net_alloc(&net, 64, 9, &err), err);
    struct nn_fit_opts o = adam_opts(500, 16, 0.02, NN_MSE);
    o.patience = 20;
    o.xval = xv;
    o.yval = yv;
    o.nval = 64;
    int ran;
    CHECK_OK(nn_fit(&net, x, y, 64, &o, tr, va, &ran, NULL, &err), err);
    double best = INFINITY;
    for (int e = 0; e < ran; e++)
        best = fmin(best, va[e]);
    CHECK_OK(nn_predict(&net, xv, 64, yh, NULL, &err), err);
    CHECK_NEAR(nn_loss(NN_MSE, yh, yv, 64, 1, NULL), best, 1e-12);
    CHECK(va[ran - 1] > best); /* stopped after patience epochs without a better one */
    printf("  early stopping: %d epochs, best validation mse %.3e\n", ran, best);
    CHECK_OK(nn_predict(&net, xv, 64, yh2, NULL, &err), err);
    CHECK_INT(memcmp(yh, yh2, sizeof yh), 0);
    nn_net_free(&net);
}

static int
cancel_now(void *pctx, double fraction)
{
    (void)fraction;
    ++*(int *)pctx;
    return 1; /* cancel at once: the first tick always calls progress */
}

/* A cancel from the progress callback stops training between batches. */
static void
test_cancel(void)
{
    double x[256], y[256], curve[5];
    sine_data(x, y, 256, 1);
    struct nn_net net;
    struct qerr err = QERR_INIT;
    sine_net(&net, &err);
    struct nn_fit_opts o = adam_opts(5, 32, 0.01, NN_MSE);
    int calls = 0, ran;
    struct tick t;
    tick_init(&t, cancel_now, &calls);
    CHECK_INT(nn_fit(&net, x, y, 256, &o, curve, NULL, &ran, &t, &err), -1);
    CHECK_INT(err.code, QE_INTERRUPT);
    CHECK_INT(calls, 1);
    CHECK_INT(ran, 0);
    qerr_clear(&err);
    nn_net_free(&net);
}

int
main(void)
{
    test_cancel();
    test_xor();
    test_sine();
    test_lstm_recall();
    test_reproducible();
    test_exploding_lr();
    test_early_stopping_and_dropout();
    return check_done("test_nn_train");
}
