/*
 * grid.h: `view TABLE` and `view SELECT ...`, a full-screen modal grid over
 * one catalog table or a query's result.
 *
 * The grid pages the table or query through src/data/catalog_page.h
 * (keyset fetches of one screenful for a table, numbered rows read ahead
 * for a query; neither is ever loaded whole). Reals show as the table
 * format shows them (render_cell_shown: at most 15 significant digits). Row 0 is a frozen
 * header, the bottom line shows the position ("row i of N"), the current
 * column and the sort, or a prompt or message. Column widths fit the
 * visible rows and the header, at most 40 columns; numbers are
 * right-aligned, NULL is dimmed, long cells end in '…'.
 *
 * Keys:
 *   Up/Down, k/j            one row          PgUp/PgDn, b/Space   one screen
 *   Home/End, g/G           first/last row   :N                   go to row N
 *   Left/Right, h/l         one column       0/$                  first/last column
 *   s    sort by the current column: ascending, descending, natural order;
 *        the cursor goes to the first row
 *   /    search: the next cell after the cursor's, along its row and then
 *        the rows after it in the current order, that contains the text
 *        (ignoring ASCII case), wrapping around the end; the cursor goes
 *        to that cell, marked until the next key; n repeats, N goes back
 *   F    the current column's frequency table (value, count, share, by
 *        count), a grid of its own with the same keys; q comes back
 *   Ctrl-L redraw;  q or Esc return
 *   Ctrl-C while a sort, a search or counting waits on SQLite stops it
 *        ("cancelled"; a sort stopped half way goes back to natural
 *        order); while the rows are counted at opening, it closes the grid
 *        with the error "interrupted"
 */
#ifndef QUARRY_GRID_H
#define QUARRY_GRID_H

#include <sqlite3.h>

#include "base/qerr.h"

/*
 * Run the grid over table in db, or over the rows of query when query is
 * not NULL (catalog_page_open_query), until the user leaves, on a window
 * of its own covering the screen. Curses must be running (newterm) and LC_CTYPE
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
 * table or query cannot be paged (QE_NOTFOUND, QE_ARG, QE_SQL: see
 * catalog_page_open and catalog_page_open_query) or a statement fails
 * (QE_SQL).
 */
int grid_run(sqlite3 *db, const char *table, const char *query, int use_color,
             struct qerr *err);

#endif
