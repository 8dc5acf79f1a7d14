/*
 * test_catalog_page.c: the keyset pager and its view (src/data/catalog_page.h).
 *
 * Plan:
 *   1. display text: widths (ASCII, wide, combining), fit, and cells:
 *      control characters escaped, invalid UTF-8, reals, blobs, NULL, long
 *      text cut with '…'
 *   2. open: columns and types, count; errors for a missing table, a view,
 *      a WITHOUT ROWID table; a column named rowid falls back to _rowid_
 *   3. paging visits every row exactly once in the right order, forward
 *      and backward, in natural order and sorted ascending and descending
 *      by columns with NULLs, duplicates and rowid gaps; small tables and
 *      100,000 rows built by a recursive CTE
 *   4. AT, seek (OFFSET) and ordinal agree with the order, with and
 *      without read-ahead
 *   5. search: any column or one, literal % and _, forward and backward
 *   6. widths fitted to the header and the rows, capped
 *   7. fetch by rowid gives the row with its key in the current order
 *   8. a query's pager: its own order and a sorted one page exactly, with
 *      a small read-ahead so the cache misses both ways; seek, AT and
 *      ordinal by row number; search; what is refused; the frequency
 *      table of a column, for a table and a query, counted by hand
 * (The window and cursor over these calls live in ui/grid.c and are
 * checked by driving the grid in tmux.)
 * The expected order of every check is SQLite's own ORDER BY col IS NULL,
 * col [DESC], rowid over the whole table, read in one query; the paging
 * code never sees it.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/catalog_page.h"
#include "base/buf.h"
#include "base/utf8.h"
#include "check.h"
#include "base/banned.h"

/* ---- helpers ---------------------------------------------------------- */

static void
exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "exec failed: %s\n%s\n", msg, sql);
        exit(2);
    }
}

/* Every rowid of query (one column) into a malloc'd array; *n gets the count. */
static sqlite3_int64 *
ref_rowids(sqlite3 *db, const char *sql, int *n)
{
    sqlite3_stmt *st = NULL;
    sqlite3_int64 *ids = NULL;
    int cap = 0;
    *n = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "prepare failed: %s\n%s\n", sqlite3_errmsg(db), sql);
        exit(2);
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 64;
            ids = realloc(ids, (size_t)cap * sizeof *ids);
        }
        ids[(*n)++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return ids;
}

/* The reference order of table t by column col (NULL: natural order). */
static sqlite3_int64 *
ref_order(sqlite3 *db, const char *t, const char *col, enum catalog_page_order o, int *n)
{
    char sql[256];
    if (o == CATALOG_PAGE_NATURAL)
        snprintf(sql, sizeof sql, "SELECT rowid FROM %s ORDER BY rowid", t);
    else
        snprintf(sql, sizeof sql, "SELECT rowid FROM %s ORDER BY %s IS NULL, %s %s, rowid", t,
                 col, col, o == CATALOG_PAGE_ASC ? "ASC" : "DESC");
    return ref_rowids(db, sql, n);
}

static struct catalog_page *
open_ok(sqlite3 *db, const char *t)
{
    struct qerr err = QERR_INIT;
    struct catalog_page *pg = NULL;
    if (catalog_page_open(db, t, &pg, &err) != 0) {
        fprintf(stderr, "open '%s' failed: %s\n", t, err.msg);
        exit(2);
    }
    return pg;
}

/*
 * Page through the whole order with pages of size step, forward from the
 * start and backward from the end; 1 if both give exactly ref.
 */
static int
pages_match(struct catalog_page *pg, const sqlite3_int64 *ref, int n, int step)
{
    struct catalog_page_rows a, b;
    struct qerr err = QERR_INIT;
    int i = 0, ok = 1;
    catalog_page_rows_init(&a);
    catalog_page_rows_init(&b);
    /* Forward: each page starts after the previous page's last row. */
    if (catalog_page_fetch(pg, NULL, 0, CATALOG_PAGE_NEXT, step, &a, &err) != 0)
        ok = 0;
    while (ok && a.n_rows > 0) {
        for (int r = 0; r < a.n_rows; r++, i++)
            if (i >= n || a.rowids[r] != ref[i])
                ok = 0;
        if (a.n_rows < step)
            break;
        if (catalog_page_fetch(pg, &a, a.n_rows - 1, CATALOG_PAGE_NEXT, step, &a, &err) != 0)
            ok = 0;
    }
    if (i != n)
        ok = 0;
    /* Backward: each page ends before the previous page's first row. */
    i = n;
    if (ok && catalog_page_fetch(pg, NULL, 0, CATALOG_PAGE_PREV, step, &b, &err) != 0)
        ok = 0;
    while (ok && b.n_rows > 0) {
        for (int r = b.n_rows - 1; r >= 0; r--)
            if (--i < 0 || b.rowids[r] != ref[i])
                ok = 0;
        if (b.n_rows < step)
            break;
        if (catalog_page_fetch(pg, &b, 0, CATALOG_PAGE_PREV, step, &b, &err) != 0)
            ok = 0;
    }
    if (i != 0)
        ok = 0;
    if (err.code != QE_OK) {
        fprintf(stderr, "paging failed: %s\n", err.msg);
        ok = 0;
    }
    catalog_page_rows_release(&a);
    catalog_page_rows_release(&b);
    qerr_clear(&err);
    return ok;
}

