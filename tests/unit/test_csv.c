/*
 * test_csv.c: the CSV reader, the value rules and the export formatting
 * of src/data/csv.h, then RFC 4180 files loaded through load_file.
 *
 * Plan:
 *   1. reader: fields, quotes, doubled quotes, embedded delimiters and
 *      line breaks, CRLF and lone CR, blank lines, line numbers, bad
 *      records (NUL, UTF-8, unterminated quote, text after a quote), a
 *      record longer than the 64-byte scan window (input read in pieces:
 *      test_csv_fill.c)
 *   2. value rules: integers, reals (and that they equal strtod's),
 *      dates, timestamps, blanks, kind merging
 *   3. formatting: quoting, shortest round-trip reals
 *   4. files: RFC 4180 cases loaded into :memory: and checked by type
 *      and value
 * Expected values are written out by hand.
 */
#include <float.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "sqlhelp.h"
#include "data/csv.h"
#include "data/load.h"

/* ---- helpers ---------------------------------------------------------- */

/* A reader over a copy of s (the reader wants a NUL after the data). */
static void
reader(struct csv_reader *r, const char *s, size_t len, char delim)
{
    char *copy = malloc(len + 1);
    memcpy(copy, s, len);
    copy[len] = '\0';
    csv_reader_init(r, copy, len, delim);
}

static void
reader_free(struct csv_reader *r)
{
    free((char *)r->base);
    csv_reader_release(r);
}

/* Field i of the current record, unescaped, in a static buffer. */
static const char *
field(const struct csv_reader *r, int i)
{
    static char out[256];
    struct buf b = BUF_INIT;
    if (i >= r->n_fields)
        return "(none)";
    csv_unescape(&b, &r->fields[i]);
    snprintf(out, sizeof(out), "%s", b.data);
    buf_release(&b);
    return out;
}

static enum csv_kind
kind(const char *s)
{
    return csv_classify(s, strlen(s));
}

/*
 * Load s (as a .csv unless o says otherwise) into table t of db, inside a
 * savepoint rolled back on failure, as the command dispatcher does.
 */
static int
load_mem(sqlite3 *db, const char *s, size_t len, struct load_opts *o, struct load_result *r,
         struct qerr *err)
{
    struct load_opts def;
    if (!o) {
        load_opts_init(&def);
        o = &def;
    }
    char *path = write_tmp(s, len, o->format == LOAD_TSV ? ".tsv" : ".csv");
    o->path = path;
    o->table = "t";
    sqlite3_exec(db, "SAVEPOINT test", NULL, NULL, NULL);
    int rc = load_file(db, o, r, err);
    if (rc < 0)
        sqlite3_exec(db, "ROLLBACK TO test", NULL, NULL, NULL);
    sqlite3_exec(db, "RELEASE test", NULL, NULL, NULL);
    unlink(path);
    free(path);
    o->path = NULL;
    return rc;
}

static int
load_str(sqlite3 *db, const char *s, struct load_opts *o, struct load_result *r,
         struct qerr *err)
{
    return load_mem(db, s, strlen(s), o, r, err);
}

/* "name TYPE, name TYPE" of table t. */
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

/* ---- 1. reader -------------------------------------------------------- */

static void
test_reader_basic(void)
{
    struct csv_reader r;
    const char s[] = "a,b,c\n1,,3\r\n\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\"\n\n\nlast";
    reader(&r, s, sizeof(s) - 1, ',');

    CHECK_INT(csv_read(&r), 1);
    CHECK_INT(r.n_fields, 3);
    CHECK_STR(field(&r, 0), "a");
    CHECK_STR(field(&r, 2), "c");
    CHECK_INT(r.rec_line, 1);

    CHECK_INT(csv_read(&r), 1);
    CHECK_INT(r.n_fields, 3);
    CHECK_INT((int)r.fields[1].len, 0);
    CHECK_INT(r.fields[1].quoted, 0);
    CHECK_STR(field(&r, 2), "3");
    CHECK_INT(r.rec_line, 2);

    CHECK_INT(csv_read(&r), 1);
    CHECK_INT(r.n_fields, 3);
    CHECK_STR(field(&r, 0), "x,y");
    CHECK_STR(field(&r, 1), "say \"hi\"");
    CHECK_INT(r.fields[1].escaped, 1);
    CHECK_STR(field(&r, 2), "two\nlines");
    CHECK_INT(r.rec_line, 3);
    CHECK_INT(r.bad, CSV_BAD_NONE);

    /* two blank lines skipped; the record on line 7 has no line end */
    CHECK_INT(csv_read(&r), 1);
    CHECK_INT(r.n_fields, 1);
    CHECK_STR(field(&r, 0), "last");
    CHECK_INT(r.rec_line, 7);
    CHECK_INT(csv_read(&r), 0);
    reader_free(&r);
}

