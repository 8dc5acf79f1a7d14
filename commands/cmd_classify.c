/*
 * cmd_classify.c: the classification family's `train`, and what every
 * classification command shares (cmd_classify.h): reading a table into
 * encoded rows, the method options, the rows left out. predict is in
 * cmd_classify_predict.c; evaluate, cv and compare in cmd_classify_eval.c.
 *
 * A handler reads the columns (kit_read), encodes them
 * (src/classify/encoding.h), makes one engine call (a method's fit, or
 * model_predict) and keeps the model in the store (src/classify/model.h)
 * or writes the predictions back (kit_write).
 */
#include "cmd_classify.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/mem.h"
#include "data/catalog_edit.h"
#include "prep/keys.h"

#include "base/banned.h"

const char *const clf_model_names[11] = {[CLF_NB] = "nb",         [CLF_LOGREG] = "logreg",
                                         [CLF_TREE] = "tree",     [CLF_FOREST] = "forest",
                                         [CLF_KNN] = "knn",       [CLF_SVM] = "svm",
                                         [CLF_RULES] = "rules",   [CLF_RNN] = "rnn",
                                         [CLF_LSTM] = "lstm",     [CLF_GRU] = "gru",
                                         [CLF_WAVELET] = "wavelet"};
const char *const clf_classweights_names[2] = {"none", "auto"};
const char *const clf_criterion_names[2] = {[CLS_GINI] = "gini", [CLS_ENTROPY] = "entropy"};
const char *const clf_weights_names[2] = {[CLS_UNIFORM] = "uniform",
                                          [CLS_DISTANCE] = "distance"};

/* --- shared ------------------------------------------------------------------- */

int
clf_method(const struct cmd_args *args, const char *key, const char *name,
           const struct cls_method **m, struct qerr *err)
{
    *m = cls_method_find(name);
    if (*m)
        return 0;
    int known = 0;
    for (size_t i = 0; i < sizeof clf_model_names / sizeof clf_model_names[0]; i++)
        known |= strcmp(clf_model_names[i], name) == 0;
    struct buf built = BUF_INIT;
    for (int i = 0; cls_methods[i]; i++)
        buf_addf(&built, "%s%s", i ? ", " : "", cls_methods[i]->name);
    if (known)
        qerr_set(err, QE_ARG, "model '%s' is not built yet", name);
    else
        qerr_set(err, QE_ARG, "unknown model '%s'", name);
    qerr_hint(err, "the models built so far: %s", built.data);
    buf_release(&built);
    return kit_fail_at(args, key, err);
}

/* priors=0.7,0.3: one share per class, in the order of the sorted labels. */
static int
parse_priors(const struct cmd_args *args, const struct encoding *e, double **out,
             struct qerr *err)
{
    const char *s = args_str(args, "priors");
    double *v = calloc((size_t)e->nclass + 1, sizeof *v);
    int n = 0;
    if (!v)
        return qerr_set(err, QE_NOMEM, "out of memory");
    while (*s) {
        char *end;
        double x = strtod(s, &end);
        if (end == s || (*end && *end != ',') || n >= e->nclass || !(x >= 0 && x <= 1))
            break;
        v[n++] = x;
        s = *end ? end + 1 : end;
    }
    if (*s || n != e->nclass) {
        free(v);
        struct buf lab = BUF_INIT;
        for (int c = 0; c < e->nclass; c++)
            buf_addf(&lab, "%s%s", c ? ", " : "", e->classes[c]);
        qerr_set(err, QE_ARG, "priors= needs %d shares in [0, 1], one per class in the order %s",
                 e->nclass, lab.data);
        buf_release(&lab);
        return kit_fail_at(args, "priors", err);
    }
    *out = v;
    return 0;
}

