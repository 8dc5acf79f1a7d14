/*
 * test_split.c: parts and random subsets of rows (src/prep/split.h)
 * against hand-counted sizes.
 *
 * Plan:
 *   1. largest remainder: 10 rows by 0.7/0.15/0.15 are 7, 2, 1 (1.5 and
 *      1.5 tie: the first wins); 7 rows by 0.5/0.5 are 4, 3
 *   2. random parts: the sizes of each stratum (and of the missing-key
 *      rows) are its shares; a seed gives the same rows, another seed
 *      others
 *   3. ordered parts: the smallest keys (numbers, or ISO dates as text)
 *      go to the first part; a missing key is an error
 *   4. a random subset: each stratum's share of want, a seed repeats it
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "data/catalog.h"
#include "data/frame.h"
#include "prep/split.h"

static void
test_apportion(void)
{
    long long out[3];
    split_apportion(10, (double[]){0.7, 0.15, 0.15}, 3, out);
    CHECK_INT(out[0], 7);
    CHECK_INT(out[1], 2);
    CHECK_INT(out[2], 1);
    split_apportion(7, (double[]){0.5, 0.5}, 2, out);
    CHECK_INT(out[0], 4);
    CHECK_INT(out[1], 3);
    split_apportion(0, (double[]){0.8, 0.2}, 2, out);
    CHECK_INT(out[0] + out[1], 0);
}

static void
test_random(void)
{
    /* 60 rows of stratum 0, 40 of stratum 1, 10 without a key. */
    enum { N = 110 };
    int32_t strata[N];
    signed char a[N], b[N], c[N];
    for (int r = 0; r < N; r++)
        strata[r] = r < 60 ? 0 : r < 100 ? 1 : -1;
    struct qerr e = QERR_INIT;
    CHECK_INT(split_random(N, strata, 2, (double[]){0.5, 0.5}, 2, 7, NULL, NULL, a, &e), 0);
    int cnt[3][2] = {{0}};
    for (int r = 0; r < N; r++)
        cnt[strata[r] + 1][a[r]]++;
    CHECK_INT(cnt[1][0], 30);
    CHECK_INT(cnt[1][1], 30);
    CHECK_INT(cnt[2][0], 20);
    CHECK_INT(cnt[2][1], 20);
    CHECK_INT(cnt[0][0], 5);
    CHECK_INT(cnt[0][1], 5);
    CHECK_INT(split_random(N, strata, 2, (double[]){0.5, 0.5}, 2, 7, NULL, NULL, b, &e), 0);
    CHECK(memcmp(a, b, N) == 0);
    CHECK_INT(split_random(N, strata, 2, (double[]){0.5, 0.5}, 2, 8, NULL, NULL, c, &e), 0);
    CHECK(memcmp(a, c, N) != 0);
    /* Without strata: one group, 100 rows by 0.7/0.2/0.1. */
    CHECK_INT(split_random(100, NULL, 0, (double[]){0.7, 0.2, 0.1}, 3, 1, NULL, NULL, a, &e), 0);
    int parts[3] = {0};
    for (int r = 0; r < 100; r++)
        parts[a[r]]++;
    CHECK_INT(parts[0], 70);
    CHECK_INT(parts[1], 20);
    CHECK_INT(parts[2], 10);
}

static void
test_ordered(struct catalog *cat)
{
    struct qerr e = QERR_INIT;
    struct frame *f = NULL;
    catalog_exec(catalog_db(cat),
                 "CREATE TABLE o(x REAL, d TEXT, m REAL);"
                 "INSERT INTO o VALUES (5, '2024-03-01', 1), (1, '2024-01-15', 2), "
                 "(4, '2023-12-31', NULL), (2, '2024-02-01', 4), (3, '2024-01-01', 5)",
                 &e);
    CHECK_INT(frame_read(cat, "o", NULL, 0, 0, NULL, NULL, &f, &e), 0);
    signed char part[5];
    /* x: 1 2 3 | 4 5 (rows 1, 3, 4 then 2, 0) with 0.6/0.4. */
    CHECK_INT(split_ordered(f, 0, (double[]){0.6, 0.4}, 2, NULL, NULL, part, &e), 0);
    signed char want_x[5] = {1, 0, 1, 0, 0};
    CHECK(memcmp(part, want_x, 5) == 0);
    /* d as text: 2023-12-31, 2024-01-01 | 2024-01-15, 2024-02-01, 2024-03-01. */
    CHECK_INT(split_ordered(f, 1, (double[]){0.4, 0.6}, 2, NULL, NULL, part, &e), 0);
    signed char want_d[5] = {1, 1, 0, 1, 0};
    CHECK(memcmp(part, want_d, 5) == 0);
    CHECK_INT(split_ordered(f, 2, (double[]){0.5, 0.5}, 2, NULL, NULL, part, &e), -1);
    CHECK_STR(e.msg, "1 rows have no value in 'm' to order them by");
    qerr_clear(&e);
    frame_release(f);
}

