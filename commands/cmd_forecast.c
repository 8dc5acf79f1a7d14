/*
 * cmd_forecast.c: `forecast TABLE date=COL value=COL [by=COL] model=...
 * [horizon=6] [holdout=6] [season=auto|N] [level=0.9] [as NAME]`: per
 * group, fit on all but the last holdout periods, predict the holdout
 * and the horizon beyond (src/forecast/fcrun.h), write the table and
 * keep the fitted forecasters in the model store.
 */
#include "kit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/datetime.h"
#include "cmd_forecast.h"
#include "data/store.h"
#include "forecast/fcrun.h"
#include "prep/groups.h"

#include "base/banned.h"

static const char *const model_names[] = {"naive", "snaive", "drift", "mean", "ses", "holt",
                                          "holtwinters", "theta", "mlp", "cnn", "rnn",
                                          "lstm", "gru", "wavelet"};
static const char *const seasonal_names[] = {[FC_ADD] = "add", [FC_MUL] = "mul"};
static const char *const part_names[] = {[FC_TRAIN] = "train", [FC_HOLDOUT] = "holdout",
                                         [FC_FUTURE] = "future"};

static const struct arg_spec cmd_forecast_args[] = {
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "A table of regular series, one row per period (and group), as series makes it; "
             "or, with only horizon= (and level=), a forecast model to continue from.",
     .comp = COMP_TABLES},
    {.name = "date", .type = ARG_COLUMN,
     .help = "The period column (ISO 8601 dates: first days of months, or a constant step "
             "in days).", .comp = COMP_COLUMNS},
    {.name = "value", .type = ARG_COLUMN, .help = "The numbers to forecast.",
     .comp = COMP_COLUMNS},
    {.name = "by", .type = ARG_COLUMN, .help = "One series per value of this column.",
     .comp = COMP_COLUMNS},
    {.name = "model", .type = ARG_ENUM,
     .choices = "naive|snaive|drift|mean|ses|holt|holtwinters|theta|mlp|cnn|rnn|lstm|gru|wavelet",
     ARG_NAMES(model_names),
     .help = "The forecaster (explain forecast; explain cnn, lstm, gru, wavelet for the "
             "networks).", .comp = COMP_CHOICES},
    {.name = "horizon", .type = ARG_INT, .def = "6", .min = 0, .max = 10000,
     .help = "Periods to predict beyond the last value."},
    {.name = "holdout", .type = ARG_INT, .def = "6", .min = 1, .max = 10000,
     .help = "The last periods of each series kept out of the fit and scored."},
    {.name = "season", .type = ARG_TEXT, .def = "auto",
     .help = "The season in periods (12 for months), 0 for none, or auto: the lag of the "
             "largest autocorrelation peak of each training series.",
     .modes = "model=snaive|holtwinters|theta"},
    {.name = "seasonal", .type = ARG_ENUM, .def = "add", .choices = "add|mul",
     ARG_NAMES(seasonal_names), .help = "Additive or multiplicative season.",
     .comp = COMP_CHOICES, .modes = "model=holtwinters"},
    {.name = "damped", .type = ARG_BOOL, .def = "no", .help = "A damped trend.",
     .comp = COMP_CHOICES, .modes = "model=holt|holtwinters"},
    {.name = "alpha", .type = ARG_REAL, .min = 0, .max = 1,
     .help = "The level's smoothing parameter, fixed (fitted when not given).",
     .modes = "model=ses|holt|holtwinters|theta"},
    {.name = "beta", .type = ARG_REAL, .min = 0, .max = 1,
     .help = "The trend's smoothing parameter, fixed (at most alpha).",
     .modes = "model=holt|holtwinters"},
    {.name = "gamma", .type = ARG_REAL, .min = 0, .max = 1,
     .help = "The season's smoothing parameter, fixed (at most 1 - alpha).",
     .modes = "model=holtwinters"},
    {.name = "phi", .type = ARG_REAL, .min = 0, .max = 1,
     .help = "The damping parameter, fixed (fitted in [0.8, 0.995] when not given).",
     .modes = "model=holt|holtwinters"},
    {.name = "theta", .type = ARG_REAL, .def = "2", .min = 1, .max = 1e9,
     .help = "The weight of the trend line: (1 - 1/theta).", .modes = "model=theta"},
    {.name = "level", .type = ARG_REAL, .def = "0.9", .min = 0.5, .max = 0.999,
     .help = "The level of the prediction interval."},
    FCMD_NN_ARGS,
    KIT_REPLACE_ARG,
    {0},
};