int
clf_opts(struct cmd_ctx *ctx, const struct cmd_args *args, uint64_t seed,
         const struct encoding *e, struct cls_opts *o, double **priors, struct buf *params,
         struct qerr *err)
{
    static const char *const keys[] = {"alpha", "var_smoothing", "priors", "c", "tol",
                                       "max_iter", "criterion", "maxdepth", "minleaf",
                                       "minsplit", "trees", "features", "k", "weights",
                                       "minsup", "minconf", "bins", "maxlen",
                                       "embed", "hidden", "layers", "epochs", "batch", "lr",
                                       "patience", "classweights"};
    cls_opts_default(o);
    *priors = NULL;
    o->seed = seed;
    o->threads = ctx->set.threads;
    o->alpha = args_real(args, "alpha");
    o->var_smoothing = args_real(args, "var_smoothing");
    o->c = args_real(args, "c");
    o->tol = args_real(args, "tol");
    o->max_iter = args_given(args, "max_iter") ? (int)args_int(args, "max_iter") : 0;
    o->criterion = (enum cls_criterion)args_choice(args, "criterion");
    o->maxdepth = (int)args_int(args, "maxdepth");
    o->minleaf = (int)args_int(args, "minleaf");
    o->minsplit = (int)args_int(args, "minsplit");
    o->trees = (int)args_int(args, "trees");
    o->features = (int)args_int(args, "features");
    o->k = (int)args_int(args, "k");
    o->weights = (enum cls_weights)args_choice(args, "weights");
    o->minsup = args_real(args, "minsup");
    o->minconf = args_real(args, "minconf");
    o->bins = (int)args_int(args, "bins");
    o->maxlen = (int)args_int(args, "maxlen");
    o->embed = (int)args_int(args, "embed");
    o->hidden = (int)args_int(args, "hidden");
    o->layers = (int)args_int(args, "layers");
    o->epochs = (int)args_int(args, "epochs");
    o->batch = (int)args_int(args, "batch");
    o->lr = args_real(args, "lr");
    o->patience = (int)args_int(args, "patience");
    o->classweights = args_choice(args, "classweights");
    if (args_given(args, "priors")) {
        if (parse_priors(args, e, priors, err) < 0)
            return -1;
        o->priors = *priors;
    }
    for (size_t i = 0; params && i < sizeof keys / sizeof keys[0]; i++)
        if (args_given(args, keys[i]))
            buf_addf(params, "%s%s=%s", params->len ? " " : "", keys[i], args_str(args, keys[i]));
    return 0;
}

void
clf_rows_release(struct clf_rows *r)
{
    frame_release(r->f);
    free(r->use);
    if (r->own_enc)
        encoding_release(&r->enc);
    encoding_rows_release(&r->x);
    free(r->left_out);
    free(r->left_ids);
    memset(r, 0, sizeof *r);
}

/* Is name one of the n names (case-insensitively)? */
static int
has_name(char *const *names, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcasecmp(names[i], name) == 0)
            return 1;
    return 0;
}

/* The rows of a split column that say train: use[], or NULL when none do. */
static int
train_rows(const struct frame *f, int j, struct clf_rows *r, struct qerr *err)
{
    if (f->kind[j] != FRAME_TEXT)
        return 0;
    int train = -1;
    for (int l = 0; l < f->n_levels[j]; l++)
        if (strcmp(f->levels[j][l], "train") == 0)
            train = l;
    if (train < 0)
        return 0;
    r->use = mem_calloc((size_t)f->n_rows + 1, 1, "train", "rows", err);
    if (!r->use)
        return -1;
    for (long long i = 0; i < f->n_rows; i++)
        if (f->code[j][i] == train) {
            r->use[i] = 1;
            r->n_use++;
        }
    r->split = 1;
    return 0;
}

