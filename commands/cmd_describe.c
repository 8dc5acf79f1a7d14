/*
 * cmd_describe.c: `describe TABLE`, a summary of every column: type,
 * counts, min, quartiles, max, mean, standard deviation and a text
 * histogram for numeric columns; the most frequent values for the others.
 * The table is read as a frame and every statistic is summary_column's
 * (summary.h); this file only formats them.
 */
#include "cmd.h"
#include "kit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "data/frame.h"
#include "prep/summary.h"

#include "remote.h"
#include "base/banned.h"

static const struct arg_spec cmd_describe_args[] = {
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "The table to describe.", .comp = COMP_TABLES},
    {0},
};

enum {
    D_COLUMN, D_TYPE, D_COUNT, D_MISSING, D_DISTINCT, D_MIN, D_Q1, D_MEDIAN, D_Q3, D_MAX,
    D_MEAN, D_STD, D_HIST, D_TOP, D_N
};

/*
 * A statistic as a real with every digit (the shortest text that reads
 * back the same, as SQL's reals): the front end shows it by the table
 * format's rule, at most 15 significant digits and no exponent from 1e-4
 * to 1e15, as any SQL result; csv, tsv and json keep every digit.
 */
static void
set_real(struct rtable *t, long long r, int c, double v)
{
    if (isnan(v)) { /* undefined (+inf and -inf, an sd with an infinity): NULL, not "nan" */
        rtable_set(t, r, c, NULL, 0);
        return;
    }
    struct buf b = BUF_INIT;
    buf_add_real(&b, v);
    rtable_set(t, r, c, b.data, 1);
    buf_release(&b);
}

/*
 * A minimum or maximum as quarry shows a stored value: whole numbers of
 * INTEGER columns (and of untyped ones, written without a point) as
 * integers, other numbers as the shortest real that reads back the same.
 */
static void
set_extreme(struct rtable *t, long long r, int c, const struct frame *f, int j, double v,
            int level)
{
    int integer;
    if (level >= 0) {
        const char *s = f->levels[j][level];
        char *end;
        (void)strtoll(s, &end, 10);
        integer = *s && !*end;
    } else {
        integer = f->decl[j] == CATALOG_INTEGER && v == floor(v) && fabs(v) < 9.2e18;
    }
    if (integer)
        rtable_setf(t, r, c, 1, "%lld", (long long)v);
    else
        set_real(t, r, c, v);
}

/* The bins as block characters, in eighths of the fullest; a constant column is one bar. */
static void
set_histogram(struct rtable *t, long long r, const struct summary_col *s)
{
    static const char *const bars[] = {" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
    if (!((s->max - s->min) / SUMMARY_BINS > 0)) {
        rtable_set(t, r, D_HIST, "█", 0);
        return;
    }
    long long top = 0;
    for (int i = 0; i < SUMMARY_BINS; i++)
        top = s->hist[i] > top ? s->hist[i] : top;
    struct buf b = BUF_INIT;
    /* any non-empty bin shows at least ▁ */
    for (int i = 0; i < SUMMARY_BINS; i++)
        buf_adds(&b, bars[s->hist[i] == 0 ? 0 : 1 + (int)(s->hist[i] * 7 / top)]);
    rtable_set(t, r, D_HIST, b.data, 0);
    buf_release(&b);
}

/* The most frequent values with their counts, each cut to 20 bytes. */
static void
set_top(struct rtable *t, long long r, const struct frame *f, int j, const struct summary_col *s)
{
    struct buf b = BUF_INIT;
    for (int i = 0; i < s->n_top; i++) {
        const char *v = f->levels[j][s->top[i]];
        int len = (int)strlen(v);
        buf_addf(&b, "%s%.*s%s (%lld)", b.len ? ", " : "", len > 20 ? 19 : len, v,
                 len > 20 ? "…" : "", s->top_count[i]);
    }
    rtable_set(t, r, D_TOP, b.data, 0);
    buf_release(&b);
}

static void
describe_row(struct rtable *t, long long r, const struct frame *f, int j,
             const struct summary_col *s)
{
    for (int c = 0; c < D_N; c++)
        rtable_set(t, r, c, "", 0);
    rtable_set(t, r, D_COLUMN, f->names[j], 0);
    rtable_set(t, r, D_TYPE, catalog_kind_name(f->decl[j]), 0);
    rtable_setf(t, r, D_COUNT, 1, "%lld", s->n);
    rtable_setf(t, r, D_MISSING, 1, "%lld", s->n_missing);
    rtable_setf(t, r, D_DISTINCT, 1, "%lld", s->n_distinct);
    if (s->n_nonnum > 0)
        rtable_setf(t, r, D_TOP, 0, "%lld not numbers", s->n_nonnum);
    if (s->n == 0)
        return; /* the statistics stay blank */
    if (!s->numeric) {
        rtable_set(t, r, D_MIN, f->levels[j][s->min_level], 0);
        rtable_set(t, r, D_MAX, f->levels[j][s->max_level], 0);
        set_top(t, r, f, j, s);
        return;
    }
    set_extreme(t, r, D_MIN, f, j, s->min, s->min_level);
    set_extreme(t, r, D_MAX, f, j, s->max, s->max_level);
    const double q[] = {s->q1, s->median, s->q3};
    for (int i = 0; i < 3; i++)
        set_real(t, r, D_Q1 + i, q[i]);
    set_real(t, r, D_MEAN, s->mean);
    if (s->n > 1)
        set_real(t, r, D_STD, s->sd);
    set_histogram(t, r, s);
}

static int
cmd_describe_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                  struct qerr *err)
{
    const char *table = args_str(args, "TABLE");
    struct frame *f = NULL;
    if (remote_named(table) && !catalog_has_table(ctx->cat, table))
        return remote_describe(res, table, err); /* an attached database's table */
    if (kit_read(ctx, table, NULL, 0, 0, &f, err) < 0)
        return -1;
    long long rows = f->n_rows;
    int n = f->n_cols, rc = 0;
    result_text(res, "%s: %lld row%s, %d column%s", table, rows, rows == 1 ? "" : "s", n,
                n == 1 ? "" : "s");
    static const char *const cols[D_N] = {"column", "type", "count", "missing", "distinct",
                                          "min", "q1", "median", "q3", "max", "mean", "std",
                                          "histogram", "top"};
    struct rtable *t = result_table(res, D_N, cols);
    for (int j = 0; j < n && rc == 0; j++) {
        struct summary_col s;
        rc = summary_column(f, j, SUMMARY_ALL, kit_progress, ctx, &s, err);
        if (rc == 0)
            describe_row(t, rtable_add_row(t), f, j, &s);
    }
    frame_release(f);
    return rc;
}

const struct cmd_entry cmd_describe_entry = {
    .name = "describe",
    .alias = "desc",
    .family = "data",
    .synopsis = "describe TABLE",
    .help = "Summarise every column of a table: its type (integer, real, text, date or "
            "timestamp, as inferred when the data was loaded), the number of values present "
            "and missing (text in a numeric column is neither: top counts it as not numbers), "
            "the number of distinct values, the minimum and maximum; for numeric "
            "columns also the quartiles (linear interpolation, as numpy and pandas compute "
            "them), the mean, the sample standard deviation (n-1) and a histogram of eight "
            "equal-width bins from min to max; for other columns the three most frequent "
            "values with their counts. Statistics are reals, shown as SQL shows reals: at most "
            "15 significant digits in the table format, every digit with --format csv, tsv or "
            "json.",
    .example = "describe orders",
    .args = cmd_describe_args,
    .exec = cmd_describe_exec,
};
