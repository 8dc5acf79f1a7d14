/*
 * cmd_classify_trace.c: `trace`, the arithmetic of one prediction of a
 * model made by train: the row as the model sees it (encoded), the
 * method's own account (cls_method.trace: naive Bayes' terms per class,
 * a tree's path, the linear scores, the neighbours, the trees' votes), and
 * the class probabilities.
 */
#include "cmd_classify.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/banned.h"

static const struct arg_spec cmd_trace_args[] = {
    {.name = "MODEL", .positional = 1, .type = ARG_TEXT, .required = 1,
     .help = "A model made by train (models lists them).", .comp = COMP_NONE},
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "The table the row is in; it needs the model's columns.", .comp = COMP_TABLES},
    {.name = "row", .type = ARG_INT, .def = "1", .min = 1, .max = 1e15,
     .help = "The row to trace: 1 is the first, in the table's order (as head shows it).",
     .comp = COMP_NONE},
    {0},
};

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

static int
cmd_trace_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
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
    if (m.method->trace)
        m.method->trace(m.state, x, (const char *const *)m.enc.names, &b);
    else
        buf_addf(&b, "%s has no trace of its arithmetic yet; show %s describes the model\n",
                 m.method->name, name);
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

const struct cmd_entry cmd_trace_entry = {
    .name = "trace",
    .family = "classify",
    .synopsis = "trace MODEL TABLE [row=1]",
    .help = "Show the arithmetic of one prediction of a model made by train, for checking it "
            "by hand or teaching: the row as the model sees it, then the method's account "
            "(naive Bayes: each class's log prior and each feature's log likelihood, their "
            "sums and the normalised probabilities; a tree: the path of splits; logreg: each "
            "class's linear score term by term; svm: each feature standardised, its weight "
            "and term, the bias and the decision; knn: the k neighbours with their distances, "
            "classes and weights, and the votes; forest: the first three trees' paths, each "
            "tree's leaf, the majority and the mean of the trees' shares), then the "
            "class probabilities and the predicted class. row=N is the Nth row of TABLE in "
            "its order.",
    .example = "trace city_nb customers row=3",
    .args = cmd_trace_args,
    .exec = cmd_trace_exec,
};
