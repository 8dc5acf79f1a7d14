/*
 * cmd_plot_kinds.c: the plot kinds that summarise before they draw: hist
 * (bins), heatmap and confusion (cells), bar (groups), corr (a fitted
 * line), dendrogram (a merge table), and the defaults of loss and elbow.
 */
#include "plot_int.h"
#include "kit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/banned.h"

int
pj_build_hist(struct job *j, struct cmd_result *res, struct qerr *err)
{
    if (pj_need(j, "col", err) < 0)
        return -1;
    const char *names[2] = {args_str(j->args, "col"), args_str(j->args, "by")};
    int n = args_given(j->args, "by") ? 2 : 1;
    const char *bins_s = args_str(j->args, "bins");
    int bins = 0;
    if (strcasecmp(bins_s, "auto") != 0) {
        char *end;
        long v = strtol(bins_s, &end, 10);
        if (!*bins_s || *end || v < 1 || v > 200)
            return qerr_set(err, QE_ARG, "bins must be auto or a whole number from 1 to 200, "
                                         "not '%s'", bins_s);
        bins = (int)v;
    }
    if (pj_read_cols(j, names, n, err) < 0)
        return -1;
    struct pcol *c = &j->cols[0];
    if (c->is_text && !c->is_time)
        return qerr_set(err, QE_ARG, "hist needs numbers, and '%s' is text; try plot bar %s "
                                     "x=%s", c->name, j->table, c->name);
    pj_sample(j, res);
    double lo, width;
    int nb;
    if (plot_hist_bins(c->v, j->n_rows, bins, kit_progress, j->ctx, &lo, &width, &nb,
                       err) < 0)
        return -1;
    int *codes = NULL, n_groups = 1;
    if (n == 2) {
        if (pj_groups_of(j, &j->cols[1], 1, &codes, err) < 0)
            return -1;
        n_groups = j->cats[1].n;
    }
    double *centres = pj_own(j, xmalloc((size_t)nb * sizeof *centres));
    for (int b = 0; b < nb; b++)
        centres[b] = lo + width * (b + 0.5);
    for (int g = 0; g < n_groups; g++) {
        long long m;
        double *v = codes ? pj_gather(j, c->v, codes, g, j->n_rows, &m) : c->v;
        if (!codes)
            m = j->n_rows;
        double *counts = pj_own(j, xmalloc((size_t)nb * sizeof *counts));
        plot_hist_count(v, m, lo, width, nb, counts);
        struct plot_series *s = pj_add_series(j);
        s->x = centres;
        s->y = counts;
        s->n = nb;
        if (codes) {
            struct buf b = BUF_INIT;
            buf_addf(&b, "%s %s", j->cols[1].name, j->cats[1].names[g]);
            s->name = pj_own(j, buf_detach(&b));
        }
    }
    if (c->is_time)
        j->spec.xaxis = PLOT_AXIS_TIME;
    j->spec.box_width = width;
    j->spec.xlabel = c->name;
    j->spec.ylabel = "rows";
    pj_make_title(j, "%s: histogram of %s, %d bin%s of width %.4g", j->table, c->name, nb,
                  nb == 1 ? "" : "s", width);
    return 0;
}

/* Combine z over the rows that fall in each cell (plot_aggregate), NaN for empty cells. */
static double *
aggregate(struct job *j, const int *cx, const int *cy, int nx, int ny, const double *z,
          enum plot_agg agg, struct qerr *err)
{
    double *acc = pj_own(j, xmalloc((size_t)nx * (size_t)ny * sizeof *acc + 1));
    return plot_aggregate(cx, cy, j->n_rows, nx, ny, z, agg, acc, err) < 0 ? NULL : acc;
}

