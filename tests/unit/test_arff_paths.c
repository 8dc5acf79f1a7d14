/*
 * test_arff_paths.c: every way an ARFF file goes into a table stores the
 * same thing. The reference is the row-by-row insert (two passes, an
 * ordinary table, nothing kept: INSERT ... SELECT); against it, the one
 * pass of a numeric/nominal file into a column table (coltab_put) and into
 * an ordinary table (load_insert_rows from the kept columns), and the two
 * passes into a column table (coltab_append). Compared: the declared
 * types, and per cell the storage class and the exact value (a double's
 * bits), for nominal, integer, real (-0, 1e300, integers in a REAL
 * column), all-missing, sparse and weighted rows, string and date
 * attributes; also the row count, the skipped rows and the summary. Hand
 * answers pin a few cells, among them an integer past 2^53 (a double
 * would round it: such a file takes the two passes) and one too wide for
 * 64 bits (kept as text).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "base/buf.h"
#include "data/coltab.h"
#include "data/frame.h"
#include "data/load.h"

static struct catalog *cat;

/* What a load says besides the table. */
struct said {
    long long n_rows, n_skipped;
    char *skipped, *summary;
    int kept; /* a frame was kept */
};

static void
said_free(struct said *s)
{
    free(s->skipped);
    free(s->summary);
}

/* Load path into table name: capture limit bytes, a column table with columns. */
static struct said
load(const char *path, const char *name, size_t bytes, int columns, int skip_bad)
{
    struct qerr err = QERR_INIT;
    struct load_opts o;
    struct load_result r;
    struct said s = {0};
    load_opts_init(&o);
    load_result_init(&r);
    o.path = path;
    o.table = name;
    o.capture_bytes = bytes;
    o.columns = columns;
    o.skip_bad = skip_bad;
    CHECK_OK(load_file(catalog_db(cat), &o, &r, &err), err);
    s.n_rows = r.n_rows;
    s.n_skipped = r.n_skipped;
    s.skipped = xstrdup(r.skipped.data);
    s.summary = xstrdup(r.summary.data);
    s.kept = r.frame != NULL;
    load_result_release(&r);
    qerr_clear(&err);
    return s;
}

/* The table as text: declared types, then per cell its class and exact value. */
static char *
dump(const char *table)
{
    sqlite3 *db = catalog_db(cat);
    struct buf b = BUF_INIT;
    sqlite3_stmt *st = NULL;
    char *sql = sqlite3_mprintf("SELECT name, type FROM pragma_table_info(%Q)", table);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK)
        while (sqlite3_step(st) == SQLITE_ROW)
            buf_addf(&b, "%s %s\n", sqlite3_column_text(st, 0), sqlite3_column_text(st, 1));
    sqlite3_finalize(st);
    sqlite3_free(sql);
    sql = sqlite3_mprintf("SELECT rowid, * FROM \"%w\" ORDER BY rowid", table);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        check_fail++;
    while (st && sqlite3_step(st) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            switch (sqlite3_column_type(st, i)) {
            case SQLITE_INTEGER:
                buf_addf(&b, " i%lld", (long long)sqlite3_column_int64(st, i));
                break;
            case SQLITE_FLOAT:
                buf_addf(&b, " r%a", sqlite3_column_double(st, i));
                break;
            case SQLITE_TEXT:
                buf_addf(&b, " t'%s'", sqlite3_column_text(st, i));
                break;
            case SQLITE_NULL:
                buf_adds(&b, " null");
                break;
            default:
                buf_adds(&b, " blob");
                break;
            }
        }
        buf_addc(&b, '\n');
    }
    sqlite3_finalize(st);
    sqlite3_free(sql);
    return buf_detach(&b);
}

/* One value of table, as text (NULL: "null"), for the hand answers. */
static char *
cell(const char *table, const char *expr, long long rowid)
{
    sqlite3 *db = catalog_db(cat);
    sqlite3_stmt *st = NULL;
    char *out = NULL;
    char *sql = sqlite3_mprintf("SELECT typeof(%s) || ':' || quote(%s) FROM \"%w\" WHERE rowid "
                                "= %lld", expr, expr, table, rowid);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        out = xstrdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_free(sql);
    return out ? out : xstrdup("(none)");
}

static void
write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    if (!fp) {
        check_fail++;
        return;
    }
    fputs(text, fp);
    fclose(fp);
}

/*
 * Load path four ways (tables base_ref, base_one, base_row, base_two) with
 * skip_bad; each stores what the reference stores and says what it says.
 * kept_one: whether the loads with a limit keep a frame. Returns the
 * reference's account (the caller frees it).
 */
