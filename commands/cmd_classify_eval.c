/*
 * cmd_classify_eval.c: the classification family's measures: `evaluate`
 * (a stored model on a table with the truth), `cv` (k-fold
 * cross-validation of a method) and `compare` (several methods on the
 * same folds, with the corrected resampled t-test of the best against
 * each). The scores are src/classify/metrics.h's, the folds
 * src/classify/cv.h's.
 */
#include "cmd_classify.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "classify/cv.h"

#include "base/banned.h"

/* A score cell: fixed precision, NULL for NaN. */
static void
set_score(struct rtable *t, long long row, int col, double v)
{
    if (isnan(v))
        rtable_set(t, row, col, NULL, 0);
    else
        rtable_setf(t, row, col, 1, "%.4f", v);
}

/* --- evaluate ---------------------------------------------------------------- */

static const struct arg_spec cmd_evaluate_args[] = {
    {.name = "MODEL", .positional = 1, .type = ARG_TEXT, .required = 1,
     .help = "A model made by train (models lists them).", .comp = COMP_NONE},
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "A table with the model's columns and its target, the truth.",
     .comp = COMP_TABLES},
    {.name = "where", .type = ARG_TEXT,
     .help = "Score only the rows where this SQL condition holds, e.g. where=\"split = 'test'\".",
     .comp = COMP_NONE},
    {.name = "positive", .type = ARG_TEXT,
     .help = "The class the binary scores (ROC AUC, PR AUC) are about (default: the second "
             "label in sorted order).",
     .comp = COMP_NONE},
    {0},
};

/* The summary measures of m as a table: measure, value. */
static void
show_measures(struct cmd_result *res, const struct metrics *m, const struct encoding *e)
{
    static const char *const head[] = {"measure", "value"};
    struct rtable *t = result_table(res, 2, head);
    struct {
        const char *name;
        double v;
    } rows[] = {
        {"accuracy", m->accuracy},
        {"balanced_accuracy", m->balanced_accuracy},
        {"kappa", m->kappa},
        {"macro_precision", m->macro_precision},
        {"macro_recall", m->macro_recall},
        {"macro_f1", m->macro_f1},
        {"weighted_precision", m->weighted_precision},
        {"weighted_recall", m->weighted_recall},
        {"weighted_f1", m->weighted_f1},
        {"roc_auc", m->roc_auc},
        {"pr_auc", m->pr_auc},
        {"log_loss", m->log_loss},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (i >= 9 && i < 11 && m->k != 2)
            continue;
        long long r = rtable_add_row(t);
        rtable_set(t, r, 0, rows[i].name, 0);
        set_score(t, r, 1, rows[i].v);
    }
    if (m->k == 2)
        result_text(res, "roc_auc and pr_auc rank the rows by P('%s') (positive=LABEL to choose)",
                    e->classes[m->positive]);
}

/* Per class: support, precision, recall, F1; then the confusion matrix. */
static void
show_classes(struct cmd_result *res, const struct metrics *m, const struct encoding *e)
{
    static const char *const head[] = {"class", "support", "precision", "recall", "f1"};
    struct rtable *t = result_table(res, 5, head);
    for (int c = 0; c < m->k; c++) {
        long long r = rtable_add_row(t);
        rtable_set(t, r, 0, e->classes[c], 0);
        rtable_setf(t, r, 1, 1, "%lld", m->support[c]);
        set_score(t, r, 2, m->precision[c]);
        set_score(t, r, 3, m->recall[c]);
        set_score(t, r, 4, m->f1[c]);
    }
    result_text(res, "confusion matrix: a row per true class, a column per predicted class");
    char **head2 = calloc((size_t)m->k + 1, sizeof *head2);
    if (!head2)
        return;
    head2[0] = "true";
    for (int c = 0; c < m->k; c++)
        head2[c + 1] = e->classes[c];
    struct rtable *cm = result_table(res, m->k + 1, (const char *const *)head2);
    free(head2);
    for (int a = 0; a < m->k; a++) {
        long long r = rtable_add_row(cm);
        rtable_set(cm, r, 0, e->classes[a], 0);
        for (int b = 0; b < m->k; b++)
            rtable_setf(cm, r, b + 1, 1, "%lld", m->confusion[a * m->k + b]);
    }
}

