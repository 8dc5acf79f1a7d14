/*
 * test_frame.c: the data path. frame_read gives the values, masks, text
 * codes and rowids of a small table written by hand; the cache hands the
 * same frame back until the catalog changes; FRAME_TIMES parses dates as
 * it reads; frame_write rebuilds a table
 * in place (rowids, indexes and untouched columns kept, rows dropped by
 * the keep mask) or into a new table; frame_write_new makes a table from
 * arrays. A column named rowid (or oid, _rowid_) never stands in for the
 * row ids: reads, in-place updates, deletes and rebuilds all follow the
 * real ones, and a table whose columns hide all three is refused.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "data/frame.h"
#include "data/load.h"

#include "base/buf.h"

static struct catalog *cat;

static void
sql(const char *s)
{
    char *msg = NULL;
    if (sqlite3_exec(catalog_db(cat), s, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "sql failed: %s: %s\n", s, msg);
        check_fail++;
    }
    sqlite3_free(msg);
}

static char *
value(const char *q)
{
    sqlite3_stmt *st = NULL;
    char *out = NULL;
    if (sqlite3_prepare_v2(catalog_db(cat), q, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        out = xstrdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out ? out : xstrdup("");
}

#define CHECK_VALUE(q, expected)                                                      \
    do {                                                                              \
        char *v_ = value(q);                                                          \
        CHECK_STR(v_, expected);                                                      \
        free(v_);                                                                     \
    } while (0)

static void
test_read(void)
{
    struct qerr err = QERR_INIT;
    struct frame *f = NULL;
    sql("CREATE TABLE t (id INTEGER, x REAL, name TEXT);"
        "INSERT INTO t VALUES (1, 1.5, 'a'), (2, NULL, 'b'), (3, 'oops', 'a'),"
        "(4, '2.25', NULL), (5, -3, 'c');"
        "DELETE FROM t WHERE id = 2; INSERT INTO t VALUES (2, 7, 'b');");
    CHECK_INT(frame_read(cat, "t", NULL, 0, 0, NULL, NULL, &f, &err), 0);
    if (!f)
        return;
    CHECK_INT(f->n_rows, 5);
    CHECK_INT(f->ld, 8);
    CHECK_INT(f->n_cols, 3);
    CHECK_INT((long long)((uintptr_t)f->x % 64), 0);
    CHECK_STR(f->names[1], "x");
    CHECK_INT(f->kind[0], FRAME_NUM);
    CHECK_INT(f->kind[2], FRAME_TEXT);
    /* rowid order: 1, 3, 4, 5, then the re-inserted 2 as rowid 6 */
    CHECK_INT(f->rowid[0], 1);
    CHECK_INT(f->rowid[4], 6);
    CHECK_NEAR(frame_col(f, 0)[4], 2, 0);
    CHECK_NEAR(frame_col(f, 1)[0], 1.5, 0);
    CHECK(isnan(frame_col(f, 1)[1])); /* 'oops' */
    CHECK(frame_missing(f, 1, 1));
    CHECK_NEAR(frame_col(f, 1)[2], 2.25, 0); /* '2.25' as text is a number */
    CHECK(!frame_missing(f, 1, 2));
    CHECK_INT(f->n_missing[1], 1);
    CHECK_INT(f->n_nonnum[1], 1);
    CHECK_PTR(f->mask[0], NULL);
    CHECK_INT(f->n_levels[2], 3);
    CHECK_STR(f->levels[2][f->code[2][0]], "a");
    CHECK_INT(f->code[2][1], f->code[2][0]);
    CHECK_INT(f->code[2][2], -1);
    CHECK_STR(f->levels[2][f->code[2][4]], "b");
    CHECK_INT(f->n_missing[2], 1);

    /* The cache gives the same frame until the catalog changes. */
    struct frame *g = NULL;
    CHECK_INT(frame_read(cat, "t", NULL, 0, 0, NULL, NULL, &g, &err), 0);
    CHECK_PTR(g, f);
    frame_release(g);
    const char *cols[] = {"X"};
    CHECK_INT(frame_read(cat, "t", cols, 1, 0, NULL, NULL, &g, &err), 0);
    CHECK(g != f);
    CHECK_INT(g->n_cols, 1);
    CHECK_STR(g->names[0], "x");
    frame_release(g);
    catalog_touch(cat);
    CHECK_INT(frame_read(cat, "t", NULL, 0, 0, NULL, NULL, &g, &err), 0);
    CHECK(g != f);
    frame_release(g);
    frame_release(f);

    const char *bad[] = {"nope"};
    CHECK_INT(frame_read(cat, "t", bad, 1, 0, NULL, NULL, &g, &err), -1);
    CHECK_HAS(err.msg, "no column 'nope'");
    qerr_clear(&err);
    CHECK_INT(frame_read(cat, "missing", NULL, 0, 0, NULL, NULL, &g, &err), -1);
    qerr_clear(&err);

    /* An empty table reads as zero rows. */
    sql("CREATE TABLE e (a REAL)");
    CHECK_INT(frame_read(cat, "e", NULL, 0, 0, NULL, NULL, &g, &err), 0);
    CHECK_INT(g->n_rows, 0);
    frame_release(g);
}

