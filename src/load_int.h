/*
 * load_int.h: the internals shared by load.c and load_csv.c, not for other callers.
 * load.c maps the file and handles ARFF; load_csv.c handles CSV and TSV.
 */
#ifndef QUARRY_LOAD_INT_H
#define QUARRY_LOAD_INT_H

#include "arff.h"
#include "csv.h"
#include "load.h"

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
    struct load_cell *cells; /* the current row's values */
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
/* Free what the capture kept and stop keeping. */
void load_capture_drop(struct load_ctx *c);
/* The CSV/TSV load into table (load_csv.c): c->data, c->size and c->delim are set. */
int load_csv(struct load_ctx *c, const char *table);


#endif