int
clf_read_train(struct cmd_ctx *ctx, const struct cmd_args *args, const struct cls_method *meth,
               struct clf_rows *r, struct qerr *err)
{
    const char *table = args_str(args, "TABLE"), *target = args_str(args, "target");
    const struct arg_val *cv = args_get(args, "cols");
    char **names = NULL, **decls = NULL;
    const char **cols = NULL;
    int n_names = 0, n = 0, rc = -1, n_seq = 0;
    memset(r, 0, sizeof *r);
    if (cmd_table_columns(ctx, table, &names, &decls, &n_names, err) < 0)
        return -1;
    cols = calloc((size_t)n_names + (size_t)cv->n_list + 3, sizeof *cols);
    if (!cols) {
        qerr_set(err, QE_NOMEM, "out of memory");
        goto out;
    }
    if (cv->n_list) {
        for (int i = 0; i < cv->n_list; i++) {
            if (strcasecmp(cv->list[i], target) == 0) {
                qerr_set(err, QE_ARG, "cols= holds the target '%s'; a model cannot learn a "
                                      "column from itself", target);
                kit_fail_at(args, "cols", err);
                goto out;
            }
            cols[n++] = cv->list[i];
        }
    } else {
        struct buf out = BUF_INIT, ids = BUF_INIT;
        for (int i = 0; i < n_names; i++) {
            if (strcasecmp(names[i], target) == 0 || strcasecmp(names[i], "split") == 0)
                continue;
            if (strcasecmp(names[i], "predicted") == 0 ||
                strncasecmp(names[i], "predicted_", 10) == 0) {
                buf_addf(&out, "%s%s", out.len ? ", " : "", names[i]);
                continue;
            }
            if (prep_key_id_name(names[i])) {
                buf_addf(&ids, "%s%s", ids.len ? ", " : "", names[i]);
                continue;
            }
            /* the event sequence (sequences): for the sequence models only, and all they read */
            if ((seqnn_position(names[i]) >= 0) != (meth->reads_sequence != 0)) {
                n_seq += seqnn_position(names[i]) >= 0;
                continue;
            }
            cols[n++] = names[i];
        }
        r->left_out = out.len ? buf_detach(&out) : NULL;
        r->left_ids = ids.len ? buf_detach(&ids) : NULL;
        r->n_seq_left = n_seq;
        buf_release(&out);
        buf_release(&ids);
    }
    if (n == 0) {
        qerr_set(err, QE_ARG, "'%s' has no column to learn '%s' from", table, target);
        goto out;
    }
    int with_split = has_name(names, n_names, "split") && strcasecmp(target, "split") != 0 &&
                     !has_name((char *const *)cols, n, "split");
    cols[n] = target;
    if (with_split)
        cols[n + 1] = "split";
    if (kit_read(ctx, table, cols, n + 1 + with_split, 0, &r->f, err) < 0 ||
        (with_split && train_rows(r->f, n + 1, r, err) < 0))
        goto out;
    r->own_enc = 1;
    if (encoding_fit(r->f, n, r->use, !meth->takes_categorical, &r->enc, err) < 0 ||
        encoding_apply(&r->enc, r->f, 1, r->use, NULL, &r->x, err) < 0)
        goto out;
    rc = 0;
out:
    free(cols);
    cmd_free_names(names, n_names);
    cmd_free_names(decls, n_names);
    return rc;
}

/* use[] from where=: the frame rows whose rowid the condition selects. */
static int
where_rows(struct cmd_ctx *ctx, const struct cmd_args *args, const char *table,
           struct clf_rows *r, struct qerr *err)
{
    long long *ids = NULL, n = 0;
    if (catalog_rows_where(ctx->cat, table, args_str(args, "where"), &ids, &n, err) < 0)
        return kit_fail_at(args, "where", err);
    r->use = mem_calloc((size_t)r->f->n_rows + 1, 1, "evaluate", "rows", err);
    if (!r->use) {
        free(ids);
        return -1;
    }
    long long k = 0;
    for (long long i = 0; i < r->f->n_rows; i++) {
        while (k < n && ids[k] < r->f->rowid[i])
            k++;
        if (k < n && ids[k] == r->f->rowid[i]) {
            r->use[i] = 1;
            r->n_use++;
        }
    }
    free(ids);
    return 0;
}

