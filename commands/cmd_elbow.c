/*
 * cmd_elbow.c: the clustering family's `elbow`: k-means for a range of k, the
 * inertia and silhouette of each in a table, and the knee of the curve.
 */
#include "kit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/cluster.h"
#include "data/frame.h"
#include "base/banned.h"

/* --- elbow ------------------------------------------------------------------ */

static const struct arg_spec cmd_elbow_args[] = {
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
    KIT_REPLACE_ARG,
    {0},
};

/* "FROM..TO" (or one k) into *k0 and *k1: at most 201 values of k from 1. */
static int
parse_range(const char *kr, int *k0, int *k1, struct qerr *err)
{
    char *end;
    long a = strtol(kr, &end, 10), b = a;
    if (end[0] == '.' && end[1] == '.')
        b = strtol(end + 2, &end, 10);
    if (*end || a < 1 || b < a || b - a > 200)
        return qerr_set(err, QE_ARG, "k must be a range FROM..TO such as 2..12, not '%s'", kr);
    *k0 = (int)a;
    *k1 = (int)b;
    return 0;
}

/* The knee of the inertia curve and the k with the highest silhouette. */
static void
report_elbow(struct cmd_result *res, const double *v, int nk)
{
    int knee = cluster_knee(v, v + nk, nk);
    int best_sil = -1; /* k=1 has no silhouette (NULL), so it never wins */
    for (int i = 0; i < nk; i++)
        if (!isnan(v[2 * nk + i]) && (best_sil < 0 || v[2 * nk + i] > v[2 * nk + best_sil]))
            best_sil = i;
    if (nk >= 3 && best_sil >= 0)
        result_text(res, "knee of the inertia curve at k=%d; highest silhouette at k=%d",
                    (int)v[knee], (int)v[best_sil]);
    else if (nk >= 3)
        result_text(res, "knee of the inertia curve at k=%d", (int)v[knee]);
}

static int
cmd_elbow_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
               struct qerr *err)
{
    const char *table = args_str(args, "TABLE");
    const struct arg_val *cols = args_get(args, "cols");
    int k0 = 0, k1 = 0;
    if (parse_range(args_str(args, "k"), &k0, &k1, err) < 0)
        return -1;
    struct cluster_opts o = {.restarts = (int)args_int(args, "restarts"),
                             .seed = (uint64_t)kit_seed(ctx, args, res),
                             .threads = ctx->set.threads, .progress = kit_progress, .pctx = ctx};
    struct kit_rows cd = {0};
    int rc = -1, nk = k1 - k0 + 1;
    double *v = xcalloc((size_t)nk * 3, sizeof(double)); /* columns k, inertia, silhouette */
    char *tname = kit_name(table, "_elbow");
    const char *name = args->as ? args->as : tname;
    if (kit_read_complete(ctx, table, (const char *const *)cols->list, cols->n_list, &cd,
                          err) < 0)
        goto out;
    if (k1 > cd.n) {
        qerr_set(err, QE_ARG, "k up to %d needs at least %d complete rows; '%s' has %lld", k1,
                 k1, table, cd.n);
        goto out;
    }
    if (kit_claim(ctx, args, table, NULL, 0, NULL, &name, 1, err) < 0 ||
        cluster_elbow(cd.x, cd.n, cd.d, cd.ld, k0, k1, &o, v + nk, v + 2 * nk, err) < 0)
        goto out;
    for (int i = 0; i < nk; i++) {
        v[i] = k0 + i;
        v[nk + i] = kit_sig(v[nk + i]);
        v[2 * nk + i] = kit_sig(v[2 * nk + i]);
    }
    struct frame_out out[3] = {
        {.name = "k", .decl = CATALOG_INTEGER, .num = v},
        {.name = "inertia", .decl = CATALOG_REAL, .num = v + nk},
        {.name = "silhouette", .decl = CATALOG_REAL, .num = v + 2 * nk},
    };
    if (kit_side_table(ctx, args, name, out, 3, nk, err) < 0)
        goto out;
    result_text(res, "k-means for k=%d..%d on %lld rows x %d columns (seed=%lld); table %s",
                k0, k1, cd.n, cd.d, (long long)o.seed, name);
    report_elbow(res, v, nk);
    rc = kit_show(ctx, res, name, "k", err);
out:
    free(tname);
    free(v);
    kit_rows_release(&cd);
    return rc;
}

const struct cmd_entry cmd_elbow_entry = {
    .name = "elbow",
    .family = "clustering",
    .synopsis = "elbow TABLE cols=COLS [k=2..12] [restarts=10] [seed=N] [replace=yes] [as NAME]",
    .help = "Run k-means for each k in a range and write k, inertia and silhouette to "
            "TABLE_elbow (or NAME); reports the knee of the inertia curve (the k farthest "
            "below the chord from the first to the last point) and the k with the highest "
            "silhouette. An existing TABLE_elbow (a re-run) is refused before any work "
            "unless replace=yes.",
    .example = "elbow customers cols=age k=2..6 seed=1",
    .args = cmd_elbow_args,
    .flags = CMD_WRITES | CMD_AS,
    .exec = cmd_elbow_exec,
};
