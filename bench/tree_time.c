/*
 * tree_time.c: quarry's tree and forest engines on the rows of
 * bench/tree_data.py, timed in-process as bench/tree_sklearn.py times
 * scikit-learn (fit only, wall clock, after the data is in memory).
 *
 *   tree_time PREFIX N tree|forest THREADS [TREES]
 *
 * tree: maxdepth=10, gini. forest: TREES (default 100) trees, maxdepth=10,
 * sqrt(p) features, seed 0, THREADS threads. Prints one line:
 *   tree_quarry fit_sec=S train_acc=A nodes=K
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

#include "classify/classify.h"
#include "classify/forest.h"
#include "classify/tree.h"

int
main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: tree_time PREFIX N tree|forest THREADS [TREES]\n");
        return 2;
    }
    size_t n = (size_t)strtoull(argv[2], NULL, 10), p = 8;
    int forest = strcmp(argv[3], "forest") == 0;
    char path[512];
    snprintf(path, sizeof path, "%s.f64", argv[1]);
    double *x = bench_slurp(path, n * p * sizeof(double));
    snprintf(path, sizeof path, "%s.i32", argv[1]);
    int *y = bench_slurp(path, n * sizeof(int));
    struct cls_opts o;
    cls_opts_default(&o);
    o.maxdepth = 10;
    o.threads = (int)strtol(argv[4], NULL, 10);
    o.trees = argc > 5 ? (int)strtol(argv[5], NULL, 10) : 100;
    struct cls_data d = {.x = x, .n = n, .p = p, .y = y, .nclass = 3};
    const struct cls_method *m = forest ? &cls_forest : &cls_tree;
    struct qerr err = QERR_INIT;
    void *model = NULL;
    double t0 = bench_now();
    if (m->fit(&d, &o, NULL, &model, &err) < 0) {
        fprintf(stderr, "tree_time: %s\n", err.msg);
        return 1;
    }
    double t1 = bench_now();
    double *pr = malloc(n * 3 * sizeof *pr);
    m->proba(model, &d, pr, &err);
    double t2 = bench_now();
    size_t ok = 0;
    for (size_t i = 0; i < n; i++) {
        int b = 0;
        for (int k = 1; k < 3; k++)
            if (pr[i * 3 + k] > pr[i * 3 + b])
                b = k;
        ok += b == y[i];
    }
    printf("%s_quarry fit_sec=%.4f predict_sec=%.4f train_acc=%.5f", argv[3], t1 - t0, t2 - t1,
           (double)ok / (double)n);
    if (forest)
        printf(" oob=%.5f", forest_oob_accuracy(model));
    printf("\n");
    m->release(model);
    free(pr);
    free(x);
    free(y);
    return 0;
}
