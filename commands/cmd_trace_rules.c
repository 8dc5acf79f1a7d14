/*
 * cmd_trace_rules.c: trace apriori (cmd_trace.h): Apriori worked level by
 * level as a textbook does (src/rules/apriori_trace.h), every candidate
 * in a table with what became of it, and a summary per level.
 */
#include "cmd_trace.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"
#include "rules/apriori_trace.h"
#include "rules/fim_db.h"
#include "base/banned.h"

/* Itemsets listed per level in the summary. */
#define SHOW_SETS 12

static const char *const fate_names[] = {[APRIORI_FREQUENT] = "frequent",
                                         [APRIORI_INFREQUENT] = "infrequent",
                                         [APRIORI_PRUNED] = "pruned"};

/* "{I1, I2}", or the same less the item at position skip (>= 0). */
static void
add_set(struct buf *b, const struct fim_db *db, const struct apriori_trace *t, long long i,
        int skip)
{
    buf_adds(b, "{");
    int first = 1;
    for (long long p = t->off[i]; p < t->off[i + 1]; p++) {
        if (p - t->off[i] == skip)
            continue;
        buf_addf(b, "%s%s", first ? "" : ", ", db->names[t->items[p]]);
        first = 0;
    }
    buf_adds(b, "}");
}

static int
write_table(struct cmd_ctx *ctx, const struct cmd_args *args, const char *name,
            const struct fim_db *db, const struct apriori_trace *t, long long minsup,
            struct qerr *err)
{
    long long n = t->n;
    double *v = calloc((size_t)(n ? n : 1) * 3, sizeof *v);
    char **set = calloc((size_t)(n ? n : 1), sizeof *set), **why = calloc((size_t)(n ? n : 1),
                                                                          sizeof *why);
    const char **fate = calloc((size_t)(n ? n : 1), sizeof *fate);
    int rc = -1;
    if (!v || !set || !why || !fate) {
        qerr_set(err, QE_NOMEM, "out of memory for the trace");
        goto out;
    }
    for (long long i = 0; i < n; i++) {
        struct buf b = BUF_INIT;
        v[i] = t->level[i];
        v[n + i] = t->count[i] >= 0 ? (double)t->count[i] : NAN;
        v[2 * n + i] = t->count[i] >= 0 ? (double)t->count[i] / (double)db->n_trans : NAN;
        fate[i] = fate_names[t->fate[i]];
        add_set(&b, db, t, i, -1);
        set[i] = buf_detach(&b);
        if (t->fate[i] == APRIORI_PRUNED) {
            add_set(&b, db, t, i, t->drop[i]);
            buf_adds(&b, " is not frequent");
        } else {
            buf_addf(&b, "count %lld %s %lld", t->count[i],
                     t->fate[i] == APRIORI_FREQUENT ? ">=" : "<", minsup);
        }
        why[i] = buf_detach(&b);
    }
    struct frame_out o[6] = {
        {.name = "level", .decl = CATALOG_INTEGER, .num = v},
        {.name = "itemset", .decl = CATALOG_TEXT, .text = (const char *const *)set},
        {.name = "count", .decl = CATALOG_INTEGER, .num = v + n},
        {.name = "support", .decl = CATALOG_REAL, .num = v + 2 * n},
        {.name = "fate", .decl = CATALOG_TEXT, .text = fate},
        {.name = "why", .decl = CATALOG_TEXT, .text = (const char *const *)why},
    };
    rc = kit_side_table(ctx, args, name, o, 6, n, err);
out:
    for (long long i = 0; set && why && i < n; i++) {
        free(set[i]);
        free(why[i]);
    }
    free(set);
    free(why);
    free((void *)fate);
    free(v);
    return rc;
}

