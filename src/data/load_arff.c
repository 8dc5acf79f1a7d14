/*
 * load_arff.c: loading ARFF files (load.h describes the format): two
 * passes, one to infer the numeric attributes' types, then one to insert
 * through load_insert_rows, which also keeps every column for the frame
 * cache when it can (r->frame).
 */
#include "data/load_int.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "data/arff.h"
#include "base/buf.h"
#include "data/csv.h"
#include "data/frame.h"
#include "base/qerr.h"

#include "base/banned.h"

static int
bad_arff_row(struct load_ctx *c)
{
    return load_bad(c, c->ar.row_line, "fix that row", "%s", c->ar.why.data);
}

/*
 * The insert pass: the load and, while block is set, every column kept as
 * frame_read would read the table back (frame.h, frame_from_columns), so
 * the command after the load reads nothing: numbers as SQLite stores them
 * (-0 is 0), a nominal column's codes in first-seen order.
 */
struct arff_load {
    struct load_ctx *c;
    double *block; /* n_cols x ld; NULL: nothing kept */
    long long ld;
    int32_t **code;  /* per nominal column, else NULL */
    int **first;     /* per nominal column: declared value -> code, -1 unseen */
    char ***levels;  /* per nominal column: the values in first-seen order */
    int *n_levels;
};

static void
keep_drop(struct arff_load *l)
{
    for (int j = 0; l->code && j < l->c->n_cols; j++) {
        for (int k = 0; k < l->n_levels[j]; k++)
            free(l->levels[j][k]);
        free(l->levels[j]);
        free(l->code[j]);
        free(l->first[j]);
    }
    free(l->code);
    free(l->first);
    free(l->levels);
    free(l->n_levels);
    free(l->block);
    *l = (struct arff_load){.c = l->c};
}

/* Keep the columns when every one is numeric or nominal and all fit in o->capture_bytes. */
static void
keep_start(struct arff_load *l)
{
    struct load_ctx *c = l->c;
    const struct arff_header *h = &c->ah;
    long long ld = (c->n_rows + 7) / 8 * 8;
    size_t bytes = (size_t)(ld ? ld : 8) * (size_t)h->n_attrs * sizeof(double);
    for (int j = 0; j < h->n_attrs; j++) {
        const struct arff_attr *a = &h->attrs[j];
        if (a->type == ARFF_NOMINAL) {
            bytes += (size_t)c->n_rows * sizeof(int32_t);
            for (int k = 0; k < a->n_values; k++)
                if (strlen(a->values[k]) != a->value_lens[k])
                    return; /* a NUL in a value: SQLite's text would differ */
        } else if (a->type != ARFF_NUMERIC || a->as_text ||
                   (c->kinds[j] != CSV_INT && c->kinds[j] != CSV_REAL)) {
            return;
        }
    }
    if (!c->o->capture_bytes || bytes > c->o->capture_bytes ||
        !(l->block = frame_block_alloc(ld ? ld : 8, h->n_attrs)))
        return;
    l->ld = ld ? ld : 8;
    l->code = xcalloc((size_t)h->n_attrs, sizeof(*l->code));
    l->first = xcalloc((size_t)h->n_attrs, sizeof(*l->first));
    l->levels = xcalloc((size_t)h->n_attrs, sizeof(*l->levels));
    l->n_levels = xcalloc((size_t)h->n_attrs, sizeof(*l->n_levels));
    for (int j = 0; j < h->n_attrs; j++) {
        const struct arff_attr *a = &h->attrs[j];
        if (a->type != ARFF_NOMINAL)
            continue;
        l->code[j] = xmalloc((size_t)(c->n_rows ? c->n_rows : 1) * sizeof(int32_t));
        l->first[j] = xmalloc((size_t)(a->n_values ? a->n_values : 1) * sizeof(int));
        memset(l->first[j], 0xff, (size_t)a->n_values * sizeof(int));
        l->levels[j] = xcalloc((size_t)a->n_values + 1, sizeof(char *));
    }
}

/* Keep row `row` of the insert pass (c->ar.vals). */
static void
keep_row(struct arff_load *l, long long row)
{
    struct load_ctx *c = l->c;
    if (row >= c->n_rows) { /* more rows than the first pass saw */
        keep_drop(l);
        return;
    }
    for (int j = 0; j < c->n_cols; j++) {
        const struct arff_value *v = &c->ar.vals[j];
        double *x = l->block + (long long)j * l->ld + row;
        if (l->code[j]) {
            int32_t k = -1;
            if (v->kind != CSV_NULL) {
                int *f = &l->first[j][v->code];
                if (*f < 0) {
                    *f = l->n_levels[j]++;
                    l->levels[j][*f] = xstrdup(c->ah.attrs[j].values[v->code]);
                }
                k = *f;
            }
            l->code[j][row] = k;
            *x = k < 0 ? NAN : k;
        } else {
            *x = v->kind == CSV_INT ? (double)v->i
                 : v->kind == CSV_REAL && v->d == 0 ? 0.0 /* SQLite keeps no -0 */
                 : v->kind == CSV_REAL ? v->d
                                       : NAN;
        }
    }
}

