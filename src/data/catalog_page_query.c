/*
 * catalog_page_query.c: paging through a query's result (`view SELECT
 * ...`) without holding it whole (see catalog_page_open_query).
 *
 * A query has no key to page by, so its rows are numbered 1.. in the
 * current order and fetched by number. One statement in the current
 * order stays open with its position (the rows it has stepped past), so
 * paging forward only steps on; a fetch behind the position runs the
 * statement again and steps up to it. Around each fetch the pager reads
 * a stretch of rows ahead (or behind, going back) into its cache, so the
 * next page turns, either way, are served from memory. The natural order
 * is the query's own: its statement as typed. A sorted order wraps it:
 *
 *   WITH _quarry_q(c1, c2, ...) AS (QUERY)
 *   SELECT * FROM _quarry_q ORDER BY cK IS NULL, cK [DESC]
 *
 * (the column list names every column, whatever the query calls them or
 * however often a name repeats). Memory stays at the cache's rows; a
 * sort or a GROUP BY in the query costs what SQLite's sorter needs.
 */
#include "data/catalog_page_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"

#include "base/banned.h"

static int
sql_error(struct catalog_page *pg, struct qerr *err)
{
    return qerr_set(err, QE_SQL, "%s", sqlite3_errmsg(pg->db));
}

void
cpq_reset(struct catalog_page *pg)
{
    sqlite3_finalize(pg->cur);
    pg->cur = NULL;
    pg->cur_pos = 0;
    pg->cache_ok = 0;
}

/* The SQL of the current order; a sorted one stops after limit rows. */
static void
order_sql(const struct catalog_page *pg, sqlite3_int64 limit, struct buf *sql)
{
    if (pg->order == CATALOG_PAGE_NATURAL) {
        buf_adds(sql, pg->query);
        return;
    }
    buf_adds(sql, "WITH _quarry_q(");
    for (int c = 0; c < pg->n_cols; c++)
        buf_addf(sql, "%sc%d", c ? ", " : "", c + 1);
    buf_addf(sql, ") AS (\n%s\n) SELECT * FROM _quarry_q ORDER BY c%d IS NULL, c%d %s", pg->query,
             pg->col + 1, pg->col + 1, pg->order == CATALOG_PAGE_DESC ? "DESC" : "ASC");
    buf_addf(sql, " LIMIT %lld", (long long)limit);
}

/*
 * Step the open statement until it has passed `target` rows, with `want`
 * more to read after, opening it (again) when there is none, it is past
 * target already or, sorted, its LIMIT stops short of target + want: a
 * sorted order is read with a LIMIT, so SQLite's sorter keeps only the
 * rows up to there (a top-n sort), never the whole result. 1 when it
 * stands there, 0 when the rows ended first, -1 on error.
 */
static int
position(struct catalog_page *pg, sqlite3_int64 target, sqlite3_int64 want, struct qerr *err)
{
    sqlite3_int64 limit = target + (want > pg->ahead ? want : pg->ahead);
    if (pg->cur && (pg->cur_pos > target ||
                    (pg->order != CATALOG_PAGE_NATURAL && pg->cur_limit < target + want))) {
        sqlite3_finalize(pg->cur);
        pg->cur = NULL;
    }
    if (!pg->cur) {
        struct buf sql = BUF_INIT;
        order_sql(pg, limit, &sql);
        pg->cur_limit = limit;
        int rc = sqlite3_prepare_v2(pg->db, sql.data, -1, &pg->cur, NULL);
        buf_release(&sql);
        pg->cur_pos = 0;
        if (rc != SQLITE_OK)
            return sql_error(pg, err);
    }
    while (pg->cur_pos < target) {
        int s = sqlite3_step(pg->cur);
        if (s == SQLITE_ROW) {
            pg->cur_pos++;
            continue;
        }
        if (s != SQLITE_DONE)
            sql_error(pg, err);
        sqlite3_finalize(pg->cur); /* stepping a finished statement would start it again */
        pg->cur = NULL;
        return s == SQLITE_DONE ? 0 : -1;
    }
    return 1;
}

