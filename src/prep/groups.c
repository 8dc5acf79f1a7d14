/*
 * groups.c: key column -> dense group ids. Integer keys over a range at
 * most a few times the row count index a direct table (one pass, no
 * sort); other numbers are sorted and looked up by binary search; text
 * keys are the frame's dictionary codes, renumbered in sorted order.
 */
#include "prep/groups.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/tick.h"
#include "base/banned.h"

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

struct level {
    const char *text;
    int32_t code;
};

static int
cmp_level(const void *a, const void *b)
{
    return strcmp(((const struct level *)a)->text, ((const struct level *)b)->text);
}

static int
group_text(struct groups *g, const struct frame *f, int col, struct tick *t, struct qerr *err)
{
    int nl = f->n_levels[col], rc = -1;
    const int32_t *code = f->code[col];
    struct level *order = mem_alloc((size_t)nl + 1, sizeof(*order), "groups", "keys", err);
    int32_t *rank = mem_alloc((size_t)nl + 1, sizeof(*rank), "groups", "keys", err);
    unsigned char *used = mem_calloc((size_t)nl + 1, 1, "groups", "keys", err);
    if (!order || !rank || !used)
        goto out;
    for (long long r = 0; r < f->n_rows; r++) {
        if (tick_row(t, r, f->n_rows))
            goto cancel;
        if (code[r] >= 0)
            used[code[r]] = 1;
    }
    int n = 0;
    for (int i = 0; i < nl; i++)
        if (used[i])
            order[n++] = (struct level){f->levels[col][i], i};
    if (tick_sort(order, (size_t)n, sizeof(*order), cmp_level, t, "groups", err) < 0)
        goto out;
    g->key_text = mem_alloc((size_t)n + 1, sizeof(*g->key_text), "groups", "keys", err);
    if (!g->key_text)
        goto out;
    for (int i = 0; i < n; i++) {
        rank[order[i].code] = i;
        g->key_text[i] = order[i].text;
    }
    for (long long r = 0; r < f->n_rows; r++) {
        if (tick_row(t, r, f->n_rows))
            goto cancel;
        g->id[r] = code[r] >= 0 ? rank[code[r]] : -1;
        g->n_missing += code[r] < 0;
    }
    g->n_groups = n;
    rc = 0;
    goto out;
cancel:
    tick_fail(err);
out:
    free(order);
    free(rank);
    free(used);
    return rc;
}

static int
group_num(struct groups *g, const struct frame *f, int col, struct tick *t, struct qerr *err)
{
    const double *x = frame_col(f, col);
    long long n = 0;
    double lo = INFINITY, hi = -INFINITY;
    int integral = 1;
    for (long long r = 0; r < f->n_rows; r++) {
        if (tick_row(t, r, f->n_rows))
            return tick_fail(err);
        if (isnan(x[r]))
            continue;
        n++;
        if (x[r] < lo)
            lo = x[r];
        if (x[r] > hi)
            hi = x[r];
        integral &= x[r] == floor(x[r]);
    }
    if (n == 0) {
        for (long long r = 0; r < f->n_rows; r++)
            g->id[r] = -1;
        g->n_missing = f->n_rows;
        g->key_num = mem_alloc(1, sizeof(double), "groups", "keys", err);
        return g->key_num ? 0 : -1;
    }
    /* Direct table when the key range is small: ids are keys - lo, compacted. */
    if (integral && hi - lo < 4.0 * (double)n + 1024) {
        long long span = (long long)(hi - lo) + 1;
        int32_t *slot = mem_alloc((size_t)span, sizeof(*slot), "groups", "key slots", err);
        if (!slot)
            return -1;
        for (long long i = 0; i < span; i++)
            slot[i] = -1;
        for (long long r = 0; r < f->n_rows; r++) {
            if (tick_row(t, r, f->n_rows)) {
                free(slot);
                return tick_fail(err);
            }
            if (!isnan(x[r]))
                slot[(long long)(x[r] - lo)] = 0;
        }
        long long k = 0;
        for (long long i = 0; i < span; i++)
            if (slot[i] == 0) {
                if (k >= INT32_MAX) {
                    free(slot);
                    return qerr_set(err, QE_NOMEM, "more than %d groups", INT32_MAX);
                }
                slot[i] = (int32_t)k++;
            }
        g->key_num = mem_alloc((size_t)k, sizeof(double), "groups", "keys", err);
        if (!g->key_num) {
            free(slot);
            return -1;
        }
        for (long long i = 0; i < span; i++)
            if (slot[i] >= 0)
                g->key_num[slot[i]] = lo + (double)i;
        for (long long r = 0; r < f->n_rows; r++) {
            if (tick_row(t, r, f->n_rows)) {
                free(slot);
                return tick_fail(err);
            }
            g->id[r] = isnan(x[r]) ? -1 : slot[(long long)(x[r] - lo)];
            g->n_missing += isnan(x[r]);
        }
        g->n_groups = (int)k;
        free(slot);
        return 0;
    }
    double *u = mem_alloc((size_t)n, sizeof(double), "groups", "keys to sort", err);
    if (!u)
        return -1;
    long long k = 0;
    for (long long r = 0; r < f->n_rows; r++)
        if (!isnan(x[r]))
            u[k++] = x[r];
    if (tick_sort(u, (size_t)n, sizeof(double), cmp_double, t, "groups", err) < 0) {
        free(u);
        return -1;
    }
    k = 0;
    for (long long i = 0; i < n; i++)
        if (i == 0 || u[i] != u[k - 1])
            u[k++] = u[i];
    if (k > INT32_MAX) {
        free(u);
        return qerr_set(err, QE_NOMEM, "more than %d groups", INT32_MAX);
    }
    for (long long r = 0; r < f->n_rows; r++) {
        if (tick_row(t, r, f->n_rows)) {
            free(u);
            return tick_fail(err);
        }
        if (isnan(x[r])) {
            g->id[r] = -1;
            g->n_missing++;
            continue;
        }
        long long a = 0, b = k - 1;
        while (a < b) {
            long long m = (a + b) / 2;
            if (u[m] < x[r])
                a = m + 1;
            else
                b = m;
        }
        g->id[r] = (int32_t)a;
    }
    g->key_num = u;
    g->n_groups = (int)k;
    return 0;
}

