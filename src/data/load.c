/*
 * load.c: load_file of load.h: open the file (load_image.c), check the
 * table name and the encoding, hand the bytes to a format (load_csv.c or
 * load_arff.c), and give back what it made; also the options, the result
 * and default names.
 *
 * The central structure is struct load_ctx (load_int.h): one load in progress.
 */
#include "data/load_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "data/arff.h"
#include "base/buf.h"
#include "base/mem.h"
#include "data/csv.h"
#include "data/frame.h"
#include "base/qerr.h"

#include "base/banned.h"

void
load_opts_init(struct load_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->header = -1;
}

void
load_result_init(struct load_result *r)
{
    r->n_rows = 0;
    r->n_cols = 0;
    r->n_skipped = 0;
    buf_init(&r->skipped);
    buf_init(&r->summary);
    r->num = NULL;
    r->num_block = NULL;
    r->num_ld = 0;
    r->names = NULL;
    r->decl = NULL;
    r->frame = NULL;
}

void
load_result_release(struct load_result *r)
{
    buf_release(&r->skipped);
    buf_release(&r->summary);
    for (int i = 0; i < r->n_cols; i++)
        if (r->names)
            free(r->names[i]);
    free(r->num);
    free(r->num_block);
    free(r->names);
    free(r->decl);
    frame_release(r->frame);
    load_result_init(r);
}

/*
 * path's last component split as STEM.EXT[.gz]: the stem's length is
 * returned, the extension (without its dot; "" when there is none) is
 * *ext for *ext_len bytes. A last ".gz" is looked through: x.csv.gz is a
 * csv named x.
 */
static size_t
split_name(const char *path, const char **ext, size_t *ext_len)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n > 3 && strcasecmp(base + n - 3, ".gz") == 0)
        n -= 3;
    for (size_t i = n; i-- > 1;)
        if (base[i] == '.') {
            *ext = base + i + 1;
            *ext_len = n - i - 1;
            return i;
        }
    *ext = base + n;
    *ext_len = 0;
    return n;
}

static int
ext_is(const char *ext, size_t len, const char *name)
{
    return strlen(name) == len && strncasecmp(ext, name, len) == 0;
}

enum load_format
load_format_from_path(const char *path)
{
    size_t len;
    const char *ext;
    split_name(path, &ext, &len);
    if (ext_is(ext, len, "tsv") || ext_is(ext, len, "tab"))
        return LOAD_TSV;
    if (ext_is(ext, len, "arff"))
        return LOAD_ARFF;
    if (ext_is(ext, len, "json") || ext_is(ext, len, "jsonl") || ext_is(ext, len, "ndjson"))
        return LOAD_JSON;
    return LOAD_CSV;
}

int
load_name_reserved(const char *name)
{
    if (!sqlite3_keyword_check(name, (int)strlen(name)))
        return 0;
    /* Many keywords (key, temp, row, ...) still name a table unquoted: ask SQLite. */
    sqlite3 *db = NULL;
    char *sql = sqlite3_mprintf("CREATE TABLE %s(a); SELECT a FROM %s; SELECT %s.a FROM %s",
                                name, name, name, name);
    int bad = 1;
    if (sql && sqlite3_open(":memory:", &db) == SQLITE_OK)
        bad = sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK;
    sqlite3_close(db);
    sqlite3_free(sql);
    return bad;
}

char *
load_default_name(const char *path)
{
    return load_table_name(path, NULL);
}

char *
load_table_name(const char *path, int *renamed)
{
    struct buf b = BUF_INIT;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t ext_len;
    const char *ext;
    size_t len = split_name(base, &ext, &ext_len);

    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)tolower((unsigned char)base[i]);
        buf_addc(&b, (isalnum(ch) && ch < 0x80) || ch == '_' ? (char)ch : '_');
    }
    if (b.len == 0)
        buf_adds(&b, "data");
    if (isdigit((unsigned char)b.data[0]) || strncmp(b.data, "sqlite_", 7) == 0 ||
        strncmp(b.data, "quarry_", 7) == 0) {
        struct buf t = BUF_INIT;
        buf_adds(&t, "t_");
        buf_add(&t, b.data, b.len);
        buf_release(&b);
        b = t;
    }
    if (renamed)
        *renamed = 0;
    if (load_name_reserved(b.data)) {
        buf_addc(&b, '_');
        if (renamed)
            *renamed = 1;
    }
    return buf_detach(&b);
}

/* load_image_open's cancel: the progress callback, while a stream is read. */
static int
stream_cancel(void *ctx)
{
    return load_progress(ctx, 0.0) < 0;
}

