/*
 * fc_nn.h: the neural forecasters (mlp, cnn, rnn, lstm, gru, wavelet)
 * behind struct fc_method (forecast.h), over the network core of src/nn.
 *
 * Examples. From a series y[0..n) a network learns windows of `lags`
 * past values -> the next value. The values are first standardised by a
 * stored transform, z = (y - mu) / sd with mu and sd of the fitted series
 * (sd 1 when the series is constant), and predictions are turned back
 * into the series' units. The last windows (a share `val`, at least one
 * when there are two windows or more) are a validation tail: the network
 * trains on the others, the validation loss is measured each epoch, and
 * with patience > 0 training stops after that many epochs without a
 * better validation loss and keeps the best weights.
 *
 * Networks (input: lags steps of one feature; output: one value):
 *   mlp      the window as one vector -> `layers` dense relu layers of
 *            `hidden` units -> dense 1          (layers 2, hidden 32)
 *   cnn      `layers` conv1d relu layers of `filters` filters, kernel
 *            `kernel`, same padding -> dense 1  (layers 5, filters 128,
 *            kernel 3: method A of the published work)
 *   rnn, lstm, gru  `layers` recurrent layers of `hidden` units (the
 *            last gives its final step only) -> dense 1 (layers 1, hidden 32)
 *   wavelet  the window as one vector -> one wavelet layer of `hidden`
 *            units (Mexican hat or Morlet, learned translation and
 *            dilation) -> dense 1               (hidden 16)
 * With dropout > 0 a dropout layer follows each hidden layer (mlp) or
 * the last hidden layer (the others). Loss MSE; Adam or SGD with momentum.
 *
 * Regressors (fc_opts x, kx: exog=): each is standardised by its own
 * stored transform (mean and sd over the fitted periods), and the window
 * that predicts period t carries the regressors of the periods after each
 * of its values, so its last step holds period t's own: per step for cnn
 * and the recurrent ones (1 + kx features), after the lags values for mlp
 * and wavelet (lags x kx more inputs). Forecasts then need the regressors'
 * future values (predict_x); predict refuses. global=yes takes none.
 *
 * Prediction is recursive: each predicted value joins the window of the
 * next step. Intervals (level, from predict):
 *   conformal  one network; the bound is the k-th smallest absolute
 *              one-step error on the validation tail, k = ceil((v+1)
 *              level) (v errors; the largest when k > v), at every step
 *   ensemble   `members` networks from seeds seed, seed+1, ...; the mean
 *              path, +- z sqrt(spread of the members' paths + the
 *              validation tail's mean squared one-step error)
 *   mcdropout  one network, `members` paths with dropout on at
 *              prediction (dropout 0.1 when none is given); the same form
 *   none       no bounds (NaN)
 *
 * Ctrl-C (tick cancels) during training: the network keeps the best
 * weights so far (by validation loss, by training loss without a tail)
 * and fit succeeds with fc_nn_info's stopped set; before one epoch has
 * ended it fails with QE_INTERRUPT.
 */
#ifndef QUARRY_FC_NN_H
#define QUARRY_FC_NN_H

#include "forecast/forecast.h"

enum fc_interval { FC_IV_NONE, FC_IV_CONFORMAL, FC_IV_ENSEMBLE, FC_IV_MCDROPOUT };

/* The neural options; 0 in layers or hidden means the method's default. */
struct fc_nn_opts {
    int lags;                /* 12 */
    int layers, hidden;      /* 0: per method (above) */
    int filters, kernel;     /* cnn: 128, 3 */
    int epochs, batch;       /* 200, 32 */
    double lr;               /* 0.001 */
    int sgd;                 /* 1: SGD with momentum 0.9, else Adam */
    double dropout;          /* 0 */
    int patience;            /* 20; 0: no early stopping */
    double val;              /* share of windows in the validation tail: 0.2 */
    unsigned long long seed; /* 1 */
    int wave;                /* wavelet: enum nn_wave, Mexican hat */
    enum fc_interval intervals; /* conformal */
    int members;             /* ensemble and mcdropout: 10 */
    int relative;            /* 1: each window and its target less the window's last
                                value, so a level or trend past the fitted range is
                                followed; 0 (default): the standardised values */
};

