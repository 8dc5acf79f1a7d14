/*
 * series.c: `series TABLE date=COL value=COL [by=COL] [period=month]
 * [agg=sum] [fill=zero] as NAME`: a complete regular time series per
 * group (src/series.h), written as a new table.
 */
#include "kit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/datetime.h"
#include "data/frame.h"
#include "prep/groups.h"
#include "prep/series.h"

#include "base/banned.h"

/* Rows a series may have: 50 million cells is 1.2 GB of arrays and text. */
#define SERIES_MAX_CELLS 50000000LL

static const struct arg_spec series_args[] = {
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
     .help = "The length of a period; weeks start on Monday (ISO 8601).", .comp = COMP_CHOICES},
    {.name = "agg", .type = ARG_ENUM, .def = "sum", .choices = "sum|mean|count",
     .help = "How the values of a period combine; count counts non-NULL values.",
     .comp = COMP_CHOICES},
    {.name = "fill", .type = ARG_ENUM, .def = "zero", .choices = "zero|null",
     .help = "What a period without any value holds.", .comp = COMP_CHOICES},
    {0},
};

static int
choice(const char *v, const char *const *names)
{
    for (int i = 0; names[i]; i++)
        if (strcasecmp(v, names[i]) == 0)
            return i;
    return 0;
}

