/*
 * event_log.h: an event log's usable rows bucketed by user, each user's
 * events in time order (ties in row order), for sessions and sequences.
 *
 * A row is usable when it has a user (id >= 0), a time (not NaN) and an
 * event kind (>= 0); the others are counted by what they lack.
 */
#ifndef QUARRY_EVENT_LOG_H
#define QUARRY_EVENT_LOG_H

#include <stdint.h>

#include "base/qerr.h"
#include "base/tick.h"

/* One usable event: its time and its row in the input. */
struct ev {
    double t;
    long long row;
};

/* What a log's rows came to: the usable events, and the other rows by what they lack. */
struct event_counts {
    long long n_events, n_no_user, n_bad_time, n_no_event;
};

/* 0 when some event is usable; else QE_DATA, the message giving the three other counts. */
int event_counts_check(const struct event_counts *n, struct qerr *err);

struct event_log {
    long long *start; /* user u's events are ev[start[u]] .. ev[start[u + 1] - 1] */
    struct ev *ev;    /* n.n_events of them, then one with row -1 (an end mark) */
    struct event_counts n; /* set also when the build fails */
    double t_lo, t_hi; /* the earliest and latest usable time */
};

/*
 * Bucket the n_rows rows (user ids below n_users, times t, kinds kind) into
 * lg, ticking tk (may be NULL) over the passes and the sorts; `what` names
 * the caller in the out-of-memory messages. 0, or -1 with err set (lg then
 * holds nothing to release): QE_DATA when no row is usable (the message
 * gives the three counts), QE_INTERRUPT, QE_NOMEM.
 */
int event_log_build(const int32_t *user, const double *t, const signed char *kind,
                    long long n_rows, int n_users, const char *what, struct tick *tk,
                    struct event_log *lg, struct qerr *err);

/* Free what event_log_build allocated (lg may be all zero). */
void event_log_release(struct event_log *lg);

#endif
