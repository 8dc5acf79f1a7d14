/*
 * fc_nn.c: the neural forecasters' options, networks and training
 * (fc_nn.h); prediction, intervals and the stored state are fc_nn_pred.c.
 */
#include "forecast/fc_nn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "nn/nn.h"
#include "nn/nn_train.h"

#include "base/banned.h"

void
fc_nn_opts_default(struct fc_nn_opts *o)
{
    memset(o, 0, sizeof *o);
    o->lags = 12;
    o->filters = 128;
    o->kernel = 3;
    o->epochs = 200;
    o->batch = 32;
    o->lr = 0.001;
    o->patience = 20;
    o->val = 0.2;
    o->seed = 1;
    o->wave = NN_MEXHAT;
    o->intervals = FC_IV_CONFORMAL;
    o->members = 10;
    o->relative = 0;
}

int
fc_nn_is(const struct fc_method *me)
{
    return me == &fc_mlp || me == &fc_cnn || me == &fc_rnn || me == &fc_lstm ||
           me == &fc_gru || me == &fc_wavelet;
}

/* The method's defaults for layers and hidden where the options say 0. */
static void
fill_defaults(const struct fc_method *me, struct fc_nn_opts *o)
{
    if (o->layers < 1)
        o->layers = me == &fc_cnn ? 5 : me == &fc_mlp ? 2 : 1;
    if (me == &fc_wavelet)
        o->layers = 1;
    if (o->hidden < 1)
        o->hidden = me == &fc_wavelet ? 16 : 32;
    if (o->intervals == FC_IV_MCDROPOUT && !(o->dropout > 0))
        o->dropout = 0.1;
    if (o->members < 1)
        o->members = 1;
}

/* A tick inside a tick: fraction f of one epoch is base + span f of the whole. */
struct subtick {
    struct tick *outer;
    double base, span;
};

static int
sub_progress(void *p, double f)
{
    struct subtick *s = p;
    return tick_now(s->outer, s->base + s->span * (f < 0 ? 0 : f));
}

/* Everything one member's training needs. */
struct job {
    struct fc_nnfit *f;
    const double *x, *y; /* windows and targets: ntr training then nval validation */
    int ntr, nval;
    int member;
    struct tick *t;
};

/*
 * Train member j->member for up to epochs epochs, one nn_fit epoch at a
 * time (so the curve, early stopping and Ctrl-C are ours). The first
 * member records the curve. 1 when Ctrl-C ended it with weights kept, 0
 * when it ran, -1 with err set.
 */
static int
train_member(const struct job *j, struct nn_net *net, struct qerr *err)
{
    struct fc_nnfit *f = j->f;
    const struct fc_nn_opts *o = &f->o;
    size_t in = fc_nn_insize(f);
    int first_member = j->member == 0, rc = -1, stopped = 0;
    struct nn_fit_opts fo;
    memset(&fo, 0, sizeof fo);
    fo.epochs = 1;
    fo.batch = o->batch < j->ntr ? o->batch : j->ntr;
    fo.loss = NN_MSE;
    nn_optim_default(&fo.opt, o->sgd ? NN_SGD : NN_ADAM);
    fo.opt.lr = o->lr;
    if (j->nval > 0) {
        fo.xval = j->x + (size_t)j->ntr * in;
        fo.yval = j->y + j->ntr;
        fo.nval = j->nval;
    }
    struct nn_early es;
    int pat = j->nval > 0 ? o->patience : 0;
    if (nn_early_init(&es, net, pat, err) < 0)
        return -1;
    double first = NAN;
    int e;
    for (e = 1; e <= o->epochs; e++) {
        struct subtick st = {j->t, ((double)j->member * o->epochs + e - 1) /
                                       ((double)f->nets * o->epochs),
                             1.0 / ((double)f->nets * o->epochs)};
        struct tick sub;
        tick_init(&sub, sub_progress, &st);
        fo.seed = o->seed * 1000003ULL + (unsigned long long)j->member * 7919ULL + (unsigned)e;
        double tl = NAN, vl = NAN;
        int ran = 0;
        if (nn_fit(net, j->x, j->y, j->ntr, &fo, &tl, &vl, &ran, j->t ? &sub : NULL, err) < 0) {
            if (err->code == QE_INTERRUPT && es.best_epoch > 0) {
                qerr_clear(err);
                stopped = 1;
                break;
            }
            if (err->code == QE_INTERRUPT) {
                qerr_clear(err);
                qerr_set(err, QE_INTERRUPT, "interrupted before the first epoch of training "
                         "ended: no weights to keep");
            } else if (err->code == QE_NUMERIC) {
                qerr_clear(err);
                qerr_set(err, QE_NUMERIC, "loss became NaN at epoch %d; try a lower lr "
                         "(lr=%g now)", e, o->lr);
            }
            goto out;
        }
        if (isnan(first))
            first = tl;
        if (!(tl <= 1e4 * first + 1e-300) || !isfinite(tl)) {
            qerr_set(err, QE_NUMERIC, "loss diverged at epoch %d (from %.4g to %.4g); try a "
                     "lower lr (lr=%g now)", e, first, tl, o->lr);
            goto out;
        }
        if (f->nets > 1)
            tick_note(j->t, "member %d/%d, epoch %d/%d, loss %.4g", j->member + 1, f->nets, e,
                      o->epochs, tl);
        else if (j->nval > 0)
            tick_note(j->t, "epoch %d/%d, loss %.4g, validation %.4g", e, o->epochs, tl, vl);
        else
            tick_note(j->t, "epoch %d/%d, loss %.4g", e, o->epochs, tl);
        if (first_member) {
            f->curve[e - 1] = tl;
            f->curve[o->epochs + e - 1] = vl;
            f->info.epochs = e;
        }
        if (nn_early_update(&es, net, j->nval > 0 ? vl : tl, e) && pat > 0) {
            if (first_member)
                f->info.early = 1;
            break;
        }
    }
    /* keep the best weights: with early stopping, and after Ctrl-C */
    if (pat > 0 || stopped) {
        nn_early_restore(&es, net);
        if (first_member)
            f->info.best_epoch = es.best_epoch;
    }
    if (first_member)
        f->info.stopped = stopped;
    rc = stopped;
out:
    nn_early_free(&es);
    return rc;
}

