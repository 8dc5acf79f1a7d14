/*
 * catalog_page_rows.c: the rows a pager hands out (see catalog_page.h):
 * display text made safe for the terminal, and the growable row sets
 * the table and query pagers fill from SQLite statements.
 */
#include "data/catalog_page_int.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/utf8.h"

#include "base/banned.h"

/* ---- display text --------------------------------------------------- */

/* Code points shown as U+FFFD: C1 controls, and the bidi controls that would reorder a row. */
static int
cp_hidden(unsigned cp)
{
    return (cp >= 0x80 && cp <= 0x9F) || cp == 0x200E || cp == 0x200F ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
           cp == 0x2028 || cp == 0x2029;
}

/*
 * Append len bytes of s to b as display text (see the header), at most
 * CATALOG_PAGE_TEXT_MAX columns; returns the width appended.
 */
int
cp_add_display(struct buf *b, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    int w = 0;
    char tmp[4];
    while (p < end) {
        const unsigned char *start = p;
        unsigned cp;
        if (*p == 0) {
            cp = 0; /* an embedded NUL; shown as ^@ */
            p++;
        } else if (end - p < 4 && *p >= 0x80) {
            /* Decode from a copy so a sequence cut by the end is not read past it. */
            unsigned char t[5] = {0};
            memcpy(t, p, (size_t)(end - p));
            const unsigned char *tp = t;
            cp = utf8_next(&tp);
            p += tp - t;
        } else {
            cp = utf8_next(&p);
        }
        int cw = 2;
        const char *esc = cp == '\n' ? "\\n" : cp == '\t' ? "\\t" : cp == '\r' ? "\\r" : NULL;
        if (!esc && (cp < 0x20 || cp == 0x7F)) {
            snprintf(tmp, sizeof tmp, "^%c", cp == 0x7F ? '?' : (char)(cp + '@'));
            esc = tmp;
        } else if (!esc && (cp == 0xFFFD || cp_hidden(cp))) {
            esc = "\xEF\xBF\xBD";
            cw = 1;
        } else if (!esc) {
            cw = utf8_cp_width(cp);
        }
        /* Cut where the rest no longer fits, leaving a column for the '…'. */
        if (w + cw > CATALOG_PAGE_TEXT_MAX || (w + cw == CATALOG_PAGE_TEXT_MAX && p < end)) {
            buf_adds(b, "\xE2\x80\xA6");
            return w + 1;
        }
        if (esc)
            buf_adds(b, esc);
        else
            buf_add(b, start, (size_t)(p - start));
        w += cw;
    }
    return w;
}

/* ---- rows --------------------------------------------------------------- */

void
catalog_page_rows_init(struct catalog_page_rows *rows)
{
    memset(rows, 0, sizeof *rows);
    buf_init(&rows->store);
}

/* Drop the rows, keep the memory. */
void
cp_rows_reset(struct catalog_page_rows *rows)
{
    if (rows->keys)
        for (int i = 0; i < rows->n_rows; i++)
            sqlite3_value_free(rows->keys[i]);
    rows->n_rows = 0;
    buf_reset(&rows->store);
}

void
catalog_page_rows_release(struct catalog_page_rows *rows)
{
    cp_rows_reset(rows);
    free(rows->cells);
    free(rows->rowids);
    free(rows->keys);
    free(rows->offs);
    buf_release(&rows->store);
    catalog_page_rows_init(rows);
}

/* Make room for one more row of n_cols cells and return its index. */
int
cp_rows_grow(struct catalog_page_rows *rows, int n_cols)
{
    if (rows->n_cols != n_cols) {
        assert(rows->n_rows == 0);
        free(rows->cells);
        free(rows->offs);
        rows->cells = NULL;
        rows->offs = NULL;
        rows->cap = 0;
        rows->n_cols = n_cols;
    }
    if (rows->n_rows == rows->cap) {
        int cap = rows->cap ? rows->cap * 2 : 16;
        size_t cells = (size_t)cap * (size_t)n_cols;
        rows->cells = xrealloc(rows->cells, cells * sizeof *rows->cells);
        rows->offs = xrealloc(rows->offs, cells * sizeof *rows->offs);
        rows->rowids = xrealloc(rows->rowids, (size_t)cap * sizeof *rows->rowids);
        rows->keys = xrealloc(rows->keys, (size_t)cap * sizeof *rows->keys);
        rows->cap = cap;
    }
    return rows->n_rows++;
}

