/*
 * nn_math.c: the sigmoid and tanh over arrays, vectorised (nn_layer.h).
 *
 * exp(x) = 2^k exp(r), k = round(x / ln 2), r = x - k ln 2 (ln 2 split in
 * two parts, so r is exact to an ulp), |r| <= ln2/2, exp(r) by its Taylor
 * series to r^12 (the next term is below 2e-16 relative), 2^k put into
 * the exponent bits; x clamped to [-708, 708], so no overflow, and the
 * sigmoid and tanh built on it saturate cleanly. Written without branches
 * so the compiler vectorises the loops (AVX-512, or AVX2 and FMA, where the CPU has
 * them, chosen once at run time, else the baseline SSE2). Also the
 * activations and uniform draws every layer file uses, and Adam's update
 * (nn_train.c's, and the Winograd layers' own, nn_adam_slice) (this file calls no
 * other of src/nn, so the layer files and nn.c call into it, never round).
 */
#include <math.h>
#include <stdint.h>
#include <string.h>
#ifdef __x86_64__
#include <immintrin.h>
#endif

#include "base/banned.h"
#include "nn/nn_layer.h"

typedef double v4d __attribute__((vector_size(32)));
typedef uint64_t v4u __attribute__((vector_size(32)));
typedef int64_t v4i __attribute__((vector_size(32)));
typedef double v8d __attribute__((vector_size(64)));
typedef uint64_t v8u __attribute__((vector_size(64)));
typedef int64_t v8i __attribute__((vector_size(64)));

/* e = exp(x0) on four values (x0 is not changed). */
#define FEXP(V, VU, VI, e, x0)                                                                        \
    do {                                                                                   \
        V lo_ = (V){ 0 } - 708.0, hi_ = (V){ 0 } + 708.0;                                  \
        V x_ = (x0);                                                                       \
        VI below_ = x_ < lo_, above_ = x_ > hi_;                                           \
        x_ = (V)(((VI)lo_ & below_) | ((VI)x_ & ~below_));                                 \
        x_ = (V)(((VI)hi_ & above_) | ((VI)x_ & ~above_));                                 \
        V kd_ = x_ * 1.4426950408889634 + 0x1.8p52;                                        \
        VU ki_ = (VU)kd_;                                                                  \
        kd_ -= 0x1.8p52;                                                                   \
        V r_ = x_ - kd_ * 6.93145751953125e-1;                                            \
        r_ -= kd_ * 1.42860682030941723212e-6;                                               \
        V p_ = r_ * (1.0 / 479001600.0) + 1.0 / 39916800.0;                              \
        p_ = p_ * r_ + 1.0 / 3628800.0;                                                    \
        p_ = p_ * r_ + 1.0 / 362880.0;                                                     \
        p_ = p_ * r_ + 1.0 / 40320.0;                                                      \
        p_ = p_ * r_ + 1.0 / 5040.0;                                                       \
        p_ = p_ * r_ + 1.0 / 720.0;                                                        \
        p_ = p_ * r_ + 1.0 / 120.0;                                                        \
        p_ = p_ * r_ + 1.0 / 24.0;                                                         \
        p_ = p_ * r_ + 1.0 / 6.0;                                                          \
        p_ = p_ * r_ + 0.5;                                                                \
        p_ = p_ * r_ + 1.0;                                                                \
        p_ = p_ * r_ + 1.0;                                                                \
        (e) = p_ * (V)((ki_ + 1023) << 52);                                              \
    } while (0)

/*
 * x = m / (1 + exp(-a x)) + c over x[0..n): the sigmoid (a 1, m 1, c 0) or
 * tanh (2, 2, -1). Four at a time, the tail through a zero-padded vector.
 */
#define SIGM_BODY(V, VU, VI)                                                                         \
    size_t i = 0;                                                                          \
    V v, e;                                                                                \
    for (; i + sizeof(V) / 8 <= n; i += sizeof(V) / 8) {                                   \
        memcpy(&v, x + i, sizeof v);                                                       \
        FEXP(V, VU, VI, e, -a * v);                                                                   \
        v = m / (1.0 + e) + c;                                                             \
        memcpy(x + i, &v, sizeof v);                                                       \
    }                                                                                      \
    if (i < n) {                                                                           \
        v = (V){ 0 };                                                                      \
        memcpy(&v, x + i, (n - i) * sizeof(double));                                       \
        FEXP(V, VU, VI, e, -a * v);                                                                   \
        v = m / (1.0 + e) + c;                                                             \
        memcpy(x + i, &v, (n - i) * sizeof(double));                                       \
    }

__attribute__((target("avx512f"))) static void
sigm_avx512(double *x, size_t n, double a, double m, double c)
{
    SIGM_BODY(v8d, v8u, v8i)
}

