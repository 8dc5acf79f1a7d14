/*
 * test_coltab.c: column tables (src/data/coltab.c) give the same answers as
 * ordinary SQLite tables, query by query.
 *
 * Plan:
 *   1. two copies of the same data, one an ordinary table, one turned
 *      into a column table (coltab_from_rows): mixed storage classes in
 *      every column (integers, reals, text, blobs, NULLs, numbers as text),
 *      declared INTEGER, REAL, TEXT, NUMERIC and no type; every query below
 *      run on both gives the same rows, values and storage classes
 *      (SELECT *, filters, rowid and column equality, IS NULL, LIKE,
 *      GROUP BY, ORDER BY, DISTINCT, joins both ways, subqueries, window)
 *   2. the same writes on both (UPDATE, INSERT with and without rowid,
 *      in the middle of the rowids, DELETE, affinity on insert and update,
 *      a rowid change), compared after each
 *   3. savepoints: ROLLBACK TO, RELEASE, nested, a whole ROLLBACK, and a
 *      statement that fails half way (duplicate rowid) leaving nothing
 *   4. a DROP rolled back brings the rows back, a new table of the same
 *      name starts empty, a rename keeps the rows; coltab_to_rows brings
 *      the table back as an ordinary one, equal; coltab_is tells the
 *      kinds apart
 *   6. coltab_put filling a few cells copies only those cells for undo
 *      (sqlite3_memory_used, which the undo bound reads, moves by them
 *      only), and undo through such a copy, with whole-column copies at
 *      the same and at other levels, released and rolled back, gives back
 *      every value
 *   7. coltab_append (load's bulk append) stores every kind of value in
 *      every affinity as INSERT stores it in an ordinary table (the
 *      conversions only SQL does included); a source failing half way
 *      leaves none of its rows; a table with deleted rows at its end is
 *      not taken and nothing read; a rollback takes the rows away
 *   9. coltab_put's paths (every row or some, few cells or all) give the
 *      cells frame_write's UPDATE gives an ordinary table, and undo; a
 *      table made by a put keeps a REAL column's given array
 *   8. text rewritten again and again: its old bytes go once no undo copy
 *      holds them (ASan's count stays near one copy of the texts), and
 *      with undo copies open every old text still comes back
 *   9. DROP and CREATE of one name and columns (a command's re-run), then
 *      undone at any depth: the old rows come back, not the new table's
 *   5. coltab_discard: a table dropped after it frees its arrays at once
 *      (measured through ASan's allocator), one dropped without it keeps
 *      them for a rollback of the DROP
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "check.h"
#include "data/coltab.h"

#if defined(__SANITIZE_ADDRESS__)
/* ASan's own count of the bytes malloc'd and not freed (its allocator_interface.h) */
size_t __sanitizer_get_current_allocated_bytes(void);
#define HEAP_BYTES() ((long long)__sanitizer_get_current_allocated_bytes())
#endif

static sqlite3 *db;

static void
exec(const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        printf("exec failed: %s: %s\n", sql, msg);
    CHECK_INT(rc, SQLITE_OK);
    sqlite3_free(msg);
}

/* Every row of sql, each value with its storage class, as one text; rc in *rc. */
static char *
dump(const char *sql, int *rc)
{
    struct buf b = BUF_INIT;
    sqlite3_stmt *st = NULL;
    *rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    while (*rc == SQLITE_OK && (*rc = sqlite3_step(st)) == SQLITE_ROW) {
        *rc = SQLITE_OK;
        for (int c = 0; c < sqlite3_column_count(st); c++) {
            int ty = sqlite3_column_type(st, c);
            buf_addf(&b, "%d:", ty);
            if (ty == SQLITE_FLOAT)
                buf_addf(&b, "%.17g", sqlite3_column_double(st, c));
            else if (ty == SQLITE_BLOB)
                buf_addf(&b, "blob%d", sqlite3_column_bytes(st, c));
            else if (ty != SQLITE_NULL)
                buf_addf(&b, "%s", (const char *)sqlite3_column_text(st, c));
            buf_adds(&b, "|");
        }
        buf_adds(&b, "\n");
    }
    if (*rc == SQLITE_DONE)
        *rc = SQLITE_OK;
    sqlite3_finalize(st);
    char *out = xstrdup(b.data ? b.data : "");
    buf_release(&b);
    return out;
}

/* Query q with every R replaced by the ordinary table r, then by the column table c. */
static void
same(const char *q)
{
    struct buf a = BUF_INIT, b = BUF_INIT;
    for (const char *s = q; *s; s++) {
        buf_addf(&a, "%c", *s == '@' ? 'r' : *s);
        buf_addf(&b, "%c", *s == '@' ? 'c' : *s);
    }
    int ra, rb;
    char *x = dump(a.data, &ra), *y = dump(b.data, &rb);
    if (strcmp(x, y) != 0 || ra != rb) {
        size_t at = 0;
        while (x[at] && x[at] == y[at])
            at++;
        while (at > 0 && x[at - 1] != '\n')
            at--;
        printf("differ: %s\n--- ordinary (rc %d):\n%.300s--- columns (rc %d):\n%.300s\n", q, ra,
               x + at, rb, y + at);
    }
    CHECK_INT(rb, ra);
    CHECK(strcmp(x, y) == 0);
    free(x);
    free(y);
    buf_release(&a);
    buf_release(&b);
}

/* A write on both tables; both succeed or both fail, and then hold the same rows. */
static void
write_both(const char *q)
{
    struct buf a = BUF_INIT, b = BUF_INIT;
    for (const char *s = q; *s; s++) {
        buf_addf(&a, "%c", *s == '@' ? 'r' : *s);
        buf_addf(&b, "%c", *s == '@' ? 'c' : *s);
    }
    int ra = sqlite3_exec(db, a.data, NULL, NULL, NULL);
    int rb = sqlite3_exec(db, b.data, NULL, NULL, NULL);
    if (ra != rb)
        printf("write %s: ordinary rc %d, columns rc %d\n", q, ra, rb);
    CHECK_INT(rb == SQLITE_OK, ra == SQLITE_OK);
    same("SELECT rowid, * FROM @");
    /* a lookup after the write: the hash index is built again */
    same("SELECT rowid, * FROM @ WHERE i = 3 OR i = 4");
    same("SELECT rowid, * FROM @ WHERE t = 'b'");
    buf_release(&a);
    buf_release(&b);
}

