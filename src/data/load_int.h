/*
 * load_int.h: the internals the files of the loader share, not for other
 * callers. load.c opens the file (load_image.c), has it decompressed or
 * converted to UTF-8 when it must be (load_decode.c) and hands it to a
 * format: load_csv.c (CSV and TSV, with load_pipe.c's second thread),
 * load_arff.c or load_json.c. They all use load_ctx.c (names, the table, progress, bad
 * records); the CSV pass and its thread use load_cells.c (a record's
 * values), and both load_dialect.c (how the file is written: delimiter,
 * markers, decimal comma, header rules, hints); rows go in through
 * load_rows.c; every reader reads the file through load_image.c. Calls go
 * one way only, in that order.
 */
#ifndef QUARRY_LOAD_INT_H
#define QUARRY_LOAD_INT_H

#include <pthread.h>
#include <time.h>

#include "data/arff.h"
#include "data/csv.h"
#include "data/load.h"

/*
 * The file being loaded, as load_image.c describes: its bytes at their
 * offsets from base, read in chunks of LOAD_CHUNK as readers reach them
 * (got), or all in memory (got NULL: a stream, read whole first).
 */
struct load_image {
    char *base;           /* base[size] == '\0' */
    size_t size;
    size_t map_len;       /* the anonymous mapping's length; 0: base is malloc'd */
    int fd;               /* the regular file read on demand, or -1 */
    const char *path;     /* for messages (borrowed) */
    unsigned char *got;   /* per chunk: read (see load_image.c for the threads) */
    size_t n_chunks;
    size_t kept;          /* chunks before this one have been given back (this pass) */
    pthread_mutex_t mu;   /* guards the reads, changes to got, kept, failed and err */
    struct timespec mtime; /* the file's modification time when it was opened */
    int failed;           /* a read failed or the file changed: err says which */
    struct qerr err;
};

#define LOAD_CHUNK ((size_t)256 << 10) /* bytes read at a time: a few dozen microseconds */
#define LOAD_STREAM_MAX ((size_t)1 << 30) /* a stream's bytes held at most, by default */
#define LOAD_PROGRESS_SECONDS 0.05     /* between progress calls: a cancel waits no longer */
#define LOAD_POLL_MS 50                /* a wait for a pipe's data, between cancel checks */

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
struct load_sniff;

/* What an insert pass counts for the summary. */
struct load_counts {
    long long na;     /* missing-value markers made NULL */
    long long padded; /* short records padded with NULLs */
};

/* One load in progress. */
struct load_ctx {
    sqlite3 *db;
    const struct load_opts *o;
    struct load_result *r;
    struct qerr *err;
    const char *path;
    struct load_image img;
    const char *data;     /* the content after any byte order mark; data[size] == '\0' */
    size_t size;
    const char *tick;     /* reading past this, or after tick_rows more rows, see load_tick */
    int tick_rows;
    const char *release_at; /* give chunks back when reading passes this */
    double due;           /* load_clock() time when the progress callback is next due */
    double fraction;      /* what it was last told */
    long long more_calls; /* load_more's calls, for a clock check now and then */
    int n_cols;
    enum csv_kind *kinds; /* declared kinds */
    char **names;         /* column names */
    long long n_rows;     /* rows expected (a hint for SQLite) */
    long long n_inserted; /* rows handed to SQLite */
    struct buf tmp;
    /* CSV, load_csv.c */
    char delim;
    struct csv_reader rd;
    struct csv_field *hdr;   /* the first good record: the header or the first row, */
    char *hdr_text;          /* ... its fields pointing into this copy of it */
    enum csv_kind *hdr_kind;
    int cand;                /* hdr may be a header (header=auto) */
    int has_header;
    const char *first;       /* where hdr starts */
    long long first_line;
    const char *body;        /* where the record after hdr starts */
    long long body_line;
    enum csv_kind *exact;    /* kinds of the rows after hdr, seen so far */
    int again;               /* a value of hdr reappears in its column */
    int watch_again;         /* the header decision hangs on again: check every row */
    int mismatch;            /* a value did not fit its declared kind */
    struct load_cell *cells; /* the values the single-thread pass converts into */
    const struct load_cell *row; /* the current row's values (cells or a batch's) */
    const char *copy_base;   /* what CELL_COPY offsets of row count from */
    struct load_pipe *pipe;  /* the parsing thread of this pass, or NULL (load_pipe.c) */
    long long skip_mark;     /* r->n_skipped and r->skipped.len before the body */
    size_t skip_len;
    int hdr_rule;            /* which rule of load.h decided the header (load_dialect.c) */
    /* the dialect, load_dialect.c */
    const char *start;       /* the first byte after o->skip_lines lines */
    long long start_line;
    int trail;               /* every record ends in an empty field: drop it */
    char decimal;            /* ',' for decimal=',', else 0 */
    int n_markers;           /* missing-value markers, in marker[] and marker_len[] */
    const char **marker;
    size_t *marker_len;
    char *marker_text;       /* what marker[] points into */
    struct load_sniff *sniff; /* the first records' widths per candidate delimiter */
    int n_sniff;
    char *ragged_fix;        /* the hint for a record of the wrong width, once made */
    struct load_counts counts; /* this insert pass's markers and padded rows */
    enum csv_kind *second_kind; /* the sample's first row after hdr: its values' kinds */
    enum csv_kind *rest_kind;   /* ... and the kinds of the sample's rows after it */
    long long second_line;
    /* numeric columns kept for the frame cache (o->capture_bytes), load_csv.c */
    double **cap;            /* per column, NULL unless INTEGER or REAL; cap NULL: none */
    long long cap_rows;      /* room per column */
    double *cap_block;       /* the kept columns' block (frame_block_alloc) */
    long long cap_ld;        /* its leading dimension (= cap_rows) */
    /* ARFF, load.c */
    struct arff_header ah;
    struct arff_reader ar;
};

