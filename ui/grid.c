/*
 * grid.c: the full-screen grid of `view TABLE` (see grid.h).
 *
 * Two parts. The window (struct view) is the model: a screenful of the
 * table's rows in the current order, fetched by keyset through
 * src/data/catalog_page.h, with the row numbers of its top row and of the
 * cursor; it is moved by rows, pages, jumps, searches and re-sorts. The
 * grid (struct grid) adds what is about the screen: the current column,
 * the first column shown, the fitted widths and the attributes. Each key
 * maps to one window call, then the whole window is repainted and curses
 * sends only the difference.
 *
 * Screen layout: line 0 the header, lines 1..LINES-2 the rows, the last
 * line the status (or a prompt, or a message). A column takes its width
 * plus one blank on each side; the current cell is drawn reversed over
 * all of that.
 */
#include "grid.h"

#include <assert.h>
#include <curses.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "data/catalog_page.h"
#include "base/utf8.h"
#include "base/banned.h"

#define GRID_COL_MAX 40   /* widest column, in terminal columns */
#define GRID_ESCDELAY 25  /* ms to wait after Esc for the rest of a key sequence */
#define KEY_CTRL(c) ((c) & 0x1F)
/* A window jump longer than this many windows uses OFFSET instead of walking keys. */
#define WALK_WINDOWS 4

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

struct grid {
    struct catalog_page *pg;
    struct view view;
    WINDOW *win;
    int col;          /* the current column */
    int left;         /* the first column on screen */
    int *widths;      /* fitted to the rows on screen */
    unsigned char *right; /* 1 for a column of numbers */
    attr_t a_head, a_status, a_null, a_cell, a_row;
    struct buf needle;  /* the last search */
    struct buf msg;     /* shown instead of the status until the next key */
    int resized;
};

/* ---- the window ------------------------------------------------------ */

/* An empty window, one row tall. */
static void
view_init(struct view *v)
{
    catalog_page_rows_init(&v->rows);
    v->height = 1;
    v->top = v->pos = 0;
}

static void
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
view_load(struct catalog_page *pg, struct view *v, sqlite3_int64 top,
          struct qerr *err)
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
static int
view_resize(struct catalog_page *pg, struct view *v, int height,
                         struct qerr *err)
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
static int
view_move(struct catalog_page *pg, struct view *v,
                       sqlite3_int64 delta, int paged, struct qerr *err)
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
static int
view_goto(struct catalog_page *pg, struct view *v,
                       sqlite3_int64 ord, struct qerr *err)
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

/* Re-sort and stay on the cursor's row, at the same screen row where possible. */
static int
view_sort(struct catalog_page *pg, struct view *v, int col, enum catalog_page_order order,
          struct qerr *err)
{
    struct catalog_page_rows one;
    sqlite3_int64 ord = 0, want = v->pos - v->top, rid;
    int rc = -1;
    if (v->rows.n_rows == 0)
        return catalog_page_set_order(pg, col, order, err);
    rid = v->rows.rowids[want];
    catalog_page_rows_init(&one);
    /* The old rows' keys belong to the old order: re-read the cursor's row for its new key. */
    if (catalog_page_set_order(pg, col, order, err) != 0 ||
        catalog_page_fetch_rowid(pg, rid, &one, err) != 0)
        goto out;
    if (one.n_rows != 1) {
        qerr_set(err, QE_INTERNAL, "row %lld of '%s' is gone; did the table change?",
                 (long long)rid, catalog_page_table(pg));
        goto out;
    }
    catalog_page_rows_release(&v->rows);
    if (catalog_page_ordinal(pg, &one, 0, &ord, err) != 0 ||
        view_show(pg, v, &one, 0, ord, want, err) != 0)
        goto out;
    rc = 0;
out:
    catalog_page_rows_release(&one);
    return rc;
}

/*
 * Search from the cursor's row going dir for needle (catalog_page_search),
 * wrapping around once, and move the cursor to the match. 1 if found, 2
 * if found after wrapping, 0 if no row matches (nothing moves), -1 on error.
 */
static int
view_find(struct catalog_page *pg, struct view *v,
                       enum catalog_page_dir dir, const char *needle, int col,
                       struct qerr *err)
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

