/*
 * sessions_push.c: sessions' per-user sums as one PostgreSQL query, then
 * the local columns, behaviour and groups (sessions_push.h).
 */
#include "remote/sessions_push.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/datetime.h"
#include "base/mem.h"
#include "remote/pg.h"
#include "remote/rfm_push.h"
#include "base/banned.h"

#define N_VALS 11

char *
sessions_push_sql(const struct sessions_push *p)
{
    struct buf b = BUF_INIT;
    char *u = pg_ident(p->user), *t = pg_ident(p->time), *e = pg_ident(p->event);
    buf_addf(&b, "WITH e AS (SELECT %s AS u, ", u);
    rfm_push_time_col(&b, t, p->time_is_text, 1);
    /* the kinds of sessions_kind: 0 view, 1 cart, 2 wishlist, 3 purchase, 4 other */
    buf_addf(&b, "%1$s AS name, CASE WHEN %1$s IS NULL THEN NULL "
                 "WHEN lower(%1$s) IN ('view', 'pageview') THEN 0 "
                 "WHEN lower(%1$s) IN ('cart', 'addtocart', 'add_to_cart') THEN 1 "
                 "WHEN lower(%1$s) IN ('wishlist', 'addtowishlist', 'add_to_wishlist') THEN 2 "
                 "WHEN lower(%1$s) IN ('purchase', 'transaction', 'order', 'buy') THEN 3 "
                 "ELSE 4 END AS k FROM %2$s), ",
             e, p->relation);
    /* a session starts where the pause to the user's previous event passes gap; among
       events at the same second the one that starts a session sorts first (s DESC) */
    buf_addf(&b, "x AS (SELECT u, t, k, CASE WHEN t - lag(t) OVER (PARTITION BY u ORDER BY t) "
                 "<= %.17g THEN 0 ELSE 1 END AS s FROM e WHERE u IS NOT NULL AND t IS NOT NULL "
                 "AND k IS NOT NULL), ",
             p->gap);
    buf_adds(&b, "y AS (SELECT u, t, k, sum(s) OVER (PARTITION BY u ORDER BY t, s DESC ROWS "
                 "UNBOUNDED PRECEDING) AS sid FROM x), "
                 "z AS (SELECT u, sid, min(t) AS t0, max(t) AS t1, "
                 "count(*) FILTER (WHERE k = 0) AS v, count(*) FILTER (WHERE k = 1) AS c, "
                 "count(*) FILTER (WHERE k = 2) AS w, count(*) FILTER (WHERE k = 3) AS p, "
                 "count(*) AS n FROM y GROUP BY u, sid), "
                 "h AS (SELECT u, max(n) AS peak FROM (SELECT u, floor((t0 - floor(t0 / 86400) "
                 "* 86400) / 3600) AS hr, count(*) AS n FROM z WHERE p > 0 GROUP BY u, hr) AS q "
                 "GROUP BY u), "
                 "a AS (SELECT z.u, sum(v) AS v, sum(c) AS c, sum(w) AS w, sum(p) AS p, "
                 "count(*) AS s, sum(t1 - t0) AS len, count(*) FILTER (WHERE p = 0) AS b, "
                 "coalesce(sum(v) FILTER (WHERE p = 0), 0) AS vb, "
                 "count(*) FILTER (WHERE p > 0) AS ps, coalesce(max(h.peak), 0) AS peak, "
                 "sum(n) AS n FROM z LEFT JOIN h ON h.u = z.u GROUP BY z.u) "
                 "SELECT * FROM (SELECT u, v, c, w, p, s, len, b, vb, ps, peak, n, NULL::bigint "
                 "AS no_user, NULL::bigint AS no_time, NULL::bigint AS no_event, NULL::bigint AS "
                 "other, NULL::float8 AS t_lo, NULL::float8 AS t_hi, NULL::text AS other_name "
                 "FROM a UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
                 "NULL, NULL, NULL, count(*) FILTER (WHERE u IS NULL), "
                 "count(*) FILTER (WHERE u IS NOT NULL AND t IS NULL), "
                 "count(*) FILTER (WHERE u IS NOT NULL AND t IS NOT NULL AND k IS NULL), "
                 "count(*) FILTER (WHERE u IS NOT NULL AND t IS NOT NULL AND k = 4), "
                 "min(t) FILTER (WHERE u IS NOT NULL AND k IS NOT NULL), "
                 "max(t) FILTER (WHERE u IS NOT NULL AND k IS NOT NULL), "
                 "min(name) FILTER (WHERE k = 4) FROM e) AS r ");
    buf_addf(&b, "ORDER BY u%s NULLS LAST", rfm_push_collate(p->user_kind));
    free(u);
    free(t);
    free(e);
    return buf_detach(&b);
}

