/*
 * row_source.h: rows that C code produces, read by SQL. The loader's
 * bulk insert (load_insert_rows) and frame_write's writes both put rows
 * into tables through it.
 *
 * row_source_run registers an eponymous virtual table (src->name, say
 * quarry_load_rows) of columns c0 .. c<n_cols - 1> whose cursor pulls
 * rows from a struct row_source, runs the caller's SQL (which reads it,
 * e.g. INSERT INTO t SELECT * FROM quarry_load_rows), and removes the
 * table again.
 * Measured on 1,000,000 rows x 10 columns into :memory:, one INSERT ...
 * SELECT over it takes about half the time of stepping a prepared
 * INSERT ... VALUES(?, ...) once per row: every sqlite3_step and
 * sqlite3_bind_* re-enters the VDBE and takes the connection's mutex,
 * and the virtual table's callbacks do neither.
 */
#ifndef QUARRY_ROW_SOURCE_H
#define QUARRY_ROW_SOURCE_H

#include <sqlite3.h>

#include "base/qerr.h"

/*
 * A source of rows. next(ctx) makes the next row current and returns 1,
 * returns 0 at the end, or sets the qerr given to row_source_run and
 * returns -1. column(ctx, sc, i) sets value i of the current row with
 * sqlite3_result_*(sc, ...); text or blobs passed as SQLITE_STATIC must
 * stay valid until row_source_run returns. column may fail with
 * sqlite3_result_error after setting the qerr. rewind(ctx), when not
 * NULL, goes back to before the first row, for SQL that reads the rows
 * more than once; without it they are read once (a stream).
 */
struct row_source {
    const char *name; /* the virtual table's name, quarry_...: the SQL reads it */
    int n_cols;       /* values per row */
    long long n_hint; /* rows expected, for the planner; 0 if unknown */
    void *ctx;
    int (*next)(void *ctx);
    void (*column)(void *ctx, sqlite3_context *sc, int i);
    void (*rewind)(void *ctx);
};

/*
 * Run sql (one or more statements) on db with the virtual table src->name
 * reading src; the table is gone again when this returns. Returns 0, or -1 with err
 * set: what src set, else QE_SQL with SQLite's message, after what when
 * it is not NULL (e.g. "cannot insert into 't'").
 */
int row_source_run(sqlite3 *db, const struct row_source *src, const char *sql, const char *what,
                   struct qerr *err);

/*
 * A clause for a write statement of the data path: "WHERE abs(1)", a
 * constant evaluated once. A statement that calls a function gets a
 * statement journal from SQLite, and only then does a write that runs out
 * of room (SQLITE_FULL, SQLITE_NOMEM) roll back just that statement;
 * without one SQLite rolls back the whole transaction, which is every
 * undo level and all unsaved work (tests/unit/test_load_hostile.c, I/O
 * faults; tests/sh/io_faults.sh).
 */
#define ROW_SOURCE_STMT_JOURNAL "WHERE abs(1)"

#endif
