/*
 * csv.c: the RFC 4180 reader, the value rules and the export formatting
 * of csv.h.
 *
 * The reader's central state is its scan window: bits has one bit per
 * byte of the 64 bytes at base + win, set for every byte that can end a
 * run of ordinary field bytes (the delimiter, '"', any byte below 0x20 and
 * any byte from 0x80). next_special() answers "where is the next such
 * byte" with a shift and a count of trailing zeros, refilling the window
 * as it goes; the rare bytes (tabs, stray quotes, UTF-8) are then looked
 * at one by one. The input ends with a NUL sentinel, which is special, so
 * no loop tests for the end except when it meets a NUL.
 */
#include "data/csv.h"

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "base/banned.h"

void
csv_reader_init(struct csv_reader *r, const char *data, size_t size, char delim)
{
    memset(r, 0, sizeof(*r));
    r->base = data;
    r->end = data + size;
    r->delim = delim;
    csv_reader_seek(r, data, 1);
}

void
csv_reader_release(struct csv_reader *r)
{
    free(r->fields);
    r->fields = NULL;
    r->n_fields = r->cap_fields = 0;
}

void
csv_reader_seek(struct csv_reader *r, const char *p, long long line)
{
    r->p = p;
    r->rec = p;
    r->line = line;
    r->rec_line = line;
    r->win = SIZE_MAX - 64; /* no window: the next scan fills one */
    r->bits = 0;
}

/* The special-byte bits of the avail (>= 1) bytes at p, at most 64. */
static uint64_t
window_bits(const unsigned char *p, size_t avail, unsigned char delim)
{
#ifdef __SSE2__
    if (avail >= 64) {
        /* Touch ahead: a page's first touch (a TLB walk) is the cost here, not the compares. */
        __builtin_prefetch(p + 4096);
        const __m128i vd = _mm_set1_epi8((char)delim), vq = _mm_set1_epi8('"');
        const __m128i vc = _mm_set1_epi8(0x20);
        uint64_t bits = 0;
        for (int k = 0; k < 4; k++) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
            /* Signed compare: true below 0x20 and, as negative, from 0x80. */
            __m128i m = _mm_or_si128(_mm_cmplt_epi8(v, vc),
                                     _mm_or_si128(_mm_cmpeq_epi8(v, vd), _mm_cmpeq_epi8(v, vq)));
            bits |= (uint64_t)(unsigned)_mm_movemask_epi8(m) << (16 * k);
        }
        return bits;
    }
#endif
    uint64_t bits = 0;
    size_t n = avail < 64 ? avail : 64;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        if (c < 0x20 || c >= 0x80 || c == delim || c == '"')
            bits |= (uint64_t)1 << i;
    }
    return bits;
}

/*
 * The first special byte at or after p (<= end; the sentinel at end is
 * special). The window lives in the caller's locals so that it stays in
 * registers across the field stores, which the compiler must otherwise
 * assume alias the reader.
 */
static inline const unsigned char *
next_special(const unsigned char *p, const unsigned char *base, const unsigned char *end,
             size_t *win, uint64_t *bits, unsigned char delim)
{
    for (;;) {
        size_t off = (size_t)(p - base) - *win;
        if (off < 64) {
            uint64_t b = *bits >> off;
            if (b)
                return p + __builtin_ctzll(b);
            p = base + *win + 64;
        }
        *win = (size_t)(p - base);
        *bits = window_bits(p, (size_t)(end - p) + 1, delim);
    }
}

int
csv_utf8_len(const unsigned char *p, const unsigned char *end)
{
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    if (c < 0xC2 || c > 0xF4)
        return 0;
    if (c < 0xE0)
        return end - p >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c < 0xF0) {
        if (end - p < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
            return 0;
        if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0))
            return 0; /* overlong, or a UTF-16 surrogate */
        return 3;
    }
    if (end - p < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
        (p[3] & 0xC0) != 0x80)
        return 0;
    if ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90))
        return 0; /* overlong, or above U+10FFFF */
    return 4;
}

static void
mark_bad(struct csv_reader *r, enum csv_bad why, int field, unsigned char byte)
{
    if (r->bad != CSV_BAD_NONE)
        return;
    r->bad = why;
    r->bad_field = field;
    r->bad_line = r->line;
    r->bad_byte = byte;
}

/*
 * Step over a special byte at p (< end) that does not end the run: a NUL
 * (bad), a UTF-8 sequence (or a bad byte), or an ordinary byte that is
 * special only to the scanner (tab, quote, delimiter or CR inside quotes).
 */
