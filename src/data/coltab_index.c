/*
 * coltab_index.c: hash indexes on a column table's columns, built on
 * demand for `column = ?` (a join's inner table, docs/COLUMNS.md), so a
 * lookup costs the rows that can match, not a scan of the table.
 *
 * An index is a chained hash table over the column's cells: numbers by
 * their value as a double (an integer and a real that are equal land
 * together; -0 is 0), text by its bytes. It is built the first time a
 * lookup needs it and again after any write to the table (t->gen moves
 * on every write, undo included). A lookup hands back candidate slots, a
 * superset of the rows that can equal the value under SQLite's rules:
 * SQLite checks every constraint again on each row given, so the answer
 * is the one a scan gives. What it gives:
 *   - a number: the cells equal to it as numbers, and every text or blob
 *     cell (affinity could make one equal);
 *   - text, compared with BINARY: the text cells with the same bytes, and
 *     when the text reads as a number (as numeric affinity would read it)
 *     the cells equal to that number;
 *   - NULL: nothing (= with NULL is never true);
 *   - anything else (a blob, text under another collation): not used, the
 *     caller scans.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "data/coltab_int.h"

#include "base/banned.h"

struct cs_index {
    unsigned long long gen; /* t->gen when built */
    long long cap;          /* buckets, a power of two */
    long long *head;        /* [cap] first slot of the bucket, or -1 */
    long long *next;        /* [n] next slot in the same bucket, or -1 */
    long long *other;       /* text and blob slots, ascending */
    long long n_other;
    long long n_chains;     /* buckets in use: about the distinct values */
};

static uint64_t
mix(uint64_t b)
{
    b ^= b >> 30;
    b *= 0xbf58476d1ce4e5b9ULL;
    b ^= b >> 27;
    b *= 0x94d049bb133111ebULL;
    return b ^ (b >> 31);
}

static uint64_t
hash_num(double d)
{
    if (d == 0)
        d = 0.0;
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    return mix(b);
}

static uint64_t
hash_text(const char *p, int n)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (int i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
    return mix(h ^ 0x5bd1e995);
}

static int
is_num(const struct cell *c)
{
    return c->ty == SQLITE_INTEGER || c->ty == SQLITE_FLOAT;
}

static double
num_of(const struct cell *c)
{
    return c->ty == SQLITE_INTEGER ? (double)c->v.i : c->v.r;
}

static void
index_free(struct cs_index *x)
{
    if (!x)
        return;
    free(x->head);
    free(x->next);
    free(x->other);
    free(x);
}

void
cs_index_free(struct store *t)
{
    if (!t->idx)
        return;
    for (int c = 0; c < t->ncol; c++)
        index_free(t->idx[c]);
    free(t->idx);
    t->idx = NULL;
}

/* Build column col's index over slots 0..n-1. NULL: out of memory. */
static struct cs_index *
build(const struct store *t, int col)
{
    struct cs_index *x = calloc(1, sizeof(*x));
    if (!x)
        return NULL;
    long long cap = 1024;
    while (cap < 2 * t->n)
        cap *= 2;
    x->cap = cap;
    x->gen = t->gen;
    x->head = malloc((size_t)cap * sizeof(*x->head));
    x->next = malloc((size_t)(t->n ? t->n : 1) * sizeof(*x->next));
    long long n_other = 0;
    for (long long i = 0; i < t->n; i++)
        n_other += t->col[col].ty[i] == SQLITE_TEXT || t->col[col].ty[i] == SQLITE_BLOB;
    x->other = malloc((size_t)(n_other ? n_other : 1) * sizeof(*x->other));
    if (!x->head || !x->next || !x->other) {
        index_free(x);
        return NULL;
    }
    memset(x->head, 0xff, (size_t)cap * sizeof(*x->head)); /* -1 */
    /* backwards, so each bucket's chain runs in ascending slots */
    for (long long i = t->n; i-- > 0;) {
        const struct cell cell = cs_get(t, col, i), *c = &cell;
        x->next[i] = -1;
        uint64_t h;
        if (is_num(c))
            h = hash_num(num_of(c));
        else if (c->ty == SQLITE_TEXT)
            h = hash_text(c->v.p, c->n);
        else
            continue;
        long long b = (long long)(h & (uint64_t)(cap - 1));
        x->n_chains += x->head[b] < 0;
        x->next[i] = x->head[b];
        x->head[b] = i;
    }
    for (long long i = 0; i < t->n; i++)
        if (t->col[col].ty[i] == SQLITE_TEXT || t->col[col].ty[i] == SQLITE_BLOB)
            x->other[x->n_other++] = i;
    return x;
}

struct slots {
    long long *v;
    long long n, cap;
};