static int
cmd_evaluate_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                  struct qerr *err)
{
    const char *table = args_str(args, "TABLE"), *name = args_str(args, "MODEL");
    struct model m = {0};
    struct clf_rows r = {0};
    struct metrics met = {0};
    double *proba = NULL;
    int *pred = NULL, pos, rc = -1;
    if (model_load(ctx->cat, name, &m, err) < 0) {
        kit_fail_at(args, "MODEL", err);
        goto out;
    }
    if (clf_positive(args, &m.enc, &pos, err) < 0 ||
        clf_read_model(ctx, args, table, name, &m, 1, 1, &r, err) < 0 ||
        clf_check_missing(m.method, &r, table, err) < 0)
        goto out;
    clf_report_rows(res, &r, table);
    if (r.x.d.n == 0) {
        qerr_set(err, QE_DATA, "no row of '%s' has a '%s' the model knows, so there is nothing "
                               "to score", table, m.enc.target);
        goto out;
    }
    proba = mem_calloc(mem_mul(r.x.d.n, (size_t)m.enc.nclass) + 1, sizeof *proba, "evaluate",
                       "probabilities", err);
    pred = mem_calloc(r.x.d.n + 1, sizeof *pred, "evaluate", "predictions", err);
    if (!proba || !pred)
        goto out;
    if (model_predict(&m, &r.x.d, proba, pred, err) < 0 ||
        metrics_compute(r.x.y, pred, proba, r.x.d.n, m.enc.nclass, pos, &met, err) < 0)
        goto out;
    result_text(res, "%s (%s) on %zu rows of %s%s%s", name, m.method->name, r.x.d.n, table,
                args_given(args, "where") ? " where " : "",
                args_given(args, "where") ? args_str(args, "where") : "");
    show_measures(res, &met, &m.enc);
    show_classes(res, &met, &m.enc);
    rc = 0;
out:
    metrics_release(&met);
    clf_rows_release(&r);
    model_release(&m);
    free(proba);
    free(pred);
    return rc;
}

const struct cmd_entry cmd_evaluate_entry = {
    .name = "evaluate",
    .family = "classify",
    .synopsis = "evaluate MODEL TABLE [where=SQL] [positive=LABEL]",
    .help = "Score a model made by train against the truth in TABLE (its target column): "
            "accuracy, balanced accuracy (the mean recall of the classes), Cohen's kappa, "
            "precision, recall and F1 per class with their macro (plain) and weighted (by "
            "support) means, the log loss, and for two classes the ROC AUC and PR AUC "
            "(average precision) of the positive class; then the confusion matrix. Rows "
            "without a target, or with a label the model never saw, are skipped and counted. "
            "where= scores a subset, such as the test rows of split. explain metrics gives "
            "the formulas. After predict (prob=yes), plot confusion TABLE x=predicted y=TARGET "
            "and plot roc TABLE x=predicted_LABEL y=TARGET draw them.",
    .example = "evaluate city_nb customers",
    .args = cmd_evaluate_args,
    .exec = cmd_evaluate_exec,
};

/* --- cv and compare: what they share ------------------------------------------ */

/* The measures of a fold, by index; the binary ones (from MEASURE_P) need two classes. */
enum { M_ACC, M_BAL, M_KAPPA, M_MP, M_MR, M_MF1, M_P, M_R, M_F1, M_AUC, M_PRAUC, M_LL, M_N };
static const char *const measure_names[M_N] = {
    "accuracy",  "balanced_accuracy", "kappa", "macro_precision", "macro_recall",
    "macro_f1",  "precision",         "recall", "f1",             "roc_auc",
    "pr_auc",    "log_loss"};

static double
measure(const struct metrics *m, int i)
{
    int p = m->positive;
    switch (i) {
    case M_ACC: return m->accuracy;
    case M_BAL: return m->balanced_accuracy;
    case M_KAPPA: return m->kappa;
    case M_MP: return m->macro_precision;
    case M_MR: return m->macro_recall;
    case M_MF1: return m->macro_f1;
    case M_P: return p >= 0 ? m->precision[p] : NAN;
    case M_R: return p >= 0 ? m->recall[p] : NAN;
    case M_F1: return p >= 0 ? m->f1[p] : NAN;
    case M_AUC: return m->roc_auc;
    case M_PRAUC: return m->pr_auc;
    default: return m->log_loss;
    }
}

