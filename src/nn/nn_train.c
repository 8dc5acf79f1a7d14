/*
 * nn_train.c: losses, SGD and Adam, early stopping, the training loop and
 * prediction (nn_train.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/banned.h"
#include "base/mem.h"
#include "nn/nn_layer.h"
#include "nn/nn_train.h"

double
nn_loss(enum nn_loss kind, const double *yhat, const double *y, int n, int k, double *d)
{
    size_t m = (size_t)n * k;
    double s = 0;
    if (kind == NN_CCE) {
        for (int i = 0; i < n; i++) {
            const double *z = yhat + (size_t)i * k, *t = y + (size_t)i * k;
            double mx = z[0], se = 0, ts = 0;
            for (int j = 1; j < k; j++)
                mx = z[j] > mx ? z[j] : mx;
            for (int j = 0; j < k; j++)
                se += exp(z[j] - mx);
            double lse = mx + log(se);
            for (int j = 0; j < k; j++) {
                s -= t[j] * (z[j] - lse);
                ts += t[j];
            }
            if (d)
                for (int j = 0; j < k; j++)
                    d[(size_t)i * k + j] = (ts * exp(z[j] - lse) - t[j]) / n;
        }
        return s / n;
    }
    for (size_t i = 0; i < m; i++) {
        double e = yhat[i] - y[i];
        switch (kind) {
        case NN_MSE:
            s += e * e;
            if (d)
                d[i] = 2 * e / (double)m;
            break;
        case NN_MAE:
            s += fabs(e);
            if (d)
                d[i] = (e > 0 ? 1.0 : e < 0 ? -1.0 : 0.0) / (double)m;
            break;
        default: { /* bce on logits */
            double z = yhat[i];
            s += (z > 0 ? z : 0) - z * y[i] + log1p(exp(-fabs(z)));
            if (d) {
                double sg = z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z));
                d[i] = (sg - y[i]) / (double)m;
            }
            break;
        }
        }
    }
    return s / (double)m;
}

void
nn_optim_default(struct nn_optim *o, enum nn_opt kind)
{
    o->kind = kind;
    o->lr = kind == NN_ADAM ? 0.001 : 0.01;
    o->momentum = 0.9;
    o->beta1 = 0.9;
    o->beta2 = 0.999;
    o->eps = 1e-8;
}

void
nn_optim_reset(struct nn_net *net)
{
    memset(net->m, 0, 2 * net->np * sizeof(double));
    net->step = 0;
}

/* Adam's update split over the net's pool: each part a slice of the parameters. */
struct adam_job {
    struct nn_net *net;
    const struct nn_adam_step *a;
};

static void
adam_part(void *arg, int k0, int k1)
{
    struct adam_job *j = arg;
    struct nn_net *net = j->net;
    size_t i0 = (size_t)k0 * 1024, i1 = (size_t)k1 * 1024;
    if (i1 > net->np)
        i1 = net->np;
    if (i1 > i0)
        nn_adam_slice(j->a, i0, net->g + i0, i1 - i0);
}

/* The next step's count and Adam's coefficients for it. */
static void
adam_begin(struct nn_net *net, const struct nn_optim *o, struct nn_adam_step *a)
{
    net->step++;
    double t = (double)net->step;
    a->p = net->p;
    a->m = net->m;
    a->v = net->v;
    a->b1 = o->beta1;
    a->b2 = o->beta2;
    a->step = o->lr / (1 - pow(o->beta1, t));
    a->rb2 = 1 / sqrt(1 - pow(o->beta2, t));
    a->eps = o->eps;
}

/* Adam's update of the layers that did not update themselves (l->adam_done, cleared). */
static void
adam_rest(struct nn_net *net, const struct nn_adam_step *a)
{
    for (int i = 0; i < net->nl; i++) {
        struct nn_layer *l = &net->L[i];
        if (!l->adam_done && l->np)
            nn_adam_slice(a, l->poff, net->g + l->poff, l->np);
        l->adam_done = 0;
        l->adam = NULL;
    }
}

/* Whether a layer of net updates itself in its backward pass (struct nn_adam_step). */
static int
adam_fuses(const struct nn_net *net)
{
    for (int i = 0; i < net->nl; i++)
        if (net->L[i].kind == NN_CONV1D && net->L[i].f32 && nn_wino_fits(&net->L[i]))
            return 1;
    return 0;
}

