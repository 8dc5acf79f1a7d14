/*
 * tree.c: the decision tree method (cls_tree), and what the tree and the
 * forest share around a fitted tree: its payload, its rules as text, the
 * thread count. The builder is in tree_build.c.
 */
#include "classify/tree.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/mem.h"
#include "classify/tree_int.h"

#include "base/banned.h"

const struct store_kind tree_kind = {
    .name = "tree",
    .is_transform = 0,
    .version = 1,
    .min_version = 1,
};

/* Limits a payload is checked against. */
#define TREE_MAX_NODES INT32_MAX
#define TREE_MAX_CLASSES 1000000
#define TREE_MAX_FEATURES 100000000
/* The show text stops after this many lines. */
#define TREE_SHOW_LINES 400

struct tree_model {
    struct tree t;
    enum cls_criterion criterion;
    int maxdepth, minleaf, minsplit;
    char **names; /* n_names (p), or NULL */
    size_t n_names;
};

const struct tree *
tree_model_tree(const void *model)
{
    return &((const struct tree_model *)model)->t;
}

int
tree_threads(int threads)
{
    if (threads > 0)
        return threads > 256 ? 256 : threads;
    long c = sysconf(_SC_NPROCESSORS_ONLN);
    return c < 1 ? 1 : c > 256 ? 256 : (int)c;
}

/* --- the payload of one tree --------------------------------------------------- */

void
tree_encode(const struct tree *t, struct buf *b)
{
    store_add_i64(b, (int64_t)t->n_nodes);
    for (size_t i = 0; i < t->n_nodes; i++) {
        const struct tree_node *nd = &t->nodes[i];
        store_add_i64(b, nd->feature);
        store_add_i64(b, nd->left);
        store_add_i64(b, nd->right);
        store_add_i64(b, nd->missing_left);
        store_add_i64(b, nd->n);
        store_add_f64(b, nd->threshold);
        store_add_f64(b, nd->impurity);
        store_add_f64(b, nd->weight);
        store_add_f64s(b, t->value + i * (size_t)t->nclass, (size_t)t->nclass);
    }
}

/* Check node i of t (read already): links, numbers, counts. */
static int
node_check(struct store_reader *r, const struct tree *t, size_t i, struct qerr *err)
{
    const struct tree_node *nd = &t->nodes[i];
    const double *v = t->value + i * (size_t)t->nclass;
    if (nd->feature < -1 || nd->feature >= (int64_t)t->p)
        return store_read_fail(r, err, "node %zu splits on feature %d of %zu", i,
                               (int)nd->feature, t->p);
    if (nd->feature < 0 ? (nd->left != -1 || nd->right != -1)
                        : (nd->left <= (int64_t)i || nd->right <= (int64_t)i ||
                           nd->left >= (int64_t)t->n_nodes || nd->right >= (int64_t)t->n_nodes ||
                           nd->left == nd->right))
        return store_read_fail(r, err, "node %zu has the children %d and %d", i, (int)nd->left,
                               (int)nd->right);
    if ((nd->missing_left != 0 && nd->missing_left != 1) || nd->n < 1 ||
        !isfinite(nd->threshold) || !isfinite(nd->impurity) || nd->impurity < 0 ||
        !isfinite(nd->weight) || nd->weight <= 0)
        return store_read_fail(r, err, "node %zu holds an impossible value", i);
    double sum = 0;
    for (int k = 0; k < t->nclass; k++) {
        if (!isfinite(v[k]) || v[k] < 0)
            return store_read_fail(r, err, "node %zu has a class count of %g", i, v[k]);
        sum += v[k];
    }
    if (fabs(sum - nd->weight) > 1e-9 * nd->weight)
        return store_read_fail(r, err, "node %zu has class counts that do not sum to %g", i,
                               nd->weight);
    return 0;
}

