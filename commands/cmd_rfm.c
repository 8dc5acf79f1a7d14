/*
 * cmd_rfm.c: `rfm ORDERS customer=COL date=COL amount=COL [asof=DATE]
 * [scores=5] as NAME`: recency, frequency, monetary value, their
 * quantile scores and a segment name per customer (src/prep/rfm.h), written
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

#include "remote.h"
#include "base/banned.h"

static const struct arg_spec cmd_rfm_args[] = {
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
    {.name = "asof", .type = ARG_DATE,
     .help = "The reference date recency counts from (YYYY-MM-DD); orders after it are "
             "ignored. Default: the day after the last order."},
    {.name = "scores", .type = ARG_INT, .def = "5", .min = 2, .max = 10,
     .help = "The number of score levels (5 = quintiles)."},
    KIT_REPLACE_ARG,
    {0},
};

/* What a statement builds: the engine's input and output and the arrays behind them. */
struct job {
    struct kit_dated dd;
    struct groups g;
    struct rfm_in in;
    struct rfm_out o;
    long long n_text; /* text values in the amount column */
};

/* Read customers, dates and amounts into j->in. */
static int
read_input(struct cmd_ctx *ctx, const struct cmd_args *args, struct job *j, struct qerr *err)
{
    const char *table = args_str(args, "ORDERS");
    const char *cols[2] = {args_str(args, "customer"), args_str(args, "amount")};
    if (kit_read_dated(ctx, args, table, cols, 2, "date", &j->dd, err) < 0)
        return -1;
    const struct frame *f = j->dd.f;
    if (f->n_rows == 0)
        return qerr_set(err, QE_DATA, "table '%s' has no rows; rfm needs an order log", table);
    if (kit_dated_numbers(ctx, table, &j->dd, 1, &j->in.amount, &j->n_text, err) < 0)
        return -1;
    if (!j->in.amount) {
        qerr_set(err, QE_ARG, "column '%s' holds text, not numbers; amount= needs the order value",
                 f->names[1]);
        return kit_fail_at(args, "amount", err);
    }
    if (groups_init(&j->g, f, 0, kit_progress, ctx, err) < 0)
        return -1;
    j->in.n_rows = f->n_rows;
    j->in.t = j->dd.t;
    j->in.cust = j->g.id;
    j->in.n_cust = j->g.n_groups;
    j->in.progress = kit_progress;
    j->in.pctx = ctx;
    return 0;
}

/* The table: the customer column under its own name, then the measures, scores and segment. */
static int
write_rfm(struct cmd_ctx *ctx, const struct cmd_args *args, const struct job *j,
          struct qerr *err)
{
    const struct rfm_out *o = &j->o;
    const struct frame *f = j->dd.f;
    void *keys = NULL;
    struct frame_out outs[8] = {
        {0},
        {.name = "recency", .decl = CATALOG_INTEGER, .num = o->recency},
        {.name = "frequency", .decl = CATALOG_INTEGER, .num = o->frequency},
        {.name = "monetary", .decl = CATALOG_REAL, .num = o->monetary},
        {.name = "r_score", .decl = CATALOG_INTEGER, .num = o->r_score},
        {.name = "f_score", .decl = CATALOG_INTEGER, .num = o->f_score},
        {.name = "m_score", .decl = CATALOG_INTEGER, .num = o->m_score},
        {.name = "segment", .decl = CATALOG_TEXT, .text = o->segment},
    };
    int rc = groups_out(&j->g, o->cust, o->n, f->names[0], f->decl[0], &outs[0], &keys, err);
    if (rc == 0)
        rc = kit_side_table(ctx, args, args->as, outs, 8, o->n, err);
    free(keys);
    return rc;
}

