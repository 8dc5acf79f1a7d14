/*
 * rfm.c: `rfm ORDERS customer=COL date=COL amount=COL [asof=DATE]
 * [scores=5] as NAME`: recency, frequency, monetary value, their
 * quantile scores and a segment name per customer (src/rfm.h), written
 * as a new table through the frame module.
 */
#include "kit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/datetime.h"
#include "data/frame.h"
#include "prep/groups.h"
#include "prep/rfm.h"

#include "base/banned.h"

static const struct arg_spec rfm_args[] = {
    {.name = "ORDERS", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "The order log: one row per order.", .comp = COMP_TABLES},
    {.name = "customer", .type = ARG_COLUMN, .required = 1,
     .help = "The column naming the customer of each order.", .comp = COMP_COLUMNS},
    {.name = "date", .type = ARG_COLUMN, .required = 1,
     .help = "The order date or timestamp (ISO 8601 text); unparseable dates are skipped "
             "and counted (clean dates=COL converts other formats first).",
     .comp = COMP_COLUMNS},
    {.name = "amount", .type = ARG_COLUMN, .required = 1,
     .help = "The order value, a numeric column; orders without one are skipped and counted.",
     .comp = COMP_COLUMNS},
    {.name = "asof", .type = ARG_TEXT,
     .help = "The reference date recency counts from (YYYY-MM-DD); orders after it are "
             "ignored. Default: the day after the last order."},
    {.name = "scores", .type = ARG_INT, .def = "5", .min = 2, .max = 10,
     .help = "The number of score levels (5 = quintiles)."},
    {0},
};

/* The summary of skipped rows, or nothing when every row counted. */
static void
report_skipped(struct cmd_result *res, const struct rfm_out *o, const char *date_col,
               const char *bad, long long n_nonnum)
{
    struct buf b = BUF_INIT;
    if (o->n_no_customer)
        buf_addf(&b, ", %lld without a customer", o->n_no_customer);
    if (o->n_bad_date) {
        buf_addf(&b, ", %lld with no parseable date in '%s'", o->n_bad_date, date_col);
        if (bad)
            buf_addf(&b, " (e.g. '%s')", bad);
    }
    if (o->n_no_amount) {
        buf_addf(&b, ", %lld without an amount", o->n_no_amount);
        if (n_nonnum)
            buf_addf(&b, " (%lld of them text)", n_nonnum);
    }
    if (o->n_after_asof)
        buf_addf(&b, ", %lld after the as-of date", o->n_after_asof);
    if (b.len)
        result_text(res, "skipped %lld row%s: %s",
                    o->n_no_customer + o->n_bad_date + o->n_no_amount + o->n_after_asof,
                    kit_plural(o->n_no_customer + o->n_bad_date + o->n_no_amount + o->n_after_asof),
                    b.data + 2);
    if (o->n_cust_dropped)
        result_text(res, "%d customer%s had no order left after skipping and %s left out",
                    o->n_cust_dropped, kit_plural(o->n_cust_dropped),
                    o->n_cust_dropped == 1 ? "is" : "are");
    buf_release(&b);
}

static int
cmd_rfm_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
             struct qerr *err)
{
    const char *table = args_str(args, "ORDERS");
    const char *cols[2] = {args_str(args, "customer"), args_str(args, "amount")};
    const char *name = args->as;
    struct frame *f = NULL;
    struct kit_dated dd = {0};
    struct groups g = {0};
    struct rfm_out o = {0};
    void *keys = NULL;
    int rc = -1;

