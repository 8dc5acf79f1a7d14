/*
 * arules_put.c: a result table of `rules` as a column table (arules.h,
 * arules_put_table): created empty, its arrays then put straight from the
 * result's columns by coltab_put (data/coltab.h), no row passing through
 * SQL.
 */
#include "rules/arules.h"

#include <stdlib.h>

#include "base/buf.h"
#include "base/mem.h"
#include "data/catalog.h"
#include "data/coltab.h"

#include "base/banned.h"

static const char *
decl_of(enum catalog_kind k)
{
    return k == CATALOG_INTEGER ? "INTEGER" : k == CATALOG_REAL ? "REAL" : "TEXT";
}

int
arules_put_table(sqlite3 *db, const char *name, const struct frame_out *outs, int n_outs,
                 long long n_rows, struct qerr *err)
{
    struct buf sql = BUF_INIT;
    struct coltab_col *cols = xcalloc((size_t)n_outs + 1, sizeof *cols);
    sqlite3_int64 *rowid = NULL;
    int rc = -1;
    buf_adds(&sql, "DROP TABLE IF EXISTS main.");
    buf_add_ident(&sql, name);
    buf_adds(&sql, "; CREATE VIRTUAL TABLE main.");
    buf_add_ident(&sql, name);
    buf_adds(&sql, " USING columns(");
    for (int i = 0; i < n_outs; i++) {
        if (outs[i].decl != CATALOG_INTEGER && outs[i].decl != CATALOG_REAL &&
            outs[i].decl != CATALOG_TEXT) {
            qerr_set(err, QE_ARG, "column '%s' of %s: a column table here takes INTEGER, "
                     "REAL or TEXT", outs[i].name, name);
            goto out;
        }
        buf_adds(&sql, i ? ", " : "");
        buf_add_ident(&sql, outs[i].name);
        buf_addf(&sql, " %s", decl_of(outs[i].decl));
        cols[i] = (struct coltab_col){.name = outs[i].name, .num = outs[i].num,
                                      .as_int = outs[i].decl == CATALOG_INTEGER,
                                      .text = outs[i].text};
    }
    buf_adds(&sql, ")");
    rowid = mem_alloc((size_t)n_rows + 1, sizeof *rowid, "rules", "the table's rows", err);
    if (!rowid || coltab_register(db, err) < 0 || catalog_exec(db, sql.data, err) < 0)
        goto out;
    for (long long i = 0; i < n_rows; i++)
        rowid[i] = i + 1;
    int put = n_rows ? coltab_put(db, name, cols, n_outs, rowid, n_rows, err) : 0;
    if (put == 1) /* not taken: cannot be with these declarations; say so rather than guess */
        qerr_set(err, QE_INTERNAL, "the columns of %s were not taken by the column table",
                 name);
    rc = put == 0 ? 0 : -1;
out:
    buf_release(&sql);
    free(cols);
    free(rowid);
    return rc;
}
