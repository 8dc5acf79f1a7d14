/*
 * cmd_report_log.c: the session's log that `report` writes out
 * (cmd_report.h): each outermost statement, its outcome and a copy of
 * what it showed, tables cut to REPORT_ROWS rows.
 */
#include "cmd_report.h"

#include <stdlib.h>
#include <string.h>

#include "base/banned.h"

/* A copy of t with its first REPORT_ROWS rows; the rest counted in n_more. */
static struct rtable *
table_cut(const struct rtable *t)
{
    struct rtable *c = xcalloc(1, sizeof *c);
    long long keep = t->n_rows < REPORT_ROWS ? t->n_rows : REPORT_ROWS;
    size_t cells = (size_t)keep * (size_t)t->n_cols;
    c->n_cols = t->n_cols;
    c->cols = xcalloc((size_t)t->n_cols + 1, sizeof *c->cols);
    for (int j = 0; j < t->n_cols; j++)
        c->cols[j] = xstrdup(t->cols[j] ? t->cols[j] : "");
    c->cells = xcalloc(cells + 1, sizeof *c->cells);
    c->num = xcalloc(cells + 1, 1);
    for (size_t i = 0; i < cells; i++) {
        c->cells[i] = t->cells[i] ? xstrdup(t->cells[i]) : NULL;
        c->num[i] = t->num[i];
    }
    c->n_rows = c->cap_rows = keep;
    c->n_more = t->n_more + (t->n_rows - keep);
    return c;
}

void
report_log_enter(struct cmd_ctx *ctx)
{
    if (!ctx->log)
        ctx->log = calloc(1, sizeof *ctx->log);
    if (ctx->log)
        ctx->log->depth++;
}

int
report_log_steps_begin(struct cmd_ctx *ctx)
{
    int saved = ctx->log ? ctx->log->depth : 0;
    if (ctx->log) {
        ctx->log->depth = 0; /* the next cmd_run is the outermost, */
        ctx->log->skip = 0;  /* and kept */
    }
    return saved;
}

void
report_log_steps_end(struct cmd_ctx *ctx, int saved)
{
    if (ctx->log) {
        ctx->log->depth = saved;
        ctx->log->skip = 1; /* the steps stand for the statement that ran them */
    }
}

void
report_log_skip(struct cmd_ctx *ctx)
{
    if (ctx->log)
        ctx->log->skip = 1;
}

void
report_log_leave(struct cmd_ctx *ctx, const char *stmt, int rc, const struct qerr *err,
                 struct cmd_result *res)
{
    struct report_log *lg = ctx->log;
    if (!lg || --lg->depth > 0)
        return;
    int skip = lg->skip;
    lg->skip = 0;
    if (skip || res->confirm)
        return;
    if (lg->n == lg->cap) {
        int cap = lg->cap ? lg->cap * 2 : 64;
        struct report_entry *e = realloc(lg->e, sizeof *e * (size_t)cap);
        if (!e)
            return;
        lg->e = e;
        lg->cap = cap;
    }
    struct report_entry *e = &lg->e[lg->n++];
    memset(e, 0, sizeof *e);
    e->stmt = xstrdup(stmt);
    e->ok = rc == 0;
    if (rc != 0 && err->msg) {
        struct buf b = BUF_INIT;
        buf_adds(&b, err->msg);
        if (err->hint)
            buf_addf(&b, "\n%s", err->hint);
        e->error = buf_detach(&b);
    }
    e->items = xcalloc((size_t)res->n_items + 1, sizeof *e->items);
    for (int i = 0; i < res->n_items; i++) {
        const struct out_item *it = &res->items[i];
        struct out_item *c = &e->items[e->n_items++];
        c->kind = it->kind;
        if (it->kind == OUT_TABLE)
            c->table = table_cut(it->table);
        else
            c->text = xstrdup(it->text ? it->text : "");
    }
    /* The figures move here: the front end draws the result from its items alone. */
    e->figures = xcalloc((size_t)res->n_figures + 1, sizeof *e->figures);
    for (int i = 0; i < res->n_figures; i++) {
        size_t len = strlen(res->figures[i]);
        if (lg->figure_bytes + len > REPORT_FIGURE_BYTES) {
            e->figures_dropped++;
            free(res->figures[i]);
        } else {
            lg->figure_bytes += len;
            e->figures[e->n_figures++] = res->figures[i];
        }
    }
    free(res->figures);
    res->figures = NULL;
    res->n_figures = 0;
}

void
report_log_free(struct report_log *log)
{
    if (!log)
        return;
    for (int i = 0; i < log->n; i++) {
        struct report_entry *e = &log->e[i];
        free(e->stmt);
        free(e->error);
        for (int k = 0; k < e->n_items; k++) {
            free(e->items[k].text);
            rtable_free(e->items[k].table);
        }
        free(e->items);
        for (int k = 0; k < e->n_figures; k++)
            free(e->figures[k]);
        free(e->figures);
    }
    free(log->e);
    free(log);
}
