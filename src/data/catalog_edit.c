/*
 * catalog_edit.c: whole-table operations by name (catalog_edit.h): count,
 * drop, rename, derive a column, find duplicates, read one cell.
 */
#include "data/catalog_edit.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/mem.h"
#include "data/row_source.h"

#include "base/banned.h"

long long
catalog_count_rows(struct catalog *cat, const char *table)
{
    sqlite3 *db = catalog_db(cat);
    char *sql = sqlite3_mprintf("SELECT count(*) FROM \"%w\"", table);
    sqlite3_stmt *st = NULL;
    long long n = -1;
    if (sql && sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_free(sql);
    return n;
}

/* Run sql (from sqlite3_mprintf; freed here), QE_SQL on failure. */
static int
exec_free(struct catalog *cat, char *sql, struct qerr *err)
{
    if (!sql)
        return qerr_set(err, QE_NOMEM, "out of memory");
    int rc = catalog_exec(catalog_db(cat), sql, err);
    sqlite3_free(sql);
    return rc;
}

int
catalog_drop_table(struct catalog *cat, const char *table, struct qerr *err)
{
    return exec_free(cat, sqlite3_mprintf("DROP TABLE \"%w\"", table), err);
}

int
catalog_rename_table(struct catalog *cat, const char *from, const char *to, struct qerr *err)
{
    return exec_free(cat, sqlite3_mprintf("ALTER TABLE \"%w\" RENAME TO \"%w\"", from, to), err);
}

/* The declaration expr's values call for (see catalog_derive_column). */
static int
expr_decl(sqlite3 *db, const char *table, const char *name, const char *expr, const char **decl,
          struct qerr *err)
{
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    char *sql = sqlite3_mprintf("SELECT typeof((%s)), count(*) FROM \"%w\" GROUP BY 1", expr,
                                table);
    int rc = sql ? sqlite3_prepare_v2(db, sql, -1, &st, &tail) : SQLITE_NOMEM;
    int one = rc == SQLITE_OK && st && tail && !*tail && sqlite3_column_count(st) == 2;
    sqlite3_free(sql);
    if (!one) {
        qerr_set(err, QE_ARG, "%s=%s is not an SQL expression over '%s'%s%s", name, expr, table,
                 rc != SQLITE_OK ? ": " : "", rc != SQLITE_OK ? sqlite3_errmsg(db) : "");
        qerr_hint(err, "quote expressions with spaces: derive %s %s='amount * 2'", table, name);
        sqlite3_finalize(st);
        return -1;
    }
    int has_int = 0, has_real = 0, has_text = 0, has_other = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        has_int |= strcmp(t, "integer") == 0;
        has_real |= strcmp(t, "real") == 0;
        has_text |= strcmp(t, "text") == 0;
        has_other |= strcmp(t, "blob") == 0;
    }
    if (rc != SQLITE_DONE) {
        qerr_set(err, QE_ARG, "%s=%s: %s", name, expr, sqlite3_errmsg(db));
        sqlite3_finalize(st);
        return -1;
    }
    sqlite3_finalize(st);
    *decl = has_text || has_other ? (has_int || has_real ? "" : "TEXT")
            : has_real            ? "REAL"
            : has_int             ? "INTEGER"
                                  : "";
    return 0;
}

int
catalog_column_room(struct catalog *cat, const char *table, const char *const *adds,
                    int n_adds, int rewrite, const char *who, struct qerr *err)
{
    sqlite3 *db = catalog_db(cat);
    struct catalog_columns c = {0};
    if (!table || catalog_columns(db, table, 0, &c, err) < 0)
        return table ? -1 : 0;
    int more = 0;
    for (int i = 0; i < n_adds; i++) {
        int has = !adds[i];
        for (int j = 0; j < c.n && !has; j++)
            has = strcasecmp(c.names[j], adds[i]) == 0;
        more += !has;
    }
    int n = c.n, limit = sqlite3_limit(db, SQLITE_LIMIT_COLUMN, -1);
    catalog_columns_release(&c);
    if (n == 0 || n + more + (rewrite ? 1 : 0) <= limit)
        return 0;
    if (more)
        qerr_set(err, QE_ARG, "'%s' has %d columns and %s adds %d: a table holds at most %d "
                 "columns%s", table, n, who, more, limit,
                 rewrite ? ", and a copy needs one more for the row ids" : "");
    else
        qerr_set(err, QE_ARG, "%s rewrites '%s', which has %d columns: a rewritten table holds "
                 "at most %d (SQLite's limit is %d, and the row ids take one)", who, table, n,
                 limit - 1, limit);
    qerr_hint(err, "work on a narrower copy (CREATE TABLE %s_part AS SELECT the columns you need "
              "FROM %s), or drop columns first (ALTER TABLE %s DROP COLUMN NAME)", table, table,
              table);
    return -1;
}

