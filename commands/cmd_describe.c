/*
 * cmd_describe.c: `describe TABLE`, a summary of every column: type, counts,
 * min, quartiles, max, mean, standard deviation and a text histogram for
 * numeric columns; the most frequent values for the others.
 */
#include "cmd.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/banned.h"

static const struct arg_spec describe_args[] = {
    {.name = "TABLE", .positional = 1, .type = ARG_TABLE, .required = 1,
     .help = "The table to describe.", .comp = COMP_TABLES},
    {0},
};

/* The values numeric statistics use: numbers only, never text or NULL. */
#define NUMERIC "typeof(\"%w\") IN ('integer', 'real')"

enum {
    D_COLUMN, D_TYPE, D_COUNT, D_MISSING, D_DISTINCT, D_MIN, D_Q1, D_MEDIAN, D_Q3, D_MAX,
    D_MEAN, D_STD, D_HIST, D_TOP, D_N
};

static int
prepare(sqlite3 *db, char *sql, sqlite3_stmt **st, struct qerr *err)
{
    int rc = sqlite3_prepare_v2(db, sql, -1, st, NULL);
    sqlite3_free(sql);
    if (rc != SQLITE_OK)
        return qerr_set(err, QE_SQL, "%s", sqlite3_errmsg(db));
    return 0;
}

/*
 * The p-quantile of the n non-missing values with linear interpolation
 * between the two nearest ranks, position (n-1)p (numpy's and pandas'
 * default): two rows read by ORDER BY ... LIMIT 2 OFFSET floor(pos).
 */
static int
quantile(sqlite3 *db, const char *table, const char *col, long long n, double p, double *out,
         struct qerr *err)
{
    sqlite3_stmt *st = NULL;
    double pos = (double)(n - 1) * p;
    long long k = (long long)floor(pos);
    if (prepare(db,
                sqlite3_mprintf("SELECT \"%w\" FROM \"%w\" WHERE " NUMERIC " ORDER BY 1 "
                                "LIMIT 2 OFFSET %lld",
                                col, table, col, k),
                &st, err) < 0)
        return -1;
    double v[2] = {0, 0};
    int got = 0;
    while (got < 2 && sqlite3_step(st) == SQLITE_ROW)
        v[got++] = sqlite3_column_double(st, 0);
    sqlite3_finalize(st);
    if (got == 0)
        return qerr_set(err, QE_INTERNAL, "no value at rank %lld of '%s'", k, col);
    *out = got == 1 ? v[0] : v[0] + (v[1] - v[0]) * (pos - (double)k);
    return 0;
}

