/*
 * cmd_cluster.c: the clustering family's `cluster` (elbow is in
 * cmd_elbow.c, profile and score in cmd_cluster_report.c).
 *
 * The handler reads the chosen columns' complete rows (kit.h), makes one
 * engine call, cluster_fit (src/cluster/cluster.h), which runs the method
 * and the quality indices, and writes back through frame_write (the label
 * column) and frame_write_new (the profile, trace and merge tables).
 * Labels are 0..k-1 as in scikit-learn; DBSCAN's noise is -1; a row left
 * out for a missing value gets NULL.
 */
#include "kit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/cluster.h"
#include "data/frame.h"
#include "prep/prep.h"
#include "prep/summary.h"
#include "base/banned.h"

/* --- cluster ---------------------------------------------------------------- */

/* The choices of the enum keys, by the engine's enums (cluster.h, kmeans.h, cluster_hier.h). */
static const char *const method_names[] = {
    [CLUSTER_KMEANS] = "kmeans", [CLUSTER_KMEDIANS] = "kmedians", [CLUSTER_KMEDOIDS] = "kmedoids",
    [CLUSTER_DBSCAN] = "dbscan", [CLUSTER_HIERARCHICAL] = "hierarchical"};
static const char *const distance_names[] = {
    [CLUSTER_EUCLIDEAN] = "euclidean", [CLUSTER_MANHATTAN] = "manhattan",
    [CLUSTER_MINKOWSKI] = "minkowski", [CLUSTER_COSINE] = "cosine"};
static const char *const init_names[] = {
    [KMEANS_INIT_KMPP] = "kmeans++", [KMEANS_INIT_RANDOM] = "random",
    [KMEANS_INIT_FIRST] = "first"};
static const char *const linkage_names[] = {
    [HIER_WARD] = "ward", [HIER_COMPLETE] = "complete", [HIER_AVERAGE] = "average",
    [HIER_SINGLE] = "single"};

#define MODES_CENTROID "method=kmeans|kmedians"

static const struct arg_spec cmd_cluster_args[] = {
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "The table to cluster.", .comp = COMP_TABLES},
    {.name = "cols", .type = ARG_COLUMNS, .required = 1,
     .help = "The numeric columns that describe a row (normalise them first if their scales "
             "differ).", .comp = COMP_COLUMNS},
    {.name = "method", .type = ARG_ENUM, .def = "kmeans",
     .choices = "kmeans|kmedians|kmedoids|dbscan|hierarchical", ARG_NAMES(method_names),
     .help = "The clustering method.", .comp = COMP_CHOICES},
    {.name = "k", .type = ARG_INT, .def = "4", .min = 1, .max = 100000,
     .modes = "method=kmeans|kmedians|kmedoids|hierarchical",
     .help = "The number of clusters.", .comp = COMP_NONE},
    {.name = "distance", .type = ARG_ENUM, .def = "euclidean",
     .choices = "euclidean|manhattan|minkowski|cosine", ARG_NAMES(distance_names),
     .modes = "method=kmeans|kmedians|kmedoids",
     .help = "euclidean (means), manhattan (medians), cosine (spherical), minkowski (medoids).",
     .comp = COMP_CHOICES},
    {.name = "p", .type = ARG_REAL, .def = "3", .min = 1, .max = 100,
     .modes = "distance=minkowski", .help = "The Minkowski exponent.", .comp = COMP_NONE},
    {.name = "init", .type = ARG_ENUM, .def = "kmeans++", .choices = "kmeans++|random|first",
     ARG_NAMES(init_names), .modes = MODES_CENTROID,
     .help = "Starting centres: D^2 sampling, random rows, or the first k rows.",
     .comp = COMP_CHOICES},
    {.name = "restarts", .type = ARG_INT, .def = "10", .min = 1, .max = 1000,
     .modes = MODES_CENTROID, .help = "Independent starts; the lowest objective wins.",
     .comp = COMP_NONE},
    {.name = "maxiter", .type = ARG_INT, .def = "300", .min = 1, .max = 1000000,
     .modes = "method=kmeans|kmedians|kmedoids",
     .help = "Iterations (k-medoids: swap passes) per start at most.", .comp = COMP_NONE},
    {.name = "tol", .type = ARG_REAL, .def = "1e-6", .min = 0, .max = 1, .modes = MODES_CENTROID,
     .help = "Stop when the centres move less than tol times the mean column variance.",
     .comp = COMP_NONE},
    {.name = "seed", .type = ARG_INT, .min = 0, .max = 9e18,
     .help = "Seed for the starts and the silhouette sample (default: the session's).",
     .comp = COMP_NONE},
    {.name = "eps", .type = ARG_REAL, .min = 0, .max = 1e300, .modes = "method=dbscan",
     .help = "The neighbourhood radius (default: from the k-distance knee).",
     .comp = COMP_NONE},
    {.name = "minpts", .type = ARG_INT, .def = "5", .min = 1, .max = 1000000,
     .modes = "method=dbscan", .help = "Neighbours (the point included) that make a core point.",
     .comp = COMP_NONE},
    {.name = "height", .type = ARG_REAL, .min = 0, .max = 1e300, .modes = "method=hierarchical",
     .help = "Cut the tree at this height instead of into k clusters.", .comp = COMP_NONE},
    {.name = "linkage", .type = ARG_ENUM, .def = "ward", .choices = "ward|complete|average|single",
     ARG_NAMES(linkage_names), .modes = "method=hierarchical",
     .help = "How the distance between two groups is measured.", .comp = COMP_CHOICES},
    {.name = "into", .type = ARG_TEXT, .def = "cluster",
     .help = "The label column to write.", .comp = COMP_NONE},
    {.name = "trace", .type = ARG_BOOL, .def = "no", .modes = "method=kmeans|kmedians|hierarchical",
     .help = "kmeans: every iteration's centres and counts in TABLE_trace; hierarchical: the "
             "merge table TABLE_merges.",
     .comp = COMP_CHOICES},
    KIT_REPLACE_ARG,
    {0},
};

