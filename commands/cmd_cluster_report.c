/*
 * cmd_cluster_report.c: the clustering family's `profile` (a per-group
 * summary of any labelled table, summary_profile's table) and `score` (a
 * labelling against known classes: ARI, NMI, purity).
 */
#include "kit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/tick.h"
#include "cluster/cluster_quality.h"
#include "data/frame.h"
#include "prep/summary.h"

#include "base/banned.h"

/* --- profile ---------------------------------------------------------------- */

static const struct arg_spec cmd_profile_args[] = {
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "The labelled table.", .comp = COMP_TABLES},
    {.name = "by", .type = ARG_COLUMN, .def = "cluster",
     .help = "The column that names each row's group.", .comp = COMP_COLUMNS},
    {.name = "cols", .type = ARG_COLUMNS,
     .help = "The columns to summarise (default: all others).", .comp = COMP_COLUMNS},
    KIT_REPLACE_ARG,
    {0},
};

/*
 * The columns of table to read, in table order: by first, then the
 * wanted ones (all others when cols= is not given). 0, or -1 when by is
 * not a column.
 */
static int
profile_columns(struct cmd_ctx *ctx, const char *table, const char *by,
                const struct arg_val *want, char ***sel, int *n_sel, struct qerr *err)
{
    char **names = NULL, **decls = NULL;
    int n = 0, k = 1, found = -1;
    if (cmd_table_columns(ctx, table, &names, &decls, &n, err) < 0)
        return -1;
    for (int c = 0; c < n && found < 0; c++)
        found = strcasecmp(names[c], by) == 0 ? c : -1;
    *sel = xcalloc((size_t)n + 1, sizeof(char *));
    for (int c = 0; c < n && found >= 0; c++) {
        int in = c != found && want->n_list == 0;
        for (int w = 0; w < want->n_list && c != found; w++)
            in |= strcasecmp(want->list[w], names[c]) == 0;
        if (in)
            (*sel)[k++] = xstrdup(names[c]);
    }
    if (found >= 0)
        (*sel)[0] = xstrdup(names[found]);
    *n_sel = found >= 0 ? k : 0;
    cmd_free_names(names, n);
    cmd_free_names(decls, n);
    if (found < 0)
        return qerr_set(err, QE_NOTFOUND, "'%s' has no column '%s'; give by=COLUMN", table, by);
    return 0;
}

static int
cmd_profile_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                 struct qerr *err)
{
    const char *table = args_str(args, "TABLE"), *by = args_str(args, "by");
    char **sel = NULL;
    int n_sel = 0, rc = -1, *cols = NULL;
    struct frame *f = NULL;
    struct summary_groups g = {0};
    struct summary_table t = {0};
    char *tname = kit_name(table, "_profile");
    const char *name = args->as ? args->as : tname;
    if (profile_columns(ctx, table, by, args_get(args, "cols"), &sel, &n_sel, err) < 0 ||
        kit_claim(ctx, args, table, NULL, 0, NULL, &name, 1, err) < 0 ||
        kit_read(ctx, table, (const char *const *)sel, n_sel, 0, &f, err) < 0 ||
        summary_groups_by(f, 0, kit_progress, ctx, &g, err) < 0)
        goto out;
    cols = xcalloc((size_t)n_sel, sizeof(int));
    for (int c = 1; c < n_sel; c++)
        cols[c - 1] = c;
    if (summary_profile(f, &g, f->names[0], cols, n_sel - 1, NULL, kit_progress, ctx, &t,
                        err) < 0 ||
        kit_side_table(ctx, args, name, t.cols, t.n_cols, t.n_rows, err) < 0)
        goto out;
    result_text(res, "profile of %s by %s (numbers: mean and sample sd; text: the most common "
                     "value) in %s",
                table, by, name);
    rc = kit_show(ctx, res, name, NULL, err);
out:
    summary_table_release(&t);
    summary_groups_release(&g);
    frame_release(f);
    cmd_free_names(sel, n_sel);
    free(cols);
    free(tname);
    return rc;
}

const struct cmd_entry cmd_profile_entry = {
    .name = "profile",
    .family = "clustering",
    .synopsis = "profile TABLE [by=cluster] [cols=COLS] [replace=yes] [as NAME]",
    .help = "Summarise a labelled table per group of the by column (rows missing it form a "
            "group of their own, first): size and share, and for each other column COL_mean "
            "and COL_sd, the sample standard deviation (n-1; NULL for a group of one), for "
            "numbers, or COL_top, the most common value, NULL aside (ties: the value that "
            "sorts first), for text. The table has the shape of cluster's profile. Writes "
            "TABLE_profile (or NAME) and shows it; an existing TABLE_profile (a re-run) is "
            "refused unless replace=yes.",
    .example = "profile customers by=city cols=age",
    .args = cmd_profile_args,
    .flags = CMD_WRITES | CMD_AS,
    .exec = cmd_profile_exec,
};

/* --- score ------------------------------------------------------------------ */

static const struct arg_spec cmd_score_args[] = {
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "The table holding both columns.", .comp = COMP_TABLES},
    {.name = "label", .type = ARG_COLUMN, .def = "cluster",
     .help = "The clustering's labels.", .comp = COMP_COLUMNS},
    {.name = "truth", .type = ARG_COLUMN, .required = 1,
     .help = "The known classes.", .comp = COMP_COLUMNS},
    {0},
};

