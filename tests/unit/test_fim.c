/*
 * test_fim.c: the textbook basket (Han, Kamber and Pei, Data Mining:
 * Concepts and Techniques, 3rd ed., table 6.1, the AllElectronics
 * transactions T100..T900) at a support count of 2, worked out by hand:
 * the 13 frequent itemsets and their counts for each of FP-Growth,
 * Apriori and Eclat; Apriori's levels (C2 10 candidates, C3 6 joined of
 * which 4 are pruned, C4 {I1,I2,I3,I5} pruned since {I2,I3,I5} is not
 * frequent); the closed (9) and maximal (3) itemsets; the 6 rules of
 * confidence >= 0.7 with their measures in order of lift; the rules into
 * I2 at confidence >= 0.6 (conviction of I1 -> I2 is 2/3); maxlen; the
 * bound on the output, before and while mining.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "rules/assoc.h"
#include "rules/fim.h"

static const char *const basket[] = {
    "I1", "I2", "I5", /* T100 */
    "I2", "I4",       /* T200 */
    "I2", "I3",       /* T300 */
    "I1", "I2", "I4", /* T400 */
    "I1", "I3",       /* T500 */
    "I2", "I3",       /* T600 */
    "I1", "I3",       /* T700 */
    "I1", "I2", "I3", "I5", /* T800 */
    "I1", "I2", "I3", /* T900 */
};
static const long long basket_off[] = {0, 3, 5, 7, 10, 12, 14, 16, 20, 23};

/* The itemsets as text, "I1 I2:4", in fim's order (size, then items). */
static const char *const want_sets[] = {
    "I1:6", "I2:7", "I3:6", "I4:2", "I5:2",
    "I1 I2:4", "I1 I3:4", "I1 I5:2", "I2 I3:4", "I2 I4:2", "I2 I5:2",
    "I1 I2 I3:2", "I1 I2 I5:2",
};

static void
set_text(const struct fim_db *db, const struct fim_sets *s, long long i, char *out, size_t cap)
{
    out[0] = 0;
    for (long long j = s->off[i]; j < s->off[i + 1]; j++) {
        if (j > s->off[i])
            strncat(out, " ", cap - strlen(out) - 1);
        strncat(out, db->names[s->items[j]], cap - strlen(out) - 1);
    }
    char c[32];
    snprintf(c, sizeof c, ":%lld", s->count[i]);
    strncat(out, c, cap - strlen(out) - 1);
}

static void
mine(const struct fim_db *db, enum fim_method m, int maxlen, long long limit,
     struct fim_sets *s, struct qerr *err, struct fim_level *lv, int *n_lv)
{
    struct fim_opts o = {.method = m, .minsup = 2, .maxlen = maxlen, .limit = limit,
                         .levels = lv};
    memset(s, 0, sizeof *s);
    fim_mine(db, &o, s, err);
    if (n_lv)
        *n_lv = o.n_levels;
}

static void
test_itemsets(const struct fim_db *db)
{
    for (int m = FIM_FPGROWTH; m <= FIM_ECLAT; m++) {
        struct fim_sets s;
        struct qerr err = QERR_INIT;
        mine(db, (enum fim_method)m, 5, 0, &s, &err, NULL, NULL);
        CHECK_INT(err.code, QE_OK);
        CHECK_INT(s.n, 13);
        for (long long i = 0; i < s.n && i < 13; i++) {
            char t[128];
            set_text(db, &s, i, t, sizeof t);
            CHECK_STR(t, want_sets[i]);
        }
        CHECK_INT(s.n_freq_items, 5);
        CHECK_INT(s.n_freq_pairs, 6);
        fim_sets_release(&s);
        /* maxlen=2: the 11 itemsets of one and two items */
        mine(db, (enum fim_method)m, 2, 0, &s, &err, NULL, NULL);
        CHECK_INT(s.n, 11);
        fim_sets_release(&s);
        qerr_clear(&err);
    }
}

static void
test_levels(const struct fim_db *db)
{
    struct fim_level lv[5];
    int n = 0;
    struct fim_sets s;
    struct qerr err = QERR_INIT;
    mine(db, FIM_APRIORI, 5, 0, &s, &err, lv, &n);
    CHECK_INT(n, 4);
    /* k, generated, pruned, counted, frequent */
    static const long long want[4][5] = {
        {1, 5, 0, 5, 5}, {2, 10, 0, 10, 6}, {3, 6, 4, 2, 2}, {4, 1, 1, 0, 0}};
    for (int i = 0; i < n && i < 4; i++) {
        CHECK_INT(lv[i].k, want[i][0]);
        CHECK_INT(lv[i].generated, want[i][1]);
        CHECK_INT(lv[i].pruned, want[i][2]);
        CHECK_INT(lv[i].counted, want[i][3]);
        CHECK_INT(lv[i].frequent, want[i][4]);
    }
    fim_sets_release(&s);
}

static void
test_filters(const struct fim_db *db)
{
    struct fim_sets s;
    struct qerr err = QERR_INIT;
    mine(db, FIM_FPGROWTH, 5, 0, &s, &err, NULL, NULL);
    unsigned char keep[13];
    /* closed: all but I4, I5, {I1,I5}, {I2,I5} (a superset with the same count) */
    static const unsigned char closed[13] = {1, 1, 1, 0, 0, 1, 1, 0, 1, 1, 0, 1, 1};
    static const unsigned char maximal[13] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1};
    CHECK_OK(fim_filter(&s, FIM_CLOSED, keep, &err), err);
    for (int i = 0; i < 13; i++)
        CHECK_INT(keep[i], closed[i]);
    CHECK_OK(fim_filter(&s, FIM_MAXIMAL, keep, &err), err);
    for (int i = 0; i < 13; i++)
        CHECK_INT(keep[i], maximal[i]);
    fim_sets_release(&s);
}