int
clf_read_model(struct cmd_ctx *ctx, const struct cmd_args *args, const char *table,
               const char *name, const struct model *m, int with_target, int where,
               struct clf_rows *r, struct qerr *err)
{
    const struct encoding *e = &m->enc;
    memset(r, 0, sizeof *r);
    const char **cols = calloc((size_t)e->n_cols + 2, sizeof *cols);
    if (!cols)
        return qerr_set(err, QE_NOMEM, "out of memory");
    for (int j = 0; j < e->n_cols; j++)
        cols[j] = e->cols[j];
    cols[e->n_cols] = e->target;
    int rc = -1;
    if (kit_read(ctx, table, cols, e->n_cols + with_target, 0, &r->f, err) < 0) {
        struct buf need = BUF_INIT;
        for (int j = 0; j < e->n_cols + with_target; j++)
            buf_addf(&need, "%s%s", j ? ", " : "", cols[j]);
        qerr_hint(err, "model %s needs the columns %s", name, need.data);
        buf_release(&need);
        goto out;
    }
    if (where && args_given(args, "where") &&
        where_rows(ctx, args, table, r, err) < 0)
        goto out;
    r->enc = *e; /* borrowed: own_enc stays 0 */
    if (encoding_apply(e, r->f, with_target, r->use, NULL, &r->x, err) < 0)
        goto out;
    rc = 0;
out:
    free(cols);
    return rc;
}

int
clf_check_missing(const struct cls_method *meth, const struct clf_rows *r, const char *table,
                  struct qerr *err)
{
    if (meth->takes_missing)
        return 0;
    struct buf names = BUF_INIT;
    long long n = encoding_missing(&r->enc, &r->x, &names);
    if (n > 0) {
        qerr_set(err, QE_DATA, "%s cannot take missing values: %lld row%s of '%s' lack%s a value "
                               "in %s",
                 meth->name, n, kit_plural(n), table, n == 1 ? "s" : "", names.data);
        qerr_hint(err, "fill them first, e.g. clean %s missing=median, or use model=nb, tree "
                       "or forest, which take them",
                  table);
    }
    buf_release(&names);
    return n > 0 ? -1 : 0;
}

void
clf_report_rows(struct cmd_result *res, const struct clf_rows *r, const char *table)
{
    if (r->left_out)
        result_text(res, "left out of the features: %s (what predict wrote; name them in cols= "
                         "to use them)",
                    r->left_out);
    if (r->left_ids)
        result_text(res, "left out of the features: %s (named like an id, which is no "
                         "measurement; name it in cols= to use it)",
                    r->left_ids);
    if (r->n_seq_left)
        result_text(res, "left out of the features: the event sequence seq_* (%d columns; "
                         "model=rnn|lstm|gru reads it)", r->n_seq_left);
    if (r->split)
        result_text(res, "the table has a split column: training on its %lld 'train' rows "
                         "(of %lld)",
                    r->n_use, r->f->n_rows);
    struct kit_skips s = {BUF_INIT, 0};
    kit_skip(&s, r->x.n_no_target, "without a '%s'", r->enc.target);
    if (kit_skip(&s, r->x.n_other_class, "whose '%s' is no class of the model", r->enc.target))
        buf_addf(&s.text, " (e.g. '%s')", r->x.other_example ? r->x.other_example : "");
    kit_skips_report(res, &s);
    if (r->x.n_unseen > 0)
        result_text(res, "%lld text value%s not seen in training (%s)", r->x.n_unseen,
                    r->x.n_unseen == 1 ? " was" : "s were",
                    r->enc.onehot ? "all zeros in their one-hot columns"
                                  : "left out of the product, as a missing value");
}

int
clf_positive(const struct cmd_args *args, const struct encoding *e, int *pos, struct qerr *err)
{
    *pos = -1;
    if (!args_given(args, "positive"))
        return 0;
    *pos = encoding_class_find(e, args_str(args, "positive"));
    if (*pos >= 0)
        return 0;
    struct buf lab = BUF_INIT;
    for (int c = 0; c < e->nclass; c++)
        buf_addf(&lab, "%s%s", c ? ", " : "", e->classes[c]);
    qerr_set(err, QE_ARG, "positive=%s is not a class of '%s'; the classes are %s",
             args_str(args, "positive"), e->target, lab.data);
    buf_release(&lab);
    return kit_fail_at(args, "positive", err);
}

