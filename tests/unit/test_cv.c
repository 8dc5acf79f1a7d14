/*
 * test_cv.c: cross-validation folds and runs (src/classify/cv.h).
 *
 * Plan:
 *   1. 23 rows into 5 folds: sizes 5 5 5 4 4; stratified with 15 rows of
 *      class 0 and 8 of class 1, each fold holds 3 of class 0 and 1 or 2
 *      of class 1; the same seed deals the same folds, repeats differ
 *   2. naive Bayes on two classes far apart (x near 0 and near 100) is
 *      right on every fold: accuracy 1 and every row tested once per repeat
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "classify/cv.h"
#include "classify/nb.h"

static void
test_plan(void)
{
    enum { N = 23 };
    int y[N];
    for (int i = 0; i < N; i++)
        y[i] = i < 15 ? 0 : 1;
    struct qerr e = QERR_INIT;
    struct cv_plan a, b;
    CHECK_OK(cv_plan_make(y, N, 2, 5, 2, 1, 7, &a, &e), e);
    int size[5] = {0}, c0[5] = {0};
    for (int i = 0; i < N; i++) {
        size[a.fold[i]]++;
        c0[a.fold[i]] += y[i] == 0;
    }
    for (int f = 0; f < 5; f++) {
        CHECK(size[f] == 4 || size[f] == 5);
        CHECK_INT(c0[f], 3);
    }
    CHECK(memcmp(a.fold, a.fold + N, sizeof(int) * N) != 0);
    CHECK_OK(cv_plan_make(y, N, 2, 5, 2, 1, 7, &b, &e), e);
    CHECK(memcmp(a.fold, b.fold, sizeof(int) * 2 * N) == 0);
    cv_plan_release(&b);
    CHECK_OK(cv_plan_make(NULL, N, 2, 5, 1, 0, 7, &b, &e), e);
    memset(size, 0, sizeof size);
    for (int i = 0; i < N; i++)
        size[b.fold[i]]++;
    CHECK_INT(size[0] + size[1] + size[2], 15);
    CHECK_INT(size[3], 4);
    cv_plan_release(&b);
    CHECK(cv_plan_make(NULL, 3, 2, 5, 1, 0, 7, &b, &e) < 0 && e.code == QE_ARG);
    qerr_clear(&e);

    double x[N];
    for (int i = 0; i < N; i++)
        x[i] = (y[i] ? 100 : 0) + (i % 3);
    struct cls_data d = {.x = x, .n = N, .p = 1, .y = y, .nclass = 2};
    struct cls_opts o;
    cls_opts_default(&o);
    struct cv_fold out[10];
    CHECK_OK(cv_run(&cls_nb, &d, &o, &a, -1, NULL, out, &e), e);
    long long tested = 0;
    for (int f = 0; f < 10; f++) {
        CHECK_NEAR(out[f].m.accuracy, 1, 0);
        tested += out[f].n_test;
        CHECK_INT(out[f].n_train + out[f].n_test, N);
    }
    CHECK_INT(tested, 2 * N);
    cv_folds_release(out, 10);
    cv_plan_release(&a);
}

int
main(void)
{
    test_plan();
    return check_done("test_cv");
}
