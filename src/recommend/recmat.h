/*
 * recmat.h: the sparse user x item matrix of implicit feedback behind
 * recommend, similar and evalrec.
 *
 * Input is a log of (user, item) rows as codes (groups.h numbers users
 * and items 0..n-1). The matrix is binary: a user either has an item or
 * not, so a pair that occurs more than once counts once (implicit
 * feedback, as a purchase or a click; quantities and repeats are not
 * weights). It is held twice, in compressed sparse row form: per user the
 * sorted list of items (uptr/uitem, CSR) and per item the sorted list of
 * users (iptr/iuser, the transpose), so an item's users and a user's
 * items are both one slice.
 *
 * Cosine similarity of two items i and j on binary columns is
 *   cos(i, j) = |U(i) & U(j)| / sqrt(|U(i)| |U(j)|)
 * where U(i) is the set of users who have i: the dot product of the two
 * 0/1 columns over the product of their norms (scikit-learn's
 * cosine_similarity on the columns).
 */
#ifndef QUARRY_RECMAT_H
#define QUARRY_RECMAT_H

#include <stdint.h>

#include "base/qerr.h"
#include "base/tick.h"

struct recmat {
    int n_users, n_items;
    long long nnz;       /* distinct (user, item) pairs */
    long long n_dup;     /* rows that repeated a pair already counted */
    long long *uptr;     /* n_users + 1: user u's items are uitem[uptr[u] .. uptr[u+1]) */
    int32_t *uitem;      /* nnz item codes, ascending within a user */
    long long *iptr;     /* n_items + 1: item i's users are iuser[iptr[i] .. iptr[i+1]) */
    int32_t *iuser;      /* nnz user codes, ascending within an item */
};

/*
 * Build m from n_rows rows of codes user[r] in 0..n_users-1 and item[r]
 * in 0..n_items-1; rows where either is negative (a missing key) are
 * skipped, and keep (or NULL) leaves out rows whose keep[r] is 0. Ticks t
 * (NULL: never cancels). QE_NOMEM when the arrays do not fit the budget,
 * QE_INTERRUPT when t cancels; m is then empty. Release with
 * recmat_release (also after a failure).
 */
int recmat_build(struct recmat *m, const int32_t *user, const int32_t *item, long long n_rows,
                 int n_users, int n_items, const unsigned char *keep, struct tick *t,
                 struct qerr *err);
void recmat_release(struct recmat *m);

/* The number of users who have item i, |U(i)|. */
static inline long long
recmat_item_count(const struct recmat *m, int i)
{
    return m->iptr[i + 1] - m->iptr[i];
}

/* Whether user u has item i (binary search of u's sorted items). */
int recmat_has(const struct recmat *m, int u, int i);

/* cos(i, j) as above, exactly, by merging the two sorted user lists; 0 when either is empty. */
double recmat_cosine(const struct recmat *m, int i, int j);

#endif
