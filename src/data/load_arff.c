/*
 * load_arff.c: loading ARFF files (load.h describes the format).
 *
 * A file whose attributes are all numeric or nominal, and whose columns
 * fit in o->capture_bytes, is read once (arff_one): every value goes into
 * the columns kept for the frame cache (struct arff_load), the numeric
 * attributes' types are settled at the end, and the table is written from
 * those columns: a column table's column by column (coltab_put), an
 * ordinary table's row by row (load_insert_rows). Other files, and those
 * with an integer a double does not hold exactly, take two passes: one to
 * infer the numeric types, one to insert (a column table's rows through
 * coltab_append, else load_insert_rows), keeping the columns too when it
 * can. Either way the kept columns end in r->frame.
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
 * (-0 is 0), a nominal column's codes in first-seen order. A nominal
 * column's code goes straight into its array (4 bytes a cell, one stream
 * a column), as the value's index among the declared ones; keep_levels
 * turns them into first-seen codes at the end, and frame_from_columns
 * fills the column's slot in block from them. The numbers go first into a tile, row by row, and
 * from there into block, column by column, a tile at a time (writing 200
 * columns of doubles a cell at a time would touch 200 places in memory
 * per row).
 */
#define ARFF_TILE 64 /* rows in the tile */
struct arff_load {
    struct load_ctx *c;
    double *block; /* n_cols x ld, then the codes (frame_block_alloc_text); NULL: nothing kept */
    long long ld;
    long long n;     /* rows kept */
    long long cap;   /* rows there is room for */
    int32_t **code;  /* per nominal column, in block; else NULL */
    int **first;     /* per nominal column: declared value -> code, -1 unseen */
    char ***levels;  /* per nominal column: the values in first-seen order */
    int *n_levels;
    double *tile;    /* ARFF_TILE rows x n_num, by row; NaN missing */
    int n_tile;      /* rows in the tile */
    unsigned char *wide; /* arff_one: per column, an integer past 2^53 was read */
    int *num;            /* the numeric columns, n_num of them */
    int n_num;
    int *nom;            /* the nominal columns, n_nom of them */
    int n_nom;
    int leveled;         /* keep_levels has run */
    int32_t *ctile;      /* ARFF_TILE rows x n_cols: the nominal values' declared indexes, by
                          * row (the reader writes them there itself: ar.codes) */
};

