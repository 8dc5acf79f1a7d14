/*
 * frame.h: the data path between catalog tables and algorithms.
 *
 * Algorithms never touch SQL: they take a struct frame, dense column
 * arrays read from a table, and hand back arrays that this module writes
 * into the catalog. It is the only module that moves data between tables
 * and frames (docs/DESIGN.md, "The data path").
 *
 * A frame holds n_rows rows of n_cols columns. Numeric columns (declared
 * INTEGER or REAL, or asked for as numbers) sit in one column-major block
 * `x` of n_cols * ld doubles, 64-byte aligned, ld = n_rows rounded up to a
 * multiple of 8, so column j is x + j * ld and the block is a CBLAS
 * column-major matrix with leading dimension ld. A missing value (NULL,
 * or text that is not a number in a numeric column) is NaN in x and 1 in
 * the column's mask; mask[j] is NULL when column j has no missing value.
 * Text columns are dictionary codes: code[j][row] indexes levels[j], -1
 * for NULL; x holds the code as a double too, so every column has a slot.
 *
 * Frames are cached per (table, columns) and reused until their table is
 * written: the catalog notices every write to a table, by any statement
 * (catalog_written_at), and a frame read before it is read again; no
 * caller has to tell the cache. frame_write keeps the cached frames of
 * the table it changes in place current (their numeric columns take the
 * written values; the caller's frame too), so the next command reads
 * them from memory.
 */
#ifndef QUARRY_FRAME_H
#define QUARRY_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "data/catalog.h"
#include "base/qerr.h"

enum frame_kind {
    FRAME_NUM,  /* doubles in x */
    FRAME_TEXT, /* codes into levels; x holds the code */
};

struct frame {
    long long n_rows;
    long long ld;          /* leading dimension: n_rows rounded up to 8 */
    int n_cols;
    char **names;          /* column names as in the table */
    enum frame_kind *kind;
    enum catalog_kind *decl; /* declared kind of each source column */
    double *x;             /* n_cols * ld, column-major, 64-byte aligned */
    unsigned char **mask;  /* per column: NULL, or n_rows bytes, 1 = missing */
    long long *n_missing;  /* per column */
    long long *n_nonnum;   /* per numeric column: text values read as missing */
    int32_t **code;        /* per text column: n_rows codes, -1 = NULL; NULL for numeric */
    char ***levels;        /* per text column: the distinct values, in first-seen order */
    int *n_levels;
    /*
     * per text column: NULL when each level is its own allocation, else
     * the chain of blocks that frame_read packed its levels into (freed
     * whole with the frame; frame.c).
     */
    void **level_blocks;
    /*
     * bytes of the allocation x starts, when a loader's frame keeps its
     * codes and masks there too, past the values (frame_from_columns): a
     * code or mask array inside it is freed with x; else 0
     */
    size_t x_size;
    sqlite3_int64 *rowid;  /* the source row of each frame row, ascending */
    int refs;              /* owned by the cache and its borrowers */
};

/* frame_read flags */
enum {
    FRAME_ALL_NUMERIC = 1 << 0, /* every column as numbers (text counts as missing) */
    FRAME_NO_CACHE = 1 << 1,
    /*
     * Every column not declared INTEGER or REAL as a timestamp: ISO 8601
     * text (datetime_parse in datetime.h) becomes seconds since
     * 1970-01-01 in x, a numeric column; numbers and other text are
     * missing and counted in n_nonnum. INTEGER and REAL columns read as
     * usual. Parsing each row as it is read costs far less than a
     * dictionary of distinct timestamps (bench/RESULTS.md, rfm).
     */
    FRAME_TIMES = 1 << 2,
    /*
     * Read through SQL even from a column table, whose arrays frame_read
     * otherwise takes directly (the same frame: the tests compare the two).
     */
    FRAME_SQL = 1 << 3,
};

