/*
 * test_frame_columns.c: frame_write_columns, a command's new table made as
 * a column table (issue 18). The same outs written by frame_write_new (rows
 * through SQL) and by frame_write_columns (arrays put directly) give the
 * same table to SQL: declared types, rowids, every value and its storage
 * class; frame_write's copy of a column table (`... as NAME`) is a column
 * table equal to the copy of its ordinary twin, the source untouched, also
 * a copy dropping rows (sample ... as NAME: the kept rows with their
 * rowids, with and without outs, none kept); what a column
 * table cannot take (a column named rowid, text into
 * an INTEGER column) is "not taken" and leaves no table; replace drops the
 * old table; a rollback takes the new table away.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "data/coltab.h"
#include "data/frame.h"

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

/* Every row of query q, its columns joined by '|' and its rows by '\n'. */
static char *
rows(const char *q)
{
    sqlite3_stmt *st = NULL;
    struct buf b = BUF_INIT;
    buf_adds(&b, "");
    if (sqlite3_prepare_v2(catalog_db(cat), q, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "prepare failed: %s: %s\n", q, sqlite3_errmsg(catalog_db(cat)));
        check_fail++;
        return buf_detach(&b);
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            const unsigned char *v = sqlite3_column_text(st, i);
            buf_addf(&b, "%s%s", i ? "|" : "", v ? (const char *)v : "NULL");
        }
        buf_adds(&b, "\n");
    }
    sqlite3_finalize(st);
    return buf_detach(&b);
}

/* The table's columns (name, declared type), then its rows: rowid, and typeof and quote of
 * each column named in cols (comma-separated). */
static char *
dump(const char *table, const char *cols)
{
    struct buf q = BUF_INIT;
    buf_addf(&q, "SELECT name, type FROM pragma_table_info('%s')", table);
    char *decl = rows(q.data);
    buf_reset(&q);
    buf_adds(&q, "SELECT rowid");
    for (const char *c = cols; *c;) {
        size_t n = strcspn(c, ",");
        buf_addf(&q, ", typeof(%.*s), quote(%.*s)", (int)n, c, (int)n, c);
        c += n + (c[n] == ',');
    }
    buf_addf(&q, " FROM \"%s\" ORDER BY rowid", table);
    char *data = rows(q.data);
    buf_release(&q);
    struct buf b = BUF_INIT;
    buf_addf(&b, "%s--\n%s", decl, data);
    free(decl);
    free(data);
    return buf_detach(&b);
}

static int
is_virtual(const char *table)
{
    char q[256];
    snprintf(q, sizeof q, "SELECT count(*) FROM sqlite_schema WHERE name = '%s' AND sql LIKE "
             "'CREATE VIRTUAL TABLE%%USING columns%%'", table);
    char *v = rows(q);
    int yes = strcmp(v, "1\n") == 0;
    free(v);
    return yes;
}

#define N 7

static void
test_same_table(void)
{
    struct qerr err = QERR_INIT;
    /* whole and fractional numbers in an INTEGER column, one past 2^53, NaN as NULL */
    double ints[N] = {1, -2, 3.5, NAN, 9007199254740993.0, 0, 1e300};
    double reals[N] = {0.25, NAN, -0.0, 7, 1e-300, -3, 12345678.875};
    const char *texts[N] = {"a", NULL, "12", "", "x y", "caf\xc3\xa9", "3.0"};
    const char *dates[N] = {"2024-01-31", NULL, "2024-02-29", "2023-12-01", "2024-03-01",
                            "2024-01-01", "2024-12-31"};
    double other[N] = {1, 2.5, NAN, -4, 0, 8, 9};
    const char *otext[N] = {"p", "12", NULL, "4.5", "q", "", "z"};
    struct frame_out outs[] = {
        {.name = "i", .decl = CATALOG_INTEGER, .num = ints},
        {.name = "r", .decl = CATALOG_REAL, .num = reals},
        {.name = "t", .decl = CATALOG_TEXT, .text = texts},
        {.name = "d", .decl = CATALOG_DATE, .text = dates},
        {.name = "o", .decl = CATALOG_OTHER, .num = other},
        {.name = "ot", .decl = CATALOG_OTHER, .text = otext},
    };
    CHECK_INT(frame_write_new(cat, "by_rows", outs, 6, N, NULL, NULL, &err), 0);
    CHECK_INT(frame_write_columns(cat, "by_cols", outs, 6, N, 0, &err), 0);
    CHECK_INT(is_virtual("by_cols"), 1);
    CHECK_INT(is_virtual("by_rows"), 0);
    char *a = dump("by_rows", "i,r,t,d,o,ot"), *b = dump("by_cols", "i,r,t,d,o,ot");
    CHECK_STR(b, a);
    free(a);
    free(b);
    /* SQL over it: a filter, a GROUP BY, a join with the ordinary twin */
    a = rows("SELECT t, count(*), sum(r) FROM by_rows WHERE i IS NOT NULL GROUP BY t ORDER BY t");
    b = rows("SELECT t, count(*), sum(r) FROM by_cols WHERE i IS NOT NULL GROUP BY t ORDER BY t");
    CHECK_STR(b, a);
    free(a);
    free(b);
    a = rows("SELECT count(*) FROM by_rows x JOIN by_cols y ON x.rowid = y.rowid AND "
             "x.i IS y.i AND x.r IS y.r AND x.t IS y.t");
    CHECK_STR(a, "7\n");
    free(a);

    /* exists: refused unless replace */
    CHECK_INT(frame_write_columns(cat, "by_cols", outs, 6, N, 0, &err), -1);
    CHECK_INT(err.code, QE_ARG);
    qerr_clear(&err);
    double one[1] = {42};
    struct frame_out o1[] = {{.name = "v", .decl = CATALOG_INTEGER, .num = one}};
    CHECK_INT(frame_write_columns(cat, "by_cols", o1, 1, 1, 1, &err), 0);
    a = rows("SELECT rowid, v, typeof(v) FROM by_cols");
    CHECK_STR(a, "1|42|integer\n");
    free(a);
    /* no rows */
    CHECK_INT(frame_write_columns(cat, "empty", o1, 1, 0, 0, &err), 0);
    a = rows("SELECT count(*) FROM empty");
    CHECK_STR(a, "0\n");
    free(a);
    CHECK_INT(is_virtual("empty"), 1);
}

