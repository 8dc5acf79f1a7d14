/*
 * nn_gemm.c: C = A B + beta C for the network's small matrices
 * (nn_layer.h). The shapes here are small (a batch of 64 rows by a few
 * hundred columns), where a BLAS's packing and dispatch cost as much as
 * the multiply, and OpenBLAS may run generic kernels on a CPU it does not
 * recognise. The kernel keeps an 8 x 2W block of C in registers (W
 * doubles a vector: 8 with AVX-512 and its 32 registers), or 4 x 2W (AVX2,
 * W = 4, 16 registers), chosen once at run time, and streams a row of B
 * and a column of the block's A per step of k; the edges go 1
 * vector, then 1 value, at a time (a caller pads N to a multiple of W to
 * keep every column in vectors). A is read through strides, so A or
 * its transpose is the same kernel; a transposed B goes to CBLAS (but for
 * an outer product, K = 1, written here: the same bits).
 * The order of the sums is fixed by the shapes alone: results do not
 * depend on the thread count, and a value of C is the same whichever rows
 * share its call (the recurrent layers' threads rely on it). nn_sgemm is
 * the same kernel over float32 (16 lanes with AVX-512), for the
 * convolution's float path.
 */
#include <cblas.h>
#include <string.h>

#include "base/banned.h"
#include "nn/nn_layer.h"

typedef double v8d __attribute__((vector_size(64)));
typedef double v4d __attribute__((vector_size(32)));
typedef float v16f __attribute__((vector_size(64)));
typedef float v8f __attribute__((vector_size(32)));

/*
 * C[M][N] += A B (z: C = A B, C not read), a(i,k) = A[i*si + k*sk], B
 * row-major (ldb), C (ldc). z starts the sums at 0 where beta 0 would
 * clear C first: the same bits, without the pass over C.
 */
#define GEMM_LD(V, x, c)               \
    do {                               \
        if (z)                         \
            x = (V){ 0 };              \
        else                           \
            memcpy(&(x), c, sizeof(V)); \
    } while (0)
