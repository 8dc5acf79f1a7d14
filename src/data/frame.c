/*
 * frame.c: frame_read (see frame.h), the reader: it asks the cache
 * (frame_cache.c) first and puts what it reads there; frames' memory is
 * frame_alloc.c's, writing frame_write.c's.
 *
 * Reading is one SELECT rowid, cols... FROM t in rowid order into arrays
 * sized by a count(*) first; "rowid" is whichever of rowid, _rowid_ and
 * oid no column of t takes (catalog_rowid_name). A column table's arrays
 * are read directly instead (coltab_view, no row through SQL; direct_read
 * below), each cell taken as the SELECT would give it, so the frame is the
 * same bit for bit (tests/unit/test_frame_direct.c).
 */
#include "data/frame.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/datetime.h"
#include "base/fault.h"
#include "base/mem.h"
#include "base/tick.h"
#include "data/coltab.h"
#include "data/frame_int.h"

#include "base/banned.h"

/* --- text dictionaries ---------------------------------------------------- */

struct dict {
    uint64_t *slot; /* (hash << 32) | (level index + 1), 0 = empty */
    size_t cap;     /* power of two */
    int n, cap_levels;
    char **levels;
    int *len;       /* bytes of each level */
    void *blocks;   /* where the levels live (frame_blocks_add) */
};

/* A 32-bit hash of len bytes, eight at a time. */
static uint32_t
hash_bytes(const unsigned char *s, size_t len)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ len;
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
        h ^= h >> 32;
        s += 8;
        len -= 8;
    }
    if (len) {
        uint64_t w = 0;
        memcpy(&w, s, len);
        h = (h ^ w) * 0xC4CEB9FE1A85EC53ULL;
    }
    h ^= h >> 29;
    h *= 0xFF51AFD7ED558CCDULL;
    h ^= h >> 32;
    return (uint32_t)h;
}

/*
 * The code of s in d, added when new; -1 (err set) out of memory, or when
 * tk stops the rehash (millions of values: the read's row ticks are
 * not enough while it runs).
 */
static int
dict_code(struct dict *d, const unsigned char *s, size_t len, struct tick *tk, struct qerr *err)
{
    if ((size_t)(d->n + 1) * 2 > d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 64;
        uint64_t *slot = mem_calloc(cap, sizeof(*slot), "frame", "distinct values' slots", err);
        if (!slot)
            return -1;
        for (size_t i = 0; i < d->cap; i++) {
            if (!d->slot[i])
                continue;
            if (tick_row(tk, (long long)i + 1, (long long)d->cap)) {
                free(slot);
                return tick_fail(err);
            }
            size_t h = (size_t)(d->slot[i] >> 32) & (cap - 1);
            while (slot[h])
                h = (h + 1) & (cap - 1);
            slot[h] = d->slot[i];
        }
        free(d->slot);
        d->slot = slot;
        d->cap = cap;
    }
    uint32_t hash = hash_bytes(s, len);
    size_t h = hash & (d->cap - 1);
    while (d->slot[h]) {
        uint64_t e = d->slot[h];
        int l = (int)(uint32_t)e - 1;
        if ((uint32_t)(e >> 32) == hash && (size_t)d->len[l] == len &&
            memcmp(d->levels[l], s, len) == 0)
            return l;
        h = (h + 1) & (d->cap - 1);
    }
    if (d->n == d->cap_levels) {
        int cap = d->cap_levels ? d->cap_levels * 2 : 16;
        char **levels = mem_realloc(d->levels, (size_t)cap, sizeof(char *), "frame",
                                    "distinct values", err);
        if (!levels)
            return -1;
        d->levels = levels;
        int *lens = mem_realloc(d->len, (size_t)cap, sizeof(int), "frame", "distinct values",
                                err);
        if (!lens)
            return -1;
        d->len = lens;
        d->cap_levels = cap;
    }
    char *v = frame_blocks_add(&d->blocks, len + 1);
    memcpy(v, s, len);
    v[len] = '\0';
    d->levels[d->n] = v;
    d->len[d->n] = (int)len;
    d->slot[h] = ((uint64_t)hash << 32) | (uint64_t)(d->n + 1);
    return d->n++;
}