static const char *queries[] = {
    "SELECT * FROM @",
    "SELECT rowid, * FROM @",
    "SELECT count(*), sum(i), total(x), avg(n), min(t), max(t) FROM @",
    "SELECT * FROM @ WHERE rowid = 17",
    "SELECT * FROM @ WHERE rowid = 17.0",
    "SELECT * FROM @ WHERE rowid = '17'",
    "SELECT * FROM @ WHERE rowid IN (3, 5, 99999)",
    "SELECT * FROM @ WHERE rowid BETWEEN 10 AND 20",
    "SELECT * FROM @ WHERE i = 3",
    "SELECT * FROM @ WHERE i = '3'",
    "SELECT * FROM @ WHERE i = 3.0",
    "SELECT * FROM @ WHERE x = 0.5",
    "SELECT * FROM @ WHERE t = 'b'",
    "SELECT * FROM @ WHERE t = 3",
    "SELECT * FROM @ WHERE n = '7'",
    "SELECT * FROM @ WHERE u = 4",
    "SELECT * FROM @ WHERE t = '3'",
    "SELECT * FROM @ WHERE t = 'B' COLLATE NOCASE",
    "SELECT * FROM @ WHERE u = '4'",
    "SELECT * FROM @ WHERE x = NULL",
    "SELECT a.rowid, b.rowid FROM @ a JOIN @ b ON a.t = b.t ORDER BY 1, 2",
    "SELECT a.rowid, b.rowid FROM @ a JOIN @ b ON a.u = b.n ORDER BY 1, 2",
    "SELECT * FROM @ WHERE i IS NULL OR t IS NULL",
    "SELECT * FROM @ WHERE t LIKE 'a%' ORDER BY x DESC, rowid",
    "SELECT * FROM @ WHERE x > 0.3 AND i < 5",
    "SELECT i, count(*), sum(x), group_concat(t) FROM @ GROUP BY i",
    "SELECT t, count(*), avg(x) FROM @ GROUP BY t ORDER BY 2 DESC, 1",
    "SELECT typeof(u), count(*) FROM @ GROUP BY 1",
    "SELECT DISTINCT i % 3, t FROM @ ORDER BY 1, 2",
    "SELECT * FROM @ ORDER BY t, x, rowid",
    "SELECT * FROM @ ORDER BY rowid DESC LIMIT 7 OFFSET 3",
    "SELECT a.rowid, b.rowid FROM @ a JOIN @ b ON a.i = b.i AND a.rowid < b.rowid ORDER BY 1, 2",
    "SELECT count(*) FROM @ a JOIN k ON k.i = a.i",
    "SELECT k.i, a.t FROM k LEFT JOIN @ a ON a.i = k.i ORDER BY 1, 2",
    "SELECT * FROM @ WHERE i IN (SELECT i FROM k WHERE i > 2)",
    "SELECT t, x, rank() OVER (PARTITION BY t ORDER BY x) FROM @ ORDER BY t, x, 3",
    "SELECT (SELECT max(rowid) FROM @), (SELECT count(*) FROM @ WHERE t IS NOT NULL)",
};

static void
test_compare(void)
{
    exec("CREATE TABLE k(i INTEGER); INSERT INTO k VALUES (1), (2), (3), (4), (NULL);");
    for (int k = 0; k < 2; k++) {
        exec(k == 0 ? "CREATE TABLE r(i INTEGER, x REAL, t TEXT, n NUMERIC, u)"
                    : "CREATE TABLE c(i INTEGER, x REAL, t TEXT, n NUMERIC, u)");
        const char *tab = k == 0 ? "r" : "c";
        char *sql = sqlite3_mprintf(
            "WITH RECURSIVE s(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM s WHERE v < 60) "
            "INSERT INTO %s SELECT CASE WHEN v %% 11 = 0 THEN NULL WHEN v %% 13 = 0 THEN '7' "
            "ELSE v %% 5 END, CASE WHEN v %% 7 = 0 THEN NULL ELSE (v * 37 %% 100) / 100.0 END, "
            "CASE v %% 4 WHEN 0 THEN 'a' || v WHEN 1 THEN 'b' WHEN 2 THEN NULL ELSE v END, "
            "CASE WHEN v %% 3 = 0 THEN '7' WHEN v %% 3 = 1 THEN v / 2.0 ELSE 'x' || v END, "
            "CASE v %% 5 WHEN 0 THEN x'00ff' WHEN 1 THEN 4 WHEN 2 THEN '4' WHEN 3 THEN 4.5 "
            "ELSE NULL END FROM s",
            tab);
        exec(sql);
        sqlite3_free(sql);
    }
    struct qerr e = QERR_INIT;
    CHECK_INT(coltab_is(db, "c"), 0);
    CHECK_OK(coltab_from_rows(db, "c", &e), e);
    CHECK_INT(coltab_is(db, "c"), 1);
    CHECK_INT(coltab_is(db, "r"), 0);
    for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++)
        same(queries[q]);
}

/*
 * A full scan's comparisons with numbers (coltab_range.c): every column
 * kind and cell class against integers, doubles, text that looks like a
 * number, values past 2^53 where an integer and a double differ, both
 * ways round, several at once, and through a join; the same rows as the
 * ordinary table gives.
 */
