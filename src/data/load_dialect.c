/*
 * load_dialect.c: how a CSV file is written, settled before its first
 * record is read, and the decisions that hang on it (load.h, "Dialect"):
 * lines skipped at the start, the delimiter sniffed, a trailing empty
 * field on every record, the decimal comma, the missing-value markers,
 * whether the first record is a header, and what to suggest for a record
 * of the wrong width. Called by load_csv.c and load_cells.c; calls
 * load_ctx.c and load_image.c.
 *
 * The central structure is struct load_sniff: the widths of the first
 * records (up to LOAD_SNIFF_BYTES of them) as one candidate delimiter
 * splits them, kept for the hints a ragged record gets later.
 */
#include "data/load_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "data/csv.h"
#include "base/qerr.h"

#include "base/banned.h"

#define SNIFF_RECORDS 20 /* records looked at per candidate */

/* The first records of the file as one delimiter splits them. */
struct load_sniff {
    char delim;
    int n;                               /* records read */
    int width[SNIFF_RECORDS];            /* fields of each */
    unsigned char last_empty[SNIFF_RECORDS]; /* it ends in an empty unquoted field */
    long long line[SNIFF_RECORDS];       /* where it starts */
    int mode;                            /* the most common width (the wider on a tie) */
    int agree;                           /* records of that width */
    int empty;                           /* some record has an empty unquoted field */
    int wordy;                           /* some record after the first has no number */
};

static const char candidates[] = { ',', '\t', ';', '|' };

/* ---- skip=N ------------------------------------------------------------ */

/* Set c->start after o->skip_lines line ends. */
static int
skip_lines(struct load_ctx *c)
{
    const char *p = c->data, *end = c->data + c->size;
    long long left = c->o->skip_lines;

    c->start = c->data;
    c->start_line = 1;
    while (left > 0 && p < end) {
        size_t n = LOAD_CHUNK - (size_t)(p - c->img.base) % LOAD_CHUNK;
        if (n > (size_t)(end - p))
            n = (size_t)(end - p);
        if (load_image_fill(&c->img, p, n) < 0)
            return load_stopped(c);
        const char *nl = memchr(p, '\n', n);
        if (!nl) {
            p += n;
            continue;
        }
        p = nl + 1;
        left--;
        c->start_line++;
    }
    if (p >= end)
        return qerr_set(c->err, QE_DATA, "'%s' has nothing left to load after skip=%d lines",
                        c->path, c->o->skip_lines);
    c->start = p;
    return 0;
}

/* ---- missing-value markers --------------------------------------------- */

static void
take_markers(struct load_ctx *c)
{
    const char *list = c->o->na ? c->o->na : LOAD_NA_DEFAULT;
    size_t len = strlen(list);
    int cap = 1;
    for (size_t i = 0; i < len; i++)
        cap += list[i] == ',';
    c->marker_text = xmalloc(len + 1);
    memcpy(c->marker_text, list, len + 1);
    c->marker = xcalloc((size_t)cap, sizeof(*c->marker));
    c->marker_len = xcalloc((size_t)cap, sizeof(*c->marker_len));
    c->n_markers = 0;
    for (char *p = c->marker_text;;) {
        char *e = strchr(p, ',');
        char *stop = e ? e : p + strlen(p);
        while (p < stop && (*p == ' ' || *p == '\t'))
            p++;
        char *q = stop;
        while (q > p && (q[-1] == ' ' || q[-1] == '\t'))
            q--;
        if (q > p) {
            c->marker[c->n_markers] = p;
            c->marker_len[c->n_markers++] = (size_t)(q - p);
        }
        if (!e)
            break;
        p = e + 1;
    }
}

/* The len bytes at p are a missing-value marker (spaces around it aside). */
static int
is_marker(const struct load_ctx *c, const char *p, size_t len)
{
    while (len && (*p == ' ' || *p == '\t')) {
        p++;
        len--;
    }
    while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
        len--;
    for (int i = 0; i < c->n_markers; i++)
        if (c->marker_len[i] == len && memcmp(c->marker[i], p, len) == 0)
            return 1;
    return 0;
}

