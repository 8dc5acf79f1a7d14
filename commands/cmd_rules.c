/*
 * cmd_rules.c: the association family's `rules`: frequent itemsets and
 * association rules of a table of transactions (src/rules/arules.h),
 * written to NAME_itemsets, NAME and NAME_items (and NAME_levels for
 * Apriori's trace), with the top rules shown.
 */
#include "kit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "remote.h"
#include "rules/arules.h"
#include "base/banned.h"

static const char *const method_names[] = {
    [FIM_FPGROWTH] = "fpgrowth", [FIM_APRIORI] = "apriori", [FIM_ECLAT] = "eclat",
    [FIM_DECLAT] = "declat"};

static const struct arg_spec cmd_rules_args[] = {
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "The transactions: a long table, a basket column, or one column per item.",
     .comp = COMP_TABLES},
    {.name = "tid", .type = ARG_COLUMN, .modes = "!basket",
     .help = "The transaction id of a long table (one row per item bought); with item=.",
     .comp = COMP_COLUMNS},
    {.name = "item", .type = ARG_COLUMN, .modes = "!basket",
     .help = "The item of a long table; with tid=.", .comp = COMP_COLUMNS},
    {.name = "basket", .type = ARG_COLUMN, .modes = "!tid !item",
     .help = "A text column holding each transaction's items joined by sep.",
     .comp = COMP_COLUMNS},
    {.name = "sep", .type = ARG_TEXT, .def = ",", .modes = "!tid !item",
     .help = "The one character between a basket's items (with basket=).",
     .comp = COMP_NONE},
    {.name = "method", .type = ARG_ENUM, .def = "declat", .choices = "fpgrowth|apriori|eclat|declat",
     ARG_NAMES(method_names),
     .help = "The miner; all four find the same itemsets (declat: Eclat on diffsets).",
     .comp = COMP_CHOICES},
    {.name = "minsup", .type = ARG_REAL, .def = "0.01", .min = 1e-9, .max = 1e15,
     .help = "Minimum support: a share of the transactions below 1, else a count.",
     .comp = COMP_NONE},
    {.name = "minconf", .type = ARG_REAL, .def = "0.5", .min = 0, .max = 1,
     .help = "Minimum confidence of a rule.", .comp = COMP_NONE},
    {.name = "minlift", .type = ARG_REAL, .min = 0, .max = 1e15,
     .help = "Minimum lift of a rule (none by default).", .comp = COMP_NONE},
    {.name = "maxlen", .type = ARG_INT, .def = "5", .min = 1, .max = 30,
     .help = "The most items in an itemset.", .comp = COMP_NONE},
    {.name = "target", .type = ARG_TEXT,
     .help = "Only rules whose consequent is this item.", .comp = COMP_NONE},
    {.name = "closed", .type = ARG_BOOL, .def = "no", .modes = "!maximal",
     .help = "yes: keep the closed itemsets (no superset has the same count) and their rules.",
     .comp = COMP_CHOICES},
    {.name = "maximal", .type = ARG_BOOL, .def = "no", .modes = "!closed",
     .help = "yes: keep the maximal itemsets (no frequent superset) and their rules.",
     .comp = COMP_CHOICES},
    {.name = "force", .type = ARG_BOOL, .def = "no",
     .help = "yes: mine even past a million itemsets (the memory budget still holds).",
     .comp = COMP_CHOICES},
    {.name = "trace", .type = ARG_BOOL, .def = "no", .modes = "method=apriori",
     .help = "yes: write Apriori's levels to NAME_levels (candidates generated, pruned by "
             "the subset rule, counted, frequent).",
     .comp = COMP_CHOICES},
    KIT_REPLACE_ARG,
    {0},
};

