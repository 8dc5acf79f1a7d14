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
/* Columns a UTF-8 string occupies on a terminal. */
int render_width(const char *s);
/* Write one table in a format. */
void render_table(FILE *out, const struct rtable *t, enum render_format fmt);
/*
 * Write a whole result: tables to out; text items to out in table format,
 * to msgs in the machine formats (so CSV/JSON on stdout stay parsable).
 */
void render_result(FILE *out, FILE *msgs, const struct cmd_result *res, enum render_format fmt);

#endif