/* The Winograd layers' transforms are not of p from here on (nn_fit's end). */
static void
adam_unfuse(struct nn_net *net)
{
    for (int i = 0; i < net->nl; i++) {
        net->L[i].adam = NULL;
        net->L[i].adam_done = 0;
        net->L[i].u_batch = 0;
    }
}

void
nn_optim_step(struct nn_net *net, const struct nn_optim *o)
{
    size_t np = net->np;
    double *p = net->p, *m = net->m;
    const double *g = net->g;
    if (o->kind == NN_SGD) {
        net->step++;
        double mu = o->momentum, lr = o->lr;
        for (size_t i = 0; i < np; i++) {
            m[i] = mu * m[i] + g[i];
            p[i] -= lr * m[i];
        }
        return;
    }
    struct nn_adam_step a;
    adam_begin(net, o, &a);
    if (net->pool && np >= 16384) { /* in blocks of 1024 (each value alone: the same bits) */
        struct adam_job j = { net, &a };
        nn_par_run(net->pool, net->threads, (int)((np + 1023) / 1024), adam_part, &j);
        return;
    }
    nn_adam_slice(&a, 0, g, np);
}

int
nn_early_init(struct nn_early *es, const struct nn_net *net, int patience, struct qerr *err)
{
    memset(es, 0, sizeof *es);
    es->patience = patience;
    es->np = net->np;
    es->best = INFINITY;
    es->bestp = mem_alloc(net->np ? net->np : 1, sizeof(double), "nn", "best weights", err);
    return es->bestp ? 0 : -1;
}

int
nn_early_update(struct nn_early *es, const struct nn_net *net, double val, int epoch)
{
    if (val < es->best) {
        es->best = val;
        es->best_epoch = epoch;
        es->wait = 0;
        memcpy(es->bestp, net->p, es->np * sizeof(double));
        return 0;
    }
    es->wait++;
    return es->patience > 0 && es->wait >= es->patience;
}

void
nn_early_restore(const struct nn_early *es, struct nn_net *net)
{
    if (es->best_epoch > 0)
        memcpy(net->p, es->bestp, es->np * sizeof(double));
}

void
nn_early_free(struct nn_early *es)
{
    free(es->bestp);
    es->bestp = NULL;
}

/* Mean loss over n examples, dropout off, batch by batch (no gradients). */
static double
eval_loss(struct nn_net *net, const double *x, const double *y, int n, enum nn_loss kind)
{
    size_t in = (size_t)net->in_t * net->in_f, out = (size_t)nn_out_size(net);
    double s = 0;
    for (int i = 0; i < n; i += net->max_batch) {
        int b = n - i < net->max_batch ? n - i : net->max_batch;
        const double *yh = nn_forward(net, x + (size_t)i * in, b, 0);
        s += nn_loss(kind, yh, y + (size_t)i * out, b, (int)out, NULL) * b;
    }
    return s / n;
}

static int
diverged(struct qerr *err, int epoch, int nan, double from, double to)
{
    if (nan)
        qerr_set(err, QE_NUMERIC, "loss became NaN at epoch %d; try a lower lr", epoch);
    else
        qerr_set(err, QE_NUMERIC, "loss diverged at epoch %d (from %.4g to %.4g); try a lower lr",
                 epoch, from, to);
    return -1;
}

