/*
 * kit.h: what the fuzz targets that run statements share: a session with
 * a small catalog, a deadline that cancels a statement that runs too
 * long, and a fingerprint of the whole catalog, by which a statement is
 * checked to leave the catalog as it found it when it fails.
 */
#ifndef QUARRY_FUZZ_KIT_H
#define QUARRY_FUZZ_KIT_H

#include "cmd.h"

/*
 * Start a session (ctx_init) whose statements are cancelled, through the
 * progress callback and ctx->interrupted, once they have run for ms
 * milliseconds. Aborts if the catalog cannot be opened.
 */
void fuzz_session(struct cmd_ctx *ctx, int ms);
/* Run quarry's own SQL on the catalog (tables for the targets); aborts on error. */
void fuzz_exec(struct cmd_ctx *ctx, const char *sql);
/*
 * A hash of everything the catalog holds: every schema entry (type, name,
 * SQL) and every row of every table, quarry's own ones included, in order.
 */
unsigned long long fuzz_catalog_hash(struct cmd_ctx *ctx);
/*
 * Run one statement through the dispatcher (cmd_run) and check it: a
 * statement that fails leaves the catalog exactly as it was, and one that
 * succeeds changes it only if it says so (CMD_WRITES or res.changed; open,
 * save and undo manage the catalog themselves and are not checked that
 * way). A violation prints the statement and aborts. Returns cmd_run's
 * result. With QUARRY_FUZZ_VERBOSE set, prints each statement and its
 * outcome (to see what an input runs).
 */
int fuzz_run(struct cmd_ctx *ctx, const char *stmt);
/* Append text to b as one quoted command value: '...' with ' doubled. */
void fuzz_quote(struct buf *b, const char *text);

#endif
