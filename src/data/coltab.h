/*
 * coltab.h: column tables, a table whose truth is column arrays in memory,
 * seen by SQLite through its virtual-table interface (issue 18, first
 * step; docs/COLUMNS.md is the design note).
 *
 * A column table holds, per column, one array of cells (each a storage
 * class, SQLite's NULL/INTEGER/REAL/TEXT/BLOB, and its value), and per row
 * a rowid and a live flag; rows are kept in rowid order, so a scan returns
 * them in the order an ordinary table's scan does. SQL sees an ordinary
 * table: SELECT with any WHERE, GROUP BY, ORDER BY and join (xBestIndex
 * takes rowid = ? and column = ? constraints; SQLite re-checks every
 * constraint, so a filter here only ever narrows the rows it must look
 * at), INSERT, UPDATE and DELETE (xUpdate, with the column's affinity
 * applied as an ordinary table applies it), and savepoints
 * (xSavepoint/xRelease/xRollbackTo, xBegin/xCommit/xRollback): a write
 * copies the column it changes once per savepoint level, so undoing a
 * statement restores exactly the columns it changed. Appending rows and
 * deleting rows copy only the row index (rowids and live flags).
 *
 * What a column table does not take yet: ALTER TABLE ADD COLUMN and
 * CREATE INDEX (coltab_to_rows turns one back into an ordinary table
 * first), and the backup API copies no data from it (save must write
 * ordinary tables: coltab_to_rows). The module is named "columns":
 *   CREATE VIRTUAL TABLE t USING columns(a INTEGER, b TEXT, ...)
 */
#ifndef QUARRY_COLTAB_H
#define QUARRY_COLTAB_H

#include <sqlite3.h>

#include "base/qerr.h"

/* Register the "columns" module on db; nothing when it is registered already. */
int coltab_register(sqlite3 *db, struct qerr *err);

/*
 * Turn the ordinary table `table` of the main schema into a column table of
 * the same name, columns (names, declared types, order), rows and rowids.
 * Runs as SQL on db (the caller's transaction or savepoint makes it
 * atomic). QE_SQL when the table does not exist or SQLite refuses.
 */
int coltab_from_rows(sqlite3 *db, const char *table, struct qerr *err);

/* The reverse: a column table back into an ordinary table of the same name. */
int coltab_to_rows(sqlite3 *db, const char *table, struct qerr *err);

/* Every column table of the main schema back into an ordinary table; how many in *n. */
int coltab_all_to_rows(sqlite3 *db, int *n, struct qerr *err);

/* Whether `table` in the main schema is a column table (1), or not (0). */
int coltab_is(sqlite3 *db, const char *table);

#endif
