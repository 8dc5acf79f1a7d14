/*
 * frame_write.c: frame_write, frame_write_new and frame_write_replace (see frame.h).
 *
 * New tables and rebuilds go through the row source of row_source.h, the
 * virtual table quarry_frame_out, which walks the frame's kept rows and
 * returns (c0 = rowid, c1, c2, ...) from the caller's arrays; one statement
 *   INSERT INTO dest(rowid, ...) SELECT o.c0, ... FROM quarry_frame_out o
 *       CROSS JOIN src s ON s.rowid = o.c0
 * builds the result, looking each source row up by rowid in ascending
 * order (no join when every column is new). In place, dest is a scratch
 * table that then replaces src. Where a column is named rowid, the SQL
 * says _rowid_ or oid instead (catalog_rowid_name): a user's column must
 * never stand in for the row ids.
 */
#include "data/frame.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/mem.h"
#include "base/tick.h"
#include "data/catalog_edit.h"
#include "data/coltab.h"
#include "data/frame_int.h"
#include "data/row_source.h"

#include "base/banned.h"

#define OUT_TABLE "quarry_frame_out"

/* --- writing -------------------------------------------------------------- */

/*
 * The rows to write, for the row source (row_source.h): column 0 is the
 * rowid (the frame's, or row + 1), column i + 1 the value of outs[i].
 */
struct out_src {
    const struct frame_out *outs;
    int n_outs;
    long long n_rows;
    const sqlite3_int64 *rowid; /* NULL: rid = row + 1 */
    const unsigned char *keep;
    long long row;              /* the current row; -1 before the first */
    struct tick *tk;            /* progress by the clock; a cancel ends the statement */
    long long calls;            /* rows handed out, for tick_row */
    struct qerr *err;           /* where the cancel is said */
};

static void
out_rewind(void *ctx)
{
    ((struct out_src *)ctx)->row = -1;
}

static int
out_next(void *ctx)
{
    struct out_src *s = ctx;
    if (tick_row(s->tk, s->calls++, -1))
        return tick_fail(s->err);
    s->row++;
    while (s->row < s->n_rows && s->keep && !s->keep[s->row])
        s->row++;
    return s->row < s->n_rows;
}

/* The value of out o at row, as SQL: NaN is NULL, whole numbers in INTEGER columns integers. */
static void
result_value(sqlite3_context *sc, const struct frame_out *o, long long row)
{
    if (o->text) {
        const char *v = o->text[row];
        if (v)
            sqlite3_result_text(sc, v, -1, SQLITE_STATIC);
        else
            sqlite3_result_null(sc);
        return;
    }
    double v = o->num[row];
    if (isnan(v))
        sqlite3_result_null(sc);
    else if (o->decl == CATALOG_INTEGER && v == floor(v) && fabs(v) < 9007199254740992.0)
        sqlite3_result_int64(sc, (sqlite3_int64)v);
    else
        sqlite3_result_double(sc, v);
}

static void
out_column(void *ctx, sqlite3_context *sc, int i)
{
    const struct out_src *s = ctx;
    if (i == 0)
        sqlite3_result_int64(sc, s->rowid ? s->rowid[s->row] : s->row + 1);
    else
        result_value(sc, &s->outs[i - 1], s->row);
}

/*
 * Run sql with the rows of src readable as quarry_frame_out (c0 the
 * rowid, c<i + 1> outs[i]), ticking progress as rows are read. A cancel
 * fails the statement with an ordinary error (SQLite then undoes that
 * statement alone), never SQLITE_INTERRUPT, which would roll back the
 * catalog's whole transaction: every undo level with it.
 */
static int
run_with_rows(sqlite3 *db, struct out_src *src, const char *sql,
              int (*progress)(void *, double), void *pctx, struct qerr *err)
{
    struct tick tk;
    tick_init(&tk, progress, pctx);
    src->tk = &tk;
    src->calls = 0;
    src->err = err;
    struct row_source rows = {
        .name = OUT_TABLE, .n_cols = src->n_outs + 1, .n_hint = src->n_rows, .ctx = src,
        .next = out_next, .column = out_column, .rewind = out_rewind,
    };
    src->row = -1;
    return row_source_run(db, &rows, sql, NULL, err);
}

