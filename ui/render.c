/*
 * render.c: results as text. Tables align by display width: numbers to
 * the right, text to the left, NULL shown as NULL; control characters in
 * values are escaped so a value can never break the layout.
 */
#include "render.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/*
 * A NUL inside a text value: result cells are C strings, so the command
 * layer stores it as the two bytes C0 80 (an overlong form no valid UTF-8
 * holds; commands/dispatch.c, cmd_set_cell).
 */
static int
is_nul_pair(const unsigned char *p)
{
    return p[0] == 0xC0 && p[1] == 0x80;
}

int
render_clean(struct buf *b, const char *s, int max, unsigned flags)
{
    int w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        char esc[8];
        const char *show = esc;
        size_t len = 2;
        int cw = 2;
        const unsigned char *q = p + 1;
        if ((*p == '\n' && (flags & RENDER_KEEP_NL)) || (*p == '\t' && (flags & RENDER_KEEP_TAB))) {
            show = (const char *)p;
            len = 1;
            cw = *p == '\t';
        } else if (*p == '\n' || *p == '\t' || *p == '\r') {
            esc[0] = '\\';
            esc[1] = *p == '\n' ? 'n' : *p == '\t' ? 't' : 'r';
        } else if (*p < 0x20 || *p == 0x7F) {
            esc[0] = '^';
            esc[1] = *p == 0x7F ? '?' : (char)(*p + '@');
        } else if (is_nul_pair(p)) {
            esc[0] = '^';
            esc[1] = '@';
            q = p + 2;
        } else {
            q = p;
            unsigned cp = utf8_next(&q);
            if (cp >= 0x80 && cp <= 0x9F) {
                /* C1 controls (U+009B is CSI) */
                snprintf(esc, sizeof esc, "\\x%02x", cp);
                len = 4;
                cw = 4;
            } else if (cp == 0xFFFD && q == p + 1) {
                show = "\xEF\xBF\xBD"; /* an invalid byte: U+FFFD */
                len = 3;
                cw = 1;
            } else {
                show = (const char *)p;
                len = (size_t)(q - p);
                cw = utf8_cp_width(cp);
            }
        }
        if (max >= 0 && w + cw > max)
            break;
        if (b)
            buf_add(b, show, len);
        w += cw;
        p = q;
    }
    return w;
}

void
render_put_clean(FILE *out, const char *s)
{
    struct buf b = BUF_INIT;
    render_clean(&b, s, -1, RENDER_KEEP_NL | RENDER_KEEP_TAB);
    fputs(b.data, out);
    buf_release(&b);
}

/* Width of s as render_clean shows it in a table cell. */
static int
shown_width(const char *s)
{
    return render_clean(NULL, s, -1, 0);
}

/* Append one cell in width w (right-aligned when right), cut with … if longer. */
static void
add_cell(struct buf *line, const char *s, int w, int right)
{
    int sw = shown_width(s);
    if (sw > w) {
        int used = render_clean(line, s, w - 1, 0);
        buf_adds(line, "…");
        buf_addn(line, ' ', (size_t)(w - 1 - used));
    } else {
        if (right)
            buf_addn(line, ' ', (size_t)(w - sw));
        render_clean(line, s, -1, 0);
        if (!right)
            buf_addn(line, ' ', (size_t)(w - sw));
    }
    buf_adds(line, "  ");
}

static int
rtable_num(const struct rtable *t, long long row, int col)
{
    return t->num[(size_t)row * (size_t)t->n_cols + (size_t)col];
}

/*
 * The significant digits of s when it is a real number written in
 * decimal (digits with a point, an exponent or both, a sign); 0 for an
 * integer or anything else.
 */