/* The options from the statement; QE_ARG for an input form half given. */
static int
rules_opts(const struct cmd_args *args, struct arules_opts *o, struct qerr *err)
{
    int tid = args_given(args, "tid"), item = args_given(args, "item");
    const char *sep = args_str(args, "sep");
    if (tid != item) {
        qerr_set(err, QE_ARG, "tid= and item= go together: a long table has both");
        return kit_fail_at(args, tid ? "tid" : "item", err);
    }
    if (strlen(sep) != 1 || (args_given(args, "sep") && !args_given(args, "basket"))) {
        qerr_set(err, QE_ARG, "sep= is one character and goes with basket=");
        return kit_fail_at(args, "sep", err);
    }
    o->form = tid ? ARULES_LONG : args_given(args, "basket") ? ARULES_BASKET : ARULES_ONEHOT;
    o->tid_col = 0;
    o->item_col = 1;
    o->basket_col = 0;
    o->sep = sep[0];
    o->method = (enum fim_method)args_choice(args, "method");
    o->minsup = args_real(args, "minsup");
    o->maxlen = (int)args_int(args, "maxlen");
    o->limit = args_int(args, "force") ? 0 : FIM_LIMIT;
    o->filter = args_int(args, "closed") ? FIM_CLOSED
                : args_int(args, "maximal") ? FIM_MAXIMAL : FIM_ALL;
    o->minconf = args_real(args, "minconf");
    o->minlift = args_given(args, "minlift") ? args_real(args, "minlift") : 0;
    o->target = args_str(args, "target");
    o->trace = (int)args_int(args, "trace");
    return 0;
}

/* The counts, the tables written and the ten rules of highest lift. */
static void
rules_report(struct cmd_result *res, const struct arules *a, const struct arules_opts *o,
             const char *name)
{
    const struct fim_db *db = &a->db;
    struct buf b;
    buf_init(&b);
    long long by[32] = {0};
    int top = 0;
    for (long long i = 0; i < a->sets.n; i++)
        if (a->keep[i]) {
            int k = fim_size(&a->sets, i);
            by[k]++;
            top = k > top ? k : top;
        }
    for (int k = 1; k <= top; k++)
        if (by[k])
            buf_addf(&b, "%s%d: %lld", b.len ? ", " : "", k, by[k]);
    result_text(res, "%lld transactions, %d items%s; minsup=%g is %lld transaction%s",
                db->n_trans, db->n_items,
                db->n_skipped ? " (rows without an id or item skipped)" : "", o->minsup,
                a->minsup, kit_plural(a->minsup));
    result_text(res, "%lld %sitemsets (%s) by %s; %lld rules at minconf=%g", a->n_kept,
                o->filter == FIM_CLOSED ? "closed " : o->filter == FIM_MAXIMAL ? "maximal " : "",
                b.len ? b.data : "none", method_names[o->method], a->n_rules, o->minconf);
    result_text(res, "tables %s (rules by lift), %s_itemsets, %s_items%s%s%s", name, name, name,
                a->n_levels ? ", Apriori's levels in " : "", a->n_levels ? name : "",
                a->n_levels ? "_levels" : "");
    buf_release(&b);
    if (!a->n_rules)
        return;
    static const char *const cols[] = {"rule", "antecedent", "consequent", "support",
                                       "confidence", "lift"};
    struct rtable *t = result_table(res, 6, cols);
    for (long long i = 0; i < a->n_rules && i < 10; i++) {
        long long row = rtable_add_row(t);
        char *l = arules_side(a, i, 1), *r = arules_side(a, i, 0);
        rtable_setf(t, row, 0, 1, "%lld", i + 1);
        rtable_set(t, row, 1, l, 0);
        rtable_set(t, row, 2, r, 0);
        rtable_setf(t, row, 3, 1, "%.4g", a->rules[i].support);
        rtable_setf(t, row, 4, 1, "%.4g", a->rules[i].confidence);
        rtable_setf(t, row, 5, 1, "%.4g", a->rules[i].lift);
        free(l);
        free(r);
    }
}

