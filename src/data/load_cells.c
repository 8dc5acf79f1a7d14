/*
 * load_cells.c: a CSV record's values as the insert pass stores them
 * (load_int.h): fields converted by their column's declared kind into
 * cells, the exact kinds widened on the way, the header=auto re-check,
 * and the numeric cells kept for the frame cache (o->capture_bytes) in
 * one frame block. Both the insert pass (load_csv.c) and its parsing
 * thread (load_pipe.c) call these; they call neither.
 */
#include "data/load_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "data/csv.h"
#include "data/frame.h"

#include "base/banned.h"

void
load_check_again(const struct load_ctx *c, const struct csv_field *f, int *again)
{
    if (!c->cand || *again)
        return;
    for (int i = 0; i < c->n_cols; i++)
        *again |= f[i].len == c->hdr[i].len && f[i].len && *f[i].p == *c->hdr[i].p &&
                  c->hdr_kind[i] != CSV_NULL && memcmp(f[i].p, c->hdr[i].p, f[i].len) == 0;
}

int
load_fit_slow(const struct load_ctx *c, struct csv_reader *rd, struct load_counts *n)
{
    int nf = rd->n_fields;
    if (c->trail && nf == c->n_cols + 1) {
        const struct csv_field *f = &rd->fields[nf - 1];
        if (f->len != 0 || f->quoted)
            return 0;
        rd->n_fields = nf - 1;
        return 1;
    }
    if (!c->o->pad_short || nf > c->n_cols)
        return 0;
    if (rd->cap_fields < c->n_cols) {
        rd->fields = xrealloc(rd->fields, (size_t)c->n_cols * sizeof(*rd->fields));
        rd->cap_fields = c->n_cols;
    }
    for (int i = nf; i < c->n_cols; i++) {
        struct csv_field *f = &rd->fields[i];
        f->p = rd->p;
        f->len = 0;
        f->quoted = 0;
        f->escaped = 0;
    }
    rd->n_fields = c->n_cols;
    if (n)
        n->padded++;
    return 1;
}

/* A value that converted to NULL but is not empty: NaN, which counts as a marker. */
static int
is_nan_marker(const char *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (p[i] != ' ' && p[i] != '\t')
            return 1;
    return 0;
}

int
load_csv_cells(const struct load_ctx *c, const struct csv_field *f, struct load_cell *cells,
               enum csv_kind *exact, struct buf *text, int track, struct load_counts *n)
{
    for (int i = 0; i < c->n_cols; i++) {
        struct load_cell *v = &cells[i];
        enum csv_kind col = c->kinds[i], *ex = &exact[i], k;
        struct csv_value x;

        v->type = CELL_NULL;
        if (f[i].len == 0 && !f[i].quoted)
            continue;
        if (col == CSV_TEXT || col == CSV_BIGINT) { /* both keep the text as it is */
            if (track && *ex != CSV_TEXT)
                *ex = csv_kind_merge(*ex, f[i].escaped ? CSV_TEXT
                                                      : load_classify(c, f[i].p, f[i].len));
            if (col == CSV_BIGINT && !f[i].escaped && load_classify(c, f[i].p, f[i].len) ==
                CSV_NULL && is_nan_marker(f[i].p, f[i].len)) {
                n->na++; /* a marker among wide integers */
                continue;
            }
            v->type = CELL_TEXT;
            v->s = f[i].p;
            v->len = f[i].len;
            if (f[i].escaped) {
                /* An offset: text may move as it grows. */
                v->type = CELL_COPY;
                v->i = (long long)text->len;
                csv_unescape(text, &f[i]);
                v->len = text->len - (size_t)v->i;
            }
            continue;
        }
        k = csv_convert(f[i].p, f[i].len, col, &x);
        if (k == CSV_TEXT && !f[i].escaped)
            k = load_text_kind(c, f[i].p, f[i].len, col, &x); /* 1,50 or a marker */
        if (k == CSV_NULL) {
            n->na += is_nan_marker(f[i].p, f[i].len);
            continue;
        }
        if (track && *ex != k)
            *ex = csv_kind_merge(*ex, k);
        if (csv_kind_merge(col, k) != col)
            return 1;
        if (col == CSV_INT) {
            v->type = CELL_INT;
            v->i = x.i;
        } else if (col == CSV_REAL) {
            v->type = CELL_REAL;
            v->d = x.d;
        } else {
            v->type = CELL_TEXT;
            v->s = f[i].p;
            v->len = f[i].len;
        }
    }
    return 0;
}

