/*
 * cv.c: repeated k-fold cross-validation (cv.h).
 */
#include "classify/cv.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/mem.h"
#include "base/rng.h"

#include "base/banned.h"

void
cv_plan_release(struct cv_plan *plan)
{
    free(plan->fold);
    memset(plan, 0, sizeof *plan);
}

int
cv_plan_make(const int *y, size_t n, int nclass, int folds, int repeats, int stratify,
             uint64_t seed, struct cv_plan *plan, struct qerr *err)
{
    memset(plan, 0, sizeof *plan);
    if (folds < 2 || (size_t)folds > n)
        return qerr_set(err, QE_ARG, "folds=%d needs at least %d rows; there are %zu", folds,
                        folds < 2 ? 2 : folds, n);
    size_t *order = mem_alloc(n + 1, sizeof *order, "cv", "rows", err);
    plan->fold = mem_alloc(mem_mul(n, (size_t)repeats) + 1, sizeof(int), "cv", "rows", err);
    if (!order || !plan->fold) {
        free(order);
        cv_plan_release(plan);
        return -1;
    }
    plan->folds = folds;
    plan->repeats = repeats;
    plan->n = n;
    for (int r = 0; r < repeats; r++) {
        struct rng g;
        rng_init(&g, seed + (uint64_t)r);
        for (size_t i = 0; i < n; i++)
            order[i] = i;
        for (size_t i = n; i > 1; i--) {
            size_t j = (size_t)rng_below(&g, i);
            size_t tmp = order[i - 1];
            order[i - 1] = order[j];
            order[j] = tmp;
        }
        int *fold = plan->fold + (size_t)r * n, next = 0;
        if (stratify && y) {
            for (int c = 0; c < nclass; c++)
                for (size_t i = 0; i < n; i++)
                    if (y[order[i]] == c) {
                        fold[order[i]] = next;
                        next = (next + 1) % folds;
                    }
        } else {
            for (size_t i = 0; i < n; i++)
                fold[order[i]] = (int)(i % (size_t)folds);
        }
    }
    free(order);
    return 0;
}

void
cv_folds_release(struct cv_fold *f, int n)
{
    for (int i = 0; f && i < n; i++)
        metrics_release(&f[i].m);
}

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Copy the rows of d whose fold is (or is not) f into x, y. */
static size_t
take_rows(const struct cls_data *d, const int *fold, int f, int inside, double *x, int *y)
{
    size_t k = 0;
    for (size_t i = 0; i < d->n; i++)
        if ((fold[i] == f) == inside) {
            memcpy(x + k * d->p, d->x + i * d->p, d->p * sizeof *x);
            y[k++] = d->y[i];
        }
    return k;
}

int
cv_run(const struct cls_method *meth, const struct cls_data *d, const struct cls_opts *o,
       const struct cv_plan *plan, int positive, struct tick *t, struct cv_fold *out,
       struct qerr *err)
{
    size_t n = d->n, p = d->p, k = (size_t)d->nclass;
    int nf = plan->folds * plan->repeats, rc = -1;
    memset(out, 0, sizeof *out * (size_t)nf);
    double *xtr = mem_alloc(mem_mul(n, p) + 1, sizeof(double), "cv", "feature values", err);
    double *xte = mem_alloc(mem_mul(n, p) + 1, sizeof(double), "cv", "feature values", err);
    double *proba = mem_alloc(mem_mul(n, k) + 1, sizeof(double), "cv", "probabilities", err);
    int *ytr = mem_alloc(n + 1, sizeof(int), "cv", "rows", err);
    int *yte = mem_alloc(n + 1, sizeof(int), "cv", "rows", err);
    int *pred = mem_alloc(n + 1, sizeof(int), "cv", "rows", err);
    void *model = NULL;
    if (!xtr || !xte || !proba || !ytr || !yte || !pred)
        goto out;
    for (int r = 0; r < plan->repeats; r++)
        for (int f = 0; f < plan->folds; f++) {
            const int *fold = plan->fold + (size_t)r * n;
            struct cv_fold *res = &out[r * plan->folds + f];
            if (t && tick(t, (double)(r * plan->folds + f) / nf)) {
                tick_fail(err);
                goto out;
            }
            struct cls_data tr = *d, te = *d;
            tr.x = xtr;
            tr.y = ytr;
            tr.n = take_rows(d, fold, f, 0, xtr, ytr);
            te.x = xte;
            te.y = NULL;
            te.n = take_rows(d, fold, f, 1, xte, yte);
            res->repeat = r;
            res->fold = f;
            res->n_train = (long long)tr.n;
            res->n_test = (long long)te.n;
            double t0 = now_s();
            if (meth->fit(&tr, o, t, &model, err) < 0)
                goto out;
            res->fit_s = now_s() - t0;
            if (meth->proba(model, &te, proba, err) < 0)
                goto out;
            meth->release(model);
            model = NULL;
            for (size_t i = 0; i < te.n; i++) {
                pred[i] = 0;
                for (size_t c = 1; c < k; c++)
                    if (proba[i * k + c] > proba[i * k + (size_t)pred[i]])
                        pred[i] = (int)c;
            }
            if (metrics_compute(yte, pred, proba, te.n, d->nclass, positive, &res->m, err) < 0)
                goto out;
        }
    rc = 0;
out:
    if (model)
        meth->release(model);
    if (rc < 0)
        cv_folds_release(out, nf);
    free(xtr);
    free(xte);
    free(proba);
    free(ytr);
    free(yte);
    free(pred);
    return rc;
}
