/*
 * fpgrowth.h: FP-Growth (Han, Pei and Yin 2000): the transactions in a prefix tree of
 * items by descending frequency, mined by building, for each item, the
 * tree of the paths that lead to it (its conditional tree).
 */
#ifndef QUARRY_FPGROWTH_H
#define QUARRY_FPGROWTH_H

#include "rules/fim_emit.h"

/*
 * Call fim_emit_set for every itemset of r frequent at o->minsup, sizes
 * 1..o->maxlen. 0, or -1 with err set (fim_emit_set's, QE_NOMEM, QE_INTERRUPT).
 */
int fpgrowth_mine(const struct fim_ranked *r, struct fim_opts *o, struct fim_emit *e,
             struct qerr *err);

#endif