/* Column j of the numeric block. */
static inline double *
frame_col(const struct frame *f, int j)
{
    return f->x + (long long)j * f->ld;
}

/* 1 if cell (row, j) is missing. */
static inline int
frame_missing(const struct frame *f, int j, long long row)
{
    return f->mask[j] && f->mask[j][row];
}

/*
 * Read columns of every row of table into a frame (all columns when
 * n_cols == 0), in rowid order: through SQL, or from a column table's
 * arrays directly (coltab.h; the same frame, FRAME_SQL aside). Each
 * column is numeric if declared INTEGER or REAL, or with FRAME_ALL_NUMERIC;
 * text otherwise. Progress is reported through progress(pctx, fraction);
 * a nonzero return cancels (QE_INTERRUPT). The frame is borrowed and
 * read-only (the cache, and other commands, share it; frame_write compares
 * results with it): write results to arrays of your own, and give the
 * frame back with frame_release. Fails with QE_NOMEM, saying the size,
 * when the columns do not fit in memory.
 */
int frame_read(struct catalog *cat, const char *table, const char *const *cols, int n_cols,
               int flags, int (*progress)(void *, double), void *pctx, struct frame **out,
               struct qerr *err);
void frame_release(struct frame *f);
/* Forget every cached frame. */
void frame_cache_clear(struct catalog *cat);
/*
 * At most this many bytes of cached frames (0: a quarter of the machine's
 * memory, at least 256 MiB); the least recently used go first. A frame a
 * command still holds stays alive until it lets go.
 */
void frame_cache_limit(struct catalog *cat, size_t bytes);
/*
 * Put columns the caller holds into the cache as a frame of table (rows in
 * rowid order 1..n_rows, as a fresh load makes them): n_cols entries of
 * cols, NULL ones skipped; NaN is missing. For the loader, so the first
 * command after load reads nothing. The columns sit in one column-major
 * block from frame_block_alloc (the k-th non-NULL column at block + k *
 * ld, ld a multiple of 8 and at least n_rows), which the cache takes:
 * nothing is copied (unless ld leaves much room to spare) and the caller
 * must not free it. With block NULL the arrays are copied instead.
 */
void frame_cache_adopt(struct catalog *cat, const char *table, int n_cols,
                       char *const *names, const enum catalog_kind *decl,
                       double *const *cols, long long n_rows, double *block, long long ld);
/* Memory for such a block: 64-byte aligned, freed with free(); NULL when out of memory. */
double *frame_block_alloc(long long ld, int n_cols);
/*
 * Memory for a loader's frame (frame_from_columns) of n_cols columns,
 * n_text of them text, ld rows each (a multiple of 8): the values, then
 * the text columns' codes (frame_block_codes), then room for every
 * column's missing mask, in one 64-byte aligned allocation (in huge pages
 * when large: a page fault a column costs more than the loader's parse).
 * Freed with free(); NULL when out of memory.
 */
double *frame_block_alloc_text(long long ld, int n_cols, int n_text);
/* The codes of the k-th text column (k < n_text) in such a block. */
int32_t *frame_block_codes(double *block, long long ld, int n_cols, int k);
/*
 * A frame of every column a loader kept, as frame_read reads them (rows
 * 1..n_rows in rowid order): column j at block + j * ld (block from
 * frame_block_alloc_text(ld, n_cols, the text columns), taken over, also
 * on failure), numbers, NaN missing; a text column's slot there is filled
 * here from its codes. codes[j] is NULL for a numeric column, else its
 * n_rows codes (-1 missing) into levels[j], n_levels[j] strings in
 * first-seen order: the k-th text column's codes are frame_block_codes(k).
 * The level arrays and strings are taken too. names are copied; decl is
 * left for frame_cache_adopt_frame. NULL when out of memory.
 */
struct frame *frame_from_columns(long long n_rows, int n_cols, char *const *names,
                                 double *block, long long ld, int32_t **codes,
                                 char ***levels, const int *n_levels);
