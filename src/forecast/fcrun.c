/*
 * fcrun.c: a forecast per group (fcrun.h).
 */
#include "forecast/fcrun.h"

#include <cblas.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/datetime.h"
#include "base/mem.h"
#include "forecast/fc_nn.h"
#include "prep/series.h"

#include "base/banned.h"

struct row {
    int32_t g;
    long long day;
    double y;
    long long i; /* the input row (its regressors) */
};

/* "group 'x'" for messages. */
static const char *
gname(const struct fc_run_in *in, int32_t id, char *buf, size_t size)
{
    if (in->names)
        snprintf(buf, size, "group '%s'", in->names[id]);
    else if (in->group)
        snprintf(buf, size, "group %d", (int)id);
    else
        snprintf(buf, size, "the series");
    return buf;
}

static int
cmp_row(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    if (x->g != y->g)
        return x->g < y->g ? -1 : 1;
    return (x->day > y->day) - (x->day < y->day);
}

/* Whether days[0..n) are the first days of consecutive months. */
static int
is_monthly(const struct row *r, long long n)
{
    for (long long i = 0; i < n; i++) {
        long long idx = series_period_of(r[i].day, SERIES_MONTH);
        if (series_period_start(idx, SERIES_MONTH) != r[i].day)
            return 0;
        if (i > 0 && idx != series_period_of(r[i - 1].day, SERIES_MONTH) + 1)
            return 0;
    }
    return 1;
}

static long long
period_day(const struct fc_run_out *o, long long first, long long k)
{
    if (o->monthly)
        return series_period_start(series_period_of(first, SERIES_MONTH) + k, SERIES_MONTH);
    return first + k * o->step_days;
}

/* A group's share of the run's progress: base + span x the fit's fraction. */
struct gtick {
    const struct fc_run_in *in;
    double base, span;
};

static int
group_progress(void *p, double f)
{
    struct gtick *g = p;
    return g->in->progress(g->in->pctx, g->base + g->span * (f < 0 ? 0 : f));
}

/*
 * Fit one group's series r[0..n) and write its rows to out from row at
 * on (they are n + horizon, or n with regressors: group_rows); base and
 * span: the group's share of the progress. A fit that Ctrl-C ended with
 * a model kept (the neural ones) sets o->stopped. Groups write apart, so
 * several may run at once (run_parallel).
 */
