/*
 * copy_out.c: a catalog table into a new PostgreSQL table by COPY
 * (copy_out.h).
 */
#include "remote/copy_out.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/tick.h"
#include "data/catalog.h"
#include "base/banned.h"

/* One value in COPY's text format: \N for NULL, backslash escapes for the rest. */
static void
put_value(struct buf *b, sqlite3_stmt *st, int j)
{
    switch (sqlite3_column_type(st, j)) {
    case SQLITE_NULL:
        buf_adds(b, "\\N");
        return;
    case SQLITE_INTEGER:
        buf_addf(b, "%lld", (long long)sqlite3_column_int64(st, j));
        return;
    case SQLITE_FLOAT:
        buf_addf(b, "%.17g", sqlite3_column_double(st, j));
        return;
    default:
        break;
    }
    const unsigned char *t = sqlite3_column_text(st, j);
    for (; t && *t; t++) {
        switch (*t) {
        case '\\': buf_adds(b, "\\\\"); break;
        case '\t': buf_adds(b, "\\t"); break;
        case '\n': buf_adds(b, "\\n"); break;
        case '\r': buf_adds(b, "\\r"); break;
        default: buf_addc(b, (char)*t);
        }
    }
}

/* Does schema.name exist on the server? */
static int
exists(struct pg_conn *c, const char *schema, const char *name, int *yes, struct qerr *err)
{
    struct pg_table *t = NULL;
    int n = 0;
    *yes = 0;
    if (pg_tables(c, &t, &n, err) < 0)
        return -1;
    for (int i = 0; i < n; i++)
        *yes |= !strcmp(t[i].schema, schema) && !strcmp(t[i].name, name);
    pg_tables_free(t, n);
    return 0;
}

int
pg_copy_out(struct pg_conn *c, sqlite3 *db, const char *table, const char *schema,
            const char *name, int replace, int (*progress)(void *pctx, double fraction),
            void *pctx, long long *n_rows, struct qerr *err)
{
    struct catalog_columns cols = {0};
    struct buf b = BUF_INIT;
    sqlite3_stmt *st = NULL;
    char *rel = NULL, *s = pg_ident(schema), *t = pg_ident(name);
    int rc = -1, there = 0, began = 0;
    long long total = 0;
    *n_rows = 0;
    if (catalog_columns(db, table, 0, &cols, err) < 0)
        goto out;
    if (cols.n == 0) {
        qerr_set(err, QE_NOTFOUND, "no table '%s'", table);
        goto out;
    }
    if (exists(c, schema, name, &there, err) < 0)
        goto out;
    if (there && !replace) {
        qerr_set(err, QE_ARG, "the server has a table %s.%s already; export would replace it",
                 schema, name);
        goto out;
    }
    buf_addf(&b, "%s.%s", s, t);
    rel = buf_detach(&b);
    if (pg_exec(c, "BEGIN", err) < 0)
        goto out;
    began = 1;
    if (there) {
        buf_addf(&b, "DROP TABLE %s", rel);
        if (pg_exec(c, b.data, err) < 0)
            goto out;
        buf_reset(&b);
    }
    buf_addf(&b, "CREATE TABLE %s (", rel);
    for (int j = 0; j < cols.n; j++) {
        char *id = pg_ident(cols.names[j]);
        buf_addf(&b, "%s%s %s", j ? ", " : "", id,
                 cols.kinds[j] == CATALOG_INTEGER ? "bigint"
                 : cols.kinds[j] == CATALOG_REAL  ? "double precision"
                                                  : "text");
        free(id);
    }
    buf_adds(&b, ")");
    if (pg_exec(c, b.data, err) < 0)
        goto out;
    buf_reset(&b);
    char *q = sqlite3_mprintf("SELECT count(*) FROM \"%w\"", table);
    if (sqlite3_prepare_v2(db, q, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        total = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_free(q);
    q = sqlite3_mprintf("SELECT * FROM \"%w\"", table);
    int prc = sqlite3_prepare_v2(db, q, -1, &st, NULL);
    sqlite3_free(q);
    if (prc != SQLITE_OK) {
        qerr_set(err, QE_SQL, "cannot read '%s': %s", table, sqlite3_errmsg(db));
        goto out;
    }
    buf_addf(&b, "COPY %s FROM STDIN", rel);
    if (pg_copy_begin(c, b.data, err) < 0)
        goto out;
    buf_reset(&b);
    struct tick tk;
    tick_init(&tk, progress, pctx);
    int step;
    long long n = 0;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        for (int j = 0; j < cols.n; j++) {
            if (j)
                buf_addc(&b, '\t');
            put_value(&b, st, j);
        }
        buf_addc(&b, '\n');
        n++;
        if (b.len >= 1 << 16) {
            if (pg_copy_put(c, b.data, b.len, err) < 0)
                goto copy_fail;
            buf_reset(&b);
        }
        if (tick_row(&tk, n, total)) {
            tick_fail(err);
            goto copy_fail;
        }
    }
    if (step != SQLITE_DONE) {
        qerr_set(err, QE_SQL, "cannot read '%s': %s", table, sqlite3_errmsg(db));
        goto copy_fail;
    }
    if ((b.len && pg_copy_put(c, b.data, b.len, err) < 0) || pg_copy_end(c, NULL, err) < 0)
        goto out;
    if (pg_exec(c, "COMMIT", err) < 0)
        goto out;
    began = 0;
    *n_rows = n;
    rc = 0;
    goto out;
copy_fail:
    pg_copy_end(c, "cancelled by quarry", &(struct qerr)QERR_INIT);
out:
    if (began)
        pg_exec(c, "ROLLBACK", &(struct qerr)QERR_INIT);
    sqlite3_finalize(st);
    catalog_columns_release(&cols);
    buf_release(&b);
    free(rel);
    free(s);
    free(t);
    return rc;
}