/* name as a quoted identifier (as sqlite3_mprintf's %w, without its allocation that can fail) */
static void
add_ident(struct buf *b, const char *name)
{
    buf_addc(b, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"')
            buf_addc(b, '"');
        buf_addc(b, *p);
    }
    buf_addc(b, '"');
}

/*
 * The name of src's rowid once the outs are its columns too: rowid,
 * _rowid_ or oid, whichever no column takes (catalog_rowid_name).
 */
static const char *
rowid_name(sqlite3 *db, const char *src, const struct frame_out *outs, int n_outs,
           struct qerr *err)
{
    const char **more = xcalloc((size_t)n_outs + 1, sizeof *more);
    for (int i = 0; i < n_outs; i++)
        more[i] = outs[i].name;
    const char *rid = catalog_rowid_name(db, src, more, n_outs, err);
    free(more);
    return rid;
}

int
frame_write_new(struct catalog *cat, const char *name, const struct frame_out *outs,
                int n_outs, long long n_rows, int (*progress)(void *, double), void *pctx,
                struct qerr *err)
{
    sqlite3 *db = catalog_db(cat);
    struct buf sql = BUF_INIT;
    if (catalog_has_table(cat, name))
        return qerr_set(err, QE_ARG, "a table named '%s' exists already", name);
    buf_adds(&sql, "CREATE TABLE ");
    add_ident(&sql, name);
    buf_adds(&sql, " (");
    for (int i = 0; i < n_outs; i++) {
        if (i)
            buf_adds(&sql, ", ");
        add_ident(&sql, outs[i].name);
        buf_addf(&sql, " %s", frame_decl_name(outs[i].decl));
    }
    buf_adds(&sql, ");\nINSERT INTO ");
    add_ident(&sql, name);
    buf_adds(&sql, " SELECT ");
    for (int i = 0; i < n_outs; i++)
        buf_addf(&sql, "%sc%d", i ? ", " : "", i + 1);
    buf_adds(&sql, " FROM " OUT_TABLE " " ROW_SOURCE_STMT_JOURNAL);
    struct out_src src = {.outs = outs, .n_outs = n_outs, .n_rows = n_rows};
    double t0 = frame_now();
    int rc = run_with_rows(db, &src, sql.data, progress, pctx, err);
    frame_add_write_time(cat, frame_now() - t0);
    buf_release(&sql);
    return rc;
}

int
frame_write_replace(struct catalog *cat, const char *name, const struct frame_out *outs,
                    int n_outs, long long n_rows, int (*progress)(void *, double), void *pctx,
                    struct qerr *err)
{
    struct buf sql = BUF_INIT;
    buf_adds(&sql, "DROP TABLE IF EXISTS ");
    add_ident(&sql, name);
    int rc = catalog_exec(catalog_db(cat), sql.data, err);
    buf_release(&sql);
    return rc < 0 ? -1 : frame_write_new(cat, name, outs, n_outs, n_rows, progress, pctx, err);
}

/*
 * In place without changing any declared type: UPDATE the replaced
 * columns, ADD the new ones, DELETE the rows not kept. Each row's values
 * come from quarry_frame_val(i, rowid), which finds the frame row of a
 * rowid; the UPDATE walks the table in rowid order, so the next row is
 * almost always the one after the last. Only the rows whose values
 * change are rewritten (changed_rows). Even when every row changes this
 * is no slower than a rebuild (copy, then drop): 1.00 s against 1.04 s to
 * load and scale 1,000,000 x 7 doubles, whole process, paired runs.
 */
struct val_ctx {
    const struct frame_write *w;
    const unsigned char *changed; /* rows to rewrite; NULL = all */
    long long hint;
    struct tick tk;               /* w's progress, by the clock */
    long long calls;              /* function calls so far, for tick_row */
    struct qerr *err;
};

/*
 * Nonzero when progress cancels: the function then fails its statement
 * with an ordinary error (see run_with_rows), and err says why.
 */
static int
val_cancelled(struct val_ctx *v, sqlite3_context *sc)
{
    if (!tick_row(&v->tk, v->calls++, -1))
        return 0;
    tick_fail(v->err);
    sqlite3_result_error(sc, "interrupted", -1);
    return 1;
}