static void
test_reader_edges(void)
{
    struct csv_reader r;

    /* trailing delimiter: an empty last field; quoted empty field */
    reader(&r, "a,\n\"\",b\n", 8, ',');
    CHECK_INT(csv_read(&r), 1);
    CHECK_INT(r.n_fields, 2);
    CHECK_INT((int)r.fields[1].len, 0);
    CHECK_INT(csv_read(&r), 1);
    CHECK_INT(r.n_fields, 2);
    CHECK_INT(r.fields[0].quoted, 1);
    CHECK_INT((int)r.fields[0].len, 0);
    reader_free(&r);

    /* lone CR ends a record; a stray quote inside an unquoted field is literal */
    reader(&r, "a\"b,c\rd,e", 9, ',');
    CHECK_INT(csv_read(&r), 1);
    CHECK_STR(field(&r, 0), "a\"b");
    CHECK_INT(r.bad, CSV_BAD_NONE);
    CHECK_INT(csv_read(&r), 1);
    CHECK_STR(field(&r, 0), "d");
    CHECK_INT(r.rec_line, 2);
    reader_free(&r);

    /* tab delimiter; commas are then ordinary */
    reader(&r, "a,b\tc\n", 6, '\t');
    CHECK_INT(csv_read(&r), 1);
    CHECK_INT(r.n_fields, 2);
    CHECK_STR(field(&r, 0), "a,b");
    reader_free(&r);

    /* spaces after a closing quote are allowed */
    reader(&r, "\"a\"  ,b\n", 8, ',');
    CHECK_INT(csv_read(&r), 1);
    CHECK_INT(r.bad, CSV_BAD_NONE);
    CHECK_STR(field(&r, 0), "a");
    CHECK_STR(field(&r, 1), "b");
    reader_free(&r);

    /* UTF-8 passes; a field longer than the 64-byte scan window */
    char big[300];
    memset(big, 'x', sizeof(big));
    memcpy(big, "\xc3\xa9t\xc3\xa9,", 6);
    big[200] = ',';
    big[299] = '\n';
    reader(&r, big, sizeof(big), ',');
    CHECK_INT(csv_read(&r), 1);
    CHECK_INT(r.bad, CSV_BAD_NONE);
    CHECK_INT(r.n_fields, 3);
    CHECK_STR(field(&r, 0), "\xc3\xa9t\xc3\xa9");
    CHECK_INT((int)r.fields[1].len, 194);
    CHECK_INT((int)r.fields[2].len, 98);
    reader_free(&r);
}