int
tree_decode(struct store_reader *r, int nclass, size_t p, struct tree *out, struct qerr *err)
{
    int64_t nn, v[5];
    memset(out, 0, sizeof *out);
    out->nclass = nclass;
    out->p = p;
    size_t node_bytes = 8 * (8 + (size_t)nclass);
    if (store_read_count(r, node_bytes, TREE_MAX_NODES, &nn, err) < 0)
        return -1;
    if (nn < 1)
        return store_read_fail(r, err, "a tree has no nodes");
    out->n_nodes = (size_t)nn;
    out->nodes = mem_alloc((size_t)nn, sizeof *out->nodes, "tree", "nodes", err);
    out->value = mem_alloc(mem_mul((size_t)nn, (size_t)nclass), sizeof *out->value, "tree",
                           "node counts", err);
    if (!out->nodes || !out->value)
        goto fail;
    for (size_t i = 0; i < (size_t)nn; i++) {
        struct tree_node *nd = &out->nodes[i];
        for (int k = 0; k < 5; k++)
            store_read_i64(r, &v[k], err);
        store_read_f64(r, &nd->threshold, err);
        store_read_f64(r, &nd->impurity, err);
        store_read_f64(r, &nd->weight, err);
        store_read_f64s(r, out->value + i * (size_t)nclass, (size_t)nclass, err);
        if (r->failed)
            goto fail;
        if (v[0] < -1 || v[0] > INT32_MAX || v[1] < -1 || v[1] > INT32_MAX || v[2] < -1 ||
            v[2] > INT32_MAX) {
            store_read_fail(r, err, "node %zu has a link out of range", i);
            goto fail;
        }
        nd->feature = (int32_t)v[0];
        nd->left = (int32_t)v[1];
        nd->right = (int32_t)v[2];
        nd->missing_left = v[3] == 0 || v[3] == 1 ? (int32_t)v[3] : 2;
        nd->n = v[4];
        if (node_check(r, out, i, err) < 0)
            goto fail;
    }
    return 0;
fail:
    tree_release(out);
    return -1;
}

/* --- the rules as text ----------------------------------------------------------- */

struct show {
    const struct tree *t;
    enum cls_criterion crit;
    const char *const *names;
    size_t lines, max_lines, shown;
    struct buf *out;
};

static void
add_name(struct buf *out, const char *const *names, int f)
{
    if (names && names[f])
        buf_adds(out, names[f]);
    else
        buf_addf(out, "x%d", f + 1);
}

/* The node's rows and class counts: "150 rows: 50 50 50". */
static void
add_counts(struct buf *out, const struct tree *t, size_t i)
{
    const double *v = t->value + i * (size_t)t->nclass;
    buf_addf(out, "%lld %s:", (long long)t->nodes[i].n, t->nodes[i].n == 1 ? "row" : "rows");
    for (int k = 0; k < t->nclass; k++)
        buf_addf(out, " %.10g", v[k]);
}

static int
argmax(const double *v, int n)
{
    int best = 0;
    for (int k = 1; k < n; k++)
        if (v[k] > v[best])
            best = k;
    return best;
}

/* The subtree below node i at depth d, while lines are left; counts the nodes shown. */
static void
show_node(struct show *s, size_t i, int d)
{
    const struct tree *t = s->t;
    const struct tree_node *nd = &t->nodes[i];
    if (s->lines >= s->max_lines)
        return; /* this subtree is left out; tree_show_rules counts what was shown */
    s->shown++;
    s->lines++;
    buf_addn(s->out, ' ', (size_t)d * 4);
    if (nd->feature < 0) {
        buf_addf(s->out, "class %d  (",
                 argmax(t->value + i * (size_t)t->nclass, t->nclass));
        add_counts(s->out, t, i);
        buf_addf(s->out, "; %s %.4f)\n", tree_criterion_name(s->crit), nd->impurity);
        return;
    }
    buf_adds(s->out, "if ");
    add_name(s->out, s->names, nd->feature);
    buf_addf(s->out, " <= %.10g  (%s %.4f, ", nd->threshold, tree_criterion_name(s->crit),
             nd->impurity);
    add_counts(s->out, t, i);
    buf_addf(s->out, "; missing go %s)\n", nd->missing_left ? "left" : "right");
    show_node(s, (size_t)nd->left, d + 1);
    if (s->lines < s->max_lines) {
        s->lines++;
        buf_addn(s->out, ' ', (size_t)d * 4);
        buf_adds(s->out, "else\n");
    }
    show_node(s, (size_t)nd->right, d + 1);
}

