/*
 * tree_int.h: the CART builder and the fitted tree shared by the decision
 * tree (tree.c) and the random forest (forest.c); not for the commands.
 *
 * A fitted tree is an array of nodes in pre-order (a node's children come
 * after it, so every walk ends), each with its split or, for a leaf,
 * feature -1; value holds each node's weighted class counts (nclass per
 * node), so a leaf's probabilities are its class shares.
 *
 * The builder (tree_build.c) follows scikit-learn's BestSplitter and
 * DepthFirstTreeBuilder (sklearn/tree/_splitter.pyx, _tree.pyx): a node is
 * a leaf at maxdepth, below minsplit rows, below 2 x minleaf rows, or when
 * pure; otherwise the split with the largest impurity decrease among the
 * features tried (a random order; all of them, or max_features that are
 * not constant in the node) is taken, thresholds at the midpoint
 * a/2 + b/2 of two neighbouring values more than 1e-7 apart, rows with
 * x <= threshold going left, both children holding at least minleaf rows.
 * Each feature is sorted once (an LSD radix sort on the doubles' bits,
 * NaN last); a node's rows stay contiguous in every feature's sorted list,
 * and each split partitions the lists stably, so no node sorts again.
 *
 * Missing values (NaN): a split is chosen on the node's rows that have the
 * feature (the decrease is counted on them), and the rows without it go
 * to the child that got more training weight (the left on a tie); the
 * node records that side (missing_left), and prediction sends a NaN the
 * same way, at every node.
 */
#ifndef QUARRY_TREE_INT_H
#define QUARRY_TREE_INT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/qerr.h"
#include "base/rng.h"
#include "base/tick.h"
#include "classify/classify.h"
#include "data/store.h"

struct tree_node {
    double threshold;   /* x <= threshold goes left */
    double impurity;    /* gini, or entropy in bits, of the node's training rows */
    double weight;      /* weighted training rows (bootstrap counts in a forest) */
    int64_t n;          /* distinct training rows */
    int32_t feature;    /* -1: a leaf */
    int32_t left, right;
    int32_t missing_left; /* 1: a NaN goes left */
};

struct tree {
    int nclass;
    size_t p;
    size_t n_nodes;
    struct tree_node *nodes;
    double *value;      /* n_nodes x nclass weighted class counts */
};

struct tree_params {
    enum cls_criterion criterion;
    int maxdepth;       /* 0 = unlimited */
    int minleaf, minsplit;
    int max_features;   /* features tried per node; <= 0 or >= p: all */
    /* the tick's fraction while this tree grows: base + span x (rows placed in leaves) */
    double progress_base, progress_span;
};

/* One row's value of one feature, with its row and class: a sorted list's item. */
struct tree_entry {
    double v;
    int32_t row;
    int32_t y;
};

/*
 * The features' sorted lists: for each feature j, sorted + j * n holds the
 * n rows' entries by x[row * p + j] ascending (NaN last, rows in order
 * among equal keys). Made once (an LSD radix sort on the doubles' bits)
 * and read by every tree. *sorted is the caller's to free. n must be
 * below 2^31. t is ticked with fractions up to 0.1. Errors: QE_NOMEM, QE_INTERRUPT.
 */
int tree_presort(const double *x, size_t n, size_t p, const int *y, struct tick *t,
                 struct tree_entry **sorted, struct qerr *err);

/*
 * Copy into work (room for p x n) the entries of the rows with w[row] > 0,
 * feature by feature, keeping the order; returns m, the rows kept (work
 * then holds p lists of m).
 */
size_t tree_bag(const struct tree_entry *sorted, size_t n, size_t p, const int *w,
                struct tree_entry *work);

/*
 * Grow one tree on m rows given as p sorted lists of m entries (from
 * tree_presort, or tree_bag); the lists are reordered as the tree is
 * grown. n: the rows' index range (entries' row < n). w: each row's
 * weight (a bootstrap count), or NULL for 1 each. rng draws the feature
 * order at each node when max_features < p. t (may be NULL) is ticked as
 * nodes are made; stop (may be NULL) is polled, a nonzero value
 * interrupts. out is set on success (free it with tree_release).
 * Errors: QE_NOMEM, QE_INTERRUPT.
 */
