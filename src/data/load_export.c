/*
 * load_export.c: load_export of load.h, a table written as CSV, TSV, JSON
 * (an array of objects) or JSON Lines, and the choice of format from the
 * file's extension (load_export_format).
 *
 * Rows are formatted into one struct buf that is written out whenever it
 * passes EXPORT_CHUNK bytes, to a temporary file in the target's folder
 * that is synced and renamed over the target only when everything went
 * well (file_target.h: a link is followed to its target; /dev/stdout, a
 * FIFO or a device is written in place). The CSV formatting is the
 * reverse of the loader's rules (csv.h), so that loading an exported
 * table gives the same rows and column types. JSON makes the choices of
 * the plain mode's --format json (ui/render.c): numbers as JSON numbers
 * with full round-trip precision, NULL, infinities and NaN as null, text
 * escaped as RFC 8259 requires with each byte that is not UTF-8 as
 * U+FFFD.
 */
#include "data/load.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/file_target.h"
#include "data/csv.h"
#include "base/qerr.h"
#include "base/utf8.h"

#include "base/banned.h"

#define EXPORT_CHUNK (1 << 20)

/* Where formatted rows go: a file (fd, path) or a caller's put (load_export_rows). */
struct sink {
    int fd;
    const char *path;
    int (*put)(void *arg, const char *data, size_t len, struct qerr *err);
    void *arg;
};

