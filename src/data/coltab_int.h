/*
 * coltab_int.h: the storage of a column table, shared by coltab.c (the
 * SQLite module) and coltab_store.c (cells, rows, copy-on-write
 * snapshots). Not for use outside those two files.
 */
#ifndef QUARRY_COLTAB_INT_H
#define QUARRY_COLTAB_INT_H

#include <sqlite3.h>
#include <stdint.h>
#include <string.h>

#include "base/buf.h"
#include "data/coltab.h"

/* A cell as read (cs_get): a view. Text and blobs point into the column's
 * arena, valid until the column next changes. */
struct cell {
    unsigned char ty; /* SQLITE_INTEGER .. SQLITE_NULL */
    int n;            /* bytes of text or blob */
    union {
        sqlite3_int64 i;
        double r;
        const char *p; /* NUL-terminated */
    } v;
};

/* A cell's 8 bytes: the integer, the double, or where its text or blob starts in the arena. */
union cval {
    sqlite3_int64 i;
    double r;
    sqlite3_int64 off;
};

/*
 * One column, the frame layout: a storage-class byte a cell (SQLITE_NULL
 * is the missing-value mask) and 8 bytes a cell, so a column holding only
 * REAL cells and NULLs is a bare double array (v[i].r), one holding only
 * INTEGER cells an int64 array. Mixed classes need nothing more: each
 * cell's byte says how to read its 8 bytes, so a column keeps exactly what
 * an ordinary table would hold. Text and blobs are appended to the
 * column's arena (a 4-byte length, the bytes, a NUL), no malloc each;
 * a rewritten cell's old bytes stay until the column is emptied.
 */
struct column {
    unsigned char *ty; /* [cap] */
    union cval *v;     /* [cap] */
    char *arena;
    size_t alen, acap;
    size_t stale; /* arena bytes a write or undo may have left unheld since the last look
                   * (compact): it looks only when this passes half the arena */
};

enum aff { AFF_BLOB, AFF_TEXT, AFF_NUMERIC, AFF_INTEGER, AFF_REAL };

struct snap {
    int level;
    int col; /* -1: the row index */
    long long n;
    unsigned char *ty; /* a column's cells: its classes and 8-byte values (the arena is */
    union cval *v;     /* appended to only, so the offsets stay good) */
    long long *slot;   /* NULL: the whole column (n cells); else n cells at these slots */
    sqlite3_int64 *rid;
    unsigned char *live;
};

/* One table's storage; it outlives its vtab objects (SQLite disconnects and
 * reconnects a table on RENAME and schema reloads), kept by name in the
 * module's registry until the table is dropped. */
struct store {
    char *name;
    char *decl;   /* the column list as declared: a reconnect finds its store by name and decl */
    struct store *next;
    int refs;     /* vtab objects using it (SQLite may hold an old one until the transaction ends) */
    int dropped;  /* DROP TABLE: kept for a rollback of the DROP, until the connection closes */
    int discard;  /* coltab_discard: a DROP empties it, as nothing can bring it back */
    int born, died; /* the catalog's undo level its CREATE and its DROP ran at (-1: before),
                     * so that undo past them undoes them (coltab_savepoint) */
    int orphan;   /* its CREATE was undone: never connected again */
    int ncol;
    enum aff *aff;
    struct column *col;   /* [ncol], each [cap] cells */
    /*
     * NULL, or one allocation holding every column's ty and v (cs_grow_exact:
     * a put making the table); a column's arrays inside it are not freed or
     * grown by themselves (cs_cells_free), and a growth moves them all out
     */
    char *block;
    size_t block_size;
    sqlite3_int64 *rid;   /* [cap], ascending over 0..n-1 */
    unsigned char *live;  /* [cap] */
    long long n, cap;     /* slots used (live or not), allocated */
    int level;            /* savepoint level + 1; 0 = the transaction's base */
    struct snap *snaps;
    int nsnap, capsnap;
    unsigned long long gen;  /* moves on at every write (cs_touch, undo): stale indexes */
    struct cs_index **idx;   /* [ncol] hash indexes built on demand (coltab_index.c), or NULL */
};

/*
 * `column col = v`: the slots of live rows that can match, ascending, in
 * *out (malloc'd; *n of them), from the column's hash index, built or
 * rebuilt here when stale (coltab_index.c says what "can match" takes in).
 * binary: the comparison's collation is BINARY. *n -1 (and *out NULL)
 * when the index cannot answer (a blob, text under another collation):
 * scan. SQLITE_OK or SQLITE_NOMEM.
 */
