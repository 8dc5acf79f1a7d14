/*
 * nn.h: a small neural-network core: a stack of layers trained by
 * backpropagation over mini-batches, in double precision (the
 * convolutions and recurrent layers optionally in float32, nn_set_float32) over the
 * core's own gemm kernels (nn_gemm.c; CBLAS where the CPU has neither
 * AVX-512 nor AVX2); the recurrent layers and float32 convolutions
 * optionally on several threads (nn_set_threads), with the same results.
 *
 * Data. A batch is a contiguous row-major array [B][T][F]: B examples,
 * T time steps (1 for plain vectors), F features per step. Every layer
 * maps an input of shape (T, F) per example to an output (T', F'); a
 * dense layer reads its whole input (T*F values) as one vector, so it also
 * flattens.
 *
 * Parameters. A network holds one flat parameter vector p and one flat
 * gradient vector g of the same length; each layer owns a slice
 * [poff, poff + np) of both, so an optimiser is one loop over p, g and
 * its state. Every buffer (activations, caches, im2col, BPTT state) is
 * allocated once by nn_net_alloc for a maximum batch size: a training
 * step allocates nothing.
 *
 * Initialisation (from the network's seed, base/rng.h):
 *   dense, conv1d: weights Glorot uniform, U(-a, a), a = sqrt(6/(fan_in +
 *     fan_out)), He uniform a = sqrt(6/fan_in) before relu; biases 0
 *     (Keras' defaults; PyTorch uses U(+-1/sqrt(fan_in)) for both).
 *   rnn, lstm, gru: every weight and bias U(-1/sqrt(H), 1/sqrt(H)), as
 *     PyTorch does (no orthogonal recurrent init).
 *   wavelet: weights Glorot uniform, translations 0, dilations 1.
 *
 * Layers and their equations (x input, y output, per example):
 *   dense    y = act(x W + b), W (K x U), act relu|tanh|sigmoid|identity.
 *   conv1d   y[t,f] = act(b[f] + sum_{j<k} sum_c x[t+j-l, c] W[j,c,f]),
 *            stride 1, padding `valid` (l = 0, T' = T-k+1) or `same`
 *            (l = (k-1)/2, zeros outside, T' = T); done as im2col + gemm.
 *   pool     max or average over non-overlapping windows of s steps,
 *            T' = floor(T/s).
 *   dropout  training: y = x * m / (1-r), m ~ Bernoulli(1-r) from the
 *            seed (inverted dropout); prediction: y = x.
 *   rnn      h_t = tanh(x_t Wx + h_{t-1} Wh + b) (Elman).
 *   lstm     [i f g o] = [x_t, h_{t-1}] W + b   (W is (F+H) x 4H)
 *            i = s(.), f = s(.), o = s(.), g = tanh(.)   (s: sigmoid)
 *            c_t = f * c_{t-1} + i * g,  h_t = o * tanh(c_t)
 *            i input gate, f forget gate, o output gate; one gemm of the
 *            batch's [x_t, h_{t-1}] by W per step, the gates and the cell
 *            update in one loop; backpropagation through time over
 *            preallocated per-step caches.
 *   gru      r = s(x Wxr + bxr + h Whr + bhr), z = s(x Wxz + bxz + h Whz + bhz)
 *            n = tanh(x Wxn + bxn + r * (h Whn + bhn)),
 *            h_t = (1 - z) * n + z * h_{t-1}   (PyTorch's form).
 *   wavelet  u_j = (x w_j - t_j) / d_j, y_j = psi(u_j) with translation
 *            t_j and dilation d_j learned per hidden unit;
 *            Mexican hat psi(u) = (1 - u^2) exp(-u^2/2),
 *            Morlet psi(u) = cos(5u) exp(-u^2/2).
 *   embed    y_t = E[code(x_t)], E (V x D) learned, x_t a token code 0..V-1
 *            (one input feature; rounded, clamped, NaN = 0); the input's
 *            gradient is 0 (nn_embed.c).
 * Recurrent layers start from h_0 = c_0 = 0 and give every step's h
 * (seq=1, T' = T, F' = H) or the last one only (seq=0, T' = 1).
 */