/*
 * Step once: 1 with the statement on row cur_pos (just counted), 0 at the
 * end (the statement is closed), -1 on error. The statement must be open.
 */
static int
step(struct catalog_page *pg, struct qerr *err)
{
    int s = sqlite3_step(pg->cur);
    if (s == SQLITE_ROW) {
        pg->cur_pos++;
        return 1;
    }
    if (s != SQLITE_DONE)
        sql_error(pg, err);
    sqlite3_finalize(pg->cur);
    pg->cur = NULL;
    return s == SQLITE_DONE ? 0 : -1;
}

/* Read up to n rows from row number start into the cache. */
static int
fill_cache(struct catalog_page *pg, sqlite3_int64 start, int n, struct qerr *err)
{
    struct catalog_page_rows *c = &pg->cache;
    int rc;
    pg->cache_ok = 0;
    cp_rows_reset(c);
    rc = position(pg, start - 1, n, err);
    while (rc > 0 && c->n_rows < n && (rc = step(pg, err)) > 0) {
        cp_rows_add(c, pg->cur, 0, pg->n_cols, -1);
        c->rowids[c->n_rows - 1] = pg->cur_pos;
    }
    cp_rows_fix(c);
    if (rc < 0)
        return -1;
    pg->cache_first = start;
    pg->cache_ok = 1;
    return 0;
}

int
cpq_rows(struct catalog_page *pg, sqlite3_int64 first, int n, struct catalog_page_rows *out,
         struct qerr *err)
{
    sqlite3_int64 last;
    const struct catalog_page_rows *c = &pg->cache;
    if (first < 1)
        first = 1;
    last = first + n - 1 < pg->count ? first + n - 1 : pg->count;
    if (last >= first && !(pg->cache_ok && first >= pg->cache_first &&
                           last < pg->cache_first + c->n_rows)) {
        /* Read ahead, or behind when going back, so the next fetches find their rows. */
        int ahead = pg->ahead > n ? pg->ahead : n;
        sqlite3_int64 start = first;
        if (pg->cache_ok && first < pg->cache_first)
            start = last - ahead + 1 > 1 ? last - ahead + 1 : 1;
        if (fill_cache(pg, start, ahead, err) != 0) {
            cp_rows_reset(out);
            cp_rows_fix(out);
            return -1;
        }
        if (last >= pg->cache_first + c->n_rows) /* the query gave fewer rows than counted */
            last = pg->cache_first + c->n_rows - 1;
    }
    cp_rows_reset(out);
    for (sqlite3_int64 r = first; r <= last; r++)
        cp_rows_copy(out, c, (int)(r - pg->cache_first));
    cp_rows_fix(out);
    return 0;
}

/* Does s (len bytes) contain needle, ignoring ASCII case? */
static int
contains(const char *s, size_t len, const char *needle)
{
    size_t m = strlen(needle);
    if (m == 0)
        return 1;
    for (size_t i = 0; i + m <= len; i++)
        if (strncasecmp(s + i, needle, m) == 0)
            return 1;
    return 0;
}

/* Does the row the statement is on match (column col, or any when col < 0)? */
static int
row_matches(struct catalog_page *pg, const char *needle, int col)
{
    for (int c = 0; c < pg->n_cols; c++) {
        if ((col >= 0 && c != col) || sqlite3_column_type(pg->cur, c) == SQLITE_NULL)
            continue;
        const char *s = (const char *)sqlite3_column_text(pg->cur, c);
        if (s && contains(s, (size_t)sqlite3_column_bytes(pg->cur, c), needle))
            return 1;
    }
    return 0;
}

