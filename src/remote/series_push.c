/*
 * series_push.c: series' per-cell aggregation as one PostgreSQL query,
 * then the grid built locally (series_push.h).
 */
#include "remote/series_push.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/datetime.h"
#include "base/mem.h"
#include "remote/pg.h"
#include "remote/rfm_push.h"
#include "base/banned.h"

/* The period index of day number D (an SQL bigint expression), as series_period_of. */
static void
period_sql(struct buf *b, enum series_period p)
{
    const char *d = "(DATE '1970-01-01' + floor(t / 86400)::int)";
    switch (p) {
    case SERIES_DAY:
        buf_adds(b, "floor(t / 86400)::bigint");
        break;
    case SERIES_WEEK: /* day 0 is a Thursday: weeks start on Monday */
        buf_adds(b, "floor((floor(t / 86400) + 3) / 7)::bigint");
        break;
    case SERIES_MONTH:
        buf_addf(b, "extract(year FROM %1$s)::bigint * 12 + extract(month FROM %1$s)::int - 1", d);
        break;
    case SERIES_QUARTER:
        buf_addf(b, "extract(year FROM %1$s)::bigint * 4 + (extract(month FROM %1$s)::int - 1) / 3",
                 d);
        break;
    case SERIES_YEAR:
        buf_addf(b, "extract(year FROM %s)::bigint", d);
        break;
    }
}

/* The value as series reads it (a number, or 1 for agg=count over a column of another kind). */
static void
value_sql(struct buf *b, const struct series_push *p, const char *v)
{
    if (p->value_is_number)
        buf_addf(b, "CAST(%s AS float8) AS v", v);
    else
        buf_addf(b, "CASE WHEN %s IS NULL THEN NULL ELSE 1.0::float8 END AS v", v);
}

/*
 * Sharded: per partition, one row per (group, day) with the sum and count
 * of the values and the count of rows, in SQL postgres_fdw sends whole to
 * the shard (the day of a text is its first 10 characters when it matches
 * rfm_push_valid_iso; of a date or timestamp, its date); the day is the
 * grouping key, computed once a row, and the rows without one fall into a
 * cell of their own. The coordinator sums the cells into (group, period)
 * as the one-server query returns them.
 */
static char *
sharded_sql(const struct series_push *p, const char *d, const char *v, const char *g)
{
    struct buf b = BUF_INIT;
    buf_adds(&b, "SELECT g, p, sum(s) FILTER (WHERE d IS NOT NULL), "
                 "coalesce(sum(n) FILTER (WHERE d IS NOT NULL), 0), "
                 "coalesce(sum(a) FILTER (WHERE d IS NULL), 0), "
                 "coalesce(sum(a - n) FILTER (WHERE d IS NOT NULL), 0) FROM (SELECT g, d, s, n, a, "
                 "CASE WHEN d IS NOT NULL THEN ");
    period_sql(&b, p->period);
    buf_adds(&b, " END AS p FROM (SELECT g, d, d * 86400.0::float8 AS t, s, n, a FROM (SELECT g, ");
    if (p->date_is_text) {
        rfm_push_iso_day(&b, "k");
        buf_adds(&b, " AS d, ");
    } else
        buf_adds(&b, "k AS d, ");
    buf_adds(&b, "s, n, a FROM (");
    for (int i = 0; i < p->n_leaves; i++) {
        buf_adds(&b, i ? " UNION ALL SELECT " : "SELECT ");
        buf_adds(&b, "g, k, sum(v) AS s, count(v) AS n, count(*) AS a FROM (SELECT ");
        if (g)
            buf_addf(&b, "%s AS g, ", g);
        else
            buf_adds(&b, "0 AS g, ");
        if (p->date_is_text)
            buf_addf(&b, "CASE WHEN %s ~ %s THEN left(%s, 10) END AS k, ", d, rfm_push_valid_iso(),
                     d);
        else /* a timestamptz's date depends on the zone: then the coordinator groups */
            buf_addf(&b, "CAST(%s AS date) - DATE '1970-01-01' AS k, ", d);
        value_sql(&b, p, v);
        buf_addf(&b, " FROM %s) AS r GROUP BY g, k", p->leaves[i]);
    }
    buf_addf(&b, ") AS u) AS y) AS w) AS x GROUP BY g, p ORDER BY g%s, p",
             g ? rfm_push_collate(p->by_kind) : "");
    return buf_detach(&b);
}