/* Write all of b to the sink and empty it. */
static int
flush_buf(const struct sink *k, struct buf *b, struct qerr *err)
{
    if (k->put) {
        int rc = b->len ? k->put(k->arg, b->data, b->len, err) : 0;
        buf_reset(b);
        return rc < 0 ? -1 : 0;
    }
    size_t off = 0;
    while (off < b->len) {
        ssize_t n = write(k->fd, b->data + off, b->len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return qerr_set(err, QE_IO, "cannot write '%s': %s", k->path, strerror(errno));
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

/* Append the rows of st (a SELECT * of table) to the sink as delimited text. */
static int
write_rows(sqlite3 *db, sqlite3_stmt *st, const struct sink *k, char delim, const char *table,
           long long *n_rows, struct qerr *err)
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
        if (out.len >= EXPORT_CHUNK && flush_buf(k, &out, err) < 0)
            goto fail;
    }
    if (rc != SQLITE_DONE) {
        qerr_set(err, QE_SQL, "cannot read '%s': %s", table, sqlite3_errmsg(db));
        goto fail;
    }
    if (flush_buf(k, &out, err) < 0)
        goto fail;
    buf_release(&out);
    *n_rows = rows;
    return 0;
fail:
    buf_release(&out);
    return -1;
}

/* --- JSON ------------------------------------------------------------------ */

/*
 * Text as a JSON string (RFC 8259): quote and backslash escaped, newline
 * and tab as \n and \t, every other control byte and a NUL as \u00XX, and
 * each byte that is not part of valid UTF-8 as U+FFFD; as --format json
 * writes a string (ui/render.c).
 */
static void
add_json_string(struct buf *b, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    buf_addc(b, '"');
    while (p < end) {
        if (*p == '"' || *p == '\\') {
            buf_addc(b, '\\');
            buf_addc(b, (char)*p++);
        } else if (*p == '\n' || *p == '\t') {
            buf_adds(b, *p++ == '\n' ? "\\n" : "\\t");
        } else if (*p < 0x20) {
            buf_addf(b, "\\u%04x", *p++);
        } else if (*p < 0x80) {
            buf_addc(b, (char)*p++);
        } else {
            /* utf8_next stops at a NUL, which no valid sequence holds: it never passes end. */
            const unsigned char *q = p;
            unsigned cp = utf8_next(&q);
            if (cp == 0xFFFD && q == p + 1)
                buf_adds(b, "\xEF\xBF\xBD");
            else
                buf_add(b, p, (size_t)(q - p));
            p = q;
        }
    }
    buf_addc(b, '"');
}

/*
 * Append the rows of st to the sink as JSON: one array of objects, an object a
 * line ("[{...},\n {...}]\n", "[]\n" when empty), or with lines set JSON
 * Lines, one object a line and nothing more.
 */
static int
write_json(sqlite3 *db, sqlite3_stmt *st, const struct sink *k, int lines, const char *table,
           long long *n_rows, struct qerr *err)
{
    struct buf out = BUF_INIT;
    int n = sqlite3_column_count(st), rc;
    long long rows = 0;
    /* Each column's key, escaped once: "name": */
    struct buf *keys = xcalloc((size_t)(n ? n : 1), sizeof *keys);

    for (int i = 0; i < n; i++) {
        const char *name = sqlite3_column_name(st, i);
        buf_init(&keys[i]);
        add_json_string(&keys[i], name, strlen(name));
        buf_adds(&keys[i], ": ");
    }
    if (!lines)
        buf_addc(&out, '[');
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!lines && rows)
            buf_adds(&out, ",\n ");
        rows++;
        buf_addc(&out, '{');
        for (int i = 0; i < n; i++) {
            if (i)
                buf_adds(&out, ", ");
            buf_add(&out, keys[i].data, keys[i].len);
            switch (sqlite3_column_type(st, i)) {
            case SQLITE_INTEGER:
                add_int(&out, sqlite3_column_int64(st, i));
                break;
            case SQLITE_FLOAT: {
                double v = sqlite3_column_double(st, i);
                if (isfinite(v))
                    buf_add_real(&out, v);
                else
                    buf_adds(&out, "null"); /* JSON has no infinity or NaN */
                break;
            }
            case SQLITE_TEXT: {
                const char *s = (const char *)sqlite3_column_text(st, i);
                add_json_string(&out, s, (size_t)sqlite3_column_bytes(st, i));
                break;
            }
            case SQLITE_BLOB:
                qerr_set(err, QE_DATA,
                         "column '%s' of '%s' holds binary data (row %lld); export writes "
                         "text only, so cast it first, e.g. hex(\"%s\")",
                         sqlite3_column_name(st, i), table, rows, sqlite3_column_name(st, i));
                goto fail;
            default:
                buf_adds(&out, "null");
                break;
            }
        }
        buf_addc(&out, '}');
        if (lines)
            buf_addc(&out, '\n');
        if (out.len >= EXPORT_CHUNK && flush_buf(k, &out, err) < 0)
            goto fail;
    }
    if (rc != SQLITE_DONE) {
        qerr_set(err, QE_SQL, "cannot read '%s': %s", table, sqlite3_errmsg(db));
        goto fail;
    }
    if (!lines)
        buf_adds(&out, "]\n");
    if (flush_buf(k, &out, err) < 0)
        goto fail;
    *n_rows = rows;
    rc = 0;
    goto out;
fail:
    rc = -1;
out:
    for (int i = 0; i < n; i++)
        buf_release(&keys[i]);
    free(keys);
    buf_release(&out);
    return rc;
}

/* --- format ---------------------------------------------------------------- */

/* The extensions export knows, and what each writes. */
static const struct {
    const char *ext;
    enum load_format fmt;
} export_exts[] = {
    {"csv", LOAD_CSV},   {"tsv", LOAD_TSV},    {"tab", LOAD_TSV},
    {"json", LOAD_JSON}, {"jsonl", LOAD_JSONL}, {"ndjson", LOAD_JSONL},
};

int
load_export_format(const char *path, enum load_format *fmt, struct qerr *err)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base) {
        *fmt = LOAD_CSV; /* no extension: /dev/stdout, a FIFO, a bare name */
        return 0;
    }
    for (size_t i = 0; i < sizeof export_exts / sizeof export_exts[0]; i++)
        if (strcasecmp(dot + 1, export_exts[i].ext) == 0) {
            *fmt = export_exts[i].fmt;
            return 0;
        }
    qerr_set(err, QE_ARG, "export does not write '%s' files; it writes CSV (.csv), TSV "
             "(.tsv, .tab), JSON (.json) and JSON Lines (.jsonl, .ndjson)", dot);
    qerr_hint(err, "name the file with one of those extensions, or say which format to write "
              "under this name: format=csv, format=tsv, format=json or format=jsonl");
    return -1;
}

