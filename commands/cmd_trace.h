/*
 * cmd_trace.h: the parts of `trace` (commands/cmd_trace.c): the arithmetic
 * of one prediction of a model (cmd_trace_model.c), and the taught
 * algorithms worked step by step: k-means and DBSCAN
 * (cmd_trace_cluster.c), Apriori (cmd_trace_rules.c) and the gini of a
 * node's candidate splits (cmd_trace_split.c). Each has the handler's
 * signature; cmd_trace.c's handler picks one by the first word.
 */
#ifndef QUARRY_CMD_TRACE_H
#define QUARRY_CMD_TRACE_H

#include "cmd.h"

int cmd_trace_model(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                    struct qerr *err);
int cmd_trace_kmeans(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                     struct qerr *err);
int cmd_trace_dbscan(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                     struct qerr *err);
int cmd_trace_apriori(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                      struct qerr *err);
int cmd_trace_split(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                    struct qerr *err);

struct model;
struct buf;
/*
 * trace MODEL of an lstm model: one step's gates (step=, layer=) into the
 * table TABLE_lstm_trace (or as NAME), their equations appended to b.
 */
int cmd_trace_lstm(struct cmd_ctx *ctx, const struct cmd_args *args, const struct model *m,
                   const double *x, struct buf *b, struct qerr *err);

/* The trace's main table: as NAME, else TABLE_suffix ("_kmeans_trace"); free() it. */
char *cmd_trace_table(const struct cmd_args *args, const char *suffix);

#endif
