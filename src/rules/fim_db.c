/*
 * fim_db.c: transaction databases from name lists and frames. Every form
 * becomes (transaction, raw item) entries plus the raw item names; one
 * builder sorts the names into codes and packs the transactions.
 */
#include "rules/fim_db.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/mem.h"
#include "base/banned.h"

/* --- a map from strings to small integers ------------------------------------ */

struct smap {
    char **keys; /* borrowed */
    int *vals;
    size_t cap, n;
};

static uint64_t
str_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* The value of key, or -1; with add >= 0, insert key -> add when absent. */
static int
smap_get(struct smap *m, char *key, int add)
{
    if (add >= 0 && 2 * (m->n + 1) > m->cap) {
        struct smap g = {0};
        g.cap = m->cap ? 2 * m->cap : 64;
        g.keys = xcalloc(g.cap, sizeof *g.keys);
        g.vals = xcalloc(g.cap, sizeof *g.vals);
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i])
                smap_get(&g, m->keys[i], m->vals[i]);
        free(m->keys);
        free(m->vals);
        *m = g;
    }
    if (!m->cap)
        return -1;
    size_t i = str_hash(key) & (m->cap - 1);
    for (; m->keys[i]; i = (i + 1) & (m->cap - 1))
        if (strcmp(m->keys[i], key) == 0)
            return m->vals[i];
    if (add < 0)
        return -1;
    m->keys[i] = key;
    m->vals[i] = add;
    m->n++;
    return add;
}

