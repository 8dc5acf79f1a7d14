/*
 * catalog_page.c: keyset paging over one table (see catalog_page.h).
 *
 * The central structure is the pager: the table's quoted name, its column
 * list, the SELECT that reads one row (rowid first, then every column),
 * the row count and the order. In a sorted order the rows fall in two
 * SEGMENTS, the non-NULL values of the sort column and then the NULLs;
 * every fetch is one indexed-range query per segment it touches (at most
 * two), shaped so that an index on the sort column serves it:
 *
 *   after (v, r), ascending:  col >= v AND (col > v OR rowid > r)
 *                             ORDER BY col, rowid LIMIT n
 *   in the NULL segment:      col IS NULL AND rowid > r ORDER BY rowid LIMIT n
 *
 * Backward fetches flip every comparison and ORDER BY direction and
 * reverse the result. The redundant `col >= v` gives SQLite a range to
 * seek to; the OR alone would not.
 */
#include "data/catalog_page.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/utf8.h"
#include "data/catalog.h"

#include "base/banned.h"

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
};

/* ---- display text --------------------------------------------------- */

/* Code points shown as U+FFFD: C1 controls, and the bidi controls that would reorder a row. */
static int
cp_hidden(unsigned cp)
{
    return (cp >= 0x80 && cp <= 0x9F) || cp == 0x200E || cp == 0x200F ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
           cp == 0x2028 || cp == 0x2029;
}

/*
 * Append len bytes of s to b as display text (see the header), at most
 * CATALOG_PAGE_TEXT_MAX columns; returns the width appended.
 */
static int
add_display(struct buf *b, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    int w = 0;
    char tmp[4];
    while (p < end) {
        const unsigned char *start = p;
        unsigned cp;
        if (*p == 0) {
            cp = 0; /* an embedded NUL; shown as ^@ */
            p++;
        } else if (end - p < 4 && *p >= 0x80) {
            /* Decode from a copy so a sequence cut by the end is not read past it. */
            unsigned char t[5] = {0};
            memcpy(t, p, (size_t)(end - p));
            const unsigned char *tp = t;
            cp = utf8_next(&tp);
            p += tp - t;
        } else {
            cp = utf8_next(&p);
        }
        int cw = 2;
        const char *esc = cp == '\n' ? "\\n" : cp == '\t' ? "\\t" : cp == '\r' ? "\\r" : NULL;
        if (!esc && (cp < 0x20 || cp == 0x7F)) {
            snprintf(tmp, sizeof tmp, "^%c", cp == 0x7F ? '?' : (char)(cp + '@'));
            esc = tmp;
        } else if (!esc && (cp == 0xFFFD || cp_hidden(cp))) {
            esc = "\xEF\xBF\xBD";
            cw = 1;
        } else if (!esc) {
            cw = utf8_cp_width(cp);
        }
        /* Cut where the rest no longer fits, leaving a column for the '…'. */
        if (w + cw > CATALOG_PAGE_TEXT_MAX || (w + cw == CATALOG_PAGE_TEXT_MAX && p < end)) {
            buf_adds(b, "\xE2\x80\xA6");
            return w + 1;
        }
        if (esc)
            buf_adds(b, esc);
        else
            buf_add(b, start, (size_t)(p - start));
        w += cw;
    }
    return w;
}

/* ---- rows --------------------------------------------------------------- */

void
catalog_page_rows_init(struct catalog_page_rows *rows)
{
    memset(rows, 0, sizeof *rows);
    buf_init(&rows->store);
}

/* Drop the rows, keep the memory. */
static void
rows_reset(struct catalog_page_rows *rows)
{
    if (rows->keys)
        for (int i = 0; i < rows->n_rows; i++)
            sqlite3_value_free(rows->keys[i]);
    rows->n_rows = 0;
    buf_reset(&rows->store);
}

void
catalog_page_rows_release(struct catalog_page_rows *rows)
{
    rows_reset(rows);
    free(rows->cells);
    free(rows->rowids);
    free(rows->keys);
    free(rows->offs);
    buf_release(&rows->store);
    catalog_page_rows_init(rows);
}