static size_t
odd_byte(struct csv_reader *r, const unsigned char *p, int field)
{
    if (*p == 0) {
        mark_bad(r, CSV_BAD_NUL, field, 0);
        return 1;
    }
    if (*p < 0x80)
        return 1;
    int k = csv_utf8_len(p, (const unsigned char *)r->end);
    if (k)
        return (size_t)k;
    mark_bad(r, CSV_BAD_UTF8, field, *p);
    return 1;
}

/* Scan a quoted field whose opening quote is at p; returns the byte after the field. */
static const unsigned char *
read_quoted(struct csv_reader *r, const unsigned char *p, struct csv_field *f, int field)
{
    const unsigned char *end = (const unsigned char *)r->end;
    const unsigned char delim = (unsigned char)r->delim;
    long long open_line = r->line;

    f->quoted = 1;
    f->escaped = 0;
    f->p = (const char *)++p;
    for (;;) {
        p = next_special(p, (const unsigned char *)r->base, end, &r->win, &r->bits, delim);
        if (*p == '"') {
            if (p[1] != '"')
                break;
            f->escaped = 1;
            p += 2;
        } else if (*p == '\n') {
            r->line++;
            p++;
        } else if (p >= end) {
            f->len = (size_t)(p - (const unsigned char *)f->p);
            if (r->bad == CSV_BAD_NONE) {
                mark_bad(r, CSV_BAD_UNTERMINATED, field, 0);
                r->bad_line = open_line;
            }
            return p;
        } else {
            p += odd_byte(r, p, field);
        }
    }
    f->len = (size_t)(p - (const unsigned char *)f->p);
    p++;
    while ((*p == ' ' || *p == '\t') && *p != delim)
        p++;
    if (*p == delim || *p == '\n' || *p == '\r' || p >= end)
        return p;
    /* Text after the closing quote: the record is bad; skip to the field's end. */
    mark_bad(r, CSV_BAD_AFTER_QUOTE, field, *p);
    for (;;) {
        if (*p == delim || *p == '\n' || *p == '\r' || p >= end)
            return p;
        p += odd_byte(r, p, field);
    }
}

int
csv_read(struct csv_reader *r)
{
    const unsigned char *p = (const unsigned char *)r->p;
    const unsigned char *end = (const unsigned char *)r->end;
    const unsigned char *base = (const unsigned char *)r->base;
    const unsigned char delim = (unsigned char)r->delim;

    for (;;) {
        if (p >= end) {
            r->p = (const char *)p;
            r->n_fields = 0;
            return 0;
        }
        if (*p == '\n') {
            p++;
        } else if (*p == '\r') {
            p += p[1] == '\n' ? 2 : 1;
        } else {
            break;
        }
        r->line++;
    }
    r->rec = (const char *)p;
    r->rec_line = r->line;
    r->bad = CSV_BAD_NONE;

    size_t win = r->win;
    uint64_t bits = r->bits;
    struct csv_field *fields = r->fields;
    int n = 0, cap = r->cap_fields;
    for (;;) {
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            fields = xrealloc(fields, (size_t)cap * sizeof(*fields));
            r->fields = fields;
            r->cap_fields = cap;
        }
        struct csv_field *f = &fields[n++];
        if (*p == '"') {
            r->win = win;
            r->bits = bits;
            p = read_quoted(r, p, f, n);
            win = r->win;
            bits = r->bits;
        } else {
            const unsigned char *start = p;
            for (;;) {
                p = next_special(p, base, end, &win, &bits, delim);
                if (*p == delim || *p == '\n' || *p == '\r' || (*p == 0 && p >= end))
                    break;
                p += odd_byte(r, p, n);
            }
            f->p = (const char *)start;
            f->len = (size_t)(p - start);
            f->quoted = 0;
            f->escaped = 0;
        }
        if (p >= end)
            break;
        if (*p == delim) {
            p++;
            continue;
        }
        p += (*p == '\r' && p[1] == '\n') ? 2 : 1;
        r->line++;
        break;
    }
    r->win = win;
    r->bits = bits;
    r->n_fields = n;
    r->p = (const char *)p;
    return 1;
}

static inline int
is_space(char c)
{
    return c == ' ' || c == '\t';
}

static inline int
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Skip spaces and tabs at both ends of [*pp, *pe). */
static inline void
trim(const char **pp, const char **pe)
{
    const char *p = *pp, *e = *pe;
    if (p == e || (!is_space(*p) && !is_space(e[-1])))
        return;
    while (p < e && is_space(*p))
        p++;
    while (e > p && is_space(e[-1]))
        e--;
    *pp = p;
    *pe = e;
}

