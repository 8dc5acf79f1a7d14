/*
 * seqnn_time.c: the sequence classifier's network (src/classify/seqnn.c)
 * on issue 19's workload: 100,000 sequences of 50 tokens (codes 0..20,
 * as sequences writes them), embedding 16, LSTM hidden 32 (last step),
 * dense softmax 2, cross-entropy, Adam lr 0.005, batch 128 (782 batches
 * an epoch), the LSTM in float32 as seqnn runs it (`double` as the 4th
 * argument for double). Tokens and labels are drawn from a fixed seed (the
 * time does not depend on their values).
 *
 *   seqnn_time [EPOCHS [THREADS [SEQUENCES [float32|double]]]]   (2, 1, 100,000, float32)
 *
 * Fewer SEQUENCES time a part of an epoch (the same 782-batch epoch's
 * first SEQUENCES/128 batches' worth: the time is linear in the batches).
 *
 * Prints one line (bench/nn_bench.h's nnb_print): wall and CPU seconds
 * per epoch and the final training loss.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn_bench.h"

int
main(int argc, char **argv)
{
    enum { L = 50, V = 21, E = 16, H = 32, BATCH = 128 };
    int epochs = argc > 1 ? atoi(argv[1]) : 2, threads = argc > 2 ? atoi(argv[2]) : 1;
    int N = argc > 3 ? atoi(argv[3]) : 100000;
    int f32 = !(argc > 4 && strcmp(argv[4], "double") == 0);
    if (N < BATCH || N > 100000)
        bench_die("seqnn_time: SEQUENCES must be %d..100000", BATCH);
    double *x = malloc(sizeof(double) * (size_t)N * L), *y = calloc((size_t)N * 2, sizeof(double));
    static struct nnb_result res;
    if (!x || !y)
        bench_die("seqnn_time: out of memory");
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
    nn_set_threads(&net, threads);
    nn_set_float32(&net, f32);
    if (nn_net_alloc(&net, BATCH, 1, &err) < 0)
        bench_die("seqnn_time: %s", err.msg);
    struct nn_fit_opts o = { 0 };
    o.batch = BATCH;
    o.loss = NN_CCE;
    nn_optim_default(&o.opt, NN_ADAM);
    o.opt.lr = 0.005;
    nnb_epochs(&net, &o, x, y, N, epochs, &res);
    char name[64];
    snprintf(name, sizeof name, "seqnn_quarry_%dt seqs=%d", threads, N);
    nnb_print(name, &net, &res);
    nn_net_free(&net);
    free(x);
    free(y);
    return 0;
}