/*
 * FRAME_TIMES: text columns become seconds since 1970-01-01 as they are
 * read (2024-01-02 = day 19724); NULL, bad dates and numbers in a text
 * column are missing, the last two counted in n_nonnum; INTEGER and REAL
 * columns read as usual; the cache keeps the two readings apart.
 */
static void
test_times(void)
{
    struct qerr err = QERR_INIT;
    struct frame *f = NULL, *g = NULL;
    sql("CREATE TABLE tm (id INTEGER, d TEXT, a REAL);"
        "INSERT INTO tm VALUES (1, '2024-01-02', 1.5), (2, '2024-01-02T06:00:30', 2),"
        "(3, NULL, 3), (4, '2024-02-30', 4), (5, 17, 5), (6, 'soon', 6);");
    const char *cols[] = {"id", "d", "a"};
    CHECK_INT(frame_read(cat, "tm", cols, 3, FRAME_TIMES, NULL, NULL, &f, &err), 0);
    if (!f)
        return;
    CHECK_INT(f->kind[1], FRAME_NUM);
    CHECK_NEAR(frame_col(f, 0)[1], 2, 0);
    CHECK_NEAR(frame_col(f, 2)[0], 1.5, 0);
    CHECK_NEAR(frame_col(f, 1)[0], 19724.0 * 86400, 0);
    CHECK_NEAR(frame_col(f, 1)[1], 19724.0 * 86400 + 6 * 3600 + 30, 0);
    for (int r = 2; r < 6; r++)
        CHECK(frame_missing(f, 1, r));
    CHECK_INT(f->n_missing[1], 4);
    CHECK_INT(f->n_nonnum[1], 3);
    CHECK_INT(frame_read(cat, "tm", cols, 3, 0, NULL, NULL, &g, &err), 0);
    CHECK(g != f);
    CHECK_INT(g->kind[1], FRAME_TEXT);
    frame_release(g);
    frame_release(f);
}

static int
cancel_at_once(void *p, double fraction)
{
    return 1;
}

static void
test_cancel(void)
{
    struct qerr err = QERR_INIT;
    struct frame *f = NULL;
    sql("CREATE TABLE big (v REAL);"
        "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 70000) "
        "INSERT INTO big SELECT i FROM c;");
    CHECK_INT(frame_read(cat, "big", NULL, 0, 0, cancel_at_once, NULL, &f, &err), -1);
    CHECK_INT(err.code, QE_INTERRUPT);
    qerr_clear(&err);
    CHECK_INT(frame_read(cat, "big", NULL, 0, 0, NULL, NULL, &f, &err), 0);
    CHECK_INT(f->n_rows, 70000);
    CHECK_NEAR(frame_col(f, 0)[69999], 70000, 0);
    frame_release(f);
}

