/*
 * mem.h: memory whose size grows with the data: arrays of rows, columns,
 * groups, distinct values, clusters x dimensions, n x n matrices.
 *
 * On a large input such an allocation can fail, and the command must then
 * fail like any other: the error goes back as a value (QE_NOMEM, saying the
 * size and what to change), the dispatcher rolls the catalog back, and the
 * session goes on with its unsaved work intact. Sizes are computed here
 * from a count and an element size, overflow-checked, so a caller never
 * multiplies by hand: mem_alloc(n_rows, sizeof(double), "rfm", "rows", err).
 * A count that is itself a product takes mem_mul (rows x dims).
 * Small bookkeeping (a name, a few pointers per column) keeps using buf.h's
 * x* helpers, whose failure goes to the front end's handler.
 *
 * Every allocation here passes through fault.h's injection point first, so
 * a test can make the Nth one for a given `who` fail (QUARRY_FAULT=oom:rfm:2).
 */
#ifndef QUARRY_MEM_H
#define QUARRY_MEM_H

#include <stddef.h>

#include "base/qerr.h"

/* a * b, or SIZE_MAX when the product does not fit a size_t. */
size_t mem_mul(size_t a, size_t b);

/*
 * n elements of size bytes each (at least one byte is asked for, so n = 0
 * gives a pointer to free, not NULL), for `who` (the module or command, as
 * the user knows it: "rfm", "frame", "kmeans") to hold n `what` (a plural
 * noun: "rows", "customer totals"). NULL on failure, with err set to
 *   out of memory: rfm needs 38.1 MiB for 5000000 customer totals; use ...
 * The caller frees the memory with free().
 */
void *mem_alloc(size_t n, size_t size, const char *who, const char *what, struct qerr *err);
/* As mem_alloc, zero-filled. */
void *mem_calloc(size_t n, size_t size, const char *who, const char *what, struct qerr *err);
/*
 * Resize p (NULL: a fresh block) to n elements of size bytes; on failure p
 * is left as it was (the caller still frees it), NULL comes back and err is
 * set as for mem_alloc.
 */
void *mem_realloc(void *p, size_t n, size_t size, const char *who, const char *what,
                  struct qerr *err);

/*
 * For memory obtained another way (aligned blocks): set err as mem_alloc
 * does when n elements of size bytes could not be had. Always returns -1.
 * Such a site asks fault_oom(who) (fault.h) first, as mem_alloc does.
 */
int mem_fail(size_t n, size_t size, const char *who, const char *what, struct qerr *err);

#endif
