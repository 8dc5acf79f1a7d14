/*
 * remote_prep.c: `series NAME.table ...` and `sessions NAME.table ...`
 * over an attached PostgreSQL table. series: the per-(group, period) sums
 * and counts are made on the server by one query
 * (src/remote/series_push.h), one row per cell comes back, and the grid,
 * the table written and the report are the local series'. sessions: the
 * sessions are cut and summed per user on the server
 * (src/remote/sessions_push.h), one row per user comes back.
 */
#include "remote.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"
#include "base/datetime.h"
#include "prep/sessions.h"
#include "remote/series_push.h"
#include "remote/sessions_push.h"
#include "base/banned.h"

/* Rows a series may have (cmd_series.c's limit). */
#define MAX_CELLS 50000000LL

static const char *const period_names[] = {"day", "week", "month", "quarter", "year"};
static const char *const agg_names[] = {"sum", "mean", "count"};

struct job {
    struct series_push p;
    struct series_push_acc acc;
    long long back;
};

static int
take(void *arg, int n, const char *const *vals, const char *const *names, const unsigned *oids,
     struct qerr *err)
{
    struct job *j = arg;
    j->back++;
    return series_push_row(&j->acc, &j->p, n, vals, err);
}

/* Look the columns up and fill j->p. */
static int
columns(const struct cmd_args *args, const char *table, struct series_push *p, struct qerr *err)
{
    const struct remote_need need[3] = {
        {"date", REMOTE_TIME, "column '%s' holds numbers, not dates; date= needs a date, a "
                              "timestamp or ISO 8601 text"},
        {"value", p->agg == SERIES_COUNT ? REMOTE_ANY : REMOTE_NUMBER,
         p->agg == SERIES_MEAN ? "column '%s' holds text, not numbers; agg=mean needs numbers "
                                 "(use agg=count to count its values)"
                               : "column '%s' holds text, not numbers; agg=sum needs numbers "
                                 "(use agg=count to count its values)"},
        {"by", REMOTE_ANY, NULL},
    };
    int kind[3];
    if (remote_check_kinds(args, table, need, 3, kind, err) < 0)
        return -1;
    p->date = args_str(args, "date");
    p->value = args_str(args, "value");
    p->by = args_given(args, "by") ? args_str(args, "by") : NULL;
    p->by_kind = kind[2] < 0 ? 0 : kind[2];
    p->date_is_text = kind[0] == 0;
    p->value_is_number = kind[1] > 0;
    return 0;
}

static int
write_out(struct cmd_ctx *ctx, const struct cmd_args *args, const struct job *j,
          const struct series_out *o, struct qerr *err)
{
    size_t n = (size_t)(o->n ? o->n : 1);
    char *text = xmalloc(n * 11 + 1);
    const char **ptext = xcalloc(n, sizeof *ptext);
    for (long long i = 0; i < o->n; i++) {
        char day[16];
        datetime_format((long long)o->start[i], day, sizeof day);
        memcpy(text + i * 11, day, 11);
        ptext[i] = text + i * 11;
    }
    const struct frame_out outs[2] = {
        {.name = "period", .decl = CATALOG_DATE, .text = ptext},
        {.name = j->p.value, .num = o->value,
         .decl = j->p.agg == SERIES_COUNT ? CATALOG_INTEGER : CATALOG_REAL},
    };
    struct remote_key k = {j->p.by, j->p.by_kind, j->acc.key, o->group};
    int rc = remote_write(ctx, args, j->p.by ? &k : NULL, outs, 2, o->n, err);
    free(text);
    free(ptext);
    return rc;
}

