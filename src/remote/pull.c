/*
 * pull.c: a remote query's rows into a new catalog table (pull.h),
 * through the loader's bulk insert (load_insert_rows over a row source),
 * so the rows go in as a load's do: one INSERT ... SELECT with a
 * statement journal, noticed by the catalog's write stamps.
 */
#include "remote/pull.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "data/catalog.h"
#include "data/load.h"
#include "base/banned.h"

struct sink {
    struct pg_stream *s;
    struct qerr *err;
    int n_cols;
    int *kind;
    int n;                   /* values in the current row */
    const char *const *vals;
    long long rows;
};

/* load_rows.next: the next remote row (a stream: read once). */
static int
next_row(void *ctx)
{
    struct sink *k = ctx;
    const char *const *names;
    const unsigned *oids;
    int got = pg_stream_next(k->s, &k->n, &k->vals, &names, &oids, k->err);
    if (got > 0)
        k->rows++;
    return got;
}

/* load_rows.column: value i, a number where the column says so and the text reads as one. */
static void
column(void *ctx, sqlite3_context *sc, int i)
{
    struct sink *k = ctx;
    const char *v = i < k->n ? k->vals[i] : NULL;
    char *end = NULL;
    if (!v) {
        sqlite3_result_null(sc);
    } else if (k->kind[i] == 1) {
        long long x = strtoll(v, &end, 10);
        if (*v && !*end)
            sqlite3_result_int64(sc, x);
        else
            sqlite3_result_text(sc, v, -1, SQLITE_TRANSIENT);
    } else if (k->kind[i] == 2) {
        double x = strtod(v, &end);
        if (*v && !*end)
            sqlite3_result_double(sc, x);
        else
            sqlite3_result_text(sc, v, -1, SQLITE_TRANSIENT);
    } else {
        sqlite3_result_text(sc, v, -1, SQLITE_TRANSIENT);
    }
}

int
pg_pull(struct pg_conn *c, sqlite3 *db, const char *sql, const char *dest, double expected,
        int (*progress)(void *pctx, double fraction), void *pctx, long long *n_rows,
        struct qerr *err)
{
    char **names = NULL;
    unsigned *oids = NULL;
    int n = 0, rc = -1;
    struct sink k = {.err = err};
    struct buf b = BUF_INIT;
    *n_rows = 0;
    if (pg_result_columns(c, sql, &names, &oids, &n, err) < 0)
        goto out;
    if (n == 0) {
        rc = qerr_set(err, QE_DATA, "the remote query returns no columns");
        goto out;
    }
    k.n_cols = n;
    k.kind = xcalloc((size_t)n, sizeof *k.kind);
    buf_adds(&b, "CREATE TABLE ");
    buf_add_ident(&b, dest);
    buf_adds(&b, " (");
    for (int j = 0; j < n; j++) {
        k.kind[j] = pg_oid_kind(oids[j]);
        if (j)
            buf_adds(&b, ", ");
        buf_add_ident(&b, names[j]);
        buf_adds(&b, k.kind[j] == 1 ? " INTEGER" : k.kind[j] == 2 ? " REAL" : " TEXT");
    }
    buf_adds(&b, ")");
    if (catalog_exec(db, b.data, err) < 0)
        goto out;
    if (pg_stream_open(c, sql, expected, progress, pctx, &k.s, err) < 0)
        goto out;
    struct load_rows rows = {.n_cols = n, .n_hint = expected > 0 ? (long long)expected : 0,
                             .ctx = &k, .next = next_row, .column = column};
    if (load_insert_rows(db, dest, &rows, err) < 0)
        goto out;
    *n_rows = k.rows;
    rc = 0;
out:
    pg_stream_close(k.s);
    free(k.kind);
    buf_release(&b);
    pg_names_free(names, n);
    free(oids);
    return rc;
}