/* The levels of text columns go to f (its level lists); dicts[0..n-1] are freed. */
static void
dicts_hand_over(struct frame *f, struct dict *dicts, int n)
{
    for (int j = 0; j < n; j++) {
        if (f->kind[j] == FRAME_TEXT) {
            f->levels[j] = dicts[j].levels;
            f->n_levels[j] = dicts[j].n;
            f->level_blocks[j] = dicts[j].blocks;
            dicts[j].levels = NULL;
            dicts[j].blocks = NULL;
        }
        frame_blocks_free(dicts[j].blocks);
        free(dicts[j].levels);
        free(dicts[j].len);
        free(dicts[j].slot);
    }
    free(dicts);
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

/*
 * The columns of table with their declared kinds: all of them when n_want
 * is 0, else those named (case-insensitively), in the order asked.
 */
static int
table_columns(sqlite3 *db, const char *table, const char *const *want, int n_want,
              char ***names, enum catalog_kind **kinds, int **pos, int *n, struct qerr *err)
{
    struct catalog_columns all;
    if (catalog_columns(db, table, 0, &all, err) < 0)
        return -1;
    if (all.n == 0) {
        catalog_columns_release(&all);
        return qerr_set(err, QE_NOTFOUND, "no table named '%s'", table);
    }
    if (n_want == 0) {
        *names = all.names;
        *kinds = all.kinds;
        *n = all.n;
        *pos = xcalloc((size_t)all.n, sizeof(int));
        for (int c = 0; c < all.n; c++)
            (*pos)[c] = c;
        catalog_names_free(all.decls, all.n);
        return 0;
    }
    char **sel = xcalloc((size_t)n_want, sizeof(char *));
    enum catalog_kind *sel_k = xcalloc((size_t)n_want, sizeof(*sel_k));
    int *sel_p = xcalloc((size_t)n_want, sizeof(int));
    int rc = 0;
    for (int i = 0; i < n_want && rc == 0; i++) {
        int found = -1;
        for (int c = 0; c < all.n && found < 0; c++)
            if (strcasecmp(all.names[c], want[i]) == 0)
                found = c;
        if (found < 0) {
            rc = qerr_set(err, QE_NOTFOUND, "table '%s' has no column '%s'", table, want[i]);
            break;
        }
        sel[i] = xstrdup(all.names[found]);
        sel_k[i] = all.kinds[found];
        sel_p[i] = found;
    }
    catalog_columns_release(&all);
    if (rc < 0) {
        catalog_names_free(sel, n_want);
        free(sel_k);
        free(sel_p);
        return -1;
    }
    *names = sel;
    *kinds = sel_k;
    *pos = sel_p;
    *n = n_want;
    return 0;
}

/*
 * rid: the name of table's rowid (catalog_rowid_name). skip (NULL, or a
 * flag per column): columns not read here, which the caller fills (from a
 * cached frame); their kind is set FRAME_NUM.
 */
static int
read_rows(sqlite3 *db, const char *table, const char *rid, struct frame *f, int flags,
          const unsigned char *skip, int (*progress)(void *, double), void *pctx,
          struct qerr *err)
{
    struct buf sql = BUF_INIT;
    sqlite3_stmt *st = NULL;
    struct dict *dicts = xcalloc((size_t)f->n_cols + 1, sizeof(*dicts));
    int *at = xcalloc((size_t)f->n_cols + 1, sizeof(int)); /* result column of each; 0 skipped */
    int rc = -1, n_read = 0;

    buf_addf(&sql, "SELECT %s", rid);
    for (int j = 0; j < f->n_cols; j++) {
        if (skip && skip[j])
            continue;
        at[j] = ++n_read;
        buf_adds(&sql, ", "); /* quoted here: a failed sqlite3_mprintf would give NULL */
        buf_add_ident(&sql, f->names[j]);
    }
    buf_adds(&sql, " FROM ");
    buf_add_ident(&sql, table);
    buf_addf(&sql, " ORDER BY %s", rid);
    if (prepare(db, sql.data, &st, err) < 0) {
        if (strstr(err->msg ? err->msg : "", "rowid"))
            qerr_hint(err, "quarry works on rowid tables; copy it with CREATE TABLE t2 AS "
                           "SELECT * FROM \"%s\"", table);
        goto out;
    }
    for (int j = 0; j < f->n_cols; j++) {
        int num = (flags & (FRAME_ALL_NUMERIC | FRAME_TIMES)) || !at[j] ||
                  f->decl[j] == CATALOG_INTEGER || f->decl[j] == CATALOG_REAL;
        f->kind[j] = num ? FRAME_NUM : FRAME_TEXT;
        if (!num && !(f->code[j] = mem_alloc((size_t)f->n_rows, sizeof(int32_t), "frame",
                                             "text codes", err)))
            goto out;
    }
    long long row = 0;
    int s;
    struct tick tk; /* progress by the clock (tick.h), a read every TICK_ROWS rows */
    tick_init(&tk, progress, pctx);
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (row == f->n_rows) {
            qerr_set(err, QE_INTERNAL, "table '%s' grew while it was read", table);
            goto out;
        }
        f->rowid[row] = sqlite3_column_int64(st, 0);
        for (int j = 0; j < f->n_cols; j++) {
            if (!at[j])
                continue;
            double *x = frame_col(f, j) + row;
            /*
             * One unprotected value per cell instead of sqlite3_column_type
             * then _double or _text: 12% faster reads; safe because the
             * connection is used from one thread (catalog.c, NOMUTEX).
             */
            sqlite3_value *val = sqlite3_column_value(st, at[j]);
            int t = sqlite3_value_type(val);
            int miss = 0;
            if ((flags & FRAME_TIMES) && f->decl[j] != CATALOG_INTEGER &&
                f->decl[j] != CATALOG_REAL) {
                if (t == SQLITE_NULL) {
                    miss = 1;
                } else if (t != SQLITE_TEXT ||
                           datetime_parse((const char *)sqlite3_value_text(val), x) < 0) {
                    miss = 1;
                    f->n_nonnum[j]++;
                }
            } else if (f->kind[j] == FRAME_NUM) {
                if (t == SQLITE_INTEGER || t == SQLITE_FLOAT) {
                    *x = sqlite3_value_double(val);
                } else if (t == SQLITE_NULL) {
                    miss = 1;
                } else if (t == SQLITE_TEXT &&
                           parse_number(sqlite3_column_text(st, at[j]), x)) {
                    /* "12.5" stored as text in a numeric column: a number */
                } else {
                    miss = 1;
                    f->n_nonnum[j]++;
                }
            } else if (t == SQLITE_NULL) {
                f->code[j][row] = -1;
                miss = 1;
            } else {
                const unsigned char *v = sqlite3_column_text(st, at[j]);
                int len = sqlite3_column_bytes(st, at[j]);
                int c = dict_code(&dicts[j], v ? v : (const unsigned char *)"", (size_t)len,
                                  &tk, err);
                if (c < 0)
                    goto out;
                f->code[j][row] = c;
                *x = c;
            }
            if (miss) {
                *x = NAN;
                if (!f->mask[j] &&
                    !(f->mask[j] = mem_calloc((size_t)f->n_rows, 1, "frame", "missing flags",
                                              err)))
                    goto out;
                f->mask[j][row] = 1;
                f->n_missing[j]++;
            }
        }
        if (tick_row(&tk, ++row, f->n_rows)) {
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
    dicts_hand_over(f, dicts, f->n_cols);
    free(at);
    sqlite3_finalize(st);
    buf_release(&sql);
    return rc;
}

/* --- a column table's arrays, no SQL (coltab_view) ------------------------ */

/* What read_rows reads from one column: */
enum direct_mode {
    DIRECT_NUM,   /* numbers (declared INTEGER or REAL, FRAME_ALL_NUMERIC, FRAME_TIMES) */
    DIRECT_TIMES, /* FRAME_TIMES on a column not declared INTEGER or REAL: seconds */
    DIRECT_TEXT,  /* dictionary codes */
};

struct direct {
    const char *table;
    int n;                          /* frame columns */
    const int *pos;                 /* the table column of each */
    const enum catalog_kind *kinds; /* their declared kinds */
    int flags;
    int (*progress)(void *, double);
    void *pctx;
    struct frame *f;                /* out, names and decl left to the caller */
};

static enum direct_mode
direct_mode(int flags, enum catalog_kind k)
{
    int declared = k == CATALOG_INTEGER || k == CATALOG_REAL;
    if ((flags & FRAME_TIMES) && !declared)
        return DIRECT_TIMES;
    return declared || (flags & (FRAME_ALL_NUMERIC | FRAME_TIMES)) ? DIRECT_NUM : DIRECT_TEXT;
}

/* Cell (row, j) of f is missing: NaN, its mask byte, the count. -1 out of memory. */
static int
direct_missing(struct frame *f, int j, long long row, struct qerr *err)
{
    frame_col(f, j)[row] = NAN;
    if (!f->mask[j] &&
        !(f->mask[j] = mem_calloc((size_t)f->n_rows, 1, "frame", "missing flags", err)))
        return -1;
    f->mask[j][row] = 1;
    f->n_missing[j]++;
    return 0;
}

/* The decimal text of v, as SQLite writes an integer as text, at the end of buf[24]; its length. */
static int
int_text(sqlite3_int64 v, char *buf, const char **out)
{
    char *p = buf + 24;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    *out = p;
    return (int)(buf + 24 - p);
}

/*
 * Column j of d->f from column c of the view, cell by cell as read_rows
 * takes the value SQL gives (the class byte says how to read the 8 bytes);
 * done counts the cells read so far, for the progress.
 */
static int
direct_column(struct direct *d, const struct coltab_view *v, int j, struct dict *dict,
              struct tick *tk, long long *done, long long total, struct qerr *err)
{
    struct frame *f = d->f;
    const struct coltab_view_col *col = &v->col[d->pos[j]];
    enum direct_mode mode = direct_mode(d->flags, d->kinds[j]);
    double *x = frame_col(f, j);
    f->kind[j] = mode == DIRECT_TEXT ? FRAME_TEXT : FRAME_NUM;
    if (mode == DIRECT_TEXT &&
        !(f->code[j] = mem_alloc((size_t)f->n_rows, sizeof(int32_t), "frame", "text codes", err)))
        return -1;
    for (long long i = 0, row = 0; i < v->n; i++) {
        if (!v->live[i])
            continue;
        unsigned char ty = col->ty[i];
        int miss = 0, len;
        const char *s;
        if (mode == DIRECT_NUM) {
            if (ty == SQLITE_FLOAT)
                x[row] = coltab_view_real(col, i);
            else if (ty == SQLITE_INTEGER)
                x[row] = (double)coltab_view_int(col, i);
            else if (ty == SQLITE_TEXT &&
                     parse_number((const unsigned char *)coltab_view_text(col, i, &len),
                                  &x[row]))
                ; /* "12.5" stored as text in a numeric column: a number */
            else
                miss = 1 + (ty == SQLITE_TEXT || ty == SQLITE_BLOB);
        } else if (mode == DIRECT_TIMES) {
            if (ty != SQLITE_TEXT || datetime_parse(coltab_view_text(col, i, &len), &x[row]) < 0)
                miss = 1 + (ty == SQLITE_TEXT || ty == SQLITE_BLOB || ty == SQLITE_INTEGER ||
                            ty == SQLITE_FLOAT);
        } else if (ty == SQLITE_TEXT || ty == SQLITE_BLOB || ty == SQLITE_INTEGER) {
            char buf[24];
            if (ty == SQLITE_INTEGER)
                len = int_text(coltab_view_int(col, i), buf, &s);
            else
                s = coltab_view_text(col, i, &len);
            int code = dict_code(dict, (const unsigned char *)s, (size_t)len, tk, err);
            if (code < 0)
                return -1;
            f->code[j][row] = code;
            x[row] = code;
        } else {
            f->code[j][row] = -1;
            miss = 1;
        }
        if (miss && direct_missing(f, j, row, err) < 0)
            return -1;
        f->n_nonnum[j] += miss == 2;
        row++;
        if (tick_row(tk, ++*done, total))
            return qerr_set(err, QE_INTERRUPT, "cancelled while reading '%s'", d->table);
    }
    return 0;
}

/*
 * coltab_view's callback: the frame d asks for, from the view. 1 (not
 * taken) when a text column holds a REAL cell: only SQL writes a double as
 * text the way SQL reads it.
 */
static int
direct_read(void *ctx, const struct coltab_view *v, struct qerr *err)
{
    struct direct *d = ctx;
    for (int j = 0; j < d->n; j++) {
        if (d->pos[j] >= v->n_cols)
            return 1;
        if (direct_mode(d->flags, d->kinds[j]) != DIRECT_TEXT)
            continue;
        const unsigned char *ty = v->col[d->pos[j]].ty;
        for (long long i = 0; i < v->n; i++)
            if (ty[i] == SQLITE_FLOAT && v->live[i])
                return 1;
    }
    struct frame *f = frame_make(v->n_live, d->n, NULL, 0, err);
    if (!f)
        return -1;
    for (long long i = 0, row = 0; i < v->n; i++)
        if (v->live[i])
            f->rowid[row++] = v->rid[i];
    struct dict *dicts = xcalloc((size_t)d->n + 1, sizeof(*dicts));
    struct tick tk;
    tick_init(&tk, d->progress, d->pctx);
    long long done = 0, total = v->n_live * d->n;
    int rc = 0;
    d->f = f;
    for (int j = 0; j < d->n && rc == 0; j++)
        rc = direct_column(d, v, j, &dicts[j], &tk, &done, total, err);
    dicts_hand_over(f, dicts, d->n);
    if (rc < 0) {
        frame_release(f);
        d->f = NULL;
    }
    return rc;
}

int
frame_read(struct catalog *cat, const char *table, const char *const *cols, int n_cols,
           int flags, int (*progress)(void *, double), void *pctx, struct frame **out,
           struct qerr *err)
{
    sqlite3 *db = catalog_db(cat);
    int use_cache = !(flags & FRAME_NO_CACHE);
    char *key = frame_cache_key(table, cols, n_cols, flags);
    unsigned long long at = catalog_clock(cat); /* the frame holds the table as of now */

    /*
     * A column named rowid would stand in for the row ids: read by a name
     * none takes, and refuse a table whose columns take all three before
     * any work is done on it, cached or not (its rows could not be
     * written back in line).
     */
    const char *rid = catalog_rowid_name(db, table, NULL, 0, err);
    if (!rid) {
        free(key);
        return -1;
    }
    *out = frame_cache_get(cat, use_cache ? key : NULL);
    if (*out) {
        free(key);
        return 0;
    }

    char **names = NULL;
    enum catalog_kind *kinds = NULL;
    int n = 0, *pos = NULL;
    double t0 = frame_now();
    if (table_columns(db, table, cols, n_cols, &names, &kinds, &pos, &n, err) < 0) {
        free(key);
        return -1;
    }
    struct frame *f = NULL;
    int shared = 0;
    if (use_cache)
        f = frame_cache_copy(cat, table, names, kinds, n, flags, &shared);
    if (f) {
        free(names);
        free(kinds);
        free(pos);
        if (!shared)
            goto cache;
        free(key); /* the frame is in the cache already, under its own key */
        *out = f;
        return 0;
    }
    /* A column table: the frame from its arrays, no row passing through SQL. */
    struct direct d = {.table = table, .n = n, .pos = pos, .kinds = kinds, .flags = flags,
                       .progress = progress, .pctx = pctx};
    int taken = flags & FRAME_SQL ? 1 : coltab_view(db, table, direct_read, &d, err);
    free(pos);
    if (taken <= 0) {
        for (int j = 0; j < n; j++) {
            if (taken < 0) {
                free(names[j]);
                continue;
            }
            d.f->names[j] = names[j];
            d.f->decl[j] = kinds[j];
        }
        free(names);
        free(kinds);
        if (taken < 0) {
            free(key);
            return -1;
        }
        f = d.f;
        frame_add_read_time(cat, frame_now() - t0);
        goto cache;
    }
    long long n_rows = 0;
    sqlite3_stmt *st = NULL;
    struct buf sql = BUF_INIT;
    buf_adds(&sql, "SELECT count(*) FROM ");
    buf_add_ident(&sql, table);
    if (prepare(db, sql.data, &st, err) == 0 && sqlite3_step(st) == SQLITE_ROW)
        n_rows = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    buf_release(&sql);

    f = qerr_failed(err) ? NULL : frame_make(n_rows, n, NULL, 0, err);
    for (int j = 0; j < n; j++) {
        if (!f) {
            free(names[j]);
            continue;
        }
        f->names[j] = names[j];
        f->decl[j] = kinds[j];
    }
    free(names);
    free(kinds);
    /*
     * Numeric columns a current cached frame of the table holds (say the
     * ones load kept) are copied from it; only the others are read, so
     * describe after load reads the text columns alone.
     */
    unsigned char *skip = f && use_cache ? frame_cache_partial(cat, table, f) : NULL;
    if (!f || read_rows(db, table, rid, f, flags, skip, progress, pctx, err) < 0 ||
        (skip && frame_cache_fill(cat, table, f, skip, err) < 0)) {
        free(skip);
        frame_release(f);
        free(key);
        return -1;
    }
    free(skip);
    frame_add_read_time(cat, frame_now() - t0);
cache:
    if (use_cache)
        frame_cache_put(cat, key, table, n_cols == 0, (flags & FRAME_TIMES) != 0, at, f);
    else
        free(key);
    *out = f;
    return 0;
}
