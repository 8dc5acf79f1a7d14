/*
 * nn_wino.c: the float32 convolution's products by Winograd's minimal
 * filtering F(6,3) (Lavin and Gray, "Fast algorithms for convolutional
 * neural networks", 2016), for kernel-3 convolutions of 16 or more input
 * channels (nn_wino_fits): nn_conv.c's float path calls these in place of
 * im2col and its three gemms.
 *
 * The output is cut in tiles of WM = 6 steps; a tile reads WN = 8 input
 * steps d (zeros outside the input, as the padding), and its outputs are
 * y = AT [(G w) . (BT d)] for each (channel, filter) pair, the transforms
 * below (points 0, +-1, +-2, +-1/2 and infinity). Over channels that is,
 * for each of the WN points a:
 *   forward   M_a = V_a U_a       V_a = (BT d)_a [tiles][C], U_a = (G W)_a [C][F]
 *             y   = AT M + bias
 *   backward  dM_a = (A dy)_a     [tiles][F]
 *             dV_a = dM_a U_a^T   then dx = B dV (tiles overlap: summed in order)
 *             dU_a = V_a^T dM_a   then dW = G^T dU
 * 8 products of [tiles][C] by [C][F] where im2col's direct way does 3 of
 * [steps][C] by [C][F]: 16 rows against 36 for a 12-step window, 2.25x
 * fewer multiplies for each of the three passes. The transforms are exact
 * in float (BT and AT hold halves, quarters and powers of 2; U is formed
 * in double and rounded once), so the results differ from the direct
 * products by float rounding only (test_nn_fast measures it).
 *
 * Examples are independent in the forward and the input's gradient, and
 * the weight gradient splits by input channel: every value is summed in
 * one fixed order whatever the thread split (nn_conv.c's nn_par_run).
 *
 * Buffers (the layer's, for a batch of b; R = b x tiles an example):
 *   cache  V [WN][R][C]
 *   work   after nn_conv.c's dout and out ([b][T'][F] floats each, in
 *          2 b T' F doubles): M (dM) [WN][R][F], dV [WN][R][C],
 *          U [WN][C][F], U^T [WN][F][C], dU [WN][C][F], all floats
 */
#include <stdint.h>
#include <string.h>
#ifdef __x86_64__
#include <immintrin.h>
#endif

#include "base/banned.h"
#include "base/hot.h"
#include "nn/nn_layer.h"

/* A kernel's rows are apart by a stride the vectoriser cannot see is wide enough. */
#ifdef __clang__
/* a hint: under UBSan's checks (the fuzz build) clang may not vectorise and would warn */
#pragma clang diagnostic ignored "-Wpass-failed"
#define ROWS_APART _Pragma("clang loop vectorize(assume_safety)")
#else
#define ROWS_APART _Pragma("GCC ivdep")
#endif

#define WM 6   /* outputs a tile */
#define WN 8   /* points a tile (WM + 3 - 1) */
#define WCH 64 /* channels a transform step (a tile's inputs fit the stack) */
#ifndef WEX
#define WEX 8  /* examples a chunk of a pass (below) */
#endif
#define WGC 16 /* channels a chunk of the weight gradient */
/*
 * Floats between the points' matrices beyond their size: a power-of-2
 * distance (128 x 128 floats) would put the 8 rows a transform reads or
 * writes at once in one set of the L1 cache.
 */
#define WPAD 16

/*
 * The transforms (sympy's solution for these points, as in Lavin and Gray):
 *   BT [point][step]                      G [point][tap]
 *   -1    0  21/4     0 -21/4     0 1 0   -1     0     0
 *    0    1     1 -17/4 -17/4     1 1 0   -2/9  -2/9  -2/9
 *    0   -1     1  17/4 -17/4    -1 1 0   -2/9   2/9  -2/9
 *    0  1/2   1/4  -5/2  -5/4     2 1 0   1/90  1/45  2/45
 *    0 -1/2   1/4   5/2  -5/4    -2 1 0   1/90 -1/45  2/45
 *    0    2     4  -5/2    -5   1/2 1 0   32/45 16/45 8/45
 *    0   -2     4   5/2    -5  -1/2 1 0   32/45 -16/45 8/45
 *    0   -1     0  21/4     0 -21/4 0 1    0     0     1
 * and AT below; the kernels write each product out, rows in pairs
 * (p + q, p - q), so the tables themselves serve the cut tiles only.
 */

