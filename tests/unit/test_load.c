/*
 * test_load.c: load_file, load_export and the helpers of src/data/load.h.
 *
 * Plan:
 *   1. header=auto: each clause of the documented rule, and header=yes/no
 *   2. column names: trimmed, empty, duplicate
 *   3. types over the WHOLE file: values late in a file change a column's
 *      type (and the header decision), after the first guess
 *   4. skip_bad: counting, the listing of the first five, with a late
 *      type change
 *   5. errors: missing file, folder, empty file, existing table, bad
 *      names and delimiters, cancel from the progress callback
 *   6. default names and formats from paths
 *   7. export: CSV and TSV written and loaded back give the same rows and
 *      types; export errors leave an existing file alone
 *   8. load_insert_rows with a source of its own
 *   9. 1-5 again with the rows parsed on a second thread (load_opts.batch_rows)
 *  10. 1-5 again into column tables (load_opts.columns, data/coltab.h): the
 *      same types, values, counts and errors
 * Expected tables are written out by hand.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "sqlhelp.h"
#include "data/coltab.h"
#include "data/load.h"

/* ---- helpers ---------------------------------------------------------- */

/* load_opts.batch_rows for every load: main runs the tests again with a second thread. */
static int batch_rows;
/* load_opts.columns for every load: main runs the tests again into column tables. */
static int columns;

/* load_file of o (path and table set) in a savepoint rolled back on failure. */
static int
load_opts(sqlite3 *db, struct load_opts *o, struct load_result *r, struct qerr *err)
{
    if (!o->batch_rows)
        o->batch_rows = batch_rows;
    o->columns = columns;
    if (columns && coltab_register(db, err) < 0)
        return -1;
    sqlite3_exec(db, "SAVEPOINT test", NULL, NULL, NULL);
    int rc = load_file(db, o, r, err);
    if (rc == 0 && o->table) /* the kind of table asked for */
        CHECK_INT(coltab_is(db, o->table), columns);
    if (rc < 0)
        sqlite3_exec(db, "ROLLBACK TO test", NULL, NULL, NULL);
    sqlite3_exec(db, "RELEASE test", NULL, NULL, NULL);
    return rc;
}

/* Load s as a CSV file into table t with the given header option. */
static int
load_csv_str(sqlite3 *db, const char *s, int header, int skip_bad, struct load_result *r,
             struct qerr *err)
{
    struct load_opts o;
    load_opts_init(&o);
    char *path = write_tmp(s, strlen(s), ".csv");
    o.path = path;
    o.table = "t";
    o.header = header;
    o.skip_bad = skip_bad;
    int rc = load_opts(db, &o, r, err);
    unlink(path);
    free(path);
    return rc;
}

/* "name TYPE, ..." of a table. */
static const char *
schema_of(sqlite3 *db, const char *table)
{
    static char out[1024];
    sqlite3_stmt *st = NULL;
    size_t n = 0;
    out[0] = '\0';
    sqlite3_prepare_v2(db, "SELECT name, type FROM pragma_table_info(?1)", -1, &st, NULL);
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW)
        n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%s %s", n ? ", " : "",
                              sqlite3_column_text(st, 0), sqlite3_column_text(st, 1));
    sqlite3_finalize(st);
    return out;
}

static const char *
schema(sqlite3 *db)
{
    return schema_of(db, "t");
}

/* ---- 1. header=auto --------------------------------------------------- */

/* Load s with header=auto into a fresh db; return the schema. */
static const char *
auto_schema(const char *s, long long *rows)
{
    sqlite3 *db = sql_fresh();
    struct load_result r;
    struct qerr err = QERR_INIT;
    static char out[512];
    load_result_init(&r);
    if (load_csv_str(db, s, -1, 0, &r, &err) < 0)
        snprintf(out, sizeof(out), "error: %s", err.msg);
    else
        snprintf(out, sizeof(out), "%s", schema(db));
    *rows = r.n_rows;
    load_result_release(&r);
    qerr_clear(&err);
    sqlite3_close(db);
    return out;
}