enum csv_kind
load_text_kind(const struct load_ctx *c, const char *p, size_t len, enum csv_kind col,
               struct csv_value *v)
{
    if (c->decimal == ',' && len < 64) {
        const char *comma = memchr(p, ',', len);
        if (comma && !memchr(p, '.', len) &&
            !memchr(comma + 1, ',', len - (size_t)(comma + 1 - p))) {
            char t[64];
            memcpy(t, p, len);
            t[comma - p] = '.';
            enum csv_kind k = v ? csv_convert(t, len, col, v) : csv_classify(t, len);
            if (k == CSV_INT || k == CSV_REAL)
                return k;
        }
    }
    return is_marker(c, p, len) ? CSV_NULL : CSV_TEXT;
}

/* ---- the delimiter ----------------------------------------------------- */

/* Read the first records of the n bytes at buf (buf[n] == 0) with s->delim into s. */
static void
sniff_read(struct load_ctx *c, const char *buf, size_t n, int cut, struct load_sniff *s)
{
    struct csv_reader rd;
    csv_reader_init(&rd, buf, n, s->delim);
    csv_reader_seek(&rd, buf, c->start_line);
    s->n = 0;
    s->empty = s->wordy = 0;
    while (s->n < SNIFF_RECORDS && csv_read(&rd)) {
        /* A record that runs to the end of a cut piece may be cut too. */
        if (cut && rd.p >= buf + n)
            break;
        int numbers = 0;
        for (int i = 0; i < rd.n_fields; i++) {
            const struct csv_field *g = &rd.fields[i];
            s->empty |= g->len == 0 && !g->quoted;
            enum csv_kind k = g->len ? csv_classify(g->p, g->len) : CSV_NULL;
            numbers += k == CSV_INT || k == CSV_REAL;
        }
        s->wordy |= s->n > 0 && !numbers;
        const struct csv_field *f = &rd.fields[rd.n_fields - 1];
        s->width[s->n] = rd.n_fields;
        s->last_empty[s->n] = rd.n_fields > 1 && f->len == 0 && !f->quoted;
        s->line[s->n] = rd.rec_line;
        s->n++;
    }
    csv_reader_release(&rd);
    s->mode = 0;
    s->agree = 0;
    for (int i = 0; i < s->n; i++) {
        int k = 0;
        for (int j = 0; j < s->n; j++)
            k += s->width[j] == s->width[i];
        if (k > s->agree || (k == s->agree && s->width[i] > s->mode)) {
            s->agree = k;
            s->mode = s->width[i];
        }
    }
}

static struct load_sniff *
sniff_of(struct load_ctx *c, char delim)
{
    for (int i = 0; i < c->n_sniff; i++)
        if (c->sniff[i].delim == delim)
            return &c->sniff[i];
    return NULL;
}

/* Sniff every candidate (and the given delimiter) over the first bytes after c->start. */
static int
sniff_all(struct load_ctx *c)
{
    size_t left = c->size - (size_t)(c->start - c->data);
    size_t n = left < LOAD_SNIFF_BYTES ? left : LOAD_SNIFF_BYTES;
    if (load_image_fill(&c->img, c->start, n) < 0)
        return load_stopped(c);
    char *buf = xmalloc(n + 1);
    memcpy(buf, c->start, n);
    buf[n] = '\0';
    c->sniff = xcalloc(sizeof(candidates) + 3, sizeof(*c->sniff));
    c->n_sniff = 0;
    for (size_t i = 0; i < sizeof(candidates); i++)
        c->sniff[c->n_sniff++].delim = candidates[i];
    c->sniff[c->n_sniff++].delim = ' '; /* the last resorts: see sniff_pick */
    c->sniff[c->n_sniff++].delim = CSV_DELIM_RUNS;
    if (c->delim && !sniff_of(c, c->delim))
        c->sniff[c->n_sniff++].delim = c->delim;
    for (int i = 0; i < c->n_sniff; i++)
        sniff_read(c, buf, n, n < left, &c->sniff[i]);
    free(buf);
    return 0;
}

/*
 * The delimiter for which the most first records agree on a width above
 * one. A single space only when none of the others splits anything, every
 * first record has the same width above one with no empty field (so no
 * runs of spaces, no space at either end), and every record after the
 * first holds a number (so a column of two-word names stays one column):
 * a matrix of numbers written with spaces, as statsmodels' spector.csv
 * and sklearn's linnerud_exercise.csv are. Failing that, runs of spaces
 * and tabs by the same rule: columns aligned with blanks, as
 * matplotlib's data_x_x2_x3.csv is.
 */