/* Make room for one more row of n_cols cells and return its index. */
static int
rows_grow(struct catalog_page_rows *rows, int n_cols)
{
    if (rows->n_cols != n_cols) {
        assert(rows->n_rows == 0);
        free(rows->cells);
        free(rows->offs);
        rows->cells = NULL;
        rows->offs = NULL;
        rows->cap = 0;
        rows->n_cols = n_cols;
    }
    if (rows->n_rows == rows->cap) {
        int cap = rows->cap ? rows->cap * 2 : 16;
        size_t cells = (size_t)cap * (size_t)n_cols;
        rows->cells = xrealloc(rows->cells, cells * sizeof *rows->cells);
        rows->offs = xrealloc(rows->offs, cells * sizeof *rows->offs);
        rows->rowids = xrealloc(rows->rowids, (size_t)cap * sizeof *rows->rowids);
        rows->keys = xrealloc(rows->keys, (size_t)cap * sizeof *rows->keys);
        rows->cap = cap;
    }
    return rows->n_rows++;
}

/* Append row r of src to rows. */
static void
rows_copy(struct catalog_page_rows *rows, const struct catalog_page_rows *src, int r)
{
    int i = rows_grow(rows, src->n_cols);
    size_t nc = (size_t)src->n_cols;
    rows->rowids[i] = src->rowids[r];
    rows->keys[i] = src->keys[r] ? sqlite3_value_dup(src->keys[r]) : NULL;
    for (size_t c = 0; c < nc; c++) {
        rows->cells[(size_t)i * nc + c] = src->cells[(size_t)r * nc + c];
        rows->offs[(size_t)i * nc + c] = rows->store.len;
        const char *text = src->cells[(size_t)r * nc + c].text;
        buf_add(&rows->store, text, strlen(text) + 1); /* with its NUL, the separator */
    }
}

/* Append the row st is on (rowid, then n_cols columns); key_col >= 0 keeps that value as key. */
static void
rows_add(struct catalog_page_rows *rows, sqlite3_stmt *st, int n_cols, int key_col)
{
    int r = rows_grow(rows, n_cols);
    rows->rowids[r] = sqlite3_column_int64(st, 0);
    rows->keys[r] = key_col >= 0 ? sqlite3_value_dup(sqlite3_column_value(st, 1 + key_col)) : NULL;
    for (int c = 0; c < n_cols; c++) {
        struct catalog_page_cell *cell = &rows->cells[(size_t)r * (size_t)n_cols + (size_t)c];
        struct buf *b = &rows->store;
        size_t off = b->len;
        int w = 0;
        switch (sqlite3_column_type(st, 1 + c)) {
        case SQLITE_INTEGER:
            cell->type = CATALOG_PAGE_INTEGER;
            buf_addf(b, "%lld", (long long)sqlite3_column_int64(st, 1 + c));
            break;
        case SQLITE_FLOAT:
            cell->type = CATALOG_PAGE_REAL;
            buf_add_real(b, sqlite3_column_double(st, 1 + c));
            break;
        case SQLITE_TEXT: {
            cell->type = CATALOG_PAGE_TEXT;
            const char *s = (const char *)sqlite3_column_text(st, 1 + c);
            w = add_display(b, s ? s : "", (size_t)sqlite3_column_bytes(st, 1 + c));
            break;
        }
        case SQLITE_BLOB: {
            cell->type = CATALOG_PAGE_BLOB;
            const unsigned char *p = sqlite3_column_blob(st, 1 + c);
            int n = sqlite3_column_bytes(st, 1 + c);
            buf_adds(b, "x'");
            for (int i = 0; i < n && i < 16; i++)
                buf_addf(b, "%02X", p[i]);
            buf_adds(b, n > 16 ? "\xE2\x80\xA6'" : "'");
            break;
        }
        default:
            cell->type = CATALOG_PAGE_NULL;
            buf_adds(b, "NULL");
            break;
        }
        if (cell->type != CATALOG_PAGE_TEXT)
            w = utf8_width(b->data + off); /* ASCII, or '…' in a blob */
        cell->width = w;
        rows->offs[(size_t)r * (size_t)n_cols + (size_t)c] = off;
        buf_addc(b, '\0');
    }
}

