/*
 * pg.c: libpq underneath attached remote tables (pg.h). Queries stream
 * in single-row mode; while the server works the socket is polled for
 * TICK_MS at a time so a cancel is seen by the clock and sent with
 * PQcancel. libpq itself is loaded by the first pg_connect (pq_dl.h),
 * so its functions are called through `pq`.
 */
#include "remote/pg.h"

#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/tick.h"
#include "remote/pq_dl.h"
#include "base/banned.h"

struct pg_conn {
    PGconn *pc;
};

/* libpq's message without its trailing newline, after what we were doing. */
static int
conn_fail(struct pg_conn *c, enum qerr_code code, const char *doing, const char *msg,
          struct qerr *err)
{
    struct buf b = BUF_INIT;
    buf_adds(&b, msg && *msg ? msg : "no reason given");
    buf_rtrim(&b);
    /* libpq's messages may span lines (a DETAIL, a second address tried): keep them on one */
    for (char *p = b.data; p && *p; p++)
        if (*p == '\n' || *p == '\t')
            *p = ' ';
    if (c && c->pc && pq.PQstatus(c->pc) == CONNECTION_BAD && code != QE_INTERRUPT)
        qerr_set(err, QE_IO, "%s: the connection to the server was lost: %s", doing, b.data);
    else
        qerr_set(err, code, "%s: %s", doing, b.data);
    buf_release(&b);
    return -1;
}

/* The server's notices (and a FATAL sent before it hangs up) are not printed: src/ never prints. */
static void
quiet(void *arg, const char *msg)
{
}

int
pg_connect(const char *conninfo, struct pg_conn **out, struct qerr *err)
{
    *out = NULL;
    if (pq_dl_load(err) < 0)
        return -1;
    PGconn *pc = pq.PQconnectdb(conninfo);
    if (!pc)
        return qerr_set(err, QE_NOMEM, "cannot connect to PostgreSQL: out of memory");
    if (pq.PQstatus(pc) != CONNECTION_OK) {
        conn_fail(NULL, QE_IO, "cannot connect to PostgreSQL", pq.PQerrorMessage(pc), err);
        pq.PQfinish(pc);
        return -1;
    }
    pq.PQsetNoticeProcessor(pc, quiet, NULL);
    struct pg_conn *c = xcalloc(1, sizeof *c);
    c->pc = pc;
    *out = c;
    return 0;
}

void
pg_close(struct pg_conn *c)
{
    if (!c)
        return;
    pq.PQfinish(c->pc);
    free(c);
}

/* Ask the server to stop the running statement (best effort; the result says how it ended). */
static void
cancel(struct pg_conn *c)
{
    char msg[256];
    PGcancel *k = pq.PQgetCancel(c->pc);
    if (k) {
        pq.PQcancel(k, msg, (int)sizeof msg);
        pq.PQfreeCancel(k);
    }
}

/* Read and drop every result left of the running statement. */
static void
drain(struct pg_conn *c)
{
    PGresult *r;
    while ((r = pq.PQgetResult(c->pc)) != NULL) {
        pq.PQclear(r);
        if (pq.PQstatus(c->pc) == CONNECTION_BAD)
            break;
    }
}

struct pg_stream {
    struct pg_conn *c;
    struct tick tk;
    double expected;
    long long rows;
    int done, n_alloc;
    PGresult *cur; /* the current row's result */
    const char **vals, **names;
    unsigned *oids;
};

int
pg_stream_open(struct pg_conn *c, const char *sql, double expected,
               int (*progress)(void *pctx, double fraction), void *pctx, struct pg_stream **out,
               struct qerr *err)
{
    *out = NULL;
    if (pq.PQstatus(c->pc) == CONNECTION_BAD)
        pq.PQreset(c->pc);
    if (!pq.PQsendQuery(c->pc, sql))
        return conn_fail(c, QE_IO, "cannot send the query", pq.PQerrorMessage(c->pc), err);
    pq.PQsetSingleRowMode(c->pc);
    struct pg_stream *s = xcalloc(1, sizeof *s);
    s->c = c;
    s->expected = expected;
    tick_init(&s->tk, progress, pctx);
    *out = s;
    return 0;
}

