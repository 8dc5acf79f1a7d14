/*
 * plot.h: figures through gnuplot, an external process.
 *
 * The caller describes a figure as arrays (struct plot_spec: series of
 * x/y points, or a matrix of cells) and an output (struct plot_out: the
 * dumb terminal at a size in characters, or a PNG/SVG/PDF file in
 * pixels). plot_script turns them into a gnuplot script; plot_render
 * runs gnuplot on it as a child with a time limit and returns the text
 * or writes the file.
 *
 * Safety. gnuplot runs any
 * shell command it can reach through system(), backquotes in double
 * quotes, a line starting with '!', piped output names and early data
 * block terminators. So:
 * - every string that can come from user data (titles, axis labels,
 *   legend entries, tic and point labels) goes through plot_quote: control
 *   characters removed, ' doubled, wrapped in single quotes, and printed
 *   with enhanced text off; nothing else of the user's reaches the script;
 * - data blocks hold only numbers formatted here (non-finite as NaN) and
 *   end with a fresh random terminator;
 * - gnuplot reads the script from a file in a private 0700 directory
 *   (never stdin: it reads stdin a byte per read(), 8x slower), runs with
 *   -d (no init file), a minimal environment and that directory as its
 *   working directory, and writes only there; quarry copies the result to
 *   the user's path itself (temporary name, then rename).
 */
#ifndef QUARRY_PLOT_H
#define QUARRY_PLOT_H

#include "base/buf.h"
#include "base/qerr.h"

enum plot_kind {
    PLOT_SCATTER,
    PLOT_LINE,
    PLOT_HIST,
    PLOT_HEATMAP,
    PLOT_BAR,
    PLOT_LOSS,
    PLOT_ELBOW,
    PLOT_CORR,
    PLOT_DENDROGRAM,
    PLOT_CONFUSION,
    PLOT_ROC,
    PLOT_FORECAST, /* lines: per group predicted (dashed, with its band) and actual */
    PLOT_TREE,     /* a node-link diagram of a fitted tree (plot_tree.c) */
    PLOT_TRACE,    /* the frames of a k-means trace: scatters the caller draws one by one */
};

#define PLOT_N_KINDS (PLOT_TRACE + 1)

/* The kinds' names as the plot command takes them ("scatter"), by enum plot_kind. */
extern const char *const plot_kind_names[PLOT_N_KINDS];
/* The kind's name as the plot command takes it ("scatter"). */
const char *plot_kind_name(enum plot_kind kind);

enum plot_axis {
    PLOT_AXIS_NUM,  /* numbers */
    PLOT_AXIS_TIME, /* seconds since 1970-01-01 UTC, shown as dates */
    PLOT_AXIS_CAT,  /* categories: values 0..n_tics-1, labelled with tics[] */
};

/*
 * One series of points. A point whose x and y are both NaN breaks the
 * line there (dendrogram segments); a point with one NaN is skipped.
 */
struct plot_series {
    const char *name;          /* legend entry (user text), NULL for none */
    long long n;
    const double *x, *y;
    const double *lo, *hi;     /* PLOT_LINE: a band from lo to hi, or NULL */
    const double *color;       /* PLOT_SCATTER: a palette value per point, or NULL */
    const double *size;        /* PLOT_SCATTER: a relative point size, or NULL */
    const char *const *labels; /* PLOT_SCATTER: a label per point (user text), or NULL */
};

/* A grid of cells for PLOT_HEATMAP and PLOT_CONFUSION. */
struct plot_matrix {
    int nx, ny;
    const char *const *xlabels; /* nx labels (user text) */
    const char *const *ylabels; /* ny labels (user text) */
    const double *z;            /* ny * nx values, row y at z + y * nx; NaN = empty cell */
};

/*
 * PLOT_TREE: the nodes of a tree in pre-order (a node's parent before it,
 * a left subtree wholly before the right), laid out by plot_tree_layout.
 */
struct plot_tree {
    int n;
    const int *parent;          /* each node's parent, -1 for the root */
    const char *const *label;   /* first line (user text): a split, or a leaf's class */
    const char *const *detail;  /* second line (user text: counts), or NULL */
    const char *const *edge;    /* the edge from the parent ("yes", "no"), or NULL */
    const unsigned char *leaf;  /* 1: drawn as a leaf, coloured by group */
    const int *group;           /* a leaf's class (its colour), or NULL */
};

