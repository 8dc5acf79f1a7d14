/*
 * test_arff.c: ARFF files (src/data/arff.h) loaded through load_file.
 *
 * Plan:
 *   1. dense data: every attribute type, quoting, escapes, '?', comments,
 *      keywords in any case, integer-valued numeric columns
 *   2. sparse data: omitted values follow Weka (0, first nominal value)
 *   3. dates: the default pattern and Java-style patterns to ISO 8601
 *   4. errors: header mistakes, bad values, wrong value counts, named by
 *      line; skip_bad counting
 *   5. the header parser and row reader used directly
 *   6. hostile files: input read in pieces (every line end and value on
 *      a piece boundary), 200,000 nominal values x 200,000 rows in
 *      seconds, integers too wide for int64, nan and infinities
 * Expected tables are written out by hand.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "data/arff.h"
#include "check.h"
#include "sqlhelp.h"
#include "data/load.h"

/* ---- helpers ---------------------------------------------------------- */

/* Load s as an .arff file into table t, in a savepoint rolled back on failure. */
static int
load_arff(sqlite3 *db, const char *s, int skip_bad, struct load_result *r, struct qerr *err)
{
    struct load_opts o;
    load_opts_init(&o);
    char *path = write_tmp(s, strlen(s), ".arff");
    o.path = path;
    o.table = "t";
    o.skip_bad = skip_bad;
    sqlite3_exec(db, "SAVEPOINT test", NULL, NULL, NULL);
    int rc = load_file(db, &o, r, err);
    if (rc < 0)
        sqlite3_exec(db, "ROLLBACK TO test", NULL, NULL, NULL);
    sqlite3_exec(db, "RELEASE test", NULL, NULL, NULL);
    unlink(path);
    free(path);
    return rc;
}

static const char *
schema(sqlite3 *db)
{
    static char out[512];
    sqlite3_stmt *st = NULL;
    size_t n = 0;
    out[0] = '\0';
    sqlite3_prepare_v2(db, "SELECT name, type FROM pragma_table_info('t')", -1, &st, NULL);
    while (sqlite3_step(st) == SQLITE_ROW)
        n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%s %s", n ? ", " : "",
                              sqlite3_column_text(st, 0), sqlite3_column_text(st, 1));
    sqlite3_finalize(st);
    return out;
}

/* ---- 1. dense --------------------------------------------------------- */

static void
test_dense(void)
{
    sqlite3 *db = sql_fresh();
    struct load_result r;
    struct qerr err = QERR_INIT;
    load_result_init(&r);
    const char s[] =
        "% Iris, abridged\n"
        "@RELATION iris\n"
        "\n"
        "@ATTRIBUTE sepallength NUMERIC\n"
        "@attribute 'petal width' real\n"
        "@Attribute count Integer\n"
        "@attribute class {Iris-setosa, 'Iris versicolor', \"Iris-virginica\"}\n"
        "@attribute note string\n"
        "@data\n"
        "5.1, 0.2, 3, Iris-setosa, 'hello, world'\n"
        "4.9,?,007,'Iris versicolor',\"it\\'s \\\"x\\\"\"\r\n"
        "% a comment between rows\n"
        "\n"
        "7,1.5e0,-5,\"Iris-virginica\",?   % a trailing comment\n";
    CHECK_INT(load_arff(db, s, 0, &r, &err), 0);
    CHECK(!err.msg);
    if (err.msg)
        fprintf(stderr, "  %s\n", err.msg);
    CHECK_INT(r.n_rows, 3);
    CHECK_INT(r.n_cols, 5);
    CHECK_STR(schema(db), "sepallength REAL, petal width REAL, count INTEGER, class TEXT, "
                          "note TEXT");
    CHECK_STR(cell(db, "SELECT sepallength FROM t WHERE rowid = 3"), "real:7");
    CHECK_STR(cell(db, "SELECT \"petal width\" FROM t WHERE rowid = 1"),
              "real:0.20000000000000001");
    CHECK_STR(cell(db, "SELECT \"petal width\" FROM t WHERE rowid = 2"), "null");
    CHECK_STR(cell(db, "SELECT \"petal width\" FROM t WHERE rowid = 3"), "real:1.5");
    CHECK_STR(cell(db, "SELECT count FROM t WHERE rowid = 2"), "integer:7");
    CHECK_STR(cell(db, "SELECT count FROM t WHERE rowid = 3"), "integer:-5");
    CHECK_STR(cell(db, "SELECT class FROM t WHERE rowid = 2"), "text:Iris versicolor");
    CHECK_STR(cell(db, "SELECT class FROM t WHERE rowid = 3"), "text:Iris-virginica");
    CHECK_STR(cell(db, "SELECT note FROM t WHERE rowid = 1"), "text:hello, world");
    CHECK_STR(cell(db, "SELECT note FROM t WHERE rowid = 2"), "text:it's \"x\"");
    CHECK_STR(cell(db, "SELECT note FROM t WHERE rowid = 3"), "null");
    CHECK_HAS(r.summary.data, "relation: iris");
    load_result_release(&r);
    qerr_clear(&err);
    sqlite3_close(db);
}