int
groups_init(struct groups *g, const struct frame *f, int col,
            int (*progress)(void *, double), void *pctx, struct qerr *err)
{
    struct tick tk;
    tick_init(&tk, progress, pctx);
    memset(g, 0, sizeof(*g));
    g->n_rows = f->n_rows;
    g->id = mem_alloc((size_t)f->n_rows + 1, sizeof(*g->id), "groups", "rows", err);
    if (!g->id)
        return -1;
    g->is_text = f->kind[col] == FRAME_TEXT;
    int rc = g->is_text ? group_text(g, f, col, &tk, err) : group_num(g, f, col, &tk, err);
    if (rc < 0)
        groups_release(g);
    return rc;
}

void
groups_release(struct groups *g)
{
    free(g->id);
    free(g->key_num);
    free((void *)g->key_text);
    memset(g, 0, sizeof(*g));
}

int
groups_out(const struct groups *g, const int32_t *ids, long long n, const char *name,
           enum catalog_kind decl, struct frame_out *out, void **store, struct qerr *err)
{
    memset(out, 0, sizeof(*out));
    *store = NULL;
    out->name = name;
    if (g->is_text) {
        const char **t = mem_alloc((size_t)n + 1, sizeof(*t), "groups", "result keys", err);
        if (!t)
            return -1;
        for (long long i = 0; i < n; i++)
            t[i] = g->key_text[ids[i]];
        out->decl = CATALOG_TEXT;
        out->text = t;
        *store = (void *)t;
        return 0;
    }
    double *x = mem_alloc((size_t)n + 1, sizeof(*x), "groups", "result keys", err);
    if (!x)
        return -1;
    for (long long i = 0; i < n; i++)
        x[i] = g->key_num[ids[i]];
    out->decl = decl == CATALOG_INTEGER ? CATALOG_INTEGER : CATALOG_REAL;
    out->num = x;
    *store = x;
    return 0;
}

int
groups_level_order(char *const *levels, int n, int *order, int *rank, struct tick *t,
                   struct qerr *err)
{
    struct level *lv = mem_alloc((size_t)n, sizeof(*lv), "groups", "categories", err);
    if (!lv)
        return -1;
    for (int l = 0; l < n; l++) {
        if (tick_row(t, l, n)) {
            free(lv);
            return tick_fail(err);
        }
        lv[l] = (struct level){levels[l], l};
    }
    if (tick_sort(lv, (size_t)n, sizeof(*lv), cmp_level, t, "groups", err) < 0) {
        free(lv);
        return -1;
    }
    for (int l = 0; l < n; l++) {
        if (tick_row(t, l, n)) { /* order and rank are written at random: fresh pages fault */
            free(lv);
            return tick_fail(err);
        }
        order[l] = lv[l].code;
        rank[lv[l].code] = l;
    }
    free(lv);
    return 0;
}