static char
sniff_pick(struct load_ctx *c)
{
    const struct load_sniff *best = NULL;
    for (size_t i = 0; i < sizeof(candidates); i++) {
        const struct load_sniff *s = sniff_of(c, candidates[i]);
        if (candidates[i] == ',' && c->decimal == ',')
            continue;
        if (s->mode > 1 && (!best || s->agree > best->agree))
            best = s;
    }
    const struct load_sniff *sp = sniff_of(c, ' ');
    if (!best && sp->n >= 2 && sp->mode > 1 && sp->agree == sp->n && !sp->empty && !sp->wordy)
        best = sp;
    const struct load_sniff *sr = sniff_of(c, CSV_DELIM_RUNS);
    if (!best && sr->n >= 2 && sr->mode > 1 && sr->agree == sr->n && !sr->empty && !sr->wordy)
        best = sr;
    return best ? best->delim : c->decimal == ',' ? ';' : ',';
}

/* Every first record ends in an empty field (the first may lack it). */
static int
sniff_trail(const struct load_sniff *s)
{
    if (s->n == 0)
        return 0;
    int all = 1, but_first = s->n >= 2;
    for (int i = 0; i < s->n; i++)
        all &= s->last_empty[i];
    for (int i = 1; i < s->n; i++)
        but_first &= s->last_empty[i] && s->width[i] == s->width[0] + 1;
    return all || (but_first && !s->last_empty[0] && s->width[0] > 1);
}

int
load_dialect(struct load_ctx *c)
{
    const struct load_opts *o = c->o;
    c->decimal = o->decimal == ',' ? ',' : 0;
    if (o->decimal && o->decimal != '.' && o->decimal != ',')
        return qerr_set(c->err, QE_ARG, "decimal must be '.' or ',', not '%c'", o->decimal);
    if (c->decimal == ',' && c->delim == ',')
        return qerr_set(c->err, QE_ARG, "with decimal=',' the fields cannot be separated by ','"
                        " too; say delim=';' (or tab), or leave delim out to sniff it");
    if (o->skip_lines < 0)
        return qerr_set(c->err, QE_ARG, "skip must be 0 or more, not %d", o->skip_lines);
    take_markers(c);
    if (skip_lines(c) < 0 || sniff_all(c) < 0)
        return -1;
    if (!c->delim)
        c->delim = sniff_pick(c);
    c->trail = sniff_trail(sniff_of(c, c->delim));
    return 0;
}

void
load_dialect_release(struct load_ctx *c)
{
    free(c->marker);
    free(c->marker_len);
    free(c->marker_text);
    free(c->sniff);
    free(c->ragged_fix);
    free(c->second_kind);
    free(c->rest_kind);
    c->second_kind = NULL;
    c->rest_kind = NULL;
    c->marker = NULL;
    c->marker_len = NULL;
    c->marker_text = NULL;
    c->sniff = NULL;
    c->ragged_fix = NULL;
    c->n_markers = c->n_sniff = 0;
}

/* ---- the header -------------------------------------------------------- */

enum {
    HDR_GIVEN,     /* header=yes or no */
    HDR_TYPES,     /* names over columns of numbers or dates */
    HDR_YEARS,     /* names and consecutive years */
    HDR_NAMES,     /* text that does not appear again */
    HDR_NO_TYPES,  /* the first record has the columns' types */
    HDR_NO_AGAIN,  /* a value of it appears again in its column */
    HDR_NO_MIXED,  /* nothing says header */
};

/* 1 numbers, 2 dates and timestamps, 0 text or nothing. */
static int
family(enum csv_kind k)
{
    return k == CSV_INT || k == CSV_REAL || k == CSV_BIGINT   ? 1
           : k == CSV_DATE || k == CSV_TIMESTAMP ? 2
                                                  : 0;
}

int
load_header_candidate(const struct load_ctx *c)
{
    int names = 0;
    for (int i = 0; i < c->n_cols; i++) {
        if (c->hdr_kind[i] != CSV_TEXT && c->hdr_kind[i] != CSV_NULL)
            return 0;
        names += c->hdr_kind[i] == CSV_TEXT;
    }
    return names > 0;
}

/* Rule (2) of load.h: non-empty text and two or more consecutive years over numbers. */
static int
years(const struct load_ctx *c, const enum csv_kind *body)
{
    long long prev = 0;
    int n = 0;
    for (int i = 0; i < c->n_cols; i++) {
        if (c->hdr_kind[i] == CSV_TEXT)
            continue;
        long long y;
        if (c->hdr_kind[i] != CSV_INT || csv_parse_int(c->hdr[i].p, c->hdr[i].len, &y) < 0 ||
            y < 1000 || y > 2999 || (n && y != prev + 1) ||
            (body[i] != CSV_NULL && family(body[i]) != 1))
            return 0;
        prev = y;
        n++;
    }
    return n >= 2;
}