int
catalog_derive_column(struct catalog *cat, const char *table, const char *name,
                      const char *expr, const char **decl, struct qerr *err)
{
    const char *add[1] = {name};
    if (catalog_column_room(cat, table, add, 1, 0, "derive", err) < 0)
        return -1;
    if (expr_decl(catalog_db(cat), table, name, expr, decl, err) < 0)
        return -1;
    return exec_free(cat,
                     sqlite3_mprintf("ALTER TABLE \"%w\" ADD COLUMN \"%w\" %s; "
                                     "UPDATE \"%w\" SET \"%w\" = (%s) " ROW_SOURCE_STMT_JOURNAL ";",
                                     table, name, *decl, table, name, expr),
                     err);
}

/*
 * The first column of every row st gives, as row ids, into a new array
 * *rowids of *n (who and what name the memory for the budget's error).
 */
static int
collect_rowids(sqlite3 *db, sqlite3_stmt *st, const char *who, const char *what,
               long long **rowids, long long *n, struct qerr *err)
{
    long long cap = 0, got = 0, *out = NULL;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (got == cap) {
            long long ncap = cap ? 2 * cap : 1024;
            long long *grown = mem_realloc(out, (size_t)ncap, sizeof *out, who, what, err);
            if (!grown) {
                free(out);
                return -1;
            }
            out = grown;
            cap = ncap;
        }
        out[got++] = sqlite3_column_int64(st, 0);
    }
    if (step != SQLITE_DONE) {
        free(out);
        return qerr_set(err, QE_SQL, "%s", sqlite3_errmsg(db));
    }
    *rowids = out;
    *n = got;
    return 0;
}

int
catalog_first_of_equal_rows(struct catalog *cat, const char *table, const char *const *cols,
                            int n_cols, long long **rowids, long long *n, struct qerr *err)
{
    sqlite3 *db = catalog_db(cat);
    sqlite3_stmt *st = NULL;
    struct buf sql = BUF_INIT;
    int rc = -1;
    /* The row ids by a name no column takes: a column named rowid would stand in for them. */
    const char *rid = catalog_rowid_name(db, table, NULL, 0, err);
    if (!rid)
        return -1;
    char *q = sqlite3_mprintf("SELECT min(%s) AS r FROM \"%w\" GROUP BY ", rid, table);
    buf_adds(&sql, q);
    sqlite3_free(q);
    for (int i = 0; i < n_cols; i++) {
        q = sqlite3_mprintf("%s\"%w\"", i ? ", " : "", cols[i]);
        buf_adds(&sql, q);
        sqlite3_free(q);
    }
    buf_adds(&sql, " ORDER BY r");
    if (sqlite3_prepare_v2(db, sql.data, -1, &st, NULL) != SQLITE_OK) {
        qerr_set(err, QE_SQL, "%s", sqlite3_errmsg(db));
        goto out;
    }
    rc = collect_rowids(db, st, "dedupe", "first rows", rowids, n, err);
out:
    sqlite3_finalize(st);
    buf_release(&sql);
    return rc;
}

char *
catalog_cell_text(struct catalog *cat, const char *table, const char *col, long long rowid)
{
    sqlite3 *db = catalog_db(cat);
    sqlite3_stmt *st = NULL;
    char *out = NULL;
    struct qerr e = QERR_INIT;
    const char *rid = catalog_rowid_name(db, table, NULL, 0, &e);
    qerr_clear(&e); /* all three names taken: no text, as for any other failure */
    char *sql = rid ? sqlite3_mprintf("SELECT \"%w\" FROM \"%w\" WHERE %s = ?1", col, table,
                                      rid)
                    : NULL;
    if (sql && sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, rowid);
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
            out = xstrdup((const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    sqlite3_free(sql);
    return out;
}

int
catalog_rows_where(struct catalog *cat, const char *table, const char *where,
                   long long **rowids, long long *n, struct qerr *err)
{
    sqlite3 *db = catalog_db(cat);
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    int rc = -1;
    const char *rid = catalog_rowid_name(db, table, NULL, 0, err);
    if (!rid)
        return -1;
    char *sql = sqlite3_mprintf("SELECT %s AS r FROM \"%w\" WHERE (%s) ORDER BY r", rid, table,
                                where);
    if (!sql)
        return qerr_set(err, QE_NOMEM, "out of memory");
    if (sqlite3_prepare_v2(db, sql, -1, &st, &tail) != SQLITE_OK || !st || (tail && *tail) ||
        !sqlite3_stmt_readonly(st)) {
        qerr_set(err, QE_ARG, "where=%s is not a condition on the rows of '%s'%s%s", where,
                 table, st ? "" : ": ", st ? "" : sqlite3_errmsg(db));
        goto out;
    }
    rc = collect_rowids(db, st, "where", "rows", rowids, n, err);
out:
    sqlite3_finalize(st);
    sqlite3_free(sql);
    return rc;
}
