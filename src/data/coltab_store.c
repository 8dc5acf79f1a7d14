/*
 * coltab_store.c: a column table's storage (coltab_int.h): cells with
 * SQLite's storage classes and affinity in the frame layout (a class byte
 * and 8 bytes a cell, text in a per-column arena), rows kept in rowid order with a
 * live flag, and the copy-on-write snapshots behind savepoints.
 */
#include "data/coltab_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/banned.h"

enum aff
cs_affinity(const char *decl)
{
    /* SQLite's rules (datatype3.html 3.1), in order */
    struct buf u = BUF_INIT;
    for (const char *s = decl; *s; s++)
        buf_addf(&u, "%c", *s >= 'a' && *s <= 'z' ? *s - 32 : *s);
    const char *t = u.data ? u.data : "";
    enum aff a = strstr(t, "INT")                                          ? AFF_INTEGER
                 : strstr(t, "CHAR") || strstr(t, "CLOB") || strstr(t, "TEXT") ? AFF_TEXT
                 : strstr(t, "BLOB") || !*t                                ? AFF_BLOB
                 : strstr(t, "REAL") || strstr(t, "FLOA") || strstr(t, "DOUB") ? AFF_REAL
                                                                            : AFF_NUMERIC;
    buf_release(&u);
    return a;
}


/* Value v with the column's affinity applied, as an ordinary table stores it. */
void
cs_value_cell(struct cell *x, sqlite3_value *v, enum aff a)
{
    int ty = sqlite3_value_type(v);
    if (ty == SQLITE_TEXT && (a == AFF_NUMERIC || a == AFF_INTEGER || a == AFF_REAL))
        ty = sqlite3_value_numeric_type(v); /* converts in place when the text is a number */
    if (ty == SQLITE_INTEGER && a == AFF_TEXT)
        ty = SQLITE_TEXT;
    if (ty == SQLITE_FLOAT && a == AFF_TEXT)
        ty = SQLITE_TEXT;
    x->n = 0;
    switch (ty) {
    case SQLITE_INTEGER:
        if (a == AFF_REAL) {
            x->ty = SQLITE_FLOAT;
            x->v.r = (double)sqlite3_value_int64(v);
        } else {
            x->ty = SQLITE_INTEGER;
            x->v.i = sqlite3_value_int64(v);
        }
        return;
    case SQLITE_FLOAT: {
        double r = sqlite3_value_double(v);
        if ((a == AFF_INTEGER || a == AFF_NUMERIC) && r >= -9.2233720368547758e18 &&
            r < 9.2233720368547758e18 && (double)(sqlite3_int64)r == r) {
            x->ty = SQLITE_INTEGER;
            x->v.i = (sqlite3_int64)r;
        } else {
            x->ty = SQLITE_FLOAT;
            /* REAL affinity keeps a whole real as the integer (0 for -0.0), read back as real */
            x->v.r = a == AFF_REAL && r == 0 ? 0.0 : r;
        }
        return;
    }
    case SQLITE_TEXT:
    case SQLITE_BLOB:
        x->v.p = ty == SQLITE_TEXT ? (const char *)sqlite3_value_text(v)
                                   : (const char *)sqlite3_value_blob(v);
        x->n = sqlite3_value_bytes(v);
        x->ty = (unsigned char)ty;
        if (!x->v.p && x->n == 0) /* an empty blob */
            x->v.p = "";
        else if (!x->v.p) /* out of memory converting */
            x->ty = SQLITE_NULL;
        return;
    default:
        x->ty = SQLITE_NULL;
    }
}


static int
cmp_off(const void *a, const void *b)
{
    sqlite3_int64 x = *(const sqlite3_int64 *)a, y = *(const sqlite3_int64 *)b;
    return (x > y) - (x < y);
}

/* Each text or blob offset of n cells (ty, v) into *o; with remap, each one moved to its place
 * in the new arena instead (the sorted old offsets u[0..nu), new ones at[]). */
