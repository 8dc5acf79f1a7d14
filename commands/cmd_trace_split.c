/*
 * cmd_trace_split.c: trace split (cmd_trace.h): the gini of every
 * candidate split of a table's rows, as a tree weighs them at its root
 * (src/classify/gini_trace.h), in a table and summed up per feature.
 */
#include "cmd_trace.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kit.h"
#include "classify/gini_trace.h"
#include "base/banned.h"

/* The node's rows: complete ones, classes and features compacted. */
struct node {
    long long n, skipped;
    int *y, nclass;
    char **classes;        /* borrowed from the frame, or owned numbers (owned_classes) */
    int owned_classes;
    int *feat;             /* frame column of each feature */
    int p;
    struct gini_feature *g;
    double *xs;            /* p * n numbers */
    int *codes;            /* p * n codes */
};

static void
node_release(struct node *nd)
{
    if (nd->owned_classes)
        for (int c = 0; c < nd->nclass; c++)
            free(nd->classes[c]);
    free(nd->classes);
    free(nd->y);
    free(nd->feat);
    free(nd->g);
    free(nd->xs);
    free(nd->codes);
}

static int
cmp_double(const void *a, const void *b)
{
    double u = *(const double *)a, v = *(const double *)b;
    return u < v ? -1 : u > v;
}

/* The target's classes: text levels as they are, numbers as their sorted distinct values. */
static int
classes_of(const struct frame *f, int tj, const long long *keep, struct node *nd,
           struct qerr *err)
{
    if (f->kind[tj] == FRAME_TEXT) {
        nd->nclass = f->n_levels[tj];
        nd->classes = calloc((size_t)nd->nclass + 1, sizeof *nd->classes);
        if (!nd->classes)
            return qerr_set(err, QE_NOMEM, "out of memory");
        for (int c = 0; c < nd->nclass; c++)
            nd->classes[c] = f->levels[tj][c];
        for (long long i = 0; i < nd->n; i++)
            nd->y[i] = f->code[tj][keep[i]];
        return 0;
    }
    double *u = malloc(sizeof *u * (size_t)(nd->n + 1));
    if (!u)
        return qerr_set(err, QE_NOMEM, "out of memory");
    for (long long i = 0; i < nd->n; i++)
        u[i] = frame_col(f, tj)[keep[i]];
    qsort(u, (size_t)nd->n, sizeof *u, cmp_double);
    long long m = 0;
    for (long long i = 0; i < nd->n; i++)
        if (m == 0 || u[i] != u[m - 1])
            u[m++] = u[i];
    if (m > 1000) {
        free(u);
        return qerr_set(err, QE_ARG, "target= has %lld distinct numbers; a class column has "
                        "few", m);
    }
    nd->nclass = (int)m;
    nd->owned_classes = 1;
    nd->classes = calloc((size_t)m + 1, sizeof *nd->classes);
    for (long long c = 0; nd->classes && c < m; c++) {
        struct buf b = BUF_INIT;
        buf_addf(&b, "%.15g", u[c]);
        nd->classes[c] = buf_detach(&b);
    }
    for (long long i = 0; nd->classes && i < nd->n; i++) {
        double v = frame_col(f, tj)[keep[i]];
        nd->y[i] = (int)((double *)bsearch(&v, u, (size_t)m, sizeof *u, cmp_double) - u);
    }
    free(u);
    return nd->classes ? 0 : qerr_set(err, QE_NOMEM, "out of memory");
}