static const char *
cell(const struct catalog_page_rows *rows, int r, int c)
{
    return rows->cells[r * rows->n_cols + c].text;
}

static enum catalog_page_type
cell_type(const struct catalog_page_rows *rows, int r, int c)
{
    return rows->cells[r * rows->n_cols + c].type;
}

/* ---- 1. display text -------------------------------------------------- */

static void
test_text(sqlite3 *db)
{
    struct catalog_page *pg;
    struct catalog_page_rows rows;
    struct qerr err = QERR_INIT;
    int w;
    char longtext[600];

    CHECK_INT(utf8_width("abc"), 3);
    CHECK_INT(utf8_width(""), 0);
    CHECK_INT(utf8_width("caf\xC3\xA9"), 4);             /* café */
    CHECK_INT(utf8_width("e\xCC\x81"), 1);               /* e + combining acute */
    CHECK_INT(utf8_width("\xE6\x97\xA5\xE6\x9C\xAC"), 4); /* 日本 */
    CHECK_INT(utf8_width("\xF0\x9F\x98\x80"), 2);         /* 😀 */
    CHECK_INT(utf8_width("\xFF" "a"), 2);                 /* invalid byte counts 1 */
    CHECK_INT((int)utf8_fit("abcdef", strlen("abcdef"), 4, &w), 4);
    CHECK_INT(w, 4);
    /* 日本語 in 5 columns: two characters, never half of the third. */
    const char *cjk = "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E"; /* three wide characters */
    CHECK_INT((int)utf8_fit(cjk, strlen(cjk), 5, &w), 6);
    CHECK_INT(w, 4);
    /* The combining mark stays with its base. */
    CHECK_INT((int)utf8_fit("e\xCC\x81x", strlen("e\xCC\x81x"), 1, &w), 3);
    CHECK_INT((int)utf8_fit("abc", strlen("abc"), 0, &w), 0);

    memset(longtext, 'x', sizeof longtext - 1);
    longtext[sizeof longtext - 1] = '\0';
    exec(db, "CREATE TABLE txt(a, b REAL, c TEXT)");
    exec(db, "INSERT INTO txt VALUES ('line1' || char(10) || 'line2' || char(9) || 'x', 0.1, "
             "'esc' || char(27) || '[31m' || char(13))");
    exec(db, "INSERT INTO txt VALUES (x'41FF42', 1.0, 'c1' || char(155) || 'bidi' || "
             "char(8238) || 'end')");
    exec(db, "INSERT INTO txt VALUES (NULL, 1e300, x'000102030405060708090A0B0C0D0E0F10')");
    exec(db, "INSERT INTO txt VALUES (-42, -2.5e-7, NULL)");
    exec(db, "INSERT INTO txt VALUES (0.30000000000000004, 100000000000000000000.0, 'x')");
    {
        char sql[700];
        snprintf(sql, sizeof sql, "INSERT INTO txt VALUES ('%s', NULL, '%s')", longtext,
                 "\xE6\x97\xA5");
        exec(db, sql);
    }
    exec(db, "UPDATE txt SET a = CAST(x'41FF42' AS TEXT) WHERE rowid = 2");
    pg = open_ok(db, "txt");
    catalog_page_rows_init(&rows);
    CHECK_INT(catalog_page_fetch(pg, NULL, 0, CATALOG_PAGE_NEXT, 10, &rows, &err), 0);
    CHECK_INT(rows.n_rows, 6);
    CHECK_STR(cell(&rows, 0, 0), "line1\\nline2\\tx");
    CHECK_INT(rows.cells[0].width, 15);
    CHECK_STR(cell(&rows, 0, 1), "0.1");
    CHECK_INT(cell_type(&rows, 0, 1), CATALOG_PAGE_REAL);
    CHECK_STR(cell(&rows, 0, 2), "esc^[[31m\\r");
    CHECK_STR(cell(&rows, 1, 0), "A\xEF\xBF\xBD" "B");      /* invalid byte -> U+FFFD */
    CHECK_STR(cell(&rows, 1, 1), "1.0");
    CHECK_STR(cell(&rows, 1, 2), "c1\xEF\xBF\xBD" "bidi\xEF\xBF\xBD" "end");
    CHECK_STR(cell(&rows, 2, 0), "NULL");
    CHECK_INT(cell_type(&rows, 2, 0), CATALOG_PAGE_NULL);
    CHECK_STR(cell(&rows, 2, 1), "1e+300");
    CHECK_STR(cell(&rows, 2, 2), "x'000102030405060708090A0B0C0D0E0F\xE2\x80\xA6'");
    CHECK_INT(cell_type(&rows, 2, 2), CATALOG_PAGE_BLOB);
    CHECK_STR(cell(&rows, 3, 0), "-42");
    CHECK_INT(cell_type(&rows, 3, 0), CATALOG_PAGE_INTEGER);
    CHECK_STR(cell(&rows, 3, 1), "-2.5e-07");
    CHECK_STR(cell(&rows, 4, 0), "0.30000000000000004");
    CHECK_STR(cell(&rows, 4, 1), "1e+20");
    /* 599 columns of x are cut to 199 and a '…'. */
    CHECK_INT(rows.cells[5 * 3].width, CATALOG_PAGE_TEXT_MAX);
    CHECK_INT((int)strlen(cell(&rows, 5, 0)), CATALOG_PAGE_TEXT_MAX - 1 + 3);
    CHECK_STR(cell(&rows, 5, 0) + CATALOG_PAGE_TEXT_MAX - 1, "\xE2\x80\xA6");
    CHECK_STR(cell(&rows, 5, 2), "\xE6\x97\xA5");
    CHECK_INT(rows.cells[5 * 3 + 2].width, 2);
    catalog_page_rows_release(&rows);
    catalog_page_free(pg);
    qerr_clear(&err);
}

