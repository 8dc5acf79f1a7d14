/*
 * crosstab.h: a pivot of a table: one row per distinct value of a row key
 * column, one column per distinct value of a column key column, and in
 * each cell an aggregate of the rows that hold both values (pandas'
 * crosstab, or pivot_table with one index and one columns key).
 *
 * Keys come from a frame (frame.h) and are grouped as groups.h groups
 * them: numbers ascending, text in byte order. A row whose row or column
 * key is missing (NULL) is left out and counted, as pandas' crosstab does
 * by default (dropna=True); NULL is never a row or column of its own.
 *
 * Cells:
 *   count  rows in the cell (with a value column: rows whose value is not
 *          missing); 0 for an empty cell
 *   sum, mean, min, max
 *          of the values that are not missing; a cell without any such
 *          value is missing (NaN; NULL in the table), as SQL's SUM, AVG,
 *          MIN and MAX of no values are NULL
 * count and sum are additive: they also get a total column (each row's
 * aggregate over all its rows) and a total row (each column's, and the
 * grand total in the corner), named "total" (made unique like the column
 * names below). mean, min and max get no totals.
 *
 * Names: the first column is named like the row key column and holds each
 * row's key as text (numbers as %.15g), the total row "total". The other
 * columns are named by the column key's values, as text (numbers as
 * %.15g; an empty text as "(empty)"); a name that equals an earlier one
 * without regard to case (SQLite's rule for column names), or the first
 * column's, gets "_2", "_3", ... appended.
 */
#ifndef QUARRY_CROSSTAB_H
#define QUARRY_CROSSTAB_H

#include "data/frame.h"
#include "base/qerr.h"

/* The most columns (distinct values of the column key) a crosstab makes by default. */
#define CROSSTAB_MAX_COLS 200

enum crosstab_agg { CROSSTAB_COUNT, CROSSTAB_SUM, CROSSTAB_MEAN, CROSSTAB_MIN, CROSSTAB_MAX };

/* The aggregates' names, by enum crosstab_agg: "count", "sum", "mean", "min", "max". */
extern const char *const crosstab_agg_names[5];

struct crosstab_in {
    const struct frame *keys; /* holds the two key columns */
    int row_col, col_col;     /* their indices in keys */
    /*
     * The value column: column value_col of values (rows as in keys), or
     * values NULL to count rows. A text value column is counted (count)
     * or refused (QE_ARG); read it with FRAME_ALL_NUMERIC to take the
     * numbers in it (text then counts as missing, in n_nonnum).
     */
    const struct frame *values;
    int value_col;
    enum crosstab_agg agg;    /* without a value column only CROSSTAB_COUNT */
    int max_cols;             /* more distinct column keys is an error; 0: CROSSTAB_MAX_COLS */
    int (*progress)(void *pctx, double fraction); /* tick.h; nonzero cancels; may be NULL */
    void *pctx;
};

struct crosstab {
    int n_rows, n_cols;       /* distinct row keys, distinct column keys */
    int totals;               /* 1 when there is a total row and a total column */
    int rows, cols;           /* the table: n_rows + totals rows, 1 + n_cols + totals columns */
    char **names;             /* cols column names: the row key's column, the keys, "total" */
    char **labels;            /* rows first-column values: the row keys as text, "total" */
    /*
     * The cells, column-major: column c (1 .. cols - 1; the labels are
     * column 0) is cell + (c - 1) * rows, so each column is an array that
     * frame_write_new takes as it is. NaN = missing.
     */
    double *cell;
    int integer;              /* every cell is a whole number: count, or sum, min or max of an
                                 integer column */
    long long n_used;         /* rows with both keys */
    long long n_no_row_key, n_no_col_key; /* rows left out, the first reason that applies */
    long long n_no_value;     /* used rows whose value is missing (not in any cell) */
    long long n_text_value;   /* values read as numbers that were text (missing), all rows */
    int n_renamed;            /* column names made unique */
    /* After a QE_ARG: which input was refused (the caller points at its argument). */
    enum { CROSSTAB_FAULT_NONE, CROSSTAB_FAULT_COLS, CROSSTAB_FAULT_VALUE, CROSSTAB_FAULT_AGG }
        fault;
};

/*
 * Make the crosstab of in into *out (caller-owned; release it with
 * crosstab_release, also after a failure). Errors: QE_ARG when the column
 * key has more than max_cols distinct values (the message gives the
 * count), for an aggregate other than count without a value column, and
 * for sum, mean, min or max of a text column (or of one read as numbers
 * that holds text only); QE_DATA when no row has
 * both keys; QE_NOMEM when the cells do not fit in memory; QE_INTERRUPT
 * when in->progress cancels.
 */
int crosstab_compute(const struct crosstab_in *in, struct crosstab *out, struct qerr *err);
void crosstab_release(struct crosstab *ct);

#endif
