/*
 * recmetrics.h: offline evaluation of top-N recommendation: a hold-out
 * split of each user's items and the usual list metrics.
 *
 * The split. Pairs are distinct (user, item) pairs, as in recmat.h; a
 * pair's time is the latest time of its rows (NaN times count as the
 * earliest) and, without times, its last row's position in the table.
 * A user with two or more items holds out h of them and keeps the rest
 * for training; a user with one item keeps it and is not evaluated.
 *   last:     h = 1, the pair with the latest time (ties: the later row)
 *   share p:  h = round(p d) clamped to 1 .. d - 1 (d the user's items):
 *             the h latest pairs with times, else h drawn at random
 *             (seeded: the same seed, the same split)
 *
 * The metrics, over the evaluated users U (those holding out an item),
 * with L(u) the user's list (at most N items, in rank order), T(u) the
 * held-out items and rel_k = 1 when the item at rank k is in T(u):
 *   precision@N = mean over U of |L(u) & T(u)| / N
 *   recall@N    = mean over U of |L(u) & T(u)| / |T(u)|
 *   hit rate    = share of U with |L(u) & T(u)| >= 1
 *   MAP@N       = mean over U of AP(u),
 *                 AP(u) = sum over k <= N of P@k(u) rel_k / min(|T(u)|, N)
 *   coverage    = |union over U of L(u)| / the number of items in the catalogue
 *   diversity   = mean over the lists of U with two or more items of
 *                 1 - (mean cosine over the pairs of the list), cosine on
 *                 the training matrix (recmat_cosine, every pair exactly)
 * A short list still divides precision by N (an empty slot is a miss).
 */
#ifndef QUARRY_RECMETRICS_H
#define QUARRY_RECMETRICS_H

#include <stdint.h>

#include "base/qerr.h"
#include "base/tick.h"
#include "recommend/itemcf.h"
#include "recommend/recmat.h"

/*
 * Split the log (rows of codes as for recmat_build; time per row or NULL)
 * into train and test matrices as above: share 0 = last, else 0 < share
 * < 1. Ticks t. QE_NOMEM, QE_INTERRUPT; release both with recmat_release
 * (also after a failure).
 */
int rec_holdout(const int32_t *user, const int32_t *item, const double *time, long long n_rows,
                int n_users, int n_items, double share, uint64_t seed, struct recmat *train,
                struct recmat *test, struct tick *t, struct qerr *err);

struct rec_metrics {
    int n_users;        /* evaluated users */
    double precision, recall, hit_rate, map, coverage;
    double diversity;   /* NaN when no list has two items */
    int n_div_lists;    /* the lists diversity averages over */
};

/*
 * The metrics of lists l (one per user, rec_lists of itemcf.h; N = l->n)
 * against the held-out items of test, diversity on train, coverage over
 * n_catalogue items. Ticks t; QE_DATA when no user holds out an item,
 * QE_INTERRUPT.
 */
int rec_evaluate(const struct rec_lists *l, const struct recmat *test, const struct recmat *train,
                 int n_catalogue, struct rec_metrics *out, struct tick *t, struct qerr *err);

#endif