static int
cmd_rules_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
               struct qerr *err)
{
    const char *table = args_str(args, "TABLE");
    if (remote_named(table) && !catalog_has_table(ctx->cat, table))
        return remote_rules(ctx, args, res, err); /* baskets gathered on PostgreSQL (remote.h) */
    const char *cols[2] = {args_str(args, "tid"), args_str(args, "item")};
    int n_cols = args_given(args, "tid") ? 2 : 0;
    if (args_given(args, "basket")) {
        cols[0] = args_str(args, "basket");
        n_cols = 1;
    }
    char *def = kit_name(table, "_rules");
    const char *name = args->as ? args->as : def;
    char *side[3] = {kit_name(name, "_itemsets"), kit_name(name, "_items"),
                     kit_name(name, "_levels")};
    const char *claim[4] = {name, side[0], side[1], args_int(args, "trace") ? side[2] : NULL};
    struct frame *f = NULL;
    struct arules a = {0};
    struct arules_cols c = {0};
    struct arules_opts o = {0};
    struct tick t;
    int rc = -1;
    tick_init(&t, kit_progress, ctx);
    o.tick = &t;
    if (rules_opts(args, &o, err) < 0 ||
        kit_claim(ctx, args, table, NULL, 0, NULL, claim + (args->as ? 1 : 0),
                  args->as ? 3 : 4, err) < 0 ||
        kit_read(ctx, table, cols, n_cols, 0, &f, err) < 0 || arules_run(f, &o, &a, err) < 0)
        goto out;
    arules_cols(&a, &c);
    if (kit_side_table(ctx, args, side[0], c.sets, 4, c.n_sets, err) < 0 ||
        kit_side_table(ctx, args, name, c.rules, 8, c.n_rules, err) < 0 ||
        kit_side_table(ctx, args, side[1], c.items, 3, c.n_items, err) < 0 ||
        (a.n_levels && kit_side_table(ctx, args, side[2], c.levels, 5, a.n_levels, err) < 0))
        goto out;
    rules_report(res, &a, &o, name);
    rc = 0;
out:
    arules_cols_release(&c);
    arules_release(&a);
    if (f)
        frame_release(f);
    free(def);
    for (int i = 0; i < 3; i++)
        free(side[i]);
    return rc;
}

const struct cmd_entry cmd_rules_entry = {
    .name = "rules",
    .family = "association",
    .synopsis = "rules TABLE [tid=COL item=COL | basket=COL [sep=,]] "
                "[method=fpgrowth|apriori|eclat|declat] [minsup=0.01] [minconf=0.5] [minlift=X] "
                "[maxlen=5] [target=ITEM] [closed=yes|maximal=yes] [force=yes] [trace=yes] "
                "[replace=yes] [as NAME]",
    .help = "Find the itemsets bought together in at least minsup of the transactions and "
            "the rules X -> Y among them with confidence >= minconf (and lift >= minlift). "
            "The transactions come from a long table (tid=, item=: one row per item), a "
            "basket column (items joined by sep), or else the table itself with one column "
            "per item: a number other than 0 is the item present; a column of true/false "
            "words (an ARFF basket's nominal t, with ? missing) is present when true; any "
            "other text column gives an item column=value per value. Writes NAME_itemsets "
            "(itemset, size, count, support), NAME (rule, antecedent, consequent, support, "
            "confidence, lift, leverage, conviction; by lift) and NAME_items (rule, side, "
            "item), items sorted and joined by ', '; NAME is TABLE_rules unless as NAME. "
            "Conviction is NULL where it is infinite (confidence 1). More than a million "
            "itemsets (estimated from the frequent pairs first, then counted) is refused "
            "unless force=yes. See explain rules.",
    .example = "rules order_items tid=order_id item=product minsup=0.005 minconf=0.5",
    .args = cmd_rules_args,
    .flags = CMD_WRITES | CMD_AS,
    .exec = cmd_rules_exec,
};
