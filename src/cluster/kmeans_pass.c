/*
 * kmeans_pass.c: the assignment-and-accumulate pass of kmeans.c (see
 * kmeans_pass.h): the kernels, their run-time dispatch and the threads.
 *
 * Central structure: the rows are cut into chunks, fixed by n, k and d
 * alone; threads take the next chunk from a shared counter, and each chunk
 * has its own sums, NCOPY copies of a k x ds table (ds = 8 for d <= 8,
 * else d; row j of copy l at (l * k + j) * ds). Row i adds to copy
 * i % NCOPY, so consecutive points of one cluster never wait on each
 * other's stores. The chunks are added in chunk order, so every kernel,
 * thread count and schedule gives the same bits.
 */
#include "cluster/kmeans_pass.h"

#include <cblas.h>
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/banned.h"

#define BLK 64   /* points per block: SIMD lanes = points */
#define GBLK 256 /* points per dgemm call in the GEMM path */
#define NCOPY 8  /* copies of a chunk's sums for d <= 8: one per lane of a vector of 8 points */
#define CHUNK_BLOCKS 64        /* at least 4096 rows per chunk */
#define MAX_CHUNKS 64
#define CHUNK_SUMS_BYTES (32 << 20) /* all chunks' sums together, at most */

/*
 * The per-point loops (d > 8, Manhattan, GEMM) are compiled for the widest
 * vector unit the CPU has (gcc's function multi-versioning picks a clone by
 * CPU feature when the program starts; "arch=" clones test the CPU model
 * and miss AMD parts). The d <= 8 kernel is dispatched by hand below, so
 * tests can run every variant.
 */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && \
    !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#define HOT __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define HOT
#endif

#if defined(__x86_64__) && defined(__GNUC__)
#define HAVE_X86_VARIANTS 1
#endif

#define INLINE static inline __attribute__((always_inline))

static int
ds_of(int d)
{
    return d <= 8 ? 8 : d;
}

/* Copies of the sums: wider rows rarely chain on one store, and one copy keeps them small. */
static int
copies_of(int d)
{
    return d <= 8 ? NCOPY : 1;
}

/* A kernel's view of one chunk: where its points go. */
struct run {
    const struct kmeans_pass *p;
    double *sums;
    long long *counts;
    long long changed;
};

/* size bytes at a 64-byte boundary, rounded up to whole cache lines */
static void *
line_alloc(size_t size)
{
    return aligned_alloc(64, (size + 63) / 64 * 64);
}

int
kmeans_pass_bufs_init(struct kmeans_pass_bufs *b, long long n, int k, int d, int nt)
{
    memset(b, 0, sizeof *b);
    long long nb = (n + BLK - 1) / BLK;
    long long cb = (nb + MAX_CHUNKS - 1) / MAX_CHUNKS;
    if (cb < CHUNK_BLOCKS)
        cb = CHUNK_BLOCKS;
    size_t sums = sizeof(double) * (size_t)copies_of(d) * (size_t)k * (size_t)ds_of(d);
    long long max_chunks = (long long)(CHUNK_SUMS_BYTES / sums);
    if (max_chunks < 1)
        max_chunks = 1;
    if ((nb + cb - 1) / cb > max_chunks)
        cb = (nb + max_chunks - 1) / max_chunks;
    b->n_chunks = (int)((nb + cb - 1) / cb);
    b->nt = nt < b->n_chunks ? nt : b->n_chunks;
    b->chunks = calloc((size_t)b->n_chunks, sizeof *b->chunks);
    b->tmp = calloc((size_t)b->nt, sizeof *b->tmp);
    if (!b->chunks || !b->tmp)
        return -1;
    for (int c = 0; c < b->n_chunks; c++) {
        struct kmeans_pass_chunk *ch = &b->chunks[c];
        ch->r0 = c * cb * BLK;
        ch->r1 = c == b->n_chunks - 1 ? n : (c + 1) * cb * BLK;
        ch->sums = line_alloc(sums);
        ch->counts = line_alloc(sizeof(long long) * (size_t)copies_of(d) * (size_t)k);
        if (!ch->sums || !ch->counts)
            return -1;
    }
    /* a shifted block of GBLK rows (or a tail of BLK), then GBLK x k distances */
    size_t tmp = (size_t)d * GBLK + (size_t)GBLK * (size_t)k;
    for (int t = 0; t < b->nt; t++)
        if (!(b->tmp[t] = line_alloc(sizeof(double) * tmp)))
            return -1;
    return 0;
}