void
tree_show_rules(const struct tree *t, enum cls_criterion crit, const char *const *names,
                size_t max_lines, struct buf *out)
{
    struct show s = {.t = t, .crit = crit, .names = names, .max_lines = max_lines, .out = out};
    if (t->n_nodes == 0)
        return;
    show_node(&s, 0, 0);
    if (s.shown < t->n_nodes)
        buf_addf(out, "... %zu more nodes not shown\n", t->n_nodes - s.shown);
}

/* --- the method ------------------------------------------------------------------ */

static void
tm_release(void *model)
{
    struct tree_model *m = model;
    if (!m)
        return;
    tree_release(&m->t);
    tree_names_free(m->names, m->n_names);
    free(m);
}

int
tree_check_fit(const struct cls_data *d, const struct cls_opts *o, struct qerr *err)
{
    if (d->n == 0)
        return qerr_set(err, QE_ARG, "no rows to train on");
    if (d->n >= INT32_MAX)
        return qerr_set(err, QE_ARG, "%zu rows are too many for a tree (at most %d)", d->n,
                        INT32_MAX - 1);
    if (d->nclass < 1 || d->nclass > TREE_MAX_CLASSES)
        return qerr_set(err, QE_ARG, "%d classes are outside 1..%d", d->nclass,
                        TREE_MAX_CLASSES);
    if (o->minleaf < 1 || o->minsplit < 2 || o->maxdepth < 0)
        return qerr_set(err, QE_ARG, "minleaf must be 1 or more, minsplit 2 or more and "
                        "maxdepth 0 (unlimited) or more");
    for (size_t i = 0; i < d->n; i++)
        if (d->y[i] < 0 || d->y[i] >= d->nclass)
            return qerr_set(err, QE_ARG, "row %zu has the class %d, outside 0..%d", i + 1,
                            d->y[i], d->nclass - 1);
    return 0;
}

static int
tm_fit(const struct cls_data *d, const struct cls_opts *o, struct tick *t, void **model,
       struct qerr *err)
{
    int rc = -1;
    struct tree_entry *sorted = NULL;
    struct tree_model *m = NULL;
    *model = NULL;
    if (tree_check_fit(d, o, err) < 0)
        return -1;
    m = xcalloc(1, sizeof *m);
    m->t.p = d->p;
    m->criterion = o->criterion;
    m->maxdepth = o->maxdepth;
    m->minleaf = o->minleaf;
    m->minsplit = o->minsplit;
    if (tree_presort(d->x, d->n, d->p, d->y, t, &sorted, err) < 0)
        goto out;
    struct tree_params tp = {.criterion = o->criterion, .maxdepth = o->maxdepth,
                             .minleaf = o->minleaf, .minsplit = o->minsplit,
                             .max_features = 0, .progress_base = 0.1,
                             .progress_span = 0.9};
    struct rng rng;
    rng_init(&rng, o->seed);
    if (tree_build(sorted, d->n, d->n, d->p, d->nclass, NULL, &tp, &rng, t, NULL, &m->t, err) < 0)
        goto out;
    m->names = tree_names_dup(d->names, d->p);
    m->n_names = d->p;
    *model = m;
    m = NULL;
    rc = 0;
out:
    free(sorted);
    tm_release(m);
    return rc;
}