int
cpq_search(struct catalog_page *pg, sqlite3_int64 from, int fwd, const char *needle, int col,
           struct catalog_page_rows *out, struct qerr *err)
{
    sqlite3_int64 found = 0, limit = fwd ? pg->count : (from ? from - 1 : pg->count);
    int rc = position(pg, fwd ? from : 0, limit - (fwd ? from : 0), err);
    cp_rows_reset(out);
    while (rc > 0 && pg->cur_pos < limit && (rc = step(pg, err)) > 0) {
        if (row_matches(pg, needle, col)) {
            found = pg->cur_pos;
            if (fwd) {
                cp_rows_add(out, pg->cur, 0, pg->n_cols, -1);
                out->rowids[0] = found;
                break;
            }
        }
    }
    cp_rows_fix(out);
    if (rc < 0) {
        cp_rows_reset(out);
        cp_rows_fix(out);
        return -1;
    }
    if (!found || fwd)
        return found != 0;
    if (cpq_rows(pg, found, 1, out, err) != 0)
        return -1;
    return out->n_rows > 0;
}

int
cpq_open(struct catalog_page *pg, const char *sql, struct qerr *err)
{
    sqlite3_stmt *st = NULL, *more = NULL;
    const char *tail = NULL, *start = sql, *rest;
    struct buf b = BUF_INIT;
    int rc = -1;
    while (isspace((unsigned char)*start))
        start++;
    size_t w = 0;
    while (isalpha((unsigned char)start[w]))
        w++;
    if (!((w == 6 && strncasecmp(start, "select", 6) == 0) ||
          (w == 4 && strncasecmp(start, "with", 4) == 0) ||
          (w == 6 && strncasecmp(start, "values", 6) == 0))) {
        qerr_set(err, QE_ARG, "view shows a table or a query (SELECT, WITH or VALUES)");
        goto out;
    }
    if (sqlite3_prepare_v2(pg->db, start, -1, &st, &tail) != SQLITE_OK) {
        sql_error(pg, err);
        goto out;
    }
    /* One statement: what follows may be blanks, semicolons and comments only. */
    for (rest = tail; *rest && (isspace((unsigned char)*rest) || *rest == ';');)
        rest++;
    if (*rest && (sqlite3_prepare_v2(pg->db, rest, -1, &more, NULL) != SQLITE_OK || more)) {
        qerr_set(err, QE_ARG, "view shows one query; this text holds more than one statement");
        goto out;
    }
    if (!st || !sqlite3_stmt_readonly(st) || sqlite3_column_count(st) == 0) {
        qerr_set(err, QE_ARG, "view shows a query's rows; this statement %s",
                 st && !sqlite3_stmt_readonly(st) ? "would change the catalog" : "gives none");
        goto out;
    }
    /* The statement's own text, without the ';' that would end it inside a WITH. */
    size_t len = (size_t)(tail - start);
    while (len > 0 && (isspace((unsigned char)start[len - 1]) || start[len - 1] == ';'))
        len--;
    pg->query = xstrndup(start, len);
    pg->table = xstrdup(pg->query);
    pg->col = -1;
    pg->n_cols = sqlite3_column_count(st);
    pg->cols = xcalloc((size_t)pg->n_cols, sizeof *pg->cols);
    for (int c = 0; c < pg->n_cols; c++) {
        const char *name = sqlite3_column_name(st, c);
        const char *decl = sqlite3_column_decltype(st, c);
        pg->cols[c].name = xstrdup(name ? name : "");
        pg->cols[c].decl = xstrdup(decl ? decl : "");
        buf_reset(&b);
        cp_add_display(&b, pg->cols[c].name, strlen(pg->cols[c].name));
        pg->cols[c].label = xstrdup(b.data ? b.data : "");
    }
    sqlite3_finalize(st);
    st = NULL;
    buf_reset(&b);
    buf_addf(&b, "SELECT count(*) FROM (\n%s\n)", pg->query);
    if (sqlite3_prepare_v2(pg->db, b.data, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        sql_error(pg, err);
        goto out;
    }
    pg->count = sqlite3_column_int64(st, 0);
    rc = 0;
out:
    sqlite3_finalize(st);
    sqlite3_finalize(more);
    buf_release(&b);
    return rc;
}
