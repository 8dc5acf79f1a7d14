/*
 * bench/harness.h: the timing and argument harness the in-process bench
 * programs share (kmeans_iter.c, dbscan_time.c, linear_time.c,
 * tree_time.c). Header-only: each program is one translation unit built
 * by bench_cc (bench/harness.sh) against the engine's objects.
 *
 *   bench_now()        wall seconds, monotonic clock
 *   bench_cpu()        CPU seconds of the whole process, every thread
 *   bench_median(v,n)  sorts v in place and returns its median
 *   bench_npy(path, &rows, &cols)   a float64 .npy file (C order), malloc'd
 *   bench_npy_i64(path, n)          an int64 .npy of n values, malloc'd
 *   bench_slurp(path, bytes)        a raw file of exactly bytes bytes
 *   bench_colmajor(xr, n, d, &ld)   row-major n x d -> column-major, ld = n
 *                                   rounded up to 8, 64-byte aligned, as a
 *                                   frame holds it
 *
 * The readers return NULL when the file cannot be read; bench_slurp and
 * bench_die end the program with status 1 and a line on stderr (this is a
 * bench tool, not the engine).
 */
#ifndef QUARRY_BENCH_HARNESS_H
#define QUARRY_BENCH_HARNESS_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static inline double
bench_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static inline double
bench_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
}

static inline int
bench_cmpd(const void *a, const void *b)
{
    double u = *(const double *)a, v = *(const double *)b;
    return (u > v) - (u < v);
}

static inline double
bench_median(double *v, int n)
{
    if (n <= 0)
        return 0;
    qsort(v, (size_t)n, sizeof(double), bench_cmpd);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static inline void
bench_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

/* The header of a .npy file: shape into rows and cols (1 for a vector). */
static inline FILE *
bench_npy_open(const char *path, long long *rows, long long *cols)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char pre[10];
    if (fread(pre, 1, 10, f) != 10 || memcmp(pre, "\x93NUMPY", 6) != 0) {
        fclose(f);
        return NULL;
    }
    size_t hl = (size_t)pre[8] | ((size_t)pre[9] << 8);
    char *h = calloc(hl + 1, 1);
    char *s = h && fread(h, 1, hl, f) == hl ? strstr(h, "'shape': (") : NULL;
    if (!s) {
        fclose(f);
        free(h);
        return NULL;
    }
    *rows = strtoll(s + 10, &s, 10);
    *cols = *s == ',' ? strtoll(s + 1, NULL, 10) : 1;
    if (*cols == 0)
        *cols = 1;
    free(h);
    return f;
}

static inline double *
bench_npy(const char *path, long long *rows, long long *cols)
{
    FILE *f = bench_npy_open(path, rows, cols);
    if (!f)
        return NULL;
    size_t n = (size_t)(*rows * *cols);
    double *x = malloc(n * sizeof(double));
    if (!x || fread(x, sizeof(double), n, f) != n) {
        fclose(f);
        free(x);
        return NULL;
    }
    fclose(f);
    return x;
}

static inline long long *
bench_npy_i64(const char *path, long long n)
{
    long long rows, cols;
    FILE *f = bench_npy_open(path, &rows, &cols);
    if (!f)
        return NULL;
    long long *v = rows * cols == n ? malloc(sizeof(long long) * (size_t)n) : NULL;
    if (!v || fread(v, sizeof(long long), (size_t)n, f) != (size_t)n) {
        fclose(f);
        free(v);
        return NULL;
    }
    fclose(f);
    return v;
}

static inline void *
bench_slurp(const char *path, size_t bytes)
{
    FILE *f = fopen(path, "rb");
    void *p = malloc(bytes ? bytes : 1);
    if (!f || !p || fread(p, 1, bytes, f) != bytes)
        bench_die("bench: cannot read %zu bytes of %s", bytes, path);
    fclose(f);
    return p;
}

static inline double *
bench_colmajor(const double *xr, long long n, long long d, long long *ld)
{
    *ld = (n + 7) / 8 * 8;
    size_t bytes = ((size_t)(*ld * d) * sizeof(double) + 63) / 64 * 64;
    double *x = aligned_alloc(64, bytes ? bytes : 64);
    if (!x)
        bench_die("bench: out of memory");
    memset(x, 0, bytes);
    for (long long i = 0; i < n; i++)
        for (long long q = 0; q < d; q++)
            x[q * *ld + i] = xr[i * d + q];
    return x;
}

#endif
