/*
 * cmd_plot_roc.c: `plot roc`, the ROC curve of a score column (such as
 * predict's INTO_LABEL probability) against the true labels, or of a
 * model (model=) scored on the table's rows against its target: the rates
 * come from src/classify/metrics.h, so the AUC in the legend is the one
 * evaluate prints.
 */
#include "plot_int.h"
#include "cmd_classify.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "classify/metrics.h"

#include "base/banned.h"

/*
 * The positive class among the labels: positive= when given; else the
 * label that the score column's name ends with after '_' (predicted_yes
 * scores 'yes'); else, with two labels, the second.
 */
static int
positive_class(const struct job *j, const struct pcats *labels, const char *score,
               struct qerr *err)
{
    const char *want = args_given(j->args, "positive") ? args_str(j->args, "positive") : NULL;
    for (int c = 0; want && c < labels->n; c++)
        if (strcmp(labels->names[c], want) == 0)
            return c;
    if (want)
        return qerr_set(err, QE_ARG, "positive=%s is not a value of '%s'", want,
                        j->cols[1].name);
    const char *tail = strrchr(score, '_');
    for (int c = 0; tail && c < labels->n; c++)
        if (strcmp(labels->names[c], tail + 1) == 0)
            return c;
    if (labels->n == 2)
        return 1;
    return qerr_set(err, QE_ARG, "'%s' has %d values; say which is positive with "
                                 "positive=LABEL",
                    j->cols[1].name, labels->n);
}

/* The curve and its AUC for scores s of k rows (isp: positive), with the legend name. */
static int
draw_curve(struct job *j, const unsigned char *isp, const double *s, long long k,
           const char *name, double *auc, struct qerr *err)
{
    double *fx = NULL, *ty = NULL;
    size_t np = 0;
    if (metrics_roc_curve(isp, s, (size_t)k, &fx, &ty, &np, err) < 0 ||
        metrics_roc_auc(isp, s, (size_t)k, auc, err) < 0) {
        free(fx);
        free(ty);
        return -1;
    }
    pj_own(j, fx);
    pj_own(j, ty);
    static const double diag[2] = {0, 1};
    struct plot_series *curve = pj_add_series(j);
    struct buf b = BUF_INIT;
    buf_addf(&b, "%s (AUC %.4f)", name, *auc);
    curve->name = pj_own(j, buf_detach(&b));
    curve->x = fx;
    curve->y = ty;
    curve->n = (long long)np;
    struct plot_series *chance = pj_add_series(j);
    chance->name = "chance";
    chance->x = diag;
    chance->y = diag;
    chance->n = 2;
    j->spec.xlabel = "false positive rate";
    j->spec.ylabel = "true positive rate";
    return 0;
}

/* model=MODEL: the model's probability of the positive class on the table's rows. */
static int
roc_of_model(struct job *j, struct cmd_result *res, struct qerr *err)
{
    const char *name = args_str(j->args, "model");
    struct model m = {0};
    struct clf_rows r = {0};
    double *proba = NULL;
    int pos, rc = -1;
    if (model_load(j->ctx->cat, name, &m, err) < 0 ||
        clf_positive(j->args, &m.enc, &pos, err) < 0 ||
        clf_read_model(j->ctx, j->args, j->table, name, &m, 1, 0, &r, err) < 0 ||
        clf_check_missing(m.method, &r, j->table, err) < 0)
        goto out;
    if (pos < 0 && m.enc.nclass != 2) {
        qerr_set(err, QE_ARG, "model %s has %d classes; say which is positive with "
                              "positive=LABEL", name, m.enc.nclass);
        goto out;
    }
    pos = pos < 0 ? 1 : pos;
    long long n = (long long)r.x.d.n, k = m.enc.nclass;
    proba = xmalloc((size_t)(n * k + 1) * sizeof *proba);
    unsigned char *isp = pj_own(j, xmalloc((size_t)(n + 1)));
    double *s = pj_own(j, xmalloc((size_t)(n + 1) * sizeof *s));
    if (model_predict(&m, &r.x.d, proba, NULL, err) < 0)
        goto out;
    for (long long i = 0; i < n; i++) {
        isp[i] = r.x.y[i] == pos;
        s[i] = proba[i * k + pos];
    }
    clf_report_rows(res, &r, j->table);
    double auc;
    if (draw_curve(j, isp, s, n, name, &auc, err) < 0)
        goto out;
    j->n_rows = n;
    pj_make_title(j, "%s: ROC of %s for %s = %s", j->table, name, m.enc.target,
                  m.enc.classes[pos]);
    result_text(res, "ROC AUC %.4f: %s ranks a random '%s' row above a random other row "
                     "that often (ties count half)",
                auc, name, m.enc.classes[pos]);
    rc = 0;
out:
    free(proba);
    clf_rows_release(&r);
    model_release(&m);
    return rc;
}

int
pj_build_roc(struct job *j, struct cmd_result *res, struct qerr *err)
{
    if (args_given(j->args, "model")) {
        if (args_given(j->args, "x") || args_given(j->args, "y"))
            return qerr_set(err, QE_ARG, "plot roc takes model=, or x= and y=, not both");
        return roc_of_model(j, res, err);
    }
    if (pj_need(j, "x", err) < 0 || pj_need(j, "y", err) < 0)
        return -1;
    const char *names[2] = {args_str(j->args, "x"), pj_ycol_name(j, 0)};
    if (pj_read_cols(j, names, 2, err) < 0)
        return -1;
    if (j->cols[0].is_text)
        return qerr_set(err, QE_ARG, "plot roc needs x= a column of scores (numbers), such as "
                                     "the probability column predict prob=yes writes");
    long long n = j->n_rows;
    int *cy = pj_own(j, xmalloc((size_t)(n ? n : 1) * sizeof *cy));
    if (pcats_make(j->ctx, &j->cols[1], MAX_CATS, &j->cats[1], cy, err) < 0)
        return -1;
    int pos = positive_class(j, &j->cats[1], j->cols[0].name, err);
    if (pos < 0)
        return -1;
    unsigned char *isp = pj_own(j, xmalloc((size_t)(n ? n : 1)));
    double *s = pj_own(j, xmalloc((size_t)(n ? n : 1) * sizeof *s));
    long long k = 0, left = 0;
    for (long long i = 0; i < n; i++) {
        if (cy[i] < 0 || isnan(j->cols[0].v[i])) {
            left++;
            continue;
        }
        isp[k] = cy[i] == pos;
        s[k++] = j->cols[0].v[i];
    }
    double auc;
    if (draw_curve(j, isp, s, k, j->cols[0].name, &auc, err) < 0)
        return -1;
    pj_make_title(j, "%s: ROC of %s for %s = %s", j->table, j->cols[0].name, j->cols[1].name,
                  j->cats[1].names[pos]);
    if (left)
        result_text(res, "%lld row%s without a score or a label left out", left,
                    left == 1 ? "" : "s");
    result_text(res, "ROC AUC %.4f: %s ranks a random '%s' row above a random other row "
                     "that often (ties count half)",
                auc, j->cols[0].name, j->cats[1].names[pos]);
    return 0;
}
