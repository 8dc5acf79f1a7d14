/*
 * frame_int.h: what frame.c (reading), frame_cache.c (the cache) and frame_write.c share.
 * Not for use outside the frame module.
 */
#ifndef QUARRY_FRAME_INT_H
#define QUARRY_FRAME_INT_H

#include <sqlite3.h>

#include "data/catalog.h"
#include "data/frame.h"
#include "base/qerr.h"

/* A monotonic clock in seconds. */
double frame_now(void);
/*
 * A frame of n_rows x n_cols with its values in block x (leading dimension
 * ld, taken over, also on failure), or in a new block when x is NULL.
 * NULL with err set (QE_NOMEM) when the block or the rowids do not fit.
 */
struct frame *frame_make(long long n_rows, int n_cols, double *x, long long ld,
                         struct qerr *err);

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
/* Cache f under key (taken); the cache holds its own reference. */
void frame_cache_put(struct catalog *cat, char *key, const char *table, int all, int times,
                     struct frame *f);
/* Count secs as time spent reading (frame_io_times). */
void frame_add_read_time(struct catalog *cat, double secs);
/* Count secs as time spent writing (frame_io_times). */
void frame_add_write_time(struct catalog *cat, double secs);
int frame_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st, struct qerr *err);
/*
 * The columns of table with their declared kinds: all of them when n_want
 * is 0, else those named (case-insensitively), in the order asked.
 */
int frame_table_columns(sqlite3 *db, const char *table, const char *const *want, int n_want,
                        char ***names, enum catalog_kind **kinds, int *n, struct qerr *err);

/*
 * After frame_write changed table in place: cached frames of it take the
 * written numeric columns (so a later read needs no SQL); frames that
 * cannot (rows dropped, text written, a new column in an all-columns
 * frame) are forgotten.
 */
struct frame_out;
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
void frame_cache_written(struct catalog *cat, const char *table, const struct frame *w,
                         const struct frame_out *outs, int n_outs, int rows_dropped);

#endif