int
csv_parse_int(const char *p, size_t len, long long *out)
{
    const char *e = p + len;
    int neg = 0;

    trim(&p, &e);
    if (p < e && (*p == '+' || *p == '-')) {
        neg = *p == '-';
        p++;
    }
    if (p == e || e - p > 19 || (*p == '0' && e - p > 1))
        return -1;
    /* 19 digits stay below 1e19 < 2^64, so the sum cannot wrap. */
    unsigned long long v = 0;
    for (; p < e; p++) {
        unsigned d = (unsigned)(*p - '0');
        if (d > 9)
            return -1;
        v = v * 10 + d;
    }
    if (neg) {
        if (v > (unsigned long long)LLONG_MAX + 1)
            return -1;
        *out = v == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN : -(long long)v;
    } else {
        if (v > (unsigned long long)LLONG_MAX)
            return -1;
        *out = (long long)v;
    }
    return 0;
}

/* strtod of a number already checked by the CSV_REAL grammar, whatever the locale. */
static int
slow_real(const char *p, size_t len, double *out)
{
    char small[64];
    const char *dp = localeconv()->decimal_point;
    int c_point = !dp || !*dp || strcmp(dp, ".") == 0;
    size_t dplen = c_point ? 1 : strlen(dp);
    size_t cap = len * dplen + 1;
    char *s = cap <= sizeof(small) ? small : xmalloc(cap);
    size_t n = 0;

    for (size_t i = 0; i < len; i++) {
        if (p[i] == '.' && !c_point) {
            memcpy(s + n, dp, dplen);
            n += dplen;
        } else {
            s[n++] = p[i];
        }
    }
    s[n] = '\0';
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    int ok = end == s + n && isfinite(v);
    if (s != small)
        free(s);
    if (!ok)
        return -1;
    *out = v;
    return 0;
}

/* A number scanned by the CSV_REAL grammar: value = (-1)^neg * m * 10^dexp. */
struct num {
    uint64_t m;     /* the first 19 significant digits */
    long long dexp;
    int nd;         /* significant digits in m */
    int trunc;      /* nonzero digits beyond those 19 were dropped */
    int neg;
    int plain;      /* no point, no exponent: digits only */
};

/* Scan [p, e), no spaces around it, by the CSV_REAL grammar (0), or -1. */
static inline __attribute__((always_inline)) int
scan_number(const char *p, const char *e, struct num *n)
{
    uint64_t m = 0;
    long long dexp = 0;
    int nd = 0, trunc = 0, any;

    n->neg = 0;
    if (p < e && (*p == '+' || *p == '-')) {
        n->neg = *p == '-';
        p++;
    }
    const char *d = p;
    for (; p < e && is_digit(*p); p++) {
        unsigned x = (unsigned)(*p - '0');
        if (nd < 19) {
            m = m * 10 + x;
            nd += m != 0;
        } else {
            dexp++;
            trunc |= x != 0;
        }
    }
    if (p - d > 1 && *d == '0')
        return -1; /* a leading zero: a code, not a number */
    any = p > d;
    n->plain = 1;
    if (p < e && *p == '.') {
        n->plain = 0;
        const char *f = ++p;
        for (; p < e && is_digit(*p); p++) {
            unsigned x = (unsigned)(*p - '0');
            if (nd < 19) {
                m = m * 10 + x;
                nd += m != 0;
                dexp--;
            } else {
                trunc |= x != 0;
            }
        }
        any |= p > f;
    }
    if (!any)
        return -1;
    if (p < e && (*p == 'e' || *p == 'E')) {
        long long x = 0;
        n->plain = 0;
        int xneg = 0;
        p++;
        if (p < e && (*p == '+' || *p == '-')) {
            xneg = *p == '-';
            p++;
        }
        if (p == e || !is_digit(*p))
            return -1;
        for (; p < e && is_digit(*p); p++)
            if (x < 100000)
                x = x * 10 + (*p - '0');
        dexp += xneg ? -x : x;
    }
    if (p != e)
        return -1;
    n->m = m;
    n->dexp = dexp;
    n->nd = nd;
    n->trunc = trunc;
    return 0;
}

/* Powers of ten that doubles hold exactly. */
static const double p10[] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* Clinger's fast path: exact when m and 10^|dexp| are both exact doubles. */
static inline int
fast_path(const struct num *n)
{
    return !n->trunc && n->m <= (UINT64_C(1) << 53) && n->dexp >= -22 && n->dexp <= 22;
}