static void
test_reader_bad(void)
{
    struct csv_reader r;

    /* a NUL in field 2 of line 2; the next record reads fine */
    reader(&r, "a,b\nc,d\0e\nf,g\n", 14, ',');
    CHECK_INT(csv_read(&r), 1);
    CHECK_INT(r.bad, CSV_BAD_NONE);
    CHECK_INT(csv_read(&r), 1);
    CHECK_INT(r.bad, CSV_BAD_NUL);
    CHECK_INT(r.bad_field, 2);
    CHECK_INT(r.bad_line, 2);
    CHECK_INT(csv_read(&r), 1);
    CHECK_INT(r.bad, CSV_BAD_NONE);
    CHECK_STR(field(&r, 0), "f");
    reader_free(&r);

    /* Latin-1 0xe9, an overlong encoding, a surrogate */
    const char *bad[] = { "caf\xe9\n", "\xc0\xaf\n", "\xed\xa0\x80\n" };
    for (int i = 0; i < 3; i++) {
        reader(&r, bad[i], strlen(bad[i]), ',');
        CHECK_INT(csv_read(&r), 1);
        CHECK_INT(r.bad, CSV_BAD_UTF8);
        reader_free(&r);
    }
    reader(&r, "caf\xe9\n", 5, ',');
    csv_read(&r);
    CHECK_INT(r.bad_byte, 0xe9);
    reader_free(&r);

    /* an unterminated quote runs to the end; its line is where it opened */
    reader(&r, "a,b\nc,\"open\nmore\nstuff\n", 23, ',');
    CHECK_INT(csv_read(&r), 1);
    CHECK_INT(csv_read(&r), 1);
    CHECK_INT(r.bad, CSV_BAD_UNTERMINATED);
    CHECK_INT(r.bad_line, 2);
    CHECK_INT(r.bad_field, 2);
    CHECK_INT(csv_read(&r), 0);
    reader_free(&r);

    /* text after a closing quote; the reader resynchronises at the line end */
    reader(&r, "\"a\"b,c\nd,e\n", 11, ',');
    CHECK_INT(csv_read(&r), 1);
    CHECK_INT(r.bad, CSV_BAD_AFTER_QUOTE);
    CHECK_INT(r.n_fields, 2);
    CHECK_INT(csv_read(&r), 1);
    CHECK_INT(r.bad, CSV_BAD_NONE);
    CHECK_STR(field(&r, 0), "d");
    reader_free(&r);
}

/* ---- 2. value rules --------------------------------------------------- */

static void
test_classify(void)
{
    CHECK_INT(kind(""), CSV_NULL);
    CHECK_INT(kind("   "), CSV_NULL);
    CHECK_INT(kind("0"), CSV_INT);
    CHECK_INT(kind("-17"), CSV_INT);
    CHECK_INT(kind("+17"), CSV_INT);
    CHECK_INT(kind(" 42 "), CSV_INT);
    CHECK_INT(kind("9223372036854775807"), CSV_INT);
    CHECK_INT(kind("-9223372036854775808"), CSV_INT);
    /* Integers too wide for int64 (2^63, 2^64, 20-digit ids): text, or they would round */
    CHECK_INT(kind("9223372036854775808"), CSV_BIGINT);
    CHECK_INT(kind("-9223372036854775809"), CSV_BIGINT);
    CHECK_INT(kind("18446744073709551616"), CSV_BIGINT);
    CHECK_INT(kind(" +12345678901234567890 "), CSV_BIGINT);
    CHECK_INT(kind("012345678901234567890"), CSV_TEXT); /* a code: leading zero */
    CHECK_INT(kind("12345678901234567890.5"), CSV_REAL);
    CHECK_INT(kind("-0"), CSV_INT);
    CHECK_INT(kind("007"), CSV_TEXT);                 /* a code keeps its zeros */
    CHECK_INT(kind("1.5"), CSV_REAL);
    CHECK_INT(kind("-.5"), CSV_REAL);
    CHECK_INT(kind("5."), CSV_REAL);
    CHECK_INT(kind("0.5"), CSV_REAL);
    CHECK_INT(kind("1e10"), CSV_REAL);
    CHECK_INT(kind("1E-3"), CSV_REAL);
    CHECK_INT(kind("2.5e+3"), CSV_REAL);
    CHECK_INT(kind("1e400"), CSV_REAL);  /* overflows to inf, as strtod rounds */
    CHECK_INT(kind("-1e400"), CSV_REAL);
    CHECK_INT(kind("1e-400"), CSV_REAL); /* underflows to 0: still a number */
    CHECK_INT(kind("inf"), CSV_REAL);    /* infinities: what export writes for them */
    CHECK_INT(kind("-inf"), CSV_REAL);
    CHECK_INT(kind("+Infinity"), CSV_REAL);
    CHECK_INT(kind(" INF "), CSV_REAL);
    CHECK_INT(kind("-infinity"), CSV_REAL);
    CHECK_INT(kind("infinit"), CSV_TEXT);
    CHECK_INT(kind("infinityx"), CSV_TEXT);
    CHECK_INT(kind("in"), CSV_TEXT);
    CHECK_INT(kind("NaN"), CSV_NULL);    /* missing: SQLite has no NaN */
    CHECK_INT(kind("-nan"), CSV_NULL);
    CHECK_INT(kind("NAN"), CSV_NULL);
    CHECK_INT(kind("nana"), CSV_TEXT);
    CHECK_INT(kind("0x10"), CSV_TEXT);
    CHECK_INT(kind("1e"), CSV_TEXT);
    CHECK_INT(kind("."), CSV_TEXT);
    CHECK_INT(kind("-"), CSV_TEXT);
    CHECK_INT(kind("1,5"), CSV_TEXT);
    CHECK_INT(kind("12abc"), CSV_TEXT);
    CHECK_INT(kind("2024-02-29"), CSV_DATE);
    CHECK_INT(kind("2023-02-29"), CSV_TEXT); /* not a leap year */
    CHECK_INT(kind("1900-02-29"), CSV_TEXT);
    CHECK_INT(kind("2000-02-29"), CSV_DATE);
    CHECK_INT(kind("2024-04-31"), CSV_TEXT);
    CHECK_INT(kind("2024-13-01"), CSV_TEXT);
    CHECK_INT(kind("2024-00-10"), CSV_TEXT);
    CHECK_INT(kind("2024-1-05"), CSV_TEXT);
    CHECK_INT(kind(" 2024-01-05"), CSV_TEXT); /* dates must be exact */
    CHECK_INT(kind("2024-01-05T10:30"), CSV_TIMESTAMP);
    CHECK_INT(kind("2024-01-05 10:30:59"), CSV_TIMESTAMP);
    CHECK_INT(kind("2024-01-05T10:30:59.123456"), CSV_TIMESTAMP);
    CHECK_INT(kind("2024-01-05T10:30:00Z"), CSV_TIMESTAMP);
    CHECK_INT(kind("2024-01-05T10:30:00+05:30"), CSV_TIMESTAMP);
    CHECK_INT(kind("2024-01-05T10:30-08:00"), CSV_TIMESTAMP);
    CHECK_INT(kind("2024-01-05T24:00"), CSV_TEXT);
    CHECK_INT(kind("2024-01-05T10:60"), CSV_TEXT);
    CHECK_INT(kind("2024-01-05T10:30:61"), CSV_TEXT);
    CHECK_INT(kind("2024-01-05T10:30:00.Z"), CSV_TEXT);
    CHECK_INT(kind("2024-01-05T10:30:00+0530"), CSV_TEXT);
    CHECK_INT(kind("2024-01-05X10:30"), CSV_TEXT);
    CHECK_INT(kind("hello"), CSV_TEXT);
}

