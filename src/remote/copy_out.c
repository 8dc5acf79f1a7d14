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
#include "data/load.h"
#include "base/banned.h"

/* Each block of CSV load_export_rows formats goes to the server; the clock may cancel. */
struct feed {
    struct pg_conn *c;
    struct tick tk;
};

static int
put_block(void *arg, const char *data, size_t len, struct qerr *err)
{
    struct feed *f = arg;
    if (pg_copy_put(f->c, data, len, err) < 0)
        return -1;
    if (tick(&f->tk, -1.0))
        return tick_fail(err);
    return 0;
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
    char *rel = NULL, *s = pg_ident(schema), *t = pg_ident(name);
    int rc = -1, there = 0, began = 0;
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
    /* the rows as export writes them to a CSV file (data/load.h), header and all */
    buf_addf(&b, "COPY %s FROM STDIN (FORMAT csv, HEADER true)", rel);
    if (pg_copy_begin(c, b.data, err) < 0)
        goto out;
    struct feed f = {.c = c};
    tick_init(&f.tk, progress, pctx);
    long long n = 0;
    if (load_export_rows(db, table, LOAD_CSV, put_block, &f, &n, err) < 0)
        goto copy_fail;
    if (pg_copy_end(c, NULL, err) < 0)
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
    catalog_columns_release(&cols);
    buf_release(&b);
    free(rel);
    free(s);
    free(t);
    return rc;
}
