/*
 * elbow.c: the clustering family's `elbow`: k-means for a range of k, the
 * inertia and silhouette of each in a table, and the knee of the curve.
 */
#include "kit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/cluster_quality.h"
#include "data/frame.h"
#include "cluster/kmeans.h"
#include "base/banned.h"

/* --- elbow ------------------------------------------------------------------ */

static const struct arg_spec elbow_args[] = {
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "The table to cluster.", .comp = COMP_TABLES},
    {.name = "cols", .type = ARG_COLUMNS, .required = 1,
     .help = "The numeric columns that describe a row.", .comp = COMP_COLUMNS},
    {.name = "k", .type = ARG_TEXT, .def = "2..12",
     .help = "The range of k to try, FROM..TO.", .comp = COMP_NONE},
    {.name = "restarts", .type = ARG_INT, .def = "10", .min = 1, .max = 1000,
     .help = "Independent k-means++ starts per k.", .comp = COMP_NONE},
    {.name = "seed", .type = ARG_INT, .min = 0, .max = 9e18,
     .help = "Seed for the starts and the silhouette sample.", .comp = COMP_NONE},
    {0},
};

static int
cmd_elbow_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
               struct qerr *err)
{
    const char *table = args_str(args, "TABLE"), *kr = args_str(args, "k");
    const struct arg_val *cols = args_get(args, "cols");
    char *end;
    long k0 = strtol(kr, &end, 10), k1 = k0;
    if (end[0] == '.' && end[1] == '.')
        k1 = strtol(end + 2, &end, 10);
    if (*end || k0 < 1 || k1 < k0 || k1 - k0 > 200)
        return qerr_set(err, QE_ARG, "k must be a range FROM..TO such as 2..12, not '%s'", kr);
    long long seed = kit_seed(ctx, args, res);
    struct kit_rows cd;
    int rc = -1, nk = (int)(k1 - k0 + 1);
    double *v = calloc((size_t)nk * 3, sizeof(double));
    char *tname = NULL;
    if (!v)
        return qerr_set(err, QE_NOMEM, "out of memory");
    if (kit_read_complete(ctx, table, (const char *const *)cols->list, cols->n_list, &cd, err) < 0)
        goto out;
    if (k1 > cd.n) {
        qerr_set(err, QE_ARG, "k up to %ld needs at least %ld complete rows; '%s' has %lld", k1,
                 k1, table, cd.n);
        goto out;
    }
    for (int i = 0; i < nk; i++) {
        struct kmeans_opts o;
        kmeans_opts_init(&o);
        o.k = (int)(k0 + i);
        o.restarts = (int)args_int(args, "restarts");
        o.seed = (uint64_t)seed;
        o.threads = ctx->set.threads > 0 ? ctx->set.threads : 1;
        o.progress = kit_progress;
        o.pctx = ctx;
        struct kmeans_result km;
        if (kmeans_fit(cd.x, cd.n, cd.d, cd.ld, &o, &km, err) < 0) {
            kmeans_result_release(&km);
            goto out;
        }
        struct cluster_quality q;
        int qrc = cluster_quality_compute(cd.x, cd.n, cd.d, cd.ld, km.labels, o.k,
                                          (uint64_t)seed, o.threads, kit_progress, ctx, &q, err);
        v[i] = (double)o.k;
        v[nk + i] = kit_sig(km.objective);
        v[2 * nk + i] = kit_sig(q.silhouette);
        kmeans_result_release(&km);
        if (qrc < 0)
            goto out;
    }
    tname = sqlite3_mprintf("%s_elbow", table);
    const char *name = args->as ? args->as : tname;
    struct frame_out o[3] = {
        {.name = "k", .decl = CATALOG_INTEGER, .num = v},
        {.name = "inertia", .decl = CATALOG_REAL, .num = v + nk},
        {.name = "silhouette", .decl = CATALOG_REAL, .num = v + 2 * nk},
    };
    if (kit_replace(ctx, name, o, 3, nk, err) < 0)
        goto out;
    int knee = cluster_knee(v, v + nk, nk);
    int best_sil = -1; /* k=1 has no silhouette (NULL), so it never wins */
    for (int i = 0; i < nk; i++)
        if (!isnan(v[2 * nk + i]) && (best_sil < 0 || v[2 * nk + i] > v[2 * nk + best_sil]))
            best_sil = i;
    result_text(res, "k-means for k=%ld..%ld on %lld rows x %d columns (seed=%lld); table %s",
                k0, k1, cd.n, cd.d, seed, name);
    if (nk >= 3 && best_sil >= 0)
        result_text(res, "knee of the inertia curve at k=%d; highest silhouette at k=%d",
                    (int)v[knee], (int)v[best_sil]);
    else if (nk >= 3)
        result_text(res, "knee of the inertia curve at k=%d", (int)v[knee]);
    rc = kit_show(ctx, res, name, "k", err);
out:
    sqlite3_free(tname);
    free(v);
    kit_rows_release(&cd);
    return rc;
}

const struct cmd_entry cmd_elbow_entry = {
    .name = "elbow",
    .family = "clustering",
    .synopsis = "elbow TABLE cols=COLS [k=2..12] [restarts=10] [seed=N] [as NAME]",
    .help = "Run k-means for each k in a range and write k, inertia and silhouette to "
            "TABLE_elbow (or NAME); reports the knee of the inertia curve (the k farthest "
            "below the chord from the first to the last point) and the k with the highest "
            "silhouette.",
    .example = "elbow customers cols=age k=2..6 seed=1",
    .args = elbow_args,
    .flags = CMD_WRITES | CMD_AS | CMD_FRAME_SAFE,
    .exec = cmd_elbow_exec,
};
