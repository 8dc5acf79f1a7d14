/*
 * frame.c: frame_read, the frame cache and frame_write (see frame.h).
 *
 * Reading is one SELECT rowid, cols... FROM t in rowid order into arrays
 * sized by a count(*) first. Writing goes through an eponymous virtual
 * table, quarry_frame_out, whose cursor walks the frame's kept rows and
 * returns (rid, v0, v1, ...) from the caller's arrays; one statement
 *   INSERT INTO dest(rowid, ...) SELECT o.rid, ... FROM quarry_frame_out o
 *       CROSS JOIN src s ON s.rowid = o.rid
 * builds the result, looking each source row up by rowid in ascending
 * order. In place, dest is a scratch table that then replaces src.
 */
#include "frame.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"

#include "banned.h"

#define CACHE_SLOTS 4
#define PROGRESS_EVERY 65536
#define OUT_MODULE "quarry_frame_out"

/* --- allocation --------------------------------------------------------- */

static void
frame_free(struct frame *f)
{
    if (!f)
        return;
    for (int j = 0; j < f->n_cols; j++) {
        free(f->names[j]);
        free(f->mask[j]);
        free(f->code[j]);
        for (int l = 0; l < f->n_levels[j]; l++)
            free(f->levels[j][l]);
        free(f->levels[j]);
    }
    free(f->names);
    free(f->kind);
    free(f->decl);
    free(f->x);
    free(f->mask);
    free(f->n_missing);
    free(f->n_nonnum);
    free(f->code);
    free(f->levels);
    free(f->n_levels);
    free(f->rowid);
    free(f);
}

void
frame_release(struct frame *f)
{
    if (f && --f->refs == 0)
        frame_free(f);
}

static struct frame *
frame_alloc(long long n_rows, int n_cols)
{
    struct frame *f = xcalloc(1, sizeof(*f));
    f->n_rows = n_rows;
    f->ld = (n_rows + 7) / 8 * 8;
    if (f->ld == 0)
        f->ld = 8;
    f->n_cols = n_cols;
    f->names = xcalloc((size_t)n_cols + 1, sizeof(char *));
    f->kind = xcalloc((size_t)n_cols + 1, sizeof(*f->kind));
    f->decl = xcalloc((size_t)n_cols + 1, sizeof(*f->decl));
    size_t bytes = (size_t)f->ld * (size_t)(n_cols ? n_cols : 1) * sizeof(double);
    f->x = aligned_alloc(64, (bytes + 63) / 64 * 64);
    if (!f->x)
        f->x = xmalloc(0); /* xmalloc reports out of memory the house way */
    memset(f->x, 0, bytes);
    f->mask = xcalloc((size_t)n_cols + 1, sizeof(*f->mask));
    f->n_missing = xcalloc((size_t)n_cols + 1, sizeof(long long));
    f->n_nonnum = xcalloc((size_t)n_cols + 1, sizeof(long long));
    f->code = xcalloc((size_t)n_cols + 1, sizeof(*f->code));
    f->levels = xcalloc((size_t)n_cols + 1, sizeof(*f->levels));
    f->n_levels = xcalloc((size_t)n_cols + 1, sizeof(int));
    f->rowid = xmalloc((size_t)(n_rows ? n_rows : 1) * sizeof(sqlite3_int64));
    f->refs = 1;
    return f;
}

/* --- text dictionaries ---------------------------------------------------- */

struct dict {
    int *slot;      /* level index + 1, 0 = empty */
    size_t cap;     /* power of two */
    int n, cap_levels;
    char **levels;
};

static uint64_t
hash_bytes(const unsigned char *s, size_t len)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ s[i]) * 1099511628211ULL;
    return h;
}

