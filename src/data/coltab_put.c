/*
 * coltab_put.c: coltab_put (coltab.h), columns written straight into a
 * column table's arrays. The request travels as a pointer bound to an
 * INSERT into the table's hidden column quarry_put, so that SQLite opens
 * the table's part of the transaction and savepoints (xBegin, xSavepoint)
 * exactly as for any write, and xUpdate (coltab.c) hands it to cs_put.
 */
#include "data/coltab.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "data/coltab_int.h"

#include "base/banned.h"
#include "base/hot.h"

/* The column named name in store t, by the declared names in t->decl; -1 if none. */
static int
store_col(const struct store *t, const char *name)
{
    /* t->decl is "CREATE TABLE x(<col> <type>, ...)" as declared: walk its names */
    const char *s = strchr(t->decl, '(');
    size_t want = strlen(name);
    for (int c = 0; s && c < t->ncol; c++) {
        s++;
        while (*s == ' ')
            s++;
        char buf[512];
        size_t k = 0;
        if (*s == '"' || *s == '`' || *s == '[') {
            char close = *s == '[' ? ']' : *s;
            for (s++; *s && !(*s == close && s[1] != close); s++) {
                if (*s == close)
                    s++;
                if (k < sizeof buf - 1)
                    buf[k++] = *s;
            }
            if (*s)
                s++;
        } else {
            while (*s && *s != ' ' && *s != ',' && *s != ')') {
                if (k < sizeof buf - 1)
                    buf[k++] = *s;
                s++;
            }
        }
        buf[k] = 0;
        if (k == want && sqlite3_stricmp(buf, name) == 0)
            return c;
        /* to the next top-level comma (a type may hold parentheses: DECIMAL(10, 2)) */
        int depth = 0;
        for (; *s; s++) {
            if (*s == '(')
                depth++;
            else if (*s == ')' && depth-- == 0)
                break;
            else if (*s == ',' && depth == 0)
                break;
        }
        if (*s != ',')
            s = NULL;
    }
    return -1;
}

/* A number as the SQL path stores it in a column of affinity a (coltab_int.h cs_cell_set). */
static inline void
num_cell(double v, int as_int, enum aff a, unsigned char *ty, union cval *out)
{
    out->i = 0;
    if (isnan(v)) {
        *ty = SQLITE_NULL;
        return;
    }
    int whole = v >= -9.2233720368547758e18 && v < 9.2233720368547758e18 &&
                (double)(sqlite3_int64)v == v;
    /* frame_write sends an INTEGER column's whole values below 2^53 as integers */
    int sent_int = as_int && whole && fabs(v) < 9007199254740992.0;
    if (a == AFF_REAL || (!whole && a != AFF_BLOB) || (a == AFF_BLOB && !sent_int)) {
        *ty = SQLITE_FLOAT;
        out->r = a == AFF_REAL && v == 0 ? 0.0 : v; /* -0.0 as REAL affinity stores it */
    } else {
        *ty = SQLITE_INTEGER;
        out->i = (sqlite3_int64)v;
    }
}

/* Slot of row i of a put: slot[i], or i where the rows are the table's own (slot NULL). */
static inline long long
slot_of(const long long *slot, long long i)
{
    return slot ? slot[i] : i;
}

/*
 * The rows i whose cell in column j the numbers c->num change, into
 * d[0..*nd), when they are at most a quarter of the n (a fill of the
 * missing ones); *nd -1 when more change (then d is not used). d has room
 * for n / 4 rows.
 */
