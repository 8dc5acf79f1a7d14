/*
 * cmd_classify_predict.c: `predict MODEL TABLE`: a model made by train
 * labels each row of TABLE (and with prob=yes gives each class's
 * probability), written back as columns through kit_write; the rows are
 * read and encoded as the model was (clf_read_model, cmd_classify.c).
 */
#include "cmd_classify.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/mem.h"
#include "data/catalog_edit.h"

#include "base/banned.h"

/* --- predict ----------------------------------------------------------------- */

static const struct arg_spec cmd_predict_args[] = {
    {.name = "MODEL", .positional = 1, .type = ARG_TEXT, .required = 1,
     .help = "A model made by train (models lists them).", .comp = COMP_NONE},
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "The table to predict for; it needs the model's columns.", .comp = COMP_TABLES},
    {.name = "into", .type = ARG_TEXT, .def = "predicted",
     .help = "The column of predicted labels.", .comp = COMP_NONE},
    {.name = "prob", .type = ARG_BOOL, .def = "no",
     .help = "yes: also a column INTO_LABEL per class with its probability.",
     .comp = COMP_CHOICES},
    KIT_REPLACE_ARG,
    {0},
};

/* The output columns' names: into, then into_LABEL per class with prob=yes. */
static char **
out_names(const struct cmd_args *args, const struct encoding *e, int *n)
{
    const char *into = args_str(args, "into");
    int prob = (int)args_int(args, "prob");
    *n = 1 + (prob ? e->nclass : 0);
    char **names = calloc((size_t)*n, sizeof *names);
    for (int i = 0; names && i < *n; i++) {
        struct buf b = BUF_INIT;
        buf_adds(&b, into);
        if (i > 0)
            buf_addf(&b, "_%s", e->classes[i - 1]);
        names[i] = buf_detach(&b);
    }
    return names;
}

/* The predictions as columns of the frame's rows: labels, then probabilities. */
static int
write_predictions(struct cmd_ctx *ctx, const struct cmd_args *args, const char *table,
                  const struct clf_rows *r, char **names, int n_out, const double *proba,
                  const int *pred, struct qerr *err)
{
    const struct encoding *e = &r->enc;
    long long nr = r->f->n_rows;
    int k = e->nclass, rc = -1, integral = 1;
    double *v = mem_calloc(mem_mul((size_t)nr, (size_t)n_out) + 1, sizeof *v, "predict",
                           "predictions", err);
    const char **text = e->target_numeric
                            ? NULL
                            : mem_calloc((size_t)nr + 1, sizeof *text, "predict", "labels", err);
    struct frame_out *o = calloc((size_t)n_out, sizeof *o);
    if (!o)
        qerr_set(err, QE_NOMEM, "out of memory");
    if (!v || !o || (!e->target_numeric && !text))
        goto out;
    for (long long i = 0; i < nr * n_out; i++)
        v[i] = NAN;
    for (size_t i = 0; i < r->x.d.n; i++) {
        long long row = r->x.rows[i];
        if (text)
            text[row] = e->classes[pred[i]];
        else
            v[row] = e->class_values[pred[i]];
        for (int c = 0; c + 1 < n_out; c++)
            v[(long long)(c + 1) * nr + row] = proba[i * (size_t)k + (size_t)c];
    }
    for (int c = 0; e->target_numeric && c < k; c++)
        integral &= e->class_values[c] == floor(e->class_values[c]);
    o[0] = (struct frame_out){.name = names[0], .decl = text ? CATALOG_TEXT
                                                        : integral ? CATALOG_INTEGER
                                                                   : CATALOG_REAL,
                              .num = v, .text = text};
    for (int c = 1; c < n_out; c++)
        o[c] = (struct frame_out){.name = names[c], .decl = CATALOG_REAL,
                                  .num = v + (long long)c * nr};
    rc = kit_write(ctx, args, &table, r->f, o, n_out, NULL, err);
out:
    free(v);
    free(text);
    free(o);
    return rc;
}

static int
cmd_predict_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                 struct qerr *err)
{
    const char *table = args_str(args, "TABLE"), *name = args_str(args, "MODEL");
    struct model m = {0};
    struct clf_rows r = {0};
    char **names = NULL;
    int n_out = 0, rc = -1, *pred = NULL;
    double *proba = NULL;
    if (model_load(ctx->cat, name, &m, err) < 0) {
        kit_fail_at(args, "MODEL", err);
        goto out;
    }
    names = out_names(args, &m.enc, &n_out);
    if (!names || kit_claim(ctx, args, table, (const char *const *)names, n_out, "into", NULL, 0,
                            err) < 0 ||
        clf_read_model(ctx, args, table, name, &m, 0, 0, &r, err) < 0 ||
        clf_check_missing(m.method, &r, table, err) < 0)
        goto out;
    /* Probabilities only for prob=yes: the classes alone skip them (model_predict). */
    if (n_out > 1)
        proba = mem_alloc(mem_mul(r.x.d.n, (size_t)m.enc.nclass) + 1, sizeof *proba, "predict",
                          "probabilities", err);
    pred = mem_alloc(r.x.d.n + 1, sizeof *pred, "predict", "predictions", err);
    if ((n_out > 1 && !proba) || !pred)
        goto out;
    if (model_predict(&m, &r.x.d, proba, pred, err) < 0 ||
        write_predictions(ctx, args, table, &r, names, n_out, proba, pred, err) < 0)
        goto out;
    clf_report_rows(res, &r, table);
    const char *dest = args->as ? args->as : table;
    result_text(res, "%zu predictions of '%s' by %s (%s) in %s.%s%s", r.x.d.n, m.enc.target,
                name, m.method->name, dest, names[0],
                n_out > 1 ? ", with a probability column per class" : "");
    static const char *const head[] = {"predicted", "rows"};
    struct rtable *t = result_table(res, 2, head);
    for (int c = 0; c < m.enc.nclass; c++) {
        long long cnt = 0;
        for (size_t i = 0; i < r.x.d.n; i++)
            cnt += pred[i] == c;
        long long row = rtable_add_row(t);
        rtable_set(t, row, 0, m.enc.classes[c], 0);
        rtable_setf(t, row, 1, 1, "%lld", cnt);
    }
    rc = 0;
out:
    for (int i = 0; names && i < n_out; i++)
        free(names[i]);
    free(names);
    clf_rows_release(&r);
    model_release(&m);
    free(proba);
    free(pred);
    return rc;
}

const struct cmd_entry cmd_predict_entry = {
    .name = "predict",
    .family = "classify",
    .synopsis = "predict MODEL TABLE [into=predicted] [prob=yes] [replace=yes] [as NAME]",
    .help = "Write the label a model made by train predicts for each row of TABLE into the "
            "column into (in TABLE, or in a copy named by as), and with prob=yes a column "
            "INTO_LABEL per class holding its probability. TABLE needs the columns the model "
            "was trained on (its target need not be there). Text values the training never saw "
            "are counted, not an error. A column of those names that exists already is refused "
            "unless replace=yes.",
    .example = "predict city_nb customers into=city_guess",
    .args = cmd_predict_args,
    .flags = CMD_WRITES | CMD_AS,
    .exec = cmd_predict_exec,
};
