/*
 * nn_train.h: losses, optimisers, early stopping and the training loop
 * over a network of nn.h.
 *
 * Losses, the mean over n rows of k outputs (yhat the network's output,
 * y the target):
 *   mse  mean (yhat - y)^2;  mae  mean |yhat - y|
 *   bce  binary cross-entropy on logits z, per value
 *        max(z, 0) - z y + log(1 + exp(-|z|))   (stable for any z)
 *   cce  categorical cross-entropy on logits, per row, y a one-hot or
 *        probability row: sum_j -y_j (z_j - logsumexp(z)), mean over rows.
 * Optimisers, PyTorch's update rules and defaults:
 *   sgd   m = mu m + g; p -= lr m  (lr 0.01, momentum mu 0.9)
 *   adam  m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
 *         p -= lr/(1-b1^t) m / (sqrt(v)/sqrt(1-b2^t) + eps)
 *         (lr 0.001, b1 0.9, b2 0.999, eps 1e-8), one fused loop over
 *         the flat parameter vector.
 */
#ifndef QUARRY_NN_TRAIN_H
#define QUARRY_NN_TRAIN_H

#include "base/qerr.h"
#include "base/tick.h"
#include "nn/nn.h"

enum nn_loss { NN_MSE, NN_MAE, NN_BCE, NN_CCE };

/*
 * The loss of yhat against y over n rows of k values; when d is not NULL
 * it receives the gradient of the loss by yhat (n x k).
 */
double nn_loss(enum nn_loss kind, const double *yhat, const double *y, int n, int k,
               double *d);

enum nn_opt { NN_SGD, NN_ADAM };

struct nn_optim {
    enum nn_opt kind;
    double lr, momentum, beta1, beta2, eps;
};

/* PyTorch's defaults for kind (see above). */
void nn_optim_default(struct nn_optim *o, enum nn_opt kind);
/* One step over net->p from net->g (state in net->m, net->v, net->step). */
void nn_optim_step(struct nn_net *net, const struct nn_optim *o);
/* Forget the optimiser's state (moments and step count). */
void nn_optim_reset(struct nn_net *net);

/* Early stopping: patience epochs without a better validation loss. */
struct nn_early {
    int patience;
    int wait;        /* epochs since the best */
    int best_epoch;  /* 1-based, 0 before the first */
    double best;
    double *bestp;   /* the parameters at the best epoch */
    size_t np;
};

/* Start es for net; 0, or -1 with err set (QE_NOMEM). */
int nn_early_init(struct nn_early *es, const struct nn_net *net, int patience,
                  struct qerr *err);
/*
 * Record epoch's validation loss: a better one keeps net's parameters.
 * Nonzero when patience epochs have passed without improving.
 */
int nn_early_update(struct nn_early *es, const struct nn_net *net, double val, int epoch);
/* Put the best parameters back into net (nothing before the first update). */
void nn_early_restore(const struct nn_early *es, struct nn_net *net);
void nn_early_free(struct nn_early *es);

struct nn_fit_opts {
    int epochs;            /* at most this many passes */
    int batch;             /* examples per step, <= the net's max_batch */
    enum nn_loss loss;
    struct nn_optim opt;
    unsigned long long seed; /* the shuffling order */
    int patience;          /* 0: no early stopping; needs validation data */
    const double *xval, *yval; /* validation examples, or NULL */
    int nval;
    int note;              /* tick_note "epoch e/E, loss L[, validation V]" after each epoch */
};

/*
 * Train net on n examples x ([n][in_t][in_f]) with targets y ([n][out]),
 * shuffled each epoch from opts->seed, in batches of opts->batch; the last
 * batch of an epoch may be smaller. train[e] and val[e] (either may be
 * NULL; val is NaN without validation data) receive each epoch's mean
 * loss; *ran the epochs run. With patience, stops early and keeps the
 * best validation weights. 0, or -1 with err set: QE_NUMERIC when the
 * loss becomes NaN or diverges ("loss became NaN at epoch N; try a lower
 * lr"; the parameters are then unusable), QE_INTERRUPT when t cancels
 * between batches, QE_NOMEM, QE_ARG.
 */
int nn_fit(struct nn_net *net, const double *x, const double *y, int n,
           const struct nn_fit_opts *opts, double *train, double *val, int *ran,
           struct tick *t, struct qerr *err);

/*
 * Predict n examples into y ([n][out]), dropout off, in batches of the
 * net's max_batch. 0, or -1 with err set: QE_NUMERIC when an output is
 * not finite (y then holds no NaN: it is zeroed), QE_INTERRUPT.
 */
int nn_predict(struct nn_net *net, const double *x, int n, double *y, struct tick *t,
               struct qerr *err);

#endif