static void
changed_cells(const struct store *t, int j, const struct coltab_col *c, const long long *slot,
              long long n, long long *d, long long *nd)
{
    const struct column *dst = &t->col[j];
    long long most = n / 4, k = 0;
    enum aff a = t->aff[j];
    if (a == AFF_REAL && !slot) { /* num_cell's REAL case, inline */
        for (long long i = 0; i < n; i++) {
            double x = c->num[i], r = x == 0 ? 0.0 : x;
            int same = isnan(x) ? dst->ty[i] == SQLITE_NULL
                                : dst->ty[i] == SQLITE_FLOAT && memcmp(&r, &dst->v[i].r, 8) == 0;
            if (same)
                continue;
            if (k == most) {
                *nd = -1;
                return;
            }
            d[k++] = i;
        }
        *nd = k;
        return;
    }
    for (long long i = 0; i < n; i++) {
        long long s = slot_of(slot, i);
        unsigned char ty;
        union cval v;
        num_cell(c->num[i], c->as_int, a, &ty, &v);
        if (ty == dst->ty[s] && (ty == SQLITE_NULL || v.i == dst->v[s].i))
            continue;
        if (k == most) {
            *nd = -1;
            return;
        }
        d[k++] = i;
    }
    *nd = k;
}

/*
 * Numbers c->num into column j at the put's rows, with the copy for undo
 * first: when few cells change (a fill of the missing ones) only those
 * cells are copied and written, else the whole column is copied once
 * (cs_touch) and every cell written. fresh: the table had no rows (no
 * copy). SQLITE_NOMEM or OK.
 */
static int
put_num(struct store *t, int j, const struct coltab_col *c, const long long *slot, long long n,
        int fresh)
{
    struct column *dst = &t->col[j];
    enum aff a = t->aff[j];
    long long most = n / 4, nd = -1;
    long long *d = !fresh && most ? malloc((size_t)most * sizeof(*d)) : NULL;
    int rc = SQLITE_OK;
    if (d)
        changed_cells(t, j, c, slot, n, d, &nd);
    if (nd >= 0) {
        /* the undo copy of those cells needs their slots; d keeps the rows */
        long long *ds = slot ? malloc((size_t)(nd ? nd : 1) * sizeof(*ds)) : d;
        if (!ds) {
            free(d);
            return SQLITE_NOMEM;
        }
        for (long long k = 0; slot && k < nd; k++)
            ds[k] = slot[d[k]];
        rc = cs_touch_cells(t, j, ds, nd);
        for (long long k = 0; rc == SQLITE_OK && k < nd; k++)
            num_cell(c->num[d[k]], c->as_int, a, &dst->ty[ds[k]], &dst->v[ds[k]]);
        if (ds != d)
            free(ds);
        free(d);
        return rc;
    }
    free(d);
    if (!fresh && (rc = cs_touch(t, j)) != SQLITE_OK)
        return rc;
    if (a == AFF_REAL && !slot) {
        /* the usual case (normalize's columns): what num_cell gives, as a loop the compiler
         * can vectorize */
        for (long long i = 0; i < n; i++) {
            double x = c->num[i];
            dst->ty[i] = isnan(x) ? SQLITE_NULL : SQLITE_FLOAT;
            dst->v[i].r = isnan(x) ? 0.0 : x == 0 ? 0.0 : x;
        }
        return SQLITE_OK;
    }
    for (long long i = 0; i < n; i++) {
        long long s = slot_of(slot, i);
        num_cell(c->num[i], c->as_int, a, &dst->ty[s], &dst->v[s]);
    }
    return SQLITE_OK;
}

/* ty[i]: NULL for a NaN x[i], else REAL; and -0.0 made 0.0, as REAL affinity stores it
 * (x is written only when it holds one). */
HOT static void
real_classes(double *restrict x, unsigned char *restrict ty, long long n)
{
    uint64_t neg0 = 0;
    for (long long i = 0; i < n; i++) {
        double v = x[i];
        uint64_t b;
        memcpy(&b, &v, sizeof b);
        ty[i] = v != v ? SQLITE_NULL : SQLITE_FLOAT;
        neg0 |= b == 0x8000000000000000ULL;
    }
    for (long long i = 0; neg0 && i < n; i++)
        x[i] = x[i] == 0 ? 0.0 : x[i];
}

/*
 * Column j of a table made by this put (its cap exactly n) keeps the
 * caller's array c->num as its values (coltab.h give): a REAL column, where
 * a cell's 8 bytes are the double itself. NaN is a NULL cell (its 8 bytes,
 * unread, stay NaN), -0.0 becomes 0.0 as REAL affinity stores it.
 */
