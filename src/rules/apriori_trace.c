/*
 * apriori_trace.c: Apriori level by level with every candidate kept
 * (apriori_trace.h). Plain loops: join, prune by binary search in the
 * sorted previous level, count by merging each transaction.
 */
#include "rules/apriori_trace.h"

#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/banned.h"

/* Append a candidate of size len; its fate and count are set by the caller. */
static int
add(struct apriori_trace *t, const int32_t *it, int len, struct qerr *err)
{
    if (t->n >= APRIORI_TRACE_MAX)
        return qerr_set(err, QE_ARG, "the trace would list more than %d candidates; raise "
                        "minsup or lower maxlen", APRIORI_TRACE_MAX);
    if (t->n + 1 >= t->cap) {
        long long c = t->cap ? t->cap * 2 : 64;
        void *a = mem_realloc(t->level, (size_t)c, sizeof *t->level, "trace", "candidates", err);
        if (a)
            t->level = a;
        void *b = a ? mem_realloc(t->off, (size_t)c + 1, sizeof *t->off, "trace", "candidates",
                                  err) : NULL;
        if (b)
            t->off = b;
        void *cc = b ? mem_realloc(t->count, (size_t)c, sizeof *t->count, "trace",
                                   "candidates", err) : NULL;
        if (cc)
            t->count = cc;
        void *f = cc ? mem_realloc(t->fate, (size_t)c, 1, "trace", "candidates", err) : NULL;
        if (f)
            t->fate = f;
        void *dr = f ? mem_realloc(t->drop, (size_t)c, sizeof *t->drop, "trace", "candidates",
                                   err) : NULL;
        if (!dr)
            return -1;
        t->drop = dr;
        t->cap = c;
    }
    if (t->n == 0)
        t->off[0] = 0;
    long long at = t->off[t->n];
    if (at + len > t->cap_items) {
        long long c = t->cap_items ? t->cap_items * 2 : 256;
        while (c < at + len)
            c *= 2;
        void *a = mem_realloc(t->items, (size_t)c, sizeof *t->items, "trace", "items", err);
        if (!a)
            return -1;
        t->items = a;
        t->cap_items = c;
    }
    memcpy(t->items + at, it, sizeof *it * (size_t)len);
    t->level[t->n] = len;
    t->count[t->n] = -1;
    t->fate[t->n] = APRIORI_PRUNED;
    t->drop[t->n] = -1;
    t->off[t->n + 1] = at + len;
    t->n++;
    return 0;
}

/* Is the sorted itemset s (len) one of the frequent f[0..nf) (candidate indices, sorted)? */
static int
frequent_has(const struct apriori_trace *t, const long long *f, long long nf, const int32_t *s,
             int len)
{
    long long lo = 0, hi = nf;
    while (lo < hi) {
        long long mid = lo + (hi - lo) / 2;
        const int32_t *m = t->items + t->off[f[mid]];
        int c = 0;
        for (int i = 0; i < len && !c; i++)
            c = m[i] < s[i] ? -1 : m[i] > s[i];
        if (c == 0)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* Transactions that hold every item of s (len, ascending). */
static long long
support(const int32_t *items, const long long *off, long long n_tx, const int32_t *s, int len)
{
    long long cnt = 0;
    for (long long tx = 0; tx < n_tx; tx++) {
        long long p = off[tx], e = off[tx + 1];
        int i = 0;
        while (i < len && p < e) {
            if (items[p] < s[i])
                p++;
            else if (items[p] == s[i]) {
                p++;
                i++;
            } else
                break;
        }
        cnt += i == len;
    }
    return cnt;
}

int
apriori_trace_run(const int32_t *items, const long long *off, long long n_tx, int n_items,
                  long long minsup, int maxlen, struct apriori_trace *t, struct qerr *err)
{
    long long *freq = NULL, *next = NULL, nf = 0;
    int32_t *cand = NULL, *sub = NULL;
    int rc = -1;
    freq = mem_alloc((size_t)APRIORI_TRACE_MAX, sizeof *freq, "trace", "itemsets", err);
    next = mem_alloc((size_t)APRIORI_TRACE_MAX, sizeof *next, "trace", "itemsets", err);
    cand = mem_alloc((size_t)maxlen + 1, sizeof *cand, "trace", "items", err);
    sub = mem_alloc((size_t)maxlen + 1, sizeof *sub, "trace", "items", err);
    if (!freq || !next || !cand || !sub)
        goto out;
    for (int32_t i = 0; i < n_items; i++) {
        if (add(t, &i, 1, err) < 0)
            goto out;
        long long c = support(items, off, n_tx, &i, 1);
        t->count[t->n - 1] = c;
        t->fate[t->n - 1] = c >= minsup ? APRIORI_FREQUENT : APRIORI_INFREQUENT;
        if (c >= minsup)
            freq[nf++] = t->n - 1;
    }
    for (int k = 2; k <= maxlen && nf > 0; k++) {
        long long nn = 0;
        for (long long a = 0; a < nf; a++)
            for (long long b = a + 1; b < nf; b++) {
                const int32_t *x = t->items + t->off[freq[a]], *y = t->items + t->off[freq[b]];
                if (memcmp(x, y, sizeof *x * (size_t)(k - 2)) != 0)
                    break; /* sorted: no later b shares the prefix either */
                memcpy(cand, x, sizeof *x * (size_t)(k - 1));
                cand[k - 1] = y[k - 2];
                if (add(t, cand, k, err) < 0)
                    goto out;
                long long ci = t->n - 1;
                /* Dropping either of the last two items leaves x or y, frequent. */
                for (int d = 0; d < k - 2 && t->drop[ci] < 0; d++) {
                    int m = 0;
                    for (int q = 0; q < k; q++)
                        if (q != d)
                            sub[m++] = cand[q];
                    if (!frequent_has(t, freq, nf, sub, k - 1))
                        t->drop[ci] = d;
                }
                if (t->drop[ci] >= 0)
                    continue;
                long long c = support(items, off, n_tx, cand, k);
                t->count[ci] = c;
                t->fate[ci] = c >= minsup ? APRIORI_FREQUENT : APRIORI_INFREQUENT;
                if (c >= minsup)
                    next[nn++] = ci;
            }
        long long *sw = freq;
        freq = next;
        next = sw;
        nf = nn;
    }
    rc = 0;
out:
    free(freq);
    free(next);
    free(cand);
    free(sub);
    return rc;
}

void
apriori_trace_release(struct apriori_trace *t)
{
    free(t->level);
    free(t->off);
    free(t->items);
    free(t->count);
    free(t->fate);
    free(t->drop);
    memset(t, 0, sizeof *t);
}
