/*
 * cmd_trace_model.c: `trace`, the arithmetic of one prediction of a
 * model made by train: the row as the model sees it (encoded), the
 * method's own account (cls_method.trace: naive Bayes' terms per class,
 * a tree's path, the linear scores, the neighbours, the trees' votes), and
 * the class probabilities. The command's entry is in cmd_trace.c.
 */
#include "cmd_classify.h"
#include "cmd_trace.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/banned.h"

/* Append the class probabilities and the prediction of the row. */
static void
add_outcome(struct buf *b, const struct model *m, const double *proba)
{
    int best = model_argmax(proba, m->enc.nclass);
    buf_adds(b, "P(class):");
    for (int c = 0; c < m->enc.nclass; c++)
        buf_addf(b, " %s %.6g%s", m->enc.classes[c], proba[c],
                 c + 1 < m->enc.nclass ? "," : "");
    buf_addf(b, "\npredicted: %s", m->enc.classes[best]);
}

int
cmd_trace_model(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                struct qerr *err)
{
    const char *table = args_str(args, "TABLE"), *name = args_str(args, "MODEL");
    long long row = args_int(args, "row");
    struct model m = {0};
    struct clf_rows r = {0};
    struct buf b = BUF_INIT;
    double *proba = NULL;
    int rc = -1;
    if (model_load(ctx->cat, name, &m, err) < 0) {
        kit_fail_at(args, "MODEL", err);
        goto out;
    }
    if (clf_read_model(ctx, args, table, name, &m, 0, 0, &r, err) < 0)
        goto out;
    if (row > (long long)r.x.d.n) {
        qerr_set(err, QE_ARG, "'%s' has %zu rows; row=%lld is past the end", table, r.x.d.n, row);
        kit_fail_at(args, "row", err);
        goto out;
    }
    size_t i = (size_t)(row - 1), p = r.x.d.p;
    const double *x = r.x.x + i * p;
    struct cls_data one = r.x.d;
    one.x = x;
    one.n = 1;
    for (size_t j = 0; j < p && !m.method->takes_missing; j++)
        if (isnan(x[j])) {
            qerr_set(err, QE_DATA, "%s cannot take missing values, and row %lld lacks '%s'",
                     m.method->name, row, m.enc.names[j]);
            goto out;
        }
    proba = calloc((size_t)m.enc.nclass + 1, sizeof *proba);
    if (!proba) {
        qerr_set(err, QE_NOMEM, "out of memory");
        goto out;
    }
    if (model_predict(&m, &one, proba, NULL, err) < 0)
        goto out;
    buf_addf(&b, "row %lld of %s by %s (%s); classes:", row, table, name, m.method->name);
    for (int c = 0; c < m.enc.nclass; c++)
        buf_addf(&b, " %d=%s", c, m.enc.classes[c]);
    buf_adds(&b, "\n");
    if (m.method == &cls_lstm) {
        if (cmd_trace_lstm(ctx, args, &m, x, &b, err) < 0)
            goto out;
        res->changed = 1;
    } else if (args->as || kit_replacing(args) || args_given(args, "step") ||
               args_given(args, "layer")) {
        qerr_set(err, QE_ARG, "model %s (%s): step=, layer=, as NAME and replace= are for "
                 "the gate trace of an lstm model", name, m.method->name);
        err->pos = args->as ? args->as_pos : -1;
        if (!args->as)
            kit_fail_at(args, args_given(args, "step") ? "step" : args_given(args, "layer") ?
                        "layer" : "replace", err);
        goto out;
    } else if (m.method->trace) {
        m.method->trace(m.state, x, (const char *const *)m.enc.names, &b);
    } else {
        buf_addf(&b, "%s has no trace of its arithmetic yet; show %s describes the model\n",
                 m.method->name, name);
    }
    add_outcome(&b, &m, proba);
    result_text(res, "%s", b.data);
    rc = 0;
out:
    free(proba);
    buf_release(&b);
    clf_rows_release(&r);
    model_release(&m);
    return rc;
}
