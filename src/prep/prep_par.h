/*
 * prep_par.h: per-column work of a command (a fill's statistics, a
 * normalisation) on the machine's cores, one column a job.
 */
#ifndef QUARRY_PREP_PAR_H
#define QUARRY_PREP_PAR_H

/*
 * A job: column j of whatever arg holds, ticking progress(pctx, f) as
 * prep_stats does (a nonzero return: stop, with the job's own error). A
 * job writes only what belongs to column j, and calls nothing that is not
 * thread-safe (no SQLite, no result output, no progress but its own).
 */
typedef void (*prep_par_job)(void *arg, int j, int (*progress)(void *, double), void *pctx);

/*
 * Run job(arg, j, ...) for every j in 0..n-1, on up to `threads` threads
 * of which the calling thread is one, taking columns in turn; returns
 * when all are done. The calling thread's jobs tick progress(pctx, ...)
 * itself; the others get a progress that says only whether it has
 * returned nonzero (a cancel), so that every job stops at its next tick.
 * Each column is computed by the same code whatever the threads, so the
 * results are the same bits; the caller reads them in column order, so
 * the first error in column order is the one reported. threads <= 1, or
 * a thread that cannot be started, runs the jobs on the calling thread.
 */
void prep_par_columns(int n, int threads, prep_par_job job, void *arg,
                      int (*progress)(void *, double), void *pctx);

#endif