static void
adopt_num(struct store *t, int j, const struct coltab_col *c, long long n)
{
    struct column *dst = &t->col[j];
    double *x = *c->give;
    real_classes(x, dst->ty, n);
    cs_cells_free(t, dst->v);
    dst->v = (union cval *)x;
    *c->give = NULL;
}

/*
 * Value v as an INSERT into a column of affinity a stores it, into *x, when
 * that needs no SQL conversion; 0 when it does (a number into a TEXT column,
 * text into a numeric one).
 */
static int
plain_cell(const struct coltab_value *v, enum aff a, struct cell *x)
{
    x->n = 0;
    switch (v->type) {
    case SQLITE_INTEGER:
        if (a == AFF_TEXT)
            return 0;
        x->ty = a == AFF_REAL ? SQLITE_FLOAT : SQLITE_INTEGER;
        if (a == AFF_REAL)
            x->v.r = (double)v->i;
        else
            x->v.i = v->i;
        return 1;
    case SQLITE_FLOAT:
        if (a == AFF_TEXT)
            return 0;
        if ((a == AFF_INTEGER || a == AFF_NUMERIC) && v->d >= -9.2233720368547758e18 &&
            v->d < 9.2233720368547758e18 && (double)(sqlite3_int64)v->d == v->d) {
            x->ty = SQLITE_INTEGER;
            x->v.i = (sqlite3_int64)v->d;
        } else {
            x->ty = SQLITE_FLOAT;
            x->v.r = a == AFF_REAL && v->d == 0 ? 0.0 : v->d; /* cs_value_cell: -0.0 */
        }
        return 1;
    case SQLITE_TEXT:
        if (a != AFF_TEXT && a != AFF_BLOB)
            return 0;
        x->ty = SQLITE_TEXT;
        x->v.p = v->s;
        x->n = (int)v->len;
        return 1;
    default:
        x->ty = SQLITE_NULL;
        return 1;
    }
}

/* Cell i of column col gets v through SQL's own conversion (SELECT ?1 gives the value,
 * cs_value_cell applies the affinity); *sel is prepared the first time. */
static int
sql_cell(sqlite3 *db, sqlite3_stmt **sel, struct store *t, int col, long long i,
         const struct coltab_value *v)
{
    int rc = *sel ? SQLITE_OK : sqlite3_prepare_v2(db, "SELECT ?1", -1, sel, NULL);
    if (rc != SQLITE_OK)
        return rc;
    if (v->type == SQLITE_INTEGER)
        rc = sqlite3_bind_int64(*sel, 1, v->i);
    else if (v->type == SQLITE_FLOAT)
        rc = sqlite3_bind_double(*sel, 1, v->d);
    else
        rc = sqlite3_bind_text64(*sel, 1, v->s, v->len, SQLITE_STATIC, SQLITE_UTF8);
    if (rc == SQLITE_OK && (rc = sqlite3_step(*sel)) == SQLITE_ROW) {
        sqlite3_value *x = sqlite3_value_dup(sqlite3_column_value(*sel, 0));
        rc = x ? cs_cell_set(t, col, i, x) : SQLITE_NOMEM;
        sqlite3_value_free(x);
    }
    sqlite3_reset(*sel);
    return rc;
}

/* Rows appended before the text columns' bytes a row are taken as the rest's (cs_append). */
#define APPEND_PROBE 4096

/* Room in column c's arena for more bytes past its end; when that fails, cs_set grows it. */
static void
arena_reserve(struct column *c, size_t more)
{
    size_t want = c->alen + more;
    if (want <= c->acap)
        return;
    char *p = realloc(c->arena, want);
    if (!p)
        return;
    c->arena = p;
    c->acap = want;
}

