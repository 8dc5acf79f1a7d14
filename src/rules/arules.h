/*
 * arules.h: one call from a frame to association rules: the transaction
 * database (fim_db.h, in one of its three forms), the frequent itemsets
 * (fim.h), the closed or maximal ones, the rules (assoc.h), and the
 * columns of the three result tables:
 *   itemsets: itemset (text), size, count, support
 *   rules:    rule (1..n in order of lift), antecedent, consequent (text),
 *             support, confidence, lift, leverage, conviction (NaN, stored
 *             NULL, when infinite: confidence 1)
 *   items:    rule, side ("antecedent" or "consequent"), item
 * and, for Apriori with levels asked for, the levels table (k, generated,
 * pruned, counted, frequent). An itemset or a side is written as its item
 * names in byte order joined by ", ".
 */
#ifndef QUARRY_ARULES_H
#define QUARRY_ARULES_H

#include <sqlite3.h>

#include "base/buf.h"
#include "base/qerr.h"
#include "base/tick.h"
#include "data/frame.h"
#include "rules/assoc.h"
#include "rules/fim.h"
#include "rules/fim_db.h"

enum arules_form { ARULES_LONG, ARULES_BASKET, ARULES_ONEHOT };

struct arules_opts {
    enum arules_form form;
    int tid_col, item_col;  /* ARULES_LONG: columns of the frame */
    int basket_col;         /* ARULES_BASKET */
    char sep;
    enum fim_method method;
    double minsup;          /* below 1: a share of the transactions; else a count */
    int maxlen;
    long long limit;        /* on the itemsets (FIM_LIMIT; 0 none) */
    enum fim_filter filter;
    double minconf, minlift;
    const char *target;     /* an item name, or NULL */
    int trace;              /* Apriori's levels */
    struct tick *tick;
};

struct arules {
    struct fim_db db;
    long long minsup;       /* the count used */
    struct fim_sets sets;
    unsigned char *keep;    /* the itemsets kept by the filter */
    long long n_kept;
    struct assoc_rule *rules;
    long long n_rules;
    struct fim_level levels[32];
    int n_levels;
    double mine_s, rules_s; /* CPU seconds in fim_mine and assoc_rules (bench/rules_time.c) */
};

/*
 * Mine f as o says into a (zeroed by the caller; arules_release it also
 * after a failure). QE_ARG for a target that is no item (the hint names
 * some), for an empty database and for the bound; QE_NOMEM, QE_INTERRUPT.
 */
int arules_run(const struct frame *f, const struct arules_opts *o, struct arules *a,
               struct qerr *err);
/*
 * arules_run in its two steps, for a caller that times them apart: the
 * transaction database of f into a->db (QE_NOMEM, QE_INTERRUPT), then
 * everything after it (the errors of arules_run but the database's).
 */
int arules_db(const struct frame *f, const struct arules_opts *o, struct arules *a,
              struct qerr *err);
int arules_mine(const struct arules_opts *o, struct arules *a, struct qerr *err);

/* The columns of the result tables; arules_cols_release frees them. */
struct arules_cols {
    struct frame_out sets[4], rules[8], items[3], levels[5];
    long long n_sets, n_rules, n_items;
    char **text[6];          /* text columns (the arrays owned; the strings in arena or shared) */
    struct buf arena[3];     /* the strings of text[0..2] */
    double *num[16];         /* owned numeric columns */
};
void arules_cols(const struct arules *a, struct arules_cols *c);
void arules_cols_release(struct arules_cols *c);

/* The text of one side of rule i (want_ante 1: antecedent), for a report; free it. */
char *arules_side(const struct arules *a, long long i, int want_ante);

void arules_release(struct arules *a);

#endif