static int
dict_code(struct dict *d, const unsigned char *s, size_t len)
{
    if ((size_t)(d->n + 1) * 2 > d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 64;
        int *slot = xcalloc(cap, sizeof(int));
        for (int l = 0; l < d->n; l++) {
            const char *v = d->levels[l];
            size_t h = hash_bytes((const unsigned char *)v, strlen(v)) & (cap - 1);
            while (slot[h])
                h = (h + 1) & (cap - 1);
            slot[h] = l + 1;
        }
        free(d->slot);
        d->slot = slot;
        d->cap = cap;
    }
    size_t h = hash_bytes(s, len) & (d->cap - 1);
    while (d->slot[h]) {
        const char *v = d->levels[d->slot[h] - 1];
        if (strlen(v) == len && memcmp(v, s, len) == 0)
            return d->slot[h] - 1;
        h = (h + 1) & (d->cap - 1);
    }
    if (d->n == d->cap_levels) {
        d->cap_levels = d->cap_levels ? d->cap_levels * 2 : 16;
        d->levels = xrealloc(d->levels, (size_t)d->cap_levels * sizeof(char *));
    }
    d->levels[d->n] = xstrndup((const char *)s, len);
    d->slot[h] = d->n + 1;
    return d->n++;
}

/* --- reading -------------------------------------------------------------- */

/* A whole-string number in text, as SQLite would compare it. */
static int
parse_number(const unsigned char *s, double *out)
{
    char *end;
    if (!s || !*s)
        return 0;
    double v = strtod((const char *)s, &end);
    while (*end == ' ' || *end == '\t')
        end++;
    if (*end || end == (const char *)s || !isfinite(v))
        return 0;
    *out = v;
    return 1;
}

static int
prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st, struct qerr *err)
{
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
        return qerr_set(err, QE_SQL, "%s", sqlite3_errmsg(db));
    return 0;
}

