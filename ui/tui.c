/*
 * tui.c: the full-screen front end. Three windows: the output pane (the
 * scrollback of struct pane), a one-line status bar and the prompt line.
 *
 * GNU Readline runs through its callback interface: curses reads the keys
 * (keypad off, so readline sees the raw escape sequences it knows how to
 * bind), puts each key with its UTF-8 continuation bytes into a small
 * queue, and readline is fed from the queue; a custom redisplay function
 * draws the line into the prompt window. Readline never writes to the
 * terminal (rl_outstream is the null device) and never changes the
 * terminal modes.
 *
 * Ctrl-C: the SIGINT handler (no SA_RESTART, cbreak keeps ISIG) sets a
 * flag; a running command polls it, and at the prompt wgetch returns ERR,
 * upon which the line is dropped.
 */
#define NCURSES_WIDECHAR 1
#include "tui.h"

#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "grid.h"
#include "pane.h"
#include "render.h"
#include "base/utf8.h"
#include "tui_int.h"
#include "remote.h"
#include "base/banned.h"

#define MIN_COLS 40
#define MIN_LINES 10
#define SCROLLBACK 200000

static struct session *S;
static SCREEN *scr;
static WINDOW *pane_w, *status_w, *cmd_w;
static struct pane pane;
static struct splitter split;
static int use_color, too_small, done, hscroll;
/* A y/N question: Ctrl-D's (ask_stmt NULL) or a statement's, which yes runs confirmed. */
static char *ask_text, *ask_stmt;
static int at_prompt;         /* 0 while an --init script runs before the first prompt */
static unsigned char inq[64];
static int inq_head, inq_tail;
static FILE *devnull;
static char *hint;            /* a transient message for the status bar */
static double run_start, last_progress_draw, last_fraction;
static const char *running;   /* the statement running, for the status bar */

/*
 * The last `tables` listing: its rows' pane lines and the table names, so
 * that Enter on an empty prompt lets the user pick one to view.
 */
static struct {
    size_t first;   /* pane line of the first name */
    char **names;
    int n;
    int active, at; /* picking now, and which row */
} pick;

static void
pick_clear(void)
{
    cmd_free_names(pick.names, pick.n);
    memset(&pick, 0, sizeof pick);
}

static void
set_hint(const char *text)
{
    free(hint);
    hint = text ? xstrdup(text) : NULL;
}

/* --- drawing ------------------------------------------------------------------ */

