/*
 * similarity.c: the rows normalised once (cosine, pearson: unit length
 * after centring; jaccard: 0/1 indicators and their counts), then the
 * Gram matrix in blocks by cblas_dgemm, each block's entries
 * offered to both rows' top-k lists (sorted arrays, insertion).
 */
#include "prep/similarity.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/tick.h"

#include "base/banned.h"

#define BLOCK 256

double
similarity_pair(const double *a, const double *b, size_t p, enum similarity_method method)
{
    if (method == SIMILARITY_JACCARD) {
        double in = 0, un = 0;
        for (size_t j = 0; j < p; j++) {
            in += a[j] > 0 && b[j] > 0;
            un += a[j] > 0 || b[j] > 0;
        }
        return un > 0 ? in / un : NAN;
    }
    double ma = 0, mb = 0;
    if (method == SIMILARITY_PEARSON) {
        for (size_t j = 0; j < p; j++) {
            ma += a[j] / (double)p;
            mb += b[j] / (double)p;
        }
    }
    double ab = 0, aa = 0, bb = 0;
    for (size_t j = 0; j < p; j++) {
        ab += (a[j] - ma) * (b[j] - mb);
        aa += (a[j] - ma) * (a[j] - ma);
        bb += (b[j] - mb) * (b[j] - mb);
    }
    return aa > 0 && bb > 0 ? ab / sqrt(aa * bb) : NAN;
}

void
similarity_out_release(struct similarity_out *o)
{
    free(o->a);
    free(o->b);
    free(o->sim);
    free(o->rank);
    memset(o, 0, sizeof *o);
}

/* Each row's list: up to k (similarity, row), best first. */
struct top {
    double *s;
    long long *r;
    int *len;
    int k;
};

static void
offer(struct top *t, size_t i, double s, long long r)
{
    if (isnan(s))
        return;
    double *ls = t->s + i * (size_t)t->k;
    long long *lr = t->r + i * (size_t)t->k;
    int n = t->len[i];
    /* better: higher similarity, then the lower row */
    if (n == t->k && (s < ls[n - 1] || (s == ls[n - 1] && r > lr[n - 1])))
        return;
    int at = n < t->k ? n : n - 1;
    while (at > 0 && (ls[at - 1] < s || (ls[at - 1] == s && lr[at - 1] > r))) {
        ls[at] = ls[at - 1];
        lr[at] = lr[at - 1];
        at--;
    }
    ls[at] = s;
    lr[at] = r;
    if (n < t->k)
        t->len[i] = n + 1;
}

/* The normalised rows into z (n x p); jaccard's counts into cnt; valid[i] 0 for NaN rows. */
static void
normalise(const double *x, size_t n, size_t p, enum similarity_method m, double *z,
          double *cnt, unsigned char *valid)
{
    for (size_t i = 0; i < n; i++) {
        const double *a = x + i * p;
        double *o = z + i * p;
        if (m == SIMILARITY_JACCARD) {
            double c = 0;
            for (size_t j = 0; j < p; j++)
                c += (o[j] = a[j] > 0);
            cnt[i] = c;
            valid[i] = 1; /* two empty rows are NaN pairwise, checked per pair */
            continue;
        }
        double mean = 0, ss = 0;
        if (m == SIMILARITY_PEARSON)
            for (size_t j = 0; j < p; j++)
                mean += a[j] / (double)p;
        for (size_t j = 0; j < p; j++) {
            o[j] = a[j] - mean;
            ss += o[j] * o[j];
        }
        valid[i] = ss > 0;
        double s = ss > 0 ? 1 / sqrt(ss) : 0;
        for (size_t j = 0; j < p; j++)
            o[j] *= s;
    }
}

