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
#include "base/utf8.h"

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

/*
 * Wrapping to the pane (help text written 80 wide, shown in a narrower
 * pane): each expected line below was laid out by hand at width 40.
 */
static void
test_wrap(void)
{
    struct pane p;
    pane_init(&p, 100);
    /* A line that fits keeps its spacing. */
    pane_add_wrapped(&p, "a  b    c", PS_NORMAL, 40);
    CHECK_STR(pane_get(&p, 0)->text, "a  b    c");
    /* An argument's description hangs under itself; its continuation flows in. */
    pane_add_wrapped(&p,
                     "  cols       Required. The numeric columns that describe a row (normalise them\n"
                     "             first if their scales differ).\n"
                     "  method     One of kmeans.",
                     PS_HINT, 40);
    static const char *const want[] = {
        "  cols       Required. The numeric", /* 34: " columns" would make 42 */
        "             columns that describe a row", /* exactly 40 */
        "             (normalise them first if",
        "             their scales differ).",
        "  method     One of kmeans.", /* fits: as it was */
    };
    CHECK_INT(p.n, 6);
    for (int i = 0; i < 5 && (size_t)i + 1 < p.n; i++) {
        CHECK_STR(pane_get(&p, (size_t)i + 1)->text, want[i]);
        CHECK(strlen(pane_get(&p, (size_t)i + 1)->text) <= 40);
        CHECK_INT(pane_get(&p, (size_t)i + 1)->style, PS_HINT);
    }
    /* A paragraph without a gap hangs at its indent; a word wider than a line is cut. */
    pane_add_wrapped(&p, "  one two three four five six seven eight nine ten eleven", PS_NORMAL,
                     20);
    CHECK_STR(pane_get(&p, 6)->text, "  one two three four");
    CHECK_STR(pane_get(&p, 7)->text, "  five six seven");
    CHECK_STR(pane_get(&p, 8)->text, "  eight nine ten");
    CHECK_STR(pane_get(&p, 9)->text, "  eleven");
    pane_add_wrapped(&p, "x 0123456789012345678901234567890123456789", PS_NORMAL, 20);
    CHECK_STR(pane_get(&p, 10)->text, "x"); /* the long word starts a line of its own */
    CHECK_STR(pane_get(&p, 11)->text, "01234567890123456789");
    CHECK_STR(pane_get(&p, 12)->text, "01234567890123456789");
    /* A line that fits is not joined to the next; wide characters count two columns. */
    pane_add_wrapped(&p, "short\n\xE5\xAD\x97\xE5\xAD\x97\xE5\xAD\x97\xE5\xAD\x97\xE5\xAD\x97 "
                         "\xE5\xAD\x97\xE5\xAD\x97\xE5\xAD\x97\xE5\xAD\x97\xE5\xAD\x97 ab",
                     PS_NORMAL, 20);
    CHECK_STR(pane_get(&p, 13)->text, "short");
    CHECK_STR(pane_get(&p, 14)->text, "\xE5\xAD\x97\xE5\xAD\x97\xE5\xAD\x97\xE5\xAD\x97"
                                      "\xE5\xAD\x97"); /* 10 columns; the next word makes 21 */
    CHECK_STR(pane_get(&p, 15)->text, "\xE5\xAD\x97\xE5\xAD\x97\xE5\xAD\x97\xE5\xAD\x97"
                                      "\xE5\xAD\x97 ab");
    CHECK_INT(p.n, 16);
    /* The gap may follow more than one word. */
    pane_add_wrapped(&p, "  as NAME   Write the result to a new table", PS_NORMAL, 30);
    CHECK_STR(pane_get(&p, 16)->text, "  as NAME   Write the result");
    CHECK_STR(pane_get(&p, 17)->text, "            to a new table");
    pane_release(&p);
}

static char fit_lines[8][160];
static int fit_n;

static void
keep_line(void *arg, const char *line, enum render_line kind)
{
    (void)arg;
    (void)kind;
    if (fit_n < 8)
        snprintf(fit_lines[fit_n++], sizeof fit_lines[0], "%s", line);
}

/*
 * Fitting a wide table to the pane (ui/render.c, fit_widths), laid out
 * by hand: the first column is not cut below 20, a cut that saves less
 * than 3 columns is not made, numbers are never cut, and once columns are
 * left out anyway the room they free goes back to the cut columns, the
 * one nearest its whole width first.
 */
static void
test_fit(void)
{
    struct cmd_result res;
    static const char *const cols[] = {"column", "type", "min", "max", "n", "last"};
    result_init(&res);
    struct rtable *t = result_table(&res, 6, cols);
    long long r = rtable_add_row(t);
    rtable_set(t, r, 0, "a_rather_long_column_name", 0); /* 25 */
    rtable_set(t, r, 1, "integer", 0);                   /* 7: a cut to 6 saves 1 */
    rtable_set(t, r, 2, "Ana Sofia Andersson", 0);       /* 19 */
    rtable_set(t, r, 3, "Lukasz S", 0);                  /* 8 */
    rtable_set(t, r, 4, "123456789", 1);
    rtable_set(t, r, 5, "x", 0);
    /* Width 100: all fits whole (25+7+19+8+9+6 and 10 of gaps = 84). */
    fit_n = 0;
    render_table_lines(t, 100, keep_line, NULL);
    CHECK_INT(fit_n, 3);
    CHECK_STR(fit_lines[2], "a_rather_long_column_name  integer  Ana Sofia Andersson  Lukasz S  "
                            "123456789  x");
    /* Width 70: cuts fit everything: column to 20 (-5), min to 12 (-7, widest
     * first, then both shrink in turn): 84 - 14 = 70. */
    fit_n = 0;
    render_table_lines(t, 70, keep_line, NULL);
    CHECK_INT(fit_n, 3);
    CHECK_STR(fit_lines[2], "a_rather_long_colum…  integer  Ana Sofia A…  Lukasz S  123456789  x");
    CHECK_INT((int)utf8_width(fit_lines[2]), 67); /* 70 less the blanks after "x" in 4 */
    /* Width 50: at the floors (20, 7, 6, 8) the first four take 47 with the
     * gaps; the number (9) does not fit, so it and "last" are left out and
     * the 3 columns of room go to the cut column nearest its whole width:
     * column (5 short; min is 13 short), 20 -> 23. */
    fit_n = 0;
    render_table_lines(t, 50, keep_line, NULL);
    CHECK_INT(fit_n, 4);
    CHECK_STR(fit_lines[2], "a_rather_long_column_n…  integer  Ana S…  Lukasz S");
    CHECK_STR(fit_lines[3], "(2 more columns to the right: n, last; widen the window, or SELECT "
                            "fewer columns)");
    result_release(&res);
}

int
main(void)
{
    test_lines();
    test_ansi();
    test_plain_block();
    test_wrap();
    test_fit();
    return check_done("test_pane");
}
