/*
 * lstm_time.c: the LSTM workload of ../shared/research/perf-baselines.md
 * section 6 on quarry's NN core: 10,000 windows of 12 values (1 feature)
 * and the next value as target, cut from one noisy multi-seasonal series
 * built as peer-bench/gen_data.py's `lstm` set builds it (its noise drawn
 * from quarry's rng, so the values are not numpy's); LSTM(1 -> 32, last
 * step) + dense(32 -> 1), MSE, Adam lr 0.001, batch 64 (157 batches an
 * epoch), shuffled from a fixed seed, double precision.
 *
 *   lstm_time [EPOCHS [THREADS]]     (20 epochs, 1 thread)
 *
 * Prints seconds per epoch (median, min, max over the epochs of the run,
 * wall clock around nn_fit's epoch), the process's CPU seconds per epoch
 * (median, min: on a shared machine the wall clock also counts the time
 * other processes hold the core) and the final training loss.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "base/rng.h"
#include "nn/nn.h"
#include "nn/nn_train.h"

void openblas_set_num_threads(int);

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
    enum { N = 10000, L = 12, H = 32, BATCH = 64 };
    int epochs = argc > 1 ? atoi(argv[1]) : 20, threads = argc > 2 ? atoi(argv[2]) : 1;
    if (epochs < 1 || epochs > 1000)
        epochs = 20;
    openblas_set_num_threads(threads);
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
    nn_net_init(&net, L, 1);
    nn_add_lstm(&net, H, 0, &err);
    nn_add_dense(&net, 1, NN_IDENTITY, &err);
    if (nn_net_alloc(&net, BATCH, 1, &err) < 0) {
        fprintf(stderr, "lstm_time: %s\n", err.msg);
        return 1;
    }
    struct nn_fit_opts o = { 0 };
    o.epochs = 1;
    o.batch = BATCH;
    o.loss = NN_MSE;
    nn_optim_default(&o.opt, NN_ADAM);
    double total = now(CLOCK_MONOTONIC);
    for (int e = 0; e < epochs; e++) {
        int ran;
        o.seed = 100 + (unsigned long long)e;
        double t0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
        if (nn_fit(&net, x, y, N, &o, loss, NULL, &ran, NULL, &err) < 0) {
            fprintf(stderr, "lstm_time: %s\n", err.msg);
            return 1;
        }
        secs[e] = now(CLOCK_MONOTONIC) - t0;
        cpu[e] = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    }
    total = now(CLOCK_MONOTONIC) - total;
    qsort(secs, (size_t)epochs, sizeof *secs, cmp);
    qsort(cpu, (size_t)epochs, sizeof *cpu, cmp);
    printf("lstm_quarry_%dt seqs=%d len=%d hidden=%d batch=%d epochs=%d sec_per_epoch=%.4f "
           "(min %.4f max %.4f) cpu_per_epoch=%.4f (min %.4f) total_s=%.2f final_loss=%.5f "
           "precision=double\n",
           threads, N, L, H, BATCH, epochs, secs[epochs / 2], secs[0], secs[epochs - 1],
           cpu[epochs / 2], cpu[0], total, loss[0]);
    nn_net_free(&net);
    return 0;
}
