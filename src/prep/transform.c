/*
 * transform.c: normalize's fitted transforms in the model store: their
 * payload (state version 1, layout in transform.h), its checks when read
 * back, and the merge of newly fitted columns into a stored transform.
 */
#include "prep/transform.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/banned.h"

const struct store_kind transform_kind = {
    .name = "normalize",
    .is_transform = 1,
    .version = 1,
    .min_version = 1,
};

/* SQLite allows at most 32767 columns in a table: no transform has more. */
#define MAX_COLS 32767
/* The smallest bytes a column takes in the payload: two empty strings and four doubles. */
#define COL_BYTES (4 + 4 + 4 * 8)

void
transform_init(struct transform *t)
{
    memset(t, 0, sizeof *t);
}

void
transform_release(struct transform *t)
{
    for (int i = 0; i < t->n_cols; i++)
        free(t->cols[i]);
    free(t->cols);
    free(t->par);
    transform_init(t);
}

const struct prep_norm_params *
transform_find(const struct transform *t, const char *col)
{
    for (int i = 0; i < t->n_cols; i++)
        if (strcasecmp(t->cols[i], col) == 0)
            return &t->par[i];
    return NULL;
}

void
transform_set(struct transform *t, const char *col, const struct prep_norm_params *p)
{
    for (int i = 0; i < t->n_cols; i++)
        if (strcasecmp(t->cols[i], col) == 0) {
            t->par[i] = *p;
            return;
        }
    t->cols = xrealloc(t->cols, (size_t)(t->n_cols + 1) * sizeof *t->cols);
    t->par = xrealloc(t->par, (size_t)(t->n_cols + 1) * sizeof *t->par);
    t->cols[t->n_cols] = xstrdup(col);
    t->par[t->n_cols++] = *p;
}

void
transform_encode(const struct transform *t, struct buf *out)
{
    store_add_i64(out, t->n_cols);
    for (int i = 0; i < t->n_cols; i++) {
        const struct prep_norm_params *p = &t->par[i];
        store_add_str(out, t->cols[i]);
        store_add_str(out, prep_norm_name(p->method));
        store_add_f64(out, p->center);
        store_add_f64(out, p->scale);
        store_add_f64(out, p->lo);
        store_add_f64(out, p->hi);
    }
}

/* Parameters a fit could have made; else why not, in problem. */
static int
params_valid(const struct prep_norm_params *p, const char **problem)
{
    *problem = NULL;
    if (p->method == PREP_LOG)
        return 0;
    if (!isfinite(p->center) || !isfinite(p->scale) || !(p->scale > 0))
        *problem = "a center or scale that is not a finite number with scale > 0";
    else if (p->method == PREP_MINMAX && !(isfinite(p->lo) && isfinite(p->hi) && p->lo < p->hi))
        *problem = "a range whose low end is not below its high end";
    return *problem ? -1 : 0;
}

int
transform_decode(struct store_reader *r, struct transform *out, struct qerr *err)
{
    struct transform tr, *t = &tr; /* the caller sees it only once all of it is read */
    int64_t n;
    transform_init(t);
    if (store_read_count(r, COL_BYTES, MAX_COLS, &n, err) < 0)
        return -1;
    for (int64_t i = 0; i < n; i++) {
        char *col = NULL, *method = NULL;
        struct prep_norm_params p = {0};
        int known = 0;
        const char *problem = NULL;
        store_read_str(r, &col, err);
        store_read_str(r, &method, err);
        store_read_f64(r, &p.center, err);
        store_read_f64(r, &p.scale, err);
        store_read_f64(r, &p.lo, err);
        store_read_f64(r, &p.hi, err);
        for (int m = PREP_MINMAX; method && m <= PREP_LOG; m++)
            if (strcmp(method, prep_norm_name((enum prep_norm)m)) == 0) {
                p.method = (enum prep_norm)m;
                known = 1;
            }
        if (r->failed) {
            /* the read already said what is wrong */
        } else if (!known) {
            store_read_fail(r, err, "column '%s' has the unknown method '%s'", col, method);
        } else if (!*col || transform_find(t, col)) {
            store_read_fail(r, err, "column '%s' is empty or appears twice", col);
        } else if (params_valid(&p, &problem) < 0) {
            store_read_fail(r, err, "column '%s' has %s", col, problem);
        } else {
            transform_set(t, col, &p);
        }
        free(col);
        free(method);
        if (r->failed)
            break;
    }
    if (store_read_end(r, err) < 0) {
        transform_release(t);
        return -1;
    }
    transform_release(out);
    *out = tr;
    return 0;
}

int
transform_load(struct catalog *cat, const char *name, struct transform *t, struct qerr *err)
{
    struct store_reader r;
    int rc = store_get(cat, &transform_kind, name, &r, err);
    if (rc == 0)
        rc = transform_decode(&r, t, err);
    store_reader_release(&r);
    return rc;
}

/* Columns i and j are described alike in the summary. */
static int
same_method(const struct prep_norm_params *a, const struct prep_norm_params *b)
{
    return a->method == b->method &&
           (a->method != PREP_MINMAX || (a->lo == b->lo && a->hi == b->hi));
}

/* One line for `models`: each method once, in column order ("minmax to [-1, 1], log"). */
static void
summarize(const struct transform *t, struct buf *out)
{
    for (int i = 0; i < t->n_cols; i++) {
        const struct prep_norm_params *p = &t->par[i];
        int seen = 0;
        for (int j = 0; j < i; j++)
            seen |= same_method(p, &t->par[j]);
        if (seen)
            continue;
        buf_addf(out, "%s%s", out->len ? ", " : "", prep_norm_name(p->method));
        if (p->method == PREP_MINMAX)
            buf_addf(out, " to [%g, %g]", p->lo, p->hi);
    }
}

int
transform_update(struct catalog *cat, const char *name, const char *source,
                 char *const *cols, const struct prep_norm_params *par, int n,
                 struct buf *replaced, struct qerr *err)
{
    struct transform t;
    struct qerr e2 = QERR_INIT;
    struct buf payload = BUF_INIT, names = BUF_INIT, summary = BUF_INIT;
    transform_init(&t);
    int rc = transform_load(cat, name, &t, &e2);
    /* Nothing stored (or another kind, which store_put refuses in its own words). */
    if (rc < 0 && e2.code != QE_NOTFOUND && e2.code != QE_ARG) {
        /* Hand the load's error over as it is, message and hint (first error wins). */
        if (qerr_failed(err))
            qerr_clear(&e2);
        else
            *err = e2;
        transform_release(&t);
        return -1;
    }
    qerr_clear(&e2);
    for (int i = 0; i < n; i++) {
        if (replaced && transform_find(&t, cols[i]))
            buf_addf(replaced, "%s%s", replaced->len ? ", " : "", cols[i]);
        transform_set(&t, cols[i], &par[i]);
    }
    transform_encode(&t, &payload);
    for (int i = 0; i < t.n_cols; i++)
        buf_addf(&names, "%s%s", i ? "," : "", t.cols[i]);
    summarize(&t, &summary);
    struct store_meta meta = {.source = source, .cols = names.data, .summary = summary.data};
    rc = store_put(cat, &transform_kind, name, &meta, payload.data, payload.len, err);
    buf_release(&payload);
    buf_release(&names);
    buf_release(&summary);
    transform_release(&t);
    return rc;
}