static void
test_write(void)
{
    struct qerr err = QERR_INIT;
    struct frame *f = NULL;
    sql("CREATE TABLE w (k INTEGER, v REAL, s TEXT); CREATE INDEX w_s ON w(s);"
        "INSERT INTO w VALUES (10, 1, 'p'), (20, 2, 'q'), (30, 3, 'r'); DELETE FROM w "
        "WHERE k = 20; INSERT INTO w VALUES (40, 4, 's');");
    const char *cols[] = {"v"};
    CHECK_INT(frame_read(cat, "w", cols, 1, 0, NULL, NULL, &f, &err), 0);
    if (!f)
        return;
    double v2[3], flag[3];
    for (int i = 0; i < 3; i++) {
        v2[i] = frame_col(f, 0)[i] * 10;
        flag[i] = i == 1 ? NAN : i;
    }
    struct frame_out outs[] = {
        {.name = "V", .decl = CATALOG_REAL, .num = v2},
        {.name = "flag", .decl = CATALOG_INTEGER, .num = flag},
    };
    /* Into a new table first: the source is untouched. */
    struct frame_write w = {.src = "w", .dest = "w2", .f = f, .outs = outs, .n_outs = 2};
    CHECK_INT(frame_write(cat, &w, &err), 0);
    CHECK_VALUE("SELECT group_concat(rowid || ':' || k || ':' || v || ':' || s || ':' || "
                "ifnull(flag, 'null'), ' ') FROM w2",
                "1:10:10.0:p:0 3:30:30.0:r:null 4:40:40.0:s:2");
    CHECK_VALUE("SELECT group_concat(name || ' ' || type, ', ') FROM pragma_table_info('w2')",
                "k INTEGER, v REAL, s TEXT, flag INTEGER");
    CHECK_VALUE("SELECT typeof(flag) FROM w2 WHERE k = 10", "integer");
    CHECK_VALUE("SELECT sum(v) FROM w", "8.0");
    CHECK_INT(frame_write(cat, &w, &err), -1); /* w2 exists now */
    qerr_clear(&err);

    /* In place, dropping the middle row: rowids and the index stay. */
    unsigned char keep[3] = {1, 0, 1};
    w.dest = NULL;
    w.keep = keep;
    w.n_outs = 1;
    CHECK_INT(frame_write(cat, &w, &err), 0);
    CHECK_VALUE("SELECT group_concat(rowid || ':' || k || ':' || v, ' ') FROM w",
                "1:10:10.0 4:40:40.0");
    CHECK_VALUE("SELECT count(*) FROM sqlite_schema WHERE name = 'w_s'", "1");
    CHECK_VALUE("SELECT count(*) FROM sqlite_schema WHERE name LIKE 'quarry_frame%'", "0");
    frame_release(f);

    /* A declared type that changes (INTEGER k becomes REAL) rebuilds the table. */
    const char *kcol[] = {"k"};
    CHECK_INT(frame_read(cat, "w", kcol, 1, 0, NULL, NULL, &f, &err), 0);
    double half[2] = {5.5, NAN};
    struct frame_out kout = {.name = "k", .decl = CATALOG_REAL, .num = half};
    struct frame_write kw = {.src = "w", .f = f, .outs = &kout, .n_outs = 1};
    CHECK_INT(frame_write(cat, &kw, &err), 0);
    CHECK_VALUE("SELECT group_concat(rowid || ':' || ifnull(k, 'null') || ':' || v || ':' || s, "
                "' ') FROM w", "1:5.5:10.0:p 4:null:40.0:s");
    CHECK_VALUE("SELECT type FROM pragma_table_info('w') WHERE name = 'k'", "REAL");
    CHECK_VALUE("SELECT count(*) FROM sqlite_schema WHERE name = 'w_s'", "1");
    frame_release(f);
    /* Same types: updated in place, a new column added at the end. */
    CHECK_INT(frame_read(cat, "w", kcol, 1, 0, NULL, NULL, &f, &err), 0);
    double again[2] = {1, 2}, extra[2] = {7, 8};
    struct frame_out two[] = {{.name = "k", .decl = CATALOG_REAL, .num = again},
                              {.name = "z", .decl = CATALOG_INTEGER, .num = extra}};
    kw.f = f;
    kw.outs = two;
    kw.n_outs = 2;
    CHECK_INT(frame_write(cat, &kw, &err), 0);
    CHECK_VALUE("SELECT group_concat(rowid || ':' || k || ':' || z || ':' || typeof(z), ' ') "
                "FROM w", "1:1.0:7:integer 4:2.0:8:integer");
    frame_release(f);

    /* A new table from arrays. */
    const char *names[] = {"x", NULL};
    double nums[] = {0.5, NAN};
    struct frame_out outs2[] = {
        {.name = "name", .decl = CATALOG_TEXT, .text = names},
        {.name = "num", .decl = CATALOG_REAL, .num = nums},
    };
    CHECK_INT(frame_write_new(cat, "fresh", outs2, 2, 2, NULL, NULL, &err), 0);
    CHECK_VALUE("SELECT group_concat(ifnull(name, 'N') || '=' || ifnull(num, 'N'), ' ') "
                "FROM fresh",
                "x=0.5 N=N");
    CHECK_INT(frame_write_new(cat, "fresh", outs2, 2, 2, NULL, NULL, &err), -1);
    qerr_clear(&err);
}

