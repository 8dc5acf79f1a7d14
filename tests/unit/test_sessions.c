/*
 * test_sessions.c: event names, the behaviour rule on hand-made feature
 * values, and sessions_compute on a tiny log worked by hand: session
 * cuts at the gap, counts, lengths, rates, groups and skipped rows.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "prep/sessions.h"

static void
test_kind(void)
{
    CHECK_INT(sessions_kind("view"), SESSIONS_VIEW);
    CHECK_INT(sessions_kind("VIEW"), SESSIONS_VIEW);
    CHECK_INT(sessions_kind("addtocart"), SESSIONS_CART);
    CHECK_INT(sessions_kind("wishlist"), SESSIONS_WISHLIST);
    CHECK_INT(sessions_kind("transaction"), SESSIONS_PURCHASE);
    CHECK_INT(sessions_kind("search"), SESSIONS_OTHER);
    CHECK_INT(sessions_kind(NULL), SESSIONS_OTHER);
}

static void
test_rule(void)
{
    /* views, wishlists, browse sessions, views in them, months, purchase sessions, peak */
    CHECK_STR(sessions_behaviour(20, 5, 8, 20, 6, 0, 0), "preference-driven");
    CHECK_STR(sessions_behaviour(40, 3, 8, 20, 6, 0, 0), "simple"); /* 3 < 0.1 x 40 */
    CHECK_STR(sessions_behaviour(10, 1, 0, 0, 6, 4, 1), "deterministic");
    CHECK_STR(sessions_behaviour(10, 0, 4, 4, 6, 4, 1), "deterministic");
    CHECK_STR(sessions_behaviour(20, 0, 6, 9, 6, 0, 0), "habitual");   /* 1.5 a session, 1/month */
    CHECK_STR(sessions_behaviour(20, 0, 12, 18, 6, 0, 0), "simple");   /* 2 a month */
    CHECK_STR(sessions_behaviour(30, 0, 12, 24, 6, 0, 0), "simple");   /* 2 views a session */
    CHECK_STR(sessions_behaviour(30, 0, 12, 24, 6, 5, 3), "habitual"); /* 3 of 5 at one hour */
    CHECK_STR(sessions_behaviour(30, 0, 12, 24, 6, 5, 2), "simple");
    CHECK_STR(sessions_behaviour(30, 0, 12, 30, 6, 5, 5), "simple");   /* 2.5 views a session */
}

