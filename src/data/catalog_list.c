/*
 * catalog_list.c: what the catalog holds (catalog.h, "What the catalog
 * holds"): its tables and their columns with their kinds, a name's owner,
 * and the closest name to a misspelt one. Every listing of tables or
 * columns in quarry comes from here; catalog.c keeps the connection, the
 * savepoints and the workspace files.
 */
#include "data/catalog.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"

#include "base/banned.h"

int
catalog_has_table(struct catalog *cat, const char *name)
{
    sqlite3_stmt *st = NULL;
    int found = 0;
    if (sqlite3_prepare_v2(catalog_db(cat),
                           "SELECT 1 FROM sqlite_schema WHERE type IN ('table','view') "
                           "AND name = ?1 COLLATE NOCASE",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        found = sqlite3_step(st) == SQLITE_ROW;
    }
    sqlite3_finalize(st);
    return found;
}

/* The first column of every row of sql (with ?1 = arg when arg), as strings. */
static int
list_strings(sqlite3 *db, const char *sql, const char *arg, char ***out, int *n,
             struct qerr *err)
{
    sqlite3_stmt *st = NULL;
    int cap = 0, rc;
    *out = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return qerr_set(err, QE_SQL, "cannot list the catalog: %s", sqlite3_errmsg(db));
    if (arg)
        sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            *out = xrealloc(*out, (size_t)cap * sizeof(**out));
        }
        const char *v = (const char *)sqlite3_column_text(st, 0);
        (*out)[(*n)++] = xstrdup(v ? v : "");
    }
    if (rc != SQLITE_DONE) {
        qerr_set(err, QE_SQL, "cannot list the catalog: %s", sqlite3_errmsg(db));
        catalog_names_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int
catalog_tables(sqlite3 *db, int all, char ***names, int *n, struct qerr *err)
{
    return list_strings(db,
                        all ? "SELECT name FROM sqlite_schema WHERE type IN ('table','view') "
                              "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
                            : "SELECT name FROM sqlite_schema WHERE type IN ('table','view') "
                              "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                              "AND name NOT LIKE 'quarry\\_%' ESCAPE '\\' ORDER BY name",
                        NULL, names, n, err);
}

void
catalog_names_free(char **names, int n)
{
    for (int i = 0; i < n && names; i++)
        free(names[i]);
    free(names);
}

int
catalog_columns(sqlite3 *db, const char *table, int flags, struct catalog_columns *out,
                struct qerr *err)
{
    sqlite3_stmt *st = NULL;
    int cap = 0, rc;
    memset(out, 0, sizeof(*out));
    /*
     * table_xinfo's hidden is 1 for a virtual table's hidden column, 2 and
     * 3 for generated columns; table_info leaves out all three.
     */
    if (sqlite3_prepare_v2(db,
                           flags & CATALOG_GENERATED
                               ? "SELECT name, type FROM pragma_table_xinfo(?1) "
                                 "WHERE hidden IN (0, 2, 3) ORDER BY cid"
                               : "SELECT name, type FROM pragma_table_xinfo(?1) "
                                 "WHERE hidden = 0 ORDER BY cid",
                           -1, &st, NULL) != SQLITE_OK)
        return qerr_set(err, QE_SQL, "cannot list the columns of '%s': %s", table,
                        sqlite3_errmsg(db));
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n == cap) {
            cap = cap ? 2 * cap : 16;
            out->names = xrealloc(out->names, (size_t)cap * sizeof(*out->names));
            out->decls = xrealloc(out->decls, (size_t)cap * sizeof(*out->decls));
            out->kinds = xrealloc(out->kinds, (size_t)cap * sizeof(*out->kinds));
        }
        const char *name = (const char *)sqlite3_column_text(st, 0);
        const char *decl = (const char *)sqlite3_column_text(st, 1);
        out->names[out->n] = xstrdup(name ? name : "");
        out->decls[out->n] = xstrdup(decl ? decl : "");
        out->kinds[out->n++] = catalog_kind_of_decl(decl);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        qerr_set(err, QE_SQL, "cannot list the columns of '%s': %s", table, sqlite3_errmsg(db));
        catalog_columns_release(out);
        return -1;
    }
    return 0;
}

void
catalog_columns_release(struct catalog_columns *c)
{
    catalog_names_free(c->names, c->n);
    catalog_names_free(c->decls, c->n);
    free(c->kinds);
    memset(c, 0, sizeof(*c));
}

