/*
 * test_sequences.c: the cut of src/prep/sequences.c on logs worked out by
 * hand: tokens, counts, recency, the label; a planted leak (events after
 * the cut that reveal the label) that no feature sees; holdout's two cuts;
 * the default cut.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "base/datetime.h"
#include "prep/sequences.h"
#include "prep/sessions.h"

#define DAY 86400.0
#define HOUR 3600.0
#define MAXN 32

struct log {
    int n;
    int32_t user[MAXN], item[MAXN];
    double t[MAXN];
    signed char kind[MAXN];
};

static void
add(struct log *l, int user, double t, int kind, int item)
{
    l->user[l->n] = user;
    l->t[l->n] = t;
    l->kind[l->n] = (signed char)kind;
    l->item[l->n] = item;
    l->n++;
}

static struct sequences_in
input(const struct log *l, double cut, int maxlen)
{
    struct sequences_in in = {.n_rows = l->n, .user = l->user, .n_users = 3, .t = l->t,
                              .kind = l->kind, .item = l->item, .cut = cut,
                              .horizon = 7 * DAY, .window = 30 * DAY, .maxlen = maxlen,
                              .target = SESSIONS_PURCHASE, .gap = 1800};
    return in;
}

/*
 * User 0: view d1 10:00, cart d1 10:30, view d5 09:00 (item 2), cart d5 20:00,
 * cut d10: counts view 2 cart 2, events 4, items {1, 2} = 2, days 2,
 * recency (d10 - d5 20:00) = 4 d 4 h = 4.1667 d, tenure 9 d - 10 h.
 * Tokens (1 + kind + 5 x bucket): view first -> 1 + 0 + 15 = 16; cart
 * after 30 min -> 2; view after ~3.9 d -> 1 + 10 = 11; cart after 11 h
 * -> 2 + 5 = 7; maxlen 6: 0 0 16 2 11 7.
 * User 1: one view at d2, a purchase at d12 (within 7 d of the cut): label 1.
 * User 2: only events after the cut: no row.
 */
static void
base_log(struct log *l)
{
    memset(l, 0, sizeof *l);
    add(l, 0, 1 * DAY + 10 * HOUR, SESSIONS_VIEW, 1);
    add(l, 1, 2 * DAY, SESSIONS_VIEW, 3);
    add(l, 0, 1 * DAY + 10.5 * HOUR, SESSIONS_CART, 1);
    add(l, 0, 5 * DAY + 9 * HOUR, SESSIONS_VIEW, 2);
    add(l, 0, 5 * DAY + 20 * HOUR, SESSIONS_CART, 2);
    add(l, 1, 12 * DAY, SESSIONS_PURCHASE, 3);
    add(l, 2, 11 * DAY, SESSIONS_VIEW, 1);
}

static void
test_hand(void)
{
    struct log l;
    base_log(&l);
    struct sequences_in in = input(&l, 10 * DAY, 6);
    struct sequences_out o;
    struct qerr err = QERR_INIT;
    CHECK_OK(sequences_compute(&in, &o, &err), err);
    CHECK_INT(o.n, 2);
    CHECK_INT(o.user[0], 0);
    CHECK_INT(o.user[1], 1);
    CHECK_NEAR(o.count[SEQ_VIEWS][0], 2, 0);
    CHECK_NEAR(o.count[SEQ_CARTS][0], 2, 0);
    CHECK_NEAR(o.events[0], 4, 0);
    CHECK_NEAR(o.items[0], 2, 0);
    CHECK_NEAR(o.active_days[0], 2, 0);
    CHECK_NEAR(o.recency_days[0], 4 + 4 / 24.0, 1e-12);
    CHECK_NEAR(o.tenure_days[0], 9 - 10 / 24.0, 1e-12);
    double want[6] = {0, 0, 16, 2, 11, 7};
    for (int j = 0; j < 6; j++)
        CHECK_NEAR(o.seq[j][0], want[j], 0);
    CHECK_NEAR(o.label[0], 0, 0);
    CHECK_NEAR(o.label[1], 1, 0);
    CHECK_NEAR(o.seq[5][1], 16, 0);
    CHECK_INT(o.n_positive, 1);
    CHECK(o.behaviour[0] != NULL);
    sequences_out_release(&o);
    /* maxlen 2 keeps the last two: 11 7 */
    in.maxlen = 2;
    CHECK_OK(sequences_compute(&in, &o, &err), err);
    CHECK_NEAR(o.seq[0][0], 11, 0);
    CHECK_NEAR(o.seq[1][0], 7, 0);
    sequences_out_release(&o);
    /* a window of 5 days from d10 holds the d5 events only; recency the same */
    in.maxlen = 6;
    in.window = 5 * DAY;
    CHECK_OK(sequences_compute(&in, &o, &err), err);
    CHECK_NEAR(o.events[0], 2, 0);
    CHECK_NEAR(o.seq[4][0], 11, 0);
    CHECK_NEAR(o.seq[3][0], 0, 0);
    CHECK_INT(o.n, 1); /* user 1's only earlier event, d2, is out of the window */
    sequences_out_release(&o);
}

