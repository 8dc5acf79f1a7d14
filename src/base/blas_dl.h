/*
 * blas_dl.h: OpenBLAS, loaded when it is first used (issue 16).
 *
 * quarry is not linked with OpenBLAS. Loading it (and libgfortran under
 * it) took about a third of the start-up of a process that never
 * multiplies a matrix (`quarry -c 'select 1'`: symbol relocation, a 36 MB
 * mapping, threads started), and choosing its kernels (blas_core.h) took a
 * second start of the whole program. Instead blas_dl.c defines the CBLAS
 * and OpenBLAS functions quarry calls, with <cblas.h>'s own prototypes, so
 * callers do not change: cblas_dgemm, cblas_sgemm, openblas_get_config,
 * openblas_get_corename, openblas_get_num_threads and
 * openblas_set_num_threads. The first call of any of them, from whichever
 * thread (pthread_once), loads libopenblas.so.0 (QUARRY_BLAS_LIB names
 * another file) with dlopen and finds its functions with dlsym.
 *
 * The kernels: OpenBLAS chooses them while it loads, from the CPU model,
 * reading OPENBLAS_CORETYPE. Unless that is set or QUARRY_BLAS_CORE=keep,
 * the load asks the loaded library which core it chose; when
 * blas_core_wanted() names a better one (a VM CPU OpenBLAS does not know:
 * SSE3 kernels on an AVX-512 CPU), the library is closed, the variable
 * set (setenv; it stays set, for child processes too) and the library
 * loaded again, within the same call. Then OpenBLAS's own threads, which
 * it starts while it loads and which would spin for 0.1 s, are ended
 * (blas_thread_shutdown_); the first BLAS call that runs on more than one
 * thread starts them again.
 *
 * Without the library (not installed, or no cblas_dgemm in it) nothing
 * fails: the gemm functions compute with plain loops (blas_ref_dgemm and
 * blas_ref_sgemm below: the same results to rounding, many times slower),
 * openblas_get_num_threads() answers 1 and openblas_set_num_threads does
 * nothing, and blas_dl_note() gives, once, the words to tell the user. A
 * caller that would rather fail calls blas_dl_load first.
 */
#ifndef QUARRY_BLAS_DL_H
#define QUARRY_BLAS_DL_H

#include <cblas.h>

#include "base/qerr.h"

/*
 * Load OpenBLAS if no call has tried yet. 0 when it is loaded; -1 with a
 * message that names the library and how to install it when it cannot be
 * (then the gemm functions use the plain loops).
 */
int blas_dl_load(struct qerr *err);

/*
 * After a load that failed, the first call returns a sentence for the
 * user (what could not be loaded, that matrix products ran on plain
 * loops, what to install); NULL every other time and when the load
 * succeeded or was never tried. Thread-safe.
 */
const char *blas_dl_note(void);

/*
 * The plain loops: C = alpha op(A) op(B) + beta C exactly as cblas_dgemm
 * and cblas_sgemm define it (row- or column-major; CblasConjTrans is
 * CblasTrans; C is not read when beta is 0). Sums are taken in double.
 */
void blas_ref_dgemm(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE ta, enum CBLAS_TRANSPOSE tb,
                    blasint m, blasint n, blasint k, double alpha, const double *a, blasint lda,
                    const double *b, blasint ldb, double beta, double *c, blasint ldc);
void blas_ref_sgemm(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE ta, enum CBLAS_TRANSPOSE tb,
                    blasint m, blasint n, blasint k, float alpha, const float *a, blasint lda,
                    const float *b, blasint ldb, float beta, float *c, blasint ldc);

#endif
