/*
 * test_frame_direct.c: frame_read of a column table takes its arrays
 * directly (coltab_view, no row through SQL) and gives the very frame the
 * SQL read gives (FRAME_SQL), bit for bit: values, masks, missing and
 * non-number counts, kinds, text codes and levels, rowids.
 *
 * Plan:
 *   1. a table with every storage class in every declared type (INTEGER,
 *      INT, REAL, TEXT, NUMERIC, none, DATE_TEXT): NULLs, numbers as text
 *      ('12.5', ' 7', '1e3', 'abc', ''), blobs, text with a NUL inside,
 *      large and negative integers, -0.0, dates in several forms (day,
 *      day and time with 'T' or ' ', seconds, fractions, Z, an impossible
 *      day, a number); read all columns and column subsets with the flags
 *      0, FRAME_ALL_NUMERIC and FRAME_TIMES, direct and through SQL, and
 *      compared with the same read of an ordinary copy of the table
 *   2. the same after DELETEs (first, middle and last rows), UPDATEs that
 *      change storage classes, an INSERT in the middle of the rowids and
 *      a rowid change; after undo (ROLLBACK TO) the frame is the one read
 *      before the writes
 *   3. the direct read runs no SELECT of the rows (an SQL trace sees only
 *      coltab_view's statement), and coltab_view does not take an ordinary
 *      table or a temp table shadowing a column table
 *   4. 3000 rows of generated values, read both ways; a cancel from the
 *      progress callback stops the direct read with QE_INTERRUPT
 *   5. a CSV loaded as a column table keeps no frame-cache copy (r.num is
 *      NULL) and its frame is the SQL read's; loaded ordinary it still does
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "check.h"
#include "data/coltab.h"
#include "data/frame.h"
#include "data/load.h"

static struct catalog *cat;
static sqlite3 *db;

static void
sql(const char *s)
{
    char *msg = NULL;
    if (sqlite3_exec(db, s, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "sql failed: %s: %s\n", s, msg);
        check_fail++;
    }
    sqlite3_free(msg);
}

/* Whether a and b are the same frame, field by field; says where they differ. */
static int
same_frame(const struct frame *a, const struct frame *b, const char *what)
{
    int ok = a && b && a->n_rows == b->n_rows && a->n_cols == b->n_cols;
    if (ok)
        ok = memcmp(a->rowid, b->rowid, (size_t)a->n_rows * sizeof(*a->rowid)) == 0;
    for (int j = 0; ok && j < a->n_cols; j++) {
        size_t n = (size_t)a->n_rows;
        ok = strcmp(a->names[j], b->names[j]) == 0 && a->kind[j] == b->kind[j] &&
             a->decl[j] == b->decl[j] && a->n_missing[j] == b->n_missing[j] &&
             a->n_nonnum[j] == b->n_nonnum[j] && !a->mask[j] == !b->mask[j] &&
             (!a->mask[j] || memcmp(a->mask[j], b->mask[j], n) == 0) &&
             memcmp(frame_col(a, j), frame_col(b, j), n * sizeof(double)) == 0 &&
             !a->code[j] == !b->code[j] &&
             (!a->code[j] || memcmp(a->code[j], b->code[j], n * sizeof(int32_t)) == 0) &&
             a->n_levels[j] == b->n_levels[j];
        for (int l = 0; ok && l < a->n_levels[j]; l++)
            ok = strcmp(a->levels[j][l], b->levels[j][l]) == 0;
        if (!ok)
            printf("%s: column %d (%s) differs\n", what, j, a->names[j]);
    }
    if (!ok && (!a || !b || a->n_rows != b->n_rows || a->n_cols != b->n_cols))
        printf("%s: frames differ in shape\n", what);
    return ok;
}

/* A read of table (n_cols 0: all), uncached; NULL (and a failed check) when it fails. */
static struct frame *
read_frame(const char *table, const char *const *cols, int n_cols, int flags)
{
    struct qerr err = QERR_INIT;
    struct frame *f = NULL;
    if (frame_read(cat, table, cols, n_cols, flags | FRAME_NO_CACHE, NULL, NULL, &f, &err) < 0) {
        printf("frame_read %s: %s\n", table, err.msg);
        check_fail++;
    }
    qerr_clear(&err);
    return f;
}