/* The k-means trace as TABLE_trace: restart, iteration, cluster, count, then the centre. */
static int
write_trace(struct cmd_ctx *ctx, const struct cmd_args *args, const char *name,
            const struct kit_rows *cd,
            const struct cluster_trace *t, struct cmd_result *res, struct qerr *err)
{
    int no = 4 + cd->d;
    struct frame_out *o = calloc((size_t)no, sizeof *o);
    char *tname = kit_name(name, "_trace");
    int rc = -1;
    if (!o || !tname) {
        qerr_set(err, QE_NOMEM, "out of memory for the trace");
        goto out;
    }
    o[0] = (struct frame_out){.name = "restart", .decl = CATALOG_INTEGER, .num = t->restart};
    o[1] = (struct frame_out){.name = "iteration", .decl = CATALOG_INTEGER, .num = t->iter};
    o[2] = (struct frame_out){.name = "cluster", .decl = CATALOG_INTEGER, .num = t->cluster};
    o[3] = (struct frame_out){.name = "count", .decl = CATALOG_INTEGER, .num = t->count};
    for (int q = 0; q < cd->d; q++)
        o[4 + q] = (struct frame_out){.name = cd->f->names[q], .decl = CATALOG_REAL,
                                      .num = t->c + (long long)q * t->cap};
    if ((rc = kit_side_table(ctx, args, tname, o, no, t->n, err)) == 0)
        result_text(res, "trace: %lld rows in %s (restart, iteration, cluster, count, centre)",
                    t->n, tname);
out:
    free(tname);
    free(o);
    return rc;
}

