/*
 * apriori.h: Apriori (Agrawal and Srikant 1994): level by level, candidates of size k
 * joined from frequent (k-1)-itemsets sharing k-2 items, pruned when a
 * (k-1)-subset is not frequent, counted in one pass over the transactions.
 */
#ifndef QUARRY_APRIORI_H
#define QUARRY_APRIORI_H

#include "rules/fim_emit.h"

/*
 * Call fim_emit_set for every itemset of r frequent at o->minsup, sizes
 * 1..o->maxlen. 0, or -1 with err set (fim_emit_set's, QE_NOMEM, QE_INTERRUPT).
 */
int apriori_mine(const struct fim_ranked *r, struct fim_opts *o, struct fim_emit *e,
             struct qerr *err);

#endif