void
kmeans_pass_bufs_release(struct kmeans_pass_bufs *b)
{
    for (int c = 0; b->chunks && c < b->n_chunks; c++) {
        free(b->chunks[c].sums);
        free(b->chunks[c].counts);
    }
    for (int t = 0; b->tmp && t < b->nt; t++)
        free(b->tmp[t]);
    free(b->chunks);
    free(b->tmp);
    memset(b, 0, sizeof *b);
}

/*
 * GCC/clang vector extensions: 8 doubles, 8 lanes = 8 points. The
 * compiler maps them to one AVX-512 register, two AVX or four SSE2 ones.
 * vdu is the same vector at 8-byte alignment, for loads from any row.
 */
typedef double vd __attribute__((vector_size(64)));
typedef double vdu __attribute__((vector_size(64), aligned(8)));
typedef long long vl __attribute__((vector_size(64)));
typedef int32_t vi __attribute__((vector_size(32)));
typedef int32_t viu __attribute__((vector_size(32), aligned(4)));
#define NV (BLK / 8)

/* take ? a : b, lane by lane (a macro: vector arguments would change the ABI) */
#define BLEND(take, a, b) ((vd)(((vl)(a) & (take)) | ((vl)(b) & ~(take))))
#define SHUF(a, b, ...) __builtin_shufflevector(a, b, __VA_ARGS__)

/* --- the d <= 8 kernel ------------------------------------------------------ */

/* r[l] = (x[0][l], ..., x[7][l]): point l's row (three rounds of two-vector shuffles). */
INLINE void
transpose8(const vd *x, vd *r)
{
    vd t0 = SHUF(x[0], x[1], 0, 8, 2, 10, 4, 12, 6, 14);
    vd t1 = SHUF(x[0], x[1], 1, 9, 3, 11, 5, 13, 7, 15);
    vd t2 = SHUF(x[2], x[3], 0, 8, 2, 10, 4, 12, 6, 14);
    vd t3 = SHUF(x[2], x[3], 1, 9, 3, 11, 5, 13, 7, 15);
    vd t4 = SHUF(x[4], x[5], 0, 8, 2, 10, 4, 12, 6, 14);
    vd t5 = SHUF(x[4], x[5], 1, 9, 3, 11, 5, 13, 7, 15);
    vd t6 = SHUF(x[6], x[7], 0, 8, 2, 10, 4, 12, 6, 14);
    vd t7 = SHUF(x[6], x[7], 1, 9, 3, 11, 5, 13, 7, 15);
    /* u0: coordinates 0-3 of points 0 and 4; u1: points 1, 5; ...; u4-u7: coordinates 4-7 */
    vd u0 = SHUF(t0, t2, 0, 1, 8, 9, 4, 5, 12, 13);
    vd u1 = SHUF(t1, t3, 0, 1, 8, 9, 4, 5, 12, 13);
    vd u2 = SHUF(t0, t2, 2, 3, 10, 11, 6, 7, 14, 15);
    vd u3 = SHUF(t1, t3, 2, 3, 10, 11, 6, 7, 14, 15);
    vd u4 = SHUF(t4, t6, 0, 1, 8, 9, 4, 5, 12, 13);
    vd u5 = SHUF(t5, t7, 0, 1, 8, 9, 4, 5, 12, 13);
    vd u6 = SHUF(t4, t6, 2, 3, 10, 11, 6, 7, 14, 15);
    vd u7 = SHUF(t5, t7, 2, 3, 10, 11, 6, 7, 14, 15);
    r[0] = SHUF(u0, u4, 0, 1, 2, 3, 8, 9, 10, 11);
    r[4] = SHUF(u0, u4, 4, 5, 6, 7, 12, 13, 14, 15);
    r[1] = SHUF(u1, u5, 0, 1, 2, 3, 8, 9, 10, 11);
    r[5] = SHUF(u1, u5, 4, 5, 6, 7, 12, 13, 14, 15);
    r[2] = SHUF(u2, u6, 0, 1, 2, 3, 8, 9, 10, 11);
    r[6] = SHUF(u2, u6, 4, 5, 6, 7, 12, 13, 14, 15);
    r[3] = SHUF(u3, u7, 0, 1, 2, 3, 8, 9, 10, 11);
    r[7] = SHUF(u3, u7, 4, 5, 6, 7, 12, 13, 14, 15);
}

