/*
 * test_nn_fast.c: the NN core's fast paths against its plain ones:
 *  - nn_sgemm (float32) against the triple loop in double, every edge of
 *    its blocks, both A layouts;
 *  - the convolution in float32 (nn_set_float32; three in a row pass
 *    floats) against the same network in double: outputs, parameter and
 *    input gradients agree to float32's rounding (1e-4 of the largest
 *    value), and are not equal (the float path did run); on 2, 3 and 8
 *    threads it gives the one-thread results to the bit;
 *  - the recurrent layers split over 2, 3 and 8 threads (nn_set_threads)
 *    give the one-thread outputs and gradients to the last bit, for rnn,
 *    lstm (last step and every step, under an embedding) and gru, on odd
 *    batch sizes, in double and in float32; the gradient checks of
 *    test_nn_grad run threaded too;
 *  - Winograd's F(6,3) convolutions (nn_wino.c: kernel 3, 16 or more input
 *    channels, float32): on nets that cut the last tile short, have more
 *    channels than a transform step, valid and same padding, a double
 *    input and a tanh output, their gradients against central differences
 *    of the same net in double (im2col's direct products), their outputs
 *    and gradients against the double path's (1e-5 of the largest), and
 *    on 2, 3 and 8 threads the one-thread results to the bit;
 *  - the float32 sigmoid and tanh against libm's, within a few float ulps;
 *  - the recurrent layers in float32 (nn_set_float32): their gradients
 *    against central finite differences of the same network in double
 *    (1e-5 of the largest), and their outputs, parameter and input
 *    gradients against the double path's (float's rounding, not equal).
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
conv_net(struct nn_net *net, int f32, int threads, struct qerr *err)
{
    nn_net_init(net, 12, 1);
    nn_add_conv1d(net, 16, 3, 1, NN_RELU, err);
    nn_add_conv1d(net, 16, 3, 1, NN_RELU, err);
    nn_add_conv1d(net, 8, 2, 0, NN_TANH, err);
    nn_add_dense(net, 1, NN_IDENTITY, err);
    nn_set_float32(net, f32);
    nn_set_threads(net, threads);
    nn_net_alloc(net, 9, 4, err);
}

static void
test_conv_float32(void)
{
    enum { BT = 9 };
    struct nn_net nd, nf;
    struct qerr err = QERR_INIT;
    conv_net(&nd, 0, 1, &err);
    conv_net(&nf, 1, 1, &err);
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
    /* the float path on 2, 3 and 8 threads: the one-thread results to the bit */
    for (int th = 2; th <= 8; th += th == 3 ? 5 : 1) {
        struct nn_net nt;
        double ot[BT], dxt[BT * 12], *gt = malloc(nd.np * sizeof(double));
        conv_net(&nt, 1, th, &err);
        pass(&nt, x, BT, ot, gt, dxt);
        CHECK(memcmp(ot, of, sizeof ot) == 0 && memcmp(gt, gf, nd.np * sizeof(double)) == 0 &&
              memcmp(dxt, dxf, sizeof dxt) == 0);
        free(gt);
        nn_net_free(&nt);
    }
    free(gd);
    free(gf);
    nn_net_free(&nd);
    nn_net_free(&nf);
}

/*
 * Nets for Winograd's convolutions: 0: conv 2 -> 24 (direct) -> 140
 * (Winograd, float in and out, 13 steps: tiles of 6, 6 and 1) -> 20
 * (Winograd over 140 channels, two transform steps and a tail, valid
 * padding, tanh: double out) -> dense, 19,250 parameters (Adam splits
 * them over the threads); 1: a Winograd convolution first, reading the
 * double input of 17 features and writing the input's gradient; 2: the
 * same without the relu; 3 and 4: a chain of float convolutions (2 -> 24
 * direct -> 24 Winograd, relu) straight into a dense layer of 1 unit (3:
 * its input's gradient split with the chain's examples) or 3 (4: found
 * whole), which runs in the chain's jobs (nn.c's struct nn_chain_tail).
 */
