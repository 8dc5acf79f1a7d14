/*
 * cmd_plot.c: `plot KIND TABLE key=value...`, figures of any table through
 * gnuplot (src/plot/plot.h): inline in the output pane (dumb terminal at the
 * pane's width), or to a PNG, SVG or PDF file, or a window. This file
 * turns the arguments into a struct plot_spec for each kind; cmd_plot_read.c
 * reads the columns.
 */
#include "plot_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kit.h"
#include "remote.h"
#include "base/tick.h"
#include "base/banned.h"
#include "plot/plot.h"

static const char *const agg_names[] = {
    [PLOT_AGG_SUM] = "sum", [PLOT_AGG_AVG] = "avg", [PLOT_AGG_COUNT] = "count",
    [PLOT_AGG_MIN] = "min", [PLOT_AGG_MAX] = "max"};

#define KINDS                                                                                  \
    "scatter|line|hist|heatmap|bar|loss|elbow|corr|dendrogram|confusion|roc|forecast|tree|" \
    "trace"
/* The kinds that take x= and y= columns. */
#define XY_KINDS "KIND=scatter|line|heatmap|bar|loss|elbow|corr|confusion|roc"
/* The kinds that draw rows one by one, and so can draw a sample of them. */
#define ROW_KINDS "KIND=scatter|line|hist|corr"

static const struct arg_spec cmd_plot_args[] = {
    {.name = "KIND", .positional = 1, .type = ARG_ENUM, .required = 1, .choices = KINDS,
     ARG_NAMES(plot_kind_names), .help = "A kind of figure, as above.", .comp = COMP_CHOICES},
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1, .or_model = "KIND=tree",
     .help = "The table to plot (tree: the model).", .comp = COMP_TABLES},
    {.name = "x", .type = ARG_COLUMN, .modes = XY_KINDS, .help = "Column on the x axis.",
     .comp = COMP_COLUMNS},
    {.name = "y", .type = ARG_COLUMNS, .modes = XY_KINDS,
     .help = "Column(s) on the y axis (line and loss take several).", .comp = COMP_COLUMNS},
    {.name = "z", .type = ARG_COLUMN, .modes = "KIND=heatmap|confusion",
     .help = "heatmap: the value of a cell; confusion: a count per row.", .comp = COMP_COLUMNS},
    {.name = "col", .type = ARG_COLUMN, .modes = "KIND=hist", .help = "The column to count.",
     .comp = COMP_COLUMNS},
    {.name = "color", .type = ARG_COLUMN, .modes = "KIND=scatter",
     .help = "Colour by this column (one colour per value, or a colour scale).",
     .comp = COMP_COLUMNS},
    {.name = "by", .type = ARG_COLUMN, .modes = "KIND=line|hist",
     .help = "One series per value of this column.", .comp = COMP_COLUMNS},
    {.name = "labels", .type = ARG_COLUMN, .modes = "KIND=scatter",
     .help = "Write this column by each point.", .comp = COMP_COLUMNS},
    {.name = "pointsize", .type = ARG_COLUMN, .modes = "KIND=scatter",
     .help = "Scale the points by this column (size=COL says the same when no figure size is "
             "given).",
     .comp = COMP_COLUMNS},
    {.name = "centres", .type = ARG_TEXT, .modes = "KIND=scatter",
     .help = "A table of cluster centres (the same x and y columns, or a cluster profile's "
             "COL_centre or COL_mean), marked with crosses.",
     .comp = COMP_TABLES},
    {.name = "band", .type = ARG_COLUMNS, .modes = "KIND=line",
     .help = "Two columns, lower and upper, drawn as a band around the line.",
     .comp = COMP_COLUMNS},
    {.name = "bins", .type = ARG_TEXT, .def = "auto", .modes = "KIND=hist",
     .help = "The number of bins, or auto (Freedman-Diaconis).", .comp = COMP_NONE},
    {.name = "agg", .type = ARG_ENUM, .def = "sum", .choices = "sum|avg|count|min|max",
     ARG_NAMES(agg_names), .modes = "KIND=heatmap|bar",
     .help = "How rows that fall in one cell or bar combine.", .comp = COMP_CHOICES},
    {.name = "values", .type = ARG_BOOL, .modes = "KIND=heatmap|confusion",
     .help = "Write each cell's value in it (default: when it fits).", .comp = COMP_CHOICES,
     .choices = "yes|no"},
    {.name = "model", .type = ARG_TEXT, .modes = "KIND=roc",
     .help = "roc: a model made by train, scored on TABLE against its target (instead of x= "
             "and y=).",
     .comp = COMP_NONE},
    {.name = "positive", .type = ARG_TEXT, .modes = "KIND=roc",
     .help = "roc: the label of y= that the score x= is about (default: the one x's name ends "
             "with, as predicted_yes, else the second of two).",
     .comp = COMP_NONE},
    {.name = "depth", .type = ARG_INT, .def = "4", .min = 1, .max = 30, .modes = "KIND=tree",
     .help = "tree: the levels drawn below the root; deeper subtrees are one box.",
     .comp = COMP_NONE},
    {.name = "tree", .type = ARG_INT, .min = 1, .max = 1e6, .modes = "KIND=tree",
     .help = "tree: which tree of a forest model to draw (default 1).", .comp = COMP_NONE},
    {.name = "sample", .type = ARG_INT, .min = 1, .max = 1e12, .modes = ROW_KINDS,
     .help = "Plot a random sample of this many rows (seeded, so it can be repeated).",
     .comp = COMP_NONE},
    {.name = "seed", .type = ARG_INT, .min = 0, .max = 1e18, .modes = ROW_KINDS,
     .help = "Seed of the sample (default: the session seed, else a fresh one).",
     .comp = COMP_NONE},
    {.name = "title", .type = ARG_TEXT, .help = "The figure's title.", .comp = COMP_NONE},
    {.name = "to", .type = ARG_PATH,
     .help = "Write the figure to FILE.png, FILE.svg or FILE.pdf instead of showing it.",
     .comp = COMP_FILES},
    {.name = "size", .type = ARG_TEXT,
     .help = "WxH: the figure's size, in pixels for a file (default 800x600; a PDF is "
             "drawn at 100 pixels per inch), in characters inline (default: the pane); on a "
             "scatter, a column name scales the points by that column.",
     .comp = COMP_COLUMNS},
    {.name = "script", .type = ARG_PATH,
     .help = "Also save the gnuplot script, with its data inline, to FILE.gp.",
     .comp = COMP_FILES},
    {.name = "window", .type = ARG_BOOL, .def = "no",
     .help = "Open an interactive gnuplot window (needs a display).", .comp = COMP_CHOICES,
     .choices = "yes|no"},
    {0},
};