static void
test_header_auto(void)
{
    long long rows = -1;
    /* text names over a numeric column: a header */
    CHECK_STR(auto_schema("id,name\n1,ann\n2,bob\n", &rows), "id INTEGER, name TEXT");
    CHECK_INT(rows, 2);
    /* all text, no first-row value seen again: a header */
    CHECK_STR(auto_schema("city,country\nParis,France\nLyon,France\n", &rows),
              "city TEXT, country TEXT");
    CHECK_INT(rows, 2);
    /* all text, a first-row value reappears in its column: data */
    CHECK_STR(auto_schema("red,small\nblue,large\nred,large\n", &rows), "col1 TEXT, col2 TEXT");
    CHECK_INT(rows, 3);
    /* a number in the first row: data */
    CHECK_STR(auto_schema("a,1\nb,2\n", &rows), "col1 TEXT, col2 INTEGER");
    CHECK_INT(rows, 2);
    /* a date in the first row: data */
    CHECK_STR(auto_schema("2024-01-01,x\n2024-01-02,y\n", &rows), "col1 DATE_TEXT, col2 TEXT");
    /* an empty field in the first row: data */
    CHECK_STR(auto_schema("a,\nb,2\n", &rows), "col1 TEXT, col2 INTEGER");
    CHECK_INT(rows, 2);
    /* repeated names (ignoring case) over numbers: a header, made unique */
    CHECK_STR(auto_schema("x,X\n1,2\n", &rows), "x INTEGER, X_2 INTEGER");
    /* duplicate and empty names over numbers (3 names vote header, the empty one data) */
    CHECK_STR(auto_schema("a,a,,b\n1,2,3,4\n5,6,7,8\n", &rows),
              "a INTEGER, a_2 INTEGER, col3 INTEGER, b INTEGER");
    CHECK_INT(rows, 2);
    /*
     * World Bank: names, then consecutive years over columns of numbers;
     * 1962 all empty is REAL, as pandas reads it (float64)
     */
    CHECK_STR(auto_schema("Country Name,Country Code,1960,1961,1962\nAruba,ABW,54208,55434,\n"
                          "Chad,TCD,3,4,\n", &rows),
              "Country Name TEXT, Country Code TEXT, 1960 INTEGER, 1961 INTEGER, 1962 REAL");
    CHECK_INT(rows, 2);
    /* years that are not consecutive are data */
    CHECK_STR(auto_schema("Aruba,ABW,1960,1962\nChad,TCD,3,4\n", &rows),
              "col1 TEXT, col2 TEXT, col3 INTEGER, col4 INTEGER");
    /* sklearn's iris.csv: 150,4 then class names over reals (3 columns vote header, 2 data) */
    CHECK_STR(auto_schema("150,4,setosa,versicolor,virginica\n5.1,3.5,1.4,0.2,0\n"
                          "4.9,3.0,1.4,0.2,0\n", &rows),
              "150 REAL, 4 REAL, setosa REAL, versicolor REAL, virginica INTEGER");
    CHECK_INT(rows, 2);
    /* a first row of data with one text slip: 1 votes header, 2 data */
    CHECK_STR(auto_schema("1,x,3\n2,5,6\n", &rows), "col1 INTEGER, col2 TEXT, col3 INTEGER");
    CHECK_INT(rows, 2);
    /* a missing-value marker in the first row is data, and NULL */
    CHECK_STR(auto_schema("NA,1\n2,3\n", &rows), "col1 INTEGER, col2 INTEGER");
    CHECK_INT(rows, 2);
    /* one line of names: a header and no rows, all text (pandas: object) */
    CHECK_STR(auto_schema("a,b,c\n", &rows), "a TEXT, b TEXT, c TEXT");
    CHECK_INT(rows, 0);
}

static void
test_header_forced(void)
{
    sqlite3 *db = sql_fresh();
    struct load_result r;
    struct qerr err = QERR_INIT;
    load_result_init(&r);
    CHECK_INT(load_csv_str(db, "id,name\n1,ann\n", 0, 0, &r, &err), 0);
    CHECK_STR(schema(db), "col1 TEXT, col2 TEXT");
    CHECK_INT(r.n_rows, 2);
    CHECK_STR(r.summary.data, "");
    sqlite3_close(db);

    db = sql_fresh();
    CHECK_INT(load_csv_str(db, "10,20\n1,2\n3,4\n", 1, 0, &r, &err), 0);
    CHECK_STR(schema(db), "10 INTEGER, 20 INTEGER");
    CHECK_INT(r.n_rows, 2);
    sqlite3_close(db);

    db = sql_fresh();
    CHECK_INT(load_csv_str(db, "id,name\n1,ann\n", -1, 0, &r, &err), 0);
    CHECK_STR(r.summary.data, "header: yes (detected: names over columns of numbers or dates; "
                              "say header=no if that is wrong)\n");
    load_result_release(&r);
    qerr_clear(&err);
    sqlite3_close(db);
}