/*
 * m <= BLK points from row i0, coordinate q at xs[q][0..BLK) (zero past m),
 * 8 at a time: their D coordinates, less the origin, stay in registers
 * while the centres go by; acc = ||c - o||^2 + sum over q of (-2 (c - o)_q)
 * (x - o)_q, in q order. Then the 8 x 8 block is transposed and point l's
 * row (less the origin) is added to copy l of the sums.
 */
INLINE void
wide_block(struct run *pp, const double *const *xs, long long i0, int m, const int D)
{
    const struct kmeans_pass *p = pp->p;
    int k = p->k;
    vi chg = {0};
    for (int v = 0; v * 8 < m; v++) {
        vd x[8];
#pragma GCC unroll 8
        for (int q = 0; q < 8; q++)
            x[q] = q < D ? *(const vdu *)(xs[q] + 8 * v) - p->o[q] : (vd){0};
        vd best = (vd){0} + DBL_MAX, idx = {0};
        for (int j = 0; j < k; j++) {
            const double *c2 = p->c2 + (long long)j * D;
            vd acc = (vd){0} + p->cn[j];
#pragma GCC unroll 8
            for (int q = 0; q < D; q++)
                acc += c2[q] * x[q];
            vl lt = acc < best;
            best = BLEND(lt, acc, best);
            idx = BLEND(lt, (vd){0} + (double)j, idx);
        }
        vi lab = __builtin_convertvector(idx, vi);
        int32_t *lp = p->labels + i0 + 8 * v;
        int mm = m - 8 * v < 8 ? m - 8 * v : 8;
        if (mm == 8) {
            chg -= (vi)(*(const viu *)lp != lab);
            *(viu *)lp = lab;
        } else {
            for (int l = 0; l < mm; l++) {
                pp->changed += lp[l] != lab[l];
                lp[l] = lab[l];
            }
        }
        if (!p->accumulate)
            continue;
        vd r[8];
        transpose8(x, r);
        for (int l = 0; l < mm; l++) {
            long long e = (long long)l * k + lab[l];
            pp->counts[e]++;
            vd *s = (vd *)pp->sums + e;
            *s += r[l];
        }
    }
    for (int l = 0; l < 8; l++)
        pp->changed += chg[l];
}

/* ROWS for NARROW_KERNEL: a coordinate at a time, from the block. */
INLINE void
rows_scalar(struct run *pp, const double *const *xs, const void *x, const int32_t *la, int b0,
            int mm, const int D)
{
    for (int l = 0; l < mm; l++) {
        long long e = (long long)((b0 + l) % NCOPY) * pp->p->k + la[l];
        pp->counts[e]++;
        double *s = pp->sums + e * 8;
#pragma GCC unroll 8
        for (int q = 0; q < D; q++)
            s[q] += xs[q][b0 + l] - pp->p->o[q];
    }
}

#ifdef HAVE_X86_VARIANTS
typedef double v4d __attribute__((vector_size(32)));

/* ROWS for 4 lanes: two 4 x 4 transposes give each point's row as two vectors of 4. */
__attribute__((target("avx2"))) INLINE void
rows_t4(struct run *pp, const double *const *xs, const v4d *x, const int32_t *la, int b0, int mm,
        const int D)
{
    v4d r[8]; /* r[l]: coordinates 0-3 of point l; r[4 + l]: coordinates 4-7 */
    for (int h = 0; h < 2; h++) {
        const v4d *y = x + 4 * h;
        v4d t0 = SHUF(y[0], y[1], 0, 4, 2, 6), t1 = SHUF(y[0], y[1], 1, 5, 3, 7);
        v4d t2 = SHUF(y[2], y[3], 0, 4, 2, 6), t3 = SHUF(y[2], y[3], 1, 5, 3, 7);
        r[4 * h + 0] = SHUF(t0, t2, 0, 1, 4, 5);
        r[4 * h + 1] = SHUF(t1, t3, 0, 1, 4, 5);
        r[4 * h + 2] = SHUF(t0, t2, 2, 3, 6, 7);
        r[4 * h + 3] = SHUF(t1, t3, 2, 3, 6, 7);
    }
    for (int l = 0; l < mm; l++) {
        long long e = (long long)((b0 + l) % NCOPY) * pp->p->k + la[l];
        pp->counts[e]++;
        v4d *s = (v4d *)(pp->sums + e * 8);
        s[0] += r[l];
        if (D > 4)
            s[1] += r[4 + l];
    }
}
#endif