__attribute__((target("avx2,fma"))) static void
sigm_avx2(double *x, size_t n, double a, double m, double c)
{
    SIGM_BODY(v4d, v4u, v4i)
}

static void
sigm_base(double *x, size_t n, double a, double m, double c)
{
    SIGM_BODY(v4d, v4u, v4i)
}

static void
sigm(double *x, size_t n, double a, double m, double c)
{
    int isa = nn_isa();
    if (isa == 2)
        sigm_avx512(x, n, a, m, c);
    else if (isa == 1)
        sigm_avx2(x, n, a, m, c);
    else
        sigm_base(x, n, a, m, c);
}

/*
 * The same in float32 (the recurrent layers' float path): exp(x) =
 * 2^k exp(r) as above, x clamped to [-87, 87], ln 2 in Cephes' two parts,
 * exp(r) by its Taylor series to r^7 (the next term is below 6e-9
 * relative, a tenth of float's ulp).
 */
typedef float v8f __attribute__((vector_size(32)));
typedef uint32_t v8fu __attribute__((vector_size(32)));
typedef int32_t v8fi __attribute__((vector_size(32)));
typedef float v16f __attribute__((vector_size(64)));
typedef uint32_t v16fu __attribute__((vector_size(64)));
typedef int32_t v16fi __attribute__((vector_size(64)));

#define FEXPF(V, VU, VI, e, x0)                                                            \
    do {                                                                                   \
        V lo_ = (V){ 0 } - 87.0f, hi_ = (V){ 0 } + 87.0f;                                  \
        V x_ = (x0);                                                                       \
        VI below_ = x_ < lo_, above_ = x_ > hi_;                                           \
        x_ = (V)(((VI)lo_ & below_) | ((VI)x_ & ~below_));                                 \
        x_ = (V)(((VI)hi_ & above_) | ((VI)x_ & ~above_));                                 \
        V kd_ = x_ * 1.44269504088896341f + 0x1.8p23f;                                     \
        VU ki_ = (VU)kd_;                                                                  \
        kd_ -= 0x1.8p23f;                                                                  \
        V r_ = x_ - kd_ * 0.693359375f;                                                    \
        r_ -= kd_ * -2.12194440e-4f;                                                       \
        V p_ = r_ * (1.0f / 5040.0f) + 1.0f / 720.0f;                                      \
        p_ = p_ * r_ + 1.0f / 120.0f;                                                      \
        p_ = p_ * r_ + 1.0f / 24.0f;                                                       \
        p_ = p_ * r_ + 1.0f / 6.0f;                                                        \
        p_ = p_ * r_ + 0.5f;                                                               \
        p_ = p_ * r_ + 1.0f;                                                               \
        p_ = p_ * r_ + 1.0f;                                                               \
        (e) = p_ * (V)((ki_ + 127) << 23);                                                 \
    } while (0)

#define SIGMF_BODY(V, VU, VI)                                                              \
    size_t i = 0;                                                                          \
    V v, e;                                                                                \
    for (; i + sizeof(V) / 4 <= n; i += sizeof(V) / 4) {                                   \
        memcpy(&v, x + i, sizeof v);                                                       \
        FEXPF(V, VU, VI, e, -a * v);                                                       \
        v = m / (1.0f + e) + c;                                                            \
        memcpy(x + i, &v, sizeof v);                                                       \
    }                                                                                      \
    if (i < n) {                                                                           \
        v = (V){ 0 };                                                                      \
        memcpy(&v, x + i, (n - i) * sizeof(float));                                        \
        FEXPF(V, VU, VI, e, -a * v);                                                       \
        v = m / (1.0f + e) + c;                                                            \
        memcpy(x + i, &v, (n - i) * sizeof(float));                                        \
    }

__attribute__((target("avx512f"))) static void
sigmf_avx512(float *x, size_t n, float a, float m, float c)
{
    SIGMF_BODY(v16f, v16fu, v16fi)
}

__attribute__((target("avx2,fma"))) static void
sigmf_avx2(float *x, size_t n, float a, float m, float c)
{
    SIGMF_BODY(v8f, v8fu, v8fi)
}

static void
sigmf_base(float *x, size_t n, float a, float m, float c)
{
    SIGMF_BODY(v8f, v8fu, v8fi)
}

static void
sigmf(float *x, size_t n, float a, float m, float c)
{
    int isa = nn_isa();
    if (isa == 2)
        sigmf_avx512(x, n, a, m, c);
    else if (isa == 1)
        sigmf_avx2(x, n, a, m, c);
    else
        sigmf_base(x, n, a, m, c);
}

void
nn_sigmoidf(float *x, size_t n)
{
    sigmf(x, n, 1.0f, 1.0f, 0.0f);
}

void
nn_tanhf(float *x, size_t n)
{
    sigmf(x, n, 2.0f, 2.0f, -1.0f);
}

