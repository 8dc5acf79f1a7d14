/*
 * line_complete.c: Tab completion through readline, for both line
 * editors (the full-screen front end's and the --plain prompt's): the
 * readline side of the completion engine (commands/complete.h).
 */
#include "line_complete.h"

#include <stdio.h>
#include <string.h>

#include <readline/readline.h>

#include "complete.h"
#include "base/banned.h"

static struct cmd_ctx *plain_ctx;
static const struct splitter *plain_split;

char **
line_complete(struct cmd_ctx *ctx, const struct splitter *split, const char *text, int start,
              int end)
{
    (void)end;
    struct completion c;
    char **matches = NULL;
    rl_attempted_completion_over = 1;
    completion_init(&c);
    /*
     * On a continuation line the engine needs the whole statement so far
     * (the pending lines, a newline, this line); offsets shift back after.
     */
    struct buf whole = BUF_INIT;
    int shift = 0;
    if (split && splitter_pending(split)) {
        buf_add(&whole, split->pending.data, split->pending.len);
        if (whole.len && whole.data[whole.len - 1] != '\n')
            buf_addc(&whole, '\n');
        shift = (int)whole.len;
    }
    buf_adds(&whole, rl_line_buffer);
    complete_line(ctx, whole.data, shift + rl_point, &c);
    buf_release(&whole);
    c.start -= shift;
    if (c.start < 0)
        c.kind = COMPLETE_NONE;
    if (c.kind == COMPLETE_FILES) {
        rl_attempted_completion_over = 0;
        rl_filename_completion_desired = 1;
        matches = rl_completion_matches(text, rl_filename_completion_function);
        goto out;
    }
    if (c.kind != COMPLETE_WORDS || c.n_words == 0)
        goto out;
    /* Readline replaces line[start..point]; the engine's words replace line[c.start..point]. */
    const char *lead = "";
    size_t lead_len = 0, skip = 0;
    if (c.start > start) {
        lead = rl_line_buffer + start;
        lead_len = (size_t)(c.start - start);
    } else {
        skip = (size_t)(start - c.start);
    }
    matches = xcalloc((size_t)c.n_words + 2, sizeof *matches);
    for (int i = 0; i < c.n_words; i++) {
        const char *w = c.words[i];
        size_t wl = strlen(w);
        struct buf b = BUF_INIT;
        buf_add(&b, lead, lead_len);
        buf_add(&b, w + (skip < wl ? skip : wl), skip < wl ? wl - skip : 0);
        matches[i + 1] = buf_detach(&b);
    }
    /* matches[0] is the longest common prefix of all candidates. */
    size_t common = strlen(matches[1]);
    for (int i = 2; i <= c.n_words; i++) {
        size_t k = 0;
        while (k < common && matches[i][k] && matches[i][k] == matches[1][k])
            k++;
        common = k;
    }
    if (c.n_words == 1) {
        matches[0] = matches[1];
        matches[1] = NULL;
    } else {
        matches[0] = xstrndup(matches[1], common);
    }
    rl_completion_append_character = c.append_space ? ' ' : '\0';
    rl_completion_suppress_append = !c.append_space;
out:
    completion_release(&c);
    return matches;
}

static char **
plain_complete(const char *text, int start, int end)
{
    return line_complete(plain_ctx, plain_split, text, start, end);
}

void
line_complete_setup(void)
{
    rl_completer_word_break_characters = " \t\n=(,";
    rl_completer_quote_characters = "'";
}

void
line_complete_install(struct cmd_ctx *ctx, const struct splitter *split)
{
    plain_ctx = ctx;
    plain_split = split;
    rl_attempted_completion_function = plain_complete;
    line_complete_setup();
}
