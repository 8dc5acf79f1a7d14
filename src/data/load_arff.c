/*
 * load_arff.c: loading ARFF files (load.h describes the format): two
 * passes, one to infer the numeric attributes' types, then one to insert
 * (into a column table straight through coltab_append, else through
 * load_insert_rows), which also keeps every column for the frame cache
 * when it can (r->frame).
 */
#include "data/load_int.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "data/arff.h"
#include "base/buf.h"
#include "data/coltab.h"
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
 * (-0 is 0), a nominal column's codes in first-seen order. Rows go first
 * into a tile, row by row, and from there into the columns, column by
 * column, a tile at a time (writing 200 columns a cell at a time would
 * touch 200 places in memory per row).
 */
#define ARFF_TILE 64 /* rows in the tile */
struct arff_load {
    struct load_ctx *c;
    double *block; /* n_cols x ld; NULL: nothing kept */
    long long ld;
    long long n;     /* rows kept */
    long long cap;   /* rows there is room for */
    int32_t **code;  /* per nominal column, else NULL */
    int **first;     /* per nominal column: declared value -> code, -1 unseen */
    char ***levels;  /* per nominal column: the values in first-seen order */
    int *n_levels;
    double *tile;    /* ARFF_TILE rows x n_cols, by row; a code as a number, NaN missing */
    int n_tile;      /* rows in the tile */
    unsigned char *wide; /* arff_one: per column, an integer past 2^53 was read */
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
    free(l->tile);
    free(l->wide);
    *l = (struct arff_load){.c = l->c};
}

/*
 * Whether every attribute is numeric or nominal (with no NUL in a value:
 * SQLite's text would differ) and rows of them fit in o->capture_bytes.
 */
static int
keep_fits(const struct load_ctx *c, long long rows)
{
    const struct arff_header *h = &c->ah;
    long long ld = (rows + 7) / 8 * 8;
    size_t bytes = (size_t)(ld ? ld : 8) * (size_t)h->n_attrs * sizeof(double);
    for (int j = 0; j < h->n_attrs; j++) {
        const struct arff_attr *a = &h->attrs[j];
        if (a->type == ARFF_NOMINAL) {
            bytes += (size_t)rows * sizeof(int32_t);
            for (int k = 0; k < a->n_values; k++)
                if (strlen(a->values[k]) != a->value_lens[k])
                    return 0;
        } else if (a->type != ARFF_NUMERIC || a->as_text) {
            return 0;
        }
    }
    return c->o->capture_bytes && bytes <= c->o->capture_bytes;
}

/* Room to keep rows rows of every column (keep_fits said they fit); 0, or -1 if refused. */
static int
keep_alloc(struct arff_load *l, long long rows)
{
    struct load_ctx *c = l->c;
    const struct arff_header *h = &c->ah;
    long long ld = (rows + 7) / 8 * 8;
    if (!(l->block = frame_block_alloc(ld ? ld : 8, h->n_attrs)))
        return -1;
    l->ld = ld ? ld : 8;
    l->cap = rows;
    l->n = 0;
    l->n_tile = 0;
    l->tile = xmalloc((size_t)ARFF_TILE * (size_t)(h->n_attrs ? h->n_attrs : 1) * sizeof(double));
    l->wide = xcalloc((size_t)h->n_attrs + 1, 1);
    l->code = xcalloc((size_t)h->n_attrs, sizeof(*l->code));
    l->first = xcalloc((size_t)h->n_attrs, sizeof(*l->first));
    l->levels = xcalloc((size_t)h->n_attrs, sizeof(*l->levels));
    l->n_levels = xcalloc((size_t)h->n_attrs, sizeof(*l->n_levels));
    for (int j = 0; j < h->n_attrs; j++) {
        const struct arff_attr *a = &h->attrs[j];
        if (a->type != ARFF_NOMINAL)
            continue;
        l->code[j] = xmalloc((size_t)(rows ? rows : 1) * sizeof(int32_t));
        l->first[j] = xmalloc((size_t)(a->n_values ? a->n_values : 1) * sizeof(int));
        memset(l->first[j], 0xff, (size_t)a->n_values * sizeof(int));
        l->levels[j] = xcalloc((size_t)a->n_values + 1, sizeof(char *));
    }
    return 0;
}

