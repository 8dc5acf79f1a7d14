/*
 * pane.c: the output pane's lines (pane.h): a ring buffer that drops the
 * oldest lines past its capacity, with per-line or per-byte styles.
 */
#include "pane.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/utf8.h"
#include "base/banned.h"

void
pane_init(struct pane *p, size_t cap)
{
    memset(p, 0, sizeof *p);
    p->cap = cap;
    p->lines = xcalloc(cap, sizeof *p->lines);
}

static void
line_free(struct pane_line *l)
{
    free(l->text);
    free(l->attr);
    memset(l, 0, sizeof *l);
}

void
pane_release(struct pane *p)
{
    for (size_t i = 0; i < p->n; i++)
        line_free(&p->lines[(p->first + i) % p->cap]);
    free(p->lines);
    memset(p, 0, sizeof *p);
}

/* Append a line, taking ownership of text and attr. */
static void
push(struct pane *p, char *text, unsigned char *attr, unsigned char style)
{
    struct pane_line *l;
    if (p->n == p->cap) {
        l = &p->lines[p->first];
        line_free(l);
        p->first = (p->first + 1) % p->cap;
    } else {
        l = &p->lines[(p->first + p->n) % p->cap];
        p->n++;
    }
    l->text = text;
    l->attr = attr;
    l->style = style;
    /* Keep a scrolled view on the same lines while output arrives. */
    if (p->scroll && p->scroll < p->n)
        p->scroll++;
}

void
pane_add(struct pane *p, const char *text, enum pane_style style)
{
    const char *s = text;
    for (;;) {
        const char *e = strchr(s, '\n');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        char *line = xstrndup(s, len);
        for (size_t i = 0; i < len; i++)
            if ((unsigned char)line[i] < 0x20 || line[i] == 0x7F)
                line[i] = line[i] == '\t' ? ' ' : '?';
        push(p, line, NULL, (unsigned char)style);
        if (!e)
            break;
        s = e + 1;
    }
}

void
pane_add_ansi(struct pane *p, const char *text)
{
    struct buf line = BUF_INIT, attr = BUF_INIT;
    unsigned char cur = PS_NORMAL;
    const char *s = text;
    if (*s == '\f')
        s++;
    for (;; s++) {
        if (*s == '\n' || !*s) {
            push(p, buf_detach(&line), (unsigned char *)buf_detach(&attr), PS_NORMAL);
            if (!*s || !s[1])
                break;
            continue;
        }
        if (*s == '\033' && s[1] == '[') {
            /* CSI parameters ... final byte; only 'm' (SGR) is applied. */
            const char *q = s + 2;
            int params[16], np = 0, v = 0, have = 0;
            while (*q && ((*q >= '0' && *q <= '9') || *q == ';')) {
                if (*q == ';') {
                    if (np < 16)
                        params[np++] = have ? v : 0;
                    v = 0;
                    have = 0;
                } else {
                    v = v * 10 + (*q - '0');
                    have = 1;
                    if (v > 999)
                        v = 999;
                }
                q++;
            }
            if (np < 16)
                params[np++] = have ? v : 0;
            if (*q == 'm') {
                for (int i = 0; i < np; i++) {
                    if (params[i] == 0 || params[i] == 39)
                        cur = PS_NORMAL;
                    else if (params[i] >= 30 && params[i] <= 37)
                        cur = (unsigned char)(PS_COLOR0 + params[i] - 30);
                    else if (params[i] == 38 && i + 2 < np && params[i + 1] == 5)
                        i += 2; /* 256 colours: not mapped, keep the current style */
                }
            }
            if (!*q)
                break;
            s = q;
            continue;
        }
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7F)
            c = c == '\t' ? ' ' : '?';
        buf_addc(&line, (char)c);
        buf_addc(&attr, (char)cur);
    }
    buf_release(&line);
    buf_release(&attr);
}

const struct pane_line *
pane_get(const struct pane *p, size_t i)
{
    return &p->lines[(p->first + i) % p->cap];
}

/* ---- wrapping ---------------------------------------------------------- */

static int
indent_of(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && s[i] == ' ')
        i++;
    return (int)i;
}