/* ---- 2. open ------------------------------------------------------------ */

static void
test_open(sqlite3 *db)
{
    struct catalog_page *pg = NULL;
    struct qerr err = QERR_INIT;
    struct catalog_page_rows rows;

    exec(db, "CREATE TABLE people(name TEXT, age INTEGER, \"we\"\"ird col\" REAL, d)");
    exec(db, "INSERT INTO people VALUES ('ann', 31, 1.5, NULL), ('bob', NULL, 2, 'x')");
    pg = open_ok(db, "PEOPLE");
    CHECK_STR(catalog_page_table(pg), "people");
    CHECK_INT(catalog_page_count(pg), 2);
    CHECK_INT(catalog_page_n_cols(pg), 4);
    CHECK_STR(catalog_page_col(pg, 2)->name, "we\"ird col");
    CHECK_STR(catalog_page_col(pg, 1)->decl, "INTEGER");
    CHECK_STR(catalog_page_col(pg, 3)->decl, "");
    int col = 5;
    CHECK_INT(catalog_page_order(pg, &col), CATALOG_PAGE_NATURAL);
    CHECK_INT(col, -1);
    CHECK_STR(catalog_page_col(pg, 2)->label, "we\"ird col");
    CHECK_INT(catalog_page_set_order(pg, 4, CATALOG_PAGE_ASC, &err), -1);
    CHECK_INT(err.code, QE_ARG);
    qerr_clear(&err);
    CHECK_INT(catalog_page_set_order(pg, 2, CATALOG_PAGE_DESC, &err), 0);
    catalog_page_rows_init(&rows);
    CHECK_INT(catalog_page_fetch(pg, NULL, 0, CATALOG_PAGE_NEXT, 5, &rows, &err), 0);
    CHECK_INT(rows.n_rows, 2);
    CHECK_STR(cell(&rows, 0, 0), "bob");
    CHECK_STR(cell(&rows, 0, 2), "2.0");
    catalog_page_rows_release(&rows);
    catalog_page_free(pg);

    pg = NULL;
    CHECK_INT(catalog_page_open(db, "nope", &pg, &err), -1);
    CHECK_INT(err.code, QE_NOTFOUND);
    CHECK_STR(err.msg, "no table 'nope'");
    CHECK_PTR(pg, NULL);
    qerr_clear(&err);

    exec(db, "CREATE VIEW pv AS SELECT * FROM people");
    CHECK_INT(catalog_page_open(db, "pv", &pg, &err), -1);
    CHECK_INT(err.code, QE_ARG);
    CHECK_STR(err.msg, "'pv' is a view; only tables can be viewed");
    qerr_clear(&err);

    exec(db, "CREATE TABLE wr(k TEXT PRIMARY KEY, v) WITHOUT ROWID");
    CHECK_INT(catalog_page_open(db, "wr", &pg, &err), -1);
    CHECK_INT(err.code, QE_ARG);
    CHECK_STR(err.msg, "table 'wr' is WITHOUT ROWID; the grid pages by rowid");
    qerr_clear(&err);

    /* A column named rowid hides the rowid; the pager uses _rowid_. */
    exec(db, "CREATE TABLE hid(rowid TEXT, v INTEGER)");
    exec(db, "INSERT INTO hid VALUES ('z', 1), ('a', 2), ('m', 3)");
    exec(db, "DELETE FROM hid WHERE v = 2");
    pg = open_ok(db, "hid");
    catalog_page_rows_init(&rows);
    CHECK_INT(catalog_page_fetch(pg, NULL, 0, CATALOG_PAGE_PREV, 5, &rows, &err), 0);
    CHECK_INT(rows.n_rows, 2);
    CHECK_INT(rows.rowids[0], 1);
    CHECK_INT(rows.rowids[1], 3);
    CHECK_STR(cell(&rows, 1, 0), "m");
    catalog_page_rows_release(&rows);
    catalog_page_free(pg);

    exec(db, "CREATE TABLE hid3(rowid, _rowid_, oid)");
    CHECK_INT(catalog_page_open(db, "hid3", &pg, &err), -1);
    CHECK_INT(err.code, QE_ARG);
    qerr_clear(&err);
}

/* ---- 3, 4. paging, seek, ordinal ------------------------------------- */

/* Check every order of one table column by column at several page sizes. */
/* Orders to check: natural order, and each column ascending and descending. */
#define ALL_ORDERS 7

