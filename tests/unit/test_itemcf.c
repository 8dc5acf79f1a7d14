/*
 * test_itemcf.c: the binary user x item matrix, item-item cosine
 * neighbours and top-N lists (itemcf, rules, popularity) on a four-user,
 * four-item log worked by hand:
 *   u0: A B C (A twice)   u1: A B   u2: B C D   u3: A D
 *   U(A) = {0,1,3}  U(B) = {0,1,2}  U(C) = {0,2}  U(D) = {2,3}
 *   cos(A,B) = 2/3           cos(A,C) = 1/sqrt 6   cos(A,D) = 1/sqrt 6
 *   cos(B,C) = 2/sqrt 6      cos(B,D) = 1/sqrt 6   cos(C,D) = 1/2
 * A cancel from the progress callback stops both passes.
 * Against scikit-learn (tests/oracles/itemcf.py wrote tests/data/itemcf_*):
 * on a seeded 300 x 40 log with repeats, every item pair's cosine equals
 * cosine_similarity on the binary columns, and each user's top 5 equals
 * the top 5 of X S (S with a zero diagonal, seen items excluded).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "recommend/itemcf.h"
#include "recommend/recmat.h"

enum { A, B, C, D };

static const int32_t users[] = {0, 0, 0, 0, 1, 1, 2, 2, 2, 3, 3, -1, 1};
static const int32_t items[] = {A, B, C, A, A, B, B, C, D, A, D, B, -1};
#define N_ROWS ((long long)(sizeof users / sizeof users[0]))

static void
build(struct recmat *m)
{
    struct qerr err = {0};
    CHECK_OK(recmat_build(m, users, items, N_ROWS, 4, 4, NULL, NULL, &err), err);
}

static void
test_matrix(void)
{
    struct recmat m;
    build(&m);
    CHECK_INT(m.nnz, 10);   /* 3 + 2 + 3 + 2 distinct pairs */
    CHECK_INT(m.n_dup, 1);  /* u0's second A; the rows with -1 are skipped, not duplicates */
    CHECK_INT(recmat_item_count(&m, A), 3);
    CHECK_INT(recmat_item_count(&m, C), 2);
    CHECK(recmat_has(&m, 3, D));
    CHECK(!recmat_has(&m, 3, B));
    CHECK_NEAR(recmat_cosine(&m, A, B), 2.0 / 3.0, 1e-15);
    CHECK_NEAR(recmat_cosine(&m, B, C), 2.0 / sqrt(6.0), 1e-15);
    CHECK_NEAR(recmat_cosine(&m, C, D), 0.5, 1e-15);
    CHECK_NEAR(recmat_cosine(&m, A, D), 1.0 / sqrt(6.0), 1e-15);
    recmat_release(&m);
}

static void
test_neighbours(void)
{
    struct recmat m;
    struct itemcf cf;
    struct qerr err = {0};
    build(&m);
    CHECK_OK(itemcf_fit(&cf, &m, 10, NULL, &err), err);
    CHECK_INT(cf.k, 3); /* k above n_items - 1 keeps every neighbour */
    CHECK_INT(cf.n_nb[A], 3);
    /* A: B 2/3, then C and D tie at 1/sqrt 6, C first (lower code) */
    CHECK_INT(cf.nb[A * 3 + 0], B);
    CHECK_NEAR(cf.sim[A * 3 + 0], 2.0 / 3.0, 1e-15);
    CHECK_INT(cf.nb[A * 3 + 1], C);
    CHECK_INT(cf.nb[A * 3 + 2], D);
    /* D: C 1/2, then A and B at 1/sqrt 6 */
    CHECK_INT(cf.nb[D * 3 + 0], C);
    CHECK_NEAR(cf.sim[D * 3 + 0], 0.5, 1e-15);
    CHECK_INT(cf.nb[D * 3 + 1], A);
    itemcf_release(&cf);
    /* k = 1: each item's single nearest: A->B, B->C, C->B, D->C */
    CHECK_OK(itemcf_fit(&cf, &m, 1, NULL, &err), err);
    CHECK_INT(cf.nb[A], B);
    CHECK_INT(cf.nb[B], C);
    CHECK_INT(cf.nb[C], B);
    CHECK_INT(cf.nb[D], C);
    itemcf_release(&cf);
    /* the two items most like D: C 1/2, then A 1/sqrt 6 (A before B on the tie) */
    int32_t it[2];
    double sim[2];
    CHECK_INT(itemcf_similar(&m, D, 2, it, sim, &err), 2);
    CHECK_INT(it[0], C);
    CHECK_NEAR(sim[0], 0.5, 1e-15);
    CHECK_INT(it[1], A);
    CHECK_NEAR(sim[1], 1.0 / sqrt(6.0), 1e-15);
    recmat_release(&m);
}

