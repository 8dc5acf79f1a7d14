/*
 * test_blas_dl.c: OpenBLAS loaded on first use (base/blas_dl.h), and
 * libpq not loaded before PostgreSQL is attached (remote/pq_dl.h).
 *
 * 1. Lazy: this program is linked as quarry is; at its start neither
 *    libopenblas nor libpq is in /proc/self/maps. The first cblas_dgemm
 *    gives the hand-computed product and maps libopenblas, and no OpenBLAS
 *    thread is left running (as many threads in /proc/self/task as before).
 * 2. The kernels: OpenBLAS's own choice is read in a child that dlopens
 *    it by itself with OPENBLAS_CORETYPE unset; after the lazy load,
 *    openblas_get_corename() is blas_core_better(that choice, this CPU)
 *    where that names one (SkylakeX on an AVX-512 VM OpenBLAS falls back
 *    to Prescott on), else the choice itself. Started again with
 *    QUARRY_BLAS_CORE=keep it is OpenBLAS's own choice; with
 *    OPENBLAS_CORETYPE=Haswell, Haswell. In those two the first call
 *    comes from four threads at once (make tsan runs this test too).
 * 3. The plain loops equal OpenBLAS's dgemm and sgemm on random matrices
 *    in every order and transpose, with leading dimensions wider than the
 *    matrices, beta 0 (C full of NaN: not read) and beta 0.3.
 * 4. Missing (started again with QUARRY_BLAS_LIB naming no file, or a
 *    library without cblas_dgemm): blas_dl_load fails naming the file,
 *    blas_dl_note says so once, cblas_dgemm still gives the product (the
 *    plain loops), openblas_get_num_threads() is 1, nothing is mapped.
 *    pq_dl_load with QUARRY_PQ_LIB naming no file fails the same way.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "base/blas_core.h"
#include "base/blas_dl.h"
#include "base/rng.h"
#include "remote/pq_dl.h"

/* Is a file whose path holds `lib` mapped into this process? */
static int
mapped(const char *lib)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[4096];
    int found = 0;
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f))
        if (strstr(line, lib))
            found = 1;
    fclose(f);
    return found;
}

static int
threads(void)
{
    DIR *d = opendir("/proc/self/task");
    int n = 0;
    if (!d)
        return -1;
    for (struct dirent *e; (e = readdir(d));)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

/* [1 2 3; 4 5 6] x [7 8; 9 10; 11 12] = [58 64; 139 154], row-major. */
static void
check_product(void)
{
    const double a[] = {1, 2, 3, 4, 5, 6}, b[] = {7, 8, 9, 10, 11, 12};
    double c[4] = {-1, -1, -1, -1};
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 2, 2, 3, 1.0, a, 3, b, 2, 0.0, c, 2);
    CHECK_NEAR(c[0], 58, 0);
    CHECK_NEAR(c[1], 64, 0);
    CHECK_NEAR(c[2], 139, 0);
    CHECK_NEAR(c[3], 154, 0);
}

/* The product of check_product, on a thread of its own. */
static void *
product_thread(void *arg)
{
    const double a[] = {1, 2, 3, 4, 5, 6}, b[] = {7, 8, 9, 10, 11, 12};
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 2, 2, 3, 1.0, a, 3, b, 2, 0.0,
                (double *)arg, 2);
    return NULL;
}

/* The first BLAS call made by four threads at once: each gets the product (pthread_once). */
static void
check_first_on_threads(void)
{
    pthread_t t[4];
    double c[4][4];
    int started = 0;
    for (int i = 0; i < 4; i++)
        started += pthread_create(&t[i], NULL, product_thread, c[i]) == 0;
    CHECK_INT(started, 4);
    for (int i = 0; i < started; i++) {
        pthread_join(t[i], NULL);
        CHECK_NEAR(c[i][0], 58, 0);
        CHECK_NEAR(c[i][3], 154, 0);
    }
}

