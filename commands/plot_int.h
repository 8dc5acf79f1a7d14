/*
 * plot_int.h: what commands/cmd_plot.c and commands/cmd_plot_read.c share: the
 * columns the plot command reads from a table, and the distinct values
 * (categories) of a column.
 */
#ifndef QUARRY_PLOT_INT_H
#define QUARRY_PLOT_INT_H

#include "cmd.h"
#include "data/frame.h"
#include "plot/plot.h"

#define MAX_CATS 200   /* distinct values on a categorical axis */
#define MAX_GROUPS 20  /* series told apart by colour */

/* One column as the plot command sees it. */
struct pcol {
    char *name;   /* as spelled in the table */
    long long n;
    double *v;    /* numbers; dates as seconds since 1970 UTC; NaN if missing or text */
    const char **text;  /* text columns: each value (NULL for NULL), borrowed from the frame */
    int is_text;  /* declared text, date or timestamp */
    int is_time;  /* text that reads as dates */
    struct frame *frame; /* the frame the text points into (held by the first column) */
};

/*
 * Read the named columns of every row of table (rowid order, through
 * frame_read) into out[n] and set *n_rows. Names match case-insensitively.
 * Free with pcols_free.
 */
int pcols_read(struct cmd_ctx *ctx, const char *table, const char *const *names, int n,
               struct pcol *out, long long *n_rows, struct qerr *err);
void pcols_free(struct pcol *c, int n);
/* Keep only rows idx[0..k) (ascending) of each column. */
void pcols_keep(struct pcol *c, int n, const long long *idx, long long k);
/* Seconds since 1970 UTC of 'YYYY-MM-DD[( |T)hh:mm[:ss]]', or NaN. */
double pcol_parse_time(const char *s);

/* The distinct values of a column, sorted (numbers by value, text by bytes). */
struct pcats {
    int n;
    char **names; /* as shown: the text, or the number with %.10g */
    double *num;  /* numeric columns: the values */
};

/*
 * The distinct non-missing values of c into out; with codes (c->n slots),
 * each row's index into them (-1 when missing). More than max distinct
 * values is an error (QE_ARG) that names the column; a cancel (the sort
 * and the passes over the rows report to kit_progress) is QE_INTERRUPT.
 */
int pcats_make(struct cmd_ctx *ctx, const struct pcol *c, int max, struct pcats *out, int *codes,
               struct qerr *err);
void pcats_free(struct pcats *c);

struct plot_series;

/* Everything one plot statement builds; released by plot_job_release. */
struct job {
    struct cmd_ctx *ctx;
    const struct cmd_args *args;
    const char *table;
    enum plot_kind kind;
    struct plot_spec spec;
    struct pcol cols[8];
    int n_cols;
    long long n_rows, n_total; /* rows plotted, rows in the table */
    long long n_undated;       /* rows left out for a date x that is missing or unreadable */
    /* Owned arrays the spec points into. */
    struct plot_series *series;
    void **owned;
    int n_owned, cap_owned;
    struct pcats cats[3];
    struct buf title;
    int sized_points;
    /* plot forecast: the group and band columns pj_build_line takes instead of by=, band= */
    const char *by_col, *band_lo, *band_hi;
};

/*
 * Helpers of commands/cmd_plot.c shared with commands/cmd_plot_kinds.c (pj_: the
 * plot job). Arrays from pj_own, pj_gather and the series belong to the
 * job and go with it.
 */
void *pj_own(struct job *j, void *p);
/* Read the named columns into j->cols (cols[k] for names[k]). */
int pj_read_cols(struct job *j, const char *const *names, int n, struct qerr *err);
/* sample=N: keep a seeded random N rows, in table order; the seed goes into the history. */
void pj_sample(struct job *j, struct cmd_result *res);
/* The title: title= if given, else the default; plus "(sample of N of M rows)". */
void pj_make_title(struct job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
struct plot_series *pj_add_series(struct job *j);
/* An x column as an axis: numbers, dates, or text as categories 0..n-1 (j->cats[0]). */
int pj_x_axis(struct job *j, struct pcol *c, double **xs, struct qerr *err);
/* One group per distinct value of g (at most 20) into j->cats[slot]; codes per row. */
int pj_groups_of(struct job *j, struct pcol *g, int slot, int **codes, struct qerr *err);
/* The values of src in rows whose code is c (all rows when codes is NULL); *m gets the count. */
double *pj_gather(struct job *j, const double *src, const int *codes, int c, long long n,
                  long long *m);
/* The k-th column of y=, or NULL. */
const char *pj_ycol_name(const struct job *j, int k);
/* QE_ARG "plot KIND needs KEY=COLUMN" unless KEY was given. */
int pj_need(const struct job *j, const char *key, struct qerr *err);
/* Lines through x and the ny columns ys (line, loss, elbow). */
int pj_build_line(struct job *j, struct cmd_result *res, const char *x, const char *const *ys,
                  int ny, struct qerr *err);

/* The kinds in commands/cmd_plot_kinds.c. */
int pj_build_hist(struct job *j, struct cmd_result *res, struct qerr *err);
int pj_build_matrix(struct job *j, struct cmd_result *res, struct qerr *err);
int pj_build_bar(struct job *j, struct cmd_result *res, struct qerr *err);
int pj_build_corr(struct job *j, struct cmd_result *res, struct qerr *err);
int pj_build_dendrogram(struct job *j, struct cmd_result *res, struct qerr *err);
int pj_build_series_defaults(struct job *j, struct cmd_result *res, struct qerr *err);
/* roc, in commands/cmd_plot_roc.c. */
int pj_build_roc(struct job *j, struct cmd_result *res, struct qerr *err);
int pj_build_forecast(struct job *j, struct cmd_result *res, struct qerr *err);
/* tree, in commands/cmd_plot_tree.c: j->table names the model. */
int pj_build_tree(struct job *j, struct cmd_result *res, struct qerr *err);
/*
 * plot trace, in commands/cmd_plot_trace.c: the frames of the k-means trace
 * j->table, each drawn on o (inline, or to FILE_0.png, FILE_1.png, ...).
 */
int pj_run_trace(struct job *j, const struct plot_out *o, const struct plot_run *run,
                 struct cmd_result *res, struct qerr *err);
/*
 * Keep the figure spec as a self-contained gnuplot script that draws it
 * to a PNG (res->figures, for report), at o's size for a file, else
 * 800x600. A figure of over a million points, or whose script would pass
 * 32 MiB, is not kept.
 */
void pj_keep_figure(struct cmd_result *res, const struct plot_spec *spec,
                    const struct plot_out *o);

#endif
