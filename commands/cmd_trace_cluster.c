/*
 * cmd_trace_cluster.c: trace kmeans and trace dbscan (cmd_trace.h): the
 * engine's step-by-step runs (src/cluster/kmeans_trace.h, dbscan_trace.h)
 * written to tables, with a summary a class can follow.
 */
#include "cmd_trace.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"
#include "cluster/dbscan_trace.h"
#include "cluster/kmeans.h"
#include "cluster/kmeans_trace.h"
#include "base/banned.h"

/* Centres printed in the summary when k x d is at most this; else only in the tables. */
#define SHOW_CELLS 24
/* Clusters whose expansion the dbscan summary follows. */
#define SHOW_CLUSTERS 8

/* The columns named by cols= as complete numeric rows; cols= is required. */
static int
read_cols(struct cmd_ctx *ctx, const struct cmd_args *args, const char *what, struct kit_rows *r,
          struct qerr *err)
{
    const struct arg_val *cols = args_get(args, "cols");
    if (!args_given(args, "cols"))
        return qerr_set(err, QE_ARG, "trace %s needs cols=, the numeric columns, e.g. "
                        "cols=x,y", what);
    return kit_read_complete(ctx, args_str(args, "TABLE"), (const char *const *)cols->list,
                             cols->n_list, r, err);
}

/* The table row (1-based) of complete row i. */
static long long
table_row(const struct kit_rows *r, long long i)
{
    return (r->rows ? r->rows[i] : i) + 1;
}

/* start=1,4,7: the complete rows those table rows are, into *idx (*k of them). */
static int
parse_start(const struct cmd_args *args, const struct kit_rows *r, long long **idx, int *k,
            struct qerr *err)
{
    const char *p = args_str(args, "start");
    int n = 1;
    for (const char *q = p; *q; q++)
        n += *q == ',';
    *idx = calloc((size_t)n, sizeof **idx);
    if (!*idx)
        return qerr_set(err, QE_NOMEM, "out of memory");
    for (int i = 0; i < n; i++) {
        char *end;
        errno = 0;
        long long v = strtoll(p, &end, 10);
        if (end == p || errno || (*end && *end != ',') || v < 1) {
            qerr_set(err, QE_ARG, "start= must list row numbers, e.g. start=1,4,7, not '%s'",
                     args_str(args, "start"));
            return kit_fail_at(args, "start", err);
        }
        long long at = -1;
        for (long long j = 0; j < r->n && at < 0; j++)
            if (table_row(r, j) == v)
                at = j;
        if (at < 0) {
            qerr_set(err, QE_ARG, "start= row %lld is not a row of '%s' with every column of "
                     "cols= (rows 1 to %lld; a row with a missing value cannot be a centre)",
                     v, args_str(args, "TABLE"), r->n ? table_row(r, r->n - 1) : 0);
            return kit_fail_at(args, "start", err);
        }
        (*idx)[i] = at;
        p = end + (*end == ',');
    }
    *k = n;
    if (args_given(args, "k") && args_int(args, "k") != n) {
        qerr_set(err, QE_ARG, "start= names %d rows but k=%lld; give as many rows as k", n,
                 args_int(args, "k"));
        return kit_fail_at(args, "k", err);
    }
    return 0;
}

/* "(2, 10) (6, 6)": the k centres of step s. */
static void
add_centres(struct buf *b, const struct kmeans_trace *t, int s)
{
    for (int c = 0; c < t->k; c++) {
        const double *v = kmeans_trace_centre(t, s, c);
        buf_adds(b, c ? " (" : "(");
        for (int q = 0; q < t->d; q++)
            buf_addf(b, "%s%.6g", q ? ", " : "", v[q]);
        buf_adds(b, ")");
    }
}

