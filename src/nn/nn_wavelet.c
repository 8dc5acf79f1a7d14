/*
 * nn_wavelet.c: the wavelet layer (a wavelet network's hidden layer):
 * u_j = (x w_j - t_j) / d_j, y_j = psi(u_j), translation t_j and dilation
 * d_j learned per unit; psi the Mexican hat (1 - u^2) exp(-u^2/2) or the
 * Morlet cos(5u) exp(-u^2/2).
 *   psi'(u) Mexican hat: u (u^2 - 3) exp(-u^2/2)
 *   psi'(u) Morlet:      -(5 sin(5u) + u cos(5u)) exp(-u^2/2)
 *   dL/ds = dL/dy psi'(u) / d, dL/dt = -dL/ds, dL/dd = -dL/ds u.
 * Parameters: W (K x U), then t (U), then d (U).
 */
#include <math.h>
#include <string.h>

#include "base/banned.h"
#include "nn/nn_layer.h"

struct nn_sizes
nn_wavelet_sizes(const struct nn_layer *l, int b)
{
    struct nn_sizes s;
    size_t k = (size_t)l->in_t * l->in_f, u = (size_t)l->units;
    s.np = k * u + 2 * u;
    s.cache = (size_t)b * u;
    s.work = (size_t)b * u;
    return s;
}

void
nn_wavelet_init(const struct nn_layer *l, double *p, struct rng *r)
{
    size_t k = (size_t)l->in_t * l->in_f, u = (size_t)l->units;
    nn_uniform(r, p, k * u, sqrt(6.0 / (double)(k + u)));
    for (size_t j = 0; j < u; j++) {
        p[k * u + j] = 0.0;
        p[k * u + u + j] = 1.0;
    }
}

void
nn_wavelet_forward(struct nn_layer *l, const double *p, const double *x, int b)
{
    int k = l->in_t * l->in_f, U = l->units;
    const double *tr = p + (size_t)k * U, *dl = tr + U;
    double *u = l->cache;
    nn_gemm(0, 0, b, U, k, x, k, p, U, 0.0, u, U);
    for (int i = 0; i < b; i++)
        for (int j = 0; j < U; j++) {
            size_t o = (size_t)i * U + j;
            double v = (u[o] - tr[j]) / dl[j], e = exp(-0.5 * v * v);
            u[o] = v;
            l->out[o] = l->act == NN_MORLET ? cos(5 * v) * e : (1 - v * v) * e;
        }
}

void
nn_wavelet_backward(struct nn_layer *l, const double *p, double *g, const double *x,
                    double *dx, int b)
{
    int k = l->in_t * l->in_f, U = l->units;
    const double *dl = p + (size_t)k * U + U;
    double *gt = g + (size_t)k * U, *gd = gt + U, *ds = l->work;
    memset(gt, 0, 2 * (size_t)U * sizeof(double));
    for (int i = 0; i < b; i++)
        for (int j = 0; j < U; j++) {
            size_t o = (size_t)i * U + j;
            double v = l->cache[o], e = exp(-0.5 * v * v);
            double dpsi = l->act == NN_MORLET ? -(5 * sin(5 * v) + v * cos(5 * v)) * e
                                              : v * (v * v - 3) * e;
            double d = l->dout[o] * dpsi / dl[j];
            ds[o] = d;
            gt[j] -= d;
            gd[j] -= d * v;
        }
    nn_gemm(1, 0, k, U, b, x, k, ds, U, 0.0, g, U);
    if (dx)
        nn_gemm(0, 1, b, k, U, ds, U, p, U, 0.0, dx, k);
}
