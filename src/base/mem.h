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
 *
 * The memory budget. Every allocation here is also checked against the
 * budget (set memory=MiB; by default half the machine's memory, at least
 * 1 GiB, and at most half of an address-space limit, ulimit -v): one that
 * would take what the process holds past it fails with
 *   out of memory: rfm needs 38.1 MiB for 5000000 customer totals, over
 *   set memory=100 MiB (72.3 MiB in use); set memory=112 or more, or use
 *   fewer rows
 * rather than being granted until the kernel kills the process (Linux
 * overcommits, so malloc says no far too late, if ever). "In use" is the
 * heap the allocator reports (glibc's mallinfo2, or the sanitizer's count
 * in a sanitizer build) less what SQLite holds: the catalog's tables and
 * undo pages are not the budget's (undo has its own limit, half of set
 * memory, in the dispatcher). Reading the allocator walks its free lists,
 * so it is done only when a cheap estimate (the last reading plus every
 * allocation since, frees not subtracted) says the budget may be passed.
 *
 * Why the budget is process-wide state here, not a struct handed down:
 * memory is the process's, whoever allocates it (the statement's thread,
 * the k-means and loader workers), and the budget is one number the
 * session sets; handing it down would put a budget argument on each of
 * the 140-odd mem_* calls and on every engine function between the
 * command and the allocation (kmeans_fit, frame_read, groups_init, ...),
 * for nothing a caller could choose differently. Like fault.h's state, it
 * is written by one call (mem_budget_set) and read atomically, so it is
 * safe from any thread. Engines that can tell their whole need before
 * they start (the distance matrix, DBSCAN's tree) ask mem_budget_fits
 * first, so the message gives the whole size.
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
 * or, when the allocation would pass the budget (below), to the message
 * that says so. The caller frees the memory with free().
 */
void *mem_alloc(size_t n, size_t size, const char *who, const char *what, struct qerr *err);
/* As mem_alloc, zero-filled. */
void *mem_calloc(size_t n, size_t size, const char *who, const char *what, struct qerr *err);
/*
 * Resize p (NULL: a fresh block) to n elements of size bytes; on failure p
 * is left as it was (the caller still frees it), NULL comes back and err is
 * set as for mem_alloc. Only the growth counts against the budget: p's own
 * bytes are in use already.
 */
void *mem_realloc(void *p, size_t n, size_t size, const char *who, const char *what,
                  struct qerr *err);

/*
 * For memory obtained another way (aligned blocks): set err as mem_alloc
 * does when n elements of size bytes could not be had. Always returns -1.
 * Such a site asks fault_oom(who) (fault.h) first, as mem_alloc does.
 */
int mem_fail(size_t n, size_t size, const char *who, const char *what, struct qerr *err);
/*
 * For memory obtained another way: charge n elements of size bytes to the
 * budget (below) before getting them. 0, or -1 with err set as mem_alloc
 * sets it when they would pass the budget (nothing is charged then).
 */
int mem_charge(size_t n, size_t size, const char *who, const char *what, struct qerr *err);

/*
 * Set the budget to mib MiB (set memory=); 0 (or less) restores the
 * default. A size past what a size_t holds means no budget at all.
 */
void mem_budget_set(long long mib);
/* The budget in force, in bytes. */
size_t mem_budget_bytes(void);
/*
 * The bytes the budget counts as in use now (the heap less SQLite's
 * memory; 0 where the allocator cannot say). Walks the allocator's free
 * lists: not for a loop.
 */
size_t mem_budget_held(void);
/*
 * 0 when n elements of size bytes would fit the budget beside what is in
 * use now; else -1 with err set as above (QE_NOMEM, the size, the budget
 * and what to change). Nothing is allocated or charged: for an engine that
 * knows its whole need before it allocates (who, what as for mem_alloc).
 */
int mem_budget_fits(size_t n, size_t size, const char *who, const char *what,
                    struct qerr *err);

#endif