void *
pj_own(struct job *j, void *p)
{
    if (j->n_owned == j->cap_owned) {
        j->cap_owned = j->cap_owned ? 2 * j->cap_owned : 64;
        j->owned = xrealloc(j->owned, (size_t)j->cap_owned * sizeof *j->owned);
    }
    j->owned[j->n_owned++] = p;
    return p;
}

static void
job_release(struct job *j)
{
    pcols_free(j->cols, j->n_cols);
    for (int i = 0; i < j->n_owned; i++)
        free(j->owned[i]);
    free(j->owned);
    for (int i = 0; i < 3; i++)
        pcats_free(&j->cats[i]);
    free(j->series);
    buf_release(&j->title);
}

/* Read the named columns; cols[k] is then the column of names[k]. */
int
pj_read_cols(struct job *j, const char *const *names, int n, struct qerr *err)
{
    if (pcols_read(j->ctx, j->table, names, n, j->cols, &j->n_total, err) < 0)
        return -1;
    j->n_cols = n;
    j->n_rows = j->n_total;
    return 0;
}

/* sample=N: keep a seeded random N rows, in table order, and say so in the history. */
void
pj_sample(struct job *j, struct cmd_result *res)
{
    if (!args_given(j->args, "sample"))
        return;
    long long k = args_int(j->args, "sample");
    if (k >= j->n_total)
        return;
    long long seed = kit_seed(j->ctx, j->args, res);
    long long *idx = xmalloc((size_t)k * sizeof *idx);
    plot_sample_rows(j->n_total, k, (unsigned long long)seed, idx);
    pcols_keep(j->cols, j->n_cols, idx, k);
    free(idx);
    j->n_rows = k;
}

void
pj_make_title(struct job *j, const char *fmt, ...)
{
    if (args_given(j->args, "title")) {
        buf_adds(&j->title, args_str(j->args, "title"));
    } else {
        va_list ap;
        va_start(ap, fmt);
        buf_vaddf(&j->title, fmt, ap);
        va_end(ap);
    }
    if (j->n_rows + j->n_undated < j->n_total)
        buf_addf(&j->title, " (sample of %lld of %lld rows)", j->n_rows, j->n_total);
    j->spec.title = j->title.data;
}