/* After the insert: the kept columns as a frame in c->r->frame; keep_drop frees the rest. */
static void
keep_end(struct arff_load *l)
{
    struct load_ctx *c = l->c;
    if (!l->block || c->n_inserted != c->n_rows)
        return;
    c->r->frame = frame_from_columns(c->n_inserted, c->n_cols, c->names, l->block, l->ld,
                                     l->code, l->levels, l->n_levels);
    l->block = NULL; /* the frame took the block and the columns' arrays */
    for (int j = 0; j < c->n_cols; j++) {
        l->code[j] = NULL;
        l->levels[j] = NULL;
        l->n_levels[j] = 0;
    }
}

static int
arff_next(void *ctx)
{
    struct arff_load *l = ctx;
    struct load_ctx *c = l->c;
    while (arff_read(&c->ar)) {
        if (load_tick(c, c->ar.p, 0.5, 0.5) < 0)
            return -1;
        if (c->ar.bad)
            continue; /* reported by the first pass */
        if (l->block)
            keep_row(l, c->n_inserted);
        c->n_inserted++;
        return 1;
    }
    return load_stopped(c);
}

/* Start c->ar reading the rows, from this thread. */
static void
rows_start(struct load_ctx *c)
{
    load_pass_start(c);
    arff_reader_init(&c->ar, &c->ah, c->data, c->size);
    c->ar.fill.more = load_more;
    c->ar.fill.ctx = c;
}

static void
arff_column(void *ctx, sqlite3_context *sc, int i)
{
    struct load_ctx *c = ((struct arff_load *)ctx)->c;
    const struct arff_value *v = &c->ar.vals[i];
    switch (v->kind) {
    case CSV_NULL:
        sqlite3_result_null(sc);
        break;
    case CSV_INT:
        if (c->kinds[i] == CSV_REAL)
            sqlite3_result_double(sc, (double)v->i);
        else
            sqlite3_result_int64(sc, v->i);
        break;
    case CSV_REAL:
        sqlite3_result_double(sc, v->d);
        break;
    default:
        sqlite3_result_text64(sc, v->s, v->len, v->scratch ? SQLITE_TRANSIENT : SQLITE_STATIC,
                              SQLITE_UTF8);
        break;
    }
}

static int
arff_prepare(struct load_ctx *c)
{
    struct arff_header *h = &c->ah;
    long long rows = 0;

    struct csv_fill fill = { load_more, c };
    if (arff_header_parse(h, c->data, c->size, &fill, c->path, c->err) < 0) {
        load_stopped(c); /* a file that shrank explains a header cut short */
        return -1;
    }
    if (load_check_columns(c, h->n_attrs) < 0)
        return -1;
    c->n_cols = h->n_attrs;
    c->kinds = xcalloc((size_t)h->n_attrs, sizeof(*c->kinds));
    char **raw = xcalloc((size_t)h->n_attrs, sizeof(*raw));
    for (int i = 0; i < h->n_attrs; i++) {
        const struct arff_attr *a = &h->attrs[i];
        raw[i] = a->name;
        c->kinds[i] = a->type == ARFF_NUMERIC ? CSV_NULL
                      : a->type == ARFF_DATE  ? a->kind
                                              : CSV_TEXT;
    }
    c->names = load_names_make(raw, h->n_attrs);
    free(raw);

    rows_start(c);
    while (arff_read(&c->ar)) {
        if (load_tick(c, c->ar.p, 0.0, 0.5) < 0)
            return -1;
        if (c->ar.bad) {
            if (bad_arff_row(c) < 0)
                return -1;
            continue;
        }
        for (int i = 0; i < h->n_attrs; i++)
            if (h->attrs[i].type == ARFF_NUMERIC)
                c->kinds[i] = csv_kind_merge(c->kinds[i], c->ar.vals[i].kind);
        rows++;
    }
    if (load_stopped(c) < 0)
        return -1;
    for (int i = 0; i < h->n_attrs; i++) {
        if (c->kinds[i] == CSV_NULL)
            c->kinds[i] = CSV_REAL; /* a numeric attribute with no values */
        if (c->kinds[i] == CSV_BIGINT)
            h->attrs[i].as_text = 1; /* ids: every value kept as it is written */
    }
    if (h->relation)
        buf_addf(&c->r->summary, "relation: %s\n", h->relation);
    if (c->ar.saw_weight)
        buf_adds(&c->r->summary, "instance weights: ignored\n");
    load_note_wide(c);
    c->n_rows = rows;
    arff_reader_release(&c->ar);
    rows_start(c);
    return 0;
}

int
load_arff(struct load_ctx *c, const char *table)
{
    struct arff_load l = {.c = c};
    struct load_rows rows = { 0, 0, &l, arff_next, arff_column };
    if (arff_prepare(c) < 0)
        return -1;
    rows.n_cols = c->n_cols;
    rows.n_hint = c->n_rows;
    keep_start(&l);
    int rc = load_create_table(c, table) < 0 || load_insert_rows(c->db, table, &rows, c->err) < 0
                 ? -1
                 : 0;
    if (rc == 0)
        keep_end(&l);
    keep_drop(&l);
    return rc;
}
