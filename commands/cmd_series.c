/*
 * cmd_series.c: `series TABLE date=COL value=COL [by=COL] [period=month]
 * [agg=sum] [fill=zero] as NAME`: a complete regular time series per
 * group (src/prep/series.h), written as a new table.
 */
#include "kit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/datetime.h"
#include "base/tick.h"
#include "data/frame.h"
#include "prep/groups.h"
#include "prep/series.h"
#include "remote.h"

#include "base/banned.h"

/* Rows a series may have: 50 million cells is 1.2 GB of arrays and text. */
#define MAX_CELLS 50000000LL

static const char *const period_names[] = {
    [SERIES_DAY] = "day", [SERIES_WEEK] = "week", [SERIES_MONTH] = "month",
    [SERIES_QUARTER] = "quarter", [SERIES_YEAR] = "year"};
static const char *const agg_names[] = {
    [SERIES_SUM] = "sum", [SERIES_MEAN] = "mean", [SERIES_COUNT] = "count"};
enum fill_mode { FILL_ZERO, FILL_NULL };
static const char *const fill_names[] = {[FILL_ZERO] = "zero", [FILL_NULL] = "null"};

static const struct arg_spec cmd_series_args[] = {
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "The table of timestamped rows.", .comp = COMP_TABLES},
    {.name = "date", .type = ARG_COLUMN, .required = 1,
     .help = "The date or timestamp column (ISO 8601 text); unparseable dates are skipped "
             "and counted (clean dates=COL converts other formats first).",
     .comp = COMP_COLUMNS},
    {.name = "value", .type = ARG_COLUMN, .required = 1,
     .help = "The column to aggregate: numbers for sum and mean, any column for count.",
     .comp = COMP_COLUMNS},
    {.name = "by", .type = ARG_COLUMN,
     .help = "One series per value of this column (rows where it is NULL are skipped).",
     .comp = COMP_COLUMNS},
    {.name = "period", .type = ARG_ENUM, .def = "month", .choices = "day|week|month|quarter|year",
     ARG_NAMES(period_names),
     .help = "The length of a period; weeks start on Monday (ISO 8601).", .comp = COMP_CHOICES},
    {.name = "agg", .type = ARG_ENUM, .def = "sum", .choices = "sum|mean|count", ARG_NAMES(agg_names),
     .help = "How the values of a period combine; count counts non-NULL values.",
     .comp = COMP_CHOICES},
    {.name = "fill", .type = ARG_ENUM, .def = "zero", .choices = "zero|null", ARG_NAMES(fill_names),
     .help = "What a period without any value holds.", .comp = COMP_CHOICES},
    KIT_REPLACE_ARG,
    {0},
};

/* What a statement builds: the input the engine takes and the arrays behind it. */
struct job {
    struct kit_dated dd;
    struct groups g;
    struct series_in in;
    struct series_out o;
    double *ones;      /* agg=count of a text column: 1 per value present */
    long long n_text;  /* text values in a numeric value column */
};

static void
job_release(struct job *j)
{
    series_out_release(&j->o);
    groups_release(&j->g);
    kit_dated_release(&j->dd);
    free(j->ones);
}

/* Read the dates, values and groups into j->in. */
static int
read_input(struct cmd_ctx *ctx, const struct cmd_args *args, struct job *j, struct qerr *err)
{
    const char *table = args_str(args, "TABLE"), *by = args_str(args, "by");
    const char *cols[2] = {args_str(args, "value"), by};
    if (kit_read_dated(ctx, args, table, cols, by ? 2 : 1, "date", &j->dd, err) < 0)
        return -1;
    const struct frame *f = j->dd.f;
    if (f->n_rows == 0)
        return qerr_set(err, QE_DATA, "table '%s' has no rows; series needs dated rows", table);
    const double *num = NULL;
    if (kit_dated_numbers(ctx, table, &j->dd, 0, &num, &j->n_text, err) < 0)
        return -1;
    if (!num && j->in.agg != SERIES_COUNT) {
        qerr_set(err, QE_ARG, "column '%s' holds text, not numbers; agg=%s needs numbers (use "
                 "agg=count to count its values)", f->names[0], agg_names[j->in.agg]);
        return kit_fail_at(args, "value", err);
    }
    if (!num) {
        j->ones = xmalloc(((size_t)f->n_rows + 1) * sizeof(*j->ones));
        for (long long r = 0; r < f->n_rows; r++)
            j->ones[r] = f->code[0][r] >= 0 ? 1 : NAN;
    }
    j->in.n_rows = f->n_rows;
    j->in.t = j->dd.t;
    j->in.value = num ? num : j->ones;
    j->in.n_groups = 1;
    j->in.progress = kit_progress;
    j->in.pctx = ctx;
    if (by) {
        if (groups_init(&j->g, f, 1, kit_progress, ctx, err) < 0)
            return -1;
        j->in.group = j->g.id;
        j->in.n_groups = j->g.n_groups;
    }
    return 0;
}

