/*
 * cmd_normalize.c: `normalize`, `denormalize` and `encode`.
 *
 * normalize stores the transform it fitted in the model store (through
 * prep/transform.h), named after the table it wrote, so `normalize NEW
 * using=NAME` applies the same transform to new data and `denormalize`
 * inverts it. The store is part of the catalog: undo, save and open keep
 * it with the data.
 */
#include "kit.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "prep/groups.h"
#include "prep/prep.h"
#include "prep/prep_par.h"
#include "prep/transform.h"

#include "base/banned.h"

static int
parse_range(const char *s, double *lo, double *hi, struct qerr *err)
{
    char *end;
    *lo = strtod(s, &end);
    if (end == s || *end != ',')
        goto bad;
    const char *t = end + 1;
    *hi = strtod(t, &end);
    if (end == t || *end || !isfinite(*lo) || !isfinite(*hi) || !(*hi > *lo))
        goto bad;
    return 0;
bad:
    qerr_set(err, QE_ARG, "range=%s is not a range", s);
    qerr_hint(err, "type two numbers, low then high: range=-1,1 or range=0,1");
    return -1;
}

/* Rows from which normalize works on its columns in parallel (prep_par.h). */
#define PAR_ROWS 65536

/* The columns of a normalize, worked on by norm_job. */
struct norm_work {
    const struct frame *f;
    int fit;                      /* fit each column's transform (else par[] holds it) */
    enum prep_norm m;
    double lo, hi;
    int invert;
    struct prep_norm_params *par; /* [n_cols] */
    double **y;                   /* [n_cols] results, allocated by the caller */
    int *rc;                      /* [n_cols] -1: failed with err[j] */
    long long *bad;               /* [n_cols] the first row not finite, or -1 */
    struct qerr *err;             /* [n_cols] */
};

/* Column j: its transform fitted (w->fit), then applied into w->y[j]. */
static void
norm_job(void *arg, int j, int (*progress)(void *, double), void *pctx)
{
    struct norm_work *w = arg;
    const struct frame *f = w->f;
    w->bad[j] = -1;
    if (w->fit) {
        struct prep_stats s;
        if ((w->rc[j] = prep_stats(frame_col(f, j), f->mask[j], f->n_rows,
                                   (w->m == PREP_ROBUST ? PREP_NEED_QUANTILES : 0) |
                                       (w->m != PREP_ZSCORE ? PREP_NO_MOMENTS : 0),
                                   progress, pctx, &s, &w->err[j])) < 0 ||
            (w->rc[j] = prep_norm_fit(w->m, &s, w->lo, w->hi, f->names[j], &w->par[j],
                                      &w->err[j])) < 0)
            return;
    }
    w->bad[j] = prep_norm_column(&w->par[j], w->invert, frame_col(f, j), w->y[j], f->n_rows);
}

/*
 * normalize (invert = 0) and denormalize (invert = 1): fit or look up a
 * transform per column, apply it, write the columns back.
 */