static void
wino_net(struct nn_net *net, int which, int f32, int threads, struct qerr *err)
{
    if (which == 0) {
        nn_net_init(net, 13, 2);
        nn_add_conv1d(net, 24, 3, 1, NN_RELU, err);
        nn_add_conv1d(net, 140, 3, 1, NN_RELU, err);
        nn_add_conv1d(net, 20, 3, 0, NN_TANH, err);
        nn_add_dense(net, 2, NN_IDENTITY, err);
    } else if (which >= 3) {
        nn_net_init(net, 12, 2);
        nn_add_conv1d(net, 24, 3, 1, NN_RELU, err);
        nn_add_conv1d(net, 24, 3, 1, NN_RELU, err);
        nn_add_dense(net, which == 3 ? 1 : 3, which == 3 ? NN_IDENTITY : NN_TANH, err);
    } else {
        nn_net_init(net, 12, 17);
        nn_add_conv1d(net, 16, 3, 1, which == 1 ? NN_RELU : NN_IDENTITY, err);
        nn_add_dense(net, 2, NN_IDENTITY, err);
    }
    nn_set_float32(net, f32);
    nn_set_threads(net, threads);
    nn_net_alloc(net, 21, 11, err);
}

static double probe_loss(struct nn_net *net, const double *x, int b);

static void
test_conv_wino(void)
{
    /*
     * differences over B examples; against double and across threads over
     * BB, 3 of nn_wino.c's chunks of 8 examples a part on 1 thread, 2 on 2
     */
    enum { B = 5, BB = 21 };
    int bad = 0;
    for (int which = 0; which < 5; which++) {
        struct nn_net nd, nf;
        struct qerr err = QERR_INIT;
        wino_net(&nd, which, 0, 1, &err);
        wino_net(&nf, which, 1, 1, &err);
        CHECK(!qerr_failed(&err));
        int in = nd.in_t * nd.in_f;
        double *x = malloc((size_t)BB * in * sizeof(double));
        struct rng r;
        rng_init(&r, 31);
        for (int i = 0; i < BB * in; i++)
            x[i] = 2 * rng_uniform(&r) - 1;
        double od[BB * 3], of[BB * 3], ot[BB * 3];
        int no = BB * nn_out_size(&nd);
        double *gd = malloc(nd.np * sizeof(double)), *gf = malloc(nd.np * sizeof(double));
        double *gt = malloc(nd.np * sizeof(double)), *fd = malloc(nd.np * sizeof(double));
        double *dd = malloc((size_t)BB * in * sizeof(double));
        double *df = malloc((size_t)BB * in * sizeof(double));
        double *dt = malloc((size_t)BB * in * sizeof(double));
        pass(&nd, x, B, od, gd, dd);
        pass(&nf, x, B, of, gf, df);
        /* central differences of the double net, every 3rd parameter (and those of gf's spot) */
        size_t m = 0;
        double *fg = malloc(nd.np * sizeof(double));
        for (size_t k = 0; k < nd.np; k += 3, m++) {
            double p0 = nd.p[k], h = 1e-5;
            nd.p[k] = p0 + h;
            double up = probe_loss(&nd, x, B);
            nd.p[k] = p0 - h;
            double dn = probe_loss(&nd, x, B);
            nd.p[k] = p0;
            fd[m] = (up - dn) / (2 * h);
            fg[m] = gf[k];
        }
        double ec = reldiff(fg, fd, m);
        pass(&nd, x, BB, od, gd, dd);
        pass(&nf, x, BB, of, gf, df);
        double eo = reldiff(of, od, (size_t)no);
        double eg = reldiff(gf, gd, nd.np), ex = reldiff(df, dd, (size_t)BB * in);
        printf("  conv1d Winograd F(6,3), net %d: gradients against differences %.1e; against "
               "double: outputs %.1e, gradients %.1e, input gradients %.1e\n",
               which, ec, eo, eg, ex);
        if (!(ec < 1e-5 && eo < 1e-5 && eg < 1e-5 && ex < 1e-5) || !(eo > 0 && eg > 0))
            bad++;
        for (int bb = BB; bb > 0; bb = bb == BB ? B : 0) { /* B: fewer examples than threads */
            if (bb == B)
                pass(&nf, x, B, of, gf, df);
            size_t nob = (size_t)bb * nn_out_size(&nd);
            for (int th = 2; th <= 8; th += th == 3 ? 5 : 1) {
                struct nn_net nt;
                wino_net(&nt, which, 1, th, &err);
                pass(&nt, x, bb, ot, gt, dt);
                if ((memcmp(ot, of, nob * sizeof(double)) != 0 ||
                     memcmp(gt, gf, nd.np * sizeof(double)) != 0 ||
                     memcmp(dt, df, (size_t)bb * in * sizeof(double)) != 0) && bad++ < 3)
                    fprintf(stderr, "conv1d Winograd, net %d, batch %d: %d threads differ\n",
                            which, bb, th);
                nn_net_free(&nt);
            }
        }
        free(x);
        free(gd);
        free(gf);
        free(gt);
        free(fd);
        free(fg);
        free(dd);
        free(df);
        free(dt);
        nn_net_free(&nd);
        nn_net_free(&nf);
    }
    CHECK_INT(bad, 0);
    /* training (Adam's update on the net's pool too): 2 and 3 threads give 1's losses and weights */
    enum { N = 23 };
    struct nn_net one;
    struct qerr err = QERR_INIT;
    wino_net(&one, 0, 1, 1, &err);
    double *x = malloc((size_t)N * 26 * sizeof(double)), y[N * 2], l1[3], lt[3];
    struct rng r;
    rng_init(&r, 41);
    for (int i = 0; i < N * 26; i++)
        x[i] = 2 * rng_uniform(&r) - 1;
    for (int i = 0; i < N * 2; i++)
        y[i] = sin(x[i] + x[i + 7]);
    struct nn_fit_opts o = { 0 };
    o.epochs = 3;
    o.batch = 5;
    o.loss = NN_MSE;
    o.seed = 3;
    nn_optim_default(&o.opt, NN_ADAM);
    int ran = 0;
    CHECK_OK(nn_fit(&one, x, y, N, &o, l1, NULL, &ran, NULL, &err), err);
    for (int th = 2; th <= 3; th++) {
        struct nn_net nt;
        wino_net(&nt, 0, 1, th, &err);
        CHECK_OK(nn_fit(&nt, x, y, N, &o, lt, NULL, &ran, NULL, &err), err);
        CHECK(memcmp(l1, lt, sizeof l1) == 0 && memcmp(one.p, nt.p, one.np * sizeof(double)) == 0);
        nn_net_free(&nt);
    }
    printf("  conv1d Winograd training, 3 epochs: 2 and 3 threads give 1's losses (last %.6g) and "
           "weights to the bit\n", l1[2]);
    free(x);
    nn_net_free(&one);
}

