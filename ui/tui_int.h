/*
 * tui_int.h: what the pieces of the full-screen front end share. tui.c
 * owns the state (struct tui_state), the front end's output, the input
 * queue and the loop; tui_draw.c draws the windows; tui_keys.c holds the
 * keys bound into readline, the y/N question and the table pick;
 * tui_complete.c readline's completion hooks.
 */
#ifndef QUARRY_TUI_INT_H
#define QUARRY_TUI_INT_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>

#include "cmd.h"
#include "pane.h"
#include "session.h"

#define TUI_MIN_COLS 40
#define TUI_MIN_LINES 10

struct tui_state {
    struct session *s;
    WINDOW *pane_w, *status_w, *cmd_w;
    struct pane pane;
    struct splitter split;
    int use_color, too_small, done, hscroll;
    /* A y/N question: Ctrl-D's (ask_stmt NULL) or a statement's, which yes runs confirmed. */
    char *ask_text, *ask_stmt;
    int ask_enter;       /* Enter answers yes too (res->confirm_enter: demo's next step) */
    int at_prompt;       /* 0 while an --init script runs before the first prompt */
    char *hint;          /* a transient message for the status bar */
    double run_start;
    const char *running; /* the statement running, for the status bar */
    char run_text[96];   /* what it is at, in words (cmd_ctx.progress_text), or "" */
    /*
     * The last `tables` listing: its rows' pane lines and the table names,
     * so that Enter on an empty prompt lets the user pick one to view.
     */
    struct {
        size_t first; /* pane line of the first name */
        char **names;
        int n;
        int active, at; /* picking now, and which row */
    } pick;
};

/* The one front end's state (tui.c). */
extern struct tui_state tui;

struct session *tui_session(void);
struct pane *tui_pane(void);
/* The statement being typed over several lines, if any. */
struct splitter *tui_splitter(void);

/* --- tui.c --- */
/* The prompt for the next line: "quarry> ", or "   ...> " inside a statement. */
const char *tui_prompt_now(void);
/* Echo line into the pane and run it (the statement splitter, then the session). */
void tui_run_line(const char *line);
/* A transient message for the status bar (NULL: none). */
void tui_set_hint(const char *text);

/* --- tui_draw.c --- */
/* Draw the whole screen again. */
void tui_redraw(void);
void tui_draw_pane(void);
/* The status bar; fraction in [0, 1] draws a progress bar while a statement runs. */
void tui_draw_status(double fraction);
/* Readline's redisplay function: the prompt line (or the question being asked). */
void tui_redisplay(void);
/* Make the windows for the terminal's size and draw everything. */
void tui_layout(void);
/* Turn the terminal's mouse-wheel reports on or off. */
void tui_mouse_report(int on);

/* --- tui_keys.c --- */
/* Bind PgUp/PgDn, Home/End, F1 and Ctrl-L (after rl_callback_handler_install). */
void tui_bind_keys(void);
/* The answer to the y/N question: yes leaves (Ctrl-D) or runs the statement confirmed. */
void tui_answer(int yes);
/* A key (a curses code) while picking a table from the last listing. */
void tui_pick_key(int ch);

/* --- tui_complete.c --- */
/* Readline's attempted-completion function (complete.c's engine). */
char **tui_complete(const char *text, int start, int end);
/* Readline's hook to list ambiguous completions: into the pane. */
void tui_list_matches(char **matches, int n, int max_len);

#endif