/* Eight equal-width bins from min to max, drawn with block characters. */
static int
histogram(sqlite3 *db, const char *table, const char *col, double lo, double hi,
          struct buf *out, struct qerr *err)
{
    static const char *const bars[] = {" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
    long long bins[8] = {0}, top = 0;
    sqlite3_stmt *st = NULL;
    double width = (hi - lo) / 8;
    if (!(width > 0)) {
        buf_adds(out, "█"); /* a constant column: one bar */
        return 0;
    }
    if (prepare(db,
                sqlite3_mprintf("SELECT min(CAST((\"%w\" - ?1) / ?2 AS INTEGER), 7), count(*) "
                                "FROM \"%w\" WHERE " NUMERIC " GROUP BY 1",
                                col, table, col),
                &st, err) < 0)
        return -1;
    sqlite3_bind_double(st, 1, lo);
    sqlite3_bind_double(st, 2, width);
    while (sqlite3_step(st) == SQLITE_ROW) {
        long long b = sqlite3_column_int64(st, 0);
        if (b >= 0 && b < 8)
            bins[b] = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    for (int i = 0; i < 8; i++)
        if (bins[i] > top)
            top = bins[i];
    /* Bar height in eighths of the fullest bin; any non-empty bin shows at least ▁. */
    for (int i = 0; i < 8; i++)
        buf_adds(out, bars[bins[i] == 0 ? 0 : 1 + (int)(bins[i] * 7 / top)]);
    return 0;
}

/* Numbers in the column and their mean. */
static int
numeric_count(sqlite3 *db, const char *table, const char *col, long long *n, double *mean,
              struct qerr *err)
{
    sqlite3_stmt *st = NULL;
    if (prepare(db,
                sqlite3_mprintf("SELECT count(*), avg(\"%w\") FROM \"%w\" WHERE " NUMERIC, col,
                                table, col),
                &st, err) < 0)
        return -1;
    int rc = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *n = sqlite3_column_int64(st, 0);
        *mean = sqlite3_column_double(st, 1);
    } else {
        rc = qerr_set(err, QE_SQL, "%s", sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
    return rc;
}

static int
describe_numeric(sqlite3 *db, const char *table, const char *col, long long n, double mean,
                 struct rtable *t, long long r, struct qerr *err)
{
    sqlite3_stmt *st = NULL;
    double q[3], lo, hi;
    static const double ps[3] = {0.25, 0.5, 0.75};
    for (int i = 0; i < 3; i++) {
        if (quantile(db, table, col, n, ps[i], &q[i], err) < 0)
            return -1;
        rtable_setf(t, r, D_Q1 + i, 1, "%.6g", q[i]);
    }
    rtable_setf(t, r, D_MEAN, 1, "%.6g", mean);
    if (quantile(db, table, col, n, 0.0, &lo, err) < 0 ||
        quantile(db, table, col, n, 1.0, &hi, err) < 0)
        return -1;
    struct buf h = BUF_INIT;
    if (histogram(db, table, col, lo, hi, &h, err) < 0) {
        buf_release(&h);
        return -1;
    }
    rtable_set(t, r, D_HIST, h.data, 0);
    buf_release(&h);
    if (n < 2)
        return 0;
    /* Two-pass sample standard deviation (n-1), as pandas reports it. */
    if (prepare(db,
                sqlite3_mprintf("SELECT sum((\"%w\" - ?1) * (\"%w\" - ?1)) FROM \"%w\" WHERE "
                                NUMERIC, col, col, table, col),
                &st, err) < 0)
        return -1;
    sqlite3_bind_double(st, 1, mean);
    int rc = 0;
    if (sqlite3_step(st) == SQLITE_ROW)
        rtable_setf(t, r, D_STD, 1, "%.6g", sqrt(sqlite3_column_double(st, 0) / (double)(n - 1)));
    else
        rc = qerr_set(err, QE_SQL, "%s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc;
}

/* The three most frequent values with their counts. */
static int
describe_top(sqlite3 *db, const char *table, const char *col, struct rtable *t, long long r,
             struct qerr *err)
{
    sqlite3_stmt *st = NULL;
    if (prepare(db,
                sqlite3_mprintf("SELECT \"%w\", count(*) AS n FROM \"%w\" WHERE \"%w\" IS NOT "
                                "NULL GROUP BY 1 ORDER BY n DESC, 1 LIMIT 3",
                                col, table, col),
                &st, err) < 0)
        return -1;
    struct buf b = BUF_INIT;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(st, 0);
        int len = sqlite3_column_bytes(st, 0);
        buf_addf(&b, "%s%.*s%s (%lld)", b.len ? ", " : "", len > 20 ? 19 : len, v,
                 len > 20 ? "…" : "", (long long)sqlite3_column_int64(st, 1));
    }
    sqlite3_finalize(st);
    rtable_set(t, r, D_TOP, b.data, 0);
    buf_release(&b);
    return 0;
}

static int
describe_column(sqlite3 *db, const char *table, const char *col, const char *decl,
                struct rtable *t, long long r, struct qerr *err)
{
    sqlite3_stmt *st = NULL;
    enum catalog_kind kind = catalog_kind_of_decl(decl);
    int numeric = kind == CATALOG_INTEGER || kind == CATALOG_REAL;

    for (int c = 0; c < D_N; c++)
        rtable_set(t, r, c, "", 0);
    rtable_set(t, r, D_COLUMN, col, 0);
    rtable_set(t, r, D_TYPE, catalog_kind_name(kind), 0);
    if (prepare(db,
                sqlite3_mprintf("SELECT count(\"%w\"), count(*) - count(\"%w\"), "
                                "count(DISTINCT \"%w\"), min(\"%w\"), max(\"%w\"), avg(\"%w\") "
                                "FROM \"%w\"",
                                col, col, col, col, col, col, table),
                &st, err) < 0)
        return -1;
    int src = sqlite3_step(st);
    if (src != SQLITE_ROW) {
        sqlite3_finalize(st);
        if (src == SQLITE_INTERRUPT)
            return qerr_set(err, QE_INTERRUPT, "interrupted");
        return qerr_set(err, QE_SQL, "%s", sqlite3_errmsg(db));
    }
    long long n = sqlite3_column_int64(st, 0);
    for (int i = 0; i < 3; i++)
        rtable_setf(t, r, D_COUNT + i, 1, "%lld", (long long)sqlite3_column_int64(st, i));
    if (n == 0) {
        sqlite3_finalize(st);
        return 0; /* min and max stay blank */
    }
    cmd_set_cell(t, r, D_MIN, st, 3);
    cmd_set_cell(t, r, D_MAX, st, 4);
    sqlite3_finalize(st);
    long long n_num = 0;
    double mean = 0;
    if (numeric_count(db, table, col, &n_num, &mean, err) < 0)
        return -1;
    /*
     * Numeric statistics for numeric columns (and untyped ones holding
     * only numbers), over the numbers alone; text that slipped into a
     * numeric column is counted where the top values would go.
     */
    if (n_num > 0 && (numeric || (kind == CATALOG_OTHER && n_num == n))) {
        if (describe_numeric(db, table, col, n_num, mean, t, r, err) < 0)
            return -1;
        if (n_num < n)
            rtable_setf(t, r, D_TOP, 0, "%lld not numbers", n - n_num);
        return 0;
    }
    return describe_top(db, table, col, t, r, err);
}

static int
cmd_describe_exec(struct cmd_ctx *ctx, const struct cmd_args *args, struct cmd_result *res,
                  struct qerr *err)
{
    const char *table = args_str(args, "TABLE");
    sqlite3 *db = catalog_db(ctx->cat);
    char **names = NULL, **decls = NULL;
    int n = 0, rc = 0;
    if (cmd_table_columns(ctx, table, &names, &decls, &n, err) < 0)
        return -1;
    long long rows = cmd_count_rows(db, table);
    result_text(res, "%s: %lld row%s, %d column%s", table, rows, rows == 1 ? "" : "s", n,
                n == 1 ? "" : "s");
    static const char *const cols[D_N] = {"column", "type", "count", "missing", "distinct",
                                          "min", "q1", "median", "q3", "max", "mean", "std",
                                          "histogram", "top"};
    struct rtable *t = result_table(res, D_N, cols);
    for (int i = 0; i < n && rc == 0; i++)
        rc = describe_column(db, table, names[i], decls[i], t, rtable_add_row(t), err);
    cmd_free_names(names, n);
    cmd_free_names(decls, n);
    return rc;
}

const struct cmd_entry cmd_describe_entry = {
    .name = "describe",
    .alias = "desc",
    .family = "data",
    .synopsis = "describe TABLE",
    .help = "Summarise every column of a table: its type (integer, real, text, date or "
            "timestamp, as inferred when the data was loaded), the number of values present "
            "and missing, the number of distinct values, the minimum and maximum; for numeric "
            "columns also the quartiles (linear interpolation, as numpy and pandas compute "
            "them), the mean, the sample standard deviation (n-1) and a histogram of eight "
            "equal-width bins from min to max; for other columns the three most frequent "
            "values with their counts.",
    .example = "describe orders",
    .args = describe_args,
    .exec = cmd_describe_exec,
};