/* ---- drawing ---------------------------------------------------------- */

/* Rows the window can show under the header and above the status line. */
static int
grid_height(void)
{
    return LINES > 3 ? LINES - 2 : 1;
}

/* Append n with thousands separators. */
static void
add_count(struct buf *b, long long n)
{
    char tmp[32];
    int len = snprintf(tmp, sizeof tmp, "%lld", n), lead = tmp[0] == '-';
    for (int i = 0; i < len; i++) {
        buf_addc(b, tmp[i]);
        int left = len - 1 - i;
        if (i >= lead && left > 0 && left % 3 == 0)
            buf_addc(b, ',');
    }
}

/*
 * Draw text (display text of tw columns) into w columns at (y, x): padded,
 * on the right when right, or cut with '…' when too wide.
 */
static void
put_cell(WINDOW *win, int y, int x, int w, const char *text, int tw, int right)
{
    if (w <= 0)
        return;
    if (tw > w) {
        int fw;
        size_t n = utf8_fit(text, strlen(text), w - 1, &fw);
        mvwaddnstr(win, y, x, text, (int)n);
        waddstr(win, "\xE2\x80\xA6");
        for (int i = fw + 1; i < w; i++)
            waddch(win, ' ');
        return;
    }
    wmove(win, y, x);
    if (right)
        for (int i = tw; i < w; i++)
            waddch(win, ' ');
    waddstr(win, text);
    if (!right)
        for (int i = tw; i < w; i++)
            waddch(win, ' ');
}

/* Decide which columns are numeric: every non-NULL cell on screen is a number. */
static void
fit_columns(struct grid *g)
{
    const struct catalog_page_rows *rows = &g->view.rows;
    int nc = catalog_page_n_cols(g->pg);
    catalog_page_widths(g->pg, rows, GRID_COL_MAX, g->widths);
    for (int c = 0; c < nc; c++) {
        int nums = 0, other = 0;
        for (int r = 0; r < rows->n_rows; r++) {
            enum catalog_page_type t = rows->cells[(size_t)r * (size_t)nc + (size_t)c].type;
            nums += t == CATALOG_PAGE_INTEGER || t == CATALOG_PAGE_REAL;
            other += t == CATALOG_PAGE_TEXT || t == CATALOG_PAGE_BLOB;
        }
        g->right[c] = nums > 0 && other == 0;
    }
    /* Scroll sideways so the whole current column shows, if it can. */
    if (g->col < g->left)
        g->left = g->col;
    for (;;) {
        int x = 0;
        for (int c = g->left; c <= g->col; c++)
            x += g->widths[c] + 2;
        if (x <= COLS || g->left == g->col)
            break;
        g->left++;
    }
}

static void
draw_status(struct grid *g)
{
    struct buf b = BUF_INIT;
    int y = LINES - 1, w;
    const struct view *v = &g->view;
    int sort_col;
    enum catalog_page_order order = catalog_page_order(g->pg, &sort_col);
    mvwhline(g->win, y, 0, ' ' | g->a_status, COLS);
    if (g->msg.len) {
        buf_addf(&b, " %s", g->msg.data);
    } else {
        buf_adds(&b, " row ");
        add_count(&b, v->pos);
        buf_adds(&b, " of ");
        add_count(&b, catalog_page_count(g->pg));
        buf_addf(&b, "   col %d/%d %s", g->col + 1, catalog_page_n_cols(g->pg),
                 catalog_page_col(g->pg, g->col)->label);
        if (*catalog_page_col(g->pg, g->col)->decl)
            buf_addf(&b, " %s", catalog_page_col(g->pg, g->col)->decl);
        if (order == CATALOG_PAGE_NATURAL)
            buf_adds(&b, "   natural order");
        else
            buf_addf(&b, "   sorted by %s %s",
                     catalog_page_col(g->pg, sort_col)->label,
                     order == CATALOG_PAGE_ASC ? "asc" : "desc");
    }
    const char *help = "s sort  / find  n next  q quit ";
    int hw = (int)strlen(help);
    wattron(g->win, g->a_status);
    size_t n = utf8_fit(b.data, strlen(b.data), COLS, &w);
    mvwaddnstr(g->win, y, 0, b.data, (int)n);
    if (!g->msg.len && w + hw + 2 <= COLS)
        mvwaddstr(g->win, y, COLS - hw, help);
    wattroff(g->win, g->a_status);
    buf_release(&b);
}

