/*
 * grid.h: `view TABLE`, a full-screen modal grid over one catalog table.
 *
 * The grid pages the table through src/data/catalog_page.h (keyset fetches of
 * one screenful; the table is never loaded whole). Row 0 is a frozen
 * header, the bottom line shows the position ("row i of N"), the current
 * column and the sort, or a prompt or message. Column widths fit the
 * visible rows and the header, at most 40 columns; numbers are
 * right-aligned, NULL is dimmed, long cells end in '…'.
 *
 * Keys:
 *   Up/Down, k/j            one row          PgUp/PgDn, b/Space   one screen
 *   Home/End, g/G           first/last row   :N                   go to row N
 *   Left/Right, h/l         one column       0/$                  first/last column
 *   s    sort by the current column: ascending, descending, natural order
 *   /    search: the next row after the cursor, in the current order, in
 *        which ANY column contains the text (ignoring ASCII case), wrapping
 *        around the end; n repeats, N searches backward
 *   Ctrl-L redraw;  q or Esc return
 */
#ifndef QUARRY_GRID_H
#define QUARRY_GRID_H

#include <sqlite3.h>

#include "base/qerr.h"

/*
 * Run the grid over table in db until the user leaves, on a window of its
 * own covering the screen. Curses must be running (newterm) and LC_CTYPE
 * set for UTF-8 by the caller. use_color = 0 (NO_COLOR, or the user's
 * choice) or a terminal without colours gives a monochrome grid (bold,
 * reverse, dim only); with colours the header and bottom line use one
 * colour pair, whose old contents are restored on return.
 *
 * The grid turns keypad mode on for its own window and hides the cursor
 * (except at a prompt), shortens ESCDELAY to 25 ms, and restores the
 * cursor and ESCDELAY on return. It reads keys only from its own window,
 * so stdscr is never refreshed. On return the screen still shows the grid:
 * the caller must touchwin (or redrawwin) its windows before refreshing
 * them. If the terminal was resized meanwhile, a KEY_RESIZE is pushed back
 * (ungetch) so the caller's loop lays out again.
 *
 * Returns 0 when the user leaves with q or Esc; -1 with err set when the
 * table cannot be paged (QE_NOTFOUND, QE_ARG: see catalog_page_open) or a
 * statement fails (QE_SQL).
 */
int grid_run(sqlite3 *db, const char *table, int use_color, struct qerr *err);

#endif
