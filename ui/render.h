/*
 * render.h: text rendering of command results for the plain front end
 * (and, later, the curses pane): aligned tables, CSV, TSV and JSON, with
 * display widths that respect UTF-8 (wide CJK, zero-width combining marks).
 */
#ifndef QUARRY_RENDER_H
#define QUARRY_RENDER_H

#include <stdio.h>

#include "base/buf.h"
#include "cmd.h"

enum render_format { RENDER_TABLE, RENDER_CSV, RENDER_TSV, RENDER_JSON };

/*
 * The one place where text from data or messages is made safe for a
 * terminal: everything the plain front end prints goes through here
 * (machine formats keep data exact instead, in their own escapes).
 * Appends s to b (b NULL: only measures) and returns its width in
 * columns, stopping before max columns are passed (max < 0: no limit).
 * No control character passes: \n, \t and \r become \n \t \r (or stay,
 * with RENDER_KEEP_NL / RENDER_KEEP_TAB), other C0 bytes and DEL ^A..^?,
 * a NUL (C0 80 in a result cell) ^@, C1 controls (U+0080-U+009F) \x80..
 * \x9f, and each byte that is not valid UTF-8 U+FFFD.
 */
#define RENDER_KEEP_NL 1u
#define RENDER_KEEP_TAB 2u
int render_clean(struct buf *b, const char *s, int max, unsigned flags);
/* Print a message (lines, tabs kept) through render_clean. */
void render_put_clean(FILE *out, const char *s);

/*
 * The text the table format shows for a cell v (NULL stays NULL). A real
 * number written with more than 15 significant digits (a SQL REAL is
 * written with as many as it takes to read back exactly, up to 17) is
 * shown as the sqlite3 shell shows it: %.15g (no exponent from 1e-4 up to
 * 1e15), ".0" after a whole number (0.30000000000000004 is 0.3,
 * 242962.99999999997 is 242963.0). Anything else, fewer digits
 * chosen by a command among them, is shown as it is. The csv, tsv and
 * json formats write cells as they are.
 * Returns v or tmp.
 */
#define RENDER_NUM_MAX 48
const char *render_cell_shown(const char *v, int is_num, char tmp[RENDER_NUM_MAX]);

/* Parse "table|csv|tsv|json"; -1 if unknown. */
int render_format_parse(const char *s);
enum render_line { RENDER_HEADER, RENDER_RULE, RENDER_ROW };

/*
 * Lay a table out as aligned lines, each passed to emit without a newline.
 * With max_width > 0 wide columns are narrowed and their cells cut with …
 * so a row fits; cells are shown through render_cell_shown and
 * render_clean, so control characters are always shown escaped.
 */
void render_table_lines(const struct rtable *t, int max_width,
                        void (*emit)(void *arg, const char *line, enum render_line kind),
                        void *arg);
/*
 * Write one table in a format. csv quotes as RFC 4180 (and writes '' as
 * "" so it stays apart from NULL, written as nothing); tsv escapes
 * backslash, tab, LF, CR and NUL as \\ \t \n \r \0; json is an array of
 * objects, always valid JSON: NUL is \u0000, bytes that are not UTF-8
 * become U+FFFD, infinities and NaN are null.
 */
void render_table(FILE *out, const struct rtable *t, enum render_format fmt);
/*
 * Write a whole result: tables to out; text items to out in table format,
 * to msgs in the machine formats (so CSV/JSON on stdout stay parsable).
 */
void render_result(FILE *out, FILE *msgs, const struct cmd_result *res, enum render_format fmt);

#endif