/* Validation one-step errors of the nets' mean (dropout off) into f->resid. */
static int
val_errors(struct fc_nnfit *f, const double *x, const double *y, int nval, struct qerr *err)
{
    f->nres = nval;
    f->mse = NAN;
    if (nval < 1)
        return 0;
    f->resid = mem_calloc((size_t)nval, sizeof(double), "forecast", "validation errors", err);
    double *p = mem_alloc((size_t)nval, sizeof(double), "forecast", "validation errors", err);
    if (!f->resid || !p) {
        free(p);
        return -1;
    }
    for (int m = 0; m < f->nets; m++) {
        if (nn_predict(&f->net[m], x, nval, p, NULL, err) < 0) {
            free(p);
            return -1;
        }
        for (int i = 0; i < nval; i++)
            f->resid[i] += p[i] / f->nets;
    }
    double s = 0;
    for (int i = 0; i < nval; i++) {
        f->resid[i] = y[i] - f->resid[i];
        s += f->resid[i] * f->resid[i];
    }
    f->mse = s / nval;
    free(p);
    return 0;
}

/*
 * The regressors' transform of model f from x (n periods x kx, row-major:
 * mean and sd per column, sd 1 when constant) and its last lags periods
 * standardised into f->xtail.
 */
static int
x_transform(struct fc_nnfit *f, const double *x, int kx, long long n, struct qerr *err)
{
    int L = f->lags;
    f->kx = kx;
    f->xmu = mem_alloc(2 * (size_t)kx, sizeof(double), "forecast", "the regressors", err);
    f->xtail = mem_alloc((size_t)L, (size_t)kx * sizeof(double), "forecast", "the regressors",
                         err);
    if (!f->xmu || !f->xtail)
        return -1;
    f->xsd = f->xmu + kx;
    for (int c = 0; c < kx; c++) {
        double mu = 0, ss = 0;
        for (long long t = 0; t < n; t++)
            mu += x[t * kx + c];
        mu /= (double)n;
        for (long long t = 0; t < n; t++)
            ss += (x[t * kx + c] - mu) * (x[t * kx + c] - mu);
        f->xmu[c] = mu;
        f->xsd[c] = ss > 0 ? sqrt(ss / (double)n) : 1;
    }
    for (int j = 0; j < L * kx; j++)
        f->xtail[j] = (x[(size_t)(n - L) * kx + j] - f->xmu[j % kx]) / f->xsd[j % kx];
    return 0;
}

/* The windows of one series: its split into training and validation. */
struct split {
    int nw, nval, ntr;
    size_t off_tr, off_val; /* where its windows go among all training / validation ones */
};

/*
 * Fit k series ys[i][0..ns[i]) into models[0..k): one network per series
 * (k = 1, global 0) or one across all (global 1: the series' one-hot
 * code joins the input; models[0] owns the networks and the curve).
 */