int
clf_show(struct cmd_ctx *ctx, const char *name, struct cmd_result *res, struct qerr *err)
{
    struct model m;
    struct buf b = BUF_INIT;
    int rc = -1;
    if (model_load(ctx->cat, name, &m, err) < 0 || model_show(&m, name, &b, err) < 0)
        goto out;
    if (b.len && b.data[b.len - 1] == '\n')
        b.data[--b.len] = '\0';
    result_text(res, "%s", b.data);
    rc = 0;
out:
    buf_release(&b);
    model_release(&m);
    return rc;
}

/* --- train ------------------------------------------------------------------- */

static const struct arg_spec cmd_train_args[] = {
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "The table to learn from.", .comp = COMP_TABLES},
    {.name = "target", .type = ARG_COLUMN, .required = 1,
     .help = "The column to predict: its distinct values are the classes.",
     .comp = COMP_COLUMNS},
    {.name = "cols", .type = ARG_COLUMNS,
     .help = "The columns to learn from, numbers and text (default: every other column but "
             "split, what predict wrote (predicted, predicted_*) and columns named like an "
             "id (customer_id, OrderID: an id is no measurement).",
     .comp = COMP_COLUMNS},
    {.name = "model", .type = ARG_ENUM, .required = 1, .choices = CLF_MODELS,
     ARG_NAMES(clf_model_names), .help = "The method.", .comp = COMP_CHOICES},
    CLF_OPTION_ARGS("model=nb", "model=logreg|svm", "model=tree|forest", "model=forest",
                    "model=knn", "model=rules"),
    CLF_SEQ_ARGS("model=rnn|lstm|gru", "model=rnn|lstm|gru|wavelet"),
    KIT_REPLACE_ARG,
    {0},
};

/* The training scores: accuracy, and what always answering the commonest class scores. */
static void
report_fit(struct cmd_result *res, const struct model *m, const struct clf_rows *r,
           const double *proba, int *pred)
{
    const struct cls_data *d = &r->x.d;
    long long right = 0, *count = calloc((size_t)d->nclass + 1, sizeof *count);
    for (size_t i = 0; i < d->n; i++) {
        pred[i] = model_argmax(proba + i * (size_t)d->nclass, d->nclass);
        right += pred[i] == d->y[i];
        if (count)
            count[d->y[i]]++;
    }
    long long most = 0;
    for (int c = 0; count && c < d->nclass; c++)
        most = count[c] > most ? count[c] : most;
    free(count);
    struct buf b = BUF_INIT;
    encoding_describe(&m->enc, &b);
    result_text(res, "%s on %zu rows: %s", m->method->name, d->n, b.data);
    buf_release(&b);
    result_text(res, "training accuracy %.4f (always the commonest class: %.4f)",
                (double)right / (double)d->n, (double)most / (double)d->n);
    /* Numbers kept as text (SQL made the column without a type) are a category each. */
    for (int j = 0; j < m->enc.n_cols; j++) {
        int numbers = m->enc.is_text[j] && m->enc.n_levels[j] > 2;
        for (int l = 0; numbers && l < m->enc.n_levels[j]; l++) {
            char *end;
            strtod(m->enc.levels[j][l], &end);
            numbers = end != m->enc.levels[j][l] && *end == '\0';
        }
        if (numbers)
            result_text(res, "text column '%s' holds only numbers, so each of its %d values "
                             "is a category of its own; declare the column REAL to use it as "
                             "a number (CREATE TABLE ... AS SELECT gives an expression's "
                             "column no type)",
                        m->enc.cols[j], m->enc.n_levels[j]);
    }
    if (m->enc.nclass > 50)
        result_text(res, "'%s' has %d classes: classification predicts one of a few labels",
                    m->enc.target, m->enc.nclass);
}