static void
draw(struct grid *g)
{
    const struct catalog_page_rows *rows = &g->view.rows;
    int nc = catalog_page_n_cols(g->pg), sort_col;
    enum catalog_page_order order = catalog_page_order(g->pg, &sort_col);
    int cur = (int)(g->view.pos - g->view.top);
    struct buf label = BUF_INIT;
    werase(g->win);
    fit_columns(g);
    mvwhline(g->win, 0, 0, ' ' | g->a_head, COLS);
    for (int r = -1; r < rows->n_rows && r + 1 < LINES - 1; r++) {
        int x = 0;
        for (int c = g->left; c < nc && x < COLS; c++) {
            int w = g->widths[c];
            if (x + w + 2 > COLS) /* the last column shows cut */
                w = COLS - x - 2;
            if (w < 1)
                break;
            attr_t a;
            if (r < 0) {
                buf_reset(&label);
                buf_adds(&label, catalog_page_col(g->pg, c)->label);
                if (c == sort_col)
                    buf_adds(&label, order == CATALOG_PAGE_ASC
                                         ? " \xE2\x96\xB2" : " \xE2\x96\xBC");
                wattrset(g->win, g->a_head);
                put_cell(g->win, 0, x + 1, w, label.data, utf8_width(label.data),
                         g->right[c]);
            } else {
                const struct catalog_page_cell *cell =
                    &rows->cells[(size_t)r * (size_t)nc + (size_t)c];
                a = r == cur ? g->a_row : A_NORMAL;
                if (cell->type == CATALOG_PAGE_NULL)
                    a = g->a_null;
                if (r == cur && c == g->col)
                    a |= g->a_cell;
                wattrset(g->win, a);
                mvwaddch(g->win, r + 1, x, ' ');
                put_cell(g->win, r + 1, x + 1, w, cell->text, cell->width, g->right[c]);
                waddch(g->win, ' ');
            }
            x += w + 2;
        }
    }
    wattrset(g->win, A_NORMAL);
    if (rows->n_rows == 0)
        mvwaddstr(g->win, 1, 1, "(no rows)");
    draw_status(g);
    buf_release(&label);
    wnoutrefresh(g->win);
    doupdate();
}

/* Follow a terminal resize: the window, then the view's height. */
static int
relayout(struct grid *g, struct qerr *err)
{
    g->resized = 1;
    wresize(g->win, LINES, COLS);
    return view_resize(g->pg, &g->view, grid_height(), err);
}

/*
 * Read a line at the bottom after the prompt character; 1 with the text in
 * out on Enter, 0 on Esc or Ctrl-C or an empty line, -1 on error.
 */
static int
prompt(struct grid *g, const char *pre, struct buf *out, struct qerr *err)
{
    int prev = curs_set(1), rc = 0;
    buf_reset(out);
    for (;;) {
        int y = LINES - 1, pw = utf8_width(pre), w;
        /* Show the end of the text when it is too long. */
        const char *show = out->data;
        while (*show && utf8_width(show) + pw + 1 > COLS)
            show++;
        while ((*show & 0xC0) == 0x80)
            show++;
        wattrset(g->win, A_NORMAL);
        mvwhline(g->win, y, 0, ' ', COLS);
        mvwaddstr(g->win, y, 0, pre);
        size_t n = utf8_fit(show, strlen(show), COLS - pw - 1, &w);
        waddnstr(g->win, show, (int)n);
        wrefresh(g->win);
        int ch = wgetch(g->win);
        if (ch == KEY_RESIZE) {
            if (relayout(g, err) != 0) {
                rc = -1;
                break;
            }
            draw(g);
        } else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
            rc = out->len > 0;
            break;
        } else if (ch == 27 || ch == KEY_CTRL('c') || ch == KEY_CTRL('g')) {
            break;
        } else if (ch == KEY_BACKSPACE || ch == 127 || ch == KEY_CTRL('h')) {
            if (out->len == 0)
                break;
            size_t len = out->len - 1;
            while (len > 0 && (out->data[len] & 0xC0) == 0x80)
                len--;
            buf_truncate(out, len);
        } else if (ch == KEY_CTRL('u')) {
            buf_reset(out);
        } else if (ch >= 0x20 && ch <= 0xFF && ch != 127) {
            buf_addc(out, (char)ch); /* UTF-8 arrives one byte at a time */
        }
    }
    if (prev != ERR)
        curs_set(prev);
    return rc;
}

