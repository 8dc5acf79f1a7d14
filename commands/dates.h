/*
 * dates.h: reading a table's columns together with a date or timestamp
 * column for the preprocessing commands (rfm, series, sessions): the
 * dates come back as seconds (frame.h, FRAME_TIMES), with the count of
 * values that are not ISO 8601 dates and one of them to show the user.
 */
#ifndef QUARRY_DATES_H
#define QUARRY_DATES_H

#include "cmd.h"
#include "data/frame.h"

struct dated {
    struct frame *f;    /* the columns asked for, in order */
    struct frame *ft;   /* the date column's own frame (FRAME_TIMES) */
    const double *t;    /* seconds since 1970-01-01 per row of f; NaN = NULL or unparseable */
    const char *date_name; /* the date column's name as in the table */
    long long n_bad;    /* unparseable non-NULL dates */
    char *bad_example;  /* one of them, or NULL */
};

/*
 * Read columns cols[0..n_cols-1] of table into d->f and column date as
 * timestamps into d->t (a second frame, read with FRAME_TIMES). Fails
 * with QE_ARG when the date column is declared INTEGER or
 * REAL; other errors are frame_read's. Release d with dates_release.
 */
int dates_read(struct cmd_ctx *ctx, const char *table, const char *const *cols, int n_cols,
               const char *date, struct dated *d, struct qerr *err);
void dates_release(struct dated *d);
/*
 * Column j of f as numbers in *x: the frame's own column when numeric; a
 * column SQL created without a declared type (read as text) is read again
 * as numbers into *num, which the caller releases; otherwise *x is NULL.
 */
int dates_numbers(struct cmd_ctx *ctx, const char *table, const struct frame *f, int j,
                  struct frame **num, const double **x, struct qerr *err);

#endif