/*
 * An iterative method says in its description whether the fit converged
 * (logreg's L-BFGS, svm's coordinate descent): train repeats that line.
 */
static void
report_convergence(struct cmd_result *res, const struct model *m)
{
    struct buf b = BUF_INIT;
    struct qerr e = QERR_INIT;
    if (m->method->show(m->state, (const char *const *)m->enc.names, &b, &e) == 0) {
        for (char *line = b.data, *nl; *line; line = nl + 1) {
            nl = strchr(line, '\n');
            if (!nl)
                nl = line + strlen(line) - 1;
            else
                *nl = '\0';
            if (strstr(line, "converge"))
                result_text(res, "%s", line);
        }
    }
    qerr_clear(&e);
    buf_release(&b);
}

/* Refuse a model name that is taken, unless replace=yes. */
static int
claim_model(struct cmd_ctx *ctx, const struct cmd_args *args, const char *name,
            struct qerr *err)
{
    char kind[STORE_KIND_MAX + 1];
    int hit = model_stored(ctx->cat, name, kind, err);
    if (hit <= 0 || kit_replacing(args))
        return hit < 0 ? -1 : 0;
    qerr_set(err, QE_ARG, "a model named '%s' exists already (%s)", name, kind);
    qerr_hint(err, "add replace=yes to train it again, choose another name after as, or drop "
                   "model %s first", name);
    err->pos = args->as_pos;
    return -1;
}

/*
 * A method that keeps a per-epoch record (wavelet) writes it to MODEL_loss:
 * epoch, train_loss, accuracy (on the training rows).
 */
static int
write_history(struct cmd_ctx *ctx, const struct cmd_args *args, const struct model *m,
              struct cmd_result *res, struct qerr *err)
{
    const double *loss = NULL, *acc = NULL;
    if (!m->method->history)
        return 0;
    int n = m->method->history(m->state, &loss, &acc);
    char *name = kit_name(args->as, "_loss");
    double *ep = mem_alloc((size_t)n + 1, sizeof *ep, "train", "epochs", err);
    int rc = -1;
    if (ep) {
        for (int e = 0; e < n; e++)
            ep[e] = e + 1;
        struct frame_out outs[3] = {
            {.name = "epoch", .decl = CATALOG_INTEGER, .num = ep},
            {.name = "train_loss", .decl = CATALOG_REAL, .num = loss},
            {.name = "accuracy", .decl = CATALOG_REAL, .num = acc},
        };
        rc = kit_side_table(ctx, args, name, outs, 3, n, err);
    }
    if (rc == 0)
        result_text(res, "each epoch's training loss and accuracy: %s (plot line %s "
                         "x=epoch y=accuracy)", name, name);
    free(ep);
    free(name);
    return rc;
}

