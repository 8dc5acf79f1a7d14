/*
 * row_source.c: the virtual table of row_source.h. Its
 * cursor asks the source for each row (next) and each value (column); the
 * module is registered for one row_source_run and removed before it
 * returns.
 */
#include "data/row_source.h"

#include <string.h>

#include "base/buf.h"

#include "base/banned.h"

struct rows_vtab {
    sqlite3_vtab base;
    const struct row_source *src;
    struct qerr *err;
};

struct rows_cursor {
    sqlite3_vtab_cursor base;
    sqlite3_int64 rowid;
    int eof;
};

static struct rows_vtab *
vtab_of(sqlite3_vtab_cursor *vc)
{
    return (struct rows_vtab *)vc->pVtab;
}

static int
rows_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out,
             char **errmsg)
{
    const struct rows_vtab *proto = aux;
    struct buf decl = BUF_INIT;
    buf_adds(&decl, "CREATE TABLE x(");
    for (int i = 0; i < proto->src->n_cols; i++)
        buf_addf(&decl, "%sc%d", i ? "," : "", i);
    buf_addc(&decl, ')');
    int rc = sqlite3_declare_vtab(db, decl.data);
    buf_release(&decl);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
    /*
     * A heap copy: when the module is removed inside a transaction, SQLite
     * defers the disconnect until a later statement, after
     * row_source_run has returned. Its pointers are only used before.
     */
    struct rows_vtab *t = sqlite3_malloc(sizeof(*t));
    if (!t)
        return SQLITE_NOMEM;
    memset(t, 0, sizeof(*t));
    t->src = proto->src;
    t->err = proto->err;
    *out = &t->base;
    return SQLITE_OK;
}

static int
rows_disconnect(sqlite3_vtab *t)
{
    sqlite3_free(t);
    return SQLITE_OK;
}

static int
rows_best_index(sqlite3_vtab *t, sqlite3_index_info *info)
{
    long long n = ((struct rows_vtab *)t)->src->n_hint;
    info->estimatedRows = n;
    info->estimatedCost = (double)n;
    return SQLITE_OK;
}

static int
rows_open(sqlite3_vtab *t, sqlite3_vtab_cursor **out)
{
    struct rows_cursor *cur = sqlite3_malloc(sizeof(*cur));
    if (!cur)
        return SQLITE_NOMEM;
    memset(cur, 0, sizeof(*cur));
    *out = &cur->base;
    return SQLITE_OK;
}

static int
rows_close(sqlite3_vtab_cursor *cur)
{
    sqlite3_free(cur);
    return SQLITE_OK;
}

static int
rows_next(sqlite3_vtab_cursor *vc)
{
    struct rows_cursor *cur = (struct rows_cursor *)vc;
    struct rows_vtab *t = vtab_of(vc);
    int rc = t->src->next(t->src->ctx);
    if (rc < 0) {
        sqlite3_free(t->base.zErrMsg);
        t->base.zErrMsg = sqlite3_mprintf("%s", t->err->msg ? t->err->msg : "no rows");
        return SQLITE_ERROR;
    }
    cur->eof = rc == 0;
    cur->rowid++;
    return SQLITE_OK;
}

static int
rows_filter(sqlite3_vtab_cursor *vc, int idx, const char *idx_str, int argc,
            sqlite3_value **argv)
{
    const struct row_source *src = vtab_of(vc)->src;
    if (src->rewind)
        src->rewind(src->ctx);
    ((struct rows_cursor *)vc)->rowid = 0;
    return rows_next(vc);
}

static int
rows_eof(sqlite3_vtab_cursor *vc)
{
    return ((struct rows_cursor *)vc)->eof;
}

static int
rows_column(sqlite3_vtab_cursor *vc, sqlite3_context *sc, int i)
{
    const struct row_source *src = vtab_of(vc)->src;
    src->column(src->ctx, sc, i);
    return SQLITE_OK;
}

static int
rows_rowid(sqlite3_vtab_cursor *vc, sqlite3_int64 *rowid)
{
    *rowid = ((struct rows_cursor *)vc)->rowid;
    return SQLITE_OK;
}

static const sqlite3_module rows_module = {
    .iVersion = 0,
    .xCreate = NULL, /* eponymous only: no CREATE VIRTUAL TABLE */
    .xConnect = rows_connect,
    .xBestIndex = rows_best_index,
    .xDisconnect = rows_disconnect,
    .xDestroy = rows_disconnect,
    .xOpen = rows_open,
    .xClose = rows_close,
    .xFilter = rows_filter,
    .xNext = rows_next,
    .xEof = rows_eof,
    .xColumn = rows_column,
    .xRowid = rows_rowid,
};

static int
sql_error(sqlite3 *db, const char *what, struct qerr *err)
{
    if (what)
        return qerr_set(err, QE_SQL, "%s: %s", what, sqlite3_errmsg(db));
    return qerr_set(err, QE_SQL, "%s", sqlite3_errmsg(db));
}

int
row_source_run(sqlite3 *db, const struct row_source *src, const char *sql, const char *what,
               struct qerr *err)
{
    struct rows_vtab proto; /* the module's aux data: what rows_connect copies */
    const char *tail = sql;
    int rc = 0;

    memset(&proto, 0, sizeof(proto));
    proto.src = src;
    proto.err = err;
    if (sqlite3_create_module_v2(db, src->name, &rows_module, &proto, NULL) != SQLITE_OK)
        return qerr_set(err, QE_SQL, "cannot register the row source: %s", sqlite3_errmsg(db));
    while (rc == 0 && *tail) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, tail, -1, &st, &tail) != SQLITE_OK) {
            rc = sql_error(db, what, err);
            break;
        }
        if (!st)
            break; /* only white space was left */
        int s;
        while ((s = sqlite3_step(st)) == SQLITE_ROW)
            ;
        /* A failed step after next() or column() has set err: the first error wins. */
        if (s != SQLITE_DONE)
            rc = sql_error(db, what, err);
        sqlite3_finalize(st);
    }
    if (rc == 0 && qerr_failed(err))
        rc = -1;
    /* Remove the module again, and with it the eponymous table. */
    sqlite3_create_module_v2(db, src->name, NULL, NULL, NULL);
    return rc;
}
