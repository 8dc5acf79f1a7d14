/*
 * gini_trace.c: every candidate split of a node and its gini
 * (gini_trace.h): a sort and one sweep per numeric feature, one count
 * per value of a categorical one.
 */
#include "classify/gini_trace.h"

#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/banned.h"

static double
gini_of(const long long *cnt, int nclass, long long n)
{
    if (n == 0)
        return 0;
    double s = 0;
    for (int c = 0; c < nclass; c++) {
        double p = (double)cnt[c] / (double)n;
        s += p * p;
    }
    return 1 - s;
}

/* Record a split whose left side holds left[] (n_l rows). */
static int
record(struct gini_trace *t, int feat, double thr, int code, const long long *left, long long nl,
       long long *right, struct qerr *err)
{
    if (t->n_splits >= GINI_TRACE_MAX)
        return qerr_set(err, QE_ARG, "more than %d candidate splits; give fewer columns (cols=) "
                        "or fewer rows", GINI_TRACE_MAX);
    if (t->n_splits % 1024 == 0) {
        void *a = mem_realloc(t->splits, (size_t)t->n_splits + 1024, sizeof *t->splits, "trace",
                              "splits", err);
        if (!a)
            return -1;
        t->splits = a;
    }
    for (int c = 0; c < t->nclass; c++)
        right[c] = t->class_n[c] - left[c];
    struct gini_split *s = &t->splits[t->n_splits++];
    s->feature = feat;
    s->threshold = thr;
    s->code = code;
    s->n_left = nl;
    s->n_right = t->n - nl;
    s->gini_left = gini_of(left, t->nclass, nl);
    s->gini_right = gini_of(right, t->nclass, t->n - nl);
    s->weighted = ((double)nl * s->gini_left + (double)(t->n - nl) * s->gini_right) /
                  (double)t->n;
    s->gain = t->gini - s->weighted;
    if (t->best < 0 || s->gain > t->splits[t->best].gain + 1e-12)
        t->best = t->n_splits - 1;
    return 0;
}

struct vi {
    double v;
    long long i;
};

static int
by_v(const void *a, const void *b)
{
    const struct vi *u = a, *w = b;
    return u->v < w->v ? -1 : u->v > w->v ? 1 : (u->i > w->i) - (u->i < w->i);
}

int
gini_trace_run(const int *y, long long n, int nclass, const struct gini_feature *f, int p,
               struct gini_trace *t, struct qerr *err)
{
    struct vi *idx = NULL;
    long long *left = NULL, *right = NULL;
    int rc = -1;
    t->n = n;
    t->nclass = nclass;
    t->best = -1;
    t->class_n = mem_calloc((size_t)nclass, sizeof *t->class_n, "trace", "classes", err);
    left = mem_calloc((size_t)nclass, sizeof *left, "trace", "classes", err);
    right = mem_calloc((size_t)nclass, sizeof *right, "trace", "classes", err);
    idx = mem_alloc((size_t)(n > 0 ? n : 1), sizeof *idx, "trace", "rows", err);
    if (!t->class_n || !left || !right || !idx)
        goto out;
    for (long long i = 0; i < n; i++)
        t->class_n[y[i]]++;
    t->gini = gini_of(t->class_n, nclass, n);
    for (int j = 0; j < p; j++) {
        if (f[j].x) {
            for (long long i = 0; i < n; i++)
                idx[i] = (struct vi){f[j].x[i], i};
            qsort(idx, (size_t)n, sizeof *idx, by_v);
            memset(left, 0, sizeof *left * (size_t)nclass);
            for (long long i = 0; i + 1 < n; i++) {
                left[y[idx[i].i]]++;
                double a = idx[i].v, b = idx[i + 1].v;
                if (a < b && record(t, j, a + (b - a) / 2, -1, left, i + 1, right, err) < 0)
                    goto out;
            }
            continue;
        }
        int uses = f[j].n_codes == 2 ? 1 : f[j].n_codes;
        for (int v = 0; v < uses; v++) {
            long long nl = 0;
            memset(left, 0, sizeof *left * (size_t)nclass);
            for (long long i = 0; i < n; i++)
                if (f[j].code[i] == v) {
                    left[y[i]]++;
                    nl++;
                }
            if (nl > 0 && nl < n && record(t, j, 0, v, left, nl, right, err) < 0)
                goto out;
        }
    }
    rc = 0;
out:
    free(idx);
    free(left);
    free(right);
    return rc;
}

void
gini_trace_release(struct gini_trace *t)
{
    free(t->class_n);
    free(t->splits);
    memset(t, 0, sizeof *t);
}
