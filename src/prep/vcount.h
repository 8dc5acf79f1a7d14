/*
 * vcount.h: how often each value of a column of numbers occurs, counted in
 * a hash table instead of a sort (issue 18: clean sorted every column once
 * for its mode and once more for the key-like check, O(n log n) and a copy
 * of the column each, where one pass over the values does). The table
 * grows with the distinct values, not with the rows: a column of a
 * thousand codes over a million rows costs a few kilobytes.
 */
#ifndef QUARRY_VCOUNT_H
#define QUARRY_VCOUNT_H

#include <stddef.h>

#include "base/qerr.h"

/* Counts of distinct values (NaN is never one; -0 and 0 are one value, as == says). */
struct vcount {
    double *key;
    long long *n;      /* 0: an empty slot */
    size_t cap, used;  /* slots (a power of two, or 0), distinct values held */
    double mode;       /* the most frequent value so far, the smallest of equally frequent */
    long long mode_n;  /* its count (0: nothing added) */
    const char *who;   /* names the caller in an out-of-memory message (mem.h) */
};

/* An empty table; who as for mem_alloc. Allocates nothing until the first value. */
void vcount_init(struct vcount *h, const char *who);

/*
 * Count v (not NaN) once more: its count after this in *count (1 when it is
 * new). 0, or -1 with err set (QE_NOMEM: the table could not grow).
 */
int vcount_add(struct vcount *h, double v, long long *count, struct qerr *err);

/* Free the table; h is empty again. */
void vcount_release(struct vcount *h);

#endif
