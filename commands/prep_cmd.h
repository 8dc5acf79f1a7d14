/*
 * prep_cmd.h: what the preprocessing commands (cmd_clean.c,
 * cmd_normalize.c, cmd_derive.c) share: where a command writes (in place, or a new table
 * named by `as`), the seed a random command uses, and number formatting
 * for their one-line summaries.
 */
#ifndef QUARRY_PREP_CMD_H
#define QUARRY_PREP_CMD_H

#include "cmd.h"
#include "data/frame.h"

/*
 * The seed of a randomised statement: seed= if typed, else the session
 * seed or a fresh one, which is then recorded in the history
 * (" seed=N") so a replay draws the same numbers, and reported.
 */
unsigned long long prep_seed(struct cmd_ctx *ctx, const struct cmd_args *args,
                             struct cmd_result *res);

/*
 * Write the frame's rows back with outs replacing or adding columns and
 * keep (or NULL) choosing rows: in place, or into args->as. After the
 * first write of a statement the work continues on the written table,
 * so *table is updated to it.
 */
int prep_write(struct cmd_ctx *ctx, const struct cmd_args *args, const char **table,
               const struct frame *f, const struct frame_out *outs, int n_outs,
               const unsigned char *keep, struct qerr *err);

/* Read named columns (all when n == 0) of table; the frame is released by the caller. */
int prep_read(struct cmd_ctx *ctx, const char *table, char *const *cols, int n, int flags,
              struct frame **f, struct qerr *err);

/* Point err at argument key of the statement (the caret); returns -1. */
int prep_fail_at(const struct cmd_args *args, const char *key, struct qerr *err);

/* Text of a count with thousands separators ("69,788"). */
const char *prep_count(char buf[32], long long n);

#endif
