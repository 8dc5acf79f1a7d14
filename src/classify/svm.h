/*
 * svm.h: the linear support vector machine, hinge loss, fitted by dual
 * coordinate descent as LIBLINEAR does; the method `svm` of classify.h.
 *
 * What `explain svm` can say:
 *
 *   A linear SVM scores each row with f(x) = b + sum_j w_j x_j and
 *   predicts by the sign of the score (two classes) or the largest score
 *   (one-vs-rest: one machine per class, its class against the rest). It
 *   minimises 0.5 ||w||^2 + c * sum_i max(0, 1 - y_i f(x_i)) (the hinge
 *   loss, y_i = +1 or -1), so rows beyond the margin cost nothing and c=1.0
 *   says how much a row inside the margin or on the wrong side costs: a
 *   smaller c gives a wider margin and a simpler model. As scikit-learn's
 *   LinearSVC(loss='hinge', dual=True) and LIBLINEAR do, the intercept is
 *   the weight of an extra constant feature 1 and is penalised with the
 *   others. Features are standardised inside the fit (each less its mean,
 *   over its population standard deviation), so every feature counts alike
 *   whatever its unit; coefficients are reported in the data's units. On
 *   standardised data the model is LinearSVC's. The solver is LIBLINEAR's
 *   dual coordinate descent (Hsieh et al. 2008): it visits the rows in a
 *   random order each pass (seed=), updates one dual variable at a time,
 *   sets aside rows that sit at a bound (shrinking), and stops when the
 *   projected gradients span no more than tol=1e-4, or after max_iter=1000
 *   passes (`show` says whether it converged).
 *
 *   Probabilities: an SVM gives scores, not probabilities. quarry turns
 *   them into probabilities by a fixed monotone map, so the class with the
 *   largest probability is always the class with the largest score: with
 *   two classes P(second class) = 1 / (1 + exp(-f(x))), with more a
 *   softmax of the per-class scores, P(k) = exp(f_k) / sum_l exp(f_l).
 *   They rank rows well (ROC AUC is meaningful) but are not calibrated:
 *   read them as scores on a 0..1 scale, not as frequencies.
 */
#ifndef QUARRY_SVM_H
#define QUARRY_SVM_H

#include "classify/classify.h"

extern const struct cls_method cls_svm;
extern const struct store_kind svm_kind;

/*
 * The fitted model is a struct linear (linear.h): linear_status gives the
 * most passes any machine took and whether all converged; linear_coef and
 * linear_scores its machines' coefficients and decision values.
 */

#endif
