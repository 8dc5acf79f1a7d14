/*
 * crosstab.c: a pivot of two key columns (see crosstab.h). Both keys are
 * grouped (groups.h), the cells accumulated in one pass over the rows
 * (count, sum, min, max; mean as sum / count), the totals from the same
 * pass, then the names made.
 */
#include "prep/crosstab.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/mem.h"
#include "base/tick.h"
#include "prep/groups.h"
#include "base/banned.h"

const char *const crosstab_agg_names[5] = {
    [CROSSTAB_COUNT] = "count", [CROSSTAB_SUM] = "sum", [CROSSTAB_MEAN] = "mean",
    [CROSSTAB_MIN] = "min",     [CROSSTAB_MAX] = "max"};

/* A key as text: the text itself, a number as %.15g. */
static char *
key_text(const struct groups *g, int i)
{
    struct buf b = BUF_INIT;
    if (g->is_text)
        buf_adds(&b, g->key_text[i]);
    else
        buf_addf(&b, "%.15g", g->key_num[i]);
    return buf_detach(&b);
}

/* 1 if name equals (case-insensitively) one of names[0..n). */
static int
name_taken(char *const *names, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcasecmp(names[i], name) == 0)
            return 1;
    return 0;
}

/* Make names[i] differ from names[0..i) by appending _2, _3, ...; 1 if it changed. */
static int
make_unique(char **names, int i)
{
    if (!name_taken(names, i, names[i]))
        return 0;
    for (int k = 2;; k++) {
        struct buf b = BUF_INIT;
        buf_addf(&b, "%s_%d", names[i], k);
        if (!name_taken(names, i, b.data)) {
            free(names[i]);
            names[i] = buf_detach(&b);
            return 1;
        }
        buf_release(&b);
    }
}

/*
 * The names of the columns and the labels of the rows (crosstab.h,
 * "Names"). Fails (QE_NOMEM) when the labels do not fit in memory.
 */
static int
make_names(struct crosstab *ct, const struct frame *f, int row_col, const struct groups *gr,
           const struct groups *gc, struct qerr *err)
{
    ct->names = xcalloc((size_t)ct->cols, sizeof *ct->names);
    ct->labels = mem_calloc((size_t)ct->rows, sizeof *ct->labels, "crosstab", "row labels", err);
    if (!ct->labels)
        return -1;
    ct->names[0] = xstrdup(f->names[row_col]);
    for (int c = 0; c < ct->n_cols; c++) {
        ct->names[1 + c] = key_text(gc, c);
        if (!*ct->names[1 + c]) {
            free(ct->names[1 + c]);
            ct->names[1 + c] = xstrdup("(empty)");
        }
        ct->n_renamed += make_unique(ct->names, 1 + c);
    }
    for (int r = 0; r < ct->n_rows; r++)
        ct->labels[r] = key_text(gr, r);
    if (!ct->totals)
        return 0;
    /* "total", unless a column or row is named so: then total_2, ... for both. */
    struct buf b = BUF_INIT;
    for (int k = 1;; k++) {
        buf_reset(&b);
        buf_adds(&b, "total");
        if (k > 1)
            buf_addf(&b, "_%d", k);
        if (!name_taken(ct->names, ct->cols - 1, b.data) &&
            !name_taken(ct->labels, ct->n_rows, b.data))
            break;
    }
    ct->names[ct->cols - 1] = xstrdup(b.data);
    ct->labels[ct->rows - 1] = buf_detach(&b);
    return 0;
}

