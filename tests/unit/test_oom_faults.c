/*
 * test_oom_faults.c: allocation failures injected site by site into the
 * loaders and the commands that write the catalog (issue 14). For each
 * statement (load of a CSV, an ARFF, a JSON file, a gzip CSV, a whole
 * file read at once; open of a workspace; derive, clean, normalize,
 * cluster) the checked allocations it makes are counted first
 * (fault_oom_arm with LLONG_MAX counts without failing), then the
 * statement runs again once for each N = 1 .. count with the Nth failing:
 * each run must fail with "out of memory" (QE_NOMEM), and leave the
 * catalog exactly as before (every table's schema and every cell, compared
 * as text) with the undo history whole (its depth, and undo still reverts
 * the statement before). Then, without a fault, the statement works.
 * Sanitizers and LeakSanitizer watch every run (make test).
 *
 * The allocations counted are mem.h's checked ones (WHO "*"); buf.h's x*
 * helpers go to the front end's handler, which ends the process
 * (tests/sh/oom.sh), and SQLite's own allocations are not injected here.
 * Where a statement makes more than MAX_RUNS checked allocations, N is
 * sampled with a stride (first, last and evenly between), said on stdout.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/fault.h"
#include "check.h"
#include "cmd.h"

#define MAX_RUNS 60

static struct cmd_ctx ctx;

/*
 * SQLite's own allocations, failed the same way: the test installs an
 * allocator (SQLITE_CONFIG_MALLOC) whose Nth call while armed returns NULL.
 */
static sqlite3_mem_methods sq_base;
static long long sq_nth, sq_seen;

static int
sq_fail(void)
{
    return sq_nth && ++sq_seen == sq_nth;
}

static void *
sq_malloc(int n)
{
    return sq_fail() ? NULL : sq_base.xMalloc(n);
}

static void *
sq_realloc(void *p, int n)
{
    return sq_fail() ? NULL : sq_base.xRealloc(p, n);
}

static void
sq_arm(long long nth)
{
    sq_seen = 0;
    sq_nth = nth;
}

static int
run(const char *stmt, struct qerr *e)
{
    struct cmd_result res;
    result_init(&res);
    int rc = cmd_run(&ctx, stmt, &res, e);
    result_release(&res);
    return rc;
}

/* Every table's schema and every cell, as text: the catalog as the user sees it. */
static char *
dump(void)
{
    struct buf b;
    buf_init(&b);
    sqlite3 *db = catalog_db(ctx.cat);
    sqlite3_stmt *names = NULL;
    if (sqlite3_prepare_v2(db, "SELECT name, sql FROM sqlite_schema ORDER BY type, name", -1,
                           &names, NULL) != SQLITE_OK)
        return xstrdup("(no schema)");
    while (sqlite3_step(names) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(names, 0);
        const char *sql = (const char *)sqlite3_column_text(names, 1);
        buf_addf(&b, "%s: %s\n", name, sql ? sql : "");
        char *q = sqlite3_mprintf("SELECT * FROM \"%w\" ORDER BY rowid", name);
        sqlite3_stmt *rows = NULL;
        if (q && sqlite3_prepare_v2(db, q, -1, &rows, NULL) == SQLITE_OK)
            while (sqlite3_step(rows) == SQLITE_ROW) {
                for (int c = 0; c < sqlite3_column_count(rows); c++) {
                    const char *v = (const char *)sqlite3_column_text(rows, c);
                    if (strcmp(sqlite3_column_name(rows, c), "created") == 0 &&
                        strncmp(name, "quarry_", 7) == 0)
                        v = "(the time it was stored)";
                    buf_addf(&b, "%s|", v ? v : "NULL");
                }
                buf_addc(&b, '\n');
            }
        sqlite3_finalize(rows);
        sqlite3_free(q);
    }
    sqlite3_finalize(names);
    return buf_detach(&b);
}

/*
 * The statement stmt, with each checked allocation it makes failing in
 * turn. A run either fails with "out of memory" and leaves the catalog and
 * the undo history as they were, or (where the code has a way around the
 * allocation: a smaller buffer, a slower path) succeeds with the same
 * catalog as without the fault, and is undone.
 */
