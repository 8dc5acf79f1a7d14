/*
 * frame_alloc.c: frames' memory (see frame.h): the struct, its value
 * block aligned for CBLAS (in huge pages when large), and the reference
 * count that the cache and the frames' borrowers share.
 */
#include "data/frame.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "base/buf.h"
#include "base/fault.h"
#include "base/mem.h"
#include "data/frame_int.h"

#include "base/banned.h"

/* A block of level strings (frame_int.h, frame_blocks_add). */
struct level_block {
    struct level_block *next;
    size_t cap, used;
    char data[];
};

char *
frame_blocks_add(void **head, size_t len)
{
    struct level_block *b = *head;
    if (!b || b->cap - b->used < len) {
        size_t cap = b ? b->cap * 2 : 4096;
        if (cap > ((size_t)1 << 20))
            cap = (size_t)1 << 20;
        if (cap < len)
            cap = len;
        struct level_block *nb = xmalloc(sizeof(*nb) + cap);
        nb->next = b;
        nb->cap = cap;
        nb->used = 0;
        *head = b = nb;
    }
    char *p = b->data + b->used;
    b->used += len;
    return p;
}

void
frame_blocks_free(void *head)
{
    for (struct level_block *b = head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
}

/* Whether p lies in the allocation of f->x (frame.h x_size): freed with it. */
static int
in_x(const struct frame *f, const void *p)
{
    const char *q = p, *x = (const char *)f->x;
    return f->x_size && q >= x && q < x + f->x_size;
}

static void
frame_free(struct frame *f)
{
    if (!f)
        return;
    for (int j = 0; j < f->n_cols; j++) {
        free(f->names[j]);
        if (!in_x(f, f->mask[j]))
            free(f->mask[j]);
        if (!in_x(f, f->code[j]))
            free(f->code[j]);
        if (f->level_blocks && f->level_blocks[j])
            frame_blocks_free(f->level_blocks[j]);
        else
            for (int l = 0; l < f->n_levels[j]; l++)
                free(f->levels[j][l]);
        free(f->levels[j]);
    }
    free(f->names);
    free(f->kind);
    free(f->decl);
    free(f->x);
    free(f->mask);
    free(f->n_missing);
    free(f->n_nonnum);
    free(f->code);
    free(f->levels);
    free(f->level_blocks);
    free(f->n_levels);
    free(f->rowid);
    free(f);
}

void
frame_release(struct frame *f)
{
    if (f && --f->refs == 0)
        frame_free(f);
}

#define HUGE_BYTES ((size_t)2 << 20)

/*
 * 64-byte aligned memory, freed with free(). Blocks of 2 MiB and more sit
 * on 2 MiB boundaries in transparent huge pages where the kernel offers
 * them: 512x fewer page faults, which cost 15-20% of reading a frame of
 * 5M rows on a virtual machine (bench/sections/rfm.sh). NULL when out of memory.
 */
static void *
big_alloc(size_t bytes)
{
    if (bytes == SIZE_MAX || fault_oom("frame"))
        return NULL;
    if (bytes < HUGE_BYTES)
        return aligned_alloc(64, (bytes + 63) / 64 * 64);
    size_t size = (bytes + HUGE_BYTES - 1) / HUGE_BYTES * HUGE_BYTES;
    void *p = aligned_alloc(HUGE_BYTES, size);
    if (p)
        madvise(p, size, MADV_HUGEPAGE);
    return p;
}

struct frame *
frame_make(long long n_rows, int n_cols, double *x, long long ld, struct qerr *err)
{
    struct frame *f = xcalloc(1, sizeof(*f));
    f->n_rows = n_rows;
    f->ld = x ? ld : (n_rows + 7) / 8 * 8;
    if (f->ld == 0)
        f->ld = 8;
    f->n_cols = n_cols;
    f->names = xcalloc((size_t)n_cols + 1, sizeof(char *));
    f->kind = xcalloc((size_t)n_cols + 1, sizeof(*f->kind));
    f->decl = xcalloc((size_t)n_cols + 1, sizeof(*f->decl));
    size_t cells = mem_mul((size_t)f->ld, (size_t)(n_cols ? n_cols : 1));
    /* the budget (mem.h) first: a frame is the biggest allocation most commands make */
    if (!x && mem_charge(cells, sizeof(double), "frame", "values", err) == 0)
        x = big_alloc(mem_mul(cells, sizeof(double)));
    f->x = x;
    if (!f->x)
        mem_fail(cells, sizeof(double), "frame", "values", err);
    /* Rows are filled by the reader; only the padding past n_rows is zeroed. */
    for (int j = 0; f->x && j < n_cols; j++)
        for (long long r = n_rows; r < f->ld; r++)
            f->x[(long long)j * f->ld + r] = 0;
    f->mask = xcalloc((size_t)n_cols + 1, sizeof(*f->mask));
    f->n_missing = xcalloc((size_t)n_cols + 1, sizeof(long long));
    f->n_nonnum = xcalloc((size_t)n_cols + 1, sizeof(long long));
    f->code = xcalloc((size_t)n_cols + 1, sizeof(*f->code));
    f->levels = xcalloc((size_t)n_cols + 1, sizeof(*f->levels));
    f->n_levels = xcalloc((size_t)n_cols + 1, sizeof(int));
    f->level_blocks = xcalloc((size_t)n_cols + 1, sizeof(*f->level_blocks));
    size_t n_ids = (size_t)(n_rows ? n_rows : 1);
    f->rowid = f->x ? big_alloc(mem_mul(n_ids, sizeof(sqlite3_int64))) : NULL;
    if (f->x && !f->rowid)
        mem_fail(n_ids, sizeof(sqlite3_int64), "frame", "rowids", err);
    f->refs = 1;
    if (!f->rowid) {
        frame_free(f);
        return NULL;
    }
    return f;
}

double *
frame_block_alloc(long long ld, int n_cols)
{
    size_t cells = mem_mul((size_t)ld, (size_t)(n_cols ? n_cols : 1));
    return big_alloc(mem_mul(cells, sizeof(double)));
}

static size_t
add_size(size_t a, size_t b)
{
    return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

/* A block of frame_block_alloc_text: its bytes, and where its masks start. */
static size_t
text_block_bytes(long long ld, int n_cols, int n_text, size_t *masks_at)
{
    size_t cells = mem_mul((size_t)ld, (size_t)(n_cols ? n_cols : 1));
    size_t at = mem_mul(cells, sizeof(double));
    at = add_size(at, mem_mul(mem_mul((size_t)ld, (size_t)n_text), sizeof(int32_t)));
    if (masks_at)
        *masks_at = at;
    return add_size(at, mem_mul((size_t)ld, (size_t)n_cols));
}

double *
frame_block_alloc_text(long long ld, int n_cols, int n_text)
{
    return big_alloc(text_block_bytes(ld, n_cols, n_text, NULL));
}

int32_t *
frame_block_codes(double *block, long long ld, int n_cols, int k)
{
    return (int32_t *)(block + ld * (n_cols ? n_cols : 1)) + ld * k;
}

struct frame *
frame_from_columns(long long n_rows, int n_cols, char *const *names, double *block,
                   long long ld, int32_t **codes, char ***levels, const int *n_levels)
{
    int n_text = 0;
    for (int j = 0; j < n_cols; j++)
        n_text += codes[j] != NULL;
    size_t masks_at;
    size_t size = text_block_bytes(ld, n_cols, n_text, &masks_at);
    struct frame *f = frame_make(n_rows, n_cols, block, ld, NULL);
    if (!f) {
        for (int j = 0; j < n_cols; j++) {
            for (int l = 0; codes[j] && l < n_levels[j]; l++)
                free(levels[j][l]);
            free(levels[j]);
        }
        return NULL;
    }
    f->x_size = size;
    for (long long r = 0; r < n_rows; r++)
        f->rowid[r] = r + 1;
    for (int j = 0; j < n_cols; j++) { /* the frame owns every column's arrays first */
        f->names[j] = xstrdup(names[j]);
        f->kind[j] = codes[j] ? FRAME_TEXT : FRAME_NUM;
        f->code[j] = codes[j];
        f->levels[j] = codes[j] ? levels[j] : NULL;
        f->n_levels[j] = codes[j] ? n_levels[j] : 0;
    }
    /*
     * One pass a column, no branch a cell: a text column's slot in x from
     * its codes, and every column's flags in its place in the block, which
     * becomes its mask when something is missing.
     */
    for (int j = 0; j < n_cols; j++) {
        double *x = frame_col(f, j);
        const int32_t *k = f->code[j];
        unsigned char *m = (unsigned char *)block + masks_at + (size_t)j * (size_t)ld;
        long long miss = 0;
        if (k) {
            for (long long r = 0; r < n_rows; r++) {
                x[r] = k[r] < 0 ? NAN : (double)k[r];
                m[r] = k[r] < 0;
                miss += m[r];
            }
        } else {
            for (long long r = 0; r < n_rows; r++) {
                m[r] = isnan(x[r]) != 0;
                miss += m[r];
            }
        }
        f->n_missing[j] = miss;
        f->mask[j] = miss ? m : NULL;
    }
    return f;
}
