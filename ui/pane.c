/*
 * pane.c: the output pane's lines (pane.h): a ring buffer that drops the
 * oldest lines past its capacity, with per-line or per-byte styles.
 */
#include "pane.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
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
