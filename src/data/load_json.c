/*
 * load_json.c: load_json of load_int.h: a JSON file, either one array of
 * objects or JSON Lines (one object per line), into a new table, read by
 * SQLite's own JSON functions (json_each).
 *
 * The form is told by the first byte that is not white space: '[' an
 * array, '{' JSON Lines. Two passes, as for ARFF: the first walks every
 * object's members to find the columns, the union of the keys in the
 * order they are first seen, and each column's kind by the CSV rules
 * (csv.h; a JSON string is classified as a CSV field is, a number by its
 * JSON type, true and false are the integers 1 and 0, an object or array
 * is text: its JSON); the second inserts the rows through
 * load_insert_rows, each value converted as the CSV loader converts it.
 * A key missing from an object is NULL in its row.
 *
 * The array is handed to SQLite whole (so it must fit SQLite's longest
 * value); JSON Lines go a line at a time, read as the file's image is
 * (load_image_fill, chunks given back behind). SQLite says only that
 * JSON is malformed; where, this file finds with a strict RFC 8259
 * scanner (scan_*), run only on text SQLite refused, for the message.
 *
 * The central structure is struct json_load: the statements, the
 * columns found so far and the row being built.
 */
#include "data/load_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/mem.h"
#include "data/csv.h"
#include "base/qerr.h"

#include "base/banned.h"

#define JSON_DEPTH 2000 /* SQLite's own nesting limit (JSON_MAX_DEPTH) */

struct json_load {
    struct load_ctx *c;
    int lines;             /* JSON Lines, else one array */
    int pass;              /* 0 finds the columns, 1 inserts */
    sqlite3_stmt *outer;   /* the array's elements: type, value */
    sqlite3_stmt *inner;   /* an object's members: key, type, atom, value */
    /* the columns: exact keys (keys may differ only in case) and kinds */
    char **keys;
    size_t *key_lens;
    enum csv_kind *kinds;
    int n_cols, cap_cols;
    int next_col;          /* where the next key is looked for first */
    /* where the reading stands */
    const char *p;         /* JSON Lines: the next line */
    long long line;        /* JSON Lines: the current line */
    long long index;       /* objects read so far in this pass */
    long long nul_lines;   /* lines skipped in pass 0 for a \u0000 */
    /* the row being built (pass 1) */
    struct load_cell *cells;
    struct buf text;       /* CELL_COPY text of the row */
};

/* ---- where malformed JSON goes wrong -------------------------------------- */

struct scan {
    const char *p, *end;
    const char *why;
    int depth;
};

static int
scan_fail(struct scan *s, const char *why)
{
    if (!s->why)
        s->why = why;
    return -1;
}

static int
scan_peek(const struct scan *s)
{
    return s->p < s->end ? (unsigned char)*s->p : -1;
}

static void
scan_ws(struct scan *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
        s->p++;
}

static int
is_digit(int ch)
{
    return ch >= '0' && ch <= '9';
}

static int
scan_string(struct scan *s)
{
    s->p++; /* the opening quote */
    while (s->p < s->end) {
        unsigned char ch = (unsigned char)*s->p;
        if (ch == '"') {
            s->p++;
            return 0;
        }
        if (ch < 0x20)
            return scan_fail(s, "a control character inside a string (write it as \\n, \\t "
                                "or \\u00XX)");
        if (ch == '\\') {
            s->p++;
            int e = scan_peek(s);
            if (e == 'u') {
                s->p++;
                for (int i = 0; i < 4; i++, s->p++)
                    if (s->p >= s->end || !strchr("0123456789abcdefABCDEF", *s->p) || !*s->p)
                        return scan_fail(s, "\\u must be followed by four hex digits");
                continue;
            }
            if (e < 0 || !strchr("\"\\/bfnrt", e) || !e)
                return scan_fail(s, "an unknown escape after a backslash");
            s->p++;
            continue;
        }
        if (ch >= 0x80) {
            int l = csv_utf8_len((const unsigned char *)s->p, (const unsigned char *)s->end);
            if (!l)
                return scan_fail(s, "a byte that is not UTF-8");
            s->p += l;
            continue;
        }
        s->p++;
    }
    return scan_fail(s, "a string that is never closed");
}

