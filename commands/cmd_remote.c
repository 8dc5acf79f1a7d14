/*
 * cmd_remote.c: `attach postgres 'CONNINFO' as NAME` and `detach NAME`:
 * a PostgreSQL database whose tables then show in tables as NAME.table
 * (commands/remote.h keeps the connections).
 */
#include "kit.h"
#include "remote.h"

#include <stdlib.h>
#include <string.h>

#include "base/banned.h"

static const char *const kind_names[] = {"postgres"};

static const struct arg_spec cmd_attach_args[] = {
    {.name = "KIND", .positional = 1, .type = ARG_ENUM, .required = 1, .choices = "postgres",
     ARG_NAMES(kind_names), .help = "The kind of database: postgres (PostgreSQL, through libpq).",
     .comp = COMP_CHOICES},
    {.name = "CONNINFO", .positional = 1, .type = ARG_TEXT, .required = 1,
     .help = "A libpq connection string in quotes, as psql takes it: 'host=db1 dbname=shop', "
             "'service=shop' (PGSERVICE) or 'postgresql://user@host/db'; the password comes "
             "best from ~/.pgpass."},
    {0},
};

static int
cmd_attach_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                struct qerr *err)
{
    if (remote_attach(args->as, args_str(args, "CONNINFO"), err) < 0)
        return kit_fail_at(args, "CONNINFO", err);
    struct rtable *t;
    static const char *const cols[] = {"name", "rows", "columns"};
    struct cmd_result tmp;
    result_init(&tmp);
    t = result_table(&tmp, 3, cols);
    int rc = remote_list(t, err);
    long long n = 0;
    for (long long i = 0; i < t->n_rows; i++)
        n += !strncmp(rtable_get(t, i, 0), args->as, strlen(args->as));
    result_release(&tmp);
    if (rc < 0) {
        remote_detach(args->as, &(struct qerr)QERR_INIT);
        return -1;
    }
    result_text(res, "attached PostgreSQL as %s: %lld table%s, listed by tables as %s.TABLE",
                args->as, n, kit_plural(n), args->as);
    return 0;
}

const struct cmd_entry cmd_attach_entry = {
    .name = "attach",
    .family = "data",
    .synopsis = "attach postgres 'CONNINFO' as NAME",
    .help = "Connect to a PostgreSQL database (libpq: ~/.pgpass, PGSERVICE and the PG* "
            "variables work as for psql). Its tables then show in tables as NAME.table (or "
            "NAME.schema.table outside public) with PostgreSQL's row estimate; describe and "
            "head read them on the server; load NAME.table as T copies one into the catalog, "
            "and CREATE TABLE T AS SELECT ... FROM NAME.table ... (or load 'SELECT ...' as T) "
            "a query's result, run read-only on the server (refused first, with PostgreSQL's "
            "estimate, when it would not fit set memory; Ctrl-C or a failure leaves the "
            "catalog unchanged, undo takes the table back); "
            "rfm, series and sessions over NAME.table run their grouping on the server as one "
            "plain SQL query each (printed with the result) and bring back one row per "
            "customer, per group and period, or per user; the rest is computed here as for a "
            "local table, so the results are the same. Over a table partitioned over "
            "postgres_fdw shards, series sends each shard a per-day partial sum the "
            "coordinator adds into periods, and sessions says that its window runs on the "
            "coordinator (postgres_fdw sends a shard no window). sample NAME.table draws on the server "
            "(seeded) and brings back the sample only; rules NAME.table tid=COL item=COL "
            "gathers each basket's items there into NAME_baskets, then mines here. explain "
            "rfm NAME.table ... (or series, sessions, sample, rules) shows the SQL a command "
            "would send and the server's plan, running neither. SQL typed at the prompt that "
            "names NAME.table runs on the server, read-only, and says so (NAME as an alias in "
            "local SQL, FROM orders NAME, stays local). Ctrl-C "
            "cancels the query on the server; a refused password, a server that is not there "
            "and a connection lost mid-query are errors that leave the catalog unchanged. "
            "Credentials never reach the history, the crash journal or a saved workspace: the "
            "history keeps the statement with every password= value and the password of a "
            "postgresql://user:password@host address written as ***, so keep passwords in "
            "~/.pgpass, which the recorded statement can replay.",
    .example = "attach postgres 'service=shop' as shop",
    .args = cmd_attach_args,
    .flags = CMD_AS | CMD_AS_REQUIRED,
    .exec = cmd_attach_exec,
};

static const struct arg_spec cmd_detach_args[] = {
    {.name = "NAME", .positional = 1, .type = ARG_TEXT, .required = 1,
     .help = "The name the database was attached as."},
    {0},
};

static int
cmd_detach_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                struct qerr *err)
{
    if (remote_detach(args_str(args, "NAME"), err) < 0)
        return kit_fail_at(args, "NAME", err);
    result_text(res, "detached %s", args_str(args, "NAME"));
    return 0;
}

const struct cmd_entry cmd_detach_entry = {
    .name = "detach",
    .family = "data",
    .synopsis = "detach NAME",
    .help = "Close the connection of a database attached as NAME; its tables leave the "
            "tables list. Tables loaded from it stay.",
    .example = "detach shop",
    .args = cmd_detach_args,
    .exec = cmd_detach_exec,
};