/* A frame read after an in-place write equals a fresh read, without SQL. */
static void
test_cache_written(void)
{
    struct qerr err = QERR_INIT;
    struct frame *f = NULL, *g = NULL, *h = NULL;
    sql("CREATE TABLE cw (a REAL, b INTEGER, t TEXT);"
        "INSERT INTO cw VALUES (1, 10, 'x'), (2, NULL, 'y'), (3, 30, 'z');");
    CHECK_INT(frame_read(cat, "cw", NULL, 0, 0, NULL, NULL, &f, &err), 0);
    double a2[3] = {-1, NAN, 5};
    struct frame_out o = {.name = "a", .decl = CATALOG_REAL, .num = a2};
    struct frame_write w = {.src = "cw", .f = f, .outs = &o, .n_outs = 1};
    unsigned long long before = catalog_clock(cat);
    CHECK_INT(frame_write(cat, &w, &err), 0);
    CHECK(catalog_written_at(cat, "cw") > before); /* the catalog noticed the write */
    CHECK_INT(frame_read(cat, "cw", NULL, 0, 0, NULL, NULL, &g, &err), 0);
    CHECK_PTR(g, f); /* and the cache was kept current, not dropped */
    CHECK_INT(frame_read(cat, "cw", NULL, 0, FRAME_NO_CACHE, NULL, NULL, &h, &err), 0);
    for (int r = 0; r < 3; r++) {
        CHECK_INT(frame_missing(g, 0, r), frame_missing(h, 0, r));
        if (!frame_missing(h, 0, r))
            CHECK_NEAR(frame_col(g, 0)[r], frame_col(h, 0)[r], 0);
    }
    CHECK_INT(g->n_missing[0], 1);
    frame_release(h);
    /* Numeric columns a cached frame holds are copied, not read. */
    const char *ba[] = {"B", "a"};
    double r0, w0;
    frame_io_times(cat, &r0, &w0, 1);
    CHECK_INT(frame_read(cat, "cw", ba, 2, FRAME_ALL_NUMERIC, NULL, NULL, &h, &err), 0);
    frame_io_times(cat, &r0, &w0, 0);
    CHECK_INT(r0, 0);
    CHECK_STR(h->names[0], "b");
    CHECK_NEAR(frame_col(h, 0)[2], 30, 0);
    CHECK(frame_missing(h, 0, 1));
    CHECK_NEAR(frame_col(h, 1)[2], 5, 0);
    frame_release(h);
    /* The same columns in the same order under another key: the frame is shared. */
    {
        struct frame *n1 = NULL, *n2 = NULL, *n3 = NULL;
        const char *xy[] = {"x", "y"}, *yx[] = {"y", "x"};
        sql("CREATE TABLE nn (x REAL, y INTEGER); INSERT INTO nn VALUES (1.5, 2), (NULL, 4);");
        CHECK_INT(frame_read(cat, "nn", xy, 2, 0, NULL, NULL, &n1, &err), 0);
        frame_io_times(cat, &r0, &w0, 1);
        CHECK_INT(frame_read(cat, "nn", NULL, 0, FRAME_ALL_NUMERIC, NULL, NULL, &n2, &err), 0);
        CHECK_PTR(n2, n1);
        CHECK_INT(frame_read(cat, "nn", yx, 2, 0, NULL, NULL, &n3, &err), 0);
        frame_io_times(cat, &r0, &w0, 0);
        CHECK_INT(r0, 0);
        CHECK(n3 != n1);
        CHECK_STR(n3->names[0], "y");
        CHECK_NEAR(frame_col(n3, 0)[1], 4, 0);
        CHECK(frame_missing(n3, 1, 1));
        frame_release(n3);
        frame_release(n2);
        frame_release(n1);
    }
    /* Text written: frames holding the column are forgotten and read again. */
    const char *tv[3] = {"p", "q", NULL};
    struct frame_out ot = {.name = "t", .decl = CATALOG_TEXT, .text = tv};
    w.outs = &ot;
    CHECK_INT(frame_write(cat, &w, &err), 0);
    CHECK_INT(frame_read(cat, "cw", NULL, 0, 0, NULL, NULL, &h, &err), 0);
    CHECK(h != f);
    CHECK_INT(h->code[2][2], -1);
    CHECK_STR(h->levels[2][h->code[2][1]], "q");
    frame_release(h);
    frame_release(g);
    frame_release(f);
}

/*
 * An in-place write rewrites only the rows whose values change (SQLite's
 * change count says how many rows the UPDATE touched) and only the
 * columns that change; the table ends up exactly as a full rewrite would
 * leave it, NULLs and text included.
 */