static int
run_group(const struct fc_run_in *in, struct fc_run_out *o, const struct row *r, long long n,
          long long at, struct fc_run_group *g, double base, double span, struct qerr *err)
{
    char gb[300];
    int kx = in->k_exog;
    long long nf = 0; /* with regressors: the trailing rows without a value are the future */
    while (kx && nf < n && isnan(r[n - 1 - nf].y))
        nf++;
    long long nobs = n - nf, ntr = nobs - in->holdout;
    if (ntr < 2)
        return qerr_set(err, QE_DATA, "%s has %lld values: too few to hold out %d and "
                        "fit on the rest", gname(in, g->id, gb, sizeof gb), nobs,
                        in->holdout);
    double *y = mem_alloc((size_t)n, sizeof(double), "forecast", "a series", err);
    int h = in->holdout + (kx ? (int)nf : in->horizon);
    double *mu = mem_alloc((size_t)h + 1, 3 * sizeof(double), "forecast", "the forecasts", err);
    double *x = kx ? mem_alloc((size_t)n, (size_t)kx * sizeof(double), "forecast",
                               "the regressors", err) : NULL;
    int rc = -1;
    if (!y || !mu || (kx && !x))
        goto out;
    for (long long i = 0; i < n * kx; i++) {
        x[i] = in->exog[r[i / kx].i * kx + i % kx];
        if (isnan(x[i])) {
            qerr_set(err, QE_DATA, "regressor %d of %s is missing in period %lld; exog= "
                     "needs every regressor in every period, the future ones too",
                     (int)(i % kx) + 1, gname(in, g->id, gb, sizeof gb), i / kx + 1);
            goto out;
        }
    }
    for (long long i = 0; i < nobs; i++) {
        y[i] = r[i].y;
        if (isnan(y[i])) {
            qerr_set(err, QE_DATA, "value %lld of %s is missing; forecast needs every "
                     "period (series fill=zero fills them)", i + 1, gname(in, g->id, gb, sizeof gb));
            goto out;
        }
    }
    struct fc_opts opts = in->opts;
    opts.x = x;
    opts.kx = kx;
    g->acf = NAN;
    if (opts.season < 0)
        opts.season = fc_season_detect(y, ntr, &g->acf);
    g->season = opts.season;
    if (in->opts.season < 0 && opts.season == 0 && in->method->needs_season) {
        qerr_set(err, QE_ARG, "season=auto found no season in %s (no autocorrelation "
                 "peak over 2/sqrt(%lld)); give season=N", gname(in, g->id, gb, sizeof gb), ntr);
        goto out;
    }
    struct gtick gt = {in, base, span};
    struct tick tk;
    tick_init(&tk, in->progress ? group_progress : NULL, &gt);
    tick_set_note(&tk, in->progress ? in->note : NULL, in->pctx);
    if (!g->model && in->method->fit(y, ntr, &opts, &tk, &g->model, err) < 0) {
        /* say which series */
        if (in->group && err->msg) {
            char *msg = strdup(err->msg);
            enum qerr_code code = err->code;
            qerr_clear(err);
            qerr_set(err, code, "%s: %s", gname(in, g->id, gb, sizeof gb), msg ? msg : "");
            free(msg);
        }
        goto out;
    }
    if (!in->global && in->progress) /* (run_parallel's groups run without) */
        o->stopped = tk.stopped;
    double *lo = mu + h, *hi = mu + 2 * h;
    if (kx ? in->method->predict_x(g->model, h, x + ntr * kx, in->level, mu, lo, hi, err) < 0
           : in->method->predict(g->model, h, in->level, mu, lo, hi, err) < 0)
        goto out;
    const struct fc_fit *ff = g->model;
    if (strcmp(in->method->name, "theta") == 0 || strcmp(in->method->name, "holtwinters") == 0 ||
        strcmp(in->method->name, "snaive") == 0)
        g->season = ff->m;
    long long cover = 0, ncov = 0;
    for (long long i = 0; i < ntr + h; i++) {
        long long k = at + i;
        o->group[k] = g->id;
        o->day[k] = (double)period_day(o, r[0].day, i);
        o->part[k] = i < ntr ? FC_TRAIN : i < nobs ? FC_HOLDOUT : FC_FUTURE;
        o->actual[k] = i < nobs ? y[i] : NAN;
        double p = i < ntr ? NAN : mu[i - ntr], l = i < ntr ? NAN : lo[i - ntr],
               u = i < ntr ? NAN : hi[i - ntr];
        o->pred[k] = p;
        o->lower[k] = l;
        o->upper[k] = u;
        o->error[k] = o->part[k] == FC_HOLDOUT ? y[i] - p : NAN;
        o->relerr[k] = o->part[k] == FC_HOLDOUT && y[i] != 0 ? (y[i] - p) / fabs(y[i]) : NAN;
        if (o->part[k] == FC_HOLDOUT && isfinite(l) && isfinite(u)) {
            ncov++;
            cover += y[i] >= l && y[i] <= u;
        }
    }
    fc_metrics(y + ntr, mu, in->holdout, fc_mase_scale(y, ntr, g->season), &g->met);
    g->coverage = ncov ? (double)cover / (double)ncov : NAN;
    g->n = nobs;
    rc = 0;
out:
    free(y);
    free(mu);
    free(x);
    return rc;
}

/*
 * global=yes: one network over every group's training values; each group
 * of o->g gets its model (the first owns the network). Ctrl-C during the
 * training keeps the best weights and sets o->stopped = 2.
 */
