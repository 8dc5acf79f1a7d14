/*
 * coltab.c: the "columns" virtual-table module (coltab.h; design in
 * docs/COLUMNS.md). Storage: per column an array of cells in row order;
 * per row its rowid (ascending) and a live flag (a DELETE clears the flag,
 * so deleting costs no copy of the columns). Savepoints keep a stack of
 * snapshots: the first write at a level to a column (or to the row index)
 * pushes a copy of it, and rolling back to a level puts the copies back.
 */
#include "data/coltab.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "data/coltab_int.h"

#include "base/banned.h"

struct ctab {
    sqlite3_vtab base;
    struct store *st;
    struct registry *reg;
};

struct ccur {
    sqlite3_vtab_cursor base;
    long long i, end;
    int eqcol;              /* column filtered by = or IN, or -1 */
    sqlite3_value **eqval;  /* the values, sqlite3_value_dup'd */
    int neq;
    long long *slots;       /* or: the slots a hash lookup gave (coltab_index.c), ascending */
    long long nslots, k;    /* how many; the current one */
};

static void
cur_reset(struct ccur *c)
{
    for (int k = 0; k < c->neq; k++)
        sqlite3_value_free(c->eqval[k]);
    sqlite3_free(c->eqval);
    c->eqval = NULL;
    c->neq = 0;
    c->eqcol = -1;
    free(c->slots);
    c->slots = NULL;
    c->nslots = c->k = 0;
}

static void
cell_result(sqlite3_context *ctx, const struct cell *c)
{
    switch (c->ty) {
    case SQLITE_INTEGER:
        sqlite3_result_int64(ctx, c->v.i);
        break;
    case SQLITE_FLOAT:
        sqlite3_result_double(ctx, c->v.r);
        break;
    case SQLITE_TEXT:
        sqlite3_result_text(ctx, c->v.p, c->n, SQLITE_TRANSIENT);
        break;
    case SQLITE_BLOB:
        sqlite3_result_blob(ctx, c->v.p, c->n, SQLITE_TRANSIENT);
        break;
    default:
        sqlite3_result_null(ctx);
    }
}

/* The store named name declared as decl (NULL: any) that SQL can mean: a live one, else
 * (live=0) the latest dropped one whose CREATE was not undone. */
static struct store *
find_store(struct registry *reg, const char *name, const char *decl, int live)
{
    for (struct store *s = reg->head; s; s = s->next)
        if (strcmp(s->name, name) == 0 && (!decl || strcmp(s->decl, decl) == 0) &&
            !s->orphan && (!s->dropped || !live))
            return s;
    return NULL;
}

/* xCreate (create=1) makes the store; xConnect finds it, or makes an empty one
 * (a workspace opened from a file: its column tables came back through save). */
static int
connect_table(sqlite3 *db, struct registry *reg, int create, int argc, const char *const *argv,
              sqlite3_vtab **out, char **errmsg)
{
    if (argc < 4) {
        *errmsg = sqlite3_mprintf("a column table needs at least one column");
        return SQLITE_ERROR;
    }
    struct buf decl = BUF_INIT;
    struct store *t = cs_store_new(argv[2], argc, argv, &decl);
    struct store *old = NULL;
    if (t && create) {
        /* a live store of the name is an orphan of a CREATE rolled back: set it aside */
        if ((old = find_store(reg, argv[2], NULL, 1)) != NULL) {
            old->dropped = 1;
            old->orphan = 1;
        }
        old = NULL;
        t->born = reg->depth;
    } else if (t) {
        old = find_store(reg, argv[2], t->decl, 1);
        if (!old) /* a DROP rolled back (undo): the table returns */
            old = find_store(reg, argv[2], t->decl, 0);
        t->born = -1; /* its table is in the schema already */
    }
    struct ctab *v = sqlite3_malloc(sizeof(*v));
    /* the declared columns, and the hidden one coltab_put writes through */
    if (decl.len && decl.data[decl.len - 1] == ')') {
        decl.len--;
        buf_adds(&decl, ", " CS_PUT_COLUMN " HIDDEN)");
    }
    int rc = t && v ? sqlite3_declare_vtab(db, decl.data) : SQLITE_NOMEM;
    buf_release(&decl);
    if (rc != SQLITE_OK) {
        if (t)
            cs_store_free(t);
        sqlite3_free(v);
        return rc;
    }
    if (old) {
        cs_store_free(t);
        t = old;
        t->dropped = 0;
    } else {
        t->next = reg->head;
        reg->head = t;
    }
    memset(v, 0, sizeof(*v));
    t->refs++;
    v->st = t;
    v->reg = reg;
    *out = &v->base;
    return SQLITE_OK;
}