static void
test_ranges(void)
{
    for (int k = 0; k < 2; k++) {
        char *sql = sqlite3_mprintf(
            "CREATE TABLE %s(i INTEGER, x REAL, n NUMERIC, u, t TEXT);"
            "INSERT INTO %s VALUES (1, 1.5, 1, 1, '1'), (NULL, NULL, NULL, NULL, NULL),"
            "(9007199254740993, 9007199254740992.0, 9007199254740993, 9007199254740993, 'a'),"
            "(9223372036854775807, 9.2233720368547758e18, 9223372036854775807, 2.5, '9'),"
            "(-9223372036854775807, -1e300, -0.0, -0.0, '-1'), (3, 3.0, 3.0, '3', 'x3'),"
            "(2, 2.5, 'abc', x'01', '2.5'), (-1, -0.0, '12', 'zz', ''), (0, 0.0, 0, 0, '0');"
            "WITH RECURSIVE s(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM s WHERE v < 40) "
            "INSERT INTO %s SELECT v %% 7 - 3, (v %% 9) / 2.0 - 1, v %% 5, v %% 3, v FROM s;",
            k ? "cr" : "rr", k ? "cr" : "rr", k ? "cr" : "rr");
        exec(sql);
        sqlite3_free(sql);
    }
    struct qerr e = QERR_INIT;
    CHECK_OK(coltab_from_rows(db, "cr", &e), e);
    static const char *const cols[] = {"i", "x", "n", "u", "t"};
    static const char *const ops[] = {"<", "<=", ">", ">="};
    static const char *const nums[] = {"0", "3", "3.0", "2.5", "-1", "'3'", "-0.0",
                                       "9007199254740992", "9007199254740993",
                                       "9007199254740992.0", "9223372036854775807",
                                       "9.2233720368547758e18", "1e300", "-1e300", "NULL"};
    char q[256];
    for (int c = 0; c < 5; c++)
        for (int o = 0; o < 4; o++)
            for (int v = 0; v < 15; v++) {
                snprintf(q, sizeof q, "SELECT rowid, * FROM @r WHERE %s %s %s", cols[c], ops[o],
                         nums[v]);
                same(q);
                snprintf(q, sizeof q, "SELECT rowid, %s FROM @r WHERE %s %s %s AND x > -1",
                         cols[c], nums[v], ops[o], cols[c]);
                same(q);
            }
    same("SELECT rowid FROM @r WHERE i BETWEEN -2 AND 2.5 AND x < 3 AND n >= 0");
    same("SELECT count(*), sum(x) FROM @r WHERE x > 0 AND x <= 3");
    same("SELECT a.rowid, b.rowid FROM @r a JOIN @r b ON a.i < b.x WHERE a.x > 1 ORDER BY 1, 2");
    same("SELECT rowid FROM @r WHERE x > 1 ORDER BY rowid DESC");
    exec("DROP TABLE rr; DROP TABLE cr;");
}

static void
test_writes(void)
{
    write_both("UPDATE @ SET x = x * 2 WHERE i = 1");
    write_both("UPDATE @ SET t = 12, i = '5', x = '2.5', n = '3.0' WHERE rowid % 9 = 0");
    write_both("INSERT INTO @(i, x, t, n, u) VALUES (1, 2, 3, 4, 5), ('6', '7', NULL, 'z', '1')");
    write_both("INSERT INTO @(rowid, i, t) VALUES (1000, 1, 'far'), (-5, 2, 'before')");
    /* -0.0: REAL affinity stores it as the integer 0, so it reads back as 0.0 */
    write_both("INSERT INTO @(i, x, t, n, u) VALUES (-0.0, -0.0, -0.0, -0.0, -0.0)");
    same("SELECT rowid, printf('%!.1f', x), printf('%!.1f', u), quote(t) FROM @ WHERE rowid > 300");
    write_both("DELETE FROM @ WHERE rowid = 30");
    write_both("INSERT INTO @(rowid, i, t) VALUES (30, 3, 'again')");
    write_both("DELETE FROM @ WHERE t IS NULL");
    write_both("UPDATE @ SET rowid = rowid + 10000 WHERE rowid BETWEEN 40 AND 45");
    write_both("INSERT INTO @ SELECT * FROM @ WHERE i = 2");
    write_both("INSERT INTO @(rowid, i) VALUES (1000, 9)"); /* a duplicate: both refuse */
    for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++)
        same(queries[q]);
}

/* The same statements on both tables (r for @, then c), the same outcome. */
static void
both(const char *q)
{
    write_both(q);
}

static void
test_savepoints(void)
{
    const char *before_sql = "SELECT rowid, * FROM c";
    int rc;
    char *before = dump(before_sql, &rc);
    /* savepoints span both tables, so one sequence runs on both at once */
    exec("SAVEPOINT a");
    both("UPDATE @ SET i = 100 WHERE rowid < 20");
    exec("SAVEPOINT b");
    both("DELETE FROM @ WHERE rowid > 30");
    both("INSERT INTO @(i) VALUES (1), (2)");
    both("UPDATE @ SET t = 'changed'");
    exec("ROLLBACK TO b");
    same("SELECT rowid, * FROM @");
    char *at_b = dump("SELECT count(*), sum(i = 100), sum(t = 'changed') FROM c", &rc);
    char *want_b = dump("SELECT count(*), sum(i = 100), 0 FROM r", &rc);
    CHECK_STR(at_b, want_b);
    free(want_b);
    exec("SAVEPOINT c1");
    both("UPDATE @ SET x = 0");
    exec("RELEASE c1");
    same("SELECT rowid, * FROM @");
    exec("ROLLBACK TO a");
    char *after = dump(before_sql, &rc);
    CHECK(strcmp(before, after) == 0);
    exec("RELEASE a");
    same("SELECT rowid, * FROM @");
    /* a change released into an outer savepoint goes with it */
    exec("SAVEPOINT a; UPDATE c SET i = 7 WHERE rowid = 3; SAVEPOINT b; UPDATE c SET i = 8 "
         "WHERE rowid = 3; RELEASE b; ROLLBACK TO a; RELEASE a");
    char *again = dump(before_sql, &rc);
    CHECK(strcmp(before, again) == 0);
    /* a released savepoint's change stays */
    exec("SAVEPOINT a; UPDATE c SET i = 7 WHERE rowid = 3; RELEASE a");
    char *kept = dump("SELECT i FROM c WHERE rowid = 3", &rc);
    CHECK_STR(kept, "1:7|\n");
    exec("UPDATE c SET i = (SELECT i FROM r WHERE rowid = 3) WHERE rowid = 3");
    same("SELECT rowid, * FROM @");
    exec("BEGIN; DELETE FROM c; INSERT INTO c(i) VALUES (1); ROLLBACK");
    char *rolled = dump(before_sql, &rc);
    CHECK(strcmp(before, rolled) == 0);
    /* a statement that fails half way leaves nothing of itself */
    CHECK(sqlite3_exec(db, "INSERT INTO c(rowid, i) VALUES (5000, 1), (1000, 2)", NULL, NULL,
                       NULL) != SQLITE_OK);
    char *failed = dump(before_sql, &rc);
    CHECK(strcmp(before, failed) == 0);
    exec("BEGIN");
    both("UPDATE @ SET i = 1");
    both("INSERT INTO @(rowid, i) VALUES (6000, 1), (1000, 2)");
    exec("ROLLBACK");
    char *end = dump(before_sql, &rc);
    CHECK(strcmp(before, end) == 0);
    same("SELECT rowid, * FROM @");
    free(before);
    free(at_b);
    free(after);
    free(again);
    free(kept);
    free(rolled);
    free(failed);
    free(end);
}

