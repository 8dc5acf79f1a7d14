/*
 * cmd_clean.c: `clean` (dates, duplicates, missing values) and `outliers`.
 * Both read the table into a frame, compute in src/prep/prep.c and write the
 * table back in one pass (in place, undoable, or `as NAME`).
 */
#include "kit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/mem.h"
#include "data/catalog_edit.h"
#include "prep/keys.h"
#include "prep/outliers.h"
#include "prep/prep.h"
#include "prep/prep_par.h"

#include "base/banned.h"

/* --- clean ------------------------------------------------------------------- */

enum fill { FILL_NONE = -1, FILL_DROP, FILL_MEAN, FILL_MEDIAN, FILL_MODE, FILL_VALUE, FILL_KNN };

/* missing=: value: takes the fill after it (value:0, value:unknown). */
static const char *const fill_names[] = {
    [FILL_DROP] = "drop", [FILL_MEAN] = "mean", [FILL_MEDIAN] = "median", [FILL_MODE] = "mode",
    [FILL_VALUE] = "value:", [FILL_KNN] = "knn"};

static const struct arg_spec cmd_clean_args[] = {
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "The table to clean.", .comp = COMP_TABLES},
    {.name = "cols", .type = ARG_COLUMNS, .modes = "missing",
     .help = "Columns whose missing values are handled (default: every column; fills leave "
             "key-like columns out).",
     .comp = COMP_COLUMNS},
    {.name = "missing", .type = ARG_ENUM, .choices = "drop|mean|median|mode|value:|knn",
     ARG_NAMES(fill_names),
     .help = "drop, mean, median, mode, value:X or knn: what to do with missing values.",
     .comp = COMP_CHOICES},
    {.name = "k", .type = ARG_INT, .def = "5", .min = 1, .max = 1000, .modes = "missing=knn",
     .help = "Neighbours averaged."},
    {.name = "dedupe", .type = ARG_BOOL, .def = "no",
     .help = "Remove rows that duplicate an earlier row in every column."},
    {.name = "dates", .type = ARG_COLUMNS,
     .help = "Columns holding dates in mixed formats (or YYYYMMDD numbers), rewritten as "
             "ISO 8601.",
     .comp = COMP_COLUMNS},
    {0},
};

/* "'a', 'b' and 'c'": the values of a column that did not parse. */
static void
add_examples(struct buf *b, const struct prep_dates *d)
{
    for (int i = 0; i < d->n_examples; i++)
        buf_addf(b, "%s'%s'", i == 0 ? "" : i + 1 == d->n_examples ? " and " : ", ", d->bad[i]);
}

/*
 * Refuse a column that holds text among numbers (it would be lost), or
 * whose values are mostly not dates: clean would set them all to NULL.
 */
static int
dates_refused(const struct cmd_args *args, const struct frame *f, int j,
              const struct prep_dates *d, struct qerr *err)
{
    if (f->kind[j] == FRAME_NUM && f->n_nonnum[j] > 0) {
        qerr_set(err, QE_ARG, "dates=%s: the column holds numbers and %lld text value%s; clean "
                 "it as text first", f->names[j], f->n_nonnum[j], kit_plural(f->n_nonnum[j]));
        return kit_fail_at(args, "dates", err);
    }
    if (d->n_bad <= d->n_ok)
        return 0;
    struct buf b = BUF_INIT;
    add_examples(&b, d);
    qerr_set(err, QE_DATA, "dates=%s: %lld of %lld values are not dates quarry reads, such as "
             "%s; nothing was changed", f->names[j], d->n_bad, d->n_bad + d->n_ok, b.data);
    buf_release(&b);
    if (f->kind[j] == FRAME_NUM)
        qerr_hint(err, "numbers are read as dates written YYYYMMDD (20240305)");
    else
        qerr_hint(err, "help clean lists the formats read; rewrite the others with UPDATE ... "
                       "SET %s = ... first", f->names[j]);
    return kit_fail_at(args, "dates", err);
}