static void
test_itemcf_lists(void)
{
    struct recmat m;
    struct itemcf cf;
    struct rec_lists l;
    struct qerr err = {0};
    build(&m);
    CHECK_OK(itemcf_fit(&cf, &m, 3, NULL, &err), err);
    struct rec_ask a = {.method = REC_ITEMCF, .m = &m, .cf = &cf, .n = 2, .exclude_seen = 1};
    CHECK_OK(rec_top(&a, &l, NULL, &err), err);
    double s6 = 1.0 / sqrt(6.0);
    /* u1 (A B): C = 1/sqrt6 + 2/sqrt6, D = 1/sqrt6 + 1/sqrt6 */
    CHECK_INT(l.item[1 * 2 + 0], C);
    CHECK_NEAR(l.score[1 * 2 + 0], 3 * s6, 1e-12);
    CHECK_INT(l.item[1 * 2 + 1], D);
    CHECK_NEAR(l.score[1 * 2 + 1], 2 * s6, 1e-12);
    /* u3 (A D): B = 2/3 + 1/sqrt6, C = 1/sqrt6 + 1/2 */
    CHECK_INT(l.item[3 * 2 + 0], B);
    CHECK_NEAR(l.score[3 * 2 + 0], 2.0 / 3.0 + s6, 1e-12);
    CHECK_INT(l.item[3 * 2 + 1], C);
    CHECK_NEAR(l.score[3 * 2 + 1], s6 + 0.5, 1e-12);
    /* u0 (A B C): only D is left, 2/sqrt6 + 1/2; the second slot stays empty */
    CHECK_INT(rec_list_len(&l, 0), 1);
    CHECK_INT(l.item[0], D);
    CHECK_NEAR(l.score[0], 2 * s6 + 0.5, 1e-12);
    rec_lists_release(&l);
    /* exclude=none, n = 4, u1: C 3/sqrt6, D 2/sqrt6, then A and B at 2/3, A first */
    a.n = 4;
    a.exclude_seen = 0;
    CHECK_OK(rec_top(&a, &l, NULL, &err), err);
    CHECK_INT(l.item[4 + 0], C);
    CHECK_INT(l.item[4 + 1], D);
    CHECK_INT(l.item[4 + 2], A);
    CHECK_NEAR(l.score[4 + 2], 2.0 / 3.0, 1e-12);
    CHECK_INT(l.item[4 + 3], B);
    rec_lists_release(&l);
    itemcf_release(&cf);
    /* k = 1, u1 (A B): A's neighbour B is seen, B's is C: C alone at 2/sqrt6 */
    CHECK_OK(itemcf_fit(&cf, &m, 1, NULL, &err), err);
    a.n = 2;
    a.exclude_seen = 1;
    unsigned char only[4] = {0, 1, 0, 0};
    a.users = only;
    CHECK_OK(rec_top(&a, &l, NULL, &err), err);
    CHECK_INT(rec_list_len(&l, 1), 1);
    CHECK_INT(l.item[2], C);
    CHECK_NEAR(l.score[2], 2 * s6, 1e-12);
    CHECK_INT(rec_list_len(&l, 0), 0); /* not asked for */
    rec_lists_release(&l);
    itemcf_release(&cf);
    recmat_release(&m);
}

static void
test_popular_and_rules(void)
{
    struct recmat m;
    struct rec_lists l;
    struct qerr err = {0};
    build(&m);
    /* popularity: A 3, B 3, C 2, D 2 */
    struct rec_ask a = {.method = REC_POPULAR, .m = &m, .n = 2, .exclude_seen = 1};
    CHECK_OK(rec_top(&a, &l, NULL, &err), err);
    CHECK_INT(l.item[2 * 2 + 0], A); /* u2 has B C D: A alone */
    CHECK_NEAR(l.score[2 * 2 + 0], 3, 0);
    CHECK_INT(rec_list_len(&l, 2), 1);
    CHECK_INT(l.item[3 * 2 + 0], B); /* u3 has A D: B 3, C 2 */
    CHECK_INT(l.item[3 * 2 + 1], C);
    rec_lists_release(&l);
    /* rules: A -> B (0.6), A D -> C (0.5), B C -> D (0.9), D -> B (0.8) */
    long long aptr[] = {0, 1, 3, 5, 6}, cptr[] = {0, 1, 2, 3, 4};
    int32_t aitem[] = {A, A, D, B, C, D}, citem[] = {B, C, D, B};
    double conf[] = {0.6, 0.5, 0.9, 0.8};
    struct rec_rules r = {4, aptr, aitem, cptr, citem, conf};
    a.method = REC_RULES;
    a.rules = &r;
    CHECK_OK(rec_top(&a, &l, NULL, &err), err);
    /* u3 (A D): B by the better of 0.6 and 0.8, C by 0.5 */
    CHECK_INT(l.item[3 * 2 + 0], B);
    CHECK_NEAR(l.score[3 * 2 + 0], 0.8, 0);
    CHECK_INT(l.item[3 * 2 + 1], C);
    CHECK_NEAR(l.score[3 * 2 + 1], 0.5, 0);
    /* u0 (A B C): A -> B and B C -> D fire; B is seen, D at 0.9 */
    CHECK_INT(rec_list_len(&l, 0), 1);
    CHECK_INT(l.item[0], D);
    CHECK_NEAR(l.score[0], 0.9, 0);
    /* u1 (A B): only A -> B fires and B is seen: nothing */
    CHECK_INT(rec_list_len(&l, 1), 0);
    rec_lists_release(&l);
    recmat_release(&m);
}

