/*
 * remote.h: the session's attached PostgreSQL databases (attach postgres
 * 'CONNINFO' as NAME) and what other commands ask of them: whether a
 * table name is remote (NAME.table or NAME.schema.table), its columns,
 * the rows of `tables`, `head` and `describe` of a remote table, `load
 * NAME.table as T` and `rfm NAME.table ...` pushed down; and the masking
 * that keeps passwords out of the history, the crash journal and saved
 * workspaces.
 *
 * The attachments are the process's (a session has one), closed by
 * detach or at exit; they are not part of the catalog, so undo, save and
 * open leave them alone, and a saved workspace holds no conninfo.
 */
#ifndef QUARRY_REMOTE_H
#define QUARRY_REMOTE_H

#include "cmd.h"
#include "remote/pg.h"

#include <stdint.h>

#include "data/frame.h"

/* Connect and remember the connection under name; QE_ARG when name is attached already. */
int remote_attach(const char *name, const char *conninfo, struct qerr *err);
/* Close and forget; QE_NOTFOUND when nothing is attached under name. */
int remote_detach(const char *name, struct qerr *err);
/* How many databases are attached. */
int remote_count(void);
/* 1 when name is ATTACHED.rest with ATTACHED an attached database's name. */
int remote_named(const char *name);

/* A remote table resolved: its connection, schema, table and quoted relation. */
struct remote_ref {
    struct pg_conn *c;
    char *schema, *table, *relation;
};
/* Resolve name (remote_named); QE_NOTFOUND when the server has no such table. */
int remote_resolve(const char *name, struct remote_ref *r, struct qerr *err);
void remote_ref_release(struct remote_ref *r);
/* NAME.table or NAME.schema.table (public by default) named, whether it exists or not; relation NULL. */
int remote_target(const char *name, struct remote_ref *r, struct qerr *err);
/*
 * export TABLE NAME.table: the catalog table sent by COPY into a new
 * remote table (copy_out.h); one that exists is refused unless replace.
 */
int remote_export(struct cmd_ctx *ctx, struct cmd_result *res, const char *table,
                  const char *name, int replace, struct qerr *err);
/*
 * Column col of remote table name: its type name in *type (malloc'd, or
 * pass NULL); QE_NOTFOUND, with the columns it has, when there is none.
 */
int remote_column(const char *name, const char *col, char **type, struct qerr *err);

/*
 * For completion: every attached database's tables as NAME.table (or
 * NAME.schema.table outside public), or with db (db_len bytes) the tables
 * of that one alone, without NAME. (pg_names_free); returns *n. A server
 * that does not answer adds nothing.
 */
int remote_table_names(const char *db, size_t db_len, char ***names, int *n);
/* Add a row (NAME.table, PostgreSQL's estimate, columns) to t per remote table. */
int remote_list(struct rtable *t, struct qerr *err);
/* The first n rows of remote table name as the result table. */
int remote_head(struct cmd_ctx *ctx, struct cmd_result *res, const char *name, long long n,
                struct qerr *err);
/* The columns and types of remote table name, and the server's row estimate. */
int remote_describe(struct cmd_result *res, const char *name, struct qerr *err);
/*
 * Copy remote table name into the new catalog table dest, with progress
 * and cancel; refused first, with PostgreSQL's estimate, when the rows
 * would not fit the memory budget.
 */
int remote_load(struct cmd_ctx *ctx, struct cmd_result *res, const char *name, const char *dest,
                struct qerr *err);
/*
 * 0 when est rows (PostgreSQL's estimate) of n_cols columns fit the
 * memory budget as a frame would hold them; else QE_NOMEM saying so with
 * the estimate ("... not VERB") and a hint naming the pushed-down commands.
 */
int remote_fits(const char *name, double est, int n_cols, const char *verb, struct qerr *err);
/*
 * SQL typed at the prompt that names a remote table (NAME.table of an
 * attached database, NAME not a local table): run on that server, the
 * names rewritten to its relations, in a read-only transaction, and shown
 * as a result table under a line saying where it ran. CREATE TABLE t AS
 * QUERY (IF NOT EXISTS too) runs QUERY so and copies its rows into the new
 * catalog table t (remote_load_query). 1 when sql names no remote table
 * (the caller runs it here); else 0, or -1 with err set. Runs inside the
 * caller's savepoint, which a failure or Ctrl-C rolls back.
 */
int remote_sql(struct cmd_ctx *ctx, const char *sql, struct cmd_result *res, struct qerr *err);
/*
 * load 'QUERY' as dest: text, a query (SELECT, WITH, VALUES, TABLE) that
 * names a remote table, run read-only on that server and its rows copied
 * into the new catalog table dest as CREATE TABLE dest AS QUERY typed at
 * the prompt copies them (remote_sql), with progress and cancel; refused
 * first, with PostgreSQL's estimate, when they would not fit set memory.
 * 1 when text is not such a query (the caller reads it as a path).
 */