/* SQL statements reading rows in rowid order, as the trace saw them. */
static int n_ordered;
/* Reads expected to take the arrays directly. */
static int n_direct;

static int
trace(unsigned what, void *ctx, void *p, void *x)
{
    (void)what;
    (void)ctx;
    (void)x;
    const char *s = sqlite3_sql(p);
    if (s && strstr(s, "ORDER BY rowid"))
        n_ordered++;
    return 0;
}

/*
 * Whether the frame read of cols (NULL: all) of c with flags can take the
 * arrays: not when a column read as text holds a REAL cell (only SQL
 * writes a double as text the way SQL reads it).
 */
static int
direct_expected(const char *const *cols, int n, int flags)
{
    static const char *const text_cols[] = {"t", "n", "o", "d"};
    int reals = 0;
    if (flags)
        return 1;
    for (int k = 0; k < 4; k++) {
        int asked = n == 0;
        for (int j = 0; j < n; j++)
            asked |= strcmp(cols[j], text_cols[k]) == 0;
        if (!asked)
            continue;
        char q[128];
        snprintf(q, sizeof q, "SELECT count(*) FROM main.c WHERE typeof(%s) = 'real'",
                 text_cols[k]);
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, q, -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            reals += sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    return reals == 0;
}

static const char *const flag_names[] = {"0", "all numeric", "times"};
static const int flag_sets[] = {0, FRAME_ALL_NUMERIC, FRAME_TIMES};

/*
 * Every read of the column table c, direct and through SQL, and of the
 * ordinary table r (the same rows) the same; the direct reads run no
 * ordered SELECT. out (when not NULL) gets the direct read of every column.
 */
static void
compare_reads(const char *what, struct frame **out)
{
    static const char *const subsets[][3] = {
        {"d", "i", NULL}, {"t", "n", "x"}, {"o", "i", "k"}, {"n", NULL, NULL}};
    char tag[160];
    for (int fs = 0; fs < 3; fs++) {
        for (int s = -1; s < 4; s++) {
            const char *const *cols = s < 0 ? NULL : subsets[s];
            int n = 0;
            while (s >= 0 && n < 3 && cols[n])
                n++;
            snprintf(tag, sizeof tag, "%s, flags %s, columns %d", what, flag_names[fs], s);
            int direct = direct_expected(cols, n, flag_sets[fs]);
            n_direct += direct;
            n_ordered = 0;
            struct frame *d = read_frame("c", cols, n, flag_sets[fs]);
            /* the direct read: no SELECT ... ORDER BY rowid */
            CHECK_INT(n_ordered, !direct);
            struct frame *q = read_frame("c", cols, n, flag_sets[fs] | FRAME_SQL);
            CHECK(n_ordered > 0); /* FRAME_SQL does read through SQL */
            struct frame *o = read_frame("r", cols, n, flag_sets[fs]);
            CHECK(same_frame(d, q, tag));
            CHECK(same_frame(d, o, tag));
            if (out && fs == 0 && s < 0)
                *out = d;
            else
                frame_release(d);
            frame_release(q);
            frame_release(o);
        }
    }
}

/* The same statement on the ordinary table r and the column table c ('@'). */
static void
both(const char *q)
{
    struct buf a = BUF_INIT, b = BUF_INIT;
    for (const char *s = q; *s; s++) {
        buf_addf(&a, "%c", *s == '@' ? 'r' : *s);
        buf_addf(&b, "%c", *s == '@' ? 'c' : *s);
    }
    sql(a.data);
    sql(b.data);
    buf_release(&a);
    buf_release(&b);
}

#define COLUMNS "i INTEGER, k INT, x REAL, t TEXT, n NUMERIC, o, d DATE_TEXT"

static void
test_mixed(void)
{
    sql("CREATE TABLE r (" COLUMNS ");"
        "CREATE VIRTUAL TABLE c USING columns(" COLUMNS ");");
    /* each row goes into both through the same INSERT: the same affinities apply */
    both("INSERT INTO @ VALUES "
         "(1, 2, 1.5, 'a', 3, 'x', '2024-01-02'),"
         "(NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
         "('12.5', ' 7', '1e3', 12, '4.5', 2.25, '2024-01-02T10:11:12'),"
         "('abc', '', 'x1', 3.75, 'text', -7, '2024-01-02 10:11'),"
         "(x'3132', x'00', x'41', x'4243', x'', x'31', x'323032342d30312d3032'),"
         "(-9223372036854775807, 4611686018427387904, -0.0, '', -0.0, '', '2024-02-30'),"
         "(3, 1e300, 2, 'a', 7, 9223372036854775807, 20240102),"
         "(CAST(x'610062' AS TEXT), 5, -1e-300, CAST(x'610062' AS TEXT), 'a', 'x', "
         "'2024-01-02T10:11:12.25Z'),"
         "(' 3 ', '3.0', '  ', 'b', '1e999', 0.1, '2023-12-31T23:59:59'),"
         "(7, 8, 9, 'a', 10, 'y', 'yesterday')");
    compare_reads("mixed", NULL);

    /* coltab_view takes the column table, not the ordinary one */
    CHECK_INT(coltab_is(db, "c"), 1);
    CHECK_INT(coltab_is(db, "r"), 0);

    /* writes: deletes at both ends and inside, class changes, rowids in the middle */
    struct frame *before = NULL, *after = NULL;
    compare_reads("mixed", &before);
    sql("BEGIN; SAVEPOINT w");
    both("DELETE FROM @ WHERE rowid IN (1, 5, 10)");
    compare_reads("deleted", NULL);
    both("UPDATE @ SET i = 'now text', x = 42, t = 17, n = 'n', d = '2025-06-07' "
         "WHERE rowid IN (2, 3)");
    both("UPDATE @ SET o = 1.5, k = 'k' WHERE rowid = 4");
    both("INSERT INTO @(rowid, i, x, t, d) VALUES (5, 99, 0.5, 'mid', '2020-02-29')");
    both("UPDATE @ SET rowid = 100 WHERE rowid = 6");
    both("INSERT INTO @(i, t) VALUES (1000, 'end')");
    compare_reads("written", NULL);
    sql("ROLLBACK TO w; RELEASE w; COMMIT");
    compare_reads("undone", &after);
    CHECK(same_frame(before, after, "undone against before"));
    frame_release(before);
    frame_release(after);

    /* a temp table of the same name shadows c for SQL, and so for the frame read */
    sql("CREATE TEMP TABLE c (i INTEGER, t TEXT); INSERT INTO temp.c VALUES (5, 'temp')");
    struct frame *f = read_frame("c", NULL, 0, 0);
    CHECK(f && f->n_rows == 1 && f->n_cols == 2);
    if (f && f->n_rows == 1)
        CHECK_NEAR(frame_col(f, 0)[0], 5, 0);
    frame_release(f);
    sql("DROP TABLE temp.c");
    sql("DROP TABLE r; DROP TABLE c");
}

/* Progress: counts its calls in *ctx; cancels when *ctx started negative. */
static int
progress(void *ctx, double fraction)
{
    (void)fraction;
    int *calls = ctx;
    return *calls < 0 ? 1 : ++*calls == 0;
}

static void
test_generated(void)
{
    sql("CREATE TABLE r (" COLUMNS ");"
        "CREATE VIRTUAL TABLE c USING columns(" COLUMNS ");");
    /* 3000 rows: every class in turn in each column, many distinct texts and dates */
    both("WITH RECURSIVE s(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM s WHERE v < 3000) "
         "INSERT INTO @ SELECT "
         "CASE v % 5 WHEN 0 THEN NULL WHEN 1 THEN v WHEN 2 THEN v * 0.25 "
         "  WHEN 3 THEN 'w' || v ELSE printf('%d.5', v) END, "
         "v * 7 % 11, "
         "CASE WHEN v % 13 = 0 THEN NULL ELSE v / 7.0 END, "
         "CASE v % 4 WHEN 0 THEN 'cat' || (v % 17) WHEN 1 THEN v % 9 WHEN 2 THEN NULL "
         "  ELSE 'dog' END, "
         "CASE v % 3 WHEN 0 THEN v - 1500 WHEN 1 THEN 'n' || (v % 5) ELSE NULL END, "
         "CASE v % 6 WHEN 0 THEN -v WHEN 1 THEN 'o' || v WHEN 2 THEN x'ff' ELSE NULL END, "
         "CASE v % 7 WHEN 0 THEN NULL WHEN 1 THEN 'bad' "
         "  ELSE date('2020-01-01', '+' || v || ' days') || "
         "    CASE v % 2 WHEN 0 THEN '' ELSE printf('T%02d:%02d:%02d', v % 24, v % 60, v % 59) "
         "    END END "
         "FROM s");
    both("DELETE FROM @ WHERE rowid % 97 = 0");
    compare_reads("generated", NULL);

    /* a cancel stops the direct read */
    struct qerr err = QERR_INIT;
    struct frame *f = NULL;
    int calls = 0;
    CHECK_INT(frame_read(cat, "c", NULL, 0, FRAME_NO_CACHE, progress, &calls, &f, &err), 0);
    CHECK(calls > 0);
    frame_release(f);
    f = NULL;
    calls = -1;
    CHECK_INT(frame_read(cat, "c", NULL, 0, FRAME_NO_CACHE, progress, &calls, &f, &err), -1);
    CHECK_INT(err.code, QE_INTERRUPT);
    CHECK(f == NULL);
    qerr_clear(&err);
    sql("DROP TABLE r; DROP TABLE c");
}

static void
test_load(void)
{
    struct qerr err = QERR_INIT;
    const char *path = "/tmp/quarry-test-frame-columns.csv";
    FILE *fp = fopen(path, "w");
    if (!fp) {
        check_fail++;
        return;
    }
    fputs("id,x,name,when\n1,1.5,a,2024-01-02\n2,,b,2024-01-03T04:05:06\n3,-2,,\n"
          "4,1e3,d,2024-13-05\n",
          fp);
    fclose(fp);
    for (int columns = 0; columns < 2; columns++) {
        struct load_opts o;
        struct load_result r;
        load_opts_init(&o);
        load_result_init(&r);
        o.path = path;
        o.table = columns ? "lc" : "lr";
        o.capture_bytes = 1 << 20;
        o.columns = columns;
        CHECK_INT(load_file(db, &o, &r, &err), 0);
        CHECK_INT(coltab_is(db, o.table), columns);
        /* a column table is read directly: load keeps no copy of its numbers */
        CHECK_INT(r.num == NULL, columns);
        load_result_release(&r);
    }
    for (int fs = 0; fs < 3; fs++) {
        struct frame *d = read_frame("lc", NULL, 0, flag_sets[fs]);
        struct frame *q = read_frame("lc", NULL, 0, flag_sets[fs] | FRAME_SQL);
        struct frame *o = read_frame("lr", NULL, 0, flag_sets[fs]);
        CHECK(same_frame(d, q, "loaded"));
        CHECK(same_frame(d, o, "loaded"));
        if (fs == 2 && d) { /* the dates as seconds: 2024-01-02 is day 19724 */
            CHECK_NEAR(frame_col(d, 3)[0], 19724.0 * 86400, 0);
            CHECK_NEAR(frame_col(d, 3)[1], 19725.0 * 86400 + 4 * 3600 + 5 * 60 + 6, 0);
            CHECK_INT(d->n_nonnum[3], 1);
            CHECK_INT(d->n_missing[3], 2);
        }
        frame_release(d);
        frame_release(q);
        frame_release(o);
    }
    remove(path);
    sql("DROP TABLE lc; DROP TABLE lr");
}

int
main(void)
{
    struct qerr err = QERR_INIT;
    if (catalog_open(&cat, &err) < 0) {
        fprintf(stderr, "catalog_open: %s\n", err.msg);
        return 1;
    }
    db = catalog_db(cat);
    CHECK_OK(coltab_register(db, &err), err);
    sqlite3_trace_v2(db, SQLITE_TRACE_STMT, trace, NULL);
    test_mixed();
    test_generated();
    test_load();
    CHECK(n_direct > 50); /* most reads above took the arrays */
    catalog_free(cat);
    return check_done("test_frame_direct");
}
