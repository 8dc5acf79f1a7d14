/*
 * cmd_stability.c: `stability` (issue 21): how much a segmentation
 * depends on chance. The clustering runs once as the reference and then
 * runs-1 more times, each with another seed and one start (so each run
 * is what a single try could have given) or on a bootstrap sample of the
 * rows; each run's clusters are matched to the reference's by overlap
 * (cluster_match, as whatif does) and compared by the adjusted Rand
 * index. A row is unstable when some runs put it elsewhere: the share of
 * runs that did is written per row.
 */
#include "kit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "cluster/cluster.h"
#include "data/frame.h"
#include "base/banned.h"

static const char *const st_method_names[] = {
    [CLUSTER_KMEANS] = "kmeans", [CLUSTER_KMEDIANS] = "kmedians",
    [CLUSTER_KMEDOIDS] = "kmedoids"};

static const char *const st_sample_names[] = {"seeds", "bootstrap"};

static const struct arg_spec cmd_stability_args[] = {
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "The table whose rows are segmented.", .comp = COMP_TABLES},
    {.name = "cols", .type = ARG_COLUMNS, .required = 1,
     .help = "The numeric columns of the segmentation.", .comp = COMP_COLUMNS},
    {.name = "k", .type = ARG_INT, .def = "4", .min = 2, .max = 100000,
     .help = "The number of clusters.", .comp = COMP_NONE},
    {.name = "method", .type = ARG_ENUM, .def = "kmeans", .choices = "kmeans|kmedians|kmedoids",
     ARG_NAMES(st_method_names), .help = "The clustering method (cluster's).",
     .comp = COMP_CHOICES},
    {.name = "runs", .type = ARG_INT, .def = "10", .min = 2, .max = 1000,
     .help = "Runs in all, the reference included.", .comp = COMP_NONE},
    {.name = "sample", .type = ARG_ENUM, .def = "seeds", .choices = "seeds|bootstrap",
     ARG_NAMES(st_sample_names),
     .help = "seeds: every row, another seed and one start per run; bootstrap: rows drawn "
             "with replacement, each row then given its nearest centre.",
     .comp = COMP_CHOICES},
    {.name = "seed", .type = ARG_INT, .min = 0, .max = 9e18,
     .help = "Seed of the reference run; run i uses seed+i (default: the session's).",
     .comp = COMP_NONE},
    {.name = "into", .type = ARG_TEXT, .def = "unstable",
     .help = "The column for each row's share of runs that put it in another segment than "
             "the reference.", .comp = COMP_NONE},
    KIT_REPLACE_ARG,
    {0},
};

/* Each row's nearest of the k centres (d x k, centre c at cen + c * d), rows n of x (ld). */
static void
nearest(const double *x, long long n, int d, long long ld, const double *cen, int k,
        int32_t *lab)
{
    for (long long i = 0; i < n; i++) {
        double best = INFINITY;
        int bc = 0;
        for (int c = 0; c < k; c++) {
            double s = 0;
            for (int q = 0; q < d; q++) {
                double t = x[(long long)q * ld + i] - cen[(long long)c * d + q];
                s += t * t;
            }
            if (s < best) {
                best = s;
                bc = c;
            }
        }
        lab[i] = bc;
    }
}

/* One run: labels of every row in lab (seeds: a fit of all rows; bootstrap: of a sample). */
static int
one_run(const struct kit_rows *cd, struct cluster_opts *o, int boot, uint64_t seed,
        int32_t *lab, int *k_out, struct qerr *err)
{
    struct cluster_result r = {0};
    int rc = -1, d = cd->d;
    long long n = cd->n;
    o->seed = seed;
    if (!boot) {
        if (cluster_fit(cd->x, n, d, cd->ld, o, &r, err) < 0)
            goto out;
        memcpy(lab, r.labels, sizeof(int32_t) * (size_t)n);
        *k_out = r.k;
        rc = 0;
        goto out;
    }
    long long ld = (n + 7) / 8 * 8;
    double *xs = malloc(sizeof(double) * (size_t)ld * (size_t)d + 1);
    double *cen = calloc((size_t)o->k * (size_t)d + 1, sizeof(double));
    long long *cnt = calloc((size_t)o->k + 1, sizeof(long long));
    if (!xs || !cen || !cnt) {
        free(xs);
        free(cen);
        free(cnt);
        return qerr_set(err, QE_NOMEM, "out of memory for a bootstrap sample of %lld rows", n);
    }
    struct rng g;
    rng_init(&g, seed);
    for (long long i = 0; i < n; i++) {
        long long src = (long long)rng_below(&g, (uint64_t)n);
        for (int q = 0; q < d; q++)
            xs[(long long)q * ld + i] = cd->x[(long long)q * cd->ld + src];
    }
    if (cluster_fit(xs, n, d, ld, o, &r, err) == 0) {
        /* the centre of each cluster of the sample: the mean of its rows */
        for (long long i = 0; i < n; i++) {
            int c = r.labels[i];
            if (c < 0 || c >= o->k)
                continue;
            cnt[c]++;
            for (int q = 0; q < d; q++)
                cen[(long long)c * d + q] += xs[(long long)q * ld + i];
        }
        for (int c = 0; c < o->k; c++)
            for (int q = 0; q < d; q++)
                cen[(long long)c * d + q] =
                    cnt[c] ? cen[(long long)c * d + q] / (double)cnt[c] : INFINITY;
        nearest(cd->x, n, d, cd->ld, cen, o->k, lab);
        *k_out = o->k;
        rc = 0;
    }
    free(xs);
    free(cen);
    free(cnt);
out:
    cluster_result_release(&r);
    return rc;
}

