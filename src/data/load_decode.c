/*
 * load_decode.c: load_decode of load_int.h: a gzip file decompressed
 * (zlib) and text in another encoding converted to UTF-8 (iconv, in
 * glibc), before a format parses it.
 *
 * Both read the file's image a chunk at a time (load_image_fill, so the
 * one read call stays in load_image.c) and give the chunks back behind
 * them, writing into one growing buffer that never passes the stream
 * bound: a gzip bomb (a few MB that inflate to terabytes) stops at the
 * bound with an error, whatever the kernel would allow. They look at the
 * clock between pieces of at most DECODE_STEP output bytes, so a cancel
 * lands within LOAD_PROGRESS_SECONDS as while a pipe is read. The result
 * becomes the image's content (load_image_adopt), as a stream's would.
 *
 * The image is contiguous, so a character cut by a chunk's end needs no
 * carrying over: iconv stops before it (EINVAL) and goes on from there
 * once the next chunk is in.
 */
#include "data/load_int.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "base/buf.h"
#include "base/mem.h"
#include "base/qerr.h"

#include "base/banned.h"

#define DECODE_STEP ((size_t)1 << 20) /* output bytes between looks at the clock */

/* The buffer decoding writes into: at most max bytes, then one past to tell. */
struct out {
    char *data;
    size_t len, cap, max;
    const char *path;
    const char *what; /* "decompresses", "converted to UTF-8 is" */
};

/* Room for at least one more byte (and the NUL) in o; an error past the bound. */
static int
out_room(struct out *o, size_t want, struct qerr *err)
{
    if (o->len > o->max)
        return qerr_set(err, QE_DATA,
                        "'%s' %s more than %zu MiB, the most load holds in memory; unpack or "
                        "convert it to a file and load that, or raise set memory=",
                        o->path, o->what, o->max >> 20);
    if (o->cap - o->len > want)
        return 0;
    size_t more = o->cap ? mem_mul(o->cap, 2) : want + ((size_t)1 << 20);
    if (more < o->len + want + 1)
        more = o->len + want + 1;
    if (more > o->max + 2)
        more = o->max + 2; /* the bound, one byte past it and the NUL */
    char *p = mem_realloc(o->data, more, 1, "load", "bytes of the decoded file", err);
    if (!p)
        return -1;
    o->data = p;
    o->cap = more;
    return 0;
}

/* Bytes o may take now: up to DECODE_STEP, never more than one past the bound. */
static size_t
out_free(const struct out *o)
{
    size_t n = o->cap - o->len - 1;
    if (n > o->max + 1 - o->len)
        n = o->max + 1 - o->len;
    return n < DECODE_STEP ? n : DECODE_STEP;
}

/* Cancel by the clock: QE_INTERRUPT when cancel says so. */
static int
check_cancel(struct load_image *m, double *due, int (*cancel)(void *), void *ctx,
             struct qerr *err)
{
    if (!cancel || load_clock() < *due)
        return 0;
    *due = load_clock() + LOAD_PROGRESS_SECONDS;
    if (cancel(ctx))
        return qerr_set(err, QE_INTERRUPT, "load of '%s' cancelled", m->path);
    return 0;
}

/* Make the image's bytes [0, upto) readable; give back those long behind. */
static int
fill_to(struct load_image *m, size_t *filled, size_t upto, size_t behind, struct qerr *err)
{
    if (upto > m->size)
        upto = m->size;
    if (upto > *filled) {
        if (load_image_fill(m, m->base + *filled, upto - *filled) < 0) {
            load_image_failed(m, err);
            return -1;
        }
        *filled = upto;
    }
    if (behind > LOAD_RELEASE)
        load_image_release(m, m->base + behind - LOAD_RELEASE);
    return 0;
}

/* ---- gzip ------------------------------------------------------------------- */

/*
 * Compressed forms load does not read, told by their magic bytes, so the
 * error says what the file is instead of "invalid UTF-8 in field 1".
 */
