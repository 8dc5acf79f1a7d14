/*
 * metrics.h: how well a classifier's predictions match the truth.
 *
 * From the true and predicted class indices (and, where given, the
 * class probabilities) of n rows: the confusion matrix, accuracy,
 * balanced accuracy, precision, recall and F1 per class with their
 * macro and weighted means, Cohen's kappa; for two classes the ROC AUC
 * (ties by the Mann-Whitney formula), the PR AUC (average precision, as
 * scikit-learn's average_precision_score) of the positive class; and the
 * log loss (probabilities clipped to [eps, 1-eps], eps = 2^-52, and each
 * row renormalised, as scikit-learn 1.2's log_loss). Also the corrected
 * resampled t-test (Nadeau and Bengio 2003, as Weka's Experimenter uses
 * it) that compare runs on the folds of two models.
 *
 * Conventions follow scikit-learn: a 0/0 precision or recall is 0; the
 * balanced accuracy is the mean recall over the classes present in the
 * truth; kappa is NaN when the chance agreement is 1.
 */
#ifndef QUARRY_METRICS_H
#define QUARRY_METRICS_H

#include <stddef.h>

#include "base/qerr.h"

/* The scores of one set of predictions; per-class arrays have k entries. */
struct metrics {
    int k;               /* classes */
    long long n;         /* rows scored */
    long long *confusion; /* k x k, row-major: [true * k + predicted] */
    long long *support;  /* rows of each true class */
    double *precision, *recall, *f1;
    double accuracy, balanced_accuracy, kappa;
    double macro_precision, macro_recall, macro_f1;
    double weighted_precision, weighted_recall, weighted_f1;
    int positive;        /* the positive class for the binary scores, or -1 */
    double roc_auc, pr_auc; /* NaN unless k == 2 with probabilities and both classes present */
    double log_loss;     /* NaN without probabilities */
};

/*
 * Score n rows: y and pred hold class indices 0..k-1; proba (n x k,
 * row-major) may be NULL. positive is the class that the binary scores
 * (ROC AUC, PR AUC) are about (k == 2; -1 means class 1). Fills m (release
 * with metrics_release). QE_ARG for an index out of range; QE_NOMEM.
 */
int metrics_compute(const int *y, const int *pred, const double *proba, size_t n, int k,
                    int positive, struct metrics *m, struct qerr *err);
void metrics_release(struct metrics *m);

/*
 * ROC AUC of scores for rows whose is_pos is 1 against those where it is
 * 0: (R - P(P+1)/2) / (P N), R the sum of the positives' ranks among all
 * scores, tied scores sharing their mean rank (Mann-Whitney U / P N). NaN
 * when either class is empty. QE_NOMEM only.
 */
int metrics_roc_auc(const unsigned char *is_pos, const double *score, size_t n, double *auc,
                    struct qerr *err);
/*
 * Average precision: sum over the distinct thresholds, highest first, of
 * (R_i - R_{i-1}) P_i, as scikit-learn's average_precision_score. NaN
 * without positives.
 */
int metrics_average_precision(const unsigned char *is_pos, const double *score, size_t n,
                              double *ap, struct qerr *err);
/*
 * The ROC curve of scores: (0, 0), then at each distinct score, highest
 * first, the false and true positive rates of calling every row scored
 * at least that positive; ending at (1, 1). *fpr and *tpr (malloc'd, the
 * caller frees) hold *n points. QE_DATA when either class is empty;
 * QE_NOMEM.
 */
int metrics_roc_curve(const unsigned char *is_pos, const double *score, size_t n, double **fpr,
                      double **tpr, size_t *n_points, struct qerr *err);
/* Mean of -ln p(true class), p clipped and renormalised as above; proba is n x k. */
double metrics_log_loss(const int *y, const double *proba, size_t n, int k);

/*
 * The corrected resampled t-test of paired results a[i], b[i] (i < n, the
 * folds of repeated cross-validation): d = a - b, t = mean(d) /
 * sqrt((1/n + n_test/n_train) var(d)), var with n-1, df = n-1, p two-sided
 * from Student's t. When var(d) is 0: t = 0 and p = 1 if mean(d) = 0, else
 * t = +-inf and p = 0 (as Weka). n < 2 gives NaN for both.
 */
void metrics_ttest_corrected(const double *a, const double *b, int n, double test_train_ratio,
                             double *t, double *p);
/* P(|T| >= |t|) for Student's t with df degrees of freedom. */
double metrics_t_two_sided(double t, double df);

#endif
