/*
 * keys.h: which columns of a frame hold keys (ids, codes) rather than
 * measurements, so that a default meaning "every column" (clean's fills)
 * leaves them out: the median of customer ids is not a customer.
 *
 * The rule, in order:
 *  1. the name's last word is id, key, code, uuid or guid (words are split
 *     at anything not a letter or digit and where a lower-case letter is
 *     followed by a capital: id, customer_id, CustomerID, orderKey,
 *     zip-code);
 *  2. the name ends in "id" (userid, custid) and the column holds whole
 *     numbers only;
 *  3. the column holds whole numbers only, or text, with at least
 *     PREP_KEY_MIN_VALUES values, of which at least PREP_KEY_DISTINCT are
 *     distinct (row numbers, e-mail addresses);
 *  4. a class label held as numbers: the name's last word is class,
 *     label, target, cluster, segment, outcome, species or y, and the
 *     column holds at most PREP_KEY_LABEL_MAX distinct whole numbers
 *     (iris' target 0/1/2, a cluster command's labels): rescaling or
 *     filling one changes what it means.
 */
#ifndef QUARRY_KEYS_H
#define QUARRY_KEYS_H

#include "data/frame.h"
#include "base/qerr.h"

/* Rule 3: how many values at least, and the share of them that must be distinct. */
#define PREP_KEY_MIN_VALUES 20
#define PREP_KEY_DISTINCT 0.99
/* Rule 4: at most this many distinct values. */
#define PREP_KEY_LABEL_MAX 20

enum prep_key {
    PREP_KEY_NONE,
    PREP_KEY_NAME,     /* rule 1 or 2 */
    PREP_KEY_DISTINCT_VALUES, /* rule 3 */
    PREP_KEY_LABEL,    /* rule 4 */
};

/*
 * Whether column j of f is key-like, and by which rule, in *why. Counting
 * distinct numbers sorts them, reporting to progress(pctx, fraction) by
 * the clock (tick.h; NULL: no reports). Fails only when out of memory
 * (QE_NOMEM) or when progress cancels (QE_INTERRUPT).
 */
int prep_key_like(const struct frame *f, int j, int (*progress)(void *, double), void *pctx,
                  enum prep_key *why, struct qerr *err);

/*
 * Whether name names an identifier: its last word (as rule 1 splits words)
 * is id, uuid or guid (customer_id, CustomerID, order-uuid). train leaves
 * such columns out of a model's default features: an id is no measurement.
 */
int prep_key_id_name(const char *name);

/* The reason in words: "named like a key", "whole numbers, nearly all distinct", ... */
const char *prep_key_reason(const struct frame *f, int j, enum prep_key why);

#endif
