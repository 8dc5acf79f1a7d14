/*
 * apriori_trace.h: Apriori worked as the textbook works it (trace apriori):
 * every candidate of every level kept, with what became of it.
 *
 * Level 1: every item is a candidate, counted. Level k >= 2: two frequent
 * (k-1)-itemsets that share their first k-2 items (items in code order,
 * which the caller makes name order) join into a candidate; a candidate
 * with a (k-1)-subset that is not frequent is pruned without counting
 * (the Apriori property); the rest are counted in one pass over the
 * transactions, and those held by at least minsup transactions are the
 * frequent k-itemsets. It ends at the first level with no frequent
 * itemset, or at maxlen. (Han, Kamber and Pei, Data Mining, 3rd ed.,
 * section 6.2.1; Agrawal and Srikant 1994.)
 *
 * The rows rules' miners skip are all here, so this is for small data:
 * at most APRIORI_TRACE_MAX candidates in all.
 */
#ifndef QUARRY_APRIORI_TRACE_H
#define QUARRY_APRIORI_TRACE_H

#include <stdint.h>

#include "base/qerr.h"

#define APRIORI_TRACE_MAX 100000

enum apriori_fate { APRIORI_FREQUENT, APRIORI_INFREQUENT, APRIORI_PRUNED };

struct apriori_trace {
    long long n;        /* candidates, level by level, each level in join order */
    int *level;         /* the candidate's size */
    long long *off;     /* n + 1 offsets into items */
    int32_t *items;     /* each candidate's item codes, ascending */
    long long *count;   /* transactions holding it; -1 when pruned */
    unsigned char *fate;  /* enum apriori_fate */
    int *drop;          /* pruned: the position of the item whose removal leaves a subset
                         * that is not frequent (the first such); -1 otherwise */
    long long cap, cap_items;
};

/*
 * Trace Apriori over n_tx transactions: transaction t holds the item
 * codes items[off[t] .. off[t+1]), ascending and distinct, each below
 * n_items. minsup is a count (>= 1), maxlen the largest size (>= 1).
 * Fills t (zeroed by the caller; release it with apriori_trace_release,
 * also after a failure). Errors: QE_ARG for more than APRIORI_TRACE_MAX
 * candidates (raise minsup or lower maxlen), QE_NOMEM.
 */
int apriori_trace_run(const int32_t *items, const long long *off, long long n_tx, int n_items,
                      long long minsup, int maxlen, struct apriori_trace *t, struct qerr *err);
void apriori_trace_release(struct apriori_trace *t);

#endif
