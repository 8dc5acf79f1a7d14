/*
 * pq_dl.h: libpq, loaded when PostgreSQL is first attached (issue 16).
 *
 * quarry is not linked with libpq: it pulls in some thirty libraries
 * (OpenSSL, Kerberos, LDAP, GnuTLS ...) whose loading and symbol
 * relocation took about half the start-up of a process that never talks
 * to PostgreSQL. pq_dl_load opens libpq.so.5 (QUARRY_PQ_LIB names another
 * file) with dlopen, once per process, and fills `pq` with the libpq
 * functions pg.c calls, typed by <libpq-fe.h>'s own prototypes:
 * pq.PQexec(conn, sql). pg_connect calls it before anything else, so
 * every other use of `pq` follows a successful load.
 */
#ifndef QUARRY_PQ_DL_H
#define QUARRY_PQ_DL_H

#include <libpq-fe.h>

#include "base/qerr.h"

/* The libpq functions quarry uses: X(name) for each. */
#define PQ_FUNCTIONS(X)                                                                       \
    X(PQcancel) X(PQclear) X(PQconnectdb) X(PQconsumeInput) X(PQerrorMessage) X(PQexec)       \
    X(PQexecParams) X(PQfinish) X(PQfname) X(PQfreeCancel) X(PQftype) X(PQgetCancel)          \
    X(PQgetResult) X(PQgetisnull) X(PQgetvalue) X(PQisBusy) X(PQnfields) X(PQntuples)         \
    X(PQputCopyData) X(PQputCopyEnd) X(PQreset) X(PQresultErrorField)                         \
    X(PQresultErrorMessage) X(PQresultStatus) X(PQsendQuery) X(PQsetNoticeProcessor)          \
    X(PQsetSingleRowMode) X(PQsocket) X(PQstatus)

#define PQ_DL_FIELD(name) __typeof__(name) *name;
struct pq_functions {
    PQ_FUNCTIONS(PQ_DL_FIELD)
};
#undef PQ_DL_FIELD

/* The loaded functions; all NULL until pq_dl_load has succeeded. */
extern struct pq_functions pq;

/*
 * Load libpq if this process has not yet (thread-safe; a failure is
 * remembered, not tried again). 0 when `pq` is filled; -1 with a message
 * naming the library and the package to install when it cannot be
 * loaded or lacks one of the functions.
 */
int pq_dl_load(struct qerr *err);

#endif