/* Cell `at` of column col (past the rows) gets x: a number or NULL in place, text by cs_set. */
static int
append_cell(struct store *t, int col, long long at, const struct cell *x)
{
    struct column *c = &t->col[col];
    if (x->ty == SQLITE_TEXT || c->ty[at] == SQLITE_TEXT || c->ty[at] == SQLITE_BLOB)
        return cs_set(t, col, at, x); /* the arena, and what an earlier failed append left */
    c->ty[at] = x->ty;
    c->v[at].i = x->ty == SQLITE_NULL ? 0 : x->v.i;
    return SQLITE_OK;
}

/* Texts an append has stored, by the source's code (coltab_value.code): a few per column. */
#define SHARED_SLOTS 64
struct shared_text {
    int code; /* 0: empty */
    sqlite3_int64 off;
};

/*
 * Cell `at` of column col (past the rows, no text there) gets v's text,
 * a coded one: the offset of the same code's text stored before, else the
 * text by cs_set, remembered. *cache is made the first time.
 */
static int
shared_cell(struct store *t, int col, long long at, const struct coltab_value *v,
            struct shared_text **cache)
{
    struct column *c = &t->col[col];
    struct cell x = {.ty = SQLITE_TEXT, .n = (int)v->len, .v.p = v->s};
    if (!*cache && !(*cache = calloc((size_t)t->ncol * SHARED_SLOTS, sizeof(**cache))))
        return cs_set(t, col, at, &x);
    struct shared_text *e = &(*cache)[(size_t)col * SHARED_SLOTS + (v->code & (SHARED_SLOTS - 1))];
    if (e->code == v->code) {
        c->ty[at] = SQLITE_TEXT;
        c->v[at].off = e->off;
        return SQLITE_OK;
    }
    int rc = cs_set(t, col, at, &x);
    if (rc == SQLITE_OK) {
        e->code = v->code;
        e->off = c->v[at].off;
    }
    return rc;
}

/*
 * coltab_append's rows into t, past its last row; on failure t->n goes
 * back. With the source's row hint, the arrays are made that long at
 * once, and after APPEND_PROBE rows each text arena is made long enough
 * for the rest at the bytes a row seen so far: growing them by doubling
 * copied every array about once, and the copies' page faults were most
 * of a 1M-row load's.
 */
static int
cs_append(struct store *t, struct cs_put *p)
{
    const struct coltab_rows *src = p->rows;
    if (src->n_cols != t->ncol || (t->n > 0 && !t->live[t->n - 1]))
        return SQLITE_OK; /* not taken */
    int rc = cs_touch(t, -1);
    if (rc != SQLITE_OK)
        return rc;
    long long n0 = t->n, hint = src->n_hint > 0 ? src->n_hint + src->n_hint / 16 : 0;
    sqlite3_int64 r = t->n ? t->rid[t->n - 1] : 0;
    sqlite3_stmt *sel = NULL;
    struct shared_text *shared = NULL;
    size_t *alen0 = hint > APPEND_PROBE ? malloc((size_t)t->ncol * sizeof(*alen0)) : NULL;
    if (hint)
        cs_grow(t, n0 + hint); /* a failure is left to the growth row by row */
    for (int c = 0; alen0 && c < t->ncol; c++)
        alen0[c] = t->col[c].alen;
    p->taken = 1;
    int more = 0;
    while (rc == SQLITE_OK && (more = src->next(src->ctx)) > 0) {
        if ((rc = cs_grow(t, t->n + 1)) != SQLITE_OK)
            break;
        long long at = t->n;
        if (alen0 && at - n0 == APPEND_PROBE)
            for (int c = 0; c < t->ncol; c++)
                if (t->col[c].alen > alen0[c])
                    arena_reserve(&t->col[c], (t->col[c].alen - alen0[c]) *
                                                  (size_t)(hint - APPEND_PROBE) / APPEND_PROBE);
        for (int c = 0; c < t->ncol && rc == SQLITE_OK; c++) {
            struct coltab_value v = {.type = SQLITE_NULL};
            struct cell x;
            struct column *col = &t->col[c];
            size_t alen = col->alen;
            src->value(src->ctx, c, &v);
            if (v.type == SQLITE_TEXT && v.code > 0 &&
                (t->aff[c] == AFF_TEXT || t->aff[c] == AFF_BLOB) &&
                col->ty[at] != SQLITE_TEXT && col->ty[at] != SQLITE_BLOB)
                rc = shared_cell(t, c, at, &v, &shared);
            else
                rc = plain_cell(&v, t->aff[c], &x) ? append_cell(t, c, at, &x)
                                                   : sql_cell(p->db, &sel, t, c, at, &v);
            if (shared && col->alen < alen) /* compacted: the texts kept for c moved */
                memset(&shared[(size_t)c * SHARED_SLOTS], 0, SHARED_SLOTS * sizeof(*shared));
        }
        t->rid[at] = ++r;
        t->live[at] = 1;
        t->n++;
    }
    if (rc == SQLITE_OK && more < 0)
        rc = SQLITE_ERROR; /* the source's error, in its own qerr */
    if (rc != SQLITE_OK)
        t->n = n0;
    sqlite3_finalize(sel);
    free(alen0);
    free(shared);
    return rc;
}

