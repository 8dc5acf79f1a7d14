/*
 * result.c: what a command hands back to the front end: a list of text
 * items and tables (struct rtable, cells as text with a numeric flag so the
 * renderer can align numbers right).
 */
#include "cmd.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/banned.h"

void
result_init(struct cmd_result *r)
{
    memset(r, 0, sizeof *r);
}

void
result_release(struct cmd_result *r)
{
    for (int i = 0; i < r->n_items; i++) {
        free(r->items[i].text);
        rtable_free(r->items[i].table);
    }
    free(r->items);
    free(r->record_extra);
    free(r->view_table);
    free(r->view_query);
    free(r->confirm);
    free(r->confirm_stmt);
    for (int i = 0; i < r->n_figures; i++)
        free(r->figures[i]);
    free(r->figures);
    result_init(r);
}

void
result_figure(struct cmd_result *r, char *script)
{
    char **f = realloc(r->figures, sizeof *f * (size_t)(r->n_figures + 1));
    if (!f) { /* a figure the report lacks, not an error of the plot */
        free(script);
        return;
    }
    r->figures = f;
    r->figures[r->n_figures++] = script;
}

long long
result_screen_rows(const struct cmd_ctx *ctx, const char *sql, size_t len)
{
    if (!ctx->screen || ctx->height <= 0)
        return -1;
    /* Only what view can page (a PRAGMA's or EXPLAIN's rows show whole). */
    while (len > 0 && isspace((unsigned char)*sql)) {
        sql++;
        len--;
    }
    if (!(len >= 6 && strncasecmp(sql, "select", 6) == 0) &&
        !(len >= 4 && strncasecmp(sql, "with", 4) == 0) &&
        !(len >= 6 && strncasecmp(sql, "values", 6) == 0))
        return -1;
    return ctx->height > 15 ? ctx->height - 5 : 10;
}

void
result_more_rows(struct cmd_result *r, const char *sql, size_t len)
{
    const struct rtable *t = r->n_items ? r->items[r->n_items - 1].table : NULL;
    if (!t || t->n_more == 0)
        return;
    struct buf q = BUF_INIT;
    /* The statement on one line, without its ';' (view takes one line). */
    for (size_t i = 0; i < len; i++)
        if (!isspace((unsigned char)sql[i]))
            buf_addc(&q, sql[i]);
        else if (q.len && q.data[q.len - 1] != ' ')
            buf_addc(&q, ' ');
    while (q.len && (q.data[q.len - 1] == ' ' || q.data[q.len - 1] == ';'))
        buf_truncate(&q, q.len - 1);
    result_text(r, "%lld more row%s (%lld in all); to page through them: view %s", t->n_more,
                t->n_more == 1 ? "" : "s", t->n_rows + t->n_more, q.len ? q.data : "");
    buf_release(&q);
}

void
result_drop_last(struct cmd_result *r)
{
    if (!r->n_items)
        return;
    struct out_item *it = &r->items[--r->n_items];
    free(it->text);
    rtable_free(it->table);
}

static struct out_item *
add_item(struct cmd_result *r, enum out_kind kind)
{
    if (r->n_items == r->cap_items) {
        r->cap_items = r->cap_items ? 2 * r->cap_items : 4;
        r->items = xrealloc(r->items, (size_t)r->cap_items * sizeof *r->items);
    }
    struct out_item *it = &r->items[r->n_items++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    return it;
}

void
result_text(struct cmd_result *r, const char *fmt, ...)
{
    struct buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(&b, fmt, ap);
    va_end(ap);
    add_item(r, OUT_TEXT)->text = buf_detach(&b);
}

void
result_block(struct cmd_result *r, const char *text)
{
    add_item(r, OUT_BLOCK)->text = xstrdup(text);
}

struct rtable *
result_table(struct cmd_result *r, int n_cols, const char *const *cols)
{
    struct rtable *t = xcalloc(1, sizeof *t);
    t->n_cols = n_cols;
    t->cols = xcalloc((size_t)n_cols, sizeof *t->cols);
    for (int i = 0; i < n_cols; i++)
        t->cols[i] = xstrdup(cols[i] ? cols[i] : "");
    add_item(r, OUT_TABLE)->table = t;
    return t;
}

long long
rtable_add_row(struct rtable *t)
{
    if (t->n_rows == t->cap_rows) {
        t->cap_rows = t->cap_rows ? 2 * t->cap_rows : 16;
        size_t n = (size_t)t->cap_rows * (size_t)t->n_cols;
        t->cells = xrealloc(t->cells, n * sizeof *t->cells);
        t->num = xrealloc(t->num, n);
    }
    size_t base = (size_t)t->n_rows * (size_t)t->n_cols;
    for (int c = 0; c < t->n_cols; c++) {
        t->cells[base + (size_t)c] = NULL;
        t->num[base + (size_t)c] = 0;
    }
    return t->n_rows++;
}

void
rtable_set(struct rtable *t, long long row, int col, const char *text, int is_num)
{
    size_t i = (size_t)row * (size_t)t->n_cols + (size_t)col;
    free(t->cells[i]);
    t->cells[i] = text ? xstrdup(text) : NULL;
    t->num[i] = (unsigned char)(is_num != 0);
}

void
rtable_setf(struct rtable *t, long long row, int col, int is_num, const char *fmt, ...)
{
    struct buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(&b, fmt, ap);
    va_end(ap);
    size_t i = (size_t)row * (size_t)t->n_cols + (size_t)col;
    free(t->cells[i]);
    t->cells[i] = buf_detach(&b);
    t->num[i] = (unsigned char)(is_num != 0);
}

const char *
rtable_get(const struct rtable *t, long long row, int col)
{
    return t->cells[(size_t)row * (size_t)t->n_cols + (size_t)col];
}

void
rtable_free(struct rtable *t)
{
    if (!t)
        return;
    size_t n = (size_t)t->n_rows * (size_t)t->n_cols;
    for (size_t i = 0; i < n; i++)
        free(t->cells[i]);
    for (int c = 0; c < t->n_cols; c++)
        free(t->cols[c]);
    free(t->cells);
    free(t->num);
    free(t->cols);
    free(t);
}