static int
scan_number(struct scan *s)
{
    if (scan_peek(s) == '-')
        s->p++;
    if (scan_peek(s) == '0')
        s->p++;
    else if (is_digit(scan_peek(s)))
        while (is_digit(scan_peek(s)))
            s->p++;
    else
        return scan_fail(s, "a number needs digits");
    if (scan_peek(s) == '.') {
        s->p++;
        if (!is_digit(scan_peek(s)))
            return scan_fail(s, "digits must follow a decimal point");
        while (is_digit(scan_peek(s)))
            s->p++;
    }
    if (scan_peek(s) == 'e' || scan_peek(s) == 'E') {
        s->p++;
        if (scan_peek(s) == '+' || scan_peek(s) == '-')
            s->p++;
        if (!is_digit(scan_peek(s)))
            return scan_fail(s, "an exponent needs digits");
        while (is_digit(scan_peek(s)))
            s->p++;
    }
    return 0;
}

static int scan_value(struct scan *s);

/* An object or array at s->p ('{' or '['). */
static int
scan_container(struct scan *s)
{
    char close = *s->p == '{' ? '}' : ']';
    if (++s->depth > JSON_DEPTH)
        return scan_fail(s, "nested more than 2000 levels deep");
    s->p++;
    scan_ws(s);
    if (scan_peek(s) == close) {
        s->p++;
        s->depth--;
        return 0;
    }
    for (;;) {
        scan_ws(s);
        if (close == '}') {
            if (scan_peek(s) != '"')
                return scan_fail(s, "an object's key must be a string in double quotes");
            if (scan_string(s) < 0)
                return -1;
            scan_ws(s);
            if (scan_peek(s) != ':')
                return scan_fail(s, "a ':' must follow an object's key");
            s->p++;
        }
        if (scan_value(s) < 0)
            return -1;
        scan_ws(s);
        int ch = scan_peek(s);
        if (ch == ',') {
            s->p++;
            continue;
        }
        if (ch == close) {
            s->p++;
            s->depth--;
            return 0;
        }
        if (ch < 0)
            return scan_fail(s, close == '}' ? "the text ends inside an object (no '}')"
                                             : "the text ends inside an array (no ']')");
        return scan_fail(s, close == '}' ? "',' or '}' must follow a value in an object"
                                         : "',' or ']' must follow a value in an array");
    }
}

static int
scan_word(struct scan *s, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, w, n) != 0)
        return scan_fail(s, "not a JSON value (text must be in double quotes)");
    s->p += n;
    return 0;
}

static int
scan_value(struct scan *s)
{
    scan_ws(s);
    int ch = scan_peek(s);
    switch (ch) {
    case -1: return scan_fail(s, "the text ends where a value should be");
    case '{':
    case '[': return scan_container(s);
    case '"': return scan_string(s);
    case 't': return scan_word(s, "true");
    case 'f': return scan_word(s, "false");
    case 'n': return scan_word(s, "null");
    default:
        if (ch == '-' || is_digit(ch))
            return scan_number(s);
        return scan_fail(s, "not a JSON value (text must be in double quotes)");
    }
}

/*
 * Where the n bytes at p stop being one JSON value: the offset, with *why
 * set; n + 1 (and *why NULL) when they are one.
 */
static size_t
scan_error(const char *p, size_t n, const char **why)
{
    struct scan s = {.p = p, .end = p + n};
    if (scan_value(&s) == 0) {
        scan_ws(&s);
        if (s.p < s.end)
            scan_fail(&s, "more text after the JSON value");
    }
    *why = s.why;
    return s.why ? (size_t)(s.p - p) : n + 1;
}

/* The offset of the first byte that is not UTF-8 in the n bytes at p, or n. */
static size_t
utf8_bad_at(const char *p, size_t n)
{
    const unsigned char *u = (const unsigned char *)p, *end = u + n;
    for (const unsigned char *q = u; q < end;) {
        if (*q < 0x80) {
            q++;
            continue;
        }
        int l = csv_utf8_len(q, end);
        if (!l)
            return (size_t)(q - u);
        q += l;
    }
    return n;
}

/*
 * Does the JSON text hold the escape \u0000 (not \\u0000, a backslash
 * and "u0000")? SQLite's text would end at the NUL, cutting the string
 * short without a word, so such an object is refused as CSV refuses a NUL.
 */
static int
has_nul_escape(const char *p, size_t n)
{
    const char *end = p + n;
    for (const char *q = p; (q = memchr(q, '\\', (size_t)(end - q))); q++) {
        if (end - q >= 6 && memcmp(q, "\\u0000", 6) == 0)
            return 1;
        if (q + 1 < end && q[1] == '\\')
            q++; /* an escaped backslash: what follows it is plain */
    }
    return 0;
}