/*
 * load_tick looks at the clock (and gives read chunks back) every
 * LOAD_TICK bytes or LOAD_TICK_ROWS rows, whichever comes first: rows
 * can be slow as well as long.
 */
#define LOAD_TICK (1 << 20)
#define LOAD_TICK_ROWS 64
#define LOAD_RELEASE (8 << 20) /* chunks read are given back this many bytes at a time */

/* ---- load_image.c: the file's bytes ---------------------------------------- */

/* Seconds on a monotonic clock. */
double load_clock(void);
/*
 * Open path for m (which need not be initialised): a regular file gets
 * an image read in chunks on demand; a pipe, a FIFO or a file of size 0
 * is read whole now, at most max_stream bytes (0: LOAD_STREAM_MAX),
 * calling cancel(cancel_ctx) (may be NULL) every LOAD_PROGRESS_SECONDS
 * while it waits or reads: nonzero cancels. Folders, devices and sockets
 * are refused. Errors: QE_NOTFOUND, QE_IO, QE_DATA (a stream over the
 * bound), QE_NOMEM, QE_INTERRUPT. Call load_image_close even on failure.
 */
int load_image_open(struct load_image *m, const char *path, size_t max_stream,
                    int (*cancel)(void *), void *cancel_ctx, struct qerr *err);
/*
 * Make the n bytes at p (inside the image) hold the file's content,
 * reading the chunks not read yet. 1 when something was read, 0 when all
 * was there, -1 when a read failed or found the file shorter (then m is
 * failed for good: load_image_failed). Safe from two threads.
 */
int load_image_fill(struct load_image *m, const char *p, size_t n);
/* Give back the chunks before the one upto is in (a pass is past them). */
void load_image_release(struct load_image *m, const char *upto);
/* A new pass starts at the beginning: chunks can be given back from the start again. */
void load_image_rewind(struct load_image *m);
/*
 * Has the file changed since it was opened (its size or modification
 * time)? Then m is failed, as for a read that failed, and -1; else 0.
 */
int load_image_check(struct load_image *m);
/* 1 (and err replaced by why) when a read has failed, else 0. */
int load_image_failed(struct load_image *m, struct qerr *err);
void load_image_close(struct load_image *m);
/*
 * Make data (malloc'd, data[size] == '\0'; m takes it) m's content, as a
 * stream's is: the file is closed and its image given back. For
 * load_decode, once it has read the file whole.
 */
void load_image_adopt(struct load_image *m, char *data, size_t size);

/* ---- load_decode.c: compressed files and other encodings ------------------- */

/*
 * Make m hold the UTF-8 text a format parses: when m's bytes start with
 * gzip's magic (1f 8b), they are decompressed (concatenated members
 * too); then, when enc is not LOAD_ENC_UTF8 or the bytes start with a
 * UTF-16 byte order mark (which wins over enc), converted to UTF-8 from
 * enc (load.h). Either way the result is all in memory afterwards
 * (load_image_adopt), at most max bytes (0: LOAD_STREAM_MAX), and m is
 * left alone when there was nothing to do. cancel is called as
 * load_image_open calls it. A line goes to note when an encoding was
 * found rather than asked for. Errors: QE_DATA (not gzip data, cut
 * short, over the bound, a byte not of the encoding), QE_NOMEM,
 * QE_INTERRUPT, QE_IO (a read failed, the file changed).
 */
int load_decode(struct load_image *m, enum load_encoding enc, size_t max, int (*cancel)(void *),
                void *cancel_ctx, struct buf *note, struct qerr *err);
