/*
 * logreg.h: logistic regression, binary and multinomial, L2-penalised,
 * fitted by L-BFGS (lbfgs.h); the method `logreg` of classify.h.
 *
 * What `explain logreg` can say:
 *
 *   Logistic regression models the probability of each class as a
 *   softmax of linear scores: score_k(x) = b_k + sum_j w_kj x_j and
 *   P(k | x) = exp(score_k) / sum_l exp(score_l). With two classes there
 *   is one score s(x) and P(second class | x) = 1 / (1 + exp(-s(x))), so
 *   a coefficient is the change in the log-odds for one unit of its
 *   feature. The fit minimises, as scikit-learn's
 *   LogisticRegression(solver='lbfgs') does,
 *       sum_i log-loss_i + ||w||^2 / (2 c)
 *   (the same minimum as 0.5 ||w||^2 + c * sum log-loss): c=1.0 is the
 *   inverse strength of the L2 penalty; a smaller c shrinks the
 *   coefficients towards 0. Intercepts are not penalised. Features are
 *   standardised inside the fit (each less its mean, over its population
 *   standard deviation; a constant feature is left as it is), so the
 *   penalty treats every feature alike whatever its unit; coefficients
 *   are reported back in the data's units. The minimiser is L-BFGS (10
 *   pairs, More-Thuente line search), stopping when every component of
 *   the gradient is within tol=1e-4, when the objective stops falling
 *   (relative decrease under 2.2e-9) or after max_iter=100 iterations;
 *   `show` says whether it converged and in how many iterations.
 */
#ifndef QUARRY_LOGREG_H
#define QUARRY_LOGREG_H

#include "classify/classify.h"

extern const struct cls_method cls_logreg;
extern const struct store_kind logreg_kind;

/*
 * The fitted model is a struct linear (linear.h): its status, coefficients
 * and scores are read with linear_status, linear_coef and linear_scores.
 */

#endif
