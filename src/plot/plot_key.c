/*
 * plot_key.c: where an image's key hides the fewest points (plot.h,
 * plot_key_corner), as matplotlib's legend loc="best" chooses.
 */
#include "plot/plot.h"

#include <math.h>

#include "base/banned.h"

/* The share of the width and of the height a key of a few entries takes. */
#define KEY_W 0.4
#define KEY_H 0.25
/* Points sampled on each segment of a drawn line. */
#define SEG_STEPS 8

static int
drawn_as_line(enum plot_kind k)
{
    return k == PLOT_LINE || k == PLOT_LOSS || k == PLOT_ELBOW || k == PLOT_FORECAST;
}

/* Widen [lo, hi] to take v when v is finite. */
static void
take(double v, double *lo, double *hi)
{
    if (isfinite(v)) {
        *lo = v < *lo ? v : *lo;
        *hi = v > *hi ? v : *hi;
    }
}

/* Count the point (x, y), in units of the ranges, into the corner it lies in. */
static void
count(double x, double y, const double r[4], long long n[4])
{
    if (!isfinite(x) || !isfinite(y))
        return;
    double u = (x - r[0]) / (r[1] - r[0]), v = (y - r[2]) / (r[3] - r[2]);
    int right = u >= 1 - KEY_W, left = u <= KEY_W, top = v >= 1 - KEY_H, bottom = v <= KEY_H;
    n[0] += top && right;
    n[1] += top && left;
    n[2] += bottom && right;
    n[3] += bottom && left;
}

const char *
plot_key_corner(const struct plot_spec *p)
{
    static const char *const where[4] = {"top right", "top left", "bottom right",
                                         "bottom left"};
    if (p->kind != PLOT_SCATTER && p->kind != PLOT_CORR && !drawn_as_line(p->kind))
        return NULL;
    double r[4] = {INFINITY, -INFINITY, INFINITY, -INFINITY};
    for (int s = 0; s < p->n_series; s++) {
        const struct plot_series *se = &p->series[s];
        for (long long i = 0; i < se->n; i++) {
            take(se->x[i], &r[0], &r[1]);
            take(se->y[i], &r[2], &r[3]);
            if (se->lo)
                take(se->lo[i], &r[2], &r[3]);
            if (se->hi)
                take(se->hi[i], &r[2], &r[3]);
        }
    }
    if (!(r[1] > r[0]) || !(r[3] > r[2]))
        return NULL;
    long long n[4] = {0, 0, 0, 0};
    int line = drawn_as_line(p->kind);
    for (int s = 0; s < p->n_series; s++) {
        const struct plot_series *se = &p->series[s];
        for (long long i = 0; i < se->n; i++) {
            count(se->x[i], se->y[i], r, n);
            if (se->hi)
                count(se->x[i], se->hi[i], r, n);
            if (se->lo)
                count(se->x[i], se->lo[i], r, n);
            if (line && i > 0)
                for (int k = 1; k < SEG_STEPS; k++) {
                    double f = (double)k / SEG_STEPS;
                    count(se->x[i - 1] + f * (se->x[i] - se->x[i - 1]),
                          se->y[i - 1] + f * (se->y[i] - se->y[i - 1]), r, n);
                }
        }
    }
    int best = 0;
    for (int c = 1; c < 4; c++)
        if (n[c] < n[best])
            best = c;
    return where[best];
}