static void
offsets(const unsigned char *ty, union cval *v, long long n, sqlite3_int64 *o, long long *no,
        const sqlite3_int64 *u, const sqlite3_int64 *at, long long nu)
{
    for (long long i = 0; i < n; i++) {
        if (ty[i] != SQLITE_TEXT && ty[i] != SQLITE_BLOB)
            continue;
        if (!u) {
            o[(*no)++] = v[i].off;
            continue;
        }
        const sqlite3_int64 *f = bsearch(&v[i].off, u, (size_t)nu, sizeof(*u), cmp_off);
        v[i].off = at[f - u];
    }
}

/*
 * Before column col's arena grows: when most of its bytes belong to no
 * cell of the column or of its undo copies (texts rewritten), copy the
 * texts still held into a new arena and move every offset instead. Slots
 * past n + 1 are never read again (a slot is written at most one past the
 * rows), so they become NULL.
 */
static void
compact(struct store *t, int col)
{
    struct column *c = &t->col[col];
    long long end = t->n + 1 < t->cap ? t->n + 1 : t->cap, cap = end, no = 0, nu = 0;
    for (int k = 0; k < t->nsnap; k++)
        cap += t->snaps[k].col == col ? t->snaps[k].n : 0;
    sqlite3_int64 *o = malloc((size_t)(cap ? cap : 1) * sizeof(*o));
    sqlite3_int64 *at = malloc((size_t)(cap ? cap : 1) * sizeof(*at));
    if (!o || !at)
        goto out;
    offsets(c->ty, c->v, end, o, &no, NULL, NULL, 0);
    for (int k = 0; k < t->nsnap; k++)
        if (t->snaps[k].col == col)
            offsets(t->snaps[k].ty, t->snaps[k].v, t->snaps[k].n, o, &no, NULL, NULL, 0);
    qsort(o, (size_t)no, sizeof(*o), cmp_off);
    size_t live = 0;
    for (long long i = 0; i < no; i++) {
        if (nu && o[nu - 1] == o[i])
            continue;
        o[nu] = o[i];
        unsigned int n;
        memcpy(&n, c->arena + o[i], sizeof(n));
        at[nu++] = (sqlite3_int64)live;
        live += sizeof(n) + n + 1;
    }
    if (live > c->alen / 2)
        goto out;
    size_t acap = 4096;
    while (acap < 2 * live)
        acap *= 2;
    char *p = malloc(acap);
    if (!p)
        goto out;
    for (long long i = 0; i < nu; i++) {
        unsigned int n;
        memcpy(&n, c->arena + o[i], sizeof(n));
        memcpy(p + at[i], c->arena + o[i], sizeof(n) + n + 1);
    }
    offsets(c->ty, c->v, end, NULL, NULL, o, at, nu);
    for (int k = 0; k < t->nsnap; k++)
        if (t->snaps[k].col == col)
            offsets(t->snaps[k].ty, t->snaps[k].v, t->snaps[k].n, NULL, NULL, o, at, nu);
    if (end < t->cap)
        memset(c->ty + end, SQLITE_NULL, (size_t)(t->cap - end));
    free(c->arena);
    c->arena = p;
    c->alen = live;
    c->acap = acap;
out:
    free(o);
    free(at);
}