/* Mean and sample sd of measure i over n folds (NaN folds left out). */
static void
mean_sd(const struct cv_fold *f, int n, int i, double *mean, double *sd)
{
    double s = 0, ss = 0;
    int k = 0;
    for (int q = 0; q < n; q++) {
        double v = measure(&f[q].m, i);
        if (!isnan(v)) {
            s += v;
            k++;
        }
    }
    *mean = k ? s / k : NAN;
    for (int q = 0; q < n; q++) {
        double v = measure(&f[q].m, i);
        if (!isnan(v))
            ss += (v - *mean) * (v - *mean);
    }
    *sd = k > 1 ? sqrt(ss / (k - 1)) : NAN;
}

/* The spec keys of cv and compare besides the options. */
#define CLF_CV_ARGS                                                                           \
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1,                     \
     .help = "The table to learn from.", .comp = COMP_TABLES},                                \
    {.name = "target", .type = ARG_COLUMN, .required = 1,                                    \
     .help = "The column to predict.", .comp = COMP_COLUMNS},                                 \
    {.name = "cols", .type = ARG_COLUMNS,                                                     \
     .help = "The columns to learn from (default: every other column but split and "         \
             "what predict wrote (predicted, predicted_*) and columns named like an id "     \
             "(customer_id, OrderID: an id is no measurement).",                             \
     .comp = COMP_COLUMNS},                                                                   \
    {.name = "folds", .type = ARG_INT, .def = "10", .min = 2, .max = 1000,                   \
     .help = "The number of folds.", .comp = COMP_NONE},                                     \
    {.name = "repeats", .type = ARG_INT, .def = "1", .min = 1, .max = 100,                   \
     .help = "Repeats of the whole cross-validation, each with its own shuffle.",            \
     .comp = COMP_NONE},                                                                      \
    {.name = "stratify", .type = ARG_BOOL, .def = "yes",                                     \
     .help = "yes: each fold holds each class in its share.", .comp = COMP_CHOICES},         \
    {.name = "positive", .type = ARG_TEXT,                                                    \
     .help = "Two classes: the one precision, recall, F1 and the AUCs are about (default: "  \
             "the second label in sorted order).",                                            \
     .comp = COMP_NONE}

/* One method's cross-validation on the statement's rows. */
struct fold_run {
    const struct cls_method *meth;
    struct clf_rows r;
    struct cv_fold *folds;
    int n_folds, positive;
    int refused;       /* the method cannot take the rows' missing values */
    double fit_s;      /* mean fit time per fold */
    double mean[M_N], sd[M_N];
};

static void
fold_run_release(struct fold_run *c)
{
    cv_folds_release(c->folds, c->n_folds);
    free(c->folds);
    clf_rows_release(&c->r);
    memset(c, 0, sizeof *c);
}

/*
 * Read the rows for meth, deal the folds (seeded) and run them: c holds
 * the folds and their means. The rows, and so the folds, are the same
 * for every method of one statement.
 */
static int
fold_run_run(struct cmd_ctx *ctx, const struct cmd_args *args, const struct cls_method *meth,
           uint64_t seed, struct fold_run *c, struct qerr *err)
{
    const char *table = args_str(args, "TABLE");
    struct cv_plan plan = {0};
    struct cls_opts o;
    double *priors = NULL;
    int rc = -1, folds = (int)args_int(args, "folds"), reps = (int)args_int(args, "repeats");
    c->meth = meth;
    if (clf_read_train(ctx, args, meth, &c->r, err) < 0)
        goto out;
    if (clf_check_missing(meth, &c->r, table, err) < 0) {
        c->refused = 1;
        goto out;
    }
    if (clf_positive(args, &c->r.enc, &c->positive, err) < 0 ||
        clf_opts(ctx, args, seed, &c->r.enc, &o, &priors, NULL, err) < 0 ||
        cv_plan_make(c->r.x.y, c->r.x.d.n, c->r.enc.nclass, folds, reps,
                     (int)args_int(args, "stratify"), seed, &plan, err) < 0)
        goto out;
    c->n_folds = folds * reps;
    c->folds = calloc((size_t)c->n_folds, sizeof *c->folds);
    if (!c->folds) {
        qerr_set(err, QE_NOMEM, "out of memory");
        goto out;
    }
    struct tick t;
    tick_init(&t, kit_progress, ctx);
    if (cv_run(meth, &c->r.x.d, &o, &plan, c->positive, &t, c->folds, err) < 0) {
        free(c->folds);
        c->folds = NULL;
        c->n_folds = 0;
        goto out;
    }
    for (int i = 0; i < M_N; i++)
        mean_sd(c->folds, c->n_folds, i, &c->mean[i], &c->sd[i]);
    for (int q = 0; q < c->n_folds; q++)
        c->fit_s += c->folds[q].fit_s / c->n_folds;
    rc = 0;
out:
    cv_plan_release(&plan);
    free(priors);
    return rc;
}

