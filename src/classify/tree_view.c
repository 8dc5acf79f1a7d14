/*
 * tree_view.c: the nodes of a fitted tree, or of one tree of a forest, as
 * the commands read them (tree_view, tree.h; plot tree). Apart from tree.c
 * and forest.c, which it reads both of, so that neither calls the other
 * back.
 */
#include "classify/tree.h"

#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "classify/tree_int.h"

#include "base/banned.h"

int
tree_view(const char *method, const void *model, int k, struct tree_view_node **nodes,
          size_t *n_nodes, int *n_trees, enum cls_criterion *crit, struct qerr *err)
{
    const struct tree *t = NULL;
    *nodes = NULL;
    *n_nodes = 0;
    if (strcmp(method, "tree") == 0) {
        *n_trees = 1;
        *crit = tree_model_criterion(model);
        t = k == 0 ? tree_model_tree(model) : NULL;
    } else if (strcmp(method, "forest") == 0) {
        t = forest_model_tree(model, k, n_trees, crit);
    } else {
        return qerr_set(err, QE_ARG, "a %s model has no tree to draw; plot tree draws a tree "
                                     "or a forest's tree", method);
    }
    if (!t)
        return qerr_set(err, QE_ARG, "tree=%d is outside 1..%d", k + 1, *n_trees);
    struct tree_view_node *v = xcalloc(t->n_nodes ? t->n_nodes : 1, sizeof *v);
    for (size_t i = 0; i < t->n_nodes; i++) {
        const struct tree_node *nd = &t->nodes[i];
        v[i] = (struct tree_view_node){.feature = nd->feature, .threshold = nd->threshold,
                                       .left = nd->left, .right = nd->right,
                                       .missing_left = nd->missing_left,
                                       .impurity = nd->impurity,
                                       .value = t->value + i * (size_t)t->nclass};
    }
    *nodes = v;
    *n_nodes = t->n_nodes;
    return 0;
}