#define GEMM_BODY(V, W, R8, T)                                                               \
    int i8 = 0, jend = N / (2 * W) * (2 * W);                                             \
    for (; R8 && i8 + 8 <= M; i8 += 8)                                                    \
        for (int j = 0; j < jend; j += 2 * W) {                                           \
            V x[8][2], b0, b1;                                                            \
            _Pragma("GCC unroll 8") for (int r = 0; r < 8; r++) {                         \
                if (z) {                                                                  \
                    x[r][0] = (V){ 0 };                                                   \
                    x[r][1] = (V){ 0 };                                                   \
                } else {                                                                  \
                    memcpy(&x[r][0], C + (size_t)(i8 + r) * ldc + j, sizeof(V));          \
                    memcpy(&x[r][1], C + (size_t)(i8 + r) * ldc + j + W, sizeof(V));      \
                }                                                                         \
            }                                                                             \
            const T *ak = A + (size_t)i8 * si;                                       \
            for (int k = 0; k < K; k++, ak += sk) {                                       \
                const T *bk = B + (size_t)k * ldb + j;                               \
                memcpy(&b0, bk, sizeof(V));                                               \
                memcpy(&b1, bk + W, sizeof(V));                                           \
                _Pragma("GCC unroll 8") for (int r = 0; r < 8; r++) {                     \
                    T s_ = ak[(size_t)r * si];                                       \
                    x[r][0] += s_ * b0;                                                   \
                    x[r][1] += s_ * b1;                                                   \
                }                                                                         \
            }                                                                             \
            _Pragma("GCC unroll 8") for (int r = 0; r < 8; r++) {                         \
                memcpy(C + (size_t)(i8 + r) * ldc + j, &x[r][0], sizeof(V));              \
                memcpy(C + (size_t)(i8 + r) * ldc + j + W, &x[r][1], sizeof(V));          \
            }                                                                             \
        }                                                                                 \
    int i = 0;                                                                            \
    for (; i + 4 <= M; i += 4) {                                                          \
        const T *a0 = A + (size_t)i * si, *a1 = a0 + si, *a2 = a1 + si, *a3 = a2 + si; \
        T *c0 = C + (size_t)i * ldc, *c1 = c0 + ldc, *c2 = c1 + ldc, *c3 = c2 + ldc;  \
        int j = i < i8 ? jend : 0; /* the 8-row bands did the first jend columns */       \
        for (; j + 2 * W <= N; j += 2 * W) {                                              \
            V x00, x01, x10, x11, x20, x21, x30, x31, b0, b1;                             \
            GEMM_LD(V, x00, c0 + j);                                                         \
            GEMM_LD(V, x01, c0 + j + W);                                                     \
            GEMM_LD(V, x10, c1 + j);                                                         \
            GEMM_LD(V, x11, c1 + j + W);                                                     \
            GEMM_LD(V, x20, c2 + j);                                                         \
            GEMM_LD(V, x21, c2 + j + W);                                                     \
            GEMM_LD(V, x30, c3 + j);                                                         \
            GEMM_LD(V, x31, c3 + j + W);                                                     \
            for (int k = 0; k < K; k++) {                                                 \
                const T *bk = B + (size_t)k * ldb + j;                               \
                memcpy(&b0, bk, sizeof(V));                                               \
                memcpy(&b1, bk + W, sizeof(V));                                           \
                size_t o = (size_t)k * sk;                                                \
                T s0 = a0[o], s1 = a1[o], s2 = a2[o], s3 = a3[o];                    \
                x00 += s0 * b0;                                                           \
                x01 += s0 * b1;                                                           \
                x10 += s1 * b0;                                                           \
                x11 += s1 * b1;                                                           \
                x20 += s2 * b0;                                                           \
                x21 += s2 * b1;                                                           \
                x30 += s3 * b0;                                                           \
                x31 += s3 * b1;                                                           \
            }                                                                             \
            memcpy(c0 + j, &x00, sizeof(V));                                              \
            memcpy(c0 + j + W, &x01, sizeof(V));                                          \
            memcpy(c1 + j, &x10, sizeof(V));                                              \
            memcpy(c1 + j + W, &x11, sizeof(V));                                          \
            memcpy(c2 + j, &x20, sizeof(V));                                              \
            memcpy(c2 + j + W, &x21, sizeof(V));                                          \
            memcpy(c3 + j, &x30, sizeof(V));                                              \
            memcpy(c3 + j + W, &x31, sizeof(V));                                          \
        }                                                                                 \
        if (j + W <= N) {                                                                 \
            V x0, x1, x2, x3, b0;                                                         \
            GEMM_LD(V, x0, c0 + j);                                                          \
            GEMM_LD(V, x1, c1 + j);                                                          \
            GEMM_LD(V, x2, c2 + j);                                                          \
            GEMM_LD(V, x3, c3 + j);                                                          \
            for (int k = 0; k < K; k++) {                                                 \
                memcpy(&b0, B + (size_t)k * ldb + j, sizeof(V));                          \
                size_t o = (size_t)k * sk;                                                \
                x0 += a0[o] * b0;                                                         \
                x1 += a1[o] * b0;                                                         \
                x2 += a2[o] * b0;                                                         \
                x3 += a3[o] * b0;                                                         \
            }                                                                             \
            memcpy(c0 + j, &x0, sizeof(V));                                               \
            memcpy(c1 + j, &x1, sizeof(V));                                               \
            memcpy(c2 + j, &x2, sizeof(V));                                               \
            memcpy(c3 + j, &x3, sizeof(V));                                               \
            j += W;                                                                       \
        }                                                                                 \
        for (; j < N; j++) {                                                              \
            T s0 = z ? 0 : c0[j], s1 = z ? 0 : c1[j], s2 = z ? 0 : c2[j], s3 = z ? 0 : c3[j]; \
            for (int k = 0; k < K; k++) {                                                 \
                T bv = B[(size_t)k * ldb + j];                                       \
                size_t o = (size_t)k * sk;                                                \
                s0 += a0[o] * bv;                                                         \
                s1 += a1[o] * bv;                                                         \
                s2 += a2[o] * bv;                                                         \
                s3 += a3[o] * bv;                                                         \
            }                                                                             \
            c0[j] = s0;                                                                   \
            c1[j] = s1;                                                                   \
            c2[j] = s2;                                                                   \
            c3[j] = s3;                                                                   \
        }                                                                                 \
    }                                                                                     \
    for (; i < M; i++) {                                                                  \
        const T *ai = A + (size_t)i * si;                                            \
        T *ci = C + (size_t)i * ldc;                                                 \
        int j = 0;                                                                        \
        for (; j + W <= N; j += W) {                                                      \
            V x0, b0;                                                                     \
            GEMM_LD(V, x0, ci + j);                                                          \
            for (int k = 0; k < K; k++) {                                                 \
                memcpy(&b0, B + (size_t)k * ldb + j, sizeof(V));                          \
                x0 += ai[(size_t)k * sk] * b0;                                            \
            }                                                                             \
            memcpy(ci + j, &x0, sizeof(V));                                               \
        }                                                                                 \
        for (; j < N; j++) {                                                              \
            T s = z ? 0 : ci[j];                                                     \
            for (int k = 0; k < K; k++)                                                   \
                s += ai[(size_t)k * sk] * B[(size_t)k * ldb + j];                         \
            ci[j] = s;                                                                    \
        }                                                                                 \
    }

