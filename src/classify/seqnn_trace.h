/*
 * seqnn_trace.h: one LSTM step of a fitted lstm classifier (seqnn.h)
 * worked out unit by unit, for `trace MODEL` (teaching, checking by hand).
 *
 * For the row's sequence the recurrent layer is run again in double
 * precision from the model's weights, by nn.h's equations and parameter
 * layout ([i f g o] = [x_t, h_{t-1}] W + b, W (F+H) x 4H, then b):
 *   i = s(a_i), f = s(a_f), g = tanh(a_g), o = s(a_o)   (s: sigmoid)
 *   c = f * c_prev + i * g,  h = o * tanh(c)
 * from h_0 = c_0 = 0, reading the layer below's output (the embedding for
 * layer 1) as the network's own forward pass gives it; the chosen step's
 * values are kept. As a check, the last step's h is compared with the
 * network's own (h_diff: the largest difference over the units).
 */
#ifndef QUARRY_SEQNN_TRACE_H
#define QUARRY_SEQNN_TRACE_H

#include "base/qerr.h"

struct seqnn_gates {
    int layer, layers; /* the recurrent layer traced (1 reads the embedding), of layers */
    int step, T;       /* the step traced, 1 .. T */
    int H;             /* units */
    int token;         /* layer 1: the token code the step reads; else -1 */
    /* H values each, for the step: gates, the cell before and after, the output */
    double *i, *f, *g, *o, *c_prev, *c, *h;
    double h_diff; /* largest |h_T - the network's h_T| over the units */
};

/*
 * Trace step (1 .. T; 0: the last) of recurrent layer (1 .. layers; 0:
 * 1) of the lstm model (a cls_lstm state) on row (the model's p
 * features) into *out (zeroed by the caller; release with
 * seqnn_gates_release, also after a failure). 0, or -1 with err set:
 * QE_ARG (not an lstm model, step or layer out of range), QE_NOMEM.
 */
int seqnn_lstm_trace(const void *model, const double *row, int layer, int step,
                     struct seqnn_gates *out, struct qerr *err);
void seqnn_gates_release(struct seqnn_gates *g);

#endif
