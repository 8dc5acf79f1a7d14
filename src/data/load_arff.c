/*
 * load_arff.c: loading ARFF files (load.h describes the format): two
 * passes, one to infer the numeric attributes' types, then one to insert
 * through load_insert_rows.
 */
#include "data/load_int.h"

#include <stdlib.h>

#include "data/arff.h"
#include "base/buf.h"
#include "data/csv.h"
#include "base/qerr.h"

#include "base/banned.h"

static int
bad_arff_row(struct load_ctx *c)
{
    return load_bad(c, c->ar.row_line, "fix that row", "%s", c->ar.why.data);
}

static int
arff_next(void *ctx)
{
    struct load_ctx *c = ctx;
    while (arff_read(&c->ar)) {
        if (load_tick(c, c->ar.p, 0.5, 0.5) < 0)
            return -1;
        if (c->ar.bad)
            continue; /* reported by the first pass */
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
    struct load_ctx *c = ctx;
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
    struct load_rows rows = { 0, 0, c, arff_next, arff_column };
    if (arff_prepare(c) < 0)
        return -1;
    rows.n_cols = c->n_cols;
    rows.n_hint = c->n_rows;
    return load_create_table(c, table) < 0 || load_insert_rows(c->db, table, &rows, c->err) < 0
               ? -1
               : 0;
}
