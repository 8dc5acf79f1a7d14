/*
 * cmd_classify.h: what the classification commands share (train in
 * cmd_classify.c, predict in cmd_classify_predict.c, evaluate, cv and
 * compare in cmd_classify_eval.c): the method options' argument specs, and the
 * reading of a table into encoded rows (src/classify/encoding.h).
 */
#ifndef QUARRY_CMD_CLASSIFY_H
#define QUARRY_CMD_CLASSIFY_H

#include "kit.h"

#include "classify/classify.h"
#include "classify/encoding.h"
#include "classify/metrics.h"
#include "classify/model.h"
#include "classify/seqnn.h"
#include "classify/wavenet.h"

/* The model= choices, by the handler's enum. */
enum clf_model { CLF_NB, CLF_LOGREG, CLF_TREE, CLF_FOREST, CLF_KNN, CLF_SVM, CLF_RULES,
                 CLF_RNN, CLF_LSTM, CLF_GRU,
                 CLF_WAVELET };
extern const char *const clf_model_names[11];
extern const char *const clf_classweights_names[2];
extern const char *const clf_criterion_names[2];
extern const char *const clf_weights_names[2];

#define CLF_MODELS "nb|logreg|tree|forest|knn|svm|rules|rnn|lstm|gru" \
                   "|wavelet"

/*
 * The options of every method (struct cls_opts), each applying to the
 * modes given (train and cv: model=...; compare: NULL, every model reads
 * its own).
 */
#define CLF_OPTION_ARGS(NB, LIN, TREEF, FOREST, KNN, RULES)                                  \
    {.name = "alpha", .type = ARG_REAL, .def = "1", .min = 1e-10, .max = 1e10, .modes = NB,   \
     .help = "nb: Laplace smoothing of text (categorical) features.", .comp = COMP_NONE},    \
    {.name = "var_smoothing", .type = ARG_REAL, .def = "1e-9", .min = 0, .max = 1,           \
     .modes = NB,                                                                             \
     .help = "nb: added to each variance, as a share of the largest feature variance.",     \
     .comp = COMP_NONE},                                                                      \
    {.name = "priors", .type = ARG_TEXT, .modes = NB,                                         \
     .help = "nb: class priors in the order of the sorted labels, e.g. priors=0.7,0.3 "      \
             "(default: the training shares).",                                               \
     .comp = COMP_NONE},                                                                      \
    {.name = "c", .type = ARG_REAL, .def = "1", .min = 1e-12, .max = 1e12, .modes = LIN,     \
     .help = "logreg, svm: inverse regularisation strength (larger fits the data closer).",  \
     .comp = COMP_NONE},                                                                      \
    {.name = "tol", .type = ARG_REAL, .def = "1e-4", .min = 0, .max = 1, .modes = LIN,       \
     .help = "logreg, svm: stopping tolerance.", .comp = COMP_NONE},                         \
    {.name = "max_iter", .type = ARG_INT, .min = 1, .max = 1e9, .modes = LIN,               \
     .help = "logreg, svm: iterations at most (default: logreg 100, svm 1000).",            \
     .comp = COMP_NONE},                                                                      \
    {.name = "criterion", .type = ARG_ENUM, .def = "gini", .choices = "gini|entropy",       \
     ARG_NAMES(clf_criterion_names), .modes = TREEF,                                          \
     .help = "tree, forest: the impurity a split lowers.", .comp = COMP_CHOICES},            \
    {.name = "maxdepth", .type = ARG_INT, .def = "0", .min = 0, .max = 10000, .modes = TREEF, \
     .help = "tree, forest: the deepest a leaf may be (0: no limit).", .comp = COMP_NONE},   \
    {.name = "minleaf", .type = ARG_INT, .def = "1", .min = 1, .max = 1e9, .modes = TREEF,   \
     .help = "tree, forest: training rows a leaf holds at least.", .comp = COMP_NONE},       \
    {.name = "minsplit", .type = ARG_INT, .def = "2", .min = 2, .max = 1e9, .modes = TREEF,  \
     .help = "tree, forest: training rows a node needs to be split.", .comp = COMP_NONE},    \
    {.name = "trees", .type = ARG_INT, .def = "100", .min = 1, .max = 100000,               \
     .modes = FOREST, .help = "forest: the number of trees.", .comp = COMP_NONE},            \
    {.name = "features", .type = ARG_INT, .def = "0", .min = -1, .max = 1e6, .modes = FOREST, \
     .help = "forest: features tried at each split (0: the square root of their number, "    \
             "-1: all).",                                                                     \
     .comp = COMP_NONE},                                                                      \
    {.name = "k", .type = ARG_INT, .def = "5", .min = 1, .max = 1e6, .modes = KNN,           \
     .help = "knn: the neighbours that vote.", .comp = COMP_NONE},                           \
    {.name = "weights", .type = ARG_ENUM, .def = "uniform", .choices = "uniform|distance",  \
     ARG_NAMES(clf_weights_names), .modes = KNN,                                              \
     .help = "knn: each neighbour's vote: equal, or 1/distance.", .comp = COMP_CHOICES},     \
    CLF_RULES_ARGS(RULES),                                                                    \
    {.name = "seed", .type = ARG_INT, .min = 0, .max = 9e18,                                 \
     .help = "Seed for every random choice (default: the session's).", .comp = COMP_NONE}