static long long
row_of(struct val_ctx *v, sqlite3_int64 rid)
{
    const struct frame *f = v->w->f;
    long long h = v->hint;
    if (h < f->n_rows && f->rowid[h] == rid)
        return h;
    if (h + 1 < f->n_rows && f->rowid[h + 1] == rid)
        return v->hint = h + 1;
    long long lo = 0, hi = f->n_rows - 1;
    while (lo <= hi) {
        long long mid = lo + (hi - lo) / 2;
        if (f->rowid[mid] < rid)
            lo = mid + 1;
        else if (f->rowid[mid] > rid)
            hi = mid - 1;
        else
            return v->hint = mid;
    }
    return -1;
}

static void
val_func(sqlite3_context *sc, int argc, sqlite3_value **argv)
{
    struct val_ctx *v = sqlite3_user_data(sc);
    if (val_cancelled(v, sc))
        return;
    int i = sqlite3_value_int(argv[0]);
    long long row = row_of(v, sqlite3_value_int64(argv[1]));
    if (row < 0 || i < 0 || i >= v->w->n_outs)
        sqlite3_result_null(sc); /* a row the frame does not have: cannot happen */
    else
        result_value(sc, &v->w->outs[i], row);
}

static void
keep_func(sqlite3_context *sc, int argc, sqlite3_value **argv)
{
    struct val_ctx *v = sqlite3_user_data(sc);
    if (val_cancelled(v, sc))
        return;
    long long row = row_of(v, sqlite3_value_int64(argv[0]));
    sqlite3_result_int(sc, row >= 0 && v->w->keep[row] != 0);
}

static void
changed_func(sqlite3_context *sc, int argc, sqlite3_value **argv)
{
    struct val_ctx *v = sqlite3_user_data(sc);
    if (val_cancelled(v, sc))
        return;
    long long row = row_of(v, sqlite3_value_int64(argv[0]));
    sqlite3_result_int(sc, row >= 0 && v->changed[row] != 0);
}

static int
same_value(double old, int old_missing, double new)
{
    if (old_missing || isnan(new))
        return old_missing && isnan(new);
    return memcmp(&old, &new, sizeof(old)) == 0;
}

/*
 * Which rows the write changes, found by comparing each written column
 * with its cached values (frame_cache_values): rewriting a row costs
 * SQLite the same however few of its cells change, so a fill of a few
 * missing cells should not rewrite the whole table. changed[i] tells
 * whether column i changes at all. Returns the rows, or NULL when every
 * row changes or may (a text or new column, or no cached values).
 */
static unsigned char *
changed_rows(struct catalog *cat, const struct frame_write *w, unsigned char *changed)
{
    const struct frame *f = w->f;
    unsigned char *rows = NULL;
    memset(changed, 1, (size_t)w->n_outs);
    for (int i = 0; i < w->n_outs; i++) {
        const struct frame_out *o = &w->outs[i];
        const unsigned char *mask = NULL;
        const double *old =
            o->text ? NULL : frame_cache_values(cat, w->src, o->name, f, o->num, &mask);
        if (!old) {
            free(rows);
            memset(changed, 1, (size_t)w->n_outs);
            return NULL;
        }
        /* out of memory for the flags: rewrite every row, as without a cache */
        if (!rows && !(rows = mem_calloc((size_t)f->n_rows + 1, 1, "frame", "row flags", NULL))) {
            memset(changed, 1, (size_t)w->n_outs);
            return NULL;
        }
        int any = 0;
        for (long long r = 0; r < f->n_rows; r++) {
            int differs = !same_value(old[r], mask && mask[r], o->num[r]);
            rows[r] |= (unsigned char)differs;
            any |= differs;
        }
        changed[i] = (unsigned char)any;
    }
    long long count = 0;
    for (long long r = 0; rows && r < f->n_rows; r++)
        count += rows[r];
    if (rows && count == f->n_rows) { /* every row: no need to ask */
        free(rows);
        rows = NULL;
    }
    return rows;
}

