/*
 * cmd_crosstab.c: `crosstab TABLE rows=COL cols=COL [value=COL agg=...]`,
 * a pivot (src/prep/crosstab.h) written as a catalog table and shown.
 */
#include "kit.h"

#include <stdlib.h>
#include <string.h>

#include "data/frame.h"
#include "prep/crosstab.h"
#include "base/banned.h"

/* Tables of more rows are not poured into the output: view or head shows them. */
#define SHOW_ROWS 100

static const struct arg_spec cmd_crosstab_args[] = {
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "The table to pivot.", .comp = COMP_TABLES},
    {.name = "rows", .type = ARG_COLUMN, .required = 1,
     .help = "One row of the result per distinct value of this column.", .comp = COMP_COLUMNS},
    {.name = "cols", .type = ARG_COLUMN, .required = 1,
     .help = "One column of the result per distinct value of this column (at most 200).",
     .comp = COMP_COLUMNS},
    {.name = "value", .type = ARG_COLUMN,
     .help = "The column to aggregate in each cell (without it, rows are counted).",
     .comp = COMP_COLUMNS},
    {.name = "agg", .type = ARG_ENUM, .def = "count", .choices = "count|sum|mean|min|max",
     ARG_NAMES(crosstab_agg_names),
     .help = "How the rows of a cell combine: count (with totals), sum (with totals), mean, "
             "min or max.",
     .comp = COMP_CHOICES},
    {.name = "replace", .type = ARG_BOOL, .def = "no", .choices = "yes|no",
     .help = "Without as NAME: replace the TABLE_crosstab of an earlier run.",
     .comp = COMP_CHOICES},
    {0},
};

/* The result's name: as NAME, or TABLE_crosstab, which is replaced only with replace=yes. */
static int
result_name(struct cmd_ctx *ctx, const struct cmd_args *args, char **name, struct qerr *err)
{
    *name = args->as ? xstrdup(args->as) : kit_name(args_str(args, "TABLE"), "_crosstab");
    const char *tables[1] = {*name};
    return kit_claim(ctx, args, NULL, NULL, 0, NULL, tables, 1, err);
}

/* Write the crosstab: the row labels as text, then one column per key (and total). */
static int
write_crosstab(struct cmd_ctx *ctx, const struct cmd_args *args, const char *name,
               const struct crosstab *ct, struct qerr *err)
{
    struct frame_out *o = xcalloc((size_t)ct->cols, sizeof *o);
    o[0] = (struct frame_out){.name = ct->names[0], .decl = CATALOG_TEXT,
                              .text = (const char *const *)ct->labels};
    for (int c = 1; c < ct->cols; c++)
        o[c] = (struct frame_out){.name = ct->names[c],
                                  .decl = ct->integer ? CATALOG_INTEGER : CATALOG_REAL,
                                  .num = ct->cell + (long long)(c - 1) * ct->rows};
    int rc = args->as || !catalog_has_table(ctx->cat, name)
                 ? kit_write_new(ctx, name, o, ct->cols, ct->rows, err)
                 : kit_side_table(ctx, args, name, o, ct->cols, ct->rows, err);
    free(o);
    return rc;
}

/* What was made and what was left out. */
static void
report(struct cmd_result *res, const struct cmd_args *args, const char *name,
       const struct crosstab *ct, const struct frame *keys)
{
    const char *value = args_str(args, "value");
    result_text(res, "crosstab: %d row%s ('%s') x %d column%s ('%s') of %s(%s)%s into '%s'",
                ct->n_rows, kit_plural(ct->n_rows), keys->names[0], ct->n_cols,
                kit_plural(ct->n_cols), keys->names[1], args_str(args, "agg"),
                value ? value : "*", ct->totals ? ", with totals," : "", name);
    struct kit_skips sk = {0};
    kit_skip(&sk, ct->n_no_row_key, "without a '%s'", keys->names[0]);
    kit_skip(&sk, ct->n_no_col_key, "without a '%s'", keys->names[1]);
    kit_skips_report(res, &sk);
    if (ct->n_no_value)
        result_text(res, "%lld row%s with no value in '%s' %s in no cell", ct->n_no_value,
                    kit_plural(ct->n_no_value), value, ct->n_no_value == 1 ? "is" : "are");
    if (ct->n_text_value)
        result_text(res, "%lld text value%s in '%s' read as missing", ct->n_text_value,
                    kit_plural(ct->n_text_value), value);
    if (ct->n_renamed)
        result_text(res, "%d column name%s made unique with _2, _3, ... (SQLite's names ignore "
                         "case)", ct->n_renamed, kit_plural(ct->n_renamed));
}