static int
cmd_series_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                struct qerr *err)
{
    static const char *const periods[] = {"day", "week", "month", "quarter", "year", NULL};
    static const char *const aggs[] = {"sum", "mean", "count", NULL};
    const char *table = args_str(args, "TABLE");
    const char *by = args_str(args, "by");
    const char *cols[2] = {args_str(args, "value"), by};
    const char *name = args->as;
    struct frame *f = NULL;
    struct kit_dated dd = {0};
    struct groups g = {0};
    struct series_out o = {0};
    double *val = NULL;
    void *keys = NULL;
    char *text = NULL;
    const char **ptext = NULL;
    int rc = -1;

    if (kit_read_dated(ctx, args, table, cols, by ? 2 : 1, "date", &dd, err) < 0) {
        kit_dated_release(&dd);
        return -1;
    }
    f = dd.f;
    struct series_in in = {
        .n_rows = f->n_rows,
        .n_groups = 1,
        .period = (enum series_period)choice(args_str(args, "period"), periods),
        .agg = (enum series_agg)choice(args_str(args, "agg"), aggs),
        .fill_null = strcasecmp(args_str(args, "fill"), "null") == 0,
        .max_cells = SERIES_MAX_CELLS,
    };
    if (f->n_rows == 0) {
        qerr_set(err, QE_DATA, "table '%s' has no rows; series needs dated rows", table);
        goto out;
    }
    const double *num = NULL;
    long long n_text = 0;
    if (kit_dated_numbers(ctx, table, &dd, 0, &num, &n_text, err) < 0)
        goto out;
    if (!num && in.agg != SERIES_COUNT) {
        qerr_set(err, QE_ARG, "column '%s' holds text, not numbers; agg=%s needs numbers (use "
                 "agg=count to count its values)", f->names[0], aggs[in.agg]);
        err->pos = args_get(args, "value")->pos;
        goto out;
    }
    in.t = dd.t;
    if (num) {
        in.value = num;
    } else {
        val = xmalloc(((size_t)f->n_rows + 1) * sizeof(*val));
        for (long long r = 0; r < f->n_rows; r++)
            val[r] = f->code[0][r] >= 0 ? 1 : NAN;
        in.value = val;
    }
    if (by) {
        if (groups_init(&g, f, 1, err) < 0)
            goto out;
        in.group = g.id;
        in.n_groups = g.n_groups;
    }
    if (series_build(&in, &o, err) < 0) {
        kit_dated_hint(&dd, err);
        goto out;
    }
    /* the period names: one block of 11-byte strings */
    text = xmalloc((size_t)o.n * 11 + 1);
    ptext = xmalloc(((size_t)o.n + 1) * sizeof(*ptext));
    for (long long i = 0; i < o.n; i++) {
        char day[16];
        datetime_format((long long)o.start[i], day, sizeof day);
        memcpy(text + i * 11, day, 11);
        ptext[i] = text + i * 11;
    }
    struct frame_out outs[3];
    int n_outs = 0;
    if (by)
        groups_out(&g, o.group, o.n, f->names[1], f->decl[1], &outs[n_outs++], &keys);
    outs[n_outs++] = (struct frame_out){.name = "period", .decl = CATALOG_DATE, .text = ptext};
    outs[n_outs++] = (struct frame_out){
        .name = f->names[0],
        .decl = in.agg == SERIES_COUNT ? CATALOG_INTEGER : CATALOG_REAL,
        .num = o.value};
    for (int i = 0; i + 1 < n_outs; i++)
        for (int j = i + 1; j < n_outs; j++)
            if (strcasecmp(outs[i].name, outs[j].name) == 0) {
                qerr_set(err, QE_ARG, "the result would have two columns named '%s'; "
                         "rename one first", outs[i].name);
                goto out;
            }
    if (frame_write_new(ctx->cat, name, outs, n_outs, o.n, err) < 0)
        goto out;
    char first[16], last[16];
    datetime_format((long long)o.start[0], first, sizeof first);
    datetime_format((long long)o.start[o.n_periods - 1], last, sizeof last);
    struct buf grp = BUF_INIT;
    if (by)
        buf_addf(&grp, " x %d group%s of '%s'", g.n_groups, kit_plural(g.n_groups), f->names[1]);
    result_text(res, "series: %lld %s%s from %s to %s%s = %lld row%s into '%s' (%s of '%s')",
                o.n_periods, periods[in.period], kit_plural(o.n_periods), first, last, grp.data,
                o.n, kit_plural(o.n), name, aggs[in.agg], f->names[0]);
    buf_release(&grp);
    result_text(res, "%lld row%s used; %lld period%s without a value %s", o.n_used,
                kit_plural(o.n_used), o.n_empty, kit_plural(o.n_empty),
                in.fill_null ? "left NULL" : "hold 0");
    if (o.n_no_group || o.n_bad_date || o.n_no_value) {
        struct buf b = BUF_INIT;
        if (o.n_no_group)
            buf_addf(&b, ", %lld without a '%s'", o.n_no_group, f->names[1]);
        if (o.n_bad_date) {
            buf_addf(&b, ", %lld with no parseable date in '%s'", o.n_bad_date, dd.date_name);
            if (dd.bad_example)
                buf_addf(&b, " (e.g. '%s')", dd.bad_example);
        }
        if (o.n_no_value) {
            buf_addf(&b, ", %lld without a value", o.n_no_value);
            if (n_text)
                buf_addf(&b, " (%lld of them text)", n_text);
        }
        long long sk = o.n_no_group + o.n_bad_date + o.n_no_value;
        result_text(res, "skipped %lld row%s: %s", sk, kit_plural(sk), b.data + 2);
        buf_release(&b);
    }
    rc = 0;
out:
    free(text);
    free(ptext);
    free(keys);
    free(val);

    series_out_release(&o);
    groups_release(&g);
    kit_dated_release(&dd);
    return rc;
}

const struct cmd_entry cmd_series_entry = {
    .name = "series",
    .family = "preprocessing",
    .synopsis = "series TABLE date=COL value=COL [by=COL] [period=month] [agg=sum] [fill=zero] "
                "as NAME",
    .help = "A complete regular time series: the values of value= aggregated (sum, mean or "
            "count of non-NULL values) per period of date= and, with by=, per group. Every "
            "group gets every period from the first period in the table to the last, so the "
            "groups line up; a period without any value holds 0 (fill=zero) or NULL "
            "(fill=null), whatever agg is. The result has the by column (if any) under its "
            "own name, period (the period's first day, YYYY-MM-DD: weeks start on Monday as "
            "in ISO 8601, quarters in January, April, July and October) and the value column "
            "under its own name, sorted by group, then period. Rows without a parseable date "
            "(ISO 8601: YYYY-MM-DD with an optional Thh:mm[:ss]), a value or a group are "
            "skipped and counted.",
    .example = "series orders date=ts value=amount period=month as monthly",
    .args = series_args,
    .flags = CMD_WRITES | CMD_AS | CMD_AS_REQUIRED,
    .exec = cmd_series_exec,
};
