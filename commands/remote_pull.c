/*
 * remote_pull.c: the pushed-down commands whose result comes back as
 * rows into a local table (src/remote/pull.h): `sample NAME.table` draws
 * on the server and brings back only the sample; `rules NAME.table
 * tid=COL item=COL` (or basket=COL) gathers each basket's items on the
 * server, brings back one row per basket into NAME_baskets, and mines it
 * here as the local rules does.
 */
#include "remote.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"
#include "remote/pull.h"
#include "base/banned.h"

/* The columns of r, quoted and joined with commas; malloc'd. */
static char *
column_list(const struct remote_ref *r, int *n_cols, struct qerr *err)
{
    char **names = NULL, **types = NULL;
    int n = 0;
    if (pg_columns(r->c, r->schema, r->table, &names, &types, &n, err) < 0)
        return NULL;
    struct buf b = BUF_INIT;
    for (int i = 0; i < n; i++) {
        char *id = pg_ident(names[i]);
        buf_addf(&b, "%s%s", i ? ", " : "", id);
        free(id);
    }
    pg_names_free(names, n);
    pg_names_free(types, n);
    *n_cols = n;
    return buf_detach(&b);
}

int
remote_sample(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
              struct qerr *err)
{
    const char *table = args_str(args, "TABLE");
    struct remote_ref r = {0};
    struct buf b = BUF_INIT;
    char *cols = NULL;
    int n_cols = 0, rc = -1, by_n = args_given(args, "n");
    double est = -1;
    long long got = 0, want = by_n ? args_int(args, "n") : -1;
    if (args_given(args, "stratify")) {
        qerr_set(err, QE_ARG, "a stratified sample of a remote table is drawn here: load %s "
                 "as T first, or leave out stratify= to draw on the server", table);
        return kit_fail_at(args, "stratify", err);
    }
    if (!by_n && !args_given(args, "frac")) {
        qerr_set(err, QE_ARG, "say how many rows");
        qerr_hint(err, "n=1000 for a number of rows, frac=0.1 for a share");
        return -1;
    }
    if (remote_resolve(table, &r, err) < 0 || !(cols = column_list(&r, &n_cols, err)))
        goto out;
    long long seed = kit_seed(ctx, args, res);
    /* setseed takes [-1, 1]; random() is then the same sequence for the same seed */
    buf_addf(&b, "SELECT setseed(%.17g)", (double)(seed % 1000000007LL) / 1000000007.0);
    char *setseed = buf_detach(&b);
    if (by_n)
        buf_addf(&b, "SELECT %s FROM %s ORDER BY random() LIMIT %lld", cols, r.relation, want);
    else /* the exact count the local sample takes: frac x rows, rounded */
        buf_addf(&b, "SELECT %s FROM (SELECT %s, row_number() OVER (ORDER BY random()) AS "
                 "quarry_k, count(*) OVER () AS quarry_n FROM %s) AS s WHERE quarry_k <= "
                 "floor(%.17g * quarry_n + 0.5)", cols, cols, r.relation,
                 args_real(args, "frac"));
    if (remote_dry()) {
        result_text(res, "sample would first seed the server's random(): %s", setseed);
        rc = remote_plan(res, r.c, "sample", b.data, err);
        free(setseed);
        goto out;
    }
    struct buf e = BUF_INIT;
    buf_addf(&e, "SELECT * FROM %s", r.relation);
    rc = pg_estimate(r.c, e.data, &est, err);
    buf_release(&e);
    double expect = by_n ? (double)want : est * args_real(args, "frac");
    if (rc == 0 && (rc = remote_fits(table, expect, n_cols, "drawn", err)) == 0)
        rc = pg_exec(r.c, setseed, err);
    free(setseed);
    if (rc < 0 || (rc = pg_pull(r.c, catalog_db(ctx->cat), b.data, args->as, expect,
                                kit_progress, ctx, &got, err)) < 0)
        goto out;
    if (by_n && got < want) {
        qerr_set(err, QE_ARG, "n=%lld is more than the %lld rows of %s", want, got, table);
        qerr_hint(err, "sampling is without replacement; ask for at most %lld", got);
        rc = kit_fail_at(args, "n", err);
        goto out;
    }
    result_text(res, "sample: pushed down to PostgreSQL (%lld row%s came back): %s", got,
                kit_plural(got), b.data);
    result_text(res, "sampled %lld of about %.0f rows (PostgreSQL's estimate) of %s into %s",
                got, est, table, args->as);
    res->changed = 1;
out:
    free(cols);
    buf_release(&b);
    remote_ref_release(&r);
    return rc;
}

