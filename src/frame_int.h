/*
 * frame_int.h: what frame.c (reading, the cache) and frame_write.c share.
 * Not for use outside the frame module.
 */
#ifndef QUARRY_FRAME_INT_H
#define QUARRY_FRAME_INT_H

#include <sqlite3.h>

#include "catalog.h"
#include "frame.h"
#include "qerr.h"

/* A monotonic clock in seconds. */
double frame_now(void);
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
