/*
 * cluster_scale.h: the power-of-two unit that keeps squared distances
 * finite and normal, shared by the clustering modules (issue 14).
 *
 * A squared distance overflows a double once values pass about 1.3e154
 * and underflows below about 1.5e-154: every distance turns infinite (or
 * zero), comparisons tie, and a method puts every row in one cluster or
 * reports inf. Such data is worked on in units of 2^e: multiplying by
 * 2^-e is exact (a value 2^1000 times smaller than the largest may round
 * to zero, far below what any distance between these rows can show), so
 * comparisons, labels and ratios are unchanged, and centres and distances
 * come back exactly by multiplying by 2^e.
 */
#ifndef QUARRY_CLUSTER_SCALE_H
#define QUARRY_CLUSTER_SCALE_H

#include <stdint.h>

#include "base/qerr.h"

/* The largest |value| that needs no scaling, and the smallest nonzero one. */
#define CLUSTER_SCALE_HI 0x1p400
#define CLUSTER_SCALE_LO 0x1p-400

/*
 * The unit for the rows of x (n x d, column-major, leading dimension ld)
 * whose label is >= 0 (every row when labels is NULL): *e = 0 when the
 * largest |value| lies within [CLUSTER_SCALE_LO, CLUSTER_SCALE_HI] or is
 * 0, else the exponent that puts it in [0.5, 1) once multiplied by 2^-e.
 * what names the method in the error. QE_DATA when a value is not finite
 * (the row and column, counted from 1, in the message).
 */
int cluster_scale_exp(const double *x, long long n, int d, long long ld, const int32_t *labels,
                      const char *what, int *e, struct qerr *err);

#endif