/* "dates ts: 69649 parsed (0 rewritten), 139 unparseable set to NULL (e.g. 'soon'); ..." */
static void
report_dates(struct cmd_result *res, const char *col, const struct prep_dates *d)
{
    struct buf b = BUF_INIT;
    buf_addf(&b, "dates %s: %lld parsed (%lld rewritten), %lld unparseable set to NULL", col,
             d->n_ok, d->n_changed, d->n_bad);
    if (d->n_bad)
        buf_addf(&b, " (e.g. '%s')", d->bad[0]);
    if (d->hint)
        buf_adds(&b, d->dayfirst ? "; d/m/y read day first" : "; d/m/y read month first");
    if (d->n_offset)
        buf_addf(&b, "; %lld time%s with a UTC offset converted to UTC", d->n_offset,
                 kit_plural(d->n_offset));
    result_text(res, "%s", b.data);
    buf_release(&b);
}

/*
 * dates=: parse each listed column; unparseable values become NULL, unless
 * they are most of a column, which is refused.
 */
static int
clean_dates(struct cmd_ctx *ctx, const struct cmd_args *args, const char **table,
            struct cmd_result *res, struct qerr *err)
{
    const struct arg_val *v = args_get(args, "dates");
    struct frame *f = NULL;
    if (kit_read(ctx, *table, (const char *const *)v->list, v->n_list, 0, &f, err) < 0)
        return -1;
    int n = f->n_cols, rc = 0;
    struct frame_out *outs = xcalloc((size_t)n, sizeof(*outs));
    struct prep_dates *d = xcalloc((size_t)n, sizeof(*d));
    for (int j = 0; j < n && rc == 0; j++) {
        if ((rc = prep_dates_column(f, j, kit_progress, ctx, &d[j], err)) < 0 ||
            (rc = dates_refused(args, f, j, &d[j], err)) < 0)
            break;
        outs[j] = (struct frame_out){.name = f->names[j], .text = d[j].text,
                                     .decl = d[j].has_time ? CATALOG_TIMESTAMP : CATALOG_DATE};
        report_dates(res, f->names[j], &d[j]);
    }
    if (rc == 0)
        rc = kit_write(ctx, args, table, f, outs, n, NULL, err);
    for (int j = 0; j < n; j++)
        prep_dates_release(&d[j]);
    free(d);
    free(outs);
    frame_release(f);
    return rc;
}

/* dedupe=yes: keep the first of each group of rows equal in every column. */
static int
clean_dedupe(struct cmd_ctx *ctx, const struct cmd_args *args, const char **table,
             struct cmd_result *res, struct qerr *err)
{
    char **names = NULL, **decls = NULL;
    int n = 0, rc = -1;
    struct frame *f = NULL;
    long long *first = NULL, n_first = 0;
    unsigned char *keep = NULL;
    if (cmd_table_columns(ctx, *table, &names, &decls, &n, err) < 0)
        return -1;
    if (kit_read(ctx, *table, (const char *const *)names, 1, 0, &f, err) < 0 ||
        catalog_first_of_equal_rows(ctx->cat, *table, (const char *const *)names, n, &first,
                                    &n_first, err) < 0)
        goto out;
    keep = mem_calloc((size_t)f->n_rows + 1, 1, "dedupe", "rows to keep", err);
    if (!keep)
        goto out;
    /* both ascending by rowid: one merge marks the rows to keep */
    long long row = 0, kept = 0;
    for (long long i = 0; i < n_first; i++) {
        while (row < f->n_rows && f->rowid[row] < first[i])
            row++;
        if (row < f->n_rows && f->rowid[row] == first[i]) {
            keep[row] = 1;
            kept++;
        }
    }
    result_text(res, "removed %lld duplicate row%s", f->n_rows - kept,
                f->n_rows - kept == 1 ? "" : "s");
    rc = kept == f->n_rows && !args->as ? 0 : kit_write(ctx, args, table, f, NULL, 0, keep, err);
out:
    free(first);
    free(keep);
    frame_release(f);
    cmd_free_names(names, n);
    cmd_free_names(decls, n);
    return rc;
}

/* A fill's name in messages. */
static const char *
fill_word(enum fill fill)
{
    return fill == FILL_VALUE ? "value" : fill_names[fill];
}