static void
each_failure(const char *what, const char *stmt)
{
    struct qerr e = QERR_INIT;
    char *before = dump();
    int depth = catalog_undo_depth(ctx.cat);

    fault_oom_arm("*", LLONG_MAX);
    int rc = run(stmt, &e);
    long long count = fault_oom_count();
    fault_oom_arm("*", 0);
    CHECK_OK(rc, e);
    qerr_clear(&e);
    char *done = dump();
    CHECK_OK(run("undo", &e), e);
    qerr_clear(&e);
    /* and the bookkeeping the front end's handler answers (oom_faults.sh fails those) */
    fault_oom_arm("buf", LLONG_MAX);
    CHECK_OK(run(stmt, &e), e);
    long long small = fault_oom_count();
    fault_oom_arm("buf", 0);
    qerr_clear(&e);
    CHECK_OK(run("undo", &e), e);
    qerr_clear(&e);

    long long stride = count > MAX_RUNS ? (count + MAX_RUNS - 1) / MAX_RUNS : 1;
    int failed = 0;
    for (long long n = 1; n <= count; n = n + stride > count && n != count ? count : n + stride) {
        fault_oom_arm("*", n);
        rc = run(stmt, &e);
        fault_oom_arm("*", 0);
        char *after = dump();
        if (rc == 0) {
            /* the way around the failure: the statement's own result, and no error left */
            CHECK(e.msg == NULL);
            if (e.msg)
                fprintf(stderr, "%s: allocation %lld: succeeded with an error set: %s\n",
                        what, n, e.msg);
            CHECK_STR(after, done);
            CHECK_INT(catalog_undo_depth(ctx.cat), depth + 1);
            qerr_clear(&e);
            CHECK_OK(run("undo", &e), e);
        } else {
            failed++;
            if (e.code != QE_NOMEM)
                fprintf(stderr, "%s: allocation %lld of %lld: %s\n", what, n, count,
                        e.msg ? e.msg : "(no message)");
            CHECK_INT(e.code, QE_NOMEM);
            CHECK(e.msg && strncmp(e.msg, "out of memory: ", 15) == 0);
            CHECK_STR(after, before);
            CHECK_INT(catalog_undo_depth(ctx.cat), depth);
        }
        qerr_clear(&e);
        free(after);
    }
    printf("  %-22s %4lld checked allocations, %d runs failed cleanly%s; %lld small ones\n",
           what, count, failed, stride > 1 ? " (N sampled with a stride, the last included)" : "",
           small);
    free(before);
    free(done);
}

/* A fresh session holding table s (with missing values) and one undo level. */
static void
fresh(void)
{
    struct qerr e = QERR_INIT;
    ctx_release(&ctx);
    CHECK_OK(ctx_init(&ctx, &e), e);
    CHECK_OK(run("CREATE TABLE s(id INTEGER, a REAL, b INTEGER, g TEXT); INSERT INTO s "
                 "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
                 "FROM c WHERE i < 400) SELECT i AS id, (i * 37) % 101 + 0.5 AS a, "
                 "CASE WHEN i % 9 = 0 THEN NULL ELSE (i * 53) % 89 END AS b, "
                 "CASE i % 3 WHEN 0 THEN 'x' WHEN 1 THEN 'y' ELSE NULL END AS g FROM c",
                 &e),
             e);
    qerr_clear(&e);
}

/* After every fault: undo still reverts the statement before (the CREATE TABLE s). */
static void
undo_whole(void)
{
    struct qerr e = QERR_INIT;
    CHECK_OK(run("undo", &e), e);
    qerr_clear(&e);
    sqlite3_stmt *st = NULL;
    CHECK(sqlite3_prepare_v2(catalog_db(ctx.cat), "SELECT count(*) FROM sqlite_schema WHERE "
                             "name = 's'", -1, &st, NULL) == SQLITE_OK);
    CHECK(sqlite3_step(st) == SQLITE_ROW);
    CHECK_INT(sqlite3_column_int(st, 0), 0);
    sqlite3_finalize(st);
}