/* The columns of table with their declared kinds (all when n_want == 0). */
static int
table_columns(sqlite3 *db, const char *table, const char *const *want, int n_want,
              char ***names, enum catalog_kind **kinds, int *n, struct qerr *err)
{
    sqlite3_stmt *st = NULL;
    char **all = NULL;
    enum catalog_kind *all_k = NULL;
    int n_all = 0, cap = 0;
    if (prepare(db, "SELECT name, type FROM pragma_table_info(?1)", &st, err) < 0)
        return -1;
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (n_all == cap) {
            cap = cap ? cap * 2 : 16;
            all = xrealloc(all, (size_t)cap * sizeof(char *));
            all_k = xrealloc(all_k, (size_t)cap * sizeof(*all_k));
        }
        all[n_all] = xstrdup((const char *)sqlite3_column_text(st, 0));
        all_k[n_all++] = catalog_kind_of_decl((const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    if (n_all == 0) {
        free(all);
        free(all_k);
        return qerr_set(err, QE_NOTFOUND, "no table named '%s'", table);
    }
    if (n_want == 0) {
        *names = all;
        *kinds = all_k;
        *n = n_all;
        return 0;
    }
    char **sel = xcalloc((size_t)n_want, sizeof(char *));
    enum catalog_kind *sel_k = xcalloc((size_t)n_want, sizeof(*sel_k));
    int rc = 0;
    for (int i = 0; i < n_want && rc == 0; i++) {
        int found = -1;
        for (int c = 0; c < n_all && found < 0; c++)
            if (strcasecmp(all[c], want[i]) == 0)
                found = c;
        if (found < 0) {
            rc = qerr_set(err, QE_NOTFOUND, "table '%s' has no column '%s'", table, want[i]);
            break;
        }
        sel[i] = xstrdup(all[found]);
        sel_k[i] = all_k[found];
    }
    for (int c = 0; c < n_all; c++)
        free(all[c]);
    free(all);
    free(all_k);
    if (rc < 0) {
        for (int i = 0; i < n_want; i++)
            free(sel[i]);
        free(sel);
        free(sel_k);
        return -1;
    }
    *names = sel;
    *kinds = sel_k;
    *n = n_want;
    return 0;
}

static int
read_rows(sqlite3 *db, const char *table, struct frame *f, int flags,
          int (*progress)(void *, double), void *pctx, struct qerr *err)
{
    struct buf sql = BUF_INIT;
    sqlite3_stmt *st = NULL;
    struct dict *dicts = xcalloc((size_t)f->n_cols + 1, sizeof(*dicts));
    int rc = -1;

    buf_adds(&sql, "SELECT rowid");
    for (int j = 0; j < f->n_cols; j++) {
        char *q = sqlite3_mprintf(", \"%w\"", f->names[j]);
        buf_adds(&sql, q);
        sqlite3_free(q);
    }
    char *q = sqlite3_mprintf(" FROM \"%w\" ORDER BY rowid", table);
    buf_adds(&sql, q);
    sqlite3_free(q);
    if (prepare(db, sql.data, &st, err) < 0) {
        if (strstr(err->msg ? err->msg : "", "rowid"))
            qerr_hint(err, "quarry works on rowid tables; copy it with CREATE TABLE t2 AS "
                           "SELECT * FROM \"%s\"", table);
        goto out;
    }
    for (int j = 0; j < f->n_cols; j++) {
        int num = (flags & FRAME_ALL_NUMERIC) || f->decl[j] == CATALOG_INTEGER ||
                  f->decl[j] == CATALOG_REAL;
        f->kind[j] = num ? FRAME_NUM : FRAME_TEXT;
        if (!num)
            f->code[j] = xmalloc((size_t)(f->n_rows ? f->n_rows : 1) * sizeof(int32_t));
    }
    long long row = 0;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (row == f->n_rows) {
            qerr_set(err, QE_INTERNAL, "table '%s' grew while it was read", table);
            goto out;
        }
        f->rowid[row] = sqlite3_column_int64(st, 0);
        for (int j = 0; j < f->n_cols; j++) {
            double *x = frame_col(f, j) + row;
            int t = sqlite3_column_type(st, j + 1);
            int miss = 0;
            if (f->kind[j] == FRAME_NUM) {
                if (t == SQLITE_INTEGER || t == SQLITE_FLOAT) {
                    *x = sqlite3_column_double(st, j + 1);
                } else if (t == SQLITE_NULL) {
                    miss = 1;
                } else if (t == SQLITE_TEXT &&
                           parse_number(sqlite3_column_text(st, j + 1), x)) {
                    /* "12.5" stored as text in a numeric column: a number */
                } else {
                    miss = 1;
                    f->n_nonnum[j]++;
                }
            } else if (t == SQLITE_NULL) {
                f->code[j][row] = -1;
                miss = 1;
            } else {
                const unsigned char *v = sqlite3_column_text(st, j + 1);
                int len = sqlite3_column_bytes(st, j + 1);
                int c = dict_code(&dicts[j], v ? v : (const unsigned char *)"", (size_t)len);
                f->code[j][row] = c;
                *x = c;
            }
            if (miss) {
                *x = NAN;
                if (!f->mask[j])
                    f->mask[j] = xcalloc((size_t)f->n_rows, 1);
                f->mask[j][row] = 1;
                f->n_missing[j]++;
            }
        }
        row++;
        if (progress && row % PROGRESS_EVERY == 0 &&
            progress(pctx, (double)row / (double)f->n_rows)) {
            qerr_set(err, QE_INTERRUPT, "cancelled while reading '%s'", table);
            goto out;
        }
    }
    if (s != SQLITE_DONE) {
        qerr_set(err, QE_SQL, "reading '%s': %s", table, sqlite3_errmsg(db));
        goto out;
    }
    if (row != f->n_rows) {
        qerr_set(err, QE_INTERNAL, "table '%s' changed while it was read", table);
        goto out;
    }
    rc = 0;
out:
    for (int j = 0; j < f->n_cols; j++) {
        if (f->kind[j] == FRAME_TEXT) {
            f->levels[j] = dicts[j].levels;
            f->n_levels[j] = dicts[j].n;
            dicts[j].levels = NULL;
        }
        for (int l = 0; l < (dicts[j].levels ? dicts[j].n : 0); l++)
            free(dicts[j].levels[l]);
        free(dicts[j].levels);
        free(dicts[j].slot);
    }
    free(dicts);
    sqlite3_finalize(st);
    buf_release(&sql);
    return rc;
}

/* --- the cache ------------------------------------------------------------ */

struct cache_entry {
    char *key;                     /* table \x1f col \x1f col ... \x1e flags */
    unsigned long long generation;
    unsigned long long used;       /* for least-recently-used eviction */
    struct frame *f;
};

struct frame_cache {
    struct cache_entry slot[CACHE_SLOTS];
    unsigned long long clock;
};

static void
cache_free(void *p)
{
    struct frame_cache *c = p;
    if (!c)
        return;
    for (int i = 0; i < CACHE_SLOTS; i++) {
        free(c->slot[i].key);
        frame_release(c->slot[i].f);
    }
    free(c);
}

static struct frame_cache *
cache_get(struct catalog *cat)
{
    void **slot = catalog_cache_slot(cat, cache_free);
    if (!*slot)
        *slot = xcalloc(1, sizeof(struct frame_cache));
    return *slot;
}

void
frame_cache_clear(struct catalog *cat)
{
    struct frame_cache *c = cache_get(cat);
    for (int i = 0; i < CACHE_SLOTS; i++) {
        free(c->slot[i].key);
        frame_release(c->slot[i].f);
        memset(&c->slot[i], 0, sizeof(c->slot[i]));
    }
}

static char *
cache_key(const char *table, const char *const *cols, int n_cols, int flags)
{
    struct buf k = BUF_INIT;
    buf_adds(&k, table);
    for (int i = 0; i < n_cols; i++) {
        buf_addc(&k, '\x1f');
        for (const char *s = cols[i]; *s; s++) /* column names are case-insensitive */
            buf_addc(&k, (char)((*s >= 'A' && *s <= 'Z') ? *s + 32 : *s));
    }
    buf_addf(&k, "\x1e%d", flags & FRAME_ALL_NUMERIC);
    return buf_detach(&k);
}

int
frame_read(struct catalog *cat, const char *table, const char *const *cols, int n_cols,
           int flags, int (*progress)(void *, double), void *pctx, struct frame **out,
           struct qerr *err)
{
    sqlite3 *db = catalog_db(cat);
    struct frame_cache *c = cache_get(cat);
    unsigned long long gen = catalog_generation(cat);
    char *key = cache_key(table, cols, n_cols, flags);
    int victim = 0;

    *out = NULL;
    for (int i = 0; i < CACHE_SLOTS; i++) {
        struct cache_entry *e = &c->slot[i];
        if (e->f && e->generation != gen) { /* stale: the catalog changed */
            free(e->key);
            frame_release(e->f);
            memset(e, 0, sizeof(*e));
        }
        if (e->f && !(flags & FRAME_NO_CACHE) && strcmp(e->key, key) == 0) {
            e->used = ++c->clock;
            e->f->refs++;
            *out = e->f;
            free(key);
            return 0;
        }
        if (!e->f || (c->slot[victim].f && e->used < c->slot[victim].used))
            victim = i;
    }

    char **names = NULL;
    enum catalog_kind *kinds = NULL;
    int n = 0;
    if (table_columns(db, table, cols, n_cols, &names, &kinds, &n, err) < 0) {
        free(key);
        return -1;
    }
    long long n_rows = 0;
    sqlite3_stmt *st = NULL;
    char *sql = sqlite3_mprintf("SELECT count(*) FROM \"%w\"", table);
    if (prepare(db, sql, &st, err) == 0 && sqlite3_step(st) == SQLITE_ROW)
        n_rows = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_free(sql);

    struct frame *f = frame_alloc(n_rows, n);
    for (int j = 0; j < n; j++) {
        f->names[j] = names[j];
        f->decl[j] = kinds[j];
    }
    free(names);
    free(kinds);
    if (qerr_failed(err) || read_rows(db, table, f, flags, progress, pctx, err) < 0) {
        frame_free(f);
        free(key);
        return -1;
    }
    if (flags & FRAME_NO_CACHE) {
        free(key);
    } else {
        struct cache_entry *e = &c->slot[victim];
        free(e->key);
        frame_release(e->f);
        e->key = key;
        e->generation = gen;
        e->used = ++c->clock;
        e->f = f;
        f->refs++;
    }
    *out = f;
    return 0;
}

/* --- writing -------------------------------------------------------------- */

struct out_src {
    const struct frame_out *outs;
    int n_outs;
    long long n_rows;
    const sqlite3_int64 *rowid; /* NULL: rid = row + 1 */
    const unsigned char *keep;
};

struct out_vtab {
    sqlite3_vtab base;
    struct out_src src;
};

struct out_cursor {
    sqlite3_vtab_cursor base;
    long long row;
};

static void
out_skip(struct out_cursor *cur, const struct out_src *s)
{
    while (cur->row < s->n_rows && s->keep && !s->keep[cur->row])
        cur->row++;
}

static int
out_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out,
            char **errmsg)
{
    const struct out_vtab *proto = aux;
    struct buf decl = BUF_INIT;
    buf_adds(&decl, "CREATE TABLE x(rid");
    for (int i = 0; i < proto->src.n_outs; i++)
        buf_addf(&decl, ",v%d", i);
    buf_addc(&decl, ')');
    int rc = sqlite3_declare_vtab(db, decl.data);
    buf_release(&decl);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
    /* A copy: SQLite may disconnect after frame_write has returned. */
    struct out_vtab *t = sqlite3_malloc(sizeof(*t));
    if (!t)
        return SQLITE_NOMEM;
    *t = *proto;
    memset(&t->base, 0, sizeof(t->base));
    *out = &t->base;
    return SQLITE_OK;
}