int
sessions_push_row(struct sessions_push_acc *a, int n, const char *const *vals, struct qerr *err)
{
    if (n != 19)
        return qerr_set(err, QE_DATA, "sessions: the server's per-user row is not as asked");
    if (!vals[0]) { /* the totals */
        double x[4];
        for (int j = 0; j < 4; j++)
            if (rfm_push_num(vals[12 + j], &x[j]) < 0)
                return qerr_set(err, QE_DATA, "sessions: the server's totals are not as asked");
        a->counts.n_no_user = (long long)x[0];
        a->counts.n_bad_time = (long long)x[1];
        a->counts.n_no_event = (long long)x[2];
        a->n_other = (long long)x[3];
        a->t_lo = vals[16] ? strtod(vals[16], NULL) : NAN;
        a->t_hi = vals[17] ? strtod(vals[17], NULL) : NAN;
        free(a->other);
        a->other = vals[18] ? xstrdup(vals[18]) : NULL;
        a->have_totals = 1;
        return 0;
    }
    if (a->n == a->cap) {
        a->cap = a->cap ? 2 * a->cap : 1024;
        a->key = xrealloc(a->key, (size_t)a->cap * sizeof *a->key);
        a->v = xrealloc(a->v, (size_t)a->cap * N_VALS * sizeof *a->v);
    }
    double *v = a->v + (size_t)a->n * N_VALS;
    for (int j = 0; j < N_VALS; j++)
        if (rfm_push_num(vals[1 + j], &v[j]) < 0)
            return qerr_set(err, QE_DATA, "sessions: the server's per-user row is not as asked");
    a->key[a->n++] = xstrdup(vals[0]);
    return 0;
}

void
sessions_push_acc_release(struct sessions_push_acc *a)
{
    for (int i = 0; i < a->n; i++)
        free(a->key[i]);
    free(a->key);
    free(a->v);
    free(a->other);
    memset(a, 0, sizeof *a);
}

int
sessions_push_finish(const struct sessions_push_acc *a, struct sessions_out *o,
                     int (*progress)(void *pctx, double fraction), void *pctx, struct qerr *err)
{
    memset(o, 0, sizeof *o);
    if (!a->have_totals)
        return qerr_set(err, QE_DATA, "sessions: the server sent no totals row");
    o->counts = a->counts;
    o->n_other = a->n_other;
    for (int i = 0; i < a->n; i++)
        o->counts.n_events += (long long)a->v[(size_t)i * N_VALS + 10];
    if (event_counts_check(&o->counts, err) < 0)
        return -1;
    o->months = fmax(a->t_hi - a->t_lo, DATETIME_DAY) / (30.4375 * DATETIME_DAY);
    long long n_ev = o->counts.n_events;
    if (sessions_out_alloc(o, a->n, err) < 0)
        goto fail;
    o->counts.n_events = n_ev;
    for (int k = 0; k < a->n; k++) {
        const double *v = a->v + (size_t)k * N_VALS;
        o->user[k] = k;
        sessions_set_user(o, k, v, v[4], v[5], v[6], v[7], v[8], v[9]);
    }
    if (sessions_groups(o, progress, pctx, err) < 0)
        goto fail;
    return 0;
fail:
    sessions_out_release(o);
    return -1;
}
