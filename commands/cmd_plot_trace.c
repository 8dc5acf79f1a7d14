/*
 * cmd_plot_trace.c: plot trace NAME, the frames of a k-means trace (trace
 * kmeans, commands/cmd_trace_cluster.c): one scatter per step, the start
 * then each iteration, the points coloured by their cluster at that
 * iteration and the centres after it marked. Inline, one figure after
 * another; with to=FILE.png, FILE_0.png (the start), FILE_1.png, ...
 */
#include "plot_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kit.h"
#include "base/banned.h"

/* Frames drawn at most: a trace stops at maxiter (1000), a class watches a few. */
#define MAX_FRAMES 100
/* Points labelled with their row number when a frame has at most this many. */
#define LABEL_POINTS 40

/* The trace's tables: NAME (iterations), NAME_centres, NAME_points, read as numbers. */
struct frames {
    struct pcol it[3];   /* iteration, moved, inertia */
    struct pcol ce[4];   /* iteration, cluster, x, y */
    struct pcol pt[5];   /* iteration, cluster, x, y, row */
    char **label;        /* the row number of each point row, when few enough to write */
    long long n_it, n_ce, n_pt;
    char *xname, *yname;
    int k;
};

static void
frames_release(struct frames *fr)
{
    pcols_free(fr->it, 3);
    pcols_free(fr->ce, 4);
    pcols_free(fr->pt, 5);
    for (long long i = 0; fr->label && i < fr->n_pt; i++)
        free(fr->label[i]);
    free(fr->label);
    free(fr->xname);
    free(fr->yname);
}

static int
frames_read(struct job *j, struct frames *fr, struct qerr *err)
{
    char *cname = kit_name(j->table, "_centres"), *pname = kit_name(j->table, "_points");
    char **names = NULL;
    int n = 0, rc = -1;
    if (!catalog_has_table(j->ctx->cat, cname) || !catalog_has_table(j->ctx->cat, pname)) {
        qerr_set(err, QE_NOTFOUND, "'%s' is not a k-means trace: plot trace needs %s and %s "
                 "beside it", j->table, cname, pname);
        qerr_hint(err, "make one with: trace kmeans TABLE cols=X,Y k=3 as NAME");
        goto out;
    }
    if (cmd_table_columns(j->ctx, pname, &names, NULL, &n, err) < 0)
        goto out;
    if (n < 4) {
        qerr_set(err, QE_DATA, "'%s' has no coordinate columns", pname);
        goto out;
    }
    fr->xname = strdup(names[3]);
    fr->yname = n > 4 ? strdup(names[4]) : NULL;
    const char *in[3] = {"iteration", "moved", "inertia"};
    const char *cn[5] = {"iteration", "cluster", fr->xname, fr->yname ? fr->yname : fr->xname,
                         "row"};
    if (pcols_read(j->ctx, j->table, in, 3, fr->it, &fr->n_it, err) < 0 ||
        pcols_read(j->ctx, cname, cn, 4, fr->ce, &fr->n_ce, err) < 0 ||
        pcols_read(j->ctx, pname, cn, 5, fr->pt, &fr->n_pt, err) < 0)
        goto out;
    /* Few points: each labelled with its row, so a class can follow one point. */
    if (fr->n_it > 0 && fr->n_pt / fr->n_it <= LABEL_POINTS) {
        fr->label = calloc((size_t)fr->n_pt + 1, sizeof *fr->label);
        for (long long i = 0; fr->label && i < fr->n_pt; i++) {
            struct buf b = BUF_INIT;
            buf_addf(&b, "%.0f", fr->pt[4].v[i]);
            fr->label[i] = buf_detach(&b);
        }
    }
    for (long long i = 0; i < fr->n_ce; i++)
        if (fr->ce[1].v[i] + 1 > fr->k)
            fr->k = (int)fr->ce[1].v[i] + 1;
    if (fr->n_it < 1 || fr->k < 1 || fr->k > MAX_GROUPS) {
        qerr_set(err, QE_DATA, "'%s' has %lld iterations and %d clusters; plot trace draws 1 "
                 "to %d clusters", j->table, fr->n_it, fr->k, MAX_GROUPS);
        goto out;
    }
    rc = 0;
out:
    cmd_free_names(names, n);
    free(cname);
    free(pname);
    return rc;
}

