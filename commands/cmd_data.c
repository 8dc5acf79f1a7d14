/*
 * cmd_data.c: the data family's catalog commands: tables, describe, head,
 * drop (and drop model NAME, through the model store), rename, and the
 * `sql` entry (SQL itself is run by the dispatcher).
 */
#include "cmd.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "data/catalog_edit.h"
#include "data/store.h"

#include "remote.h"
#include "base/banned.h"

/* --- tables ---------------------------------------------------------------- */

static const struct arg_spec cmd_tables_args[] = {
    {.name = "all", .type = ARG_BOOL, .def = "no",
     .help = "Also list quarry's own tables (models, transforms).", .comp = COMP_CHOICES,
     .choices = "yes|no"},
    {0},
};

static int
cmd_tables_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                struct qerr *err)
{
    char **names = NULL;
    int n = 0;
    cmd_table_names(ctx, (int)args_int(args, "all"), &names, &n);
    if (n == 0 && !remote_count()) {
        result_text(res, "no tables yet; load one with load PATH, e.g. load "
                         "sample-data/orders.csv");
        free(names);
        return 0;
    }
    static const char *const cols[] = {"name", "rows", "columns"};
    struct rtable *t = result_table(res, 3, cols);
    res->pick_tables = 1;
    for (int i = 0; i < n; i++) {
        char **cn = NULL;
        int nc = 0;
        struct qerr e2 = QERR_INIT;
        cmd_table_columns(ctx, names[i], &cn, NULL, &nc, &e2);
        qerr_clear(&e2);
        long long r = rtable_add_row(t);
        rtable_set(t, r, 0, names[i], 0);
        rtable_setf(t, r, 1, 1, "%lld", catalog_count_rows(ctx->cat, names[i]));
        rtable_setf(t, r, 2, 1, "%d", nc);
        cmd_free_names(cn, nc);
    }
    cmd_free_names(names, n);
    return remote_list(t, err); /* attached databases' tables, NAME.table (remote.h) */
}

const struct cmd_entry cmd_tables_entry = {
    .name = "tables",
    .family = "data",
    .synopsis = "tables [all=no]",
    .help = "List the tables in the catalog with their number of rows and columns. quarry's "
            "own bookkeeping tables (quarry_models, quarry_transforms, ...) are listed only "
            "with all=yes.",
    .example = "tables",
    .args = cmd_tables_args,
    .exec = cmd_tables_exec,
};

/* --- head ------------------------------------------------------------------ */

static const struct arg_spec cmd_head_args[] = {
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "The table to show.", .comp = COMP_TABLES},
    {.name = "n", .type = ARG_INT, .def = "10", .min = 0, .max = 1e9,
     .help = "How many rows to show."},
    {0},
};

static int
cmd_head_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
              struct qerr *err)
{
    if (remote_named(args_str(args, "TABLE")) && !catalog_has_table(ctx->cat, args_str(args, "TABLE")))
        return remote_head(ctx, res, args_str(args, "TABLE"), args_int(args, "n"), err);
    struct buf sql = BUF_INIT;
    buf_adds(&sql, "SELECT * FROM ");
    buf_add_ident(&sql, args_str(args, "TABLE"));
    buf_addf(&sql, " LIMIT %lld", args_int(args, "n"));
    int rc = cmd_sql_table(ctx, res, sql.data, NULL, 0, err);
    buf_release(&sql);
    return rc;
}

const struct cmd_entry cmd_head_entry = {
    .name = "head",
    .family = "data",
    .synopsis = "head TABLE [n=10]",
    .help = "Show the first n rows of a table, in the order they were loaded.",
    .example = "head orders n=5",
    .args = cmd_head_args,
    .exec = cmd_head_exec,
};

/* --- drop ------------------------------------------------------------------ */