void
nn_sigmoid(double *x, size_t n)
{
    sigm(x, n, 1.0, 1.0, 0.0);
}

void
nn_tanh(double *x, size_t n)
{
    sigm(x, n, 2.0, 2.0, -1.0);
}

double
nn_exp(double x)
{
    v4d v = { x, x, x, x }, e;
    FEXP(v4d, v4u, v4i, e, v);
    return e[0];
}

void
nn_uniform(struct rng *r, double *p, size_t n, double a)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (2.0 * rng_uniform(r) - 1.0) * a;
}

void
nn_act_apply(int act, double *y, size_t n)
{
    switch (act) {
    case NN_RELU:
        for (size_t i = 0; i < n; i++)
            y[i] = y[i] > 0 ? y[i] : 0;
        break;
    case NN_TANH:
        nn_tanh(y, n);
        break;
    case NN_SIGMOID:
        nn_sigmoid(y, n);
        break;
    default:
        break;
    }
}

void
nn_act_grad(int act, const double *y, double *d, size_t n)
{
    switch (act) {
    case NN_RELU:
        for (size_t i = 0; i < n; i++)
            d[i] = y[i] > 0 ? d[i] : 0;
        break;
    case NN_TANH:
        for (size_t i = 0; i < n; i++)
            d[i] *= 1 - y[i] * y[i];
        break;
    case NN_SIGMOID:
        for (size_t i = 0; i < n; i++)
            d[i] *= y[i] * (1 - y[i]);
        break;
    default:
        break;
    }
}

/*
 * Adam's update over the np parameters: the loop below, and the same in
 * AVX-512 or AVX vectors for the CPU found at run time (sqrt and division
 * are exact in every lane and nothing is fused, so the bits are the
 * loop's). GCC does not vectorise the loop itself: sqrt may set errno.
 */
static void
train_adam(double *restrict p, double *restrict m, double *restrict v, const double *restrict g,
     size_t np, double b1, double b2, double step, double rb2, double eps)
{
    for (size_t i = 0; i < np; i++) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        p[i] -= step * m[i] / (sqrt(v[i]) * rb2 + eps);
    }
}

#ifdef __x86_64__
/* The loop's operations, one by one, on W doubles at a time (the prefix a multiple of W). */
#define ADAM_VEC(P, V, W)                                                                      \
    size_t n = np / W * W;                                                                     \
    V B1 = P##_set1_pd(b1), C1 = P##_set1_pd(1 - b1), B2 = P##_set1_pd(b2);                   \
    V C2 = P##_set1_pd(1 - b2), S = P##_set1_pd(step), R = P##_set1_pd(rb2);                 \
    V E = P##_set1_pd(eps);                                                                    \
    for (size_t i = 0; i < n; i += W) {                                                        \
        V gi = P##_loadu_pd(g + i);                                                            \
        V mi = P##_add_pd(P##_mul_pd(B1, P##_loadu_pd(m + i)), P##_mul_pd(C1, gi));            \
        V vi = P##_add_pd(P##_mul_pd(B2, P##_loadu_pd(v + i)), P##_mul_pd(P##_mul_pd(C2, gi), gi)); \
        V den = P##_add_pd(P##_mul_pd(P##_sqrt_pd(vi), R), E);                                 \
        P##_storeu_pd(m + i, mi);                                                              \
        P##_storeu_pd(v + i, vi);                                                              \
        P##_storeu_pd(p + i, P##_sub_pd(P##_loadu_pd(p + i), P##_div_pd(P##_mul_pd(S, mi), den))); \
    }                                                                                          \
    return n;

__attribute__((target("avx512f"))) static size_t
adam_avx512(double *restrict p, double *restrict m, double *restrict v, const double *restrict g,
            size_t np, double b1, double b2, double step, double rb2, double eps)
{
    ADAM_VEC(_mm512, __m512d, 8)
}

__attribute__((target("avx"))) static size_t
adam_avx(double *restrict p, double *restrict m, double *restrict v, const double *restrict g,
         size_t np, double b1, double b2, double step, double rb2, double eps)
{
    ADAM_VEC(_mm256, __m256d, 4)
}
#endif

void
nn_adam_slice(const struct nn_adam_step *a, size_t off, const double *g, size_t n)
{
    double *p = a->p + off, *m = a->m + off, *v = a->v + off;
    size_t k = 0;
#ifdef __x86_64__
    int isa = nn_isa();
    if (isa == 2)
        k = adam_avx512(p, m, v, g, n, a->b1, a->b2, a->step, a->rb2, a->eps);
    else if (isa == 1)
        k = adam_avx(p, m, v, g, n, a->b1, a->b2, a->step, a->rb2, a->eps);
#endif
    train_adam(p + k, m + k, v + k, g + k, n - k, a->b1, a->b2, a->step, a->rb2, a->eps);
}