/* The byte between a basket's items as they come back: one no item name holds. */
#define BASKET_SEP "\x1f"

int
remote_rules(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
             struct qerr *err)
{
    const char *table = args_str(args, "TABLE");
    struct remote_ref r = {0};
    struct buf b = BUF_INIT, st = BUF_INIT;
    char *name = NULL, *dest = NULL;
    int rc = -1, is_long = args_given(args, "tid");
    long long got = 0;
    if (!is_long && !args_given(args, "basket")) {
        qerr_set(err, QE_ARG, "rules over a remote table gathers baskets on the server: give "
                 "tid=COL item=COL (one row per item bought) or basket=COL");
        return kit_fail_at(args, "TABLE", err);
    }
    if (remote_resolve(table, &r, err) < 0)
        goto out;
    name = args->as ? xstrdup(args->as) : kit_name(strrchr(table, '.') + 1, "_rules");
    dest = kit_name(name, "_baskets");
    if (is_long) {
        char *t = pg_ident(args_str(args, "tid")), *i = pg_ident(args_str(args, "item"));
        /* one row per basket: its distinct items, in byte order, joined by BASKET_SEP */
        buf_addf(&b, "SELECT string_agg(DISTINCT i, chr(31) ORDER BY i) AS items FROM (SELECT "
                 "%s AS t, CAST(%s AS text) AS i FROM %s WHERE %s IS NOT NULL AND %s IS NOT "
                 "NULL) AS r GROUP BY t", t, i, r.relation, t, i);
        free(t);
        free(i);
    } else {
        char *k = pg_ident(args_str(args, "basket"));
        buf_addf(&b, "SELECT CAST(%s AS text) AS items FROM %s", k, r.relation);
        free(k);
    }
    if (remote_dry()) {
        rc = remote_plan(res, r.c, "rules", b.data, err);
        goto out;
    }
    const char *claim[1] = {dest};
    if (kit_claim(ctx, args, NULL, NULL, 0, NULL, claim, 1, err) < 0 ||
        pg_pull(r.c, catalog_db(ctx->cat), b.data, dest, -1, kit_progress, ctx, &got, err) < 0)
        goto out;
    result_text(res, "rules: baskets gathered on PostgreSQL (%lld row%s came back into %s): %s",
                got, kit_plural(got), dest, b.data);
    /* the local rules over the baskets, with the statement's own options */
    buf_addf(&st, "rules %s basket=items sep='%s'", dest,
             is_long ? BASKET_SEP : args_str(args, "sep"));
    static const char *const keep[] = {"method", "minsup", "minconf", "minlift", "maxlen",
                                       "target", "closed", "maximal", "force", "trace",
                                       "replace"};
    for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++)
        if (args_given(args, keep[i])) {
            buf_addf(&st, " %s='", keep[i]);
            for (const char *v = args_str(args, keep[i]); *v; v++)
                buf_add(&st, *v == '\'' ? "''" : v, *v == '\'' ? 2 : 1);
            buf_addc(&st, '\'');
        }
    buf_addf(&st, " as %s", name);
    struct cmd_args a2;
    if (cmd_parse(ctx, st.data, &a2, err) < 0) {
        err->pos = -1;
        goto out;
    }
    rc = a2.cmd->exec(ctx, &a2, res, err);
    args_release(&a2);
    res->changed = 1;
out:
    free(name);
    free(dest);
    buf_release(&b);
    buf_release(&st);
    remote_ref_release(&r);
    return rc;
}
