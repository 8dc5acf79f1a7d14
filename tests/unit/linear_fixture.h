/*
 * linear_fixture.h: reads the fixtures of tests/oracles/linear.py
 * (tests/data/linear_NAME.txt) for test_logreg.c, test_svm.c and
 * test_knn.c: sections, each a line "NAME ROWS COLS" and ROWS lines of
 * COLS numbers. Also a store round trip and a truncation check every
 * method's test runs.
 */
#ifndef QUARRY_LINEAR_FIXTURE_H
#define QUARRY_LINEAR_FIXTURE_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify/classify.h"

struct lsec {
    char name[64];
    int rows, cols;
    double *v;
};

struct lfix {
    struct lsec s[64];
    int n;
};

static int
lfix_read(const char *name, struct lfix *f)
{
    char path[256];
    snprintf(path, sizeof path, "tests/data/linear_%s.txt", name);
    FILE *fp = fopen(path, "r");
    memset(f, 0, sizeof *f);
    if (!fp) {
        fprintf(stderr, "cannot open %s\n", path);
        return -1;
    }
    while (f->n < 64) {
        struct lsec *s = &f->s[f->n];
        if (fscanf(fp, "%63s %d %d", s->name, &s->rows, &s->cols) != 3)
            break;
        s->v = malloc(sizeof(double) * (size_t)(s->rows * s->cols + 1));
        for (int i = 0; i < s->rows * s->cols; i++)
            if (fscanf(fp, "%lf", &s->v[i]) != 1)
                s->v[i] = NAN;
        f->n++;
    }
    fclose(fp);
    return 0;
}

static const struct lsec *
lfix_sec(const struct lfix *f, const char *name)
{
    for (int i = 0; i < f->n; i++)
        if (strcmp(f->s[i].name, name) == 0)
            return &f->s[i];
    fprintf(stderr, "fixture section '%s' missing\n", name);
    return NULL;
}

static void
lfix_free(struct lfix *f)
{
    for (int i = 0; i < f->n; i++)
        free(f->s[i].v);
}

/* The data of a fixture: x and y (int), nclass the largest y + 1. */
struct ldata {
    struct cls_data d;
    int *y;
};

static void
ldata_init(struct ldata *ld, const struct lfix *f)
{
    const struct lsec *x = lfix_sec(f, "x"), *y = lfix_sec(f, "y");
    memset(ld, 0, sizeof *ld);
    ld->y = malloc(sizeof(int) * (size_t)y->rows);
    int nc = 0;
    for (int i = 0; i < y->rows; i++) {
        ld->y[i] = (int)y->v[i];
        nc = ld->y[i] + 1 > nc ? ld->y[i] + 1 : nc;
    }
    ld->d.x = x->v;
    ld->d.n = (size_t)x->rows;
    ld->d.p = (size_t)x->cols;
    ld->d.y = ld->y;
    ld->d.nclass = nc;
}

/*
 * Save m with method, load it back, and check the probabilities on d are
 * the same bits; then every shorter prefix of the state (and one extra
 * byte) must fail to load with QE_DATA. Returns the number of problems.
 */
static int
lfix_roundtrip(const struct cls_method *method, const void *m, const struct cls_data *d)
{
    int bad = 0;
    struct buf b;
    struct qerr e = QERR_INIT;
    buf_init(&b);
    if (method->save(m, &b, &e) < 0)
        return 1;
    struct store_reader r;
    store_reader_init(&r, b.data, b.len, method->kind->version, "model 'm'", "m");
    void *m2 = NULL;
    if (method->load(&r, &m2, &e) < 0) {
        fprintf(stderr, "load: %s\n", e.msg);
        bad++;
    }
    store_reader_release(&r);
    if (m2) {
        size_t cells = d->n * (size_t)d->nclass;
        double *a = malloc(sizeof(double) * cells), *c = malloc(sizeof(double) * cells);
        if (method->proba(m, d, a, &e) < 0 || method->proba(m2, d, c, &e) < 0 ||
            memcmp(a, c, sizeof(double) * cells) != 0)
            bad++;
        free(a);
        free(c);
        method->release(m2);
    }
    for (size_t len = 0; len <= b.len; len++) {
        size_t use = len < b.len ? len : b.len + 1;
        unsigned char *copy = calloc(1, use + 1);
        memcpy(copy, b.data, len < b.len ? len : b.len);
        struct qerr e2 = QERR_INIT;
        store_reader_init(&r, copy, use, method->kind->version, "model 'm'", "m");
        m2 = NULL;
        int rc = method->load(&r, &m2, &e2);
        if (rc == 0 || e2.code != QE_DATA || m2) {
            fprintf(stderr, "a state of %zu bytes of %zu loaded (rc %d, code %d)\n", use, b.len,
                    rc, (int)e2.code);
            bad++;
        }
        method->release(m2);
        store_reader_release(&r);
        qerr_clear(&e2);
        free(copy);
        /* long states: check the short prefixes and every 8th length after */
        if (len > 64 && len + 16 < b.len)
            len += 7;
    }
    buf_release(&b);
    qerr_clear(&e);
    return bad;
}

#endif