static int
cmd_stability_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                   struct qerr *err)
{
    const char *table = args_str(args, "TABLE"), *into = args_str(args, "into");
    const struct arg_val *cols = args_get(args, "cols");
    int runs = (int)args_int(args, "runs"), boot = args_choice(args, "sample") == 1;
    struct kit_rows cd = {0};
    int32_t *ref = NULL, *lab = NULL;
    long long *moved = NULL;
    double *share = NULL, *aris = NULL;
    int *map = NULL, rc = -1, k_ref = 0;
    struct cluster_opts o = {
        .method = (enum cluster_method)args_choice(args, "method"),
        .distance = CLUSTER_EUCLIDEAN, .p = 3, .k = (int)args_int(args, "k"),
        .init = KMEANS_INIT_KMPP, .restarts = 1, .maxiter = 300, .tol = 1e-6,
        .threads = ctx->set.threads, .minpts = 5, .linkage = HIER_WARD,
        .progress = kit_progress, .pctx = ctx,
    };
    uint64_t seed = (uint64_t)kit_seed(ctx, args, res);
    if (kit_claim(ctx, args, table, &into, 1, "into", NULL, 0, err) < 0 ||
        kit_read_complete(ctx, table, (const char *const *)cols->list, cols->n_list, &cd,
                          err) < 0)
        goto out;
    if (cluster_check(cd.n, &o, err) < 0)
        goto out;
    long long n = cd.n;
    ref = xmalloc(sizeof(int32_t) * (size_t)(n ? n : 1));
    lab = xmalloc(sizeof(int32_t) * (size_t)(n ? n : 1));
    moved = xcalloc((size_t)(n ? n : 1), sizeof(long long));
    aris = xcalloc((size_t)runs, sizeof(double));
    map = xmalloc(sizeof(int) * (size_t)o.k + 1);
    /* the reference: every row, the usual 10 starts */
    o.restarts = 10;
    if (one_run(&cd, &o, 0, seed, ref, &k_ref, err) < 0)
        goto out;
    o.restarts = 1;
    for (int t = 1; t < runs; t++) {
        int kt = 0;
        if (one_run(&cd, &o, boot, seed + (uint64_t)t, lab, &kt, err) < 0)
            goto out;
        struct cluster_agreement ag;
        if (cluster_agreement(ref, k_ref, lab, kt, n, &ag, err) < 0)
            goto out;
        aris[t] = ag.ari;
        if (cluster_match(ref, k_ref, lab, kt, n, map, err) < 0)
            goto out;
        for (long long i = 0; i < n; i++)
            moved[i] += map[lab[i]] != ref[i];
    }
    double sum = 0, lo = INFINITY;
    for (int t = 1; t < runs; t++) {
        sum += aris[t];
        lo = aris[t] < lo ? aris[t] : lo;
    }
    long long ever = 0, half = 0;
    for (long long i = 0; i < n; i++) {
        ever += moved[i] > 0;
        half += 2 * moved[i] >= runs - 1;
    }
    result_text(res, "stability: %s k=%d on %lld rows x %d columns, %d runs (%s; seed=%lld, "
                     "run i seed+i)",
                st_method_names[o.method], o.k, n, cd.d, runs,
                boot ? "bootstrap samples, each row given its nearest centre"
                     : "every row, one start per run; the reference took 10",
                (long long)seed);
    result_text(res, "adjusted Rand index against the reference: mean %.4f, lowest %.4f over "
                     "%d runs (1 = always the same segments)",
                sum / (runs - 1), lo, runs - 1);
    result_text(res, "rows moved by some run: %lld of %lld (%.1f%%); by half the runs or more: "
                     "%lld", ever, n, 100.0 * (double)ever / (double)n, half);
    long long nf = cd.f->n_rows;
    share = malloc(sizeof(double) * (size_t)(nf ? nf : 1));
    if (!share) {
        qerr_set(err, QE_NOMEM, "out of memory for %lld shares", nf);
        goto out;
    }
    for (long long i = 0; i < nf; i++)
        share[i] = NAN;
    for (long long i = 0; i < n; i++)
        share[cd.rows ? cd.rows[i] : i] = (double)moved[i] / (double)(runs - 1);
    struct frame_out fo = {.name = into, .decl = CATALOG_REAL, .num = share};
    if ((rc = kit_write(ctx, args, &table, cd.f, &fo, 1, NULL, err)) == 0)
        result_text(res, "each row's share of runs that moved it in %s.%s: SELECT * FROM %s "
                         "WHERE %s > 0 lists the unstable rows", table, into, table, into);
out:
    free(share);
    free(map);
    free(aris);
    free(moved);
    free(lab);
    free(ref);
    kit_rows_release(&cd);
    return rc;
}

const struct cmd_entry cmd_stability_entry = {
    .name = "stability",
    .family = "clustering",
    .synopsis = "stability TABLE cols=COLS [k=4] [method=kmeans|kmedians|kmedoids] [runs=10] "
                "[sample=seeds|bootstrap] [seed=N] [into=unstable] [replace=yes]",
    .help = "How much a segmentation depends on chance: cluster once as the reference (10 "
            "starts), then runs-1 more times, each with another seed and a single start "
            "(sample=seeds) or on a bootstrap sample of the rows with every row given its "
            "nearest centre (sample=bootstrap). Prints the mean and lowest adjusted Rand index "
            "against the reference and how many rows some run put in another segment (runs' "
            "clusters are matched to the reference's by overlap), and writes each row's share "
            "of runs that moved it to column into.",
    .example = "stability customers cols=recency,frequency,monetary k=4 runs=20",
    .args = cmd_stability_args,
    .flags = CMD_WRITES,
    .exec = cmd_stability_exec,
};
