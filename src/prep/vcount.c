/*
 * vcount.c: counting values in a hash table (vcount.h): open addressing,
 * linear probing, grown to twice its size when half full.
 */
#include "prep/vcount.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

#include "base/banned.h"

void
vcount_init(struct vcount *h, const char *who)
{
    memset(h, 0, sizeof(*h));
    h->who = who;
}

void
vcount_release(struct vcount *h)
{
    free(h->key);
    free(h->n);
    vcount_init(h, h->who);
}

/* The slot of v's hash in a table of cap slots (cap a power of two). */
static size_t
slot_of(double v, size_t cap)
{
    uint64_t b;
    memcpy(&b, &v, sizeof b);
    /* splitmix64's finaliser: every bit of the double moves the slot */
    b ^= b >> 30;
    b *= 0xbf58476d1ce4e5b9ULL;
    b ^= b >> 27;
    b *= 0x94d049bb133111ebULL;
    b ^= b >> 31;
    return (size_t)b & (cap - 1);
}

static int
grow(struct vcount *h, struct qerr *err)
{
    size_t cap = h->cap ? 2 * h->cap : 1024;
    double *key = mem_alloc(cap, sizeof(*key), h->who, "distinct values", err);
    long long *n = key ? mem_calloc(cap, sizeof(*n), h->who, "distinct values", err) : NULL;
    if (!n) {
        free(key);
        return -1;
    }
    for (size_t i = 0; i < h->cap; i++) {
        if (!h->n[i])
            continue;
        size_t s = slot_of(h->key[i], cap);
        while (n[s])
            s = (s + 1) & (cap - 1);
        key[s] = h->key[i];
        n[s] = h->n[i];
    }
    free(h->key);
    free(h->n);
    h->key = key;
    h->n = n;
    h->cap = cap;
    return 0;
}

int
vcount_add(struct vcount *h, double v, long long *count, struct qerr *err)
{
    if (v == 0)
        v = 0.0; /* -0 is 0 */
    if (2 * (h->used + 1) > h->cap && grow(h, err) < 0)
        return -1;
    size_t s = slot_of(v, h->cap);
    while (h->n[s] && h->key[s] != v)
        s = (s + 1) & (h->cap - 1);
    if (!h->n[s]) {
        h->key[s] = v;
        h->used++;
    }
    long long c = ++h->n[s];
    /* a value reaching the top count is compared then, so ties end on the smallest */
    if (c > h->mode_n || (c == h->mode_n && v < h->mode)) {
        h->mode_n = c;
        h->mode = v;
    }
    *count = c;
    return 0;
}
