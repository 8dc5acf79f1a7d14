/*
 * dispatch.c: run one statement. Commands are parsed against their spec
 * and run inside a savepoint; SQL goes to SQLite under an authorizer that
 * keeps user SQL from breaking the savepoint scheme or the workspace
 * rules. Also the session context and the catalog helpers handlers share.
 */
#define _GNU_SOURCE /* strcasestr */
#include "cmd.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "base/blas_dl.h"
#include "cmd_report.h"
#include "data/coltab.h"
#include "remote.h"
#include "sql_cancel.h"
#include "sql_policy.h"
#include "base/banned.h"

int
ctx_init(struct cmd_ctx *ctx, struct qerr *err)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->set.threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (ctx->set.threads < 1)
        ctx->set.threads = 1;
    ctx->set.seed = -1;
    memcpy(ctx->set.format, "table", 6);
    ctx->set.memory_mb = 0;
    /* column tables by default; QUARRY_COLUMNS=off starts with ordinary ones,
     * so the suite runs both kinds (make test-rows, docs/COLUMNS.md) */
    const char *cols = getenv("QUARRY_COLUMNS");
    ctx->set.columns = !(cols && strcmp(cols, "off") == 0);
    return catalog_open(&ctx->cat, err);
}

void
ctx_release(struct cmd_ctx *ctx)
{
    catalog_free(ctx->cat);
    ctx_forget_redo(ctx);
    for (int i = 0; i < ctx->n_hist; i++)
        free(ctx->hist[i].text);
    free(ctx->hist);
    report_log_free(ctx->log);
    memset(ctx, 0, sizeof *ctx);
}

long long
ctx_seed(struct cmd_ctx *ctx)
{
    if (ctx->set.seed >= 0)
        return ctx->set.seed;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned long long z = (unsigned long long)ts.tv_nsec ^ ((unsigned long long)ts.tv_sec << 20) ^
                           ((unsigned long long)getpid() << 40);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return (long long)((z ^ (z >> 31)) % 1000000000ULL);
}

static void
record(struct cmd_ctx *ctx, const char *stmt, const char *extra, int ok, int recorded,
       int changed)
{
    if (ctx->n_hist == ctx->cap_hist) {
        ctx->cap_hist = ctx->cap_hist ? 2 * ctx->cap_hist : 32;
        ctx->hist = xrealloc(ctx->hist, (size_t)ctx->cap_hist * sizeof *ctx->hist);
    }
    struct buf b = BUF_INIT;
    char *masked = remote_mask(stmt); /* attach: no password in the history or journal */
    buf_adds(&b, masked ? masked : stmt);
    free(masked);
    if (extra)
        buf_adds(&b, extra);
    ctx->hist[ctx->n_hist].text = buf_detach(&b);
    ctx->hist[ctx->n_hist].ok = ok;
    ctx->hist[ctx->n_hist].recorded = recorded;
    ctx->hist[ctx->n_hist].changed = changed;
    ctx->n_hist++;
}

/* --- catalog helpers -------------------------------------------------------- */

/* The listing itself is the catalog's (catalog_list.c); these hand it the session's catalog. */
void
cmd_free_names(char **names, int n)
{
    catalog_names_free(names, n);
}

int
cmd_table_names(struct cmd_ctx *ctx, int all, char ***names, int *n)
{
    struct qerr err = QERR_INIT;
    int rc = catalog_tables(catalog_db(ctx->cat), all, names, n, &err);
    qerr_clear(&err);
    return rc;
}

int
cmd_table_columns(struct cmd_ctx *ctx, const char *table, char ***names, char ***decls, int *n,
                  struct qerr *err)
{
    struct catalog_columns c;
    *names = NULL;
    if (decls)
        *decls = NULL;
    *n = 0;
    if (catalog_columns(catalog_db(ctx->cat), table, 0, &c, err) < 0)
        return -1;
    *names = c.names;
    *n = c.n;
    if (decls)
        *decls = c.decls;
    else
        catalog_names_free(c.decls, c.n);
    free(c.kinds);
    return 0;
}

