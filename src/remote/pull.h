/*
 * pull.h: the rows of a remote query copied into a new catalog table
 * (load NAME.table as T), streamed one row at a time into SQLite, with
 * progress and cancel by the clock. The caller's savepoint keeps the
 * catalog unchanged when it fails.
 */
#ifndef QUARRY_PULL_H
#define QUARRY_PULL_H

#include <sqlite3.h>

#include "base/qerr.h"
#include "remote/pg.h"

/*
 * Create table dest (which must not exist) with the columns of sql
 * (PostgreSQL integers as INTEGER, floats and numeric as REAL, the rest as
 * TEXT) and insert every row sql returns; *n_rows gets the count.
 * expected (the planner's estimate, or <= 0) scales the progress
 * fraction. Fails with pg_query's errors, QE_SQL when SQLite refuses a
 * write, QE_INTERRUPT when progress cancels.
 */
int pg_pull(struct pg_conn *c, sqlite3 *db, const char *sql, const char *dest, double expected,
            int (*progress)(void *pctx, double fraction), void *pctx, long long *n_rows,
            struct qerr *err);

#endif
