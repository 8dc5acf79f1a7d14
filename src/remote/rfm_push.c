/*
 * rfm_push.c: rfm's per-customer aggregation as one PostgreSQL query,
 * then the local scoring (rfm_push.h).
 */
#include "remote/rfm_push.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/datetime.h"
#include "base/mem.h"
#include "remote/pg.h"
#include "base/banned.h"

void
rfm_push_time(struct buf *b, const char *d)
{
    /* CASE, not AND: PostgreSQL may evaluate AND's operands in any order. One regular
       expression checks the layout; the fields then sit at fixed places (hh at 12, mm at
       15, :ss at 17, a fraction at 20), read with substr, which costs far less */
#define F(from, len) "NULLIF(substr(%1$s, " #from ", " #len "), '')::int"
#define SEC "(CASE WHEN substr(%1$s, 17, 1) = ':' THEN substr(%1$s, 18, 2)::int ELSE 0 END)"
    /* year 0000 is 1 BC, a leap year, as datetime_parse reads it: PostgreSQL's year -1 */
#define YEAR "(CASE WHEN " F(1, 4) " = 0 THEN -1 ELSE " F(1, 4) " END)"
    buf_addf(b,
             "CASE WHEN %1$s !~ '^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?)?Z?$' "
             "THEN NULL WHEN " F(6, 2) " NOT BETWEEN 1 AND 12 THEN NULL "
             "WHEN " F(9, 2) " < 1 OR " F(9, 2) " > extract(day FROM make_date(" YEAR ", "
             F(6, 2) ", 1) + interval '1 month' - interval '1 day') OR coalesce(" F(12, 2)
             ", 0) > 23 OR coalesce(" F(15, 2) ", 0) > 59 OR " SEC " > 59 THEN NULL "
             "ELSE (make_date(" YEAR ", " F(6, 2) ", " F(9, 2) ") - DATE '1970-01-01') * "
             "86400.0::float8 + coalesce(" F(12, 2) ", 0) * 3600.0 + coalesce(" F(15, 2)
             ", 0) * 60.0 + " SEC " + CASE WHEN substr(%1$s, 20, 1) = '.' THEN ('0' || "
             "rtrim(substr(%1$s, 20), 'Z'))::float8 ELSE 0 END END AS t, ",
             d);
#undef YEAR
#undef SEC
#undef F
}

/*
 * rfm_push_time's rules as one regular expression: the layout, month 01-12, the month's days (February 29 in leap years only), hh 00-23,
 * mm and ss 00-59 (the text a shard can test alone, one operator a row).
 */
#define VALID_ISO "'^(\\d{4}-((0[13578]|1[02])-(0[1-9]|[12]\\d|3[01])|(0[469]|11)-" \
    "(0[1-9]|[12]\\d|30)|02-(0[1-9]|1\\d|2[0-8]))|(\\d\\d(0[48]|[2468][048]|[13579][26])|" \
    "([02468][048]|[13579][26])00)-02-29)([T ]([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d+)?)?)?Z?$'"

void
rfm_push_iso_day(struct buf *b, const char *col)
{
    /* year 0000 is 1 BC, as datetime_parse reads it: PostgreSQL's year -1 */
    buf_addf(b, "(make_date(CASE WHEN substr(%1$s, 1, 4) = '0000' THEN -1 ELSE substr(%1$s, 1, "
                "4)::int END, substr(%1$s, 6, 2)::int, substr(%1$s, 9, 2)::int) - DATE "
                "'1970-01-01')", col);
}

const char *
rfm_push_valid_iso(void)
{
    return VALID_ISO;
}

void
rfm_push_time_col(struct buf *b, const char *d, int is_text, int seconds)
{
    if (is_text)
        rfm_push_time(b, d);
    else if (seconds)
        buf_addf(b, "extract(epoch FROM CAST(%s AS timestamp))::float8 AS t, ", d);
    else
        buf_addf(b, "CAST(%s AS timestamp) AS t, ", d);
}

const char *
rfm_push_collate(int kind)
{
    return kind == 0 ? " COLLATE \"C\"" : "";
}

/*
 * Sharded, text dates: no expression is computed once a row and aggregated
 * on a shard (postgres_fdw sends no subquery fence), so the shards test
 * each text with VALID_ISO alone and keep the latest valid text (ISO 8601
 * text sorts as its dates do); the coordinator turns it into the day's
 * seconds (rfm uses the day alone). Same seven columns as rfm_push_sql's.
 */
