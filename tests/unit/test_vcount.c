/*
 * test_vcount.c: vcount (src/prep/vcount.h), counting values in a hash table.
 *
 * Plan (every expected value by hand):
 *   1. counts and the number of distinct values of a short list; the mode
 *      is the most frequent value, the smallest of equally frequent ones,
 *      in whatever order they come
 *   2. -0 and 0 are one value; infinities are values
 *   3. past the first table size (1024 slots): 5000 distinct values each
 *      counted k % 3 + 1 times, the counts survive every growth
 */
#include <math.h>
#include <stdio.h>

#include "check.h"
#include "prep/vcount.h"

static void
test_small(void)
{
    struct qerr e = QERR_INIT;
    struct vcount h;
    const double v[] = {3, 1, 3, 2, 1, 7.5};
    long long c = 0;
    vcount_init(&h, "test");
    CHECK_INT(h.mode_n, 0);
    for (int i = 0; i < 6; i++)
        CHECK_OK(vcount_add(&h, v[i], &c, &e), e);
    CHECK_INT(c, 1);               /* 7.5 is new */
    CHECK_INT((long long)h.used, 4); /* 3 1 2 7.5 */
    CHECK_INT(h.mode_n, 2);
    CHECK_NEAR(h.mode, 1.0, 0);    /* 1 and 3 twice each: the smaller */
    vcount_release(&h);
    /* the same values the other way round: the same mode */
    vcount_init(&h, "test");
    for (int i = 5; i >= 0; i--)
        CHECK_OK(vcount_add(&h, v[i], &c, &e), e);
    CHECK_NEAR(h.mode, 1.0, 0);
    CHECK_OK(vcount_add(&h, 3, &c, &e), e);
    CHECK_INT(c, 3);
    CHECK_NEAR(h.mode, 3.0, 0);
    vcount_release(&h);
}

static void
test_zero_inf(void)
{
    struct qerr e = QERR_INIT;
    struct vcount h;
    long long c = 0;
    vcount_init(&h, "test");
    CHECK_OK(vcount_add(&h, -0.0, &c, &e), e);
    CHECK_OK(vcount_add(&h, 0.0, &c, &e), e);
    CHECK_INT(c, 2);
    CHECK_OK(vcount_add(&h, INFINITY, &c, &e), e);
    CHECK_OK(vcount_add(&h, -INFINITY, &c, &e), e);
    CHECK_OK(vcount_add(&h, -INFINITY, &c, &e), e);
    CHECK_OK(vcount_add(&h, -INFINITY, &c, &e), e);
    CHECK_INT(c, 3);
    CHECK_INT((long long)h.used, 3);
    CHECK(h.mode == -INFINITY);
    vcount_release(&h);
}

static void
test_growth(void)
{
    struct qerr e = QERR_INIT;
    struct vcount h;
    long long c = 0, total = 0, bad = 0;
    vcount_init(&h, "test");
    for (int round = 0; round < 3; round++)
        for (int k = 0; k < 5000; k++)
            if (k % 3 >= round) {
                bad += vcount_add(&h, k * 0.5 - 1000, &c, &e) < 0;
                total++;
            }
    CHECK_INT(bad, 0);
    CHECK_INT((long long)h.used, 5000);
    CHECK_INT(total, 5000 + 3333 + 1666);
    /* each value once more: its count is then k % 3 + 2 */
    for (int k = 0; k < 5000; k++) {
        bad += vcount_add(&h, k * 0.5 - 1000, &c, &e) < 0 || c != k % 3 + 2;
    }
    CHECK_INT(bad, 0);
    /* the values with k % 3 == 2 come 4 times; the smallest is k = 2 */
    CHECK_INT(h.mode_n, 4);
    CHECK_NEAR(h.mode, 2 * 0.5 - 1000, 0);
    vcount_release(&h);
}

int
main(void)
{
    test_small();
    test_zero_inf();
    test_growth();
    return check_done("test_vcount");
}