static void
check_orders(sqlite3 *db, const char *t, const char *const *cols, int n_cols, int orders,
             const int *steps, int n_steps, int ahead, int check_ordinals)
{
    struct catalog_page *pg = open_ok(db, t);
    struct qerr err = QERR_INIT;
    catalog_page_set_ahead(pg, ahead);
    for (int c = -1; c < n_cols; c++) {
        for (int o = c < 0 ? 0 : 1; o <= (c < 0 ? 0 : 2); o++) {
            int n, idx = -1;
            if (!(orders & (1 << o)))
                continue;
            sqlite3_int64 *ref = ref_order(db, t, c < 0 ? NULL : cols[c], o, &n);
            if (c >= 0)
                for (int i = 0; i < catalog_page_n_cols(pg); i++)
                    if (strcmp(catalog_page_col(pg, i)->name, cols[c]) == 0)
                        idx = i;
            CHECK_INT(catalog_page_set_order(pg, idx, o, &err), 0);
            CHECK_INT(catalog_page_count(pg), n);
            for (int s = 0; s < n_steps; s++) {
                int ok = pages_match(pg, ref, n, steps[s]);
                if (!ok)
                    fprintf(stderr, "table %s col %s order %d step %d ahead %d\n", t,
                            c < 0 ? "(natural)" : cols[c], o, steps[s], ahead);
                CHECK(ok);
            }
            /* seek, AT and ordinal at a few places */
            struct catalog_page_rows a, b;
            catalog_page_rows_init(&a);
            catalog_page_rows_init(&b);
            int places[] = {1, 2, n / 3, n / 2 + 1, n - 1, n};
            for (int p = 0; p < 6 && check_ordinals; p++) {
                int k = places[p];
                if (k < 1 || k > n)
                    continue;
                CHECK_INT(catalog_page_seek(pg, k, 3, &a, &err), 0);
                CHECK_INT(a.n_rows, n - k + 1 < 3 ? n - k + 1 : 3);
                CHECK_INT(a.rowids[0], ref[k - 1]);
                sqlite3_int64 ord = 0;
                for (int r = 0; r < a.n_rows; r += 2) {
                    CHECK_INT(catalog_page_ordinal(pg, &a, r, &ord, &err), 0);
                    CHECK_INT(ord, k + r);
                }
                CHECK_INT(catalog_page_fetch(pg, &a, 0, CATALOG_PAGE_AT, 2, &b, &err), 0);
                CHECK_INT(b.rowids[0], ref[k - 1]);
                if (k < n)
                    CHECK_INT(b.rowids[1], ref[k]);
            }
            catalog_page_rows_release(&a);
            catalog_page_rows_release(&b);
            free(ref);
        }
    }
    if (err.code != QE_OK)
        fprintf(stderr, "%s\n", err.msg);
    qerr_clear(&err);
    catalog_page_free(pg);
}

static void
test_paging_small(sqlite3 *db)
{
    static const char *const cols[] = {"g", "s", "r", "m"};
    static const int steps[] = {1, 2, 3, 5, 7, 50};
    /* Duplicates, NULLs at both ends of the rowids, gaps, mixed types in m, a NOCASE column. */
    exec(db, "CREATE TABLE small(g INTEGER, s TEXT COLLATE NOCASE, r REAL, m)");
    exec(db, "INSERT INTO small VALUES (NULL, 'b', 1.5, 3), (2, 'A', NULL, 'x'), "
             "(1, 'a', 2.5, NULL), (2, NULL, 1.5, 2.0), (NULL, 'B', -1, x'00'), "
             "(1, 'c', 0, 'x'), (3, 'a', NULL, 1), (2, 'C', 2.5, NULL), (NULL, NULL, 1.5, 'a'), "
             "(1, 'b', 7, 10), (0, 'a', -3, 'Z'), (2, 'b', 0.5, 3)");
    exec(db, "DELETE FROM small WHERE rowid IN (3, 7)");
    exec(db, "INSERT INTO small(rowid, g, s, r, m) VALUES (100, 2, 'a', 1.5, 3), "
             "(-5, NULL, 'a', NULL, NULL), (50, 1, NULL, 2.5, 'x')");
    /* Every query, then read-ahead of 4 rows (the stretches end mid-table), then the default. */
    check_orders(db, "small", cols, 4, ALL_ORDERS, steps, 6, 0, 1);
    check_orders(db, "small", cols, 4, ALL_ORDERS, steps, 3, 4, 1);
    check_orders(db, "small", cols, 4, ALL_ORDERS, steps, 6, CATALOG_PAGE_AHEAD, 1);

    exec(db, "CREATE TABLE one(v)");
    exec(db, "INSERT INTO one VALUES (NULL)");
    static const char *const v[] = {"v"};
    check_orders(db, "one", v, 1, ALL_ORDERS, steps, 2, 0, 1);
    check_orders(db, "one", v, 1, ALL_ORDERS, steps, 2, CATALOG_PAGE_AHEAD, 1);
    exec(db, "CREATE TABLE none(v)");
    check_orders(db, "none", v, 1, ALL_ORDERS, steps, 2, 0, 0);
    check_orders(db, "none", v, 1, ALL_ORDERS, steps, 2, CATALOG_PAGE_AHEAD, 0);
}