/* The output transform AT [output][point]. */
static const float AT[WM][WN] = {
    { 1, 1, 1, 1, 1, 1, 1, 0 },
    { 0, 1, -1, 2, -2, 0.5f, -0.5f, 0 },
    { 0, 1, 1, 4, 4, 0.25f, 0.25f, 0 },
    { 0, 1, -1, 8, -8, 0.125f, -0.125f, 0 },
    { 0, 1, 1, 16, 16, 0.0625f, 0.0625f, 0 },
    { 0, 1, -1, 32, -32, 0.03125f, -0.03125f, 1 },
};

int
nn_wino_fits(const struct nn_layer *l)
{
    return l->kind == NN_CONV1D && l->k == 3 && l->in_f >= 16;
}

/* Tiles an example. */
static int
tiles(const struct nn_layer *l)
{
    return (l->out_t + WM - 1) / WM;
}

size_t
nn_wino_cache(const struct nn_layer *l, int b)
{
    size_t R = (size_t)b * tiles(l);
    return (WN * (R * l->in_f + WPAD) + WPAD + 1) / 2;
}

size_t
nn_wino_work(const struct nn_layer *l, int b)
{
    size_t R = (size_t)b * tiles(l), C = (size_t)l->in_f, F = (size_t)l->units;
    return 2 * (size_t)b * l->out_t * F + (WN * (R * (F + C) + 3 * C * F + 5 * WPAD) + WPAD + 1) / 2;
}

struct wino_bufs {
    float *v, *m, *dv, *u, *ut, *du;
    size_t R;          /* rows of V, M, dV */
    size_t vs, ms, us; /* from one point's matrix to the next: V and dV, M, U (U^T, dU) */
};

/* v rounded up to a line of 64 bytes (WPAD floats): a vector's loads in the products cross none. */
static float *
line_up(float *v)
{
    return v + ((64 - (uintptr_t)v % 64) % 64) / sizeof(float);
}

static struct wino_bufs
wbufs(const struct nn_layer *l, int b)
{
    struct wino_bufs w;
    size_t C = (size_t)l->in_f, F = (size_t)l->units;
    w.R = (size_t)b * tiles(l);
    w.vs = w.R * C + WPAD;
    w.ms = w.R * F + WPAD;
    w.us = C * F + WPAD;
    w.v = line_up((float *)l->cache);
    w.m = line_up((float *)(l->work + 2 * (size_t)b * l->out_t * F));
    w.dv = w.m + WN * w.ms;
    w.u = w.dv + WN * w.vs;
    w.ut = w.u + WN * w.us;
    w.du = w.ut + WN * w.us;
    return w;
}

/*
 * v[a * vs + c] = sum_k BT[a][k] x_k[c], c < n: a tile's input transform
 * from its 8 input rows x0..x7 (a row outside the input: zeros), BT's
 * rows in pairs.
 */
