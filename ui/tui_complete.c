/*
 * tui_complete.c: Tab completion in the full-screen front end: readline's
 * hooks around the completion engine (line_complete.c, on commands/complete.h). Ambiguous
 * matches are listed in the output pane, never written to the terminal.
 */
#include "tui_int.h"

#include <string.h>

#include <readline/readline.h>

#include "line_complete.h"
#include "base/banned.h"

/* --- completion ----------------------------------------------------------------- */

char **
tui_complete(const char *text, int start, int end)
{
    return line_complete(&tui_session()->ctx, tui_splitter(), text, start, end);
}

/* Ambiguous completions are listed in the pane, never on the terminal. */
void
tui_list_matches(char **matches, int n, int max_len)
{
    struct buf b = BUF_INIT;
    int rows, cols;
    rl_get_screen_size(&rows, &cols); /* kept equal to the screen's by tui.c */
    int colw = max_len + 2, per = (cols - 1) / (colw > 0 ? colw : 1);
    if (per < 1)
        per = 1;
    for (int i = 1; i <= n; i++) {
        const char *m = matches[i];
        const char *base = rl_filename_completion_desired ? strrchr(m, '/') : NULL;
        m = base && base[1] ? base + 1 : m;
        buf_addf(&b, "%-*s", colw, m);
        if (i % per == 0 || i == n) {
            buf_rtrim(&b);
            pane_add(tui_pane(), b.data, PS_DIM);
            buf_reset(&b);
        }
    }
    buf_release(&b);
    tui_pane()->scroll = 0;
    tui_redraw();
}

