/*
 * sql_policy.h: the rules for user SQL, judged as each statement is
 * prepared: the catalog's own authorizer, which notes what the statement
 * writes, hands every action on to sql_policy_authorizer
 * (catalog_set_policy in dispatch.c's run_sql). It keeps user SQL from
 * breaking the savepoint scheme (no BEGIN, SAVEPOINT, ATTACH) or the
 * workspace rules (plain tables only, read-only pragmas), with a reason in
 * ctx->deny_reason, and notes the tables a statement inserts into or
 * updates.
 */
#ifndef QUARRY_SQL_POLICY_H
#define QUARRY_SQL_POLICY_H

#include "cmd.h"

/* The tables a statement inserts into or updates, as the authorizer saw them. */
#define SQL_WRITES_MAX 16
struct sql_policy {
    struct cmd_ctx *ctx;
    int n, overflow, selects;
    char *table[SQL_WRITES_MAX];
    int action[SQL_WRITES_MAX]; /* SQLITE_INSERT or SQLITE_UPDATE */
};

/* Forget the noted writes (and counts) of the last statement. */
void sql_policy_reset(struct sql_policy *pol);

/*
 * The authorizer callback (arg is a struct sql_policy): SQLITE_OK, or
 * SQLITE_DENY with pol->ctx->deny_reason set to what to type instead.
 */
int sql_policy_authorizer(void *arg, int action, const char *a1, const char *a2, const char *db,
                          const char *trigger);

#endif