static const struct arg_spec cmd_drop_args[] = {
    {.name = "TABLE", .positional = 1, .type = ARG_TEXT, .required = 1,
     .help = "The table to remove, or the word model before the name of a stored model.",
     .comp = COMP_TABLES},
    {.name = "NAME", .positional = 1, .type = ARG_TEXT,
     .help = "After model: the model or transform to remove (models lists them)."},
    {0},
};

/* drop model NAME: the store removes it, whatever its kind. */
static int
drop_model(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
           struct qerr *err)
{
    struct store_entry gone;
    if (store_drop(ctx->cat, args_str(args, "NAME"), &gone, err) < 0) {
        err->pos = args_get(args, "NAME")->pos;
        return -1;
    }
    result_text(res, "dropped %s '%s' (%s); type undo to bring it back",
                store_noun(gone.is_transform), gone.name, gone.kind);
    store_entry_release(&gone);
    return 0;
}

/*
 * TABLE is text, not a table the dispatcher checks, so that `drop model
 * NAME` parses; an unknown table gets the dispatcher's words here.
 */
static int
unknown_table(struct cmd_ctx *ctx, const struct cmd_args *args, const char *table,
              struct qerr *err)
{
    char **names = NULL;
    int n = 0;
    cmd_table_names(ctx, 0, &names, &n);
    const char *sug = catalog_suggest(table, (const char *const *)names, n);
    if (sug)
        qerr_set(err, QE_NOTFOUND, "unknown table '%s'; did you mean '%s'?", table, sug);
    else
        qerr_set(err, QE_NOTFOUND, "unknown table '%s'; type tables to list the tables", table);
    if (strcasecmp(table, "model") == 0)
        qerr_hint(err, "to remove a stored model: drop model NAME (models lists them)");
    cmd_free_names(names, n);
    err->pos = args_get(args, "TABLE")->pos;
    return -1;
}

static int
cmd_drop_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
              struct qerr *err)
{
    const char *table = args_str(args, "TABLE");
    if (args_str(args, "NAME")) {
        if (strcasecmp(table, "model") == 0)
            return drop_model(ctx, args, res, err);
        qerr_set(err, QE_ARG, "unexpected '%s'", args_str(args, "NAME"));
        qerr_hint(err, "usage: drop TABLE, or drop model NAME");
        err->pos = args_get(args, "NAME")->pos;
        return -1;
    }
    if (!catalog_has_table(ctx->cat, table))
        return unknown_table(ctx, args, table, err);
    long long n = catalog_count_rows(ctx->cat, table);
    if (catalog_drop_table(ctx->cat, table, err) < 0)
        return -1;
    result_text(res, "dropped '%s' (%lld row%s); type undo to bring it back", table, n,
                n == 1 ? "" : "s");
    return 0;
}

const struct cmd_entry cmd_drop_entry = {
    .name = "drop",
    .family = "data",
    .synopsis = "drop TABLE | drop model NAME",
    .help = "Remove a table from the catalog, or with model, a stored model or transform "
            "(models lists them; a table named model is dropped with drop model alone). Like "
            "every change, it can be reverted with undo. (DROP TABLE in SQL works too.)",
    .example = "drop order_items",
    .args = cmd_drop_args,
    .flags = CMD_WRITES,
    .exec = cmd_drop_exec,
};

/* --- rename ---------------------------------------------------------------- */

static const struct arg_spec cmd_rename_args[] = {
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "The table to rename.", .comp = COMP_TABLES},
    {.name = "NAME", .positional = 1, .type = ARG_NAME,
     .help = "Its new name (or give it with as NAME)."},
    {0},
};

static int
cmd_rename_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                struct qerr *err)
{
    const char *table = args_str(args, "TABLE");
    const char *to = args->as ? args->as : args_str(args, "NAME");
    if (!to) {
        qerr_set(err, QE_ARG, "rename needs the new name: rename %s as NEW_NAME", table);
        return -1;
    }
    if (strcasecmp(to, table) != 0 && catalog_has_table(ctx->cat, to))
        return qerr_set(err, QE_ARG, "a table named '%s' already exists; drop it first or "
                                     "choose another name",
                        to);
    if (catalog_rename_table(ctx->cat, table, to, err) < 0)
        return -1;
    result_text(res, "renamed '%s' to '%s'", table, to);
    return 0;
}

