/*
 * arules.c: from a frame to rules and their tables, in one call.
 */
#include "rules/arules.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/mem.h"
#include "base/banned.h"

/* CPU seconds of this thread, for the times kept in struct arules. */
static double
now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int
arules_run(const struct frame *f, const struct arules_opts *o, struct arules *a,
           struct qerr *err)
{
    return arules_db(f, o, a, err) < 0 ? -1 : arules_mine(o, a, err);
}

int
arules_db(const struct frame *f, const struct arules_opts *o, struct arules *a,
          struct qerr *err)
{
    int rc;
    if (o->form == ARULES_LONG)
        rc = fim_db_from_long(&a->db, f, o->tid_col, o->item_col, err);
    else if (o->form == ARULES_BASKET)
        rc = fim_db_from_basket(&a->db, f, o->basket_col, o->sep, err);
    else
        rc = fim_db_from_onehot(&a->db, f, err);
    return rc < 0 ? -1 : 0;
}

int
arules_mine(const struct arules_opts *o, struct arules *a, struct qerr *err)
{
    if (a->db.n_trans == 0 || a->db.n_items == 0)
        return qerr_set(err, QE_ARG, "no items to mine: %lld transactions, %d items",
                        a->db.n_trans, a->db.n_items);
    int target = -1;
    if (o->target) {
        target = fim_db_find(&a->db, o->target);
        if (target < 0) {
            qerr_set(err, QE_ARG, "no item '%s' among the %d items", o->target,
                     a->db.n_items);
            qerr_hint(err, "items are named as in the data, such as '%s'%s%s%s",
                      a->db.names[0], a->db.n_items > 1 ? " or '" : "",
                      a->db.n_items > 1 ? a->db.names[a->db.n_items - 1] : "",
                      a->db.n_items > 1 ? "'" : "");
            return -1;
        }
    }
    a->minsup = o->minsup >= 1 ? (long long)o->minsup
                               : (long long)ceil(o->minsup * (double)a->db.n_trans - 1e-9);
    if (a->minsup < 1)
        a->minsup = 1;
    struct fim_opts fo = {.method = o->method, .minsup = a->minsup, .maxlen = o->maxlen,
                          .limit = o->limit, .tick = o->tick,
                          .levels = o->trace && o->method == FIM_APRIORI ? a->levels : NULL};
    double t0 = now();
    if (fim_mine(&a->db, &fo, &a->sets, err) < 0)
        return -1;
    a->mine_s = now() - t0;
    a->n_levels = fo.n_levels;
    a->keep = mem_alloc((size_t)a->sets.n + 1, 1, "rules", "itemsets", err);
    if (!a->keep || fim_filter(&a->sets, o->filter, a->keep, err) < 0)
        return -1;
    for (long long i = 0; i < a->sets.n; i++)
        a->n_kept += a->keep[i];
    struct assoc_opts ao = {.minconf = o->minconf, .minlift = o->minlift, .target = target,
                            .keep = a->keep, .tick = o->tick};
    t0 = now();
    int rc = assoc_rules(&a->sets, a->db.n_trans, &ao, &a->rules, &a->n_rules, err);
    a->rules_s = now() - t0;
    return rc;
}

static char *
join(const struct fim_db *db, const int32_t *it, int n)
{
    struct buf b;
    buf_init(&b);
    for (int i = 0; i < n; i++) {
        if (i)
            buf_adds(&b, ", ");
        buf_adds(&b, db->names[it[i]]);
    }
    return buf_detach(&b);
}

/* Append the names of it[0..n) joined by ", " and a NUL to b. */
static void
join_into(struct buf *b, const struct fim_db *db, const int32_t *it, int n)
{
    for (int i = 0; i < n; i++) {
        if (i)
            buf_add(b, ", ", 2);
        buf_adds(b, db->names[it[i]]);
    }
    buf_add(b, "", 1);
}

/*
 * The strings of a text column sit one after another in one arena; while
 * it grows, text[i] holds the offset of string i, made pointers at the end.
 */
static void
arena_fix(char **text, long long n, char *arena)
{
    for (long long i = 0; i < n; i++)
        text[i] = arena + (intptr_t)text[i];
}

char *
arules_side(const struct arules *a, long long i, int want_ante)
{
    int32_t it[32];
    int n = assoc_side(&a->sets, &a->rules[i], want_ante, it);
    return join(&a->db, it, n);
}

