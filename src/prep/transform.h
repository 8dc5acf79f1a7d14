/*
 * transform.h: normalize's fitted transforms, kept in the model store.
 *
 * A transform is a list of columns, each with the parameters normalize
 * fitted for it (prep_norm_params). It is stored under the name of the
 * table normalize wrote, as kind "normalize" in quarry_transforms, so
 * `normalize NEW using=NAME` scales new data the same way and
 * `denormalize` inverts it. Fitting columns into a name that already holds
 * a transform adds them to it (a column fitted again is replaced).
 *
 * State version 1, written with the store's payload helpers:
 *   i64 n; then n times: str column, str method (prep_norm_name),
 *   f64 center, f64 scale, f64 lo, f64 hi
 * Methods go by name, not by enum value, so reordering enum prep_norm
 * cannot change what a saved workspace means. The store reads the old
 * quarry_transforms layout as this same version (see data/store.c).
 */
#ifndef QUARRY_TRANSFORM_H
#define QUARRY_TRANSFORM_H

#include "base/buf.h"
#include "base/qerr.h"
#include "data/catalog.h"
#include "data/store.h"
#include "prep/prep.h"

struct transform {
    int n_cols;
    char **cols;                   /* column names, as fitted */
    struct prep_norm_params *par;  /* n_cols parameter sets, par[i] for cols[i] */
};

/* The store kind of normalize's transforms. */
extern const struct store_kind transform_kind;

void transform_init(struct transform *t);
void transform_release(struct transform *t);

/*
 * Read the transform stored under name into t (initialised by the caller,
 * released by the caller on success and failure). Errors are the store's
 * (QE_NOTFOUND, QE_ARG for another kind, QE_DATA when damaged), and
 * QE_DATA when the state holds an unknown method, a column twice, or
 * parameters no fit could produce (a scale of 0, a range with lo >= hi,
 * a value that is not finite).
 */
int transform_load(struct catalog *cat, const char *name, struct transform *t, struct qerr *err);

/* The parameters of column col (case-insensitively), or NULL; borrowed from t. */
const struct prep_norm_params *transform_find(const struct transform *t, const char *col);

/* Set column col's parameters: replaces them if t has col, else appends it. */
void transform_set(struct transform *t, const char *col, const struct prep_norm_params *p);

/*
 * Store the n columns cols with parameters par under name, fitted on table
 * source: added to the transform name holds, or a new one. When replaced is
 * not NULL, the names of the columns whose earlier parameters this replaced
 * are appended to it, comma-separated. Errors: a
 * damaged transform under name (QE_DATA, as transform_load), and
 * store_put's (QE_ARG when name holds another kind).
 */
int transform_update(struct catalog *cat, const char *name, const char *source,
                     char *const *cols, const struct prep_norm_params *par, int n,
                     struct buf *replaced, struct qerr *err);

/* The payload of t (state version 1), appended to out. */
void transform_encode(const struct transform *t, struct buf *out);
/*
 * Read a payload into t (initialised by the caller; what it held is
 * replaced, and left alone on failure); QE_DATA when it is not a valid one.
 */
int transform_decode(struct store_reader *r, struct transform *t, struct qerr *err);

#endif
