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
#include "data/catalog_page_int.h"

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
        cp_rows_add(out, st, 1, pg->n_cols, pg->col);
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
    cp_rows_reset(out);
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
        cp_rows_fix(out);
        for (int i = out->n_rows - 1; i >= 0; i--)
            cp_rows_copy(&tmp, out, i);
        catalog_page_rows_release(out);
        *out = tmp;
    }
out:
    sqlite3_value_free(v);
    if (rc != 0)
        cp_rows_reset(out);
    cp_rows_fix(out);
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
    cp_rows_reset(out);
    for (int k = s; k < e; k++)
        cp_rows_copy(out, c, k);
    cp_rows_fix(out);
    return 1;
}

int
catalog_page_fetch(struct catalog_page *pg, const struct catalog_page_rows *from, int at,
                   enum catalog_page_dir dir, int n, struct catalog_page_rows *out,
                   struct qerr *err)
{
    int fwd = dir != CATALOG_PAGE_PREV, got;
    if (pg->query) {
        /* A query's rows are numbered: the anchor's number says where to go. */
        sqlite3_int64 ord = from ? from->rowids[at] : dir == CATALOG_PAGE_PREV ? pg->count + 1 : 0;
        if (dir == CATALOG_PAGE_AT)
            return cpq_rows(pg, from ? ord : 1, n, out, err);
        if (dir == CATALOG_PAGE_NEXT)
            return cpq_rows(pg, ord + 1, n, out, err);
        sqlite3_int64 first = ord - n > 1 ? ord - n : 1;
        return cpq_rows(pg, first, (int)(ord - first), out, err);
    }
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
    if (pg->query)
        return cpq_rows(pg, rowid, 1, out, err);
    cp_rows_reset(out);
    buf_addf(&sql, "%s WHERE %s = :r", pg->select, pg->rid);
    rc = run_rows(pg, sql.data, NULL, rowid, 0, 0, NULL, out, err);
    buf_release(&sql);
    if (rc != 0)
        cp_rows_reset(out);
    cp_rows_fix(out);
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
    if (pg->query)
        return cpq_rows(pg, ord, n, out, err);
    cp_rows_reset(out);
    buf_adds(&sql, pg->select);
    add_order_by(&sql, pg);
    buf_adds(&sql, " LIMIT :n OFFSET :o");
    rc = run_rows(pg, sql.data, NULL, 0, n, ord > 1 ? ord - 1 : 0, NULL, out, err);
    buf_release(&sql);
    if (rc != 0)
        cp_rows_reset(out);
    cp_rows_fix(out);
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
    if (pg->query) {
        *ord = rows->rowids[at];
        return 0;
    }
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
    if (pg->query)
        return cpq_search(pg, from ? from->rowids[at] : 0, dir != CATALOG_PAGE_PREV, needle, col,
                          out, err);
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
        cp_add_display(&b, c->name, strlen(c->name));
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

int
catalog_page_open_query(sqlite3 *db, const char *sql, struct catalog_page **out,
                        struct qerr *err)
{
    struct catalog_page *pg = xcalloc(1, sizeof *pg);
    pg->db = db;
    pg->ahead = CATALOG_PAGE_AHEAD;
    catalog_page_rows_init(&pg->cache);
    if (cpq_open(pg, sql, err) != 0) {
        catalog_page_free(pg);
        return -1;
    }
    *out = pg;
    return 0;
}

int
catalog_page_is_query(const struct catalog_page *pg)
{
    return pg->query != NULL;
}

int
catalog_page_freq_sql(const struct catalog_page *pg, int col, struct buf *sql, struct qerr *err)
{
    if (col < 0 || col >= pg->n_cols)
        return qerr_set(err, QE_ARG, "no column %d in '%s'; it has %d", col + 1, pg->table,
                        pg->n_cols);
    char *name = sqlite3_mprintf("\"%w\"", pg->cols[col].name);
    /* A query's columns go by number: its names may repeat or be empty. */
    if (pg->query) {
        buf_adds(sql, "WITH _quarry_f(");
        for (int c = 0; c < pg->n_cols; c++)
            buf_addf(sql, "%sc%d", c ? ", " : "", c + 1);
        buf_addf(sql, ") AS (\n%s\n) ", pg->query);
    }
    buf_addf(sql, "SELECT ");
    if (pg->query)
        buf_addf(sql, "c%d", col + 1);
    else
        buf_adds(sql, name);
    buf_addf(sql, " AS value, count(*) AS count, round(count(*) * 1.0 / %lld, 4) AS share "
                  "FROM %s GROUP BY 1 ORDER BY 2 DESC, 1",
             (long long)(pg->count > 0 ? pg->count : 1), pg->query ? "_quarry_f" : pg->from);
    sqlite3_free(name);
    return 0;
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
    cpq_reset(pg);
    free(pg->query);
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
    if (pg->query)
        cpq_reset(pg); /* its statement walks the old order */
    return 0;
}

enum catalog_page_order
catalog_page_order(const struct catalog_page *pg, int *col)
{
    if (col)
        *col = pg->col;
    return pg->order;
}