struct plot_series *
pj_add_series(struct job *j)
{
    j->series = xrealloc(j->series, (size_t)(j->spec.n_series + 1) * sizeof *j->series);
    struct plot_series *s = &j->series[j->spec.n_series++];
    memset(s, 0, sizeof *s);
    return s;
}

/* An x column as an axis: numbers, dates, or categories (text) at 0..n-1. */
int
pj_x_axis(struct job *j, struct pcol *c, double **xs, struct qerr *err)
{
    if (c->is_time) {
        j->spec.xaxis = PLOT_AXIS_TIME;
        *xs = c->v;
        return 0;
    }
    if (!c->is_text) {
        *xs = c->v;
        return 0;
    }
    int *codes = pj_own(j, xmalloc((size_t)(c->n ? c->n : 1) * sizeof *codes));
    if (pcats_make(j->ctx, c, MAX_CATS, &j->cats[0], codes, err) < 0)
        return -1;
    double *v = pj_own(j, xmalloc((size_t)(c->n ? c->n : 1) * sizeof *v));
    for (long long i = 0; i < c->n; i++)
        v[i] = codes[i] < 0 ? NAN : codes[i];
    j->spec.xaxis = PLOT_AXIS_CAT;
    j->spec.xtics = (const char *const *)j->cats[0].names;
    j->spec.n_xtics = j->cats[0].n;
    *xs = v;
    return 0;
}

/* Split rows into groups by a column: one series per value (at most MAX_GROUPS). */
int
pj_groups_of(struct job *j, struct pcol *g, int slot, int **codes, struct qerr *err)
{
    *codes = pj_own(j, xmalloc((size_t)(g->n ? g->n : 1) * sizeof **codes));
    return pcats_make(j->ctx, g, MAX_GROUPS, &j->cats[slot], *codes, err);
}

/* Gather rows whose code is c (all rows when codes is NULL) of arrays into new ones. */
double *
pj_gather(struct job *j, const double *src, const int *codes, int c, long long n, long long *m)
{
    if (!src)
        return NULL;
    double *out = pj_own(j, xmalloc((size_t)(n ? n : 1) * sizeof *out));
    long long k = 0;
    for (long long i = 0; i < n; i++)
        if (!codes || codes[i] == c)
            out[k++] = src[i];
    *m = k;
    return out;
}

const char *
pj_ycol_name(const struct job *j, int k)
{
    const struct arg_val *y = args_get(j->args, "y");
    return y && k < y->n_list ? y->list[k] : NULL;
}

int
pj_need(const struct job *j, const char *key, struct qerr *err)
{
    if (args_given(j->args, key))
        return 0;
    qerr_set(err, QE_ARG, "plot %s needs %s=COLUMN", plot_kind_name(j->kind), key);
    qerr_hint(err, "help plot shows the keys of every kind");
    return -1;
}

/* --- kinds ------------------------------------------------------------------ */


/*
 * A date x: rows whose date is missing or unreadable have no place on the
 * axis (gnuplot would put them at 1970 and every other point at the far
 * edge), so they are left out, with a line that says how many.
 */
static void
drop_undated(struct job *j, struct cmd_result *res)
{
    long long *keep = xmalloc((size_t)(j->n_rows ? j->n_rows : 1) * sizeof *keep), k = 0;
    for (long long i = 0; i < j->n_rows; i++)
        if (isfinite(j->cols[0].v[i]))
            keep[k++] = i;
    if (k < j->n_rows) {
        j->n_undated = j->n_rows - k;
        pcols_keep(j->cols, j->n_cols, keep, k);
        j->n_rows = k;
        result_text(res, "left out %lld row%s without a date in '%s'", j->n_undated,
                    j->n_undated == 1 ? "" : "s", j->cols[0].name);
    }
    free(keep);
}

/*
 * Read the named columns (x first), thin them to the plot's sample, and
 * give x as numbers (dates as seconds): the start of every x/y plot.
 */