/* The merge table of hierarchical clustering as TABLE_merges (a dendrogram's input). */
static int
write_merges(struct cmd_ctx *ctx, const struct cmd_args *args, const char *name,
             const struct hier_merge *m, long long n, struct cmd_result *res, struct qerr *err)
{
    long long nm = n - 1;
    double *v = malloc(sizeof(double) * 5 * (size_t)(nm > 0 ? nm : 1));
    if (!v)
        return qerr_set(err, QE_NOMEM, "out of memory for the merge table");
    for (long long i = 0; i < nm; i++) {
        v[i] = (double)(n + i);
        v[nm + i] = (double)m[i].a;
        v[2 * nm + i] = (double)m[i].b;
        v[3 * nm + i] = m[i].height;
        v[4 * nm + i] = (double)m[i].size;
    }
    struct frame_out o[5] = {
        {.name = "cluster", .decl = CATALOG_INTEGER, .num = v},
        {.name = "a", .decl = CATALOG_INTEGER, .num = v + nm},
        {.name = "b", .decl = CATALOG_INTEGER, .num = v + 2 * nm},
        {.name = "height", .decl = CATALOG_REAL, .num = v + 3 * nm},
        {.name = "size", .decl = CATALOG_INTEGER, .num = v + 4 * nm},
    };
    char *tname = kit_name(name, "_merges");
    int rc = kit_side_table(ctx, args, tname, o, 5, nm, err);
    if (rc == 0)
        result_text(res, "merge table (dendrogram): %lld rows in %s; ids below %lld are rows in "
                         "order, cluster n+i is made by merge i",
                    nm, tname, n);
    free(tname);
    free(v);
    return rc;
}

/*
 * The profile table NAME_clusters: summary_profile's shape, keyed by
 * cluster (noise, -1, first), with the centre of each column where the
 * method's centre is not the mean (k-medians, cosine, k-medoids).
 */
static int
write_profile(struct cmd_ctx *ctx, const struct cmd_args *args, const char *name,
              const struct kit_rows *cd, const int32_t *lab, int k, const double *centres,
              struct qerr *err)
{
    struct summary_groups g = {0};
    struct summary_table t = {0};
    int d = cd->d, rc = -1, *cols = xcalloc((size_t)d + 1, sizeof(int));
    double *cent = NULL;
    for (int q = 0; q < d; q++)
        cols[q] = q;
    if (summary_groups_labels(cd->f, cd->rows, cd->n, lab, k, &g, err) < 0)
        goto out;
    if (centres) {
        int noise = g.n_groups - k;
        cent = malloc(sizeof(double) * (size_t)g.n_groups * (size_t)d + 1);
        if (!cent) {
            qerr_set(err, QE_NOMEM, "out of memory for the profile");
            goto out;
        }
        for (int r = 0; r < g.n_groups; r++)
            for (int q = 0; q < d; q++)
                cent[(long long)r * d + q] =
                    r < noise ? NAN : centres[(long long)(r - noise) * d + q];
    }
    if (summary_profile(cd->f, &g, "cluster", cols, d, cent, kit_progress, ctx, &t, err) < 0)
        goto out;
    rc = kit_side_table(ctx, args, name, t.cols, t.n_cols, t.n_rows, err);
out:
    summary_table_release(&t);
    summary_groups_release(&g);
    free(cols);
    free(cent);
    return rc;
}

/* Write the labels back as column `into` (NULL for rows left out). */
static int
write_labels(struct cmd_ctx *ctx, const struct cmd_args *args, const char *table,
             const char *into, const struct kit_rows *cd, const int32_t *lab, struct qerr *err)
{
    long long n = cd->f->n_rows;
    double *v = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
    if (!v)
        return qerr_set(err, QE_NOMEM, "out of memory for %lld labels", n);
    if (cd->rows) {
        for (long long i = 0; i < n; i++)
            v[i] = NAN;
        for (long long r = 0; r < cd->n; r++)
            v[cd->rows[r]] = lab[r];
    } else {
        for (long long i = 0; i < n; i++)
            v[i] = lab[i];
    }
    struct frame_out o = {.name = into, .decl = CATALOG_INTEGER, .num = v};
    int rc = kit_write(ctx, args, &table, cd->f, &o, 1, NULL, err);
    free(v);
    return rc;
}

/*
 * What cluster is about to write, refused before any work when it exists
 * (kit_claim): the label column and the side tables.
 */
static int
claim_outputs(struct cmd_ctx *ctx, const struct cmd_args *args, const char *table,
              const char *name, enum cluster_method method, char **pname, char **tname,
              struct qerr *err)
{
    const char *into = args_str(args, "into");
    *pname = kit_name(name, "_clusters");
    if (args_int(args, "trace"))
        *tname = kit_name(name, method == CLUSTER_HIERARCHICAL ? "_merges" : "_trace");
    const char *tables[2] = {*pname, *tname};
    return kit_claim(ctx, args, table, &into, 1, "into", tables, 2, err);
}