static int
fit_core(const struct fc_method *me, const double *const *ys, const long long *ns, int k,
         int global, const struct fc_opts *op, struct tick *t, void **models, struct qerr *err)
{
    struct fc_nn_opts o;
    if (op->nn)
        o = *op->nn;
    else
        fc_nn_opts_default(&o);
    fill_defaults(me, &o);
    int L = o.lags, rc = -1;
    for (int i = 0; i < k; i++)
        models[i] = NULL;
    int kx = op->x ? op->kx : 0;
    if (kx > 0 && global)
        return qerr_set(err, QE_ARG, "a global network (global=yes) takes no regressors "
                        "(exog=): fit one network per series");
    struct split *sp = mem_calloc((size_t)k, sizeof *sp, "forecast", "the series", err);
    if (!sp)
        return -1;
    size_t NTR = 0, NVAL = 0;
    for (int i = 0; i < k; i++) {
        long long n = ns[i];
        if (L < 1 || n < (long long)L + 2) {
            qerr_set(err, QE_DATA, "%lld values to fit: too few for lags=%d (a network needs "
                     "lags + 2 values%s)", n, L, n >= 3 ? "; try a smaller lags" : "");
            goto out;
        }
        if (n - L > 100000000) {
            qerr_set(err, QE_ARG, "%lld windows: more than a network trains on here", n - L);
            goto out;
        }
        struct split *s = &sp[i];
        s->nw = (int)(n - L);
        s->nval = s->nw >= 2 ? (int)floor(o.val * s->nw + 0.5) : 0;
        if (s->nw >= 2 && s->nval < 1 && o.val > 0)
            s->nval = 1;
        if (s->nval > s->nw - 1)
            s->nval = s->nw - 1;
        s->ntr = s->nw - s->nval;
        s->off_tr = NTR;
        s->off_val = NVAL;
        NTR += (size_t)s->ntr;
        NVAL += (size_t)s->nval;
    }
    if (NTR + NVAL > 100000000) {
        qerr_set(err, QE_ARG, "%zu windows: more than a network trains on here", NTR + NVAL);
        goto out;
    }
    for (int i = 0; i < k; i++) {
        struct fc_nnfit *f = mem_calloc(1, sizeof *f, "forecast", "a network", err);
        if (!f)
            goto out;
        models[i] = f;
        f->me = me;
        f->o = o;
        f->lags = L;
        f->n = ns[i];
        f->ng = global ? k : 0;
        f->gi = global ? i : 0;
        f->owns = i == 0;
        double mu = 0, ss = 0;
        for (long long j = 0; j < ns[i]; j++)
            mu += ys[i][j];
        mu /= (double)ns[i];
        for (long long j = 0; j < ns[i]; j++)
            ss += (ys[i][j] - mu) * (ys[i][j] - mu);
        f->mu = mu;
        f->sd = ss > 0 ? sqrt(ss / (double)ns[i]) : 1;
        f->tail = mem_alloc((size_t)L, sizeof(double), "forecast", "a network", err);
        if (!f->tail)
            goto out;
        for (int j = 0; j < L; j++)
            f->tail[j] = (ys[i][ns[i] - L + j] - mu) / f->sd;
        if (kx > 0 && x_transform(f, op->x, kx, ns[i], err) < 0)
            goto out;
    }
    struct fc_nnfit *f0 = models[0];
    size_t in = fc_nn_insize(f0), N = NTR + NVAL;
    double *x = mem_alloc(mem_mul(N, in + 1) + (size_t)L * (1 + (size_t)kx), sizeof(double),
                          "forecast", "the training windows", err);
    f0->nets = o.intervals == FC_IV_ENSEMBLE ? o.members : 1;
    f0->net = mem_calloc((size_t)f0->nets, sizeof(struct nn_net), "forecast", "networks", err);
    f0->curve = mem_alloc(2 * (size_t)o.epochs, sizeof(double), "forecast", "the loss curve",
                          err);
    if (!x || !f0->net || !f0->curve) {
        free(x);
        goto out;
    }
    double *yt = x + N * in, *z = yt + N, *xz = z + L;
    for (int i = 0; i < k; i++) {
        const struct fc_nnfit *f = models[i];
        for (int w = 0; w < sp[i].nw; w++) {
            size_t at = w < sp[i].ntr ? sp[i].off_tr + (size_t)w
                                      : NTR + sp[i].off_val + (size_t)(w - sp[i].ntr);
            for (int j = 0; j < L; j++)
                z[j] = (ys[i][w + j] - f->mu) / f->sd;
            for (int j = 0; j < L * kx; j++) /* the period after each value's */
                xz[j] = (op->x[(size_t)(w + 1) * kx + j] - f->xmu[j % kx]) / f->xsd[j % kx];
            fc_nn_input(f, z, kx ? xz : NULL, x + at * in);
            yt[at] = (ys[i][w + L] - f->mu) / f->sd - (o.relative ? z[L - 1] : 0);
        }
    }
    f0->info.n_train = (int)NTR;
    f0->info.n_val = (int)NVAL;
    int maxb = o.batch < (int)NTR ? o.batch : (int)NTR;
    if (maxb < o.members)
        maxb = o.members;
    int built = 0;
    for (int m = 0; m < f0->nets; m++) {
        if (fc_nn_build(f0, &f0->net[m], maxb, o.seed + (unsigned long long)m, err) < 0)
            break;
        built = m + 1;
        struct job j = {f0, x, yt, (int)NTR, (int)NVAL, m, t};
        int st = train_member(&j, &f0->net[m], err);
        if (st < 0)
            break;
        if (st == 1) { /* Ctrl-C: the members trained so far are the model */
            f0->info.stopped = 1;
            break;
        }
    }
    for (int m = built; m < f0->nets; m++)
        nn_net_free(&f0->net[m]);
    f0->nets = built;
    f0->info.train = f0->curve;
    f0->info.val = f0->curve + o.epochs;
    for (int i = 0; i < k && err->code == QE_OK; i++) {
        struct fc_nnfit *f = models[i];
        if (i > 0) {
            f->net = f0->net;
            f->nets = f0->nets;
            f->info = f0->info;
            f->info.shared = 1;
        }
        if (val_errors(f, x + (NTR + sp[i].off_val) * in, yt + NTR + sp[i].off_val,
                       sp[i].nval, err) < 0)
            break;
        if (global) {
            f->info.n_train = sp[i].ntr;
            f->info.n_val = sp[i].nval;
        }
    }
    free(x);
    if (err->code == QE_OK)
        rc = 0;
out:
    free(sp);
    if (rc < 0)
        for (int i = k - 1; i >= 0; i--) { /* the owner last */
            fc_nn_release(models[i]);
            models[i] = NULL;
        }
    return rc;
}

