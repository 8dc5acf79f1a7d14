/*
 * tui.h: the full-screen curses front end: an output pane with
 * scrollback, a status bar and a readline prompt line.
 */
#ifndef QUARRY_TUI_H
#define QUARRY_TUI_H

#include "session.h"

/*
 * Open the screen and make the session's results go to the pane. Returns
 * -1 (and leaves the terminal alone) when curses cannot drive the terminal
 * (an unknown TERM); the caller then uses the line-mode prompt.
 */
int tui_open(struct session *s);
/* Read and run statements until quit or Ctrl-D. */
void tui_loop(struct session *s);
/* Restore the terminal and save the history. */
void tui_close(struct session *s);

#endif