/* NAME (iterations), NAME_centres, NAME_points. */
static int
write_kmeans(struct cmd_ctx *ctx, const struct cmd_args *args, const char *const names[3],
             const struct kit_rows *r, const struct kmeans_trace *t, struct qerr *err)
{
    int T = t->n_iter, k = t->k, d = t->d, rc = -1;
    long long nc = (long long)(T + 1) * k, np = (long long)T * t->n;
    double *it = calloc((size_t)T * 4, sizeof *it);
    double *cv = calloc((size_t)nc * (size_t)(3 + d), sizeof *cv);
    double *pv = calloc((size_t)np * (size_t)(3 + d), sizeof *pv);
    struct frame_out *o = calloc((size_t)(3 + d), sizeof *o);
    if (!it || !cv || !pv || !o) {
        qerr_set(err, QE_NOMEM, "out of memory for the trace");
        goto out;
    }
    for (int s = 0; s < T; s++) {
        it[s] = s + 1;
        it[T + s] = (double)t->moved[s];
        it[2 * T + s] = t->inertia[s];
        it[3 * T + s] = t->shift[s];
    }
    const char *in[4] = {"iteration", "moved", "inertia", "shift"};
    for (int j = 0; j < 4; j++)
        o[j] = (struct frame_out){.name = in[j], .decl = j < 2 ? CATALOG_INTEGER : CATALOG_REAL,
                                  .num = it + (size_t)j * (size_t)T};
    if (kit_side_table(ctx, args, names[0], o, 4, T, err) < 0)
        goto out;
    for (long long i = 0; i < nc; i++) {
        int s = (int)(i / k), c = (int)(i % k);
        cv[i] = s;
        cv[nc + i] = c;
        cv[2 * nc + i] = s ? (double)t->sizes[(size_t)(s - 1) * (size_t)k + (size_t)c] : NAN;
        for (int q = 0; q < d; q++)
            cv[(3 + q) * nc + i] = kmeans_trace_centre(t, s, c)[q];
    }
    const char *cn[3] = {"iteration", "cluster", "size"};
    for (int j = 0; j < 3 + d; j++)
        o[j] = (struct frame_out){.name = j < 3 ? cn[j] : r->f->names[j - 3],
                                  .decl = j < 3 ? CATALOG_INTEGER : CATALOG_REAL,
                                  .num = cv + (size_t)j * (size_t)nc};
    if (kit_side_table(ctx, args, names[1], o, 3 + d, nc, err) < 0)
        goto out;
    for (long long i = 0; i < np; i++) {
        long long s = i / t->n, row = i % t->n;
        pv[i] = (double)(s + 1);
        pv[np + i] = (double)table_row(r, row);
        pv[2 * np + i] = t->labels[i];
        for (int q = 0; q < d; q++)
            pv[(3 + q) * np + i] = r->x[row + q * r->ld];
    }
    const char *pn[3] = {"iteration", "row", "cluster"};
    for (int j = 0; j < 3; j++)
        o[j] = (struct frame_out){.name = pn[j], .decl = CATALOG_INTEGER,
                                  .num = pv + (size_t)j * (size_t)np};
    for (int q = 0; q < d; q++)
        o[3 + q].num = pv + (size_t)(3 + q) * (size_t)np;
    rc = kit_side_table(ctx, args, names[2], o, 3 + d, np, err);
out:
    free(it);
    free(cv);
    free(pv);
    free(o);
    return rc;
}

static void
say_kmeans(struct cmd_result *res, const struct kit_rows *r, const struct kmeans_trace *t,
           const long long *from, const char *const names[3])
{
    struct buf b = BUF_INIT;
    int show = t->k * t->d <= SHOW_CELLS;
    buf_addf(&b, "k-means on %lld rows of ", r->n);
    for (int q = 0; q < t->d; q++)
        buf_addf(&b, "%s%s", q ? ", " : "", r->f->names[q]);
    buf_addf(&b, ", k=%d, starting from rows", t->k);
    for (int c = 0; c < t->k; c++)
        buf_addf(&b, "%s %lld", c ? "," : "", table_row(r, from[c]));
    buf_adds(&b, "\nstart: centres ");
    if (show)
        add_centres(&b, t, 0);
    for (int s = 0; s < t->n_iter; s++) {
        buf_addf(&b, "\niteration %d: ", s + 1);
        if (s == 0)
            buf_addf(&b, "%lld points assigned", t->moved[0]);
        else
            buf_addf(&b, "%lld moved", t->moved[s]);
        buf_addf(&b, ", inertia %.6g", t->inertia[s]);
        if (show) {
            buf_adds(&b, "; centres ");
            add_centres(&b, t, s + 1);
        }
    }
    buf_addf(&b, "\n%s after %d iteration%s; sizes", t->converged ? "converged" : "stopped at maxiter",
             t->n_iter, kit_plural(t->n_iter));
    for (int c = 0; c < t->k; c++)
        buf_addf(&b, "%s %lld", c ? "," : "",
                 t->sizes[(size_t)(t->n_iter - 1) * (size_t)t->k + (size_t)c]);
    buf_addf(&b, "\ntables %s (moved, inertia per iteration), %s, %s; plot trace %s draws them",
             names[0], names[1], names[2], names[0]);
    result_text(res, "%s", b.data);
    buf_release(&b);
}

