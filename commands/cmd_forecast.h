/*
 * cmd_forecast.h: the neural part of `forecast` (cmd_forecast_nn.c): its
 * options, the NAME_loss table and the report lines on training.
 */
#ifndef QUARRY_CMD_FORECAST_H
#define QUARRY_CMD_FORECAST_H

#include "cmd.h"
#include "forecast/fc_nn.h"
#include "forecast/fcrun.h"
#include "kit.h"
#include "prep/groups.h"

/* The modes the neural keys apply to. */
/* Every model's name, as model= takes them and models= lists them (Tab offers them). */
#define FCMD_MODEL_NAMES                                                                      \
    "naive|snaive|drift|mean|ses|holt|holtwinters|theta|arima|mlp|cnn|rnn|lstm|gru|wavelet"

#define FCMD_NN_MODES "model=mlp|cnn|rnn|lstm|gru|wavelet"

/* The neural keys of forecast's spec (a run of arg_spec entries). */
#define FCMD_NN_ARGS                                                                          \
    FCMD_NN_ARGS_M(FCMD_NN_MODES, "model=cnn", "model=wavelet",                               \
                   "model=mlp|cnn|rnn|lstm|gru|wavelet intervals=ensemble|mcdropout")

/*
 * The neural keys, applying in the modes M (cnn's in CNN, wavelet's in
 * WAVE, members= in MEMBERS): compare's spec has no model= and gives NULL
 * (they apply to the networks models= names; the other models ignore them).
 */
#define FCMD_NN_ARGS_M(M, CNN, WAVE, MEMBERS)                                                 \
    {.name = "lags", .type = ARG_INT, .def = "12", .min = 1, .max = 1000, .modes = M,         \
     .help = "The past values a network sees to predict the next one."},                      \
    {.name = "layers", .type = ARG_INT, .min = 1, .max = 12, .modes = M,                      \
     .help = "Hidden layers (cnn 5, mlp 2, rnn, lstm and gru 1; wavelet has one)."},          \
    {.name = "hidden", .type = ARG_INT, .min = 1, .max = 4096, .modes = M,                    \
     .help = "Units per hidden layer (32; wavelet 16)."},                                     \
    {.name = "filters", .type = ARG_INT, .def = "128", .min = 1, .max = 4096,                 \
     .modes = CNN, .help = "Filters per convolution layer."},                                 \
    {.name = "kernel", .type = ARG_INT, .def = "3", .min = 1, .max = 99, .modes = CNN,        \
     .help = "The convolution's width in steps."},                                            \
    {.name = "epochs", .type = ARG_INT, .def = "200", .min = 1, .max = 100000,                \
     .modes = M, .help = "At most this many passes over the training windows."},              \
    {.name = "batch", .type = ARG_INT, .def = "32", .min = 1, .max = 65536,                   \
     .modes = M, .help = "Windows per gradient step."},                                       \
    {.name = "lr", .type = ARG_REAL, .def = "0.001", .min = 1e-9, .max = 1000,                \
     .modes = M, .help = "The learning rate."},                                               \
    {.name = "optimizer", .type = ARG_ENUM, .def = "adam", .choices = "adam|sgd",             \
     ARG_NAMES(fc_optimizer_names), .modes = M, .comp = COMP_CHOICES,                         \
     .help = "Adam, or SGD with momentum 0.9."},                                              \
    {.name = "dropout", .type = ARG_REAL, .def = "0", .min = 0, .max = 0.9,                   \
     .modes = M, .help = "The dropout rate after the hidden layers."},                        \
    {.name = "patience", .type = ARG_INT, .def = "20", .min = 0, .max = 100000,               \
     .modes = M,                                                                              \
     .help = "Stop after this many epochs without a better validation loss and keep the "     \
             "best weights; 0: train every epoch."},                                          \
    {.name = "validation", .type = ARG_REAL, .def = "0.2", .min = 0, .max = 0.5,              \
     .modes = M,                                                                              \
     .help = "The share of the last training windows held out to validate (early stopping, "  \
             "intervals)."},                                                                  \
    {.name = "seed", .type = ARG_INT, .min = 0, .max = 9e15, .modes = M,                      \
     .help = "The seed of the weights, the order and dropout (the session's when not given)."}, \
    {.name = "wave", .type = ARG_ENUM, .def = "mexhat", .choices = "mexhat|morlet",           \
     ARG_NAMES(fc_wave_names), .modes = WAVE, .comp = COMP_CHOICES,                           \
     .help = "The mother wavelet: Mexican hat or Morlet."},                                   \
    {.name = "intervals", .type = ARG_ENUM, .def = "conformal",                               \
     .choices = "none|conformal|ensemble|mcdropout", ARG_NAMES(fc_interval_names),            \
     .modes = M, .comp = COMP_CHOICES,                                                        \
     .help = "How the interval is found (explain intervals)."},                               \
    {.name = "relative", .type = ARG_BOOL, .def = "no", .modes = M,                           \
     .comp = COMP_CHOICES,                                                                    \
     .help = "yes: windows and targets less the window's last value, so a trend past the "    \
             "fitted range is followed (needs long series)."},                                \
    {.name = "global", .type = ARG_BOOL, .def = "no", .modes = M,                             \
     .comp = COMP_CHOICES,                                                                    \
     .help = "yes: one network across every series (each standardised on its own, its "       \
             "one-hot code an input) instead of one per series."},                            \
    {.name = "members", .type = ARG_INT, .def = "10", .min = 2, .max = 1000,                  \
     .modes = MEMBERS,                                                                        \
     .help = "Networks of the ensemble, or dropout paths."}