static int
read_xy(struct job *j, const char **names, int n, struct cmd_result *res, double **xs,
        struct qerr *err)
{
    if (pj_read_cols(j, names, n, err) < 0)
        return -1;
    pj_sample(j, res);
    if (j->cols[0].is_time)
        drop_undated(j, res);
    return pj_x_axis(j, &j->cols[0], xs, err);
}
static int
build_scatter(struct job *j, struct cmd_result *res, struct qerr *err)
{
    if (pj_need(j, "x", err) < 0 || pj_need(j, "y", err) < 0)
        return -1;
    const char *names[5] = {args_str(j->args, "x"), pj_ycol_name(j, 0)};
    int n = 2, ci = -1, si = -1, li = -1;
    if (args_given(j->args, "color"))
        names[ci = n++] = args_str(j->args, "color");
    if (args_given(j->args, "pointsize"))
        names[si = n++] = args_str(j->args, "pointsize");
    else if (j->sized_points)
        names[si = n++] = args_str(j->args, "size");
    if (args_given(j->args, "labels"))
        names[li = n++] = args_str(j->args, "labels");
    double *xs;
    if (read_xy(j, names, n, res, &xs, err) < 0)
        return -1;
    j->spec.xlabel = j->cols[0].name;
    j->spec.ylabel = j->cols[1].name;
    int *codes = NULL, n_groups = 1, palette = 0;
    if (ci >= 0) {
        struct pcol *c = &j->cols[ci];
        struct qerr e2 = QERR_INIT;
        if (pj_groups_of(j, c, 1, &codes, &e2) == 0) {
            n_groups = j->cats[1].n;
        } else if (!c->is_text) {
            palette = 1; /* many distinct numbers: a colour scale */
            codes = NULL;
            j->spec.zlabel = c->name;
        } else {
            qerr_set(err, QE_ARG, "%s", e2.msg);
            qerr_clear(&e2);
            return -1;
        }
        qerr_clear(&e2);
    }
    for (int g = 0; g < n_groups; g++) {
        struct plot_series *s = pj_add_series(j);
        long long m = j->n_rows;
        s->x = pj_gather(j, xs, codes, g, j->n_rows, &m);
        s->y = pj_gather(j, j->cols[1].v, codes, g, j->n_rows, &m);
        s->n = m;
        if (palette)
            s->color = j->cols[ci].v;
        if (si >= 0)
            s->size = pj_gather(j, j->cols[si].v, codes, g, j->n_rows, &m);
        if (codes) {
            struct buf b = BUF_INIT;
            buf_addf(&b, "%s %s", j->cols[ci].name, j->cats[1].names[g]);
            s->name = pj_own(j, buf_detach(&b));
        }
        if (li >= 0) {
            struct pcol *l = &j->cols[li];
            const char **lab = pj_own(j, xcalloc((size_t)(m ? m : 1), sizeof *lab));
            char **strs = pj_own(j, xcalloc((size_t)(m ? m : 1), sizeof *strs));
            for (long long i = 0, k = 0; i < j->n_rows; i++) {
                if (codes && codes[i] != g)
                    continue;
                if (l->text) {
                    lab[k] = l->text[i];
                } else if (isfinite(l->v[i])) {
                    struct buf b = BUF_INIT;
                    buf_addf(&b, "%.6g", l->v[i]);
                    lab[k] = strs[k] = buf_detach(&b);
                }
                k++;
            }
            s->labels = lab;
            /* strs hold the formatted numbers; free them with the job. */
            for (long long i = 0; i < m; i++)
                if (strs[i])
                    pj_own(j, strs[i]);
        }
    }
    if (args_given(j->args, "centres")) {
        const char *ct = args_str(j->args, "centres");
        if (!catalog_has_table(j->ctx->cat, ct))
            return qerr_set(err, QE_NOTFOUND, "unknown table '%s' in centres=", ct);
        struct pcol cc[2];
        long long nc;
        const char *cn[2] = {j->cols[0].name, j->cols[1].name};
        /*
         * The points' own column names, or a cluster profile's: COL_centre
         * (medians, medoids), else COL_mean (k-means centres are means).
         */
        int rc = -1;
        for (int form = 0; form < 3 && rc < 0; form++) {
            static const char *const suffix[] = {"", "_centre", "_mean"};
            char *a = kit_name(j->cols[0].name, suffix[form]);
            char *b = kit_name(j->cols[1].name, suffix[form]);
            const char *want[2] = {a, b};
            struct qerr e2 = QERR_INIT;
            rc = pcols_read(j->ctx, ct, want, 2, cc, &nc, &e2);
            if (rc < 0 && form == 0)
                qerr_set(err, e2.code, "%s", e2.msg ? e2.msg : "cannot read centres");
            qerr_clear(&e2);
            free(a);
            free(b);
        }
        if (rc < 0) {
            qerr_hint(err, "centres= takes a table with the same columns as the points, "
                           "'%s' and '%s' (or a cluster profile's %s_mean and %s_mean)",
                      cn[0], cn[1], cn[0], cn[1]);
            return -1;
        }
        qerr_clear(err);
        struct plot_series *c = pj_own(j, xcalloc(1, sizeof *c));
        double *cx = pj_own(j, xmalloc((size_t)(nc ? nc : 1) * sizeof *cx));
        double *cy = pj_own(j, xmalloc((size_t)(nc ? nc : 1) * sizeof *cy));
        memcpy(cx, cc[0].v, (size_t)nc * sizeof *cx);
        memcpy(cy, cc[1].v, (size_t)nc * sizeof *cy);
        pcols_free(cc, 2);
        c->x = cx;
        c->y = cy;
        c->n = nc;
        c->name = "centres";
        j->spec.centres = c;
    }
    pj_make_title(j, "%s: %s against %s", j->table, j->cols[1].name, j->cols[0].name);
    return 0;
}