int cs_index_lookup(struct store *t, int col, sqlite3_value *v, int binary, long long **out,
                    long long *n);

/*
 * Rows `column col = v` is expected to give, for the planner: counted
 * when v is known (not NULL), else the rows per distinct value (and the
 * text cells every number gets). -1 when the index cannot say (a blob,
 * text under another collation, no memory).
 */
long long cs_index_estimate(struct store *t, int col, sqlite3_value *v, int binary);

/*
 * A full scan's comparisons of a numeric column with a number (coltab_range.c):
 * cs_range_plan gives the usable ones in ix argv indexes 1.. and describes
 * them in ix->idxStr (freed by SQLite), returning how many (0: none, idxStr
 * left NULL); cs_range_slots, from that idxStr and xFilter's argv, gives the
 * slots of the live rows that could satisfy them all, ascending, in *slots
 * (malloc'd) and their number in *n. SQLite still tests each comparison.
 */
int cs_range_plan(const struct store *t, sqlite3_index_info *ix);
int cs_range_slots(const struct store *t, const char *idxstr, sqlite3_value **argv,
                   long long **slots, long long *n);

/* Free every index of t. */
void cs_index_free(struct store *t);

/* A rename (xRename) inside a transaction, undone with the catalog's level it ran at. */
struct cs_rename {
    struct store *t;
    int level; /* the catalog's undo level (registry depth) when it ran */
    char *old; /* the name before */
};

/* The module's stores, by name (coltab.c). */
struct registry {
    struct store *head;
    int depth; /* the catalog's undo level (coltab_savepoint): inside its savepoint q<depth> */
    sqlite3 *db;
    struct cs_rename *ren; /* renames not yet committed, oldest first */
    int nren, capren;
};

/* --- coltab_undo.c: the registry's part in undo -------------------------------- */

/*
 * xRename: t takes name; inside a transaction the old name is kept, so
 * that undo of the catalog's level gives it back (cs_levels). SQLITE_NOMEM
 * or OK.
 */
int cs_rename(struct registry *reg, struct store *t, const char *name);

/*
 * The catalog's SAVEPOINT (op 0), RELEASE (1) or ROLLBACK TO (2) of q<level>
 * (coltab_savepoint): CREATEs, DROPs and renames run inside a level rolled
 * back are undone, and once the transaction is committed the dropped
 * stores nothing can bring back are freed.
 */
void cs_levels(struct registry *reg, int op, int level);

/* SQLite's COMMIT (committed 1) or ROLLBACK (0) of the whole transaction. */
void cs_transaction_end(struct registry *reg, int committed);

/*
 * Free the stores nothing can bring back and no vtab uses: orphans (their
 * CREATE undone) and, when committed, dropped ones (their DROP committed).
 */
void cs_sweep(struct registry *reg, int committed);

/* Bytes held by dropped stores (kept for an undo of their DROP): the undo bound counts them. */
long long cs_dropped_bytes(const struct registry *reg);

/* The SQL function quarry_columns_sp (coltab_savepoint, coltab_dropped_bytes); its user data
 * is the registry. */
void cs_savepoint_func(sqlite3_context *sc, int argc, sqlite3_value **argv);

/* Free the registry's rename records (the stores are the caller's). */
void cs_renames_free(struct registry *reg);

/* The store named name declared as decl (NULL: any): a live one, else (live=0) the latest
 * dropped one. */
struct store *cs_lookup(struct registry *reg, const char *name, const char *decl, int live);

/* The name of the hidden column through which coltab_put reaches a table. */
#define CS_PUT_COLUMN "quarry_put"
/* The pointer type of coltab_put's request (sqlite3_bind_pointer). */
#define CS_PUT_TYPE "quarry_coltab_put"

/* coltab_put's request, handed to xUpdate as a pointer value. */
struct cs_put {
    const struct coltab_col *cols;
    int n_cols;
    const sqlite3_int64 *rowid;
    long long n_rows;
    int discard;  /* coltab_discard's request: mark the table, write nothing */
    const struct coltab_rows *rows; /* coltab_append's request: rows to append */
    sqlite3 *db;                    /* coltab_append: for a value only SQL converts */
    int taken;    /* out: 1 written, 0 not taken (nothing changed) */
};

