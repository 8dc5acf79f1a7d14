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
#include "forecast/arima.h"
#include "forecast/fcrun.h"
#include "prep/groups.h"

#include "base/banned.h"

static const char *const model_names[] = {"naive", "snaive", "drift", "mean", "ses", "holt",
                                          "holtwinters", "theta",
                                          "arima",
                                          "mlp", "cnn", "rnn", "lstm", "gru", "wavelet"};
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
     .choices = FCMD_MODEL_NAMES,
     ARG_NAMES(model_names),
     .help = "The forecaster (explain forecast; explain cnn, lstm, gru, wavelet for the "
             "networks).", .comp = COMP_CHOICES},
    {.name = "horizon", .type = ARG_INT, .def = "6", .min = 0, .max = 10000,
     .help = "Periods to predict beyond the last value."},
    {.name = "holdout", .type = ARG_INT, .def = "6", .min = 1, .max = 10000,
     .help = "The last periods of each series kept out of the fit and scored."},
    {.name = "season", .type = ARG_TEXT, .def = "auto",
     .help = "The season in periods (12 for months), 0 for none, or auto: the lag of the "
             "largest autocorrelation peak of each training series. Applies to model=snaive, "
             "holtwinters, theta or arima, and to models=."},
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
    {.name = "order", .type = ARG_TEXT,
     .help = "ARIMA orders p,d,q (AR terms, differences, MA terms); without it a stepwise "
             "AICc search as R's auto.arima chooses every order and the constant.",
     .modes = "model=arima"},
    {.name = "sorder", .type = ARG_TEXT,
     .help = "Seasonal ARIMA orders P,D,Q at the season (default 0,0,0); needs order=.",
     .modes = "model=arima"},
    {.name = "constant", .type = ARG_BOOL,
     .help = "ARIMA with order=: a constant term c (a mean, or a drift after differencing); "
             "no by default, as statsmodels' SARIMAX.", .comp = COMP_CHOICES,
     .modes = "model=arima"},
    {.name = "level", .type = ARG_REAL, .def = "0.9", .min = 0.5, .max = 0.999,
     .help = "The level of the prediction interval."},
    {.name = "exog", .type = ARG_COLUMNS,
     .help = "Regressors (exogenous columns): ARIMA becomes a regression with ARIMA errors, "
             "as statsmodels' SARIMAX(exog=); a network takes them, standardised, as more "
             "inputs beside the lags, each window with the regressors of the periods it "
             "predicts. A group's last rows with an empty value and every regressor given "
             "are its future (horizon= does not apply).",
     .comp = COMP_COLUMNS, .modes = "model=arima|mlp|cnn|rnn|lstm|gru|wavelet"},
    {.name = "models", .type = ARG_TEXT, .comp = COMP_CHOICES, .choices = FCMD_MODEL_NAMES,
     .help = "Compare these models (a comma list, such as snaive,holtwinters,arima,cnn) on "
             "the same holdout instead of fitting one: a table of R, MAE, RMSE, MAPE, sMAPE, "
             "MASE and the largest relative error per model, lowest RMSE first, the best "
             "marked; into TABLE_compare (as NAME). Each model takes its defaults (season= "
             "applies to those with one).",
     .modes = "!model"},
    {.name = "detail", .type = ARG_BOOL, .def = "no", .comp = COMP_CHOICES, .modes = "models",
     .help = "models=: also a row per model and series."},
    FCMD_NN_ARGS,
    {.name = "interrupt", .type = ARG_ENUM, .def = "keep", .choices = "keep|discard",
     .comp = COMP_CHOICES, .modes = FCMD_NN_MODES,
     .help = "What Ctrl-C while a network trains leaves: keep (its best weights so far "
             "forecast, and the table and model are written) or discard (nothing written). "
             "While it trains, the TUI's status bar shows the epoch and the losses."},
    FCMD_THREADS_ARG,
    KIT_REPLACE_ARG,
    {0},
};

void
fc_cmd_group_name(const struct groups *g, int id, char *out, size_t size)
{
    if (!g->n_groups)
        snprintf(out, size, "all");
    else if (g->is_text)
        snprintf(out, size, "%s", g->key_text[id]);
    else
        snprintf(out, size, "%.15g", g->key_num[id]);
}