/* A column name from the table when it exists (case-insensitive), else NULL. */
static const char *
find_col(struct job *j, const char *const *cands, int index_fallback, char **owned_name)
{
    char **names = NULL;
    int n = 0;
    struct qerr e = QERR_INIT;
    const char *hit = NULL;
    if (cmd_table_columns(j->ctx, j->table, &names, NULL, &n, &e) == 0) {
        for (int c = 0; cands && cands[c] && !hit; c++)
            for (int i = 0; i < n && !hit; i++)
                if (strcasecmp(names[i], cands[c]) == 0)
                    hit = *owned_name = xstrdup(names[i]);
        if (!hit && index_fallback >= 0 && index_fallback < n)
            hit = *owned_name = xstrdup(names[index_fallback]);
    }
    qerr_clear(&e);
    cmd_free_names(names, n);
    if (hit)
        pj_own(j, *owned_name);
    return hit;
}

int
pj_build_matrix(struct job *j, struct cmd_result *res, struct qerr *err)
{
    int conf = j->kind == PLOT_CONFUSION;
    const char *names[3];
    char *tmp = NULL;
    static const char *const pred[] = {"predicted", "prediction", "pred", NULL};
    static const char *const act[] = {"actual", "truth", "true", "label", NULL};
    static const char *const cnt[] = {"count", "n", NULL};
    if (!conf && (pj_need(j, "x", err) < 0 || pj_need(j, "y", err) < 0))
        return -1;
    names[0] = args_given(j->args, "x") ? args_str(j->args, "x") : find_col(j, pred, 1, &tmp);
    names[1] = args_given(j->args, "y") ? pj_ycol_name(j, 0) : find_col(j, act, 0, &tmp);
    names[2] = args_given(j->args, "z") ? args_str(j->args, "z")
               : conf                   ? find_col(j, cnt, -1, &tmp)
                                        : NULL;
    if (!names[0] || !names[1])
        return qerr_set(err, QE_ARG, "plot confusion needs two columns: x=PREDICTED y=ACTUAL");
    enum plot_agg agg = conf ? PLOT_AGG_SUM : (enum plot_agg)args_choice(j->args, "agg");
    if (!names[2] && !conf && agg != PLOT_AGG_COUNT)
        return qerr_set(err, QE_ARG, "plot heatmap needs z=COLUMN (or agg=count to count rows)");
    if (pj_read_cols(j, names, names[2] ? 3 : 2, err) < 0)
        return -1;
    int *cx = pj_own(j, xmalloc((size_t)(j->n_rows ? j->n_rows : 1) * sizeof *cx));
    int *cy = pj_own(j, xmalloc((size_t)(j->n_rows ? j->n_rows : 1) * sizeof *cy));
    if (pcats_make(j->ctx, &j->cols[0], MAX_CATS, &j->cats[0], cx, err) < 0 ||
        pcats_make(j->ctx, &j->cols[1], MAX_CATS, &j->cats[1], cy, err) < 0)
        return -1;
    if (conf) {
        /* One list of classes on both axes, so the diagonal is right. */
        struct pcol both = {.name = j->cols[0].name, .n = 2 * j->n_rows};
        int text = j->cols[0].text || j->cols[1].text;
        both.v = pj_own(j, xmalloc((size_t)(both.n ? both.n : 1) * sizeof *both.v));
        if (text)
            both.text = pj_own(j, xcalloc((size_t)(both.n ? both.n : 1), sizeof *both.text));
        for (int a = 0; a < 2; a++) {
            for (long long i = 0; i < j->n_rows; i++) {
                both.v[a * j->n_rows + i] = j->cols[a].v[i];
                if (text)
                    both.text[a * j->n_rows + i] =
                        j->cols[a].text ? j->cols[a].text[i] : NULL;
            }
        }
        if (text && (!j->cols[0].text || !j->cols[1].text))
            return qerr_set(err, QE_ARG, "predicted and actual must both be text or both be "
                                         "numbers");
        int *codes = pj_own(j, xmalloc((size_t)(both.n ? both.n : 1) * sizeof *codes));
        pcats_free(&j->cats[0]);
        pcats_free(&j->cats[1]);
        if (pcats_make(j->ctx, &both, MAX_CATS, &j->cats[2], codes, err) < 0)
            return -1;
        memcpy(cx, codes, (size_t)j->n_rows * sizeof *cx);
        memcpy(cy, codes + j->n_rows, (size_t)j->n_rows * sizeof *cy);
        j->cats[0] = j->cats[2];
        memset(&j->cats[2], 0, sizeof j->cats[2]);
    }
    struct pcats *xc = &j->cats[0], *yc = conf ? &j->cats[0] : &j->cats[1];
    if (xc->n == 0 || yc->n == 0)
        return qerr_set(err, QE_DATA, "nothing to plot: every value of '%s' in '%s' is missing",
                        xc->n == 0 ? j->cols[0].name : j->cols[1].name, j->table);
    double *z = aggregate(j, cx, cy, xc->n, yc->n, names[2] ? j->cols[2].v : NULL, agg, err);
    if (!z)
        return -1;
    j->spec.m = (struct plot_matrix){.nx = xc->n, .ny = yc->n,
                                     .xlabels = (const char *const *)xc->names,
                                     .ylabels = (const char *const *)yc->names, .z = z};
    j->spec.values = args_given(j->args, "values") ? (int)args_int(j->args, "values") : -1;
    j->spec.xlabel = j->cols[0].name;
    j->spec.ylabel = j->cols[1].name;
    if (conf) {
        double right = 0, all = 0;
        for (int a = 0; a < xc->n; a++)
            for (int b = 0; b < xc->n; b++)
                if (isfinite(z[a * xc->n + b])) {
                    all += z[a * xc->n + b];
                    right += a == b ? z[a * xc->n + b] : 0;
                }
        j->spec.zlabel = "rows";
        pj_make_title(j, "%s: confusion matrix, accuracy %.1f%% of %.0f", j->table,
                   all > 0 ? 100 * right / all : 0.0, all);
    } else {
        struct buf zl = BUF_INIT;
        buf_addf(&zl, "%s(%s)", args_str(j->args, "agg"), names[2] ? j->cols[2].name : "*");
        j->spec.zlabel = pj_own(j, buf_detach(&zl));
        pj_make_title(j, "%s: %s by %s and %s", j->table, j->spec.zlabel, j->cols[0].name,
                   j->cols[1].name);
    }
    return 0;
}

