/*
 * test_dispatch.c: statements are atomic. A failing statement, an
 * interrupted SQL query and an interrupted load leave the catalog exactly as
 * it was; undo goes back more than ten levels; the history records the
 * statements with their outcome. Every columns argument of every command
 * refuses a column named twice, with a caret under the second.
 */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "check.h"
#include "cmd.h"

static struct cmd_ctx ctx;
static volatile int stop_flag;

static int
run(const char *stmt, struct qerr *e)
{
    struct cmd_result res;
    result_init(&res);
    int rc = cmd_run(&ctx, stmt, &res, e);
    result_release(&res);
    return rc;
}

/* The single value of a query, as text ("" for none). */
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

#define CHECK_VALUE(sql, expected)                                                    \
    do {                                                                              \
        char *v_ = value(sql);                                                        \
        CHECK_STR(v_, expected);                                                      \
        free(v_);                                                                     \
    } while (0)

static const char *schema_sql =
    "SELECT group_concat(name || ':' || sql, ';') FROM sqlite_schema ORDER BY name";

static int
cancel_after(void *arg, double fraction)
{
    (void)arg;
    return fraction > 0.3 || stop_flag;
}

static void
test_atomic(void)
{
    struct qerr e = QERR_INIT;
    CHECK_OK(run("CREATE TABLE t(a INTEGER, b TEXT); INSERT INTO t VALUES (1, 'x'), (2, 'y');", &e),
             e);
    char *before = value(schema_sql);
    /* The second statement of the chunk fails: the first is rolled back too. */
    CHECK(run("INSERT INTO t VALUES (3, 'z'); CREATE TABLE u(x); INSERT INTO nosuch VALUES (1);",
              &e) < 0);
    CHECK_INT(e.code, QE_SQL);
    qerr_clear(&e);
    CHECK_VALUE("SELECT count(*) FROM t", "2");
    char *after = value(schema_sql);
    CHECK_STR(after, before);
    free(after);
    /* A command that fails after its checks passed changes nothing either. */
    CHECK(run("load tests/data/ragged.csv as t2", &e) < 0);
    qerr_clear(&e);
    after = value(schema_sql);
    CHECK_STR(after, before);
    free(after);
    free(before);
}

static void
test_interrupt(void)
{
    struct qerr e = QERR_INIT;
    char *before = value(schema_sql);
    stop_flag = 1;
    CHECK(run("WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
              "FROM c WHERE i < 100000000) SELECT count(*) FROM c",
              &e) < 0);
    CHECK_INT(e.code, QE_INTERRUPT);
    CHECK_STR(e.msg, "interrupted; the catalog is unchanged");
    qerr_clear(&e);
    stop_flag = 0;
    /* A load cancelled through the progress callback, a third of the way in. */
    ctx.progress = cancel_after;
    CHECK(run("load sample-data/events.csv as ev", &e) < 0);
    CHECK_INT(e.code, QE_INTERRUPT);
    qerr_clear(&e);
    ctx.progress = NULL;
    char *after = value(schema_sql);
    CHECK_STR(after, before);
    free(after);
    /*
     * A write cannot be cancelled half-way without SQLite dropping every undo
     * level, so it runs to its end and then only its own savepoint is rolled
     * back: the earlier levels survive.
     */
    int depth = catalog_undo_depth(ctx.cat);
    stop_flag = 1;
    CHECK(run("CREATE TABLE big AS WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
              "FROM c WHERE i < 1000) SELECT i FROM c",
              &e) < 0);
    CHECK_INT(e.code, QE_INTERRUPT);
    qerr_clear(&e);
    stop_flag = 0;
    CHECK_INT(catalog_undo_depth(ctx.cat), depth);
    after = value(schema_sql);
    CHECK_STR(after, before);
    free(after);
    free(before);
    CHECK_OK(run("SELECT count(*) FROM t", &e), e);
}