HOT static void
wino_in(float *restrict v, size_t vs, const float *restrict x0, const float *restrict x1,
        const float *restrict x2, const float *restrict x3, const float *restrict x4,
        const float *restrict x5, const float *restrict x6, const float *restrict x7, int n)
{
    ROWS_APART
    for (int c = 0; c < n; c++) {
        float d0 = x0[c], d1 = x1[c], d2 = x2[c], d3 = x3[c];
        float d4 = x4[c], d5 = x5[c], d6 = x6[c], d7 = x7[c];
        float p1 = d2 + d6 - 4.25f * d4, q1 = d1 + d5 - 4.25f * d3;
        float p2 = 0.25f * d2 - 1.25f * d4 + d6, q2 = 0.5f * d1 - 2.5f * d3 + 2 * d5;
        float p3 = 4 * d2 - 5 * d4 + d6, q3 = 2 * d1 - 2.5f * d3 + 0.5f * d5;
        v[c] = d6 - d0 + 5.25f * (d2 - d4);
        v[vs + c] = p1 + q1;
        v[2 * vs + c] = p1 - q1;
        v[3 * vs + c] = p2 + q2;
        v[4 * vs + c] = p2 - q2;
        v[5 * vs + c] = p3 + q3;
        v[6 * vs + c] = p3 - q3;
        v[7 * vs + c] = d7 - d1 + 5.25f * (d3 - d5);
    }
}

/* The generic forms of the transforms below, for a tile cut by the end of the output. */
static void
wino_out_part(float *o, const float *m, size_t ms, const double *bias, int nr, int F, int relu)
{
    for (int r = 0; r < nr; r++)
        for (int f = 0; f < F; f++) {
            float s = (float)bias[f];
            for (int a = 0; a < WN; a++)
                s += AT[r][a] * m[a * ms + f];
            o[(size_t)r * F + f] = relu && !(s > 0) ? 0 : s;
        }
}

static void
wino_dm_part(float *m, size_t ms, float *d, const float *y, int nr, int F)
{
    if (y)
        for (int k = 0; k < nr * F; k++)
            d[k] = y[k] > 0 ? d[k] : 0;
    for (int a = 0; a < WN; a++)
        for (int f = 0; f < F; f++) {
            float s = 0;
            for (int r = 0; r < nr; r++)
                s += AT[r][a] * d[(size_t)r * F + f];
            m[a * ms + f] = s;
        }
}

/*
 * o[r][f] = bias[f] + sum_a AT[r][a] m[a * ms + f], r < 6, f < F: a
 * tile's outputs, then max(0, o) where relu (as nn_conv.c's pass would).
 */
#define WINO_OUT_BODY(R)                                                                       \
    ROWS_APART                                                                                 \
    for (int f = 0; f < F; f++) {                                                              \
        float m0 = m[f], m1 = m[ms + f], m2 = m[2 * ms + f], m3 = m[3 * ms + f];               \
        float m4 = m[4 * ms + f], m5 = m[5 * ms + f], m6 = m[6 * ms + f], m7 = m[7 * ms + f];  \
        float s12 = m1 + m2, d12 = m1 - m2, s34 = m3 + m4, d34 = m3 - m4;                      \
        float s56 = m5 + m6, d56 = m5 - m6, b = (float)bias[f];                                \
        o[f] = R(b + (m0 + s12 + s34 + s56));                                                  \
        o[F + f] = R(b + (d12 + 2 * d34 + 0.5f * d56));                                        \
        o[2 * F + f] = R(b + (s12 + 4 * s34 + 0.25f * s56));                                   \
        o[3 * F + f] = R(b + (d12 + 8 * d34 + 0.125f * d56));                                  \
        o[4 * F + f] = R(b + (s12 + 16 * s34 + 0.0625f * s56));                                \
        o[5 * F + f] = R(b + (d12 + 32 * d34 + 0.03125f * d56 + m7));                          \
    }
#define WINO_ID(x) (x)
#define WINO_RELU(x) wino_relu(x)

static inline float
wino_relu(float x)
{
    return x > 0 ? x : 0;
}

HOT static void
wino_out(float *restrict o, const float *restrict m, size_t ms, const double *restrict bias,
         int F, int relu)
{
    if (relu) {
        WINO_OUT_BODY(WINO_RELU)
    } else {
        WINO_OUT_BODY(WINO_ID)
    }
}

/*
 * m[a * ms + f] = sum_r AT[r][a] d[r][f], r < 6: the gradient by a tile's
 * M; wino_dm_relu first masks d by relu'(y) in place (the bias's gradient
 * sums it after), in the same pass.
 */
