/*
 * load_int.h: the internals the files of the loader share, not for other
 * callers. load.c maps the file and hands it to a format: load_csv.c
 * (CSV and TSV, with load_pipe.c's second thread) or load_arff.c. They
 * all use load_ctx.c (names, the table, progress, bad records); the CSV
 * pass and its thread use load_cells.c (a record's values); rows go in
 * through load_rows.c. Calls go one way only, in that order.
 */
#ifndef QUARRY_LOAD_INT_H
#define QUARRY_LOAD_INT_H

#include "data/arff.h"
#include "data/csv.h"
#include "data/load.h"

/*
 * A value of a row, ready for sqlite3_result_*: CELL_TEXT points into the
 * file; CELL_COPY is an unescaped copy at offset i of a text buffer (the
 * row's: load_ctx.copy_base).
 */
enum { CELL_NULL, CELL_INT, CELL_REAL, CELL_TEXT, CELL_COPY };
struct load_cell {
    int type; /* CELL_* */
    size_t len;
    union {
        long long i; /* CELL_INT; CELL_COPY: the offset */
        double d;
        const char *s;
    };
};

struct load_pipe;

/* One load in progress. */
struct load_ctx {
    sqlite3 *db;
    const struct load_opts *o;
    struct load_result *r;
    struct qerr *err;
    const char *path;
    const char *data;     /* the content after any byte order mark; data[size] == '\0' */
    size_t size;
    const char *mapped;   /* the start of the file's mapping, or NULL if it was read */
    const char *released; /* the mapped pages before this are released */
    const char *tick;     /* the next progress call is due when reading passes this */
    int n_cols;
    enum csv_kind *kinds; /* declared kinds */
    char **names;         /* column names */
    long long n_rows;     /* rows expected (a hint for SQLite) */
    long long n_inserted; /* rows handed to SQLite */
    struct buf tmp;
    /* CSV, load_csv.c */
    char delim;
    struct csv_reader rd;
    struct csv_field *hdr;   /* the first good record: the header or the first row */
    enum csv_kind *hdr_kind;
    int cand;                /* hdr may be a header (header=auto) */
    int has_header;
    const char *first;       /* where hdr starts */
    long long first_line;
    const char *body;        /* where the record after hdr starts */
    long long body_line;
    enum csv_kind *exact;    /* kinds of the rows after hdr, seen so far */
    int typed;               /* some body column is a number, date or timestamp */
    int again;               /* a value of hdr reappears in its column */
    int watch_again;         /* the header decision hangs on again: check every row */
    int mismatch;            /* a value did not fit its declared kind */
    struct load_cell *cells; /* the values the single-thread pass converts into */
    const struct load_cell *row; /* the current row's values (cells or a batch's) */
    const char *copy_base;   /* what CELL_COPY offsets of row count from */
    struct load_pipe *pipe;  /* the parsing thread of this pass, or NULL (load_pipe.c) */
    long long skip_mark;     /* r->n_skipped and r->skipped.len before the body */
    size_t skip_len;
    /* numeric columns kept for the frame cache (o->capture_bytes), load_csv.c */
    double **cap;            /* per column, NULL unless INTEGER or REAL; cap NULL: none */
    long long cap_rows;      /* room per column */
    double *cap_block;       /* the kept columns' block (frame_block_alloc) */
    long long cap_ld;        /* its leading dimension (= cap_rows) */
    /* ARFF, load.c */
    struct arff_header ah;
    struct arff_reader ar;
};

/* Bytes of input between progress calls: a few ms of work. */
#define LOAD_TICK (4 << 20)

/* ---- load_ctx.c: what every format's load does ---------------------------- */

/*
 * Let the kernel drop the mapped file's pages before p, read already, so
 * that memory holds the catalog rather than the catalog plus the file.
 */
void load_release_behind(struct load_ctx *c, const char *p);
/* Call the progress callback; QE_INTERRUPT when it cancels. */
int load_progress(struct load_ctx *c, double fraction);
/* A pass over the file starts: progress and page releases start over. */
void load_pass_start(struct load_ctx *c);
/*
 * When reading has passed c->tick (now at p), release what was read and
 * call the progress callback with from + span * (how far p is in the
 * file); then set the next tick. -1 when cancelled.
 */
int load_tick(struct load_ctx *c, const char *p, double from, double span);
/*
 * A bad record at line: an error naming the file and line, saying what
 * is wrong (fmt) and what to do (fix); or, with skip_bad, one more
 * skipped record, listed if among the first few. -1 for an error.
 */