/* The group's name as the table has it. */
static void
group_name(const struct groups *g, int id, char *out, size_t size)
{
    if (!g->n_groups)
        snprintf(out, size, "all");
    else if (g->is_text)
        snprintf(out, size, "%s", g->key_text[id]);
    else
        snprintf(out, size, "%.15g", g->key_num[id]);
}

static int
read_opts(const struct cmd_args *args, struct fc_run_in *in, struct qerr *err)
{
    fc_opts_default(&in->opts);
    const char *s = args_str(args, "season");
    in->opts.season = -1;
    if (s && strcasecmp(s, "auto") != 0) {
        char *e;
        long v = strtol(s, &e, 10);
        if (*e || v < 0 || v == 1 || v > 10000) {
            qerr_set(err, QE_ARG, "season must be auto, 0 (none) or a period of 2 to 10000; "
                     "got '%s'", s);
            return kit_fail_at(args, "season", err);
        }
        in->opts.season = (int)v;
    }
    in->opts.seasonal = (enum fc_seasonal)args_choice(args, "seasonal");
    in->opts.damped = (int)args_int(args, "damped");
    static const char *const fixed[] = {"alpha", "beta", "gamma", "phi"};
    double *dst[] = {&in->opts.alpha, &in->opts.beta, &in->opts.gamma, &in->opts.phi};
    for (int i = 0; i < 4; i++)
        if (args_given(args, fixed[i]))
            *dst[i] = args_real(args, fixed[i]);
    in->opts.theta = args_real(args, "theta");
    in->horizon = (int)args_int(args, "horizon");
    in->holdout = (int)args_int(args, "holdout");
    in->level = args_real(args, "level");
    return 0;
}

static int
write_table(struct cmd_ctx *ctx, const struct cmd_args *args, const char *name,
            const struct groups *g, const struct frame *f, const struct fc_run_out *o,
            struct qerr *err)
{
    char *text = xmalloc((size_t)o->n * 11 + 1);
    const char **ptext = xmalloc(((size_t)o->n + 1) * sizeof(*ptext));
    const char **part = xmalloc(((size_t)o->n + 1) * sizeof(*part));
    void *keys = NULL;
    for (long long i = 0; i < o->n; i++) {
        char day[16];
        datetime_format((long long)o->day[i], day, sizeof day);
        memcpy(text + i * 11, day, 11);
        ptext[i] = text + i * 11;
        part[i] = part_names[o->part[i]];
    }
    struct frame_out outs[10];
    int k = 0, rc = 0;
    if (g->n_groups)
        rc = groups_out(g, o->group, o->n, f->names[1], f->decl[1], &outs[k++], &keys, err);
    outs[k++] = (struct frame_out){.name = "period", .decl = CATALOG_DATE, .text = ptext};
    outs[k++] = (struct frame_out){.name = "part", .decl = CATALOG_TEXT, .text = part};
    const char *nm[] = {"actual", "predicted", "lower", "upper", "error", "relative_error"};
    const double *col[] = {o->actual, o->pred, o->lower, o->upper, o->error, o->relerr};
    for (int i = 0; i < 6; i++)
        outs[k++] = (struct frame_out){.name = nm[i], .decl = CATALOG_REAL, .num = col[i]};
    if (rc == 0)
        rc = kit_side_table(ctx, args, name, outs, k, o->n, err);
    free(text);
    free(ptext);
    free(part);
    free(keys);
    return rc;
}

/* Keep every group's forecaster as one model NAME of the method's kind. */
static int
keep_models(struct cmd_ctx *ctx, const struct cmd_args *args, const char *name,
             const struct fc_run_in *in, const struct groups *g, const struct fc_run_out *o,
             struct qerr *err)
{
    struct buf b = BUF_INIT, cols = BUF_INIT, sum = BUF_INIT;
    store_add_i64(&b, o->n_groups);
    int rc = 0;
    for (int i = 0; i < o->n_groups && rc == 0; i++) {
        char gn[256];
        group_name(g, o->g[i].id, gn, sizeof gn);
        store_add_str(&b, gn);
        rc = in->method->save(o->g[i].model, &b, err);
    }
    buf_addf(&cols, "%s,%s", args_str(args, "date"), args_str(args, "value"));
    if (args_str(args, "by"))
        buf_addf(&cols, ",%s", args_str(args, "by"));
    buf_addf(&sum, "%s forecast of %d series", in->method->name, o->n_groups);
    if (o->n_groups == 1) {
        buf_addf(&sum, ": ");
        in->method->describe(o->g[0].model, &sum);
    }
    struct store_meta meta = {args_str(args, "TABLE"), cols.data, sum.data};
    /* a forecast of another model under the name (its table was claimed above) goes */
    for (int i = 0; rc == 0 && fc_methods[i]; i++) {
        struct store_reader r = {0};
        struct qerr e2 = QERR_INIT;
        if (fc_methods[i]->kind && fc_methods[i] != in->method &&
            store_get(ctx->cat, fc_methods[i]->kind, name, &r, &e2) == 0)
            store_drop(ctx->cat, name, NULL, &e2);
        store_reader_release(&r);
        qerr_clear(&e2);
    }
    if (rc == 0)
        rc = store_put(ctx->cat, in->method->kind, name, &meta, b.data, b.len, err);
    buf_release(&b);
    buf_release(&cols);
    buf_release(&sum);
    return rc;
}