/*
 * nn_fit's Adam inside the Winograd layers' backward pass (struct
 * nn_adam_step: each updates its weights as it finds their gradient and
 * transforms them for the next step) against the plain loop, nn_forward,
 * nn_backward, nn_optim_step over the same shuffled batches: the same
 * losses and weights to the bit. Batches of 5 and a last of 3, and a
 * validation pass between epochs, so the transforms kept from one step
 * serve only a pass of the same batch size.
 */
static void
test_conv_fused(void)
{
    enum { N = 23, NV = 7, E = 3 };
    struct nn_net a, b;
    struct qerr err = QERR_INIT;
    wino_net(&a, 0, 1, 1, &err);
    wino_net(&b, 0, 1, 1, &err);
    CHECK(!qerr_failed(&err));
    double *x = malloc((size_t)(N + NV) * 26 * sizeof(double)), y[(N + NV) * 2];
    struct rng r;
    rng_init(&r, 43);
    for (int i = 0; i < (N + NV) * 26; i++)
        x[i] = 2 * rng_uniform(&r) - 1;
    for (int i = 0; i < (N + NV) * 2; i++)
        y[i] = cos(x[i] - x[i + 5]);
    struct nn_fit_opts o = { 0 };
    o.epochs = E;
    o.batch = 5;
    o.loss = NN_MSE;
    o.seed = 9;
    o.xval = x + N * 26;
    o.yval = y + N * 2;
    o.nval = NV;
    nn_optim_default(&o.opt, NN_ADAM);
    double lf[E], vf[E], lp[E];
    int ran = 0;
    CHECK_OK(nn_fit(&a, x, y, N, &o, lf, vf, &ran, NULL, &err), err);
    /* the plain loop: nn_fit's shuffle, no validation (it changes nothing) */
    size_t idx[N];
    double xb[5 * 26], yb[5 * 2], dy[5 * 2];
    for (int i = 0; i < N; i++)
        idx[i] = (size_t)i;
    rng_init(&r, o.seed);
    for (int e = 0; e < E; e++) {
        for (int i = N - 1; i > 0; i--) {
            size_t j = (size_t)rng_below(&r, (uint64_t)i + 1), t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        double sum = 0;
        for (int i = 0; i < N; i += 5) {
            int nb = N - i < 5 ? N - i : 5;
            for (int k = 0; k < nb; k++) {
                memcpy(xb + k * 26, x + idx[i + k] * 26, 26 * sizeof(double));
                memcpy(yb + k * 2, y + idx[i + k] * 2, 2 * sizeof(double));
            }
            const double *yh = nn_forward(&b, xb, nb, 1);
            double l = nn_loss(NN_MSE, yh, yb, nb, 2, dy);
            nn_backward(&b, xb, dy);
            nn_optim_step(&b, &o.opt);
            sum += l * nb;
        }
        lp[e] = sum / N;
    }
    int same = memcmp(lf, lp, sizeof lf) == 0 && memcmp(a.p, b.p, a.np * sizeof(double)) == 0;
    printf("  conv1d Winograd, Adam in the backward pass (nn_fit) against the plain loop: "
           "losses %.17g %.17g, weights %s\n", lf[E - 1], lp[E - 1], same ? "to the bit" : "DIFFER");
    CHECK(same && ran == E && isfinite(vf[E - 1]));
    /* weights changed after a fit (its last batch 3): a pass of 3 transforms the new ones */
    o.xval = NULL;
    o.nval = 0;
    o.epochs = 1;
    CHECK_OK(nn_fit(&a, x, y, N, &o, lf, NULL, &ran, NULL, &err), err);
    for (size_t k = 0; k < a.np; k++)
        a.p[k] *= 0.5;
    memcpy(b.p, a.p, a.np * sizeof(double));
    double o1[3 * 2];
    memcpy(o1, nn_forward(&a, x, 3, 0), sizeof o1);
    CHECK(memcmp(o1, nn_forward(&b, x, 3, 0), sizeof o1) == 0);
    free(x);
    nn_net_free(&a);
    nn_net_free(&b);
}

enum rec { R_RNN, R_LSTM, R_LSTM_EMBED, R_GRU, R_COUNT };

static const char *rec_name[] = { "rnn", "lstm (2 layers)", "embed + lstm", "gru (2 layers)" };

static void
rec_net(struct nn_net *net, enum rec a, int threads, int maxb, int f32, struct qerr *err)
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
    nn_set_float32(net, f32);
    nn_net_alloc(net, maxb, 6, err);
}

