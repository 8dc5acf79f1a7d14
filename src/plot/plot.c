/*
 * plot.c: gnuplot scripts from a struct plot_spec. Every figure is built
 * from a fixed template: the terminal, labels and tics (user text only
 * through plot_quote), inline data blocks of numbers, the plot command.
 * Running gnuplot is in plot_run.c; binning and layouts in plot_data.c.
 */
#include "plot/plot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/tick.h"
#include "base/banned.h"

/* A scatter with more points is drawn with small points, and to PNG by libgd. */
#define BIG_SCATTER 20000
/* Cap on point labels: beyond this a figure is unreadable anyway. */
#define MAX_POINT_LABELS 2000

const char *const plot_kind_names[PLOT_N_KINDS] = {
    [PLOT_SCATTER] = "scatter", [PLOT_LINE] = "line",         [PLOT_HIST] = "hist",
    [PLOT_HEATMAP] = "heatmap", [PLOT_BAR] = "bar",           [PLOT_LOSS] = "loss",
    [PLOT_ELBOW] = "elbow",     [PLOT_CORR] = "corr",         [PLOT_DENDROGRAM] = "dendrogram",
    [PLOT_CONFUSION] = "confusion", [PLOT_ROC] = "roc",
    [PLOT_FORECAST] = "forecast", [PLOT_TREE] = "tree",
    [PLOT_TRACE] = "trace"};

const char *
plot_kind_name(enum plot_kind kind)
{
    return plot_kind_names[kind];
}

int
plot_term_of_path(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/'))
        return -1;
    if (strcasecmp(dot, ".png") == 0)
        return PLOT_TERM_PNG;
    if (strcasecmp(dot, ".svg") == 0)
        return PLOT_TERM_SVG;
    if (strcasecmp(dot, ".pdf") == 0)
        return PLOT_TERM_PDF;
    return -1;
}

/*
 * Colours of the series told apart by colour (groups of a scatter, lines,
 * histograms by=): matplotlib's tab10 and two more of their own hue, so
 * twelve groups (k = 12 clusters) all differ. gnuplot's own cycle has 8,
 * so 0 and 8 looked alike. Past twelve the colours repeat with another
 * point shape (scatter) or dash pattern (lines).
 */
static const char *const series_colors[] = {
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
    "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#000000", "#f0c800"};
#define N_SERIES_COLORS (int)(sizeof series_colors / sizeof *series_colors)
/*
 * Filled circle, cross, open triangle, open square, plus (pngcairo, svg,
 * pdfcairo): strokes next to dots, which still differ at a small size.
 */
static const int series_shapes[] = {7, 2, 8, 4, 1};
#define N_SERIES_SHAPES (int)(sizeof series_shapes / sizeof *series_shapes)
/* Solid, then dashes, dots, dash-dot, long dashes. */
#define N_SERIES_DASHES 5

/* The colour of series s, as " lc rgb '#rrggbb'". */
static void
series_color(struct buf *b, int s)
{
    buf_addf(b, " lc rgb '%s'", series_colors[s % N_SERIES_COLORS]);
}

/* The point shape of series s: a new shape each time the colours come round. */
static int
series_shape(int s)
{
    return series_shapes[s / N_SERIES_COLORS % N_SERIES_SHAPES];
}

/* The dash pattern of series s (gnuplot's dt 1..5): a new one each time the colours come round. */
static int
series_dash(int s)
{
    return 1 + s / N_SERIES_COLORS % N_SERIES_DASHES;
}

/* A number as gnuplot reads it; non-finite values as NaN (never inf: it breaks autoscale). */
static void
num(struct buf *b, double v)
{
    if (!isfinite(v))
        buf_adds(b, "NaN");
    else
        buf_addf(b, "%.15g", v);
}

/* The state of one script being written. */
struct gen {
    struct buf *b;
    const struct plot_spec *p;
    const struct plot_out *o;
    unsigned long long rnd;
    int dumb;
    int n_blocks;
    struct tick tk; /* p->progress, by the clock: a block of points stops when it cancels */
};