static void
metric_row(struct rtable *t, const char *name, long long n, const struct fc_metrics *m,
           double mase, double cov)
{
    long long r = rtable_add_row(t);
    rtable_set(t, r, 0, name, 0);
    rtable_setf(t, r, 1, 1, "%lld", n);
    const double v[] = {m->r, m->mae, m->rmse, m->mape, m->smape, mase, m->maxrel, 100 * cov};
    for (int i = 0; i < 8; i++)
        if (isfinite(v[i]))
            rtable_setf(t, r, 2 + i, 1, i == 0 ? "%.4f" : "%.4g", v[i]);
}

static void
report(struct cmd_result *res, const char *name, const struct fc_run_in *in,
       const struct groups *g, const struct fc_run_out *o)
{
    result_text(res, "forecast: %s on %d series, fitted on all but the last %d period%s, "
                "%d predicted beyond; %lld rows into '%s' (and model '%s')",
                in->method->name, o->n_groups, in->holdout, kit_plural(in->holdout),
                in->horizon, o->n, name, name);
    if (in->opts.season < 0 && (in->method->needs_season || !strcmp(in->method->name, "theta"))) {
        struct buf b = BUF_INIT;
        for (int i = 0; i < o->n_groups; i++) {
            char gn[256];
            group_name(g, o->g[i].id, gn, sizeof gn);
            buf_addf(&b, "%s%s %d", i ? ", " : "", gn, o->g[i].season);
        }
        result_text(res, "season=auto chose (from the autocorrelation): %s", b.data);
        buf_release(&b);
    }
    const char *cols[] = {"series", "n", "R", "MAE", "RMSE", "MAPE%", "sMAPE%", "MASE",
                          "max rel%", "coverage%"};
    struct rtable *t = result_table(res, 10, cols);
    for (int i = 0; i < o->n_groups; i++) {
        char gn[256];
        group_name(g, o->g[i].id, gn, sizeof gn);
        metric_row(t, gn, o->g[i].met.n, &o->g[i].met, o->g[i].met.mase, o->g[i].coverage);
    }
    if (o->n_groups > 1)
        metric_row(t, "all", o->all.n, &o->all, o->all_mase, o->all_coverage);
    result_text(res, "coverage: the share of holdout values inside the %g%% interval",
                100 * in->level);
}

extern const struct cmd_entry cmd_forecast_entry;

