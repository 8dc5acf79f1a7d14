/*
 * load.c: load_file of load.h: map the file, the helpers every format
 * shares (names, the table, progress, bad records), and ARFF loading in
 * two passes (infer the numeric columns' types, then insert through
 * load_insert_rows). CSV and TSV are in load_csv.c.
 *
 * The central structure is struct load_ctx (load.h): one load in progress.
 */
#include "data/load_int.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "data/arff.h"
#include "base/buf.h"
#include "base/mem.h"
#include "data/csv.h"
#include "base/qerr.h"

#include "base/banned.h"

/* The bytes of the file: mapped, or read into memory when mapping is impossible. */
struct load_map {
    char *map;       /* the mapping, or NULL */
    size_t map_size;
    char *heap;      /* the read copy, or NULL */
    const char *data; /* the content, with data[size] == '\0' */
    size_t size;
};

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
    load_result_init(r);
}

/* The extension of path's last component, without the dot, or "". */
static const char *
extension(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    return dot && dot != base ? dot + 1 : "";
}

enum load_format
load_format_from_path(const char *path)
{
    const char *ext = extension(path);
    if (strcasecmp(ext, "tsv") == 0 || strcasecmp(ext, "tab") == 0)
        return LOAD_TSV;
    if (strcasecmp(ext, "arff") == 0)
        return LOAD_ARFF;
    return LOAD_CSV;
}

char *
load_default_name(const char *path)
{
    struct buf b = BUF_INIT;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *ext = extension(base);
    size_t len = *ext ? (size_t)(ext - 1 - base) : strlen(base);

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
    return buf_detach(&b);
}

/* ---- the file --------------------------------------------------------- */

static void
unmap_file(struct load_map *m)
{
    if (m->map)
        munmap(m->map, m->map_size);
    free(m->heap);
    memset(m, 0, sizeof(*m));
}

/* Read what fd gives (a pipe, a device) into m->heap. */
static int
read_all(struct load_map *m, int fd, const char *path, struct qerr *err)
{
    char *data = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (cap - len < ((size_t)1 << 20) + 1) {
            size_t more = cap ? mem_mul(cap, 2) : (size_t)2 << 20;
            char *p = mem_realloc(data, more, 1, "load", "bytes of the file", err);
            if (!p) {
                free(data);
                return -1;
            }
            data = p;
            cap = more;
        }
        ssize_t n = read(fd, data + len, cap - len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            free(data);
            return qerr_set(err, QE_IO, "cannot read '%s': %s", path, strerror(errno));
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    data[len] = '\0';
    m->size = len;
    m->heap = data;
    m->data = m->heap;
    return 0;
}

/*
 * Map path read-only with a zero byte after the content: an anonymous
 * reservation one byte longer than the file, with the file mapped over
 * its start. The tail of the file's last page is zero too, so the byte at
 * data[size] is '\0' whether or not size is a multiple of the page size.
 */
static int
map_file(struct load_map *m, const char *path, struct qerr *err)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    int rc = -1;

    memset(m, 0, sizeof(*m));
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return qerr_set(err, QE_NOTFOUND,
                            "file '%s' does not exist; check the name and the folder", path);
        return qerr_set(err, QE_IO, "cannot open '%s': %s", path, strerror(errno));
    }
    if (fstat(fd, &st) < 0) {
        qerr_set(err, QE_IO, "cannot read '%s': %s", path, strerror(errno));
        goto out;
    }
    if (S_ISDIR(st.st_mode)) {
        qerr_set(err, QE_IO, "'%s' is a folder, not a file; name a .csv, .tsv or .arff file",
                 path);
        goto out;
    }
    if (!S_ISREG(st.st_mode) || st.st_size == 0) {
        rc = read_all(m, fd, path, err);
        goto out;
    }
    size_t size = (size_t)st.st_size;
    long page = sysconf(_SC_PAGESIZE);
    size_t total = (size + 1 + (size_t)page - 1) / (size_t)page * (size_t)page;
    void *base = mmap(NULL, total, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) {
        rc = read_all(m, fd, path, err);
        goto out;
    }
    void *file = mmap(base, size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
    if (file == MAP_FAILED) {
        munmap(base, total);
        rc = read_all(m, fd, path, err);
        goto out;
    }
    m->map = base;
    m->map_size = total;
    m->data = base;
    m->size = size;
    rc = 0;
out:
    close(fd);
    return rc;
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
    struct load_map m = { 0 };
    char *table = NULL;
    int rc = -1;

    memset(&c, 0, sizeof(c));
    c.db = db;
    c.o = o;
    c.r = r;
    c.err = err;
    c.path = o->path ? o->path : "";
    buf_init(&c.tmp);

    enum load_format fmt = o->format == LOAD_AUTO ? load_format_from_path(c.path) : o->format;
    char delim = o->delim ? o->delim : fmt == LOAD_TSV ? '\t' : ',';
    if (delim == '"' || delim == '\n' || delim == '\r' || (unsigned char)delim >= 0x80) {
        qerr_set(err, QE_ARG, "'%c' cannot separate fields; use a comma, tab, ';' or '|'",
                 delim);
        goto out;
    }
    table = o->table ? xstrdup(o->table) : load_default_name(c.path);
    if (map_file(&m, c.path, err) < 0 || check_table_name(db, table, c.path, err) < 0)
        goto out;
    c.data = m.data;
    c.size = m.size;
    c.mapped = m.map;
    load_pass_start(&c);
    if (c.size >= 2 && ((c.data[0] == '\xff' && c.data[1] == '\xfe') ||
                        (c.data[0] == '\xfe' && c.data[1] == '\xff'))) {
        qerr_set(err, QE_DATA, "'%s' is UTF-16 text; save it as UTF-8 and load it again",
                 c.path);
        goto out;
    }
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
    if ((fmt == LOAD_ARFF ? load_arff(&c, table) : load_csv(&c, table)) < 0 ||
        load_progress(&c, 1.0) < 0)
        goto out;
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
    csv_reader_release(&c.rd);
    arff_reader_release(&c.ar);
    arff_header_release(&c.ah);
    load_names_free(c.names, c.n_cols);
    free(c.kinds);
    free(c.hdr);
    free(c.hdr_kind);
    free(c.exact);
    free(c.cells);
    buf_release(&c.tmp);
    unmap_file(&m);
    free(table);
    return rc;
}