static int
nn_fit_series(const struct fc_method *me, const double *y, long long n, const struct fc_opts *op,
              struct tick *t, void **model, struct qerr *err)
{
    return fit_core(me, &y, &n, 1, 0, op, t, model, err);
}

int
fc_nn_fit_global(const struct fc_method *me, const double *const *ys, const long long *ns,
                 int k, const struct fc_opts *o, struct tick *t, void **models,
                 struct qerr *err)
{
    if (k < 1)
        return qerr_set(err, QE_DATA, "no series to fit");
    return fit_core(me, ys, ns, k, 1, o, t, models, err);
}

void
fc_nn_info(const void *model, struct fc_nn_info *out)
{
    const struct fc_nnfit *f = model;
    *out = f->info;
}

#define NN_FIT(fn, m)                                                                          \
    static int fn(const double *y, long long n, const struct fc_opts *o, struct tick *t,       \
                  void **model, struct qerr *err)                                              \
    {                                                                                          \
        return nn_fit_series(&m, y, n, o, t, model, err);                                      \
    }                                                                                          \
    static int fn##_load(struct store_reader *r, void **model, struct qerr *err)               \
    {                                                                                          \
        return fc_nn_load_as(&m, r, model, err);                                               \
    }
NN_FIT(fit_mlp, fc_mlp)
NN_FIT(fit_cnn, fc_cnn)
NN_FIT(fit_rnn, fc_rnn)
NN_FIT(fit_lstm, fc_lstm)
NN_FIT(fit_gru, fc_gru)
NN_FIT(fit_wavelet, fc_wavelet)

static const struct store_kind kind_mlp = {"forecast_mlp", 0, 2, 1};
static const struct store_kind kind_cnn = {"forecast_cnn", 0, 2, 1};
static const struct store_kind kind_rnn = {"forecast_rnn", 0, 2, 1};
static const struct store_kind kind_lstm = {"forecast_lstm", 0, 2, 1};
static const struct store_kind kind_gru = {"forecast_gru", 0, 2, 1};
static const struct store_kind kind_wavelet = {"forecast_wavelet", 0, 2, 1};

#define NN_METHOD(v, n, k, w, fn)                                                              \
    const struct fc_method v = {.name = n, .kind = &k, .what = w, .fit = fn,                   \
                                .predict = fc_nn_predict, .predict_x = fc_nn_predict_x,        \
                                .save = fc_nn_save,                                            \
                                .load = fn##_load, .describe = fc_nn_describe,                 \
                                .release = fc_nn_release}
NN_METHOD(fc_mlp, "mlp", kind_mlp, "a multilayer perceptron over the last lags values",
          fit_mlp);
NN_METHOD(fc_cnn, "cnn", kind_cnn, "a 1-D convolutional network over the last lags values",
          fit_cnn);
NN_METHOD(fc_rnn, "rnn", kind_rnn, "a simple recurrent network over the last lags values",
          fit_rnn);
NN_METHOD(fc_lstm, "lstm", kind_lstm, "an LSTM network over the last lags values", fit_lstm);
NN_METHOD(fc_gru, "gru", kind_gru, "a GRU network over the last lags values", fit_gru);
NN_METHOD(fc_wavelet, "wavelet", kind_wavelet, "a wavelet network over the last lags values",
          fit_wavelet);
