/*
 * pane.h: the output pane's model: a bounded list of lines, each with a
 * style, or styled spans for coloured blocks (plots). Text in the pane
 * never holds control bytes; colour comes only from spans, so a data value
 * containing an escape sequence cannot colour or move anything.
 */
#ifndef QUARRY_PANE_H
#define QUARRY_PANE_H

#include <stddef.h>

enum pane_style {
    PS_NORMAL,
    PS_HEADER,  /* table headers: bold */
    PS_RULE,    /* the line under a header: dim */
    PS_ERROR,   /* red */
    PS_DIM,     /* echoed statements, notes */
    PS_HINT,    /* usage and hints after an error */
    PS_COLOR0,  /* PS_COLOR0 + n: ANSI foreground colour n (0-7), for plots */
    PS_COLOR7 = PS_COLOR0 + 7,
    PS_COUNT
};

struct pane_line {
    char *text;          /* UTF-8, no control bytes */
    unsigned char *attr; /* NULL: the whole line has style; else one style per byte */
    unsigned char style;
};

struct pane {
    struct pane_line *lines; /* ring buffer of at most cap lines */
    size_t cap, first, n;
    size_t scroll;           /* lines scrolled up from the bottom */
};

void pane_init(struct pane *p, size_t cap);
void pane_release(struct pane *p);
/* Add text (possibly several lines) in one style; control bytes become '?'. */
void pane_add(struct pane *p, const char *text, enum pane_style style);
/*
 * Add a block that may hold ANSI SGR colour codes (gnuplot's dumb
 * terminal): codes 0, 1, 22, 30-37, 39 become styles, others are dropped,
 * as is every other control byte. A leading form feed is skipped.
 */
void pane_add_ansi(struct pane *p, const char *text);
/*
 * Add text as pane_add does, wrapping each line wider than width columns
 * at word boundaries (a word wider than a line is cut). A continuation
 * goes under the text after the first gap of two or more spaces ("  cols
 * Required. ..." hangs under "Required"), else at the line's indent; the
 * lines after a wrapped one that continue it (same indent as that hang,
 * no gap of their own) flow into it, so text written for a wider screen
 * reads as a paragraph. Lines that fit are added unchanged. width < 20:
 * no wrapping.
 */
void pane_add_wrapped(struct pane *p, const char *text, enum pane_style style, int width);
/* Line i counted from the oldest kept line. */
const struct pane_line *pane_get(const struct pane *p, size_t i);

#endif