#ifndef QUARRY_NN_H
#define QUARRY_NN_H

#include <stddef.h>

#include "base/qerr.h"
#include "base/rng.h"

#define NN_MAX_LAYERS 16
#define NN_MAX_THREADS 8

enum nn_kind {
    NN_DENSE,
    NN_CONV1D,
    NN_POOL,
    NN_DROPOUT,
    NN_RNN,
    NN_LSTM,
    NN_GRU,
    NN_WAVELET,
    NN_EMBED,
};

enum nn_act { NN_IDENTITY, NN_RELU, NN_TANH, NN_SIGMOID };

/* A network's worker threads (nn_par.c), started at its first threaded pass. */
struct nn_pool;
/* Adam's step as nn_fit gives it to a layer (nn_layer.h). */
struct nn_adam_step;

enum nn_wave { NN_MEXHAT, NN_MORLET };

struct nn_layer {
    enum nn_kind kind;
    int in_t, in_f;   /* input shape per example */
    int out_t, out_f; /* output shape per example */
    int act;          /* enum nn_act (dense, conv1d) or nn_wave (wavelet) */
    int units;        /* dense/wavelet units, conv filters, recurrent H */
    int k;            /* conv kernel, pool size */
    int same;         /* conv: same padding; pool: 1 = average; rnn: every step */
    double rate;      /* dropout rate */
    int f32;          /* conv1d, rnn, lstm, gru: float32 (nn_set_float32) */
    int threads;      /* recurrent, dense, conv1d f32: threads of this pass (the net's, set per pass) */
    struct nn_pool *pool; /* dense, conv1d f32: the net's workers for this pass, or NULL */
    const struct nn_layer *fprev; /* conv1d f32: the float convolution it reads (nn.c), or NULL */
    int fnext;        /* conv1d f32: the next layer reads its float output, not out */
    size_t poff, np;  /* slice of the network's p and g */
    const struct nn_adam_step *adam; /* conv1d f32 Winograd, set by nn_fit for one backward pass: */
    int adam_done;    /* update the parameters as their gradient is found (then adam_done) */
    int u_batch;      /* conv1d Winograd: b when the transform U of p for a batch of b is in work */
    double *out;      /* [B][out_t][out_f], this layer's output */
    double *dout;     /* gradient of the loss by out (but see dy_d) */
    const double *dy_d, *dy_w; /* conv1d f32 before a one-unit dense layer, in nn_backward: */
                      /* dout[i][k] = dy_d[i] dy_w[k] + 0.0, used so, not written out */
    double *cache;    /* per-kind caches (im2col, gates, masks, ...) */
    double *work;     /* per-kind scratch for backward */
};

struct nn_net {
    int nl;
    struct nn_layer L[NN_MAX_LAYERS];
    int in_t, in_f;  /* input shape per example */
    int max_batch;   /* buffers hold this many examples */
    int batch;       /* examples in the last forward pass */
    size_t np;       /* parameters */
    double *p, *g;   /* parameters and their gradients, np each */
    double *m, *v;   /* optimiser state (Adam moments, SGD momentum in m) */
    long long step;  /* optimiser steps taken */
    double *dx;      /* gradient by the network's input, [B][in_t][in_f] */
    int skip_dx;     /* nn_backward leaves dx alone (nn_fit's steps: not needed) */
    struct rng rng;  /* initialisation and dropout masks */
    int training;    /* forward in training mode (dropout on) */
    int threads;     /* threads the recurrent layers split a batch over (1..NN_MAX_THREADS) */
    struct nn_pool *pool; /* threads - 1 workers for the convolutions and the optimiser, or NULL */
};

