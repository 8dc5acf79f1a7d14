/*
 * nb.h: naive Bayes (the cls_method "nb", contract in classify.h).
 *
 * log P(c | x) = log P(c) + sum over the present features j of log P(x_j | c)
 * - log Z, with
 *   numeric j:      a Gaussian, mean and variance (population, 1/n) of the
 *                   class's training values, the variance plus
 *                   epsilon = var_smoothing * the largest variance of a
 *                   numeric feature over all training rows (as
 *                   scikit-learn's GaussianNB);
 *   categorical j:  (count(c, level) + alpha) / (count(c) + alpha L_j),
 *                   L_j the feature's levels (scikit-learn's CategoricalNB);
 * and P(c) the training shares or the priors given. A missing feature
 * (NaN, or a level code outside 0..L_j-1: a level unseen in training) is
 * left out of the sum. Everything is summed in log space; the
 * probabilities are exp(jll - logsumexp(jll)). A class with no present
 * value of a numeric feature takes that feature's mean and variance over
 * all classes (so it neither gains nor loses by the gap).
 */
#ifndef QUARRY_NB_H
#define QUARRY_NB_H

#include "classify/classify.h"

/* The method, for cls_methods[]. */
extern const struct cls_method cls_nb;
/* Its model store kind, "nb". */
extern const struct store_kind nb_kind;

#endif