#define WINO_DM_BODY                                                                           \
    float E1 = e0 + e2 + e4, O1 = e1 + e3 + e5;                                                \
    float E2 = e0 + 4 * e2 + 16 * e4, O2 = 2 * e1 + 8 * e3 + 32 * e5;                         \
    float E3 = e0 + 0.25f * e2 + 0.0625f * e4, O3 = 0.5f * e1 + 0.125f * e3 + 0.03125f * e5;  \
    m[f] = e0;                                                                                 \
    m[ms + f] = E1 + O1;                                                                       \
    m[2 * ms + f] = E1 - O1;                                                                   \
    m[3 * ms + f] = E2 + O2;                                                                   \
    m[4 * ms + f] = E2 - O2;                                                                   \
    m[5 * ms + f] = E3 + O3;                                                                   \
    m[6 * ms + f] = E3 - O3;                                                                   \
    m[7 * ms + f] = e5;

HOT static void
wino_dm(float *restrict m, size_t ms, const float *restrict d, int F)
{
    ROWS_APART
    for (int f = 0; f < F; f++) {
        float e0 = d[f], e1 = d[F + f], e2 = d[2 * F + f], e3 = d[3 * F + f];
        float e4 = d[4 * F + f], e5 = d[5 * F + f];
        WINO_DM_BODY
    }
}

HOT static void
wino_dm_relu(float *restrict m, size_t ms, float *restrict d, const float *restrict y, int F)
{
    ROWS_APART
    for (int f = 0; f < F; f++) {
        float e0 = y[f] > 0 ? d[f] : 0, e1 = y[F + f] > 0 ? d[F + f] : 0;
        float e2 = y[2 * F + f] > 0 ? d[2 * F + f] : 0, e3 = y[3 * F + f] > 0 ? d[3 * F + f] : 0;
        float e4 = y[4 * F + f] > 0 ? d[4 * F + f] : 0, e5 = y[5 * F + f] > 0 ? d[5 * F + f] : 0;
        d[f] = e0;
        d[F + f] = e1;
        d[2 * F + f] = e2;
        d[3 * F + f] = e3;
        d[4 * F + f] = e4;
        d[5 * F + f] = e5;
        WINO_DM_BODY
    }
}

/* y[k] = sum_a BT[a][k] dv[a * vs + c]: column c of a tile's gradient by its input steps. */
static inline void
wino_dx_col(float y[WN], const float *restrict dv, size_t vs, int c)
{
    float v0 = dv[c], v1 = dv[vs + c], v2 = dv[2 * vs + c], v3 = dv[3 * vs + c];
    float v4 = dv[4 * vs + c], v5 = dv[5 * vs + c], v6 = dv[6 * vs + c], v7 = dv[7 * vs + c];
    float s12 = v1 + v2, d12 = v1 - v2, s34 = v3 + v4, d34 = v3 - v4;
    float s56 = v5 + v6, d56 = v5 - v6;
    y[0] = -v0;
    y[1] = d12 + 0.5f * d34 + 2 * d56 - v7;
    y[2] = 5.25f * v0 + s12 + 0.25f * s34 + 4 * s56;
    y[3] = -4.25f * d12 - 2.5f * d34 - 2.5f * d56 + 5.25f * v7;
    y[4] = -5.25f * v0 - 4.25f * s12 - 1.25f * s34 - 5 * s56;
    y[5] = d12 + 2 * d34 + 0.5f * d56 - 5.25f * v7;
    y[6] = v0 + s12 + s34 + s56;
    y[7] = v7;
}

/* x[k][c] = wino_dx_col's y[k], c < n: a tile's gradient by its input steps. */
HOT static void
wino_dx(float (*restrict x)[WCH], const float *restrict dv, size_t vs, int n)
{
    ROWS_APART
    for (int c = 0; c < n; c++) {
        float y[WN];
        wino_dx_col(y, dv, vs, c);
        for (int k = 0; k < WN; k++)
            x[k][c] = y[k];
    }
}