static void
test_merge(void)
{
    CHECK_INT(csv_kind_merge(CSV_NULL, CSV_INT), CSV_INT);
    CHECK_INT(csv_kind_merge(CSV_INT, CSV_NULL), CSV_INT);
    CHECK_INT(csv_kind_merge(CSV_INT, CSV_REAL), CSV_REAL);
    CHECK_INT(csv_kind_merge(CSV_REAL, CSV_INT), CSV_REAL);
    CHECK_INT(csv_kind_merge(CSV_DATE, CSV_TIMESTAMP), CSV_TIMESTAMP);
    CHECK_INT(csv_kind_merge(CSV_DATE, CSV_INT), CSV_TEXT);
    CHECK_INT(csv_kind_merge(CSV_REAL, CSV_TEXT), CSV_TEXT);
    CHECK_INT(csv_kind_merge(CSV_TEXT, CSV_INT), CSV_TEXT);
    CHECK_INT(csv_kind_merge(CSV_INT, CSV_BIGINT), CSV_BIGINT);
    CHECK_INT(csv_kind_merge(CSV_BIGINT, CSV_REAL), CSV_BIGINT);
    CHECK_INT(csv_kind_merge(CSV_NULL, CSV_BIGINT), CSV_BIGINT);
    CHECK_INT(csv_kind_merge(CSV_BIGINT, CSV_DATE), CSV_TEXT);
    CHECK_INT(csv_kind_merge(CSV_TEXT, CSV_BIGINT), CSV_TEXT);
    CHECK_STR(csv_kind_decl(CSV_BIGINT), "TEXT");
    CHECK_STR(csv_kind_decl(CSV_INT), "INTEGER");
    CHECK_STR(csv_kind_decl(CSV_REAL), "REAL");
    CHECK_STR(csv_kind_decl(CSV_DATE), "DATE_TEXT");
    CHECK_STR(csv_kind_decl(CSV_TIMESTAMP), "TIMESTAMP_TEXT");
    CHECK_STR(csv_kind_decl(CSV_TEXT), "TEXT");
    CHECK_STR(csv_kind_decl(CSV_NULL), "TEXT");
}

