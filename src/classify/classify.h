/*
 * classify.h: the contract every classifier of src/classify/ keeps.
 *
 * The commands (train, predict, evaluate, cv, compare; issue 15) never
 * see a method's insides: they encode a table into a cls_data (numbers as
 * they are; text columns one-hot encoded, or as level codes for a method
 * that takes them), call the method's fit, keep its state in the model
 * store through save/load, and ask it for class probabilities. Each
 * method is one const struct cls_method (nb.c, logreg.c, tree.c,
 * forest.c, knn.c, svm.c, seqnn.c, wavenet.c) listed in cls_methods[] (classify.c).
 *
 * Conventions every method keeps:
 *  - x is n rows by p features, row-major; NaN marks a missing value.
 *    A method that cannot take missing values gets none: the command
 *    refuses such rows first and says which columns hold them.
 *  - y holds a class index 0..nclass-1 for each training row; nclass >= 1
 *    (one class is legal: the model then always predicts it).
 *  - proba writes n rows of nclass probabilities, each row summing to 1
 *    (to rounding); the predicted class is the first index of the largest.
 *  - fit never keeps pointers into d: the model owns copies of what it
 *    needs. Allocations that grow with the data go through base/mem.h
 *    (QE_NOMEM names the size); long loops call tick (base/tick.h) so the
 *    user can cancel (return its error).
 *  - save appends the model's state with the store's payload helpers
 *    (data/store.h); load reads it back with a store_reader, checking
 *    every count, so that a damaged state is a QE_DATA error, never a
 *    crash. save then load then proba gives the same bits as before.
 *  - Randomness comes only from opts->seed (base/rng.h), so a seed gives
 *    the same model on every machine and thread count.
 */
#ifndef QUARRY_CLASSIFY_H
#define QUARRY_CLASSIFY_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/qerr.h"
#include "base/tick.h"
#include "data/store.h"

/* The rows a classifier learns from, or predicts for (y NULL then). */
struct cls_data {
    const double *x;   /* n x p, row-major; NaN = missing */
    size_t n, p;
    const int *y;      /* n class indices in 0..nclass-1; NULL at predict time */
    int nclass;
    /*
     * For methods that take categorical features as level codes (nb):
     * categorical[j] is 1 when feature j holds a level code 0..levels[j]-1
     * (as a double), 0 when it is a number. NULL: every feature is a number.
     * The other methods always get numbers (text already one-hot encoded).
     */
    const unsigned char *categorical;
    const int *levels;
    /* The feature names, p of them (for show and trace); may be NULL. */
    const char *const *names;
};

enum cls_criterion { CLS_GINI, CLS_ENTROPY };
enum cls_weights { CLS_UNIFORM, CLS_DISTANCE };

/* Every method's options; each reads its own, cls_opts_default sets all. */
struct cls_opts {
    uint64_t seed;           /* every random choice */
    int threads;             /* worker threads (forest, knn); 0 = the machine's cores */
    /* nb */
    double alpha;            /* Laplace smoothing of categorical features, 1.0 */
    double var_smoothing;    /* added variance, as a share of the largest feature variance, 1e-9 */
    const double *priors;    /* nclass priors, or NULL for the training shares */
    /* logreg, svm */
    double c;                /* inverse regularisation strength, 1.0 */
    double tol;              /* stopping tolerance, 1e-4 */
    int max_iter;            /* 0 = the method's default: logreg 100 (L-BFGS), svm 1000 */
    /* tree, forest */
    enum cls_criterion criterion; /* CLS_GINI */
    int maxdepth;            /* 0 = unlimited */
    int minleaf;             /* 1 */
    int minsplit;            /* 2 */
    int trees;               /* forest: 100 */
    int features;            /* forest: features tried per split; 0 = sqrt(p), -1 = all */
    /* knn */
    int k;                   /* 5 */
    enum cls_weights weights; /* CLS_UNIFORM */
    /* rules (rulecls.h); 0 = the method's default */
    double minsup;           /* a share of the training rows (below 1) or a count: 0.01 */
    double minconf;          /* 0.5 */
    int bins;                /* equal-frequency bins of a numeric feature: 3 */
    int maxlen;              /* items in a rule, the class included: 4 */
    /* rnn, lstm, gru (seqnn.h) */
    int embed;               /* token embedding size, 16 */
    int hidden;              /* recurrent units per layer, 32 */
    int layers;              /* recurrent layers, 1 */
    int epochs;              /* at most, 30 */
    int batch;               /* rows per step, 64 */
    double lr;               /* Adam's learning rate, 0.005 */
    int patience;            /* epochs without a better validation loss before stopping, 5 */
    int classweights;        /* 1: balanced class weights (auto), 0: none; 1 */
};