/* The options of model=rules (rulecls.h), each applying to the modes given. */
#define CLF_RULES_ARGS(RULES)                                                                 \
    {.name = "minsup", .type = ARG_REAL, .def = "0.01", .min = 1e-9, .max = 1e12,            \
     .modes = RULES,                                                                          \
     .help = "rules: least support of a rule, a share of the training rows (below 1) or a "  \
             "count.",                                                                        \
     .comp = COMP_NONE},                                                                      \
    {.name = "minconf", .type = ARG_REAL, .def = "0.5", .min = 1e-9, .max = 1, .modes = RULES, \
     .help = "rules: least confidence of a rule.", .comp = COMP_NONE},                       \
    {.name = "bins", .type = ARG_INT, .def = "3", .min = 1, .max = 1000, .modes = RULES,     \
     .help = "rules: equal-frequency bins of each numeric feature that is not 0/1.",          \
     .comp = COMP_NONE},                                                                      \
    {.name = "maxlen", .type = ARG_INT, .def = "4", .min = 2, .max = 30, .modes = RULES,     \
     .help = "rules: items in a rule at most, the class included.", .comp = COMP_NONE}
/*
 * The neural classifiers' options: rnn, lstm, gru (seqnn.h) take them all,
 * applying to the modes SEQ; wavelet (wavenet.h) hidden, epochs, batch and
 * lr, applying to the modes NET.
 */
#define CLF_SEQ_ARGS(SEQ, NET)                                                                \
    {.name = "embed", .type = ARG_INT, .def = "16", .min = 1, .max = 1024, .modes = SEQ,      \
     .help = "rnn, lstm, gru: the size of each token's learned vector.", .comp = COMP_NONE}, \
    {.name = "hidden", .type = ARG_INT, .def = "32", .min = 1, .max = 4096, .modes = NET,     \
     .help = "rnn, lstm, gru: units of each recurrent layer; wavelet: wavelet units.",       \
     .comp = COMP_NONE},                                                                      \
    {.name = "layers", .type = ARG_INT, .def = "1", .min = 1, .max = 4, .modes = SEQ,         \
     .help = "rnn, lstm, gru: recurrent layers, stacked.", .comp = COMP_NONE},               \
    {.name = "epochs", .type = ARG_INT, .def = "30", .min = 1, .max = 100000, .modes = NET,   \
     .help = "rnn, lstm, gru: passes over the training rows at most; wavelet: passes.",     \
     .comp = COMP_NONE},                                                                      \
    {.name = "batch", .type = ARG_INT, .def = "64", .min = 1, .max = 100000, .modes = NET,    \
     .help = "rnn, lstm, gru, wavelet: rows per Adam step.", .comp = COMP_NONE},              \
    {.name = "lr", .type = ARG_REAL, .def = "0.005", .min = 1e-7, .max = 1, .modes = NET,     \
     .help = "rnn, lstm, gru, wavelet: Adam's learning rate.", .comp = COMP_NONE},            \
    {.name = "patience", .type = ARG_INT, .def = "5", .min = 0, .max = 100000, .modes = SEQ,  \
     .help = "rnn, lstm, gru: stop after this many epochs without a better loss on the "      \
             "validation share (10% of the rows; 0: no early stopping, no validation).",     \
     .comp = COMP_NONE},                                                                      \
    {.name = "classweights", .type = ARG_ENUM, .def = "auto", .choices = "none|auto",        \
     ARG_NAMES(clf_classweights_names), .modes = SEQ,                                         \
     .help = "rnn, lstm, gru: auto weighs each class by n / (classes x its rows), so a rare " \
             "label counts as much as a common one.",                                         \
     .comp = COMP_CHOICES}