/* ---- the columns ---------------------------------------------------------- */

/* The column of key (len bytes), added when new in pass 0; -1 with c->err set. */
static int
column_of(struct json_load *j, const char *key, size_t len)
{
    int n = j->n_cols;
    for (int k = 0; k < n; k++) {
        int i = (j->next_col + k) % n;
        if (j->key_lens[i] == len && memcmp(j->keys[i], key, len) == 0) {
            j->next_col = i + 1 < n ? i + 1 : 0;
            return i;
        }
    }
    if (j->pass == 1)
        return qerr_set(j->c->err, QE_IO, "'%s' changed while it was loading (a new key '%s'); "
                        "load it again once nothing writes to it", j->c->path, key);
    if (load_check_columns(j->c, n + 1) < 0)
        return -1;
    if (n == j->cap_cols) {
        j->cap_cols = j->cap_cols ? 2 * j->cap_cols : 16;
        j->keys = xrealloc(j->keys, (size_t)j->cap_cols * sizeof *j->keys);
        j->key_lens = xrealloc(j->key_lens, (size_t)j->cap_cols * sizeof *j->key_lens);
        j->kinds = xrealloc(j->kinds, (size_t)j->cap_cols * sizeof *j->kinds);
    }
    j->keys[n] = xstrndup(key, len);
    j->key_lens[n] = len;
    j->kinds[n] = CSV_NULL;
    j->n_cols = n + 1;
    j->next_col = 0;
    return n;
}

/* The CSV kind of a member's value (pass 0). */
static enum csv_kind
value_kind(sqlite3_stmt *st, const char *type)
{
    if (strcmp(type, "null") == 0)
        return CSV_NULL;
    if (strcmp(type, "true") == 0 || strcmp(type, "false") == 0)
        return CSV_INT;
    if (strcmp(type, "integer") == 0) /* wider than 64 bits, SQLite gives a double */
        return sqlite3_column_type(st, 2) == SQLITE_INTEGER ? CSV_INT : CSV_REAL;
    if (strcmp(type, "real") == 0)
        return CSV_REAL;
    if (strcmp(type, "text") == 0)
        return csv_classify((const char *)sqlite3_column_text(st, 2),
                            (size_t)sqlite3_column_bytes(st, 2));
    return CSV_TEXT; /* an object or an array */
}

/* Copy len bytes at s into the row's text as cell x. */
static void
cell_copy(struct json_load *j, struct load_cell *x, const char *s, size_t len)
{
    x->type = CELL_COPY;
    x->i = (long long)j->text.len;
    x->len = len;
    buf_add(&j->text, s, len);
}

/* Convert a member's value for its column of kind k into cell x (pass 1). */
static void
value_cell(struct json_load *j, sqlite3_stmt *st, const char *type, enum csv_kind k,
           struct load_cell *x)
{
    int num = k == CSV_INT || k == CSV_REAL;
    x->type = CELL_NULL;
    if (strcmp(type, "null") == 0)
        return;
    if (strcmp(type, "true") == 0 || strcmp(type, "false") == 0) {
        if (num) {
            x->type = k == CSV_INT ? CELL_INT : CELL_REAL;
            if (k == CSV_INT)
                x->i = type[0] == 't';
            else
                x->d = type[0] == 't';
        } else {
            cell_copy(j, x, type, strlen(type));
        }
        return;
    }
    if (strcmp(type, "integer") == 0 || strcmp(type, "real") == 0) {
        if (k == CSV_INT) {
            x->type = CELL_INT;
            x->i = sqlite3_column_int64(st, 2);
        } else if (k == CSV_REAL) {
            x->type = CELL_REAL;
            x->d = sqlite3_column_double(st, 2);
        } else {
            cell_copy(j, x, (const char *)sqlite3_column_text(st, 2),
                      (size_t)sqlite3_column_bytes(st, 2));
        }
        return;
    }
    int col = strcmp(type, "text") == 0 ? 2 : 3; /* an object or array: its JSON */
    const char *s = (const char *)sqlite3_column_text(st, col);
    size_t len = (size_t)sqlite3_column_bytes(st, col);
    if (!s)
        return;
    if (col == 2 && k != CSV_TEXT && k != CSV_BIGINT && k != CSV_NULL) {
        struct csv_value v;
        enum csv_kind got = csv_convert(s, len, k, &v);
        if (got == CSV_NULL)
            return;
        if (k == CSV_INT && got == CSV_INT) {
            x->type = CELL_INT;
            x->i = v.i;
            return;
        }
        if (k == CSV_REAL && got != CSV_DATE && got != CSV_TIMESTAMP && got != CSV_TEXT) {
            x->type = CELL_REAL;
            x->d = v.d;
            return;
        }
    }
    cell_copy(j, x, s, len);
}