int
cs_set(struct store *t, int col, long long i, const struct cell *x)
{
    struct column *c = &t->col[col];
    if (c->ty[i] == SQLITE_TEXT || c->ty[i] == SQLITE_BLOB) {
        unsigned int on; /* the text this cell held may now be held by nothing */
        memcpy(&on, c->arena + c->v[i].off, sizeof(on));
        c->stale += sizeof(on) + on + 1;
    }
    if (x->ty != SQLITE_TEXT && x->ty != SQLITE_BLOB) {
        c->ty[i] = x->ty == SQLITE_INTEGER || x->ty == SQLITE_FLOAT ? x->ty : SQLITE_NULL;
        c->v[i].i = x->ty == SQLITE_INTEGER || x->ty == SQLITE_FLOAT ? x->v.i : 0;
        return SQLITE_OK;
    }
    unsigned int n = (unsigned int)x->n;
    size_t need = c->alen + sizeof(n) + n + 1;
    if (need > c->acap) {
        /* the text may be this arena's own (a cell copied within the column) */
        const char *src = x->v.p;
        int own = c->arena && src >= c->arena && src < c->arena + c->alen;
        if (!own && c->alen && c->stale > c->alen / 2) {
            /* a load only appends: no sort of every offset at each growth */
            compact(t, col);
            c->stale = 0;
            need = c->alen + sizeof(n) + n + 1;
        }
        size_t at = own ? (size_t)(src - c->arena) : 0;
        size_t cap = c->acap ? c->acap : 4096;
        while (cap < need)
            cap *= 2;
        char *p = realloc(c->arena, cap);
        if (!p)
            return SQLITE_NOMEM;
        c->arena = p;
        c->acap = cap;
        if (own)
            src = p + at;
        memcpy(c->arena + c->alen + sizeof(n), src, n);
    } else if (n) {
        memcpy(c->arena + c->alen + sizeof(n), x->v.p, n);
    }
    memcpy(c->arena + c->alen, &n, sizeof(n));
    c->arena[c->alen + sizeof(n) + n] = 0;
    c->ty[i] = x->ty;
    c->v[i].off = (sqlite3_int64)c->alen;
    c->alen = need;
    return SQLITE_OK;
}


/*
 * Each level goes into the arena once and every cell of it points at that
 * copy: a nominal column of a few values costs no arena bytes a row, and
 * the cells are set in one loop with no call each. Offsets shared by many
 * cells are what compact already expects of undo copies (it keeps each
 * offset once).
 */
int
cs_set_codes(struct store *t, int col, const int32_t *code, const char *const *levels,
             int n_levels, const long long *slot, long long n)
{
    struct column *c = &t->col[col];
    size_t alen0 = c->alen, need = c->alen;
    for (int k = 0; k < n_levels; k++)
        need += sizeof(unsigned int) + strlen(levels[k]) + 1;
    /* by code + 1 (0: NULL), so that a cell costs two lookups and no branch */
    sqlite3_int64 *off = malloc(((size_t)n_levels + 1) * sizeof(*off));
    unsigned char *cls = malloc((size_t)n_levels + 1);
    if (!off || !cls) {
        free(off);
        free(cls);
        return SQLITE_NOMEM;
    }
    off[0] = 0;
    cls[0] = SQLITE_NULL;
    if (need > c->acap) {
        size_t cap = c->acap ? c->acap : 4096;
        while (cap < need)
            cap *= 2;
        char *p = realloc(c->arena, cap);
        if (!p) {
            free(off);
            free(cls);
            return SQLITE_NOMEM;
        }
        c->arena = p;
        c->acap = cap;
    }
    for (int k = 0; k < n_levels; k++) {
        unsigned int len = (unsigned int)strlen(levels[k]);
        off[k + 1] = (sqlite3_int64)c->alen;
        cls[k + 1] = SQLITE_TEXT;
        memcpy(c->arena + c->alen, &len, sizeof(len));
        memcpy(c->arena + c->alen + sizeof(len), levels[k], (size_t)len + 1);
        c->alen += sizeof(len) + len + 1;
    }
    if (alen0) /* texts written over may now be held by nothing: compact looks at growth */
        c->stale = c->alen;
    unsigned char *ty = c->ty;
    union cval *v = c->v;
    if (!slot) {
        for (long long i = 0; i < n; i++) {
            ty[i] = cls[code[i] + 1];
            v[i].off = off[code[i] + 1];
        }
    } else {
        for (long long i = 0; i < n; i++) {
            ty[slot[i]] = cls[code[i] + 1];
            v[slot[i]].off = off[code[i] + 1];
        }
    }
    free(off);
    free(cls);
    return SQLITE_OK;
}


