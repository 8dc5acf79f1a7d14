/*
 * rulecls.h: association rules as a classifier (the cls_method "rules",
 * contract in classify.h), in the manner of CBA (Liu, Hsu and Ma 1998).
 *
 * What `explain rules` can say:
 *
 *   Each training row becomes a transaction of items:
 *    - a feature whose training values are all 0 or 1 (a text column's
 *      one-hot "col=level", or a 0/1 basket column) is the item named
 *      like the feature, present when the value is neither 0 nor missing;
 *    - any other numeric feature is cut into bins=3 equal-frequency bins
 *      (the cut points are the training values at the shares 1/bins,
 *      2/bins, ... of the sorted values, repeats merged; bin b holds
 *      cut[b-1] <= x < cut[b]), one item per bin, "x < 3", "3 <= x < 5",
 *      "x >= 5"; the cuts are kept with the model;
 *    - the row's class is one more item.
 *   A missing value gives no item. The frequent itemsets (minsup, a share
 *   of the training rows or a count; at most maxlen items with the class)
 *   are mined by FP-Growth (rules/fim.h); every frequent itemset X u {c}
 *   with c a class and X not empty is a class rule X -> c with confidence
 *   n(X u c) / n(X); those with confidence >= minconf are ordered by
 *   confidence, then support, then fewer items (descending, descending,
 *   ascending; then by the itemset's place, so the order is fixed).
 *   Database coverage (CBA-CB, M1) keeps a rule when it matches at least
 *   one training row not matched by a kept rule before it and classifies
 *   one of those rightly; the rows it matches are then covered. The
 *   default class is the majority class of the rows left uncovered (of
 *   all rows when none is left; the first class in order on a tie).
 *
 *   A row is classified by the first kept rule whose items it holds all
 *   of; P(its class) = the rule's confidence and the other classes share
 *   the rest equally (should that not leave the rule's class the largest,
 *   minconf below 1/classes, it gets 1/classes + 1e-6). A row no rule
 *   matches gets the default class, with the class shares of the
 *   uncovered training rows as its probabilities.
 */
#ifndef QUARRY_RULECLS_H
#define QUARRY_RULECLS_H

#include "classify/classify.h"

/* The method, for cls_methods[]. */
extern const struct cls_method cls_rules;
/* Its model store kind, "rules". */
extern const struct store_kind rulecls_kind;

/* The defaults of the options that are 0 in cls_opts. */
#define RULECLS_MINSUP 0.01
#define RULECLS_MINCONF 0.5
#define RULECLS_BINS 3
#define RULECLS_MAXLEN 4

/* The kept rules of a model, and for rule i its class and confidence (tests). */
long long rulecls_n_rules(const void *model);
int rulecls_rule(const void *model, long long i, int *klass, double *confidence,
                 long long *count);
/* The default class of a model. */
int rulecls_default(const void *model);

#endif
