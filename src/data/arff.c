/*
 * arff.c: the ARFF header parser and row reader of arff.h.
 *
 * Both work a line at a time on a struct span, a [p, e) piece of the
 * input with no line end in it: ARFF has no quoted line breaks (they are
 * written \n). Date patterns are compiled once per attribute into
 * struct arff_date_part arrays and matched against each value.
 */
#include "data/arff.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/banned.h"

struct span {
    const char *p, *e;
};

/* ---- shared lexing ---------------------------------------------------- */

static void
skip_ws(struct span *s)
{
    while (s->p < s->e && (*s->p == ' ' || *s->p == '\t'))
        s->p++;
}

static int
at_end(struct span *s)
{
    skip_ws(s);
    return s->p == s->e || *s->p == '%';
}

/*
 * The next line of [*pp, *end) without its line end; advances *pp past
 * it. Input read in pieces (fill, csv.h): a zero byte before the end goes
 * to fill->more first, and when that fails the input ends there (*end
 * moves back to it).
 */
static struct span
next_line(const char **pp, const char **end, const struct csv_fill *fill)
{
    const char *q = *pp;
    for (;;) {
        q += strcspn(q, "\n"); /* to a line end or a zero byte: *end is one */
        if (*q == '\n' || q >= *end)
            break;
        int rc = fill && fill->more ? fill->more(fill->ctx, q, 1) : 0;
        if (rc < 0) {
            *end = q;
            break;
        }
        q += rc == 0; /* a NUL of the data (bad_byte reports it), or look again */
    }
    struct span s = { *pp, q };
    *pp = q < *end ? q + 1 : *end;
    if (s.e > s.p && s.e[-1] == '\r')
        s.e--;
    return s;
}

/*
 * Read a value or name at s->p: quoted (' or ", backslash escapes) into
 * out, or bare up to whitespace (stop_ws), one of the stop bytes (at most
 * two), or '%'.
 * Sets *quoted. Returns 0, or -1 for an unclosed quote.
 */
