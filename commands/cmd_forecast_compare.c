/*
 * cmd_forecast_compare.c: `compare TABLE date=COL value=COL [by=COL]
 * models=a,b,...` (compare's forecasting form: the classifiers' compare
 * hands a statement with date= or value= to it) and `forecast ...
 * models=a,b,...`: every model fitted on the same training periods and
 * scored on the same holdout, one table of their errors, lowest RMSE first
 * and the best marked (cmd_forecast.h).
 */
#include "kit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_forecast.h"

#include "base/banned.h"

#define MAX_MODELS 16

struct scored {
    const struct fc_method *me;
    struct fc_metrics m;
    double mase;
    int fitted;       /* 0: left out, why says why */
    char *why;
    struct fc_metrics *gm; /* per group (detail=yes), ng of them; gid their ids */
    int32_t *gid;
    int ng;
};

/* The methods models= names, in order, without repeats; -1 with the caret on models=. */
static int
read_models(const struct cmd_args *args, struct scored *sc, int *n, struct qerr *err)
{
    const char *s = args_str(args, "models");
    *n = 0;
    for (const char *w = s; *w;) {
        size_t l = strcspn(w, ",");
        char name[32];
        snprintf(name, sizeof name, "%.*s", (int)(l < 31 ? l : 31), w);
        const struct fc_method *me = l < 31 ? fc_method_find(name) : NULL;
        if (!me || !me->fit) {
            qerr_set(err, QE_ARG, "models=: no forecasting model '%.*s'", (int)l, w);
            qerr_hint(err, "models are naive, snaive, drift, mean, ses, holt, holtwinters, "
                      "theta, arima, mlp, cnn, rnn, lstm, gru and wavelet");
            return kit_fail_at(args, "models", err);
        }
        int seen = 0;
        for (int i = 0; i < *n; i++)
            seen |= sc[i].me == me;
        if (!seen && *n == MAX_MODELS) {
            qerr_set(err, QE_ARG, "models=: at most %d models", MAX_MODELS);
            return kit_fail_at(args, "models", err);
        }
        if (!seen)
            sc[(*n)++].me = me;
        w += l + (w[l] == ',');
    }
    if (*n == 0) {
        qerr_set(err, QE_ARG, "models= names no model");
        return kit_fail_at(args, "models", err);
    }
    return 0;
}

static int
by_rmse(const void *a, const void *b)
{
    const struct scored *x = a, *y = b;
    if (x->fitted != y->fitted)
        return y->fitted - x->fitted;
    double u = isfinite(x->m.rmse) ? x->m.rmse : INFINITY, v = isfinite(y->m.rmse) ? y->m.rmse
                                                                                  : INFINITY;
    return (u > v) - (u < v);
}

/*
 * Run one model on the statement's series; a data or option failure leaves
 * it out. With exog=, a model that takes no regressors runs on the series
 * alone: plain_group (the rows without a value skipped) stands for in's.
 */
static int
run_one(struct fc_run_in *in, struct scored *sc, const int32_t *plain_group, struct qerr *err)
{
    struct fc_run_out o = {0};
    struct qerr e = QERR_INIT;
    in->method = sc->me;
    struct fc_run_in plain = *in;
    if (in->k_exog && !sc->me->predict_x) {
        plain.exog = NULL;
        plain.k_exog = 0;
        plain.group = plain_group;
        plain.n_groups = in->n_groups;
    }
    int rc = fc_run(&plain, &o, &e);
    if (rc == 0 && !o.stopped) {
        sc->fitted = 1;
        sc->m = o.all;
        sc->mase = o.all_mase;
        sc->ng = o.n_groups;
        sc->gm = xmalloc(((size_t)o.n_groups + 1) * sizeof(*sc->gm));
        sc->gid = xmalloc(((size_t)o.n_groups + 1) * sizeof(*sc->gid));
        for (int i = 0; i < o.n_groups; i++) {
            sc->gm[i] = o.g[i].met;
            sc->gid[i] = o.g[i].id;
        }
    } else if (rc == 0 || e.code == QE_INTERRUPT || e.code == QE_NOMEM) {
        qerr_set(err, rc == 0 ? QE_INTERRUPT : e.code, "%s",
                 rc == 0 ? "forecast compare cancelled" : e.msg ? e.msg : "failed");
        rc = -1;
    } else {
        sc->why = xstrdup(e.msg ? e.msg : "failed");
        rc = 0;
    }
    qerr_clear(&e);
    fc_run_release(in, &o);
    return rc;
}