/*
 * The same for units narrower than 8 doubles (a vector of 8 would not fit
 * their registers, and gcc splits its compares lane by lane): W points at
 * a time. ROWS(pp, xs, x, la, b0, mm, D) adds the mm points from block row
 * b0, labels la, coordinates x (zero from D on), to the sums. NAME##_block
 * is the kernel for D coordinates, NAME(pp, xs, i0, m) dispatches on d.
 */
#define NARROW_KERNEL(NAME, ATTR, W, ROWS)                                                        \
    typedef double NAME##_vd __attribute__((vector_size(8 * (W))));                               \
    typedef double NAME##_vdu __attribute__((vector_size(8 * (W)), aligned(8)));                  \
    typedef long long NAME##_vl __attribute__((vector_size(8 * (W))));                            \
    ATTR INLINE void NAME##_block(struct run *pp, const double *const *xs, long long i0, int m,   \
                                  const int D)                                                    \
    {                                                                                             \
        const struct kmeans_pass *p = pp->p;                                                      \
        int k = p->k;                                                                             \
        for (int v = 0; v * (W) < m; v++) {                                                       \
            NAME##_vd x[8];                                                                       \
            _Pragma("GCC unroll 8") for (int q = 0; q < 8; q++)                                   \
                x[q] = q < D ? *(const NAME##_vdu *)(xs[q] + (W) * v) - p->o[q] : (NAME##_vd){0}; \
            NAME##_vd best = (NAME##_vd){0} + DBL_MAX, idx = {0};                                 \
            for (int j = 0; j < k; j++) {                                                         \
                const double *c2 = p->c2 + (long long)j * D;                                      \
                NAME##_vd acc = (NAME##_vd){0} + p->cn[j];                                        \
                _Pragma("GCC unroll 8") for (int q = 0; q < D; q++)                               \
                    acc += c2[q] * x[q];                                                          \
                NAME##_vl lt = acc < best;                                                        \
                best = (NAME##_vd)(((NAME##_vl)acc & lt) | ((NAME##_vl)best & ~lt));              \
                NAME##_vd jj = (NAME##_vd){0} + (double)j;                                        \
                idx = (NAME##_vd)(((NAME##_vl)jj & lt) | ((NAME##_vl)idx & ~lt));                 \
            }                                                                                     \
            int mm = m - (W) * v < (W) ? m - (W) * v : (W);                                       \
            int32_t la[W];                                                                        \
            for (int l = 0; l < mm; l++) {                                                        \
                int32_t *lp = p->labels + i0 + (W) * v + l;                                       \
                la[l] = (int32_t)idx[l];                                                          \
                pp->changed += *lp != la[l];                                                      \
                *lp = la[l];                                                                      \
            }                                                                                     \
            if (p->accumulate)                                                                    \
                ROWS(pp, xs, x, la, (W) * v, mm, D);                                              \
        }                                                                                         \
    }                                                                                             \
    ATTR static void NAME(struct run *pp, const double *const *xs, long long i0, int m)           \
    {                                                                                             \
        switch (pp->p->d) {                                                                       \
        case 1: NAME##_block(pp, xs, i0, m, 1); break;                                            \
        case 2: NAME##_block(pp, xs, i0, m, 2); break;                                            \
        case 3: NAME##_block(pp, xs, i0, m, 3); break;                                            \
        case 4: NAME##_block(pp, xs, i0, m, 4); break;                                            \
        case 5: NAME##_block(pp, xs, i0, m, 5); break;                                            \
        case 6: NAME##_block(pp, xs, i0, m, 6); break;                                            \
        case 7: NAME##_block(pp, xs, i0, m, 7); break;                                            \
        default: NAME##_block(pp, xs, i0, m, 8); break;                                           \
        }                                                                                         \
    }

/* Portable: 2 doubles, SSE2 on any x86-64, or whatever the target has. */
NARROW_KERNEL(fast_vec, , 2, rows_scalar)

#ifdef HAVE_X86_VARIANTS
NARROW_KERNEL(fast_avx2, __attribute__((target("avx2"))), 4, rows_t4)

__attribute__((target("avx512f"))) static void
fast_avx512(struct run *pp, const double *const *xs, long long i0, int m)
{
    switch (pp->p->d) {
    case 1: wide_block(pp, xs, i0, m, 1); break;
    case 2: wide_block(pp, xs, i0, m, 2); break;
    case 3: wide_block(pp, xs, i0, m, 3); break;
    case 4: wide_block(pp, xs, i0, m, 4); break;
    case 5: wide_block(pp, xs, i0, m, 5); break;
    case 6: wide_block(pp, xs, i0, m, 6); break;
    case 7: wide_block(pp, xs, i0, m, 7); break;
    default: wide_block(pp, xs, i0, m, 8); break;
    }
}
#endif

enum kmeans_kernel
kmeans_pass_kernel_best(void)
{
#ifdef HAVE_X86_VARIANTS
    if (__builtin_cpu_supports("avx512f"))
        return KMEANS_KERNEL_AVX512;
    if (__builtin_cpu_supports("avx2"))
        return KMEANS_KERNEL_AVX2;
#endif
    return KMEANS_KERNEL_VECTOR;
}

int
kmeans_pass_kernel_ok(enum kmeans_kernel kernel)
{
    switch (kernel) {
    case KMEANS_KERNEL_AUTO:
    case KMEANS_KERNEL_SCALAR:
    case KMEANS_KERNEL_VECTOR:
        return 1;
#ifdef HAVE_X86_VARIANTS
    case KMEANS_KERNEL_AVX2:
        return __builtin_cpu_supports("avx2");
    case KMEANS_KERNEL_AVX512:
        return __builtin_cpu_supports("avx512f");
#endif
    default:
        return 0;
    }
}

/* --- the scalar reference and the per-point loops ------------------------------ */

/*
 * Row i's label changed or not; when accumulating, add it to copy
 * i % NCOPY. xs holds the block as it is (shift = p->o) or already less
 * the origin (shift = NULL); the sums hold x - o either way.
 */
static void
take_point(struct run *pp, long long i, int32_t j, const double *const *xs, int bi,
           const double *shift)
{
    const struct kmeans_pass *p = pp->p;
    if (p->labels[i] != j) {
        pp->changed++;
        p->labels[i] = j;
    }
    if (!p->accumulate)
        return;
    int ds = ds_of(p->d);
    long long e = (long long)(i % copies_of(p->d)) * p->k + j;
    pp->counts[e]++;
    double *s = pp->sums + e * ds;
    for (int q = 0; q < p->d; q++)
        s[q] += shift ? xs[q][bi] - shift[q] : xs[q][bi];
}

/* The plain loop every vector kernel must agree with, bit for bit (xs less the origin). */
static void
scalar_block(struct run *pp, const double *const *xs, long long i0, int m)
{
    const struct kmeans_pass *p = pp->p;
    for (int i = 0; i < m; i++) {
        double best = DBL_MAX;
        int32_t bj = 0;
        for (int j = 0; j < p->k; j++) {
            double acc = p->cn[j];
            for (int q = 0; q < p->d; q++)
                acc += p->c2[(long long)j * p->d + q] * xs[q][i];
            if (acc < best) {
                best = acc;
                bj = j;
            }
        }
        take_point(pp, i0 + i, bj, xs, i, NULL);
    }
}

/* d > 8: as fast_block, but a vector per 8 points of a block, coordinates from L1. */
HOT static void
block_fused(const struct kmeans_pass *p, const double *const *xs, int m, int32_t *bj)
{
    vd best[NV], idx[NV];
    for (int v = 0; v < NV; v++) {
        best[v] = (vd){0} + DBL_MAX;
        idx[v] = (vd){0};
    }
    for (int j = 0; j < p->k; j++) {
        const double *c2 = p->c2 + (long long)j * p->d;
        vd acc[NV];
#pragma GCC unroll 8
        for (int v = 0; v < NV; v++)
            acc[v] = (vd){0} + p->cn[j];
        for (int q = 0; q < p->d; q++) {
            const vdu *xv = (const vdu *)xs[q];
            double w = c2[q];
#pragma GCC unroll 8
            for (int v = 0; v < NV; v++)
                acc[v] += w * xv[v];
        }
        vd jj = (vd){0} + (double)j;
#pragma GCC unroll 8
        for (int v = 0; v < NV; v++) {
            vl lt = acc[v] < best[v];
            best[v] = BLEND(lt, acc[v], best[v]);
            idx[v] = BLEND(lt, jj, idx[v]);
        }
    }
    for (int i = 0; i < m; i++)
        bj[i] = (int32_t)idx[i / 8][i % 8];
}

/* Manhattan distances: sum over q of |x - c|. */
HOT static void
block_l1(const struct kmeans_pass *p, const double *const *xs, int m, int32_t *bj)
{
    double best[BLK], acc[BLK], idx[BLK]; /* idx as double: one vector width */
    for (int i = 0; i < BLK; i++) {
        best[i] = DBL_MAX;
        idx[i] = 0;
    }
    for (int j = 0; j < p->k; j++) {
        const double *c = p->c + (long long)j * p->d;
        for (int i = 0; i < BLK; i++)
            acc[i] = 0;
        for (int q = 0; q < p->d; q++) {
            const double *xq = xs[q];
            double w = c[q];
            for (int i = 0; i < BLK; i++)
                acc[i] += fabs(xq[i] - w);
        }
        for (int i = 0; i < BLK; i++) {
            int lt = acc[i] < best[i];
            best[i] = lt ? acc[i] : best[i];
            idx[i] = lt ? (double)j : idx[i];
        }
    }
    for (int i = 0; i < m; i++)
        bj[i] = (int32_t)idx[i];
}

/* GEMM path: distances of m <= GBLK points, xs less the origin (column q at xs + q * GBLK). */
HOT static void
block_gemm(const struct kmeans_pass *p, const double *xs, int m, double *dist, int32_t *bj)
{
    int k = p->k;
    /* dist (m x k, column-major, ld GBLK) = (X - o)[block, :] * (-2 (C - o)^T) */
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, m, k, p->d, 1.0, xs, GBLK, p->c2,
                p->d, 0.0, dist, GBLK);
    double best[GBLK];
    for (int i = 0; i < m; i++) {
        best[i] = DBL_MAX;
        bj[i] = 0;
    }
    for (int j = 0; j < k; j++) {
        const double *dj = dist + (long long)j * GBLK;
        double cn = p->cn[j];
        for (int i = 0; i < m; i++) {
            double v = dj[i] + cn;
            int lt = v < best[i];
            best[i] = lt ? v : best[i];
            bj[i] = lt ? j : bj[i];
        }
    }
}

/* --- chunks and threads ------------------------------------------------------ */

struct worker {
    struct kmeans_pass *p;
    struct kmeans_pass_bufs *b;
    atomic_int *next;
    double *tmp;
    long long changed;
};

/*
 * One chunk: zero its sums, then every block of its rows through the
 * kernel. tmp: d * GBLK values for a block (a zero-padded tail, or the
 * block less the origin), then GBLK * k distances for the GEMM path.
 */
static long long
chunk_run(const struct kmeans_pass *p, struct kmeans_pass_chunk *ch, double *tmp)
{
    int d = p->d;
    const double *xs[d > 0 ? d : 1];
    int32_t bj[GBLK];
    struct run r = {.p = p, .sums = ch->sums, .counts = ch->counts}, *pp = &r;
    memset(ch->sums, 0, sizeof(double) * (size_t)copies_of(d) * (size_t)p->k * (size_t)ds_of(d));
    memset(ch->counts, 0, sizeof(long long) * (size_t)copies_of(d) * (size_t)p->k);
    int fast = !p->gemm && !p->l1 && d <= 8 && p->kernel != KMEANS_KERNEL_SCALAR;
    int shifted = !fast && !p->l1; /* the per-point loops read a shifted copy */
    long long step = p->gemm ? GBLK : BLK;
    for (long long i0 = ch->r0; i0 < ch->r1; i0 += step) {
        int m = (int)(ch->r1 - i0 < step ? ch->r1 - i0 : step);
        if (shifted) {
            for (int q = 0; q < d; q++) {
                double *t = tmp + (long long)q * step, o = p->o[q];
                const double *xq = p->x + (long long)q * p->ld + i0;
                for (int i = 0; i < m; i++)
                    t[i] = xq[i] - o;
                memset(t + m, 0, sizeof(double) * (size_t)(step - m));
                xs[q] = t;
            }
        } else if (m == step) {
            for (int q = 0; q < d; q++)
                xs[q] = p->x + (long long)q * p->ld + i0;
        } else {
            /* The tail: copy into a zero-padded block so the loops stay BLK wide. */
            for (int q = 0; q < d; q++) {
                double *t = tmp + (long long)q * BLK;
                memcpy(t, p->x + (long long)q * p->ld + i0, sizeof(double) * (size_t)m);
                memset(t + m, 0, sizeof(double) * (size_t)(BLK - m));
                xs[q] = t;
            }
        }
        if (fast) {
#ifdef HAVE_X86_VARIANTS
            if (p->kernel == KMEANS_KERNEL_AVX512)
                fast_avx512(pp, xs, i0, m);
            else if (p->kernel == KMEANS_KERNEL_AVX2)
                fast_avx2(pp, xs, i0, m);
            else
#endif
                fast_vec(pp, xs, i0, m);
            continue;
        }
        if (p->kernel == KMEANS_KERNEL_SCALAR && !p->gemm && !p->l1) {
            scalar_block(pp, xs, i0, m);
            continue;
        }
        if (p->gemm)
            block_gemm(p, xs[0], m, tmp + (long long)d * GBLK, bj);
        else if (p->l1)
            block_l1(p, xs, m, bj);
        else
            block_fused(p, xs, m, bj);
        for (int i = 0; i < m; i++)
            take_point(pp, i0 + i, bj[i], xs, i, shifted ? NULL : p->o);
    }
    return r.changed;
}

/* Take chunks until none is left (a thread's whole life). */
static void *
worker_run(void *arg)
{
    struct worker *wk = arg;
    long long changed = 0; /* kept here: the workers' structs share cache lines */
    int c;
    while ((c = atomic_fetch_add(wk->next, 1)) < wk->b->n_chunks)
        changed += chunk_run(wk->p, &wk->b->chunks[c], wk->tmp);
    wk->changed = changed;
    return NULL;
}

long long
kmeans_pass_all(struct kmeans_pass *p, struct kmeans_pass_bufs *b)
{
    for (int j = 0; j < p->k; j++) {
        double s = 0;
        for (int q = 0; q < p->d; q++) {
            double v = p->c[(long long)j * p->d + q] - p->o[q];
            p->c2[(long long)j * p->d + q] = -2.0 * v;
            s += v * v;
        }
        p->cn[j] = s;
    }
    int nt = b->nt;
    atomic_int next = 0;
    struct worker wk[nt];
    pthread_t th[nt];
    int started[nt];
    for (int t = 0; t < nt; t++)
        wk[t] = (struct worker){.p = p, .b = b, .next = &next, .tmp = b->tmp[t]};
    for (int t = 1; t < nt; t++)
        started[t] = pthread_create(&th[t], NULL, worker_run, &wk[t]) == 0;
    worker_run(&wk[0]); /* a thread that did not start leaves its chunks to the others */
    long long changed = wk[0].changed;
    for (int t = 1; t < nt; t++)
        if (started[t]) {
            pthread_join(th[t], NULL);
            changed += wk[t].changed;
        }
    return changed;
}

void
kmeans_pass_reduce(const struct kmeans_pass *p, const struct kmeans_pass_bufs *b, double *sums,
                   long long *counts)
{
    int k = p->k, d = p->d, ds = ds_of(d);
    memset(sums, 0, sizeof(double) * (size_t)k * (size_t)d);
    memset(counts, 0, sizeof(long long) * (size_t)k);
    for (int c = 0; c < b->n_chunks; c++) {
        const struct kmeans_pass_chunk *ch = &b->chunks[c];
        for (int l = 0; l < copies_of(d); l++)
            for (int j = 0; j < k; j++) {
                const double *s = ch->sums + ((long long)l * k + j) * ds;
                for (int q = 0; q < d; q++)
                    sums[(long long)j * d + q] += s[q];
                counts[j] += ch->counts[(long long)l * k + j];
            }
    }
}
