/*
 * gini_trace.h: the gini of every candidate split of one node, as a
 * decision tree (CART, tree.h) weighs them, for working by hand (trace
 * split).
 *
 * The gini impurity of a set of rows is 1 - sum over classes of p_c^2,
 * p_c the share of class c. A split sends each row left or right; its
 * weighted gini is (n_left gini_left + n_right gini_right) / n, and its
 * gain is the node's gini less that. Candidates: for a numeric feature,
 * x <= t for t halfway between each two neighbouring distinct values
 * (sorted); for a categorical one, x = v against the rest for each value
 * v (two values give one split, the first). The best split has the
 * largest gain; ties go to the first feature, then the lowest threshold
 * or value, as tree.c breaks them.
 */
#ifndef QUARRY_GINI_TRACE_H
#define QUARRY_GINI_TRACE_H

#include "base/qerr.h"

/* Candidate splits listed at most. */
#define GINI_TRACE_MAX 200000

/* One feature of the node's rows: numbers, or category codes. */
struct gini_feature {
    const double *x;    /* n numbers (no NaN), or NULL for a categorical feature */
    const int *code;    /* n codes in 0..n_codes-1 when x is NULL */
    int n_codes;
};

struct gini_split {
    int feature;            /* index into the features */
    double threshold;       /* numeric: left is x <= threshold */
    int code;               /* categorical: left is x = code */
    long long n_left, n_right;
    double gini_left, gini_right, weighted, gain;
};

struct gini_trace {
    double gini;            /* the node's */
    long long *class_n;     /* rows of each class at the node */
    int nclass;
    long long n;
    struct gini_split *splits;
    long long n_splits;
    long long best;         /* index into splits, -1 when there is none */
};

/*
 * The candidate splits of n rows of classes y (0..nclass-1) over p
 * features, in feature order, each feature's by threshold or code. Fills
 * t (zeroed by the caller; release with gini_trace_release, also after a
 * failure). Errors: QE_ARG for more than GINI_TRACE_MAX candidates,
 * QE_NOMEM.
 */
int gini_trace_run(const int *y, long long n, int nclass, const struct gini_feature *f, int p,
                   struct gini_trace *t, struct qerr *err);
void gini_trace_release(struct gini_trace *t);

#endif