/*
 * Where the continuation lines of s go: after its first gap of two or
 * more spaces past the indent ("  cols       Required. ...": under
 * "Required"; "  as NAME   Write ...": under "Write"), else at the line's
 * own indent.
 */
static int
hang_of(const char *s, size_t len)
{
    for (size_t i = (size_t)indent_of(s, len); i + 1 < len; i++)
        if (s[i] == ' ' && s[i + 1] == ' ') {
            while (i < len && s[i] == ' ')
                i++;
            if (i < len)
                return (int)i;
            break;
        }
    return indent_of(s, len);
}

/* Display columns of len bytes of s. */
static int
width_of(const char *s, size_t len)
{
    int used = 0;
    utf8_fit(s, len, 1 << 30, &used);
    return used;
}

/*
 * Emit the words of text (separated by blanks) into lines of width
 * columns, the first starting with prefix and the rest with hang spaces;
 * a word wider than a whole line is cut where it must be.
 */
static void
flow(struct pane *p, const char *prefix, const char *text, int hang, int width,
     enum pane_style style)
{
    struct buf line = BUF_INIT;
    int col = width_of(prefix, strlen(prefix)), fresh = 1;
    buf_adds(&line, prefix);
    for (const char *w = text; *w;) {
        if (*w == ' ') {
            w++;
            continue;
        }
        size_t wl = strcspn(w, " ");
        int ww = width_of(w, wl);
        if (!fresh && col + 1 + ww > width) {
            pane_add(p, line.data, style);
            buf_reset(&line);
            for (int i = 0; i < hang; i++)
                buf_addc(&line, ' ');
            col = hang;
            fresh = 1;
        }
        if (col + (fresh ? 0 : 1) + ww > width && ww > width - hang) {
            /* Too wide for any line: cut it to what fits here. */
            int used = 0;
            size_t n = utf8_fit(w, wl, width - col - (fresh ? 0 : 1), &used);
            if (n == 0 && fresh)
                n = 1; /* a character wider than the line: take it anyway */
            if (!fresh && n > 0)
                buf_addc(&line, ' ');
            buf_add(&line, w, n);
            pane_add(p, line.data, style);
            buf_reset(&line);
            for (int i = 0; i < hang; i++)
                buf_addc(&line, ' ');
            col = hang;
            fresh = 1;
            w += n;
            continue;
        }
        if (!fresh) {
            buf_addc(&line, ' ');
            col++;
        }
        buf_add(&line, w, wl);
        col += ww;
        fresh = 0;
        w += wl;
    }
    if (!fresh || line.len > (size_t)hang)
        pane_add(p, line.data, style);
    buf_release(&line);
}

void
pane_add_wrapped(struct pane *p, const char *text, enum pane_style style, int width)
{
    const char *s = text;
    if (width < 20) {
        pane_add(p, text, style);
        return;
    }
    while (*s) {
        size_t len = strcspn(s, "\n");
        const char *next = s + len + (s[len] == '\n');
        if (width_of(s, len) <= width) {
            char *one = xstrndup(s, len);
            pane_add(p, one, style);
            free(one);
            s = next;
            continue;
        }
        /*
         * Too wide: a paragraph from here. The lines after it that
         * continue it (indented to its hang, no gap of their own) join it
         * while the line before was too wide too, so the text flows again.
         */
        int hang = hang_of(s, len);
        if (width_of(s, (size_t)hang) > width / 2)
            hang = indent_of(s, len);
        struct buf words = BUF_INIT;
        char *prefix = xstrndup(s, (size_t)hang);
        int hang_cols = width_of(s, (size_t)hang);
        buf_add(&words, s + hang, len - (size_t)hang);
        int wide = 1;
        while (wide && *next) {
            size_t nl = strcspn(next, "\n");
            if (nl == 0 || indent_of(next, nl) != hang_cols || hang_of(next, nl) != hang_cols)
                break;
            wide = width_of(next, nl) > width;
            buf_addc(&words, ' ');
            buf_add(&words, next, nl);
            next += nl + (next[nl] == '\n');
        }
        flow(p, prefix, words.data, hang_cols, width, style);
        free(prefix);
        buf_release(&words);
        s = next;
    }
}
