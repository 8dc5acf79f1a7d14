/*
 * coltab_undo.c: the column tables' registry in undo (coltab_int.h): the
 * catalog's undo levels undo the CREATEs, DROPs and renames run inside
 * them, and the stores nothing can bring back any more are freed
 * (docs/COLUMNS.md, "DROP and undo"); the catalog's word to them
 * (coltab_savepoint, the SQL function quarry_columns_sp).
 */
#include <stdlib.h>
#include <string.h>

#include "data/coltab_int.h"

#include "base/banned.h"

int
cs_rename(struct registry *reg, struct store *t, const char *name)
{
    size_t len = strlen(name) + 1;
    char *n = malloc(len);
    if (!n)
        return SQLITE_NOMEM;
    memcpy(n, name, len);
    /* outside a transaction (autocommit) nothing can undo it: no record */
    if (reg->db && !sqlite3_get_autocommit(reg->db)) {
        if (reg->nren == reg->capren) {
            int cap = reg->capren ? 2 * reg->capren : 8;
            struct cs_rename *r = realloc(reg->ren, sizeof(*r) * (size_t)cap);
            if (!r) {
                free(n);
                return SQLITE_NOMEM;
            }
            reg->ren = r;
            reg->capren = cap;
        }
        reg->ren[reg->nren++] = (struct cs_rename){.t = t, .level = reg->depth, .old = t->name};
    } else {
        free(t->name);
    }
    t->name = n;
    return SQLITE_OK;
}

/* Renames run at levels >= level undone, newest first (level 0: every one). */
static void
renames_undo(struct registry *reg, int level)
{
    while (reg->nren > 0 && reg->ren[reg->nren - 1].level >= level) {
        struct cs_rename *r = &reg->ren[--reg->nren];
        free(r->t->name);
        r->t->name = r->old;
    }
}

/* Renames at levels >= from (0: every one) kept for good: their old names go. */
static void
renames_forget(struct registry *reg, int from)
{
    int k = 0;
    for (int i = 0; i < reg->nren; i++) {
        if (reg->ren[i].level >= from)
            free(reg->ren[i].old);
        else
            reg->ren[k++] = reg->ren[i];
    }
    reg->nren = k;
}

void
cs_renames_free(struct registry *reg)
{
    renames_forget(reg, 0);
    free(reg->ren);
    reg->ren = NULL;
    reg->capren = 0;
}

void
cs_sweep(struct registry *reg, int committed)
{
    struct store **p = &reg->head;
    while (*p) {
        struct store *t = *p;
        /* a DROP run under one of the catalog's levels: a rollback of it would have
         * revived the store (cs_levels); one SQLite alone rolled back is revived only
         * when SQLite connects the table again, so it is kept */
        if (!t->dropped || !(t->orphan || (committed && t->died >= 1))) {
            p = &t->next;
            continue;
        }
        if (t->refs > 0) {
            /* SQLite still holds a vtab of it (disconnected later): only its arrays go, as
             * no statement can reach it through a table any more */
            if (t->col && (t->cap || t->nsnap))
                cs_store_empty(t);
            p = &t->next;
            continue;
        }
        *p = t->next;
        /* no record may name a freed store */
        int k = 0;
        for (int i = 0; i < reg->nren; i++) {
            if (reg->ren[i].t == t)
                free(reg->ren[i].old);
            else
                reg->ren[k++] = reg->ren[i];
        }
        reg->nren = k;
        cs_store_free(t);
    }
}

void
cs_levels(struct registry *reg, int op, int level)
{
    /* RELEASE q1 committed the transaction (SQLite's xCommit reaches the stores only when a
     * column table was written in it) */
    if (op == 1 && reg->db && sqlite3_get_autocommit(reg->db))
        cs_transaction_end(reg, 1);
    if (op == 2)
        renames_undo(reg, level); /* before CREATEs are undone: orphans keep their names */
    for (struct store *t = reg->head; op && t; t = t->next) {
        if (op == 1) {
            t->born = t->born >= level ? level - 1 : t->born;
            t->died = t->died >= level ? level - 1 : t->died;
        } else if (t->born >= level) {
            t->dropped = 1;
            t->orphan = 1;
        } else if (t->dropped && !t->orphan && t->died >= level) {
            t->dropped = 0;
        }
    }
    if (op == 0 && level == 1)
        renames_forget(reg, 1); /* a new q1: records of levels no longer open are stale */
    if (op == 1)
        for (int i = 0; i < reg->nren; i++)
            if (reg->ren[i].level >= level)
                reg->ren[i].level = level - 1;
    reg->depth = op == 1 ? level - 1 : level;
    if (op == 2)
        cs_sweep(reg, 0);
}

void
cs_transaction_end(struct registry *reg, int committed)
{
    if (!committed)
        renames_undo(reg, 0);
    renames_forget(reg, 0);
    cs_sweep(reg, committed);
}

long long
cs_dropped_bytes(const struct registry *reg)
{
    long long bytes = 0;
    for (const struct store *t = reg->head; t; t = t->next) {
        if (!t->dropped)
            continue;
        bytes += t->cap * (long long)(sizeof(*t->rid) + sizeof(*t->live));
        for (int c = 0; c < t->ncol; c++)
            bytes += t->cap * (long long)(sizeof(*t->col[c].ty) + sizeof(*t->col[c].v)) +
                     (long long)t->col[c].acap;
    }
    return bytes;
}

/*
 * quarry_columns_sp(op, level): the catalog's SAVEPOINT (op 0), RELEASE
 * (1) or ROLLBACK TO (2) of its undo level q<level> (coltab_savepoint).
 * SQLite's own savepoint calls miss a table made inside the transaction
 * (it joins with no savepoint number, so no xRollbackTo reaches it), a
 * DROP's store and a rename; this tells every store (cs_levels). A
 * rollback to q<level> undoes the CREATEs run inside it (their stores
 * orphans), the DROPs (their stores live again) and the renames, so a
 * result replaced as a command's re-run replaces it (DROP, then CREATE of
 * one name and columns) comes back with its own rows at undo, not the new
 * table's. Op 3 (level unused) gives the bytes dropped stores hold
 * (coltab_dropped_bytes). The SQL policy refuses it in user SQL.
 */
void
cs_savepoint_func(sqlite3_context *sc, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct registry *reg = sqlite3_user_data(sc);
    int op = sqlite3_value_int(argv[0]), level = sqlite3_value_int(argv[1]);
    if (op == 3) {
        sqlite3_result_int64(sc, cs_dropped_bytes(reg));
        return;
    }
    if (op >= 0 && op <= 2 && level >= 0)
        cs_levels(reg, op, level);
    sqlite3_result_null(sc);
}

void
coltab_savepoint(sqlite3 *db, int op, int level)
{
    sqlite3_stmt *st = NULL;
    /* no such function: no column table was ever made on db, nothing to tell */
    if (sqlite3_prepare_v2(db, "SELECT quarry_columns_sp(?1, ?2)", -1, &st, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_int(st, 1, op);
    sqlite3_bind_int(st, 2, level);
    sqlite3_step(st);
    sqlite3_finalize(st);
}

long long
coltab_dropped_bytes(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    long long bytes = 0;
    if (sqlite3_prepare_v2(db, "SELECT quarry_columns_sp(3, 0)", -1, &st, NULL) != SQLITE_OK)
        return 0; /* no column table was ever made on db */
    if (sqlite3_step(st) == SQLITE_ROW)
        bytes = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return bytes;
}
