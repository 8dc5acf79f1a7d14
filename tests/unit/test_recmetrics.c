/*
 * test_recmetrics.c: the hold-out split and the top-N metrics on small
 * examples worked by hand (the formulas are in recmetrics.h).
 *
 * Metrics: items 0..4; train u0 {0,1}, u1 {1,2}, u2 {0,3}; held out
 * u0 {2}, u1 {0,3}, u2 none; lists (N = 3) u0 [3 2 4], u1 [3 4 0],
 * u2 [1 2] (not evaluated: it holds nothing out).
 *   precision = (1/3 + 2/3) / 2 = 1/2      recall = (1/1 + 2/2) / 2 = 1
 *   hit rate  = 1                          AP(u0) = (1/2) / 1 = 1/2
 *   AP(u1) = (1/1 + 2/3) / min(2, 3) = 5/6  MAP = (1/2 + 5/6) / 2 = 2/3
 *   coverage = |{3,2,4,0}| / 5 = 0.8
 *   diversity: train U(0) = {u0,u2}, U(1) = {u0,u1}, U(2) = {u1},
 *   U(3) = {u2}, U(4) = {}; u0's pairs all have cosine 0 -> 1;
 *   u1's: cos(3,4) = 0, cos(3,0) = 1/sqrt 2, cos(4,0) = 0 ->
 *   1 - (1/sqrt 2) / 3; mean of the two.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "recommend/recmetrics.h"

static void
from_pairs(struct recmat *m, const int32_t *u, const int32_t *i, long long n)
{
    struct qerr err = {0};
    CHECK_OK(recmat_build(m, u, i, n, 3, 5, NULL, NULL, &err), err);
}

static void
test_metrics(void)
{
    const int32_t tru[] = {0, 0, 1, 1, 2, 2}, tri[] = {0, 1, 1, 2, 0, 3};
    const int32_t teu[] = {0, 1, 1}, tei[] = {2, 0, 3};
    struct recmat train, test;
    from_pairs(&train, tru, tri, 6);
    from_pairs(&test, teu, tei, 3);
    int32_t item[9] = {3, 2, 4, 3, 4, 0, 1, 2, -1};
    double score[9] = {0};
    struct rec_lists l = {3, 3, item, score};
    struct rec_metrics r;
    struct qerr err = {0};
    CHECK_OK(rec_evaluate(&l, &test, &train, 5, &r, NULL, &err), err);
    CHECK_INT(r.n_users, 2);
    CHECK_NEAR(r.precision, 0.5, 1e-15);
    CHECK_NEAR(r.recall, 1.0, 1e-15);
    CHECK_NEAR(r.hit_rate, 1.0, 1e-15);
    CHECK_NEAR(r.map, 2.0 / 3.0, 1e-15);
    CHECK_NEAR(r.coverage, 0.8, 1e-15);
    CHECK_INT(r.n_div_lists, 2);
    CHECK_NEAR(r.diversity, (1 + 1 - (1 / sqrt(2.0)) / 3) / 2, 1e-15);
    /* u1's list loses its hit at rank 1: precision (1/3 + 1/3) / 2, recall (1 + 1/2) / 2,
     * AP(u1) = (1/3) / 2 */
    item[3] = 1;
    CHECK_OK(rec_evaluate(&l, &test, &train, 5, &r, NULL, &err), err);
    CHECK_NEAR(r.precision, 1.0 / 3.0, 1e-15);
    CHECK_NEAR(r.recall, 0.75, 1e-15);
    CHECK_NEAR(r.map, (0.5 + 1.0 / 6.0) / 2, 1e-15);
    CHECK_NEAR(r.coverage, 1.0, 1e-15); /* {3,2,4} and {1,4,0}: all five */
    /* N = 1, u0 [3] misses, u1 [0] hits: AP(u1) = 1 / min(2, 1) = 1, MAP 1/2, recall 1/4 */
    int32_t one[3] = {3, 0, 1};
    struct rec_lists l1 = {3, 1, one, score};
    CHECK_OK(rec_evaluate(&l1, &test, &train, 5, &r, NULL, &err), err);
    CHECK_NEAR(r.map, 0.5, 1e-15);
    CHECK_NEAR(r.recall, 0.25, 1e-15);
    CHECK_NEAR(r.precision, 0.5, 1e-15);
    CHECK_INT(r.n_div_lists, 0);
    CHECK(isnan(r.diversity));
    /* nothing held out: refused */
    struct recmat none;
    from_pairs(&none, teu, tei, 0);
    CHECK_INT(rec_evaluate(&l, &none, &train, 5, &r, NULL, &err), -1);
    CHECK_INT(err.code, QE_DATA);
    qerr_clear(&err);
    recmat_release(&none);
    recmat_release(&train);
    recmat_release(&test);
}