/* Start an empty network for inputs of in_t steps of in_f features. */
void nn_net_init(struct nn_net *net, int in_t, int in_f);

/*
 * Append a layer to net (shapes follow from the previous layer). Each
 * returns 0, or -1 with err set (QE_ARG: too many layers, a shape that
 * does not fit, a bad size).
 */
int nn_add_dense(struct nn_net *net, int units, enum nn_act act, struct qerr *err);
int nn_add_conv1d(struct nn_net *net, int filters, int kernel, int same, enum nn_act act,
                  struct qerr *err);
int nn_add_pool(struct nn_net *net, int size, int average, struct qerr *err);
int nn_add_dropout(struct nn_net *net, double rate, struct qerr *err);
int nn_add_rnn(struct nn_net *net, int hidden, int every_step, struct qerr *err);
int nn_add_lstm(struct nn_net *net, int hidden, int every_step, struct qerr *err);
int nn_add_gru(struct nn_net *net, int hidden, int every_step, struct qerr *err);
int nn_add_wavelet(struct nn_net *net, int units, enum nn_wave psi, struct qerr *err);
/* An embedding of codes 0..vocab-1 into dim numbers; the input must have one feature. */
int nn_add_embed(struct nn_net *net, int vocab, int dim, struct qerr *err);
/* The code an embedding layer of vocab rows reads for input value v (see embed above). */
int nn_embed_code(double v, int vocab);

/*
 * Allocate the parameters, gradients, optimiser state and every layer
 * buffer for batches of up to max_batch examples, and initialise the
 * parameters from seed. 0, or -1 with err set (QE_NOMEM).
 */
int nn_net_alloc(struct nn_net *net, int max_batch, unsigned long long seed,
                 struct qerr *err);
/* Free everything nn_net_alloc allocated (net may be half-built). */
void nn_net_free(struct nn_net *net);

/*
 * Run the convolutions and the recurrent layers in float32 (on != 0) or
 * double (the default). A convolution rounds its im2col rows, weights and
 * output gradients to float32 for its three gemms (nn_conv.c; one of
 * kernel 3 over 16 or more channels runs Winograd's F(6,3) instead, 2.25x
 * fewer multiplies, nn_wino.c); a recurrent
 * layer keeps its caches and work in float32 and runs every product,
 * activation and cell update there (nn_rnn.c). Layer inputs, outputs and
 * gradients and the parameters stay double. About twice as fast; the
 * gradient checks hold in double, and float32 agrees with them to float's
 * rounding (about 1e-6 relative per product). Any time after the layers
 * are added.
 */
void nn_set_float32(struct nn_net *net, int on);

/*
 * Split each batch's recurrent layers and float32 convolutions over
 * threads (clamped to 1..NN_MAX_THREADS; 1 after nn_net_init): the
 * examples are independent through the recurrence and the convolution, so
 * each thread runs whole examples of its share of the batch, and the
 * weight gradient's rows are shared out. A net with a float32
 * convolution starts threads - 1 worker threads at its first such pass
 * (kept until nn_net_free or another thread count), which Adam's update
 * shares too. Every value is summed in the same order for any thread
 * count: results do not depend on it. A dense layer right after float32
 * convolutions runs its share in their pool jobs too.
 */
void nn_set_threads(struct nn_net *net, int threads);

/* Output values per example of the last layer. */
int nn_out_size(const struct nn_net *net);

/*
 * Forward pass over b <= max_batch examples x ([b][in_t][in_f]); training
 * turns dropout on. Returns the last layer's output, [b][out size].
 */
const double *nn_forward(struct nn_net *net, const double *x, int b, int training);

/*
 * Backward pass after nn_forward(x, b): dy is the loss's gradient by the
 * output. Overwrites net->g with the parameters' gradients and net->dx
 * with the input's (not while net->skip_dx: nn_fit's own steps).
 */
void nn_backward(struct nn_net *net, const double *x, const double *dy);

#endif
