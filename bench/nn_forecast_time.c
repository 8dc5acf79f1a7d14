/*
 * nn_forecast_time.c: seconds per training epoch of the neural
 * forecasters' networks on quarry's NN core, the workload of
 * ../shared/research/perf-baselines.md section 6 (10,000 windows of 12
 * values, 1 feature, the next value as target, from one noisy
 * multi-seasonal series; MSE, Adam lr 0.001, batch 64, shuffled from a
 * fixed seed, double precision) for three networks:
 *   mlp   12 -> dense 32 relu -> dense 32 relu -> 1 (forecast model=mlp's default)
 *   cnn   5 conv1d layers of 128 filters, kernel 3, same padding, relu ->
 *         dense 1 (method A; forecast model=cnn's default)
 *   lstm  LSTM 32 (last step) -> dense 1 (as bench/lstm_time.c)
 *
 *   nn_forecast_time KIND [EPOCHS]     (KIND mlp|cnn|lstm; 5 epochs)
 *
 * Prints one line: wall seconds per epoch (median, min, max), the
 * process's CPU seconds per epoch (median) and the final training loss.
 * bench/nn_forecast_torch.py is the same in PyTorch.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/rng.h"
#include "nn/nn.h"
#include "nn/nn_train.h"

static double
now(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int
cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
    enum { N = 10000, L = 12, BATCH = 64 };
    const char *kind = argc > 1 ? argv[1] : "mlp";
    int epochs = argc > 2 ? atoi(argv[2]) : 5;
    if (epochs < 1 || epochs > 1000)
        epochs = 5;
    static double s[N + L], x[N * L], y[N], secs[1000], cpu[1000], loss[1];
    struct rng r;
    rng_init(&r, 12);
    double mean = 0, sd = 0;
    for (int t = 0; t < N + L; t++) {
        double u1 = rng_uniform(&r), u2 = rng_uniform(&r);
        double z = sqrt(-2 * log(1 - u1)) * cos(2 * M_PI * u2);
        s[t] = sin(2 * M_PI * t / 12) + 0.5 * sin(2 * M_PI * t / 52) + 0.001 * t + 0.1 * z;
        mean += s[t];
    }
    mean /= N + L;
    for (int t = 0; t < N + L; t++)
        sd += (s[t] - mean) * (s[t] - mean);
    sd = sqrt(sd / (N + L));
    for (int i = 0; i < N; i++) {
        for (int t = 0; t < L; t++)
            x[i * L + t] = (s[i + t] - mean) / sd;
        y[i] = (s[i + L] - mean) / sd;
    }
    struct nn_net net;
    struct qerr err = QERR_INIT;
    if (strcmp(kind, "mlp") == 0) {
        nn_net_init(&net, 1, L);
        nn_add_dense(&net, 32, NN_RELU, &err);
        nn_add_dense(&net, 32, NN_RELU, &err);
    } else if (strcmp(kind, "cnn") == 0) {
        nn_net_init(&net, L, 1);
        for (int i = 0; i < 5; i++)
            nn_add_conv1d(&net, 128, 3, 1, NN_RELU, &err);
    } else {
        kind = "lstm";
        nn_net_init(&net, L, 1);
        nn_add_lstm(&net, 32, 0, &err);
    }
    nn_add_dense(&net, 1, NN_IDENTITY, &err);
    if (nn_net_alloc(&net, BATCH, 1, &err) < 0) {
        fprintf(stderr, "nn_forecast_time: %s\n", err.msg);
        return 1;
    }
    struct nn_fit_opts o = {0};
    o.epochs = 1;
    o.batch = BATCH;
    o.loss = NN_MSE;
    nn_optim_default(&o.opt, NN_ADAM);
    for (int e = 0; e < epochs; e++) {
        int ran;
        o.seed = 100 + (unsigned long long)e;
        double t0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
        if (nn_fit(&net, x, y, N, &o, loss, NULL, &ran, NULL, &err) < 0) {
            fprintf(stderr, "nn_forecast_time: %s\n", err.msg);
            return 1;
        }
        secs[e] = now(CLOCK_MONOTONIC) - t0;
        cpu[e] = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    }
    qsort(secs, (size_t)epochs, sizeof *secs, cmp);
    qsort(cpu, (size_t)epochs, sizeof *cpu, cmp);
    printf("%s_quarry params=%zu epochs=%d sec_per_epoch=%.4f (min %.4f max %.4f) "
           "cpu_per_epoch=%.4f final_loss=%.5f precision=double\n",
           kind, net.np, epochs, secs[epochs / 2], secs[0], secs[epochs - 1], cpu[epochs / 2],
           loss[0]);
    nn_net_free(&net);
    return 0;
}