static void
test_undo_depth(void)
{
    struct qerr e = QERR_INIT;
    CHECK_OK(run("CREATE TABLE n(i INTEGER)", &e), e);
    for (int i = 1; i <= 25; i++) {
        char sql[64];
        snprintf(sql, sizeof sql, "INSERT INTO n VALUES (%d)", i);
        CHECK_OK(run(sql, &e), e);
        CHECK_OK(run("SELECT count(*) FROM n", &e), e); /* read-only: no undo level */
    }
    CHECK_VALUE("SELECT sum(i) FROM n", "325");
    for (int i = 25; i > 5; i--)
        CHECK_OK(run("undo", &e), e);
    CHECK_VALUE("SELECT sum(i) FROM n", "15");
    for (int i = 5; i >= 1; i--)
        CHECK_OK(run("undo", &e), e);
    CHECK_VALUE("SELECT count(*) FROM n", "0");
    CHECK_OK(run("undo", &e), e); /* the CREATE */
    CHECK_VALUE("SELECT count(*) FROM sqlite_schema WHERE name = 'n'", "0");
    CHECK_INT(e.code, QE_OK);
}

static void
test_history(void)
{
    int n = ctx.n_hist;
    struct qerr e = QERR_INIT;
    CHECK_OK(run("head t n=1", &e), e);
    CHECK(run("head t n=zz", &e) < 0);
    qerr_clear(&e);
    CHECK_INT(ctx.n_hist, n + 2);
    CHECK_STR(ctx.hist[n].text, "head t n=1");
    CHECK_INT(ctx.hist[n].ok, 1);
    CHECK_INT(ctx.hist[n + 1].ok, 0);
}

/*
 * Walk the command table: each ARG_COLUMNS key of each command, given
 * "a,b,A", is refused before the handler runs (a column fitted or written
 * twice failed half-way, issue 14), with the caret under the second 'A'.
 */
static void
test_columns_twice(void)
{
    struct qerr e = QERR_INIT;
    CHECK_INT(run("CREATE TABLE twice (a REAL, b REAL)", &e), 0);
    int walked = 0;
    for (int i = 0; i < cmd_table_len; i++) {
        const struct cmd_entry *c = cmd_table[i];
        for (int k = 0; c->args && c->args[k].name; k++) {
            const struct arg_spec *sp = &c->args[k];
            if (sp->type != ARG_COLUMNS || sp->positional)
                continue;
            struct buf st = BUF_INIT;
            buf_adds(&st, c->name);
            for (int j = 0; c->args[j].name; j++) {
                const struct arg_spec *p = &c->args[j];
                if (!p->positional)
                    continue;
                if (p->type == ARG_TABLE)
                    buf_adds(&st, " twice");
                else if (p->type == ARG_ENUM)
                    buf_addf(&st, " %.*s", (int)strcspn(p->choices, "|"), p->choices);
                else if (p->type == ARG_COLUMN || p->type == ARG_COLUMNS)
                    buf_adds(&st, " a");
                else if (p->type == ARG_INT || p->type == ARG_REAL)
                    buf_addf(&st, " %g", p->min < p->max ? p->min : 1.0);
                else
                    buf_adds(&st, " x");
            }
            buf_addf(&st, " %s=a,b,A", sp->name);
            int caret = (int)st.len - 1;
            CHECK_INT(run(st.data, &e), -1);
            struct buf want = BUF_INIT;
            buf_addf(&want, "column 'A' is named twice in %s=; name each column once", sp->name);
            if (!e.msg || strcmp(e.msg, want.data) != 0)
                fprintf(stderr, "statement: %s\n", st.data);
            CHECK_STR(e.msg, want.data);
            CHECK_INT(e.pos, caret);
            qerr_clear(&e);
            buf_release(&want);
            buf_release(&st);
            walked++;
        }
    }
    CHECK(walked >= 8); /* cluster, clean (2), normalize (3), elbow, plot (2), profile ... */
    CHECK_INT(run("drop twice", &e), 0);
}

int
main(void)
{
    struct qerr e = QERR_INIT;
    if (ctx_init(&ctx, &e) < 0)
        return 1;
    ctx.interrupted = &stop_flag;
    test_atomic();
    test_interrupt();
    test_undo_depth();
    test_history();
    test_columns_twice();
    ctx_release(&ctx);
    return check_done("test_dispatch");
}
