/*
 * frame_cache.c: the frame cache (see frame.h): frames kept per table and
 * columns with the catalog's clock when each was read, current while the
 * catalog has noticed no write to their table since; shared with their
 * borrowers, kept current by frame_write, bounded by slots and bytes.
 */
#include "data/frame.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/buf.h"
#include "base/mem.h"
#include "data/frame_int.h"

#include "base/banned.h"

#define CACHE_SLOTS 4


struct cache_entry {
    char *key;                     /* table \x1f col \x1f col ... \x1e flags */
    char *table;
    int all;                       /* read with every column of the table */
    int times;                     /* read with FRAME_TIMES: text columns hold seconds */
    unsigned long long at;         /* the catalog's clock when the frame was current */
    unsigned long long used;       /* for least-recently-used eviction */
    struct frame *f;
};

struct frame_cache {
    struct cache_entry slot[CACHE_SLOTS];
    size_t limit;                  /* bytes the cached frames may hold; 0: the default */
    unsigned long long clock;
    double t_read, t_write; /* seconds spent moving data, since the last reset */
};

static void
cache_free(void *p)
{
    struct frame_cache *c = p;
    if (!c)
        return;
    for (int i = 0; i < CACHE_SLOTS; i++) {
        free(c->slot[i].key);
        free(c->slot[i].table);
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

static void
entry_drop(struct cache_entry *e)
{
    free(e->key);
    free(e->table);
    frame_release(e->f);
    memset(e, 0, sizeof(*e));
}

void
frame_cache_clear(struct catalog *cat)
{
    struct frame_cache *c = cache_get(cat);
    for (int i = 0; i < CACHE_SLOTS; i++)
        entry_drop(&c->slot[i]);
}

/* Whether e's frame still holds what its table holds: no write noticed since it was read. */
static int
entry_current(struct catalog *cat, const struct cache_entry *e)
{
    return e->f && catalog_written_at(cat, e->table) <= e->at;
}

/*
 * Put the written values into column j of a cached frame; -1 when out of
 * memory for its mask (the caller then drops the frame: the cache is only
 * ever a shortcut, so its failures are not errors).
 */
static int
column_update(struct frame *f, int j, const struct frame_out *o)
{
    double *x = frame_col(f, j);
    long long missing = 0;
    if (x != o->num)
        memmove(x, o->num, (size_t)f->n_rows * sizeof(double));
    for (long long r = 0; r < f->n_rows; r++) {
        if (isnan(x[r])) {
            if (!f->mask[j] &&
                !(f->mask[j] = mem_calloc((size_t)f->n_rows, 1, "frame", "missing flags", NULL)))
                return -1;
            f->mask[j][r] = 1;
            missing++;
        } else if (f->mask[j]) {
            f->mask[j][r] = 0;
        }
    }
    f->n_missing[j] = missing;
    f->n_nonnum[j] = 0;
    f->decl[j] = o->decl;
    return 0;
}

/* The bytes a frame holds (values, rowids, masks, text codes). */
static size_t
frame_bytes(const struct frame *f)
{
    size_t b = ((size_t)f->ld * (size_t)f->n_cols + (size_t)f->n_rows) * sizeof(double);
    for (int j = 0; j < f->n_cols; j++)
        b += (f->mask[j] ? (size_t)f->n_rows : 0) + (f->code[j] ? (size_t)f->n_rows * 4 : 0);
    return b;
}

void
frame_cache_limit(struct catalog *cat, size_t bytes)
{
    cache_get(cat)->limit = bytes;
}

/*
 * Drop least recently used frames other than keep until the cached frames
 * (each counted once, however many slots hold it) fit the limit.
 */
static void
cache_trim(struct frame_cache *c, const struct frame *keep)
{
    size_t limit = c->limit ? c->limit : (size_t)catalog_memory_default(256LL << 20);
    for (;;) {
        size_t total = 0;
        int victim = -1;
        for (int i = 0; i < CACHE_SLOTS; i++) {
            const struct frame *f = c->slot[i].f;
            int seen = 0;
            for (int k = 0; k < i && f && !seen; k++)
                seen = c->slot[k].f == f;
            if (f && !seen)
                total += frame_bytes(f);
            if (f && f != keep && (victim < 0 || c->slot[i].used < c->slot[victim].used))
                victim = i;
        }
        if (total <= limit || victim < 0)
            return;
        entry_drop(&c->slot[victim]);
    }
}

/*
 * Put f in the cache under key (taken), in an empty slot or the least
 * recently used one, then trim the cache to its limit; the cache holds
 * its own reference.
 */
static void
cache_put(struct frame_cache *c, char *key, const char *table, int all, int times,
          unsigned long long at, struct frame *f)
{
    int victim = 0;
    for (int i = 0; i < CACHE_SLOTS; i++) {
        struct cache_entry *e = &c->slot[i];
        if (!e->f || (c->slot[victim].f && e->used < c->slot[victim].used))
            victim = i;
    }
    struct cache_entry *e = &c->slot[victim];
    entry_drop(e);
    e->key = key;
    e->table = xstrdup(table);
    e->all = all;
    e->times = times;
    e->at = at;
    e->used = ++c->clock;
    e->f = f;
    f->refs++;
    cache_trim(c, f);
}

void
frame_cache_adopt(struct catalog *cat, const char *table, int n_cols, char *const *names,
                  const enum catalog_kind *decl, double *const *cols, long long n_rows,
                  double *block, long long ld)
{
    const char **keep = xcalloc((size_t)n_cols + 1, sizeof(char *));
    int n = 0;
    for (int j = 0; j < n_cols; j++)
        if (cols[j])
            keep[n++] = names[j];
    if (n == 0) {
        free(keep);
        free(block);
        return;
    }
    if (block && ld > (n_rows + 7) / 8 * 8 + n_rows / 16 + 64) {
        /* far more room than rows: copy into a tight frame rather than keep the slack */
        frame_cache_adopt(cat, table, n_cols, names, decl, cols, n_rows, NULL, 0);
        free(block);
        free(keep);
        return;
    }
    /* frame_make zeroes the padding past n_rows, in a given block too */
    struct frame *f = frame_make(n_rows, n, block, ld, NULL);
    if (!f) { /* out of memory: the next read reads the table instead */
        free(keep);
        return;
    }
    for (long long r = 0; r < n_rows; r++)
        f->rowid[r] = r + 1;
    for (int j = 0, k = 0; j < n_cols; j++) {
        if (!cols[j])
            continue;
        struct frame_out o = {.name = names[j], .decl = decl[j], .num = cols[j]};
        f->names[k] = xstrdup(names[j]);
        f->kind[k] = FRAME_NUM;
        if (column_update(f, k++, &o) < 0) {
            frame_release(f);
            free(keep);
            return;
        }
    }
    cache_put(cache_get(cat), frame_cache_key(table, keep, n, 0), table, 0, 0,
              catalog_clock(cat), f);
    frame_release(f); /* the cache's reference is the only one */
    free(keep);
}

void
frame_cache_adopt_frame(struct catalog *cat, const char *table, struct frame *f)
{
    struct catalog_columns cc;
    int ok = catalog_columns(catalog_db(cat), table, 0, &cc, NULL) == 0 && cc.n == f->n_cols;
    for (int j = 0; ok && j < f->n_cols; j++) {
        int num = cc.kinds[j] == CATALOG_INTEGER || cc.kinds[j] == CATALOG_REAL;
        ok = strcmp(cc.names[j], f->names[j]) == 0 && num == (f->kind[j] == FRAME_NUM);
        f->decl[j] = cc.kinds[j];
    }
    if (ok)
        cache_put(cache_get(cat), frame_cache_key(table, NULL, 0, 0), table, 1, 0,
                  catalog_clock(cat), f);
    catalog_columns_release(&cc);
    frame_release(f); /* the cache's reference is the only one */
}

void
frame_cache_written(struct catalog *cat, const char *table, unsigned long long stamp,
                    const struct frame *w, const struct frame_out *outs, int n_outs,
                    int rows_dropped)
{
    struct frame_cache *c = cache_get(cat);
    unsigned long long now = catalog_clock(cat);
    for (int i = 0; i < CACHE_SLOTS; i++) {
        struct cache_entry *e = &c->slot[i];
        if (!e->f || strcasecmp(e->table, table) != 0)
            continue;
        /* current until this write (which the catalog noticed): then updated, current now */
        int keep = !rows_dropped && e->at >= stamp && e->f->n_rows == w->n_rows;
        for (int o = 0; o < n_outs && keep; o++) {
            int j = -1;
            for (int k = 0; k < e->f->n_cols && j < 0; k++)
                if (strcasecmp(e->f->names[k], outs[o].name) == 0)
                    j = k;
            if (j < 0)
                keep = !e->all; /* a new column: an all-columns frame lacks it */
            else if (outs[o].text || e->f->kind[j] != FRAME_NUM ||
                     (e->times && e->f->decl[j] != CATALOG_INTEGER &&
                      e->f->decl[j] != CATALOG_REAL))
                keep = 0;       /* text is re-read rather than re-coded; so are parsed times */
            else
                keep = column_update(e->f, j, &outs[o]) == 0;
        }
        if (keep)
            e->at = now;
        else
            entry_drop(e);
    }
}

const double *
frame_cache_values(struct catalog *cat, const char *table, const char *name,
                   const struct frame *w, const double *exclude, const unsigned char **mask)
{
    struct frame_cache *c = cache_get(cat);
    for (int i = 0; i < CACHE_SLOTS; i++) {
        const struct cache_entry *e = &c->slot[i];
        const struct frame *f = e->f;
        if (!f || strcasecmp(e->table, table) != 0 || !entry_current(cat, e) ||
            f->n_rows != w->n_rows)
            continue;
        for (int j = 0; j < f->n_cols; j++) {
            if (strcasecmp(f->names[j], name) != 0)
                continue;
            if (f->kind[j] != FRAME_NUM || f->n_nonnum[j] != 0 || frame_col(f, j) == exclude ||
                (f->decl[j] != CATALOG_INTEGER && f->decl[j] != CATALOG_REAL))
                break;
            if (f->rowid != w->rowid &&
                memcmp(f->rowid, w->rowid, (size_t)w->n_rows * sizeof(sqlite3_int64)) != 0)
                break;
            *mask = f->mask[j];
            return frame_col(f, j);
        }
    }
    return NULL;
}

double
frame_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void
frame_add_write_time(struct catalog *cat, double secs)
{
    cache_get(cat)->t_write += secs;
}

void
frame_io_times(struct catalog *cat, double *read_s, double *write_s, int reset)
{
    struct frame_cache *c = cache_get(cat);
    *read_s = c->t_read;
    *write_s = c->t_write;
    if (reset)
        c->t_read = c->t_write = 0;
}

char *
frame_cache_key(const char *table, const char *const *cols, int n_cols, int flags)
{
    struct buf k = BUF_INIT;
    buf_adds(&k, table);
    for (int i = 0; i < n_cols; i++) {
        buf_addc(&k, '\x1f');
        for (const char *s = cols[i]; *s; s++) /* column names are case-insensitive */
            buf_addc(&k, (char)((*s >= 'A' && *s <= 'Z') ? *s + 32 : *s));
    }
    buf_addf(&k, "\x1e%d", flags & (FRAME_ALL_NUMERIC | FRAME_TIMES));
    return buf_detach(&k);
}

/*
 * A frame of numeric columns copied from a cached frame of the same table
 * that holds them all as numbers (a memcpy per column, no SQL), or NULL.
 * When the request is exactly the cached frame's columns in its order
 * (say all columns of a numeric table, after a load that kept them by
 * name), that frame itself comes back with a new reference and *shared
 * set: frames are read-only to their borrowers, and a copy of 1,000,000
 * x 10 would cost 80 MB of fresh memory. Takes ownership of names (the
 * strings) on success.
 */
static struct frame *
copy_from_cached(struct catalog *cat, struct frame_cache *c, const char *table, char **names,
                 const enum catalog_kind *kinds, int n, int flags, int *shared)
{
    *shared = 0;
    for (int i = 0; i < CACHE_SLOTS; i++) {
        struct cache_entry *e = &c->slot[i];
        if (!e->f || strcasecmp(e->table, table) != 0 || !entry_current(cat, e))
            continue;
        int *from = xmalloc((size_t)(n ? n : 1) * sizeof(int)), ok = 1;
        for (int j = 0; j < n && ok; j++) {
            int declared = kinds[j] == CATALOG_INTEGER || kinds[j] == CATALOG_REAL;
            /* a column FRAME_TIMES parsed holds seconds, not the numbers asked for */
            int num = declared || ((flags & FRAME_ALL_NUMERIC) && !e->times);
            from[j] = -1;
            for (int k = 0; k < e->f->n_cols && from[j] < 0; k++)
                if (strcasecmp(e->f->names[k], names[j]) == 0)
                    from[j] = k;
            ok = num && from[j] >= 0 && e->f->kind[from[j]] == FRAME_NUM;
        }
        if (!ok) {
            free(from);
            continue;
        }
        /* Exactly the cached frame's columns, in its order: share it, copy nothing. */
        int same = n == e->f->n_cols;
        for (int j = 0; j < n && same; j++)
            same = from[j] == j;
        if (same) {
            free(from);
            for (int j = 0; j < n; j++)
                free(names[j]);
            e->used = ++c->clock;
            e->f->refs++;
            *shared = 1;
            return e->f;
        }
        /* out of memory here: NULL, and frame_read reads the table (and says so) */
        const struct frame *src = e->f;
        struct frame *f = frame_make(src->n_rows, n, NULL, 0, NULL);
        for (int j = 0; f && j < n; j++) {
            int k = from[j];
            if (src->mask[k] &&
                !(f->mask[j] = mem_alloc((size_t)src->n_rows, 1, "frame", "missing flags",
                                         NULL))) {
                frame_release(f);
                f = NULL;
            }
        }
        if (!f) {
            free(from);
            return NULL;
        }
        memcpy(f->rowid, src->rowid, (size_t)src->n_rows * sizeof(sqlite3_int64));
        for (int j = 0; j < n; j++) {
            int k = from[j];
            f->names[j] = names[j];
            f->kind[j] = FRAME_NUM;
            f->decl[j] = src->decl[k];
            memcpy(frame_col(f, j), frame_col(src, k), (size_t)src->n_rows * sizeof(double));
            if (src->mask[k])
                memcpy(f->mask[j], src->mask[k], (size_t)src->n_rows);
            f->n_missing[j] = src->n_missing[k];
            f->n_nonnum[j] = src->n_nonnum[k];
        }
        free(from);
        e->used = ++c->clock;
        return f;
    }
    return NULL;
}

struct frame *
frame_cache_get(struct catalog *cat, const char *key)
{
    struct frame_cache *c = cache_get(cat);
    struct frame *hit = NULL;
    for (int i = 0; i < CACHE_SLOTS; i++) {
        struct cache_entry *e = &c->slot[i];
        if (e->f && !entry_current(cat, e)) /* stale: its table was written */
            entry_drop(e);
        if (!hit && e->f && key && strcmp(e->key, key) == 0) {
            e->used = ++c->clock;
            e->f->refs++;
            hit = e->f;
        }
    }
    return hit;
}

/* Column k of e's frame that serves column j of f (declared numeric, cached as numbers), or -1. */
static int
served(const struct cache_entry *e, const struct frame *f, int j)
{
    if (f->decl[j] != CATALOG_INTEGER && f->decl[j] != CATALOG_REAL)
        return -1;
    for (int k = 0; k < e->f->n_cols; k++)
        if (strcasecmp(e->f->names[k], f->names[j]) == 0)
            return e->f->kind[k] == FRAME_NUM && e->f->decl[k] == f->decl[j] ? k : -1;
    return -1;
}

/* The current cached frame of table with f's rows that serves most of f's columns, or NULL. */
static struct cache_entry *
partial_source(struct catalog *cat, struct frame_cache *c, const char *table, const struct frame *f)
{
    struct cache_entry *best = NULL;
    int most = 0;
    for (int i = 0; i < CACHE_SLOTS; i++) {
        struct cache_entry *e = &c->slot[i];
        if (!e->f || strcasecmp(e->table, table) != 0 || !entry_current(cat, e) ||
            e->f->n_rows != f->n_rows)
            continue;
        int n = 0;
        for (int j = 0; j < f->n_cols; j++)
            n += served(e, f, j) >= 0;
        if (n > most) {
            most = n;
            best = e;
        }
    }
    return best;
}

unsigned char *
frame_cache_partial(struct catalog *cat, const char *table, const struct frame *f)
{
    struct cache_entry *e = partial_source(cat, cache_get(cat), table, f);
    if (!e)
        return NULL;
    unsigned char *skip = xcalloc((size_t)f->n_cols + 1, 1);
    for (int j = 0; j < f->n_cols; j++)
        skip[j] = served(e, f, j) >= 0;
    return skip;
}

int
frame_cache_fill(struct catalog *cat, const char *table, struct frame *f,
                 const unsigned char *skip, struct qerr *err)
{
    struct frame_cache *c = cache_get(cat);
    struct cache_entry *e = partial_source(cat, c, table, f);
    const struct frame *src = e ? e->f : NULL;
    if (!src || memcmp(src->rowid, f->rowid, (size_t)f->n_rows * sizeof(sqlite3_int64)) != 0)
        return qerr_set(err, QE_INTERNAL, "table '%s' changed while it was read", table);
    for (int j = 0; j < f->n_cols; j++) {
        int k = skip[j] ? served(e, f, j) : -1;
        if (!skip[j])
            continue;
        if (k < 0)
            return qerr_set(err, QE_INTERNAL, "table '%s' changed while it was read", table);
        memcpy(frame_col(f, j), frame_col(src, k), (size_t)f->n_rows * sizeof(double));
        if (src->mask[k]) {
            if (!f->mask[j] &&
                !(f->mask[j] = mem_alloc((size_t)f->n_rows, 1, "frame", "missing flags", err)))
                return -1;
            memcpy(f->mask[j], src->mask[k], (size_t)f->n_rows);
        }
        f->n_missing[j] = src->n_missing[k];
        f->n_nonnum[j] = src->n_nonnum[k];
    }
    e->used = ++c->clock;
    return 0;
}

struct frame *
frame_cache_copy(struct catalog *cat, const char *table, char **names,
                 const enum catalog_kind *kinds, int n, int flags, int *shared)
{
    return copy_from_cached(cat, cache_get(cat), table, names, kinds, n, flags, shared);
}

void
frame_cache_put(struct catalog *cat, char *key, const char *table, int all, int times,
                unsigned long long at, struct frame *f)
{
    cache_put(cache_get(cat), key, table, all, times, at, f);
}

void
frame_add_read_time(struct catalog *cat, double secs)
{
    cache_get(cat)->t_read += secs;
}
