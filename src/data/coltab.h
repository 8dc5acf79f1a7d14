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
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/qerr.h"

/* Register the "columns" module on db; nothing when it is registered already. */
int coltab_register(sqlite3 *db, struct qerr *err);

/*
 * The catalog's undo levels, told to the column tables of db: op 0 after
 * SAVEPOINT q<level>, 1 after RELEASE q<level>, 2 after ROLLBACK TO
 * q<level> (catalog.c). Undo then undoes a column table's CREATE and DROP
 * with it, which SQLite's savepoint calls to the tables do not always
 * reach (docs/COLUMNS.md, "DROP and undo"). Does nothing before a column
 * table was made on db.
 */
void coltab_savepoint(sqlite3 *db, int op, int level);

/*
 * Bytes held by the dropped column tables of db, kept so that undo can
 * bring them back: the undo memory bound counts them (catalog_undo_bytes).
 * They are freed once nothing can bring them back (the transaction holding
 * their DROP committed: catalog_forget_undo, or its CREATE undone). 0
 * before a column table was made on db.
 */
long long coltab_dropped_bytes(sqlite3 *db);

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

/*
 * The reverse of coltab_all_to_rows, for a workspace just opened: every
 * table written as load writes one (CREATE TABLE "t" ("a" TYPE, ...), no
 * constraint, default, index or hidden column; not quarry_*), as save and
 * autosave write a column table, becomes a column table; how many in *n.
 * Tables made otherwise (CREATE TABLE in SQL) stay ordinary.
 */
int coltab_all_from_rows(sqlite3 *db, int *n, struct qerr *err);

/*
 * SQLite refused the statement at sql with msg because it alters or
 * indexes a virtual table (ALTER TABLE ADD/DROP/RENAME COLUMN, CREATE
 * INDEX): every column table the statement names becomes an ordinary
 * table (coltab_to_rows), so that the statement can be prepared again.
 * Run it inside the statement's savepoint: undo brings the column table
 * back. 1 when a table was converted, 0 when msg is no such refusal or no
 * column table is named, -1 (QE_SQL) when a conversion failed.
 */
int coltab_unalter(sqlite3 *db, const char *sql, const char *msg, struct qerr *err);

/*
 * The most columns a column table can have on db: SQLite counts a virtual
 * table's module arguments (the module, database and table names and each
 * column) against SQLITE_LIMIT_COLUMN, and a column table declares a hidden
 * column besides (2000 -> 1994). Past it load and the commands make an
 * ordinary table.
 */
int coltab_max_columns(sqlite3 *db);

/* Whether `table` in the main schema is a column table (1), or not (0). */
int coltab_is(sqlite3 *db, const char *table);

/*
 * One column for coltab_put: its values from arrays (num, text, or code), or
 * copied from the same-named column of another column table (from).
 */
struct coltab_col {
    const char *name;        /* a column of the table written */
    const double *num;       /* [n_rows] numbers; NaN is NULL */
    int as_int;              /* num's whole values are integers (as frame_write sends them
                              * to an INTEGER column) */
    const char *const *text; /* or [n_rows] text, NULL entries NULL */
    const int32_t *code;     /* or [n_rows] codes into levels, -1 NULL (a loader's nominal
                              * column): each level's text is stored once, every cell of
                              * it refers to that copy */
    const char *const *levels; /* with code: n_levels NUL-terminated strings */
    int n_levels;
    const char *from;        /* or: the column table whose column `name` is copied, by rowid
                              * (it may have more rows: a copy keeping some) */
    double **give;           /* NULL, or &the caller's malloc'd pointer to num: a table made
                              * by this put (no rows before) may keep the array as its
                              * storage of a REAL column instead of copying it; then *give
                              * becomes NULL (the caller frees nothing), the array is the
                              * table's (its -0.0 made 0.0, as REAL stores it) and num stays
                              * readable until the table is next written */
};

/*
 * Write columns of the column table `table` straight into its arrays, with
 * no row passing through SQL: the commands' write-back (frame_write).
 * rowid[0..n_rows-1], ascending, names the rows. When the table has no
 * rows yet, they are made with these rowids; otherwise each must be a row
 * of the table, and rows not named keep their cells. Cells get what the
 * SQL path would store: the column's affinity applied as an ordinary table
 * applies it. It runs as one SQL statement on the table (an INSERT into
 * its hidden column quarry_put), so it joins the caller's savepoint and
 * undo as any write does: each column written is copied once per level.
 * Returns 0 when written, 1 when not taken and nothing changed (a
 * conversion only SQL does: a number into a TEXT column, text into a
 * numeric one; a rowid the table lacks; a `from` table lacking one of
 * these rows), -1 with err set on failure (SQLite then undoes
 * the statement).
 */
int coltab_put(sqlite3 *db, const char *table, const struct coltab_col *cols, int n_cols,
               const sqlite3_int64 *rowid, long long n_rows, struct qerr *err);