/* "10-fold cross-validation (stratified), 1 repeat, on 150 rows (seed=1)" */
static void
describe_cv(struct cmd_result *res, const struct cmd_args *args, const char *what,
            const struct fold_run *c, uint64_t seed)
{
    long long reps = args_int(args, "repeats");
    result_text(res, "%s: %lld-fold cross-validation%s, %lld repeat%s, on %zu rows (seed=%llu)",
                what, args_int(args, "folds"),
                args_int(args, "stratify") ? " (stratified)" : "", reps, kit_plural(reps),
                c->r.x.d.n, (unsigned long long)seed);
    if (c->r.enc.nclass == 2)
        result_text(res, "precision, recall, f1 and the AUCs are of the positive class '%s'",
                    c->r.enc.classes[c->positive >= 0 ? c->positive : 1]);
}

/* The folds of each method as a side table: model, repeat, fold, rows, measures, fit_s. */
static int
write_folds(struct cmd_ctx *ctx, const struct cmd_args *args, const char *name,
            const struct fold_run *c, int n_models, struct qerr *err)
{
    int binary = c[0].r.enc.nclass == 2, nm = binary ? M_N : M_P + 1, no = 5 + nm + 1;
    long long rows = 0;
    for (int i = 0; i < n_models; i++)
        rows += c[i].n_folds;
    double *v = calloc((size_t)rows * (size_t)no + 1, sizeof *v);
    const char **model = calloc((size_t)rows + 1, sizeof *model);
    struct frame_out o[5 + M_N + 1];
    int rc = -1;
    if (!v || !model) {
        qerr_set(err, QE_NOMEM, "out of memory for the folds");
        goto out;
    }
    long long r = 0;
    for (int i = 0; i < n_models; i++)
        for (int q = 0; q < c[i].n_folds; q++, r++) {
            const struct cv_fold *f = &c[i].folds[q];
            model[r] = c[i].meth->name;
            v[1 * rows + r] = f->repeat + 1;
            v[2 * rows + r] = f->fold + 1;
            v[3 * rows + r] = (double)f->n_train;
            v[4 * rows + r] = (double)f->n_test;
            for (int m = 0, col = 5; m < M_N; m++)
                if (m < M_P || binary || m == M_LL)
                    v[(long long)col++ * rows + r] = measure(&f->m, m);
            v[(long long)(no - 1) * rows + r] = f->fit_s;
        }
    o[0] = (struct frame_out){.name = "model", .decl = CATALOG_TEXT, .text = model};
    static const char *const fixed[] = {"", "repeat", "fold", "n_train", "n_test"};
    for (int k = 1; k < 5; k++)
        o[k] = (struct frame_out){.name = fixed[k], .decl = CATALOG_INTEGER,
                                  .num = v + (long long)k * rows};
    for (int m = 0, col = 5; m < M_N; m++)
        if (m < M_P || binary || m == M_LL) {
            o[col] = (struct frame_out){.name = measure_names[m], .decl = CATALOG_REAL,
                                        .num = v + (long long)col * rows};
            col++;
        }
    o[no - 1] = (struct frame_out){.name = "fit_s", .decl = CATALOG_REAL,
                                   .num = v + (long long)(no - 1) * rows};
    rc = kit_side_table(ctx, args, name, o, no, rows, err);
out:
    free(v);
    free(model);
    return rc;
}

