/*
 * apriori.c: Apriori, level by level. The frequent (k-1)-itemsets sit in
 * one array in lexicographic order; those sharing their first k-2 items
 * form a block, and each pair in a block joins into a candidate (so the
 * candidates come out in order too). A candidate with a (k-1)-subset
 * that is not frequent is pruned (binary search among the previous
 * level). Counting walks each transaction through the sorted candidates
 * as through a prefix tree: at depth d the candidates that share d
 * items are a range whose d-th items are ascending. Items go in code
 * (name) order, as a textbook lists them, so the levels' counts match
 * the worked examples.
 */
#include "rules/apriori.h"

#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/banned.h"

/* First index in [lo, hi) whose item d is >= x. */
static long long
lower(const int32_t *c, int k, int d, long long lo, long long hi, int32_t x)
{
    while (lo < hi) {
        long long mid = lo + (hi - lo) / 2;
        if (c[mid * k + d] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void
walk(const int32_t *c, int k, long long lo, long long hi, int d, const int32_t *t, int len,
     int pos, long long *cnt)
{
    for (int i = pos; i <= len - (k - d) && lo < hi; i++) {
        lo = lower(c, k, d, lo, hi, t[i]);
        if (lo >= hi)
            break;
        if (c[lo * k + d] != t[i])
            continue;
        long long e = lower(c, k, d, lo, hi, t[i] + 1);
        if (d == k - 1)
            cnt[lo]++;
        else
            walk(c, k, lo, e, d + 1, t, len, i + 1, cnt);
        lo = e;
    }
}

/* 1 when the k-item set s is among the n sorted sets of prev. */
static int
cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static int
among(const int32_t *prev, long long n, int k, const int32_t *s)
{
    long long lo = 0, hi = n - 1;
    while (lo <= hi) {
        long long mid = lo + (hi - lo) / 2;
        int c = 0;
        for (int i = 0; i < k && !c; i++)
            c = (prev[mid * k + i] > s[i]) - (prev[mid * k + i] < s[i]);
        if (!c)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return 0;
}

/* Emit the k items c (positions in code order) as ranks. */
static int
emit(struct fim_emit *e, const int32_t *rank_of, const int32_t *c, int k, long long count,
     struct qerr *err)
{
    int32_t rk[64];
    for (int i = 0; i < k; i++)
        rk[i] = rank_of[c[i]];
    return fim_emit_set(e, rk, k, count, err);
}

/*
 * r with each rank replaced by its position in code order (pos[rank]),
 * each transaction sorted again; rank_of[position] gives the rank back.
 */
static int
recode(const struct fim_ranked *r, struct fim_ranked *q, int32_t *rank_of, struct qerr *err)
{
    int32_t *pos = mem_alloc((size_t)r->n + 1, sizeof *pos, "rules", "items", err);
    long long total = r->off[r->n_trans];
    *q = *r;
    q->off = r->off;
    q->items = mem_alloc((size_t)total + 1, sizeof *q->items, "rules", "items", err);
    if (!pos || !q->items) {
        free(pos);
        free(q->items);
        return -1;
    }
    /* positions: ranks sorted by code */
    for (int i = 0; i < r->n; i++)
        rank_of[i] = r->rank_code[i];
    qsort(rank_of, (size_t)r->n, sizeof *rank_of, cmp_i32); /* codes ascending */
    for (int i = 0; i < r->n; i++) {
        int lo = 0, hi = r->n - 1;
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (rank_of[mid] < r->rank_code[i])
                lo = mid + 1;
            else
                hi = mid;
        }
        pos[i] = lo;
    }
    for (int i = 0; i < r->n; i++)
        rank_of[pos[i]] = i;
    for (long long i = 0; i < total; i++)
        q->items[i] = pos[r->items[i]];
    for (long long t = 0; t < r->n_trans; t++)
        qsort(q->items + r->off[t], (size_t)(r->off[t + 1] - r->off[t]), sizeof *q->items,
              cmp_i32);
    free(pos);
    return 0;
}

int
apriori_mine(const struct fim_ranked *r0, struct fim_opts *o, struct fim_emit *e,
             struct qerr *err)
{
    struct fim_ranked rq, *r = &rq;
    int32_t *rank_of = mem_alloc((size_t)r0->n + 1, sizeof *rank_of, "rules", "items", err);
    if (!rank_of)
        return -1;
    if (recode(r0, &rq, rank_of, err) < 0) {
        free(rank_of);
        return -1;
    }
    int rc = -1;
    int32_t *prev = NULL, *cand = NULL, sub[64];
    long long *cnt = NULL, n_prev = r->n;
    if (o->levels)
        o->levels[o->n_levels++] =
            (struct fim_level){1, r->n_all, 0, r->n_all, r->n};
    prev = mem_alloc((size_t)r->n + 1, sizeof *prev, "rules", "candidates", err);
    if (!prev)
        goto out;
    for (int i = 0; i < r->n; i++) {
        prev[i] = i;
        if (emit(e, rank_of, prev + i, 1, r->support[rank_of[i]], err) < 0)
            goto out;
    }
    for (int k = 2; k <= o->maxlen && n_prev >= 2; k++) {
        struct fim_level lv = {.k = k};
        /* the joins: pairs within blocks sharing the first k-2 items */
        for (long long a = 0, b; a < n_prev; a = b) {
            for (b = a + 1; b < n_prev; b++)
                if (memcmp(prev + a * (k - 1), prev + b * (k - 1),
                           (size_t)(k - 2) * sizeof *prev) != 0)
                    break;
            lv.generated += (b - a) * (b - a - 1) / 2;
        }
        if (mem_budget_fits((size_t)lv.generated, (size_t)k * sizeof *cand + sizeof *cnt,
                            "rules", "candidate itemsets", err) < 0)
            goto out;
        free(cand);
        cand = mem_alloc((size_t)lv.generated * (size_t)k + 1, sizeof *cand, "rules",
                         "candidates", err);
        if (!cand)
            goto out;
        long long nc = 0;
        for (long long a = 0, b; a < n_prev; a = b) {
            for (b = a + 1; b < n_prev; b++)
                if (memcmp(prev + a * (k - 1), prev + b * (k - 1),
                           (size_t)(k - 2) * sizeof *prev) != 0)
                    break;
            for (long long i = a; i < b; i++) {
                if (tick(o->tick, -1.0)) {
                    tick_fail(err);
                    goto out;
                }
                for (long long j = i + 1; j < b; j++) {
                    int32_t *c = cand + nc * k;
                    memcpy(c, prev + i * (k - 1), (size_t)(k - 1) * sizeof *c);
                    c[k - 1] = prev[j * (k - 1) + k - 2];
                    int ok = 1; /* dropping item k-1 or k-2 gives i or j: frequent */
                    for (int drop = 0; drop < k - 2 && ok; drop++) {
                        int w = 0;
                        for (int x = 0; x < k; x++)
                            if (x != drop)
                                sub[w++] = c[x];
                        ok = among(prev, n_prev, k - 1, sub);
                    }
                    if (ok)
                        nc++;
                    else
                        lv.pruned++;
                }
            }
        }
        lv.counted = nc;
        free(cnt);
        cnt = mem_calloc((size_t)nc + 1, sizeof *cnt, "rules", "candidates", err);
        if (!cnt)
            goto out;
        for (long long tr = 0; tr < r->n_trans && nc; tr++) {
            if (tick_row(o->tick, tr, r->n_trans)) {
                tick_fail(err);
                goto out;
            }
            int len = (int)(r->off[tr + 1] - r->off[tr]);
            if (len >= k)
                walk(cand, k, 0, nc, 0, r->items + r->off[tr], len, 0, cnt);
        }
        long long nf = 0;
        for (long long i = 0; i < nc; i++)
            if (cnt[i] >= o->minsup) {
                if (emit(e, rank_of, cand + i * k, k, cnt[i], err) < 0)
                    goto out;
                memmove(cand + nf * k, cand + i * k, (size_t)k * sizeof *cand);
                nf++;
            }
        lv.frequent = nf;
        if (o->levels)
            o->levels[o->n_levels++] = lv;
        free(prev);
        prev = cand;
        cand = NULL;
        n_prev = nf;
    }
    rc = 0;
out:
    free(prev);
    free(cand);
    free(cnt);
    free(rq.items);
    free(rank_of);
    return rc;
}