/* Check the input and fill in the sizes; the groups are made by the caller. */
static int
check_in(const struct crosstab_in *in, const struct groups *gc, int *max_cols,
         struct crosstab *out, struct qerr *err)
{
    *max_cols = in->max_cols > 0 ? in->max_cols : CROSSTAB_MAX_COLS;
    if (gc->n_groups > *max_cols) {
        qerr_set(err, QE_ARG, "'%s' has %d distinct values, more than the %d columns a "
                              "crosstab makes",
                 in->keys->names[in->col_col], gc->n_groups, *max_cols);
        qerr_hint(err, "give the column with fewer values as cols= (rows= takes any number), "
                       "or group its values first");
        out->fault = CROSSTAB_FAULT_COLS;
        return -1;
    }
    out->fault = in->values ? CROSSTAB_FAULT_VALUE : CROSSTAB_FAULT_AGG;
    if (!in->values && in->agg != CROSSTAB_COUNT)
        return qerr_set(err, QE_ARG, "agg=%s needs a value column (value=COL)",
                        crosstab_agg_names[in->agg]);
    if (in->values && in->agg != CROSSTAB_COUNT &&
        in->values->kind[in->value_col] == FRAME_TEXT)
        return qerr_set(err, QE_ARG, "agg=%s needs numbers, and '%s' is text",
                        crosstab_agg_names[in->agg], in->values->names[in->value_col]);
    if (in->values && in->agg != CROSSTAB_COUNT && in->values->n_nonnum[in->value_col] > 0 &&
        in->values->n_missing[in->value_col] == in->values->n_rows)
        return qerr_set(err, QE_ARG, "agg=%s needs numbers, and '%s' holds text only",
                        crosstab_agg_names[in->agg], in->values->names[in->value_col]);
    out->fault = CROSSTAB_FAULT_NONE;
    if (in->values && in->values->n_rows != in->keys->n_rows)
        return qerr_set(err, QE_INTERNAL, "crosstab: %lld values for %lld rows",
                        in->values->n_rows, in->keys->n_rows);
    return 0;
}

/*
 * One pass over the rows: per cell (and per row total, column total and
 * the corner) the count of values and their sum (and its compensation),
 * min and max. acc holds
 * five arrays of rows x (n_cols + 1) slots, row-major here; the last
 * slot of each row is its total, the last row the column totals.
 */
static int
accumulate(const struct crosstab_in *in, const struct groups *gr, const struct groups *gc,
           struct crosstab *ct, double *cnt, double *sum, double *cmp, double *mn, double *mx,
           int *whole, struct qerr *err)
{
    struct tick tk;
    tick_init(&tk, in->progress, in->pctx);
    const struct frame *v = in->values;
    const double *x = v && v->kind[in->value_col] == FRAME_NUM ? frame_col(v, in->value_col)
                                                                : NULL;
    const int32_t *code = v && !x ? v->code[in->value_col] : NULL;
    int w = ct->n_cols + 1;
    for (long long i = 0; i < in->keys->n_rows; i++) {
        if (tick_row(&tk, i, in->keys->n_rows))
            return tick_fail(err);
        int r = gr->id[i], c = gc->id[i];
        if (r < 0) {
            ct->n_no_row_key++;
            continue;
        }
        if (c < 0) {
            ct->n_no_col_key++;
            continue;
        }
        ct->n_used++;
        double val = x ? x[i] : 0;
        if ((x && isnan(val)) || (code && code[i] < 0)) {
            ct->n_no_value++;
            continue;
        }
        if (x && (val != floor(val) || fabs(val) >= 9007199254740992.0))
            *whole = 0;
        long long slots[4] = {(long long)r * w + c, (long long)r * w + ct->n_cols,
                              (long long)ct->n_rows * w + c,
                              (long long)ct->n_rows * w + ct->n_cols};
        for (int s = 0; s < 4; s++) {
            long long k = slots[s];
            if (cnt[k] == 0 || val < mn[k])
                mn[k] = val;
            if (cnt[k] == 0 || val > mx[k])
                mx[k] = val;
            cnt[k] += 1;
            /* Neumaier's compensated sum: long sums of prices keep their cents. */
            double t = sum[k] + val;
            if (isfinite(t)) /* past the largest double the compensation would be NaN */
                cmp[k] += fabs(sum[k]) >= fabs(val) ? (sum[k] - t) + val : (val - t) + sum[k];
            sum[k] = t;
        }
    }
    return 0;
}