int
cs_cell_set(struct store *t, int col, long long i, sqlite3_value *v)
{
    struct cell x;
    cs_value_cell(&x, v, t->aff[col]);
    return cs_set(t, col, i, &x);
}


/* Copies are sqlite3_malloc'd, so that the undo memory bound (catalog_undo_bytes) counts them. */
static void
snap_free(struct snap *s)
{
    sqlite3_free(s->ty);
    sqlite3_free(s->v);
    sqlite3_free(s->rid);
    sqlite3_free(s->live);
    sqlite3_free(s->slot);
}


/* Whether column col (-1: the row index) was copied whole at the current level. */
static int
have_copy(const struct store *t, int col)
{
    for (int k = t->nsnap - 1; k >= 0 && t->snaps[k].level == t->level; k--)
        if (t->snaps[k].col == col && !t->snaps[k].slot)
            return 1;
    return 0;
}

/* Room for one more snapshot. */
static int
room(struct store *t)
{
    if (t->nsnap < t->capsnap)
        return SQLITE_OK;
    int cap = t->capsnap ? 2 * t->capsnap : 8;
    struct snap *s = realloc(t->snaps, sizeof(*s) * (size_t)cap);
    if (!s)
        return SQLITE_NOMEM;
    t->snaps = s;
    t->capsnap = cap;
    return SQLITE_OK;
}

int
cs_touch_cells(struct store *t, int col, const long long *slot, long long n)
{
    t->gen++;
    if (have_copy(t, col) || n == 0)
        return SQLITE_OK;
    if (room(t) != SQLITE_OK)
        return SQLITE_NOMEM;
    struct snap s = {.level = t->level, .col = col, .n = n};
    s.slot = sqlite3_malloc64((sqlite3_uint64)n * sizeof(*s.slot));
    s.ty = sqlite3_malloc64((sqlite3_uint64)n);
    s.v = sqlite3_malloc64((sqlite3_uint64)n * sizeof(*s.v));
    if (!s.slot || !s.ty || !s.v) {
        snap_free(&s);
        return SQLITE_NOMEM;
    }
    for (long long k = 0; k < n; k++) {
        s.slot[k] = slot[k];
        s.ty[k] = t->col[col].ty[slot[k]];
        s.v[k] = t->col[col].v[slot[k]];
    }
    t->snaps[t->nsnap++] = s;
    return SQLITE_OK;
}

/* Before column col (-1: the row index) changes: copy it unless this level has. */
int
cs_touch(struct store *t, int col)
{
    t->gen++; /* the indexes are stale */
    if (have_copy(t, col))
        return SQLITE_OK;
    if (room(t) != SQLITE_OK)
        return SQLITE_NOMEM;
    struct snap s = {.level = t->level, .col = col, .n = t->n};
    sqlite3_uint64 n = (sqlite3_uint64)(t->n ? t->n : 1);
    if (col < 0) {
        s.rid = sqlite3_malloc64(n * sizeof(*s.rid));
        s.live = sqlite3_malloc64(n);
        if (!s.rid || !s.live) {
            snap_free(&s);
            return SQLITE_NOMEM;
        }
        if (t->n) {
            memcpy(s.rid, t->rid, (size_t)t->n * sizeof(*s.rid));
            memcpy(s.live, t->live, (size_t)t->n);
        }
    } else {
        /* the classes and the 8-byte values: the arena is only appended to, so an
         * offset copied here still finds its text after later writes */
        s.ty = sqlite3_malloc64(n);
        s.v = sqlite3_malloc64(n * sizeof(*s.v));
        if (!s.ty || !s.v) {
            snap_free(&s);
            return SQLITE_NOMEM;
        }
        if (t->n) {
            memcpy(s.ty, t->col[col].ty, (size_t)t->n);
            memcpy(s.v, t->col[col].v, (size_t)t->n * sizeof(*s.v));
        }
    }
    t->snaps[t->nsnap++] = s;
    return SQLITE_OK;
}