int
load_header_decide(struct load_ctx *c, const enum csv_kind *body, int again, int *needs_again)
{
    int yes = 0, no = 0;
    *needs_again = 0;
    if (c->o->header >= 0) {
        c->hdr_rule = HDR_GIVEN;
        return c->o->header > 0;
    }
    for (int i = 0; i < c->n_cols; i++) {
        int b = family(body[i]);
        if (!b)
            continue;
        /* A missing value there is data too: a header names every column it can. */
        if (c->hdr_kind[i] == CSV_NULL || family(c->hdr_kind[i]) == b)
            no++;
        else
            yes++;
    }
    if (yes && yes >= no) {
        c->hdr_rule = HDR_TYPES;
        return 1;
    }
    if (years(c, body)) {
        c->hdr_rule = HDR_YEARS;
        return 1;
    }
    if (!yes && !no && c->cand) {
        *needs_again = 1;
        c->hdr_rule = again ? HDR_NO_AGAIN : HDR_NAMES;
        return !again;
    }
    c->hdr_rule = no ? HDR_NO_TYPES : HDR_NO_MIXED;
    return 0;
}

void
load_header_note(struct load_ctx *c)
{
    static const char *const why[] = {
        [HDR_GIVEN] = "",
        [HDR_TYPES] = "names over columns of numbers or dates",
        [HDR_YEARS] = "names and consecutive years over columns of numbers",
        [HDR_NAMES] = "no value of the first row appears again in its column",
        [HDR_NO_TYPES] = "the first row has the columns' types",
        [HDR_NO_AGAIN] = "a value of the first row appears again in its column",
        [HDR_NO_MIXED] = "the first row is not all names",
    };
    if (!c->o->delim && c->delim == ' ')
        buf_addf(&c->r->summary, "delimiter: space (sniffed: the first lines all split into "
                 "%d fields at single spaces; say delim=',' if that is wrong)\n",
                 sniff_of(c, ' ')->mode);
    if (!c->o->delim && c->delim == CSV_DELIM_RUNS)
        buf_addf(&c->r->summary, "delimiter: blanks (sniffed: the first lines all split into "
                 "%d fields at runs of spaces or tabs; say delim=',' if that is wrong)\n",
                 sniff_of(c, CSV_DELIM_RUNS)->mode);
    if (c->hdr_rule == HDR_GIVEN)
        return;
    buf_addf(&c->r->summary, "header: %s (detected: %s; say header=%s if that is wrong)\n",
             c->has_header ? "yes" : "no", why[c->hdr_rule], c->has_header ? "no" : "yes");
}

void
load_late_header_note(struct load_ctx *c)
{
    int yes = 0, no = 0, names = 0;
    if (c->o->header >= 0 || c->has_header || !c->second_kind || !c->second_line)
        return;
    for (int i = 0; i < c->n_cols; i++) {
        if (c->second_kind[i] != CSV_TEXT && c->second_kind[i] != CSV_NULL)
            return;
        names += c->second_kind[i] == CSV_TEXT;
    }
    for (int i = 0; i < c->n_cols; i++) {
        if (!family(c->rest_kind[i]))
            continue;
        if (c->second_kind[i] == CSV_TEXT)
            yes++;
        else
            no++;
    }
    if (!names || !yes || yes < no)
        return;
    buf_addf(&c->r->summary, "line %lld looks like the header, under a line of notes: load "
             "with skip=%lld\n", c->second_line, c->second_line - 1);
}

void
load_names_note(struct load_ctx *c)
{
    if (!c->has_header)
        return;
    int n = 0;
    for (int i = 0; i < c->n_cols; i++) {
        buf_reset(&c->tmp);
        csv_unescape(&c->tmp, &c->hdr[i]);
        const char *s = c->tmp.data;
        size_t len = c->tmp.len;
        while (len && (*s == ' ' || *s == '\t')) {
            s++;
            len--;
        }
        while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
            len--;
        if (strlen(c->names[i]) == len && memcmp(c->names[i], s, len) == 0)
            continue;
        buf_adds(&c->r->summary, n++ ? ", " : "column names made unique: ");
        if (len)
            buf_addf(&c->r->summary, "'%.*s' again as '%s'", (int)len, s, c->names[i]);
        else
            buf_addf(&c->r->summary, "column %d has no name: '%s'", i + 1, c->names[i]);
    }
    if (n)
        buf_addc(&c->r->summary, '\n');
}