static void
test_sample(void)
{
    /* 6 rows of stratum 0 and 4 of stratum 1: 5 of them are 3 and 2. */
    int32_t strata[10] = {0, 1, 0, 0, 1, 0, 1, 0, 1, 0};
    unsigned char keep[10], again[10];
    struct qerr e = QERR_INIT;
    CHECK_INT(split_sample(10, strata, 2, 5, 3, NULL, NULL, keep, &e), 0);
    int n[2] = {0};
    for (int r = 0; r < 10; r++)
        n[strata[r]] += keep[r];
    CHECK_INT(n[0], 3);
    CHECK_INT(n[1], 2);
    CHECK_INT(split_sample(10, strata, 2, 5, 3, NULL, NULL, again, &e), 0);
    CHECK(memcmp(keep, again, 10) == 0);
    /* Without strata, all rows or none. */
    CHECK_INT(split_sample(10, NULL, 0, 10, 3, NULL, NULL, keep, &e), 0);
    int all = 0;
    for (int r = 0; r < 10; r++)
        all += keep[r];
    CHECK_INT(all, 10);
    CHECK_INT(split_sample(10, NULL, 0, 0, 3, NULL, NULL, keep, &e), 0);
    CHECK(memchr(keep, 1, 10) == NULL);
}

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int
cancel_now(void *p, double fraction)
{
    (void)fraction;
    ++*(int *)p;
    return 1; /* the first report cancels */
}

/*
 * 100,000 strata of one row each (row r in stratum 99,999 - r), half of
 * them drawn: every share is 0.5, so the extra rows go to the first
 * 50,000 strata by largest remainder, ties to the first. Giving them out
 * one search at a time was 5e9 steps (issue 14: `sample ... stratify=` on a
 * key with many values never ended, and Ctrl-C could not stop it); one
 * sort is a fraction of a second, and the generous bound cannot flake.
 */
static void
test_sample_many_strata(void)
{
    enum { N = 100000 };
    int32_t *strata = malloc(N * sizeof *strata);
    unsigned char *keep = malloc(N);
    for (int r = 0; r < N; r++)
        strata[r] = N - 1 - r;
    struct qerr e = QERR_INIT;
    double t0 = now_s();
    CHECK_OK(split_sample(N, strata, N, N / 2, 7, NULL, NULL, keep, &e), e);
    CHECK(now_s() - t0 < 10);
    long long wrong = 0, kept = 0;
    for (int r = 0; r < N; r++) {
        wrong += keep[r] != (strata[r] < N / 2);
        kept += keep[r];
    }
    CHECK_INT(wrong, 0);
    CHECK_INT(kept, N / 2);
    /* progress: the first report comes at once, and a cancel ends it with QE_INTERRUPT */
    int calls = 0;
    CHECK_INT(split_sample(N, strata, N, N / 2, 7, cancel_now, &calls, keep, &e), -1);
    CHECK_INT(e.code, QE_INTERRUPT);
    CHECK_INT(calls, 1);
    qerr_clear(&e);
    free(strata);
    free(keep);
}

int
main(void)
{
    struct qerr e = QERR_INIT;
    struct catalog *cat = NULL;
    if (catalog_open(&cat, &e) < 0)
        return 1;
    test_apportion();
    test_random();
    test_ordered(cat);
    test_sample();
    test_sample_many_strata();
    catalog_free(cat);
    return check_done("test_split");
}
