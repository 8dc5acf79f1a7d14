/*
 * encoding.h: a table's columns into the rows a classifier takes
 * (struct cls_data, classify.h), by an encoding fitted on the training
 * rows and kept with the model, so that predict applies the same one.
 *
 *  - Numeric columns are features as they are (NULL is NaN, missing).
 *  - Text columns are one-hot encoded: one feature "col=level" per level
 *    seen in training, levels sorted by their bytes (1 for the row's
 *    level, 0 for the others; NaN in all of them when the value is
 *    NULL); or, for a method that takes categorical features (nb), one
 *    feature holding the level's index. A level not seen in training
 *    is all zeros (one-hot) or missing (a level code), and counted.
 *  - The target's distinct values are the classes, sorted (numbers by
 *    value, text by bytes); y holds each row's class index. Rows with a
 *    missing target are skipped and counted; at scoring time a row whose
 *    label is no class of the model is skipped and counted too.
 *
 * The frame the functions read holds the feature columns in the
 * encoding's order, then the target column when there is one.
 */
#ifndef QUARRY_ENCODING_H
#define QUARRY_ENCODING_H

#include <stddef.h>

#include "base/buf.h"
#include "base/qerr.h"
#include "classify/classify.h"
#include "data/frame.h"
#include "data/store.h"

struct encoding {
    char *target;           /* the target column */
    int target_numeric;     /* 1: the target was a numeric column */
    int nclass;
    char **classes;         /* nclass labels as text, sorted */
    double *class_values;   /* numeric target: each class's value; else NULL */
    int n_cols;
    char **cols;            /* the source feature columns */
    unsigned char *is_text; /* per source column */
    int *n_levels;          /* per source column (0 for numeric) */
    char ***levels;         /* per text column: its levels, sorted; NULL for numeric */
    int onehot;             /* 1: text one-hot; 0: level codes */
    size_t p;               /* features */
    char **names;           /* p feature names */
    int *src;               /* p: the source column of each feature */
};

/* Encoded rows: the data a method fits or predicts on, and what was skipped. */
struct encoding_rows {
    struct cls_data d;      /* points into the arrays below */
    double *x;              /* n x p, row-major */
    int *y;                 /* n class indices, or NULL without a target */
    unsigned char *categorical; /* p (level codes), or NULL */
    int *levels;            /* p, or NULL */
    long long *rows;        /* frame row of each encoded row */
    long long n_no_target;  /* rows skipped: target missing */
    long long n_other_class; /* rows skipped: target a label the model does not know */
    char *other_example;    /* one such label, or NULL */
    long long n_unseen;     /* feature values of a level unseen in training */
};

/*
 * Fit an encoding on frame f (n_cols feature columns, then the target) on
 * the rows whose use[row] is nonzero (use NULL: all) and whose target is
 * present; names are f's column names. onehot as above. QE_DATA when no
 * row has a target; QE_NOMEM.
 */
int encoding_fit(const struct frame *f, int n_cols, const unsigned char *use, int onehot,
               struct encoding *e, struct qerr *err);
/*
 * Encode the rows of f (e's columns in order, then the target when
 * has_target) whose use[row] is nonzero (NULL: all) into out (release
 * with encoding_rows_release). QE_ARG when a column is text in f but numeric
 * in e (or the reverse), naming it; QE_NOMEM; QE_INTERRUPT through t.
 */
int encoding_apply(const struct encoding *e, const struct frame *f, int has_target,
                 const unsigned char *use, struct tick *t, struct encoding_rows *out,
                 struct qerr *err);
void encoding_rows_release(struct encoding_rows *x);
void encoding_release(struct encoding *e);

/*
 * The rows of x with a missing feature: their count, and the source
 * columns that hold them appended to names ("'age', 'city'").
 */
long long encoding_missing(const struct encoding *e, const struct encoding_rows *x, struct buf *names);

/* The class index of label (as text: "3" for a numeric target), or -1. */
int encoding_class_find(const struct encoding *e, const char *label);

/* Append e to b (the store's payload helpers); read it back, checking every count. */
void encoding_save(const struct encoding *e, struct buf *b);
int encoding_load(struct store_reader *r, struct encoding *e, struct qerr *err);

/* One line: "4 columns (3 numeric, 1 text one-hot: 7 features) -> species, 3 classes". */
void encoding_describe(const struct encoding *e, struct buf *out);

#endif
