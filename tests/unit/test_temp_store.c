/*
 * test_temp_store.c: an in-memory catalog writes no temporary files
 * (issue 13: describe on 1.5M rows wrote about 4 million pages to
 * /var/tmp). A VFS that counts every temporary file SQLite opens (sort
 * runs, statement journals, temp databases) is made the default before
 * the catalog is opened, then work that spills past SQLite's 2 MB page
 * cache under the default temp_store runs on it:
 *
 *   1. after catalog_open: PRAGMA temp_store reads 2 (MEMORY); an ORDER
 *      BY, a GROUP BY, a DISTINCT and a CREATE INDEX over ~14 MB of text
 *      open no temporary file
 *   2. catalog_load of that workspace, saved (its checks and the copy
 *      open none), and after it, on the new connection, the same as 1
 * With the pragma removed from catalog.c, each of these opens one.
 * (Statement and savepoint journals of an in-memory database stay in
 * memory whatever temp_store says: SQLite's pager never spills them.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "check.h"
#include "data/catalog.h"

static sqlite3_vfs counting;
static sqlite3_vfs *real;
static int n_temp;

static int
counting_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
    if (flags & (SQLITE_OPEN_TEMP_DB | SQLITE_OPEN_TEMP_JOURNAL | SQLITE_OPEN_SUBJOURNAL |
                 SQLITE_OPEN_TRANSIENT_DB))
        n_temp++;
    return real->xOpen(real, name, f, flags, out);
}

static void
sql(struct catalog *cat, const char *s)
{
    struct qerr err = QERR_INIT;
    if (catalog_exec(catalog_db(cat), s, &err) < 0) {
        fprintf(stderr, "sql failed: %s: %s\n", s, err.msg);
        check_fail++;
    }
    qerr_clear(&err);
}

/* Step through every row of a query (so a sort runs to the end); returns the rows. */
static long long
rows_of(struct catalog *cat, const char *s)
{
    sqlite3_stmt *st = NULL;
    long long n = 0;
    if (sqlite3_prepare_v2(catalog_db(cat), s, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "prepare failed: %s: %s\n", s, sqlite3_errmsg(catalog_db(cat)));
        check_fail++;
        return -1;
    }
    while (sqlite3_step(st) == SQLITE_ROW)
        n++;
    sqlite3_finalize(st);
    return n;
}

static long long
number(struct catalog *cat, const char *s)
{
    sqlite3_stmt *st = NULL;
    long long v = -1;
    if (sqlite3_prepare_v2(catalog_db(cat), s, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

#define N_ROWS 100000

/* The work that spills under temp_store = FILE: each part must open no temporary file. */
static void
spill_work(struct catalog *cat, const char *when)
{
    fprintf(stderr, "  %s\n", when);
    CHECK_INT(number(cat, "PRAGMA temp_store"), 2);
    /* 100,000 rows of 140 bytes of text: 14 MB, seven times the page cache. */
    sql(cat, "DROP TABLE IF EXISTS big; CREATE TABLE big AS WITH RECURSIVE c(i) AS "
             "(SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 100000) "
             "SELECT i, hex(randomblob(70)) AS s FROM c");
    n_temp = 0;
    CHECK_INT(rows_of(cat, "SELECT s FROM big ORDER BY s"), N_ROWS);
    CHECK_INT(n_temp, 0);
    n_temp = 0;
    CHECK_INT(rows_of(cat, "SELECT s, count(*) FROM big GROUP BY s"), N_ROWS);
    CHECK_INT(n_temp, 0);
    n_temp = 0;
    CHECK_INT(rows_of(cat, "SELECT DISTINCT s FROM big"), N_ROWS);
    CHECK_INT(n_temp, 0);
    n_temp = 0;
    sql(cat, "CREATE INDEX big_s ON big(s)");
    CHECK_INT(n_temp, 0);
}

int
main(void)
{
    struct qerr err = QERR_INIT;
    struct catalog *cat = NULL;
    char path[64];

    real = sqlite3_vfs_find(NULL);
    counting = *real;
    counting.zName = "quarry-counting";
    counting.pNext = NULL;
    counting.xOpen = counting_open;
    sqlite3_vfs_register(&counting, 1);

    CHECK_OK(catalog_open(&cat, &err), err);
    spill_work(cat, "1. after catalog_open");

    snprintf(path, sizeof path, "/tmp/quarry_temp_store_%d.qdb", (int)getpid());
    CHECK_OK(catalog_save(cat, path, &err), err);
    catalog_free(cat);
    CHECK_OK(catalog_open(&cat, &err), err);
    n_temp = 0; /* reading it (quick_check, schema checks, the copy) spills nothing either */
    CHECK_OK(catalog_load(cat, path, &err), err);
    CHECK_INT(n_temp, 0);
    CHECK_INT(number(cat, "SELECT count(*) FROM big"), N_ROWS);
    spill_work(cat, "2. after catalog_load of a workspace");
    catalog_free(cat);
    unlink(path);
    snprintf(path + strlen(path), sizeof path - strlen(path), ".bak");
    unlink(path);
    qerr_clear(&err);
    sqlite3_vfs_unregister(&counting);
    return check_done("test_temp_store");
}