static void
test_parse(void)
{
    long long i = 7;
    double d = 0;

    CHECK_INT(csv_parse_int("123", 3, &i), 0);
    CHECK_INT(i, 123);
    CHECK_INT(csv_parse_int(" -9223372036854775808", 21, &i), 0);
    CHECK_INT(i, LLONG_MIN);
    i = 7;
    CHECK_INT(csv_parse_int("9223372036854775808", 19, &i), -1);
    CHECK_INT(i, 7);
    CHECK_INT(csv_parse_int("1.0", 3, &i), -1);
    CHECK_INT(csv_parse_int("", 0, &i), -1);

    CHECK_INT(csv_parse_real("18.42", 5, &d), 0);
    CHECK_NEAR(d, 18.42, 0);
    CHECK_INT(csv_parse_real("-0", 2, &d), 0);
    CHECK(d == 0.0 && signbit(d));

    /* The fast path and the fallback must both give strtod's correctly rounded double. */
    const char *cases[] = {
        "0.1", "0.2", "0.3", "3.14159", "2.718281828459045", "1.7976931348623157e308",
        "4.9e-324", "2.2250738585072014e-308", "9007199254740993", "123456789012345678",
        "0.000001", "1e22", "1e23", "123.456e-7", "-98765.4321", "0.30000000000000004",
        "12345678901234567890123", "1.00000000000000011102230246251565404236316680908203125",
        "7.038531e-26", "5e-324", "1.5e300", "0.1e-5",
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        double want = strtod(cases[k], NULL);
        d = -1;
        CHECK_INT(csv_parse_real(cases[k], strlen(cases[k]), &d), 0);
        if (memcmp(&d, &want, sizeof(d)) != 0)
            fprintf(stderr, "  parse_real(\"%s\") = %.17g, strtod says %.17g\n", cases[k], d,
                    want);
        CHECK(memcmp(&d, &want, sizeof(d)) == 0);
    }
    /* Beyond the range of doubles, and infinities: as strtod, +-inf; nan is not a number */
    CHECK_INT(csv_parse_real("1e309", 5, &d), 0);
    CHECK(isinf(d) && d > 0);
    CHECK_INT(csv_parse_real("-1e400", 6, &d), 0);
    CHECK(isinf(d) && d < 0);
    CHECK_INT(csv_parse_real("1e-400", 6, &d), 0);
    CHECK_NEAR(d, 0.0, 0);
    CHECK_INT(csv_parse_real("inf", 3, &d), 0);
    CHECK(isinf(d) && d > 0);
    CHECK_INT(csv_parse_real(" -Infinity", 10, &d), 0);
    CHECK(isinf(d) && d < 0);
    CHECK_INT(csv_parse_real("NaN", 3, &d), -1);
    CHECK_INT(csv_parse_real("0x10", 4, &d), -1);
    CHECK_INT(csv_parse_real("abc", 3, &d), -1);

    CHECK_INT(csv_days_in_month(2024, 2), 29);
    CHECK_INT(csv_days_in_month(2100, 2), 28);
    CHECK_INT(csv_days_in_month(2023, 12), 31);
    CHECK_INT(csv_days_in_month(2023, 13), 0);
}

