/*
 * seqnn.h: the sequence classifiers rnn, lstm and gru (docs/METHODS.md C):
 * an embedding of event tokens, recurrent layer(s) over the sequence, and
 * a dense softmax over the classes, trained by cross-entropy with Adam
 * and early stopping on a validation share (src/nn/).
 *
 * The sequence is the features named seq_N (N digits; seq_01 .. seq_50 as
 * `sequences` writes them), read in the order of N, each a token code
 * 0 .. V-1 (0 pads; NaN reads as 0); the vocabulary V is the largest code
 * seen in training plus one, and a larger code at prediction reads as
 * V - 1. Every other feature is ignored. Network, per example:
 *   e_t = E[x_t]                              (embed: V x D, D = embed)
 *   h_t = cell(e_t, h_{t-1})                  (rnn, lstm or gru: nn.h's
 *                                              equations; layers stacked,
 *                                              each reading the one below's
 *                                              every step)
 *   p = softmax(h_T W + b)                    (W: H x nclass)
 * Loss: mean over rows of w_y (-log p_y); class weights w_c = 1 (none) or
 * n / (nclass n_c) (auto, scikit-learn's "balanced"). Training: the last
 * max(1, 10%) of the rows in a seeded shuffle are held out for validation
 * when there are at least 20 rows and patience > 0; the rest are shuffled
 * each epoch in batches; the weights of the epoch with the lowest
 * validation loss are kept. Initialisation and shuffles come from the
 * seed (same seed, same model).
 */
#ifndef QUARRY_SEQNN_H
#define QUARRY_SEQNN_H

#include "classify/classify.h"

extern const struct cls_method cls_rnn, cls_lstm, cls_gru;
extern const struct store_kind rnn_kind, lstm_kind, gru_kind;

/* The index of the sequence position a feature name gives (seq_07: 7), or -1. */
int seqnn_position(const char *name);

struct nn_net;
/*
 * For seqnn_trace.c: model's network for batches of one into net (nn_net_free
 * it), its parameters set, and row's (the model's p features) sequence of
 * net->in_t codes into *seq (free it, also after a failure). 0, or -1 with err set.
 */
int seqnn_net_of(const void *model, const double *row, struct nn_net *net, double **seq,
                 struct qerr *err);

#endif
