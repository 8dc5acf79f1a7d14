/*
 * model.c: trained classifiers in the model store (model.h): the
 * envelope around the encoding and the method's state, and prediction
 * through it.
 */
#include "classify/model.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/mem.h"

#include "base/banned.h"

void
model_release(struct model *m)
{
    if (m->method && m->state)
        m->method->release(m->state);
    encoding_release(&m->enc);
    free(m->params);
    memset(m, 0, sizeof *m);
}

int
model_save(struct catalog *cat, const char *name, const struct model *m, const char *source,
           const char *summary, struct qerr *err)
{
    struct buf b = BUF_INIT, cols = BUF_INIT;
    int rc = -1;
    store_add_i64(&b, MODEL_FORMAT);
    store_add_str(&b, m->method->name);
    store_add_str(&b, m->params ? m->params : "");
    store_add_i64(&b, m->n_train);
    encoding_save(&m->enc, &b);
    if (m->method->save(m->state, &b, err) < 0)
        goto out;
    for (int j = 0; j < m->enc.n_cols; j++)
        buf_addf(&cols, "%s%s", j ? "," : "", m->enc.cols[j]);
    struct store_meta meta = {.source = source, .cols = cols.data, .summary = summary};
    rc = store_put(cat, m->method->kind, name, &meta, b.data, b.len, err);
out:
    buf_release(&b);
    buf_release(&cols);
    return rc;
}

int
model_stored(struct catalog *cat, const char *name, char *kind, struct qerr *err)
{
    struct store_entry *e = NULL;
    int n = 0, hit = 0;
    if (store_list(cat, &e, &n, err) < 0)
        return -1;
    for (int i = 0; i < n && !hit; i++)
        if (strcasecmp(e[i].name, name) == 0) {
            hit = 1;
            size_t len = strlen(e[i].kind);
            len = len > STORE_KIND_MAX ? STORE_KIND_MAX : len;
            memcpy(kind, e[i].kind, len);
            kind[len] = '\0';
        }
    store_entries_free(e, n);
    return hit;
}

/* The method whose store kind is called kind, or NULL. */
static const struct cls_method *
method_of_kind(const char *kind)
{
    for (int i = 0; cls_methods[i]; i++)
        if (strcmp(cls_methods[i]->kind->name, kind) == 0)
            return cls_methods[i];
    return NULL;
}

int
model_load(struct catalog *cat, const char *name, struct model *m, struct qerr *err)
{
    memset(m, 0, sizeof *m);
    char kind[STORE_KIND_MAX + 1];
    int hit = model_stored(cat, name, kind, err);
    if (hit < 0)
        return -1;
    struct store_reader r;
    memset(&r, 0, sizeof r);
    if (hit == 0) {
        /* The store's own message, with its suggestion of a near name. */
        store_get(cat, cls_methods[0]->kind, name, &r, err);
        store_reader_release(&r);
        return -1;
    }
    const struct cls_method *meth = method_of_kind(kind);
    if (!meth) {
        qerr_set(err, QE_ARG, "'%s' is a %s, not a classifier", name, kind);
        qerr_hint(err, "models lists each stored name with its kind");
        return -1;
    }
    int rc = -1;
    int64_t fmt, n_train = 0;
    char *mname = NULL;
    if (store_get(cat, meth->kind, name, &r, err) < 0 || store_read_i64(&r, &fmt, err) < 0)
        goto out;
    if (fmt != MODEL_FORMAT) {
        store_read_fail(&r, err, "model format %lld (this build reads %d)", (long long)fmt,
                        MODEL_FORMAT);
        goto out;
    }
    if (store_read_str(&r, &mname, err) < 0 || store_read_str(&r, &m->params, err) < 0 ||
        store_read_i64(&r, &n_train, err) < 0)
        goto out;
    m->n_train = (long long)n_train;
    if (strcmp(mname, meth->name) != 0) {
        store_read_fail(&r, err, "it says method '%s' in a %s row", mname, kind);
        goto out;
    }
    if (encoding_load(&r, &m->enc, err) < 0 || meth->load(&r, &m->state, err) < 0 ||
        store_read_end(&r, err) < 0)
        goto out;
    m->method = meth;
    rc = 0;
out:
    if (rc < 0 && m->state) {
        meth->release(m->state);
        m->state = NULL;
    }
    free(mname);
    store_reader_release(&r);
    return rc;
}

int
model_argmax(const double *row, int k)
{
    int best = 0;
    for (int c = 1; c < k; c++)
        if (row[c] > row[best])
            best = c;
    return best;
}

int
model_predict(const struct model *m, const struct cls_data *d, double *proba, int *pred,
              struct qerr *err)
{
    double *own = NULL;
    if (!proba && m->method->predict)
        return m->method->predict(m->state, d, pred, err);
    if (!proba) {
        proba = own = mem_alloc(mem_mul(d->n, (size_t)m->enc.nclass) + 1, sizeof *own, "predict",
                                "probabilities", err);
        if (!own)
            return -1;
    }
    int rc = m->method->proba(m->state, d, proba, err);
    if (rc == 0 && pred)
        for (size_t i = 0; i < d->n; i++)
            pred[i] = model_argmax(proba + i * (size_t)m->enc.nclass, m->enc.nclass);
    free(own);
    return rc;
}

int
model_show(const struct model *m, const char *name, struct buf *out, struct qerr *err)
{
    buf_addf(out, "model %s: %s%s%s, trained on %lld rows\n", name, m->method->name,
             m->params && *m->params ? " " : "", m->params ? m->params : "", m->n_train);
    buf_adds(out, "features: ");
    encoding_describe(&m->enc, out);
    buf_adds(out, "\n");
    for (int j = 0; j < m->enc.n_cols; j++) {
        if (!m->enc.is_text[j])
            continue;
        buf_addf(out, "  %s: %d level%s:", m->enc.cols[j], m->enc.n_levels[j],
                 m->enc.n_levels[j] == 1 ? "" : "s");
        for (int l = 0; l < m->enc.n_levels[j] && l < 20; l++)
            buf_addf(out, " %s", m->enc.levels[j][l]);
        buf_adds(out, m->enc.n_levels[j] > 20 ? " ...\n" : "\n");
    }
    buf_adds(out, "classes:");
    for (int c = 0; c < m->enc.nclass; c++)
        buf_addf(out, " %d=%s", c, m->enc.classes[c]);
    buf_adds(out, "\n");
    return m->method->show(m->state, (const char *const *)m->enc.names, out, err);
}