/*
 * The same added to the rows x0..x7 of the previous layer's float
 * gradient (each sum as wino_dx's value then added: the same bits); a row
 * outside the input is a scratch row.
 */
HOT static void
wino_dx_add(float *restrict x0, float *restrict x1, float *restrict x2, float *restrict x3,
            float *restrict x4, float *restrict x5, float *restrict x6, float *restrict x7,
            const float *restrict dv, size_t vs, int n)
{
    ROWS_APART
    for (int c = 0; c < n; c++) {
        float y[WN];
        wino_dx_col(y, dv, vs, c);
        x0[c] += y[0];
        x1[c] += y[1];
        x2[c] += y[2];
        x3[c] += y[3];
        x4[c] += y[4];
        x5[c] += y[5];
        x6[c] += y[6];
        x7[c] += y[7];
    }
}

/* u[a * us + f] = sum_j G[a][j] w_j[f] in double, rounded once: the kernel's transform. */
HOT static void
wino_u(float *restrict u, size_t us, const double *restrict w0, const double *restrict w1,
       const double *restrict w2, int F)
{
    ROWS_APART
    for (int f = 0; f < F; f++) {
        double a = w0[f], b = w1[f], c = w2[f], ac = a + c;
        u[f] = (float)-a;
        u[us + f] = (float)(-2.0 / 9 * (ac + b));
        u[2 * us + f] = (float)(-2.0 / 9 * (ac - b));
        u[3 * us + f] = (float)(1.0 / 90 * a + 2.0 / 45 * c + 1.0 / 45 * b);
        u[4 * us + f] = (float)(1.0 / 90 * a + 2.0 / 45 * c - 1.0 / 45 * b);
        u[5 * us + f] = (float)(32.0 / 45 * a + 8.0 / 45 * c + 16.0 / 45 * b);
        u[6 * us + f] = (float)(32.0 / 45 * a + 8.0 / 45 * c - 16.0 / 45 * b);
        u[7 * us + f] = (float)c;
    }
}

/* g_j[f] = sum_a G[a][j] du[a * us + f] in double: the weight gradient from dU's. */
HOT static void
wino_g(double *restrict g0, double *restrict g1, double *restrict g2, const float *restrict du,
       size_t us, int F)
{
    ROWS_APART
    for (int f = 0; f < F; f++) {
        double u0 = du[f], u1 = du[us + f], u2 = du[2 * us + f], u3 = du[3 * us + f];
        double u4 = du[4 * us + f], u5 = du[5 * us + f], u6 = du[6 * us + f], u7 = du[7 * us + f];
        double s12 = u1 + u2, s34 = u3 + u4, s56 = u5 + u6;
        g0[f] = -u0 - 2.0 / 9 * s12 + 1.0 / 90 * s34 + 32.0 / 45 * s56;
        g1[f] = -2.0 / 9 * (u1 - u2) + 1.0 / 45 * (u3 - u4) + 16.0 / 45 * (u5 - u6);
        g2[f] = -2.0 / 9 * s12 + 2.0 / 45 * s34 + 8.0 / 45 * s56 + u7;
    }
}

/* ut[f * C + c] = u[c * F + f], channels [c0, c1), filters [f0, f1): one point's U^T. */
static void
wino_tr_plain(float *restrict ut, const float *restrict u, int C, int F, int c0, int c1, int f0,
              int f1)
{
    for (int cb = c0; cb < c1; cb += 16) {
        int ce = c1 - cb < 16 ? c1 : cb + 16;
        for (int f = f0; f < f1; f++)
            for (int c = cb; c < ce; c++)
                ut[(size_t)f * C + c] = u[(size_t)c * F + f];
    }
}