static int
fit_global(const struct fc_run_in *in, struct fc_run_out *o, const struct row *r, long long n,
           struct qerr *err)
{
    int k = 0, rc = -1, lags = in->opts.nn ? in->opts.nn->lags : 12;
    for (long long i = 0; i < n; i++)
        k += i == 0 || r[i].g != r[i - 1].g;
    double **ys = mem_calloc((size_t)k, sizeof(double *), "forecast", "the series", err);
    long long *ns = mem_calloc((size_t)k, sizeof(long long), "forecast", "the series", err);
    void **models = mem_calloc((size_t)k, sizeof(void *), "forecast", "the series", err);
    if (!ys || !ns || !models)
        goto out;
    int j = 0;
    for (long long s = 0; s < n; j++) {
        long long e = s + 1;
        char gb[300];
        while (e < n && r[e].g == r[s].g)
            e++;
        o->g[j].id = r[s].g;
        ns[j] = e - s - in->holdout;
        if (ns[j] < (long long)lags + 2) {
            qerr_set(err, QE_DATA, "%s has %lld values to fit: too few for lags=%d (a network "
                     "needs lags + 2)", gname(in, r[s].g, gb, sizeof gb), ns[j], lags);
            goto out;
        }
        ys[j] = mem_alloc((size_t)ns[j], sizeof(double), "forecast", "a series", err);
        if (!ys[j])
            goto out;
        for (long long i = 0; i < ns[j]; i++) {
            ys[j][i] = r[s + i].y;
            if (isnan(ys[j][i])) {
                qerr_set(err, QE_DATA, "value %lld of %s is missing; forecast needs every "
                         "period (series fill=zero fills them)", i + 1,
                         gname(in, r[s].g, gb, sizeof gb));
                goto out;
            }
        }
        s = e;
    }
    struct gtick gt = {in, 0, 0.9};
    struct tick tk;
    tick_init(&tk, in->progress ? group_progress : NULL, &gt);
    tick_set_note(&tk, in->progress ? in->note : NULL, in->pctx);
    if (fc_nn_fit_global(in->method, (const double *const *)ys, ns, k, &in->opts, &tk, models,
                         err) < 0)
        goto out;
    for (int i = 0; i < k; i++)
        o->g[i].model = models[i];
    o->n_groups = k;
    o->stopped = tk.stopped ? 2 : 0;
    rc = 0;
out:
    for (int i = 0; ys && i < k; i++)
        free(ys[i]);
    free(ys);
    free(ns);
    free(models);
    return rc;
}

static int run_all(const struct fc_run_in *in, struct fc_run_out *o, struct qerr *err);

int
fc_run(const struct fc_run_in *in, struct fc_run_out *o, struct qerr *err)
{
    memset(o, 0, sizeof(*o));
    if (!in->method->fit)
        return qerr_set(err, QE_ARG, "model=%s is not built yet", in->method->name);
    if (in->global && !fc_nn_is(in->method))
        return qerr_set(err, QE_ARG, "global=yes needs a neural model, not model=%s",
                        in->method->name);
    if (in->k_exog && (!in->method->predict_x || in->global))
        return qerr_set(err, QE_ARG, "exog= goes with model=arima (a regression with ARIMA "
                        "errors) or a network (mlp, cnn, rnn, lstm, gru, wavelet; one per "
                        "series), not model=%s%s", in->method->name,
                        in->global ? " global=yes" : "");
    int blas = in->threads > 0 && fc_nn_is(in->method) ? openblas_get_num_threads() : 0;
    if (blas)
        openblas_set_num_threads(in->threads);
    int rc = run_all(in, o, err);
    if (blas)
        openblas_set_num_threads(blas);
    return rc;
}

/* The output rows of a group of n rows: its values and the horizon, or n with regressors. */
static long long
group_rows(const struct fc_run_in *in, long long n)
{
    return in->k_exog ? n : n + in->horizon;
}

/* Whether the groups run on threads: a classical method, several groups, threads > 1. */
static int
parallel(const struct fc_run_in *in)
{
    return in->threads > 1 && in->n_groups > 1 && !fc_nn_is(in->method) && !in->global;
}

/* The groups of run_parallel: group i is rows [start[i], start[i + 1]) of r, out from at[i]. */
struct pjob {
    const struct fc_run_in *in; /* progress NULL: only the caller's thread reports */
    const struct fc_run_in *caller;
    struct fc_run_out *o;
    const struct row *r;
    const long long *start, *at;
    int k;
    atomic_int next, done, stop;
    struct qerr *err; /* per group */
};

static void *
pjob_run(void *arg)
{
    struct pjob *j = arg;
    int i;
    while (!atomic_load(&j->stop) && (i = atomic_fetch_add(&j->next, 1)) < j->k) {
        struct fc_run_group *g = &j->o->g[i];
        g->id = j->r[j->start[i]].g;
        if (run_group(j->in, j->o, j->r + j->start[i], j->start[i + 1] - j->start[i], j->at[i],
                      g, 0, 0, &j->err[i]) < 0)
            atomic_store(&j->stop, 1);
        atomic_fetch_add(&j->done, 1);
    }
    return NULL;
}

