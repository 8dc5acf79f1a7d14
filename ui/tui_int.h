/*
 * tui_int.h: what the pieces of the full-screen front end share (tui.c
 * owns the state; tui_complete.c holds readline's completion hooks).
 */
#ifndef QUARRY_TUI_INT_H
#define QUARRY_TUI_INT_H

#include "cmd.h"
#include "pane.h"
#include "session.h"

struct session *tui_session(void);
struct pane *tui_pane(void);
/* The statement being typed over several lines, if any. */
struct splitter *tui_splitter(void);
/* Draw the whole screen again. */
void tui_redraw(void);

/* Readline's attempted-completion function (complete.c's engine). */
char **tui_complete(const char *text, int start, int end);
/* Readline's hook to list ambiguous completions: into the pane. */
void tui_list_matches(char **matches, int n, int max_len);

#endif