/* A row and its x, sorted so lines run left to right (ties in row order; NaN last). */
struct keyed {
    double x;
    long long row;
};

static int
cmp_keyed(const void *a, const void *b)
{
    const struct keyed *p = a, *q = b;
    int pn = isnan(p->x), qn = isnan(q->x);
    if (pn != qn)
        return pn - qn;
    if (!pn && p->x != q->x)
        return (p->x > q->x) - (p->x < q->x);
    return (p->row > q->row) - (p->row < q->row);
}

int
pj_build_line(struct job *j, struct cmd_result *res, const char *x, const char *const *ys,
              int ny, struct qerr *err)
{
    const char *names[10];
    int n = 0, bi = -1, lo = -1;
    if (ny > 5)
        return qerr_set(err, QE_ARG, "plot %s takes at most 5 y columns, not %d",
                        plot_kind_name(j->kind), ny);
    names[n++] = x;
    for (int k = 0; k < ny; k++)
        names[n++] = ys[k];
    if (j->by_col)
        names[bi = n++] = j->by_col;
    else if (args_given(j->args, "by"))
        names[bi = n++] = args_str(j->args, "by");
    if (j->band_lo) {
        names[lo = n++] = j->band_lo;
        names[n++] = j->band_hi;
    } else if (args_given(j->args, "band")) {
        const struct arg_val *b = args_get(j->args, "band");
        if (b->n_list != 2)
            return qerr_set(err, QE_ARG, "band= takes two columns, lower,upper, not %d",
                            b->n_list);
        names[lo = n++] = b->list[0];
        names[n++] = b->list[1];
    }
    double *xs;
    if (read_xy(j, names, n, res, &xs, err) < 0)
        return -1;
    int *codes = NULL, n_groups = 1;
    if (bi >= 0) {
        if (pj_groups_of(j, &j->cols[bi], 1, &codes, err) < 0)
            return -1;
        n_groups = j->cats[1].n;
    }
    /* Rows sorted by x once; each series takes its rows in that order. */
    struct keyed *ord = pj_own(j, xmalloc((size_t)(j->n_rows ? j->n_rows : 1) * sizeof *ord));
    for (long long i = 0; i < j->n_rows; i++)
        ord[i] = (struct keyed){xs[i], i};
    struct tick tk; /* millions of rows: the sort reports, by the clock */
    tick_init(&tk, kit_progress, j->ctx);
    if (tick_sort(ord, (size_t)j->n_rows, sizeof *ord, cmp_keyed, &tk, "plot", err) < 0)
        return -1;
    for (int g = 0; g < n_groups; g++) {
        for (int k = 0; k < ny; k++) {
            struct plot_series *s = pj_add_series(j);
            double *sx = pj_own(j, xmalloc((size_t)(j->n_rows ? j->n_rows : 1) * sizeof *sx));
            double *sy = pj_own(j, xmalloc((size_t)(j->n_rows ? j->n_rows : 1) * sizeof *sy));
            double *sl = lo >= 0 ? pj_own(j, xmalloc((size_t)(j->n_rows ? j->n_rows : 1) *
                                                  sizeof *sl)) : NULL;
            double *sh = lo >= 0 ? pj_own(j, xmalloc((size_t)(j->n_rows ? j->n_rows : 1) *
                                                  sizeof *sh)) : NULL;
            long long m = 0;
            for (long long t = 0; t < j->n_rows; t++) {
                long long i = ord[t].row;
                if (codes && codes[i] != g)
                    continue;
                sx[m] = xs[i];
                sy[m] = j->cols[1 + k].v[i];
                if (sl) {
                    sl[m] = j->cols[lo].v[i];
                    sh[m] = j->cols[lo + 1].v[i];
                }
                m++;
            }
            s->x = sx;
            s->y = sy;
            s->n = m;
            if (k == 0) {
                s->lo = sl;
                s->hi = sh;
            }
            struct buf b = BUF_INIT;
            if (codes)
                buf_addf(&b, "%s%s%s", ny > 1 ? j->cols[1 + k].name : "", ny > 1 ? " " : "",
                         j->cats[1].names[g]);
            else if (ny > 1 || j->kind == PLOT_LOSS)
                buf_adds(&b, j->cols[1 + k].name);
            s->name = b.len ? pj_own(j, buf_detach(&b)) : NULL;
            buf_release(&b);
        }
    }
    /* Missing values break a line (as in matplotlib): say where, and how many. */
    for (int k = 0; k < ny && j->kind == PLOT_LINE; k++) {
        long long gaps = 0;
        for (long long i = 0; i < j->n_rows; i++)
            gaps += !isfinite(j->cols[1 + k].v[i]);
        if (gaps)
            result_text(res, "%lld row%s without a value in '%s' leave%s gaps in its line",
                        gaps, gaps == 1 ? "" : "s", j->cols[1 + k].name, gaps == 1 ? "s" : "");
    }
    j->spec.xlabel = j->cols[0].name;
    j->spec.ylabel = ny == 1 ? j->cols[1].name : j->kind == PLOT_LOSS ? "loss" : NULL;
    if (j->kind == PLOT_ELBOW)
        pj_make_title(j, "%s: %s by %s (elbow)", j->table, j->cols[1].name, j->cols[0].name);
    else if (j->kind == PLOT_LOSS)
        pj_make_title(j, "%s: loss by %s", j->table, j->cols[0].name);
    else if (ny == 1)
        pj_make_title(j, "%s: %s by %s", j->table, j->cols[1].name, j->cols[0].name);
    else
        pj_make_title(j, "%s by %s", j->table, j->cols[0].name);
    return 0;
}