    if (kit_read_dated(ctx, args, table, cols, 2, "date", &dd, err) < 0)
        goto out;
    f = dd.f;
    if (f->n_rows == 0) {
        qerr_set(err, QE_DATA, "table '%s' has no rows; rfm needs an order log", table);
        goto out;
    }
    const double *amount = NULL;
    long long n_text = 0;
    if (kit_dated_numbers(ctx, table, &dd, 1, &amount, &n_text, err) < 0)
        goto out;
    if (!amount) {
        qerr_set(err, QE_ARG, "column '%s' holds text, not numbers; amount= needs the order value",
                 f->names[1]);
        err->pos = args_get(args, "amount")->pos;
        goto out;
    }
    struct rfm_in in = {.n_rows = f->n_rows, .t = dd.t, .amount = amount,
                        .scores = (int)args_int(args, "scores")};
    const char *asof = args_str(args, "asof");
    if (asof) {
        double at;
        if (datetime_parse(asof, &at) < 0) {
            qerr_set(err, QE_ARG, "asof must be a date such as 2025-01-01, not '%s'", asof);
            err->pos = args_get(args, "asof")->pos;
            goto out;
        }
        in.has_asof = 1;
        in.asof_day = datetime_day_of(at);
    }
    if (groups_init(&g, f, 0, err) < 0)
        goto out;
    in.cust = g.id;
    in.n_cust = g.n_groups;
    if (rfm_compute(&in, &o, err) < 0) {
        kit_dated_hint(&dd, err);
        goto out;
    }
    struct frame_out outs[8] = {
        {0},
        {.name = "recency", .decl = CATALOG_INTEGER, .num = o.recency},
        {.name = "frequency", .decl = CATALOG_INTEGER, .num = o.frequency},
        {.name = "monetary", .decl = CATALOG_REAL, .num = o.monetary},
        {.name = "r_score", .decl = CATALOG_INTEGER, .num = o.r_score},
        {.name = "f_score", .decl = CATALOG_INTEGER, .num = o.f_score},
        {.name = "m_score", .decl = CATALOG_INTEGER, .num = o.m_score},
        {.name = "segment", .decl = CATALOG_TEXT, .text = o.segment},
    };
    groups_out(&g, o.cust, o.n, f->names[0], f->decl[0], &outs[0], &keys);
    for (int i = 1; i < 8; i++)
        if (strcasecmp(outs[i].name, f->names[0]) == 0) {
            qerr_set(err, QE_ARG, "the customer column may not be called '%s': rfm writes a "
                     "column of that name; rename it first", f->names[0]);
            goto out;
        }
    if (frame_write_new(ctx->cat, name, outs, 8, o.n, err) < 0)
        goto out;
    char day[16];
    datetime_format(o.asof_day, day, sizeof day);
    result_text(res, "rfm: %d customer%s from %lld order%s into '%s', recency in days as of %s%s",
                o.n, kit_plural(o.n), o.n_orders, kit_plural(o.n_orders), name, day,
                asof ? "" : " (the day after the last order; set asof=DATE to change it)");
    report_skipped(res, &o, dd.date_name, dd.bad_example, n_text);
    char *sql = sqlite3_mprintf(
        "SELECT segment, count(*) AS customers, format('%%.1f', avg(recency)) AS recency, "
        "format('%%.2f', avg(frequency)) AS frequency, format('%%.2f', avg(monetary)) AS "
        "monetary FROM \"%w\" GROUP BY segment ORDER BY avg(r_score) + avg(f_score) DESC, "
        "segment",
        name);
    rc = cmd_sql_table(ctx, res, sql, NULL, 0, err);
    sqlite3_free(sql);
out:
    free(keys);

    rfm_out_release(&o);
    groups_release(&g);
    kit_dated_release(&dd);
    return rc;
}

const struct cmd_entry cmd_rfm_entry = {
    .name = "rfm",
    .family = "preprocessing",
    .synopsis = "rfm ORDERS customer=COL date=COL amount=COL [asof=DATE] [scores=5] as NAME",
    .help = "Recency, frequency and monetary value per customer from an order log, written "
            "to a new table with the customer column under its own name, recency (whole days "
            "from the customer's last order to the as-of date), frequency (orders), monetary "
            "(sum of amount), r_score, f_score, m_score and segment. Rows without a customer, "
            "with an unparseable date (anything but ISO 8601: YYYY-MM-DD with an optional "
            "Thh:mm[:ss]), without an amount, or after asof are skipped and counted. Scores "
            "run 1..scores by quantile of rank: values are ranked ascending with ties in "
            "customer order (pandas rank(method='first')), then cut into equal bins of rank "
            "(pandas qcut); recency is reversed so recent customers score high; a lone "
            "customer gets the middle score. Segments come from the R and F scores (on a 1..5 "
            "scale, ceil(5 s / scores)): champions R5 F4-5; loyal customers R3-4 F4-5; "
            "potential loyalists R4-5 F2-3; new customers R5 F1; promising R4 F1; need "
            "attention R3 F3; about to sleep R3 F1-2; at risk R1-2 F3-4; can't lose them R1-2 "
            "F5; hibernating R2 F1-2; lost R1 F1-2. Prints the skipped rows and the mean "
            "recency, frequency and monetary value per segment.",
    .example = "rfm orders customer=customer_id date=ts amount=amount asof=2025-01-01 as r",
    .args = rfm_args,
    .flags = CMD_WRITES | CMD_AS | CMD_AS_REQUIRED,
    .exec = cmd_rfm_exec,
};
