/*
 * remote_rfm.c: `rfm NAME.table ...` over an attached PostgreSQL table:
 * the per-customer aggregation runs on the server as one query
 * (src/remote/rfm_push.h), one row per customer comes back, and the
 * scoring, the table written and the report are those of the local rfm.
 */
#include "remote.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kit.h"
#include "base/datetime.h"
#include "remote/rfm_push.h"
#include "base/banned.h"

struct acc_job {
    struct rfm_push_acc acc;
    long long n;
};

static int
take(void *arg, int n, const char *const *vals, const char *const *names, const unsigned *oids,
     struct qerr *err)
{
    struct acc_job *j = arg;
    j->n++;
    return rfm_push_row(&j->acc, n, vals, err);
}

/* Look the three columns up and fill p (p->relation from r). */
static int
columns(const struct cmd_args *args, const char *table, struct rfm_push *p, struct qerr *err)
{
    static const struct remote_need need[3] = {
        {"customer", REMOTE_ANY, NULL},
        {"date", REMOTE_TIME, "column '%s' holds numbers, not dates; date= needs a date, a "
                              "timestamp or ISO 8601 text"},
        {"amount", REMOTE_NUMBER, "column '%s' holds no numbers; amount= needs the order "
                                  "value"},
    };
    int kind[3];
    if (remote_check_kinds(args, table, need, 3, kind, err) < 0)
        return -1;
    p->customer = args_str(args, "customer");
    p->date = args_str(args, "date");
    p->amount = args_str(args, "amount");
    p->cust_kind = kind[0] < 0 ? 0 : kind[0];
    p->date_is_text = kind[1] == 0;
    return 0;
}

static int
write_out(struct cmd_ctx *ctx, const struct cmd_args *args, const struct rfm_push *p,
          const struct rfm_push_acc *a, const struct rfm_out *o, struct qerr *err)
{
    const struct frame_out outs[7] = {
        {.name = "recency", .decl = CATALOG_INTEGER, .num = o->recency},
        {.name = "frequency", .decl = CATALOG_INTEGER, .num = o->frequency},
        {.name = "monetary", .decl = CATALOG_REAL, .num = o->monetary},
        {.name = "r_score", .decl = CATALOG_INTEGER, .num = o->r_score},
        {.name = "f_score", .decl = CATALOG_INTEGER, .num = o->f_score},
        {.name = "m_score", .decl = CATALOG_INTEGER, .num = o->m_score},
        {.name = "segment", .decl = CATALOG_TEXT, .text = o->segment},
    };
    struct remote_key k = {p->customer, p->cust_kind, a->key, o->cust};
    return remote_write(ctx, args, &k, outs, 7, o->n, err);
}

static void
report(struct cmd_result *res, const struct cmd_args *args, const char *sql, long long back,
       const struct rfm_out *o, int has_asof)
{
    char day[16];
    datetime_format(o->asof_day, day, sizeof day);
    result_text(res, "rfm: pushed down to PostgreSQL (%lld row%s came back): %s", back,
                kit_plural(back), sql);
    result_text(res, "rfm: %d customer%s from %lld order%s into '%s', recency in days as of %s%s",
                o->n, kit_plural(o->n), o->n_orders, kit_plural(o->n_orders), args->as, day,
                has_asof ? "" : " (the day after the last order; set asof=DATE to change it)");
    struct kit_skips sk = {0};
    kit_skip(&sk, o->n_no_customer, "without a customer");
    kit_skip(&sk, o->n_bad_date, "with no parseable date in '%s'", args_str(args, "date"));
    kit_skip(&sk, o->n_no_amount, "without an amount");
    kit_skip(&sk, o->n_after_asof, "after the as-of date");
    kit_skips_report(res, &sk);
    if (o->n_cust_dropped)
        result_text(res, "%d customer%s had no order left after skipping and %s left out",
                    o->n_cust_dropped, kit_plural(o->n_cust_dropped),
                    o->n_cust_dropped == 1 ? "is" : "are");
}

int
remote_rfm(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
           struct qerr *err)
{
    const char *table = args_str(args, "ORDERS");
    struct remote_ref r = {0};
    struct rfm_push p = {.has_asof = args_given(args, "asof"),
                         .asof_day = datetime_day_of(args_real(args, "asof"))};
    struct acc_job j = {0};
    struct rfm_out o = {0};
    char *sql = NULL;
    int rc = -1;
    const char *out_name[1] = {args->as};
    if (!remote_dry() && kit_claim(ctx, args, NULL, NULL, 0, NULL, out_name, 1, err) < 0)
        goto out;
    if (remote_resolve(table, &r, err) < 0 || columns(args, table, &p, err) < 0)
        goto out;
    p.relation = r.relation;
    if ((p.sharded = remote_sharded(&r, err)) < 0)
        goto out;
    sql = rfm_push_sql(&p);
    if (remote_dry()) {
        rc = remote_plan(res, r.c, "rfm", sql, err);
        goto out;
    }
    if (pg_query(r.c, sql, -1, take, &j, kit_progress, ctx, err) < 0)
        goto out;
    if (rfm_push_finish(&j.acc, &p, (int)args_int(args, "scores"), &o, err) < 0)
        goto out;
    if (write_out(ctx, args, &p, &j.acc, &o, err) < 0)
        goto out;
    report(res, args, sql, j.n, &o, p.has_asof);
    rc = cmd_rfm_segments(res, &o, err);
out:
    free(sql);
    rfm_out_release(&o);
    rfm_push_acc_release(&j.acc);
    remote_ref_release(&r);
    return rc;
}
