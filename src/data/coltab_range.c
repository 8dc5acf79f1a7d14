/*
 * coltab_range.c: comparisons of a numeric column with a number (c > 0,
 * c <= 2.5) taken by a column table's full scan (coltab_int.h,
 * cs_range_plan and cs_range_slots): the rows that can satisfy them are
 * found by one pass over the arrays, and SQLite walks only those.
 *
 * SQLite still tests every comparison on the rows it is given (no
 * constraint is omitted), so a row kept here only has to be one that
 * could match: a NULL cell matches no comparison and is left out; a
 * number is compared exactly (an integer beside a double as a long
 * double, which holds every int64); text and blobs are kept for SQLite
 * to compare. The plan's cost stays the full scan's, so SQLite chooses
 * the same plan as without, and only comparisons with a number known
 * when planning are taken (no other table becomes a prerequisite).
 */
#include "data/coltab_int.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/banned.h"

/* At most this many comparisons are taken; SQLite tests the rest. */
#define RANGE_MAX 8

/* One comparison as cs_range_slots applies it. */
struct range {
    int col, op; /* SQLITE_INDEX_CONSTRAINT_GT, _GE, _LT or _LE */
    int is_int;  /* the number is an integer (i), else a double (r) */
    sqlite3_int64 i;
    double r;
};

int
cs_range_plan(const struct store *t, sqlite3_index_info *ix)
{
    char buf[RANGE_MAX * 24 + 8];
    int used = 0, len = 0;
    for (int k = 0; k < ix->nConstraint && used < RANGE_MAX; k++) {
        const struct sqlite3_index_constraint *c = &ix->aConstraint[k];
        int op = c->op;
        if (!c->usable || c->iColumn < 0 || c->iColumn >= t->ncol ||
            (op != SQLITE_INDEX_CONSTRAINT_GT && op != SQLITE_INDEX_CONSTRAINT_GE &&
             op != SQLITE_INDEX_CONSTRAINT_LT && op != SQLITE_INDEX_CONSTRAINT_LE))
            continue;
        enum aff a = t->aff[c->iColumn];
        if (a != AFF_REAL && a != AFF_INTEGER && a != AFF_NUMERIC)
            continue;
        sqlite3_value *rhs = NULL;
        if (sqlite3_vtab_rhs_value(ix, k, &rhs) != SQLITE_OK || !rhs)
            continue;
        int vt = sqlite3_value_type(rhs);
        if (vt != SQLITE_INTEGER && vt != SQLITE_FLOAT)
            continue;
        ix->aConstraintUsage[k].argvIndex = ++used;
        len += snprintf(buf + len, sizeof buf - (size_t)len, "%d %d ", c->iColumn, op);
    }
    if (!used)
        return 0;
    ix->idxStr = sqlite3_mprintf("r %s", buf);
    ix->needToFreeIdxStr = ix->idxStr != NULL;
    if (!ix->idxStr) { /* not taken */
        for (int k = 0; k < ix->nConstraint; k++)
            ix->aConstraintUsage[k].argvIndex = 0;
        return 0;
    }
    return used;
}

/* -1, 0 or 1 as a < b, a == b, a > b, for a cell's number and the comparison's. */
static inline int
cmp_num(const union cval *v, unsigned char ty, const struct range *g)
{
    if (ty == SQLITE_FLOAT && !g->is_int)
        return (v->r > g->r) - (v->r < g->r);
    if (ty == SQLITE_INTEGER && g->is_int)
        return (v->i > g->i) - (v->i < g->i);
    long double a = ty == SQLITE_FLOAT ? (long double)v->r : (long double)v->i;
    long double b = g->is_int ? (long double)g->i : (long double)g->r;
    return (a > b) - (a < b);
}

/* Could a cell of class ty and value v satisfy g? */
static inline int
could(const union cval *v, unsigned char ty, const struct range *g)
{
    if (ty == SQLITE_NULL)
        return 0;
    if (ty != SQLITE_INTEGER && ty != SQLITE_FLOAT)
        return 1; /* text or a blob: SQLite compares */
    int d = cmp_num(v, ty, g);
    switch (g->op) {
    case SQLITE_INDEX_CONSTRAINT_GT: return d > 0;
    case SQLITE_INDEX_CONSTRAINT_GE: return d >= 0;
    case SQLITE_INDEX_CONSTRAINT_LT: return d < 0;
    default: return d <= 0;
    }
}

int
cs_range_slots(const struct store *t, const char *idxstr, sqlite3_value **argv,
               long long **slots, long long *n)
{
    struct range g[RANGE_MAX];
    int ng = 0, at = 0, col, op;
    const char *s = idxstr + 1;
    for (int a = 0; a < RANGE_MAX && sscanf(s, "%d %d %n", &col, &op, &at) == 2; a++) {
        s += at;
        sqlite3_value *v = argv[a];
        int vt = sqlite3_value_type(v);
        g[ng] = (struct range){.col = col, .op = op, .is_int = vt == SQLITE_INTEGER};
        if (vt == SQLITE_INTEGER)
            g[ng].i = sqlite3_value_int64(v);
        else if (vt == SQLITE_FLOAT)
            g[ng].r = sqlite3_value_double(v);
        else
            continue; /* not the number planned with: SQLite tests it */
        ng++;
    }
    long long *out = malloc(((size_t)t->n + 1) * sizeof(*out)), m = 0;
    if (!out)
        return SQLITE_NOMEM;
    for (long long i = 0; i < t->n; i++) {
        int keep = t->live[i];
        for (int k = 0; k < ng && keep; k++) {
            const struct column *c = &t->col[g[k].col];
            keep = could(&c->v[i], c->ty[i], &g[k]);
        }
        out[m] = i;
        m += keep;
    }
    *slots = out;
    *n = m;
    return SQLITE_OK;
}
