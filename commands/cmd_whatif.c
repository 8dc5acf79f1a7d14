/*
 * cmd_whatif.c: `whatif`, what-if segmentation (issue 21): cluster the
 * rows again with a change (another k, other columns, column weights,
 * another method or seed) and show who moved against the segments a
 * column holds already (cluster's labels, rfm's segments).
 *
 * The new clusters are matched to the old segments greedily by overlap
 * (cluster_match: the largest cell of the old x new table first, each
 * side used once),
 * so "moved" means a row whose new cluster matched another old segment,
 * or none. The agreement is the adjusted Rand index (cluster_agreement),
 * which needs no matching.
 */
#include "kit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cluster/cluster.h"
#include "data/frame.h"
#include "base/banned.h"

static const char *const wi_method_names[] = {
    [CLUSTER_KMEANS] = "kmeans", [CLUSTER_KMEDIANS] = "kmedians", [CLUSTER_KMEDOIDS] = "kmedoids",
    [CLUSTER_DBSCAN] = "dbscan", [CLUSTER_HIERARCHICAL] = "hierarchical"};

static const struct arg_spec cmd_whatif_args[] = {
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "The table whose rows are segmented.", .comp = COMP_TABLES},
    {.name = "cols", .type = ARG_COLUMNS, .required = 1,
     .help = "The numeric columns of the new segmentation.", .comp = COMP_COLUMNS},
    {.name = "from", .type = ARG_COLUMN, .def = "cluster",
     .help = "The column that holds the segments now (cluster's labels, rfm's segment).",
     .comp = COMP_COLUMNS},
    {.name = "k", .type = ARG_INT, .min = 1, .max = 100000,
     .help = "Clusters of the new segmentation (default: as many as the old one has).",
     .comp = COMP_NONE},
    {.name = "method", .type = ARG_ENUM, .def = "kmeans",
     .choices = "kmeans|kmedians|kmedoids|dbscan|hierarchical", ARG_NAMES(wi_method_names),
     .help = "The clustering method of the new segmentation (cluster's).",
     .comp = COMP_CHOICES},
    {.name = "weights", .type = ARG_TEXT,
     .help = "Column weights, COL:W,...: each named column is multiplied by W before the "
             "distances (weights=recency:2 makes recency count twice as far).",
     .comp = COMP_NONE},
    {.name = "seed", .type = ARG_INT, .min = 0, .max = 9e18,
     .help = "Seed for the starts (default: the session's).", .comp = COMP_NONE},
    {.name = "into", .type = ARG_TEXT, .def = "whatif",
     .help = "The column for the new segment of each row, named as the old segment it "
             "matched (or new N).",
     .comp = COMP_NONE},
    KIT_REPLACE_ARG,
    {0},
};

/* weights=COL:W,...: the factor of each of the d columns (1 when not named). */
static int
read_weights(const char *text, char *const *names, int d, double *w, struct qerr *err)
{
    for (int q = 0; q < d; q++)
        w[q] = 1;
    if (!text)
        return 0;
    char *copy = xstrdup(text), *save = NULL;
    int rc = 0;
    for (char *item = strtok_r(copy, ",", &save); item && rc == 0;
         item = strtok_r(NULL, ",", &save)) {
        char *colon = strrchr(item, ':'), *end = NULL;
        double v = colon ? strtod(colon + 1, &end) : NAN;
        if (!colon || end == colon + 1 || *end || !isfinite(v) || v < 0) {
            rc = qerr_set(err, QE_ARG, "weights takes COL:W pairs with W a number >= 0, not "
                                       "'%s'", item);
            break;
        }
        *colon = '\0';
        int found = -1;
        for (int q = 0; q < d && found < 0; q++)
            if (strcasecmp(names[q], item) == 0)
                found = q;
        if (found < 0)
            rc = qerr_set(err, QE_ARG, "weights names '%s', which is not among cols=", item);
        else
            w[found] = v;
    }
    free(copy);
    return rc;
}