/* ---- reading the objects --------------------------------------------------- */

static const char *
type_phrase(const char *type)
{
    if (strcmp(type, "array") == 0)
        return "an array";
    if (strcmp(type, "integer") == 0 || strcmp(type, "real") == 0)
        return "a number";
    if (strcmp(type, "text") == 0)
        return "a string";
    return type; /* true, false, null */
}

/* The line and column (from 1) of the byte at off of the text at base. */
static void
line_col(const char *base, size_t off, long long *line, long long *col)
{
    *line = 1;
    const char *ls = base;
    for (const char *q = base; (q = memchr(q, '\n', off - (size_t)(q - base))); q++) {
        ++*line;
        ls = q + 1;
    }
    *col = (long long)(base + off - ls) + 1;
}

/* SQLite refused the array: say where the JSON goes wrong. */
static int
array_error(struct json_load *j)
{
    struct load_ctx *c = j->c;
    const char *why;
    size_t off = scan_error(c->data, c->size, &why);
    if (!why)
        return load_sql_error(c->db, c->err, "SQLite cannot read the JSON");
    long long line, col;
    line_col(c->data, off, &line, &col);
    return qerr_set(c->err, QE_DATA, "'%s' line %lld, column %lld: invalid JSON: %s; fix the "
                    "file and load it again", c->path, line, col, why);
}

/* The n bytes of the line at p are bad: load_bad, in pass 0 only (pass 1 skips it again). */
static int
line_bad(struct json_load *j, const char *p, size_t n)
{
    struct load_ctx *c = j->c;
    if (j->pass == 1)
        return 0;
    size_t at = utf8_bad_at(p, n);
    if (at < n)
        return load_bad(c, j->line, load_decode_utf8_fix((unsigned char)p[at]),
                        "invalid UTF-8 (byte 0x%02x) at column %zu", (unsigned char)p[at],
                        at + 1);
    const char *why;
    size_t off = scan_error(p, n, &why);
    if (!why && *p == '{')
        return load_bad(c, j->line, "fix the line", "SQLite cannot read this JSON object");
    if (!why) {
        const char *type = *p == '[' ? "array" : *p == '"' ? "text"
                           : *p == 't' ? "true" : *p == 'f' ? "false" : *p == 'n' ? "null"
                                                                         : "integer";
        return load_bad(c, j->line, "write one object per line", "%s, not an object",
                        type_phrase(type));
    }
    return load_bad(c, j->line,
                    j->index == 0 && off >= n ? "write one whole object per line (JSON Lines), "
                                                "or an array of objects"
                                              : "fix the line",
                    "invalid JSON at column %zu: %s", off + 1, why);
}

/*
 * The next line of JSON Lines that is not blank: 1 with *obj and *len
 * set (and j->line), 0 at the end, -1 on a failed read.
 */