static char *
sharded_text_sql(const struct rfm_push *p, const char *c, const char *d, const char *a)
{
    struct buf b = BUF_INIT;
    char next[16] = "";
    if (p->has_asof)
        datetime_format(p->asof_day + 1, next, sizeof next);
    buf_adds(&b, "SELECT c, ");
    rfm_push_iso_day(&b, "m");
    buf_adds(&b, " * 86400.0::float8, n, s::float8, nall - nv, "
                 "nv - n - na, na FROM (SELECT c, max(ts) FILTER (WHERE ok) AS m, count(*) "
                 "FILTER (WHERE ok) AS n, sum(a::numeric) FILTER (WHERE ok) AS s, count(*) "
                 "FILTER (WHERE v) AS nv, ");
    if (p->has_asof)
        buf_addf(&b, "count(*) FILTER (WHERE v AND a IS NOT NULL AND ts >= '%s') AS na, ", next);
    else
        buf_adds(&b, "0 AS na, ");
    buf_adds(&b, "count(*) AS nall FROM (SELECT c, ts, a, v, v AND a IS NOT NULL");
    if (p->has_asof)
        buf_addf(&b, " AND ts < '%s'", next);
    buf_addf(&b, " AS ok FROM (SELECT %s AS c, %s AS ts, CAST(%s AS float8) AS a, %s ~ "
                 VALID_ISO " AS v FROM %s) AS r) AS s GROUP BY c) AS x ORDER BY c%s",
             c, d, a, d, p->relation, rfm_push_collate(p->cust_kind));
    return buf_detach(&b);
}

char *
rfm_push_sql(const struct rfm_push *p)
{
    struct buf b = BUF_INIT;
    char *c = pg_ident(p->customer), *d = pg_ident(p->date), *a = pg_ident(p->amount);
    if (p->date_is_text && p->sharded) {
        char *sql = sharded_text_sql(p, c, d, a);
        free(c);
        free(d);
        free(a);
        return sql;
    }
    /* a date or timestamp column stays a timestamp until the grouping is done: the
       conversion to seconds (extract(epoch ...)) is one postgres_fdw does not send to
       a shard, so it comes after max() */
    buf_adds(&b, p->date_is_text ? "SELECT c, max(t) FILTER (WHERE ok), "
                                 : "SELECT c, extract(epoch FROM max(t) FILTER (WHERE ok))::float8, ");
    buf_adds(&b, "count(*) FILTER (WHERE ok), "
                 "(sum(a::numeric) FILTER (WHERE ok))::float8, count(*) FILTER (WHERE t IS NULL), "
                 "count(*) FILTER (WHERE t IS NOT NULL AND a IS NULL), "
                 "count(*) FILTER (WHERE t IS NOT NULL AND a IS NOT NULL AND NOT ok) FROM (");
    buf_adds(&b, "SELECT c, t, a, t IS NOT NULL AND a IS NOT NULL");
    if (p->has_asof && p->date_is_text) {
        buf_addf(&b, " AND t < %lld", (p->asof_day + 1) * 86400LL);
    } else if (p->has_asof) {
        char day[16];
        datetime_format(p->asof_day + 1, day, sizeof day);
        buf_addf(&b, " AND t < TIMESTAMP '%s'", day);
    }
    buf_adds(&b, " AS ok FROM (SELECT ");
    buf_addf(&b, "%s AS c, ", c);
    rfm_push_time_col(&b, d, p->date_is_text, 0);
    /* OFFSET 0 keeps the innermost select a subquery of its own: PostgreSQL would
       otherwise copy t's expression into every place that names t, and text dates cost a
       regular expression each. A date or timestamp column costs little: without it the
       selects fold into one grouping of the table itself, which a partitioned table
       grouped by its partition key aggregates per partition, and postgres_fdw sends
       whole to the shards (enable_partitionwise_aggregate), so they return one row per
       customer, not every order */
    buf_addf(&b, "CAST(%s AS float8) AS a FROM %s%s) AS r) AS s GROUP BY c ORDER BY c%s", a,
             p->relation, p->date_is_text ? " OFFSET 0" : "",
             rfm_push_collate(p->cust_kind));
    free(c);
    free(d);
    free(a);
    return buf_detach(&b);
}

int
rfm_push_num(const char *v, double *x)
{
    char *end;
    if (!v || !*v)
        return -1;
    *x = strtod(v, &end);
    return *end ? -1 : 0;
}