/* Carry out a put on t (coltab_put.c); SQLite's result code. */
int cs_put(struct registry *reg, struct store *t, struct cs_put *p);

/* The column affinity SQLite gives a declared type (datatype3.html 3.1). */
enum aff cs_affinity(const char *decl);

/* Cell i of column col, as read. */
static inline struct cell
cs_get(const struct store *t, int col, long long i)
{
    const struct column *c = &t->col[col];
    struct cell x = {.ty = c->ty[i]};
    if (x.ty == SQLITE_TEXT || x.ty == SQLITE_BLOB) {
        unsigned int n;
        memcpy(&n, c->arena + c->v[i].off, sizeof(n));
        x.n = (int)n;
        x.v.p = c->arena + c->v[i].off + sizeof(n);
    } else {
        x.v.i = c->v[i].i;
    }
    return x;
}

/* Cell i of column col becomes x (text and blobs copied into the arena). SQLITE_NOMEM or OK. */
int cs_set(struct store *t, int col, long long i, const struct cell *x);

/*
 * Cells slot[i] (slot NULL: i) of column col, i < n, become levels[code[i]]
 * (code -1: NULL), each level's text appended to the arena once and shared
 * by its cells; code[i] < n_levels. The caller made the undo copy
 * (cs_touch). SQLITE_NOMEM (nothing changed) or OK.
 */
int cs_set_codes(struct store *t, int col, const int32_t *code, const char *const *levels,
                 int n_levels, const long long *slot, long long n);

/* Value v with affinity a applied, as an ordinary table stores it, into *x (a view of v's
 * text; v may be converted in place, as sqlite3_value_numeric_type does). */
void cs_value_cell(struct cell *x, sqlite3_value *v, enum aff a);

/* Cell i of column col becomes v with the column's affinity applied. SQLITE_NOMEM or OK. */
int cs_cell_set(struct store *t, int col, long long i, sqlite3_value *v);

/* Before column col (-1: the row index) changes at the current level: copy it once. */
int cs_touch(struct store *t, int col);

/* Before cells slot[0..n) of column col change at the current level: copy those cells'
 * old values, unless the whole column was copied at this level. */
int cs_touch_cells(struct store *t, int col, const long long *slot, long long n);

/* Undo every write made at levels >= level; those levels' copies go. */
void cs_rollback_to(struct store *t, int level);

/* Levels >= level merge into level - 1 (0: every copy goes, a commit). */
void cs_release_to(struct store *t, int level);

/* A new empty store named name with the columns declared in argv[3..argc-1];
 * decl gets the CREATE TABLE statement for sqlite3_declare_vtab. NULL: out of memory. */
struct store *cs_store_new(const char *name, int argc, const char *const *argv, struct buf *decl);

/* Empty the store: its cells, row index and copies go (no undo of this); it keeps its columns. */
void cs_store_empty(struct store *t);

/* Free the store: its columns, row index, copies and name. */
void cs_store_free(struct store *t);

/* Slot of rowid r (live or deleted), or -1. */
long long cs_find(const struct store *t, sqlite3_int64 r);

/* Room for need slots. SQLITE_NOMEM or OK. */
int cs_grow(struct store *t, long long need);

/*
 * cs_grow for a store with no slots yet that gets exactly need rows (a
 * put making the table): every column's cells in one allocation
 * (t->block), so that a wide table's columns share pages instead of each
 * starting its own. Not advised into huge pages: their compaction stalls
 * cost more than the faults they save (coltab_store.c).
 */
int cs_grow_exact(struct store *t, long long need);

/* Free a column's ty or v array p of t, unless it lies in t->block. */
void cs_cells_free(const struct store *t, void *p);

/* A live row with rowid r at its place in rowid order; its slot in *at.
 * SQLITE_CONSTRAINT when a live row has rowid r. */
int cs_insert_row(struct store *t, sqlite3_int64 r, long long *at);

/* The pointer type of coltab_view's request (sqlite3_bind_pointer, coltab_read.c). */
#define CS_VIEW_TYPE "quarry_coltab_view"

/*
 * xFilter of `quarry_put = ?1` (coltab.c): when arg is coltab_view's
 * request, hand t's storage to its callback (coltab_read.c); else nothing.
 */
void cs_view(const struct store *t, sqlite3_value *arg);

#endif