int
crosstab_compute(const struct crosstab_in *in, struct crosstab *out, struct qerr *err)
{
    struct groups gr, gc;
    int rc = -1, max_cols;
    double *cnt = NULL, *sum = NULL, *cmp = NULL, *mn = NULL, *mx = NULL;
    memset(out, 0, sizeof *out);
    memset(&gr, 0, sizeof gr);
    memset(&gc, 0, sizeof gc);
    if (groups_init(&gc, in->keys, in->col_col, in->progress, in->pctx, err) < 0 ||
        check_in(in, &gc, &max_cols, out, err) < 0 ||
        groups_init(&gr, in->keys, in->row_col, in->progress, in->pctx, err) < 0)
        goto out;
    out->n_rows = gr.n_groups;
    out->n_cols = gc.n_groups;
    out->totals = in->agg == CROSSTAB_COUNT || in->agg == CROSSTAB_SUM;
    out->rows = out->n_rows + out->totals;
    out->cols = 1 + out->n_cols + out->totals;
    /* Accumulators over every row and column and their totals: (n_rows + 1) x (n_cols + 1). */
    size_t slots = mem_mul((size_t)out->n_rows + 1, (size_t)out->n_cols + 1);
    const char *who = "crosstab";
    cnt = mem_calloc(slots, sizeof *cnt, who, "cells", err);
    sum = cnt ? mem_calloc(slots, sizeof *sum, who, "cells", err) : NULL;
    cmp = sum ? mem_calloc(slots, sizeof *cmp, who, "cells", err) : NULL;
    mn = cmp ? mem_alloc(slots, sizeof *mn, who, "cells", err) : NULL;
    mx = mn ? mem_alloc(slots, sizeof *mx, who, "cells", err) : NULL;
    out->cell = mx ? mem_alloc(mem_mul((size_t)out->rows, (size_t)out->cols - 1),
                               sizeof *out->cell, who, "cells", err)
                   : NULL;
    if (!out->cell)
        goto out;
    int whole = 1;
    if (in->values && in->values->kind[in->value_col] == FRAME_NUM)
        out->n_text_value = in->values->n_nonnum[in->value_col];
    if (accumulate(in, &gr, &gc, out, cnt, sum, cmp, mn, mx, &whole, err) < 0)
        goto out;
    if (out->n_used == 0) {
        qerr_set(err, QE_DATA, "no row has values in both '%s' and '%s'",
                 in->keys->names[in->row_col], in->keys->names[in->col_col]);
        goto out;
    }
    enum catalog_kind decl = in->values ? in->values->decl[in->value_col] : CATALOG_INTEGER;
    out->integer = in->agg == CROSSTAB_COUNT ||
                   (in->agg != CROSSTAB_MEAN && whole &&
                    (decl == CATALOG_INTEGER || decl == CATALOG_OTHER));
    /* The table's cells, column-major, from the accumulators (row-major, totals last). */
    int w = out->n_cols + 1;
    for (int c = 0; c < out->cols - 1; c++) {
        for (int r = 0; r < out->rows; r++) {
            long long k = (long long)r * w + c;
            sum[k] += cmp[k];
            double v = cnt[k] == 0                   ? NAN
                       : in->agg == CROSSTAB_SUM     ? sum[k]
                       : in->agg == CROSSTAB_MEAN    ? sum[k] / cnt[k]
                       : in->agg == CROSSTAB_MIN     ? mn[k]
                       : in->agg == CROSSTAB_MAX     ? mx[k]
                                                     : cnt[k];
            out->cell[(long long)c * out->rows + r] = in->agg == CROSSTAB_COUNT ? cnt[k] : v;
            if (cnt[k] > 0 && !isfinite(v) && (in->agg == CROSSTAB_SUM || in->agg == CROSSTAB_MEAN)) {
                qerr_set(err, QE_DATA, "the %s of '%s' in a cell%s is not a finite number: a value "
                         "is inf or -inf, or the sum passes the largest double (1.8e+308)",
                         in->agg == CROSSTAB_SUM ? "sum" : "mean",
                         in->values->names[in->value_col],
                         r >= out->n_rows || c >= out->n_cols ? " or a total" : "");
                qerr_hint(err, "make infinite values missing first, or scale the column down");
                goto out;
            }
        }
    }
    rc = make_names(out, in->keys, in->row_col, &gr, &gc, err);
out:
    free(cnt);
    free(sum);
    free(cmp);
    free(mn);
    free(mx);
    groups_release(&gr);
    groups_release(&gc);
    return rc;
}

void
crosstab_release(struct crosstab *ct)
{
    for (int i = 0; ct->names && i < ct->cols; i++)
        free(ct->names[i]);
    for (int i = 0; ct->labels && i < ct->rows; i++)
        free(ct->labels[i]);
    free(ct->names);
    free(ct->labels);
    free(ct->cell);
    memset(ct, 0, sizeof *ct);
}
