/*
 * dbscan_trace.c: DBSCAN with its expansion order kept (dbscan_trace.h),
 * scikit-learn's dbscan_inner loop over plainly computed neighbourhoods.
 */
#include "cluster/dbscan_trace.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/banned.h"

static int
near(const double *x, long long ld, int d, long long i, long long j, double eps2)
{
    double s = 0;
    for (int q = 0; q < d; q++) {
        double v = x[i + q * ld] - x[j + q * ld];
        s += v * v;
    }
    return s <= eps2;
}

int
dbscan_trace_run(const double *x, long long n, int d, long long ld, double eps, int minpts,
                 struct dbscan_trace *t, struct qerr *err)
{
    if (!(eps > 0))
        return qerr_set(err, QE_ARG, "eps must be above 0, not %g", eps);
    if (minpts < 1)
        return qerr_set(err, QE_ARG, "minpts must be at least 1, not %d", minpts);
    if (n > DBSCAN_TRACE_MAX)
        return qerr_set(err, QE_ARG, "a trace computes every distance: %lld rows is more than "
                        "%d; sample the table first", n, DBSCAN_TRACE_MAX);
    for (int q = 0; q < d; q++)
        for (long long i = 0; i < n; i++)
            if (!isfinite(x[i + q * ld]))
                return qerr_set(err, QE_DATA, "row %lld holds a value that is not finite", i + 1);
    size_t m = (size_t)(n > 0 ? n : 1);
    long long *stack = NULL, *sfrom = NULL, top = 0;
    int rc = -1;
    t->n = n;
    t->order = mem_alloc(m, sizeof *t->order, "trace", "rows", err);
    t->label = mem_alloc(m, sizeof *t->label, "trace", "rows", err);
    t->from = mem_alloc(m, sizeof *t->from, "trace", "rows", err);
    t->neighbours = mem_calloc(m, sizeof *t->neighbours, "trace", "rows", err);
    t->role = mem_alloc(m, 1, "trace", "rows", err);
    stack = mem_alloc(m, sizeof *stack, "trace", "rows", err);
    sfrom = mem_alloc(m, sizeof *sfrom, "trace", "rows", err);
    if (!t->order || !t->label || !t->from || !t->neighbours || !t->role || !stack || !sfrom)
        goto out;
    double eps2 = eps * eps;
    for (long long i = 0; i < n; i++) {
        for (long long j = 0; j < n; j++)
            t->neighbours[i] += near(x, ld, d, i, j, eps2);
        t->label[i] = -1;
        t->from[i] = -1;
        t->role[i] = t->neighbours[i] >= minpts ? DBSCAN_CORE : DBSCAN_NOISE;
    }
    /*
     * A row goes on the stack only while unlabelled, and is labelled when
     * popped; a row can be pushed again by another core row before that
     * pop, so the stack grows past n only in such runs: it grows by
     * doubling.
     */
    long long cap = (long long)m;
    for (long long s = 0; s < n; s++) {
        if (t->label[s] >= 0 || t->role[s] != DBSCAN_CORE)
            continue;
        int c = t->n_clusters++;
        long long i = s, fi = -1;
        for (;;) {
            if (t->label[i] < 0) {
                t->label[i] = c;
                t->from[i] = fi;
                t->order[t->n_labelled++] = i;
                if (t->role[i] != DBSCAN_CORE)
                    t->role[i] = DBSCAN_BORDER;
                else
                    for (long long j = 0; j < n; j++) {
                        if (t->label[j] >= 0 || !near(x, ld, d, i, j, eps2))
                            continue;
                        if (top == cap) {
                            long long *a = mem_realloc(stack, (size_t)cap * 2, sizeof *a,
                                                       "trace", "rows", err);
                            if (!a)
                                goto out;
                            stack = a;
                            long long *b = mem_realloc(sfrom, (size_t)cap * 2, sizeof *b,
                                                       "trace", "rows", err);
                            if (!b)
                                goto out;
                            sfrom = b;
                            cap *= 2;
                        }
                        stack[top] = j;
                        sfrom[top++] = i;
                    }
            }
            if (top == 0)
                break;
            top--;
            i = stack[top];
            fi = sfrom[top];
        }
    }
    long long k = t->n_labelled;
    for (long long i = 0; i < n; i++)
        if (t->label[i] < 0)
            t->order[k++] = i;
    rc = 0;
out:
    free(stack);
    free(sfrom);
    return rc;
}

void
dbscan_trace_release(struct dbscan_trace *t)
{
    free(t->order);
    free(t->label);
    free(t->from);
    free(t->neighbours);
    free(t->role);
    memset(t, 0, sizeof *t);
}