/* ---- 2. names --------------------------------------------------------- */

static void
test_names(void)
{
    sqlite3 *db = sql_fresh();
    struct load_result r;
    struct qerr err = QERR_INIT;
    load_result_init(&r);
    CHECK_INT(load_csv_str(db, " a ,,A,a,a_2,\"we\"\"ird\",\"x;\"\"DROP\"\n"
                               "1,2,3,4,5,6,7\n", 1, 0, &r, &err), 0);
    CHECK_STR(schema(db), "a INTEGER, col2 INTEGER, A_2 INTEGER, a_3 INTEGER, a_2_2 INTEGER, "
                          "we\"ird INTEGER, x;\"DROP INTEGER");
    CHECK_STR(cell(db, "SELECT \"we\"\"ird\" FROM t"), "integer:6");
    load_result_release(&r);
    qerr_clear(&err);
    sqlite3_close(db);
}

/* ---- 3. types over the whole file ------------------------------------- */

/* n rows of "i,i*2.5-as-int" style data, for files longer than any sample. */
static char *
many_rows(const char *header, int n, const char *fmt, const char *tail)
{
    struct buf b = BUF_INIT;
    buf_adds(&b, header);
    for (int i = 1; i <= n; i++)
        buf_addf(&b, fmt, i, i);
    buf_adds(&b, tail);
    return buf_detach(&b);
}

static void
test_late_values(void)
{
    sqlite3 *db = sql_fresh();
    struct load_result r;
    struct qerr err = QERR_INIT;
    load_result_init(&r);

    /* 5000 integers, then a text value: the column is TEXT, all values as written */
    char *s = many_rows("k,v\n", 5000, "%d,%d\n", "5001,unknown\n");
    CHECK_INT(load_csv_str(db, s, -1, 0, &r, &err), 0);
    free(s);
    CHECK_STR(schema(db), "k INTEGER, v TEXT");
    CHECK_INT(r.n_rows, 5001);
    CHECK_STR(cell(db, "SELECT v FROM t WHERE k = 17"), "text:17");
    CHECK_STR(cell(db, "SELECT v FROM t WHERE k = 5001"), "text:unknown");
    CHECK_STR(cell(db, "SELECT count(*) FROM t WHERE typeof(v) <> 'text'"), "integer:0");
    sqlite3_close(db);

    /* the same with the text in the middle and bad rows after it (skipped once) */
    db = sql_fresh();
    struct buf m = BUF_INIT;
    buf_adds(&m, "k,v\n");
    for (int i = 1; i <= 6000; i++)
        buf_addf(&m, i == 2500 ? "%d,x\n" : i % 1000 == 0 ? "%d\n" : "%d,%d\n", i, i);
    CHECK_INT(load_csv_str(db, m.data, -1, 1, &r, &err), 0);
    buf_release(&m);
    CHECK_STR(schema(db), "k INTEGER, v TEXT");
    CHECK_INT(r.n_rows, 5994);
    CHECK_INT(r.n_skipped, 6);
    CHECK_STR(cell(db, "SELECT v FROM t WHERE k = 2500"), "text:x");
    CHECK_STR(cell(db, "SELECT v FROM t WHERE k = 5999"), "text:5999");
    sqlite3_close(db);
    load_result_release(&r);
    load_result_init(&r);

    /* integers, then one real: REAL, and every value a real */
    db = sql_fresh();
    s = many_rows("k,v\n", 5000, "%d,%d\n", "5001,0.5\n");
    CHECK_INT(load_csv_str(db, s, -1, 0, &r, &err), 0);
    free(s);
    CHECK_STR(schema(db), "k INTEGER, v REAL");
    CHECK_STR(cell(db, "SELECT v FROM t WHERE k = 3"), "real:3");
    CHECK_STR(cell(db, "SELECT v FROM t WHERE k = 5001"), "real:0.5");
    sqlite3_close(db);

    /* a column empty for 5000 rows, then numbers: INTEGER */
    db = sql_fresh();
    s = many_rows("k,v\n", 5000, "%d,\n", "5001,7\n5002,8\n");
    CHECK_INT(load_csv_str(db, s, -1, 0, &r, &err), 0);
    free(s);
    CHECK_STR(schema(db), "k INTEGER, v INTEGER");
    CHECK_STR(cell(db, "SELECT v FROM t WHERE k = 5002"), "integer:8");
    CHECK_STR(cell(db, "SELECT v FROM t WHERE k = 10"), "null");
    sqlite3_close(db);

    /* dates, then a timestamp at the end: TIMESTAMP_TEXT */
    db = sql_fresh();
    struct buf b = BUF_INIT;
    buf_adds(&b, "k,d\n");
    for (int i = 1; i <= 3000; i++)
        buf_addf(&b, "%d,2024-01-%02d\n", i, i % 28 + 1);
    buf_adds(&b, "3001,2024-01-01T00:00\n");
    s = buf_detach(&b);
    CHECK_INT(load_csv_str(db, s, -1, 0, &r, &err), 0);
    free(s);
    CHECK_STR(schema(db), "k INTEGER, d TIMESTAMP_TEXT");
    sqlite3_close(db);

    /*
     * A late text value makes the only typed column TEXT; then the first
     * row's value reappearing in its column makes it data, not a header.
     */
    db = sql_fresh();
    s = many_rows("name,score\n", 3000, "a%d,%d\n", "name,zzz\n");
    CHECK_INT(load_csv_str(db, s, -1, 0, &r, &err), 0);
    free(s);
    CHECK_STR(schema(db), "col1 TEXT, col2 TEXT");
    CHECK_INT(r.n_rows, 3002);
    CHECK_STR(cell(db, "SELECT col2 FROM t WHERE rowid = 1"), "text:score");
    CHECK_STR(cell(db, "SELECT col2 FROM t WHERE rowid = 2"), "text:1");
    load_result_release(&r);
    qerr_clear(&err);
    sqlite3_close(db);
}

