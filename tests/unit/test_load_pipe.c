/*
 * test_load_pipe.c: the two-thread CSV load (src/data/load_pipe.c) gives
 * exactly what the one-thread load gives.
 *
 * Plan: load_opts.batch_rows forces the second thread on small files, in
 * batches of a few rows, so that every case crosses batch boundaries.
 * Each case loads the same file with batch_rows -1 (one thread) and with
 * several batch sizes, and compares everything load_file returns: the
 * result code and error, the rows and their types (quote() of every
 * value), the schema, the skipped count and listing, the summary, and the
 * numeric columns kept for the frame cache. Cases:
 *   1. a generated file of numbers, blanks, dates, text with doubled
 *      quotes and line breaks inside quotes, and bad records
 *   2. bad records skipped and listed in order; a bad record that fails
 *      the load, early in a long file (the worker must be stopped)
 *   3. a value late in the file that does not fit (the pass restarts),
 *      with bad records before and after it
 *   4. header=auto decided by a repeated header value (watched per row)
 *   5. cancelling from the progress callback (past 2, 3 or 4 tenths of
 *      the file), in the pass and after a mismatch
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "check.h"
#include "data/load.h"

static char *
write_tmp(const char *s, size_t len)
{
    char *path = malloc(64);
    snprintf(path, 64, "/tmp/quarry_pipe_XXXXXX.csv");
    int fd = mkstemps(path, 4);
    if (fd < 0 || write(fd, s, len) != (ssize_t)len) {
        perror("write_tmp");
        exit(2);
    }
    close(fd);
    return path;
}

/* Everything a load gives, as text. */
struct outcome {
    int rc;
    struct buf text;
};

/* Every row of t, each value as quote() gives it (so 1, 1.0 and '1' differ). */
static void
dump_table(sqlite3 *db, struct buf *b)
{
    sqlite3_stmt *st = NULL;
    buf_adds(b, "schema:");
    sqlite3_prepare_v2(db, "SELECT name || ' ' || type FROM pragma_table_info('t')", -1, &st,
                       NULL);
    while (sqlite3_step(st) == SQLITE_ROW)
        buf_addf(b, " %s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    buf_addc(b, '\n');
    st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT * FROM t", -1, &st, NULL) != SQLITE_OK)
        return;
    int n = sqlite3_column_count(st);
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int i = 0; i < n; i++) {
            int type = sqlite3_column_type(st, i);
            const unsigned char *s = sqlite3_column_text(st, i);
            buf_addf(b, "%s%d:%s", i ? "|" : "", type, s ? (const char *)s : "");
        }
        buf_addc(b, '\n');
    }
    sqlite3_finalize(st);
}

struct prog {
    int calls;
    int cancel_at;
};

/*
 * Progress comes by the clock, so not at the same rows in one thread and
 * two: cancel at the first call past cancel_at tenths of the file, before
 * the end, which both reach in the middle of a pass.
 */
static int
on_progress(void *ctx, double f)
{
    struct prog *p = ctx;
    p->calls++;
    return p->cancel_at && f < 1.0 && f >= p->cancel_at / 10.0;
}

/* Load path with batch_rows into a fresh catalog; what happened, as text. */
static void
load_once(const char *path, int batch_rows, int skip_bad, int cancel_at, struct outcome *out)
{
    sqlite3 *db = NULL;
    struct load_opts o;
    struct load_result r;
    struct qerr err = QERR_INIT;
    struct prog p = { 0, cancel_at };

    if (sqlite3_open(":memory:", &db) != SQLITE_OK)
        exit(2);
    load_opts_init(&o);
    load_result_init(&r);
    o.path = path;
    o.table = "t";
    o.skip_bad = skip_bad;
    o.batch_rows = batch_rows;
    o.capture_bytes = 64 << 20;
    o.progress = on_progress;
    o.progress_ctx = &p;
    sqlite3_exec(db, "SAVEPOINT s", NULL, NULL, NULL);
    out->rc = load_file(db, &o, &r, &err);
    if (out->rc < 0)
        sqlite3_exec(db, "ROLLBACK TO s", NULL, NULL, NULL);
    sqlite3_exec(db, "RELEASE s", NULL, NULL, NULL);
    buf_init(&out->text);
    buf_addf(&out->text, "rc %d code %d err %s\n", out->rc, (int)err.code,
             err.msg ? err.msg : "-");
    buf_addf(&out->text, "rows %lld cols %d skipped %lld\n%s--\n%s--\n", r.n_rows, r.n_cols,
             r.n_skipped, r.skipped.data, r.summary.data);
    for (int i = 0; r.num && i < r.n_cols; i++) {
        if (!r.num[i])
            continue;
        buf_addf(&out->text, "kept %s:", r.names[i]);
        for (long long k = 0; k < r.n_rows; k++)
            buf_addf(&out->text, " %.17g", r.num[i][k]);
        buf_addc(&out->text, '\n');
    }
    dump_table(db, &out->text);
    load_result_release(&r);
    qerr_clear(&err);
    sqlite3_close(db);
}