static void
test_convert(void)
{
    struct csv_value v;
    CHECK_INT(csv_convert("15", 2, CSV_INT, &v), CSV_INT);
    CHECK_INT(v.i, 15);
    CHECK_INT(csv_convert("1.5", 3, CSV_INT, &v), CSV_REAL); /* does not fit */
    CHECK_INT(csv_convert("15", 2, CSV_REAL, &v), CSV_INT);
    CHECK_NEAR(v.d, 15.0, 0);
    CHECK_INT(csv_convert("4.0", 3, CSV_REAL, &v), CSV_REAL);
    CHECK_NEAR(v.d, 4.0, 0);
    CHECK_INT(csv_convert(" -7 ", 4, CSV_REAL, &v), CSV_INT);
    CHECK_NEAR(v.d, -7.0, 0);
    CHECK_INT(csv_convert("99999999999999999999", 20, CSV_REAL, &v), CSV_BIGINT); /* no fit */
    CHECK_INT(csv_convert("99999999999999999999", 20, CSV_INT, &v), CSV_BIGINT);
    CHECK_INT(csv_convert("-inf", 4, CSV_REAL, &v), CSV_REAL);
    CHECK(isinf(v.d) && v.d < 0);
    CHECK_INT(csv_convert("inf", 3, CSV_INT, &v), CSV_REAL); /* does not fit */
    CHECK_INT(csv_convert("nan", 3, CSV_REAL, &v), CSV_NULL);
    CHECK_INT(csv_convert("NaN", 3, CSV_DATE, &v), CSV_NULL);
    CHECK_INT(csv_convert("9223372036854775807", 19, CSV_REAL, &v), CSV_INT);
    CHECK_INT(csv_convert("007", 3, CSV_INT, &v), CSV_TEXT);
    CHECK_INT(csv_convert("+8", 2, CSV_INT, &v), CSV_INT);
    CHECK_INT(v.i, 8);
    CHECK_INT(csv_convert("2024-01-01", 10, CSV_TIMESTAMP, &v), CSV_DATE);
    CHECK_INT(csv_convert("2024-01-01 10:00", 16, CSV_DATE, &v), CSV_TIMESTAMP);
    CHECK_INT(csv_convert(" ", 1, CSV_INT, &v), CSV_NULL);
    CHECK_INT(csv_convert("x", 1, CSV_REAL, &v), CSV_TEXT);
}

/* ---- 3. formatting ---------------------------------------------------- */

static const char *
fmt_real(double v)
{
    static char out[64];
    struct buf b = BUF_INIT;
    buf_add_real(&b, v);
    snprintf(out, sizeof(out), "%s", b.data);
    buf_release(&b);
    return out;
}

static const char *
fmt_field(const char *s, char delim, int force)
{
    static char out[128];
    struct buf b = BUF_INIT;
    csv_write_field(&b, s, strlen(s), delim, force);
    snprintf(out, sizeof(out), "%s", b.data);
    buf_release(&b);
    return out;
}

static void
test_format(void)
{
    CHECK_STR(fmt_real(0.1), "0.1");
    CHECK_STR(fmt_real(18.42), "18.42");
    CHECK_STR(fmt_real(3.0), "3.0");
    CHECK_STR(fmt_real(-2.0), "-2.0");
    CHECK_STR(fmt_real(0.1 + 0.2), "0.30000000000000004");
    CHECK_STR(fmt_real(1e20), "1e+20");
    CHECK_STR(fmt_real(1.0 / 3.0), "0.3333333333333333");
    CHECK_STR(fmt_real(DBL_MAX), "1.7976931348623157e+308");

    CHECK_STR(fmt_field("plain", ',', 0), "plain");
    CHECK_STR(fmt_field("a,b", ',', 0), "\"a,b\"");
    CHECK_STR(fmt_field("a,b", '\t', 0), "a,b");
    CHECK_STR(fmt_field("a\tb", '\t', 0), "\"a\tb\"");
    CHECK_STR(fmt_field("say \"hi\"", ',', 0), "\"say \"\"hi\"\"\"");
    CHECK_STR(fmt_field("two\nlines", ',', 0), "\"two\nlines\"");
    CHECK_STR(fmt_field("", ',', 1), "\"\"");
}

/* ---- 4. RFC 4180 files ------------------------------------------------ */

