/*
 * line_complete.h: readline's completion over quarry's completion engine
 * (commands/complete.h), shared by the full-screen front end and the
 * --plain prompt, so Tab offers the same words in both.
 */
#ifndef QUARRY_LINE_COMPLETE_H
#define QUARRY_LINE_COMPLETE_H

#include "cmd.h"

/*
 * Readline's attempted-completion work for the line in rl_line_buffer:
 * the engine's words at the cursor, in readline's matches form (NULL for
 * none; file names through readline's own completer). split, if not
 * NULL, holds the lines of a statement typed so far (a continuation).
 */
char **line_complete(struct cmd_ctx *ctx, const struct splitter *split, const char *text,
                     int start, int end);
/* Set readline's word breaks and quote characters to the engine's. */
void line_complete_setup(void);
/*
 * Make Tab in the --plain prompt complete as the full-screen front end
 * does: ctx and split (the prompt's statement splitter) are borrowed
 * until the prompt ends.
 */
void line_complete_install(struct cmd_ctx *ctx, const struct splitter *split);

#endif