int
cs_put(struct registry *reg, struct store *t, struct cs_put *p)
{
    if (p->rows)
        return cs_append(t, p);
    int rc = SQLITE_OK;
    int *idx = calloc((size_t)p->n_cols + 1, sizeof(*idx));
    struct store **from = calloc((size_t)p->n_cols + 1, sizeof(*from));
    int *fidx = calloc((size_t)p->n_cols + 1, sizeof(*fidx));
    long long *slot = NULL;
    p->taken = 0;
    if (p->discard) {
        t->discard = 1;
        p->taken = 1;
        goto out;
    }
    if (!idx || !from || !fidx) {
        rc = SQLITE_NOMEM;
        goto out;
    }
    /* Every check first: nothing changes unless all of it can be done. */
    for (long long i = 1; i < p->n_rows; i++)
        if (p->rowid[i] <= p->rowid[i - 1])
            goto out;
    for (int k = 0; k < p->n_cols; k++) {
        const struct coltab_col *c = &p->cols[k];
        if ((idx[k] = store_col(t, c->name)) < 0)
            goto out;
        enum aff a = t->aff[idx[k]];
        if (c->num && a == AFF_TEXT)
            goto out;
        if ((c->text || c->code) && a != AFF_TEXT && a != AFF_BLOB)
            goto out;
        if (c->from) {
            from[k] = cs_lookup(reg, c->from, NULL, 1);
            if (!from[k] || from[k] == t || (fidx[k] = store_col(from[k], c->name)) < 0)
                goto out;
            long long live = 0;
            for (long long i = 0; i < from[k]->n; i++)
                live += from[k]->live[i];
            if (live < p->n_rows) /* fewer: a copy keeping some rows (sample ... as) */
                goto out;
            /* the same affinity, so a cell copied is the cell SQL would store */
            if (from[k]->aff[fidx[k]] != a)
                goto out;
        } else if (!c->num && !c->text && !c->code) {
            goto out;
        }
    }
    /* the rows: made when the table is empty, else found; slot stays NULL where they are
     * the table's rows exactly, in order (a command writing back what it read) */
    int fresh = t->n == 0, same_rows = !fresh && t->n == p->n_rows;
    for (long long i = 0; same_rows && i < t->n; i++)
        same_rows = t->live[i] && t->rid[i] == p->rowid[i];
    if (!fresh && !same_rows) {
        if (!(slot = malloc(((size_t)p->n_rows + 1) * sizeof(*slot)))) {
            rc = SQLITE_NOMEM;
            goto out;
        }
        long long at = 0;
        for (long long i = 0; i < p->n_rows; i++) {
            while (at < t->n && t->rid[at] < p->rowid[i])
                at++;
            if (at == t->n || t->rid[at] != p->rowid[i] || !t->live[at])
                goto out;
            slot[i] = at;
        }
    }
    for (int k = 0; k < p->n_cols; k++) /* from-columns: each row must be there */
        if (from[k]) {
            const struct store *f = from[k];
            long long at = 0;
            for (long long i = 0; i < p->n_rows; i++) {
                while (at < f->n && (!f->live[at] || f->rid[at] < p->rowid[i]))
                    at++;
                if (at == f->n || f->rid[at] != p->rowid[i])
                    goto out;
            }
        }
    /* Now write. */
    if (fresh) {
        if ((rc = cs_touch(t, -1)) != SQLITE_OK ||
            (rc = cs_grow_exact(t, p->n_rows)) != SQLITE_OK)
            goto out;
        memcpy(t->rid, p->rowid, (size_t)p->n_rows * sizeof(*t->rid));
        memset(t->live, 1, (size_t)p->n_rows);
        t->n = p->n_rows;
    }
    for (int k = 0; k < p->n_cols && rc == SQLITE_OK; k++) {
        const struct coltab_col *c = &p->cols[k];
        int j = idx[k];
        if (c->num) {
            if (fresh && c->give && *c->give == c->num && t->aff[j] == AFF_REAL &&
                t->cap == p->n_rows)
                adopt_num(t, j, c, p->n_rows);
            else
                rc = put_num(t, j, c, slot, p->n_rows, fresh);
            continue;
        }
        if (!fresh && (rc = cs_touch(t, j)) != SQLITE_OK)
            break;
        if (c->code) {
            rc = cs_set_codes(t, j, c->code, c->levels, c->n_levels, slot, p->n_rows);
            continue;
        }
        const struct store *f = from[k];
        long long at = 0;
        for (long long i = 0; i < p->n_rows && rc == SQLITE_OK; i++) {
            struct cell x = {.ty = SQLITE_NULL};
            if (f) {
                while (!f->live[at] || f->rid[at] < p->rowid[i])
                    at++;
                x = cs_get(f, fidx[k], at);
            } else if (c->text[i]) {
                x.ty = SQLITE_TEXT;
                x.v.p = c->text[i];
                x.n = (int)strlen(c->text[i]);
            }
            rc = cs_set(t, j, slot_of(slot, i), &x);
        }
    }
    if (rc == SQLITE_OK)
        p->taken = 1;
out:
    free(idx);
    free(from);
    free(fidx);
    free(slot);
    return rc;
}