int remote_load_query(struct cmd_ctx *ctx, struct cmd_result *res, const char *text,
                      const char *dest, struct qerr *err);
/*
 * explain COMMAND NAME.table key=value ... [as NAME]: the pushed-down
 * command (rfm, series, sessions, sample, rules) is parsed as typed and
 * run with remote_dry() set, so it stops at its SQL and shows it with
 * remote_plan; nothing runs on the server but EXPLAIN, nothing is written.
 */
int remote_explain(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                   struct qerr *err);
/* 1 while remote_explain runs a command: show the SQL (remote_plan) and stop. */
int remote_dry(void);
/* what's SQL and the server's plan for it (EXPLAIN, which runs nothing) into res. */
int remote_plan(struct cmd_result *res, struct pg_conn *c, const char *what, const char *sql,
                struct qerr *err);
/* The kind of a PostgreSQL type name: 1 integer, 2 other number, 0 text, -1 date or time. */
int remote_type_kind(const char *type);

/* What a pushed-down command needs of a column it names (remote_check_kinds). */
enum remote_need_kind { REMOTE_ANY, REMOTE_NUMBER, REMOTE_TIME, REMOTE_TEXT };
struct remote_need {
    const char *key;        /* the statement's key naming the column (customer, date, ...) */
    enum remote_need_kind need; /* a number; a date, timestamp or text; text only */
    const char *refuse;     /* QE_ARG's message when it does not, %s the column */
};
/*
 * The columns spec's keys name in remote table table, looked up on the
 * server: kind[i] is remote_type_kind of each (0 for a key not given).
 * QE_NOTFOUND for a column the table lacks, QE_ARG (spec's words) for one
 * that holds the wrong kind; err->pos at the key.
 */
int remote_check_kinds(const struct cmd_args *args, const char *table,
                       const struct remote_need *spec, int n, int *kind, struct qerr *err);

/*
 * 1 when r's table is partitioned over postgres_fdw shards (pg_leaves
 * finds its foreign partitions), 0 when not, -1 when the catalogue cannot
 * be read.
 */
int remote_sharded(const struct remote_ref *r, struct qerr *err);

/* The key column of a pushed-down result: keys[idx[i]], numbers when kind > 0. */
struct remote_key {
    const char *name;
    int kind;               /* remote_type_kind: 1 integer, 2 real, else text */
    char *const *keys;      /* the keys as the server sent them */
    const int32_t *idx;     /* per result row, its key */
};
/*
 * The result of a pushed-down command written as table args->as
 * (kit_side_table: replace= as the local command): the key column (k may
 * be NULL: none), then rest, n rows each.
 */
int remote_write(struct cmd_ctx *ctx, const struct cmd_args *args, const struct remote_key *k,
                 const struct frame_out *rest, int n_rest, long long n, struct qerr *err);
/*
 * The columns of sessions' table after the user (cmd_sessions.c), which the
 * pushed-down sessions writes too, into outs (room for 32); returns how many.
 */
struct sessions_out;
int cmd_sessions_columns(const struct sessions_out *o, struct frame_out *outs);
/*
 * sessions' summary lines after its first (cmd_sessions.c): the behaviour
 * types, the groups, the rows skipped and the other event kinds (other: one
 * such name, or NULL); the pushed-down sessions prints them too.
 */
void cmd_sessions_summary(struct cmd_result *res, const struct sessions_out *o,
                          const char *other);
/* series over a remote table, pushed down (series_push.h); args are series'. */
int remote_series(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                  struct qerr *err);
/* sessions over a remote event log, pushed down (sessions_push.h); args are sessions'. */
int remote_sessions(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                    struct qerr *err);
/*
 * sample over a remote table: drawn on the server (ORDER BY random() after
 * setseed, so a seed gives the same rows), only the sample comes back.
 */
int remote_sample(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                  struct qerr *err);
/*
 * rules over a remote table: the baskets gathered on the server, one row
 * each into NAME_baskets, then mined here by the local rules.
 */
int remote_rules(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                 struct qerr *err);
/* rfm over a remote order log, pushed down (rfm_push.h); args are rfm's. */
int remote_rfm(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
               struct qerr *err);
/* rfm's table of segments, best first (cmd_rfm.c), which the pushed-down rfm shows too. */
struct rfm_out;
int cmd_rfm_segments(struct cmd_result *res, const struct rfm_out *o, struct qerr *err);

/*
 * stmt with every secret masked when it is an attach statement: the value
 * of each password= key of the conninfo and the password of a
 * postgresql://user:password@host URI become ***. NULL when nothing is
 * masked; else malloc'd.
 */
char *remote_mask(const char *stmt);

#endif