/* OpenBLAS's own core and whether it is DYNAMIC_ARCH, from a child that loads it alone. */
static int
own_choice(char *core, size_t n, int *dynamic)
{
    int fd[2];
    if (pipe(fd) < 0)
        return -1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        unsetenv("OPENBLAS_CORETYPE");
        void *h = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL);
        char *(*name)(void) = h ? (char *(*)(void))dlsym(h, "openblas_get_corename") : NULL;
        char *(*config)(void) = h ? (char *(*)(void))dlsym(h, "openblas_get_config") : NULL;
        if (name && config)
            dprintf(fd[1], "%d %s", strstr(config(), "DYNAMIC_ARCH") != NULL, name());
        _exit(0);
    }
    close(fd[1]);
    char buf[128] = "";
    ssize_t got = read(fd[0], buf, sizeof buf - 1);
    close(fd[0]);
    waitpid(pid, NULL, 0);
    if (got < 3)
        return -1;
    buf[got] = 0;
    *dynamic = buf[0] == '1';
    snprintf(core, n, "%s", buf + 2);
    return 0;
}

/* This program again with argv[1] = mode and NAME=VALUE set; its exit status. */
static int
again(char **argv, const char *mode, const char *name, const char *value)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        unsetenv("OPENBLAS_CORETYPE");
        setenv(name, value, 1);
        execl("/proc/self/exe", argv[0], mode, (char *)NULL);
        _exit(127);
    }
    int status = -1;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    return status;
}

static void
fill(double *x, size_t n, struct rng *r)
{
    for (size_t i = 0; i < n; i++)
        x[i] = rng_uniform(r) * 2 - 1;
}

/* d: the largest difference between x and y in the block C is (NaN counts as infinite). */
static double
block_diff(const double *x, const double *y, int rows, int cols, int ld)
{
    double worst = 0;
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++) {
            double d = fabs(x[i * ld + j] - y[i * ld + j]);
            worst = isnan(d) ? INFINITY : d > worst ? d : worst;
        }
    return worst;
}

/*
 * The plain loops against the loaded OpenBLAS, every order and transpose;
 * outside the M x N block C holds what it held (NaN there too when beta is 0).
 */
static void
test_ref(void)
{
    enum { M = 7, N = 5, K = 9, LD = 12, S = LD * LD };
    static double a[S], b[S], base[S], c0[S], c1[S], g0[S], g1[S];
    static float af[S], bf[S], cf0[S], cf1[S];
    struct rng r;
    rng_init(&r, 16);
    fill(a, S, &r);
    fill(b, S, &r);
    fill(base, S, &r);
    for (int i = 0; i < S; i++) {
        af[i] = (float)a[i];
        bf[i] = (float)b[i];
    }
    const enum CBLAS_ORDER orders[] = {CblasRowMajor, CblasColMajor};
    const enum CBLAS_TRANSPOSE tr[] = {CblasNoTrans, CblasTrans};
    for (int o = 0; o < 2; o++)
        for (int x = 0; x < 2; x++)
            for (int y = 0; y < 2; y++)
                for (int z = 0; z < 2; z++) {
                    double beta = z ? 0.3 : 0.0;
                    for (int i = 0; i < S; i++) {
                        c0[i] = c1[i] = z ? base[i] : NAN;
                        cf0[i] = cf1[i] = (float)c0[i];
                    }
                    enum CBLAS_ORDER ord = orders[o];
                    cblas_dgemm(ord, tr[x], tr[y], M, N, K, 0.7, a, LD, b, LD, beta, c0, LD);
                    blas_ref_dgemm(ord, tr[x], tr[y], M, N, K, 0.7, a, LD, b, LD, beta, c1, LD);
                    cblas_sgemm(ord, tr[x], tr[y], M, N, K, 0.7f, af, LD, bf, LD, (float)beta,
                                cf0, LD);
                    blas_ref_sgemm(ord, tr[x], tr[y], M, N, K, 0.7f, af, LD, bf, LD,
                                   (float)beta, cf1, LD);
                    for (int i = 0; i < S; i++) {
                        g0[i] = cf0[i];
                        g1[i] = cf1[i];
                    }
                    /* C's lines (rows row-major, columns column-major) and their length */
                    int lines = ord == CblasRowMajor ? M : N, len = ord == CblasRowMajor ? N : M;
                    CHECK_NEAR(block_diff(c0, c1, lines, len, LD), 0, 1e-13);
                    CHECK_NEAR(block_diff(g0, g1, lines, len, LD), 0, 1e-5);
                    int kept = 1;
                    for (int i = 0; i < S; i++)
                        if (i / LD >= lines || i % LD >= len)
                            kept &= z ? c1[i] == base[i] : isnan(c1[i]) && isnan(cf1[i]);
                    CHECK_INT(kept, 1);
                }
}