struct plot_spec {
    enum plot_kind kind;
    const char *title;   /* user text, or NULL */
    const char *xlabel;  /* user text, or NULL */
    const char *ylabel;  /* user text, or NULL */
    const char *zlabel;  /* colour box label (heatmap, scatter palette), or NULL */
    enum plot_axis xaxis;
    const char *const *xtics; /* PLOT_AXIS_CAT: n_xtics labels */
    int n_xtics;
    const struct plot_series *series;
    int n_series;
    const struct plot_series *centres; /* PLOT_SCATTER: marked points, or NULL */
    struct plot_matrix m;              /* PLOT_HEATMAP, PLOT_CONFUSION */
    int values;          /* heatmap: write each cell's value in it: 1, 0, -1 when it fits */
    double box_width;    /* PLOT_HIST, PLOT_BAR: width of a box in x units */
    const struct plot_tree *tree; /* PLOT_TREE */
    int has_fit;         /* PLOT_CORR: draw y = fit_a + fit_b x and y = x */
    double fit_a, fit_b;
    /* 1: plot trace's frames: the key in one row under the plot and a margin round the points */
    int key_below;
    /*
     * Writing the points of millions of rows takes seconds: plot_script
     * reports to progress(pctx, fraction) by the clock (tick.h; NULL: no
     * reports) and fails with QE_INTERRUPT when it cancels.
     */
    int (*progress)(void *pctx, double fraction);
    void *pctx;
};

/*
 * Where the key of an image of p hides the fewest of its points (points,
 * lines sampled between them and bands, in the corner a key of a few
 * entries takes): "top right", "top left", "bottom right" or "bottom left",
 * top right on a tie; NULL for a kind without x-y series or without data.
 */
const char *plot_key_corner(const struct plot_spec *p);

enum plot_term {
    PLOT_TERM_DUMB,   /* text: gnuplot's dumb terminal, ANSI colour if asked */
    PLOT_TERM_PNG,    /* pngcairo; libgd's png for a scatter of over 20,000 points */
    PLOT_TERM_SVG,
    PLOT_TERM_PDF,    /* pdfcairo; the size is taken at 100 pixels per inch */
    PLOT_TERM_WINDOW, /* an interactive window (needs a display) */
};

struct plot_out {
    enum plot_term term;
    int width, height; /* characters for PLOT_TERM_DUMB, pixels otherwise */
    int color;         /* PLOT_TERM_DUMB: ANSI colour codes */
};

/* The terminal for a file name's extension (.png, .svg, .pdf), or -1. */
int plot_term_of_path(const char *path);

/*
 * Append s to b as a safe gnuplot string literal: control characters
 * (bytes below 0x20 and 0x7F) removed, every ' doubled, the whole in
 * single quotes; at most 200 bytes of s are kept (cut at a UTF-8
 * character boundary). The one way user text enters a script.
 */
void plot_quote(struct buf *b, const char *s);

/*
 * Append to script the gnuplot script that draws p on o. output is the
 * file gnuplot writes (quoted like user text), or NULL to leave the
 * output alone (standard output, or a window). The data is inline, so
 * the script is self-contained. seed makes the data block terminators;
 * any value works. Fails with QE_ARG on an empty or inconsistent spec.
 */
int plot_script(const struct plot_spec *p, const struct plot_out *o, const char *output,
                unsigned long long seed, struct buf *script, struct qerr *err);

struct plot_run {
    const char *gnuplot;  /* the program; NULL: $QUARRY_GNUPLOT, else gnuplot on $PATH */
    int timeout_ms;       /* gnuplot is killed after this; 0: $QUARRY_PLOT_TIMEOUT s, else 60 s */
    /* Polled while gnuplot runs: a nonzero return kills it (QE_INTERRUPT). */
    int (*progress)(void *pctx, double fraction);
    void *pctx;
};

/*
 * Find the gnuplot program as plot_render would run it. Returns 0 and
 * sets *path (the caller frees) or fails with QE_NOTFOUND and a message
 * that says how to install it.
 */
int plot_find_gnuplot(const char *override, char **path, struct qerr *err);

/*
 * Draw p. With o->term == PLOT_TERM_DUMB the text (without gnuplot's
 * leading form feed, lines joined by '\n', no final newline) is appended
 * to text; with a file terminal the figure is written to dest (through a
 * temporary name in dest's directory, then renamed); with
 * PLOT_TERM_WINDOW gnuplot opens a window and is left running. Errors:
 * QE_NOTFOUND (no gnuplot), QE_IO (files), QE_DATA (gnuplot failed: the
 * message has gnuplot's error and the script line it refers to),
 * QE_INTERRUPT (cancelled), QE_IO also when gnuplot ran over the time limit
 * and was killed.
 */
int plot_render(const struct plot_spec *p, const struct plot_out *o, const char *dest,
                const struct plot_run *run, struct buf *text, struct qerr *err);
