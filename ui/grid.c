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
#include <strings.h>

#include "base/buf.h"
#include "data/catalog_page.h"
#include "grid_view.h"
#include "render.h"
#include "session.h"
#include "base/utf8.h"
#include "base/banned.h"

#define GRID_COL_MAX 40   /* widest column, in terminal columns */
#define GRID_ESCDELAY 25  /* ms to wait after Esc for the rest of a key sequence */
#define KEY_CTRL(c) ((c) & 0x1F)

struct grid {
    struct catalog_page *pg;
    struct view view;
    WINDOW *win;
    int col;          /* the current column */
    int left;         /* the first column on screen */
    int *widths;      /* fitted to the rows on screen */
    unsigned char *right; /* 1 for a column of numbers */
    attr_t a_head, a_status, a_null, a_cell, a_row, a_hit;
    struct buf needle;  /* the last search */
    struct buf msg;     /* shown instead of the status until the next key */
    sqlite3 *db;
    const char *title;  /* what the grid shows, when it is not the table the user named */
    int use_color;
    sqlite3_int64 hit_pos; /* the cell the last search found: row number (0: none) */
    int hit_col;           /* and column */
    int resized;
};

static int grid_loop(struct grid *parent, sqlite3 *db, struct catalog_page *pg,
                     const char *title, struct qerr *err);

/* ---- cells ------------------------------------------------------------ */

/*
 * The text a cell shows: a real as the table format shows it
 * (render_cell_shown: at most 15 significant digits, as the sqlite3
 * shell), anything else as the pager made it. *w gets its width.
 */
static const char *
cell_shown(const struct catalog_page_cell *cell, char tmp[RENDER_NUM_MAX], int *w)
{
    if (cell->type != CATALOG_PAGE_REAL) {
        *w = cell->width;
        return cell->text;
    }
    const char *t = render_cell_shown(cell->text, 1, tmp);
    *w = (int)strlen(t); /* ASCII */
    return t;
}

/* Does the text a cell shows contain needle, ignoring ASCII case? */
static int
cell_has(const struct catalog_page_cell *cell, const char *needle)
{
    char tmp[RENDER_NUM_MAX];
    int w;
    const char *t = cell_shown(cell, tmp, &w);
    size_t m = strlen(needle);
    for (; *t; t++)
        if (strncasecmp(t, needle, m) == 0)
            return 1;
    return m == 0;
}

/*
 * The column of the cursor's row whose text holds the search, going dir
 * from column `from` (exclusive; -1 or n_cols to take the first or last),
 * or -1 when none does.
 */
