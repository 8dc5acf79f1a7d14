/*
 * catalog_page.h: page through one catalog table, or a query's result,
 * without loading it, for the full-screen grid (`view TABLE`, `view
 * SELECT ...`). What follows is the table's pager; a query's differs
 * where catalog_page_open_query says.
 *
 * A pager (struct catalog_page) knows a table's columns, its row count
 * (taken once, at open) and the current order: natural (by rowid), or by
 * one column ascending or descending. Rows come back a few at a time, by
 * KEYSET: every row has a key, and a fetch asks for the n rows just after
 * or just before a known row's key, so paging costs the same at row 10 as
 * at row 999,990 and never uses OFFSET. Only catalog_page_seek ("go to row
 * k") uses OFFSET.
 *
 * The order is total, so a row's position never depends on how it was
 * reached:
 *   natural:   rowid ascending;
 *   ascending: non-NULL values of the column by the column's collation,
 *              ties by rowid ascending, then the NULLs by rowid ascending;
 *   descending: non-NULL values descending, ties by rowid ASCENDING (so
 *              equal values keep their natural order), then the NULLs by
 *              rowid ascending.
 * NULLs come last in both directions, as in a spreadsheet. That is the
 * order of `ORDER BY col IS NULL, col [DESC], rowid`. With an index on the
 * column SQLite walks the index; without one, each query in a sorted order
 * scans the table once (a top-n sort), which the read-ahead (see
 * catalog_page_set_ahead) spreads over many page turns.
 *
 * Cells come back as DISPLAY text: valid UTF-8 with every control
 * character escaped (\n, \t, \r, ^X; C1 controls, bidi overrides and
 * invalid bytes become U+FFFD), so text from the data can never move the
 * terminal's cursor or change its state. Integers print in full, reals in
 * the shortest form that reads back as the same double (a whole real keeps
 * ".0"), NULL as "NULL", a blob as x'0A1B...' (first 16 bytes). Text wider
 * than CATALOG_PAGE_TEXT_MAX columns is cut there and ends in U+2026 '…'.
 *
 * Widths are terminal columns: wide (CJK, emoji) characters count 2,
 * combining marks 0. They come from a table in catalog_page.c, not from
 * wcwidth, so they do not depend on the locale.
 *
 * A caller that shows a window of rows keeps its own row numbers: fetches
 * are exact, so moving n rows from row k lands on row k + n; after a jump
 * (search, re-sort) catalog_page_ordinal counts.
 *
 * The pager reads the table only; it never writes. It borrows the
 * connection, which must outlive it, and the table must not change while
 * the pager is open (the row count and positions would be stale).
 *
 * Errors: QE_NOTFOUND for a missing table; QE_ARG for a view, a WITHOUT
 * ROWID or virtual table, a bad column or order; QE_SQL when SQLite
 * refuses a statement (the message is SQLite's).
 */
#ifndef QUARRY_CATALOG_PAGE_H
#define QUARRY_CATALOG_PAGE_H

#include <sqlite3.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/qerr.h"

/* Display text is cut at this many terminal columns (then ends in '…'). */
#define CATALOG_PAGE_TEXT_MAX 200
/* Rows a fetch in a sorted order reads ahead (see catalog_page_set_ahead). */
#define CATALOG_PAGE_AHEAD 1000

struct catalog_page; /* opaque pager */

enum catalog_page_type {
    CATALOG_PAGE_NULL,
    CATALOG_PAGE_INTEGER,
    CATALOG_PAGE_REAL,
    CATALOG_PAGE_TEXT,
    CATALOG_PAGE_BLOB,
};

enum catalog_page_order {
    CATALOG_PAGE_NATURAL, /* by rowid */
    CATALOG_PAGE_ASC,
    CATALOG_PAGE_DESC,
};

/* Where a fetch goes from its anchor row, in the current order. */
enum catalog_page_dir {
    CATALOG_PAGE_NEXT, /* the rows strictly after the anchor */
    CATALOG_PAGE_PREV, /* the rows strictly before the anchor */
    CATALOG_PAGE_AT,   /* the anchor itself and the rows after it */
};

struct catalog_page_cell {
    const char *text;           /* display text (see above); never NULL */
    int width;                  /* terminal columns of text */
    enum catalog_page_type type; /* the stored value's type */
};

/*
 * Rows in display order, with their keys. Read n_rows, n_cols, cells and
 * rowids; the rest is private. cells[r * n_cols + c] is column c of row
 * r; text pointers stay valid until the rows are fetched into again or
 * released. Set up with catalog_page_rows_init, free with
 * catalog_page_rows_release.
 */
struct catalog_page_rows {
    int n_rows;
    int n_cols;
    struct catalog_page_cell *cells;
    sqlite3_int64 *rowids;
    /* private */
    sqlite3_value **keys; /* n_rows sort values (owned); unused in natural order */
    size_t *offs;         /* n_rows * n_cols offsets of the cells' text in store */
    int cap;              /* rows allocated */
    struct buf store;     /* the cells' text, NUL-separated */
};

void catalog_page_rows_init(struct catalog_page_rows *rows);
void catalog_page_rows_release(struct catalog_page_rows *rows);

/*
 * Open a pager on table (a name as the user typed it; the case does not
 * matter) in db (borrowed). Counts the rows and reads the columns. Starts
 * in natural order. On success *out holds a pager for catalog_page_free.
 * Errors: QE_NOTFOUND (no such table), QE_ARG (a view, a WITHOUT ROWID or
 * virtual table, or a table whose columns hide all of rowid, _rowid_ and
 * oid), QE_SQL.
 */
int catalog_page_open(sqlite3 *db, const char *table, struct catalog_page **out,
                      struct qerr *err);
void catalog_page_free(struct catalog_page *pg);