static int
ctab_create(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out,
            char **errmsg)
{
    return connect_table(db, aux, 1, argc, argv, out, errmsg);
}

static int
ctab_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out,
             char **errmsg)
{
    return connect_table(db, aux, 0, argc, argv, out, errmsg);
}

static int
ctab_disconnect(sqlite3_vtab *v)
{
    struct ctab *c = (struct ctab *)v;
    struct store *t = c->st;
    t->refs--;
    if (t->refs == 0 && t->orphan) /* its CREATE was undone: nothing connects it again */
        cs_sweep(c->reg, 0);
    sqlite3_free(v); /* the store stays in the registry */
    return SQLITE_OK;
}

/*
 * DROP TABLE: the store is marked dropped but kept, since the DROP may be
 * rolled back (a failed statement, undo) and SQLite then connects the table
 * again; a new table of the same name gets a new store. Dropped stores go
 * when the connection closes (docs/COLUMNS.md), or at once when
 * coltab_discard marked them (load's first try, which nothing can bring back).
 */
static int
ctab_destroy(sqlite3_vtab *v)
{
    struct store *t = ((struct ctab *)v)->st;
    t->dropped = 1;
    t->died = ((struct ctab *)v)->reg->depth;
    if (t->discard) /* coltab_discard: nothing can bring it back */
        cs_store_empty(t);
    return ctab_disconnect(v);
}

/* Planner: rowid = ? (one row), column = ? (a hash lookup, or a scan filtered here for an IN
 * list); SQLite re-checks both. Of several columns with =, the one expected to give the fewest
 * rows (coltab_index.c counts them). */
static int
ctab_best_index(sqlite3_vtab *v, sqlite3_index_info *ix)
{
    struct store *t = ((struct ctab *)v)->st;
    int eq = -1, rowid = -1, eq_in = 0, eq_binary = 1, view = -1;
    long long eq_rows = 0;
    for (int k = 0; k < ix->nConstraint; k++) {
        const struct sqlite3_index_constraint *c = &ix->aConstraint[k];
        if (!c->usable || c->op != SQLITE_INDEX_CONSTRAINT_EQ)
            continue;
        if (c->iColumn == t->ncol) { /* quarry_put = ?: maybe coltab_view's request */
            view = k;
            continue;
        }
        if (c->iColumn < 0) {
            if (rowid < 0)
                rowid = k;
            continue;
        }
        if (c->iColumn >= t->ncol)
            continue;
        const char *coll = sqlite3_vtab_collation(ix, k);
        int binary = !coll || sqlite3_stricmp(coll, "BINARY") == 0;
        /* an IN list comes whole (sqlite3_vtab_in), so one scan keeps rowid order */
        int in = sqlite3_vtab_in(ix, k, -1);
        long long rows;
        sqlite3_value *rhs = NULL;
        if (in)
            rows = t->n / 10 + 1;
        else if ((rows = cs_index_estimate(t, c->iColumn,
                                           sqlite3_vtab_rhs_value(ix, k, &rhs) == SQLITE_OK
                                               ? rhs : NULL, binary)) < 0)
            rows = t->n / 10 + 1;
        if (eq < 0 || rows < eq_rows) {
            eq = k;
            eq_rows = rows;
            eq_in = in;
            eq_binary = binary;
        }
    }
    double n = (double)(t->n > 10 ? t->n : 10);
    if (view >= 0) {
        /* quarry_put reads as NULL, so `quarry_put = x` holds for no row: none is given */
        ix->idxNum = -1;
        ix->aConstraintUsage[view].argvIndex = 1;
        ix->estimatedCost = 1;
        ix->estimatedRows = 1;
    } else if (rowid >= 0) {
        ix->idxNum = 1;
        ix->aConstraintUsage[rowid].argvIndex = 1;
        ix->estimatedCost = 10;
        ix->estimatedRows = 1;
        ix->idxFlags = SQLITE_INDEX_SCAN_UNIQUE;
    } else if (eq >= 0) {
        /* one value is looked up in the column's hash index (coltab_index.c) */
        if (eq_in)
            sqlite3_vtab_in(ix, eq, 1);
        ix->idxNum = 2 + eq_in + 2 * eq_binary + 4 * ix->aConstraint[eq].iColumn;
        ix->aConstraintUsage[eq].argvIndex = 1;
        ix->estimatedCost = eq_in ? n / 2 : 20 + (double)eq_rows;
        ix->estimatedRows = eq_rows + 1;
    } else {
        ix->idxNum = 0;
        ix->estimatedCost = n;
        ix->estimatedRows = (sqlite3_int64)n;
        cs_range_plan(t, ix); /* c > 0 and the like: coltab_range.c (the same cost) */
    }
    /* rows come in rowid order */
    if (ix->nOrderBy == 1 && ix->aOrderBy[0].iColumn < 0 && !ix->aOrderBy[0].desc)
        ix->orderByConsumed = 1;
    return SQLITE_OK;
}

