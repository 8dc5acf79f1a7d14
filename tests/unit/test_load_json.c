/*
 * test_load_json.c: load_file (src/data/load.h) on JSON (load_json.c):
 * an array of objects and JSON Lines.
 *
 * Plan:
 *   1. an array of objects: the columns are the union of the keys in the
 *      order first seen; a key an object lacks is NULL; kinds by the CSV
 *      rules (integers, reals, a date string, a string of digits, true and
 *      false as 1 and 0); nested objects and arrays kept as their JSON
 *   2. JSON Lines: blank lines and CRLF; a line that is not JSON is an
 *      error naming its line and column, or skipped and counted with
 *      skip_bad; a line that is an array is not an object
 *   3. malformed arrays: the line and column of the first error (worked
 *      out by hand), no table made; an element that is not an object; an
 *      empty array; invalid UTF-8; a \u0000 escape (SQLite would cut the
 *      string at it); nesting deeper than SQLite's 2000 levels
 *   4. keys differing only in case get distinct column names; a string
 *      of 20 digits keeps its column as text, said in the summary
 *   5. a JSON Lines file long enough to be read in
 *      several pieces (the sum worked out by hand)
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "data/load.h"

static char *
write_tmp(const char *s, size_t len, const char *suffix)
{
    char *path = malloc(64);
    snprintf(path, 64, "/tmp/quarry_test_XXXXXX%s", suffix);
    int fd = mkstemps(path, (int)strlen(suffix));
    if (fd < 0 || write(fd, s, len) != (ssize_t)len) {
        perror("write_tmp");
        exit(2);
    }
    close(fd);
    return path;
}

static sqlite3 *db;
static struct load_result r;
static struct qerr err = QERR_INIT;
static char *path;

/* Load text (written to a .json file, or suffix) as table t of a fresh database. */
static int
load_text(const char *text, const char *suffix, int skip_bad)
{
    sqlite3_open(":memory:", &db);
    path = write_tmp(text, strlen(text), suffix);
    struct load_opts o;
    load_opts_init(&o);
    o.path = path;
    o.table = "t";
    o.skip_bad = skip_bad;
    load_result_init(&r);
    return load_file(db, &o, &r, &err);
}

static void
done(void)
{
    load_result_release(&r);
    qerr_clear(&err);
    sqlite3_close(db);
    unlink(path);
    free(path);
}

/* The rows of sql, fields joined by '|', rows by ';' (NULL as "N"). */
static const char *
rows(const char *sql)
{
    static char out[8192];
    size_t n = 0;
    sqlite3_stmt *st = NULL;
    out[0] = '\0';
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        snprintf(out, sizeof out, "error: %s", sqlite3_errmsg(db));
        return out;
    }
    while (sqlite3_step(st) == SQLITE_ROW && n < sizeof out - 1) {
        if (n)
            n += (size_t)snprintf(out + n, sizeof out - n, ";");
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            const char *v = (const char *)sqlite3_column_text(st, i);
            n += (size_t)snprintf(out + n, sizeof out - n, "%s%s", i ? "|" : "", v ? v : "N");
        }
    }
    sqlite3_finalize(st);
    return out;
}

/* ---- 1. an array of objects ------------------------------------------------- */

static void
test_array(void)
{
    CHECK_OK(load_text("[\n"
                       " {\"id\": 1, \"name\": \"ann\", \"score\": 3.5, \"tags\": [\"x\", 2]},\n"
                       " {\"id\": 2, \"score\": 4, \"addr\": {\"city\": \"Oslo\"}, \"ok\": true,"
                       " \"day\": \"2024-01-05\", \"code\": \"12\"},\n"
                       " {\"name\": null, \"ok\": false, \"id\": 3, \"code\": \"7\"}\n"
                       "]\n", ".json", 0), err);
    CHECK_INT(r.n_rows, 3);
    CHECK_INT(r.n_cols, 8);
    CHECK_STR(rows("SELECT group_concat(name || ':' || type, ',') FROM pragma_table_info('t')"),
              "id:INTEGER,name:TEXT,score:REAL,tags:TEXT,addr:TEXT,ok:INTEGER,day:DATE_TEXT,"
              "code:INTEGER");
    CHECK_STR(rows("SELECT id, name, score, typeof(score), tags, addr, ok, day, code, typeof(code) "
                   "FROM t ORDER BY rowid"),
              "1|ann|3.5|real|[\"x\",2]|N|N|N|N|null;"
              "2|N|4.0|real|N|{\"city\":\"Oslo\"}|1|2024-01-05|12|integer;"
              "3|N|N|null|N|N|0|N|7|integer");
    /* the nested values are JSON SQLite reads back */
    CHECK_STR(rows("SELECT json_extract(addr, '$.city') FROM t WHERE id = 2"), "Oslo");
    done();
}

/* ---- 2. JSON Lines ------------------------------------------------------------ */

