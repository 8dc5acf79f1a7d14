/*
 * prep_par.c: prep_par_columns (prep_par.h), a column a job on a few
 * threads.
 */
#include "prep/prep_par.h"

#include <pthread.h>
#include <stdatomic.h>

#include "base/banned.h"

/* At most this many threads: a command's columns are few, and each is a few ms. */
#define PAR_MAX_THREADS 8

struct par {
    int n;
    prep_par_job job;
    void *arg;
    int (*progress)(void *, double); /* the caller's, ticked on the calling thread */
    void *pctx;
    atomic_int next; /* the next column to take */
    atomic_int stop; /* the caller's progress returned nonzero */
};

/* The calling thread's progress: the caller's, remembered for the others. */
static int
caller_progress(void *p, double fraction)
{
    struct par *par = p;
    if (atomic_load(&par->stop))
        return 1;
    if (par->progress && par->progress(par->pctx, fraction)) {
        atomic_store(&par->stop, 1);
        return 1;
    }
    return 0;
}

/* The other threads' progress: stop once the caller's has said so. */
static int
worker_progress(void *p, double fraction)
{
    (void)fraction;
    return atomic_load(&((struct par *)p)->stop);
}

/* Take columns until none is left; mine: this is the calling thread. */
static void
take(struct par *par, int mine)
{
    int j;
    while ((j = atomic_fetch_add(&par->next, 1)) < par->n)
        par->job(par->arg, j, mine ? caller_progress : worker_progress, par);
}

static void *
worker(void *p)
{
    take(p, 0);
    return NULL;
}

void
prep_par_columns(int n, int threads, prep_par_job job, void *arg,
                 int (*progress)(void *, double), void *pctx)
{
    struct par par = {.n = n, .job = job, .arg = arg, .progress = progress, .pctx = pctx};
    atomic_init(&par.next, 0);
    atomic_init(&par.stop, 0);
    int nt = threads < n ? threads : n, started = 0;
    nt = nt > PAR_MAX_THREADS ? PAR_MAX_THREADS : nt;
    pthread_t th[PAR_MAX_THREADS];
    for (int i = 1; i < nt; i++)
        if (pthread_create(&th[started], NULL, worker, &par) == 0)
            started++;
    take(&par, 1);
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
}