/* ---- hints for a record of the wrong width ----------------------------- */

/* A delimiter as the user writes it in delim=. */
static const char *
delim_word(char d)
{
    return d == '\t' ? "tab" : d == ';' ? "';'" : d == '|' ? "'|'" : d == ',' ? "','" : NULL;
}

/*
 * The first lines have another width than the records after them: the
 * lines to skip (counted from the file's start), or 0.
 */
static long long
title_lines(struct load_ctx *c)
{
    const struct load_sniff *s = sniff_of(c, c->delim);
    if (!s || s->mode < 2 || s->agree < 2 || s->width[0] == s->mode)
        return 0;
    int j = 1;
    while (j < s->n && s->width[j] != s->mode)
        j++;
    for (int i = j; i < s->n; i++)
        if (s->width[i] != s->mode)
            return 0; /* the rows do not agree either: not a title's doing */
    return j < s->n ? s->line[j] - 1 : 0;
}

/* Another delimiter that splits every first record into the same fields, or NULL. */
static const struct load_sniff *
other_delim(const struct load_ctx *c)
{
    for (int i = 0; i < c->n_sniff; i++) {
        const struct load_sniff *t = &c->sniff[i];
        if (t->delim != c->delim && t->mode > 1 && t->n >= 2 && t->agree == t->n &&
            delim_word(t->delim) && !(t->delim == ',' && c->decimal == ','))
            return t;
    }
    return NULL;
}

const char *
load_quote_fix(struct load_ctx *c)
{
    const struct load_sniff *other = other_delim(c);
    if (!other || c->o->skip_bad)
        return NULL;
    struct buf b = BUF_INIT;
    buf_addf(&b, "every line has %d fields when split at %s: load with delim=%s", other->mode,
             delim_word(other->delim), delim_word(other->delim));
    free(c->ragged_fix);
    c->ragged_fix = buf_detach(&b);
    return c->ragged_fix;
}

/* The fix for a ragged record of n_fields fields, into c->ragged_fix. */
static const char *
make_fix(struct load_ctx *c, int n_fields, int *full)
{
    struct buf b = BUF_INIT;
    const struct load_sniff *s = sniff_of(c, c->delim);
    long long skip = title_lines(c);

    *full = 1;
    if (skip && s && n_fields == s->mode) {
        if (skip == 1)
            buf_addf(&b, "line 1 looks like a title or note above the table: load with skip=1");
        else
            buf_addf(&b, "lines 1-%lld look like a title or notes above the table: load with "
                     "skip=%lld", skip, skip);
    } else {
        const struct load_sniff *other = other_delim(c);
        if (other) {
            buf_addf(&b, "every line has %d fields when split at %s: load with delim=%s",
                     other->mode, delim_word(other->delim), delim_word(other->delim));
        } else if (!c->o->delim && (c->delim == ' ' || c->delim == CSV_DELIM_RUNS)) {
            buf_addf(&b, "fix that row (the first lines split at %s; delim=',' "
                     "keeps each line whole)",
                     c->delim == ' ' ? "single spaces" : "runs of spaces or tabs");
            *full = 0;
        } else if (n_fields < c->n_cols) {
            buf_adds(&b, "fix that row, or load with onerror=pad to fill short rows with NULL "
                     "or onerror=skip to leave them out");
        } else {
            buf_adds(&b, "fix that row");
            *full = 0;
        }
    }
    free(c->ragged_fix);
    c->ragged_fix = buf_detach(&b);
    return c->ragged_fix;
}

const char *
load_ragged_fix(struct load_ctx *c, int n_fields, int *full)
{
    *full = 0;
    if (c->o->skip_bad)
        return "fix that row"; /* only counted: no need to work it out for every row */
    return make_fix(c, n_fields, full);
}

void
load_skipped_note(struct load_ctx *c)
{
    const struct load_sniff *s = sniff_of(c, c->delim);
    long long skip = title_lines(c);
    int full;
    if (!c->o->skip_bad || c->r->n_skipped <= c->n_inserted || !skip || !s)
        return;
    make_fix(c, s->mode, &full);
    buf_addf(&c->r->summary, "most rows were skipped: %s\n", c->ragged_fix);
}
