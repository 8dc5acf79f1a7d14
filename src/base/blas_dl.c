/*
 * blas_dl.c: OpenBLAS loaded on first use (blas_dl.h).
 *
 * The state below is written once, inside pthread_once, and only read
 * after it. The one thing the load does that another thread could see is
 * setenv("OPENBLAS_CORETYPE"), on a CPU where OpenBLAS chose weak
 * kernels: glibc keeps every environment array and string it ever had
 * (the first variable a process adds copies the array and leaves the
 * old one in place), so a getenv running at that moment reads the old
 * or the new environment, both valid.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/blas_dl.h"
#include "base/blas_core.h"
#include "base/banned.h"

#define BLAS_LIB "libopenblas.so.0"

static struct {
    void *lib; /* NULL when the load failed */
    __typeof__(cblas_dgemm) *dgemm;
    __typeof__(cblas_sgemm) *sgemm;
    __typeof__(openblas_get_config) *config; /* the four below may be missing (another BLAS) */
    __typeof__(openblas_get_corename) *corename;
    __typeof__(openblas_get_num_threads) *get_threads;
    __typeof__(openblas_set_num_threads) *set_threads;
    char why[400]; /* why the load failed */
} blas;
static pthread_once_t blas_once = PTHREAD_ONCE_INIT;
static atomic_int blas_tried, blas_noted;

static const char *
lib_name(void)
{
    const char *name = getenv("QUARRY_BLAS_LIB");
    return name && *name ? name : BLAS_LIB;
}

/* Did the user choose the kernels (OPENBLAS_CORETYPE set, or QUARRY_BLAS_CORE=keep)? */
static int
core_chosen(void)
{
    const char *keep = getenv("QUARRY_BLAS_CORE");
    return getenv("OPENBLAS_CORETYPE") || (keep && strcmp(keep, "keep") == 0);
}

static void *
open_lib(const char *name)
{
    void *h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        snprintf(blas.why, sizeof blas.why, "%s", e ? e : name);
    }
    return h;
}

/*
 * Close h and load the library again with OPENBLAS_CORETYPE=core. When
 * closing does not unload it (a program linked with it, as a bench tool
 * may be), it stays as it is: h.
 */
