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

#define MAX_LISTED 5         /* skipped records listed in load_result.skipped */

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

/* ---- names and the table ---------------------------------------------- */

/* Append name as a quoted SQL identifier. */
static void
add_ident(struct buf *b, const char *name)
{
    char *q = sqlite3_mprintf("\"%w\"", name);
    if (!q) {
        buf_adds(b, "\"\"");
        return;
    }
    buf_adds(b, q);
    sqlite3_free(q);
}

/*
 * Column names from n raw names (trimmed here; NULL or empty gives colN),
 * made unique ignoring ASCII case by adding _2, _3, ...
 */
char **
load_names_make(char **raw, int n)
{
    char **names = xcalloc((size_t)n, sizeof(*names));
    struct buf b = BUF_INIT;

    for (int i = 0; i < n; i++) {
        const char *s = raw ? raw[i] : NULL;
        buf_reset(&b);
        if (s) {
            while (*s == ' ' || *s == '\t')
                s++;
            buf_adds(&b, s);
            buf_rtrim(&b);
        }
        if (b.len == 0)
            buf_addf(&b, "col%d", i + 1);
        size_t base_len = b.len;
        for (int k = 2;; k++) {
            int clash = 0;
            for (int j = 0; j < i && !clash; j++)
                clash = strcasecmp(names[j], b.data) == 0;
            if (!clash)
                break;
            buf_truncate(&b, base_len);
            buf_addf(&b, "_%d", k);
        }
        names[i] = xstrdup(b.data);
    }
    buf_release(&b);
    return names;
}

void
load_names_free(char **names, int n)
{
    if (!names)
        return;
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* 1 if a table, view or index of that name (any case) exists in main or temp. */
static int
name_taken(sqlite3 *db, const char *name)
{
    static const char sql[] =
        "SELECT 1 FROM main.sqlite_schema WHERE name = ?1 COLLATE NOCASE "
        "UNION ALL SELECT 1 FROM temp.sqlite_schema WHERE name = ?1 COLLATE NOCASE";
    sqlite3_stmt *st = NULL;
    int taken = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        taken = sqlite3_step(st) == SQLITE_ROW;
    }
    sqlite3_finalize(st);
    return taken;
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
    if (!name_taken(db, table))
        return 0;
    struct buf alt = BUF_INIT;
    for (int k = 2; k < 1000; k++) {
        buf_reset(&alt);
        buf_addf(&alt, "%s_%d", table, k);
        if (!name_taken(db, alt.data))
            break;
    }
    qerr_set(err, QE_ARG, "table '%s' already exists; drop it first or load '%s' as %s", table,
             path, alt.data);
    buf_release(&alt);
    return -1;
}

int
load_sql_error(sqlite3 *db, struct qerr *err, const char *what)
{
    return qerr_set(err, QE_SQL, "%s: %s", what, sqlite3_errmsg(db));
}

int
load_create_table(struct load_ctx *c, const char *table)
{
    struct buf sql = BUF_INIT;
    buf_adds(&sql, "CREATE TABLE ");
    add_ident(&sql, table);
    buf_adds(&sql, " (");
    for (int i = 0; i < c->n_cols; i++) {
        if (i)
            buf_adds(&sql, ", ");
        add_ident(&sql, c->names[i]);
        buf_addc(&sql, ' ');
        buf_adds(&sql, csv_kind_decl(c->kinds[i]));
    }
    buf_addc(&sql, ')');
    int rc = sqlite3_exec(c->db, sql.data, NULL, NULL, NULL);
    buf_release(&sql);
    if (rc != SQLITE_OK)
        return load_sql_error(c->db, c->err, "cannot create the table");
    return 0;
}

/* ---- progress and bad records ----------------------------------------- */

void
load_pass_start(struct load_ctx *c)
{
    c->tick = c->data;
    c->released = c->mapped;
}

void
load_release_behind(struct load_ctx *c, const char *p)
{
    if (!c->mapped)
        return;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t from = (uintptr_t)c->released, upto = (uintptr_t)p & ~(page - 1);
    /*
     * For a private mapping of a file that was never written, dropped
     * pages read back from the page cache if touched again (pointers into
     * them, like the first record's, stay valid); the file stays cached.
     */
    if (upto > from && madvise((void *)from, upto - from, MADV_DONTNEED) == 0)
        c->released = (const char *)upto;
}

int
load_progress(struct load_ctx *c, double fraction)
{
    if (c->o->progress && c->o->progress(c->o->progress_ctx, fraction))
        return qerr_set(c->err, QE_INTERRUPT, "load of '%s' cancelled", c->path);
    return 0;
}

int
load_tick(struct load_ctx *c, const char *p, double from, double span)
{
    if (p < c->tick)
        return 0;
    c->tick = p + LOAD_TICK;
    load_release_behind(c, p);
    return load_progress(c, from + span * (double)(p - c->data) / (double)c->size);
}

