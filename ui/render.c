/*
 * render.c: results as text. Tables align by display width: numbers to
 * the right, text to the left, NULL shown as NULL; control characters in
 * values are escaped so a value can never break the layout.
 */
#include "render.h"

#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "base/banned.h"

int
render_format_parse(const char *s)
{
    static const char *const names[] = {"table", "csv", "tsv", "json"};
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

/* Write s with control characters escaped. */
static void
put_escaped(FILE *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\n')
            fputs("\\n", out);
        else if (*p == '\t')
            fputs("\\t", out);
        else if (*p == '\r')
            fputs("\\r", out);
        else if (*p < 0x20 || *p == 0x7F)
            fprintf(out, "^%c", *p == 0x7F ? '?' : *p + '@');
        else
            fputc(*p, out);
    }
}

/* Append s to b with control characters escaped, at most max columns (0: all). */
static int
add_escaped(struct buf *b, const char *s, int max)
{
    int w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        char esc[4] = {0};
        if (*p == '\n' || *p == '\t' || *p == '\r' || *p < 0x20 || *p == 0x7F) {
            esc[0] = *p == '\n' || *p == '\t' || *p == '\r' ? '\\' : '^';
            esc[1] = *p == '\n' ? 'n' : *p == '\t' ? 't' : *p == '\r' ? 'r'
                   : *p == 0x7F ? '?' : (char)(*p + '@');
            if (max && w + 2 > max)
                break;
            buf_add(b, esc, 2);
            w += 2;
            p++;
            continue;
        }
        const unsigned char *q = p;
        int cw = utf8_cp_width(utf8_next(&q));
        if (max && w + cw > max)
            break;
        buf_add(b, p, (size_t)(q - p));
        w += cw;
        p = q;
    }
    return w;
}

/* Width of s as add_escaped shows it. */
static int
shown_width(const char *s)
{
    return utf8_width(s);
}

/* Append one cell in width w (right-aligned when right), cut with … if longer. */
static void
add_cell(struct buf *line, const char *s, int w, int right)
{
    int sw = shown_width(s);
    if (sw > w) {
        int used = add_escaped(line, s, w - 1);
        buf_adds(line, "…");
        buf_addn(line, ' ', (size_t)(w - 1 - used));
    } else {
        if (right)
            buf_addn(line, ' ', (size_t)(w - sw));
        add_escaped(line, s, 0);
        if (!right)
            buf_addn(line, ' ', (size_t)(w - sw));
    }
    buf_adds(line, "  ");
}

/*
 * Fit the columns in max_width (0: no limit) and return how many of them,
 * from the left, are shown. Text columns give up width first, widest
 * first, down to a floor (their header, between 6 and 12 columns); numbers
 * are never cut, since a cut number reads as a different number. What
 * still does not fit is left out from the right.
 */
static int
fit_widths(int *w, const int *floor_w, int nc, int max_width)
{
    if (max_width <= 0)
        return nc;
    for (;;) {
        int total = 2 * (nc - 1), widest = -1;
        for (int c = 0; c < nc; c++) {
            total += w[c];
            if (w[c] > floor_w[c] && (widest < 0 || w[c] > w[widest]))
                widest = c;
        }
        if (total <= max_width)
            return nc;
        if (widest < 0)
            break;
        w[widest] -= 1;
    }
    int shown = 0, total = 0;
    while (shown < nc && total + w[shown] + (shown ? 2 : 0) <= max_width) {
        total += w[shown] + (shown ? 2 : 0);
        shown++;
    }
    return shown ? shown : 1;
}

void
render_table_lines(const struct rtable *t, int max_width,
                   void (*emit)(void *arg, const char *line, enum render_line kind), void *arg)
{
    int nc = t->n_cols;
    int *w = xcalloc((size_t)nc, sizeof *w), *floor_w = xcalloc((size_t)nc, sizeof *w);
    unsigned char *right = xcalloc((size_t)nc, 1);
    struct buf line = BUF_INIT;
    for (int c = 0; c < nc; c++) {
        w[c] = shown_width(t->cols[c]);
        int has_num = 0, has_text = 0;
        for (long long r = 0; r < t->n_rows; r++) {
            const char *v = rtable_get(t, r, c);
            int vw = shown_width(v ? v : "NULL");
            if (vw > w[c])
                w[c] = vw;
            if (v && *v) {
                if (t->num[(size_t)r * (size_t)nc + (size_t)c])
                    has_num = 1;
                else
                    has_text = 1;
            }
        }
        right[c] = has_num && !has_text;
        int hw = utf8_width(t->cols[c]);
        hw = hw < 6 ? 6 : hw > 12 ? 12 : hw;
        floor_w[c] = right[c] || w[c] < hw ? w[c] : hw;
    }
    int all = nc;
    nc = fit_widths(w, floor_w, nc, max_width);
    for (int c = 0; c < nc; c++)
        add_cell(&line, t->cols[c], w[c], right[c]);
    buf_rtrim(&line);
    emit(arg, line.data, RENDER_HEADER);
    buf_reset(&line);
    for (int c = 0; c < nc; c++) {
        buf_addn(&line, '-', (size_t)w[c]);
        buf_adds(&line, "  ");
    }
    buf_rtrim(&line);
    emit(arg, line.data, RENDER_RULE);
    for (long long r = 0; r < t->n_rows; r++) {
        buf_reset(&line);
        for (int c = 0; c < nc; c++) {
            const char *v = rtable_get(t, r, c);
            add_cell(&line, v ? v : "NULL", w[c], right[c]);
        }
        buf_rtrim(&line);
        emit(arg, line.data, RENDER_ROW);
    }
    if (nc < all) {
        buf_reset(&line);
        buf_addf(&line, "(%d more column%s to the right: %s", all - nc, all - nc == 1 ? "" : "s",
                 t->cols[nc]);
        for (int c = nc + 1; c < all && line.len < 200; c++)
            buf_addf(&line, ", %s", t->cols[c]);
        buf_adds(&line, "; widen the window, or SELECT fewer columns)");
        emit(arg, line.data, RENDER_RULE);
    }
    buf_release(&line);
    free(w);
    free(floor_w);
    free(right);
}