static void *
reopen_with_core(void *h, const char *name, const char *core)
{
    dlclose(h);
    void *still = dlopen(name, RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
    if (still)
        return still;
    setenv("OPENBLAS_CORETYPE", core, 1);
    return open_lib(name);
}

static void
load_once(void)
{
    const char *name = lib_name();
    void *h = open_lib(name);
    if (h && !core_chosen()) {
        __typeof__(openblas_get_config) *config =
            (__typeof__(config))dlsym(h, "openblas_get_config");
        __typeof__(openblas_get_corename) *core =
            (__typeof__(core))dlsym(h, "openblas_get_corename");
        const char *better = config && core ? blas_core_wanted(config(), core()) : NULL;
        if (better)
            h = reopen_with_core(h, name, better);
    }
    if (h) {
        blas.dgemm = (__typeof__(blas.dgemm))dlsym(h, "cblas_dgemm");
        blas.sgemm = (__typeof__(blas.sgemm))dlsym(h, "cblas_sgemm");
        if (!blas.dgemm || !blas.sgemm) {
            snprintf(blas.why, sizeof blas.why, "%s has no cblas_dgemm or cblas_sgemm", name);
            dlclose(h);
            h = NULL;
        }
    }
    if (h) {
        blas.config = (__typeof__(blas.config))dlsym(h, "openblas_get_config");
        blas.corename = (__typeof__(blas.corename))dlsym(h, "openblas_get_corename");
        blas.get_threads = (__typeof__(blas.get_threads))dlsym(h, "openblas_get_num_threads");
        blas.set_threads = (__typeof__(blas.set_threads))dlsym(h, "openblas_set_num_threads");
        /* the threads OpenBLAS started while it loaded: none runs (spins) until BLAS needs it */
        int (*shutdown)(void) = (int (*)(void))dlsym(h, "blas_thread_shutdown_");
        if (shutdown)
            shutdown();
        blas.lib = h;
    }
    atomic_store(&blas_tried, 1);
}

static int
ready(void)
{
    pthread_once(&blas_once, load_once);
    return blas.lib != NULL;
}

int
blas_dl_load(struct qerr *err)
{
    if (ready())
        return 0;
    qerr_set(err, QE_NOTFOUND, "OpenBLAS could not be loaded: %s", blas.why);
    qerr_hint(err, "install it (Debian: sudo apt-get install libopenblas0), or set "
                   "QUARRY_BLAS_LIB to the file of a CBLAS library");
    return -1;
}

const char *
blas_dl_note(void)
{
    static char note[sizeof blas.why + 200];
    if (!atomic_load(&blas_tried) || blas.lib || atomic_exchange(&blas_noted, 1))
        return NULL;
    snprintf(note, sizeof note,
             "OpenBLAS could not be loaded (%s): matrix products ran on plain loops, many "
             "times slower; install it (Debian: sudo apt-get install libopenblas0)",
             blas.why);
    return note;
}

/* --- the CBLAS and OpenBLAS functions quarry calls -------------------------- */

void
cblas_dgemm(const enum CBLAS_ORDER order, const enum CBLAS_TRANSPOSE ta,
            const enum CBLAS_TRANSPOSE tb, const blasint m, const blasint n, const blasint k,
            const double alpha, const double *a, const blasint lda, const double *b,
            const blasint ldb, const double beta, double *c, const blasint ldc)
{
    if (ready())
        blas.dgemm(order, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    else
        blas_ref_dgemm(order, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void
cblas_sgemm(const enum CBLAS_ORDER order, const enum CBLAS_TRANSPOSE ta,
            const enum CBLAS_TRANSPOSE tb, const blasint m, const blasint n, const blasint k,
            const float alpha, const float *a, const blasint lda, const float *b,
            const blasint ldb, const float beta, float *c, const blasint ldc)
{
    if (ready())
        blas.sgemm(order, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    else
        blas_ref_sgemm(order, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

char *
openblas_get_config(void)
{
    static char none[] = "none (OpenBLAS not loaded)";
    return ready() && blas.config ? blas.config() : none;
}

char *
openblas_get_corename(void)
{
    static char none[] = "none";
    return ready() && blas.corename ? blas.corename() : none;
}

int
openblas_get_num_threads(void)
{
    return ready() && blas.get_threads ? blas.get_threads() : 1;
}

void
openblas_set_num_threads(int n)
{
    if (ready() && blas.set_threads)
        blas.set_threads(n);
}

/* --- the plain loops ------------------------------------------------------------ */

/*
 * Column-major C (m x n) = alpha op(A) op(B) + beta C; a row-major call is
 * the column-major one of the transposes, C' = op(B)' op(A)', with A and
 * B swapped.
 */
#define REF_GEMM(NAME, T)                                                                     \
    void NAME(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE ta, enum CBLAS_TRANSPOSE tb,       \
              blasint m, blasint n, blasint k, T alpha, const T *a, blasint lda, const T *b,  \
              blasint ldb, T beta, T *c, blasint ldc)                                         \
    {                                                                                         \
        if (order == CblasRowMajor) {                                                         \
            NAME(CblasColMajor, tb, ta, n, m, k, alpha, b, ldb, a, lda, beta, c, ldc);        \
            return;                                                                           \
        }                                                                                     \
        int at = ta != CblasNoTrans, bt = tb != CblasNoTrans;                                 \
        for (blasint j = 0; j < n; j++)                                                       \
            for (blasint i = 0; i < m; i++) {                                                 \
                double s = 0;                                                                 \
                for (blasint l = 0; l < k; l++)                                               \
                    s += (double)(at ? a[l + (size_t)i * lda] : a[i + (size_t)l * lda]) *     \
                         (double)(bt ? b[j + (size_t)l * ldb] : b[l + (size_t)j * ldb]);      \
                T *cij = &c[i + (size_t)j * ldc];                                             \
                *cij = (T)(beta == 0 ? alpha * s : alpha * s + beta * (double)*cij);          \
            }                                                                                 \
    }

REF_GEMM(blas_ref_dgemm, double)
REF_GEMM(blas_ref_sgemm, float)