/* ---- 2. sparse -------------------------------------------------------- */

static void
test_sparse(void)
{
    sqlite3 *db = sql_fresh();
    struct load_result r;
    struct qerr err = QERR_INIT;
    load_result_init(&r);
    const char s[] = "@relation basket\n"
                     "@attribute a numeric\n"
                     "@attribute b {x,y,z}\n"
                     "@attribute c string\n"
                     "@attribute d numeric\n"
                     "@data\n"
                     "{0 1.5, 2 'hi there'}\n"
                     "{1 z,3 7}\n"
                     "{}\n"
                     "  { 3 ? }\n"
                     "2, y, dense, 4\n";
    CHECK_INT(load_arff(db, s, 0, &r, &err), 0);
    if (err.msg)
        fprintf(stderr, "  %s\n", err.msg);
    CHECK_INT(r.n_rows, 5);
    CHECK_STR(schema(db), "a REAL, b TEXT, c TEXT, d INTEGER");
    /* row 1: given a and c; b is the first nominal value, d is 0 */
    CHECK_STR(cell(db, "SELECT a FROM t WHERE rowid = 1"), "real:1.5");
    CHECK_STR(cell(db, "SELECT b FROM t WHERE rowid = 1"), "text:x");
    CHECK_STR(cell(db, "SELECT c FROM t WHERE rowid = 1"), "text:hi there");
    CHECK_STR(cell(db, "SELECT d FROM t WHERE rowid = 1"), "integer:0");
    /* row 2 */
    CHECK_STR(cell(db, "SELECT a FROM t WHERE rowid = 2"), "real:0");
    CHECK_STR(cell(db, "SELECT b FROM t WHERE rowid = 2"), "text:z");
    CHECK_STR(cell(db, "SELECT c FROM t WHERE rowid = 2"), "text:");
    CHECK_STR(cell(db, "SELECT d FROM t WHERE rowid = 2"), "integer:7");
    /* row 3: everything omitted */
    CHECK_STR(cell(db, "SELECT a || '|' || b || '|' || c || '|' || d FROM t WHERE rowid = 3"),
              "text:0.0|x||0");
    /* row 4: an explicit missing value stays missing */
    CHECK_STR(cell(db, "SELECT d FROM t WHERE rowid = 4"), "null");
    /* a dense row among sparse ones */
    CHECK_STR(cell(db, "SELECT c FROM t WHERE rowid = 5"), "text:dense");
    load_result_release(&r);
    qerr_clear(&err);
    sqlite3_close(db);
}

/* ---- 3. dates --------------------------------------------------------- */