/* Show what is going on in the status line before a call that may scan the table. */
static void
busy(struct grid *g, const char *what, const char *text)
{
    buf_reset(&g->msg);
    buf_addf(&g->msg, "%s%s\xE2\x80\xA6", what, text);
    draw_status(g);
    wnoutrefresh(g->win);
    doupdate();
    buf_reset(&g->msg);
}

/* Search from the cursor; sets the message. */
static int
find(struct grid *g, enum catalog_page_dir dir, struct qerr *err)
{
    if (!g->needle.len) {
        buf_adds(&g->msg, "no search yet; type / and the text");
        return 0;
    }
    busy(g, "searching for ", g->needle.data);
    int rc = view_find(g->pg, &g->view, dir, g->needle.data, -1, err);
    if (rc < 0)
        return -1;
    buf_reset(&g->msg);
    if (rc == 0)
        buf_addf(&g->msg, "not found: %s", g->needle.data);
    else if (rc == 2)
        buf_addf(&g->msg, "search wrapped: %s", g->needle.data);
    return 0;
}

/* Go to the row number the user types after ':'. */
static int
go_to_row(struct grid *g, struct qerr *err)
{
    struct buf text = BUF_INIT;
    int rc = prompt(g, ":", &text, err);
    if (rc > 0) {
        char *end;
        errno = 0;
        long long k = strtoll(text.data, &end, 10);
        rc = 0;
        if (errno || *end || end == text.data)
            buf_addf(&g->msg, "not a row number: %s", text.data);
        else
            rc = view_goto(g->pg, &g->view, k, err);
    }
    buf_release(&text);
    return rc;
}

/* The next sort: ascending, then descending, then natural; a new column starts ascending. */
static int
sort(struct grid *g, struct qerr *err)
{
    int col;
    enum catalog_page_order o = catalog_page_order(g->pg, &col);
    if (col != g->col)
        o = CATALOG_PAGE_ASC;
    else
        o = o == CATALOG_PAGE_ASC ? CATALOG_PAGE_DESC : CATALOG_PAGE_NATURAL;
    busy(g, "sorting", "");
    return view_sort(g->pg, &g->view, g->col, o, err);
}

/*
 * 1 if the Esc just read came alone. Curses has already waited ESCDELAY
 * for the sequences terminfo knows; bytes still queued behind the Esc are
 * a sequence it does not know (a TERM that does not match the terminal),
 * which must not close the grid: drain them and report 0.
 */
static int
lone_escape(WINDOW *win)
{
    int n = 0;
    nodelay(win, TRUE);
    while (wgetch(win) != ERR)
        n++;
    nodelay(win, FALSE);
    return n == 0;
}

