/*
 * cluster.c: the clustering family's `cluster` (elbow is in elbow.c,
 * profile and score in cluster_report.c).
 *
 * A handler reads the chosen columns into a frame (frame_read), drops the
 * rows with a missing value into a compact block when there are any, runs
 * the engine (kmeans.h, dbscan.h, cluster_quality.h) and writes back
 * through frame_write (the label column) and frame_write_new (the profile,
 * trace and elbow tables). Labels are 0..k-1 as in scikit-learn; DBSCAN's
 * noise is -1; a row left out for a missing value gets NULL.
 */
#include "kit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/cluster_hier.h"
#include "cluster/cluster_medoids.h"
#include "cluster/cluster_quality.h"
#include "cluster/dbscan.h"
#include "data/frame.h"
#include "cluster/kmeans.h"
#include "base/banned.h"

#define HIER_MAX_ROWS 20000

/* --- cluster ---------------------------------------------------------------- */

static const struct arg_spec cluster_args[] = {
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "The table to cluster.", .comp = COMP_TABLES},
    {.name = "cols", .type = ARG_COLUMNS, .required = 1,
     .help = "The numeric columns that describe a row (normalise them first if their scales "
             "differ).", .comp = COMP_COLUMNS},
    {.name = "method", .type = ARG_ENUM, .def = "kmeans",
     .choices = "kmeans|kmedians|kmedoids|dbscan|hierarchical",
     .help = "The clustering method.", .comp = COMP_CHOICES},
    {.name = "k", .type = ARG_INT, .def = "4", .min = 1, .max = 100000,
     .help = "The number of clusters.", .comp = COMP_NONE},
    {.name = "distance", .type = ARG_ENUM, .def = "euclidean",
     .choices = "euclidean|manhattan|minkowski|cosine",
     .help = "euclidean (means), manhattan (medians), cosine (spherical), minkowski (medoids).",
     .comp = COMP_CHOICES},
    {.name = "p", .type = ARG_REAL, .def = "3", .min = 1, .max = 100,
     .help = "The Minkowski exponent.", .comp = COMP_NONE},
    {.name = "init", .type = ARG_ENUM, .def = "kmeans++", .choices = "kmeans++|random|first",
     .help = "Starting centres: D^2 sampling, random rows, or the first k rows.",
     .comp = COMP_CHOICES},
    {.name = "restarts", .type = ARG_INT, .def = "10", .min = 1, .max = 1000,
     .help = "Independent starts; the lowest objective wins.", .comp = COMP_NONE},
    {.name = "maxiter", .type = ARG_INT, .def = "300", .min = 1, .max = 1000000,
     .help = "Iterations per start at most.", .comp = COMP_NONE},
    {.name = "tol", .type = ARG_REAL, .def = "1e-6", .min = 0, .max = 1,
     .help = "Stop when the centres move less than tol times the mean column variance.",
     .comp = COMP_NONE},
    {.name = "seed", .type = ARG_INT, .min = 0, .max = 9e18,
     .help = "Seed for the starts and the silhouette sample (default: the session's).",
     .comp = COMP_NONE},
    {.name = "eps", .type = ARG_REAL, .min = 0, .max = 1e300,
     .help = "dbscan: the neighbourhood radius (default: from the k-distance knee).",
     .comp = COMP_NONE},
    {.name = "minpts", .type = ARG_INT, .def = "5", .min = 1, .max = 1000000,
     .help = "dbscan: neighbours (the point included) that make a core point.",
     .comp = COMP_NONE},
    {.name = "height", .type = ARG_REAL, .min = 0, .max = 1e300,
     .help = "hierarchical: cut the tree at this height instead of into k clusters.",
     .comp = COMP_NONE},
    {.name = "linkage", .type = ARG_ENUM, .def = "ward", .choices = "ward|complete|average|single",
     .help = "hierarchical: how the distance between two groups is measured.",
     .comp = COMP_CHOICES},
    {.name = "into", .type = ARG_TEXT, .def = "segment",
     .help = "The label column to write.", .comp = COMP_NONE},
    {.name = "trace", .type = ARG_BOOL, .def = "no",
     .help = "kmeans: every iteration's centres and counts in TABLE_trace; hierarchical: the "
             "merge table TABLE_merges.",
     .comp = COMP_CHOICES},
    {0},
};