/* threads=: forecast's and compare's (every model: groups in parallel; networks: BLAS). */
#define FCMD_THREADS_ARG                                                                      \
    {.name = "threads", .type = ARG_INT, .min = 1, .max = 256,                                \
     .help = "Threads (the session's, set threads=N, when not given): a classical model "     \
             "fits this many series at once, with the same results on any number; a network " \
             "trains with this many BLAS threads (the same seed and threads give the same "   \
             "weights)."}

extern const char *const fc_optimizer_names[2];
extern const char *const fc_wave_names[2];
extern const char *const fc_interval_names[4];

/* The neural options of the statement into o (seed from kit_seed). */
void fc_cmd_nn_opts(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                    struct fc_nn_opts *o);

/*
 * Write the loss table name: (the by column,) epoch, train_loss,
 * validation_loss per group of o, in the standardised units.
 */
int fc_cmd_write_loss(struct cmd_ctx *ctx, const struct cmd_args *args, const char *name,
                      const struct groups *g, const char *by_name, int by_decl,
                      const struct fc_run_out *o, struct qerr *err);

/* Lines on training: epochs, best epoch, losses per group, Ctrl-C, the interval. */
void fc_cmd_nn_report(struct cmd_result *res, const char *loss_name, const struct fc_nn_opts *nn,
                      const struct fc_run_out *o, const char *const *gnames);

/* A statement's series: the dated rows, the groups and their names, the regressors. */
struct fc_cmd_input {
    struct kit_dated dd;
    struct groups g;
    char **names;  /* g.n_groups names, or NULL without by= */
    double *x;     /* exog= regressors, row-major, or NULL */
};

/*
 * Read TABLE's value (date=, value=, by=, exog=) into in's rows, groups and
 * regressors (ci keeps what they point into; exog= sets horizon 0).
 * Release ci with fc_cmd_input_release, also after a failure.
 */
int fc_cmd_input(struct cmd_ctx *ctx, const struct cmd_args *args, struct fc_run_in *in,
                 struct fc_cmd_input *ci, struct qerr *err);
void fc_cmd_input_release(struct fc_cmd_input *ci);

/*
 * The classical options, horizon, holdout, level and threads (the
 * session's) into in; under a spec without model= (compare's) only
 * season, holdout and threads, the rest the models' defaults, horizon 0.
 */
int fc_cmd_read_opts(struct cmd_ctx *ctx, const struct cmd_args *args, struct fc_run_in *in,
                     struct qerr *err);

/* Whether the statement's command declares the key name (forecast's spec or compare's). */
int fc_cmd_declares(const struct cmd_args *args, const char *name);

/* Group id's name as the table has it ("all" without groups). */
void fc_cmd_group_name(const struct groups *g, int id, char *out, size_t size);

/*
 * forecast TABLE date= value= models=a,b,...: every model on the same
 * holdout, one table of their errors, best first (cmd_forecast_compare.c).
 */
int fc_cmd_compare(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                   struct qerr *err);

/*
 * forecast MODEL horizon=N [level=] [as NAME]: the stored forecasters of
 * MODEL predict N steps past their fitting window into NAME (default
 * MODEL_next): series, step, predicted, lower, upper.
 */
int fc_cmd_continue(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                    struct qerr *err);

#endif