const char *
catalog_rowid_name(sqlite3 *db, const char *table, const char *const *more, int n_more,
                   struct qerr *err)
{
    static const char *const rids[] = {"rowid", "_rowid_", "oid"};
    char *spelt[3] = {NULL, NULL, NULL}; /* each name as a column spells it */
    int in_table[3] = {0, 0, 0};
    sqlite3_stmt *st = NULL;
    const char *rid = NULL;
    int rc;
    /* Every column: a generated or hidden one hides the rowid as well. */
    if (sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_xinfo(?1)", -1, &st, NULL) !=
        SQLITE_OK) {
        qerr_set(err, QE_SQL, "cannot list the columns of '%s': %s", table, sqlite3_errmsg(db));
        return NULL;
    }
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        for (int i = 0; i < 3 && name; i++)
            if (!spelt[i] && strcasecmp(name, rids[i]) == 0) {
                spelt[i] = xstrdup(name);
                in_table[i] = 1;
            }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        qerr_set(err, QE_SQL, "cannot list the columns of '%s': %s", table, sqlite3_errmsg(db));
        goto out;
    }
    for (int k = 0; k < n_more; k++)
        for (int i = 0; i < 3; i++)
            if (!spelt[i] && strcasecmp(more[k], rids[i]) == 0)
                spelt[i] = xstrdup(more[k]);
    for (int i = 0; i < 3 && !rid; i++)
        if (!spelt[i])
            rid = rids[i];
    if (!rid) {
        qerr_set(err, QE_ARG, "columns named '%s', '%s' and '%s' hide the row ids of '%s', "
                 "which quarry needs to keep its rows in line", spelt[0], spelt[1], spelt[2],
                 table);
        int i = in_table[2] ? 2 : in_table[1] ? 1 : in_table[0] ? 0 : -1;
        if (i >= 0) {
            char *sql = sqlite3_mprintf("ALTER TABLE \"%w\" RENAME COLUMN \"%w\" TO %s_2",
                                        table, spelt[i], i == 1 ? "row_id" : rids[i]);
            qerr_hint(err, "rename one of them, e.g. %s", sql ? sql : "ALTER TABLE");
            sqlite3_free(sql);
        } else
            qerr_hint(err, "give the new column another name");
    }
out:
    for (int i = 0; i < 3; i++)
        free(spelt[i]);
    return rid;
}

int
catalog_table_find(sqlite3 *db, const char *name, struct catalog_table *out, struct qerr *err)
{
    sqlite3_stmt *st = NULL;
    int rc = 0;
    memset(out, 0, sizeof(*out));
    /* temp before main, as SQLite looks a name up */
    if (sqlite3_prepare_v2(db, "SELECT schema, name, type, wr FROM pragma_table_list "
                               "WHERE name = ?1 COLLATE NOCASE AND schema IN ('main', 'temp') "
                               "ORDER BY schema = 'temp' DESC LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return qerr_set(err, QE_SQL, "cannot look '%s' up: %s", name, sqlite3_errmsg(db));
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        out->schema = xstrdup((const char *)sqlite3_column_text(st, 0));
        out->name = xstrdup((const char *)sqlite3_column_text(st, 1));
        out->type = xstrdup((const char *)sqlite3_column_text(st, 2));
        out->without_rowid = sqlite3_column_int(st, 3);
        rc = 1;
    } else if (s != SQLITE_DONE) {
        rc = qerr_set(err, QE_SQL, "cannot look '%s' up: %s", name, sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
    return rc;
}

void
catalog_table_release(struct catalog_table *t)
{
    free(t->schema);
    free(t->name);
    free(t->type);
    memset(t, 0, sizeof(*t));
}

int
catalog_name_taken(sqlite3 *db, const char *name)
{
    static const char sql[] =
        "SELECT 1 FROM main.sqlite_schema WHERE name = ?1 COLLATE NOCASE "
        "UNION ALL SELECT 1 FROM temp.sqlite_schema WHERE name = ?1 COLLATE NOCASE";
    sqlite3_stmt *st = NULL;
    int taken = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        taken = sqlite3_step(st) == SQLITE_ROW;
    }
    sqlite3_finalize(st);
    return taken;
}

enum catalog_kind
catalog_kind_of_decl(const char *decl)
{
    if (!decl)
        return CATALOG_OTHER;
    if (strcasecmp(decl, "DATE_TEXT") == 0)
        return CATALOG_DATE;
    if (strcasecmp(decl, "TIMESTAMP_TEXT") == 0)
        return CATALOG_TIMESTAMP;
    if (strcasecmp(decl, "INTEGER") == 0 || strcasecmp(decl, "INT") == 0)
        return CATALOG_INTEGER;
    if (strcasecmp(decl, "REAL") == 0)
        return CATALOG_REAL;
    if (strcasecmp(decl, "TEXT") == 0)
        return CATALOG_TEXT;
    return CATALOG_OTHER;
}

const char *
catalog_kind_name(enum catalog_kind kind)
{
    switch (kind) {
    case CATALOG_INTEGER: return "integer";
    case CATALOG_REAL: return "real";
    case CATALOG_TEXT: return "text";
    case CATALOG_DATE: return "date";
    case CATALOG_TIMESTAMP: return "timestamp";
    case CATALOG_OTHER: break;
    }
    return "any";
}

/* Optimal string alignment distance, case-insensitive, capped at 9. */
static int
edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return 99;
    int d[65][65];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            int ca = a[i - 1] | 0x20, cb = b[j - 1] | 0x20;
            int cost = ca != cb;
            int v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && ca == (b[j - 2] | 0x20) && (a[i - 2] | 0x20) == cb &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    }
    return d[la][lb];
}

const char *
catalog_suggest(const char *want, const char *const *cands, int n)
{
    const char *best = NULL;
    int best_d = 99;
    size_t wl = strlen(want);
    for (int i = 0; i < n; i++) {
        int d = edit_distance(want, cands[i]);
        if (d < best_d) {
            best_d = d;
            best = cands[i];
        }
    }
    /* Close enough: at most a third of the word, and at least 1 edit allowed. */
    int limit = (int)(wl / 3) < 1 ? 1 : (int)(wl / 3);
    if (limit > 3)
        limit = 3;
    if (best_d <= limit)
        return best;
    /* Otherwise a unique name that starts with what was typed ('cust'). */
    const char *pre = NULL;
    for (int i = 0; wl >= 2 && i < n; i++) {
        if (strncasecmp(cands[i], want, wl) == 0) {
            if (pre)
                return NULL;
            pre = cands[i];
        }
    }
    return pre;
}