/* ---- 4. skip_bad ------------------------------------------------------ */

static void
test_skip_bad(void)
{
    sqlite3 *db = sql_fresh();
    struct load_result r;
    struct qerr err = QERR_INIT;
    load_result_init(&r);
    /* 7 bad records (lines 3, 5, 6, 8, 9, 10, 12) and a late real after them */
    struct buf b = BUF_INIT;
    buf_adds(&b, "a,b,c\n"    /* 1 */
                 "1,2,3\n"    /* 2 */
                 "4,5\n"      /* 3: short */
                 "6,7,8\n"    /* 4 */
                 "1,2,3,4\n"  /* 5: long */
                 "x,\xff,z\n" /* 6: not UTF-8 */
                 "9,9,9\n"    /* 7 */
                 "1\n"        /* 8 */
                 "2\n"        /* 9 */
                 "3\n"        /* 10 */
                 "10,11,12\n" /* 11 */
                 "4\n");      /* 12 */
    for (int i = 0; i < 3000; i++)
        buf_adds(&b, "1,1,1\n");
    buf_adds(&b, "2,2,2.5\n");
    CHECK_INT(load_csv_str(db, b.data, -1, 1, &r, &err), 0);
    buf_release(&b);
    CHECK_STR(schema(db), "a INTEGER, b INTEGER, c REAL");
    CHECK_INT(r.n_rows, 3 + 1 + 3001);
    CHECK_INT(r.n_skipped, 7);
    CHECK_STR(r.skipped.data, "line 3: 2 fields, expected 3\n"
                              "line 5: 4 fields, expected 3\n"
                              "line 6: invalid UTF-8 (byte 0xff) in field 2\n"
                              "line 8: 1 fields, expected 3\n"
                              "line 9: 1 fields, expected 3\n");
    CHECK_STR(cell(db, "SELECT group_concat(c, ' ') FROM (SELECT c FROM t LIMIT 4)"),
              "text:3.0 8.0 9.0 12.0");
    load_result_release(&r);
    qerr_clear(&err);
    sqlite3_close(db);

    /* without skip_bad the first bad record is the error, with its line */
    db = sql_fresh();
    load_result_init(&r);
    CHECK_INT(load_csv_str(db, "a,b,c\n1,2,3\n4,5\n", -1, 0, &r, &err), -1);
    CHECK_HAS(err.msg, ".csv' line 3: 2 fields, expected 3; fix that row, or load with "
                       "onerror=pad to fill short rows with NULL or onerror=skip to leave them "
                       "out");
    load_result_release(&r);
    qerr_clear(&err);

    /* bad records before the first good one: skipped, counted once */
    load_result_init(&r);
    CHECK_INT(load_csv_str(db, "\xfe\n\"a,b\nc\n", -1, 1, &r, &err), -1);
    CHECK_HAS(err.msg, "has no good records: all 2 were bad (line 1: invalid "
                       "UTF-8 (byte 0xfe) in field 1)");
    load_result_release(&r);
    qerr_clear(&err);
    sqlite3_close(db);
}

