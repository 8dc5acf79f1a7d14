/*
 * pg.h: a PostgreSQL server reached through libpq, for attached remote
 * tables: connect by conninfo (so ~/.pgpass, PGSERVICE and the PG*
 * variables work as for psql), list the tables with the planner's row
 * estimates (pg_class.reltuples), a table's columns, the planner's row
 * estimate of a query, and a query whose rows stream back one at a time
 * (libpq's single-row mode), cancelled on the server (PQcancel) when the
 * progress callback asks (tick.h, by the clock).
 *
 * Errors are values: a server that is not there, a refused password and
 * a connection dropped mid-query each fail with QE_IO and libpq's words,
 * prefixed by what quarry was doing; a query the server refuses fails
 * with QE_SQL. Nothing here prints, and no message repeats a password.
 */
#ifndef QUARRY_PG_H
#define QUARRY_PG_H

#include <stddef.h>

#include "base/qerr.h"

struct pg_conn;

/* Connect; *out belongs to the caller (pg_close). Fails with QE_IO. */
int pg_connect(const char *conninfo, struct pg_conn **out, struct qerr *err);
void pg_close(struct pg_conn *c);

/* A remote table: schema, name and the planner's row estimate (-1: never analysed). */
struct pg_table {
    char *schema, *name;
    double rows;
};
/*
 * The ordinary, partitioned and foreign tables and views outside the
 * system schemas, by schema and name. *t is the caller's (pg_tables_free).
 */
int pg_tables(struct pg_conn *c, struct pg_table **t, int *n, struct qerr *err);
void pg_tables_free(struct pg_table *t, int n);

/* Columns: names and type names (format_type), in order; free with pg_names_free. */
int pg_columns(struct pg_conn *c, const char *schema, const char *table, char ***names,
               char ***types, int *n, struct qerr *err);
void pg_names_free(char **names, int n);

/*
 * The leaf partitions of table schema.table as quoted relations
 * (pg_names_free) when it is partitioned over two or more foreign tables
 * (postgres_fdw shards) that the user may read, each of which a query can
 * name alone; else *n = 0 (a plain table, local partitions, or a leaf
 * not readable).
 */
int pg_leaves(struct pg_conn *c, const char *schema, const char *table, char ***rels, int *n,
              struct qerr *err);
/* The planner's estimate of the rows sql returns (EXPLAIN's top line). */
int pg_estimate(struct pg_conn *c, const char *sql, double *rows, struct qerr *err);

/*
 * Run sql, calling on_row(arg, n_cols, vals, names) for each row as it
 * arrives (vals[j] NULL for SQL NULL, text format; names the column
 * names, oids[j] the type oid of column j); a nonzero return stops the query (the callback sets err). The
 * progress callback is called by the clock (tick.h) with rows /
 * expected (negative when expected <= 0) while rows arrive and while the
 * server works; nonzero cancels the query on the server and fails with
 * QE_INTERRUPT.
 */
int pg_query(struct pg_conn *c, const char *sql, double expected,
             int (*on_row)(void *arg, int n, const char *const *vals,
                           const char *const *names, const unsigned *oids, struct qerr *err),
             void *arg, int (*progress)(void *pctx, double fraction), void *pctx,
             struct qerr *err);

/*
 * The same query read one row at a time: open sends it; next makes the
 * next row current (1; *vals, *names, *oids valid until the next call),
 * returns 0 at the end or -1 with err set (pg_query's errors, and
 * QE_INTERRUPT when progress cancels); close cancels the query on the
 * server when it has not ended, and frees s.
 */
struct pg_stream;
int pg_stream_open(struct pg_conn *c, const char *sql, double expected,
                   int (*progress)(void *pctx, double fraction), void *pctx,
                   struct pg_stream **s, struct qerr *err);
int pg_stream_next(struct pg_stream *s, int *n, const char *const **vals,
                   const char *const **names, const unsigned **oids, struct qerr *err);
void pg_stream_close(struct pg_stream *s);

/* Run a statement that returns no rows (CREATE, COPY setup); QE_SQL or QE_IO on failure. */
int pg_exec(struct pg_conn *c, const char *sql, struct qerr *err);

/*
 * COPY ... FROM STDIN: begin sends the statement (QE_SQL when the server
 * refuses it); put sends a block of COPY text; end finishes it, or with
 * abort_why (not NULL) abandons it, and reads the server's verdict.
 */
int pg_copy_begin(struct pg_conn *c, const char *sql, struct qerr *err);
int pg_copy_put(struct pg_conn *c, const char *data, size_t len, struct qerr *err);
int pg_copy_end(struct pg_conn *c, const char *abort_why, struct qerr *err);

/*
 * The result columns of sql without running it to the end (SELECT * FROM
 * (sql) LIMIT 0): names and type oids, malloc'd (pg_names_free, free).
 */
int pg_result_columns(struct pg_conn *c, const char *sql, char ***names, unsigned **oids,
                      int *n, struct qerr *err);

/* The catalog kind for a type oid: 1 integer, 2 real, 0 text. */
int pg_oid_kind(unsigned oid);

/* name as a PostgreSQL identifier, double-quoted; malloc'd. */
char *pg_ident(const char *name);

#endif