/* Point the cells' text into the store, once the store has stopped growing. */
static void
rows_fix(struct catalog_page_rows *rows)
{
    size_t n = (size_t)rows->n_rows * (size_t)rows->n_cols;
    for (size_t i = 0; i < n; i++)
        rows->cells[i].text = rows->store.data + rows->offs[i];
}

/* ---- statements ----------------------------------------------------- */

static int
sql_error(struct catalog_page *pg, struct qerr *err)
{
    return qerr_set(err, QE_SQL, "%s", sqlite3_errmsg(pg->db));
}

/*
 * Bind the named parameters the statement uses: :v the anchor value, :r
 * the anchor rowid, :n the limit, :o the offset, :p the search pattern.
 */
static void
bind_all(sqlite3_stmt *st, sqlite3_value *v, sqlite3_int64 r, sqlite3_int64 n, sqlite3_int64 o,
         const char *pat)
{
    int i;
    if ((i = sqlite3_bind_parameter_index(st, ":v")) > 0)
        sqlite3_bind_value(st, i, v);
    if ((i = sqlite3_bind_parameter_index(st, ":r")) > 0)
        sqlite3_bind_int64(st, i, r);
    if ((i = sqlite3_bind_parameter_index(st, ":n")) > 0)
        sqlite3_bind_int64(st, i, n);
    if ((i = sqlite3_bind_parameter_index(st, ":o")) > 0)
        sqlite3_bind_int64(st, i, o);
    if ((i = sqlite3_bind_parameter_index(st, ":p")) > 0)
        sqlite3_bind_text(st, i, pat, -1, SQLITE_STATIC);
}

/* Run a row query and append its rows to out. */
static int
run_rows(struct catalog_page *pg, const char *sql, sqlite3_value *v, sqlite3_int64 r,
         sqlite3_int64 n, sqlite3_int64 o, const char *pat, struct catalog_page_rows *out,
         struct qerr *err)
{
    sqlite3_stmt *st = NULL;
    int rc = -1, s;
    if (sqlite3_prepare_v2(pg->db, sql, -1, &st, NULL) != SQLITE_OK) {
        sql_error(pg, err);
        goto out;
    }
    bind_all(st, v, r, n, o, pat);
    while ((s = sqlite3_step(st)) == SQLITE_ROW)
        rows_add(out, st, pg->n_cols, pg->col);
    if (s != SQLITE_DONE) {
        sql_error(pg, err);
        goto out;
    }
    rc = 0;
out:
    sqlite3_finalize(st);
    return rc;
}

/* Run a query that gives one integer. */
static int
run_int(struct catalog_page *pg, const char *sql, sqlite3_value *v, sqlite3_int64 r,
        sqlite3_int64 *out, struct qerr *err)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(pg->db, sql, -1, &st, NULL) != SQLITE_OK) {
        sql_error(pg, err);
        goto out;
    }
    bind_all(st, v, r, 0, 0, NULL);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sql_error(pg, err);
        goto out;
    }
    *out = sqlite3_column_int64(st, 0);
    rc = 0;
out:
    sqlite3_finalize(st);
    return rc;
}

/*
 * Append to out up to n rows of one segment going fwd (display order) or
 * back: seg 0 is the non-NULL part of a sorted order, seg 1 its NULL part
 * or, in natural order, the whole table. With anchored, only rows after
 * (before) the key (v, r), or at it too with incl. filter, if not NULL,
 * is an extra condition (the search).
 */