/* --- cv ---------------------------------------------------------------------- */

static const struct arg_spec cmd_cv_args[] = {
    CLF_CV_ARGS,
    {.name = "model", .type = ARG_ENUM, .required = 1, .choices = CLF_MODELS,
     ARG_NAMES(clf_model_names), .help = "The method.", .comp = COMP_CHOICES},
    CLF_OPTION_ARGS("model=nb", "model=logreg|svm", "model=tree|forest", "model=forest",
                    "model=knn", "model=rules"),
    CLF_SEQ_ARGS("model=rnn|lstm|gru", "model=rnn|lstm|gru|wavelet"),
    KIT_REPLACE_ARG,
    {0},
};

static int
cmd_cv_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
            struct qerr *err)
{
    const char *table = args_str(args, "TABLE");
    const struct cls_method *meth;
    struct fold_run c = {0};
    char *name = args->as ? NULL : kit_name(table, "_cv");
    const char *side = args->as ? args->as : name;
    int rc = -1;
    if (clf_method(args, "model", args_str(args, "model"), &meth, err) < 0 ||
        kit_claim(ctx, args, table, NULL, 0, NULL, &side, 1, err) < 0)
        goto out;
    uint64_t seed = (uint64_t)kit_seed(ctx, args, res);
    if (fold_run_run(ctx, args, meth, seed, &c, err) < 0)
        goto out;
    clf_report_rows(res, &c.r, table);
    describe_cv(res, args, meth->name, &c, seed);
    static const char *const head[] = {"measure", "mean", "sd"};
    struct rtable *t = result_table(res, 3, head);
    int binary = c.r.enc.nclass == 2;
    for (int m = 0; m < M_N; m++) {
        if (m >= M_P && m < M_LL && !binary)
            continue;
        long long r = rtable_add_row(t);
        rtable_set(t, r, 0, measure_names[m], 0);
        set_score(t, r, 1, c.mean[m]);
        set_score(t, r, 2, c.sd[m]);
    }
    if (write_folds(ctx, args, side, &c, 1, err) < 0)
        goto out;
    result_text(res, "each fold's scores and fit time in %s", side);
    rc = 0;
out:
    fold_run_release(&c);
    free(name);
    return rc;
}

const struct cmd_entry cmd_cv_entry = {
    .name = "cv",
    .family = "classify",
    .synopsis = "cv TABLE target=COL [cols=COLS] "
                "model=nb|logreg|tree|forest|knn|svm|rules|rnn|lstm|gru|wavelet "
                "[folds=10] [repeats=1] [stratify=yes] [positive=LABEL] [options] [seed=N] "
                "[replace=yes] [as NAME]",
    .help = "Cross-validate a method: the rows are dealt into folds at random (seeded; "
            "stratified, each fold holds each class in its share), and for each fold the "
            "method is trained on the other folds and scored on it. Prints the mean and "
            "standard deviation (n-1) over the folds of accuracy, balanced accuracy, kappa, "
            "the macro precision, recall and F1, for two classes the positive class's "
            "precision, recall, F1, ROC AUC and PR AUC, and the log loss; writes each fold's "
            "scores and fit time to TABLE_cv (or as NAME). Options as for train. When the "
            "table has a split column, its train rows are used.",
    .example = "cv customers target=city cols=age model=nb folds=5 seed=1",
    .args = cmd_cv_args,
    .flags = CMD_WRITES | CMD_AS,
    .exec = cmd_cv_exec,
};

/* --- compare ----------------------------------------------------------------- */

static const struct arg_spec cmd_compare_args[] = {
    CLF_CV_ARGS,
    {.name = "models", .type = ARG_TEXT,
     .help = "The methods to compare, comma-separated (default: every one built but the "
             "sequence models rnn, lstm and gru, and wavelet).",
     .comp = COMP_NONE},
    {.name = "times", .type = ARG_BOOL, .def = "yes",
     .help = "no: leave the fit time out of the printed table (for output that must not "
             "change from run to run).",
     .comp = COMP_CHOICES},
    CLF_OPTION_ARGS(NULL, NULL, NULL, NULL, NULL, NULL),
    CLF_SEQ_ARGS(NULL, NULL),
    KIT_REPLACE_ARG,
    {0},
};