/*
 * Every group of r[0..n) on in->threads threads (the caller's among them,
 * which alone reports progress, between groups): each group is fitted
 * alone and writes its own rows, so the output is the same as one
 * thread's to the bit, and the error the first failing group's.
 */
static int
run_parallel(const struct fc_run_in *in, struct fc_run_out *o, const struct row *r, long long n,
             struct qerr *err)
{
    int k = 0;
    for (long long i = 0; i < n; i++)
        k += i == 0 || r[i].g != r[i - 1].g;
    struct fc_run_in quiet = *in;
    quiet.progress = NULL;
    struct pjob j = {.in = &quiet, .caller = in, .o = o, .r = r, .k = k};
    long long *start = mem_alloc((size_t)k + 1, 2 * sizeof(long long), "forecast", "the groups",
                                 err);
    j.err = mem_calloc((size_t)k, sizeof(struct qerr), "forecast", "the groups", err);
    int nt = in->threads < k ? in->threads : k, rc = -1;
    pthread_t *th = mem_calloc((size_t)nt, sizeof(*th), "forecast", "the threads", err);
    int *started = mem_calloc((size_t)nt, sizeof(int), "forecast", "the threads", err);
    if (!start || !j.err || !th || !started)
        goto out;
    long long *at = start + k + 1;
    int gi = 0;
    for (long long i = 0; i < n; i++)
        if (i == 0 || r[i].g != r[i - 1].g) {
            start[gi] = i;
            at[gi] = gi ? at[gi - 1] + group_rows(in, i - start[gi - 1]) : 0;
            gi++;
        }
    start[k] = n;
    j.start = start;
    j.at = at;
    for (int i = 0; i < k; i++)
        qerr_init(&j.err[i]);
    for (int t = 1; t < nt; t++)
        started[t] = pthread_create(&th[t], NULL, pjob_run, &j) == 0;
    /* the caller's thread: a group at a time, then the progress (Ctrl-C stops the others) */
    for (int i; !atomic_load(&j.stop) && (i = atomic_fetch_add(&j.next, 1)) < k;) {
        struct fc_run_group *g = &o->g[i];
        g->id = r[start[i]].g;
        if (run_group(&quiet, o, r + start[i], start[i + 1] - start[i], at[i], g, 0, 0,
                      &j.err[i]) < 0)
            atomic_store(&j.stop, 1);
        atomic_fetch_add(&j.done, 1);
        if (in->progress && !atomic_load(&j.stop) &&
            in->progress(in->pctx, (double)atomic_load(&j.done) / k)) {
            atomic_store(&j.stop, 1);
            qerr_set(err, QE_INTERRUPT, "forecast cancelled");
        }
    }
    for (int t = 1; t < nt; t++)
        if (started[t])
            pthread_join(th[t], NULL);
    o->n_groups = k; /* the models fitted are released with the run, the others are NULL */
    if (err->code)
        goto out;
    for (int i = 0; i < k; i++)
        if (j.err[i].code) { /* the first group that failed, as one thread would say */
            qerr_set(err, j.err[i].code, "%s", j.err[i].msg ? j.err[i].msg : "failed");
            if (j.err[i].hint)
                qerr_hint(err, "%s", j.err[i].hint);
            goto out;
        }
    if (atomic_load(&j.stop) || atomic_load(&j.done) < k) {
        qerr_set(err, QE_INTERNAL, "forecast: a group was not run");
        goto out;
    }
    o->n = at[k - 1] + group_rows(in, n - start[k - 1]);
    rc = 0;
out:
    for (int i = 0; j.err && i < k; i++)
        qerr_clear(&j.err[i]);
    free(j.err);
    free(start);
    free(th);
    free(started);
    return rc;
}