static void
test_file_rfc4180(void)
{
    sqlite3 *db = sql_fresh();
    struct load_result r;
    struct qerr err = QERR_INIT;
    load_result_init(&r);

    /* BOM, CRLF, a quoted comma, doubled quotes, a quoted line break, a blank line */
    const char s[] = "\xef\xbb\xbfid,name,note\r\n"
                     "1,\"Smith, J\",\"said \"\"no\"\"\"\r\n"
                     "\r\n"
                     "2,Lee,\"line one\r\nline two\"\r\n"
                     "3,,\"\"\r\n";
    CHECK_INT(load_str(db, s, NULL, &r, &err), 0);
    CHECK_INT(r.n_rows, 3);
    CHECK_INT(r.n_cols, 3);
    CHECK_STR(schema(db), "id INTEGER, name TEXT, note TEXT");
    CHECK_STR(cell(db, "SELECT name FROM t WHERE id = 1"), "text:Smith, J");
    CHECK_STR(cell(db, "SELECT note FROM t WHERE id = 1"), "text:said \"no\"");
    CHECK_STR(cell(db, "SELECT note FROM t WHERE id = 2"), "text:line one\r\nline two");
    CHECK_STR(cell(db, "SELECT name FROM t WHERE id = 3"), "null");  /* empty: NULL */
    CHECK_STR(cell(db, "SELECT note FROM t WHERE id = 3"), "text:"); /* "": '' in TEXT */
    CHECK_STR(cell(db, "SELECT typeof(id) FROM t WHERE rowid = 1"), "text:integer");
    load_result_release(&r);
    qerr_clear(&err);
    sqlite3_close(db);
}

static void
test_file_types(void)
{
    sqlite3 *db = sql_fresh();
    struct load_result r;
    struct qerr err = QERR_INIT;
    load_result_init(&r);

    /* blank: rows with no value, REAL as pandas reads it */
    const char s[] = "i,r,mix,d,ts,code,blank,txt,q\n"
                     "1,1.5,1,2024-01-31,2024-01-31T08:00,007,,a,\"\"\n"
                     "-2,2,2.25,2024-02-29,2024-02-29,010,,b,5\n"
                     " 3 ,1e3,3,2023-12-01,2023-12-01 23:59:59.5Z,1,,c,\" 6 \"\n";
    CHECK_INT(load_str(db, s, NULL, &r, &err), 0);
    CHECK_INT(r.n_rows, 3);
    CHECK_STR(schema(db), "i INTEGER, r REAL, mix REAL, d DATE_TEXT, ts TIMESTAMP_TEXT, "
                          "code TEXT, blank REAL, txt TEXT, q INTEGER");
    CHECK_STR(cell(db, "SELECT i FROM t WHERE rowid = 3"), "integer:3");
    CHECK_STR(cell(db, "SELECT r FROM t WHERE rowid = 2"), "real:2");
    CHECK_STR(cell(db, "SELECT r FROM t WHERE rowid = 3"), "real:1000");
    CHECK_STR(cell(db, "SELECT mix FROM t WHERE rowid = 1"), "real:1");
    CHECK_STR(cell(db, "SELECT mix FROM t WHERE rowid = 2"), "real:2.25");
    CHECK_STR(cell(db, "SELECT d FROM t WHERE rowid = 2"), "text:2024-02-29");
    CHECK_STR(cell(db, "SELECT ts FROM t WHERE rowid = 2"), "text:2024-02-29");
    CHECK_STR(cell(db, "SELECT ts FROM t WHERE rowid = 3"), "text:2023-12-01 23:59:59.5Z");
    CHECK_STR(cell(db, "SELECT code FROM t WHERE rowid = 1"), "text:007");
    CHECK_STR(cell(db, "SELECT code FROM t WHERE rowid = 3"), "text:1");
    CHECK_STR(cell(db, "SELECT blank FROM t WHERE rowid = 1"), "null");
    CHECK_STR(cell(db, "SELECT q FROM t WHERE rowid = 1"), "null"); /* "" in a number column */
    CHECK_STR(cell(db, "SELECT q FROM t WHERE rowid = 3"), "integer:6");
    load_result_release(&r);
    qerr_clear(&err);
    sqlite3_close(db);
}

static void
test_file_bad_date(void)
{
    sqlite3 *db = sql_fresh();
    struct load_result r;
    struct qerr err = QERR_INIT;
    load_result_init(&r);
    /* One impossible date makes the whole column TEXT, values kept as written. */
    CHECK_INT(load_str(db, "d\n2024-01-01\n2023-02-29\n2024-03-01\n", NULL, &r, &err), 0);
    CHECK_STR(schema(db), "d TEXT");
    CHECK_STR(cell(db, "SELECT d FROM t WHERE rowid = 2"), "text:2023-02-29");
    load_result_release(&r);
    qerr_clear(&err);
    sqlite3_close(db);
}