static int
run_transform(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
              int invert, struct qerr *err)
{
    const char *table = args_str(args, "TABLE"), *using = args_str(args, "using");
    const char *source = table;
    const struct arg_val *cv = args_get(args, "cols");
    char **cols = cv->list;
    int n_cols = cv->n_list, rc = 0;
    struct transform stored;
    double lo = -1, hi = 1;
    struct frame *f = NULL;

    transform_init(&stored);
    if (using && transform_load(ctx->cat, using, &stored, err) < 0) {
        transform_release(&stored);
        return kit_fail_at(args, "using", err);
    }
    if (!cv->text) {
        if (!using) {
            qerr_set(err, QE_ARG, "say which columns to %s", invert ? "denormalize" : "normalize");
            qerr_hint(err, "add cols=COL,COL... (or using=NAME to take a stored transform's)");
            transform_release(&stored);
            return -1;
        }
        cols = stored.cols;
        n_cols = stored.n_cols;
    }
    if (!invert && !using && parse_range(args_str(args, "range"), &lo, &hi, err) < 0)
        return kit_fail_at(args, "range", err);
    if ((rc = kit_read(ctx, table, (const char *const *)cols, n_cols, FRAME_ALL_NUMERIC, &f,
                       err)) < 0)
        goto out;
    enum prep_norm m = invert ? PREP_MINMAX : (enum prep_norm)args_choice(args, "method");
    struct prep_norm_params *par = xcalloc((size_t)f->n_cols, sizeof(*par));
    struct frame_out *outs = xcalloc((size_t)f->n_cols, sizeof(*outs));
    double **y = xcalloc((size_t)f->n_cols, sizeof(double *));
    double ***give = xcalloc((size_t)f->n_cols, sizeof(double **));
    static const char *const head[] = {"column", "method", "center", "scale", "range"};
    struct rtable *t = result_table(res, 5, head);
    /*
     * First, in column order, what needs no pass over the values: the first
     * column refused here (stop) ends the columns worked on; then the
     * columns before it in parallel (norm_job); then their errors and
     * results in column order, the first error in column order reported.
     */
    int stop = f->n_cols;
    for (int j = 0; j < f->n_cols && stop == f->n_cols; j++) {
        if (f->decl[j] != CATALOG_INTEGER && f->decl[j] != CATALOG_REAL &&
            f->n_missing[j] == f->n_rows && f->n_rows > 0) {
            rc = qerr_set(err, QE_ARG, "column '%s' holds no numbers", f->names[j]);
            stop = j;
        } else if (using) {
            const struct prep_norm_params *p = transform_find(&stored, f->names[j]);
            if (p) {
                par[j] = *p;
            } else {
                rc = qerr_set(err, QE_NOTFOUND, "transform '%s' has no column '%s'", using,
                              f->names[j]);
                kit_fail_at(args, "cols", err);
                stop = j;
            }
        } else if (invert) {
            rc = qerr_set(err, QE_ARG, "denormalize needs using=NAME, the transform to invert");
            stop = j;
        }
    }
    struct norm_work w = {.f = f, .fit = !using && !invert, .m = m, .lo = lo, .hi = hi,
                          .invert = invert, .par = par, .y = y,
                          .rc = xcalloc((size_t)f->n_cols + 1, sizeof(int)),
                          .bad = xcalloc((size_t)f->n_cols + 1, sizeof(long long)),
                          .err = xcalloc((size_t)f->n_cols + 1, sizeof(struct qerr))};
    for (int j = 0; j < stop; j++) {
        qerr_init(&w.err[j]);
        y[j] = xmalloc((size_t)f->n_rows * sizeof(double) + 1); /* here: the main heap's */
    }
    prep_par_columns(stop, f->n_rows >= PAR_ROWS ? ctx->set.threads : 1, norm_job, &w,
                     kit_progress, ctx);
    for (int j = 0; j < stop; j++) {
        if (w.rc[j] < 0 || w.bad[j] >= 0) {
            qerr_clear(err); /* a refusal of a later column, from the first loop */
            if (w.rc[j] < 0) {
                *err = w.err[j];
                qerr_init(&w.err[j]);
            } else { /* never an inf written silently */
                long long r = w.bad[j];
                qerr_set(err, QE_DATA, "%s of '%s' at row %lld (%g) is not a finite number",
                         invert ? "denormalizing" : "normalizing", f->names[j],
                         (long long)f->rowid[r], frame_col(f, j)[r]);
            }
            rc = -1;
            break;
        }
        outs[j] = (struct frame_out){.name = f->names[j], .decl = CATALOG_REAL, .num = y[j]};
        give[j] = &y[j];
        long long row = rtable_add_row(t);
        rtable_set(t, row, 0, f->names[j], 0);
        rtable_set(t, row, 1, prep_norm_name(par[j].method), 0);
        if (par[j].method != PREP_LOG) {
            rtable_setf(t, row, 2, 1, "%.6g", par[j].center);
            rtable_setf(t, row, 3, 1, "%.6g", par[j].scale);
        }
        if (par[j].method == PREP_MINMAX)
            rtable_setf(t, row, 4, 0, "[%g, %g]", par[j].lo, par[j].hi);
    }
    for (int j = 0; j < stop; j++)
        qerr_clear(&w.err[j]);
    free(w.rc);
    free(w.bad);
    free(w.err);
    const char *dest = args->as ? args->as : table;
    if (rc == 0)
        rc = kit_write_give(ctx, args, &table, f, outs, f->n_cols, give, err);
    if (rc < 0)
        result_drop_last(res); /* no parameters of a normalize that did not happen */
    if (rc == 0 && !invert && !using) {
        /* Columns dest held already: their earlier parameters are replaced, so
         * denormalize using=dest undoes only this normalize; say so. */
        struct buf replaced = BUF_INIT;
        rc = transform_update(ctx->cat, dest, source, f->names, par, f->n_cols, &replaced, err);
        if (rc == 0 && replaced.len)
            result_text(res, "transform '%s' held %s already: denormalize using=%s now undoes "
                        "this normalize only (undo goes back further)", dest, replaced.data, dest);
        buf_release(&replaced);
    }
    if (rc == 0) {
        result_text(res, "%s %d column%s of %s%s%s", invert ? "denormalized" : "normalized",
                    f->n_cols, f->n_cols == 1 ? "" : "s", dest, using ? " with transform " : "",
                    using ? using : "");
        if (!invert && !using)
            result_text(res, "stored as transform '%s': normalize NEW using=%s applies it, "
                        "denormalize TABLE using=%s inverts it", dest, dest, dest);
    }
    for (int j = 0; j < f->n_cols; j++)
        free(y[j]);
    free(y);
    free(give);
    free(outs);
    free(par);
out:
    frame_release(f);
    transform_release(&stored);
    return rc;
}

