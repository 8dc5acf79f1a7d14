/*
 * test_coltab_undo.c: column tables in the catalog's undo (coltab_undo.c,
 * catalog.c): dropped tables counted by the undo memory bound and freed
 * once nothing can bring them back, and renames undone.
 *
 * Plan:
 *   1. a big column table replaced again and again (DROP, then CREATE of
 *      the same name, as a command's re-run does), one undo level each:
 *      every dropped table's arrays are counted by catalog_undo_bytes
 *      (coltab_dropped_bytes moves by at least a table's cells each
 *      time); undo brings back the previous table's own rows; the undo
 *      bound, applied as the dispatcher applies it (catalog_forget_undo
 *      past the limit), keeps the count under the limit, and forgetting
 *      frees the dropped arrays (coltab_dropped_bytes 0; ASan's count of
 *      heap bytes falls by them and stays bounded over the whole run)
 *   2. ALTER TABLE ... RENAME of a column table inside a statement rolled
 *      back, or undone later, at one depth and nested: the table is back
 *      under its old name with its rows and takes writes; a new table
 *      made under the old name in the same level goes; a committed rename
 *      stays
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "check.h"
#include "data/catalog.h"
#include "data/coltab.h"

#if defined(__SANITIZE_ADDRESS__)
/* ASan's own count of the bytes malloc'd and not freed (its allocator_interface.h) */
size_t __sanitizer_get_current_allocated_bytes(void);
#define HEAP_BYTES() ((long long)__sanitizer_get_current_allocated_bytes())
#endif

static struct catalog *cat;

