/*
 * seqnn_trace.c: one LSTM step of an lstm classifier worked out unit by
 * unit (seqnn_trace.h). The network comes from seqnn.c's hook
 * (seqnn_net_of); its forward pass gives each layer's input; the traced
 * layer is then run again here in double precision, step by step, from
 * its weights (nn.h's layout), so the numbers do not depend on how nn_rnn.c
 * keeps its caches.
 */
#include "classify/seqnn_trace.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "classify/seqnn.h"
#include "nn/nn.h"

#include "base/banned.h"

static double
sigmoid(double x)
{
    return 1.0 / (1.0 + exp(-x));
}

void
seqnn_gates_release(struct seqnn_gates *g)
{
    free(g->i); /* one block holds all seven */
    memset(g, 0, sizeof *g);
}

/* Check the layer and step asked for against the network's; fill in the defaults. */
static int
pick(const struct nn_net *net, int layer, int step, struct seqnn_gates *out, struct qerr *err)
{
    out->layers = net->nl - 2; /* embed, recurrent layers, dense */
    for (int l = 1; l <= out->layers; l++)
        if (net->L[l].kind != NN_LSTM)
            return qerr_set(err, QE_ARG, "the model is not an LSTM: the gate trace is for "
                                         "model=lstm");
    out->layer = layer ? layer : 1;
    out->T = net->in_t;
    out->step = step ? step : out->T;
    if (out->layer < 1 || out->layer > out->layers)
        return qerr_set(err, QE_ARG, "layer=%d: the model has %d LSTM layer%s", layer,
                        out->layers, out->layers == 1 ? "" : "s");
    if (out->step < 1 || out->step > out->T)
        return qerr_set(err, QE_ARG, "step=%d: the model reads sequences of %d steps", step,
                        out->T);
    out->H = net->L[out->layer].units;
    return 0;
}

/*
 * Run layer L (its weights p) over the T steps of its input x ([T][F]),
 * keeping step s's values in out; h and c hold the state (H each), a the
 * pre-activations (4H).
 */
static void
run_layer(const struct nn_layer *L, const double *p, const double *x, int s,
          struct seqnn_gates *out, double *h, double *c, double *a)
{
    int F = L->in_f, H = L->units, T = L->in_t, G = 4 * H;
    const double *b = p + (size_t)(F + H) * G;
    memset(h, 0, (size_t)H * sizeof *h);
    memset(c, 0, (size_t)H * sizeof *c);
    for (int t = 0; t < T; t++) {
        for (int q = 0; q < G; q++) {
            double v = b[q];
            for (int r = 0; r < F; r++)
                v += x[(size_t)t * F + r] * p[(size_t)r * G + q];
            for (int r = 0; r < H; r++)
                v += h[r] * p[(size_t)(F + r) * G + q];
            a[q] = v;
        }
        for (int j = 0; j < H; j++) {
            double gi = sigmoid(a[j]), gf = sigmoid(a[H + j]), gg = tanh(a[2 * H + j]);
            double go = sigmoid(a[3 * H + j]), cp = c[j];
            c[j] = gf * cp + gi * gg;
            h[j] = go * tanh(c[j]);
            if (t == s) {
                out->i[j] = gi;
                out->f[j] = gf;
                out->g[j] = gg;
                out->o[j] = go;
                out->c_prev[j] = cp;
                out->c[j] = c[j];
                out->h[j] = h[j];
            }
        }
    }
}

int
seqnn_lstm_trace(const void *model, const double *row, int layer, int step,
                 struct seqnn_gates *out, struct qerr *err)
{
    struct nn_net net = {0};
    double *seq = NULL, *work = NULL;
    int rc = -1;
    if (seqnn_net_of(model, row, &net, &seq, err) < 0 || pick(&net, layer, step, out, err) < 0)
        goto out;
    size_t H = (size_t)out->H;
    out->i = malloc((7 * H + 1) * sizeof *out->i);
    work = malloc((6 * H + 1) * sizeof *work);
    if (!out->i || !work) {
        qerr_set(err, QE_NOMEM, "out of memory for the gate trace");
        goto out;
    }
    out->f = out->i + H;
    out->g = out->f + H;
    out->o = out->g + H;
    out->c_prev = out->o + H;
    out->c = out->c_prev + H;
    out->h = out->c + H;
    nn_forward(&net, seq, 1, 0);
    const struct nn_layer *L = &net.L[out->layer];
    out->token = out->layer == 1 ? nn_embed_code(seq[out->step - 1], net.L[0].k) : -1;
    run_layer(L, net.p + L->poff, net.L[out->layer - 1].out, out->step - 1, out, work,
              work + H, work + 2 * H);
    /* the network's own h_T: the last row of an every-step output, or the only one */
    const double *own = L->out + (L->same ? (size_t)(out->T - 1) * H : 0);
    out->h_diff = 0;
    for (size_t j = 0; j < H; j++)
        out->h_diff = fmax(out->h_diff, fabs(work[j] - own[j]));
    rc = 0;
out:
    free(work);
    free(seq);
    nn_net_free(&net);
    return rc;
}