/* Keep the columns (two passes: the first has settled every numeric type, INTEGER or REAL). */
static void
keep_start(struct arff_load *l)
{
    struct load_ctx *c = l->c;
    for (int j = 0; j < c->n_cols; j++)
        if (c->ah.attrs[j].type == ARFF_NUMERIC && c->kinds[j] != CSV_INT &&
            c->kinds[j] != CSV_REAL)
            return;
    if (keep_fits(c, c->n_rows) && keep_alloc(l, c->n_rows) < 0)
        keep_drop(l);
}

/* The tile's rows into the columns. */
static void
keep_flush(struct arff_load *l)
{
    int n_cols = l->c->n_cols, m = l->n_tile;
    for (int j = 0; j < n_cols; j++) {
        double *x = l->block + (long long)j * l->ld + l->n;
        const double *t = l->tile + j;
        for (int r = 0; r < m; r++)
            x[r] = t[(long long)r * n_cols];
        if (l->code[j])
            for (int r = 0; r < m; r++)
                l->code[j][l->n + r] = isnan(x[r]) ? -1 : (int32_t)x[r];
    }
    l->n += m;
    l->n_tile = 0;
}

/* Keep the current row (c->ar.vals): the next row of the columns. */
static void
keep_row(struct arff_load *l)
{
    struct load_ctx *c = l->c;
    if (l->n + l->n_tile >= l->cap) { /* more rows than the first pass saw */
        keep_drop(l);
        return;
    }
    double *x = l->tile + (long long)l->n_tile * c->n_cols;
    for (int j = 0; j < c->n_cols; j++) {
        const struct arff_value *v = &c->ar.vals[j];
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
            x[j] = k < 0 ? NAN : k;
        } else {
            x[j] = v->kind == CSV_INT ? (double)v->i
                   : v->kind == CSV_REAL && v->d == 0 ? 0.0 /* SQLite keeps no -0 */
                   : v->kind == CSV_REAL ? v->d
                                         : NAN;
        }
    }
    if (++l->n_tile == ARFF_TILE)
        keep_flush(l);
}

/* After the insert: the kept columns as a frame in c->r->frame; keep_drop frees the rest. */
static void
keep_end(struct arff_load *l)
{
    struct load_ctx *c = l->c;
    if (l->block && l->n_tile)
        keep_flush(l);
    if (!l->block || c->n_inserted != c->n_rows || l->n != c->n_rows)
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
            keep_row(l);
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

/* arff_column for coltab_append: the same value, as C holds it. */
static void
arff_value(void *ctx, int i, struct coltab_value *out)
{
    struct load_ctx *c = ((struct arff_load *)ctx)->c;
    const struct arff_value *v = &c->ar.vals[i];
    switch (v->kind) {
    case CSV_NULL:
        out->type = SQLITE_NULL;
        break;
    case CSV_INT:
        if (c->kinds[i] == CSV_REAL) {
            out->type = SQLITE_FLOAT;
            out->d = (double)v->i;
        } else {
            out->type = SQLITE_INTEGER;
            out->i = v->i;
        }
        break;
    case CSV_REAL:
        out->type = SQLITE_FLOAT;
        out->d = v->d;
        break;
    default:
        out->type = SQLITE_TEXT;
        out->s = v->s;
        out->len = v->len;
        break;
    }
}

/* The rows into the table: a column table takes them straight into its arrays. */
static int
arff_insert_rows(struct load_ctx *c, const char *table, struct load_rows *rows)
{
    if (c->o->columns && coltab_is(c->db, table)) { /* past 1994 columns: ordinary */
        struct coltab_rows cr = {c->n_cols, rows->ctx, arff_next, arff_value};
        int rc = coltab_append(c->db, table, &cr, c->err);
        if (rc <= 0)
            return rc;
    }
    return load_insert_rows(c->db, table, rows, c->err);
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
    int rc = load_create_table(c, table) < 0 || arff_insert_rows(c, table, &rows) < 0
                 ? -1
                 : 0;
    if (rc == 0)
        keep_end(&l);
    keep_drop(&l);
    return rc;
}