static int
ctab_open(sqlite3_vtab *v, sqlite3_vtab_cursor **out)
{
    (void)v;
    struct ccur *c = sqlite3_malloc(sizeof(*c));
    if (!c)
        return SQLITE_NOMEM;
    memset(c, 0, sizeof(*c));
    c->eqcol = -1;
    *out = &c->base;
    return SQLITE_OK;
}

static int
ctab_close(sqlite3_vtab_cursor *cur)
{
    struct ccur *c = (struct ccur *)cur;
    cur_reset(c);
    sqlite3_free(c);
    return SQLITE_OK;
}

/* Could cell x equal value v? Only a clear numeric mismatch says no. */
static int
maybe_equal(const struct cell *x, sqlite3_value *v)
{
    int vt = sqlite3_value_type(v);
    if (vt == SQLITE_NULL || x->ty == SQLITE_NULL || x->ty == 0)
        return 0; /* = with a NULL is never true */
    if ((vt == SQLITE_INTEGER || vt == SQLITE_FLOAT) &&
        (x->ty == SQLITE_INTEGER || x->ty == SQLITE_FLOAT)) {
        if (vt == SQLITE_INTEGER && x->ty == SQLITE_INTEGER)
            return x->v.i == sqlite3_value_int64(v);
        double a = x->ty == SQLITE_INTEGER ? (double)x->v.i : x->v.r;
        return a == sqlite3_value_double(v) || a != a;
    }
    return 1;
}

static int
skip_to_match(struct ccur *c, struct store *t)
{
    for (; c->i < c->end; c->i++) {
        if (!t->live[c->i])
            continue;
        if (c->eqcol < 0)
            break;
        int hit = 0;
        struct cell x = cs_get(t, c->eqcol, c->i);
        for (int k = 0; k < c->neq && !hit; k++)
            hit = maybe_equal(&x, c->eqval[k]);
        if (hit)
            break;
    }
    return SQLITE_OK;
}

