/*
 * nn_par.c: running a layer's work over a batch split in parts, one
 * thread each (nn_layer.h's nn_par_run), on a network's pool of worker
 * threads (struct nn_pool) or on threads started for the call.
 *
 * A pool's workers wait for a job's generation number to change: they
 * spin a short while (a training step's parallel passes follow each other
 * within microseconds, and a wake-up through the kernel costs more than
 * many of them), then sleep on a condition variable. The caller runs the
 * first part itself and waits alike for every worker to report. Worker w
 * runs part w of every job (1 <= w < parts), so a part's work and its
 * order never depend on which thread or pool ran it.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "base/banned.h"
#include "nn/nn_layer.h"

#define POOL_SPINS 2000 /* polls before sleeping (about 100 microseconds with pause) */

struct nn_pool {
    pthread_mutex_t mu;
    pthread_cond_t wake, idle;
    pthread_t th[NN_MAX_THREADS];
    int workers;                  /* started */
    atomic_uint gen;              /* bumped by each job (and by the stop) */
    atomic_int left;              /* workers yet to report on the current job */
    atomic_int stop;
    void (*fn)(void *, int, int); /* the current job: fn(arg, bound[k], bound[k + 1]) */
    void *arg;
    int parts;
    int bound[NN_MAX_THREADS + 1];
};

struct pool_worker {
    struct nn_pool *p;
    int w;
};

static void
relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

static void *
pool_main(void *a)
{
    struct pool_worker *pw = a;
    struct nn_pool *p = pw->p;
    int w = pw->w;
    free(pw);
    unsigned seen = 0;
    for (;;) {
        unsigned g = atomic_load_explicit(&p->gen, memory_order_acquire);
        for (int s = 0; g == seen && s < POOL_SPINS; s++) {
            relax();
            g = atomic_load_explicit(&p->gen, memory_order_acquire);
        }
        if (g == seen) {
            pthread_mutex_lock(&p->mu);
            while ((g = atomic_load_explicit(&p->gen, memory_order_acquire)) == seen)
                pthread_cond_wait(&p->wake, &p->mu);
            pthread_mutex_unlock(&p->mu);
        }
        seen = g;
        if (atomic_load_explicit(&p->stop, memory_order_acquire))
            return NULL;
        if (w < p->parts)
            p->fn(p->arg, p->bound[w], p->bound[w + 1]);
        if (atomic_fetch_sub_explicit(&p->left, 1, memory_order_acq_rel) == 1) {
            pthread_mutex_lock(&p->mu);
            pthread_cond_signal(&p->idle);
            pthread_mutex_unlock(&p->mu);
        }
    }
}

struct nn_pool *
nn_pool_new(int threads)
{
    if (threads > NN_MAX_THREADS)
        threads = NN_MAX_THREADS;
    if (threads < 2)
        return NULL;
    struct nn_pool *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->wake, NULL);
    pthread_cond_init(&p->idle, NULL);
    atomic_init(&p->gen, 0);
    atomic_init(&p->left, 0);
    atomic_init(&p->stop, 0);
    for (int w = 1; w < threads; w++) {
        struct pool_worker *pw = malloc(sizeof *pw);
        if (!pw)
            break;
        pw->p = p;
        pw->w = w;
        if (pthread_create(&p->th[w], NULL, pool_main, pw) != 0) {
            free(pw);
            break;
        }
        p->workers = w;
    }
    if (p->workers == 0) {
        nn_pool_free(p);
        return NULL;
    }
    return p;
}

void
nn_pool_free(struct nn_pool *p)
{
    if (!p)
        return;
    atomic_store_explicit(&p->stop, 1, memory_order_release);
    pthread_mutex_lock(&p->mu);
    atomic_fetch_add_explicit(&p->gen, 1, memory_order_release);
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->mu);
    for (int w = 1; w <= p->workers; w++)
        pthread_join(p->th[w], NULL);
    pthread_cond_destroy(&p->idle);
    pthread_cond_destroy(&p->wake);
    pthread_mutex_destroy(&p->mu);
    free(p);
}

int
nn_pool_size(const struct nn_pool *p)
{
    return p ? p->workers + 1 : 1;
}

/* One job on the pool: parts 1..workers on the workers, 0 and any beyond here. */
static void
pool_run(struct nn_pool *p, int nt, const int *bound, void (*fn)(void *, int, int), void *arg)
{
    p->fn = fn;
    p->arg = arg;
    p->parts = nt;
    for (int k = 0; k <= nt; k++)
        p->bound[k] = bound[k];
    atomic_store_explicit(&p->left, p->workers, memory_order_relaxed);
    pthread_mutex_lock(&p->mu);
    atomic_fetch_add_explicit(&p->gen, 1, memory_order_release);
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->mu);
    fn(arg, bound[0], bound[1]);
    for (int k = p->workers + 1; k < nt; k++)
        fn(arg, bound[k], bound[k + 1]);
    for (int s = 0; s < POOL_SPINS; s++) {
        if (atomic_load_explicit(&p->left, memory_order_acquire) == 0)
            return;
        relax();
    }
    pthread_mutex_lock(&p->mu);
    while (atomic_load_explicit(&p->left, memory_order_acquire) != 0)
        pthread_cond_wait(&p->idle, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

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
nn_par_run(struct nn_pool *pool, int threads, int n, void (*fn)(void *arg, int i0, int i1),
           void *arg)
{
    int bound[NN_MAX_THREADS + 1];
    int nt = threads < 1 ? 1 : threads > NN_MAX_THREADS ? NN_MAX_THREADS : threads;
    if (nt > n)
        nt = n > 0 ? n : 1;
    for (int k = 0; k <= nt; k++)
        bound[k] = (int)((long long)n * k / nt);
    if (nt == 1) {
        fn(arg, 0, n);
        return;
    }
    if (pool) {
        pool_run(pool, nt, bound, fn, arg);
        return;
    }
    struct par_job jobs[NN_MAX_THREADS];
    pthread_t th[NN_MAX_THREADS];
    int started[NN_MAX_THREADS] = { 0 };
    for (int k = 0; k < nt; k++) {
        jobs[k].fn = fn;
        jobs[k].arg = arg;
        jobs[k].i0 = bound[k];
        jobs[k].i1 = bound[k + 1];
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
