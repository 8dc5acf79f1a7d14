/*
 * test_sql_cancel.c: the rewrite that makes a user SQL write stop at the
 * next row on Ctrl-C (commands/sql_cancel.h), text in and text out, each
 * expected string written by hand; and that each rewrite SQLite takes
 * gives the same table as the statement as typed, and raises once the flag
 * is set, leaving the transaction open.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "sql_cancel.h"

static void
wrap_is(const char *in, const char *want)
{
    char *got = sql_cancel_wrap(in, in + strlen(in));
    if (want)
        CHECK_STR(got, want);
    else
        CHECK_STR(got ? got : "(none)", "(none)");
    free(got);
}

static void
test_text(void)
{
    wrap_is("INSERT INTO t SELECT a FROM u", "INSERT INTO t SELECT * FROM (SELECT a FROM u) WHERE "
            "quarry_go() ");
    wrap_is("insert into main.t AS x (a, b) select 1, 2;",
            "insert into main.t AS x (a, b) SELECT * FROM (select 1, 2) WHERE quarry_go() ;");
    wrap_is("INSERT OR REPLACE INTO t WITH c AS (SELECT 1) SELECT * FROM c -- end",
            "INSERT OR REPLACE INTO t SELECT * FROM (WITH c AS (SELECT 1) SELECT * FROM c) WHERE "
            "quarry_go()  -- end");
    wrap_is("WITH c(i) AS (SELECT ')') REPLACE INTO t SELECT i FROM c ORDER BY i",
            "WITH c(i) AS (SELECT ')') REPLACE INTO t SELECT * FROM (SELECT i FROM c ORDER BY i) "
            "WHERE quarry_go() ");
    wrap_is("INSERT INTO t SELECT a FROM u WHERE true ON CONFLICT(a) DO NOTHING",
            "INSERT INTO t SELECT * FROM (SELECT a FROM u WHERE true) WHERE quarry_go()  ON "
            "CONFLICT(a) DO NOTHING");
    wrap_is("INSERT INTO t SELECT a /* ; returning */ FROM u RETURNING a",
            "INSERT INTO t SELECT * FROM (SELECT a /* ; returning */ FROM u) WHERE quarry_go()  "
            "RETURNING a");
    wrap_is("CREATE TABLE IF NOT EXISTS \"as\" AS SELECT 'AS' AS x",
            "CREATE TABLE IF NOT EXISTS \"as\" AS SELECT * FROM (SELECT 'AS' AS x) WHERE "
            "quarry_go() ");
    wrap_is("UPDATE t SET a = (SELECT max(b) FROM u WHERE u.k = t.k) WHERE a > 1 OR a < 0 "
            "RETURNING a",
            "UPDATE t SET a = (SELECT max(b) FROM u WHERE u.k = t.k) WHERE quarry_go() AND ( a > "
            "1 OR a < 0) RETURNING a");
    wrap_is("UPDATE OR IGNORE t SET a = CASE WHEN a THEN 1 END; -- c",
            "UPDATE OR IGNORE t SET a = CASE WHEN a THEN 1 END WHERE quarry_go(); -- c");
    wrap_is("WITH d AS (SELECT 1 AS k) DELETE FROM t WHERE k IN d",
            "WITH d AS (SELECT 1 AS k) DELETE FROM t WHERE quarry_go() AND ( k IN d)");
    /* left as typed */
    wrap_is("INSERT INTO t VALUES (1, 'SELECT')", NULL);
    wrap_is("INSERT INTO t DEFAULT VALUES", NULL);
    wrap_is("CREATE TABLE t (a AS (1), b)", NULL);
    wrap_is("DELETE FROM t", NULL);
    wrap_is("DELETE FROM t WHERE", NULL);
    wrap_is("INSERT INTO t SELECT (1", NULL);
    wrap_is("SELECT 1", NULL);
    static const char *const no = "INSERT INTO t VALUES ('select') -- select";
    CHECK_INT(sql_has_select(no, no + strlen(no)), 0);
    static const char *const yes = "INSERT INTO t /* x */ SELECT 1";
    CHECK_INT(sql_has_select(yes, yes + strlen(yes)), 1);
}

static int
one_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* As typed and rewritten: the same rows; with the flag set, an error, the transaction kept. */
static void
test_sqlite(void)
{
    static const char *const stmts[] = {
        "INSERT INTO t SELECT i * 2, 'x' || i FROM u WHERE i % 3 = 0 ORDER BY i DESC LIMIT 50",
        "CREATE TABLE n AS SELECT i, i * 1.5 AS r, 'v' || i, count(*) OVER () FROM u",
        "UPDATE u SET i = i + 1000 WHERE i % 2 = 0",
        "DELETE FROM u WHERE i > 100",
    };
    static volatile int flag;
    for (size_t k = 0; k < sizeof stmts / sizeof stmts[0]; k++) {
        int sums[2];
        for (int pass = 0; pass < 2; pass++) {
            sqlite3 *db = NULL;
            CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
            CHECK(sql_cancel_register(db, &flag) == SQLITE_OK);
            sqlite3_exec(db, "CREATE TABLE t(a INTEGER, b TEXT); CREATE TABLE u AS WITH RECURSIVE "
                         "c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 300) "
                         "SELECT i FROM c; BEGIN; INSERT INTO t VALUES (7, 'keep'); SAVEPOINT q1;",
                         NULL, NULL, NULL);
            const char *s = stmts[k];
            char *w = pass ? sql_cancel_wrap(s, s + strlen(s)) : NULL;
            CHECK(!pass || w != NULL);
            flag = 0;
            CHECK_INT(sqlite3_exec(db, w ? w : s, NULL, NULL, NULL), SQLITE_OK);
            sums[pass] = one_int(db, "SELECT (SELECT total(a) + count(*) FROM t) + (SELECT "
                                     "total(i) FROM u) + (SELECT count(*) FROM sqlite_schema)");
            if (w) {
                sqlite3_exec(db, "ROLLBACK TO q1", NULL, NULL, NULL);
                flag = 1;
                CHECK(sqlite3_exec(db, w, NULL, NULL, NULL) != SQLITE_OK);
                CHECK_STR(sqlite3_errmsg(db), SQL_CANCEL_MSG);
                CHECK_INT(sqlite3_get_autocommit(db), 0); /* the savepoint, and undo, stay */
                CHECK_INT(one_int(db, "SELECT count(*) FROM t WHERE b = 'keep'"), 1);
                flag = 0;
            }
            free(w);
            sqlite3_close(db);
        }
        CHECK_INT(sums[1], sums[0]);
    }
}

int
main(void)
{
    test_text();
    test_sqlite();
    return check_done("test_sql_cancel");
}