static int
update_in_place(struct catalog *cat, const struct frame_write *w, char **names, int n,
                struct qerr *err)
{
    sqlite3 *db = catalog_db(cat);
    const char *rid = rowid_name(db, w->src, w->outs, w->n_outs, err);
    if (!rid)
        return -1;
    /* A column table (coltab.h) cannot take ADD COLUMN yet: it becomes ordinary first. */
    int adds = 0;
    for (int i = 0; i < w->n_outs && !adds; i++) {
        adds = 1;
        for (int c = 0; c < n && adds; c++)
            adds = strcasecmp(names[c], w->outs[i].name) != 0;
    }
    if (adds && coltab_is(db, w->src) && coltab_to_rows(db, w->src, err) < 0)
        return -1;
    unsigned char *changed = xcalloc((size_t)w->n_outs + 1, 1);
    unsigned char *rows = changed_rows(cat, w, changed);
    struct val_ctx v = {.w = w, .changed = rows, .err = err};
    tick_init(&v.tk, w->progress, w->pctx);
    struct buf sql = BUF_INIT, set = BUF_INIT;
    for (int i = 0; i < w->n_outs; i++) {
        int exists = 0;
        for (int c = 0; c < n && !exists; c++)
            exists = strcasecmp(names[c], w->outs[i].name) == 0;
        if (!exists) {
            buf_adds(&sql, "ALTER TABLE ");
            add_ident(&sql, w->src);
            buf_adds(&sql, " ADD COLUMN ");
            add_ident(&sql, w->outs[i].name);
            buf_addf(&sql, " %s;\n", frame_decl_name(w->outs[i].decl));
        }
        if (!changed[i])
            continue;
        buf_adds(&set, set.len ? ", " : " SET ");
        add_ident(&set, w->outs[i].name);
        buf_addf(&set, " = quarry_frame_val(%d, %s)", i, rid);
    }
    if (w->keep) {
        buf_adds(&sql, "DELETE FROM ");
        add_ident(&sql, w->src);
        buf_addf(&sql, " WHERE NOT quarry_frame_keep(%s);\n", rid);
    }
    if (set.len) {
        buf_adds(&sql, "UPDATE ");
        add_ident(&sql, w->src);
        buf_adds(&sql, set.data);
        if (rows)
            buf_addf(&sql, " WHERE quarry_frame_changed(%s)", rid);
        buf_adds(&sql, ";\n");
    }
    int rc = 0;
    unsigned long long stamp = catalog_written_at(cat, w->src);
    if (sql.len) {
        int flags = SQLITE_UTF8 | SQLITE_DIRECTONLY;
        if (sqlite3_create_function(db, "quarry_frame_val", 2, flags, &v, val_func, NULL,
                                    NULL) != SQLITE_OK ||
            sqlite3_create_function(db, "quarry_frame_keep", 1, flags, &v, keep_func, NULL,
                                    NULL) != SQLITE_OK ||
            sqlite3_create_function(db, "quarry_frame_changed", 1, flags, &v, changed_func,
                                    NULL, NULL) != SQLITE_OK)
            rc = qerr_set(err, QE_SQL, "cannot register the writer: %s", sqlite3_errmsg(db));
        double t0 = frame_now();
        if (rc == 0)
            rc = catalog_exec(db, sql.data, err);
        frame_add_write_time(cat, frame_now() - t0);
        sqlite3_create_function(db, "quarry_frame_val", 2, SQLITE_UTF8, NULL, NULL, NULL, NULL);
        sqlite3_create_function(db, "quarry_frame_keep", 1, SQLITE_UTF8, NULL, NULL, NULL, NULL);
        sqlite3_create_function(db, "quarry_frame_changed", 1, SQLITE_UTF8, NULL, NULL, NULL,
                                NULL);
    }
    buf_release(&sql);
    buf_release(&set);
    free(rows);
    free(changed);
    if (rc == 0)
        frame_cache_written(cat, w->src, stamp, w->f, w->outs, w->n_outs, w->keep != NULL);
    return rc;
}

/*
 * In place on a column table (coltab.h): the arrays are written straight
 * into its columns (coltab_put), no row passing through SQL. Where no
 * declared type changes and no column is added, into the table itself;
 * otherwise into a new column table with the new declarations (columns
 * not written are copied from the old, cell by cell), which then replaces
 * the old one as a rebuild does. With dest (a copy, `... as NAME`), that
 * new column table is dest itself, and the source stays. 0 done, 1 not
 * taken (nothing changed: the caller goes the SQL way), -1 on failure.
 */
