/*
 * test_kit_dated.c: kit_read_dated (commands/kit.c) reads a column table
 * whose columns are all declared INTEGER or REAL in one pass, the dates
 * with them (FRAME_TIMES), and gives what two reads gave: rfm over the
 * column table writes the same table as over its ordinary twin (read the
 * two-read way), bad and NULL dates included, and the unparsed date's
 * example names the same value. The passes are counted as the direct
 * reads of the arrays (coltab_view's statement, seen by sqlite3_trace_v2).
 * A text customer column still takes two reads, with the same answer.
 */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "check.h"
#include "cmd.h"
#include "data/coltab.h"

static struct cmd_ctx ctx;
static int views; /* coltab_view statements run: direct reads of a column table */

static int
on_trace(unsigned type, void *arg, void *p, void *x)
{
    (void)type;
    (void)arg;
    (void)x;
    const char *sql = sqlite3_sql((sqlite3_stmt *)p);
    if (sql && strstr(sql, "quarry_put = ?1"))
        views++;
    return 0;
}

static void
exec(const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(catalog_db(ctx.cat), sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        printf("exec failed: %s: %s\n", sql, msg);
    CHECK_INT(rc, SQLITE_OK);
    sqlite3_free(msg);
}

static char *
value(const char *sql)
{
    sqlite3_stmt *st = NULL;
    char *out = NULL;
    if (sqlite3_prepare_v2(catalog_db(ctx.cat), sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        out = xstrdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out ? out : xstrdup("");
}

/* Run stmt; its result text (the lines quarry prints) in *text, malloc'd. */
static int
run(const char *stmt, char **text)
{
    struct cmd_result res;
    struct qerr e = QERR_INIT;
    result_init(&res);
    int rc = cmd_run(&ctx, stmt, &res, &e);
    if (rc < 0)
        printf("failed: %s: %s\n", stmt, e.msg);
    struct buf b = BUF_INIT;
    buf_adds(&b, "");
    for (int i = 0; i < res.n_items; i++)
        if (res.items[i].text)
            buf_addf(&b, "%s\n", res.items[i].text);
    *text = buf_detach(&b);
    qerr_clear(&e);
    result_release(&res);
    return rc;
}

static const char *rows_sql =
    "INSERT INTO %s(rowid, c, d, a) VALUES (1, 7, '2024-01-02', 10), (2, 8, '2024-01-05', 2.5),"
    "(4, 7, '2024-01-09T10:00:00', 4), (5, 9, 'soon', 1), (6, 8, NULL, 3), (9, 9, '2024-01-03', 6),"
    "(10, 7, '2024-01-10', NULL)";

static void
make(const char *name, int columns, const char *ctype)
{
    char sql[512];
    snprintf(sql, sizeof sql, columns ? "CREATE VIRTUAL TABLE %s USING columns(c %s, d TEXT, a REAL)"
                                      : "CREATE TABLE %s (c %s, d TEXT, a REAL)",
             name, ctype);
    exec(sql);
    snprintf(sql, sizeof sql, rows_sql, name);
    exec(sql);
}

/* rfm over the column table col and the ordinary table ord: the same table, the same words. */
static void
same_rfm(const char *col, const char *ord, int want_views)
{
    char stmt[256], *tc = NULL, *to = NULL;
    snprintf(stmt, sizeof stmt, "rfm %s customer=c date=d amount=a asof=2024-01-11 as %s_r", col,
             col);
    views = 0;
    CHECK_INT(run(stmt, &tc), 0);
    CHECK_INT(views, want_views);
    snprintf(stmt, sizeof stmt, "rfm %s customer=c date=d amount=a asof=2024-01-11 as %s_r", ord,
             ord);
    CHECK_INT(run(stmt, &to), 0);
    /* the words name the table; the rest is the same */
    char *a = strstr(tc, "\n"), *b = strstr(to, "\n");
    CHECK_STR(a ? a : tc, b ? b : to);
    CHECK_HAS(tc, "soon");
    free(tc);
    free(to);
    char q[512];
    snprintf(q, sizeof q, "SELECT (SELECT count(*) FROM (SELECT * FROM %s_r EXCEPT SELECT * FROM "
             "%s_r)) || ':' || (SELECT count(*) FROM %s_r) || ':' || (SELECT count(*) FROM %s_r)",
             col, ord, col, ord);
    char *v = value(q);
    CHECK_STR(v, "0:3:3");
    free(v);
}

int
main(void)
{
    struct qerr e = QERR_INIT;
    if (ctx_init(&ctx, &e) < 0)
        return 1;
    CHECK_OK(coltab_register(catalog_db(ctx.cat), &e), e);
    sqlite3_trace_v2(catalog_db(ctx.cat), SQLITE_TRACE_STMT, on_trace, NULL);
    make("tc", 1, "INTEGER");
    make("tr", 0, "INTEGER");
    same_rfm("tc", "tr", 1);
    /* a text customer: read as text, so two reads */
    make("uc", 1, "TEXT");
    make("ur", 0, "TEXT");
    same_rfm("uc", "ur", 2);
    ctx_release(&ctx);
    return check_done("test_kit_dated");
}
