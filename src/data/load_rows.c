/*
 * load_rows.c: load_insert_rows of load.h, the fast bulk insert: one
 * statement, INSERT INTO t SELECT * FROM quarry_load_rows, over the row
 * source of row_source.h (which says why that is fast).
 */
#include "data/load.h"

#include <string.h>

#include "base/qerr.h"
#include "data/row_source.h"

#include "base/banned.h"

int
load_insert_rows(sqlite3 *db, const char *table, struct load_rows *src, struct qerr *err)
{
    struct row_source rows = {
        .name = "quarry_load_rows", .n_cols = src->n_cols, .n_hint = src->n_hint, .ctx = src->ctx,
        .next = src->next, .column = src->column,
    };
    /* WHERE abs(1): see row_source.h, ROW_SOURCE_STMT_JOURNAL */
    char *sql = sqlite3_mprintf("INSERT INTO \"%w\" SELECT * FROM %s " ROW_SOURCE_STMT_JOURNAL,
                                table, rows.name);
    char *what = sqlite3_mprintf("cannot insert into '%s'", table);
    int rc = sql && what ? row_source_run(db, &rows, sql, what, err)
                         : qerr_set(err, QE_NOMEM, "out of memory for the insert into '%s'", table);
    sqlite3_free(sql);
    sqlite3_free(what);
    return rc;
}
