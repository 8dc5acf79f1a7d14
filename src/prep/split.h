/*
 * split.h: rows into parts and random subsets. split_random labels each
 * row with a part (train, valid, test) at random, within strata when
 * given; split_ordered gives the first rows by a key to the first part
 * (the earliest to train, the latest to test); split_sample keeps a
 * random subset, in proportion to each stratum's size. Part sizes are the
 * shares of the row count rounded by largest remainder, so they add up
 * exactly; the draws are seeded (rng.h), so a seed gives the same rows on
 * every platform.
 *
 * Each function reports to progress(pctx, fraction) by the clock
 * (tick.h; NULL: no reports) and fails with QE_INTERRUPT when it cancels,
 * and with QE_NOMEM when its index arrays do not fit.
 */
#ifndef QUARRY_SPLIT_H
#define QUARRY_SPLIT_H

#include <stdint.h>

#include "base/qerr.h"
#include "data/frame.h"

#define SPLIT_MAX_PARTS 3

/* total into n parts by the shares ratio[0..n) (summing to 1), by largest remainder. */
void split_apportion(long long total, const double *ratio, int n, long long *out);

/*
 * Label n rows at random with parts 0..n_parts-1 into part (n slots):
 * within each stratum (strata[r] in 0..n_strata-1, -1 for a missing key,
 * which is a stratum of its own) when strata is given, else all rows as
 * one. Each stratum is shuffled (Fisher-Yates) and cut by the shares.
 */
int split_random(long long n, const int32_t *strata, int n_strata, const double *ratio,
                 int n_parts, uint64_t seed, int (*progress)(void *, double), void *pctx,
                 signed char *part, struct qerr *err);

/*
 * Label the rows of frame column j, ordered by their values (numbers by
 * value; text, such as ISO dates, by its sort order; ties in row order),
 * with parts 0..n_parts-1 in that order into part (f->n_rows slots).
 * QE_ARG when a value is missing.
 */
int split_ordered(const struct frame *f, int j, const double *ratio, int n_parts,
                  int (*progress)(void *, double), void *pctx, signed char *part,
                  struct qerr *err);

/*
 * Keep want of the n rows at random (keep[r] = 1; n slots, zeroed here):
 * each stratum (as for split_random) gets its share of want by largest
 * remainder, drawn by a partial Fisher-Yates shuffle. want <= n.
 */
int split_sample(long long n, const int32_t *strata, int n_strata, long long want, uint64_t seed,
                 int (*progress)(void *, double), void *pctx, unsigned char *keep,
                 struct qerr *err);

#endif