static void
test_paging_big(sqlite3 *db)
{
    static const char *const cols[] = {"grp", "name"};
    static const int steps[] = {997}, big_steps[] = {24989, 4999};
    exec(db, "CREATE TABLE big(id INTEGER, grp INTEGER, name TEXT, val REAL)");
    exec(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) "
             "INSERT INTO big SELECT i, CASE WHEN i % 13 = 0 THEN NULL ELSE i % 97 END, "
             "'n' || (i * 7919 % 1000), CASE WHEN i % 11 = 0 THEN NULL ELSE i / 7.0 END "
             "FROM n");
    exec(db, "DELETE FROM big WHERE id % 1000 BETWEEN 10 AND 30");
    /*
     * Without an index each sorted query scans the table (and the small
     * tables above cover every column kind), so: natural order, grp both
     * ways in small pages through a long read-ahead, name descending in a
     * few big pages without read-ahead.
     */
    check_orders(db, "big", cols, 1, 1 | 2 | 4, steps, 1, 20000, 1);
    check_orders(db, "big", cols + 1, 1, 4, big_steps, 1, 0, 1);
    /* With an index on grp, which the sorted queries then walk (backward, for DESC). */
    exec(db, "CREATE INDEX big_grp ON big(grp)");
    check_orders(db, "big", cols, 1, 4, big_steps + 1, 1, 0, 0);
}

/* ---- 5. search ---------------------------------------------------------- */

static void
test_search(sqlite3 *db)
{
    struct catalog_page *pg;
    struct catalog_page_rows rows, m;
    struct qerr err = QERR_INIT;
    exec(db, "CREATE TABLE srch(a TEXT, b INTEGER)");
    exec(db, "INSERT INTO srch VALUES ('apple', 1), ('50x off', 2), ('Banana', 350), "
             "('50% off', 4), (NULL, 5), ('a_b', 6), ('axb', 7), ('back\\slash', 8)");
    pg = open_ok(db, "srch");
    catalog_page_rows_init(&rows);
    catalog_page_rows_init(&m);
    CHECK_INT(catalog_page_fetch(pg, NULL, 0, CATALOG_PAGE_NEXT, 8, &rows, &err), 0);
    /* From the start, any column; ASCII case ignored. */
    CHECK_INT(catalog_page_search(pg, NULL, 0, CATALOG_PAGE_NEXT, "BAN", -1, &m, &err), 1);
    CHECK_INT(m.rowids[0], 3);
    /* Strictly after the anchor: row 1 matches "a" too but is skipped. */
    CHECK_INT(catalog_page_search(pg, &rows, 0, CATALOG_PAGE_NEXT, "a", 0, &m, &err), 1);
    CHECK_INT(m.rowids[0], 3);
    /* Numbers match as text; column 1 only. */
    CHECK_INT(catalog_page_search(pg, NULL, 0, CATALOG_PAGE_NEXT, "5", 1, &m, &err), 1);
    CHECK_INT(m.rowids[0], 3);
    CHECK_INT(catalog_page_search(pg, &rows, 2, CATALOG_PAGE_NEXT, "5", 1, &m, &err), 1);
    CHECK_INT(m.rowids[0], 5);
    /* % and _ match literally. */
    CHECK_INT(catalog_page_search(pg, NULL, 0, CATALOG_PAGE_NEXT, "50%", -1, &m, &err), 1);
    CHECK_INT(m.rowids[0], 4);
    CHECK_INT(catalog_page_search(pg, NULL, 0, CATALOG_PAGE_NEXT, "a_b", -1, &m, &err), 1);
    CHECK_INT(m.rowids[0], 6);
    CHECK_INT(catalog_page_search(pg, NULL, 0, CATALOG_PAGE_NEXT, "k\\s", -1, &m, &err), 1);
    CHECK_INT(m.rowids[0], 8);
    /* Backward from row 6, and from the end. */
    CHECK_INT(catalog_page_search(pg, &rows, 5, CATALOG_PAGE_PREV, "off", -1, &m, &err), 1);
    CHECK_INT(m.rowids[0], 4);
    CHECK_INT(catalog_page_search(pg, NULL, 0, CATALOG_PAGE_PREV, "off", -1, &m, &err), 1);
    CHECK_INT(m.rowids[0], 4);
    CHECK_INT(catalog_page_search(pg, &rows, 3, CATALOG_PAGE_NEXT, "off", -1, &m, &err), 0);
    CHECK_INT(m.n_rows, 0);
    CHECK_INT(catalog_page_search(pg, NULL, 0, CATALOG_PAGE_NEXT, "zzz", -1, &m, &err), 0);
    /* In a sorted order: by a descending, NULLs last. */
    CHECK_INT(catalog_page_set_order(pg, 0, CATALOG_PAGE_DESC, &err), 0);
    CHECK_INT(catalog_page_search(pg, NULL, 0, CATALOG_PAGE_NEXT, "off", -1, &m, &err), 1);
    CHECK_INT(m.rowids[0], 2); /* '50x off' sorts before '50% off' descending */
    CHECK_INT(catalog_page_search(pg, &m, 0, CATALOG_PAGE_NEXT, "off", -1, &m, &err), 1);
    CHECK_INT(m.rowids[0], 4);
    CHECK_INT(catalog_page_search(pg, NULL, 0, CATALOG_PAGE_PREV, "5", -1, &m, &err), 1);
    CHECK_INT(m.rowids[0], 5); /* the NULL row is last; its b is 5 */
    CHECK_INT(err.code, QE_OK);
    catalog_page_rows_release(&rows);
    catalog_page_rows_release(&m);
    catalog_page_free(pg);
    qerr_clear(&err);
}

