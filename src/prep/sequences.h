/*
 * sequences.h: each user's event log cut at a point in time into what a
 * purchase-prediction model learns from (docs/METHODS.md C): the last
 * events before the cut as a sequence of tokens, flat per-user features
 * of the same events, and the label, whether the target event happens
 * within a horizon after the cut.
 *
 * Strictly in time. For a cut c, the features of a user see only the
 * events with t < c (the sequence and the counts those with
 * c - window <= t < c; recency and tenure every event before c; the
 * behaviour type, sessions.h's rule, the user's events before c); the
 * label sees only c <= t < c + horizon. A user gets a row when at least
 * one event falls in the window. Events are ordered by time, ties in
 * row order.
 *
 * Tokens. An event of kind k (enum sessions_event: view 0, cart 1,
 * wishlist 2, purchase 3, other 4) that follows the user's previous event
 * (before the cut, in the window or not) by a gap g is the token
 *   1 + k + 5 b,  b = 0 (g <= 1 hour), 1 (<= 1 day), 2 (<= 7 days),
 *                     3 (longer, or the user's first event)
 * (1..20); 0 pads. The sequence holds the last maxlen tokens of the
 * window, left-padded with 0: the latest event is the last position.
 *
 * Holdout: two cuts per user, c - horizon (rows marked train) and c
 * (test): the training labels end where the test features end, so a
 * model fitted on the train rows and scored on the test rows is scored
 * on a later period it never saw.
 */
#ifndef QUARRY_SEQUENCES_H
#define QUARRY_SEQUENCES_H

#include <stdint.h>

#include "base/qerr.h"
#include "prep/event_log.h"

#define SEQUENCES_VOCAB 21   /* token codes 0..20 */
#define SEQUENCES_MAXLEN 1000

struct sequences_in {
    long long n_rows;
    const int32_t *user;     /* group id per row, -1 = no user (skipped) */
    int n_users;
    const double *t;         /* seconds, NaN = no usable time (skipped) */
    const signed char *kind; /* enum sessions_event per row, -1 = no event (skipped) */
    const int32_t *item;     /* item id per row (-1 missing), or NULL: no item column */
    double cut;              /* seconds; NaN: floor to a day of (last event - horizon) */
    double horizon, window;  /* seconds */
    int maxlen;              /* 1..SEQUENCES_MAXLEN */
    int target;              /* enum sessions_event the label looks for */
    int holdout;             /* 1: a train cut at cut - horizon and a test cut at cut */
    double gap;              /* session gap for the behaviour type (sessions.h), seconds */
    int (*progress)(void *pctx, double fraction); /* tick.h; nonzero cancels; may be NULL */
    void *pctx;
};

enum { SEQ_VIEWS, SEQ_CARTS, SEQ_WISHLISTS, SEQ_PURCHASES, SEQ_OTHERS, SEQ_N_KINDS };

struct sequences_out {
    long long n;             /* rows: users with an event in the window, per cut */
    int32_t *user;           /* group id of each row; ascending within a cut */
    unsigned char *test;     /* holdout: 1 for the test cut's rows, else 0 */
    double *label;           /* 1: the target event within horizon after the cut */
    double *count[SEQ_N_KINDS]; /* events of each kind in the window */
    double *events;          /* events in the window */
    double *items;           /* distinct items in the window (NULL without items) */
    double *active_days;     /* distinct days with an event in the window */
    double *recency_days;    /* (cut - last event before the cut) / 1 day */
    double *tenure_days;     /* (cut - first event) / 1 day */
    const char **behaviour;  /* sessions' type over the events before the cut (static) */
    double **seq;            /* maxlen columns of n tokens (column-major) */
    int maxlen;
    double cut[2];           /* the cuts: [0] the only one, or train and test with holdout */
    int n_cuts;
    double last;             /* the last usable event's time */
    struct event_counts counts; /* the usable rows, and the others by what they lack */
    long long n_positive;    /* rows labelled 1 */
};

/*
 * Cut the log. QE_DATA when no row is usable, or no user has an event in
 * the window before a cut; QE_ARG for a horizon or window that is not
 * positive, a maxlen out of range; QE_NOMEM; QE_INTERRUPT when progress
 * cancels. The caller releases out.
 */
int sequences_compute(const struct sequences_in *in, struct sequences_out *out,
                      struct qerr *err);
void sequences_out_release(struct sequences_out *out);

/* The token of an event of kind k after a gap of g seconds (NaN: the first event). */
int sequences_token(int kind, double gap);

#endif