static int
run_segment(struct catalog_page *pg, int seg, int fwd, int anchored, int incl, sqlite3_value *v,
            sqlite3_int64 r, int n, const char *filter, const char *pat,
            struct catalog_page_rows *out, struct qerr *err)
{
    struct buf sql = BUF_INIT;
    const char *c = pg->col_sql, *rid = pg->rid;
    const char *rop = fwd ? (incl ? ">=" : ">") : (incl ? "<=" : "<");
    int rc;
    buf_addf(&sql, "%s WHERE ", pg->select);
    if (pg->order == CATALOG_PAGE_NATURAL || seg == 1) {
        if (pg->order != CATALOG_PAGE_NATURAL)
            buf_addf(&sql, "%s IS NULL AND ", c);
        if (anchored)
            buf_addf(&sql, "%s %s :r AND ", rid, rop);
        buf_addf(&sql, "%s ORDER BY %s %s", filter ? filter : "1", rid, fwd ? "ASC" : "DESC");
    } else {
        /* Going up the column's values when ascending forward or descending backward. */
        int up = (pg->order == CATALOG_PAGE_ASC) == fwd;
        buf_addf(&sql, "%s IS NOT NULL AND ", c);
        if (anchored)
            buf_addf(&sql, "%s %s= :v AND (%s %s :v OR %s %s :r) AND ", c, up ? ">" : "<", c,
                     up ? ">" : "<", rid, rop);
        buf_addf(&sql, "%s ORDER BY %s %s, %s %s", filter ? filter : "1", c,
                 up ? "ASC" : "DESC", rid, fwd ? "ASC" : "DESC");
    }
    buf_adds(&sql, " LIMIT :n");
    rc = run_rows(pg, sql.data, v, r, n, 0, pat, out, err);
    buf_release(&sql);
    return rc;
}

/*
 * Query up to n rows going fwd or back from the anchor (at it too with
 * incl), as catalog_page_fetch, with an optional extra condition (filter,
 * binding :p to pat).
 */
static int
fetch_raw(struct catalog_page *pg, const struct catalog_page_rows *from, int at, int fwd,
          int incl, int n, const char *filter, const char *pat, struct catalog_page_rows *out,
          struct qerr *err)
{
    sqlite3_value *v = NULL;
    sqlite3_int64 r = 0;
    int rc = 0;
    assert(n >= 0);
    if (from) {
        assert(at >= 0 && at < from->n_rows);
        r = from->rowids[at];
        if (pg->order != CATALOG_PAGE_NATURAL) {
            assert(from->keys[at]);
            /* A copy: from may be out, whose keys go now. */
            v = sqlite3_value_dup(from->keys[at]);
            if (!v) {
                qerr_set(err, QE_NOMEM, "out of memory copying a sort key");
                return -1;
            }
        }
    }
    rows_reset(out);
    if (n == 0)
        goto out;
    if (pg->order == CATALOG_PAGE_NATURAL) {
        rc = run_segment(pg, 1, fwd, from != NULL, incl, v, r, n, filter, pat, out, err);
    } else {
        /* The segment the anchor is in; without one, the segment the walk starts in. */
        int seg = from ? sqlite3_value_type(v) == SQLITE_NULL : !fwd;
        rc = run_segment(pg, seg, fwd, from != NULL, incl, v, r, n, filter, pat, out, err);
        /* Forward from the non-NULLs into the NULLs, or backward the other way. */
        if (rc == 0 && out->n_rows < n && seg == (fwd ? 0 : 1))
            rc = run_segment(pg, !seg, fwd, 0, 0, NULL, 0, n - out->n_rows, filter, pat, out,
                             err);
    }
    if (rc == 0 && !fwd) {
        /* A backward query comes in reverse display order. */
        struct catalog_page_rows tmp;
        catalog_page_rows_init(&tmp);
        rows_fix(out);
        for (int i = out->n_rows - 1; i >= 0; i--)
            rows_copy(&tmp, out, i);
        catalog_page_rows_release(out);
        *out = tmp;
    }
out:
    sqlite3_value_free(v);
    if (rc != 0)
        rows_reset(out);
    rows_fix(out);
    return rc;
}

/* Serve a fetch from the read-ahead rows; 0 if they do not hold all of the answer. */
static int
cache_serve(struct catalog_page *pg, const struct catalog_page_rows *from, int at,
            enum catalog_page_dir dir, int n, struct catalog_page_rows *out)
{
    const struct catalog_page_rows *c = &pg->cache;
    int s = 0, e, i = -1;
    if (!pg->cache_ok)
        return 0;
    if (from) {
        /* A rowid marks one place in the order. */
        for (int k = 0; k < c->n_rows && i < 0; k++)
            if (c->rowids[k] == from->rowids[at])
                i = k;
        if (i < 0)
            return 0;
        s = dir == CATALOG_PAGE_NEXT ? i + 1 : dir == CATALOG_PAGE_AT ? i : i - n;
    } else if (dir == CATALOG_PAGE_PREV ? !pg->at_end : !pg->at_start) {
        return 0;
    } else if (dir == CATALOG_PAGE_PREV) {
        s = c->n_rows - n;
    }
    e = s + n;
    if (from && dir == CATALOG_PAGE_PREV)
        e = i;
    if ((s < 0 && !pg->at_start) || (e > c->n_rows && !pg->at_end))
        return 0;
    s = s < 0 ? 0 : s;
    e = e > c->n_rows ? c->n_rows : e;
    rows_reset(out);
    for (int k = s; k < e; k++)
        rows_copy(out, c, k);
    rows_fix(out);
    return 1;
}