/* The fill of numeric column j, or an error. */
static int
numeric_fill(int (*progress)(void *, double), void *pctx, const struct frame *f, int j,
             enum fill fill, const char *value, double *out, struct qerr *err)
{
    struct prep_stats s;
    if (fill == FILL_VALUE) {
        char *end;
        *out = strtod(value, &end);
        if (!*value || *end || !isfinite(*out)) {
            qerr_set(err, QE_ARG, "missing=value:%s: column '%s' holds numbers, and %s is not "
                     "one", value, f->names[j], *value ? value : "an empty value");
            qerr_hint(err, "give a number, e.g. missing=value:0");
            return -1;
        }
        return 0;
    }
    if (prep_stats(frame_col(f, j), f->mask[j], f->n_rows,
                   (fill == FILL_MEDIAN ? PREP_NEED_MEDIAN
                    : fill == FILL_MODE ? PREP_NEED_MODE : 0) |
                       (fill != FILL_MEAN ? PREP_NO_MOMENTS : 0),
                   progress, pctx, &s, err) < 0)
        return -1;
    if (s.n == 0)
        return qerr_set(err, QE_ARG, "column '%s' has no values to take a %s from",
                        f->names[j], fill_word(fill));
    *out = fill == FILL_MEAN ? s.mean : fill == FILL_MEDIAN ? s.median : s.mode;
    if (fill == FILL_MEAN && s.n_inf > 0) { /* never an inf or NaN written as a fill */
        qerr_set(err, QE_DATA, "column '%s' holds %lld infinite value%s (inf or -inf), so its "
                 "mean is no number to fill with", f->names[j], s.n_inf, s.n_inf == 1 ? "" : "s");
        qerr_hint(err, "fill it with missing=median, or make the infinities missing first");
        return -1;
    }
    return 0;
}

/*
 * Without cols=, a fill leaves key-like columns out (prep/keys.h): the
 * median of customer ids is no customer. skip[j] = 1 for each; a line
 * names those that had values to fill.
 */
static int
leave_out_keys(struct cmd_ctx *ctx, const struct frame *f, unsigned char *skip,
               struct cmd_result *res, struct qerr *err)
{
    struct buf b = BUF_INIT;
    int n = 0;
    for (int j = 0; j < f->n_cols; j++) {
        enum prep_key why;
        if (f->decl[j] == CATALOG_DATE || f->decl[j] == CATALOG_TIMESTAMP)
            continue; /* dates are left out anyway */
        if (prep_key_like(f, j, kit_progress, ctx, &why, err) < 0) {
            buf_release(&b);
            return -1;
        }
        skip[j] = why != PREP_KEY_NONE;
        if (skip[j] && f->n_missing[j] > 0)
            buf_addf(&b, "%s%s (%s, %lld missing)", n++ ? ", " : "", f->names[j],
                     prep_key_reason(f, j, why), f->n_missing[j]);
    }
    if (n)
        result_text(res, "left out as key%s: %s; name %s in cols= to fill %s", n == 1 ? "" : "s",
                    b.data, n == 1 ? "it" : "them", n == 1 ? "it" : "them");
    buf_release(&b);
    return 0;
}

/* Rows from which clean fills its columns in parallel (prep_par.h). */
#define PAR_ROWS 65536

/* The numeric columns a mean, median or mode fills, worked on by fill_job. */
struct fill_work {
    const struct frame *f;
    enum fill fill;
    const char *value;
    unsigned char *todo;       /* [n_cols] fill this column */
    double **num;              /* [n_cols] the filled values, allocated by the caller */
    double *fv;                /* [n_cols] the fill */
    int *rc;                   /* [n_cols] numeric_fill's */
    int *whole;                /* [n_cols] every filled value whole */
    struct qerr *err;          /* [n_cols] */
};

/*
 * x != floor(x) for x not NaN, without calling floor: past 2^52 every
 * double is whole; below it the conversion to an integer is exact.
 */
static inline int
not_whole(double x)
{
    return x != x || (!(fabs(x) >= 4503599627370496.0) && (double)(long long)x != x);
}

