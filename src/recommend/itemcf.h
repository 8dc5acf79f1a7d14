/*
 * itemcf.h: top-N recommendation from a binary user x item matrix
 * (recmat.h): item-based collaborative filtering, rules, popularity.
 *
 * Item-based CF (Sarwar et al. 2001; Deshpande and Karypis 2004): the
 * cosine similarity of every pair of items that share a user is computed
 * sparsely, item by item, by counting co-occurrences through the user
 * lists (for item i, every item j of every user of i), never as a dense
 * n_items x n_items matrix; only the k most similar neighbours of each
 * item are kept (ties by the lower item code). A user's score for an item
 * j is the sum of cos(i, j) over the items i the user has whose kept
 * neighbours include j:
 *   score(u, j) = sum over i in I(u) of cos(i, j)   [j among i's top k]
 * With k at least the number of items this is X S, S the full cosine
 * matrix with a zero diagonal (what scikit-learn's cosine_similarity on
 * the columns gives, times the user's row).
 *
 * Popularity: score(u, j) = |U(j)|, the users who have j, the same list
 * for everyone (less their own items).
 *
 * Rules: each rule A -> C with confidence c fires for a user who has
 * every item of A; score(u, j) = the best confidence of the fired rules
 * whose consequent holds j.
 *
 * Every list is the n best items by score, descending, ties by the lower
 * item code; items the user has are left out unless exclude_seen is 0.
 * Only items with a positive score are listed (a user with no item in
 * common with anyone gets a short or empty CF list; popularity lists
 * items somebody has).
 *
 * The work is spread over threads (up to two per core, at most 4); each
 * thread's scratch (a dense accumulator and marks over the items) comes
 * from mem.h, and the calling thread ticks t for all of them, so a cancel
 * lands within a tick.
 */
#ifndef QUARRY_ITEMCF_H
#define QUARRY_ITEMCF_H

#include <stdint.h>

#include "base/qerr.h"
#include "base/tick.h"
#include "recommend/recmat.h"

/* The kept neighbours: item i's are nb[i*k .. i*k + n_nb[i]), most similar first. */
struct itemcf {
    int n_items, k;
    int *n_nb;
    int32_t *nb;
    double *sim;
};

/*
 * Compute the k nearest neighbours (cosine) of every item of m into cf
 * (k >= 1; k above n_items - 1 keeps every neighbour). Asks
 * mem_budget_fits for the n_items x k table first. QE_NOMEM,
 * QE_INTERRUPT; release cf with itemcf_release (also after a failure).
 */
int itemcf_fit(struct itemcf *cf, const struct recmat *m, int k, struct tick *t,
               struct qerr *err);
void itemcf_release(struct itemcf *cf);

/*
 * The n items most like item i by cosine (every item sharing a user with
 * it), best first, ties by the lower code, into item and sim (n slots
 * each). Returns how many were found (0 .. n), or -1 (QE_NOMEM).
 */
int itemcf_similar(const struct recmat *m, int i, int n, int32_t *item, double *sim,
                   struct qerr *err);

/* Rules over item codes, for method REC_RULES. */
struct rec_rules {
    int n;
    long long *aptr;  /* n + 1: rule r's antecedent is aitem[aptr[r] .. aptr[r+1]) */
    int32_t *aitem;
    long long *cptr;  /* n + 1: its consequent is citem[cptr[r] .. cptr[r+1]) */
    int32_t *citem;
    double *conf;     /* n confidences */
};

enum rec_method { REC_ITEMCF, REC_RULES, REC_POPULAR };

/* What to recommend (rec_top). */
struct rec_ask {
    enum rec_method method;
    const struct recmat *m;       /* what each user has */
    const struct itemcf *cf;      /* REC_ITEMCF */
    const struct rec_rules *rules; /* REC_RULES */
    int n;                        /* list length, >= 1 */
    int exclude_seen;             /* leave out the user's own items */
    const unsigned char *users;   /* n_users flags: only these users get a list; NULL: all */
};

/* n_users lists of up to n items: user u's rank r is item[u*n + r], -1 past the list's end. */
struct rec_lists {
    int n_users, n;
    int32_t *item;
    double *score;
};

/*
 * The top-n list of every user asked for (a->users) into out (the others'
 * lists are empty). QE_NOMEM, QE_INTERRUPT; release out with
 * rec_lists_release (also after a failure).
 */
int rec_top(const struct rec_ask *a, struct rec_lists *out, struct tick *t, struct qerr *err);
void rec_lists_release(struct rec_lists *l);

/* The length of user u's list. */
int rec_list_len(const struct rec_lists *l, int u);

#endif
