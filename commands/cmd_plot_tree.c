/*
 * cmd_plot_tree.c: `plot tree MODEL`, a fitted decision tree (or one tree
 * of a forest, tree=N) as a node-link diagram: each split with its test
 * (col <= threshold; a one-hot text feature as col != level), each leaf
 * with its class and training counts, the edges marked yes and no, cut at
 * depth= levels below the root with a line saying what was left out.
 */
#include "plot_int.h"
#include "cmd_classify.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "classify/tree.h"

#include "base/banned.h"

/* The diagram being built: nodes in pre-order, as struct plot_tree wants. */
struct tdraw {
    struct job *j;
    const struct model *m;
    const struct tree_view_node *v;
    int depth;            /* the deepest level drawn */
    enum cls_criterion crit;
    int n, cap;
    int *parent, *group;
    char **label, **detail;
    const char **edge;
    unsigned char *leaf;
    int cut, cut_nodes;   /* subtrees cut at depth=, and their nodes */
};

static int
argmax_row(const double *v, int k)
{
    int best = 0;
    for (int c = 1; c < k; c++)
        if (v[c] > v[best])
            best = c;
    return best;
}

/* The nodes of the subtree at i. */
static int
subtree_nodes(const struct tree_view_node *v, int i)
{
    return v[i].feature < 0 ? 1 : 1 + subtree_nodes(v, v[i].left) + subtree_nodes(v, v[i].right);
}

/* The split's test, so that "yes" (the left child) is when it holds. */
static char *
node_test_text(const struct model *m, const struct tree_view_node *nd)
{
    const struct encoding *e = &m->enc;
    const char *name = e->names[nd->feature];
    struct buf b = BUF_INIT;
    int src = e->src[nd->feature];
    size_t cl = strlen(e->cols[src]);
    if (e->onehot && e->is_text[src] && strncmp(name, e->cols[src], cl) == 0 &&
        name[cl] == '=' && nd->threshold > 0 && nd->threshold < 1)
        buf_addf(&b, "%s != %s", e->cols[src], name + cl + 1); /* 0 (not the level) goes left */
    else
        buf_addf(&b, "%s <= %.4g", name, nd->threshold);
    return buf_detach(&b);
}

/* Class counts ("50 / 3 / 0") for a few classes, else the rows and the top class's share. */
static char *
counts_text(const struct model *m, const double *val)
{
    struct buf b = BUF_INIT;
    int k = m->enc.nclass;
    double tot = 0;
    for (int c = 0; c < k; c++)
        tot += val[c];
    if (k <= 4) {
        for (int c = 0; c < k; c++)
            buf_addf(&b, "%s%.4g", c ? " / " : "", val[c]);
    } else {
        buf_addf(&b, "n=%.4g, %.0f%% %s", tot, tot > 0 ? 100 * val[argmax_row(val, k)] / tot : 0,
                 m->enc.classes[argmax_row(val, k)]);
    }
    return buf_detach(&b);
}