static int
cmd_normalize_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                   struct qerr *err)
{
    return run_transform(ctx, args, res, 0, err);
}

static int
cmd_denormalize_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                     struct qerr *err)
{
    return run_transform(ctx, args, res, 1, err);
}

static const char *const norm_names[] = {
    [PREP_MINMAX] = "minmax", [PREP_ZSCORE] = "zscore", [PREP_ROBUST] = "robust",
    [PREP_LOG] = "log"};

static const struct arg_spec cmd_normalize_args[] = {
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "The table to scale.", .comp = COMP_TABLES},
    {.name = "cols", .type = ARG_COLUMNS,
     .help = "Numeric columns to scale (with using=, default the transform's columns).",
     .comp = COMP_COLUMNS},
    {.name = "method", .type = ARG_ENUM, .def = "minmax", .choices = "minmax|zscore|robust|log",
     ARG_NAMES(norm_names), .modes = "!using",
     .help = "minmax to range, zscore, robust (median and IQR) or log (ln(1 + x)).",
     .comp = COMP_CHOICES},
    {.name = "range", .type = ARG_TEXT, .def = "-1,1", .modes = "method=minmax !using",
     .help = "The target range of minmax, low,high."},
    {.name = "using", .type = ARG_TEXT,
     .help = "Apply a stored transform instead of fitting one."},
    {0},
};

const struct cmd_entry cmd_normalize_entry = {
    .name = "normalize",
    .alias = "normalise",
    .family = "preprocessing",
    .synopsis = "normalize TABLE cols=... [method=minmax|zscore|robust|log] [range=-1,1] "
                "[using=NAME] [as NAME]",
    .help = "Scale numeric columns, in place or into a new table. minmax maps [min, max] to "
            "range (default [-1, 1]: y = lo + (x - min) / (max - min) (hi - lo)); zscore "
            "gives (x - mean) / sd with the sample sd; robust gives (x - median) / IQR; log "
            "gives ln(1 + x). The fitted parameters are stored in quarry_transforms under the "
            "name of the table written (models lists them), so normalize NEW using=NAME "
            "scales new data the same way and denormalize TABLE using=NAME turns values back "
            "into original units. A "
            "constant column (or zero variance, or an IQR of 0) is an error, never a column "
            "of NaN. Missing values stay missing; the columns become REAL.",
    .example = "normalize orders cols=amount method=zscore as orders_z",
    .args = cmd_normalize_args,
    .flags = CMD_WRITES | CMD_AS,
    .exec = cmd_normalize_exec,
};

