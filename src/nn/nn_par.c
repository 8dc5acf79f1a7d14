/*
 * nn_par.c: running a layer's work over a batch split in parts, one
 * thread each (nn_layer.h's nn_par_run).
 */
#include <pthread.h>

#include "base/banned.h"
#include "nn/nn_layer.h"

struct par_job {
    void (*fn)(void *, int, int);
    void *arg;
    int i0, i1;
};

static void *
par_start(void *a)
{
    struct par_job *j = a;
    j->fn(j->arg, j->i0, j->i1);
    return NULL;
}

void
nn_par_run(int threads, int n, void (*fn)(void *arg, int i0, int i1), void *arg)
{
    struct par_job jobs[NN_MAX_THREADS];
    pthread_t th[NN_MAX_THREADS];
    int started[NN_MAX_THREADS] = { 0 };
    int nt = threads < 1 ? 1 : threads > NN_MAX_THREADS ? NN_MAX_THREADS : threads;
    if (nt > n)
        nt = n > 0 ? n : 1;
    for (int k = 0; k < nt; k++) {
        jobs[k].fn = fn;
        jobs[k].arg = arg;
        jobs[k].i0 = (int)((long long)n * k / nt);
        jobs[k].i1 = (int)((long long)n * (k + 1) / nt);
    }
    for (int k = 1; k < nt; k++)
        started[k] = pthread_create(&th[k], NULL, par_start, &jobs[k]) == 0;
    fn(arg, jobs[0].i0, jobs[0].i1);
    for (int k = 1; k < nt; k++) {
        if (started[k])
            pthread_join(th[k], NULL);
        else
            fn(arg, jobs[k].i0, jobs[k].i1);
    }
}
