/*
 * tui_keys.c: the keys of the full-screen front end that are not typing:
 * the ones bound into readline (PgUp/PgDn and Home/End scroll the pane,
 * F1 help, Ctrl-L redraw), the answer to a y/N question, and choosing a
 * table from the last `tables` listing. The state is tui.c's (tui_int.h).
 */
#include "tui_int.h"

#include <stdlib.h>
#include <string.h>

#include <readline/readline.h>

#include "base/banned.h"

static int
key_scroll(int count, int key)
{
    (void)count;
    int h = getmaxy(tui.pane_w);
    size_t page = (size_t)(h > 1 ? h - 1 : 1);
    if (key == 'U')
        tui.pane.scroll += page;
    else
        tui.pane.scroll = tui.pane.scroll > page ? tui.pane.scroll - page : 0;
    tui_redraw();
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
        tui.pane.scroll = tui.pane.n;
        tui_redraw();
        return 0;
    }
    return rl_beg_of_line(count, key);
}

static int
key_end(int count, int key)
{
    if (rl_end == 0 || tui.pane.scroll) {
        tui.pane.scroll = 0;
        tui_redraw();
        return 0;
    }
    return rl_end_of_line(count, key);
}

static int
key_help(int count, int key)
{
    (void)count;
    (void)key;
    tui_run_line("help");
    tui_redraw();
    return 0;
}

static int
key_redraw(int count, int key)
{
    (void)count;
    (void)key;
    clearok(curscr, TRUE);
    tui_layout();
    return 0;
}

void
tui_bind_keys(void)
{
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
}

/* The answer to the question: yes leaves (Ctrl-D) or runs the statement again, confirmed. */
void
tui_answer(int yes)
{
    char *stmt = tui.ask_stmt;
    free(tui.ask_text);
    tui.ask_text = tui.ask_stmt = NULL;
    tui.ask_enter = 0;
    tui.done = yes && !stmt;
    if (yes && stmt) {
        tui.s->ctx.confirmed = 1;
        tui_run_line(stmt);
        tui.s->ctx.confirmed = 0;
    } else if (stmt) {
        pane_add(&tui.pane, "not done", PS_DIM);
    }
    free(stmt);
    rl_set_prompt(tui_prompt_now());
    tui_redraw();
}

/* A key while picking a table from the last listing. */
void
tui_pick_key(int ch)
{
    if (ch == KEY_UP || ch == 'k') {
        if (tui.pick.at > 0)
            tui.pick.at--;
    } else if (ch == KEY_DOWN || ch == 'j') {
        if (tui.pick.at + 1 < tui.pick.n)
            tui.pick.at++;
    } else if (ch == '\r' || ch == '\n' || ch == KEY_ENTER) {
        struct buf b = BUF_INIT;
        buf_adds(&b, "view '");
        for (const char *p = tui.pick.names[tui.pick.at]; *p; p++)
            buf_add(&b, *p == '\'' ? "''" : p, *p == '\'' ? 2 : 1);
        buf_addc(&b, '\'');
        tui.pick.active = 0;
        keypad(tui.cmd_w, FALSE);
        tui_run_line(b.data);
        buf_release(&b);
    } else if (ch == 'q' || ch == 27) {
        tui.pick.active = 0;
        keypad(tui.cmd_w, FALSE);
    }
    /* Keep the chosen line in view. */
    size_t line = tui.pick.first + (size_t)tui.pick.at, h = (size_t)getmaxy(tui.pane_w);
    size_t bottom = tui.pane.n - tui.pane.scroll;
    if (line >= bottom)
        tui.pane.scroll = tui.pane.n - line - 1;
    else if (line + h < bottom)
        tui.pane.scroll = tui.pane.n - line - h;
    tui_redraw();
}

