/*
 * fc_nn_pred.c: the neural forecasters' recursive prediction, intervals,
 * stored state and description (fc_nn.h).
 */
#include "forecast/fc_nn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "nn/nn.h"
#include "nn/nn_train.h"

#include "base/banned.h"

static int
cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/*
 * P paths of h steps from the stored tail through net (b = P windows at
 * once; training 1: dropout on) into paths[P][h] (standardised); x: the
 * h periods' regressors (raw), NULL without.
 */
static int
run_paths(const struct fc_nnfit *f, struct nn_net *net, int P, int training, int h,
          const double *x, double *paths, double *win)
{
    int L = f->lags, rel = f->o.relative, kx = f->kx;
    size_t in = fc_nn_insize(f);
    double *inp = win + (size_t)P * L; /* the network's input */
    double *xw = inp + (size_t)P * in; /* the regressors of the window's next periods */
    for (int p = 0; p < P; p++)
        memcpy(win + (size_t)p * L, f->tail, (size_t)L * sizeof(double));
    if (kx) /* the fitted periods' after the first, then each step's own (below) */
        memcpy(xw, f->xtail + kx, (size_t)(L - 1) * (size_t)kx * sizeof(double));
    for (int k = 0; k < h; k++) {
        for (int c = 0; c < kx; c++)
            xw[(size_t)(L - 1) * kx + c] = (x[(size_t)k * kx + c] - f->xmu[c]) / f->xsd[c];
        for (int p = 0; p < P; p++)
            fc_nn_input(f, win + (size_t)p * L, kx ? xw : NULL, inp + (size_t)p * in);
        const double *out = nn_forward(net, inp, P, training);
        for (int p = 0; p < P; p++) {
            double v = out[p] + (rel ? win[(size_t)p * L + L - 1] : 0);
            if (!isfinite(v))
                return -1;
            paths[(size_t)p * h + k] = v;
            double *w = win + (size_t)p * L;
            memmove(w, w + 1, (size_t)(L - 1) * sizeof(double));
            w[L - 1] = v;
        }
        if (kx)
            memmove(xw, xw + kx, (size_t)(L - 1) * (size_t)kx * sizeof(double));
    }
    return 0;
}

int
fc_nn_predict(const void *model, int h, double level, double *mean, double *lower,
              double *upper, struct qerr *err)
{
    const struct fc_nnfit *f = model;
    if (f->kx)
        return qerr_set(err, QE_ARG, "this %s network has %d regressor%s: its forecasts need "
                        "their future values (forecast TABLE ... exog= with rows for the "
                        "periods ahead)", f->me->name, f->kx, f->kx == 1 ? "" : "s");
    return fc_nn_predict_x(model, h, NULL, level, mean, lower, upper, err);
}

int
fc_nn_predict_x(const void *model, int h, const double *x, double level, double *mean,
                double *lower, double *upper, struct qerr *err)
{
    const struct fc_nnfit *f = model;
    const struct fc_nn_opts *o = &f->o;
    if (h < 1)
        return 0;
    if (f->kx && !x)
        return qerr_set(err, QE_INTERNAL, "the regressors' future values are missing");
    int mc = o->intervals == FC_IV_MCDROPOUT, P = mc ? o->members : f->nets;
    if (mc && P > f->net[0].max_batch)
        P = f->net[0].max_batch;
    double *paths = mem_alloc(mem_mul((size_t)P + 1, (size_t)h), sizeof(double), "forecast",
                              "the paths", err);
    double *win = mem_alloc(mem_mul((size_t)P, (size_t)f->lags + fc_nn_insize(f)) +
                                (size_t)f->lags * (size_t)f->kx + 1,
                            sizeof(double), "forecast", "the windows", err);
    double *q = mem_alloc((size_t)f->nres + 1, sizeof(double), "forecast", "errors", err);
    int rc = -1, bad = 0;
    if (!paths || !win || !q)
        goto out;
    if (mc) {
        /* the dropout masks from the seed: the same intervals each time */
        rng_init(&f->net[0].rng, o->seed * 2654435761ULL + 17);
        bad = run_paths(f, &f->net[0], P, 1, h, x, paths, win) < 0;
        /* the mean path: dropout off */
        bad = bad || run_paths(f, &f->net[0], 1, 0, h, x, paths + (size_t)P * h, win) < 0;
    } else {
        for (int m = 0; m < P && !bad; m++)
            bad = run_paths(f, &f->net[m], 1, 0, h, x, paths + (size_t)m * h, win) < 0;
    }
    if (bad) {
        qerr_set(err, QE_NUMERIC, "the network's prediction is not finite; refit with a lower "
                 "lr");
        goto out;
    }
    double z = fc_norm_ppf(0.5 + level / 2), cq = NAN;
    if (o->intervals == FC_IV_CONFORMAL && f->nres > 0) {
        for (int i = 0; i < f->nres; i++)
            q[i] = fabs(f->resid[i]);
        qsort(q, (size_t)f->nres, sizeof(double), cmp_dbl);
        int k = (int)ceil((f->nres + 1) * level);
        cq = q[(k > f->nres ? f->nres : k) - 1];
    }
    double noise = isfinite(f->mse) ? f->mse : 0;
    for (int k = 0; k < h; k++) {
        double s = 0, s2 = 0;
        for (int p = 0; p < P; p++)
            s += paths[(size_t)p * h + k];
        double m = mc ? paths[(size_t)P * h + k] : s / P;
        for (int p = 0; p < P; p++) {
            double d = paths[(size_t)p * h + k] - s / P;
            s2 += d * d;
        }
        double half = NAN;
        if (o->intervals == FC_IV_CONFORMAL)
            half = cq;
        else if (o->intervals != FC_IV_NONE)
            half = z * sqrt((P > 1 ? s2 / (P - 1) : 0) + noise);
        mean[k] = f->mu + f->sd * m;
        if (lower)
            lower[k] = isfinite(half) ? mean[k] - f->sd * half : NAN;
        if (upper)
            upper[k] = isfinite(half) ? mean[k] + f->sd * half : NAN;
    }
    rc = 0;
out:
    free(paths);
    free(win);
    free(q);
    return rc;
}

