/*
 * cmd_forecast_nn.c: the neural part of `forecast` (cmd_forecast.h).
 */
#include "kit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_forecast.h"
#include "nn/nn.h"

#include "base/banned.h"

const char *const fc_optimizer_names[2] = {"adam", "sgd"};
const char *const fc_wave_names[2] = {[NN_MEXHAT] = "mexhat", [NN_MORLET] = "morlet"};
const char *const fc_interval_names[4] = {[FC_IV_NONE] = "none",
                                          [FC_IV_CONFORMAL] = "conformal",
                                          [FC_IV_ENSEMBLE] = "ensemble",
                                          [FC_IV_MCDROPOUT] = "mcdropout"};

void
fc_cmd_nn_opts(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
               struct fc_nn_opts *o)
{
    fc_nn_opts_default(o);
    o->lags = (int)args_int(args, "lags");
    if (args_given(args, "layers"))
        o->layers = (int)args_int(args, "layers");
    if (args_given(args, "hidden"))
        o->hidden = (int)args_int(args, "hidden");
    o->filters = (int)args_int(args, "filters");
    o->kernel = (int)args_int(args, "kernel");
    o->epochs = (int)args_int(args, "epochs");
    o->batch = (int)args_int(args, "batch");
    o->lr = args_real(args, "lr");
    o->sgd = args_choice(args, "optimizer") == 1;
    o->dropout = args_real(args, "dropout");
    o->patience = (int)args_int(args, "patience");
    o->val = args_real(args, "validation");
    o->seed = (unsigned long long)kit_seed(ctx, args, res);
    o->wave = args_choice(args, "wave");
    o->intervals = (enum fc_interval)args_choice(args, "intervals");
    o->members = (int)args_int(args, "members");
    o->relative = (int)args_int(args, "relative");
    (void)args_int(args, "global"); /* read by the command: fc_run_in.global */
}

int
fc_cmd_write_loss(struct cmd_ctx *ctx, const struct cmd_args *args, const char *name,
                  const struct groups *g, const char *by_name, int by_decl,
                  const struct fc_run_out *o, struct qerr *err)
{
    long long n = 0;
    int global = 0;
    for (int i = 0; i < o->n_groups; i++) {
        struct fc_nn_info in;
        fc_nn_info(o->g[i].model, &in);
        n += in.shared ? 0 : in.epochs;
        global |= in.shared;
    }
    int32_t *gid = xmalloc(((size_t)n + 1) * sizeof(*gid));
    double *col = xmalloc(((size_t)n + 1) * 3 * sizeof(double));
    double *ep = col, *tl = col + n, *vl = col + 2 * n;
    long long k = 0;
    for (int i = 0; i < o->n_groups; i++) {
        struct fc_nn_info in;
        fc_nn_info(o->g[i].model, &in);
        for (int e = 0; !in.shared && e < in.epochs; e++, k++) {
            gid[k] = o->g[i].id;
            ep[k] = e + 1;
            tl[k] = in.train[e];
            vl[k] = in.val[e];
        }
    }
    struct frame_out outs[4];
    void *keys = NULL;
    int m = 0, rc = 0;
    if (g->n_groups && !global) /* a global network has one curve */
        rc = groups_out(g, gid, n, by_name, by_decl, &outs[m++], &keys, err);
    outs[m++] = (struct frame_out){.name = "epoch", .decl = CATALOG_INTEGER, .num = ep};
    outs[m++] = (struct frame_out){.name = "train_loss", .decl = CATALOG_REAL, .num = tl};
    outs[m++] = (struct frame_out){.name = "validation_loss", .decl = CATALOG_REAL, .num = vl};
    if (rc == 0)
        rc = kit_side_table(ctx, args, name, outs, m, n, err);
    free(keys);
    free(gid);
    free(col);
    return rc;
}

void
fc_cmd_nn_report(struct cmd_result *res, const char *loss_name, const struct fc_nn_opts *nn,
                 const struct fc_run_out *o, const char *const *gnames)
{
    const char *cols[] = {"series", "windows", "validation", "epochs", "kept", "train loss",
                          "validation loss"};
    struct rtable *t = result_table(res, 7, cols);
    int global = 0, ntr = 0, nval = 0;
    for (int i = 0; i < o->n_groups; i++) {
        struct fc_nn_info in;
        fc_nn_info(o->g[i].model, &in);
        global |= in.shared;
        ntr += in.n_train;
        nval += in.n_val;
    }
    for (int i = 0; i < o->n_groups; i++) {
        struct fc_nn_info in;
        fc_nn_info(o->g[i].model, &in);
        if (global && i > 0)
            break;
        long long r = rtable_add_row(t);
        rtable_set(t, r, 0, global ? "all (one network)" : gnames ? gnames[o->g[i].id] : "all",
                   0);
        rtable_setf(t, r, 1, 1, "%d", global ? ntr : in.n_train);
        rtable_setf(t, r, 2, 1, "%d", global ? nval : in.n_val);
        rtable_setf(t, r, 3, 1, "%d", in.epochs);
        int kept = in.best_epoch > 0 ? in.best_epoch : in.epochs;
        rtable_setf(t, r, 4, 1, "%d", kept);
        if (kept > 0) {
            rtable_setf(t, r, 5, 1, "%.4g", in.train[kept - 1]);
            if (isfinite(in.val[kept - 1]))
                rtable_setf(t, r, 6, 1, "%.4g", in.val[kept - 1]);
        }
    }
    result_text(res, "training: losses are mean squared errors of the standardised series "
                "(per epoch in '%s'); kept: the epoch whose weights predict%s",
                loss_name, nn->patience > 0 ? " (the best validation loss: early stopping "
                "with patience)" : "");
    if (o->stopped == 2) {
        struct fc_nn_info in;
        fc_nn_info(o->g[0].model, &in);
        result_text(res, "interrupted (Ctrl-C) at epoch %d: kept the best weights so far "
                    "(epoch %d); every series forecast with them", in.epochs,
                    in.best_epoch > 0 ? in.best_epoch : in.epochs);
    } else if (o->stopped) {
        const struct fc_run_group *g = &o->g[o->n_groups - 1];
        struct fc_nn_info in;
        fc_nn_info(g->model, &in);
        result_text(res, "interrupted (Ctrl-C) while training %s at epoch %d: kept its best "
                    "weights so far (epoch %d); the series after it were not forecast",
                    gnames ? gnames[g->id] : "the series", in.epochs,
                    in.best_epoch > 0 ? in.best_epoch : in.epochs);
    }
    if (nn->intervals == FC_IV_CONFORMAL)
        result_text(res, "intervals=conformal: bounds from the validation windows' absolute "
                    "one-step errors (explain intervals)");
    else if (nn->intervals == FC_IV_ENSEMBLE)
        result_text(res, "intervals=ensemble: %d networks from seeds %llu to %llu; the mean "
                    "predicts (explain intervals)", nn->members, nn->seed,
                    nn->seed + (unsigned long long)nn->members - 1);
    else if (nn->intervals == FC_IV_MCDROPOUT)
        result_text(res, "intervals=mcdropout: %d paths with dropout %g on (explain intervals)",
                    nn->members, nn->dropout > 0 ? nn->dropout : 0.1);
}