/* The old segment of each complete row as a dense code, and the segments' names. */
static int
old_codes(const struct frame *fl, const struct kit_rows *cd, int32_t *code, char ***names,
          int *k, long long *n_null)
{
    long long n = cd->n;
    *k = 0;
    *n_null = 0;
    if (fl->kind[0] == FRAME_TEXT) {
        *k = fl->n_levels[0];
        *names = xcalloc((size_t)*k + 1, sizeof(char *));
        for (int l = 0; l < *k; l++)
            (*names)[l] = xstrdup(fl->levels[0][l]);
        for (long long r = 0; r < n; r++) {
            long long fr = cd->rows ? cd->rows[r] : r;
            code[r] = fl->code[0][fr];
            *n_null += code[r] < 0;
        }
        return 0;
    }
    /* numbers: the distinct values, sorted, are the segments */
    const double *x = frame_col(fl, 0);
    double *vals = xmalloc(sizeof(double) * (size_t)(n ? n : 1));
    int nv = 0;
    for (long long r = 0; r < n; r++) {
        double v = x[cd->rows ? cd->rows[r] : r];
        if (isnan(v))
            continue;
        int i = 0;
        while (i < nv && vals[i] < v)
            i++;
        if (i < nv && vals[i] == v)
            continue;
        if (nv >= 1000) {
            free(vals);
            return -1;
        }
        memmove(vals + i + 1, vals + i, sizeof(double) * (size_t)(nv - i));
        vals[i] = v;
        nv++;
    }
    *k = nv;
    *names = xcalloc((size_t)nv + 1, sizeof(char *));
    for (int i = 0; i < nv; i++) {
        struct buf b = BUF_INIT;
        buf_addf(&b, "%.15g", vals[i]);
        (*names)[i] = buf_detach(&b);
    }
    for (long long r = 0; r < n; r++) {
        double v = x[cd->rows ? cd->rows[r] : r];
        code[r] = -1;
        for (int i = 0; i < nv && !isnan(v); i++)
            if (vals[i] == v)
                code[r] = i;
        *n_null += code[r] < 0;
    }
    free(vals);
    return 0;
}

/*
 * The old x new table: a row per old segment, a column per new cluster
 * named by the old segment it matched (noise last), and the share of each
 * old segment that stayed.
 */
static void
show_moves(struct cmd_result *res, const char *from, char *const *old_names, int k_old,
           const int32_t *oc, const int32_t *nc, long long m, int k_new, int kn,
           const int *match)
{
    long long *cell = xcalloc((size_t)k_old * (size_t)kn + 1, sizeof(long long));
    for (long long i = 0; i < m; i++)
        cell[(long long)oc[i] * kn + nc[i]]++;
    const char **hdr = xcalloc((size_t)kn + 3, sizeof(char *));
    char **hdr_own = xcalloc((size_t)kn + 1, sizeof(char *));
    hdr[0] = from;
    for (int j = 0; j < kn; j++) {
        struct buf b = BUF_INIT;
        if (j == k_new)
            buf_adds(&b, "noise");
        else if (match[j] >= 0)
            buf_addf(&b, "-> %s", old_names[match[j]]);
        else
            buf_addf(&b, "-> new %d", j);
        hdr[1 + j] = hdr_own[j] = buf_detach(&b);
    }
    hdr[1 + kn] = "stayed";
    struct rtable *t = result_table(res, kn + 2, hdr);
    for (int i = 0; i < k_old; i++) {
        long long row = rtable_add_row(t), total = 0, stay = 0;
        rtable_set(t, row, 0, old_names[i], 0);
        for (int j = 0; j < kn; j++) {
            long long c = cell[(long long)i * kn + j];
            total += c;
            stay += match[j] == i ? c : 0;
            rtable_setf(t, row, 1 + j, 1, "%lld", c);
        }
        if (total)
            rtable_setf(t, row, 1 + kn, 1, "%.3f", (double)stay / (double)total);
        else
            rtable_set(t, row, 1 + kn, NULL, 0);
    }
    for (int j = 0; j < kn; j++)
        free(hdr_own[j]);
    free(hdr_own);
    free(hdr);
    free(cell);
}

/*
 * The new segment of each row into column into: named as the old segment
 * its cluster matched (text segments), or that segment's number, noise
 * -1 and an unmatched cluster 1000 + its number (numeric segments).
 */