/* Column j of w: its fill (numeric_fill), its filled values and whether all are whole. */
static void
fill_job(void *arg, int j, int (*progress)(void *, double), void *pctx)
{
    struct fill_work *w = arg;
    const struct frame *f = w->f;
    if (!w->todo[j])
        return;
    double fv = 0;
    if ((w->rc[j] = numeric_fill(progress, pctx, f, j, w->fill, w->value, &fv, &w->err[j])) < 0)
        return;
    w->fv[j] = fv;
    const double *x = frame_col(f, j);
    double *y = w->num[j];
    for (long long r = 0; r < f->n_rows; r++)
        y[r] = isnan(x[r]) ? fv : x[r];
    int any = 0;
    if (f->decl[j] == CATALOG_INTEGER)
        for (long long r = 0; r < f->n_rows; r++)
            any |= not_whole(y[r]);
    w->whole[j] = !any;
}

static int
clean_missing(struct cmd_ctx *ctx, const struct cmd_args *args, const char **table,
              enum fill fill, const char *value, struct cmd_result *res, struct qerr *err)
{
    const struct arg_val *cv = args_get(args, "cols");
    struct frame *f = NULL;
    int flags = 0;
    if (kit_read(ctx, *table, cv->text ? (const char *const *)cv->list : NULL, cv->text ? cv->n_list : 0, flags, &f,
                  err) < 0)
        return -1;
    int n = f->n_cols, rc = 0, n_filled_cols = 0;
    long long filled = 0;
    struct frame_out *outs = xcalloc((size_t)n + 1, sizeof(*outs));
    double **num = xcalloc((size_t)n + 1, sizeof(double *));
    const char ***text = xcalloc((size_t)n + 1, sizeof(char **));
    unsigned char *keep = NULL;
    int n_outs = 0, *feat = xcalloc((size_t)n + 1, sizeof(int)), n_feat = 0;
    unsigned char *key = xcalloc((size_t)n + 1, 1);

