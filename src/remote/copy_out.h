/*
 * copy_out.h: a catalog table sent to PostgreSQL as a new remote table
 * (export T NAME.table): CREATE TABLE, then every row in one COPY ...
 * FROM STDIN (FORMAT csv) (libpq's PQputCopyData, in blocks), all in one
 * remote transaction, so a failure or a cancel leaves the server as it
 * was. The rows are formatted by export's CSV writer (load_export_rows,
 * data/load.h): NULL an empty field, '' a quoted one, reals in their
 * shortest round-trip form, so they come back bit for bit. Columns keep
 * their names; INTEGER columns become bigint, REAL double precision,
 * everything else text.
 */
#ifndef QUARRY_COPY_OUT_H
#define QUARRY_COPY_OUT_H

#include <sqlite3.h>

#include "base/qerr.h"
#include "remote/pg.h"

/*
 * Send table to the remote relation schema.name (unquoted names). When it
 * exists: replace drops it first (in the same transaction); else QE_ARG.
 * *n_rows gets the rows sent. progress by the clock (tick.h), nonzero
 * cancels (QE_INTERRUPT, the remote transaction rolled back).
 */
int pg_copy_out(struct pg_conn *c, sqlite3 *db, const char *table, const char *schema,
                const char *name, int replace, int (*progress)(void *pctx, double fraction),
                void *pctx, long long *n_rows, struct qerr *err);

#endif