/* Send request p to the table through its hidden column (coltab.h). */
static int
send_put(sqlite3 *db, const char *table, struct cs_put *p, struct qerr *err)
{
    char *sql = sqlite3_mprintf("INSERT INTO main.\"%w\"(" CS_PUT_COLUMN ") VALUES (?1)", table);
    sqlite3_stmt *st = NULL;
    int rc = sql ? sqlite3_prepare_v2(db, sql, -1, &st, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
    if (rc == SQLITE_OK) {
        sqlite3_bind_pointer(st, 1, p, CS_PUT_TYPE, NULL);
        rc = sqlite3_step(st);
        rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    if (rc != SQLITE_OK) {
        qerr_set(err, rc == SQLITE_NOMEM ? QE_NOMEM : QE_SQL, "writing the columns of %s: %s",
                 table, sqlite3_errmsg(db));
        sqlite3_finalize(st);
        return -1;
    }
    sqlite3_finalize(st);
    return p->taken ? 0 : 1;
}

int
coltab_put(sqlite3 *db, const char *table, const struct coltab_col *cols, int n_cols,
           const sqlite3_int64 *rowid, long long n_rows, struct qerr *err)
{
    struct cs_put p = {.cols = cols, .n_cols = n_cols, .rowid = rowid, .n_rows = n_rows};
    return send_put(db, table, &p, err);
}

int
coltab_append(sqlite3 *db, const char *table, const struct coltab_rows *rows, struct qerr *err)
{
    struct cs_put p = {.rows = rows, .db = db};
    return send_put(db, table, &p, err);
}

int
coltab_discard(sqlite3 *db, const char *table, struct qerr *err)
{
    struct cs_put p = {.discard = 1};
    return send_put(db, table, &p, err) < 0 ? -1 : 0;
}