static void
test_dates(void)
{
    sqlite3 *db = sql_fresh();
    struct load_result r;
    struct qerr err = QERR_INIT;
    load_result_init(&r);
    const char s[] = "@relation dates\n"
                     "@attribute t date\n"
                     "@attribute d date \"yyyy-MM-dd\"\n"
                     "@attribute u date 'dd/MM/yyyy HH:mm'\n"
                     "@attribute m date \"MMM d, yyyy\"\n"
                     "@attribute z date \"yyyy-MM-dd'T'HH:mm:ss.SSSXXX\"\n"
                     "@attribute c date yyyyMMdd\n"
                     "@attribute h date \"h:mm a, dd.MM.yy\"\n"
                     "@data\n"
                     "2024-01-05T10:20:30, 2024-02-29, '05/01/2024 07:08', 'Mar 5, 2023', "
                     "2024-01-05T10:20:30.123+05:30, 20231231, '12:05 AM, 01.02.99'\n"
                     "?,?,?,?,2024-01-05T10:20:30.000Z,?,'1:05 pm, 29.02.24'\n"
                     "{0 1999-12-31T23:59:59}\n";
    CHECK_INT(load_arff(db, s, 0, &r, &err), 0);
    if (err.msg)
        fprintf(stderr, "  %s\n", err.msg);
    CHECK_INT(r.n_rows, 3);
    CHECK_STR(schema(db), "t TIMESTAMP_TEXT, d DATE_TEXT, u TIMESTAMP_TEXT, m DATE_TEXT, "
                          "z TIMESTAMP_TEXT, c DATE_TEXT, h TIMESTAMP_TEXT");
    CHECK_STR(cell(db, "SELECT t FROM t WHERE rowid = 1"), "text:2024-01-05T10:20:30");
    CHECK_STR(cell(db, "SELECT d FROM t WHERE rowid = 1"), "text:2024-02-29");
    CHECK_STR(cell(db, "SELECT u FROM t WHERE rowid = 1"), "text:2024-01-05T07:08:00");
    CHECK_STR(cell(db, "SELECT m FROM t WHERE rowid = 1"), "text:2023-03-05");
    CHECK_STR(cell(db, "SELECT z FROM t WHERE rowid = 1"), "text:2024-01-05T10:20:30.123+05:30");
    CHECK_STR(cell(db, "SELECT c FROM t WHERE rowid = 1"), "text:2023-12-31");
    CHECK_STR(cell(db, "SELECT h FROM t WHERE rowid = 1"), "text:1999-02-01T00:05:00");
    CHECK_STR(cell(db, "SELECT t FROM t WHERE rowid = 2"), "null");
    CHECK_STR(cell(db, "SELECT z FROM t WHERE rowid = 2"), "text:2024-01-05T10:20:30.000Z");
    CHECK_STR(cell(db, "SELECT h FROM t WHERE rowid = 2"), "text:2024-02-29T13:05:00");
    /* sparse: omitted dates are the epoch */
    CHECK_STR(cell(db, "SELECT t FROM t WHERE rowid = 3"), "text:1999-12-31T23:59:59");
    CHECK_STR(cell(db, "SELECT d FROM t WHERE rowid = 3"), "text:1970-01-01");
    CHECK_STR(cell(db, "SELECT u FROM t WHERE rowid = 3"), "text:1970-01-01T00:00:00");
    load_result_release(&r);
    qerr_clear(&err);
    sqlite3_close(db);
}

/* ---- 4. errors -------------------------------------------------------- */

/* Load s, expect failure, and check the message holds want. */
static void
check_error(const char *s, const char *want)
{
    sqlite3 *db = sql_fresh();
    struct load_result r;
    struct qerr err = QERR_INIT;
    load_result_init(&r);
    CHECK_INT(load_arff(db, s, 0, &r, &err), -1);
    CHECK_INT(err.code, QE_DATA);
    if (!err.msg || !strstr(err.msg, want))
        fprintf(stderr, "  wanted \"%s\" in \"%s\"\n", want, err.msg ? err.msg : "(none)");
    CHECK_HAS(err.msg, want);
    CHECK_STR(cell(db, "SELECT count(*) FROM sqlite_schema"), "integer:0");
    load_result_release(&r);
    qerr_clear(&err);
    sqlite3_close(db);
}

static void
test_errors(void)
{
    check_error("@relation x\n@attribute a numberic\n@data\n1\n",
                " line 2: unknown type 'numberic' for attribute 'a'; use numeric, integer, "
                "real, string, date or {a,b,c}");
    check_error("@relation x\n@attribute a numeric\n", "has no @data line");
    check_error("@relation x\n@data\n1\n", " line 2: @data comes before any @attribute");
    check_error("@relation x\n@attribute a relational\n@data\n",
                "relational attribute 'a' is not supported");
    check_error("@relation x\n@attribute a {}\n@data\n", "nominal attribute 'a' has no values");
    check_error("@relation x\n@attribute a {p, q\n@data\n", "need a closing '}'");
    check_error("@relation x\n@attribute d date \"yyyy-ww\"\n@data\n",
                "date pattern letter 'w' of 'd' is not supported");
    check_error("@relation x\nhello\n", " line 2: expected @relation, @attribute or @data");
    check_error("@relation x\n@attribute a numeric\n@attribute b {p,q}\n@data\n1,p\n2,r\n",
                " line 6: 'r' is not one of the values of attribute 'b'; fix that row or load "
                "with onerror=skip");
    check_error("@relation x\n@attribute a numeric\n@attribute b {p,q}\n@data\n1\n",
                " line 5: 1 values, expected 2");
    check_error("@relation x\n@attribute a numeric\n@data\n1,2\n",
                " line 4: more than 1 values");
    check_error("@relation x\n@attribute a numeric\n@data\nabc\n",
                " line 4: 'abc' is not a number (attribute 'a')");
    check_error("@relation x\n@attribute s string\n@data\n'open\n",
                " line 4: the quote that opens value 1 is never closed");
    check_error("@relation x\n@attribute a numeric\n@data\n{5 1}\n",
                " line 4: a sparse entry needs an attribute index 0-0 and a value");
    check_error("@relation x\n@attribute d date yyyy-MM-dd\n@data\n2023-02-29\n",
                " line 4: '2023-02-29' does not match the date pattern of attribute 'd'");
    check_error("@relation x\n@attribute s string\n@data\ncaf\xe9\n",
                " line 4: invalid UTF-8 (byte 0xe9)");
}

