/*
 * test_export.c: what load_export writes as JSON and JSON Lines, and the
 * format it picks from a file name (load_export_format, load.h). CSV and
 * TSV are in test_load.c.
 *
 * Plan:
 *   1. formats from names: .csv, .tsv, .tab, .json, .jsonl, .ndjson in any
 *      case, and no extension (/dev/stdout, a bare name, a dot only in a
 *      folder or leading) are written; .parquet, .xlsx, .txt, .csv.gz and
 *      .arff are refused with the list and the format= way out, and no
 *      file is made
 *   2. the exact bytes of a small table as JSON and as JSON Lines, worked
 *      out by hand from RFC 8259: integers and reals as numbers (0.1+0.2
 *      at 17 digits, 2.0 with its .0, int64's extremes), NULL and
 *      +-infinity as null, text escaped (quote, backslash, LF, tab, CR,
 *      ESC, NUL), a byte that is not UTF-8 as U+FFFD, valid multibyte
 *      text kept; a key that needs escaping; an empty table is [] or
 *      nothing
 *   3. a table larger than the write chunk (1 MiB) is one valid JSON
 *      array and one valid object per line, by SQLite's own JSON parser,
 *      with every row and the reals read back equal
 *   4. a BLOB is refused and the file that was there stays as it was
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "data/load.h"

static sqlite3 *
fresh(void)
{
    sqlite3 *db = NULL;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK)
        exit(2);
    return db;
}

static void
exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "sql failed: %s: %s\n", sql, msg);
        check_fail++;
    }
    sqlite3_free(msg);
}

/* The whole file at path (NUL-terminated; *len its size), or NULL. The caller frees it. */
static char *
slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct buf_s {
        char *p;
        size_t n, cap;
    } b = {malloc(4096), 0, 4096};
    size_t got;
    while ((got = fread(b.p + b.n, 1, b.cap - b.n - 1, f)) > 0) {
        b.n += got;
        if (b.cap - b.n < 2)
            b.p = realloc(b.p, b.cap *= 2);
    }
    fclose(f);
    b.p[b.n] = '\0';
    if (len)
        *len = b.n;
    return b.p;
}

static char out_path[64];

/* ---- 1. formats from names --------------------------------------------- */

/* The format picked for name, as a word, or the error's code as "error N". */
static const char *
format_of(const char *name)
{
    static const char *const words[] = {"auto", "csv", "tsv", "arff", "json", "jsonl"};
    static char e[32];
    struct qerr err = QERR_INIT;
    enum load_format f = LOAD_AUTO;
    if (load_export_format(name, &f, &err) < 0) {
        snprintf(e, sizeof e, "error %d", (int)err.code);
        qerr_clear(&err);
        return e;
    }
    return words[f];
}

static void
test_formats(void)
{
    CHECK_STR(format_of("a.csv"), "csv");
    CHECK_STR(format_of("a.CSV"), "csv");
    CHECK_STR(format_of("a.tsv"), "tsv");
    CHECK_STR(format_of("a.Tab"), "tsv");
    CHECK_STR(format_of("dir/a.json"), "json");
    CHECK_STR(format_of("a.JSON"), "json");
    CHECK_STR(format_of("a.jsonl"), "jsonl");
    CHECK_STR(format_of("a.ndjson"), "jsonl");
    CHECK_STR(format_of("/dev/stdout"), "csv");
    CHECK_STR(format_of("out"), "csv");
    CHECK_STR(format_of("v1.2/out"), "csv");
    CHECK_STR(format_of(".hidden"), "csv");
    CHECK_STR(format_of("o.parquet"), "error 1"); /* QE_ARG */
    CHECK_STR(format_of("o.xlsx"), "error 1");
    CHECK_STR(format_of("o.txt"), "error 1");
    CHECK_STR(format_of("o.csv.gz"), "error 1");
    CHECK_STR(format_of("o.arff"), "error 1");
    CHECK_STR(format_of("o.qdb"), "error 1");

    struct qerr err = QERR_INIT;
    enum load_format f = LOAD_AUTO;
    CHECK_INT(load_export_format("/tmp/o.parquet", &f, &err), -1);
    CHECK_STR(err.msg, "export does not write '.parquet' files; it writes CSV (.csv), TSV "
                       "(.tsv, .tab), JSON (.json) and JSON Lines (.jsonl, .ndjson)");
    CHECK_HAS(err.hint, "format=json");
    qerr_clear(&err);

    /* Through load_export: refused before anything is written. */
    sqlite3 *db = fresh();
    exec(db, "CREATE TABLE t(a); INSERT INTO t VALUES (1)");
    char path[80];
    snprintf(path, sizeof path, "/tmp/quarry_export_%d.xlsx", (int)getpid());
    unlink(path);
    CHECK_INT(load_export(db, "t", path, LOAD_AUTO, NULL, &err), -1);
    CHECK_INT(err.code, QE_ARG);
    qerr_clear(&err);
    CHECK_INT(access(path, F_OK), -1);
    /* Named, the format is written under any name. */
    CHECK_OK(load_export(db, "t", path, LOAD_JSON, NULL, &err), err);
    char *got = slurp(path, NULL);
    CHECK_STR(got, "[{\"a\": 1}]\n");
    free(got);
    unlink(path);
    sqlite3_close(db);
}