int
catalog_page_fetch(struct catalog_page *pg, const struct catalog_page_rows *from, int at,
                   enum catalog_page_dir dir, int n, struct catalog_page_rows *out,
                   struct qerr *err)
{
    int fwd = dir != CATALOG_PAGE_PREV, got;
    if (pg->order == CATALOG_PAGE_NATURAL || pg->ahead <= n)
        return fetch_raw(pg, from, at, fwd, dir == CATALOG_PAGE_AT, n, NULL, NULL, out, err);
    if (cache_serve(pg, from, at, dir, n, out))
        return 0;
    /* Read ahead from the anchor, anchor included, so the next fetches find it. */
    pg->cache_ok = 0;
    if (fetch_raw(pg, from, at, fwd, 1, pg->ahead + 1, NULL, NULL, &pg->cache, err) != 0)
        return -1;
    got = pg->cache.n_rows;
    pg->cache_ok = 1;
    pg->at_start = fwd ? !from : got < pg->ahead + 1;
    pg->at_end = fwd ? got < pg->ahead + 1 : !from;
    if (!cache_serve(pg, from, at, dir, n, out))
        return qerr_set(err, QE_INTERNAL, "the read-ahead of '%s' lost its anchor", pg->table);
    return 0;
}

void
catalog_page_set_ahead(struct catalog_page *pg, int n_rows)
{
    pg->ahead = n_rows > 0 ? n_rows : 0;
    pg->cache_ok = 0;
}

int
catalog_page_fetch_rowid(struct catalog_page *pg, sqlite3_int64 rowid,
                         struct catalog_page_rows *out, struct qerr *err)
{
    struct buf sql = BUF_INIT;
    int rc;
    rows_reset(out);
    buf_addf(&sql, "%s WHERE %s = :r", pg->select, pg->rid);
    rc = run_rows(pg, sql.data, NULL, rowid, 0, 0, NULL, out, err);
    buf_release(&sql);
    if (rc != 0)
        rows_reset(out);
    rows_fix(out);
    return rc;
}

/* The whole order as an ORDER BY clause. */
static void
add_order_by(struct buf *sql, const struct catalog_page *pg)
{
    if (pg->order == CATALOG_PAGE_NATURAL)
        buf_addf(sql, " ORDER BY %s", pg->rid);
    else
        buf_addf(sql, " ORDER BY %s IS NULL, %s %s, %s", pg->col_sql, pg->col_sql,
                 pg->order == CATALOG_PAGE_ASC ? "ASC" : "DESC", pg->rid);
}

int
catalog_page_seek(struct catalog_page *pg, sqlite3_int64 ord, int n,
                  struct catalog_page_rows *out, struct qerr *err)
{
    struct buf sql = BUF_INIT;
    int rc;
    rows_reset(out);
    buf_adds(&sql, pg->select);
    add_order_by(&sql, pg);
    buf_adds(&sql, " LIMIT :n OFFSET :o");
    rc = run_rows(pg, sql.data, NULL, 0, n, ord > 1 ? ord - 1 : 0, NULL, out, err);
    buf_release(&sql);
    if (rc != 0)
        rows_reset(out);
    rows_fix(out);
    return rc;
}