static int
write_columns(struct catalog *cat, const struct frame_write *w, const char *dest, int same,
              struct qerr *err)
{
    sqlite3 *db = catalog_db(cat);
    const struct frame *f = w->f;
    struct buf sql = BUF_INIT, decl = BUF_INIT;
    struct coltab_col *cols = NULL;
    sqlite3_stmt *st = NULL;
    int rc = 1, n = 0, adds = 0;
    /* rows dropped in place: the SQL way's DELETE (xUpdate) */
    if ((w->keep && !dest) || !f->rowid)
        return 1;
    for (int i = 0; i < w->n_outs; i++)
        if (w->outs[i].text && w->outs[i].decl != CATALOG_TEXT)
            return 1; /* dates as text: the SQL path's conversions */
    /* the table's columns and declared types, as declared */
    char *q = sqlite3_mprintf("SELECT name, type FROM pragma_table_info(%Q)", w->src);
    if (!q || sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK) {
        sqlite3_free(q);
        return 1;
    }
    sqlite3_free(q);
    /* a copy dropping rows (sample ... as NAME): the kept rows, with their rowids */
    struct frame_kept kept = {0};
    const struct frame_out *outs = w->outs;
    const sqlite3_int64 *rowid = f->rowid;
    long long n_rows = f->n_rows;
    double **const *give = w->give;
    if (w->keep) {
        if (frame_keep_rows(f, w->keep, w->outs, w->n_outs, &kept, err) < 0) {
            sqlite3_finalize(st);
            return -1;
        }
        outs = kept.outs;
        rowid = kept.rowid;
        n_rows = kept.n;
        give = NULL;
    }
    int cap = w->n_outs + 16;
    cols = xcalloc((size_t)cap, sizeof(*cols));
    char *used = xcalloc((size_t)w->n_outs + 1, 1);
    struct buf names = BUF_INIT; /* the old columns' names, NUL-separated, for cols[].name */
    long long *at = xcalloc((size_t)cap, sizeof(*at));
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        const char *type = (const char *)sqlite3_column_text(st, 1);
        int o = -1;
        for (int i = 0; i < w->n_outs && o < 0; i++)
            if (strcasecmp(w->outs[i].name, name) == 0)
                o = i;
        if (n == cap) {
            cap *= 2;
            cols = xrealloc(cols, (size_t)cap * sizeof(*cols));
            at = xrealloc(at, (size_t)cap * sizeof(*at));
        }
        buf_adds(&decl, n ? ", " : "");
        add_ident(&decl, name);
        if (o >= 0) {
            used[o] = 1;
            buf_addf(&decl, " %s", frame_decl_name(w->outs[o].decl));
        } else if (type && *type) {
            buf_addf(&decl, " %s", type);
        }
        at[n] = (long long)names.len;
        buf_add(&names, name, strlen(name) + 1);
        cols[n++] = o >= 0 ? (struct coltab_col){.num = outs[o].num, .text = outs[o].text,
                                                  .as_int = outs[o].decl == CATALOG_INTEGER,
                                                  .give = give ? give[o] : NULL}
                           : (struct coltab_col){.from = w->src};
    }
    sqlite3_finalize(st);
    for (int k = 0; k < n; k++)
        cols[k].name = names.data + at[k];
    if (n == 0)
        goto out;
    unsigned long long stamp = catalog_written_at(cat, w->src);
    double t0 = frame_now();
    for (int i = 0; i < w->n_outs; i++)
        adds |= !used[i];
    if (same && !adds && !dest) {
        /* only the written columns, into the table itself */
        struct coltab_col *put = xcalloc((size_t)w->n_outs + 1, sizeof(*put));
        for (int i = 0; i < w->n_outs; i++)
            put[i] = (struct coltab_col){.name = w->outs[i].name, .num = w->outs[i].num,
                                         .text = w->outs[i].text,
                                         .as_int = w->outs[i].decl == CATALOG_INTEGER};
        rc = coltab_put(db, w->src, put, w->n_outs, f->rowid, f->n_rows, err);
        free(put);
    } else {
        for (int i = 0; i < w->n_outs; i++) {
            if (used[i])
                continue;
            if (n == cap) {
                cap *= 2;
                cols = xrealloc(cols, (size_t)cap * sizeof(*cols));
            }
            buf_adds(&decl, ", ");
            add_ident(&decl, w->outs[i].name);
            buf_addf(&decl, " %s", frame_decl_name(w->outs[i].decl));
            cols[n++] = (struct coltab_col){.name = outs[i].name, .num = outs[i].num,
                                            .text = outs[i].text,
                                            .as_int = outs[i].decl == CATALOG_INTEGER,
                                            .give = give ? give[i] : NULL};
        }
        if (n > coltab_max_columns(db))
            goto out; /* not taken: the SQL way makes an ordinary table */
        const char *target = dest ? dest : "quarry_frame_scratch";
        if (!dest)
            buf_adds(&sql, "DROP TABLE IF EXISTS main.quarry_frame_scratch;\n");
        buf_adds(&sql, "CREATE VIRTUAL TABLE main.");
        add_ident(&sql, target);
        buf_addf(&sql, " USING columns(%s);", decl.data);
        if (catalog_exec(db, sql.data, err) < 0) {
            rc = -1;
            goto out;
        }
        rc = n_rows ? coltab_put(db, target, cols, n, rowid, n_rows, err) : 0;
        buf_reset(&sql);
        if (rc == 1) { /* not taken: no trace of the new table (a copy's second try is SQL's) */
            buf_adds(&sql, "DROP TABLE main.");
            add_ident(&sql, target);
            rc = (dest && coltab_discard(db, target, err) < 0) || catalog_exec(db, sql.data, err) < 0
                     ? -1
                     : 1;
        } else if (rc == 0 && !dest) {
            buf_adds(&sql, "DROP TABLE main.");
            add_ident(&sql, w->src);
            buf_adds(&sql, ";\nALTER TABLE main.quarry_frame_scratch RENAME TO ");
            add_ident(&sql, w->src);
            buf_adds(&sql, ";\n");
            rc = catalog_exec(db, sql.data, err) < 0 ? -1 : 0;
        }
    }
    frame_add_write_time(cat, frame_now() - t0);
    if (rc == 0 && !dest)
        frame_cache_written(cat, w->src, stamp, w->f, w->outs, w->n_outs, 0);