static attr_t
style_attr(unsigned char st)
{
    switch (st) {
    case PS_HEADER: return A_BOLD;
    case PS_RULE: return A_DIM;
    case PS_DIM: return A_DIM;
    case PS_ERROR: return use_color ? (attr_t)COLOR_PAIR(1) | A_BOLD : A_BOLD;
    case PS_HINT: return use_color ? (attr_t)COLOR_PAIR(2) : A_NORMAL;
    default:
        if (st >= PS_COLOR0 && st <= PS_COLOR7 && use_color)
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

static void
draw_pane(void)
{
    int h = getmaxy(pane_w);
    werase(pane_w);
    if (pane.scroll + (size_t)h > pane.n)
        pane.scroll = pane.n > (size_t)h ? pane.n - (size_t)h : 0;
    size_t end = pane.n - pane.scroll; /* one past the last line shown */
    size_t start = end > (size_t)h ? end - (size_t)h : 0;
    /* Output sits at the bottom, next to the prompt, like a terminal. */
    int y = h - (int)(end - start);
    for (size_t i = start; i < end; i++, y++) {
        draw_line(pane_w, y, pane_get(&pane, i));
        if (pick.active && i == pick.first + (size_t)pick.at)
            mvwchgat(pane_w, y, 0, -1, A_REVERSE, 0, NULL);
    }
    wnoutrefresh(pane_w);
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

static void
draw_status(double fraction)
{
    struct buf b = BUF_INIT;
    int width = getmaxx(status_w);
    if (running) {
        double el = session_now() - run_start;
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
        buf_adds(&b, session_cancel ? "  cancelling (a write finishes, then is undone)"
                                    : "  Ctrl-C cancels");
    } else {
        const char *path = catalog_path(S->ctx.cat);
        char **names = NULL;
        int n = 0;
        struct qerr e = QERR_INIT;
        catalog_tables(catalog_db(S->ctx.cat), 0, &names, &n, &e);
        qerr_clear(&e);
        catalog_names_free(names, n);
        buf_addf(&b, " %s%s | %d table%s", path ? path : "in memory",
                 catalog_dirty(S->ctx.cat) ? " *" : "", n, n == 1 ? "" : "s");
        if (S->last_secs > 0) {
            buf_addf(&b, " | %.3fs", S->last_secs);
            if (S->last_rows >= 0)
                buf_addf(&b, ", %lld row%s", S->last_rows, S->last_rows == 1 ? "" : "s");
        }
        buf_addf(&b, " | %ld MiB", rss_mib());
        if (pane.scroll)
            buf_addf(&b, " | scrolled up %zu (End returns)", pane.scroll);
        if (pick.active)
            buf_adds(&b, " | Up/Down choose a table, Enter views it, q or Esc leaves");
        else if (hint)
            buf_addf(&b, " | %s", hint);
    }
    const char *right = "F1 help ";
    werase(status_w);
    wbkgdset(status_w, A_REVERSE);
    wattrset(status_w, A_REVERSE);
    mvwhline(status_w, 0, 0, ' ', width);
    int used = 0;
    size_t n = utf8_fit(b.data, b.len, width, &used);
    mvwaddnstr(status_w, 0, 0, b.data, (int)n);
    int rw = (int)strlen(right);
    if (used + rw + 1 <= width)
        mvwaddstr(status_w, 0, width - rw, right);
    wattrset(status_w, A_NORMAL);
    wnoutrefresh(status_w);
    buf_release(&b);
}

/* Readline's redisplay: the prompt and the line, scrolled to keep the cursor in view. */
static void
redisplay(void)
{
    if (too_small || !at_prompt)
        return;
    int width = getmaxx(cmd_w);
    const char *prompt = ask_text ? ask_text : rl_display_prompt;
    int pw = utf8_width(prompt);
    werase(cmd_w);
    wattrset(cmd_w, A_BOLD);
    mvwaddnstr(cmd_w, 0, 0, prompt, (int)utf8_fit(prompt, strlen(prompt), width - 1, NULL));
    wattrset(cmd_w, A_NORMAL);
    if (ask_text) {
        wnoutrefresh(cmd_w);
        doupdate();
        return;
    }
    char *before = xstrndup(rl_line_buffer, (size_t)rl_point);
    int cursor = utf8_width(before);
    free(before);
    int avail = width - pw - 1;
    if (avail < 1)
        avail = 1;
    if (cursor < hscroll)
        hscroll = cursor;
    if (cursor - hscroll > avail)
        hscroll = cursor - avail;
    /* Skip hscroll columns of the line, then draw what fits. */
    int skipped = 0;
    size_t off = utf8_fit(rl_line_buffer, (size_t)rl_end, hscroll, &skipped);
    size_t n = utf8_fit(rl_line_buffer + off, (size_t)rl_end - off, avail, NULL);
    mvwaddnstr(cmd_w, 0, pw, rl_line_buffer + off, (int)n);
    wmove(cmd_w, 0, pw + cursor - skipped);
    wnoutrefresh(cmd_w);
    doupdate();
}

static void
draw_all(void)
{
    if (too_small) {
        erase();
        char msg[96];
        snprintf(msg, sizeof msg, "quarry needs at least %dx%d (now %dx%d)", MIN_COLS, MIN_LINES,
                 COLS, LINES);
        mvaddnstr(LINES / 2, 0, msg, COLS);
        refresh();
        return;
    }
    draw_pane();
    draw_status(-1);
    redisplay();
}

static void
layout(void)
{
    too_small = COLS < MIN_COLS || LINES < MIN_LINES;
    if (pane_w)
        delwin(pane_w);
    if (status_w)
        delwin(status_w);
    if (cmd_w)
        delwin(cmd_w);
    int h = LINES > 2 ? LINES - 2 : 1;
    pane_w = newwin(h, COLS, 0, 0);
    /* Inline plots are drawn to fit the pane (one column spare, as tables). */
    if (S) {
        S->ctx.width = COLS - 1;
        S->ctx.height = h;
    }
    status_w = newwin(1, COLS, LINES > 2 ? LINES - 2 : 0, 0);
    cmd_w = newwin(1, COLS, LINES > 1 ? LINES - 1 : 0, 0);
    keypad(cmd_w, FALSE);
    rl_set_screen_size(1, COLS);
    clearok(curscr, TRUE);
    draw_all();
}

/*
 * Mouse wheel: SGR mouse reporting (modes 1000 and 1006) makes the terminal
 * send ESC [ < button ; x ; y M for wheel turns (buttons 64 and 65). It is
 * off while the grid runs, which reads keys through curses.
 */
static void
mouse_report(int on)
{
    fputs(on ? "\033[?1000h\033[?1006h" : "\033[?1006l\033[?1000l", stdout);
    fflush(stdout);
}

/* --- the front end: results into the pane ------------------------------------- */

static void
emit_table_line(void *arg, const char *line, enum render_line kind)
{
    (void)arg;
    pane_add(&pane, line, kind == RENDER_HEADER ? PS_HEADER : kind == RENDER_RULE ? PS_RULE
                                                                                  : PS_NORMAL);
}

static void
tui_echo(struct session *s, const char *stmt)
{
    (void)s;
    struct buf b = BUF_INIT;
    buf_adds(&b, "quarry> ");
    for (const char *p = stmt; *p; p++)
        buf_add(&b, *p == '\n' ? "\n   ...> " : p, *p == '\n' ? 9 : 1);
    pane_add(&pane, b.data, PS_DIM);
    buf_release(&b);
}

static void
tui_result(struct session *s, const struct cmd_result *res)
{
    int picked = 0;
    if (res->confirm && !ask_text) {
        ask_text = xstrdup(res->confirm);
        ask_stmt = xstrdup(res->confirm_stmt);
        s->stop = 1; /* the rest of the line is dropped */
    }
    for (int i = 0; i < res->n_items; i++) {
        const struct out_item *it = &res->items[i];
        if (it->kind == OUT_TABLE) {
            if (res->pick_tables && !picked && it->table->n_rows > 0 &&
                pane.n + 2 + (size_t)it->table->n_rows < pane.cap) {
                pick_clear();
                pick.first = pane.n + 2; /* after the header and its rule */
                pick.n = (int)it->table->n_rows;
                pick.names = xcalloc((size_t)pick.n, sizeof *pick.names);
                for (int r = 0; r < pick.n; r++)
                    pick.names[r] = xstrdup(rtable_get(it->table, r, 0));
                picked = 1;
            }
            render_table_lines(it->table, COLS - 1, emit_table_line, NULL);
        } else if (it->kind == OUT_BLOCK) {
            pane_add_ansi(&pane, it->text);
        } else {
            pane_add(&pane, it->text, PS_NORMAL);
        }
    }
    if (res->view_table) {
        struct qerr err = QERR_INIT;
        mouse_report(0);
        if (grid_run(catalog_db(s->ctx.cat), res->view_table, use_color, &err) < 0) {
            pane_add(&pane, "error: ", PS_ERROR);
            pane_add(&pane, err.msg, PS_ERROR);
        }
        qerr_clear(&err);
        mouse_report(1);
        clearok(curscr, TRUE);
        layout();
    }
}

static void
tui_error(struct session *s, const char *stmt, int line, const struct qerr *err)
{
    struct buf b = BUF_INIT;
    if (s->source)
        buf_addf(&b, "error: %s line %d: %s", s->source, line, err->msg);
    else
        buf_addf(&b, "error: %s", err->msg);
    pane_add(&pane, b.data, PS_ERROR);
    if (err->pos >= 0 && (size_t)err->pos <= strlen(stmt) && !strchr(stmt, '\n')) {
        char *before = xstrndup(stmt, (size_t)err->pos);
        buf_reset(&b);
        buf_addf(&b, "  %s\n  %*s^", stmt, utf8_width(before), "");
        pane_add(&pane, b.data, PS_HINT);
        free(before);
    }
    if (err->hint)
        pane_add(&pane, err->hint, PS_HINT);
    buf_release(&b);
}

static void
tui_note(struct session *s, const char *text)
{
    (void)s;
    pane_add(&pane, text, PS_DIM);
}

/* Before the first prompt (an --init script), show each result as it comes. */
static void
tui_result_init(struct session *s, const struct cmd_result *res)
{
    tui_result(s, res);
    if (!at_prompt && !too_small) {
        draw_pane();
        draw_status(-1);
        doupdate();
    }
}

static const struct front front_tui = {
    .echo = tui_echo,
    .result = tui_result_init,
    .error = tui_error,
    .note = tui_note,
};

/* The engine's progress callback: a progress bar, and Ctrl-C. */
static int
tui_progress(void *arg, double fraction)
{
    (void)arg;
    double t = session_now();
    /* SQLite's liveness calls carry no fraction: keep the last one known. */
    if (fraction >= 0)
        last_fraction = fraction;
    if (!too_small && t - last_progress_draw > 0.1) {
        last_progress_draw = t;
        draw_status(last_fraction);
        doupdate();
    }
    return session_cancel;
}

/* --- readline ------------------------------------------------------------------ */

static int
getc_hook(FILE *f)
{
    (void)f;
    if (inq_head == inq_tail)
        return EOF;
    int c = inq[inq_head];
    inq_head = (inq_head + 1) % (int)sizeof inq;
    return c;
}

static int
avail_hook(void)
{
    return inq_head != inq_tail;
}

static void
queue_byte(int c)
{
    int next = (inq_tail + 1) % (int)sizeof inq;
    if (next == inq_head)
        return; /* full: drop rather than overwrite */
    inq[inq_tail] = (unsigned char)c;
    inq_tail = next;
}

static const char *
prompt_now(void)
{
    return splitter_pending(&split) ? "   ...> " : "quarry> ";
}

static void
run_line(const char *line)
{
    struct buf b = BUF_INIT;
    buf_addf(&b, "%s%s", prompt_now(), line);
    pane_add(&pane, b.data, PS_DIM);
    buf_release(&b);
    pane.scroll = 0;
    running = line;
    run_start = session_now();
    last_progress_draw = 0;
    last_fraction = -1;
    if (!too_small) {
        draw_pane();
        draw_status(-1);
        doupdate();
    }
    splitter_feed(&split, line, session_run, S);
    running = NULL;
    S->stop = 0;
    if (S->quit)
        done = 1;
}

static void
on_line(char *line)
{
    if (!line) {
        /* Ctrl-D on an empty line: leave, asking first if work is unsaved. */
        if (catalog_dirty(S->ctx.cat))
            ask_text = xstrdup("Unsaved changes. Quit without saving? (y/N) ");
        else
            done = 1;
        return;
    }
    set_hint(NULL);
    if (!*line && pick.n && !splitter_pending(&split) && pick.first + (size_t)pick.n <= pane.n) {
        pick.active = 1;
        pick.at = 0;
        keypad(cmd_w, TRUE);
        free(line);
        draw_all();
        return;
    }
    if (*line) {
        HIST_ENTRY *last = history_length ? history_get(history_base + history_length - 1) : NULL;
        char *masked = remote_mask(line); /* attach's password as *** (remote.h) */
        if (!last || strcmp(last->line, masked ? masked : line) != 0)
            add_history(masked ? masked : line);
        free(masked);
    }
    run_line(line);
    free(line);
    rl_set_prompt(prompt_now());
    draw_all();
}

static int
key_scroll(int count, int key)
{
    (void)count;
    int h = getmaxy(pane_w);
    if (key == 'U')
        pane.scroll += (size_t)(h > 1 ? h - 1 : 1);
    else
        pane.scroll = pane.scroll > (size_t)(h - 1) ? pane.scroll - (size_t)(h - 1) : 0;
    draw_all();
    return 0;
}

static int
key_page_up(int count, int key)
{
    (void)key;
    return key_scroll(count, 'U');
}

static int
key_page_down(int count, int key)
{
    (void)key;
    return key_scroll(count, 'D');
}

/* Home/End scroll the pane when the line is empty, else move in the line. */
static int
key_home(int count, int key)
{
    if (rl_end == 0) {
        pane.scroll = pane.n;
        draw_all();
        return 0;
    }
    return rl_beg_of_line(count, key);
}

static int
key_end(int count, int key)
{
    if (rl_end == 0 || pane.scroll) {
        pane.scroll = 0;
        draw_all();
        return 0;
    }
    return rl_end_of_line(count, key);
}

static int
key_help(int count, int key)
{
    (void)count;
    (void)key;
    run_line("help");
    draw_all();
    return 0;
}

static int
key_redraw(int count, int key)
{
    (void)count;
    (void)key;
    clearok(curscr, TRUE);
    layout();
    return 0;
}

/* --- what tui_complete.c needs (tui_int.h) ----------------------------------- */

struct session *
tui_session(void)
{
    return S;
}

struct pane *
tui_pane(void)
{
    return &pane;
}

struct splitter *
tui_splitter(void)
{
    return &split;
}

void
tui_redraw(void)
{
    draw_all();
}

/* --- the loop ---------------------------------------------------------------------- */

/*
 * After an ESC: if a mouse report follows, act on it and return 1; else
 * queue what was read for readline and return 0.
 */
static int
take_mouse(void)
{
    char seq[24];
    int n = 0, c;
    nodelay(cmd_w, TRUE);
    while (n < (int)sizeof seq - 1 && (c = wgetch(cmd_w)) != ERR) {
        seq[n++] = (char)c;
        if (n == 1 && c != '[')
            break;
        if (n == 2 && c != '<')
            break;
        if (n > 2 && (c == 'M' || c == 'm'))
            break;
    }
    nodelay(cmd_w, FALSE);
    seq[n] = '\0';
    if (n > 3 && seq[0] == '[' && seq[1] == '<' && (seq[n - 1] == 'M' || seq[n - 1] == 'm')) {
        int button = (int)strtol(seq + 2, NULL, 10);
        if (button == 64)
            pane.scroll += 3;
        else if (button == 65)
            pane.scroll = pane.scroll > 3 ? pane.scroll - 3 : 0;
        draw_all();
        return 1;
    }
    queue_byte('\033');
    for (int i = 0; i < n; i++)
        queue_byte((unsigned char)seq[i]);
    return 0;
}

static void
cancel_line(void)
{
    int had = rl_end > 0 || splitter_pending(&split);
    rl_free_line_state();
    rl_callback_sigcleanup();
    rl_replace_line("", 0);
    rl_point = rl_end = 0;
    splitter_release(&split);
    splitter_init(&split);
    rl_set_prompt(prompt_now());
    set_hint(had ? NULL : "Ctrl-D or quit leaves quarry");
    draw_all();
}

int
tui_open(struct session *s)
{
    setlocale(LC_CTYPE, "");
    if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
        setlocale(LC_CTYPE, "C.UTF-8");
    unsetenv("LINES");
    unsetenv("COLUMNS");
    use_tioctl(TRUE);
    scr = newterm(NULL, stdout, stdin);
    if (!scr)
        return -1;
    set_term(scr);
    cbreak();
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    use_color = has_colors() && !getenv("NO_COLOR");
    if (use_color) {
        start_color();
        use_default_colors();
        init_pair(1, COLOR_RED, -1);
        init_pair(2, COLOR_YELLOW, -1);
        for (short i = 0; i < 8; i++)
            init_pair((short)(10 + i), i, -1);
    }
    S = s;
    s->front = &front_tui;
    s->ctx.progress = tui_progress;
    s->ctx.screen = 1;
    pane_init(&pane, SCROLLBACK);
    splitter_init(&split);

    devnull = fopen("/dev/null", "w");
    rl_change_environment = 0;
    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
    rl_prep_term_function = NULL;
    rl_deprep_term_function = NULL;
    rl_getc_function = getc_hook;
    rl_input_available_hook = avail_hook;
    rl_redisplay_function = redisplay;
    rl_outstream = devnull;
    rl_readline_name = "quarry";
    rl_attempted_completion_function = tui_complete;
    rl_completion_display_matches_hook = tui_list_matches;
    rl_completer_word_break_characters = " \t\n=(,";
    rl_completer_quote_characters = "'";
    using_history();
    stifle_history(2000);
    char *hist = session_history_path();
    if (hist)
        read_history(hist);
    free(hist);
    rl_callback_handler_install(prompt_now(), on_line);
    /* Bound after installing, so these win over the user's inputrc. */
    rl_variable_bind("revert-all-at-newline", "on");
    rl_variable_bind("show-all-if-ambiguous", "on");
    rl_variable_bind("bell-style", "none");
    rl_bind_keyseq("\033[5~", key_page_up);
    rl_bind_keyseq("\033[6~", key_page_down);
    rl_bind_keyseq("\033[H", key_home);
    rl_bind_keyseq("\033OH", key_home);
    rl_bind_keyseq("\033[1~", key_home);
    rl_bind_keyseq("\033[F", key_end);
    rl_bind_keyseq("\033OF", key_end);
    rl_bind_keyseq("\033[4~", key_end);
    rl_bind_keyseq("\033OP", key_help);
    rl_bind_keyseq("\033[11~", key_help);
    rl_bind_key('\f', key_redraw);
    pane_add(&pane, "quarry " QUARRY_VERSION ": type help for the commands, Tab completes, "
                    "F1 for help, Ctrl-D leaves",
             PS_DIM);
    mouse_report(1);
    layout();
    return 0;
}

/* The answer to the question: yes leaves (Ctrl-D) or runs the statement again, confirmed. */
static void
answer(int yes)
{
    char *stmt = ask_stmt;
    free(ask_text);
    ask_text = ask_stmt = NULL;
    done = yes && !stmt;
    if (yes && stmt) {
        S->ctx.confirmed = 1;
        run_line(stmt);
        S->ctx.confirmed = 0;
    } else if (stmt) {
        pane_add(&pane, "not done", PS_DIM);
    }
    free(stmt);
    rl_set_prompt(prompt_now());
    draw_all();
}

/* A key while picking a table from the last listing. */
static void
pick_key(int ch)
{
    if (ch == KEY_UP || ch == 'k') {
        if (pick.at > 0)
            pick.at--;
    } else if (ch == KEY_DOWN || ch == 'j') {
        if (pick.at + 1 < pick.n)
            pick.at++;
    } else if (ch == '\r' || ch == '\n' || ch == KEY_ENTER) {
        struct buf b = BUF_INIT;
        buf_adds(&b, "view '");
        for (const char *p = pick.names[pick.at]; *p; p++)
            buf_add(&b, *p == '\'' ? "''" : p, *p == '\'' ? 2 : 1);
        buf_addc(&b, '\'');
        pick.active = 0;
        keypad(cmd_w, FALSE);
        run_line(b.data);
        buf_release(&b);
    } else if (ch == 'q' || ch == 27) {
        pick.active = 0;
        keypad(cmd_w, FALSE);
    }
    /* Keep the chosen line in view. */
    size_t line = pick.first + (size_t)pick.at, h = (size_t)getmaxy(pane_w);
    size_t bottom = pane.n - pane.scroll;
    if (line >= bottom)
        pane.scroll = pane.n - line - 1;
    else if (line + h < bottom)
        pane.scroll = pane.n - line - h;
    draw_all();
}

void
tui_loop(struct session *s)
{
    (void)s;
    at_prompt = 1;
    S->ctx.can_ask = 1; /* not while an --init script ran: a script means it */
    draw_all();
    while (!done) {
        int ch = wgetch(cmd_w);
        if (ch == ERR) {
            if (session_sigint) {
                session_sigint = 0;
                session_cancel = 0;
                if (ask_text)
                    answer(0);
                cancel_line();
            } else if (errno != EINTR) {
                break; /* the terminal went away */
            }
            continue;
        }
        if (ch == KEY_RESIZE) {
            layout();
            continue;
        }
        if (ask_text) {
            answer(ch == 'y' || ch == 'Y');
            continue;
        }
        if (pick.active) {
            pick_key(ch);
            continue;
        }
        if (ch == '\033') {
            if (!take_mouse())
                while (!done && avail_hook())
                    rl_callback_read_char();
            continue;
        }
        queue_byte(ch);
        /* A UTF-8 lead byte: take its continuation bytes now (Ctrl-R search needs them). */
        int more = ch >= 0xF0 ? 3 : ch >= 0xE0 ? 2 : ch >= 0xC0 ? 1 : 0;
        if (more) {
            nodelay(cmd_w, TRUE);
            for (int i = 0; i < more; i++) {
                int c2 = wgetch(cmd_w);
                if (c2 == ERR)
                    break;
                queue_byte(c2);
            }
            nodelay(cmd_w, FALSE);
        }
        while (!done && avail_hook())
            rl_callback_read_char();
        if (ask_text)
            redisplay();
    }
}

void
tui_close(struct session *s)
{
    rl_callback_handler_remove();
    char *hist = session_history_path();
    if (hist) {
        write_history(hist);
        history_truncate_file(hist, 2000);
    }
    free(hist);
    delwin(pane_w);
    delwin(status_w);
    delwin(cmd_w);
    pane_w = status_w = cmd_w = NULL;
    mouse_report(0);
    endwin();
    delscreen(scr);
    scr = NULL;
    if (devnull)
        fclose(devnull);
    devnull = NULL;
    pane_release(&pane);
    pick_clear();
    splitter_release(&split);
    set_hint(NULL);
    free(ask_text);
    free(ask_stmt);
    ask_text = ask_stmt = NULL;
    s->ctx.can_ask = 0;
    s->front = &front_plain;
    s->ctx.screen = 0;
}