int
cmd_trace_kmeans(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                 struct qerr *err)
{
    struct kit_rows r = {0};
    struct kmeans_trace t = {0};
    long long *from = NULL;
    double *start = NULL;
    char *names[3] = {cmd_trace_table(args, "_kmeans_trace"), NULL, NULL};
    int k = 0, rc = -1;
    names[1] = kit_name(names[0], "_centres");
    names[2] = kit_name(names[0], "_points");
    const char *claim[3] = {args->as ? NULL : names[0], names[1], names[2]};
    if (kit_claim(ctx, args, NULL, NULL, 0, NULL, claim, 3, err) < 0 ||
        read_cols(ctx, args, "kmeans", &r, err) < 0)
        goto out;
    if (args_given(args, "start")) {
        if (parse_start(args, &r, &from, &k, err) < 0)
            goto out;
    } else {
        k = args_given(args, "k") ? (int)args_int(args, "k") : 3;
        from = calloc((size_t)k, sizeof *from);
    }
    start = calloc((size_t)k * (size_t)r.d, sizeof *start);
    if (!from || !start) {
        qerr_set(err, QE_NOMEM, "out of memory");
        goto out;
    }
    if (k > r.n) {
        qerr_set(err, QE_ARG, "k=%d is more than the %lld rows with every column of cols=", k,
                 r.n);
        goto out;
    }
    if (args_given(args, "start")) {
        for (int c = 0; c < k; c++)
            for (int q = 0; q < r.d; q++)
                start[(size_t)c * (size_t)r.d + (size_t)q] = r.x[from[c] + q * r.ld];
    } else if (kmeans_plusplus(r.x, r.n, r.d, r.ld, k, (uint64_t)kit_seed(ctx, args, res), start,
                               from, err) < 0) {
        goto out;
    }
    if (kmeans_trace_run(r.x, r.n, r.d, r.ld, k, start, (int)args_int(args, "maxiter"), &t,
                         err) < 0 ||
        write_kmeans(ctx, args, (const char *const *)names, &r, &t, err) < 0)
        goto out;
    say_kmeans(res, &r, &t, from, (const char *const *)names);
    res->changed = 1;
    rc = 0;
out:
    for (int i = 0; i < 3; i++)
        free(names[i]);
    free(from);
    free(start);
    kmeans_trace_release(&t);
    kit_rows_release(&r);
    return rc;
}

static const char *const role_names[] = {[DBSCAN_CORE] = "core", [DBSCAN_BORDER] = "border",
                                         [DBSCAN_NOISE] = "noise"};