/*
 * What to do about a byte that is not UTF-8 (the "fix" of load_bad): a
 * sentence naming encoding=latin1 or encoding=cp1252 when the byte is a
 * character there, else "save the file as UTF-8". Static text.
 */
const char *load_decode_utf8_fix(unsigned char byte);

/* ---- load_ctx.c: what every format's load does ---------------------------- */

/* Call the progress callback; QE_INTERRUPT when it cancels. */
int load_progress(struct load_ctx *c, double fraction);
/* The progress callback again, with what it was last told, if it is due by the clock. */
int load_poll(struct load_ctx *c);
/* A pass over the file starts: progress and the giving back of chunks start over. */
void load_pass_start(struct load_ctx *c);
/*
 * Called for each row, reading at p: every LOAD_TICK bytes or
 * LOAD_TICK_ROWS rows, give back the chunks before p (when LOAD_RELEASE
 * more have been read) and, when it is due by the clock, call the
 * progress callback with from + span * (how far p is in the file). -1
 * when cancelled or when the file could not be read.
 */
int load_tick(struct load_ctx *c, const char *p, double from, double span);
/*
 * csv_fill.more for the readers of this thread (ctx is c): read what the
 * reader needs, and look at the clock now and then, so that a cancel
 * reaches even the middle of a record hundreds of MB long.
 */
int load_more(void *ctx, const char *p, size_t n);
/* A reader of this thread's, set to read c's file in pieces. */
void load_reader_init(struct load_ctx *c, struct csv_reader *rd);
/*
 * After a reader has stopped: -1 when the load cannot go on (a cancel, a
 * read that failed; c->err says why), else 0.
 */
int load_stopped(struct load_ctx *c);
/*
 * A bad record at line: an error naming the file and line, saying what
 * is wrong (fmt) and what to do (fix, to which "or load with
 * onerror=skip" is added); or, with skip_bad, one more skipped record,
 * listed if among the first few. -1 for an error.
 */
