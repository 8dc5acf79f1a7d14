/*
 * coltab_read.c: coltab_view (coltab.h), a column table's arrays handed to
 * a reader with no row passing through SQL. The request travels as a
 * pointer bound to `quarry_put = ?1` in a SELECT on the table: SQLite
 * resolves the name as for any query, xBestIndex (coltab.c) takes the
 * constraint on the hidden column, and xFilter hands the request to
 * cs_view here, which calls the reader back on the table's storage; the
 * SELECT itself gives no row. coltab_is lives here too, so that coltab.c
 * calls this file and not the other way round.
 */
#include "data/coltab.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "data/coltab_int.h"

#include "base/banned.h"

struct view_req {
    int (*fn)(void *ctx, const struct coltab_view *v, struct qerr *err);
    void *ctx;
    struct qerr *err;
    int called; /* the table took the request */
    int rc;     /* what fn returned */
};

void
cs_view(const struct store *t, sqlite3_value *arg)
{
    struct view_req *q = sqlite3_value_pointer(arg, CS_VIEW_TYPE);
    if (!q || q->called)
        return;
    q->called = 1;
    struct coltab_view_col *cols = malloc((size_t)(t->ncol ? t->ncol : 1) * sizeof(*cols));
    if (!cols) {
        q->rc = qerr_set(q->err, QE_NOMEM, "out of memory");
        return;
    }
    struct coltab_view v = {.n = t->n, .rid = t->rid, .live = t->live, .n_cols = t->ncol,
                            .col = cols};
    for (long long i = 0; i < t->n; i++)
        v.n_live += t->live[i] != 0;
    for (int c = 0; c < t->ncol; c++) {
        cols[c].ty = t->col[c].ty;
        cols[c].v = (const unsigned char *)t->col[c].v;
        cols[c].arena = t->col[c].arena;
    }
    q->rc = q->fn(q->ctx, &v, q->err);
    free(cols);
}

int
coltab_is(sqlite3 *db, const char *table)
{
    sqlite3_stmt *st = NULL;
    int yes = 0;
    if (sqlite3_prepare_v2(db, "SELECT sql FROM main.sqlite_schema WHERE type = 'table' AND "
                               "name = ?1", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
            const char *s = (const char *)sqlite3_column_text(st, 0);
            yes = s && strncasecmp(s, "CREATE VIRTUAL TABLE", 20) == 0 &&
                  strstr(s, "USING columns(") != NULL;
        }
    }
    sqlite3_finalize(st);
    return yes;
}

int
coltab_view(sqlite3 *db, const char *table,
            int (*fn)(void *ctx, const struct coltab_view *v, struct qerr *err), void *ctx,
            struct qerr *err)
{
    if (!coltab_is(db, table))
        return 1;
    struct view_req q = {.fn = fn, .ctx = ctx, .err = err};
    struct buf sql = BUF_INIT;
    sqlite3_stmt *st = NULL;
    buf_adds(&sql, "SELECT 1 FROM ");
    buf_add_ident(&sql, table);
    buf_adds(&sql, " WHERE " CS_PUT_COLUMN " = ?1");
    /* a table SQL finds first that is not a column table (a temp one) has no quarry_put */
    int rc = sqlite3_prepare_v2(db, sql.data, -1, &st, NULL);
    buf_release(&sql);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_pointer(st, 1, &q, CS_VIEW_TYPE, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
        rc = SQLITE_OK; /* none comes; a table without the hook would scan to the end */
    sqlite3_finalize(st);
    if (!q.called)
        return 1;
    if (q.rc < 0)
        return -1;
    if (q.rc == 0 && rc != SQLITE_DONE)
        return qerr_set(err, QE_SQL, "reading '%s': %s", table, sqlite3_errmsg(db));
    return q.rc;
}