/* NAME: step, row, cluster, role, reached_from, neighbours; in the order of the expansion. */
static int
write_dbscan(struct cmd_ctx *ctx, const struct cmd_args *args, const char *name,
             const struct kit_rows *r, const struct dbscan_trace *t, struct qerr *err)
{
    long long n = t->n;
    double *v = calloc((size_t)(n ? n : 1) * 5, sizeof *v);
    const char **role = calloc((size_t)(n ? n : 1), sizeof *role);
    int rc = -1;
    if (!v || !role) {
        qerr_set(err, QE_NOMEM, "out of memory for the trace");
        goto out;
    }
    for (long long s = 0; s < n; s++) {
        long long i = t->order[s];
        v[s] = s < t->n_labelled ? (double)(s + 1) : NAN;
        v[n + s] = (double)table_row(r, i);
        v[2 * n + s] = t->label[i];
        v[3 * n + s] = t->from[i] >= 0 ? (double)table_row(r, t->from[i]) : NAN;
        v[4 * n + s] = (double)t->neighbours[i];
        role[s] = role_names[t->role[i]];
    }
    struct frame_out o[6] = {
        {.name = "step", .decl = CATALOG_INTEGER, .num = v},
        {.name = "row", .decl = CATALOG_INTEGER, .num = v + n},
        {.name = "cluster", .decl = CATALOG_INTEGER, .num = v + 2 * n},
        {.name = "role", .decl = CATALOG_TEXT, .text = role},
        {.name = "reached_from", .decl = CATALOG_INTEGER, .num = v + 3 * n},
        {.name = "neighbours", .decl = CATALOG_INTEGER, .num = v + 4 * n},
    };
    rc = kit_side_table(ctx, args, name, o, 6, n, err);
out:
    free(v);
    free((void *)role);
    return rc;
}

/* The first rows of the expansion as "3 (from 1)", for the summary. */
static void
say_dbscan(struct cmd_result *res, const struct kit_rows *r, const struct dbscan_trace *t,
           double eps, long long minpts, const char *name)
{
    struct buf b = BUF_INIT;
    long long core = 0, border = 0;
    for (long long i = 0; i < t->n; i++) {
        core += t->role[i] == DBSCAN_CORE;
        border += t->role[i] == DBSCAN_BORDER;
    }
    buf_addf(&b, "dbscan on %lld rows, eps=%g, minpts=%lld: %d cluster%s, %lld core, %lld "
             "border, %lld noise", t->n, eps, minpts, t->n_clusters, kit_plural(t->n_clusters),
             core, border, t->n - t->n_labelled);
    int cl = -1, shown = 0;
    for (long long s = 0; s < t->n_labelled; s++) {
        long long i = t->order[s];
        if (t->label[i] != cl && t->label[i] == SHOW_CLUSTERS) {
            buf_addf(&b, "\n... %d more clusters", t->n_clusters - SHOW_CLUSTERS);
            break;
        }
        if (t->label[i] != cl) {
            cl = t->label[i];
            shown = 0;
            buf_addf(&b, "\ncluster %d: row %lld (core) starts it;", cl, table_row(r, i));
            continue;
        }
        if (shown++ == 12) {
            buf_adds(&b, " ...");
            continue;
        }
        if (shown > 12)
            continue;
        buf_addf(&b, " %lld %s from %lld%s", table_row(r, i), role_names[t->role[i]],
                 table_row(r, t->from[i]), s + 1 < t->n_labelled &&
                 t->label[t->order[s + 1]] == cl ? "," : "");
    }
    buf_addf(&b, "\ntable %s (step, row, cluster, role, reached_from, neighbours)", name);
    result_text(res, "%s", b.data);
    buf_release(&b);
}

int
cmd_trace_dbscan(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                 struct qerr *err)
{
    struct kit_rows r = {0};
    struct dbscan_trace t = {0};
    char *name = cmd_trace_table(args, "_dbscan_trace");
    const char *claim[1] = {args->as ? NULL : name};
    int rc = -1;
    if (!args_given(args, "eps")) {
        qerr_set(err, QE_ARG, "trace dbscan needs eps=, the neighbourhood radius");
        qerr_hint(err, "cluster TABLE cols=... method=dbscan suggests one when eps is left out");
        goto out;
    }
    double eps = args_real(args, "eps");
    if (kit_claim(ctx, args, NULL, NULL, 0, NULL, claim, 1, err) < 0 ||
        read_cols(ctx, args, "dbscan", &r, err) < 0 ||
        dbscan_trace_run(r.x, r.n, r.d, r.ld, eps, (int)args_int(args, "minpts"), &t, err) < 0 ||
        write_dbscan(ctx, args, name, &r, &t, err) < 0)
        goto out;
    say_dbscan(res, &r, &t, eps, args_int(args, "minpts"), name);
    res->changed = 1;
    rc = 0;
out:
    free(name);
    dbscan_trace_release(&t);
    kit_rows_release(&r);
    return rc;
}