int
load_bad(struct load_ctx *c, long long line, const char *fix, const char *fmt, ...)
{
    struct buf why = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(&why, fmt, ap);
    va_end(ap);
    if (!c->o->skip_bad) {
        qerr_set(c->err, QE_DATA, "'%s' line %lld: %s; %s or load with onerror=skip", c->path,
                 line, why.data, fix);
        buf_release(&why);
        return -1;
    }
    if (++c->r->n_skipped <= MAX_LISTED)
        buf_addf(&c->r->skipped, "line %lld: %s\n", line, why.data);
    buf_release(&why);
    return 0;
}

int
load_check_columns(struct load_ctx *c, int n)
{
    int limit = sqlite3_limit(c->db, SQLITE_LIMIT_COLUMN, -1);
    if (n > limit)
        return qerr_set(c->err, QE_DATA,
                        "'%s' has %d columns, more than the %d a table can hold; cut the "
                        "columns you do not need from the file", c->path, n, limit);
    return 0;
}

/* ---- ARFF ------------------------------------------------------------- */

static int
bad_arff_row(struct load_ctx *c)
{
    return load_bad(c, c->ar.row_line, "fix that row", "%s", c->ar.why.data);
}

static int
arff_next(void *ctx)
{
    struct load_ctx *c = ctx;
    while (arff_read(&c->ar)) {
        if (c->ar.bad)
            continue;
        c->n_inserted++;
        if (load_tick(c, c->ar.p, 0.5, 0.5) < 0)
            return -1;
        return 1;
    }
    return 0;
}

static void
arff_column(void *ctx, sqlite3_context *sc, int i)
{
    struct load_ctx *c = ctx;
    const struct arff_value *v = &c->ar.vals[i];
    switch (v->kind) {
    case CSV_NULL:
        sqlite3_result_null(sc);
        break;
    case CSV_INT:
        if (c->kinds[i] == CSV_REAL)
            sqlite3_result_double(sc, (double)v->i);
        else
            sqlite3_result_int64(sc, v->i);
        break;
    case CSV_REAL:
        sqlite3_result_double(sc, v->d);
        break;
    default:
        sqlite3_result_text64(sc, v->s, v->len, v->scratch ? SQLITE_TRANSIENT : SQLITE_STATIC,
                              SQLITE_UTF8);
        break;
    }
}

static int
arff_prepare(struct load_ctx *c)
{
    struct arff_header *h = &c->ah;
    long long rows = 0;

    if (arff_header_parse(h, c->data, c->size, c->path, c->err) < 0 ||
        load_check_columns(c, h->n_attrs) < 0)
        return -1;
    c->n_cols = h->n_attrs;
    c->kinds = xcalloc((size_t)h->n_attrs, sizeof(*c->kinds));
    char **raw = xcalloc((size_t)h->n_attrs, sizeof(*raw));
    for (int i = 0; i < h->n_attrs; i++) {
        const struct arff_attr *a = &h->attrs[i];
        raw[i] = a->name;
        c->kinds[i] = a->type == ARFF_NUMERIC ? CSV_NULL
                      : a->type == ARFF_DATE  ? a->kind
                                              : CSV_TEXT;
    }
    c->names = load_names_make(raw, h->n_attrs);
    free(raw);

    load_pass_start(c);
    arff_reader_init(&c->ar, h, c->data, c->size);
    while (arff_read(&c->ar)) {
        if (c->ar.bad) {
            if (bad_arff_row(c) < 0)
                return -1;
            continue;
        }
        for (int i = 0; i < h->n_attrs; i++)
            if (h->attrs[i].type == ARFF_NUMERIC)
                c->kinds[i] = csv_kind_merge(c->kinds[i], c->ar.vals[i].kind);
        rows++;
        if (load_tick(c, c->ar.p, 0.0, 0.5) < 0)
            return -1;
    }
    for (int i = 0; i < h->n_attrs; i++)
        if (c->kinds[i] == CSV_NULL)
            c->kinds[i] = CSV_REAL; /* a numeric attribute with no values */
    if (h->relation)
        buf_addf(&c->r->summary, "relation: %s\n", h->relation);
    if (c->ar.saw_weight)
        buf_adds(&c->r->summary, "instance weights: ignored\n");
    c->n_rows = rows;
    arff_reader_release(&c->ar);
    load_pass_start(c);
    arff_reader_init(&c->ar, h, c->data, c->size);
    return 0;
}

static int
arff_load(struct load_ctx *c, const char *table)
{
    struct load_rows rows = { 0, 0, c, arff_next, arff_column };
    if (arff_prepare(c) < 0)
        return -1;
    rows.n_cols = c->n_cols;
    rows.n_hint = c->n_rows;
    return load_create_table(c, table) < 0 || load_insert_rows(c->db, table, &rows, c->err) < 0
               ? -1
               : 0;
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
    if ((fmt == LOAD_ARFF ? arff_load(&c, table) : load_csv(&c, table)) < 0 ||
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