static unsigned long long
next_rnd(struct gen *g)
{
    unsigned long long z = (g->rnd += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/*
 * Open a data block $dN with a fresh terminator: gnuplot ends a block at
 * any line that starts with the terminator, so it must be unguessable
 * even though our lines hold only numbers. Returns the block's number;
 * end it with block_end(g, term).
 */
static int
block_begin(struct gen *g, char term[24])
{
    snprintf(term, 24, "QD%016llx", next_rnd(g));
    buf_addf(g->b, "$d%d << %s\n", g->n_blocks, term);
    return g->n_blocks++;
}

static void
block_end(struct gen *g, const char *term)
{
    buf_addf(g->b, "%s\n", term);
}

/* `set KEY 'text' noenhanced` when text is given. */
static void
set_text(struct gen *g, const char *key, const char *text)
{
    if (!text || !*text)
        return;
    buf_addf(g->b, "set %s ", key);
    plot_quote(g->b, text);
    buf_adds(g->b, " noenhanced\n");
}

/* Points of a scatter (0 for other kinds). */
static long long
total_points(const struct plot_spec *p)
{
    long long n = 0;
    if (p->kind == PLOT_SCATTER || p->kind == PLOT_CORR)
        for (int s = 0; s < p->n_series; s++)
            n += p->series[s].n;
    return n;
}

static void
terminal(struct gen *g, const char *output)
{
    const struct plot_out *o = g->o;
    struct buf *b = g->b;
    int heat = g->p->kind == PLOT_HEATMAP || g->p->kind == PLOT_CONFUSION;
    switch (o->term) {
    case PLOT_TERM_DUMB:
        /* ansi256 shows a heatmap's palette; plain ansi is enough for lines and points. */
        buf_addf(b, "set terminal dumb size %d,%d noenhanced %s\n", o->width, o->height,
                 !o->color ? "mono" : heat ? "ansi256" : "ansi");
        break;
    case PLOT_TERM_PNG:
        /*
         * cairo antialiases every point: 100,000 of them take 0.7 s of
         * gnuplot's time, libgd's png draws them in 0.15 s, and at that
         * density antialiasing shows nothing. Lines, boxes and text stay
         * with cairo.
         */
        if (total_points(g->p) > BIG_SCATTER)
            buf_addf(b, "set terminal png size %d,%d truecolor noenhanced font 'DejaVuSans,9'\n",
                     o->width, o->height);
        else
            buf_addf(b, "set terminal pngcairo size %d,%d noenhanced font 'Sans,10'\n",
                     o->width, o->height);
        break;
    case PLOT_TERM_SVG:
        buf_addf(b, "set terminal svg size %d,%d noenhanced font 'Sans,10' background "
                    "'#ffffff'\n",
                 o->width, o->height);
        break;
    case PLOT_TERM_PDF:
        buf_addf(b, "set terminal pdfcairo size %.2fin,%.2fin noenhanced font 'Sans,10'\n",
                 o->width / 100.0, o->height / 100.0);
        break;
    case PLOT_TERM_WINDOW:
        /* gnuplot's own default terminal: qt, wxt or x11, whichever it was built with. */
        buf_adds(b, "if (GPVAL_TERM eq 'unknown' || GPVAL_TERM eq 'dumb') "
                    "{ print 'QUARRY_NO_WINDOW'; exit status 3 }\n");
        break;
    }
    if (output) {
        buf_adds(b, "set output ");
        plot_quote(b, output);
        buf_addc(b, '\n');
    }
}

/* Characters of a UTF-8 string (continuation bytes not counted). */
static int
text_width(const char *t)
{
    int n = 0;
    for (; t && *t; t++)
        n += ((unsigned char)*t & 0xC0) != 0x80;
    return n;
}

/*
 * Show every step-th of n category labels along x, so they do not run
 * into each other: at most about 40 in a file, and on the dumb terminal
 * as many as fit side by side in its width.
 */
static int
tic_step(const struct gen *g, const char *const *labels, int n)
{
    int step = n > 40 ? (n + 39) / 40 : 1;
    if (g->dumb) {
        int widest = 1;
        for (int i = 0; i < n; i++)
            if (labels && text_width(labels[i]) > widest)
                widest = text_width(labels[i]);
        int avail = g->o->width > 20 ? g->o->width - 14 : 6;
        int fit = avail / (widest + 1);
        if (fit < 1)
            fit = 1;
        if ((n + step - 1) / step > fit)
            step = (n + fit - 1) / fit;
    }
    return step;
}

/*
 * A date axis: the format by the span (months over 300 days, days
 * below), and a tic interval from a list of round spans, so that the
 * labels fit side by side (on the dumb terminal they cannot be rotated).
 */
static void
time_tics(struct gen *g)
{
    const struct plot_spec *p = g->p;
    double lo = INFINITY, hi = -INFINITY;
    for (int s = 0; s < p->n_series; s++)
        for (long long i = 0; i < p->series[s].n; i++)
            if (isfinite(p->series[s].x[i])) {
                lo = fmin(lo, p->series[s].x[i]);
                hi = fmax(hi, p->series[s].x[i]);
            }
    double span = hi - lo, day = 86400;
    int months = span > 300 * day;
    const char *fmt = months ? "%Y-%m" : span > 2 * day ? "%Y-%m-%d" : "%m-%d %H:%M";
    buf_addf(g->b, "set xdata time\nset timefmt '%%s'\nset format x '%s'\n", fmt);
    if (!(span > 0))
        return;
    int len = months ? 7 : 10;
    /* One fewer than fit: autoscale widens the axis past the data to a round tic. */
    int n_tics = g->dumb ? (g->o->width - 14) / (len + 3) - 1 : 10;
    if (n_tics < 2)
        n_tics = 2;
    static const double steps[] = {3600, 6 * 3600, 86400, 2 * 86400, 7 * 86400, 14 * 86400,
                                   30.4375 * 86400, 91.3125 * 86400, 182.625 * 86400,
                                   365.25 * 86400, 730.5 * 86400, 1826.25 * 86400};
    double step = steps[11];
    for (int i = 11; i >= 0; i--)
        if (span / steps[i] <= n_tics)
            step = steps[i];
    buf_addf(g->b, "set xtics %.0f\n", step);
    if (!g->dumb)
        buf_adds(g->b, "set xtics rotate by 30 right\n");
}

/* Labels, key, grid and tics shared by every kind. */
static void
decorations(struct gen *g)
{
    const struct plot_spec *p = g->p;
    struct buf *b = g->b;
    set_text(g, "title", p->title);
    set_text(g, "xlabel", p->xlabel);
    set_text(g, "ylabel", p->ylabel);
    set_text(g, "cblabel", p->zlabel);
    buf_adds(b, "set key noenhanced\n");
    /*
     * A key inside the plot hides what lies under it: in text, points
     * overwrite it past a few entries; in an image, an opaque key of many
     * entries covers a corner of the data. Past that, put it beside.
     */
    int beside = p->n_series > (g->dumb ? 3 : 6) || p->key_below;
    if (p->key_below) /* neither the key nor the border hides a point */
        buf_adds(b, "set key below horizontal maxrows 1\n"
                    "set offsets graph 0.05, graph 0.05, graph 0.1, graph 0.1\n");
    else if (beside)
        buf_adds(b, "set key outside right top\n");
    else if (p->kind == PLOT_ROC) /* a ROC curve climbs to the top left: the key goes below it */
        buf_adds(b, "set key right bottom\nset xrange [0:1]\nset yrange [0:1]\n");
    else if (!g->dumb && p->n_series > 1 && plot_key_corner(p))
        buf_addf(b, "set key %s\n", plot_key_corner(p));
    if (!g->dumb)
        buf_addf(b, "set grid lc rgb '#dddddd'\nset key %sbox lc rgb '#cccccc'\n",
                 beside ? "" : "opaque ");
    if (p->xaxis == PLOT_AXIS_TIME) {
        time_tics(g);
    } else if (p->xaxis == PLOT_AXIS_CAT && p->n_xtics > 0) {
        int step = tic_step(g, p->xtics, p->n_xtics);
        buf_adds(b, "set xtics (");
        for (int i = 0; i < p->n_xtics; i += step) {
            if (i)
                buf_adds(b, ", ");
            plot_quote(b, p->xtics[i] ? p->xtics[i] : "");
            buf_addf(b, " %d", i);
        }
        buf_adds(b, ") noenhanced\n");
        if (p->n_xtics > 6 && !g->dumb)
            buf_adds(b, "set xtics rotate by 45 right\n");
        buf_addf(b, "set xrange [-0.6:%g]\n", p->n_xtics - 0.4);
    }
}

static void
title_of(struct gen *g, const char *name)
{
    if (name && *name) {
        buf_adds(g->b, " title ");
        plot_quote(g->b, name);
    } else {
        buf_adds(g->b, " notitle");
    }
}

/* The x/y (and extra columns) of a series into a data block; returns the block. */
static int
series_block(struct gen *g, const struct plot_series *s, int with_band, int with_color,
             double size_lo, double size_hi)
{
    char term[24];
    int d = block_begin(g, term);
    struct buf *b = g->b;
    for (long long i = 0; i < s->n && !tick_row(&g->tk, i, s->n); i++) {
        /*
         * On a date axis gnuplot reads NaN as 0, 1970-01-01, and squeezes
         * every real point against one edge: a point without a date is
         * left out (the plot command says how many).
         */
        if (g->p->xaxis == PLOT_AXIS_TIME && !isfinite(s->x[i]))
            continue;
        if (isnan(s->x[i]) && isnan(s->y[i])) {
            buf_addc(b, '\n'); /* a break between line segments */
            continue;
        }
        num(b, s->x[i]);
        buf_addc(b, ' ');
        num(b, s->y[i]);
        if (with_band) {
            buf_addc(b, ' ');
            num(b, s->lo ? s->lo[i] : NAN);
            buf_addc(b, ' ');
            num(b, s->hi ? s->hi[i] : NAN);
        }
        if (with_color) {
            buf_addc(b, ' ');
            num(b, s->color ? s->color[i] : 0);
        }
        if (s->size) {
            /* Point sizes from 0.4 to 2.4 times the base size, linear in the value. */
            double v = s->size[i];
            double r = size_hi > size_lo ? (v - size_lo) / (size_hi - size_lo) : 0.5;
            buf_addc(b, ' ');
            num(b, isfinite(r) ? 0.4 + 2.0 * r : NAN);
        }
        buf_addc(b, '\n');
    }
    block_end(g, term);
    return d;
}

static void
point_labels(struct gen *g, const struct plot_series *s, int *n_labels)
{
    if (!s->labels)
        return;
    for (long long i = 0; i < s->n && *n_labels < MAX_POINT_LABELS; i++) {
        if (!s->labels[i] || !isfinite(s->x[i]) || !isfinite(s->y[i]))
            continue;
        buf_adds(g->b, "set label ");
        plot_quote(g->b, s->labels[i]);
        buf_adds(g->b, " at ");
        if (g->p->xaxis == PLOT_AXIS_TIME)
            buf_addc(g->b, '\'');
        num(g->b, s->x[i]);
        if (g->p->xaxis == PLOT_AXIS_TIME)
            buf_addc(g->b, '\'');
        buf_addc(g->b, ',');
        num(g->b, s->y[i]);
        /* A character cell apart in text, where the label would cover its point. */
        buf_adds(g->b, g->dumb ? " offset 2,0 noenhanced front\n"
                               : " offset 0.7,0.4 noenhanced front\n");
        ++*n_labels;
    }
}

/* scatter, corr: points (coloured by series or by a palette), centres, fit lines. */
static int
gen_points(struct gen *g)
{
    const struct plot_spec *p = g->p;
    struct buf *b = g->b;
    int first = 0, palette = 0, n_labels = 0;
    int *blocks = xcalloc((size_t)p->n_series + 1, sizeof *blocks);
    double slo = INFINITY, shi = -INFINITY;
    for (int s = 0; s < p->n_series; s++) {
        const struct plot_series *se = &p->series[s];
        palette |= se->color != NULL;
        for (long long i = 0; se->size && i < se->n; i++) {
            if (isfinite(se->size[i])) {
                slo = fmin(slo, se->size[i]);
                shi = fmax(shi, se->size[i]);
            }
        }
    }
    for (int s = 0; s < p->n_series; s++) {
        blocks[s] = series_block(g, &p->series[s], 0, palette, slo, shi);
        point_labels(g, &p->series[s], &n_labels);
    }
    int cb = p->centres ? series_block(g, p->centres, 0, 0, 0, 0) : -1;
    if (palette)
        buf_adds(b, "set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 "
                    "'#5ec962', 4 '#fde725')\n");
    if (n_labels > 0) /* room for the labels of the points at the edges */
        buf_adds(b, "set offsets graph 0.02, graph 0.15, graph 0.05, graph 0.02\n");
    if (p->has_fit)
        buf_addf(b, "fit_a = %.15g\nfit_b = %.15g\n", p->fit_a, p->fit_b);
    buf_adds(b, "plot ");
    for (int s = 0; s < p->n_series; s++) {
        const struct plot_series *se = &p->series[s];
        buf_addf(b, "%s$d%d using 1:2", first++ ? ", \\\n     " : "", blocks[s]);
        int col = 3;
        if (palette)
            col++;
        /* The dumb terminal has one size of point: no size column there. */
        if (se->size && !g->dumb)
            buf_addf(b, ":%d", col);
        if (palette)
            buf_adds(b, ":3");
        buf_adds(b, " with points");
        /* The dumb terminal tells series apart by letters A, B, ... already. */
        if (!g->dumb) {
            int pt = palette ? 7 : series_shape(s);
            double ps = total_points(p) <= BIG_SCATTER ? 0.6
                        : g->o->term == PLOT_TERM_PNG  ? 0.5
                                                       : 0.3;
            /* A stroke needs a little more room than a dot to be seen. */
            if (pt != 7)
                ps *= 1.35;
            if (se->size)
                buf_addf(b, " pt %d ps variable", pt);
            else
                buf_addf(b, " pt %d ps %.2g", pt, ps);
        }
        if (palette)
            buf_adds(b, " lc palette");
        else if (!g->dumb)
            series_color(b, s);
        title_of(g, se->name);
    }
    if (cb >= 0) {
        /* On the dumb terminal point types are letters, as the series have: an X apart. */
        if (g->dumb)
            buf_addf(b, ", \\\n     $d%d using 1:2 with points pt 'X'", cb);
        else
            buf_addf(b, ", \\\n     $d%d using 1:2 with points pt 2 ps 3 lw 3 lc rgb '#000000'",
                     cb);
        title_of(g, p->centres->name ? p->centres->name : "centres");
    }
    if (p->has_fit) {
        buf_adds(b, ", \\\n     fit_a + fit_b * x with lines lw 2 title 'least squares fit'");
        buf_adds(b, ", \\\n     x with lines dt 2 lc rgb '#888888' title 'y = x'");
    }
    buf_addc(b, '\n');
    free(blocks);
    return 0;
}

/* line, loss, elbow, dendrogram: lines through the points of each series. */
static int
gen_lines(struct gen *g)
{
    const struct plot_spec *p = g->p;
    struct buf *b = g->b;
    int *blocks = xcalloc((size_t)p->n_series, sizeof *blocks);
    int any_band = 0;
    for (int s = 0; s < p->n_series; s++) {
        int band = p->series[s].lo && p->series[s].hi;
        any_band |= band;
        blocks[s] = series_block(g, &p->series[s], band, 0, 0, 0);
    }
    /* In text several lines differ only by colour, lost in plain mode: mark them A, B, ... */
    const char *with = g->dumb && p->n_series > 1 ? "linespoints" : "lines lw 2";
    if (p->kind == PLOT_LOSS || p->kind == PLOT_ELBOW)
        with = g->dumb ? "linespoints" : "linespoints lw 2 pt 7 ps 0.8";
    if (p->kind == PLOT_DENDROGRAM) {
        with = g->dumb ? "lines" : "lines lw 1.5 lc rgb '#1f4e79'";
        double top = 0;
        for (long long i = 0; p->n_series && i < p->series[0].n; i++)
            if (isfinite(p->series[0].y[i]))
                top = fmax(top, p->series[0].y[i]);
        buf_addf(b, "set yrange [0:%.15g]\nunset key\n", top > 0 ? top * 1.05 : 1);
    }
    if (p->kind == PLOT_ELBOW) {
        /* Whole-number k: one tic per k when there are few. */
        double lo = INFINITY, hi = -INFINITY;
        for (long long i = 0; p->n_series && i < p->series[0].n; i++) {
            lo = fmin(lo, p->series[0].x[i]);
            hi = fmax(hi, p->series[0].x[i]);
        }
        if (hi - lo <= 30)
            buf_adds(b, "set xtics 1\n");
    }
    buf_adds(b, "plot ");
    int first = 0;
    if (any_band) {
        /* Bands first, so the lines sit on top of them. */
        for (int s = 0; s < p->n_series; s++) {
            if (!(p->series[s].lo && p->series[s].hi))
                continue;
            if (g->dumb) {
                buf_addf(b, "%s$d%d using 1:3 with lines dt 2 notitle, $d%d using 1:4 with "
                            "lines dt 2 notitle",
                         first++ ? ", \\\n     " : "", blocks[s], blocks[s]);
            } else {
                buf_addf(b, "%s$d%d using 1:3:4 with filledcurves fs transparent solid 0.2 "
                            "noborder",
                         first++ ? ", \\\n     " : "", blocks[s]);
                series_color(b, p->kind == PLOT_FORECAST ? s / 2 : s);
                buf_adds(b, p->kind == PLOT_FORECAST ? " notitle" : " title 'band'");
            }
        }
    }
    for (int s = 0; s < p->n_series; s++) {
        buf_addf(b, "%s$d%d using 1:2 with %s", first++ ? ", \\\n     " : "", blocks[s], with);
        if (!g->dumb && p->kind == PLOT_FORECAST) {
            /* a group's two lines in its colour: predicted dashed, actual solid */
            series_color(b, s / 2);
            buf_addf(b, " dt %d", s % 2 == 0 ? 2 : 1);
        } else if (!g->dumb && p->kind != PLOT_DENDROGRAM) {
            series_color(b, s);
            buf_addf(b, " dt %d", series_dash(s));
        }
        title_of(g, p->series[s].name);
    }
    buf_addc(b, '\n');
    free(blocks);
    return 0;
}

/* hist, bar: boxes. */
static int
gen_boxes(struct gen *g)
{
    const struct plot_spec *p = g->p;
    struct buf *b = g->b;
    int *blocks = xcalloc((size_t)p->n_series, sizeof *blocks);
    for (int s = 0; s < p->n_series; s++)
        blocks[s] = series_block(g, &p->series[s], 0, 0, 0, 0);
    buf_addf(b, "set boxwidth %.15g absolute\n", p->box_width > 0 ? p->box_width : 0.8);
    if (g->dumb)
        buf_adds(b, "set style fill solid 1.0 noborder\n");
    else if (p->n_series > 1)
        buf_adds(b, "set style fill transparent solid 0.45 border\n");
    else
        buf_adds(b, "set style fill solid 0.7 border lc rgb '#1f4e79'\n");
    /* Boxes stand on y = 0: keep it in view unless some are negative. */
    double ymin = INFINITY;
    for (int s = 0; s < p->n_series; s++)
        for (long long i = 0; i < p->series[s].n; i++)
            if (isfinite(p->series[s].y[i]))
                ymin = fmin(ymin, p->series[s].y[i]);
    buf_adds(b, ymin >= 0 ? "set yrange [0:*]\n" : "set xzeroaxis\n");
    if (p->kind == PLOT_HIST && p->xaxis != PLOT_AXIS_TIME) {
        /* Exactly the bins, not gnuplot's rounded autoscale. */
        double lo = INFINITY, hi = -INFINITY;
        for (int s = 0; s < p->n_series; s++)
            for (long long i = 0; i < p->series[s].n; i++) {
                lo = fmin(lo, p->series[s].x[i]);
                hi = fmax(hi, p->series[s].x[i]);
            }
        if (lo <= hi)
            buf_addf(b, "set xrange [%.15g:%.15g]\n", lo - p->box_width / 2,
                     hi + p->box_width / 2);
    }
    if (p->n_series == 1 && !p->series[0].name)
        buf_adds(b, "unset key\n");
    buf_adds(b, "plot ");
    for (int s = 0; s < p->n_series; s++) {
        buf_addf(b, "%s$d%d using 1:2 with boxes", s ? ", \\\n     " : "", blocks[s]);
        if (p->n_series == 1 && !g->dumb)
            buf_adds(b, " lc rgb '#4f81bd'");
        else if (!g->dumb)
            series_color(b, s);
        title_of(g, p->series[s].name);
    }
    buf_addc(b, '\n');
    free(blocks);
    return 0;
}

static void
axis_tics(struct gen *g, const char *axis, const char *const *labels, int n)
{
    int step = *axis == 'x' ? tic_step(g, labels, n) : n > 40 ? (n + 39) / 40 : 1;
    buf_addf(g->b, "set %stics (", axis);
    for (int i = 0; i < n; i += step) {
        if (i)
            buf_adds(g->b, ", ");
        plot_quote(g->b, labels && labels[i] ? labels[i] : "");
        buf_addf(g->b, " %d", i);
    }
    buf_adds(g->b, ") noenhanced\n");
}

/* 1 if cells of an nx x ny grid on o have room for a value (about 6 characters). */
static int
o_cell_room(const struct plot_out *o, int nx, int ny)
{
    if (o->term == PLOT_TERM_DUMB)
        return (o->width - 14) / nx >= 6 && (o->height - 6) / ny >= 1;
    return o->width * 0.7 / nx >= 42 && o->height * 0.7 / ny >= 14;
}

/* heatmap, confusion: a matrix drawn as an image, with values written in the cells. */
static int
gen_matrix(struct gen *g)
{
    const struct plot_spec *p = g->p;
    const struct plot_matrix *m = &p->m;
    struct buf *b = g->b;
    char term[24];
    double lo = INFINITY, hi = -INFINITY;
    int d = block_begin(g, term);
    for (int y = 0; y < m->ny; y++) {
        for (int x = 0; x < m->nx; x++) {
            double v = m->z[(long long)y * m->nx + x];
            if (isfinite(v)) {
                lo = fmin(lo, v);
                hi = fmax(hi, v);
            }
            if (x)
                buf_addc(b, ' ');
            num(b, v);
        }
        buf_addc(b, '\n');
    }
    block_end(g, term);
    if (p->kind == PLOT_CONFUSION)
        buf_adds(b, "set palette defined (0 '#f7fbff', 1 '#6baed6', 2 '#08306b')\n");
    else
        buf_adds(b, "set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 "
                    "'#5ec962', 4 '#fde725')\n");
    if (hi > lo)
        buf_addf(b, "set cbrange [%.15g:%.15g]\n", lo, hi);
    axis_tics(g, "x", m->xlabels, m->nx);
    axis_tics(g, "y", m->ylabels, m->ny);
    if (m->nx > 6 && !g->dumb)
        buf_adds(b, "set xtics rotate by 45 right\n");
    /* The first row at the top, as in a table. */
    buf_addf(b, "set xrange [-0.5:%g]\nset yrange [%g:-0.5]\n", m->nx - 0.5, m->ny - 0.5);
    buf_adds(b, "unset key\nunset grid\nset tics scale 0\n");
    if (g->dumb) {
        /* Room on the left for the y label beside the widest row label. */
        int widest = 0;
        for (int i = 0; i < m->ny; i++)
            if (m->ylabels && text_width(m->ylabels[i]) > widest)
                widest = text_width(m->ylabels[i]);
        widest = widest > 30 ? 30 : widest;
        buf_addf(b, "set lmargin %d\n", widest + (p->ylabel ? text_width(p->ylabel) : 0) + 3);
        /*
         * The dumb terminal draws an image as runs of X, unreadable without
         * colour: write the values in a labelled grid instead.
         */
        if (!(p->values >= 0 ? p->values : o_cell_room(g->o, m->nx, m->ny))) {
            buf_adds(b, "unset colorbox\n");
            buf_addf(b, "plot $d%d matrix using 1:2:($3 == $3 ? '#' : '') with labels\n", d);
            return 0;
        }
        buf_addf(b, "unset colorbox\nplot $d%d matrix using 1:2:($3 == $3 ? sprintf('%s', $3) "
                    ": '') with labels\n",
                 d, p->kind == PLOT_CONFUSION ? "%.0f" : "%.3g");
        return 0;
    }
    /* pixels: one rectangle per cell, never a bitmap a viewer would smooth (SVG, PDF). */
    buf_addf(b, "plot $d%d matrix with image pixels", d);
    /* Values: when each cell has room for about six characters of text. */
    int values = p->values >= 0 ? p->values
                                : o_cell_room(g->o, m->nx, m->ny);
    if (values) {
        /* Light text on the dark half of the palette, dark text on the light half. */
        double mid = (lo + hi) / 2;
        const char *fmt = p->kind == PLOT_CONFUSION ? "%.0f" : "%.3g";
        int dark_low = p->kind != PLOT_CONFUSION; /* viridis is dark at the low end */
        buf_addf(b, ", \\\n     $d%d matrix using 1:2:($3 %s %.15g ? sprintf('%s', $3) : "
                    "'') with labels font ',9' tc rgb '#ffffff'",
                 d, dark_low ? "<" : ">=", mid, fmt);
        buf_addf(b, ", \\\n     $d%d matrix using 1:2:($3 %s %.15g ? sprintf('%s', $3) : "
                    "'') with labels font ',9' tc rgb '#000000'",
                 d, dark_low ? ">=" : "<", mid, fmt);
    }
    buf_addc(b, '\n');
    return 0;
}

int
plot_script(const struct plot_spec *p, const struct plot_out *o, const char *output,
            unsigned long long seed, struct buf *script, struct qerr *err)
{
    struct gen g = {.b = script, .p = p, .o = o, .rnd = seed, .dumb = o->term == PLOT_TERM_DUMB};
    tick_init(&g.tk, p->progress, p->pctx);
    int rc = 0, matrix = p->kind == PLOT_HEATMAP || p->kind == PLOT_CONFUSION;
    if (matrix && (p->m.nx < 1 || p->m.ny < 1 || !p->m.z))
        return qerr_set(err, QE_ARG, "nothing to plot: the matrix has no cells");
    if (p->kind == PLOT_TREE && (!p->tree || p->tree->n < 1))
        return qerr_set(err, QE_ARG, "nothing to plot: the tree has no nodes");
    if (!matrix && p->kind != PLOT_TREE && p->n_series < 1)
        return qerr_set(err, QE_ARG, "nothing to plot: no series");
    if (o->width < 1 || o->height < 1)
        return qerr_set(err, QE_ARG, "plot size must be positive, not %dx%d", o->width,
                        o->height);
    buf_addf(script, "# quarry plot %s: a self-contained gnuplot script, data inline.\n",
             plot_kind_name(p->kind));
    buf_adds(script, "reset\nset encoding utf8\n");
    terminal(&g, output);
    decorations(&g);
    int named = p->centres || p->has_fit;
    for (int i = 0; i < p->n_series; i++)
        named |= p->series[i].name != NULL || (p->series[i].lo && p->series[i].hi);
    if (!named)
        buf_adds(script, "unset key\n");
    switch (p->kind) {
    case PLOT_SCATTER:
    case PLOT_CORR:
        rc = gen_points(&g);
        break;
    case PLOT_LINE:
    case PLOT_FORECAST:
    case PLOT_LOSS:
    case PLOT_ELBOW:
    case PLOT_DENDROGRAM:
    case PLOT_ROC:
        rc = gen_lines(&g);
        break;
    case PLOT_HIST:
    case PLOT_BAR:
        rc = gen_boxes(&g);
        break;
    case PLOT_HEATMAP:
    case PLOT_CONFUSION:
        rc = gen_matrix(&g);
        break;
    case PLOT_TREE:
        rc = plot_tree_gen(p, g.dumb, script, err);
        break;
    default:
        return qerr_set(err, QE_INTERNAL, "unknown plot kind %d", (int)p->kind);
    }
    /* a block cut short by a cancel: the script is not the plot */
    return g.tk.stopped ? tick_fail(err) : rc;
}