static struct said
same_four(const char *path, const char *base, int kept_one)
{
    char ref[64], name[64];
    const char *suffix[] = {"one", "row", "two"};
    size_t bytes[] = {(size_t)1 << 24, (size_t)1 << 24, 0};
    int cols[] = {1, 0, 1};
    snprintf(ref, sizeof ref, "%s_ref", base);
    struct said want = load(path, ref, 0, 0, 1);
    CHECK_INT(want.kept, 0);
    char *want_dump = dump(ref);
    for (int k = 0; k < 3; k++) {
        snprintf(name, sizeof name, "%s_%s", base, suffix[k]);
        struct said got = load(path, name, bytes[k], cols[k], 1);
        CHECK_INT(coltab_is(catalog_db(cat), name), cols[k]);
        CHECK_INT(got.kept, bytes[k] ? kept_one : 0);
        CHECK_INT(got.n_rows, want.n_rows);
        CHECK_INT(got.n_skipped, want.n_skipped);
        CHECK_STR(got.skipped, want.skipped);
        CHECK_STR(got.summary, want.summary);
        char *d = dump(name);
        CHECK_STR(d, want_dump);
        free(d);
        said_free(&got);
    }
    free(want_dump);
    return want;
}

#define CHECK_CELL(table, expr, rowid, want)                                            \
    do {                                                                                \
        char *got_ = cell(table, expr, rowid);                                          \
        CHECK_STR(got_, want);                                                          \
        free(got_);                                                                     \
    } while (0)

/* Numeric and nominal attributes: the one pass. */
static void
test_one_pass(void)
{
    const char *path = "/tmp/quarry-test-arff-paths.arff";
    write_file(path,
               "@relation 'one pass'\n"
               "@attribute n integer\n"
               "@attribute x real\n"
               "@attribute colour {red, green, 'dark blue', '1', '01'}\n"
               "@attribute flag {t}\n"
               "@attribute none numeric\n"
               "@attribute mixed numeric\n"
               "@attribute edge numeric\n"
               "@data\n"
               "1, -0.0, 'dark blue', ?, ?, 3, 9007199254740992\n"
               "2, 1.5, green, t, ?, 2.5, -9007199254740992\n"
               "?, ?, ?, t, ?, ?, ?\n"
               "% a comment\n"
               "\n"
               "4, 1e300, '01', ?, ?, -7, 0\n"
               "5, 2, purple, ?, ?, 1, 1\n"
               "{0 7, 2 '1'}\n"
               "-5, -2.25, green, t, ?, 0.125, 12, {3}\n"
               "6, 7\n"
               "{}\n");
    struct said s = same_four(path, "one", 1);
    CHECK_INT(s.n_rows, 7);
    CHECK_INT(s.n_skipped, 2);
    CHECK_STR(s.skipped, "line 16: 'purple' is not one of the values of attribute 'colour'\n"
                         "line 19: 2 values, expected 7\n");
    CHECK_HAS(s.summary, "relation: one pass\n");
    CHECK_HAS(s.summary, "instance weights: ignored\n");
    said_free(&s);
    const char *t[] = {"one_ref", "one_one", "one_row", "one_two"};
    for (int k = 0; k < 4; k++) {
        CHECK_CELL(t[k], "n", 1, "integer:1");
        CHECK_CELL(t[k], "x", 1, "real:0.0"); /* -0 is stored as 0 */
        CHECK_CELL(t[k], "x", 5, "real:0.0");
        CHECK_CELL(t[k], "x", 6, "real:-2.25");
        CHECK_CELL(t[k], "mixed", 6, "real:0.125");
        CHECK_CELL(t[k], "colour", 1, "text:'dark blue'");
        CHECK_CELL(t[k], "colour", 5, "text:'1'");
        CHECK_CELL(t[k], "flag", 1, "null:NULL");
        CHECK_CELL(t[k], "flag", 2, "text:'t'");
        CHECK_CELL(t[k], "none", 2, "null:NULL");
        CHECK_CELL(t[k], "mixed", 1, "real:3.0");
        CHECK_CELL(t[k], "edge", 1, "integer:9007199254740992");
        CHECK_CELL(t[k], "edge", 2, "integer:-9007199254740992");
        /* the sparse rows: omitted values are 0 and the first nominal value */
        CHECK_CELL(t[k], "n", 5, "integer:7");
        CHECK_CELL(t[k], "flag", 5, "text:'t'");
        CHECK_CELL(t[k], "x", 7, "real:0.0");
        CHECK_CELL(t[k], "colour", 7, "text:'red'");
        CHECK_CELL(t[k], "edge", 7, "integer:0");
    }
}