void
load_capture_drop(struct load_ctx *c)
{
    free(c->cap);
    free(c->cap_block);
    c->cap = NULL;
    c->cap_block = NULL;
    c->cap_ld = 0;
    c->cap_rows = 0;
}

/*
 * Point the kept columns into a block of ld rows each, copying the first
 * `rows` values of each from the old block (NULL: none). -1 out of memory.
 */
static int
capture_block(struct load_ctx *c, long long ld, long long rows)
{
    int n_num = 0;
    for (int i = 0; i < c->n_cols; i++)
        n_num += c->kinds[i] == CSV_INT || c->kinds[i] == CSV_REAL;
    double *block = frame_block_alloc(ld, n_num);
    if (!block)
        return -1;
    for (int i = 0, k = 0; i < c->n_cols; i++) {
        if (c->kinds[i] != CSV_INT && c->kinds[i] != CSV_REAL)
            continue;
        double *col = block + (long long)k++ * ld;
        if (c->cap[i] && rows > 0)
            memcpy(col, c->cap[i], (size_t)rows * sizeof(double));
        c->cap[i] = col;
    }
    free(c->cap_block);
    c->cap_block = block;
    c->cap_ld = ld;
    c->cap_rows = ld;
    return 0;
}

/*
 * Start keeping the numeric columns of an insert pass (o->capture_bytes),
 * in one frame block that the frame cache takes over as it is: no copy,
 * and no second 8 bytes of fresh memory a cell. The row count is an
 * estimate from a sample: room for a little more, growing if need be.
 */
void
load_capture_start(struct load_ctx *c)
{
    load_capture_drop(c);
    int n_num = 0;
    for (int i = 0; i < c->n_cols; i++)
        n_num += c->kinds[i] == CSV_INT || c->kinds[i] == CSV_REAL;
    if (!c->o->capture_bytes || n_num == 0)
        return;
    long long rows = c->n_rows > 0 ? c->n_rows + c->n_rows / 32 + 64 : 1024;
    long long ld = (rows + 7) / 8 * 8;
    if ((size_t)ld * (size_t)n_num * sizeof(double) > c->o->capture_bytes)
        return;
    c->cap = xcalloc((size_t)c->n_cols, sizeof(double *));
    if (capture_block(c, ld, 0) < 0)
        load_capture_drop(c);
}

/* Room for row n_inserted - 1 in every kept column; over the limit, stop keeping. */
void
load_capture_room(struct load_ctx *c)
{
    if (!c->cap || c->n_inserted <= c->cap_rows)
        return;
    long long rows = c->cap_rows + c->cap_rows / 4 + 1024, ld = (rows + 7) / 8 * 8;
    int n_num = 0;
    for (int i = 0; i < c->n_cols; i++)
        n_num += c->kinds[i] == CSV_INT || c->kinds[i] == CSV_REAL;
    if ((size_t)ld * (size_t)n_num * sizeof(double) > c->o->capture_bytes ||
        capture_block(c, ld, c->n_inserted - 1) < 0)
        load_capture_drop(c);
}

void
load_capture_row(struct load_ctx *c, const struct load_cell *row)
{
    c->n_inserted++;
    load_capture_room(c);
    if (!c->cap)
        return;
    for (int i = 0; i < c->n_cols; i++)
        if (c->cap[i])
            c->cap[i][c->n_inserted - 1] = row[i].type == CELL_INT    ? (double)row[i].i
                                           : row[i].type == CELL_REAL ? row[i].d
                                                                      : NAN;
}