static const struct arg_spec cmd_denormalize_args[] = {
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "The table whose columns go back to original units.", .comp = COMP_TABLES},
    {.name = "using", .type = ARG_TEXT, .required = 1,
     .help = "The stored transform to invert (the name normalize printed)."},
    {.name = "cols", .type = ARG_COLUMNS,
     .help = "Columns to invert (default the transform's columns).", .comp = COMP_COLUMNS},
    {0},
};

const struct cmd_entry cmd_denormalize_entry = {
    .name = "denormalize",
    .alias = "denormalise",
    .family = "preprocessing",
    .synopsis = "denormalize TABLE using=NAME [cols=...] [as NAME]",
    .help = "Invert a stored normalize transform: each column listed (default: the "
            "transform's columns) goes back to original units with the parameters "
            "normalize stored under NAME, e.g. forecasts made on scaled data.",
    .example = "denormalize orders_z using=orders_z",
    .args = cmd_denormalize_args,
    .flags = CMD_WRITES | CMD_AS,
    .exec = cmd_denormalize_exec,
};

/* --- encode -------------------------------------------------------------------- */

enum encode_method { ENCODE_ONEHOT, ENCODE_ORDINAL };
static const char *const encode_names[] = {
    [ENCODE_ONEHOT] = "onehot", [ENCODE_ORDINAL] = "ordinal"};

/* A column name for level text: letters, digits and _ only, lower case. */
static char *
level_name(const char *col, const char *level)
{
    struct buf b = BUF_INIT;
    buf_adds(&b, col);
    buf_addc(&b, '_');
    size_t start = b.len;
    for (const unsigned char *s = (const unsigned char *)level; *s; s++) {
        if (isalnum(*s) || *s >= 0x80) /* UTF-8 letters stay as they are */
            buf_addc(&b, (char)tolower(*s));
        else if (b.len > start && b.data[b.len - 1] != '_')
            buf_addc(&b, '_');
    }
    while (b.len > start && b.data[b.len - 1] == '_')
        buf_truncate(&b, b.len - 1);
    if (b.len == start)
        buf_adds(&b, "blank");
    return buf_detach(&b);
}

/* The columns encode adds, grown column by column. */
struct encoded {
    struct frame_out *outs;
    double **vals;
    char **names;
    int n, cap;
};

static void
encoded_release(struct encoded *e)
{
    for (int i = 0; i < e->n; i++) {
        free(e->vals[i]);
        free(e->names[i]);
    }
    free(e->vals);
    free(e->names);
    free(e->outs);
}

/* Text column j of f as a 0/1 column per level (onehot), or as codes in COL_code. */
static int
encode_column(const struct frame *f, int j, int onehot, struct encoded *e, struct qerr *err)
{
    int L = f->n_levels[j], n_new = onehot ? L : 1;
    int *order = xmalloc((size_t)(L ? L : 1) * sizeof(int));
    int *rank = xmalloc((size_t)(L ? L : 1) * sizeof(int));
    if (groups_level_order(f->levels[j], L, order, rank, NULL, err) < 0) {
        free(order);
        free(rank);
        return -1;
    }
    if (e->n + n_new > e->cap) {
        e->cap = (e->n + n_new) * 2;
        e->outs = xrealloc(e->outs, (size_t)e->cap * sizeof(*e->outs));
        e->vals = xrealloc(e->vals, (size_t)e->cap * sizeof(double *));
        e->names = xrealloc(e->names, (size_t)e->cap * sizeof(char *));
    }
    for (int o = 0; o < n_new; o++) {
        double *v = xmalloc((size_t)f->n_rows * sizeof(double) + 1);
        for (long long r = 0; r < f->n_rows; r++) {
            int c = f->code[j][r];
            v[r] = onehot ? (c >= 0 && rank[c] == o) : c < 0 ? NAN : rank[c];
        }
        struct buf b = BUF_INIT;
        if (!onehot)
            buf_addf(&b, "%s_code", f->names[j]);
        char *nm = onehot ? level_name(f->names[j], f->levels[j][order[o]]) : buf_detach(&b);
        e->vals[e->n] = v;
        e->names[e->n] = nm;
        e->outs[e->n++] = (struct frame_out){.name = nm, .decl = CATALOG_INTEGER, .num = v};
    }
    free(order);
    free(rank);
    return 0;
}

