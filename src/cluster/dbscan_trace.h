/*
 * dbscan_trace.h: DBSCAN step by step, for teaching (trace dbscan): the
 * order in which the rows join their clusters, which row reached each,
 * and which rows are core, border or noise.
 *
 * The same algorithm as dbscan.h, so the labels are its labels (and
 * scikit-learn's): neighbours are the rows at Euclidean distance <= eps,
 * the row itself included; a row with at least minpts neighbours is core.
 * Rows are visited in row order; an unlabelled core row starts a cluster,
 * which grows depth first from a stack, as scikit-learn's dbscan_inner
 * does: a row popped that has no label takes the cluster's, and when it
 * is core its unlabelled neighbours are pushed (in row order), so the
 * last pushed is expanded next. A border row (not core) joins the first
 * cluster that reaches it. Rows no cluster reaches are noise.
 *
 * Distances are computed plainly, n^2 of them: for small tables, at most
 * DBSCAN_TRACE_MAX rows.
 */
#ifndef QUARRY_DBSCAN_TRACE_H
#define QUARRY_DBSCAN_TRACE_H

#include <stdint.h>

#include "base/qerr.h"

#define DBSCAN_TRACE_MAX 20000

enum dbscan_role { DBSCAN_CORE, DBSCAN_BORDER, DBSCAN_NOISE };

struct dbscan_trace {
    long long n;
    int n_clusters;
    long long *order;      /* n: the rows (0-based) in the order they were labelled, the
                            * noise rows last in row order */
    long long n_labelled;  /* rows in order[] that joined a cluster (the rest is noise) */
    int32_t *label;        /* n, by row: cluster 0.., or -1 for noise */
    long long *from;       /* n, by row: the core row whose neighbourhood reached it, -1 for
                            * the row that started its cluster and for noise */
    long long *neighbours; /* n, by row: rows within eps, itself included */
    unsigned char *role;   /* n, by row: enum dbscan_role */
};

/*
 * Trace DBSCAN on x (n x d, column-major, leading dimension ld, no NaN).
 * Fills t (zeroed by the caller; release with dbscan_trace_release, also
 * after a failure). Errors: QE_ARG for eps <= 0, minpts < 1 or more than
 * DBSCAN_TRACE_MAX rows; QE_DATA for a value that is not finite; QE_NOMEM.
 */
int dbscan_trace_run(const double *x, long long n, int d, long long ld, double eps, int minpts,
                     struct dbscan_trace *t, struct qerr *err);
void dbscan_trace_release(struct dbscan_trace *t);

#endif