static void
test_not_taken(void)
{
    struct qerr err = QERR_INIT;
    double v[2] = {1, 2};
    struct frame_out rid[] = {{.name = "rowid", .decl = CATALOG_INTEGER, .num = v}};
    CHECK_INT(frame_write_columns(cat, "nt1", rid, 1, 2, 0, &err), 1);
    char *a = rows("SELECT count(*) FROM sqlite_schema WHERE name = 'nt1'");
    CHECK_STR(a, "0\n");
    free(a);
    /* text that SQL's INTEGER affinity would make a number: only SQL converts it */
    const char *tx[2] = {"12", "x"};
    struct frame_out ti[] = {{.name = "n", .decl = CATALOG_INTEGER, .text = tx}};
    CHECK_INT(frame_write_columns(cat, "nt2", ti, 1, 2, 0, &err), 1);
    CHECK_INT(err.code, QE_OK);
    a = rows("SELECT count(*) FROM sqlite_schema WHERE name = 'nt2'");
    CHECK_STR(a, "0\n");
    free(a);
    /* the caller's fallback then gives SQL's answer */
    CHECK_INT(frame_write_new(cat, "nt2", ti, 1, 2, NULL, NULL, &err), 0);
    a = rows("SELECT typeof(n), n FROM nt2 ORDER BY rowid");
    CHECK_STR(a, "integer|12\ntext|x\n");
    free(a);
}

static void
test_rollback(void)
{
    struct qerr err = QERR_INIT;
    double v[3] = {1, 2, 3};
    struct frame_out o[] = {{.name = "v", .decl = CATALOG_REAL, .num = v}};
    sql("SAVEPOINT s1");
    CHECK_INT(frame_write_columns(cat, "rb", o, 1, 3, 0, &err), 0);
    char *a = rows("SELECT sum(v) FROM rb");
    CHECK_STR(a, "6.0\n");
    free(a);
    sql("ROLLBACK TO s1; RELEASE s1");
    a = rows("SELECT count(*) FROM sqlite_schema WHERE name = 'rb'");
    CHECK_STR(a, "0\n");
    free(a);
    CHECK_INT(frame_write_columns(cat, "rb", o, 1, 3, 0, &err), 0);
    a = rows("SELECT group_concat(v) FROM rb");
    CHECK_STR(a, "1.0,2.0,3.0\n");
    free(a);
}