static void
report(struct cmd_result *res, const struct cmd_args *args, const char *sql, const struct job *j,
       const struct series_out *o, int fill_null)
{
    char first[16], last[16];
    datetime_format((long long)o->start[0], first, sizeof first);
    datetime_format((long long)o->start[o->n_periods - 1], last, sizeof last);
    result_text(res, "series: pushed down to PostgreSQL (%lld row%s came back): %s", j->back,
                kit_plural(j->back), sql);
    struct buf grp = BUF_INIT;
    if (j->p.by)
        buf_addf(&grp, " x %d group%s of '%s'", j->acc.n_groups, kit_plural(j->acc.n_groups),
                 j->p.by);
    result_text(res, "series: %lld %s%s from %s to %s%s = %lld row%s into '%s' (%s of '%s')",
                o->n_periods, period_names[j->p.period], kit_plural(o->n_periods), first, last,
                grp.data ? grp.data : "", o->n, kit_plural(o->n), args->as,
                agg_names[j->p.agg], j->p.value);
    buf_release(&grp);
    result_text(res, "%lld row%s used; %lld period%s without a value %s", o->n_used,
                kit_plural(o->n_used), o->n_empty, kit_plural(o->n_empty),
                fill_null ? "left NULL" : "hold 0");
    struct kit_skips sk = {0};
    kit_skip(&sk, o->n_no_group, "without a '%s'", j->p.by ? j->p.by : "");
    kit_skip(&sk, o->n_bad_date, "with no parseable date in '%s'", j->p.date);
    kit_skip(&sk, o->n_no_value, "without a value");
    kit_skips_report(res, &sk);
}

int
remote_series(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
              struct qerr *err)
{
    const char *table = args_str(args, "TABLE");
    struct remote_ref r = {0};
    struct job j = {.p = {.period = (enum series_period)args_choice(args, "period"),
                          .agg = (enum series_agg)args_choice(args, "agg")}};
    struct series_in in = {.period = j.p.period, .fill_null = args_choice(args, "fill") == 1,
                           .max_cells = MAX_CELLS, .progress = kit_progress, .pctx = ctx};
    struct series_out o = {0};
    char *sql = NULL, **leaves = NULL;
    int rc = -1;
    const char *out_name[1] = {args->as};
    if (!remote_dry() && kit_claim(ctx, args, NULL, NULL, 0, NULL, out_name, 1, err) < 0)
        goto out;
    if (remote_resolve(table, &r, err) < 0 || columns(args, table, &j.p, err) < 0)
        goto out;
    j.p.relation = r.relation;
    j.acc.agg = j.p.agg;
    if (pg_leaves(r.c, r.schema, r.table, &leaves, &j.p.n_leaves, err) < 0)
        goto out;
    j.p.leaves = leaves;
    sql = series_push_sql(&j.p);
    if (remote_dry()) {
        rc = remote_plan(res, r.c, "series", sql, err);
        goto out;
    }
    if (pg_query(r.c, sql, -1, take, &j, kit_progress, ctx, err) < 0)
        goto out;
    if (j.acc.n_used == 0) {
        qerr_set(err, QE_DATA,
                 "no row has both a date and a value (rows without a date: %lld, without a "
                 "value: %lld, without a group: %lld)",
                 j.acc.n_bad_date, j.acc.n_no_value, j.acc.n_no_group);
        goto out;
    }
    series_push_input(&j.acc, &j.p, &in);
    if (series_build(&in, &o, err) < 0)
        goto out;
    series_push_counts(&j.acc, &o);
    if (write_out(ctx, args, &j, &o, err) < 0)
        goto out;
    report(res, args, sql, &j, &o, in.fill_null);
    rc = 0;
out:
    free(sql);
    pg_names_free(leaves, j.p.n_leaves);
    series_out_release(&o);
    series_push_acc_release(&j.acc);
    remote_ref_release(&r);
    return rc;
}

/* The remote rows of one pushed-down query, counted. */
struct sjob {
    struct sessions_push_acc acc;
    long long back;
};

static int
take_user(void *arg, int n, const char *const *vals, const char *const *names,
          const unsigned *oids, struct qerr *err)
{
    struct sjob *j = arg;
    j->back++;
    return sessions_push_row(&j->acc, n, vals, err);
}