static int
out_disconnect(sqlite3_vtab *t)
{
    sqlite3_free(t);
    return SQLITE_OK;
}

static int
out_best_index(sqlite3_vtab *t, sqlite3_index_info *info)
{
    info->estimatedRows = ((struct out_vtab *)t)->src.n_rows;
    info->estimatedCost = (double)info->estimatedRows;
    return SQLITE_OK;
}

static int
out_open(sqlite3_vtab *t, sqlite3_vtab_cursor **out)
{
    struct out_cursor *cur = sqlite3_malloc(sizeof(*cur));
    if (!cur)
        return SQLITE_NOMEM;
    memset(cur, 0, sizeof(*cur));
    *out = &cur->base;
    return SQLITE_OK;
}

static int
out_close(sqlite3_vtab_cursor *c)
{
    sqlite3_free(c);
    return SQLITE_OK;
}

static const struct out_src *
src_of(sqlite3_vtab_cursor *c)
{
    return &((struct out_vtab *)c->pVtab)->src;
}

static int
out_filter(sqlite3_vtab_cursor *c, int idx, const char *idx_str, int argc, sqlite3_value **argv)
{
    struct out_cursor *cur = (struct out_cursor *)c;
    cur->row = 0;
    out_skip(cur, src_of(c));
    return SQLITE_OK;
}