static void
test_back_to_rows(void)
{
    struct qerr e = QERR_INIT;
    /* a DROP rolled back (undo) brings the rows back; a new table of the name starts empty */
    exec("SAVEPOINT d; DROP TABLE c; ROLLBACK TO d; RELEASE d");
    same("SELECT rowid, * FROM @");
    exec("SAVEPOINT d; DROP TABLE c; CREATE VIRTUAL TABLE c USING columns(i INTEGER); "
         "INSERT INTO c VALUES (1)");
    int rc0;
    char *fresh = dump("SELECT rowid, * FROM c", &rc0);
    CHECK_STR(fresh, "1:1|1:1|\n");
    free(fresh);
    exec("ROLLBACK TO d; RELEASE d");
    same("SELECT rowid, * FROM @");
    /* a renamed column table keeps its rows */
    exec("ALTER TABLE c RENAME TO c2; ALTER TABLE c2 RENAME TO c");
    same("SELECT rowid, * FROM @");
    CHECK_OK(coltab_to_rows(db, "c", &e), e);
    CHECK_INT(coltab_is(db, "c"), 0);
    same("SELECT rowid, * FROM @");
    same("SELECT typeof(i), typeof(x), typeof(t), typeof(n), typeof(u) FROM @");
    int rc;
    char *decl = dump("SELECT group_concat(name || ' ' || type, ', ') FROM pragma_table_info('c')",
                      &rc);
    CHECK_STR(decl, "3:i INTEGER, x REAL, t TEXT, n NUMERIC, u |\n");
    free(decl);
    CHECK_INT(coltab_to_rows(db, "nosuch", &e), -1);
    qerr_clear(&e);
}

/* Make table `name` of 20,000 rows of 100-byte text (2 MB of cells and more). */
static void
make_big(const char *name)
{
    char sql[512];
    snprintf(sql, sizeof sql, "CREATE VIRTUAL TABLE %s USING columns(s TEXT); "
             "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) "
             "INSERT INTO %s SELECT printf('%%0100d', i) FROM n", name, name);
    exec(sql);
}

/*
 * A table written, then replaced as the commands' rebuild replaces it
 * (a new table, DROP, RENAME), then both undone: the revived table must
 * take the undo of its own older write too, though SQLite sends savepoint
 * calls only to tables written since the transaction began.
 */
static void
test_undo_through_drop(void)
{
    exec("BEGIN; CREATE VIRTUAL TABLE rr USING columns(i INTEGER, x REAL); "
         "INSERT INTO rr VALUES (1, 0.5), (2, 1.5); SAVEPOINT u1; UPDATE rr SET x = 9 WHERE i = 1; "
         "SAVEPOINT u2; CREATE VIRTUAL TABLE rr_new USING columns(i INTEGER, x TEXT); "
         "INSERT INTO rr_new(rowid, i, x) SELECT rowid, i, x FROM rr; DROP TABLE rr; "
         "ALTER TABLE rr_new RENAME TO rr; ROLLBACK TO u2; RELEASE u2; ROLLBACK TO u1; RELEASE u1");
    int rc;
    char *got = dump("SELECT group_concat(i || ':' || x, ' ') FROM rr", &rc);
    CHECK_STR(got, "3:1:0.5 2:1.5|\n");
    free(got);
    exec("COMMIT; DROP TABLE rr");
}

/*
 * A result table replaced as a command's re-run replaces it (DROP, then
 * CREATE of the same name and columns), then undone: the old table's rows
 * come back, not the new table's, at every depth (ROLLBACK TO, after a
 * RELEASE into an outer savepoint, a whole ROLLBACK); what a RELEASE or
 * COMMIT kept stays.
 */
static void
drop_create(int v)
{
    char sql[256];
    snprintf(sql, sizeof sql, "DROP TABLE rs; CREATE VIRTUAL TABLE rs USING columns(i INTEGER); "
             "INSERT INTO rs VALUES (%d)", v);
    exec(sql);
}

static void
check_rs(const char *want)
{
    int rc;
    char *got = dump("SELECT group_concat(i, ' ') FROM rs", &rc);
    CHECK_STR(got, want);
    free(got);
}

/* The catalog's savepoint statement and its word to the column tables (catalog.c). */
static void
sp(const char *verb, int level)
{
    char sql[64];
    snprintf(sql, sizeof sql, "%s q%d", verb, level);
    exec(sql);
    coltab_savepoint(db, verb[0] == 'S' ? 0 : verb[0] == 'R' && verb[1] == 'E' ? 1 : 2, level);
}