/* --- output ----------------------------------------------------------------- */

/* "WxH" into *w and *h; 0, or -1 when text is not of that form. */
static int
parse_size(const char *text, int *w, int *h)
{
    char *end;
    long a = strtol(text, &end, 10);
    if (end == text || (*end != 'x' && *end != 'X'))
        return -1;
    const char *p = end + 1;
    long b = strtol(p, &end, 10);
    if (end == p || *end)
        return -1;
    *w = (int)(a > 0 && a < 100000 ? a : -1);
    *h = (int)(b > 0 && b < 100000 ? b : -1);
    return 0;
}

static int
output_of(struct job *j, struct plot_out *o, struct qerr *err)
{
    const struct cmd_args *a = j->args;
    int w = 0, h = 0, sized = 0;
    memset(o, 0, sizeof *o);
    if (args_given(a, "size")) {
        const char *sz = args_str(a, "size");
        if (parse_size(sz, &w, &h) == 0) {
            if (w < 1 || h < 1)
                return qerr_set(err, QE_ARG, "size must be WxH with both from 1 to 99999, not "
                                             "'%s'", sz);
            sized = 1;
        } else if (j->kind == PLOT_SCATTER && !args_given(a, "pointsize")) {
            j->sized_points = 1; /* a column: checked when it is read */
        } else {
            return qerr_set(err, QE_ARG, "size must be WxH, e.g. size=800x600, not '%s'", sz);
        }
    }
    if (args_given(a, "to")) {
        if (args_int(a, "window"))
            return qerr_set(err, QE_ARG, "give to=FILE or window=yes, not both");
        int t = plot_term_of_path(args_str(a, "to"));
        if (t < 0)
            return qerr_set(err, QE_ARG, "to= must name a .png, .svg or .pdf file, not '%s'",
                            args_str(a, "to"));
        o->term = (enum plot_term)t;
        o->width = sized ? w : 800;
        o->height = sized ? h : 600;
        if (o->width < 16 || o->height < 16 || o->width > 20000 || o->height > 20000)
            return qerr_set(err, QE_ARG, "a figure is from 16x16 to 20000x20000 pixels, not "
                                         "%dx%d", o->width, o->height);
        return 0;
    }
    if (args_int(a, "window")) {
        o->term = PLOT_TERM_WINDOW;
        o->width = sized ? w : 800;
        o->height = sized ? h : 600;
        return 0;
    }
    /* Inline: the pane's width; a height that keeps the figure about 5:2 and on screen. */
    o->term = PLOT_TERM_DUMB;
    o->color = 1;
    int pw = j->ctx->width > 0 ? j->ctx->width : 80;
    int ph = j->ctx->height > 0 ? j->ctx->height - 2 : 24;
    o->width = sized ? w : pw;
    o->height = sized ? h : (ph < pw * 2 / 5 ? ph : pw * 2 / 5);
    if (o->height < 10)
        o->height = 10;
    if (o->width < 20 || o->height < 5 || o->width > 1000 || o->height > 500)
        return qerr_set(err, QE_ARG, "an inline plot is from 20x5 to 1000x500 characters, "
                                     "not %dx%d", o->width, o->height);
    return 0;
}

