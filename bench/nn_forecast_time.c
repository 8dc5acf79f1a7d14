/*
 * nn_forecast_time.c: seconds per training epoch of the neural
 * forecasters' networks on quarry's NN core, the workload of
 * ../shared/research/perf-baselines.md section 6 (10,000 windows of 12
 * values, 1 feature, the next value as target, bench/nn_bench.h; MSE,
 * Adam lr 0.001, batch 64, shuffled from a fixed seed) for three networks:
 *   mlp   12 -> dense 32 relu -> dense 32 relu -> 1 (forecast model=mlp's default)
 *   cnn   5 conv1d layers of 128 filters, kernel 3, same padding, relu ->
 *         dense 1 (method A; forecast model=cnn's default, float32 products
 *         as forecast runs them; `double` as the 4th argument for double)
 *   lstm  LSTM 32 (last step) -> dense 1 (forecast model=lstm's network)
 *
 *   nn_forecast_time KIND [EPOCHS [THREADS [float32|double]]]   (mlp, 5, 1)
 *
 * Prints one line (nnb_print): wall and CPU seconds per epoch, the final
 * training loss. bench/nn_forecast_torch.py is the same in PyTorch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn_bench.h"

int
main(int argc, char **argv)
{
    enum { N = 10000, L = 12, BATCH = 64 };
    const char *kind = argc > 1 ? argv[1] : "mlp";
    int epochs = argc > 2 ? atoi(argv[2]) : 5, threads = argc > 3 ? atoi(argv[3]) : 1;
    int f32 = !(argc > 4 && strcmp(argv[4], "double") == 0);
    static double x[N * L], y[N];
    static struct nnb_result r;
    nnb_windows(x, y, N, L);
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
    } else if (strcmp(kind, "lstm") == 0) {
        nn_net_init(&net, L, 1);
        nn_add_lstm(&net, 32, 0, &err);
    } else {
        bench_die("nn_forecast_time: KIND is mlp, cnn or lstm");
    }
    nn_add_dense(&net, 1, NN_IDENTITY, &err);
    nn_set_float32(&net, f32);
    nn_set_threads(&net, threads);
    if (nn_net_alloc(&net, BATCH, 1, &err) < 0)
        bench_die("nn_forecast_time: %s", err.msg);
    struct nn_fit_opts o = { 0 };
    o.batch = BATCH;
    o.loss = NN_MSE;
    nn_optim_default(&o.opt, NN_ADAM);
    nnb_epochs(&net, &o, x, y, N, epochs, &r);
    char name[64];
    snprintf(name, sizeof name, "%s_quarry_%dt", kind, threads);
    nnb_print(name, &net, &r);
    nn_net_free(&net);
    return 0;
}