/* Gather the rows without a missing value in the target or a feature. */
static int
node_make(const struct frame *f, int tj, struct node *nd, struct qerr *err)
{
    long long *keep = malloc(sizeof *keep * (size_t)(f->n_rows + 1));
    int rc = -1;
    nd->y = malloc(sizeof *nd->y * (size_t)(f->n_rows + 1));
    nd->g = calloc((size_t)nd->p + 1, sizeof *nd->g);
    nd->xs = malloc(sizeof *nd->xs * (size_t)(f->n_rows + 1) * (size_t)(nd->p + 1));
    nd->codes = malloc(sizeof *nd->codes * (size_t)(f->n_rows + 1) * (size_t)(nd->p + 1));
    if (!keep || !nd->y || !nd->g || !nd->xs || !nd->codes) {
        qerr_set(err, QE_NOMEM, "out of memory");
        goto out;
    }
    for (long long i = 0; i < f->n_rows; i++) {
        int ok = !frame_missing(f, tj, i);
        for (int j = 0; j < nd->p && ok; j++)
            ok = !frame_missing(f, nd->feat[j], i);
        if (ok)
            keep[nd->n++] = i;
    }
    nd->skipped = f->n_rows - nd->n;
    if (nd->n == 0) {
        qerr_set(err, QE_DATA, "no row has the target and every feature");
        goto out;
    }
    if (classes_of(f, tj, keep, nd, err) < 0)
        goto out;
    for (int j = 0; j < nd->p; j++) {
        int fj = nd->feat[j];
        double *x = nd->xs + (size_t)j * (size_t)nd->n;
        int *c = nd->codes + (size_t)j * (size_t)nd->n;
        for (long long i = 0; i < nd->n; i++) {
            x[i] = frame_col(f, fj)[keep[i]];
            c[i] = f->kind[fj] == FRAME_TEXT ? f->code[fj][keep[i]] : 0;
        }
        nd->g[j] = f->kind[fj] == FRAME_TEXT
                       ? (struct gini_feature){.code = c, .n_codes = f->n_levels[fj]}
                       : (struct gini_feature){.x = x};
    }
    rc = 0;
out:
    free(keep);
    return rc;
}

/* "age <= 32.5" or "outlook = sunny". */
static char *
cut_text(const struct frame *f, const struct node *nd, const struct gini_split *s)
{
    struct buf b = BUF_INIT;
    int fj = nd->feat[s->feature];
    if (nd->g[s->feature].x)
        buf_addf(&b, "%s <= %.6g", f->names[fj], s->threshold);
    else
        buf_addf(&b, "%s = %s", f->names[fj], f->levels[fj][s->code]);
    return buf_detach(&b);
}

static int
write_splits(struct cmd_ctx *ctx, const struct cmd_args *args, const char *name,
             const struct frame *f, const struct node *nd, const struct gini_trace *t,
             struct qerr *err)
{
    long long n = t->n_splits;
    size_t m = (size_t)(n ? n : 1);
    double *v = calloc(m * 6, sizeof *v);
    char **txt = calloc(m, sizeof *txt);
    const char **feat = calloc(m, sizeof *feat), **best = calloc(m, sizeof *best);
    int rc = -1;
    if (!v || !txt || !feat || !best) {
        qerr_set(err, QE_NOMEM, "out of memory for the trace");
        goto out;
    }
    for (long long i = 0; i < n; i++) {
        const struct gini_split *s = &t->splits[i];
        feat[i] = f->names[nd->feat[s->feature]];
        txt[i] = cut_text(f, nd, s);
        double cells[6] = {(double)s->n_left, (double)s->n_right, s->gini_left, s->gini_right,
                           s->weighted, s->gain};
        for (int c = 0; c < 6; c++)
            v[(size_t)c * (size_t)n + (size_t)i] = cells[c];
        best[i] = i == t->best ? "best" : NULL;
    }
    static const char *const cn[6] = {"left", "right", "gini_left", "gini_right", "weighted",
                                      "gain"};
    struct frame_out o[9] = {
        {.name = "feature", .decl = CATALOG_TEXT, .text = feat},
        {.name = "split", .decl = CATALOG_TEXT, .text = (const char *const *)txt},
    };
    for (int c = 0; c < 6; c++)
        o[2 + c] = (struct frame_out){.name = cn[c], .decl = c < 2 ? CATALOG_INTEGER
                                                                   : CATALOG_REAL,
                                      .num = v + (size_t)c * (size_t)n};
    o[8] = (struct frame_out){.name = "best", .decl = CATALOG_TEXT, .text = best};
    rc = kit_side_table(ctx, args, name, o, 9, n, err);
out:
    for (long long i = 0; txt && i < n; i++)
        free(txt[i]);
    free(txt);
    free((void *)feat);
    free((void *)best);
    free(v);
    return rc;
}