/*
 * Mark the column table `table` so that dropping it frees its arrays at
 * once, instead of keeping them for a rollback of the DROP (docs/COLUMNS.md,
 * "DROP and undo"). Only for a table made within the caller's current
 * statement or command, with no savepoint opened since, that it now
 * drops: a rollback then goes to before the table was made, so nothing can
 * bring it back (load's second try). Changes no data. 0, or -1 with err set.
 */
int coltab_discard(sqlite3 *db, const char *table, struct qerr *err);

/* One value for coltab_append, as C holds it. */
struct coltab_value {
    int type;        /* SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT or SQLITE_NULL */
    sqlite3_int64 i;
    double d;
    const char *s;   /* text: len bytes, valid until next is called again */
    size_t len;
    int code;        /* text: 0, or a number naming it among a column's values (a nominal
                      * value's index + 1): equal codes of a column are equal texts, so
                      * that the text is stored once and its cells share it */
};

/* Rows for coltab_append: next(ctx) makes the next row current and returns
 * 1, returns 0 at the end, or sets its own error and returns -1; value(ctx,
 * i, v) gives value i of the current row. */
struct coltab_rows {
    int n_cols; /* the table's columns */
    void *ctx;
    int (*next)(void *ctx);
    void (*value)(void *ctx, int i, struct coltab_value *v);
    long long n_hint; /* rows expected, or 0: room is made for them at once */
};

/*
 * Append every row of rows to the column table `table`, straight into its
 * arrays (load's bulk insert: no SQL statement step or xUpdate call a row),
 * with rowids one past the largest, each value stored as an INSERT would
 * store it (the column's affinity applied). Like coltab_put it runs as one
 * statement on the table, so it joins the caller's savepoint and undo
 * (appending copies only the row index). Returns 0 when appended, 1 when
 * not taken and nothing read (a table with deleted rows at its end, or a
 * column count that differs: use SQL), -1 with err set on failure (what
 * next set, else QE_SQL or QE_NOMEM), the rows of this call gone again.
 */
int coltab_append(sqlite3 *db, const char *table, const struct coltab_rows *rows,
                  struct qerr *err);

/* --- the direct read (coltab_read.c) ------------------------------------- */

/* One column of a coltab_view: its cells' class bytes and 8-byte values. */
struct coltab_view_col {
    const unsigned char *ty; /* [n] SQLITE_INTEGER .. SQLITE_NULL (the missing-value mask) */
    const unsigned char *v;  /* [n] 8 bytes each: the integer, the double, or where the
                              * text starts in arena (coltab_view_int/real/text read them) */
    const char *arena;
};

/*
 * A read-only view of a column table's storage (docs/COLUMNS.md, the frame
 * layout): n slots in rowid order, rid[i] the rowid of slot i and live[i]
 * whether it holds a row (n_live of them do; a scan in rowid order is the
 * live slots in order); col[c] the table's columns in declared order.
 */
struct coltab_view {
    long long n, n_live;
    const sqlite3_int64 *rid;
    const unsigned char *live;
    int n_cols;
    const struct coltab_view_col *col;
};

/* The integer of an SQLITE_INTEGER cell i. */
static inline sqlite3_int64
coltab_view_int(const struct coltab_view_col *c, long long i)
{
    sqlite3_int64 x;
    memcpy(&x, c->v + 8 * i, sizeof(x));
    return x;
}

/* The double of an SQLITE_FLOAT cell i. */
static inline double
coltab_view_real(const struct coltab_view_col *c, long long i)
{
    double x;
    memcpy(&x, c->v + 8 * i, sizeof(x));
    return x;
}

/* The bytes of an SQLITE_TEXT or SQLITE_BLOB cell i (NUL-terminated), their count in *len. */
static inline const char *
coltab_view_text(const struct coltab_view_col *c, long long i, int *len)
{
    sqlite3_int64 off;
    unsigned int n;
    memcpy(&off, c->v + 8 * i, sizeof(off));
    memcpy(&n, c->arena + off, sizeof(n));
    *len = (int)n;
    return c->arena + off + sizeof(n);
}

/*
 * Hand fn a view of the column table `table` as SQL names it (temp before
 * main), to read its arrays with no row passing through SQL (the frame
 * read, frame.c): fn(ctx, view, err) runs while the view is good (the
 * table must not be written inside it) and returns 0, 1 (not taken:
 * nothing done, read through SQL) or -1 with err set. Returns what fn
 * returned, or 1 when table is no column table (or cannot be reached so).
 * Reads nothing through SQL: one statement, `SELECT 1 FROM table WHERE
 * quarry_put = ?1` with the request bound as a pointer, reaches the
 * table's storage (xFilter hands it to fn) and gives no row.
 */
int coltab_view(sqlite3 *db, const char *table,
                int (*fn)(void *ctx, const struct coltab_view *v, struct qerr *err), void *ctx,
                struct qerr *err);

#endif