    if (fill == FILL_DROP) {
        keep = xmalloc((size_t)f->n_rows + 1);
        long long dropped = 0;
        for (long long r = 0; r < f->n_rows; r++) {
            keep[r] = 1;
            for (int j = 0; j < n && keep[r]; j++)
                keep[r] = !frame_missing(f, j, r);
            dropped += !keep[r];
        }
        result_text(res, "dropped %lld row%s with missing values in %d column%s",
                    dropped, dropped == 1 ? "" : "s", n, n == 1 ? "" : "s");
        if (dropped || args->as)
            rc = kit_write(ctx, args, table, f, NULL, 0, keep, err);
        goto out;
    }
    if (!cv->text && (rc = leave_out_keys(ctx, f, key, res, err)) < 0)
        goto out;
    for (int j = 0; j < n; j++)
        if (f->kind[j] == FRAME_NUM && !key[j])
            feat[n_feat++] = j;
    /* the numeric columns a mean, median, mode or value fills: in parallel, first */
    struct fill_work w = {.f = f, .fill = fill, .value = value, .num = num,
                          .todo = xcalloc((size_t)n + 1, 1),
                          .fv = xcalloc((size_t)n + 1, sizeof(double)),
                          .rc = xcalloc((size_t)n + 1, sizeof(int)),
                          .whole = xcalloc((size_t)n + 1, sizeof(int)),
                          .err = xcalloc((size_t)n + 1, sizeof(struct qerr))};
    unsigned char *todo = w.todo;
    for (int j = 0; j < n; j++) {
        qerr_init(&w.err[j]);
        todo[j] = fill != FILL_KNN && f->kind[j] == FRAME_NUM && f->n_missing[j] != 0 &&
                  !key[j] &&
                  (cv->text || (f->decl[j] != CATALOG_DATE && f->decl[j] != CATALOG_TIMESTAMP));
        if (todo[j]) /* here: the main heap's */
            num[j] = xmalloc((size_t)f->n_rows * sizeof(double) + 1);
    }
    prep_par_columns(n, f->n_rows >= PAR_ROWS ? ctx->set.threads : 1, fill_job, &w,
                     kit_progress, ctx);
    for (int j = 0; j < n && rc == 0; j++) {
        if (f->n_missing[j] == 0 || key[j])
            continue;
        if (!cv->text && (f->decl[j] == CATALOG_DATE || f->decl[j] == CATALOG_TIMESTAMP))
            continue; /* a typical date is no fill for a missing one: only when listed */
        char b[64];
        if (f->kind[j] == FRAME_TEXT) {
            if (fill == FILL_KNN) {
                if (cv->text) {
                    rc = qerr_set(err, QE_ARG, "missing=knn fills numeric columns; '%s' holds "
                                  "text", f->names[j]);
                    qerr_hint(err, "clean it on its own with missing=mode");
                }
                continue;
            }
            const char *fv = value;
            if (fill != FILL_VALUE) {
                int c;
                rc = prep_mode_code(f->code[j], f->n_rows, f->levels[j], f->n_levels[j], &c, err);
                if (rc < 0)
                    break;
                if (c < 0) { /* all NULL: nothing to take a mode from */
                    result_text(res, "  %s: all %lld values missing, nothing to fill from; "
                                "left as it is", f->names[j], f->n_missing[j]);
                    continue;
                }
                fv = f->levels[j][c];
            }
            text[j] = xmalloc((size_t)f->n_rows * sizeof(char *) + 1);
            for (long long r = 0; r < f->n_rows; r++)
                text[j][r] = f->code[j][r] < 0 ? fv : f->levels[j][f->code[j][r]];
            outs[n_outs++] = (struct frame_out){.name = f->names[j], .decl = f->decl[j],
                                                .text = text[j]};
            result_text(res, "  %s: %lld filled with '%s'%s", f->names[j],
                        f->n_missing[j], fv,
                        fill == FILL_MEAN || fill == FILL_MEDIAN ? " (mode: text column)" : "");
        } else {
            enum catalog_kind decl = f->decl[j];
            if (fill == FILL_KNN) {
                num[j] = xmalloc((size_t)f->n_rows * sizeof(double) + 1);
                int *others = xmalloc((size_t)n_feat * sizeof(int) + 1), n_others = 0;
                for (int c = 0; c < n_feat; c++)
                    if (feat[c] != j)
                        others[n_others++] = feat[c];
                rc = n_others == 0
                         ? qerr_set(err, QE_ARG, "missing=knn needs other numeric columns to "
                                    "find neighbours; cols= lists only '%s'", f->names[j])
                         : prep_knn_fill(f, j, others, n_others, (int)args_int(args, "k"),
                                         num[j], kit_progress, ctx, err);
                free(others);
                if (rc < 0)
                    break;
                snprintf(b, sizeof b, "the mean of %lld neighbours", args_int(args, "k"));
                for (long long r = 0; decl == CATALOG_INTEGER && r < f->n_rows; r++)
                    if (not_whole(num[j][r]))
                        decl = CATALOG_REAL;
            } else {
                if (w.rc[j] < 0) {
                    *err = w.err[j];
                    qerr_init(&w.err[j]);
                    rc = -1;
                    break;
                }
                struct buf t = BUF_INIT;
                buf_add_real(&t, w.fv[j]);
                snprintf(b, sizeof b, "%s", t.data);
                buf_release(&t);
                if (!w.whole[j])
                    decl = CATALOG_REAL; /* a mean in an integer column */
            }
            outs[n_outs++] = (struct frame_out){.name = f->names[j], .decl = decl,
                                                .num = num[j]};
            result_text(res, "  %s: %lld filled with %s%s", f->names[j],
                        f->n_missing[j], b,
                        f->n_nonnum[j] ? " (text that is not a number counted as missing)" : "");
        }
        filled += f->n_missing[j];
        n_filled_cols++;
    }
    if (rc == 0) {
        result_text(res, "filled %lld missing value%s in %d column%s (%s)", filled,
                    filled == 1 ? "" : "s", n_filled_cols, n_filled_cols == 1 ? "" : "s",
                    fill_word(fill));
        if (n_outs || args->as)
            rc = kit_write(ctx, args, table, f, outs, n_outs, NULL, err);
    }
    for (int j = 0; j < n; j++)
        qerr_clear(&w.err[j]);
    free(w.todo);
    free(w.fv);
    free(w.rc);
    free(w.whole);
    free(w.err);
out:
    for (int j = 0; j < n; j++) {
        free(num[j]);
        free(text[j]);
    }
    free(num);
    free(text);
    free(outs);
    free(feat);
    free(key);
    free(keep);
    frame_release(f);
    return rc;
}