/* ---- 5. errors -------------------------------------------------------- */

static void
test_errors(void)
{
    sqlite3 *db = sql_fresh();
    struct load_result r;
    struct qerr err = QERR_INIT;
    struct load_opts o;
    load_result_init(&r);
    load_opts_init(&o);

    o.path = "/nonexistent/orders.csv";
    CHECK_INT(load_opts(db, &o, &r, &err), -1);
    CHECK_INT(err.code, QE_NOTFOUND);
    CHECK_STR(err.msg, "file '/nonexistent/orders.csv' does not exist; check the name and the "
                       "folder");
    qerr_clear(&err);

    o.path = "/tmp";
    CHECK_INT(load_opts(db, &o, &r, &err), -1);
    CHECK_INT(err.code, QE_IO);
    CHECK_STR(err.msg, "'/tmp' is a folder, not a file; name a .csv, .tsv or .arff file");
    qerr_clear(&err);

    const char *empties[] = { "", "\n\n\r\n", "\xef\xbb\xbf" };
    for (int i = 0; i < 3; i++) {
        char *path = write_tmp(empties[i], strlen(empties[i]), ".csv");
        o.path = path;
        CHECK_INT(load_opts(db, &o, &r, &err), -1);
        CHECK_INT(err.code, QE_DATA);
        CHECK_HAS(err.msg, ".csv' is empty; there is nothing to load");
        qerr_clear(&err);
        unlink(path);
        free(path);
    }

    /* an existing table, in any case; the suggestion is a free name */
    char *path = write_tmp("a\n1\n", 4, ".csv");
    sqlite3_exec(db, "CREATE TABLE sales(x); CREATE TABLE sales_2(x)", NULL, NULL, NULL);
    o.path = path;
    o.table = "SALES";
    CHECK_INT(load_opts(db, &o, &r, &err), -1);
    CHECK_INT(err.code, QE_ARG);
    char want[256];
    snprintf(want, sizeof(want), "table 'SALES' already exists; drop it first or load '%s' as "
             "SALES_3", path);
    CHECK_STR(err.msg, want);
    qerr_clear(&err);

    o.table = "sqlite_x";
    CHECK_INT(load_opts(db, &o, &r, &err), -1);
    CHECK_HAS(err.msg, "names starting with 'sqlite_' are reserved");
    qerr_clear(&err);

    o.table = "t";
    o.delim = '"';
    CHECK_INT(load_opts(db, &o, &r, &err), -1);
    CHECK_INT(err.code, QE_ARG);
    CHECK_STR(err.msg, "'\"' cannot separate fields; use a comma, tab, ';' or '|'");
    qerr_clear(&err);
    o.delim = 0;

    o.table = "";
    CHECK_INT(load_opts(db, &o, &r, &err), -1);
    CHECK_INT(err.code, QE_ARG);
    CHECK_HAS(err.msg, "the table name is empty");
    qerr_clear(&err);

    /* NULL table: the default name from the path */
    o.table = NULL;
    CHECK_INT(load_opts(db, &o, &r, &err), 0);
    char *name = load_default_name(path), sql[128];
    CHECK(strncmp(name, "t_quarry_test_", 14) == 0); /* quarry_ is a reserved prefix */
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM sqlite_schema WHERE name = '%s'", name);
    CHECK_STR(cell(db, sql), "integer:1");
    free(name);
    unlink(path);
    free(path);
    load_result_release(&r);
    sqlite3_close(db);
}