static int
write_new(struct cmd_ctx *ctx, const struct cmd_args *args, const char **table,
          const char *into, const struct kit_rows *cd, const int32_t *labels, int text,
          char *const *old_names, int k_new, int kn, const int *match, struct qerr *err)
{
    long long nf = cd->f->n_rows;
    double *outv = malloc(sizeof(double) * (size_t)(nf ? nf : 1));
    if (!outv)
        return qerr_set(err, QE_NOMEM, "out of memory for %lld labels", nf);
    for (long long i = 0; i < nf; i++)
        outv[i] = NAN;
    char **lev = NULL;
    if (text) {
        lev = xcalloc((size_t)kn + 1, sizeof(char *));
        for (int j = 0; j < kn; j++) {
            struct buf b = BUF_INIT;
            if (j == k_new)
                buf_adds(&b, "noise");
            else if (match[j] >= 0)
                buf_adds(&b, old_names[match[j]]);
            else
                buf_addf(&b, "new %d", j);
            lev[j] = buf_detach(&b);
        }
    }
    const char **tv = text ? xcalloc((size_t)(nf ? nf : 1), sizeof(char *)) : NULL;
    for (long long i = 0; i < cd->n; i++) {
        int j = labels[i] < 0 ? k_new : labels[i];
        long long fr = cd->rows ? cd->rows[i] : i;
        if (text)
            tv[fr] = lev[j];
        else
            outv[fr] = j == k_new        ? -1
                       : match[j] >= 0 ? strtod(old_names[match[j]], NULL)
                                       : (double)(1000 + j);
    }
    struct frame_out fo = {.name = into, .decl = text ? CATALOG_TEXT : CATALOG_INTEGER,
                           .num = outv, .text = tv};
    int rc = kit_write(ctx, args, table, cd->f, &fo, 1, NULL, err);
    free(tv);
    for (int j = 0; lev && j < kn; j++)
        free(lev[j]);
    free(lev);
    free(outv);
    return rc;
}

/*
 * The new segmentation: cd's rows with each column multiplied by its
 * weight (a copy: the frame's block may be shared with the cache),
 * clustered as the statement says (k defaults to the old segments' k_old).
 */
static int
refit(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
      const struct kit_rows *cd, int k_old, struct cluster_opts *o, struct cluster_result *r,
      struct qerr *err)
{
    double *w = xmalloc(sizeof(double) * (size_t)cd->d), *x = NULL;
    int rc = -1;
    if (read_weights(args_str(args, "weights"), cd->f->names, cd->d, w, err) < 0)
        goto out;
    x = malloc(sizeof(double) * (size_t)cd->ld * (size_t)cd->d + 1);
    if (!x) {
        qerr_set(err, QE_NOMEM, "out of memory for a copy of %lld rows", cd->n);
        goto out;
    }
    for (int q = 0; q < cd->d; q++)
        for (long long i = 0; i < cd->n; i++)
            x[(long long)q * cd->ld + i] = cd->x[(long long)q * cd->ld + i] * w[q];
    *o = (struct cluster_opts){
        .method = (enum cluster_method)args_choice(args, "method"),
        .distance = CLUSTER_EUCLIDEAN, .p = 3,
        .k = args_given(args, "k") ? (int)args_int(args, "k") : k_old,
        .init = KMEANS_INIT_KMPP, .restarts = 10, .maxiter = 300, .tol = 1e-6,
        .seed = (uint64_t)kit_seed(ctx, args, res), .threads = ctx->set.threads,
        .minpts = 5, .linkage = HIER_WARD, .progress = kit_progress, .pctx = ctx,
    };
    if (cluster_check(cd->n, o, err) == 0 && cluster_fit(x, cd->n, cd->d, cd->ld, o, r, err) == 0)
        rc = 0;
out:
    free(x);
    free(w);
    return rc;
}

/*
 * The rows both segmentations place, as code pairs: old's segment into oc,
 * the new label into nc (DBSCAN's noise, a negative label, is a segment of
 * its own: k_new, and *noise says there was some). Returns how many.
 */
static long long
paired_codes(const int32_t *old, const int32_t *labels, long long n, int k_new, int32_t *oc,
             int32_t *nc, int *noise)
{
    long long m = 0;
    for (long long i = 0; i < n; i++) {
        if (old[i] < 0)
            continue;
        oc[m] = old[i];
        nc[m] = labels[i] < 0 ? k_new : labels[i];
        *noise |= labels[i] < 0;
        m++;
    }
    return m;
}