int
pj_build_bar(struct job *j, struct cmd_result *res, struct qerr *err)
{
    if (pj_need(j, "x", err) < 0)
        return -1;
    const char *names[2] = {args_str(j->args, "x"), pj_ycol_name(j, 0)};
    int has_y = args_given(j->args, "y");
    enum plot_agg agg = has_y ? (enum plot_agg)args_choice(j->args, "agg") : PLOT_AGG_COUNT;
    if (pj_read_cols(j, names, names[1] ? 2 : 1, err) < 0)
        return -1;
    int *cx = pj_own(j, xmalloc((size_t)(j->n_rows ? j->n_rows : 1) * sizeof *cx));
    int *cy = pj_own(j, xcalloc((size_t)(j->n_rows ? j->n_rows : 1), sizeof *cy));
    if (pcats_make(j->ctx, &j->cols[0], MAX_CATS, &j->cats[0], cx, err) < 0)
        return -1;
    int n = j->cats[0].n;
    double *z = aggregate(j, cx, cy, n, 1, names[1] ? j->cols[1].v : NULL, agg, err);
    if (!z)
        return -1;
    double *xs = pj_own(j, xmalloc((size_t)(n ? n : 1) * sizeof *xs));
    for (int i = 0; i < n; i++)
        xs[i] = i;
    struct plot_series *s = pj_add_series(j);
    s->x = xs;
    s->y = z;
    s->n = n;
    j->spec.xaxis = PLOT_AXIS_CAT;
    j->spec.xtics = (const char *const *)j->cats[0].names;
    j->spec.n_xtics = n;
    j->spec.box_width = 0.8;
    j->spec.xlabel = j->cols[0].name;
    struct buf yl = BUF_INIT;
    if (names[1])
        buf_addf(&yl, "%s(%s)", args_str(j->args, "agg"), j->cols[1].name);
    else
        buf_adds(&yl, "rows");
    j->spec.ylabel = pj_own(j, buf_detach(&yl));
    pj_make_title(j, "%s: %s by %s", j->table, j->spec.ylabel, j->cols[0].name);
    return 0;
}