static int
match_col(const struct grid *g, int from, enum catalog_page_dir dir)
{
    const struct catalog_page_rows *rows = &g->view.rows;
    int nc = catalog_page_n_cols(g->pg), r = (int)(g->view.pos - g->view.top);
    if (rows->n_rows == 0)
        return -1;
    for (int c = dir == CATALOG_PAGE_PREV ? from - 1 : from + 1; c >= 0 && c < nc;
         c += dir == CATALOG_PAGE_PREV ? -1 : 1)
        if (cell_has(&rows->cells[(size_t)r * (size_t)nc + (size_t)c], g->needle.data))
            return c;
    return -1;
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
    int nc = catalog_page_n_cols(g->pg), sort_col;
    char tmp[RENDER_NUM_MAX];
    catalog_page_order(g->pg, &sort_col);
    for (int c = 0; c < nc; c++) {
        int nums = 0, other = 0, w = utf8_width(catalog_page_col(g->pg, c)->label);
        w += c == sort_col ? 2 : 0; /* the arrow */
        for (int r = 0; r < rows->n_rows; r++) {
            const struct catalog_page_cell *cell = &rows->cells[(size_t)r * (size_t)nc + (size_t)c];
            int cw;
            cell_shown(cell, tmp, &cw);
            w = cw > w ? cw : w;
            nums += cell->type == CATALOG_PAGE_INTEGER || cell->type == CATALOG_PAGE_REAL;
            other += cell->type == CATALOG_PAGE_TEXT || cell->type == CATALOG_PAGE_BLOB;
        }
        g->widths[c] = w < 1 ? 1 : w > GRID_COL_MAX ? GRID_COL_MAX : w;
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
        if (g->title)
            buf_addf(&b, " %s |", g->title);
        buf_adds(&b, " row ");
        add_count(&b, v->pos);
        buf_adds(&b, " of ");
        add_count(&b, catalog_page_count(g->pg));
        buf_addf(&b, "   col %d/%d %s", g->col + 1, catalog_page_n_cols(g->pg),
                 catalog_page_col(g->pg, g->col)->label);
        if (*catalog_page_col(g->pg, g->col)->decl)
            buf_addf(&b, " %s", catalog_page_col(g->pg, g->col)->decl);
        if (order == CATALOG_PAGE_NATURAL)
            buf_adds(&b, catalog_page_is_query(g->pg) ? "   the query's order"
                                                      : "   natural order");
        else
            buf_addf(&b, "   sorted by %s %s",
                     catalog_page_col(g->pg, sort_col)->label,
                     order == CATALOG_PAGE_ASC ? "asc" : "desc");
    }
    const char *help = "s sort  / find  n next  F freq  q quit ";
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
                if (g->hit_pos == g->view.top + r && c == g->hit_col)
                    a |= g->a_hit;
                char tmp[RENDER_NUM_MAX];
                int tw;
                const char *text = cell_shown(cell, tmp, &tw);
                wattrset(g->win, a);
                mvwaddch(g->win, r + 1, x, ' ');
                put_cell(g->win, r + 1, x + 1, w, text, tw, g->right[c]);
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

/*
 * Ctrl-C while the grid waits on SQLite (a sort, a search, counting a
 * column's values): the SIGINT handler sets session_cancel (session.h),
 * and this progress handler makes SQLite stop the statement.
 */
static int
grid_progress(void *arg)
{
    (void)arg;
    return session_cancel;
}

/*
 * After a key's work was cancelled: say so and carry on. A sort stopped
 * half way leaves no rows in the window; go back to the natural order.
 */
static int
cancelled(struct grid *g, struct qerr *err)
{
    qerr_clear(err);
    session_sigint = 0;
    session_cancel = 0;
    buf_reset(&g->msg);
    buf_adds(&g->msg, "cancelled");
    if (g->view.rows.n_rows > 0 || catalog_page_count(g->pg) == 0)
        return 0;
    if (catalog_page_set_order(g->pg, -1, CATALOG_PAGE_NATURAL, err) != 0)
        return -1;
    g->view.pos = 0;
    return view_resize(g->pg, &g->view, g->view.height, err);
}

/* Show what is going on in the status line before a call that may scan the table. */
static void
busy(struct grid *g, const char *what, const char *text)
{
    buf_reset(&g->msg);
    buf_addf(&g->msg, "%s%s\xE2\x80\xA6  (Ctrl-C cancels)", what, text);
    draw_status(g);
    wnoutrefresh(g->win);
    doupdate();
    buf_reset(&g->msg);
}

/*
 * Search from the cursor's cell; sets the message. The next match is a
 * later cell of the cursor's row (an earlier one going back), else the
 * next row that holds the text (view_find), wrapping around; the cursor
 * goes to the matching cell, which stays marked until the next key.
 */
static int
find(struct grid *g, enum catalog_page_dir dir, struct qerr *err)
{
    int c, rc = 1;
    if (!g->needle.len) {
        buf_adds(&g->msg, "no search yet; type / and the text");
        return 0;
    }
    c = match_col(g, g->col, dir);
    if (c < 0) {
        busy(g, "searching for ", g->needle.data);
        rc = view_find(g->pg, &g->view, dir, g->needle.data, -1, err);
        if (rc < 0)
            return -1;
        buf_reset(&g->msg);
        /* The row matched in SQLite's text; the cell is the first (last) that shows it. */
        if (rc > 0) {
            c = match_col(g, dir == CATALOG_PAGE_PREV ? catalog_page_n_cols(g->pg) : -1, dir);
            if (c < 0)
                c = g->col; /* beyond what a cell shows (a long text cut) */
        }
    }
    if (rc == 0) {
        buf_addf(&g->msg, "not found: %s", g->needle.data);
        return 0;
    }
    g->col = c;
    g->hit_pos = g->view.pos;
    g->hit_col = c;
    if (rc == 2)
        buf_addf(&g->msg, "search wrapped: %s", g->needle.data);
    return 0;
}

/* The frequency table of the current column, in a grid of its own; q comes back. */
static int
freq(struct grid *g, struct qerr *err)
{
    struct buf sql = BUF_INIT, title = BUF_INIT;
    struct catalog_page *pg = NULL;
    int rc = -1;
    if (catalog_page_freq_sql(g->pg, g->col, &sql, err) != 0)
        goto out;
    busy(g, "counting the values of ", catalog_page_col(g->pg, g->col)->label);
    if (catalog_page_open_query(g->db, sql.data, &pg, err) != 0)
        goto out;
    buf_addf(&title, "frequencies of %s", catalog_page_col(g->pg, g->col)->label);
    if (grid_loop(g, g->db, pg, title.data, err) != 0)
        goto out;
    /* Back in this grid: lay it out again if the terminal changed size meanwhile. */
    if (g->resized && relayout(g, err) != 0)
        goto out;
    touchwin(g->win);
    rc = 0;
out:
    catalog_page_free(pg);
    buf_release(&sql);
    buf_release(&title);
    return rc;
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
    case 'F':
        return freq(g, err);
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
    g->a_hit = A_BOLD | A_UNDERLINE;
    if (pair > 0) {
        init_pair((short)pair, COLOR_BLACK, COLOR_CYAN);
        g->a_head = A_BOLD | COLOR_PAIR(pair);
        g->a_status = COLOR_PAIR(pair);
    }
}

/*
 * Run a grid over pg (borrowed) until the user leaves it, on a window of
 * its own; its attributes are outer's. A resize seen here is passed on in
 * outer->resized.
 */
static int
grid_loop(struct grid *outer, sqlite3 *db, struct catalog_page *pg, const char *title,
          struct qerr *err)
{
    struct grid g;
    int rc = -1, nc = catalog_page_n_cols(pg);
    memset(&g, 0, sizeof g);
    g.pg = pg;
    g.db = db;
    g.title = title;
    g.a_head = outer->a_head;
    g.a_status = outer->a_status;
    g.a_null = outer->a_null;
    g.a_cell = outer->a_cell;
    g.a_row = outer->a_row;
    g.a_hit = outer->a_hit;
    view_init(&g.view);
    buf_init(&g.needle);
    buf_init(&g.msg);
    g.widths = calloc((size_t)nc, sizeof *g.widths);
    g.right = calloc((size_t)nc, 1);
    g.win = newwin(LINES, COLS, 0, 0);
    if (!g.widths || !g.right || !g.win) {
        qerr_set(err, QE_NOMEM, "out of memory opening the grid");
        goto out;
    }
    keypad(g.win, TRUE);
    if (view_resize(g.pg, &g.view, grid_height(), err) != 0)
        goto out;
    for (;;) {
        draw(&g);
        int ch = wgetch(g.win);
        session_sigint = 0; /* a Ctrl-C while waiting for a key cancels nothing */
        session_cancel = 0;
        if (ch == ERR)
            continue;
        buf_reset(&g.msg);
        g.hit_pos = 0;
        int k = key(&g, ch, err);
        if (k < 0 && session_cancel)
            k = cancelled(&g, err);
        if (k < 0)
            goto out;
        if (k > 0)
            break;
    }
    rc = 0;
out:
    if (g.win)
        delwin(g.win);
    outer->resized |= g.resized;
    free(g.widths);
    free(g.right);
    buf_release(&g.needle);
    buf_release(&g.msg);
    view_release(&g.view);
    return rc;
}

int
grid_run(sqlite3 *db, const char *table, const char *query, int use_color, struct qerr *err)
{
    struct grid style;
    struct catalog_page *pg = NULL;
    short old_fg = 0, old_bg = 0;
    int pair = 0, rc = -1, old_cursor, old_delay = get_escdelay();
    memset(&style, 0, sizeof style);
    /* Opening counts the rows, which a slow query may take a while to do: Ctrl-C stops it. */
    session_cancel = 0;
    sqlite3_progress_handler(db, 10000, grid_progress, NULL);
    if (query ? catalog_page_open_query(db, query, &pg, err) != 0
              : catalog_page_open(db, table, &pg, err) != 0) {
        sqlite3_progress_handler(db, 0, NULL, NULL);
        session_sigint = 0;
        session_cancel = 0;
        return -1;
    }
    if (use_color && has_colors()) {
        if (COLOR_PAIRS == 0)
            start_color();
        /* One pair, the highest a chtype can hold; saved so the caller's colours survive. */
        pair = COLOR_PAIRS > 256 ? 255 : COLOR_PAIRS - 1;
        if (pair < 1 || pair_content((short)pair, &old_fg, &old_bg) == ERR)
            pair = 0;
    }
    set_attrs(&style, pair);
    set_escdelay(GRID_ESCDELAY);
    old_cursor = curs_set(0);
    rc = grid_loop(&style, db, pg, NULL, err);
    sqlite3_progress_handler(db, 0, NULL, NULL);
    set_escdelay(old_delay);
    if (old_cursor != ERR)
        curs_set(old_cursor);
    if (pair > 0)
        init_pair((short)pair, old_fg, old_bg);
    if (style.resized)
        ungetch(KEY_RESIZE);
    catalog_page_free(pg);
    return rc;
}