int
pg_stream_next(struct pg_stream *s, int *n, const char *const **vals, const char *const **names,
               const unsigned **oids, struct qerr *err)
{
    struct pg_conn *c = s->c;
    int rc = 0;
    pq.PQclear(s->cur);
    s->cur = NULL;
    if (s->done)
        return 0;
    for (;;) {
        while (pq.PQisBusy(c->pc)) {
            if (tick(&s->tk, s->expected > 0 ? (double)s->rows / s->expected : -1.0)) {
                cancel(c);
                drain(c);
                s->done = 1;
                return tick_fail(err);
            }
            struct pollfd p = {.fd = pq.PQsocket(c->pc), .events = POLLIN};
            if (p.fd < 0 || (poll(&p, 1, TICK_MS) > 0 && !pq.PQconsumeInput(c->pc))) {
                rc = conn_fail(c, QE_IO, "the query failed", pq.PQerrorMessage(c->pc), err);
                drain(c);
                s->done = 1;
                return rc;
            }
        }
        PGresult *r = pq.PQgetResult(c->pc);
        if (!r) {
            s->done = 1;
            return rc;
        }
        ExecStatusType st = pq.PQresultStatus(r);
        if (st == PGRES_SINGLE_TUPLE && rc == 0) {
            int k = pq.PQnfields(r);
            if (k > s->n_alloc) {
                s->vals = xrealloc(s->vals, (size_t)k * sizeof *s->vals);
                s->names = xrealloc(s->names, (size_t)k * sizeof *s->names);
                s->oids = xrealloc(s->oids, (size_t)k * sizeof *s->oids);
                s->n_alloc = k;
            }
            for (int j = 0; j < k; j++) {
                s->vals[j] = pq.PQgetisnull(r, 0, j) ? NULL : pq.PQgetvalue(r, 0, j);
                s->names[j] = pq.PQfname(r, j);
                s->oids[j] = (unsigned)pq.PQftype(r, j);
            }
            s->rows++;
            s->cur = r;
            *n = k;
            *vals = s->vals;
            *names = s->names;
            *oids = s->oids;
            return 1;
        } else if (st != PGRES_SINGLE_TUPLE && st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK &&
                   rc == 0) {
            const char *state = pq.PQresultErrorField(r, PG_DIAG_SQLSTATE);
            /* 57014: our own cancel arriving late; 57P01: the backend was terminated */
            int lost = pq.PQstatus(c->pc) == CONNECTION_BAD || (state && !strncmp(state, "57P", 3));
            rc = -1;
            if (lost) {
                struct buf b = BUF_INIT;
                buf_adds(&b, pq.PQresultErrorMessage(r));
                buf_rtrim(&b);
                for (char *q = b.data; q && *q; q++)
                    if (*q == '\n')
                        *q = ' ';
                qerr_set(err, QE_IO, "the connection to the server was lost mid-query (%s)",
                         b.data ? b.data : "no reason given");
                buf_release(&b);
            } else {
                conn_fail(c, QE_SQL, "the server refused the query", pq.PQresultErrorMessage(r),
                          err);
            }
        }
        pq.PQclear(r);
        if (pq.PQstatus(c->pc) == CONNECTION_BAD) {
            if (rc == 0)
                rc = conn_fail(c, QE_IO, "the query failed", pq.PQerrorMessage(c->pc), err);
            s->done = 1;
            return rc;
        }
    }
}

void
pg_stream_close(struct pg_stream *s)
{
    if (!s)
        return;
    pq.PQclear(s->cur);
    if (!s->done) { /* stopped early: the server stops too */
        cancel(s->c);
        drain(s->c);
    }
    free(s->vals);
    free(s->names);
    free(s->oids);
    free(s);
}

int
pg_query(struct pg_conn *c, const char *sql, double expected,
         int (*on_row)(void *arg, int n, const char *const *vals, const char *const *names,
                       const unsigned *oids, struct qerr *err),
         void *arg, int (*progress)(void *pctx, double fraction), void *pctx, struct qerr *err)
{
    struct pg_stream *s;
    int n, got;
    const char *const *vals, *const *names;
    const unsigned *oids;
    if (pg_stream_open(c, sql, expected, progress, pctx, &s, err) < 0)
        return -1;
    while ((got = pg_stream_next(s, &n, &vals, &names, &oids, err)) > 0)
        if (on_row(arg, n, vals, names, oids, err)) {
            got = -1;
            break;
        }
    pg_stream_close(s);
    return got < 0 ? -1 : 0;
}

/* Collect every row of a small query into a growing array of rows of strings. */
struct rows {
    char **cells;
    int n_cols;
    long long n;
};

static void
rows_free(struct rows *r)
{
    for (long long i = 0; i < r->n * r->n_cols; i++)
        free(r->cells[i]);
    free(r->cells);
}