char *
series_push_sql(const struct series_push *p)
{
    struct buf b = BUF_INIT;
    char *d = pg_ident(p->date), *v = pg_ident(p->value), *g = p->by ? pg_ident(p->by) : NULL;
    if (p->n_leaves > 0) {
        char *sql = sharded_sql(p, d, v, g);
        free(d);
        free(v);
        free(g);
        return sql;
    }
    buf_adds(&b, "SELECT g, p, sum(v) FILTER (WHERE ok), count(*) FILTER (WHERE ok), "
                 "count(*) FILTER (WHERE t IS NULL), "
                 "count(*) FILTER (WHERE t IS NOT NULL AND v IS NULL) FROM (");
    buf_adds(&b, "SELECT g, t, v, t IS NOT NULL AND v IS NOT NULL AS ok, CASE WHEN t IS NOT NULL "
                 "THEN ");
    period_sql(&b, p->period);
    /* OFFSET 0 keeps the innermost select a subquery of its own: PostgreSQL would
       otherwise copy t's expression into every place that names t */
    buf_adds(&b, " END AS p FROM (SELECT ");
    if (g)
        buf_addf(&b, "%s AS g, ", g);
    else
        buf_adds(&b, "0 AS g, ");
    rfm_push_time_col(&b, d, p->date_is_text, 1);
    value_sql(&b, p, v);
    buf_addf(&b, " FROM %s OFFSET 0) AS r) AS s GROUP BY g, p ORDER BY g%s, p", p->relation,
             g ? rfm_push_collate(p->by_kind) : "");
    free(d);
    free(v);
    free(g);
    return buf_detach(&b);
}

int
series_push_row(struct series_push_acc *a, const struct series_push *p, int n,
                const char *const *vals, struct qerr *err)
{
    double cnt, no_date, no_value, idx = 0, sum = 0;
    if (n != 6 || rfm_push_num(vals[3], &cnt) < 0 || rfm_push_num(vals[4], &no_date) < 0 ||
        rfm_push_num(vals[5], &no_value) < 0 ||
        (cnt > 0 && (rfm_push_num(vals[1], &idx) < 0 || rfm_push_num(vals[2], &sum) < 0)))
        return qerr_set(err, QE_DATA, "series: the server's per-period row is not as asked");
    if (!vals[0]) { /* the rows without a group */
        a->n_no_group += (long long)(cnt + no_date + no_value);
        return 0;
    }
    a->n_bad_date += (long long)no_date;
    a->n_no_value += (long long)no_value;
    if (p->by && (a->n_groups == 0 || strcmp(a->key[a->n_groups - 1], vals[0]) != 0)) {
        if (a->n_groups == a->gcap) {
            a->gcap = a->gcap ? 2 * a->gcap : 256;
            a->key = xrealloc(a->key, (size_t)a->gcap * sizeof *a->key);
        }
        a->key[a->n_groups++] = xstrdup(vals[0]);
    }
    if (cnt <= 0)
        return 0;
    if (a->n == a->cap) {
        a->cap = a->cap ? 2 * a->cap : 1024;
        a->group = xrealloc(a->group, (size_t)a->cap * sizeof *a->group);
        a->t = xrealloc(a->t, (size_t)a->cap * sizeof *a->t);
        a->value = xrealloc(a->value, (size_t)a->cap * sizeof *a->value);
    }
    long long i = a->n++;
    a->group[i] = p->by ? a->n_groups - 1 : 0;
    a->t[i] = (double)series_period_start((long long)idx, p->period) * DATETIME_DAY;
    a->value[i] = p->agg == SERIES_MEAN ? sum / cnt : p->agg == SERIES_COUNT ? cnt : sum;
    a->n_used += (long long)cnt;
    return 0;
}

void
series_push_acc_release(struct series_push_acc *a)
{
    for (int i = 0; i < a->n_groups; i++)
        free(a->key[i]);
    free(a->key);
    free(a->group);
    free(a->t);
    free(a->value);
    memset(a, 0, sizeof *a);
}

void
series_push_input(const struct series_push_acc *a, const struct series_push *p,
                  struct series_in *in)
{
    in->n_rows = a->n;
    in->group = p->by ? a->group : NULL;
    in->n_groups = p->by ? a->n_groups : 1;
    in->t = a->t;
    in->value = a->value;
    /* one row per cell holding its value: a mean of one is itself, a count is summed */
    in->agg = p->agg == SERIES_COUNT ? SERIES_SUM : p->agg;
}

void
series_push_counts(const struct series_push_acc *a, struct series_out *o)
{
    o->n_used = a->n_used;
    o->n_no_group = a->n_no_group;
    o->n_bad_date = a->n_bad_date;
    o->n_no_value = a->n_no_value;
}
