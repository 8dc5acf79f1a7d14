/*
 * catalog_page_int.h: what the pager's files share (catalog_page.c the
 * table pager and the public calls, catalog_page_query.c the query
 * pager, catalog_page_rows.c the rows and their display text). Not for
 * use outside src/data.
 */
#ifndef QUARRY_CATALOG_PAGE_INT_H
#define QUARRY_CATALOG_PAGE_INT_H

#include <sqlite3.h>

#include "base/buf.h"
#include "base/qerr.h"
#include "data/catalog_page.h"

struct catalog_page {
    sqlite3 *db;
    char *table;   /* name as stored */
    char *from;    /* "schema"."table", quoted */
    const char *rid; /* rowid, _rowid_ or oid: the first no column hides */
    int n_cols;
    struct catalog_page_col *cols;
    char *select;  /* SELECT rid, "c0", ... FROM ... */
    sqlite3_int64 count;
    enum catalog_page_order order;
    int col;       /* sort column, -1 in natural order */
    char *col_sql; /* the sort column, quoted */
    /*
     * Read-ahead for sorted orders, where each query may scan the table:
     * a stretch of the order read at once, at_start/at_end if it reaches
     * an end of the order. Valid while cache_ok; set_order clears it.
     */
    int ahead;
    struct catalog_page_rows cache;
    int cache_ok, at_start, at_end;
    /*
     * A query's pager (catalog_page_open_query): query is its SQL (NULL
     * for a table's); rows are numbered 1.. in the current order and a
     * row's "rowid" is that number. cur is a statement in the current
     * order that has stepped past cur_pos rows (NULL: none open yet),
     * sorted with LIMIT cur_limit; the cache's first row is row number
     * cache_first.
     */
    char *query;
    sqlite3_stmt *cur;
    sqlite3_int64 cur_pos, cur_limit, cache_first;
};

/*
 * Append len bytes of s to b as display text (see catalog_page.h), at
 * most CATALOG_PAGE_TEXT_MAX columns; returns the width appended.
 */
int cp_add_display(struct buf *b, const char *s, size_t len);
/* Drop the rows, keep the memory. */
void cp_rows_reset(struct catalog_page_rows *rows);
/* Make room for one more row of n_cols cells and return its index. */
int cp_rows_grow(struct catalog_page_rows *rows, int n_cols);
/* Append row r of src to rows. */
void cp_rows_copy(struct catalog_page_rows *rows, const struct catalog_page_rows *src, int r);
/*
 * Append the row st is on: with base 1 its rowid is column 0 and the
 * n_cols cells follow; with base 0 the cells start at column 0 and the
 * rowid is 0 (the caller numbers the row). key_col >= 0 keeps that cell's
 * value as the row's sort key.
 */
void cp_rows_add(struct catalog_page_rows *rows, sqlite3_stmt *st, int base, int n_cols,
                 int key_col);
/* Point the cells' text into the store, once the store has stopped growing. */
void cp_rows_fix(struct catalog_page_rows *rows);

/* --- the query pager (catalog_page_query.c) --- */

/* Fill pg (zeroed, db set) for the query sql: columns, labels, count. */
int cpq_open(struct catalog_page *pg, const char *sql, struct qerr *err);
/* Close the open statement and drop the cache (the order changed, or free). */
void cpq_reset(struct catalog_page *pg);
/* Rows first .. first + n - 1 (1-based, clipped to the count) into out. */
int cpq_rows(struct catalog_page *pg, sqlite3_int64 first, int n, struct catalog_page_rows *out,
             struct qerr *err);
/*
 * The first row after row number from going fwd (from 0: from the start,
 * or the end backward) in which column col, or any column when col < 0,
 * contains needle ignoring ASCII case, as SQLite prints the value: 1 with
 * the row in out, 0 when none, -1 on error.
 */
int cpq_search(struct catalog_page *pg, sqlite3_int64 from, int fwd, const char *needle,
               int col, struct catalog_page_rows *out, struct qerr *err);

#endif
