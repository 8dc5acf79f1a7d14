/*
 * store_state.c: the model store's bytes: the envelope around a state
 * BLOB (magic, format, kind, version, length, CRC-32; layout in store.h)
 * and the bounds-checked helpers that write and read a payload. No SQL
 * here: store.c keeps the rows.
 */
#include "data/store.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

#include "base/banned.h"

static const unsigned char magic[4] = {'Q', 'S', 'T', 'A'};
#define HEAD_FIXED 28 /* the envelope's bytes besides the kind name */

/*
 * CRC-32 as zlib and PNG compute it (reflected polynomial 0xEDB88320),
 * four bits at a time from a 16-entry table: no table to build at run
 * time, and fast enough for states of megabytes.
 */
static uint32_t
crc32_update(uint32_t crc, const unsigned char *p, size_t n)
{
    static const uint32_t nib[16] = {
        0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4,
        0x4db26158, 0x5005713c, 0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
        0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
    };
    crc = ~crc;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        crc = (crc >> 4) ^ nib[crc & 15];
        crc = (crc >> 4) ^ nib[crc & 15];
    }
    return ~crc;
}

static void
put_le(struct buf *b, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        buf_addc(b, (char)(unsigned char)(v >> (8 * i)));
}

static uint64_t
get_le(const unsigned char *p, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

/* --- the envelope ----------------------------------------------------------- */

void
store_wrap(const char *kind, uint32_t version, const void *payload, size_t len, struct buf *out)
{
    size_t start = out->len, k = strlen(kind);
    buf_add(out, magic, sizeof magic);
    put_le(out, STORE_FORMAT, 4);
    put_le(out, version, 4);
    put_le(out, k, 4);
    buf_add(out, kind, k);
    put_le(out, len, 8);
    uint32_t crc = crc32_update(0, (const unsigned char *)out->data + start, out->len - start);
    crc = crc32_update(crc, payload, len);
    put_le(out, crc, 4);
    buf_add(out, payload, len);
}

int
store_unwrap(const char *kind, const void *blob, size_t size, const unsigned char **payload,
             size_t *len, uint32_t *version, int *newer, struct buf *problem)
{
    const unsigned char *p = blob;
    *newer = 0;
    if (size < sizeof magic || memcmp(p, magic, sizeof magic) != 0) {
        buf_addf(problem, "its state (%zu bytes) does not start with quarry's header, so "
                 "quarry did not write it there", size);
        return -1;
    }
    if (size < 16) {
        buf_addf(problem, "its state is cut short: %zu bytes, less than its header", size);
        return -1;
    }
    uint32_t format = (uint32_t)get_le(p + 4, 4);
    if (format != STORE_FORMAT) {
        *newer = format > STORE_FORMAT;
        buf_addf(problem, "its state is in store format %u; this quarry reads format %d",
                 format, STORE_FORMAT);
        return -1;
    }
    uint32_t k = (uint32_t)get_le(p + 12, 4);
    if (k == 0 || k > STORE_KIND_MAX) {
        buf_addf(problem, "its header is damaged (a kind name of %u bytes)", k);
        return -1;
    }
    if (size < HEAD_FIXED + (size_t)k) {
        buf_addf(problem, "its state is cut short: %zu bytes, less than its header", size);
        return -1;
    }
    uint64_t n = get_le(p + 16 + k, 8);
    size_t have = size - HEAD_FIXED - k;
    if (n != have) {
        if (n > have)
            buf_addf(problem, "its state is cut short: the header promises %llu bytes, %zu "
                     "are there", (unsigned long long)n, have);
        else
            buf_addf(problem, "its state has %llu bytes after its end",
                     (unsigned long long)(have - n));
        return -1;
    }
    uint32_t stored = (uint32_t)get_le(p + 24 + k, 4);
    uint32_t crc = crc32_update(crc32_update(0, p, 24 + (size_t)k), p + HEAD_FIXED + k, have);
    if (crc != stored) {
        buf_addf(problem, "its checksum does not match (stored %08x, computed %08x): it was "
                 "changed after quarry wrote it", stored, crc);
        return -1;
    }
    if (kind && (strlen(kind) != k || memcmp(kind, p + 16, k) != 0)) {
        buf_addf(problem, "its state belongs to a '%.*s', not to the '%s' its row names",
                 (int)k, (const char *)p + 16, kind);
        return -1;
    }
    *payload = p + HEAD_FIXED + k;
    *len = have;
    *version = (uint32_t)get_le(p + 8, 4);
    return 0;
}

/* --- writing a payload ------------------------------------------------------ */

void
store_add_i64(struct buf *b, int64_t v)
{
    put_le(b, (uint64_t)v, 8);
}

void
store_add_f64(struct buf *b, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    put_le(b, bits, 8);
}

void
store_add_f64s(struct buf *b, const double *v, size_t n)
{
    buf_grow(b, 8 * n);
    for (size_t i = 0; i < n; i++)
        store_add_f64(b, v[i]);
}

void
store_add_str(struct buf *b, const char *s)
{
    size_t l = strlen(s);
    put_le(b, l, 4);
    buf_add(b, s, l);
}

/* --- reading a payload ------------------------------------------------------ */

void
store_reader_init(struct store_reader *r, const void *payload, size_t len, uint32_t version,
                  const char *what, const char *name)
{
    memset(r, 0, sizeof *r);
    r->data = xmalloc(len ? len : 1);
    if (len)
        memcpy(r->data, payload, len);
    r->len = len;
    r->version = version;
    r->what = xstrdup(what);
    r->name = xstrdup(name);
}

void
store_reader_release(struct store_reader *r)
{
    free(r->data);
    free(r->what);
    free(r->name);
    memset(r, 0, sizeof *r);
}

int
store_read_fail(struct store_reader *r, struct qerr *err, const char *fmt, ...)
{
    struct buf why = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(&why, fmt, ap);
    va_end(ap);
    r->failed = 1;
    qerr_set(err, QE_DATA, "%s is damaged: %s", r->what ? r->what : "the state", why.data);
    qerr_hint(err, "drop model %s and fit it again; the rest of the workspace is intact",
              r->name ? r->name : "NAME");
    buf_release(&why);
    return -1;
}

/* The next n bytes, or NULL (and the read failed) when fewer are left. */
static const unsigned char *
take(struct store_reader *r, size_t n, const char *thing, struct qerr *err)
{
    if (r->failed)
        return NULL;
    if (n > r->len - r->pos) {
        store_read_fail(r, err, "its state ends at byte %zu, in the middle of %s", r->len,
                        thing);
        return NULL;
    }
    const unsigned char *p = r->data + r->pos;
    r->pos += n;
    return p;
}

int
store_read_i64(struct store_reader *r, int64_t *v, struct qerr *err)
{
    const unsigned char *p = take(r, 8, "an integer", err);
    if (!p)
        return -1;
    *v = (int64_t)get_le(p, 8);
    return 0;
}

int
store_read_f64(struct store_reader *r, double *v, struct qerr *err)
{
    const unsigned char *p = take(r, 8, "a number", err);
    if (!p)
        return -1;
    uint64_t bits = get_le(p, 8);
    memcpy(v, &bits, sizeof bits);
    return 0;
}

int
store_read_f64s(struct store_reader *r, double *v, size_t n, struct qerr *err)
{
    if (r->failed)
        return -1;
    if (n > (r->len - r->pos) / 8)
        return store_read_fail(r, err, "its state ends at byte %zu, in the middle of %zu "
                               "numbers", r->len, n);
    for (size_t i = 0; i < n; i++)
        store_read_f64(r, &v[i], err);
    return 0;
}

int
store_read_str(struct store_reader *r, char **s, struct qerr *err)
{
    *s = NULL;
    const unsigned char *p = take(r, 4, "a text length", err);
    if (!p)
        return -1;
    size_t l = (size_t)get_le(p, 4);
    if (!(p = take(r, l, "a text", err)))
        return -1;
    if (memchr(p, 0, l))
        return store_read_fail(r, err, "a text at byte %zu holds a NUL byte",
                               (size_t)(p - r->data));
    *s = xstrndup((const char *)p, l);
    return 0;
}

int
store_read_count(struct store_reader *r, size_t item_size, int64_t max, int64_t *n,
                 struct qerr *err)
{
    *n = 0;
    int64_t v;
    if (store_read_i64(r, &v, err) < 0)
        return -1;
    if (v < 0 || v > max)
        return store_read_fail(r, err, "a count of %lld is outside 0..%lld", (long long)v,
                               (long long)max);
    if (item_size && (uint64_t)v > (r->len - r->pos) / item_size)
        return store_read_fail(r, err, "a count of %lld items needs more than the %zu bytes "
                               "left", (long long)v, r->len - r->pos);
    *n = v;
    return 0;
}

int
store_read_end(struct store_reader *r, struct qerr *err)
{
    if (r->failed)
        return -1;
    if (r->pos != r->len)
        return store_read_fail(r, err, "%zu bytes are left over after its state",
                               r->len - r->pos);
    return 0;
}

void
store_add_net_params(struct buf *b, const double *params, size_t np)
{
    store_add_i64(b, (int64_t)np);
    store_add_f64s(b, params, np);
}

int
store_read_net_params(struct store_reader *r, size_t want, const char *what, double **params,
                      struct qerr *err)
{
    int64_t np = 0;
    *params = NULL;
    if (store_read_count(r, 8, INT64_MAX, &np, err) < 0)
        return -1;
    if ((size_t)np != want)
        return store_read_fail(r, err, "it holds %lld parameters where its network has %zu",
                               (long long)np, want);
    double *p = mem_alloc(want + 1, sizeof *p, what, "parameters", err);
    if (!p || store_read_f64s(r, p, want, err) < 0 || store_read_end(r, err) < 0) {
        free(p);
        return -1;
    }
    *params = p;
    return 0;
}