/* The methods of models= (or every one built) into meths (room for 16). */
static int
parse_models(const struct cmd_args *args, const struct cls_method **meths, int *n,
             struct qerr *err)
{
    *n = 0;
    if (!args_given(args, "models")) {
        for (int i = 0; cls_methods[i] && *n < 16; i++)
            if (!cls_methods[i]->reads_sequence && !cls_methods[i]->not_in_compare)
                /* sequences, networks trained per fold: models= names them */
                meths[(*n)++] = cls_methods[i];
        return 0;
    }
    char *list = strdup(args_str(args, "models")), *save = NULL;
    int rc = 0;
    for (char *tok = strtok_r(list, ",", &save); tok && rc == 0;
         tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        if (*n >= 16)
            rc = qerr_set(err, QE_ARG, "models= names at most 16 models");
        else
            rc = clf_method(args, "models", tok, &meths[(*n)++], err);
    }
    free(list);
    if (rc == 0 && *n == 0)
        rc = qerr_set(err, QE_ARG, "models= names no model; e.g. models=nb,tree");
    return rc;
}

static int
cmp_accuracy(const void *a, const void *b)
{
    const struct fold_run *x = *(const struct fold_run *const *)a;
    const struct fold_run *y = *(const struct fold_run *const *)b;
    return (x->mean[M_ACC] < y->mean[M_ACC]) - (x->mean[M_ACC] > y->mean[M_ACC]);
}

/* The models x measures table, best accuracy first, with the t-test against the best. */
static void
show_compare(struct cmd_result *res, const struct cmd_args *args, struct fold_run *c, int n)
{
    const struct fold_run *order[16];
    for (int i = 0; i < n; i++)
        order[i] = &c[i];
    /* Stable for ties: insertion by accuracy keeps the order models= gave. */
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && cmp_accuracy(&order[j - 1], &order[j]) > 0; j--) {
            const struct fold_run *tmp = order[j];
            order[j] = order[j - 1];
            order[j - 1] = tmp;
        }
    int binary = c[0].r.enc.nclass == 2, times = (int)args_int(args, "times");
    int ms[] = {M_ACC, binary ? M_P : M_MP, binary ? M_R : M_MR, binary ? M_F1 : M_MF1, M_AUC};
    int nms = binary ? 5 : 4;
    const char *head[12] = {"model"};
    int nh = 1;
    for (int i = 0; i < nms; i++)
        head[nh++] = i == 0 ? "accuracy" : i == 1 ? "precision" : i == 2 ? "recall"
                                                 : i == 3 ? "f1" : "roc_auc";
    if (times)
        head[nh++] = "fit_ms";
    head[nh++] = "vs_best";
    head[nh++] = "p";
    head[nh++] = "significant";
    struct rtable *t = result_table(res, nh, head);
    const struct fold_run *best = order[0];
    double ratio = 1.0 / ((double)args_int(args, "folds") - 1);
    double *a = calloc((size_t)best->n_folds + 1, sizeof *a);
    double *b = calloc((size_t)best->n_folds + 1, sizeof *b);
    for (int i = 0; i < n; i++) {
        const struct fold_run *m = order[i];
        long long r = rtable_add_row(t);
        int col = 0;
        rtable_set(t, r, col++, m->meth->name, 0);
        for (int q = 0; q < nms; q++)
            set_score(t, r, col++, m->mean[ms[q]]);
        if (times)
            rtable_setf(t, r, col++, 1, "%.1f", m->fit_s * 1000);
        if (i == 0 || !a || !b) {
            rtable_set(t, r, col++, "", 0);
            rtable_set(t, r, col++, "", 0);
            rtable_set(t, r, col++, i == 0 ? "best" : "", 0);
            continue;
        }
        for (int q = 0; q < best->n_folds; q++) {
            a[q] = best->folds[q].m.accuracy;
            b[q] = m->folds[q].m.accuracy;
        }
        double tt, p;
        metrics_ttest_corrected(a, b, best->n_folds, ratio, &tt, &p);
        set_score(t, r, col++, m->mean[M_ACC] - best->mean[M_ACC]);
        set_score(t, r, col++, p);
        rtable_set(t, r, col++, isnan(p) ? NULL : p < 0.05 ? "yes" : "no", 0);
    }
    free(a);
    free(b);
    result_text(res, "vs_best: accuracy minus the best's; p: the corrected resampled t-test "
                     "(Nadeau and Bengio) of the two over the same folds; significant at 0.05");
}

