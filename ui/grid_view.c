/*
 * grid_view.c: the grid's window over a pager (see grid_view.h): which
 * rows are on screen and where the cursor is, moved by rows, pages,
 * jumps, searches and re-sorts. Nothing here draws.
 */
#include "grid_view.h"

#include <assert.h>

#include "base/banned.h"

/* A window jump longer than this many windows uses OFFSET instead of walking keys. */
#define WALK_WINDOWS 4

/* An empty window, one row tall. */
void
view_init(struct view *v)
{
    catalog_page_rows_init(&v->rows);
    v->height = 1;
    v->top = v->pos = 0;
}

void
view_release(struct view *v)
{
    catalog_page_rows_release(&v->rows);
    view_init(v);
}

static sqlite3_int64
clamp(sqlite3_int64 x, sqlite3_int64 lo, sqlite3_int64 hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

/* The last row number a window can start at. */
static sqlite3_int64
max_top(const struct catalog_page *pg, const struct view *v)
{
    return catalog_page_count(pg) > v->height ? catalog_page_count(pg) - v->height + 1 : 1;
}

/*
 * Fill the window so it starts at row number top (clamped), walking by
 * keyset from an anchor whose row number is known: row `at` of anc is row
 * number ao (anc == NULL: no anchor). The ends need no anchor; a jump of
 * more than WALK_WINDOWS windows from the anchor uses OFFSET. Keeps the
 * cursor inside the window.
 */
static int
view_fill(struct catalog_page *pg, struct view *v, sqlite3_int64 top,
          const struct catalog_page_rows *anc, int at, sqlite3_int64 ao, struct qerr *err)
{
    struct catalog_page_rows tmp;
    enum catalog_page_dir dir = CATALOG_PAGE_AT;
    int h = v->height, n = h, rc, seek = 0, again = 0;
    sqlite3_int64 d = 0, walk = (sqlite3_int64)h * WALK_WINDOWS;
    if (catalog_page_count(pg) == 0) {
        catalog_page_rows_release(&v->rows);
        v->top = v->pos = 0;
        return 0;
    }
    top = clamp(top, 1, max_top(pg, v));
    if (anc)
        d = top - ao;
    catalog_page_rows_init(&tmp);
    if (top == 1 || top == max_top(pg, v)) {
        anc = NULL;
        dir = top == 1 ? CATALOG_PAGE_NEXT : CATALOG_PAGE_PREV;
    } else if (!anc || d > walk || d < -walk) {
        seek = 1;
    } else if (d == 1 || d == -h) {
        dir = d == 1 ? CATALOG_PAGE_NEXT : CATALOG_PAGE_PREV;
    } else if (d != 0) {
        /* Walk to the new top row, then read the window from it. */
        dir = d > 0 ? CATALOG_PAGE_NEXT : CATALOG_PAGE_PREV;
        n = (int)(d > 0 ? d : -d);
        again = 1;
    }
    if (seek)
        rc = catalog_page_seek(pg, top, h, &tmp, err);
    else
        rc = catalog_page_fetch(pg, anc, at, dir, n, &tmp, err);
    if (rc == 0 && again && tmp.n_rows > 0)
        rc = catalog_page_fetch(pg, &tmp, d > 0 ? tmp.n_rows - 1 : 0, CATALOG_PAGE_AT, h, &tmp,
                                err);
    if (rc == 0 && tmp.n_rows == 0)
        rc = qerr_set(err, QE_INTERNAL, "row %lld of '%s' is gone; did the table change?",
                      (long long)top, catalog_page_table(pg));
    if (rc == 0) {
        catalog_page_rows_release(&v->rows);
        v->rows = tmp;
        v->top = top;
        v->pos = clamp(v->pos, top, top + v->rows.n_rows - 1);
        return 0;
    }
    catalog_page_rows_release(&tmp);
    return -1;
}

/* Move the window to start at row number top, anchored on its nearest current row. */
static int
view_load(struct catalog_page *pg, struct view *v, sqlite3_int64 top, struct qerr *err)
{
    int k = v->rows.n_rows, at;
    if (k == 0)
        return view_fill(pg, v, top, NULL, 0, 0, err);
    top = clamp(top, 1, max_top(pg, v));
    sqlite3_int64 n = catalog_page_count(pg);
    if (top == v->top && k == (n < v->height ? n : v->height))
        return 0;
    at = top >= v->top + k ? k - 1 : top >= v->top ? (int)(top - v->top) : 0;
    return view_fill(pg, v, top, &v->rows, at, v->top + at, err);
}

/*
 * Make the window height rows tall and fill it, keeping the cursor's row
 * and, if it can, the top row. Also the first fill, after view_init.
 */
int
view_resize(struct catalog_page *pg, struct view *v, int height, struct qerr *err)
{
    assert(height >= 1);
    sqlite3_int64 top = v->top;
    v->height = height;
    if (v->pos > top + height - 1)
        top = v->pos - height + 1;
    if (v->rows.n_rows == 0)
        top = 1;
    if (view_load(pg, v, top, err) != 0)
        return -1;
    if (v->pos == 0)
        v->pos = v->top;
    return 0;
}

/*
 * Move the cursor by delta rows (clamped). With paged == 0 the window
 * scrolls only as far as needed to keep the cursor in it; with paged it
 * scrolls by delta too (PgDn/PgUp: the cursor keeps its screen row),
 * stopping at the ends.
 */
int
view_move(struct catalog_page *pg, struct view *v, sqlite3_int64 delta, int paged,
          struct qerr *err)
{
    sqlite3_int64 pos, top = v->top;
    if (catalog_page_count(pg) == 0)
        return 0;
    /* Clamp delta first so pos + delta cannot overflow. */
    delta = clamp(delta, -catalog_page_count(pg), catalog_page_count(pg));
    pos = clamp(v->pos + delta, 1, catalog_page_count(pg));
    if (paged)
        top = clamp(top + delta, 1, max_top(pg, v));
    if (pos < top)
        top = pos;
    else if (pos > top + v->height - 1)
        top = pos - v->height + 1;
    if (view_load(pg, v, top, err) != 0)
        return -1;
    v->pos = pos;
    return 0;
}

/* Put the cursor on row ord (clamped); the window moves only if ord is outside it. */
int
view_goto(struct catalog_page *pg, struct view *v, sqlite3_int64 ord, struct qerr *err)
{
    sqlite3_int64 top = v->top;
    if (catalog_page_count(pg) == 0)
        return 0;
    ord = clamp(ord, 1, catalog_page_count(pg));
    if (ord < top || ord >= top + v->rows.n_rows)
        top = ord - v->height / 2;
    if (view_load(pg, v, top, err) != 0)
        return -1;
    v->pos = ord;
    return 0;
}

/* Show row ord, known as row `at` of anc, with the cursor on it and on screen row want. */
static int
view_show(struct catalog_page *pg, struct view *v, const struct catalog_page_rows *anc,
          int at, sqlite3_int64 ord, sqlite3_int64 want, struct qerr *err)
{
    sqlite3_int64 top = clamp(ord - want, 1, max_top(pg, v));
    if (view_fill(pg, v, top, anc, at, ord, err) != 0)
        return -1;
    v->pos = ord;
    return 0;
}

/* Re-sort; the cursor goes to the first row (as in a spreadsheet), at the top. */
int
view_sort(struct catalog_page *pg, struct view *v, int col, enum catalog_page_order order,
          struct qerr *err)
{
    if (catalog_page_set_order(pg, col, order, err) != 0)
        return -1;
    /* The old rows' keys belong to the old order: no anchor. */
    catalog_page_rows_release(&v->rows);
    v->pos = 1;
    if (view_fill(pg, v, 1, NULL, 0, 0, err) != 0)
        return -1;
    v->pos = v->top;
    return 0;
}

/*
 * Search from the cursor's row going dir for needle (catalog_page_search),
 * wrapping around once, and move the cursor to the match. 1 if found, 2
 * if found after wrapping, 0 if no row matches (nothing moves), -1 on error.
 */
int
view_find(struct catalog_page *pg, struct view *v, enum catalog_page_dir dir,
          const char *needle, int col, struct qerr *err)
{
    struct catalog_page_rows m;
    sqlite3_int64 ord;
    int rc, wrapped = 0;
    if (v->rows.n_rows == 0)
        return 0;
    catalog_page_rows_init(&m);
    rc = catalog_page_search(pg, &v->rows, (int)(v->pos - v->top), dir, needle, col, &m, err);
    if (rc == 0) {
        wrapped = 1;
        rc = catalog_page_search(pg, NULL, 0, dir, needle, col, &m, err);
    }
    if (rc == 1) {
        for (int i = 0; i < v->rows.n_rows; i++)
            if (v->rows.rowids[i] == m.rowids[0]) {
                v->pos = v->top + i;
                goto out;
            }
        if (catalog_page_ordinal(pg, &m, 0, &ord, err) != 0 ||
            view_show(pg, v, &m, 0, ord, v->height / 2, err) != 0)
            rc = -1;
    }
out:
    catalog_page_rows_release(&m);
    return rc == 1 ? 1 + wrapped : rc;
}