static void
test_missing(const char *why)
{
    struct qerr err = QERR_INIT;
    CHECK_PTR(blas_dl_note(), NULL); /* nothing tried yet */
    check_product();                 /* the plain loops */
    CHECK_INT(mapped("libopenblas"), 0);
    CHECK_INT(openblas_get_num_threads(), 1);
    CHECK_HAS(blas_dl_note(), why);
    CHECK_PTR(blas_dl_note(), NULL); /* said once */
    CHECK_INT(blas_dl_load(&err), -1);
    CHECK_HAS(err.msg, why);
    CHECK_HAS(err.hint, "libopenblas0");
    qerr_clear(&err);
}

int
main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    char own[64] = "";
    int dynamic = 0;
    if (strcmp(mode, "keep") == 0 || strcmp(mode, "haswell") == 0) {
        CHECK_INT(mapped("libopenblas"), 0);
        check_first_on_threads();
        if (strcmp(mode, "haswell") == 0)
            CHECK_STR(openblas_get_corename(), "Haswell");
        else if (own_choice(own, sizeof own, &dynamic) == 0)
            CHECK(strcasecmp(openblas_get_corename(), own) == 0);
        return check_done(mode);
    }
    if (strcmp(mode, "missing") == 0) {
        test_missing("/nonexistent/libopenblas.so.0");
        struct qerr err = QERR_INIT;
        CHECK_INT(pq_dl_load(&err), -1);
        CHECK_HAS(err.msg, "/nonexistent/libpq.so.5");
        CHECK_HAS(err.hint, "libpq5");
        CHECK_PTR(pq.PQconnectdb, NULL);
        qerr_clear(&err);
        return check_done(mode);
    }
    if (strcmp(mode, "nodgemm") == 0) {
        test_missing("has no cblas_dgemm");
        return check_done(mode);
    }

    /* 1. lazy */
    CHECK_INT(mapped("libopenblas"), 0);
    CHECK_INT(mapped("libpq"), 0);
    CHECK_PTR(blas_dl_note(), NULL);
    const char *user = getenv("OPENBLAS_CORETYPE");
    int have_own = own_choice(own, sizeof own, &dynamic) == 0;
    CHECK(have_own);
    int before = threads();
    check_product();
    CHECK_INT(mapped("libopenblas"), 1);
    CHECK_INT(mapped("libpq"), 0);
#ifdef __SANITIZE_THREAD__ /* TSan starts a thread of its own at the first pthread_create */
    before = threads();
#endif
    CHECK_INT(threads(), before);
    CHECK_PTR(blas_dl_note(), NULL);

    /* 2. the kernels */
    const char *better = dynamic ? blas_core_better(own, blas_core_cpu()) : NULL;
    const char *want = user ? user : better ? better : own;
    printf("test_blas_dl: OpenBLAS alone chose %s; quarry's load runs %s (want %s)\n", own,
           openblas_get_corename(), want);
    if (have_own)
        CHECK(strcasecmp(openblas_get_corename(), want) == 0);
    CHECK_INT(again(argv, "keep", "QUARRY_BLAS_CORE", "keep"), 0);
    CHECK_INT(again(argv, "haswell", "OPENBLAS_CORETYPE", "Haswell"), 0);

    /* 3. the plain loops */
    test_ref();

    /* 4. missing */
    if (setenv("QUARRY_PQ_LIB", "/nonexistent/libpq.so.5", 1) == 0)
        CHECK_INT(again(argv, "missing", "QUARRY_BLAS_LIB", "/nonexistent/libopenblas.so.0"), 0);
    CHECK_INT(again(argv, "nodgemm", "QUARRY_BLAS_LIB", "libz.so.1"), 0);
    return check_done("test_blas_dl");
}