static int
cmd_clean_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
               struct qerr *err)
{
    const char *table = args_str(args, "TABLE");
    enum fill fill = (enum fill)args_choice(args, "missing");
    const char *value = fill == FILL_VALUE ? args_str(args, "missing") + 6 : NULL;
    int dedupe = args_int(args, "dedupe") != 0, dates = args_given(args, "dates");
    if (fill == FILL_NONE && !dedupe && !dates) {
        qerr_set(err, QE_ARG, "say what to clean");
        qerr_hint(err, "add missing=median (or drop, mean, mode, value:X, knn), dedupe=yes or "
                       "dates=COLUMN");
        return -1;
    }
    if (dates && clean_dates(ctx, args, &table, res, err) < 0)
        return -1;
    if (dedupe && clean_dedupe(ctx, args, &table, res, err) < 0)
        return -1;
    if (fill != FILL_NONE && clean_missing(ctx, args, &table, fill, value, res, err) < 0)
        return -1;
    if (args->as)
        result_text(res, "wrote %s", args->as);
    return 0;
}

const struct cmd_entry cmd_clean_entry = {
    .name = "clean",
    .family = "preprocessing",
    .synopsis = "clean TABLE [cols=...] [missing=drop|mean|median|mode|value:X|knn] [k=5] "
                "[dedupe=yes] [dates=COL,...] [as NAME]",
    .help = "Repair a table, in place (undo reverts it) or into a new table with as NAME. "
            "dates= rewrites the listed columns as ISO 8601 dates or timestamps from "
            "mixed formats (2024-03-05, 2024/03/05, 05.03.2024, 05/03/2024, 20240305 as text "
            "or as a number, 5 Mar 2024, 5-Mar-2024, 5-Mar-24 (a two-digit year is 1969-2068), "
            "Mar 5, 2024, Jan-1-1995, after a weekday "
            "such as Tue 5 Mar 2024, with or without a time); fractions of a second are kept; "
            "a time with a UTC offset (+02:00, +0200, -05, Z) is converted to UTC and the line "
            "says how many were; d/m/y is read day first unless "
            "the values show month first; a leap second (23:59:60) becomes the next minute's "
            ":00, as in PostgreSQL; impossible dates (30 February, a weekday that is not "
            "the date's) and other text become NULL and are counted, with an example, but a "
            "column whose values are mostly not dates is refused, unchanged, with examples. "
            "dedupe=yes keeps the first of rows equal in every column. "
            "missing= fills or drops missing values in cols (default every column): drop "
            "removes rows missing any of them; without cols= a fill leaves key-like columns "
            "out and names them (a name whose last word is id, key, code, uuid or guid, a "
            "name ending in id over whole numbers, or whole numbers or text with nearly every "
            "value distinct): name one in cols= to fill it; mean, median and mode fill numeric "
            "columns "
            "(text columns always take their mode, the most frequent value, ties to the one "
            "that sorts first; date columns are filled only when listed in cols); value:X fills with X; knn fills a numeric column with the mean "
            "of the k nearest rows that have it, by the NaN-aware Euclidean distance over the "
            "other numeric columns of cols (scikit-learn's KNNImputer). Text in a numeric "
            "column counts as missing. The steps run in that order.",
    .example = "clean orders missing=median dedupe=yes dates=ts as orders_clean",
    .args = cmd_clean_args,
    .flags = CMD_WRITES | CMD_AS,
    .exec = cmd_clean_exec,
};

/* --- outliers ------------------------------------------------------------------ */

static const char *const rule_names[] = {
    [PREP_IQR_RULE] = "iqr", [PREP_ZSCORE_RULE] = "zscore", [PREP_MAD_RULE] = "mad"};