/*
 * The kernels contract x += a b into fused multiply-adds (one rounding);
 * every path of a kernel (8-row, 4-row, single row; vector or scalar
 * column) does, so a value of C does not depend on where its row falls.
 */
#ifdef __clang__ /* clang contracts a * b + c within a statement by default */
#define CONTRACT
#else
#define CONTRACT optimize("O2", "fp-contract=fast") /* FMA forms at -O2: the sanitizer build (-O1) must compute the same bits */
#endif
#define KERNEL(NAME, TARGET, T, V, W, R8)                                                   \
    __attribute__((target(TARGET), CONTRACT)) static void NAME(                             \
        int M, int N, int K, const T *A, size_t si, size_t sk, const T *B, int ldb, T *C,   \
        int ldc, int z)                                                                   \
    {                                                                                     \
        GEMM_BODY(V, W, R8, T)                                                            \
    }

KERNEL(gemm_avx512, "avx512f", double, v8d, 8, 1)
KERNEL(gemm_avx2, "avx2,fma", double, v4d, 4, 0)
KERNEL(sgemm_avx512, "avx512f", float, v16f, 16, 1)
KERNEL(sgemm_avx2, "avx2,fma", float, v8f, 8, 0)

/*
 * The kernels run over K in chunks of GEMM_KC, so a chunk of A and B stays
 * in cache while every block of C passes over it (the weight gradients'
 * long sums over the batch's rows: 3x faster at K = 6400). C holds the
 * running sums between chunks at full precision, so the sums and their
 * order, hence the bits, are those of one pass.
 */
#define GEMM_KC 256

/*
 * C[M] (+)= A^T b, one column (N = 1, C's rows adjacent): a dense layer
 * of one unit's weight gradient. Each value's sum runs over k in order,
 * fused as the kernels fuse it, W values a vector (the kernels would take
 * them one at a time, 4 rows a pass): the same bits.
 */
#define COLUMN_BODY(V, W, T)                                                                   \
    int i = 0;                                                                                 \
    for (; i + W <= M; i += W) {                                                               \
        V x;                                                                                   \
        if (z)                                                                                 \
            x = (V){ 0 };                                                                      \
        else                                                                                   \
            memcpy(&x, C + i, sizeof x);                                                       \
        for (int k = 0; k < K; k++) {                                                          \
            V a;                                                                               \
            memcpy(&a, A + (size_t)k * lda + i, sizeof a);                                     \
            x += a * B[(size_t)k * ldb];                                                       \
        }                                                                                      \
        memcpy(C + i, &x, sizeof x);                                                           \
    }                                                                                          \
    for (; i < M; i++) {                                                                       \
        T s = z ? 0 : C[i];                                                                    \
        for (int k = 0; k < K; k++)                                                            \
            s += A[(size_t)k * lda + i] * B[(size_t)k * ldb];                                  \
        C[i] = s;                                                                              \
    }

__attribute__((target("avx512f"), CONTRACT)) static void
column_avx512(int M, int K, const double *A, int lda, const double *B, int ldb, double *C, int z)
{
    COLUMN_BODY(v8d, 8, double)
}

__attribute__((target("avx2,fma"), CONTRACT)) static void
column_avx2(int M, int K, const double *A, int lda, const double *B, int ldb, double *C, int z)
{
    COLUMN_BODY(v4d, 4, double)
}

