/*
 * render.h: text rendering of command results for the plain front end
 * (and, later, the curses pane): aligned tables, CSV, TSV and JSON, with
 * display widths that respect UTF-8 (wide CJK, zero-width combining marks).
 */
#ifndef QUARRY_RENDER_H
#define QUARRY_RENDER_H

#include <stdio.h>

#include "cmd.h"

enum render_format { RENDER_TABLE, RENDER_CSV, RENDER_TSV, RENDER_JSON };

/* Parse "table|csv|tsv|json"; -1 if unknown. */
int render_format_parse(const char *s);
enum render_line { RENDER_HEADER, RENDER_RULE, RENDER_ROW };

/*
 * Lay a table out as aligned lines, each passed to emit without a newline.
 * With max_width > 0 wide columns are narrowed and their cells cut with …
 * so a row fits; control characters are always shown escaped.
 */
void render_table_lines(const struct rtable *t, int max_width,
                        void (*emit)(void *arg, const char *line, enum render_line kind),
                        void *arg);
/* Write one table in a format. */
void render_table(FILE *out, const struct rtable *t, enum render_format fmt);
/*
 * Write a whole result: tables to out; text items to out in table format,
 * to msgs in the machine formats (so CSV/JSON on stdout stay parsable).
 */
void render_result(FILE *out, FILE *msgs, const struct cmd_result *res, enum render_format fmt);

#endif