int load_bad(struct load_ctx *c, long long line, const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* load_bad with a fix that says all there is to do. */
int load_bad_full(struct load_ctx *c, long long line, const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/*
 * Say in the result's summary which columns hold integers too wide for
 * 64 bits (c->kinds CSV_BIGINT), and so were kept as text.
 */
void load_note_wide(struct load_ctx *c);
/* QE_DATA if a table cannot hold n columns. */
int load_check_columns(struct load_ctx *c, int n);
/* Unique column names from n raw names (see the header rules above); raw may be NULL. */
char **load_names_make(char **raw, int n);
void load_names_free(char **names, int n);
/* CREATE TABLE table with c->names and c->kinds. */
int load_create_table(struct load_ctx *c, const char *table);
/* QE_SQL "what: sqlite's message". */
int load_sql_error(sqlite3 *db, struct qerr *err, const char *what);

/* ---- load_dialect.c: how the CSV is written, and the header ---------------- */

/*
 * Settle the dialect before the first record is read (load.h, "Dialect"):
 * skip o->skip_lines lines (c->start), take the markers, sniff the
 * delimiter unless given (c->delim), and see whether every record ends in
 * an empty field (c->trail). QE_ARG for options that cannot go together,
 * QE_DATA when the skipped lines are the whole file.
 */
int load_dialect(struct load_ctx *c);
/* Free what load_dialect made. */
void load_dialect_release(struct load_ctx *c);
/*
 * The kind of a value that csv_classify (col CSV_TEXT, v NULL) or
 * csv_convert (col and v as there) found to be text, after the dialect:
 * read with a decimal comma, or CSV_NULL for a missing-value marker.
 * CSV_TEXT when it is text after all.
 */
enum csv_kind load_text_kind(const struct load_ctx *c, const char *p, size_t len,
                             enum csv_kind col, struct csv_value *v);
/* csv_classify with the dialect's decimal comma and markers. */
static inline enum csv_kind
load_classify(const struct load_ctx *c, const char *p, size_t len)
{
    enum csv_kind k = csv_classify(p, len);
    return k == CSV_TEXT ? load_text_kind(c, p, len, CSV_TEXT, NULL) : k;
}
/*
 * Decide the header from the first record (c->hdr, c->hdr_kind) and the
 * kinds of the rest (body) by the rules of load.h; again: a value of the
 * first record appears again in its column. Sets c->hdr_rule and returns
 * 1 for a header. *needs_again: the answer hangs on again.
 */
int load_header_decide(struct load_ctx *c, const enum csv_kind *body, int again,
                       int *needs_again);
/* The first record may be a header by the "names" rule: its values are text or empty. */
int load_header_candidate(const struct load_ctx *c);
/* The summary's "header: ..." line for header=auto. */
void load_header_note(struct load_ctx *c);
/*
 * With header=auto deciding no: when the row after the first is all
 * names over columns of numbers or dates (c->second_kind, c->rest_kind),
 * the summary says it looks like the header under a line of notes, and
 * to load with skip=.
 */
void load_late_header_note(struct load_ctx *c);
/* The summary's line on the names made unique or given to empty header fields. */
void load_names_note(struct load_ctx *c);
/*
 * What to do about a record of n_fields fields (not c->n_cols) at line,
 * by what the first records show (see load.h): a sentence, kept in
 * c->ragged_fix. full: it says all (no "or load with onerror=skip" to add).
 */
const char *load_ragged_fix(struct load_ctx *c, int n_fields, int *full);
/*
 * For text after a closing quote: the delim= to load with when another
 * delimiter splits every first record evenly (a quoted "Smith, Bob" read
 * with the wrong one), in c->ragged_fix; else NULL.
 */
const char *load_quote_fix(struct load_ctx *c);
/* With onerror=skip: when most rows were skipped and a title line explains it, say so. */
void load_skipped_note(struct load_ctx *c);

/* ---- the formats ----------------------------------------------------------- */

/* The CSV/TSV load into table (load_csv.c): c->data, c->size and c->delim are set. */
int load_csv(struct load_ctx *c, const char *table);
/* The ARFF load into table (load_arff.c): c->data and c->size are set. */
int load_arff(struct load_ctx *c, const char *table);
/*
 * The JSON load into table (load_json.c): an array of objects, or JSON
 * Lines; c->data and c->size are set.
 */
int load_json(struct load_ctx *c, const char *table);

/* ---- load_cells.c: a CSV record's values, and the numeric ones kept -------- */

/*
 * Convert a record's fields into cells by the declared kinds c->kinds,
 * widening exact when track is set; CELL_COPY text is appended to text;
 * missing-value markers made NULL are counted in n. 1 when a value does
 * not fit its column's declared kind. Reads only what stays fixed during
 * a pass, so the parsing thread may call it.
 */
int load_csv_cells(const struct load_ctx *c, const struct csv_field *f, struct load_cell *cells,
                   enum csv_kind *exact, struct buf *text, int track, struct load_counts *n);
/*
 * Make the record in rd c->n_cols fields wide if the dialect allows: drop
 * its trailing empty field (c->trail), or pad a short one with empty
 * fields (o->pad_short; counted in n, which may be NULL). 1 when it is
 * c->n_cols wide now, 0 when it is ragged.
 */
int load_fit_slow(const struct load_ctx *c, struct csv_reader *rd, struct load_counts *n);
static inline int
load_fit(const struct load_ctx *c, struct csv_reader *rd, struct load_counts *n)
{
    return rd->n_fields == c->n_cols || load_fit_slow(c, rd, n);
}
/* The fields of the record in rd, not counting a trailing empty one when c->trail. */
static inline int
load_width(const struct load_ctx *c, const struct csv_reader *rd)
{
    const struct csv_field *f = &rd->fields[rd->n_fields - 1];
    return rd->n_fields - (c->trail && rd->n_fields > 1 && f->len == 0 && !f->quoted);
}
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
 * Chunks of the image are still given back behind the caller's position
 * (load_tick), while the worker reads them ahead of it (its reader's
 * csv_fill checks the pipe's stop flag, so a stop reaches it inside a
 * long record); the text cells pointing into the file belong to rows not
 * inserted yet, so both lie after that position.
 */
#define LOAD_PIPE_MIN_BYTES (1 << 20) /* smaller files load in one thread */
#define LOAD_PIPE_CELLS 16384         /* cells per batch (rows x columns) */
enum load_event_what {
    LOAD_EV_ROW,      /* a row: cells, copy_base, rec */
    LOAD_EV_BAD,      /* a record csv_read found bad: bad, line, field, byte */
    LOAD_EV_RAGGED,   /* a record of n_fields fields, not c->n_cols: line; field: load_width */
    LOAD_EV_MISMATCH, /* a value does not fit its declared kind: the record at rec, line */
    LOAD_EV_END,      /* the end of the file */
    LOAD_EV_STOP,     /* waiting, the progress callback cancelled: c->err says so */
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
 * The next event of c->pipe, in file order. After LOAD_EV_MISMATCH,
 * LOAD_EV_END or LOAD_EV_STOP call load_pipe_stop before anything else. A
 * row stays valid until the next call. While it waits for the worker,
 * it calls load_poll.
 */
void load_pipe_get(struct load_ctx *c, struct load_event *ev);
/*
 * Stop and join the worker, free the pipe and set c->pipe NULL; when the
 * worker has read to the end or to a mismatch, copy its exact kinds and
 * its again to c->exact and c->again. Does nothing without a pipe.
 */
void load_pipe_stop(struct load_ctx *c);


#endif