/* c[j] = a b[j] + 0.0, j < n (the outer product's row below), vectorised. */
#if defined(__SANITIZE_THREAD__)
__attribute__((optimize("O3")))
#elif defined(__clang__)
__attribute__((target_clones("avx512f", "avx2", "default")))
#else
__attribute__((optimize("O3"), target_clones("avx512f", "avx2", "default")))
#endif
static void
outer_row(double *restrict c, double a, const double *restrict b, int n)
{
    for (int j = 0; j < n; j++)
        c[j] = a * b[j] + 0.0;
}

int
nn_isa(void)
{
    static int isa = -1;
    if (isa < 0)
        isa = __builtin_cpu_supports("avx512f") ? 2
              : __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? 1
                                                                                : 0;
    return isa;
}

void
nn_gemm(int ta, int tb, int M, int N, int K, const double *A, int lda, const double *B,
        int ldb, double beta, double *C, int ldc)
{
    int isa = nn_isa();
    if (tb && K == 1 && beta == 0.0 && !ta) {
        /*
         * An outer product (a dense layer of one unit's input gradient):
         * each value one rounded product, as CBLAS gives it (+ 0.0: its
         * sum onto the cleared C, so -0 comes out +0), without waking
         * OpenBLAS's threads for it.
         */
        for (int i = 0; i < M; i++) {
            if (ldb == 1) {
                outer_row(C + (size_t)i * ldc, A[(size_t)i * lda], B, N);
                continue;
            }
            for (int j = 0; j < N; j++)
                C[(size_t)i * ldc + j] = A[(size_t)i * lda] * B[(size_t)j * ldb] + 0.0;
        }
        return;
    }
    if (tb || isa == 0 || M == 0 || N == 0) {
        cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans,
                    tb ? CblasTrans : CblasNoTrans, M, N, K, 1.0, A, lda, B, ldb, beta, C, ldc);
        return;
    }
    if (beta != 1.0 && beta != 0.0)
        for (int i = 0; i < M; i++) {
            double *ci = C + (size_t)i * ldc;
            for (int j = 0; j < N; j++)
                ci[j] *= beta;
        }
    if (ta && N == 1 && ldc == 1) {
        if (isa == 2)
            column_avx512(M, K, A, lda, B, ldb, C, beta == 0);
        else
            column_avx2(M, K, A, lda, B, ldb, C, beta == 0);
        return;
    }
    size_t si = ta ? 1 : (size_t)lda, sk = ta ? (size_t)lda : 1;
    for (int k0 = 0; k0 < K || k0 == 0; k0 += GEMM_KC) {
        int kc = K - k0 < GEMM_KC ? K - k0 : GEMM_KC, z = k0 == 0 && beta == 0;
        const double *ak = A + (size_t)k0 * sk, *bk = B + (size_t)k0 * ldb;
        if (isa == 2)
            gemm_avx512(M, N, kc, ak, si, sk, bk, ldb, C, ldc, z);
        else
            gemm_avx2(M, N, kc, ak, si, sk, bk, ldb, C, ldc, z);
    }
}

void
nn_sgemm(int ta, int M, int N, int K, const float *A, int lda, const float *B, int ldb,
         float beta, float *C, int ldc)
{
    int isa = nn_isa();
    if (isa == 0 || M == 0 || N == 0) {
        cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, CblasNoTrans, M, N, K, 1.0f,
                    A, lda, B, ldb, beta, C, ldc);
        return;
    }
    if (beta != 1.0f && beta != 0.0f)
        for (int i = 0; i < M; i++) {
            float *ci = C + (size_t)i * ldc;
            for (int j = 0; j < N; j++)
                ci[j] *= beta;
        }
    size_t si = ta ? 1 : (size_t)lda, sk = ta ? (size_t)lda : 1;
    for (int k0 = 0; k0 < K || k0 == 0; k0 += GEMM_KC) {
        int kc = K - k0 < GEMM_KC ? K - k0 : GEMM_KC, z = k0 == 0 && beta == 0;
        const float *ak = A + (size_t)k0 * sk, *bk = B + (size_t)k0 * ldb;
        if (isa == 2)
            sgemm_avx512(M, N, kc, ak, si, sk, bk, ldb, C, ldc, z);
        else
            sgemm_avx2(M, N, kc, ak, si, sk, bk, ldb, C, ldc, z);
    }
}