static void
test_write_changed_rows(void)
{
    struct qerr err = QERR_INIT;
    struct frame *f = NULL;
    sql("CREATE TABLE cr (a REAL, b INTEGER, c REAL, t TEXT);"
        "INSERT INTO cr VALUES (1.5, 10, 7, 'x'), (NULL, 20, 8, 'y'), (3, NULL, 9, 'z'),"
        " (4, 40, NULL, 'w'), (-0.25, 50, 11, 'v');");
    CHECK_INT(frame_read(cat, "cr", NULL, 0, 0, NULL, NULL, &f, &err), 0);
    sqlite3 *db = catalog_db(cat);
    /* a: row 2 filled (NULL -> 2), row 5 to NULL; b: row 3 filled; c: unchanged */
    double a2[5] = {1.5, 2, 3, 4, NAN}, b2[5] = {10, 20, 30, 40, 50}, c2[5] = {7, 8, 9, NAN, 11};
    struct frame_out o[3] = {
        {.name = "a", .decl = CATALOG_REAL, .num = a2},
        {.name = "b", .decl = CATALOG_INTEGER, .num = b2},
        {.name = "c", .decl = CATALOG_REAL, .num = c2},
    };
    struct frame_write w = {.src = "cr", .f = f, .outs = o, .n_outs = 3};
    int before = sqlite3_total_changes(db);
    CHECK_INT(frame_write(cat, &w, &err), 0);
    CHECK_INT(sqlite3_total_changes(db) - before, 3); /* rows 2, 3 and 5 */
    CHECK_VALUE("SELECT group_concat(coalesce(a, 'N') || ':' || coalesce(b, 'N') || ':' ||"
                " coalesce(c, 'N') || ':' || t, ' ') FROM (SELECT * FROM cr ORDER BY rowid)",
                "1.5:10:7.0:x 2.0:20:8.0:y 3.0:30:9.0:z 4.0:40:N:w N:50:11.0:v");
    CHECK_VALUE("SELECT typeof(b) FROM cr WHERE rowid = 3", "integer");
    /* Nothing changes: no row is rewritten. */
    before = sqlite3_total_changes(db);
    CHECK_INT(frame_write(cat, &w, &err), 0);
    CHECK_INT(sqlite3_total_changes(db) - before, 0);
    /* Compared bit for bit: 0.0 for 1.5 is a change, and so is -0.0 for 2.0. */
    a2[0] = 0.0;
    a2[1] = -0.0;
    before = sqlite3_total_changes(db);
    CHECK_INT(frame_write(cat, &w, &err), 0);
    CHECK_INT(sqlite3_total_changes(db) - before, 2);
    CHECK_VALUE("SELECT a FROM cr WHERE rowid = 2", "0.0"); /* SQLite keeps no sign of 0 */
    /* Without cached values to compare with, every row is written. */
    frame_cache_clear(cat);
    a2[0] = 1;
    before = sqlite3_total_changes(db);
    CHECK_INT(frame_write(cat, &w, &err), 0);
    CHECK_INT(sqlite3_total_changes(db) - before, 5);
    CHECK_VALUE("SELECT sum(a) FROM cr", "8.0");
    frame_release(f);
}

/*
 * A declared type that changes (INTEGER to REAL) makes frame_write build
 * the table anew: its rowids, values, indexes and triggers are as an
 * UPDATE would leave them.
 */
static void
test_write_rebuild_keeps(void)
{
    struct qerr err = QERR_INIT;
    struct frame *f = NULL;
    sql("CREATE TABLE rb (a INTEGER, b REAL); CREATE TABLE rb_log (n INTEGER);"
        "INSERT INTO rb (rowid, a, b) VALUES (10, 1, 2), (20, 3, NULL), (30, 5, 6);"
        "CREATE INDEX rb_a ON rb (a);"
        "CREATE TRIGGER rb_del AFTER DELETE ON rb BEGIN INSERT INTO rb_log VALUES (old.rowid); END;");
    CHECK_INT(frame_read(cat, "rb", NULL, 0, 0, NULL, NULL, &f, &err), 0);
    double a2[3] = {-1, -3, 5}, b2[3] = {2, 4, -6};
    struct frame_out o[2] = {
        {.name = "a", .decl = CATALOG_REAL, .num = a2},
        {.name = "b", .decl = CATALOG_REAL, .num = b2},
    };
    struct frame_write w = {.src = "rb", .f = f, .outs = o, .n_outs = 2};
    CHECK_INT(frame_write(cat, &w, &err), 0);
    CHECK_VALUE("SELECT group_concat(rowid || ':' || a || ':' || b, ' ') FROM "
                "(SELECT rowid, * FROM rb ORDER BY rowid)",
                "10:-1.0:2.0 20:-3.0:4.0 30:5.0:-6.0");
    CHECK_VALUE("SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_schema WHERE "
                "tbl_name = 'rb' AND type IN ('index', 'trigger') ORDER BY name)",
                "rb_a,rb_del");
    CHECK_VALUE("SELECT a FROM rb INDEXED BY rb_a WHERE a < 0 ORDER BY a LIMIT 1", "-3.0");
    sql("DELETE FROM rb WHERE rowid = 20;");
    CHECK_VALUE("SELECT group_concat(n) FROM rb_log", "20");
    CHECK_VALUE("PRAGMA integrity_check", "ok");
    CHECK_VALUE("SELECT type FROM pragma_table_info('rb') WHERE name = 'a'", "REAL");
    frame_release(f);
}

