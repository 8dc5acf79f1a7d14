/*
 * nn_embed.c: the embedding layer: each step's input is a token code
 * (0 .. V-1, a whole number kept as a double), its output the code's row
 * of a learned table E (V x D):
 *   y[t] = E[code(x[t])],  code(v) = v rounded, clamped to [0, V-1]
 *   (NaN reads as 0, the padding code).
 * Backward: dL/dE[c] = sum over the batch's steps with code c of dL/dy[t];
 * the input is a code, not a number: its gradient is 0.
 * Initialisation: U(-sqrt(3), sqrt(3)) (unit variance, as PyTorch's
 * nn.Embedding's N(0, 1)).
 */
#include <math.h>
#include <string.h>

#include "base/banned.h"
#include "nn/nn_layer.h"

struct nn_sizes
nn_embed_sizes(const struct nn_layer *l, int b)
{
    struct nn_sizes s = {0, 0, 0};
    (void)b;
    s.np = (size_t)l->k * (size_t)l->units;
    return s;
}

void
nn_embed_init(const struct nn_layer *l, double *p, struct rng *r)
{
    nn_uniform(r, p, (size_t)l->k * (size_t)l->units, sqrt(3.0));
}

int
nn_embed_code(double v, int vocab)
{
    if (!(v >= 0.5))
        return 0;
    if (v >= vocab - 1)
        return vocab - 1;
    return (int)lrint(v);
}

void
nn_embed_forward(struct nn_layer *l, const double *p, const double *x, int b)
{
    size_t steps = (size_t)b * l->in_t, d = (size_t)l->units;
    for (size_t s = 0; s < steps; s++)
        memcpy(l->out + s * d, p + (size_t)nn_embed_code(x[s], l->k) * d, d * sizeof(double));
}

void
nn_embed_backward(struct nn_layer *l, const double *p, double *g, const double *x, double *dx,
                  int b)
{
    (void)p;
    size_t steps = (size_t)b * l->in_t, d = (size_t)l->units;
    memset(g, 0, l->np * sizeof(double));
    for (size_t s = 0; s < steps; s++) {
        double *row = g + (size_t)nn_embed_code(x[s], l->k) * d;
        const double *dy = l->dout + s * d;
        for (size_t j = 0; j < d; j++)
            row[j] += dy[j];
    }
    if (dx)
        memset(dx, 0, steps * sizeof(double));
}