/* Append row r of src to rows. */
void
cp_rows_copy(struct catalog_page_rows *rows, const struct catalog_page_rows *src, int r)
{
    int i = cp_rows_grow(rows, src->n_cols);
    size_t nc = (size_t)src->n_cols;
    rows->rowids[i] = src->rowids[r];
    rows->keys[i] = src->keys[r] ? sqlite3_value_dup(src->keys[r]) : NULL;
    for (size_t c = 0; c < nc; c++) {
        rows->cells[(size_t)i * nc + c] = src->cells[(size_t)r * nc + c];
        rows->offs[(size_t)i * nc + c] = rows->store.len;
        const char *text = src->cells[(size_t)r * nc + c].text;
        buf_add(&rows->store, text, strlen(text) + 1); /* with its NUL, the separator */
    }
}

void
cp_rows_add(struct catalog_page_rows *rows, sqlite3_stmt *st, int base, int n_cols, int key_col)
{
    int r = cp_rows_grow(rows, n_cols);
    rows->rowids[r] = base ? sqlite3_column_int64(st, 0) : 0;
    rows->keys[r] = key_col >= 0 ? sqlite3_value_dup(sqlite3_column_value(st, base + key_col))
                                 : NULL;
    for (int c = 0; c < n_cols; c++) {
        struct catalog_page_cell *cell = &rows->cells[(size_t)r * (size_t)n_cols + (size_t)c];
        struct buf *b = &rows->store;
        size_t off = b->len;
        int w = 0;
        switch (sqlite3_column_type(st, base + c)) {
        case SQLITE_INTEGER:
            cell->type = CATALOG_PAGE_INTEGER;
            buf_addf(b, "%lld", (long long)sqlite3_column_int64(st, base + c));
            break;
        case SQLITE_FLOAT:
            cell->type = CATALOG_PAGE_REAL;
            buf_add_real(b, sqlite3_column_double(st, base + c));
            break;
        case SQLITE_TEXT: {
            cell->type = CATALOG_PAGE_TEXT;
            const char *s = (const char *)sqlite3_column_text(st, base + c);
            w = cp_add_display(b, s ? s : "", (size_t)sqlite3_column_bytes(st, base + c));
            break;
        }
        case SQLITE_BLOB: {
            cell->type = CATALOG_PAGE_BLOB;
            const unsigned char *p = sqlite3_column_blob(st, base + c);
            int n = sqlite3_column_bytes(st, base + c);
            buf_adds(b, "x'");
            for (int i = 0; i < n && i < 16; i++)
                buf_addf(b, "%02X", p[i]);
            buf_adds(b, n > 16 ? "\xE2\x80\xA6'" : "'");
            break;
        }
        default:
            cell->type = CATALOG_PAGE_NULL;
            buf_adds(b, "NULL");
            break;
        }
        if (cell->type != CATALOG_PAGE_TEXT)
            w = utf8_width(b->data + off); /* ASCII, or '…' in a blob */
        cell->width = w;
        rows->offs[(size_t)r * (size_t)n_cols + (size_t)c] = off;
        buf_addc(b, '\0');
    }
}

/* Point the cells' text into the store, once the store has stopped growing. */
void
cp_rows_fix(struct catalog_page_rows *rows)
{
    size_t n = (size_t)rows->n_rows * (size_t)rows->n_cols;
    for (size_t i = 0; i < n; i++)
        rows->cells[i].text = rows->store.data + rows->offs[i];
}