static void
test_drop_create_undo(void)
{
    exec("BEGIN; CREATE VIRTUAL TABLE rs USING columns(i INTEGER); INSERT INTO rs VALUES (1), (2)");
    sp("SAVEPOINT", 1);
    drop_create(7);
    check_rs("3:7|\n");
    sp("ROLLBACK TO", 1);
    sp("RELEASE", 1);
    check_rs("3:1 2|\n");
    sp("SAVEPOINT", 1);
    sp("SAVEPOINT", 2);
    drop_create(8);
    sp("RELEASE", 2); /* into q1 */
    sp("ROLLBACK TO", 1);
    sp("RELEASE", 1);
    check_rs("3:1 2|\n");
    sp("SAVEPOINT", 1);
    drop_create(9);
    sp("SAVEPOINT", 2);
    drop_create(10);
    sp("ROLLBACK TO", 2);
    sp("RELEASE", 2);
    check_rs("3:9|\n");
    sp("ROLLBACK TO", 1);
    sp("RELEASE", 1);
    check_rs("3:1 2|\n");
    exec("COMMIT; DROP TABLE rs");
}

static void
test_discard(void)
{
    struct qerr e = QERR_INIT;
#ifdef HEAP_BYTES
    exec("SAVEPOINT k");
    make_big("big");
    long long before = HEAP_BYTES();
    CHECK_OK(coltab_discard(db, "big", &e), e);
    exec("DROP TABLE big");
    long long freed = before - HEAP_BYTES();
    exec("RELEASE k");
    CHECK(freed > 2000000);
    /* without it the arrays stay, for a rollback of the DROP */
    exec("SAVEPOINT k");
    make_big("big2");
    before = HEAP_BYTES();
    exec("DROP TABLE big2");
    freed = before - HEAP_BYTES();
    exec("ROLLBACK TO k; RELEASE k");
    CHECK(freed < 1000000);
#endif
    /* a discarded table's name takes a new table, empty */
    exec("SAVEPOINT k");
    exec("CREATE VIRTUAL TABLE dd USING columns(i INTEGER); INSERT INTO dd VALUES (7)");
    CHECK_OK(coltab_discard(db, "dd", &e), e);
    exec("DROP TABLE dd; CREATE VIRTUAL TABLE dd USING columns(i INTEGER)");
    int rc;
    char *n = dump("SELECT count(*) FROM dd", &rc);
    CHECK_STR(n, "1:0|\n");
    free(n);
    exec("ROLLBACK TO k; RELEASE k");
    CHECK_INT(coltab_discard(db, "nosuch", &e), -1);
    qerr_clear(&e);
}

/* Column x of pp as rows, and the rows of pp, one text. */
static char *
pp_dump(void)
{
    int rc;
    char *d = dump("SELECT rowid, i, x FROM pp", &rc);
    CHECK_INT(rc, SQLITE_OK);
    return d;
}

/* coltab_put of x = i * 0.5, with every tenth row's x -1 (fill) or every row moved (all). */
static void
pp_put(int all, long long n)
{
    double *x = malloc((size_t)n * sizeof(*x));
    sqlite3_int64 *rid = malloc((size_t)n * sizeof(*rid));
    for (long long i = 0; i < n; i++) {
        rid[i] = i + 1;
        x[i] = all ? (double)(i + 1) * 0.25 : (i + 1) % 10 == 0 ? -1 : (double)(i + 1) * 0.5;
    }
    struct coltab_col c = {.name = "x", .num = x};
    struct qerr e = QERR_INIT;
    CHECK_INT(coltab_put(db, "pp", &c, 1, rid, n, &e), 0);
    qerr_clear(&e);
    free(x);
    free(rid);
}

static void
test_put_few(void)
{
    long long n = 100000;
    exec("CREATE VIRTUAL TABLE pp USING columns(i INTEGER, x REAL); "
         "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 100000) "
         "INSERT INTO pp SELECT i, CASE WHEN i % 10 = 0 THEN NULL ELSE i * 0.5 END FROM k");
    char *orig = pp_dump(), *d;
    int rc;
    /* a fill of 10,000 cells: about 17 bytes each held for undo, not the column's 900 KB */
    exec("BEGIN; SAVEPOINT a");
    long long before = sqlite3_memory_used();
    pp_put(0, n);
    long long held = sqlite3_memory_used() - before;
    CHECK(held > 10000 * 17 && held < 400000);
    d = dump("SELECT count(*), sum(x = -1) FROM pp WHERE x IS NULL OR x = -1", &rc);
    CHECK_STR(d, "1:10000|1:10000|\n");
    free(d);
    /* a whole-column copy at a level above, released into a: both undone */
    exec("SAVEPOINT b; UPDATE pp SET x = x + 1; RELEASE b; ROLLBACK TO a");
    d = pp_dump();
    CHECK(strcmp(d, orig) == 0);
    free(d);
    /* a fill, then a put moving every cell at the same level (a whole copy after the few) */
    pp_put(0, n);
    pp_put(1, n);
    exec("ROLLBACK TO a");
    d = pp_dump();
    CHECK(strcmp(d, orig) == 0);
    free(d);
    /* a whole copy at a, a fill at b: undoing b keeps a's write, undoing a the rest */
    exec("UPDATE pp SET x = 1 WHERE i <= 5; SAVEPOINT b");
    char *mid = pp_dump();
    pp_put(0, n);
    exec("ROLLBACK TO b");
    d = pp_dump();
    CHECK(strcmp(d, mid) == 0);
    free(d);
    /* a fill at b released into a, and rolled back with it */
    pp_put(0, n);
    exec("RELEASE b; ROLLBACK TO a");
    d = pp_dump();
    CHECK(strcmp(d, orig) == 0);
    free(d);
    exec("COMMIT; DROP TABLE pp");
    free(mid);
    free(orig);
}

/* Old value of column col (0 i, 1 x, 2 u) at rowid r in test_put_paths' tables. */
static double
pv_old(int col, long long r)
{
    if (col == 1)
        return r % 5 == 0 ? NAN : (double)r * 0.5;
    return col == 0 ? (double)r : (double)r * 0.25;
}