/* Set the defaults above. */
void fc_nn_opts_default(struct fc_nn_opts *o);

extern const struct fc_method fc_mlp, fc_cnn, fc_rnn, fc_lstm, fc_gru, fc_wavelet;

/* Whether me is one of the neural methods. */
int fc_nn_is(const struct fc_method *me);

/* What training did, for the loss table and the report. */
struct fc_nn_info {
    int epochs;           /* epochs run (the first member's) */
    const double *train;  /* epochs training losses (standardised units) */
    const double *val;    /* epochs validation losses (NaN without a tail) */
    int best_epoch;       /* the epoch whose weights are kept (0: the last) */
    int stopped;          /* 1: Ctrl-C ended training; the best weights so far kept */
    int early;            /* 1: early stopping ended it */
    int n_train, n_val;   /* windows trained on and in the validation tail (global:
                             this series' own) */
    int shared;           /* 1: a global network another series' model holds the curve of */
};

/*
 * One network across k series ys[i][0..ns[i]) (global=yes): every
 * series is standardised by its own transform, its windows carry its
 * one-hot code (k more inputs: per step for cnn and the recurrent ones),
 * and each series' last windows validate. models[0..k) get one model per
 * series; models[0] owns the networks and the loss curve, the others
 * use them (release models[0] last). Errors as fit; QE_DATA names no
 * series (the caller does).
 */
int fc_nn_fit_global(const struct fc_method *me, const double *const *ys, const long long *ns,
                     int k, const struct fc_opts *o, struct tick *t, void **models,
                     struct qerr *err);

/* The training record of a neural model (from fit; a loaded one has no curve). */
void fc_nn_info(const void *model, struct fc_nn_info *out);

/* --- internal to fc_nn*.c ---------------------------------------------------- */

struct nn_net;

/* A fitted neural forecaster. */
struct fc_nnfit {
    const struct fc_method *me;
    struct fc_nn_opts o;       /* as used (defaults filled in) */
    int lags;
    double mu, sd;             /* the standardising transform */
    int kx;                    /* regressors (0: none) */
    double *xmu, *xsd;         /* their transforms, kx each (one allocation: xmu owns) */
    double *xtail;             /* the last lags periods' regressors fitted (standardised,
                                  lags x kx row-major) */
    int nets;                  /* networks (ensemble: members, else 1) */
    struct nn_net *net;        /* nets networks */
    int owns;                  /* 1: net (and curve) are this model's to free */
    int ng, gi;                /* global: series one-hot coded, this one's code; else 0 */
    double *tail;              /* the last lags values fitted (standardised) */
    long long n;               /* values fitted */
    double *resid;             /* validation one-step errors (standardised), nres */
    int nres;
    double mse;                /* their mean square (NaN without a tail) */
    /* the training record (not stored) */
    double *curve;             /* 2 x cap: train then val losses */
    struct fc_nn_info info;
};

/*
 * Inputs per window; the network input of window z[0..lags) (standardised)
 * into dst, with xz (lags x kx standardised: the regressors of the period
 * after each value; NULL when kx is 0).
 */
size_t fc_nn_insize(const struct fc_nnfit *f);
void fc_nn_input(const struct fc_nnfit *f, const double *z, const double *xz, double *dst);

/* Build the network of model f's method and options into net for batches of max_batch. */
int fc_nn_build(const struct fc_nnfit *f, struct nn_net *net, int max_batch,
                unsigned long long seed, struct qerr *err);
void fc_nn_release(void *model);
int fc_nn_predict(const void *model, int h, double level, double *mean, double *lower,
                  double *upper, struct qerr *err);
/* As fc_nn_predict, with the h periods' regressors x (h x kx, row-major, raw units). */
int fc_nn_predict_x(const void *model, int h, const double *x, double level, double *mean,
                    double *lower, double *upper, struct qerr *err);
int fc_nn_save(const void *model, struct buf *b, struct qerr *err);
int fc_nn_load_as(const struct fc_method *me, struct store_reader *r, void **model,
                  struct qerr *err);
void fc_nn_describe(const void *model, struct buf *out);

#endif