/*
 * The method named name (a model= choice), or QE_ARG with the caret on
 * key: unknown, or not built yet.
 */
int clf_method(const struct cmd_args *args, const char *key, const char *name,
               const struct cls_method **m, struct qerr *err);

/*
 * The options of the statement into o, with seed (kit_seed, drawn once
 * per statement); priors= is checked against e's classes (*priors holds
 * them, the caller frees). The options typed are appended to params
 * ("alpha=2 k=3") when params is not NULL.
 */
int clf_opts(struct cmd_ctx *ctx, const struct cmd_args *args, uint64_t seed,
             const struct encoding *e, struct cls_opts *o, double **priors,
             struct buf *params, struct qerr *err);

/* A table's rows for a classifier. */
struct clf_rows {
    struct frame *f;        /* the feature columns, the target, then split when used */
    unsigned char *use;     /* the rows used (split's train rows, where=), or NULL: all */
    long long n_use;
    int split;              /* 1: the rows are split's train rows */
    struct encoding enc;    /* fitted by clf_read_train (own_enc 1), or the model's, borrowed */
    int own_enc;
    struct encoding_rows x;
    char *left_out;         /* predict's output columns left out of the default cols, or NULL */
    char *left_ids;         /* columns named like an id left out of the default cols, or NULL */
    int n_seq_left;         /* seq_* columns left out of the default cols (not a sequence method) */
};
void clf_rows_release(struct clf_rows *r);

/*
 * Read TABLE, target= and cols= (default: every other column but split
 * and the columns predict writes, predicted and predicted_*, which would
 * let a model learn from an earlier model's answers, r->left_out names them;
 * and the columns named like an id, prep_key_id_name: r->left_ids)
 * of the statement, fit an encoding for meth on the training rows (those
 * of a split column that say train, when the table has one) and encode
 * them into r. QE_ARG for a target among cols; the encoding's errors.
 */
int clf_read_train(struct cmd_ctx *ctx, const struct cmd_args *args,
                   const struct cls_method *meth, struct clf_rows *r, struct qerr *err);

/*
 * Read the columns model m (stored as name) needs from table (its target
 * too when with_target) and encode every row (or, when where is 1, those
 * the statement's where= selects, if typed: its spec must have where) by
 * m's encoding into r.
 */
int clf_read_model(struct cmd_ctx *ctx, const struct cmd_args *args, const char *table,
                   const char *name, const struct model *m, int with_target, int where,
                   struct clf_rows *r, struct qerr *err);

/*
 * Refuse (QE_DATA) rows with a missing feature for a method that cannot
 * take them, naming the columns and suggesting clean.
 */
int clf_check_missing(const struct cls_method *meth, const struct clf_rows *r,
                      const char *table, struct qerr *err);

/* The lines that say which rows were left out and why, and unseen levels. */
void clf_report_rows(struct cmd_result *res, const struct clf_rows *r, const char *table);

/* The positive class of positive= (or -1: the second class), QE_ARG when unknown. */
int clf_positive(const struct cmd_args *args, const struct encoding *e, int *pos,
                 struct qerr *err);

/* `show MODEL`: the model's description (model_show) as text lines. */
int clf_show(struct cmd_ctx *ctx, const char *name, struct cmd_result *res, struct qerr *err);

#endif