#ifdef __x86_64__
/* The same, in blocks of 8 x 8 transposed in registers (unpacks, shuffles, lane swaps). */
__attribute__((target("avx"))) static void
wino_tr_avx(float *restrict ut, const float *restrict u, int C, int F, int c0, int c1, int f0,
            int f1)
{
    int c8 = c0 + (c1 - c0) / 8 * 8, f = f0;
    for (; f + 8 <= f1; f += 8) {
        for (int c = c0; c < c8; c += 8) {
            const float *s = u + (size_t)c * F + f;
            __m256 r0 = _mm256_loadu_ps(s), r1 = _mm256_loadu_ps(s + F);
            __m256 r2 = _mm256_loadu_ps(s + 2 * (size_t)F), r3 = _mm256_loadu_ps(s + 3 * (size_t)F);
            __m256 r4 = _mm256_loadu_ps(s + 4 * (size_t)F), r5 = _mm256_loadu_ps(s + 5 * (size_t)F);
            __m256 r6 = _mm256_loadu_ps(s + 6 * (size_t)F), r7 = _mm256_loadu_ps(s + 7 * (size_t)F);
            __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1);
            __m256 t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);
            __m256 t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5);
            __m256 t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
            __m256 q0 = _mm256_shuffle_ps(t0, t2, 0x44), q1 = _mm256_shuffle_ps(t0, t2, 0xee);
            __m256 q2 = _mm256_shuffle_ps(t1, t3, 0x44), q3 = _mm256_shuffle_ps(t1, t3, 0xee);
            __m256 q4 = _mm256_shuffle_ps(t4, t6, 0x44), q5 = _mm256_shuffle_ps(t4, t6, 0xee);
            __m256 q6 = _mm256_shuffle_ps(t5, t7, 0x44), q7 = _mm256_shuffle_ps(t5, t7, 0xee);
            float *o = ut + (size_t)f * C + c;
            _mm256_storeu_ps(o, _mm256_permute2f128_ps(q0, q4, 0x20));
            _mm256_storeu_ps(o + C, _mm256_permute2f128_ps(q1, q5, 0x20));
            _mm256_storeu_ps(o + 2 * (size_t)C, _mm256_permute2f128_ps(q2, q6, 0x20));
            _mm256_storeu_ps(o + 3 * (size_t)C, _mm256_permute2f128_ps(q3, q7, 0x20));
            _mm256_storeu_ps(o + 4 * (size_t)C, _mm256_permute2f128_ps(q0, q4, 0x31));
            _mm256_storeu_ps(o + 5 * (size_t)C, _mm256_permute2f128_ps(q1, q5, 0x31));
            _mm256_storeu_ps(o + 6 * (size_t)C, _mm256_permute2f128_ps(q2, q6, 0x31));
            _mm256_storeu_ps(o + 7 * (size_t)C, _mm256_permute2f128_ps(q3, q7, 0x31));
        }
        if (c8 < c1)
            wino_tr_plain(ut, u, C, F, c8, c1, f, f + 8);
    }
    if (f < f1)
        wino_tr_plain(ut, u, C, F, c0, c1, f, f1);
}
#endif

/* U^T from U, channels [c0, c1), filters [f0, f1), every point. */
static void
wino_tr(const struct wino_bufs *w, int C, int F, int c0, int c1, int f0, int f1)
{
    for (int a = 0; a < WN; a++) {
        const float *u = w->u + a * w->us;
        float *t = w->ut + a * w->us;
#ifdef __x86_64__
        if (nn_isa() > 0) {
            wino_tr_avx(t, u, C, F, c0, c1, f0, f1);
            continue;
        }
#endif
        wino_tr_plain(t, u, C, F, c0, c1, f0, f1);
    }
}

void
nn_wino_weights(struct nn_layer *l, const double *p, int b, int ut, int k0, int k1)
{
    int C = l->in_f, F = l->units;
    struct wino_bufs w = wbufs(l, b);
    if (ut == 1) { /* U^T's rows [k0, k1) (filters): U's columns */
        wino_tr(&w, C, F, 0, C, k0, k1);
        return;
    }
    size_t ws = (size_t)C * F;
    for (int c = k0; c < k1; c++) {
        const double *w0 = p + (size_t)c * F;
        wino_u(w.u + (size_t)c * F, w.us, w0, w0 + ws, w0 + 2 * ws, F);
    }
}

