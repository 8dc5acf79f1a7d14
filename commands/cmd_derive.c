/*
 * cmd_derive.c: `derive` (new columns from SQL expressions), `split`
 * (train/valid/test labels) and `sample` (a random subset as a table).
 */
#include "kit.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "data/catalog_edit.h"
#include "prep/groups.h"
#include "prep/split.h"

#include "remote.h"
#include "base/banned.h"

/* Copy table to args->as (rows, types and rowids kept); *table becomes the copy. */
static int
copy_to_as(struct cmd_ctx *ctx, const struct cmd_args *args, const char **table,
           struct qerr *err)
{
    struct frame *f = NULL;
    int rc = kit_read_rows_only(ctx, *table, &f, err);
    if (rc == 0)
        rc = kit_write(ctx, args, table, f, NULL, 0, NULL, err);
    frame_release(f);
    return rc;
}

/* --- derive -------------------------------------------------------------------- */

static int
valid_ident(const char *s)
{
    if (!isalpha((unsigned char)*s) && *s != '_')
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_')
            return 0;
    return 1;
}

static int
cmd_derive_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                struct qerr *err)
{
    const char *table = args_str(args, "TABLE");
    if (args->n_free == 0) {
        qerr_set(err, QE_ARG, "say which columns to derive");
        qerr_hint(err, "type NAME=EXPRESSION, e.g. derive %s total='amount * 1.2'", table);
        return -1;
    }
    if (args->as && copy_to_as(ctx, args, &table, err) < 0)
        return -1;
    for (int i = 0; i < args->n_free; i++) {
        const char *name = args->free_keys[i], *expr = args->free_vals[i], *decl = NULL;
        char **cols = NULL, **decls = NULL;
        int n = 0, exists = 0;
        if (!valid_ident(name))
            return qerr_set(err, QE_ARG, "'%s' is not a column name: use letters, digits and _",
                            name);
        if (cmd_table_columns(ctx, table, &cols, &decls, &n, err) < 0)
            return -1;
        for (int c = 0; c < n; c++)
            exists |= strcasecmp(cols[c], name) == 0;
        cmd_free_names(cols, n);
        cmd_free_names(decls, n);
        if (exists) {
            qerr_set(err, QE_ARG, "'%s' already has a column '%s'", table, name);
            qerr_hint(err, "pick a new name, or change it with UPDATE %s SET %s = ...", table,
                      name);
            return -1;
        }
        if (catalog_derive_column(ctx->cat, table, name, expr, &decl, err) < 0)
            return -1;
        result_text(res, "added %s%s%s to %s", name, *decl ? " " : "", decl, table);
    }
    return 0;
}

static const struct arg_spec cmd_derive_args[] = {
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "The table to add columns to.", .comp = COMP_TABLES},
    {0},
};

const struct cmd_entry cmd_derive_entry = {
    .name = "derive",
    .family = "preprocessing",
    .synopsis = "derive TABLE NAME=EXPRESSION [NAME=EXPRESSION ...] [as NAME]",
    .help = "Add columns computed by SQL expressions over each row, in order (a later "
            "expression may use an earlier new column). Quote an expression that holds spaces "
            "or commas: derive orders month='substr(ts, 1, 7)' big='amount > 100'. The column "
            "is declared INTEGER, REAL or TEXT after the values the expression gives. Each "
            "expression must be one expression; an existing column is never overwritten.",
    .example = "derive orders month='substr(ts, 1, 7)'",
    .args = cmd_derive_args,
    .flags = CMD_WRITES | CMD_AS | CMD_FREE_KEYS,
    .exec = cmd_derive_exec,
};

/* --- split ------------------------------------------------------------------------ */

/*
 * Stratum ids of column 0 of f into gid (n_rows, -1 for a missing value),
 * in ascending key order (groups.h); returns the number of strata, or -1.
 */
static int
strata_of(struct cmd_ctx *ctx, const struct frame *f, int32_t *gid, struct qerr *err)
{
    struct groups g;
    if (groups_init(&g, f, 0, kit_progress, ctx, err) < 0)
        return -1;
    memcpy(gid, g.id, (size_t)f->n_rows * sizeof(int32_t));
    int n = g.n_groups;
    groups_release(&g);
    return n;
}

static int
parse_ratios(const char *s, double *r, int *n, struct qerr *err)
{
    const char *p = s;
    double sum = 0;
    *n = 0;
    while (*n < SPLIT_MAX_PARTS) {
        char *end;
        r[*n] = strtod(p, &end);
        if (end == p || !(r[*n] >= 0) || !isfinite(r[*n]))
            break;
        sum += r[(*n)++];
        p = end;
        if (*p != ',')
            break;
        p++;
    }
    if (*p || *n < 2 || fabs(sum - 1) > 1e-9) {
        qerr_set(err, QE_ARG, "ratios=%s: give two or three shares that add up to 1", s);
        qerr_hint(err, "e.g. ratios=0.7,0.15,0.15 (train, valid, test) or ratios=0.8,0.2");
        return -1;
    }
    return 0;
}

