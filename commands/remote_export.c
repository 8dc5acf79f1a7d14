/*
 * remote_export.c: `export T NAME.table [replace=yes]`: a local table
 * sent to an attached PostgreSQL database in bulk (COPY ... FROM STDIN,
 * src/remote/copy_out.h), so a segmentation made here can go back to
 * where the data lives.
 */
#include "remote.h"

#include "kit.h"
#include "remote/copy_out.h"
#include "base/banned.h"

int
remote_export(struct cmd_ctx *ctx, struct cmd_result *res, const char *table, const char *name,
              int replace, struct qerr *err)
{
    struct remote_ref r;
    long long n = 0;
    if (remote_target(name, &r, err) < 0)
        return -1;
    int rc = pg_copy_out(r.c, catalog_db(ctx->cat), table, r.schema, r.table, replace,
                         kit_progress, ctx, &n, err);
    if (rc < 0 && err->code == QE_ARG)
        qerr_hint(err, "to replace it, type: export %s %s replace=yes", table, name);
    if (rc == 0)
        result_text(res, "wrote %lld row%s of '%s' to PostgreSQL as %s.%s (COPY)", n,
                    kit_plural(n), table, r.schema, r.table);
    remote_ref_release(&r);
    return rc;
}
