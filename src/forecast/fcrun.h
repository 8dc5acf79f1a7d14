/*
 * fcrun.h: a forecast over the groups of a table (the engine behind the
 * `forecast` command): per group, the rows sorted by date make a regular
 * series (monthly when every date is the first of consecutive months,
 * otherwise a constant step in days, as `series` writes them); the
 * method is fitted on all but the last `holdout` values, then predicts
 * the holdout and `horizon` periods beyond, and the holdout is scored.
 */
#ifndef QUARRY_FCRUN_H
#define QUARRY_FCRUN_H

#include <stdint.h>

#include "base/qerr.h"
#include "forecast/forecast.h"

struct fc_run_in {
    long long n_rows;
    const int32_t *group;  /* group id per row (-1: skipped); NULL: one group */
    int n_groups;
    const char *const *names; /* n_groups names for messages, or NULL */
    const double *t;       /* seconds since 1970 (NaN: skipped) */
    const double *y;       /* values; NaN in a group fails it (but see exog) */
    /* regressors, row-major n_rows x k_exog (method->predict_x needed): each group's
       trailing rows with a missing value and every regressor given are its future
       (horizon is then ignored), and no other regressor may be missing */
    const double *exog;
    int k_exog;
    /* a classical method: groups fitted at once (0, 1: one after another), the output
       the same on any number; a network: BLAS threads while it trains (0: as they are) */
    int threads;
    const struct fc_method *method;
    struct fc_opts opts;   /* opts.season < 0: detect per group from the autocorrelation */
    int horizon, holdout;
    int global;            /* 1: one network across the groups (neural methods) */
    double level;
    int (*progress)(void *pctx, double fraction);
    void *pctx;
    void (*note)(void *pctx, const char *text); /* what training is at (tick_note), or NULL */
};

enum fc_part { FC_TRAIN, FC_HOLDOUT, FC_FUTURE };

struct fc_run_group {
    int32_t id;
    long long n;           /* values in the series */
    int season;            /* the season used (0 none) */
    double acf;            /* its autocorrelation when detected, else NaN */
    struct fc_metrics met;
    double coverage;       /* share of holdout values inside the interval, NaN without one */
    void *model;           /* the fitted forecaster (method->release) */
};

struct fc_run_out {
    long long n;           /* output rows */
    int32_t *group;
    double *day;           /* the period's first day (day number) */
    int *part;             /* enum fc_part */
    double *actual, *pred, *lower, *upper, *error, *relerr;
    int n_groups;          /* groups forecast */
    struct fc_run_group *g;
    struct fc_metrics all; /* over every group's holdout */
    double all_mase;       /* the mean of the groups' MASE */
    double all_coverage;
    int stopped;           /* Ctrl-C ended training, the best weights so far kept: 1 the
                              last group's (later groups were not run), 2 the global
                              network's (every group forecast) */
    int monthly;           /* 1: periods are months, else step_days */
    long long step_days;
};

/*
 * Run it. Fails with QE_DATA naming the group when a series is not
 * regular, has a missing value or is too short for holdout + the method,
 * QE_ARG when a method needs a season and none is given or found, the
 * method's errors, QE_INTERRUPT when progress cancels. Release out after
 * success or failure.
 */
int fc_run(const struct fc_run_in *in, struct fc_run_out *out, struct qerr *err);
void fc_run_release(const struct fc_run_in *in, struct fc_run_out *out);

#endif
