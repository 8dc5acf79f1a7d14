/*
 * tick.c: the clock-driven progress calls of tick.h, and tick_sort, a
 * bottom-up merge sort (insertion-sorted runs of TICK_RUN, then merges of
 * doubling width between the array and a buffer of the same size), which
 * ticks before each run and every TICK_ROWS elements of a merge.
 */
#include "base/tick.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/mem.h"
#include "base/banned.h"

/* Insertion-sorted runs: short enough that the quadratic part stays cheap. */
#define TICK_RUN 32

static long long
now_ms(void)
{
    struct timespec ts;
#ifdef CLOCK_MONOTONIC_COARSE
    /* a vDSO read of the tick counter: nanoseconds, where CLOCK_MONOTONIC may cost more */
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
#else
    clock_gettime(CLOCK_MONOTONIC, &ts);
#endif
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
tick_init(struct tick *t, int (*progress)(void *pctx, double fraction), void *pctx)
{
    t->progress = progress;
    t->pctx = pctx;
    t->next = 0;
    t->stopped = 0;
    t->note = NULL;
    t->nctx = NULL;
}

void
tick_set_note(struct tick *t, void (*note)(void *nctx, const char *text), void *nctx)
{
    t->note = note;
    t->nctx = nctx;
}

void
tick_note(struct tick *t, const char *fmt, ...)
{
    if (!t || !t->note)
        return;
    char text[96];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    t->note(t->nctx, text);
}

int
tick(struct tick *t, double fraction)
{
    if (!t || t->stopped || !t->progress)
        return t ? t->stopped : 0;
    long long now = now_ms();
    if (now < t->next)
        return 0;
    t->next = now + TICK_MS;
    t->stopped = t->progress(t->pctx, fraction) != 0;
    return t->stopped;
}

int
tick_now(struct tick *t, double fraction)
{
    if (t)
        t->next = 0;
    return tick(t, fraction);
}

int
tick_fail(struct qerr *err)
{
    return qerr_set(err, QE_INTERRUPT, "interrupted");
}

/* Insertion-sort a[0..n) (stable: an element moves only past greater ones); hold: one element. */
static void
insertion(char *a, size_t n, size_t size, int (*cmp)(const void *, const void *), char *hold)
{
    for (size_t i = 1; i < n; i++) {
        char *x = a + i * size;
        size_t j = i;
        while (j > 0 && cmp(a + (j - 1) * size, x) > 0)
            j--;
        if (j == i)
            continue;
        memcpy(hold, x, size);
        memmove(a + (j + 1) * size, a + j * size, (i - j) * size);
        memcpy(a + j * size, hold, size);
    }
}

/* Copy one element; 8 bytes (a double, a pointer, an index) inline. */
static inline void
copy_one(char *dst, const char *src, size_t size)
{
    if (size == 8) {
        uint64_t x;
        memcpy(&x, src, 8);
        memcpy(dst, &x, 8);
    } else {
        memcpy(dst, src, size);
    }
}

/*
 * Merge the sorted runs src[lo..mid) and src[mid..hi) into dst[lo..hi),
 * taking from the left run on ties (stable). Nonzero when t stops it.
 * The clock is read as the merge starts and every TICK_ROWS elements of
 * it (counted here: positions in the array would miss the check when it
 * falls in the part copied whole at the end).
 */
static int
merge(const char *src, char *dst, size_t lo, size_t mid, size_t hi, size_t size,
      int (*cmp)(const void *, const void *), struct tick *t, size_t done, size_t total)
{
    size_t i = lo, j = mid, k = lo;
    if (tick(t, (double)(done + lo) / (double)total))
        return 1;
    for (size_t step = 1; i < mid && j < hi; step++) {
        if (cmp(src + j * size, src + i * size) < 0)
            copy_one(dst + k++ * size, src + j++ * size, size);
        else
            copy_one(dst + k++ * size, src + i++ * size, size);
        if ((step & (TICK_ROWS - 1)) == 0 && tick(t, (double)(done + k) / (double)total))
            return 1;
    }
    if (i < mid)
        memcpy(dst + k * size, src + i * size, (mid - i) * size);
    else if (j < hi)
        memcpy(dst + k * size, src + j * size, (hi - j) * size);
    return 0;
}

int
tick_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *),
          struct tick *t, const char *who, struct qerr *err)
{
    char *a = base;
    if (n <= TICK_RUN && size <= 64) {
        /* one run (a user's few events): no buffer, one element held on the stack */
        uint64_t hold[8];
        insertion(a, n, size, cmp, (char *)hold);
        return tick(t, 1) ? tick_fail(err) : 0;
    }
    char *buf = mem_alloc(n, size, who, "values to sort", err);
    if (!buf)
        return -1;
    int rc = -1, stopped = 0;
    char *src = a, *dst = buf;
    /* passes: the runs, then one per doubling, for the fraction done */
    size_t passes = 1, w;
    for (w = TICK_RUN; w < n; w *= 2)
        passes++;
    size_t total = passes * n;
    for (size_t lo = 0; lo < n; lo += TICK_RUN) {
        /* a clock read per run: a run costs some 100 comparisons, a merged element one */
        if (tick(t, (double)lo / (double)total))
            goto out;
        insertion(a + lo * size, n - lo < TICK_RUN ? n - lo : TICK_RUN, size, cmp, buf);
    }
    size_t pass = 1;
    for (w = TICK_RUN; w < n && !stopped; w *= 2, pass++) {
        for (size_t lo = 0; lo < n && !stopped; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            stopped = merge(src, dst, lo, mid, hi, size, cmp, t, pass * n, total);
        }
        if (!stopped) { /* a stopped pass leaves every element in src */
            char *s = src;
            src = dst;
            dst = s;
        }
    }
    /* back into the array, a block at a time: 100 MB take a while to copy */
    for (size_t at = 0; src != a && at < n; at += TICK_ROWS * 16) {
        size_t m = n - at < TICK_ROWS * 16 ? n - at : TICK_ROWS * 16;
        memcpy(a + at * size, src + at * size, m * size);
        tick(t, -1); /* too late to stop: the elements must all be back */
    }
    rc = stopped ? -1 : 0;
out:
    free(buf);
    return rc < 0 && t && t->stopped ? tick_fail(err) : rc;
}