/* The trace table, grown as k-means reports iterations. */
struct trace {
    int d;
    long long n, cap;
    double *restart, *iter, *cluster, *count, *c; /* c: d columns of cap */
    int failed;
};

static int
trace_add(void *p, int restart, int iter, const double *centres, const long long *counts,
          int k, int d)
{
    struct trace *t = p;
    if (t->n + k > 5000000) /* keep the table sane; the run goes on untraced */
        return 0;
    if (t->n + k > t->cap) {
        long long cap = (t->cap + k) * 2;
        double **arr[4] = {&t->restart, &t->iter, &t->cluster, &t->count};
        for (int a = 0; a < 4; a++) {
            double *v = realloc(*arr[a], sizeof(double) * (size_t)cap);
            if (!v)
                return t->failed = 1;
            *arr[a] = v;
        }
        double *c = malloc(sizeof(double) * (size_t)cap * (size_t)d);
        if (!c)
            return t->failed = 1;
        for (int q = 0; q < d && t->c; q++)
            memcpy(c + (long long)q * cap, t->c + (long long)q * t->cap,
                   sizeof(double) * (size_t)t->n);
        free(t->c);
        t->c = c;
        t->cap = cap;
    }
    for (int j = 0; j < k; j++, t->n++) {
        t->restart[t->n] = restart + 1;
        t->iter[t->n] = iter;
        t->cluster[t->n] = j;
        t->count[t->n] = (double)counts[j];
        for (int q = 0; q < d; q++)
            t->c[(long long)q * t->cap + t->n] = centres[(long long)j * d + q];
    }
    return 0;
}

static void
trace_free(struct trace *t)
{
    free(t->restart);
    free(t->iter);
    free(t->cluster);
    free(t->count);
    free(t->c);
}

static int
write_trace(struct cmd_ctx *ctx, const char *name, const struct frame *f, struct trace *t,
            struct qerr *err)
{
    int no = 4 + f->n_cols;
    struct frame_out *o = calloc((size_t)no, sizeof *o);
    double **cols = calloc((size_t)f->n_cols + 1, sizeof *cols);
    if (!o || !cols) {
        free(o);
        free(cols);
        return qerr_set(err, QE_NOMEM, "out of memory for the trace");
    }
    o[0] = (struct frame_out){.name = "restart", .decl = CATALOG_INTEGER, .num = t->restart};
    o[1] = (struct frame_out){.name = "iteration", .decl = CATALOG_INTEGER, .num = t->iter};
    o[2] = (struct frame_out){.name = "cluster", .decl = CATALOG_INTEGER, .num = t->cluster};
    o[3] = (struct frame_out){.name = "count", .decl = CATALOG_INTEGER, .num = t->count};
    for (int q = 0; q < f->n_cols; q++)
        o[4 + q] = (struct frame_out){.name = f->names[q], .decl = CATALOG_REAL,
                                      .num = t->c + (long long)q * t->cap};
    int rc = kit_replace(ctx, name, o, no, t->n, err);
    free(o);
    free(cols);
    return rc;
}

/*
 * The profile table: cluster, size, share, then per column its centre
 * (when given: k-medians and cosine, whose centre is not the mean) and the
 * mean and standard deviation of its rows.
 */
