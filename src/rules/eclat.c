/*
 * eclat.c: Eclat. A class is a list of items that extend the same prefix,
 * each with the sorted list of transactions that hold the prefix and the
 * item; extending item a by each later item b intersects their lists and
 * keeps those long enough. Items go least frequent first, so the lists
 * shrink fast. One buffer per depth holds a class's lists.
 *
 * dEclat (Zaki and Gouda 2003) keeps diffsets instead below the first
 * level: d(Pab) = t(Pa) \ t(Pab), the transactions that hold Pa but not
 * Pab. From the tid lists of the items, d(ab) = t(a) \ t(b); below that,
 * d(Pab) = d(Pb) \ d(Pa); and sup(Pab) = sup(Pa) - |d(Pab)|. On dense
 * data the diffsets are far shorter than the tid lists. A difference stops
 * as soon as it is longer than sup(Pa) - minsup (the itemset cannot be
 * frequent). As Zaki and Gouda's hybrid, the first level keeps tid lists
 * where those are the shorter (sparse data), as the pairs counted up front
 * tell; every level below it keeps diffsets.
 *
 * Data dense enough (use_bits) goes by bitsets instead, either method:
 * each list is a bit per transaction, an intersection a word by word AND
 * and its support the popcount: 73 words for supermarket.arff's 4,627
 * transactions, where a merge of two lists of thousands of tids branches
 * on each (mining there 10x faster). The itemsets are the same whichever
 * lists are kept.
 */
#include "rules/eclat.h"

#include <immintrin.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/banned.h"

struct eclass {
    int c;
    int32_t *item;    /* c items (ranks) */
    long long *sup;   /* c supports */
    int is_diff;      /* 1: the lists are diffsets against the prefix, else tid lists */
    long long *off;   /* c + 1 offsets into tid */
    int32_t *tid;
    long long cap_tid;
    int cap;
    uint64_t *bits;   /* bitset form: c sets of words words each */
    long long cap_bits;
};

struct ecl {
    struct fim_opts *o;
    struct fim_emit *e;
    int diff;            /* 1: dEclat */
    const int32_t *pairs; /* the count of each pair of ranks (i < j), or NULL (fim_emit.h) */
    long long n;         /* ranks */
    struct eclass *cls;  /* one per depth */
    int32_t *prefix;
    long long words;     /* bitset form: words a set; 0: lists */
    struct qerr *err;
};

static int
class_room(struct eclass *k, int c, long long tids, struct qerr *err)
{
    if (c > k->cap) {
        void *p = mem_realloc(k->item, (size_t)c, sizeof *k->item, "rules", "tid lists", err);
        if (!p)
            return -1;
        k->item = p;
        p = mem_realloc(k->off, (size_t)c + 1, sizeof *k->off, "rules", "tid lists", err);
        if (!p)
            return -1;
        k->off = p;
        p = mem_realloc(k->sup, (size_t)c + 1, sizeof *k->sup, "rules", "tid lists", err);
        if (!p)
            return -1;
        k->sup = p;
        k->cap = c;
    }
    if (tids > k->cap_tid || !k->tid) {
        long long cap = k->cap_tid ? k->cap_tid : 1024;
        while (cap < tids)
            cap *= 2;
        void *p = mem_realloc(k->tid, (size_t)cap, sizeof *k->tid, "rules", "tid lists", err);
        if (!p)
            return -1;
        k->tid = p;
        k->cap_tid = cap;
    }
    return 0;
}

/* The elements of a (na) not in b (nb), both ascending, into d; -1 past most. */
static long long
minus(const int32_t *a, long long na, const int32_t *b, long long nb, int32_t *d, long long most)
{
    long long i = 0, j = 0, w = 0;
    while (i < na) {
        if (j == nb || a[i] < b[j]) {
            if (w == most)
                return -1;
            d[w++] = a[i++];
        } else if (a[i] > b[j]) {
            j++;
        } else {
            i++, j++;
        }
    }
    return w;
}

