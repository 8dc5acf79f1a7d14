/*
 * tui_draw.c: drawing the full-screen front end's three windows: the
 * output pane (the scrollback of struct pane, output at the bottom as in
 * a terminal), the status bar (where the workspace stands, or a running
 * statement's progress) and the prompt line, which readline's redisplay
 * hook draws here. The state is tui.c's (tui_int.h).
 */
#include "tui_int.h"
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/readline.h>

#include "base/utf8.h"
#include "base/banned.h"

static attr_t
style_attr(unsigned char st)
{
    switch (st) {
    case PS_HEADER: return A_BOLD;
    case PS_RULE: return A_DIM;
    case PS_DIM: return A_DIM;
    case PS_ERROR: return tui.use_color ? (attr_t)COLOR_PAIR(1) | A_BOLD : A_BOLD;
    case PS_HINT: return tui.use_color ? (attr_t)COLOR_PAIR(2) : A_NORMAL;
    default:
        if (st >= PS_COLOR0 && st <= PS_COLOR7 && tui.use_color)
            return (attr_t)COLOR_PAIR(10 + st - PS_COLOR0);
        return A_NORMAL;
    }
}

/* Draw one pane line at row y, clipped to the width (curses would wrap). */
static void
draw_line(WINDOW *w, int y, const struct pane_line *l)
{
    int width = getmaxx(w), col = 0;
    size_t len = strlen(l->text), i = 0;
    wmove(w, y, 0);
    while (i < len && col < width) {
        unsigned char st = l->attr ? l->attr[i] : l->style;
        size_t j = i;
        while (j < len && (l->attr ? l->attr[j] : l->style) == st)
            j++;
        int used = 0;
        size_t n = utf8_fit(l->text + i, j - i, width - col, &used);
        wattrset(w, style_attr(st));
        waddnstr(w, l->text + i, (int)n);
        col += used;
        if (n < j - i)
            break;
        i = j;
    }
    wattrset(w, A_NORMAL);
    wclrtoeol(w);
}

void
tui_draw_pane(void)
{
    int h = getmaxy(tui.pane_w);
    werase(tui.pane_w);
    if (tui.pane.scroll + (size_t)h > tui.pane.n)
        tui.pane.scroll = tui.pane.n > (size_t)h ? tui.pane.n - (size_t)h : 0;
    size_t end = tui.pane.n - tui.pane.scroll; /* one past the last line shown */
    size_t start = end > (size_t)h ? end - (size_t)h : 0;
    /* Output sits at the bottom, next to the prompt, like a terminal. */
    int y = h - (int)(end - start);
    for (size_t i = start; i < end; i++, y++) {
        draw_line(tui.pane_w, y, pane_get(&tui.pane, i));
        if (tui.pick.active && i == tui.pick.first + (size_t)tui.pick.at)
            mvwchgat(tui.pane_w, y, 0, -1, A_REVERSE, 0, NULL);
    }
    wnoutrefresh(tui.pane_w);
}

static long
rss_mib(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, rss = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
            rss = 0;
        fclose(f);
    }
    return rss * sysconf(_SC_PAGESIZE) / (1024 * 1024);
}

void
tui_draw_status(double fraction)
{
    struct buf b = BUF_INIT;
    int width = getmaxx(tui.status_w);
    if (tui.running) {
        double el = session_now() - tui.run_start;
        buf_addf(&b, " running %.1fs", el);
        if (fraction > 0 && fraction <= 1) {
            int bar = 20, fill = (int)(fraction * bar + 0.5);
            buf_adds(&b, " [");
            for (int i = 0; i < bar; i++)
                buf_adds(&b, i < fill ? "#" : ".");
            buf_addf(&b, "] %3.0f%%", fraction * 100);
            if (fraction > 0.02)
                buf_addf(&b, " ETA %.0fs", el / fraction - el);
        }
        if (tui.run_text[0]) {
            buf_adds(&b, "  ");
            render_clean(&b, tui.run_text, -1, 0);
        }
        buf_adds(&b, session_cancel ? "  cancelling (a write finishes, then is undone)"
                                    : "  Ctrl-C cancels");
    } else {
        const char *path = catalog_path(tui.s->ctx.cat);
        char **names = NULL;
        int n = 0;
        struct qerr e = QERR_INIT;
        catalog_tables(catalog_db(tui.s->ctx.cat), 0, &names, &n, &e);
        qerr_clear(&e);
        catalog_names_free(names, n);
        buf_addf(&b, " %s%s | %d table%s", path ? path : "in memory",
                 catalog_dirty(tui.s->ctx.cat) ? " *" : "", n, n == 1 ? "" : "s");
        if (tui.s->last_secs > 0) {
            buf_addf(&b, " | %.3fs", tui.s->last_secs);
            if (tui.s->last_rows >= 0)
                buf_addf(&b, ", %lld row%s", tui.s->last_rows, tui.s->last_rows == 1 ? "" : "s");
        }
        buf_addf(&b, " | %ld MiB", rss_mib());
        if (tui.pane.scroll)
            buf_addf(&b, " | scrolled up %zu (End returns)", tui.pane.scroll);
        if (tui.pick.active)
            buf_adds(&b, " | Up/Down choose a table, Enter views it, q or Esc leaves");
        else if (tui.hint)
            buf_addf(&b, " | %s", tui.hint);
    }
    const char *right = "F1 help ";
    werase(tui.status_w);
    wbkgdset(tui.status_w, A_REVERSE);
    wattrset(tui.status_w, A_REVERSE);
    mvwhline(tui.status_w, 0, 0, ' ', width);
    int used = 0;
    size_t n = utf8_fit(b.data, b.len, width, &used);
    mvwaddnstr(tui.status_w, 0, 0, b.data, (int)n);
    int rw = (int)strlen(right);
    if (used + rw + 1 <= width)
        mvwaddstr(tui.status_w, 0, width - rw, right);
    wattrset(tui.status_w, A_NORMAL);
    wnoutrefresh(tui.status_w);
    buf_release(&b);
}