static int
write_profile(struct cmd_ctx *ctx, const char *name, const struct kit_rows *cd,
              const int32_t *lab, int k, const double *centres, struct qerr *err)
{
    int d = cd->d, has_c = centres != NULL, noise = 0;
    for (long long i = 0; i < cd->n; i++)
        noise |= lab[i] < 0;
    int rows = k + noise, per = has_c ? 3 : 2, no = 3 + per * d;
    double *v = calloc((size_t)rows * (size_t)no, sizeof(double));
    struct frame_out *o = calloc((size_t)no, sizeof *o);
    char **names = calloc((size_t)no, sizeof *names);
    /*
     * Each cluster's sums are taken relative to its first row's values:
     * the mean is then that value plus the mean offset, exact for a
     * constant column (whose sd comes out 0, not 1e-15), and the squared
     * deviations lose less to cancellation.
     */
    double *shift = calloc((size_t)rows * (size_t)d + 1, sizeof(double));
    unsigned char *seen = calloc((size_t)rows + 1, 1);
    int rc = -1;
    if (!v || !o || !names || !shift || !seen) {
        qerr_set(err, QE_NOMEM, "out of memory for the profile");
        goto out;
    }
    /* column c of the profile at v + c * rows; row r is cluster r - noise */
    for (int r = 0; r < rows; r++)
        v[r] = r - noise;
    for (long long i = 0; i < cd->n; i++) {
        int r = lab[i] + noise;
        if (!seen[r]) {
            seen[r] = 1;
            for (int q = 0; q < d; q++)
                shift[(long long)r * d + q] = cd->x[(long long)q * cd->ld + i];
        }
        v[rows + r] += 1;
        for (int q = 0; q < d; q++)
            v[(long long)(3 + per * q + has_c) * rows + r] +=
                cd->x[(long long)q * cd->ld + i] - shift[(long long)r * d + q];
    }
    for (int r = 0; r < rows; r++) {
        double m = v[rows + r];
        v[2 * rows + r] = cd->n ? round(m / (double)cd->n * 1e4) / 1e4 : 0; /* as profile */
        for (int q = 0; q < d; q++) {
            double *mean = &v[(long long)(3 + per * q + has_c) * rows + r];
            *mean = m > 0 ? shift[(long long)r * d + q] + *mean / m : NAN;
        }
    }
    for (long long i = 0; i < cd->n; i++) {
        int r = lab[i] + noise;
        for (int q = 0; q < d; q++) {
            double e = cd->x[(long long)q * cd->ld + i] -
                       v[(long long)(3 + per * q + has_c) * rows + r];
            v[(long long)(3 + per * q + has_c + 1) * rows + r] += e * e;
        }
    }
    for (int r = 0; r < rows; r++)
        for (int q = 0; q < d; q++) {
            double m = v[rows + r];
            double *sd = &v[(long long)(3 + per * q + has_c + 1) * rows + r];
            *sd = m > 1 ? kit_sig(sqrt(*sd / (m - 1))) : NAN;
            double *mean = sd - rows;
            *mean = kit_sig(*mean);
            if (has_c)
                v[(long long)(3 + per * q) * rows + r] =
                    r < noise ? NAN : kit_sig(centres[(long long)(r - noise) * d + q]);
        }
    static const char *const fixed[3] = {"cluster", "size", "share"};
    for (int c = 0; c < 3; c++)
        names[c] = sqlite3_mprintf("%s", fixed[c]);
    for (int q = 0; q < d; q++) {
        const char *cn = cd->f->names[q];
        if (has_c)
            names[3 + per * q] = sqlite3_mprintf("%s_centre", cn);
        names[3 + per * q + has_c] = sqlite3_mprintf("%s_mean", cn);
        names[3 + per * q + has_c + 1] = sqlite3_mprintf("%s_std", cn);
    }
    for (int c = 0; c < no; c++)
        o[c] = (struct frame_out){.name = names[c], .decl = c < 2 ? CATALOG_INTEGER : CATALOG_REAL,
                                  .num = v + (long long)c * rows};
    rc = kit_replace(ctx, name, o, no, rows, err);
out:
    for (int c = 0; names && c < no; c++)
        sqlite3_free(names[c]);
    free(names);
    free(o);
    free(v);
    free(shift);
    free(seen);
    return rc;
}