static int
next_line(struct json_load *j, const char **obj, size_t *len)
{
    struct load_ctx *c = j->c;
    const char *end = c->data + c->size;
    while (j->p < end) {
        const char *nl = NULL;
        size_t span = (size_t)1 << 16, n;
        for (;;) {
            n = (size_t)(end - j->p) < span ? (size_t)(end - j->p) : span;
            if (load_image_fill(&c->img, j->p, n) < 0) {
                load_stopped(c);
                return -1;
            }
            nl = memchr(j->p, '\n', n);
            if (nl || j->p + n == end)
                break;
            span *= 2;
        }
        const char *s = j->p, *e = nl ? nl : end;
        j->p = nl ? nl + 1 : end;
        j->line++;
        if (load_tick(c, s, j->pass ? 0.5 : 0.0, 0.5) < 0)
            return -1;
        while (s < e && (*s == ' ' || *s == '\t'))
            s++;
        while (e > s && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
            e--;
        if (s == e)
            continue;
        *obj = s;
        *len = (size_t)(e - s);
        return 1;
    }
    return 0;
}

/*
 * Walk the members of the next object: pass 0 widens the columns' kinds,
 * pass 1 fills j->cells. 1 for an object, 0 at the end, -1 on an error.
 */
static int
next_object(struct json_load *j)
{
    struct load_ctx *c = j->c;
    for (;;) {
        const char *obj = NULL;
        size_t len = 0;
        if (j->lines) {
            int rc = next_line(j, &obj, &len);
            if (rc <= 0)
                return rc;
            if (*obj != '{') {
                if (line_bad(j, obj, len) < 0)
                    return -1;
                continue;
            }
        } else {
            if (load_poll(c) < 0)
                return -1;
            int rc = sqlite3_step(j->outer);
            if (rc == SQLITE_DONE)
                return 0;
            if (rc != SQLITE_ROW)
                return array_error(j);
            const char *type = (const char *)sqlite3_column_text(j->outer, 0);
            if (strcmp(type, "object") != 0)
                return qerr_set(c->err, QE_DATA, "'%s': element %lld of the array is %s, not "
                                "an object; load reads an array of objects, or JSON Lines",
                                c->path, j->index + 1, type_phrase(type));
            obj = (const char *)sqlite3_column_text(j->outer, 1);
            len = (size_t)sqlite3_column_bytes(j->outer, 1);
        }
        if (j->lines && len >= (size_t)sqlite3_limit(c->db, SQLITE_LIMIT_LENGTH, -1)) {
            if (j->pass == 0 && load_bad(c, j->line, "split it", "a line of %zu MiB, longer "
                                         "than SQLite reads at once", len >> 20) < 0)
                return -1;
            continue;
        }
        if (j->lines && utf8_bad_at(obj, len) < len) {
            if (line_bad(j, obj, len) < 0)
                return -1;
            continue;
        }
        if (j->pass == 0 && has_nul_escape(obj, len)) {
            if (!j->lines)
                return qerr_set(c->err, QE_DATA, "'%s': element %lld of the array holds "
                                "\\u0000 (a NUL) in a string, which SQLite's text would cut "
                                "short; remove it and load again", c->path, j->index + 1);
            if (load_bad(c, j->line, "remove it", "\\u0000 (a NUL) in a string") < 0)
                return -1;
            j->nul_lines++;
            continue;
        }
        if (j->pass == 1 && j->nul_lines && has_nul_escape(obj, len))
            continue; /* skipped (and counted) in pass 0 */
        sqlite3_bind_text(j->inner, 1, obj, (int)len, SQLITE_STATIC);
        if (j->pass == 1) {
            for (int i = 0; i < j->n_cols; i++)
                j->cells[i].type = CELL_NULL;
            buf_reset(&j->text);
        }
        int rc;
        while ((rc = sqlite3_step(j->inner)) == SQLITE_ROW) {
            const char *key = (const char *)sqlite3_column_text(j->inner, 0);
            const char *type = (const char *)sqlite3_column_text(j->inner, 1);
            int i = column_of(j, key ? key : "", (size_t)sqlite3_column_bytes(j->inner, 0));
            if (i < 0)
                break;
            if (j->pass == 0)
                j->kinds[i] = csv_kind_merge(j->kinds[i], value_kind(j->inner, type));
            else
                value_cell(j, j->inner, type, j->kinds[i], &j->cells[i]);
        }
        sqlite3_reset(j->inner);
        sqlite3_clear_bindings(j->inner);
        if (qerr_failed(c->err))
            return -1;
        if (rc != SQLITE_DONE) {
            if (!j->lines)
                return load_sql_error(c->db, c->err, "SQLite cannot read the JSON");
            if (line_bad(j, obj, len) < 0)
                return -1;
            continue;
        }
        j->index++;
        return 1;
    }
}

/* ---- the two passes --------------------------------------------------------- */

static int
rows_next(void *ctx)
{
    struct json_load *j = ctx;
    if (!j->lines && j->c->n_rows > 0) /* what load_poll tells the progress callback */
        j->c->fraction = 0.5 + 0.5 * (double)j->index / (double)j->c->n_rows;
    return next_object(j);
}

static void
rows_column(void *ctx, sqlite3_context *sc, int i)
{
    struct json_load *j = ctx;
    const struct load_cell *x = &j->cells[i];
    switch (x->type) {
    case CELL_INT: sqlite3_result_int64(sc, x->i); break;
    case CELL_REAL: sqlite3_result_double(sc, x->d); break;
    case CELL_COPY:
        sqlite3_result_text(sc, j->text.data + x->i, (int)x->len, SQLITE_TRANSIENT);
        break;
    default: sqlite3_result_null(sc); break;
    }
}

/* Start a pass at the beginning of the file. */
static int
pass_start(struct json_load *j, int pass)
{
    struct load_ctx *c = j->c;
    j->pass = pass;
    j->index = 0;
    j->line = 0;
    j->p = c->data;
    j->next_col = 0;
    load_pass_start(c);
    if (j->lines)
        return 0;
    sqlite3_reset(j->outer);
    return 0;
}

int
load_json(struct load_ctx *c, const char *table)
{
    struct json_load j;
    int rc = -1;

    memset(&j, 0, sizeof j);
    j.c = c;
    buf_init(&j.text);
    const char *p = c->data, *end = c->data + c->size;
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    if (p == end) {
        qerr_set(c->err, QE_DATA, "'%s' holds only white space; there is nothing to load",
                 c->path);
        goto out;
    }
    if (*p != '[' && *p != '{') {
        qerr_set(c->err, QE_DATA, "'%s' starts with neither '[' nor '{'; load reads JSON as an "
                 "array of objects, or JSON Lines (one object per line)", c->path);
        goto out;
    }
    j.lines = *p == '{';
    if (sqlite3_prepare_v2(c->db, "SELECT key, type, atom, value FROM json_each(?1)", -1,
                           &j.inner, NULL) != SQLITE_OK) {
        load_sql_error(c->db, c->err, "cannot read JSON");
        goto out;
    }
    if (!j.lines) {
        int limit = sqlite3_limit(c->db, SQLITE_LIMIT_LENGTH, -1);
        if (c->size >= (size_t)limit) {
            qerr_set(c->err, QE_DATA, "'%s' is one JSON array of %zu MiB, more than SQLite "
                     "reads at once (%d MiB); write it as JSON Lines (one object per line), "
                     "which load reads a line at a time", c->path, c->size >> 20, limit >> 20);
            goto out;
        }
        if (load_image_fill(&c->img, c->data, c->size) < 0) {
            load_stopped(c);
            goto out;
        }
        size_t at = utf8_bad_at(c->data, c->size);
        if (at < c->size) {
            long long line, col;
            line_col(c->data, at, &line, &col);
            qerr_set(c->err, QE_DATA, "'%s' line %lld, column %lld: invalid UTF-8 (byte "
                     "0x%02x); %s", c->path, line, col, (unsigned char)c->data[at],
                     load_decode_utf8_fix((unsigned char)c->data[at]));
            goto out;
        }
        if (sqlite3_prepare_v2(c->db, "SELECT type, value FROM json_each(?1)", -1, &j.outer,
                               NULL) != SQLITE_OK) {
            load_sql_error(c->db, c->err, "cannot read JSON");
            goto out;
        }
        sqlite3_bind_text(j.outer, 1, c->data, (int)c->size, SQLITE_STATIC);
    }
    /* pass 0: the columns and their kinds */
    pass_start(&j, 0);
    int got;
    while ((got = next_object(&j)) > 0)
        ;
    if (got < 0 || load_stopped(c) < 0)
        goto out;
    if (j.n_cols == 0) {
        qerr_set(c->err, QE_DATA, "'%s' holds %s; there is nothing to load", c->path,
                 j.index ? "only empty objects" : "no objects");
        goto out;
    }
    c->n_rows = j.index;
    c->n_cols = j.n_cols;
    c->names = load_names_make(j.keys, j.n_cols);
    c->kinds = xcalloc((size_t)j.n_cols, sizeof *c->kinds);
    memcpy(c->kinds, j.kinds, (size_t)j.n_cols * sizeof *c->kinds);
    if (load_create_table(c, table) < 0 || load_progress(c, 0.5) < 0)
        goto out;
    load_note_wide(c);
    /* pass 1: the rows */
    j.cells = xcalloc((size_t)j.n_cols, sizeof *j.cells);
    pass_start(&j, 1);
    struct load_rows src = {.n_cols = j.n_cols, .n_hint = c->n_rows, .ctx = &j,
                            .next = rows_next, .column = rows_column};
    if (load_insert_rows(c->db, table, &src, c->err) < 0 || load_stopped(c) < 0)
        goto out;
    c->n_inserted = j.index;
    rc = 0;
out:
    sqlite3_finalize(j.outer);
    sqlite3_finalize(j.inner);
    for (int i = 0; i < j.n_cols; i++)
        free(j.keys[i]);
    free(j.keys);
    free(j.key_lens);
    free(j.kinds);
    free(j.cells);
    buf_release(&j.text);
    return rc;
}
