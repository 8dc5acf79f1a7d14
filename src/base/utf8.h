/*
 * utf8.h: how many terminal columns UTF-8 text takes, for every front end
 * and the grid pager. Control bytes count 2 columns: quarry always shows
 * them escaped (\n, ^A), never raw.
 */
#ifndef QUARRY_UTF8_H
#define QUARRY_UTF8_H

#include <stddef.h>

/*
 * Decode the sequence at *pp (not at the terminating NUL) and advance past
 * it; an invalid byte gives U+FFFD and advances one byte.
 */
unsigned utf8_next(const unsigned char **pp);
/* Columns of a printable code point: 0 (combining), 1 or 2 (wide). */
int utf8_cp_width(unsigned cp);
/* Columns of a NUL-terminated string. */
int utf8_width(const char *s);
/*
 * How many bytes of s (at most len, stopping at a NUL) fit in cols
 * columns, whole characters only; *used (if not NULL) gets their width.
 */
size_t utf8_fit(const char *s, size_t len, int cols, int *used);

#endif
