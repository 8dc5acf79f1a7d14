/*
 * grid_view.h: the model under the grid of `view` (ui/grid.c): a window
 * of rows over a pager (src/data/catalog_page.h) and a cursor.
 */
#ifndef QUARRY_GRID_VIEW_H
#define QUARRY_GRID_VIEW_H

#include <sqlite3.h>

#include "base/qerr.h"
#include "data/catalog_page.h"

/*
 * The window: the rows numbered top .. top + rows.n_rows - 1 in the
 * current order, as many as height allows (fewer only when the table has
 * fewer), and the cursor's row number pos, inside the window. top and pos
 * are 0 only when the table is empty; the cursor's index in rows is
 * pos - top. Row numbers are exact because fetches are: moves count them,
 * and after a jump (search, re-sort) catalog_page_ordinal counts rows.
 */
struct view {
    struct catalog_page_rows rows;
    int height;        /* rows the window shows, >= 1 */
    sqlite3_int64 top; /* row number of rows' first row */
    sqlite3_int64 pos; /* row number of the cursor */
};

/* An empty window, one row tall. */
void view_init(struct view *v);
void view_release(struct view *v);
/*
 * Make the window height rows tall and fill it, keeping the cursor's row
 * and, if it can, the top row. Also the first fill, after view_init.
 */
int view_resize(struct catalog_page *pg, struct view *v, int height, struct qerr *err);
/*
 * Move the cursor by delta rows (clamped). With paged == 0 the window
 * scrolls only as far as needed to keep the cursor in it; with paged it
 * scrolls by delta too (PgDn/PgUp: the cursor keeps its screen row),
 * stopping at the ends.
 */
int view_move(struct catalog_page *pg, struct view *v, sqlite3_int64 delta, int paged,
              struct qerr *err);
/* Put the cursor on row ord (clamped); the window moves only if ord is outside it. */
int view_goto(struct catalog_page *pg, struct view *v, sqlite3_int64 ord, struct qerr *err);
/* Re-sort (catalog_page_set_order); the cursor goes to the first row. */
int view_sort(struct catalog_page *pg, struct view *v, int col, enum catalog_page_order order,
              struct qerr *err);
/*
 * Search from the cursor's row going dir for needle (catalog_page_search),
 * wrapping around once, and move the cursor to the match. 1 if found, 2
 * if found after wrapping, 0 if no row matches (nothing moves), -1 on error.
 */
int view_find(struct catalog_page *pg, struct view *v, enum catalog_page_dir dir,
              const char *needle, int col, struct qerr *err);

#endif