static int
refuse_other_archive(const struct load_image *m, struct qerr *err)
{
    static const struct {
        const char *magic;
        size_t len;
        const char *what, *fix;
    } kinds[] = {
        {"PK\x03\x04", 4, "a zip archive (or an .xlsx or .ods workbook)",
         "unzip it, or save the sheet as CSV, and load that"},
        {"BZh", 3, "bzip2 data", /* then a block size, '1' to '9' */
         "unpack it with bunzip2 -k, or gzip it instead"},
        {"\xfd" "7zXZ\0", 6, "xz data", "unpack it with unxz -k, or gzip it instead"},
        {"\x28\xb5\x2f\xfd", 4, "zstd data", "unpack it with unzstd, or gzip it instead"},
        {"7z\xbc\xaf\x27\x1c", 6, "a 7-Zip archive", "unpack it and load the file inside"},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (m->size >= kinds[i].len && memcmp(m->base, kinds[i].magic, kinds[i].len) == 0 &&
            (i != 1 || (m->size > 3 && m->base[3] >= '1' && m->base[3] <= '9')))
            return qerr_set(err, QE_DATA, "'%s' is %s, which load does not read (it reads "
                            "gzip); %s", m->path, kinds[i].what, kinds[i].fix);
    return 0;
}

static int
is_gzip(const struct load_image *m)
{
    return m->size >= 2 && (unsigned char)m->base[0] == 0x1f &&
           (unsigned char)m->base[1] == 0x8b;
}

static int
gunzip(struct load_image *m, struct out *o, int (*cancel)(void *), void *ctx, struct qerr *err)
{
    z_stream z;
    size_t filled = 0, pos = 0;
    double due = load_clock() + LOAD_PROGRESS_SECONDS;
    int rc = -1, zrc = Z_OK, open = 0;

    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 16) != Z_OK) /* 16: gzip's header and trailer only */
        return mem_fail(sizeof z, 1, "load", "bytes for zlib", err);
    open = 1;
    for (;;) {
        if (zrc == Z_STREAM_END) {
            /* gzip files may be concatenated (pigz, cat a.gz b.gz): read the next member */
            while (pos < m->size) {
                if (fill_to(m, &filled, pos + 1, pos, err) < 0)
                    goto out;
                if (m->base[pos])
                    break;
                pos++; /* zeros after the last member, as gzip allows */
            }
            if (pos >= m->size)
                break;
            if (fill_to(m, &filled, pos + 2, pos, err) < 0)
                goto out;
            if (pos + 2 > m->size || (unsigned char)m->base[pos] != 0x1f ||
                (unsigned char)m->base[pos + 1] != 0x8b) {
                qerr_set(err, QE_DATA, "'%s' holds other bytes after its gzip data (at byte "
                         "%zu); is it a gzip file?", m->path, pos);
                goto out;
            }
            inflateReset(&z);
            zrc = Z_OK;
        }
        if (check_cancel(m, &due, cancel, ctx, err) < 0 || out_room(o, DECODE_STEP, err) < 0)
            goto out;
        if (pos == filled && fill_to(m, &filled, pos + LOAD_CHUNK, pos, err) < 0)
            goto out;
        if (pos == filled) {
            qerr_set(err, QE_DATA, "'%s' ends before its gzip data does (the file is cut "
                     "short); copy it again", m->path);
            goto out;
        }
        size_t in = filled - pos < UINT32_MAX ? filled - pos : UINT32_MAX;
        size_t room = out_free(o);
        z.next_in = (unsigned char *)m->base + pos;
        z.avail_in = (unsigned)in;
        z.next_out = (unsigned char *)o->data + o->len;
        z.avail_out = (unsigned)room;
        zrc = inflate(&z, Z_NO_FLUSH);
        pos += in - z.avail_in;
        o->len += room - z.avail_out;
        if (zrc == Z_BUF_ERROR)
            continue; /* it wants more input: the next chunk, or the end (cut short) */
        if (zrc == Z_NEED_DICT || zrc == Z_DATA_ERROR || zrc == Z_STREAM_ERROR) {
            qerr_set(err, QE_DATA, "'%s' is not valid gzip data (%s, near byte %zu); is the "
                     "file damaged?", m->path, z.msg ? z.msg : "zlib refused it", pos);
            goto out;
        }
        if (zrc == Z_MEM_ERROR) {
            mem_fail(1 << 15, 1, "load", "bytes for zlib", err);
            goto out;
        }
    }
    if (out_room(o, 1, err) < 0)
        goto out;
    rc = 0;
out:
    if (open)
        inflateEnd(&z);
    return rc;
}

/* ---- encodings ------------------------------------------------------------- */

/* UTF-16 without a byte order mark: little-endian when ASCII's zeros fall on odd bytes. */
static int
utf16_little(const char *p, size_t n)
{
    size_t even = 0, odd = 0;
    for (size_t i = 0; i < n && i < 4096; i++)
        if (!p[i])
            *(i % 2 ? &odd : &even) += 1;
    return odd >= even;
}

/* The line (from 1) that output byte len of o ends in. */
static long long
out_line(const struct out *o)
{
    long long line = 1;
    for (const char *p = o->data; p && (p = memchr(p, '\n', o->len - (size_t)(p - o->data)));
         p++)
        line++;
    return line;
}