static int
read_token(struct span *s, struct buf *out, const char *stops, int stop_ws, int *quoted)
{
    buf_reset(out);
    skip_ws(s);
    *quoted = s->p < s->e && (*s->p == '\'' || *s->p == '"');
    if (*quoted) {
        char q = *s->p++;
        while (s->p < s->e && *s->p != q) {
            char ch = *s->p++;
            if (ch == '\\' && s->p < s->e) {
                ch = *s->p++;
                ch = ch == 'n' ? '\n' : ch == 't' ? '\t' : ch == 'r' ? '\r' : ch;
            }
            buf_addc(out, ch);
        }
        if (s->p == s->e)
            return -1;
        s->p++;
        return 0;
    }
    const char *start = s->p;
    /* stops is at most two bytes (",", ",}", "{", ""): tested inline, not by strchr */
    char s0 = stops[0], s1 = s0 ? stops[1] : 0;
    for (; s->p < s->e; s->p++) {
        char ch = *s->p;
        if (ch == '%' || (ch && (ch == s0 || ch == s1)) || (stop_ws && (ch == ' ' || ch == '\t')))
            break;
    }
    const char *e = s->p;
    while (e > start && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    buf_add(out, start, (size_t)(e - start));
    return 0;
}

/* The first byte in [p, e) that is NUL or not UTF-8, or NULL if all are fine. */
static const char *
bad_byte(const char *p, const char *e)
{
    const unsigned char *u = (const unsigned char *)p, *ue = (const unsigned char *)e;
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    while (u < ue) {
        /* eight ASCII bytes, none of them NUL, at a time: most lines are all of them */
        while (ue - u >= 8) {
            uint64_t w;
            memcpy(&w, u, sizeof(w));
            if ((w & highs) || ((w - ones) & ~w & highs))
                break;
            u += 8;
        }
        if (u == ue)
            break;
        if (*u == 0)
            return (const char *)u;
        if (*u < 0x80) {
            u++;
            continue;
        }
        int k = csv_utf8_len(u, ue);
        if (!k)
            return (const char *)u;
        u += k;
    }
    return NULL;
}

/* ---- the header ------------------------------------------------------- */

static void
release_attr(struct arff_attr *a)
{
    free(a->name);
    for (int i = 0; i < a->n_values; i++)
        free(a->values[i]);
    free(a->values);
    free(a->value_lens);
    free(a->slots);
    for (int i = 0; i < a->n_parts; i++)
        free(a->parts[i].text);
    free(a->parts);
}

void
arff_header_release(struct arff_header *h)
{
    free(h->relation);
    for (int i = 0; i < h->n_attrs; i++)
        release_attr(&h->attrs[i]);
    free(h->attrs);
    memset(h, 0, sizeof(*h));
}

static int
header_error(struct qerr *err, const char *name, long long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
header_error(struct qerr *err, const char *name, long long line, const char *fmt, ...)
{
    struct buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(&b, fmt, ap);
    va_end(ap);
    qerr_set(err, QE_DATA, "'%s' line %lld: %s", name, line, b.data);
    buf_release(&b);
    return -1;
}

/*
 * Room for element n (of size bytes each) of an array of n: arrays grow
 * by doubling, at counts that are powers of two, so that a header of
 * 200,000 nominal values or attributes is read in linear time.
 */
static void *
grow(void *p, int n, size_t size)
{
    if (n & (n - 1))
        return p; /* room left */
    return xrealloc(p, (size_t)(n ? 2 * n : 1) * size);
}

static uint64_t
hash_bytes(const char *s, size_t len)
{
    uint64_t h = 14695981039346656037ULL; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

/*
 * A nominal attribute of more than NOMINAL_LINEAR values gets a hash
 * table of its values: open addressing, at most half full, each slot the
 * index of a value or -1; a repeated value keeps its first index, as the
 * linear search does.
 */
#define NOMINAL_LINEAR 8

static void
nominal_hash(struct arff_attr *a)
{
    if (a->n_values <= NOMINAL_LINEAR)
        return;
    size_t n = 16;
    while (n < 2 * (size_t)a->n_values)
        n *= 2;
    a->slots = xmalloc(n * sizeof(*a->slots));
    a->n_slots = n;
    memset(a->slots, 0xff, n * sizeof(*a->slots));
    for (int k = 0; k < a->n_values; k++) {
        size_t i = hash_bytes(a->values[k], a->value_lens[k]) & (n - 1);
        for (; a->slots[i] >= 0; i = (i + 1) & (n - 1)) {
            int j = a->slots[i];
            if (a->value_lens[j] == a->value_lens[k] &&
                memcmp(a->values[j], a->values[k], a->value_lens[k]) == 0)
                break;
        }
        if (a->slots[i] < 0)
            a->slots[i] = k;
    }
}

/* The index of the nominal value of a that is the len bytes at s, or -1. */
static inline int
nominal_find(const struct arff_attr *a, const char *s, size_t len)
{
    if (!a->slots) {
        for (int k = 0; k < a->n_values; k++)
            if (a->value_lens[k] == len && (len == 0 || a->values[k][0] == s[0]) &&
                (len < 2 || memcmp(a->values[k] + 1, s + 1, len - 1) == 0))
                return k;
        return -1;
    }
    size_t mask = a->n_slots - 1;
    for (size_t i = hash_bytes(s, len) & mask;; i = (i + 1) & mask) {
        int k = a->slots[i];
        if (k < 0 || (a->value_lens[k] == len && memcmp(a->values[k], s, len) == 0))
            return k;
    }
}

/* Parse the nominal list after '{' in s into a. */
static int
parse_nominal(struct arff_attr *a, struct span *s, struct buf *tok, const char *name,
              long long line, struct qerr *err)
{
    int quoted;
    for (;;) {
        if (read_token(s, tok, ",}", 0, &quoted) < 0)
            return header_error(err, name, line, "a quote in the values of '%s' is never "
                                "closed; close it", a->name);
        if (tok->len || quoted) {
            a->values = grow(a->values, a->n_values, sizeof(*a->values));
            a->value_lens = grow(a->value_lens, a->n_values, sizeof(*a->value_lens));
            a->value_lens[a->n_values] = tok->len;
            a->values[a->n_values++] = xstrndup(tok->data, tok->len);
        }
        skip_ws(s);
        if (s->p < s->e && *s->p == ',') {
            s->p++;
            continue;
        }
        if (s->p < s->e && *s->p == '}') {
            s->p++;
            break;
        }
        return header_error(err, name, line, "the values of '%s' need a closing '}'; write "
                            "{a,b,c} on one line", a->name);
    }
    if (!a->n_values)
        return header_error(err, name, line, "nominal attribute '%s' has no values; list "
                            "them as {a,b,c}", a->name);
    nominal_hash(a);
    return 0;
}

/* Parse "NAME TYPE" after @attribute. */
static int
parse_attribute(struct arff_header *h, struct span *s, struct buf *tok, const char *name,
                long long line, struct qerr *err)
{
    int quoted;
    if (read_token(s, tok, "{", 1, &quoted) < 0 || (!tok->len && !quoted))
        return header_error(err, name, line, "@attribute needs a name and a type, as in "
                            "@attribute age numeric");
    h->attrs = grow(h->attrs, h->n_attrs, sizeof(*h->attrs));
    struct arff_attr *a = &h->attrs[h->n_attrs++];
    memset(a, 0, sizeof(*a));
    a->name = xstrndup(tok->data, tok->len);
    skip_ws(s);
    if (s->p < s->e && *s->p == '{') {
        s->p++;
        a->type = ARFF_NOMINAL;
        if (parse_nominal(a, s, tok, name, line, err) < 0)
            return -1;
    } else {
        const char *w = s->p;
        while (s->p < s->e && *s->p != ' ' && *s->p != '\t' && *s->p != '%')
            s->p++;
        size_t n = (size_t)(s->p - w);
        if ((n == 7 && strncasecmp(w, "numeric", 7) == 0) ||
            (n == 4 && strncasecmp(w, "real", 4) == 0) ||
            (n == 7 && strncasecmp(w, "integer", 7) == 0)) {
            a->type = ARFF_NUMERIC;
        } else if (n == 6 && strncasecmp(w, "string", 6) == 0) {
            a->type = ARFF_STRING;
        } else if (n == 4 && strncasecmp(w, "date", 4) == 0) {
            char bad = 0;
            a->type = ARFF_DATE;
            if (read_token(s, tok, "", 0, &quoted) < 0)
                return header_error(err, name, line, "the date pattern of '%s' has an "
                                    "unclosed quote", a->name);
            if (!tok->len)
                buf_adds(tok, "yyyy-MM-dd'T'HH:mm:ss");
            if (arff_date_compile(a, tok->data, &bad) < 0)
                return header_error(err, name, line, "date pattern letter '%c' of '%s' is "
                                    "not supported; use y M d H h m s S a E Z X", bad,
                                    a->name);
        } else if (n == 10 && strncasecmp(w, "relational", 10) == 0) {
            return header_error(err, name, line, "relational attribute '%s' is not "
                                "supported; flatten the data first", a->name);
        } else {
            return header_error(err, name, line, "unknown type '%.*s' for attribute '%s'; "
                                "use numeric, integer, real, string, date or {a,b,c}",
                                (int)n, w, a->name);
        }
    }
    if (!at_end(s))
        return header_error(err, name, line, "unexpected text after the type of '%s'",
                            a->name);
    return 0;
}

int
arff_header_parse(struct arff_header *h, const char *data, size_t size,
                  const struct csv_fill *fill, const char *name, struct qerr *err)
{
    const char *p = data, *end = data + size;
    struct buf tok = BUF_INIT;
    long long line = 0;
    int rc = -1, quoted;

    memset(h, 0, sizeof(*h));
    while (p < end) {
        struct span s = next_line(&p, &end, fill);
        line++;
        const char *b = bad_byte(s.p, s.e);
        if (b) {
            header_error(err, name, line, "%s; save the file as UTF-8 text",
                         *b ? "invalid UTF-8" : "NUL byte");
            goto out;
        }
        if (at_end(&s))
            continue;
        const char *kw = s.p;
        while (s.p < s.e && *s.p != ' ' && *s.p != '\t' && *s.p != '{')
            s.p++;
        size_t n = (size_t)(s.p - kw);
        if (n == 9 && strncasecmp(kw, "@relation", 9) == 0) {
            if (read_token(&s, &tok, "", 1, &quoted) < 0) {
                header_error(err, name, line, "the relation name has an unclosed quote");
                goto out;
            }
            free(h->relation);
            h->relation = xstrndup(tok.data, tok.len);
        } else if (n == 10 && strncasecmp(kw, "@attribute", 10) == 0) {
            if (parse_attribute(h, &s, &tok, name, line, err) < 0)
                goto out;
        } else if (n == 5 && strncasecmp(kw, "@data", 5) == 0) {
            if (!h->n_attrs) {
                header_error(err, name, line, "@data comes before any @attribute; declare "
                             "the attributes first");
                goto out;
            }
            h->data_offset = (size_t)(p - data);
            h->data_line = line + 1;
            rc = 0;
            goto out;
        } else {
            header_error(err, name, line, "expected @relation, @attribute or @data, found "
                         "'%.*s'", (int)(n > 40 ? 40 : n), kw);
            goto out;
        }
    }
    qerr_set(err, QE_DATA, "'%s' has no @data line; is it an ARFF file? (load .csv files "
             "as csv)", name);
out:
    buf_release(&tok);
    return rc;
}

/* ---- rows ------------------------------------------------------------- */

void
arff_reader_init(struct arff_reader *r, const struct arff_header *h, const char *data,
                 size_t size)
{
    memset(r, 0, sizeof(*r));
    r->h = h;
    r->p = data + h->data_offset;
    r->end = data + size;
    r->line = h->data_line;
    r->vals = xcalloc((size_t)(h->n_attrs ? h->n_attrs : 1), sizeof(*r->vals));
    r->nominal_run = xcalloc((size_t)h->n_attrs + 1, sizeof(*r->nominal_run));
    for (int i = h->n_attrs - 1; i >= 0; i--)
        r->nominal_run[i] = h->attrs[i].type == ARFF_NOMINAL ? r->nominal_run[i + 1] + 1 : 0;
    buf_init(&r->why);
    buf_init(&r->scratch);
    buf_init(&r->tok);
}

void
arff_reader_release(struct arff_reader *r)
{
    free(r->vals);
    r->vals = NULL;
    free(r->nominal_run);
    r->nominal_run = NULL;
    buf_release(&r->why);
    buf_release(&r->scratch);
    buf_release(&r->tok);
}

static int
row_bad(struct arff_reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
row_bad(struct arff_reader *r, const char *fmt, ...)
{
    va_list ap;
    if (r->bad)
        return -1;
    r->bad = 1;
    buf_reset(&r->why);
    va_start(ap, fmt);
    buf_vaddf(&r->why, fmt, ap);
    va_end(ap);
    return -1;
}

/* Skip leading zeros of a number so "007" and "-01.5" parse as 7 and -1.5. */
static int
lenient_number(const char *s, size_t len, struct arff_value *v)
{
    struct buf b = BUF_INIT;
    size_t i = 0;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        buf_addc(&b, s[i++]);
    while (i + 1 < len && s[i] == '0' && s[i + 1] >= '0' && s[i + 1] <= '9')
        i++;
    buf_add(&b, s + i, len - i);
    int rc = -1;
    if (csv_parse_int(b.data, b.len, &v->i) == 0) {
        v->kind = CSV_INT;
        rc = 0;
    } else if (csv_parse_real(b.data, b.len, &v->d) == 0) {
        v->kind = CSV_REAL;
        rc = 0;
    }
    buf_release(&b);
    return rc;
}

/* Give attribute i the value in tok (quoted or bare); text goes to scratch. */
static int
set_value(struct arff_reader *r, int i, const struct buf *tok, int quoted)
{
    const struct arff_attr *a = &r->h->attrs[i];
    struct arff_value *v = &r->vals[i];

    v->scratch = 0;
    if (!quoted && tok->len == 1 && tok->data[0] == '?') {
        v->kind = CSV_NULL;
        if (r->codes)
            r->codes[i] = -1;
        return 0;
    }
    switch (a->type) {
    case ARFF_NUMERIC:
        if (csv_parse_int(tok->data, tok->len, &v->i) == 0) {
            v->kind = CSV_INT;
        } else {
            v->kind = csv_classify(tok->data, tok->len);
            if (v->kind == CSV_NULL)
                return 0; /* nan is missing */
            /* A wide integer (CSV_BIGINT) makes the column text (load_arff.c). */
            if (v->kind != CSV_BIGINT && csv_parse_real(tok->data, tok->len, &v->d) == 0)
                v->kind = CSV_REAL;
            else if (v->kind != CSV_BIGINT && lenient_number(tok->data, tok->len, v) < 0)
                return row_bad(r, "'%.40s' is not a number (attribute '%s')", tok->data,
                               a->name);
        }
        if (!a->as_text)
            return 0;
        v->kind = CSV_TEXT; /* a number, kept as it is written */
        break;
    case ARFF_NOMINAL: {
        int k = nominal_find(a, tok->data, tok->len);
        if (k < 0)
            return row_bad(r, "'%.40s' is not one of the values of attribute '%s'", tok->data,
                           a->name);
        v->kind = CSV_TEXT;
        v->s = a->values[k];
        v->len = tok->len;
        v->code = k;
        if (r->codes)
            r->codes[i] = k;
        return 0;
    }
    case ARFF_STRING:
        v->kind = CSV_TEXT;
        break;
    case ARFF_DATE:
        v->kind = a->kind;
        break;
    }
    /* Text: its offset in scratch goes in i until the row is done (scratch may move). */
    v->scratch = 1;
    r->has_scratch = 1;
    v->i = (long long)r->scratch.len;
    if (a->type == ARFF_DATE) {
        if (arff_date_convert(a, tok->data, tok->len, &r->scratch) < 0)
            return row_bad(r, "'%.40s' does not match the date pattern of attribute '%s'",
                           tok->data, a->name);
    } else {
        buf_add(&r->scratch, tok->data, tok->len);
    }
    v->len = r->scratch.len - (size_t)v->i;
    return 0;
}

/* After the values: an optional instance weight {w}, then the end of the line. */
static int
row_tail(struct arff_reader *r, struct span *s)
{
    skip_ws(s);
    if (s->p < s->e && *s->p == ',') {
        s->p++;
        skip_ws(s);
    }
    if (s->p < s->e && *s->p == '{') {
        const char *close = memchr(s->p, '}', (size_t)(s->e - s->p));
        if (!close)
            return row_bad(r, "an instance weight {w} is not closed");
        r->saw_weight = 1;
        s->p = close + 1;
    }
    if (!at_end(s))
        return row_bad(r, "more than %d values", r->h->n_attrs);
    return 0;
}

/*
 * A bare value at p (not quoted, not blank, not '%') of the row ending at
 * e, as read_token with stops "," reads it, found with no copy: missing
 * ('?') or a value of a nominal attribute into r->vals[i]. Returns the
 * byte after it, or NULL when it is neither (read_token and set_value
 * take it then, and say what is wrong).
 */
static inline const char *
bare_value(struct arff_reader *r, int i, const char *p, const char *e)
{
    struct arff_value *v = &r->vals[i];
    if (*p == '?' && (p + 1 == e || p[1] == ',')) { /* the usual missing: no scan */
        v->scratch = 0;
        v->kind = CSV_NULL;
        if (r->codes)
            r->codes[i] = -1;
        return p + 1;
    }
    const struct arff_attr *a = &r->h->attrs[i];
    if (a->type != ARFF_NOMINAL)
        return NULL;
    const char *q = p, *te;
    while (q < e && *q != ',' && *q != '%')
        q++;
    for (te = q; te > p && (te[-1] == ' ' || te[-1] == '\t'); te--)
        ;
    size_t len = (size_t)(te - p);
    if (len == 1 && *p == '?')
        return NULL; /* '?' and blanks: set_value says missing */
    int k = nominal_find(a, p, len);
    if (k < 0)
        return NULL;
    if (r->codes) { /* vals[i] is not read */
        r->codes[i] = k;
        return q;
    }
    v->scratch = 0;
    v->kind = CSV_TEXT;
    v->s = a->values[k];
    v->len = len;
    v->code = k;
    return q;
}

static int
read_dense(struct arff_reader *r, struct span *s, struct buf *tok)
{
    int n = r->h->n_attrs, quoted;
    const char *p = s->p, *e = s->e; /* s->p, kept here while no other function needs it */
    uint64_t four_missing;
    memcpy(&four_missing, "?,?,?,?,", 8);
    for (int i = 0; i < n; i++) {
        if (i > 0) {
            if (p < e && *p == ',') {
                p++; /* the common case: no space before the comma */
            } else {
                s->p = p;
                skip_ws(s);
                if (s->p == e || *s->p != ',')
                    return row_bad(r, "%d values, expected %d", i, n);
                p = s->p + 1;
            }
        }
        /* a basket file's runs of missing nominal values, four at a time, into codes */
        while (r->codes && i + 4 < n && r->nominal_run[i] >= 4 && e - p >= 8) {
            uint64_t w;
            memcpy(&w, p, 8);
            if (w != four_missing)
                break;
            r->codes[i] = r->codes[i + 1] = r->codes[i + 2] = r->codes[i + 3] = -1;
            p += 8;
            i += 4;
        }
        if (p < e && *p != ' ' && *p != '\t' && *p != '%' && *p != '\'' && *p != '"') {
            const char *q = bare_value(r, i, p, e);
            if (q) { /* missing or nominal, the cells of a basket file: no token copied */
                p = q;
                continue;
            }
        }
        s->p = p;
        if (at_end(s))
            return row_bad(r, "%d values, expected %d", i, n);
        if (read_token(s, tok, ",", 0, &quoted) < 0)
            return row_bad(r, "the quote that opens value %d is never closed", i + 1);
        if (set_value(r, i, tok, quoted) < 0)
            return -1;
        p = s->p;
    }
    s->p = p;
    skip_ws(s);
    if (s->p < s->e && *s->p == ',') {
        struct span t = { s->p + 1, s->e };
        skip_ws(&t);
        if (t.p == t.e || *t.p != '{')
            return row_bad(r, "more than %d values", n);
    }
    return row_tail(r, s);
}

static int
read_sparse(struct arff_reader *r, struct span *s, struct buf *tok)
{
    static const char epoch_date[] = "1970-01-01", epoch_ts[] = "1970-01-01T00:00:00";
    const struct arff_header *h = r->h;
    int quoted;

    for (int i = 0; i < h->n_attrs; i++) {
        const struct arff_attr *a = &h->attrs[i];
        struct arff_value *v = &r->vals[i];
        v->scratch = 0;
        v->kind = a->type == ARFF_NUMERIC ? CSV_INT : a->type == ARFF_DATE ? a->kind : CSV_TEXT;
        v->i = 0;
        v->code = 0;
        if (r->codes)
            r->codes[i] = 0;
        v->s = a->type == ARFF_NOMINAL ? a->values[0]
               : a->type == ARFF_DATE  ? (a->has_time ? epoch_ts : epoch_date)
                                       : "";
        v->len = strlen(v->s);
    }
    s->p++; /* the '{' */
    for (;;) {
        skip_ws(s);
        if (s->p < s->e && *s->p == '}') {
            s->p++;
            break;
        }
        int idx = 0, nd = 0;
        while (s->p < s->e && *s->p >= '0' && *s->p <= '9' && idx <= h->n_attrs) {
            idx = idx * 10 + (*s->p++ - '0');
            nd++;
        }
        if (!nd || idx >= h->n_attrs)
            return row_bad(r, "a sparse entry needs an attribute index 0-%d and a value",
                           h->n_attrs - 1);
        if (read_token(s, tok, ",}", 0, &quoted) < 0)
            return row_bad(r, "the quote in the value of attribute %d is never closed", idx);
        if (!tok->len && !quoted)
            return row_bad(r, "sparse entry %d has no value", idx);
        if (set_value(r, idx, tok, quoted) < 0)
            return -1;
        skip_ws(s);
        if (s->p < s->e && *s->p == ',') {
            s->p++;
            continue;
        }
        if (s->p < s->e && *s->p == '}') {
            s->p++;
            break;
        }
        return row_bad(r, "a sparse row must end with '}'");
    }
    return row_tail(r, s);
}

int
arff_read(struct arff_reader *r)
{
    struct buf *tok = &r->tok;
    for (;;) {
        if (r->p >= r->end)
            return 0;
        struct span s = next_line(&r->p, &r->end, &r->fill);
        r->row_line = r->line++;
        if (at_end(&s))
            continue;
        r->bad = 0;
        r->has_scratch = 0;
        buf_reset(&r->scratch);
        const char *b = bad_byte(s.p, s.e);
        if (b && !*b)
            row_bad(r, "NUL byte");
        else if (b)
            row_bad(r, "invalid UTF-8 (byte 0x%02x)", (unsigned char)*b);
        else if (*s.p == '{')
            read_sparse(r, &s, tok);
        else
            read_dense(r, &s, tok);
        if (!r->bad && r->has_scratch)
            for (int i = 0; i < r->h->n_attrs; i++)
                if (r->vals[i].scratch)
                    r->vals[i].s = r->scratch.data + r->vals[i].i;
        return 1;
    }
}
