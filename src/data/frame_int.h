/*
 * frame_int.h: what the files of the frame module share; not for use
 * outside it. They call one way only: frame.c (the reader) and
 * frame_write.c (the writer) call frame_cache.c (the cache, and the io
 * clock), and all three call frame_alloc.c (frames' memory); the cache
 * never calls the reader or the writer.
 */
#ifndef QUARRY_FRAME_INT_H
#define QUARRY_FRAME_INT_H

#include <sqlite3.h>

#include "data/catalog.h"
#include "data/frame.h"
#include "base/qerr.h"

/*
 * frame_alloc.c: a frame of n_rows x n_cols with its values in block x
 * (leading dimension ld, taken over, also on failure), or in a new block
 * when x is NULL; one reference, frame_release frees it. NULL with err
 * set (QE_NOMEM) when the block or the rowids do not fit.
 */
struct frame *frame_make(long long n_rows, int n_cols, double *x, long long ld,
                         struct qerr *err);

/*
 * frame_alloc.c: room for len bytes in the chain of blocks at *head (a
 * frame's level_blocks[j]; NULL starts one), never moved until
 * frame_blocks_free frees the whole chain. Dies when out of memory, as
 * xmalloc does.
 */
char *frame_blocks_add(void **head, size_t len);
void frame_blocks_free(void *head);

/* frame_cache.c: a monotonic clock in seconds, for frame_io_times. */
double frame_now(void);
/* The cache's side of frame_read (frame_cache.c). */
/* The cache key of a read: table, columns (lower case), the flags that matter. */
char *frame_cache_key(const char *table, const char *const *cols, int n_cols, int flags);
/* Drop stale frames; then the frame cached under key (a new reference), or NULL. */
struct frame *frame_cache_get(struct catalog *cat, const char *key);
/*
 * Numeric columns served from a cached frame of table, copied, or that
 * frame itself (*shared) when asked for exactly its columns; NULL when no
 * cached frame holds them. Takes the strings of names on success.
 */
struct frame *frame_cache_copy(struct catalog *cat, const char *table, char **names,
                               const enum catalog_kind *kinds, int n, int flags, int *shared);
/*
 * For frame_read's partial read: flags (malloc'd, f->n_cols) for the
 * columns of f (names and decl set) that a current cached frame of table
 * holds as numbers and that are declared INTEGER or REAL; NULL when none
 * is, or the cached rows are not f->n_rows.
 */
unsigned char *frame_cache_partial(struct catalog *cat, const char *table, const struct frame *f);
/*
 * Fill the flagged columns of f (its rows read in rowid order) from the
 * cached frame that holds them; QE_INTERNAL when its rows are not f's.
 */
int frame_cache_fill(struct catalog *cat, const char *table, struct frame *f,
                     const unsigned char *skip, struct qerr *err);
/*
 * Cache f under key (taken), read when the catalog's clock was at; the
 * cache holds its own reference.
 */
void frame_cache_put(struct catalog *cat, char *key, const char *table, int all, int times,
                     unsigned long long at, struct frame *f);
/* Count secs as time spent reading (frame_io_times). */
void frame_add_read_time(struct catalog *cat, double secs);
/* Count secs as time spent writing (frame_io_times). */
void frame_add_write_time(struct catalog *cat, double secs);
struct frame_out;

/* The rows a write keeps (struct frame_write's keep), for a copy made as a column table. */
struct frame_kept {
    long long n;              /* rows kept */
    sqlite3_int64 *rowid;     /* [n] their rowids, ascending */
    struct frame_out *outs;   /* [n_outs] the outs with the kept rows' values only */
    int n_outs;
};
/*
 * The rows of f whose keep[row] is nonzero, and outs' values at them,
 * into k (frame_kept_release frees it). 0, or -1 (QE_NOMEM) with err set.
 */
int frame_keep_rows(const struct frame *f, const unsigned char *keep,
                    const struct frame_out *outs, int n_outs, struct frame_kept *k,
                    struct qerr *err);
/* Free what frame_keep_rows made (nothing when it made nothing). */
void frame_kept_release(struct frame_kept *k);
/*
 * The values of numeric column `name` of table as the catalog holds them
 * now, for exactly the rows of w (same rowids), from a cached frame that
 * read it from an INTEGER or REAL column holding no text; mask as the
 * frame's. NULL when no cached frame has them, or only the array exclude
 * (the values about to be written, if a command wrote into its frame).
 */
const double *frame_cache_values(struct catalog *cat, const char *table, const char *name,
                                 const struct frame *w, const double *exclude,
                                 const unsigned char **mask);
/*
 * After frame_write changed table in place: cached frames of it that were
 * current before (read at or after stamp, the table's catalog_written_at
 * before the write) take the written numeric columns and are current
 * again, so a later read needs no SQL; frames that cannot (rows dropped,
 * text written, a new column in an all-columns frame) are forgotten.
 */
void frame_cache_written(struct catalog *cat, const char *table, unsigned long long stamp,
                         const struct frame *w, const struct frame_out *outs, int n_outs,
                         int rows_dropped);

#endif
