/*
 * model.h: a trained classifier as one row of the model store
 * (data/store.h, quarry_models): the row's kind is its method's
 * (cls_method.kind), and its state is this envelope, written with the
 * store's payload helpers:
 *
 *   i64  MODEL_FORMAT (the envelope's layout)
 *   str  the method's name
 *   str  the options as typed at train time ("alpha=1"), for show
 *   i64  training rows
 *   ...  the encoding (encoding_save)
 *   ...  the method's state (method->save)
 *
 * Loading reads every field back with the checks of store_reader and the
 * method's load, then checks that nothing is left over: a damaged state
 * is a QE_DATA error naming the model, never a crash.
 */
#ifndef QUARRY_MODEL_H
#define QUARRY_MODEL_H

#include "base/buf.h"
#include "base/qerr.h"
#include "classify/classify.h"
#include "classify/encoding.h"
#include "data/catalog.h"

#define MODEL_FORMAT 1

struct model {
    const struct cls_method *method;
    struct encoding enc;
    void *state;          /* the method's fitted model */
    char *params;         /* options as typed, "" when none; owned */
    long long n_train;
};

/* Release what m holds (the state through its method) and zero it. */
void model_release(struct model *m);

/*
 * Store m under name (replacing a model of the same kind there), with
 * source, the training table, and summary, a line for `models`. Errors:
 * store_put's.
 */
int model_save(struct catalog *cat, const char *name, const struct model *m, const char *source,
               const char *summary, struct qerr *err);

/*
 * Read the model stored under name into m (release it with
 * model_release, on failure too). QE_NOTFOUND when nothing is stored
 * under name (with a suggestion); QE_ARG when name holds something that
 * is not a classifier, or one of a method this build lacks; QE_DATA for
 * a damaged state.
 */
int model_load(struct catalog *cat, const char *name, struct model *m, struct qerr *err);

/*
 * What is stored under name: 1 and *kind set (a pointer into a static
 * string is not kept: the caller gives room of STORE_KIND_MAX + 1 bytes)
 * when something is, 0 when nothing, -1 on error.
 */
int model_stored(struct catalog *cat, const char *name, char *kind, struct qerr *err);

/*
 * Class probabilities (x->d.n x nclass into proba) and predicted classes
 * (the first largest, into pred; may be NULL) of encoded rows. proba may
 * be NULL when pred is not: the classes only (the method's predict where
 * it has one, which skips the probabilities).
 */
int model_predict(const struct model *m, const struct cls_data *d, double *proba, int *pred,
                  struct qerr *err);

/* The first index of the largest of the k values of row. */
int model_argmax(const double *row, int k);

/* Append the description `show MODEL` prints: the method, encoding, classes, then the method's. */
int model_show(const struct model *m, const char *name, struct buf *out, struct qerr *err);

#endif