/*
 * Load s in one thread and in two with each batch size of a list ending
 * in 0 (the size the load picks, from 1 MiB); check the outcomes are the
 * same. Returns the one-thread outcome's rc, and its text in *one (NULL:
 * not wanted) for checks of its own.
 */
static int
same_with(const int *batches, const char *s, int skip_bad, int cancel_at, struct buf *one)
{
    char *path = write_tmp(s, strlen(s));
    struct outcome a, b;
    load_once(path, -1, skip_bad, cancel_at, &a);
    for (size_t k = 0; k == 0 || batches[k - 1]; k++) {
        load_once(path, batches[k], skip_bad, cancel_at, &b);
        if (strcmp(a.text.data, b.text.data) != 0) {
            check_fail++;
            fprintf(stderr, "batch_rows %d differs from one thread:\n--- one\n%.2000s\n--- two\n"
                    "%.2000s\n", batches[k], a.text.data, b.text.data);
        } else {
            check_pass++;
        }
        buf_release(&b.text);
    }
    unlink(path);
    free(path);
    int rc = a.rc;
    if (one)
        *one = a.text;
    else
        buf_release(&a.text);
    return rc;
}

/* same_with batches of 2, 3, 7, 64 and 1000 rows. */
static int
same_both_ways(const char *s, int skip_bad, int cancel_at, struct buf *one)
{
    static const int batches[] = { 2, 3, 7, 64, 1000, 0 };
    return same_with(batches, s, skip_bad, cancel_at, one);
}

/* ---- 1. a generated file ---------------------------------------------- */

static unsigned long long rng = 88172645463325252ULL;