/* The elements of both a and b, ascending, into d. */
static long long
both(const int32_t *a, long long na, const int32_t *b, long long nb, int32_t *d)
{
    long long i = 0, j = 0, w = 0;
    while (i < na && j < nb) {
        if (a[i] < b[j])
            i++;
        else if (a[i] > b[j])
            j++;
        else
            d[w++] = a[i++], j++;
    }
    return w;
}

/* The count of the pair of ranks i and j counted up front. */
static long long
pair_count(const struct ecl *g, long long i, long long j)
{
    if (i > j) {
        long long t = i;
        i = j;
        j = t;
    }
    return g->pairs[i * (2 * g->n - i - 1) / 2 + (j - i - 1)];
}

/*
 * Whether the class of prefix + item a of class k (tid lists) keeps
 * diffsets: dEclat's hybrid (Zaki and Gouda). Below the first level,
 * always; at the first level, when the pairs' diffsets add up to less
 * than their tid lists (dense data), as the counted pairs tell.
 */
static int
child_diff(const struct ecl *g, const struct eclass *k, int depth, int a)
{
    if (!g->diff)
        return 0;
    if (depth > 0 || !g->pairs)
        return 1;
    long long tids = 0, diffs = 0;
    for (int b = a + 1; b < k->c; b++) {
        long long c = pair_count(g, k->item[a], k->item[b]);
        if (c >= g->o->minsup) {
            tids += c;
            diffs += k->sup[a] - c;
        }
    }
    return diffs < tids;
}

static int
mine(struct ecl *g, int depth)
{
    struct eclass *k = &g->cls[depth];
    long long minsup = g->o->minsup;
    for (int a = 0; a < k->c; a++) {
        if (tick(g->o->tick, -1.0))
            return tick_fail(g->err);
        long long la = k->off[a + 1] - k->off[a], sa = k->sup[a];
        g->prefix[depth] = k->item[a];
        if (fim_emit_set(g->e, g->prefix, depth + 1, sa, g->err) < 0)
            return -1;
        if (depth + 1 >= g->o->maxlen || a + 1 == k->c)
            continue;
        struct eclass *n = &g->cls[depth + 1];
        if (class_room(n, k->c - a - 1, 0, g->err) < 0)
            return -1;
        const int32_t *ta = k->tid + k->off[a];
        n->c = 0;
        n->off[0] = 0;
        n->is_diff = k->is_diff || child_diff(g, k, depth, a);
        for (int b = a + 1; b < k->c; b++) {
            if (depth == 0 && g->pairs && pair_count(g, k->item[a], k->item[b]) < minsup)
                continue; /* the pair is not frequent: no list to build */
            const int32_t *tb = k->tid + k->off[b];
            long long lb = k->off[b + 1] - k->off[b], w = n->off[n->c], got, sup;
            /* the most the new list can hold */
            long long room = !n->is_diff ? (la < lb ? la : lb) : k->is_diff ? lb : la;
            if (class_room(n, k->c - a - 1, w + room, g->err) < 0)
                return -1;
            int32_t *d = n->tid + w;
            if (!n->is_diff) {
                got = both(ta, la, tb, lb, d);          /* t(Pab) = t(Pa) & t(Pb) */
                sup = got;
            } else {
                if (!k->is_diff)                         /* d(Pab) = t(Pa) - t(Pb) */
                    got = minus(ta, la, tb, lb, d, sa - minsup);
                else                                     /* d(Pab) = d(Pb) - d(Pa) */
                    got = minus(tb, lb, ta, la, d, sa - minsup);
                sup = got < 0 ? -1 : sa - got;
            }
            if (sup >= minsup) {
                n->item[n->c] = k->item[b];
                n->sup[n->c] = sup;
                n->off[n->c + 1] = w + got;
                n->c++;
            }
        }
        if (n->c && mine(g, depth + 1) < 0)
            return -1;
    }
    return 0;
}