static int
convert(struct load_image *m, size_t from, const char *code, const char *name, struct out *o,
        int (*cancel)(void *), void *ctx, struct qerr *err)
{
    size_t filled = 0, pos = from;
    double due = load_clock() + LOAD_PROGRESS_SECONDS;
    int rc = -1;
    iconv_t cd = iconv_open("UTF-8", code);
    if (cd == (iconv_t)-1)
        return qerr_set(err, QE_INTERNAL, "this system cannot convert from %s: %s", code,
                        strerror(errno));
    while (pos < m->size) {
        if (check_cancel(m, &due, cancel, ctx, err) < 0 ||
            fill_to(m, &filled, pos + LOAD_CHUNK, pos, err) < 0 ||
            out_room(o, DECODE_STEP, err) < 0)
            goto out;
        char *in = m->base + pos, *put = o->data + o->len;
        size_t n_in = filled - pos, room = out_free(o), left = room;
        size_t r = iconv(cd, &in, &n_in, &put, &left);
        int e = errno;
        pos = (size_t)(in - m->base);
        o->len += room - left;
        if (r != (size_t)-1 || e == E2BIG)
            continue;
        if (e == EINVAL && filled < m->size)
            continue; /* a character cut by the chunk's end: read on */
        if (e == EINVAL)
            qerr_set(err, QE_DATA, "'%s' ends in the middle of a %s character; is it %s?",
                     m->path, name, name);
        else
            qerr_set(err, QE_DATA, "'%s' line %lld: byte 0x%02x (at byte %zu) is not %s "
                     "text; load it with another encoding=", m->path, out_line(o),
                     (unsigned char)m->base[pos], pos, name);
        goto out;
    }
    if (out_room(o, 1, err) < 0)
        goto out;
    rc = 0;
out:
    iconv_close(cd);
    return rc;
}

/* ---- load_decode ------------------------------------------------------------ */

int
load_decode(struct load_image *m, enum load_encoding enc, size_t max, int (*cancel)(void *),
            void *cancel_ctx, struct buf *note, struct qerr *err)
{
    struct out o = {.max = max ? max : LOAD_STREAM_MAX, .path = m->path};
    int rc = -1;

    if (m->size && load_image_fill(m, m->base, 8) < 0) {
        load_image_failed(m, err);
        return -1;
    }
    if (refuse_other_archive(m, err) < 0)
        return -1;
    if (is_gzip(m)) {
        o.what = "decompresses to";
        if (gunzip(m, &o, cancel, cancel_ctx, err) < 0 || load_image_check(m) < 0 ||
            load_image_failed(m, err))
            goto out;
        o.data[o.len] = '\0';
        load_image_adopt(m, o.data, o.len);
        memset(&o, 0, sizeof o);
        o.max = max ? max : LOAD_STREAM_MAX;
        o.path = m->path;
    }
    const unsigned char *b = (const unsigned char *)m->base;
    int le_bom = m->size >= 2 && b[0] == 0xff && b[1] == 0xfe;
    int be_bom = m->size >= 2 && b[0] == 0xfe && b[1] == 0xff;
    const char *code = NULL, *name = NULL;
    size_t from = 0;
    if (le_bom || be_bom) {
        /* A UTF-16 byte order mark says what the file is, whatever was asked. */
        code = le_bom ? "UTF-16LE" : "UTF-16BE";
        name = code;
        from = 2;
        if (enc != LOAD_ENC_UTF16)
            buf_addf(note, "encoding: %s (from its byte order mark), converted to UTF-8\n", code);
    } else if (enc == LOAD_ENC_UTF16) {
        code = utf16_little(m->base, m->size) ? "UTF-16LE" : "UTF-16BE";
        name = code;
    } else if (enc == LOAD_ENC_LATIN1) {
        code = "ISO-8859-1";
        name = "Latin-1";
    } else if (enc == LOAD_ENC_CP1252) {
        code = "CP1252";
        name = "Windows-1252";
    }
    if (code) {
        o.what = "converted to UTF-8 is";
        if (convert(m, from, code, name, &o, cancel, cancel_ctx, err) < 0 ||
            load_image_check(m) < 0 || load_image_failed(m, err))
            goto out;
        o.data[o.len] = '\0';
        load_image_adopt(m, o.data, o.len);
        o.data = NULL;
    }
    rc = 0;
out:
    free(o.data);
    return rc;
}

const char *
load_decode_utf8_fix(unsigned char byte)
{
    /* CP1252 leaves 0x81, 0x8d, 0x8f, 0x90 and 0x9d undefined. */
    if (byte >= 0x80 && byte < 0xa0 && byte != 0x81 && byte != 0x8d && byte != 0x8f &&
        byte != 0x90 && byte != 0x9d)
        return "it looks like Windows-1252 text: load it with encoding=cp1252, save the file "
               "as UTF-8";
    if (byte >= 0xa0)
        return "it looks like Latin-1 text: load it with encoding=latin1 (or cp1252), save "
               "the file as UTF-8";
    return "save the file as UTF-8";
}
