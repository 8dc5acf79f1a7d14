/*
 * forest.h: the random forest classifier (bagged CART with feature
 * subsampling, as scikit-learn's RandomForestClassifier), one method of
 * classify.h.
 *
 * Options read: trees (100), features tried per split (0 = sqrt(p)
 * rounded down, at least 1; -1 = all), criterion, maxdepth, minleaf,
 * minsplit (as the tree, tree.h), seed and threads (0 = the machine's
 * cores). Each tree is grown on a bootstrap sample of the rows (n draws
 * with replacement, kept as counts) from its own random stream, made from
 * the seed and the tree's number, so a seed gives the same forest on any
 * number of threads. A row's probabilities are the mean of the trees'
 * leaf class shares. Missing values go as in the tree.
 *
 * Fitting also measures the out-of-bag accuracy (each row predicted by
 * the trees whose sample left it out) and the mean-decrease-impurity
 * importance of each feature (scikit-learn's feature_importances_: each
 * tree's normalised importances, averaged, scaled to sum 1).
 *
 * The state (kind "forest", version 1): the counts and options, the
 * out-of-bag accuracy and rows, the importances, the feature names, then
 * each tree as tree_encode writes it (tree_int.h).
 */
#ifndef QUARRY_FOREST_H
#define QUARRY_FOREST_H

#include <stddef.h>

#include "classify/classify.h"

extern const struct cls_method cls_forest;
extern const struct store_kind forest_kind;

/*
 * The out-of-bag accuracy of a forest model: the share of the training
 * rows left out of at least one tree's sample whose class the mean of
 * those trees predicts; NaN when no row was ever left out. rows (may be
 * NULL) gets the number of such rows.
 */
double forest_oob_accuracy_rows(const void *model, long long *rows);
/* As forest_oob_accuracy_rows without the rows. */
double forest_oob_accuracy(const void *model);

/*
 * The p feature importances of a forest model (mean decrease in
 * impurity, summing to 1; all 0 when no tree split), borrowed from the
 * model; *p gets their number.
 */
const double *forest_importance(const void *model, size_t *p);

#endif