static void
emit_to_file(void *arg, const char *line, enum render_line kind)
{
    (void)kind;
    fprintf(arg, "%s\n", line);
}

static void
render_aligned(FILE *out, const struct rtable *t)
{
    render_table_lines(t, 0, emit_to_file, out);
}

static void
put_delimited(FILE *out, const char *s, char delim)
{
    if (delim == '\t') {
        /* TSV has no quoting: escape what would break a line. */
        put_escaped(out, s);
        return;
    }
    if (!strpbrk(s, ",\"\r\n") && *s != ' ' && (!*s || s[strlen(s) - 1] != ' ')) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void
render_delimited(FILE *out, const struct rtable *t, char delim)
{
    for (int c = 0; c < t->n_cols; c++) {
        if (c)
            fputc(delim, out);
        put_delimited(out, t->cols[c], delim);
    }
    fputc('\n', out);
    for (long long r = 0; r < t->n_rows; r++) {
        for (int c = 0; c < t->n_cols; c++) {
            const char *v = rtable_get(t, r, c);
            if (c)
                fputc(delim, out);
            if (v)
                put_delimited(out, v, delim);
        }
        fputc('\n', out);
    }
}

static void
put_json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", out);
        else if (*p == '\t')
            fputs("\\t", out);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

static void
render_json(FILE *out, const struct rtable *t)
{
    fputc('[', out);
    for (long long r = 0; r < t->n_rows; r++) {
        fputs(r ? ",\n {" : "{", out);
        for (int c = 0; c < t->n_cols; c++) {
            const char *v = rtable_get(t, r, c);
            if (c)
                fputs(", ", out);
            put_json_string(out, t->cols[c]);
            fputs(": ", out);
            if (!v)
                fputs("null", out);
            else if (t->num[(size_t)r * (size_t)t->n_cols + (size_t)c] && strcmp(v, "NaN") != 0)
                fputs(v, out);
            else
                put_json_string(out, v);
        }
        fputc('}', out);
    }
    fputs("]\n", out);
}

void
render_table(FILE *out, const struct rtable *t, enum render_format fmt)
{
    switch (fmt) {
    case RENDER_TABLE: render_aligned(out, t); break;
    case RENDER_CSV: render_delimited(out, t, ','); break;
    case RENDER_TSV: render_delimited(out, t, '\t'); break;
    case RENDER_JSON: render_json(out, t); break;
    }
}

/*
 * A rendered block as plain text: ANSI escape sequences removed, other
 * control bytes dropped (a leading form feed from gnuplot among them).
 */
static void
put_plain_block(FILE *out, const char *text)
{
    for (const char *p = text; *p; p++) {
        if (*p == '\033' && p[1] == '[') {
            p += 2;
            while (*p && ((*p >= '0' && *p <= '9') || *p == ';'))
                p++;
            if (!*p)
                break;
            continue; /* the final byte */
        }
        if ((unsigned char)*p >= 0x20 || *p == '\n')
            fputc(*p, out);
    }
    fputc('\n', out);
}

void
render_result(FILE *out, FILE *msgs, const struct cmd_result *res, enum render_format fmt)
{
    for (int i = 0; i < res->n_items; i++) {
        const struct out_item *it = &res->items[i];
        if (it->kind == OUT_TABLE) {
            render_table(out, it->table, fmt);
        } else if (it->kind == OUT_BLOCK) {
            fflush(out);
            put_plain_block(fmt == RENDER_TABLE ? out : msgs, it->text);
        } else if (fmt == RENDER_TABLE) {
            fprintf(out, "%s\n", it->text);
        } else {
            fflush(out);
            fprintf(msgs, "%s\n", it->text);
        }
    }
}
