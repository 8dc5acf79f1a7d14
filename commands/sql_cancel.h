/*
 * sql_cancel.h: making a user SQL write stoppable by Ctrl-C without
 * losing the undo history. SQLite's own interrupt (sqlite3_interrupt, or
 * a progress handler returning nonzero) ends a write with SQLITE_INTERRUPT,
 * and SQLite then rolls back the whole transaction, savepoints included
 * (sqlite3VdbeHalt): the catalog's undo levels are that transaction. An
 * error a function raises ends only the statement. So an INSERT ... SELECT
 * or CREATE TABLE ... AS SELECT is run with its SELECT wrapped as
 *     SELECT * FROM (the user's SELECT) WHERE SQL_CANCEL_FUNC()
 * and an UPDATE or DELETE with its WHERE made
 *     WHERE SQL_CANCEL_FUNC() AND (the user's WHERE)
 * (an UPDATE without one gets WHERE SQL_CANCEL_FUNC()); the function
 * raises SQL_CANCEL_MSG once the cancel flag is set. SQLite calls it for
 * every row, without computing an INSERT's SELECT first (a trigger on the
 * table would make it), for about 0.02 us a row where a cancel trigger
 * cost 0.3 (RELIABILITY.md). The call also gives the statement a
 * statement journal, so a full catalog fails that statement alone.
 */
#ifndef QUARRY_SQL_CANCEL_H
#define QUARRY_SQL_CANCEL_H

#include <sqlite3.h>

/* The message of a cancelled user SQL write (the trigger's and the function's). */
#define SQL_CANCEL_MSG "quarry: interrupted"
/* The function the wrapped SELECT calls: 1, or the error SQL_CANCEL_MSG. */
#define SQL_CANCEL_FUNC "quarry_go"

/* The function a cancel trigger asks (dispatch.c): 1 once the flag is set, else 0. */
#define SQL_CANCEL_FLAG_FUNC "quarry_cancel"

/*
 * Register SQL_CANCEL_FUNC and SQL_CANCEL_FLAG_FUNC on db, reading *flag.
 * Returns SQLite's code.
 */
int sql_cancel_register(sqlite3 *db, const volatile int *flag);

/*
 * Whether the statement text [start, end) holds the word SELECT outside
 * quotes and comments (SQLite's authorizer does not report the SELECT of an
 * INSERT it copies table to table).
 */
int sql_has_select(const char *start, const char *end);

/*
 * The statement [start, end) (one statement, as sqlite3_prepare's tail
 * ends it) rewritten so it calls SQL_CANCEL_FUNC for every row, when it is
 * an INSERT or REPLACE whose rows come from a SELECT (ON CONFLICT and
 * RETURNING after it kept), a CREATE TABLE ... AS SELECT, an UPDATE, or a
 * DELETE with a WHERE (a WITH before any of them allowed); else NULL. The
 * result is malloc'd, NUL terminated. It is a text rewrite: the caller
 * prepares it and keeps the statement as typed when SQLite refuses it.
 */
char *sql_cancel_wrap(const char *start, const char *end);

#endif