static int
cmd_crosstab_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                  struct qerr *err)
{
    const char *table = args_str(args, "TABLE"), *value = args_str(args, "value");
    const char *keys[2] = {args_str(args, "rows"), args_str(args, "cols")};
    enum crosstab_agg agg = (enum crosstab_agg)args_choice(args, "agg");
    struct frame *fk = NULL, *fv = NULL;
    struct crosstab ct = {0};
    char *name = NULL;
    int rc = -1;
    if (kit_read(ctx, table, keys, 2, 0, &fk, err) < 0)
        goto out;
    /* Numbers for sum, mean, min and max, text too for count. */
    if (value && kit_read(ctx, table, &value, 1, agg == CROSSTAB_COUNT ? 0 : FRAME_ALL_NUMERIC,
                          &fv, err) < 0)
        goto out;
    struct crosstab_in in = {.keys = fk, .row_col = 0, .col_col = 1, .values = fv,
                             .value_col = 0, .agg = agg, .progress = kit_progress, .pctx = ctx};
    if (crosstab_compute(&in, &ct, err) < 0) {
        static const char *const key[] = {[CROSSTAB_FAULT_COLS] = "cols",
                                          [CROSSTAB_FAULT_VALUE] = "value",
                                          [CROSSTAB_FAULT_AGG] = "agg"};
        if (ct.fault != CROSSTAB_FAULT_NONE)
            kit_fail_at(args, key[ct.fault], err);
        goto out;
    }
    if (result_name(ctx, args, &name, err) < 0 || write_crosstab(ctx, args, name, &ct, err) < 0)
        goto out;
    report(res, args, name, &ct, fk);
    if (ct.rows <= SHOW_ROWS)
        rc = kit_show(ctx, res, name, NULL, err);
    else {
        result_text(res, "%d rows: view %s or head %s shows them", ct.rows, name, name);
        rc = 0;
    }
out:
    crosstab_release(&ct);
    if (fk)
        frame_release(fk);
    if (fv)
        frame_release(fv);
    free(name);
    return rc;
}

const struct cmd_entry cmd_crosstab_entry = {
    .name = "crosstab",
    .family = "preprocessing",
    .synopsis = "crosstab TABLE rows=COL cols=COL [value=COL] [agg=count|sum|mean|min|max] "
                "[replace=yes] [as NAME]",
    .help = "A pivot: one row per distinct value of rows=, one column per distinct value of "
            "cols= (at most 200; both sorted, numbers by value, text by bytes), and in each "
            "cell the rows that hold both values combined by agg=: count (the default: rows, "
            "or with value= the rows whose value is not NULL; 0 for an empty cell), sum, "
            "mean, min or max of value= (NULL values left out; a cell without values is "
            "NULL). count and sum add a total column and a total row. Rows whose rows= or "
            "cols= value is NULL are left out and counted, as pandas' crosstab does: NULL is "
            "never a row or column of its own. The first column is named like rows= and "
            "holds its values as text; the others are named by the values of cols= (a name "
            "that differs from an earlier one only in case gets _2). The result is a new "
            "table, as NAME or TABLE_crosstab (replace=yes replaces an earlier one), and is "
            "shown when it has at most 100 rows.",
    .example = "crosstab events rows=product cols=event",
    .args = cmd_crosstab_args,
    .flags = CMD_WRITES | CMD_AS,
    .exec = cmd_crosstab_exec,
};
