/*
 * plot_tree.c: a fitted tree as a node-link diagram (plot tree MODEL).
 *
 * The layout is the simple tidy one: the leaves side by side at x = 0, 1,
 * 2, ... in their left-to-right order, each split centred over its
 * children, one level per unit of depth. The figure needs no data block:
 * every edge is an arrow without a head and every text a label, with
 * coordinates formatted here and text through plot_quote, then an empty
 * plot draws the frame over the fixed range.
 */
#include "plot/plot.h"

#include <math.h>
#include <stdlib.h>

#include "base/banned.h"

/* Leaf colours, by class: the series colours of plot.c, darker for text. */
static const char *const leaf_colors[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd",
                                          "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
                                          "#17becf", "#ff7f0e"};
#define N_LEAF_COLORS (sizeof leaf_colors / sizeof leaf_colors[0])

int
plot_tree_layout(const struct plot_tree *t, double *x, double *y, struct qerr *err)
{
    int deepest = 0, next_leaf = 0;
    int *kids = xcalloc((size_t)t->n + 1, sizeof *kids);
    double *lo = xmalloc(((size_t)t->n + 1) * sizeof *lo);
    double *hi = xmalloc(((size_t)t->n + 1) * sizeof *hi);
    int rc = -1;
    for (int i = 0; i < t->n; i++) {
        int up = t->parent[i];
        if (up >= i || (i > 0 && up < 0) || (i == 0 && up != -1)) {
            qerr_set(err, QE_DATA, "tree node %d has the parent %d: a parent comes before its "
                                   "node, and only the first node has none", i, up);
            goto out;
        }
        y[i] = up < 0 ? 0 : y[up] - 1;
        if (-y[i] > deepest)
            deepest = (int)-y[i];
        if (up >= 0)
            kids[up]++;
    }
    /* Pre-order puts the leaves in their left-to-right order. */
    for (int i = 0; i < t->n; i++)
        if (kids[i] == 0)
            x[i] = next_leaf++;
    /* Children come after their parent: from the end, each split centred over its children. */
    for (int i = 0; i < t->n; i++) {
        lo[i] = INFINITY;
        hi[i] = -INFINITY;
    }
    for (int i = t->n - 1; i >= 0; i--) {
        if (kids[i] > 0)
            x[i] = (lo[i] + hi[i]) / 2;
        int up = t->parent[i];
        if (up >= 0) {
            lo[up] = fmin(lo[up], x[i]);
            hi[up] = fmax(hi[up], x[i]);
        }
    }
    rc = deepest;
out:
    free(kids);
    free(lo);
    free(hi);
    return rc;
}

/* `set label 'text' at x,y` with the rest of the options. */
static void
label(struct buf *b, const char *text, double x, double y, const char *opts)
{
    buf_adds(b, "set label ");
    plot_quote(b, text);
    buf_addf(b, " at %.6g,%.6g center noenhanced %s\n", x, y, opts);
}

int
plot_tree_gen(const struct plot_spec *p, int dumb, struct buf *b, struct qerr *err)
{
    const struct plot_tree *t = p->tree;
    double *x = xmalloc((size_t)t->n * sizeof *x), *y = xmalloc((size_t)t->n * sizeof *y);
    int deepest = plot_tree_layout(t, x, y, err);
    if (deepest < 0) {
        free(x);
        free(y);
        return -1;
    }
    int leaves = 0;
    for (int i = 0; i < t->n; i++)
        leaves = x[i] + 1 > leaves ? (int)x[i] + 1 : leaves;
    buf_adds(b, "unset key\nunset grid\nunset border\nunset tics\nunset colorbox\n");
    buf_addf(b, "set xrange [-0.7:%.6g]\nset yrange [%.6g:0.6]\n", leaves - 0.3,
             -deepest - 0.6);
    if (!dumb)
        buf_addf(b, "set style textbox opaque margins 2,2 border lc rgb '#9a9a9a'\n"
                    "set lmargin 1\nset rmargin 1\nset bmargin 1\n");
    const char *font = leaves > 12 ? "font ',7'" : leaves > 8 ? "font ',8'" : "font ',9'";
    for (int i = 1; i < t->n; i++) {
        int up = t->parent[i];
        /* From below the parent's two lines to the top of the child's box. */
        double y0 = y[up] - 0.22, y1 = y[i] + 0.12;
        double x0 = x[up] + (x[i] - x[up]) * 0.22, x1 = x[i] - (x[i] - x[up]) * 0.12;
        buf_addf(b, "set arrow from %.6g,%.6g to %.6g,%.6g nohead back%s\n", x0, y0, x1, y1,
                 dumb ? "" : " lw 1.2 lc rgb '#777777'");
        if (t->edge && t->edge[i]) {
            struct buf o = BUF_INIT;
            buf_addf(&o, "front %s", dumb ? "" : font);
            if (!dumb)
                buf_addf(&o, " tc rgb '%s'", t->edge[i][0] == 'y' ? "#2e7d32" : "#b71c1c");
            label(b, t->edge[i], (x0 + x1) / 2, (y0 + y1) / 2, o.data);
            buf_release(&o);
        }
    }
    for (int i = 0; i < t->n; i++) {
        struct buf o = BUF_INIT;
        int has_detail = t->detail && t->detail[i] && t->detail[i][0];
        if (dumb) {
            buf_adds(&o, "front");
        } else {
            buf_addf(&o, "front boxed %s", font);
            if (t->leaf && t->leaf[i])
                buf_addf(&o, " tc rgb '%s'",
                         leaf_colors[(t->group ? (unsigned)t->group[i] : 0u) % N_LEAF_COLORS]);
        }
        buf_adds(&o, !has_detail ? "" : dumb ? " offset 0,1" : " offset 0,0.55");
        label(b, t->label[i] ? t->label[i] : "", x[i], y[i], o.data);
        if (has_detail)
            label(b, t->detail[i], x[i], y[i],
                  dumb ? "front" : "front offset 0,-0.75 font ',8' "
                                                  "tc rgb '#444444'");
        buf_release(&o);
    }
    /* Nothing to plot but the frame the labels and arrows sit in. */
    buf_adds(b, "plot 1e300 notitle\n");
    free(x);
    free(y);
    return 0;
}