/* Put snapshot s back (its slots: the rows it saw). */
static void
restore(struct store *t, struct snap *s)
{
    if (s->col < 0) {
        if (s->n) {
            memcpy(t->rid, s->rid, (size_t)s->n * sizeof(*s->rid));
            memcpy(t->live, s->live, (size_t)s->n);
        }
        t->n = s->n;
    } else if (s->slot) {
        t->col[s->col].stale = t->col[s->col].alen; /* the undone texts are held by nothing */
        for (long long k = 0; k < s->n; k++) {
            t->col[s->col].ty[s->slot[k]] = s->ty[k];
            t->col[s->col].v[s->slot[k]] = s->v[k];
        }
    } else if (s->n) {
        t->col[s->col].stale = t->col[s->col].alen;
        memcpy(t->col[s->col].ty, s->ty, (size_t)s->n);
        memcpy(t->col[s->col].v, s->v, (size_t)s->n * sizeof(*s->v));
    }
    snap_free(s);
}


/* Undo every write made at levels >= level; those levels' snapshots go. */
void
cs_rollback_to(struct store *t, int level)
{
    t->gen++;
    while (t->nsnap > 0 && t->snaps[t->nsnap - 1].level >= level)
        restore(t, &t->snaps[--t->nsnap]);
}


/* Levels >= level merge into level - 1 (a release); a column copied whole at level - 1 keeps
 * that older copy and drops the newer ones (a copy of some cells only covers no later write). */
void
cs_release_to(struct store *t, int level)
{
    int keep = 0;
    for (int k = 0; k < t->nsnap; k++) {
        struct snap *s = &t->snaps[k];
        if (s->level >= level) {
            int dup = level == 0;
            for (int j = 0; j < keep && !dup; j++)
                dup = t->snaps[j].level == level - 1 && t->snaps[j].col == s->col &&
                      !t->snaps[j].slot;
            if (dup) {
                if (s->col >= 0) /* its texts may have been held by it alone */
                    t->col[s->col].stale = t->col[s->col].alen;
                snap_free(s);
                continue;
            }
            s->level = level - 1;
        }
        t->snaps[keep++] = *s;
    }
    t->nsnap = keep;
}


static int
in_block(const struct store *t, const void *p)
{
    const char *q = p;
    return t->block && q >= t->block && q < t->block + t->block_size;
}

void
cs_cells_free(const struct store *t, void *p)
{
    if (!in_block(t, p))
        free(p);
}

void
cs_store_empty(struct store *t)
{
    cs_rollback_to(t, 0);
    cs_index_free(t);
    for (int c = 0; c < t->ncol; c++) {
        cs_cells_free(t, t->col[c].ty);
        cs_cells_free(t, t->col[c].v);
        free(t->col[c].arena);
        memset(&t->col[c], 0, sizeof(t->col[c]));
    }
    free(t->block);
    t->block = NULL;
    t->block_size = 0;
    free(t->rid);
    free(t->live);
    free(t->snaps);
    t->rid = NULL;
    t->live = NULL;
    t->snaps = NULL;
    t->n = t->cap = 0;
    t->nsnap = t->capsnap = 0;
}


void
cs_store_free(struct store *t)
{
    if (t->col)
        cs_store_empty(t);
    free(t->col);
    free(t->aff);
    free(t->name);
    free(t->decl);
    free(t);
}