static int
write_compare(struct cmd_ctx *ctx, const struct cmd_args *args, const char *name,
              const struct scored *sc, int n, struct qerr *err)
{
    const char **model = xmalloc((size_t)n * sizeof(*model));
    double *v = xmalloc((size_t)n * 9 * sizeof(double));
    for (int i = 0; i < n; i++) {
        model[i] = sc[i].me->name;
        const double r[] = {i + 1.0, sc[i].m.r, sc[i].m.mae, sc[i].m.rmse, sc[i].m.mape,
                            sc[i].m.smape, sc[i].mase, sc[i].m.maxrel, (double)sc[i].m.n};
        for (int j = 0; j < 9; j++)
            v[(size_t)j * n + i] = sc[i].fitted ? r[j] : NAN;
    }
    static const char *const nm[] = {"rank", "r", "mae", "rmse", "mape", "smape", "mase",
                                     "max_relative_error", "n"};
    struct frame_out outs[10] = {{.name = "model", .decl = CATALOG_TEXT, .text = model}};
    for (int j = 0; j < 9; j++)
        outs[j + 1] = (struct frame_out){.name = nm[j],
                                         .decl = j == 0 || j == 8 ? CATALOG_INTEGER
                                                                  : CATALOG_REAL,
                                         .num = v + (size_t)j * n};
    int rc = kit_side_table(ctx, args, name, outs, 10, n, err);
    free(model);
    free(v);
    return rc;
}

/* detail=yes: every model's row per series, in the models' order. */
static void
show_detail(struct cmd_result *res, const struct scored *sc, int n, const struct groups *g)
{
    const char *cols[] = {"model", "series", "n", "R", "MAE", "RMSE", "MAPE%", "sMAPE%",
                          "MASE", "max rel%"};
    struct rtable *t = result_table(res, 10, cols);
    for (int i = 0; i < n && sc[i].fitted; i++)
        for (int k = 0; k < sc[i].ng; k++) {
            const struct fc_metrics *m = &sc[i].gm[k];
            char gn[256];
            fc_cmd_group_name(g, sc[i].gid[k], gn, sizeof gn);
            long long r = rtable_add_row(t);
            rtable_set(t, r, 0, sc[i].me->name, 0);
            rtable_set(t, r, 1, gn, 0);
            rtable_setf(t, r, 2, 1, "%lld", m->n);
            const double v[] = {m->r, m->mae, m->rmse, m->mape, m->smape, m->mase, m->maxrel};
            for (int j = 0; j < 7; j++)
                if (isfinite(v[j]))
                    rtable_setf(t, r, 3 + j, 1, j == 0 ? "%.4f" : "%.4g", v[j]);
        }
}

static void
show(struct cmd_result *res, const struct scored *sc, int n)
{
    const char *cols[] = {"", "model", "n", "R", "MAE", "RMSE", "MAPE%", "sMAPE%", "MASE",
                          "max rel%"};
    struct rtable *t = result_table(res, 10, cols);
    for (int i = 0; i < n && sc[i].fitted; i++) {
        long long r = rtable_add_row(t);
        rtable_set(t, r, 0, i == 0 ? "*" : "", 0);
        rtable_set(t, r, 1, sc[i].me->name, 0);
        rtable_setf(t, r, 2, 1, "%lld", sc[i].m.n);
        const double v[] = {sc[i].m.r,     sc[i].m.mae,  sc[i].m.rmse, sc[i].m.mape,
                            sc[i].m.smape, sc[i].mase,   sc[i].m.maxrel};
        for (int j = 0; j < 7; j++)
            if (isfinite(v[j]))
                rtable_setf(t, r, 3 + j, 1, j == 0 ? "%.4f" : "%.4g", v[j]);
    }
    for (int i = 0; i < n; i++)
        if (!sc[i].fitted)
            result_text(res, "left out %s: %s", sc[i].me->name, sc[i].why);
}

