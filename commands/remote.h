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
/* The kind of a PostgreSQL type name: 1 integer, 2 other number, 0 text, -1 date or time. */
int remote_type_kind(const char *type);
/* series over a remote table, pushed down (series_push.h); args are series'. */
int remote_series(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                  struct qerr *err);
/* sessions over a remote event log, pushed down (sessions_push.h); args are sessions'. */
int remote_sessions(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
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
