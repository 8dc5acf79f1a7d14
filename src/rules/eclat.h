/*
 * eclat.h: Eclat (Zaki 2000): each item's list of transactions, extended depth
 * first by intersecting the lists of items that share a prefix; and
 * dEclat (Zaki and Gouda 2003), the same search on diffsets.
 */
#ifndef QUARRY_ECLAT_H
#define QUARRY_ECLAT_H

#include "rules/fim_emit.h"

/*
 * Call fim_emit_set for every itemset of r frequent at o->minsup, sizes
 * 1..o->maxlen, by tid lists (diffsets 0) or diffsets below the first
 * level (1); or, where the data is dense enough or o->repr says so, by
 * bitsets (a bit per transaction; diffsets then play no part). 0, or -1 with err set (fim_emit_set's, QE_NOMEM, QE_INTERRUPT).
 */
int eclat_mine(const struct fim_ranked *r, struct fim_opts *o, struct fim_emit *e, int diffsets,
               struct qerr *err);

#endif
