/*
 * store.h: the model store, the one place that keeps everything fitted.
 *
 * Fitted state (normalize's transforms now; classifiers, rule sets and
 * forecasters to come) is a row of one of two catalog tables of the same
 * shape, so undo, save and open keep it with the data:
 *
 *   quarry_transforms  column transforms (kind "normalize")
 *   quarry_models      every other kind
 *
 *   name     TEXT PRIMARY KEY COLLATE NOCASE  unique across both tables
 *   kind     TEXT   the store_kind that wrote it: says how to read state
 *   source   TEXT   the table it was fitted on
 *   cols     TEXT   the columns it was fitted on, comma-separated
 *   created  TEXT   UTC, "YYYY-MM-DD HH:MM:SS" (SOURCE_DATE_EPOCH if set)
 *   summary  TEXT   one line for `models`
 *   state    BLOB   the serialised state in the envelope below
 *
 * The envelope (integers little-endian, so workspaces move between machines):
 *
 *   offset  size  field
 *   0       4     magic "QSTA"
 *   4       4     store format, STORE_FORMAT (the envelope's own layout)
 *   8       4     the kind's state version (what the payload's layout is)
 *   12      4     K, the length of the kind name, at most STORE_KIND_MAX
 *   16      K     the kind name
 *   16+K    8     N, the length of the payload
 *   24+K    4     CRC-32 (IEEE) of every byte before it and of the payload
 *   28+K    N     the payload, written with the store_add_* helpers
 *
 * As scikit-learn's BaseEstimator.__getstate__ records the version that
 * pickled an estimator and __setstate__ compares it, each kind declares
 * the state version it writes and the oldest it reads. Reading checks
 * every field: a BLOB that was truncated, hand-edited, copied from another
 * row or written by a newer quarry is a QE_DATA error that names the
 * entry, says what is wrong and ends with what to type (drop model NAME
 * and fit it again), never a crash or a silently wrong value.
 *
 * Workspaces saved before the store held quarry_transforms in an older
 * layout (transform, col, method, center, scale, lo, hi: a row per
 * column). The store reads that layout as it is (list and get leave the
 * table alone); the first put or drop rewrites it into the layout above,
 * inside the running statement, so undo takes the rewrite back too.
 *
 * The store keeps the frame cache coherent itself: every write forgets
 * the cached frames of the table it changed.
 */
#ifndef QUARRY_STORE_H
#define QUARRY_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/qerr.h"
#include "data/catalog.h"

#define STORE_FORMAT 1
#define STORE_KIND_MAX 64 /* longest kind name */
#define STORE_TRANSFORMS "quarry_transforms"
#define STORE_MODELS "quarry_models"

/*
 * What a module that fits something declares once, as a const global:
 * the kind's name (the row's kind and the envelope's), its table, and
 * the state versions it writes and reads.
 */
struct store_kind {
    const char *name;      /* "normalize": letters, digits and _, at most STORE_KIND_MAX */
    int is_transform;      /* 1: a row of quarry_transforms, else of quarry_models */
    uint32_t version;      /* the payload layout this build writes */
    uint32_t min_version;  /* the oldest payload layout this build still reads */
};

/* What `models` shows beside the state; any field may be NULL. */
struct store_meta {
    const char *source;  /* the table fitted on */
    const char *cols;    /* the columns, comma-separated */
    const char *summary; /* one short line */
};

/*
 * Store a payload of len bytes under name as kind, with meta, replacing
 * what name held if it is of the same kind. Creates the kind's table on
 * first use (and rewrites an old-layout quarry_transforms first). Errors:
 * QE_ARG when name already holds another kind; QE_DATA when a store table
 * has a layout quarry does not know; QE_SQL.
 */
int store_put(struct catalog *cat, const struct store_kind *kind, const char *name,
              const struct store_meta *meta, const void *payload, size_t len, struct qerr *err);

/*
 * A payload being read: a bounds-checked cursor. The first failed read
 * sets err (QE_DATA naming the entry, with the drop-and-refit hint) and
 * every later read on it fails at once, so a decoder can read a run of
 * fields and check err once.
 */
struct store_reader {
    unsigned char *data; /* the payload, owned */
    size_t len, pos;
    uint32_t version;    /* the kind's state version the payload was written with */
    char *what;          /* "transform 'n1'": the entry, for messages; owned */
    char *name;          /* the entry's name, for the hint; owned */
    int failed;
};

/*
 * Read the state stored under name, which must be of kind: on success r
 * holds its payload and version (release it with store_reader_release,
 * on failure too). Errors: QE_NOTFOUND when nothing is stored under name
 * (with a suggestion); QE_ARG when name holds another kind; QE_DATA when
 * the row or its BLOB is damaged or its version is outside
 * [kind->min_version, kind->version]; QE_SQL.
 */