static int
out_next(sqlite3_vtab_cursor *c)
{
    struct out_cursor *cur = (struct out_cursor *)c;
    cur->row++;
    out_skip(cur, src_of(c));
    return SQLITE_OK;
}

static int
out_eof(sqlite3_vtab_cursor *c)
{
    return ((struct out_cursor *)c)->row >= src_of(c)->n_rows;
}

static int
out_column(sqlite3_vtab_cursor *c, sqlite3_context *sc, int i)
{
    const struct out_src *s = src_of(c);
    long long row = ((struct out_cursor *)c)->row;
    if (i == 0) {
        sqlite3_result_int64(sc, s->rowid ? s->rowid[row] : row + 1);
        return SQLITE_OK;
    }
    const struct frame_out *o = &s->outs[i - 1];
    if (o->decl == CATALOG_TEXT) {
        const char *v = o->text[row];
        if (v)
            sqlite3_result_text(sc, v, -1, SQLITE_STATIC);
        else
            sqlite3_result_null(sc);
        return SQLITE_OK;
    }
    double v = o->num[row];
    if (isnan(v))
        sqlite3_result_null(sc);
    else if (o->decl == CATALOG_INTEGER && v == floor(v) && fabs(v) < 9007199254740992.0)
        sqlite3_result_int64(sc, (sqlite3_int64)v);
    else
        sqlite3_result_double(sc, v);
    return SQLITE_OK;
}