/*
 * The cache holds at most its byte limit: the least recently used frames
 * go first, a frame a caller still holds stays valid, and the newest
 * frame is kept even when it alone is over the limit.
 */
static void
test_cache_limit(void)
{
    struct qerr err = QERR_INIT;
    struct frame *a = NULL, *b = NULL, *c = NULL, *again = NULL;
    sql("CREATE TABLE lim (x REAL, y REAL);"
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)"
        " INSERT INTO lim SELECT i, -i FROM n;");
    const char *xs[] = {"x"}, *ys[] = {"y"};
    /* one column of 1000 rows: 8000 values + 8000 rowids = 16 KB; room for two */
    frame_cache_limit(cat, 40000);
    CHECK_INT(frame_read(cat, "lim", xs, 1, 0, NULL, NULL, &a, &err), 0);
    CHECK_INT(frame_read(cat, "lim", ys, 1, 0, NULL, NULL, &b, &err), 0);
    CHECK_INT(frame_read(cat, "lim", NULL, 0, 0, NULL, NULL, &c, &err), 0); /* 24 KB */
    /* x, the oldest, was dropped from the cache; the caller's frame is intact */
    CHECK_NEAR(frame_col(a, 0)[999], 1000, 0);
    CHECK_INT(frame_read(cat, "lim", xs, 1, 0, NULL, NULL, &again, &err), 0);
    CHECK(again != a);
    CHECK_NEAR(frame_col(again, 0)[0], 1, 0);
    frame_release(again);
    /* a limit smaller than one frame still caches the newest */
    frame_cache_limit(cat, 1);
    struct frame *first = NULL;
    CHECK_INT(frame_read(cat, "lim", ys, 1, 0, NULL, NULL, &first, &err), 0);
    CHECK_INT(frame_read(cat, "lim", ys, 1, 0, NULL, NULL, &again, &err), 0);
    CHECK_PTR(again, first);
    frame_release(again);
    frame_release(first);
    frame_cache_limit(cat, 0);
    frame_release(a);
    frame_release(b);
    frame_release(c);
}

/*
 * The columns a load keeps are exactly what reading the table gives;
 * tables are named ld<tag>..., loaded with batch_rows.
 */