static const char *const part_names[2][3] = {{"train", "test", ""}, {"train", "valid", "test"}};

/* The parts of f's rows: by time, or at random (stratified by column 0 when strat). */
static int
assign_parts(struct cmd_ctx *ctx, const struct cmd_args *args, const struct frame *f,
            const double *ratio, int n_parts, signed char *part, struct cmd_result *res,
            struct qerr *err)
{
    if (args_given(args, "by")) {
        int rc = split_ordered(f, 0, ratio, n_parts, kit_progress, ctx, part, err);
        if (rc < 0 && err->code == QE_ARG) /* a missing value */
            qerr_hint(err, "clean %s cols=%s missing=drop first", args_str(args, "TABLE"),
                      f->names[0]);
        return rc;
    }
    uint64_t seed = (uint64_t)kit_seed(ctx, args, res);
    int32_t *gid = NULL;
    int n_strata = 0;
    if (args_given(args, "stratify")) {
        gid = xcalloc((size_t)f->n_rows + 1, sizeof(int32_t));
        if ((n_strata = strata_of(ctx, f, gid, err)) < 0) {
            free(gid);
            return -1;
        }
    }
    int rc = split_random(f->n_rows, gid, n_strata, ratio, n_parts, seed, kit_progress, ctx,
                          part, err);
    free(gid);
    return rc;
}

/* "split 100 rows of t into train 70, valid 15, test 15 (column split; random)" */
static void
report_split(struct cmd_result *res, const struct cmd_args *args, const char *table,
             const signed char *part, long long n, int n_parts)
{
    struct buf b = BUF_INIT;
    buf_addf(&b, "split %lld row%s of %s into", n, kit_plural(n), table);
    for (int p = 0; p < n_parts; p++) {
        long long c = 0;
        for (long long r = 0; r < n; r++)
            c += part[r] == p;
        buf_addf(&b, "%s %s %lld", p ? "," : "", part_names[n_parts == 3][p], c);
    }
    buf_addf(&b, " (column %s; %s)", args_str(args, "into"),
             args_given(args, "by")         ? "ordered by time"
             : args_given(args, "stratify") ? "stratified"
                                            : "random");
    result_text(res, "%s", b.data);
    buf_release(&b);
}

static int
cmd_split_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
               struct qerr *err)
{
    const char *table = args_str(args, "TABLE"), *by = args_str(args, "by");
    const char *key = by ? by + 5 : args_str(args, "stratify");
    double ratio[SPLIT_MAX_PARTS];
    int n_parts = 0, rc = -1;
    if (parse_ratios(args_str(args, "ratios"), ratio, &n_parts, err) < 0)
        return kit_fail_at(args, "ratios", err);
    if (by && strncmp(by, "time:", 5) != 0) {
        qerr_set(err, QE_ARG, "by=%s: the only ordering is by=time:COLUMN", by);
        qerr_hint(err, "e.g. by=time:ts puts the earliest rows in train and the latest in test");
        return kit_fail_at(args, "by", err);
    }
    const char *into = args_str(args, "into");
    struct frame *f = NULL;
    if ((key ? kit_read(ctx, table, &key, 1, 0, &f, err)
             : kit_read_rows_only(ctx, table, &f, err)) < 0)
        return err->code == QE_NOTFOUND ? kit_fail_at(args, by ? "by" : "stratify", err) : -1;
    if (kit_claim(ctx, args, table, &into, 1, "into", NULL, 0, err) < 0) {
        frame_release(f);
        return -1;
    }
    long long n = f->n_rows;
    signed char *part = xcalloc((size_t)n + 1, 1);
    const char **label = xcalloc((size_t)n + 1, sizeof(char *));
    if (assign_parts(ctx, args, f, ratio, n_parts, part, res, err) < 0)
        goto out;
    for (long long r = 0; r < n; r++)
        label[r] = part_names[n_parts == 3][part[r]];
    struct frame_out out = {.name = into, .decl = CATALOG_TEXT,
                            .text = label};
    if ((rc = kit_write(ctx, args, &table, f, &out, 1, NULL, err)) == 0)
        report_split(res, args, table, part, n, n_parts);
out:
    free(part);
    free(label);
    frame_release(f);
    return rc;
}

static const struct arg_spec cmd_split_args[] = {
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "The table to label.", .comp = COMP_TABLES},
    {.name = "ratios", .type = ARG_TEXT, .def = "0.7,0.15,0.15",
     .help = "Shares of train, valid and test (two shares: train and test)."},
    {.name = "stratify", .type = ARG_COLUMN, .modes = "!by",
     .help = "Keep the shares within each value of this column.", .comp = COMP_COLUMNS},
    {.name = "by", .type = ARG_TEXT,
     .help = "by=time:COLUMN splits chronologically: earliest train, latest test."},
    {.name = "seed", .type = ARG_INT, .min = 0, .max = 9e15, .modes = "!by",
     .help = "Seed of the random draw (default: the session's, recorded in the history)."},
    {.name = "into", .type = ARG_NAME, .def = "split", .help = "The column to write."},
    KIT_REPLACE_ARG,
    {0},
};

