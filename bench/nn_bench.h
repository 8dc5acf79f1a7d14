/*
 * bench/nn_bench.h: what the neural-network bench programs
 * (nn_forecast_time.c, seqnn_time.c) share on top of bench/harness.h:
 *
 *   nnb_windows(x, y, n, L)   the forecasting workload of
 *       ../shared/research/perf-baselines.md section 6: n windows of L
 *       values and the next value as target, cut from one noisy
 *       multi-seasonal series (sin 12 + 0.5 sin 52 + 0.001 t + 0.1 noise,
 *       the noise from quarry's rng seeded 12), standardised
 *   nnb_epochs(net, o, x, y, n, epochs, &r)   trains `epochs` single-epoch
 *       nn_fit calls (shuffle seed 100 + epoch), timing each by wall clock
 *       and by the process's CPU (every thread), and fills r
 *   nnb_print(name, net, &r)   one line: name params= epochs=
 *       sec_per_epoch=MEDIAN (min max) cpu_per_epoch=MEDIAN final_loss=
 *       threads= precision=, read by bench/pair.py --field
 */
#ifndef QUARRY_BENCH_NN_BENCH_H
#define QUARRY_BENCH_NN_BENCH_H

#include <math.h>

#include "base/rng.h"
#include "harness.h"
#include "nn/nn.h"
#include "nn/nn_train.h"

#define NNB_MAX_EPOCHS 1000

struct nnb_result {
    int epochs;
    double secs[NNB_MAX_EPOCHS], cpu[NNB_MAX_EPOCHS];
    double loss;
};

static inline void
nnb_windows(double *x, double *y, int n, int L)
{
    double *s = malloc(sizeof(double) * (size_t)(n + L));
    if (!s)
        bench_die("bench: out of memory");
    struct rng r;
    rng_init(&r, 12);
    double mean = 0, sd = 0;
    for (int t = 0; t < n + L; t++) {
        double u1 = rng_uniform(&r), u2 = rng_uniform(&r);
        double z = sqrt(-2 * log(1 - u1)) * cos(2 * M_PI * u2);
        s[t] = sin(2 * M_PI * t / 12) + 0.5 * sin(2 * M_PI * t / 52) + 0.001 * t + 0.1 * z;
        mean += s[t];
    }
    mean /= n + L;
    for (int t = 0; t < n + L; t++)
        sd += (s[t] - mean) * (s[t] - mean);
    sd = sqrt(sd / (n + L));
    for (int i = 0; i < n; i++) {
        for (int t = 0; t < L; t++)
            x[(size_t)i * L + t] = (s[i + t] - mean) / sd;
        y[i] = (s[i + L] - mean) / sd;
    }
    free(s);
}

static inline void
nnb_epochs(struct nn_net *net, struct nn_fit_opts *o, const double *x, const double *y, int n,
           int epochs, struct nnb_result *r)
{
    struct qerr err = QERR_INIT;
    double loss[1] = { 0 };
    if (epochs < 1 || epochs > NNB_MAX_EPOCHS)
        bench_die("bench: epochs must be 1..%d", NNB_MAX_EPOCHS);
    o->epochs = 1;
    r->epochs = epochs;
    for (int e = 0; e < epochs; e++) {
        int ran;
        o->seed = 100 + (unsigned long long)e;
        double t0 = bench_now(), c0 = bench_cpu();
        if (nn_fit(net, x, y, n, o, loss, NULL, &ran, NULL, &err) < 0)
            bench_die("bench: %s", err.msg);
        r->secs[e] = bench_now() - t0;
        r->cpu[e] = bench_cpu() - c0;
    }
    r->loss = loss[0];
}

/* Whether any layer of net runs in float32 (nn_set_float32). */
static inline int
nnb_f32(const struct nn_net *net)
{
    for (int i = 0; i < net->nl; i++)
        if (net->L[i].f32)
            return 1;
    return 0;
}

static inline void
nnb_print(const char *name, const struct nn_net *net, struct nnb_result *r)
{
    int n = r->epochs;
    double cpu = bench_median(r->cpu, n), wall = bench_median(r->secs, n);
    printf("%s params=%zu epochs=%d sec_per_epoch=%.4f (min %.4f max %.4f) "
           "cpu_per_epoch=%.4f final_loss=%.5f threads=%d precision=%s\n",
           name, net->np, n, wall, r->secs[0], r->secs[n - 1], cpu, r->loss, net->threads,
           nnb_f32(net) ? "float32" : "double");
}

#endif