/* More columns than SQLite allows; and a file read from a pipe. */
static void
test_wide_and_pipe(void)
{
    sqlite3 *db = sql_fresh();
    struct load_result r;
    struct qerr err = QERR_INIT;
    struct buf b = BUF_INIT;
    load_result_init(&r);
    for (int i = 0; i < 2001; i++)
        buf_addf(&b, "%sc%d", i ? "," : "", i);
    buf_addc(&b, '\n');
    CHECK_INT(load_csv_str(db, b.data, -1, 0, &r, &err), -1);
    CHECK_INT(err.code, QE_DATA);
    CHECK_HAS(err.msg, ".csv' has 2001 columns, more than the 2000 a table can "
                       "hold");
    qerr_clear(&err);
    buf_release(&b);

    char fifo[64];
    snprintf(fifo, sizeof(fifo), "/tmp/quarry_fifo_%d.csv", (int)getpid());
    CHECK_INT(mkfifo(fifo, 0600), 0);
    pid_t pid = fork();
    if (pid == 0) {
        FILE *f = fopen(fifo, "w");
        for (int i = 0; f && i < 100000; i++)
            fprintf(f, i ? "%d,x%d\n" : "n,s\n", i, i);
        if (f)
            fclose(f);
        _exit(0);
    }
    struct load_opts o;
    load_opts_init(&o);
    o.path = fifo;
    o.table = "p";
    CHECK_INT(load_opts(db, &o, &r, &err), 0);
    waitpid(pid, NULL, 0);
    unlink(fifo);
    CHECK_INT(r.n_rows, 99999);
    CHECK_STR(schema_of(db, "p"), "n INTEGER, s TEXT");
    CHECK_STR(cell(db, "SELECT s FROM p WHERE n = 99999"), "text:x99999");
    load_result_release(&r);
    qerr_clear(&err);
    sqlite3_close(db);
}

struct prog {
    int calls;
    double last;
    int monotone;
    int cancel_at;
};

static int
on_progress(void *ctx, double f)
{
    struct prog *p = ctx;
    if (f < p->last)
        p->monotone = 0;
    p->last = f;
    return ++p->calls == p->cancel_at;
}

