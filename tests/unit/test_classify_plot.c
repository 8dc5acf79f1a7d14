/*
 * test_classify_plot.c: plot tree's engine half (plot/plot.h, PLOT_TREE)
 * on a tree built by hand, without gnuplot:
 *
 *            0: x <= 2.5
 *          yes/       \no
 *      1: leaf a     2: c != p
 *                  yes/     \no
 *               3: leaf b   4: leaf a
 *
 * Layout by hand: the leaves 1, 3, 4 at x = 0, 1, 2; node 2 over its
 * children at 1.5, the root over 0 and 1.5 at 0.75; y = -depth. The
 * script: an arrow from 0.22 of the way down from the parent to 0.12
 * short of the child (root -> node 1: from 0.75 - 0.75 * 0.22 = 0.585,
 * -0.22 to 0.09, -0.88), the edge's label at that arrow's middle
 * (0.3375, -0.55), every text a quoted literal.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "plot/plot.h"

static const int parent[5] = {-1, 0, 0, 2, 2};
static const char *const label[5] = {"x <= 2.5", "a", "c != p", "b", "a'; system('x')"};
static const char *const detail[5] = {"2 / 2, gini 0.500", "2 / 0", "0 / 2", "0 / 1", "1 / 0"};
static const char *const edge[5] = {NULL, "yes", "no", "yes", "no"};
static const unsigned char leaf[5] = {0, 1, 0, 1, 1};
static const int group[5] = {0, 0, 1, 1, 0};

static void
test_layout(void)
{
    struct plot_tree t = {.n = 5, .parent = parent, .label = label};
    double x[5], y[5];
    struct qerr e = QERR_INIT;
    CHECK_INT(plot_tree_layout(&t, x, y, &e), 2);
    static const double wx[5] = {0.75, 0, 1.5, 1, 2}, wy[5] = {0, -1, -1, -2, -2};
    for (int i = 0; i < 5; i++) {
        CHECK_NEAR(x[i], wx[i], 1e-15);
        CHECK_NEAR(y[i], wy[i], 1e-15);
    }
    /* A parent after its node, or a second root: refused, not drawn wrong. */
    static const int bad[3] = {-1, 2, 0}, two_roots[3] = {-1, -1, 0};
    struct plot_tree tb = {.n = 3, .parent = bad, .label = label};
    CHECK(plot_tree_layout(&tb, x, y, &e) < 0 && e.code == QE_DATA);
    qerr_clear(&e);
    tb.parent = two_roots;
    CHECK(plot_tree_layout(&tb, x, y, &e) < 0 && e.code == QE_DATA);
    qerr_clear(&e);
    /* A lone root: one leaf at 0, depth 0. */
    struct plot_tree one = {.n = 1, .parent = parent, .label = label};
    CHECK_INT(plot_tree_layout(&one, x, y, &e), 0);
    CHECK_NEAR(x[0], 0, 0);
}

static void
test_script(void)
{
    struct plot_tree t = {.n = 5, .parent = parent, .label = label, .detail = detail,
                          .edge = edge, .leaf = leaf, .group = group};
    struct plot_spec p = {.kind = PLOT_TREE, .title = "m: decision tree for y", .tree = &t};
    struct plot_out o = {.term = PLOT_TERM_PNG, .width = 800, .height = 600};
    struct buf s = BUF_INIT;
    struct qerr e = QERR_INIT;
    CHECK_OK(plot_script(&p, &o, "out.png", 1, &s, &e), e);
    CHECK_HAS(s.data, "set xrange [-0.7:2.7]\nset yrange [-2.6:0.6]\n");
    CHECK_HAS(s.data, "set label 'x <= 2.5' at 0.75,0 center noenhanced front boxed");
    CHECK_HAS(s.data, "set label '2 / 2, gini 0.500' at 0.75,0 center noenhanced front "
                      "offset 0,-0.75");
    CHECK_HAS(s.data, "set arrow from 0.585,-0.22 to 0.09,-0.88 nohead back");
    CHECK_HAS(s.data, "set label 'yes' at 0.3375,-0.55 center noenhanced front");
    /* node 2 -> node 4 (no): from 1.5 + 0.5 * 0.22 = 1.61, -1.22 to 1.94, -1.88 */
    CHECK_HAS(s.data, "set arrow from 1.61,-1.22 to 1.94,-1.88 nohead back");
    CHECK_HAS(s.data, "set label 'no' at 1.775,-1.55 center noenhanced front");
    /* leaves in their class's colour: b (class 1) red, a (class 0) blue */
    CHECK_HAS(s.data, "set label 'b' at 1,-2 center noenhanced front boxed font ',9' tc rgb "
                      "'#d62728'");
    CHECK_HAS(s.data, "set label 'a''; system(''x'')' at 2,-2 center");
    CHECK(strstr(s.data, "$d0") == NULL); /* no data block: nothing but numbers and literals */
    CHECK_HAS(s.data, "plot 1e300 notitle\n");
    buf_release(&s);
    /* The text terminal: no boxes or colours, the first line a row above the node. */
    o = (struct plot_out){.term = PLOT_TERM_DUMB, .width = 60, .height = 20};
    CHECK_OK(plot_script(&p, &o, NULL, 1, &s, &e), e);
    CHECK_HAS(s.data, "set label 'x <= 2.5' at 0.75,0 center noenhanced front offset 0,1\n");
    CHECK(strstr(s.data, "boxed") == NULL);
    buf_release(&s);
    /* No nodes: an error, not an empty figure. */
    t.n = 0;
    CHECK(plot_script(&p, &o, NULL, 1, &s, &e) < 0 && e.code == QE_ARG);
    qerr_clear(&e);
    buf_release(&s);
}

int
main(void)
{
    test_layout();
    test_script();
    return check_done("test_classify_plot");
}