/* The declared columns (argv[3..]) into a new, empty store named name. */
struct store *
cs_store_new(const char *name, int argc, const char *const *argv, struct buf *decl)
{
    struct store *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    t->ncol = argc - 3;
    t->name = malloc(strlen(name) + 1);
    t->aff = calloc((size_t)t->ncol, sizeof(*t->aff));
    t->col = calloc((size_t)t->ncol, sizeof(*t->col));
    if (!t->name || !t->aff || !t->col) {
        cs_store_free(t);
        return NULL;
    }
    memcpy(t->name, name, strlen(name) + 1);
    buf_adds(decl, "CREATE TABLE x(");
    for (int c = 0; c < t->ncol; c++) {
        const char *a = argv[c + 3];
        /* the declared type follows the (possibly quoted) name */
        const char *s = a;
        while (*s == ' ')
            s++;
        if (*s == '"' || *s == '`' || *s == '[') {
            char close = *s == '[' ? ']' : *s;
            for (s++; *s && !(*s == close && s[1] != close); s += *s == close ? 2 : 1)
                ;
            if (*s)
                s++;
        } else {
            while (*s && *s != ' ')
                s++;
        }
        t->aff[c] = cs_affinity(s);
        buf_addf(decl, "%s%s", c ? ", " : "", a);
    }
    buf_adds(decl, ")");
    t->decl = malloc(decl->len + 1);
    if (!t->decl) {
        cs_store_free(t);
        return NULL;
    }
    memcpy(t->decl, decl->data, decl->len + 1);
    return t;
}


/* Slot of rowid r, or -1 (binary search; dead slots included). */
long long
cs_find(const struct store *t, sqlite3_int64 r)
{
    long long lo = 0, hi = t->n;
    while (lo < hi) {
        long long m = lo + (hi - lo) / 2;
        if (t->rid[m] < r)
            lo = m + 1;
        else
            hi = m;
    }
    return lo < t->n && t->rid[lo] == r ? lo : -1;
}


/* realloc, or for an array in t->block a new one with its first old bytes copied. */
static void *
cells_realloc(const struct store *t, void *p, size_t old, size_t size)
{
    if (!in_block(t, p))
        return realloc(p, size);
    void *q = malloc(size);
    if (q)
        memcpy(q, p, old);
    return q;
}

#define HUGE_BYTES ((size_t)2 << 20)

int
cs_grow_exact(struct store *t, long long need)
{
    size_t cells = (size_t)need * (size_t)t->ncol;
    if (t->cap || t->block || need <= 1024 || !t->ncol || cells > SIZE_MAX / 16)
        return cs_grow(t, need);
    /* the values first (8-byte aligned), then the class bytes, on a 2 MiB boundary; no
     * MADV_HUGEPAGE: on this VM (THP defrag=madvise) a 90 MB block's first touch stalled in
     * compaction, cluster's label write 0.13 -> 0.47-0.71 s (session 11), for ~1.5 ms saved
     * on supermarket.arff */
    size_t size = cells * (sizeof(union cval) + 1);
    if (size < HUGE_BYTES)
        return cs_grow(t, need);
    size = (size + HUGE_BYTES - 1) / HUGE_BYTES * HUGE_BYTES;
    char *b = aligned_alloc(HUGE_BYTES, size);
    sqlite3_int64 *rid = realloc(t->rid, (size_t)need * sizeof(*rid));
    if (rid)
        t->rid = rid;
    unsigned char *live = rid ? realloc(t->live, (size_t)need) : NULL;
    if (live)
        t->live = live;
    if (!b || !live) {
        free(b);
        return cs_grow(t, need);
    }
    t->block = b;
    t->block_size = size;
    for (int c = 0; c < t->ncol; c++) {
        t->col[c].v = (union cval *)(b + (size_t)c * (size_t)need * sizeof(union cval));
        t->col[c].ty = (unsigned char *)b + cells * sizeof(union cval) + (size_t)c * (size_t)need;
    }
    memset(b + cells * sizeof(union cval), SQLITE_NULL, cells);
    t->cap = need;
    return SQLITE_OK;
}