/*
 * Split: u0 has a (t 1 and 5), b (t 3), c (t 2): its last is a; u1 has one
 * item and keeps it; u2 has x (no time) and y (t 1): its last is y.
 */
static void
test_holdout(void)
{
    enum { a, b, c, x, y };
    const int32_t u[] = {0, 0, 0, 0, 1, 2, 2};
    const int32_t i[] = {a, b, c, a, b, x, y};
    const double t[] = {1, 3, 2, 5, 9, NAN, 1};
    struct recmat train, test;
    struct qerr err = {0};
    CHECK_OK(rec_holdout(u, i, t, 7, 3, 5, 0, 1, &train, &test, NULL, &err), err);
    CHECK_INT(test.nnz, 2);
    CHECK(recmat_has(&test, 0, a));
    CHECK(recmat_has(&test, 2, y));
    CHECK_INT(train.nnz, 4); /* u0 b c, u1 b, u2 x */
    CHECK(recmat_has(&train, 1, b));
    CHECK(!recmat_has(&train, 0, a));
    recmat_release(&train);
    recmat_release(&test);
    /* without times: the last row of each pair; u0's a last appears at row 3 */
    CHECK_OK(rec_holdout(u, i, NULL, 7, 3, 5, 0, 1, &train, &test, NULL, &err), err);
    CHECK(recmat_has(&test, 0, a));
    CHECK(recmat_has(&test, 2, y));
    recmat_release(&train);
    recmat_release(&test);
    /* share 0.5 with times: u0 holds out round(1.5) = 2, a and b; u2 round(1) = 1 */
    CHECK_OK(rec_holdout(u, i, t, 7, 3, 5, 0.5, 1, &train, &test, NULL, &err), err);
    CHECK_INT(test.nnz, 3);
    CHECK(recmat_has(&test, 0, a));
    CHECK(recmat_has(&test, 0, b));
    CHECK(recmat_has(&train, 0, c));
    recmat_release(&train);
    recmat_release(&test);
    /* share 0.9 without times: at most d - 1 held out, drawn by the seed, the same twice */
    struct recmat train2, test2;
    CHECK_OK(rec_holdout(u, i, NULL, 7, 3, 5, 0.9, 7, &train, &test, NULL, &err), err);
    CHECK_OK(rec_holdout(u, i, NULL, 7, 3, 5, 0.9, 7, &train2, &test2, NULL, &err), err);
    CHECK_INT(test.uptr[1] - test.uptr[0], 2);
    CHECK_INT(train.uptr[1] - train.uptr[0], 1);
    CHECK_INT(test.nnz, test2.nnz);
    CHECK(memcmp(test.uitem, test2.uitem, (size_t)test.nnz * sizeof(int32_t)) == 0);
    recmat_release(&train);
    recmat_release(&test);
    recmat_release(&train2);
    recmat_release(&test2);
}

int
main(void)
{
    test_metrics();
    test_holdout();
    return check_done("recmetrics");
}