static void
test_compute(void)
{
    /*
     * user 0: view 0, view 60, cart 120, purchase 180 | gap 3820 | view
     * 4000, wishlist 4100: two sessions (180 s and 100 s), one browsing
     * with one view. user 1: a view at 50 and an unknown event at 70.
     * Then rows without a user, a time and an event.
     */
    const int32_t user[] = {0, 1, 0, 0, 0, 0, 0, 1, -1, 1, 1};
    const double t[] = {60, 50, 0, 120, 180, 4100, 4000, 70, 10, NAN, 80};
    const signed char kind[] = {SESSIONS_VIEW, SESSIONS_VIEW, SESSIONS_VIEW, SESSIONS_CART,
                                SESSIONS_PURCHASE, SESSIONS_WISHLIST, SESSIONS_VIEW,
                                SESSIONS_OTHER, SESSIONS_VIEW, SESSIONS_VIEW, -1};
    struct sessions_in in = {.n_rows = 11, .user = user, .n_users = 2, .t = t, .kind = kind,
                             .gap = 1800};
    struct sessions_out o;
    struct qerr err = QERR_INIT;
    CHECK_INT(sessions_compute(&in, &o, &err), 0);
    CHECK_INT(o.n, 2);
    CHECK_INT(o.counts.n_events, 8);
    CHECK_INT(o.counts.n_no_user, 1);
    CHECK_INT(o.counts.n_bad_time, 1);
    CHECK_INT(o.counts.n_no_event, 1);
    CHECK_INT(o.n_other, 1);
    CHECK_NEAR(o.months, 1 / 30.4375, 1e-12); /* the span is under a day */
    CHECK_INT(o.count[SESSIONS_VIEW][0], 3);
    CHECK_INT(o.count[SESSIONS_CART][0], 1);
    CHECK_INT(o.count[SESSIONS_WISHLIST][0], 1);
    CHECK_INT(o.count[SESSIONS_PURCHASE][0], 1);
    CHECK_INT(o.sessions[0], 2);
    CHECK_INT(o.browse_sessions[0], 1);
    CHECK_NEAR(o.session_seconds[0], 140, 1e-9);
    CHECK_NEAR(o.cart_to_purchase[0], 1, 1e-12);
    CHECK_NEAR(o.views_per_browse[0], 1, 1e-12);
    CHECK_STR(o.behaviour[0], "deterministic");
    CHECK_INT(o.purchase_sessions[0], 1);
    CHECK_NEAR(o.peak_hour_share[0], 1, 0);
    CHECK(isnan(o.peak_hour_share[1]));
    CHECK_INT(o.count[SESSIONS_VIEW][1], 1);
    CHECK_INT(o.sessions[1], 1);
    CHECK_NEAR(o.session_seconds[1], 20, 1e-9);
    CHECK(isnan(o.cart_to_purchase[1]));
    CHECK_NEAR(o.browse_per_month[1], 30.4375, 1e-9);
    /* groups: the positive counts are all 1, so their upper quartile is 1 */
    CHECK_INT(o.group[SESSIONS_TRANSACTED][0], 1);
    CHECK_INT(o.group[SESSIONS_TRANSACTED][1], 0);
    CHECK_INT(o.group[SESSIONS_HIGH_TURNOVER][0], 1);
    CHECK_INT(o.group[SESSIONS_MANY_WISHLISTS][0], 1);
    CHECK_INT(o.group[SESSIONS_CARTED][1], 0);
    CHECK_INT(o.group[SESSIONS_MANY_CARTS][1], 0);
    sessions_out_release(&o);

    /* a gap of 3900 s joins user 0's two sessions */
    in.gap = 3900;
    CHECK_INT(sessions_compute(&in, &o, &err), 0);
    CHECK_INT(o.sessions[0], 1);
    CHECK_NEAR(o.session_seconds[0], 4100, 1e-9);
    CHECK_INT(o.browse_sessions[0], 0);
    sessions_out_release(&o);

    const int32_t nobody[] = {-1};
    struct sessions_in none = {.n_rows = 1, .user = nobody, .n_users = 0, .t = t,
                               .kind = kind, .gap = 60};
    CHECK_INT(sessions_compute(&none, &o, &err), -1);
    CHECK_HAS(err.msg, "rows without a user: 1,");
    qerr_clear(&err);
}

static void
test_quartile(void)
{
    /* purchases 0, 2, 4, 6, 8 over five users: positive 2, 4, 6, 8 -> q75 = 6.5 */
    const int32_t user[] = {0, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4};
    double t[21];
    signed char kind[21];
    for (int i = 0; i < 21; i++) {
        t[i] = i * 10;
        kind[i] = user[i] == 0 ? SESSIONS_VIEW : SESSIONS_PURCHASE;
    }
    struct sessions_in in = {.n_rows = 21, .user = user, .n_users = 5, .t = t, .kind = kind,
                             .gap = 1800};
    struct sessions_out o;
    struct qerr err = QERR_INIT;
    CHECK_INT(sessions_compute(&in, &o, &err), 0);
    CHECK_NEAR(o.threshold[SESSIONS_HIGH_TURNOVER], 6.5, 1e-12);
    CHECK_INT(o.group[SESSIONS_HIGH_TURNOVER][3], 0);
    CHECK_INT(o.group[SESSIONS_HIGH_TURNOVER][4], 1);
    sessions_out_release(&o);
}

int
main(void)
{
    test_kind();
    test_rule();
    test_compute();
    test_quartile();
    return check_done("test_sessions");
}
