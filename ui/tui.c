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
#include "tui.h"
#include "tui_int.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "grid.h"
#include "line_complete.h"
#include "pane.h"
#include "render.h"
#include "base/utf8.h"
#include "remote.h"
#include "base/banned.h"

#define SCROLLBACK 200000

struct tui_state tui;
static SCREEN *scr;
static unsigned char inq[64];
static int inq_head, inq_tail;
static FILE *devnull;
static double last_progress_draw, last_fraction;

static void
pick_clear(void)
{
    cmd_free_names(tui.pick.names, tui.pick.n);
    memset(&tui.pick, 0, sizeof tui.pick);
}

void
tui_set_hint(const char *text)
{
    free(tui.hint);
    tui.hint = text ? xstrdup(text) : NULL;
}

/* --- the front end: results into the pane ------------------------------------- */

static void
emit_table_line(void *arg, const char *line, enum render_line kind)
{
    (void)arg;
    pane_add(&tui.pane, line, kind == RENDER_HEADER ? PS_HEADER : kind == RENDER_RULE ? PS_RULE
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
    pane_add(&tui.pane, b.data, PS_DIM);
    buf_release(&b);
}

static void
tui_result(struct session *s, const struct cmd_result *res)
{
    int picked = 0;
    if (res->confirm && !tui.ask_text) {
        tui.ask_text = xstrdup(res->confirm);
        tui.ask_stmt = xstrdup(res->confirm_stmt);
        tui.ask_enter = res->confirm_enter;
        s->stop = 1; /* the rest of the line is dropped */
    }
    for (int i = 0; i < res->n_items; i++) {
        const struct out_item *it = &res->items[i];
        if (it->kind == OUT_TABLE) {
            if (res->pick_tables && !picked && it->table->n_rows > 0 &&
                tui.pane.n + 2 + (size_t)it->table->n_rows < tui.pane.cap) {
                pick_clear();
                tui.pick.first = tui.pane.n + 2; /* after the header and its rule */
                tui.pick.n = (int)it->table->n_rows;
                tui.pick.names = xcalloc((size_t)tui.pick.n, sizeof *tui.pick.names);
                for (int r = 0; r < tui.pick.n; r++)
                    tui.pick.names[r] = xstrdup(rtable_get(it->table, r, 0));
                picked = 1;
            }
            render_table_lines(it->table, COLS - 1, emit_table_line, NULL);
        } else if (it->kind == OUT_BLOCK) {
            pane_add_ansi(&tui.pane, it->text);
        } else {
            pane_add_wrapped(&tui.pane, it->text, PS_NORMAL, COLS - 1);
        }
    }
    if (res->view_table || res->view_query) {
        struct qerr err = QERR_INIT;
        tui_mouse_report(0);
        if (grid_run(catalog_db(s->ctx.cat), res->view_table, res->view_query, tui.use_color,
                     &err) < 0) {
            struct buf b = BUF_INIT;
            buf_addf(&b, "error: %s", err.msg);
            pane_add_wrapped(&tui.pane, b.data, PS_ERROR, COLS - 1);
            if (err.hint)
                pane_add_wrapped(&tui.pane, err.hint, PS_HINT, COLS - 1);
            buf_release(&b);
        }
        qerr_clear(&err);
        tui_mouse_report(1);
        clearok(curscr, TRUE);
        tui_layout();
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
    pane_add_wrapped(&tui.pane, b.data, PS_ERROR, COLS - 1);
    if (err->pos >= 0 && (size_t)err->pos <= strlen(stmt) && !strchr(stmt, '\n')) {
        char *before = xstrndup(stmt, (size_t)err->pos);
        buf_reset(&b);
        buf_addf(&b, "  %s\n  %*s^", stmt, utf8_width(before), "");
        pane_add(&tui.pane, b.data, PS_HINT);
        free(before);
    }
    if (err->hint)
        pane_add_wrapped(&tui.pane, err->hint, PS_HINT, COLS - 1);
    buf_release(&b);
}

static void
tui_note(struct session *s, const char *text)
{
    (void)s;
    pane_add(&tui.pane, text, PS_DIM);
}

/* Before the first prompt (an --init script), show each result as it comes. */
static void
tui_result_init(struct session *s, const struct cmd_result *res)
{
    tui_result(s, res);
    if (!tui.at_prompt && !tui.too_small) {
        tui_draw_pane();
        tui_draw_status(-1);
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
    if (!tui.too_small && t - last_progress_draw > 0.1) {
        last_progress_draw = t;
        tui_draw_status(last_fraction);
        doupdate();
    }
    return session_cancel;
}

/* The engine's words on where it is: shown beside the bar from the next draw. */
static void
tui_progress_text(void *arg, const char *text)
{
    (void)arg;
    snprintf(tui.run_text, sizeof tui.run_text, "%s", text);
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

const char *
tui_prompt_now(void)
{
    return splitter_pending(&tui.split) ? "   ...> " : "quarry> ";
}

void
tui_run_line(const char *line)
{
    struct buf b = BUF_INIT;
    buf_addf(&b, "%s%s", tui_prompt_now(), line);
    pane_add(&tui.pane, b.data, PS_DIM);
    buf_release(&b);
    tui.pane.scroll = 0;
    tui.running = line;
    tui.run_start = session_now();
    tui.run_text[0] = 0;
    last_progress_draw = 0;
    last_fraction = -1;
    if (!tui.too_small) {
        tui_draw_pane();
        tui_draw_status(-1);
        doupdate();
    }
    splitter_feed(&tui.split, line, session_run, tui.s);
    tui.running = NULL;
    tui.s->stop = 0;
    if (tui.s->quit)
        tui.done = 1;
}

static void
on_line(char *line)
{
    if (!line) {
        /* Ctrl-D on an empty line: leave, asking first if work is unsaved. */
        if (catalog_dirty(tui.s->ctx.cat))
            tui.ask_text = xstrdup("Unsaved changes. Quit without saving? (y/N) ");
        else
            tui.done = 1;
        return;
    }
    tui_set_hint(NULL);
    if (!*line && tui.pick.n && !splitter_pending(&tui.split) &&
        tui.pick.first + (size_t)tui.pick.n <= tui.pane.n) {
        tui.pick.active = 1;
        tui.pick.at = 0;
        keypad(tui.cmd_w, TRUE);
        free(line);
        tui_redraw();
        return;
    }
    if (*line) {
        HIST_ENTRY *last = history_length ? history_get(history_base + history_length - 1) : NULL;
        char *masked = remote_mask(line); /* attach's password as *** (remote.h) */
        if (!last || strcmp(last->line, masked ? masked : line) != 0)
            add_history(masked ? masked : line);
        free(masked);
    }
    tui_run_line(line);
    free(line);
    rl_set_prompt(tui_prompt_now());
    tui_redraw();
}

/* --- what tui_complete.c needs (tui_int.h) ----------------------------------- */

struct session *
tui_session(void)
{
    return tui.s;
}

struct pane *
tui_pane(void)
{
    return &tui.pane;
}

struct splitter *
tui_splitter(void)
{
    return &tui.split;
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
    nodelay(tui.cmd_w, TRUE);
    while (n < (int)sizeof seq - 1 && (c = wgetch(tui.cmd_w)) != ERR) {
        seq[n++] = (char)c;
        if (n == 1 && c != '[')
            break;
        if (n == 2 && c != '<')
            break;
        if (n > 2 && (c == 'M' || c == 'm'))
            break;
    }
    nodelay(tui.cmd_w, FALSE);
    seq[n] = '\0';
    if (n > 3 && seq[0] == '[' && seq[1] == '<' && (seq[n - 1] == 'M' || seq[n - 1] == 'm')) {
        int button = (int)strtol(seq + 2, NULL, 10);
        if (button == 64)
            tui.pane.scroll += 3;
        else if (button == 65)
            tui.pane.scroll = tui.pane.scroll > 3 ? tui.pane.scroll - 3 : 0;
        tui_redraw();
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
    int had = rl_end > 0 || splitter_pending(&tui.split);
    rl_free_line_state();
    rl_callback_sigcleanup();
    rl_replace_line("", 0);
    rl_point = rl_end = 0;
    splitter_release(&tui.split);
    splitter_init(&tui.split);
    rl_set_prompt(tui_prompt_now());
    tui_set_hint(had ? NULL : "Ctrl-D or quit leaves quarry");
    tui_redraw();
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
    tui.use_color = has_colors() && !getenv("NO_COLOR");
    if (tui.use_color) {
        start_color();
        use_default_colors();
        init_pair(1, COLOR_RED, -1);
        init_pair(2, COLOR_YELLOW, -1);
        for (short i = 0; i < 8; i++)
            init_pair((short)(10 + i), i, -1);
    }
    tui.s = s;
    s->front = &front_tui;
    s->ctx.progress = tui_progress;
    s->ctx.progress_text = tui_progress_text;
    s->ctx.screen = 1;
    pane_init(&tui.pane, SCROLLBACK);
    splitter_init(&tui.split);

    devnull = fopen("/dev/null", "w");
    rl_change_environment = 0;
    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
    rl_prep_term_function = NULL;
    rl_deprep_term_function = NULL;
    rl_getc_function = getc_hook;
    rl_input_available_hook = avail_hook;
    rl_redisplay_function = tui_redisplay;
    rl_outstream = devnull;
    rl_readline_name = "quarry";
    rl_attempted_completion_function = tui_complete;
    rl_completion_display_matches_hook = tui_list_matches;
    line_complete_setup();
    using_history();
    stifle_history(2000);
    char *hist = session_history_path();
    if (hist)
        read_history(hist);
    free(hist);
    rl_callback_handler_install(tui_prompt_now(), on_line);
    /* Bound after installing, so these win over the user's inputrc. */
    rl_variable_bind("revert-all-at-newline", "on");
    rl_variable_bind("show-all-if-ambiguous", "on");
    rl_variable_bind("bell-style", "none");
    tui_bind_keys();
    pane_add(&tui.pane, "quarry " QUARRY_VERSION ": type help for the commands, Tab completes, "
                    "F1 for help, Ctrl-D leaves",
             PS_DIM);
    tui_mouse_report(1);
    tui_layout();
    return 0;
}

void
tui_loop(struct session *s)
{
    (void)s;
    tui.at_prompt = 1;
    tui.s->ctx.can_ask = 1; /* not while an --init script ran: a script means it */
    tui_redraw();
    while (!tui.done) {
        int ch = wgetch(tui.cmd_w);
        if (ch == ERR) {
            if (session_sigint) {
                session_sigint = 0;
                session_cancel = 0;
                if (tui.ask_text)
                    tui_answer(0);
                cancel_line();
            } else if (errno != EINTR) {
                break; /* the terminal went away */
            }
            continue;
        }
        if (ch == KEY_RESIZE) {
            tui_layout();
            continue;
        }
        if (tui.ask_text) {
            tui_answer(ch == 'y' || ch == 'Y' ||
                       (tui.ask_enter && (ch == '\r' || ch == '\n' || ch == KEY_ENTER)));
            continue;
        }
        if (tui.pick.active) {
            tui_pick_key(ch);
            continue;
        }
        if (ch == '\033') {
            if (!take_mouse())
                while (!tui.done && avail_hook())
                    rl_callback_read_char();
            continue;
        }
        queue_byte(ch);
        /* A UTF-8 lead byte: take its continuation bytes now (Ctrl-R search needs them). */
        int more = ch >= 0xF0 ? 3 : ch >= 0xE0 ? 2 : ch >= 0xC0 ? 1 : 0;
        if (more) {
            nodelay(tui.cmd_w, TRUE);
            for (int i = 0; i < more; i++) {
                int c2 = wgetch(tui.cmd_w);
                if (c2 == ERR)
                    break;
                queue_byte(c2);
            }
            nodelay(tui.cmd_w, FALSE);
        }
        while (!tui.done && avail_hook())
            rl_callback_read_char();
        if (tui.ask_text)
            tui_redisplay();
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
    delwin(tui.pane_w);
    delwin(tui.status_w);
    delwin(tui.cmd_w);
    tui.pane_w = tui.status_w = tui.cmd_w = NULL;
    tui_mouse_report(0);
    endwin();
    delscreen(scr);
    scr = NULL;
    if (devnull)
        fclose(devnull);
    devnull = NULL;
    pane_release(&tui.pane);
    pick_clear();
    splitter_release(&tui.split);
    tui_set_hint(NULL);
    free(tui.ask_text);
    free(tui.ask_stmt);
    tui.ask_text = tui.ask_stmt = NULL;
    s->ctx.can_ask = 0;
    s->front = &front_plain;
    s->ctx.screen = 0;
}