static int
cmp_double(const void *a, const void *b)
{
    double u = *(const double *)a, v = *(const double *)b;
    return (u > v) - (u < v);
}

/*
 * Dense codes 0..m-1 for column j of f on the rows in keep: text columns
 * use their dictionary codes, numbers their sorted distinct values.
 */
static int
codes_of(struct cmd_ctx *ctx, const struct frame *f, int j, const long long *rows, long long n,
         int32_t *out, int *m, struct qerr *err)
{
    if (f->kind[j] == FRAME_TEXT) {
        for (long long i = 0; i < n; i++)
            out[i] = f->code[j][rows[i]];
        *m = f->n_levels[j];
        return 0;
    }
    double *v = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
    if (!v)
        return qerr_set(err, QE_NOMEM, "out of memory");
    const double *x = frame_col(f, j);
    for (long long i = 0; i < n; i++)
        v[i] = x[rows[i]];
    struct tick tk; /* millions of labels: the sort reports, by the clock */
    tick_init(&tk, kit_progress, ctx);
    if (tick_sort(v, (size_t)n, sizeof(double), cmp_double, &tk, "score", err) < 0) {
        free(v);
        return -1;
    }
    long long u = 0;
    for (long long i = 0; i < n; i++)
        if (i == 0 || v[i] != v[u - 1])
            v[u++] = v[i];
    if (u > 100000) {
        free(v);
        return qerr_set(err, QE_DATA, "'%s' has %lld distinct values; score compares labels, "
                                      "not measurements",
                        f->names[j], u);
    }
    for (long long i = 0; i < n; i++) {
        double key = x[rows[i]];
        double *hit = bsearch(&key, v, (size_t)u, sizeof(double), cmp_double);
        out[i] = (int32_t)(hit - v);
    }
    *m = (int)u;
    free(v);
    return 0;
}

static int
cmd_score_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
               struct qerr *err)
{
    const char *table = args_str(args, "TABLE");
    const char *cols[2] = {args_str(args, "label"), args_str(args, "truth")};
    struct frame *f = NULL;
    long long *rows = NULL;
    int32_t *a = NULL, *b = NULL;
    int rc = -1, ka = 0, kb = 0;
    if (kit_read(ctx, table, cols, 2, 0, &f, err) < 0)
        return -1;
    long long n = 0, nr = f->n_rows;
    rows = malloc(sizeof(long long) * (size_t)(nr > 0 ? nr : 1));
    a = malloc(sizeof(int32_t) * (size_t)(nr > 0 ? nr : 1));
    b = malloc(sizeof(int32_t) * (size_t)(nr > 0 ? nr : 1));
    if (!rows || !a || !b) {
        qerr_set(err, QE_NOMEM, "out of memory for %lld rows", nr);
        goto out;
    }
    for (long long i = 0; i < nr; i++)
        if (!frame_missing(f, 0, i) && !frame_missing(f, 1, i))
            rows[n++] = i;
    if (n == 0) {
        qerr_set(err, QE_DATA, "no row of '%s' has both '%s' and '%s'", table, cols[0], cols[1]);
        goto out;
    }
    if (codes_of(ctx, f, 0, rows, n, a, &ka, err) < 0 ||
        codes_of(ctx, f, 1, rows, n, b, &kb, err) < 0)
        goto out;
    struct cluster_agreement ag;
    if (cluster_agreement(a, ka, b, kb, n, &ag, err) < 0)
        goto out;
    result_text(res, "%s against %s on %lld rows: %d labels, %d classes%s", cols[0], cols[1], n,
                ag.n_labels, ag.n_truth,
                n < nr ? " (rows missing either left out)" : "");
    static const char *const hdr[] = {"measure", "value", "meaning"};
    struct rtable *t = result_table(res, 3, hdr);
    const struct {
        const char *name;
        double v;
        const char *meaning;
    } m[] = {
        {"ari", ag.ari, "adjusted Rand index: 1 = the same partition, about 0 = chance"},
        {"nmi", ag.nmi, "normalised mutual information, 0..1"},
        {"purity", ag.purity, "share of rows in their label's most common class"},
    };
    for (int i = 0; i < 3; i++) {
        long long r = rtable_add_row(t);
        rtable_set(t, r, 0, m[i].name, 0);
        rtable_setf(t, r, 1, 1, "%.4f", m[i].v);
        rtable_set(t, r, 2, m[i].meaning, 0);
    }
    rc = 0;
out:
    free(rows);
    free(a);
    free(b);
    frame_release(f);
    return rc;
}

const struct cmd_entry cmd_score_entry = {
    .name = "score",
    .family = "clustering",
    .synopsis = "score TABLE [label=cluster] truth=COL",
    .help = "Compare a clustering's labels with known classes: adjusted Rand index, "
            "normalised mutual information (arithmetic mean of the entropies, as "
            "scikit-learn) and purity. Labels and classes may be numbers or text; rows "
            "missing either are left out.",
    .example = "score customers label=city truth=city",
    .args = cmd_score_args,
    .flags = 0,
    .exec = cmd_score_exec,
};
