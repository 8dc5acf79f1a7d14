/*
 * test_csv_fill.c: the CSV reader of src/data/csv.h on input that is read
 * in pieces (struct csv_fill), as load reads a file: the reader sees
 * zeros where the file has not been read yet and asks for them.
 *
 * Plan:
 *   1. records with every lookahead the reader makes (a doubled quote,
 *      CRLF, a lone CR, UTF-8 of 2 to 4 bytes, spaces and text after a
 *      closing quote, blank lines, a quoted field that opens a field),
 *      real NUL bytes, bad UTF-8 and an unterminated quote, read in
 *      pieces of 1 to 9 bytes: every record reads exactly as from the
 *      whole input
 *   2. input that gives out (the fill fails) after 8 bytes: the reader
 *      ends there, at a NUL sentinel, without reading past it
 * The whole-input reading is the oracle; test_csv.c checks it by hand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "data/csv.h"

/* A reader over a copy of s (the reader wants a NUL after the data). */
static void
reader(struct csv_reader *r, const char *s, size_t len, char delim)
{
    char *copy = malloc(len + 1);
    memcpy(copy, s, len);
    copy[len] = '\0';
    csv_reader_init(r, copy, len, delim);
}

static void
reader_free(struct csv_reader *r)
{
    free((char *)r->base);
    csv_reader_release(r);
}

/*
 * Input read in pieces (csv.h's struct csv_fill): the reader sees a
 * buffer of zeros that a fake fill copies the real bytes into, piece by
 * piece, as the reader asks. Every record must read exactly as from the
 * whole input, whatever the piece size: every lookahead (a doubled quote,
 * CRLF, UTF-8, spaces after a quote, blank lines) may fall on a piece
 * boundary. A fill that fails ends the input there.
 */
struct pieces {
    const char *real; /* the input */
    char *buf;        /* what the reader reads: zeros until filled */
    size_t len, piece;
    unsigned char *got;
    size_t fail_at;   /* a piece at or after this offset cannot be had */
    int calls;
};

static int
pieces_more(void *ctx, const char *p, size_t n)
{
    struct pieces *pc = ctx;
    size_t from = (size_t)(p - pc->buf), to = from + n, rc = 0;
    pc->calls++;
    if (to > pc->len)
        to = pc->len;
    for (size_t k = from / pc->piece; k * pc->piece < to; k++) {
        if (pc->got[k])
            continue;
        if (k * pc->piece >= pc->fail_at)
            return -1;
        size_t off = k * pc->piece, m = pc->len - off < pc->piece ? pc->len - off : pc->piece;
        memcpy(pc->buf + off, pc->real + off, m);
        pc->got[k] = 1;
        rc = 1;
    }
    return (int)rc;
}

/* Every record of r as text: "line:bad/field/bline:f1|f2|...;" */
static char *
all_records(struct csv_reader *r)
{
    struct buf out = BUF_INIT;
    while (csv_read(r)) {
        buf_addf(&out, "%lld:%d/%d/%lld:", r->rec_line, (int)r->bad, r->bad ? r->bad_field : 0,
                 r->bad ? r->bad_line : 0);
        for (int i = 0; i < r->n_fields; i++) {
            buf_addc(&out, i ? '|' : '[');
            if (!r->bad)
                csv_unescape(&out, &r->fields[i]);
        }
        buf_adds(&out, "];");
    }
    return buf_detach(&out);
}

static void
test_reader_pieces(void)
{
    static const char *const inputs[] = {
        "a,b\n\"x\"\"y\",\"q,r\"\r\n\"\"\"\"\"\",2\r\n\n\r\n\r\rend",
        "\"s\"   ,t\n\"u\"\t\t\n\"v\" x,w\ny,z\n",
        "\xc3\xa9,\xe2\x82\xac,\xf0\x9f\x98\x80\n\xe2\x82,\xf0\x9f\n\xc3\xa9\xc3\xa9\xc3\xa9\n",
        "a\0b,c\nd,\"e\0\"\nf,g\n",
        "1,\"never\nclosed,\n2\n3\n",
        "\"\"\n\"\",\"\"\n,\n,,\n\"a\r\nb\",\"\r\"\n",
    };
    static const size_t lens[] = { 0, 0, 0, 17, 0, 0 };
    for (size_t t = 0; t < sizeof(inputs) / sizeof(inputs[0]); t++) {
        size_t len = lens[t] ? lens[t] : strlen(inputs[t]);
        struct csv_reader whole;
        reader(&whole, inputs[t], len, ',');
        char *want = all_records(&whole);
        reader_free(&whole);
        for (size_t piece = 1; piece <= 9; piece++) {
            struct pieces pc = { inputs[t], calloc(len + 1, 1), len, piece,
                                 calloc(len / piece + 2, 1), (size_t)-1, 0 };
            struct csv_reader r;
            csv_reader_init(&r, pc.buf, len, ',');
            r.fill.more = pieces_more;
            r.fill.ctx = &pc;
            char *got = all_records(&r);
            if (strcmp(got, want) != 0)
                fprintf(stderr, "  input %zu in pieces of %zu:\n  want %s\n  got  %s\n", t,
                        piece, want, got);
            CHECK_STR(got, want);
            CHECK(pc.calls > 0);
            free(got);
            csv_reader_release(&r);

            /* the file gives out at 8 bytes in: the input ends at or before it, cleanly */
            memset(pc.buf, 0, len + 1);
            memset(pc.got, 0, len / piece + 2);
            pc.fail_at = 8;
            csv_reader_init(&r, pc.buf, len, ',');
            r.fill.more = pieces_more;
            r.fill.ctx = &pc;
            got = all_records(&r);
            CHECK(r.end <= pc.buf + 8 + piece);
            CHECK_INT(*r.end, 0);
            free(got);
            csv_reader_release(&r);
            free(pc.buf);
            free(pc.got);
        }
        free(want);
    }
}

int
main(void)
{
    test_reader_pieces();
    return check_done("test_csv_fill");
}
