/*
 * sequences.c: rows bucketed by user (a counting sort, stable), each
 * user's events sorted by time (skipped when already in order, as a log
 * usually is), then each user walked once per cut; the behaviour type
 * comes from sessions_compute over the events before the cut. The rules
 * are in sequences.h.
 */
#include "prep/sequences.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/datetime.h"
#include "base/mem.h"
#include "base/tick.h"
#include "prep/event_log.h"
#include "prep/sessions.h"

#include "base/banned.h"

int
sequences_token(int kind, double gap)
{
    int b = isnan(gap) || gap > 7 * DATETIME_DAY ? 3 : gap > DATETIME_DAY ? 2 : gap > 3600 ? 1 : 0;
    return 1 + kind + 5 * b;
}

void
sequences_out_release(struct sequences_out *o)
{
    free(o->user);
    free(o->test);
    free(o->label);
    for (int k = 0; k < SEQ_N_KINDS; k++)
        free(o->count[k]);
    free(o->events);
    free(o->items);
    free(o->active_days);
    free(o->recency_days);
    free(o->tenure_days);
    free(o->behaviour);
    for (int j = 0; o->seq && j < o->maxlen; j++)
        free(o->seq[j]);
    free(o->seq);
    memset(o, 0, sizeof *o);
}

/* The per-row arrays for up to n rows. */
static int
alloc_out(struct sequences_out *o, size_t n, int items, struct qerr *err)
{
    const char *who = "sequences", *what = "users' rows";
    int ok = (o->user = mem_alloc(n + 1, sizeof *o->user, who, what, err)) != NULL;
    ok = ok && (o->test = mem_calloc(n + 1, 1, who, what, err)) != NULL;
    ok = ok && (o->behaviour = mem_calloc(n + 1, sizeof *o->behaviour, who, what, err));
    double **cols[] = {&o->label, &o->count[0], &o->count[1], &o->count[2], &o->count[3],
                       &o->count[4], &o->events, &o->active_days, &o->recency_days,
                       &o->tenure_days, &o->items};
    int ncols = (int)(sizeof cols / sizeof cols[0]) - !items;
    for (int i = 0; ok && i < ncols; i++)
        ok = (*cols[i] = mem_calloc(n + 1, sizeof(double), who, what, err)) != NULL;
    ok = ok && (o->seq = mem_calloc((size_t)o->maxlen, sizeof *o->seq, who, what, err));
    for (int j = 0; ok && j < o->maxlen; j++)
        ok = (o->seq[j] = mem_calloc(n + 1, sizeof(double), who, what, err)) != NULL;
    return ok ? 0 : -1;
}

/* The behaviour type of each user over the events before cut (NULL: no event). */
static int
behaviours(const struct sequences_in *in, const struct ev *ev, double cut, signed char *kind,
           const char **by_user, struct qerr *err)
{
    for (long long e = 0; e < in->n_rows; e++)
        kind[e] = -1;
    for (long long e = 0; ev[e].row >= 0; e++)
        if (ev[e].t < cut)
            kind[ev[e].row] = in->kind[ev[e].row];
    struct sessions_in si = {.n_rows = in->n_rows, .user = in->user, .n_users = in->n_users,
                             .t = in->t, .kind = kind, .gap = in->gap,
                             .progress = in->progress, .pctx = in->pctx};
    struct sessions_out so;
    if (sessions_compute(&si, &so, err) < 0)
        return -1;
    for (int u = 0; u < in->n_users; u++)
        by_user[u] = NULL;
    for (int i = 0; i < so.n; i++)
        by_user[so.user[i]] = so.behaviour[i];
    sessions_out_release(&so);
    return 0;
}