/* Room for c bitsets in class k (items and supports too). */
static int
bits_room(struct eclass *k, int c, long long words, struct qerr *err)
{
    if (class_room(k, c, 0, err) < 0)
        return -1;
    long long need = (long long)c * words;
    if (need > k->cap_bits) {
        void *p = mem_realloc(k->bits, (size_t)need, sizeof *k->bits, "rules", "bitsets", err);
        if (!p)
            return -1;
        k->bits = p;
        k->cap_bits = need;
    }
    return 0;
}

/* d = a & b over n words; the bits set in d. */
__attribute__((target("popcnt"))) static long long
and_count_popcnt(const uint64_t *a, const uint64_t *b, uint64_t *d, long long n)
{
    long long c = 0;
    for (long long i = 0; i < n; i++) {
        d[i] = a[i] & b[i];
        c += __builtin_popcountll(d[i]);
    }
    return c;
}

/* The same, 8 words at a time (AVX-512 with VPOPCNTDQ). */
__attribute__((target("avx512f,avx512vpopcntdq"))) static long long
and_count_avx512(const uint64_t *a, const uint64_t *b, uint64_t *d, long long n)
{
    __m512i acc = _mm512_setzero_si512();
    long long i = 0;
    for (; i + 8 <= n; i += 8) {
        __m512i x = _mm512_and_si512(_mm512_loadu_si512(a + i), _mm512_loadu_si512(b + i));
        _mm512_storeu_si512(d + i, x);
        acc = _mm512_add_epi64(acc, _mm512_popcnt_epi64(x));
    }
    long long c = _mm512_reduce_add_epi64(acc);
    for (; i < n; i++) {
        d[i] = a[i] & b[i];
        c += __builtin_popcountll(d[i]);
    }
    return c;
}

static long long
and_count_plain(const uint64_t *a, const uint64_t *b, uint64_t *d, long long n)
{
    long long c = 0;
    for (long long i = 0; i < n; i++) {
        d[i] = a[i] & b[i];
        c += __builtin_popcountll(d[i]);
    }
    return c;
}

/* 2: AVX-512 with VPOPCNTDQ, 1: the popcnt instruction, 0: neither. */
static int
popcount_hw(void)
{
    static int hw = -1;
    if (hw < 0) {
        __builtin_cpu_init();
        hw = __builtin_cpu_supports("avx512vpopcntdq") && __builtin_cpu_supports("avx512f") ? 2
             : __builtin_cpu_supports("popcnt")                                              ? 1
                                                                                              : 0;
    }
    return hw;
}

static long long
and_count(const uint64_t *a, const uint64_t *b, uint64_t *d, long long n)
{
    int hw = popcount_hw();
    return hw == 2 ? and_count_avx512(a, b, d, n)
           : hw    ? and_count_popcnt(a, b, d, n)
                   : and_count_plain(a, b, d, n);
}

/* mine() on bitsets: the class at depth holds a bitset per item. */
static int
mine_bits(struct ecl *g, int depth)
{
    struct eclass *k = &g->cls[depth];
    long long minsup = g->o->minsup, W = g->words;
    for (int a = 0; a < k->c; a++) {
        if (tick(g->o->tick, -1.0))
            return tick_fail(g->err);
        g->prefix[depth] = k->item[a];
        if (fim_emit_set(g->e, g->prefix, depth + 1, k->sup[a], g->err) < 0)
            return -1;
        if (depth + 1 >= g->o->maxlen || a + 1 == k->c)
            continue;
        struct eclass *n = &g->cls[depth + 1];
        if (bits_room(n, k->c - a - 1, W, g->err) < 0)
            return -1;
        const uint64_t *ba = k->bits + (long long)a * W;
        n->c = 0;
        for (int b = a + 1; b < k->c; b++) {
            if (depth == 0 && g->pairs && pair_count(g, k->item[a], k->item[b]) < minsup)
                continue;
            long long sup = and_count(ba, k->bits + (long long)b * W,
                                      n->bits + (long long)n->c * W, W);
            if (sup >= minsup) {
                n->item[n->c] = k->item[b];
                n->sup[n->c] = sup;
                n->c++;
            }
        }
        if (n->c && mine_bits(g, depth + 1) < 0)
            return -1;
    }
    return 0;
}