/* ---- 6. widths ----------------------------------------------------------- */

static void
test_widths(sqlite3 *db)
{
    struct catalog_page *pg;
    struct catalog_page_rows rows;
    struct qerr err = QERR_INIT;
    int w[3];
    exec(db, "CREATE TABLE wid(id INTEGER, \"a long column name\" TEXT, x)");
    exec(db, "INSERT INTO wid VALUES (123456, 'ab', NULL), (1, '\xE6\x97\xA5\xE6\x9C\xAC', NULL)");
    exec(db, "INSERT INTO wid VALUES (2, 'this text is longer than the header is', '')");
    pg = open_ok(db, "wid");
    catalog_page_rows_init(&rows);
    CHECK_INT(catalog_page_fetch(pg, NULL, 0, CATALOG_PAGE_NEXT, 2, &rows, &err), 0);
    catalog_page_widths(pg, &rows, 40, w);
    CHECK_INT(w[0], 6);  /* 123456 */
    CHECK_INT(w[1], 18); /* the header */
    CHECK_INT(w[2], 4);  /* NULL */
    catalog_page_widths(pg, &rows, 5, w);
    CHECK_INT(w[0], 5);
    CHECK_INT(w[1], 5);
    CHECK_INT(catalog_page_fetch(pg, &rows, 1, CATALOG_PAGE_NEXT, 2, &rows, &err), 0);
    CHECK_INT(rows.n_rows, 1);
    catalog_page_widths(pg, &rows, 40, w);
    CHECK_INT(w[0], 2);  /* the header "id"; only the visible rows count */
    CHECK_INT(w[1], 38);
    CHECK_INT(w[2], 1);  /* '' and the header "x" */
    /* The sort column leaves room for its arrow. */
    CHECK_INT(catalog_page_set_order(pg, 0, CATALOG_PAGE_ASC, &err), 0);
    catalog_page_widths(pg, &rows, 40, w);
    CHECK_INT(w[0], 4);
    catalog_page_rows_release(&rows);
    catalog_page_free(pg);
    qerr_clear(&err);
}

/* ---- 7. fetch by rowid ------------------------------------------------- */

static void
test_rowid(sqlite3 *db)
{
    struct catalog_page *pg = open_ok(db, "small");
    struct catalog_page_rows one, next;
    struct qerr err = QERR_INIT;
    int n;
    sqlite3_int64 *ref = ref_order(db, "small", "s", CATALOG_PAGE_DESC, &n), ord = 0;
    catalog_page_rows_init(&one);
    catalog_page_rows_init(&next);
    CHECK_INT(catalog_page_set_order(pg, 1, CATALOG_PAGE_DESC, &err), 0);
    /* Every row found by rowid is an anchor in the sorted order. */
    for (int i = 0; i < n; i++) {
        CHECK_INT(catalog_page_fetch_rowid(pg, ref[i], &one, &err), 0);
        CHECK_INT(one.n_rows, 1);
        CHECK_INT(one.rowids[0], ref[i]);
        CHECK_INT(catalog_page_ordinal(pg, &one, 0, &ord, &err), 0);
        CHECK_INT(ord, i + 1);
        CHECK_INT(catalog_page_fetch(pg, &one, 0, CATALOG_PAGE_NEXT, 1, &next, &err), 0);
        CHECK_INT(next.n_rows, i + 1 < n);
        if (i + 1 < n)
            CHECK_INT(next.rowids[0], ref[i + 1]);
    }
    CHECK_INT(catalog_page_fetch_rowid(pg, 12345, &one, &err), 0);
    CHECK_INT(one.n_rows, 0);
    CHECK_INT(err.code, QE_OK);
    free(ref);
    catalog_page_rows_release(&one);
    catalog_page_rows_release(&next);
    catalog_page_free(pg);
}

/* ---- 8. a query's pager ---------------------------------------------------- */

static struct catalog_page *
open_query_ok(sqlite3 *db, const char *sql)
{
    struct qerr err = QERR_INIT;
    struct catalog_page *pg = NULL;
    if (catalog_page_open_query(db, sql, &pg, &err) != 0) {
        fprintf(stderr, "open query '%s' failed: %s\n", sql, err.msg);
        exit(2);
    }
    return pg;
}

/*
 * Page through a query's pager with pages of size step, forward then
 * backward; 1 if column col of the rows reads exactly ref (as integers,
 * NULL as -1) and the rows are numbered 1, 2, ... in order.
 */
static int
query_pages_match(struct catalog_page *pg, const sqlite3_int64 *ref, int n, int step, int col)
{
    struct catalog_page_rows a;
    struct qerr err = QERR_INIT;
    int i = 0, ok = 1, fwd;
    catalog_page_rows_init(&a);
    for (fwd = 1; fwd >= 0 && ok; fwd--) {
        enum catalog_page_dir dir = fwd ? CATALOG_PAGE_NEXT : CATALOG_PAGE_PREV;
        i = fwd ? 0 : n;
        if (catalog_page_fetch(pg, NULL, 0, dir, step, &a, &err) != 0)
            ok = 0;
        while (ok && a.n_rows > 0) {
            for (int k = 0; k < a.n_rows; k++) {
                int r = fwd ? k : a.n_rows - 1 - k, at = fwd ? i++ : --i;
                const char *t = cell(&a, r, col);
                sqlite3_int64 v = cell_type(&a, r, col) == CATALOG_PAGE_NULL ? -1 : atoll(t);
                if (at < 0 || at >= n || v != ref[at] || a.rowids[r] != at + 1)
                    ok = 0;
            }
            if (a.n_rows < step)
                break;
            if (catalog_page_fetch(pg, &a, fwd ? a.n_rows - 1 : 0, dir, step, &a, &err) != 0)
                ok = 0;
        }
        if (i != (fwd ? n : 0))
            ok = 0;
    }
    if (err.code != QE_OK) {
        fprintf(stderr, "paging failed: %s\n", err.msg);
        ok = 0;
    }
    catalog_page_rows_release(&a);
    qerr_clear(&err);
    return ok;
}

