/*
 * eclat.h: Eclat (Zaki 2000): each item's list of transactions, extended depth
 * first by intersecting the lists of items that share a prefix.
 */
#ifndef QUARRY_ECLAT_H
#define QUARRY_ECLAT_H

#include "rules/fim_emit.h"

/*
 * Call fim_emit_set for every itemset of r frequent at o->minsup, sizes
 * 1..o->maxlen. 0, or -1 with err set (fim_emit_set's, QE_NOMEM, QE_INTERRUPT).
 */
int eclat_mine(const struct fim_ranked *r, struct fim_opts *o, struct fim_emit *e,
             struct qerr *err);

#endif