int
rfm_push_row(struct rfm_push_acc *a, int n, const char *const *vals, struct qerr *err)
{
    double cnt, skip[3];
    if (n != 7 || rfm_push_num(vals[2], &cnt) < 0 || rfm_push_num(vals[4], &skip[0]) < 0 ||
        rfm_push_num(vals[5], &skip[1]) < 0 || rfm_push_num(vals[6], &skip[2]) < 0)
        return qerr_set(err, QE_DATA, "rfm: the server's per-customer row is not as asked");
    if (!vals[0]) { /* the rows without a customer */
        a->n_no_customer += (long long)(cnt + skip[0] + skip[1] + skip[2]);
        return 0;
    }
    a->n_bad_date += (long long)skip[0];
    a->n_no_amount += (long long)skip[1];
    a->n_after_asof += (long long)skip[2];
    if (a->n == a->cap) {
        a->cap = a->cap ? 2 * a->cap : 1024;
        a->key = xrealloc(a->key, (size_t)a->cap * sizeof *a->key);
        a->last = xrealloc(a->last, (size_t)a->cap * sizeof *a->last);
        a->count = xrealloc(a->count, (size_t)a->cap * sizeof *a->count);
        a->sum = xrealloc(a->sum, (size_t)a->cap * sizeof *a->sum);
    }
    int i = a->n++;
    a->key[i] = xstrdup(vals[0]);
    a->count[i] = cnt;
    a->last[i] = NAN;
    a->sum[i] = NAN;
    if (cnt > 0 &&
        (rfm_push_num(vals[1], &a->last[i]) < 0 || rfm_push_num(vals[3], &a->sum[i]) < 0))
        return qerr_set(err, QE_DATA, "rfm: the server's per-customer row is not as asked");
    return 0;
}

void
rfm_push_acc_release(struct rfm_push_acc *a)
{
    for (int i = 0; i < a->n; i++)
        free(a->key[i]);
    free(a->key);
    free(a->last);
    free(a->count);
    free(a->sum);
    memset(a, 0, sizeof *a);
}

int
rfm_push_finish(const struct rfm_push_acc *a, const struct rfm_push *p, int scores,
                struct rfm_out *o, struct qerr *err)
{
    memset(o, 0, sizeof *o);
    double max_t = -INFINITY;
    o->n_no_customer = a->n_no_customer;
    o->n_bad_date = a->n_bad_date;
    o->n_no_amount = a->n_no_amount;
    o->n_after_asof = a->n_after_asof;
    for (int i = 0; i < a->n; i++) {
        if (a->count[i] > 0) {
            o->n++;
            o->n_orders += (long long)a->count[i];
            if (a->last[i] > max_t)
                max_t = a->last[i];
        } else {
            o->n_cust_dropped++;
        }
        if (a->count[i] > 0 && isinf(a->sum[i]))
            return qerr_set(err, QE_DATA, "a customer's total amount is infinite or past the "
                            "largest double (1.8e+308): monetary cannot be held");
    }
    if (o->n_orders == 0)
        return qerr_set(err, QE_DATA,
                        "no order can be counted (rows without a customer: %lld, without a "
                        "date: %lld, without an amount: %lld, after the as-of date: %lld)",
                        o->n_no_customer, o->n_bad_date, o->n_no_amount, o->n_after_asof);
    o->asof_day = p->has_asof ? p->asof_day : datetime_day_of(max_t) + 1;
    size_t n = (size_t)o->n;
    const char *what = "customers' results";
    if (!(o->cust = mem_alloc(n, sizeof(*o->cust), "rfm", what, err)) ||
        !(o->recency = mem_alloc(n, sizeof(double), "rfm", what, err)) ||
        !(o->frequency = mem_alloc(n, sizeof(double), "rfm", what, err)) ||
        !(o->monetary = mem_alloc(n, sizeof(double), "rfm", what, err)) ||
        !(o->r_score = mem_alloc(n, sizeof(double), "rfm", what, err)) ||
        !(o->f_score = mem_alloc(n, sizeof(double), "rfm", what, err)) ||
        !(o->m_score = mem_alloc(n, sizeof(double), "rfm", what, err)) ||
        !(o->segment = mem_alloc(n, sizeof(*o->segment), "rfm", what, err)))
        goto fail;
    int k = 0;
    for (int i = 0; i < a->n; i++) {
        if (a->count[i] <= 0)
            continue;
        o->cust[k] = i;
        o->recency[k] = (double)(o->asof_day - datetime_day_of(a->last[i]));
        o->frequency[k] = a->count[i];
        o->monetary[k] = a->sum[i];
        k++;
    }
    if (rfm_scores(o->recency, o->n, scores, 1, o->r_score, NULL, err) < 0 ||
        rfm_scores(o->frequency, o->n, scores, 0, o->f_score, NULL, err) < 0 ||
        rfm_scores(o->monetary, o->n, scores, 0, o->m_score, NULL, err) < 0)
        goto fail;
    for (int i = 0; i < o->n; i++)
        o->segment[i] = rfm_segment((int)o->r_score[i], (int)o->f_score[i], scores);
    return 0;
fail:
    rfm_out_release(o);
    return -1;
}