/* Run a small query with params ($1, $2) into r; what: the words before the server's. */
static int
small_query(struct pg_conn *c, const char *sql, int n_params, const char *const *params,
            struct rows *r, const char *what, struct qerr *err)
{
    memset(r, 0, sizeof *r);
    PGresult *res = pq.PQexecParams(c->pc, sql, n_params, NULL, params, NULL, NULL, 0);
    if (!res || pq.PQresultStatus(res) != PGRES_TUPLES_OK) {
        conn_fail(c, QE_SQL, what,
                  res ? pq.PQresultErrorMessage(res) : pq.PQerrorMessage(c->pc), err);
        pq.PQclear(res);
        return -1;
    }
    r->n_cols = pq.PQnfields(res);
    for (int i = 0; i < pq.PQntuples(res); i++) {
        r->cells = xrealloc(r->cells, (size_t)(r->n + 1) * (size_t)r->n_cols * sizeof *r->cells);
        for (int j = 0; j < r->n_cols; j++)
            r->cells[r->n * r->n_cols + j] =
                pq.PQgetisnull(res, i, j) ? NULL : xstrdup(pq.PQgetvalue(res, i, j));
        r->n++;
    }
    pq.PQclear(res);
    return 0;
}

int
pg_tables(struct pg_conn *c, struct pg_table **t, int *n, struct qerr *err)
{
    struct rows r;
    *t = NULL;
    *n = 0;
    /* partitions are reached through their parent: list the parents only */
    if (small_query(c,
                    "SELECT n.nspname, c.relname, c.reltuples::float8 FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE c.relkind IN ('r','p','f','v','m') AND NOT c.relispartition "
                    "AND n.nspname NOT IN ('pg_catalog','information_schema') "
                    "AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1, 2",
                    0, NULL, &r, "cannot read the server's catalogue", err) < 0)
        return -1;
    *t = xcalloc((size_t)(r.n ? r.n : 1), sizeof **t);
    for (long long i = 0; i < r.n; i++) {
        (*t)[i].schema = xstrdup(r.cells[i * 3]);
        (*t)[i].name = xstrdup(r.cells[i * 3 + 1]);
        (*t)[i].rows = r.cells[i * 3 + 2] ? strtod(r.cells[i * 3 + 2], NULL) : -1;
    }
    *n = (int)r.n;
    rows_free(&r);
    return 0;
}

void
pg_tables_free(struct pg_table *t, int n)
{
    for (int i = 0; i < n; i++) {
        free(t[i].schema);
        free(t[i].name);
    }
    free(t);
}

int
pg_columns(struct pg_conn *c, const char *schema, const char *table, char ***names,
           char ***types, int *n, struct qerr *err)
{
    struct rows r;
    const char *p[2] = {schema, table};
    *names = *types = NULL;
    *n = 0;
    if (small_query(c,
                    "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
                    "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = "
                    "c.relnamespace WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 "
                    "AND NOT a.attisdropped ORDER BY a.attnum",
                    2, p, &r, "cannot read the server's catalogue", err) < 0)
        return -1;
    *names = xcalloc((size_t)(r.n ? r.n : 1), sizeof **names);
    *types = xcalloc((size_t)(r.n ? r.n : 1), sizeof **types);
    for (long long i = 0; i < r.n; i++) {
        (*names)[i] = xstrdup(r.cells[i * 2]);
        (*types)[i] = xstrdup(r.cells[i * 2 + 1] ? r.cells[i * 2 + 1] : "");
    }
    *n = (int)r.n;
    rows_free(&r);
    return 0;
}

int
pg_leaves(struct pg_conn *c, const char *schema, const char *table, char ***rels, int *n,
          struct qerr *err)
{
    struct rows r;
    const char *p[2] = {schema, table};
    *rels = NULL;
    *n = 0;
    /* every leaf of the partition tree with its kind; a plain table is its own one leaf */
    if (small_query(c,
                    "SELECT format('%I.%I', n.nspname, c.relname), c.relkind = 'f' AND "
                    "has_table_privilege(c.oid, 'SELECT') FROM pg_partition_tree(format('%I.%I', "
                    "$1::text, $2::text)::regclass) t JOIN pg_class c ON c.oid = t.relid JOIN "
                    "pg_namespace n ON n.oid = c.relnamespace WHERE t.isleaf ORDER BY 1",
                    2, p, &r, "cannot read the server's catalogue", err) < 0)
        return -1;
    int all_foreign = r.n >= 2;
    for (long long i = 0; i < r.n; i++)
        all_foreign &= r.cells[i * 2 + 1] && r.cells[i * 2 + 1][0] == 't';
    if (all_foreign) {
        *rels = xcalloc((size_t)r.n, sizeof **rels);
        for (long long i = 0; i < r.n; i++)
            (*rels)[i] = xstrdup(r.cells[i * 2]);
        *n = (int)r.n;
    }
    rows_free(&r);
    return 0;
}

