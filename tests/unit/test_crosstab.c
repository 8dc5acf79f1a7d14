/*
 * test_crosstab.c: pivots of a small table worked out by hand: counts
 * with row and column totals, sums and means with NULL values, min and
 * max of an integer column, NULL keys left out and counted, column names
 * made unique without regard to case, the total's name when a key is
 * "total", the column cap, and the refusals.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "prep/crosstab.h"

static struct catalog *cat;

static void
sql(const char *s)
{
    char *msg = NULL;
    if (sqlite3_exec(catalog_db(cat), s, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "sql failed: %s: %s\n", s, msg);
        check_fail++;
    }
    sqlite3_free(msg);
}

/* Cell (r, c) of the table, c counted from the first key column (0). */
static double
cell(const struct crosstab *ct, int r, int c)
{
    return ct->cell[(long long)c * ct->rows + r];
}

/* Check one row of cells against want[0..n) (NaN = NULL). */
static void
check_row(const struct crosstab *ct, int r, const double *want, int n)
{
    for (int c = 0; c < n; c++) {
        double v = cell(ct, r, c);
        if (isnan(want[c])) {
            if (!isnan(v))
                fprintf(stderr, "row %d column %d: want NULL, got %g\n", r, c, v);
            CHECK(isnan(v));
        } else {
            CHECK_NEAR(v, want[c], 1e-12);
        }
    }
}

struct job {
    struct frame *keys, *values;
    struct crosstab ct;
};

/* Read keys k1, k2 (and value column v, or NULL) of table t and pivot them. */
static int
pivot(struct job *j, const char *t, const char *k1, const char *k2, const char *v,
      enum crosstab_agg agg, int max_cols, struct qerr *err)
{
    const char *keys[2] = {k1, k2};
    memset(j, 0, sizeof *j);
    if (frame_read(cat, t, keys, 2, 0, NULL, NULL, &j->keys, err) < 0)
        return -1;
    if (v && frame_read(cat, t, &v, 1, 0, NULL, NULL, &j->values, err) < 0)
        return -1;
    struct crosstab_in in = {.keys = j->keys, .row_col = 0, .col_col = 1, .values = j->values,
                             .value_col = 0, .agg = agg, .max_cols = max_cols};
    return crosstab_compute(&in, &j->ct, err);
}

static void
job_release(struct job *j)
{
    crosstab_release(&j->ct);
    if (j->keys)
        frame_release(j->keys);
    if (j->values)
        frame_release(j->values);
}

/*
 * sales, 10 rows; keys sorted: regions 'North' < 'east' < 'north' < 'south'
 * (byte order), months 1 < 2 < 3. (NULL, 2) has no region and ('east', NULL)
 * no month: both left out, 8 rows used.
 */
static void
setup(void)
{
    sql("CREATE TABLE sales (region TEXT, month INTEGER, amount REAL, qty INTEGER, note TEXT);"
        "INSERT INTO sales VALUES ('north', 1, 10.0, 1, 'a'), ('north', 1, 5.0, 2, 'b'),"
        "('north', 2, 7.5, 3, NULL), ('south', 1, 4.0, 4, 'c'), ('south', 3, NULL, 5, 'd'),"
        "('south', 3, 6.0, 6, 'e'), (NULL, 2, 100.0, 7, 'f'), ('east', NULL, 50.0, 8, 'g'),"
        "('east', 2, 1.0, 9, 'h'), ('North', 1, 2.0, 10, 'i');");
}