/* An integer past 2^53 and one too wide for 64 bits: two passes, every digit kept. */
static void
test_wide(void)
{
    const char *path = "/tmp/quarry-test-arff-paths.arff";
    write_file(path,
               "@relation wide\n"
               "@attribute id numeric\n"
               "@attribute c {a, b}\n"
               "@data\n"
               "9007199254740993, a\n"
               "1, c\n"
               "-9007199254740995, b\n");
    struct said s = same_four(path, "wide", 1);
    CHECK_INT(s.n_rows, 2);
    CHECK_INT(s.n_skipped, 1); /* listed once, though the one pass saw it first */
    CHECK_STR(s.skipped, "line 6: 'c' is not one of the values of attribute 'c'\n");
    said_free(&s);
    CHECK_CELL("wide_one", "id", 1, "integer:9007199254740993");
    CHECK_CELL("wide_one", "id", 2, "integer:-9007199254740995");
    write_file(path,
               "@relation wider\n"
               "@attribute id numeric\n"
               "@attribute c {a, b}\n"
               "@data\n"
               "123456789012345678901, a\n"
               "1, b\n");
    s = same_four(path, "wider", 0); /* a text column: nothing kept */
    CHECK_HAS(s.summary, "kept as text (integers too wide for 64 bits lose digits as "
                         "numbers): 'id'\n");
    said_free(&s);
    CHECK_CELL("wider_one", "id", 1, "text:'123456789012345678901'");
    CHECK_CELL("wider_one", "id", 2, "text:'1'");
}

/* String and date attributes: two passes, a column table's rows through coltab_append. */
static void
test_text(void)
{
    const char *path = "/tmp/quarry-test-arff-paths.arff";
    write_file(path,
               "@relation text\n"
               "@attribute s string\n"
               "@attribute d date 'dd/MM/yyyy HH:mm'\n"
               "@attribute day date yyyy-MM-dd\n"
               "@attribute n numeric\n"
               "@attribute c {x, y}\n"
               "@data\n"
               "'it\\'s', '05/03/2024 17:45', 2024-03-05, 1, y\n"
               "'a\\tb', ?, ?, 2.5, ?\n"
               "?, '31/02/2024 00:00', 2024-01-01, 3, x\n"
               "{1 '01/01/2000 00:00', 4 y}\n"
               "\"\", '29/02/2024 23:59', 2024-02-29, -0, x\n");
    struct said s = same_four(path, "text", 0);
    CHECK_INT(s.n_rows, 4);
    CHECK_INT(s.n_skipped, 1);
    said_free(&s);
    const char *t[] = {"text_ref", "text_one", "text_row", "text_two"};
    for (int k = 0; k < 4; k++) {
        CHECK_CELL(t[k], "d", 1, "text:'2024-03-05T17:45:00'");
        CHECK_CELL(t[k], "day", 1, "text:'2024-03-05'");
        CHECK_CELL(t[k], "s", 2, "text:'a\tb'");
        CHECK_CELL(t[k], "s", 3, "text:''"); /* sparse: an empty string */
        CHECK_CELL(t[k], "day", 3, "text:'1970-01-01'");
        CHECK_CELL(t[k], "n", 2, "real:2.5");
        CHECK_CELL(t[k], "n", 4, "real:0.0");
        CHECK_CELL(t[k], "c", 2, "null:NULL");
    }
}

/* Weka's basket file: 4,627 rows x 217 nominal columns, mostly '?'. */
static void
test_supermarket(void)
{
    struct said s = same_four("tests/data/supermarket.arff.gz", "market", 1);
    CHECK_INT(s.n_rows, 4627);
    said_free(&s);
    CHECK_CELL("market_one", "total", 1, "text:'high'");
    CHECK_CELL("market_one", "department1", 1, "null:NULL");
    CHECK_CELL("market_one", "\"baby needs\"", 1, "text:'t'");
}

int
main(void)
{
    struct qerr err = QERR_INIT;
    if (catalog_open(&cat, &err) < 0) {
        fprintf(stderr, "catalog_open: %s\n", err.msg);
        return 1;
    }
    if (coltab_register(catalog_db(cat), &err) < 0) {
        fprintf(stderr, "coltab_register: %s\n", err.msg);
        return 1;
    }
    test_one_pass();
    test_wide();
    test_text();
    test_supermarket();
    catalog_free(cat);
    return check_done("test_arff_paths");
}
