/*
 * tree_fixture.h: the start every fixture of tests/oracles/tree.py and
 * forest.py (tests/data/tree_NAME.txt, forest_NAME.txt) shares, for
 * test_tree.c and test_forest.c: "x N P" and N x P values, then "y N"
 * and N class indices. Each test reads its own sections after it.
 */
#ifndef QUARRY_TREE_FIXTURE_H
#define QUARRY_TREE_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

/*
 * Read the rows (into *x, n x p, allocated) and their classes (into *y)
 * from fp; 1 when both were read whole, else 0 (free *x and *y either
 * way). scikit-learn fits on float32: the values are float32 ones,
 * written with 9 digits, so each is rounded to float32 back.
 */
static int
tree_fixture_xy(FILE *fp, size_t *n, size_t *p, double **x, int **y)
{
    *n = *p = 0;
    int ok = fscanf(fp, " x %zu %zu", n, p) == 2;
    *x = calloc(*n * *p + 1, sizeof **x);
    *y = calloc(*n + 1, sizeof **y);
    for (size_t i = 0; ok && i < *n * *p; i++) {
        ok = fscanf(fp, "%lf", &(*x)[i]) == 1;
        (*x)[i] = (double)(float)(*x)[i];
    }
    size_t n2;
    ok = ok && fscanf(fp, " y %zu", &n2) == 1 && n2 == *n;
    for (size_t i = 0; ok && i < *n; i++)
        ok = fscanf(fp, "%d", &(*y)[i]) == 1;
    return ok;
}

#endif