static int
push(struct slots *s, long long i)
{
    if (s->n == s->cap) {
        long long cap = s->cap ? 2 * s->cap : 16;
        long long *v = realloc(s->v, (size_t)cap * sizeof(*v));
        if (!v)
            return SQLITE_NOMEM;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = i;
    return SQLITE_OK;
}

static int
cmp_slot(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

/* The live cells of the bucket of h equal to number d (num) or to text p[0..n) (!num). */
static int
collect(const struct store *t, int col, const struct cs_index *x, uint64_t h, int num, double d,
        const char *p, int n, struct slots *out)
{
    for (long long i = x->head[h & (uint64_t)(x->cap - 1)]; i >= 0; i = x->next[i]) {
        if (!t->live[i])
            continue;
        const struct cell cell = cs_get(t, col, i), *c = &cell;
        int hit = num ? is_num(c) && num_of(c) == d
                      : c->ty == SQLITE_TEXT && c->n == n && memcmp(c->v.p, p, (size_t)n) == 0;
        if (hit && push(out, i) != SQLITE_OK)
            return SQLITE_NOMEM;
    }
    return SQLITE_OK;
}

/* Column col's index, built or rebuilt when stale; NULL: out of memory. */
static struct cs_index *
index_of(struct store *t, int col)
{
    if (!t->idx && !(t->idx = calloc((size_t)t->ncol, sizeof(*t->idx))))
        return NULL;
    struct cs_index *x = t->idx[col];
    if (x && x->gen != t->gen) {
        index_free(x);
        x = t->idx[col] = NULL;
    }
    if (!x)
        x = t->idx[col] = build(t, col);
    return x;
}

long long
cs_index_estimate(struct store *t, int col, sqlite3_value *v, int binary)
{
    if (v) { /* a value known when the plan is made: count what it finds */
        long long *slots = NULL, n = -1;
        if (cs_index_lookup(t, col, v, binary, &slots, &n) != SQLITE_OK)
            return -1;
        free(slots);
        return n;
    }
    struct cs_index *x = t->n ? index_of(t, col) : NULL;
    if (!x)
        return t->n ? -1 : 0;
    long long per = x->n_chains ? (t->n - x->n_other) / x->n_chains : 0;
    return per + x->n_other;
}

int
cs_index_lookup(struct store *t, int col, sqlite3_value *v, int binary, long long **out,
                long long *n)
{
    *out = NULL;
    *n = -1;
    int vt = sqlite3_value_type(v);
    if (vt == SQLITE_NULL) {
        *n = 0;
        return SQLITE_OK;
    }
    if (vt == SQLITE_BLOB || (vt == SQLITE_TEXT && !binary))
        return SQLITE_OK; /* the caller scans */
    struct cs_index *x = index_of(t, col);
    if (!x)
        return SQLITE_NOMEM;
    struct slots s = {0};
    int rc = SQLITE_OK, sorted = 1;
    if (vt == SQLITE_INTEGER || vt == SQLITE_FLOAT) {
        double d = vt == SQLITE_INTEGER ? (double)sqlite3_value_int64(v) : sqlite3_value_double(v);
        rc = collect(t, col, x, hash_num(d), 1, d, NULL, 0, &s);
        for (long long k = 0; k < x->n_other && rc == SQLITE_OK; k++)
            if (t->live[x->other[k]])
                rc = push(&s, x->other[k]);
        sorted = x->n_other == 0;
    } else {
        const char *p = (const char *)sqlite3_value_text(v);
        int len = sqlite3_value_bytes(v);
        if (!p)
            return SQLITE_NOMEM;
        rc = collect(t, col, x, hash_text(p, len), 0, 0, p, len, &s);
        /* numeric affinity could read the text as a number */
        sqlite3_value *dup = rc == SQLITE_OK ? sqlite3_value_dup(v) : NULL;
        if (rc == SQLITE_OK && !dup)
            rc = SQLITE_NOMEM;
        if (rc == SQLITE_OK) {
            int nt = sqlite3_value_numeric_type(dup);
            if (nt == SQLITE_INTEGER || nt == SQLITE_FLOAT) {
                double d = nt == SQLITE_INTEGER ? (double)sqlite3_value_int64(dup)
                                                : sqlite3_value_double(dup);
                rc = collect(t, col, x, hash_num(d), 1, d, NULL, 0, &s);
                sorted = 0;
            }
        }
        sqlite3_value_free(dup);
    }
    if (rc != SQLITE_OK) {
        free(s.v);
        return rc;
    }
    if (!sorted && s.n > 1) {
        qsort(s.v, (size_t)s.n, sizeof(*s.v), cmp_slot);
        long long k = 0; /* a slot met twice (text that is also a number's bucket) once */
        for (long long i = 0; i < s.n; i++)
            if (k == 0 || s.v[i] != s.v[k - 1])
                s.v[k++] = s.v[i];
        s.n = k;
    }
    *out = s.v;
    *n = s.n;
    return SQLITE_OK;
}