/*
 * The leak: the same log plus, for user 0, a purchase one second after the
 * cut, a cart exactly at the cut and views after: the label turns 1, every
 * feature stays as it was.
 */
static void
test_leak(void)
{
    struct log a, b;
    base_log(&a);
    base_log(&b);
    add(&b, 0, 10 * DAY, SESSIONS_CART, 5);
    add(&b, 0, 10 * DAY + 1, SESSIONS_PURCHASE, 5);
    add(&b, 0, 10 * DAY + 60, SESSIONS_VIEW, 6);
    add(&b, 0, 20 * DAY, SESSIONS_PURCHASE, 6);
    struct sequences_in ia = input(&a, 10 * DAY, 6), ib = input(&b, 10 * DAY, 6);
    struct sequences_out oa, ob;
    struct qerr err = QERR_INIT;
    CHECK_OK(sequences_compute(&ia, &oa, &err), err);
    CHECK_OK(sequences_compute(&ib, &ob, &err), err);
    CHECK_INT(ob.n, oa.n);
    CHECK_NEAR(oa.label[0], 0, 0);
    CHECK_NEAR(ob.label[0], 1, 0);
    int differ = 0;
    for (long long r = 0; r < oa.n; r++) {
        for (int k = 0; k < SEQ_N_KINDS; k++)
            differ += oa.count[k][r] != ob.count[k][r];
        differ += oa.events[r] != ob.events[r] || oa.items[r] != ob.items[r];
        differ += oa.active_days[r] != ob.active_days[r];
        differ += oa.recency_days[r] != ob.recency_days[r];
        differ += oa.tenure_days[r] != ob.tenure_days[r];
        differ += strcmp(oa.behaviour[r], ob.behaviour[r]) != 0;
        for (int j = 0; j < 6; j++)
            differ += oa.seq[j][r] != ob.seq[j][r];
    }
    CHECK_INT(differ, 0);
    sequences_out_release(&oa);
    sequences_out_release(&ob);
}

/* holdout: train rows cut at d10 - 7d = d3, test rows at d10; the default cut. */
static void
test_holdout(void)
{
    struct log l;
    base_log(&l);
    struct sequences_in in = input(&l, 10 * DAY, 6);
    in.holdout = 1;
    struct sequences_out o;
    struct qerr err = QERR_INIT;
    CHECK_OK(sequences_compute(&in, &o, &err), err);
    CHECK_NEAR(o.cut[0], 3 * DAY, 0);
    CHECK_NEAR(o.cut[1], 10 * DAY, 0);
    /* d3: user 0 (2 events on d1), user 1 (d2, label 0: the purchase is d12) */
    CHECK_INT(o.n, 4);
    CHECK_INT(o.test[0] + o.test[1], 0);
    CHECK_INT(o.test[2] + o.test[3], 2);
    CHECK_NEAR(o.events[0], 2, 0);
    CHECK_NEAR(o.label[1], 0, 0);
    CHECK_NEAR(o.label[3], 1, 0);
    sequences_out_release(&o);
    /* default: the last event is d12 00:00, minus 7 d = d5, to the day */
    in = input(&l, NAN, 6);
    CHECK_OK(sequences_compute(&in, &o, &err), err);
    CHECK_NEAR(o.cut[0], 5 * DAY, 0);
    sequences_out_release(&o);
    /* a cut before every event */
    in = input(&l, 0, 6);
    CHECK_INT(sequences_compute(&in, &o, &err), -1);
    CHECK_HAS(err.msg, "before the cut");
    qerr_clear(&err);
}

int
main(void)
{
    CHECK_INT(sequences_token(SESSIONS_PURCHASE, NAN), 19);
    CHECK_INT(sequences_token(SESSIONS_WISHLIST, 3 * DAY), 13);
    test_hand();
    test_leak();
    test_holdout();
    return check_done("test_sequences");
}
