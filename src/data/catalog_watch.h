/*
 * catalog_watch.h: which tables the statements on a connection write.
 *
 * A watch sits on one SQLite connection as its authorizer and its update
 * hook, so it sees every statement, quarry's own and the user's alike:
 *   - the authorizer, as each statement is prepared: INSERT, UPDATE,
 *     DELETE, CREATE, DROP and ALTER TABLE, with the table's name; and
 *     SAVEPOINT, RELEASE and ROLLBACK TO, so that a rollback stamps again
 *     exactly the tables written since its savepoint opened;
 *   - the update hook, as each row is written: a statement prepared
 *     before something read its table and stepped after is seen too.
 * Each write it notices stamps the table with a new tick of a clock;
 * catalog_watch_touch stamps every table at once (a new connection, or
 * a change the watch cannot see). A copy of a table's data taken when
 * the clock read c (a cached frame) is current while
 * catalog_watch_stamp(w, table) <= c.
 *
 * What it cannot see, and why that is safe: rows changed through
 * sqlite3_blob_write (quarry never opens a blob handle); CREATE, DROP or
 * ALTER prepared before a read of the table and stepped after it (nothing
 * in quarry keeps a statement across a read); the new name of ALTER TABLE
 * ... RENAME TO (that name was free, so any copy under it is of a table
 * whose DROP was noticed). Triggers' writes are authorized like the
 * statement's own, and the catalog has no triggers (see catalog.h).
 *
 * Table names compare as SQLite compares them, ignoring ASCII case; a
 * temp table and a main table of one name share a stamp.
 */
#ifndef QUARRY_CATALOG_WATCH_H
#define QUARRY_CATALOG_WATCH_H

#include <sqlite3.h>

struct catalog_watch;

/*
 * A policy for the statements being prepared: called like an SQLite
 * authorizer (sqlite3_set_authorizer) after the watch has noted the
 * action; its answer is the authorizer's.
 */
typedef int (*catalog_watch_policy)(void *arg, int action, const char *a1, const char *a2,
                                    const char *db, const char *trigger);

/* A watch on no connection yet; free it with catalog_watch_free. */
struct catalog_watch *catalog_watch_new(void);
/* Free w. The connection it watched must be closed first, or watched by another. */
void catalog_watch_free(struct catalog_watch *w);
/*
 * Watch db from now on: install w as its authorizer and update hook (so
 * nothing else may set either). Every table is stamped (what db holds is
 * new to the watch). The connection watched before, if any, is left as it
 * is and must not be used again.
 */
void catalog_watch_attach(struct catalog_watch *w, sqlite3 *db);
/* The clock: take it when copying a table's data, to compare with stamps later. */
unsigned long long catalog_watch_clock(struct catalog_watch *w);
/* The tick of the last write noticed to table, or to every table. */
unsigned long long catalog_watch_stamp(const struct catalog_watch *w, const char *table);
/* Stamp every table: anything may have changed. */
void catalog_watch_touch(struct catalog_watch *w);
/* Set the policy for statements prepared from now on (NULL: allow everything). */
void catalog_watch_set_policy(struct catalog_watch *w, catalog_watch_policy fn, void *arg);

#endif