/* The options that shape the networks and their use, in a fixed order. */
static void
put_opts(struct buf *b, const struct fc_nnfit *f)
{
    const struct fc_nn_opts *o = &f->o;
    const int64_t iv[] = {o->lags, o->layers, o->hidden, o->filters, o->kernel, o->epochs,
                          o->batch, o->sgd, o->patience, o->wave, o->intervals, o->members,
                          (int64_t)o->seed, o->relative, f->ng, f->gi};
    for (size_t i = 0; i < sizeof iv / sizeof iv[0]; i++)
        store_add_i64(b, iv[i]);
    store_add_f64(b, o->lr);
    store_add_f64(b, o->dropout);
    store_add_f64(b, o->val);
}

int
fc_nn_save(const void *model, struct buf *b, struct qerr *err)
{
    (void)err;
    const struct fc_nnfit *f = model;
    store_add_str(b, f->me->name);
    put_opts(b, f);
    /* version 2: the regressors' transforms and last periods */
    store_add_i64(b, f->kx);
    if (f->kx) {
        store_add_f64s(b, f->xmu, 2 * (size_t)f->kx);
        store_add_f64s(b, f->xtail, (size_t)f->lags * (size_t)f->kx);
    }
    store_add_i64(b, f->n);
    store_add_f64(b, f->mu);
    store_add_f64(b, f->sd);
    store_add_f64s(b, f->tail, (size_t)f->lags);
    store_add_i64(b, f->nres);
    store_add_f64s(b, f->resid, (size_t)f->nres);
    store_add_f64(b, f->mse);
    store_add_i64(b, f->info.epochs);
    store_add_i64(b, f->info.best_epoch);
    store_add_i64(b, f->nets);
    for (int m = 0; m < f->nets; m++) {
        store_add_i64(b, (int64_t)f->net[m].np);
        store_add_f64s(b, f->net[m].p, f->net[m].np);
    }
    return 0;
}

/* The regressors' part of a version 2 state (a version 1 one has none). */
static int
read_x(struct store_reader *r, struct fc_nnfit *f, struct qerr *err)
{
    int64_t kx = 0;
    if (r->version < 2)
        return 0;
    if (store_read_count(r, 16, 64, &kx, err) < 0)
        return -1;
    f->kx = (int)kx;
    if (!kx)
        return 0;
    f->xmu = mem_alloc(2 * (size_t)kx, sizeof(double), "forecast", "a network", err);
    f->xtail = mem_alloc((size_t)f->lags, (size_t)kx * sizeof(double), "forecast",
                         "a network", err);
    if (!f->xmu || !f->xtail || store_read_f64s(r, f->xmu, 2 * (size_t)kx, err) < 0 ||
        store_read_f64s(r, f->xtail, (size_t)f->lags * (size_t)kx, err) < 0)
        return -1;
    f->xsd = f->xmu + kx;
    return 0;
}

