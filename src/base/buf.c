/*
 * buf.c: the growable string of buf.h, the small x* allocators, and their
 * one out-of-memory path: the handler a front end installs.
 */
#include "base/buf.h"

#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fault.h"
#include "base/banned.h"

char buf_empty[1];

/*
 * The front end's out-of-memory handler: process-wide by nature, set once
 * at start-up, and one of the engine's three mutable globals (with
 * fault.c's state and mem.c's budget).
 */
static void (*oom_handler)(size_t size);

void
buf_set_oom_handler(void (*fn)(size_t size))
{
    oom_handler = fn;
}

static void
oom(size_t size)
{
    if (oom_handler)
        oom_handler(size);
    /*
     * No handler, or one that returned: the caller cannot go on and has no
     * way to report it. How the process ends is the front end's decision,
     * not the engine's, so stop here on a trap instruction (SIGILL, with a
     * stack trace under the sanitizers), at a known place rather than at
     * the NULL dereference that would follow.
     */
    __builtin_trap();
}

void *
xmalloc(size_t size)
{
    void *p = fault_oom("buf") ? NULL : malloc(size ? size : 1);
    if (!p)
        oom(size);
    return p;
}

void *
xcalloc(size_t n, size_t size)
{
    size_t bytes;
    if (__builtin_mul_overflow(n, size, &bytes))
        bytes = SIZE_MAX;
    void *p = bytes == SIZE_MAX || fault_oom("buf") ? NULL : calloc(bytes ? bytes : 1, 1);
    if (!p)
        oom(bytes);
    return p;
}

void *
xrealloc(void *p, size_t size)
{
    void *q = fault_oom("buf") ? NULL : realloc(p, size ? size : 1);
    if (!q)
        oom(size);
    return q;
}

char *
xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *
xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

void
buf_init(struct buf *b)
{
    b->data = buf_empty;
    b->len = 0;
    b->cap = 0;
}

void
buf_release(struct buf *b)
{
    if (b->cap)
        free(b->data);
    buf_init(b);
}

void
buf_grow(struct buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    if (b->cap) {
        b->data = xrealloc(b->data, cap);
    } else {
        b->data = xmalloc(cap);
        b->data[0] = '\0';
    }
    b->cap = cap;
}

void
buf_reset(struct buf *b)
{
    buf_truncate(b, 0);
}

void
buf_truncate(struct buf *b, size_t len)
{
    if (!b->cap)
        return;
    b->len = len;
    b->data[len] = '\0';
}

void
buf_add(struct buf *b, const void *data, size_t len)
{
    if (!len)
        return;
    buf_grow(b, len);
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void
buf_adds(struct buf *b, const char *s)
{
    if (!s) /* sqlite3_mprintf's answer when out of memory */
        oom(0);
    buf_add(b, s, strlen(s));
}

void
buf_addc(struct buf *b, char c)
{
    buf_grow(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

void
buf_addn(struct buf *b, char c, size_t n)
{
    if (!n)
        return;
    buf_grow(b, n);
    memset(b->data + b->len, c, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void
buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
    char small[256];
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(small, sizeof small, fmt, cp);
    va_end(cp);
    if (n <= 0)
        return;
    if ((size_t)n < sizeof small) {
        buf_add(b, small, (size_t)n);
        return;
    }
    buf_grow(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void
buf_addf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(b, fmt, ap);
    va_end(ap);
}

char *
buf_detach(struct buf *b)
{
    char *s = b->cap ? b->data : xstrdup("");
    buf_init(b);
    return s;
}

void
buf_add_ident(struct buf *b, const char *name)
{
    buf_addc(b, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"')
            buf_addc(b, '"');
        buf_addc(b, *p);
    }
    buf_addc(b, '"');
}

void
buf_rtrim(struct buf *b)
{
    size_t n = b->len;
    while (n && (b->data[n - 1] == ' ' || b->data[n - 1] == '\t' || b->data[n - 1] == '\n' ||
                 b->data[n - 1] == '\r'))
        n--;
    buf_truncate(b, n);
}

void
buf_add_real(struct buf *b, double v)
{
    char tmp[64];
    if (v != v) {
        buf_adds(b, "NaN");
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, v);
        if (prec == 17 || strtod(tmp, NULL) == v)
            break;
    }
    /* Undo a locale's decimal comma: quarry's text always uses '.'. */
    const char *dp = localeconv()->decimal_point;
    size_t dplen = dp && strcmp(dp, ".") != 0 ? strlen(dp) : 0;
    int integral = 1;
    for (const char *s = tmp; *s;) {
        if (dplen && strncmp(s, dp, dplen) == 0) {
            buf_addc(b, '.');
            integral = 0;
            s += dplen;
            continue;
        }
        if ((*s < '0' || *s > '9') && *s != '-')
            integral = 0;
        buf_addc(b, *s++);
    }
    if (integral)
        buf_adds(b, ".0");
}
