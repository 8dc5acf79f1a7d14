/*
 * frame_coltab.c: frame_write_columns (see frame.h): a command's new table
 * made as a column table (docs/COLUMNS.md), created empty and its arrays
 * then put straight from the outs by coltab_put, no row passing through
 * SQL. So the tables commands make beside their input (t_clusters,
 * forecast, series and rfm outputs, ...) live as columns as load's do
 * (issue 18), and SQL sees the same table as frame_write_new's. Also
 * frame_keep_rows: the rows a copy that drops rows keeps (sample ... as,
 * clean fill=drop as), for write_columns (frame_write.c).
 */
#include "data/frame.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/mem.h"
#include "data/catalog.h"
#include "data/coltab.h"
#include "data/frame_int.h"

#include "base/banned.h"

const char *
frame_decl_name(enum catalog_kind k)
{
    switch (k) {
    case CATALOG_INTEGER: return "INTEGER";
    case CATALOG_REAL: return "REAL";
    case CATALOG_DATE: return "DATE_TEXT";
    case CATALOG_TIMESTAMP: return "TIMESTAMP_TEXT";
    case CATALOG_TEXT: return "TEXT";
    case CATALOG_OTHER: return "";
    }
    return "";
}

/* A name SQL reads as the row id: such a column stays in an ordinary table. */
static int
rowid_alias(const char *name)
{
    return strcasecmp(name, "rowid") == 0 || strcasecmp(name, "_rowid_") == 0 ||
           strcasecmp(name, "oid") == 0;
}

int
frame_write_columns(struct catalog *cat, const char *name, const struct frame_out *outs,
                    int n_outs, long long n_rows, int replace, struct qerr *err)
{
    sqlite3 *db = catalog_db(cat);
    if (n_outs < 1 || n_outs > coltab_max_columns(db))
        return 1;
    for (int i = 0; i < n_outs; i++)
        if (rowid_alias(outs[i].name) || (!outs[i].text && !outs[i].num))
            return 1;
    struct buf sql = BUF_INIT;
    if (replace) {
        buf_adds(&sql, "DROP TABLE IF EXISTS ");
        buf_add_ident(&sql, name);
        int rc = catalog_exec(db, sql.data, err);
        buf_release(&sql);
        if (rc < 0)
            return -1;
    }
    if (catalog_has_table(cat, name))
        return qerr_set(err, QE_ARG, "a table named '%s' exists already", name);
    double t0 = frame_now();
    struct coltab_col *cols = xcalloc((size_t)n_outs + 1, sizeof *cols);
    sqlite3_int64 *rowid = NULL;
    int rc = -1;
    buf_adds(&sql, "CREATE VIRTUAL TABLE main.");
    buf_add_ident(&sql, name);
    buf_adds(&sql, " USING columns(");
    for (int i = 0; i < n_outs; i++) {
        buf_adds(&sql, i ? ", " : "");
        buf_add_ident(&sql, outs[i].name);
        buf_addf(&sql, " %s", frame_decl_name(outs[i].decl));
        cols[i] = (struct coltab_col){.name = outs[i].name, .num = outs[i].num,
                                      .as_int = outs[i].decl == CATALOG_INTEGER,
                                      .text = outs[i].text};
    }
    buf_adds(&sql, ")");
    rowid = mem_alloc((size_t)n_rows + 1, sizeof *rowid, name, "the table's rows", err);
    if (!rowid || coltab_register(db, err) < 0 || catalog_exec(db, sql.data, err) < 0)
        goto out;
    for (long long i = 0; i < n_rows; i++)
        rowid[i] = i + 1;
    rc = n_rows ? coltab_put(db, name, cols, n_outs, rowid, n_rows, err) : 0;
    if (rc == 1) { /* not taken: leave no trace, the caller writes rows instead */
        buf_reset(&sql);
        buf_adds(&sql, "DROP TABLE main.");
        buf_add_ident(&sql, name);
        if (coltab_discard(db, name, err) < 0 || catalog_exec(db, sql.data, err) < 0)
            rc = -1;
    }
out:
    frame_add_write_time(cat, frame_now() - t0);
    buf_release(&sql);
    free(cols);
    free(rowid);
    return rc;
}

int
frame_keep_rows(const struct frame *f, const unsigned char *keep,
                const struct frame_out *outs, int n_outs, struct frame_kept *k,
                struct qerr *err)
{
    memset(k, 0, sizeof(*k));
    long long n = 0;
    for (long long r = 0; r < f->n_rows; r++)
        n += keep[r] != 0;
    k->rowid = mem_alloc((size_t)n + 1, sizeof *k->rowid, "the copy", "its rows", err);
    k->outs = xcalloc((size_t)n_outs + 1, sizeof *k->outs);
    k->n_outs = n_outs;
    if (!k->rowid)
        goto fail;
    for (long long r = 0, i = 0; r < f->n_rows; r++)
        if (keep[r])
            k->rowid[i++] = f->rowid[r];
    for (int j = 0; j < n_outs; j++) {
        const struct frame_out *o = &outs[j];
        k->outs[j] = (struct frame_out){.name = o->name, .decl = o->decl};
        if (o->text) {
            const char **t = mem_alloc((size_t)n + 1, sizeof *t, "the copy", o->name, err);
            if (!t)
                goto fail;
            for (long long r = 0, i = 0; r < f->n_rows; r++)
                if (keep[r])
                    t[i++] = o->text[r];
            k->outs[j].text = t;
        } else if (o->num) {
            double *x = mem_alloc((size_t)n + 1, sizeof *x, "the copy", o->name, err);
            if (!x)
                goto fail;
            for (long long r = 0, i = 0; r < f->n_rows; r++)
                if (keep[r])
                    x[i++] = o->num[r];
            k->outs[j].num = x;
        }
    }
    k->n = n;
    return 0;
fail:
    frame_kept_release(k);
    return -1;
}

void
frame_kept_release(struct frame_kept *k)
{
    for (int j = 0; k->outs && j < k->n_outs; j++) {
        free((void *)k->outs[j].text);
        free((void *)k->outs[j].num);
    }
    free(k->outs);
    free(k->rowid);
    memset(k, 0, sizeof(*k));
}