/* exog=: which models used the regressors and which the series alone. */
static void
exog_note(struct cmd_result *res, const struct scored *sc, int n, int kx)
{
    struct buf with = BUF_INIT, alone = BUF_INIT;
    int n_alone = 0;
    for (int i = 0; i < n; i++) {
        struct buf *b = sc[i].me->predict_x ? &with : &alone;
        n_alone += !sc[i].me->predict_x;
        buf_addf(b, "%s%s", b->len ? ", " : "", sc[i].me->name);
    }
    result_text(res, "exog=: %s used the %d regressor%s%s%s%s%s", with.len ? with.data : "no model",
                kx, kx == 1 ? "" : "s", alone.len ? "; " : "", alone.len ? alone.data : "",
                n_alone == 1 ? " takes none and forecasts" : n_alone ? " take none and forecast"
                                                                     : "",
                n_alone ? " from the series alone (the rows with a value)" : "");
    buf_release(&with);
    buf_release(&alone);
}

int
fc_cmd_compare(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
               struct qerr *err)
{
    const char *table = args_str(args, "TABLE");
    static const char *const need[] = {"date", "value"};
    for (int i = 0; i < 2; i++)
        if (!args_given(args, need[i])) {
            qerr_set(err, QE_ARG, "'forecast ... models=' needs %s=...", need[i]);
            qerr_hint(err, "usage: compare TABLE date=COL value=COL [by=COL] models=A,B,...");
            return -1;
        }
    struct scored sc[MAX_MODELS] = {{0}};
    int n = 0, rc = -1;
    struct fc_run_in in = {.progress = kit_progress, .pctx = ctx};
    struct fc_cmd_input ci = {0};
    struct fc_nn_opts nn;
    int32_t *plain = NULL;
    char *name = args->as ? xstrdup(args->as) : kit_name(table, "_compare");
    const char *names[1] = {name};
    if (read_models(args, sc, &n, err) < 0 || fc_cmd_read_opts(ctx, args, &in, err) < 0 ||
        kit_claim(ctx, args, NULL, NULL, 0, NULL, names, 1, err) < 0)
        goto out;
    for (int i = 0; i < n; i++)
        if (fc_nn_is(sc[i].me)) {
            fc_cmd_nn_opts(ctx, args, res, &nn);
            in.opts.nn = &nn;
            in.global = (int)args_int(args, "global");
            break;
        }
    in.horizon = 0;
    if (fc_cmd_input(ctx, args, &in, &ci, err) < 0)
        goto out;
    if (in.k_exog) { /* the models without regressors: the rows with a value */
        plain = xmalloc(((size_t)in.n_rows + 1) * sizeof(*plain));
        for (long long i = 0; i < in.n_rows; i++)
            plain[i] = isnan(in.y[i]) ? -1 : in.group ? in.group[i] : 0;
    }
    for (int i = 0; i < n; i++)
        if (run_one(&in, &sc[i], plain, err) < 0)
            goto out;
    qsort(sc, (size_t)n, sizeof(*sc), by_rmse);
    if (!sc[0].fitted) {
        qerr_set(err, QE_DATA, "no model could forecast the series: %s: %s", sc[0].me->name,
                 sc[0].why);
        goto out;
    }
    if (write_compare(ctx, args, name, sc, n, err) < 0)
        goto out;
    result_text(res, "forecast compare: %d model%s on %d series, each fitted on all but the "
                "last %d period%s and scored on them together; lowest RMSE first (* the "
                "best); into '%s'", n, kit_plural(n), in.n_groups, in.holdout,
                kit_plural(in.holdout), name);
    show(res, sc, n);
    if (in.k_exog)
        exog_note(res, sc, n, in.k_exog);
    if (args_int(args, "detail"))
        show_detail(res, sc, n, &ci.g);
    rc = 0;
out:
    for (int i = 0; i < n; i++) {
        free(sc[i].why);
        free(sc[i].gm);
        free(sc[i].gid);
    }
    fc_cmd_input_release(&ci);
    free(plain);
    free(name);
    return rc;
}