void
arules_cols(const struct arules *a, struct arules_cols *c)
{
    static char ante[] = "antecedent", cons[] = "consequent";
    memset(c, 0, sizeof *c);
    for (int k = 0; k < 3; k++)
        buf_init(&c->arena[k]);
    const struct fim_sets *s = &a->sets;
    long long ns = a->n_kept, nr = a->n_rules, ni = 0, w = 0;
    for (int k = 0; k < 6; k++)
        c->text[k] = xcalloc((size_t)(k < 1 ? ns : k < 3 ? nr : 1) + 1, sizeof(char *));
    for (long long i = 0; i < nr; i++)
        ni += fim_size(s, a->rules[i].set);
    free(c->text[3]);
    free(c->text[4]);
    c->text[3] = xcalloc((size_t)ni + 1, sizeof(char *)); /* side */
    c->text[4] = xcalloc((size_t)ni + 1, sizeof(char *)); /* item */
    for (int k = 0; k < 16; k++) /* 0-2 itemsets, 3-8 rules, 9 items, 10-14 levels */
        c->num[k] = xcalloc((size_t)(k < 3 ? ns : k < 9 ? nr : k < 10 ? ni : 0) + 33,
                            sizeof(double));
    for (long long i = 0; i < s->n; i++) {
        if (!a->keep[i])
            continue;
        c->text[0][w] = (char *)(intptr_t)c->arena[0].len;
        join_into(&c->arena[0], &a->db, s->items + s->off[i], fim_size(s, i));
        c->num[0][w] = fim_size(s, i);
        c->num[1][w] = (double)s->count[i];
        c->num[2][w] = (double)s->count[i] / (double)a->db.n_trans;
        w++;
    }
    c->sets[0] = (struct frame_out){"itemset", CATALOG_TEXT, NULL, (const char *const *)c->text[0]};
    c->sets[1] = (struct frame_out){"size", CATALOG_INTEGER, c->num[0], NULL};
    c->sets[2] = (struct frame_out){"count", CATALOG_INTEGER, c->num[1], NULL};
    c->sets[3] = (struct frame_out){"support", CATALOG_REAL, c->num[2], NULL};
    long long at = 0;
    for (long long i = 0; i < nr; i++) {
        const struct assoc_rule *r = &a->rules[i];
        c->num[3][i] = (double)(i + 1);
        for (int side = 1; side >= 0; side--) {
            int32_t its[32];
            int k = assoc_side(s, r, side, its);
            c->text[2 - side][i] = (char *)(intptr_t)c->arena[2 - side].len;
            join_into(&c->arena[2 - side], &a->db, its, k);
        }
        c->num[4][i] = r->support;
        c->num[5][i] = r->confidence;
        c->num[6][i] = r->lift;
        c->num[7][i] = r->leverage;
        c->num[8][i] = r->conviction;
        const int32_t *it = s->items + s->off[r->set];
        for (int side = 1; side >= 0; side--)
            for (int j = 0; j < fim_size(s, r->set); j++)
                if (((r->ante >> j) & 1u) == (unsigned)side) {
                    c->num[9][at] = (double)(i + 1);
                    /* shared strings, not copies: 700,000 rows are common */
                    c->text[3][at] = side ? ante : cons;
                    c->text[4][at] = a->db.names[it[j]];
                    at++;
                }
    }
    arena_fix(c->text[0], ns, c->arena[0].data);
    arena_fix(c->text[1], nr, c->arena[1].data);
    arena_fix(c->text[2], nr, c->arena[2].data);
    c->rules[0] = (struct frame_out){"rule", CATALOG_INTEGER, c->num[3], NULL};
    c->rules[1] = (struct frame_out){"antecedent", CATALOG_TEXT, NULL,
                                     (const char *const *)c->text[1]};
    c->rules[2] = (struct frame_out){"consequent", CATALOG_TEXT, NULL,
                                     (const char *const *)c->text[2]};
    static const char *const measure[5] = {"support", "confidence", "lift", "leverage",
                                           "conviction"};
    for (int k = 0; k < 5; k++)
        c->rules[3 + k] = (struct frame_out){measure[k], CATALOG_REAL, c->num[4 + k], NULL};
    c->items[0] = (struct frame_out){"rule", CATALOG_INTEGER, c->num[9], NULL};
    c->items[1] = (struct frame_out){"side", CATALOG_TEXT, NULL, (const char *const *)c->text[3]};
    c->items[2] = (struct frame_out){"item", CATALOG_TEXT, NULL, (const char *const *)c->text[4]};
    static const char *const level[5] = {"k", "generated", "pruned", "counted", "frequent"};
    for (int i = 0; i < a->n_levels; i++) {
        const struct fim_level *l = &a->levels[i];
        c->num[10][i] = l->k;
        c->num[11][i] = (double)l->generated;
        c->num[12][i] = (double)l->pruned;
        c->num[13][i] = (double)l->counted;
        c->num[14][i] = (double)l->frequent;
    }
    for (int k = 0; k < 5; k++)
        c->levels[k] = (struct frame_out){level[k], CATALOG_INTEGER, c->num[10 + k], NULL};
    c->n_sets = ns;
    c->n_rules = nr;
    c->n_items = ni;
}

void
arules_cols_release(struct arules_cols *c)
{
    /* the strings are in the arenas or shared with the database */
    for (int k = 0; k < 6; k++)
        free(c->text[k]);
    for (int k = 0; k < 3; k++)
        buf_release(&c->arena[k]);
    for (int k = 0; k < 16; k++)
        free(c->num[k]);
    memset(c, 0, sizeof *c);
}

void
arules_release(struct arules *a)
{
    fim_db_release(&a->db);
    fim_sets_release(&a->sets);
    free(a->keep);
    free(a->rules);
    memset(a, 0, sizeof *a);
}