static void
test_skip_and_weights(void)
{
    sqlite3 *db = sql_fresh();
    struct load_result r;
    struct qerr err = QERR_INIT;
    load_result_init(&r);
    const char s[] = "@relation x\n"
                     "@attribute a integer\n"
                     "@attribute b {p,q}\n"
                     "@data\n"
                     "1,p\n"
                     "2,r\n"
                     "3,q,{2.5}\n"
                     "oops,q\n"
                     "{0 4, 1 q}, {0.5}\n";
    CHECK_INT(load_arff(db, s, 1, &r, &err), 0);
    CHECK_INT(r.n_rows, 3);
    CHECK_INT(r.n_skipped, 2);
    CHECK_STR(r.skipped.data, "line 6: 'r' is not one of the values of attribute 'b'\n"
                              "line 8: 'oops' is not a number (attribute 'a')\n");
    CHECK_HAS(r.summary.data, "instance weights: ignored");
    CHECK_STR(cell(db, "SELECT group_concat(a || b, ' ') FROM t"), "text:1p 3q 4q");
    load_result_release(&r);
    qerr_clear(&err);
    sqlite3_close(db);
}

/* ---- 5. the parser directly ------------------------------------------- */

static void
test_parser(void)
{
    struct arff_header h;
    struct qerr err = QERR_INIT;
    const char s[] = "@relation 'my data'\n"
                     "@attribute \"a b\" {one, 'two, three'}\n"
                     "@attribute n numeric % a comment\n"
                     "@data\n"
                     "'two, three', 2.5\n";
    CHECK_INT(arff_header_parse(&h, s, sizeof(s) - 1, NULL, "x.arff", &err), 0);
    CHECK_STR(h.relation, "my data");
    CHECK_INT(h.n_attrs, 2);
    CHECK_STR(h.attrs[0].name, "a b");
    CHECK_INT(h.attrs[0].type, ARFF_NOMINAL);
    CHECK_INT(h.attrs[0].n_values, 2);
    CHECK_STR(h.attrs[0].values[1], "two, three");
    CHECK_INT(h.attrs[1].type, ARFF_NUMERIC);
    CHECK_INT(h.data_line, 5);

    struct arff_reader r;
    arff_reader_init(&r, &h, s, sizeof(s) - 1);
    CHECK_INT(arff_read(&r), 1);
    CHECK_INT(r.bad, 0);
    CHECK_INT(r.row_line, 5);
    CHECK_INT(r.vals[0].kind, CSV_TEXT);
    CHECK_INT((int)r.vals[0].len, 10);
    CHECK(memcmp(r.vals[0].s, "two, three", 10) == 0);
    CHECK_INT(r.vals[1].kind, CSV_REAL);
    CHECK_NEAR(r.vals[1].d, 2.5, 0);
    CHECK_INT(arff_read(&r), 0);
    arff_reader_release(&r);
    arff_header_release(&h);
    qerr_clear(&err);
}

/* ---- 6. hostile files ------------------------------------------------- */

/* Input read in pieces, as in test_csv.c: zeros until the fake fill copies the bytes in. */
struct pieces {
    const char *real;
    char *buf;
    size_t len, piece;
    unsigned char *got;
};