static int
real_digits(const char *s)
{
    const char *p = s + (*s == '-' || *s == '+');
    int n = 0, sig = 0, dot = 0, exp;
    for (; (*p >= '0' && *p <= '9') || (*p == '.' && !dot); p++) {
        if (*p == '.') {
            dot = 1;
            continue;
        }
        n++;
        if (sig || *p != '0')
            sig++;
    }
    exp = *p == 'e' || *p == 'E';
    if (exp) {
        p += p[1] == '+' || p[1] == '-' ? 2 : 1;
        if (*p < '0' || *p > '9')
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return n && !*p && (dot || exp) ? sig : 0;
}

/*
 * v as the sqlite3 shell shows a real: %.15g (so no exponent from 1e-4 up
 * to 1e15), and ".0" after a whole number.
 */
static void
format_real15(double v, char *out, size_t size)
{
    int n = snprintf(out, size, "%.15g", v);
    if (!strpbrk(out, ".e") && n > 0 && (size_t)n + 2 < size)
        memcpy(out + n, ".0", 3);
}

const char *
render_cell_shown(const char *v, int is_num, char tmp[RENDER_NUM_MAX])
{
    if (!v || !is_num || real_digits(v) <= 15)
        return v;
    char *end;
    double d = strtod(v, &end);
    if (*end || !isfinite(d))
        return v;
    format_real15(d, tmp, RENDER_NUM_MAX);
    return tmp;
}

/*
 * Fit the columns in max_width (0: no limit) and return how many of them,
 * from the left, are shown. Text columns give up width first, widest
 * first, down to a floor (render_table_lines); numbers are never cut,
 * since a cut number reads as a different number. What still does not
 * fit is left out from the right, and then the columns shown take back
 * the room, the one nearest its whole width first: nothing stays cut to make room for a column
 * that is not there.
 */
static int
fit_widths(int *w, const int *floor_w, int nc, int max_width)
{
    if (max_width <= 0)
        return nc;
    int *natural = xcalloc((size_t)nc, sizeof *natural);
    memcpy(natural, w, (size_t)nc * sizeof *w);
    for (;;) {
        int total = 2 * (nc - 1), widest = -1;
        for (int c = 0; c < nc; c++) {
            total += w[c];
            if (w[c] > floor_w[c] && (widest < 0 || w[c] > w[widest]))
                widest = c;
        }
        if (total <= max_width) {
            free(natural);
            return nc;
        }
        if (widest < 0)
            break;
        w[widest] -= 1;
    }
    int shown = 0, total = 0;
    while (shown < nc && total + w[shown] + (shown ? 2 : 0) <= max_width) {
        total += w[shown] + (shown ? 2 : 0);
        shown++;
    }
    for (int room = max_width - total; room > 0;) {
        int best = -1; /* the cut column nearest its whole width */
        for (int c = 0; c < shown; c++)
            if (w[c] < natural[c] && (best < 0 || natural[c] - w[c] < natural[best] - w[best]))
                best = c;
        if (best < 0)
            break;
        int give = natural[best] - w[best] < room ? natural[best] - w[best] : room;
        w[best] += give;
        room -= give;
    }
    free(natural);
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
    char tmp[RENDER_NUM_MAX];
    for (int c = 0; c < nc; c++) {
        w[c] = shown_width(t->cols[c]);
        int has_num = 0, has_text = 0;
        for (long long r = 0; r < t->n_rows; r++) {
            const char *v = render_cell_shown(rtable_get(t, r, c), rtable_num(t, r, c), tmp);
            int vw = shown_width(v ? v : "NULL");
            if (vw > w[c])
                w[c] = vw;
            if (v && *v) {
                if (rtable_num(t, r, c))
                    has_num = 1;
                else
                    has_text = 1;
            }
        }
        right[c] = has_num && !has_text;
        /* A text column may be cut to its header's width (6 to 12), the
         * first one, which names the rows, to 20; a cut that would save
         * less than 3 columns is not made. */
        int hw = utf8_width(t->cols[c]);
        hw = c == 0 ? 20 : hw < 6 ? 6 : hw > 12 ? 12 : hw;
        floor_w[c] = right[c] || w[c] < hw + 3 ? w[c] : hw;
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
            const char *v = render_cell_shown(rtable_get(t, r, c), rtable_num(t, r, c), tmp);
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

/*
 * TSV: no quoting, so backslash, tab, LF, CR and NUL are written \\ \t \n
 * \r \0 (the "linear TSV" convention) and every line is one row.
 */
static void
put_tsv(FILE *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\\' || *p == '\t' || *p == '\n' || *p == '\r') {
            fputc('\\', out);
            fputc(*p == '\t' ? 't' : *p == '\n' ? 'n' : *p == '\r' ? 'r' : '\\', out);
        } else if (is_nul_pair(p)) {
            fputs("\\0", out);
            p++;
        } else {
            fputc(*p, out);
        }
    }
}

/*
 * CSV (RFC 4180): a field is quoted, with quotes doubled, when it holds
 * a comma, quote, CR or LF, starts or ends with a space, or is empty
 * (so that '' and NULL, written as nothing, stay apart). A NUL is
 * written as the byte it is.
 */
static void
put_csv(FILE *out, const char *s)
{
    int quote = !*s || strpbrk(s, ",\"\r\n") || *s == ' ' || s[strlen(s) - 1] == ' ';
    if (quote)
        fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"')
            fputc('"', out);
        if (is_nul_pair(p)) {
            fputc('\0', out);
            p++;
        } else {
            fputc(*p, out);
        }
    }
    if (quote)
        fputc('"', out);
}