/* nn_wino_forward for the chunk of examples [i0, i1) (o: their rows), M in rows from sr. */
static void
forward_chunk(struct nn_layer *l, const float *xin, const double *x, const double *bias, int b,
              int i0, int i1, float *o, int relu, size_t sr)
{
    int T = l->in_t, C = l->in_f, Tp = l->out_t, F = l->units, nt = tiles(l);
    int l0 = l->same ? 1 : 0;
    struct wino_bufs w = wbufs(l, b);
    size_t vs = w.vs, ms = w.ms, r0 = (size_t)i0 * nt, nr = (size_t)(i1 - i0) * nt;
    static const float zeros[WCH];
    float xt[WN][WCH];
    for (int i = i0; i < i1; i++)
        for (int s = 0; s < nt; s++) {
            size_t row = (size_t)i * nt + s;
            for (int c0 = 0; c0 < C; c0 += WCH) {
                int nc = C - c0 < WCH ? C - c0 : WCH;
                const float *r[WN];
                for (int k = 0; k < WN; k++) {
                    int t = s * WM - l0 + k;
                    size_t at = ((size_t)i * T + t) * C + c0;
                    if (t < 0 || t >= T) {
                        r[k] = zeros;
                    } else if (xin) { /* straight from the rows */
                        r[k] = xin + at;
                    } else {
                        for (int c = 0; c < nc; c++)
                            xt[k][c] = (float)x[at + c];
                        r[k] = xt[k];
                    }
                }
                wino_in(w.v + row * C + c0, vs, r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7],
                        nc);
            }
        }
    for (int a = 0; a < WN; a++)
        nn_sgemm(0, (int)nr, F, C, w.v + a * vs + r0 * C, C, w.u + a * w.us, F, 0.0f,
                 w.m + a * ms + sr * F, F);
    for (int i = i0; i < i1; i++)
        for (int s = 0; s < nt; s++) {
            int n = Tp - s * WM < WM ? Tp - s * WM : WM;
            float *os = o + ((size_t)(i - i0) * Tp + (size_t)s * WM) * F;
            const float *ms0 = w.m + (sr + (size_t)(i - i0) * nt + s) * F;
            if (n == WM)
                wino_out(os, ms0, ms, bias, F, relu);
            else
                wino_out_part(os, ms0, ms, bias, n, F, relu);
        }
}

/* nn_wino_backward for the chunk of examples [i0, i1) (d, y: their rows), dV in rows from sr. */
static void
backward_chunk(struct nn_layer *l, int b, int i0, int i1, float *d, const float *y, float *dxf,
               double *dx, size_t sr)
{
    int T = l->in_t, C = l->in_f, Tp = l->out_t, F = l->units, nt = tiles(l);
    int l0 = l->same ? 1 : 0;
    struct wino_bufs w = wbufs(l, b);
    size_t vs = w.vs, ms = w.ms, r0 = (size_t)i0 * nt, nr = (size_t)(i1 - i0) * nt;
    for (int i = i0; i < i1; i++)
        for (int s = 0; s < nt; s++) {
            int n = Tp - s * WM < WM ? Tp - s * WM : WM;
            float *m = w.m + ((size_t)i * nt + s) * F;
            size_t at = ((size_t)(i - i0) * Tp + (size_t)s * WM) * F;
            if (n == WM && y)
                wino_dm_relu(m, ms, d + at, y + at, F);
            else if (n == WM)
                wino_dm(m, ms, d + at, F);
            else
                wino_dm_part(m, ms, d + at, y ? y + at : NULL, n, F);
        }
    if (!dxf && !dx)
        return;
    for (int a = 0; a < WN; a++)
        nn_sgemm(0, (int)nr, C, F, w.m + a * ms + r0 * F, F, w.ut + a * w.us, C, 0.0f,
                 w.dv + a * vs + sr * C, C);
    float xt[WN][WCH];
    for (int i = i0; i < i1; i++) {
        size_t at = (size_t)i * T * C;
        if (dxf)
            memset(dxf + at, 0, (size_t)T * C * sizeof(float));
        else
            memset(dx + at, 0, (size_t)T * C * sizeof(double));
        for (int s = 0; s < nt; s++) {
            const float *dv = w.dv + (sr + (size_t)(i - i0) * nt + s) * C;
            for (int c0 = 0; c0 < C; c0 += WCH) {
                int nc = C - c0 < WCH ? C - c0 : WCH;
                if (dxf) { /* straight into the rows, xt the rows outside the input */
                    float *r[WN];
                    for (int k = 0; k < WN; k++) {
                        int t = s * WM - l0 + k;
                        r[k] = t < 0 || t >= T ? xt[k] : dxf + ((size_t)i * T + t) * C + c0;
                    }
                    wino_dx_add(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], dv + c0, vs, nc);
                    continue;
                }
                wino_dx(xt, dv + c0, vs, nc);
                for (int k = 0; k < WN; k++) {
                    int t = s * WM - l0 + k;
                    if (t < 0 || t >= T)
                        continue;
                    size_t o = ((size_t)i * T + t) * C + c0;
                    for (int c = 0; c < nc; c++)
                        dx[o + c] += xt[k][c];
                }
            }
        }
    }
}