/* Write the labels back as column `into` (NULL for rows left out). */
static int
write_labels(struct cmd_ctx *ctx, const char *table, const char *dest, const char *into,
             const struct kit_rows *cd, const int32_t *lab, struct qerr *err)
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
    struct frame_write w = {.src = table, .dest = dest, .f = cd->f, .outs = &o, .n_outs = 1};
    int rc = frame_write(ctx->cat, &w, err);
    free(v);
    return rc;
}

static void
show_quality(struct cmd_result *res, const struct cluster_quality *q, const char *objective,
             double obj)
{
    static const char *const cols[] = {"measure", "value", "meaning"};
    struct rtable *t = result_table(res, 3, cols);
    struct {
        const char *name;
        double v;
        const char *meaning;
    } rows[] = {
        {objective, obj, "the objective the method minimised"},
        {"inertia", q->inertia, "within-cluster sum of squares (lower is tighter)"},
        {"silhouette", q->silhouette, "-1..1, higher is better separated"},
        {"davies_bouldin", q->davies_bouldin, "lower is better"},
        {"calinski_harabasz", q->calinski_harabasz, "higher is better"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (i == 0 && strcmp(objective, "inertia") == 0)
            continue;
        long long r = rtable_add_row(t);
        rtable_set(t, r, 0, rows[i].name, 0);
        if (isnan(rows[i].v))
            rtable_set(t, r, 1, NULL, 0);
        else
            rtable_setf(t, r, 1, 1, "%.6g", rows[i].v);
        rtable_set(t, r, 2, rows[i].meaning, 0);
    }
}

/* method=hierarchical: the tree, its cut at k, and with trace=yes the merge table. */
static int
hier_run(struct cmd_ctx *ctx, const struct cmd_args *args, const struct kit_rows *cd,
         const char *name, int k, int *kout, int32_t **lab, struct cmd_result *res,
         struct qerr *err)
{
    const char *ln = args_str(args, "linkage");
    enum hier_linkage link = strcmp(ln, "complete") == 0  ? HIER_COMPLETE
                             : strcmp(ln, "average") == 0 ? HIER_AVERAGE
                             : strcmp(ln, "single") == 0  ? HIER_SINGLE
                                                          : HIER_WARD;
    double need = hier_bytes(cd->n);
    if (cd->n > HIER_MAX_ROWS || (ctx->set.memory_mb > 0 && need > ctx->set.memory_mb * 1048576.0))
        return qerr_set(err, QE_NOMEM, "hierarchical clustering of %lld rows needs %.0f MiB of "
                                       "distances (limit %d rows%s); sample the table or use "
                                       "method=kmeans",
                        cd->n, need / 1048576.0, HIER_MAX_ROWS,
                        ctx->set.memory_mb > 0 ? " and the memory setting" : "");
    if (k > cd->n && !args_given(args, "height"))
        return qerr_set(err, QE_ARG, "k=%d is more than the %lld complete rows", k, cd->n);
    struct hier_merge *m = malloc(sizeof *m * (size_t)(cd->n > 1 ? cd->n - 1 : 1));
    *lab = malloc(sizeof(int32_t) * (size_t)cd->n);
    if (!m || !*lab) {
        free(m);
        return qerr_set(err, QE_NOMEM, "out of memory for the merge table");
    }
    int rc = -1;
    if (hier_fit(cd->x, cd->n, cd->d, cd->ld, link, m, kit_progress, ctx, err) < 0)
        goto out;
    if (args_given(args, "height")) { /* keep the merges at or below the height */
        double cut = args_real(args, "height");
        long long kept = 0;
        while (kept < cd->n - 1 && m[kept].height <= cut)
            kept++;
        k = (int)(cd->n - kept);
        *kout = k;
    }
    double h = hier_cut(m, cd->n, k, *lab);
    result_text(res, "hierarchical (%s linkage) on %lld rows x %d columns, cut into %d clusters "
                     "(the last merge kept is at height %.6g)",
                ln, cd->n, cd->d, k, h);
    if (args_int(args, "trace")) {
        long long nm = cd->n - 1;
        double *v = malloc(sizeof(double) * 5 * (size_t)(nm > 0 ? nm : 1));
        if (!v) {
            qerr_set(err, QE_NOMEM, "out of memory for the merge table");
            goto out;
        }
        for (long long i = 0; i < nm; i++) {
            v[i] = (double)(cd->n + i);
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
        char *tname = sqlite3_mprintf("%s_merges", name);
        int trc = kit_replace(ctx, tname, o, 5, nm, err);
        if (trc == 0)
            result_text(res, "merge table (dendrogram): %lld rows in %s; ids below %lld are "
                             "rows in order, cluster n+i is made by merge i",
                        nm, tname, cd->n);
        sqlite3_free(tname);
        free(v);
        if (trc < 0)
            goto out;
    }
    rc = 0;
out:
    free(m);
    return rc;
}

static int
cmd_cluster_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                 struct qerr *err)
{
    const char *table = args_str(args, "TABLE"), *method = args_str(args, "method");
    const char *dist = args_str(args, "distance"), *into = args_str(args, "into");
    const struct arg_val *cols = args_get(args, "cols");
    const char *name = args->as ? args->as : table;
    struct kit_rows cd;
    struct kmeans_result km = {0};
    struct kmedoids_result kmd = {0};
    double *medc = NULL;
    struct trace tr = {0};
    int32_t *lab = NULL;
    int k = (int)args_int(args, "k"), rc = -1;
    const double *centres = NULL;
    char *pname = NULL;
    int medoids = strcmp(method, "kmedoids") == 0 ||
                  (strcmp(method, "kmeans") == 0 && strcmp(dist, "minkowski") == 0);
    if (medoids && strcmp(dist, "cosine") == 0)
        return qerr_set(err, QE_ARG, "kmedoids takes a Minkowski distance (euclidean, manhattan "
                                     "or minkowski with p=); for cosine use method=kmeans "
                                     "distance=cosine");
    if (!medoids && strcmp(dist, "minkowski") == 0)
        return qerr_set(err, QE_ARG, "distance=minkowski needs method=kmedoids (medoids work "
                                     "for any p)");
    long long seed = kit_seed(ctx, args, res);
    if (kit_read_complete(ctx, table, (const char *const *)cols->list, cols->n_list, &cd, err) < 0)
        goto out;
    if (cd.n < 2) {
        qerr_set(err, QE_DATA, "'%s' has %lld complete rows in those columns; clustering needs "
                               "at least 2",
                 table, cd.n);
        goto out;
    }
    const char *objective = "inertia";
    double obj = 0;
    int kk = k;
    if (strcmp(method, "dbscan") == 0) {
        struct dbscan_opts o = {.minpts = (int)args_int(args, "minpts"),
                                .progress = kit_progress, .pctx = ctx};
        if (args_given(args, "eps")) {
            o.eps = args_real(args, "eps");
        } else {
            if (dbscan_suggest_eps(cd.x, cd.n, cd.d, cd.ld, o.minpts, (uint64_t)seed, &o.eps,
                                   err) < 0)
                goto out;
            result_text(res, "eps not given: %.6g from the knee of the %d-distance curve "
                             "(give eps= to choose)",
                        o.eps, o.minpts);
        }
        struct dbscan_result dr;
        lab = malloc(sizeof(int32_t) * (size_t)cd.n);
        if (!lab) {
            qerr_set(err, QE_NOMEM, "out of memory for %lld labels", cd.n);
            goto out;
        }
        if (dbscan_fit(cd.x, cd.n, cd.d, cd.ld, &o, lab, &dr, err) < 0)
            goto out;
        kk = dr.n_clusters;
        result_text(res, "dbscan eps=%.6g minpts=%d on %lld rows x %d columns: %d clusters, "
                         "%lld noise rows (label -1), %lld core rows",
                    o.eps, o.minpts, cd.n, cd.d, dr.n_clusters, dr.n_noise, dr.n_core);
    } else if (strcmp(method, "hierarchical") == 0) {
        if (hier_run(ctx, args, &cd, name, k, &kk, &lab, res, err) < 0)
            goto out;
    } else if (medoids) {
        struct kmedoids_opts o = {.k = k, .maxiter = (int)args_int(args, "maxiter"),
                                  .seed = (uint64_t)seed, .progress = kit_progress, .pctx = ctx};
        o.p = strcmp(dist, "manhattan") == 0   ? 1
              : strcmp(dist, "minkowski") == 0 ? args_real(args, "p")
                                               : 2;
        if (k > cd.n) {
            qerr_set(err, QE_ARG, "k=%d is more than the %lld complete rows; give a smaller k", k,
                     cd.n);
            goto out;
        }
        if (kmedoids_fit(cd.x, cd.n, cd.d, cd.ld, &o, &kmd, err) < 0)
            goto out;
        lab = kmd.labels;
        kmd.labels = NULL;
        medc = malloc(sizeof(double) * (size_t)k * (size_t)cd.d);
        if (!medc) {
            qerr_set(err, QE_NOMEM, "out of memory");
            goto out;
        }
        struct buf rows = BUF_INIT;
        for (int j = 0; j < k; j++) {
            for (int q = 0; q < cd.d; q++)
                medc[(long long)j * cd.d + q] = cd.x[(long long)q * cd.ld + kmd.medoids[j]];
            long long fr = cd.rows ? cd.rows[kmd.medoids[j]] : kmd.medoids[j];
            buf_addf(&rows, "%s%lld", j ? ", " : "", (long long)cd.f->rowid[fr]);
        }
        centres = medc;
        obj = kmd.objective;
        objective = "sum_distance";
        result_text(res, "kmedoids k=%d (Minkowski p=%g) on %lld rows x %d columns: %d swap "
                         "pass%s, %lld swaps%s (seed=%lld); medoids are rowids %s",
                    k, o.p, cd.n, cd.d, kmd.passes, kmd.passes == 1 ? "" : "es", kmd.swaps,
                    kmd.converged ? ", converged" : ", stopped at maxiter", seed, rows.data);
        buf_release(&rows);
    } else {
        struct kmeans_opts o;
        kmeans_opts_init(&o);
        o.method = strcmp(method, "kmedians") == 0 || strcmp(dist, "manhattan") == 0
                       ? KMEANS_MEDIANS
                   : strcmp(dist, "cosine") == 0 ? KMEANS_COSINE
                                                 : KMEANS_MEANS;
        const char *init = args_str(args, "init");
        o.init = strcmp(init, "random") == 0  ? KMEANS_INIT_RANDOM
                 : strcmp(init, "first") == 0 ? KMEANS_INIT_FIRST
                                              : KMEANS_INIT_KMPP;
        o.k = k;
        o.restarts = (int)args_int(args, "restarts");
        o.maxiter = (int)args_int(args, "maxiter");
        o.tol = args_real(args, "tol");
        o.seed = (uint64_t)seed;
        o.threads = ctx->set.threads > 0 ? ctx->set.threads : 1;
        o.progress = kit_progress;
        o.pctx = ctx;
        if (args_int(args, "trace")) {
            tr.d = cd.d;
            o.trace = trace_add;
            o.tctx = &tr;
        }
        if (k > cd.n) {
            qerr_set(err, QE_ARG, "k=%d is more than the %lld complete rows; give a smaller k", k,
                     cd.n);
            goto out;
        }
        if (kmeans_fit(cd.x, cd.n, cd.d, cd.ld, &o, &km, err) < 0)
            goto out;
        if (tr.failed) {
            qerr_set(err, QE_NOMEM, "out of memory for the trace; run without trace=yes");
            goto out;
        }
        lab = km.labels;
        km.labels = NULL;
        centres = o.method == KMEANS_MEANS ? NULL : km.centres; /* a mean centre is the mean */
        obj = km.objective;
        objective = o.method == KMEANS_MEDIANS  ? "sum_l1"
                    : o.method == KMEANS_COSINE ? "sum_1_minus_cos"
                                                : "inertia";
        static const char *const mname[] = {"kmeans", "kmedians", "kmeans (cosine)"};
        int restarts = o.init == KMEANS_INIT_FIRST ? 1 : o.restarts;
        result_text(res, "%s k=%d on %lld rows x %d columns: %d iteration%s%s, best of %d "
                         "start%s (seed=%lld)",
                    mname[o.method], k, cd.n, cd.d, km.n_iter, km.n_iter == 1 ? "" : "s",
                    km.converged ? ", converged" : ", stopped at maxiter", restarts,
                    restarts == 1 ? "" : "s", seed);
    }
    if (cd.rows)
        result_text(res, "%lld rows with a missing value left out (label NULL)",
                    cd.f->n_rows - cd.n);
    struct cluster_quality q;
    if (cluster_quality_compute(cd.x, cd.n, cd.d, cd.ld, lab, kk > 0 ? kk : 1, (uint64_t)seed,
                                ctx->set.threads, kit_progress, ctx, &q, err) < 0)
        goto out;
    if (kk > 0 && q.k_used < kk && strcmp(method, "dbscan") != 0)
        result_text(res, "only %d of the %d clusters hold rows: the data has fewer distinct "
                         "points than k",
                    q.k_used, kk);
    if (q.silhouette_rows < q.n_used && !isnan(q.silhouette))
        result_text(res, "silhouette on a seeded sample of %lld of %lld rows", q.silhouette_rows,
                    q.n_used);
    show_quality(res, &q, objective, obj);
    if (write_labels(ctx, table, args->as, into, &cd, lab, err) < 0)
        goto out;
    pname = sqlite3_mprintf("%s_clusters", name);
    if (write_profile(ctx, pname, &cd, lab, kk, centres, err) < 0)
        goto out;
    result_text(res, "labels in %s.%s; profile in %s", name, into, pname);
    if (tr.n > 0) {
        char *tname = sqlite3_mprintf("%s_trace", name);
        int t_rc = write_trace(ctx, tname, cd.f, &tr, err);
        if (t_rc == 0)
            result_text(res, "trace: %lld rows in %s (restart, iteration, cluster, count, "
                             "centre)",
                        tr.n, tname);
        sqlite3_free(tname);
        if (t_rc < 0)
            goto out;
    }
    rc = kit_show(ctx, res, pname, "cluster", err);
out:
    sqlite3_free(pname);
    free(lab);
    kmeans_result_release(&km);
    kmedoids_result_release(&kmd);
    free(medc);
    trace_free(&tr);
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
                "[eps=R] [minpts=5] [linkage=ward|complete|average|single] [height=H] [into=segment] "
                "[trace=yes] [as NAME]",
    .help = "Group the rows of a table by the columns cols. kmeans (Lloyd) moves each centre "
            "to the mean of its rows; distance=manhattan or method=kmedians uses the "
            "coordinate median, distance=cosine the unit-length mean (spherical k-means). "
            "kmedoids picks k rows as centres by PAM-style swaps, for any Minkowski distance "
            "(distance=minkowski p=3; up to 20,000 rows). "
            "dbscan finds dense regions: eps is the radius, minpts the neighbours a core row "
            "needs; noise gets -1, and without eps the knee of the k-distance curve is used. "
            "Writes the label column (into, in TABLE or in a copy named by as), a profile "
            "table NAME_clusters (size, share, mean and std per column, and the centre where it is not the mean) and prints "
            "inertia, silhouette (on a seeded sample of 10,000 rows above that), "
            "Davies-Bouldin and Calinski-Harabasz. Rows with a missing value get NULL. "
            "hierarchical (agglomerative, up to 20,000 rows: ward, complete, average or single "
            "linkage, as SciPy) cuts the tree into k clusters, or at height=H; with trace=yes it writes the "
            "merge table NAME_merges for a dendrogram.",
    .example = "cluster customers cols=age k=3 seed=1",
    .args = cluster_args,
    .flags = CMD_WRITES | CMD_AS | CMD_FRAME_SAFE,
    .exec = cmd_cluster_exec,
};