int store_get(struct catalog *cat, const struct store_kind *kind, const char *name,
              struct store_reader *r, struct qerr *err);

/* One stored entry as listed. Strings are owned; any but kind and name may be NULL. */
struct store_entry {
    char *name;
    char *kind;
    char *source;
    char *cols;
    char *created;
    char *summary;
    int is_transform;
    uint32_t version;   /* the state version, 0 when unreadable */
    long long size;     /* bytes of state */
    char *problem;      /* NULL, or why the state cannot be read ("checksum mismatch...") */
};

/*
 * Every entry of both tables, sorted by name (case-insensitively), into
 * *out (n entries; free with store_entries_free). Each state's envelope
 * and checksum are checked, and an entry that fails says why in problem:
 * one damaged entry never hides the others. Reads only.
 */
int store_list(struct catalog *cat, struct store_entry **out, int *n, struct qerr *err);
/* Free the n entries of e and e itself. */
void store_entries_free(struct store_entry *e, int n);
/* Free the strings of one entry the caller placed. */
void store_entry_release(struct store_entry *e);

/*
 * Remove the entry stored under name, whatever its kind and even if its
 * state is damaged. On success *dropped (if not NULL) holds its name as
 * stored, kind and table (release it with store_entry_release; it is
 * zeroed on failure). QE_NOTFOUND (with a suggestion)
 * when nothing is stored under name.
 */
int store_drop(struct catalog *cat, const char *name, struct store_entry *dropped,
               struct qerr *err);

/* "transform" or "model": what users call an entry of the kind's table. */
const char *store_noun(int is_transform);

/* --- the envelope (store_put and store_get use these; exposed for tests) --- */

/* Append to out the envelope of a payload of kind and state version. */
void store_wrap(const char *kind, uint32_t version, const void *payload, size_t len,
                struct buf *out);
/*
 * Check the envelope of a state BLOB of size bytes stored as kind: 0 and
 * *payload, *len, *version set; or -1 with why in problem ("its checksum
 * does not match ..."). newer is set to 1 when the BLOB comes from a newer
 * store format (an upgrade of quarry would read it).
 */
int store_unwrap(const char *kind, const void *blob, size_t size, const unsigned char **payload,
                 size_t *len, uint32_t *version, int *newer, struct buf *problem);

/* --- payload helpers ------------------------------------------------------- */

/* Append a 64-bit integer, a double (its IEEE-754 bits, so NaN and -0 survive). */
void store_add_i64(struct buf *b, int64_t v);
void store_add_f64(struct buf *b, double v);
/* Append n doubles. */
void store_add_f64s(struct buf *b, const double *v, size_t n);
/* Append a string: its length, then its bytes (no NUL). NULL is not allowed. */
void store_add_str(struct buf *b, const char *s);

/*
 * A reader over a copy of len bytes of payload, for tests and for state
 * built in memory; what and name say whose state it is, for messages.
 */
void store_reader_init(struct store_reader *r, const void *payload, size_t len, uint32_t version,
                       const char *what, const char *name);
void store_reader_release(struct store_reader *r);
/* Read a 64-bit integer or a double; -1 with err set when the payload ends. */
int store_read_i64(struct store_reader *r, int64_t *v, struct qerr *err);
int store_read_f64(struct store_reader *r, double *v, struct qerr *err);
/* Read n doubles into v (room for n). */
int store_read_f64s(struct store_reader *r, double *v, size_t n, struct qerr *err);
/*
 * Read a string into *s (malloc'd, the caller frees; NULL on failure). Fails
 * when its length runs past the payload or it holds a NUL byte.
 */
int store_read_str(struct store_reader *r, char **s, struct qerr *err);
/*
 * Read a count of items that take at least item_size bytes each: fails
 * when it is negative, over max, or more than the bytes left could hold,
 * so a damaged count never drives a huge allocation.
 */
int store_read_count(struct store_reader *r, size_t item_size, int64_t max, int64_t *n,
                     struct qerr *err);
/* Check that the whole payload was read (no bytes left over). */
int store_read_end(struct store_reader *r, struct qerr *err);
/*
 * A network's parameters, last in a model's payload: their count, then
 * the values. store_read_net_params reads them back for a network of
 * `want` parameters (a count that differs fails the read, saying both)
 * into *params, a new array of want + 1 doubles charged to module `what`
 * (mem.h), and checks that the payload ends there; *params is NULL on
 * failure.
 */
void store_add_net_params(struct buf *b, const double *params, size_t np);
int store_read_net_params(struct store_reader *r, size_t want, const char *what,
                          double **params, struct qerr *err);
/*
 * Fail the read with a reason of the decoder's own ("unknown method
 * 'x'"): QE_DATA, "WHAT is damaged: REASON", and the hint. Returns -1.
 */
int store_read_fail(struct store_reader *r, struct qerr *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
