/*
 * buf.h: a growable byte string, the one way quarry builds text.
 *
 * Invariants, after buf_init and until buf_release:
 *   - data is never NULL (an empty buf points at a shared "" until it grows);
 *   - data[len] == '\0' always;
 *   - len is the exact number of bytes before that NUL (data may hold NULs).
 * Allocation failure goes through the ONE out-of-memory path in buf.c,
 * which calls the handler the front end installed (buf_set_oom_handler):
 * text buffers and bookkeeping are small, and a failed malloc here means
 * the process cannot continue. Allocations that grow with the data are
 * not made here: they use mem.h, whose failure is an error value.
 */
#ifndef QUARRY_BUF_H
#define QUARRY_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
    char *data;
    size_t len;
    size_t cap; /* bytes allocated for data, 0 while data is the shared "" */
};

#define BUF_INIT { buf_empty, 0, 0 }
extern char buf_empty[];

/* Make b an empty string. */
void buf_init(struct buf *b);
/* Free b's memory and leave it empty (buf_init state). */
void buf_release(struct buf *b);
/* Make sure at least extra more bytes fit without reallocating. */
void buf_grow(struct buf *b, size_t extra);
/* Set len to 0, keeping the memory. */
void buf_reset(struct buf *b);
/* Cut b to len bytes (len <= b->len). */
void buf_truncate(struct buf *b, size_t len);
void buf_add(struct buf *b, const void *data, size_t len);
/* Append the string s; a NULL s (sqlite3_mprintf out of memory) is an allocation failure. */
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
/* Append n copies of c. */
void buf_addn(struct buf *b, char c, size_t n);
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap);
/* Hand the string to the caller (free() it); b is left empty. */
char *buf_detach(struct buf *b);
/*
 * Append v as the shortest of %.15g..%.17g that reads back as v, with '.'
 * as the decimal point whatever the locale, and ".0" after a whole value
 * so it reads back as a real (NaN as "NaN", infinities as "inf").
 */
void buf_add_real(struct buf *b, double v);
/* Remove trailing spaces, tabs and newlines. */
void buf_rtrim(struct buf *b);
/*
 * Append name as a quoted SQL identifier: in double quotes, each double
 * quote inside doubled (what sqlite3_mprintf's "%w" gives), so any name
 * is one identifier.
 */
void buf_add_ident(struct buf *b, const char *name);

/*
 * Install fn as the out-of-memory handler of buf and the x* helpers: it is
 * called with the size that could not be had and must not return (the
 * front end restores the terminal, says so and exits; the engine never
 * exits). With no handler, or if it returns, the process stops on a trap
 * instruction (SIGILL): unit tests run that way. NULL removes the handler.
 */
void buf_set_oom_handler(void (*fn)(size_t size));

/* Duplicate a string with malloc; out of memory goes to the handler, like buf. */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/*
 * malloc/calloc/realloc whose failure goes to the handler: for small
 * bookkeeping only (xcalloc checks n * size for overflow).
 */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);

#endif
