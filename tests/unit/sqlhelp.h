/*
 * sqlhelp.h: SQLite helpers the loader tests share: a fresh in-memory
 * database, and the first value a query gives as "type:value" text.
 *
 *   sql_fresh()       a new :memory: database (exits 2 if SQLite cannot open one)
 *   cell(db, sql)     "integer:3", "real:1.5", "text:x", "null", "blob", "none"
 *                     (no row) or "sql error: ..." for the first column of the
 *                     first row; the text lives in a static buffer until the next call
 *   write_tmp(s, len, suffix)  len bytes of s into a new /tmp/quarry_test_XXXXXX<suffix>
 *                     file; its path (the caller frees it and unlinks the file);
 *                     exits 2 when it cannot be written
 */
#ifndef QUARRY_SQLHELP_H
#define QUARRY_SQLHELP_H

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static inline char *
write_tmp(const void *s, size_t len, const char *suffix)
{
    char *path = malloc(64);
    snprintf(path, 64, "/tmp/quarry_test_XXXXXX%s", suffix);
    int fd = mkstemps(path, (int)strlen(suffix));
    if (fd < 0 || write(fd, s, len) != (ssize_t)len) {
        perror("write_tmp");
        exit(2);
    }
    close(fd);
    return path;
}

static inline sqlite3 *
sql_fresh(void)
{
    sqlite3 *db = NULL;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK)
        exit(2);
    return db;
}

static inline const char *
cell(sqlite3 *db, const char *sql)
{
    static char out[8192];
    sqlite3_stmt *st = NULL;
    snprintf(out, sizeof(out), "none");
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        snprintf(out, sizeof(out), "sql error: %s", sqlite3_errmsg(db));
        return out;
    }
    if (sqlite3_step(st) == SQLITE_ROW) {
        switch (sqlite3_column_type(st, 0)) {
        case SQLITE_INTEGER:
            snprintf(out, sizeof(out), "integer:%lld", sqlite3_column_int64(st, 0));
            break;
        case SQLITE_FLOAT:
            snprintf(out, sizeof(out), "real:%.17g", sqlite3_column_double(st, 0));
            break;
        case SQLITE_TEXT:
            snprintf(out, sizeof(out), "text:%s", sqlite3_column_text(st, 0));
            break;
        case SQLITE_NULL:
            snprintf(out, sizeof(out), "null");
            break;
        default:
            snprintf(out, sizeof(out), "blob");
        }
    }
    sqlite3_finalize(st);
    return out;
}

#endif