/* The value a put writes: few changes only rows with r % 10 == 0, all changes every row. */
static double
pv_new(int col, long long r, int few)
{
    if (few && r % 10 != 0)
        return pv_old(col, r);
    switch (r % 10) {
    case 0: return few ? -1.5 : 3.0;
    case 3: return NAN;
    case 6: return -0.0;
    case 8: return 1152921504606846976.0; /* 2^60: whole, past 2^53 */
    default: return (double)r * 0.75 + col;
    }
}

/*
 * coltab_put's paths against frame_write's SQL path on an ordinary table
 * (an UPDATE binding each value as result_value does: NaN NULL, a whole
 * value below 2^53 an integer when the column is declared INTEGER):
 * every live row or every other one (deleted rows between: the slots
 * are not the row numbers), few cells changed (cell copies) or all
 * (whole-column copies), into INTEGER, REAL, NUMERIC and untyped columns;
 * the same cells after, and after ROLLBACK TO the same as before.
 */
static void
test_put_paths(void)
{
    static const char *const names[] = {"i", "x", "u", "b"};
    exec("CREATE TABLE po(i INTEGER, x REAL, u NUMERIC, b); "
         "CREATE VIRTUAL TABLE pc USING columns(i INTEGER, x REAL, u NUMERIC, b); "
         "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 2000) "
         "INSERT INTO po(rowid, i, x, u, b) SELECT i, i, CASE WHEN i % 5 = 0 THEN NULL ELSE "
         "i * 0.5 END, i * 0.25, 'b' || i FROM k; "
         "INSERT INTO pc(rowid, i, x, u, b) SELECT rowid, i, x, u, b FROM po; "
         "DELETE FROM po WHERE rowid % 7 = 0; DELETE FROM pc WHERE rowid % 7 = 0");
    const char *q = "SELECT rowid, i, x, u, b FROM %s ORDER BY rowid";
    int rc;
    char *orig = dump("SELECT rowid, i, x, u, b FROM po ORDER BY rowid", &rc);
    for (int v = 0; v < 4; v++) {
        int few = v & 1, sub = v >> 1, ncol = few ? 3 : 4; /* b holds text: every cell changes */
        long long n = 0;
        sqlite3_int64 *rid = malloc(2000 * sizeof(*rid));
        double *val[4];
        for (long long r = 1; r <= 2000; r++)
            if (r % 7 != 0 && (!sub || r % 2 == 0))
                rid[n++] = r;
        struct coltab_col c[4];
        sqlite3_stmt *up[4];
        exec("BEGIN; SAVEPOINT a");
        for (int k = 0; k < ncol; k++) {
            val[k] = malloc((size_t)n * sizeof(double));
            for (long long i = 0; i < n; i++)
                val[k][i] = pv_new(k, rid[i], few);
            c[k] = (struct coltab_col){.name = names[k], .num = val[k], .as_int = k == 0};
            char sql[64];
            snprintf(sql, sizeof sql, "UPDATE po SET %s = ?2 WHERE rowid = ?1", names[k]);
            CHECK_INT(sqlite3_prepare_v2(db, sql, -1, &up[k], NULL), SQLITE_OK);
            for (long long i = 0; i < n; i++) {
                double x = val[k][i];
                sqlite3_bind_int64(up[k], 1, rid[i]);
                if (isnan(x))
                    sqlite3_bind_null(up[k], 2);
                else if (k == 0 && x == floor(x) && fabs(x) < 9007199254740992.0)
                    sqlite3_bind_int64(up[k], 2, (sqlite3_int64)x);
                else
                    sqlite3_bind_double(up[k], 2, x);
                CHECK_INT(sqlite3_step(up[k]), SQLITE_DONE);
                sqlite3_reset(up[k]);
            }
            sqlite3_finalize(up[k]);
        }
        struct qerr e = QERR_INIT;
        CHECK_INT(coltab_put(db, "pc", c, ncol, rid, n, &e), 0);
        qerr_clear(&e);
        char sql[128];
        snprintf(sql, sizeof sql, q, "po");
        char *a = dump(sql, &rc);
        snprintf(sql, sizeof sql, q, "pc");
        char *b = dump(sql, &rc);
        if (strcmp(a, b) != 0)
            printf("put variant %d (few %d, every other row %d) differs\n", v, few, sub);
        CHECK(strcmp(a, b) == 0);
        CHECK(strcmp(a, orig) != 0);
        free(a);
        free(b);
        exec("ROLLBACK TO a; COMMIT");
        b = dump(sql, &rc);
        CHECK(strcmp(b, orig) == 0);
        free(b);
        for (int k = 0; k < ncol; k++)
            free(val[k]);
        free(rid);
    }
    free(orig);
    exec("DROP TABLE po; DROP TABLE pc");

    /* give: a table made by the put keeps a REAL column's array (-0.0 stored 0.0, NaN NULL), as
     * the same values copied; an INTEGER column's array is not kept; the kept one grows and
     * takes writes as any column, and goes with the table */
    long long n = 3000;
    double *gx = malloc((size_t)n * sizeof(double)), *gy = malloc((size_t)n * sizeof(double));
    double *gk = malloc((size_t)n * sizeof(double));
    sqlite3_int64 *rid = malloc((size_t)n * sizeof(*rid));
    for (long long i = 0; i < n; i++) {
        rid[i] = 2 * i + 1;
        gx[i] = gy[i] = gk[i] = i % 10 == 3 ? NAN : i % 10 == 6 ? -0.0 : (double)i * 1.5;
    }
    exec("CREATE VIRTUAL TABLE pg USING columns(x REAL, y REAL, k INTEGER)");
    struct coltab_col g[3] = {{.name = "x", .num = gx, .give = &gx},
                              {.name = "y", .num = gy},
                              {.name = "k", .num = gk, .as_int = 1, .give = &gk}};
    struct qerr e = QERR_INIT;
    CHECK_INT(coltab_put(db, "pg", g, 3, rid, n, &e), 0);
    CHECK(gx == NULL);
    CHECK(gk != NULL);
    char *a = dump("SELECT rowid, x FROM pg", &rc), *b = dump("SELECT rowid, y FROM pg", &rc);
    CHECK(strcmp(a, b) == 0);
    free(a);
    free(b);
    a = dump("SELECT x, typeof(x), k, typeof(k) FROM pg WHERE rowid IN (7, 13, 15)", &rc);
    CHECK_STR(a, "5:|3:null|5:|3:null|\n2:0|3:real|1:0|3:integer|\n2:10.5|3:real|2:10.5|3:real|\n");
    free(a);
    exec("INSERT INTO pg(x, y, k) VALUES (1, 1, 1); UPDATE pg SET x = x + 1, y = y + 1");
    a = dump("SELECT rowid, x FROM pg", &rc);
    b = dump("SELECT rowid, y FROM pg", &rc);
    CHECK(strcmp(a, b) == 0);
    free(a);
    free(b);
    exec("DROP TABLE pg");
    free(gy);
    free(gk);
    free(rid);
}