static int
cmd_train_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
               struct qerr *err)
{
    const char *table = args_str(args, "TABLE");
    const struct cls_method *meth;
    struct clf_rows r = {0};
    struct model m = {0};
    struct buf params = BUF_INIT, summary = BUF_INIT;
    double *priors = NULL, *proba = NULL;
    int *pred = NULL, rc = -1;
    struct cls_opts o;
    if (clf_method(args, "model", args_str(args, "model"), &meth, err) < 0 ||
        claim_model(ctx, args, args->as, err) < 0 || clf_read_train(ctx, args, meth, &r, err) < 0)
        goto out;
    clf_report_rows(res, &r, table);
    if (clf_check_missing(meth, &r, table, err) < 0 ||
        clf_opts(ctx, args, (uint64_t)kit_seed(ctx, args, res), &r.enc, &o, &priors, &params,
                 err) < 0)
        goto out;
    struct tick t;
    tick_init(&t, kit_progress, ctx);
    tick_set_note(&t, kit_progress_text, ctx); /* a network's epoch and loss (seqnn) */
    if (meth->fit(&r.x.d, &o, &t, &m.state, err) < 0)
        goto out;
    m.method = meth;
    m.enc = r.enc;
    m.params = buf_detach(&params);
    m.n_train = (long long)r.x.d.n;
    proba = mem_calloc(mem_mul(r.x.d.n, (size_t)r.enc.nclass) + 1, sizeof *proba, "train",
                       "probabilities", err);
    pred = mem_calloc(r.x.d.n + 1, sizeof *pred, "train", "predictions", err);
    if (!proba || !pred)
        goto out;
    if (model_predict(&m, &r.x.d, proba, NULL, err) < 0)
        goto out;
    report_fit(res, &m, &r, proba, pred);
    report_convergence(res, &m);
    /* "nb alpha=2: kind (setosa, versicolor, virginica) from 4 columns, 150 rows" */
    buf_addf(&summary, "%s%s%s: %s (", meth->name, *m.params ? " " : "", m.params,
             r.enc.target);
    for (int c = 0; c < r.enc.nclass && c < 4; c++)
        buf_addf(&summary, "%s%s", c ? ", " : "", r.enc.classes[c]);
    buf_addf(&summary, "%s) from %d column%s, %lld rows", r.enc.nclass > 4 ? ", ..." : "",
             r.enc.n_cols, kit_plural(r.enc.n_cols), m.n_train);
    if (model_save(ctx->cat, args->as, &m, table, summary.data, err) < 0 ||
        write_history(ctx, args, &m, res, err) < 0)
        goto out;
    result_text(res, "model %s stored; predict %s TABLE writes its predictions, show %s "
                     "describes it",
                args->as, args->as, args->as);
    rc = 0;
out:
    m.enc = (struct encoding){0}; /* r owns it */
    model_release(&m);
    clf_rows_release(&r);
    buf_release(&params);
    buf_release(&summary);
    free(priors);
    free(proba);
    free(pred);
    return rc;
}

const struct cmd_entry cmd_train_entry = {
    .name = "train",
    .family = "classify",
    .synopsis = "train TABLE target=COL [cols=COLS] "
                "model=nb|logreg|tree|forest|knn|svm|rules|rnn|lstm|gru|wavelet "
                "[options] [seed=N] [replace=yes] as MODEL",
    .help = "Learn to predict the column target from the columns cols (numbers and text "
            "mixed) and keep the model in the catalog as MODEL (models lists it, show MODEL "
            "describes it, save and open keep it). nb is naive Bayes (a Gaussian per numeric "
            "column, Laplace-smoothed counts per text column; explain nb); the other models "
            "one-hot encode text columns; rules classifies by the first matching class "
            "association rule (CBA: numbers in bins= equal-frequency bins; explain rules). "
            "The encoding (text levels, class labels) is stored "
            "with the model and applied by predict and evaluate. Rows without a target are "
            "skipped and counted; models other than nb, tree, forest and rules refuse missing values "
            "(clean fills them). When the table has a split column (from split), only its "
            "train rows are used. rnn, lstm and gru read the event sequence seq_01 .. "
            "seq_NN that sequences writes (and only it; the other models leave it out "
            "unless cols= names it): embedding, recurrent layers, dense softmax, trained by "
            "cross-entropy with Adam and early stopping (explain rnn, lstm, gru); while "
            "they train, the TUI's status bar shows the epoch and the losses. wavelet "
            "is a wavelet network (method B): z-scored features, hidden Mexican-hat units "
            "with learned translation and dilation, dense softmax, trained by cross-entropy "
            "with Adam for epochs passes; MODEL_loss holds each epoch's training loss and "
            "accuracy (explain wavelet). Each "
            "option applies to the models it names. Prints the "
            "training accuracy beside the commonest class's share, the baseline a model "
            "must beat.",
    .example = "train customers target=city cols=age model=nb as city_nb",
    .args = cmd_train_args,
    .flags = CMD_WRITES | CMD_AS | CMD_AS_REQUIRED,
    .exec = cmd_train_exec,
};