static void
test_progress(void)
{
    sqlite3 *db = sql_fresh();
    struct load_result r;
    struct qerr err = QERR_INIT;
    struct load_opts o;
    struct prog p = { 0, 0.0, 1, 0 };
    load_result_init(&r);
    load_opts_init(&o);

    /* 300,000 rows of about 50 bytes: progress comes at the start, every 50 ms, at the end */
    char *s = many_rows("k,v,pad\n", 300000, "%d,%d,abcdefghijklmnopqrstuvwxyz0123456789\n", "");
    char *path = write_tmp(s, strlen(s), ".csv");
    free(s);
    o.path = path;
    o.table = "t";
    o.progress = on_progress;
    o.progress_ctx = &p;
    CHECK_INT(load_opts(db, &o, &r, &err), 0);
    CHECK_INT(r.n_rows, 300000);
    CHECK(p.calls >= 2);
    CHECK(p.monotone);
    CHECK_NEAR(p.last, 1.0, 0);

    /* cancelled after the start: an error, and nothing is left once rolled back */
    struct prog q = { 0, 0.0, 1, 2 };
    o.table = "u";
    o.progress_ctx = &q;
    CHECK_INT(load_opts(db, &o, &r, &err), -1);
    CHECK_INT(err.code, QE_INTERRUPT);
    CHECK_HAS(err.msg, "cancelled");
    CHECK_STR(cell(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'u'"), "integer:0");
    unlink(path);
    free(path);
    load_result_release(&r);
    qerr_clear(&err);
    sqlite3_close(db);
}

/* ---- 6. names and formats from paths ---------------------------------- */

static void
check_name(const char *path, const char *want)
{
    char *name = load_default_name(path);
    CHECK_STR(name, want);
    free(name);
}

static void
test_paths(void)
{
    check_name("data/Sales 2024.csv", "sales_2024");
    check_name("/x/2024.csv", "t_2024");
    check_name("a.b.csv", "a_b");
    check_name("noext", "noext");
    check_name("dir.d/file", "file");
    check_name("sqlite_master.csv", "t_sqlite_master");
    check_name("quarry_models.tsv", "t_quarry_models");
    check_name("\xc3\x9cn.csv", "__n");
    check_name("/x/", "data");
    check_name(".csv", "_csv");
    CHECK_INT(load_format_from_path("a.CSV"), LOAD_CSV);
    CHECK_INT(load_format_from_path("a.tsv"), LOAD_TSV);
    CHECK_INT(load_format_from_path("a.Tab"), LOAD_TSV);
    CHECK_INT(load_format_from_path("x/a.arff"), LOAD_ARFF);
    CHECK_INT(load_format_from_path("a.txt"), LOAD_CSV);
    CHECK_INT(load_format_from_path("a.arff/b"), LOAD_CSV);
}

/* ---- 7. export -------------------------------------------------------- */

/* Rows of a that are not in b, plus rows of b not in a, with their types. */
static const char *
differences(sqlite3 *db, const char *a, const char *b)
{
    static char out[64];
    char sql[512];
    snprintf(sql, sizeof(sql),
             "SELECT (SELECT count(*) FROM (SELECT * FROM %s EXCEPT SELECT * FROM %s)) + "
             "(SELECT count(*) FROM (SELECT * FROM %s EXCEPT SELECT * FROM %s))",
             a, b, b, a);
    snprintf(out, sizeof(out), "%s", cell(db, sql));
    return out;
}

static void
round_trip(enum load_format fmt, const char *suffix)
{
    sqlite3 *db = sql_fresh();
    struct load_result r;
    struct qerr err = QERR_INIT;
    struct load_opts o;
    long long n = -1;
    load_result_init(&r);

    const char s[] = "id,amount,whole,name,note,code,day,at,empty\n"
                     "1,18.42,3.0,\"Smith, J\",\"say \"\"hi\"\"\",007,2024-02-29,"
                     "2024-02-29T10:00:00Z,\n"
                     "2,0.1,-2,O'Brien,\"two\nlines\",010,2023-01-01,2023-01-01 00:00,\n"
                     "3,1e-300,1e20,\"tab\there\",\"\",1,,,\n"
                     "-9223372036854775808,0.30000000000000004,0,,,x,2000-01-01,,\n";
    char *in = write_tmp(s, sizeof(s) - 1, ".csv");
    load_opts_init(&o);
    o.path = in;
    o.table = "a";
    CHECK_INT(load_opts(db, &o, &r, &err), 0);
    CHECK_STR(schema_of(db, "a"), "id INTEGER, amount REAL, whole REAL, name TEXT, note TEXT, "
                                  "code TEXT, day DATE_TEXT, at TIMESTAMP_TEXT, empty REAL");

    char out[64];
    snprintf(out, sizeof(out), "/tmp/quarry_export_%d%s", (int)getpid(), suffix);
    CHECK_INT(load_export(db, "a", out, fmt, &n, &err), 0);
    CHECK_INT(n, 4);
    o.path = out;
    o.table = "b";
    o.header = 1;
    CHECK_INT(load_opts(db, &o, &r, &err), 0);
    if (err.msg)
        fprintf(stderr, "  %s\n", err.msg);
    CHECK_STR(schema_of(db, "b"), schema_of(db, "a"));
    CHECK_STR(differences(db, "a", "b"), "integer:0");
    CHECK_STR(cell(db, "SELECT count(*) FROM a JOIN b USING (id) WHERE "
                       "typeof(a.whole) = typeof(b.whole) AND typeof(a.note) IS typeof(b.note) "
                       "AND typeof(a.empty) = typeof(b.empty)"), "integer:4");
    CHECK_STR(cell(db, "SELECT typeof(note) || ':' || quote(note) FROM b WHERE id = 3"),
              "text:text:''");
    CHECK_STR(cell(db, "SELECT quote(name) FROM b WHERE id = -9223372036854775808"),
              "text:NULL");
    unlink(out);
    unlink(in);
    free(in);
    load_result_release(&r);
    qerr_clear(&err);
    sqlite3_close(db);
}

/* The exact bytes export writes for a small table. */
static void
test_export_bytes(void)
{
    sqlite3 *db = sql_fresh();
    struct qerr err = QERR_INIT;
    char out[64], got[256] = "";
    long long n = -1;
    snprintf(out, sizeof(out), "/tmp/quarry_export_%d.csv", (int)getpid());
    sqlite3_exec(db, "CREATE TABLE t(\"a,b\" INTEGER, r REAL, s TEXT);"
                     "INSERT INTO t VALUES(1, 2.0, 'x'), (NULL, 0.1, ''), (-3, NULL, 'q\"q'),"
                     "(4, 1e100, NULL)", NULL, NULL, NULL);
    CHECK_INT(load_export(db, "t", out, LOAD_AUTO, &n, &err), 0);
    CHECK_INT(n, 4);
    FILE *f = fopen(out, "rb");
    size_t len = f ? fread(got, 1, sizeof(got) - 1, f) : 0;
    got[len] = '\0';
    if (f)
        fclose(f);
    CHECK_STR(got, "\"a,b\",r,s\n1,2.0,x\n,0.1,\"\"\n-3,,\"q\"\"q\"\n4,1e+100,\n");
    struct stat st;
    mode_t mask = umask(0);
    umask(mask);
    CHECK_INT(stat(out, &st), 0);
    CHECK_INT(st.st_mode & 0777, 0666 & ~mask); /* not mkstemp's 0600 */

    /* failures leave the existing file as it was, and no temporary behind */
    sqlite3_exec(db, "CREATE TABLE bin(x); INSERT INTO bin VALUES(x'00ff')", NULL, NULL, NULL);
    CHECK_INT(load_export(db, "bin", out, LOAD_CSV, NULL, &err), -1);
    CHECK_INT(err.code, QE_DATA);
    CHECK_HAS(err.msg, "column 'x' of 'bin' holds binary data (row 1)");
    qerr_clear(&err);
    f = fopen(out, "rb");
    len = f ? fread(got, 1, sizeof(got) - 1, f) : 0;
    got[len] = '\0';
    if (f)
        fclose(f);
    CHECK_STR(got, "\"a,b\",r,s\n1,2.0,x\n,0.1,\"\"\n-3,,\"q\"\"q\"\n4,1e+100,\n");

    CHECK_INT(load_export(db, "nope", out, LOAD_CSV, NULL, &err), -1);
    CHECK_INT(err.code, QE_NOTFOUND);
    CHECK_STR(err.msg, "no table named 'nope'; type 'tables' to list them");
    qerr_clear(&err);
    CHECK_INT(load_export(db, "t", "/tmp", LOAD_CSV, NULL, &err), -1);
    CHECK_INT(err.code, QE_IO);
    qerr_clear(&err);
    CHECK_INT(load_export(db, "t", "/nonexistent/x.csv", LOAD_CSV, NULL, &err), -1);
    CHECK_INT(err.code, QE_IO);
    CHECK_HAS(err.msg, "cannot write '/nonexistent/x.csv'");
    qerr_clear(&err);
    CHECK_INT(load_export(db, "t", "x.arff", LOAD_AUTO, NULL, &err), -1);
    CHECK_INT(err.code, QE_ARG);
    qerr_clear(&err);
    unlink(out);
    sqlite3_close(db);
}

/* ---- 8. load_insert_rows ---------------------------------------------- */

struct squares {
    int i, n;
};

static int
squares_next(void *ctx)
{
    struct squares *s = ctx;
    return ++s->i <= s->n;
}

static void
squares_column(void *ctx, sqlite3_context *sc, int col)
{
    struct squares *s = ctx;
    if (col == 0)
        sqlite3_result_int(sc, s->i);
    else
        sqlite3_result_double(sc, (double)s->i * s->i);
}

static void
test_insert_rows(void)
{
    sqlite3 *db = sql_fresh();
    struct qerr err = QERR_INIT;
    struct squares s = { 0, 1000 };
    struct load_rows rows = { 2, 1000, &s, squares_next, squares_column };
    sqlite3_exec(db, "CREATE TABLE sq(n INTEGER, n2 REAL)", NULL, NULL, NULL);
    CHECK_INT(load_insert_rows(db, "sq", &rows, &err), 0);
    CHECK_STR(cell(db, "SELECT count(*) FROM sq"), "integer:1000");
    CHECK_STR(cell(db, "SELECT n2 FROM sq WHERE n = 12"), "real:144");
    /* the module is gone afterwards */
    CHECK(sqlite3_exec(db, "SELECT * FROM quarry_load_rows", NULL, NULL, NULL) != SQLITE_OK);
    /* and can be used again */
    s.i = 0;
    CHECK_INT(load_insert_rows(db, "sq", &rows, &err), 0);
    CHECK_STR(cell(db, "SELECT count(*) FROM sq"), "integer:2000");
    CHECK_INT(load_insert_rows(db, "missing", &rows, &err), -1);
    CHECK_INT(err.code, QE_SQL);
    qerr_clear(&err);
    sqlite3_close(db);
}

/* 1-5: every test that loads a CSV file. */
static void
load_tests(void)
{
    test_header_auto();
    test_header_forced();
    test_names();
    test_late_values();
    test_skip_bad();
    test_errors();
    test_wide_and_pipe();
    test_progress();
}

int
main(void)
{
    load_tests();
    /* again, parsing on a second thread in batches of 3 rows (test_load_pipe compares more) */
    batch_rows = 3;
    load_tests();
    batch_rows = 0;
    /* again into column tables, in one thread and in two */
    columns = 1;
    load_tests();
    batch_rows = 3;
    load_tests();
    batch_rows = 0;
    columns = 0;
    test_paths();
    round_trip(LOAD_CSV, ".csv");
    round_trip(LOAD_TSV, ".tsv");
    test_export_bytes();
    test_insert_rows();
    return check_done("test_load");
}