/*
 * Open a pager on the rows of a query (`view SELECT ...`): one read-only
 * statement that starts with SELECT, WITH or VALUES (trailing ';',
 * blanks and comments allowed). Its result is never held whole: rows are
 * numbered 1.. in the current order and each row's rowid in fetched rows
 * IS that number, so every call above works by row number (an anchor's
 * number, OFFSET-like stepping; see catalog_page_query.c). Natural order
 * is the query's own; a sort orders by the column, NULLs last, ties as
 * SQLite's sorter leaves them. The row count is taken at open (the query
 * runs once for it). Columns are named as the query names them; decl is
 * the declared type of a column taken straight from a table, else "".
 * Errors: QE_SQL (SQLite refuses the text), QE_ARG (not a query, more
 * than one statement, a statement that writes or gives no rows).
 */
int catalog_page_open_query(sqlite3 *db, const char *sql, struct catalog_page **out,
                            struct qerr *err);
/* 1 for a query's pager, 0 for a table's. */
int catalog_page_is_query(const struct catalog_page *pg);
/*
 * Append to sql the query of column col's frequency table over the whole
 * table or query (VisiData's Shift-F): value, count and share (count over
 * the row count, rounded to 4 decimals), one row per distinct value, NULL
 * included, by count descending, then value. QE_ARG for a bad column.
 */
int catalog_page_freq_sql(const struct catalog_page *pg, int col, struct buf *sql,
                          struct qerr *err);

/* The table's name as stored in the schema (borrowed). */
const char *catalog_page_table(const struct catalog_page *pg);
/* Rows in the table, counted at open. */
sqlite3_int64 catalog_page_count(const struct catalog_page *pg);
int catalog_page_n_cols(const struct catalog_page *pg);
struct catalog_page_col {
    char *name;  /* as declared; may hold any bytes */
    char *label; /* the name as display text, safe to draw */
    char *decl;  /* the declared type, "" when it has none */
};
/* Column col (0-based): borrowed and read-only, valid until catalog_page_free. */
const struct catalog_page_col *catalog_page_col(const struct catalog_page *pg, int col);

/*
 * Set the order: CATALOG_PAGE_NATURAL (col is ignored), or by column col
 * (0-based) ascending or descending. Rows fetched before no longer serve
 * as anchors. QE_ARG for a bad column.
 */
int catalog_page_set_order(struct catalog_page *pg, int col, enum catalog_page_order order,
                           struct qerr *err);
/* The current order; *col, if col is not NULL, gets its column (-1 in natural order). */
enum catalog_page_order catalog_page_order(const struct catalog_page *pg, int *col);

/*
 * Fetch up to n rows (n >= 0) into out (its old rows are released), in
 * display order, going dir from the anchor, row `at` of `from`, by keyset.
 * With from == NULL there is no anchor: NEXT and AT give the first n
 * rows, PREV the last n. from may be out itself. from must have been
 * fetched since the last catalog_page_set_order. Fewer than n rows come
 * back at either end of the table.
 */
int catalog_page_fetch(struct catalog_page *pg, const struct catalog_page_rows *from, int at,
                       enum catalog_page_dir dir, int n, struct catalog_page_rows *out,
                       struct qerr *err);
/*
 * Read-ahead. In a sorted order a fetch of n < n_rows rows reads n_rows
 * (default CATALOG_PAGE_AHEAD) from its anchor in the direction it goes,
 * and later fetches inside that stretch are served from memory: without an
 * index each query scans the table, and a scan costs about the same for
 * 1,000 rows as for 50. 0 turns it off. Natural order never needs it.
 */
void catalog_page_set_ahead(struct catalog_page *pg, int n_rows);
/*
 * Fetch the row with this rowid into out (empty if there is none), with
 * its key in the current order: to find a row again after a re-sort.
 */
int catalog_page_fetch_rowid(struct catalog_page *pg, sqlite3_int64 rowid,
                             struct catalog_page_rows *out, struct qerr *err);
/*
 * Fetch up to n rows starting at row number ord (1-based, in the current
 * order) into out. Uses OFFSET, so it costs a walk over ord rows: for "go
 * to row k", not for paging.
 */
int catalog_page_seek(struct catalog_page *pg, sqlite3_int64 ord, int n,
                      struct catalog_page_rows *out, struct qerr *err);
/*
 * Set *ord to the row number (1-based, current order) of row `at` of rows.
 * Counts the rows before it: a scan, for after a jump or a search.
 */
int catalog_page_ordinal(struct catalog_page *pg, const struct catalog_page_rows *rows, int at,
                         sqlite3_int64 *ord, struct qerr *err);
/*
 * Find the first row going dir (NEXT or PREV) from row `at` of from (from
 * == NULL: from the start for NEXT, the end for PREV) in which column col,
 * or any column when col < 0, contains needle: LIKE '%needle%' with the
 * needle bound as a parameter and its % _ \ escaped, so it matches
 * literally, ignoring ASCII case. Numbers are matched as SQLite prints
 * them. Returns 1 with the match as the one row of out, 0 when there is
 * none (out is then empty), -1 on error.
 */
int catalog_page_search(struct catalog_page *pg, const struct catalog_page_rows *from, int at,
                        enum catalog_page_dir dir, const char *needle, int col,
                        struct catalog_page_rows *out, struct qerr *err);

/*
 * Fit column widths to rows plus the header: widths[c] = the widest of
 * column c's label (plus 2 when the column is the sort column, for an
 * arrow) and its cells in rows, at least 1 and at most cap. rows may be
 * empty. widths has catalog_page_n_cols entries.
 */
void catalog_page_widths(const struct catalog_page *pg, const struct catalog_page_rows *rows,
                         int cap, int *widths);

#endif