/* ---- 2. exact bytes ---------------------------------------------------- */

static void
test_bytes(void)
{
    sqlite3 *db = fresh();
    struct qerr err = QERR_INIT;
    long long n = -1;
    /*
     * Row 1: plain values. Row 2: NULLs and the extremes. Row 3: text that
     * needs every escape; 'x' || char(0) || 'y' holds a NUL; CAST(x'ff41')
     * is the byte FF (never UTF-8) then A; 'é' is C3 A9 and stays.
     */
    exec(db, "CREATE TABLE t(i INTEGER, r REAL, s TEXT, \"q\"\"k\" TEXT);"
             "INSERT INTO t VALUES (1, 2.0, 'x', 'é');"
             "INSERT INTO t VALUES (-9223372036854775808, 1e999, NULL, NULL);"
             "INSERT INTO t VALUES (9223372036854775807, -1e999, "
             "  'a\"b\\c' || char(10) || char(9) || char(13) || char(27), "
             "  'x' || char(0) || 'y' || CAST(x'ff41' AS TEXT));"
             "INSERT INTO t VALUES (NULL, 0.1 + 0.2, '', ' ');");
    const char *rows[] = {
        "{\"i\": 1, \"r\": 2.0, \"s\": \"x\", \"q\\\"k\": \"\xC3\xA9\"}",
        "{\"i\": -9223372036854775808, \"r\": null, \"s\": null, \"q\\\"k\": null}",
        "{\"i\": 9223372036854775807, \"r\": null, \"s\": \"a\\\"b\\\\c\\n\\t\\u000d\\u001b\", "
        "\"q\\\"k\": \"x\\u0000y\xEF\xBF\xBD" "A\"}",
        "{\"i\": null, \"r\": 0.30000000000000004, \"s\": \"\", \"q\\\"k\": \" \"}",
    };
    char want[1024];

    snprintf(out_path, sizeof out_path, "/tmp/quarry_export_%d.json", (int)getpid());
    CHECK_OK(load_export(db, "t", out_path, LOAD_AUTO, &n, &err), err);
    CHECK_INT(n, 4);
    snprintf(want, sizeof want, "[%s,\n %s,\n %s,\n %s]\n", rows[0], rows[1], rows[2], rows[3]);
    char *got = slurp(out_path, NULL);
    CHECK_STR(got, want);
    free(got);
    unlink(out_path);

    snprintf(out_path, sizeof out_path, "/tmp/quarry_export_%d.ndjson", (int)getpid());
    CHECK_OK(load_export(db, "t", out_path, LOAD_AUTO, &n, &err), err);
    CHECK_INT(n, 4);
    snprintf(want, sizeof want, "%s\n%s\n%s\n%s\n", rows[0], rows[1], rows[2], rows[3]);
    got = slurp(out_path, NULL);
    CHECK_STR(got, want);
    free(got);

    /* No rows: an empty array, an empty file. */
    exec(db, "CREATE TABLE e(a INTEGER)");
    CHECK_OK(load_export(db, "e", out_path, LOAD_JSONL, &n, &err), err);
    CHECK_INT(n, 0);
    size_t len = 99;
    got = slurp(out_path, &len);
    CHECK_INT(len, 0);
    free(got);
    CHECK_OK(load_export(db, "e", out_path, LOAD_JSON, &n, &err), err);
    got = slurp(out_path, NULL);
    CHECK_STR(got, "[]\n");
    free(got);
    unlink(out_path);
    qerr_clear(&err);
    sqlite3_close(db);
}

