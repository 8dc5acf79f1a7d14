/*
 * sessions.h: per-user browsing statistics from an event log: counts of
 * view, cart, wishlist and purchase events, sessions, session length,
 * cart-to-purchase rate, a behaviour type and the six customer groups of
 * docs/METHODS.md (E).
 *
 * A user's events, in time order (ties in row order), form sessions: a
 * new session starts when the gap to the previous event exceeds `gap`
 * seconds. A session holding a purchase is a purchase session, any other
 * a browsing session. The log spans `months` = (last event - first
 * event) / 30.4375 days, at least one day.
 *
 * Behaviour type, the first rule that holds (thresholds calibrated on
 * the planted browsing model of sample-data, README "Behaviour types"):
 *   preference-driven  at least 2 wishlist events and wishlists >= 0.10 x views
 *   deterministic      no browsing session, or every browsing session a
 *                      single view (views per browsing session <= 1)
 *   habitual           views per browsing session < 1.8 and browsing
 *                      sessions per month < 1.75; or at least 3 purchase
 *                      sessions, >= 60% of them starting in the same hour
 *                      of the day, and views per browsing session < 2.2
 *   simple             everyone else
 *
 * Customer groups (0/1): transacted (a purchase), carted (a cart event),
 * wishlisted (a wishlist event); many_carts, many_wishlists and
 * high_turnover (purchase events) when the user's count is positive and
 * at least the upper quartile (linear interpolation) of the positive
 * counts over all users.
 */
#ifndef QUARRY_SESSIONS_H
#define QUARRY_SESSIONS_H

#include <stdint.h>

#include "base/qerr.h"
#include "prep/event_log.h"

enum sessions_event {
    SESSIONS_VIEW,
    SESSIONS_CART,
    SESSIONS_WISHLIST,
    SESSIONS_PURCHASE,
    SESSIONS_OTHER,
};

/*
 * The event kind of a name, case-insensitive: view (also pageview),
 * cart (addtocart, add_to_cart), wishlist (addtowishlist,
 * add_to_wishlist), purchase (transaction, order, buy); anything else
 * is SESSIONS_OTHER.
 */
enum sessions_event sessions_kind(const char *name);

/*
 * The event kind of each of n_rows rows whose event names are dictionary
 * codes (code[r] into levels, -1 for a missing name, which gives -1) into
 * kind; each level is looked at once. *other gets the first level of kind
 * SESSIONS_OTHER, or NULL. Fails with QE_NOMEM only.
 */
int sessions_kinds(char *const *levels, int n_levels, const int32_t *code, long long n_rows,
                   signed char *kind, const char **other, struct qerr *err);

enum {
    SESSIONS_HIGH_TURNOVER,
    SESSIONS_CARTED,
    SESSIONS_WISHLISTED,
    SESSIONS_TRANSACTED,
    SESSIONS_MANY_CARTS,
    SESSIONS_MANY_WISHLISTS,
    SESSIONS_N_GROUPS,
};
/* Column names of the groups, in enum order. */
extern const char *const sessions_group_names[SESSIONS_N_GROUPS];

struct sessions_in {
    long long n_rows;
    const int32_t *user;     /* group id per row, -1 = no user (skipped) */
    int n_users;
    const double *t;         /* seconds, NaN = no usable time (skipped) */
    const signed char *kind; /* enum sessions_event per row, -1 = no event (skipped) */
    double gap;              /* seconds */
    int (*progress)(void *pctx, double fraction); /* tick.h; nonzero cancels; may be NULL */
    void *pctx;
};

struct sessions_out {
    int n;                   /* users with at least one usable event */
    int32_t *user;           /* their group ids, ascending */
    double *count[4];        /* views, carts, wishlists, purchases */
    double *sessions, *browse_sessions, *session_seconds, *cart_to_purchase;
    double *views_per_browse, *browse_per_month;
    double *purchase_sessions, *peak_hour_share; /* share NaN without purchase sessions */
    const char **behaviour;  /* static strings */
    double *group[SESSIONS_N_GROUPS];
    double threshold[SESSIONS_N_GROUPS]; /* the "many" cut-offs (0 for the others) */
    double months;
    struct event_counts counts; /* the rows used, and the others by what they lack */
    long long n_other;
};

/*
 * Compute the statistics. cart_to_purchase = purchase events / cart
 * events (NaN without carts); session_seconds = mean over sessions of
 * last - first event; views_per_browse NaN without browsing sessions.
 * Fails with QE_DATA when no row is usable, QE_NOMEM when the per-user
 * arrays do not fit in memory, QE_INTERRUPT when in->progress cancels.
 * The caller releases out.
 */
int sessions_compute(const struct sessions_in *in, struct sessions_out *out, struct qerr *err);
void sessions_out_release(struct sessions_out *out);

/*
 * Allocate out's per-user columns for n users (out->n = n); QE_NOMEM
 * (release out after a failure too).
 */
int sessions_out_alloc(struct sessions_out *out, int n, struct qerr *err);
/*
 * Row k of out from one user's totals: cnt[] the view, cart, wishlist
 * and purchase events, n_sess sessions whose lengths (last - first
 * event) sum to len_sum, browse of them without a purchase holding
 * views_in_browse views, purchase_sess with one, peak of those starting
 * in the busiest hour of the day; out->months must be set. Every column
 * but user and the groups.
 */
void sessions_set_user(struct sessions_out *out, int k, const double cnt[4], double n_sess,
                       double len_sum, double browse, double views_in_browse,
                       double purchase_sess, double peak);
/*
 * The six customer groups and the "many" cut-offs of out's n users from
 * their counts (out->count[], out->group[] allocated), as
 * sessions_compute sets them; for statistics gathered elsewhere (a
 * server, remote/sessions_push.h). QE_NOMEM, QE_INTERRUPT.
 */
int sessions_groups(struct sessions_out *out, int (*progress)(void *pctx, double fraction),
                    void *pctx, struct qerr *err);

/* The behaviour type from the rule above (exposed for tests). */
const char *sessions_behaviour(double views, double wishlists, double browse_sessions,
                               double views_in_browse, double months, double purchase_sessions,
                               double peak_hour_sessions);

#endif
