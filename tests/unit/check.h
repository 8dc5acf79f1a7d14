/*
 * check.h: the unit-test harness. Each test file is one program whose
 * main() calls its test functions; CHECK* macros count passes and
 * failures, print file:line, the expression, expected and actual values on
 * failure, and check_done() prints "N passed, N failed" and returns the
 * exit status.
 *
 * Every typed check takes the actual value first, then the expected one:
 *   CHECK_INT(actual, expected)        integers (printed as long long)
 *   CHECK_NEAR(actual, expected, tol)  doubles within an explicit tolerance
 *                                      (0 for exact equality)
 *   CHECK_STR(actual, expected)        strings, NULL never equal
 *   CHECK_PTR(actual, expected)        pointer identity
 *   CHECK_HAS(haystack, needle)        needle occurs in haystack (not NULL)
 *   CHECK_OK(call, err)                call returns 0; err is the struct qerr
 *                                      it fills, whose message is printed
 * A comparison uses one of these so a failure shows both values; plain
 * CHECK(expr) is for predicates that have no value worth printing.
 */
#ifndef QUARRY_CHECK_H
#define QUARRY_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int check_pass, check_fail;

#define CHECK(expr)                                                                   \
    do {                                                                              \
        if (expr) {                                                                   \
            check_pass++;                                                             \
        } else {                                                                      \
            check_fail++;                                                             \
            fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #expr);  \
        }                                                                             \
    } while (0)

#define CHECK_INT(actual, expected)                                                   \
    do {                                                                              \
        long long a_ = (long long)(actual), e_ = (long long)(expected);               \
        if (a_ == e_) {                                                               \
            check_pass++;                                                             \
        } else {                                                                      \
            check_fail++;                                                             \
            fprintf(stderr, "%s:%d: %s: expected %lld, got %lld\n", __FILE__,         \
                    __LINE__, #actual, e_, a_);                                       \
        }                                                                             \
    } while (0)

#define CHECK_STR(actual, expected)                                                   \
    do {                                                                              \
        const char *a_ = (actual), *e_ = (expected);                                  \
        if (a_ && e_ && strcmp(a_, e_) == 0) {                                        \
            check_pass++;                                                             \
        } else {                                                                      \
            check_fail++;                                                             \
            fprintf(stderr, "%s:%d: %s: expected \"%s\", got \"%s\"\n", __FILE__,     \
                    __LINE__, #actual, e_ ? e_ : "(null)", a_ ? a_ : "(null)");       \
        }                                                                             \
    } while (0)

#define CHECK_NEAR(actual, expected, tol)                                             \
    do {                                                                              \
        double a_ = (actual), e_ = (expected);                                        \
        if (fabs(a_ - e_) <= (tol)) {                                                 \
            check_pass++;                                                             \
        } else {                                                                      \
            check_fail++;                                                             \
            fprintf(stderr, "%s:%d: %s: expected %.17g (tol %g), got %.17g\n",        \
                    __FILE__, __LINE__, #actual, e_, (double)(tol), a_);              \
        }                                                                             \
    } while (0)

#define CHECK_PTR(actual, expected)                                                   \
    do {                                                                              \
        const void *a_ = (actual), *e_ = (expected);                                  \
        if (a_ == e_) {                                                               \
            check_pass++;                                                             \
        } else {                                                                      \
            check_fail++;                                                             \
            fprintf(stderr, "%s:%d: %s: expected %p (%s), got %p\n", __FILE__,        \
                    __LINE__, #actual, e_, #expected, a_);                            \
        }                                                                             \
    } while (0)

#define CHECK_HAS(haystack, needle)                                                   \
    do {                                                                              \
        const char *h_ = (haystack), *n_ = (needle);                                  \
        if (h_ && n_ && strstr(h_, n_)) {                                             \
            check_pass++;                                                             \
        } else {                                                                      \
            check_fail++;                                                             \
            fprintf(stderr, "%s:%d: %s: expected to contain \"%s\", got \"%s\"\n",    \
                    __FILE__, __LINE__, #haystack, n_ ? n_ : "(null)",                \
                    h_ ? h_ : "(null)");                                              \
        }                                                                             \
    } while (0)

#define CHECK_OK(call, err)                                                           \
    do {                                                                              \
        int r_ = (call);                                                              \
        if (r_ == 0) {                                                                \
            check_pass++;                                                             \
        } else {                                                                      \
            check_fail++;                                                             \
            fprintf(stderr, "%s:%d: %s: expected 0, got %d (%s)\n", __FILE__,         \
                    __LINE__, #call, r_, (err).msg ? (err).msg : "no message");       \
        }                                                                             \
    } while (0)

static int
check_done(const char *name)
{
    printf("%s: %d passed, %d failed\n", name, check_pass, check_fail);
    return check_fail ? 1 : 0;
}

#endif
