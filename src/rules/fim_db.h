/*
 * fim_db.h: a transaction database for frequent itemset mining.
 *
 * Items are integer codes 0..n_items-1 whose names are in names[], in
 * byte order of the names (so code order is name order and an itemset
 * sorted by code reads sorted by name). A transaction is a sorted array
 * of distinct codes; the transactions sit one after another in items[],
 * transaction t being items[off[t] .. off[t+1]). Empty transactions are
 * kept: they count in the support's denominator.
 *
 * Three ways to build one from a frame (data/frame.h):
 *  - long: a (transaction id, item) pair per row; rows with either value
 *    missing are skipped and counted;
 *  - basket: one transaction per row, a text column of items joined by a
 *    separator ("milk, bread"; spaces around items are trimmed, empty
 *    items dropped);
 *  - one-hot: one transaction per row, one item per column. A numeric
 *    column's item is present when the value is neither 0 nor missing. A
 *    text column whose values are all true or false words (t, true, yes,
 *    y, 1 / f, false, no, n, 0, any case) is the item named like the
 *    column, present when true: an ARFF market basket's nominal {t} reads
 *    t as bought and ? (missing) as not bought. Any other text column
 *    gives one item per value, "column=value", and a missing value none.
 */
#ifndef QUARRY_FIM_DB_H
#define QUARRY_FIM_DB_H

#include <stdint.h>

#include "base/qerr.h"
#include "data/frame.h"

struct fim_db {
    int n_items;
    char **names;       /* n_items names, in byte order */
    long long n_trans;
    long long *off;     /* n_trans + 1 offsets into items */
    int32_t *items;     /* every transaction's codes, each sorted and distinct */
    long long n_skipped; /* long form: rows without a transaction id or an item */
};

/*
 * Build db from arrays of names: transaction t holds the names
 * names[off[t] .. off[t+1]) (repeats are merged). For tests and callers
 * with their own lists.
 */
int fim_db_from_lists(struct fim_db *db, const char *const *names, const long long *off,
                      long long n_trans, struct qerr *err);
/*
 * The long form: column tid_col of f says the transaction, item_col the
 * item (either may be text or numeric); transactions come in order of
 * their first row.
 */
int fim_db_from_long(struct fim_db *db, const struct frame *f, int tid_col, int item_col,
                     struct qerr *err);
/* The basket form: column col of f, a text column, items separated by sep. */
int fim_db_from_basket(struct fim_db *db, const struct frame *f, int col, char sep,
                       struct qerr *err);
/* The one-hot form: every column of f as above. */
int fim_db_from_onehot(struct fim_db *db, const struct frame *f, struct qerr *err);
/* The code of the item named name, or -1. */
int fim_db_find(const struct fim_db *db, const char *name);
/* Sort v[0..n) ascending (by insertion when short, as most transactions are). */
void fim_sort_i32(int32_t *v, long long n);
/* Free what db holds (db itself is the caller's); db is zeroed. */
void fim_db_release(struct fim_db *db);

#endif
