/*
 * catalog_watch.c: the write tracker of catalog_watch.h.
 *
 * The central structure is a list of stamps, one per table name ever
 * written (a handful in a session; a touch of every table clears it, as
 * all_at then covers them), and a stack of the open savepoints with the
 * clock when each opened. The update hook is called for every row a
 * statement writes, so it must cost next to nothing: it remembers the
 * table it noted last (SQLite passes the same name pointer for every row
 * of a table) and returns at once for the next rows of that table. The
 * memory is forgotten whenever the clock is read (a copy taken after the
 * note must see the next row's write as new) and at every prepare (the
 * schema, and with it that pointer, can change only through a statement).
 */
#include "data/catalog_watch.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"

#include "base/banned.h"

struct stamp {
    char *table;
    unsigned long long at;
};

struct savepoint {
    char *name;
    unsigned long long at; /* the clock when it opened */
};

struct catalog_watch {
    sqlite3 *db;
    unsigned long long clock;   /* ticks once per noticed write */
    unsigned long long all_at;  /* the last stamp of every table */
    struct stamp *stamps;
    int n_stamps, cap_stamps;
    struct savepoint *sps;
    int n_sps, cap_sps;
    const char *hook_last;      /* the table the update hook noted last, or NULL */
    catalog_watch_policy policy;
    void *policy_arg;
};

struct catalog_watch *
catalog_watch_new(void)
{
    return xcalloc(1, sizeof(struct catalog_watch));
}

static void
clear_stamps(struct catalog_watch *w)
{
    for (int i = 0; i < w->n_stamps; i++)
        free(w->stamps[i].table);
    w->n_stamps = 0;
}

/* Close the savepoints from index i up. */
static void
pop_savepoints(struct catalog_watch *w, int i)
{
    while (w->n_sps > i)
        free(w->sps[--w->n_sps].name);
}

void
catalog_watch_free(struct catalog_watch *w)
{
    if (!w)
        return;
    clear_stamps(w);
    free(w->stamps);
    pop_savepoints(w, 0);
    free(w->sps);
    free(w);
}

void
catalog_watch_touch(struct catalog_watch *w)
{
    w->all_at = ++w->clock;
    w->hook_last = NULL;
    clear_stamps(w);
}

static void
note(struct catalog_watch *w, const char *table)
{
    if (!table) { /* cannot happen for a write; be safe */
        catalog_watch_touch(w);
        return;
    }
    unsigned long long at = ++w->clock;
    for (int i = 0; i < w->n_stamps; i++)
        if (strcasecmp(w->stamps[i].table, table) == 0) {
            w->stamps[i].at = at;
            return;
        }
    if (w->n_stamps == w->cap_stamps) {
        w->cap_stamps = w->cap_stamps ? 2 * w->cap_stamps : 16;
        w->stamps = xrealloc(w->stamps, (size_t)w->cap_stamps * sizeof(*w->stamps));
    }
    w->stamps[w->n_stamps].table = xstrdup(table);
    w->stamps[w->n_stamps++].at = at;
}

/* The writes noticed after clock `since` were undone: stamp their tables again. */
static void
undone(struct catalog_watch *w, unsigned long long since)
{
    if (w->all_at > since) {
        catalog_watch_touch(w);
        return;
    }
    unsigned long long at = w->clock + 1;
    int any = 0;
    for (int i = 0; i < w->n_stamps; i++)
        if (w->stamps[i].at > since) {
            w->stamps[i].at = at;
            any = 1;
        }
    if (any)
        w->clock = at;
}

static int
find_savepoint(const struct catalog_watch *w, const char *name)
{
    for (int i = w->n_sps - 1; name && i >= 0; i--)
        if (strcasecmp(w->sps[i].name, name) == 0)
            return i;
    return -1;
}

/* SAVEPOINT, RELEASE or ROLLBACK TO name (op), as SQLite's authorizer names them. */
static void
savepoint(struct catalog_watch *w, const char *op, const char *name)
{
    if (!op)
        return;
    if (strcmp(op, "BEGIN") == 0) {
        if (w->n_sps == w->cap_sps) {
            w->cap_sps = w->cap_sps ? 2 * w->cap_sps : 16;
            w->sps = xrealloc(w->sps, (size_t)w->cap_sps * sizeof(*w->sps));
        }
        w->sps[w->n_sps].name = xstrdup(name ? name : "");
        w->sps[w->n_sps++].at = w->clock;
        return;
    }
    int i = find_savepoint(w, name);
    if (strcmp(op, "ROLLBACK") == 0) {
        if (i < 0) {
            catalog_watch_touch(w); /* a savepoint the watch never saw open */
            return;
        }
        undone(w, w->sps[i].at);
        pop_savepoints(w, i + 1); /* ROLLBACK TO keeps the savepoint itself open */
    } else if (i >= 0) {
        pop_savepoints(w, i); /* RELEASE */
    }
}

static int
authorizer(void *arg, int action, const char *a1, const char *a2, const char *db,
           const char *trigger)
{
    struct catalog_watch *w = arg;
    w->hook_last = NULL;
    switch (action) {
    case SQLITE_INSERT:
    case SQLITE_UPDATE:
    case SQLITE_DELETE:
    case SQLITE_CREATE_TABLE:
    case SQLITE_CREATE_TEMP_TABLE:
    case SQLITE_DROP_TABLE:
    case SQLITE_DROP_TEMP_TABLE:
    case SQLITE_CREATE_VTABLE:
    case SQLITE_DROP_VTABLE:
        note(w, a1);
        break;
    case SQLITE_ALTER_TABLE: /* a1 is the schema, a2 the table */
        note(w, a2);
        break;
    case SQLITE_SAVEPOINT:
        savepoint(w, a1, a2);
        break;
    case SQLITE_TRANSACTION: /* BEGIN, COMMIT or ROLLBACK: every savepoint ends */
        if (a1 && strcmp(a1, "ROLLBACK") == 0)
            catalog_watch_touch(w);
        if (a1 && strcmp(a1, "BEGIN") != 0)
            pop_savepoints(w, 0);
        break;
    default:
        break;
    }
    return w->policy ? w->policy(w->policy_arg, action, a1, a2, db, trigger) : SQLITE_OK;
}

static void
update_hook(void *arg, int op, const char *db, const char *table, sqlite3_int64 rowid)
{
    struct catalog_watch *w = arg;
    if (table == w->hook_last)
        return;
    note(w, table);
    w->hook_last = table;
}

void
catalog_watch_attach(struct catalog_watch *w, sqlite3 *db)
{
    w->db = db;
    pop_savepoints(w, 0);
    catalog_watch_touch(w);
    sqlite3_set_authorizer(db, authorizer, w);
    sqlite3_update_hook(db, update_hook, w);
}

unsigned long long
catalog_watch_clock(struct catalog_watch *w)
{
    w->hook_last = NULL;
    return w->clock;
}

unsigned long long
catalog_watch_stamp(const struct catalog_watch *w, const char *table)
{
    unsigned long long at = w->all_at;
    for (int i = 0; i < w->n_stamps; i++)
        if (w->stamps[i].at > at && strcasecmp(w->stamps[i].table, table) == 0)
            at = w->stamps[i].at;
    return at;
}

void
catalog_watch_set_policy(struct catalog_watch *w, catalog_watch_policy fn, void *arg)
{
    w->policy = fn;
    w->policy_arg = arg;
}