static void
say_splits(struct cmd_result *res, const struct frame *f, const struct node *nd,
           const struct gini_trace *t, const char *name)
{
    struct buf b = BUF_INIT;
    buf_addf(&b, "node of %lld rows:", nd->n);
    for (int c = 0; c < nd->nclass; c++)
        buf_addf(&b, "%s %s %lld", c ? "," : "", nd->classes[c], t->class_n[c]);
    buf_adds(&b, "\ngini = 1");
    for (int c = 0; c < nd->nclass; c++)
        buf_addf(&b, " - (%lld/%lld)^2", t->class_n[c], nd->n);
    buf_addf(&b, " = %.4f", t->gini);
    if (nd->skipped)
        buf_addf(&b, " (%lld row%s without the target or a feature left out)", nd->skipped,
                 kit_plural(nd->skipped));
    for (int j = 0; j < nd->p; j++) {
        long long cnt = 0, bj = -1;
        for (long long i = 0; i < t->n_splits; i++)
            if (t->splits[i].feature == j) {
                cnt++;
                if (bj < 0 || t->splits[i].gain > t->splits[bj].gain + 1e-12)
                    bj = i;
            }
        buf_addf(&b, "\n%s: %lld candidate%s", f->names[nd->feat[j]], cnt, kit_plural(cnt));
        if (bj < 0)
            continue;
        const struct gini_split *s = &t->splits[bj];
        char *txt = cut_text(f, nd, s);
        buf_addf(&b, "; best %s: left %lld (gini %.4f), right %lld (gini %.4f), weighted "
                 "%.4f, gain %.4f", txt, s->n_left, s->gini_left, s->n_right, s->gini_right,
                 s->weighted, s->gain);
        free(txt);
    }
    if (t->best >= 0) {
        char *txt = cut_text(f, nd, &t->splits[t->best]);
        buf_addf(&b, "\nbest split: %s (gain %.4f)", txt, t->splits[t->best].gain);
        free(txt);
    } else {
        buf_adds(&b, "\nno split: every feature is constant on these rows");
    }
    buf_addf(&b, "\n%lld candidate split%s in %s", t->n_splits, kit_plural(t->n_splits), name);
    result_text(res, "%s", b.data);
    buf_release(&b);
}

int
cmd_trace_split(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                struct qerr *err)
{
    struct frame *f = NULL;
    struct node nd = {0};
    struct gini_trace t = {0};
    const struct arg_val *cols = args_get(args, "cols");
    const char *target = args_str(args, "target");
    char *name = cmd_trace_table(args, "_split_trace");
    const char *claim[1] = {args->as ? NULL : name};
    int rc = -1, tj = -1;
    if (!args_given(args, "target")) {
        qerr_set(err, QE_ARG, "trace split needs target=, the class column");
        goto out;
    }
    if (kit_claim(ctx, args, NULL, NULL, 0, NULL, claim, 1, err) < 0 ||
        kit_read(ctx, args_str(args, "TABLE"), NULL, 0, 0, &f, err) < 0)
        goto out;
    nd.feat = calloc((size_t)f->n_cols + 1, sizeof *nd.feat);
    if (!nd.feat) {
        qerr_set(err, QE_NOMEM, "out of memory");
        goto out;
    }
    for (int j = 0; j < f->n_cols; j++) {
        int named = !args_given(args, "cols");
        for (int c = 0; c < cols->n_list && !named; c++)
            named = strcasecmp(cols->list[c], f->names[j]) == 0;
        if (strcasecmp(f->names[j], target) == 0)
            tj = j;
        else if (named)
            nd.feat[nd.p++] = j;
    }
    if (nd.p == 0) {
        qerr_set(err, QE_ARG, "no feature to split on: cols= names only the target");
        goto out;
    }
    if (node_make(f, tj, &nd, err) < 0 ||
        gini_trace_run(nd.y, nd.n, nd.nclass, nd.g, nd.p, &t, err) < 0 ||
        write_splits(ctx, args, name, f, &nd, &t, err) < 0)
        goto out;
    say_splits(res, f, &nd, &t, name);
    res->changed = 1;
    rc = 0;
out:
    free(name);
    gini_trace_release(&t);
    node_release(&nd);
    if (f)
        frame_release(f);
    return rc;
}
