/*
 * sessions_push.h: sessions pushed down to PostgreSQL. One plain SQL
 * query cuts each user's events into sessions on the server (window
 * functions: a new session after a pause longer than gap), sums each
 * user's sessions (events of each kind, sessions, their total length,
 * browsing sessions and the views in them, purchase sessions and how
 * many of those start in the busiest hour of the day) and counts the
 * rows skipped for each reason with the rules of prep/sessions.h; only
 * one row per user comes back, and one more with the skip counts and
 * the log's first and last event. The per-user columns, behaviour and
 * groups are then those sessions_compute gives (sessions_set_user,
 * sessions_groups), users in ascending key order (numbers numerically,
 * text by byte order: COLLATE "C"), as groups.h numbers them locally.
 */
#ifndef QUARRY_SESSIONS_PUSH_H
#define QUARRY_SESSIONS_PUSH_H

#include "base/qerr.h"
#include "prep/sessions.h"

/* The remote event log and the gap. */
struct sessions_push {
    const char *relation;   /* "schema"."table", quoted */
    const char *user, *time, *event; /* column names, unquoted */
    int user_kind;          /* 0 text, 1 integer, 2 real */
    int time_is_text;       /* ISO 8601 text (rfm_push_time); else a date or timestamp */
    double gap;             /* seconds */
};

/* The query, malloc'd. */
char *sessions_push_sql(const struct sessions_push *p);

/* The per-user rows as they come back. */
struct sessions_push_acc {
    int n, cap;
    char **key;             /* user keys as text, ascending */
    double *v;              /* 11 numbers a user: views, carts, wishlists, purchases,
                               sessions, total length, browse sessions, views in them,
                               purchase sessions, peak hour's purchase sessions, events */
    int have_totals;
    double t_lo, t_hi;
    struct event_counts counts; /* n_events 0: the users' rows add them */
    long long n_other;
    char *other;            /* an event name of another kind, or NULL */
};

/* Take one row of sessions_push_sql's result (19 columns). QE_DATA on a malformed row. */
int sessions_push_row(struct sessions_push_acc *a, int n, const char *const *vals,
                      struct qerr *err);
void sessions_push_acc_release(struct sessions_push_acc *a);

/*
 * Fill o as sessions_compute would from the same events; o->user[i]
 * indexes a->key. QE_DATA when no event is usable, QE_NOMEM, QE_INTERRUPT.
 */
int sessions_push_finish(const struct sessions_push_acc *a, struct sessions_out *o,
                         int (*progress)(void *pctx, double fraction), void *pctx,
                         struct qerr *err);

#endif
