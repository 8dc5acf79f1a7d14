/*
 * tree.h: the decision tree classifier (CART, as scikit-learn's
 * DecisionTreeClassifier), one method of classify.h.
 *
 * Options read: criterion (gini | entropy), maxdepth (0 = unlimited),
 * minleaf, minsplit; seed is not needed (every feature is tried at every
 * node, and a tie between splits goes to the lower feature, then the lower
 * threshold). Missing values are taken: a split is chosen on the rows
 * that have the feature, and the rows without it follow the child that got
 * more training rows, at fit and at predict time (tree_int.h). A leaf's
 * probabilities are its training rows' class shares.
 *
 * The state (kind "tree", version 1): the class and feature counts, the
 * criterion and limits, the feature names, then the nodes in pre-order,
 * each with its split, missing side, impurity, rows and class counts.
 */
#ifndef QUARRY_TREE_H
#define QUARRY_TREE_H

#include "base/buf.h"
#include "classify/classify.h"

extern const struct cls_method cls_tree;
extern const struct store_kind tree_kind;

/*
 * The path of one row (the model's p features, NaN = missing) through a
 * tree model, one line per split ("x3 = 1.2 <= 2.45 (gini 0.667): left")
 * and a last line with the leaf's class counts, into out. names: p
 * feature names, or NULL for the names kept at fit (x1, x2, ... without).
 */
void tree_trace(const void *model, const double *row, const char *const *names,
                struct buf *out);

/*
 * The p feature importances of a tree model into imp (room for p): each
 * feature's total impurity decrease over its splits, weighted by the rows
 * at the node, as a share of the tree's (scikit-learn's
 * feature_importances_); all 0 for a tree with no split.
 */
void tree_model_importance(const void *model, double *imp);

/* One node of a fitted tree as the commands read it (plot tree). */
struct tree_view_node {
    int feature;          /* -1: a leaf */
    double threshold;     /* rows with x <= threshold go left */
    int left, right;      /* the children, after the node (pre-order) */
    int missing_left;     /* 1: a missing value goes left */
    double impurity;      /* of the node's training rows */
    const double *value;  /* nclass weighted training class counts, borrowed from the model */
};

/*
 * The nodes of a fitted tree: that of a tree model (method "tree"), or
 * tree k (0-based) of a forest model ("forest"), into *nodes (a new
 * array of *n_nodes; the caller frees it, its values stay the model's).
 * *n_trees gets the number of trees (1 for a tree), *crit the criterion.
 * QE_ARG for another method or k out of range.
 */
int tree_view(const char *method, const void *model, int k, struct tree_view_node **nodes,
              size_t *n_nodes, int *n_trees, enum cls_criterion *crit, struct qerr *err);

#endif