/* fc_run past its checks, under the threads asked. */
static int
run_all(const struct fc_run_in *in, struct fc_run_out *o, struct qerr *err)
{
    struct row *r = mem_alloc((size_t)in->n_rows + 1, sizeof(*r), "forecast", "the rows", err);
    if (!r)
        return -1;
    long long n = 0;
    for (long long i = 0; i < in->n_rows; i++) {
        int32_t g = in->group ? in->group[i] : 0;
        if (g < 0 || isnan(in->t[i]))
            continue;
        r[n++] = (struct row){g, datetime_day_of(in->t[i]), in->y[i], i};
    }
    int rc = -1;
    if (n == 0) {
        qerr_set(err, QE_DATA, "no row has a date and a group");
        goto out;
    }
    qsort(r, (size_t)n, sizeof(*r), cmp_row);
    /* the period: months, or the step of the first group's first two dates */
    long long g_end = 1;
    while (g_end < n && r[g_end].g == r[0].g)
        g_end++;
    o->monthly = is_monthly(r, g_end);
    o->step_days = g_end > 1 ? r[1].day - r[0].day : 1;
    size_t cap = (size_t)n + (size_t)in->n_groups * (size_t)in->horizon + 1;
    o->group = mem_alloc(cap, sizeof(int32_t), "forecast", "the result", err);
    o->day = mem_alloc(cap, sizeof(double), "forecast", "the result", err);
    o->part = mem_alloc(cap, sizeof(int), "forecast", "the result", err);
    o->actual = mem_alloc(cap, 6 * sizeof(double), "forecast", "the result", err);
    o->g = mem_calloc((size_t)in->n_groups + 1, sizeof(*o->g), "forecast", "the groups", err);
    if (!o->group || !o->day || !o->part || !o->actual || !o->g)
        goto out;
    o->pred = o->actual + cap;
    o->lower = o->pred + cap;
    o->upper = o->lower + cap;
    o->error = o->upper + cap;
    o->relerr = o->error + cap;
    for (long long s = 0; s < n;) { /* every series regular, before any fit */
        long long e = s + 1;
        while (e < n && r[e].g == r[s].g)
            e++;
        for (long long i = s + 1; i < e; i++) {
            long long want = o->monthly ? period_day(o, r[i - 1].day, 1)
                                        : r[i - 1].day + o->step_days;
            if (r[i].day != want) {
                char d[16], gb[300];
                datetime_format(r[i].day, d, sizeof d);
                qerr_set(err, QE_DATA, "%s is not a regular series: %s follows a gap or "
                         "repeats a period (make the series with `series`)",
                         gname(in, r[s].g, gb, sizeof gb), d);
                goto out;
            }
        }
        s = e;
    }
    if (in->global && fit_global(in, o, r, n, err) < 0)
        goto out;
    int gi = 0;
    if (parallel(in) && run_parallel(in, o, r, n, err) < 0)
        goto out;
    for (long long s = parallel(in) ? n : 0; s < n;) {
        long long e = s + 1;
        while (e < n && r[e].g == r[s].g)
            e++;
        struct fc_run_group *g = in->global ? &o->g[gi++] : &o->g[o->n_groups++];
        g->id = r[s].g;
        if (run_group(in, o, r + s, e - s, o->n, g, (double)s / (double)n,
                      (double)(e - s) / (double)n, err) < 0)
            goto out;
        o->n += group_rows(in, e - s);
        if (o->stopped == 1)
            break;
        if (!o->stopped && in->progress && in->progress(in->pctx, (double)e / (double)n)) {
            qerr_set(err, QE_INTERRUPT, "forecast cancelled");
            goto out;
        }
        s = e;
    }
    /* every group's holdout together */
    double *a = mem_alloc((size_t)n + 1, 2 * sizeof(double), "forecast", "the holdout", err);
    if (!a)
        goto out;
    long long k = 0, cover = 0, ncov = 0;
    for (long long i = 0; i < o->n; i++)
        if (o->part[i] == FC_HOLDOUT) {
            a[k] = o->actual[i];
            a[n + 1 + k] = o->pred[i];
            k++;
            if (isfinite(o->lower[i]) && isfinite(o->upper[i])) {
                ncov++;
                cover += o->actual[i] >= o->lower[i] && o->actual[i] <= o->upper[i];
            }
        }
    fc_metrics(a, a + n + 1, k, NAN, &o->all);
    free(a);
    double sm = 0;
    for (int i = 0; i < o->n_groups; i++)
        sm += o->g[i].met.mase;
    o->all_mase = sm / o->n_groups;
    o->all_coverage = ncov ? (double)cover / (double)ncov : NAN;
    rc = 0;
out:
    free(r);
    return rc;
}

void
fc_run_release(const struct fc_run_in *in, struct fc_run_out *o)
{
    for (int i = 0; o->g && i < o->n_groups; i++)
        if (in->method->release && o->g[i].model)
            in->method->release(o->g[i].model);
    free(o->g);
    free(o->group);
    free(o->day);
    free(o->part);
    free(o->actual);
    memset(o, 0, sizeof(*o));
}