/* "p,d,q" of key into o[3]; -1s when not given. */
static int
read_orders(const struct cmd_args *args, const char *key, int *o, struct qerr *err)
{
    const char *s = args_str(args, key);
    if (!s)
        return 0;
    char *e;
    const char *p = s;
    for (int i = 0; i < 3; i++) {
        long v = strtol(p, &e, 10);
        if (e == p || v < 0 || v > 99 || (i < 2 && *e != ',') || (i == 2 && *e)) {
            qerr_set(err, QE_ARG, "%s takes three whole numbers as p,d,q (like 1,1,1); got "
                     "'%s'", key, s);
            return kit_fail_at(args, key, err);
        }
        o[i] = (int)v;
        p = e + 1;
    }
    return 0;
}

static int
read_arima_opts(const struct cmd_args *args, struct fc_opts *o, struct qerr *err)
{
    if (read_orders(args, "order", o->order, err) < 0 ||
        read_orders(args, "sorder", o->sorder, err) < 0)
        return -1;
    if (args_given(args, "constant"))
        o->constant = (int)args_int(args, "constant");
    return 0;
}

int
fc_cmd_declares(const struct cmd_args *args, const char *name)
{
    for (int i = 0; i < args->n_vals; i++)
        if (strcmp(args->vals[i].spec->name, name) == 0)
            return 1;
    return 0;
}

int
fc_cmd_read_opts(struct cmd_ctx *ctx, const struct cmd_args *args, struct fc_run_in *in,
                 struct qerr *err)
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
    in->holdout = (int)args_int(args, "holdout");
    in->horizon = 0;
    in->level = 0.9;
    in->threads = args_given(args, "threads") ? (int)args_int(args, "threads")
                                              : ctx->set.threads;
    if (!fc_cmd_declares(args, "model")) /* compare's spec: the models' own defaults */
        return 0;
    in->opts.seasonal = (enum fc_seasonal)args_choice(args, "seasonal");
    in->opts.damped = (int)args_int(args, "damped");
    static const char *const fixed[] = {"alpha", "beta", "gamma", "phi"};
    double *dst[] = {&in->opts.alpha, &in->opts.beta, &in->opts.gamma, &in->opts.phi};
    for (int i = 0; i < 4; i++)
        if (args_given(args, fixed[i]))
            *dst[i] = args_real(args, fixed[i]);
    in->opts.theta = args_real(args, "theta");
    if (read_arima_opts(args, &in->opts, err) < 0)
        return -1;
    in->horizon = (int)args_int(args, "horizon");
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
        fc_cmd_group_name(g, o->g[i].id, gn, sizeof gn);
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

/* P(X <= k) for X binomial(n, p), 0 < p < 1. */
static double
binom_cdf(long long k, long long n, double p)
{
    double s = 0;
    for (long long i = 0; i <= k; i++)
        s += exp(lgamma((double)n + 1) - lgamma((double)i + 1) - lgamma((double)(n - i) + 1) +
                 (double)i * log(p) + (double)(n - i) * log1p(-p));
    return s;
}

/*
 * Say so when the interval covered markedly fewer holdout values than its
 * level: fewer than a true interval at that level covers once in 20 times.
 */
static void
coverage_note(struct cmd_result *res, double level, const struct fc_run_out *o)
{
    long long n = 0, in = 0;
    for (long long i = 0; i < o->n; i++)
        if (o->part[i] == FC_HOLDOUT && isfinite(o->lower[i]) && isfinite(o->upper[i])) {
            n++;
            in += o->actual[i] >= o->lower[i] && o->actual[i] <= o->upper[i];
        }
    if (n == 0 || binom_cdf(in, n, level) >= 0.05)
        return;
    result_text(res, "note: the %g%% interval covered only %.3g%% of the holdout values (%lld "
                "of %lld): too narrow (a true %g%% interval covers %lld or fewer of %lld less "
                "than 1 time in 20)", 100 * level, 100.0 * (double)in / (double)n, in, n,
                100 * level, in, n);
}