static void
side_text(const struct fim_db *db, const struct fim_sets *s, const struct assoc_rule *r,
          int ante, char *out, size_t cap)
{
    int32_t it[32];
    int n = assoc_side(s, r, ante, it);
    out[0] = 0;
    for (int i = 0; i < n; i++) {
        if (i)
            strncat(out, " ", cap - strlen(out) - 1);
        strncat(out, db->names[it[i]], cap - strlen(out) - 1);
    }
}

static void
test_rules(const struct fim_db *db)
{
    struct fim_sets s;
    struct qerr err = QERR_INIT;
    mine(db, FIM_FPGROWTH, 5, 0, &s, &err, NULL, NULL);
    struct assoc_rule *r = NULL;
    long long n = 0;
    struct assoc_opts o = {.minconf = 0.7, .target = -1};
    CHECK_OK(assoc_rules(&s, 9, &o, &r, &n, &err), err);
    CHECK_INT(n, 6);
    static const struct {
        const char *a, *c;
        double lift, leverage;
    } want[6] = {
        {"I5", "I1 I2", 2.25, 10.0 / 81}, {"I5", "I1", 1.5, 6.0 / 81},
        {"I2 I5", "I1", 1.5, 6.0 / 81},   {"I4", "I2", 9.0 / 7, 4.0 / 81},
        {"I5", "I2", 9.0 / 7, 4.0 / 81},  {"I1 I5", "I2", 9.0 / 7, 4.0 / 81},
    };
    for (int i = 0; i < n && i < 6; i++) {
        char a[64], c[64];
        side_text(db, &s, &r[i], 1, a, sizeof a);
        side_text(db, &s, &r[i], 0, c, sizeof c);
        CHECK_STR(a, want[i].a);
        CHECK_STR(c, want[i].c);
        CHECK_NEAR(r[i].support, 2.0 / 9, 1e-15);
        CHECK_NEAR(r[i].confidence, 1.0, 0);
        CHECK_NEAR(r[i].lift, want[i].lift, 1e-12);
        CHECK_NEAR(r[i].leverage, want[i].leverage, 1e-15);
        CHECK(isnan(r[i].conviction)); /* confidence 1: infinite */
    }
    free(r);
    /* into I2 at 0.6: I4, I5, {I1,I5} (confidence 1), I1 and I3 (4/6) */
    o = (struct assoc_opts){.minconf = 0.6, .target = fim_db_find(db, "I2")};
    CHECK_OK(assoc_rules(&s, 9, &o, &r, &n, &err), err);
    CHECK_INT(n, 5);
    for (int i = 0; i < n && i < 5; i++) {
        char a[64], c[64];
        side_text(db, &s, &r[i], 1, a, sizeof a);
        side_text(db, &s, &r[i], 0, c, sizeof c);
        CHECK_STR(c, "I2");
        if (strcmp(a, "I1") == 0) {
            CHECK_NEAR(r[i].confidence, 4.0 / 6, 1e-15);
            CHECK_NEAR(r[i].lift, 6.0 / 7, 1e-15);
            CHECK_NEAR(r[i].leverage, -6.0 / 81, 1e-15);
            CHECK_NEAR(r[i].conviction, 2.0 / 3, 1e-15);
        }
    }
    free(r);
    /* minlift 1.4 keeps the lift-2.25 and lift-1.5 rules */
    o = (struct assoc_opts){.minconf = 0.7, .minlift = 1.4, .target = -1};
    CHECK_OK(assoc_rules(&s, 9, &o, &r, &n, &err), err);
    CHECK_INT(n, 3);
    free(r);
    fim_sets_release(&s);
}

static void
test_bound(const struct fim_db *db)
{
    struct fim_sets s;
    struct qerr err = QERR_INIT;
    /* 5 items + 6 pairs = 11 > 10: refused before mining */
    mine(db, FIM_FPGROWTH, 5, 10, &s, &err, NULL, NULL);
    CHECK_INT(err.code, QE_ARG);
    CHECK_HAS(err.msg, "at least 11 frequent itemsets");
    fim_sets_release(&s);
    qerr_clear(&err);
    /* 11 <= 12 but 13 > 12: refused while mining, by every miner */
    for (int m = FIM_FPGROWTH; m <= FIM_ECLAT; m++) {
        mine(db, (enum fim_method)m, 5, 12, &s, &err, NULL, NULL);
        CHECK_INT(err.code, QE_ARG);
        CHECK_HAS(err.msg, "more than 12 frequent itemsets");
        fim_sets_release(&s);
        qerr_clear(&err);
        mine(db, (enum fim_method)m, 5, 13, &s, &err, NULL, NULL);
        CHECK_INT(err.code, QE_OK);
        CHECK_INT(s.n, 13);
        fim_sets_release(&s);
    }
}

int
main(void)
{
    struct fim_db db;
    struct qerr err = QERR_INIT;
    CHECK_OK(fim_db_from_lists(&db, basket, basket_off, 9, &err), err);
    CHECK_INT(db.n_items, 5);
    CHECK_INT(db.n_trans, 9);
    CHECK_STR(db.names[4], "I5");
    CHECK_INT(fim_db_find(&db, "I3"), 2);
    test_itemsets(&db);
    test_levels(&db);
    test_filters(&db);
    test_rules(&db);
    test_bound(&db);
    fim_db_release(&db);
    return check_done("test_fim");
}
