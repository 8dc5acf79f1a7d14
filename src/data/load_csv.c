/*
 * load_csv.c: loading CSV and TSV files, the CSV half of load_file.
 *
 * CSV loads in one pass when it can. A sample (the first rows, and short
 * runs at even spacing through the file) gives a guess of the column
 * types and of the header; the table is created with the guess, and the
 * insert pass converts every value by its column's declared type, which
 * also checks it, while keeping the exact type of every column over the
 * whole file. If those exact types, or the header decision they imply,
 * differ from the guess, the table is dropped and filled again with the
 * exact types: the result is always what whole-file inference gives.
 * Measured on 1,000,000 rows x 10 columns (64 MB), a separate inference
 * pass cost about a fifth of the whole load.
 */
#include "data/load_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "data/csv.h"
#include "data/coltab.h"
#include "data/frame.h"
#include "base/qerr.h"

#include "base/banned.h"

/* A record csv_read found bad (bad, at line, in field, byte): load_bad. */
static int
bad_record(struct load_ctx *c, enum csv_bad bad, long long line, int field, unsigned char byte)
{
    switch (bad) {
    case CSV_BAD_NUL:
        return load_bad(c, line, "save it as UTF-8 text",
                        "NUL byte in field %d (is this a binary or UTF-16 file?)", field);
    case CSV_BAD_UTF8:
        return load_bad(c, line, load_decode_utf8_fix(byte),
                        "invalid UTF-8 (byte 0x%02x) in field %d", byte, field);
    case CSV_BAD_UNTERMINATED:
        return load_bad(c, line, "close the quote",
                        "the quote that opens field %d is never closed", field);
    case CSV_BAD_AFTER_QUOTE:
        if (load_quote_fix(c))
            return load_bad_full(c, line, c->ragged_fix,
                                 "text after the closing quote of field %d", field);
        return load_bad(c, line, "quote the whole field and double quotes inside it",
                        "text after the closing quote of field %d", field);
    default:
        return 0;
    }
}

/*
 * A record of n_fields fields (width without a trailing empty one), not
 * c->n_cols, at line: load_bad with the fix that fits.
 */
static int
ragged(struct load_ctx *c, long long line, int n_fields, int width)
{
    int full;
    const char *fix = load_ragged_fix(c, n_fields, &full);
    if (full)
        return load_bad_full(c, line, fix, "%d fields, expected %d", width, c->n_cols);
    return load_bad(c, line, fix, "%d fields, expected %d", width, c->n_cols);
}

static int
bad_csv_record(struct load_ctx *c)
{
    const struct csv_reader *rd = &c->rd;
    return bad_record(c, rd->bad, rd->bad_line, rd->bad_field, rd->bad_byte);
}

#define SAMPLE_HEAD 1000 /* rows read from the start */
#define SAMPLE_RUNS 32   /* runs of rows further on */
#define SAMPLE_RUN 32    /* rows per run */
#define SAMPLE_SEEK (1 << 20) /* a run starts at a line end at most this far on */

/*
 * The first '\n' in the SAMPLE_SEEK bytes from p (inside the file), or
 * NULL; the file is read a piece at a time, only as far as the search goes.
 */
static const char *
next_line_end(struct load_ctx *c, const char *p)
{
    const char *end = c->data + c->size, *stop = (size_t)(end - p) > SAMPLE_SEEK ? p + SAMPLE_SEEK
                                                                                  : end;
    while (p < stop) {
        size_t n = LOAD_CHUNK - (size_t)(p - c->img.base) % LOAD_CHUNK;
        if (n > (size_t)(stop - p))
            n = (size_t)(stop - p);
        if (load_image_fill(&c->img, p, n) < 0)
            return NULL;
        const char *nl = memchr(p, '\n', n);
        if (nl)
            return nl;
        p += n;
    }
    return NULL;
}

/* Widen kinds by a record's fields, and check_again. */
static void
infer_record(struct load_ctx *c, const struct csv_field *f, enum csv_kind *kinds, int *again)
{
    for (int i = 0; i < c->n_cols; i++)
        if (kinds[i] != CSV_TEXT)
            kinds[i] = csv_kind_merge(kinds[i], load_classify(c, f[i].p, f[i].len));
    load_check_again(c, f, again);
}

