/*
 * keyed_fixture.h: reads the oracle fixtures written as lines `key v1 v2
 * ...` (tests/oracles/forecast.py, arima.py, arima_exog.py) for
 * test_forecast.c, test_arima.c and test_arima_exog.c: fx_read loads a
 * file, fx(key) finds a line (a missing key fails the test and gives an
 * empty line).
 */
#ifndef QUARRY_KEYED_FIXTURE_H
#define QUARRY_KEYED_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define MAXV 512   /* values per key */
#define MAX_FX 128 /* keys per file */

struct fx {
    char key[64];
    double v[MAXV];
    int n;
};
static struct fx fxs[MAX_FX];
static int n_fx;

/* Load the lines of path (a missing file fails the test). */
static void
fx_read(const char *path)
{
    FILE *fp = fopen(path, "r");
    CHECK(fp != NULL);
    if (!fp)
        return;
    static char line[1 << 17];
    while (fgets(line, sizeof line, fp) && n_fx < MAX_FX) {
        struct fx *f = &fxs[n_fx++];
        char *p = line, *e;
        int k = 0;
        while (*p && *p != ' ' && k < 63)
            f->key[k++] = *p++;
        f->key[k] = 0;
        f->n = 0;
        for (;;) {
            double v = strtod(p, &e);
            if (e == p || f->n >= MAXV)
                break;
            f->v[f->n++] = v;
            p = e;
        }
    }
    fclose(fp);
}

/* The line called key. */
static const struct fx *
fx(const char *key)
{
    for (int i = 0; i < n_fx; i++)
        if (strcmp(fxs[i].key, key) == 0)
            return &fxs[i];
    fprintf(stderr, "fixture key %s missing\n", key);
    check_fail++;
    static struct fx empty;
    return &empty;
}

/* The line NAME_WHAT. */
static inline const struct fx *
fxk(const char *name, const char *what)
{
    char key[64];
    snprintf(key, sizeof key, "%s_%s", name, what);
    return fx(key);
}

#endif