static int
cmd_compare_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                 struct qerr *err)
{
    const char *table = args_str(args, "TABLE");
    const struct cls_method *meths[16];
    struct fold_run c[16];
    int n = 0, done = 0, rc = -1;
    struct buf left = BUF_INIT, why_left = BUF_INIT;
    char *name = args->as ? NULL : kit_name(table, "_compare");
    const char *side = args->as ? args->as : name;
    memset(c, 0, sizeof c);
    if (parse_models(args, meths, &n, err) < 0 ||
        kit_claim(ctx, args, table, NULL, 0, NULL, &side, 1, err) < 0)
        goto out;
    uint64_t seed = (uint64_t)kit_seed(ctx, args, res);
    /* A method that cannot take the missing values is left out, and said so. */
    for (int i = 0; i < n; i++) {
        if (fold_run_run(ctx, args, meths[i], seed, &c[done], err) == 0) {
            done++;
            continue;
        }
        int refused = c[done].refused;
        fold_run_release(&c[done]);
        if (!refused)
            goto out;
        /* "logreg cannot take missing values: 183 rows ...": the names, then one reason. */
        if (!left.len) {
            const char *why = strstr(err->msg, ": ");
            buf_adds(&why_left, why ? why + 2 : err->msg);
        }
        buf_addf(&left, "%s%s", left.len ? ", " : "", meths[i]->name);
        qerr_clear(err);
    }
    if (done == 0) {
        qerr_set(err, QE_DATA, "no model could run: %s cannot take missing values (%s)",
                 left.data, why_left.data);
        qerr_hint(err, "fill the missing values first, e.g. clean %s missing=median, or "
                       "compare models=nb,tree,forest, which take them", table);
        goto out;
    }
    clf_report_rows(res, &c[0].r, table);
    if (left.len)
        result_text(res, "left out: %s, which cannot take missing values (%s; clean %s "
                         "missing=median fills them)",
                    left.data, why_left.data, table);
    describe_cv(res, args, "compare", &c[0], seed);
    show_compare(res, args, c, done);
    if (write_folds(ctx, args, side, c, done, err) < 0)
        goto out;
    result_text(res, "each model's fold scores and fit times in %s", side);
    rc = 0;
out:
    for (int i = 0; i < done; i++)
        fold_run_release(&c[i]);
    buf_release(&left);
    buf_release(&why_left);
    free(name);
    return rc;
}

/* compare TABLE date=... value=...: the forecasting form (cmd_forecast_compare.c) */
extern const struct cmd_entry cmd_compare_series_entry;

const struct cmd_entry cmd_compare_entry = {
    .name = "compare",
    .family = "classify",
    .synopsis = "compare TABLE target=COL [cols=COLS] [models=nb,logreg,...] [folds=10] "
                "[repeats=1] [stratify=yes] [positive=LABEL] [times=no] [options] [seed=N] "
                "[replace=yes] [as NAME]",
    .help = "Cross-validate several methods on the same folds (as cv) and print one table, "
            "best accuracy first: accuracy, precision, recall and F1 (of the positive class "
            "for two classes, else their macro means), ROC AUC for two classes, the mean fit "
            "time per fold, and the corrected resampled t-test (Nadeau and Bengio, as Weka's "
            "Experimenter) of each model's fold accuracies against the best's, so a small "
            "difference is not taken for a real one. Options apply to the models they name. "
            "A model that cannot take the rows' missing values is left out, and said so. "
            "Writes every fold's scores to TABLE_compare (or as NAME).",
    .example = "compare customers target=city cols=age models=nb folds=5 seed=1",
    .args = cmd_compare_args,
    .flags = CMD_WRITES | CMD_AS,
    .exec = cmd_compare_exec,
    .variant = &cmd_compare_series_entry,
    .variant_keys = "date|value",
};