/* Read to the first good record (reporting bad ones): the header or the first row. */
static int
csv_first(struct load_ctx *c)
{
    struct csv_reader *rd = &c->rd;
    csv_reader_seek(rd, c->start, c->start_line);
    while (csv_read(rd)) {
        if (rd->bad) {
            if (bad_csv_record(c) < 0)
                return -1;
            continue;
        }
        int n = rd->n_fields;
        const struct csv_field *last = &rd->fields[n - 1];
        if (c->trail && n > 1 && last->len == 0 && !last->quoted)
            n--; /* the line ends in the delimiter */
        if (load_check_columns(c, n) < 0)
            return -1;
        c->n_cols = n;
        /* A copy: the chunks of the file that hold it are given back as the passes go on. */
        size_t len = (size_t)(rd->p - rd->rec);
        c->hdr_text = xmalloc(len + 1);
        memcpy(c->hdr_text, rd->rec, len);
        c->hdr_text[len] = '\0';
        c->hdr = xcalloc((size_t)n, sizeof(*c->hdr));
        memcpy(c->hdr, rd->fields, (size_t)n * sizeof(*c->hdr));
        for (int i = 0; i < n; i++)
            c->hdr[i].p = c->hdr_text + (rd->fields[i].p - rd->rec);
        c->hdr_kind = xcalloc((size_t)n, sizeof(*c->hdr_kind));
        for (int i = 0; i < n; i++)
            c->hdr_kind[i] = load_classify(c, c->hdr[i].p, c->hdr[i].len);
        c->cand = c->o->header < 0 && load_header_candidate(c);
        c->first = rd->rec;
        c->first_line = rd->rec_line;
        c->body = rd->p;
        c->body_line = rd->line;
        c->skip_mark = c->r->n_skipped;
        c->skip_len = c->r->skipped.len;
        return 0;
    }
    if (load_stopped(c) < 0)
        return -1;
    if (c->r->n_skipped)
        return qerr_set(c->err, QE_DATA, "'%s' has no good records: all %lld were bad (%.*s)",
                        c->path, c->r->n_skipped, (int)strcspn(c->r->skipped.data, "\n"),
                        c->r->skipped.data);
    return qerr_set(c->err, QE_DATA, "'%s' is empty; there is nothing to load", c->path);
}

/* Guess the body's kinds from a sample; *again as for infer_record. */
static void
csv_sample(struct load_ctx *c, enum csv_kind *kinds, int *again)
{
    struct csv_reader rd;
    size_t bytes = 0;
    long long rows = 0;

    load_reader_init(c, &rd);
    csv_reader_seek(&rd, c->body, c->body_line);
    c->second_kind = xcalloc((size_t)c->n_cols, sizeof(*c->second_kind));
    c->rest_kind = xcalloc((size_t)c->n_cols, sizeof(*c->rest_kind));
    for (int run = 0; run <= SAMPLE_RUNS; run++) {
        int want = run ? SAMPLE_RUN : SAMPLE_HEAD;
        if (run) {
            /* Start after a line end; a run that starts inside quotes soon goes ragged. */
            const char *p = c->data + c->size / (SAMPLE_RUNS + 1) * (size_t)run;
            const char *nl = p > rd.p ? next_line_end(c, p) : NULL;
            if (!nl)
                continue;
            csv_reader_seek(&rd, nl + 1, 0);
        }
        for (int k = 0; k < want && csv_read(&rd); k++) {
            if (rd.bad || !load_fit(c, &rd, NULL))
                break;
            infer_record(c, rd.fields, kinds, again);
            if (run == 0 && k == 0) {
                c->second_line = rd.rec_line;
                for (int i = 0; i < c->n_cols; i++)
                    c->second_kind[i] = load_classify(c, rd.fields[i].p, rd.fields[i].len);
            } else {
                for (int i = 0; i < c->n_cols; i++)
                    if (c->rest_kind[i] != CSV_TEXT)
                        c->rest_kind[i] = csv_kind_merge(
                            c->rest_kind[i], load_classify(c, rd.fields[i].p, rd.fields[i].len));
            }
            bytes += (size_t)(rd.p - rd.rec);
            rows++;
        }
    }
    c->n_rows = rows ? (long long)(c->size / (bytes / (size_t)rows + 1)) : 0;
    csv_reader_release(&rd);
}

