/*
 * remote_kit.c: what every pushed-down command shares (remote.h): the
 * kind of a PostgreSQL column type, the check that the columns a
 * statement names hold what the command needs, and the write-back of the
 * rows that came back as a new table, the key column first.
 */
#include "remote.h"

#include <stdlib.h>
#include <string.h>

#include "kit.h"
#include "base/banned.h"

int
remote_type_kind(const char *t)
{
    if (!strcmp(t, "integer") || !strcmp(t, "bigint") || !strcmp(t, "smallint"))
        return 1;
    if (!strncmp(t, "numeric", 7) || !strcmp(t, "double precision") || !strcmp(t, "real"))
        return 2;
    if (!strncmp(t, "timestamp", 9) || !strcmp(t, "date"))
        return -1;
    return 0;
}

int
remote_check_kinds(const struct cmd_args *args, const char *table,
                   const struct remote_need *spec, int n, int *kind, struct qerr *err)
{
    for (int i = 0; i < n; i++) {
        char *type = NULL;
        kind[i] = 0;
        if (!args_given(args, spec[i].key))
            continue;
        if (remote_column(table, args_str(args, spec[i].key), &type, err) < 0)
            return kit_fail_at(args, spec[i].key, err);
        kind[i] = remote_type_kind(type);
        free(type);
        int bad = spec[i].need == REMOTE_NUMBER   ? kind[i] <= 0
                  : spec[i].need == REMOTE_TIME   ? kind[i] > 0
                  : spec[i].need == REMOTE_TEXT   ? kind[i] != 0
                                                  : 0;
        if (bad) {
            qerr_set(err, QE_ARG, spec[i].refuse, args_str(args, spec[i].key));
            return kit_fail_at(args, spec[i].key, err);
        }
    }
    return 0;
}

int
remote_write(struct cmd_ctx *ctx, const struct cmd_args *args, const struct remote_key *k,
             const struct frame_out *rest, int n_rest, long long n, struct qerr *err)
{
    size_t m = (size_t)(n ? n : 1);
    struct frame_out *outs = xcalloc((size_t)n_rest + 1, sizeof *outs);
    double *kn = NULL;
    const char **kt = NULL;
    int first = k ? 1 : 0;
    if (!k) {
    } else if (k->kind > 0) { /* numbers come back as their text: read them again */
        kn = xcalloc(m, sizeof *kn);
        for (long long i = 0; i < n; i++)
            kn[i] = strtod(k->keys[k->idx[i]], NULL);
        outs[0].num = kn;
        outs[0].decl = k->kind == 1 ? CATALOG_INTEGER : CATALOG_REAL;
    } else {
        kt = xcalloc(m, sizeof *kt);
        for (long long i = 0; i < n; i++)
            kt[i] = k->keys[k->idx[i]];
        outs[0].text = kt;
        outs[0].decl = CATALOG_TEXT;
    }
    if (k)
        outs[0].name = k->name;
    if (n_rest)
        memcpy(outs + first, rest, (size_t)n_rest * sizeof *outs);
    int rc = kit_side_table(ctx, args, args->as, outs, n_rest + first, n, err);
    free(kn);
    free(kt);
    free(outs);
    return rc;
}

int
remote_sharded(const struct remote_ref *r, struct qerr *err)
{
    char **leaves = NULL;
    int n = 0;
    if (pg_leaves(r->c, r->schema, r->table, &leaves, &n, err) < 0)
        return -1;
    pg_names_free(leaves, n);
    return n > 0;
}