static void
test_count(void)
{
    struct job j;
    struct qerr e = QERR_INIT;
    CHECK_OK(pivot(&j, "sales", "region", "month", NULL, CROSSTAB_COUNT, 0, &e), e);
    const struct crosstab *ct = &j.ct;
    CHECK_INT(ct->n_rows, 4);
    CHECK_INT(ct->n_cols, 3);
    CHECK_INT(ct->totals, 1);
    CHECK_INT(ct->rows, 5);
    CHECK_INT(ct->cols, 5);
    CHECK_INT(ct->integer, 1);
    CHECK_INT(ct->n_used, 8);
    CHECK_INT(ct->n_no_row_key, 1);
    CHECK_INT(ct->n_no_col_key, 1);
    static const char *const names[] = {"region", "1", "2", "3", "total"};
    static const char *const labels[] = {"North", "east", "north", "south", "total"};
    for (int i = 0; i < 5; i++) {
        CHECK_STR(ct->names[i], names[i]);
        CHECK_STR(ct->labels[i], labels[i]);
    }
    /*           m1 m2 m3 total */
    check_row(ct, 0, (double[]){1, 0, 0, 1}, 4);
    check_row(ct, 1, (double[]){0, 1, 0, 1}, 4);
    check_row(ct, 2, (double[]){2, 1, 0, 3}, 4);
    check_row(ct, 3, (double[]){1, 0, 2, 3}, 4);
    check_row(ct, 4, (double[]){4, 2, 2, 8}, 4);
    job_release(&j);

    /* count of a value column: rows whose value is not NULL (south, 3 loses one). */
    CHECK_OK(pivot(&j, "sales", "region", "month", "amount", CROSSTAB_COUNT, 0, &e), e);
    CHECK_INT(j.ct.n_no_value, 1);
    check_row(&j.ct, 3, (double[]){1, 0, 1, 2}, 4);
    check_row(&j.ct, 4, (double[]){4, 2, 1, 7}, 4);
    job_release(&j);
    /* A text value column counts too. */
    CHECK_OK(pivot(&j, "sales", "region", "month", "note", CROSSTAB_COUNT, 0, &e), e);
    check_row(&j.ct, 2, (double[]){2, 0, 0, 2}, 4);
    job_release(&j);
}

static void
test_sum_mean(void)
{
    struct job j;
    struct qerr e = QERR_INIT;
    const double N = NAN;
    CHECK_OK(pivot(&j, "sales", "region", "month", "amount", CROSSTAB_SUM, 0, &e), e);
    const struct crosstab *ct = &j.ct;
    CHECK_INT(ct->totals, 1);
    CHECK_INT(ct->integer, 0);
    CHECK_INT(ct->n_no_value, 1);
    check_row(ct, 0, (double[]){2, N, N, 2}, 4);
    check_row(ct, 1, (double[]){N, 1, N, 1}, 4);
    check_row(ct, 2, (double[]){15, 7.5, N, 22.5}, 4);
    check_row(ct, 3, (double[]){4, N, 6, 10}, 4);
    check_row(ct, 4, (double[]){21, 8.5, 6, 35.5}, 4);
    job_release(&j);

    /* mean: no totals; north m1 = (10 + 5) / 2. */
    CHECK_OK(pivot(&j, "sales", "region", "month", "amount", CROSSTAB_MEAN, 0, &e), e);
    ct = &j.ct;
    CHECK_INT(ct->totals, 0);
    CHECK_INT(ct->rows, 4);
    CHECK_INT(ct->cols, 4);
    CHECK_INT(ct->integer, 0);
    check_row(ct, 2, (double[]){7.5, 7.5, N}, 3);
    check_row(ct, 3, (double[]){4, N, 6}, 3);
    job_release(&j);

    /* min and max of an integer column: whole numbers. */
    CHECK_OK(pivot(&j, "sales", "region", "month", "qty", CROSSTAB_MIN, 0, &e), e);
    CHECK_INT(j.ct.integer, 1);
    check_row(&j.ct, 2, (double[]){1, 3, N}, 3);
    check_row(&j.ct, 3, (double[]){4, N, 5}, 3);
    job_release(&j);
    CHECK_OK(pivot(&j, "sales", "region", "month", "qty", CROSSTAB_MAX, 0, &e), e);
    check_row(&j.ct, 2, (double[]){2, 3, N}, 3);
    check_row(&j.ct, 3, (double[]){4, N, 6}, 3);
    job_release(&j);
    /* sum of an integer column is whole: south = 4 + 5 + 6. */
    CHECK_OK(pivot(&j, "sales", "region", "month", "qty", CROSSTAB_SUM, 0, &e), e);
    CHECK_INT(j.ct.integer, 1);
    check_row(&j.ct, 3, (double[]){4, N, 11, 15}, 4);
    job_release(&j);
}

