/*
 * sql_policy.c: the authorizer for user SQL (sql_policy.h), moved out of
 * dispatch.c.
 */
#include "sql_policy.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/banned.h"

static const char *const safe_pragmas[] = {
    "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
    "foreign_key_list", "compile_options", "function_list", "pragma_list", "collation_list",
    "integrity_check", "quick_check", "page_count", "page_size", "freelist_count", "encoding",
    NULL};

static void
note_write(struct sql_policy *pol, int action, const char *table, const char *db)
{
    if (!table || (db && strcmp(db, "main") != 0) || strncasecmp(table, "sqlite_", 7) == 0)
        return;
    for (int i = 0; i < pol->n; i++)
        if (pol->action[i] == action && strcmp(pol->table[i], table) == 0)
            return;
    if (pol->n == SQL_WRITES_MAX) {
        pol->overflow = 1;
        return;
    }
    pol->action[pol->n] = action;
    pol->table[pol->n++] = xstrdup(table);
}

void
sql_policy_reset(struct sql_policy *pol)
{
    for (int i = 0; i < pol->n; i++)
        free(pol->table[i]);
    pol->n = pol->overflow = pol->selects = 0;
}

int
sql_policy_authorizer(void *arg, int action, const char *a1, const char *a2, const char *db,
           const char *trigger)
{
    struct sql_policy *pol = arg;
    struct cmd_ctx *ctx = pol->ctx;
    if (!trigger && (action == SQLITE_INSERT || action == SQLITE_UPDATE))
        note_write(pol, action, a1, db);
    switch (action) {
    case SQLITE_TRANSACTION:
    case SQLITE_SAVEPOINT:
        ctx->deny_reason = "quarry runs every statement in its own savepoint; type undo to "
                           "revert the last change";
        return SQLITE_DENY;
    case SQLITE_ATTACH:
    case SQLITE_DETACH:
        ctx->deny_reason = "ATTACH is not available; open a workspace with open, or load a "
                           "file with load";
        return SQLITE_DENY;
    case SQLITE_CREATE_TRIGGER:
    case SQLITE_CREATE_TEMP_TRIGGER:
    case SQLITE_CREATE_VIEW:
    case SQLITE_CREATE_TEMP_VIEW:
        ctx->deny_reason = "workspaces hold tables only; write CREATE TABLE name AS SELECT ...";
        return SQLITE_DENY;
    case SQLITE_CREATE_TABLE:
    case SQLITE_CREATE_INDEX:
        if (!db || strcasecmp(db, "temp") != 0) /* CREATE TABLE temp.x says so only here */
            return SQLITE_OK;
        /* fall through */
    case SQLITE_CREATE_TEMP_TABLE:
    case SQLITE_CREATE_TEMP_INDEX:
        /* A temp table hides from tables and commands, and save would drop it unsaid. */
        ctx->deny_reason = "a TEMP table is not listed by tables, seen by commands or kept by "
                           "save; create a normal table: CREATE TABLE name ...";
        return SQLITE_DENY;
    case SQLITE_CREATE_VTABLE:
        ctx->deny_reason = "workspaces hold plain tables only, and open refuses virtual ones; "
                           "write CREATE TABLE name AS SELECT ...";
        return SQLITE_DENY;
    case SQLITE_FUNCTION: /* a1 unused, a2 the function's name */
        /* the catalog's word to the column tables about its undo levels (coltab.c) */
        if (a2 && strcasecmp(a2, "quarry_columns_sp") == 0) {
            ctx->deny_reason = "quarry_columns_sp is quarry's own undo bookkeeping for column "
                               "tables, not for SQL; type undo to revert the last change";
            return SQLITE_DENY;
        }
        return SQLITE_OK;
    case SQLITE_PRAGMA:
        for (int i = 0; safe_pragmas[i]; i++)
            if (strcasecmp(a1, safe_pragmas[i]) == 0)
                return SQLITE_OK;
        ctx->deny_reason = "only read-only pragmas such as table_info are allowed; use set "
                           "and show for quarry's settings";
        return SQLITE_DENY;
    default:
        return SQLITE_OK;
    }
}