/*
 * Put f (from frame_from_columns, taken) into the cache as the read of
 * every column of table, when its columns are the table's in its order,
 * numeric exactly where the table declares INTEGER or REAL; else it is
 * dropped. So the first command after an ARFF load reads nothing.
 */
void frame_cache_adopt_frame(struct catalog *cat, const char *table, struct frame *f);

/*
 * Seconds spent reading tables into frames and writing results back since
 * the last reset: the data path's share of a statement's time.
 */
void frame_io_times(struct catalog *cat, double *read_s, double *write_s, int reset);

/* A column of values to write back. */
struct frame_out {
    const char *name;        /* column name in the result */
    enum catalog_kind decl;  /* the declared type of the written column */
    const double *num;       /* n_rows numbers (when text is NULL); NaN writes NULL */
    const char *const *text; /* or n_rows strings, NULL writes NULL */
};

/*
 * Write a table built from source table `src` and the frame's rows:
 * every column of src in order, except that a column named like an entry
 * of outs takes that entry's values; outs not in src are appended. Only
 * rows whose keep[row] is nonzero are written (keep NULL = all rows).
 * With dest == NULL or equal to src the table changes in place: one
 * UPDATE of the rows that change (and DELETE for dropped rows) when no
 * declared type changes, else a rebuild, its indexes and triggers
 * re-created; otherwise dest is a new
 * table, made by one INSERT ... SELECT over a virtual table on the arrays.
 * Never an UPDATE per row. progress(pctx, fraction) is called by the
 * clock as rows are written (tick.h; NULL: never); a nonzero return fails
 * the write with QE_INTERRUPT, the statement undone by SQLite (and the
 * rest by the caller's savepoint).
 */
struct frame_write {
    const char *src;
    const char *dest;
    const struct frame *f;   /* the rowids the values belong to */
    const struct frame_out *outs;
    int n_outs;
    const unsigned char *keep;
    int (*progress)(void *pctx, double fraction);
    void *pctx;
    double **const *give;    /* NULL, or [n_outs]: NULL or &the caller's malloc'd pointer to
                              * outs[i].num; an in-place write into a column table may keep
                              * that array as the table's storage (coltab.h, struct
                              * coltab_col) and set the caller's pointer NULL */
};
int frame_write(struct catalog *cat, const struct frame_write *w, struct qerr *err);

/*
 * Create table `name` from columns of arrays (n_rows each), replacing
 * nothing: QE_ARG if the table exists. progress as for frame_write.
 */
int frame_write_new(struct catalog *cat, const char *name, const struct frame_out *outs,
                    int n_outs, long long n_rows, int (*progress)(void *, double), void *pctx,
                    struct qerr *err);
/*
 * The same, for a result that a re-run replaces: a table named `name`
 * is dropped first if there is one. QE_SQL when SQLite refuses.
 */
int frame_write_replace(struct catalog *cat, const char *name, const struct frame_out *outs,
                        int n_outs, long long n_rows, int (*progress)(void *, double),
                        void *pctx, struct qerr *err);

/*
 * frame_write_new (replace: frame_write_replace) as a column table
 * (coltab.h, docs/COLUMNS.md), its arrays put from outs with no row
 * passing through SQL; SQL sees the same columns, declared types, values
 * and rowids (1..n_rows). 0 when written; 1 when not taken (more columns
 * than a column table holds, a column named as the row id, a value only
 * SQL converts): then no table of that name is left and the caller writes
 * rows with frame_write_new; -1 with err set (QE_ARG if the table exists
 * and replace is 0).
 */
int frame_write_columns(struct catalog *cat, const char *name, const struct frame_out *outs,
                        int n_outs, long long n_rows, int replace, struct qerr *err);

/* The declared type a column of kind k is written with ("INTEGER", "DATE_TEXT", ...). */
const char *frame_decl_name(enum catalog_kind k);

#endif