static int
pieces_more(void *ctx, const char *p, size_t n)
{
    struct pieces *pc = ctx;
    size_t from = (size_t)(p - pc->buf), to = from + n;
    int rc = 0;
    if (to > pc->len)
        to = pc->len;
    for (size_t k = from / pc->piece; k * pc->piece < to; k++) {
        if (pc->got[k])
            continue;
        size_t off = k * pc->piece, m = pc->len - off < pc->piece ? pc->len - off : pc->piece;
        memcpy(pc->buf + off, pc->real + off, m);
        pc->got[k] = 1;
        rc = 1;
    }
    return rc;
}

/* The header and every row of the len bytes at s, as text; fill may be NULL. */
static char *
dump_arff(const char *s, size_t len, struct csv_fill *fill)
{
    struct buf out = BUF_INIT;
    struct arff_header h;
    struct qerr err = QERR_INIT;
    if (arff_header_parse(&h, s, len, fill, "x.arff", &err) < 0) {
        buf_addf(&out, "error %s", err.msg);
    } else {
        buf_addf(&out, "%d attrs, data at line %lld;", h.n_attrs, h.data_line);
        struct arff_reader r;
        arff_reader_init(&r, &h, s, len);
        if (fill)
            r.fill = *fill;
        while (arff_read(&r)) {
            buf_addf(&out, "%lld:", r.row_line);
            if (r.bad)
                buf_addf(&out, "bad %s", r.why.data);
            for (int i = 0; !r.bad && i < h.n_attrs; i++) {
                const struct arff_value *v = &r.vals[i];
                if (v->kind == CSV_INT)
                    buf_addf(&out, "%lld|", v->i);
                else if (v->kind == CSV_REAL)
                    buf_addf(&out, "%.17g|", v->d);
                else if (v->kind == CSV_NULL)
                    buf_adds(&out, "?|");
                else
                    buf_addf(&out, "%.*s|", (int)v->len, v->s);
            }
            buf_addc(&out, ';');
        }
        arff_reader_release(&r);
    }
    arff_header_release(&h);
    qerr_clear(&err);
    return buf_detach(&out);
}

static void
test_pieces(void)
{
    const char s[] = "% a comment\r\n@relation r\r\n\r\n@attribute 'n m' numeric\n"
                     "@attribute c {red,'dark blue',\"x\\\"y\"}\n@attribute s string\n"
                     "@data\r\n1.5,red,'a b'\r\n% skip\n\n?,'dark blue',\"q\\\\r\"\n"
                     "{0 7, 2 z}\n3,\"x\\\"y\",\xc3\xa9\xe2\x82\xac\n4,green,t\n5,red,\xe2\x82\n";
    size_t len = sizeof(s) - 1;
    char *want = dump_arff(s, len, NULL);
    CHECK_HAS(want, "not one of the values");
    CHECK_HAS(want, "invalid UTF-8");
    for (size_t piece = 1; piece <= 7; piece++) {
        struct pieces pc = { s, calloc(len + 1, 1), len, piece, calloc(len / piece + 2, 1) };
        struct csv_fill fill = { pieces_more, &pc };
        char *got = dump_arff(pc.buf, len, &fill);
        if (strcmp(got, want) != 0)
            fprintf(stderr, "  pieces of %zu:\n  want %s\n  got  %s\n", piece, want, got);
        CHECK_STR(got, want);
        free(got);
        free(pc.buf);
        free(pc.got);
    }
    free(want);
}

static int
cancel_after_30s(void *ctx, double fraction)
{
    (void)fraction;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    double *t0 = ctx, now = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
    if (*t0 == 0)
        *t0 = now;
    return now - *t0 > 30;
}

/*
 * 200,000 nominal values x 200,000 rows took 201 s when each value was
 * looked up one by one: hashed, it is about a second. The load cancels
 * itself after 30 s, so a slow lookup fails here rather than hanging.
 * Row i holds value (i * 7919) mod n, so all n values occur.
 */
