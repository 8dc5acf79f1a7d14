/*
 * catalog_rows.c: the image a workspace file is written from, with every
 * column table (data/coltab.h) in it as an ordinary table. A column table
 * keeps its rows in quarry's memory, so the pages sqlite3_serialize gives
 * hold its schema line and nothing else. The image goes into a second
 * connection of its own, where each column table is dropped and made again
 * as an ordinary table, its rows copied from the catalog in rowid order;
 * the catalog itself is not touched, so save and autosave's snapshots leave
 * the session's column tables as they were (docs/COLUMNS.md, "Save and
 * open").
 */
#include "data/catalog.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "data/coltab.h"

#include "base/banned.h"

/* catalog.c calls this file, so it runs its SQL itself (no circle between the two) */
static int
exec_sql(sqlite3 *db, const char *sql, struct qerr *err)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        qerr_set(err, QE_SQL, "cannot write the column tables as rows: %s",
                 msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static int
sql_fail(sqlite3 *db, struct qerr *err)
{
    return qerr_set(err, QE_SQL, "cannot write the column tables as rows: %s",
                    sqlite3_errmsg(db));
}

/* `table` of db made again in copy as an ordinary table, with db's rows. */
static int
copy_table(sqlite3 *db, sqlite3 *copy, const char *table, struct qerr *err)
{
    struct buf decl = BUF_INIT, names = BUF_INIT, marks = BUF_INIT, sql = BUF_INIT;
    sqlite3_stmt *st = NULL, *ins = NULL;
    int rc = -1, n = 0;
    if (sqlite3_prepare_v2(db, "SELECT name, type FROM pragma_table_info(?1)", -1, &st, NULL) !=
        SQLITE_OK) {
        sql_fail(db, err);
        goto out;
    }
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        const char *type = (const char *)sqlite3_column_text(st, 1);
        char *qn = sqlite3_mprintf("\"%w\"", name ? name : "");
        buf_addf(&decl, "%s%s%s%s", n ? ", " : "", qn, type && *type ? " " : "",
                 type ? type : "");
        buf_addf(&names, ", %s", qn);
        buf_addf(&marks, ", ?%d", n + 2);
        sqlite3_free(qn);
        n++;
    }
    sqlite3_finalize(st);
    st = NULL;
    char *qt = sqlite3_mprintf("\"%w\"", table);
    /* the form load writes, so open knows it for a table to bring back as columns */
    buf_addf(&sql, "DROP TABLE main.%s; CREATE TABLE main.%s (%s);", qt, qt, decl.data);
    char *msg = NULL;
    int erc = sqlite3_exec(copy, sql.data, NULL, NULL, &msg);
    if (erc != SQLITE_OK)
        qerr_set(err, QE_SQL, "cannot write the column table '%s' as rows: %s", table,
                 msg ? msg : sqlite3_errmsg(copy));
    sqlite3_free(msg);
    buf_reset(&sql);
    buf_addf(&sql, "SELECT rowid%s FROM main.%s ORDER BY rowid", names.data, qt);
    char *isql = sqlite3_mprintf("INSERT INTO main.%s(rowid%s) VALUES (?1%s)", qt, names.data,
                                 marks.data);
    sqlite3_free(qt);
    if (erc != SQLITE_OK)
        goto out_isql;
    if (sqlite3_prepare_v2(db, sql.data, -1, &st, NULL) != SQLITE_OK) {
        sql_fail(db, err);
        goto out_isql;
    }
    if (!isql || sqlite3_prepare_v2(copy, isql, -1, &ins, NULL) != SQLITE_OK) {
        sql_fail(copy, err);
        goto out_isql;
    }
    int src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i <= n; i++)
            sqlite3_bind_value(ins, i + 1, sqlite3_column_value(st, i));
        if (sqlite3_step(ins) != SQLITE_DONE) {
            sql_fail(copy, err);
            goto out_isql;
        }
        sqlite3_reset(ins);
    }
    if (src != SQLITE_DONE) {
        sql_fail(db, err);
        goto out_isql;
    }
    rc = 0;
out_isql:
    sqlite3_free(isql);
out:
    sqlite3_finalize(st);
    sqlite3_finalize(ins);
    buf_release(&decl);
    buf_release(&names);
    buf_release(&marks);
    buf_release(&sql);
    return rc;
}

int
catalog_image_rows(sqlite3 *db, unsigned char **img, sqlite3_int64 *size, struct qerr *err)
{
    struct buf names = BUF_INIT;
    sqlite3_stmt *st = NULL;
    sqlite3 *copy = NULL;
    int rc = -1, k = 0;
    if (sqlite3_prepare_v2(db, "SELECT name FROM main.sqlite_schema WHERE type = 'table' AND "
                               "sql LIKE 'CREATE VIRTUAL TABLE%USING columns(%'", -1, &st,
                           NULL) != SQLITE_OK)
        return sql_fail(db, err);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        buf_add(&names, name, strlen(name) + 1);
        k++;
    }
    sqlite3_finalize(st);
    if (k == 0 || !*img) {
        buf_release(&names);
        return 0;
    }
    if (sqlite3_open_v2(":memory:", &copy,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        qerr_set(err, QE_NOMEM, "cannot open a connection to write the column tables");
        goto out;
    }
    unsigned char *data = *img;
    *img = NULL; /* the copy owns it now, even when deserialize fails */
    if (sqlite3_deserialize(copy, "main", data, *size, *size,
                            SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE) !=
            SQLITE_OK ||
        sqlite3_db_config(copy, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL) != SQLITE_OK ||
        coltab_register(copy, err) < 0 ||
        exec_sql(copy, "PRAGMA secure_delete = FAST; BEGIN", err) < 0) {
        if (!err->code)
            sql_fail(copy, err);
        goto out;
    }
    const char *p = names.data;
    for (int i = 0; i < k; i++, p += strlen(p) + 1)
        if (copy_table(db, copy, p, err) < 0)
            goto out;
    if (exec_sql(copy, "COMMIT", err) < 0)
        goto out;
    *img = sqlite3_serialize(copy, "main", size, 0);
    if (!*img) {
        qerr_set(err, QE_NOMEM, "cannot serialize the catalog (%lld bytes)", (long long)*size);
        goto out;
    }
    rc = 0;
out:
    sqlite3_close(copy);
    buf_release(&names);
    return rc;
}