static int
out_rowid(sqlite3_vtab_cursor *c, sqlite3_int64 *rowid)
{
    *rowid = ((struct out_cursor *)c)->row + 1;
    return SQLITE_OK;
}

static const sqlite3_module out_module = {
    .iVersion = 0,
    .xCreate = NULL, /* eponymous only */
    .xConnect = out_connect,
    .xBestIndex = out_best_index,
    .xDisconnect = out_disconnect,
    .xDestroy = out_disconnect,
    .xOpen = out_open,
    .xClose = out_close,
    .xFilter = out_filter,
    .xNext = out_next,
    .xEof = out_eof,
    .xColumn = out_column,
    .xRowid = out_rowid,
};

static const char *
decl_name(enum catalog_kind k)
{
    switch (k) {
    case CATALOG_INTEGER: return "INTEGER";
    case CATALOG_REAL: return "REAL";
    case CATALOG_DATE: return "DATE_TEXT";
    case CATALOG_TIMESTAMP: return "TIMESTAMP_TEXT";
    case CATALOG_TEXT: return "TEXT";
    case CATALOG_OTHER: return "";
    }
    return "";
}

static int
exec(sqlite3 *db, const char *sql, struct qerr *err)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        qerr_set(err, QE_SQL, "%s", msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* Run sql with the out module registered over src. */
static int
run_with_module(sqlite3 *db, const struct out_src *src, const char *sql, struct qerr *err)
{
    struct out_vtab proto;
    memset(&proto, 0, sizeof(proto));
    proto.src = *src;
    if (sqlite3_create_module_v2(db, OUT_MODULE, &out_module, &proto, NULL) != SQLITE_OK)
        return qerr_set(err, QE_SQL, "cannot register the writer: %s", sqlite3_errmsg(db));
    int rc = exec(db, sql, err);
    sqlite3_create_module_v2(db, OUT_MODULE, NULL, NULL, NULL);
    return rc;
}

static void
add_ident(struct buf *b, const char *name)
{
    char *q = sqlite3_mprintf("\"%w\"", name);
    buf_adds(b, q);
    sqlite3_free(q);
}

int
frame_write_new(struct catalog *cat, const char *name, const struct frame_out *outs,
                int n_outs, long long n_rows, struct qerr *err)
{
    sqlite3 *db = catalog_db(cat);
    struct buf sql = BUF_INIT;
    if (catalog_has_table(cat, name))
        return qerr_set(err, QE_ARG, "a table named '%s' exists already", name);
    buf_adds(&sql, "CREATE TABLE ");
    add_ident(&sql, name);
    buf_adds(&sql, " (");
    for (int i = 0; i < n_outs; i++) {
        if (i)
            buf_adds(&sql, ", ");
        add_ident(&sql, outs[i].name);
        buf_addf(&sql, " %s", decl_name(outs[i].decl));
    }
    buf_adds(&sql, ");\nINSERT INTO ");
    add_ident(&sql, name);
    buf_adds(&sql, " SELECT ");
    for (int i = 0; i < n_outs; i++)
        buf_addf(&sql, "%sv%d", i ? ", " : "", i);
    buf_adds(&sql, " FROM " OUT_MODULE);
    struct out_src src = {.outs = outs, .n_outs = n_outs, .n_rows = n_rows};
    int rc = run_with_module(db, &src, sql.data, err);
    buf_release(&sql);
    catalog_touch(cat);
    return rc;
}

int
frame_write(struct catalog *cat, const struct frame_write *w, struct qerr *err)
{
    sqlite3 *db = catalog_db(cat);
    char **names = NULL;
    enum catalog_kind *kinds = NULL;
    int n = 0, rc = -1;
    int in_place = !w->dest || strcmp(w->dest, w->src) == 0;
    const char *dest = in_place ? "quarry_frame_scratch" : w->dest;
    /* ddl: the new table's columns; cols: the same names; sel: their values */
    struct buf sql = BUF_INIT, ddl = BUF_INIT, cols = BUF_INIT, sel = BUF_INIT;
    unsigned char *used = xcalloc((size_t)w->n_outs + 1, 1);

    if (!in_place && catalog_has_table(cat, dest)) {
        qerr_set(err, QE_ARG, "a table named '%s' exists already", dest);
        goto out;
    }
    if (table_columns(db, w->src, NULL, 0, &names, &kinds, &n, err) < 0)
        goto out;
    for (int c = 0; c < n + w->n_outs; c++) {
        const char *name;
        enum catalog_kind kind;
        int o = -1;
        if (c < n) {
            name = names[c];
            for (int i = 0; i < w->n_outs && o < 0; i++)
                if (strcasecmp(w->outs[i].name, names[c]) == 0)
                    o = i;
            kind = o >= 0 ? w->outs[o].decl : kinds[c];
        } else {
            o = c - n;
            if (used[o])
                continue;
            name = w->outs[o].name;
            kind = w->outs[o].decl;
        }
        if (o >= 0)
            used[o] = 1;
        buf_adds(&ddl, ", ");
        add_ident(&ddl, name);
        buf_addf(&ddl, " %s", decl_name(kind));
        buf_adds(&cols, ", ");
        add_ident(&cols, name);
        if (o >= 0) {
            buf_addf(&sel, ", o.v%d", o);
        } else {
            buf_adds(&sel, ", s.");
            add_ident(&sel, name);
        }
    }
    if (in_place)
        buf_adds(&sql, "DROP TABLE IF EXISTS quarry_frame_scratch;\n");
    /* The rowids carry over, so the new table's rows line up with the old. */
    buf_adds(&sql, "CREATE TABLE ");
    add_ident(&sql, dest);
    buf_addf(&sql, " (%s);\nINSERT INTO ", ddl.data + 2);
    add_ident(&sql, dest);
    buf_addf(&sql, " (rowid%s) SELECT o.rid%s FROM " OUT_MODULE " o CROSS JOIN ", cols.data,
             sel.data);
    add_ident(&sql, w->src);
    buf_adds(&sql, " s ON s.rowid = o.rid;\n");
    if (in_place) {
        /* Keep the table's indexes: read them before the old table goes. */
        sqlite3_stmt *st = NULL;
        struct buf idx = BUF_INIT;
        if (prepare(db, "SELECT sql FROM sqlite_schema WHERE type = 'index' AND "
                        "tbl_name = ?1 AND sql IS NOT NULL", &st, err) < 0)
            goto out;
        sqlite3_bind_text(st, 1, w->src, -1, SQLITE_STATIC);
        while (sqlite3_step(st) == SQLITE_ROW)
            buf_addf(&idx, "%s;\n", (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        buf_adds(&sql, "DROP TABLE ");
        add_ident(&sql, w->src);
        buf_adds(&sql, ";\nALTER TABLE quarry_frame_scratch RENAME TO ");
        add_ident(&sql, w->src);
        buf_adds(&sql, ";\n");
        if (idx.len)
            buf_adds(&sql, idx.data);
        buf_release(&idx);
    }
    struct out_src src = {
        .outs = w->outs, .n_outs = w->n_outs, .n_rows = w->f->n_rows,
        .rowid = w->f->rowid, .keep = w->keep,
    };
    rc = run_with_module(db, &src, sql.data, err);
    catalog_touch(cat);
out:
    for (int c = 0; c < n; c++)
        free(names[c]);
    free(names);
    free(kinds);
    free(used);
    buf_release(&sql);
    buf_release(&ddl);
    buf_release(&cols);
    buf_release(&sel);
    return rc;
}