/* FILE.png -> FILE_3.png. */
static char *
step_file(const char *to, int s)
{
    struct buf b = BUF_INIT;
    const char *dot = strrchr(to, '.'), *slash = strrchr(to, '/');
    if (!dot || (slash && dot < slash))
        dot = to + strlen(to);
    buf_addf(&b, "%.*s_%d%s", (int)(dot - to), to, s, dot);
    return buf_detach(&b);
}

/*
 * One column's trace has no y: each point is drawn at a height in
 * [-0.45, 0.45) fixed by its row (the fractional part of row times the
 * golden ratio, spread evenly), the same in every frame, so the points
 * of a strip do not hide each other and each can be followed; the
 * centres sit on y = 0.
 */
static double
jitter(double row)
{
    double v = row * 0.6180339887498949;
    return 0.9 * (v - floor(v)) - 0.45;
}

/*
 * The points of iteration it (1 for the start) in cluster c (-1: all),
 * into xs, ys (one_d: jitter of row, NULL for the centres: 0), and
 * their labels (when fr has them) and sizes; the count.
 */
static long long
gather(const struct pcol *c4, long long n, int it, int c, int one_d, const double *row,
       char *const *label, double *xs, double *ys, const char **ls, double *sz)
{
    long long m = 0;
    for (long long i = 0; i < n; i++)
        if (c4[0].v[i] == it && (c < 0 || c4[1].v[i] == c)) {
            xs[m] = c4[2].v[i];
            ys[m] = !one_d ? c4[3].v[i] : row ? jitter(row[i]) : 0;
            if (ls)
                ls[m] = label ? label[i] : NULL;
            if (sz)
                sz[m] = 1; /* all one size: larger than the default dot (plot.h) */
            m++;
        }
    return m;
}

/* Draw step s (0: the start) as one figure; its text or file into res. */
static int
draw_frame(struct job *j, const struct frames *fr, int s, const struct plot_out *o,
           const struct plot_run *run, struct cmd_result *res, struct qerr *err)
{
    long long n = fr->n_pt + fr->n_ce + 1;
    double *buf = malloc(sizeof *buf * (size_t)n * 3);
    const char **ls = calloc((size_t)n, sizeof *ls);
    struct plot_series *se = calloc((size_t)fr->k + 1, sizeof *se);
    char **sname = calloc((size_t)fr->k + 1, sizeof *sname);
    struct buf title = BUF_INIT, text = BUF_INIT;
    char *dest = NULL;
    int rc = -1, ns = 0, one_d = fr->yname == NULL;
    if (!buf || !ls || !se || !sname) {
        qerr_set(err, QE_NOMEM, "out of memory");
        goto out;
    }
    double *xs = buf, *ys = buf + n, *sz = buf + 2 * n;
    long long used = 0;
    for (int c = s ? 0 : -1; c < (s ? fr->k : 0); c++) {
        long long m = gather(fr->pt, fr->n_pt, s ? s : 1, c, one_d, fr->pt[4].v, fr->label,
                             xs + used, ys + used, ls + used, sz + used);
        struct buf nb = BUF_INIT;
        if (c >= 0)
            buf_addf(&nb, "cluster %d", c);
        else
            buf_adds(&nb, "points");
        sname[ns] = buf_detach(&nb);
        se[ns] = (struct plot_series){.name = sname[ns], .n = m, .x = xs + used, .y = ys + used,
                                      .size = sz + used,
                                      .labels = fr->label ? ls + used : NULL};
        ns++;
        used += m;
    }
    struct plot_series centres = {.name = s ? "centres" : "start centres",
                                  .x = xs + used, .y = ys + used};
    centres.n = gather(fr->ce, fr->n_ce, s, -1, one_d, NULL, NULL, xs + used, ys + used, NULL, NULL);
    if (args_given(j->args, "title"))
        buf_addf(&title, "%s: ", args_str(j->args, "title"));
    else
        buf_addf(&title, "%s: ", j->table);
    if (s == 0)
        buf_adds(&title, "the start");
    else
        buf_addf(&title, "iteration %d of %lld, %.0f moved, inertia %.6g", s, fr->n_it,
                 fr->it[1].v[s - 1], fr->it[2].v[s - 1]);
    struct plot_spec spec = {.kind = PLOT_SCATTER, .title = title.data, .xlabel = fr->xname,
                             .ylabel = one_d ? "(spread by row to show every point)" : fr->yname,
                             .series = se, .n_series = ns, .centres = &centres, .key_below = 1, .progress = kit_progress, .pctx = j->ctx};
    if (o->term != PLOT_TERM_DUMB)
        dest = step_file(args_str(j->args, "to"), s);
    if (plot_render(&spec, o, dest, run, &text, err) < 0)
        goto out;
    pj_keep_figure(res, &spec, o);
    if (o->term == PLOT_TERM_DUMB)
        result_block(res, text.data);
    rc = 0;
out:
    for (int i = 0; i < ns; i++)
        free(sname[i]);
    free(sname);
    free(se);
    free(buf);
    free((void *)ls);
    free(dest);
    buf_release(&title);
    buf_release(&text);
    return rc;
}