int
catalog_page_ordinal(struct catalog_page *pg, const struct catalog_page_rows *rows, int at,
                     sqlite3_int64 *ord, struct qerr *err)
{
    struct buf sql = BUF_INIT;
    sqlite3_value *v = NULL;
    sqlite3_int64 before = 0;
    const char *c = pg->col_sql;
    int rc;
    assert(at >= 0 && at < rows->n_rows);
    if (pg->order == CATALOG_PAGE_NATURAL) {
        buf_addf(&sql, "SELECT count(*) FROM %s WHERE %s < :r", pg->from, pg->rid);
    } else if (sqlite3_value_type(v = rows->keys[at]) == SQLITE_NULL) {
        buf_addf(&sql, "SELECT (SELECT count(%s) FROM %s) + "
                       "(SELECT count(*) FROM %s WHERE %s IS NULL AND %s < :r)",
                 c, pg->from, pg->from, c, pg->rid);
    } else {
        const char *op = pg->order == CATALOG_PAGE_ASC ? "<" : ">";
        buf_addf(&sql, "SELECT count(*) FROM %s WHERE %s IS NOT NULL AND %s %s= :v AND "
                       "(%s %s :v OR %s < :r)",
                 pg->from, c, c, op, c, op, pg->rid);
    }
    rc = run_int(pg, sql.data, v, rows->rowids[at], &before, err);
    buf_release(&sql);
    if (rc == 0)
        *ord = before + 1;
    return rc;
}

int
catalog_page_search(struct catalog_page *pg, const struct catalog_page_rows *from, int at,
                    enum catalog_page_dir dir, const char *needle, int col,
                    struct catalog_page_rows *out, struct qerr *err)
{
    struct buf filter = BUF_INIT, pat = BUF_INIT;
    int rc;
    if (col >= pg->n_cols)
        return qerr_set(err, QE_ARG, "no column %d in '%s'; it has %d", col + 1, pg->table,
                        pg->n_cols);
    buf_addc(&pat, '%');
    for (const char *p = needle; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            buf_addc(&pat, '\\');
        buf_addc(&pat, *p);
    }
    buf_addc(&pat, '%');
    buf_addc(&filter, '(');
    for (int c = 0; c < pg->n_cols; c++) {
        if (col >= 0 && c != col)
            continue;
        char *q = sqlite3_mprintf("\"%w\"", pg->cols[c].name);
        buf_addf(&filter, "%s%s LIKE :p ESCAPE '\\'", filter.len > 1 ? " OR " : "", q);
        sqlite3_free(q);
    }
    buf_addc(&filter, ')');
    rc = fetch_raw(pg, from, at, dir != CATALOG_PAGE_PREV, 0, 1, filter.data, pat.data, out,
                   err);
    buf_release(&filter);
    buf_release(&pat);
    return rc < 0 ? -1 : out->n_rows > 0;
}

void
catalog_page_widths(const struct catalog_page *pg, const struct catalog_page_rows *rows,
                    int cap, int *widths)
{
    for (int c = 0; c < pg->n_cols; c++) {
        int w = utf8_width(pg->cols[c].label) + (c == pg->col ? 2 : 0);
        for (int r = 0; r < rows->n_rows && rows->n_cols == pg->n_cols; r++) {
            int cw = rows->cells[(size_t)r * (size_t)rows->n_cols + (size_t)c].width;
            if (cw > w)
                w = cw;
        }
        widths[c] = w < 1 ? 1 : w > cap ? cap : w;
    }
}

/* ---- the pager ---------------------------------------------------------- */

