/*
 * linear_time.c: quarry's logistic regression fit and k-NN predict on
 * .npy data (and naive Bayes' fit + predict), for bench/linear_sklearn.py
 * and bench/nb_sklearn.py, which runs it beside
 * scikit-learn round by round. Prints the engine's in-process seconds
 * and CPU seconds (every thread) of the fit or the predict alone, the
 * data already in memory, row-major, as the commands hand it over.
 *
 *   linear_time logreg X.npy Y.npy THREADS
 *   linear_time knn XTRAIN.npy YTRAIN.npy XQUERY.npy K THREADS
 *   linear_time nb X.npy Y.npy          (Gaussian naive Bayes fit + predict;
 *                                        NB_PROBA=1: + the probabilities)
 *
 * X files are float64 C order (n x p); Y files float64 class indices.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "harness.h"

#include "classify/classify.h"
#include "classify/linear.h"
#include "classify/logreg.h"

static int *
labels(const double *v, long long n, int *nclass)
{
    int *y = malloc(sizeof(int) * (size_t)n);
    *nclass = 0;
    for (long long i = 0; i < n; i++) {
        y[i] = (int)v[i];
        if (y[i] + 1 > *nclass)
            *nclass = y[i] + 1;
    }
    return y;
}

int
main(int argc, char **argv)
{
    struct qerr e = QERR_INIT;
    struct cls_opts o;
    cls_opts_default(&o);
    long long n, p, ny, one;
    if (argc == 5 && strcmp(argv[1], "logreg") == 0) {
        double *x = bench_npy(argv[2], &n, &p), *yv = bench_npy(argv[3], &ny, &one);
        if (!x || !yv || ny != n)
            return 2;
        int K;
        int *y = labels(yv, n, &K);
        struct cls_data d = { x, (size_t)n, (size_t)p, y, K, NULL, NULL, NULL };
        o.threads = atoi(argv[4]);
        void *m = NULL;
        double t0 = bench_now(), c0 = bench_cpu();
        if (cls_logreg.fit(&d, &o, NULL, &m, &e) < 0) {
            fprintf(stderr, "%s\n", e.msg);
            return 1;
        }
        double t = bench_now() - t0, c = bench_cpu() - c0;
        int it, conv;
        linear_status(m, &it, &conv);
        int nw;
        const double *w, *b;
        linear_coef(m, &nw, &w, &b);
        printf("seconds=%.6f cpu=%.6f iter=%d converged=%d coef0=%.9g intercept=%.9g\n", t, c,
               it, conv, w[0], b[0]);
        cls_logreg.release(m);
        return 0;
    }
    if (argc == 7 && strcmp(argv[1], "knn") == 0) {
        long long nq, pq;
        double *x = bench_npy(argv[2], &n, &p), *yv = bench_npy(argv[3], &ny, &one);
        double *q = bench_npy(argv[4], &nq, &pq);
        if (!x || !yv || !q || ny != n || pq != p)
            return 2;
        int K;
        int *y = labels(yv, n, &K);
        struct cls_data d = { x, (size_t)n, (size_t)p, y, K, NULL, NULL, NULL };
        struct cls_data dq = { q, (size_t)nq, (size_t)p, NULL, K, NULL, NULL, NULL };
        const struct cls_method *knn = cls_method_find("knn");
        o.k = atoi(argv[5]);
        o.threads = atoi(argv[6]);
        void *m = NULL;
        double *pr = malloc(sizeof(double) * (size_t)(nq * K));
        if (knn->fit(&d, &o, NULL, &m, &e) < 0)
            return 1;
        double t0 = bench_now(), c0 = bench_cpu();
        if (knn->proba(m, &dq, pr, &e) < 0) {
            fprintf(stderr, "%s\n", e.msg);
            return 1;
        }
        double t = bench_now() - t0, c = bench_cpu() - c0;
        long long sum = 0;
        for (long long i = 0; i < nq; i++) {
            int best = 0;
            for (int c = 1; c < K; c++)
                best = pr[i * K + c] > pr[i * K + best] ? c : best;
            sum += best;
        }
        printf("seconds=%.6f cpu=%.6f predsum=%lld\n", t, c, sum);
        knn->release(m);
        return 0;
    }
    if (argc == 4 && strcmp(argv[1], "nb") == 0) {
        /*
         * Gaussian naive Bayes: fit, then the predicted class of every row,
         * as `predict` without prob=yes (and scikit-learn's predict) does;
         * NB_PROBA=1: the probabilities first, the class their first largest.
         */
        double *x = bench_npy(argv[2], &n, &p), *yv = bench_npy(argv[3], &ny, &one);
        if (!x || !yv || ny != n)
            return 2;
        int K, proba = getenv("NB_PROBA") && atoi(getenv("NB_PROBA"));
        int *y = labels(yv, n, &K);
        struct cls_data d = { x, (size_t)n, (size_t)p, y, K, NULL, NULL, NULL };
        const struct cls_method *nb = cls_method_find("nb");
        void *m = NULL;
        double *pr = proba ? malloc(sizeof(double) * (size_t)(n * K)) : NULL;
        int *pred = malloc(sizeof(int) * (size_t)n);
        double t0 = bench_now(), c0 = bench_cpu();
        if (nb->fit(&d, &o, NULL, &m, &e) < 0) {
            fprintf(stderr, "%s\n", e.msg);
            return 1;
        }
        double tf = bench_now() - t0;
        if (proba ? nb->proba(m, &d, pr, &e) < 0 : nb->predict(m, &d, pred, &e) < 0) {
            fprintf(stderr, "%s\n", e.msg);
            return 1;
        }
        for (long long i = 0; proba && i < n; i++) {
            int best = 0;
            for (int c = 1; c < K; c++)
                best = pr[i * K + c] > pr[i * K + best] ? c : best;
            pred[i] = best;
        }
        double t = bench_now() - t0, c = bench_cpu() - c0;
        long long right = 0;
        for (long long i = 0; i < n; i++)
            right += pred[i] == y[i];
        printf("seconds=%.6f cpu=%.6f fit=%.6f accuracy=%.6f\n", t, c, tf, (double)right / n);
        nb->release(m);
        return 0;
    }
    fprintf(stderr, "usage: linear_time logreg X Y THREADS | knn XT YT XQ K THREADS | "
                    "nb X Y\n");
    return 2;
}