/*
 * Run a script as plot_render runs its own (a private directory, a
 * minimal environment, the time limit): script (len bytes, such as
 * plot_script made with output "out.png") writes out.EXT, EXT that of
 * term, in its working directory; that file goes to dest as plot_render
 * puts it (the text for PLOT_TERM_DUMB). Errors as plot_render's.
 */
int plot_run_script(const char *script, size_t len, enum plot_term term, const char *dest,
                    const struct plot_run *run, struct buf *text, struct qerr *err);

/*
 * Save the script for p on o to path (temporary name, then rename), with
 * output as its output file (NULL: standard output), so it re-makes the
 * figure outside quarry. Errors: QE_IO, and those of plot_script.
 */
int plot_save_script(const struct plot_spec *p, const struct plot_out *o, const char *output,
                     const char *path, struct qerr *err);

/* --- data helpers (plot_data.c) -------------------------------------------- */

/*
 * Choose histogram bins for the n values of x (NaN skipped): bins > 0
 * asks for that many, 0 for the Freedman-Diaconis width (Sturges' rule
 * when the interquartile range is 0), at most 200. Sets *lo (left edge of
 * the first bin), *width and *n_bins. The sort reports to
 * progress(pctx, fraction) by the clock (tick.h; NULL: no reports). Fails
 * with QE_DATA when no value is finite, QE_NOMEM when the sorted copy of
 * x does not fit in memory, QE_INTERRUPT when progress cancels.
 */
int plot_hist_bins(const double *x, long long n, int bins, int (*progress)(void *, double),
                   void *pctx, double *lo, double *width, int *n_bins, struct qerr *err);

/* How the rows that fall in one cell (heatmap) or bar combine. */
enum plot_agg { PLOT_AGG_SUM, PLOT_AGG_AVG, PLOT_AGG_COUNT, PLOT_AGG_MIN, PLOT_AGG_MAX };

/*
 * Combine z over the rows that fall in each of nx x ny cells: row i is in
 * cell (cx[i], cy[i]), at out[cy[i] * nx + cx[i]]; rows with a negative
 * code, and values that are not finite, are skipped. With z NULL (or
 * PLOT_AGG_COUNT) each row counts 1. A cell without rows is NaN. Fails
 * with QE_NOMEM only.
 */
int plot_aggregate(const int *cx, const int *cy, long long n, int nx, int ny, const double *z,
                   enum plot_agg agg, double *out, struct qerr *err);

/* Count the values of x in n_bins bins from lo of the given width; counts has n_bins slots. */
void plot_hist_count(const double *x, long long n, double lo, double width, int n_bins,
                     double *counts);

/*
 * Least squares line y = a + b x through the pairs where both are
 * finite, and Pearson's r. Fails with QE_DATA for fewer than two pairs or
 * a constant x.
 */
int plot_fit_line(const double *x, const double *y, long long n, double *a, double *b,
                  double *r, struct qerr *err);

/*
 * Choose k of n rows at random, keeping their order: idx gets k row
 * numbers, ascending (selection sampling, Knuth's algorithm S), drawn
 * from a generator seeded with seed, so the same seed gives the same rows.
 */
void plot_sample_rows(long long n, long long k, unsigned long long seed, long long *idx);

/*
 * Lay out a dendrogram from a merge table in SciPy's linkage convention:
 * n_merges = n_leaves - 1 rows; row i joins clusters left[i] and right[i]
 * at height[i] into cluster n_leaves + i, where ids below n_leaves are
 * leaves. The result is one series of segments (x, y, with both NaN
 * between segments): *px and *py get *n_points values (caller frees);
 * order gets the leaf at each x position 0..n_leaves-1 (n_leaves slots).
 * Fails with QE_DATA on ids out of range or used twice, QE_NOMEM when the
 * layout does not fit in memory.
 */
int plot_dendrogram(const double *left, const double *right, const double *height,
                    long long n_merges, double **px, double **py, long long *n_points,
                    long long *order, struct qerr *err);

/* --- tree diagrams (plot_tree.c) ------------------------------------------ */

/*
 * Lay out t: leaves at x = 0, 1, 2, ... in order, a split above the middle
 * of its children, y = -depth (the root at 0). x and y get t->n values.
 * Returns the deepest depth, or -1 (QE_DATA) when a parent does not come
 * before its node.
 */
int plot_tree_layout(const struct plot_tree *t, double *x, double *y, struct qerr *err);

/*
 * Append the body of a PLOT_TREE script to b (after the terminal and
 * the title): the edges as arrows without heads, the yes/no labels at
 * their middles, the node labels, then an empty plot over the layout's
 * range. dumb: the text terminal (no boxes or colours).
 */
int plot_tree_gen(const struct plot_spec *p, int dumb, struct buf *b, struct qerr *err);

#endif