enum outlier_action { ACTION_FLAG, ACTION_CLIP, ACTION_DROP };
static const char *const action_names[] = {
    [ACTION_FLAG] = "flag", [ACTION_CLIP] = "clip", [ACTION_DROP] = "drop"};

static const struct arg_spec cmd_outliers_args[] = {
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "The table to check.", .comp = COMP_TABLES},
    {.name = "cols", .type = ARG_COLUMNS, .required = 1,
     .help = "Numeric columns to check.", .comp = COMP_COLUMNS},
    {.name = "method", .type = ARG_ENUM, .def = "iqr", .choices = "iqr|zscore|mad",
     ARG_NAMES(rule_names),
     .help = "The rule: Tukey's fences (iqr), standard scores (zscore) or the median "
             "absolute deviation (mad).", .comp = COMP_CHOICES},
    {.name = "k", .type = ARG_REAL, .min = 0.0001, .max = 1000,
     .help = "How far out a value must lie: 1.5 for iqr, 3 for zscore and mad by default."},
    {.name = "action", .type = ARG_ENUM, .def = "flag", .choices = "flag|clip|drop",
     ARG_NAMES(action_names),
     .help = "flag adds a 0/1 column, clip moves values to the nearest bound, drop removes "
             "the rows.", .comp = COMP_CHOICES},
    {.name = "into", .type = ARG_NAME, .def = "outlier", .modes = "action=flag",
     .help = "The column action=flag writes."},
    KIT_REPLACE_ARG_IN("action=flag"),
    {0},
};

/* The table of bounds and counts, one row per column. */
static void
show_bounds(struct cmd_result *res, const struct frame *f, const char *method, double k,
            const struct outliers_col *b)
{
    static const char *const cols[] = {"column", "rule", "lower", "upper", "below", "above"};
    struct rtable *t = result_table(res, 6, cols);
    for (int j = 0; j < f->n_cols; j++) {
        long long row = rtable_add_row(t);
        rtable_set(t, row, 0, f->names[j], 0);
        rtable_setf(t, row, 1, 0, "%s k=%g", method, k);
        rtable_setf(t, row, 2, 1, "%.6g", b[j].lo);
        rtable_setf(t, row, 3, 1, "%.6g", b[j].hi);
        rtable_setf(t, row, 4, 1, "%lld", b[j].below);
        rtable_setf(t, row, 5, 1, "%lld", b[j].above);
    }
}

/* action=clip: every column with its outliers moved to the bounds. */
static int
clip_columns(struct cmd_ctx *ctx, const struct cmd_args *args, const char **table,
             const struct frame *f, const struct outliers_col *b, struct cmd_result *res,
             struct qerr *err)
{
    int n = f->n_cols;
    struct frame_out *outs = xcalloc((size_t)n, sizeof(*outs));
    double *y = xmalloc((size_t)n * ((size_t)f->n_rows + 1) * sizeof(double));
    long long moved = 0;
    for (int j = 0; j < n; j++) {
        int whole;
        double *yj = y + (size_t)j * ((size_t)f->n_rows + 1);
        moved += outliers_clip(frame_col(f, j), f->n_rows, &b[j], yj, &whole);
        outs[j] = (struct frame_out){.name = f->names[j], .num = yj,
                                     .decl = whole ? f->decl[j] : CATALOG_REAL};
    }
    int rc = kit_write(ctx, args, table, f, outs, n, NULL, err);
    if (rc == 0)
        result_text(res, "clipped %lld value%s to the bounds in %d column%s", moved,
                    kit_plural(moved), n, kit_plural(n));
    free(outs);
    free(y);
    return rc;
}

