/*
 * coltab_sql.c: column tables and the statements around them that are not
 * the module's (coltab.c): bringing a workspace's tables back as column
 * tables after open, and turning a column table into an ordinary one
 * before an ALTER TABLE or CREATE INDEX typed in SQL, which SQLite refuses
 * for any virtual table (docs/COLUMNS.md).
 */
#include "data/coltab.h"

#include <string.h>

#include "base/buf.h"

#include "base/banned.h"

/* Whether `table` is as load (or a conversion) writes it: CREATE TABLE "t" ("a" TYPE, ...),
 * no constraint, default, index or hidden column, and not one of quarry's own
 * (quarry_models...). */
static int
plain_table(sqlite3 *db, const char *table, const char *sql)
{
    if (strncmp(table, "quarry_", 7) == 0 || strncmp(table, "sqlite_", 7) == 0)
        return 0;
    struct buf want = BUF_INIT;
    sqlite3_stmt *st = NULL;
    int n = 0, ok = 1;
    char *q = sqlite3_mprintf("SELECT name, type, hidden, (SELECT count(*) FROM "
                              "main.sqlite_schema WHERE type = 'index' AND tbl_name = %Q) "
                              "FROM pragma_table_xinfo(%Q)", table, table);
    char *qt = sqlite3_mprintf("\"%w\"", table);
    buf_addf(&want, "CREATE TABLE %s (", qt ? qt : "");
    size_t head = want.len - 2; /* CREATE TABLE "t" */
    sqlite3_free(qt);
    if (!q || sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK)
        ok = 0;
    while (ok && sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        const char *type = (const char *)sqlite3_column_text(st, 1);
        if (sqlite3_column_int(st, 2) || sqlite3_column_int(st, 3))
            ok = 0;
        char *qn = sqlite3_mprintf("\"%w\"", name ? name : "");
        buf_addf(&want, "%s%s%s%s", n++ ? ", " : "", qn ? qn : "", type && *type ? " " : "",
                 type ? type : "");
        sqlite3_free(qn);
    }
    buf_adds(&want, ")");
    /* or "t"("a" ...), as coltab_to_rows leaves a table it converted */
    ok = ok && n > 0 && (strcmp(want.data, sql) == 0 ||
                         (strncmp(want.data, sql, head) == 0 && sql[head] == '(' &&
                          strcmp(want.data + head + 1, sql + head) == 0));
    sqlite3_finalize(st);
    sqlite3_free(q);
    buf_release(&want);
    return ok;
}

int
coltab_all_from_rows(sqlite3 *db, int *n, struct qerr *err)
{
    sqlite3_stmt *st = NULL;
    struct buf names = BUF_INIT;
    int rc = 0, k = 0;
    *n = 0;
    if (coltab_register(db, err) < 0)
        return -1;
    /* the names first: converting changes the schema being read */
    if (sqlite3_prepare_v2(db, "SELECT name, sql FROM main.sqlite_schema WHERE type = 'table' "
                               "ORDER BY rowid", -1, &st, NULL) != SQLITE_OK)
        return qerr_set(err, QE_SQL, "%s", sqlite3_errmsg(db));
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        const char *sql = (const char *)sqlite3_column_text(st, 1);
        if (name && sql && plain_table(db, name, sql)) {
            buf_add(&names, name, strlen(name) + 1);
            k++;
        }
    }
    sqlite3_finalize(st);
    const char *p = names.data;
    for (int i = 0; i < k && rc == 0; i++, p += strlen(p) + 1) {
        rc = coltab_from_rows(db, p, err);
        *n += rc == 0;
    }
    buf_release(&names);
    return rc;
}

/* The refusals of SQLite for a virtual table that coltab_unalter answers. */
static int
alter_refusal(const char *msg)
{
    static const char *const refusals[] = {
        "virtual tables may not be altered", "virtual tables may not be indexed",
        "cannot drop column from virtual table", "cannot rename columns of virtual table",
    };
    for (size_t i = 0; msg && i < sizeof refusals / sizeof refusals[0]; i++)
        if (strstr(msg, refusals[i]))
            return 1;
    return 0;
}

/* The next identifier of the statement at *p (NULL at its end) into id; strings and
 * comments skipped, quotes ("x", [x], `x`) taken off. */
static int
next_ident(const char **p, struct buf *id)
{
    const char *s = *p;
    buf_reset(id);
    while (*s && *s != ';') {
        unsigned char c = (unsigned char)*s;
        if (c == '-' && s[1] == '-') {
            while (*s && *s != '\n')
                s++;
        } else if (c == '/' && s[1] == '*') {
            const char *e = strstr(s + 2, "*/");
            s = e ? e + 2 : s + strlen(s);
        } else if (c == '\'' || c == '"' || c == '`' || c == '[') {
            char close = c == '[' ? ']' : (char)c;
            for (s++; *s; s++) {
                if (*s == close && !(close != ']' && s[1] == close))
                    break;
                if (*s == close)
                    s++; /* a doubled quote */
                buf_addc(id, *s);
            }
            if (*s)
                s++;
            if (c != '\'') {
                *p = s;
                return 1;
            }
            buf_reset(id);
        } else if (c == '_' || c >= 0x80 || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) {
            while (*s == '_' || *s == '$' || (unsigned char)*s >= 0x80 ||
                   (*s >= '0' && *s <= '9') || ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'z'))
                buf_addc(id, *s++);
            *p = s;
            return 1;
        } else {
            s++;
        }
    }
    *p = s;
    return 0;
}

int
coltab_unalter(sqlite3 *db, const char *sql, const char *msg, struct qerr *err)
{
    if (!alter_refusal(msg))
        return 0;
    struct buf id = BUF_INIT;
    const char *p = sql;
    int n = 0, rc = 0;
    while (rc == 0 && next_ident(&p, &id)) {
        if (id.len && coltab_is(db, id.data)) {
            rc = coltab_to_rows(db, id.data, err);
            n += rc == 0;
        }
    }
    buf_release(&id);
    return rc < 0 ? -1 : n > 0;
}

int
coltab_max_columns(sqlite3 *db)
{
    return sqlite3_limit(db, SQLITE_LIMIT_COLUMN, -1) - 6;
}