static void
report(struct cmd_result *res, const char *name, const struct fc_run_in *in,
       const struct groups *g, const struct fc_run_out *o)
{
    long long beyond = 0;
    for (long long i = 0; i < o->n; i++)
        beyond += o->part[i] == FC_FUTURE;
    if (in->k_exog)
        result_text(res, "forecast: %s with %d regressor%s on %d series, fitted on all but "
                    "the last %d period%s with a value; %lld future row%s (those with the "
                    "regressors and no value) predicted; %lld rows into '%s' (and model '%s')",
                    in->method->name, in->k_exog, kit_plural(in->k_exog), o->n_groups,
                    in->holdout, kit_plural(in->holdout), beyond, kit_plural(beyond), o->n,
                    name, name);
    else
        result_text(res, "forecast: %s on %d series, fitted on all but the last %d period%s, "
                    "%d predicted beyond; %lld rows into '%s' (and model '%s')",
                    in->method->name, o->n_groups, in->holdout, kit_plural(in->holdout),
                    in->horizon, o->n, name, name);
    if (in->opts.season < 0 && (in->method->needs_season || !strcmp(in->method->name, "theta"))) {
        struct buf b = BUF_INIT;
        for (int i = 0; i < o->n_groups; i++) {
            char gn[256];
            fc_cmd_group_name(g, o->g[i].id, gn, sizeof gn);
            buf_addf(&b, "%s%s %d", i ? ", " : "", gn, o->g[i].season);
        }
        result_text(res, "season=auto chose (from the autocorrelation): %s", b.data);
        buf_release(&b);
    }
    if (!strcmp(in->method->name, "holtwinters")) {
        /* Seasonal states from under two seasons are rough: say so, naming the series
         * (their values and seasons once when they all share them). */
        struct buf names = BUF_INIT, each = BUF_INIT;
        int m = 0, same = 1;
        long long fit0 = 0;
        int season0 = 0;
        for (int i = 0; i < o->n_groups; i++) {
            long long fit = o->g[i].n - in->holdout;
            int sm = o->g[i].season;
            if (sm < 2 || fit >= 2LL * sm)
                continue;
            char gn[256];
            fc_cmd_group_name(g, o->g[i].id, gn, sizeof gn);
            if (m == 0)
                fit0 = fit, season0 = sm;
            same &= fit == fit0 && sm == season0;
            buf_addf(&names, "%s%s", m ? ", " : "", gn);
            buf_addf(&each, "%s%s (%lld values, %.3g seasons of %d)", m ? ", " : "", gn, fit,
                     (double)fit / sm, sm);
            m++;
        }
        if (m && same)
            result_text(res, "note: holtwinters fitted %s on %lld values%s, %.3g seasons of %d: "
                        "seasonal terms from under two seasons are rough, so read its errors "
                        "and intervals with care (more history or a shorter season= helps)",
                        names.data, fit0, m > 1 ? " each" : "", (double)fit0 / season0, season0);
        else if (m)
            result_text(res, "note: holtwinters fitted %s: seasonal terms from under two "
                        "seasons are rough, so read its errors and intervals with care (more "
                        "history or a shorter season= helps)", each.data);
        buf_release(&names);
        buf_release(&each);
    }
    if (in->method == &fc_arima)
        for (int i = 0; i < o->n_groups; i++) {
            char gn[256];
            struct buf b = BUF_INIT;
            fc_cmd_group_name(g, o->g[i].id, gn, sizeof gn);
            in->method->describe(o->g[i].model, &b);
            result_text(res, "%s: %s", gn, b.data);
            buf_release(&b);
        }
    const char *cols[] = {"series", "n", "R", "MAE", "RMSE", "MAPE%", "sMAPE%", "MASE",
                          "max rel%", "coverage%"};
    struct rtable *t = result_table(res, 10, cols);
    for (int i = 0; i < o->n_groups; i++) {
        char gn[256];
        fc_cmd_group_name(g, o->g[i].id, gn, sizeof gn);
        metric_row(t, gn, o->g[i].met.n, &o->g[i].met, o->g[i].met.mase, o->g[i].coverage);
    }
    if (o->n_groups > 1)
        metric_row(t, "all", o->all.n, &o->all, o->all_mase, o->all_coverage);
    result_text(res, "coverage: the share of holdout values inside the %g%% interval",
                100 * in->level);
    coverage_note(res, in->level, o);
}

extern const struct cmd_entry cmd_forecast_entry;

void
fc_cmd_input_release(struct fc_cmd_input *ci)
{
    for (int i = 0; ci->names && i < ci->g.n_groups; i++)
        free(ci->names[i]);
    free(ci->names);
    free(ci->x);
    groups_release(&ci->g);
    kit_dated_release(&ci->dd);
    memset(ci, 0, sizeof(*ci));
}