/* A source of rows: every value of vals[] once, the same value in every column. */
struct src {
    const struct coltab_value *vals;
    int n, at, fail_at, calls;
    struct qerr *err;
};

static int
src_next(void *ctx)
{
    struct src *s = ctx;
    s->calls++;
    if (s->at == s->fail_at) {
        qerr_set(s->err, QE_DATA, "planted failure");
        return -1;
    }
    return s->at < s->n ? (s->at++, 1) : 0;
}

static void
src_value(void *ctx, int i, struct coltab_value *v)
{
    (void)i;
    struct src *s = ctx;
    *v = s->vals[s->at - 1];
}

static void
test_append(void)
{
    static const char *big = "9223372036854775807";
    const struct coltab_value vals[] = {
        {.type = SQLITE_INTEGER, .i = 3},         {.type = SQLITE_INTEGER, .i = -9007199254740993LL},
        {.type = SQLITE_FLOAT, .d = 2.0},         {.type = SQLITE_FLOAT, .d = 2.5},
        {.type = SQLITE_FLOAT, .d = -0.0},        {.type = SQLITE_FLOAT, .d = 1e300},
        {.type = SQLITE_TEXT, .s = "12", .len = 2}, {.type = SQLITE_TEXT, .s = "1e2", .len = 3},
        {.type = SQLITE_TEXT, .s = "abc", .len = 3}, {.type = SQLITE_TEXT, .s = " 7 ", .len = 3},
        {.type = SQLITE_TEXT, .s = "3.0", .len = 3}, {.type = SQLITE_TEXT, .s = "", .len = 0},
        {.type = SQLITE_TEXT, .s = big, .len = 19}, {.type = SQLITE_NULL},
        {.type = SQLITE_FLOAT, .d = 0.1},         {.type = SQLITE_INTEGER, .i = 0},
    };
    int n = (int)(sizeof(vals) / sizeof(vals[0]));
    const char *cols = "(i INTEGER, r REAL, t TEXT, n NUMERIC, b)";
    char sql[256];
    snprintf(sql, sizeof sql, "CREATE TABLE ra%s; CREATE VIRTUAL TABLE ca USING columns%s", cols,
             cols);
    exec(sql);
    sqlite3_stmt *st = NULL;
    CHECK_INT(sqlite3_prepare_v2(db, "INSERT INTO ra VALUES (?1, ?1, ?1, ?1, ?1)", -1, &st, NULL),
              SQLITE_OK);
    for (int k = 0; k < n; k++) {
        if (vals[k].type == SQLITE_INTEGER)
            sqlite3_bind_int64(st, 1, vals[k].i);
        else if (vals[k].type == SQLITE_FLOAT)
            sqlite3_bind_double(st, 1, vals[k].d);
        else if (vals[k].type == SQLITE_TEXT)
            sqlite3_bind_text(st, 1, vals[k].s, (int)vals[k].len, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 1);
        CHECK_INT(sqlite3_step(st), SQLITE_DONE);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    struct qerr e = QERR_INIT;
    struct src s = {.vals = vals, .n = n, .fail_at = -1, .err = &e};
    struct coltab_rows rows = {5, &s, src_next, src_value, 0};
    CHECK_INT(coltab_append(db, "ca", &rows, &e), 0);
    same("SELECT rowid, * FROM @a");
    same("SELECT rowid, typeof(i), typeof(r), typeof(t), typeof(n), typeof(b) FROM @a");
    /* appended again: rowids go on past the last */
    s.at = 0;
    CHECK_INT(coltab_append(db, "ca", &rows, &e), 0);
    exec("INSERT INTO ra SELECT * FROM ra");
    same("SELECT rowid, * FROM @a");
    /* a source failing half way, inside a transaction (outside, SQLite rolls back the whole
     * of it): none of its rows stay, its error is the one told */
    s.at = 0;
    s.fail_at = 5;
    exec("BEGIN");
    CHECK_INT(coltab_append(db, "ca", &rows, &e), -1);
    CHECK(e.msg && strstr(e.msg, "planted failure"));
    qerr_clear(&e);
    same("SELECT rowid, * FROM @a");
    exec("COMMIT");
    /* rolled back: the rows go */
    s.at = 0;
    s.fail_at = -1;
    exec("BEGIN; SAVEPOINT ap");
    CHECK_INT(coltab_append(db, "ca", &rows, &e), 0);
    exec("ROLLBACK TO ap; RELEASE ap; COMMIT");
    same("SELECT rowid, * FROM @a");
    /* deleted rows at the end: not taken, nothing read */
    exec("DELETE FROM ca WHERE rowid = (SELECT max(rowid) FROM ca)");
    s.at = 0;
    s.calls = 0;
    CHECK_INT(coltab_append(db, "ca", &rows, &e), 1);
    CHECK_INT(s.calls, 0);
    qerr_clear(&e);
    exec("DROP TABLE ra; DROP TABLE ca");
}

/* A source of many rows, each unlike the last: row k's values (gen_value), up to fail_at. */
struct gen {
    int n, at, fail_at;
    char text[64];
    struct qerr *err;
};

static int
gen_next(void *ctx)
{
    struct gen *g = ctx;
    if (g->at == g->fail_at) {
        qerr_set(g->err, QE_DATA, "planted failure");
        return -1;
    }
    return g->at < g->n ? (g->at++, 1) : 0;
}

/* Row k, column i: numbers, texts of 0 to 40 bytes, NULLs, and values only SQL converts. */
static void
gen_value(void *ctx, int i, struct coltab_value *v)
{
    struct gen *g = ctx;
    int k = g->at - 1, len = k % 41;
    *v = (struct coltab_value){.type = SQLITE_NULL};
    if (i == 0) {
        v->type = SQLITE_INTEGER;
        v->i = (sqlite3_int64)k * 7 - 5000;
    } else if (i == 1 && k % 9) {
        v->type = SQLITE_FLOAT;
        v->d = k / 4.0;
    } else if (i == 2 || (i == 4 && k % 3)) {
        for (int j = 0; j < len; j++)
            g->text[j] = (char)('a' + (k + j) % 26);
        v->type = SQLITE_TEXT;
        v->s = g->text;
        v->len = (size_t)len;
    } else if (i == 3 && k % 5) {
        snprintf(g->text, sizeof g->text, "%d", k); /* text into NUMERIC: SQL's conversion */
        v->type = SQLITE_TEXT;
        v->s = g->text;
        v->len = strlen(g->text);
    } else if (i == 4) {
        v->type = SQLITE_INTEGER;
        v->i = k;
    }
}

/*
 * coltab_append with a row hint (its arrays made that long at once, its
 * text arenas after the first rows): the same cells as INSERT gives
 * whether the hint is too small, about right or too large, and after a
 * failed append left texts in the slots the next one fills with numbers.
 */
static void
test_append_hint(void)
{
    const char *cols = "(i INTEGER, r REAL, t TEXT, n NUMERIC, b)";
    char sql[256];
    snprintf(sql, sizeof sql, "CREATE TABLE rh%s", cols);
    exec(sql);
    struct qerr e = QERR_INIT;
    struct gen g = {.n = 12411, .fail_at = -1, .err = &e};
    sqlite3_stmt *st = NULL;
    CHECK_INT(sqlite3_prepare_v2(db, "INSERT INTO rh VALUES (?1, ?2, ?3, ?4, ?5)", -1, &st, NULL),
              SQLITE_OK);
    for (g.at = 0; gen_next(&g) > 0;) {
        for (int i = 0; i < 5; i++) {
            struct coltab_value v;
            gen_value(&g, i, &v);
            if (v.type == SQLITE_INTEGER)
                sqlite3_bind_int64(st, i + 1, v.i);
            else if (v.type == SQLITE_FLOAT)
                sqlite3_bind_double(st, i + 1, v.d);
            else if (v.type == SQLITE_TEXT)
                sqlite3_bind_text(st, i + 1, v.s, (int)v.len, SQLITE_TRANSIENT);
            else
                sqlite3_bind_null(st, i + 1);
        }
        CHECK_INT(sqlite3_step(st), SQLITE_DONE);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    /* no hint, one below the first rows, too small, right, too large; each into a new table */
    static const long long hints[] = {0, 1000, 5000, 12411, 50000};
    for (int h = 0; h < 5; h++) {
        snprintf(sql, sizeof sql, "CREATE VIRTUAL TABLE ch USING columns%s", cols);
        exec(sql);
        struct coltab_rows rows = {5, &g, gen_next, gen_value, hints[h]};
        if (h == 2) {
            /* a failure past the first rows, inside a transaction: none of its rows stay; it
             * started a row on, so the next append puts numbers where it left texts */
            g.at = 1;
            g.fail_at = 9000;
            exec("BEGIN");
            CHECK_INT(coltab_append(db, "ch", &rows, &e), -1);
            exec("COMMIT");
            qerr_clear(&e);
            g.fail_at = -1;
        }
        g.at = 0;
        CHECK_INT(coltab_append(db, "ch", &rows, &e), 0);
        same("SELECT count(*), sum(length(t)), sum(i), sum(r) FROM @h");
        same("SELECT rowid, * FROM @h");
        same("SELECT rowid, typeof(i), typeof(r), typeof(t), typeof(n), typeof(b) FROM @h");
        exec("DROP TABLE ch");
    }
    exec("DROP TABLE rh");
}

static void
test_text_rewrites(void)
{
    make_big("tx");
    int rc;
    char *orig = dump("SELECT rowid, s FROM tx", &rc), *d;
#ifdef HEAP_BYTES
    long long before = HEAP_BYTES();
    for (int k = 0; k < 20; k++) /* each one its own transaction: no copy kept after it */
        exec("UPDATE tx SET s = CASE WHEN s LIKE 'x%' THEN substr(s, 2) ELSE 'x' || s END");
    long long grew = HEAP_BYTES() - before;
    CHECK(grew < 8000000); /* 20 rewrites of 2.1 MB kept would be 42 MB */
#endif
    d = dump("SELECT rowid, s FROM tx", &rc);
    CHECK(strcmp(d, orig) == 0); /* an even number of rewrites gives the texts back */
    free(d);
    exec("BEGIN; SAVEPOINT t1");
    for (int k = 0; k < 10; k++) {
        char sql[128];
        snprintf(sql, sizeof sql, "SAVEPOINT l%d; UPDATE tx SET s = s || '%d'", k, k);
        exec(sql);
    }
    exec("ROLLBACK TO t1; RELEASE t1; COMMIT");
    d = dump("SELECT rowid, s FROM tx", &rc);
    CHECK(strcmp(d, orig) == 0);
    free(d);
    free(orig);
    exec("DROP TABLE tx");
}

int
main(void)
{
    struct qerr e = QERR_INIT;
    CHECK_INT(sqlite3_open(":memory:", &db), SQLITE_OK);
    CHECK_OK(coltab_register(db, &e), e);
    test_compare();
    test_ranges();
    test_writes();
    test_savepoints();
    test_back_to_rows();
    test_discard();
    test_undo_through_drop();
    test_drop_create_undo();
    test_put_few();
    test_put_paths();
    test_append();
    test_append_hint();
    test_text_rewrites();
    sqlite3_close(db);
    return check_done("test_coltab");
}