static unsigned
next_rand(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

static void
test_generated(void)
{
    struct buf s = BUF_INIT;
    buf_adds(&s, "id,x,n,day,note\n");
    for (int i = 0; i < 3000; i++) {
        buf_addf(&s, "%d,", i);
        if (next_rand(20))
            buf_addf(&s, "%d.%03u", (int)next_rand(2000) - 1000, next_rand(1000));
        buf_addf(&s, ",%s", next_rand(10) ? "" : " ");
        if (next_rand(15))
            buf_addf(&s, "%u", next_rand(100000));
        buf_addf(&s, ",2024-%02u-%02u,", 1 + next_rand(12), 1 + next_rand(28));
        switch (next_rand(6)) {
        case 0:
            buf_addf(&s, "\"he said \"\"%u\"\"\"", next_rand(99));
            break;
        case 1:
            buf_addf(&s, "\"two\nlines, %u\"", next_rand(99));
            break;
        case 2:
            buf_adds(&s, "\"\"");
            break;
        case 3:
            buf_addf(&s, "plain %u", next_rand(99));
            break;
        case 4:
            buf_adds(&s, "\"\"\"\"\"\r\n\"\"\"");
            break;
        default:
            break;
        }
        buf_adds(&s, next_rand(4) ? "\n" : "\r\n");
        if (i % 97 == 50)
            buf_adds(&s, "short,row\n");
        if (i % 211 == 7)
            buf_adds(&s, "1,2,3,\xc3\x28,5\n");
        if (i % 301 == 9)
            buf_adds(&s, "\n\n");
    }
    struct buf one = BUF_INIT;
    CHECK_INT(same_both_ways(s.data, 1, 0, &one), 0);
    CHECK_HAS(one.data, "schema: id INTEGER x REAL n INTEGER day DATE_TEXT note TEXT\n");
    CHECK_HAS(one.data, "skipped 46\n");
    CHECK_HAS(one.data, "|3:he said \"");
    CHECK_HAS(one.data, "|3:two\nlines, ");
    buf_release(&one);
    /* the same without skip_bad: the first ragged row fails the load */
    CHECK_INT(same_both_ways(s.data, 0, 0, NULL), -1);
    buf_release(&s);
}

/* ---- 2. bad records --------------------------------------------------- */

static void
test_bad_records(void)
{
    struct buf s = BUF_INIT, one = BUF_INIT;
    buf_adds(&s, "a,b\n");
    for (int i = 1; i <= 40; i++)
        buf_addf(&s, i % 4 == 0 ? "%d\n" : "%d,%d\n", i, i);
    CHECK_INT(same_both_ways(s.data, 1, 0, &one), 0);
    CHECK_HAS(one.data, "rows 30 cols 2 skipped 10\nline 5: 1 fields, expected 2\n"
                        "line 9: 1 fields, expected 2\nline 13: 1 fields, expected 2\n"
                        "line 17: 1 fields, expected 2\nline 21: 1 fields, expected 2\n--\n");
    buf_release(&one);

    /* Failing early in a long file: the worker has filled its ring and waits. */
    buf_reset(&s);
    buf_adds(&s, "a,b\n1,2\n3,4\n");
    buf_adds(&s, "4,5,6\n");
    for (int i = 0; i < 20000; i++)
        buf_addf(&s, "%d,%d\n", i, i);
    CHECK_INT(same_both_ways(s.data, 0, 0, &one), -1);
    CHECK_HAS(one.data, ".csv' line 4: 3 fields, expected 2; fix that row");
    buf_release(&one);
    buf_release(&s);
}

/* ---- 3. a value that does not fit, late ------------------------------- */

static void
test_late_mismatch(void)
{
    struct buf s = BUF_INIT, one = BUF_INIT;
    buf_adds(&s, "k,v,w\n");
    for (int i = 1; i <= 5000; i++) {
        if (i == 100 || i == 4990)
            buf_adds(&s, "bad\n");
        buf_addf(&s, "%d,%d,%s\n", i, i, i == 4000 ? "x" : "");
    }
    buf_adds(&s, "5001,0.5,\n");
    CHECK_INT(same_both_ways(s.data, 1, 0, &one), 0);
    CHECK_HAS(one.data, "schema: k INTEGER v REAL w TEXT\n");
    CHECK_HAS(one.data, "rows 5001 cols 3 skipped 2\nline 101: 1 fields, expected 3\n"
                        "line 4992: 1 fields, expected 3\n--\n");
    buf_release(&one);

    /* a date column that meets a timestamp, and an integer that meets text, after a NUL */
    buf_reset(&s);
    buf_adds(&s, "d,n\n");
    for (int i = 1; i <= 3000; i++)
        buf_addf(&s, "2024-01-%02d,%d\n", 1 + i % 28, i);
    buf_add(&s, "x\0y,1\n", 6);
    buf_adds(&s, "2024-01-01 10:00,\"7\"\n2024-01-02,unknown\n");
    /* the NUL ends the C string: write it with its length */
    char *path = write_tmp(s.data, s.len);
    struct outcome a, b;
    load_once(path, -1, 1, 0, &a);
    load_once(path, 3, 1, 0, &b);
    CHECK_STR(b.text.data, a.text.data);
    CHECK_HAS(a.text.data, "schema: d TIMESTAMP_TEXT n TEXT\n");
    CHECK_HAS(a.text.data, "skipped 1\nline 3002: NUL byte in field 1");
    buf_release(&a.text);
    buf_release(&b.text);
    unlink(path);
    free(path);
    buf_release(&s);
}

/* ---- 4. header=auto watched row by row -------------------------------- */

static void
test_header_again(void)
{
    struct buf s = BUF_INIT, one = BUF_INIT;
    buf_adds(&s, "name,city\n");
    for (int i = 0; i < 2000; i++)
        buf_addf(&s, "n%d,c%d\n", i, i % 7);
    buf_adds(&s, "x,city\n");
    CHECK_INT(same_both_ways(s.data, 0, 0, &one), 0);
    CHECK_HAS(one.data, "header: no");
    buf_release(&one);
    buf_reset(&s);
    buf_adds(&s, "name,city\n");
    for (int i = 0; i < 2000; i++)
        buf_addf(&s, "n%d,c%d\n", i, i % 7);
    CHECK_INT(same_both_ways(s.data, 0, 0, &one), 0);
    CHECK_HAS(one.data, "header: yes");
    buf_release(&one);
    buf_release(&s);
}

/* ---- 5. cancel -------------------------------------------------------- */

static void
test_cancel(void)
{
    static const int batches[] = { 64, 0 };
    /* about 12 MB: progress every 50 ms, many times a pass */
    struct buf s = BUF_INIT, one = BUF_INIT;
    buf_adds(&s, "k,v,pad\n");
    for (int i = 0; i < 250000; i++)
        buf_addf(&s, "%d,%d,abcdefghijklmnopqrstuvwxyz0123456789\n", i, i);
    for (int at = 2; at <= 4; at++) {
        CHECK_INT(same_with(batches, s.data, 0, at, &one), -1);
        CHECK_HAS(one.data, "cancelled");
        CHECK_HAS(one.data, "\nschema:\n");
        buf_release(&one);
    }
    /* a mismatch early: cancelled while the rest is read for the exact types */
    buf_reset(&s);
    buf_adds(&s, "k,v,pad\n");
    for (int i = 0; i < 250000; i++)
        buf_addf(&s, "%d,%s,abcdefghijklmnopqrstuvwxyz0123456789\n", i, i == 5000 ? "x" : "1");
    CHECK_INT(same_with(batches, s.data, 0, 3, &one), -1);
    CHECK_HAS(one.data, "cancelled");
    buf_release(&one);
    /* not cancelled: the same file loads the same way */
    CHECK_INT(same_with(batches, s.data, 0, 0, &one), 0);
    CHECK_HAS(one.data, "schema: k INTEGER v TEXT pad TEXT\n");
    buf_release(&one);
    buf_release(&s);
}

int
main(void)
{
    test_generated();
    test_bad_records();
    test_late_mismatch();
    test_header_again();
    test_cancel();
    return check_done("test_load_pipe");
}