static int
user_columns(const struct cmd_args *args, const char *table, struct sessions_push *p,
             struct qerr *err)
{
    static const struct remote_need need[3] = {
        {"user", REMOTE_ANY, NULL},
        {"time", REMOTE_TIME, "column '%s' holds numbers, not times; time= needs a timestamp "
                              "or ISO 8601 text"},
        {"event", REMOTE_TEXT, "column '%s' holds numbers; event= needs the event name (view, "
                               "cart, wishlist, purchase)"},
    };
    int kind[3];
    if (remote_check_kinds(args, table, need, 3, kind, err) < 0)
        return -1;
    p->user = args_str(args, "user");
    p->time = args_str(args, "time");
    p->event = args_str(args, "event");
    p->user_kind = kind[0] < 0 ? 0 : kind[0];
    p->time_is_text = kind[1] == 0;
    return 0;
}

static int
user_write(struct cmd_ctx *ctx, const struct cmd_args *args, const struct sessions_push *p,
           const struct sessions_push_acc *a, const struct sessions_out *o, struct qerr *err)
{
    struct frame_out outs[32];
    int n = cmd_sessions_columns(o, outs);
    struct remote_key k = {p->user, p->user_kind, a->key, o->user};
    return remote_write(ctx, args, &k, outs, n, o->n, err);
}

static void
user_report(struct cmd_result *res, const struct cmd_args *args, const char *sql,
                long long back, const struct sessions_out *o, const char *other)
{
    result_text(res, "sessions: pushed down to PostgreSQL (%lld row%s came back): %s", back,
                kit_plural(back), sql);
    double n_sess = 0;
    for (int i = 0; i < o->n; i++)
        n_sess += o->sessions[i];
    result_text(res, "sessions: %d user%s, %lld event%s, %.0f session%s (gap %s) into '%s'; "
                "the log spans %.1f days (%.2f months)",
                o->n, kit_plural(o->n), o->counts.n_events, kit_plural(o->counts.n_events), n_sess,
                n_sess == 1 ? "" : "s", args_str(args, "gap"), args->as, o->months * 30.4375,
                o->months);
    cmd_sessions_summary(res, o, other);
}

int
remote_sessions(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                struct qerr *err)
{
    const char *table = args_str(args, "EVENTS");
    struct remote_ref r = {0};
    struct sessions_push p = {.gap = args_real(args, "gap")};
    struct sjob j = {0};
    struct sessions_out o = {0};
    char *sql = NULL;
    int rc = -1, sharded;
    const char *out_name[1] = {args->as};
    if (!remote_dry() && kit_claim(ctx, args, NULL, NULL, 0, NULL, out_name, 1, err) < 0)
        goto out;
    if (remote_resolve(table, &r, err) < 0 || user_columns(args, table, &p, err) < 0)
        goto out;
    p.relation = r.relation;
    sql = sessions_push_sql(&p);
    if ((sharded = remote_sharded(&r, err)) < 0)
        goto out;
    if (remote_dry()) {
        rc = remote_plan(res, r.c, "sessions", sql, err);
    } else if (pg_query(r.c, sql, -1, take_user, &j, kit_progress, ctx, err) < 0 ||
               sessions_push_finish(&j.acc, &o, kit_progress, ctx, err) < 0 ||
               user_write(ctx, args, &p, &j.acc, &o, err) < 0) {
        goto out;
    } else {
        user_report(res, args, sql, j.back, &o, j.acc.other);
        rc = 0;
    }
    /* lag() over each user's events: PostgreSQL 15's postgres_fdw sends a shard no window */
    if (rc == 0 && sharded)
        result_text(res, "%s is sharded, and the shards cannot run this query's window (each "
                    "user's events in time order): postgres_fdw (PostgreSQL 15) sends no window "
                    "function to a shard, so the coordinator reads every event, even when each "
                    "user's events live on one shard", table);
out:
    free(sql);
    sessions_out_release(&o);
    sessions_push_acc_release(&j.acc);
    remote_ref_release(&r);
    return rc;
}
