/*
 * linear.h: the fitted linear model that logistic regression (logreg.c)
 * and the linear SVM (svm.c) share: nw score vectors over p features,
 * kept in the data's units, with the standardisation the fit used, the
 * options and how the fit ended; its scores, probabilities, stored state
 * and coefficient table. Each method fits the weights its own way on the
 * standardised rows and hands them back through linear_set_weights.
 *
 * nw is 0 for one class (always predicted), 1 for two (the score of the
 * second class against the first), nclass for more (one score per class).
 * Probabilities: with one score, P(class 1) = 1 / (1 + exp(-score)); with
 * more, the softmax of the scores.
 *
 * The state (each method's kind, version 1): nclass, p, nw, coef (nw x p),
 * intercepts (nw), means (p), scales (p), c, tol, max_iter, iterations,
 * converged.
 */
#ifndef QUARRY_LINEAR_H
#define QUARRY_LINEAR_H

#include "base/buf.h"
#include "base/qerr.h"
#include "classify/classify.h"
#include "data/store.h"

struct linear {
    int nclass, p, nw;
    double *coef;   /* nw x p, the data's units */
    double *icpt;   /* nw */
    double *mean;   /* p: the standardisation */
    double *scale;  /* p */
    double c, tol;
    int max_iter, iter, converged;
};

/* The number of score vectors for nclass classes: 0, 1 or nclass. */
int linear_nw(int nclass);

/*
 * A new model for d (its classes and features) with o's c and tol and
 * max_iter (def_iter when o->max_iter is 0), its standardisation measured
 * on d's rows: each feature's mean, then its population sd from the
 * deviations (1 when that is 0 or not finite). who names the method in
 * the allocation errors. NULL with err set (QE_NOMEM).
 */
struct linear *linear_new(const struct cls_data *d, const struct cls_opts *o, int def_iter,
                          const char *who, struct qerr *err);

/*
 * Set score vector k from its p + 1 weights fitted on the standardised
 * rows (the bias last): coef_j = w_j / sd_j, intercept b - sum coef_j mean_j.
 */
void linear_set_weights(struct linear *m, int k, const double *w);

/* Free m (a struct linear; NULL is fine). The cls_method release of both methods. */
void linear_release(void *model);

/* How the fit ended: iterations (passes), 1 when it converged. */
void linear_status(const void *model, int *iter, int *converged);

/* The coefficients in the data's units: *nw vectors, coef nw x p, intercepts nw. Borrowed. */
void linear_coef(const void *model, int *nw, const double **coef, const double **intercept);

/* The nw scores of one row of p features: intercept + sum coef_j x_j. */
void linear_scores(const void *model, const double *row, double *scores);

/* The probabilities of d's rows (n x nclass into out), as above. QE_ARG for another p. */
int linear_proba(const void *model, const struct cls_data *d, double *out, struct qerr *err);

/* Append the state (the layout above). */
void linear_save(const struct linear *m, struct buf *b);

/*
 * Read a state written by linear_save into *out, with at most max_class
 * classes, checking every count; vectors and steps name the method's score
 * vectors ("score vectors", "machines") and iterations ("iteration",
 * "pass") in the messages. QE_DATA when damaged.
 */
int linear_load(struct store_reader *r, int max_class, const char *vectors, const char *steps,
                struct linear **out, struct qerr *err);

/* Append the coefficient table `show` prints: a column per score vector, intercepts first. */
void linear_show_table(const struct linear *m, const char *const *names, struct buf *out);

#endif