void
cmd_set_cell(struct rtable *t, long long row, int col, sqlite3_stmt *st, int i)
{
    struct buf b = BUF_INIT;
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_NULL:
        rtable_set(t, row, col, NULL, 0);
        return;
    case SQLITE_INTEGER:
        rtable_setf(t, row, col, 1, "%lld", (long long)sqlite3_column_int64(st, i));
        return;
    case SQLITE_FLOAT:
        buf_add_real(&b, sqlite3_column_double(st, i));
        rtable_set(t, row, col, b.data, 1);
        break;
    case SQLITE_BLOB:
        rtable_setf(t, row, col, 0, "<blob %d bytes>", sqlite3_column_bytes(st, i));
        return;
    default: {
        const char *s = (const char *)sqlite3_column_text(st, i);
        size_t n = s && memchr(s, '\0', (size_t)sqlite3_column_bytes(st, i))
                       ? (size_t)sqlite3_column_bytes(st, i) : 0;
        /* a NUL inside text is stored as C0 80 (struct rtable) */
        for (size_t k = 0; k < n; k++)
            buf_add(&b, s[k] ? s + k : "\xC0\x80", s[k] ? 1 : 2);
        rtable_set(t, row, col, b.len ? b.data : s, 0);
        break;
    }
    }
    buf_release(&b);
}

/*
 * SQLite's progress handler: cancels a running query when the user asked.
 * Only read-only statements are cancelled this way. An interrupted write
 * makes SQLite roll back the whole transaction (vdbeaux.c, sqlite3VdbeHalt),
 * and the catalog's undo levels are that transaction; so a write runs to
 * its end and the dispatcher then rolls back just its savepoint.
 */
static int
progress_cb(void *arg)
{
    struct cmd_ctx *ctx = arg;
    if (ctx->progress)
        ctx->progress(ctx->pctx, -1.0); /* still alive; the fraction is unknown */
    if (!ctx->interrupted || !*ctx->interrupted)
        return 0;
    sqlite3 *db = catalog_db(ctx->cat);
    for (sqlite3_stmt *st = sqlite3_next_stmt(db, NULL); st; st = sqlite3_next_stmt(db, st))
        if (sqlite3_stmt_busy(st) && !sqlite3_stmt_readonly(st))
            return 0;
    return 1;
}

/* Collect the first keep rows (keep < 0: all) of a statement into a new result table;
 * the rest are stepped through and counted in the table's n_more. */
static int
collect(struct cmd_ctx *ctx, sqlite3_stmt *st, long long keep, struct cmd_result *res,
        struct qerr *err)
{
    int nc = sqlite3_column_count(st);
    const char **names = xcalloc((size_t)nc, sizeof *names);
    for (int c = 0; c < nc; c++)
        names[c] = sqlite3_column_name(st, c);
    struct rtable *t = result_table(res, nc, names);
    free(names);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (keep >= 0 && t->n_rows >= keep) {
            t->n_more++;
            continue;
        }
        long long r = rtable_add_row(t);
        for (int c = 0; c < nc; c++)
            cmd_set_cell(t, r, c, st, c);
    }
    if (rc != SQLITE_DONE) {
        sqlite3 *db = sqlite3_db_handle(st);
        result_drop_last(res); /* no half tables */
        if (rc == SQLITE_INTERRUPT)
            return qerr_set(err, QE_INTERRUPT, "interrupted");
        return qerr_set(err, QE_SQL, "%s", sqlite3_errmsg(db));
    }
    return 0;
}

int
cmd_sql_table(struct cmd_ctx *ctx, struct cmd_result *res, const char *sql,
              const char *const *binds, int n_binds, struct qerr *err)
{
    sqlite3 *db = catalog_db(ctx->cat);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return qerr_set(err, QE_SQL, "%s", sqlite3_errmsg(db));
    for (int i = 0; i < n_binds; i++)
        sqlite3_bind_text(st, i + 1, binds[i], -1, SQLITE_STATIC);
    int rc = collect(ctx, st, -1, res, err);
    sqlite3_finalize(st);
    return rc;
}

/* --- user SQL -------------------------------------------------------------- */