static int
ctab_filter(sqlite3_vtab_cursor *cur, int idxnum, const char *idxstr, int argc,
            sqlite3_value **argv)
{
    (void)argc;
    struct ccur *c = (struct ccur *)cur;
    struct store *t = ((struct ctab *)cur->pVtab)->st;
    cur_reset(c);
    c->i = 0;
    c->end = t->n;
    if (idxnum == -1) { /* coltab_view (coltab_read.c); no row */
        cs_view(t, argv[0]);
        c->i = t->n;
        return SQLITE_OK;
    }
    if (idxnum == 1) {
        sqlite3_value *v = argv[0];
        int vt = sqlite3_value_numeric_type(v);
        long long at = -1;
        if (vt == SQLITE_INTEGER)
            at = cs_find(t, sqlite3_value_int64(v));
        else if (vt == SQLITE_FLOAT) {
            double r = sqlite3_value_double(v);
            if (r >= -9.2e18 && r <= 9.2e18 && (double)(sqlite3_int64)r == r)
                at = cs_find(t, (sqlite3_int64)r);
        }
        c->i = at < 0 ? t->n : at;
        c->end = at < 0 ? t->n : at + 1;
    } else if (idxnum == 0 && idxstr) { /* comparisons with numbers (coltab_range.c) */
        int rc = cs_range_slots(t, idxstr, argv, &c->slots, &c->nslots);
        c->i = rc == SQLITE_OK && c->nslots ? c->slots[0] : t->n;
        return rc;
    } else if (idxnum >= 2) {
        c->eqcol = (idxnum - 2) / 4;
        sqlite3_value *x = NULL;
        int in = (idxnum - 2) & 1, binary = ((idxnum - 2) >> 1) & 1, cap = 0;
        if (!in) { /* one value: the hash index gives the rows that can match */
            int rc = cs_index_lookup(t, c->eqcol, argv[0], binary, &c->slots, &c->nslots);
            if (rc != SQLITE_OK)
                return rc;
            if (c->nslots >= 0) {
                c->eqcol = -1;
                c->k = 0;
                c->i = c->nslots ? c->slots[0] : t->n;
                return SQLITE_OK;
            }
            c->nslots = 0;
        }
        int rc = in ? sqlite3_vtab_in_first(argv[0], &x) : SQLITE_OK;
        if (!in)
            x = argv[0];
        while (rc == SQLITE_OK && x) {
            if (c->neq == cap) {
                cap = cap ? 2 * cap : 8;
                sqlite3_value **v = sqlite3_realloc(c->eqval, (int)sizeof(*v) * cap);
                if (!v)
                    return SQLITE_NOMEM;
                c->eqval = v;
            }
            if (!(c->eqval[c->neq] = sqlite3_value_dup(x)))
                return SQLITE_NOMEM;
            c->neq++;
            if (!in)
                break;
            rc = sqlite3_vtab_in_next(argv[0], &x);
        }
        if (rc != SQLITE_OK && rc != SQLITE_DONE)
            return rc;
    }
    return skip_to_match(c, t);
}

static int
ctab_next(sqlite3_vtab_cursor *cur)
{
    struct ccur *c = (struct ccur *)cur;
    if (c->slots) { /* a hash lookup's rows */
        c->k++;
        c->i = c->k < c->nslots ? c->slots[c->k] : c->end;
        return SQLITE_OK;
    }
    c->i++;
    return skip_to_match(c, ((struct ctab *)cur->pVtab)->st);
}

static int
ctab_eof(sqlite3_vtab_cursor *cur)
{
    struct ccur *c = (struct ccur *)cur;
    return c->i >= c->end;
}

static int
ctab_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
    struct ccur *c = (struct ccur *)cur;
    struct store *t = ((struct ctab *)cur->pVtab)->st;
    if (col >= t->ncol) /* quarry_put reads as NULL */
        sqlite3_result_null(ctx);
    else {
        struct cell x = cs_get(t, col, c->i);
        cell_result(ctx, &x);
    }
    return SQLITE_OK;
}

static int
ctab_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *r)
{
    struct ccur *c = (struct ccur *)cur;
    *r = ((struct ctab *)cur->pVtab)->st->rid[c->i];
    return SQLITE_OK;
}