static void
test_query(sqlite3 *db)
{
    struct catalog_page *pg;
    struct catalog_page_rows rows, m;
    struct qerr err = QERR_INIT;
    sqlite3_int64 *ref, ord = 0;
    int n;
    const char *q = "SELECT id, v, 'r' || id AS name FROM qt WHERE id % 3 <> 0 ORDER BY id DESC";
    exec(db, "CREATE TABLE qt AS WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c "
             "WHERE i < 3000) SELECT i AS id, CASE WHEN i % 10 = 0 THEN NULL ELSE (i * 37) % 101 "
             "END AS v FROM c");
    catalog_page_rows_init(&rows);
    catalog_page_rows_init(&m);
    /* The query's own order, through every page, with misses both ways (read-ahead 50). */
    pg = open_query_ok(db, q);
    CHECK_INT(catalog_page_is_query(pg), 1);
    CHECK_INT(catalog_page_count(pg), 2000);
    CHECK_INT(catalog_page_n_cols(pg), 3);
    CHECK_STR(catalog_page_col(pg, 2)->name, "name");
    CHECK_STR(catalog_page_col(pg, 0)->name, "id");
    ref = ref_rowids(db, q, &n);
    CHECK_INT(n, 2000);
    catalog_page_set_ahead(pg, 50);
    CHECK(query_pages_match(pg, ref, n, 7, 0));
    CHECK(query_pages_match(pg, ref, n, 100, 0));
    /* By row number: seek, AT, ordinal, fetch_rowid. */
    CHECK_INT(catalog_page_seek(pg, 1500, 3, &rows, &err), 0);
    CHECK_INT(rows.n_rows, 3);
    CHECK_INT(atoll(cell(&rows, 0, 0)), ref[1499]);
    CHECK_INT(catalog_page_ordinal(pg, &rows, 2, &ord, &err), 0);
    CHECK_INT(ord, 1502);
    CHECK_INT(catalog_page_fetch(pg, &rows, 1, CATALOG_PAGE_AT, 2, &m, &err), 0);
    CHECK_INT(atoll(cell(&m, 0, 0)), ref[1500]);
    CHECK_INT(catalog_page_fetch(pg, &rows, 0, CATALOG_PAGE_PREV, 5, &m, &err), 0);
    CHECK_INT(m.n_rows, 5);
    CHECK_INT(atoll(cell(&m, 4, 0)), ref[1498]);
    CHECK_INT(catalog_page_fetch_rowid(pg, 2000, &m, &err), 0);
    CHECK_INT(atoll(cell(&m, 0, 0)), ref[1999]);
    CHECK_INT(catalog_page_seek(pg, 1999, 10, &m, &err), 0);
    CHECK_INT(m.n_rows, 2); /* clipped at the end */
    free(ref);
    /* Sorted by v descending, NULLs last: the v column reads as SQLite's ORDER BY gives it. */
    CHECK_INT(catalog_page_set_order(pg, 1, CATALOG_PAGE_DESC, &err), 0);
    ref = ref_rowids(db, "SELECT coalesce(v, -1) FROM qt WHERE id % 3 <> 0 "
                         "ORDER BY v IS NULL, v DESC", &n);
    CHECK(query_pages_match(pg, ref, n, 13, 1));
    free(ref);
    /* Search, by the text SQLite prints: forward, from a row, backward, one column. */
    CHECK_INT(catalog_page_set_order(pg, 0, CATALOG_PAGE_NATURAL, &err), 0);
    CHECK_INT(catalog_page_search(pg, NULL, 0, CATALOG_PAGE_NEXT, "R2990", -1, &m, &err), 1);
    CHECK_INT(m.rowids[0], 7); /* 2999, 2998, 2996, 2995, 2993, 2992, 2990: the 7th */
    CHECK_INT(atoll(cell(&m, 0, 0)), 2990);
    CHECK_INT(catalog_page_fetch(pg, NULL, 0, CATALOG_PAGE_NEXT, 3, &rows, &err), 0);
    CHECK_INT(catalog_page_search(pg, &rows, 2, CATALOG_PAGE_NEXT, "299", 2, &m, &err), 1);
    CHECK_INT(atoll(cell(&m, 0, 0)), 2995); /* after row 3 (2996) */
    CHECK_INT(catalog_page_search(pg, &rows, 2, CATALOG_PAGE_PREV, "2999", -1, &m, &err), 1);
    CHECK_INT(m.rowids[0], 1);
    CHECK_INT(catalog_page_search(pg, NULL, 0, CATALOG_PAGE_PREV, "r1", 2, &m, &err), 1);
    CHECK_INT(atoll(cell(&m, 0, 0)), 1);
    CHECK_INT(catalog_page_search(pg, NULL, 0, CATALOG_PAGE_NEXT, "r3000", -1, &m, &err), 0);
    CHECK_INT(err.code, QE_OK);
    catalog_page_free(pg);
    /* Accepted: a trailing ';' and comment, VALUES, repeated names (sortable by number). */
    pg = open_query_ok(db, "  VALUES (2, 'b'), (1, NULL), (3, 'a') ; -- three rows");
    CHECK_INT(catalog_page_count(pg), 3);
    catalog_page_free(pg);
    pg = open_query_ok(db, "SELECT 2 AS a, 1 AS a UNION ALL SELECT 1, 2 -- no ;");
    CHECK_INT(catalog_page_set_order(pg, 1, CATALOG_PAGE_ASC, &err), 0);
    CHECK_INT(catalog_page_fetch(pg, NULL, 0, CATALOG_PAGE_NEXT, 5, &m, &err), 0);
    CHECK_INT(m.n_rows, 2);
    CHECK_STR(cell(&m, 0, 0), "2");
    catalog_page_free(pg);
    /* Refused: writes, two statements, no rows, not a query, bad SQL. */
    static const struct { const char *sql; enum qerr_code code; } bad[] = {
        {"INSERT INTO qt VALUES (1, 2)", QE_ARG},
        {"SELECT 1; SELECT 2", QE_ARG},
        {"PRAGMA table_info(qt)", QE_ARG},
        {"WITH x AS (SELECT 1) DELETE FROM qt", QE_ARG},
        {"SELECT nope FROM qt", QE_SQL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        pg = NULL;
        CHECK_INT(catalog_page_open_query(db, bad[i].sql, &pg, &err), -1);
        CHECK_INT(err.code, bad[i].code);
        CHECK(pg == NULL);
        qerr_clear(&err);
    }
    catalog_page_rows_release(&rows);
    catalog_page_rows_release(&m);
}

/* Open the frequency table of column col of pg and check its rows: values, counts, shares. */
static void
check_freq(sqlite3 *db, struct catalog_page *pg, int col, const char *const *want, int n_want)
{
    struct buf sql = BUF_INIT;
    struct catalog_page_rows rows;
    struct qerr err = QERR_INIT;
    catalog_page_rows_init(&rows);
    CHECK_INT(catalog_page_freq_sql(pg, col, &sql, &err), 0);
    struct catalog_page *f = open_query_ok(db, sql.data);
    CHECK_INT(catalog_page_count(f), n_want);
    CHECK_STR(catalog_page_col(f, 0)->name, "value");
    CHECK_STR(catalog_page_col(f, 1)->name, "count");
    CHECK_STR(catalog_page_col(f, 2)->name, "share");
    CHECK_INT(catalog_page_fetch(f, NULL, 0, CATALOG_PAGE_NEXT, 10, &rows, &err), 0);
    for (int r = 0; r < rows.n_rows && r < n_want; r++) {
        char line[128];
        snprintf(line, sizeof line, "%s %s %s", cell(&rows, r, 0), cell(&rows, r, 1),
                 cell(&rows, r, 2));
        CHECK_STR(line, want[r]);
    }
    catalog_page_rows_release(&rows);
    catalog_page_free(f);
    buf_release(&sql);
}

static void
test_freq(sqlite3 *db)
{
    struct catalog_page *pg;
    struct qerr err = QERR_INIT;
    exec(db, "CREATE TABLE fq(\"the value\" TEXT, n INTEGER)");
    exec(db, "INSERT INTO fq VALUES ('a', 1), ('b', 2), ('a', 1), (NULL, 3), ('a', 2), "
             "('c', 2), ('b', 1), ('a', 5)");
    /* a 4 of 8, b 2, then NULL and c once each (NULL sorts first among ties). */
    static const char *const by_text[] = {"a 4 0.5", "b 2 0.25", "NULL 1 0.125", "c 1 0.125"};
    struct buf sql = BUF_INIT;
    pg = open_ok(db, "fq");
    check_freq(db, pg, 0, by_text, 4);
    CHECK_INT(catalog_page_freq_sql(pg, 2, &sql, &err), -1);
    buf_release(&sql);
    CHECK_INT(err.code, QE_ARG);
    qerr_clear(&err);
    catalog_page_free(pg);
    /* Over a query, whose rows are the ones with n < 5: 7 rows; n = 1 three times, 2 three. */
    static const char *const by_n[] = {"1 3 0.4286", "2 3 0.4286", "3 1 0.1429"};
    pg = open_query_ok(db, "SELECT n, n FROM fq WHERE n < 5");
    CHECK_STR(catalog_page_col(pg, 1)->decl, "INTEGER"); /* straight from the table */
    check_freq(db, pg, 1, by_n, 3);
    catalog_page_free(pg);
}

int
main(void)
{
    sqlite3 *db = NULL;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK)
        return 2;
    test_text(db);
    test_open(db);
    test_paging_small(db);
    test_paging_big(db);
    test_search(db);
    test_widths(db);
    test_rowid(db);
    test_query(db);
    test_freq(db);
    sqlite3_close(db);
    return check_done("test_catalog_page");
}
