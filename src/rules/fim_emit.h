/*
 * fim_emit.h: what the three miners (fpgrowth.h, apriori.h, eclat.h)
 * share: the database recoded by frequency rank, and the one function
 * that records a frequent itemset (mapping ranks back to item codes and
 * enforcing the bound on the output).
 */
#ifndef QUARRY_FIM_EMIT_H
#define QUARRY_FIM_EMIT_H

#include "rules/fim.h"

/*
 * The database as the miners see it: the frequent items only, recoded by
 * rank (0 the most frequent; ties by code), each transaction's ranks
 * ascending. rank_code[r] is the item code of rank r.
 */
struct fim_ranked {
    int n;                 /* frequent items */
    int n_all;             /* items in the database */
    int32_t *rank_code;
    long long *support;    /* per rank */
    long long n_trans;
    long long *off;
    int32_t *items;
    /*
     * The count of each pair of ranks i < j, at i (2n - i - 1) / 2 + j - i - 1,
     * as fim_mine counted them for the bound (NULL when not counted): Eclat
     * skips the infrequent pairs of its first level with them.
     */
    int32_t *pairs;
};

/*
 * What a miner calls for each frequent itemset (ranks in any order, k
 * of them, count transactions): 0, or -1 with err set (the bound).
 */
struct fim_emit {
    const struct fim_ranked *r;
    const struct fim_opts *o;
    struct fim_sets *out;
    int32_t *tmp;
};
int fim_emit_set(struct fim_emit *e, const int32_t *ranks, int k, long long count,
                 struct qerr *err);

/* Build r from db: items with support >= minsup. Release with fim_ranked_release. */
int fim_ranked_init(struct fim_ranked *r, const struct fim_db *db, long long minsup,
                    struct tick *t, struct qerr *err);
void fim_ranked_release(struct fim_ranked *r);

#endif