static int
parse_real(const char *p, size_t len, double *out, int *is_int)
{
    const char *e = p + len;
    struct num n;

    trim(&p, &e);
    if (scan_number(p, e, &n) < 0)
        return -1;
    if (is_int) {
        long long v;
        *is_int = n.plain && (e - p < 19 || csv_parse_int(p, (size_t)(e - p), &v) == 0);
    }
    if (n.m == 0) {
        *out = n.neg ? -0.0 : 0.0;
        return 0;
    }
    if (!fast_path(&n))
        return slow_real(p, (size_t)(e - p), out);
    double v = (double)n.m;
    v = n.dexp >= 0 ? v * p10[n.dexp] : v / p10[-n.dexp];
    *out = n.neg ? -v : v;
    return 0;
}

int
csv_parse_real(const char *p, size_t len, double *out)
{
    return parse_real(p, len, out, NULL);
}

enum csv_kind
csv_convert(const char *p, size_t len, enum csv_kind col, struct csv_value *v)
{
    enum csv_kind k;
    int is_int;

    switch (col) {
    case CSV_INT:
        if (len - 1 < 18 && is_digit(*p) && (*p != '0' || len == 1)) {
            /* The common case, digits only, inline. */
            long long x = 0;
            size_t i = 0;
            for (; i < len && is_digit(p[i]); i++)
                x = x * 10 + (p[i] - '0');
            if (i == len) {
                v->i = x;
                return CSV_INT;
            }
        }
        if (csv_parse_int(p, len, &v->i) == 0)
            return CSV_INT;
        break;
    case CSV_REAL: {
        /*
         * The common case inline: [-]digits[.digits], 1 to 15 digits in
         * all, so the digits and the power of ten are exact doubles and
         * one division rounds correctly (Clinger's fast path).
         */
        const char *q = p, *e = p + len, *d, *f;
        uint64_t m = 0;
        int neg = q < e && *q == '-';
        q += neg;
        for (d = q; q < e && is_digit(*q); q++)
            m = m * 10 + (uint64_t)(*q - '0');
        size_t ni = (size_t)(q - d), nf = 0;
        int dot = q < e && *q == '.';
        if (dot) {
            for (f = ++q; q < e && is_digit(*q); q++)
                m = m * 10 + (uint64_t)(*q - '0');
            nf = (size_t)(q - f);
        }
        if (q == e && ni + nf - 1 < 15 && !(ni > 1 && *d == '0')) {
            double x = nf ? (double)m / p10[nf] : (double)m;
            v->d = neg ? -x : x;
            return dot ? CSV_REAL : CSV_INT;
        }
        if (parse_real(p, len, &v->d, &is_int) == 0)
            return is_int ? CSV_INT : CSV_REAL;
        break;
    }
    case CSV_DATE:
    case CSV_TIMESTAMP:
        k = csv_date_kind(p, len);
        if (k == CSV_DATE || (k == CSV_TIMESTAMP && col == CSV_TIMESTAMP))
            return k;
        break;
    default:
        break;
    }
    return csv_classify(p, len);
}

/* 1 if [p, e), a valid number by the grammar, is finite as a double. */
static int
finite_number(const char *p, const char *e, const struct num *n)
{
    double v;
    /* Within 1e-300..1e300 nothing overflows; only extremes need strtod. */
    if (n->m == 0 || fast_path(n) || (n->dexp + n->nd < 300 && n->dexp + n->nd > -300))
        return 1;
    return slow_real(p, (size_t)(e - p), &v) == 0;
}

int
csv_days_in_month(int year, int month)
{
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))
        return 29;
    return days[month - 1];
}

/* The n-digit number at p, or -1 if any of them is not a digit. */
static int
digits(const char *p, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!is_digit(p[i]))
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

enum csv_kind
csv_date_kind(const char *p, size_t len)
{
    if (len < 10 || p[4] != '-' || p[7] != '-')
        return CSV_TEXT;
    int y = digits(p, 4), mo = digits(p + 5, 2), d = digits(p + 8, 2);
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > csv_days_in_month(y, mo))
        return CSV_TEXT;
    if (len == 10)
        return CSV_DATE;
    if (len < 16 || (p[10] != 'T' && p[10] != ' ') || p[13] != ':')
        return CSV_TEXT;
    int h = digits(p + 11, 2), mi = digits(p + 14, 2);
    if (h < 0 || h > 23 || mi < 0 || mi > 59)
        return CSV_TEXT;
    size_t i = 16;
    if (i < len && p[i] == ':') {
        int s = i + 3 <= len ? digits(p + i + 1, 2) : -1;
        if (s < 0 || s > 59)
            return CSV_TEXT;
        i += 3;
        if (i < len && p[i] == '.') {
            size_t f = ++i;
            while (i < len && is_digit(p[i]))
                i++;
            if (i == f || i - f > 9)
                return CSV_TEXT;
        }
    }
    if (i == len)
        return CSV_TIMESTAMP;
    if (p[i] == 'Z')
        return i + 1 == len ? CSV_TIMESTAMP : CSV_TEXT;
    if ((p[i] == '+' || p[i] == '-') && i + 6 == len && p[i + 3] == ':') {
        int oh = digits(p + i + 1, 2), om = digits(p + i + 4, 2);
        if (oh >= 0 && oh <= 23 && om >= 0 && om <= 59)
            return CSV_TIMESTAMP;
    }
    return CSV_TEXT;
}

