/*
 * seqnn_time.c: the sequence classifier's network (src/classify/seqnn.c)
 * on issue 19's workload: 100,000 sequences of 50 tokens (codes 0..20,
 * as sequences writes them), embedding 16, LSTM hidden 32 (last step),
 * dense softmax 2, cross-entropy, Adam lr 0.005, batch 128 (782 batches
 * an epoch), double precision. Tokens and labels are drawn from a fixed
 * seed (the time does not depend on their values).
 *
 *   seqnn_time [EPOCHS [THREADS]]     (2 epochs, 1 thread)
 *
 * Prints seconds per epoch (median, min, max; wall clock around each
 * epoch), the process's CPU seconds per epoch and the final training loss.
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
    enum { N = 100000, L = 50, V = 21, E = 16, H = 32, BATCH = 128 };
    int epochs = argc > 1 ? atoi(argv[1]) : 2, threads = argc > 2 ? atoi(argv[2]) : 1;
    if (epochs < 1 || epochs > 100)
        epochs = 2;
    openblas_set_num_threads(threads);
    double *x = malloc(sizeof(double) * N * L), *y = calloc(N * 2, sizeof(double));
    static double secs[100], cpu[100], loss[1];
    struct rng r;
    rng_init(&r, 19);
    for (int i = 0; i < N * L; i++)
        x[i] = (double)rng_below(&r, V);
    for (int i = 0; i < N; i++)
        y[i * 2 + rng_below(&r, 2)] = 1;
    struct nn_net net;
    struct qerr err = QERR_INIT;
    nn_net_init(&net, L, 1);
    nn_add_embed(&net, V, E, &err);
    nn_add_lstm(&net, H, 0, &err);
    nn_add_dense(&net, 2, NN_IDENTITY, &err);
    if (nn_net_alloc(&net, BATCH, 1, &err) < 0) {
        fprintf(stderr, "seqnn_time: %s\n", err.msg);
        return 1;
    }
    struct nn_fit_opts o = {0};
    o.epochs = 1;
    o.batch = BATCH;
    o.loss = NN_CCE;
    nn_optim_default(&o.opt, NN_ADAM);
    o.opt.lr = 0.005;
    for (int e = 0; e < epochs; e++) {
        int ran;
        o.seed = 100 + (unsigned long long)e;
        double t0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
        if (nn_fit(&net, x, y, N, &o, loss, NULL, &ran, NULL, &err) < 0) {
            fprintf(stderr, "seqnn_time: %s\n", err.msg);
            return 1;
        }
        secs[e] = now(CLOCK_MONOTONIC) - t0;
        cpu[e] = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    }
    qsort(secs, (size_t)epochs, sizeof *secs, cmp);
    qsort(cpu, (size_t)epochs, sizeof *cpu, cmp);
    printf("seqnn_quarry_%dt seqs=%d len=%d embed=%d hidden=%d batch=%d epochs=%d "
           "sec_per_epoch=%.3f (min %.3f max %.3f) cpu_per_epoch=%.3f final_loss=%.5f "
           "precision=double\n",
           threads, N, L, E, H, BATCH, epochs, secs[epochs / 2], secs[0], secs[epochs - 1],
           cpu[epochs / 2], loss[0]);
    nn_net_free(&net);
    free(x);
    free(y);
    return 0;
}
