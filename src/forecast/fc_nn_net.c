/*
 * fc_nn_net.c: the neural forecasters' networks: their shape from the
 * method and options, a window as the network's input, and freeing a
 * fitted model (fc_nn.h). The method is told by its name, so this file
 * calls nothing of fc_nn.c or fc_nn_pred.c.
 */
#include "forecast/fc_nn.h"

#include <stdlib.h>
#include <string.h>

#include "nn/nn.h"

#include "base/banned.h"

static int
is(const struct fc_method *me, const char *name)
{
    return strcmp(me->name, name) == 0;
}

/* mlp and wavelet read the window as one vector; the others as steps. */
static int
is_vec(const struct fc_method *me)
{
    return is(me, "mlp") || is(me, "wavelet");
}

int
fc_nn_build(const struct fc_nnfit *f, struct nn_net *net, int max_batch,
            unsigned long long seed, struct qerr *err)
{
    const struct fc_nn_opts *o = &f->o;
    const struct fc_method *me = f->me;
    int L = f->lags, rc = 0, vec = is_vec(me);
    if (o->layers + 3 > NN_MAX_LAYERS)
        return qerr_set(err, QE_ARG, "layers=%d: a network holds at most %d hidden layers",
                        o->layers, NN_MAX_LAYERS - 3);
    nn_net_init(net, vec ? 1 : L, vec ? L + L * f->kx + f->ng : 1 + f->kx + f->ng);
    for (int i = 0; i < o->layers && rc == 0; i++) {
        int last = i == o->layers - 1;
        if (is(me, "mlp"))
            rc = nn_add_dense(net, o->hidden, NN_RELU, err);
        else if (is(me, "cnn"))
            rc = nn_add_conv1d(net, o->filters, o->kernel, 1, NN_RELU, err);
        else if (is(me, "rnn"))
            rc = nn_add_rnn(net, o->hidden, !last, err);
        else if (is(me, "lstm"))
            rc = nn_add_lstm(net, o->hidden, !last, err);
        else if (is(me, "gru"))
            rc = nn_add_gru(net, o->hidden, !last, err);
        else
            rc = nn_add_wavelet(net, o->hidden, (enum nn_wave)o->wave, err);
        if (rc == 0 && o->dropout > 0 && (is(me, "mlp") || last))
            rc = nn_add_dropout(net, o->dropout, err);
    }
    if (rc == 0)
        rc = nn_add_dense(net, 1, NN_IDENTITY, err);
    /* the convolutions' products in float32: about twice as fast (nn.h) */
    nn_set_float32(net, 1);
    if (rc == 0)
        rc = nn_net_alloc(net, max_batch, seed, err);
    if (rc < 0)
        nn_net_free(net);
    return rc;
}

size_t
fc_nn_insize(const struct fc_nnfit *f)
{
    int vec = is_vec(f->me);
    size_t L = (size_t)f->lags, kx = (size_t)f->kx, ng = (size_t)f->ng;
    return vec ? L + L * kx + ng : L * (1 + kx + ng);
}

void
fc_nn_input(const struct fc_nnfit *f, const double *z, const double *xz, double *dst)
{
    int L = f->lags, ng = f->ng, kx = f->kx, vec = is_vec(f->me);
    double base = f->o.relative ? z[L - 1] : 0;
    if (vec) {
        for (int j = 0; j < L; j++)
            dst[j] = z[j] - base;
        for (int j = 0; j < L * kx; j++)
            dst[L + j] = xz[j];
        for (int g = 0; g < ng; g++)
            dst[L + L * kx + g] = g == f->gi;
        return;
    }
    for (int j = 0; j < L; j++) {
        double *d = dst + (size_t)j * (1 + kx + ng);
        d[0] = z[j] - base;
        for (int c = 0; c < kx; c++)
            d[1 + c] = xz[(size_t)j * kx + c];
        for (int g = 0; g < ng; g++)
            d[1 + kx + g] = g == f->gi;
    }
}

void
fc_nn_release(void *model)
{
    struct fc_nnfit *f = model;
    if (!f)
        return;
    if (f->owns) {
        for (int m = 0; f->net && m < f->nets; m++)
            nn_net_free(&f->net[m]);
        free(f->net);
        free(f->curve);
    }
    free(f->tail);
    free(f->xmu);
    free(f->xtail);
    free(f->resid);
    free(f);
}