/*
 * Whether r goes by bitsets (o->repr says, or else the density): an AND
 * and popcount of a bitset's words against a merge of two lists, which
 * costs a branch or two per tid. With AVX-512's popcount bitsets were
 * 2.2x faster than lists on basket_100k at 0.1 % (mean support n_trans /
 * 96), with the scalar popcount about even there: bitsets from a mean
 * support of n_trans / 256, n_trans / 64 and n_trans / 16 for AVX-512,
 * popcnt and neither; and only while the first level's bitsets fit in
 * 64 MiB.
 */
static int
use_bits(const struct fim_ranked *r, const struct fim_opts *o)
{
    if (o->repr != FIM_REPR_AUTO)
        return o->repr == FIM_REPR_BITS;
    long long sum = 0, words = (r->n_trans + 63) / 64;
    for (int a = 0; a < r->n; a++)
        sum += r->support[a];
    int hw = popcount_hw();
    long long per = hw == 2 ? 256 : hw == 1 ? 64 : 16;
    return sum * per >= (long long)r->n * r->n_trans && (long long)r->n * words <= (8LL << 20);
}

int
eclat_mine(const struct fim_ranked *r, struct fim_opts *o, struct fim_emit *e, int diffsets,
           struct qerr *err)
{
    int rc = -1, depths = o->maxlen < r->n ? o->maxlen : r->n;
    if (r->n == 0)
        return 0;
    struct ecl g = {.o = o, .e = e, .diff = diffsets, .err = err};
    g.cls = mem_calloc((size_t)depths, sizeof *g.cls, "rules", "tid lists", err);
    g.prefix = mem_alloc((size_t)depths, sizeof *g.prefix, "rules", "tid lists", err);
    if (!g.cls || !g.prefix)
        goto out;
    struct eclass *k = &g.cls[0];
    g.n = r->n;
    g.pairs = r->pairs;
    if (use_bits(r, o)) {
        g.words = (r->n_trans + 63) / 64;
        if (bits_room(k, r->n, g.words, err) < 0)
            goto out;
        k->c = r->n;
        memset(k->bits, 0, (size_t)(r->n * g.words) * sizeof *k->bits);
        for (int a = 0; a < r->n; a++) {
            k->item[a] = r->n - 1 - a;
            k->sup[a] = r->support[r->n - 1 - a];
        }
        for (long long tr = 0; tr < r->n_trans; tr++)
            for (long long i = r->off[tr]; i < r->off[tr + 1]; i++) {
                long long a = r->n - 1 - r->items[i];
                k->bits[a * g.words + tr / 64] |= 1ULL << (tr % 64);
            }
        rc = mine_bits(&g, 0);
        goto out;
    }
    long long total = r->off[r->n_trans];
    if (class_room(k, r->n, total + 1, err) < 0)
        goto out;
    /* least frequent first: rank n-1 at position 0 */
    k->c = r->n;
    k->off[0] = 0;
    for (int a = 0; a < r->n; a++) {
        k->item[a] = r->n - 1 - a;
        k->sup[a] = r->support[r->n - 1 - a];
        k->off[a + 1] = k->off[a] + r->support[r->n - 1 - a];
    }
    long long *fill = mem_alloc((size_t)r->n, sizeof *fill, "rules", "tid lists", err);
    if (!fill)
        goto out;
    for (int a = 0; a < r->n; a++)
        fill[a] = k->off[a];
    for (long long tr = 0; tr < r->n_trans; tr++)
        for (long long i = r->off[tr]; i < r->off[tr + 1]; i++) {
            int a = r->n - 1 - r->items[i];
            k->tid[fill[a]++] = (int32_t)tr;
        }
    free(fill);
    /* the pairs fim_mine counted skip most intersections of the first level */
    rc = mine(&g, 0);
out:
    if (g.cls)
        for (int d = 0; d < depths; d++) {
            free(g.cls[d].item);
            free(g.cls[d].off);
            free(g.cls[d].sup);
            free(g.cls[d].tid);
            free(g.cls[d].bits);
        }
    free(g.cls);
    free(g.prefix);
    return rc;
}