/*
 * The quality table: measure, value, meaning; with noise rows (DBSCAN's
 * -1), a with_noise column beside value: the same index with the noise as
 * one more cluster, as scikit-learn scores DBSCAN's labels_.
 */
static void
show_quality(struct cmd_result *res, const struct cluster_quality *q, const char *objective,
             double obj)
{
    static const char *const cols[] = {"measure", "value", "meaning"};
    static const char *const cols_noise[] = {"measure", "value", "with_noise", "meaning"};
    int noise = q->n_noise > 0;
    struct rtable *t = noise ? result_table(res, 4, cols_noise) : result_table(res, 3, cols);
    struct {
        const char *name;
        double v, with_noise;
        const char *meaning;
    } rows[] = {
        {objective, obj, NAN, "the objective the method minimised"},
        {"inertia", q->inertia, NAN, "within-cluster sum of squares (lower is tighter)"},
        {"silhouette", q->silhouette, q->silhouette_noise, "-1..1, higher is better separated"},
        {"davies_bouldin", q->davies_bouldin, q->davies_bouldin_noise, "lower is better"},
        {"calinski_harabasz", q->calinski_harabasz, q->calinski_harabasz_noise,
         "higher is better"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (i == 0 && strcmp(objective, "inertia") == 0)
            continue;
        long long r = rtable_add_row(t);
        rtable_set(t, r, 0, rows[i].name, 0);
        for (int c = 1; c <= 1 + noise; c++) {
            double v = c == 1 ? rows[i].v : rows[i].with_noise;
            if (c == 2 && i < 2)
                rtable_set(t, r, c, "", 0); /* no objective or inertia for the noise */
            else if (isnan(v))
                rtable_set(t, r, c, NULL, 0);
            else
                rtable_setf(t, r, c, 1, "%.6g", v);
        }
        rtable_set(t, r, 2 + noise, rows[i].meaning, 0);
    }
}

/* The line that says what ran: method, k, rows, iterations or swaps, the seed. */
static void
report_fit(struct cmd_result *res, const struct cmd_args *args, const struct cluster_opts *o,
           const struct cluster_result *r, const struct kit_rows *cd)
{
    long long seed = (long long)o->seed;
    if (r->method == CLUSTER_DBSCAN) {
        if (r->eps_suggested)
            result_text(res, "eps not given: %.6g from the knee of the %d-distance curve "
                             "(give eps= to choose)", r->eps, o->minpts);
        result_text(res, "dbscan eps=%.6g minpts=%d on %lld rows x %d columns: %d clusters, "
                         "%lld noise rows (label -1), %lld core rows",
                    r->eps, o->minpts, cd->n, cd->d, r->k, r->n_noise, r->n_core);
    } else if (r->method == CLUSTER_HIERARCHICAL) {
        result_text(res, "hierarchical (%s linkage) on %lld rows x %d columns, cut into %d "
                         "clusters (the last merge kept is at height %.6g)",
                    args_str(args, "linkage"), cd->n, cd->d, r->k, r->cut_height);
    } else if (r->method == CLUSTER_KMEDOIDS) {
        struct buf rows = BUF_INIT;
        for (int j = 0; j < r->k; j++) {
            long long fr = cd->rows ? cd->rows[r->medoids[j]] : r->medoids[j];
            buf_addf(&rows, "%s%lld", j ? ", " : "", (long long)cd->f->rowid[fr]);
        }
        result_text(res, "kmedoids k=%d (Minkowski p=%g) on %lld rows x %d columns: %d swap "
                         "pass%s, %lld swaps%s (seed=%lld); medoids are rowids %s",
                    r->k, r->p, cd->n, cd->d, r->passes, r->passes == 1 ? "" : "es", r->swaps,
                    r->converged ? ", converged" : ", stopped at maxiter", seed, rows.data);
        buf_release(&rows);
    } else {
        static const char *const vname[] = {"kmeans", "kmedians", "kmeans (cosine)"};
        result_text(res, "%s k=%d on %lld rows x %d columns: %d iteration%s%s, best of %d "
                         "start%s (seed=%lld)",
                    vname[r->variant], r->k, cd->n, cd->d, r->n_iter, kit_plural(r->n_iter),
                    r->converged ? ", converged" : ", stopped at maxiter", r->restarts,
                    kit_plural(r->restarts), seed);
    }
}

/* The rows left out, clusters left empty, the silhouette sample, and the quality table. */
static void
report_quality(struct cmd_result *res, const struct cluster_result *r, const struct kit_rows *cd)
{
    const struct cluster_quality *q = &r->quality;
    if (cd->rows)
        result_text(res, "%lld rows with a missing value left out (label NULL)",
                    cd->f->n_rows - cd->n);
    if (r->k > 0 && q->k_used < r->k && r->method != CLUSTER_DBSCAN)
        result_text(res, "only %d of the %d clusters hold rows: the data has fewer distinct "
                         "points than k",
                    q->k_used, r->k);
    if (q->silhouette_rows < q->n_used && !isnan(q->silhouette))
        result_text(res, "silhouette on a seeded sample of %lld of %lld rows", q->silhouette_rows,
                    q->n_used);
    if (q->n_noise > 0)
        result_text(res, "noise rows (%lld) left out of the indices in value; with_noise counts "
                         "them as one more cluster, as scikit-learn's scores of the labels do",
                    q->n_noise);
    if (q->note[0])
        result_text(res, "beyond the largest double (1.8e+308), so NULL: %s; the labels stand "
                         "(normalize TABLE cols=... first for the numbers)", q->note);
    show_quality(res, q, r->objective, r->objective_value);
}

/*
 * Columns on very different scales: the widest decides the distances alone,
 * which is seldom what was meant (Weka's k-means normalises by default,
 * scikit-learn's does not). Say so once, with what to type; the clustering
 * stands as asked.
 */
static void
note_scales(struct cmd_result *res, const struct cmd_args *args, const char *table,
            const struct kit_rows *cd)
{
    int wide = -1, narrow = -1;
    double sd_wide = 0, sd_narrow = 0;
    for (int j = 0; j < cd->d; j++) {
        struct prep_stats st;
        struct qerr e = QERR_INIT;
        /* n, mean and sd only: O(n), no copy, so no failure to report */
        int rc = prep_stats(cd->x + (size_t)j * (size_t)cd->ld, NULL, cd->n, 0, NULL, NULL,
                            &st, &e);
        qerr_clear(&e);
        double sd = rc == 0 ? st.sd : NAN;
        if (!(sd > 0) || !isfinite(sd))
            continue;
        if (wide < 0 || sd > sd_wide)
            wide = j, sd_wide = sd;
        if (narrow < 0 || sd < sd_narrow)
            narrow = j, sd_narrow = sd;
    }
    if (wide < 0 || wide == narrow || sd_wide < 10 * sd_narrow)
        return;
    const struct arg_val *cols = args_get(args, "cols");
    result_text(res, "note: %s spreads %.0fx as wide as %s (sd %.4g against %.4g) and dominates "
                     "the distances; to let every column count alike, normalize %s cols=%s "
                     "method=zscore first",
                cd->f->names[wide], sd_wide / sd_narrow, cd->f->names[narrow], sd_wide,
                sd_narrow, table, cols->text);
}

static int
cmd_cluster_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                 struct qerr *err)
{
    const char *table = args_str(args, "TABLE"), *into = args_str(args, "into");
    const char *name = args->as ? args->as : table;
    const struct arg_val *cols = args_get(args, "cols");
    struct cluster_opts o = {
        .method = (enum cluster_method)args_choice(args, "method"),
        .distance = (enum cluster_distance)args_choice(args, "distance"),
        .p = args_real(args, "p"),
        .k = (int)args_int(args, "k"),
        .init = (enum kmeans_init)args_choice(args, "init"),
        .restarts = (int)args_int(args, "restarts"),
        .maxiter = (int)args_int(args, "maxiter"),
        .tol = args_real(args, "tol"),
        .seed = (uint64_t)kit_seed(ctx, args, res),
        .threads = ctx->set.threads,
        .has_eps = args_given(args, "eps"),
        .eps = args_real(args, "eps"),
        .minpts = (int)args_int(args, "minpts"),
        .linkage = (enum hier_linkage)args_choice(args, "linkage"),
        .has_height = args_given(args, "height"),
        .height = args_real(args, "height"),
        .trace = (int)args_int(args, "trace"),
        .progress = kit_progress,
        .pctx = ctx,
    };
    struct kit_rows cd = {0};
    struct cluster_result r = {0};
    char *pname = NULL, *tname = NULL;
    int rc = -1;
    if (kit_read_complete(ctx, table, (const char *const *)cols->list, cols->n_list, &cd,
                          err) < 0)
        goto out;
    if (cd.n < 2) {
        qerr_set(err, QE_DATA, "'%s' has %lld complete rows in those columns; clustering needs "
                               "at least 2",
                 table, cd.n);
        goto out;
    }
    if (cluster_check(cd.n, &o, err) < 0 ||
        claim_outputs(ctx, args, table, name, o.method, &pname, &tname, err) < 0 ||
        cluster_fit(cd.x, cd.n, cd.d, cd.ld, &o, &r, err) < 0)
        goto out;
    report_fit(res, args, &o, &r, &cd);
    if (r.merges && write_merges(ctx, args, name, r.merges, cd.n, res, err) < 0)
        goto out;
    report_quality(res, &r, &cd);
    if (o.distance != CLUSTER_COSINE)
        note_scales(res, args, table, &cd);
    if (write_labels(ctx, args, table, into, &cd, r.labels, err) < 0 ||
        write_profile(ctx, args, pname, &cd, r.labels, r.k, r.centres, err) < 0)
        goto out;
    result_text(res, "labels in %s.%s; profile in %s", name, into, pname);
    if (r.trace.n > 0 && write_trace(ctx, args, name, &cd, &r.trace, res, err) < 0)
        goto out;
    rc = kit_show(ctx, res, pname, "cluster", err);
out:
    free(pname);
    free(tname);
    cluster_result_release(&r);
    kit_rows_release(&cd);
    return rc;
}