/* Settle the header and the declared kinds from the body's kinds. */
static void
csv_decide(struct load_ctx *c, const enum csv_kind *body, int again)
{
    c->has_header = load_header_decide(c, body, again, &c->watch_again);
    /* A column of rows all missing holds numbers, as pandas reads it; a header alone, text. */
    int rows = c->n_rows > 0 || !c->has_header; /* n_rows: the sample's estimate */
    for (int i = 0; i < c->n_cols; i++) {
        enum csv_kind k = c->has_header ? body[i] : csv_kind_merge(body[i], c->hdr_kind[i]);
        c->kinds[i] = k != CSV_NULL ? k : rows ? CSV_REAL : CSV_TEXT;
    }
    load_names_free(c->names, c->n_cols);
    char **raw = NULL;
    if (c->has_header) {
        raw = xcalloc((size_t)c->n_cols, sizeof(*raw));
        for (int i = 0; i < c->n_cols; i++) {
            buf_reset(&c->tmp);
            csv_unescape(&c->tmp, &c->hdr[i]);
            raw[i] = xstrdup(c->tmp.data);
        }
    }
    c->names = load_names_make(raw, c->n_cols);
    load_names_free(raw, raw ? c->n_cols : 0);
}

/* After a value that does not fit: finish the exact kinds over the rest of the file. */
static int
csv_infer_rest(struct load_ctx *c)
{
    struct csv_reader *rd = &c->rd;
    if (rd->rec != c->first)
        infer_record(c, rd->fields, c->exact, &c->again);
    while (csv_read(rd)) {
        if (rd->bad || !load_fit(c, rd, NULL))
            continue; /* reported by the pass that inserts */
        infer_record(c, rd->fields, c->exact, &c->again);
        if (load_tick(c, rd->rec, 0.0, 1.0) < 0)
            return -1;
    }
    return load_stopped(c);
}

/* A row is ready in c->row: count it, keep room for its capture, tick. */
static int
csv_row_done(struct load_ctx *c, const char *rec)
{
    c->n_inserted++;
    load_capture_room(c);
    return load_tick(c, rec, 0.0, 1.0) < 0 ? -1 : 1;
}

/* csv_next with a worker thread: the same decisions, on its events. */
static int
csv_next_piped(struct load_ctx *c)
{
    struct load_event ev;
    for (;;) {
        load_pipe_get(c, &ev);
        switch (ev.what) {
        case LOAD_EV_ROW:
            c->row = ev.cells;
            c->copy_base = ev.copy_base;
            return csv_row_done(c, ev.rec);
        case LOAD_EV_BAD:
            if (bad_record(c, ev.bad, ev.line, ev.field, ev.byte) < 0)
                return -1;
            continue;
        case LOAD_EV_RAGGED:
            if (ragged(c, ev.line, ev.n_fields, ev.field) < 0)
                return -1;
            continue;
        case LOAD_EV_MISMATCH:
            /* As csv_next: from this record on, only the exact kinds, in this thread. */
            load_pipe_stop(c);
            c->mismatch = 1;
            csv_reader_seek(&c->rd, ev.rec, ev.line);
            csv_read(&c->rd);
            load_fit(c, &c->rd, NULL); /* as the worker fitted it (padded, say) */
            return csv_infer_rest(c) < 0 ? -1 : 0;
        case LOAD_EV_END:
            load_pipe_stop(c);
            return load_stopped(c);
        case LOAD_EV_STOP:
            return -1;
        }
    }
}

