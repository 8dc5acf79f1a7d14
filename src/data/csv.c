/*
 * csv.c: the RFC 4180 reader and the export formatting of csv.h (the
 * value rules are in csv_value.c).
 *
 * The reader's central state is its scan window: bits has one bit per
 * byte of the 64 bytes at base + win, set for every byte that can end a
 * run of ordinary field bytes (the delimiter, '"', any byte below 0x20 and
 * any byte from 0x80). next_special() answers "where is the next such
 * byte" with a shift and a count of trailing zeros, refilling the window
 * as it goes; the rare bytes (tabs, stray quotes, UTF-8) are then looked
 * at one by one. The input ends with a NUL sentinel, which is special, so
 * no loop tests for the end except when it meets a NUL. A NUL before the
 * end is a NUL of the data or a part of a file not read yet (csv_fill):
 * zero_at tells which, and the few places that look one byte ahead of a
 * special byte (a doubled quote, CRLF, UTF-8, spaces after a quote) read
 * it through byte_at.
 */
#include "data/csv.h"

#include <stdint.h>
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
    r->runs = delim == CSV_DELIM_RUNS;
    r->delim = r->runs ? ' ' : delim;
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
 * A zero byte at q (*q == 0, q < r->end) of input read in pieces: ask
 * fill.more for the bytes there. 1: they were read, look at q again; 0: a
 * NUL of the data; -1: the input now ends at q (r->end moved there, and
 * *q is still '\0', the sentinel).
 */
static int
zero_at(struct csv_reader *r, const unsigned char *q)
{
    if (!r->fill.more)
        return 0;
    int rc = r->fill.more(r->fill.ctx, (const char *)q, 1);
    if (rc < 0)
        r->end = (const char *)q;
    return rc;
}

/* The byte at p (<= r->end), after reading it from the file if it was not yet. */
static inline unsigned char
byte_at(struct csv_reader *r, const unsigned char *p)
{
    if (*p || (const char *)p >= r->end || !r->fill.more)
        return *p;
    zero_at(r, p);
    return *p;
}

/*
 * Step over a special byte at p (< end) that does not end the run: a NUL
 * (bad), a UTF-8 sequence (or a bad byte), or an ordinary byte that is
 * special only to the scanner (tab, quote, delimiter or CR inside quotes).
 * Returns the bytes to step over, or 0 when bytes at p were just read from
 * the file: the caller looks at p again, and takes r->end again (the input
 * may now end at p).
 */
static size_t
odd_byte(struct csv_reader *r, const unsigned char *p, int field)
{
    if (*p == 0) {
        if (zero_at(r, p) != 0)
            return 0;
        mark_bad(r, CSV_BAD_NUL, field, 0);
        return 1;
    }
    if (*p < 0x80)
        return 1;
    const unsigned char *end = (const unsigned char *)r->end;
    int k = csv_utf8_len(p, end);
    if (k)
        return (size_t)k;
    /* The sequence may go on in a part of the input not read yet. */
    for (const unsigned char *q = p + 1; q < end && q < p + 4; q++)
        if (*q == 0 && zero_at(r, q) != 0)
            return 0;
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
            if (byte_at(r, p + 1) != '"')
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
            size_t step = odd_byte(r, p, field);
            end = (const unsigned char *)r->end;
            p += step;
        }
    }
    f->len = (size_t)(p - (const unsigned char *)f->p);
    p++;
    for (;;) {
        unsigned char ch = byte_at(r, p);
        if ((ch != ' ' && ch != '\t') || ch == delim)
            break;
        p++;
    }
    end = (const unsigned char *)r->end;
    if (*p == delim || *p == '\n' || *p == '\r' || p >= end)
        return p;
    /* Text after the closing quote: the record is bad; skip to the field's end. */
    mark_bad(r, CSV_BAD_AFTER_QUOTE, field, *p);
    for (;;) {
        if (*p == delim || *p == '\n' || *p == '\r' || p >= end)
            return p;
        size_t step = odd_byte(r, p, field);
        end = (const unsigned char *)r->end;
        p += step;
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
        } else if (r->runs && (*p == ' ' || *p == '\t')) {
            p++; /* blanks before a record, or a line of them */
            continue;
        } else if (*p == '\r') {
            p += byte_at(r, p + 1) == '\n' ? 2 : 1;
        } else if (*p == 0 && zero_at(r, p) != 0) {
            end = (const unsigned char *)r->end; /* read: look again; or the input ends */
            continue;
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
        if (*p == '"' || (*p == 0 && byte_at(r, p) == '"')) {
            r->win = win;
            r->bits = bits;
            p = read_quoted(r, p, f, n);
            win = r->win;
            bits = r->bits;
            end = (const unsigned char *)r->end;
        } else {
            const unsigned char *start = p;
            for (;;) {
                p = next_special(p, base, end, &win, &bits, delim);
                if (*p == delim || *p == '\n' || *p == '\r' || (*p == 0 && p >= end) ||
                    (*p == '\t' && r->runs))
                    break;
                size_t step = odd_byte(r, p, n);
                end = (const unsigned char *)r->end;
                p += step;
            }
            f->p = (const char *)start;
            f->len = (size_t)(p - start);
            f->quoted = 0;
            f->escaped = 0;
        }
        if (p >= end)
            break;
        if (r->runs && (*p == ' ' || *p == '\t')) {
            for (unsigned char ch = byte_at(r, p); ch == ' ' || ch == '\t'; ch = byte_at(r, p))
                p++;
            end = (const unsigned char *)r->end;
            if (p >= end)
                break;
            if (*p != '\n' && *p != '\r')
                continue;
        } else if (*p == delim) {
            p++;
            continue;
        }
        p += (*p == '\r' && byte_at(r, p + 1) == '\n') ? 2 : 1;
        r->line++;
        break;
    }
    r->win = win;
    r->bits = bits;
    r->n_fields = n;
    r->p = (const char *)p;
    return 1;
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