static void
test_load_capture(int batch_rows, const char *tag)
{
    char name[32];
    struct qerr err = QERR_INIT;
    const char *path = "/tmp/quarry-test-frame-load.csv";
    FILE *fp = fopen(path, "w");
    if (!fp) {
        check_fail++;
        return;
    }
    fputs("id,x,name,when\n1,1.5,a,2024-01-02\n2,,b,2024-01-03\n3,-2,,\n4,1e3,d,2024-01-05\n", fp);
    fclose(fp);
    struct load_opts o;
    struct load_result r;
    load_opts_init(&o);
    load_result_init(&r);
    o.path = path;
    o.batch_rows = batch_rows;
    snprintf(name, sizeof(name), "ld%s", tag);
    o.table = name;
    o.capture_bytes = 1 << 20;
    CHECK_INT(load_file(catalog_db(cat), &o, &r, &err), 0);
    CHECK(r.num != NULL);
    if (r.num) {
        CHECK(r.num[0] && r.num[1] && !r.num[2] && !r.num[3]);
        CHECK_INT(r.decl[0], CATALOG_INTEGER);
        CHECK_INT(r.decl[1], CATALOG_REAL);
        /* the row count was known: the columns sit in one block, taken as it is */
        CHECK(r.num_block != NULL && r.num_ld >= r.n_rows && r.num_ld % 8 == 0);
        CHECK(r.num[0] == r.num_block && r.num[1] == r.num_block + r.num_ld);
        frame_cache_adopt(cat, name, r.n_cols, r.names, r.decl, r.num, r.n_rows, r.num_block,
                          r.num_ld);
        r.num_block = NULL;
    }
    load_result_release(&r);
    struct frame *f = NULL, *g = NULL;
    const char *cols[] = {"x", "id"};
    double r0, w0;
    frame_io_times(cat, &r0, &w0, 1);
    CHECK_INT(frame_read(cat, name, cols, 2, 0, NULL, NULL, &f, &err), 0);
    frame_io_times(cat, &r0, &w0, 0);
    CHECK_INT(r0, 0); /* served from the kept columns */
    CHECK_INT(frame_read(cat, name, cols, 2, FRAME_NO_CACHE, NULL, NULL, &g, &err), 0);
    for (int j = 0; f && g && j < 2; j++) {
        CHECK_INT(f->n_missing[j], g->n_missing[j]);
        for (long long row = 0; row < 4; row++) {
            CHECK_INT(f->rowid[row], g->rowid[row]);
            CHECK_INT(frame_missing(f, j, row), frame_missing(g, j, row));
            if (!frame_missing(g, j, row))
                CHECK_NEAR(frame_col(f, j)[row], frame_col(g, j)[row], 0);
        }
    }
    frame_release(f);
    frame_release(g);
    /* Rows longer later than in the sample: the kept columns grow as rows come. */
    fp = fopen(path, "w");
    fputs("v,w\n", fp);
    for (int i = 0; i < 6000; i++)
        fprintf(fp, i < 3000 ? "%d,1\n" : "%d.123456789012,22222222.5\n", i);
    fclose(fp);
    load_result_init(&r);
    snprintf(name, sizeof(name), "ld3%s", tag);
    o.table = name;
    o.capture_bytes = 1 << 20;
    CHECK_INT(load_file(catalog_db(cat), &o, &r, &err), 0);
    CHECK(r.num != NULL);
    if (r.num) {
        CHECK_NEAR(r.num[0][5999], 5999.123456789012, 0);
        CHECK_NEAR(r.num[1][0], 1, 0);
        CHECK_INT(r.n_rows, 6000);
    }
    load_result_release(&r);
    /* Rows shorter later than in the sample: more rows than estimated, the block grows. */
    fp = fopen(path, "w");
    fputs("v,w\n", fp);
    for (int i = 0; i < 20000; i++)
        fprintf(fp, i < 2000 ? "%d.123456789012,22222222.5\n" : "%d,1\n", i);
    fclose(fp);
    load_result_init(&r);
    snprintf(name, sizeof(name), "ld4%s", tag);
    o.table = name;
    o.capture_bytes = 1 << 20;
    CHECK_INT(load_file(catalog_db(cat), &o, &r, &err), 0);
    CHECK(r.num != NULL && r.num_block != NULL);
    if (r.num) {
        CHECK_INT(r.n_rows, 20000);
        CHECK(r.num_ld >= r.n_rows);
        CHECK_NEAR(r.num[0][1999], 1999.123456789012, 0);
        CHECK_NEAR(r.num[0][19999], 19999, 0);
        CHECK_NEAR(r.num[1][19999], 1, 0);
        CHECK_PTR(r.num[1], r.num_block + r.num_ld);
    }
    load_result_release(&r);
    /* A limit too small keeps nothing. */
    load_result_init(&r);
    snprintf(name, sizeof(name), "ld2%s", tag);
    o.table = name;
    o.capture_bytes = 16;
    CHECK_INT(load_file(catalog_db(cat), &o, &r, &err), 0);
    CHECK_PTR(r.num, NULL);
    load_result_release(&r);
    remove(path);
}

/*
 * The table: a column named rowid holding 5 3 1 2 4 beside v. Rows
 * are (real rowid: rowid column, v) 1:5,1 2:3,2 3:1,100 4:2,101 5:4,3.
 */