static int
csv_next(void *ctx)
{
    struct load_ctx *c = ctx;
    struct csv_reader *rd = &c->rd;

    if (c->pipe)
        return csv_next_piped(c);
    while (csv_read(rd)) {
        if (rd->bad) {
            if (bad_csv_record(c) < 0)
                return -1;
            continue;
        }
        if (!load_fit(c, rd, &c->counts)) {
            if (ragged(c, rd->rec_line, rd->n_fields, load_width(c, rd)) < 0)
                return -1;
            continue;
        }
        int first = rd->rec == c->first;
        if (c->watch_again && !first)
            load_check_again(c, rd->fields, &c->again);
        buf_reset(&c->tmp);
        if (load_csv_cells(c, rd->fields, c->cells, c->exact, &c->tmp, !first, &c->counts)) {
            c->mismatch = 1;
            return csv_infer_rest(c) < 0 ? -1 : 0;
        }
        c->row = c->cells;
        c->copy_base = c->tmp.data;
        return csv_row_done(c, rd->rec);
    }
    return load_stopped(c);
}

/* The frame cache's copy of cell i of the row (load_capture), when column i is captured. */
static void
capture(struct load_ctx *c, int i, const struct load_cell *v)
{
    if (c->cap && c->cap[i])
        c->cap[i][c->n_inserted - 1] = v->type == CELL_INT ? (double)v->i
                                       : v->type == CELL_REAL ? v->d
                                                              : NAN;
}

static void
csv_column(void *ctx, sqlite3_context *sc, int i)
{
    struct load_ctx *c = ctx;
    const struct load_cell *v = &c->row[i];
    capture(c, i, v);
    switch (v->type) {
    case CELL_INT:
        sqlite3_result_int64(sc, v->i);
        break;
    case CELL_REAL:
        sqlite3_result_double(sc, v->d);
        break;
    case CELL_TEXT:
        /* The mapping outlives the statement. */
        sqlite3_result_text64(sc, v->s, v->len, SQLITE_STATIC, SQLITE_UTF8);
        break;
    case CELL_COPY:
        sqlite3_result_text64(sc, c->copy_base + v->i, v->len, SQLITE_TRANSIENT, SQLITE_UTF8);
        break;
    default:
        sqlite3_result_null(sc);
        break;
    }
}

/* csv_column for coltab_append: the same value (and capture), as C holds it. */
static void
csv_value(void *ctx, int i, struct coltab_value *out)
{
    struct load_ctx *c = ctx;
    const struct load_cell *v = &c->row[i];
    capture(c, i, v);
    switch (v->type) {
    case CELL_INT:
        out->type = SQLITE_INTEGER;
        out->i = v->i;
        break;
    case CELL_REAL:
        out->type = SQLITE_FLOAT;
        out->d = v->d;
        break;
    case CELL_TEXT:
    case CELL_COPY:
        out->type = SQLITE_TEXT;
        out->s = v->type == CELL_TEXT ? v->s : c->copy_base + v->i;
        out->len = (size_t)v->len;
        break;
    default:
        out->type = SQLITE_NULL;
        break;
    }
}

/* The rows into the table: a column table takes them straight into its arrays. */
static int
csv_insert_rows(struct load_ctx *c, const char *table, struct load_rows *rows)
{
    if (c->o->columns && coltab_is(c->db, table)) { /* past 1994 columns: ordinary */
        struct coltab_rows cr = {c->n_cols, c, csv_next, csv_value, c->n_rows};
        int rc = coltab_append(c->db, table, &cr, c->err);
        if (rc <= 0)
            return rc;
    }
    return load_insert_rows(c->db, table, rows, c->err);
}

/* One insert pass over the body with the declared kinds. */
static int
csv_insert(struct load_ctx *c, const char *table)
{
    struct load_rows rows = { c->n_cols, c->n_rows, c, csv_next, csv_column };
    c->mismatch = 0;
    c->again = 0;
    c->n_inserted = 0;
    memset(&c->counts, 0, sizeof(c->counts));
    for (int i = 0; i < c->n_cols; i++)
        c->exact[i] = CSV_NULL;
    if (c->has_header)
        csv_reader_seek(&c->rd, c->body, c->body_line);
    else
        csv_reader_seek(&c->rd, c->first, c->first_line);
    load_pass_start(c);
    load_capture_start(c);
    if (load_create_table(c, table) < 0)
        return -1;
    /* a column table's arrays are read into frames directly (frame.c): keep no copy */
    if (c->o->columns && coltab_is(c->db, table))
        load_capture_drop(c);
    load_pipe_start(c);
    int rc = csv_insert_rows(c, table, &rows);
    load_pipe_stop(c); /* on an error or a cancel; at the end csv_next_piped has */
    return rc < 0 ? -1 : 0;
}