int
pj_build_corr(struct job *j, struct cmd_result *res, struct qerr *err)
{
    if (pj_need(j, "x", err) < 0 || pj_need(j, "y", err) < 0)
        return -1;
    const char *names[2] = {args_str(j->args, "x"), pj_ycol_name(j, 0)};
    if (pj_read_cols(j, names, 2, err) < 0)
        return -1;
    for (int k = 0; k < 2; k++)
        if (j->cols[k].is_text)
            return qerr_set(err, QE_ARG, "plot corr needs numbers, and '%s' is %s",
                            j->cols[k].name, j->cols[k].is_time ? "a date" : "text");
    double a, b, r;
    /* The fit and r use every row, even when only a sample is drawn. */
    if (plot_fit_line(j->cols[0].v, j->cols[1].v, j->n_rows, &a, &b, &r, err) < 0)
        return -1;
    pj_sample(j, res);
    struct plot_series *s = pj_add_series(j);
    s->x = j->cols[0].v;
    s->y = j->cols[1].v;
    s->n = j->n_rows;
    s->name = j->table;
    j->spec.has_fit = 1;
    j->spec.fit_a = a;
    j->spec.fit_b = b;
    j->spec.xlabel = j->cols[0].name;
    j->spec.ylabel = j->cols[1].name;
    pj_make_title(j, "%s: %s against %s, r = %.4f, fit y = %.4g + %.4g x", j->table,
               j->cols[1].name, j->cols[0].name, r, a, b);
    return 0;
}

int
pj_build_dendrogram(struct job *j, struct cmd_result *res, struct qerr *err)
{
    /* SciPy's names, or those of cluster's NAME_merges table (cluster, a, b, height, size). */
    static const char *const l[] = {"left", "a", NULL}, *const r[] = {"right", "b", NULL},
                             *const h[] = {"height", "distance", NULL};
    char *t1 = NULL, *t2 = NULL, *t3 = NULL;
    const char *names[3] = {find_col(j, l, 0, &t1), find_col(j, r, 1, &t2),
                            find_col(j, h, 2, &t3)};
    if (!names[0] || !names[1] || !names[2])
        return qerr_set(err, QE_ARG, "plot dendrogram needs a merge table with columns left, "
                                     "right and height (or a and b, as cluster trace=yes "
                                     "writes them)");
    if (pj_read_cols(j, names, 3, err) < 0)
        return -1;
    if (j->n_rows > 5000)
        return qerr_set(err, QE_ARG, "a dendrogram of %lld merges cannot be read; at most "
                                     "5000", j->n_rows);
    long long n_leaves = j->n_rows + 1, np;
    long long *order = pj_own(j, xmalloc((size_t)n_leaves * sizeof *order));
    double *px, *py;
    if (plot_dendrogram(j->cols[0].v, j->cols[1].v, j->cols[2].v, j->n_rows, &px, &py, &np,
                        order, err) < 0)
        return -1;
    pj_own(j, px);
    pj_own(j, py);
    char **tics = pj_own(j, xcalloc((size_t)n_leaves, sizeof *tics));
    for (long long i = 0; i < n_leaves; i++) {
        struct buf b = BUF_INIT;
        buf_addf(&b, "%lld", order[i]);
        tics[i] = pj_own(j, buf_detach(&b));
    }
    struct plot_series *s = pj_add_series(j);
    s->x = px;
    s->y = py;
    s->n = np;
    j->spec.xaxis = PLOT_AXIS_CAT;
    j->spec.xtics = (const char *const *)tics;
    j->spec.n_xtics = (int)n_leaves;
    j->spec.xlabel = "leaf";
    j->spec.ylabel = j->cols[2].name;
    pj_make_title(j, "%s: dendrogram of %lld leaves", j->table, n_leaves);
    return 0;
}