void
pg_names_free(char **names, int n)
{
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

int
pg_estimate(struct pg_conn *c, const char *sql, double *rows, struct qerr *err)
{
    struct rows r;
    struct buf b = BUF_INIT;
    buf_addf(&b, "EXPLAIN %s", sql);
    int rc = small_query(c, b.data, 0, NULL, &r, "the server refused the query", err);
    buf_release(&b);
    if (rc < 0)
        return -1;
    *rows = -1;
    const char *s = r.n > 0 && r.cells[0] ? strstr(r.cells[0], " rows=") : NULL;
    if (s)
        *rows = strtod(s + 6, NULL);
    rows_free(&r);
    return 0;
}

int
pg_exec(struct pg_conn *c, const char *sql, struct qerr *err)
{
    PGresult *res = pq.PQexec(c->pc, sql);
    ExecStatusType st = res ? pq.PQresultStatus(res) : PGRES_FATAL_ERROR;
    int rc = 0;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        rc = conn_fail(c, QE_SQL, "the server refused the statement",
                       res ? pq.PQresultErrorMessage(res) : pq.PQerrorMessage(c->pc), err);
    pq.PQclear(res);
    return rc;
}

int
pg_copy_begin(struct pg_conn *c, const char *sql, struct qerr *err)
{
    PGresult *res = pq.PQexec(c->pc, sql);
    int ok = res && pq.PQresultStatus(res) == PGRES_COPY_IN;
    if (!ok)
        conn_fail(c, QE_SQL, "the server refused the COPY",
                  res ? pq.PQresultErrorMessage(res) : pq.PQerrorMessage(c->pc), err);
    pq.PQclear(res);
    return ok ? 0 : -1;
}

int
pg_copy_put(struct pg_conn *c, const char *data, size_t len, struct qerr *err)
{
    if (pq.PQputCopyData(c->pc, data, (int)len) != 1)
        return conn_fail(c, QE_IO, "cannot send the rows", pq.PQerrorMessage(c->pc), err);
    return 0;
}

int
pg_copy_end(struct pg_conn *c, const char *abort_why, struct qerr *err)
{
    int rc = 0;
    if (pq.PQputCopyEnd(c->pc, abort_why) != 1)
        rc = conn_fail(c, QE_IO, "cannot end the COPY", pq.PQerrorMessage(c->pc), err);
    PGresult *r;
    while ((r = pq.PQgetResult(c->pc)) != NULL) {
        if (rc == 0 && !abort_why && pq.PQresultStatus(r) != PGRES_COMMAND_OK)
            rc = conn_fail(c, QE_SQL, "the server refused the rows", pq.PQresultErrorMessage(r),
                           err);
        pq.PQclear(r);
        if (pq.PQstatus(c->pc) == CONNECTION_BAD)
            break;
    }
    return rc;
}

char *
pg_ident(const char *name)
{
    struct buf b = BUF_INIT;
    buf_addc(&b, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"')
            buf_addc(&b, '"');
        buf_addc(&b, *p);
    }
    buf_addc(&b, '"');
    return buf_detach(&b);
}

int
pg_result_columns(struct pg_conn *c, const char *sql, char ***names, unsigned **oids, int *n,
                  struct qerr *err)
{
    struct buf b = BUF_INIT;
    *names = NULL;
    *oids = NULL;
    *n = 0;
    buf_addf(&b, "SELECT * FROM (%s) AS quarry_q LIMIT 0", sql);
    PGresult *res = pq.PQexec(c->pc, b.data);
    buf_release(&b);
    if (!res || pq.PQresultStatus(res) != PGRES_TUPLES_OK) {
        conn_fail(c, QE_SQL, "the server refused the query",
                  res ? pq.PQresultErrorMessage(res) : pq.PQerrorMessage(c->pc), err);
        pq.PQclear(res);
        return -1;
    }
    int k = pq.PQnfields(res);
    *names = xcalloc((size_t)(k ? k : 1), sizeof **names);
    *oids = xcalloc((size_t)(k ? k : 1), sizeof **oids);
    for (int j = 0; j < k; j++) {
        (*names)[j] = xstrdup(pq.PQfname(res, j));
        (*oids)[j] = (unsigned)pq.PQftype(res, j);
    }
    *n = k;
    pq.PQclear(res);
    return 0;
}

int
pg_oid_kind(unsigned oid)
{
    switch (oid) {
    case 20: /* int8 */
    case 21: /* int2 */
    case 23: /* int4 */
        return 1;
    case 700:  /* float4 */
    case 701:  /* float8 */
    case 1700: /* numeric */
        return 2;
    default:
        return 0;
    }
}