static int
cmd_encode_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                struct qerr *err)
{
    const char *table = args_str(args, "TABLE");
    const struct arg_val *cv = args_get(args, "cols");
    int onehot = args_choice(args, "method") == ENCODE_ONEHOT, rc = -1;
    long long maxlevels = args_int(args, "maxlevels");
    struct frame *f = NULL;
    struct encoded e = {0};
    if (kit_read(ctx, table, (const char *const *)cv->list, cv->n_list, 0, &f, err) < 0)
        return -1;
    for (int j = 0; j < f->n_cols; j++) {
        int L = f->n_levels[j];
        if (f->kind[j] != FRAME_TEXT) {
            qerr_set(err, QE_ARG, "column '%s' holds numbers; encode turns text categories "
                     "into numbers", f->names[j]);
            kit_fail_at(args, "cols", err);
            goto out;
        }
        if (L > maxlevels) {
            qerr_set(err, QE_ARG, "column '%s' has %d distinct values, more than "
                     "maxlevels=%lld", f->names[j], L, maxlevels);
            qerr_hint(err, "raise maxlevels= if you mean it, or pick a column with fewer "
                           "categories");
            goto out;
        }
        if (encode_column(f, j, onehot, &e, err) < 0)
            goto out;
        result_text(res, "%s: %d level%s -> %s", f->names[j], L, kit_plural(L),
                    onehot ? "one 0/1 column each" : "codes 0.. in sorted order");
    }
    /* Two levels may clean to the same column name. */
    for (int a = 0; a < e.n; a++)
        for (int b = a + 1; b < e.n; b++)
            if (strcasecmp(e.names[a], e.names[b]) == 0) {
                qerr_set(err, QE_ARG, "two categories would both become column '%s'",
                         e.names[a]);
                goto out;
            }
    if ((rc = kit_write(ctx, args, &table, f, e.outs, e.n, NULL, err)) == 0)
        result_text(res, "added %d column%s to %s", e.n, kit_plural(e.n), table);
out:
    encoded_release(&e);
    frame_release(f);
    return rc;
}

static const struct arg_spec cmd_encode_args[] = {
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "The table holding the categories.", .comp = COMP_TABLES},
    {.name = "cols", .type = ARG_COLUMNS, .required = 1,
     .help = "Text columns to encode.", .comp = COMP_COLUMNS},
    {.name = "method", .type = ARG_ENUM, .def = "onehot", .choices = "onehot|ordinal",
     ARG_NAMES(encode_names),
     .help = "onehot: a 0/1 column per category; ordinal: one column of codes.",
     .comp = COMP_CHOICES},
    {.name = "maxlevels", .type = ARG_INT, .def = "50", .min = 1, .max = 100000,
     .help = "Refuse columns with more distinct values than this."},
    KIT_REPLACE_ARG,
    {0},
};

const struct cmd_entry cmd_encode_entry = {
    .name = "encode",
    .family = "preprocessing",
    .synopsis = "encode TABLE cols=... [method=onehot|ordinal] [maxlevels=50] [replace=yes] "
                "[as NAME]",
    .help = "Turn text categories into numbers, keeping the original columns. "
            "method=onehot adds a 0/1 column COL_level per category (named from the "
            "category, ASCII letters in lower case, punctuation and spaces as _); a missing value is 0 in every "
            "one. method=ordinal adds COL_code, the category's rank 0, 1, ... in sorted order "
            "(missing stays missing). Categories are sorted as scikit-learn's encoders sort "
            "them. A column with more than maxlevels categories is refused, and so are new columns "
            "that exist already (a re-run) unless replace=yes.",
    .example = "encode customers cols=city",
    .args = cmd_encode_args,
    .flags = CMD_WRITES | CMD_AS,
    .exec = cmd_encode_exec,
};
