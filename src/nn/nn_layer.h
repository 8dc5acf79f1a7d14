/*
 * nn_layer.h: the layer kinds' functions behind nn.h (internal to src/nn).
 *
 * Adding a layer kind: an enum nn_kind value, an nn_add_KIND in nn.c that
 * sets the output shape and units, and four functions here: its sizes
 * (parameters, cache and work doubles per example, or fixed), its
 * initialiser over its parameter slice, its forward pass and its backward
 * pass; then a case in each switch of nn.c, and a gradient check in
 * tests/unit/test_nn_grad.c.
 */
#ifndef QUARRY_NN_LAYER_H
#define QUARRY_NN_LAYER_H

#include "nn/nn.h"

/* Sizes a layer needs: parameters, and cache/work doubles for a batch of b. */
struct nn_sizes {
    size_t np, cache, work;
};

/* Sizes of layer l for batches of b examples. */
struct nn_sizes nn_conv_sizes(const struct nn_layer *l, int b);
struct nn_sizes nn_rnn_sizes(const struct nn_layer *l, int b);
struct nn_sizes nn_wavelet_sizes(const struct nn_layer *l, int b);
struct nn_sizes nn_embed_sizes(const struct nn_layer *l, int b);

/* Uniform draws in [-a, a) into p[0..n). */
void nn_uniform(struct rng *r, double *p, size_t n, double a);

/* Initialise layer l's parameters p (its slice) from r. */
void nn_conv_init(const struct nn_layer *l, double *p, struct rng *r);
void nn_rnn_init(const struct nn_layer *l, double *p, struct rng *r);
void nn_wavelet_init(const struct nn_layer *l, double *p, struct rng *r);
void nn_embed_init(const struct nn_layer *l, double *p, struct rng *r);

/*
 * Forward: x [b][in] to l->out; p the layer's parameters; r the dropout
 * stream; training as nn_forward.
 */
void nn_conv_forward(struct nn_layer *l, const double *p, const double *x, int b,
                     int training, struct rng *r);
/*
 * The layer after a chain of convolutions (below), run in the chain's pool
 * jobs (nn.c: a dense layer): NULL, or fwd(arg, i0, i1) after a part's
 * examples [i0, i1) passed the chain's last layer, and bwd(arg, w, parts)
 * (part w of parts) before the chain's backward pass starts, in its
 * first job (the part's examples of the chain's output gradient among
 * what it writes).
 */
struct nn_chain_tail {
    void (*fwd)(void *arg, int i0, int i1);
    void (*bwd)(void *arg, int w, int parts);
    void *arg;
};

/*
 * The same for a chain of n >= 2 float32 convolutions ls[0..n) linked by
 * fprev/fnext (nn.c), in one pool job a pass (nn_conv.c): p, g the net's
 * arrays (each layer's slice at its poff), x the first layer's input, dx
 * the gradient by it; the same results as the layers one by one.
 */
void nn_conv_forward_chain(struct nn_layer *ls, int n, const double *p, const double *x, int b,
                           const struct nn_chain_tail *tail);
void nn_conv_backward_chain(struct nn_layer *ls, int n, const double *p, double *g, double *dx,
                            int b, const struct nn_chain_tail *tail);
void nn_rnn_forward(struct nn_layer *l, const double *p, const double *x, int b);
void nn_wavelet_forward(struct nn_layer *l, const double *p, const double *x, int b);
void nn_embed_forward(struct nn_layer *l, const double *p, const double *x, int b);

/*
 * Backward: from l->dout, add nothing but write the parameter gradient g
 * (the layer's slice, overwritten) and dx (overwritten; NULL: not needed).
 */
void nn_conv_backward(struct nn_layer *l, const double *p, double *g, const double *x,
                      double *dx, int b);
void nn_rnn_backward(struct nn_layer *l, const double *p, double *g, const double *x,
                     double *dx, int b);
void nn_wavelet_backward(struct nn_layer *l, const double *p, double *g, const double *x,
                         double *dx, int b);
void nn_embed_backward(struct nn_layer *l, const double *p, double *g, const double *x,
                       double *dx, int b);

/*
 * In place over x[0..n): the logistic sigmoid, tanh (as 2 sigmoid(2x) - 1),
 * vectorised, within a few ulps of libm's (nn_math.c); nn_exp their exp.
 */
void nn_sigmoid(double *x, size_t n);
void nn_tanh(double *x, size_t n);
/* The same in float32 (Taylor series to r^7, within a few float ulps). */
void nn_sigmoidf(float *x, size_t n);
void nn_tanhf(float *x, size_t n);
double nn_exp(double x);