int
similarity_top(const double *x, size_t n, size_t p, enum similarity_method method, int k,
               int (*progress)(void *pctx, double fraction), void *pctx,
               struct similarity_out *out, struct qerr *err)
{
    memset(out, 0, sizeof *out);
    if (k < 1)
        return qerr_set(err, QE_ARG, "top must be at least 1, not %d", k);
    if ((size_t)k > n)
        k = n > 1 ? (int)n - 1 : 1;
    struct top t = {.k = k};
    double *z = mem_alloc(mem_mul(n, p) + 1, sizeof *z, "similarity", "rows", err);
    double *cnt = mem_calloc(n + 1, sizeof *cnt, "similarity", "rows", err);
    unsigned char *valid = mem_alloc(n + 1, 1, "similarity", "rows", err);
    double *g = mem_alloc((size_t)BLOCK * BLOCK, sizeof *g, "similarity", "block", err);
    t.s = mem_alloc(mem_mul(n, (size_t)k) + 1, sizeof *t.s, "similarity", "neighbours", err);
    t.r = mem_alloc(mem_mul(n, (size_t)k) + 1, sizeof *t.r, "similarity", "neighbours", err);
    t.len = mem_calloc(n + 1, sizeof *t.len, "similarity", "neighbours", err);
    int rc = -1;
    struct tick tk;
    tick_init(&tk, progress, pctx);
    if (!z || !cnt || !valid || !g || !t.s || !t.r || !t.len)
        goto out;
    normalise(x, n, p, method, z, cnt, valid);
    size_t nb = (n + BLOCK - 1) / BLOCK, done = 0, total = nb * (nb + 1) / 2;
    for (size_t bi = 0; bi < n; bi += BLOCK) {
        size_t ni = n - bi < BLOCK ? n - bi : BLOCK;
        for (size_t bj = bi; bj < n; bj += BLOCK) {
            size_t nj = n - bj < BLOCK ? n - bj : BLOCK;
            if (tick(&tk, (double)done++ / (double)total)) {
                tick_fail(err);
                goto out;
            }
            if (p > 0)
                cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)ni, (int)nj, (int)p,
                            1.0, z + bi * p, (int)p, z + bj * p, (int)p, 0.0, g, BLOCK);
            for (size_t i = 0; i < ni; i++)
                for (size_t j = bi == bj ? i + 1 : 0; j < nj; j++) {
                    size_t a = bi + i, b = bj + j;
                    double s = p > 0 ? g[i * BLOCK + j] : 0;
                    if (method == SIMILARITY_JACCARD) {
                        double un = cnt[a] + cnt[b] - s;
                        s = un > 0 ? s / un : NAN;
                    } else if (!valid[a] || !valid[b]) {
                        s = NAN;
                    }
                    offer(&t, a, s, (long long)b);
                    offer(&t, b, s, (long long)a);
                }
        }
    }
    long long total_pairs = 0;
    for (size_t i = 0; i < n; i++)
        total_pairs += t.len[i];
    out->a = mem_alloc((size_t)total_pairs + 1, sizeof *out->a, "similarity", "pairs", err);
    out->b = mem_alloc((size_t)total_pairs + 1, sizeof *out->b, "similarity", "pairs", err);
    out->sim = mem_alloc((size_t)total_pairs + 1, sizeof *out->sim, "similarity", "pairs", err);
    out->rank = mem_alloc((size_t)total_pairs + 1, sizeof *out->rank, "similarity", "pairs",
                          err);
    if (!out->a || !out->b || !out->sim || !out->rank)
        goto out;
    for (size_t i = 0; i < n; i++)
        for (int q = 0; q < t.len[i]; q++) {
            long long r = out->n++;
            out->a[r] = (long long)i;
            out->b[r] = t.r[i * (size_t)k + (size_t)q];
            out->sim[r] = t.s[i * (size_t)k + (size_t)q];
            out->rank[r] = q + 1;
        }
    rc = 0;
out:
    free(z);
    free(cnt);
    free(valid);
    free(g);
    free(t.s);
    free(t.r);
    free(t.len);
    if (rc < 0)
        similarity_out_release(out);
    return rc;
}