/* Tables named in the SQL text, to suggest columns from. */
static void
suggest_column(struct cmd_ctx *ctx, const char *sql, const char *col, struct qerr *err)
{
    char **tables = NULL;
    int nt = 0;
    cmd_table_names(ctx, 1, &tables, &nt);
    const char *best_col = NULL, *best_tab = NULL;
    char **keep = NULL;
    int nkeep = 0;
    for (int i = 0; i < nt; i++) {
        /* A table counts as mentioned when its name appears as a word in the SQL. */
        size_t l = strlen(tables[i]);
        const char *p = sql;
        int found = 0;
        while ((p = strcasestr(p, tables[i])) != NULL) {
            int before = p == sql || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
            int after = !(isalnum((unsigned char)p[l]) || p[l] == '_');
            if (before && after) {
                found = 1;
                break;
            }
            p += l;
        }
        if (!found)
            continue;
        char **cols = NULL;
        int nc = 0;
        struct qerr e2 = QERR_INIT;
        cmd_table_columns(ctx, tables[i], &cols, NULL, &nc, &e2);
        qerr_clear(&e2);
        const char *s = catalog_suggest(col, (const char *const *)cols, nc);
        if (s && !best_col) {
            best_col = s;
            best_tab = tables[i];
            keep = cols;
            nkeep = nc;
        } else {
            cmd_free_names(cols, nc);
        }
    }
    if (best_col)
        qerr_set(err, QE_SQL, "unknown column '%s' in '%s'; did you mean '%s'?", col, best_tab,
                 best_col);
    else
        qerr_set(err, QE_SQL, "unknown column '%s'; type describe TABLE to list a table's columns",
                 col);
    cmd_free_names(keep, nkeep);
    cmd_free_names(tables, nt);
}

/* Turn SQLite's message into quarry's: what is wrong and what to type. */
static int
sql_error(struct cmd_ctx *ctx, const char *sql, int offset, struct qerr *err)
{
    sqlite3 *db = catalog_db(ctx->cat);
    const char *msg = sqlite3_errmsg(db);
    int code = sqlite3_errcode(db);
    char *copy = xstrdup(msg);
    /* a denied function says "not authorized to use function" with SQLITE_ERROR */
    if ((code == SQLITE_AUTH || strncmp(copy, "not authorized", 14) == 0) && ctx->deny_reason) {
        qerr_set(err, QE_SQL, "not allowed: %s", ctx->deny_reason);
    } else if (code == SQLITE_INTERRUPT || strcmp(copy, SQL_CANCEL_MSG) == 0) {
        qerr_set(err, QE_INTERRUPT, "interrupted; the catalog is unchanged");
    } else if (strncmp(copy, "no such column: ", 16) == 0) {
        suggest_column(ctx, sql, copy + 16, err);
    } else if (strncmp(copy, "no such table: ", 15) == 0) {
        const char *name = copy + 15;
        const char *dot = strchr(name, '.');
        if (dot)
            name = dot + 1;
        char **tables = NULL;
        int nt = 0;
        cmd_table_names(ctx, 1, &tables, &nt);
        const char *s = catalog_suggest(name, (const char *const *)tables, nt);
        if (s)
            qerr_set(err, QE_SQL, "unknown table '%s'; did you mean '%s'?", name, s);
        else
            qerr_set(err, QE_SQL, "unknown table '%s'; type tables to list the tables", name);
        cmd_free_names(tables, nt);
    } else {
        qerr_set(err, QE_SQL, "%s", copy);
    }
    err->pos = offset;
    free(copy);
    return -1;
}