static void
test_loaders(const char *dir)
{
    char big[512], stmt[1100];
    snprintf(big, sizeof big, "%s/big.csv", dir);
    FILE *f = fopen(big, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs("k,v,s\n", f);
    for (int i = 0; i < 30000; i++)
        fprintf(f, "%d,%d.25,row %d\n", i, 3 * i, i);
    fclose(f);

    static const struct {
        const char *what, *stmt;
    } loads[] = {
        {"load CSV", "load tests/data/iris.csv as t"},
        {"load CSV, quoted", "load tests/data/people.csv as t"},
        {"load ARFF", "load tests/data/weather.arff as t"},
        {"load ARFF gzip", "load tests/data/sources/weather.arff.gz as t"},
        {"load JSON", "load tests/data/sources/people.json as t"},
        {"load JSON lines gzip", "load tests/data/sources/events.jsonl.gz as t"},
        {"load CSV gzip", "load tests/data/sources/" "orders.csv.gz as t"},
        {"load TSV gzip", "load tests/data/sources/pairs.tsv.gz as t"},
        {"load Latin-1 CSV", "load tests/data/sources/latin1.csv as t encoding=latin1"},
    };
    for (size_t i = 0; i < sizeof loads / sizeof loads[0]; i++) {
        fresh();
        each_failure(loads[i].what, loads[i].stmt);
        undo_whole();
    }
    fresh();
    snprintf(stmt, sizeof stmt, "load %s as t", big);
    each_failure("load CSV, 30000 rows", stmt);
    undo_whole();
}

static void
test_open(const char *dir)
{
    char ws[512], stmt[1100];
    struct qerr e = QERR_INIT;
    snprintf(ws, sizeof ws, "%s/w.qdb", dir);
    fresh();
    CHECK_OK(run("load tests/data/iris.csv as iris", &e), e);
    qerr_clear(&e);
    snprintf(stmt, sizeof stmt, "save %s", ws);
    CHECK_OK(run(stmt, &e), e);
    qerr_clear(&e);
    fresh();
    snprintf(stmt, sizeof stmt, "open %s", ws);
    /* open replaces the session: only a failure can be undone, so count it by hand */
    fault_oom_arm("*", LLONG_MAX);
    int rc = run(stmt, &e);
    long long count = fault_oom_count();
    fault_oom_arm("*", 0);
    CHECK_OK(rc, e);
    qerr_clear(&e);
    printf("  %-22s %4lld checked allocations\n", "open workspace", count);
    fresh();
    char *before = dump();
    for (long long n = 1; n <= count; n++) {
        fault_oom_arm("*", n);
        rc = run(stmt, &e);
        fault_oom_arm("*", 0);
        CHECK(rc < 0);
        CHECK_INT(e.code, QE_NOMEM);
        qerr_clear(&e);
        char *after = dump();
        CHECK_STR(after, before);
        free(after);
    }
    free(before);
    undo_whole();
}

static void
test_commands(void)
{
    static const struct {
        const char *what, *stmt;
    } cmds[] = {
        {"derive", "derive s c=a*2+b"},
        {"clean missing=mean", "clean s missing=mean"},
        {"clean missing=knn", "clean s cols=a,b missing=knn k=3"},
        {"clean dedupe", "clean s dedupe=yes"},
        {"normalize in place", "normalize s cols=a,b method=zscore"},
        {"normalize as", "normalize s cols=a,b method=robust as n"},
        {"cluster kmeans", "cluster s cols=a,b k=3 seed=1"},
        {"cluster hierarchical", "cluster s cols=a,b k=3 method=hierarchical"},
        {"cluster dbscan", "cluster s cols=a,b method=dbscan eps=5"},
    };
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        fresh();
        each_failure(cmds[i].what, cmds[i].stmt);
        undo_whole();
    }
}

/*
 * SQLite's own allocations failed in turn (sampled: a statement makes
 * hundreds to thousands). Out of memory makes SQLite roll back the whole
 * transaction in most places, a read included, and the catalog's undo
 * levels are that transaction: so here a failing run must return an
 * error, and either leave the catalog and undo as they were or tell the
 * user that every unsaved change is gone (the hint rollback() adds). A
 * loss the user is not told of counts as silent; known silent losses (the
 * loaders, RELIABILITY.md) are printed, not failed (may_be_silent).
 */