static void
test_file_errors(void)
{
    sqlite3 *db = sql_fresh();
    struct load_result r;
    struct qerr err = QERR_INIT;
    load_result_init(&r);

    CHECK_INT(load_mem(db, "a,b\n1,2\n3,\0\n", 12, NULL, &r, &err), -1);
    CHECK_INT(err.code, QE_DATA);
    CHECK_HAS(err.msg, " line 3: NUL byte in field 2");
    qerr_clear(&err);

    CHECK_INT(load_str(db, "a,b\n1,2\n3,caf\xe9\n", NULL, &r, &err), -1);
    CHECK_HAS(err.msg, " line 3: invalid UTF-8 (byte 0xe9) in field 2; it looks like "
                       "Latin-1 text: load it with encoding=latin1 (or cp1252), save the "
                       "file as UTF-8 or load with onerror=skip");
    qerr_clear(&err);

    CHECK_INT(load_str(db, "a,b\n1,2\n3,\"open\n4,5\n", NULL, &r, &err), -1);
    CHECK_HAS(err.msg, " line 3: the quote that opens field 2 is never closed");
    qerr_clear(&err);

    CHECK_INT(load_str(db, "a,b\n1,\"2\"x\n", NULL, &r, &err), -1);
    CHECK_HAS(err.msg, " line 2: text after the closing quote of field 2");
    qerr_clear(&err);

    /* a UTF-16 byte order mark and one byte (load_str stops at the NUL): cut short */
    CHECK_INT(load_str(db, "\xff\xfe" "a\0,\0b\0", NULL, &r, &err), -1);
    CHECK_HAS(err.msg, "ends in the middle of a UTF-16LE character");
    qerr_clear(&err);

    /* the file names itself in the message, quoted */
    CHECK_INT(load_str(db, "a,b\n1\n", NULL, &r, &err), -1);
    CHECK(err.msg && strncmp(err.msg, "'/tmp/quarry_test_", 18) == 0);
    CHECK_HAS(err.msg, ".csv' line 2: 1 fields, expected 2; fix that row, or load with "
                       "onerror=pad to fill short rows with NULL or onerror=skip to leave them "
                       "out");
    qerr_clear(&err);

    /* nothing was left behind by the failures */
    CHECK_STR(cell(db, "SELECT count(*) FROM sqlite_schema"), "integer:0");
    load_result_release(&r);
    sqlite3_close(db);
}

static void
test_file_tsv(void)
{
    sqlite3 *db = sql_fresh();
    struct load_result r;
    struct qerr err = QERR_INIT;
    struct load_opts o;
    load_result_init(&r);
    load_opts_init(&o);
    o.format = LOAD_TSV;
    CHECK_INT(load_str(db, "x\ty, z\n1\ta, b\n2\t\"q\tq\"\n", &o, &r, &err), 0);
    CHECK_STR(schema(db), "x INTEGER, y, z TEXT");
    CHECK_STR(cell(db, "SELECT \"y, z\" FROM t WHERE x = 1"), "text:a, b");
    CHECK_STR(cell(db, "SELECT \"y, z\" FROM t WHERE x = 2"), "text:q\tq");
    load_result_release(&r);
    qerr_clear(&err);
    sqlite3_close(db);

    db = sql_fresh();
    load_result_init(&r);
    load_opts_init(&o);
    o.delim = ';';
    CHECK_INT(load_str(db, "a;b\n1,5;x\n", &o, &r, &err), 0);
    CHECK_STR(cell(db, "SELECT a FROM t"), "text:1,5");
    load_result_release(&r);
    qerr_clear(&err);
    sqlite3_close(db);
}

int
main(void)
{
    test_reader_basic();
    test_reader_edges();
    test_reader_bad();
    test_classify();
    test_merge();
    test_parse();
    test_convert();
    test_format();
    test_file_rfc4180();
    test_file_types();
    test_file_bad_date();
    test_file_errors();
    test_file_tsv();
    return check_done("test_csv");
}