/* The schema's change counter: it moves whenever a statement changes the schema. */
static int
schema_version(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA schema_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

/*
 * Generated columns run an expression on every read, and open refuses a
 * workspace that holds one (catalog_load): so SQL may not make them,
 * which the authorizer cannot see. Checked after a statement that
 * changed the schema; nonzero, with err set, when one exists.
 */
static int
generated_made(struct cmd_ctx *ctx, int offset, struct qerr *err)
{
    sqlite3_stmt *st = NULL;
    int found = 0;
    if (sqlite3_prepare_v2(catalog_db(ctx->cat),
                           "SELECT m.name, x.name FROM sqlite_schema m, "
                           "pragma_table_xinfo(m.name) x WHERE m.type = 'table' AND "
                           "x.hidden IN (2, 3) LIMIT 1",
                           -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        found = 1;
        qerr_set(err, QE_SQL, "not allowed: '%s.%s' is a generated column; workspaces hold "
                 "plain columns only, and open refuses generated ones",
                 (const char *)sqlite3_column_text(st, 0),
                 (const char *)sqlite3_column_text(st, 1));
        qerr_hint(err, "store the values instead: derive TABLE NAME=EXPR, or CREATE TABLE "
                       "name AS SELECT ..., EXPR AS NAME FROM ...");
        err->pos = offset;
    }
    sqlite3_finalize(st);
    return found;
}

/*
 * Ctrl-C during a user SQL write the rewrite of sql_cancel.h does not
 * take (an INSERT ... VALUES, text it does not understand). SQLite's own
 * interrupt would roll back every undo level, so for the statement's run
 * each table it writes gets a TEMP trigger, BEFORE INSERT or UPDATE, WHEN
 * quarry_cancel(): RAISE(ABORT), which ends that statement alone; the
 * dispatcher then rolls back its savepoint as for any failure. It costs
 * about 0.3 us a row, 15 times the rewrite (RELIABILITY.md). An INSERT ...
 * SELECT gets none (with a trigger SQLite computes the whole SELECT first).
 */
/* Make the triggers for pol's tables; 0, or -1 (nothing made) when SQLite refuses one. */
static int
cancel_arm(struct cmd_ctx *ctx, const struct sql_policy *pol)
{
    sqlite3 *db = catalog_db(ctx->cat);
    if (sql_cancel_register(db, ctx->interrupted) != SQLITE_OK)
        return -1;
    struct qerr e = QERR_INIT;
    int rc = 0;
    for (int i = 0; i < pol->n && rc == 0; i++) {
        if (pol->action[i] == SQLITE_INSERT && pol->selects)
            continue; /* INSERT ... SELECT: see above */
        char *q = sqlite3_mprintf("CREATE TEMP TRIGGER quarry_cancel_%d BEFORE %s ON main.\"%w\" "
                                  "WHEN quarry_cancel() BEGIN SELECT RAISE(ABORT, '"
                                  SQL_CANCEL_MSG "'); END",
                                  i, pol->action[i] == SQLITE_INSERT ? "INSERT" : "UPDATE",
                                  pol->table[i]);
        rc = q ? catalog_exec(db, q, &e) : -1;
        sqlite3_free(q);
    }
    qerr_clear(&e);
    return rc;
}

static void
cancel_disarm(struct cmd_ctx *ctx, const struct sql_policy *pol)
{
    sqlite3 *db = catalog_db(ctx->cat);
    struct qerr e = QERR_INIT;
    for (int i = 0; i < pol->n; i++) {
        char q[64];
        snprintf(q, sizeof q, "DROP TRIGGER IF EXISTS temp.quarry_cancel_%d", i);
        catalog_exec(db, q, &e);
        qerr_clear(&e);
    }
}

/* Prepare one statement of user SQL under the rules, noting what it writes in pol. */
static int
prepare_user(struct cmd_ctx *ctx, struct sql_policy *pol, const char *head, sqlite3_stmt **st,
             const char **tail)
{
    sql_policy_reset(pol);
    ctx->deny_reason = NULL;
    catalog_set_policy(ctx->cat, sql_policy_authorizer, pol);
    int prc = sqlite3_prepare_v2(catalog_db(ctx->cat), head, -1, st, tail);
    catalog_set_policy(ctx->cat, NULL, NULL);
    /* ALTER TABLE or CREATE INDEX on a column table: an ordinary table first (coltab.h) */
    struct qerr e = QERR_INIT;
    if (prc != SQLITE_OK &&
        coltab_unalter(catalog_db(ctx->cat), head, sqlite3_errmsg(catalog_db(ctx->cat)), &e) > 0)
        return prepare_user(ctx, pol, head, st, tail);
    qerr_clear(&e);
    return prc;
}

/*
 * A user SQL write made to stop at the next row on Ctrl-C by a rewrite
 * (sql_cancel.h): the rewritten statement prepared, when there is one and
 * SQLite takes it with the shape of st (the statement as typed); else NULL.
 */
static sqlite3_stmt *
cancel_wrap(struct cmd_ctx *ctx, sqlite3_stmt *st, const char *head, const char *tail)
{
    sqlite3 *db = catalog_db(ctx->cat);
    char *text = sql_cancel_wrap(head, tail);
    if (!text || sql_cancel_register(db, ctx->interrupted) != SQLITE_OK) {
        free(text);
        return NULL;
    }
    struct sql_policy pol = {.ctx = ctx};
    sqlite3_stmt *w = NULL;
    if (prepare_user(ctx, &pol, text, &w, NULL) != SQLITE_OK || !w ||
        sqlite3_column_count(w) != sqlite3_column_count(st) || sqlite3_stmt_readonly(w)) {
        sqlite3_finalize(w);
        w = NULL;
    }
    ctx->deny_reason = NULL;
    sql_policy_reset(&pol);
    free(text);
    return w;
}

static int
run_sql(struct cmd_ctx *ctx, const char *sql, int base, struct cmd_result *res, struct qerr *err)
{
    sqlite3 *db = catalog_db(ctx->cat);
    const char *tail = sql;
    int rc = 0;
    struct sql_policy pol = {.ctx = ctx};
    while (rc == 0 && *tail) {
        sqlite3_stmt *st = NULL;
        const char *head = tail;
        int armed = 0;
        int prc = prepare_user(ctx, &pol, head, &st, &tail);
        sqlite3_stmt *wst = prc == SQLITE_OK && st && !sqlite3_stmt_readonly(st) &&
                          ctx->interrupted ? cancel_wrap(ctx, st, head, tail) : NULL;
        if (wst) {
            sqlite3_finalize(st);
            st = wst;
        } else if (prc == SQLITE_OK && st && !sqlite3_stmt_readonly(st) && pol.n &&
                   !pol.overflow && ctx->interrupted) {
            /* the triggers change the schema: prepare again, so the statement runs them */
            sqlite3_finalize(st);
            st = NULL;
            pol.selects = sql_has_select(head, tail);
            armed = cancel_arm(ctx, &pol) == 0;
            if (!armed)
                cancel_disarm(ctx, &pol);
            prc = prepare_user(ctx, &pol, head, &st, &tail);
        }
        if (prc != SQLITE_OK) {
            if (armed)
                cancel_disarm(ctx, &pol);
            int off = sqlite3_error_offset(db);
            rc = sql_error(ctx, sql, off >= 0 ? base + (int)(head - sql) + off : -1, err);
            break;
        }
        if (!st)
            continue; /* whitespace or a comment */
        if (!sqlite3_stmt_readonly(st))
            res->changed = 1;
        if (sqlite3_column_count(st) > 0) {
            struct qerr e2 = QERR_INIT;
            size_t len = (size_t)(tail - head);
            long long keep = sqlite3_stmt_readonly(st) ? result_screen_rows(ctx, head, len) : -1;
            if (collect(ctx, st, keep, res, &e2) < 0) {
                if (e2.code == QE_INTERRUPT)
                    rc = qerr_set(err, QE_INTERRUPT, "interrupted; the catalog is unchanged");
                else
                    rc = sql_error(ctx, sql, -1, err);
            } else {
                result_more_rows(res, head, len);
            }
            qerr_clear(&e2);
        } else {
            int version = schema_version(db);
            int s = sqlite3_step(st);
            if (s != SQLITE_DONE) {
                rc = sql_error(ctx, sql, -1, err);
            } else if (schema_version(db) != version &&
                       generated_made(ctx, base + (int)(head - sql), err)) {
                rc = -1;
            } else {
                const char *w = head;
                while (isspace((unsigned char)*w))
                    w++;
                static const char *const dml[] = {"insert", "update", "delete", "replace"};
                for (int i = 0; i < 4; i++)
                    if (strncasecmp(w, dml[i], strlen(dml[i])) == 0) {
                        int n = sqlite3_changes(db);
                        result_text(res, "%d row%s changed", n, n == 1 ? "" : "s");
                        break;
                    }
            }
        }
        sqlite3_finalize(st);
        if (armed)
            cancel_disarm(ctx, &pol);
    }
    sql_policy_reset(&pol);
    return rc;
}

/* --- the dispatcher --------------------------------------------------------- */

/*
 * Undo keeps a copy of every page a statement changed, for as long as the
 * level lives, so a long session of big rewrites could grow without end.
 * Past the limit (half of set memory, else a quarter of the machine's
 * memory, at least 1 GiB) the levels are forgotten, and the user told:
 * losing undo beats being killed for memory.
 */
static void
undo_guard(struct cmd_ctx *ctx, struct cmd_result *res)
{
    long long limit = ctx->set.memory_mb > 0 ? ctx->set.memory_mb << 19
                                             : catalog_memory_default(1LL << 30);
    long long held = catalog_undo_bytes(ctx->cat);
    if (catalog_undo_depth(ctx->cat) == 0 || held <= limit)
        return;
    struct qerr e = QERR_INIT;
    if (catalog_forget_undo(ctx->cat, &e) == 0)
        result_text(res, "undo history cleared: it held %.0f MB of changed pages, over the "
                    "limit of %.0f MB (set memory=MiB moves it; save keeps the work)",
                    (double)held / 1e6, (double)limit / 1e6);
    qerr_clear(&e);
}

/*
 * One rule for every command: `as NAME` makes a new table and never
 * replaces one, so a typo cannot wipe out data. (Without `as`, a command
 * changes its table in place, undoably, or writes its own TABLE_suffix
 * result, which a re-run replaces.) Nonzero, with err set, when NAME is taken.
 */
static int
as_taken(struct cmd_ctx *ctx, const struct cmd_args *a, struct qerr *err)
{
    if (!catalog_has_table(ctx->cat, a->as))
        return 0;
    err->pos = a->as_pos;
    for (int i = 0; i < a->n_vals; i++)
        if (a->vals[i].spec->type == ARG_TABLE && a->vals[i].text &&
            strcasecmp(a->vals[i].text, a->as) == 0) {
            qerr_set(err, QE_ARG, "'as %s' names the table being read; as NAME makes a new "
                     "table", a->as);
            if (a->cmd->flags & CMD_AS_REQUIRED)
                qerr_hint(err, "choose a new name, e.g. as %s_2", a->as);
            else
                qerr_hint(err, "choose a new name, e.g. as %s_2, or leave out as (help %s says "
                          "what %s writes then)", a->as, a->cmd->name, a->cmd->name);
            return 1;
        }
    /*
     * A command whose as NAME is its required output and that takes
     * replace=yes (rfm, series, sessions) claims NAME itself (kit_claim),
     * with the same words as every other name a command writes.
     */
    if (a->cmd->flags & CMD_AS_REQUIRED)
        for (const struct arg_spec *sp = a->cmd->args; sp && sp->name; sp++)
            if (strcmp(sp->name, "replace") == 0)
                return 0;
    qerr_set(err, QE_ARG, "a table named '%s' exists already; as NAME makes a new table", a->as);
    qerr_hint(err, "choose another name after as, or DROP TABLE %s first", a->as);
    return 1;
}

/*
 * Roll back a failed statement. After some errors (out of memory or room
 * inside SQLite in a statement without a statement journal, see
 * row_source.h) SQLite has already rolled back the whole transaction:
 * every change since the last save or open, and the undo levels. Then the
 * user must hear it, not only SQLite's words.
 */
#define LOST_HINT "SQLite rolled back the whole transaction after this error: every change " \
                  "since the last save or open is gone, and the undo history with it"
static void
rollback(struct cmd_ctx *ctx, struct qerr *err)
{
    int gone = sqlite3_get_autocommit(catalog_db(ctx->cat));
    catalog_rollback(ctx->cat);
    if (gone)
        qerr_hint(err, LOST_HINT);
}
/* After a failure outside a statement's savepoint (a read while parsing, a command's own). */
static void
lost_hint(struct cmd_ctx *ctx, struct qerr *err)
{
    if (catalog_lost(ctx->cat))
        qerr_hint(err, LOST_HINT);
}

static int
run_statement(struct cmd_ctx *ctx, const char *stmt, struct cmd_result *res, struct qerr *err)
{
    struct cmd_args args;
    int rc, recorded = 1, own_sp = 1;
    sqlite3 *db = catalog_db(ctx->cat);

    while (isspace((unsigned char)*stmt))
        stmt++;
    if (cmd_is_sql(stmt)) {
        const char *sql = stmt;
        if (strncasecmp(sql, "sql", 3) == 0 && (!sql[3] || isspace((unsigned char)sql[3]))) {
            sql += 3;
            while (isspace((unsigned char)*sql) || *sql == ';')
                sql++;
            if (!*sql) {
                rc = qerr_set(err, QE_ARG, "sql needs a statement, e.g. sql SELECT count(*) "
                                           "FROM orders");
                record(ctx, stmt, NULL, 0, 1, 0);
                return rc;
            }
        }
        if (catalog_begin(ctx->cat, err) < 0)
            return -1;
        sqlite3_progress_handler(db, 10000, progress_cb, ctx);
        /* on PostgreSQL when it names NAME.table (remote.h; CREATE TABLE t AS loads here) */
        if ((rc = remote_sql(ctx, sql, res, err)) == 1)
            rc = run_sql(ctx, sql, (int)(sql - stmt), res, err);
        sqlite3_progress_handler(db, 0, NULL, NULL);
        if ((rc == 0 && ctx->interrupted && *ctx->interrupted) ||
            (rc < 0 && err->code == QE_INTERRUPT)) { /* the same words however it was noticed */
            qerr_clear(err);
            rc = qerr_set(err, QE_INTERRUPT, "interrupted; the catalog is unchanged");
        }
        if (rc < 0)
            rollback(ctx, err);
        else if (catalog_commit(ctx->cat, res->changed, err) < 0)
            rc = -1;
        else if (res->changed)
            undo_guard(ctx, res);
        record(ctx, stmt, NULL, rc == 0, 1, rc == 0 && res->changed);
        return rc;
    }

    if (cmd_parse(ctx, stmt, &args, err) < 0) {
        lost_hint(ctx, err);
        record(ctx, stmt, NULL, 0, 1, 0);
        return -1;
    }
    const struct cmd_entry *c = args.cmd;
    if (args.as && as_taken(ctx, &args, err)) {
        record(ctx, stmt, NULL, 0, 1, 0);
        args_release(&args);
        return -1;
    }
    recorded = !(c->flags & CMD_NOT_RECORDED);
    own_sp = !(c->flags & CMD_NO_SAVEPOINT);
    if (own_sp && catalog_begin(ctx->cat, err) < 0) {
        args_release(&args);
        return -1;
    }
    sqlite3_progress_handler(db, 10000, progress_cb, ctx);
    rc = args_expand_star(ctx, &args, res, err);
    if (rc == 0)
        rc = c->exec(ctx, &args, res, err);
    if (args.unknown || args.not_enum) {
        /* A handler that reads a name its spec lacks is a bug: say so, whatever else happened. */
        qerr_clear(err);
        rc = args_check(&args, err);
    }
    db = catalog_db(ctx->cat); /* open replaces the connection */
    sqlite3_progress_handler(db, 0, NULL, NULL);
    if (rc == 0 && ctx->interrupted && *ctx->interrupted)
        rc = qerr_set(err, QE_INTERRUPT, "interrupted; the catalog is unchanged");
    if (rc < 0 && (err->code == QE_INTERRUPT || (ctx->interrupted && *ctx->interrupted))) {
        /* However the engine noticed the cancel, the user hears one thing. */
        qerr_clear(err);
        rc = qerr_set(err, QE_INTERRUPT, "interrupted; the catalog is unchanged");
    }
    if (own_sp) {
        if (rc < 0)
            rollback(ctx, err);
        else if (catalog_commit(ctx->cat, (c->flags & CMD_WRITES) || res->changed, err) < 0)
            rc = -1;
        else if ((c->flags & CMD_WRITES) || res->changed)
            undo_guard(ctx, res);
    } else if (rc < 0) {
        lost_hint(ctx, err);
    }
    if (rc == 0 && (c->flags & CMD_WRITES))
        res->changed = 1;
    if (res->confirm) { /* a question asked, nothing done: the yes is recorded */
        if (!res->confirm_stmt) /* unless the handler named what yes runs (demo's next step) */
            res->confirm_stmt = xstrdup(stmt);
    } else if (!res->recorded)
        record(ctx, stmt, res->record_extra, rc == 0, recorded,
               rc == 0 && own_sp && res->changed);
    args_release(&args);
    return rc;
}

int
cmd_run(struct cmd_ctx *ctx, const char *stmt, struct cmd_result *res, struct qerr *err)
{
    report_log_enter(ctx);
    int rc = run_statement(ctx, stmt, res, err);
    const char *blas_note = blas_dl_note(); /* OpenBLAS missing: said once, after its first use */
    if (blas_note)
        result_text(res, "%s", blas_note);
    report_log_leave(ctx, stmt, rc, err, res);
    return rc;
}