/* ---- 3. past the write chunk, read back by SQLite's JSON parser ---------- */

static void
test_large(void)
{
    sqlite3 *db = fresh();
    struct qerr err = QERR_INIT;
    long long n = -1;
    /* 30,000 rows of about 60 bytes of JSON: 1.8 MB, two chunks. */
    exec(db, "CREATE TABLE big(i INTEGER PRIMARY KEY, r REAL, s TEXT);"
             "INSERT INTO big WITH RECURSIVE c(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM c "
             "WHERE k < 30000) SELECT k, k / 7.0, 'row ' || k || ' \"q\"' FROM c;");
    snprintf(out_path, sizeof out_path, "/tmp/quarry_export_%d.json", (int)getpid());
    CHECK_OK(load_export(db, "big", out_path, LOAD_AUTO, &n, &err), err);
    CHECK_INT(n, 30000);
    size_t len = 0;
    char *got = slurp(out_path, &len);
    CHECK(len > (1 << 20));
    sqlite3_stmt *st = NULL;
    /* Every element back: i, the real equal to k / 7.0 exactly, the text. */
    sqlite3_prepare_v2(db,
                       "SELECT json_valid(?1), json_array_length(?1), "
                       "(SELECT count(*) FROM json_each(?1) j, big b "
                       " WHERE b.i = j.value ->> 'i' AND j.value ->> 'r' = b.r "
                       " AND j.value ->> 's' = b.s)",
                       -1, &st, NULL);
    sqlite3_bind_text(st, 1, got ? got : "", -1, SQLITE_STATIC);
    CHECK_INT(sqlite3_step(st), SQLITE_ROW);
    CHECK_INT(sqlite3_column_int(st, 0), 1);
    CHECK_INT(sqlite3_column_int(st, 1), 30000);
    CHECK_INT(sqlite3_column_int(st, 2), 30000);
    sqlite3_finalize(st);
    free(got);
    unlink(out_path);

    snprintf(out_path, sizeof out_path, "/tmp/quarry_export_%d.jsonl", (int)getpid());
    CHECK_OK(load_export(db, "big", out_path, LOAD_AUTO, &n, &err), err);
    got = slurp(out_path, NULL);
    long long lines = 0, valid = 0;
    sqlite3_prepare_v2(db, "SELECT json_valid(?1) AND json_type(?1) = 'object'", -1, &st, NULL);
    for (char *p = got, *nl; p && (nl = strchr(p, '\n')); p = nl + 1) {
        lines++;
        sqlite3_bind_text(st, 1, p, (int)(nl - p), SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0))
            valid++;
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    CHECK_INT(lines, 30000);
    CHECK_INT(valid, 30000);
    free(got);
    unlink(out_path);
    qerr_clear(&err);
    sqlite3_close(db);
}

/* ---- 4. a BLOB ------------------------------------------------------------ */

static void
test_blob(void)
{
    sqlite3 *db = fresh();
    struct qerr err = QERR_INIT;
    snprintf(out_path, sizeof out_path, "/tmp/quarry_export_%d.json", (int)getpid());
    FILE *f = fopen(out_path, "wb");
    if (f) {
        fputs("keep me", f);
        fclose(f);
    }
    exec(db, "CREATE TABLE bin(x); INSERT INTO bin VALUES (1), (x'00ff')");
    CHECK_INT(load_export(db, "bin", out_path, LOAD_AUTO, NULL, &err), -1);
    CHECK_INT(err.code, QE_DATA);
    CHECK_HAS(err.msg, "column 'x' of 'bin' holds binary data (row 2)");
    qerr_clear(&err);
    char *got = slurp(out_path, NULL);
    CHECK_STR(got, "keep me");
    free(got);
    unlink(out_path);
    sqlite3_close(db);
}

int
main(void)
{
    test_formats();
    test_bytes();
    test_large();
    test_blob();
    return check_done("test_export");
}