static void
smap_release(struct smap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* --- the builder ------------------------------------------------------------------ */

struct entries {
    long long n, cap;
    long long *tid;
    int32_t *raw;
    char **names; /* raw item names, owned */
    int n_names, cap_names;
};

static int
ent_add(struct entries *e, long long tid, int32_t raw, struct qerr *err)
{
    if (e->n == e->cap) {
        long long cap = e->cap ? 2 * e->cap : 1024;
        long long *t = mem_realloc(e->tid, (size_t)cap, sizeof *t, "rules", "items", err);
        if (!t)
            return -1;
        e->tid = t;
        int32_t *r = mem_realloc(e->raw, (size_t)cap, sizeof *r, "rules", "items", err);
        if (!r)
            return -1;
        e->raw = r;
        e->cap = cap;
    }
    e->tid[e->n] = tid;
    e->raw[e->n++] = raw;
    return 0;
}

/* Take ownership of name as raw item n_names. */
static int
ent_name(struct entries *e, char *name)
{
    if (e->n_names == e->cap_names) {
        e->cap_names = e->cap_names ? 2 * e->cap_names : 64;
        e->names = xrealloc(e->names, (size_t)e->cap_names * sizeof *e->names);
    }
    e->names[e->n_names] = name;
    return e->n_names++;
}

static void
ent_release(struct entries *e)
{
    for (int i = 0; i < e->n_names; i++)
        free(e->names[i]);
    free(e->names);
    free(e->tid);
    free(e->raw);
    memset(e, 0, sizeof *e);
}

static int
cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static int
cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

struct named {
    const char *name;
    int raw;
};

static int
by_name(const void *a, const void *b)
{
    return strcmp(((const struct named *)a)->name, ((const struct named *)b)->name);
}

void
fim_sort_i32(int32_t *v, long long n)
{
    if (n > 32) {
        qsort(v, (size_t)n, sizeof *v, cmp_i32);
        return;
    }
    for (long long i = 1; i < n; i++) {
        int32_t x = v[i];
        long long j = i;
        for (; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

/* Pack e (n_trans transactions) into db; e's names move into db. */
static int
build(struct fim_db *db, struct entries *e, long long n_trans, struct qerr *err)
{
    int rc = -1;
    struct named *nm = xcalloc((size_t)e->n_names + 1, sizeof *nm);
    int32_t *code = xcalloc((size_t)e->n_names + 1, sizeof *code);
    memset(db, 0, sizeof *db);
    for (int i = 0; i < e->n_names; i++)
        nm[i] = (struct named){e->names[i], i};
    qsort(nm, (size_t)e->n_names, sizeof *nm, by_name);
    db->names = xcalloc((size_t)e->n_names + 1, sizeof *db->names);
    for (int i = 0; i < e->n_names; i++) {
        if (db->n_items && strcmp(db->names[db->n_items - 1], nm[i].name) == 0) {
            code[nm[i].raw] = db->n_items - 1; /* the same name twice: one item */
            free(e->names[nm[i].raw]);
        } else {
            code[nm[i].raw] = db->n_items;
            db->names[db->n_items++] = e->names[nm[i].raw];
        }
        e->names[nm[i].raw] = NULL;
    }
    db->n_trans = n_trans;
    db->off = mem_calloc((size_t)n_trans + 1, sizeof *db->off, "rules", "transactions", err);
    db->items = mem_alloc((size_t)e->n, sizeof *db->items, "rules", "items", err);
    if (!db->off || !db->items)
        goto out;
    for (long long i = 0; i < e->n; i++)
        db->off[e->tid[i] + 1]++;
    for (long long t = 0; t < n_trans; t++)
        db->off[t + 1] += db->off[t];
    for (long long i = 0; i < e->n; i++) /* off[t] runs ahead while filling */
        db->items[db->off[e->tid[i]]++] = code[e->raw[i]];
    long long w = 0, start = 0;
    for (long long t = 0; t < n_trans; t++) {
        long long end = db->off[t]; /* filled: now the end of t */
        fim_sort_i32(db->items + start, end - start);
        long long first = w;
        for (long long i = start; i < end; i++)
            if (w == first || db->items[w - 1] != db->items[i])
                db->items[w++] = db->items[i];
        db->off[t] = first;
        start = end;
    }
    db->off[n_trans] = w;
    rc = 0;
out:
    free(nm);
    free(code);
    if (rc < 0)
        fim_db_release(db);
    return rc;
}

int
fim_db_from_lists(struct fim_db *db, const char *const *names, const long long *off,
                  long long n_trans, struct qerr *err)
{
    struct entries e = {0};
    struct smap m = {0};
    int rc = -1;
    for (long long t = 0; t < n_trans; t++)
        for (long long i = off[t]; i < off[t + 1]; i++) {
            int raw = smap_get(&m, (char *)names[i], -1);
            if (raw < 0)
                raw = smap_get(&m, (char *)names[i], ent_name(&e, xstrdup(names[i])));
            if (ent_add(&e, t, raw, err) < 0)
                goto out;
        }
    rc = build(db, &e, n_trans, err);
out:
    smap_release(&m);
    ent_release(&e);
    return rc;
}

/*
 * The codes of a numeric column whose values are all whole numbers in a
 * range no wider than 4 rows per value (ids, item numbers): the same
 * codes as sorting the distinct values, by a table over the range instead
 * of a sort. 1 done (*n_codes -1 on failure, err set), 0 not such a column.
 */
static int
small_ints(const double *x, long long n, int32_t *c, struct entries *names_to, int *n_codes,
           struct qerr *err)
{
    double lo = INFINITY, hi = -INFINITY;
    for (long long r = 0; r < n; r++) {
        double v = x[r];
        if (isnan(v))
            continue;
        if (v != floor(v))
            return 0;
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
    if (!(hi >= lo) || hi - lo > 4.0 * (double)n + 1024 || hi - lo > INT32_MAX - 2.0)
        return 0;
    size_t range = (size_t)(hi - lo) + 1;
    int32_t *code = mem_calloc(range, sizeof *code, "rules", "rows", err);
    if (!code) {
        *n_codes = -1;
        return 1;
    }
    for (long long r = 0; r < n; r++)
        if (!isnan(x[r]))
            code[(size_t)(x[r] - lo)] = 1;
    int32_t nd = 0;
    for (size_t v = 0; v < range; v++) {
        if (!code[v])
            continue;
        code[v] = ++nd; /* 1-based while building */
        if (names_to) {
            char s[64];
            snprintf(s, sizeof s, "%.15g", lo + (double)v);
            ent_name(names_to, xstrdup(s));
        }
    }
    for (long long r = 0; r < n; r++)
        c[r] = isnan(x[r]) ? -1 : code[(size_t)(x[r] - lo)] - 1;
    free(code);
    *n_codes = nd;
    return 1;
}

/* A column's value per row as a small integer (-1 missing), with the values' names. */
static int
column_codes(const struct frame *f, int j, int32_t **codes, struct entries *names_to,
             int *n_codes, struct qerr *err)
{
    long long n = f->n_rows;
    int32_t *c = mem_alloc((size_t)n, sizeof *c, "rules", "rows", err);
    if (!c)
        return -1;
    if (f->kind[j] == FRAME_TEXT) {
        memcpy(c, f->code[j], (size_t)n * sizeof *c);
        for (int l = 0; l < f->n_levels[j]; l++)
            if (names_to)
                ent_name(names_to, xstrdup(f->levels[j][l]));
        *n_codes = f->n_levels[j];
        *codes = c;
        return 0;
    }
    /* numbers: the distinct values in order */
    const double *x = frame_col(f, j);
    if (small_ints(x, n, c, names_to, n_codes, err) != 0) {
        if (*n_codes < 0) {
            free(c);
            return -1;
        }
        *codes = c;
        return 0;
    }
    double *v = mem_alloc((size_t)n + 1, sizeof *v, "rules", "rows", err);
    if (!v) {
        free(c);
        return -1;
    }
    long long nv = 0;
    for (long long r = 0; r < n; r++)
        if (!isnan(x[r]))
            v[nv++] = x[r];
    qsort(v, (size_t)nv, sizeof *v, cmp_d);
    long long nd = 0;
    for (long long i = 0; i < nv; i++)
        if (nd == 0 || v[nd - 1] != v[i])
            v[nd++] = v[i];
    if (nd > INT32_MAX - 1) {
        free(v);
        free(c);
        return qerr_set(err, QE_DATA, "column '%s' has more than %d distinct values",
                        f->names[j], INT32_MAX - 1);
    }
    for (long long r = 0; r < n; r++) {
        if (isnan(x[r])) {
            c[r] = -1;
            continue;
        }
        long long lo = 0, hi = nd - 1;
        while (lo < hi) {
            long long mid = (lo + hi) / 2;
            if (v[mid] < x[r])
                lo = mid + 1;
            else
                hi = mid;
        }
        c[r] = (int32_t)lo;
    }
    if (names_to)
        for (long long i = 0; i < nd; i++) {
            char s[64];
            snprintf(s, sizeof s, "%.15g", v[i]);
            ent_name(names_to, xstrdup(s));
        }
    free(v);
    *n_codes = (int)nd;
    *codes = c;
    return 0;
}

int
fim_db_from_long(struct fim_db *db, const struct frame *f, int tid_col, int item_col,
                 struct qerr *err)
{
    struct entries e = {0};
    int32_t *tc = NULL, *ic = NULL;
    int n_t = 0, n_i = 0, rc = -1;
    long long skipped = 0;
    if (column_codes(f, tid_col, &tc, NULL, &n_t, err) < 0 ||
        column_codes(f, item_col, &ic, &e, &n_i, err) < 0)
        goto out;
    for (long long r = 0; r < f->n_rows; r++) {
        if (tc[r] < 0 || ic[r] < 0)
            skipped++;
        else if (ent_add(&e, tc[r], ic[r], err) < 0)
            goto out;
    }
    rc = build(db, &e, n_t, err);
    if (rc == 0)
        db->n_skipped = skipped;
out:
    free(tc);
    free(ic);
    ent_release(&e);
    return rc;
}

int
fim_db_from_basket(struct fim_db *db, const struct frame *f, int col, char sep,
                   struct qerr *err)
{
    if (f->kind[col] != FRAME_TEXT)
        return qerr_set(err, QE_ARG, "basket column '%s' holds numbers, not lists of items",
                        f->names[col]);
    struct entries e = {0};
    struct smap m = {0};
    struct buf item;
    buf_init(&item);
    int nl = f->n_levels[col], rc = -1;
    /* each distinct basket text is split once: lo[l]..lo[l+1] in its own list */
    long long *lo = xcalloc((size_t)nl + 1, sizeof *lo), nlist = 0, cap = 0;
    int32_t *list = NULL;
    for (int l = 0; l < nl; l++) {
        const char *s = f->levels[col][l];
        lo[l] = nlist;
        for (;;) {
            const char *end = strchr(s, sep);
            size_t len = end ? (size_t)(end - s) : strlen(s);
            while (len && (*s == ' ' || *s == '\t'))
                s++, len--;
            while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
                len--;
            if (len) {
                buf_reset(&item);
                buf_add(&item, s, len);
                int raw = smap_get(&m, item.data, -1);
                if (raw < 0) {
                    char *k = xstrdup(item.data);
                    raw = smap_get(&m, k, ent_name(&e, k));
                }
                if (nlist == cap) {
                    cap = cap ? 2 * cap : 256;
                    list = xrealloc(list, (size_t)cap * sizeof *list);
                }
                list[nlist++] = raw;
            }
            if (!end)
                break;
            s = end + 1;
        }
    }
    lo[nl] = nlist;
    for (long long r = 0; r < f->n_rows; r++) {
        int32_t l = f->code[col][r];
        if (l < 0)
            continue;
        for (long long i = lo[l]; i < lo[l + 1]; i++)
            if (ent_add(&e, r, list[i], err) < 0)
                goto out;
    }
    rc = build(db, &e, f->n_rows, err);
out:
    free(lo);
    free(list);
    buf_release(&item);
    smap_release(&m);
    ent_release(&e);
    return rc;
}

/* 1 true word, 0 false word, -1 neither. */
static int
truth_word(const char *s)
{
    static const char *const yes[] = {"t", "true", "yes", "y", "1"};
    static const char *const no[] = {"f", "false", "no", "n", "0"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
        if (strcasecmp(s, yes[i]) == 0)
            return 1;
        if (strcasecmp(s, no[i]) == 0)
            return 0;
    }
    return -1;
}

int
fim_db_from_onehot(struct fim_db *db, const struct frame *f, struct qerr *err)
{
    struct entries e = {0};
    int rc = -1;
    int32_t *lev = NULL; /* a text column's level -> raw item (-1: none) */
    for (int j = 0; j < f->n_cols; j++) {
        if (f->kind[j] == FRAME_NUM) {
            int raw = ent_name(&e, xstrdup(f->names[j]));
            const double *x = frame_col(f, j);
            for (long long r = 0; r < f->n_rows; r++)
                if (!isnan(x[r]) && x[r] != 0 && ent_add(&e, r, raw, err) < 0)
                    goto out;
            continue;
        }
        int nl = f->n_levels[j], boolean = 1;
        lev = xrealloc(lev, ((size_t)nl + 1) * sizeof *lev);
        for (int l = 0; l < nl; l++)
            if (truth_word(f->levels[j][l]) < 0)
                boolean = 0;
        int raw = boolean ? ent_name(&e, xstrdup(f->names[j])) : -1;
        for (int l = 0; l < nl; l++) {
            if (boolean) {
                lev[l] = truth_word(f->levels[j][l]) == 1 ? raw : -1;
            } else {
                struct buf b;
                buf_init(&b);
                buf_addf(&b, "%s=%s", f->names[j], f->levels[j][l]);
                lev[l] = ent_name(&e, buf_detach(&b));
            }
        }
        for (long long r = 0; r < f->n_rows; r++) {
            int32_t l = f->code[j][r];
            if (l >= 0 && lev[l] >= 0 && ent_add(&e, r, lev[l], err) < 0)
                goto out;
        }
    }
    rc = build(db, &e, f->n_rows, err);
out:
    free(lev);
    ent_release(&e);
    return rc;
}

int
fim_db_find(const struct fim_db *db, const char *name)
{
    int lo = 0, hi = db->n_items - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2, c = strcmp(db->names[mid], name);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

void
fim_db_release(struct fim_db *db)
{
    if (db->names)
        for (int i = 0; i < db->n_items; i++)
            free(db->names[i]);
    free(db->names);
    free(db->off);
    free(db->items);
    memset(db, 0, sizeof *db);
}