static void
test_shadowed_rowid(void)
{
    struct qerr err = QERR_INIT;
    struct frame *f = NULL;
    sql("CREATE TABLE sh (rowid INTEGER, v REAL);"
        "INSERT INTO sh VALUES (5, 1), (3, 2), (1, 100), (2, 101), (4, 3);");
    const char *vcol[] = {"v"};
    CHECK_INT(frame_read(cat, "sh", vcol, 1, FRAME_NO_CACHE, NULL, NULL, &f, &err), 0);
    if (!f)
        return;
    for (int r = 0; r < 5; r++)
        CHECK_INT(f->rowid[r], r + 1);
    CHECK_NEAR(frame_col(f, 0)[0], 1, 0);
    CHECK_NEAR(frame_col(f, 0)[2], 100, 0);
    CHECK_NEAR(frame_col(f, 0)[4], 3, 0);

    /* In place, same type: each row gets its own value back, times ten. */
    double v10[5], lab[5];
    for (int r = 0; r < 5; r++) {
        v10[r] = frame_col(f, 0)[r] * 10;
        lab[r] = frame_col(f, 0)[r] > 50; /* the two big values: label 1 */
    }
    struct frame_out outs[] = {{.name = "v", .decl = CATALOG_REAL, .num = v10},
                               {.name = "big", .decl = CATALOG_INTEGER, .num = lab}};
    struct frame_write w = {.src = "sh", .f = f, .outs = outs, .n_outs = 2};
    CHECK_OK(frame_write(cat, &w, &err), err);
    CHECK_VALUE("SELECT group_concat(_rowid_ || ':' || rowid || ':' || v || ':' || big, ' ') "
                "FROM sh", "1:5:10.0:0 2:3:20.0:0 3:1:1000.0:1 4:2:1010.0:1 5:4:30.0:0");
    frame_release(f);

    /* Dropping rows by the keep mask drops the frame's rows, not the column's. */
    CHECK_INT(frame_read(cat, "sh", vcol, 1, FRAME_NO_CACHE, NULL, NULL, &f, &err), 0);
    if (!f)
        return;
    unsigned char keep[5] = {1, 0, 1, 0, 1};
    struct frame_write wk = {.src = "sh", .f = f, .outs = outs, .n_outs = 1, .keep = keep};
    for (int r = 0; r < 5; r++)
        v10[r] = r;
    CHECK_OK(frame_write(cat, &wk, &err), err);
    CHECK_VALUE("SELECT group_concat(_rowid_ || ':' || rowid || ':' || v, ' ') FROM sh",
                "1:5:0.0 3:1:2.0 5:4:4.0");
    frame_release(f);

    /* A rebuild (v's type changes) and a copy join on the real row ids too. */
    CHECK_INT(frame_read(cat, "sh", vcol, 1, FRAME_NO_CACHE, NULL, NULL, &f, &err), 0);
    if (!f)
        return;
    double iv[3] = {7, 8, 9};
    struct frame_out io = {.name = "v", .decl = CATALOG_INTEGER, .num = iv};
    struct frame_write wc = {.src = "sh", .dest = "sh_copy", .f = f, .outs = &io, .n_outs = 1};
    CHECK_OK(frame_write(cat, &wc, &err), err);
    CHECK_VALUE("SELECT group_concat(_rowid_ || ':' || rowid || ':' || v || ':' || big, ' ') "
                "FROM sh_copy", "1:5:7:0 3:1:8:1 5:4:9:0");
    struct frame_write wr = {.src = "sh", .f = f, .outs = &io, .n_outs = 1};
    CHECK_OK(frame_write(cat, &wr, &err), err);
    CHECK_VALUE("SELECT group_concat(_rowid_ || ':' || rowid || ':' || v || ':' || big, ' ') "
                "FROM sh", "1:5:7:0 3:1:8:1 5:4:9:0");
    CHECK_VALUE("SELECT type FROM pragma_table_info('sh') WHERE name = 'v'", "INTEGER");

    /* A new column that would hide the last name left is refused, and nothing changes. */
    sql("ALTER TABLE sh ADD COLUMN _rowid_ INTEGER");
    struct frame_out oid = {.name = "oid", .decl = CATALOG_INTEGER, .num = iv};
    struct frame_write wo = {.src = "sh", .f = f, .outs = &oid, .n_outs = 1};
    CHECK_INT(frame_write(cat, &wo, &err), -1);
    CHECK_INT(err.code, QE_ARG);
    CHECK_HAS(err.msg, "hide the row ids of 'sh'");
    qerr_clear(&err);
    CHECK_VALUE("SELECT count(*) FROM pragma_table_info('sh')", "4");
    frame_release(f);

    /* All three hidden: refused before reading, cached or not. */
    sql("ALTER TABLE sh ADD COLUMN OID");
    f = NULL;
    CHECK_INT(frame_read(cat, "sh", vcol, 1, 0, NULL, NULL, &f, &err), -1);
    CHECK(f == NULL);
    CHECK_INT(err.code, QE_ARG);
    CHECK_STR(err.msg, "columns named 'rowid', '_rowid_' and 'OID' hide the row ids of 'sh', "
                       "which quarry needs to keep its rows in line");
    qerr_clear(&err);
}

int
main(void)
{
    struct qerr err = QERR_INIT;
    if (catalog_open(&cat, &err) < 0) {
        fprintf(stderr, "catalog_open: %s\n", err.msg);
        return 1;
    }
    test_read();
    test_times();
    test_cancel();
    test_write();
    test_cache_written();
    test_write_changed_rows();
    test_write_rebuild_keeps();
    test_cache_limit();
    test_shadowed_rowid();
    test_load_capture(0, "");
    test_load_capture(2, "_pipe"); /* parsed on a second thread, in batches of 2 rows */
    catalog_free(cat);
    return check_done("test_frame");
}