int
cs_grow(struct store *t, long long need)
{
    if (need <= t->cap)
        return SQLITE_OK;
    /* a first growth past 1024 slots (a put into a new table) takes exactly what it needs,
     * so that a put may keep a caller's array of need cells as a column (coltab.h give) */
    long long cap = t->cap ? t->cap : need > 1024 ? need : 1024;
    while (cap < need)
        cap *= 2;
    sqlite3_int64 *rid = realloc(t->rid, (size_t)cap * sizeof(*rid));
    if (!rid)
        return SQLITE_NOMEM;
    t->rid = rid;
    unsigned char *live = realloc(t->live, (size_t)cap);
    if (!live)
        return SQLITE_NOMEM;
    t->live = live;
    /* a column failing part way keeps what it had; one already moved out of the block is out */
    for (int c = 0; c < t->ncol; c++) {
        unsigned char *ty = cells_realloc(t, t->col[c].ty, (size_t)t->cap, (size_t)cap);
        if (!ty)
            return SQLITE_NOMEM;
        memset(ty + t->cap, SQLITE_NULL, (size_t)(cap - t->cap));
        t->col[c].ty = ty;
        union cval *v = cells_realloc(t, t->col[c].v, (size_t)t->cap * sizeof(*v),
                                      (size_t)cap * sizeof(*v));
        if (!v)
            return SQLITE_NOMEM;
        t->col[c].v = v;
    }
    t->cap = cap;
    free(t->block); /* every column has left it */
    t->block = NULL;
    t->block_size = 0;
    return SQLITE_OK;
}


/* A new row with rowid r (slot at its place in rowid order); its slot in *at. */
int
cs_insert_row(struct store *t, sqlite3_int64 r, long long *at)
{
    /* the usual case, past the last rowid, needs no search */
    long long i = t->n == 0 || t->rid[t->n - 1] < r ? -1 : cs_find(t, r);
    if (i >= 0) {
        if (t->live[i])
            return SQLITE_CONSTRAINT;
        int rc = cs_touch(t, -1);
        if (rc == SQLITE_OK)
            t->live[i] = 1;
        *at = i;
        return rc;
    }
    int rc = cs_touch(t, -1);
    if (rc == SQLITE_OK)
        rc = cs_grow(t, t->n + 1);
    if (rc != SQLITE_OK)
        return rc;
    if (t->n == 0 || t->rid[t->n - 1] < r) {
        i = t->n; /* the usual case: appended, no column copied */
    } else {
        /* in the middle: every column shifts, so every column is copied first */
        for (int c = 0; c < t->ncol && rc == SQLITE_OK; c++)
            rc = cs_touch(t, c);
        if (rc != SQLITE_OK)
            return rc;
        long long lo = 0, hi = t->n;
        while (lo < hi) {
            long long m = lo + (hi - lo) / 2;
            if (t->rid[m] < r)
                lo = m + 1;
            else
                hi = m;
        }
        i = lo;
        for (int c = 0; c < t->ncol; c++) {
            struct column *x = &t->col[c];
            memmove(&x->ty[i + 1], &x->ty[i], (size_t)(t->n - i));
            memmove(&x->v[i + 1], &x->v[i], (size_t)(t->n - i) * sizeof(*x->v));
        }
        memmove(&t->rid[i + 1], &t->rid[i], (size_t)(t->n - i) * sizeof(*t->rid));
        memmove(&t->live[i + 1], &t->live[i], (size_t)(t->n - i));
    }
    t->rid[i] = r;
    t->live[i] = 1;
    t->n++;
    for (int c = 0; c < t->ncol; c++)
        t->col[c].ty[i] = SQLITE_NULL;
    *at = i;
    return SQLITE_OK;
}

/* The store named name declared as decl: a live one, else (live=0) the latest dropped one. */
struct store *
cs_lookup(struct registry *reg, const char *name, const char *decl, int live)
{
    for (struct store *s = reg->head; s; s = s->next)
        if (strcmp(s->name, name) == 0 && (!decl || strcmp(s->decl, decl) == 0) &&
            (!s->dropped || !live))
            return s;
    return NULL;
}
