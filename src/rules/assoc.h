/*
 * assoc.h: association rules X -> Y from frequent itemsets (fim.h).
 *
 * For a frequent itemset Z of two or more items, every split into a
 * non-empty antecedent X and consequent Y = Z \ X is a rule; with a
 * target item, only the rule whose consequent is that item. With N
 * transactions and n(.) the count of transactions holding a set:
 *   support    = n(Z) / N
 *   confidence = n(Z) / n(X)
 *   lift       = confidence / (n(Y) / N)
 *   leverage   = support - (n(X) / N) (n(Y) / N)
 *   conviction = (1 - n(Y) / N) / (1 - confidence), infinite when the
 *                confidence is 1: NaN here (the caller stores NULL).
 * Rules are kept when confidence >= minconf and lift >= minlift, and
 * come sorted by lift, then confidence, then support (each descending),
 * then by their itemset's place and antecedent, so the order is the same
 * whichever miner found the itemsets.
 */
#ifndef QUARRY_ASSOC_H
#define QUARRY_ASSOC_H

#include <stdint.h>

#include "base/qerr.h"
#include "base/tick.h"
#include "rules/fim.h"

struct assoc_rule {
    long long set;        /* the itemset Z, an index into the sets */
    uint32_t ante;        /* bit i set: item i of Z is in the antecedent */
    long long count, ante_count, cons_count;
    double support, confidence, lift, leverage, conviction;
};

struct assoc_opts {
    double minconf;       /* 0..1 */
    double minlift;       /* 0: any */
    int target;           /* item code of the consequent, or -1 */
    const unsigned char *keep; /* rules only from itemsets with keep[i] (NULL: all) */
    struct tick *tick;
};

/*
 * The rules of sets s (every subset of an itemset of s must be in s, as
 * fim_mine makes them) over n_trans transactions, into *out (n_out
 * rules; free it). Consequents are tried by growing size and only where
 * every smaller part passed minconf (confidence falls as the consequent
 * grows), so the splits that cannot pass are never looked up. The rules'
 * memory comes from mem.h (QE_NOMEM past the budget); QE_INTERRUPT when
 * cancelled.
 */
int assoc_rules(const struct fim_sets *s, long long n_trans, const struct assoc_opts *o,
                struct assoc_rule **out, long long *n_out, struct qerr *err);

/*
 * The items of one side of rule r (want_ante 1: antecedent, 0:
 * consequent) into items (room for the itemset's size); returns how many.
 */
int assoc_side(const struct fim_sets *s, const struct assoc_rule *r, int want_ante,
               int32_t *items);

#endif
