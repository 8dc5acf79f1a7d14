/*
 * catalog_edit.h: the catalog's whole-table operations that commands ask
 * for by name: count, drop, rename, a column derived from an SQL
 * expression, the first row of each group of duplicates, and one cell's
 * text. They are SQL, so they live here in the data layer; handlers call
 * them and never build SQL themselves. Every write goes through the
 * catalog's connection, whose watch (catalog_watch.h) keeps cached frames
 * current. Table and column names are quoted; they may hold any character.
 */
#ifndef QUARRY_CATALOG_EDIT_H
#define QUARRY_CATALOG_EDIT_H

#include "base/qerr.h"
#include "data/catalog.h"

/* The number of rows of table, or -1 when it cannot be counted (no such table). */
long long catalog_count_rows(struct catalog *cat, const char *table);

/* Drop table. QE_SQL with SQLite's message on failure. */
int catalog_drop_table(struct catalog *cat, const char *table, struct qerr *err);

/* Rename table from to to. QE_SQL with SQLite's message on failure. */
int catalog_rename_table(struct catalog *cat, const char *from, const char *to,
                         struct qerr *err);

/*
 * Whether table has room for the columns adds[0..n_adds) (those it has
 * already are not counted): SQLite's limit is 2000 columns a table, and
 * a rewrite (a copy as NAME, or a column changing type) needs one more,
 * for the row ids beside them. QE_ARG before any work when not, naming
 * the limit and what to do; who names the command. 0 when there is room
 * or no such table.
 */
int catalog_column_room(struct catalog *cat, const char *table, const char *const *adds,
                        int n_adds, int rewrite, const char *who, struct qerr *err);

/*
 * Add column name to table, holding the SQL expression expr evaluated on
 * each row. The column is declared by the types the values take: REAL if
 * any is real, else INTEGER if any is an integer, TEXT if all are text,
 * no type for a mix of text and numbers; *decl gets that declaration ("" for
 * none; a static string). QE_ARG when expr is not a single expression over
 * table, with SQLite's words, or when table has no room for a column
 * (catalog_column_room).
 */
int catalog_derive_column(struct catalog *cat, const char *table, const char *name,
                          const char *expr, const char **decl, struct qerr *err);

/*
 * The rowid of the first row (smallest rowid) of each group of rows equal
 * in every one of the n_cols columns cols (SQL's GROUP BY equality: NULLs
 * equal each other, 1 equals 1.0), ascending, in *rowids (malloc'd, the
 * caller frees) and their count in *n; the real rowids even where a column
 * is named rowid (catalog_rowid_name). QE_NOMEM, QE_SQL on failure, QE_ARG
 * when columns hide all of rowid, _rowid_ and oid.
 */
int catalog_first_of_equal_rows(struct catalog *cat, const char *table,
                                const char *const *cols, int n_cols, long long **rowids,
                                long long *n, struct qerr *err);

/*
 * The (real) rowids of the rows of table where the SQL condition where
 * holds, ascending, in *rowids (malloc'd, the caller frees) and their
 * count in *n: for where= of a command. QE_ARG when where is not one
 * expression over table (with SQLite's words); QE_NOMEM; QE_SQL.
 */
int catalog_rows_where(struct catalog *cat, const char *table, const char *where,
                       long long **rowids, long long *n, struct qerr *err);

/*
 * The text of column col in the row of table with the given (real) rowid,
 * or NULL when the row does not exist, the value is NULL or columns hide
 * the rowid (malloc'd, the caller frees). For messages that show what a
 * value looks like.
 */
char *catalog_cell_text(struct catalog *cat, const char *table, const char *col,
                        long long rowid);

#endif