static int
build_line(struct job *j, struct cmd_result *res, struct qerr *err)
{
    const struct arg_val *y = args_get(j->args, "y");
    if (pj_need(j, "x", err) < 0 || pj_need(j, "y", err) < 0)
        return -1;
    return pj_build_line(j, res, args_str(j->args, "x"), (const char *const *)y->list,
                         y->n_list, err);
}

/*
 * The kinds: how each builds its figure from the table, and what the
 * figure shows (which keys each takes is in cmd_plot_args' modes).
 */
static const struct kind_def {
    int (*build)(struct job *j, struct cmd_result *res, struct qerr *err);
    int cells;      /* draws cells, not points: no point to count */
    int no_rows_ok; /* a figure even of an empty table */
} kind_table[PLOT_N_KINDS] = {
    [PLOT_SCATTER] = {build_scatter},
    [PLOT_LINE] = {build_line},
    [PLOT_HIST] = {pj_build_hist},
    [PLOT_HEATMAP] = {pj_build_matrix, .cells = 1},
    [PLOT_BAR] = {pj_build_bar},
    [PLOT_LOSS] = {pj_build_series_defaults},
    [PLOT_ELBOW] = {pj_build_series_defaults},
    [PLOT_CORR] = {pj_build_corr},
    [PLOT_DENDROGRAM] = {pj_build_dendrogram, .no_rows_ok = 1},
    [PLOT_CONFUSION] = {pj_build_matrix, .cells = 1},
    [PLOT_ROC] = {pj_build_roc},
    [PLOT_FORECAST] = {pj_build_forecast},
    [PLOT_TREE] = {pj_build_tree, .cells = 1, .no_rows_ok = 1},
};

/* gnuplot would only say "no valid points": say which columns are empty. */
static int
check_points(const struct job *j, struct qerr *err)
{
    const struct kind_def *k = &kind_table[j->kind];
    if (j->n_rows == 0 && !k->no_rows_ok)
        return qerr_set(err, QE_DATA, "'%s' has no rows to plot", j->table);
    if (k->cells)
        return 0;
    long long points = 0;
    for (int s = 0; s < j->spec.n_series; s++)
        for (long long i = 0; i < j->series[s].n && !points; i++)
            points += isfinite(j->series[s].x[i]) && isfinite(j->series[s].y[i]);
    if (points)
        return 0;
    if (j->kind == PLOT_BAR)
        return qerr_set(err, QE_DATA, "nothing to plot: every value of '%s' in '%s' is missing",
                        j->spec.xlabel, j->table);
    return qerr_set(err, QE_DATA, "nothing to plot: no row of '%s' has values in both '%s' and "
                                  "'%s'", j->table, j->spec.xlabel ? j->spec.xlabel : "x",
                    j->spec.ylabel ? j->spec.ylabel : "y");
}

/* Say where the figure went. */
static void
report_output(struct cmd_result *res, const struct cmd_args *args, const struct plot_out *o,
              const char *text)
{
    if (o->term == PLOT_TERM_DUMB)
        result_block(res, text);
    else if (o->term == PLOT_TERM_WINDOW)
        result_text(res, "opened a gnuplot window");
    else
        result_text(res, "wrote %s (%dx%d %s)", args_str(args, "to"), o->width, o->height,
                    o->term == PLOT_TERM_PNG ? "png" : o->term == PLOT_TERM_SVG ? "svg" : "pdf");
    if (args_given(args, "script"))
        result_text(res, "wrote the gnuplot script %s", args_str(args, "script"));
}