const struct cmd_entry cmd_rename_entry = {
    .name = "rename",
    .family = "data",
    .synopsis = "rename TABLE [NAME] [as NAME]",
    .help = "Give a table a new name. The new name must be free; use letters, digits and _, "
            "starting with a letter.",
    .example = "rename order_items as items",
    .args = cmd_rename_args,
    .flags = CMD_WRITES | CMD_AS,
    .exec = cmd_rename_exec,
};

/* --- sql ------------------------------------------------------------------- */

static int
cmd_sql_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
             struct qerr *err)
{
    /* The dispatcher runs SQL before command lookup; this is never reached. */
    return qerr_set(err, QE_INTERNAL, "sql reached the command table");
}

const struct cmd_entry cmd_sql_entry = {
    .name = "sql",
    .family = "data",
    .synopsis = "sql STATEMENT;",
    .help = "Run SQL on the catalog. A statement that starts with an SQL keyword (SELECT, "
            "WITH, CREATE, INSERT, UPDATE, DELETE, DROP TABLE, ALTER, PRAGMA, ...) is SQL "
            "without the sql prefix; it may span lines up to its ';'. Query results print as "
            "a table. SQL runs in the statement's savepoint like any command, so a failing "
            "statement changes nothing and undo reverts a change. BEGIN/COMMIT, ATTACH, "
            "views, triggers and pragmas that change settings are refused.",
    .example = "SELECT customer_id, sum(amount) FROM orders GROUP BY 1 ORDER BY 2 DESC LIMIT 5;",
    .flags = CMD_NOT_RECORDED,
    .exec = cmd_sql_exec,
};

/* --- view ------------------------------------------------------------------ */

static const struct arg_spec cmd_view_args[] = {
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "The table to browse, or a query: view SELECT ... (WITH and VALUES too) browses "
             "its rows.",
     .comp = COMP_TABLES},
    {0},
};

static int
cmd_view_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
              struct qerr *err)
{
    const char *table = args->sql ? NULL : args_str(args, "TABLE");
    if (!ctx->screen && !table)
        return qerr_set(err, QE_ARG, "view needs the full-screen interface (a terminal); in "
                        "scripts run the query itself");
    if (!ctx->screen)
        return qerr_set(err, QE_ARG,
                        "view needs the full-screen interface (a terminal); in scripts use "
                        "head %s n=20 or SELECT",
                        table);
    if (args->sql)
        res->view_query = xstrdup(args->sql);
    else
        res->view_table = xstrdup(table);
    return 0;
}

const struct cmd_entry cmd_view_entry = {
    .name = "view",
    .family = "data",
    .synopsis = "view TABLE | view SELECT ...",
    .help = "Browse a table, or the rows of a query, in a full-screen grid: arrow keys and "
            "PgUp/PgDn move through rows and columns, Home/End go to the first and last row, "
            "s sorts by the current column (again for descending; the cursor goes to the "
            "first row), / searches and n finds the next matching cell (N the one before), F "
            "opens the current column's frequency table (value, count, share; q closes it), "
            "q returns to the prompt. Pages are fetched as needed, so a table or result of "
            "millions of rows opens at once and is never held in memory whole. In the "
            "full-screen interface a plain SELECT shows its first screenful of rows and says "
            "how many more there are.",
    .example = "view SELECT customer_id, sum(amount) AS total FROM orders GROUP BY 1",
    .args = cmd_view_args,
    .flags = CMD_NOT_RECORDED | CMD_SQL_TAIL,
    .exec = cmd_view_exec,
};