/* Set c->again by reading the whole body (when the insert pass did not watch it). */
static int
csv_scan_again(struct load_ctx *c)
{
    struct csv_reader rd;
    int rc = 0;
    load_reader_init(c, &rd);
    csv_reader_seek(&rd, c->body, c->body_line);
    load_pass_start(c);
    c->again = 0;
    while (!c->again && csv_read(&rd)) {
        if (!rd.bad && load_fit(c, &rd, NULL))
            load_check_again(c, rd.fields, &c->again);
        if ((rc = load_tick(c, rd.rec, 0.0, 1.0)) < 0)
            break;
    }
    csv_reader_release(&rd);
    return rc < 0 ? -1 : load_stopped(c);
}

int
load_csv(struct load_ctx *c, const char *table)
{
    int n, again = 0, was_header;

    if (load_dialect(c) < 0)
        return -1;
    load_reader_init(c, &c->rd);
    if (csv_first(c) < 0)
        return -1;
    n = c->n_cols;
    c->kinds = xcalloc((size_t)n, sizeof(*c->kinds));
    c->exact = xcalloc((size_t)n, sizeof(*c->exact));
    c->cells = xcalloc((size_t)n, sizeof(*c->cells));
    enum csv_kind *guess = xcalloc((size_t)n, sizeof(*guess));
    csv_sample(c, guess, &again);
    if (load_stopped(c) < 0)
        goto fail;
    csv_decide(c, guess, again);
    memcpy(guess, c->kinds, (size_t)n * sizeof(*guess));
    was_header = c->has_header;
    if (csv_insert(c, table) < 0)
        goto fail;

    /* The exact kinds over the whole file: do they match what the table declares? */
    int watched = c->watch_again, needs_again;
    load_header_decide(c, c->exact, 0, &needs_again);
    if (needs_again && !watched && csv_scan_again(c) < 0)
        goto fail;
    csv_decide(c, c->exact, c->again);
    /* Same declared types is enough: a CSV_BIGINT and a CSV_TEXT column store the same. */
    int same = c->has_header == was_header && !c->mismatch;
    for (int i = 0; i < n && same; i++)
        same = strcmp(csv_kind_decl(guess[i]), csv_kind_decl(c->kinds[i])) == 0;
    if (!same) {
        /* a column table's first try goes with its arrays (none can bring it back) */
        if (c->o->columns && coltab_is(c->db, table) && coltab_discard(c->db, table, c->err) < 0)
            goto fail;
        char *sql = sqlite3_mprintf("DROP TABLE \"%w\"", table);
        int rc = sql ? sqlite3_exec(c->db, sql, NULL, NULL, NULL) : SQLITE_NOMEM;
        sqlite3_free(sql);
        if (rc != SQLITE_OK) {
            load_sql_error(c->db, c->err, "cannot drop the first try");
            goto fail;
        }
        c->r->n_skipped = c->skip_mark;
        buf_truncate(&c->r->skipped, c->skip_len);
        memcpy(guess, c->kinds, (size_t)n * sizeof(*guess));
        if (csv_insert(c, table) < 0)
            goto fail;
        if (c->mismatch) {
            qerr_set(c->err, QE_INTERNAL, "column types of '%s' changed between passes",
                     c->path);
            goto fail;
        }
    }
    load_header_note(c);
    load_names_note(c);
    if (c->counts.na)
        buf_addf(&c->r->summary, "missing: %lld marker%s of a missing value (NA, n/a, nan, -, "
                 "...) read as NULL; na= sets the markers\n", c->counts.na,
                 c->counts.na == 1 ? "" : "s");
    if (c->counts.padded)
        buf_addf(&c->r->summary, "padded %lld short row%s with NULL (onerror=pad)\n",
                 c->counts.padded, c->counts.padded == 1 ? "" : "s");
    load_skipped_note(c);
    load_late_header_note(c);
    load_note_wide(c);
    free(guess);
    return 0;
fail:
    free(guess);
    return -1;
}