static int
ctab_update(sqlite3_vtab *v, int argc, sqlite3_value **argv, sqlite3_int64 *rowid)
{
    struct store *t = ((struct ctab *)v)->st;
    int rc;
    if (argc == 1) { /* DELETE */
        long long i = cs_find(t, sqlite3_value_int64(argv[0]));
        if (i < 0 || !t->live[i])
            return SQLITE_OK;
        if ((rc = cs_touch(t, -1)) == SQLITE_OK)
            t->live[i] = 0;
        return rc;
    }
    long long at;
    struct cs_put *put = argc > 2 + t->ncol && sqlite3_value_type(argv[0]) == SQLITE_NULL
                             ? sqlite3_value_pointer(argv[2 + t->ncol], CS_PUT_TYPE)
                             : NULL;
    if (put) /* coltab_put: columns written straight into the arrays, no row inserted */
        return cs_put(((struct ctab *)v)->reg, t, put);
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) { /* INSERT */
        sqlite3_int64 r;
        if (sqlite3_value_type(argv[1]) != SQLITE_NULL)
            r = sqlite3_value_int64(argv[1]);
        else {
            /* as an ordinary table: one past the largest rowid of a live row */
            long long i = t->n - 1;
            while (i >= 0 && !t->live[i])
                i--;
            r = i >= 0 ? t->rid[i] + 1 : 1;
        }
        long long n0 = t->n;
        if ((rc = cs_insert_row(t, r, &at)) != SQLITE_OK)
            return rc;
        *rowid = r;
        /* a slot past the old end holds nothing an undo needs; a deleted row's
         * slot brought back does, so its columns are copied first */
        for (int c = 0; c < t->ncol; c++)
            if ((t->n == n0 && (rc = cs_touch(t, c)) != SQLITE_OK) ||
                (rc = cs_cell_set(t, c, at, argv[2 + c])) != SQLITE_OK)
                return rc;
        return SQLITE_OK;
    }
    /* UPDATE: argv[0] the old rowid, argv[1] the new */
    sqlite3_int64 old = sqlite3_value_int64(argv[0]), nr = sqlite3_value_int64(argv[1]);
    at = cs_find(t, old);
    if (at < 0 || !t->live[at])
        return SQLITE_OK;
    if (nr != old) {
        if ((rc = cs_touch(t, -1)) != SQLITE_OK)
            return rc;
        long long keep = at;
        t->live[keep] = 0;
        for (int c = 0; c < t->ncol && rc == SQLITE_OK; c++)
            rc = cs_touch(t, c);
        if (rc == SQLITE_OK)
            rc = cs_insert_row(t, nr, &at);
        if (rc != SQLITE_OK)
            return rc;
        for (int c = 0; c < t->ncol; c++)
            if ((rc = cs_cell_set(t, c, at, argv[2 + c])) != SQLITE_OK)
                return rc;
        return SQLITE_OK;
    }
    for (int c = 0; c < t->ncol; c++) {
        if (sqlite3_value_nochange(argv[2 + c]))
            continue;
        if ((rc = cs_touch(t, c)) != SQLITE_OK ||
            (rc = cs_cell_set(t, c, at, argv[2 + c])) != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

/* Transactions and savepoints: level = SQLite's savepoint number + 1. */
static int
ctab_begin(sqlite3_vtab *v)
{
    ((struct ctab *)v)->st->level = 0;
    return SQLITE_OK;
}

/*
 * The savepoint calls go to every store of the module, not only this
 * table's: a DROP rolled back brings a store back through xConnect, and
 * SQLite sends the savepoint calls only to tables written since the
 * transaction began, so a revived (or dropped) store would miss the undo
 * of its older writes. Each call is idempotent (a level rolled back or
 * released twice has no copies left the second time), so tables that get
 * the call themselves as well take no harm.
 */
enum sp_op { SP_COMMIT, SP_ROLLBACK, SP_BEGIN_N, SP_RELEASE_N, SP_ROLLBACK_N };

static int
each_store(sqlite3_vtab *v, enum sp_op op, int n)
{
    struct registry *reg = ((struct ctab *)v)->reg;
    for (struct store *t = reg->head; t; t = t->next) {
        switch (op) {
        case SP_COMMIT:
            cs_release_to(t, 0);
            t->level = 0;
            break;
        case SP_ROLLBACK:
            cs_rollback_to(t, 0);
            t->level = 0;
            break;
        case SP_BEGIN_N:
            t->level = n + 1;
            break;
        case SP_RELEASE_N:
            cs_release_to(t, n + 1);
            t->level = n;
            break;
        case SP_ROLLBACK_N:
            cs_rollback_to(t, n + 1);
            t->level = n + 1;
            break;
        }
    }
    if (op == SP_COMMIT || op == SP_ROLLBACK) /* renames kept or undone, dropped stores freed */
        cs_transaction_end(reg, op == SP_COMMIT);
    return SQLITE_OK;
}

static int
ctab_commit(sqlite3_vtab *v)
{
    return each_store(v, SP_COMMIT, 0);
}

static int
ctab_rollback(sqlite3_vtab *v)
{
    return each_store(v, SP_ROLLBACK, 0);
}

static int
ctab_savepoint(sqlite3_vtab *v, int n)
{
    return each_store(v, SP_BEGIN_N, n);
}

static int
ctab_release(sqlite3_vtab *v, int n)
{
    return each_store(v, SP_RELEASE_N, n);
}

static int
ctab_rollback_to(sqlite3_vtab *v, int n)
{
    return each_store(v, SP_ROLLBACK_N, n);
}

/* ALTER TABLE ... RENAME: undone with the catalog's level it ran at (cs_levels) */
static int
ctab_rename(sqlite3_vtab *v, const char *name)
{
    return cs_rename(((struct ctab *)v)->reg, ((struct ctab *)v)->st, name);
}

static const sqlite3_module columns_module = {
    .iVersion = 2,
    .xCreate = ctab_create,
    .xConnect = ctab_connect,
    .xBestIndex = ctab_best_index,
    .xDisconnect = ctab_disconnect,
    .xDestroy = ctab_destroy,
    .xOpen = ctab_open,
    .xClose = ctab_close,
    .xFilter = ctab_filter,
    .xNext = ctab_next,
    .xEof = ctab_eof,
    .xColumn = ctab_column,
    .xRowid = ctab_rowid,
    .xUpdate = ctab_update,
    .xBegin = ctab_begin,
    .xCommit = ctab_commit,
    .xRollback = ctab_rollback,
    .xRename = ctab_rename,
    .xSavepoint = ctab_savepoint,
    .xRelease = ctab_release,
    .xRollbackTo = ctab_rollback_to,
};

static void
registry_free(void *p)
{
    struct registry *reg = p;
    while (reg->head) {
        struct store *t = reg->head;
        reg->head = t->next;
        cs_store_free(t);
    }
    cs_renames_free(reg);
    free(reg);
}

int
coltab_register(sqlite3 *db, struct qerr *err)
{
    sqlite3_stmt *st = NULL;
    int src = sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_module_list WHERE name = 'columns'",
                                 -1, &st, NULL);
    if (src == SQLITE_OK)
        src = sqlite3_step(st);
    sqlite3_finalize(st);
    if (src == SQLITE_ROW)
        return 0;
    /* a failed look (out of memory) is no answer: registering again would replace the
     * module, and SQLite would free the registry under the tables still connected */
    if (src != SQLITE_DONE)
        return qerr_set(err, src == SQLITE_NOMEM ? QE_NOMEM : QE_SQL, "the columns module: %s",
                        sqlite3_errmsg(db));
    struct registry *reg = calloc(1, sizeof(*reg));
    if (!reg)
        return qerr_set(err, QE_NOMEM, "out of memory");
    reg->db = db;
    /* on failure SQLite calls registry_free itself */
    if (sqlite3_create_module_v2(db, "columns", &columns_module, reg, registry_free) != SQLITE_OK)
        return qerr_set(err, QE_SQL, "the columns module: %s", sqlite3_errmsg(db));
    /* the module owns reg from here, and both live until db closes */
    if (sqlite3_create_function_v2(db, "quarry_columns_sp", 2, SQLITE_UTF8 | SQLITE_DIRECTONLY,
                                   reg, cs_savepoint_func, NULL, NULL, NULL) != SQLITE_OK)
        return qerr_set(err, QE_SQL, "the columns module: %s", sqlite3_errmsg(db));
    return 0;
}

static int
run(sqlite3 *db, const char *sql, struct qerr *err)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        qerr_set(err, QE_SQL, "%s", msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* Move `table` to a new table made by `create` (the column list appended), then rename. */
static int
convert(sqlite3 *db, const char *table, int to_columns, struct qerr *err)
{
    struct buf cols = BUF_INIT, names = BUF_INIT, sql = BUF_INIT;
    sqlite3_stmt *st = NULL;
    int rc = -1, n = 0;
    char *q = sqlite3_mprintf("SELECT name, type FROM pragma_table_info(%Q)", table);
    if (!q || sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK) {
        qerr_set(err, QE_SQL, "%s", sqlite3_errmsg(db));
        goto out;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        const char *type = (const char *)sqlite3_column_text(st, 1);
        char *qn = sqlite3_mprintf("\"%w\"", name);
        buf_addf(&cols, "%s%s%s%s", n ? ", " : "", qn, type && *type ? " " : "", type ? type : "");
        buf_addf(&names, "%s%s", n ? ", " : "", qn);
        sqlite3_free(qn);
        n++;
    }
    if (n == 0) {
        qerr_set(err, QE_NOTFOUND, "no table '%s'", table);
        goto out;
    }
    if (to_columns == coltab_is(db, table)) {
        rc = 0;
        goto out;
    }
    char *tmp = sqlite3_mprintf("\"%w__convert\"", table), *qt = sqlite3_mprintf("\"%w\"", table);
    if (to_columns)
        buf_addf(&sql, "CREATE VIRTUAL TABLE main.%s USING columns(%s);", tmp, cols.data);
    else
        buf_addf(&sql, "CREATE TABLE main.%s(%s);", tmp, cols.data);
    buf_addf(&sql, "INSERT INTO main.%s(rowid, %s) SELECT rowid, %s FROM main.%s ORDER BY rowid;"
                   "DROP TABLE main.%s; ALTER TABLE main.%s RENAME TO %s;",
             tmp, names.data, names.data, qt, qt, tmp, qt);
    sqlite3_free(tmp);
    sqlite3_free(qt);
    rc = run(db, sql.data, err);
out:
    sqlite3_finalize(st);
    sqlite3_free(q);
    buf_release(&cols);
    buf_release(&names);
    buf_release(&sql);
    return rc;
}

int
coltab_from_rows(sqlite3 *db, const char *table, struct qerr *err)
{
    return convert(db, table, 1, err);
}

int
coltab_to_rows(sqlite3 *db, const char *table, struct qerr *err)
{
    return convert(db, table, 0, err);
}

int
coltab_all_to_rows(sqlite3 *db, int *n, struct qerr *err)
{
    sqlite3_stmt *st = NULL;
    struct buf names = BUF_INIT;
    int rc = 0, k = 0;
    *n = 0;
    /* the names first: converting changes the schema being read */
    if (sqlite3_prepare_v2(db, "SELECT name FROM main.sqlite_schema WHERE type = 'table' AND "
                               "sql LIKE 'CREATE VIRTUAL TABLE%USING columns(%'", -1, &st,
                           NULL) != SQLITE_OK)
        return qerr_set(err, QE_SQL, "%s", sqlite3_errmsg(db));
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        buf_add(&names, name, strlen(name) + 1);
        k++;
    }
    sqlite3_finalize(st);
    const char *p = names.data;
    for (int i = 0; i < k && rc == 0; i++, p += strlen(p) + 1) {
        rc = coltab_to_rows(db, p, err);
        *n += rc == 0;
    }
    buf_release(&names);
    return rc;
}