/* The regressors exog= names, row-major, into ci->x (before the value: see kit_dated_numbers). */
static int
read_exog(struct cmd_ctx *ctx, const struct cmd_args *args, const char *table,
          struct fc_cmd_input *ci, int first, int k, struct qerr *err)
{
    long long n = ci->dd.f->n_rows, n_text;
    ci->x = xmalloc(((size_t)n * (size_t)k + 1) * sizeof(double));
    for (int j = 0; j < k; j++) {
        const double *c = NULL;
        if (kit_dated_numbers(ctx, table, &ci->dd, first + j, &c, &n_text, err) < 0)
            return -1;
        if (!c) {
            qerr_set(err, QE_ARG, "regressor '%s' holds text, not numbers",
                     ci->dd.f->names[first + j]);
            return kit_fail_at(args, "exog", err);
        }
        for (long long i = 0; i < n; i++)
            ci->x[i * k + j] = c[i];
    }
    return 0;
}

int
fc_cmd_input(struct cmd_ctx *ctx, const struct cmd_args *args, struct fc_run_in *in,
             struct fc_cmd_input *ci, struct qerr *err)
{
    const char *table = args_str(args, "TABLE"), *by = args_str(args, "by");
    const struct arg_val *ex = fc_cmd_declares(args, "exog") ? args_get(args, "exog") : NULL;
    int kx = ex && ex->pos >= 0 ? ex->n_list : 0;
    if (kx > ARIMA_MAX_X) {
        qerr_set(err, QE_ARG, "exog= takes at most %d regressors", ARIMA_MAX_X);
        return kit_fail_at(args, "exog", err);
    }
    const char *cols[2 + ARIMA_MAX_X] = {args_str(args, "value"), by};
    int nc = by ? 2 : 1;
    for (int j = 0; j < kx; j++)
        cols[nc + j] = ex->list[j];
    if (kit_read_dated(ctx, args, table, cols, nc + kx, "date", &ci->dd, err) < 0 ||
        (kx && read_exog(ctx, args, table, ci, nc, kx, err) < 0))
        return -1;
    const double *y = NULL;
    long long n_text = 0;
    if (kit_dated_numbers(ctx, table, &ci->dd, 0, &y, &n_text, err) < 0)
        return -1;
    if (!y) {
        qerr_set(err, QE_ARG, "column '%s' holds text, not numbers", ci->dd.f->names[0]);
        return kit_fail_at(args, "value", err);
    }
    in->n_rows = ci->dd.f->n_rows;
    in->t = ci->dd.t;
    in->y = y;
    in->n_groups = 1;
    in->exog = ci->x;
    in->k_exog = kx;
    if (kx)
        in->horizon = 0;
    if (by) {
        if (groups_init(&ci->g, ci->dd.f, 1, kit_progress, ctx, err) < 0)
            return -1;
        in->group = ci->g.id;
        in->n_groups = ci->g.n_groups;
        ci->names = xmalloc(((size_t)ci->g.n_groups + 1) * sizeof(*ci->names));
        for (int i = 0; i < ci->g.n_groups; i++) {
            char gn[256];
            fc_cmd_group_name(&ci->g, i, gn, sizeof gn);
            ci->names[i] = xstrdup(gn);
        }
        in->names = (const char *const *)ci->names;
    }
    return 0;
}

static int
cmd_forecast_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                  struct qerr *err)
{
    const char *table = args_str(args, "TABLE"), *by = args_str(args, "by");
    if (args_given(args, "models"))
        return fc_cmd_compare(ctx, args, res, err);
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
                           .progress = kit_progress, .pctx = ctx,
                           .note = kit_progress_text};
    struct fc_cmd_input ci = {0};
    struct fc_run_out o = {0};
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
    static const char *const seasonal_models = " snaive holtwinters theta arima ";
    char key[32];
    snprintf(key, sizeof key, " %s ", in.method->name);
    if (args_given(args, "season") && !strstr(seasonal_models, key)) {
        /* (a mode the spec cannot say: season= applies to these models or models=) */
        qerr_set(err, QE_ARG, "season does not apply to model=%s; only to model=snaive, "
                 "holtwinters, theta or arima, or models=", in.method->name);
        kit_fail_at(args, "season", err);
        goto out;
    }
    if (fc_cmd_read_opts(ctx, args, &in, err) < 0 ||
        kit_claim(ctx, args, NULL, NULL, 0, NULL, names, neural ? 2 : 1, err) < 0)
        goto out;
    if (neural) {
        fc_cmd_nn_opts(ctx, args, res, &nn);
        in.opts.nn = &nn;
        in.global = (int)args_int(args, "global");
    }
    if (fc_cmd_input(ctx, args, &in, &ci, err) < 0)
        goto out;
    if (fc_run(&in, &o, err) < 0) {
        kit_dated_hint(&ci.dd, err);
        goto out;
    }
    if (o.stopped && args_choice(args, "interrupt") == 1) {
        qerr_set(err, QE_INTERRUPT, "interrupted (Ctrl-C) while training: interrupt=discard, "
                 "so nothing was written (interrupt=keep forecasts with the best weights so "
                 "far)");
        goto out;
    }
    if (o.stopped && ctx->interrupted) /* the work so far is kept: let the writes run */
        *ctx->interrupted = 0;
    if (write_table(ctx, args, name, &ci.g, ci.dd.f, &o, err) < 0 ||
        (neural && fc_cmd_write_loss(ctx, args, loss, &ci.g, by ? ci.dd.f->names[1] : NULL,
                                     by ? (int)ci.dd.f->decl[1] : 0, &o, err) < 0) ||
        keep_models(ctx, args, name, &in, &ci.g, &o, err) < 0)
        goto out;
    report(res, name, &in, &ci.g, &o);
    if (neural)
        fc_cmd_nn_report(res, loss, &nn, &o, (const char *const *)ci.names);
    rc = 0;