/* The table: the group column (by=), period (its first day) and the value column. */
static int
write_series(struct cmd_ctx *ctx, const struct cmd_args *args, struct job *j,
             struct qerr *err)
{
    const struct frame *f = j->dd.f;
    const struct series_out *o = &j->o;
    /* the period names: one block of 11-byte strings */
    char *text = xmalloc((size_t)o->n * 11 + 1);
    const char **ptext = xmalloc(((size_t)o->n + 1) * sizeof(*ptext));
    void *keys = NULL;
    int rc = 0;
    struct tick tk; /* a cell's date costs a format: millions of cells, a while */
    tick_init(&tk, kit_progress, ctx);
    for (long long i = 0; i < o->n && rc == 0; i++) {
        if (tick_row(&tk, i, o->n))
            rc = tick_fail(err);
        char day[16];
        datetime_format((long long)o->start[i], day, sizeof day);
        memcpy(text + i * 11, day, 11);
        ptext[i] = text + i * 11;
    }
    struct frame_out outs[3];
    int n_outs = 0;
    if (rc == 0 && j->in.group)
        rc = groups_out(&j->g, o->group, o->n, f->names[1], f->decl[1], &outs[n_outs++], &keys,
                        err);
    outs[n_outs++] = (struct frame_out){.name = "period", .decl = CATALOG_DATE, .text = ptext};
    outs[n_outs++] = (struct frame_out){
        .name = f->names[0], .num = o->value,
        .decl = j->in.agg == SERIES_COUNT ? CATALOG_INTEGER : CATALOG_REAL};
    if (rc == 0)
        rc = kit_side_table(ctx, args, args->as, outs, n_outs, o->n, err);
    free(text);
    free(ptext);
    free(keys);
    return rc;
}

static void
report_series(struct cmd_result *res, const char *name, const struct job *j)
{
    const struct frame *f = j->dd.f;
    const struct series_out *o = &j->o;
    char first[16], last[16];
    datetime_format((long long)o->start[0], first, sizeof first);
    datetime_format((long long)o->start[o->n_periods - 1], last, sizeof last);
    struct buf grp = BUF_INIT;
    if (j->in.group)
        buf_addf(&grp, " x %d group%s of '%s'", j->g.n_groups, kit_plural(j->g.n_groups),
                 f->names[1]);
    result_text(res, "series: %lld %s%s from %s to %s%s = %lld row%s into '%s' (%s of '%s')",
                o->n_periods, period_names[j->in.period], kit_plural(o->n_periods), first, last,
                grp.data, o->n, kit_plural(o->n), name, agg_names[j->in.agg], f->names[0]);
    buf_release(&grp);
    result_text(res, "%lld row%s used; %lld period%s without a value %s", o->n_used,
                kit_plural(o->n_used), o->n_empty, kit_plural(o->n_empty),
                j->in.fill_null ? "left NULL" : "hold 0");
    struct kit_skips sk = {0};
    kit_skip(&sk, o->n_no_group, "without a '%s'", j->in.group ? f->names[1] : "");
    if (kit_skip(&sk, o->n_bad_date, "with no parseable date in '%s'", j->dd.date_name) &&
        j->dd.bad_example)
        buf_addf(&sk.text, " (e.g. '%s')", j->dd.bad_example);
    if (kit_skip(&sk, o->n_no_value, "without a value") && j->ones == NULL && j->n_text)
        buf_addf(&sk.text, " (%lld of them text)", j->n_text);
    kit_skips_report(res, &sk);
}

static int
cmd_series_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                struct qerr *err)
{
    struct job j = {
        .in = {.period = (enum series_period)args_choice(args, "period"),
               .agg = (enum series_agg)args_choice(args, "agg"),
               .fill_null = args_choice(args, "fill") == FILL_NULL,
               .max_cells = MAX_CELLS},
    };
    int rc = -1;
    const char *out_name[1] = {args->as};
    if (remote_named(args_str(args, "TABLE")) && !catalog_has_table(ctx->cat, args_str(args, "TABLE")))
        return remote_series(ctx, args, res, err); /* pushed down to PostgreSQL (remote.h) */
    if (kit_claim(ctx, args, NULL, NULL, 0, NULL, out_name, 1, err) < 0)
        goto out;
    if (read_input(ctx, args, &j, err) < 0)
        goto out;
    if (series_build(&j.in, &j.o, err) < 0) {
        kit_dated_hint(&j.dd, err);
        goto out;
    }
    if (write_series(ctx, args, &j, err) < 0)
        goto out;
    report_series(res, args->as, &j);
    rc = 0;
out:
    job_release(&j);
    return rc;
}

const struct cmd_entry cmd_series_entry = {
    .name = "series",
    .family = "preprocessing",
    .synopsis = "series TABLE date=COL value=COL [by=COL] [period=month] [agg=sum] [fill=zero] "
                "[replace=yes] as NAME",
    .help = "A complete regular time series: the values of value= aggregated (sum, mean or "
            "count of non-NULL values) per period of date= and, with by=, per group. Every "
            "group gets every period from the first period in the table to the last, so the "
            "groups line up; a period without any value holds 0 (fill=zero) or NULL "
            "(fill=null), whatever agg is. The result has the by column (if any) under its "
            "own name, period (the period's first day, YYYY-MM-DD: weeks start on Monday as "
            "in ISO 8601, quarters in January, April, July and October) and the value column "
            "under its own name, sorted by group, then period. Rows without a parseable date "
            "(ISO 8601: YYYY-MM-DD with an optional Thh:mm[:ss]), a value or a group are "
            "skipped and counted. A table NAME that exists already is refused unless "
            "replace=yes.",
    .example = "series orders date=ts value=amount period=month as monthly",
    .args = cmd_series_args,
    .flags = CMD_WRITES | CMD_AS | CMD_AS_REQUIRED,
    .exec = cmd_series_exec,
};
