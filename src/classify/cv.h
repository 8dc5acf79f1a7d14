/*
 * cv.h: repeated k-fold cross-validation of a classification method.
 *
 * A plan gives every row a fold in each repeat: the rows are shuffled
 * (rng.h, by the seed; repeat r uses seed + r) and dealt to the folds in
 * turn, so fold sizes differ by at most one; stratified, the shuffled
 * rows are dealt class by class, so each fold holds each class in its
 * share (as scikit-learn's StratifiedKFold, not its exact rows). Running
 * it fits the method on the other folds and scores the fold
 * (metrics.h), timing each fit.
 */
#ifndef QUARRY_CV_H
#define QUARRY_CV_H

#include <stdint.h>

#include "base/qerr.h"
#include "base/tick.h"
#include "classify/classify.h"
#include "classify/metrics.h"

struct cv_plan {
    int folds, repeats;
    size_t n;
    int *fold;   /* repeats x n: the fold of row i in repeat r at [r * n + i] */
};

/*
 * Deal n rows (classes y, nclass of them; y may be NULL unless
 * stratify) into folds, repeats times. QE_ARG when folds < 2 or folds > n.
 */
int cv_plan_make(const int *y, size_t n, int nclass, int folds, int repeats, int stratify,
                 uint64_t seed, struct cv_plan *plan, struct qerr *err);
void cv_plan_release(struct cv_plan *plan);

/* One fold's result. */
struct cv_fold {
    int repeat, fold;
    long long n_train, n_test;
    double fit_s;        /* seconds the fit took (wall clock) */
    struct metrics m;    /* the fold's scores */
};

/*
 * For each repeat and fold of plan: fit meth with o on the rows of d
 * outside the fold, predict the fold's rows, score them (positive as
 * metrics_compute) into out[r * folds + f] (room for repeats * folds;
 * release with cv_folds_release). Errors: the method's, QE_NOMEM,
 * QE_INTERRUPT through t.
 */
int cv_run(const struct cls_method *meth, const struct cls_data *d, const struct cls_opts *o,
           const struct cv_plan *plan, int positive, struct tick *t, struct cv_fold *out,
           struct qerr *err);
void cv_folds_release(struct cv_fold *f, int n);

#endif