static int
check_table_name(sqlite3 *db, const char *table, const char *path, struct qerr *err)
{
    if (!*table)
        return qerr_set(err, QE_ARG, "the table name is empty; load '%s' as NAME", path);
    if (strncasecmp(table, "sqlite_", 7) == 0)
        return qerr_set(err, QE_ARG,
                        "table names starting with 'sqlite_' are reserved; load '%s' as "
                        "another name", path);
    if (!catalog_name_taken(db, table))
        return 0;
    struct buf alt = BUF_INIT;
    for (int k = 2; k < 1000; k++) {
        buf_reset(&alt);
        buf_addf(&alt, "%s_%d", table, k);
        if (!catalog_name_taken(db, alt.data))
            break;
    }
    qerr_set(err, QE_ARG, "table '%s' already exists; drop it first or load '%s' as %s", table,
             path, alt.data);
    buf_release(&alt);
    return -1;
}

/* ---- load_file -------------------------------------------------------- */

int
load_file(sqlite3 *db, const struct load_opts *o, struct load_result *r, struct qerr *err)
{
    struct load_ctx c;
    char *table = NULL;
    int rc = -1;

    memset(&c, 0, sizeof(c));
    c.db = db;
    c.o = o;
    c.r = r;
    c.err = err;
    c.path = o->path ? o->path : "";
    buf_init(&c.tmp);
    c.img.fd = -1;

    enum load_format fmt = o->format == LOAD_AUTO ? load_format_from_path(c.path) : o->format;
    char delim = o->delim ? o->delim : fmt == LOAD_TSV ? '\t' : 0; /* 0: sniffed */
    if (delim == '"' || delim == '\n' || delim == '\r' || (unsigned char)delim >= 0x80) {
        qerr_set(err, QE_ARG, "'%c' cannot separate fields; use a comma, tab, ';' or '|'",
                 delim);
        goto out;
    }
    table = o->table ? xstrdup(o->table) : load_default_name(c.path);
    if (load_image_open(&c.img, c.path, o->stream_bytes, stream_cancel, &c, err) < 0 ||
        check_table_name(db, table, c.path, err) < 0 ||
        (load_image_fill(&c.img, c.img.base, 4) < 0 && load_stopped(&c) < 0) ||
        load_decode(&c.img, o->encoding, o->stream_bytes, stream_cancel, &c, &r->summary,
                    err) < 0)
        goto out;
    c.data = c.img.base;
    c.size = c.img.size;
    load_pass_start(&c);
    if (c.size >= 3 && memcmp(c.data, "\xef\xbb\xbf", 3) == 0) {
        c.data += 3;
        c.size -= 3;
    }
    if (c.size == 0) {
        qerr_set(err, QE_DATA, "'%s' is empty; there is nothing to load", c.path);
        goto out;
    }
    if (load_progress(&c, 0.0) < 0)
        goto out;
    c.delim = delim;
    rc = fmt == LOAD_ARFF ? load_arff(&c, table)
         : fmt == LOAD_JSON || fmt == LOAD_JSONL ? load_json(&c, table)
                                                 : load_csv(&c, table);
    /* ARFF's reader (arff.c) does not name the encodings; say it here. */
    if (rc < 0 && fmt == LOAD_ARFF && err->code == QE_DATA && err->msg &&
        strstr(err->msg, "invalid UTF-8"))
        qerr_hint(err, "if the file is Latin-1 or Windows-1252 text, load it with "
                  "encoding=latin1 or encoding=cp1252");
    /* A file that changed (a race with a read shows as zeros) explains what failed after it. */
    load_image_check(&c.img);
    if (load_stopped(&c) < 0 || rc < 0 || load_progress(&c, 1.0) < 0) {
        rc = -1;
        goto out;
    }
    r->n_rows = c.n_inserted;
    r->n_cols = c.n_cols;
    if (c.cap) { /* hand the kept columns over */
        r->num = c.cap;
        r->num_block = c.cap_block;
        r->num_ld = c.cap_ld;
        c.cap = NULL;
        c.cap_block = NULL;
        r->names = xcalloc((size_t)c.n_cols, sizeof(char *));
        r->decl = xcalloc((size_t)c.n_cols, sizeof(*r->decl));
        for (int i = 0; i < c.n_cols; i++) {
            r->names[i] = xstrdup(c.names[i]);
            r->decl[i] = c.kinds[i] == CSV_INT ? CATALOG_INTEGER : CATALOG_REAL;
        }
    }
    rc = 0;
out:
    load_capture_drop(&c);
    load_dialect_release(&c);
    csv_reader_release(&c.rd);
    arff_reader_release(&c.ar);
    arff_header_release(&c.ah);
    load_names_free(c.names, c.n_cols);
    free(c.kinds);
    free(c.hdr);
    free(c.hdr_text);
    free(c.hdr_kind);
    free(c.exact);
    free(c.cells);
    buf_release(&c.tmp);
    load_image_close(&c.img);
    free(table);
    return rc;
}
