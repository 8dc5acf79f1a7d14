/*
 * coltab_undo.c: the column tables' registry in undo (coltab_int.h): the
 * catalog's undo levels undo the CREATEs, DROPs and renames run inside
 * them, and the stores nothing can bring back any more are freed
 * (docs/COLUMNS.md, "DROP and undo").
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