static int
cmd_plot_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
              struct qerr *err)
{
    struct job j = {.ctx = ctx, .args = args, .table = args_str(args, "TABLE"),
                    .kind = (enum plot_kind)args_choice(args, "KIND")};
    struct plot_out o;
    struct buf text = BUF_INIT;
    struct plot_run run = {.timeout_ms = 0, .progress = kit_progress, .pctx = ctx};
    const char *to = args_str(args, "to"), *script = args_str(args, "script");
    int rc = -1;
    buf_init(&j.title);
    j.spec.kind = j.kind;
    j.spec.progress = kit_progress;
    j.spec.pctx = ctx;
    if (j.kind != PLOT_TREE && !catalog_has_table(ctx->cat, j.table) && !remote_named(j.table)) {
        qerr_set(err, QE_NOTFOUND, "'%s' is a model, not a table; plot tree %s draws a tree "
                                   "model", j.table, j.table);
        goto out;
    }
    if (output_of(&j, &o, err) < 0)
        goto out;
    if (j.kind == PLOT_TRACE) { /* frames, each a figure: cmd_plot_trace.c */
        rc = pj_run_trace(&j, &o, &run, res, err);
        goto out;
    }
    if (kind_table[j.kind].build(&j, res, err) < 0)
        goto out;
    j.spec.series = j.series;
    if (check_points(&j, err) < 0 || plot_render(&j.spec, &o, to, &run, &text, err) < 0)
        goto out;
    /* The script only once the figure was made: no side effect of a failed plot. */
    if (script && plot_save_script(&j.spec, &o, o.term == PLOT_TERM_DUMB ||
                                                    o.term == PLOT_TERM_WINDOW ? NULL : to,
                                   script, err) < 0)
        goto out;
    report_output(res, args, &o, text.data);
    if (o.term != PLOT_TERM_WINDOW)
        pj_keep_figure(res, &j.spec, &o);
    rc = 0;
out:
    buf_release(&text);
    job_release(&j);
    return rc;
}

const struct cmd_entry cmd_plot_entry = {
    .name = "plot",
    .family = "plots",
    .synopsis = "plot KIND TABLE [x=COL] [y=COL[,COL...]] [key=value ...] [to=FILE.png|.svg|.pdf]",
    .help = "Draw a figure of a table with gnuplot. KIND is one of: scatter (x=, y=, "
            "color=COL colours by a column, size=COL scales the points, labels=COL writes a "
            "label by each point, centres=TABLE marks cluster centres; pointsize=COL is size=COL "
            "beside a figure size); line (x=, y=COL,COL "
            "draws one line per column, by=COL one per group, band=LOWER,UPPER a band); hist "
            "(col=, bins=auto|N, by=); heatmap (x=, y=, z=, agg=sum|avg|count|min|max, "
            "values=yes writes the values); bar (x=, y= combined with agg=, or a count of "
            "rows); loss (x=epoch and every numeric column, or y=); elbow (x=k, y=inertia); "
            "corr (x=, y=: the points, the least squares line, y = x, and r in the title); "
            "dendrogram (a merge table: left, right, height, ids as in SciPy's linkage); "
            "confusion (x=predicted, y=actual, z=count, named so by default); roc (x=SCORE, "
            "y=LABEL, positive=: the ROC curve of a score such as predict's probability "
            "column, with its AUC; or model=MODEL, scored on the table's rows); tree (plot tree "
            "MODEL: a tree model, or tree=N of a forest, as boxes and yes/no edges, depth=4 "
            "levels); trace (plot trace NAME: the frames of trace kmeans ... as NAME, the "
            "start and each iteration, points coloured by cluster and the centres marked; "
            "to=FILE.png writes FILE_0.png, FILE_1.png, ...). Without to= "
            "the "
            "figure is drawn in the terminal at its width; to=FILE.png, .svg or .pdf writes a "
            "file (size=WxH in pixels, 800x600 by default; a scatter of over 20,000 points goes "
            "to PNG through libgd, four times faster than cairo); window=yes opens a gnuplot "
            "window "
            "when a display exists; script=FILE.gp also saves a gnuplot script with the data "
            "inline. sample=N draws a seeded random sample of N rows (the title says so). "
            "On a date x axis, rows without a date are left out and counted in a line; "
            "groups get twelve distinct colours, then other point shapes or dash patterns; "
            "in a file, the key of a few series goes to the corner where it hides the fewest "
            "points. Needs gnuplot (sudo apt-get install -y gnuplot-nox).",
    .example = "plot scatter customers x=customer_id y=age",
    .args = cmd_plot_args,
    .exec = cmd_plot_exec,
};