out:
    frame_kept_release(&kept);
    free(cols);
    free(used);
    free(at);
    buf_release(&names);
    buf_release(&sql);
    buf_release(&decl);
    return rc;
}

int
frame_write(struct catalog *cat, const struct frame_write *w, struct qerr *err)
{
    sqlite3 *db = catalog_db(cat);
    struct catalog_columns sc = {0};
    int rc = -1;
    int in_place = !w->dest || strcmp(w->dest, w->src) == 0;
    const char *dest = in_place ? "quarry_frame_scratch" : w->dest;
    /* ddl: the new table's columns; cols: the same names; sel: their values */
    struct buf sql = BUF_INIT, ddl = BUF_INIT, cols = BUF_INIT, sel = BUF_INIT;
    unsigned char *used = xcalloc((size_t)w->n_outs + 1, 1);
    int join = 0; /* some column comes from src: look its rows up by rowid */

    if (!in_place && catalog_has_table(cat, dest)) {
        qerr_set(err, QE_ARG, "a table named '%s' exists already", dest);
        goto out;
    }
    if (catalog_columns(db, w->src, 0, &sc, err) < 0)
        goto out;
    if (sc.n == 0) {
        qerr_set(err, QE_NOTFOUND, "no table named '%s'", w->src);
        goto out;
    }
    /* The new table has src's columns and the outs: one name reaches both's rowids. */
    const char *rid = rowid_name(db, w->src, w->outs, w->n_outs, err);
    if (!rid)
        goto out;
    char **names = sc.names;
    enum catalog_kind *kinds = sc.kinds;
    int n = sc.n;
    /* No declared type changes: update the table rather than rebuild it. */
    int same = in_place;
    for (int i = 0; i < w->n_outs && same; i++)
        for (int c = 0; c < n; c++)
            if (strcasecmp(names[c], w->outs[i].name) == 0 && kinds[c] != w->outs[i].decl)
                same = 0;
    /* past SQLite's column limit: say so before any SQL (it would say "too many columns") */
    const char **adds = xcalloc((size_t)w->n_outs + 1, sizeof *adds);
    for (int i = 0; i < w->n_outs; i++)
        adds[i] = w->outs[i].name;
    int room = catalog_column_room(cat, w->src, adds, w->n_outs, !same,
                                   "the statement", err);
    free(adds);
    if (room < 0)
        goto out;
    /* a column table's rewrite, or its copy (`as NAME`), as a column table too (issue 18) */
    if (coltab_is(db, w->src)) {
        rc = write_columns(cat, w, in_place ? NULL : dest, same, err);
        if (rc <= 0)
            goto out;
        rc = -1; /* not taken: the SQL way below */
    }
    if (in_place) {
        if (same) {
            rc = update_in_place(cat, w, names, n, err);
            goto out;
        }
    }
    for (int c = 0; c < n + w->n_outs; c++) {
        const char *name;
        enum catalog_kind kind;
        int o = -1;
        if (c < n) {
            name = names[c];
            for (int i = 0; i < w->n_outs && o < 0; i++)
                if (strcasecmp(w->outs[i].name, names[c]) == 0)
                    o = i;
            kind = o >= 0 ? w->outs[o].decl : kinds[c];
        } else {
            o = c - n;
            if (used[o])
                continue;
            name = w->outs[o].name;
            kind = w->outs[o].decl;
        }
        if (o >= 0)
            used[o] = 1;
        buf_adds(&ddl, ", ");
        add_ident(&ddl, name);
        buf_addf(&ddl, " %s", frame_decl_name(kind));
        buf_adds(&cols, ", ");
        add_ident(&cols, name);
        if (o >= 0) {
            buf_addf(&sel, ", o.c%d", o + 1);
        } else {
            buf_adds(&sel, ", s.");
            add_ident(&sel, name);
            join = 1;
        }
    }
    if (in_place)
        buf_adds(&sql, "DROP TABLE IF EXISTS quarry_frame_scratch;\n");
    /* The rowids carry over, so the new table's rows line up with the old. */
    buf_adds(&sql, "CREATE TABLE ");
    add_ident(&sql, dest);
    buf_addf(&sql, " (%s);\nINSERT INTO ", ddl.data + 2);
    add_ident(&sql, dest);
    buf_addf(&sql, " (%s%s) SELECT o.c0%s FROM " OUT_TABLE " o", rid, cols.data, sel.data);
    if (join) {
        buf_adds(&sql, " CROSS JOIN ");
        add_ident(&sql, w->src);
        buf_addf(&sql, " s ON s.%s = o.c0", rid);
    }
    buf_adds(&sql, " " ROW_SOURCE_STMT_JOURNAL ";\n");
    if (in_place) {
        /* Keep the table's indexes and triggers: read them before the old table goes. */
        sqlite3_stmt *st = NULL;
        struct buf idx = BUF_INIT;
        if (sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_schema WHERE type IN ('index', "
                                   "'trigger') AND tbl_name = ?1 COLLATE NOCASE "
                                   "AND sql IS NOT NULL ORDER BY type",
                               -1, &st, NULL) != SQLITE_OK) {
            qerr_set(err, QE_SQL, "%s", sqlite3_errmsg(db));
            goto out;
        }
        sqlite3_bind_text(st, 1, w->src, -1, SQLITE_STATIC);
        while (sqlite3_step(st) == SQLITE_ROW)
            buf_addf(&idx, "%s;\n", (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        buf_adds(&sql, "DROP TABLE ");
        add_ident(&sql, w->src);
        buf_adds(&sql, ";\nALTER TABLE quarry_frame_scratch RENAME TO ");
        add_ident(&sql, w->src);
        buf_adds(&sql, ";\n");
        if (idx.len)
            buf_adds(&sql, idx.data);
        buf_release(&idx);
    }
    struct out_src src = {
        .outs = w->outs, .n_outs = w->n_outs, .n_rows = w->f->n_rows,
        .rowid = w->f->rowid, .keep = w->keep,
    };
    unsigned long long stamp = catalog_written_at(cat, w->src);
    double t0 = frame_now();
    rc = run_with_rows(db, &src, sql.data, w->progress, w->pctx, err);
    frame_add_write_time(cat, frame_now() - t0);
    if (rc == 0 && in_place)
        frame_cache_written(cat, w->src, stamp, w->f, w->outs, w->n_outs, w->keep != NULL);
out:
    catalog_columns_release(&sc);
    free(used);
    buf_release(&sql);
    buf_release(&ddl);
    buf_release(&cols);
    buf_release(&sel);
    return rc;
}