/* action=flag: a 0/1 column; action=drop: the rows without an outlier. */
static int
flag_or_drop(struct cmd_ctx *ctx, const struct cmd_args *args, const char **table,
             const struct frame *f, unsigned char *hit, long long n_hit, struct cmd_result *res,
             struct qerr *err)
{
    int rc;
    if (args_choice(args, "action") == ACTION_FLAG) {
        double *flag = xmalloc((size_t)f->n_rows * sizeof(double) + 1);
        for (long long r = 0; r < f->n_rows; r++)
            flag[r] = hit[r];
        struct frame_out out = {.name = args_str(args, "into"), .decl = CATALOG_INTEGER,
                                .num = flag};
        if ((rc = kit_write(ctx, args, table, f, &out, 1, NULL, err)) == 0)
            result_text(res, "flagged %lld row%s in column %s (%d column%s checked)", n_hit,
                        kit_plural(n_hit), out.name, f->n_cols, kit_plural(f->n_cols));
        free(flag);
        return rc;
    }
    for (long long r = 0; r < f->n_rows; r++)
        hit[r] = !hit[r];
    if ((rc = kit_write(ctx, args, table, f, NULL, 0, hit, err)) == 0)
        result_text(res, "dropped %lld row%s outside the bounds", n_hit, kit_plural(n_hit));
    return rc;
}

static int
cmd_outliers_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                  struct qerr *err)
{
    const char *table = args_str(args, "TABLE");
    const struct arg_val *cv = args_get(args, "cols");
    enum prep_outlier rule = (enum prep_outlier)args_choice(args, "method");
    double k = args_given(args, "k") ? args_real(args, "k") : rule == PREP_IQR_RULE ? 1.5 : 3;
    const char *into = args_str(args, "into");
    struct frame *f = NULL;
    if (kit_read(ctx, table, (const char *const *)cv->list, cv->n_list, 0, &f, err) < 0)
        return -1;
    int n = f->n_cols, rc = -1, *all = xmalloc((size_t)n * sizeof(int));
    struct outliers_col *b = xcalloc((size_t)n, sizeof(*b));
    unsigned char *hit = xcalloc((size_t)f->n_rows + 1, 1);
    long long n_hit = 0;
    for (int j = 0; j < n; j++) {
        all[j] = j;
        if (f->kind[j] != FRAME_NUM) {
            qerr_set(err, QE_ARG, "column '%s' holds text; outliers are found in numeric "
                     "columns", f->names[j]);
            kit_fail_at(args, "cols", err);
            goto out;
        }
    }
    if ((args_choice(args, "action") == ACTION_FLAG &&
         kit_claim(ctx, args, table, &into, 1, "into", NULL, 0, err) < 0) ||
        outliers_find(f, all, n, rule, k, kit_progress, ctx, b, hit, &n_hit, err) < 0)
        goto out;
    show_bounds(res, f, args_str(args, "method"), k, b);
    rc = args_choice(args, "action") == ACTION_CLIP
             ? clip_columns(ctx, args, &table, f, b, res, err)
             : flag_or_drop(ctx, args, &table, f, hit, n_hit, res, err);
    if (rc == 0 && args->as)
        result_text(res, "wrote %s", args->as);
out:
    free(all);
    free(b);
    free(hit);
    frame_release(f);
    return rc;
}

const struct cmd_entry cmd_outliers_entry = {
    .name = "outliers",
    .family = "preprocessing",
    .synopsis = "outliers TABLE cols=... [method=iqr|zscore|mad] [k=1.5|3] "
                "[action=flag|clip|drop] [into=outlier] [replace=yes] [as NAME]",
    .help = "Find extreme values in numeric columns and flag, clip or drop them. A value is "
            "an outlier when it lies outside [q1 - k IQR, q3 + k IQR] (method=iqr, Tukey's "
            "fences, k=1.5), outside mean +- k sd with the sample standard deviation "
            "(method=zscore, k=3), or outside median +- k * 1.4826 MAD (method=mad, k=3; the "
            "MAD scaled to estimate sd for normal data). The table of bounds and counts comes "
            "first. action=flag writes 1 in the into column for rows with an outlier in any of "
            "cols and 0 elsewhere (a column of that name that exists is refused unless "
            "replace=yes); clip moves each outlier to the bound it crossed; drop "
            "removes the rows. Missing values are never outliers.",
    .example = "outliers orders cols=amount method=iqr action=flag",
    .args = cmd_outliers_args,
    .flags = CMD_WRITES | CMD_AS,
    .exec = cmd_outliers_exec,
};