int tree_build(struct tree_entry *e, size_t m, size_t n, size_t p, int nclass, const int *w,
               const struct tree_params *tp, struct rng *rng, struct tick *t, atomic_int *stop,
               struct tree *out, struct qerr *err);

/* Free a tree's arrays and zero it. */
void tree_release(struct tree *t);

/* The leaf that row (p features) reaches. */
size_t tree_leaf(const struct tree *t, const double *row);

/*
 * Add each feature's mean decrease in impurity to imp (p doubles), as
 * scikit-learn's Tree.compute_feature_importances(normalize=True): the
 * sum over a feature's splits of w*imp - wl*impl - wr*impr, over the root
 * weight, scaled to sum 1 (a tree with no split adds nothing). Returns 1
 * when the tree added something, else 0.
 */
int tree_importance_add(const struct tree *t, double *imp);

/* The depth of the tree (a lone root is 0) and its number of leaves. */
int tree_depth(const struct tree *t, size_t *leaves);

/* Append t's nodes and values with the store payload helpers. */
void tree_encode(const struct tree *t, struct buf *b);
/*
 * Read a tree written by tree_encode for nclass classes and p features,
 * checking every count and link (children after their parent, in range;
 * finite thresholds; nonnegative counts with a positive total at each
 * node), so a damaged payload is a QE_DATA error. out is set on success.
 */
int tree_decode(struct store_reader *r, int nclass, size_t p, struct tree *out,
                struct qerr *err);

/*
 * The rules of t as indented if/else lines into out, at most max_lines
 * of them (then a line saying how many nodes were left out). names: p
 * feature names, or NULL for x1, x2, ...
 */
void tree_show_rules(const struct tree *t, enum cls_criterion crit, const char *const *names,
                     size_t max_lines, struct buf *out);

/* Append p feature names (or the mark that there are none: names NULL). */
void tree_names_encode(struct buf *b, char *const *names, size_t p);
/*
 * Read p names written by tree_names_encode into *names (NULL when there
 * are none; free with tree_names_free). QE_DATA when damaged.
 */
int tree_names_decode(struct store_reader *r, size_t p, char ***names, struct qerr *err);
/* A copy of p names (NULL for NULL; a NULL name becomes ""). */
char **tree_names_dup(const char *const *names, size_t p);
/* Free p names from tree_names_dup or tree_names_decode (NULL is fine). */
void tree_names_free(char **names, size_t p);

/* The fitted tree inside a model of cls_tree (borrowed). */
const struct tree *tree_model_tree(const void *model);
/* The criterion a model of cls_tree was fitted with. */
enum cls_criterion tree_model_criterion(const void *model);

/*
 * Tree k of a forest model (borrowed), or NULL when k is out of range;
 * *n_trees gets their number and *crit the criterion.
 */
const struct tree *forest_model_tree(const void *model, int k, int *n_trees,
                                     enum cls_criterion *crit);

/*
 * The path of row (p features, NaN = missing) through t, one line per
 * split and a last line with the leaf's class counts, into out (as
 * tree_trace, tree.h). names: p feature names, or NULL for x1, x2, ...
 */
void tree_path(const struct tree *t, enum cls_criterion crit, const double *row,
               const char *const *names, struct buf *out);

/* "gini" or "entropy". */
const char *tree_criterion_name(enum cls_criterion c);

/*
 * Check what fitting a tree or forest needs of d and o: rows (fewer than
 * 2^31), classes in range, minleaf >= 1, minsplit >= 2, maxdepth >= 0.
 * 0, or -1 with err set (QE_ARG).
 */
int tree_check_fit(const struct cls_data *d, const struct cls_opts *o, struct qerr *err);

/* The worker threads for threads (0 = the machine's cores), at least 1. */
int tree_threads(int threads);

#endif
