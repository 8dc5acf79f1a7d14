/*
 * test_tick.c: progress by the clock (tick.h).
 *
 * 1. tick calls progress at once, then not again until TICK_MS have
 *    passed; a cancel sticks; tick_row reads the clock every TICK_ROWS.
 * 2. tick_sort sorts (checked as order plus the same multiset, against
 *    counts kept by hand), keeps equal keys in their order, and stops
 *    within a few TICK_MS when progress cancels, with every element
 *    still in the array.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "base/tick.h"

struct counter {
    int calls;
    int cancel_at; /* cancel on this call (0: never) */
    double last;
};

static int
count(void *p, double fraction)
{
    struct counter *c = p;
    c->calls++;
    c->last = fraction;
    return c->cancel_at && c->calls >= c->cancel_at;
}

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void
sleep_ms(int ms)
{
    struct timespec ts = {.tv_sec = 0, .tv_nsec = (long)ms * 1000000L};
    nanosleep(&ts, NULL);
}

static void
test_tick(void)
{
    struct counter c = {0};
    struct tick t;
    tick_init(&t, count, &c);
    CHECK_INT(tick(&t, 0.25), 0);
    CHECK_INT(c.calls, 1); /* the first tick always reports */
    CHECK_NEAR(c.last, 0.25, 0);
    for (int i = 0; i < 1000; i++)
        tick(&t, 0.5);
    CHECK(c.calls <= 2); /* 1000 ticks in far less than TICK_MS: no new call (or one) */
    int before = c.calls;
    sleep_ms(TICK_MS + 10);
    CHECK_INT(tick(&t, 0.75), 0);
    CHECK_INT(c.calls, before + 1);

    /* tick_row: the clock at i = 0, TICK_ROWS, 2 TICK_ROWS, ... only */
    struct counter r = {0};
    tick_init(&t, count, &r);
    for (long long i = 1; i < TICK_ROWS; i++) {
        t.next = 0; /* always due: only the row count decides */
        tick_row(&t, i, 1 << 20);
    }
    CHECK_INT(r.calls, 0);
    t.next = 0;
    tick_row(&t, TICK_ROWS, 1 << 20);
    CHECK_INT(r.calls, 1);
    CHECK_NEAR(r.last, (double)TICK_ROWS / (1 << 20), 0);

    /* a cancel sticks, without more calls */
    struct counter s = {.cancel_at = 1};
    tick_init(&t, count, &s);
    CHECK(tick(&t, 0) != 0);
    sleep_ms(TICK_MS + 5);
    CHECK(tick(&t, 0) != 0);
    CHECK(tick_row(&t, 3, 10) != 0);
    CHECK_INT(s.calls, 1);

    /* no callback: never cancels */
    tick_init(&t, NULL, NULL);
    CHECK_INT(tick(&t, 0), 0);
    struct qerr e = QERR_INIT;
    CHECK_INT(tick_fail(&e), -1);
    CHECK_INT(e.code, QE_INTERRUPT);
    CHECK_STR(e.msg, "interrupted");
    qerr_clear(&e);
}

struct item {
    int key;
    int seq; /* position before the sort */
};

static int
cmp_key(const void *a, const void *b)
{
    int x = ((const struct item *)a)->key, y = ((const struct item *)b)->key;
    return (x > y) - (x < y);
}

/* A comparison that costs about a microsecond: a long sort to cancel. */
static volatile double burn;
static int
cmp_slow(const void *a, const void *b)
{
    for (int i = 0; i < 300; i++)
        burn = burn * 0.5 + i;
    return cmp_key(a, b);
}

static void
test_sort(void)
{
    /* keys 0..99, each drawn a known number of times (an LCG) */
    const size_t n_sizes[] = {0, 1, 2, 31, 32, 33, 1000, 100003};
    for (size_t s = 0; s < sizeof n_sizes / sizeof n_sizes[0]; s++) {
        size_t n = n_sizes[s];
        struct item *v = malloc((n ? n : 1) * sizeof *v);
        long long want[100] = {0}, got[100] = {0};
        uint32_t z = 12345;
        for (size_t i = 0; i < n; i++) {
            z = z * 1664525u + 1013904223u;
            v[i].key = (int)((z >> 8) % 100);
            v[i].seq = (int)i;
            want[v[i].key]++;
        }
        struct counter c = {0};
        struct tick t;
        tick_init(&t, count, &c);
        struct qerr e = QERR_INIT;
        CHECK_OK(tick_sort(v, n, sizeof *v, cmp_key, &t, "test", &e), e);
        int ordered = 1, stable = 1;
        for (size_t i = 0; i < n; i++) {
            got[v[i].key]++;
            if (i && v[i - 1].key > v[i].key)
                ordered = 0;
            if (i && v[i - 1].key == v[i].key && v[i - 1].seq > v[i].seq)
                stable = 0;
        }
        CHECK(ordered);
        CHECK(stable);
        CHECK(memcmp(want, got, sizeof want) == 0);
        CHECK(c.calls >= 1);
        free(v);
    }

    /* a sort of ~2 s (2e5 x 17 comparisons of ~1 us) cancelled on the second report */
    size_t n = 200000;
    struct item *v = malloc(n * sizeof *v);
    long long want = 0, got = 0;
    for (size_t i = 0; i < n; i++) {
        v[i].key = (int)((i * 7919) % 1000);
        v[i].seq = (int)i;
        want += v[i].key;
    }
    struct counter c = {.cancel_at = 2};
    struct tick t;
    tick_init(&t, count, &c);
    struct qerr e = QERR_INIT;
    double t0 = now_s();
    CHECK_INT(tick_sort(v, n, sizeof *v, cmp_slow, &t, "test", &e), -1);
    double took = now_s() - t0;
    CHECK_INT(e.code, QE_INTERRUPT);
    qerr_clear(&e);
    CHECK_INT(c.calls, 2);
    /* the second report comes TICK_MS after the first; generous for a loaded machine */
    CHECK(took < 0.5);
    printf("tick_sort cancelled after %.1f ms\n", took * 1e3);
    /* every element is still there */
    char *seen = calloc(n, 1);
    int all = 1;
    for (size_t i = 0; i < n; i++) {
        got += v[i].key;
        if (v[i].seq < 0 || (size_t)v[i].seq >= n || seen[v[i].seq]++)
            all = 0;
    }
    CHECK(all);
    CHECK_INT(got, want);
    free(seen);
    free(v);
}

int
main(void)
{
    test_tick();
    test_sort();
    return check_done("test_tick");
}