static void
exec(const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(catalog_db(cat), sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        printf("exec failed: %s: %s\n", sql, msg);
    CHECK_INT(rc, SQLITE_OK);
    sqlite3_free(msg);
}

/* One statement of the catalog: its own undo level. */
static void
statement(const char *sql)
{
    struct qerr e = QERR_INIT;
    CHECK_OK(catalog_begin(cat, &e), e);
    exec(sql);
    CHECK_OK(catalog_commit(cat, 1, &e), e);
}

/* The one value of sql as text ("error" when it fails). */
static char *
value(const char *sql)
{
    sqlite3_stmt *st = NULL;
    char *out = NULL;
    if (sqlite3_prepare_v2(catalog_db(cat), sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        out = xstrdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out ? out : xstrdup("error");
}

static void
check_value(const char *sql, const char *want)
{
    char *got = value(sql);
    if (strcmp(got, want) != 0)
        printf("  %s\n", sql);
    CHECK_STR(got, want);
    free(got);
}

#define ROWS 50000
/* 50,000 rows of two REALs and a 40-byte text: about 3 MB of cells */
static void
replace_big(int k)
{
    char sql[512];
    snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS big; "
             "CREATE VIRTUAL TABLE big USING columns(k INTEGER, x REAL, s TEXT); "
             "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) "
             "INSERT INTO big SELECT %d, i * 0.5, printf('%%040d', i) FROM n", ROWS, k);
    statement(sql);
}

static void
test_dropped_bound(void)
{
    struct qerr e = QERR_INIT;
    /* a table's cells: 8 + 1 bytes a cell, three columns, the rowid and live flag, the text */
    const long long one = (long long)ROWS * (3 * 9 + 9 + 40);
#ifdef HEAP_BYTES
    long long heap0 = HEAP_BYTES();
#endif
    replace_big(1);
    CHECK_INT(coltab_dropped_bytes(catalog_db(cat)), 0);
    long long base = catalog_undo_bytes(cat);
    replace_big(2);
    replace_big(3);
    /* two dropped tables, each counted */
    long long dropped = coltab_dropped_bytes(catalog_db(cat));
    CHECK(dropped >= 2 * one);
    CHECK(catalog_undo_bytes(cat) - base >= 2 * one);
    check_value("SELECT min(k) || ':' || count(*) FROM big", "3:50000");
    /* undo brings back table 2's own rows, then table 1's */
    CHECK_OK(catalog_undo(cat, &e), e);
    check_value("SELECT min(k) || ':' || count(*) FROM big", "2:50000");
    CHECK_OK(catalog_undo(cat, &e), e);
    check_value("SELECT min(k) || ':' || max(k) || ':' || sum(x) FROM big", "1:1:625012500.0");
    /* the tables made by the undone statements can never come back: freed */
    CHECK(coltab_dropped_bytes(catalog_db(cat)) < one);

    /* the bound as the dispatcher applies it (undo_guard): forgotten past the limit */
    const long long limit = 3 * one;
    long long most = 0;
    int forgot = 0;
    for (int k = 4; k < 16; k++) {
        replace_big(k);
        long long held = catalog_undo_bytes(cat);
        if (held > limit) {
#ifdef HEAP_BYTES
            long long before = HEAP_BYTES();
#endif
            long long was = coltab_dropped_bytes(catalog_db(cat));
            CHECK(was >= 3 * one);
            CHECK_OK(catalog_forget_undo(cat, &e), e);
            forgot++;
            /* the dropped tables are freed, not only forgotten */
            CHECK_INT(coltab_dropped_bytes(catalog_db(cat)), 0);
            CHECK(catalog_undo_bytes(cat) < limit);
#ifdef HEAP_BYTES
            CHECK(before - HEAP_BYTES() >= was * 9 / 10);
#endif
            held = catalog_undo_bytes(cat);
        }
        most = held > most ? held : most;
        char want[32];
        snprintf(want, sizeof want, "%d:%d", k, ROWS);
        check_value("SELECT min(k) || ':' || count(*) FROM big", want);
    }
    CHECK(forgot >= 3);
    CHECK(most <= limit);
#ifdef HEAP_BYTES
    /* over twelve replacements the heap holds at most the limit, the live table and slack */
    CHECK(HEAP_BYTES() - heap0 < limit + 2 * one);
#endif
    check_value("SELECT min(k) || ':' || count(*) FROM big", "15:50000");
    CHECK_OK(catalog_forget_undo(cat, &e), e);
    statement("DROP TABLE big");
    CHECK_OK(catalog_forget_undo(cat, &e), e);
    CHECK_INT(coltab_dropped_bytes(catalog_db(cat)), 0);
}

static void
test_rename(void)
{
    struct qerr e = QERR_INIT;
    statement("CREATE VIRTUAL TABLE rn USING columns(i INTEGER, s TEXT); "
              "INSERT INTO rn VALUES (1, 'a'), (2, 'b'), (3, 'c')");
    const char *rows = "SELECT group_concat(i || s, ' ') FROM rn";
    /* a statement that renames and then fails */
    CHECK_OK(catalog_begin(cat, &e), e);
    exec("UPDATE rn SET s = 'z' WHERE i = 2; ALTER TABLE rn RENAME TO rn2");
    check_value("SELECT group_concat(i || s, ' ') FROM rn2", "1a 2z 3c");
    catalog_rollback(cat);
    check_value(rows, "1a 2b 3c");
    check_value("SELECT count(*) FROM rn2", "error");
    /* renamed, then undone, at one depth and nested */
    statement("ALTER TABLE rn RENAME TO r1");
    statement("UPDATE r1 SET s = 'y' WHERE i = 1");
    statement("ALTER TABLE r1 RENAME TO r2");
    check_value("SELECT group_concat(i || s, ' ') FROM r2", "1y 2b 3c");
    CHECK_OK(catalog_undo(cat, &e), e);
    check_value("SELECT group_concat(i || s, ' ') FROM r1", "1y 2b 3c");
    CHECK_OK(catalog_undo(cat, &e), e);
    CHECK_OK(catalog_undo(cat, &e), e);
    check_value(rows, "1a 2b 3c");
    /* still the table: it takes writes */
    statement("INSERT INTO rn VALUES (4, 'd')");
    check_value(rows, "1a 2b 3c 4d");
    /* renamed aside and a new table made under its name, in one statement: undone */
    statement("ALTER TABLE rn RENAME TO rn_old; "
              "CREATE VIRTUAL TABLE rn USING columns(i INTEGER, s TEXT); "
              "INSERT INTO rn VALUES (9, 'n')");
    check_value(rows, "9n");
    CHECK_OK(catalog_undo(cat, &e), e);
    check_value(rows, "1a 2b 3c 4d");
    check_value("SELECT count(*) FROM rn_old", "error");
    /* a rename kept (the undo levels forgotten) stays */
    statement("ALTER TABLE rn RENAME TO kept");
    CHECK_OK(catalog_forget_undo(cat, &e), e);
    check_value("SELECT group_concat(i || s, ' ') FROM kept", "1a 2b 3c 4d");
    statement("UPDATE kept SET s = 'w' WHERE i = 4");
    CHECK_OK(catalog_undo(cat, &e), e);
    check_value("SELECT group_concat(i || s, ' ') FROM kept", "1a 2b 3c 4d");
    statement("DROP TABLE kept");
    CHECK_OK(catalog_forget_undo(cat, &e), e);
}

int
main(void)
{
    struct qerr e = QERR_INIT;
    CHECK_OK(catalog_open(&cat, &e), e);
    CHECK_OK(coltab_register(catalog_db(cat), &e), e);
    test_dropped_bound();
    test_rename();
    catalog_free(cat);
    return check_done("test_coltab_undo");
}