/* The vector kernels this CPU takes: 2 with AVX-512, 1 with AVX2 and FMA, 0 otherwise
 * (the portable or CBLAS path), found once (nn_gemm.c). */
int nn_isa(void);

/*
 * C = op(A) op(B) + beta C, row-major, as cblas_dgemm with alpha 1 (ta,
 * tb nonzero: transposed); nn_gemm.c's kernels where B is not transposed
 * (or K is 1).
 */
void nn_gemm(int ta, int tb, int M, int N, int K, const double *A, int lda, const double *B,
             int ldb, double beta, double *C, int ldc);
/* The same in float32 (B never transposed): the convolution's float path. */
void nn_sgemm(int ta, int M, int N, int K, const float *A, int lda, const float *B, int ldb,
              float beta, float *C, int ldc);

/*
 * One Adam step (nn_math.c) over the net's parameters p, moments m and v,
 * with this step's coefficients. nn_fit gives it to a float32 Winograd
 * convolution for its backward pass (l->adam): the layer updates its
 * parameters as it finds their gradient, while the gradient is in cache
 * (nn_conv.c), and writes the transform of the new weights for the next
 * forward pass (l->u_batch); nn_optim_step then skips it (l->adam_done).
 * nn_adam_slice updates p, m, v at [off, off + n) from g (those n
 * gradients): elementwise, the same bits as nn_optim_step's.
 */
struct nn_adam_step {
    double *p, *m, *v;
    double b1, b2, step, rb2, eps;
};
void nn_adam_slice(const struct nn_adam_step *a, size_t off, const double *g, size_t n);

/*
 * A pool of threads - 1 worker threads (nn_par.c), or NULL (threads < 2,
 * or none could start); nn_pool_free stops and joins them (NULL: nothing);
 * nn_pool_size: the threads it runs a job on, the caller's included.
 */
struct nn_pool *nn_pool_new(int threads);
void nn_pool_free(struct nn_pool *p);
int nn_pool_size(const struct nn_pool *p);

/*
 * Run fn(arg, i0, i1) over [0, n) split in `threads` contiguous parts
 * (clamped to 1..NN_MAX_THREADS and to n), part k on its own thread, the
 * first here, and wait for all: on pool's workers (nn_pool_new), or with
 * pool NULL on threads started for the call (a thread that cannot start
 * runs its part here after). fn must give the same results whatever the
 * split; the parts depend on threads and n only, not on the pool.
 */
void nn_par_run(struct nn_pool *pool, int threads, int n, void (*fn)(void *arg, int i0, int i1),
                void *arg);

/*
 * The float32 convolution's products by Winograd's F(6,3) (nn_wino.c), for
 * layers where nn_wino_fits (kernel 3, 16 or more input channels):
 * nn_conv.c's float path calls them for such a layer. Sizes in doubles
 * for a batch of b (the layer's cache and work hold at least these);
 * nn_wino_weights transforms the weights p: U's rows of input channels
 * [k0, k1) (ut 0), or U^T's rows of filters [k0, k1) for the backward
 * pass (ut 1: transposed from the U there is, of the same p and b; in a
 * chain, nn_conv.c transposes a layer's in the job before its backward
 * pass, while U is still of the forward pass's p); nn_wino_forward
 * writes the outputs before activation (bias added; relu nonzero: max(0, that)) of
 * examples [i0, i1) to o (their rows), from the float input xin, or x
 * where xin is NULL;
 * nn_wino_backward takes d, the gradient by those outputs (their rows; y
 * not NULL: by a relu's outputs y, and d first multiplied by relu'(y) in
 * place), and writes the input's gradient to dxf (floats) or dx (neither:
 * not needed); nn_wino_wgrad then writes the weight gradient's rows of input
 * channels [c0, c1) to g (the layer's slice, the bias's excepted).
 */
int nn_wino_fits(const struct nn_layer *l);
size_t nn_wino_cache(const struct nn_layer *l, int b);
size_t nn_wino_work(const struct nn_layer *l, int b);
void nn_wino_weights(struct nn_layer *l, const double *p, int b, int ut, int k0, int k1);
void nn_wino_forward(struct nn_layer *l, const float *xin, const double *x, const double *bias,
                     int b, int i0, int i1, float *o, int relu);
void nn_wino_backward(struct nn_layer *l, int b, int i0, int i1, float *d, const float *y,
                      float *dxf, double *dx);
void nn_wino_wgrad(struct nn_layer *l, int b, int c0, int c1, double *g);

/* Apply act to y[0..n) in place; multiply d[0..n) by act'(given output y). */
void nn_act_apply(int act, double *y, size_t n);
void nn_act_grad(int act, const double *y, double *d, size_t n);

#endif