static void
test_lines(void)
{
    CHECK_OK(load_text("{\"a\": 1, \"b\": \"x\"}\n\n{\"b\": \"y\", \"c\": 2.5}\r\n  \n{\"a\": 3}",
                       ".jsonl", 0), err);
    CHECK_STR(rows("SELECT a, b, c FROM t ORDER BY rowid"), "1|x|N;N|y|2.5;3|N|N");
    done();

    /* line 3, column 8: after "a": 2 comes a '}'-less end of line */
    const char *bad = "{\"a\": 1}\n\n{\"a\": 2\n{\"a\": 4}\n";
    CHECK_INT(load_text(bad, ".jsonl", 0), -1);
    CHECK_INT(err.code, QE_DATA);
    CHECK_HAS(err.msg, "line 3: invalid JSON at column 8: the text ends inside an object");
    CHECK_STR(rows("SELECT count(*) FROM sqlite_master"), "0");
    done();
    CHECK_OK(load_text(bad, ".jsonl", 1), err);
    CHECK_INT(r.n_rows, 2);
    CHECK_INT(r.n_skipped, 1);
    CHECK_HAS(r.skipped.data, "line 3: invalid JSON");
    CHECK_STR(rows("SELECT group_concat(a) FROM t"), "1,4");
    done();

    CHECK_INT(load_text("{\"a\": 1}\n[1, 2]\n", ".jsonl", 0), -1);
    CHECK_HAS(err.msg, "line 2: an array, not an object");
    done();
}

/* ---- 3. malformed arrays ---------------------------------------------------- */

static void
test_bad_arrays(void)
{
    /* the ',' before '}' on line 2: column 10 is the '}' where a key should be */
    CHECK_INT(load_text("[{\"a\": 1},\n {\"a\": 2,}\n]\n", ".json", 0), -1);
    CHECK_INT(err.code, QE_DATA);
    CHECK_HAS(err.msg, "line 2, column 10: invalid JSON: an object's key must be a string");
    CHECK_STR(rows("SELECT count(*) FROM sqlite_master"), "0");
    done();
    CHECK_INT(load_text("[{\"a\": 'x'}]", ".json", 0), -1);
    CHECK_HAS(err.msg, "line 1, column 8: invalid JSON: not a JSON value");
    done();
    CHECK_INT(load_text("[{\"a\": 1}, 5]", ".json", 0), -1);
    CHECK_HAS(err.msg, "element 2 of the array is a number, not an object");
    done();
    CHECK_INT(load_text("[]", ".json", 0), -1);
    CHECK_HAS(err.msg, "holds no objects");
    done();
    CHECK_INT(load_text("[{\"a\": \"Jos\xe9\"}]", ".json", 0), -1);
    CHECK_HAS(err.msg, "line 1, column 12: invalid UTF-8 (byte 0xe9)");
    CHECK_HAS(err.msg, "encoding=latin1");
    done();
    /* \u0000 would end SQLite's text early: refused, as CSV refuses a NUL; \\u0000 is text */
    CHECK_INT(load_text("[{\"e\": \"a\\u0000b\"}]", ".json", 0), -1);
    CHECK_HAS(err.msg, "element 1 of the array holds \\u0000 (a NUL)");
    done();
    CHECK_OK(load_text("[{\"e\": \"a\\\\u0000b\"}]", ".json", 0), err);
    CHECK_STR(rows("SELECT e FROM t"), "a\\u0000b");
    done();
    /* deeper than SQLite's 2000 levels: with the outer [ and {, the 1999th inner [ is level
     * 2001, at column 7 + 1999 */
    char deep[6000];
    size_t n = (size_t)snprintf(deep, sizeof deep, "[{\"a\": ");
    for (int i = 0; i < 2500; i++)
        deep[n++] = '[';
    for (int i = 0; i < 2500; i++)
        deep[n++] = ']';
    snprintf(deep + n, sizeof deep - n, "}]");
    CHECK_INT(load_text(deep, ".json", 0), -1);
    CHECK_HAS(err.msg, "line 1, column 2006: invalid JSON: nested more than 2000 levels deep");
    done();
    CHECK_INT(load_text("a,b\n1,2\n", ".json", 0), -1);
    CHECK_HAS(err.msg, "starts with neither '[' nor '{'");
    done();
}

/* ---- 4. names and wide integers --------------------------------------------- */

static void
test_names_wide(void)
{
    CHECK_OK(load_text("[{\"A\": 1, \"a\": 2, \"\": 3, \"id\": \"12345678901234567890\"},"
                       " {\"id\": \"7\"}]", ".json", 0), err);
    CHECK_STR(rows("SELECT group_concat(name || ':' || type, ',') FROM pragma_table_info('t')"),
              "A:INTEGER,a_2:INTEGER,col3:INTEGER,id:TEXT");
    CHECK_STR(rows("SELECT id FROM t ORDER BY rowid"), "12345678901234567890;7");
    CHECK_HAS(r.summary.data, "'id'");
    done();
}

/* ---- 5. gzip and a long file ------------------------------------------------- */

static void
test_long(void)
{
    /* 40,000 lines of about 40 bytes: over 1.5 MB, several of the pieces a file is read in */
    size_t cap = 4 << 20, n = 0;
    char *s = malloc(cap);
    for (int i = 1; i <= 40000; i++)
        n += (size_t)snprintf(s + n, cap - n, "{\"i\": %d, \"pad\": \"abcdefghijklmnop\"}\n",
                              i);
    CHECK_OK(load_text(s, ".ndjson", 0), err);
    /* 1 + ... + 40000 = 40000 * 40001 / 2 */
    CHECK_STR(rows("SELECT sum(i), count(*) FROM t"), "800020000|40000");
    done();
    free(s);
}

int
main(void)
{
    test_array();
    test_lines();
    test_bad_arrays();
    test_names_wide();
    test_long();
    return check_done("test_load_json");
}
