/*
 * encoding.c: table columns into classifier rows (encoding.h). The encoding
 * keeps names, never frame codes: a frame's level codes are its own
 * (first-seen order), so each apply maps them to the encoding's sorted
 * levels by a binary search per level, not per row.
 */
#include "classify/encoding.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/tick.h"

#include "base/banned.h"

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static char *
dup_str(const char *s, struct qerr *err)
{
    size_t n = strlen(s) + 1;
    char *d = mem_alloc(n, 1, "classify", "bytes of names", err);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* A number as the shortest text that reads back as the same double. */
static void
num_label(double v, char *out, size_t size)
{
    snprintf(out, size, "%.15g", v);
    if (strtod(out, NULL) != v)
        snprintf(out, size, "%.17g", v);
}

void
encoding_release(struct encoding *e)
{
    free(e->target);
    for (int c = 0; e->classes && c < e->nclass; c++)
        free(e->classes[c]);
    free(e->classes);
    free(e->class_values);
    for (int j = 0; j < e->n_cols; j++) {
        if (e->cols)
            free(e->cols[j]);
        for (int l = 0; e->levels && e->levels[j] && l < e->n_levels[j]; l++)
            free(e->levels[j][l]);
        if (e->levels)
            free(e->levels[j]);
    }
    free(e->cols);
    free(e->levels);
    free(e->is_text);
    free(e->n_levels);
    for (size_t q = 0; e->names && q < e->p; q++)
        free(e->names[q]);
    free(e->names);
    free(e->src);
    memset(e, 0, sizeof *e);
}

void
encoding_rows_release(struct encoding_rows *x)
{
    free(x->x);
    free(x->y);
    free(x->categorical);
    free(x->levels);
    free(x->rows);
    free(x->other_example);
    memset(x, 0, sizeof *x);
}

/*
 * The distinct texts of text column j among the rows chosen by keep, as
 * sorted copies in *out (*n of them).
 */
static int
text_levels(const struct frame *f, int j, const unsigned char *keep, char ***out, int *n,
            struct qerr *err)
{
    int nl = f->n_levels[j];
    unsigned char *seen = mem_calloc((size_t)nl + 1, 1, "classify", "levels", err);
    if (!seen)
        return -1;
    int count = 0;
    for (long long r = 0; r < f->n_rows; r++) {
        int32_t c = f->code[j][r];
        if (keep[r] && c >= 0 && !seen[c]) {
            seen[c] = 1;
            count++;
        }
    }
    char **lv = mem_calloc((size_t)count + 1, sizeof *lv, "classify", "levels", err);
    int k = 0, rc = -1;
    if (!lv)
        goto out;
    for (int c = 0; c < nl; c++)
        if (seen[c] && !(lv[k++] = dup_str(f->levels[j][c], err)))
            goto out;
    qsort(lv, (size_t)count, sizeof *lv, cmp_str);
    rc = 0;
out:
    if (rc < 0 && lv) {
        for (int q = 0; q < k; q++)
            free(lv[q]);
        free(lv);
        lv = NULL;
    }
    free(seen);
    *out = lv;
    *n = rc == 0 ? count : 0;
    return rc;
}

/* The classes: the distinct target values of the kept rows, sorted. */
static int
fit_classes(const struct frame *f, int t, const unsigned char *keep, long long nkeep,
            struct encoding *e, struct qerr *err)
{
    if (f->kind[t] == FRAME_TEXT)
        return text_levels(f, t, keep, &e->classes, &e->nclass, err);
    e->target_numeric = 1;
    double *v = mem_alloc((size_t)nkeep + 1, sizeof *v, "classify", "labels", err);
    if (!v)
        return -1;
    long long n = 0;
    const double *col = frame_col(f, t);
    for (long long r = 0; r < f->n_rows; r++)
        if (keep[r])
            v[n++] = col[r];
    qsort(v, (size_t)n, sizeof *v, cmp_dbl);
    int k = 0;
    for (long long i = 0; i < n; i++)
        if (i == 0 || v[i] != v[i - 1])
            v[k++] = v[i];
    e->class_values = v;
    e->classes = mem_calloc((size_t)k + 1, sizeof *e->classes, "classify", "labels", err);
    if (!e->classes)
        return -1;
    e->nclass = k;
    for (int c = 0; c < k; c++) {
        char lab[32];
        num_label(v[c], lab, sizeof lab);
        if (!(e->classes[c] = dup_str(lab, err)))
            return -1;
    }
    return 0;
}

/* The feature names and the source column of each feature. */
static int
fit_features(struct encoding *e, struct qerr *err)
{
    size_t p = 0;
    for (int j = 0; j < e->n_cols; j++)
        p += e->is_text[j] && e->onehot ? (size_t)e->n_levels[j] : 1;
    e->names = mem_calloc(p + 1, sizeof *e->names, "classify", "features", err);
    e->src = mem_calloc(p + 1, sizeof *e->src, "classify", "features", err);
    if (!e->names || !e->src)
        return -1;
    e->p = p;
    size_t q = 0;
    for (int j = 0; j < e->n_cols; j++) {
        if (e->is_text[j] && e->onehot) {
            for (int l = 0; l < e->n_levels[j]; l++) {
                struct buf b = BUF_INIT;
                buf_addf(&b, "%s=%s", e->cols[j], e->levels[j][l]);
                e->src[q] = j;
                e->names[q++] = buf_detach(&b);
            }
        } else {
            e->src[q] = j;
            if (!(e->names[q++] = dup_str(e->cols[j], err)))
                return -1;
        }
    }
    return 0;
}

int
encoding_fit(const struct frame *f, int n_cols, const unsigned char *use, int onehot,
           struct encoding *e, struct qerr *err)
{
    memset(e, 0, sizeof *e);
    int t = n_cols, rc = -1;
    unsigned char *keep = mem_alloc((size_t)f->n_rows + 1, 1, "classify", "rows", err);
    if (!keep)
        return -1;
    long long nkeep = 0;
    for (long long r = 0; r < f->n_rows; r++) {
        int present = f->kind[t] == FRAME_TEXT ? f->code[t][r] >= 0 : !isnan(frame_col(f, t)[r]);
        keep[r] = (!use || use[r]) && present;
        nkeep += keep[r];
    }
    if (nkeep == 0) {
        qerr_set(err, QE_DATA, "no training row has a value in '%s'", f->names[t]);
        goto out;
    }
    e->onehot = onehot;
    e->n_cols = n_cols;
    e->cols = mem_calloc((size_t)n_cols + 1, sizeof *e->cols, "classify", "columns", err);
    e->is_text = mem_calloc((size_t)n_cols + 1, 1, "classify", "columns", err);
    e->n_levels = mem_calloc((size_t)n_cols + 1, sizeof *e->n_levels, "classify", "columns", err);
    e->levels = mem_calloc((size_t)n_cols + 1, sizeof *e->levels, "classify", "columns", err);
    if (!e->cols || !e->is_text || !e->n_levels || !e->levels ||
        !(e->target = dup_str(f->names[t], err)))
        goto out;
    for (int j = 0; j < n_cols; j++) {
        if (!(e->cols[j] = dup_str(f->names[j], err)))
            goto out;
        e->is_text[j] = f->kind[j] == FRAME_TEXT;
        if (e->is_text[j] && text_levels(f, j, keep, &e->levels[j], &e->n_levels[j], err) < 0)
            goto out;
    }
    if (fit_classes(f, t, keep, nkeep, e, err) < 0 || fit_features(e, err) < 0)
        goto out;
    rc = 0;
out:
    free(keep);
    if (rc < 0)
        encoding_release(e);
    return rc;
}

/* Map frame codes of text column j (fj) to the sorted levels lv (n): -1 when unseen. */
static int *
code_map(const struct frame *f, int fj, char *const *lv, int n, struct qerr *err)
{
    int *map = mem_alloc((size_t)f->n_levels[fj] + 1, sizeof *map, "classify", "levels", err);
    if (!map)
        return NULL;
    for (int c = 0; c < f->n_levels[fj]; c++) {
        const char *key = f->levels[fj][c];
        char *const *hit = n ? bsearch(&key, lv, (size_t)n, sizeof *lv, cmp_str) : NULL;
        map[c] = hit ? (int)(hit - lv) : -1;
    }
    return map;
}

/* The class of frame row r, or -1 (missing: -2). */
static int
row_class(const struct encoding *e, const struct frame *f, int t, const int *tmap, long long r)
{
    if (f->kind[t] == FRAME_TEXT) {
        int32_t c = f->code[t][r];
        return c < 0 ? -2 : tmap[c];
    }
    double v = frame_col(f, t)[r];
    if (isnan(v))
        return -2;
    const double *hit = bsearch(&v, e->class_values, (size_t)e->nclass, sizeof v, cmp_dbl);
    return hit ? (int)(hit - e->class_values) : -1;
}

/* Check that f's columns have the kinds the encoding was fitted on. */
static int
check_kinds(const struct encoding *e, const struct frame *f, int has_target, struct qerr *err)
{
    for (int j = 0; j < e->n_cols; j++)
        if ((f->kind[j] == FRAME_TEXT) != e->is_text[j])
            return qerr_set(err, QE_ARG, "column '%s' holds %s here but held %s when the model "
                                         "was trained",
                            f->names[j], e->is_text[j] ? "numbers" : "text",
                            e->is_text[j] ? "text" : "numbers");
    if (has_target && f->kind[e->n_cols] != FRAME_TEXT && !e->target_numeric)
        return qerr_set(err, QE_ARG, "column '%s' holds numbers here but held text labels "
                                     "when the model was trained", f->names[e->n_cols]);
    return 0;
}

/* Encode one kept row r into xr (p values). */
static void
encoding_row(const struct encoding *e, const struct frame *f, int *const *maps, long long r,
           double *xr, long long *unseen)
{
    size_t q = 0;
    for (int j = 0; j < e->n_cols; j++) {
        if (!e->is_text[j]) {
            xr[q++] = frame_col(f, j)[r];
            continue;
        }
        int32_t c = f->code[j][r];
        int l = c < 0 ? -2 : maps[j][c];
        if (l == -1)
            (*unseen)++;
        if (e->onehot) {
            for (int v = 0; v < e->n_levels[j]; v++)
                xr[q + (size_t)v] = l == -2 ? NAN : v == l ? 1.0 : 0.0;
            q += (size_t)e->n_levels[j];
        } else {
            xr[q++] = l < 0 ? NAN : (double)l;
        }
    }
}

/* The row's target as the text the model would call it, for the message. */
static char *
label_text(const struct frame *f, int t, long long r)
{
    struct buf b = BUF_INIT;
    if (f->kind[t] == FRAME_TEXT) {
        buf_adds(&b, f->levels[t][f->code[t][r]]);
    } else {
        char lab[32];
        num_label(frame_col(f, t)[r], lab, sizeof lab);
        buf_adds(&b, lab);
    }
    return buf_detach(&b);
}

int
encoding_apply(const struct encoding *e, const struct frame *f, int has_target,
             const unsigned char *use, struct tick *t, struct encoding_rows *out, struct qerr *err)
{
    memset(out, 0, sizeof *out);
    int tc = e->n_cols, rc = -1;
    int **maps = NULL, *tmap = NULL;
    if (check_kinds(e, f, has_target, err) < 0)
        return -1;
    maps = mem_calloc((size_t)e->n_cols + 1, sizeof *maps, "classify", "columns", err);
    if (!maps)
        return -1;
    for (int j = 0; j < e->n_cols; j++)
        if (e->is_text[j] && !(maps[j] = code_map(f, j, e->levels[j], e->n_levels[j], err)))
            goto out;
    if (has_target && f->kind[tc] == FRAME_TEXT &&
        !(tmap = code_map(f, tc, e->classes, e->nclass, err)))
        goto out;
    long long n = 0;
    for (long long r = 0; r < f->n_rows; r++) {
        if (use && !use[r])
            continue;
        int c = has_target ? row_class(e, f, tc, tmap, r) : 0;
        if (c == -2)
            out->n_no_target++;
        else if (c == -1 && out->n_other_class++ == 0)
            out->other_example = label_text(f, tc, r);
        else if (c >= 0)
            n++;
    }
    size_t p = e->p;
    out->x = mem_alloc(mem_mul((size_t)n, p) + 1, sizeof(double), "classify", "feature values",
                       err);
    out->rows = mem_alloc((size_t)n + 1, sizeof *out->rows, "classify", "rows", err);
    if (has_target)
        out->y = mem_alloc((size_t)n + 1, sizeof *out->y, "classify", "rows", err);
    if (!out->x || !out->rows || (has_target && !out->y))
        goto out;
    long long i = 0;
    for (long long r = 0; r < f->n_rows; r++) {
        if (tick_row(t, r, f->n_rows)) {
            tick_fail(err);
            goto out;
        }
        if (use && !use[r])
            continue;
        int c = has_target ? row_class(e, f, tc, tmap, r) : 0;
        if (c < 0)
            continue;
        encoding_row(e, f, maps, r, out->x + (size_t)i * p, &out->n_unseen);
        out->rows[i] = r;
        if (out->y)
            out->y[i] = c;
        i++;
    }
    if (!e->onehot) {
        out->categorical = mem_calloc(p + 1, 1, "classify", "features", err);
        out->levels = mem_calloc(p + 1, sizeof *out->levels, "classify", "features", err);
        if (!out->categorical || !out->levels)
            goto out;
        for (size_t q = 0; q < p; q++) {
            out->categorical[q] = e->is_text[e->src[q]];
            out->levels[q] = e->n_levels[e->src[q]];
        }
    }
    out->d = (struct cls_data){.x = out->x, .n = (size_t)n, .p = p, .y = out->y,
                               .nclass = e->nclass, .categorical = out->categorical,
                               .levels = out->levels, .names = (const char *const *)e->names};
    rc = 0;
out:
    for (int j = 0; j < e->n_cols; j++)
        free(maps[j]);
    free(maps);
    free(tmap);
    if (rc < 0)
        encoding_rows_release(out);
    return rc;
}

long long
encoding_missing(const struct encoding *e, const struct encoding_rows *x, struct buf *names)
{
    long long rows = 0;
    unsigned char *col = calloc((size_t)e->n_cols + 1, 1);
    size_t p = e->p;
    for (size_t i = 0; i < x->d.n; i++) {
        int any = 0;
        for (size_t q = 0; q < p; q++)
            if (isnan(x->x[i * p + q])) {
                any = 1;
                if (col)
                    col[e->src[q]] = 1;
            }
        rows += any;
    }
    int k = 0;
    for (int j = 0; col && j < e->n_cols; j++)
        if (col[j])
            buf_addf(names, "%s'%s'", k++ ? ", " : "", e->cols[j]);
    free(col);
    return rows;
}

int
encoding_class_find(const struct encoding *e, const char *label)
{
    for (int c = 0; c < e->nclass; c++)
        if (strcmp(e->classes[c], label) == 0)
            return c;
    if (e->target_numeric) {
        char *end;
        double v = strtod(label, &end);
        if (end != label && *end == '\0')
            for (int c = 0; c < e->nclass; c++)
                if (e->class_values[c] == v)
                    return c;
    }
    return -1;
}

void
encoding_describe(const struct encoding *e, struct buf *out)
{
    int text = 0;
    for (int j = 0; j < e->n_cols; j++)
        text += e->is_text[j];
    buf_addf(out, "%d column%s (%d numeric", e->n_cols, e->n_cols == 1 ? "" : "s",
             e->n_cols - text);
    if (text)
        buf_addf(out, ", %d text %s", text, e->onehot ? "one-hot" : "as level codes");
    buf_addf(out, ": %zu feature%s) -> %s, %d class%s", e->p, e->p == 1 ? "" : "s", e->target,
             e->nclass, e->nclass == 1 ? "" : "es");
}

/* --- the encoding in the model store ------------------------------------------ */

void
encoding_save(const struct encoding *e, struct buf *b)
{
    store_add_str(b, e->target);
    store_add_i64(b, e->target_numeric);
    store_add_i64(b, e->onehot);
    store_add_i64(b, e->nclass);
    for (int c = 0; c < e->nclass; c++)
        store_add_str(b, e->classes[c]);
    if (e->target_numeric)
        store_add_f64s(b, e->class_values, (size_t)e->nclass);
    store_add_i64(b, e->n_cols);
    for (int j = 0; j < e->n_cols; j++) {
        store_add_str(b, e->cols[j]);
        store_add_i64(b, e->is_text[j] ? e->n_levels[j] : -1);
        for (int l = 0; e->is_text[j] && l < e->n_levels[j]; l++)
            store_add_str(b, e->levels[j][l]);
    }
}

/* Read n strings into a fresh array *out. */
static int
read_strs(struct store_reader *r, int64_t n, char ***out, struct qerr *err)
{
    *out = mem_calloc((size_t)n + 1, sizeof **out, "classify", "names", err);
    if (!*out)
        return -1;
    for (int64_t i = 0; i < n; i++)
        if (store_read_str(r, &(*out)[i], err) < 0)
            return -1;
    return 0;
}

int
encoding_load(struct store_reader *r, struct encoding *e, struct qerr *err)
{
    memset(e, 0, sizeof *e);
    int64_t v, nclass, ncols;
    if (store_read_str(r, &e->target, err) < 0 || store_read_i64(r, &v, err) < 0)
        goto fail;
    e->target_numeric = v != 0;
    if (store_read_i64(r, &v, err) < 0)
        goto fail;
    e->onehot = v != 0;
    if (store_read_count(r, 8, 10000000, &nclass, err) < 0)
        goto fail;
    e->nclass = (int)nclass;
    if (read_strs(r, nclass, &e->classes, err) < 0)
        goto fail;
    if (e->target_numeric) {
        if (!(e->class_values = mem_alloc((size_t)nclass + 1, sizeof(double), "encode",
                                          "labels", err)) ||
            store_read_f64s(r, e->class_values, (size_t)nclass, err) < 0)
            goto fail;
        for (int64_t c = 1; c < nclass; c++)
            if (!(e->class_values[c - 1] < e->class_values[c])) {
                store_read_fail(r, err, "the class values are out of order");
                goto fail;
            }
    }
    if (store_read_count(r, 16, 1000000, &ncols, err) < 0)
        goto fail;
    e->cols = mem_calloc((size_t)ncols + 1, sizeof *e->cols, "classify", "columns", err);
    e->is_text = mem_calloc((size_t)ncols + 1, 1, "classify", "columns", err);
    e->n_levels = mem_calloc((size_t)ncols + 1, sizeof *e->n_levels, "classify", "columns", err);
    e->levels = mem_calloc((size_t)ncols + 1, sizeof *e->levels, "classify", "columns", err);
    if (!e->cols || !e->is_text || !e->n_levels || !e->levels)
        goto fail;
    e->n_cols = (int)ncols;
    for (int64_t j = 0; j < ncols; j++) {
        int64_t nl;
        if (store_read_str(r, &e->cols[j], err) < 0 || store_read_i64(r, &nl, err) < 0)
            goto fail;
        if (nl < -1 || nl > (int64_t)(r->len - r->pos) / 8) {
            store_read_fail(r, err, "column %lld has %lld levels", (long long)j, (long long)nl);
            goto fail;
        }
        e->is_text[j] = nl >= 0;
        if (nl >= 0) {
            e->n_levels[j] = (int)nl;
            if (read_strs(r, nl, &e->levels[j], err) < 0)
                goto fail;
            for (int64_t l = 1; l < nl; l++)
                if (strcmp(e->levels[j][l - 1], e->levels[j][l]) >= 0) {
                    store_read_fail(r, err, "the levels of '%s' are out of order", e->cols[j]);
                    goto fail;
                }
        }
    }
    if (fit_features(e, err) < 0)
        goto fail;
    return 0;
fail:
    encoding_release(e);
    return -1;
}