static void
put_delimited(FILE *out, const char *s, char delim)
{
    if (delim == '\t')
        put_tsv(out, s);
    else
        put_csv(out, s);
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

/*
 * A JSON string: quote, backslash and control characters escaped, a NUL
 * as \u0000, and each byte that is not valid UTF-8 replaced by U+FFFD, so
 * the output is always valid JSON (RFC 8259).
 */
static void
put_json_string(FILE *out, const char *s)
{
    fputc('"', out);
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (*p == '"' || *p == '\\') {
            fprintf(out, "\\%c", *p++);
        } else if (*p == '\n' || *p == '\t') {
            fputs(*p++ == '\n' ? "\\n" : "\\t", out);
        } else if (*p < 0x20) {
            fprintf(out, "\\u%04x", *p++);
        } else if (is_nul_pair(p)) {
            fputs("\\u0000", out);
            p += 2;
        } else if (*p < 0x80) {
            fputc(*p++, out);
        } else {
            const unsigned char *q = p;
            unsigned cp = utf8_next(&q);
            if (cp == 0xFFFD && q == p + 1)
                fputs("\xEF\xBF\xBD", out);
            else
                fwrite(p, 1, (size_t)(q - p), out);
            p = q;
        }
    }
    fputc('"', out);
}

/* Is s a number as JSON writes one: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int
is_json_number(const char *s)
{
    const char *p = s + (*s == '-');
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        while (*p >= '0' && *p <= '9')
            p++;
    else
        return 0;
    if (*p == '.') {
        if (*++p < '0' || *p > '9')
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p == 'e' || *p == 'E') {
        p += p[1] == '+' || p[1] == '-' ? 2 : 1;
        if (*p < '0' || *p > '9')
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == '\0';
}

/*
 * A number cell as JSON: as is when JSON can write it; infinities and NaN,
 * which JSON cannot, as null (what JSON.stringify does; jq and pandas read
 * null as a missing number); anything else as a string.
 */
static void
put_json_number(FILE *out, const char *v)
{
    if (is_json_number(v)) {
        fputs(v, out);
        return;
    }
    const char *p = v + (*v == '-' || *v == '+');
    if (strcasecmp(p, "inf") == 0 || strcasecmp(p, "infinity") == 0 || strcasecmp(p, "nan") == 0)
        fputs("null", out);
    else
        put_json_string(out, v);
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
            else if (t->num[(size_t)r * (size_t)t->n_cols + (size_t)c])
                put_json_number(out, v);
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
 * control bytes dropped (a leading form feed from gnuplot among them),
 * the rest through render_clean.
 */
static void
put_plain_block(FILE *out, const char *text)
{
    struct buf b = BUF_INIT;
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
            buf_addc(&b, *p);
    }
    render_put_clean(out, b.data);
    fputc('\n', out);
    buf_release(&b);
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
        } else {
            FILE *to = fmt == RENDER_TABLE ? out : msgs;
            fflush(out);
            render_put_clean(to, it->text);
            fputc('\n', to);
        }
    }
}
