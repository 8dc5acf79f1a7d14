/*
 * pull.c: a remote query's rows into a new catalog table (pull.h).
 */
#include "remote/pull.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "data/catalog.h"
#include "base/banned.h"

struct sink {
    sqlite3 *db;
    sqlite3_stmt *ins;
    int n_cols;
    int *kind;
    long long n;
};

/* One remote row as one INSERT; numbers bound as numbers where the column says so. */
static int
put_row(void *arg, int n, const char *const *vals, const char *const *names,
        const unsigned *oids, struct qerr *err)
{
    struct sink *s = arg;
    sqlite3_reset(s->ins);
    for (int j = 0; j < n && j < s->n_cols; j++) {
        const char *v = vals[j];
        char *end = NULL;
        if (!v) {
            sqlite3_bind_null(s->ins, j + 1);
        } else if (s->kind[j] == 1) {
            long long x = strtoll(v, &end, 10);
            if (*v && !*end)
                sqlite3_bind_int64(s->ins, j + 1, x);
            else
                sqlite3_bind_text(s->ins, j + 1, v, -1, SQLITE_TRANSIENT);
        } else if (s->kind[j] == 2) {
            double x = strtod(v, &end);
            if (*v && !*end)
                sqlite3_bind_double(s->ins, j + 1, x);
            else
                sqlite3_bind_text(s->ins, j + 1, v, -1, SQLITE_TRANSIENT);
        } else {
            sqlite3_bind_text(s->ins, j + 1, v, -1, SQLITE_TRANSIENT);
        }
    }
    if (sqlite3_step(s->ins) != SQLITE_DONE)
        return qerr_set(err, QE_SQL, "cannot write row %lld: %s", s->n + 1,
                        sqlite3_errmsg(s->db));
    s->n++;
    return 0;
}

int
pg_pull(struct pg_conn *c, sqlite3 *db, const char *sql, const char *dest, double expected,
        int (*progress)(void *pctx, double fraction), void *pctx, long long *n_rows,
        struct qerr *err)
{
    char **names = NULL;
    unsigned *oids = NULL;
    int n = 0, rc = -1;
    struct sink s = {.db = db};
    struct buf b = BUF_INIT;
    *n_rows = 0;
    if (pg_result_columns(c, sql, &names, &oids, &n, err) < 0)
        goto out;
    if (n == 0) {
        rc = qerr_set(err, QE_DATA, "the remote query returns no columns");
        goto out;
    }
    s.n_cols = n;
    s.kind = xcalloc((size_t)n, sizeof *s.kind);
    buf_adds(&b, "CREATE TABLE ");
    buf_add_ident(&b, dest);
    buf_adds(&b, " (");
    for (int j = 0; j < n; j++) {
        s.kind[j] = pg_oid_kind(oids[j]);
        if (j)
            buf_adds(&b, ", ");
        buf_add_ident(&b, names[j]);
        buf_adds(&b, s.kind[j] == 1 ? " INTEGER" : s.kind[j] == 2 ? " REAL" : " TEXT");
    }
    buf_adds(&b, ")");
    if (catalog_exec(db, b.data, err) < 0)
        goto out;
    buf_reset(&b);
    buf_adds(&b, "INSERT INTO ");
    buf_add_ident(&b, dest);
    buf_adds(&b, " VALUES (");
    for (int j = 0; j < n; j++)
        buf_adds(&b, j ? ", ?" : "?");
    buf_adds(&b, ")");
    if (sqlite3_prepare_v2(db, b.data, -1, &s.ins, NULL) != SQLITE_OK) {
        rc = qerr_set(err, QE_SQL, "cannot write table '%s': %s", dest, sqlite3_errmsg(db));
        goto out;
    }
    if (pg_query(c, sql, expected, put_row, &s, progress, pctx, err) < 0)
        goto out;
    *n_rows = s.n;
    rc = 0;
out:
    sqlite3_finalize(s.ins);
    free(s.kind);
    buf_release(&b);
    pg_names_free(names, n);
    free(oids);
    return rc;
}