const struct cmd_entry cmd_split_entry = {
    .name = "split",
    .family = "preprocessing",
    .synopsis = "split TABLE [ratios=0.7,0.15,0.15] [stratify=COL] [by=time:COL] [seed=N] "
                "[into=split] [replace=yes] [as NAME]",
    .help = "Label every row train, valid or test in a new column. Row counts are the shares "
            "of the row count rounded by largest remainder, so they add up exactly. By default "
            "the rows are drawn at random (seeded); stratify=COL draws within each value of "
            "COL so every part keeps its mix; by=time:COL sorts by COL (numbers, or ISO dates "
            "as text) and gives the earliest rows to train and the latest to test, as "
            "forecasting needs. An existing column named like into (a re-run) is refused "
            "unless replace=yes.",
    .example = "split orders ratios=0.8,0.2 seed=7",
    .args = cmd_split_args,
    .flags = CMD_WRITES | CMD_AS,
    .exec = cmd_split_exec,
};

/* --- sample ----------------------------------------------------------------------- */

static int
cmd_sample_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                struct qerr *err)
{
    const char *table = args_str(args, "TABLE"), *strat = args_str(args, "stratify");
    if (remote_named(table) && !catalog_has_table(ctx->cat, table))
        return remote_sample(ctx, args, res, err); /* drawn on PostgreSQL (remote.h) */
    if (!args_given(args, "n") && !args_given(args, "frac")) {
        qerr_set(err, QE_ARG, "say how many rows");
        qerr_hint(err, "n=1000 for a number of rows, frac=0.1 for a share");
        return -1;
    }
    struct frame *f = NULL;
    if ((strat ? kit_read(ctx, table, &strat, 1, 0, &f, err)
               : kit_read_rows_only(ctx, table, &f, err)) < 0)
        return -1;
    long long n = f->n_rows, want = args_given(args, "n")
                                        ? args_int(args, "n")
                                        : (long long)floor(args_real(args, "frac") * (double)n + 0.5);
    int32_t *gid = xcalloc((size_t)n + 1, sizeof(int32_t));
    unsigned char *keep = xcalloc((size_t)n + 1, 1);
    int rc = -1, n_strata = 0;
    if (want > n) {
        qerr_set(err, QE_ARG, "n=%lld is more than the %lld rows of %s", want, n, table);
        qerr_hint(err, "sampling is without replacement; ask for at most %lld", n);
        kit_fail_at(args, "n", err);
        goto out;
    }
    uint64_t seed = (uint64_t)kit_seed(ctx, args, res);
    if ((strat && (n_strata = strata_of(ctx, f, gid, err)) < 0) ||
        split_sample(n, strat ? gid : NULL, n_strata, want, seed, kit_progress, ctx, keep,
                     err) < 0)
        goto out;
    struct frame_write w = {.src = table, .dest = args->as, .f = f, .keep = keep,
                            .progress = kit_progress, .pctx = ctx};
    if ((rc = frame_write(ctx->cat, &w, err)) == 0)
        result_text(res, "sampled %lld of %lld rows of %s into %s%s", want, n, table, args->as,
                    strat ? " (stratified)" : "");
out:
    free(gid);
    free(keep);
    frame_release(f);
    return rc;
}

static const struct arg_spec cmd_sample_args[] = {
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "The table to draw from.", .comp = COMP_TABLES},
    {.name = "n", .type = ARG_INT, .min = 0, .max = 9e15, .modes = "!frac",
     .help = "How many rows to draw."},
    {.name = "frac", .type = ARG_REAL, .min = 0, .max = 1, .help = "Or what share of the rows."},
    {.name = "seed", .type = ARG_INT, .min = 0, .max = 9e15,
     .help = "Seed of the draw (default: the session's, recorded in the history)."},
    {.name = "stratify", .type = ARG_COLUMN,
     .help = "Draw from each value of this column in proportion.", .comp = COMP_COLUMNS},
    {0},
};

const struct cmd_entry cmd_sample_entry = {
    .name = "sample",
    .family = "preprocessing",
    .synopsis = "sample TABLE n=N|frac=F [seed=N] [stratify=COL] as NAME",
    .help = "Draw rows at random, without replacement, into a new table; the rows keep their "
            "order. frac=F takes F times the row count, rounded. stratify=COL draws from each "
            "value of COL in proportion to its size (largest-remainder rounding), so the "
            "sample keeps the mix.",
    .example = "sample orders n=1000 seed=1 as orders_1k",
    .args = cmd_sample_args,
    .flags = CMD_WRITES | CMD_AS | CMD_AS_REQUIRED,
    .exec = cmd_sample_exec,
};