/* Handle one key: 1 to leave, 0 to go on, -1 on error. */
static int
key(struct grid *g, int ch, struct qerr *err)
{
    struct view *v = &g->view;
    int h = v->height, nc = catalog_page_n_cols(g->pg);
    sqlite3_int64 n = catalog_page_count(g->pg);
    switch (ch) {
    case 'q':
        return 1;
    case 27:
        return lone_escape(g->win);
    case KEY_DOWN: case 'j': case KEY_CTRL('n'):
        return view_move(g->pg, v, 1, 0, err);
    case KEY_UP: case 'k': case KEY_CTRL('p'):
        return view_move(g->pg, v, -1, 0, err);
    case KEY_NPAGE: case ' ': case KEY_CTRL('f'):
        return view_move(g->pg, v, h, 1, err);
    case KEY_PPAGE: case 'b': case KEY_CTRL('b'):
        return view_move(g->pg, v, -h, 1, err);
    case KEY_HOME: case 'g':
        return view_goto(g->pg, v, 1, err);
    case KEY_END: case 'G':
        return view_goto(g->pg, v, n, err);
    case KEY_LEFT: case 'h':
        g->col -= g->col > 0;
        return 0;
    case KEY_RIGHT: case 'l':
        g->col += g->col < nc - 1;
        return 0;
    case '0':
        g->col = 0;
        return 0;
    case '$':
        g->col = nc - 1;
        return 0;
    case 's':
        return sort(g, err);
    case '/': {
        struct buf text = BUF_INIT;
        int rc = prompt(g, "/", &text, err);
        if (rc > 0) {
            buf_reset(&g->needle);
            buf_add(&g->needle, text.data, text.len);
            rc = find(g, CATALOG_PAGE_NEXT, err);
        }
        buf_release(&text);
        return rc < 0 ? -1 : 0;
    }
    case 'n':
        return find(g, CATALOG_PAGE_NEXT, err);
    case 'N':
        return find(g, CATALOG_PAGE_PREV, err);
    case ':':
        return go_to_row(g, err);
    case KEY_CTRL('l'):
        clearok(curscr, TRUE);
        return 0;
    case KEY_RESIZE:
        return relayout(g, err);
    default:
        return 0;
    }
}

/* Attributes for the header, status, NULLs, current cell and row; pair is ours to set. */
static void
set_attrs(struct grid *g, int pair)
{
    g->a_head = A_BOLD | A_REVERSE;
    g->a_status = A_REVERSE;
    g->a_null = A_DIM;
    g->a_cell = A_REVERSE;
    g->a_row = A_BOLD;
    if (pair > 0) {
        init_pair((short)pair, COLOR_BLACK, COLOR_CYAN);
        g->a_head = A_BOLD | COLOR_PAIR(pair);
        g->a_status = COLOR_PAIR(pair);
    }
}

int
grid_run(sqlite3 *db, const char *table, int use_color, struct qerr *err)
{
    struct grid g;
    short old_fg = 0, old_bg = 0;
    int pair = 0, rc = -1, old_cursor = ERR, old_delay = get_escdelay(), nc;
    memset(&g, 0, sizeof g);
    view_init(&g.view);
    buf_init(&g.needle);
    buf_init(&g.msg);
    if (catalog_page_open(db, table, &g.pg, err) != 0)
        goto out;
    nc = catalog_page_n_cols(g.pg);
    g.widths = calloc((size_t)nc, sizeof *g.widths);
    g.right = calloc((size_t)nc, 1);
    g.win = newwin(LINES, COLS, 0, 0);
    if (!g.widths || !g.right || !g.win) {
        qerr_set(err, QE_NOMEM, "out of memory opening the grid");
        goto out;
    }
    if (use_color && has_colors()) {
        if (COLOR_PAIRS == 0)
            start_color();
        /* One pair, the highest a chtype can hold; saved so the caller's colours survive. */
        pair = COLOR_PAIRS > 256 ? 255 : COLOR_PAIRS - 1;
        if (pair < 1 || pair_content((short)pair, &old_fg, &old_bg) == ERR)
            pair = 0;
    }
    set_attrs(&g, pair);
    keypad(g.win, TRUE);
    set_escdelay(GRID_ESCDELAY);
    old_cursor = curs_set(0);
    if (view_resize(g.pg, &g.view, grid_height(), err) != 0)
        goto out;
    for (;;) {
        draw(&g);
        int ch = wgetch(g.win);
        if (ch == ERR)
            continue;
        buf_reset(&g.msg);
        int k = key(&g, ch, err);
        if (k < 0)
            goto out;
        if (k > 0)
            break;
    }
    rc = 0;
out:
    if (g.win) {
        set_escdelay(old_delay);
        if (old_cursor != ERR)
            curs_set(old_cursor);
        if (pair > 0)
            init_pair((short)pair, old_fg, old_bg);
        delwin(g.win);
        if (g.resized)
            ungetch(KEY_RESIZE);
    }
    free(g.widths);
    free(g.right);
    buf_release(&g.needle);
    buf_release(&g.msg);
    view_release(&g.view);
    catalog_page_free(g.pg);
    return rc;
}