static int
cancel(void *pctx, double fraction)
{
    (void)pctx;
    (void)fraction;
    return 1;
}

static void
test_cancel(void)
{
    struct recmat m;
    struct itemcf cf;
    struct rec_lists l;
    struct qerr err = {0};
    build(&m);
    struct tick t;
    tick_init(&t, cancel, NULL);
    CHECK_INT(itemcf_fit(&cf, &m, 3, &t, &err), -1);
    CHECK_INT(err.code, QE_INTERRUPT);
    CHECK(cf.nb == NULL);
    qerr_clear(&err);
    struct qerr err2 = {0};
    tick_init(&t, cancel, NULL);
    struct rec_ask a = {.method = REC_POPULAR, .m = &m, .n = 2, .exclude_seen = 1};
    CHECK_INT(rec_top(&a, &l, &t, &err2), -1);
    CHECK_INT(err2.code, QE_INTERRUPT);
    qerr_clear(&err2);
    recmat_release(&m);
}

#define O_USERS 300
#define O_ITEMS 40

static void
test_sklearn(void)
{
    FILE *f = fopen("tests/data/itemcf_log.csv", "r");
    CHECK(f != NULL);
    if (!f)
        return;
    static int32_t u[4000], it[4000];
    long long n = 0;
    char line[64];
    CHECK(fgets(line, sizeof line, f) != NULL); /* header */
    while (n < 4000 && fscanf(f, "%d,%d", &u[n], &it[n]) == 2)
        n++;
    fclose(f);
    CHECK_INT(n, 2119);
    struct recmat m;
    struct itemcf cf;
    struct rec_lists l;
    struct qerr err = {0};
    CHECK_OK(recmat_build(&m, u, it, n, O_USERS, O_ITEMS, NULL, NULL, &err), err);
    CHECK_INT(m.nnz, 1931);
    CHECK_OK(itemcf_fit(&cf, &m, 100, NULL, &err), err);
    struct rec_ask a = {.method = REC_ITEMCF, .m = &m, .cf = &cf, .n = 5, .exclude_seen = 1};
    CHECK_OK(rec_top(&a, &l, NULL, &err), err);

    f = fopen("tests/data/itemcf_top.txt", "r");
    CHECK(f != NULL);
    if (!f)
        goto out;
    static double s[O_ITEMS][O_ITEMS];
    int rows, cols, bad_cos = 0, bad_nb = 0, bad_item = 0, bad_score = 0;
    CHECK_INT(fscanf(f, "cosine %d %d", &rows, &cols), 2);
    for (int r = 0; r < rows; r++) {
        int i, j;
        double c;
        CHECK_INT(fscanf(f, "%d %d %lf", &i, &j, &c), 3);
        s[i][j] = s[j][i] = c;
    }
    for (int i = 0; i < O_ITEMS; i++) {
        int nz = 0;
        for (int j = 0; j < O_ITEMS; j++) {
            nz += s[i][j] != 0;
            bad_cos += i != j && fabs(recmat_cosine(&m, i, j) - s[i][j]) > 1e-12;
        }
        bad_nb += cf.n_nb[i] != nz;
        for (int q = 0; q < cf.n_nb[i]; q++)
            bad_nb += fabs(cf.sim[i * cf.k + q] - s[i][cf.nb[i * cf.k + q]]) > 1e-12;
    }
    CHECK_INT(bad_cos, 0);
    CHECK_INT(bad_nb, 0);
    CHECK_INT(fscanf(f, " top %d %d", &rows, &cols), 2);
    long long listed = 0;
    for (int us = 0; us < O_USERS; us++)
        listed += rec_list_len(&l, us);
    CHECK_INT(listed, rows);
    for (int r = 0; r < rows; r++) {
        int uu, rank, j, tie;
        double sc;
        CHECK_INT(fscanf(f, "%d %d %d %lf %d", &uu, &rank, &j, &sc, &tie), 5);
        long long at = (long long)uu * 5 + rank - 1;
        bad_score += !(fabs(l.score[at] - sc) <= 1e-9);
        bad_item += !tie && l.item[at] != j;
    }
    CHECK_INT(bad_score, 0);
    CHECK_INT(bad_item, 0);
    fclose(f);
out:
    rec_lists_release(&l);
    itemcf_release(&cf);
    recmat_release(&m);
}

int
main(void)
{
    test_sklearn();
    test_matrix();
    test_neighbours();
    test_itemcf_lists();
    test_popular_and_rules();
    test_cancel();
    return check_done("itemcf");
}
