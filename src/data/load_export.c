/*
 * load_export.c: load_export of load.h, a table written as CSV or TSV.
 *
 * Rows are formatted into one struct buf that is written out whenever it
 * passes EXPORT_CHUNK bytes, to a temporary file in the target's folder
 * that is synced and renamed over the target only when everything went
 * well (file_target.h: a link is followed to its target; /dev/stdout, a
 * FIFO or a device is written in place). The formatting is the reverse of the loader's rules (csv.h), so
 * that loading an exported table gives the same rows and column types.
 */
#include "data/load.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/file_target.h"
#include "data/csv.h"
#include "base/qerr.h"

#include "base/banned.h"

#define EXPORT_CHUNK (1 << 20)

/* Write all of b to fd and empty it. */
static int
flush_buf(int fd, struct buf *b, const char *path, struct qerr *err)
{
    size_t off = 0;
    while (off < b->len) {
        ssize_t n = write(fd, b->data + off, b->len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return qerr_set(err, QE_IO, "cannot write '%s': %s", path, strerror(errno));
        off += (size_t)n;
    }
    buf_reset(b);
    return 0;
}

/* Append an integer in decimal (faster than buf_addf, which this loop would call a lot). */
static void
add_int(struct buf *b, long long v)
{
    char tmp[24];
    int n = 0;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        tmp[n++] = '-';
    buf_grow(b, (size_t)n);
    while (n)
        b->data[b->len++] = tmp[--n];
    b->data[b->len] = '\0';
}

/* Append the rows of st (a SELECT * of table) to fd as delimited text. */
static int
write_rows(sqlite3 *db, sqlite3_stmt *st, int fd, char delim, const char *table,
           const char *path, long long *n_rows, struct qerr *err)
{
    struct buf out = BUF_INIT;
    int n = sqlite3_column_count(st), rc;
    long long rows = 0;

    for (int i = 0; i < n; i++) {
        const char *name = sqlite3_column_name(st, i);
        if (i)
            buf_addc(&out, delim);
        csv_write_field(&out, name, strlen(name), delim, 0);
    }
    buf_addc(&out, '\n');
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        rows++;
        for (int i = 0; i < n; i++) {
            if (i)
                buf_addc(&out, delim);
            switch (sqlite3_column_type(st, i)) {
            case SQLITE_INTEGER:
                add_int(&out, sqlite3_column_int64(st, i));
                break;
            case SQLITE_FLOAT:
                buf_add_real(&out, sqlite3_column_double(st, i));
                break;
            case SQLITE_TEXT: {
                const char *s = (const char *)sqlite3_column_text(st, i);
                int len = sqlite3_column_bytes(st, i);
                csv_write_field(&out, s, (size_t)len, delim, len == 0);
                break;
            }
            case SQLITE_BLOB:
                qerr_set(err, QE_DATA,
                         "column '%s' of '%s' holds binary data (row %lld); export writes "
                         "text only, so cast it first, e.g. hex(\"%s\")",
                         sqlite3_column_name(st, i), table, rows, sqlite3_column_name(st, i));
                goto fail;
            default:
                break; /* NULL: an empty field */
            }
        }
        buf_addc(&out, '\n');
        if (out.len >= EXPORT_CHUNK && flush_buf(fd, &out, path, err) < 0)
            goto fail;
    }
    if (rc != SQLITE_DONE) {
        qerr_set(err, QE_SQL, "cannot read '%s': %s", table, sqlite3_errmsg(db));
        goto fail;
    }
    if (flush_buf(fd, &out, path, err) < 0)
        goto fail;
    buf_release(&out);
    *n_rows = rows;
    return 0;
fail:
    buf_release(&out);
    return -1;
}

int
load_export(sqlite3 *db, const char *table, const char *path, enum load_format fmt,
            long long *n_rows, struct qerr *err)
{
    sqlite3_stmt *st = NULL;
    struct file_target t = {.fd = -1};
    char *sql = NULL;
    int rc = -1;
    long long rows = 0;
    struct stat sb;

    if (fmt == LOAD_AUTO)
        fmt = load_format_from_path(path);
    if (fmt == LOAD_ARFF)
        return qerr_set(err, QE_ARG, "export writes CSV or TSV, not ARFF; name the file "
                        "'%s.csv' or '.tsv'", table);
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return qerr_set(err, QE_IO, "'%s' is a folder; name a file in it, e.g. '%s/%s.csv'",
                        path, path, table);
    sql = sqlite3_mprintf("SELECT * FROM \"%w\"", table);
    if (!sql)
        return qerr_set(err, QE_NOMEM, "out of memory exporting '%s'", table);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        const char *msg = sqlite3_errmsg(db);
        if (strncmp(msg, "no such table", 13) == 0)
            qerr_set(err, QE_NOTFOUND, "no table named '%s'; type 'tables' to list them",
                     table);
        else
            qerr_set(err, QE_SQL, "cannot export '%s': %s", table, msg);
        goto out;
    }
    /* Through a link to its target; /dev/stdout, a FIFO or a device written in place. */
    if (file_target_open(&t, path, FILE_TARGET_STREAM, err) < 0)
        goto out;
    if (write_rows(db, st, t.fd, fmt == LOAD_TSV ? '\t' : ',', table, path, &rows, err) < 0 ||
        file_target_commit(&t, err) < 0)
        goto out;
    if (n_rows)
        *n_rows = rows;
    rc = 0;
out:
    file_target_abort(&t);
    sqlite3_finalize(st);
    sqlite3_free(sql);
    return rc;
}
