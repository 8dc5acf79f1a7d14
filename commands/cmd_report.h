/*
 * cmd_report.h: the session's log for `report` (commands/cmd_report.c):
 * each statement the user ran, whether it worked, and what it showed
 * (text, result tables cut to REPORT_ROWS rows, and each figure as the
 * gnuplot script that draws it to a PNG), kept in ctx->log as cmd_run
 * returns (commands/cmd_report_log.c).
 */
#ifndef QUARRY_CMD_REPORT_H
#define QUARRY_CMD_REPORT_H

#include "cmd.h"

/* Rows of a result table a report keeps. */
#define REPORT_ROWS 20
/* Bytes of figure scripts the log keeps in all; later figures are left out (and said so). */
#define REPORT_FIGURE_BYTES (128u << 20)

/* One statement as the report shows it. */
struct report_entry {
    char *stmt;
    int ok;
    char *error;               /* the message and its hint, when it failed */
    struct out_item *items;    /* text, blocks and tables (each table cut to REPORT_ROWS) */
    int n_items;
    char **figures;            /* PNG scripts (result_figure), taken from the result */
    int n_figures;
    int figures_dropped;       /* figures not kept: the log's bytes were spent */
};

struct report_log {
    struct report_entry *e;
    int n, cap;
    int depth;                 /* cmd_run calls under way: only the outermost is kept */
    int skip;                  /* 1: leave the outermost statement under way out */
    size_t figure_bytes;
};

/*
 * Around each statement cmd_run runs: report_log_enter before it,
 * report_log_leave after, which keeps stmt, its outcome (rc, err) and
 * res's output in ctx->log (made on first use) when the statement is the
 * outermost, not left out (report_log_skip, report_log_steps_begin), and
 * not a question (res->confirm); res's
 * figures move into the log. Out of memory loses the entry, never the
 * statement's result.
 */
void report_log_enter(struct cmd_ctx *ctx);
void report_log_leave(struct cmd_ctx *ctx, const char *stmt, int rc, const struct qerr *err,
                      struct cmd_result *res);
/*
 * For a handler that runs statements of its own through cmd_run (demo's
 * steps): each cmd_run between report_log_steps_begin and
 * report_log_steps_end is logged as if typed (the outermost, with its
 * figures), and the handler's own statement is left out of the log (its
 * steps stand for it). begin returns what end restores.
 */
int report_log_steps_begin(struct cmd_ctx *ctx);
void report_log_steps_end(struct cmd_ctx *ctx, int saved);
/* Leave the statement under way out of the log (report itself). */
void report_log_skip(struct cmd_ctx *ctx);
/* Free the log (ctx_release). */
void report_log_free(struct report_log *log);

#endif
