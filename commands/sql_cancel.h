/*
 * sql_cancel.h: making a user SQL write stoppable by Ctrl-C without
 * losing the undo history. SQLite's own interrupt (sqlite3_interrupt, or
 * a progress handler returning nonzero) ends a write with SQLITE_INTERRUPT,
 * and SQLite then rolls back the whole transaction, savepoints included
 * (sqlite3VdbeHalt): the catalog's undo levels are that transaction. An
 * error a function raises ends only the statement. So an INSERT ... SELECT
 * or CREATE TABLE ... AS SELECT is run with its SELECT wrapped as
 *     SELECT * FROM (the user's SELECT) WHERE SQL_CANCEL_FUNC()
 * and the function raises SQL_CANCEL_MSG once the cancel flag is set:
 * SQLite calls it for every row the SELECT hands to the insert, without
 * computing the SELECT first (a trigger on the table would make it).
 */
#ifndef QUARRY_SQL_CANCEL_H
#define QUARRY_SQL_CANCEL_H

#include <sqlite3.h>

/* The message of a cancelled user SQL write (the trigger's and the function's). */
#define SQL_CANCEL_MSG "quarry: interrupted"
/* The function the wrapped SELECT calls: 1, or the error SQL_CANCEL_MSG. */
#define SQL_CANCEL_FUNC "quarry_go"

/*
 * Register SQL_CANCEL_FUNC on db, reading *flag (nonzero: raise). Returns
 * SQLite's code.
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
 * ends it) rewritten so its SELECT calls SQL_CANCEL_FUNC for every row,
 * when it is an INSERT or REPLACE whose rows come from a SELECT (a WITH
 * before it allowed, ON CONFLICT and RETURNING after it kept) or a
 * CREATE TABLE ... AS SELECT; else NULL. The result is malloc'd, NUL
 * terminated. It is a text rewrite: the caller prepares it and keeps the
 * statement as typed when SQLite refuses it.
 */
char *sql_cancel_wrap(const char *start, const char *end);

#endif