static void
test_many_levels(void)
{
    const int n = 200000;
    struct buf b = BUF_INIT;
    buf_adds(&b, "@relation many\n@attribute i numeric\n@attribute c {");
    for (int k = 0; k < n; k++)
        buf_addf(&b, "%sv%d", k ? "," : "", k);
    buf_adds(&b, ",v7,'v 7'}\n@data\n"); /* a repeated value keeps its first place */
    for (int i = 0; i < n; i++)
        buf_addf(&b, "%d,v%lld\n", i, (long long)i * 7919 % n);
    buf_adds(&b, "-1,'v 7'\n");
    char *path = write_tmp(b.data, strlen(b.data), ".arff");
    buf_release(&b);

    sqlite3 *db = sql_fresh();
    struct load_opts o;
    struct load_result r;
    struct qerr err = QERR_INIT;
    double t0 = 0;
    load_opts_init(&o);
    load_result_init(&r);
    o.path = path;
    o.table = "t";
    o.progress = cancel_after_30s;
    o.progress_ctx = &t0;
    CHECK_OK(load_file(db, &o, &r, &err), err);
    CHECK_INT(r.n_rows, n + 1);
    CHECK_STR(cell(db, "SELECT count(DISTINCT c) FROM t"), "integer:200001");
    CHECK_STR(cell(db, "SELECT c FROM t WHERE i = 12345"), "text:v160055");
    CHECK_STR(cell(db, "SELECT c FROM t WHERE i = 199999"), "text:v192081");
    CHECK_STR(cell(db, "SELECT c FROM t WHERE i = -1"), "text:v 7");

    load_result_release(&r);
    qerr_clear(&err);
    unlink(path);
    free(path);
    sqlite3_close(db);
}

/* Integers too wide for int64 keep the column as text; nan is missing, inf a number. */
static void
test_wide_numbers(void)
{
    sqlite3 *db = sql_fresh();
    struct load_result r;
    struct qerr err = QERR_INIT;
    load_result_init(&r);
    CHECK_OK(load_arff(db, "@relation r\n@attribute id numeric\n@attribute x numeric\n@data\n"
                           "12345678901234567890,1\n12345678901234567891,NaN\n"
                           "007,-inf\n12345678901234567892,1e400\n", 0, &r, &err), err);
    CHECK_HAS(r.summary.data, "kept as text");
    CHECK_HAS(r.summary.data, "'id'");
    CHECK_STR(cell(db, "SELECT group_concat(id, ' ') FROM t"),
              "text:12345678901234567890 12345678901234567891 007 12345678901234567892");
    CHECK_STR(cell(db, "SELECT count(DISTINCT id) FROM t"), "integer:4");
    CHECK_STR(cell(db, "SELECT typeof(x) FROM t WHERE rowid = 2"), "text:null");
    CHECK_STR(cell(db, "SELECT x FROM t WHERE rowid = 3"), "real:-inf");
    CHECK_STR(cell(db, "SELECT x FROM t WHERE rowid = 4"), "real:inf");
    CHECK_STR(cell(db, "SELECT type FROM pragma_table_info('t') WHERE name = 'x'"), "text:REAL");
    load_result_release(&r);
    qerr_clear(&err);
    sqlite3_close(db);
}

/*
 * A numeric attribute kept as text for a wide integer still takes only
 * numbers: the row with 'abc' is skipped and said to be (it was said to be
 * skipped, yet loaded as text on the second pass: a fuzz_arff finding,
 * tests/fuzz/corpus/fuzz_arff/wide-int-text); nan stays missing; an
 * omitted sparse value is 0, as for any number.
 */
static void
test_wide_numbers_text(void)
{
    sqlite3 *db = sql_fresh();
    struct load_result r;
    struct qerr err = QERR_INIT;
    load_result_init(&r);
    CHECK_OK(load_arff(db, "@relation r\n@attribute n integer\n@attribute k numeric\n@data\n"
                           "1,1\nabc,2\n12345678901234567890123,3\nnan,4\n{1 5}\n", 1, &r, &err),
             err);
    CHECK_INT(r.n_rows, 4);
    CHECK_INT(r.n_skipped, 1);
    CHECK_HAS(r.skipped.data, "line 6: 'abc' is not a number (attribute 'n')");
    CHECK_STR(cell(db, "SELECT group_concat(quote(n), ' ') FROM t"),
              "text:'1' '12345678901234567890123' NULL '0'");
    CHECK_STR(cell(db, "SELECT group_concat(k, ' ') FROM t"), "text:1 3 4 5");
    load_result_release(&r);
    qerr_clear(&err);
    sqlite3_close(db);
}

int
main(void)
{
    test_dense();
    test_sparse();
    test_dates();
    test_errors();
    test_skip_and_weights();
    test_parser();
    test_pieces();
    test_many_levels();
    test_wide_numbers();
    test_wide_numbers_text();
    return check_done("test_arff");
}