static int
tm_proba(const void *model, const struct cls_data *d, double *out, struct qerr *err)
{
    const struct tree_model *m = model;
    const struct tree *t = &m->t;
    if (d->p != t->p)
        return qerr_set(err, QE_ARG, "the tree was fitted on %zu features, not %zu", t->p, d->p);
    size_t c = (size_t)t->nclass;
    for (size_t i = 0; i < d->n; i++) {
        size_t leaf = tree_leaf(t, d->x + i * d->p);
        const double *v = t->value + leaf * c;
        double w = t->nodes[leaf].weight;
        for (size_t k = 0; k < c; k++)
            out[i * c + k] = v[k] / w;
    }
    return 0;
}

static int
tm_save(const void *model, struct buf *b, struct qerr *err)
{
    const struct tree_model *m = model;
    store_add_i64(b, m->t.nclass);
    store_add_i64(b, (int64_t)m->t.p);
    store_add_i64(b, m->criterion);
    store_add_i64(b, m->maxdepth);
    store_add_i64(b, m->minleaf);
    store_add_i64(b, m->minsplit);
    tree_names_encode(b, m->names, m->t.p);
    tree_encode(&m->t, b);
    return 0;
}

void
tree_names_encode(struct buf *b, char *const *names, size_t p)
{
    store_add_i64(b, names != NULL);
    for (size_t j = 0; names && j < p; j++)
        store_add_str(b, names[j]);
}

char **
tree_names_dup(const char *const *names, size_t p)
{
    if (!names)
        return NULL;
    char **nm = xcalloc(p ? p : 1, sizeof *nm);
    for (size_t j = 0; j < p; j++)
        nm[j] = xstrdup(names[j] ? names[j] : "");
    return nm;
}

void
tree_names_free(char **names, size_t p)
{
    for (size_t j = 0; names && j < p; j++)
        free(names[j]);
    free(names);
}

int
tree_names_decode(struct store_reader *r, size_t p, char ***names, struct qerr *err)
{
    int64_t has;
    *names = NULL;
    if (store_read_i64(r, &has, err) < 0)
        return -1;
    if (has != 0 && has != 1)
        return store_read_fail(r, err, "the names flag is %lld", (long long)has);
    if (!has)
        return 0;
    if (p > (r->len - r->pos) / 4)
        return store_read_fail(r, err, "%zu feature names need more than the bytes left", p);
    char **nm = xcalloc(p ? p : 1, sizeof *nm);
    for (size_t j = 0; j < p; j++)
        if (store_read_str(r, &nm[j], err) < 0) {
            for (size_t k = 0; k < j; k++)
                free(nm[k]);
            free(nm);
            return -1;
        }
    *names = nm;
    return 0;
}

static int
tm_load(struct store_reader *r, void **model, struct qerr *err)
{
    int64_t v[6];
    *model = NULL;
    for (int k = 0; k < 6; k++)
        store_read_i64(r, &v[k], err);
    if (r->failed)
        return -1;
    if (v[0] < 1 || v[0] > TREE_MAX_CLASSES || v[1] < 0 || v[1] > TREE_MAX_FEATURES ||
        (v[2] != CLS_GINI && v[2] != CLS_ENTROPY) || v[3] < 0 || v[3] > INT32_MAX ||
        v[4] < 1 || v[4] > INT32_MAX || v[5] < 2 || v[5] > INT32_MAX)
        return store_read_fail(r, err, "its header holds an impossible value");
    struct tree_model *m = xcalloc(1, sizeof *m);
    m->t.p = (size_t)v[1];
    m->criterion = (enum cls_criterion)v[2];
    m->maxdepth = (int)v[3];
    m->minleaf = (int)v[4];
    m->minsplit = (int)v[5];
    if (tree_names_decode(r, (size_t)v[1], &m->names, err) == 0 && m->names)
        m->n_names = (size_t)v[1];
    if (r->failed ||
        tree_decode(r, (int)v[0], (size_t)v[1], &m->t, err) < 0 || store_read_end(r, err) < 0) {
        tm_release(m);
        return -1;
    }
    *model = m;
    return 0;
}

