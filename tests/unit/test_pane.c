/*
 * test_pane.c: the output pane's model. Lines are split and kept in a
 * bounded ring; control bytes never reach the screen; ANSI colour codes in
 * a rendered block (gnuplot's dumb terminal) become per-byte styles and
 * nothing else of an escape sequence survives.
 */
#include <string.h>

#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "pane.h"
#include "render.h"

static void
test_lines(void)
{
    struct pane p;
    pane_init(&p, 3);
    pane_add(&p, "one\ntwo", PS_NORMAL);
    CHECK_INT(p.n, 2);
    CHECK_STR(pane_get(&p, 0)->text, "one");
    pane_add(&p, "three\nfour", PS_ERROR);
    CHECK_INT(p.n, 3); /* the oldest line was dropped */
    CHECK_STR(pane_get(&p, 0)->text, "two");
    CHECK_STR(pane_get(&p, 2)->text, "four");
    CHECK_INT(pane_get(&p, 2)->style, PS_ERROR);
    /* A value holding an escape sequence (a title-setting attack) is defused. */
    pane_add(&p, "a\033]2;PWNED\007b\tc", PS_NORMAL);
    CHECK_STR(pane_get(&p, 2)->text, "a?]2;PWNED?b c");
    pane_release(&p);
}

static void
test_ansi(void)
{
    struct pane p;
    pane_init(&p, 10);
    pane_add_ansi(&p, "\f ab\033[1;31mcd\033[0;39me\n\033[38;5;36mx\033[0my\033]0;t\007");
    CHECK_INT(p.n, 2);
    const struct pane_line *l = pane_get(&p, 0);
    CHECK_STR(l->text, " abcde");
    CHECK(l->attr != NULL);
    CHECK_INT(l->attr[1], PS_NORMAL);
    CHECK_INT(l->attr[3], PS_COLOR0 + 1); /* red */
    CHECK_INT(l->attr[4], PS_COLOR0 + 1);
    CHECK_INT(l->attr[5], PS_NORMAL);
    l = pane_get(&p, 1);
    /* 256-colour codes are not mapped; an OSC sequence is not SGR: its bytes are shown. */
    CHECK_STR(l->text, "xy?]0;t?");
    CHECK_INT(strlen(l->text), 8);
    pane_release(&p);
}

/* In plain mode a block prints without its colour codes or control bytes. */
static void
test_plain_block(void)
{
    struct cmd_result res;
    char *text = NULL;
    size_t len = 0;
    result_init(&res);
    result_block(&res, "\f\033[1;31m*\033[0m  plot\nline 2");
    FILE *f = open_memstream(&text, &len);
    render_result(f, f, &res, RENDER_TABLE);
    fclose(f);
    CHECK_STR(text, "*  plot\nline 2\n");
    free(text);
    result_release(&res);
}

int
main(void)
{
    test_lines();
    test_ansi();
    test_plain_block();
    return check_done("test_pane");
}