/* Readline's redisplay: the prompt and the line, scrolled to keep the cursor in view. */
void
tui_redisplay(void)
{
    if (tui.too_small || !tui.at_prompt)
        return;
    int width = getmaxx(tui.cmd_w);
    const char *prompt = tui.ask_text ? tui.ask_text : rl_display_prompt;
    int pw = utf8_width(prompt);
    werase(tui.cmd_w);
    wattrset(tui.cmd_w, A_BOLD);
    mvwaddnstr(tui.cmd_w, 0, 0, prompt, (int)utf8_fit(prompt, strlen(prompt), width - 1, NULL));
    wattrset(tui.cmd_w, A_NORMAL);
    if (tui.ask_text) {
        wnoutrefresh(tui.cmd_w);
        doupdate();
        return;
    }
    char *before = xstrndup(rl_line_buffer, (size_t)rl_point);
    int cursor = utf8_width(before);
    free(before);
    int avail = width - pw - 1;
    if (avail < 1)
        avail = 1;
    if (cursor < tui.hscroll)
        tui.hscroll = cursor;
    if (cursor - tui.hscroll > avail)
        tui.hscroll = cursor - avail;
    /* Skip hscroll columns of the line, then draw what fits. */
    int skipped = 0;
    size_t off = utf8_fit(rl_line_buffer, (size_t)rl_end, tui.hscroll, &skipped);
    size_t n = utf8_fit(rl_line_buffer + off, (size_t)rl_end - off, avail, NULL);
    mvwaddnstr(tui.cmd_w, 0, pw, rl_line_buffer + off, (int)n);
    wmove(tui.cmd_w, 0, pw + cursor - skipped);
    wnoutrefresh(tui.cmd_w);
    doupdate();
}

void
tui_redraw(void)
{
    if (tui.too_small) {
        erase();
        char msg[96];
        snprintf(msg, sizeof msg, "quarry needs at least %dx%d (now %dx%d)", TUI_MIN_COLS,
                 TUI_MIN_LINES, COLS, LINES);
        mvaddnstr(LINES / 2, 0, msg, COLS);
        refresh();
        return;
    }
    tui_draw_pane();
    tui_draw_status(-1);
    tui_redisplay();
}

void
tui_layout(void)
{
    tui.too_small = COLS < TUI_MIN_COLS || LINES < TUI_MIN_LINES;
    if (tui.pane_w)
        delwin(tui.pane_w);
    if (tui.status_w)
        delwin(tui.status_w);
    if (tui.cmd_w)
        delwin(tui.cmd_w);
    int h = LINES > 2 ? LINES - 2 : 1;
    tui.pane_w = newwin(h, COLS, 0, 0);
    /* Inline plots are drawn to fit the pane (one column spare, as tables). */
    if (tui.s) {
        tui.s->ctx.width = COLS - 1;
        tui.s->ctx.height = h;
    }
    tui.status_w = newwin(1, COLS, LINES > 2 ? LINES - 2 : 0, 0);
    tui.cmd_w = newwin(1, COLS, LINES > 1 ? LINES - 1 : 0, 0);
    keypad(tui.cmd_w, FALSE);
    rl_set_screen_size(1, COLS);
    clearok(curscr, TRUE);
    tui_redraw();
}

/*
 * Mouse wheel: SGR mouse reporting (modes 1000 and 1006) makes the terminal
 * send ESC [ < button ; x ; y M for wheel turns (buttons 64 and 65). It is
 * off while the grid runs, which reads keys through curses.
 */
void
tui_mouse_report(int on)
{
    fputs(on ? "\033[?1000h\033[?1006h" : "\033[?1006l\033[?1000l", stdout);
    fflush(stdout);
}