static void
keep_drop(struct arff_load *l)
{
    for (int j = 0; l->code && j < l->c->n_cols; j++) {
        for (int k = 0; k < l->n_levels[j]; k++)
            free(l->levels[j][k]);
        free(l->levels[j]);
        free(l->first[j]);
    }
    free(l->code);
    free(l->first);
    free(l->levels);
    free(l->n_levels);
    free(l->block);
    free(l->tile);
    free(l->wide);
    free(l->num);
    free(l->nom);
    free(l->ctile);
    l->c->ar.codes = NULL; /* it pointed into the tile */
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
    ld = ld ? ld : 8;
    size_t bytes = (size_t)ld * (size_t)h->n_attrs * (sizeof(double) + 1); /* values, masks */
    for (int j = 0; j < h->n_attrs; j++) {
        const struct arff_attr *a = &h->attrs[j];
        if (a->type == ARFF_NOMINAL) {
            bytes += (size_t)ld * sizeof(int32_t);
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
    int n_nom = 0;
    for (int j = 0; j < h->n_attrs; j++)
        n_nom += h->attrs[j].type == ARFF_NOMINAL;
    if (!(l->block = frame_block_alloc_text(ld ? ld : 8, h->n_attrs, n_nom)))
        return -1;
    l->ld = ld ? ld : 8;
    l->cap = rows;
    l->n = 0;
    l->n_tile = 0;
    l->wide = xcalloc((size_t)h->n_attrs + 1, 1);
    l->num = xmalloc(((size_t)h->n_attrs + 1) * sizeof(*l->num));
    l->nom = xmalloc(((size_t)h->n_attrs + 1) * sizeof(*l->nom));
    l->n_num = l->n_nom = 0;
    for (int j = 0; j < h->n_attrs; j++) {
        if (h->attrs[j].type == ARFF_NUMERIC)
            l->num[l->n_num++] = j;
        else
            l->nom[l->n_nom++] = j;
    }
    l->tile = xmalloc((size_t)ARFF_TILE * (size_t)(l->n_num ? l->n_num : 1) * sizeof(double));
    l->ctile = xmalloc((size_t)ARFF_TILE * (size_t)(h->n_attrs ? h->n_attrs : 1) *
                       sizeof(int32_t));
    l->code = xcalloc((size_t)h->n_attrs, sizeof(*l->code));
    l->first = xcalloc((size_t)h->n_attrs, sizeof(*l->first));
    l->levels = xcalloc((size_t)h->n_attrs, sizeof(*l->levels));
    l->n_levels = xcalloc((size_t)h->n_attrs, sizeof(*l->n_levels));
    for (int j = 0, k = 0; j < h->n_attrs; j++) {
        const struct arff_attr *a = &h->attrs[j];
        if (a->type != ARFF_NOMINAL)
            continue;
        l->code[j] = frame_block_codes(l->block, l->ld, h->n_attrs, k++);
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

/* The tiles' rows into the columns. */
static void
keep_flush(struct arff_load *l)
{
    int n_num = l->n_num, n_cols = l->c->n_cols, m = l->n_tile;
    for (int k = 0; k < l->n_nom; k++) {
        int j = l->nom[k];
        int32_t *x = l->code[j] + l->n;
        const int32_t *t = l->ctile + j;
        for (int r = 0; r < m; r++)
            x[r] = t[(long long)r * n_cols];
    }
    for (int k = 0; k < n_num; k++) {
        double *x = l->block + (long long)l->num[k] * l->ld + l->n;
        const double *t = l->tile + k;
        for (int r = 0; r < m; r++)
            x[r] = t[(long long)r * n_num];
    }
    l->n += m;
    l->n_tile = 0;
}

/* Where the reader puts the next row's nominal values (arff.h codes). */
static int32_t *
keep_codes(const struct arff_load *l)
{
    return l->ctile + (long long)l->n_tile * l->c->n_cols;
}

/*
 * Keep the current row (c->ar.vals; its nominal values in keep_codes when
 * the reader put them there): the next row of the columns.
 */
static void
keep_row(struct arff_load *l)
{
    struct load_ctx *c = l->c;
    if (l->n + l->n_tile >= l->cap) { /* more rows than the first pass saw */
        keep_drop(l);
        return;
    }
    const struct arff_value *vals = c->ar.vals;
    if (!c->ar.codes) {
        int32_t *ct = keep_codes(l);
        for (int q = 0; q < l->n_nom; q++) {
            const struct arff_value *v = &vals[l->nom[q]];
            ct[l->nom[q]] = v->kind == CSV_NULL ? -1 : v->code;
        }
    }
    double *x = l->tile + (long long)l->n_tile * l->n_num;
    for (int q = 0; q < l->n_num; q++) {
        const struct arff_value *v = &vals[l->num[q]];
        x[q] = v->kind == CSV_INT ? (double)v->i
               : v->kind == CSV_REAL && v->d == 0 ? 0.0 /* SQLite keeps no -0 */
               : v->kind == CSV_REAL ? v->d
                                     : NAN;
    }
    if (++l->n_tile == ARFF_TILE)
        keep_flush(l);
    if (c->ar.codes)
        c->ar.codes = keep_codes(l);
}

/*
 * Every row kept: each nominal column's declared indexes become codes in
 * first-seen order, its levels those values. The order is settled by the
 * first rows (until every value has been seen), and a column whose order
 * is the declared one (a one-value basket column) is not rewritten.
 */
static void
keep_levels(struct arff_load *l)
{
    if (l->leveled || !l->block)
        return;
    l->leveled = 1;
    for (int q = 0; q < l->n_nom; q++) {
        int j = l->nom[q], nl = 0, same = 1;
        const struct arff_attr *a = &l->c->ah.attrs[j];
        int32_t *code = l->code[j];
        int *f = l->first[j];
        for (long long r = 0; r < l->n && nl < a->n_values; r++) {
            int32_t k = code[r];
            if (k < 0 || f[k] >= 0)
                continue;
            same &= k == nl;
            f[k] = nl;
            l->levels[j][nl++] = xstrdup(a->values[k]);
        }
        l->n_levels[j] = nl;
        for (long long r = 0; !same && r < l->n; r++)
            code[r] = code[r] < 0 ? -1 : f[code[r]];
    }
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
    keep_levels(l);
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

/* Start c->ar reading the rows (again), from this thread. */
static void
rows_start(struct load_ctx *c)
{
    arff_reader_release(&c->ar);
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
        if (c->ah.attrs[i].type == ARFF_NOMINAL)
            out->code = v->code + 1; /* the column table keeps each value's text once */
        break;
    }
}

/* The rows into the table: a column table takes them straight into its arrays. */
static int
arff_insert_rows(struct load_ctx *c, const char *table, struct load_rows *rows)
{
    if (c->o->columns && coltab_is(c->db, table)) { /* past 1994 columns: ordinary */
        struct coltab_rows cr = {c->n_cols, rows->ctx, arff_next, arff_value, 0};
        int rc = coltab_append(c->db, table, &cr, c->err);
        if (rc <= 0)
            return rc;
    }
    return load_insert_rows(c->db, table, rows, c->err);
}

/* The kind every column starts from, before any row is read. */
static void
kinds_start(struct load_ctx *c)
{
    for (int i = 0; i < c->ah.n_attrs; i++) {
        const struct arff_attr *a = &c->ah.attrs[i];
        c->kinds[i] = a->type == ARFF_NUMERIC ? CSV_NULL
                      : a->type == ARFF_DATE  ? a->kind
                                              : CSV_TEXT;
    }
}

/* The header, the column names and kinds_start. */
static int
arff_begin(struct load_ctx *c)
{
    struct arff_header *h = &c->ah;
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
    for (int i = 0; i < h->n_attrs; i++)
        raw[i] = h->attrs[i].name;
    c->names = load_names_make(raw, h->n_attrs);
    free(raw);
    kinds_start(c);
    return 0;
}

/* The row just read, a good one: its numbers' kinds into c->kinds. */
static void
kinds_merge(struct load_ctx *c)
{
    for (int i = 0; i < c->ah.n_attrs; i++)
        if (c->ah.attrs[i].type == ARFF_NUMERIC)
            c->kinds[i] = csv_kind_merge(c->kinds[i], c->ar.vals[i].kind);
}

/* After the rows: the numeric types settled, and the summary's notes. */
static void
arff_settle(struct load_ctx *c)
{
    struct arff_header *h = &c->ah;
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
}

/* The first of two passes: bad rows reported, the rows counted, the numeric types inferred. */
static int
arff_scan(struct load_ctx *c)
{
    long long rows = 0;
    rows_start(c);
    while (arff_read(&c->ar)) {
        if (load_tick(c, c->ar.p, 0.0, 0.5) < 0)
            return -1;
        if (c->ar.bad) {
            if (bad_arff_row(c) < 0)
                return -1;
            continue;
        }
        kinds_merge(c);
        rows++;
    }
    if (load_stopped(c) < 0)
        return -1;
    arff_settle(c);
    c->n_rows = rows;
    rows_start(c);
    return 0;
}

/* ---- one pass ---------------------------------------------------------- */

/*
 * The lines after the header, at least the rows there are: the whole file
 * is read now (arff_one takes files of at most o->capture_bytes). -1 when
 * a read fails or the load is cancelled.
 */
static long long
arff_lines(struct load_ctx *c)
{
    const char *p = c->data + c->ah.data_offset, *end = c->data + c->size;
    long long n = 1;
    while (p < end) {
        size_t len = (size_t)(end - p) < LOAD_CHUNK ? (size_t)(end - p) : LOAD_CHUNK;
        if (load_more(c, p, len) < 0)
            return -1;
        for (const char *q = p; (q = memchr(q, '\n', (size_t)(p + len - q))) != NULL; q++)
            n++;
        p += len;
    }
    return n;
}

/* The kept columns row by row, for an ordinary table (load_insert_rows). */
struct one_rows {
    struct arff_load *l;
    long long row;
};

static int
one_next(void *ctx)
{
    struct one_rows *s = ctx;
    if (s->row + 1 >= s->l->n)
        return 0;
    if (++s->row % 4096 == 0 && load_poll(s->l->c) < 0)
        return -1;
    return 1;
}

static void
one_column(void *ctx, sqlite3_context *sc, int i)
{
    const struct one_rows *s = ctx;
    const struct arff_load *l = s->l;
    if (l->code[i]) {
        int32_t k = l->code[i][s->row];
        if (k < 0)
            sqlite3_result_null(sc);
        else
            sqlite3_result_text(sc, l->levels[i][k], -1, SQLITE_STATIC);
        return;
    }
    double x = l->block[(long long)i * l->ld + s->row];
    if (isnan(x))
        sqlite3_result_null(sc);
    else if (l->c->kinds[i] == CSV_INT)
        sqlite3_result_int64(sc, (sqlite3_int64)x); /* whole, and exact: arff_one checked */
    else
        sqlite3_result_double(sc, x);
}

/* The kept columns into the column table `table`, column by column: 0, 1 if not taken, -1. */
static int
one_put(struct arff_load *l, const char *table)
{
    struct load_ctx *c = l->c;
    long long n = l->n;
    struct coltab_col *cols = xcalloc((size_t)c->n_cols + 1, sizeof(*cols));
    sqlite3_int64 *rowid = xmalloc((size_t)n * sizeof(*rowid));
    for (long long r = 0; r < n; r++)
        rowid[r] = r + 1;
    for (int j = 0; j < c->n_cols; j++) {
        cols[j].name = c->names[j];
        if (l->code[j]) {
            cols[j].code = l->code[j];
            cols[j].levels = (const char *const *)l->levels[j];
            cols[j].n_levels = l->n_levels[j];
        } else {
            cols[j].num = l->block + (long long)j * l->ld; /* NaN is NULL */
            cols[j].as_int = c->kinds[j] == CSV_INT;
        }
    }
    int rc = coltab_put(c->db, table, cols, c->n_cols, rowid, n, c->err);
    free(cols);
    free(rowid);
    return rc;
}

/* The table, made and filled from the kept columns. */
static int
one_write(struct arff_load *l, const char *table)
{
    struct load_ctx *c = l->c;
    if (load_create_table(c, table) < 0)
        return -1;
    if (l->n == 0)
        return 0;
    if (c->o->columns && coltab_is(c->db, table)) { /* past 1994 columns: ordinary */
        int rc = one_put(l, table);
        if (rc <= 0)
            return rc;
    }
    struct one_rows s = { l, -1 };
    struct load_rows rows = { c->n_cols, l->n, &s, one_next, one_column };
    return load_insert_rows(c->db, table, &rows, c->err);
}

/*
 * Load the file in one pass when it can be (see the top of the file): 0
 * when loaded, 1 when it cannot be (then nothing is written and r is as it
 * was: the two passes follow), -1 on failure.
 */
static int
arff_one(struct arff_load *l, const char *table)
{
    struct load_ctx *c = l->c;
    const long long exact = 9007199254740992LL; /* 2^53: the integers a double holds */
    if (c->size - c->ah.data_offset > c->o->capture_bytes || !keep_fits(c, 0))
        return 1;
    long long lines = arff_lines(c);
    if (lines < 0)
        return -1;
    if (!keep_fits(c, lines) || keep_alloc(l, lines) < 0) {
        keep_drop(l);
        return 1;
    }
    long long n_skipped = c->r->n_skipped;
    size_t skipped_len = c->r->skipped.len;
    rows_start(c);
    c->ar.codes = keep_codes(l); /* the reader writes the nominal values into the tile */
    while (arff_read(&c->ar)) {
        if (load_tick(c, c->ar.p, 0.0, 1.0) < 0)
            return -1;
        if (c->ar.bad) {
            if (bad_arff_row(c) < 0)
                return -1;
            continue;
        }
        for (int k = 0; k < l->n_num; k++) { /* kinds_merge, and integers a double rounds */
            int i = l->num[k];
            const struct arff_value *v = &c->ar.vals[i];
            c->kinds[i] = csv_kind_merge(c->kinds[i], v->kind);
            if (v->kind == CSV_INT && (v->i > exact || v->i < -exact))
                l->wide[i] = 1;
        }
        keep_row(l);
        if (!l->block)
            break; /* more rows than lines: cannot be */
    }
    if (load_stopped(c) < 0)
        return -1;
    int again = !l->block;
    for (int i = 0; i < c->n_cols && !again; i++) /* as text, or integers a double rounds */
        again = c->kinds[i] == CSV_BIGINT || (c->kinds[i] == CSV_INT && l->wide[i]);
    if (again) { /* two passes, from the start */
        c->r->n_skipped = n_skipped;
        buf_truncate(&c->r->skipped, skipped_len);
        kinds_start(c);
        keep_drop(l);
        return 1;
    }
    if (l->n_tile)
        keep_flush(l);
    keep_levels(l);
    arff_settle(c);
    c->n_rows = c->n_inserted = l->n;
    if (one_write(l, table) < 0)
        return -1;
    keep_end(l);
    return 0;
}

int
load_arff(struct load_ctx *c, const char *table)
{
    struct arff_load l = {.c = c};
    struct load_rows rows = { 0, 0, &l, arff_next, arff_column };
    int rc = arff_begin(c) < 0 ? -1 : arff_one(&l, table);
    if (rc != 1)
        goto out;
    if (arff_scan(c) < 0) {
        rc = -1;
        goto out;
    }
    rows.n_cols = c->n_cols;
    rows.n_hint = c->n_rows;
    keep_start(&l);
    rc = load_create_table(c, table) < 0 || arff_insert_rows(c, table, &rows) < 0 ? -1 : 0;
    if (rc == 0)
        keep_end(&l);
out:
    keep_drop(&l);
    return rc;
}