/* SELECT * FROM table prepared; QE_NOTFOUND when there is no such table. */
static int
prepare_table(sqlite3 *db, const char *table, sqlite3_stmt **st, struct qerr *err)
{
    char *sql = sqlite3_mprintf("SELECT * FROM \"%w\"", table);
    *st = NULL;
    if (!sql)
        return qerr_set(err, QE_NOMEM, "out of memory exporting '%s'", table);
    int prc = sqlite3_prepare_v2(db, sql, -1, st, NULL);
    sqlite3_free(sql);
    if (prc == SQLITE_OK)
        return 0;
    const char *msg = sqlite3_errmsg(db);
    if (strncmp(msg, "no such table", 13) == 0)
        return qerr_set(err, QE_NOTFOUND, "no table named '%s'; type 'tables' to list them",
                        table);
    return qerr_set(err, QE_SQL, "cannot export '%s': %s", table, msg);
}

/* Every row of st to the sink in fmt (not ARFF). */
static int
write_all(sqlite3 *db, sqlite3_stmt *st, const struct sink *k, enum load_format fmt,
          const char *table, long long *rows, struct qerr *err)
{
    if (fmt == LOAD_JSON || fmt == LOAD_JSONL)
        return write_json(db, st, k, fmt == LOAD_JSONL, table, rows, err);
    return write_rows(db, st, k, fmt == LOAD_TSV ? '\t' : ',', table, rows, err);
}

int
load_export(sqlite3 *db, const char *table, const char *path, enum load_format fmt,
            long long *n_rows, struct qerr *err)
{
    sqlite3_stmt *st = NULL;
    struct file_target t = {.fd = -1};
    int rc = -1;
    long long rows = 0;
    struct stat sb;

    if (fmt == LOAD_AUTO && load_export_format(path, &fmt, err) < 0)
        return -1;
    if (fmt == LOAD_ARFF)
        return qerr_set(err, QE_ARG, "export writes CSV, TSV, JSON or JSON Lines, not ARFF; "
                        "name the file '%s.csv'", table);
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return qerr_set(err, QE_IO, "'%s' is a folder; name a file in it, e.g. '%s/%s.csv'",
                        path, path, table);
    if (prepare_table(db, table, &st, err) < 0)
        goto out;
    /* Through a link to its target; /dev/stdout, a FIFO or a device written in place. */
    if (file_target_open(&t, path, FILE_TARGET_STREAM, err) < 0)
        goto out;
    struct sink k = {.fd = t.fd, .path = path};
    if (write_all(db, st, &k, fmt, table, &rows, err) < 0 || file_target_commit(&t, err) < 0)
        goto out;
    if (n_rows)
        *n_rows = rows;
    rc = 0;
out:
    file_target_abort(&t);
    sqlite3_finalize(st);
    return rc;
}

int
load_export_rows(sqlite3 *db, const char *table, enum load_format fmt,
                 int (*put)(void *arg, const char *data, size_t len, struct qerr *err),
                 void *arg, long long *n_rows, struct qerr *err)
{
    sqlite3_stmt *st = NULL;
    long long rows = 0;
    if (fmt == LOAD_AUTO || fmt == LOAD_ARFF)
        fmt = LOAD_CSV;
    struct sink k = {.fd = -1, .path = table, .put = put, .arg = arg};
    int rc = prepare_table(db, table, &st, err) < 0 ? -1
             : write_all(db, st, &k, fmt, table, &rows, err);
    sqlite3_finalize(st);
    if (rc == 0 && n_rows)
        *n_rows = rows;
    return rc;
}