/* --- compare TABLE date=... value=...: the forecasting form of compare ---------------- */

static const struct arg_spec cmd_compare_series_args[] = {
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "A table of regular series, one row per period (and group), as series makes it.",
     .comp = COMP_TABLES},
    {.name = "date", .type = ARG_COLUMN, .required = 1,
     .help = "The period column (ISO 8601 dates: first days of months, or a constant step "
             "in days).", .comp = COMP_COLUMNS},
    {.name = "value", .type = ARG_COLUMN, .required = 1, .help = "The numbers to forecast.",
     .comp = COMP_COLUMNS},
    {.name = "by", .type = ARG_COLUMN, .help = "One series per value of this column.",
     .comp = COMP_COLUMNS},
    {.name = "models", .type = ARG_TEXT, .required = 1, .comp = COMP_CHOICES,
     .choices = FCMD_MODEL_NAMES, .help = "The forecasters, a comma list of naive, snaive, drift, mean, ses, holt, "
             "holtwinters, theta, arima, mlp, cnn, rnn, lstm, gru, wavelet (explain forecast)."},
    {.name = "holdout", .type = ARG_INT, .def = "6", .min = 1, .max = 10000,
     .help = "The last periods of each series kept out of the fit and scored."},
    {.name = "season", .type = ARG_TEXT, .def = "auto",
     .help = "The season in periods (12 for months), 0 for none, or auto: the lag of the "
             "largest autocorrelation peak of each training series (snaive, holtwinters, "
             "theta and arima use it)."},
    {.name = "detail", .type = ARG_BOOL, .def = "no", .comp = COMP_CHOICES,
     .help = "yes: also a row per model and series."},
    {.name = "exog", .type = ARG_COLUMNS, .comp = COMP_COLUMNS,
     .help = "Regressors for the models that take them (arima and the networks, as forecast "
             "exog=); the others forecast from the series alone. A series' last rows with "
             "no value and every regressor are its future, left out of the scores."},
    FCMD_NN_ARGS_M(NULL, NULL, NULL, "intervals=ensemble|mcdropout"),
    FCMD_THREADS_ARG,
    KIT_REPLACE_ARG,
    {0},
};

static int
cmd_compare_series_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                        struct qerr *err)
{
    return fc_cmd_compare(ctx, args, res, err);
}

const struct cmd_entry cmd_compare_series_entry = {
    .name = "compare",
    .family = "forecasting",
    .synopsis = "compare TABLE date=COL value=COL [by=COL] models=A,B,... [holdout=6] "
                "[season=auto|N] [exog=COLS] [detail=no] [threads=N] [options] [replace=yes] "
                "[as NAME]",
    .help = "The forecasting form of compare (a statement with date= or value=): every "
            "model fitted per series on all but the last holdout periods and scored on them, "
            "one table of R, MAE, RMSE, MAPE, sMAPE, MASE and the largest relative error per "
            "model over every series together, lowest RMSE first and the best marked *; "
            "detail=yes adds a row per model and series. A model that cannot fit the series "
            "(no season found, too short) is left out, and said so. Each model takes its "
            "defaults; the network options (lags=, epochs=, seed=, ...) apply to the "
            "networks named. exog=COLS gives the regressors to arima and the networks "
            "(forecast exog=), and the other models forecast from the series alone, so one "
            "table shows what the regressors bring. The same as forecast ... models=. Writes the table to "
            "TABLE_compare (or as NAME): model, rank and the measures.",
    .example = "compare monthly date=period value=amount by=segment "
               "models=snaive,holtwinters,theta season=12",
    .args = cmd_compare_series_args,
    .flags = CMD_WRITES | CMD_AS,
    .exec = cmd_compare_series_exec,
};