int
nn_fit(struct nn_net *net, const double *x, const double *y, int n,
       const struct nn_fit_opts *o, double *train, double *val, int *ran, struct tick *t,
       struct qerr *err)
{
    size_t in = (size_t)net->in_t * net->in_f, out = (size_t)nn_out_size(net);
    struct nn_early es = { 0 };
    int rc = -1, B = o->batch;
    *ran = 0;
    if (n < 1 || B < 1 || B > net->max_batch || o->epochs < 1)
        return qerr_set(err, QE_ARG, "training needs examples, epochs and a batch of 1 to %d",
                        net->max_batch);
    if (o->patience > 0 && (!o->xval || o->nval < 1))
        return qerr_set(err, QE_ARG, "early stopping (patience) needs validation data");
    size_t *idx = mem_alloc((size_t)n, sizeof *idx, "nn", "example order", err);
    double *xb = mem_alloc(mem_mul((size_t)B, in + 2 * out), sizeof(double), "nn", "batches",
                           err);
    if (!idx || !xb || (o->patience > 0 && nn_early_init(&es, net, o->patience, err) < 0))
        goto out;
    double *yb = xb + (size_t)B * in, *dy = yb + (size_t)B * out;
    struct rng r;
    rng_init(&r, o->seed);
    for (int i = 0; i < n; i++)
        idx[i] = (size_t)i;
    double first = NAN;
    int fuse = o->opt.kind == NN_ADAM && adam_fuses(net);
    net->skip_dx = 1; /* the steps need no gradient by the input */
    for (int e = 1; e <= o->epochs; e++) {
        for (int i = n - 1; i > 0; i--) { /* Fisher-Yates */
            size_t j = (size_t)rng_below(&r, (uint64_t)i + 1), s = idx[i];
            idx[i] = idx[j];
            idx[j] = s;
        }
        double sum = 0;
        for (int i = 0; i < n; i += B) {
            if (t && tick(t, ((e - 1) + (double)i / n) / o->epochs)) {
                tick_fail(err);
                goto out;
            }
            int b = n - i < B ? n - i : B;
            for (int k = 0; k < b; k++) {
                memcpy(xb + (size_t)k * in, x + idx[i + k] * in, in * sizeof(double));
                memcpy(yb + (size_t)k * out, y + idx[i + k] * out, out * sizeof(double));
            }
            const double *yh = nn_forward(net, xb, b, 1);
            double l = nn_loss(o->loss, yh, yb, b, (int)out, dy);
            if (!isfinite(l)) {
                diverged(err, e, 1, 0, 0);
                goto out;
            }
            if (isnan(first))
                first = l;
            if (fuse) { /* the Winograd layers update themselves in the backward pass */
                struct nn_adam_step a;
                adam_begin(net, &o->opt, &a);
                for (int k = 0; k < net->nl; k++)
                    if (net->L[k].f32 && nn_wino_fits(&net->L[k]))
                        net->L[k].adam = &a;
                nn_backward(net, xb, dy);
                adam_rest(net, &a);
            } else {
                nn_backward(net, xb, dy);
                nn_optim_step(net, &o->opt);
            }
            sum += l * b;
        }
        double tl = sum / n;
        if (train)
            train[e - 1] = tl;
        *ran = e;
        if (tl > 1e4 * first + 1e-300) {
            diverged(err, e, 0, first, tl);
            goto out;
        }
        double vl = NAN;
        if (o->xval && o->nval > 0) {
            vl = eval_loss(net, o->xval, o->yval, o->nval, o->loss);
            if (!isfinite(vl)) {
                diverged(err, e, 1, 0, 0);
                goto out;
            }
        }
        if (val)
            val[e - 1] = vl;
        if (o->note && isnan(vl))
            tick_note(t, "epoch %d/%d, loss %.4g", e, o->epochs, tl);
        else if (o->note)
            tick_note(t, "epoch %d/%d, loss %.4g, validation %.4g", e, o->epochs, tl, vl);
        if (o->patience > 0 && nn_early_update(&es, net, vl, e))
            break;
    }
    if (o->patience > 0)
        nn_early_restore(&es, net);
    rc = 0;
out:
    net->skip_dx = 0;
    adam_unfuse(net);
    free(idx);
    free(xb);
    nn_early_free(&es);
    return rc;
}

int
nn_predict(struct nn_net *net, const double *x, int n, double *y, struct tick *t,
           struct qerr *err)
{
    size_t in = (size_t)net->in_t * net->in_f, out = (size_t)nn_out_size(net);
    for (int i = 0; i < n; i += net->max_batch) {
        if (t && tick(t, (double)i / n))
            return tick_fail(err);
        int b = n - i < net->max_batch ? n - i : net->max_batch;
        const double *yh = nn_forward(net, x + (size_t)i * in, b, 0);
        for (size_t k = 0; k < (size_t)b * out; k++)
            if (!isfinite(yh[k])) {
                memset(y, 0, (size_t)n * out * sizeof(double));
                return qerr_set(err, QE_NUMERIC,
                                "the network's output is not finite; retrain with a lower lr");
            }
        memcpy(y + (size_t)i * out, yh, (size_t)b * out * sizeof(double));
    }
    return 0;
}