/*
 * The passes go over examples in chunks of WEX, so a chunk's M (dV) is
 * still in cache when its output (input) transform reads it; the chunks
 * of a part [i0, i1) share the rows of its first chunk for M (dV), which
 * nothing else reads, so they stay in cache from chunk to chunk. Every
 * value is the same whatever the chunks (the products give a row the
 * same bits whichever rows share their call).
 */
void
nn_wino_forward(struct nn_layer *l, const float *xin, const double *x, const double *bias,
                int b, int i0, int i1, float *o, int relu)
{
    size_t ex = (size_t)l->out_t * l->units; /* output floats an example */
    for (int c0 = i0; c0 < i1; c0 += WEX) {
        int c1 = i1 - c0 < WEX ? i1 : c0 + WEX;
        forward_chunk(l, xin, x, bias, b, c0, c1, o + (size_t)(c0 - i0) * ex, relu,
                      (size_t)i0 * tiles(l));
    }
}

void
nn_wino_backward(struct nn_layer *l, int b, int i0, int i1, float *d, const float *y,
                 float *dxf, double *dx)
{
    size_t ex = (size_t)l->out_t * l->units;
    for (int c0 = i0; c0 < i1; c0 += WEX) {
        int c1 = i1 - c0 < WEX ? i1 : c0 + WEX;
        size_t at = (size_t)(c0 - i0) * ex;
        backward_chunk(l, b, c0, c1, d + at, y ? y + at : NULL, dxf, dx, (size_t)i0 * tiles(l));
    }
}

void
nn_wino_wgrad(struct nn_layer *l, int b, int c0, int c1, double *g)
{
    int C = l->in_f, F = l->units;
    struct wino_bufs w = wbufs(l, b);
    size_t vs = w.vs, ms = w.ms;
    /* WGC channels at a time, their dU in the rows of c0's (in cache for wino_g) */
    for (int cb = c0; cb < c1; cb += WGC) {
        int ce = c1 - cb < WGC ? c1 : cb + WGC;
        float *du = w.du + (size_t)c0 * F;
        for (int a = 0; a < WN; a++)
            nn_sgemm(1, ce - cb, F, (int)w.R, w.v + a * vs + cb, C, w.m + a * ms, F, 0.0f,
                     du + a * w.us, F);
        for (int c = cb; c < ce; c++) {
            double *g0 = g + (size_t)c * F;
            wino_g(g0, g0 + (size_t)C * F, g0 + 2 * (size_t)C * F, du + (size_t)(c - cb) * F,
                   w.us, F);
        }
    }
}
