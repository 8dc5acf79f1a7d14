/*
 * tick.h: progress and cancel for engine loops, by the clock.
 *
 * Engine loops report to the caller's progress callback, progress(pctx,
 * fraction) (fraction done, or negative when unknown), and a nonzero
 * return cancels: the loop stops and its function fails with
 * QE_INTERRUPT. Counting iterations between calls lands a cancel late
 * when iterations are slow (and wastes calls when they are quick), so a
 * struct tick calls progress when TICK_MS have passed on a coarse clock
 * (a few nanoseconds a read): Ctrl-C is seen within TICK_MS plus one
 * iteration, wherever a loop is. The callback is not called more often
 * than that, whatever the loop does.
 *
 * A loop whose iterations take microseconds or more calls tick(); a tight
 * loop over rows calls tick_row(), which reads the clock every
 * TICK_ROWS iterations only. (Iterations that write fresh memory, or write
 * it at random, cost a page fault each on first touch, tens of
 * microseconds on a busy virtual machine: TICK_ROWS is small enough for
 * those too.) Sorting is a loop too: tick_sort is a stable
 * merge sort that ticks, for arrays a qsort would take more than a few
 * milliseconds over.
 *
 * Every function here takes t == NULL as a tick that never cancels, for
 * callers (tests, small inputs) with nothing to report to.
 */
#ifndef QUARRY_TICK_H
#define QUARRY_TICK_H

#include <stddef.h>

#include "base/qerr.h"

/* At most this long between two progress calls of a ticking loop. */
#define TICK_MS 20
/* tick_row reads the clock once per this many iterations (a power of two). */
#define TICK_ROWS 1024

struct tick {
    int (*progress)(void *pctx, double fraction); /* NULL: never cancels */
    void *pctx;
    long long next; /* ms on the coarse clock: call progress from then on */
    int stopped;    /* progress returned nonzero: every later tick says so too */
    void (*note)(void *nctx, const char *text); /* tick_note's target, or NULL */
    void *nctx;
};

/* Start t for progress and pctx (either may be NULL); the first tick calls progress. */
void tick_init(struct tick *t, int (*progress)(void *pctx, double fraction), void *pctx);

/*
 * Call progress with fraction when TICK_MS have passed since the last
 * call (the first tick always calls it). Nonzero once progress has asked
 * to cancel.
 */
int tick(struct tick *t, double fraction);
/* As tick, but calls progress whatever the clock says: as a phase starts. */
int tick_now(struct tick *t, double fraction);

/*
 * Where tick_note's words go (note NULL, as tick_init leaves it: nowhere):
 * what a long loop is at, such as "epoch 12/200, loss 0.031", for the
 * front end to show beside the fraction.
 */
void tick_set_note(struct tick *t, void (*note)(void *nctx, const char *text), void *nctx);

/* Format a note (at most 95 bytes) and hand it on, when t (may be NULL) has a target. */
void tick_note(struct tick *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * tick(t, i / n) every TICK_ROWS values of i (i = 0 included), else only
 * the answer so far: for loops whose iterations cost nanoseconds.
 */
static inline int
tick_row(struct tick *t, long long i, long long n)
{
    if (!t)
        return 0;
    if (i & (TICK_ROWS - 1))
        return t->stopped;
    return tick(t, n > 0 ? (double)i / (double)n : -1.0);
}

/*
 * Set err to the interruption (QE_INTERRUPT, "interrupted") and return -1:
 * what a loop does when tick says stop.
 */
int tick_fail(struct qerr *err);

/*
 * Sort n elements of size bytes at base by cmp, stably (equal elements
 * keep their order), ticking t as it goes; `who` names the caller in the
 * out-of-memory message (mem.h: a buffer of n elements is needed, except
 * for 32 elements or fewer, which cost no allocation). 0, or -1 with err
 * set: QE_INTERRUPT (base then holds its elements in some order) or
 * QE_NOMEM.
 */
int tick_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *),
              struct tick *t, const char *who, struct qerr *err);

#endif