int
pj_run_trace(struct job *j, const struct plot_out *o, const struct plot_run *run,
             struct cmd_result *res, struct qerr *err)
{
    struct frames fr = {0};
    int rc = -1;
    if (o->term == PLOT_TERM_WINDOW || args_given(j->args, "script")) {
        qerr_set(err, QE_ARG, "plot trace draws frames inline or to=FILE.png (FILE_0.png, "
                 "FILE_1.png, ...), not %s", o->term == PLOT_TERM_WINDOW ? "in a window"
                                                                          : "as a script");
        goto out;
    }
    if (frames_read(j, &fr, err) < 0)
        goto out;
    int last = fr.n_it < MAX_FRAMES ? (int)fr.n_it : MAX_FRAMES - 1;
    for (int s = 0; s <= last; s++)
        if (draw_frame(j, &fr, s, o, run, res, err) < 0)
            goto out;
    if (o->term != PLOT_TERM_DUMB) {
        char *first = step_file(args_str(j->args, "to"), 0);
        char *end = step_file(args_str(j->args, "to"), last);
        result_text(res, "wrote %d frames, %s (the start) to %s (%dx%d %s)", last + 1, first, end,
                    o->width, o->height, o->term == PLOT_TERM_PNG ? "png"
                                         : o->term == PLOT_TERM_SVG ? "svg" : "pdf");
        free(first);
        free(end);
    }
    if (last < fr.n_it)
        result_text(res, "drew the first %d of %lld iterations", last, fr.n_it);
    rc = 0;
out:
    frames_release(&fr);
    return rc;
}

/* A figure's PNG script beside the result, for report; too big a script is not kept. */
#define KEEP_SCRIPT_MAX (32u << 20)
#define KEEP_POINTS_MAX 1000000

void
pj_keep_figure(struct cmd_result *res, const struct plot_spec *spec, const struct plot_out *o)
{
    struct plot_out png = {.term = PLOT_TERM_PNG, .width = 800, .height = 600};
    if (o->term != PLOT_TERM_DUMB && o->term != PLOT_TERM_WINDOW) {
        png.width = o->width;
        png.height = o->height;
    }
    long long points = 0;
    for (int i = 0; i < spec->n_series; i++)
        points += spec->series[i].n;
    if (points > KEEP_POINTS_MAX) /* writing the script again would cost the plot's time */
        return;
    struct buf script = BUF_INIT;
    struct qerr e = QERR_INIT;
    /* any terminator seed works: the script is run as it is */
    if (plot_script(spec, &png, "out.png", 0x5eed, &script, &e) == 0 &&
        script.len <= KEEP_SCRIPT_MAX)
        result_figure(res, buf_detach(&script));
    buf_release(&script);
    qerr_clear(&e);
}
