/*
 * cluster_cmd.h: helpers the clustering family's command files share
 * (cmd_cluster.c: cluster; cmd_elbow.c: elbow; cmd_cluster_report.c:
 * profile, score).
 */
#ifndef QUARRY_CLUSTER_CMD_H
#define QUARRY_CLUSTER_CMD_H

#include "cmd.h"
#include "data/frame.h"

/* The rows to cluster: the frame's block, or a compact copy of its complete rows. */
struct clcmd_data {
    struct frame *f;
    const double *x;  /* n x d, column-major, leading dimension ld */
    long long n, ld;
    int d;
    double *own;      /* the copy, when some rows had a missing value */
    long long *rows;  /* frame row of each row of the copy, or NULL (all rows) */
};

/* Read cols of table (as numbers) and keep the complete rows. */
int clcmd_data_read(struct cmd_ctx *ctx, const char *table, char **cols, int n_cols,
                    struct clcmd_data *cd, struct qerr *err);
void clcmd_data_release(struct clcmd_data *cd);
/* The engine's progress callback: the front end's, plus Ctrl-C. pctx is the ctx. */
int clcmd_progress(void *ctx, double fraction);
/* v rounded to 6 significant digits (summary tables). */
double clcmd_sig(double v);
/* Drop table name if it exists, then create it from columns (frame_write_new). */
int clcmd_replace_table(struct cmd_ctx *ctx, const char *name, const struct frame_out *o, int no,
                        long long n, struct qerr *err);
/*
 * The seed= given, or a drawn one, recorded in the history (res) so a
 * replay is exact.
 */
long long clcmd_pick_seed(struct cmd_ctx *ctx, const struct cmd_args *args,
                          struct cmd_result *res);
/* Index of the knee of a decreasing curve (see elbow). */
int clcmd_knee(const double *xs, const double *ys, int n);

#endif