static void
sqlite_failures(const char *what, const char *stmt, int may_be_silent)
{
    struct qerr e = QERR_INIT;
    char *before = dump();
    int depth = catalog_undo_depth(ctx.cat);
    sq_arm(LLONG_MAX);
    int rc = run(stmt, &e);
    long long count = sq_seen;
    sq_arm(0);
    CHECK_OK(rc, e);
    qerr_clear(&e);
    char *done = dump();
    CHECK_OK(run("undo", &e), e);
    qerr_clear(&e);
    long long stride = count > 25 ? count / 25 : 1;
    int failed = 0, told = 0, silent = 0;
    for (long long n = 1; n <= count; n += stride) {
        sq_arm(n);
        rc = run(stmt, &e);
        sq_arm(0);
        char *after = dump();
        if (rc == 0 && strcmp(after, done) != 0 && may_be_silent) {
            /* success said, yet the tables before it are gone (known, RELIABILITY.md) */
            silent++;
            fprintf(stderr, "%s: SQLite allocation %lld of %lld: success said, the catalog "
                    "before it lost (known)\n", what, n, count);
            fresh();
        } else if (rc == 0) {
            CHECK_STR(after, done);
            CHECK_OK(run("undo", &e), e);
        } else {
            failed++;
            CHECK(e.msg != NULL);
            if (strcmp(after, before) != 0 || catalog_undo_depth(ctx.cat) != depth) {
                if ((e.hint && strstr(e.hint, "SQLite rolled back")) ||
                    (e.msg && strstr(e.msg, "SQLite rolled back"))) {
                    told++;
                } else {
                    silent++;
                    fprintf(stderr, "%s: SQLite allocation %lld of %lld: %s; the catalog "
                            "changed and the user was not told%s\n", what, n, count,
                            e.msg ? e.msg : "(no message)", may_be_silent ? " (known)" : "");
                }
                fresh(); /* start again from the same catalog */
            }
        }
        qerr_clear(&e);
        free(after);
    }
    if (!may_be_silent)
        CHECK_INT(silent, 0);
    printf("  %-22s %5lld SQLite allocations, %d sampled: %d failed, %d of them losing the "
           "transaction (told), %d silently%s\n", what, count,
           (int)((count + stride - 1) / stride), failed, told, silent,
           may_be_silent && silent ? " (known)" : "");
    free(before);
    free(done);
}

static void
test_sqlite_allocs(void)
{
    static const struct {
        const char *what, *stmt;
        int may_be_silent;
    } cmds[] = {
        {"load CSV", "load tests/data/iris.csv as t", 0},
        {"load ARFF", "load tests/data/weather.arff as t", 0},
        {"derive", "derive s c=a*2+b", 0},
        {"clean missing=mean", "clean s missing=mean", 0},
        {"normalize in place", "normalize s cols=a,b method=zscore", 0},
        {"cluster kmeans", "cluster s cols=a,b k=3 seed=1", 0},
        {"SQL UPDATE", "UPDATE s SET a = a + 1", 0},
        {"SQL INSERT SELECT", "INSERT INTO s SELECT * FROM s", 0},
    };
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        fresh();
        sqlite_failures(cmds[i].what, cmds[i].stmt, cmds[i].may_be_silent);
        undo_whole();
    }
}

int
main(void)
{
    struct qerr e = QERR_INIT;
    CHECK(sqlite3_config(SQLITE_CONFIG_GETMALLOC, &sq_base) == SQLITE_OK);
    sqlite3_mem_methods m = sq_base;
    m.xMalloc = sq_malloc;
    m.xRealloc = sq_realloc;
    CHECK(sqlite3_config(SQLITE_CONFIG_MALLOC, &m) == SQLITE_OK);
    char dir[] = "/tmp/quarry-oom-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    CHECK_OK(ctx_init(&ctx, &e), e);
    test_loaders(dir);
    test_open(dir);
    test_commands();
    test_sqlite_allocs();
    ctx_release(&ctx);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
    return check_done("test_oom_faults");
}