static void
test_names(void)
{
    struct job j;
    struct qerr e = QERR_INIT;
    /* Transposed: 'North' and 'north' are one name to SQLite, so the second is north_2. */
    CHECK_OK(pivot(&j, "sales", "month", "region", NULL, CROSSTAB_COUNT, 0, &e), e);
    static const char *const names[] = {"month", "North", "east", "north_2", "south", "total"};
    CHECK_INT(j.ct.cols, 6);
    for (int i = 0; i < 6 && i < j.ct.cols; i++)
        CHECK_STR(j.ct.names[i], names[i]);
    CHECK_INT(j.ct.n_renamed, 1);
    CHECK_STR(j.ct.labels[0], "1");
    CHECK_STR(j.ct.labels[3], "total");
    /* month 1: North 1, east 0, north 2, south 1, total 4. */
    check_row(&j.ct, 0, (double[]){1, 0, 2, 1, 4}, 5);
    job_release(&j);

    /* A key named total (or TOTAL) moves the totals to total_2; an empty key is (empty). */
    sql("CREATE TABLE t2 (k TEXT, c TEXT);"
        "INSERT INTO t2 VALUES ('total', 'x'), ('a', 'TOTAL'), ('a', ''), ('b', 'k');");
    CHECK_OK(pivot(&j, "t2", "k", "c", NULL, CROSSTAB_COUNT, 0, &e), e);
    static const char *const n2[] = {"k", "(empty)", "TOTAL", "k_2", "x", "total_2"};
    CHECK_INT(j.ct.cols, 6);
    for (int i = 0; i < 6 && i < j.ct.cols; i++)
        CHECK_STR(j.ct.names[i], n2[i]);
    CHECK_STR(j.ct.labels[3], "total_2");
    CHECK_STR(j.ct.labels[2], "total");
    job_release(&j);

    /* Real keys as %.15g. */
    sql("CREATE TABLE t3 (k REAL, c REAL); INSERT INTO t3 VALUES (0.1, 2.5), (0.1, 1e20);");
    CHECK_OK(pivot(&j, "t3", "k", "c", NULL, CROSSTAB_COUNT, 0, &e), e);
    CHECK_STR(j.ct.labels[0], "0.1");
    CHECK_STR(j.ct.names[1], "2.5");
    CHECK_STR(j.ct.names[2], "1e+20");
    job_release(&j);
}

static void
test_refusals(void)
{
    struct job j;
    struct qerr e = QERR_INIT;
    /* Three months, at most two columns: the message says how many there are. */
    CHECK(pivot(&j, "sales", "region", "month", NULL, CROSSTAB_COUNT, 2, &e) < 0);
    CHECK_INT(e.code, QE_ARG);
    CHECK_HAS(e.msg, "'month' has 3 distinct values, more than the 2 columns");
    CHECK_HAS(e.hint, "rows=");
    qerr_clear(&e);
    job_release(&j);
    /* The default cap is 200: 201 distinct values fail, 200 pass. */
    sql("CREATE TABLE wide AS WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c "
        "WHERE i < 201) SELECT 'r' AS k, CAST(i AS INTEGER) AS v FROM c;");
    CHECK(pivot(&j, "wide", "k", "v", NULL, CROSSTAB_COUNT, 0, &e) < 0);
    CHECK_HAS(e.msg, "has 201 distinct values, more than the 200 columns");
    qerr_clear(&e);
    job_release(&j);
    sql("DELETE FROM wide WHERE v = 201;");
    CHECK_OK(pivot(&j, "wide", "k", "v", NULL, CROSSTAB_COUNT, 0, &e), e);
    CHECK_INT(j.ct.n_cols, 200);
    job_release(&j);
    /* sum without a value column; sum of text. */
    CHECK(pivot(&j, "sales", "region", "month", NULL, CROSSTAB_SUM, 0, &e) < 0);
    CHECK_HAS(e.msg, "agg=sum needs a value column");
    qerr_clear(&e);
    job_release(&j);
    CHECK(pivot(&j, "sales", "region", "month", "note", CROSSTAB_MEAN, 0, &e) < 0);
    CHECK_HAS(e.msg, "agg=mean needs numbers, and 'note' is text");
    qerr_clear(&e);
    job_release(&j);
    /* No row with both keys. */
    sql("CREATE TABLE holes (a TEXT, b TEXT); INSERT INTO holes VALUES ('x', NULL), (NULL, 'y');");
    CHECK(pivot(&j, "holes", "a", "b", NULL, CROSSTAB_COUNT, 0, &e) < 0);
    CHECK_INT(e.code, QE_DATA);
    CHECK_HAS(e.msg, "no row has values in both 'a' and 'b'");
    qerr_clear(&e);
    job_release(&j);
}

int
main(void)
{
    struct qerr e = QERR_INIT;
    if (catalog_open(&cat, &e) < 0) {
        fprintf(stderr, "catalog_open: %s\n", e.msg);
        return 1;
    }
    setup();
    test_count();
    test_sum_mean();
    test_names();
    test_refusals();
    catalog_free(cat);
    return check_done("test_crosstab");
}