static void
add_node(struct tdraw *d, int i, int up, const char *edge, int depth)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 64;
        d->parent = xrealloc(d->parent, (size_t)d->cap * sizeof *d->parent);
        d->group = xrealloc(d->group, (size_t)d->cap * sizeof *d->group);
        d->label = xrealloc(d->label, (size_t)d->cap * sizeof *d->label);
        d->detail = xrealloc(d->detail, (size_t)d->cap * sizeof *d->detail);
        d->edge = xrealloc(d->edge, (size_t)d->cap * sizeof *d->edge);
        d->leaf = xrealloc(d->leaf, (size_t)d->cap);
    }
    const struct tree_view_node *nd = &d->v[i];
    int k = d->m->enc.nclass, me = d->n++, best = argmax_row(nd->value, k);
    d->parent[me] = up;
    d->edge[me] = edge;
    d->group[me] = best;
    d->leaf[me] = nd->feature < 0 || depth >= d->depth;
    char *counts = counts_text(d->m, nd->value);
    struct buf b = BUF_INIT;
    if (nd->feature < 0) {
        d->label[me] = xstrdup(d->m->enc.classes[best]);
        d->detail[me] = counts;
        return;
    }
    if (depth >= d->depth) {
        int below = subtree_nodes(d->v, i) - 1;
        d->cut++;
        d->cut_nodes += below;
        buf_addf(&b, "%s ... (%d more nodes)", d->m->enc.classes[best], below);
        d->label[me] = buf_detach(&b);
        d->detail[me] = counts;
        return;
    }
    d->label[me] = node_test_text(d->m, nd);
    buf_addf(&b, "%s, %s %.3f", counts, d->crit == CLS_ENTROPY ? "entropy" : "gini",
             nd->impurity);
    free(counts);
    d->detail[me] = buf_detach(&b);
    add_node(d, d->v[i].left, me, "yes", depth + 1);
    add_node(d, d->v[i].right, me, "no", depth + 1);
}

int
pj_build_tree(struct job *j, struct cmd_result *res, struct qerr *err)
{
    const char *name = j->table;
    struct model m = {0};
    struct tree_view_node *v = NULL;
    size_t n_nodes = 0;
    int n_trees = 0, rc = -1;
    enum cls_criterion crit;
    struct tdraw d = {.j = j, .m = &m};
    int k = args_given(j->args, "tree") ? (int)args_int(j->args, "tree") - 1 : 0;
    if (model_load(j->ctx->cat, name, &m, err) < 0) {
        kit_fail_at(j->args, "TABLE", err);
        goto out;
    }
    if (args_given(j->args, "tree") && strcmp(m.method->name, "forest") != 0) {
        qerr_set(err, QE_ARG, "tree= picks one tree of a forest; %s is a %s model", name,
                 m.method->name);
        goto out;
    }
    if (tree_view(m.method->name, m.state, k, &v, &n_nodes, &n_trees, &crit, err) < 0)
        goto out;
    d.v = v;
    d.crit = crit;
    d.depth = (int)args_int(j->args, "depth");
    add_node(&d, 0, -1, NULL, 0);
    struct plot_tree *pt = pj_own(j, xcalloc(1, sizeof *pt));
    *pt = (struct plot_tree){.n = d.n, .parent = pj_own(j, d.parent),
                             .label = (const char *const *)pj_own(j, d.label),
                             .detail = (const char *const *)pj_own(j, d.detail),
                             .edge = pj_own(j, d.edge), .leaf = pj_own(j, d.leaf),
                             .group = pj_own(j, d.group)};
    for (int i = 0; i < d.n; i++) {
        pj_own(j, d.label[i]);
        pj_own(j, d.detail[i]);
    }
    d.parent = d.group = NULL;
    d.label = d.detail = NULL;
    d.edge = NULL;
    d.leaf = NULL;
    j->spec.tree = pt;
    j->n_rows = d.n;
    if (strcmp(m.method->name, "forest") == 0)
        pj_make_title(j, "%s: tree %d of %d (forest) for %s", name, k + 1, n_trees,
                      m.enc.target);
    else
        pj_make_title(j, "%s: decision tree for %s", name, m.enc.target);
    int forest = strcmp(m.method->name, "forest") == 0;
    result_text(res, "%zu nodes; a split's rows go left when its test holds (yes); the counts "
                     "are %s by class of %s",
                n_nodes, forest ? "the tree's bootstrap sample" : "the training rows",
                m.enc.target);
    if (d.cut)
        result_text(res, "cut at depth=%d: %d subtree%s of %d nodes drawn as one box each; "
                         "depth=N draws more",
                    d.depth, d.cut, d.cut == 1 ? "" : "s", d.cut_nodes);
    rc = 0;
out:
    free(v);
    model_release(&m);
    return rc;
}