/* One line per level: joined, pruned (which, by which subset), counted, frequent (which). */
static void
say_levels(struct cmd_result *res, const struct fim_db *db, const struct apriori_trace *t,
           long long minsup, const char *name)
{
    struct buf b = BUF_INIT;
    long long total = 0;
    buf_addf(&b, "apriori on %lld transactions, %d items, minsup=%lld transaction%s",
             db->n_trans, db->n_items, minsup, kit_plural(minsup));
    for (long long s = 0; s < t->n;) {
        long long e = s, cnt[3] = {0};
        while (e < t->n && t->level[e] == t->level[s])
            cnt[t->fate[e++]]++;
        int k = t->level[s];
        if (k == 1)
            buf_addf(&b, "\nlevel 1: %lld items counted, %lld frequent", e - s,
                     cnt[APRIORI_FREQUENT]);
        else
            buf_addf(&b, "\nlevel %d: %lld joined, %lld pruned, %lld counted, %lld frequent", k,
                     e - s, cnt[APRIORI_PRUNED], e - s - cnt[APRIORI_PRUNED],
                     cnt[APRIORI_FREQUENT]);
        int shown = 0;
        for (long long i = s; i < e; i++) {
            if (t->fate[i] != APRIORI_PRUNED || shown >= SHOW_SETS)
                continue;
            buf_adds(&b, shown++ ? ", " : "\n  pruned: ");
            add_set(&b, db, t, i, -1);
            buf_adds(&b, " as ");
            add_set(&b, db, t, i, t->drop[i]);
            buf_adds(&b, " is not");
        }
        shown = 0;
        for (long long i = s; i < e; i++) {
            if (t->fate[i] != APRIORI_FREQUENT)
                continue;
            if (shown++ == SHOW_SETS) {
                buf_adds(&b, ", ...");
                continue;
            }
            if (shown > SHOW_SETS)
                continue;
            buf_adds(&b, shown > 1 ? ", " : "\n  frequent: ");
            add_set(&b, db, t, i, -1);
            buf_addf(&b, " %lld", t->count[i]);
        }
        total += cnt[APRIORI_FREQUENT];
        s = e;
    }
    buf_addf(&b, "\n%lld frequent itemsets; every candidate in %s (level, itemset, count, "
             "support, fate, why)", total, name);
    result_text(res, "%s", b.data);
    buf_release(&b);
}

int
cmd_trace_apriori(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                  struct qerr *err)
{
    struct frame *f = NULL;
    struct fim_db db = {0};
    struct apriori_trace t = {0};
    char *name = cmd_trace_table(args, "_apriori_trace");
    const char *claim[1] = {args->as ? NULL : name};
    int rc = -1;
    if (!args_given(args, "tid") || !args_given(args, "item")) {
        qerr_set(err, QE_ARG, "trace apriori needs tid= and item=: a long table, one row per "
                 "item of a transaction");
        kit_fail_at(args, args_given(args, "tid") ? "item" : "tid", err);
        goto out;
    }
    const char *cols[2] = {args_str(args, "tid"), args_str(args, "item")};
    if (kit_claim(ctx, args, NULL, NULL, 0, NULL, claim, 1, err) < 0 ||
        kit_read(ctx, args_str(args, "TABLE"), cols, 2, 0, &f, err) < 0 ||
        fim_db_from_long(&db, f, 0, 1, err) < 0)
        goto out;
    double ms = args_real(args, "minsup");
    long long minsup = ms < 1 ? (long long)ceil(ms * (double)db.n_trans - 1e-9) : (long long)ms;
    if (ms >= 1 && ms != floor(ms)) {
        qerr_set(err, QE_ARG, "minsup= is a count of transactions (1 and up) or a share (below "
                 "1), not %g", ms);
        kit_fail_at(args, "minsup", err);
        goto out;
    }
    if (minsup < 1)
        minsup = 1;
    if (apriori_trace_run(db.items, db.off, db.n_trans, db.n_items, minsup,
                          (int)args_int(args, "maxlen"), &t, err) < 0 ||
        write_table(ctx, args, name, &db, &t, minsup, err) < 0)
        goto out;
    say_levels(res, &db, &t, minsup, name);
    res->changed = 1;
    rc = 0;
out:
    free(name);
    apriori_trace_release(&t);
    fim_db_release(&db);
    if (f)
        frame_release(f);
    return rc;
}