/* Set every option to its default (the values in the comments above). */
void cls_opts_default(struct cls_opts *o);

/* One classification method. Every function sets err and returns -1 on failure. */
struct cls_method {
    const char *name;                /* "nb", "logreg", "tree", "forest", "knn", "svm" */
    const struct store_kind *kind;   /* the model store kind its state is kept as */
    int takes_missing;               /* 1: NaN features are handled (nb, tree, forest) */
    int takes_categorical;           /* 1: wants level codes, not one-hot columns (nb) */
    /* Fit a model on d (d->y set) into *model. t may be NULL. */
    int (*fit)(const struct cls_data *d, const struct cls_opts *o, struct tick *t, void **model,
               struct qerr *err);
    /* Class probabilities for the n rows of d (d->y unused) into out (n x nclass). */
    int (*proba)(const void *model, const struct cls_data *d, double *out, struct qerr *err);
    /* Append the state to b (store payload helpers). */
    int (*save)(const void *model, struct buf *b, struct qerr *err);
    /* Read a state written by save from r into *model. */
    int (*load)(struct store_reader *r, void **model, struct qerr *err);
    /* Append a description for `show MODEL` (text, lines end in '\n'); names may be NULL. */
    int (*show)(const void *model, const char *const *names, struct buf *out, struct qerr *err);
    /* Release a model (NULL is fine). */
    void (*release)(void *model);
    /*
     * Optional (NULL: the method has none): append to out the arithmetic
     * of one prediction, for `trace` (text, lines end in '\n'): row holds
     * the model's p features (NaN = missing), names their names or NULL.
     * (Added after the other fields; tree_trace, tree.h, has this shape.)
     */
    void (*trace)(const void *model, const double *row, const char *const *names,
                  struct buf *out);
    /*
     * 1: the method reads an event sequence, the features seq_01, seq_02,
     * ... (seqnn.h); by default the commands give it those columns only,
     * and leave them out for the other methods.
     */
    int reads_sequence;
    /*
     * Optional (NULL: the class of the first largest of proba's values):
     * the predicted class of each of the n rows of d into out, the same
     * class proba's first largest value names, without the probabilities
     * (nb: no exp per class and row, no n x nclass buffer).
     */
    int (*predict)(const void *model, const struct cls_data *d, int *out, struct qerr *err);
    /*
     * Optional (NULL: the method keeps none; wavelet, wavenet.h): the
     * per-epoch record of a model trained in epochs. Returns the epochs
     * run and points *loss and *accuracy at that many values owned by the
     * model (the epoch's mean training loss; the accuracy on the training
     * rows after it). train writes them to MODEL_loss.
     */
    int (*history)(const void *model, const double **loss, const double **accuracy);
    /* 1: compare leaves the method out unless models= names it (wavelet). */
    int not_in_compare;
};

/* The methods, NULL-terminated, in the order `compare` lists them. */
extern const struct cls_method *const cls_methods[];

/* The method called name, or NULL. */
const struct cls_method *cls_method_find(const char *name);

#endif
