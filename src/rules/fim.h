/*
 * fim.h: frequent itemsets of a transaction database (fim_db.h) by
 * FP-Growth, Apriori, Eclat or dEclat (Eclat on diffsets), which find
 * the same itemsets; the closed
 * and maximal ones; and the bound on the output checked before and
 * while mining.
 *
 * An itemset is frequent when at least minsup transactions hold all its
 * items (minsup a count here; a fraction is the caller's to convert).
 * The result, struct fim_sets, lists itemsets by size, then by their
 * item codes (so by item name), each sorted, with its count.
 *
 * The bound. Before mining, the frequent items and pairs are counted
 * (pairs when at most FIM_PAIR_ITEMS items are frequent); the itemsets
 * found are at least their number. Mining then stops as soon as it has
 * found more than limit itemsets. Either way the call fails with
 * QE_ARG, the count or bound in the message and a higher minsup or a
 * lower maxlen in the hint: a bounded count, never an unbounded run.
 * Memory for the result comes from mem.h, so the budget refuses it too.
 *
 * Progress and cancel come through the tick in the options (tick.h).
 */
#ifndef QUARRY_FIM_H
#define QUARRY_FIM_H

#include <stdint.h>

#include "base/qerr.h"
#include "base/tick.h"
#include "rules/fim_db.h"

enum fim_method { FIM_FPGROWTH, FIM_APRIORI, FIM_ECLAT, FIM_DECLAT };
enum fim_filter { FIM_ALL, FIM_CLOSED, FIM_MAXIMAL };
/* Eclat's and dEclat's lists: chosen by the data's density, or forced (for tests). */
enum fim_repr { FIM_REPR_AUTO, FIM_REPR_LISTS, FIM_REPR_BITS };

/* Pairs are counted up front when at most this many items are frequent. */
#define FIM_PAIR_ITEMS 4096
/* The default limit on the itemsets found (force=yes lifts it). */
#define FIM_LIMIT 1000000

/* One level of Apriori, for trace=yes. */
struct fim_level {
    int k;                 /* itemset size */
    long long generated;   /* candidates made by joining frequent (k-1)-itemsets */
    long long pruned;      /* dropped because a (k-1)-subset is not frequent */
    long long counted;     /* candidates whose support was counted */
    long long frequent;    /* of those, frequent */
};

struct fim_opts {
    enum fim_method method;
    long long minsup;      /* a count, at least 1 */
    int maxlen;            /* largest itemset size, 1..30 */
    long long limit;       /* fail when more itemsets are found; 0: no limit */
    struct tick *tick;     /* NULL: never cancels */
    enum fim_repr repr;    /* Eclat and dEclat: tid lists or diffsets, or bitsets (eclat.h) */
    /* Apriori only: its levels, when levels is not NULL (room for maxlen) */
    struct fim_level *levels;
    int n_levels;          /* out */
};

struct fim_sets {
    long long n;           /* itemsets */
    long long *off;        /* n + 1 offsets into items */
    int32_t *items;        /* each itemset's codes, ascending */
    long long *count;      /* transactions holding each */
    long long cap, cap_items;
    /* the up-front count, for the caller's report */
    long long n_freq_items, n_freq_pairs; /* pairs -1: not counted */
};

/* Size of itemset i. */
static inline int
fim_size(const struct fim_sets *s, long long i)
{
    return (int)(s->off[i + 1] - s->off[i]);
}

/*
 * Every frequent itemset of db (sizes 1..maxlen) into out (zeroed by the
 * caller; release it with fim_sets_release also after a failure).
 * Errors: QE_ARG for the bound, QE_NOMEM, QE_INTERRUPT.
 */
int fim_mine(const struct fim_db *db, struct fim_opts *o, struct fim_sets *out,
             struct qerr *err);

/*
 * Keep, in keep[i], the itemsets that are closed (no itemset with one
 * more item has the same count) or maximal (none with one more item is
 * frequent); FIM_ALL keeps all. Judged among the itemsets of s, so up to
 * its maxlen.
 */
int fim_filter(const struct fim_sets *s, enum fim_filter which, unsigned char *keep,
               struct qerr *err);

/*
 * An index of s's itemsets: fim_index_find gives the itemset with the
 * codes items[0..k) (ascending), or -1.
 */
struct fim_index {
    const struct fim_sets *s;
    long long *slot;  /* cap entries, -1 empty */
    long long cap;
};
int fim_index_init(struct fim_index *ix, const struct fim_sets *s, struct qerr *err);
long long fim_index_find(const struct fim_index *ix, const int32_t *items, int k);
void fim_index_release(struct fim_index *ix);

void fim_sets_release(struct fim_sets *s);

#endif