/* One user's events ev[0..n) (in time order) at cut c into row r of o. */
static int
user_row(const struct sequences_in *in, const struct ev *ev, long long n, double c,
         long long r, struct sequences_out *o, int32_t *mark, int32_t stamp)
{
    long long lo = 0, hi = 0; /* the window: ev[lo..hi) */
    while (hi < n && ev[hi].t < c)
        hi++;
    lo = hi;
    while (lo > 0 && ev[lo - 1].t >= c - in->window)
        lo--;
    if (lo == hi)
        return 0;
    for (int k = 0; k < SEQ_N_KINDS; k++)
        o->count[k][r] = 0;
    long long day = -1, days = 0, items = 0;
    for (long long e = lo; e < hi; e++) {
        long long row = ev[e].row;
        o->count[in->kind[row]][r]++;
        long long d = datetime_day_of(ev[e].t);
        days += d != day;
        day = d;
        if (in->item && in->item[row] >= 0 && mark[in->item[row]] != stamp) {
            mark[in->item[row]] = stamp;
            items++;
        }
    }
    o->events[r] = (double)(hi - lo);
    o->active_days[r] = (double)days;
    if (o->items)
        o->items[r] = (double)items;
    o->recency_days[r] = (c - ev[hi - 1].t) / DATETIME_DAY;
    o->tenure_days[r] = (c - ev[0].t) / DATETIME_DAY;
    int m = o->maxlen;
    long long first = hi - lo > m ? hi - m : lo;
    for (int j = 0; j < m; j++)
        o->seq[j][r] = 0;
    for (long long e = first; e < hi; e++) {
        double gap = e > 0 ? ev[e].t - ev[e - 1].t : NAN;
        o->seq[m - (hi - e)][r] = sequences_token(in->kind[ev[e].row], gap);
    }
    double label = 0;
    for (long long e = hi; e < n && ev[e].t < c + in->horizon && !label; e++)
        label = in->kind[ev[e].row] == in->target;
    o->label[r] = label;
    return 1;
}

static int
check_args(const struct sequences_in *in, struct qerr *err)
{
    if (!(in->horizon > 0) || !(in->window > 0))
        return qerr_set(err, QE_ARG, "horizon and window must be positive durations");
    if (in->maxlen < 1 || in->maxlen > SEQUENCES_MAXLEN)
        return qerr_set(err, QE_ARG, "maxlen must be between 1 and %d, not %d",
                        SEQUENCES_MAXLEN, in->maxlen);
    return 0;
}

int
sequences_compute(const struct sequences_in *in, struct sequences_out *o, struct qerr *err)
{
    memset(o, 0, sizeof *o);
    o->maxlen = in->maxlen;
    if (check_args(in, err) < 0)
        return -1;
    size_t nu = (size_t)in->n_users + 1;
    struct event_log lg;
    signed char *kind = NULL;
    const char **beh = NULL;
    int32_t *mark = NULL, n_items = 0;
    int rc = -1;
    struct tick tk;
    tick_init(&tk, in->progress, in->pctx);
    int built = event_log_build(in->user, in->t, in->kind, in->n_rows, in->n_users, "sequences",
                                &tk, &lg, err);
    o->counts = lg.n;
    if (built < 0)
        return -1;
    const long long *start = lg.start;
    const struct ev *ev = lg.ev;
    for (long long i = 0; in->item && i < lg.n.n_events; i++)
        if (in->item[ev[i].row] >= n_items)
            n_items = in->item[ev[i].row] + 1;
    o->last = lg.t_hi;
    double cut = in->cut;
    if (isnan(cut))
        cut = (double)datetime_day_of(o->last - in->horizon) * DATETIME_DAY;
    o->n_cuts = in->holdout ? 2 : 1;
    o->cut[0] = in->holdout ? cut - in->horizon : cut;
    o->cut[1] = cut;
    kind = mem_alloc((size_t)in->n_rows + 1, 1, "sequences", "events", err);
    beh = mem_calloc(nu, sizeof *beh, "sequences", "users", err);
    mark = mem_alloc((size_t)n_items + 1, sizeof *mark, "sequences", "items", err);
    if (!kind || !beh || !mark)
        goto out;
    for (int32_t i = 0; i < n_items; i++)
        mark[i] = -1;
    if (alloc_out(o, (size_t)o->n_cuts * (size_t)in->n_users, in->item != NULL, err) < 0)
        goto out;
    for (int ci = 0; ci < o->n_cuts; ci++) {
        double c = o->cut[ci];
        if (behaviours(in, ev, c, kind, beh, err) < 0) {
            if (err->code == QE_DATA) {
                qerr_clear(err);
                qerr_set(err, QE_DATA, "no event falls before the cut");
            }
            goto out;
        }
        long long before = o->n;
        for (int u = 0; u < in->n_users; u++) {
            if (tick(&tk, (double)u / in->n_users))
                goto cancel;
            long long r = o->n;
            if (user_row(in, ev + start[u], start[u + 1] - start[u], c, r, o, mark,
                         (int32_t)r) == 0)
                continue;
            o->user[r] = u;
            o->test[r] = (unsigned char)(in->holdout && ci == 1);
            o->behaviour[r] = beh[u];
            o->n_positive += o->label[r] > 0;
            o->n++;
        }
        if (o->n == before) {
            qerr_set(err, QE_DATA, "no user has an event in the window before the cut");
            goto out;
        }
    }
    rc = 0;
    goto out;
cancel:
    tick_fail(err);
out:
    event_log_release(&lg);
    free(kind);
    free(beh);
    free(mark);
    if (rc < 0)
        sequences_out_release(o);
    return rc;
}