static int
tm_show(const void *model, const char *const *names, struct buf *out, struct qerr *err)
{
    const struct tree_model *m = model;
    size_t leaves;
    int depth = tree_depth(&m->t, &leaves);
    if (!names)
        names = (const char *const *)m->names;
    buf_addf(out, "decision tree (CART): criterion %s, maxdepth ",
             tree_criterion_name(m->criterion));
    if (m->maxdepth)
        buf_addf(out, "%d", m->maxdepth);
    else
        buf_adds(out, "unlimited");
    buf_addf(out, ", minleaf %d, minsplit %d\n", m->minleaf, m->minsplit);
    buf_addf(out, "%zu nodes, %zu leaves, depth %d, %lld training rows, %zu features, "
             "%d classes\n", m->t.n_nodes, leaves, depth, (long long)m->t.nodes[0].n, m->t.p,
             m->t.nclass);
    double *imp = xcalloc(m->t.p ? m->t.p : 1, sizeof *imp);
    size_t *ord = xmalloc((m->t.p ? m->t.p : 1) * sizeof *ord), shown = 0;
    tree_model_importance(m, imp);
    for (size_t j = 0; j < m->t.p; j++)
        ord[j] = j;
    for (size_t a = 1; a < m->t.p; a++) /* insertion sort: largest first, ties by position */
        for (size_t b = a; b > 0 && imp[ord[b]] > imp[ord[b - 1]]; b--) {
            size_t tmp = ord[b];
            ord[b] = ord[b - 1];
            ord[b - 1] = tmp;
        }
    buf_addf(out, "importance (mean decrease in %s):", tree_criterion_name(m->criterion));
    for (size_t j = 0; j < m->t.p && j < 10 && imp[ord[j]] > 0; j++, shown++) {
        buf_adds(out, j ? ", " : " ");
        add_name(out, names, (int)ord[j]);
        buf_addf(out, " %.4f", imp[ord[j]]);
    }
    if (!shown)
        buf_adds(out, " none (no split)");
    buf_addc(out, '\n');
    free(imp);
    free(ord);
    tree_show_rules(&m->t, m->criterion, names, TREE_SHOW_LINES, out);
    return 0;
}

void
tree_model_importance(const void *model, double *imp)
{
    const struct tree_model *m = model;
    memset(imp, 0, (m->t.p ? m->t.p : 1) * sizeof *imp);
    tree_importance_add(&m->t, imp);
}

void
tree_path(const struct tree *t, enum cls_criterion crit, const double *row,
          const char *const *names, struct buf *out)
{
    size_t i = 0;
    while (t->nodes[i].feature >= 0) {
        const struct tree_node *nd = &t->nodes[i];
        double v = row[nd->feature];
        int left = isnan(v) ? nd->missing_left : v <= nd->threshold;
        add_name(out, names, nd->feature);
        if (isnan(v))
            buf_addf(out, " missing (%s %.4f): %s, as most training rows\n",
                     tree_criterion_name(crit), nd->impurity, left ? "left" : "right");
        else
            buf_addf(out, " = %.10g %s %.10g (%s %.4f): %s\n", v, left ? "<=" : ">",
                     nd->threshold, tree_criterion_name(crit), nd->impurity,
                     left ? "left" : "right");
        i = (size_t)(left ? nd->left : nd->right);
    }
    buf_addf(out, "leaf: class %d (", argmax(t->value + i * (size_t)t->nclass, t->nclass));
    add_counts(out, t, i);
    buf_adds(out, ")\n");
}

void
tree_trace(const void *model, const double *row, const char *const *names, struct buf *out)
{
    const struct tree_model *m = model;
    tree_path(&m->t, m->criterion, row, names ? names : (const char *const *)m->names, out);
}

const struct cls_method cls_tree = {
    .name = "tree",
    .kind = &tree_kind,
    .takes_missing = 1,
    .takes_categorical = 0,
    .fit = tm_fit,
    .proba = tm_proba,
    .save = tm_save,
    .load = tm_load,
    .show = tm_show,
    .release = tm_release,
    .trace = tree_trace,
};

enum cls_criterion
tree_model_criterion(const void *model)
{
    return ((const struct tree_model *)model)->criterion;
}