static void
test_threads(void)
{
    static const int batches[] = { 1, 2, 7, 13 };
    static const int threads[] = { 2, 3, 8 };
    int bad = 0;
    for (int f32 = 0; f32 < 2; f32++)
    for (int a = 0; a < R_COUNT; a++)
        for (size_t bi = 0; bi < sizeof batches / sizeof batches[0]; bi++) {
            int b = batches[bi];
            struct nn_net one;
            struct qerr err = QERR_INIT;
            rec_net(&one, (enum rec)a, 1, 13, f32, &err);
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
                rec_net(&many, (enum rec)a, threads[ti], 13, f32, &err);
                pass(&many, x, b, ot, gt, dt);
                if ((memcmp(o1, ot, (size_t)b * 2 * sizeof(double)) != 0 ||
                     memcmp(g1, gt, one.np * sizeof(double)) != 0 ||
                     memcmp(d1, dt, (size_t)b * in * sizeof(double)) != 0) &&
                    bad++ < 3)
                    fprintf(stderr, "%s%s, batch %d: %d threads differ from one\n", rec_name[a],
                            f32 ? " (float32)" : "", b, threads[ti]);
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
    printf("  recurrent layers on 2, 3 and 8 threads, double and float32: the one-thread "
           "results to the bit\n");
}

/* nn_sigmoidf and nn_tanhf against libm over [-30, 30], odd lengths (the tails). */
static void
test_float_math(void)
{
    enum { N = 6001 };
    float *s = malloc(N * sizeof(float)), *t = malloc(N * sizeof(float));
    double es = 0, et = 0;
    for (int i = 0; i < N; i++)
        s[i] = t[i] = (float)(-30.0 + 60.0 * i / (N - 1) + 1e-3 * sin(i));
    nn_sigmoidf(s, N);
    nn_tanhf(t, N);
    for (int i = 0; i < N; i++) {
        double x = -30.0 + 60.0 * i / (N - 1) + 1e-3 * sin(i);
        x = (float)x;
        es = fmax(es, fabs(s[i] - 1 / (1 + exp(-x))));
        et = fmax(et, fabs(t[i] - tanh(x)));
    }
    printf("  float32 sigmoid, tanh against libm: largest errors %.1e, %.1e\n", es, et);
    CHECK(es < 4 * 6e-8 && et < 8 * 6e-8);
    float big[3] = { -1000, 0, 1000 };
    nn_sigmoidf(big, 3);
    CHECK(big[0] >= 0 && big[0] < 1e-30 && big[1] == 0.5f && big[2] == 1.0f);
    free(s);
    free(t);
}

/* sum_i out_i dy_i of net at its parameters (dy as pass() makes it). */
static double
probe_loss(struct nn_net *net, const double *x, int b)
{
    int k = nn_out_size(net);
    const double *yh = nn_forward(net, x, b, 0);
    double v = 0;
    for (int i = 0; i < b * k; i++)
        v += yh[i] * sin(1.0 + i);
    return v;
}

/*
 * The float32 recurrent layers: gradients against central differences of
 * the same network in double, and outputs and gradients against the
 * double path's.
 */
static void
test_rec_float32(void)
{
    enum { B = 7 };
    int bad = 0;
    for (int a = 0; a < R_COUNT; a++) {
        struct nn_net nd, nf;
        struct qerr err = QERR_INIT;
        rec_net(&nd, (enum rec)a, 1, B, 0, &err);
        rec_net(&nf, (enum rec)a, 2, B, 1, &err);
        CHECK(!qerr_failed(&err));
        int in = nd.in_t * nd.in_f;
        double *x = malloc((size_t)B * in * sizeof(double));
        struct rng r;
        rng_init(&r, 21);
        for (int i = 0; i < B * in; i++)
            x[i] = a == R_LSTM_EMBED ? (double)rng_below(&r, 11) : 2 * rng_uniform(&r) - 1;
        double od[B * 2], of[B * 2];
        double *gd = malloc(nd.np * sizeof(double)), *gf = malloc(nd.np * sizeof(double));
        double *fd = malloc(nd.np * sizeof(double));
        double *dd = malloc((size_t)B * in * sizeof(double));
        double *df = malloc((size_t)B * in * sizeof(double));
        pass(&nd, x, B, od, gd, dd);
        pass(&nf, x, B, of, gf, df);
        for (size_t k = 0; k < nd.np; k++) {
            double p0 = nd.p[k], h = 1e-5;
            nd.p[k] = p0 + h;
            double up = probe_loss(&nd, x, B);
            nd.p[k] = p0 - h;
            double dn = probe_loss(&nd, x, B);
            nd.p[k] = p0;
            fd[k] = (up - dn) / (2 * h);
        }
        double ec = reldiff(gf, fd, nd.np);
        double eo = reldiff(of, od, B * 2), eg = reldiff(gf, gd, nd.np);
        double ex = a == R_LSTM_EMBED ? 0 : reldiff(df, dd, (size_t)B * in);
        printf("  %s float32: gradients against differences %.1e; against double: outputs "
               "%.1e, gradients %.1e, input gradients %.1e\n",
               rec_name[a], ec, eo, eg, ex);
        if (!(ec < 1e-5 && eo < 1e-5 && eg < 1e-5 && ex < 1e-5) || !(eo > 0 && eg > 0))
            bad++;
        free(x);
        free(gd);
        free(gf);
        free(fd);
        free(dd);
        free(df);
        nn_net_free(&nd);
        nn_net_free(&nf);
    }
    CHECK_INT(bad, 0);
}

int
main(void)
{
    test_sgemm();
    test_conv_float32();
    test_conv_wino();
    test_conv_fused();
    test_threads();
    test_float_math();
    test_rec_float32();
    return check_done("test_nn_fast");
}