/* loss and elbow: the columns when not named. */
int
pj_build_series_defaults(struct job *j, struct cmd_result *res, struct qerr *err)
{
    static const char *const ex[] = {"epoch", "iteration", "step", NULL};
    static const char *const ek[] = {"k", NULL};
    static const char *const ey[] = {"inertia", "wss", "sse", NULL};
    char *t1 = NULL, *t2 = NULL;
    const char *x = args_given(j->args, "x") ? args_str(j->args, "x")
                    : find_col(j, j->kind == PLOT_ELBOW ? ek : ex, 0, &t1);
    if (!x)
        return qerr_set(err, QE_ARG, "'%s' has no columns", j->table);
    if (args_given(j->args, "y")) {
        const struct arg_val *yv = args_get(j->args, "y");
        return pj_build_line(j, res, x, (const char *const *)yv->list, yv->n_list, err);
    }
    /* elbow: inertia (else the first numeric column); loss: every numeric column but x. */
    char **names = NULL, **decls = NULL;
    const char *ys[5];
    int n = 0, ny = 0;
    if (cmd_table_columns(j->ctx, j->table, &names, &decls, &n, err) < 0)
        return -1;
    const char *y1 = j->kind == PLOT_ELBOW ? find_col(j, ey, -1, &t2) : NULL;
    /* loss: a first text column (forecast's NAME_loss by group) draws one curve per value */
    if (j->kind == PLOT_LOSS && n > 1 && !j->by_col && !args_given(j->args, "by") &&
        catalog_kind_of_decl(decls[0]) == CATALOG_TEXT && strcasecmp(names[0], x) != 0)
        j->by_col = pj_own(j, xstrdup(names[0]));
    for (int i = 0; i < n && ny < 5; i++) {
        enum catalog_kind k = catalog_kind_of_decl(decls[i]);
        if (strcasecmp(names[i], x) == 0 || (y1 && strcasecmp(names[i], y1) != 0) ||
            !(k == CATALOG_INTEGER || k == CATALOG_REAL || k == CATALOG_OTHER))
            continue;
        ys[ny++] = pj_own(j, xstrdup(names[i]));
        if (j->kind == PLOT_ELBOW)
            break;
    }
    cmd_free_names(names, n);
    cmd_free_names(decls, n);
    if (ny == 0)
        return qerr_set(err, QE_ARG, "'%s' has no numeric column to plot against %s; name "
                                     "one with y=COLUMN", j->table, x);
    return pj_build_line(j, res, x, ys, ny, err);
}

/*
 * forecast: a table forecast wrote (group, period, part, actual,
 * predicted, lower, upper, ...): per group, predicted with its interval
 * band and actual, over period.
 */
int
pj_build_forecast(struct job *j, struct cmd_result *res, struct qerr *err)
{
    char **names = NULL, **decls = NULL;
    int n = 0, ok = 0;
    if (cmd_table_columns(j->ctx, j->table, &names, &decls, &n, err) < 0)
        return -1;
    static const char *const need[] = {"period", "actual", "predicted", "lower", "upper"};
    for (int k = 0; k < 5; k++)
        for (int i = 0; i < n; i++)
            ok += strcasecmp(names[i], need[k]) == 0;
    /* the group column: the first, when forecast had by= */
    if (ok == 5 && n > 0 && strcasecmp(names[0], "period") != 0)
        j->by_col = pj_own(j, xstrdup(names[0]));
    cmd_free_names(names, n);
    cmd_free_names(decls, n);
    if (ok < 5)
        return qerr_set(err, QE_ARG, "'%s' is not a table forecast wrote (it needs period, "
                        "actual, predicted, lower and upper)", j->table);
    j->band_lo = "lower";
    j->band_hi = "upper";
    static const char *const ys[] = {"predicted", "actual"};
    if (pj_build_line(j, res, "period", ys, 2, err) < 0)
        return -1;
    j->spec.ylabel = "value";
    buf_release(&j->title); /* the line's default title gives way */
    pj_make_title(j, "%s: actual (solid) and predicted (dashed) with the interval", j->table);
    return 0;
}
