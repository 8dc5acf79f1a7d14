/*
 * qerr.h: errors as values.
 *
 * A function that can fail returns int (0 ok, negative error) and takes a
 * struct qerr * last. On failure it fills code, message and an optional
 * hint; on success it leaves the qerr alone. The first error wins: once a
 * qerr holds one, further qerr_set calls do nothing, so calls can be
 * chained and checked once. Messages start lower case, have no full stop,
 * quote names with '...', and end with what to type instead.
 */
#ifndef QUARRY_QERR_H
#define QUARRY_QERR_H

enum qerr_code {
    QE_OK = 0,
    QE_ARG,       /* a bad argument or statement */
    QE_NOTFOUND,  /* a table, column, file or command that does not exist */
    QE_IO,        /* reading or writing a file failed */
    QE_DATA,      /* the data is malformed */
    QE_NUMERIC,   /* no convergence, singular matrix, ... */
    QE_NOMEM,     /* over the memory budget or out of memory */
    QE_SQL,       /* SQLite refused a statement */
    QE_INTERRUPT, /* cancelled by the user */
    QE_INTERNAL,  /* a bug */
};

struct qerr {
    enum qerr_code code;
    char *msg;  /* malloc'd, NULL while code == QE_OK */
    char *hint; /* malloc'd or NULL: an extra line of advice */
    int pos;    /* byte offset of the offending argument in the statement, or -1 */
};

#define QERR_INIT { QE_OK, 0, 0, -1 }

void qerr_init(struct qerr *e);
/* Free the message and reset to QE_OK. */
void qerr_clear(struct qerr *e);
/* Record an error unless one is already held. Always returns -1. */
int qerr_set(struct qerr *e, enum qerr_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Attach a hint to the held error (replaces an earlier hint). */
void qerr_hint(struct qerr *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* True when e holds an error. */
int qerr_failed(const struct qerr *e);

#endif