static void
test_copy(void)
{
    struct qerr err = QERR_INIT;
    sql("CREATE TABLE o (k INTEGER, v REAL, s TEXT);"
        "INSERT INTO o VALUES (10, 1.5, 'p'), (20, NULL, 'q'), ('x', 3, NULL), (40, 4, '7');"
        "DELETE FROM o WHERE k = 20; INSERT INTO o(rowid, k, v, s) VALUES (9, 90, -0.5, 'z');"
        "CREATE TABLE c (k INTEGER, v REAL, s TEXT); INSERT INTO c(rowid, k, v, s) "
        "SELECT rowid, k, v, s FROM o;");
    CHECK_INT(coltab_from_rows(catalog_db(cat), "c", &err), 0);
    CHECK_INT(is_virtual("c"), 1);
    struct frame *fo = NULL, *fc = NULL;
    const char *cols[] = {"v"};
    CHECK_INT(frame_read(cat, "o", cols, 1, 0, NULL, NULL, &fo, &err), 0);
    CHECK_INT(frame_read(cat, "c", cols, 1, 0, NULL, NULL, &fc, &err), 0);
    if (!fo || !fc)
        return;
    CHECK_INT((int)fo->n_rows, 4);
    double v2[4], flag[4];
    const char *lab[4] = {"a", NULL, "12", "b"};
    for (int i = 0; i < 4; i++) {
        v2[i] = frame_col(fo, 0)[i] * 10;
        flag[i] = i == 1 ? NAN : i;
    }
    struct frame_out outs[] = {
        {.name = "v", .decl = CATALOG_REAL, .num = v2},
        {.name = "flag", .decl = CATALOG_INTEGER, .num = flag},
        {.name = "lab", .decl = CATALOG_TEXT, .text = lab},
    };
    struct frame_write wo = {.src = "o", .dest = "o2", .f = fo, .outs = outs, .n_outs = 3};
    struct frame_write wc = {.src = "c", .dest = "c2", .f = fc, .outs = outs, .n_outs = 3};
    CHECK_INT(frame_write(cat, &wo, &err), 0);
    CHECK_INT(frame_write(cat, &wc, &err), 0);
    CHECK_INT(is_virtual("c2"), 1);
    CHECK_INT(is_virtual("o2"), 0);
    char *a = dump("o2", "k,v,s,flag,lab"), *b = dump("c2", "k,v,s,flag,lab");
    CHECK_STR(b, a);
    free(a);
    free(b);
    a = rows("SELECT group_concat(rowid || ':' || ifnull(k, '-') || ':' || ifnull(v, '-'), ' ') "
             "FROM c");
    CHECK_STR(a, "1:10:1.5 3:x:3.0 4:40:4.0 9:90:-0.5\n"); /* the source is untouched */
    free(a);
    /* a copy dropping rows: a column table too, the same rows as the ordinary twin's copy */
    unsigned char keep[4] = {1, 0, 1, 1};
    wo.dest = "o3";
    wc.dest = "c3";
    wo.keep = wc.keep = keep;
    CHECK_INT(frame_write(cat, &wo, &err), 0);
    CHECK_INT(frame_write(cat, &wc, &err), 0);
    CHECK_INT(is_virtual("c3"), 1);
    a = dump("o3", "k,v,s,flag,lab");
    b = dump("c3", "k,v,s,flag,lab");
    CHECK_STR(b, a);
    free(a);
    free(b);
    a = rows("SELECT group_concat(rowid || ':' || ifnull(flag, '-') || ':' || ifnull(lab, '-'), "
             "' ') FROM c3");
    CHECK_STR(a, "1:0:a 4:2:12 9:3:b\n"); /* the kept rows, their rowids and values */
    free(a);
    /* no outs (sample ... as NAME): the source's columns of the kept rows */
    unsigned char keep2[4] = {0, 1, 0, 1};
    struct frame_write so = {.src = "o", .dest = "o4", .f = fo, .keep = keep2};
    struct frame_write sc = {.src = "c", .dest = "c4", .f = fc, .keep = keep2};
    CHECK_INT(frame_write(cat, &so, &err), 0);
    CHECK_INT(frame_write(cat, &sc, &err), 0);
    CHECK_INT(is_virtual("c4"), 1);
    a = dump("o4", "k,v,s");
    b = dump("c4", "k,v,s");
    CHECK_STR(b, a);
    free(a);
    free(b);
    a = rows("SELECT group_concat(rowid || ':' || k || ':' || typeof(k), ' ') FROM c4");
    CHECK_STR(a, "3:x:text 9:90:integer\n");
    free(a);
    /* none kept: an empty column table with the columns */
    unsigned char none[4] = {0, 0, 0, 0};
    so.dest = "o5";
    sc.dest = "c5";
    so.keep = sc.keep = none;
    CHECK_INT(frame_write(cat, &so, &err), 0);
    CHECK_INT(frame_write(cat, &sc, &err), 0);
    CHECK_INT(is_virtual("c5"), 1);
    a = dump("o5", "k,v,s");
    b = dump("c5", "k,v,s");
    CHECK_STR(b, a);
    free(a);
    free(b);
    a = rows("SELECT group_concat(rowid || ':' || k, ' ') FROM c");
    CHECK_STR(a, "1:10 3:x 4:40 9:90\n"); /* the source is untouched */
    free(a);
    frame_release(fo);
    frame_release(fc);
}

int
main(void)
{
    struct qerr err = QERR_INIT;
    if (catalog_open(&cat, &err) < 0) {
        fprintf(stderr, "catalog_open: %s\n", err.msg);
        return 1;
    }
    test_same_table();
    test_not_taken();
    test_rollback();
    test_copy();
    catalog_free(cat);
    return check_done("test_frame_columns");
}