/* The kind of [p, e), non-empty, with no spaces around it. */
static enum csv_kind
classify_trimmed(const char *p, const char *e)
{
    const char *s = p;
    long long v;
    struct num n;

    if (*p == '+' || *p == '-')
        p++;
    const char *d = p;
    while (p < e && is_digit(*p))
        p++;
    size_t nd = (size_t)(p - d);
    if (p == e && nd > 0 && nd < 19)
        return nd > 1 && *d == '0' ? CSV_TEXT : CSV_INT;
    if (p < e && *p == '-' && nd == 4 && d == s)
        return csv_date_kind(s, (size_t)(e - s));
    if (p == e && csv_parse_int(s, (size_t)(e - s), &v) == 0)
        return CSV_INT;
    if (scan_number(s, e, &n) == 0 && finite_number(s, e, &n))
        return CSV_REAL;
    return CSV_TEXT;
}

enum csv_kind
csv_classify(const char *p, size_t len)
{
    const char *e = p + len;
    if (len == 0)
        return CSV_NULL;
    if (!is_space(*p) && !is_space(e[-1]))
        return classify_trimmed(p, e);
    trim(&p, &e);
    if (p == e)
        return CSV_NULL;
    enum csv_kind k = classify_trimmed(p, e);
    return k == CSV_DATE || k == CSV_TIMESTAMP ? CSV_TEXT : k; /* dates must be exact */
}

enum csv_kind
csv_kind_merge(enum csv_kind col, enum csv_kind val)
{
    if (val == CSV_NULL || col == val)
        return col;
    if (col == CSV_NULL)
        return val;
    if (col == CSV_TEXT || val == CSV_TEXT)
        return CSV_TEXT;
    int num_col = col == CSV_INT || col == CSV_REAL;
    int num_val = val == CSV_INT || val == CSV_REAL;
    if (num_col && num_val)
        return CSV_REAL;
    if (!num_col && !num_val)
        return CSV_TIMESTAMP;
    return CSV_TEXT;
}

const char *
csv_kind_decl(enum csv_kind kind)
{
    switch (kind) {
    case CSV_INT:
        return "INTEGER";
    case CSV_REAL:
        return "REAL";
    case CSV_DATE:
        return "DATE_TEXT";
    case CSV_TIMESTAMP:
        return "TIMESTAMP_TEXT";
    default:
        return "TEXT";
    }
}

void
csv_unescape(struct buf *b, const struct csv_field *f)
{
    const char *p = f->p, *e = f->p + f->len;
    if (!f->escaped) {
        buf_add(b, p, f->len);
        return;
    }
    buf_grow(b, f->len);
    while (p < e) {
        const char *q = memchr(p, '"', (size_t)(e - p));
        if (!q) {
            buf_add(b, p, (size_t)(e - p));
            break;
        }
        buf_add(b, p, (size_t)(q - p) + 1);
        p = q + 2; /* inside quotes every '"' comes doubled */
    }
}

void
csv_write_field(struct buf *b, const char *s, size_t len, char delim, int force_quote)
{
    int quote = force_quote;
    for (size_t i = 0; i < len && !quote; i++) {
        char c = s[i];
        quote = c == delim || c == '"' || c == '\n' || c == '\r';
    }
    if (!quote) {
        buf_add(b, s, len);
        return;
    }
    buf_grow(b, len + 2);
    buf_addc(b, '"');
    for (;;) {
        const char *q = memchr(s, '"', len);
        if (!q) {
            buf_add(b, s, len);
            break;
        }
        buf_add(b, s, (size_t)(q - s) + 1);
        buf_addc(b, '"');
        len -= (size_t)(q - s) + 1;
        s = q + 1;
    }
    buf_addc(b, '"');
}