int
fc_nn_load_as(const struct fc_method *me, struct store_reader *r, void **model,
              struct qerr *err)
{
    char *name = NULL;
    *model = NULL;
    if (store_read_str(r, &name, err) < 0)
        return -1;
    int same = strcmp(name, me->name) == 0;
    free(name);
    if (!same)
        return store_read_fail(r, err, "it is not a %s forecaster", me->name);
    struct fc_nnfit *f = mem_calloc(1, sizeof *f, "forecast", "a network", err);
    if (!f)
        return -1;
    f->me = me;
    struct fc_nn_opts *o = &f->o;
    int64_t iv[16], n, nres, ep, best, nets;
    for (int i = 0; i < 16; i++)
        store_read_i64(r, &iv[i], err);
    store_read_f64(r, &o->lr, err);
    store_read_f64(r, &o->dropout, err);
    if (store_read_f64(r, &o->val, err) < 0)
        goto fail;
    o->lags = (int)iv[0];
    o->layers = (int)iv[1];
    o->hidden = (int)iv[2];
    o->filters = (int)iv[3];
    o->kernel = (int)iv[4];
    o->epochs = (int)iv[5];
    o->batch = (int)iv[6];
    o->sgd = (int)iv[7];
    o->patience = (int)iv[8];
    o->wave = (int)iv[9];
    o->intervals = (enum fc_interval)iv[10];
    o->members = (int)iv[11];
    o->seed = (unsigned long long)iv[12];
    o->relative = iv[13] != 0;
    f->ng = (int)iv[14];
    f->gi = (int)iv[15];
    f->owns = 1;
    if (iv[0] < 1 || iv[0] > 100000 || iv[1] < 1 || iv[1] > 16 || iv[2] < 1 || iv[2] > 100000 ||
        iv[3] < 1 || iv[3] > 100000 || iv[4] < 1 || iv[4] > 1000 || iv[6] < 1 ||
        iv[6] > 1000000 || iv[10] < 0 || iv[10] > FC_IV_MCDROPOUT || iv[11] < 1 ||
        iv[11] > 10000 || iv[14] < 0 || iv[14] > 100000 || iv[15] < 0 ||
        (iv[14] > 0 && iv[15] >= iv[14])) {
        store_read_fail(r, err, "its network options are out of range");
        goto fail;
    }
    f->lags = o->lags;
    if (read_x(r, f, err) < 0)
        goto fail;
    f->tail = mem_alloc((size_t)f->lags, sizeof(double), "forecast", "a network", err);
    if (!f->tail || store_read_i64(r, &n, err) < 0 || store_read_f64(r, &f->mu, err) < 0 ||
        store_read_f64(r, &f->sd, err) < 0 ||
        store_read_f64s(r, f->tail, (size_t)f->lags, err) < 0 ||
        store_read_count(r, 8, 100000000, &nres, err) < 0)
        goto fail;
    f->n = n;
    f->nres = (int)nres;
    f->resid = mem_alloc((size_t)nres + 1, sizeof(double), "forecast", "a network", err);
    if (!f->resid || store_read_f64s(r, f->resid, (size_t)nres, err) < 0 ||
        store_read_f64(r, &f->mse, err) < 0 || store_read_i64(r, &ep, err) < 0 ||
        store_read_i64(r, &best, err) < 0 || store_read_count(r, 8, 10000, &nets, err) < 0)
        goto fail;
    f->info.epochs = (int)ep;
    f->info.best_epoch = (int)best;
    f->net = mem_calloc((size_t)nets + 1, sizeof(struct nn_net), "forecast", "networks", err);
    if (!f->net || nets < 1) {
        if (f->net)
            store_read_fail(r, err, "it holds no network");
        goto fail;
    }
    int maxb = o->batch > o->members ? o->batch : o->members;
    for (int m = 0; m < nets; m++) {
        int64_t np;
        if (fc_nn_build(f, &f->net[m], maxb, o->seed + (unsigned long long)m, err) < 0)
            goto fail;
        f->nets = m + 1;
        if (store_read_i64(r, &np, err) < 0)
            goto fail;
        if (np != (int64_t)f->net[m].np) {
            store_read_fail(r, err, "network %d has %lld weights, its options make %zu", m + 1,
                            (long long)np, f->net[m].np);
            goto fail;
        }
        if (store_read_f64s(r, f->net[m].p, f->net[m].np, err) < 0)
            goto fail;
    }
    *model = f;
    return 0;
fail:
    fc_nn_release(f);
    return -1;
}

void
fc_nn_describe(const void *model, struct buf *out)
{
    const struct fc_nnfit *f = model;
    const struct fc_nn_opts *o = &f->o;
    buf_addf(out, "lags=%d", f->lags);
    if (strcmp(f->me->name, "cnn") == 0)
        buf_addf(out, " layers=%d filters=%d kernel=%d", o->layers, o->filters, o->kernel);
    else if (strcmp(f->me->name, "wavelet") == 0)
        buf_addf(out, " hidden=%d wave=%s", o->hidden, o->wave == NN_MORLET ? "morlet" : "mexhat");
    else
        buf_addf(out, " layers=%d hidden=%d", o->layers, o->hidden);
    if (o->dropout > 0)
        buf_addf(out, " dropout=%g", o->dropout);
    if (f->kx)
        buf_addf(out, " with %d regressor%s", f->kx, f->kx == 1 ? "" : "s");
    buf_addf(out, ", %d epoch%s", f->info.epochs, f->info.epochs == 1 ? "" : "s");
    if (f->info.best_epoch > 0)
        buf_addf(out, " (weights of epoch %d)", f->info.best_epoch);
    if (f->nets > 1)
        buf_addf(out, ", %d members", f->nets);
}