static int
cmd_forecast_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                  struct qerr *err)
{
    const char *table = args_str(args, "TABLE"), *by = args_str(args, "by");
    int given = args_given(args, "date") + args_given(args, "value") + args_given(args, "model");
    if (given == 0 && !by)
        return fc_cmd_continue(ctx, args, res, err);
    static const char *const need[] = {"date", "value", "model"};
    for (int i = 0; i < 3; i++)
        if (!args_given(args, need[i])) {
            qerr_set(err, QE_ARG, "'forecast' needs %s=...", need[i]);
            qerr_hint(err, "usage: %s (or forecast MODEL horizon=N to continue from a stored "
                      "forecaster)", cmd_forecast_entry.synopsis);
            return -1;
        }
    struct fc_run_in in = {.method = fc_method_find(model_names[args_choice(args, "model")]),
                           .progress = kit_progress, .pctx = ctx};
    struct kit_dated dd = {0};
    struct groups g = {0};
    struct fc_run_out o = {0};
    char **gnames = NULL;
    char *name = args->as ? strdup(args->as) : kit_name(table, "_forecast"), *loss = NULL;
    int rc = -1;
    if (!in.method->fit) {
        qerr_set(err, QE_ARG, "model=%s is not built yet", in.method->name);
        kit_fail_at(args, "model", err);
        goto out;
    }
    int neural = fc_nn_is(in.method);
    struct fc_nn_opts nn;
    loss = kit_name(name, "_loss");
    const char *names[2] = {name, loss};
    if (read_opts(args, &in, err) < 0 ||
        kit_claim(ctx, args, NULL, NULL, 0, NULL, names, neural ? 2 : 1, err) < 0)
        goto out;
    if (neural) {
        fc_cmd_nn_opts(ctx, args, res, &nn);
        in.opts.nn = &nn;
        in.global = (int)args_int(args, "global");
    }
    const char *cols[2] = {args_str(args, "value"), by};
    if (kit_read_dated(ctx, args, table, cols, by ? 2 : 1, "date", &dd, err) < 0)
        goto out;
    const double *y = NULL;
    long long n_text = 0;
    if (kit_dated_numbers(ctx, table, &dd, 0, &y, &n_text, err) < 0)
        goto out;
    if (!y) {
        qerr_set(err, QE_ARG, "column '%s' holds text, not numbers", dd.f->names[0]);
        kit_fail_at(args, "value", err);
        goto out;
    }
    in.n_rows = dd.f->n_rows;
    in.t = dd.t;
    in.y = y;
    in.n_groups = 1;
    if (by) {
        if (groups_init(&g, dd.f, 1, kit_progress, ctx, err) < 0)
            goto out;
        in.group = g.id;
        in.n_groups = g.n_groups;
        gnames = xmalloc(((size_t)g.n_groups + 1) * sizeof(*gnames));
        for (int i = 0; i < g.n_groups; i++) {
            char gn[256];
            group_name(&g, i, gn, sizeof gn);
            gnames[i] = xstrdup(gn);
        }
        in.names = (const char *const *)gnames;
    }
    if (fc_run(&in, &o, err) < 0) {
        kit_dated_hint(&dd, err);
        goto out;
    }
    if (o.stopped && ctx->interrupted) /* the work so far is kept: let the writes run */
        *ctx->interrupted = 0;
    if (write_table(ctx, args, name, &g, dd.f, &o, err) < 0 ||
        (neural && fc_cmd_write_loss(ctx, args, loss, &g, by ? dd.f->names[1] : NULL,
                                     by ? (int)dd.f->decl[1] : 0, &o, err) < 0) ||
        keep_models(ctx, args, name, &in, &g, &o, err) < 0)
        goto out;
    report(res, name, &in, &g, &o);
    if (neural)
        fc_cmd_nn_report(res, loss, &nn, &o, (const char *const *)gnames);
    rc = 0;
out:
    fc_run_release(&in, &o);
    for (int i = 0; gnames && i < g.n_groups; i++)
        free(gnames[i]);
    free(gnames);
    groups_release(&g);
    kit_dated_release(&dd);
    free(name);
    free(loss);
    return rc;
}

const struct cmd_entry cmd_forecast_entry = {
    .name = "forecast",
    .family = "forecasting",
    .synopsis = "forecast TABLE date=COL value=COL [by=COL] model=NAME [horizon=6] "
                "[holdout=6] [season=auto] [level=0.9] [lags=12] [epochs=200] [seed=N] "
                "[intervals=conformal] [replace=yes] [as NAME]",
    .help = "Forecast each series of a table of regular series (one row per period and "
            "group, as series writes it): the model is fitted on all but the last holdout "
            "periods, predicts them and horizon periods beyond, and is scored on the "
            "holdout by R (Pearson), MAE, RMSE, MAPE, sMAPE, MASE, the largest relative "
            "error and the share of holdout values inside the level interval. One model "
            "per statement. Models: naive, snaive (one season back), drift, mean; ses, "
            "holt and holtwinters (exponential smoothing, parameters fitted by least "
            "squares as statsmodels' ExponentialSmoothing fits them); theta; and the neural "
            "networks mlp, cnn, rnn, lstm, gru and wavelet, which learn windows of lags "
            "past values -> the next value on the standardised series (early stopping on "
            "the last windows, patience; seed makes them reproducible), predict "
            "recursively, give intervals=conformal, ensemble or mcdropout, and write their "
            "loss per epoch to NAME_loss (plot loss NAME_loss); Ctrl-C while one trains "
            "keeps its best weights so far and forecasts the series done. The table "
            "NAME (default TABLE_forecast; replace=yes writes over one that exists) has the "
            "by column, period, part (train, holdout or future), actual, predicted, lower, "
            "upper, error and relative_error; the fitted forecasters are kept as model "
            "NAME. plot forecast NAME draws it. forecast NAME horizon=N continues from the "
            "stored forecasters: N steps past their fitting window into NAME_next (series, "
            "step, predicted, lower, upper).",
    .example = "forecast monthly date=period value=amount by=segment model=holtwinters",
    .args = cmd_forecast_args,
    .flags = CMD_WRITES | CMD_AS,
    .exec = cmd_forecast_exec,
};