int load_bad(struct load_ctx *c, long long line, const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* QE_DATA if a table cannot hold n columns. */
int load_check_columns(struct load_ctx *c, int n);
/* Unique column names from n raw names (see the header rules above); raw may be NULL. */
char **load_names_make(char **raw, int n);
void load_names_free(char **names, int n);
/* CREATE TABLE table with c->names and c->kinds. */
int load_create_table(struct load_ctx *c, const char *table);
/* QE_SQL "what: sqlite's message". */
int load_sql_error(sqlite3 *db, struct qerr *err, const char *what);

/* ---- the formats ----------------------------------------------------------- */

/* The CSV/TSV load into table (load_csv.c): c->data, c->size and c->delim are set. */
int load_csv(struct load_ctx *c, const char *table);
/* The ARFF load into table (load_arff.c): c->data and c->size are set. */
int load_arff(struct load_ctx *c, const char *table);

/* ---- load_cells.c: a CSV record's values, and the numeric ones kept -------- */

/*
 * Convert a record's fields into cells by the declared kinds c->kinds,
 * widening exact when track is set; CELL_COPY text is appended to text.
 * 1 when a value does not fit its column's declared kind. Reads only
 * what stays fixed during a pass, so the parsing thread may call it.
 */
int load_csv_cells(const struct load_ctx *c, const struct csv_field *f, struct load_cell *cells,
                   enum csv_kind *exact, struct buf *text, int track);
/* Set *again if a field of f repeats the first record's (header=auto); as load_csv_cells. */
void load_check_again(const struct load_ctx *c, const struct csv_field *f, int *again);
/*
 * Start keeping the numeric columns of an insert pass (o->capture_bytes)
 * in one frame block, sized for about c->n_rows rows; nothing when they
 * would not fit the limit.
 */
void load_capture_start(struct load_ctx *c);
/* Room for row n_inserted - 1 in every kept column; over the limit, stop keeping. */
void load_capture_room(struct load_ctx *c);
/*
 * Count a row in c->n_inserted and keep its numeric values in c->cap, as
 * the insert pass does; for the parsing thread, which keeps them while it
 * runs (load_pipe.c).
 */
void load_capture_row(struct load_ctx *c, const struct load_cell *row);
/* Free what the capture kept and stop keeping. */
void load_capture_drop(struct load_ctx *c);

/*
 * The two-thread insert pass (load_pipe.c). A worker thread reads the
 * records from where c->rd stands and converts them (load_csv_cells) into
 * batches of rows, while the caller's thread, which alone talks to SQLite
 * and to the progress callback, takes them in file order with
 * load_pipe_get. Bad records come through as events in their place, so
 * they are reported in order, with their lines, by the caller's thread.
 *
 * The caller's thread is left with SQLite's work, the larger half: on
 * two cores, loading 1,000,000 rows x 10 numeric columns (68 MB) takes
 * about a fifth less time, 1,000,000 rows with text and dates (64 MB)
 * about a third less. A small file loads in one thread: starting the
 * thread would cost more than it saves. The sample and the passes that
 * only infer types read in one thread too; they are a small part.
 *
 * Pages of the mapping are still released behind the caller's position
 * (load_tick): the worker reads ahead of it, and the text cells pointing
 * into the file belong to rows not inserted yet, so both lie after it.
 */
#define LOAD_PIPE_MIN_BYTES (1 << 20) /* smaller files load in one thread */
#define LOAD_PIPE_CELLS 16384         /* cells per batch (rows x columns) */
enum load_event_what {
    LOAD_EV_ROW,      /* a row: cells, copy_base, rec */
    LOAD_EV_BAD,      /* a record csv_read found bad: bad, line, field, byte */
    LOAD_EV_RAGGED,   /* a record of n_fields fields, not c->n_cols: line */
    LOAD_EV_MISMATCH, /* a value does not fit its declared kind: the record at rec, line */
    LOAD_EV_END,      /* the end of the file */
};
struct load_event {
    enum load_event_what what;
    const struct load_cell *cells;
    const char *copy_base;
    const char *rec;
    long long line;
    enum csv_bad bad;
    int field;
    int n_fields;
    unsigned char byte;
};
/*
 * Start the worker for this pass, reading from c->rd's position, when it
 * pays (see above, and o->batch_rows); c->pipe NULL means this thread
 * reads (also when the thread cannot start).
 */
void load_pipe_start(struct load_ctx *c);
/*
 * The next event, in file order. After LOAD_EV_MISMATCH or LOAD_EV_END
 * call load_pipe_stop before anything else. A row stays valid until the
 * next call.
 */
void load_pipe_get(struct load_pipe *p, struct load_event *ev);
/*
 * Stop and join the worker, free the pipe and set c->pipe NULL; when the
 * worker has read to the end or to a mismatch, copy its exact kinds and
 * its again to c->exact and c->again. Does nothing without a pipe.
 */
void load_pipe_stop(struct load_ctx *c);


#endif