/* What was made, as of when, and the rows and customers left out. */
static void
report_rfm(struct cmd_result *res, const char *name, const struct job *j)
{
    const struct rfm_out *o = &j->o;
    char day[16];
    datetime_format(o->asof_day, day, sizeof day);
    result_text(res, "rfm: %d customer%s from %lld order%s into '%s', recency in days as of %s%s",
                o->n, kit_plural(o->n), o->n_orders, kit_plural(o->n_orders), name, day,
                j->in.has_asof ? "" : " (the day after the last order; set asof=DATE to change it)");
    struct kit_skips sk = {0};
    kit_skip(&sk, o->n_no_customer, "without a customer");
    if (kit_skip(&sk, o->n_bad_date, "with no parseable date in '%s'", j->dd.date_name) &&
        j->dd.bad_example)
        buf_addf(&sk.text, " (e.g. '%s')", j->dd.bad_example);
    if (kit_skip(&sk, o->n_no_amount, "without an amount") && j->n_text)
        buf_addf(&sk.text, " (%lld of them text)", j->n_text);
    kit_skip(&sk, o->n_after_asof, "after the as-of date");
    kit_skips_report(res, &sk);
    if (o->n_cust_dropped)
        result_text(res, "%d customer%s had no order left after skipping and %s left out",
                    o->n_cust_dropped, kit_plural(o->n_cust_dropped),
                    o->n_cust_dropped == 1 ? "is" : "are");
}

/* One row per segment, best first (rfm_segments), as the report's table. */
int
cmd_rfm_segments(struct cmd_result *res, const struct rfm_out *o, struct qerr *err)
{
    struct rfm_segment_row *rows = NULL;
    int n = 0;
    if (rfm_segments(o, &rows, &n, err) < 0)
        return -1;
    static const char *const cols[] = {"segment", "customers", "recency", "frequency",
                                       "monetary"};
    struct rtable *t = result_table(res, 5, cols);
    for (int i = 0; i < n; i++) {
        long long r = rtable_add_row(t);
        rtable_set(t, r, 0, rows[i].segment, 0);
        rtable_setf(t, r, 1, 1, "%d", rows[i].customers);
        rtable_setf(t, r, 2, 0, "%.1f", rows[i].recency);
        rtable_setf(t, r, 3, 0, "%.2f", rows[i].frequency);
        rtable_setf(t, r, 4, 0, fabs(rows[i].monetary) < 1e15 ? "%.2f" : "%.6g",
                    rows[i].monetary); /* not 309 digits for 1e308 */
    }
    free(rows);
    return 0;
}

static int
cmd_rfm_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
             struct qerr *err)
{
    struct job j = {
        .in = {.scores = (int)args_int(args, "scores"), .has_asof = args_given(args, "asof"),
               .asof_day = datetime_day_of(args_real(args, "asof"))},
    };
    int rc = -1;
    const char *out_name[1] = {args->as};
    if (remote_named(args_str(args, "ORDERS")) && !catalog_has_table(ctx->cat, args_str(args, "ORDERS")))
        return remote_rfm(ctx, args, res, err); /* pushed down to PostgreSQL (remote.h) */
    if (kit_claim(ctx, args, NULL, NULL, 0, NULL, out_name, 1, err) < 0)
        goto out;
    if (read_input(ctx, args, &j, err) < 0)
        goto out;
    if (rfm_compute(&j.in, &j.o, err) < 0) {
        kit_dated_hint(&j.dd, err);
        goto out;
    }
    if (write_rfm(ctx, args, &j, err) < 0)
        goto out;
    report_rfm(res, args->as, &j);
    rc = cmd_rfm_segments(res, &j.o, err);
out:
    rfm_out_release(&j.o);
    groups_release(&j.g);
    kit_dated_release(&j.dd);
    return rc;
}

const struct cmd_entry cmd_rfm_entry = {
    .name = "rfm",
    .family = "preprocessing",
    .synopsis = "rfm ORDERS customer=COL date=COL amount=COL [asof=DATE] [scores=5] [replace=yes] "
                "as NAME",
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
            "recency, frequency and monetary value per segment. A table NAME that exists "
            "already is refused unless replace=yes.",
    .example = "rfm orders customer=customer_id date=ts amount=amount asof=2025-01-01 as r",
    .args = cmd_rfm_args,
    .flags = CMD_WRITES | CMD_AS | CMD_AS_REQUIRED,
    .exec = cmd_rfm_exec,
};
