/*
 * similarity.h: pairwise similarity of rows' vectors (users' behaviour
 * vectors, docs/METHODS.md B), keeping each row's top k most similar
 * other rows.
 *
 * For rows a and b of p values:
 *   cosine   a.b / (|a| |b|)                     (NaN when a norm is 0)
 *   pearson  the cosine of a - mean(a) and b - mean(b), the means over a
 *            row's p values (NaN when a row is constant)
 *   jaccard  |A n B| / |A u B|, A the columns where a > 0 (NaN when both
 *            are empty)
 * computed as blocks of the Gram matrix of the normalised rows (one gemm
 * per block of 256 x 256 pairs), so n rows cost n^2 p / 2 multiply-adds
 * and memory grows with n k, never n^2. A pair whose similarity is NaN is
 * no neighbour. Ties keep the lower row first; a row is never its own
 * neighbour.
 */
#ifndef QUARRY_SIMILARITY_H
#define QUARRY_SIMILARITY_H

#include <stddef.h>

#include "base/qerr.h"

enum similarity_method { SIMILARITY_COSINE, SIMILARITY_PEARSON, SIMILARITY_JACCARD };

struct similarity_out {
    long long n;        /* pairs kept */
    long long *a, *b;   /* row indices: b is a's rank-th most similar row */
    double *sim;
    int *rank;          /* 1 = the most similar */
};

/*
 * The top k neighbours of each of the n rows of x (n x p, row-major, no
 * NaN) by method, in row order, each row's best first. progress as
 * tick.h (may be NULL). QE_ARG for k < 1; QE_NOMEM; QE_INTERRUPT.
 */
int similarity_top(const double *x, size_t n, size_t p, enum similarity_method method, int k,
                   int (*progress)(void *pctx, double fraction), void *pctx,
                   struct similarity_out *out, struct qerr *err);
void similarity_out_release(struct similarity_out *out);

/* The similarity of two vectors of p values by method (the definition above). */
double similarity_pair(const double *a, const double *b, size_t p,
                       enum similarity_method method);

#endif