out:
    fc_run_release(&in, &o);
    fc_cmd_input_release(&ci);
    free(name);
    free(loss);
    return rc;
}

const struct cmd_entry cmd_forecast_entry = {
    .name = "forecast",
    .family = "forecasting",
    .synopsis = "forecast TABLE date=COL value=COL [by=COL] model=NAME|models=A,B,... "
                "[horizon=6] [holdout=6] [season=auto] [order=p,d,q] [sorder=P,D,Q] "
                "[exog=COLS] [level=0.9] [lags=12] [epochs=200] [seed=N] [threads=N] "
                "[intervals=conformal] [replace=yes] [as NAME]",
    .help = "Forecast each series of a table of regular series (one row per period and "
            "group, as series writes it): the model is fitted on all but the last holdout "
            "periods, predicts them and horizon periods beyond, and is scored on the "
            "holdout by R (Pearson), MAE, RMSE, MAPE, sMAPE, MASE, the largest relative "
            "error and the share of holdout values inside the level interval. One model "
            "per statement, or several with models= (below). Models: naive, snaive (one season back), drift, mean; ses, "
            "holt and holtwinters (exponential smoothing, parameters fitted by least "
            "squares as statsmodels' ExponentialSmoothing fits them; holtwinters notes a "
            "series fitted on under two seasons); theta; arima "
            "(seasonal ARIMA by exact maximum likelihood as statsmodels' SARIMAX, with "
            "order=p,d,q sorder=P,D,Q or orders chosen by a stepwise AICc search as R's "
            "auto.arima; it prints the model and AICc per series); and the neural "
            "networks mlp, cnn, rnn, lstm, gru and wavelet, which learn windows of lags "
            "past values -> the next value on the standardised series (early stopping on "
            "the last windows, patience; seed makes them reproducible), predict "
            "recursively, give intervals=conformal, ensemble or mcdropout, and write their "
            "loss per epoch to NAME_loss (plot loss NAME_loss); Ctrl-C while one trains "
            "keeps its best weights so far and forecasts the series done (interrupt=discard: "
            "nothing is written). The table "
            "NAME (default TABLE_forecast; replace=yes writes over one that exists) has the "
            "by column, period, part (train, holdout or future), actual, predicted, lower, "
            "upper, error and relative_error; the fitted forecasters are kept as model "
            "NAME. plot forecast NAME draws it. forecast NAME horizon=N continues from the "
            "stored forecasters: N steps past their fitting window into NAME_next (series, "
            "step, predicted, lower, upper). exog=COLS: for arima a regression with ARIMA "
            "errors on those columns, as SARIMAX(exog=); for a network more inputs, the "
            "regressors standardised, each window with those of the periods it predicts "
            "(explain cnn); each group's last rows with no value but every regressor are "
            "its future. models=A,B,... fits each model on "
            "the same training periods instead of one, scores them on the same holdout and "
            "prints one table, lowest RMSE first with the best marked (written to "
            "TABLE_compare).",
    .example = "forecast monthly date=period value=amount by=segment model=holtwinters",
    .args = cmd_forecast_args,
    .flags = CMD_WRITES | CMD_AS,
    .exec = cmd_forecast_exec,
};
