/*
 * event_log.c: an event log bucketed by user, in time order (event_log.h).
 * A counting pass sizes each user's bucket, a second fills the buckets in
 * row order, and each bucket not already in time order is sorted (stably
 * by time, then row).
 */
#include "prep/event_log.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

#include "base/banned.h"

static int
cmp_ev(const void *a, const void *b)
{
    const struct ev *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return (x->row > y->row) - (x->row < y->row);
}

void
event_log_release(struct event_log *lg)
{
    free(lg->start);
    free(lg->ev);
    lg->start = NULL;
    lg->ev = NULL;
}

int
event_counts_check(const struct event_counts *n, struct qerr *err)
{
    if (n->n_events > 0)
        return 0;
    return qerr_set(err, QE_DATA,
                    "no event can be used (rows without a user: %lld, without a time: %lld, "
                    "without an event: %lld)",
                    n->n_no_user, n->n_bad_time, n->n_no_event);
}

int
event_log_build(const int32_t *user, const double *t, const signed char *kind,
                long long n_rows, int n_users, const char *what, struct tick *tk,
                struct event_log *lg, struct qerr *err)
{
    memset(lg, 0, sizeof *lg);
    lg->t_lo = INFINITY;
    lg->t_hi = -INFINITY;
    size_t nu = (size_t)n_users + 1;
    long long *fill = NULL;
    lg->start = mem_calloc(nu + 1, sizeof *lg->start, what, "users", err);
    if (!lg->start)
        goto fail;
    for (long long r = 0; r < n_rows; r++) {
        if (tick_row(tk, r, n_rows))
            goto cancel;
        if (user[r] < 0)
            lg->n.n_no_user++;
        else if (isnan(t[r]))
            lg->n.n_bad_time++;
        else if (kind[r] < 0)
            lg->n.n_no_event++;
        else {
            lg->start[user[r] + 1]++;
            lg->n.n_events++;
            lg->t_lo = t[r] < lg->t_lo ? t[r] : lg->t_lo;
            lg->t_hi = t[r] > lg->t_hi ? t[r] : lg->t_hi;
        }
    }
    if (event_counts_check(&lg->n, err) < 0)
        goto fail;
    for (int u = 0; u < n_users; u++)
        lg->start[u + 1] += lg->start[u];
    lg->ev = mem_alloc((size_t)lg->n.n_events + 1, sizeof *lg->ev, what, "events", err);
    fill = mem_alloc(nu, sizeof *fill, what, "users", err);
    if (!lg->ev || !fill)
        goto fail;
    memcpy(fill, lg->start, nu * sizeof *fill);
    for (long long r = 0; r < n_rows; r++) {
        if (tick_row(tk, r, n_rows))
            goto cancel;
        if (user[r] >= 0 && !isnan(t[r]) && kind[r] >= 0)
            lg->ev[fill[user[r]]++] = (struct ev){t[r], r};
    }
    lg->ev[lg->n.n_events].row = -1;
    for (int u = 0; u < n_users; u++) {
        long long a = lg->start[u], b = lg->start[u + 1], e = a + 1;
        while (e < b && lg->ev[e].t >= lg->ev[e - 1].t)
            e++;
        /* one user may hold every event: the sort ticks inside too */
        if (e < b && tick_sort(lg->ev + a, (size_t)(b - a), sizeof *lg->ev, cmp_ev, tk, what,
                               err) < 0)
            goto fail;
    }
    free(fill);
    return 0;
cancel:
    tick_fail(err);
fail:
    free(fill);
    event_log_release(lg);
    return -1;
}
