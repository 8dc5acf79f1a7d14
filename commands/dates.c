/*
 * dates.c: columns plus a date column read as seconds for rfm, series and
 * sessions, with an example of a value that did not parse, looked up by
 * rowid.
 */
#include "dates.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/banned.h"

/* Give up looking for a non-NULL unparseable value after this many missing rows. */
#define EXAMPLE_TRIES 1000

static enum catalog_kind
decl_of(char **names, char **decls, int n, const char *col)
{
    for (int i = 0; i < n; i++)
        if (strcasecmp(names[i], col) == 0)
            return catalog_kind_of_decl(decls[i]);
    return CATALOG_OTHER;
}

/* One value of column j of f that is missing but not NULL, by rowid. */
static char *
bad_example(struct cmd_ctx *ctx, const char *table, const struct frame *f, int j)
{
    sqlite3 *db = catalog_db(ctx->cat);
    sqlite3_stmt *st = NULL;
    char *out = NULL;
    char *sql = sqlite3_mprintf("SELECT \"%w\" FROM \"%w\" WHERE rowid = ?1", f->names[j], table);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        int tries = 0;
        for (long long r = 0; r < f->n_rows && tries < EXAMPLE_TRIES && !out; r++) {
            if (!frame_missing(f, j, r))
                continue;
            tries++;
            sqlite3_bind_int64(st, 1, f->rowid[r]);
            if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
                out = xstrdup((const char *)sqlite3_column_text(st, 0));
            sqlite3_reset(st);
        }
    }
    sqlite3_finalize(st);
    sqlite3_free(sql);
    return out;
}

int
dates_read(struct cmd_ctx *ctx, const char *table, const char *const *cols, int n_cols,
           const char *date, struct dated *d, struct qerr *err)
{
    char **names = NULL, **decls = NULL;
    int n = 0, rc = -1;
    memset(d, 0, sizeof(*d));
    if (cmd_table_columns(ctx, table, &names, &decls, &n, err) < 0)
        return -1;
    enum catalog_kind dk = decl_of(names, decls, n, date);
    if (dk == CATALOG_INTEGER || dk == CATALOG_REAL) {
        qerr_set(err, QE_ARG, "column '%s' holds numbers, not dates; give a column of dates "
                 "such as 2024-05-17 or 2024-05-17T10:00:00", date);
        goto out;
    }
    /*
     * Two reads: the other columns usually come from the frame cache (load
     * keeps numeric columns there), so only the dates cost a pass over the
     * table. Reading all in one FRAME_TIMES pass is 15% faster when
     * nothing is cached, 20% slower when the numbers are (bench/RESULTS.md).
     */
    if (frame_read(ctx->cat, table, cols, n_cols, 0, ctx->progress, ctx->pctx, &d->f, err) < 0 ||
        frame_read(ctx->cat, table, &date, 1, FRAME_TIMES, ctx->progress, ctx->pctx, &d->ft,
                   err) < 0)
        goto out;
    d->t = frame_col(d->ft, 0);
    d->date_name = d->ft->names[0];
    d->n_bad = d->ft->n_nonnum[0];
    if (d->n_bad > 0)
        d->bad_example = bad_example(ctx, table, d->ft, 0);
    rc = 0;
out:
    cmd_free_names(names, n);
    cmd_free_names(decls, n);
    if (rc < 0)
        dates_release(d);
    return rc;
}

void
dates_release(struct dated *d)
{
    frame_release(d->f);
    frame_release(d->ft);
    free(d->bad_example);
    memset(d, 0, sizeof(*d));
}

/* Derived columns (no declared type) read as text: read them again as numbers. */
int
dates_numbers(struct cmd_ctx *ctx, const char *table, const struct frame *f, int j,
              struct frame **num, const double **x, struct qerr *err)
{
    *x = NULL;
    if (f->kind[j] == FRAME_NUM) {
        *x = frame_col(f, j);
        return 0;
    }
    if (f->decl[j] != CATALOG_OTHER)
        return 0;
    const char *col = f->names[j];
    if (frame_read(ctx->cat, table, &col, 1, FRAME_ALL_NUMERIC, ctx->progress, ctx->pctx, num,
                   err) < 0)
        return -1;
    *x = frame_col(*num, 0);
    return 0;
}