const struct cmd_entry cmd_cluster_entry = {
    .name = "cluster",
    .family = "clustering",
    .synopsis = "cluster TABLE cols=COLS [method=kmeans|kmedians|kmedoids|dbscan|hierarchical] "
                "[k=4] "
                "[distance=euclidean|manhattan|minkowski|cosine] [p=3] "
                "[init=kmeans++|random|first] [restarts=10] [maxiter=300] [tol=1e-6] [seed=N] "
                "[eps=R] [minpts=5] [linkage=ward|complete|average|single] [height=H] [into=cluster] "
                "[trace=yes] [replace=yes] [as NAME]",
    .help = "Group the rows of a table by the columns cols. kmeans (Lloyd) moves each centre "
            "to the mean of its rows; distance=manhattan or method=kmedians uses the "
            "coordinate median, distance=cosine the unit-length mean (spherical k-means). "
            "kmedoids picks k rows as centres by PAM-style swaps, for any Minkowski distance "
            "(distance=minkowski p=3; up to 20,000 rows). "
            "dbscan finds dense regions: eps is the radius, minpts the neighbours a core row "
            "needs; noise gets -1, and without eps the knee of the k-distance curve is used. "
            "Writes the label column (into, in TABLE or in a copy named by as), a profile "
            "table NAME_clusters (size, share, COL_mean and COL_sd, the sample sd, per "
            "column, and COL_centre where the centre is not the mean; the shape of profile's "
            "table) and prints "
            "inertia, silhouette (on a seeded sample of 10,000 rows above that), "
            "Davies-Bouldin and Calinski-Harabasz, and a note when one column spreads 10x "
            "as wide as another (it then dominates the distances: normalize first). "
            "Rows with a missing value get NULL. "
            "hierarchical (agglomerative, up to 20,000 rows: ward, complete, average or single "
            "linkage, as SciPy) cuts the tree into k clusters, or at height=H; with trace=yes it writes the "
            "merge table NAME_merges for a dendrogram. A label column or table of those names "
            "that exists already (a re-run) is refused before any work unless replace=yes: "
            "give into=NAME or as NAME to keep it.",
    .example = "cluster customers cols=age k=3 seed=1",
    .args = cmd_cluster_args,
    .flags = CMD_WRITES | CMD_AS,
    .exec = cmd_cluster_exec,
};