static int
cmd_whatif_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                struct qerr *err)
{
    const char *table = args_str(args, "TABLE"), *from = args_str(args, "from");
    const char *into = args_str(args, "into");
    const struct arg_val *cols = args_get(args, "cols");
    struct kit_rows cd = {0};
    struct frame *fl = NULL;
    struct cluster_result r = {0};
    int32_t *old = NULL, *oc = NULL, *nc = NULL;
    char **old_names = NULL;
    int k_old = 0, rc = -1, *match = NULL;
    long long n_null = 0;

    for (int q = 0; q < cols->n_list; q++)
        if (strcasecmp(cols->list[q], from) == 0) {
            qerr_set(err, QE_ARG, "'%s' holds the segments now (from=); it cannot be one of "
                                  "cols= too", from);
            return -1;
        }
    if (kit_claim(ctx, args, table, &into, 1, "into", NULL, 0, err) < 0 ||
        kit_read_complete(ctx, table, (const char *const *)cols->list, cols->n_list, &cd,
                          err) < 0 ||
        kit_read(ctx, table, &from, 1, 0, &fl, err) < 0)
        goto out;
    if (cd.n < 2) {
        qerr_set(err, QE_DATA, "'%s' has %lld complete rows in those columns; a segmentation "
                               "needs at least 2", table, cd.n);
        goto out;
    }
    old = xmalloc(sizeof(int32_t) * (size_t)cd.n);
    if (old_codes(fl, &cd, old, &old_names, &k_old, &n_null) < 0) {
        qerr_set(err, QE_DATA, "'%s' holds over 1,000 distinct numbers: not segments", from);
        goto out;
    }
    if (k_old < 1) {
        qerr_set(err, QE_DATA, "'%s' holds no segment for these rows; run cluster (or rfm) "
                               "first, or name the column with from=", from);
        goto out;
    }
    struct cluster_opts o;
    if (refit(ctx, args, res, &cd, k_old, &o, &r, err) < 0)
        goto out;
    int k_new = r.k;
    oc = xmalloc(sizeof(int32_t) * (size_t)cd.n);
    nc = xmalloc(sizeof(int32_t) * (size_t)cd.n);
    int noise = 0;
    long long m = paired_codes(old, r.labels, cd.n, k_new, oc, nc, &noise);
    int kn = k_new + noise;
    match = xmalloc(sizeof(int) * (size_t)(kn + 1));
    if (cluster_match(oc, k_old, nc, k_new, m, match, err) < 0) /* noise matches no segment */
        goto out;
    match[k_new] = -1;
    long long moved = 0;
    for (long long i = 0; i < m; i++)
        moved += match[nc[i]] != oc[i];
    struct cluster_agreement ag;
    if (cluster_agreement(oc, k_old, nc, kn, m, &ag, err) < 0)
        goto out;
    result_text(res, "whatif: %s k=%d on %lld rows x %d columns (seed=%lld) against '%s' "
                     "(%d segments)%s",
                wi_method_names[o.method], k_new, cd.n, cd.d, (long long)o.seed, from, k_old,
                args_given(args, "weights") ? ", weighted" : "");
    if (cd.rows)
        result_text(res, "%lld rows with a missing value in cols left out (%s NULL)",
                    cd.f->n_rows - cd.n, into);
    if (n_null)
        result_text(res, "%lld rows without a segment in '%s' are not compared", n_null, from);
    result_text(res, "moved: %lld of %lld rows (%.1f%%); adjusted Rand index %.4f (1 = the same "
                     "segments, about 0 = unrelated)",
                moved, m, m ? 100.0 * (double)moved / (double)m : 0.0, ag.ari);
    show_moves(res, from, old_names, k_old, oc, nc, m, k_new, kn, match);
    rc = write_new(ctx, args, &table, into, &cd, r.labels, fl->kind[0] == FRAME_TEXT,
                   old_names, k_new, kn, match, err);
    if (rc == 0)
        result_text(res, "new segments in %s.%s%s: SELECT * FROM %s WHERE %s IS NOT %s lists "
                         "who moved", table, into,
                    fl->kind[0] == FRAME_TEXT
                        ? ""
                        : " (a cluster that matched no segment is 1000 + its number)",
                    table, from, into);
out:
    free(match);
    free(oc);
    free(nc);
    free(old);
    for (int i = 0; old_names && i < k_old; i++)
        free(old_names[i]);
    free(old_names);
    cluster_result_release(&r);
    frame_release(fl);
    kit_rows_release(&cd);
    return rc;
}

const struct cmd_entry cmd_whatif_entry = {
    .name = "whatif",
    .family = "clustering",
    .synopsis = "whatif TABLE cols=COLS [from=cluster] [k=N] "
                "[method=kmeans|kmedians|kmedoids|dbscan|hierarchical] [weights=COL:W,...] "
                "[seed=N] [into=whatif] [replace=yes]",
    .help = "What if the segmentation changed? Cluster the rows again on cols (other columns, "
            "another k or method, or column weights) and compare with the segments column from "
            "holds now (cluster's labels, rfm's segment): prints how many rows moved, the "
            "adjusted Rand index between the two, and the old x new table with the share of "
            "each old segment that stayed. New clusters are matched to old segments by overlap "
            "(largest first); the new segment of each row goes to column into, named as the old "
            "segment it matched, so SELECT * FROM TABLE WHERE from IS NOT into lists who moved.",
    .example = "whatif customers cols=recency,frequency,monetary k=5",
    .args = cmd_whatif_args,
    .flags = CMD_WRITES,
    .exec = cmd_whatif_exec,
};