int
catalog_page_open(sqlite3 *db, const char *table, struct catalog_page **out, struct qerr *err)
{
    struct catalog_page *pg = xcalloc(1, sizeof *pg);
    struct buf b = BUF_INIT;
    int rc = -1;
    pg->db = db;
    pg->col = -1;
    pg->ahead = CATALOG_PAGE_AHEAD;
    catalog_page_rows_init(&pg->cache);
    /* temp shadows main, as in SQLite's own name lookup (catalog_table_find). */
    struct catalog_table t;
    int found = catalog_table_find(db, table, &t, err);
    if (found <= 0) {
        if (found == 0) {
            qerr_set(err, QE_NOTFOUND, "no table '%s'", table);
            qerr_hint(err, "type 'tables' to list them");
        }
        goto out;
    }
    pg->table = xstrdup(t.name);
    if (strcmp(t.type, "table") != 0) {
        qerr_set(err, QE_ARG, "'%s' is a %s%s; only tables can be viewed", pg->table, t.type,
                 strcmp(t.type, "view") ? " table" : "");
        catalog_table_release(&t);
        goto out;
    }
    if (t.without_rowid) {
        qerr_set(err, QE_ARG, "table '%s' is WITHOUT ROWID; the grid pages by rowid", pg->table);
        qerr_hint(err, "copy it into an ordinary table to view it");
        catalog_table_release(&t);
        goto out;
    }
    pg->from = sqlite3_mprintf("\"%w\".\"%w\"", t.schema, pg->table);
    catalog_table_release(&t);

    /* Generated columns too: the grid shows them (a virtual table's hidden ones never). */
    struct catalog_columns cols;
    if (catalog_columns(db, pg->table, CATALOG_GENERATED, &cols, err) < 0)
        goto out;
    pg->cols = xcalloc((size_t)cols.n + 1, sizeof *pg->cols);
    for (int i = 0; i < cols.n; i++) {
        struct catalog_page_col *c = &pg->cols[pg->n_cols++];
        c->name = cols.names[i];
        c->decl = cols.decls[i];
        cols.names[i] = cols.decls[i] = NULL; /* taken */
        buf_reset(&b);
        add_display(&b, c->name, strlen(c->name));
        c->label = xstrdup(b.data);
    }
    catalog_columns_release(&cols);

    /* The grid pages by rowid: a name for it that no column takes. */
    if (!(pg->rid = catalog_rowid_name(db, pg->table, NULL, 0, err)))
        goto out;

    buf_reset(&b);
    buf_addf(&b, "SELECT %s", pg->rid);
    for (int c = 0; c < pg->n_cols; c++) {
        char *q = sqlite3_mprintf(", \"%w\"", pg->cols[c].name);
        buf_adds(&b, q);
        sqlite3_free(q);
    }
    buf_addf(&b, " FROM %s", pg->from);
    pg->select = buf_detach(&b);
    buf_addf(&b, "SELECT count(*) FROM %s", pg->from);
    if (run_int(pg, b.data, NULL, 0, &pg->count, err) != 0)
        goto out;
    *out = pg;
    pg = NULL;
    rc = 0;
out:
    buf_release(&b);
    catalog_page_free(pg);
    return rc;
}

void
catalog_page_free(struct catalog_page *pg)
{
    if (!pg)
        return;
    for (int c = 0; c < pg->n_cols; c++) {
        free(pg->cols[c].name);
        free(pg->cols[c].label);
        free(pg->cols[c].decl);
    }
    free(pg->cols);
    free(pg->table);
    sqlite3_free(pg->from);
    free(pg->select);
    sqlite3_free(pg->col_sql);
    catalog_page_rows_release(&pg->cache);
    free(pg);
}

const char *
catalog_page_table(const struct catalog_page *pg)
{
    return pg->table;
}

sqlite3_int64
catalog_page_count(const struct catalog_page *pg)
{
    return pg->count;
}

int
catalog_page_n_cols(const struct catalog_page *pg)
{
    return pg->n_cols;
}

const struct catalog_page_col *
catalog_page_col(const struct catalog_page *pg, int col)
{
    assert(col >= 0 && col < pg->n_cols);
    return &pg->cols[col];
}

int
catalog_page_set_order(struct catalog_page *pg, int col, enum catalog_page_order order,
                       struct qerr *err)
{
    if (order == CATALOG_PAGE_NATURAL) {
        col = -1;
    } else if (order != CATALOG_PAGE_ASC && order != CATALOG_PAGE_DESC) {
        return qerr_set(err, QE_ARG, "bad sort order %d", (int)order);
    } else if (col < 0 || col >= pg->n_cols) {
        return qerr_set(err, QE_ARG, "no column %d in '%s'; it has %d", col + 1, pg->table,
                        pg->n_cols);
    }
    sqlite3_free(pg->col_sql);
    pg->col_sql = col >= 0 ? sqlite3_mprintf("\"%w\"", pg->cols[col].name) : NULL;
    pg->order = order;
    pg->col = col;
    pg->cache_ok = 0;
    return 0;
}

enum catalog_page_order
catalog_page_order(const struct catalog_page *pg, int *col)
{
    if (col)
        *col = pg->col;
    return pg->order;
}
